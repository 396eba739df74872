// The XML sitemap (sitemaps.org protocol 0.9) as a registry: the platform parts and every module
// contribute sources of public pages through `sitemap` in their module object (module.ts); the
// platform serves /sitemap.xml, an index with one or more child sitemaps per source
// (/sitemap-<source>-<n>.xml, at most 50,000 URLs each). A new module's pages get in without a
// change here. Each URL is the page's canonical address (its <link rel="canonical">) with, where
// known, the moment its content last changed.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from './platform.js';
import { notFound } from './errors.js';
import { shanghaiW3c } from './dates.js';
import { Type } from '@sinclair/typebox';
import { media, TextBody } from './http/schemas.js';

// How the sitemaps appear in the API document (the part is checked by the handler).
const sitemapDoc = {
  tags: ['sitemaps'],
  summary: 'Sitemap index (sitemaps.org 0.9): one or more child sitemaps per source of public pages',
  response: { 200: media('A sitemapindex', { 'application/xml': TextBody }) },
};
const sitemapPartDoc = {
  tags: ['sitemaps'],
  summary: 'One child sitemap of the index: /sitemap-<source>-<n>.xml, at most 50,000 URLs, each a canonical page address with its last change',
  doc: { params: Type.Object({ part: Type.String({ pattern: '^[a-z0-9-]+-\\d{1,6}\\.xml$', description: '<source>-<n>.xml, e.g. catalog-items-1.xml' }) }) },
  response: { 200: media('A urlset', { 'application/xml': TextBody }) },
};

export interface SitemapUrl {
  /** The page's canonical path and query ('/catalog/items/12', '/calendar?year=2025'). */
  path: string;
  /** When its content last changed: a stored moment or a YYYY-MM-DD date; null when unknown. */
  lastmod?: string | null;
}

export interface SitemapSource {
  /** Lowercase words joined by '-' (its files: /sitemap-<name>-<n>.xml), unique on the site. */
  name: string;
  /** How many URLs the source has now. */
  count(): Promise<number>;
  /** Its URLs from `offset`, at most `limit`, in a stable order. */
  urls(offset: number, limit: number): Promise<SitemapUrl[]>;
}

/** The protocol's limit of URLs in one sitemap file (and of sitemaps in one index). */
export const SITEMAP_MAX_URLS = 50_000;

/** A source whose URLs are few enough to list at once (a section's pages, a module's lists). */
export function listSource(name: string, load: () => Promise<SitemapUrl[]> | SitemapUrl[]): SitemapSource {
  return {
    name,
    count: async () => (await load()).length,
    urls: async (offset, limit) => (await load()).slice(offset, offset + limit),
  };
}

/** The later of stored moments (ISO strings of one form compare as text); null when none. */
export function latest(...moments: (string | null | undefined)[]): string | null {
  let out: string | null = null;
  for (const m of moments) if (m && (!out || m > out)) out = m;
  return out;
}

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An absolute URL of a path on the public site, percent-encoded as the protocol asks (RFC 3986). */
export function absoluteUrl(base: string, path: string): string {
  return new URL(base + path).href;
}

async function sendXml(req: FastifyRequest, reply: FastifyReply, body: string): Promise<FastifyReply> {
  const etag = `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
  reply.header('content-type', 'application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').header('etag', etag);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).includes(etag)) return reply.code(304).send();
  return reply.send(body);
}

/** Collects the modules' sources; a bad or repeated name stops the server at start-up. */
export function sitemapSources(p: Platform): SitemapSource[] {
  const sources: SitemapSource[] = [];
  const seen = new Set<string>();
  for (const m of p.modules) {
    for (const s of m.sitemap?.(p) ?? []) {
      if (!NAME.test(s.name)) throw new Error(`module ${m.name}: sitemap source name ${JSON.stringify(s.name)} must be lowercase words joined by '-'`);
      if (seen.has(s.name)) throw new Error(`module ${m.name}: a second sitemap source is named ${s.name}`);
      seen.add(s.name);
      sources.push(s);
    }
  }
  return sources;
}

export function installSitemap(app: FastifyInstance, p: Platform): void {
  const sources = sitemapSources(p);
  const base = p.config.publicUrl.replace(/\/$/, '');

  // Rendered on each request (crawlers ask rarely): the pages' data changes with publications,
  // but also with calendar imports, department and list edits that bump no cache generation.
  app.get('/sitemap.xml', { config: { permission: 'public', conditional: true }, schema: sitemapDoc }, async (req, reply) => {
    const parts: string[] = [];
    for (const s of sources) {
      const n = await s.count();
      for (let i = 0; i * SITEMAP_MAX_URLS < n; i++) parts.push(`<sitemap><loc>${xmlEscape(absoluteUrl(base, `/sitemap-${s.name}-${i + 1}.xml`))}</loc></sitemap>`);
    }
    return sendXml(req, reply, `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts.join('\n')}\n</sitemapindex>\n`);
  });

  app.get<{ Params: { part: string } }>('/sitemap-:part', { config: { permission: 'public', conditional: true }, schema: sitemapPartDoc }, async (req, reply) => {
    const m = /^([a-z0-9-]+)-(\d{1,6})\.xml$/.exec(req.params.part);
    const source = m ? sources.find((s) => s.name === m[1]) : undefined;
    const n = m ? Number(m[2]) : 0;
    if (!source || n < 1) throw notFound();
    const urls = await source.urls((n - 1) * SITEMAP_MAX_URLS, SITEMAP_MAX_URLS);
    if (!urls.length) throw notFound();
    const body = urls
      .map((u) => {
        const lastmod = shanghaiW3c(u.lastmod);
        return `<url><loc>${xmlEscape(absoluteUrl(base, u.path))}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
      })
      .join('\n');
    return sendXml(req, reply, `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`);
  });
}
