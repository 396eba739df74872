// The portal pages a gov.cn site has beside the catalog: 政策解读 (the column of interpretations,
// each with the policy it interprets), the 本级 (the government's own) 政府信息公开指南 with the
// departments' guides, 政府信息公开制度, 网站地图 and 联系我们. Cached by publication generation
// like the catalog's pages; the texts staff edit (console/portal.tsx) bump it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Pager, Dl, Empty, renderHtml, Zh, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { getSettings } from '../../../platform/settings/index.js';
import { intFrom } from '../../../platform/text.js';
import { catalogTypes, departments, toListItem, type ListItem } from '../service/queries.js';
import { CatalogTabs, fmtDate, TextBlocks } from '../views.js';
import { disclosureRulesKey, GOVERNMENT_GUIDE_KEY } from '../schema.js';
import { CATEGORIES } from '../../../platform/taxonomy/index.js';
import '../../../platform/publication/schema.js';

const HTML = 'text/html; charset=utf-8';
const key = (req: FastifyRequest) => `${req.url}|${req.locale}|${req.prefs.large ? 1 : 0}${req.prefs.contrast ? 1 : 0}${req.prefs.spacing ? 1 : 0}`;
const INTERP_COLUMNS = ['i.id', 'i.type', 'i.index_no', 'i.title', 'i.doc_no', 'i.department_id', 'i.topic', 'i.genre', 'i.category', 'i.written_at', 'i.first_published_at', 'i.published_at', 'i.effective_at', 'i.expires_at', 'i.validity', 'i.published_version', 'i.summary'] as const;

/**
 * Where a citizen asks for information online, once a module offers it (the disclosure-request
 * module registers this page); until then the guide names only letter and counter.
 */
export const REQUEST_FORM_PATH = '/disclosure-requests/new';
export const onlineRequests = (app: FastifyInstance) => app.hasRoute({ method: 'GET', url: REQUEST_FORM_PATH });

