// Public pages of major decisions: /decisions (every decision by year, department and status,
// paginated) and /decisions/{id}, the decision's public timeline — every stage with its state,
// dates, skip reason, note, public documents (downloadable at /decisions/{id}/documents/{stage}/{n}),
// the collective decision's outcome and dissent, and links to its consultations and their adoption
// reports, its hearings, the published decision, its 政策解读 and its evaluation. No JavaScript;
// cached by publication generation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Empty, Notice, Pager, Select, TableWrap, Zh, renderHtml, type PageCtx } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { fileInfo, sendStoredFile } from '../../../platform/files/index.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { listSource, latest } from '../../../platform/sitemap.js';
import { STAGES } from '../schema.js';
import { decisionDepartments, decisionView, decisionYears, documentsOf, DECISION_STATUSES, publicDecisions, type DecisionFilters, type DecisionView } from '../service/decisions.js';

const HTML = 'text/html; charset=utf-8';
const PAGE_SIZE = 20;
const pageKey = (req: FastifyRequest) => `${req.url}|${req.locale}|${req.prefs.large ? 1 : 0}${req.prefs.contrast ? 1 : 0}${req.prefs.spacing ? 1 : 0}`;

function filtersOf(q: Record<string, string | undefined>, years: number[], depts: { id: number }[]): { f: DecisionFilters; bad: boolean } {
  let bad = false;
  const f: DecisionFilters = {};
  const s = (k: string) => (typeof q[k] === 'string' ? q[k]!.trim() : '');
  if (s('year')) /^\d{4}$/.test(s('year')) && years.includes(Number(s('year'))) ? (f.year = Number(s('year'))) : (bad = true);
  if (s('department')) /^\d{1,9}$/.test(s('department')) && depts.some((d) => d.id === Number(s('department'))) ? (f.departmentId = Number(s('department'))) : (bad = true);
  if (s('status')) (DECISION_STATUSES as readonly string[]).includes(s('status')) ? (f.status = s('status')) : (bad = true);
  if (s('stage')) (STAGES as readonly string[]).includes(s('stage')) ? (f.stage = s('stage')) : (bad = true);
  const page = s('page');
  f.page = /^\d{1,5}$/.test(page) && Number(page) >= 1 ? Number(page) : 1;
  if (page && f.page === 1 && page !== '1') bad = true;
  return { f, bad };
}


function StageItem({ c, d, s }: { c: PageCtx; d: DecisionView; s: DecisionView['stages'][number] }) {
  const dates: string[] = [];
  if (s.plannedOn) dates.push(`${c.t('decisions.stages.f.planned')} ${s.plannedOn}`);
  if (s.startedOn) dates.push(`${c.t('decisions.stages.f.started')} ${s.startedOn}`);
  if (s.finishedOn) dates.push(`${c.t('decisions.stages.f.finished')} ${s.finishedOn}`);
  return (
    <li class={`stage stage-${s.state}`} id={`stage-${s.stage}`}>
      <h3>
        {c.t(`decisions.stage.${s.stage}`)} <span class={`badge state-${s.state}`}>{c.t(`decisions.stage_state.${s.state}`)}</span>
      </h3>
      {dates.length > 0 && <p class="ev-meta">{dates.join(' · ')}</p>}
      {s.state === 'skipped' && s.skipReason && (
        <p>
          {c.t('decisions.stages.f.skip_reason')}
          {c.t('common.colon')}
          <Zh c={c}>{s.skipReason}</Zh>
        </p>
      )}
      {s.stage === 'collective_decision' && s.outcome && (
        <p>
          {c.t('decisions.stages.f.outcome')}
          {c.t('common.colon')}
          {c.t(`decisions.stages.outcome.${s.outcome}`)}
        </p>
      )}
      {s.stage === 'collective_decision' && s.dissent && (
        <p>
          {c.t('decisions.stages.f.dissent')}
          {c.t('common.colon')}
          <Zh c={c}>{s.dissent}</Zh>
        </p>
      )}
      {s.note && (
        <p class="ev-note">
          <Zh c={c}>{s.note}</Zh>
        </p>
      )}
      {s.documents.length > 0 && (
        <ul class="documents" aria-label={c.t('decisions.stages.f.documents')}>
          {s.documents.map((doc) => (
            <li>
              <a href={doc.url}>
                <Zh c={c}>{doc.name}</Zh>
              </a>
            </li>
          ))}
        </ul>
      )}
      {s.stage === 'consultation' && <Consultations c={c} d={d} />}
      {s.stage === 'publication' && <Publication c={c} d={d} />}
      {s.stage === 'evaluation' && (
        <p>
          {c.t('decisions.stages.timeline.evaluation')}
          {c.t('common.colon')}
          {d.evaluationItemId ? <a href={`/catalog/items/${d.evaluationItemId}`}>{c.t('decisions.stages.f.evaluation')}</a> : c.t('decisions.stages.timeline.not_yet')}
        </p>
      )}
    </li>
  );
}

