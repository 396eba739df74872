// The citizen appeals centre: intake from three doors, dispatch, handling under the deadline
// engine, reply, closing, callback, rating, reopening, merging and release for publication.
// Every change is written with its audit event and its appeal event in one transaction.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { isDbUnavailable, type Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { can, grantedDepartments, scopeOf, type Principal } from '../../platform/auth/policy.js';
import { holders } from '../../platform/auth/identity.js';
import { enqueueMail } from '../../platform/mail/index.js';
import { postNotices } from '../../platform/messaging/inbox.js';
import { badRequest, conflict, forbidden, notFound, tooMany, validationError } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import { completeClock, extendClock, startClock, stopClock, clocksFor } from '../../platform/deadlines/index.js';
import { todayShanghai, ensureCalendar } from '../../platform/calendar/index.js';
import { sendMessage } from '../../platform/channels/index.js';
import { maskText } from '../../platform/privacy/index.js';
import { getSettings as getStoredSettings, putSetting } from '../../platform/settings/index.js';
import { publishApproved, withdrawApproved, defaultMeta, bumpGeneration } from '../../platform/publication/index.js';
import { APPEAL_TYPES, TYPE_RULES, OPEN_STATUSES, type AppealTable, type Appeal, type AppealType, type AppealStatus } from './schema.js';
import { isDissatisfied, isRating } from '../../platform/ratings.js';

import { actorName, type Actor as PlatformActor } from '../../platform/auth/actor.js';

/** Appeals also hear from citizens and Open311 clients (no staff rights). */
export type Actor = PlatformActor | 'citizen' | `open311:${string}`;
export { actorName };

// ---- settings ---------------------------------------------------------------------------------

export interface AppealSettings {
  /** Department code of the centre (市民诉求服务中心). */
  centre: string;
  /** How many times a dissatisfied citizen may reopen an appeal. */
  reopenLimit: number;
  /** Within how many days after the rating. */
  reopenDays: number;
}

export const DEFAULT_SETTINGS: AppealSettings = { centre: 'sqzx', reopenLimit: 1, reopenDays: 15 };

let settingsCache: { at: number; s: AppealSettings; centreId: number | null } | null = null;

export async function getSettings(db: Db): Promise<AppealSettings & { centreId: number | null }> {
  if (settingsCache && Date.now() - settingsCache.at < 5000) return { ...settingsCache.s, centreId: settingsCache.centreId };
  const m = await getStoredSettings(db, ['appeals.centre', 'appeals.reopen_limit', 'appeals.reopen_days']);
  const int = (v: string | undefined, d: number) => (v !== undefined && /^\d{1,3}$/.test(v) ? Number(v) : d);
  const s: AppealSettings = {
    centre: m.get('appeals.centre') ?? DEFAULT_SETTINGS.centre,
    reopenLimit: int(m.get('appeals.reopen_limit'), DEFAULT_SETTINGS.reopenLimit),
    reopenDays: int(m.get('appeals.reopen_days'), DEFAULT_SETTINGS.reopenDays),
  };
  const c = await db.selectFrom('departments').select('id').where('code', '=', s.centre).executeTakeFirst();
  settingsCache = { at: Date.now(), s, centreId: c?.id ?? null };
  return { ...s, centreId: c?.id ?? null };
}

