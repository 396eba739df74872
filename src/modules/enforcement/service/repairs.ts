// Credit repair (信用修复, REGULATIONS.md §6; 国家发展改革委令2023年第58号): after the minimum
// display period of a penalty decision, its subject applies without an account — the decision's
// number (决定书文号) with the subject's 统一社会信用代码 (or, for a natural person, the ID number
// the decision names: public pages never show it, so it proves more than the public credit code),
// a contact (mobile and/or e-mail), the written commitment (信用修复承诺书) and evidence that the
// obligations are fulfilled. Refused before the minimum with the first possible day, and for
// decisions not on display (轻微 never shown, licensing, already ended). One pending application a
// decision. The applicant gets a tracking number and query code (platform/tracking.ts); the clock
// `credit.repair` (5 wd, or the setting `enforcement.repair_days`) runs on the decision's
// department, whose holders of `credit.repair` approve (the display ends at once: 'repaired') or
// reject with a reason. Every step is audited and told to the applicant by SMS and/or e-mail in
// its transaction. An application whose decision stops being displayed otherwise is closed.
import type { Db } from '../../../platform/db/index.js';
import { isUniqueViolation } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName } from '../../../platform/auth/actor.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { badRequest, conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { ensureCalendar, plusDays, todayShanghai } from '../../../platform/calendar/index.js';
import { clocksFor, completeClock, getRule, startClock, stopClock, type ClockView } from '../../../platform/deadlines/index.js';
import { cleanImage, detectType, safeFileName, storeFile, type ImageExt } from '../../../platform/files/index.js';
import { isValidIdNumber, maskName, maskPhone, maskText } from '../../../platform/privacy/index.js';
import { allocateTrackingNos, clearCodeAttempts, codeHash, codeMatches, countCodeAttempt, newQueryCode, normalizeQueryCode } from '../../../platform/tracking.js';
import { getSetting } from '../../../platform/settings/index.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { bumpGeneration } from '../../../platform/publication/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { REPAIR_RULE, SUBJECT_REPAIR, type DecisionRow, type RepairRow } from '../schema.js';
import type { EndReason } from './codes.js';
import { endDisplay, onDisplayEnd } from './display.js';

export const TRACKING_PREFIX = 'XF';
/** XF + the Shanghai day of the application (yyyymmdd) + 7 random digits. */
export const TRACKING_NO = /^XF\d{15}$/;
export const QUERY_CODE = /^\d{10}$/;
/** The table of wrong query codes (platform/tracking.ts). */
export const CODE_FAILURES = 'enf_repair_code_failures';

/** States: 'closed' = the display ended otherwise (expired, revoked, changed) before a decision. */
export const REPAIR_STATES = ['pending', 'approved', 'rejected', 'closed'] as const;
export type RepairState = (typeof REPAIR_STATES)[number];

/** Working days to review (setting; else the rule's amount, 5). */
export const REPAIR_DAYS_SETTING = 'enforcement.repair_days';
export const MAX_REPAIR_DAYS = 60;

export const LIMITS = { docNo: 100, applicant: 50, email: 200, commitmentMin: 20, commitment: 5000, note: 1000 };
export const MAX_EVIDENCE = 5;
export const EVIDENCE_LIMIT = 5 * 1024 * 1024;
const EVIDENCE_TYPES = ['pdf', 'jpg', 'png', 'gif', 'webp'];

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
/** 统一社会信用代码: 18 characters of digits and capitals without I, O, S, V, Z. */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export interface Evidence {
  hash: string;
  name: string;
  mime: string;
  size: number;
}

export interface RepairInput {
  docNo?: string;
  creditCode?: string;
  idNumber?: string;
  applicant?: string;
  phone?: string;
  email?: string;
  commitment?: string;
  evidence?: Evidence[];
}

export interface Submitted {
  id: number;
  trackingNo: string;
  queryCode: string;
  status: RepairState;
  dueDate: string;
}

// ---- input ----------------------------------------------------------------------------------------

const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** Letters are compared in capitals; phones without spaces and hyphens. */
export function normalize(input: RepairInput): Required<RepairInput> {
  return {
    docNo: s(input.docNo),
    creditCode: s(input.creditCode).toUpperCase(),
    idNumber: s(input.idNumber).toUpperCase(),
    applicant: s(input.applicant),
    phone: s(input.phone).replace(/[\s-]/g, ''),
    email: s(input.email),
    commitment: s(input.commitment),
    evidence: input.evidence ?? [],
  };
}

