// iCalendar (RFC 5545) in and out of the working-day calendar: read with ical.js, written with
// ical-generator. Every DATE-TIME becomes an Asia/Shanghai date (UTC+8, as everywhere here):
// `…Z` times are converted, TZID'd times through the file's VTIMEZONE (or the IANA zone, or the
// Windows name Outlook writes), floating times are taken as Beijing local time. All-day
// (VALUE=DATE) events keep their dates; DTEND is exclusive, DURATION is honoured, and an event
// covers every day it touches. RRULE/RDATE/EXDATE recurrences (and RECURRENCE-ID overrides) are
// expanded within the import's years, bounded so that a hostile rule cannot run for long.
import ICAL from 'ical.js';
import ical, { ICalEventTransparency } from 'ical-generator';
import { MAX_YEAR, MIN_YEAR, type CalendarDay } from './snapshot.js';
import type { ImportProblem } from './import.js';
import { kindOf } from './kinds.js';

/** One day an event covers, before the common validation of parseCalendar. */
export interface IcsDay {
  line?: number;
  date: string;
  kind: string;
  name: string;
  /** The event's SUMMARY as written (unescaped), to show where a day came from. */
  source: string;
  recurring: boolean;
}

export interface IcsResult {
  days: IcsDay[];
  /** Years declared with X-GONGKAI-YEAR on the VCALENDAR (the export writes it). */
  declared: number[];
}

/** Occurrences looked at per recurring event, and over the whole file (before, in and after the years). */
export const MAX_OCCURRENCES_PER_EVENT = 2000;
export const MAX_OCCURRENCES_PER_FILE = 20000;
/** An event (or one occurrence) longer than this is refused: a holiday stretch is a few days. */
export const MAX_EVENT_DAYS = 60;

const DAY_MS = 86400_000;
const BEIJING_MS = 8 * 3600_000;

const WORKDAY_SUMMARY = /补班|上班|调休上班|[(（]班[)）]|班$|workday|working day|make-?up/i;
const HOLIDAY_SUMMARY = /[(（](休|假)[)）]|放假|休息/;

/** Outlook writes Windows zone names; the few a Chinese government file meets, else the "(UTC+08:00) …" form. */
const WINDOWS_ZONES: Record<string, string> = {
  'china standard time': 'Asia/Shanghai',
  'taipei standard time': 'Asia/Taipei',
  'singapore standard time': 'Asia/Singapore',
  'tokyo standard time': 'Asia/Tokyo',
  'korea standard time': 'Asia/Seoul',
  'utc': 'UTC',
  'gmt standard time': 'Europe/London',
  'w. europe standard time': 'Europe/Berlin',
  'eastern standard time': 'America/New_York',
  'pacific standard time': 'America/Los_Angeles',
};

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function ymd(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** The UTC offset (ms) of an IANA zone at an instant, through Intl. */
function zoneOffset(zone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(t));
  const v = (k: string) => Number(parts.find((p) => p.type === k)?.value ?? 0);
  return Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - Math.floor(t / 1000) * 1000;
}

