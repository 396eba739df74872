// Display periods of penalty decisions (REGULATIONS.md §6), counted from the decision date:
// 轻微 not shown; 一般 at least 3 months, at most 1 year; 严重 at least 1 year, at most 3 years.
// Licensing decisions: shown for 3 years (the 双公示 practice). Dates are Asia/Shanghai calendar
// days (YYYY-MM-DD); `minUntil` is the last day of the minimum (credit repair is possible from the
// next day) and `until` the last day on display (the daily job ends it the day after).
import type { Severity } from './codes.js';

/** The day `months` calendar months after `date`, clamped to the month's end (2026-11-30 + 3 → 2027-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The day before `date`. */
export function dayBefore(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

export interface DisplayPeriod {
  /** Last day of the minimum period; null when there is no minimum. */
  minUntil: string | null;
  /** Last day on display. */
  until: string;
}

const MONTHS: Record<string, { min: number; max: number }> = {
  ordinary: { min: 3, max: 12 },
  serious: { min: 12, max: 36 },
  licensing: { min: 0, max: 36 },
};

/** The display period of a decision; null for a minor penalty (never shown). */
export function displayPeriod(kind: 'licensing' | 'penalty', severity: Severity | '', decisionDate: string): DisplayPeriod | null {
  if (kind === 'penalty' && (severity === 'minor' || severity === '')) return null;
  const m = MONTHS[kind === 'licensing' ? 'licensing' : severity];
  return { minUntil: m.min ? dayBefore(addMonths(decisionDate, m.min)) : null, until: dayBefore(addMonths(decisionDate, m.max)) };
}
