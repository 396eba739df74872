// Text out of uploaded files, within limits. DOCX and XLSX are zip archives: a small archive can
// declare or hold gigabytes ("zip bomb"), so the central directory is read without trusting it
// (at most `maxEntries` entries), only the parts needed are inflated (word/document.xml; the
// workbook, shared strings, styles and sheets), and inflation stops as soon as their running total
// passes `maxBytes`; spreadsheets are then read with exceljs. This module has no platform imports: extract-worker.ts runs it off the event loop
// (pool.ts adds the time and memory limits); tests and tools may call it directly.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { zipSync } from 'fflate';
import { CsvSyntaxError, readCsv } from './csv.js';
import { decodeText, type TextEncodingName } from './encoding.js';

export interface ExtractLimits {
  /** Uncompressed bytes of all the parts inflated for one file. */
  maxBytes: number;
  /** Entries in a zip's central directory. */
  maxEntries: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxBytes: 50 * 1024 * 1024, maxEntries: 2000 };

/** Characters of text kept per file (the search text of an attachment). */
export const TEXT_LIMIT = 500_000;

/** The file is refused: it expands beyond maxBytes, or holds more than maxEntries entries. */
export class ExtractRefused extends Error {
  constructor(readonly reason: 'size' | 'entries') {
    super(`file refused: ${reason === 'size' ? 'expands beyond the limit' : 'too many entries'}`);
  }
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As declared: a hint for an early refusal, never trusted as a bound. */
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
}

/** The central directory of a zip (null when there is none to read: not a zip, or damaged). */
export function zipEntries(buf: Uint8Array, maxEntries: number): ZipEntry[] | null {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  // The declared entry count is 16 bits (it wraps in archives without zip64 records): the
  // directory itself is walked and counted instead.
  let p = v.getUint32(eocd + 16, true);
  if (p >= buf.length) return null;
  const names = new TextDecoder('utf-8', { fatal: false });
  const out: ZipEntry[] = [];
  while (p + 46 <= buf.length && v.getUint32(p, true) === 0x02014b50) {
    if (out.length >= maxEntries) throw new ExtractRefused('entries');
    const nameLen = v.getUint16(p + 28, true);
    out.push({
      name: names.decode(buf.subarray(p + 46, Math.min(buf.length, p + 46 + nameLen))),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      offset: v.getUint32(p + 42, true),
    });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

/**
 * Inflates the named entries (the first entry of each name) within one budget of `maxBytes`
 * uncompressed bytes in all: refused early when the declared sizes pass it, and stopped by zlib
 * as soon as the actual output does. Missing entries are left out; a damaged entry throws.
 */
export function readEntries(buf: Uint8Array, entries: ZipEntry[], names: string[], maxBytes: number): Map<string, Buffer> {
  const wanted = names.map((n) => entries.find((e) => e.name === n)).filter((e): e is ZipEntry => !!e);
  if (wanted.reduce((s, e) => s + e.size, 0) > maxBytes) throw new ExtractRefused('size');
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Map<string, Buffer>();
  let left = maxBytes;
  for (const e of wanted) {
    if (e.offset + 30 > buf.length || v.getUint32(e.offset, true) !== 0x04034b50) throw new Error(`zip: bad local header for ${e.name}`);
    const start = e.offset + 30 + v.getUint16(e.offset + 26, true) + v.getUint16(e.offset + 28, true);
    const data = buf.subarray(start, start + e.compressedSize);
    let bytes: Buffer;
    if (e.method === 0) {
      if (data.length > left) throw new ExtractRefused('size');
      bytes = Buffer.from(data);
    } else if (e.method === 8) {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, left) });
      } catch (err: any) {
        if (err?.code === 'ERR_BUFFER_TOO_LARGE') throw new ExtractRefused('size');
        throw err;
      }
    } else throw new Error(`zip: compression method ${e.method} of ${e.name}`);
    left -= bytes.length;
    out.set(e.name, bytes);
  }
  return out;
}