export async function saveSettings(p: Platform, actor: Actor, input: { reopenLimit: number; reopenDays: number }): Promise<void> {
  if (typeof actor !== 'string' && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden();
  const fields: Record<string, string> = {};
  if (!Number.isInteger(input.reopenLimit) || input.reopenLimit < 0 || input.reopenLimit > 10) fields.reopenLimit = 'appeals.err.setting';
  if (!Number.isInteger(input.reopenDays) || input.reopenDays < 1 || input.reopenDays > 365) fields.reopenDays = 'appeals.err.setting';
  if (Object.keys(fields).length) throw validationError(fields);
  await p.tx(async (t) => {
    await putSetting(t, 'appeals.reopen_limit', String(input.reopenLimit));
    await putSetting(t, 'appeals.reopen_days', String(input.reopenDays));
    await p.audit(t, { actor: actorName(actor), action: 'appeal.settings', entity: 'settings', entityId: 'appeals', details: input });
  });
  settingsCache = null;
}

// ---- who sees what ----------------------------------------------------------------------------

/**
 * Centre staff with `action`: they see and steer every appeal. `appeal.department` is the right
 * to work on appeals at all (department staff); call-takers (`appeal.intake` alone) are not
 * centre staff even when they sit in the centre.
 */
export async function isCentre(db: Db, user: Principal | null | undefined, action = 'appeal.department'): Promise<boolean> {
  if (!user) return false;
  const { centreId } = await getSettings(db);
  if (centreId === null) return scopeOf(user, action) === 'all';
  return can(user, action, { departmentId: centreId });
}

/** Departments in which the user works on appeals with `action` (call-takers excluded). */
export function departmentScope(user: Principal | null | undefined, action = 'appeal.department'): Set<number> {
  return grantedDepartments(user, action);
}

/** Takes citizens' calls (12345 intake): sees what they took in, and the contact details. */
export function isOperator(user: Principal | null | undefined): boolean {
  return can(user, 'appeal.intake');
}

export async function assistsOf(db: Db, appealId: number): Promise<number[]> {
  return (await db.selectFrom('appeal_assists').select('department_id').where('appeal_id', '=', appealId).execute()).map((r) => r.department_id);
}

/** May this staff user see the appeal? (department: dispatched to it as lead or assisting; operator: intake; centre: all) */
export async function canSee(db: Db, user: Principal | null | undefined, a: Pick<Appeal, 'id' | 'department_id' | 'status' | 'created_by'>): Promise<boolean> {
  if (!user) return false;
  if (await isCentre(db, user)) return true;
  const scope = departmentScope(user);
  if (a.department_id !== null && scope.has(a.department_id)) return true;
  if (scope.size && (await assistsOf(db, a.id)).some((d) => scope.has(d))) return true;
  return isOperator(user) && (a.created_by === user.id || a.status === 'received');
}

async function loadFor(p: Platform, t: Db, actor: Actor, id: number) {
  const a = await t.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  if (typeof actor !== 'string' && !(await canSee(t, actor, a))) throw notFound();
  return a;
}

async function requireCentre(db: Db, actor: Actor, action: string): Promise<void> {
  if (typeof actor === 'string') return;
  if (!(await isCentre(db, actor, action))) throw forbidden('appeals.err.centre_only');
}

function requireLead(actor: Actor, a: { department_id: number | null }, action = 'appeal.handle'): void {
  if (typeof actor === 'string') return;
  if (a.department_id === null || !departmentScope(actor, action).has(a.department_id)) throw forbidden('appeals.err.lead_only');
}

// ---- tracking numbers and query codes -----------------------------------------------------------

/** SQ + the UTC date (yyyymmdd) + 7 digits: random since codes became 10 digits, the id before. */
export const TRACKING_NO = /^SQ\d{15}$/;
/** 10 digits; appeals received before that change have 6 and keep them. */
export const QUERY_CODE = /^(?:\d{10}|\d{6})$/;
export const QUERY_CODE_DIGITS = 10;

function codeHash(trackingNo: string, code: string): string {
  return createHash('sha256').update(`${trackingNo}\u0000${code}`).digest('hex');
}

/** The old sequential form (id in the last 7 digits); the demo still numbers its appeals this way. */
export function trackingNoFor(id: number, createdAt: string): string {
  return `SQ${createdAt.slice(0, 10).replace(/-/g, '')}${String(id).padStart(7, '0')}`;
}

/** A new tracking number: the date and 7 random digits, so numbers cannot be counted through. */
export function randomTrackingNo(createdAt: string): string {
  return `SQ${createdAt.slice(0, 10).replace(/-/g, '')}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/**
 * 10 random digits. Digits rather than letters: operators read the code out on the phone
 * (电话受理) and callers key it in on a phone keypad; 10^10 with the per-number lock below
 * (≤ about 30 wrong guesses a day once it has been reached) puts guessing out of reach.
 */
export function newQueryCode(): string {
  return String(randomInt(0, 10 ** QUERY_CODE_DIGITS)).padStart(QUERY_CODE_DIGITS, '0');
}

/** What citizens type: spaces and hyphens between digit groups are ignored. */
export function normalizeQueryCode(code: unknown): string {
  return typeof code === 'string' ? code.replace(/[\s-]/g, '').slice(0, 20) : '';
}

/**
 * Wrong query codes per tracking number: after `after` failures in a row the number is locked
 * for `firstMs`, and every further failure doubles the lock up to `maxMs`; a right code clears
 * the count; a count idle for `forgetMs` starts again. Attempts are counted for any well-formed
 * number, existing or not, so a lock reveals nothing, and from every address together.
 */
export const CODE_LOCK = { after: 5, firstMs: 60_000, maxMs: 3_600_000, forgetMs: 86_400_000 };

export function codeLockMs(failures: number): number {
  return failures < CODE_LOCK.after ? 0 : Math.min(CODE_LOCK.maxMs, CODE_LOCK.firstMs * 2 ** (failures - CODE_LOCK.after));
}

let lastCodeSweep = 0;

/**
 * Counts one attempt for the number (before the code is checked, in one statement, so parallel
 * guesses cannot slip past the lock) or throws 429 with Retry-After while it is locked.
 */
async function countCodeAttempt(db: Db, trackingNo: string): Promise<void> {
  const now = Date.now();
  const nowSql = sql`cast(${now} as bigint)`;
  const f = sql`(case when appeal_code_failures.last_ms < cast(${now - CODE_LOCK.forgetMs} as bigint) then 1 else appeal_code_failures.failures + 1 end)`;
  const steps: [number, number][] = [];
  for (let k = CODE_LOCK.after; steps.length < 64; k++) {
    steps.push([k, codeLockMs(k)]);
    if (codeLockMs(k) >= CODE_LOCK.maxMs) break;
  }
  const lock = sql`case ${sql.join(steps.reverse().map(([k, ms]) => sql`when ${f} >= ${sql.lit(k)} then ${nowSql} + ${sql.lit(ms)}`), sql` `)} else 0 end`;
  const first = codeLockMs(1);
  const r = await sql<{ failures: number }>`
    insert into appeal_code_failures (tracking_no, failures, locked_until_ms, last_ms)
    values (${trackingNo}, 1, ${first ? now + first : 0}, ${now})
    on conflict (tracking_no) do update set failures = ${f}, locked_until_ms = ${lock}, last_ms = ${nowSql}
    where appeal_code_failures.locked_until_ms <= ${nowSql}
    returning failures`.execute(db);
  if (now - lastCodeSweep > 60_000) {
    lastCodeSweep = now;
    await db.deleteFrom('appeal_code_failures').where('last_ms', '<', now - CODE_LOCK.forgetMs).where('locked_until_ms', '<', now).execute();
  }
  if (r.rows.length) return;
  const row = await db.selectFrom('appeal_code_failures').select('locked_until_ms').where('tracking_no', '=', trackingNo).executeTakeFirst();
  const wait = Math.max(1, Math.ceil((Number(row?.locked_until_ms ?? 0) - now) / 1000));
  throw tooMany('appeals.err.code_locked', { minutes: Math.ceil(wait / 60) }, wait);
}

/** New tracking numbers for appeals received at `dates`, none already taken (nor twice in the batch). */
async function allocateTrackingNos(t: Db, dates: string[]): Promise<string[]> {
  const used = new Set<string>();
  const fresh = (d: string) => {
    let n: string;
    do n = randomTrackingNo(d);
    while (used.has(n));
    used.add(n);
    return n;
  };
  const nos = dates.map(fresh);
  for (let round = 0; round < 10; round++) {
    const taken = new Set((await t.selectFrom('appeals').select('tracking_no').where('tracking_no', 'in', nos).execute()).map((r) => r.tracking_no));
    if (!taken.size) return nos;
    nos.forEach((n, i) => {
      if (taken.has(n)) nos[i] = fresh(dates[i]);
    });
  }
  throw new Error('no free tracking number after 10 draws');
}

/** Runs an intake transaction; once more if a concurrent one (PostgreSQL) drew the same tracking number. */
async function intakeTx<T>(p: Platform, fn: (t: Db) => Promise<T>): Promise<T> {
  try {
    return await p.tx(fn);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return p.tx(fn);
  }
}

// ---- intake -----------------------------------------------------------------------------------

export interface IntakeInput {
  type: string;
  category: string;
  title: string;
  content: string;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  consent?: boolean;
  channel: 'web' | 'phone' | 'open311' | 'api';
  media?: string[];
  /** A verification code the citizen received for the phone (or e-mail). */
  verifyCode?: string;
  apiKeyId?: number | null;
}

export const MOBILE = /^1[3-9]\d{9}$/;
export const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
export const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
export const LIMITS = { title: 100, content: 5000, address: 200, name: 50 };

export function normalizePhone(s: string): string {
  return s.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '');
}

let categoryCache: { at: number; codes: Set<string> } | null = null;
async function activeCategories(db: Db): Promise<Set<string>> {
  if (categoryCache && Date.now() - categoryCache.at < 10_000) return categoryCache.codes;
  const rows = await db.selectFrom('appeal_categories').select('code').where('active', '=', 1).execute();
  categoryCache = { at: Date.now(), codes: new Set(rows.map((r) => r.code)) };
  return categoryCache.codes;
}
export function forgetCategories(): void {
  categoryCache = null;
}

export async function checkIntake(db: Db, input: IntakeInput): Promise<Record<string, string>> {
  const f: Record<string, string> = {};
  if (!(APPEAL_TYPES as readonly string[]).includes(input.type)) f.type = 'appeals.err.type';
  if (!(await activeCategories(db)).has(input.category)) f.category = 'appeals.err.category';
  const title = (input.title ?? '').trim();
  const content = (input.content ?? '').trim();
  if (!title) f.title = 'err.field.required';
  else if (title.length > LIMITS.title) f.title = 'appeals.err.title_long';
  if (!content) f.content = 'err.field.required';
  else if (content.length < 5) f.content = 'appeals.err.content_short';
  else if (content.length > LIMITS.content) f.content = 'appeals.err.content_long';
  if ((input.address ?? '').length > LIMITS.address) f.address = 'appeals.err.address_long';
  if ((input.contactName ?? '').length > LIMITS.name) f.contactName = 'appeals.err.name_long';
  const phone = normalizePhone(input.contactPhone ?? '');
  if (input.channel === 'web' || input.channel === 'phone') {
    if (!phone) f.contactPhone = 'err.field.required';
  }
  if (phone && !MOBILE.test(phone) && !LANDLINE.test(phone)) f.contactPhone = 'appeals.err.phone';
  if (input.channel === 'web' && phone && !MOBILE.test(phone)) f.contactPhone = 'appeals.err.mobile';
  if (input.contactEmail && (!EMAIL.test(input.contactEmail) || input.contactEmail.length > 200)) f.contactEmail = 'appeals.err.email';
  const hasLat = input.lat !== undefined && input.lat !== null;
  const hasLng = input.lng !== undefined && input.lng !== null;
  if (hasLat !== hasLng) f[hasLat ? 'lng' : 'lat'] = 'appeals.err.point';
  if (hasLat && (!Number.isFinite(input.lat) || input.lat! < -90 || input.lat! > 90)) f.lat = 'appeals.err.point';
  if (hasLng && (!Number.isFinite(input.lng) || input.lng! < -180 || input.lng! > 180)) f.lng = 'appeals.err.point';
  if ((input.media ?? []).length > 6) f.media = 'appeals.err.too_many_photos';
  return f;
}

/** Checks a verification code for a target (phone or e-mail) and marks it used. */
async function consumeVerification(t: Db, target: string, code: string): Promise<boolean> {
  const v = await t.selectFrom('appeal_verifications').selectAll().where('target', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!v || v.verified_at || v.expires_at < new Date().toISOString() || v.attempts >= 5) return false;
  const ok = createHash('sha256').update(`${target}\u0000${code}`).digest('hex') === v.code_hash;
  await t.updateTable('appeal_verifications').set(ok ? { verified_at: new Date().toISOString() } : { attempts: v.attempts + 1 }).where('id', '=', v.id).execute();
  return ok;
}

export interface Submitted {
  id: number;
  trackingNo: string;
  queryCode: string;
  status: AppealStatus;
  createdAt: string;
}

interface Pending {
  actor: Actor;
  input: IntakeInput;
  phoneVerified: number;
  emailVerified: number;
  now: string;
  code: string;
}

/** Ids for new appeals allocated inside the transaction (so the tracking number is written with the row). */
async function allocateIds(p: Platform, t: Db, n: number): Promise<number[]> {
  if (p.dialect === 'postgres') {
    const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('appeals', 'id'))::int as id from generate_series(1, ${n})`.execute(t);
    return r.rows.map((x) => Number(x.id));
  }
  // SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so max + 1… is ours.
  const r = await sql<{ m: number }>`select max(coalesce((select seq from sqlite_sequence where name = 'appeals'), 0), coalesce((select max(id) from appeals), 0)) as m`.execute(t);
  const m = Number(r.rows[0]?.m ?? 0);
  return Array.from({ length: n }, (_, i) => m + 1 + i);
}

