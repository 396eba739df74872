// The staff workflow on an appeal: dispatch (派单), assisting departments (协办), redispatch (改派),
// return (退单), extension (延期), urging (督办), reply (答复), closing (办结), callback (回访),
// merging (并单) and internal notes.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can } from '../../../platform/auth/policy.js';
import { holders } from '../../../platform/auth/identity.js';
import { enqueueMail } from '../../../platform/mail/index.js';
import { postNotices } from '../../../platform/messaging/inbox.js';
import { conflict, forbidden, validationError } from '../../../platform/errors.js';
import { extendClock, stopClock, clocksFor } from '../../../platform/deadlines/index.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import { TYPE_RULES, OPEN_STATUSES, type AppealType, type AppealStatus } from '../schema.js';
import { actorName, event, getSettings, isCentre, loadFor, requireCentre, requireLead, startAppealClock, touch, type Actor } from '../service.js';
import { giveReply, holdForReview } from './review.js';

async function deptByCode(t: Db, code: string) {
  const d = await t.selectFrom('departments').select(['id', 'code', 'name']).where('code', '=', code ?? '').where('active', '=', 1).executeTakeFirst();
  if (!d) throw validationError({ department: 'err.unknown_department' });
  return d;
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
    await event(p, t, id, actorName(actor), 'dispatch', d.name, true, d.id);
    if (input.note?.trim()) await event(p, t, id, actorName(actor), 'note', input.note.trim(), false, d.id);
    for (const code of input.assisting ?? []) await addAssistIn(p, t, actor, id, code, d.id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.dispatch', entity: 'appeal', entityId: id, details: { department: d.code, assisting: input.assisting ?? [], due: clock?.due ?? null } });
  });
}

async function addAssistIn(p: Platform, t: Db, actor: Actor, id: number, code: string, leadId: number | null) {
  const d = await deptByCode(t, code);
  if (d.id === leadId) return;
  const exists = await t.selectFrom('appeal_assists').select('id').where('appeal_id', '=', id).where('department_id', '=', d.id).executeTakeFirst();
  if (exists) return;
  await t.insertInto('appeal_assists').values({ appeal_id: id, department_id: d.id, created_at: new Date().toISOString() }).execute();
  await event(p, t, id, actorName(actor), 'assist', d.name, true, d.id);
}

/** 协办: adds an assisting department. */
export async function addAssist(p: Platform, actor: Actor, id: number, department: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.handle');
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (!OPEN_STATUSES.includes(a.status as AppealStatus)) throw conflict('appeals.err.state', undefined, { status: a.status });
    await addAssistIn(p, t, actor, id, department, a.department_id);
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
    // A reply the centre returned to the old department is not the new one's.
    await touch(t, id, { status: 'dispatched', department_id: d.id, due_date: clock?.due ?? null, reply_draft: null, reply_draft_resolved: null, reply_draft_at: null });
    await event(p, t, id, actorName(actor), 'redispatch', `${d.name}：${input.reason.trim()}`, true, d.id);
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
    await event(p, t, id, actorName(actor), 'return_request', reason.trim(), false, a.department_id);
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
      await touch(t, id, { status: 'received', department_id: null, due_date: null, reply_draft: null, reply_draft_resolved: null, reply_draft_at: null });
    } else await touch(t, id, { status: 'dispatched' });
    await event(p, t, id, actorName(actor), approve ? 'return_approve' : 'return_reject', note?.trim() ?? '', false, a.department_id);
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
    await event(p, t, id, actorName(actor), 'extension_request', `${workdays}：${reason.trim()}`, false, a.department_id);
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
      await event(p, t, id, actorName(actor), 'extend', `${req.workdays}`, true, a.department_id);
    } else await event(p, t, id, actorName(actor), 'extension_reject', note?.trim() ?? '', false, a.department_id);
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
    await event(p, t, id, actorName(actor), 'urge', note.trim(), true, a.department_id);
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

/**
 * 答复: the lead department replies. With the centre's review on (`appeals.reply_review`, the
 * default) the reply waits for the centre (待中心审核, service/review.ts); otherwise the citizen
 * sees it at once, the clock completes and merged duplicates get the same reply.
 */
export async function replyAppeal(p: Platform, actor: Actor, id: number, input: { reply: string; resolved: boolean }): Promise<void> {
  const text = (input.reply ?? '').trim();
  if (!text) throw validationError({ reply: 'err.field.required' });
  if (text.length > 5000) throw validationError({ reply: 'appeals.err.content_long' });
  await ensureCalendar(p.db);
  const { replyReview } = await getSettings(p.db);
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    requireLead(actor, a);
    if (a.status !== 'dispatched') throw conflict('appeals.err.state', undefined, { status: a.status });
    const now = new Date().toISOString();
    if (replyReview) {
      await holdForReview(p, t, actorName(actor), a, text, !!input.resolved, now);
      await p.audit(t, { actor: actorName(actor), action: 'appeal.reply', entity: 'appeal', entityId: id, details: { resolved: !!input.resolved, review: true } });
      return;
    }
    const merged = await giveReply(p, t, actorName(actor), a, text, !!input.resolved, now);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.reply', entity: 'appeal', entityId: id, details: { resolved: !!input.resolved, merged } });
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
    if (callbackNote?.trim()) await event(p, t, id, actorName(actor), 'callback', callbackNote.trim(), false, a.department_id, now);
    await event(p, t, id, actorName(actor), 'close', '', true, a.department_id, now);
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
    await event(p, t, id, actorName(actor), 'callback', note.trim(), false, a.department_id, now);
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
    if (!OPEN_STATUSES.includes(a.status as AppealStatus) || a.status === 'replied' || a.status === 'reply_review') throw conflict('appeals.err.state', undefined, { status: a.status });
    if (main.status === 'merged' || main.status === 'closed') throw validationError({ into: 'appeals.err.merge_target' });
    await stopClock(p, t, 'appeal', id, `并单至 ${main.tracking_no}`, undefined, actorName(actor));
    await touch(t, id, { status: 'merged', merged_into: main.id, department_id: main.department_id, due_date: main.due_date });
    await event(p, t, id, actorName(actor), 'merge', main.tracking_no, true, main.department_id);
    await event(p, t, main.id, actorName(actor), 'merged_from', a.tracking_no, false, main.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.merge', entity: 'appeal', entityId: id, details: { into: main.tracking_no } });
  });
}

/** A note in the file (internal). */
export async function addNote(p: Platform, actor: Actor, id: number, note: string): Promise<void> {
  if (!note?.trim()) throw validationError({ note: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    await event(p, t, id, actorName(actor), 'note', note.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.note', entity: 'appeal', entityId: id, details: {} });
  });
}
