// The public portal on the demo data: catalog browsing, item pages, feeds (parsed with a real
// feed parser), conditional GETs, the open API with cursor pagination, open-data export, sitemap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Parser from 'rss-parser';
import { makeEnv, type TestEnv } from '../helpers.js';
import { publish, step } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

describe('demo data', () => {
  it('has ≥ 300 realistic published items, the seed speech, interpretations both ways and 失效/废止', async () => {
    const r = (await env.api('GET', '/api/v1/documents?pageSize=100')).json();
    expect(r.total).toBeGreaterThanOrEqual(300);
    expect(r.items[0]).toHaveProperty('indexNo');
    const rows = await env.p.db.selectFrom('pub_items').select(['department_id', 'topic', 'genre', 'year', 'validity', 'doc_no', 'title']).where('public', '=', 1).execute();
    expect(new Set(rows.map((x) => x.department_id)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(rows.map((x) => x.genre)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((x) => x.year)).size).toBeGreaterThanOrEqual(5);
    expect(rows.some((x) => x.validity === 'repealed')).toBe(true);
    expect(rows.some((x) => x.validity === 'expired')).toBe(true);
    expect(rows.some((x) => /^示范新区\S*发〔20\d\d〕\d+号$/.test(x.doc_no))).toBe(true);
    const speech = (await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('推进阳光透明')}`)).json();
    expect(speech.total).toBeGreaterThanOrEqual(1);
    const detail = (await env.api('GET', `/api/v1/documents/${speech.items[0].id}`)).json();
    expect(detail.text).toContain('政务公开');
    const interp = await env.p.db.selectFrom('pub_links').select(['from_id', 'to_id']).where('kind', '=', 'interprets').execute();
    expect(interp.length).toBeGreaterThanOrEqual(20);
    const pol = await env.api('GET', `/catalog/items/${interp[0].to_id}`);
    expect(pol.body).toContain('政策解读');
    expect(pol.body).toContain(`/catalog/items/${interp[0].from_id}`);
    const back = await env.api('GET', `/catalog/items/${interp[0].from_id}`);
    expect(back.body).toContain(`/catalog/items/${interp[0].to_id}`);
  });
});

describe('portal pages', () => {
  it('browses the catalog by department, topic, genre, year and category', async () => {
    const all = await env.api('GET', '/catalog');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('rel="alternate" type="application/atom+xml"');
    for (const qs of ['department=fgj', 'topic=04', 'topic=0401', 'genre=%E9%80%9A%E7%9F%A5', 'year=2025', 'category=a20-07', 'validity=repealed']) {
      const r = await env.api('GET', `/catalog?${qs}`);
      expect(r.statusCode, qs).toBe(200);
      const api = (await env.api('GET', `/api/v1/documents?${qs}`)).json();
      expect(api.total, qs).toBeGreaterThan(0);
    }
    const fgj = (await env.api('GET', '/api/v1/documents?department=fgj&pageSize=100')).json();
    expect(fgj.items.every((i: any) => i.department === 'fgj')).toBe(true);
    expect((await env.api('GET', '/catalog?year=abc')).statusCode).toBe(200);
    expect((await env.api('GET', '/catalog/disclosure-guide/fgj')).body).toContain('发展和改革局');
    expect((await env.api('GET', '/catalog/statutory')).body).toContain('财政预算、决算信息');
    const home = await env.api('GET', '/');
    expect(home.body).toContain('最新公开信息');
  });

  it('item page: metadata block, attachments with sizes, versions with hash, print view, JSON-LD', async () => {
    const withAtt = await env.p.db.selectFrom('pub_versions').select('item_id').where('state', '=', 'published').where('data', 'like', '%"attachments":[{%').executeTakeFirstOrThrow();
    const page = await env.api('GET', `/catalog/items/${withAtt.item_id}`);
    for (const label of ['索引号', '发布机构', '文号', '主题分类', '体裁', '成文日期', '发布日期', '有效性', '历次版本', 'SM3']) expect(page.body).toContain(label);
    expect(page.body).toMatch(/（\d+(\.\d)? (B|KB|MB)）/);
    expect(page.body).toContain('application/ld+json');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]);
    expect(ld['@context']).toBe('https://schema.org');
    const att = /href="(\/catalog\/items\/\d+\/files\/[0-9a-f]{64})"/.exec(page.body)![1];
    const file = await env.api('GET', att);
    expect(file.statusCode).toBe(200);
    expect(Number(file.headers['content-length'])).toBeGreaterThan(0);
    expect((await env.api('GET', `/catalog/items/${withAtt.item_id}/print`)).body).toContain('print-view');
    expect((await env.api('GET', '/catalog/items/99999999')).statusCode).toBe(404);
    expect((await env.api('GET', '/catalog/items/abc')).statusCode).toBe(404);
  });

  it('ETag and Cache-Control on public pages and the API; a publication is visible at once', async () => {
    const a = await env.api('GET', '/api/v1/documents?pageSize=5');
    expect(a.headers.etag).toBeTruthy();
    expect(String(a.headers['cache-control'])).toContain('public');
    const again = await env.api('GET', '/api/v1/documents?pageSize=5', { headers: { 'if-none-match': String(a.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const id = await publish(env, { title: '缓存失效测试通知' });
    const b = await env.api('GET', '/api/v1/documents?pageSize=5', { headers: { 'if-none-match': String(a.headers.etag) } });
    expect(b.statusCode).toBe(200);
    expect(b.json().items[0].id).toBe(id);
    const page = await env.api('GET', '/catalog');
    expect(page.body).toContain('缓存失效测试通知');
    await step(env, id, 'dzb-approver', 'withdraw', '测试撤回');
    expect((await env.api('GET', '/catalog')).body).not.toContain('缓存失效测试通知');
  });
});

describe('feeds', () => {
  const parser = new Parser();
  it('Atom and RSS parse with a real feed parser; JSON Feed 1.1 is valid; per department, topic and search', async () => {
    const atom = await env.api('GET', '/catalog/feed.atom');
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    const fa = await parser.parseString(atom.body);
    expect(fa.items.length).toBe(50);
    expect(fa.items[0].link).toMatch(/\/catalog\/items\/\d+$/);
    expect(fa.items[0].title).toBeTruthy();
    const rss = await env.api('GET', '/catalog/feed.rss?department=fgj');
    const fr = await parser.parseString(rss.body);
    expect(fr.title).toContain('发展和改革局');
    expect(fr.items.length).toBeGreaterThan(0);
    const json = (await env.api('GET', '/catalog/feed.json?topic=04')).json();
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items.length).toBeGreaterThan(0);
    expect(json.items.every((i: any) => i.tags[0].startsWith('财政'))).toBe(true);
    // The search feed lists the documents the search finds (the word may be in the body only).
    const q = await parser.parseString((await env.api('GET', `/catalog/feed.atom?q=${encodeURIComponent('预算')}`)).body);
    const found = new Set<number>();
    for (let page = 1; page <= 5; page++) for (const i of (await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('预算')}&pageSize=100&page=${page}`)).json().items) found.add(i.id);
    expect(q.items.length).toBeGreaterThan(0);
    expect(q.items.filter((i) => !found.has(Number(/\/catalog\/items\/(\d+)$/.exec(i.link!)![1])))).toEqual([]);
    expect(q.items.some((i) => /预算/.test(i.title!))).toBe(true);
    expect((await env.api('GET', '/catalog/feed.xml')).statusCode).toBe(400);
    expect((await env.api('GET', '/catalog/feed.atom?topic=zz')).statusCode).toBe(400);
  });

  it("a summary that looks like HTML is text in every feed: RSS readers render <description> as HTML, so it is escaped twice there", async () => {
    const payload = '<img src=x onerror=alert(1)>摘要';
    await publish(env, { title: '关于转义测试的通知', summary: payload, docNo: '' });
    const fr = await parser.parseString((await env.api('GET', '/catalog/feed.rss')).body);
    const item = fr.items.find((i) => i.title === '关于转义测试的通知')!;
    expect(item.content).toBe('&lt;img src=x onerror=alert(1)&gt;摘要'); // the HTML a reader renders
    expect(item.content).not.toContain('<img');
    const fa = await parser.parseString((await env.api('GET', '/catalog/feed.atom')).body);
    expect(fa.items.find((i) => i.title === '关于转义测试的通知')!.summary).toBe(payload); // Atom summary is type="text"
  });

  it('answers conditional GETs with 304 (ETag and Last-Modified)', async () => {
    const a = await env.api('GET', '/catalog/feed.rss');
    expect(a.headers['last-modified']).toBeTruthy();
    expect((await env.api('GET', '/catalog/feed.rss', { headers: { 'if-none-match': String(a.headers.etag) } })).statusCode).toBe(304);
    expect((await env.api('GET', '/catalog/feed.rss', { headers: { 'if-modified-since': String(a.headers['last-modified']) } })).statusCode).toBe(304);
  });

  it('a new publication appears in the Atom feed', async () => {
    await publish(env, { title: '订阅源出现测试公告', genre: '公告' });
    const fa = await parser.parseString((await env.api('GET', '/catalog/feed.atom')).body);
    expect(fa.items[0].title).toBe('订阅源出现测试公告');
  });
});

