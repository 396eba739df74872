// Printed notices (公开栏): an item's notice carries its 索引号 and a QR code whose modules are
// exactly those of the version's address (so it fails when the code points elsewhere); A4 or A3;
// the weekly bulletin groups the week's new items by department (Asia/Shanghai weeks), shows an
// empty week, refuses a bad week; notice boards list what to post, replace or take down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { publish, step } from '../catalog/helpers.js';
import { isoWeekOf, parseIsoWeek } from '../../src/modules/outlets/service/print.js';

let env: TestEnv;
const get = (url: string, cookie?: string) => env.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

beforeAll(async () => {
  env = await makeEnv();
  await env.drain();
}, 120_000);
afterAll(async () => env?.close());

/** The dark modules of a QR code SVG as qrcode draws it (one path of horizontal runs, 1 module margin). */
function svgModules(svg: string): { size: number; dark: Set<string> } {
  const view = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)![1];
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const m of d.matchAll(/([Mmh])([-\d.]+)(?:[ ,]([-\d.]+))?/g)) {
    const a = Number(m[2]);
    const b = Number(m[3] ?? 0);
    if (m[1] === 'M') [x, y] = [a, b - 0.5];
    else if (m[1] === 'm') [x, y] = [x + a, y + b];
    else {
      for (let i = 0; i < a; i++) dark.add(`${y - 1},${x + i - 1}`);
      x += a;
    }
  }
  return { size: Number(view[1]) - 2, dark };
}

function modulesOf(url: string): { size: number; dark: Set<string> } {
  const q = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const dark = new Set<string>();
  for (let r = 0; r < q.modules.size; r++) for (let c = 0; c < q.modules.size; c++) if (q.modules.get(r, c)) dark.add(`${r},${c}`);
  return { size: q.modules.size, dark };
}

const same = (a: { size: number; dark: Set<string> }, b: { size: number; dark: Set<string> }) => a.size === b.size && a.dark.size === b.dark.size && [...a.dark].every((k) => b.dark.has(k));

