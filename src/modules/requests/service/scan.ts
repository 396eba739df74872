// The hourly scan (job requests.scan): a request whose correction deadline has passed without the
// corrected request is closed as 三（六）1 申请人无正当理由逾期不补正 (Art. 30) and the requester told;
// a consultation still unanswered after its due date ends on it (service/consult.ts); a fee unpaid
// after its pay-by date lapses and closes its request as 三（六）2 (service/fees.ts).
import type { Platform } from '../../../platform/platform.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { OUTCOME, outcomeRow } from './outcomes.js';
import { expireConsultations } from './consult.js';
import { expireFees } from './fees.js';
import { addEvent, noticeData, notifyRequester } from '../service.js';

export const SCAN_JOB = 'requests.scan';

/** Closes the requests whose correction deadline passed before `today`. */
export async function expireCorrections(p: Platform, today: string): Promise<number> {
  const rows = await p.db.selectFrom('disclosure_requests').selectAll().where('state', '=', 'awaiting-correction').where('correction_due', '<', today).orderBy('id').execute();
  let n = 0;
  for (const r of rows) {
    const closed = await p.tx(async (t) => {
      const upd = await t.updateTable('disclosure_requests').set({ state: 'closed', outcome: OUTCOME.noCorrection, closed_on: today, due_date: null, updated_at: new Date().toISOString() }).where('id', '=', r.id).where('state', '=', 'awaiting-correction').executeTakeFirst();
      if (!Number(upd.numUpdatedRows)) return false; // corrected meanwhile
      const used = await notifyRequester(p, t, r, 'abandoned', 'requests.sms.abandoned', { due: r.correction_due ?? '' });
      await addEvent(t, r.id, 'system', { kind: 'closed', on: today, public: true, data: { outcome: OUTCOME.noCorrection, correctionDue: r.correction_due, ...noticeData(used) } });
      await p.audit(t, { actor: 'system', action: 'request.close', entity: 'disclosure_request', entityId: r.id, details: { outcome: outcomeRow(OUTCOME.noCorrection)!.row, correctionDue: r.correction_due } });
      return true;
    });
    if (closed) n++;
  }
  return n;
}

/** Everything the scan does for `today` (the job passes the Shanghai date). */
export async function scanRequests(p: Platform, today = todayShanghai()): Promise<{ corrections: number; consultations: number; fees: number }> {
  await ensureCalendar(p.db);
  const corrections = await expireCorrections(p, today);
  const consultations = await expireConsultations(p, today);
  const fees = await expireFees(p, today);
  return { corrections, consultations, fees };
}
