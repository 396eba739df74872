// End to end with the real publication spine: the demo's published items are searchable through
// the outbox, and a withdrawal removes an item from search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { getIndexableSource } from '../../src/platform/publication/indexable.js';
import { transition } from '../../src/platform/publication/index.js';
import { searchIndexFor } from '../../src/platform/search/index.js';
import { registerIndexableSource } from '../../src/platform/publication/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
  registerIndexableSource(); // other test files in this worker may have set a test source
  await env.drain();
}, 120_000);
afterAll(async () => {
  await env.close();
});

describe('search over the publication spine', () => {
  it('indexes every public item through search.sync jobs', async () => {
    const pub = await getIndexableSource()!.listPublicIds(env.p.db, 0, 100000);
    expect(pub.length).toBeGreaterThan(0);
    expect(await searchIndexFor(env.p.dbh).ids(0, 100000)).toEqual(pub);
    const one = (await getIndexableSource()!.load(env.p.db, pub[0]))!;
    const r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent(one.title.slice(0, 12))}`)).json();
    expect(r.items.map((i: any) => i.id)).toContain(one.id);
    expect(r.items.find((i: any) => i.id === one.id).url).toBe(one.url);
  });

  it('names 主题分类 facet values with the catalog topic path, not the code', async () => {
    const r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent('营商环境')}`)).json();
    expect(r.facets.topic.length).toBeGreaterThan(0);
    for (const v of r.facets.topic) {
      expect(v.value).toMatch(/^\d{2,4}$/);
      expect(v.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("labels released citizen appeals 市民诉求答复 (glossary: citizen appeal), not 依申请公开 (a disclosure request's reply)", async () => {
    const row = await env.p.db.selectFrom('pub_items').select(['title']).where('public', '=', 1).where('type', '=', 'appeal').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const url = `/search?q=${encodeURIComponent(row.title)}&type=appeal`;
    const zh = (await env.api('GET', url)).body;
    expect(zh).toContain('市民诉求答复');
    expect(zh).not.toContain('依申请公开答复');
    expect((await env.api('GET', url, { headers: { 'accept-language': 'en' } })).body).toContain('Citizen appeal reply');
  });

  it('removes a withdrawn item', async () => {
    const row = await env.p.db.selectFrom('pub_items').select(['id', 'title']).where('public', '=', 1).where('status', '=', 'published').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await transition(env.p, 'system', row.id, 'withdraw', '测试撤回');
    await env.drain();
    const r = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent(row.title)}`)).json();
    expect(r.items.map((i: any) => i.id)).not.toContain(row.id);
    expect(await searchIndexFor(env.p.dbh).ids(row.id - 1, 1)).not.toContain(row.id);
  });
});
