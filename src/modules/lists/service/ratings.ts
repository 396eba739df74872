// 好差评 on service guides (REGULATIONS.md §8): five levels; every real-name 差评 gets a
// follow-up record with a call-back and a fix deadline in working days.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { conflict, forbidden, notFound, validationError } from '../../../platform/errors.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock, RATING_FIX_RULE, startClock } from '../../../platform/deadlines/index.js';
import { currentItems } from './lookup.js';
import { isDissatisfied, isRating, RATINGS, SATISFIED_RATINGS } from '../../../platform/ratings.js';
import '../schema.js';

/** Fix deadline of a 差评 (local rule: 5–15 working days; this district: 10): the deadline engine's rule `rating.fix`. */
export const FIX_WORKDAYS = RATING_FIX_RULE.amount;
export const FIX_RULE = RATING_FIX_RULE.code;
/** The clocks of fix deadlines belong to the follow-up. */
export const FOLLOWUP_SUBJECT = 'list_followup';

export interface RatingInput {
  level: string;
  comment?: string;
  realName?: boolean;
  name?: string;
  phone?: string;
}

export async function guideByCode(db: Db, code: string): Promise<{ key: string; name: string; department: string } | null> {
  const g = (await currentItems(db, 'service-guide', [code]))[0];
  return g ? { key: g.key, name: g.name, department: g.data.department as string } : null;
}

export async function rate(p: Platform, code: string, input: RatingInput): Promise<{ id: number; followup: { fixDue: string } | null }> {
  const guide = await guideByCode(p.db, code);
  if (!guide) throw notFound();
  const f: Record<string, string> = {};
  if (!isRating(input.level)) f.level = 'err.lists.enum';
  const comment = (input.comment ?? '').trim();
  if (comment.length > 500) f.comment = 'err.field.too_long';
  const real = !!input.realName;
  const name = (input.name ?? '').trim();
  const phone = (input.phone ?? '').replace(/\s/g, '');
  if (real && (!name || name.length > 50)) f.name = 'err.lists.name_required';
  if (real && !/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/.test(phone)) f.phone = 'err.lists.phone';
  if (Object.keys(f).length) throw validationError(f);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const r = await t.insertInto('list_ratings').values({ guide_code: code, level: input.level, comment, real_name: real ? 1 : 0, name: real ? name : '', phone: real ? phone : '', created_at: now }).returning('id').executeTakeFirstOrThrow();
    let followup: { fixDue: string } | null = null;
    if (real && isDissatisfied(input.level)) {
      const fu = await t.insertInto('list_followups').values({ rating_id: r.id, department: guide.department, fix_due: todayShanghai(), callback_at: null, callback_by: null, callback_note: null, fixed_at: null, fix_note: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
      // The fix deadline is a clock of the deadline engine, so supervision sees it.
      const dept = guide.department ? await t.selectFrom('departments').select('id').where('code', '=', guide.department).executeTakeFirst() : undefined;
      const clock = await startClock(p, t, { subjectType: FOLLOWUP_SUBJECT, subjectId: fu.id, rule: FIX_RULE, start: todayShanghai(), departmentId: dept?.id ?? null, title: `好差评整改：${guide.name}`.slice(0, 200), url: '/admin/lists/followups', publicSubject: false }, 'public');
      await t.updateTable('list_followups').set({ fix_due: clock.due }).where('id', '=', fu.id).execute();
      followup = { fixDue: clock.due };
    }
    await p.audit(t, { actor: 'public', action: 'rating.create', entity: 'list_rating', entityId: r.id, details: { guide: code, level: input.level, realName: real, followup: !!followup } });
    return { id: r.id, followup };
  });
}

export async function ratingSummary(db: Db, code: string): Promise<{ total: number; counts: Record<string, number>; satisfied: number | null }> {
  const rows = await db.selectFrom('list_ratings').select(['level', (eb) => eb.fn.countAll().as('n')]).where('guide_code', '=', code).groupBy('level').execute();
  const counts: Record<string, number> = Object.fromEntries(RATINGS.map((l) => [l, 0]));
  for (const r of rows) counts[r.level] = Number(r.n);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const good = SATISFIED_RATINGS.reduce((a, l) => a + counts[l], 0);
  return { total, counts, satisfied: total ? Math.round((good / total) * 1000) / 10 : null };
}

