// Parsing calendar files (JSON, CSV, iCalendar) into year schedules, with a validation report.
// Pure: the console page and `gongkai calendar import` show the report (every day understood)
// and save only when asked. iCalendar is read and written in ics.ts.
import { createHash } from 'node:crypto';
import { dayIndex, weekday, type CalendarDay } from './index.js';
import { cleanLine } from '../text.js';
import { decodeText, type TextEncodingName } from '../files/encoding.js';
import { CsvSyntaxError, readCsv, type CsvTable } from '../files/csv.js';
import { readIcs } from './ics.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import type { ImportReply, ImportRequest } from './import-worker.js';
import { kindOf } from './kinds.js';

export { toIcs, type IcsExportOptions } from './ics.js';

export type ImportFormat = 'json' | 'csv' | 'ics';

export interface ImportProblem {
  line?: number;
  date?: string;
  /** Message key (calendar.err.*) with params. */
  key: string;
  params?: Record<string, string | number>;
}

/** A day as understood from the file, with where it came from (for the preview). */
export interface ImportedDay extends CalendarDay {
  /** The line of the CSV row or of the iCalendar event's BEGIN:VEVENT. */
  line?: number;
  /** The iCalendar event's SUMMARY as written. */
  source?: string;
  /** Expanded from a recurring event (RRULE/RDATE). */
  recurring?: boolean;
}

export interface ParsedCalendar {
  format: ImportFormat;
  /** How the bytes were decoded (absent when text was given). */
  encoding?: TextEncodingName;
  years: { year: number; published: boolean; days: ImportedDay[] }[];
  errors: ImportProblem[];
  warnings: ImportProblem[];
}

export function detectFormat(text: string, filename = ''): ImportFormat {
  const f = filename.toLowerCase();
  if (f.endsWith('.ics') || /^\s*BEGIN:VCALENDAR/i.test(text)) return 'ics';
  if (f.endsWith('.json') || /^\s*[[{]/.test(text)) return 'json';
  return 'csv';
}

interface Raw {
  line?: number;
  date: string;
  kind: string;
  name: string;
  source?: string;
  recurring?: boolean;
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

/**
 * Parses a calendar file (bytes are decoded by decodeText: UTF-8 with or without BOM, UTF-16,
 * else GB18030, and the report names the encoding). Each year mentioned is replaced as a whole
 * when saved.
 */
export function parseCalendar(input: string | Uint8Array, format?: ImportFormat, filename?: string): ParsedCalendar {
  let text: string;
  let encoding: TextEncodingName | undefined;
  if (typeof input === 'string') text = input;
  else ({ text, encoding } = decodeText(input));
  const fmt = format ?? detectFormat(text, filename);
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  let raws: Raw[] = [];
  let declared = new Map<number, boolean>();
  if (fmt === 'json') ({ raws, declared } = parseJson(text, errors));
  else if (fmt === 'csv') raws = parseCsv(text, errors);
  else {
    const ics = readIcs(text, errors, warnings);
    raws = ics.days;
    for (const y of ics.declared) declared.set(y, true);
  }

  const byDate = new Map<string, ImportedDay>();
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
    byDate.set(r.date, { date: r.date, kind, name, ...(r.line !== undefined ? { line: r.line } : {}), ...(r.source !== undefined ? { source: r.source } : {}), ...(r.recurring ? { recurring: true } : {}) });
  }
  const years = new Map<number, ImportedDay[]>();
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
  return { format: fmt, ...(encoding ? { encoding } : {}), years: out, errors, warnings };
}

/** A fingerprint of what a report would save: the console's confirmation saves only what was previewed. */
export function reportDigest(r: ParsedCalendar): string {
  const what = r.years.map((y) => [y.year, y.published, y.days.map((d) => [d.date, d.kind, d.name])]);
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32);
}

/** How long an iCalendar file may take to read and expand (counted once its thread is ready). */
export const RECURRENCE_TIMEOUT_MS = 10_000;
const IDLE_MS = 60_000;

/** One ready thread kept for the next file for a minute; it never keeps the process alive. */
let idle: { worker: Worker; timer: NodeJS.Timeout } | null = null;

function readyWorker(): Promise<Worker> {
  if (idle) {
    const { worker, timer } = idle;
    idle = null;
    clearTimeout(timer);
    worker.ref();
    return Promise.resolve(worker);
  }
  return new Promise((resolve, reject) => {
    const worker = startWorker(import.meta.url, 'import-worker', { resourceLimits: { maxOldGenerationSizeMb: 256 } });
    const fail = (err: Error) => reject(err);
    worker.once('error', fail);
    worker.once('message', (m: ImportReply) => {
      worker.off('error', fail);
      if ('ready' in m) resolve(worker);
      else reject(new Error('calendar import worker: unexpected message'));
    });
  });
}

function release(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = { worker, timer: setTimeout(() => { if (idle?.worker === worker) idle = null; void worker.terminate(); }, IDLE_MS).unref() };
}

/**
 * parseCalendar, bounded in time: an iCalendar file is parsed in a worker thread that is
 * terminated after `timeoutMs`, with an error in the report; JSON and CSV are parsed here.
 */
export async function parseCalendarGuarded(input: string | Uint8Array, format?: ImportFormat, filename?: string, timeoutMs = RECURRENCE_TIMEOUT_MS): Promise<ParsedCalendar> {
  const text = typeof input === 'string' ? input : decodeText(input).text;
  // Every iCalendar file, not only those with recurrences: ical.js also works month by month
  // through a DURATION (P10000000000D is half a minute of it).
  if ((format ?? detectFormat(text, filename)) !== 'ics') return parseCalendar(input, format, filename);
  const worker = await readyWorker();
  const timedOut = (): ParsedCalendar => ({ format: 'ics', ...(typeof input === 'string' ? {} : { encoding: decodeText(input).encoding }), years: [], errors: [{ key: 'calendar.err.ics_timeout', params: { seconds: Math.ceil(timeoutMs / 1000) } }], warnings: [] });
  return new Promise<ParsedCalendar>((resolve, reject) => {
    const finish = (keep: boolean, fn: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keep) release(worker);
      else void worker.terminate();
      fn();
    };
    const onMessage = (m: ImportReply) => {
      if ('ready' in m) return;
      if (m.ok) finish(true, () => resolve(m.report));
      else finish(true, () => reject(new Error(m.message)));
    };
    const onError = (err: Error & { code?: string }) => finish(false, () => (err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve(timedOut()) : reject(err)));
    const onExit = () => finish(false, () => reject(new Error('calendar import worker exited')));
    const timer = setTimeout(() => finish(false, () => resolve(timedOut())), timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ input, format, filename } satisfies ImportRequest);
  });
}
