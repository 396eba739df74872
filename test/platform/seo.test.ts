// Search engines and the site basics, checked with the ecosystem's own tools: the XML sitemap
// against the sitemaps.org schemas (xmllint), every page it lists answering with the same
// canonical URL and a meta description, lastmod following new versions, repeals and withdrawals,
// a registry any module adds sources to (split at 50,000 URLs); robots.txt; Chinese content marked
// lang="zh-CN" in the English interface; the item metadata as a definition list; autocomplete
// tokens; html-validate's recommended rules on the public pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { validateXML } from 'xmllint-wasm';
import { HtmlValidate } from 'html-validate';
import { makeEnv, type TestEnv } from '../helpers.js';
import { bumpGeneration, endApproved, itemType, reviseApproved, withdrawApproved } from '../../src/platform/publication/index.js';
import { installSitemap, listSource, SITEMAP_MAX_URLS, type SitemapSource } from '../../src/platform/sitemap.js';
import { shanghaiW3c } from '../../src/platform/dates.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';
import { langOfText } from '../../src/platform/render/index.js';
import type { Platform } from '../../src/platform/platform.js';
import type { GongkaiModule } from '../../src/platform/module.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sitemaps');
const SITEMAP_XSD = readFileSync(join(FIXTURES, 'sitemap.xsd'), 'utf8');
const SITEINDEX_XSD = readFileSync(join(FIXTURES, 'siteindex.xsd'), 'utf8');
/** The W3C date-time profile the protocol names: a date, or a time with seconds and a zone. */
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

const get = (url: string, lang?: 'en') => env.app.inject({ url, headers: lang ? { cookie: 'gk_lang=en' } : {} });
const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

interface Entry {
  loc: string;
  lastmod: string | null;
}
function entries(xml: string): Entry[] {
  return [...xml.matchAll(/<(?:url|sitemap)><loc>([^<]+)<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?<\/(?:url|sitemap)>/g)].map((m) => ({ loc: unxml(m[1]), lastmod: m[2] ?? null }));
}

/** The index's children, by source name, and every child's entries. */
async function sitemap(): Promise<{ index: string; children: Map<string, string>; urls: Map<string, Entry[]> }> {
  const index = (await get('/sitemap.xml')).body;
  const children = new Map<string, string>();
  const urls = new Map<string, Entry[]>();
  for (const { loc } of entries(index)) {
    const path = new URL(loc).pathname;
    const r = await get(path);
    expect(r.statusCode, path).toBe(200);
    expect(r.headers['content-type']).toBe('application/xml; charset=utf-8');
    children.set(path, r.body);
    const source = /^\/sitemap-(.+)-\d+\.xml$/.exec(path)![1];
    urls.set(source, [...(urls.get(source) ?? []), ...entries(r.body)]);
  }
  return { index, children, urls };
}

/** The page's canonical link and meta description, as a crawler reads them. */
function head(html: string): { canonical: string | null; description: string | null } {
  const canonical = /<link rel="canonical" href="([^"]*)"\/?>/.exec(html)?.[1];
  const description = /<meta name="description" content="([^"]*)"\/?>/.exec(html)?.[1];
  return { canonical: canonical ? unxml(canonical) : null, description: description ? unxml(description) : null };
}

async function validate(files: string[], xsd: string, name: string) {
  return validateXML({ xml: files.map((contents, i) => ({ fileName: `s${i}.xml`, contents })), schema: { fileName: name, contents: xsd } });
}

