// The console of credit repair and of ending a display: /admin/enforcement/repairs lists the
// applications of the reviewer's departments (state, due date of the review clock, overdue);
// /admin/enforcement/repairs/:id shows one — the decision and its display period, the applicant,
// the commitment, the evidence files (staff-only downloads) — with approve (ends the display at
// once) and reject (a reason), each confirmed. /admin/enforcement/decisions/:id/end takes a decision
// down at once when it was revoked or changed (decision.approve, a note, a confirmation).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Dl, Empty, ErrorSummary, Field, Notice, Pager, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { actorName } from '../../../platform/auth/actor.js';
import { fileInfo, humanSize, sendStoredFile } from '../../../platform/files/index.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import type { DecisionRow } from '../schema.js';
import { LIMITS, listRepairs, repairFor, REPAIR_STATES, reviewRepair } from '../service/repairs.js';
import { decisionForEnd, endByStaff, END_NOTE_MAX, STAFF_END_REASONS } from '../service/display.js';
import { evidenceUrl } from '../api/repairs.js';

type Fields = Record<string, string>;
const PAGE_SIZE = 20;

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};

/** A service error as the page shows it (null: not ours to show). */
function errorFields(req: FastifyRequest, err: unknown): { fields: Fields; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)])), status: err.status };
  return { fields: { _: req.t(err.message, params) }, status: err.status };
}

/** The decision's facts both pages show. */
function DecisionFacts({ c, d, department }: { c: PageCtx; d: DecisionRow; department: string }) {
  const display = d.status === 'ended' ? c.t('enforcement.repair_page.display_ended', { date: shanghaiDate(d.ended_at), reason: c.t(`enforcement.end.${d.end_reason}`) }) : d.display_until ? c.t('enforcement.repair_admin.period', { min: d.display_min_until ?? '—', until: d.display_until }) : '—';
  return (
    <Dl
      rows={[
        [c.t('enforcement.repair_field.docNo'), d.doc_no],
        [c.t('enforcement.repair_admin.kind'), `${c.t(`enforcement.kind.${d.kind}`)}${d.severity ? ` · ${c.t(`enforcement.severity.${d.severity}`)}` : ''}`],
        [c.t('enforcement.repair_page.department'), department],
        [c.t('enforcement.repair_page.subject'), `${d.subject_name}${d.credit_code ? `（${d.credit_code}）` : ''}`],
        [c.t('enforcement.repair_page.decision_date'), d.decision_date],
        [c.t('enforcement.repair_admin.decision_status'), c.t(`enforcement.status.${d.status}`)],
        [c.t('enforcement.repair_page.display'), display],
        ...(d.pub_item_id && d.status === 'published' ? [[c.t('enforcement.repair_admin.public_page'), <a href={`/enforcement/decisions/${d.id}`}>{`/enforcement/decisions/${d.id}`}</a>] as [string, any]] : []),
      ]}
    />
  );
}

