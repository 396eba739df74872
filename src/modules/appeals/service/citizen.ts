// The citizen's follow-up with the tracking number and query code: finding the appeal (each wrong
// code counts towards the number's lock), rating it, and reopening it when dissatisfied.
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { conflict, notFound, tooMany, validationError } from '../../../platform/errors.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import type { Appeal } from '../schema.js';
import { isDissatisfied, isRating } from '../../../platform/ratings.js';
import { codeHash, event, getSettings, normalizeQueryCode, QUERY_CODE, startAppealClock, TRACKING_NO } from '../service.js';

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
