// Public pages of 双公示: the licensing and penalty decisions currently on display (search by a
// legal person's name or a 文号, credit code, domain, year, kind), and one decision as published
// (every §6 field, 公示期限). A decision whose display ended shows a notice only (文号, department,
// why and when); one never shown (a minor penalty, a draft) is not found. Cached by publication
// generation like the catalog.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Empty, Field, Notice, Pager, Select, TableWrap, Zh, renderHtml, type PageCtx } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { getItemRow, getVersion } from '../../../platform/publication/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { maskText } from '../../../platform/privacy/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { DECISION_KINDS, type DecisionKind } from '../service/codes.js';
import { domainOptions, type DomainOption } from '../service/decisions.js';
import { decisionOfItem, publicDecisions, type PublicDecision, type PublicFilters } from '../service/decision-queries.js';
import { DecisionFields, domainLabel, LICENSING_DECISION, PENALTY_DECISION, type DecisionData } from '../items.js';

const HTML = 'text/html; charset=utf-8';
const pageKey = (req: FastifyRequest) => `${req.url}|${req.locale}|${req.prefs.large ? 1 : 0}${req.prefs.contrast ? 1 : 0}${req.prefs.spacing ? 1 : 0}`;
const PAGE_SIZE = 20;

/** The list's filters from the query, each dropped when it is not valid (a notice says so). */
function filtersOf(q: Record<string, string | undefined>, domains: DomainOption[]): { f: PublicFilters; bad: boolean } {
  let bad = false;
  const f: PublicFilters = {};
  const s = (k: string) => (typeof q[k] === 'string' ? q[k]!.trim() : '');
  if (s('kind')) (DECISION_KINDS as readonly string[]).includes(s('kind')) ? (f.kind = s('kind') as DecisionKind) : (bad = true);
  if (s('q')) s('q').length <= 100 ? (f.q = s('q')) : (bad = true);
  if (s('creditCode')) /^[0-9A-Za-z]{18}$/.test(s('creditCode')) ? (f.creditCode = s('creditCode').toUpperCase()) : (bad = true);
  if (s('domain')) domains.some((d) => d.code === s('domain')) ? (f.domain = s('domain')) : (bad = true);
  if (s('year')) /^\d{4}$/.test(s('year')) && Number(s('year')) >= 1990 ? (f.year = Number(s('year'))) : (bad = true);
  const page = s('page');
  f.page = /^\d{1,5}$/.test(page) && Number(page) >= 1 ? Number(page) : 1;
  if (page && f.page === 1 && page !== '1') bad = true;
  return { f, bad };
}

const optionLabel = (c: PageCtx, d: DomainOption) => (c.locale === 'en' ? d.en : d.zh);

