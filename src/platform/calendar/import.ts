// Parsing calendar files (JSON, CSV, iCalendar) into year schedules, with a validation report.
// Pure: the console page and `gongkai calendar import` show the report and then save.
import { dayIndex, weekday, type CalendarDay } from './index.js';
import { cleanLine } from '../text.js';
import { CsvSyntaxError, readCsv, type CsvTable } from '../files/csv.js';
import type { TextEncodingName } from '../files/encoding.js';

export type ImportFormat = 'json' | 'csv' | 'ics';

export interface ImportProblem {
  line?: number;
  date?: string;
  /** Message key (calendar.err.*) with params. */
  key: string;
  params?: Record<string, string | number>;
}

export interface ParsedCalendar {
  format: ImportFormat;
  years: { year: number; published: boolean; days: CalendarDay[] }[];
  errors: ImportProblem[];
  warnings: ImportProblem[];
  /** The encoding an uploaded file was read in (files/encoding.ts), shown in the report; absent for typed text. */
  encoding?: TextEncodingName;
}

export function detectFormat(text: string, filename = ''): ImportFormat {
  const f = filename.toLowerCase();
  if (f.endsWith('.ics') || /^\s*BEGIN:VCALENDAR/i.test(text)) return 'ics';
  if (f.endsWith('.json') || /^\s*[[{]/.test(text)) return 'json';
  return 'csv';
}

const WORKDAY_WORDS = /^(workday|work|makeup|make-up|makeup-day|makeupday|班|补班|上班|调休上班|工作日)$/i;
const HOLIDAY_WORDS = /^(holiday|off|rest|休|放假|休息|节假日|假日)$/i;

function kindOf(raw: string): 'holiday' | 'workday' | null {
  const s = raw.trim();
  if (WORKDAY_WORDS.test(s)) return 'workday';
  if (HOLIDAY_WORDS.test(s)) return 'holiday';
  return null;
}

interface Raw {
  line?: number;
  date: string;
  kind: string;
  name: string;
}

function parseJson(text: string, errors: ImportProblem[]): { raws: Raw[]; declared: Map<number, boolean> } {
  const raws: Raw[] = [];
  const declared = new Map<number, boolean>();
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    errors.push({ key: 'calendar.err.json' });
    return { raws, declared };
  }
  const blocks: any[] = Array.isArray(doc) ? doc : Array.isArray(doc?.years) ? doc.years : [doc];
  for (const b of blocks) {
    if (!b || typeof b !== 'object') {
      errors.push({ key: 'calendar.err.json_shape' });
      continue;
    }
    if (b.year !== undefined) {
      if (!Number.isInteger(b.year)) errors.push({ key: 'calendar.err.year', params: { year: String(b.year) } });
      else declared.set(b.year, b.published !== false);
    }
    const days: any[] = Array.isArray(b.days) ? b.days : [];
    if (!Array.isArray(b.days) && (b.date === undefined)) errors.push({ key: 'calendar.err.json_shape' });
    if (b.date !== undefined) days.push(b);
    for (const d of days) raws.push({ date: String(d?.date ?? ''), kind: String(d?.kind ?? d?.type ?? ''), name: String(d?.name ?? '') });
  }
  return { raws, declared };
}

function parseCsv(text: string, errors: ImportProblem[]): Raw[] {
  let t: CsvTable;
  try {
    // The platform's one CSV reader: comma or tab separated, quoted cells, '#' comment lines.
    t = readCsv(text, { comments: true });
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    errors.push({ line: err.line, key: 'err.file.csv_quote', params: { line: err.line } });
    return [];
  }
  const raws: Raw[] = [];
  t.rows.forEach((cells, i) => {
    const cols = cells.map((c) => c.trim());
    if (i === 0 && /^date$|^日期$/i.test(cols[0])) return; // header
    raws.push({ line: t.rowNumbers[i], date: cols[0] ?? '', kind: cols[1] ?? '', name: cols[2] ?? '' });
  });
  return raws;
}

function icsDate(v: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function parseIcs(text: string, errors: ImportProblem[]): Raw[] {
  const raws: Raw[] = [];
  // Unfold continuation lines (RFC 5545 §3.1).
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  let ev: Record<string, string> | null = null;
  let startLine = 0;
  lines.forEach((line, idx) => {
    if (/^BEGIN:VEVENT/i.test(line)) {
      ev = {};
      startLine = idx + 1;
      return;
    }
    if (/^END:VEVENT/i.test(line) && ev) {
      const e: Record<string, string> = ev;
      ev = null;
      const from = icsDate(e.DTSTART ?? '');
      if (!from) {
        errors.push({ line: startLine, key: 'calendar.err.ics_event' });
        return;
      }
      const summary = (e.SUMMARY ?? '').replace(/\\,/g, ',').replace(/\\n/gi, ' ').trim();
      let kind = e['X-GONGKAI-KIND'] ?? e.CATEGORIES ?? '';
      if (!kindOf(kind)) kind = /补班|上班|调休上班|班$|workday|make-?up/i.test(summary) ? 'workday' : 'holiday';
      const name = summary.replace(/[（(](休|班|补班)[)）]$/, '').trim();
      const toExcl = icsDate(e.DTEND ?? '');
      const a = dayIndex(from);
      const b = toExcl ? dayIndex(toExcl) : null;
      if (a === null) {
        raws.push({ line: startLine, date: from, kind, name });
        return;
      }
      const end = b !== null && b > a ? b : a + 1;
      if (end - a > 60) {
        errors.push({ line: startLine, date: from, key: 'calendar.err.ics_long' });
        return;
      }
      for (let i = a; i < end; i++) {
        const d = new Date(Date.UTC(1900, 0, 1) + i * 86400000).toISOString().slice(0, 10);
        raws.push({ line: startLine, date: d, kind, name });
      }
      return;
    }
    if (ev) {
      const m = /^([A-Z-]+)(;[^:]*)?:(.*)$/i.exec(line);
      if (m) (ev as Record<string, string>)[m[1].toUpperCase()] = m[3];
    }
  });
  return raws;
}

/** Parses a calendar file. Each year mentioned is replaced as a whole when saved. */
export function parseCalendar(text: string, format?: ImportFormat, filename?: string): ParsedCalendar {
  const fmt = format ?? detectFormat(text, filename);
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  let raws: Raw[] = [];
  let declared = new Map<number, boolean>();
  if (fmt === 'json') ({ raws, declared } = parseJson(text, errors));
  else if (fmt === 'csv') raws = parseCsv(text, errors);
  else raws = parseIcs(text, errors);

  const byDate = new Map<string, CalendarDay>();
  for (const r of raws) {
    const i = dayIndex(r.date);
    if (i === null) {
      errors.push({ line: r.line, date: r.date, key: 'calendar.err.date', params: { date: r.date.slice(0, 20) } });
      continue;
    }
    const kind = kindOf(r.kind);
    if (!kind) {
      errors.push({ line: r.line, date: r.date, key: 'calendar.err.kind', params: { kind: r.kind.slice(0, 20) } });
      continue;
    }
    const name = cleanLine(r.name).trim().slice(0, 50) || (kind === 'workday' ? '调休上班' : '节假日');
    const prev = byDate.get(r.date);
    if (prev && prev.kind !== kind) {
      errors.push({ line: r.line, date: r.date, key: 'calendar.err.conflict', params: { date: r.date } });
      continue;
    }
    const wd = weekday(r.date);
    const weekend = wd === 0 || wd === 6;
    if (kind === 'workday' && !weekend) warnings.push({ line: r.line, date: r.date, key: 'calendar.warn.makeup_weekday', params: { date: r.date } });
    byDate.set(r.date, { date: r.date, kind, name });
  }
  const years = new Map<number, CalendarDay[]>();
  for (const y of declared.keys()) years.set(y, []);
  for (const d of byDate.values()) {
    const y = Number(d.date.slice(0, 4));
    if (declared.size && !declared.has(y)) {
      errors.push({ date: d.date, key: 'calendar.err.outside_year', params: { date: d.date } });
      continue;
    }
    years.set(y, [...(years.get(y) ?? []), d]);
  }
  if (raws.length === 0 && errors.length === 0) errors.push({ key: 'calendar.err.empty' });
  const out = [...years.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([year, days]) => {
      days.sort((a, b) => a.date.localeCompare(b.date));
      if (!days.some((d) => d.kind === 'holiday')) warnings.push({ key: 'calendar.warn.no_holidays', params: { year } });
      return { year, published: declared.get(year) ?? true, days };
    });
  return { format: fmt, years: out, errors, warnings };
}

/** The calendar of one year as iCalendar text (for export and round trips). */
export function toIcs(year: number, days: CalendarDay[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//gongkai//calendar//ZH', `X-WR-CALNAME:${year}`];
  for (const d of days) {
    const ymd = d.date.replace(/-/g, '');
    lines.push('BEGIN:VEVENT', `UID:${ymd}-${d.kind}@gongkai`, `DTSTART;VALUE=DATE:${ymd}`, `SUMMARY:${d.name}`, `X-GONGKAI-KIND:${d.kind}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}