describe('the XML sitemap', () => {
  it('is an index of child sitemaps, all valid against the sitemaps.org schemas (xmllint), with W3C lastmod in Beijing time', async () => {
    const { index, children } = await sitemap();
    const vi = await validate([index], SITEINDEX_XSD, 'siteindex.xsd');
    expect(vi.errors).toEqual([]);
    expect(vi.valid).toBe(true);
    const vc = await validate([...children.values()], SITEMAP_XSD, 'sitemap.xsd');
    expect(vc.errors).toEqual([]);
    expect(vc.valid).toBe(true);
    const lastmods = [...children.values()].flatMap((x) => entries(x).map((e) => e.lastmod)).filter((x): x is string => !!x);
    expect(lastmods.length).toBeGreaterThan(400);
    for (const l of lastmods) expect(l).toMatch(W3C);
    expect(lastmods.every((l) => l.length === 10 || l.endsWith('+08:00'))).toBe(true);
    // The validator is not a rubber stamp: a sitemap with a bad lastmod fails.
    const bad = await validate([children.values().next().value!.replace(/<\/loc>/, '</loc><lastmod>yesterday</lastmod>')], SITEMAP_XSD, 'sitemap.xsd');
    expect(bad.valid).toBe(false);
    // robots.txt points crawlers at it, and a child past the end is a 404.
    expect((await get('/robots.txt')).body).toContain(`Sitemap: ${env.config.publicUrl}/sitemap.xml`);
    for (const u of ['/sitemap-portal-2.xml', '/sitemap-nothing-1.xml', '/sitemap-portal-0.xml', '/sitemap-portal.xml']) expect((await get(u)).statusCode, u).toBe(404);
  });

  it('covers every public section: catalog items and pages, released appeals, lists and their items, the calendar, the portal pages — each URL once', async () => {
    const { urls } = await sitemap();
    expect([...urls.keys()].sort()).toEqual(['annual-reports', 'appeals', 'calendar', 'catalog-items', 'catalog-pages', 'decisions', 'disclosure-requests', 'enforcement', 'enforcement-draws', 'enforcement-entities', 'enforcement-registers', 'enforcement-repair', 'interaction-items', 'lists', 'portal']);
    const all = [...urls.values()].flat().map((e) => new URL(e.loc));
    const paths = all.map((u) => u.pathname + u.search);
    expect(new Set(paths).size).toBe(paths.length);
    for (const must of ['/', '/catalog', '/catalog/interpretations', '/catalog/disclosure-guide', '/catalog/disclosure-guide/fgj', '/catalog/statutory', '/catalog/disclosure-rules', '/contact', '/sitemap', '/appeals', '/appeals/new', '/appeals/board', '/appeals/stats', '/lists', '/lists/power', '/lists/service-guide', '/lists/market-access', '/lists/foreign-investment', '/negative-lists/lookup', '/policies/match', '/lists/industries', '/calendar', '/deadline-rules', '/annual-reports']) {
      expect(paths, must).toContain(must);
    }
    // Every public item of the spine once, at its type's page: the catalog's and the released appeals.
    const items = await env.p.db.selectFrom('pub_items').select(['id', 'type']).where('public', '=', 1).execute();
    const itemPaths = [...urls.get('catalog-items')!, ...urls.get('interaction-items')!].map((e) => new URL(e.loc).pathname);
    expect(itemPaths.sort()).toEqual(items.map((i) => itemType(i.type).url(i.id)).sort());
    // Each list with an edition, and each item of its current edition.
    const lists = await env.p.db.selectFrom('lists').select(['id', 'type']).where('current_edition', 'is not', null).execute();
    for (const l of lists) expect(paths).toContain(`/lists/${l.type}/lists/${l.id}`);
    const current = await env.p.db
      .selectFrom('list_items')
      .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
      .innerJoin('lists', 'lists.id', 'list_items.list_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .whereRef('list_editions.number', '=', 'lists.current_edition')
      .executeTakeFirstOrThrow();
    expect(paths.filter((u) => /^\/lists\/[a-z-]+\/items\//.test(u)).length).toBe(Number(current.n));
    // The calendar: this year's page, and each other published year.
    const thisYear = Number(todayShanghai().slice(0, 4));
    const years = (await env.p.db.selectFrom('calendar_years').select('year').where('published', '=', 1).execute()).map((y) => y.year).filter((y) => y !== thisYear);
    expect(years.length).toBeGreaterThan(0);
    expect(paths.filter((u) => u.startsWith('/calendar')).sort()).toEqual(['/calendar', ...years.map((y) => `/calendar?year=${y}`)].sort());
  });

  it('gives each page the canonical URL the page itself declares, and each page answers 200 with a meta description', async () => {
    const { urls } = await sitemap();
    const sample: Entry[] = [];
    for (const list of urls.values()) {
      const step = Math.max(1, Math.floor(list.length / 30));
      sample.push(...list.filter((_, i) => i % step === 0 || i === list.length - 1));
    }
    expect(sample.length).toBeGreaterThan(100);
    for (const e of sample) {
      const u = new URL(e.loc);
      const r = await get(u.pathname + u.search);
      expect(r.statusCode, e.loc).toBe(200);
      const h = head(r.body);
      expect(h.canonical && new URL(h.canonical).href, e.loc).toBe(e.loc);
      expect(h.description, e.loc).toBeTruthy();
      expect(h.description!.length, e.loc).toBeLessThanOrEqual(150);
    }
  }, 120_000);

  it('dates each item by its last change: a new version, a repeal; a withdrawal takes it out and dates the catalog list', async () => {
    const docs = await env.p.db.selectFrom('pub_items').select(['id', 'published_at']).where('type', '=', 'document').where('public', '=', 1).where('validity', '=', 'valid').orderBy('id').limit(3).execute();
    const [revised, repealed, withdrawn] = docs;
    const lastmod = async (id: number) => (await sitemap()).urls.get('catalog-items')!.find((e) => new URL(e.loc).pathname === `/catalog/items/${id}`)?.lastmod;
    expect(await lastmod(revised.id)).toBe(shanghaiW3c(revised.published_at));

    await env.p.tx((t) => reviseApproved(env.p, t, 'system', revised.id, { meta: { summary: '更正后的概述' }, changeNote: '更正概述' }));
    bumpGeneration();
    await env.p.tx((t) => endApproved(env.p, t, 'system', repealed.id, 'repealed', '已被新文件替代'));
    bumpGeneration();
    await env.p.tx((t) => withdrawApproved(env.p, t, 'system', withdrawn.id, '内容有误'));
    bumpGeneration();
    const now = await env.p.db.selectFrom('pub_items').select(['id', 'published_at', 'validity_changed_at', 'withdrawn_at']).where('id', 'in', docs.map((d) => d.id)).orderBy('id').execute();

    const { urls } = await sitemap();
    const at = (id: number) => urls.get('catalog-items')!.find((e) => new URL(e.loc).pathname === `/catalog/items/${id}`);
    expect(now[0].published_at! > revised.published_at!).toBe(true);
    expect(at(revised.id)!.lastmod).toBe(shanghaiW3c(now[0].published_at));
    expect(at(repealed.id)!.lastmod).toBe(shanghaiW3c(now[1].validity_changed_at));
    expect(at(withdrawn.id)).toBeUndefined();
    // The catalog's list changed with the withdrawal (its newest change of all).
    const catalog = urls.get('catalog-pages')!.find((e) => new URL(e.loc).pathname === '/catalog')!;
    expect(catalog.lastmod).toBe(shanghaiW3c(now[2].withdrawn_at));
    // The revised page says so too: its meta description is the new summary.
    expect(head((await get(`/catalog/items/${revised.id}`)).body).description).toBe('更正后的概述');
  });
});

describe('the sitemap registry', () => {
  /** A bare app with only the sitemap, for modules of any size. */
  async function bare(modules: GongkaiModule[]) {
    const app = Fastify();
    app.setErrorHandler((err: { status?: number }, _req, reply) => reply.code(err.status ?? 500).send());
    installSitemap(app, { modules, config: { publicUrl: 'https://gk.example.gov.cn' } } as unknown as Platform);
    await app.ready();
    return app;
  }
  const source = (name: string, n: number): SitemapSource => ({
    name,
    count: async () => n,
    urls: async (offset, limit) => Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => ({ path: `/big/${offset + i + 1}`, lastmod: '2026-05-10T01:30:00.000Z' })),
  });

  it("splits a module's source of more than 50,000 URLs into child sitemaps of at most 50,000, each valid", async () => {
    const app = await bare([{ name: 'big', sitemap: () => [source('big-records', SITEMAP_MAX_URLS + 1), listSource('big-pages', () => [{ path: '/big' }, { path: '/big?x=1&y=<2>' }])] }]);
    const index = (await app.inject({ url: '/sitemap.xml' })).body;
    expect(entries(index).map((e) => e.loc)).toEqual(['https://gk.example.gov.cn/sitemap-big-records-1.xml', 'https://gk.example.gov.cn/sitemap-big-records-2.xml', 'https://gk.example.gov.cn/sitemap-big-pages-1.xml']);
    const one = (await app.inject({ url: '/sitemap-big-records-1.xml' })).body;
    const two = (await app.inject({ url: '/sitemap-big-records-2.xml' })).body;
    const pages = (await app.inject({ url: '/sitemap-big-pages-1.xml' })).body;
    expect(entries(one).length).toBe(SITEMAP_MAX_URLS);
    expect(entries(two)).toEqual([{ loc: `https://gk.example.gov.cn/big/${SITEMAP_MAX_URLS + 1}`, lastmod: '2026-05-10T09:30:00+08:00' }]);
    expect(entries(pages).map((e) => e.loc)).toEqual(['https://gk.example.gov.cn/big', 'https://gk.example.gov.cn/big?x=1&y=%3C2%3E']);
    expect((await app.inject({ url: '/sitemap-big-records-3.xml' })).statusCode).toBe(404);
    const v = await validate([one, two, pages], SITEMAP_XSD, 'sitemap.xsd');
    expect(v.errors).toEqual([]);
    expect((await validate([index], SITEINDEX_XSD, 'siteindex.xsd')).valid).toBe(true);
    // Conditional GET: the same sitemap again is a 304.
    const first = await app.inject({ url: '/sitemap-big-pages-1.xml' });
    expect((await app.inject({ url: '/sitemap-big-pages-1.xml', headers: { 'if-none-match': String(first.headers.etag) } })).statusCode).toBe(304);
    await app.close();
  }, 60_000);

  it('refuses at start-up a source name that is not lowercase words, or taken by another module', async () => {
    await expect(bare([{ name: 'a', sitemap: () => [listSource('Big Pages', () => [])] }])).rejects.toThrow(/lowercase/);
    await expect(bare([{ name: 'a', sitemap: () => [listSource('pages', () => [])] }, { name: 'b', sitemap: () => [listSource('pages', () => [])] }])).rejects.toThrow(/second sitemap source is named pages/);
  });
});

describe('robots.txt and the meta description', () => {
  it('robots.txt closes the console and the appeal look-up, and opens the appeal form (the door people search for)', async () => {
    const lines = (await get('/robots.txt')).body.split('\n');
    expect(lines).toContain('Disallow: /admin');
    expect(lines).toContain('Disallow: /appeals/track');
    expect(lines.filter((l) => l.startsWith('Disallow:') && '/appeals/new'.startsWith(l.slice(9).trim()))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('Disallow:') && '/search'.startsWith(l.slice(9).trim()))).toEqual([]);
  });

  it("every public page has its own meta description of at most 150 characters; an item page's is its summary, escaped", async () => {
    const pages = ['/', '/catalog', '/catalog?department=fgj', '/search', `/search?q=${encodeURIComponent('政务公开')}`, '/appeals', '/appeals/new', '/appeals/track', '/appeals/board', '/appeals/stats', '/lists', '/lists/power', '/negative-lists/lookup', '/policies/match', '/lists/industries', '/calendar', '/deadline-rules', '/contact', '/sitemap', '/catalog/statutory', '/catalog/interpretations', '/catalog/disclosure-guide', '/catalog/disclosure-guide/fgj', '/catalog/disclosure-rules'];
    const seen = new Map<string, string>();
    for (const lang of [undefined, 'en'] as const) {
      for (const u of pages) {
        const r = await get(u, lang);
        expect(r.statusCode, u).toBe(200);
        const d = head(r.body).description;
        expect(d, u).toBeTruthy();
        expect(d!.length, u).toBeLessThanOrEqual(150);
        if (!lang) seen.set(u, d!);
      }
    }
    // Each says what its page is for: no two of these pages share one (a filtered list is its list).
    seen.delete('/catalog?department=fgj');
    expect(new Set(seen.values()).size).toBe(seen.size);
    expect(seen.get('/')).toContain('示范新区管理委员会');
    expect(seen.get('/appeals/new')).toContain('提交诉求');

    // An item's summary, quotes and angle brackets escaped in the attribute; a long one cut to 150.
    const [a, b] = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('public', '=', 1).orderBy('id', 'desc').limit(2).execute();
    const tricky = '关于"示范"<b>区</b> & 政务公开的概述';
    await env.p.tx((t) => reviseApproved(env.p, t, 'system', a.id, { meta: { summary: tricky }, changeNote: '测试' }));
    bumpGeneration();
    const page = (await get(`/catalog/items/${a.id}`)).body;
    expect(page).toContain('<meta name="description" content="关于&quot;示范&quot;&lt;b>区&lt;/b> &amp; 政务公开的概述"/>');
    expect(head(page).description).toBe(tricky);
    await env.p.tx((t) => reviseApproved(env.p, t, 'system', b.id, { meta: { summary: '长'.repeat(400) }, changeNote: '测试' }));
    bumpGeneration();
    expect(head((await get(`/catalog/items/${b.id}`)).body).description).toBe(`${'长'.repeat(149)}…`);
    // Without a summary: what it is, who published it and when.
    await env.p.tx((t) => reviseApproved(env.p, t, 'system', b.id, { meta: { summary: '' }, changeNote: '测试' }));
    bumpGeneration();
    const item = await env.p.db.selectFrom('pub_items').innerJoin('departments', 'departments.id', 'pub_items.department_id').select(['pub_items.title', 'pub_items.genre', 'departments.name']).where('pub_items.id', '=', b.id).executeTakeFirstOrThrow();
    expect(head((await get(`/catalog/items/${b.id}`)).body).description).toMatch(new RegExp(`^${item.name}发布的${item.genre ?? '文件'}《`));
    // The printable copies send search engines to the pages themselves.
    expect(head((await get(`/catalog/items/${a.id}/print`)).body)).toEqual({ canonical: `${env.config.publicUrl}/catalog/items/${a.id}`, description: tricky });
    const guide = await env.p.db.selectFrom('list_items').innerJoin('lists', 'lists.id', 'list_items.list_id').innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id').select(['list_items.item_key', 'list_items.list_id']).where('list_items.type', '=', 'service-guide').whereRef('list_editions.number', '=', 'lists.current_edition').executeTakeFirstOrThrow();
    const key = encodeURIComponent(guide.item_key);
    expect(head((await get(`/lists/service-guide/items/${key}/print`)).body).canonical).toBe(`${env.config.publicUrl}/lists/service-guide/items/${key}?list=${guide.list_id}`);
    expect(head((await get(`/lists/service-guide/items/${key}`)).body).canonical).toBe(`${env.config.publicUrl}/lists/service-guide/items/${key}?list=${guide.list_id}`);
    // Error pages name no canonical URL.
    expect(head((await get('/catalog/items/99999999')).body).canonical).toBeNull();
  });
});

describe('Chinese content in the English interface', () => {
  it('is marked lang="zh-CN": titles, bodies, metadata values, department names; the labels stay English', async () => {
    const doc = await env.p.db.selectFrom('pub_items').select(['id', 'title']).where('type', '=', 'document').where('public', '=', 1).orderBy('id').executeTakeFirstOrThrow();
    const en = (await get(`/catalog/items/${doc.id}`, 'en')).body;
    expect(en).toMatch(/^<!doctype html><html lang="en"/);
    expect(en).toContain(`<h1 id="doc-title" class="doc-heading" lang="zh-CN">${doc.title}</h1>`);
    expect(en).toMatch(/<div class="doc-content" lang="zh-CN">/);
    expect(en).toMatch(/<dt>Publisher<\/dt><dd lang="zh-CN">[^<]*[\u4e00-\u9fff]/);
    expect(en).toMatch(/<dt>Index number<\/dt><dd>/);
    expect(en).toContain('<span lang="zh-CN">示范新区管理委员会</span>');
    // Lists, search results, a released appeal.
    const list = (await get('/catalog', 'en')).body;
    expect(list).toMatch(/<a href="\/catalog\/items\/\d+" class="doc-title" lang="zh-CN">/);
    const search = (await get(`/search?q=${encodeURIComponent('公开')}`, 'en')).body;
    expect(search).toMatch(/<p class="snippet" lang="zh-CN">/);
    const appeal = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'appeal').where('public', '=', 1).executeTakeFirstOrThrow();
    expect((await get(`/appeals/published/${appeal.id}`, 'en')).body).toMatch(/<h1 lang="zh-CN">/);
    const power = (await get('/lists/power/lists/1', 'en')).body;
    expect(power).toMatch(/<h1><span lang="zh-CN">[^<]+<\/span><\/h1>/);
    // What a citizen wrote is marked by what it is: mostly Han characters, or not.
    const en1 = { locale: 'en' as const };
    expect([langOfText(en1, '路灯不亮'), langOfText(en1, 'The street light on 幸福路 is out'), langOfText(en1, ''), langOfText({ locale: 'zh-CN' }, '路灯不亮')]).toEqual(['zh-CN', undefined, undefined, undefined]);
    // On the Chinese page the whole document is Chinese: no element says so again.
    const zh = (await get(`/catalog/items/${doc.id}`)).body;
    expect(zh.match(/lang="zh-CN"/g)).toEqual(['lang="zh-CN"']);
  });
});

