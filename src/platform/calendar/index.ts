// The working-day calendar: pure, synchronous computations over an in-memory snapshot of the
// calendar tables (statutory holidays and make-up working days per year). All dates are
// Asia/Shanghai calendar dates written 'YYYY-MM-DD'; the arithmetic works on day numbers and
// never on the process time zone. A year whose schedule has not been published falls back to
// weekends only, and every result that touched such a year is marked `provisional`.
import {
  BASE,
  K_HOLIDAY,
  K_MAKEUP_DAY,
  K_WEEKEND,
  K_WORK,
  MAX_YEAR,
  SPAN,
  calendarSnapshot,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  dstr,
  req,
  type CalendarDay,
  type CalendarSnapshot,
} from './snapshot.js';

// The data and the snapshot (snapshot.ts), part of this module's face.
export { MIN_YEAR, MAX_YEAR, buildSnapshot, calendarSnapshot, dayIndex, daysInMonth, isValidDate, plusDays, seedData, setCalendar, weekday } from './snapshot.js';
export type { CalendarData, CalendarDay, CalendarSnapshot, CalendarYear, DayKind } from './snapshot.js';

/** Why a day is (not) a working day: ordinary weekday, make-up working day (调休上班, glossary
 *  `makeupDay`), weekend, holiday, clock pause. */
export type DayReason = 'workday' | 'makeup-day' | 'weekend' | 'holiday' | 'pause';

export interface SkippedDay {
  date: string;
  /** 'weekend', 'holiday' (with the holiday's name) or 'pause' (with the pause kind). */
  reason: 'weekend' | 'holiday' | 'pause' | 'rolled';
  name?: string;
}

export interface DueResult {
  start: string;
  due: string;
  provisional: boolean;
  counted: string[];
  skipped: SkippedDay[];
}

export interface WorkdayInfo {
  workday: boolean;
  reason: DayReason;
  name?: string;
  provisional: boolean;
}

/** A paused stretch of a clock: working days d with from < d <= to are not counted. */
export interface PauseSpan {
  from: string;
  to: string;
  kind: string;
}

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving) whatever the process time zone. */
export function todayShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A stored UTC timestamp (ISO 8601) as Beijing wall time "YYYY-MM-DD HH:MM:SS", for people. */
export function shanghaiDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---- questions ---------------------------------------------------------------------------------

function infoAt(s: CalendarSnapshot, i: number): WorkdayInfo {
  const k = s.kind[i];
  const provisional = s.provisional[i] === 1;
  if (k === K_WORK) return { workday: true, reason: 'workday', provisional };
  if (k === K_WEEKEND) return { workday: false, reason: 'weekend', provisional };
  return { workday: k === K_MAKEUP_DAY, reason: k === K_MAKEUP_DAY ? 'makeup-day' : 'holiday', name: s.names.get(i), provisional };
}

export function isWorkday(date: string): WorkdayInfo {
  return infoAt(calendarSnapshot(), req(date));
}

export interface ComputeOptions {
  /** Paused stretches (clock pauses): working days inside them are skipped. */
  pauses?: PauseSpan[];
  /** false = skip building the counted/skipped lists (faster). */
  explain?: boolean;
}

function pauseIndex(pauses: PauseSpan[] | undefined): { from: number; to: number; kind: string }[] {
  return (pauses ?? []).map((p) => ({ from: req(p.from), to: req(p.to), kind: p.kind }));
}

/**
 * The N-th working day after `start` (the start day is not counted, so a request received on a
 * holiday counts from the next working day). N = 0 answers the start day itself.
 */
export function addWorkdays(start: string, n: number, opts: ComputeOptions = {}): DueResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('workdays must be a non-negative integer');
  const s = calendarSnapshot();
  const explain = opts.explain !== false;
  const pauses = pauseIndex(opts.pauses);
  let i = req(start);
  let provisional = n === 0 ? s.provisional[i] === 1 : false;
  const counted: string[] = [];
  const skipped: SkippedDay[] = [];
  let count = 0;
  while (count < n) {
    i++;
    if (i >= SPAN) throw new RangeError('date outside the supported calendar range');
    if (s.provisional[i] === 1) provisional = true;
    const k = s.kind[i];
    if (k === K_WEEKEND || k === K_HOLIDAY) {
      if (explain) skipped.push(k === K_WEEKEND ? { date: dstr(i), reason: 'weekend' } : { date: dstr(i), reason: 'holiday', name: s.names.get(i) ?? '' });
      continue;
    }
    if (pauses.length) {
      let paused: string | null = null;
      for (const p of pauses) if (i > p.from && i <= p.to) paused = p.kind;
      if (paused !== null) {
        if (explain) skipped.push({ date: dstr(i), reason: 'pause', name: paused });
        continue;
      }
    }
    count++;
    if (explain) counted.push(dstr(i));
  }
  return { start, due: dstr(i), provisional, counted, skipped };
}

