// 信用修复 on the portal: /enforcement/credit-repair explains the rules (who, when, what to bring,
// how long) and takes the application — the form (evidence files stored, images without their
// metadata), then 请核对您填写的信息 with the decision it found (修改 brings the form back with every
// value and the files kept; 确认提交 files it once per ticket, platform/http/tickets.ts), then the
// tracking number and query code. /enforcement/credit-repair/track shows the application's state
// with the number and code (in POST bodies only, never in a URL).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Dl, ErrorSummary, Field, FileInput, Notice, PublicLayout, type PageCtx } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import { safeFileName } from '../../../platform/files/index.js';
import { localParams } from '../../../platform/i18n/index.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { browserOf, confirmOnce, keptFiles, keptFrom, newTicket, readTicket, ticketFresh, type KeptFiles } from '../../../platform/http/tickets.js';
import type { DecisionRow } from '../schema.js';
import { applicantView, checkRepair, EVIDENCE_LIMIT, findWithCode, LIMITS, MAX_EVIDENCE, reviewLimit, storeEvidence, submitRepair, type ApplicantView, type Evidence, type RepairInput, type Submitted } from '../service/repairs.js';

const BASE = '/enforcement/credit-repair';
// evidenceNames: the names of the files stored at the first step (one a line), carried to the confirmation.
const FIELDS = ['docNo', 'creditCode', 'idNumber', 'applicant', 'phone', 'email', 'commitment', 'evidenceNames'] as const;
type Values = Partial<Record<(typeof FIELDS)[number], string>>;
const MB = EVIDENCE_LIMIT / 1024 / 1024;

const pick = (raw: Record<string, unknown>): Values => Object.fromEntries(FIELDS.filter((k) => typeof raw[k] === 'string').map((k) => [k, (raw[k] as string).slice(0, 6000)]));

/** A service error as the form shows it: field messages, or one message for the whole form. */
function shown(req: FastifyRequest, err: unknown): { fields: Record<string, string>; error?: string; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/\.\d+$/, ''), req.t(v, { mb: MB, n: MAX_EVIDENCE, ...params })])), status: err.status };
  return { fields: {}, error: req.t(err.message, params), status: err.status };
}

function Rules({ c, days }: { c: PageCtx; days: number }) {
  return (
    <section class="repair-rules" aria-labelledby="rules-h">
      <h2 id="rules-h">{c.t('enforcement.repair_page.rules')}</h2>
      <h3>{c.t('enforcement.repair_page.who_h')}</h3>
      <p>{c.t('enforcement.repair_page.who')}</p>
      <h3>{c.t('enforcement.repair_page.when_h')}</h3>
      <ul>
        <li>{c.t('enforcement.repair_page.when_ordinary')}</li>
        <li>{c.t('enforcement.repair_page.when_serious')}</li>
        <li>{c.t('enforcement.repair_page.when_minor')}</li>
      </ul>
      <h3>{c.t('enforcement.repair_page.bring_h')}</h3>
      <ul>
        <li>{c.t('enforcement.repair_page.bring_decision')}</li>
        <li>{c.t('enforcement.repair_page.bring_contact')}</li>
        <li>{c.t('enforcement.repair_page.bring_commitment', { n: LIMITS.commitmentMin })}</li>
        <li>{c.t('enforcement.repair_page.bring_evidence', { n: MAX_EVIDENCE, mb: MB })}</li>
      </ul>
      <h3>{c.t('enforcement.repair_page.after_h')}</h3>
      <p>{c.t('enforcement.repair_page.after', { days })}</p>
    </section>
  );
}