describe('open API and open data', () => {
  it('pages with page/pageSize ≤ 100 and walks everything with a cursor', async () => {
    expect((await env.api('GET', '/api/v1/documents?pageSize=101')).statusCode).toBe(400);
    expect((await env.api('GET', '/api/v1/documents?cursor=zzz')).statusCode).toBe(400);
    const first = (await env.api('GET', '/api/v1/documents?pageSize=100&cursor=')).json();
    expect(first.nextCursor).toBeTruthy();
    const seen = new Set<number>(first.items.map((i: any) => i.id));
    let cur = first.nextCursor;
    while (cur) {
      const r = (await env.api('GET', `/api/v1/documents?pageSize=100&cursor=${cur}`)).json();
      for (const i of r.items) {
        expect(seen.has(i.id)).toBe(false);
        seen.add(i.id);
      }
      cur = r.nextCursor;
    }
    expect(seen.size).toBe(first.total);
    const p2 = (await env.api('GET', '/api/v1/documents?page=2&pageSize=10')).json();
    expect(p2.items.length).toBe(10);
    for (const k of ['id', 'indexNo', 'title', 'docNo', 'department', 'topic', 'genre', 'writtenAt', 'publishedAt', 'validity', 'version', 'hash', 'url']) expect(p2.items[0]).toHaveProperty(k);
    const ver = (await env.api('GET', `/api/v1/documents/${p2.items[0].id}/versions`)).json();
    expect(ver.items.at(-1).hash).toBe(p2.items[0].hash);
  });

  it('exports the whole public catalog as CSV and JSON Lines', async () => {
    const total = (await env.api('GET', '/api/v1/documents?pageSize=1')).json().total;
    const jl = await env.api('GET', '/api/v1/documents/export.jsonl');
    const lines = jl.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(total);
    expect(lines[0].schemaVersion).toBe('1.0');
    const csv = await env.api('GET', '/api/v1/documents/export.csv');
    expect(csv.body.startsWith('\ufeffschemaVersion,id,indexNo,title')).toBe(true);
    expect(csv.headers['content-type']).toContain('text/csv');
  });

  it('items of other modules’ types are listed and lead to their own pages', async () => {
    const { registerItemType } = await import('../../src/platform/publication/registry.js');
    const { publishApprovedMany, defaultMeta } = await import('../../src/platform/publication/index.js');
    const { Type } = await import('@sinclair/typebox');
    const { h } = await import('preact');
    registerItemType<{ text: string }>({ type: 'test-notice', section: 'catalog', label: 'catalog.item_type', schema: Type.Object({ text: Type.String() }), category: 'a20-15', searchText: (d) => d.text, render: (d) => h('p', null, d.text), url: (id) => `/test-notices/${id}` });
    const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow();
    const [id] = await env.p.tx((t) => publishApprovedMany(env.p, t, 'cli', [{ type: 'test-notice', departmentId: dept.id, meta: defaultMeta({ title: '其他类型测试公示', topic: '0301', genre: '公告', writtenAt: '2026-02-01' }), data: { text: '公示正文' }, publishedAt: new Date() }]));
    const { bumpGeneration } = await import('../../src/platform/publication/cache.js');
    bumpGeneration();
    const list = (await env.api('GET', '/api/v1/documents?department=fgj&pageSize=5')).json();
    expect(list.items[0]).toMatchObject({ id, type: 'test-notice', url: `/test-notices/${id}` });
    const page = await env.api('GET', `/catalog/items/${id}`);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`/test-notices/${id}`);
    expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(200);
    expect((await env.api('GET', '/catalog?department=fgj')).body).toContain(`/test-notices/${id}`);
    const r = await env.api('POST', `/api/v1/documents/${id}/transitions`, { as: 'fgj-approver', body: { action: 'withdraw', reason: 'x' } });
    expect(r.statusCode).toBe(404);
  });

  it('answers odd input with 4xx, never 5xx', async () => {
    for (const url of ['/api/v1/documents/%25', '/api/v1/documents/%E4%B8', '/api/v1/documents/abc/versions', '/api/v1/documents?topic=1', '/api/v1/documents?page=0', `/api/v1/documents?q=${'x'.repeat(200)}`, '/api/v1/documents?publishedFrom=2020-13-45', '/catalog/items/1/versions/x', '/catalog/items/1/versions/999.json', '/catalog/items/1/files/zz', '/catalog/feed.atom?department=%00', '/catalog/disclosure-guide/nope', '/sitemap-catalog-items-999.xml', '/sitemap-foo.xml', '/api/v1/documents/export.xml', `/catalog?q=${'%'.repeat(50)}&page=99999`]) {
      const r = await env.api('GET', url);
      expect(r.statusCode, url).toBeLessThan(500);
    }
  });

  it('serves sitemap.xml', async () => {
    const s = await env.api('GET', '/sitemap.xml');
    expect(s.body).toContain('<sitemapindex');
    const items = await env.api('GET', '/sitemap-catalog-items-1.xml');
    expect(items.body).toContain('/catalog/items/');
    expect((await env.api('GET', '/sitemap-catalog-pages-1.xml')).body).toContain('/catalog/disclosure-guide/fgj');
  });
});
