// Due dates: the amount of a clock (the clock's own, else its rule's) plus extensions counted from
// the start in working days, natural days or months on the calendar, skipping paused working
// days; hour clocks count Asia/Shanghai wall time.
import { addMonths, addNaturalDays, addWorkdays, isValidDate, type DueResult, type PauseSpan } from '../calendar/index.js';
import type { RuleUnit } from './schema.js';
import type { RuleView } from './rules.js';

// ---- hours (Asia/Shanghai wall time) ------------------------------------------------------------

const WALL_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** Now as Asia/Shanghai wall time, YYYY-MM-DDTHH:MM (UTC+8, no daylight saving). */
export function nowShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

export function isValidWallTime(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = WALL_RE.exec(v);
  return !!m && isValidDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60;
}

/** `start` + n hours, both Asia/Shanghai wall time: every hour counts (nights, weekends and holidays too). */
export function addHours(start: string, n: number): string {
  return new Date(Date.parse(`${start}:00Z`) + n * 3600 * 1000).toISOString().slice(0, 16);
}

// ---- computing a due date ----------------------------------------------------------------------

interface PauseRow {
  kind: string;
  reason: string;
  from_date: string;
  to_date: string | null;
}

function spans(pauses: PauseRow[], today: string): PauseSpan[] {
  return pauses.map((x) => ({ from: x.from_date, to: x.to_date ?? (today > x.from_date ? today : x.from_date), kind: x.kind }));
}

export type ClockDue = DueResult & { dueAt: string | null };

/**
 * Due date of a clock: the amount (the clock's own, else the rule's) plus extensions from the
 * start, skipping paused working days. An open pause counts as lasting through today. Hour
 * clocks add hours to `startAt` in Asia/Shanghai wall time (no pauses, no calendar).
 */
export function computeDue(rule: Pick<RuleView, 'unit' | 'amount'>, start: string, extensionDays: number, pauses: PauseRow[], today: string, explain = true, startAt: string | null = null): ClockDue {
  const n = rule.amount + extensionDays;
  if (rule.unit === 'hours') {
    const dueAt = addHours(startAt ?? `${start}T00:00`, n);
    return { start, due: dueAt.slice(0, 10), dueAt, provisional: false, counted: [], skipped: [] };
  }
  return { ...dueByCalendar(rule.unit, n, start, pauses, today, explain), dueAt: null };
}

/** The unit and amount a clock counts: its own when set, else its rule's. */
export function limitOf(rule: Pick<RuleView, 'unit' | 'amount'>, clock: { amount: number | null; unit: string | null }): { unit: RuleUnit; amount: number } {
  return clock.amount != null && clock.unit ? { unit: clock.unit as RuleUnit, amount: Number(clock.amount) } : { unit: rule.unit, amount: rule.amount };
}

function dueByCalendar(unit: RuleUnit, n: number, start: string, pauses: PauseRow[], today: string, explain: boolean): DueResult {
  const ps = spans(pauses, today);
  if (unit === 'workdays') return addWorkdays(start, n, { pauses: ps, explain });
  if (unit === 'days') return addNaturalDays(start, n, { pauses: ps, explain });
  return addMonths(start, n, { explain });
}
