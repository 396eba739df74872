// The public record of a draw: the API (a prepared draw shows no secrets, seed or selection), the
// file to download, the verify and commitment pages, and `gongkai inspection verify-draw` saying
// match for the record and the first difference for a tampered copy. The rows are inserted as the
// draw workflow writes them (service/draws.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv, type TestEnv } from '../helpers.js';
import { verifyDraw } from '../../src/modules/enforcement/service/draw.js';
import { drawFixture, insertDraws, TASK_TITLE } from '../fixtures/draws/rows.js';
import { enforcementCli } from '../../src/modules/enforcement/cli.js';

const small = drawFixture('small.json');

let env: TestEnv;
let done: number;
let prepared: number;

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  ({ done, prepared } = await insertDraws(env.p.db));
}, 60_000);
afterAll(async () => env?.close());

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });

describe('GET /api/v1/inspections/draws/:id', () => {
  it('gives a drawn record with everything needed to re-run it, in Beijing time, and answers 304 when unchanged', async () => {
    const r = await get(`/api/v1/inspections/draws/${done}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(small);
    expect(verifyDraw(r.json())).toEqual({ match: true });
    const again = await get(`/api/v1/inspections/draws/${done}`, { 'if-none-match': r.headers.etag as string });
    expect(again.statusCode).toBe(304);
  });

  it('shows a prepared draw with its inputs and commitments only', async () => {
    const r = (await get(`/api/v1/inspections/draws/${prepared}`)).json();
    expect(r).toMatchObject({ format: 'gongkai-draw/1', task: 8, status: 'prepared', targets: small.targets, witnesses: small.witnesses, secrets: [], beacon: '', seed: null, selection: null, drawnAt: null });
    expect(verifyDraw(r)).toMatchObject({ match: false, difference: 'enforcement.draw.diff.prepared' });
  });

  it('404 for an unknown draw, 400 naming the id when it is not a number', async () => {
    expect((await get('/api/v1/inspections/draws/999')).statusCode).toBe(404);
    for (const id of ['99999999999', '1234567890', '-1', '1.5']) expect([400, 404]).toContain((await get(`/api/v1/inspections/draws/${id}`)).statusCode);
    const bad = await get('/api/v1/inspections/draws/abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id');
  });
});

describe('the record as a file and the pages', () => {
  it('downloads as draw-<id>.json', async () => {
    const r = await get(`/enforcement/draws/${done}.json`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="draw-${done}.json"`);
    expect(JSON.parse(r.body)).toEqual(small);
    expect((await get('/enforcement/draws/999.json')).statusCode).toBe(404);
    expect((await get('/enforcement/draws/x%22y.json')).statusCode).toBe(404);
  });

  it('the verify page names the task and carries the texts of the verdicts; unknown draws are 404', async () => {
    const r = await get(`/enforcement/draws/${done}/verify`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('复核随机抽取结果');
    expect(r.body).toContain(TASK_TITLE);
    expect(r.body).toContain(`data-record="/api/v1/inspections/draws/${done}"`);
    expect(r.body).toContain('/static/draw-verify.js');
    expect(r.body).toContain('enforcement.draw.diff.commitment');
    const en = await get(`/enforcement/draws/${done}/verify`, { cookie: 'gk_lang=en' });
    expect(en.body).toContain('Re-run a random draw');
    expect((await get(`/enforcement/draws/${prepared}/verify`)).body).toContain('这次抽取尚未进行');
    expect((await get('/enforcement/draws/999/verify')).statusCode).toBe(404);
  });

  it('the commitment page has no form (the secret stays in the browser), and the method is published as text', async () => {
    const r = await get('/enforcement/draws/commit');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('id="commit-secret"');
    expect(r.body).not.toMatch(/<form[^>]*>(?:(?!<\/form>)[\s\S])*commit-secret/);
    const m = await get('/enforcement/draws/method');
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(m.body).toContain('gongkai-draw/1');
  });

  it('the sitemap lists the commitment page and the verify page of each draw made', async () => {
    const r = await get('/sitemap-enforcement-draws-1.xml');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`/enforcement/draws/${done}/verify`);
    expect(r.body).not.toContain(`/enforcement/draws/${prepared}/verify`);
  });
});

describe('gongkai inspection verify-draw FILE', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    try {
      return { code: await enforcementCli['inspection verify-draw'].run(args, env.p), out: out.join('') };
    } finally {
      vi.restoreAllMocks();
    }
  };

  it('says match for the published record (exit 0), in English or Chinese', async () => {
    const file = join(env.dataDir, 'draw.json');
    writeFileSync(file, (await get(`/enforcement/draws/${done}.json`)).body);
    expect(await run([file, '--lang', 'en'])).toEqual({ code: 0, out: 'match\n' });
    expect(await run(['--lang', 'zh-CN', file])).toEqual({ code: 0, out: '一致\n' });
  });

  it('names the first difference of a tampered copy (exit 1)', async () => {
    const file = join(env.dataDir, 'tampered.json');
    const r = structuredClone(small);
    r.selection![1].inspectors = ['11010801002', '11010801001'];
    writeFileSync(file, JSON.stringify(r));
    expect(await run([file, '--lang', 'en'])).toEqual({
      code: 1,
      out: 'difference: The inspectors of target 2 (91110108MA01ABCE2J) differ: re-run gives 11010801004, 11010801001, the record says 11010801002, 11010801001\n',
    });
    r.selection = small.selection;
    r.targets = [...small.targets].reverse();
    writeFileSync(file, JSON.stringify(r));
    expect((await run([file, '--lang', 'zh-CN'])).out).toBe('不一致：检查对象名单未按规定顺序排列或有重复（第2项：92110108MA02XY0LK5）\n');
    writeFileSync(file, '{ not json');
    expect(await run([file, '--lang', 'en'])).toEqual({ code: 1, out: 'difference: The record is not in format gongkai-draw/1 (at /)\n' });
  });

  it('exit 2 without a readable file', async () => {
    expect((await run([])).code).toBe(2);
    const r = await run([join(env.dataDir, 'missing.json'), '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Cannot read');
  });
});
