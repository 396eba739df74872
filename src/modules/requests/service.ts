// Disclosure requests (依申请公开): the core the parts in service/ share — the disclosure office
// setting, who sees what, the request's events (its timeline), notices to the requester, the
// reply clock and the checks of a step's date. Intake (service/intake.ts), the handling steps
// (service/steps.ts), the Art. 39 referral (service/referral.ts) and the scan (service/scan.ts)
// build on it; it imports none of them.
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { can, grantedDepartments, scopeOf, type Principal } from '../../platform/auth/policy.js';
import { actorName, type Actor as PlatformActor } from '../../platform/auth/actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getSetting } from '../../platform/settings/index.js';
import { clocksFor, startClock, type ClockView } from '../../platform/deadlines/index.js';
import { isValidDate, todayShanghai } from '../../platform/calendar/index.js';
import { sendMessage } from '../../platform/channels/index.js';
import { t as translate } from '../../platform/i18n/index.js';
import { shanghaiDate } from '../../platform/dates.js';
import { REPLY_RULE, SUBJECT, WORKING_STATES, type DisclosureRequest } from './schema.js';

/** Requests also hear from citizens (the online form, the status page). */
export type Actor = PlatformActor | 'citizen';
export { actorName };

// ---- the disclosure office ------------------------------------------------------------------------

/** The department that handles requests addressed to the government itself (政务公开办公室). */
export const OFFICE_SETTING = 'requests.office';
export const DEFAULT_OFFICE = 'gkb';

let officeCache: { at: number; id: number | null } | null = null;

/** The office's department id, or null when the setting names no department. */
export async function officeId(db: Db): Promise<number | null> {
  if (officeCache && Date.now() - officeCache.at < 5000) return officeCache.id;
  const code = (await getSetting(db, OFFICE_SETTING)) ?? DEFAULT_OFFICE;
  const d = await db.selectFrom('departments').select('id').where('code', '=', code).where('active', '=', 1).executeTakeFirst();
  officeCache = { at: Date.now(), id: d?.id ?? null };
  return officeCache.id;
}

// ---- who sees what ------------------------------------------------------------------------------

/** Departments whose requests the user may see: 'all' or a set of ids. */
export const readScope = (user: Principal) => scopeOf(user, 'request.read');

export function canSee(user: Principal | null | undefined, r: Pick<DisclosureRequest, 'department_id'>): boolean {
  return can(user, 'request.read', { departmentId: r.department_id });
}

/** May the user take this step (`action`) on the request? 403 otherwise (they see it, but may not act). */
export function requireAction(actor: Actor, action: string, r: Pick<DisclosureRequest, 'department_id'>): void {
  if (typeof actor === 'string') return;
  if (!can(actor, action, { departmentId: r.department_id })) throw forbidden('requests.err.not_your_step');
}

/**
 * The office head's steps (approving an extension, approving and signing a reply: 机关负责人) are
 * taken by a holder of the action **at home** in the request's department — never through an
 * admin's reach across departments: the letter names the signer as the agency's head. 403 otherwise.
 */
export function mayActAsHead(user: Principal | null | undefined, action: string, r: Pick<DisclosureRequest, 'department_id'>): boolean {
  return grantedDepartments(user, action).has(r.department_id);
}
export function requireHead(actor: Actor, action: string, r: Pick<DisclosureRequest, 'department_id'>): void {
  if (typeof actor === 'string') return;
  if (!mayActAsHead(actor, action, r)) throw forbidden('requests.err.not_your_step');
}

/**
 * Identity proofs are for the handling department only: the action held **at home** there (a grant
 * naming the department or a parent with its sub-departments), never through an admin's or a
 * supervisor's reach across departments.
 */
export function mayViewIdentity(user: Principal | null | undefined, r: Pick<DisclosureRequest, 'department_id'>): boolean {
  return grantedDepartments(user, 'request.identity').has(r.department_id);
}

