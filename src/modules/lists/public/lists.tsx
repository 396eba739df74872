// Public pages: the lists by type, browsing one type with filters, a list with its editions, the
// diff between two editions, and the files that published service guides refer to.
import { LIST_EDITION } from '../items.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { Empty, Field, Pager, PublicLayout, Select, TableWrap, Zh, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { fileInfo, readStored } from '../../../platform/files/index.js';
import { intFrom } from '../../../platform/text.js';
import { listType, listTypes, type ListItem, type ListType } from '../service/engine.js';
import { diffEditions, getEdition, getList, getLists, listEditions, queryItems, requireType, type ListView } from '../service.js';
import { ChangeTables, deptNames, fmt, itemHref, Lead } from '../views.js';
import { shanghaiDate } from '../../../platform/dates.js';

const PAGE = 30;

/** The columns whose cells are labels in the page's language (the rest is the list's Chinese text). */
const TRANSLATED = new Set(['powerType', 'category', 'visits', 'promisedDays']);

function cell(c: PageCtx, lt: ListType, field: string, item: ListItem): string {
  const v = item[field];
  if (field === 'powerType') return c.t(`lists.powerType.${v}`);
  if (field === 'category') return c.t(`lists.category.${v}`);
  if (field === 'visits') return c.t(`lists.visits.${v}`);
  if (field === 'promisedDays') return c.t('lists.workdays', { n: Number(v) });
  if (field === 'measure' && typeof v === 'string' && v.length > 120) return v.slice(0, 118) + '…';
  void lt;
  return fmt(v);
}