function Consultations({ c, d }: { c: PageCtx; d: DecisionView }) {
  if (!d.consultations.length && !d.hearings.length) return null;
  return (
    <>
      {d.consultations.length > 0 && (
        <ul class="consultations">
          {d.consultations.map((x) => (
            <li>
              <a href={x.url}>
                <Zh c={c}>{x.title}</Zh>
              </a>{' '}
              <span class="ev-meta">
                {c.t(`decisions.stages.timeline.consultation_state.${x.state}`)} · {c.t('decisions.stages.timeline.period', { from: shanghaiDateTime(x.opensAt), to: shanghaiDateTime(x.closesAt) })}
              </span>
              <br />
              {x.reportUrl ? <a href={x.reportUrl}>{c.t('decisions.stages.timeline.report')}</a> : <span class="muted">{c.t('decisions.stages.timeline.no_report')}</span>}
            </li>
          ))}
        </ul>
      )}
      {d.hearings.length > 0 && (
        <>
          <h4>{c.t('decisions.stages.timeline.hearings')}</h4>
          <ul class="hearings">
            {d.hearings.map((h) => (
              <li>
                <a href={h.url}>
                  <Zh c={c}>{h.title}</Zh>
                </a>{' '}
                <span class="ev-meta">{shanghaiDateTime(h.startsAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Publication({ c, d }: { c: PageCtx; d: DecisionView }) {
  const interp = d.interpretation;
  return (
    <>
      <p>
        {c.t('decisions.stages.timeline.decision')}
        {c.t('common.colon')}
        {d.itemId ? <a href={`/catalog/items/${d.itemId}`}><Zh c={c}>{d.title}</Zh></a> : c.t('decisions.stages.timeline.not_yet')}
      </p>
      {d.itemId && interp && (
        <p>
          {c.t('decisions.stages.f.interpretation')}
          {c.t('common.colon')}
          <a href={/^\d+$/.test(interp) ? `/catalog/items/${interp}` : interp}>{c.t('decisions.stages.interpretation_link')}</a>
        </p>
      )}
    </>
  );
}

export async function decisionsPublic(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, string> }>('/decisions', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      const c = req.ctx(reply);
      const [years, depts] = await Promise.all([decisionYears(p.db), decisionDepartments(p.db)]);
      const { f, bad } = filtersOf(req.query ?? {}, years, depts);
      const r = await publicDecisions(p.db, { ...f, pageSize: PAGE_SIZE });
      const params = Object.fromEntries(Object.entries({ year: f.year, department: f.departmentId, status: f.status, stage: f.stage }).filter(([, v]) => v != null && v !== '').map(([k, v]) => [k, String(v)]));
      const href = (n: number) => `/decisions?${new URLSearchParams({ ...params, page: String(n) })}`;
      const canonical = `/decisions${Object.keys(params).length || (f.page ?? 1) > 1 ? `?${new URLSearchParams({ ...params, ...((f.page ?? 1) > 1 ? { page: String(f.page) } : {}) })}` : ''}`;
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={c.t('decisions.stages.list.title')} description={c.t('decisions.stages.list.description', { name: c.gov.name })} canonical={canonical}>
            <h1>{c.t('decisions.stages.list.title')}</h1>
            <p>{c.t('decisions.stages.list.intro')}</p>
            {bad && <Notice kind="warning">{c.t('decisions.stages.list.bad_filter')}</Notice>}
            <form method="get" action="/decisions" class="filters" aria-label={c.t('common.filter')}>
              <Select label={c.t('decisions.stages.f.year')} name="year" value={f.year ?? ''} blank={c.t('common.all')} options={years.map((y) => ({ value: y, label: String(y) }))} />
              <Select label={c.t('decisions.stages.f.department')} name="department" value={f.departmentId ?? ''} blank={c.t('common.all')} options={depts.map((d) => ({ value: d.id, label: d.name }))} />
              <Select label={c.t('decisions.stages.f.stage')} name="stage" value={f.stage ?? ''} blank={c.t('common.all')} options={STAGES.map((s) => ({ value: s, label: c.t(`decisions.stage.${s}`) }))} />
              <Select label={c.t('decisions.stages.f.status')} name="status" value={f.status ?? ''} blank={c.t('common.all')} options={DECISION_STATUSES.map((s) => ({ value: s, label: c.t(`decisions.stages.status.${s}`) }))} />
              <button type="submit">{c.t('decisions.stages.list.search')}</button>
            </form>
            <section aria-labelledby="decisions-results">
              <h2 id="decisions-results">{c.t('decisions.stages.list.results', { total: r.total })}</h2>
              {r.items.length ? (
                <TableWrap label={c.t('decisions.stages.list.title')}>
                  <table class="decision-list">
                    <thead>
                      <tr>
                        <th scope="col">{c.t('decisions.stages.f.title')}</th>
                        <th scope="col">{c.t('decisions.stages.f.department')}</th>
                        <th scope="col">{c.t('decisions.stages.f.year')}</th>
                        <th scope="col">{c.t('decisions.stages.f.stage')}</th>
                        <th scope="col">{c.t('decisions.stages.f.status')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.items.map((d) => (
                        <tr>
                          <th scope="row">
                            <a href={`/decisions/${d.id}`}>
                              <Zh c={c}>{d.title}</Zh>
                            </a>
                          </th>
                          <td>
                            <Zh c={c}>{d.department_name}</Zh>
                          </td>
                          <td>{d.year}</td>
                          <td>{c.t(`decisions.stage.${d.stage}`)}</td>
                          <td>{c.t(`decisions.stages.status.${d.status}`)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              ) : (
                <Empty>{c.t('decisions.stages.list.empty')}</Empty>
              )}
              <Pager c={c} page={f.page ?? 1} pageSize={PAGE_SIZE} total={r.total} href={href} />
            </section>
          </PublicLayout>,
        ),
      };
    }),
  );

  app.get<{ Params: { id: string } }>('/decisions/:id', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
      const row = await p.db.selectFrom('dec_decisions').selectAll().where('id', '=', Number(req.params.id)).executeTakeFirst();
      if (!row) throw notFound();
      const d = await decisionView(p.db, row, false);
      const c = req.ctx(reply);
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={d.title} description={(d.summary || d.title).slice(0, 150)} canonical={`/decisions/${d.id}`}>
            <nav class="breadcrumb" aria-label={c.t('decisions.stages.timeline.breadcrumb')}>
              <a href="/decisions">{c.t('decisions.stages.list.title')}</a>
            </nav>
            <h1>
              <Zh c={c}>{d.title}</Zh>
            </h1>
            <dl class="meta">
              <dt>{c.t('decisions.stages.f.department')}</dt>
              <dd>
                <Zh c={c}>{d.department}</Zh>
              </dd>
              <dt>{c.t('decisions.stages.f.year')}</dt>
              <dd>{d.year}</dd>
              <dt>{c.t('decisions.stages.f.status')}</dt>
              <dd>{c.t(`decisions.stages.status.${d.status}`)}</dd>
              {d.withdrawnAt && (
                <>
                  <dt>{c.t('decisions.console.withdraw_reason_public')}</dt>
                  <dd class="pre">
                    {c.t('decisions.console.withdrawn', { date: shanghaiDate(d.withdrawnAt) })} <Zh c={c}>{d.withdrawReason}</Zh>
                  </dd>
                </>
              )}
              <dt>{c.t('decisions.stages.f.basis')}</dt>
              <dd class="pre">
                <Zh c={c}>{d.basis}</Zh>
              </dd>
              {d.summary && (
                <>
                  <dt>{c.t('decisions.stages.f.summary')}</dt>
                  <dd class="pre">
                    <Zh c={c}>{d.summary}</Zh>
                  </dd>
                </>
              )}
            </dl>
            <section aria-labelledby="timeline">
              <h2 id="timeline">{c.t('decisions.stages.timeline.title')}</h2>
              <ol class="request-timeline decision-timeline">
                {d.stages.map((s) => (
                  <StageItem c={c} d={d} s={s} />
                ))}
              </ol>
            </section>
          </PublicLayout>,
        ),
      };
    }),
  );

  // A stage's public document (a document not marked public is not found).
  app.get<{ Params: { id: string; stage: string; n: string } }>('/decisions/:id/documents/:stage/:n', { config: { permission: 'public' } }, async (req, reply) => {
    const { id, stage, n } = req.params;
    if (!/^\d{1,9}$/.test(id) || !/^\d{1,3}$/.test(n) || !(STAGES as readonly string[]).includes(stage)) throw notFound();
    const row = await p.db.selectFrom('dec_stages').select('documents').where('decision_id', '=', Number(id)).where('stage', '=', stage).executeTakeFirst();
    const doc = row ? documentsOf(row)[Number(n)] : undefined;
    if (!doc || !doc.public) throw notFound();
    const info = await fileInfo(p.db, doc.fileId);
    if (!info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, doc.name, info, 'public, max-age=300');
  });
}

/** The sitemap's entries: /decisions and each decision's timeline (last changed). */
export function decisionsSitemap(p: Platform) {
  return listSource('decisions', async () => {
    const rows = await p.db.selectFrom('dec_decisions').select(['id', 'updated_at']).orderBy('id').execute();
    const last = latest(...rows.map((r) => r.updated_at));
    // Consultations (open or closed) with their adoption report once published, and hearings once announced.
    const cons = await p.db.selectFrom('dec_consultations').select(['id', 'updated_at', 'report_state']).where('state', 'in', ['open', 'closed']).orderBy('id').execute();
    const hears = await p.db.selectFrom('dec_hearings').select(['id', 'updated_at']).where('state', '!=', 'draft').orderBy('id').execute();
    const lastCons = latest(...cons.map((r) => r.updated_at));
    return [
      { path: '/decisions', ...(last ? { lastmod: last } : {}) },
      ...rows.map((r) => ({ path: `/decisions/${r.id}`, lastmod: r.updated_at })),
      { path: '/decisions/consultations', ...(lastCons ? { lastmod: lastCons } : {}) },
      ...cons.flatMap((r) => [{ path: `/decisions/consultations/${r.id}`, lastmod: r.updated_at }, ...(r.report_state === 'published' ? [{ path: `/decisions/consultations/${r.id}/report`, lastmod: r.updated_at }] : [])]),
      ...hears.map((r) => ({ path: `/decisions/hearings/${r.id}`, lastmod: r.updated_at })),
    ];
  });
}