async function insertAppeals(p: Platform, t: Db, items: Pending[]): Promise<Submitted[]> {
  const ids = await allocateIds(p, t, items.length);
  const nos = await allocateTrackingNos(t, items.map((it) => it.now));
  const out: Submitted[] = [];
  const rows = items.map((it, i) => {
    const { input, now } = it;
    const trackingNo = nos[i];
    out.push({ id: ids[i], trackingNo, queryCode: it.code, status: 'received', createdAt: now });
    return {
      id: ids[i],
      tracking_no: trackingNo,
      code_hash: codeHash(trackingNo, it.code),
      type: input.type,
      category: input.category,
      title: input.title.trim(),
      content: input.content.trim(),
      address: (input.address ?? '').trim(),
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      area: null,
      contact_name: (input.contactName ?? '').trim(),
      contact_phone: normalizePhone(input.contactPhone ?? ''),
      contact_email: (input.contactEmail ?? '').trim(),
      phone_verified: it.phoneVerified,
      email_verified: it.emailVerified,
      consent: input.consent ? 1 : 0,
      channel: input.channel,
      status: 'received',
      department_id: null,
      merged_into: null,
      due_date: null,
      reply: null,
      resolved: null,
      replied_at: null,
      closed_at: null,
      callback_note: null,
      callback_at: null,
      rating: null,
      rating_comment: null,
      rated_at: null,
      reopen_count: 0,
      urge_count: 0,
      media: JSON.stringify(input.media ?? []),
      api_key_id: input.apiKeyId ?? null,
      created_by: typeof it.actor === 'string' ? null : it.actor.id,
      publish_state: 'none',
      pub_item_id: null,
      title_masked: null,
      content_masked: null,
      reply_masked: null,
      published_at: null,
      created_at: now,
      updated_at: now,
      month: now.slice(0, 7),
    };
  });
  for (let i = 0; i < rows.length; i += 40) await t.insertInto('appeals').values(rows.slice(i, i + 40)).execute();
  await t
    .insertInto('appeal_events')
    .values(items.map((it, i) => ({ appeal_id: ids[i], at: it.now, actor: actorName(it.actor), action: 'receive', note: it.input.channel, public: 1, department_id: null })))
    .execute();
  // One audit event per transaction: a group commit records every appeal it received.
  const received = items.map((it, i) => ({ id: ids[i], trackingNo: out[i].trackingNo, type: it.input.type, category: it.input.category, channel: it.input.channel, actor: actorName(it.actor) }));
  if (items.length === 1) await p.audit(t, { actor: received[0].actor, action: 'appeal.receive', entity: 'appeal', entityId: ids[0], details: received[0] });
  else await p.audit(t, { actor: 'system', action: 'appeal.receive_batch', entity: 'appeal', entityId: ids[0], details: { count: items.length, appeals: received } });
  return out;
}

