// Public sections of item types (ADR 0008): the disclosure catalog (政府信息公开目录, with 索引号)
// lists only catalog items — its pages, its "latest" list on the home page, its feeds, its API and
// open-data exports; released citizen appeals are 互动交流: no 索引号, labelled so in search, each
// at its own page; the sitemap gives every item's own page, none that answers a redirect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { makeEnv, type TestEnv } from '../helpers.js';
import { registerItemType, itemType, itemTypes, SECTIONS, registerIndexableSource } from '../../src/platform/publication/index.js';
import { releaseAppeal } from '../../src/modules/appeals/service/release.js';
import { sm3 } from '../../src/platform/hash.js';

let env: TestEnv;
/** The types of the disclosure catalog (documents, list editions, annual reports, enforcement's notices and decisions …). */
const CATALOG = itemTypes()
  .filter((t) => t.section === 'catalog')
  .map((t) => t.type);
beforeAll(async () => {
  env = await makeEnv({ demo: true });
  registerIndexableSource(); // another test file in this worker may have set a test source
  await env.drain();
}, 120_000);
afterAll(() => env?.close());

const publicOf = (type: string) => env.p.db.selectFrom('pub_items').select(['id', 'title', 'index_no', 'category']).where('public', '=', 1).where('type', '=', type).orderBy('id').execute();

/** Releases one of the demo's replied appeals whose citizen consented (the centre's release). */
async function releaseOne(title: string) {
  const a = await env.p.db.selectFrom('appeals').select('id').where('publish_state', '=', 'pending').orderBy('id').executeTakeFirstOrThrow();
  const id = await releaseAppeal(env.p, 'system', a.id, { title, content: '小区路灯不亮，晚上出行不便。', reply: '已安排维修，现已修复。' });
  await env.drain();
  const row = await env.p.db.selectFrom('pub_items').select('index_no').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, indexNo: row.index_no };
}

describe('item types declare a section', () => {
  it('puts documents and list editions in the catalog and appeals in 互动交流', () => {
    const by = new Map(itemTypes().map((t) => [t.type, t.section]));
    expect(by.get('document')).toBe('catalog');
    expect(by.get('list-edition')).toBe('catalog');
    expect(by.get('appeal')).toBe('interaction');
    for (const t of itemTypes()) expect(Object.keys(SECTIONS)).toContain(t.section);
  });

  it('refuses a registration without a known section, or a catalog type without an Art. 20 category', () => {
    const base = { type: 'test-sectionless', label: 'publication.type.other', schema: Type.Object({}), searchText: () => '', render: () => h('p', null), url: (id: number) => `/x/${id}` };
    expect(() => registerItemType({ ...base, section: 'news' as any, category: 'a20-01' })).toThrow(/section/);
    expect(() => registerItemType({ ...base, section: 'catalog' })).toThrow(/category/);
    expect(itemTypes().some((t) => t.type === 'test-sectionless')).toBe(false);
  });
});