async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: Values, opts: { fields?: Record<string, string>; error?: string; status?: number; kept?: KeptFiles | null } = {}) {
  const c = req.ctx(reply);
  const f = opts.fields ?? {};
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('enforcement.repair_page.title')} description={c.t('enforcement.repair_page.description')} canonical={BASE}>
      <div class="credit-repair">
        <h1>{c.t('enforcement.repair_page.title')}</h1>
        <p>{c.t('enforcement.repair_page.intro')}</p>
        <Rules c={c} days={await reviewLimit(p.db)} />
        <section aria-labelledby="form-h">
          <h2 id="form-h">{c.t('enforcement.repair_page.form')}</h2>
          <ErrorSummary c={c} fields={f} />
          {opts.error && <Notice kind="error">{opts.error}</Notice>}
          <form method="post" action={BASE} enctype="multipart/form-data" class="stack repair-form">
            <Csrf c={c} />
            <p class="hint">{c.t('enforcement.repair_page.required_note')}</p>
            <fieldset>
              <legend>{c.t('enforcement.repair_page.decision')}</legend>
              <Field label={c.t('enforcement.repair_field.docNo')} name="docNo" value={values.docNo} required maxLength={LIMITS.docNo} hint={c.t('enforcement.repair_field.docNo_hint')} error={f.docNo} autocomplete="off" />
              <Field label={c.t('enforcement.repair_field.creditCode')} name="creditCode" value={values.creditCode} maxLength={18} hint={c.t('enforcement.repair_field.creditCode_hint')} error={f.creditCode} autocomplete="off" />
              <Field label={c.t('enforcement.repair_field.idNumber')} name="idNumber" value={values.idNumber} maxLength={18} hint={c.t('enforcement.repair_field.idNumber_hint')} error={f.idNumber} autocomplete="off" />
            </fieldset>
            <fieldset>
              <legend>{c.t('enforcement.repair_page.contact')}</legend>
              <p class="hint">{c.t('enforcement.repair_page.contact_hint')}</p>
              <Field label={c.t('enforcement.repair_field.applicant')} name="applicant" value={values.applicant} required maxLength={LIMITS.applicant} hint={c.t('enforcement.repair_field.applicant_hint')} error={f.applicant} autocomplete="name" />
              <Field label={c.t('enforcement.repair_field.phone')} name="phone" value={values.phone} type="tel" inputMode="tel" maxLength={20} autocomplete="tel" error={f.phone} />
              <Field label={c.t('enforcement.repair_field.email')} name="email" value={values.email} type="email" maxLength={LIMITS.email} autocomplete="email" error={f.email} />
            </fieldset>
            <Field label={c.t('enforcement.repair_field.commitment')} name="commitment" value={values.commitment} required multiline rows={8} maxLength={LIMITS.commitment} hint={c.t('enforcement.repair_field.commitment_hint', { n: LIMITS.commitmentMin })} error={f.commitment} />
            <div class={`field${f.evidence ? ' has-error' : ''}`}>
              <label for="f-evidence">{c.t('enforcement.repair_field.evidence', { n: MAX_EVIDENCE, mb: MB })}</label>
              <p class="hint" id="f-evidence-hint">
                {c.t('enforcement.repair_field.evidence_hint')}
              </p>
              {f.evidence && (
                <p class="field-error" id="f-evidence-err">
                  {f.evidence}
                </p>
              )}
              {opts.kept && opts.kept.n > 0 && (
                <>
                  <p class="hint">{c.t('enforcement.repair_page.files_kept', { n: opts.kept.n })}</p>
                  <input type="hidden" name="evidenceKept" value={opts.kept.token} />
                  {values.evidenceNames && <input type="hidden" name="evidenceNames" value={values.evidenceNames} />}
                </>
              )}
              <FileInput c={c} id="f-evidence" name="evidence" multiple accept="application/pdf,image/jpeg,image/png,image/gif,image/webp" invalid={!!f.evidence} describedBy={f.evidence ? 'f-evidence-hint f-evidence-err' : 'f-evidence-hint'} />
            </div>
            <div class="actions">
              <button type="submit" class="primary">{c.t('enforcement.repair_page.next')}</button>
            </div>
          </form>
          <p>
            <a href={`${BASE}/track`}>{c.t('enforcement.repair_page.track_link')}</a>
          </p>
        </section>
      </div>
    </PublicLayout>,
    opts.status,
  );
}