// Group commit: submissions that arrive while a transaction is being written are written
// together in the next one (one BEGIN/COMMIT, multi-row inserts, one audit event each).
interface Queue {
  items: { pending: Pending; resolve: (s: Submitted) => void; reject: (e: unknown) => void }[];
  running: boolean;
}
const queues = new WeakMap<Platform, Queue>();
const BATCH = 200;

async function drainQueue(p: Platform, q: Queue): Promise<void> {
  q.running = true;
  try {
    while (q.items.length) {
      const batch = q.items.splice(0, BATCH);
      try {
        const res = await intakeTx(p, (t) => insertAppeals(p, t, batch.map((b) => b.pending)));
        batch.forEach((b, i) => b.resolve(res[i]));
      } catch (err) {
        // The database away (restart, failover): every submission of the batch gets the error (a
        // 503 asking to retry); writing them one by one would only fail again, slower.
        if (batch.length === 1 || isDbUnavailable(err)) for (const b of batch) b.reject(err);
        else
          // One bad submission must not sink the others: write them one by one.
          for (const b of batch) await intakeTx(p, (t) => insertAppeals(p, t, [b.pending])).then((r) => b.resolve(r[0]), b.reject);
      }
    }
  } finally {
    q.running = false;
  }
}

export async function submitAppeal(p: Platform, actor: Actor, input: IntakeInput): Promise<Submitted> {
  if (input.channel === 'phone' && typeof actor !== 'string' && !can(actor, 'appeal.intake')) throw forbidden();
  const fields = await checkIntake(p.db, input);
  if (Object.keys(fields).length) throw validationError(fields);
  const pending: Pending = { actor, input, phoneVerified: 0, emailVerified: 0, now: new Date().toISOString(), code: newQueryCode() };
  if (input.verifyCode) {
    const phone = normalizePhone(input.contactPhone ?? '');
    const email = (input.contactEmail ?? '').trim();
    const code6 = input.verifyCode.trim();
    return intakeTx(p, async (t) => {
      if (phone && (await consumeVerification(t, `sms:${phone}`, code6))) pending.phoneVerified = 1;
      else if (email && (await consumeVerification(t, `email:${email.toLowerCase()}`, code6))) pending.emailVerified = 1;
      else throw validationError({ verifyCode: 'appeals.err.verify_code' });
      return (await insertAppeals(p, t, [pending]))[0];
    });
  }
  let q = queues.get(p);
  if (!q) queues.set(p, (q = { items: [], running: false }));
  const queue = q;
  return new Promise<Submitted>((resolve, reject) => {
    queue.items.push({ pending, resolve, reject });
    if (!queue.running) void drainQueue(p, queue);
  });
}