/** 决定书文号 as people type it: no spaces, any of 〔〕［］[]【】() for the year's brackets. */
export const docNoKey = (v: string) => v.replace(/\s+/g, '').replace(/[［\[【(（]/g, '〔').replace(/[］\]】)）]/g, '〕');

/** The field checks (every field at once; message keys). */
export function checkFields(x: Required<RepairInput>): FieldErrors {
  const f: FieldErrors = {};
  if (!x.docNo) f.docNo = 'enforcement.repair_err.doc_no';
  else if (x.docNo.length > LIMITS.docNo) f.docNo = 'enforcement.repair_err.too_long';
  if (!x.creditCode && !x.idNumber) f.creditCode = 'enforcement.repair_err.subject';
  if (x.creditCode && !CREDIT_CODE.test(x.creditCode)) f.creditCode = 'enforcement.repair_err.credit_code';
  if (x.idNumber && !isValidIdNumber(x.idNumber)) f.idNumber = 'enforcement.repair_err.id_number';
  if (!x.applicant) f.applicant = 'enforcement.repair_err.applicant';
  else if (x.applicant.length > LIMITS.applicant) f.applicant = 'enforcement.repair_err.too_long';
  if (!x.phone && !x.email) f.phone = 'enforcement.repair_err.contact';
  if (x.phone && !MOBILE.test(x.phone)) f.phone = 'enforcement.repair_err.phone';
  if (x.email && (x.email.length > LIMITS.email || !EMAIL.test(x.email))) f.email = 'enforcement.repair_err.email';
  const n = [...x.commitment].length;
  if (n < LIMITS.commitmentMin) f.commitment = 'enforcement.repair_err.commitment';
  else if (n > LIMITS.commitment) f.commitment = 'enforcement.repair_err.commitment_long';
  if (x.evidence.length > MAX_EVIDENCE) f.evidence = 'enforcement.repair_err.evidence_many';
  return f;
}

/**
 * Stores one evidence file (PDF or image, by its content; images decoded and encoded again
 * without their metadata). 400 naming `field`.
 */
export async function storeEvidence(p: Platform, buf: Buffer, filename: string, field = 'evidence'): Promise<Evidence> {
  if (buf.length > EVIDENCE_LIMIT) throw badRequest('err.validation', { [field]: 'enforcement.repair_err.evidence_size' }, { mb: EVIDENCE_LIMIT / 1024 / 1024 });
  const type = buf.length ? detectType(buf, filename) : null;
  if (!type || !EVIDENCE_TYPES.includes(type.ext)) throw badRequest('err.validation', { [field]: 'enforcement.repair_err.evidence_type' });
  const stored = await storeFile(p, type.ext === 'pdf' ? buf : await cleanImage(buf, type.ext as ImageExt, field), filename, field);
  return { hash: stored.hash, name: safeFileName(filename || `evidence.${stored.ext}`, stored.ext), mime: stored.mime, size: stored.size };
}

// ---- the decision applied for ---------------------------------------------------------------------

/**
 * The decision the number and the subject's code name: the subject's decisions (by credit code, or
 * by ID number) whose number matches, those on display first. Drafts and decisions awaiting
 * approval are not public: not found.
 */
async function findDecision(db: Db, x: Required<RepairInput>): Promise<DecisionRow | null> {
  const byCode = x.creditCode ? await db.selectFrom('enf_decisions').selectAll().where('credit_code', '=', x.creditCode).execute() : [];
  const byId = x.idNumber ? await db.selectFrom('enf_decisions').selectAll().where('subject_type', '=', 'natural').where('id_number', 'in', [x.idNumber, x.idNumber.toLowerCase()]).execute() : [];
  const key = docNoKey(x.docNo);
  const rank = (d: DecisionRow) => (d.status === 'published' ? 0 : 1) + (d.kind === 'penalty' ? 0 : 2);
  return (
    [...byCode, ...byId]
      .filter((d) => d.status !== 'draft' && d.status !== 'submitted' && docNoKey(d.doc_no) === key)
      .sort((a, b) => rank(a) - rank(b) || b.id - a.id)[0] ?? null
  );
}

