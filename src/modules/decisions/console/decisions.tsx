// The staff console of major decisions: /admin/decisions (the decisions of the caller's
// departments, filtered by year, status and stage, paginated), /admin/decisions/new (create one)
// and /admin/decisions/{id} — the record, its eight stages in order with their state, dates, skip
// reason and documents, a form per stage (start; finish, with outcome and dissent for the
// collective decision; mark not required with a public reason; upload a document, public or not),
// submission for publication, publication by another approver with a confirmation, the evaluation
// report, and links to its consultations and hearings. Every form works without JavaScript; a
// service's refusal (400 naming fields, 409) comes back as a message on the page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Dl, Empty, ErrorSummary, Field, Notice, Pager, Select, TableWrap, Zh, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../../platform/errors.js';
import { hasMessage, localParams } from '../../../platform/i18n/index.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { can } from '../../../platform/auth/policy.js';
import { fileInfo, sendStoredFile } from '../../../platform/files/index.js';
import { STAGES, type DecisionRow, type Stage } from '../schema.js';
import { createDecision, decisionView, decisionYears, documentsOf, DECISION_STATUSES, LIMITS, staffDecisions, stagesOf, type DecisionView } from '../service/decisions.js';
import { addStageDocument, changeStageDocument, publishDecision, publishEvaluation, setStageState, submitDecision, TEXT_LIMITS, withdrawDecision } from '../service/stages.js';
import { decisionFor, mayDo } from '../service/access.js';
import { StageItem, type PageState } from './decision-stages.js';
import { actorLabel, actorUsernames } from '../../../platform/core/audit-view.js';

type Fields = Record<string, string>;
type Body = Record<string, unknown>;
const BASE = '/admin/decisions';
const PAGE_SIZE = 20;

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const str = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
/** The fields the record page's forms show (their errors need no name). */
const FORM_FIELDS = new Set(['action', 'reason', 'note', 'outcome', 'dissent', 'text', 'interpretation', 'file', 'filename', 'public', 'change', 'confirm']);

const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

/** A service's refusal as translated messages for the page (`_`: the message; other keys: fields); null when not ours to show (403, 404, 5xx). */
function errorFields(req: FastifyRequest, err: unknown): { fields: Fields; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404 || err.status === 403 || err.status === 401) return null;
  const params = localParams(req.locale, err.params);
  const fields: Fields = {};
  for (const [k, v] of Object.entries(err.fields ?? {})) fields[k] = req.t(v, params);
  if (!err.fields || err.status !== 400) fields._ = req.t(err.message, params);
  return { fields, status: err.status };
}

/** Departments where the caller may create decisions. */
async function editableDepartments(p: Platform, req: FastifyRequest) {
  const rows = await p.db.selectFrom('departments').select(['id', 'name', 'active']).orderBy('id').execute();
  return rows.filter((d) => Number(d.active) && can(req.user!, 'major-decision.edit', { departmentId: d.id }));
}

// ---- the list ---------------------------------------------------------------------------------------

