// Feeds carry corrections: read with the feed parsers subscribers' software uses (feedsmith,
// @rowanmanning/feed-parser, rss-parser) and an XML parser for the RFC 6721 tombstone. Items A, B
// and C are published in that order; then A is corrected (a new version), B repealed (废止) and C
// withdrawn (撤回). After each change the changed item is back at the top of every feed with its
// updated date moved and the change in its title, summary and categories; nothing of C's content
// is left in any feed. Dates are a fake clock stepping 10 minutes per change (the real clock
// still runs in between, so each change lands in its own window).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';
import { publish, step } from './helpers.js';
import { backfillChangedAt } from '../../src/platform/publication/schema.js';
import { shanghaiDate } from '../../src/platform/dates.js';

let env: TestEnv;
const STEP = 10 * 60_000;
let t0 = 0;
/** Start of the k-th window of the fake clock. */
const at = (k: number) => t0 + k * STEP;
const moveTo = (k: number) => vi.setSystemTime(at(k));
const inWindow = (iso: string | Date | null | undefined, k: number) => {
  const ms = new Date(iso ?? 0).getTime();
  return ms >= at(k) && ms < at(k + 1);
};

const A = { title: '关于调整示范新区公共自行车运营时间的通告', summary: '公共自行车运营时间调整为每日六时至二十二时。', docNo: '示范新区交通〔2026〕7号', effectiveAt: '2026-07-01', topic: '0203' };
const B = { title: '示范新区老旧小区改造补助办法', summary: '明确老旧小区改造补助标准。', docNo: '示范新区发〔2026〕8号', topic: '0203' };
// C's content must vanish from every feed once withdrawn (only 索引号 and date stay public).
const C = { title: '关于张三同志家庭住址变更情况的说明', summary: '张三现住示范新区海滨街道幸福里九号楼。', docNo: '示范新区发〔2026〕9号', topic: '0203' };
const C_SECRETS = ['张三', '幸福里', '家庭住址', '示范新区发〔2026〕9号'];
const WITHDRAW_REASON = '含有不应公开的个人信息（内部理由）';
const REPEAL_REASON = '已被新办法替代（内部理由）';
const NOTE = '更正第三段中的运营时间<b>';

const ids: Record<'A' | 'B' | 'C', number> = { A: 0, B: 0, C: 0 };
let indexNoC = '';
const base = () => env.config.publicUrl.replace(/\/$/, '');
const url = (k: 'A' | 'B' | 'C') => `${base()}/catalog/items/${ids[k]}`;
const get = async (path: string) => (await env.api('GET', path)).body;
const rssParser = new Parser<Record<string, unknown>, { updated?: string; summary?: string }>({ customFields: { item: ['updated', 'summary'] } });

/** A new version of a published document through the whole workflow (a correction, 更正). */
async function correct(id: number, body: Record<string, unknown>) {
  const r = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body });
  expect(r.statusCode, r.body).toBe(200);
  for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
}

/** The ids of the entries of all three formats, in order, parsed by feedsmith. */
async function orders(path = '') {
  const atom = parseAtomFeed(await get(`/catalog/feed.atom${path}`));
  const rss = parseRssFeed(await get(`/catalog/feed.rss${path}`));
  const json = parseJsonFeed(await get(`/catalog/feed.json${path}`));
  return { atom: (atom.entries ?? []).map((e) => e.id), rss: (rss.items ?? []).map((i) => i.guid?.value), json: (json.items ?? []).map((i) => i.id) };
}

/** Every format lists the items in this order (by last change, newest first). */
async function expectOrder(...keys: ('A' | 'B' | 'C')[]) {
  const o = await orders();
  expect(o.atom).toEqual(keys.map(url));
  expect(o.rss).toEqual(o.atom);
  expect(o.json).toEqual(o.atom);
}

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: DZB_WORKFLOW });
  t0 = Math.ceil((Date.now() + 60_000) / STEP) * STEP;
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  moveTo(0);
  ids.A = await publish(env, A);
  moveTo(1);
  ids.B = await publish(env, B);
  moveTo(2);
  ids.C = await publish(env, C);
  indexNoC = (await env.api('GET', `/api/v1/documents/${ids.C}`)).json().indexNo;
  expect(indexNoC).toMatch(/\/\d{4}-\d{5}$/);
}, 120_000);
afterAll(async () => {
  vi.useRealTimers();
  await env?.close();
});