/** The first day an application is possible: the day after the minimum period. */
export const repairFrom = (d: Pick<DecisionRow, 'display_min_until' | 'decision_date'>): string => plusDays(d.display_min_until ?? d.decision_date, 1);

/** Why this decision cannot be repaired today (409, with the date where there is one), or nothing. */
export function refusal(d: DecisionRow, today: string): { message: string; params?: Record<string, string> } | null {
  if (d.kind !== 'penalty') return { message: 'enforcement.repair_err.licensing' };
  if (d.status === 'not-shown') return { message: 'enforcement.repair_err.not_shown' };
  if (d.status === 'ended') return { message: 'enforcement.repair_err.ended', params: { date: shanghaiDate(d.ended_at), reason: `enforcement.end.${d.end_reason}` } };
  if (d.status !== 'published') return { message: 'enforcement.repair_err.not_found' };
  const from = repairFrom(d);
  if (today < from) return { message: 'enforcement.repair_err.too_early', params: { date: from, until: d.display_min_until ?? '' } };
  return null;
}

/**
 * Every check of an application, as the form's first step and the submission run them: 400 naming
 * the fields; 400 on `docNo` when no decision of that subject has the number; 409 (with the day
 * from which it is possible, or the reason) when it cannot be repaired; 409 when an application
 * for it is under review. Returns the decision.
 */
export async function checkRepair(db: Db, input: RepairInput, today = todayShanghai()): Promise<DecisionRow> {
  const x = normalize(input);
  const f = checkFields(x);
  if (Object.keys(f).length) throw validationError(f);
  const d = await findDecision(db, x);
  if (!d) throw validationError({ docNo: 'enforcement.repair_err.not_found' });
  const no = refusal(d, today);
  if (no) throw conflict(no.message, undefined, no.params);
  if (await pendingOf(db, d.id)) throw conflict('enforcement.repair_err.pending');
  return d;
}

const pendingOf = (db: Db, decisionId: number) => db.selectFrom('enf_repairs').select(['id', 'tracking_no']).where('decision_id', '=', decisionId).where('status', '=', 'pending').executeTakeFirst();

/** The review time set locally: the setting `enforcement.repair_days` (1–60 working days), else null (the rule's). */
async function reviewDays(db: Db): Promise<number | null> {
  const v = Number(await getSetting(db, REPAIR_DAYS_SETTING));
  return Number.isInteger(v) && v >= 1 && v <= MAX_REPAIR_DAYS ? v : null;
}

/** The working days of the review, as the rules page states them. */
export async function reviewLimit(db: Db): Promise<number> {
  return (await reviewDays(db)) ?? (await getRule(db, REPAIR_RULE.code))?.amount ?? REPAIR_RULE.amount;
}

// ---- telling the applicant --------------------------------------------------------------------------

/** SMS to the mobile, e-mail to the address (both when both are given), in the step's transaction. */
async function tell(p: Platform, t: Db, r: Pick<RepairRow, 'id' | 'tracking_no' | 'phone' | 'email'>, step: string, params: Record<string, string>): Promise<string[]> {
  const zh = (key: string, ps: Record<string, string> = {}) => translate('zh-CN', key, { no: r.tracking_no, ...ps });
  const text = zh(`enforcement.repair_sms.${step}`, params);
  const used: string[] = [];
  if (r.phone) {
    await sendMessage(p, t, { channel: 'sms', to: r.phone, text: `${zh('enforcement.repair_sms.sign')}${text}` }, `credit-repair:${r.id}:${step}:sms`);
    used.push('sms');
  }
  if (r.email) {
    await sendMessage(p, t, { channel: 'email', to: r.email, subject: zh('enforcement.repair_sms.subject'), text }, `credit-repair:${r.id}:${step}:email`);
    used.push('email');
  }
  return used;
}

// ---- submitting -------------------------------------------------------------------------------------

