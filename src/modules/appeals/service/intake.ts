// Intake: the form, phone and Open311 doors, checks, verification codes for the citizen's phone or
// e-mail, and the group commit that writes submissions (tracking number and query code included).
import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { isDbUnavailable, isUniqueViolation, type Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can } from '../../../platform/auth/policy.js';
import { conflict, forbidden, validationError } from '../../../platform/errors.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { APPEAL_TYPES, type AppealStatus } from '../schema.js';
import { actorName, codeHash, newQueryCode, TRACKING_PREFIX, type Actor } from '../service.js';
import { allocateTrackingNos } from '../../../platform/tracking.js';
import type { ReferralDesk } from '../../../platform/referrals.js';

/** New tracking numbers for appeals received at `dates`, none already taken (nor twice in the batch). */
function allocateNos(t: Db, dates: string[]): Promise<string[]> {
  return allocateTrackingNos(TRACKING_PREFIX, dates, async (nos) => new Set((await t.selectFrom('appeals').select('tracking_no').where('tracking_no', 'in', nos).execute()).map((r) => r.tracking_no)));
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
  /** referral: handed over by another module (platform/referrals.ts), e.g. a complaint filed as a disclosure request. */
  channel: 'web' | 'phone' | 'open311' | 'api' | 'referral';
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
  const nos = await allocateNos(t, items.map((it) => it.now));
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

// ---- referrals (转办) from other modules --------------------------------------------------------

/**
 * The centre's desk for complaints other modules hand over (platform/referrals.ts): taken as a
 * complaint (投诉) in the catalogue's 其他 category (or its first active one), to be dispatched as usual.
 */
export const complaintDesk: ReferralDesk = {
  label: 'appeals.referral_desk',
  async receive(p, r) {
    const cats = await activeCategories(p.db);
    const category = cats.has('other') ? 'other' : [...cats][0] ?? '';
    const title = r.title.trim().slice(0, LIMITS.title);
    const content = `${r.source}\n${r.content.trim()}`.slice(0, LIMITS.content);
    const phone = normalizePhone(r.contactPhone);
    const email = r.contactEmail.trim();
    const s = await submitAppeal(p, 'system', {
      type: 'complaint',
      category,
      title: title || r.source.slice(0, LIMITS.title),
      content,
      contactName: r.contactName.slice(0, LIMITS.name),
      contactPhone: MOBILE.test(phone) || LANDLINE.test(phone) ? phone : '',
      contactEmail: EMAIL.test(email) && email.length <= 200 ? email : '',
      channel: 'referral',
    });
    return { trackingNo: s.trackingNo, queryCode: s.queryCode, trackUrl: `/appeals/track?no=${s.trackingNo}` };
  },
};