async function checkPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: Values, d: DecisionRow, ticket: string, files: number, notice?: string) {
  const c = req.ctx(reply);
  const dept = await p.db.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirst();
  const given = (v?: string) => (v && v.trim() ? v.trim() : <span class="muted">{c.t('enforcement.repair_page.not_given')}</span>);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('enforcement.repair_page.check')} canonical={null} noindex>
      <div class="credit-repair repair-check">
        <h1>{c.t('enforcement.repair_page.check')}</h1>
        {notice && <Notice kind="warning">{notice}</Notice>}
        <p>{c.t('enforcement.repair_page.check_intro')}</p>
        <h2>{c.t('enforcement.repair_page.found')}</h2>
        <Dl
          rows={[
            [c.t('enforcement.repair_field.docNo'), d.doc_no],
            [c.t('enforcement.repair_page.department'), dept?.name ?? ''],
            [c.t('enforcement.repair_page.decision_date'), d.decision_date],
            [c.t('enforcement.repair_page.severity'), c.t(`enforcement.severity.${d.severity}`)],
            [c.t('enforcement.repair_page.display_until'), d.display_until ?? ''],
          ]}
        />
        <h2>{c.t('enforcement.repair_page.answers')}</h2>
        <Dl
          rows={[
            [c.t('enforcement.repair_field.creditCode'), given(values.creditCode)],
            [c.t('enforcement.repair_field.idNumber'), given(values.idNumber)],
            [c.t('enforcement.repair_field.applicant'), values.applicant ?? ''],
            [c.t('enforcement.repair_field.phone'), given(values.phone)],
            [c.t('enforcement.repair_field.email'), given(values.email)],
            [c.t('enforcement.repair_field.commitment'), <div class="repair-text">{values.commitment ?? ''}</div>],
            [c.t('enforcement.repair_page.evidence_short'), c.t('enforcement.repair_page.files_n', { n: files })],
          ]}
        />
        <form method="post" action={`${BASE}/confirm`} class="repair-confirm">
          <Csrf c={c} />
          {FIELDS.map((k) => values[k] !== undefined && values[k] !== '' && <input type="hidden" name={k} value={values[k]} />)}
          <input type="hidden" name="ticket" value={ticket} />
          <div class="actions">
            <button type="submit" formaction={`${BASE}/edit`} class="secondary">{c.t('enforcement.repair_page.edit')}</button>
            <button type="submit" class="primary">{c.t('enforcement.repair_page.confirm')}</button>
          </div>
        </form>
      </div>
    </PublicLayout>,
  );
}

function submittedPage(req: FastifyRequest, reply: FastifyReply, s: Submitted) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('enforcement.repair_page.submitted')} canonical={null} noindex>
      <div class="credit-repair">
        <h1>{c.t('enforcement.repair_page.submitted')}</h1>
        <Notice kind="success">{c.t('enforcement.repair_page.submitted_intro', { due: s.dueDate })}</Notice>
        <Dl
          rows={[
            [c.t('enforcement.repair_page.tracking_no'), <strong class="tracking-no">{s.trackingNo}</strong>],
            [c.t('enforcement.repair_page.query_code'), <strong class="query-code">{s.queryCode}</strong>],
          ]}
        />
        <p>{c.t('enforcement.repair_page.keep_code')}</p>
        <p>
          <a class="button primary" href={`${BASE}/track?no=${s.trackingNo}`}>{c.t('enforcement.repair_page.track_link')}</a>
        </p>
      </div>
    </PublicLayout>,
    201,
  );
}

function duplicatePage(req: FastifyRequest, reply: FastifyReply) {
  const c = req.ctx(reply);
  return reply.html(
    <PublicLayout c={c} title={c.t('enforcement.repair_page.duplicate_title')} canonical={null} noindex>
      <div class="credit-repair">
        <h1>{c.t('enforcement.repair_page.duplicate_title')}</h1>
        <Notice kind="warning">{c.t('enforcement.repair_page.duplicate')}</Notice>
        <p>
          <a class="button primary" href={`${BASE}/track`}>{c.t('enforcement.repair_page.track_link')}</a>
        </p>
      </div>
    </PublicLayout>,
    409,
  );
}

/** The form's text fields and evidence files: files are stored only when they all pass. */
async function readForm(p: Platform, req: FastifyRequest): Promise<{ raw: Record<string, string>; evidence: Evidence[]; fields: Record<string, string> }> {
  const raw: Record<string, string> = {};
  const fields: Record<string, string> = {};
  const uploads: { buf: Buffer; name: string }[] = [];
  let tooBig = false;
  try {
    for await (const part of req.parts({ limits: { fileSize: EVIDENCE_LIMIT + 1, files: MAX_EVIDENCE + 1 } })) {
      if (part.type !== 'file') {
        if (typeof part.value === 'string') raw[part.fieldname] = part.value.slice(0, 6000);
        continue;
      }
      const buf = await part.toBuffer();
      if (buf.length || part.filename) uploads.push({ buf, name: part.filename ?? '' });
      tooBig ||= !!(part as { file?: { truncated?: boolean } }).file?.truncated;
    }
  } catch (err: any) {
    if (err instanceof HttpError && err.status === 403) throw err;
    // A field refused as it was read (control characters): named, as the other checks name theirs.
    if (err instanceof HttpError && err.fields) Object.assign(fields, shown(req, err)?.fields);
    else fields.evidence = req.t(err?.code === 'FST_FILES_LIMIT' ? 'enforcement.repair_err.evidence_many' : err?.code === 'FST_REQ_FILE_TOO_LARGE' ? 'enforcement.repair_err.evidence_size' : 'enforcement.repair_err.upload', { n: MAX_EVIDENCE, mb: MB });
  }
  if (tooBig) fields.evidence = req.t('enforcement.repair_err.evidence_size', { mb: MB });
  if (uploads.length > MAX_EVIDENCE) fields.evidence = req.t('enforcement.repair_err.evidence_many', { n: MAX_EVIDENCE });
  const evidence: Evidence[] = [];
  for (const u of fields.evidence ? [] : uploads) {
    try {
      evidence.push(await storeEvidence(p, u.buf, u.name));
    } catch (err) {
      const e = shown(req, err);
      if (!e) throw err;
      fields.evidence = Object.values(e.fields)[0] ?? e.error ?? '';
      break;
    }
  }
  return { raw, evidence, fields };
}