/** The request as a staff member may see it (404 when it does not exist or is another department's). */
export async function loadFor(db: Db, actor: Actor, id: number): Promise<DisclosureRequest> {
  const r = await db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('requests.err.not_found');
  if (typeof actor !== 'string' && !canSee(actor, r)) throw notFound('requests.err.not_found');
  return r;
}

/** The step is not open in this state: 409 naming the state (the pages show its label). */
export function requireState(r: Pick<DisclosureRequest, 'state'>, allowed: readonly string[], message = 'requests.err.state'): void {
  if (!allowed.includes(r.state)) throw conflict(message, undefined, { state: `requests.state.${r.state}` });
}

/**
 * The steps that change how the request is handled (a fee notice, a consultation, a correction, a
 * referral) are closed once the reply is signed: the signed letter cannot change any more. 409
 * naming the day it was signed. Called in the step's transaction too (a signature meanwhile).
 */
export async function requireUnsigned(t: Db, id: number): Promise<void> {
  const x = await t.selectFrom('request_replies').select(['status', 'signed_at']).where('request_id', '=', id).executeTakeFirst();
  if (x && (x.status === 'signed' || x.status === 'delivered')) throw conflict('requests.err.reply_signed', undefined, { date: x.signed_at ? shanghaiDate(x.signed_at) : '' });
}

// ---- the timeline -------------------------------------------------------------------------------

export interface EventInput {
  kind: string;
  /** The day it took effect (YYYY-MM-DD). */
  on: string;
  note?: string;
  public: boolean;
  data?: Record<string, unknown>;
}

export async function addEvent(t: Db, requestId: number, actor: Actor | string, e: EventInput): Promise<void> {
  await t
    .insertInto('request_events')
    .values({ request_id: requestId, at: new Date().toISOString(), on_date: e.on, actor: typeof actor === 'string' ? actor : actorName(actor), kind: e.kind, note: (e.note ?? '').slice(0, 5000), data: JSON.stringify(e.data ?? {}), public: e.public ? 1 : 0 })
    .execute();
}

export async function timeline(db: Db, requestId: number, onlyPublic: boolean) {
  let q = db.selectFrom('request_events').selectAll().where('request_id', '=', requestId);
  if (onlyPublic) q = q.where('public', '=', 1);
  return (await q.orderBy('id').execute()).map((e) => ({ ...e, data: JSON.parse(e.data || '{}') as Record<string, unknown> }));
}