/** 'docx' or 'xlsx' by the parts an Office Open XML package holds; null for any other zip. */
export function ooxmlKind(entries: ZipEntry[]): 'docx' | 'xlsx' | null {
  if (!entries.some((e) => e.name === '[Content_Types].xml')) return null;
  if (entries.some((e) => e.name === 'word/document.xml')) return 'docx';
  if (entries.some((e) => e.name.startsWith('xl/'))) return 'xlsx';
  return null;
}

function xmlText(xml: string, paraTag: RegExp): string {
  return xml
    .replace(paraTag, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function zipOf(buf: Uint8Array, limits: ExtractLimits): ZipEntry[] {
  const entries = zipEntries(buf, limits.maxEntries);
  if (!entries) throw new Error('zip: no central directory');
  return entries;
}

/** Plain text of a DOCX (word/document.xml paragraphs). */
export async function docxText(buf: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<string> {
  const xml = readEntries(buf, zipOf(buf, limits), ['word/document.xml'], limits.maxBytes).get('word/document.xml');
  return xml ? xmlText(xml.toString('utf8'), /<\/w:p>/g) : '';
}

/** The rows of a sheet that hold anything, and the sheet row number of each (1-based, as the program shows it). */
export interface SheetTable {
  rows: string[][];
  rowNumbers: number[];
}

/** The parts of a workbook exceljs reads cells from; media, drawings, themes, comments, sheet relations (hyperlinks, tables) are left out, and so are the sheets' references to them (withoutRelations). */
const SHEET_PARTS = /^(xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/styles\.xml|xl\/worksheets\/sheet\d+\.xml)$/;

/**
 * The first visible worksheet of an XLSX as text cells, read with exceljs. exceljs inflates every
 * part of a package without a limit, so it is given a package rebuilt here, stored uncompressed,
 * of only the parts it needs, each inflated within the `maxBytes` budget (entries counted, declared
 * sizes checked first, actual output bounded). Cells are strings as a person sees them:
 * shared, inline and rich text as text (entities resolved by the XML parser); a number in a date
 * style as YYYY-MM-DD, or YYYY-MM-DD HH:mm[:ss] when it has a time of day, HH:mm[:ss] for a time
 * alone (a spreadsheet's date has no time zone: its wall-clock time is taken as Beijing time);
 * other numbers as their format shows them (its decimals and percent sign, no thousands
 * separators or currency) or, in General, to 15 significant digits; a formula as its cached
 * result ('' when the program that wrote it did not calculate it, e.g. openpyxl); booleans as
 * TRUE/FALSE; errors as written (#N/A). A merged range gives its value to every cell it covers,
 * so a department merged down a column reaches each row. Empty cells at the end of a row (which
 * programs write or leave out as they please) and rows with nothing in them are left out.
 */
export async function xlsxTable(buf: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<SheetTable> {
  const entries = zipOf(buf, limits);
  const wanted = entries.filter((e) => SHEET_PARTS.test(e.name.replace(/^\//, '')));
  const parts = readEntries(buf, entries, [...new Set(wanted.map((e) => e.name))], limits.maxBytes);
  const pkg: Record<string, Uint8Array> = {};
  for (const [name, bytes] of parts) pkg[name.replace(/^\//, '')] ??= /^\/?xl\/worksheets\//.test(name) ? withoutRelations(bytes) : bytes;
  if (!pkg['xl/workbook.xml']) throw new Error('xlsx: no workbook');
  const { Workbook } = await exceljs();
  const wb = new Workbook();
  await wb.xlsx.load(Buffer.from(zipSync(pkg, { level: 0 })) as any);
  const ws = wb.worksheets.find((w) => w.state !== 'hidden' && w.state !== 'veryHidden') ?? wb.worksheets[0];
  const out: SheetTable = { rows: [], rowNumbers: [] };
  if (!ws) return out;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      const src = cell.type === ValueType.Merge ? cell.master : cell;
      cells.push(cellText(src.value, src.numFmt));
    }
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    if (!cells.some((x) => x.trim() !== '')) return;
    out.rows.push(cells);
    out.rowNumbers.push(rowNumber);
  });
  return out;
}

/** A sheet's elements that point into its relations (left out of the rebuilt package): exceljs
 *  fails on a hyperlink, picture or table whose relation it cannot find. They follow the cells. */
const RELATED = /<(hyperlinks|tableParts|oleObjects|controls)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)|<(?:drawing|legacyDrawing|legacyDrawingHF|picture)\b[^>]*?\/>/g;

/** A worksheet's XML without RELATED elements: the cells and their text (a link's shown text) stay. */
function withoutRelations(xml: Buffer): Buffer {
  const end = xml.lastIndexOf('</sheetData>');
  const at = end < 0 ? 0 : end;
  const tail = xml.subarray(at).toString('utf8');
  const kept = tail.replace(RELATED, '');
  return kept.length === tail.length ? xml : Buffer.concat([xml.subarray(0, at), Buffer.from(kept)]);
}

/** The rows of the first visible worksheet of an XLSX (see xlsxTable). */
export async function xlsxRows(buf: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<string[][]> {
  return (await xlsxTable(buf, limits)).rows;
}

// exceljs's ValueType numbers (doc/enums.js), so this module loads exceljs only when a sheet is read.
const ValueType = { Merge: 1 } as const;

let loaded: Promise<typeof import('exceljs')> | null = null;

/**
 * exceljs, once per thread. Its table of built-in number formats gives the East Asian date
 * formats (ids 27–36, 50–58, which Chinese Excel and WPS write without defining them) per locale
 * only, so exceljs would read such a date as a plain number: the zh-CN format is made the one.
 */
function exceljs(): Promise<typeof import('exceljs')> {
  loaded ??= import('exceljs').then((m) => {
    const formats = createRequire(import.meta.url)('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f?: string; 'zh-cn'?: string }>;
    for (const v of Object.values(formats)) if (!v.f && v['zh-cn']) v.f = v['zh-cn'];
    return ((m as any).default ?? m) as typeof import('exceljs');
  });
  return loaded;
}

/** A format code without its literal text, colours, conditions and escaped characters (its first section). */
function formatCode(fmt: string | undefined): string {
  return (fmt ?? '').split(';')[0].replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
}

/** A number to 15 significant digits, as Excel's General format shows it (no float noise: 0.1+0.2 is 0.3). */
function general(v: number): string {
  return String(Number(v.toPrecision(15)));
}

/** A number with `n` decimals, rounded half away from zero on its 15 significant digits (1.005 → 1.01). */
function fixed(v: number, n: number): string {
  const r = Math.round(Number((Math.abs(v) * 10 ** n).toPrecision(15))) / 10 ** n;
  return (v < 0 && r !== 0 ? '-' : '') + r.toFixed(n);
}

function shownNumber(v: number, fmt: string | undefined): string {
  if (!Number.isFinite(v)) return '';
  const code = formatCode(fmt);
  if (!/[0#?]/.test(code) || /[eE][+-]|\//.test(code)) return general(v);
  const decimals = /\.([0#?]+)/.exec(code)?.[1] ?? '';
  const min = decimals.replace(/[#?]/g, '').length;
  const percent = code.includes('%');
  let s = fixed(percent ? v * 100 : v, decimals.length);
  if (decimals.length > min) s = s.replace(new RegExp(`0{1,${decimals.length - min}}$`), '').replace(/\.$/, '');
  return percent ? `${s}%` : s;
}

/** A date cell (exceljs's Date carries the wall-clock time in its UTC fields, whatever the process's TZ). */
function shownDate(d: Date, fmt: string | undefined): string {
  const t = Math.round(d.getTime() / 1000) * 1000;
  if (!Number.isFinite(t)) return '';
  const iso = new Date(t).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19).replace(/:00$/, '');
  const code = formatCode(fmt);
  // A time of day alone: a serial below 1 in a format without a year, month or day.
  if ((day === '1899-12-30' || day === '1904-01-01') && !/[yd]/i.test(code)) return time;
  return time === '00:00' ? day : `${day} ${time}`;
}

function cellText(v: unknown, fmt: string | undefined): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return shownNumber(v, fmt);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return shownDate(v, fmt);
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: string }[]; text?: unknown; result?: unknown; formula?: string; sharedFormula?: string; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result, fmt);
    if ('text' in o) return cellText(o.text, fmt);
    if (typeof o.error === 'string') return o.error;
  }
  return '';
}

/**
 * Refuses a PDF whose Flate streams, images aside, inflate beyond `maxBytes` in all: pdf.js holds
 * each decoded stream in memory (outside the worker's heap limit) while it reads the text. Each
 * stream is inflated once, within what is left of the budget, and dropped. Other filters (LZW,
 * chains) are left to the time limit.
 */
export function checkPdfStreams(buf: Uint8Array, maxBytes: number): void {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let left = maxBytes;
  let at = 0;
  for (;;) {
    const k = b.indexOf('stream', at, 'latin1');
    if (k < 0) return;
    at = k + 6;
    // The keyword right after a dictionary ('>>' and white space), the data after an end of line.
    let d = k - 1;
    while (d > 0 && (b[d] === 0x20 || b[d] === 0x0d || b[d] === 0x0a || b[d] === 0x09)) d--;
    if (d < 1 || b[d] !== 0x3e || b[d - 1] !== 0x3e) continue;
    let start = at;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    if (start === at) continue;
    const near = b.subarray(Math.max(0, d - 4096), d + 1);
    const dict = near.toString('latin1', Math.max(0, near.lastIndexOf('obj', undefined, 'latin1')));
    const end = b.indexOf('endstream', start, 'latin1');
    if (/\/FlateDecode/.test(dict) && !/\/Subtype\s*\/Image/.test(dict)) {
      try {
        left -= inflateSync(b.subarray(start, end < 0 ? b.length : end), { maxOutputLength: Math.max(1, left), finishFlush: constants.Z_SYNC_FLUSH }).length;
      } catch (err: any) {
        if (err?.code === 'ERR_BUFFER_TOO_LARGE') throw new ExtractRefused('size');
        // Not a zlib stream after all: pdf.js decides.
      }
    }
    if (end < 0) return;
    at = end + 9;
  }
}

export async function pdfText(buf: Uint8Array): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(buf));
  const { text } = await extractText(pdf, { mergePages: true });
  return String(text).trim();
}

export type ExtractJob = { kind: 'text'; ext: string } | { kind: 'rows' } | { kind: 'csv'; comments?: boolean };

/** A CSV read off the main thread: its table and encoding, or the row of an unclosed quote. */
export type CsvResult = (SheetTable & { encoding: TextEncodingName }) | { quoteLine: number };

/** The search text of a file, the table of a spreadsheet, or a CSV. */
export type ExtractResult = string | SheetTable | CsvResult;

/**
 * One job: the search text of a stored file (at most TEXT_LIMIT characters), or the rows of an
 * XLSX or a CSV to import. Throws ExtractRefused when a limit is passed; any other error means a damaged file.
 */
export async function runExtractJob(job: ExtractJob, buf: Uint8Array, limits: ExtractLimits): Promise<ExtractResult> {
  if (job.kind === 'rows') return xlsxTable(buf, limits);
  if (job.kind === 'csv') {
    const { text, encoding } = decodeText(buf);
    try {
      const t = readCsv(text, { comments: job.comments });
      return { rows: t.rows, rowNumbers: t.rowNumbers, encoding };
    } catch (err) {
      if (err instanceof CsvSyntaxError) return { quoteLine: err.line };
      throw err;
    }
  }
  let text = '';
  if (job.ext === 'pdf') {
    checkPdfStreams(buf, limits.maxBytes);
    text = await pdfText(buf);
  }
  else if (job.ext === 'docx') text = await docxText(buf, limits);
  else if (job.ext === 'xlsx') text = (await xlsxRows(buf, limits)).map((r) => r.join('\t')).join('\n');
  return text.slice(0, TEXT_LIMIT);
}
