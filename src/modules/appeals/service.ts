// The citizen appeals centre: intake from three doors, dispatch, handling under the deadline
// engine, reply, closing, callback, rating, reopening, merging and release for publication.
// Every change is written with its audit event and its appeal event in one transaction.
// This file is the core the parts in service/ share: settings, who sees what, tracking numbers
// and query codes, and the appeal's events; intake (service/intake.ts), the staff workflow
// (service/workflow.ts), the citizen's follow-up (service/citizen.ts) and release for
// publication (service/release.ts) build on it. It imports none of them.
import { randomTrackingNo as platformTrackingNo, trackingDay } from '../../platform/tracking.js';
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { announce } from '../../platform/channels/announce.js';
import { t as tr } from '../../platform/i18n/index.js';
import { can, grantedDepartments, scopeOf, type Principal } from '../../platform/auth/policy.js';
import { badRequest, forbidden, notFound, validationError } from '../../platform/errors.js';
import { getSettings as getStoredSettings, putSetting } from '../../platform/settings/index.js';
import { startClock } from '../../platform/deadlines/index.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { TYPE_RULES, type Appeal, type AppealType } from './schema.js';

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
  /** The centre reviews a department's reply before the citizen sees it (待中心审核). Default on. */
  replyReview: boolean;
}

export const DEFAULT_SETTINGS: AppealSettings = { centre: 'sqzx', reopenLimit: 1, reopenDays: 15, replyReview: true };

let settingsCache: { at: number; s: AppealSettings; centreId: number | null } | null = null;

export async function getSettings(db: Db): Promise<AppealSettings & { centreId: number | null }> {
  if (settingsCache && Date.now() - settingsCache.at < 5000) return { ...settingsCache.s, centreId: settingsCache.centreId };
  const m = await getStoredSettings(db, ['appeals.centre', 'appeals.reopen_limit', 'appeals.reopen_days', 'appeals.reply_review']);
  const int = (v: string | undefined, d: number) => (v !== undefined && /^\d{1,3}$/.test(v) ? Number(v) : d);
  const s: AppealSettings = {
    centre: m.get('appeals.centre') ?? DEFAULT_SETTINGS.centre,
    reopenLimit: int(m.get('appeals.reopen_limit'), DEFAULT_SETTINGS.reopenLimit),
    reopenDays: int(m.get('appeals.reopen_days'), DEFAULT_SETTINGS.reopenDays),
    replyReview: m.has('appeals.reply_review') ? m.get('appeals.reply_review') !== '0' : DEFAULT_SETTINGS.replyReview,
  };
  const c = await db.selectFrom('departments').select('id').where('code', '=', s.centre).executeTakeFirst();
  settingsCache = { at: Date.now(), s, centreId: c?.id ?? null };
  return { ...s, centreId: c?.id ?? null };
}