async function insert(p: Platform, t: Db, x: Required<RepairInput>, today: string, code: string): Promise<Submitted> {
  // The decision's row is written first: concurrent applications for it wait here (PostgreSQL
  // row lock; SQLite has one writer), so the pending check below sees the other's.
  const d = await checkRepair(t, x, today);
  await t.updateTable('enf_decisions').set({ updated_at: d.updated_at }).where('id', '=', d.id).execute();
  if (await pendingOf(t, d.id)) throw conflict('enforcement.repair_err.pending');
  const now = new Date().toISOString();
  const [trackingNo] = await allocateTrackingNos(TRACKING_PREFIX, [now], async (nos) => new Set((await t.selectFrom('enf_repairs').select('tracking_no').where('tracking_no', 'in', nos).execute()).map((r) => r.tracking_no)));
  const row = await t
    .insertInto('enf_repairs')
    .values({
      decision_id: d.id,
      credit_code: d.credit_code,
      applicant: x.applicant,
      phone: x.phone,
      email: x.email,
      commitment: x.commitment,
      evidence: JSON.stringify(x.evidence),
      status: 'pending',
      tracking_no: trackingNo,
      code_hash: codeHash(trackingNo, code),
      review_note: '',
      reviewer_id: null,
      created_at: now,
      decided_at: null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const days = await reviewDays(t);
  const clock = await startClock(
    p,
    t,
    { subjectType: SUBJECT_REPAIR, subjectId: row.id, rule: REPAIR_RULE.code, start: today, ...(days ? { amount: days, unit: 'workdays' as const } : {}), departmentId: d.department_id, title: `${trackingNo} 信用修复 ${d.doc_no}`.slice(0, 200), url: `/admin/enforcement/repairs/${row.id}`, publicSubject: false },
    'citizen',
  );
  const r = { id: row.id, tracking_no: trackingNo, phone: x.phone, email: x.email };
  const told = await tell(p, t, r, 'received', { due: clock.due, docNo: d.doc_no });
  await p.audit(t, { actor: 'citizen', action: 'enforcement.repair.apply', entity: 'enf_repair', entityId: row.id, details: { trackingNo, decision: d.id, docNo: d.doc_no, departmentId: d.department_id, evidence: x.evidence.length, due: clock.due, told } });
  return { id: row.id, trackingNo, queryCode: code, status: 'pending', dueDate: clock.due };
}

/** Files an application (checked as checkRepair says); one transaction with its clock, notice and audit entry. */
export async function submitRepair(p: Platform, input: RepairInput, today = todayShanghai()): Promise<Submitted> {
  const x = normalize(input);
  await checkRepair(p.db, x, today);
  await ensureCalendar(p.db);
  const code = newQueryCode();
  try {
    return await p.tx((t) => insert(p, t, x, today, code));
  } catch (err) {
    // A concurrent application drew the same tracking number (PostgreSQL): once more.
    if (!isUniqueViolation(err)) throw err;
    return p.tx((t) => insert(p, t, x, today, code));
  }
}

// ---- the applicant's view ---------------------------------------------------------------------------

/** The application for a tracking number and its query code (a wrong one: null; 429 while locked). */
export async function findWithCode(db: Db, trackingNo: unknown, code: unknown): Promise<RepairRow | null> {
  const no = typeof trackingNo === 'string' ? trackingNo.trim().toUpperCase() : '';
  if (!TRACKING_NO.test(no)) return null;
  const c = normalizeQueryCode(code);
  await countCodeAttempt(db, CODE_FAILURES, no, 'enforcement.repair_err.code_locked');
  const r = await db.selectFrom('enf_repairs').selectAll().where('tracking_no', '=', no).executeTakeFirst();
  if (!r || !codeMatches(r.code_hash, no, c) || !QUERY_CODE.test(c)) return null;
  await clearCodeAttempts(db, CODE_FAILURES, no);
  return r;
}

export interface DecisionBrief {
  id: number;
  docNo: string;
  department: string;
  subjectName: string;
  decisionDate: string;
  severity: string;
  status: string;
  endReason: string | null;
  displayMinUntil: string | null;
  displayUntil: string | null;
  endedOn: string | null;
}

async function briefOf(db: Db, decisionId: number, masked: boolean): Promise<DecisionBrief> {
  const d = await db.selectFrom('enf_decisions').innerJoin('departments', 'departments.id', 'enf_decisions.department_id').selectAll('enf_decisions').select('departments.name as department').where('enf_decisions.id', '=', decisionId).executeTakeFirstOrThrow();
  return {
    id: d.id,
    docNo: d.doc_no,
    department: d.department,
    subjectName: masked && d.subject_type === 'natural' ? maskName(d.subject_name) : d.subject_name,
    decisionDate: d.decision_date,
    severity: d.severity,
    status: d.status,
    endReason: d.end_reason,
    displayMinUntil: d.display_min_until,
    displayUntil: d.display_until,
    endedOn: d.ended_at ? shanghaiDate(d.ended_at) : null,
  };
}

const openDue = (clocks: ClockView[]) => clocks.find((c) => c.state === 'running' || c.state === 'paused')?.due ?? clocks[0]?.due ?? null;

export interface ApplicantView {
  trackingNo: string;
  status: RepairState;
  submittedOn: string;
  dueDate: string | null;
  decidedOn: string | null;
  /** The reviewer's reason (a refusal) or note; personal data masked. */
  reviewNote: string;
  applicant: string;
  phone: string;
  email: string;
  evidence: number;
  decision: DecisionBrief;
}

/** What the applicant reads on the status page: names, phone and e-mail masked. */
export async function applicantView(db: Db, r: RepairRow): Promise<ApplicantView> {
  return {
    trackingNo: r.tracking_no,
    status: r.status as RepairState,
    submittedOn: shanghaiDate(r.created_at),
    dueDate: openDue(await clocksFor(db, SUBJECT_REPAIR, r.id)),
    decidedOn: r.decided_at ? shanghaiDate(r.decided_at) : null,
    reviewNote: maskText(r.review_note).text,
    applicant: maskName(r.applicant),
    phone: r.phone ? maskPhone(r.phone) : '',
    email: r.email ? maskText(r.email).text : '',
    evidence: (JSON.parse(r.evidence || '[]') as Evidence[]).length,
    decision: await briefOf(db, r.decision_id, true),
  };
}

// ---- staff ------------------------------------------------------------------------------------------

export interface ListFilter {
  status?: string;
  page?: number;
  pageSize?: number;
}

/** The applications of the departments where the user holds `credit.repair`, pending first, then newest. */
export async function listRepairs(db: Db, user: Principal, f: ListFilter = {}) {
  const scope = scopeOf(user, 'credit.repair');
  const page = Math.max(1, f.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, f.pageSize ?? 20));
  if (scope !== 'all' && !scope.size) return { total: 0, items: [] };
  let q = db.selectFrom('enf_repairs as r').innerJoin('enf_decisions as d', 'd.id', 'r.decision_id').innerJoin('departments as dep', 'dep.id', 'd.department_id');
  if (scope !== 'all') q = q.where('d.department_id', 'in', [...scope]);
  if (f.status) q = q.where('r.status', '=', f.status);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .select(['r.id', 'r.tracking_no', 'r.status', 'r.created_at', 'r.decided_at', 'r.applicant', 'd.id as decision_id', 'd.doc_no', 'd.subject_name', 'd.severity', 'd.department_id', 'dep.name as department'])
    .orderBy((eb) => eb.case().when('r.status', '=', 'pending').then(0).else(1).end())
    .orderBy('r.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const clocks = rows.length
    ? await db.selectFrom('clocks').select(['subject_id', 'due_date', 'state', 'status']).where('subject_type', '=', SUBJECT_REPAIR).where('subject_id', 'in', rows.map((r) => String(r.id))).orderBy('id').execute()
    : [];
  const due = new Map(clocks.map((c) => [c.subject_id, c]));
  return {
    total,
    items: rows.map((r) => {
      const c = due.get(String(r.id));
      return { ...r, submittedOn: shanghaiDate(r.created_at), decidedOn: r.decided_at ? shanghaiDate(r.decided_at) : null, dueDate: c?.due_date ?? null, overdue: !!c && r.status === 'pending' && c.due_date < todayShanghai() };
    }),
  };
}

/** One application as its reviewers see it (404 for anyone else). */
export async function repairFor(db: Db, user: Principal, id: number) {
  const r = await db.selectFrom('enf_repairs').selectAll().where('id', '=', id).executeTakeFirst();
  const d = r && (await db.selectFrom('enf_decisions').selectAll().where('id', '=', r.decision_id).executeTakeFirst());
  if (!r || !d || !can(user, 'credit.repair', { departmentId: d.department_id })) throw notFound('enforcement.repair_err.no_application');
  const clocks = await clocksFor(db, SUBJECT_REPAIR, r.id);
  return { row: r, decision: d, brief: await briefOf(db, d.id, false), clock: clocks.find((c) => c.state === 'running' || c.state === 'paused') ?? clocks[0] ?? null, evidence: JSON.parse(r.evidence || '[]') as Evidence[] };
}

export interface ReviewInput {
  approve: unknown;
  note?: unknown;
}

/**
 * The review by a holder of `credit.repair` in the decision's department: approval ends the
 * display at once ('repaired'; the note optional), rejection keeps it and needs the reason. The
 * clock is completed, the applicant told, both audited — one transaction. 409 when decided.
 */
export async function reviewRepair(p: Platform, user: Principal, id: number, input: ReviewInput): Promise<RepairRow> {
  const x = await repairFor(p.db, user, id);
  const approve = input.approve === true || input.approve === 'true' || input.approve === 'approve';
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  const f: FieldErrors = {};
  if (typeof input.approve !== 'boolean' && !['true', 'false', 'approve', 'reject'].includes(String(input.approve))) f.approve = 'enforcement.repair_err.approve';
  if (!approve && note.length < 4) f.note = 'enforcement.repair_err.reason';
  if (note.length > LIMITS.note) f.note = 'enforcement.repair_err.too_long';
  if (Object.keys(f).length) throw validationError(f);
  if (x.row.status !== 'pending') throw conflict('enforcement.repair_err.decided', undefined, { status: `enforcement.repair.${x.row.status}` });
  const status: RepairState = approve ? 'approved' : 'rejected';
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const now = new Date().toISOString();
    const u = await t.updateTable('enf_repairs').set({ status, review_note: note, reviewer_id: actorName(user), decided_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (!Number(u.numUpdatedRows)) throw conflict('enforcement.repair_err.decided', undefined, { status: 'enforcement.repair.approved' });
    if (approve && !(await endDisplay(p, t, user, x.decision.id, 'repaired', translate('zh-CN', 'enforcement.repair.end_note', { no: x.row.tracking_no }) + (note ? `；${note}` : '')))) {
      throw conflict('enforcement.end_err.not_on_display', undefined, { status: `enforcement.status.${x.decision.status}` });
    }
    await completeClock(p, t, SUBJECT_REPAIR, id, REPAIR_RULE.code, actorName(user));
    const told = await tell(p, t, x.row, status, { docNo: x.decision.doc_no, note });
    await p.audit(t, { actor: actorName(user), action: `enforcement.repair.${approve ? 'approve' : 'reject'}`, entity: 'enf_repair', entityId: id, details: { trackingNo: x.row.tracking_no, decision: x.decision.id, docNo: x.decision.doc_no, ...(note ? { note } : {}), told } });
  });
  if (approve) bumpGeneration();
  return p.db.selectFrom('enf_repairs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The display ended otherwise (expired, revoked, changed) while applications waited: they are
 * closed (nothing left to repair), their clocks stopped, the applicants told — in the caller's
 * transaction (display.ts).
 */
export async function closePendingRepairs(p: Platform, t: Db, d: DecisionRow, reason: EndReason): Promise<void> {
  const open = await t.selectFrom('enf_repairs').selectAll().where('decision_id', '=', d.id).where('status', '=', 'pending').execute();
  for (const r of open) {
    const now = new Date().toISOString();
    const note = translate('zh-CN', `enforcement.end.${reason}`);
    await t.updateTable('enf_repairs').set({ status: 'closed', review_note: note, decided_at: now }).where('id', '=', r.id).execute();
    await stopClock(p, t, SUBJECT_REPAIR, r.id, note, REPAIR_RULE.code);
    const told = await tell(p, t, r, 'closed', { docNo: d.doc_no, reason: note });
    await p.audit(t, { actor: 'system', action: 'enforcement.repair.close', entity: 'enf_repair', entityId: r.id, details: { trackingNo: r.tracking_no, decision: d.id, endReason: reason, told } });
  }
}

// A display ended otherwise (expired, revoked, changed) closes the applications pending on it.
onDisplayEnd(closePendingRepairs);
