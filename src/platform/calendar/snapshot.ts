// The working-day calendar's data: day numbers (dates as indexes into 1900–2299, arithmetic that
// never touches the process time zone) and the in-memory snapshot of the calendar tables that every
// computation reads (index.ts asks the questions; store.ts loads the tables into it).
import { SEED_SCHEDULES, type SeedDay } from './seed.js';

export type DayKind = 'holiday' | 'workday';

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

// ---- day numbers ----------------------------------------------------------------------------

/** Supported range: 1900-01-01 .. 2299-12-31. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2299;

/** Day number (days since 1970-01-01) of a civil date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date [year, month, day] of a day number. */
export function civilFromDays(z: number): [number, number, number] {
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

/** Day number of the first supported day (day index 0). */
export const BASE = daysFromCivil(MIN_YEAR, 1, 1);
/** Number of supported days (day indexes 0 … SPAN − 1). */
export const SPAN = daysFromCivil(MAX_YEAR + 1, 1, 1) - BASE;
const YEAR = new Int16Array(SPAN);
for (let i = 0; i < SPAN; i++) YEAR[i] = civilFromDays(BASE + i)[0];

// Date strings are made on first use and kept (building all 146,000 up front cost ~20 MB of RSS
// and start-up time for days nobody asks about).
const STR_CACHE: (string | undefined)[] = new Array(SPAN);
/** The 'YYYY-MM-DD' of a day index. */
export function dstr(i: number): string {
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

/** The day index of a date; RangeError when it is not a date in the supported range. */
export function req(date: string): number {
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

// ---- the snapshot -----------------------------------------------------------------------------

/** Day kinds in CalendarSnapshot.kind. */
export const K_WORK = 0;
export const K_WEEKEND = 1;
export const K_HOLIDAY = 2;
export const K_MAKEUP_DAY = 3;

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
