// The search API contract, the public page, and index maintenance through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { SEARCH_SYNC_JOB } from '../../src/platform/publication/indexable.js';
import { searchIndexFor } from '../../src/platform/search/index.js';
import { catchUpStep, reindex, startCatchUp } from '../../src/modules/search/service.js';
import { JUDGED, testSource } from './fixtures.js';

let env: TestEnv;
let src: ReturnType<typeof testSource>;

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  src = testSource(JUDGED.map((i) => ({ ...i })));
  await reindex(env.p);
});
afterAll(async () => {
  await env.close();
});

async function enqueueSync(id: number) {
  await env.p.tx((t) => env.p.jobs.enqueue(t, SEARCH_SYNC_JOB, { id }));
  await env.drain();
}

describe('GET /api/v1/search', () => {
  it('answers the contract', async () => {
    const res = await env.api('GET', `/api/v1/search?q=${encodeURIComponent('政务公开')}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(2);
    expect(body.items[0]).toMatchObject({ id: 1, type: 'document', title: '关于印发政务公开工作要点的通知', url: '/catalog/items/1', department: 'gov', departmentName: '区政府办公室', publishedAt: '2026-03-01T02:00:00.000Z' });
    expect(body.items[0].snippet).toContain('<mark>政务公开</mark>');
    for (const f of ['type', 'department', 'topic', 'genre', 'year', 'validity']) expect(Array.isArray(body.facets[f])).toBe(true);
    expect(body.facets.department).toEqual(expect.arrayContaining([{ value: 'gov', label: '区政府办公室', count: 1 }]));
  });

  it('filters, sorts and pages', async () => {
    const r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('公开')}&department=gov&sort=date&page=2&pageSize=2`)).json();
    expect(r.total).toBe(4);
    expect(r.items.map((i: any) => i.id)).toEqual([7, 10]);
    const y = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('公开')}&year=2024&type=document`)).json();
    expect(y.items.map((i: any) => i.id)).toEqual([9]);
  });

  it('lists the filtered items newest first when q is empty', async () => {
    const r = (await env.api('GET', '/api/v1/search?department=zjj')).json();
    expect(r.items.map((i: any) => i.id)).toEqual([4, 5]);
    expect(r.total).toBe(2);
  });

  it('refuses an over-long query with a clear 400', async () => {
    const res = await env.api('GET', `/api/v1/search?q=${encodeURIComponent('政'.repeat(101))}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.q).toMatch(/100/);
    expect((await env.api('GET', `/api/v1/search?q=${encodeURIComponent('政'.repeat(100))}`)).statusCode).toBe(200);
    expect((await env.api('GET', `/api/v1/search/suggest?q=${encodeURIComponent('a'.repeat(101))}`)).statusCode).toBe(400);
  });

  it('never answers 5xx to odd input', async () => {
    for (const q of ['"', '*', 'AND', 'NOT 政务', '(', ')', "'", '\\', ':', '^', 'NEAR(a b)', '-', '{t}:x', '😀', '𠀀𠀁']) {
      const res = await env.api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    // Control characters are refused before the engine sees them (platform/http/input.ts).
    const nul = await env.api('GET', `/api/v1/search?q=${encodeURIComponent('\u0000')}`);
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.fields.q).toBeDefined();
    for (const qs of ['page=0', 'pageSize=1000', 'sort=x', 'year=abc', 'validity=x', 'foo=bar']) {
      expect((await env.api('GET', `/api/v1/search?${qs}`)).statusCode, qs).toBe(400);
    }
  });

  it('autocompletes', async () => {
    const r = (await env.api('GET', `/api/v1/search/suggest?q=${encodeURIComponent('棚户')}`)).json();
    expect(r.terms).toContain('棚户区改造');
    expect(r.titles[0]).toEqual({ title: '棚户区改造项目征收补偿方案', url: '/catalog/items/5' });
  });
});

describe('the public search page', () => {
  it('shows results, facets as links and pagination without JavaScript', async () => {
    const res = await env.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('公开')}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('role="search"');
    expect(res.body).toContain('<mark>公开</mark>');
    expect(res.body).toMatch(/href="\/search\?q=%E5%85%AC%E5%BC%80&amp;department=gov"/);
    expect(res.body).not.toMatch(/<script(?![^>]*src=)/);
    const paged = await env.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('公开')}&page=2` });
    expect(paged.statusCode).toBe(200);
  });

  it('has the header search box on public pages', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/search' });
    expect(res.body).toContain('action="/search"');
  });

  it('shows an empty state with suggestions', async () => {
    const res = await env.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('棚户区改造 火星殖民')}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('没有找到相关信息');
    expect(res.body).toContain(`href="/search?q=${encodeURIComponent('棚户区改造')}"`);
  });

  it('explains an over-long query and ignores bad filter values', async () => {
    const res = await env.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('政'.repeat(120))}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('最多 100 个字');
    expect((await env.app.inject({ method: 'GET', url: '/search?year=abc&page=-1&sort=zzz' })).statusCode).toBe(200);
  });
});

describe('index maintenance through the outbox', () => {
  it('updates, withdraws and republishes items through search.sync jobs', async () => {
    src.byId.set(3, { ...src.byId.get(3)!, title: '优化营商环境若干措施（修订）', text: '新增：推行证照分离改革。' });
    await enqueueSync(3);
    let r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('证照分离')}`)).json();
    expect(r.items.map((i: any) => i.id)).toEqual([3]);
    src.hidden.add(3); // withdrawn: the source no longer returns it
    await enqueueSync(3);
    r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('证照分离')}`)).json();
    expect(r.total).toBe(0);
    r = (await env.api('GET', '/api/v1/search')).json();
    expect(r.items.map((i: any) => i.id)).not.toContain(3);
    src.hidden.delete(3);
    await enqueueSync(3);
    r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('证照分离')}`)).json();
    expect(r.total).toBe(1);
  });

  it('never shows unpublished items (unknown to the source)', async () => {
    await enqueueSync(999);
    expect(await searchIndexFor(env.p.dbh).ids(998, 10)).toEqual([]);
  });

  it('catches up after a crash: missing items are indexed, withdrawn ones removed', async () => {
    const ix = searchIndexFor(env.p.dbh);
    // The index lost item 5 and still has item 6, which was withdrawn while the worker was down.
    await ix.remove([5]);
    src.hidden.add(6);
    await startCatchUp(env.p, 'test-run');
    await env.drain();
    const indexed = await ix.ids(0, 100);
    expect(indexed).toContain(5);
    expect(indexed).not.toContain(6);
    const state = await env.p.db.selectFrom('search_state').select(['key', 'value']).where('key', '=', 'catchup.after').executeTakeFirst();
    expect(state?.value).toBe('done');
    src.hidden.delete(6);
    const step = await catchUpStep(env.p, 0);
    expect(step).toEqual({ next: null, added: 1, removed: 0 });
  });

  it('rebuilds with `gongkai search reindex` and reports progress', async () => {
    const cmd = env.p.modules.flatMap((m) => Object.entries(m.cli ?? {})).find(([k]) => k === 'search reindex');
    expect(cmd).toBeDefined();
    const progress: number[] = [];
    const r = await reindex(env.p, { clear: true, onProgress: (d) => progress.push(d) });
    expect(r.indexed).toBe(JUDGED.length);
    expect(progress.at(-1)).toBe(JUDGED.length);
    expect(await searchIndexFor(env.p.dbh).count()).toBe(JUDGED.length);
  });
});