/** If `i` is not a working day, the next working day (民法典第二百零三条: a period ending on a holiday ends on the day after it). */
function rollForward(s: CalendarSnapshot, i: number, explain: boolean, skipped: SkippedDay[]): { i: number; provisional: boolean } {
  let provisional = s.provisional[i] === 1;
  while (s.kind[i] === K_WEEKEND || s.kind[i] === K_HOLIDAY) {
    if (explain) skipped.push({ date: dstr(i), reason: s.kind[i] === K_WEEKEND ? 'weekend' : 'holiday', ...(s.kind[i] === K_HOLIDAY ? { name: s.names.get(i) ?? '' } : {}) });
    i++;
    if (i >= SPAN) throw new RangeError('date outside the supported calendar range');
    if (s.provisional[i] === 1) provisional = true;
  }
  return { i, provisional };
}

export interface NaturalOptions extends ComputeOptions {
  /** Move a due date that falls on a weekend or holiday to the next working day (default true). */
  roll?: boolean;
}

/**
 * N natural (calendar) days after `start`; the start day is not counted. By default a last day
 * that is a weekend or holiday rolls forward to the next working day; the rolled-over days are
 * listed in `skipped`. Paused stretches add their natural days.
 */
export function addNaturalDays(start: string, n: number, opts: NaturalOptions = {}): DueResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('days must be a non-negative integer');
  const s = calendarSnapshot();
  const explain = opts.explain !== false;
  const i0 = req(start);
  let paused = 0;
  const skipped: SkippedDay[] = [];
  for (const p of pauseIndex(opts.pauses)) {
    for (let j = p.from + 1; j <= p.to; j++) if (explain) skipped.push({ date: dstr(j), reason: 'pause', name: p.kind });
    paused += Math.max(0, p.to - p.from);
  }
  const target = i0 + n + paused;
  if (target >= SPAN) throw new RangeError('date outside the supported calendar range');
  const counted: string[] = [];
  if (explain) for (let j = i0 + 1; j <= target; j++) if (!skipped.some((x) => x.date === dstr(j))) counted.push(dstr(j));
  const r = opts.roll === false || n === 0 ? { i: target, provisional: s.provisional[target] === 1 } : rollForward(s, target, explain, skipped);
  return { start, due: dstr(r.i), provisional: r.provisional, counted, skipped };
}

/**
 * N months after `start`: the same day of the month N months later, or that month's last day when
 * it has none (民法典第二百零二条); then rolled forward past weekends and holidays unless roll=false.
 */
export function addMonths(start: string, n: number, opts: NaturalOptions = {}): DueResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('months must be a non-negative integer');
  const i0 = req(start);
  const [y, m, d] = civilFromDays(BASE + i0);
  const total = m - 1 + n;
  const ty = y + Math.floor(total / 12);
  const tm = (total % 12) + 1;
  if (ty > MAX_YEAR) throw new RangeError('date outside the supported calendar range');
  const target = daysFromCivil(ty, tm, Math.min(d, daysInMonth(ty, tm))) - BASE;
  const r = addNaturalDays(start, target - i0, opts);
  return r;
}

/** Working days d with from < d <= to (0 when to <= from). */
export function workdaysBetween(from: string, to: string): number {
  const s = calendarSnapshot();
  const a = req(from);
  const b = req(to);
  let n = 0;
  for (let i = a + 1; i <= b; i++) if (s.kind[i] === K_WORK || s.kind[i] === K_MAKEUP_DAY) n++;
  return n;
}

/** The N-th working day before `date` (N >= 1), the mirror of addWorkdays. */
export function subtractWorkdays(date: string, n: number): string {
  const s = calendarSnapshot();
  let i = req(date);
  let c = 0;
  while (c < n) {
    i--;
    if (i < 0) throw new RangeError('date outside the supported calendar range');
    if (s.kind[i] === K_WORK || s.kind[i] === K_MAKEUP_DAY) c++;
  }
  return dstr(i);
}

/** Every non-ordinary day of a year (holidays and make-up working days) and whether its schedule is published. */
export function yearSchedule(year: number): { year: number; published: boolean; days: CalendarDay[] } {
  const s = calendarSnapshot();
  const days = s.data.days.filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
  return { year, published: s.published.has(year), days };
}

export function publishedYears(): number[] {
  return [...calendarSnapshot().published].sort((a, b) => a - b);
}

export { loadCalendar, ensureCalendar } from './store.js';
