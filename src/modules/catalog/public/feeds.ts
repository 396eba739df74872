// Feeds of the catalog: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for everything, per department
// (?department=code), per topic (?topic=code) and per search (?q=words). Conditional GETs are
// answered with 304 (ETag / Last-Modified).
//
// Entries are sorted by the item's last public change (pub_items.changed_at: a version
// published — a correction is a new version —, 废止, 失效, 撤回), newest first, and carry it as
// their updated date, so a corrected, repealed or withdrawn item comes back to the top of the
// feed under its old id/guid with what changed: the title and the summary begin with
// 【已更正】/【已废止】/【已失效】/【已撤回】 and say when (and, for a new version, its public
// 变更说明); the item's 有效性 (with 废止/生效/失效 dates) is a category and, unless it is plainly
// 有效 with no dates, a summary line. A withdrawn item shows only what its public page (410)
// still shows: 索引号 and the date of withdrawal — no title, no summary, no reason.
//
// The XML is written here rather than with feedsmith's generators: they have no RFC 6721
// namespace for the Atom tombstone, and their RSS output puts the description in CDATA as HTML,
// which would run a summary reading "<img onerror=…>" in readers (see the escaping below).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { badRequest } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { translator } from '../../../platform/i18n/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { departments, listFeed, type Filters, type FeedEntry, type FeedWithdrawal } from '../service/queries.js';
import { topicPath, TOPIC_BY_CODE } from '../../../platform/taxonomy/index.js';
import { getGovernment } from '../../../platform/render/context.js';
import { feedDoc } from './api-doc.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// XML 1.0 forbids most control characters, U+FFFE/U+FFFF and unpaired surrogates.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
const x = (s: string) => esc(clean(s));
// RSS readers take <description> as HTML: plain text is escaped for HTML, then for XML, so a
// summary reading "<img onerror=…>" is shown as those characters, never run.

/** Feeds are Chinese content (xml:lang zh-CN), whatever the reader's language. */
const t = translator('zh-CN');
const TOMBSTONES_NS = 'http://purl.org/atompub/tombstones/1.0';

type Entry = FeedEntry | FeedWithdrawal;

interface FeedInfo {
  title: string;
  selfPath: string;
  htmlPath: string;
  entries: Entry[];
  /** The newest last change of the entries (feed-level updated, Last-Modified). */
  updated: string;
}

interface Category {
  term: string;
  label: string;
  /** null: the topic (its code as term, no scheme, as before). */
  scheme: string | null;
}

/** What a reader shows of an entry: the title, the summary's lines, the categories. */
interface Shown {
  title: string;
  lines: string[];
  categories: Category[];
}

const scheme = (base: string, what: 'validity' | 'change') => `${base}/catalog/feed#${what}`;
const mark = (change: string) => t('catalog.feed.mark', { change: t(`catalog.feed.change.${change}`) });

function shown(base: string, e: Entry): Shown {
  if (e.kind === 'withdrawn') {
    const m = mark('withdrawn');
    return {
      title: m + t('catalog.feed.withdrawn_title', { indexNo: e.indexNo }),
      lines: [m + t('catalog.withdrawn_notice', { indexNo: e.indexNo, date: shanghaiDate(e.withdrawnAt) })],
      categories: [{ term: 'withdrawn', label: t('catalog.feed.change.withdrawn'), scheme: scheme(base, 'change') }],
    };
  }
  const i = e.item;
  const m = e.change === 'published' ? '' : mark(e.change);
  const change =
    e.change === 'corrected'
      ? t(e.changeNote ? 'catalog.feed.corrected_note' : 'catalog.feed.corrected', { date: shanghaiDate(e.changedAt), version: i.version, note: e.changeNote })
      : e.change === 'published'
        ? null
        : t(`catalog.validity_notice.${e.change}`, { date: shanghaiDate(e.validityChangedAt ?? i.expiresAt ?? e.changedAt) });
  const field = (label: string, value: string) => t('catalog.feed.field', { label: t(label), value });
  const expires = i.expiresAt ?? (i.validity === 'expired' ? e.validityChangedAt : null);
  const validity = [
    field('catalog.validity', t(`catalog.validity.${i.validity}`)),
    i.validity === 'repealed' && e.validityChangedAt ? field('catalog.feed.repealedAt', shanghaiDate(e.validityChangedAt)) : '',
    i.effectiveAt ? field('catalog.effectiveAt', shanghaiDate(i.effectiveAt)) : '',
    expires ? field('catalog.expiresAt', shanghaiDate(expires)) : '',
  ].filter(Boolean);
  const categories: Category[] = [];
  if (i.topic) categories.push({ term: i.topic, label: topicPath(i.topic), scheme: null });
  categories.push({ term: i.validity, label: t(`catalog.validity.${i.validity}`), scheme: scheme(base, 'validity') });
  if (e.change !== 'published') categories.push({ term: e.change, label: t(`catalog.feed.change.${e.change}`), scheme: scheme(base, 'change') });
  return {
    title: m + i.title,
    lines: [
      ...(change ? [m + change] : []),
      [i.docNo, i.summary].filter(Boolean).join(' — ') || i.title,
      // Plainly 有效 with no dates says nothing the category does not.
      ...(validity.length > 1 || i.validity !== 'valid' ? [validity.join(t('catalog.feed.sep'))] : []),
    ],
    categories,
  };
}

