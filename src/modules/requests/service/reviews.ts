// 行政复议 and 行政诉讼 about a request: the cases the annual report's Table 四 counts (decided in
// the year by outcome 维持/纠正/其他; 尚未审结 = filed by 31 December and not decided by then).
// Staff holding request.litigation in the request's department record a case (after receipt),
// record its decision, correct a mistaken entry (with a reason; the old values in the audit) and
// delete one entered in error (confirmed, with a reason). The events are internal: the requester
// knows their own case.
import type { Platform } from '../../../platform/platform.js';
import { badRequest, conflict, notFound } from '../../../platform/errors.js';
import { isValidDate, todayShanghai } from '../../../platform/calendar/index.js';
import { REVIEW_KINDS, REVIEW_OUTCOMES, type DisclosureRequest, type RequestReview, type ReviewKind, type ReviewOutcome } from '../schema.js';
import { actorName, addEvent, loadFor, requireAction, type Actor } from '../service.js';

export const LITIGATION = 'request.litigation';
export const REVIEW_ACTIONS = ['review-add', 'review-decide', 'review-correct', 'review-delete'] as const;
export const isReviewAction = (a: string) => (REVIEW_ACTIONS as readonly string[]).includes(a);

export const REVIEW_LIMITS = { body: 100, caseNo: 100, note: 1000, reason: 500 };

export interface EntryInput {
  kind?: unknown;
  body?: unknown;
  caseNo?: unknown;
  filedOn?: unknown;
  priorReview?: unknown;
  note?: unknown;
}
export interface DecisionInput {
  outcome?: unknown;
  decidedOn?: unknown;
}

/** The entry's fields as the service checked them (column names). */
interface Entry {
  kind: ReviewKind;
  body: string;
  case_no: string;
  filed_on: string;
  prior_id: number | null;
  note: string;
  outcome: ReviewOutcome | null;
  decided_on: string | null;
}

const invalid = (field: string, key: string, params?: Record<string, string | number>) => badRequest('err.validation', { [field]: key }, params);

function text(v: unknown, field: string, max: number, required: boolean): string {
  if (v !== undefined && v !== null && typeof v !== 'string') throw invalid(field, 'err.field.invalid');
  const s = typeof v === 'string' ? v.trim() : '';
  if (required && !s) throw invalid(field, 'err.field.required');
  if (s.length > max) throw invalid(field, 'requests.err.too_long');
  return s;
}

/** A date that happened: given, valid, not after today (Shanghai), not before `notBefore`. */
function pastDate(v: unknown, field: string, notBefore: string | null): string {
  if (v === undefined || v === null || v === '') throw invalid(field, 'err.field.required');
  if (typeof v !== 'string' || !isValidDate(v)) throw invalid(field, 'requests.err.date');
  if (v > todayShanghai()) throw invalid(field, 'requests.err.date_future');
  if (notBefore && v < notBefore) throw invalid(field, 'requests.err.date_before', { date: notBefore });
  return v;
}

const asId = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 2147483647 ? n : null;
};

/** The cases of a request, oldest first. */
export async function reviewsOf(db: Platform['db'], requestId: number): Promise<RequestReview[]> {
  return db.selectFrom('request_reviews').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
}

/** The cases of a request a staff member may see (404 for another department's request). */
export async function listReviews(p: Platform, actor: Actor, id: number): Promise<RequestReview[]> {
  await loadFor(p.db, actor, id);
  return reviewsOf(p.db, id);
}

/** The request (litigation allowed there, received) and the case named by `reviewId`, if any. */
async function target(p: Platform, actor: Actor, id: number, reviewId?: unknown) {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, LITIGATION, r);
  const all = await reviewsOf(p.db, id);
  if (reviewId === undefined) return { r, all, v: null as RequestReview | null };
  const rid = asId(reviewId);
  if (rid === null) throw invalid('review', 'err.field.invalid');
  const v = all.find((x) => x.id === rid);
  if (!v) throw notFound('requests.err.review_not_found');
  return { r, all, v };
}

/**
 * Checks a case's fields against its request and the request's other cases: a known kind; the body
 * named; filed not in the future nor before the request arrived; a suit after review names a
 * decided review of the same request and is filed on or after its decision; a decision has an
 * outcome and a date on or after the filing.
 */