/** The stored evidence a signed list names, under the names the first step gave (else numbered). */
async function evidenceOf(p: Platform, hashes: string[], names = ''): Promise<Evidence[]> {
  if (!hashes.length) return [];
  const given = names.split('\n');
  const rows = await p.db.selectFrom('files').select(['hash', 'mime', 'size', 'ext']).where('hash', 'in', hashes).execute();
  return hashes.flatMap((h, i) => rows.filter((r) => r.hash === h).map((f) => ({ hash: f.hash, name: safeFileName(given[i] || `evidence-${i + 1}`, f.ext), mime: f.mime, size: f.size })));
}

const toInput = (v: Values, evidence: Evidence[]): RepairInput => ({ ...v, evidence });

function TrackForm({ c, no, error }: { c: PageCtx; no?: string; error?: string }) {
  return (
    <form method="post" action={`${BASE}/track`} class="stack narrow">
      <Csrf c={c} />
      {error && <Notice kind="error">{error}</Notice>}
      <Field label={c.t('enforcement.repair_page.tracking_no')} name="no" value={no} required maxLength={20} autocomplete="off" />
      <Field label={c.t('enforcement.repair_page.query_code')} name="code" required maxLength={14} inputMode="numeric" autocomplete="off" hint={c.t('enforcement.repair_page.query_code_hint')} />
      <button type="submit" class="primary">{c.t('enforcement.repair_page.track_button')}</button>
    </form>
  );
}

function trackPage(req: FastifyRequest, reply: FastifyReply, no: string, error?: string, status = 200) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('enforcement.repair_page.track')} description={c.t('enforcement.repair_page.track_description')} canonical={`${BASE}/track`}>
      <div class="credit-repair">
        <h1>{c.t('enforcement.repair_page.track')}</h1>
        <p>{c.t('enforcement.repair_page.track_intro')}</p>
        <TrackForm c={c} no={no} error={error} />
      </div>
    </PublicLayout>,
    status,
  );
}

/** The decision's display in a sentence: on display until …, or ended on … (why). */
export function displayText(c: PageCtx, d: ApplicantView['decision']): string {
  if (d.status === 'published') return c.t('enforcement.repair_page.on_display', { until: d.displayUntil ?? '' });
  if (d.status === 'ended') return c.t('enforcement.repair_page.display_ended', { date: d.endedOn ?? '', reason: c.t(`enforcement.end.${d.endReason}`) });
  return c.t(`enforcement.status.${d.status}`);
}

function StatusView({ c, v }: { c: PageCtx; v: ApplicantView }) {
  return (
    <div class="credit-repair repair-status">
      <h1>
        {c.t('enforcement.repair_page.tracking_no')} {v.trackingNo}
      </h1>
      <Dl
        rows={[
          [c.t('enforcement.repair_page.state'), <strong class={`repair-state s-${v.status}`}>{c.t(`enforcement.repair.${v.status}`)}</strong>],
          [c.t('enforcement.repair_page.submitted_on'), v.submittedOn],
          ...(v.status === 'pending' && v.dueDate ? [[c.t('enforcement.repair_page.due'), v.dueDate] as [string, string]] : []),
          ...(v.decidedOn ? [[c.t('enforcement.repair_page.decided_on'), v.decidedOn] as [string, string]] : []),
          ...(v.reviewNote ? [[c.t(v.status === 'rejected' ? 'enforcement.repair_page.reason' : 'enforcement.repair_page.note'), <div class="repair-text">{v.reviewNote}</div>] as [string, any]] : []),
          [c.t('enforcement.repair_field.applicant'), v.applicant],
          [c.t('enforcement.repair_field.phone'), v.phone || <span class="muted">{c.t('enforcement.repair_page.not_given')}</span>],
          [c.t('enforcement.repair_field.email'), v.email || <span class="muted">{c.t('enforcement.repair_page.not_given')}</span>],
          [c.t('enforcement.repair_page.evidence_short'), c.t('enforcement.repair_page.files_n', { n: v.evidence })],
        ]}
      />
      <h2>{c.t('enforcement.repair_page.decision')}</h2>
      <Dl
        rows={[
          [c.t('enforcement.repair_field.docNo'), v.decision.docNo],
          [c.t('enforcement.repair_page.department'), v.decision.department],
          [c.t('enforcement.repair_page.subject'), v.decision.subjectName],
          [c.t('enforcement.repair_page.decision_date'), v.decision.decisionDate],
          [c.t('enforcement.repair_page.display'), displayText(c, v.decision)],
        ]}
      />
      {v.status === 'rejected' && <Notice kind="info">{c.t('enforcement.repair_page.rejected_next')}</Notice>}
    </div>
  );
}