describe('the item metadata and the forms, as assistive technology reads them', () => {
  it('the metadata is a definition list: each entry one term and one value, no table with two header cells a row', async () => {
    const doc = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('public', '=', 1).orderBy('id').executeTakeFirstOrThrow();
    const html = (await get(`/catalog/items/${doc.id}`)).body;
    const block = /<section class="doc-meta" aria-label="信息元数据">(.*?)<\/section>/s.exec(html)![1];
    expect(block).not.toContain('<table');
    expect(block).not.toContain('<th');
    const dl = /^<dl class="doc-metadata">(.*)<\/dl>$/s.exec(block)![1];
    const items = [...dl.matchAll(/<div(?: class="wide")?>(.*?)<\/div>/gs)].map((m) => m[1]);
    expect(items.length).toBeGreaterThanOrEqual(9);
    expect(items.map((x) => x.replace(/<div(?: class="wide")?>.*?<\/div>/gs, '')).join('')).toBe(items.join(''));
    for (const x of items) expect(x).toMatch(/^<dt>[^<]+<\/dt><dd(?: lang="zh-CN")?>[^]*<\/dd>$/);
    const terms = items.map((x) => /^<dt>([^<]+)<\/dt>/.exec(x)![1]);
    expect(terms.slice(0, 9)).toEqual(['索引号', '主题分类', '发布机构', '体裁', '文号', '有效性', '成文日期', '发布日期', '标题']);
  });

  it('the appeal form and the other public forms carry autocomplete tokens that fit their fields (WCAG 1.3.5)', async () => {
    const form = (await get('/appeals/new')).body;
    const token = (html: string, name: string) => new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*>`).exec(html)?.[0].match(/autocomplete="([^"]*)"/)?.[1] ?? null;
    // 事发地址 is where the problem is, not the citizen's address: no token of theirs, never street-address on one line.
    expect(token(form, 'address')).toBe('off');
    expect(form).not.toContain('street-address');
    expect(token(form, 'contactName')).toBe('name');
    expect(token(form, 'contactPhone')).toBe('tel');
    expect(token(form, 'contactEmail')).toBe('email');
    expect(token(form, 'verifyCode')).toBe('one-time-code');
    const guide = await env.p.db.selectFrom('list_items').select('item_key').where('type', '=', 'service-guide').executeTakeFirstOrThrow();
    const rating = (await get(`/lists/service-guide/items/${encodeURIComponent(guide.item_key)}`)).body;
    expect(token(rating, 'name')).toBe('name');
    expect(token(rating, 'phone')).toBe('tel');
    expect(token((await get('/policies/match?industry=H6232&size=micro&location=')).body, 'email')).toBe('email');
  });

  it('html-validate (recommended rules) finds nothing on the public pages, Chinese and English', async () => {
    const hv = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: {
        // Style of the serialiser, not errors: preact-render-to-string writes void elements as
        // <meta/> and the page starts <!doctype html>; both are valid HTML (WHATWG: a void
        // element may end in "/", the doctype is case-insensitive).
        'void-style': 'off',
        'doctype-style': 'off',
        // A wide table's own scroll box is <div role="region" aria-label tabindex="0"> (TableWrap,
        // the pattern axe's scrollable-region-focusable asks for); every other landmark stays native.
        'prefer-native-element': ['error', { exclude: ['region'] }],
        // A group of checkboxes shares one name: the form sends the field once per ticked box.
        'form-dup-name': ['error', { shared: ['radio', 'button', 'reset', 'submit', 'checkbox'] }],
      },
    });
    const doc = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('public', '=', 1).orderBy('id').executeTakeFirstOrThrow();
    const appeal = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'appeal').where('public', '=', 1).executeTakeFirstOrThrow();
    const guide = await env.p.db.selectFrom('list_items').innerJoin('lists', 'lists.id', 'list_items.list_id').innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id').select(['list_items.item_key', 'list_items.list_id']).where('list_items.type', '=', 'service-guide').whereRef('list_editions.number', '=', 'lists.current_edition').executeTakeFirstOrThrow();
    const pages = ['/', '/catalog', `/catalog/items/${doc.id}`, `/catalog/items/${doc.id}/print`, `/search?q=${encodeURIComponent('公开')}`, '/appeals', '/appeals/new', '/appeals/board', `/appeals/published/${appeal.id}`, '/appeals/stats', '/appeals/track', '/lists', '/lists/power', '/lists/power/lists/1', `/lists/service-guide/items/${encodeURIComponent(guide.item_key)}?list=${guide.list_id}`, `/lists/service-guide/items/${encodeURIComponent(guide.item_key)}/print`, '/negative-lists/lookup', '/policies/match', '/lists/industries', '/calendar', '/deadline-rules', '/contact', '/sitemap', '/catalog/disclosure-guide', '/catalog/disclosure-guide/fgj', '/catalog/statutory', '/catalog/interpretations', '/catalog/disclosure-rules'];
    const found: string[] = [];
    for (const lang of [undefined, 'en'] as const) {
      for (const u of pages) {
        const r = await get(u, lang);
        expect(r.statusCode, u).toBe(200);
        const report = await hv.validateString(r.body);
        for (const res of report.results) for (const m of res.messages) found.push(`${lang ?? 'zh'} ${u}: ${m.ruleId} ${m.message} (${m.selector})`);
      }
    }
    expect(found).toEqual([]);
    // The checker would see the address token that was there before.
    const old = await hv.validateString('<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><label for="a">事发地址</label><input id="a" name="address" autocomplete="street-address"></body></html>');
    expect(old.results.flatMap((x) => x.messages.map((m) => m.ruleId))).toContain('valid-autocomplete');
  }, 120_000);
});