/** Sends a 6-digit verification code to a mobile (SMS adapter) or e-mail address; valid 10 minutes. */
export async function requestVerification(p: Platform, input: { phone?: string; email?: string }): Promise<{ channel: 'sms' | 'email' }> {
  const phone = normalizePhone(input.phone ?? '');
  const email = (input.email ?? '').trim().toLowerCase();
  let channel: 'sms' | 'email';
  let target: string;
  let to: string;
  if (phone) {
    if (!MOBILE.test(phone)) throw validationError({ contactPhone: 'appeals.err.mobile' });
    channel = 'sms';
    target = `sms:${phone}`;
    to = phone;
  } else if (email) {
    if (!EMAIL.test(email)) throw validationError({ contactEmail: 'appeals.err.email' });
    channel = 'email';
    target = `email:${email}`;
    to = email;
  } else throw validationError({ contactPhone: 'err.field.required' });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await p.tx(async (t) => {
    const last = await t.selectFrom('appeal_verifications').select('created_at').where('target', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (last && Date.now() - Date.parse(last.created_at) < 60_000) throw conflict('appeals.err.verify_wait');
    const now = new Date();
    await t
      .insertInto('appeal_verifications')
      .values({ target, channel, code_hash: createHash('sha256').update(`${target}\u0000${code}`).digest('hex'), attempts: 0, expires_at: new Date(now.getTime() + 10 * 60_000).toISOString(), verified_at: null, created_at: now.toISOString() })
      .execute();
    await sendMessage(p, t, { channel, to, subject: '市民诉求验证码', text: `【市民诉求服务中心】您的验证码是 ${code}，10分钟内有效。如非本人操作请忽略。` });
  });
  return { channel };
}

// ---- citizen access -----------------------------------------------------------------------------

/**
 * The appeal for a tracking number and query code; null when either is wrong (the caller answers
 * the same 404 either way, and an unknown number costs the same work as a wrong code). Every
 * attempt on a well-formed number counts towards its lock (CODE_LOCK); while it is locked this
 * throws 429 — even for the right code.
 */
export async function findWithCode(db: Db, trackingNo: string, code: string) {
  const no = typeof trackingNo === 'string' ? trackingNo.trim().toUpperCase() : '';
  if (!TRACKING_NO.test(no)) return null;
  const c = normalizeQueryCode(code);
  await countCodeAttempt(db, no);
  const a = await db.selectFrom('appeals').selectAll().where('tracking_no', '=', no).executeTakeFirst();
  const stored = a && /^[0-9a-f]{64}$/.test(a.code_hash) ? a.code_hash : '0'.repeat(64);
  const same = timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(codeHash(no, c), 'hex'));
  if (!a || !same || !QUERY_CODE.test(c)) return null;
  await db.deleteFrom('appeal_code_failures').where('tracking_no', '=', no).execute();
  return a;
}

export async function publicHistory(db: Db, appealId: number) {
  return db.selectFrom('appeal_events').select(['at', 'action', 'note', 'department_id']).where('appeal_id', '=', appealId).where('public', '=', 1).orderBy('id').execute();
}

export async function fullHistory(db: Db, appealId: number) {
  return db.selectFrom('appeal_events').selectAll().where('appeal_id', '=', appealId).orderBy('id').execute();
}

export async function canReopen(db: Db, a: Appeal): Promise<boolean> {
  const s = await getSettings(db);
  if (a.status !== 'closed' || !a.rating || !isDissatisfied(a.rating)) return false;
  if (a.reopen_count >= s.reopenLimit) return false;
  return !!a.rated_at && Date.now() - Date.parse(a.rated_at) <= s.reopenDays * 86_400_000;
}

export async function rateAppeal(p: Platform, trackingNo: string, code: string, rating: string, comment: string): Promise<void> {
  const a = await findWithCode(p.db, trackingNo, code);
  if (!a) throw notFound();
  if (!isRating(rating)) throw validationError({ rating: 'appeals.err.rating' });
  if ((comment ?? '').length > 500) throw validationError({ comment: 'appeals.err.comment_long' });
  if (a.status !== 'replied' && a.status !== 'closed') throw conflict('appeals.err.not_ratable');
  if (a.rating) throw conflict('appeals.err.already_rated');
  const now = new Date().toISOString();
  await p.tx(async (t) => {
    const upd = await t
      .updateTable('appeals')
      .set({ rating, rating_comment: comment.trim() || null, rated_at: now, status: 'closed', closed_at: a.closed_at ?? now, updated_at: now })
      .where('id', '=', a.id)
      .where('rating', 'is', null)
      .executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('appeals.err.already_rated');
    await event(t, a.id, 'citizen', 'rate', rating, true, null, now);
    if (a.status !== 'closed') await event(t, a.id, 'citizen', 'close', 'rated', true, null, now);
    await p.audit(t, { actor: 'citizen', action: 'appeal.rate', entity: 'appeal', entityId: a.id, details: { rating } });
  });
}

export async function reopenAppeal(p: Platform, trackingNo: string, code: string, reason: string): Promise<void> {
  const a = await findWithCode(p.db, trackingNo, code);
  if (!a) throw notFound();
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  if (reason.length > 1000) throw validationError({ reason: 'appeals.err.comment_long' });
  if (!(await canReopen(p.db, a))) throw conflict('appeals.err.not_reopenable');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const now = new Date().toISOString();
    const clock = a.department_id !== null ? await startAppealClock(p, t, a, 'citizen') : null;
    await t
      .updateTable('appeals')
      .set({ status: 'dispatched', reopen_count: a.reopen_count + 1, rating: null, rating_comment: null, rated_at: null, reply: null, replied_at: null, resolved: null, closed_at: null, due_date: clock?.due ?? null, updated_at: now })
      .where('id', '=', a.id)
      .execute();
    await event(t, a.id, 'citizen', 'reopen', reason.trim().slice(0, 1000), true, a.department_id, now);
    await p.audit(t, { actor: 'citizen', action: 'appeal.reopen', entity: 'appeal', entityId: a.id, details: { previousRating: a.rating, count: a.reopen_count + 1 } });
  });
}

// ---- staff actions ------------------------------------------------------------------------------

async function event(t: Db, appealId: number, actor: string, action: string, note: string, isPublic: boolean, departmentId: number | null, at = new Date().toISOString()) {
  await t.insertInto('appeal_events').values({ appeal_id: appealId, at, actor, action, note: note.slice(0, 5000), public: isPublic ? 1 : 0, department_id: departmentId }).execute();
}

