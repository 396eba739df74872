// Consultations: a third party's opinion (Art. 32) or another agency's (Art. 34), 15 working days
// each with a clock of their own. The time they take does not count against the reply: the first
// open consultation pauses the reply clock from the day it is sent, and the clock resumes when the
// last one is answered — or, unanswered, on its due date (the scan; an agency's silence is consent).
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { badRequest, conflict, notFound } from '../../../platform/errors.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import { completeClock, pauseClock, resumeClock, startClock, stopClock } from '../../../platform/deadlines/index.js';
import { WORKING_STATES, CONSULTATION_ANSWERS, CONSULTATION_KINDS, CONSULTATION_RULES, CONSULTATION_SUBJECT, type ConsultationKind, type DisclosureRequest } from '../schema.js';
import { actorName, addEvent, loadFor, mirrorDue, openReplyClock, pauseFloor, requireAction, requireState, requireUnsigned, stepDate, touch, type Actor } from '../service.js';

const PAUSE_REASON: Record<ConsultationKind, string> = {
  'third-party': '征求第三方意见，所需时间不计入答复期限（《条例》第三十二条）',
  agency: '征求其他机关意见，所需时间不计入答复期限（《条例》第三十四条）',
};

/** Asks a third party or another agency; pauses the reply clock (if it is not paused already). */
export async function openConsultation(p: Platform, actor: Actor, id: number, input: { kind?: string; party?: string; on?: string; note?: string }): Promise<{ consultationId: number; due: string }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, WORKING_STATES);
  await requireUnsigned(p.db, id);
  const kind = input.kind as ConsultationKind;
  if (!(CONSULTATION_KINDS as readonly string[]).includes(kind)) throw badRequest('err.validation', { kind: 'requests.err.choose' });
  const party = (input.party ?? '').trim();
  if (!party) throw badRequest('err.validation', { party: 'err.field.required' });
  if (party.length > 100) throw badRequest('err.validation', { party: 'requests.err.too_long' });
  const note = (input.note ?? '').trim().slice(0, 1000);
  const clock = await openReplyClock(p.db, id);
  if (!clock) throw conflict('requests.err.no_clock');
  // Not before the clock's start, nor inside a pause that has already ended (pauses never overlap).
  const on = stepDate(input.on, 'on', await pauseFloor(p.db, clock));
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const c = await t.insertInto('request_consultations').values({ request_id: id, kind, party, asked_on: on, due_date: on, answered_on: null, answer: null, note, created_by: actorName(actor), created_at: now }).returning(['id']).executeTakeFirstOrThrow();
    const cc = await startClock(p, t, { subjectType: CONSULTATION_SUBJECT, subjectId: c.id, rule: CONSULTATION_RULES[kind], start: on, departmentId: r.department_id, title: `${r.tracking_no} 征求意见：${party}`.slice(0, 200), url: `/admin/disclosure-requests/${id}`, publicSubject: false }, actorName(actor));
    await t.updateTable('request_consultations').set({ due_date: cc.due }).where('id', '=', c.id).execute();
    const fresh = await openReplyClock(t, id);
    if (fresh?.state === 'running') await pauseClock(p, t, fresh.id, { kind: 'consultation', reason: PAUSE_REASON[kind], at: on }, actorName(actor));
    await touch(t, id, { state: 'consulting' });
    const due = await mirrorDue(t, id);
    // The party is not named to the requester (it may be the third party whose rights are at stake).
    await addEvent(t, id, actor, { kind: 'consultation-opened', on, note, public: true, data: { consultation: c.id, kind, party, due: cc.due, replyDue: due } });
    await p.audit(t, { actor: actorName(actor), action: 'request.consult', entity: 'disclosure_request', entityId: id, details: { kind, party, on, due: cc.due } });
    return { consultationId: c.id, due: cc.due };
  });
}

/**
 * Closes a consultation (answered on `on`, or ended unanswered on its due date by the scan); when
 * it was the last open one the reply clock resumes on the latest day any of the paused period's
 * consultations ended, and the request is being handled again.
 */