/** How to turn a wall time written with this TZID into an instant: an IANA zone, a fixed offset, or unknown. */
function resolveTzid(tzid: string): { zone?: string; offset?: number } | null {
  const fixed = /^\(?(?:UTC|GMT)\s*([+-])(\d{1,2}):?(\d{2})?\)?/i.exec(tzid.trim());
  if (fixed) return { offset: (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000 };
  const name = WINDOWS_ZONES[tzid.trim().toLowerCase()] ?? tzid.trim().replace(/^\//, '');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return { zone: name };
  } catch {
    return null;
  }
}

interface Local {
  date: string;
  /** HH:MM:SS in Beijing, null for a DATE value. */
  time: string | null;
  /** What was written, for warnings: '2026-12-31 16:00:00' and its zone ('UTC', a TZID, or '' when floating). */
  written: string;
  zone: string;
  /** True when the TZID could not be resolved and the wall time was taken as Beijing time. */
  unknownZone: boolean;
}

/** The Asia/Shanghai date (and time) of an ical.js time written with the given TZID parameter. */
function toBeijing(t: ICAL.Time, tzid: string | null): Local {
  const written = `${ymd(t.year, t.month, t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  if (t.isDate) return { date: ymd(t.year, t.month, t.day), time: null, written: ymd(t.year, t.month, t.day), zone: '', unknownZone: false };
  let instant: number | null = null;
  let unknownZone = false;
  const zone = t.zone;
  let zoneName = '';
  if (zone && zone.tzid === 'UTC') {
    instant = t.toUnixTime() * 1000;
    zoneName = 'UTC';
  } else if (zone && zone.component) {
    // Defined by a VTIMEZONE in the file (Outlook's "China Standard Time", Apple's "Asia/Shanghai").
    instant = t.toUnixTime() * 1000;
    zoneName = zone.tzid;
  } else if (tzid) {
    zoneName = tzid;
    const r = resolveTzid(tzid);
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    if (r?.offset !== undefined) instant = wall - r.offset;
    else if (r?.zone) {
      const o1 = zoneOffset(r.zone, wall);
      const o2 = zoneOffset(r.zone, wall - o1);
      instant = wall - o2;
    } else unknownZone = true;
  }
  if (instant === null) {
    // Floating (no zone) or an unknown zone: the wall time is Beijing time.
    return { date: ymd(t.year, t.month, t.day), time: `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`, written, zone: zoneName, unknownZone };
  }
  const iso = new Date(instant + BEIJING_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), written, zone: zoneName, unknownZone };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Holiday or make-up working day, from our own property, Apple's, the summary's markers, CATEGORIES, DESCRIPTION. */
function kindOfEvent(comp: ICAL.Component, summary: string): string {
  const own = comp.getFirstPropertyValue('x-gongkai-kind');
  if (typeof own === 'string' && own.trim()) return own.trim();
  const apple = String(comp.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase();
  if (apple === 'ALTERNATE-WORKDAY') return 'workday';
  if (apple === 'WORK-HOLIDAY') return 'holiday';
  if (WORKDAY_SUMMARY.test(summary)) return 'workday';
  if (HOLIDAY_SUMMARY.test(summary)) return 'holiday';
  const words = [...comp.getAllProperties('categories').flatMap((p) => p.getValues().map(String)), String(comp.getFirstPropertyValue('description') ?? '')].map((s) => s.trim());
  if (words.some((w) => kindOf(w) === 'workday')) return 'workday';
  return 'holiday';
}

function nameOf(summary: string): string {
  return summary.replace(/\s*[（(](休|假|班|补班|上班|holiday|workday)[)）]\s*$/i, '').trim();
}

/** The physical line (1-based) of each BEGIN:VEVENT, in file order (ical.js keeps that order). */
function eventLines(text: string): number[] {
  const out: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(l)) out.push(i + 1);
  });
  return out;
}

/** Where ical.js's parse error is: the first content line it cannot read on its own. */
function syntaxError(text: string, err: unknown): ImportProblem {
  const detail = String((err as Error)?.message ?? err).slice(0, 200);
  const physical = text.split(/\r\n|\n|\r/);
  let start = 0;
  let logical = '';
  const check = (line: string, at: number): ImportProblem | null => {
    if (!line.trim() || /^(BEGIN|END):/i.test(line)) return null;
    try {
      ICAL.parse.property(line);
      return null;
    } catch (e) {
      return { line: at, key: 'calendar.err.ics_syntax', params: { detail: String((e as Error)?.message ?? e).slice(0, 200) } };
    }
  };
  for (let i = 0; i < physical.length; i++) {
    const l = physical[i];
    if (/^[ \t]/.test(l) && i > 0) {
      logical += l.slice(1);
      continue;
    }
    const bad = i > 0 ? check(logical, start + 1) : null;
    if (bad) return bad;
    logical = l;
    start = i;
  }
  return check(logical, start + 1) ?? { key: 'calendar.err.ics_syntax', params: { detail } };
}

function quoted(summary: string): string {
  return `“${summary.slice(0, 40) || 'VEVENT'}”`;
}

/**
 * Reads an iCalendar file into the days its events cover. The years a recurrence is expanded in:
 * those declared with X-GONGKAI-YEAR, else those of the file's single (non-recurring) events, else
 * those where the recurring events start.
 */
export function readIcs(text: string, errors: ImportProblem[], warnings: ImportProblem[]): IcsResult {
  const days: IcsDay[] = [];
  const declared: number[] = [];
  let jcal: any;
  text = text.replace(/^\uFEFF/, '');
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    errors.push(syntaxError(text, err));
    return { days, declared };
  }
  const roots: ICAL.Component[] = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]).map((j: any) => new ICAL.Component(j));
  const lines = eventLines(text);
  const vevents: ICAL.Component[] = [];
  for (const root of roots) {
    if (root.name === 'vevent') vevents.push(root);
    else {
      for (const p of root.getAllProperties('x-gongkai-year')) {
        for (const v of String(p.getFirstValue() ?? '').split(',')) {
          if (/^\s*\d{4}\s*$/.test(v) && Number(v) >= MIN_YEAR && Number(v) <= MAX_YEAR) declared.push(Number(v));
          else errors.push({ key: 'calendar.err.year', params: { year: v.trim().slice(0, 20) } });
        }
      }
      vevents.push(...root.getAllSubcomponents('vevent'));
    }
  }
  const lineOf = new Map<ICAL.Component, number>();
  if (lines.length === vevents.length) vevents.forEach((c, i) => lineOf.set(c, lines[i]));

  // Overrides of single occurrences (RECURRENCE-ID) belong to the recurring event with the same UID.
  const uid = (c: ICAL.Component) => String(c.getFirstPropertyValue('uid') ?? '');
  const isMaster = (c: ICAL.Component) => !c.hasProperty('recurrence-id') && (c.hasProperty('rrule') || c.hasProperty('rdate'));
  const masters = new Map<string, ICAL.Component>();
  for (const c of vevents) if (isMaster(c) && uid(c)) masters.set(uid(c), c);
  const exceptions = new Map<ICAL.Component, ICAL.Component[]>();
  const singles: ICAL.Component[] = [];
  const recurring: ICAL.Component[] = [];
  for (const c of vevents) {
    const master = c.hasProperty('recurrence-id') ? masters.get(uid(c)) : undefined;
    if (master) exceptions.set(master, [...(exceptions.get(master) ?? []), c]);
    else if (isMaster(c)) recurring.push(c);
    else singles.push(c);
  }

  /** The days one occurrence covers and the warnings its times call for; null (and an error) when too long. */
  const cover = (item: ICAL.Event, start: ICAL.Time, end: ICAL.Time, line: number | undefined, summary: string): { dates: string[]; notes: ImportProblem[] } | null => {
    const startTz = item.component.getFirstProperty('dtstart')?.getParameter('tzid');
    const endTz = item.component.getFirstProperty('dtend')?.getParameter('tzid') ?? startTz;
    const a = toBeijing(start, typeof startTz === 'string' ? startTz : null);
    const b = toBeijing(end, typeof endTz === 'string' ? endTz : null);
    const event = quoted(summary);
    const notes: ImportProblem[] = [];
    if (a.unknownZone) notes.push({ line, date: a.date, key: 'calendar.warn.ics_unknown_tz', params: { event, zone: a.zone.slice(0, 60) } });
    if (a.time !== null) {
      const local = `${a.date} ${a.time.slice(0, 5)}`;
      if (a.zone && !a.unknownZone && a.written.slice(0, 10) !== a.date) notes.push({ line, date: a.date, key: 'calendar.warn.ics_converted', params: { event, written: a.written.slice(0, 16), zone: a.zone.slice(0, 60), local, date: a.date } });
      if (a.time !== '00:00:00') notes.push({ line, date: a.date, key: 'calendar.warn.ics_not_midnight', params: { event, local, date: a.date } });
    }
    // DTEND is exclusive: a DATE end or a midnight end is the first day not covered.
    let until = b.time === null || b.time === '00:00:00' ? b.date : addDays(b.date, 1);
    if (until <= a.date) until = addDays(a.date, 1);
    const n = daysBetween(a.date, until);
    if (!Number.isFinite(n) || n > MAX_EVENT_DAYS) {
      errors.push({ line, date: a.date, key: 'calendar.err.ics_long', params: { event, max: MAX_EVENT_DAYS } });
      return null;
    }
    return { dates: Array.from({ length: n }, (_, i) => addDays(a.date, i)), notes };
  };

  const push = (comp: ICAL.Component, dates: string[], line: number | undefined, isRecurring: boolean) => {
    const summary = String(comp.getFirstPropertyValue('summary') ?? '').trim();
    const kind = kindOfEvent(comp, summary);
    for (const date of dates) days.push({ line, date, kind, name: nameOf(summary), source: summary.slice(0, 80), recurring: isRecurring });
  };
  const summaryOf = (c: ICAL.Component) => String(c.getFirstPropertyValue('summary') ?? '').trim();
  const cancelled = (c: ICAL.Component) => String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
  const invalid = (line: number | undefined, summary: string, err: unknown) =>
    errors.push({ line, key: 'calendar.err.ics_invalid', params: { event: quoted(summary), detail: String((err as Error)?.message ?? err).slice(0, 200) } });

  const singleYears = new Set<number>();
  for (const c of singles) {
    const line = lineOf.get(c);
    const summary = summaryOf(c);
    if (cancelled(c)) {
      warnings.push({ line, key: 'calendar.warn.ics_cancelled', params: { event: quoted(summary) } });
      continue;
    }
    try {
      const ev = new ICAL.Event(c);
      if (!ev.startDate) {
        errors.push({ line, key: 'calendar.err.ics_event' });
        continue;
      }
      const r = cover(ev, ev.startDate, ev.endDate, line, summary);
      if (!r) continue;
      warnings.push(...r.notes);
      for (const d of r.dates) singleYears.add(Number(d.slice(0, 4)));
      push(c, r.dates, line, false);
    } catch (err) {
      invalid(line, summary, err);
    }
  }

  // The years recurrences are expanded in.
  let scope = declared.length ? [...new Set(declared)] : [...singleYears];
  if (!scope.length && recurring.length) {
    const firsts = new Set<number>();
    for (const c of recurring) {
      try {
        const ev = new ICAL.Event(c);
        if (ev.startDate) firsts.add(Number(toBeijing(ev.startDate, null).date.slice(0, 4)));
      } catch {
        // reported below
      }
    }
    scope = [...firsts];
    if (scope.length) warnings.push({ key: 'calendar.warn.ics_scope_recurring', params: { years: scope.sort((x, y) => x - y).join('、') } });
  }
  scope.sort((x, y) => x - y);
  const inScope = new Set(scope);
  const lastDay = scope.length ? `${scope[scope.length - 1]}-12-31` : '';
  let budget = MAX_OCCURRENCES_PER_FILE;

  for (const c of recurring) {
    const line = lineOf.get(c);
    const summary = summaryOf(c);
    const event = quoted(summary);
    if (cancelled(c)) {
      warnings.push({ line, key: 'calendar.warn.ics_cancelled', params: { event } });
      continue;
    }
    try {
      const ev = new ICAL.Event(c, { exceptions: exceptions.get(c) ?? [] });
      if (!ev.startDate) {
        errors.push({ line, key: 'calendar.err.ics_event' });
        continue;
      }
      const it = ev.iterator();
      const found = new Set<string>();
      let looked = 0;
      let failed = false;
      let finished = false;
      while (looked < MAX_OCCURRENCES_PER_EVENT && budget > 0) {
        const t = it.next();
        if (!t) {
          finished = true;
          break;
        }
        looked++;
        budget--;
        const occ = ev.getOccurrenceDetails(t);
        const oc = occ.item.component;
        const oline = lineOf.get(oc) ?? line;
        const r = cover(occ.item, occ.startDate, occ.endDate, oline, summaryOf(oc));
        if (!r) {
          failed = true;
          break;
        }
        if (r.dates[0] > lastDay) {
          finished = true;
          break;
        }
        const kept = r.dates.filter((d) => inScope.has(Number(d.slice(0, 4))));
        if (!kept.length) continue;
        if (cancelled(oc)) {
          warnings.push({ line: oline, date: kept[0], key: 'calendar.warn.ics_cancelled', params: { event: quoted(summaryOf(oc)) } });
          continue;
        }
        warnings.push(...r.notes);
        for (const d of kept) found.add(d);
        push(oc, kept, oline, true);
      }
      if (failed) continue;
      if (!finished) {
        errors.push({ line, key: 'calendar.err.ics_recur_limit', params: { event, max: budget > 0 ? MAX_OCCURRENCES_PER_EVENT : MAX_OCCURRENCES_PER_FILE } });
        continue;
      }
      const rule = String(c.getFirstPropertyValue('rrule')?.toString() ?? 'RDATE').slice(0, 80);
      warnings.push({ line, key: found.size ? 'calendar.warn.ics_recurrence' : 'calendar.warn.ics_recurrence_none', params: { event, rule, n: found.size, years: scope.join('、') } });
    } catch (err) {
      invalid(line, summary, err);
    }
  }
  return { days, declared: [...new Set(declared)] };
}

export interface IcsExportOptions {
  /** The installation's public base URL: its host makes the UIDs unique per site. */
  baseUrl: string;
  /** 政府网站标识码, when set: part of the UIDs too (two sites behind one host stay apart). */
  siteCode?: string;
  /** The calendar's name (X-WR-CALNAME / NAME). */
  name?: string;
  /** DTSTAMP of every event (default now). */
  now?: Date;
}

/** The host part of a UID: the base URL's host name, with the port when there is one. */
function uidDomain(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return (u.port ? `${u.hostname}-${u.port}` : u.hostname).replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * The calendar of one year as iCalendar: one all-day event (VALUE=DATE, exclusive DTEND) per day,
 * with X-GONGKAI-KIND, CATEGORIES and X-APPLE-SPECIAL-DAY so that other programs and this import
 * read the kind back; X-GONGKAI-YEAR so that an empty year round-trips; UIDs unique per site.
 */
export function toIcs(year: number, days: CalendarDay[], opts: IcsExportOptions): string {
  const cal = ical({ prodId: { company: 'gongkai', product: 'calendar', language: 'ZH' }, name: opts.name ?? `${year}` });
  // The zone by name only: ical-generator writes floating DTSTAMPs when the calendar has a timezone.
  cal.x([
    ['X-WR-TIMEZONE', 'Asia/Shanghai'],
    ['X-GONGKAI-YEAR', String(year)],
  ]);
  const domain = uidDomain(opts.baseUrl);
  const site = (opts.siteCode ?? '').replace(/[^A-Za-z0-9]/g, '');
  const stamp = opts.now ?? new Date();
  for (const d of days) {
    const next = addDays(d.date, 1);
    cal.createEvent({
      id: `${d.date.replace(/-/g, '')}-${d.kind}${site ? `-${site}` : ''}@${domain}`,
      start: d.date,
      end: next,
      allDay: true,
      stamp,
      summary: d.name,
      categories: [{ name: d.kind === 'workday' ? '调休上班' : '放假' }],
      transparency: d.kind === 'workday' ? ICalEventTransparency.OPAQUE : ICalEventTransparency.TRANSPARENT,
      x: [
        ['X-GONGKAI-KIND', d.kind],
        ['X-APPLE-SPECIAL-DAY', d.kind === 'workday' ? 'ALTERNATE-WORKDAY' : 'WORK-HOLIDAY'],
      ],
    });
  }
  // Every content line ends with CRLF, the last one too (RFC 5545 §3.1).
  return cal.toString().replace(/(\r\n)?$/, '\r\n');
}