const versionUrl = (base: string, e: FeedEntry, version: number) => `${base}/catalog/items/${e.item.id}/versions/${version}.json`;

/**
 * Atom. A withdrawn item is written twice, on purpose: as an RFC 6721 tombstone
 * (`at:deleted-entry`, ref = the entry's id, when = the withdrawal) for processors that honour
 * deletions, and as the same entry updated at that moment — 【已撤回】, 索引号 and date, nothing
 * of its content — because the readers people use (Feedly, Inoreader, NetNewsWire, Thunderbird,
 * Miniflux…) ignore tombstones and would otherwise keep showing the old entry with no sign of the
 * withdrawal. The entry is not newer than the tombstone, so RFC 6721 processors take it as
 * deleted; either way no reader is shown the withdrawn content.
 */
export function atom(base: string, f: FeedInfo): string {
  const entries = f.entries
    .map((e) => {
      const s = shown(base, e);
      const url = `${base}${e.kind === 'withdrawn' ? e.url : e.item.url}`;
      const id = x(url);
      const cats = s.categories.map((c) => `<category term="${x(c.term)}" label="${x(c.label)}"${c.scheme ? ` scheme="${x(c.scheme)}"` : ''}/>`).join('');
      const links = [`<link rel="alternate" type="text/html" href="${id}"/>`];
      if (e.kind === 'item') {
        const v = e.item.version;
        links.push(`<link rel="latest-version" type="application/json" href="${x(versionUrl(base, e, v))}" title="${x(t('catalog.feed.version', { version: v }))}"/>`);
        if (v > 1) links.push(`<link rel="predecessor-version" type="application/json" href="${x(versionUrl(base, e, v - 1))}" title="${x(t('catalog.feed.version', { version: v - 1 }))}"/>`);
      }
      const entry = `<entry><id>${id}</id><title>${x(s.title)}</title>${links.join('')}${e.kind === 'item' ? `<published>${e.item.publishedAt}</published>` : ''}<updated>${e.changedAt}</updated>${e.kind === 'item' ? `<author><name>${x(e.item.departmentName)}</name></author>` : ''}${cats}<summary>${x(s.lines.join('\n'))}</summary></entry>`;
      if (e.kind === 'item') return entry;
      return `${entry}\n<at:deleted-entry ref="${id}" when="${e.changedAt}"><link rel="alternate" type="text/html" href="${id}"/><at:comment xml:lang="zh-CN">${x(s.lines[0])}</at:comment></at:deleted-entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:at="${TOMBSTONES_NS}" xml:lang="zh-CN"><id>${x(base + f.selfPath)}</id><title>${x(f.title)}</title><updated>${f.updated}</updated><link rel="self" type="application/atom+xml" href="${x(base + f.selfPath)}"/><link rel="alternate" type="text/html" href="${x(base + f.htmlPath)}"/><author><name>${x(getGovernment().name)}</name></author><generator>gongkai</generator>\n${entries}\n</feed>\n`;
}

/**
 * RSS 2.0 has no updated date: an item's <pubDate> is the moment of its last change, when it was
 * (re)announced, so that readers ordering by date show a correction with the newest items; the
 * guid stays the same, and the description says when it was first published.
 */
export function rss(base: string, f: FeedInfo): string {
  const items = f.entries
    .map((e) => {
      const s = shown(base, e);
      const url = x(`${base}${e.kind === 'withdrawn' ? e.url : e.item.url}`);
      const cats = s.categories.map((c) => `<category${c.scheme ? ` domain="${x(c.scheme)}"` : ''}>${x(c.label)}</category>`).join('');
      return `<item><title>${x(s.title)}</title><link>${url}</link><guid isPermaLink="true">${url}</guid><pubDate>${new Date(e.changedAt).toUTCString()}</pubDate>${cats}<description>${x(s.lines.map(esc).join('<br>'))}</description></item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${x(f.title)}</title><link>${x(base + f.htmlPath)}</link><description>${x(f.title)}</description><language>zh-cn</language><lastBuildDate>${new Date(f.updated).toUTCString()}</lastBuildDate><atom:link href="${x(base + f.selfPath)}" rel="self" type="application/rss+xml"/>\n${items}\n</channel></rss>\n`;
}

/** JSON Feed 1.1: date_modified is the last change; `_gongkai` carries it and the validity. */
export function jsonFeed(base: string, f: FeedInfo): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    home_page_url: base + f.htmlPath,
    feed_url: base + f.selfPath,
    language: 'zh-CN',
    authors: [{ name: getGovernment().name }],
    items: f.entries.map((e) => {
      const s = shown(base, e);
      const text = s.lines.join('\n');
      // The topic first (as before), then the genre, the validity and the change.
      const tags = s.categories.filter((c) => c.scheme).map((c) => c.label);
      if (e.kind === 'withdrawn')
        return { id: `${base}${e.url}`, url: `${base}${e.url}`, title: s.title, summary: text, content_text: text, date_modified: e.changedAt, tags, _gongkai: { indexNo: e.indexNo, change: 'withdrawn', changedAt: e.changedAt } };
      const i = e.item;
      return {
        id: `${base}${i.url}`,
        url: `${base}${i.url}`,
        title: s.title,
        summary: text,
        content_text: text,
        date_published: i.publishedAt,
        date_modified: e.changedAt,
        authors: [{ name: i.departmentName }],
        tags: [topicPath(i.topic), i.genre, ...tags].filter(Boolean),
        _gongkai: {
          indexNo: i.indexNo,
          docNo: i.docNo,
          department: i.department,
          validity: i.validity,
          validityChangedAt: e.validityChangedAt,
          effectiveAt: i.effectiveAt,
          expiresAt: i.expiresAt,
          change: e.change,
          changedAt: e.changedAt,
          changeNote: e.changeNote,
          version: i.version,
          versionUrl: versionUrl(base, e, i.version),
          hash: i.hash,
        },
      };
    }),
  });
}

const TYPES = { atom: 'application/atom+xml; charset=utf-8', rss: 'application/rss+xml; charset=utf-8', json: 'application/feed+json; charset=utf-8' } as const;

export async function catalogFeeds(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { fmt: string }; Querystring: Record<string, string> }>('/catalog/feed.:fmt', { config: { permission: 'public', conditional: true }, schema: feedDoc }, async (req, reply) => {
    const fmt = req.params.fmt as keyof typeof TYPES;
    if (!Object.hasOwn(TYPES, fmt)) throw badRequest('err.catalog.feed_format');
    const f: Filters = {};
    const q = req.query;
    if (q.department) {
      if (!/^[a-z][a-z0-9-]{1,31}$/.test(q.department)) throw badRequest('err.unknown_department');
      f.department = q.department;
    }
    if (q.topic) {
      if (!TOPIC_BY_CODE.has(q.topic)) throw badRequest('err.catalog.bad_topic');
      f.topic = q.topic;
    }
    if (q.q) f.q = String(q.q).slice(0, 100);
    const key = `feed|${fmt}|${f.department ?? ''}|${f.topic ?? ''}|${f.q ?? ''}`;
    return cachedPublic(p.db, req, reply, key, async () => {
      const entries = await listFeed(p.db, f, 50);
      const gov = getGovernment();
      const dept = f.department ? (await departments(p.db)).find((d) => d.code === f.department) : null;
      const title = [gov.name, t('catalog.feed_title'), dept?.name, f.topic ? topicPath(f.topic) : null, f.q ? `“${f.q}”` : null].filter(Boolean).join(' · ');
      const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
      const updated = entries.reduce((m, e) => (e.changedAt > m ? e.changedAt : m), '1970-01-01T00:00:00.000Z');
      const info: FeedInfo = { title, selfPath: `/catalog/feed.${fmt}${qs ? `?${qs}` : ''}`, htmlPath: `/catalog${qs ? `?${qs}` : ''}`, entries, updated };
      const base = p.config.publicUrl.replace(/\/$/, '');
      const body = fmt === 'atom' ? atom(base, info) : fmt === 'rss' ? rss(base, info) : jsonFeed(base, info);
      return { type: TYPES[fmt], body, lastModified: new Date(updated).toUTCString() };
    });
  });
}