async function touch(t: Db, id: number, set: Partial<Omit<Appeal, 'id'>>) {
  await t.updateTable('appeals').set({ ...set, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

async function deptByCode(t: Db, code: string) {
  const d = await t.selectFrom('departments').select(['id', 'code', 'name']).where('code', '=', code ?? '').where('active', '=', 1).executeTakeFirst();
  if (!d) throw validationError({ department: 'err.unknown_department' });
  return d;
}

async function startAppealClock(p: Platform, t: Db, a: Appeal, actor: string, departmentId = a.department_id) {
  const rule = TYPE_RULES[a.type as AppealType];
  if (!rule) return null;
  return startClock(p, t, { subjectType: 'appeal', subjectId: a.id, rule, start: todayShanghai(), departmentId, title: `${a.tracking_no} ${a.title}`.slice(0, 200), url: `/admin/appeals/${a.id}`, publicSubject: false }, actor);
}

export interface DispatchInput {
  department: string;
  assisting?: string[];
  note?: string;
}

/** 派单: the centre sends a received appeal to a lead department (and assisting ones); the clock starts. */
export async function dispatchAppeal(p: Platform, actor: Actor, id: number, input: DispatchInput): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'received') throw conflict('appeals.err.state', undefined, { status: a.status });
    const d = await deptByCode(t, input.department);
    const clock = await startAppealClock(p, t, { ...a, department_id: d.id }, actorName(actor), d.id);
    await touch(t, id, { status: 'dispatched', department_id: d.id, due_date: clock?.due ?? null });
    await event(t, id, actorName(actor), 'dispatch', d.name, true, d.id);
    if (input.note?.trim()) await event(t, id, actorName(actor), 'note', input.note.trim(), false, d.id);
    for (const code of input.assisting ?? []) await addAssistIn(t, actor, id, code, d.id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.dispatch', entity: 'appeal', entityId: id, details: { department: d.code, assisting: input.assisting ?? [], due: clock?.due ?? null } });
  });
}

async function addAssistIn(t: Db, actor: Actor, id: number, code: string, leadId: number | null) {
  const d = await deptByCode(t, code);
  if (d.id === leadId) return;
  const exists = await t.selectFrom('appeal_assists').select('id').where('appeal_id', '=', id).where('department_id', '=', d.id).executeTakeFirst();
  if (exists) return;
  await t.insertInto('appeal_assists').values({ appeal_id: id, department_id: d.id, created_at: new Date().toISOString() }).execute();
  await event(t, id, actorName(actor), 'assist', d.name, true, d.id);
}

/** 协办: adds an assisting department. */
export async function addAssist(p: Platform, actor: Actor, id: number, department: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (!OPEN_STATUSES.includes(a.status as AppealStatus)) throw conflict('appeals.err.state', undefined, { status: a.status });
    await addAssistIn(t, actor, id, department, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.assist', entity: 'appeal', entityId: id, details: { department } });
  });
}

/** 改派: the centre moves an appeal to another lead department; the old clock stops, a new one starts. */
export async function redispatchAppeal(p: Platform, actor: Actor, id: number, input: { department: string; reason: string }): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  if (!input.reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'dispatched' && a.status !== 'return_requested') throw conflict('appeals.err.state', undefined, { status: a.status });
    const d = await deptByCode(t, input.department);
    if (d.id === a.department_id) throw validationError({ department: 'appeals.err.same_department' });
    await stopClock(p, t, 'appeal', id, `改派：${input.reason.trim()}`, undefined, actorName(actor));
    await t.updateTable('appeal_requests').set({ status: 'rejected', decided_by: actorName(actor), decided_at: new Date().toISOString(), decision_note: 'redispatched' }).where('appeal_id', '=', id).where('status', '=', 'pending').execute();
    await t.deleteFrom('appeal_assists').where('appeal_id', '=', id).where('department_id', '=', d.id).execute();
    const clock = await startAppealClock(p, t, { ...a, department_id: d.id }, actorName(actor), d.id);
    await touch(t, id, { status: 'dispatched', department_id: d.id, due_date: clock?.due ?? null });
    await event(t, id, actorName(actor), 'redispatch', `${d.name}：${input.reason.trim()}`, true, d.id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.redispatch', entity: 'appeal', entityId: id, details: { from: a.department_id, to: d.code, reason: input.reason.trim() } });
  });
}

/** 退单: the lead department asks the centre to take the appeal back (not its responsibility). */
export async function requestReturn(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    requireLead(actor, a);
    if (a.status !== 'dispatched') throw conflict('appeals.err.state', undefined, { status: a.status });
    await t.insertInto('appeal_requests').values({ appeal_id: id, kind: 'return', department_id: a.department_id!, workdays: null, reason: reason.trim().slice(0, 1000), status: 'pending', requested_by: actorName(actor), decided_by: null, decided_at: null, decision_note: null, created_at: new Date().toISOString() }).execute();
    await touch(t, id, { status: 'return_requested' });
    await event(t, id, actorName(actor), 'return_request', reason.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.return_request', entity: 'appeal', entityId: id, details: { reason: reason.trim() } });
  });
}

/** The centre reviews a return: approved → back to 待派单 (clock stopped); rejected → the department keeps it. */
export async function reviewReturn(p: Platform, actor: Actor, id: number, approve: boolean, note: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'return_requested') throw conflict('appeals.err.state', undefined, { status: a.status });
    const now = new Date().toISOString();
    await t.updateTable('appeal_requests').set({ status: approve ? 'approved' : 'rejected', decided_by: actorName(actor), decided_at: now, decision_note: note?.trim() || null }).where('appeal_id', '=', id).where('kind', '=', 'return').where('status', '=', 'pending').execute();
    if (approve) {
      await stopClock(p, t, 'appeal', id, `退单：${note?.trim() || ''}`, undefined, actorName(actor));
      await t.deleteFrom('appeal_assists').where('appeal_id', '=', id).execute();
      await touch(t, id, { status: 'received', department_id: null, due_date: null });
    } else await touch(t, id, { status: 'dispatched' });
    await event(t, id, actorName(actor), approve ? 'return_approve' : 'return_reject', note?.trim() ?? '', false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: approve ? 'appeal.return_approve' : 'appeal.return_reject', entity: 'appeal', entityId: id, details: { note } });
  });
}

