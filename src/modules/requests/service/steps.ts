// The handling steps that move the receipt date and the reply clock: confirming receipt (Art. 31),
// the one correction notice and the corrected request (Art. 30), and the one extension asked by
// the handler and approved by the office head (Art. 33). Consultations are service/consult.ts.
import type { Platform } from '../../../platform/platform.js';
import { badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { addWorkdays, ensureCalendar, isValidDate } from '../../../platform/calendar/index.js';
import { extendClock, getRule, stopClock } from '../../../platform/deadlines/index.js';
import { holders } from '../../../platform/auth/identity.js';
import { postNotices } from '../../../platform/messaging/inbox.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { CLOCK_STATES, CORRECTION_RULE, REPLY_RULE, SUBJECT } from '../schema.js';
import { actorName, addEvent, loadFor, mirrorDue, noticeData, notifyRequester, openReplyClock, requireAction, requireHead, requireState, requireUnsigned, startReplyClock, stepDate, type Actor } from '../service.js';

const who = (actor: Actor) => (typeof actor === 'string' ? actor : actor.displayName || actor.username);
const text = (v: unknown, field: string, max: number, required = true): string => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (required && !s) throw badRequest('err.validation', { [field]: 'err.field.required' });
  if (s.length > max) throw badRequest('err.validation', { [field]: 'requests.err.too_long' });
  return s;
};

// ---- receipt (Art. 31) --------------------------------------------------------------------------

/**
 * Records the confirming event of a request received online, by fax, e-mail or ordinary post: the
 * day both sides confirmed (the office with the requester), who confirmed and how. That day is the
 * receipt date; the reply clock starts from it.
 */
export async function confirmReceipt(p: Platform, actor: Actor, id: number, input: { on?: string; how?: string }): Promise<{ receivedOn: string; due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, ['awaiting-receipt']);
  const on = stepDate(input.on, 'on', r.arrived_on);
  const how = text(input.how, 'how', 500, false);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const upd = await t.updateTable('disclosure_requests').set({ state: 'handling', received_on: on, updated_at: new Date().toISOString() }).where('id', '=', id).where('state', '=', 'awaiting-receipt').executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    await startReplyClock(p, t, r, on, actorName(actor));
    const due = await mirrorDue(t, id);
    const used = await notifyRequester(p, t, r, 'receipt', 'requests.sms.receipt', { date: on, due: due ?? '' });
    await addEvent(t, id, actor, { kind: 'receipt-confirmed', on, note: how, public: true, data: { receivedOn: on, by: who(actor), due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.confirm_receipt', entity: 'disclosure_request', entityId: id, details: { receivedOn: on, how } });
    return { receivedOn: on, due };
  });
}

// ---- correction (补正, Art. 30) ---------------------------------------------------------------------

export const MAX_CORRECTION_ITEMS = 10;
export const DEFAULT_CORRECTION_DAYS = 15;
export const MAX_CORRECTION_DAYS = 60;

/** The last day a correction notice may be sent: the rule request.correction's working days after receipt. */
export async function correctionWindow(p: Platform, receivedOn: string): Promise<string> {
  await ensureCalendar(p.db);
  const rule = await getRule(p.db, CORRECTION_RULE);
  return addWorkdays(receivedOn, rule?.amount ?? 7).due;
}

/**
 * The one correction notice: every point to correct, and the requester's deadline. The reply
 * clock stops; it starts again from the day the corrected request arrives. A second notice is
 * refused, and so is one later than 7 working days after receipt.
 */
