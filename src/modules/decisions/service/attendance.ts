// 列席 (public attendance of a hearing): registration up to the hearing's capacity, then a waiting
// list. Each registration gets a cancel code (shown once; only its hash is kept); cancelling a
// confirmed seat moves the first person waiting up. Each change locks the hearing's row first
// (an UPDATE), so two registrations at once cannot both take the last seat.
import { createHash } from 'node:crypto';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { randomToken } from '../../../platform/hash.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { checkPerson, clientHash, publicHearing } from './hearings.js';

export type AttendanceStatus = 'confirmed' | 'waiting';

export interface Registered {
  status: AttendanceStatus;
  /** Place on the waiting list (1 = next), null when confirmed. */
  position: number | null;
  /** The code to cancel with; shown once. */
  cancelCode: string;
}

const codeHash = (hid: number, code: string) => createHash('sha256').update(`gongkai-attendance:${hid}:${code}`).digest('hex');

async function lockHearing(t: Db, hid: number): Promise<void> {
  await t.updateTable('dec_hearings').set({ updated_at: new Date().toISOString() }).where('id', '=', hid).execute();
}

async function waitingPosition(t: Db, hid: number, id: number): Promise<number> {
  const r = await t.selectFrom('dec_hearing_attendance').select((eb) => eb.fn.countAll<number>().as('n')).where('hearing_id', '=', hid).where('status', '=', 'waiting').where('id', '<=', id).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Registers to attend: confirmed while seats are left, else on the waiting list. */
export async function registerAttendance(p: Platform, hid: number, raw: Record<string, unknown>, ip: string): Promise<Registered> {
  const h = await publicHearing(p.db, hid);
  const f: FieldErrors = {};
  const person = checkPerson(raw, f);
  if (Object.keys(f).length) throw validationError(f);
  if (h.attendance_capacity < 1) throw conflict('decisions.hearings.err.no_attendance');
  if ((h.state !== 'announced' && h.state !== 'drawn') || Date.parse(h.starts_at) <= Date.now()) throw conflict('decisions.hearings.err.attendance_closed', undefined, { at: shanghaiDateTime(h.starts_at) });
  const code = randomToken(9);
  return p.tx(async (t) => {
    await lockHearing(t, h.id);
    let dup = t.selectFrom('dec_hearing_attendance').select('id').where('hearing_id', '=', h.id).where('status', '!=', 'cancelled');
    dup = dup.where((eb) => eb.or([...(person.phone ? [eb('phone', '=', person.phone)] : []), ...(person.email ? [eb('email', '=', person.email)] : [])]));
    if (await dup.executeTakeFirst()) throw conflict('decisions.hearings.err.already_attending');
    const taken = await t.selectFrom('dec_hearing_attendance').select((eb) => eb.fn.countAll<number>().as('n')).where('hearing_id', '=', h.id).where('status', '=', 'confirmed').executeTakeFirstOrThrow();
    const status: AttendanceStatus = Number(taken.n) < h.attendance_capacity ? 'confirmed' : 'waiting';
    const row = await t
      .insertInto('dec_hearing_attendance')
      .values({ hearing_id: h.id, name: person.name, phone: person.phone, email: person.email, status, client_hash: clientHash(ip), cancel_hash: codeHash(h.id, code), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: 'citizen', action: 'hearing.attend', entity: 'dec_hearing_attendance', entityId: row.id, details: { hearingId: h.id, status } });
    return { status, position: status === 'waiting' ? await waitingPosition(t, h.id, row.id) : null, cancelCode: code };
  });
}

/** Cancels with the code given at registration; a confirmed seat goes to the first person waiting. */
export async function cancelAttendance(p: Platform, hid: number, raw: Record<string, unknown>): Promise<{ cancelled: true; promoted: boolean }> {
  const h = await publicHearing(p.db, hid);
  const code = typeof raw.code === 'string' ? raw.code.trim() : '';
  if (!code || code.length > 100) throw validationError({ code: 'err.field.required' });
  return p.tx(async (t) => {
    await lockHearing(t, h.id);
    const row = await t.selectFrom('dec_hearing_attendance').select(['id', 'status']).where('hearing_id', '=', h.id).where('cancel_hash', '=', codeHash(h.id, code)).where('status', '!=', 'cancelled').executeTakeFirst();
    if (!row) throw notFound('decisions.hearings.err.no_registration');
    await t.updateTable('dec_hearing_attendance').set({ status: 'cancelled' }).where('id', '=', row.id).execute();
    let promoted = false;
    if (row.status === 'confirmed') {
      const next = await t.selectFrom('dec_hearing_attendance').select('id').where('hearing_id', '=', h.id).where('status', '=', 'waiting').orderBy('id').limit(1).executeTakeFirst();
      if (next) {
        await t.updateTable('dec_hearing_attendance').set({ status: 'confirmed' }).where('id', '=', next.id).execute();
        await p.audit(t, { actor: 'system', action: 'hearing.attend_promote', entity: 'dec_hearing_attendance', entityId: next.id, details: { hearingId: h.id } });
        promoted = true;
      }
    }
    await p.audit(t, { actor: 'citizen', action: 'hearing.attend_cancel', entity: 'dec_hearing_attendance', entityId: row.id, details: { hearingId: h.id } });
    return { cancelled: true as const, promoted };
  });
}

/** Staff's list of the attendance registrations (contacts included: staff only). */
export async function attendanceList(db: Db, hid: number) {
  return db.selectFrom('dec_hearing_attendance').select(['id', 'name', 'phone', 'email', 'status', 'created_at']).where('hearing_id', '=', hid).orderBy('id').execute();
}