function checkEntry(r: DisclosureRequest, all: RequestReview[], e: { kind: unknown; body: unknown; caseNo: unknown; filedOn: unknown; priorReview: unknown; note: unknown }, self: number | null): Omit<Entry, 'outcome' | 'decided_on'> {
  if (typeof e.kind !== 'string' || !(REVIEW_KINDS as readonly string[]).includes(e.kind)) throw invalid('kind', 'requests.err.choose');
  const kind = e.kind as ReviewKind;
  const body = text(e.body, 'body', REVIEW_LIMITS.body, true);
  const case_no = text(e.caseNo, 'caseNo', REVIEW_LIMITS.caseNo, false);
  const note = text(e.note, 'note', REVIEW_LIMITS.note, false);
  let filed_on = pastDate(e.filedOn, 'filedOn', r.arrived_on);
  let prior_id: number | null = null;
  const given = e.priorReview !== undefined && e.priorReview !== null && e.priorReview !== '';
  if (kind === 'suit-after-review') {
    if (!given) throw invalid('priorReview', 'requests.err.review_prior');
    const prior = all.find((x) => x.id === asId(e.priorReview) && x.kind === 'review' && x.id !== self);
    if (!prior) throw invalid('priorReview', 'requests.err.review_prior');
    if (!prior.outcome || !prior.decided_on) throw conflict('requests.err.review_prior_pending', { priorReview: 'requests.err.review_prior_pending' });
    filed_on = pastDate(filed_on, 'filedOn', prior.decided_on);
    prior_id = prior.id;
  } else if (given) throw invalid('priorReview', 'requests.err.review_prior_only');
  return { kind, body, case_no, filed_on, prior_id, note };
}

function checkDecision(d: DecisionInput, filedOn: string): { outcome: ReviewOutcome; decided_on: string } {
  if (typeof d.outcome !== 'string' || !(REVIEW_OUTCOMES as readonly string[]).includes(d.outcome)) throw invalid('outcome', 'requests.err.choose');
  return { outcome: d.outcome as ReviewOutcome, decided_on: pastDate(d.decidedOn, 'decidedOn', filedOn) };
}

/** The values the audit keeps (its field labels: kind, body, caseNo, filedOn, priorReview, result, decidedOn, note). */
const auditValues = (e: Partial<Entry>) => {
  const out: Record<string, unknown> = {};
  const names: [keyof Entry, string][] = [['kind', 'kind'], ['body', 'body'], ['case_no', 'caseNo'], ['filed_on', 'filedOn'], ['prior_id', 'priorReview'], ['outcome', 'result'], ['decided_on', 'decidedOn'], ['note', 'note']];
  for (const [col, key] of names) if (col in e) out[key] = e[col];
  return out;
};

// ---- record ----------------------------------------------------------------------------------------

/** Records a case about a received request (several per request). */
export async function addReview(p: Platform, actor: Actor, id: number, input: EntryInput): Promise<RequestReview> {
  const { r, all } = await target(p, actor, id);
  if (!r.received_on) throw conflict('requests.err.review_not_received');
  const e = checkEntry(r, all, { kind: input.kind, body: input.body, caseNo: input.caseNo, filedOn: input.filedOn, priorReview: input.priorReview, note: input.note }, null);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const row = await t
      .insertInto('request_reviews')
      .values({ request_id: id, ...e, outcome: null, decided_on: null, created_by: actorName(actor), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addEvent(t, id, actor, { kind: 'review-filed', on: e.filed_on, note: e.note, public: false, data: { review: row.id, kind: e.kind, body: e.body, caseNo: e.case_no, priorReview: e.prior_id } });
    await p.audit(t, { actor: actorName(actor), action: 'request.review_add', entity: 'disclosure_request', entityId: id, details: { review: row.id, ...auditValues(e) } });
    return row;
  });
}

/** Records the decision of a pending case: 维持, 纠正 or 其他, on a day on or after its filing. */
export async function decideReview(p: Platform, actor: Actor, id: number, reviewId: unknown, input: DecisionInput): Promise<RequestReview> {
  const { v } = await target(p, actor, id, reviewId);
  if (v!.outcome) throw conflict('requests.err.review_decided', undefined, { date: v!.decided_on ?? '' });
  const d = checkDecision(input, v!.filed_on);
  return p.tx(async (t) => {
    const row = await t.updateTable('request_reviews').set({ ...d, updated_at: new Date().toISOString() }).where('id', '=', v!.id).where('outcome', 'is', null).returningAll().executeTakeFirst();
    if (!row) throw conflict('requests.err.changed');
    await addEvent(t, id, actor, { kind: 'review-decided', on: d.decided_on, public: false, data: { review: v!.id, kind: v!.kind, body: v!.body, outcome: d.outcome } });
    await p.audit(t, { actor: actorName(actor), action: 'request.review_decide', entity: 'disclosure_request', entityId: id, details: { review: v!.id, ...auditValues(d) } });
    return row;
  });
}

// ---- correct, delete ---------------------------------------------------------------------------------