export interface FollowupView {
  id: number;
  ratingId: number;
  guideCode: string;
  level: string;
  comment: string;
  name: string;
  /** Masked: 138****5678. */
  phone: string;
  department: string | null;
  fixDue: string;
  callbackAt: string | null;
  callbackBy: string | null;
  callbackNote: string | null;
  fixedAt: string | null;
  fixNote: string | null;
  createdAt: string;
}

export const maskPhone = (s: string) => (s.length >= 7 ? `${s.slice(0, 3)}****${s.slice(-4)}` : '****');

/** Follow-ups in the departments where the user may edit lists. */
export async function listFollowups(p: Platform, user: Principal): Promise<FollowupView[]> {
  const scope = scopeOf(user, 'list.edit');
  const codes = scope === 'all' ? null : (await p.db.selectFrom('departments').select(['id', 'code']).execute()).filter((d) => scope.has(d.id)).map((d) => d.code);
  if (codes && !codes.length) return [];
  let q = p.db.selectFrom('list_followups').innerJoin('list_ratings', 'list_ratings.id', 'list_followups.rating_id').selectAll('list_followups').select(['list_ratings.guide_code', 'list_ratings.level', 'list_ratings.comment', 'list_ratings.name', 'list_ratings.phone']);
  if (codes) q = q.where('list_followups.department', 'in', codes);
  const rows = await q.orderBy('list_followups.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ id: r.id, ratingId: r.rating_id, guideCode: r.guide_code, level: r.level, comment: r.comment, name: r.name, phone: maskPhone(r.phone), department: r.department, fixDue: r.fix_due, callbackAt: r.callback_at, callbackBy: r.callback_by, callbackNote: r.callback_note, fixedAt: r.fixed_at, fixNote: r.fix_note, createdAt: r.created_at }));
}

/** Records the call-back (and, when done, the fix) of a 差评. */
export async function recordFollowup(p: Platform, user: Principal, id: number, input: { callbackNote: string; fixNote?: string; fixed?: boolean }): Promise<void> {
  const f = await p.db.selectFrom('list_followups').selectAll().where('id', '=', id).executeTakeFirst();
  const dept = f?.department ? await p.db.selectFrom('departments').select('id').where('code', '=', f.department).executeTakeFirst() : null;
  if (!f || !can(user, 'list.read', { departmentId: dept?.id ?? null })) throw notFound();
  if (!can(user, 'list.edit', { departmentId: dept?.id ?? null })) throw forbidden();
  const note = (input.callbackNote ?? '').trim();
  if (!note && !f.callback_at) throw validationError({ callbackNote: 'err.lists.callback_required' });
  if (note.length > 1000 || (input.fixNote ?? '').length > 1000) throw validationError({ callbackNote: 'err.field.too_long' });
  if (f.fixed_at) throw conflict('err.lists.followup_closed');
  await p.tx(async (t) => {
    const now = new Date().toISOString();
    const set: Record<string, unknown> = {};
    if (note) Object.assign(set, { callback_at: f.callback_at ?? now, callback_by: user.username, callback_note: note });
    if (input.fixed) Object.assign(set, { fixed_at: now, fix_note: (input.fixNote ?? '').trim() });
    if (!Object.keys(set).length) return; // a blank note on a follow-up already called back: nothing to record
    await t.updateTable('list_followups').set(set).where('id', '=', id).execute();
    if (input.fixed) await completeClock(p, t, FOLLOWUP_SUBJECT, id, FIX_RULE, `user:${user.username}`);
    await p.audit(t, { actor: `user:${user.username}`, action: 'rating.followup', entity: 'list_followup', entityId: id, details: { callback: !!note, fixed: !!input.fixed } });
  });
}
