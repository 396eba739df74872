// The citizen's follow-up with the tracking number and query code: finding the appeal (each wrong
// code counts towards the number's lock), rating it, and reopening it when dissatisfied.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { conflict, notFound, validationError } from '../../../platform/errors.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import type { Appeal } from '../schema.js';
import { isDissatisfied, isRating } from '../../../platform/ratings.js';
import { event, getSettings, normalizeQueryCode, QUERY_CODE, startAppealClock, TRACKING_NO } from '../service.js';
import { clearCodeAttempts, codeMatches, countCodeAttempt } from '../../../platform/tracking.js';

export { CODE_LOCK, codeLockMs } from '../../../platform/tracking.js';

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
  await countCodeAttempt(db, 'appeal_code_failures', no, 'appeals.err.code_locked');
  const a = await db.selectFrom('appeals').selectAll().where('tracking_no', '=', no).executeTakeFirst();
  if (!codeMatches(a?.code_hash, no, c) || !a || !QUERY_CODE.test(c)) return null;
  await clearCodeAttempts(db, 'appeal_code_failures', no);
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
    await event(p, t, a.id, 'citizen', 'rate', rating, true, null, now);
    if (a.status !== 'closed') await event(p, t, a.id, 'citizen', 'close', 'rated', true, null, now);
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
    await event(p, t, a.id, 'citizen', 'reopen', reason.trim().slice(0, 1000), true, a.department_id, now);
    await p.audit(t, { actor: 'citizen', action: 'appeal.reopen', entity: 'appeal', entityId: a.id, details: { previousRating: a.rating, count: a.reopen_count + 1 } });
  });
}
