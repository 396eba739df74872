// The working-day calendar: pure, synchronous computations over an in-memory snapshot of the
// calendar tables (statutory holidays and make-up working days per year). All dates are
// Asia/Shanghai calendar dates written 'YYYY-MM-DD'; the arithmetic works on day numbers and
// never on the process time zone. A year whose schedule has not been published falls back to
// weekends only, and every result that touched such a year is marked `provisional`.
import { SEED_SCHEDULES, type SeedDay } from './seed.js';

export type DayKind = 'holiday' | 'workday';
/** Why a day is (not) a working day: ordinary weekday, make-up working day (调休上班, glossary
 *  `makeupDay`), weekend, holiday, clock pause. */
export type DayReason = 'workday' | 'makeup-day' | 'weekend' | 'holiday' | 'pause';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
}
export interface CalendarYear {
  year: number;
  published: boolean;
}
export interface CalendarData {
  years: CalendarYear[];
  days: CalendarDay[];
}

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

// ---- day numbers ----------------------------------------------------------------------------

/** Supported range: 1900-01-01 .. 2299-12-31. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2299;

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [y + (m <= 2 ? 1 : 0), m, d];
}

const BASE = daysFromCivil(MIN_YEAR, 1, 1);
const SPAN = daysFromCivil(MAX_YEAR + 1, 1, 1) - BASE;
const YEAR = new Int16Array(SPAN);
for (let i = 0; i < SPAN; i++) YEAR[i] = civilFromDays(BASE + i)[0];

// Date strings are made on first use and kept (building all 146,000 up front cost ~20 MB of RSS
// and start-up time for days nobody asks about).
const STR_CACHE: (string | undefined)[] = new Array(SPAN);
function dstr(i: number): string {
  let s = STR_CACHE[i];
  if (s === undefined) {
    const [y, m, d] = civilFromDays(BASE + i);
    s = STR_CACHE[i] = `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  }
  return s;
}

export function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** The day index of a 'YYYY-MM-DD' date, or null when it is not a real date in the supported range. */
export function dayIndex(date: unknown): number | null {
  if (typeof date !== 'string' || date.length !== 10) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d) - BASE;
}

export function isValidDate(date: unknown): date is string {
  return dayIndex(date) !== null;
}

function req(date: string): number {
  const i = dayIndex(date);
  if (i === null) throw new RangeError(`not a date in ${MIN_YEAR}..${MAX_YEAR}: ${String(date)}`);
  return i;
}

function str(i: number): string {
  if (i < 0 || i >= SPAN) throw new RangeError('date outside the supported calendar range');
  return dstr(i);
}

/** Adds calendar days to a date (no working-day logic). */
export function plusDays(date: string, n: number): string {
  return str(req(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return ((BASE + req(date) + 4) % 7 + 7) % 7;
}

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving) whatever the process time zone. */
export function todayShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// ---- the snapshot -----------------------------------------------------------------------------

const K_WORK = 0;
const K_WEEKEND = 1;
const K_HOLIDAY = 2;
const K_MAKEUP_DAY = 3;

export interface CalendarSnapshot {
  data: CalendarData;
  /** Per day: 0 workday, 1 weekend, 2 holiday, 3 make-up working day. */
  kind: Uint8Array;
  /** Per day: 1 when the day's year has no published schedule. */
  provisional: Uint8Array;
  names: Map<number, string>;
  published: Set<number>;
  /** True once loaded from the database (false = the built-in seed, before the first load). */
  loaded: boolean;
  loadedAt: number;
}

export function buildSnapshot(data: CalendarData, loaded = true): CalendarSnapshot {
  const kind = new Uint8Array(SPAN);
  const provisional = new Uint8Array(SPAN);
  const published = new Set(data.years.filter((y) => y.published).map((y) => y.year));
  for (let i = 0; i < SPAN; i++) {
    const wd = ((BASE + i + 4) % 7 + 7) % 7;
    kind[i] = wd === 0 || wd === 6 ? K_WEEKEND : K_WORK;
    provisional[i] = published.has(YEAR[i]) ? 0 : 1;
  }
  const names = new Map<number, string>();
  for (const d of data.days) {
    const i = dayIndex(d.date);
    if (i === null) continue;
    // Days of an unpublished year are kept as drafts: they do not count until published.
    if (!published.has(YEAR[i])) continue;
    kind[i] = d.kind === 'holiday' ? K_HOLIDAY : K_MAKEUP_DAY;
    names.set(i, d.name);
  }
  return { data, kind, provisional, names, published, loaded, loadedAt: Date.now() };
}

export function seedData(): CalendarData {
  const days: SeedDay[] = Object.values(SEED_SCHEDULES).flat();
  return { years: Object.keys(SEED_SCHEDULES).map((y) => ({ year: Number(y), published: true })), days };
}

let snap: CalendarSnapshot = buildSnapshot(seedData(), false);

/** Replaces the in-memory calendar (the loader in ./store.ts calls this after reading the tables). */
export function setCalendar(s: CalendarSnapshot): void {
  snap = s;
}

export function calendarSnapshot(): CalendarSnapshot {
  return snap;
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
  return infoAt(snap, req(date));
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
  const s = snap;
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
  const s = snap;
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
  const s = snap;
  const a = req(from);
  const b = req(to);
  let n = 0;
  for (let i = a + 1; i <= b; i++) if (s.kind[i] === K_WORK || s.kind[i] === K_MAKEUP_DAY) n++;
  return n;
}

/** The N-th working day before `date` (N >= 1), the mirror of addWorkdays. */
export function subtractWorkdays(date: string, n: number): string {
  const s = snap;
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
  const s = snap;
  const days = s.data.days.filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
  return { year, published: s.published.has(year), days };
}

export function publishedYears(): number[] {
  return [...snap.published].sort((a, b) => a - b);
}

export { loadCalendar, ensureCalendar } from './store.js';
