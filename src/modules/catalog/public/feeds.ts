// Feeds of the catalog: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for everything, per department
// (?department=code), per topic (?topic=code) and per search (?q=words). Conditional GETs are
// answered with 304 (ETag / Last-Modified).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { badRequest } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { departments, listPublic, type ListItem, type Filters } from '../service/queries.js';
import { topicPath, TOPIC_BY_CODE } from '../../../platform/taxonomy/index.js';
import { getGovernment } from '../../../platform/render/context.js';
import { feedDoc } from './api-doc.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// XML 1.0 forbids most control characters.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const x = (s: string) => esc(clean(s));
// RSS readers take <description> as HTML: plain text is escaped for HTML, then for XML, so a
// summary reading "<img onerror=…>" is shown as those characters, never run.

interface FeedInfo {
  title: string;
  selfPath: string;
  htmlPath: string;
  items: ListItem[];
  updated: string;
}

export function atom(base: string, f: FeedInfo): string {
  const entries = f.items
    .map(
      (i) => `<entry><id>${x(`${base}${i.url}`)}</id><title>${x(i.title)}</title><link rel="alternate" type="text/html" href="${x(`${base}${i.url}`)}"/><published>${i.publishedAt}</published><updated>${i.updatedAt}</updated><author><name>${x(i.departmentName)}</name></author>${i.topic ? `<category term="${x(i.topic)}" label="${x(topicPath(i.topic))}"/>` : ''}<summary>${x([i.docNo, i.summary].filter(Boolean).join(' — ') || i.title)}</summary></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><id>${x(base + f.selfPath)}</id><title>${x(f.title)}</title><updated>${f.updated}</updated><link rel="self" type="application/atom+xml" href="${x(base + f.selfPath)}"/><link rel="alternate" type="text/html" href="${x(base + f.htmlPath)}"/><author><name>${x(getGovernment().name)}</name></author><generator>gongkai</generator>\n${entries}\n</feed>\n`;
}

export function rss(base: string, f: FeedInfo): string {
  const items = f.items
    .map(
      (i) => `<item><title>${x(i.title)}</title><link>${x(`${base}${i.url}`)}</link><guid isPermaLink="true">${x(`${base}${i.url}`)}</guid><pubDate>${new Date(i.publishedAt).toUTCString()}</pubDate>${i.topic ? `<category>${x(topicPath(i.topic))}</category>` : ''}<description>${x(esc([i.docNo, i.summary].filter(Boolean).join(' — ') || i.title))}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${x(f.title)}</title><link>${x(base + f.htmlPath)}</link><description>${x(f.title)}</description><language>zh-cn</language><lastBuildDate>${new Date(f.updated).toUTCString()}</lastBuildDate><atom:link href="${x(base + f.selfPath)}" rel="self" type="application/rss+xml"/>\n${items}\n</channel></rss>\n`;
}

export function jsonFeed(base: string, f: FeedInfo): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    home_page_url: base + f.htmlPath,
    feed_url: base + f.selfPath,
    language: 'zh-CN',
    authors: [{ name: getGovernment().name }],
    items: f.items.map((i) => ({
      id: `${base}${i.url}`,
      url: `${base}${i.url}`,
      title: i.title,
      summary: [i.docNo, i.summary].filter(Boolean).join(' — ') || i.title,
      content_text: i.summary || i.title,
      date_published: i.publishedAt,
      date_modified: i.updatedAt,
      authors: [{ name: i.departmentName }],
      tags: [topicPath(i.topic), i.genre].filter(Boolean),
      _gongkai: { indexNo: i.indexNo, docNo: i.docNo, department: i.department, validity: i.validity, version: i.version, hash: i.hash },
    })),
  });
}

const TYPES = { atom: 'application/atom+xml; charset=utf-8', rss: 'application/rss+xml; charset=utf-8', json: 'application/feed+json; charset=utf-8' } as const;

export async function catalogFeeds(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { fmt: string }; Querystring: Record<string, string> }>('/catalog/feed.:fmt', { config: { permission: 'public', conditional: true }, schema: feedDoc }, async (req, reply) => {
    const fmt = req.params.fmt as keyof typeof TYPES;
    if (!(fmt in TYPES)) throw badRequest('err.catalog.feed_format');
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
      const r = await listPublic(p.db, f, { page: 1, pageSize: 50, count: false });
      const gov = getGovernment();
      const dept = f.department ? (await departments(p.db)).find((d) => d.code === f.department) : null;
      const title = [gov.name, '政府信息公开', dept?.name, f.topic ? topicPath(f.topic) : null, f.q ? `“${f.q}”` : null].filter(Boolean).join(' · ');
      const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
      const updated = r.items.reduce((m, i) => (i.updatedAt > m ? i.updatedAt : m), '1970-01-01T00:00:00.000Z');
      const info: FeedInfo = { title, selfPath: `/catalog/feed.${fmt}${qs ? `?${qs}` : ''}`, htmlPath: `/catalog${qs ? `?${qs}` : ''}`, items: r.items, updated };
      const base = p.config.publicUrl.replace(/\/$/, '');
      const body = fmt === 'atom' ? atom(base, info) : fmt === 'rss' ? rss(base, info) : jsonFeed(base, info);
      return { type: TYPES[fmt], body, lastModified: new Date(updated).toUTCString() };
    });
  });
}
