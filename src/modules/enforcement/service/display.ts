// The end of a decision's display (公示期限, REGULATIONS.md §6): at the maximum by the daily job
// `enforcement.display` ('expired'), early by an approved credit repair ('repaired'), at once when
// the decision is revoked or changed ('revoked', 'changed' — a console action of the department's
// approvers, with a note). The decision becomes 'ended' with its reason, note and moment; its spine
// item is withdrawn (pub_items.public = 0: out of the public lists, search, sitemap and feeds'
// content, the record kept for staff — `endApproved` would leave it public, marked 失效); the
// decision's public page shows only the notice. Pending credit-repair applications on it are
// closed. Each end is one audit entry `enforcement.decision.end` (besides the spine's own).
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { conflict, forbidden, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { bumpGeneration, withdrawApproved } from '../../../platform/publication/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import type { DecisionRow } from '../schema.js';
import type { EndReason } from './codes.js';

export const DISPLAY_JOB = 'enforcement.display';
export const END_NOTE_MAX = 1000;
/** The reasons staff may end a display for (the others are the job's and credit repair's). */
export const STAFF_END_REASONS = ['revoked', 'changed'] as const;
export type StaffEndReason = (typeof STAFF_END_REASONS)[number];

/** What else ends with a display (credit repair closes its pending applications: service/repairs.ts
 *  registers itself here, so this file does not import it — repairs end displays through it). */
type EndHook = (p: Platform, t: Db, d: DecisionRow, reason: EndReason) => Promise<void>;
const endHooks: EndHook[] = [];
export function onDisplayEnd(hook: EndHook): void {
  if (!endHooks.includes(hook)) endHooks.push(hook);
}

/** The withdrawal reason the spine keeps: the label in Chinese, then the note. */
const reasonText = (reason: EndReason, note: string) => `${translate('zh-CN', `enforcement.end.${reason}`)}${note ? `：${note}` : ''}`;

/**
 * Ends the display of a decision on display, in the caller's transaction: false when it is not on
 * display (any more) — the update is conditional, so two callers never both end it. The caller
 * bumps the public cache generation after the commit.
 */
export async function endDisplay(p: Platform, t: Db, actor: Actor, decisionId: number, reason: EndReason, note: string): Promise<boolean> {
  const now = new Date().toISOString();
  const clean = note.trim().slice(0, END_NOTE_MAX);
  const r = await t.updateTable('enf_decisions').set({ status: 'ended', end_reason: reason, end_note: clean, ended_at: now, updated_at: now }).where('id', '=', decisionId).where('status', '=', 'published').executeTakeFirst();
  if (!Number(r.numUpdatedRows)) return false;
  const d = await t.selectFrom('enf_decisions').selectAll().where('id', '=', decisionId).executeTakeFirstOrThrow();
  if (d.pub_item_id) await withdrawApproved(p, t, actor, d.pub_item_id, reasonText(reason, clean), { decision: d.id });
  await p.audit(t, {
    actor: actorName(actor),
    action: 'enforcement.decision.end',
    entity: 'enf_decision',
    entityId: d.id,
    details: { docNo: d.doc_no, endReason: reason, ...(clean ? { note: clean } : {}), ...(reason === 'expired' ? { displayUntil: d.display_until } : {}) },
  });
  if (reason !== 'repaired') for (const hook of endHooks) await hook(p, t, d, reason);
  return true;
}

/**
 * The daily job: every decision on display whose last day (display_until) is before `today` is
 * ended as 'expired', each in its own transaction (one audit entry each). Running it again the
 * same day, or twice at once, ends nothing twice. Returns how many it ended.
 */
export async function endDueDisplays(p: Platform, today: string): Promise<number> {
  const due = await p.db.selectFrom('enf_decisions').select('id').where('status', '=', 'published').where('display_until', '<', today).orderBy('id').execute();
  let n = 0;
  for (const d of due) if (await p.tx((t) => endDisplay(p, t, 'system', d.id, 'expired', ''))) n++;
  if (n) bumpGeneration();
  return n;
}

/** The decision a staff member acts on: 404 when they may not see it, 403 when they see it but may not end it. */
export async function decisionForEnd(db: Db, user: Principal, id: number): Promise<DecisionRow> {
  const d = await db.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d || !can(user, 'enforcement.read', { departmentId: d.department_id })) throw notFound('enforcement.end_err.not_found');
  if (!can(user, 'decision.approve', { departmentId: d.department_id })) throw forbidden('enforcement.end_err.not_yours');
  return d;
}

export interface StaffEndInput {
  reason: unknown;
  note: unknown;
  confirm: unknown;
}

/**
 * A decision revoked (撤销) or changed (变更): taken down at once by a holder of `decision.approve`
 * in its department, with a note (what was decided, e.g. the revoking document) and the
 * confirmation. 400 naming the field; 409 when it is not on display.
 */
export async function endByStaff(p: Platform, user: Principal, id: number, input: StaffEndInput): Promise<DecisionRow> {
  const f: FieldErrors = {};
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (!STAFF_END_REASONS.includes(input.reason as StaffEndReason)) f.reason = 'enforcement.end_err.reason';
  if (note.length < 4) f.note = 'enforcement.end_err.note';
  else if (note.length > END_NOTE_MAX) f.note = 'enforcement.end_err.note_long';
  if (input.confirm !== true && input.confirm !== 'yes') f.confirm = 'enforcement.end_err.confirm';
  if (Object.keys(f).length) throw validationError(f);
  const d = await decisionForEnd(p.db, user, id);
  if (d.status !== 'published') throw conflict('enforcement.end_err.not_on_display', undefined, { status: `enforcement.status.${d.status}` });
  const done = await p.tx((t) => endDisplay(p, t, user, id, input.reason as StaffEndReason, note));
  if (!done) throw conflict('enforcement.end_err.not_on_display', undefined, { status: 'enforcement.status.ended' });
  bumpGeneration();
  return p.db.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