/** The lead department asks for more time; the centre decides. */
export async function requestExtension(p: Platform, actor: Actor, id: number, workdays: number, reason: string): Promise<void> {
  const f: Record<string, string> = {};
  if (!Number.isInteger(workdays) || workdays < 1 || workdays > 30) f.workdays = 'appeals.err.workdays';
  if (!reason?.trim()) f.reason = 'err.field.required';
  if (Object.keys(f).length) throw validationError(f);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    requireLead(actor, a);
    if (a.status !== 'dispatched' || !TYPE_RULES[a.type as AppealType]) throw conflict('appeals.err.state', undefined, { status: a.status });
    const pending = await t.selectFrom('appeal_requests').select('id').where('appeal_id', '=', id).where('kind', '=', 'extension').where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw conflict('appeals.err.pending_request');
    await t.insertInto('appeal_requests').values({ appeal_id: id, kind: 'extension', department_id: a.department_id!, workdays, reason: reason.trim().slice(0, 1000), status: 'pending', requested_by: actorName(actor), decided_by: null, decided_at: null, decision_note: null, created_at: new Date().toISOString() }).execute();
    await event(t, id, actorName(actor), 'extension_request', `${workdays}：${reason.trim()}`, false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.extension_request', entity: 'appeal', entityId: id, details: { workdays, reason: reason.trim() } });
  });
}

export async function reviewExtension(p: Platform, actor: Actor, id: number, approve: boolean, note: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    const req = await t.selectFrom('appeal_requests').selectAll().where('appeal_id', '=', id).where('kind', '=', 'extension').where('status', '=', 'pending').executeTakeFirst();
    if (!req) throw conflict('appeals.err.no_request');
    const now = new Date().toISOString();
    if (approve) {
      const clock = (await clocksFor(t, 'appeal', id)).find((c) => c.state === 'running' || c.state === 'paused');
      if (!clock) throw conflict('appeals.err.no_clock');
      await extendClock(p, t, clock.id, { workdays: req.workdays!, reason: req.reason, approver: actorName(actor) }, actorName(actor));
      const after = await t.selectFrom('clocks').select('due_date').where('id', '=', clock.id).executeTakeFirstOrThrow();
      await touch(t, id, { due_date: after.due_date });
      await event(t, id, actorName(actor), 'extend', `${req.workdays}`, true, a.department_id);
    } else await event(t, id, actorName(actor), 'extension_reject', note?.trim() ?? '', false, a.department_id);
    await t.updateTable('appeal_requests').set({ status: approve ? 'approved' : 'rejected', decided_by: actorName(actor), decided_at: now, decision_note: note?.trim() || null }).where('id', '=', req.id).execute();
    await p.audit(t, { actor: actorName(actor), action: approve ? 'appeal.extension_approve' : 'appeal.extension_reject', entity: 'appeal', entityId: id, details: { workdays: req.workdays, note } });
  });
}

/** Active staff who handle appeals in a department (grants on a parent with its sub-departments included). */
async function appealHandlers(t: Db, departmentId: number) {
  return (await holders(t, 'appeal.handle', departmentId)).map((u) => ({ id: u.id, email: u.email, display_name: u.displayName }));
}

/** 督办: a supervisor (or the centre) urges the handling department; its handlers are notified. */
export async function urgeAppeal(p: Platform, actor: Actor, id: number, note: string): Promise<void> {
  if (typeof actor !== 'string' && !can(actor, 'appeal.urge') && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden();
  if (!note?.trim()) throw validationError({ note: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'dispatched' && a.status !== 'return_requested') throw conflict('appeals.err.state', undefined, { status: a.status });
    await touch(t, id, { urge_count: a.urge_count + 1 });
    await event(t, id, actorName(actor), 'urge', note.trim(), true, a.department_id);
    // Into the inbox (and mailbox) of whoever handles appeals in the lead department.
    const handlers = a.department_id === null ? [] : await appealHandlers(t, a.department_id);
    const title = `督办：${a.tracking_no} ${a.title}`.slice(0, 200);
    const url = `/admin/appeals/${id}`;
    const notified = await postNotices(t, handlers.map((u) => u.id), { kind: 'urge', title, body: note.trim(), url, dedupeKey: `appeal:${id}:urge:${a.urge_count + 1}` });
    const base = p.config.publicUrl.replace(/\/$/, '');
    for (const u of handlers) if (u.email) await enqueueMail(p, t, { to: u.email, subject: title, text: `${u.display_name}：\n\n${note.trim()}\n\n${base}${url}\n` }, `appeal:${id}:urge:${a.urge_count + 1}:${u.id}`);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.urge', entity: 'appeal', entityId: id, details: { note: note.trim(), notified } });
  });
}

/** 答复: the lead department replies; the clock completes; merged duplicates get the same reply. */
export async function replyAppeal(p: Platform, actor: Actor, id: number, input: { reply: string; resolved: boolean }): Promise<void> {
  const text = (input.reply ?? '').trim();
  if (!text) throw validationError({ reply: 'err.field.required' });
  if (text.length > 5000) throw validationError({ reply: 'appeals.err.content_long' });
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    requireLead(actor, a);
    if (a.status !== 'dispatched') throw conflict('appeals.err.state', undefined, { status: a.status });
    const now = new Date().toISOString();
    const targets = [a.id, ...(await t.selectFrom('appeals').select('id').where('merged_into', '=', a.id).execute()).map((r) => r.id)];
    for (const tid of targets) {
      await completeClock(p, t, 'appeal', tid, undefined, actorName(actor));
      await touch(t, tid, { status: tid === a.id ? 'replied' : 'merged', reply: text, resolved: input.resolved ? 1 : 0, replied_at: now });
      await event(t, tid, actorName(actor), 'reply', text, true, a.department_id, now);
    }
    await p.audit(t, { actor: actorName(actor), action: 'appeal.reply', entity: 'appeal', entityId: id, details: { resolved: !!input.resolved, merged: targets.length - 1 } });
  });
}

/** 办结 by the centre, with the callback record (回访) when there is one. */
export async function closeAppeal(p: Platform, actor: Actor, id: number, callbackNote?: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'replied') throw conflict('appeals.err.state', undefined, { status: a.status });
    const now = new Date().toISOString();
    await touch(t, id, { status: 'closed', closed_at: now, ...(callbackNote?.trim() ? { callback_note: callbackNote.trim(), callback_at: now } : {}) });
    if (callbackNote?.trim()) await event(t, id, actorName(actor), 'callback', callbackNote.trim(), false, a.department_id, now);
    await event(t, id, actorName(actor), 'close', '', true, a.department_id, now);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.close', entity: 'appeal', entityId: id, details: { callback: !!callbackNote?.trim() } });
  });
}

