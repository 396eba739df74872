// Public pages of one item: its history, links to related items, the printable service guide and
// 好差评 (rating a service guide).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { Csrf, ErrorSummary, Field, Notice, PublicLayout, TableWrap, metaDescription, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { intFrom } from '../../../platform/text.js';
import type { ListItem, ListType } from '../service/engine.js';
import { getList, itemHistory, requireType, type HistoryEntry } from '../service.js';
import { currentItems } from '../service/lookup.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { RATINGS, ratingLabel } from '../../../platform/ratings.js';
import { rate, ratingSummary } from '../service/ratings.js';
import { deptNames, fieldLabel, fmt, itemHref, localizeFields, str } from '../views.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { todayShanghai } from '../../../platform/calendar/index.js';

function HistoryTable({ c, history, lt }: { c: PageCtx; history: HistoryEntry[]; lt: ListType }) {
  return (
    <TableWrap label={c.t('lists.history')}>
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
              <td>{shanghaiDate(h.publishedAt)}</td>
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
    </TableWrap>
  );
}

/** writeLimit: the per-address budget of the public writes (module.ts). */
export async function itemPages(app: FastifyInstance, p: Platform, writeLimit: Limiter): Promise<void> {
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
      <PublicLayout c={c} title={title.slice(0, 60)} description={c.t('lists.meta.item', { name: title.slice(0, 60), type: c.t(lt.label), list: list.title })} canonical={itemHref(lt.type, req.params.key, list.id)}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a> › <a href={`/lists/${lt.type}`}>{c.t(lt.label)}</a> › <a href={`/lists/${lt.type}/lists/${list.id}`} lang={zhLang(c)}>{list.title}</a>
        </nav>
        <h1 lang={zhLang(c)}>{title}</h1>
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
    const { lt, list, item, current } = await findItem('service-guide', req.params.key, undefined);
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
          <meta name="description" content={metaDescription(c.t('lists.meta.item', { name: str(item.name).slice(0, 60), type: c.t(lt.label), list: list.title }))} />
          {/* The printable copy of the guide's page: search engines are sent to the page itself. */}
          <link rel="canonical" href={`${c.base}${itemHref(lt.type, req.params.key, list.id)}`} />
          <link rel="stylesheet" href="/static/site.css" />
        </head>
        <body class="print-guide">
          <main id="main">
            <h1 lang={zhLang(c)}>{str(item.name)}</h1>
            <p class="meta">
              {c.gov.name} · {names.get(str(item.department)) ?? str(item.department)} · {c.t('lists.printed_at', { date: todayShanghai() })}
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
}