export async function touch(t: Db, id: number, set: Partial<Omit<DisclosureRequest, 'id'>>): Promise<void> {
  await t.updateTable('disclosure_requests').set({ ...set, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

// ---- dates of steps -----------------------------------------------------------------------------

/**
 * The day a step took effect: given (staff record what happened, e.g. the day a letter was signed
 * for) or today; never in the future, never before `notBefore`. 400 naming `field` otherwise.
 */
export function stepDate(on: unknown, field: string, notBefore?: string | null): string {
  const today = todayShanghai();
  const day = on === undefined || on === null || on === '' ? today : on;
  if (typeof day !== 'string' || !isValidDate(day)) throw badRequest('err.validation', { [field]: 'requests.err.date' });
  if (day > today) throw badRequest('err.validation', { [field]: 'requests.err.date_future' });
  if (notBefore && day < notBefore) throw badRequest('err.validation', { [field]: 'requests.err.date_before' }, { date: notBefore });
  return day;
}

// ---- the reply clock ----------------------------------------------------------------------------

/** Starts the reply clock (request.reply) from `start` (not counted) and mirrors its due date. */
export async function startReplyClock(p: Platform, t: Db, r: Pick<DisclosureRequest, 'id' | 'tracking_no' | 'info_name' | 'department_id'>, start: string, actor: string): Promise<string> {
  const c = await startClock(p, t, { subjectType: SUBJECT, subjectId: r.id, rule: REPLY_RULE, start, departmentId: r.department_id, title: `${r.tracking_no} ${r.info_name}`.slice(0, 200), url: `/admin/disclosure-requests/${r.id}`, publicSubject: false }, actor);
  return c.due;
}

/** The open reply clock's row (running or paused), if any. */
export async function openReplyClock(db: Db, id: number) {
  return db.selectFrom('clocks').selectAll().where('subject_type', '=', SUBJECT).where('subject_id', '=', String(id)).where('rule_code', '=', REPLY_RULE).where('state', 'in', ['running', 'paused']).executeTakeFirst();
}

/** The first day a new pause of the clock may start: its start, or the end of its last pause (pauses never overlap). */
export async function pauseFloor(db: Db, clock: { id: number; start_date: string }): Promise<string> {
  const last = await db.selectFrom('clock_pauses').select('to_date').where('clock_id', '=', clock.id).where('to_date', 'is not', null).orderBy('to_date', 'desc').executeTakeFirst();
  return last?.to_date && last.to_date > clock.start_date ? last.to_date : clock.start_date;
}

/** Copies the open reply clock's due date onto the request (lists, the overdue filter). */
export async function mirrorDue(t: Db, id: number): Promise<string | null> {
  const c = await openReplyClock(t, id);
  const due = c?.due_date ?? null;
  await touch(t, id, { due_date: due });
  return due;
}

/** Every reply clock of the request, newest first (an earlier one was stopped by a correction). */
export async function replyClocks(db: Db, id: number): Promise<ClockView[]> {
  return (await clocksFor(db, SUBJECT, id)).filter((c) => c.rule === REPLY_RULE);
}

/** Overdue is computed, never stored: an open reply clock past its due date (not while a fee waits: the requester holds it up). */
export function isOverdue(r: Pick<DisclosureRequest, 'due_date' | 'state'>, today = todayShanghai()): boolean {
  return !!r.due_date && WORKING_STATES.includes(r.state as never) && r.due_date < today;
}

// ---- notices to the requester ---------------------------------------------------------------------

const MOBILE = /^1[3-9]\d{9}$/;

/** Platforms loading demo data: their requesters are told nothing (no sink files, no queued messages). */
const quiet = new WeakSet<Platform>();
/** Is the platform loading demo data (nobody is told)? */
export const isQuiet = (p: Platform): boolean => quiet.has(p);
export async function quietly<T>(p: Platform, fn: () => Promise<T>): Promise<T> {
  quiet.add(p);
  try {
    return await fn();
  } finally {
    quiet.delete(p);
  }
}

/**
 * Tells the requester (SMS to a mobile, e-mail to an address; both when both are given) in the
 * step's transaction. The text is the message `key` in Chinese with the request's number. Returns
 * the channels used — none: the office writes (letters are part B), and the event says so.
 */
export async function notifyRequester(p: Platform, t: Db, r: Pick<DisclosureRequest, 'id' | 'tracking_no' | 'contact_phone' | 'contact_email'>, step: string, key: string, params: Record<string, string | number> = {}): Promise<string[]> {
  const text = translate('zh-CN', key, { no: r.tracking_no, ...params });
  const subject = translate('zh-CN', 'requests.notice_subject', { no: r.tracking_no });
  const used: string[] = [];
  if (quiet.has(p)) return MOBILE.test(r.contact_phone) ? ['sms'] : r.contact_email ? ['email'] : [];
  if (MOBILE.test(r.contact_phone)) {
    await sendMessage(p, t, { channel: 'sms', to: r.contact_phone, text: `${translate('zh-CN', 'requests.sms_sign')}${text}` }, `request:${r.id}:${step}:sms`);
    used.push('sms');
  }
  if (r.contact_email) {
    await sendMessage(p, t, { channel: 'email', to: r.contact_email, subject, text }, `request:${r.id}:${step}:email`);
    used.push('email');
  }
  return used;
}

/** The events' `data.notice`: how the requester was told. */
export const noticeData = (used: string[]) => ({ notice: used.length ? used : ['letter'] });