export async function listPages(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- public: index -------------------------------------------------------------------------
  app.get('/lists', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const lists = await getLists(p.db);
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.title')} description={c.t('lists.intro')}>
        <h1>{c.t('lists.title')}</h1>
        <Lead>{c.t('lists.intro')}</Lead>
        <ul class="tiles">
          <li>
            <a href="/negative-lists/lookup">{c.t('lists.lookup_title')}</a>
          </li>
          <li>
            <a href="/policies/match">{c.t('lists.match_title')}</a>
          </li>
          <li>
            <a href="/lists/industries">{c.t('lists.industry.title')}</a>
          </li>
        </ul>
        {listTypes().map((lt) => (
          <section aria-labelledby={`t-${lt.type}`}>
            <h2 id={`t-${lt.type}`}>
              <a href={`/lists/${lt.type}`}>{c.t(lt.label)}</a>
            </h2>
            <ul class="list-lists">
              {lists
                .filter((l) => l.type === lt.type)
                .map((l) => (
                  <li>
                    <a href={`/lists/${l.type}/lists/${l.id}`} lang={zhLang(c)}>{l.title}</a> {l.currentEdition ? <span class="meta">{c.t('lists.edition_of', { n: l.currentEdition })}</span> : <span class="meta">{c.t('lists.not_published')}</span>}
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </PublicLayout>,
    );
  });

  // ---- public: browse one type ----------------------------------------------------------------
  // "Subscribe to new editions", when the platform has subscriptions.
  const subscribable = p.modules.some((m) => m.name === 'subscriptions');
  app.get<{ Params: { type: string }; Querystring: Record<string, string | undefined> }>('/lists/:type', { config: { permission: 'public' } }, async (req, reply) => {
    const lt = listType(req.params.type);
    if (!lt) throw notFound();
    const c = req.ctx(reply);
    const qs = req.query;
    const q = (qs.q ?? '').slice(0, 100);
    const department = (qs.department ?? '').slice(0, 32);
    const page = Math.max(1, Math.min(10000, Number(qs.page) || 1));
    const filterVals: Record<string, string> = {};
    for (const f of lt.filters) {
      const v = (qs[f.field] ?? '').slice(0, 40);
      if (f.options.some((o) => o.value === v)) filterVals[f.field] = v;
    }
    const list = (intFrom(qs.list) ?? 0) > 0 ? intFrom(qs.list)! : undefined;
    const res = await queryItems(p.db, lt.type, { q, department: department || undefined, powerType: filterVals.powerType, category: filterVals.category, applicant: filterVals.applicant, list, page, pageSize: PAGE });
    const names = await deptNames(p);
    const lists = await getLists(p.db, lt.type);
    const href = (n: number) => `/lists/${lt.type}?${new URLSearchParams({ q, department, ...filterVals, ...(list ? { list: String(list) } : {}), page: String(n) })}`;
    return reply.html(
      <PublicLayout c={c} title={c.t(lt.label)} description={c.t('lists.meta.type', { type: c.t(lt.label), name: c.gov.name })}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t(lt.label)}</h1>
        <form method="get" class="filters" role="search" aria-label={c.t('lists.filter')}>
          <Field label={c.t('lists.q')} name="q" value={q} maxLength={100} />
          {lt.scope === 'department' && <Select label={c.t('lists.department')} name="department" value={department} blank={c.t('lists.all')} options={lists.map((l) => ({ value: l.department, label: l.departmentName }))} />}
          {lt.filters.map((f) => (
            <Select label={c.t(f.label)} name={f.field} value={filterVals[f.field] ?? ''} blank={c.t('lists.all')} options={f.options.map((o) => ({ value: o.value, label: c.t(o.label) }))} />
          ))}
          <button type="submit">{c.t('lists.filter')}</button>
        </form>
        <p class="meta" role="status">{c.t('lists.total', { n: res.total })}</p>
        {subscribable && (
          <p class="follow">
            <a href={`/subscriptions?${new URLSearchParams({ type: LIST_EDITION, 'x.list': lt.type })}`}>{c.t('lists.subscribe', { type: c.t(lt.label) })}</a>
          </p>
        )}
        {res.items.length === 0 ? (
          <Empty>{c.t('lists.no_items')}</Empty>
        ) : (
          <TableWrap label={c.t(lt.label)}>
            <table class="data list-table">
              <thead>
                <tr>
                  {lt.columns.map((col) => (
                    <th scope="col">{c.t(col.label)}</th>
                  ))}
                  {lt.scope === 'department' && <th scope="col">{c.t('lists.department')}</th>}
                </tr>
              </thead>
              <tbody>
                {res.items.map((i) => (
                  <tr>
                    {lt.columns.map((col) => (
                      <td lang={TRANSLATED.has(col.field) ? undefined : zhLang(c)}>{col.field === lt.name || (col.field === lt.key && !lt.columns.some((x) => x.field === lt.name)) ? <a href={itemHref(lt.type, i.key, i.list)}>{cell(c, lt, col.field, i.data)}</a> : cell(c, lt, col.field, i.data)}</td>
                    ))}
                    {lt.scope === 'department' && <td lang={zhLang(c)}>{names.get(i.department ?? '') ?? i.department}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={PAGE} total={res.total} href={href} />
      </PublicLayout>,
    );
  });

  // ---- public: a list with its editions; diff between two editions ------------------------------
  async function listPage(req: FastifyRequest, reply: FastifyReply, list: ListView, diff: { a: number; b: number } | null) {
    const c = req.ctx(reply);
    const lt = requireType(list.type);
    const eds = await listEditions(p.db, list.id);
    let d: Awaited<ReturnType<typeof diffEditions>> | null = null;
    if (diff) d = await diffEditions(p.db, list.type, diff.a, diff.b);
    const opts = eds.map((e) => ({ value: e.id, label: `${c.t('lists.edition_of', { n: e.number })} · ${shanghaiDate(e.publishedAt)} · ${e.docNo}` }));
    const base = `/lists/${list.type}/lists/${list.id}`;
    return reply.html(
      <PublicLayout c={c} title={d ? `${list.title} · ${c.t('lists.diff_title')}` : list.title} description={c.t('lists.meta.list', { title: list.title, dept: list.departmentName })}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a> › <a href={`/lists/${lt.type}`}>{c.t(lt.label)}</a>
          {d && (
            <>
              {' '}
              › <a href={base} lang={zhLang(c)}>{list.title}</a>
            </>
          )}
        </nav>
        <h1>{d ? c.t('lists.diff_heading', { title: list.title, a: d.from.number, b: d.to.number }) : <Zh c={c}>{list.title}</Zh>}</h1>
        {!d && (
          <>
            <p>
              {list.scope === 'government' ? c.t('lists.kept_by_gov', { dept: list.departmentName }) : c.t('lists.kept_by', { dept: list.departmentName })}
              {list.currentEdition && (
                <>
                  {' '}
                  · <a href={`/lists/${lt.type}?list=${list.id}`}>{c.t('lists.browse_items')}</a> · <a href={`/api/v1/lists/${lt.type}/lists/${list.id}/export?format=csv`}>CSV</a> · <a href={`/api/v1/lists/${lt.type}/lists/${list.id}/export?format=xlsx`}>XLSX</a>
                </>
              )}
            </p>
            <h2>{c.t('lists.editions')}</h2>
            {eds.length === 0 ? (
              <Empty>{c.t('lists.not_published')}</Empty>
            ) : (
              <TableWrap label={c.t('lists.editions')}>
                <table class="data editions">
                  <thead>
                    <tr>
                      <th scope="col">{c.t('lists.edition')}</th>
                      <th scope="col">{c.t('lists.published_at')}</th>
                      <th scope="col">{c.t('lists.docNo')}</th>
                      <th scope="col">{c.t('lists.indexNo')}</th>
                      <th scope="col">{c.t('lists.reason')}</th>
                      <th scope="col">{c.t('lists.changes')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {eds.map((e, i) => (
                      <tr>
                        <td>
                          {c.t('lists.edition_of', { n: e.number })}
                          {e.number === list.currentEdition && <span class="badge">{c.t('lists.current')}</span>}
                        </td>
                        <td>{shanghaiDate(e.publishedAt)}</td>
                        <td lang={zhLang(c)}>{e.docNo}</td>
                        <td>{e.pubItemId ? <a href={`/catalog/items/${e.pubItemId}`}>{e.indexNo}</a> : ''}</td>
                        <td lang={zhLang(c)}>{e.reason}</td>
                        <td>
                          {e.number === 1 ? c.t('lists.item_count', { n: e.counts.items }) : c.t('lists.change_summary', e.counts)}
                          {eds[i + 1] && (
                            <>
                              {' '}
                              <a href={`${base}/diff?a=${eds[i + 1].id}&b=${e.id}`}>{c.t('lists.view_diff')}</a>
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </>
        )}
        {eds.length >= 2 && (
          <form method="get" action={`${base}/diff`} class="filters diff-form" aria-label={c.t('lists.compare')}>
            <Select label={c.t('lists.from_edition')} name="a" value={d?.from.id ?? eds[eds.length - 1].id} options={opts} />
            <Select label={c.t('lists.to_edition')} name="b" value={d?.to.id ?? eds[0].id} options={opts} />
            <button type="submit">{c.t('lists.compare')}</button>
          </form>
        )}
        {d && (
          <>
            <p class="meta">
              {c.t('lists.diff_between', { a: d.from.number, b: d.to.number })} · {c.t('lists.docNo')}：{d.to.docNo} · {c.t('lists.reason')}：{d.to.reason}
            </p>
            <ChangeTables c={c} lt={lt} changes={d.changes} list={list.id} />
          </>
        )}
      </PublicLayout>,
    );
  }

  app.get<{ Params: { type: string; id: string } }>('/lists/:type/lists/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id));
    if (!list || list.type !== req.params.type) throw notFound();
    return listPage(req, reply, list, null);
  });

  app.get<{ Params: { type: string; id: string }; Querystring: { a?: string; b?: string } }>('/lists/:type/lists/:id/diff', { config: { permission: 'public' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id));
    if (!list || list.type !== req.params.type) throw notFound();
    const a = intFrom(req.query.a) ?? 0;
    const b = intFrom(req.query.b) ?? 0;
    if (!(a > 0) || !(b > 0)) throw notFound();
    const ea = await getEdition(p.db, a);
    if (!ea || ea.listId !== list.id) throw notFound();
    return listPage(req, reply, list, { a, b });
  });

  app.get<{ Params: { id: string } }>('/lists/published/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const id = Number(req.params.id);
    const e = Number.isSafeInteger(id) && id > 0 ? await p.db.selectFrom('list_editions').innerJoin('lists', 'lists.id', 'list_editions.list_id').select(['lists.id', 'lists.type']).where('list_editions.pub_item_id', '=', id).executeTakeFirst() : null;
    if (!e) throw notFound();
    // The editions' earlier address: their page is now their catalog entry (ADR 0008).
    return reply.redirect(`/catalog/items/${id}`, 301);
  });

  app.get<{ Params: { hash: string } }>('/lists/files/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const hash = req.params.hash;
    const info = await fileInfo(p.db, hash);
    // Only files that a published service guide refers to.
    const used = info && (await p.db.selectFrom('list_items').select('id').where('type', '=', 'service-guide').where('data', 'like', `%${hash}%`).executeTakeFirst());
    if (!info || !used) throw notFound();
    return reply.header('content-type', info.mime).header('content-disposition', `attachment; filename="${hash.slice(0, 12)}.${info.ext}"`).header('x-content-type-options', 'nosniff').send(readStored(p.config.dataDir, hash));
  });
}
