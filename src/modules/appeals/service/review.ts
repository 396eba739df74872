// 中心审核答复: the centre's review of a department's reply before the citizen sees it (setting
// `appeals.reply_review`, default on). The department's reply waits as a draft (待中心审核); a
// centre approver (`appeal.approve` in the centre) gives it to the citizen — who may then rate —
// or returns it to the department with an opinion.
//
// The clock: the time limit is the department's. It is paused while the reply waits for the
// centre (the centre's review time does not count against the department), completed when the
// centre approves — so it is "completed on time" exactly when the department's accepted reply
// came in time — and resumed when the reply is returned (the department works on against its
// original limit). A clock that cannot be paused (an hour clock, or a rule edited to be not
// pausable) keeps running through the review.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { conflict, forbidden, validationError } from '../../../platform/errors.js';
import { clocksFor, completeClock, getRule, pauseClock, resumeClock } from '../../../platform/deadlines/index.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import type { Appeal } from '../schema.js';
import { actorName, event, loadFor, requireCentre, touch, type Actor } from '../service.js';

/** The reason of the pause while the centre reviews a reply (shown in the clock's history). */
export const REVIEW_PAUSE = '诉求中心审核答复';

/**
 * Gives the reply to the citizen: the appeal becomes `replied` (merged duplicates get the same
 * reply), the clocks complete, and the public `reply` event carries the text.
 */
export async function giveReply(p: Platform, t: Db, actor: string, a: Appeal, text: string, resolved: boolean, now: string, author = actor): Promise<number> {
  const targets = [a.id, ...(await t.selectFrom('appeals').select('id').where('merged_into', '=', a.id).execute()).map((r) => r.id)];
  for (const tid of targets) {
    await completeClock(p, t, 'appeal', tid, undefined, actor);
    await touch(t, tid, { status: tid === a.id ? 'replied' : 'merged', reply: text, resolved: resolved ? 1 : 0, replied_at: now, reply_draft: null, reply_draft_resolved: null, reply_draft_at: null });
    await event(p, t, tid, author, 'reply', text, true, a.department_id, now);
  }
  return targets.length - 1;
}

/** The department's reply waits for the centre: kept as a draft, the clock paused. */
export async function holdForReview(p: Platform, t: Db, actor: string, a: Appeal, text: string, resolved: boolean, now: string): Promise<void> {
  await touch(t, a.id, { status: 'reply_review', reply_draft: text, reply_draft_resolved: resolved ? 1 : 0, reply_draft_at: now });
  await event(p, t, a.id, actor, 'reply_submit', text, false, a.department_id, now);
  const clock = (await clocksFor(t, 'appeal', a.id)).find((c) => c.state === 'running');
  if (!clock || clock.unit === 'hours') return;
  const rule = await getRule(t, clock.rule, clock.ruleVersion);
  if (!rule?.pausable) return;
  await pauseClock(p, t, clock.id, { kind: 'other', reason: REVIEW_PAUSE }, actor);
}

/** Who wrote the reply waiting for review (the last `reply_submit`). */
async function draftAuthor(t: Db, appealId: number): Promise<string | null> {
  const e = await t.selectFrom('appeal_events').select('actor').where('appeal_id', '=', appealId).where('action', '=', 'reply_submit').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return e?.actor ?? null;
}

/**
 * The centre decides on a reply waiting for review: approve → the citizen sees it (and may
 * rate); return → back to the department (办理中) with the opinion, its draft kept for revision.
 * Nobody reviews a reply they wrote themselves.
 */
export async function reviewReply(p: Platform, actor: Actor, id: number, approve: boolean, note: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  const opinion = (note ?? '').trim();
  if (!approve && !opinion) throw validationError({ note: 'appeals.err.return_opinion' });
  if (opinion.length > 2000) throw validationError({ note: 'appeals.err.opinion_long' });
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.status !== 'reply_review' || a.reply_draft === null) throw conflict('appeals.err.state', undefined, { status: a.status });
    const author = await draftAuthor(t, id);
    const me = actorName(actor);
    if (typeof actor !== 'string' && author === me) throw forbidden('appeals.err.own_reply');
    const now = new Date().toISOString();
    if (approve) {
      await event(p, t, id, me, 'reply_approve', opinion, false, a.department_id, now);
      const merged = await giveReply(p, t, me, a, a.reply_draft, a.reply_draft_resolved === 1, now, author ?? me);
      // The due date the department was held to: the review's days added by the pause.
      const clock = (await clocksFor(t, 'appeal', id)).find((c) => c.state === 'completed');
      if (clock) await touch(t, id, { due_date: clock.due });
      await p.audit(t, { actor: me, action: 'appeal.reply_approve', entity: 'appeal', entityId: id, details: { note: opinion, merged } });
      return;
    }
    await touch(t, id, { status: 'dispatched' });
    await event(p, t, id, me, 'reply_return', opinion, false, a.department_id, now);
    const clock = (await clocksFor(t, 'appeal', id)).find((c) => c.state === 'paused' && c.pauses.at(-1)?.to === null && c.pauses.at(-1)?.reason === REVIEW_PAUSE);
    if (clock) {
      await resumeClock(p, t, clock.id, undefined, me, opinion);
      const after = await t.selectFrom('clocks').select('due_date').where('id', '=', clock.id).executeTakeFirstOrThrow();
      await touch(t, id, { due_date: after.due_date });
    }
    await p.audit(t, { actor: me, action: 'appeal.reply_return', entity: 'appeal', entityId: id, details: { note: opinion } });
  });
}

/** The centre's last opinion on a returned reply, shown to the department while it revises. */
export async function returnOpinion(db: Db, a: Pick<Appeal, 'id' | 'status' | 'reply_draft'>): Promise<string | null> {
  if (a.status !== 'dispatched' || a.reply_draft === null) return null;
  const e = await db.selectFrom('appeal_events').select('note').where('appeal_id', '=', a.id).where('action', '=', 'reply_return').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return e?.note ?? null;
}
