// A complaint filed as a disclosure request (信访举报投诉, Art. 39): staff close the request as
// 三（五）1 and hand the case to whichever mounted module takes complaints (platform/referrals.ts:
// the appeals centre) — in a job, so the closing, the audit event and the hand-over are one
// transaction and the hand-over is retried. Without such a module the referral is recorded and
// the requester told which channels to use.
import type { Platform } from '../../../platform/platform.js';
import { badRequest, conflict } from '../../../platform/errors.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { stopClock } from '../../../platform/deadlines/index.js';
import { referralDesk } from '../../../platform/referrals.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { WORKING_STATES, CONSULTATION_SUBJECT, SUBJECT } from '../schema.js';
import { OUTCOME, outcomeRow } from './outcomes.js';
import { actorName, addEvent, loadFor, noticeData, notifyRequester, requireAction, requireState, requireUnsigned, stepDate, type Actor } from '../service.js';

export const REFER_JOB = 'requests.refer';

/** Closes the request as a complaint (Art. 39) and hands it over (job requests.refer) or tells the requester where to go. */
export async function referComplaint(p: Platform, actor: Actor, id: number, input: { note?: string; on?: string }): Promise<{ desk: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, WORKING_STATES, 'requests.err.refer_state');
  await requireUnsigned(p.db, id);
  const note = (input.note ?? '').trim();
  if (note.length > 1000) throw badRequest('err.validation', { note: 'requests.err.too_long' });
  const desk = referralDesk(p, 'complaint');
  const on = stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const upd = await t.updateTable('disclosure_requests').set({ state: 'closed', outcome: OUTCOME.complaint, closed_on: on, due_date: null, updated_at: new Date().toISOString() }).where('id', '=', id).where('state', 'in', WORKING_STATES).executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    const reason = '信访、举报、投诉类申请，不作为政府信息公开申请处理（《条例》第三十九条）';
    await stopClock(p, t, SUBJECT, id, reason, undefined, actorName(actor), on);
    for (const c of await t.selectFrom('request_consultations').select('id').where('request_id', '=', id).where('answered_on', 'is', null).execute()) {
      await stopClock(p, t, CONSULTATION_SUBJECT, c.id, reason, undefined, actorName(actor), on);
      await t.updateTable('request_consultations').set({ answered_on: on, answer: 'withdrawn' }).where('id', '=', c.id).execute();
    }
    const used = desk ? [] : await notifyRequester(p, t, r, 'referred', 'requests.sms.referred_none');
    await addEvent(t, id, actor, { kind: 'referred', on, note, public: true, data: { desk: desk?.label ?? null, ...(desk ? {} : noticeData(used)) } });
    await addEvent(t, id, actor, { kind: 'closed', on, public: true, data: { outcome: OUTCOME.complaint } });
    if (desk) await p.jobs.enqueue(t, REFER_JOB, { id }, { key: `${REFER_JOB}:${id}` });
    await p.audit(t, { actor: actorName(actor), action: 'request.refer', entity: 'disclosure_request', entityId: id, details: { outcome: outcomeRow(OUTCOME.complaint)!.row, desk: desk ? translate('zh-CN', desk.label) : null, note } });
    return { desk: desk?.label ?? null };
  });
}

/** The job: hands the case to the complaint desk once, then tells the requester its tracking number and query code. */
export async function referJob(p: Platform, payload: { id: number }): Promise<void> {
  const r = await p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', Number(payload?.id)).executeTakeFirst();
  if (!r || r.referral_no || r.outcome !== OUTCOME.complaint) return;
  const desk = referralDesk(p, 'complaint');
  if (!desk) return;
  const receipt = await desk.receive(p, {
    title: r.info_name,
    content: r.info_description,
    contactName: r.requester_name,
    contactPhone: r.contact_phone,
    contactEmail: r.contact_email,
    source: translate('zh-CN', 'requests.referral_source', { no: r.tracking_no }),
  });
  await p.tx(async (t) => {
    const upd = await t.updateTable('disclosure_requests').set({ referral_no: receipt.trackingNo, updated_at: new Date().toISOString() }).where('id', '=', r.id).where('referral_no', 'is', null).executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) return;
    const deskName = translate('zh-CN', desk.label);
    const used = await notifyRequester(p, t, r, 'referral', 'requests.sms.referred', { desk: deskName, appealNo: receipt.trackingNo, appealCode: receipt.queryCode, url: `${p.config.publicUrl.replace(/\/$/, '')}${receipt.trackUrl}` });
    await addEvent(t, r.id, 'system', { kind: 'referral-received', on: todayShanghai(), public: true, data: { desk: desk.label, trackingNo: receipt.trackingNo, trackUrl: receipt.trackUrl, ...noticeData(used) } });
    await p.audit(t, { actor: 'system', action: 'request.referral_received', entity: 'disclosure_request', entityId: r.id, details: { desk: deskName, trackingNo: receipt.trackingNo } });
  });
}