/** 回访 record at any time after the reply (every real-name 差评 needs one). */
export async function recordCallback(p: Platform, actor: Actor, id: number, note: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  if (!note?.trim()) throw validationError({ callback: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'replied' && a.status !== 'closed') throw conflict('appeals.err.state', undefined, { status: a.status });
    const now = new Date().toISOString();
    await touch(t, id, { callback_note: note.trim(), callback_at: now });
    await event(t, id, actorName(actor), 'callback', note.trim(), false, a.department_id, now);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.callback', entity: 'appeal', entityId: id, details: {} });
  });
}

/** 并单: merges a duplicate into the main appeal; it follows the main one from then on. */
export async function mergeAppeal(p: Platform, actor: Actor, id: number, intoTrackingNo: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    const main = await t.selectFrom('appeals').selectAll().where('tracking_no', '=', (intoTrackingNo ?? '').trim()).executeTakeFirst();
    if (!main) throw validationError({ into: 'appeals.err.unknown_appeal' });
    if (main.id === a.id) throw validationError({ into: 'appeals.err.merge_self' });
    if (!OPEN_STATUSES.includes(a.status as AppealStatus) || a.status === 'replied') throw conflict('appeals.err.state', undefined, { status: a.status });
    if (main.status === 'merged' || main.status === 'closed') throw validationError({ into: 'appeals.err.merge_target' });
    await stopClock(p, t, 'appeal', id, `并单至 ${main.tracking_no}`, undefined, actorName(actor));
    await touch(t, id, { status: 'merged', merged_into: main.id, department_id: main.department_id, due_date: main.due_date });
    await event(t, id, actorName(actor), 'merge', main.tracking_no, true, main.department_id);
    await event(t, main.id, actorName(actor), 'merged_from', a.tracking_no, false, main.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.merge', entity: 'appeal', entityId: id, details: { into: main.tracking_no } });
  });
}

/** A note in the file (internal). */
export async function addNote(p: Platform, actor: Actor, id: number, note: string): Promise<void> {
  if (!note?.trim()) throw validationError({ note: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    await event(t, id, actorName(actor), 'note', note.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.note', entity: 'appeal', entityId: id, details: {} });
  });
}

// ---- publication with privacy -----------------------------------------------------------------

export function maskedDraft(a: Pick<Appeal, 'title' | 'content' | 'reply' | 'contact_name'>) {
  const names = a.contact_name ? [a.contact_name] : [];
  const title = maskText(a.title, { names });
  const content = maskText(a.content, { names });
  const reply = maskText(a.reply ?? '', { names });
  return { title: title.text, content: content.text, reply: reply.text, hits: [...title.hits, ...content.hits, ...reply.hits] };
}

/**
 * Release for publication after staff reviewed the masked text: with the citizen's consent only,
 * once replied. The text is masked again (whatever the reviewer typed) and published through the
 * spine as an `appeal` item of the handling department.
 */
export async function releaseAppeal(p: Platform, actor: Actor, id: number, input: { title: string; content: string; reply: string }): Promise<number> {
  await requireCentre(p.db, actor, 'appeal.approve');
  const f: Record<string, string> = {};
  for (const k of ['title', 'content', 'reply'] as const) if (!input[k]?.trim()) f[k] = 'err.field.required';
  if ((input.title ?? '').length > LIMITS.title) f.title = 'appeals.err.title_long';
  if (Object.keys(f).length) throw validationError(f);
  const released = await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (!a.consent) throw conflict('appeals.err.no_consent');
    if (a.status !== 'replied' && a.status !== 'closed') throw conflict('appeals.err.state', undefined, { status: a.status });
    if (a.publish_state === 'published') throw conflict('appeals.err.already_published');
    const names = a.contact_name ? [a.contact_name] : [];
    const title = maskText(input.title.trim(), { names }).text;
    const content = maskText(input.content.trim(), { names }).text;
    const reply = maskText(input.reply.trim(), { names }).text;
    const dept = a.department_id ?? (await getSettings(t)).centreId!;
    const now = new Date();
    const { id: itemId } = await publishApproved(p, t, typeof actor === 'string' ? 'system' : actor, {
        type: 'appeal',
        departmentId: dept,
        meta: defaultMeta({ title, summary: content.slice(0, 200), keywords: [a.type, a.category], formedAt: (a.replied_at ?? a.created_at).slice(0, 10), writtenAt: a.created_at.slice(0, 10) }),
        data: { trackingNo: a.tracking_no, type: a.type, category: a.category, content, reply, askedAt: a.created_at, repliedAt: a.replied_at, rating: a.rating },
        publishedAt: now,
    });
    await touch(t, id, { publish_state: 'published', pub_item_id: itemId, title_masked: title, content_masked: content, reply_masked: reply, published_at: now.toISOString() });
    await event(t, id, actorName(actor), 'publish', '', true, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.publish', entity: 'appeal', entityId: id, details: { item: itemId } });
    return itemId;
  });
  bumpGeneration();
  return released;
}

export async function declineRelease(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.publish_state === 'published') throw conflict('appeals.err.already_published');
    await touch(t, id, { publish_state: 'declined' });
    await event(t, id, actorName(actor), 'publish_decline', reason.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.publish_decline', entity: 'appeal', entityId: id, details: { reason: reason.trim() } });
  });
}

/** Takes a published appeal off the board (the spine withdraws the item). */
export async function withdrawRelease(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.publish_state !== 'published' || !a.pub_item_id) throw conflict('appeals.err.not_published');
    // The centre's right was checked above; the spine withdraws in the same transaction.
    if (!(await withdrawApproved(p, t, typeof actor === 'string' ? 'system' : actor, a.pub_item_id, reason.trim()))) throw conflict('appeals.err.not_published');
    await touch(t, id, { publish_state: 'declined' });
    await event(t, id, actorName(actor), 'unpublish', reason.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.unpublish', entity: 'appeal', entityId: id, details: { reason: reason.trim() } });
  });
  bumpGeneration();
}

export { badRequest };