async function endConsultation(p: Platform, t: Db, actor: Actor, r: DisclosureRequest, c: { id: number; kind: string }, on: string, answer: string, note: string): Promise<string | null> {
  const upd = await t.updateTable('request_consultations').set({ answered_on: on, answer, note }).where('id', '=', c.id).where('answered_on', 'is', null).executeTakeFirst();
  if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
  if (answer === 'no-reply') await stopClock(p, t, CONSULTATION_SUBJECT, c.id, '逾期未提出意见', undefined, actorName(actor));
  else await completeClock(p, t, CONSULTATION_SUBJECT, c.id, undefined, actorName(actor));
  const open = await t.selectFrom('request_consultations').select('id').where('request_id', '=', r.id).where('answered_on', 'is', null).execute();
  if (open.length) return r.due_date;
  const clock = await openReplyClock(t, r.id);
  if (clock?.state === 'paused') {
    const pause = await t.selectFrom('clock_pauses').select('from_date').where('clock_id', '=', clock.id).where('to_date', 'is', null).executeTakeFirst();
    const ended = await t.selectFrom('request_consultations').select((eb) => eb.fn.max('answered_on').as('last')).where('request_id', '=', r.id).where('asked_on', '>=', pause?.from_date ?? on).executeTakeFirst();
    const at = ended?.last && ended.last > on ? ended.last : on;
    await resumeClock(p, t, clock.id, at, actorName(actor), answer === 'no-reply' ? '征求意见期限届满' : '已收到意见');
  }
  if (r.state === 'consulting') await touch(t, r.id, { state: 'handling' });
  return mirrorDue(t, r.id);
}

/** Records the answer of a third party or agency (the day it arrived). */
export async function answerConsultation(p: Platform, actor: Actor, id: number, consultationId: number, input: { answer?: string; on?: string; note?: string }): Promise<{ due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  const c = await p.db.selectFrom('request_consultations').selectAll().where('id', '=', consultationId).where('request_id', '=', id).executeTakeFirst();
  if (!c) throw notFound('requests.err.not_found');
  if (c.answered_on) throw conflict('requests.err.consultation_closed');
  const answer = input.answer ?? '';
  if (!(CONSULTATION_ANSWERS as readonly string[]).includes(answer)) throw badRequest('err.validation', { answer: 'requests.err.choose' });
  const on = stepDate(input.on, 'on', c.asked_on);
  const note = (input.note ?? '').trim();
  if (note.length > 1000) throw badRequest('err.validation', { note: 'requests.err.too_long' });
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const due = await endConsultation(p, t, actor, r, c, on, answer, note);
    await addEvent(t, id, actor, { kind: 'consultation-answered', on, note, public: true, data: { consultation: c.id, kind: c.kind, answer, replyDue: due } });
    await p.audit(t, { actor: actorName(actor), action: 'request.consult_answer', entity: 'disclosure_request', entityId: id, details: { consultation: c.id, answer, on } });
    return { due };
  });
}

/** The scan: consultations still unanswered after their due date end on it (no opinion given). */
export async function expireConsultations(p: Platform, today: string): Promise<number> {
  const due = await p.db.selectFrom('request_consultations').selectAll().where('answered_on', 'is', null).where('due_date', '<', today).orderBy('id').execute();
  let n = 0;
  for (const c of due) {
    await p.tx(async (t) => {
      const r = await t.selectFrom('disclosure_requests').selectAll().where('id', '=', c.request_id).executeTakeFirst();
      if (!r) return;
      const replyDue = await endConsultation(p, t, 'system', r, c, c.due_date, 'no-reply', '');
      await addEvent(t, r.id, 'system', { kind: 'consultation-expired', on: c.due_date, public: true, data: { consultation: c.id, kind: c.kind, replyDue } });
      await p.audit(t, { actor: 'system', action: 'request.consult_expire', entity: 'disclosure_request', entityId: r.id, details: { consultation: c.id, due: c.due_date } });
      n++;
    }).catch((err) => {
      // Answered meanwhile by staff: nothing to do.
      if (!(err?.status === 409)) throw err;
    });
  }
  return n;
}