function Filters({ c, f, domains }: { c: PageCtx; f: PublicFilters; domains: DomainOption[] }) {
  const year = Number(todayShanghai().slice(0, 4));
  return (
    <form method="get" action="/enforcement/decisions" class="filters decision-filters" aria-label={c.t('common.filter')}>
      <Field label={c.t('enforcement.decisions.q')} name="q" value={f.q ?? ''} type="search" maxLength={100} hint={c.t('enforcement.decisions.q_hint')} />
      <Field label={c.t('enforcement.decision.f.creditCode')} name="creditCode" value={f.creditCode ?? ''} maxLength={18} autocomplete="off" />
      <Select label={c.t('enforcement.decision.f.kind')} name="kind" value={f.kind ?? ''} blank={c.t('common.all')} options={DECISION_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.kind.${k}`) }))} />
      <Select label={c.t('enforcement.decision.f.domain')} name="domain" value={f.domain ?? ''} blank={c.t('common.all')} options={domains.map((d) => ({ value: d.code, label: optionLabel(c, d) }))} />
      <Select label={c.t('enforcement.decisions.year')} name="year" value={f.year ?? ''} blank={c.t('common.all')} options={Array.from({ length: 6 }, (_, i) => year - i).map((y) => ({ value: y, label: String(y) }))} />
      <button type="submit">{c.t('enforcement.decisions.search')}</button>
    </form>
  );
}

function Results({ c, items }: { c: PageCtx; items: PublicDecision[] }) {
  return (
    <TableWrap label={c.t('enforcement.decisions.title')}>
      <table class="decision-list">
        <thead>
          <tr>
            <th scope="col">{c.t('enforcement.decision.f.subjectName')}</th>
            <th scope="col">{c.t('enforcement.decision.f.docNo')}</th>
            <th scope="col">{c.t('enforcement.decision.f.kind')}</th>
            <th scope="col">{c.t('enforcement.decision.f.domain')}</th>
            <th scope="col">{c.t('enforcement.decision.f.department')}</th>
            <th scope="col">{c.t('enforcement.decisions.date')}</th>
            <th scope="col">{c.t('enforcement.decision.f.displayUntil')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr>
              <th scope="row">
                <a href={d.url}>
                  <Zh c={c}>{d.subjectName}</Zh>
                </a>
                {d.creditCode && <div class="muted">{d.creditCode}</div>}
              </th>
              <td>
                <Zh c={c}>{d.docNo}</Zh>
              </td>
              <td>{c.t(`enforcement.kind.${d.kind}`)}</td>
              <td>{domainLabel(c, d.domain, d.domainName)}</td>
              <td>
                <Zh c={c}>{d.department}</Zh>
              </td>
              <td>{d.decisionDate}</td>
              <td>{d.displayUntil}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export async function decisionsPublic(app: FastifyInstance, p: Platform): Promise<void> {
  // "Subscribe to these decisions", when the platform has subscriptions.
  const subscribable = p.modules.some((m) => m.name === 'subscriptions');
  app.get<{ Querystring: Record<string, string> }>('/enforcement/decisions', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const domains = await domainOptions(p.db);
      const { f, bad } = filtersOf(req.query ?? {}, domains);
      const r = await publicDecisions(p.db, { ...f, pageSize: PAGE_SIZE });
      const params = Object.fromEntries(Object.entries({ q: f.q, creditCode: f.creditCode, kind: f.kind, domain: f.domain, year: f.year }).filter(([, v]) => v != null && v !== '').map(([k, v]) => [k, String(v)]));
      const href = (n: number) => `/enforcement/decisions?${new URLSearchParams({ ...params, page: String(n) })}`;
      const canonical = `/enforcement/decisions${Object.keys(params).length || (f.page ?? 1) > 1 ? `?${new URLSearchParams({ ...params, ...((f.page ?? 1) > 1 ? { page: String(f.page) } : {}) })}` : ''}`;
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('enforcement.decisions.title')} description={c.t('enforcement.decisions.description', { name: c.gov.name })} canonical={canonical}>
            <h1>{c.t('enforcement.decisions.title')}</h1>
            <p>{c.t('enforcement.decisions.intro')}</p>
            {bad && <Notice kind="error">{c.t('enforcement.decisions.bad_filter')}</Notice>}
            <Filters c={c} f={f} domains={domains} />
            <section aria-labelledby="decisions-results">
              <h2 id="decisions-results">{c.t('enforcement.decisions.results', { total: r.total })}</h2>
              {subscribable && (
                <p class="follow">
                  <a href={`/subscriptions?${new URLSearchParams({ type: f.kind === 'licensing' ? LICENSING_DECISION : PENALTY_DECISION, ...(f.domain ? { 'x.domain': f.domain } : {}) })}`}>
                    {f.kind === 'licensing' ? c.t('enforcement.decisions.subscribe_licensing') : f.domain ? c.t('enforcement.decisions.subscribe_penalty_domain', { domain: optionLabel(c, domains.find((d) => d.code === f.domain)!) }) : c.t('enforcement.decisions.subscribe_penalty')}
                  </a>
                </p>
              )}
              {r.items.length ? <Results c={c} items={r.items} /> : <Empty>{c.t('enforcement.decisions.empty')}</Empty>}
              <Pager c={c} page={f.page ?? 1} pageSize={PAGE_SIZE} total={r.total} href={href} />
            </section>
            <p class="muted">{c.t('enforcement.decisions.api', { penalties: '/api/v1/penalties', licensing: '/api/v1/licensing' })}</p>
          </PublicLayout>,
        ),
      };
    }),
  );

  app.get<{ Params: { id: string } }>('/enforcement/decisions/:id', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
      const id = Number(req.params.id);
      const d = await decisionOfItem(p.db, id);
      if (!d || (d.status !== 'published' && d.status !== 'ended')) throw notFound();
      const c = req.ctx(reply);
      const kindName = c.t(`enforcement.kind.${d.kind}`);
      if (d.status === 'ended') {
        // Display over: the notice only — never the decision's content.
        const reason = c.t(`enforcement.end.${d.end_reason ?? 'expired'}`);
        const note = maskText(d.end_note ?? '').text;
        const title = c.t('enforcement.decisions.ended_title', { kind: kindName, docNo: d.doc_no });
        return {
          type: HTML,
          body: renderHtml(
            <PublicLayout c={c} title={title} description={c.t('enforcement.decisions.ended_description', { kind: kindName, docNo: d.doc_no, reason })} canonical={`/enforcement/decisions/${id}`}>
              <nav class="breadcrumb" aria-label={c.t('enforcement.decisions.breadcrumb')}>
                <a href="/enforcement/decisions">{c.t('enforcement.decisions.title')}</a>
              </nav>
              <h1>{title}</h1>
              <Notice kind="info">
                <p>{c.t('enforcement.decisions.ended', { docNo: d.doc_no, department: d.department_name, reason, date: shanghaiDate(d.ended_at) })}</p>
                {note && (
                  <p>
                    {c.t('enforcement.decisions.end_note')}
                    {c.t('common.colon')}
                    <Zh c={c}>{note}</Zh>
                  </p>
                )}
              </Notice>
            </PublicLayout>,
          ),
        };
      }
      const item = await getItemRow(p.db, id);
      if (!item || !item.public || !item.published_version) throw notFound();
      const v = (await getVersion(p.db, id, item.published_version))!;
      const data = v.data as DecisionData;
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={item.title} description={`${data.subjectName}：${data.content}`.slice(0, 150)} canonical={`/enforcement/decisions/${id}`}>
            <nav class="breadcrumb" aria-label={c.t('enforcement.decisions.breadcrumb')}>
              <a href="/enforcement/decisions">{c.t('enforcement.decisions.title')}</a>
            </nav>
            <h1>
              <Zh c={c}>{item.title}</Zh>
            </h1>
            <DecisionFields
              c={c}
              d={data}
              extra={[
                [c.t('enforcement.decision.f.status'), c.t('enforcement.status.published')],
                [c.t('enforcement.decisions.index_no'), item.index_no ?? '—'],
              ]}
            />
          </PublicLayout>,
        ),
      };
    }),
  );
}
