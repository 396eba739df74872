// Public pages (browse with filters, item with history, editions, diff, printable guide, 好差评,
// negative-list lookup, policy matching) and console pages (import, approval, follow-ups, tags).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Platform } from '../../platform/platform.js';
import { can, scopeOf } from '../../platform/auth/policy.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice, Pager, PublicLayout, Select, type PageCtx } from '../../platform/render/index.js';
import { fileInfo, readStored } from '../../platform/files/index.js';
import { listType, listTypes, type Changes, type ListItem, type ListType } from './engine.js';
import { approveEdition, diffEditions, draftEdition, ensureList, getEdition, getList, getLists, importEdition, itemHistory, listEditions, queryItems, rejectEdition, requireType, type EditionView, type HistoryEntry, type ImportReport, type ListView } from './service.js';
import { lookup, currentItems } from './lookup.js';
import type { Limiter } from '../../platform/http/limit.js';
import { intFrom } from '../../platform/text.js';
import { matchPolicies, setTags, getTags, subscribe, QUALIFICATIONS, SIZES, SUBSIDY_TYPES, type BusinessProfile, type PolicyMatch } from './policies.js';
import { listFollowups, rate, ratingSummary, recordFollowup } from './ratings.js';
import { RATINGS, ratingLabel } from '../../platform/ratings.js';

const PAGE = 30;

function localizeFields(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof HttpError && err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)]));
  if (err instanceof HttpError && err.status < 500) return { _: req.t(err.message) };
  return null;
}

async function deptNames(p: Platform): Promise<Map<string, string>> {
  return new Map((await p.db.selectFrom('departments').select(['code', 'name']).execute()).map((d) => [d.code, d.name]));
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const fmt = (v: unknown): string => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('；') : typeof v === 'object' ? JSON.stringify(v) : String(v));

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

function fieldLabel(c: PageCtx, field: string, lt?: ListType): string {
  const col = lt?.columns.find((x) => x.field === field);
  if (col) return c.t(col.label);
  const k = `lists.f.${field}`;
  const s = c.t(k);
  return s === k ? field : s;
}

function itemHref(type: string, key: string, list: number) {
  return `/lists/${type}/items/${encodeURIComponent(key)}?list=${list}`;
}