/** The suits after review that follow this case: it must stay a decided review, decided before they were filed. */
function checkFollowers(all: RequestReview[], v: RequestReview, next: { kind: string; outcome: string | null; decided_on: string | null }): void {
  const followers = all.filter((x) => x.prior_id === v.id);
  if (!followers.length) return;
  if (next.kind !== 'review' || !next.outcome) throw conflict('requests.err.review_has_suit');
  const first = followers.map((x) => x.filed_on).sort()[0];
  if (next.decided_on && next.decided_on > first) throw invalid('decidedOn', 'requests.err.review_after_suit', { date: first });
}

/**
 * Corrects a mistaken entry: any of its fields (outcome null or '' makes it pending again), with a
 * reason. The audit keeps the old and the new values of what changed.
 */
export async function correctReview(p: Platform, actor: Actor, id: number, reviewId: unknown, input: EntryInput & DecisionInput & { reason?: unknown }): Promise<RequestReview> {
  const { r, all, v: old } = await target(p, actor, id, reviewId);
  const v = old!;
  const reason = text(input.reason, 'reason', REVIEW_LIMITS.reason, true);
  const pick = <T>(x: unknown, was: T) => (x === undefined ? was : x);
  const kind = pick(input.kind, v.kind);
  // A kind changed away from a suit after review drops the review it followed.
  const priorReview = input.priorReview !== undefined ? input.priorReview : kind === 'suit-after-review' ? v.prior_id : null;
  const e = checkEntry(r, all, { kind, body: pick(input.body, v.body), caseNo: pick(input.caseNo, v.case_no), filedOn: pick(input.filedOn, v.filed_on), priorReview, note: pick(input.note, v.note) }, v.id);
  const outcome = pick(input.outcome, v.outcome);
  const d = outcome === null || outcome === '' ? { outcome: null, decided_on: null } : checkDecision({ outcome, decidedOn: pick(input.decidedOn, v.decided_on) }, e.filed_on);
  const next: Entry = { ...e, ...d };
  checkFollowers(all, v, next);
  const changed = (Object.keys(next) as (keyof Entry)[]).filter((k) => next[k] !== v[k]);
  if (!changed.length) throw badRequest('requests.err.review_no_change');
  const before = Object.fromEntries(changed.map((k) => [k, v[k]])) as Partial<Entry>;
  const after = Object.fromEntries(changed.map((k) => [k, next[k]])) as Partial<Entry>;
  return p.tx(async (t) => {
    const row = await t
      .updateTable('request_reviews')
      .set({ ...after, updated_at: new Date().toISOString() })
      .where('id', '=', v.id)
      .where('updated_at', '=', v.updated_at)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('requests.err.changed');
    await addEvent(t, id, actor, { kind: 'review-corrected', on: todayShanghai(), note: reason, public: false, data: { review: v.id, kind: next.kind, body: next.body, changed: Object.keys(auditValues(after)) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.review_correct', entity: 'disclosure_request', entityId: id, details: { review: v.id, reason, before: auditValues(before), after: auditValues(after) } });
    return row;
  });
}

/** Deletes a case entered in error: confirmed, with a reason; never one a suit after review follows. */
export async function deleteReview(p: Platform, actor: Actor, id: number, reviewId: unknown, input: { reason?: unknown; confirm?: unknown }): Promise<void> {
  const { all, v: old } = await target(p, actor, id, reviewId);
  const v = old!;
  if (input.confirm !== true && input.confirm !== 'yes') throw invalid('confirm', 'requests.err.review_confirm_delete');
  const reason = text(input.reason, 'reason', REVIEW_LIMITS.reason, true);
  if (all.some((x) => x.prior_id === v.id)) throw conflict('requests.err.review_has_suit');
  await p.tx(async (t) => {
    const del = await t.deleteFrom('request_reviews').where('id', '=', v.id).where('updated_at', '=', v.updated_at).executeTakeFirst();
    if (!Number(del.numDeletedRows)) throw conflict('requests.err.changed');
    await addEvent(t, id, actor, { kind: 'review-deleted', on: todayShanghai(), note: reason, public: false, data: { review: v.id, kind: v.kind, body: v.body, caseNo: v.case_no } });
    await p.audit(t, { actor: actorName(actor), action: 'request.review_delete', entity: 'disclosure_request', entityId: id, details: { review: v.id, reason, entry: auditValues(v as Entry) } });
  });
}

/** The console's forms (text fields) and the API share this: the action's fields as the step names them. */
export async function runReviewAction(p: Platform, actor: Actor, id: number, action: string, b: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (action) {
    case 'review-add':
      return addReview(p, actor, id, b);
    case 'review-decide':
      return decideReview(p, actor, id, b.review, b);
    case 'review-correct':
      return correctReview(p, actor, id, b.review, b);
    case 'review-delete':
      await deleteReview(p, actor, id, b.review, b);
      return {};
  }
  throw notFound();
}
