// CSV for imports and exports. Reading is csv-parse's (RFC 4180: quotes, doubled quotes, CRLF,
// line breaks in cells), with the leniency office files need; bytes are decoded first by
// encoding.ts (table.ts puts the two together for importers).
import { CsvError, parse } from 'csv-parse/sync';
import { cleanText } from '../text.js';

export interface CsvOptions {
  /** Lines starting with '#' are comments (the calendar's hand-written files). */
  comments?: boolean;
}

export interface CsvTable {
  rows: string[][];
  /**
   * Each row's number as a spreadsheet program shows the file (1-based): every line counts, blank
   * and comment lines too, except the continuation lines of a cell holding line breaks. It is the
   * line number in a text editor whenever no cell before holds a line break.
   */
  rowNumbers: number[];
  delimiter: ',' | '\t';
}

/** Malformed quoting (a quoted cell never closed): `line` is the row it starts on (as rowNumbers counts). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`CSV: a quoted cell starting on row ${line} is not closed`);
  }
}

/**
 * Reads CSV text into rows of cells. A BOM is tolerated; line breaks (CRLF, LF, CR) all count as
 * one; blank rows (only empty cells) are dropped; rows may have any number of cells; a quote
 * inside an unquoted cell is kept as written (as Excel reads it); the apostrophe an export puts
 * before a formula-like text ('=…, '+…, '-…, '@…) is taken off. Cells come without control
 * characters (tab and line feed kept) or bidi overrides (platform/text.ts). The delimiter is a
 * comma, or a tab when the first line has tabs and no comma (a table copied out of a
 * spreadsheet, or Excel's "Unicode text"). Throws CsvSyntaxError for a quote never closed.
 */
export function readCsv(text: string, opts: CsvOptions = {}): CsvTable {
  const s = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const comment = (l: string) => !!opts.comments && l.startsWith('#');
  const first = s.split('\n', 200).find((l) => l.trim() !== '' && !comment(l)) ?? '';
  const bare = first.replace(/"[^"]*("|$)/g, '');
  const delimiter = bare.includes('\t') && !bare.includes(',') ? '\t' : ',';
  const options = {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true as const,
    ...(opts.comments ? { comment: '#', comment_no_infix: true } : {}),
  };
  type Rec = { record: string[]; info: { lines: number } };
  const breaks = (r: string[]) => r.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
  let records: Rec[];
  try {
    records = parse(s, options) as unknown as Rec[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const done = Number((err as CsvError & { records?: number }).records) || 0;
    // The unclosed cell starts on the first line after the last complete record that holds anything.
    const before = done ? (parse(s, { ...options, to: done }) as unknown as Rec[]) : [];
    const lines = s.split('\n');
    let k = before.at(-1)?.info.lines ?? 0;
    while (k < lines.length - 1 && (lines[k].trim() === '' || comment(lines[k]))) k++;
    throw new CsvSyntaxError(k + 1 - before.reduce((n, r) => n + breaks(r.record), 0));
  }
  const out: CsvTable = { rows: [], rowNumbers: [], delimiter };
  let inside = 0;
  for (const { record, info } of records) {
    // info.lines is the record's last line: its own line breaks and those of the records before
    // lead back to the row a spreadsheet shows it on.
    inside += breaks(record);
    const row = record.map((c) => cleanText(DEFUSED.test(c) ? c.slice(1) : c));
    if (!row.some((c) => c.trim() !== '')) continue;
    out.rows.push(row);
    out.rowNumbers.push(info.lines - inside);
  }
  return out;
}

/** The rows of CSV text (see readCsv). */
export function parseCsv(text: string, opts: CsvOptions = {}): string[][] {
  return readCsv(text, opts).rows;
}

/** A text a spreadsheet would run as a formula (CSV injection): it gets a leading apostrophe. */
const FORMULA = /^[=+\-@\t\r]/;
/** That apostrophe, taken off again when a cell is read (readCsv). */
const DEFUSED = /^'[=+\-@\t\r]/;

/** One cell of an export meant for people: a text that a spreadsheet would run as a formula
 *  gets a leading apostrophe (CSV injection). */
export function csvCell(v: unknown): string {
  let s = v == null ? '' : String(v);
  if (typeof v === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV that reads back unchanged with parseCsv (UTF-8 BOM so spreadsheet programs read
 *  Chinese); a text a spreadsheet would run as a formula gets a leading apostrophe (a plain number
 *  such as -5 does not), which readCsv takes off. */
export function toCsv(rows: string[][]): string {
  const cell = (v: string) => {
    const s = FORMULA.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