/** One page of public 政策解读 (genre 解读, or linked to a policy as its interpretation), newest first. */
async function interpretations(p: Platform, page: number, pageSize: number): Promise<{ total: number; items: { item: ListItem; policies: ListItem[] }[] }> {
  const base = p.db
    .selectFrom('pub_items as i')
    .where('i.public', '=', 1)
    .where((eb) => eb.or([eb('i.genre', '=', '解读'), eb('i.id', 'in', eb.selectFrom('pub_links').select('from_id').where('kind', '=', 'interprets'))]));
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base.select([...INTERP_COLUMNS]).orderBy('i.first_published_at', 'desc').orderBy('i.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const ids = rows.map((r) => r.id);
  const links = ids.length
    ? await p.db.selectFrom('pub_links as l').innerJoin('pub_items as i', 'i.id', 'l.to_id').select(['l.from_id', ...INTERP_COLUMNS]).where('l.kind', '=', 'interprets').where('l.from_id', 'in', ids).where('i.public', '=', 1).orderBy('i.id').execute()
    : [];
  const byId = new Map((await departments(p.db)).map((d) => [d.id, d]));
  return {
    total,
    items: rows.map((r) => ({ item: toListItem(r, byId.get(r.department_id)), policies: links.filter((l) => l.from_id === r.id).map((l) => toListItem(l, byId.get(l.department_id))) })),
  };
}

function InterpretationList({ c, items }: { c: PageCtx; items: { item: ListItem; policies: ListItem[] }[] }) {
  if (!items.length) return <Empty>{c.t('catalog.interpretations_none')}</Empty>;
  return (
    <ul class="doc-list interpretation-list">
      {items.map(({ item: x, policies }) => (
        <li>
          <a href={x.url} class="doc-title" lang={zhLang(c)}>{x.title}</a>
          <span class="doc-meta">
            <span lang={zhLang(c)}>{x.departmentName}</span>
            <time datetime={fmtDate(x.publishedAt)}>{fmtDate(x.publishedAt)}</time>
          </span>
          {policies.map((pol) => (
            <span class="interprets">
              {c.t('catalog.interprets_policy')}
              <a href={pol.url} lang={zhLang(c)}>{pol.title}</a>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

export async function portalPages(app: FastifyInstance, p: Platform): Promise<void> {
  // 政策解读: the column, each interpretation with the policy it interprets (the policy's page links back).
  app.get<{ Querystring: { page?: string } }>('/catalog/interpretations', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, key(req), async () => {
      const c = req.ctx(reply);
      const pageSize = 20;
      const page = Math.min(Math.max(intFrom(req.query.page) ?? 1, 1), 10_000);
      const r = await interpretations(p, page, pageSize);
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('catalog.interpretations')} description={c.t('catalog.meta.interpretations', { name: c.gov.name })}>
            <h1>{c.t('catalog.interpretations')}</h1>
            <CatalogTabs c={c} current="/catalog/interpretations" />
            <p>{c.t('catalog.interpretations_intro')}</p>
            <InterpretationList c={c} items={r.items} />
            <Pager c={c} page={page} pageSize={pageSize} total={r.total} href={(n) => `/catalog/interpretations?page=${n}`} />
          </PublicLayout>,
        ),
      };
    }),
  );

  // 政府信息公开指南 of the government itself (本级), then each department's.
  app.get('/catalog/disclosure-guide', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, key(req), async () => {
      const c = req.ctx(reply);
      const depts = (await departments(p.db)).filter((d) => d.active);
      const text = (await getSettings(p.db, [GOVERNMENT_GUIDE_KEY])).get(GOVERNMENT_GUIDE_KEY) ?? '';
      const counts = new Map((await p.db.selectFrom('pub_items').select(['category', (eb) => eb.fn.countAll<number>().as('n')]).where('public', '=', 1).where('type', 'in', catalogTypes()).groupBy('category').execute()).map((r) => [r.category, Number(r.n)]));
      const online = onlineRequests(app);
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('catalog.disclosure_guide')} description={c.t('catalog.meta.guide', { name: c.gov.name })}>
            <h1>
              <Zh c={c}>{c.gov.name}</Zh> {c.t('catalog.disclosure_guide')}
            </h1>
            <CatalogTabs c={c} current="/catalog/disclosure-guide" />
            <p>{c.t('catalog.disclosure_guide.gov_intro', { name: c.gov.name })}</p>
            <section aria-labelledby="g1">
              <h2 id="g1">{c.t('catalog.disclosure_guide.contact')}</h2>
              <Dl
                rows={[
                  [c.t('catalog.disclosure_guide.office'), <Zh c={c}>{c.gov.name}</Zh>],
                  [c.t('footer.address'), c.gov.address ? <Zh c={c}>{c.gov.address}</Zh> : '—'],
                  [c.t('footer.phone'), c.gov.phone || '—'],
                ]}
              />
            </section>
            <section aria-labelledby="g2">
              <h2 id="g2">{c.t('catalog.disclosure_guide.proactive')}</h2>
              <p>{c.t('catalog.disclosure_guide.proactive_text')}</p>
              <ul>
                {CATEGORIES.filter((k) => counts.get(k)).map((k) => (
                  <li>
                    <a href={`/catalog?category=${k}`}>{c.t(`cat.${k}`)}</a>（{counts.get(k)}）
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="g3">
              <h2 id="g3">{c.t('catalog.disclosure_guide.request')}</h2>
              <RequestText c={c} online={online} />
            </section>
            {text && (
              <section aria-labelledby="g4" class="disclosure-guide-text">
                <h2 id="g4">{c.t('catalog.disclosure_guide.more')}</h2>
                <div lang={zhLang(c)}>
                  <TextBlocks text={text} />
                </div>
              </section>
            )}
            <section aria-labelledby="g5">
              <h2 id="g5">{c.t('catalog.disclosure_guide.departments')}</h2>
              <ul class="tiles">
                {depts.map((d) => (
                  <li>
                    <a href={`/catalog/disclosure-guide/${d.code}`} lang={zhLang(c)}>{d.name}</a>
                  </li>
                ))}
              </ul>
            </section>
            <p>
              <a href="/catalog/disclosure-rules">{c.t('catalog.disclosure_rules')}</a>
            </p>
          </PublicLayout>,
        ),
      };
    }),
  );

  // 政府信息公开制度: the rules the government works by (its own text, else a default).
  app.get('/catalog/disclosure-rules', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, key(req), async () => {
      const c = req.ctx(reply);
      const own = (await getSettings(p.db, [disclosureRulesKey])).get(disclosureRulesKey);
      const custom = !!own;
      const text = own || c.t('catalog.disclosure_rules.default');
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('catalog.disclosure_rules')} description={c.t('catalog.meta.rules', { name: c.gov.name })}>
            <h1>
              <Zh c={c}>{c.gov.name}</Zh> {c.t('catalog.disclosure_rules')}
            </h1>
            <CatalogTabs c={c} current="/catalog/disclosure-rules" />
            <div class="disclosure-rules" lang={custom ? zhLang(c) : undefined}>
              <TextBlocks text={text} />
            </div>
          </PublicLayout>,
        ),
      };
    }),
  );

  // 联系我们: the government and every department's contact details.
  app.get('/contact', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, key(req), async () => {
      const c = req.ctx(reply);
      const depts = (await departments(p.db)).filter((d) => d.active);
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('portal.contact')} description={c.t('catalog.meta.contact', { name: c.gov.name })}>
            <h1>{c.t('portal.contact')}</h1>
            <section aria-labelledby="c-gov">
              <h2 id="c-gov" lang={zhLang(c)}>{c.gov.name}</h2>
              <Dl
                rows={[
                  [c.t('footer.address'), c.gov.address ? <Zh c={c}>{c.gov.address}</Zh> : '—'],
                  [c.t('footer.phone'), c.gov.phone || '—'],
                ]}
              />
            </section>
            <section aria-labelledby="c-depts">
              <h2 id="c-depts">{c.t('portal.contact_departments')}</h2>
              <ul class="contact-list">
                {depts.map((d) => (
                  <li>
                    <h3 lang={zhLang(c)}>{d.name}</h3>
                    <Dl
                      rows={[
                        [c.t('footer.phone'), d.phone || '—'],
                        [c.t('footer.address'), d.address ? <Zh c={c}>{d.address}</Zh> : '—'],
                        [c.t('catalog.disclosure_guide.hours'), d.officeHours ? <Zh c={c}>{d.officeHours}</Zh> : '—'],
                        ...(d.fax ? [[c.t('catalog.disclosure_guide.fax'), d.fax] as [string, string]] : []),
                        [c.t('catalog.disclosure_guide.email'), d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : '—'],
                      ]}
                    />
                  </li>
                ))}
              </ul>
            </section>
          </PublicLayout>,
        ),
      };
    }),
  );

  // 网站地图: every public section with its pages (the modules' nav), the guides and the site's services.
  app.get('/sitemap', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, key(req), async () => {
      const c = req.ctx(reply);
      const depts = (await departments(p.db)).filter((d) => d.active);
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('portal.sitemap')} description={c.t('catalog.meta.sitemap', { name: c.gov.name })}>
            <h1>{c.t('portal.sitemap')}</h1>
            <ul class="site-map">
              <li>
                <a href="/">{c.t('nav.home')}</a>
              </li>
              {c.publicNav.map((n) => (
                <li>
                  <a href={n.href}>{c.t(n.label)}</a>
                  {n.pages && n.pages.length > 0 && (
                    <ul>
                      {n.pages.map((pg) => (
                        <li>
                          <a href={pg.href}>{c.t(pg.label)}</a>
                          {pg.href === '/catalog/disclosure-guide' && (
                            <ul>
                              {depts.map((d) => (
                                <li>
                                  <a href={`/catalog/disclosure-guide/${d.code}`} lang={zhLang(c)}>{d.name}</a>
                                </li>
                              ))}
                            </ul>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
              <li>
                {c.t('footer.links')}
                <ul>
                  {c.searchPath && (
                    <li>
                      <a href={c.searchPath}>{c.t('search.button')}</a>
                    </li>
                  )}
                  {c.footerLinks.map((l) => (
                    <li>
                      <a href={l.href}>{c.t(l.label)}</a>
                    </li>
                  ))}
                </ul>
              </li>
            </ul>
          </PublicLayout>,
        ),
      };
    }),
  );
}

/** 依申请公开: how to ask. The online channel is named (and linked) only once it exists. */
export function RequestText({ c, online }: { c: PageCtx; online: boolean }) {
  return (
    <>
      <p>{c.t(online ? 'catalog.disclosure_guide.request_text_online' : 'catalog.disclosure_guide.request_text')}</p>
      {online && (
        <p>
          <a href={REQUEST_FORM_PATH}>{c.t('catalog.disclosure_guide.request_online')}</a>
        </p>
      )}
    </>
  );
}
