// The console of 双公示 decisions: the list of the user's departments' decisions (status, the
// 7-working-day publication date and its clock, filters), the entry and edit form, a decision's
// page (all fields, the public text as it will be published, submit / approve with confirmation /
// return with a reason / delete a draft), and the import of a CSV or XLSX with its row report.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, FileInput, Notice, Pager, Select, TableWrap, Zh, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { hasMessage } from '../../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { tableSource } from '../../../platform/files/table.js';
import { DECISION_KINDS, DECISION_STATUSES, SEVERITIES } from '../service/codes.js';
import {
  approveDecision,
  createDecision,
  decisionForStaff,
  deleteDecision,
  domainOptions,
  LICENSING_CATEGORIES,
  LIMITS,
  PENALTY_CATEGORIES,
  inputOfRow,
  publicData,
  returnDecision,
  submitDecision,
  SUBJECT_TYPES,
  updateDecision,
  type DecisionInput,
  type DomainOption,
} from '../service/decisions.js';
import { clocksOf, listDecisions, type DecisionClock } from '../service/decision-queries.js';
import { importDecisions, importTemplate, IMPORT_COLUMNS, type DecisionImportReport } from '../service/decision-import.js';
import { categoryLabel, DecisionFields } from '../items.js';
import type { DecisionRow } from '../schema.js';

type Fields = Record<string, string>;
const BASE = '/admin/enforcement/decisions';

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};

/** An error as translated field messages for the page (null: not ours to show). */
function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = err.params && typeof err.params.status === 'string' ? { ...err.params, status: req.t(err.params.status) } : err.params;
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)]));
  return { _: req.t(err.message, params) };
}

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** The form's fields as the service's input. */
function inputFromForm(b: Record<string, unknown>): DecisionInput {
  const kind = one(b.kind);
  return {
    kind,
    departmentId: Number(one(b.departmentId)),
    docNo: one(b.docNo),
    subjectType: one(b.subjectType),
    subjectName: one(b.subjectName),
    creditCode: one(b.creditCode),
    legalRep: one(b.legalRep),
    address: one(b.address),
    idNumber: one(b.idNumber),
    facts: one(b.facts),
    category: kind === 'licensing' ? many(b.licensingCategory) : many(b.penaltyCategory),
    basis: one(b.basis),
    content: one(b.content),
    result: one(b.result),
    licenceName: one(b.licenceName),
    licenceNo: one(b.licenceNo),
    validFrom: one(b.validFrom) || null,
    validTo: one(b.validTo) || null,
    decisionDate: one(b.decisionDate),
    domain: one(b.domain),
    severity: one(b.severity),
  };
}

/** The departments where the user may enter decisions. */
async function editDepartments(p: Platform, user: Principal) {
  const all = await p.db.selectFrom('departments').select(['id', 'name', 'active']).orderBy('sort').orderBy('id').execute();
  return all.filter((d) => Number(d.active) && can(user, 'decision.edit', { departmentId: d.id }));
}

const optionLabel = (c: PageCtx, d: DomainOption) => (c.locale === 'en' ? d.en : d.zh);
const clockText = (c: PageCtx, k: DecisionClock | null) => (k ? `${k.due} · ${c.t(`enforcement.decision.clock.${k.status}`)}` : '—');