describe('feeds sort by the last change and say what changed', () => {
  it('before any change: newest first publication first, validity shown, dates of A in Atom and RSS', async () => {
    await expectOrder('C', 'B', 'A');
    const a = parseAtomFeed(await get('/catalog/feed.atom')).entries!.find((e) => e.id === url('A'))!;
    expect(a.title?.value).toBe(A.title);
    expect(a.categories).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'valid', label: '有效', scheme: `${base()}/catalog/feed#validity` })]));
    // 有效 with a 生效日期: a summary line says so.
    expect(a.summary?.value).toContain('有效性：有效；生效日期：2026-07-01');
    const r = parseRssFeed(await get('/catalog/feed.rss')).items!.find((i) => i.guid?.value === url('A'))!;
    expect(r.categories).toEqual(expect.arrayContaining([expect.objectContaining({ name: '有效', domain: `${base()}/catalog/feed#validity` })]));
    expect(r.description).toContain('生效日期：2026-07-01');
  });

  it('a correction (new version of A) brings A back to the top, updated, marked 【已更正】 with its change note and version links', async () => {
    const before = await env.api('GET', '/catalog/feed.atom');
    moveTo(3);
    await correct(ids.A, { summary: '公共自行车运营时间调整为每日五时半至二十二时。', changeNote: NOTE });
    await expectOrder('A', 'C', 'B');

    const feed = parseAtomFeed(await get('/catalog/feed.atom'));
    expect(inWindow(feed.updated, 3)).toBe(true);
    const a = feed.entries![0];
    expect(a.title?.value).toBe(`【已更正】${A.title}`);
    expect(inWindow(a.updated, 3)).toBe(true);
    expect(inWindow(a.published, 0)).toBe(true);
    expect(a.summary!.value!.startsWith(`【已更正】${shanghaiDate(new Date(at(3)).toISOString())} 发布第 2 版，变更说明：${NOTE}`)).toBe(true);
    expect(a.summary?.value).toContain('五时半');
    expect(a.categories).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'corrected', label: '已更正', scheme: `${base()}/catalog/feed#change` })]));
    expect(a.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rel: 'latest-version', href: `${url('A')}/versions/2.json` }),
        expect.objectContaining({ rel: 'predecessor-version', href: `${url('A')}/versions/1.json` }),
      ]),
    );
    // The version link is the published canonical text.
    expect((await env.api('GET', `/catalog/items/${ids.A}/versions/2.json`)).statusCode).toBe(200);

    // The conditional GET follows the change: the old ETag and date no longer match.
    const after = await env.api('GET', '/catalog/feed.atom', { headers: { 'if-none-match': String(before.headers.etag) } });
    expect(after.statusCode).toBe(200);
    expect(after.headers['last-modified']).toBe(new Date(a.updated!).toUTCString());
    expect((await env.api('GET', '/catalog/feed.atom', { headers: { 'if-modified-since': String(before.headers['last-modified']) } })).statusCode).toBe(200);
    expect((await env.api('GET', '/catalog/feed.atom', { headers: { 'if-none-match': String(after.headers.etag) } })).statusCode).toBe(304);
    expect((await env.api('GET', '/catalog/feed.atom', { headers: { 'if-modified-since': String(after.headers['last-modified']) } })).statusCode).toBe(304);

    // RSS: same guid, the date of the change, what changed in title and description (as HTML text).
    const rss = parseRssFeed(await get('/catalog/feed.rss'));
    const r = rss.items![0];
    expect(r.guid).toEqual(expect.objectContaining({ value: url('A'), isPermaLink: true }));
    expect(r.title).toBe(`【已更正】${A.title}`);
    expect(inWindow(r.pubDate, 3)).toBe(true);
    expect(inWindow(rss.lastBuildDate, 3)).toBe(true);
    expect(r.description).toContain('变更说明：更正第三段中的运营时间&lt;b&gt;');
    expect(r.description).not.toContain('<b>');

    // JSON Feed: date_modified moved, date_published did not; _gongkai says what changed.
    const j = parseJsonFeed(await get('/catalog/feed.json')).items![0] as any;
    expect(inWindow(j.date_modified, 3)).toBe(true);
    expect(inWindow(j.date_published, 0)).toBe(true);
    expect(j.title).toBe(`【已更正】${A.title}`);
    expect(j.content_text.startsWith('【已更正】')).toBe(true);
    expect(j.tags).toEqual(expect.arrayContaining(['已更正', '有效']));
    const raw = JSON.parse(await get('/catalog/feed.json')).items[0];
    expect(raw._gongkai).toMatchObject({ change: 'corrected', changeNote: NOTE, version: 2, validity: 'valid', effectiveAt: '2026-07-01', versionUrl: `${url('A')}/versions/2.json` });
  });

  it('a repeal (废止) brings B back to the top with 【已废止】, its date and validity, and no internal reason', async () => {
    moveTo(4);
    expect((await step(env, ids.B, 'dzb-approver', 'repeal', REPEAL_REASON)).statusCode).toBe(200);
    await expectOrder('B', 'A', 'C');
    const day = shanghaiDate(new Date(at(4)).toISOString());

    const b = parseAtomFeed(await get('/catalog/feed.atom')).entries![0];
    expect(b.title?.value).toBe(`【已废止】${B.title}`);
    expect(inWindow(b.updated, 4)).toBe(true);
    expect(b.summary!.value!.startsWith(`【已废止】本文件已于 ${day} 废止`)).toBe(true);
    expect(b.summary?.value).toContain(`有效性：废止；废止日期：${day}`);
    expect(b.categories).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ term: 'repealed', label: '废止', scheme: `${base()}/catalog/feed#validity` }),
        expect.objectContaining({ term: 'repealed', label: '已废止', scheme: `${base()}/catalog/feed#change` }),
      ]),
    );
    const r = parseRssFeed(await get('/catalog/feed.rss')).items![0];
    expect(r.title).toBe(`【已废止】${B.title}`);
    expect(inWindow(r.pubDate, 4)).toBe(true);
    expect(r.categories!.map((c) => c.name)).toEqual(expect.arrayContaining(['废止', '已废止']));
    const j = JSON.parse(await get('/catalog/feed.json')).items[0];
    expect(j._gongkai).toMatchObject({ validity: 'repealed', change: 'repealed' });
    expect(inWindow(j._gongkai.validityChangedAt, 4)).toBe(true);
    for (const fmt of ['atom', 'rss', 'json']) expect(await get(`/catalog/feed.${fmt}`)).not.toContain('内部理由');
  });

  it('a withdrawal (撤回) brings C back as 【已撤回】 with 索引号 and date only, and an RFC 6721 tombstone in Atom', async () => {
    moveTo(5);
    expect((await step(env, ids.C, 'dzb-approver', 'withdraw', WITHDRAW_REASON)).statusCode).toBe(200);
    await expectOrder('C', 'B', 'A');
    const day = shanghaiDate(new Date(at(5)).toISOString());
    const notice = `【已撤回】索引号为 ${indexNoC} 的信息已于 ${day} 撤回，不再公开其内容。`;

    const atomXml = await get('/catalog/feed.atom');
    const feed = parseAtomFeed(atomXml);
    const c = feed.entries![0];
    expect(c.title?.value).toBe(`【已撤回】索引号 ${indexNoC}`);
    expect(c.summary?.value).toBe(notice);
    expect(inWindow(c.updated, 5)).toBe(true);
    expect(inWindow(feed.updated, 5)).toBe(true);
    expect(c.categories).toEqual([expect.objectContaining({ term: 'withdrawn', label: '已撤回' })]);
    // feedsmith knows no tombstone namespace: read the at:deleted-entry with an XML parser.
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(atomXml);
    expect(xml.feed['@xmlns:at']).toBe('http://purl.org/atompub/tombstones/1.0');
    const tombs = [xml.feed['at:deleted-entry']].flat();
    expect(tombs).toHaveLength(1);
    expect(tombs[0]['@ref']).toBe(url('C'));
    expect(tombs[0]['@when']).toBe(c.updated);
    expect(tombs[0]['at:comment']['#text']).toBe(notice);
    expect(tombs[0]['at:comment']['@xml:lang']).toBe('zh-CN');

    const r = parseRssFeed(await get('/catalog/feed.rss')).items![0];
    expect(r.guid?.value).toBe(url('C'));
    expect(r.title).toBe(`【已撤回】索引号 ${indexNoC}`);
    expect(r.description).toBe(notice);
    expect(inWindow(r.pubDate, 5)).toBe(true);
    const j = JSON.parse(await get('/catalog/feed.json')).items[0];
    expect(j).toMatchObject({ id: url('C'), title: `【已撤回】索引号 ${indexNoC}`, content_text: notice, _gongkai: { change: 'withdrawn', indexNo: indexNoC } });
    expect(inWindow(j.date_modified, 5)).toBe(true);
    expect(j.date_published).toBeUndefined();
    // The item's page (410) shows the same and no more.
    const page = await env.api('GET', `/catalog/items/${ids.C}`);
    expect(page.statusCode).toBe(410);
    for (const s of C_SECRETS) expect(page.body).not.toContain(s);
  });

  it('no feed, whatever its filter, carries anything of the withdrawn content or the reasons', async () => {
    for (const fmt of ['atom', 'rss', 'json'])
      for (const qs of ['', '?department=dzb', '?topic=0203', '?topic=02', `?q=${encodeURIComponent('住址')}`, `?q=${encodeURIComponent('示范新区')}`]) {
        const body = await get(`/catalog/feed.${fmt}${qs}`);
        for (const s of [...C_SECRETS, '内部理由']) expect(body, `${fmt}${qs}`).not.toContain(s);
      }
    // The department and topic feeds carry the withdrawal; a search feed lists no withdrawn item
    // (matching words against it would reveal what it said).
    expect((await orders('?department=dzb')).atom[0]).toBe(url('C'));
    expect((await orders('?topic=0203')).rss[0]).toBe(url('C'));
    const q = await orders(`?q=${encodeURIComponent('示范新区')}`);
    expect(q.atom).toEqual([url('B'), url('A')]);
    expect(q.json).toEqual(q.atom);
    expect(await orders(`?q=${encodeURIComponent('住址')}`)).toEqual({ atom: [], rss: [], json: [] });
  });

  it('@rowanmanning/feed-parser and rss-parser show the same: order, moved dates, status words', async () => {
    const atomXml = await get('/catalog/feed.atom');
    const rssXml = await get('/catalog/feed.rss');
    for (const xml of [atomXml, rssXml]) {
      const f = parseFeed(xml);
      expect(f.items.map((i) => i.url)).toEqual([url('C'), url('B'), url('A')]);
      const [c, b, a] = f.items;
      expect(c.title).toBe(`【已撤回】索引号 ${indexNoC}`);
      expect(b.title).toBe(`【已废止】${B.title}`);
      expect(a.title).toBe(`【已更正】${A.title}`);
      expect(a.description).toContain('变更说明');
      expect(b.description).toContain('废止日期');
      expect(inWindow(a.updated, 3) && inWindow(b.updated, 4) && inWindow(c.updated, 5)).toBe(true);
      expect(b.categories.map((x) => x.label)).toEqual(expect.arrayContaining(['废止', '已废止']));
    }
    // rss-parser reads an Atom entry's <updated> as a custom field (its isoDate is <published>).
    for (const xml of [atomXml, rssXml]) {
      const f = await rssParser.parseString(xml);
      expect(f.items.map((i) => i.title)).toEqual([`【已撤回】索引号 ${indexNoC}`, `【已废止】${B.title}`, `【已更正】${A.title}`]);
      expect(f.items.map((i) => i.link)).toEqual([url('C'), url('B'), url('A')]);
      const dates = f.items.map((i) => (xml === atomXml ? i.updated : i.isoDate));
      expect(inWindow(dates[0], 5) && inWindow(dates[1], 4) && inWindow(dates[2], 3)).toBe(true);
      const text = f.items.map((i) => String(xml === atomXml ? i.summary : i.contentSnippet));
      expect(text[0]).toBe(`【已撤回】索引号为 ${indexNoC} 的信息已于 ${shanghaiDate(new Date(at(5)).toISOString())} 撤回，不再公开其内容。`);
      expect(text[1].startsWith('【已废止】')).toBe(true);
      expect(text[2].startsWith('【已更正】')).toBe(true);
    }
  });
});