async function listPage(p: Platform, req: FastifyRequest, reply: FastifyReply) {
  const c = req.ctx(reply);
  const q = (req.query ?? {}) as Record<string, string>;
  const years = await decisionYears(p.db);
  let bad = false;
  const s = (k: string) => (typeof q[k] === 'string' ? q[k].trim() : '');
  const f: { year?: number; status?: string; stage?: string } = {};
  if (s('year')) /^\d{4}$/.test(s('year')) ? (f.year = Number(s('year'))) : (bad = true);
  if (s('status')) (DECISION_STATUSES as readonly string[]).includes(s('status')) ? (f.status = s('status')) : (bad = true);
  if (s('stage')) isStage(s('stage')) ? (f.stage = s('stage')) : (bad = true);
  const page = /^\d{1,5}$/.test(s('page')) && Number(s('page')) >= 1 ? Number(s('page')) : 1;
  const r = await staffDecisions(p.db, req.user!, { ...f, page, pageSize: PAGE_SIZE });
  const params = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]));
  const filtered = Object.keys(params).length > 0;
  const mayCreate = c.can('major-decision.edit');
  return reply.html(
    <AdminLayout c={c} title={c.t('decisions.stages.console.title')}>
      <h1>{c.t('decisions.stages.console.title')}</h1>
      <p>{c.t('decisions.console.list_intro')}</p>
      {mayCreate && (
        <p>
          <a class="button" href={`${BASE}/new`}>
            {c.t('decisions.stages.console.new')}
          </a>
        </p>
      )}
      {bad && <Notice kind="warning">{c.t('decisions.console.bad_filter')}</Notice>}
      <form method="get" action={BASE} class="filters" aria-label={c.t('common.filter')}>
        <Select label={c.t('decisions.stages.f.year')} name="year" value={f.year ?? ''} blank={c.t('common.all')} options={[...new Set([...years, ...(f.year ? [f.year] : [])])].map((y) => ({ value: y, label: String(y) }))} />
        <Select label={c.t('decisions.stages.f.status')} name="status" value={f.status ?? ''} blank={c.t('common.all')} options={DECISION_STATUSES.map((x) => ({ value: x, label: c.t(`decisions.stages.status.${x}`) }))} />
        <Select label={c.t('decisions.stages.f.stage')} name="stage" value={f.stage ?? ''} blank={c.t('common.all')} options={STAGES.map((x) => ({ value: x, label: c.t(`decisions.stage.${x}`) }))} />
        <button type="submit">{c.t('common.filter')}</button>
      </form>
      <section aria-labelledby="results">
        <h2 id="results">{c.t('decisions.console.results', { total: r.total })}</h2>
        {r.items.length ? (
          <TableWrap label={c.t('decisions.stages.console.title')}>
            <table class="decision-list">
              <thead>
                <tr>
                  <th scope="col">{c.t('decisions.stages.f.title')}</th>
                  <th scope="col">{c.t('decisions.stages.f.department')}</th>
                  <th scope="col">{c.t('decisions.stages.f.year')}</th>
                  <th scope="col">{c.t('decisions.stages.f.stage')}</th>
                  <th scope="col">{c.t('decisions.stages.f.status')}</th>
                  <th scope="col">{c.t('decisions.console.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((d) => (
                  <tr>
                    <th scope="row">
                      <a href={`${BASE}/${d.id}`}>
                        <Zh c={c}>{d.title}</Zh>
                      </a>
                    </th>
                    <td>
                      <Zh c={c}>{d.department_name}</Zh>
                    </td>
                    <td>{d.year}</td>
                    <td>{c.t(`decisions.stage.${d.stage}`)}</td>
                    <td>{c.t(`decisions.stages.status.${d.status}`)}</td>
                    <td>{shanghaiDate(d.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <Empty>{filtered ? c.t('decisions.console.empty_filtered') : c.t('decisions.stages.console.empty')}</Empty>
        )}
        <Pager c={c} page={page} pageSize={PAGE_SIZE} total={r.total} href={(n) => `${BASE}?${new URLSearchParams({ ...params, page: String(n) })}`} />
      </section>
    </AdminLayout>,
  );
}

// ---- new ----------------------------------------------------------------------------------------------

const NEW_FIELDS = ['departmentId', 'year', 'title', 'basis', 'summary', 'catalogueCode', 'interpretation'] as const;

async function newPage(p: Platform, req: FastifyRequest, reply: FastifyReply, v: Fields, errors: Fields = {}, status = 200) {
  const c = req.ctx(reply);
  const depts = await editableDepartments(p, req);
  const year = Number(todayShanghai().slice(0, 4));
  return reply.code(status).html(
    <AdminLayout c={c} title={c.t('decisions.stages.console.new')}>
      <p>
        <a href={BASE}>{c.t('decisions.console.back_list')}</a>
      </p>
      <h1>{c.t('decisions.stages.console.new')}</h1>
      <p>{c.t('decisions.console.new_intro')}</p>
      <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_'))} />
      {errors._ && <Notice kind="error">{errors._}</Notice>}
      {!depts.length ? (
        <Empty>{c.t('decisions.console.no_departments')}</Empty>
      ) : (
        <form method="post" action={`${BASE}/new`} class="stack">
          <Csrf c={c} />
          <Select label={c.t('decisions.stages.f.department')} name="departmentId" value={v.departmentId ?? (depts.length === 1 ? String(depts[0].id) : '')} blank={depts.length > 1 ? c.t('decisions.console.choose') : undefined} required error={errors.departmentId} options={depts.map((d) => ({ value: d.id, label: d.name }))} />
          <Field label={c.t('decisions.stages.f.year')} name="year" type="number" inputMode="numeric" value={v.year ?? String(year)} required error={errors.year} />
          <Field label={c.t('decisions.stages.f.title')} name="title" value={v.title} required maxLength={LIMITS.title} error={errors.title} />
          <Field label={c.t('decisions.stages.f.basis')} name="basis" value={v.basis} required multiline rows={4} maxLength={LIMITS.basis} error={errors.basis} />
          <Field label={c.t('decisions.stages.f.summary')} name="summary" value={v.summary} multiline rows={5} maxLength={LIMITS.summary} error={errors.summary} />
          <Field label={c.t('decisions.stages.f.catalogueCode')} name="catalogueCode" value={v.catalogueCode} maxLength={LIMITS.catalogueCode} hint={c.t('decisions.console.hint.catalogue')} error={errors.catalogueCode} />
          <Field label={c.t('decisions.stages.f.interpretation')} name="interpretation" value={v.interpretation} maxLength={LIMITS.interpretation} hint={c.t('decisions.console.hint.interpretation')} error={errors.interpretation} />
          <button type="submit">{c.t('decisions.stages.console.create')}</button>
        </form>
      )}
    </AdminLayout>,
  );
}

// ---- one decision -------------------------------------------------------------------------------------

function Links({ c, d, v, edit }: { c: PageCtx; d: DecisionRow; v: DecisionView; edit: boolean }) {
  const canAdd = edit && d.status === 'open';
  return (
    <section aria-labelledby="links-h">
      <h2 id="links-h">{c.t('decisions.stages.console.links')}</h2>
      <h3>{c.t('decisions.console.consultations')}</h3>
      {v.consultations.length ? (
        <ul>
          {v.consultations.map((x) => (
            <li>
              <a href={`/admin/consultations/${x.id}`}>
                <Zh c={c}>{x.title}</Zh>
              </a>{' '}
              <span class="ev-meta">
                {c.t('decisions.console.consultation_line', { state: c.t(`decisions.consultations.state.${x.state}`), from: shanghaiDateTime(x.opensAt), to: shanghaiDateTime(x.closesAt) })} · {c.t('decisions.console.report_link')}
                {c.t('common.colon')}
                {c.t(`decisions.report.state.${x.reportState}`)}
              </span>
              {x.state !== 'draft' && (
                <>
                  {' · '}
                  <a href={x.url}>{c.t('decisions.console.public_view')}</a> · <a href={`/admin/consultations/${x.id}/report`}>{c.t('decisions.console.report_link')}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{c.t('decisions.console.no_consultations')}</Empty>
      )}
      {canAdd && v.stages.find((s) => s.stage === 'consultation')?.state !== 'skipped' && (
        <p>
          <a href={`${BASE}/${d.id}/consultations/new`}>{c.t('decisions.stages.console.new_consultation')}</a>
        </p>
      )}
      <h3>{c.t('decisions.console.hearings')}</h3>
      {v.hearings.length ? (
        <ul>
          {v.hearings.map((h) => (
            <li>
              <a href={`/admin/hearings/${h.id}`}>
                <Zh c={c}>{h.title}</Zh>
              </a>{' '}
              <span class="ev-meta">
                {c.t(`decisions.hearings.state.${h.state}`)} · {shanghaiDateTime(h.startsAt)}
              </span>
              {h.state !== 'draft' && (
                <>
                  {' · '}
                  <a href={h.url}>{c.t('decisions.console.public_view')}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{c.t('decisions.console.no_hearings')}</Empty>
      )}
      {canAdd && (
        <p>
          <a href={`${BASE}/${d.id}/hearings/new`}>{c.t('decisions.stages.console.new_hearing')}</a>
        </p>
      )}
    </section>
  );
}

function Publication({ c, d, v, user, st, names }: { c: PageCtx; d: DecisionRow; v: DecisionView; user: FastifyRequest['user']; st: PageState; names: Map<string, string> }) {
  const edit = mayDo(user!, 'major-decision.edit', d.department_id);
  const approve = mayDo(user!, 'major-decision.approve', d.department_id);
  const collective = v.stages.find((s) => s.stage === 'collective_decision')!;
  const decided = collective.state === 'done' && ['adopted', 'amended'].includes(collective.outcome);
  const f = (form: string) => (st.form === form ? st.fields ?? {} : {});
  const val = (form: string, k: string, dflt: string) => (st.form === form && st.values ? st.values[k] ?? '' : dflt);
  const publication = v.stages.find((s) => s.stage === 'publication')!;
  return (
    <section aria-labelledby="pub-h">
      <h2 id="pub-h">{c.t('decisions.console.publication')}</h2>
      {d.status === 'published' && (
        <p>
          {c.t('decisions.console.published', { date: publication.finishedOn ?? '' })} {d.item_id && <a href={`/catalog/items/${d.item_id}`}>{c.t('decisions.console.published_item')}</a>}
        </p>
      )}
      {d.status === 'open' && d.submitted_by && <Notice kind="info">{c.t('decisions.stages.console.submitted', { who: actorLabel(c, d.submitted_by, names) })}</Notice>}
      {d.status === 'open' && edit && (
        <>
          <p>{c.t('decisions.console.submit_intro')}</p>
          {!decided ? (
            <p class="hint">{c.t('decisions.console.not_ready')}</p>
          ) : (
            <form method="post" action={`${BASE}/${d.id}/submit`} class="stack">
              <Csrf c={c} />
              <Field label={c.t('decisions.stages.f.text')} name="text" value={val('submit', 'text', d.decision_text)} required multiline rows={10} maxLength={TEXT_LIMITS.text} hint={c.t('decisions.console.hint.text')} error={f('submit').text} />
              <Field label={c.t('decisions.stages.f.interpretation')} name="interpretation" value={val('submit', 'interpretation', d.interpretation)} maxLength={LIMITS.interpretation} hint={c.t('decisions.console.hint.interpretation')} error={f('submit').interpretation} />
              <button type="submit">{c.t('decisions.stages.console.submit')}</button>
            </form>
          )}
        </>
      )}
      {d.status === 'open' && d.submitted_by && approve && (
        <form method="post" action={`${BASE}/${d.id}/publish`} class="confirm-form">
          <Csrf c={c} />
          <p>{c.t('decisions.console.publish_intro')}</p>
          {typeof user !== 'string' && user && d.submitted_by === `user:${user.username}` && <p class="hint">{c.t('decisions.console.own_submission')}</p>}
          <label class="confirm" id="f-confirm">
            <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.console.publish_confirm')}
          </label>
          <button type="submit">{c.t('decisions.stages.console.publish')}</button>
        </form>
      )}
      {d.status === 'withdrawn' && (
        <Notice kind="info">
          {c.t('decisions.console.withdrawn', { date: d.withdrawn_at ? shanghaiDate(d.withdrawn_at) : '' })} <Zh c={c}>{d.withdraw_reason}</Zh>
        </Notice>
      )}
      {d.status === 'open' && approve && (
        <details class="danger-zone" open={st.form === 'withdraw'}>
          <summary>{c.t('decisions.console.withdraw_h')}</summary>
          <form method="post" action={`${BASE}/${d.id}/withdraw`} class="stack">
            <Csrf c={c} />
            <p class="hint">{c.t('decisions.console.withdraw_intro')}</p>
            <Field label={c.t('decisions.console.withdraw_reason')} name="reason" id="f-withdraw-reason" value={val('withdraw', 'reason', '')} required multiline rows={3} maxLength={TEXT_LIMITS.reason} error={f('withdraw').reason} />
            <label class="confirm">
              <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.console.withdraw_confirm')}
            </label>
            <button type="submit">{c.t('decisions.console.withdraw')}</button>
          </form>
        </details>
      )}
      {d.status === 'published' && d.evaluation_item_id && (
        <p>
          <a href={`/catalog/items/${d.evaluation_item_id}`}>{c.t('decisions.console.evaluation_item')}</a>
        </p>
      )}
      {d.status === 'published' && !d.evaluation_item_id && approve && (
        <>
          <h3>{c.t('decisions.stages.console.evaluate')}</h3>
          <p>{c.t('decisions.console.evaluation_intro')}</p>
          <form method="post" action={`${BASE}/${d.id}/evaluation`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('decisions.stages.f.evaluation')} name="text" id="f-evaluation-text" value={val('evaluation', 'text', '')} required multiline rows={10} maxLength={TEXT_LIMITS.text} error={f('evaluation').text} />
            <label class="confirm">
              <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.console.evaluation_confirm')}
            </label>
            <button type="submit">{c.t('decisions.stages.console.evaluate')}</button>
          </form>
        </>
      )}
    </section>
  );
}

async function recordPage(p: Platform, req: FastifyRequest, reply: FastifyReply, id: number, st: PageState = {}, status = 200) {
  const c = req.ctx(reply);
  const d = await decisionFor(p.db, req.user!, id, 'major-decision.read');
  const v = await decisionView(p.db, d, true);
  const rows = await stagesOf(p.db, d.id);
  const usernames = actorUsernames(d.submitted_by ? [d.submitted_by] : []);
  const names = new Map(usernames.length ? (await p.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [u.username, u.display_name] as [string, string]) : []);
  const edit = mayDo(req.user!, 'major-decision.edit', d.department_id);
  const q = (req.query ?? {}) as Record<string, string>;
  const done = status === 200 && q.done && hasMessage(`decisions.console.done.${q.done}`) ? c.t(`decisions.console.done.${q.done}`) : '';
  const fields = st.fields ?? {};
  const fieldErrors = Object.entries(fields).filter(([k]) => k !== '_');
  return reply.code(status).html(
    <AdminLayout c={c} title={d.title}>
      <nav class="breadcrumb" aria-label={c.t('decisions.stages.timeline.breadcrumb')}>
        <a href={BASE}>{c.t('nav.decisions_admin')}</a>
      </nav>
      <h1>
        <Zh c={c}>{d.title}</Zh>
      </h1>
      {done && <Notice kind="success">{done}</Notice>}
      {fields._ && <Notice kind="error">{fields._}</Notice>}
      {fieldErrors.length > 0 && (
        <Notice kind="error">
          <ul>
            {fieldErrors.map(([k, m]) => (
              // A field the page's forms do not show is named, so the sender knows which one.
              <li>{FORM_FIELDS.has(k) ? m : `${k} — ${m}`}</li>
            ))}
          </ul>
        </Notice>
      )}
      <Dl
        rows={[
          [c.t('decisions.stages.f.department'), <Zh c={c}>{v.department}</Zh>],
          [c.t('decisions.stages.f.year'), String(d.year)],
          [c.t('decisions.stages.f.status'), c.t(`decisions.stages.status.${d.status}`)],
          [c.t('decisions.stages.f.stage'), c.t(`decisions.stage.${d.stage}`)],
          [c.t('decisions.stages.f.catalogueCode'), d.catalogue_code || c.t('decisions.console.none')],
          [c.t('decisions.stages.f.basis'), <span class="pre"><Zh c={c}>{d.basis}</Zh></span>],
          ...(d.summary ? ([[c.t('decisions.stages.f.summary'), <span class="pre"><Zh c={c}>{d.summary}</Zh></span>]] as [string, ComponentChildren][]) : []),
          [c.t('decisions.stages.f.interpretation'), d.interpretation ? <a href={/^\d+$/.test(d.interpretation) ? `/catalog/items/${d.interpretation}` : d.interpretation}>{c.t('decisions.stages.interpretation_link')}</a> : c.t('decisions.console.none')],
          [c.t('decisions.console.created'), shanghaiDateTime(d.created_at)],
          [c.t('decisions.stages.console.public_page'), <a href={`/decisions/${d.id}`}>{c.t('decisions.stages.timeline_link')}</a>],
        ]}
      />
      <section aria-labelledby="stages-h">
        <h2 id="stages-h">{c.t('decisions.stages.console.stages')}</h2>
        <ol class="stages">
          {v.stages.map((s) => (
            <StageItem c={c} d={d} s={s} rows={rows} edit={edit} st={st} />
          ))}
        </ol>
      </section>
      <Links c={c} d={d} v={v} edit={edit} />
      <Publication c={c} d={d} v={v} user={req.user} st={st} names={names} />
    </AdminLayout>,
  );
}

// ---- routes -------------------------------------------------------------------------------------------

export async function decisionsConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get('/admin/decisions', { config: { permission: 'major-decision.read' } }, async (req, reply) => listPage(p, req, reply));

  app.get('/admin/decisions/new', { config: { permission: 'major-decision.edit' } }, async (req, reply) => newPage(p, req, reply, {}));
  app.post<{ Body: Body }>('/admin/decisions/new', { config: { permission: 'major-decision.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    const v: Fields = Object.fromEntries(NEW_FIELDS.map((k) => [k, str(b[k])]));
    try {
      const f: Fields = {};
      if (!/^\d{1,9}$/.test(v.departmentId.trim())) f.departmentId = v.departmentId.trim() ? 'err.field.invalid' : 'err.field.required';
      if (!/^\d{4}$/.test(v.year.trim())) f.year = v.year.trim() ? 'err.field.invalid' : 'err.field.required';
      if (Object.keys(f).length) throw validationError(f);
      const { id } = await createDecision(p, req.user!, { title: v.title, basis: v.basis, summary: v.summary, catalogueCode: v.catalogueCode, interpretation: v.interpretation, departmentId: Number(v.departmentId), year: Number(v.year) });
      return reply.redirect(`${BASE}/${id}?done=created`, 303);
    } catch (err) {
      const e = errorFields(req, err);
      if (!e) throw err;
      return newPage(p, req, reply, v, e.fields, e.status);
    }
  });

  app.get<{ Params: { id: string } }>('/admin/decisions/:id', { config: { permission: 'major-decision.read' } }, async (req, reply) => recordPage(p, req, reply, idOf(req.params.id)));

  /** Staff download of a stage's document (public or not). */
  app.get<{ Params: { id: string; stage: string; n: string } }>('/admin/decisions/:id/stages/:stage/documents/:n', { config: { permission: 'major-decision.read' } }, async (req, reply) => {
    const { stage, n } = req.params;
    if (!isStage(stage) || !/^\d{1,3}$/.test(n)) throw notFound();
    const d = await decisionFor(p.db, req.user!, idOf(req.params.id), 'major-decision.read');
    const row = (await stagesOf(p.db, d.id)).find((s) => s.stage === stage);
    const doc = row ? documentsOf(row)[Number(n)] : undefined;
    const info = doc ? await fileInfo(p.db, doc.fileId) : null;
    if (!doc || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, doc.name, info, 'private, no-store');
  });

  /** A form of the record page: runs `run`, then back to the page (303 with ?done=), or the page with the refusal. */
  type Params = Record<string, string>;
  const act = (path: string, permission: string, form: (params: Params, body: Body) => string, run: (req: FastifyRequest<{ Params: Params; Body: Body }>, id: number) => Promise<string>, multipart = false) =>
    app.post<{ Params: Params; Body: Body }>(`${BASE}/:id${path}`, { config: { permission, ...(multipart ? { csrf: 'multipart' as const } : {}) }, ...(multipart ? { bodyLimit: 32 * 1024 * 1024 } : {}) }, async (req, reply) => {
      const id = idOf(req.params.id);
      try {
        const done = await run(req, id);
        return reply.redirect(`${BASE}/${id}?done=${done}`, 303);
      } catch (err) {
        const e = errorFields(req, err);
        if (!e) throw err;
        const values = Object.fromEntries(Object.entries((multipart ? {} : req.body) ?? {}).map(([k, x]) => [k, str(x)]));
        return recordPage(p, Object.assign(req, { query: {} }), reply, id, { fields: e.fields, form: form(req.params, (multipart ? {} : req.body) ?? {}), values }, e.status);
      }
    });

  act('/stages/:stage', 'major-decision.edit', (x, b) => `stage:${x.stage}:${str(b.action)}`, async (req, id) => {
    const b = req.body ?? {};
    const action = str(b.action);
    await setStageState(p, req.user!, id, req.params.stage, { action: action as never, reason: str(b.reason), note: str(b.note), outcome: str(b.outcome), dissent: str(b.dissent) });
    return ['start', 'finish', 'skip'].includes(action) ? action : 'start';
  });
  act(
    '/stages/:stage/documents',
    'major-decision.edit',
    (x) => `stage:${x.stage}:document`,
    async (req, id) => {
      if (!isStage(req.params.stage)) throw notFound();
      if (!req.isMultipart()) throw validationError({ file: 'err.field.required' });
      let file: { buf: Buffer; name: string } | null = null;
      let isPublic = false;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            const buf = await part.toBuffer();
            if (!file && part.filename && buf.length) file = { buf, name: part.filename };
          } else if (part.fieldname === 'public') isPublic = String(part.value) === 'yes';
        }
      } catch (err: any) {
        if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'payload_too_large', 'err.file.too_large', { file: 'err.file.too_large' }, { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) });
        throw err;
      }
      if (!file) throw validationError({ file: 'err.field.required' });
      await addStageDocument(p, req.user!, id, req.params.stage, file, isPublic);
      return 'document';
    },
    true,
  );
  act('/stages/:stage/documents/:n', 'major-decision.edit', (x) => `stage:${x.stage}:document`, async (req, id) => {
    const b = req.body ?? {};
    const change = str(b.change);
    if (!/^\d{1,3}$/.test(req.params.n)) throw notFound();
    if (change === 'remove' && str(b.confirm) !== 'yes') throw validationError({ confirm: 'common.confirm_required' });
    if (!['remove', 'public', 'private'].includes(change)) throw validationError({ change: 'err.field.invalid' });
    await changeStageDocument(p, req.user!, id, req.params.stage, Number(req.params.n), change === 'remove' ? { remove: true } : { public: change === 'public' });
    return 'document_changed';
  });
  act('/submit', 'major-decision.edit', () => 'submit', async (req, id) => {
    const b = req.body ?? {};
    await submitDecision(p, req.user!, id, { text: str(b.text), interpretation: str(b.interpretation) });
    return 'submitted';
  });
  act('/publish', 'major-decision.approve', () => 'publish', async (req, id) => {
    if (str(req.body?.confirm) !== 'yes') throw validationError({ confirm: 'common.confirm_required' });
    await publishDecision(p, req.user!, id);
    return 'published';
  });
  act('/withdraw', 'major-decision.approve', () => 'withdraw', async (req, id) => {
    const b = req.body ?? {};
    if (str(b.confirm) !== 'yes') throw validationError({ confirm: 'common.confirm_required' });
    await withdrawDecision(p, req.user!, id, { reason: str(b.reason) });
    return 'withdrawn';
  });
  act('/evaluation', 'major-decision.approve', () => 'evaluation', async (req, id) => {
    const b = req.body ?? {};
    if (str(b.confirm) !== 'yes') throw validationError({ confirm: 'common.confirm_required' });
    await publishEvaluation(p, req.user!, id, { text: str(b.text) });
    return 'evaluation';
  });
}