export async function askCorrection(p: Platform, actor: Actor, id: number, input: { items?: unknown; due?: string; on?: string }): Promise<{ due: string }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  if (r.correction_asked_on) throw conflict('requests.err.correction_once', undefined, { date: r.correction_asked_on });
  requireState(r, ['handling']);
  await requireUnsigned(p.db, id);
  const on = stepDate(input.on, 'on', r.received_on);
  const last = await correctionWindow(p, r.received_on!);
  if (on > last) throw conflict('requests.err.correction_late', undefined, { date: last });
  const raw = Array.isArray(input.items) ? input.items : typeof input.items === 'string' ? input.items.split(/\r?\n/) : [];
  const items = raw.map((x) => (typeof x === 'string' ? x.trim() : '')).filter(Boolean);
  if (!items.length) throw badRequest('err.validation', { items: 'requests.err.correction_items' });
  if (items.length > MAX_CORRECTION_ITEMS || items.some((x) => x.length > 500)) throw badRequest('err.validation', { items: 'requests.err.correction_items_long' }, { max: MAX_CORRECTION_ITEMS });
  const latest = addWorkdays(on, MAX_CORRECTION_DAYS).due;
  const due = input.due ? stepDateAfter(input.due, on, latest) : addWorkdays(on, DEFAULT_CORRECTION_DAYS).due;
  return p.tx(async (t) => {
    const upd = await t
      .updateTable('disclosure_requests')
      .set({ state: 'awaiting-correction', correction_asked_on: on, correction_due: due, correction_items: JSON.stringify(items), due_date: null, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'handling')
      .where('correction_asked_on', 'is', null)
      .executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    await stopClock(p, t, SUBJECT, id, '补正：答复期限自收到补正后的申请之日起重新计算（《条例》第三十条）', REPLY_RULE, actorName(actor));
    const used = await notifyRequester(p, t, r, 'correction', 'requests.sms.correction', { items: items.map((x, i) => `${i + 1}.${x}`).join('；'), due });
    await addEvent(t, id, actor, { kind: 'correction-asked', on, public: true, data: { items, due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.correction', entity: 'disclosure_request', entityId: id, details: { on, due, items: items.length } });
    return { due };
  });
}

/** A date after `after` and at most `latest` (the correction deadline), else 400 naming `due`. */
function stepDateAfter(v: string, after: string, latest: string): string {
  if (!isValidDate(v)) throw badRequest('err.validation', { due: 'requests.err.date' });
  if (v <= after || v > latest) throw badRequest('err.validation', { due: 'requests.err.correction_due' }, { date: latest, max: MAX_CORRECTION_DAYS });
  return v;
}

/** The corrected request arrived (on or before the deadline): the reply clock starts again from that day. */
export async function recordCorrection(p: Platform, actor: Actor, id: number, input: { on?: string; note?: string }): Promise<{ due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, ['awaiting-correction']);
  const on = stepDate(input.on, 'on', r.correction_asked_on);
  if (r.correction_due && on > r.correction_due) throw conflict('requests.err.correction_after_due', { on: 'requests.err.correction_after_due' }, { date: r.correction_due });
  const note = text(input.note, 'note', 1000, false);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const upd = await t.updateTable('disclosure_requests').set({ state: 'handling', corrected_on: on, updated_at: new Date().toISOString() }).where('id', '=', id).where('state', '=', 'awaiting-correction').executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    await startReplyClock(p, t, r, on, actorName(actor));
    const due = await mirrorDue(t, id);
    const used = await notifyRequester(p, t, r, 'corrected', 'requests.sms.corrected', { date: on, due: due ?? '' });
    await addEvent(t, id, actor, { kind: 'corrected', on, note, public: true, data: { due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.corrected', entity: 'disclosure_request', entityId: id, details: { on } });
    return { due };
  });
}

// ---- extension (延期, Art. 33) ---------------------------------------------------------------------

async function extensionRule(p: Platform, id: number) {
  const clock = await openReplyClock(p.db, id);
  const rule = clock ? await getRule(p.db, clock.rule_code, Number(clock.rule_version)) : null;
  return { clock, max: rule?.extensionLimit ?? 20, count: rule?.maxExtensions ?? 1 };
}

/** The handler asks for the one extension (≤ the rule's limit, 20 working days), with the reason. */
export async function askExtension(p: Platform, actor: Actor, id: number, input: { workdays?: unknown; reason?: string; on?: string }): Promise<void> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, CLOCK_STATES);
  const { clock, max, count } = await extensionRule(p, id);
  const asks = await p.db.selectFrom('request_extensions').select(['status']).where('request_id', '=', id).where('status', 'in', ['pending', 'approved']).execute();
  if (asks.length || (clock && Number(clock.extensions) >= count)) throw conflict('requests.err.extension_once');
  const workdays = input.workdays;
  if (typeof workdays !== 'number' || !Number.isInteger(workdays) || workdays < 1 || workdays > max) throw badRequest('err.validation', { workdays: 'requests.err.extension_days' }, { max });
  const reason = text(input.reason, 'reason', 500);
  const on = stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  await p.tx(async (t) => {
    const ext = await t.insertInto('request_extensions').values({ request_id: id, workdays, reason, status: 'pending', asked_by: actorName(actor), asked_at: new Date().toISOString(), decided_by: null, decided_at: null, decision_note: null }).returning(['id']).executeTakeFirstOrThrow();
    await addEvent(t, id, actor, { kind: 'extension-asked', on, note: reason, public: false, data: { workdays, extensionId: ext.id } });
    // The office heads of the department find it in their inbox.
    const heads = (await holders(t, 'request.approve-extension', r.department_id)).filter((h) => h.scope !== 'all');
    await postNotices(t, heads.map((h) => h.id), { kind: 'request-extension', title: translate('zh-CN', 'requests.inbox.extension', { no: r.tracking_no }), body: translate('zh-CN', 'requests.inbox.extension_body', { name: r.info_name, days: workdays, reason }).slice(0, 500), url: `/admin/disclosure-requests/${id}`, dedupeKey: `request-extension:${ext.id}` });
    await p.audit(t, { actor: actorName(actor), action: 'request.extension_ask', entity: 'disclosure_request', entityId: id, details: { workdays, reason } });
  });
}

/**
 * The office head decides (request.approve-extension in the request's department; never the one
 * who asked). Approved: the reply clock is extended and the requester told the reason and the new
 * due date. Refused: a reason is required, and the handler may ask again.
 */
export async function decideExtension(p: Platform, actor: Actor, id: number, input: { approve?: unknown; note?: string; on?: string }): Promise<{ due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireHead(actor, 'request.approve-extension', r);
  const ext = await p.db.selectFrom('request_extensions').selectAll().where('request_id', '=', id).where('status', '=', 'pending').orderBy('id', 'desc').executeTakeFirst();
  if (!ext) throw conflict('requests.err.no_pending_extension');
  if (typeof actor !== 'string' && ext.asked_by === actorName(actor)) throw forbidden('requests.err.own_extension');
  requireState(r, CLOCK_STATES);
  if (typeof input.approve !== 'boolean') throw badRequest('err.validation', { approve: 'requests.err.choose' });
  const note = text(input.note, 'note', 500, !input.approve);
  const asked = await p.db.selectFrom('request_events').select('on_date').where('request_id', '=', id).where('kind', '=', 'extension-asked').orderBy('id', 'desc').executeTakeFirst();
  const on = stepDate(input.on, 'on', asked?.on_date);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const upd = await t.updateTable('request_extensions').set({ status: input.approve ? 'approved' : 'refused', decided_by: actorName(actor), decided_at: new Date().toISOString(), decision_note: note || null }).where('id', '=', ext.id).where('status', '=', 'pending').executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    if (!input.approve) {
      await addEvent(t, id, actor, { kind: 'extension-refused', on, note, public: false, data: { workdays: ext.workdays, extensionId: ext.id } });
      await p.audit(t, { actor: actorName(actor), action: 'request.extension_refuse', entity: 'disclosure_request', entityId: id, details: { workdays: ext.workdays, note } });
      return { due: r.due_date };
    }
    const clock = await openReplyClock(t, id);
    if (!clock) throw notFound('requests.err.no_clock');
    await extendClock(p, t, clock.id, { workdays: ext.workdays, reason: ext.reason, approver: who(actor) }, actorName(actor));
    const due = await mirrorDue(t, id);
    const used = await notifyRequester(p, t, r, 'extension', 'requests.sms.extension', { days: ext.workdays, reason: ext.reason, due: due ?? '' });
    await addEvent(t, id, actor, { kind: 'extension-approved', on, note: ext.reason, public: true, data: { workdays: ext.workdays, due, approver: who(actor), ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.extension_approve', entity: 'disclosure_request', entityId: id, details: { workdays: ext.workdays, due } });
    return { due };
  });
}