function DecisionForm({ c, action, v, errors, depts, domains, creating }: { c: PageCtx; action: string; v: DecisionInput; errors: Fields; depts: { id: number; name: string }[]; domains: DomainOption[]; creating: boolean }) {
  const cats = new Set(Array.isArray(v.category) ? v.category : String(v.category).split(','));
  return (
    <form method="post" action={action} class="decision-form">
      <Csrf c={c} />
      <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_'))} />
      <Select label={c.t('enforcement.decision.f.kind')} name="kind" value={v.kind} required options={DECISION_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.kind.${k}`) }))} error={errors.kind} />
      <Select label={c.t('enforcement.decision.f.department')} name="departmentId" value={v.departmentId || ''} required options={depts.map((d) => ({ value: d.id, label: d.name }))} error={errors.departmentId} />
      <Field label={c.t('enforcement.decision.f.docNo')} name="docNo" value={v.docNo} required maxLength={LIMITS.docNo} error={errors.docNo} />
      <fieldset>
        <legend>{c.t('enforcement.decision.subject')}</legend>
        <Select label={c.t('enforcement.decision.f.subjectType')} name="subjectType" value={v.subjectType} required options={SUBJECT_TYPES.map((s) => ({ value: s, label: c.t(`enforcement.decision.subject.${s}`) }))} error={errors.subjectType} />
        <Field label={c.t('enforcement.decision.f.subjectName')} name="subjectName" value={v.subjectName} required maxLength={LIMITS.subjectName} error={errors.subjectName} />
        <Field label={c.t('enforcement.decision.f.creditCode')} name="creditCode" value={v.creditCode} maxLength={18} hint={c.t('enforcement.decision.hint.creditCode')} error={errors.creditCode} autocomplete="off" />
        <Field label={c.t('enforcement.decision.f.legalRep')} name="legalRep" value={v.legalRep} maxLength={LIMITS.legalRep} hint={c.t('enforcement.decision.hint.legalRep')} error={errors.legalRep} />
        <Field label={c.t('enforcement.decision.f.idNumber')} name="idNumber" value={v.idNumber} maxLength={18} hint={c.t('enforcement.decision.hint.idNumber')} error={errors.idNumber} autocomplete="off" />
        <Field label={c.t('enforcement.decision.f.address')} name="address" value={v.address} maxLength={LIMITS.address} hint={c.t('enforcement.decision.hint.address')} error={errors.address} />
      </fieldset>
      <fieldset>
        <legend>{c.t('enforcement.decision.content_legend')}</legend>
        <Field label={c.t('enforcement.decision.f.facts_both')} name="facts" value={v.facts} required multiline rows={5} maxLength={LIMITS.facts} error={errors.facts} />
        <fieldset class={`checkboxes${errors.category && v.kind !== 'licensing' ? ' has-error' : ''}`}>
          <legend>{c.t('enforcement.decision.f.category')}</legend>
          {errors.category && v.kind !== 'licensing' && <p class="field-error">{errors.category}</p>}
          {PENALTY_CATEGORIES.map((k) => (
            <label>
              <input type="checkbox" name="penaltyCategory" value={k} checked={v.kind !== 'licensing' && cats.has(k)} /> {categoryLabel(c.t, 'penalty', k)}
            </label>
          ))}
        </fieldset>
        <Select
          label={c.t('enforcement.decision.f.category_licensing')}
          name="licensingCategory"
          value={v.kind === 'licensing' ? [...cats][0] ?? '' : ''}
          blank="—"
          options={LICENSING_CATEGORIES.map((k) => ({ value: k, label: categoryLabel(c.t, 'licensing', k) }))}
          error={v.kind === 'licensing' ? errors.category : undefined}
        />
        <Field label={c.t('enforcement.decision.f.basis_both')} name="basis" value={v.basis} required multiline rows={3} maxLength={LIMITS.basis} error={errors.basis} />
        <Field label={c.t('enforcement.decision.f.content_both')} name="content" value={v.content} required multiline rows={3} maxLength={LIMITS.content} error={errors.content} />
        <Field label={c.t('enforcement.decision.f.result')} name="result" value={v.result} multiline rows={2} maxLength={LIMITS.result} hint={c.t('enforcement.decision.hint.penalty_only')} error={errors.result} />
        <Select label={c.t('enforcement.decision.f.severity')} name="severity" value={v.severity ?? ''} blank="—" options={SEVERITIES.map((s) => ({ value: s, label: c.t(`enforcement.severity.${s}`) }))} error={errors.severity} />
        <p class="hint">{c.t('enforcement.decision.hint.severity')}</p>
      </fieldset>
      <fieldset>
        <legend>{c.t('enforcement.decision.licence_legend')}</legend>
        <Field label={c.t('enforcement.decision.f.licenceName')} name="licenceName" value={v.licenceName} maxLength={LIMITS.licenceName} error={errors.licenceName} />
        <Field label={c.t('enforcement.decision.f.licenceNo')} name="licenceNo" value={v.licenceNo} maxLength={LIMITS.licenceNo} error={errors.licenceNo} />
        <Field label={c.t('enforcement.decision.f.validFrom')} name="validFrom" type="date" value={v.validFrom ?? ''} error={errors.validFrom} />
        <Field label={c.t('enforcement.decision.f.validTo')} name="validTo" type="date" value={v.validTo ?? ''} hint={c.t('enforcement.decision.hint.validTo')} error={errors.validTo} />
      </fieldset>
      <Field label={c.t('enforcement.decision.f.decisionDate_both')} name="decisionDate" type="date" value={v.decisionDate} required error={errors.decisionDate} hint={c.t('enforcement.decision.hint.decisionDate')} />
      <Select label={c.t('enforcement.decision.f.domain')} name="domain" value={v.domain} required options={domains.map((d) => ({ value: d.code, label: optionLabel(c, d) }))} error={errors.domain} />
      {creating && (
        <label class="confirm">
          <input type="checkbox" name="submit" value="1" /> {c.t('enforcement.decision.submit_at_once')}
        </label>
      )}
      <button type="submit">{c.t(creating ? 'enforcement.decision.create' : 'common.save')}</button>
    </form>
  );
}

const EMPTY: DecisionInput = { kind: 'penalty', departmentId: 0, docNo: '', subjectType: 'legal', subjectName: '', creditCode: '', legalRep: '', address: '', idNumber: '', facts: '', category: [], basis: '', content: '', result: '', licenceName: '', licenceNo: '', validFrom: null, validTo: null, decisionDate: '', domain: '', severity: '' };

function ImportReportView({ c, r }: { c: PageCtx; r: DecisionImportReport }) {
  return (
    <section aria-labelledby="report-h">
      <h2 id="report-h">{c.t('enforcement.decision.import.report')}</h2>
      {r.format && <p class="import-source">{tableSource(c.t, { format: r.format, encoding: r.encoding })}</p>}
      {r.problems.length ? (
        <>
          <Notice kind="error">{c.t('enforcement.decision.import.failed_rows', { rows: r.rows, n: r.problems.length })}</Notice>
          <TableWrap label={c.t('enforcement.decision.import.report')}>
            <table class="import-errors">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.decision.import.row')}</th>
                  <th scope="col">{c.t('enforcement.decision.import.column')}</th>
                  <th scope="col">{c.t('enforcement.decision.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {r.problems.map((x) => (
                  <tr>
                    <td>{x.row}</td>
                    <td>{x.field === 'file' ? c.t('enforcement.decision.import.file') : <Zh c={c}>{x.field}</Zh>}</td>
                    <td>{x.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : r.dryRun ? (
        <Notice kind="success">{c.t('enforcement.decision.import.dry_ok', { rows: r.rows })}</Notice>
      ) : (
        <Notice kind="success">{c.t(r.submitted ? 'enforcement.decision.import.done_submitted' : 'enforcement.decision.import.done', { n: r.created })}</Notice>
      )}
    </section>
  );
}

export async function decisionsConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- the list ----
  app.get<{ Querystring: Record<string, string> }>(BASE, { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query ?? {};
    const status = (DECISION_STATUSES as readonly string[]).includes(q.status) ? q.status : '';
    const kind = (DECISION_KINDS as readonly string[]).includes(q.kind) ? q.kind : '';
    const text = (q.q ?? '').trim().slice(0, 100);
    const page = /^\d{1,5}$/.test(q.page ?? '') && Number(q.page) >= 1 ? Number(q.page) : 1;
    const r = await listDecisions(p.db, req.user!, { status: status || undefined, kind: kind || undefined, q: text || undefined, page, pageSize: 30 });
    const href = (n: number) => `${BASE}?${new URLSearchParams({ status, kind, q: text, page: String(n) })}`;
    const mayEdit = can(req.user, 'decision.edit');
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.decision.console')}>
        <h1>{c.t('enforcement.decision.console')}</h1>
        <p class="hint">{c.t('enforcement.decision.console_intro')}</p>
        {q.deleted && <Notice kind="success">{c.t('enforcement.decision.deleted')}</Notice>}
        {mayEdit && (
          <p class="actions">
            <a class="button" href={`${BASE}/new`}>{c.t('enforcement.decision.new')}</a> <a href={`${BASE}/import`}>{c.t('enforcement.decision.import.title')}</a>
          </p>
        )}
        <form method="get" action={BASE} class="filters" aria-label={c.t('common.filter')}>
          <Select label={c.t('enforcement.decision.f.status')} name="status" value={status} blank={c.t('common.all')} options={DECISION_STATUSES.map((s) => ({ value: s, label: c.t(`enforcement.status.${s}`) }))} />
          <Select label={c.t('enforcement.decision.f.kind')} name="kind" value={kind} blank={c.t('common.all')} options={DECISION_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.kind.${k}`) }))} />
          <Field label={c.t('enforcement.decision.staff_q')} name="q" value={text} type="search" maxLength={100} />
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{c.t('enforcement.decision.none')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.decision.console')}>
            <table class="decision-admin-list">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.decision.f.docNo')}</th>
                  <th scope="col">{c.t('enforcement.decision.f.subjectName')}</th>
                  <th scope="col">{c.t('enforcement.decision.f.kind')}</th>
                  <th scope="col">{c.t('enforcement.decision.f.department')}</th>
                  <th scope="col">{c.t('enforcement.decision.f.decisionDate_both')}</th>
                  <th scope="col">{c.t('enforcement.decision.f.status')}</th>
                  <th scope="col">{c.t('enforcement.decision.due')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((d) => (
                  <tr data-status={d.status}>
                    <th scope="row">
                      <a href={`${BASE}/${d.id}`}>{d.doc_no}</a>
                    </th>
                    <td>{d.subject_name}</td>
                    <td>
                      {c.t(`enforcement.kind.${d.kind}`)}
                      {d.severity && ` · ${c.t(`enforcement.severity.${d.severity}`)}`}
                    </td>
                    <td>{d.department_name}</td>
                    <td>{d.decision_date}</td>
                    <td>{c.t(`enforcement.status.${d.status}`)}</td>
                    <td class={`clock-${d.clock?.status ?? 'none'}`}>{clockText(c, d.clock)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={30} total={r.total} href={href} />
      </AdminLayout>,
    );
  });

  // ---- entry ----
  const formPage = async (req: FastifyRequest, reply: FastifyReply, opts: { id?: number; v: DecisionInput; errors?: Fields; status?: number }) => {
    const c = req.ctx(reply);
    const [depts, domains] = await Promise.all([editDepartments(p, req.user!), domainOptions(p.db)]);
    const title = opts.id ? c.t('enforcement.decision.edit') : c.t('enforcement.decision.new');
    return reply.code(opts.status ?? 200).html(
      <AdminLayout c={c} title={title}>
        <p>
          <a href={opts.id ? `${BASE}/${opts.id}` : BASE}>{c.t('enforcement.decision.back')}</a>
        </p>
        <h1>{title}</h1>
        {opts.errors?._ && <Notice kind="error">{opts.errors._}</Notice>}
        <DecisionForm c={c} action={opts.id ? `${BASE}/${opts.id}/edit` : BASE} v={opts.v} errors={opts.errors ?? {}} depts={depts} domains={domains} creating={!opts.id} />
      </AdminLayout>,
    );
  };

  app.get(`${BASE}/new`, { config: { permission: 'decision.edit' } }, async (req, reply) => formPage(req, reply, { v: EMPTY }));
  app.post<{ Body: Record<string, unknown> }>(BASE, { config: { permission: 'decision.edit' } }, async (req, reply) => {
    const v = inputFromForm(req.body ?? {});
    try {
      const { id } = await createDecision(p, req.user!, v, { submit: one(req.body?.submit) === '1' });
      return reply.redirect(`${BASE}/${id}?done=created`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return formPage(req, reply, { v, errors, status: (err as HttpError).status });
    }
  });
  app.get<{ Params: { id: string } }>(`${BASE}/:id/edit`, { config: { permission: 'decision.edit' } }, async (req, reply) => {
    const d = await decisionForStaff(p.db, req.user!, idOf(req.params.id));
    if (d.status !== 'draft' || !can(req.user, 'decision.edit', { departmentId: d.department_id })) return reply.redirect(`${BASE}/${d.id}`, 303);
    return formPage(req, reply, { id: d.id, v: inputOfRow(d) });
  });
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(`${BASE}/:id/edit`, { config: { permission: 'decision.edit' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const v = inputFromForm(req.body ?? {});
    try {
      await updateDecision(p, req.user!, id, v);
      return reply.redirect(`${BASE}/${id}?done=saved`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return formPage(req, reply, { id, v, errors, status: (err as HttpError).status });
    }
  });

  // ---- one decision ----
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>(`${BASE}/:id`, { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const u = req.user!;
    const d = await decisionForStaff(p.db, u, idOf(req.params.id));
    const q = req.query ?? {};
    const [dept, domains, clocks, people] = await Promise.all([
      p.db.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirstOrThrow(),
      domainOptions(p.db),
      clocksOf(p.db, [d.id]),
      p.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [d.author_id, d.approver_id ?? ''].map(Number).filter((x) => Number.isInteger(x) && x > 0).concat(-1)).execute(),
    ]);
    const who = (id: string | null) => (id ? (people.find((x) => String(x.id) === id)?.display_name ?? id) : '—');
    const domainName = domains.find((x) => x.code === d.domain)?.zh ?? d.domain;
    const maySubmit = d.status === 'draft' && can(u, 'decision.edit', { departmentId: d.department_id });
    const mayApprove = d.status === 'submitted' && can(u, 'decision.approve', { departmentId: d.department_id });
    const own = d.author_id === String(u.id);
    const preview = publicData(d, dept.name, domainName);
    const clock = clocks.get(d.id) ?? null;
    const title = `${c.t(`enforcement.kind.${d.kind}`)} ${d.doc_no}`;
    const cats = d.category.split(',').filter(Boolean).map((x) => categoryLabel(c.t, d.kind, x)).join(c.t('enforcement.decision.list_sep'));
    return reply.html(
      <AdminLayout c={c} title={title}>
        <p>
          <a href={BASE}>{c.t('enforcement.decision.back')}</a>
        </p>
        <h1>{title}</h1>
        {q.done && hasMessage(`enforcement.decision.done.${q.done}`) && <Notice kind="success">{c.t(`enforcement.decision.done.${q.done}`)}</Notice>}
        {q.error && /^[\w.-]+$/.test(q.error) && hasMessage(q.error) && <Notice kind="error">{c.t(q.error, { status: c.t(`enforcement.status.${d.status}`) })}</Notice>}
        <Dl
          rows={[
            [c.t('enforcement.decision.f.status'), c.t(`enforcement.status.${d.status}`) + (d.end_reason ? ` · ${c.t(`enforcement.end.${d.end_reason}`)}` : '')],
            [c.t('enforcement.decision.due'), clockText(c, clock)],
            [c.t('enforcement.decision.f.department'), dept.name],
            [c.t('enforcement.decision.f.subjectType'), c.t(`enforcement.decision.subject.${d.subject_type}`)],
            [c.t('enforcement.decision.f.subjectName'), d.subject_name],
            ...(d.subject_type === 'legal'
              ? ([
                  [c.t('enforcement.decision.f.creditCode'), d.credit_code],
                  [c.t('enforcement.decision.f.legalRep'), d.legal_rep],
                ] as [string, string][])
              : ([[c.t('enforcement.decision.f.idNumber'), can(u, 'decision.edit', { departmentId: d.department_id }) ? d.id_number : `${d.id_number.slice(0, 3)}*************${d.id_number.slice(-2)}`]] as [string, string][])),
            [c.t('enforcement.decision.f.address'), d.address || '—'],
            [c.t(d.kind === 'penalty' ? 'enforcement.decision.f.facts' : 'enforcement.decision.f.facts_licensing'), d.facts],
            [c.t(d.kind === 'penalty' ? 'enforcement.decision.f.category' : 'enforcement.decision.f.category_licensing'), cats],
            [c.t(d.kind === 'penalty' ? 'enforcement.decision.f.basis' : 'enforcement.decision.f.basis_licensing'), d.basis],
            [c.t(d.kind === 'penalty' ? 'enforcement.decision.f.content' : 'enforcement.decision.f.content_licensing'), d.content],
            ...(d.kind === 'penalty'
              ? ([
                  [c.t('enforcement.decision.f.result'), d.result || '—'],
                  [c.t('enforcement.decision.f.severity'), c.t(`enforcement.severity.${d.severity}`)],
                ] as [string, string][])
              : ([
                  [c.t('enforcement.decision.f.licenceName'), d.licence_name || '—'],
                  [c.t('enforcement.decision.f.licenceNo'), d.licence_no || '—'],
                  [c.t('enforcement.decision.f.validity'), d.valid_from ? c.t(d.valid_to ? 'enforcement.decision.valid_range' : 'enforcement.decision.valid_open', { from: d.valid_from, to: d.valid_to ?? '' }) : '—'],
                ] as [string, string][])),
            [c.t('enforcement.decision.f.decisionDate_both'), d.decision_date],
            [c.t('enforcement.decision.f.domain'), optionLabel(c, domains.find((x) => x.code === d.domain) ?? { code: d.domain, zh: d.domain, en: d.domain })],
            [c.t('enforcement.decision.display_period'), d.display_until ? c.t('enforcement.decision.display_period_value', { min: d.display_min_until ?? '—', until: d.display_until }) : '—'],
            [c.t('enforcement.decision.author'), who(d.author_id)],
            [c.t('enforcement.decision.approver'), who(d.approver_id)],
            [c.t('enforcement.decision.updated'), shanghaiDateTime(d.updated_at)],
          ]}
        />
        {d.pub_item_id && d.status === 'published' && (
          <p>
            <a href={`/enforcement/decisions/${d.pub_item_id}`}>{c.t('enforcement.decision.public_page')}</a>
          </p>
        )}
        <section aria-labelledby="actions-h" class="workflow">
          <h2 id="actions-h">{c.t('enforcement.decision.actions')}</h2>
          {maySubmit && (
            <div class="actions">
              <a class="button" href={`${BASE}/${d.id}/edit`}>{c.t('enforcement.decision.edit')}</a>
              <form method="post" action={`${BASE}/${d.id}/submit`} class="inline">
                <Csrf c={c} />
                <button type="submit">{c.t('enforcement.decision.submit')}</button>
              </form>
              <ConfirmForm c={c} action={`${BASE}/${d.id}/delete`} label={c.t('enforcement.decision.delete')} confirm={c.t('enforcement.decision.delete_confirm')} />
            </div>
          )}
          {mayApprove &&
            (own ? (
              <Notice kind="warning">{c.t('enforcement.decision.err.own')}</Notice>
            ) : (
              <div class="review-forms">
                <ConfirmForm c={c} action={`${BASE}/${d.id}/approve`} label={c.t('enforcement.decision.approve')} confirm={c.t(d.kind === 'penalty' && d.severity === 'minor' ? 'enforcement.decision.approve_confirm_minor' : 'enforcement.decision.approve_confirm')} />
                <form method="post" action={`${BASE}/${d.id}/return`} class="reason-form">
                  <Csrf c={c} />
                  <Field label={c.t('enforcement.decision.return_reason')} name="reason" id="f-return-reason" multiline rows={3} maxLength={1000} required />
                  <button type="submit" class="secondary">{c.t('enforcement.decision.return')}</button>
                </form>
              </div>
            ))}
          {!maySubmit && !mayApprove && <p class="hint">{c.t('enforcement.decision.no_action')}</p>}
        </section>
        {(d.kind === 'licensing' || d.severity !== 'minor') && (
          <section aria-labelledby="preview-h">
            <h2 id="preview-h">{c.t(d.status === 'published' ? 'enforcement.decision.published_text' : 'enforcement.decision.preview')}</h2>
            <p class="hint">{c.t('enforcement.decision.preview_hint')}</p>
            <DecisionFields c={c} d={d.display_until ? preview : { ...preview, displayUntil: '…' }} />
          </section>
        )}
      </AdminLayout>,
    );
  });

  const act = (path: string, permission: string, run: (req: FastifyRequest<{ Body: Record<string, unknown> }>, id: number) => Promise<string>) =>
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(`${BASE}/:id/${path}`, { config: { permission } }, async (req, reply) => {
      const id = idOf(req.params.id);
      try {
        return reply.redirect(await run(req, id), 303);
      } catch (err) {
        if (err instanceof HttpError && err.status !== 404 && err.status < 500) {
          const key = err.fields ? Object.values(err.fields)[0] : err.message;
          return reply.redirect(`${BASE}/${id}?error=${encodeURIComponent(key)}`, 303);
        }
        throw err;
      }
    });
  const confirmed = (req: FastifyRequest<{ Body: Record<string, unknown> }>) => {
    if (one(req.body?.confirm) !== 'yes') throw new HttpError(400, 'bad_request', 'common.confirm_required', { confirm: 'common.confirm_required' });
  };
  act('submit', 'decision.edit', async (_req, id) => {
    await submitDecision(p, _req.user!, id);
    return `${BASE}/${id}?done=submitted`;
  });
  act('approve', 'decision.approve', async (req, id) => {
    confirmed(req);
    const r = await approveDecision(p, req.user!, id);
    return `${BASE}/${id}?done=${r.status}`;
  });
  act('return', 'decision.approve', async (req, id) => {
    await returnDecision(p, req.user!, id, one(req.body?.reason));
    return `${BASE}/${id}?done=returned`;
  });
  act('delete', 'decision.edit', async (req, id) => {
    confirmed(req);
    await deleteDecision(p, req.user!, id);
    return `${BASE}?deleted=1`;
  });

  // ---- import ----
  const importPage = async (req: FastifyRequest, reply: FastifyReply, opts: { report?: DecisionImportReport; error?: string; status?: number; departmentId?: number }) => {
    const c = req.ctx(reply);
    const depts = await editDepartments(p, req.user!);
    return reply.code(opts.status ?? 200).html(
      <AdminLayout c={c} title={c.t('enforcement.decision.import.title')}>
        <p>
          <a href={BASE}>{c.t('enforcement.decision.back')}</a>
        </p>
        <h1>{c.t('enforcement.decision.import.title')}</h1>
        <p>{c.t('enforcement.decision.import.intro')}</p>
        <p>
          <a href={`${BASE}/import/template.csv`} download>
            {c.t('enforcement.decision.import.template')}
          </a>
        </p>
        <details>
          <summary>{c.t('enforcement.decision.import.columns')}</summary>
          <ul lang="zh-CN">
            {Object.values(IMPORT_COLUMNS).map((names) => (
              <li>
                {names[0]}
                {names.length > 1 && <span class="muted">（{names.slice(1).join('、')}）</span>}
              </li>
            ))}
          </ul>
        </details>
        {opts.error && <Notice kind="error">{opts.error}</Notice>}
        {opts.report && <ImportReportView c={c} r={opts.report} />}
        <form method="post" action={`${BASE}/import`} enctype="multipart/form-data">
          <Csrf c={c} />
          <Select label={c.t('enforcement.decision.f.department')} name="departmentId" value={opts.departmentId ?? ''} required options={depts.map((d) => ({ value: d.id, label: d.name }))} />
          <Select label={c.t('enforcement.decision.import.kind')} name="kind" value="" blank={c.t('enforcement.decision.import.kind_column')} options={DECISION_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.kind.${k}`) }))} />
          <div class="field">
            <label for="f-file">{c.t('enforcement.decision.import.file')}</label>
            <FileInput c={c} id="f-file" name="file" required accept=".csv,.xlsx" />
          </div>
          <label class="confirm">
            <input type="checkbox" name="submit" value="1" /> {c.t('enforcement.decision.submit_at_once')}
          </label>
          <label class="confirm">
            <input type="checkbox" name="dryRun" value="1" checked /> {c.t('enforcement.decision.import.dry')}
          </label>
          <button type="submit">{c.t('enforcement.decision.import.go')}</button>
        </form>
      </AdminLayout>,
    );
  };
  app.get(`${BASE}/import`, { config: { permission: 'decision.edit' } }, async (req, reply) => importPage(req, reply, {}));
  app.get(`${BASE}/import/template.csv`, { config: { permission: 'decision.edit' } }, async (_req, reply) =>
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', "attachment; filename=\"decisions.csv\"; filename*=UTF-8''%E5%8F%8C%E5%85%AC%E7%A4%BA%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv").send(importTemplate()),
  );
  app.post(`${BASE}/import`, { config: { permission: 'decision.edit', csrf: 'multipart' } }, async (req, reply) => {
    const v: Record<string, string> = {};
    let file: { buf: Buffer; name: string } | null = null;
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length && !file) file = { buf, name: part.filename };
        } else v[part.fieldname] = String(part.value ?? '').slice(0, 100);
      }
    }
    const departmentId = Number(v.departmentId);
    if (!file) return importPage(req, reply, { error: req.t('enforcement.decision.import.no_file'), status: 400, departmentId });
    try {
      const report = await importDecisions(p, req.user!, file, { departmentId, kind: v.kind || undefined, submit: v.submit === '1', dryRun: v.dryRun === '1', locale: req.locale });
      return importPage(req, reply, { report, status: report.problems.length ? 400 : 200, departmentId });
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return importPage(req, reply, { error: Object.values(errors).join(' '), status: (err as HttpError).status, departmentId });
    }
  });
}