function ChangeTables({ c, lt, changes, list }: { c: PageCtx; lt: ListType; changes: Changes; list: number }) {
  const nameOf = (i: ListItem) => str(i[lt.name]).slice(0, 80);
  return (
    <div class="list-diff">
      <p class="diff-summary">{c.t('lists.change_summary', { added: changes.added.length, removed: changes.removed.length, changed: changes.changed.length })}</p>
      <section aria-labelledby="diff-added">
        <h2 id="diff-added">{c.t('lists.added')}（{changes.added.length}）</h2>
        {changes.added.length === 0 ? (
          <p>{c.t('lists.none')}</p>
        ) : (
          <ul class="diff-added">
            {changes.added.map((a) => (
              <li>
                <ins>
                  <a href={itemHref(lt.type, a.key, list)}>{a.key}</a> {nameOf(a.item)}
                </ins>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="diff-removed">
        <h2 id="diff-removed">{c.t('lists.removed')}（{changes.removed.length}）</h2>
        {changes.removed.length === 0 ? (
          <p>{c.t('lists.none')}</p>
        ) : (
          <ul class="diff-removed">
            {changes.removed.map((a) => (
              <li>
                <del>
                  {a.key} {nameOf(a.item)}
                </del>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="diff-changed">
        <h2 id="diff-changed">{c.t('lists.changed')}（{changes.changed.length}）</h2>
        {changes.changed.length === 0 && <p>{c.t('lists.none')}</p>}
        {changes.changed.map((ch) => (
          <div class="table-wrap diff-changed">
            <table class="data">
              <caption>
                <a href={itemHref(lt.type, ch.key, list)}>{ch.key}</a>
              </caption>
              <thead>
                <tr>
                  <th scope="col">{c.t('lists.field')}</th>
                  <th scope="col">{c.t('lists.before')}</th>
                  <th scope="col">{c.t('lists.after')}</th>
                </tr>
              </thead>
              <tbody>
                {ch.fields.map((f) => (
                  <tr>
                    <th scope="row">{fieldLabel(c, f.field, lt)}</th>
                    <td>
                      <del>{fmt(f.from)}</del>
                    </td>
                    <td>
                      <ins>{fmt(f.to)}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
    </div>
  );
}

function HistoryTable({ c, history, lt }: { c: PageCtx; history: HistoryEntry[]; lt: ListType }) {
  return (
    <div class="table-wrap">
      <table class="data history">
        <caption>{c.t('lists.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{c.t('lists.edition')}</th>
            <th scope="col">{c.t('lists.published_at')}</th>
            <th scope="col">{c.t('lists.docNo')}</th>
            <th scope="col">{c.t('lists.event')}</th>
            <th scope="col">{c.t('lists.changed_fields')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr>
              <td>{c.t('lists.edition_of', { n: h.edition })}</td>
              <td>{(h.publishedAt ?? '').slice(0, 10)}</td>
              <td>{h.docNo}</td>
              <td>{c.t(`lists.event.${h.event}`)}</td>
              <td>
                {h.fields.map((f) => (
                  <div>
                    {fieldLabel(c, f.field, lt)}：<del>{fmt(f.from)}</del> → <ins>{fmt(f.to)}</ins>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportView({ c, report }: { c: PageCtx; report: ImportReport }) {
  return (
    <section aria-labelledby="import-report" class="import-report">
      <h2 id="import-report">{c.t('lists.import_report')}</h2>
      {report.problems.length ? (
        <>
          <Notice kind="error">{c.t('lists.import_failed', { n: report.problems.length })}</Notice>
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('lists.row')}</th>
                  <th scope="col">{c.t('lists.field')}</th>
                  <th scope="col">{c.t('lists.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.slice(0, 500).map((pr) => (
                  <tr>
                    <td>{pr.row}</td>
                    <td>{pr.field}</td>
                    <td>{c.t(pr.problem)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <Notice kind="success">
          {report.dryRun ? c.t('lists.import_dry_ok', { rows: report.rows }) : c.t('lists.import_ok', { rows: report.rows })} {report.changes && c.t('lists.change_summary', report.changes)}
        </Notice>
      )}
    </section>
  );
}

function Lead({ children }: { children: ComponentChildren }) {
  return <p class="lead">{children}</p>;
}

/** writeLimit: the per-address budget of the public writes (module.ts). */
export async function listsPages(app: FastifyInstance, p: Platform, writeLimit: Limiter): Promise<void> {
  // ---- public: index -------------------------------------------------------------------------
  app.get('/lists', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const lists = await getLists(p.db);
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.title')}>
        <h1>{c.t('lists.title')}</h1>
        <Lead>{c.t('lists.intro')}</Lead>
        <ul class="tiles">
          <li>
            <a href="/negative-lists/lookup">{c.t('lists.lookup_title')}</a>
          </li>
          <li>
            <a href="/policies/match">{c.t('lists.match_title')}</a>
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
                    <a href={`/lists/${l.type}/lists/${l.id}`}>{l.title}</a> {l.currentEdition ? <span class="meta">{c.t('lists.edition_of', { n: l.currentEdition })}</span> : <span class="meta">{c.t('lists.not_published')}</span>}
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </PublicLayout>,
    );
  });

  // ---- public: browse one type ----------------------------------------------------------------
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
      <PublicLayout c={c} title={c.t(lt.label)}>
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
        {res.items.length === 0 ? (
          <Empty>{c.t('lists.no_items')}</Empty>
        ) : (
          <div class="table-wrap">
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
                      <td>{col.field === lt.name || (col.field === lt.key && !lt.columns.some((x) => x.field === lt.name)) ? <a href={itemHref(lt.type, i.key, i.list)}>{cell(c, lt, col.field, i.data)}</a> : cell(c, lt, col.field, i.data)}</td>
                    ))}
                    {lt.scope === 'department' && <td>{names.get(i.department ?? '') ?? i.department}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager c={c} page={page} pageSize={PAGE} total={res.total} href={href} />
      </PublicLayout>,
    );
  });

  // ---- public: one item with its history; service guides with rating --------------------------
  async function findItem(type: string, key: string, listQ: string | undefined) {
    const lt = requireType(type);
    let listId = (intFrom(listQ) ?? 0) > 0 ? intFrom(listQ) : null;
    if (!listId) listId = (await p.db.selectFrom('list_items').select('list_id').where('type', '=', type).where('item_key', '=', key).orderBy('id', 'desc').executeTakeFirst())?.list_id ?? null;
    const list = listId ? await getList(p.db, listId) : null;
    if (!list || list.type !== type) throw notFound();
    const history = await itemHistory(p.db, list.id, key);
    if (!history.length) throw notFound();
    const last = history[history.length - 1];
    const item = [...history].reverse().find((h) => h.item)?.item ?? null;
    if (!item) throw notFound();
    return { lt, list, history, item, current: last.event !== 'removed' && last.edition === list.currentEdition };
  }

  async function linksFor(lt: ListType, item: ListItem): Promise<{ label: string; href: string }[]> {
    if (lt.type === 'power' && item.powerType === 'licensing') {
      const guides = (await currentItems(p.db, 'service-guide')).filter((g) => g.data.powerCode === item.code);
      return guides.map((g) => ({ label: g.name, href: `/lists/service-guide/items/${encodeURIComponent(g.key)}` }));
    }
    if (lt.type === 'service-guide' && item.powerCode) {
      const power = (await currentItems(p.db, 'power', [String(item.powerCode)]))[0];
      return power ? [{ label: `${power.key} ${power.name}`, href: `/lists/power/items/${encodeURIComponent(power.key)}` }] : [];
    }
    if (lt.type === 'market-access') {
      const codes = (item.serviceGuides as string[]) ?? [];
      return (await currentItems(p.db, 'service-guide', codes)).map((g) => ({ label: g.name, href: `/lists/service-guide/items/${encodeURIComponent(g.key)}` }));
    }
    return [];
  }

  async function itemPage(req: FastifyRequest<{ Params: { type: string; key: string }; Querystring: { list?: string; rated?: string } }>, reply: FastifyReply, form?: { fields?: Record<string, string>; values?: Record<string, string> }, status = 200) {
    const { lt, list, history, item, current } = await findItem(req.params.type, req.params.key, req.query.list);
    const c = req.ctx(reply);
    const names = await deptNames(p);
    const links = await linksFor(lt, item);
    const title = str(item[lt.name]) || req.params.key;
    const guide = lt.type === 'service-guide';
    const summary = guide ? await ratingSummary(p.db, req.params.key) : null;
    const v = form?.values ?? {};
    return reply.html(
      <PublicLayout c={c} title={title.slice(0, 60)}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a> › <a href={`/lists/${lt.type}`}>{c.t(lt.label)}</a> › <a href={`/lists/${lt.type}/lists/${list.id}`}>{list.title}</a>
        </nav>
        <h1>{title}</h1>
        {!current && <Notice kind="warning">{c.t('lists.item_removed')}</Notice>}
        {req.query.rated && <Notice kind="success">{c.t(req.query.rated === 'followup' ? 'lists.rated_followup' : 'lists.rated')}</Notice>}
        {guide && (
          <p class="actions">
            <a class="button" href={`/lists/service-guide/items/${encodeURIComponent(req.params.key)}/print`}>{c.t('lists.print')}</a>
          </p>
        )}
        {lt.render(c, item, { links, departmentName: (code) => names.get(code) ?? code })}
        <HistoryTable c={c} history={history} lt={lt} />
        {guide && summary && current && (
          <section aria-labelledby="rating" class="rating">
            <h2 id="rating">{c.t('lists.rating_title')}</h2>
            <p>{summary.total ? c.t('lists.rating_summary', { total: summary.total, rate: String(summary.satisfied) }) : c.t('lists.rating_none')}</p>
            <ErrorSummary c={c} fields={form?.fields} />
            <form method="post" action={`/lists/service-guide/items/${encodeURIComponent(req.params.key)}/rate`} class="stack">
              <Csrf c={c} />
              <fieldset>
                <legend>{c.t('lists.rating_level')}</legend>
                {RATINGS.map((l) => (
                  <label class="radio">
                    <input type="radio" name="level" value={l} required checked={v.level === l} /> {c.t(ratingLabel(l))}
                  </label>
                ))}
              </fieldset>
              <Field label={c.t('lists.rating_comment')} name="comment" value={v.comment} multiline rows={3} maxLength={500} error={form?.fields?.comment} />
              <label class="checkbox">
                <input type="checkbox" name="realName" value="1" checked={v.realName === '1'} /> {c.t('lists.rating_real_name')}
              </label>
              <Field label={c.t('lists.rating_name')} name="name" value={v.name} maxLength={50} autocomplete="name" error={form?.fields?.name} />
              <Field label={c.t('lists.rating_phone')} name="phone" value={v.phone} maxLength={20} type="tel" autocomplete="tel" error={form?.fields?.phone} hint={c.t('lists.rating_phone_hint')} />
              <button type="submit" class="primary">{c.t('lists.rating_submit')}</button>
            </form>
          </section>
        )}
      </PublicLayout>,
      status,
    );
  }

  app.get<{ Params: { type: string; key: string }; Querystring: { list?: string; rated?: string } }>('/lists/:type/items/:key', { config: { permission: 'public' } }, (req, reply) => itemPage(req, reply));

  app.post<{ Params: { type: string; key: string }; Querystring: { list?: string }; Body: Record<string, string> }>('/lists/service-guide/items/:key/rate', { config: { permission: 'public' }, preHandler: writeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const values = { level: str(b.level), comment: str(b.comment).slice(0, 600), realName: b.realName === '1' ? '1' : '', name: str(b.name).slice(0, 60), phone: str(b.phone).slice(0, 30) };
    try {
      const r = await rate(p, req.params.key, { level: values.level, comment: values.comment, realName: values.realName === '1', name: values.name, phone: values.phone });
      return reply.redirect(`/lists/service-guide/items/${encodeURIComponent(req.params.key)}?rated=${r.followup ? 'followup' : '1'}`, 303);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      (req.params as any).type = 'service-guide';
      return itemPage(req as any, reply, { fields, values }, 400);
    }
  });

  app.get<{ Params: { key: string } }>('/lists/service-guide/items/:key/print', { config: { permission: 'public' } }, async (req, reply) => {
    const { lt, item, current } = await findItem('service-guide', req.params.key, undefined);
    if (!current) throw notFound();
    const c = req.ctx(reply);
    const names = await deptNames(p);
    const links = await linksFor(lt, item);
    return reply.html(
      <html lang={c.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${str(item.name)} · ${c.t('lists.type.service-guide')}`}</title>
          <link rel="stylesheet" href="/static/site.css" />
        </head>
        <body class="print-guide">
          <main id="main">
            <h1>{str(item.name)}</h1>
            <p class="meta">
              {c.gov.name} · {names.get(str(item.department)) ?? str(item.department)} · {c.t('lists.printed_at', { date: new Date().toISOString().slice(0, 10) })}
            </p>
            {lt.render(c, item, { links, departmentName: (code) => names.get(code) ?? code })}
            <p class="no-print">
              <a href={`/lists/service-guide/items/${encodeURIComponent(req.params.key)}`}>{c.t('lists.back')}</a>
            </p>
          </main>
        </body>
      </html>,
    );
  });

  // ---- public: a list with its editions; diff between two editions ------------------------------
  async function listPage(req: FastifyRequest, reply: FastifyReply, list: ListView, diff: { a: number; b: number } | null) {
    const c = req.ctx(reply);
    const lt = requireType(list.type);
    const eds = await listEditions(p.db, list.id);
    let d: Awaited<ReturnType<typeof diffEditions>> | null = null;
    if (diff) d = await diffEditions(p.db, list.type, diff.a, diff.b);
    const opts = eds.map((e) => ({ value: e.id, label: `${c.t('lists.edition_of', { n: e.number })} · ${(e.publishedAt ?? '').slice(0, 10)} · ${e.docNo}` }));
    const base = `/lists/${list.type}/lists/${list.id}`;
    return reply.html(
      <PublicLayout c={c} title={d ? `${list.title} · ${c.t('lists.diff_title')}` : list.title}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a> › <a href={`/lists/${lt.type}`}>{c.t(lt.label)}</a>
          {d && (
            <>
              {' '}
              › <a href={base}>{list.title}</a>
            </>
          )}
        </nav>
        <h1>{d ? c.t('lists.diff_heading', { title: list.title, a: d.from.number, b: d.to.number }) : list.title}</h1>
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
              <div class="table-wrap">
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
                        <td>{(e.publishedAt ?? '').slice(0, 10)}</td>
                        <td>{e.docNo}</td>
                        <td>{e.pubItemId ? <a href={`/catalog/items/${e.pubItemId}`}>{e.indexNo}</a> : ''}</td>
                        <td>{e.reason}</td>
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
              </div>
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
    return reply.redirect(`/lists/${e.type}/lists/${e.id}`, 301);
  });

  app.get<{ Params: { hash: string } }>('/lists/files/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const hash = req.params.hash;
    const info = await fileInfo(p.db, hash);
    // Only files that a published service guide refers to.
    const used = info && (await p.db.selectFrom('list_items').select('id').where('type', '=', 'service-guide').where('data', 'like', `%${hash}%`).executeTakeFirst());
    if (!info || !used) throw notFound();
    return reply.header('content-type', info.mime).header('content-disposition', `attachment; filename="${hash.slice(0, 12)}.${info.ext}"`).header('x-content-type-options', 'nosniff').send(readStored(p.config.dataDir, hash));
  });

  // ---- public: negative-list lookup -------------------------------------------------------------
  app.get<{ Querystring: { q?: string } }>('/negative-lists/lookup', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = (req.query.q ?? '').slice(0, 100);
    const res = q.trim() ? await lookup(p.db, q) : null;
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.lookup_title')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t('lists.lookup_title')}</h1>
        <Lead>{c.t('lists.lookup_intro')}</Lead>
        <form method="get" class="filters" role="search">
          <Field label={c.t('lists.lookup_q')} name="q" value={q} maxLength={100} required hint={c.t('lists.lookup_hint')} />
          <button type="submit" class="primary">{c.t('lists.lookup_button')}</button>
        </form>
        {res && (
          <section aria-labelledby="lookup-results" aria-live="polite">
            <h2 id="lookup-results">{c.t('lists.lookup_results', { q: res.query })}</h2>
            <ul class="lookup-results">
              {res.results.map((r) => (
                <li class={`lookup ${r.category}`}>
                  <p>
                    <span class={`badge ${r.category}`}>{c.t(`lists.answer.${r.category}${r.restricted ? '_restricted' : ''}`)}</span> <strong>{c.t(`lists.type.${r.list}`)}</strong>
                    {r.code && (
                      <>
                        {' '}
                        · {c.t('lists.f.code')} <a href={itemHref(r.list, r.code, 0).replace('?list=0', '')}>{r.code}</a>
                      </>
                    )}
                  </p>
                  {r.category === 'not-listed' ? (
                    <p>{c.t(`lists.not_listed.${r.list}`)}</p>
                  ) : (
                    <dl class="meta">
                      {r.name && (
                        <>
                          <dt>{r.list === 'market-access' ? c.t('lists.f.maName') : c.t('lists.f.heading')}</dt>
                          <dd>{r.name}</dd>
                        </>
                      )}
                      <dt>{c.t('lists.f.measures')}</dt>
                      <dd class="pre">{r.measure}</dd>
                      {r.authority && (
                        <>
                          <dt>{c.t('lists.f.authority')}</dt>
                          <dd>{r.authority}</dd>
                        </>
                      )}
                      {r.localMeasures && (
                        <>
                          <dt>{c.t('lists.f.localMeasures')}</dt>
                          <dd>{r.localMeasures}</dd>
                        </>
                      )}
                      {r.serviceGuides && r.serviceGuides.length > 0 && (
                        <>
                          <dt>{c.t('lists.linked_guides')}</dt>
                          <dd>
                            {r.serviceGuides.map((g) => (
                              <a href={g.url}>{g.name} </a>
                            ))}
                          </dd>
                        </>
                      )}
                    </dl>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </PublicLayout>,
    );
  });

  // ---- public: policy matching and subscription ---------------------------------------------------
  async function matchPage(req: FastifyRequest, reply: FastifyReply, profile: BusinessProfile | null, results: PolicyMatch[] | null, fields: Record<string, string> | undefined, note?: string, status = 200) {
    const c = req.ctx(reply);
    const subs = await p.db.selectFrom('departments').select(['code', 'name']).where('kind', '=', 'subdistrict').orderBy('sort').execute();
    const pr = profile ?? { industry: '', size: '', location: '', qualifications: [] };
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.match_title')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t('lists.match_title')}</h1>
        <Lead>{c.t('lists.match_intro')}</Lead>
        {note && <Notice kind="success">{note}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="get" action="/policies/match" class="stack profile-form">
          <Field label={c.t('lists.profile.industry')} name="industry" value={pr.industry} maxLength={5} required hint={c.t('lists.profile.industry_hint')} error={fields?.industry} />
          <Select label={c.t('lists.profile.size')} name="size" value={pr.size} required options={SIZES.map((s) => ({ value: s, label: c.t(`lists.size.${s}`) }))} error={fields?.size} />
          <Select label={c.t('lists.profile.location')} name="location" value={pr.location} blank={c.t('lists.profile.elsewhere')} options={subs.map((s) => ({ value: s.code, label: s.name }))} error={fields?.location} />
          <fieldset>
            <legend>{c.t('lists.profile.qualifications')}</legend>
            {QUALIFICATIONS.filter((q) => q !== 'none').map((q) => (
              <label class="checkbox">
                <input type="checkbox" name="qualifications" value={q} checked={pr.qualifications.includes(q)} /> {c.t(`lists.qual.${q}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary">{c.t('lists.match_button')}</button>
        </form>
        {results && (
          <section aria-labelledby="match-results">
            <h2 id="match-results">{c.t('lists.match_results', { n: results.length })}</h2>
            {results.length === 0 ? (
              <Empty>{c.t('lists.match_none')}</Empty>
            ) : (
              <ol class="match-results">
                {results.map((r) => (
                  <li>
                    <h3>
                      <a href={r.url}>{r.title}</a>
                    </h3>
                    <p class="meta">
                      {r.department} {r.docNo && <>· {r.docNo}</>} · {c.t(`lists.subsidy.${r.subsidyType}`)}
                    </p>
                    <p>{c.t('lists.why_matched')}</p>
                    <ul class="reasons">
                      {r.reasons.map((x) => (
                        <li>{c.t(x.key, { ...x.params, size: x.params.size ? c.t(`lists.size.${x.params.size}`) : '', qualification: x.params.qualification ? c.t(`lists.qual.${x.params.qualification}`) : '', location: x.params.location ? (subs.find((s) => s.code === x.params.location)?.name ?? x.params.location) : '' })}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
            <form method="post" action="/policies/subscribe" class="stack subscribe">
              <Csrf c={c} />
              <input type="hidden" name="industry" value={pr.industry} />
              <input type="hidden" name="size" value={pr.size} />
              <input type="hidden" name="location" value={pr.location} />
              {pr.qualifications.map((q) => (
                <input type="hidden" name="qualifications" value={q} />
              ))}
              <Field label={c.t('lists.subscribe_email')} name="email" type="email" maxLength={254} required autocomplete="email" error={fields?.email} hint={c.t('lists.subscribe_hint')} />
              <button type="submit">{c.t('lists.subscribe')}</button>
            </form>
          </section>
        )}
      </PublicLayout>,
      status,
    );
  }

  const profileFrom = (q: Record<string, unknown>): BusinessProfile => ({
    industry: str(q.industry).trim().toUpperCase().slice(0, 5),
    size: str(q.size).slice(0, 20),
    location: str(q.location).slice(0, 32),
    qualifications: ([] as unknown[]).concat(q.qualifications ?? []).map(String).slice(0, 10),
  });

  app.get<{ Querystring: Record<string, unknown> }>('/policies/match', { config: { permission: 'public' } }, async (req, reply) => {
    if (!req.query.industry && !req.query.size) return matchPage(req, reply, null, null, undefined);
    const pr = profileFrom(req.query);
    try {
      return matchPage(req, reply, pr, await matchPolicies(p.db, pr), undefined);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return matchPage(req, reply, pr, null, fields, undefined, 400);
    }
  });

  app.post<{ Body: Record<string, unknown> }>('/policies/subscribe', { config: { permission: 'public' }, preHandler: writeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const pr = profileFrom(b);
    try {
      await subscribe(p, str(b.email).slice(0, 254), pr);
      return matchPage(req, reply, pr, await matchPolicies(p.db, pr), undefined, req.t('lists.subscribed'));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return matchPage(req, reply, pr, [], fields, undefined, 400);
    }
  });

  // ---- console ------------------------------------------------------------------------------------
  async function consolePage(req: FastifyRequest, reply: FastifyReply, extra?: { listId?: number; report?: ImportReport; fields?: Record<string, string>; done?: string }, status = 200) {
    const c = req.ctx(reply);
    const user = req.user!;
    const editScope = scopeOf(user, 'list.edit');
    const readScope = scopeOf(user, 'list.read');
    const lists = (await getLists(p.db)).filter((l) => readScope === 'all' || readScope.has(l.departmentId));
    const drafts = new Map<number, EditionView[]>();
    for (const l of lists) drafts.set(l.id, (await listEditions(p.db, l.id, { drafts: true })).filter((e) => e.status === 'draft'));
    const depts = await p.db.selectFrom('departments').select(['id', 'code', 'name']).orderBy('sort').execute();
    const creatable = depts.filter((d) => editScope === 'all' || editScope.has(d.id));
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.console')}>
        <h1>{c.t('lists.console')}</h1>
        {extra?.done && <Notice kind="success">{c.t(extra.done)}</Notice>}
        <ErrorSummary c={c} fields={extra?.fields} />
        <p>
          <a href="/admin/lists/followups">{c.t('lists.followups')}</a> · <a href="/admin/lists/policies">{c.t('lists.policy_tags')}</a>
        </p>
        {lists.map((l) => {
          const lt = requireType(l.type);
          const mayEdit = can(user, 'list.edit', { departmentId: l.departmentId });
          const mayApprove = can(user, 'list.approve', { departmentId: l.departmentId });
          return (
            <section class="card admin-list" aria-labelledby={`l-${l.id}`}>
              <h2 id={`l-${l.id}`}>
                <a href={`/lists/${l.type}/lists/${l.id}`}>{l.title}</a> <span class="meta">{c.t(lt.label)} · {l.currentEdition ? c.t('lists.edition_of', { n: l.currentEdition }) : c.t('lists.not_published')}</span>
              </h2>
              {l.currentEdition && (
                <p>
                  {c.t('lists.export')}：<a href={`/api/v1/lists/${l.type}/lists/${l.id}/export?format=csv`}>CSV</a> · <a href={`/api/v1/lists/${l.type}/lists/${l.id}/export?format=xlsx`}>XLSX</a>
                </p>
              )}
              {(drafts.get(l.id) ?? []).map((e) => (
                <div class="draft">
                  <p>
                    <strong>
                      <a href={`/admin/lists/editions/${e.id}`}>{c.t('lists.draft_pending', { n: e.number })}</a>
                    </strong>{' '}
                    {c.t('lists.change_summary', e.counts)} · {c.t('lists.docNo')}：{e.docNo} · {c.t('lists.reason')}：{e.reason}
                  </p>
                  {mayApprove && (
                    <div class="actions">
                      <form method="post" action={`/admin/lists/editions/${e.id}/approve`} class="inline">
                        <Csrf c={c} />
                        <button type="submit" class="primary">{c.t('lists.approve')}</button>
                      </form>
                      <form method="post" action={`/admin/lists/editions/${e.id}/reject`} class="inline">
                        <Csrf c={c} />
                        <label for={`rr-${e.id}`}>{c.t('lists.reject_reason')}</label>
                        <input id={`rr-${e.id}`} name="reason" required maxLength={1000} />
                        <button type="submit">{c.t('lists.reject')}</button>
                      </form>
                    </div>
                  )}
                </div>
              ))}
              {mayEdit && (
                <p>
                  <a href={`/admin/lists/${l.id}/item`}>{c.t('lists.item_adjust')}</a>
                </p>
              )}
              {mayEdit && (
                <form method="post" action={`/admin/lists/${l.id}/import?_csrf=${encodeURIComponent(c.csrf())}`} enctype="multipart/form-data" class="stack import-form">
                  <h3>{c.t('lists.import_title')}</h3>
                  <p class="hint">{c.t('lists.import_hint')}</p>
                  <div class="field">
                    <label for={`file-${l.id}`}>{c.t('lists.import_file')}</label>
                    <input id={`file-${l.id}`} type="file" name="file" required accept=".csv,.xlsx" />
                  </div>
                  <div class="field">
                    <label for={`reason-${l.id}`}>{c.t('lists.reason')}</label>
                    <input id={`reason-${l.id}`} name="reason" required maxLength={2000} />
                  </div>
                  <div class="field">
                    <label for={`docno-${l.id}`}>{c.t('lists.docNo')}</label>
                    <input id={`docno-${l.id}`} name="docNo" required maxLength={100} />
                  </div>
                  <label class="checkbox">
                    <input type="checkbox" name="dryRun" value="1" /> {c.t('lists.dry_run')}
                  </label>
                  <button type="submit">{c.t('lists.import_button')}</button>
                </form>
              )}
              {extra?.listId === l.id && extra.report && <ReportView c={c} report={extra.report} />}
            </section>
          );
        })}
        {creatable.length > 0 && (
          <section class="card" aria-labelledby="new-list">
            <h2 id="new-list">{c.t('lists.new_list')}</h2>
            <form method="post" action="/admin/lists/new" class="stack">
              <Csrf c={c} />
              <Select label={c.t('lists.list_type')} name="type" required options={listTypes().map((t) => ({ value: t.type, label: c.t(t.label) }))} />
              <Select label={c.t('lists.department')} name="department" required options={creatable.map((d) => ({ value: d.code, label: d.name }))} />
              <Field label={c.t('lists.list_title')} name="title" required maxLength={200} />
              <button type="submit">{c.t('lists.create')}</button>
            </form>
          </section>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Querystring: { done?: string } }>('/admin/lists', { config: { permission: 'list.read' } }, async (req, reply) => consolePage(req, reply, { done: req.query.done === 'approved' ? 'lists.approved' : req.query.done === 'rejected' ? 'lists.rejected' : req.query.done === 'created' ? 'lists.created' : undefined }));

  app.post<{ Body: Record<string, string> }>('/admin/lists/new', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    const lt = listType(str(b.type));
    const dept = await p.db.selectFrom('departments').select(['id', 'name']).where('code', '=', str(b.department).slice(0, 32)).executeTakeFirst();
    const title = str(b.title).trim().slice(0, 200);
    if (!lt || !dept || !title) return consolePage(req, reply, { fields: { title: req.t('err.lists.list_form') } }, 400);
    try {
      await p.tx((t) => ensureList(p, t, req.user!, lt.type, dept.id, title));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return consolePage(req, reply, { fields }, err instanceof HttpError ? err.status : 400);
    }
    return reply.redirect('/admin/lists?done=created', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/lists/:id/import', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id));
    if (!list) throw notFound();
    const v: { reason: string; docNo: string; dryRun: boolean; file: { buf: Buffer; name: string } | null } = { reason: '', docNo: '', dryRun: false, file: null };
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length) v.file = { buf, name: part.filename };
        } else if (part.fieldname === 'reason') v.reason = String(part.value ?? '').slice(0, 2100);
        else if (part.fieldname === 'docNo') v.docNo = String(part.value ?? '').slice(0, 110);
        else if (part.fieldname === 'dryRun') v.dryRun = part.value === '1';
      }
    }
    if (!v.file) return consolePage(req, reply, { listId: list.id, report: { rows: 0, problems: [{ row: 0, field: 'file', problem: 'err.lists.empty_file' }], dryRun: v.dryRun, changes: null, editionId: null } }, 400);
    try {
      const report = await importEdition(p, req.user!, list.id, v.file, { reason: v.reason, docNo: v.docNo, dryRun: v.dryRun });
      return consolePage(req, reply, { listId: list.id, report }, report.problems.length ? 400 : 200);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500 && err.status !== 404) {
        const problems = err.fields ? Object.entries(err.fields).map(([field, problem]) => ({ row: 0, field, problem: req.t(problem, err.params) })) : [{ row: 0, field: '-', problem: req.t(err.message, err.params) }];
        return consolePage(req, reply, { listId: list.id, report: { rows: 0, problems, dryRun: v.dryRun, changes: null, editionId: null } }, err.status);
      }
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/lists/editions/:id/approve', { config: { permission: 'list.approve' } }, async (req, reply) => {
    try {
      await approveEdition(p, req.user!, Number(req.params.id) || 0);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return consolePage(req, reply, { fields }, (err as HttpError).status);
    }
    return reply.redirect('/admin/lists?done=approved', 303);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } }>('/admin/lists/editions/:id/reject', { config: { permission: 'list.approve' } }, async (req, reply) => {
    try {
      await rejectEdition(p, req.user!, Number(req.params.id) || 0, str(req.body?.reason));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return consolePage(req, reply, { fields }, (err as HttpError).status);
    }
    return reply.redirect('/admin/lists?done=rejected', 303);
  });

  // One-item adjustment: add, replace or remove one item of the current edition (a new draft).
  async function itemForm(req: FastifyRequest, reply: FastifyReply, list: ListView, v: { op: string; key: string; json: string; reason: string; docNo: string }, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const lt = requireType(list.type);
    return reply.html(
      <AdminLayout c={c} title={`${list.title} · ${c.t('lists.item_adjust')}`}>
        <p>
          <a href="/admin/lists">{c.t('lists.console')}</a>
        </p>
        <h1>
          {list.title} · {c.t('lists.item_adjust')}
        </h1>
        <p class="hint">{c.t('lists.item_adjust_hint', { key: lt.key, columns: Object.keys(lt.schema.properties).join(', ') })}</p>
        <form method="get" class="filters">
          <Field label={c.t('lists.item_key')} name="key" value={v.key} maxLength={60} />
          <button type="submit">{c.t('lists.load_item')}</button>
        </form>
        <ErrorSummary c={c} fields={fields} />
        <form method="post" action={`/admin/lists/${list.id}/item`} class="stack">
          <Csrf c={c} />
          <Select label={c.t('lists.item_op')} name="op" value={v.op} options={['replace', 'add', 'remove'].map((o) => ({ value: o, label: c.t(`lists.op.${o}`) }))} />
          <Field label={c.t('lists.item_key')} name="key" value={v.key} maxLength={60} hint={c.t('lists.item_key_hint')} error={fields?.key} />
          <Field label={c.t('lists.item_json')} name="json" value={v.json} multiline rows={18} maxLength={200000} error={fields?.json} />
          <Field label={c.t('lists.reason')} name="reason" value={v.reason} maxLength={2000} required error={fields?.reason} />
          <Field label={c.t('lists.docNo')} name="docNo" value={v.docNo} maxLength={100} required error={fields?.docNo} />
          <button type="submit" class="primary">{c.t('lists.draft_submit')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Params: { id: string }; Querystring: { key?: string } }>('/admin/lists/:id/item', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id) || 0);
    if (!list || !can(req.user, 'list.edit', { departmentId: list.departmentId })) throw notFound();
    const lt = requireType(list.type);
    const key = (req.query.key ?? '').slice(0, 60);
    const cur = (await getEdition(p.db, (await listEditions(p.db, list.id)).find((e) => e.number === list.currentEdition)?.id ?? 0))?.items ?? [];
    const item = key ? cur.find((i) => String(i[lt.key]) === key) : null;
    return itemForm(req, reply, list, { op: item ? 'replace' : 'add', key, json: JSON.stringify(item ?? Object.fromEntries(Object.keys(lt.schema.properties).map((k) => [k, k === lt.key ? key : ''])), null, 2), reason: '', docNo: '' });
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/admin/lists/:id/item', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id) || 0);
    if (!list || !can(req.user, 'list.edit', { departmentId: list.departmentId })) throw notFound();
    const lt = requireType(list.type);
    const b = req.body ?? {};
    const v = { op: ['add', 'replace', 'remove'].includes(str(b.op)) ? str(b.op) : 'replace', key: str(b.key).trim().slice(0, 60), json: str(b.json).slice(0, 200_000), reason: str(b.reason).slice(0, 2000), docNo: str(b.docNo).slice(0, 100) };
    const cur = (await getEdition(p.db, (await listEditions(p.db, list.id)).find((e) => e.number === list.currentEdition)?.id ?? 0))?.items ?? [];
    let items = cur;
    if (v.op === 'remove') {
      if (!cur.some((i) => String(i[lt.key]) === v.key)) return itemForm(req, reply, list, v, { key: req.t('err.lists.unknown_item') }, 400);
      items = cur.filter((i) => String(i[lt.key]) !== v.key);
    } else {
      let item: ListItem;
      try {
        item = JSON.parse(v.json);
        if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error('not an object');
      } catch {
        return itemForm(req, reply, list, v, { json: req.t('err.lists.json') }, 400);
      }
      const k = String(item[lt.key] ?? '');
      const exists = cur.some((i) => String(i[lt.key]) === (v.op === 'replace' ? v.key || k : k));
      if (v.op === 'add' && exists) return itemForm(req, reply, list, v, { json: req.t('err.lists.duplicate_key') }, 400);
      if (v.op === 'replace' && !exists) return itemForm(req, reply, list, v, { key: req.t('err.lists.unknown_item') }, 400);
      items = v.op === 'add' ? [...cur, item] : cur.map((i) => (String(i[lt.key]) === (v.key || k) ? item : i));
    }
    try {
      const e = await draftEdition(p, req.user!, list.id, { items, reason: v.reason, docNo: v.docNo });
      return reply.redirect(`/admin/lists/editions/${e.id}`, 303);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return itemForm(req, reply, list, v, Object.fromEntries(Object.entries(fields).map(([k, m]) => [k.replace(/^row \d+: /, ''), m])), 400);
    }
  });

  // A draft edition: the change record the approver is asked to approve.
  app.get<{ Params: { id: string } }>('/admin/lists/editions/:id', { config: { permission: 'list.read' } }, async (req, reply) => {
    const e = await getEdition(p.db, Number(req.params.id) || 0);
    const list = e && (await getList(p.db, e.listId));
    const user = req.user!;
    if (!e || !list || !(can(user, 'list.edit', { departmentId: list.departmentId }) || can(user, 'list.approve', { departmentId: list.departmentId }))) throw notFound();
    const lt = requireType(list.type);
    const c = req.ctx(reply);
    const mayApprove = e.status === 'draft' && can(user, 'list.approve', { departmentId: list.departmentId });
    return reply.html(
      <AdminLayout c={c} title={`${list.title} · ${c.t('lists.edition_of', { n: e.number })}`}>
        <p>
          <a href="/admin/lists">{c.t('lists.console')}</a>
        </p>
        <h1>
          {list.title} · {c.t('lists.edition_of', { n: e.number })}
        </h1>
        <dl class="meta">
          <dt>{c.t('lists.status')}</dt>
          <dd>{c.t(`lists.status.${e.status}`)}</dd>
          <dt>{c.t('lists.docNo')}</dt>
          <dd>{e.docNo}</dd>
          <dt>{c.t('lists.reason')}</dt>
          <dd>{e.reason}</dd>
          {e.rejectReason && (
            <>
              <dt>{c.t('lists.reject_reason')}</dt>
              <dd>{e.rejectReason}</dd>
            </>
          )}
        </dl>
        <ChangeTables c={c} lt={lt} changes={e.changes} list={list.id} />
        {mayApprove && (
          <div class="actions">
            <form method="post" action={`/admin/lists/editions/${e.id}/approve`} class="inline">
              <Csrf c={c} />
              <button type="submit" class="primary">{c.t('lists.approve')}</button>
            </form>{' '}
            <form method="post" action={`/admin/lists/editions/${e.id}/reject`} class="inline">
              <Csrf c={c} />
              <label for="rr">{c.t('lists.reject_reason')}</label> <input id="rr" name="reason" required maxLength={1000} /> <button type="submit">{c.t('lists.reject')}</button>
            </form>
          </div>
        )}
      </AdminLayout>,
    );
  });

  // 差评 follow-ups
  app.get('/admin/lists/followups', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rows = await listFollowups(p, req.user!);
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.followups')}>
        <h1>{c.t('lists.followups')}</h1>
        <p>{c.t('lists.followups_intro')}</p>
        {rows.length === 0 ? (
          <Empty>{c.t('lists.followups_none')}</Empty>
        ) : (
          rows.map((f) => (
            <section class="card followup" aria-labelledby={`fu-${f.id}`}>
              <h2 id={`fu-${f.id}`}>
                {f.guideCode} · {c.t(ratingLabel(f.level))}
              </h2>
              <p>
                {f.name}（{f.phone}）· {f.createdAt.slice(0, 10)} · {c.t('lists.fix_due', { date: f.fixDue })}
              </p>
              <p class="pre">{f.comment}</p>
              {f.callbackAt && <p>{c.t('lists.called_back', { at: f.callbackAt.slice(0, 16).replace('T', ' '), by: f.callbackBy ?? '', note: f.callbackNote ?? '' })}</p>}
              {f.fixedAt ? (
                <p>{c.t('lists.fixed', { at: f.fixedAt.slice(0, 10), note: f.fixNote ?? '' })}</p>
              ) : (
                <form method="post" action={`/admin/lists/followups/${f.id}`} class="stack">
                  <Csrf c={c} />
                  <Field label={c.t('lists.callback_note')} name="callbackNote" multiline rows={2} maxLength={1000} required={!f.callbackAt} />
                  <Field label={c.t('lists.fix_note')} name="fixNote" multiline rows={2} maxLength={1000} />
                  <label class="checkbox">
                    <input type="checkbox" name="fixed" value="1" /> {c.t('lists.mark_fixed')}
                  </label>
                  <button type="submit">{c.t('lists.save')}</button>
                </form>
              )}
            </section>
          ))
        )}
      </AdminLayout>,
    );
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/admin/lists/followups/:id', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    await recordFollowup(p, req.user!, Number(req.params.id) || 0, { callbackNote: str(b.callbackNote).slice(0, 1100), fixNote: str(b.fixNote).slice(0, 1100), fixed: b.fixed === '1' });
    return reply.redirect('/admin/lists/followups', 303);
  });

  // policy tags
  async function tagsPage(req: FastifyRequest, reply: FastifyReply, itemId: number | null, fields?: Record<string, string>, done = false, status = 200) {
    const c = req.ctx(reply);
    const scope = scopeOf(req.user!, 'content.edit');
    let q = p.db.selectFrom('pub_items').select(['id', 'title', 'doc_no', 'department_id']).where('public', '=', 1).where('type', '!=', 'list-edition');
    if (scope !== 'all') q = q.where('department_id', 'in', scope.size ? [...scope] : [-1]);
    const items = await q.orderBy('published_at', 'desc').limit(300).execute();
    const tagged = new Set((await p.db.selectFrom('policy_tags').select('item_id').execute()).map((r) => r.item_id));
    const cur = itemId ? await getTags(p.db, itemId) : null;
    const subs = await p.db.selectFrom('departments').select(['code', 'name']).where('kind', '=', 'subdistrict').execute();
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.policy_tags')}>
        <h1>{c.t('lists.policy_tags')}</h1>
        {done && <Notice kind="success">{c.t('lists.tags_saved')}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="get" class="filters">
          <Select label={c.t('lists.policy')} name="item" value={itemId ?? ''} options={items.map((i) => ({ value: i.id, label: `${tagged.has(i.id) ? '✓ ' : ''}${i.title.slice(0, 60)}` }))} />
          <button type="submit">{c.t('lists.choose')}</button>
        </form>
        {itemId && (
          <form method="post" action={`/admin/lists/policies/${itemId}`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('lists.tags.industries')} name="industries" value={(cur?.industries ?? []).join(' ')} maxLength={300} hint={c.t('lists.tags.industries_hint')} error={fields?.industries} />
            <fieldset>
              <legend>{c.t('lists.tags.sizes')}</legend>
              {SIZES.map((s) => (
                <label class="checkbox">
                  <input type="checkbox" name="sizes" value={s} checked={cur?.sizes.includes(s)} /> {c.t(`lists.size.${s}`)}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{c.t('lists.tags.locations')}</legend>
              {subs.map((s) => (
                <label class="checkbox">
                  <input type="checkbox" name="locations" value={s.code} checked={cur?.locations.includes(s.code)} /> {s.name}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{c.t('lists.tags.qualifications')}</legend>
              {QUALIFICATIONS.filter((q) => q !== 'none').map((q) => (
                <label class="checkbox">
                  <input type="checkbox" name="qualifications" value={q} checked={cur?.qualifications.includes(q)} /> {c.t(`lists.qual.${q}`)}
                </label>
              ))}
            </fieldset>
            <Select label={c.t('lists.tags.subsidyType')} name="subsidyType" value={cur?.subsidyType ?? 'grant'} options={SUBSIDY_TYPES.map((s) => ({ value: s, label: c.t(`lists.subsidy.${s}`) }))} />
            <Field label={c.t('lists.tags.windowStart')} name="windowStart" type="date" value={cur?.windowStart ?? ''} error={fields?.windowStart} />
            <Field label={c.t('lists.tags.windowEnd')} name="windowEnd" type="date" value={cur?.windowEnd ?? ''} error={fields?.windowEnd} />
            <button type="submit" class="primary">{c.t('lists.save')}</button>
          </form>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Querystring: { item?: string; done?: string } }>('/admin/lists/policies', { config: { permission: 'content.edit' } }, async (req, reply) => tagsPage(req, reply, (intFrom(req.query.item) ?? 0) > 0 ? intFrom(req.query.item) : null, undefined, !!req.query.done));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/lists/policies/:id', { config: { permission: 'content.edit' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const arr = (v: unknown) => ([] as unknown[]).concat(v ?? []).map(String).slice(0, 50);
    const id = Number(req.params.id) || 0;
    try {
      await setTags(p, req.user!, id, { industries: str(b.industries).split(/[\s,，、]+/).filter(Boolean).slice(0, 50), sizes: arr(b.sizes), locations: arr(b.locations), qualifications: arr(b.qualifications), subsidyType: str(b.subsidyType), windowStart: str(b.windowStart) || null, windowEnd: str(b.windowEnd) || null });
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return tagsPage(req, reply, id, fields, false, 400);
    }
    return reply.redirect(`/admin/lists/policies?item=${id}&done=1`, 303);
  });
}


/** Staff dashboard: drafts awaiting my approval, 差评 still to call back. */
export async function listsDashboard(p: Platform, c: PageCtx) {
  const u = c.user;
  if (!u || !can(u, 'list.read')) return null;
  const approve = scopeOf(u, 'list.approve');
  const edit = scopeOf(u, 'list.edit');
  let waiting = 0;
  if (approve === 'all' || approve.size) {
    let q = p.db.selectFrom('list_editions').innerJoin('lists', 'lists.id', 'list_editions.list_id').select((eb) => eb.fn.countAll<number>().as('n')).where('list_editions.status', '=', 'draft');
    if (approve !== 'all') q = q.where('lists.department_id', 'in', [...approve]);
    waiting = Number((await q.executeTakeFirst())?.n ?? 0);
  }
  let callbacks = 0;
  if (edit === 'all' || edit.size) {
    callbacks = (await listFollowups(p, u)).filter((f) => !f.callbackAt).length;
  }
  return (
    <section class="panel" aria-labelledby="dash-lists">
      <h2 id="dash-lists">{c.t('lists.console')}</h2>
      <ul>
        <li>
          <a href="/admin/lists">{c.t('lists.dash_waiting')}</a>：{waiting}
        </li>
        <li>
          <a href="/admin/lists/followups">{c.t('lists.dash_callbacks')}</a>：{callbacks}
        </li>
      </ul>
    </section>
  );
}