describe('well-formed whatever the titles', () => {
  it('a hostile title and change note stay text in every format, through a correction', async () => {
    moveTo(6);
    const hostile = '<script>alert("x")</script> & ]]> \'引号\' <![CDATA[ x ]]>';
    const id = await publish(env, { title: `关于${hostile}的通知`, summary: '<img src=x onerror=alert(1)>', docNo: '' });
    moveTo(7);
    await correct(id, { title: `关于${hostile}的通知（更正）`, changeNote: `</summary>${hostile}` });
    for (const fmt of ['atom', 'rss']) {
      const xml = await get(`/catalog/feed.${fmt}`);
      expect(XMLValidator.validate(xml), fmt).toBe(true);
      expect(xml).not.toContain('<script>');
    }
    const a = parseAtomFeed(await get('/catalog/feed.atom')).entries![0];
    expect(a.title?.value).toBe(`【已更正】关于${hostile}的通知（更正）`);
    expect(a.summary?.value).toContain(`变更说明：</summary>${hostile}`);
    const r = parseRssFeed(await get('/catalog/feed.rss')).items![0];
    expect(r.title).toBe(`【已更正】关于${hostile}的通知（更正）`);
    expect(r.description).not.toContain('<img');
    expect(r.description).not.toContain('<script>');
    const j = parseJsonFeed(await get('/catalog/feed.json')).items![0];
    expect(j.title).toBe(`【已更正】关于${hostile}的通知（更正）`);
  });
});

describe('migration 2009', () => {
  it('backfills changed_at with the latest of publication, validity change and withdrawal', async () => {
    const read = () => env.p.db.selectFrom('pub_items').select(['id', 'changed_at']).orderBy('id').execute();
    const now = await read();
    expect(now.filter((r) => [ids.A, ids.B, ids.C].includes(r.id)).every((r) => r.changed_at)).toBe(true);
    await env.p.db.updateTable('pub_items').set({ changed_at: null }).execute();
    await backfillChangedAt(env.p.db as any);
    expect(await read()).toEqual(now);
  });
});