describe('the printed notice of an item', () => {
  it('shows the 索引号, the metadata and a QR code of the exact version’s address', async () => {
    const id = await publish(env, { title: '关于公开栏张贴的通知', docNo: '示范新区发〔2026〕88号' });
    await env.drain();
    const item = await env.p.db.selectFrom('pub_items').select(['index_no', 'published_version']).where('id', '=', id).executeTakeFirstOrThrow();
    const r = await get(`/print/items/${id}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(item.index_no!);
    expect(r.body).toContain('示范新区发〔2026〕88号');
    expect(r.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
    expect(r.body).toContain('<link rel="stylesheet" href="/static/print.css"/>');
    expect(r.body).toContain('class="sheet sheet-a4"');
    expect(r.body).not.toContain('class="site-header"');
    const url = `${env.config.publicUrl}/catalog/items/${id}?v=${item.published_version}`;
    expect(r.body).toContain(`<span class="notice-url">${url.replace(/&/g, '&amp;')}</span>`);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(r.body)![0];
    const shown = svgModules(svg);
    expect(shown.size).toBeGreaterThan(20);
    expect(same(shown, modulesOf(url))).toBe(true);
    // The comparison is not a rubber stamp: another version's or item's address differs.
    expect(same(shown, modulesOf(`${env.config.publicUrl}/catalog/items/${id}?v=${Number(item.published_version) + 1}`))).toBe(false);
    expect(same(shown, modulesOf(`${env.config.publicUrl}/catalog/items/${id + 1}?v=${item.published_version}`))).toBe(false);
    // The address answers: the item's page.
    expect((await get(new URL(url).pathname + new URL(url).search)).statusCode).toBe(200);
    // A correction: the notice points at version 2.
    expect((await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '第二版' } })).statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
    const v2 = await get(`/print/items/${id}`);
    expect(same(svgModules(/<svg[\s\S]*?<\/svg>/.exec(v2.body)![0]), modulesOf(`${env.config.publicUrl}/catalog/items/${id}?v=2`))).toBe(true);
  });

  it('prints on A3 with ?size=A3 (CSS @page); a bad size is a 400; a withdrawn or unknown item a 404', async () => {
    const id = await publish(env);
    const a3 = await get(`/print/items/${id}?size=A3`);
    expect(a3.statusCode).toBe(200);
    expect(a3.body).toContain('class="sheet sheet-a3"');
    const css = (await get('/static/print.css')).body;
    expect(css).toMatch(/@page \{ size: A4/);
    expect(css).toMatch(/@page a3 \{ size: A3/);
    expect(css).toMatch(/body\.sheet-a3 \{ page: a3/);
    const bad = await env.app.inject({ method: 'GET', url: `/print/items/${id}?size=B5`, headers: { accept: 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('size');
    expect((await step(env, id, 'dzb-approver', 'withdraw', '误发')).statusCode).toBe(200);
    expect((await get(`/print/items/${id}`)).statusCode).toBe(404);
    for (const x of ['99999999999', '0', 'abc', '-1']) expect((await get(`/print/items/${x}`)).statusCode).toBe(404);
  });

  it('escapes a hostile title', async () => {
    const id = await publish(env, { title: '<script>alert(1)</script>公告' });
    const r = await get(`/print/items/${id}`);
    expect(r.body).toContain('&lt;script>alert(1)&lt;/script>公告');
    expect(r.body).not.toContain('<script>alert(1)');
  });
});

describe('the weekly bulletin', () => {
  it('ISO weeks: Monday to Sunday, 52 or 53 of them', () => {
    expect(parseIsoWeek('2026-W49')).toEqual({ year: 2026, week: 49, monday: '2026-11-30', sunday: '2026-12-06' });
    expect(parseIsoWeek('2026-W01')).toMatchObject({ monday: '2025-12-29' });
    expect(parseIsoWeek('2026-W53')).toMatchObject({ monday: '2026-12-28' });
    expect(parseIsoWeek('2025-W53')).toBeNull();
    for (const bad of ['2026-W00', '2026-W54', '2026W49', '2026-49', 'x', '1999-W10']) expect(parseIsoWeek(bad), bad).toBeNull();
    expect(isoWeekOf('2026-12-03')).toBe('2026-W49');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
  });

  it("lists the week's first publications by department, each with its 索引号 and a QR code; Beijing time decides the week", async () => {
    const a = await publish(env, { title: '周报测试一' });
    const b = await publish(env, { title: '周报测试二' });
    const c = await publish(env, { title: '周报测试三' });
    const late = await publish(env, { title: '上周日深夜发布' });
    const fgj = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow();
    // 2001-W10 (before any demo item) is 2001-03-05 … 03-11 in Beijing. 2001-03-04T16:30Z is
    // Monday 00:30 in Beijing (in the week); 2001-03-04T15:30Z is Sunday 23:30 (the week before).
    const set = (id: number, at: string, dept?: number) => env.p.db.updateTable('pub_items').set({ first_published_at: at, ...(dept ? { department_id: dept } : {}) }).where('id', '=', id).execute();
    await set(a, '2001-03-04T16:30:00.000Z');
    await set(b, '2001-03-08T02:00:00.000Z', Number(fgj.id));
    await set(c, '2001-03-11T15:59:00.000Z');
    await set(late, '2001-03-04T15:30:00.000Z');
    const r = await get('/print/bulletins/2001-W10');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('政府信息公开周报（2001年第10周）');
    expect(r.body).toContain('2001-03-05至2001-03-11');
    const groups = [...r.body.matchAll(/<section class="bulletin-dept"><h2>([^<]+?) <small>[^<]*<\/small><\/h2>([\s\S]*?)<\/section>/g)].map((m) => ({ dept: m[1], ids: [...m[2].matchAll(/data-id="(\d+)"/g)].map((x) => Number(x[1])) }));
    expect(groups).toEqual([
      { dept: '党政办公室', ids: [a, c] },
      { dept: '发展和改革局', ids: [b] },
    ]);
    const idx = await env.p.db.selectFrom('pub_items').select('index_no').where('id', '=', a).executeTakeFirstOrThrow();
    expect(r.body).toContain(`索引号：${idx.index_no}`);
    expect(r.body.match(/<svg /g)).toHaveLength(3);
    expect((await get('/print/bulletins/2001-W09')).body).toContain('data-id="' + late + '"');
  });

  it('shows an empty week, and refuses a bad week with a 400', async () => {
    const r = await get('/print/bulletins/2001-W20');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('本周没有新发布的政府信息。');
    for (const bad of ['2026-W54', '2026W49', 'x', '2025-W53']) {
      const x = await env.app.inject({ method: 'GET', url: `/print/bulletins/${bad}`, headers: { accept: 'application/json' } });
      expect(x.statusCode, bad).toBe(400);
      expect(x.json().error.fields).toHaveProperty('week');
    }
  });
});

describe('a notice board', () => {
  it('lists new items to post; after a correction or withdrawal the posted notice is to replace or take down, until confirmed', async () => {
    const { cookie } = await login(env.app, 'dzb-admin');
    const csrf = csrfFrom((await get('/admin/channels/outlets', cookie)).body);
    const post = (url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, ...data }) });
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const made = await post('/admin/channels/outlets', { kind: 'board', name: '测试公开栏', departmentId: String(dzb.id), departments: String(dzb.id) });
    expect(made.statusCode).toBe(303);
    const page = String(made.headers.location);
    const boardId = Number(/(\d+)$/.exec(page)![1]);
    const fix = await publish(env, { title: '张贴后将更正' });
    const gone = await publish(env, { title: '张贴后将撤回' });
    const task = (html: string, id: number) => new RegExp(`<tr data-item="${id}" data-task="(\\w+)"`).exec(html)?.[1] ?? null;
    let html = (await get(page, cookie)).body;
    expect([task(html, fix), task(html, gone)]).toEqual(['post', 'post']);
    expect(html).toContain(`href="/print/items/${fix}"`);
    for (const id of [fix, gone]) expect((await post(`${page}/posted`, { item: String(id), what: 'posted' })).statusCode).toBe(303);
    html = (await get(page, cookie)).body;
    expect([task(html, fix), task(html, gone)]).toEqual([null, null]);
    // A new version of one, the other withdrawn.
    expect((await env.api('PATCH', `/api/v1/documents/${fix}`, { as: 'dzb-editor', body: { summary: '更正' } })).statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, fix, who, action)).statusCode).toBe(200);
    expect((await step(env, gone, 'dzb-approver', 'withdraw', '失误')).statusCode).toBe(200);
    html = (await get(page, cookie)).body;
    expect([task(html, fix), task(html, gone)]).toEqual(['replace', 'remove']);
    expect(html).toContain('需要更换');
    expect(html).toContain('需要撤下');
    // Confirmed: the ledger carries the new version and the withdrawal; nothing left to do.
    expect((await post(`${page}/posted`, { item: String(fix), what: 'posted' })).statusCode).toBe(303);
    expect((await post(`${page}/posted`, { item: String(gone), what: 'removed' })).statusCode).toBe(303);
    html = (await get(page, cookie)).body;
    expect([task(html, fix), task(html, gone)]).toEqual([null, null]);
    const rows = await env.p.db.selectFrom('chn_deliveries').select(['item_id', 'version', 'kind', 'state']).where('channel', '=', 'board').where('recipient_id', '=', boardId).orderBy('id').execute();
    expect(rows.map((r) => `${r.item_id}:${r.kind}:v${r.version}:${r.state}`)).toEqual([`${fix}:posted:v1:delivered`, `${gone}:posted:v1:delivered`, `${fix}:posted:v2:delivered`, `${gone}:withdrawal:v1:delivered`]);
    // Bad confirmations: a 400 naming the field.
    expect((await post(`${page}/posted`, { item: 'x', what: 'posted' })).statusCode).toBe(400);
    expect((await post(`${page}/posted`, { item: String(gone), what: 'posted' })).statusCode).toBe(400);
    expect((await post(`${page}/posted`, { item: String(fix), what: 'eaten' })).statusCode).toBe(400);
  });
});