describe('the disclosure catalog lists catalog items only', () => {
  it('has no appeal in its list pages, API (every page), home page latest list, feeds and exports', async () => {
    const appeals = await publicOf('appeal');
    expect(appeals.length).toBeGreaterThan(10);
    const catalogCount = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('public', '=', 1).where('type', 'in', CATALOG).executeTakeFirstOrThrow()).n);

    // The API, walked with the cursor: exactly the catalog's items.
    const seen: { type: string; indexNo: string; url: string }[] = [];
    for (let cursor = ''; ; ) {
      const r = (await env.api('GET', `/api/v1/documents?pageSize=100&cursor=${encodeURIComponent(cursor)}`)).json();
      seen.push(...r.items);
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(seen.length).toBe(catalogCount);
    expect(seen.every((x) => CATALOG.includes(x.type))).toBe(true);
    for (const type of ['document', 'list-edition', 'annual-report']) expect(seen.some((x) => x.type === type), type).toBe(true);
    for (const x of seen) expect(x.indexNo).toMatch(/^\S+\/\d{4}-\d{5}$/);
    expect((await env.api('GET', '/api/v1/documents?pageSize=1')).json().total).toBe(catalogCount);

    const pages = ['/', '/catalog', '/catalog?department=sqzx', '/catalog/feed.atom', '/catalog/feed.rss', '/catalog/feed.json', '/catalog/feed.atom?department=sqzx', '/api/v1/documents/export.csv', '/api/v1/documents/export.jsonl'];
    for (const url of pages) {
      const r = await env.api('GET', url);
      expect(r.statusCode, url).toBe(200);
      // The home page: its 最新公开信息 (the appeals module has a section of its own there).
      const body = url === '/' ? r.body.slice(r.body.indexOf('id="home-latest"'), r.body.indexOf('</section>', r.body.indexOf('id="home-latest"'))) : r.body;
      expect(body, url).toContain('/catalog/items/');
      expect(body, url).not.toContain('/appeals/published/');
      for (const a of appeals.slice(0, 20)) expect(body, url).not.toContain(a.title);
    }
    const jsonl = (await env.api('GET', '/api/v1/documents/export.jsonl')).body.trim().split('\n');
    expect(jsonl.length).toBe(catalogCount);
  });

  it('counts no appeal under an Art. 20 category (法定主动公开内容, the disclosure guide)', async () => {
    const statutory = (await env.api('GET', '/catalog/statutory')).body;
    const n15 = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('public', '=', 1).where('type', 'in', CATALOG).where('category', '=', 'a20-15').executeTakeFirstOrThrow()).n);
    expect(statutory).toMatch(new RegExp(`category=a20-15">[^<]+</a> <span class="count">（${n15}）`));
    const guide = (await env.api('GET', '/catalog/disclosure-guide/sqzx')).body;
    const inGuide = [...guide.matchAll(/（(\d+)）/g)].reduce((s, m) => s + Number(m[1]), 0);
    const sqzx = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'sqzx').executeTakeFirstOrThrow();
    const catalogOfSqzx = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('public', '=', 1).where('type', 'in', CATALOG).where('department_id', '=', sqzx.id).executeTakeFirstOrThrow()).n);
    expect(inGuide).toBe(catalogOfSqzx);
  });

  it('sends the catalog address of an appeal to its own page, and has no document of that id in its API', async () => {
    const [a] = await publicOf('appeal');
    const page = await env.api('GET', `/catalog/items/${a.id}`);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`/appeals/published/${a.id}`);
    expect((await env.api('GET', `/api/v1/documents/${a.id}`)).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/documents/${a.id}/versions`)).statusCode).toBe(404);
    expect((await env.api('GET', `/catalog/items/${a.id}/print`)).statusCode).toBe(404);
  });
});

describe('appeals carry no 索引号', () => {
  it('publishes a released appeal without 索引号 or Art. 20 category; its hashed text says so and its page shows none', async () => {
    const before = await env.p.db.selectFrom('pub_counters').selectAll().execute();
    const r = await releaseOne('小区路灯长期不亮的诉求');
    expect(r.indexNo).toBeNull();
    const row = await env.p.db.selectFrom('pub_items').select(['index_no', 'category', 'public']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ index_no: null, category: null, public: 1 });
    expect(await env.p.db.selectFrom('pub_counters').selectAll().execute()).toEqual(before); // no number consumed
    const v = await env.api('GET', `/catalog/items/${r.id}/versions/1.json`);
    expect(JSON.parse(v.body).indexNo).toBeNull();
    expect(sm3(v.body)).toBe(v.headers['x-content-sm3']);
    const page = await env.api('GET', `/appeals/published/${r.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('小区路灯长期不亮的诉求');
    expect(page.body).not.toContain('索引号');
  });

  it('never shows the 索引号 an appeal got before (page, search page, search API, lookup by number)', async () => {
    // An appeal released by an earlier version kept the number it was given then.
    const r = await releaseOne('老旧小区加装电梯进度的诉求');
    const old = '552013579/2025-09999';
    await env.p.db.updateTable('pub_items').set({ index_no: old }).where('id', '=', r.id).execute();
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'search.sync', { id: r.id }));
    await env.drain();
    expect((await env.api('GET', `/appeals/published/${r.id}`)).body).not.toContain(old);
    const q = encodeURIComponent('加装电梯进度');
    const html = (await env.api('GET', `/search?q=${q}`)).body;
    expect(html).toContain(`/appeals/published/${r.id}`);
    expect(html).not.toContain(old);
    const hit = (await env.api('GET', `/api/v1/search?q=${q}`)).json().items.find((i: any) => i.id === r.id);
    expect(hit).toMatchObject({ section: 'interaction', indexNo: '', url: `/appeals/published/${r.id}` });
    expect((await env.api('GET', `/api/v1/documents/${encodeURIComponent(old)}`)).statusCode).toBe(404);
  });

  it('still numbers catalog items', async () => {
    const [d] = await publicOf('document');
    expect(d.index_no).toMatch(/^\S+\/\d{4}-\d{5}$/);
    expect((await env.api('GET', `/catalog/items/${d.id}`)).body).toContain(d.index_no!);
  });
});

