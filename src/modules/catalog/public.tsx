// The public portal of the disclosure catalog: 公开目录 with filters, item pages (metadata
// block, body, attachments, 政策解读, 历次版本 with SM3 hashes, print view, JSON-LD), 公开指南,
// 法定主动公开内容, sitemap. Every page is cached by publication generation with an ETag.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Platform } from '../../platform/platform.js';
import { PublicLayout, Pager, Dl, Notice, renderHtml, metaDescription, Zh, zhLang, type PageCtx } from '../../platform/render/index.js';
import { notFound } from '../../platform/errors.js';
import { cachedPublic } from '../../platform/publication/cache.js';
import { getSetting } from '../../platform/settings/index.js';
import { fileInfo, sendStoredFile } from '../../platform/files/index.js';
import { validateForm } from '../../platform/http/validation.js';
import { catalogTypes, departments, getPublic, inCatalog, listPublic, type PublicItem, type Filters } from './service/queries.js';
import { lastListChange } from '../../platform/publication/index.js';
import { listSource, type SitemapSource } from '../../platform/sitemap.js';
import { ListQuery, filtersOf } from './api.js';
import { CATALOG_SECTIONS, CatalogTabs, fmtDate, ItemBody, ItemList, movedTo, validityLabel } from './views.js';
import { onlineRequests, RequestText } from './public/portal.js';
import { CATEGORIES, GENRES, TOP_TOPICS, TOPICS, topicPath } from '../../platform/taxonomy/index.js';
import { disclosureGuideKey } from './schema.js';
import { shanghaiYear } from '../../platform/dates.js';
import { versionDoc } from './public/api-doc.js';

const HTML = 'text/html; charset=utf-8';
export const pageKey = (req: FastifyRequest) => `${req.url}|${req.locale}|${req.prefs.large ? 1 : 0}${req.prefs.contrast ? 1 : 0}${req.prefs.spacing ? 1 : 0}`;

export function feedLinks(c: PageCtx, f: Partial<Filters>, title: string) {
  const qs = new URLSearchParams(Object.entries({ department: f.department, topic: f.topic, q: f.q }).filter(([, v]) => v) as [string, string][]).toString();
  const sfx = qs ? `?${qs}` : '';
  return [
    { href: `/catalog/feed.atom${sfx}`, type: 'application/atom+xml', title: `${title} (Atom)` },
    { href: `/catalog/feed.rss${sfx}`, type: 'application/rss+xml', title: `${title} (RSS)` },
    { href: `/catalog/feed.json${sfx}`, type: 'application/feed+json', title: `${title} (JSON Feed)` },
  ];
}