/** Saves the centre's settings; `replyReview` left out keeps the stored value. */
export async function saveSettings(p: Platform, actor: Actor, input: { reopenLimit: number; reopenDays: number; replyReview?: boolean }): Promise<void> {
  if (typeof actor !== 'string' && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden();
  const fields: Record<string, string> = {};
  if (!Number.isInteger(input.reopenLimit) || input.reopenLimit < 0 || input.reopenLimit > 10) fields.reopenLimit = 'appeals.err.setting';
  if (!Number.isInteger(input.reopenDays) || input.reopenDays < 1 || input.reopenDays > 365) fields.reopenDays = 'appeals.err.setting';
  if (input.replyReview !== undefined && typeof input.replyReview !== 'boolean') fields.replyReview = 'appeals.err.setting';
  if (Object.keys(fields).length) throw validationError(fields);
  await p.tx(async (t) => {
    await putSetting(t, 'appeals.reopen_limit', String(input.reopenLimit));
    await putSetting(t, 'appeals.reopen_days', String(input.reopenDays));
    if (input.replyReview !== undefined) await putSetting(t, 'appeals.reply_review', input.replyReview ? '1' : '0');
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

export async function loadFor(p: Platform, t: Db, actor: Actor, id: number) {
  const a = await t.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  if (typeof actor !== 'string' && !(await canSee(t, actor, a))) throw notFound();
  return a;
}

export async function requireCentre(db: Db, actor: Actor, action: string): Promise<void> {
  if (typeof actor === 'string') return;
  if (!(await isCentre(db, actor, action))) throw forbidden('appeals.err.centre_only');
}

export function requireLead(actor: Actor, a: { department_id: number | null }, action = 'appeal.handle'): void {
  if (typeof actor === 'string') return;
  if (a.department_id === null || !departmentScope(actor, action).has(a.department_id)) throw forbidden('appeals.err.lead_only');
}

// ---- tracking numbers and query codes (platform/tracking.ts) -----------------------------------

export { codeHash, newQueryCode, normalizeQueryCode, QUERY_CODE_DIGITS } from '../../platform/tracking.js';

/** SQ + the Shanghai date (yyyymmdd) + 7 digits: random since codes became 10 digits, the id before. */
export const TRACKING_NO = /^SQ\d{15}$/;
/** 10 digits; appeals received before that change have 6 and keep them. */
export const QUERY_CODE = /^(?:\d{10}|\d{6})$/;
export const TRACKING_PREFIX = 'SQ';

/** The old sequential form (id in the last 7 digits); the demo still numbers its appeals this way. */
export function trackingNoFor(id: number, createdAt: string): string {
  return `SQ${trackingDay(createdAt)}${String(id).padStart(7, '0')}`;
}

/** A new tracking number: the date and 7 random digits, so numbers cannot be counted through. */
export function randomTrackingNo(createdAt: string): string {
  return platformTrackingNo(TRACKING_PREFIX, createdAt);
}

// ---- the appeal's events (shared by the parts in service/) -------------------------------------

export async function publicHistory(db: Db, appealId: number) {
  return db.selectFrom('appeal_events').select(['at', 'action', 'note', 'department_id']).where('appeal_id', '=', appealId).where('public', '=', 1).orderBy('id').execute();
}

export async function fullHistory(db: Db, appealId: number) {
  return db.selectFrom('appeal_events').selectAll().where('appeal_id', '=', appealId).orderBy('id').execute();
}

export async function event(p: Platform, t: Db, appealId: number, actor: string, action: string, note: string, isPublic: boolean, departmentId: number | null, at = new Date().toISOString()) {
  const row = await t.insertInto('appeal_events').values({ appeal_id: appealId, at, actor, action, note: note.slice(0, 5000), public: isPublic ? 1 : 0, department_id: departmentId }).returning('id').executeTakeFirstOrThrow();
  // A step the citizen sees reaches whoever follows the appeal (subscriptions, when mounted).
  if (isPublic && action !== 'rate') {
    const a = await t.selectFrom('appeals').select(['tracking_no']).where('id', '=', appealId).executeTakeFirst();
    if (a) await announce(p, t, { target: `appeal=${a.tracking_no}`, key: `appeal-event:${row.id}`, subject: `诉求 ${a.tracking_no} 办理进度`, text: `您关注的诉求 ${a.tracking_no} 有新进展：${tr('zh-CN', `appeals.action.${action}`)}。`, url: `/appeals/track?no=${encodeURIComponent(a.tracking_no)}` });
  }
}

export async function touch(t: Db, id: number, set: Partial<Omit<Appeal, 'id'>>) {
  await t.updateTable('appeals').set({ ...set, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

export async function startAppealClock(p: Platform, t: Db, a: Appeal, actor: string, departmentId = a.department_id) {
  const rule = TYPE_RULES[a.type as AppealType];
  if (!rule) return null;
  return startClock(p, t, { subjectType: 'appeal', subjectId: a.id, rule, start: todayShanghai(), departmentId, title: `${a.tracking_no} ${a.title}`.slice(0, 200), url: `/admin/appeals/${a.id}`, publicSubject: false }, actor);
}

export { badRequest };