describe('search labels results by section and type', () => {
  it('labels an appeal 互动交流 · 市民诉求答复 and a document 政府信息公开 · 政府文件 with its 索引号, in zh and en', async () => {
    const [a] = await publicOf('appeal');
    const [d] = await publicOf('document');
    const hit = (body: string, id: number, url: string) => {
      const at = body.indexOf(`href="${url}"`);
      expect(at, `hit ${id}`).toBeGreaterThan(0);
      return body.slice(at, body.indexOf('</li>', at));
    };
    const za = hit((await env.api('GET', `/search?q=${encodeURIComponent(a.title)}&type=appeal`)).body, a.id, `/appeals/published/${a.id}`);
    expect(za).toContain('互动交流 · 市民诉求答复');
    expect(za).not.toContain('index-no');
    expect(za).not.toContain('依申请公开');
    const ea = hit((await env.api('GET', `/search?q=${encodeURIComponent(a.title)}&type=appeal`, { headers: { 'accept-language': 'en' } })).body, a.id, `/appeals/published/${a.id}`);
    expect(ea).toContain('Public interaction · Citizen appeal reply');
    const zd = hit((await env.api('GET', `/search?q=${encodeURIComponent(d.title)}&type=document`)).body, d.id, `/catalog/items/${d.id}`);
    expect(zd).toContain('政府信息公开 · 政府文件');
    expect(zd).toContain(d.index_no!);
    const api = (await env.api('GET', `/api/v1/search?q=${encodeURIComponent(d.title)}&type=document`)).json();
    expect(api.items.find((i: any) => i.id === d.id)).toMatchObject({ section: 'catalog', indexNo: d.index_no });
  });

  it('names the type facet values, never the codes', async () => {
    const body = (await env.api('GET', '/search')).body;
    const facet = body.slice(body.indexOf('id="facet-type"'), body.indexOf('</section>', body.indexOf('id="facet-type"')));
    expect(facet).toContain('市民诉求答复');
    expect(facet).toContain('政府文件');
    expect(facet).not.toMatch(/>\s*(appeal|document|list-edition)\s*</);
    const api = (await env.api('GET', '/api/v1/search')).json();
    expect(api.facets.type).toContainEqual(expect.objectContaining({ value: 'appeal', label: '市民诉求答复' }));
    const en = (await env.api('GET', '/api/v1/search', { headers: { 'accept-language': 'en' } })).json();
    expect(en.facets.type).toContainEqual(expect.objectContaining({ value: 'list-edition', label: 'List' }));
  });
});

describe('the sitemap', () => {
  it("lists every public item once, at its own page, and each sampled URL answers 200 (no redirect)", async () => {
    const index = (await env.api('GET', '/sitemap.xml')).body;
    const parts = [...index.matchAll(/<loc>[^<]*(\/sitemap-(?:catalog|interaction)-items-\d+\.xml)<\/loc>/g)].map((m) => m[1]);
    const locs: string[] = [];
    for (const part of parts) locs.push(...[...(await env.api('GET', part)).body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname));
    const n = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('public', '=', 1).executeTakeFirstOrThrow()).n);
    expect(locs.length).toBe(n);
    expect(new Set(locs).size).toBe(n);
    expect(locs.some((u) => u.startsWith('/appeals/published/'))).toBe(true);
    expect(locs.some((u) => u.startsWith('/lists/published/'))).toBe(false);
    // Each at the page of its type: appeals, enforcement's draw notices and decisions at their own, the others in the catalog.
    const types = new Map((await env.p.db.selectFrom('pub_items').select(['id', 'type']).where('public', '=', 1).execute()).map((x) => [x.id, x.type]));
    for (const u of locs) {
      const id = Number(u.split('/').pop());
      expect(u).toBe(itemType(types.get(id)!)!.url(id));
    }
    // A sample of every kind: all list editions, every 7th item, the first and last.
    const editions = new Set((await publicOf('list-edition')).map((x) => `/catalog/items/${x.id}`));
    const sample = locs.filter((u, i) => editions.has(u) || i % 7 === 0 || i === locs.length - 1);
    for (const u of sample) expect((await env.api('GET', u)).statusCode, u).toBe(200);
  });

  it("moves a list edition's earlier address to its catalog entry", async () => {
    const [e] = await publicOf('list-edition');
    const r = await env.api('GET', `/lists/published/${e.id}`);
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe(`/catalog/items/${e.id}`);
    const page = await env.api('GET', `/catalog/items/${e.id}`);
    expect(page.body).toContain(e.index_no!);
    expect(page.body).toContain(e.title);
  });
});