function CatalogNav({ c, f, depts }: { c: PageCtx; f: Filters; depts: { code: string; name: string }[] }) {
  const year = shanghaiYear(new Date());
  return (
    <form method="get" action="/catalog" class="filters catalog-filters" aria-label={c.t('catalog.filter')}>
      <div class="field">
        <label for="f-q">{c.t('catalog.q')}</label>
        <input id="f-q" name="q" type="search" maxLength={100} value={f.q ?? ''} />
      </div>
      <div class="field">
        <label for="f-department">{c.t('catalog.department')}</label>
        <select id="f-department" name="department">
          <option value="">{c.t('catalog.all')}</option>
          {depts.map((d) => <option value={d.code} selected={f.department === d.code} lang={zhLang(c)}>{d.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="f-topic">{c.t('catalog.topic')}</label>
        <select id="f-topic" name="topic">
          <option value="">{c.t('catalog.all')}</option>
          {TOPICS.map((t) => <option value={t.code} selected={f.topic === t.code} lang={zhLang(c)}>{t.parent ? `— ${t.name}` : t.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="f-genre">{c.t('catalog.genre')}</label>
        <select id="f-genre" name="genre">
          <option value="">{c.t('catalog.all')}</option>
          {GENRES.map((g) => <option value={g} selected={f.genre === g} lang={zhLang(c)}>{g}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="f-year">{c.t('catalog.year')}</label>
        <select id="f-year" name="year">
          <option value="">{c.t('catalog.all')}</option>
          {Array.from({ length: 12 }, (_, i) => year - i).map((y) => <option value={y} selected={f.year === y}>{y}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="f-category">{c.t('catalog.category')}</label>
        <select id="f-category" name="category">
          <option value="">{c.t('catalog.all')}</option>
          {CATEGORIES.map((k) => <option value={k} selected={f.category === k}>{c.t(`cat.${k}`)}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="f-validity">{c.t('catalog.validity')}</label>
        <select id="f-validity" name="validity">
          <option value="">{c.t('catalog.all')}</option>
          {['valid', 'expired', 'repealed'].map((v) => <option value={v} selected={f.validity === v}>{validityLabel(c, v)}</option>)}
        </select>
      </div>
      <button type="submit">{c.t('common.filter')}</button>
    </form>
  );
}


function jsonLd(pi: PublicItem, base: string): string {
  const x = pi.item;
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'DigitalDocument',
    name: x.title,
    identifier: x.indexNo,
    url: `${base}${x.url}`,
    datePublished: fmtDate(x.publishedAt),
    dateCreated: fmtDate(x.writtenAt) || undefined,
    dateModified: fmtDate(x.updatedAt),
    expires: fmtDate(pi.version.meta.expiresAt) || undefined,
    inLanguage: 'zh-CN',
    genre: x.genre ?? undefined,
    about: topicPath(x.topic) || undefined,
    keywords: pi.version.meta.keywords.join(',') || undefined,
    abstract: pi.version.meta.summary || undefined,
    version: x.version,
    publisher: { '@type': 'GovernmentOrganization', name: x.departmentName },
  };
  return JSON.stringify(ld).replace(/</g, '\\u003c');
}


/** An item page's meta description: its summary (内容概述), else what it is, who published it and when. */
export function itemDescription(c: PageCtx, pi: PublicItem): string {
  const x = pi.item;
  return pi.version.meta.summary || c.t('catalog.meta.item', { department: x.departmentName, genre: x.genre || c.t('catalog.meta.document'), title: x.title, date: fmtDate(x.publishedAt) });
}

function WithdrawnPage({ c, pi }: { c: PageCtx; pi: PublicItem }) {
  return (
    <PublicLayout c={c} title={c.t('catalog.withdrawn_title')} description={c.t('catalog.meta.withdrawn')} canonical={null}>
      <h1>{c.t('catalog.withdrawn_title')}</h1>
      <Notice kind="warning">{c.t('catalog.withdrawn_notice', { date: fmtDate(pi.withdrawnAt), indexNo: pi.item.indexNo })}</Notice>
      <p>
        <a href="/catalog">{c.t('catalog.title_list')}</a>
      </p>
    </PublicLayout>
  );
}

function idParam(s: string): number {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
}

export async function catalogPublic(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, string> }>('/catalog', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const clean = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== ''));
      const v = validateForm(ListQuery, clean, req.locale);
      const q = v.ok ? v.value : {};
      const f = filtersOf(q);
      const page = q.page ?? 1;
      const pageSize = 20;
      const [r, depts] = await Promise.all([listPublic(p.db, f, { page, pageSize }), departments(p.db)]);
      const params = Object.fromEntries(Object.entries(f).filter(([, x]) => x != null && x !== '').map(([k, x]) => [k, String(x)]));
      const href = (n: number) => `/catalog?${new URLSearchParams({ ...params, page: String(n) })}`;
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('catalog.title_list')} description={c.t('catalog.meta.list', { name: c.gov.name })} feeds={feedLinks(c, f, c.t('catalog.feed_title'))}>
            <h1>{c.t('catalog.title_list')}</h1>
            <CatalogTabs c={c} current="/catalog" />
            {!v.ok && <Notice kind="error">{c.t('err.validation')}</Notice>}
            <div class="catalog-layout">
              <CatalogNav c={c} f={f} depts={depts.filter((d) => d.active)} />
              <section aria-labelledby="results-h">
                <h2 id="results-h">{c.t('catalog.results', { total: r.total })}</h2>
                <ItemList c={c} items={r.items} />
                <Pager c={c} page={page} pageSize={pageSize} total={r.total} href={href} />
                <p class="feeds">
                  {c.t('catalog.subscribe')}：<a href={feedLinks(c, f, '')[0].href}>Atom</a> · <a href={feedLinks(c, f, '')[1].href}>RSS</a> · <a href={feedLinks(c, f, '')[2].href}>JSON Feed</a>
                </p>
              </section>
            </div>
          </PublicLayout>,
        ),
      };
    }),
  );

  // The follow link, when the platform has subscriptions.
  const follow = p.modules.some((m) => m.name === 'subscriptions');
  app.get<{ Params: { id: string } }>('/catalog/items/:id', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const pi = await getPublic(p.db, idParam(req.params.id));
      if (!pi) throw notFound();
      const own = pi.item.url !== `/catalog/items/${pi.item.id}`;
      // Items of other sections (互动交流: appeals) are no catalog entries: their own page, or none.
      if (!inCatalog(pi.item.type)) {
        if (!own) throw notFound();
        return { status: 302, type: HTML, body: '', location: pi.item.url };
      }
      if (pi.status === 'withdrawn') return { status: 410, type: HTML, body: renderHtml(<WithdrawnPage c={c} pi={pi} />) };
      // Catalog items of other modules' types with a page of their own live there.
      if (own) return { status: 302, type: HTML, body: '', location: pi.item.url };
      const base = p.config.publicUrl ?? '';
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={pi.item.title} description={itemDescription(c, pi)} canonical={pi.item.url} feeds={feedLinks(c, { department: pi.item.department }, c.t('catalog.feed_dept', { name: pi.item.departmentName }))}>
            <nav class="breadcrumb" aria-label={c.t('catalog.breadcrumb')}>
              <a href="/catalog">{c.t('catalog.title_list')}</a> › <a href={`/catalog?department=${pi.item.department}`} lang={zhLang(c)}>{pi.item.departmentName}</a>
            </nav>
            <ItemBody c={c} pi={pi} />
            {follow && (
              <p class="follow">
                <a href={`/subscriptions?item=${pi.item.id}`}>{c.t('catalog.follow')}</a>
              </p>
            )}
            <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd(pi, base) }} />
          </PublicLayout>,
        ),
      };
    }),
  );

  app.get<{ Params: { id: string } }>('/catalog/items/:id/print', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const pi = await getPublic(p.db, idParam(req.params.id));
      if (!pi || pi.status !== 'public' || !inCatalog(pi.item.type)) throw notFound();
      return {
        type: HTML,
        body: renderHtml(
          <html lang={c.locale}>
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>{pi.item.title}</title>
              <meta name="description" content={metaDescription(itemDescription(c, pi))} />
              {/* The printable copy of the item page: search engines are sent to the page itself. */}
              <link rel="canonical" href={`${c.base}${pi.item.url}`} />
              <link rel="stylesheet" href="/static/site.css" />
            </head>
            <body class="print-view">
              <main id="main">
                <p class="print-gov" lang={zhLang(c)}>{c.gov.name}</p>
                <ItemBody c={c} pi={pi} preview />
                <p class="print-foot">
                  {c.t('catalog.hash')} (v{pi.item.version}, SM3): <code>{pi.item.hash}</code>
                </p>
              </main>
            </body>
          </html>,
        ),
      };
    }),
  );

  app.get<{ Params: { id: string; v: string } }>('/catalog/items/:id/versions/:v', { config: { permission: 'public' }, schema: versionDoc }, async (req, reply) => {
    const m = /^(\d{1,6})\.json$/.exec(req.params.v);
    if (!m) throw notFound();
    const id = idParam(req.params.id);
    const item = await p.db.selectFrom('pub_items').select(['public']).where('id', '=', id).executeTakeFirst();
    if (!item?.public) throw notFound();
    const v = await p.db.selectFrom('pub_versions').select(['canonical', 'hash']).where('item_id', '=', id).where('version', '=', Number(m[1])).where('canonical', 'is not', null).executeTakeFirst();
    if (!v) throw notFound();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="item-${id}-v${m[1]}.json"`)
      .header('x-content-sm3', v.hash!)
      .header('cache-control', 'public, max-age=86400, immutable')
      .send(v.canonical);
  });

  app.get<{ Params: { id: string; hash: string } }>('/catalog/items/:id/files/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const pi = await getPublic(p.db, idParam(req.params.id));
    const att = pi?.status === 'public' ? pi.data.attachments.find((a) => a.hash === req.params.hash) : undefined;
    const info = att ? await fileInfo(p.db, att.hash) : null;
    if (!att || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, att.name, info, 'public, max-age=86400, immutable');
  });

  // 政府信息公开指南 (disclosure guide, Art. 12): the government's own and the list of departments'
  // guides are in public/portal.tsx; a department's guide: its data plus the text its admin edits.
  // The guide's addresses before the glossary names: moved permanently (links and bookmarks
  // elsewhere keep working).
  app.get('/catalog/guide', { config: { permission: 'public' } }, async (req, reply) => reply.redirect(movedTo(req, '/catalog/disclosure-guide'), 301));
  app.get<{ Params: { code: string } }>('/catalog/guide/:code', { config: { permission: 'public' } }, async (req, reply) => reply.redirect(movedTo(req, `/catalog/disclosure-guide/${encodeURIComponent(req.params.code)}`), 301));

  app.get<{ Params: { code: string } }>('/catalog/disclosure-guide/:code', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const d = (await departments(p.db)).find((x) => x.code === req.params.code && x.active);
      if (!d) throw notFound();
      const text = (await getSetting(p.db, disclosureGuideKey(d.id))) ?? '';
      const counts = await p.db.selectFrom('pub_items').select(['category', (eb) => eb.fn.countAll<number>().as('n')]).where('public', '=', 1).where('type', 'in', catalogTypes()).where('department_id', '=', d.id).groupBy('category').execute();
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={`${d.name} ${c.t('catalog.disclosure_guide')}`} description={c.t('catalog.meta.guide_dept', { dept: d.name })} feeds={feedLinks(c, { department: d.code }, c.t('catalog.feed_dept', { name: d.name }))}>
            <h1>
              <Zh c={c}>{d.name}</Zh> {c.t('catalog.disclosure_guide')}
            </h1>
            <section aria-labelledby="g1">
              <h2 id="g1">{c.t('catalog.disclosure_guide.contact')}</h2>
              <Dl
                rows={[
                  [c.t('catalog.disclosure_guide.office'), <Zh c={c}>{d.name}</Zh>],
                  [c.t('footer.address'), <Zh c={c}>{d.address}</Zh>],
                  [c.t('catalog.disclosure_guide.hours'), <Zh c={c}>{d.officeHours}</Zh>],
                  [c.t('footer.phone'), d.phone],
                  [c.t('catalog.disclosure_guide.fax'), d.fax || '—'],
                  [c.t('catalog.disclosure_guide.email'), d.email],
                ]}
              />
            </section>
            <section aria-labelledby="g2">
              <h2 id="g2">{c.t('catalog.disclosure_guide.proactive')}</h2>
              <p>{c.t('catalog.disclosure_guide.proactive_text')}</p>
              <ul>
                {counts.map((r) => (
                  <li>
                    <a href={`/catalog?department=${d.code}&category=${r.category}`}>{c.t(`cat.${r.category}`)}</a>（{Number(r.n)}）
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="g3">
              <h2 id="g3">{c.t('catalog.disclosure_guide.request')}</h2>
              <RequestText c={c} online={onlineRequests(app)} />
            </section>
            {text && (
              <section aria-labelledby="g4" class="disclosure-guide-text">
                <h2 id="g4">{c.t('catalog.disclosure_guide.more')}</h2>
                {text.split(/\n+/).map((para) => <p lang={zhLang(c)}>{para}</p>)}
              </section>
            )}
            <p>
              <a href={`/catalog?department=${d.code}`}>{c.t('catalog.dept_catalog', { name: d.name })}</a>
            </p>
          </PublicLayout>,
        ),
      };
    }),
  );

  // 法定主动公开内容: the Art. 20/21 categories with their items.
  app.get('/catalog/statutory', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const counts = new Map((await p.db.selectFrom('pub_items').select(['category', (eb) => eb.fn.countAll<number>().as('n')]).where('public', '=', 1).where('type', 'in', catalogTypes()).groupBy('category').execute()).map((r) => [r.category, Number(r.n)]));
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('catalog.statutory')} description={c.t('catalog.meta.statutory', { name: c.gov.name })}>
            <h1>{c.t('catalog.statutory')}</h1>
            <CatalogTabs c={c} current="/catalog/statutory" />
            <p>{c.t('catalog.statutory_intro')}</p>
            <ol class="statutory">
              {CATEGORIES.map((k) => (
                <li>
                  <a href={`/catalog?category=${k}`}>{c.t(`cat.${k}`)}</a> <span class="count">（{counts.get(k) ?? 0}）</span>
                </li>
              ))}
            </ol>
            <h2>{c.t('catalog.by_topic')}</h2>
            <ul class="tiles">
              {TOP_TOPICS.map((t) => (
                <li>
                  <a href={`/catalog?topic=${t.code}`} lang={zhLang(c)}>{t.name}</a>
                </li>
              ))}
            </ul>
          </PublicLayout>,
        ),
      };
    }),
  );

}

/** The catalog's pages for the XML sitemap (platform/sitemap.ts); its items are the spine's. */
export function catalogSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('catalog-pages', async () => {
      const changed = await lastListChange(p.db, catalogTypes());
      const depts = (await departments(p.db)).filter((d) => d.active);
      return [
        ...CATALOG_SECTIONS.map((x) => ({ path: x.href, lastmod: x.href === '/catalog' || x.href === '/catalog/statutory' ? changed : null })),
        { path: '/contact' },
        { path: '/sitemap' },
        ...depts.map((d) => ({ path: `/catalog/disclosure-guide/${d.code}` })),
      ];
    }),
  ];
}

/** The home page section: the latest items. */
export async function catalogHome(p: Platform, c: PageCtx): Promise<VNode | null> {
  const r = await listPublic(p.db, {}, { page: 1, pageSize: 8, count: false });
  if (!r.items.length) return null;
  return (
    <section class="home-catalog" aria-labelledby="home-latest">
      <h2 id="home-latest">{c.t('catalog.latest')}</h2>
      <ItemList c={c} items={r.items} />
      <p>
        <a href="/catalog">{c.t('catalog.more')}</a> · <a href="/catalog/feed.atom">Atom</a> · <a href="/catalog/feed.rss">RSS</a>
      </p>
    </section>
  );
}
