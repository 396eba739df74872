// Dates shown or encoded are Asia/Shanghai ones (UTC+8, no daylight saving), whatever the process
// time zone: stored moments are ISO strings in UTC ('…Z'), so their first ten characters are the
// UTC date — eight hours behind Beijing every evening. These turn a stored moment into what a
// reader in China expects, with the calendar's and the deadline engine's Asia/Shanghai helpers.
import { todayShanghai } from './calendar/index.js';
import { nowShanghai } from './deadlines/due.js';

/** A moment with its offset (…Z, …+08:00); plain dates and wall times have none. */
const INSTANT = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function instant(s: string): Date | null {
  if (!INSTANT.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The Asia/Shanghai date (YYYY-MM-DD) of a stored moment; a plain date is returned as it is. */
export function shanghaiDate(s: string | null | undefined): string {
  if (!s) return '';
  const d = instant(s);
  return d ? todayShanghai(d) : s.slice(0, 10);
}

/** The Asia/Shanghai date and time (YYYY-MM-DD HH:MM, or with seconds) of a stored moment. */
export function shanghaiDateTime(s: string | null | undefined, seconds = false): string {
  if (!s) return '';
  const d = instant(s);
  if (seconds) return (d ? new Date(d.getTime() + 8 * 3600_000).toISOString() : s).slice(0, 19).replace('T', ' ');
  return (d ? nowShanghai(d) : s.slice(0, 16)).replace('T', ' ');
}

/** The Asia/Shanghai year of a moment (索引号, the year of first publication). */
export function shanghaiYear(d: Date): number {
  return Number(todayShanghai(d).slice(0, 4));
}

/** The stored form (UTC ISO) of 00:00 Beijing time on a date: where that day starts, for filters on stored moments. */
export function shanghaiDayStart(date: string): string {
  const t = Date.parse(`${date}T00:00:00+08:00`);
  return Number.isNaN(t) ? date : new Date(t).toISOString(); // no such day: compared as text
}

/** The stored form of 00:00 Beijing time on the day after a date: where that day ends (exclusive). */
export function shanghaiDayEnd(date: string): string {
  const t = Date.parse(`${date}T00:00:00+08:00`);
  return Number.isNaN(t) ? `${date}T99` : new Date(t + 86400_000).toISOString();
}

/** A stored moment as a W3C date-time in Beijing time (2026-05-10T09:30:00+08:00): sitemaps' lastmod. */
export function shanghaiW3c(s: string | null | undefined): string {
  if (!s) return '';
  const d = instant(s);
  if (!d) return /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : '';
  return `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}