export function repairPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): void {
  const once = confirmOnce<Submitted>(p.db, 'credit-repair-confirm');
  const kept = (files: string[]) => keptFiles(app, files);

  app.get(BASE, { config: { permission: 'public' } }, async (req, reply) => formPage(p, req, reply, {}));

  // The form → its checks (the decision found, the minimum period over…) → 请核对您填写的信息.
  app.post(BASE, { config: { permission: 'public', csrf: 'multipart' }, preHandler: submitLimit }, async (req, reply) => {
    const { raw, evidence, fields } = await readForm(p, req);
    const values = pick(raw);
    if (evidence.length) values.evidenceNames = evidence.map((x) => x.name).join('\n');
    // Files of an earlier step stay unless new ones are chosen.
    const hashes = evidence.length ? evidence.map((x) => x.hash) : keptFrom(app, raw.evidenceKept, MAX_EVIDENCE);
    try {
      if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, kept: kept(hashes), status: 400 });
      const d = await checkRepair(p.db, toInput(values, evidence));
      return checkPage(p, req, reply, values, d, newTicket(app, hashes), hashes.length);
    } catch (err) {
      const e = shown(req, err);
      if (!e) throw err;
      return formPage(p, req, reply, values, { fields: e.fields, error: e.error, kept: kept(hashes), status: e.status });
    }
  });

  // 修改: back to the form with every answer and the files kept.
  app.post(`${BASE}/edit`, { config: { permission: 'public' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return formPage(p, req, reply, pick(body), { kept: kept(readTicket(app, body.ticket, MAX_EVIDENCE)?.m ?? []) });
  });

  // 确认提交: checked again, then filed once per ticket.
  app.post(`${BASE}/confirm`, { config: { permission: 'public' }, preHandler: submitLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = pick(body);
    const t = readTicket(app, body.ticket, MAX_EVIDENCE);
    if (!t) return formPage(p, req, reply, values, { error: req.t('enforcement.repair_page.ticket_invalid'), status: 400 });
    const evidence = await evidenceOf(p, t.m, values.evidenceNames);
    try {
      const d = await checkRepair(p.db, toInput(values, evidence));
      if (!ticketFresh(t)) return checkPage(p, req, reply, values, d, newTicket(app, t.m), t.m.length, req.t('enforcement.repair_page.check_expired'));
      const s = await once(t, browserOf(req), () => submitRepair(p, toInput(values, evidence)));
      return s ? submittedPage(req, reply, s) : duplicatePage(req, reply);
    } catch (err) {
      const e = shown(req, err);
      if (!e) throw err;
      return formPage(p, req, reply, values, { fields: e.fields, error: e.error, kept: kept(t.m), status: e.status });
    }
  });

  // The status page: a ?no= fills the number in; the code is never taken from a URL.
  app.get<{ Querystring: { no?: string } }>(`${BASE}/track`, { config: { permission: 'public' } }, async (req, reply) => {
    const no = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 20) : '';
    return trackPage(req, reply, no);
  });

  app.post(`${BASE}/track`, { config: { permission: 'public' }, preHandler: codeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const no = typeof b.no === 'string' ? b.no.trim().slice(0, 20) : '';
    let r;
    try {
      r = no && typeof b.code === 'string' ? await findWithCode(p.db, no, b.code) : null;
    } catch (err) {
      if (err instanceof HttpError && err.status === 429) {
        reply.header('retry-after', String(err.retryAfter ?? 60));
        return trackPage(req, reply, no, req.t(err.message, err.params), 429);
      }
      throw err;
    }
    if (!r) return trackPage(req, reply, no, req.t('enforcement.repair_err.no_application'), 404);
    const c = req.ctx(reply);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <PublicLayout c={c} title={c.t('enforcement.repair_page.track')} canonical={null} noindex>
        <StatusView c={c} v={await applicantView(p.db, r)} />
      </PublicLayout>,
    );
  });
}