const departmentName = async (p: Platform, id: number) => (await p.db.selectFrom('departments').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '';

export async function repairConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { status?: string; page?: string } }>('/admin/enforcement/repairs', { config: { permission: 'credit.repair' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const status = (REPAIR_STATES as readonly string[]).includes(req.query.status ?? '') ? req.query.status! : '';
    const page = /^\d{1,5}$/.test(req.query.page ?? '') ? Math.max(1, Number(req.query.page)) : 1;
    const r = await listRepairs(p.db, req.user!, { status: status || undefined, page, pageSize: PAGE_SIZE });
    const href = (n: number) => `/admin/enforcement/repairs?${new URLSearchParams({ ...(status ? { status } : {}), page: String(n) })}`;
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.repair_admin.title')}>
        <h1>{c.t('enforcement.repair_admin.title')}</h1>
        <p class="hint">{c.t('enforcement.repair_admin.intro')}</p>
        <form method="get" action="/admin/enforcement/repairs" class="filters inline">
          <Select label={c.t('enforcement.repair_page.state')} name="status" value={status} blank={c.t('enforcement.repair_admin.all')} options={REPAIR_STATES.map((s) => ({ value: s, label: c.t(`enforcement.repair.${s}`) }))} />
          <button type="submit">{c.t('enforcement.repair_admin.filter')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{c.t('enforcement.repair_admin.none')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.repair_admin.title')}>
            <table class="repair-list">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.repair_page.tracking_no')}</th>
                  <th scope="col">{c.t('enforcement.repair_field.docNo')}</th>
                  <th scope="col">{c.t('enforcement.repair_page.subject')}</th>
                  <th scope="col">{c.t('enforcement.repair_page.department')}</th>
                  <th scope="col">{c.t('enforcement.repair_page.submitted_on')}</th>
                  <th scope="col">{c.t('enforcement.repair_page.due')}</th>
                  <th scope="col">{c.t('enforcement.repair_page.state')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((x) => (
                  <tr data-id={x.id} class={x.overdue ? 'overdue' : undefined}>
                    <th scope="row">
                      <a href={`/admin/enforcement/repairs/${x.id}`}>{x.tracking_no}</a>
                    </th>
                    <td>{x.doc_no}</td>
                    <td>{x.subject_name}</td>
                    <td>{x.department}</td>
                    <td>{x.submittedOn}</td>
                    <td>
                      {x.status === 'pending' ? x.dueDate ?? '—' : x.decidedOn ?? '—'}
                      {x.overdue && <strong class="overdue"> {c.t('enforcement.repair_admin.overdue')}</strong>}
                    </td>
                    <td class={`repair-state s-${x.status}`}>{c.t(`enforcement.repair.${x.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={PAGE_SIZE} total={r.total} href={href} />
      </AdminLayout>,
    );
  });

  const reviewPage = async (req: FastifyRequest, reply: FastifyReply, id: number, form?: { values: Record<string, string>; fields: Fields; status: number }) => {
    const c = req.ctx(reply);
    const x = await repairFor(p.db, req.user!, id);
    const r = x.row;
    const q = (req.query ?? {}) as Record<string, string>;
    const f = form?.fields ?? {};
    const done = REPAIR_STATES.find((s) => s === q.done);
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.repair_admin.review_title', { no: r.tracking_no })}>
        <h1>{c.t('enforcement.repair_admin.review_title', { no: r.tracking_no })}</h1>
        {done && <Notice kind="success">{c.t(`enforcement.repair_admin.done.${done}`)}</Notice>}
        {f._ && <Notice kind="error">{f._}</Notice>}
        <Dl
          rows={[
            [c.t('enforcement.repair_page.state'), <strong class={`repair-state s-${r.status}`}>{c.t(`enforcement.repair.${r.status}`)}</strong>],
            [c.t('enforcement.repair_page.submitted_on'), shanghaiDateTime(r.created_at)],
            [c.t('enforcement.repair_page.due'), x.clock ? `${x.clock.due}${r.status === 'pending' && x.clock.status !== 'normal' ? ` · ${c.t(`enforcement.repair_admin.clock.${x.clock.status}`)}` : ''}` : '—'],
            ...(r.decided_at ? [[c.t('enforcement.repair_page.decided_on'), `${shanghaiDateTime(r.decided_at)}${r.reviewer_id ? ` · ${r.reviewer_id.replace(/^user:/, '')}` : ''}`] as [string, string]] : []),
            ...(r.review_note ? [[c.t('enforcement.repair_page.note'), <div class="repair-text">{r.review_note}</div>] as [string, any]] : []),
          ]}
        />
        <section aria-labelledby="decision-h">
          <h2 id="decision-h">{c.t('enforcement.repair_page.decision')}</h2>
          <DecisionFacts c={c} d={x.decision} department={x.brief.department} />
        </section>
        <section aria-labelledby="applicant-h">
          <h2 id="applicant-h">{c.t('enforcement.repair_admin.applicant')}</h2>
          <Dl
            rows={[
              [c.t('enforcement.repair_field.applicant'), r.applicant],
              [c.t('enforcement.repair_field.phone'), r.phone || '—'],
              [c.t('enforcement.repair_field.email'), r.email || '—'],
            ]}
          />
          <h3>{c.t('enforcement.repair_field.commitment')}</h3>
          <div class="repair-text commitment">{r.commitment}</div>
          <h3>{c.t('enforcement.repair_page.evidence_short')}</h3>
          {x.evidence.length === 0 ? (
            <p class="muted">{c.t('enforcement.repair_admin.no_evidence')}</p>
          ) : (
            <ul class="repair-evidence">
              {x.evidence.map((e, i) => (
                <li>
                  <a href={evidenceUrl(r.id, i + 1)} download>
                    {e.name}
                  </a>{' '}
                  <span class="muted">{humanSize(e.size)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {r.status === 'pending' && (
          <section aria-labelledby="review-h" class="review-forms">
            <h2 id="review-h">{c.t('enforcement.repair_admin.review')}</h2>
            <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(f).filter(([k]) => k !== '_'))} />
            <form method="post" action={`/admin/enforcement/repairs/${r.id}/review`} class="reason-form">
              <Csrf c={c} />
              <input type="hidden" name="decision" value="approve" />
              <p>{c.t('enforcement.repair_admin.approve_effect', { docNo: x.decision.doc_no })}</p>
              <Field label={c.t('enforcement.repair_admin.approve_note')} name="note" id="f-note-approve" value={form?.values.decision === 'approve' ? form.values.note : ''} multiline rows={3} maxLength={LIMITS.note} />
              <label class="confirm">
                <input type="checkbox" name="confirm" value="yes" required /> {c.t('enforcement.repair_admin.approve_confirm')}
              </label>
              <button type="submit" class="danger">{c.t('enforcement.repair_admin.approve')}</button>
            </form>
            <form method="post" action={`/admin/enforcement/repairs/${r.id}/review`} class="reason-form">
              <Csrf c={c} />
              <input type="hidden" name="decision" value="reject" />
              <Field label={c.t('enforcement.repair_admin.reject_reason')} name="note" value={form?.values.decision === 'reject' ? form.values.note : ''} multiline rows={3} maxLength={LIMITS.note} required hint={c.t('enforcement.repair_admin.reject_hint')} error={f.note} />
              <label class="confirm">
                <input type="checkbox" name="confirm" value="yes" required /> {c.t('enforcement.repair_admin.reject_confirm')}
              </label>
              <button type="submit" class="secondary">{c.t('enforcement.repair_admin.reject')}</button>
            </form>
          </section>
        )}
        <p>
          <a href="/admin/enforcement/repairs">{c.t('enforcement.repair_admin.back')}</a>
        </p>
      </AdminLayout>,
      form?.status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/enforcement/repairs/:id', { config: { permission: 'credit.repair' } }, async (req, reply) => reviewPage(req, reply, idOf(req.params.id)));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/repairs/:id/review', { config: { permission: 'credit.repair' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { decision: String(b.decision ?? ''), note: typeof b.note === 'string' ? b.note : '' };
    try {
      if (values.decision !== 'approve' && values.decision !== 'reject') throw validationError({ decision: 'enforcement.repair_err.approve' });
      if (b.confirm !== 'yes') throw validationError({ _: 'enforcement.repair_err.confirm' });
      const r = await reviewRepair(p, req.user!, id, { approve: values.decision === 'approve', note: values.note });
      return reply.redirect(`/admin/enforcement/repairs/${id}?done=${r.status}`, 303);
    } catch (err) {
      const e = errorFields(req, err);
      if (!e) throw err;
      return reviewPage(req, reply, id, { values, ...e });
    }
  });

  // An evidence file, for the application's reviewers only (never public), each download audited.
  app.get<{ Params: { id: string; n: string } }>('/admin/enforcement/repairs/:id/evidence/:n', { config: { permission: 'credit.repair' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const n = idOf(req.params.n);
    const x = await repairFor(p.db, req.user!, id);
    const file = x.evidence[n - 1];
    const info = file ? await fileInfo(p.db, file.hash) : null;
    if (!file || !info) throw notFound();
    await p.tx((t) => p.audit(t, { actor: actorName(req.user!), action: 'enforcement.repair.evidence_view', entity: 'enf_repair', entityId: id, details: { file: n, hash: file.hash } }));
    return sendStoredFile(reply, p.config.dataDir, file.name, info, 'private, no-store');
  });

  // ---- a decision revoked or changed ----

  const endPage = async (req: FastifyRequest, reply: FastifyReply, id: number, form?: { values: Record<string, string>; fields: Fields; status: number }) => {
    const c = req.ctx(reply);
    const d = await decisionForEnd(p.db, req.user!, id);
    const f = form?.fields ?? {};
    const done = ((req.query ?? {}) as Record<string, string>).done === '1';
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.end_page.title', { docNo: d.doc_no })}>
        <h1>{c.t('enforcement.end_page.title', { docNo: d.doc_no })}</h1>
        {done && d.status === 'ended' && <Notice kind="success">{c.t('enforcement.end_page.done', { reason: c.t(`enforcement.end.${d.end_reason}`) })}</Notice>}
        {f._ && <Notice kind="error">{f._}</Notice>}
        <DecisionFacts c={c} d={d} department={await departmentName(p, d.department_id)} />
        {d.status === 'ended' && d.end_note && <p class="repair-text">{d.end_note}</p>}
        {d.status === 'published' ? (
          <form method="post" action={`/admin/enforcement/decisions/${d.id}/end`} class="stack end-form">
            <Csrf c={c} />
            <p>{c.t('enforcement.end_page.intro')}</p>
            <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(f).filter(([k]) => k !== '_'))} />
            <fieldset id="f-reason" class={`radios${f.reason ? ' has-error' : ''}`}>
              <legend>{c.t('enforcement.end_page.reason')}</legend>
              {f.reason && <p class="field-error">{f.reason}</p>}
              {STAFF_END_REASONS.map((r) => (
                <label class="check">
                  <input type="radio" name="reason" value={r} checked={form?.values.reason === r} required /> {c.t(`enforcement.end.${r}`)}
                </label>
              ))}
            </fieldset>
            <Field label={c.t('enforcement.end_page.note')} name="note" value={form?.values.note} multiline rows={4} maxLength={END_NOTE_MAX} required hint={c.t('enforcement.end_page.note_hint')} error={f.note} />
            <label class="confirm" id="f-confirm">
              <input type="checkbox" name="confirm" value="yes" required /> {c.t('enforcement.end_page.confirm')}
            </label>
            {f.confirm && <p class="field-error">{f.confirm}</p>}
            <button type="submit" class="danger">{c.t('enforcement.end_page.submit')}</button>
          </form>
        ) : (
          !done && <Notice kind="info">{c.t('enforcement.end_page.not_on_display', { status: c.t(`enforcement.status.${d.status}`) })}</Notice>
        )}
      </AdminLayout>,
      form?.status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/enforcement/decisions/:id/end', { config: { permission: 'decision.approve' } }, async (req, reply) => endPage(req, reply, idOf(req.params.id)));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/decisions/:id/end', { config: { permission: 'decision.approve' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { reason: typeof b.reason === 'string' ? b.reason : '', note: typeof b.note === 'string' ? b.note : '' };
    try {
      await endByStaff(p, req.user!, id, { reason: values.reason, note: values.note, confirm: b.confirm });
      return reply.redirect(`/admin/enforcement/decisions/${id}/end?done=1`, 303);
    } catch (err) {
      const e = errorFields(req, err);
      if (!e || e.status === 403) throw err;
      return endPage(req, reply, id, { values, ...e });
    }
  });
}
