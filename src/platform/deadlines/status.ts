// A clock's status on a day: the warning and seriously-overdue thresholds (settings) and the date
// boundaries they give, also usable in SQL.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { badRequest } from '../errors.js';
import { getSettings, putSetting } from '../settings/index.js';
import { addWorkdays, plusDays, subtractWorkdays } from '../calendar/index.js';
import type { ClockKind } from './schema.js';
import { nowShanghai } from './due.js';

/** `finished`: a minimum period that has run its course (may be closed; never overdue). */
export type ClockStatus = 'normal' | 'warning' | 'due-today' | 'overdue' | 'seriously-overdue' | 'finished' | 'completed' | 'completed-late' | 'stopped';
export const OPEN_STATUSES = ['normal', 'warning', 'due-today', 'overdue', 'seriously-overdue'] as const;

// ---- thresholds -------------------------------------------------------------------------------

export interface Thresholds {
  /** Warn this many working days before the due date (default 3). */
  warningLead: number;
  /** Seriously overdue when overdue by more than this many working days (default 5). */
  seriousAfter: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningLead: 3, seriousAfter: 5 };

export async function getThresholds(db: Db): Promise<Thresholds> {
  const m = await getSettings(db, ['deadlines.warning_lead', 'deadlines.serious_after']);
  const ok = (v: string | undefined, d: number) => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= 0 && n <= 60 ? n : d;
  };
  return { warningLead: ok(m.get('deadlines.warning_lead'), DEFAULT_THRESHOLDS.warningLead), seriousAfter: ok(m.get('deadlines.serious_after'), DEFAULT_THRESHOLDS.seriousAfter) };
}

export async function setThresholds(p: Platform, t: Db, th: Thresholds, actor: string): Promise<void> {
  for (const [k, v] of [['deadlines.warning_lead', th.warningLead], ['deadlines.serious_after', th.seriousAfter]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 60) throw badRequest('deadlines.err.threshold', { [k]: 'deadlines.err.threshold' });
    await putSetting(t, k, String(v));
  }
  await p.audit(t, { actor, action: 'deadlines.thresholds', entity: 'settings', entityId: 'deadlines', details: { ...th } });
}

/** Date boundaries that turn a due date into a status on `today` (also usable in SQL). */
export interface StatusBoundaries {
  today: string;
  /** Running clocks due after today and on or before this date are in warning. */
  warnUntil: string;
  /** Running clocks due before this date are seriously overdue. */
  seriousBefore: string;
  /** Asia/Shanghai wall time (YYYY-MM-DDTHH:MM): hour clocks due today before it are overdue. */
  now: string;
}

export function statusBoundaries(today: string, th: Thresholds, now?: string): StatusBoundaries {
  const wall = now ?? nowShanghai();
  return {
    today,
    // A day other than today (a scan for another day): hour clocks are judged at its start.
    now: wall.slice(0, 10) === today ? wall : `${today}T00:00`,
    warnUntil: th.warningLead > 0 ? addWorkdays(today, th.warningLead, { explain: false }).due : today,
    // The (seriousAfter+1)-th working day counting back from today (today included when a working day).
    seriousBefore: subtractWorkdays(plusDays(today, 1), th.seriousAfter + 1),
  };
}

/** Status of an open clock on `b.today`: minimum periods are never overdue, hour clocks are overdue from their due minute. */
export function statusFor(due: string, b: StatusBoundaries, kind: ClockKind = 'limit', dueAt: string | null = null): ClockStatus {
  if (kind === 'minimum') return due <= b.today ? 'finished' : 'normal';
  if (due < b.seriousBefore) return 'seriously-overdue';
  if (due < b.today) return 'overdue';
  if (due === b.today) return dueAt && dueAt < b.now ? 'overdue' : 'due-today';
  if (due <= b.warnUntil) return 'warning';
  return 'normal';
}
