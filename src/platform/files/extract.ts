// Text out of uploaded files, within limits. DOCX and XLSX are zip archives: a small archive can
// declare or hold gigabytes ("zip bomb"), so the central directory is read without trusting it
// (at most `maxEntries` entries), only the parts needed are inflated (word/document.xml; the
// shared strings and the first sheet), and inflation stops as soon as their running total passes
// `maxBytes`. This module has no platform imports: extract-worker.ts runs it off the event loop
// (pool.ts adds the time and memory limits); tests and tools may call it directly.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';

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

/** Rows of the first sheet of an XLSX as text cells (shared strings and inline strings resolved). */
export async function xlsxRows(buf: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<string[][]> {
  const entries = zipOf(buf, limits);
  const sheetName = entries
    .map((e) => e.name)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort()[0];
  if (!sheetName) return [];
  const files = readEntries(buf, entries, ['xl/sharedStrings.xml', sheetName], limits.maxBytes);
  const shared: string[] = [];
  const ss = files.get('xl/sharedStrings.xml');
  if (ss) for (const m of ss.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(xmlText(m[1], /$^/g));
  const rows: string[][] = [];
  for (const r of files.get(sheetName)!.toString('utf8').matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const row: string[] = [];
    for (const c of r[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const ref = /r="([A-Z]+)\d+"/.exec(attrs)?.[1] ?? '';
      let col = 0;
      for (const ch of ref) col = col * 26 + (ch.charCodeAt(0) - 64);
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      const inner = c[2] ?? '';
      let v = '';
      if (type === 's') v = shared[Number(/<v>([^<]*)<\/v>/.exec(inner)?.[1])] ?? '';
      else if (type === 'inlineStr') v = xmlText(inner, /$^/g);
      else v = xmlText(/<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? '', /$^/g);
      row[(col || row.length + 1) - 1] = v;
    }
    rows.push(Array.from(row, (x) => x ?? ''));
  }
  return rows;
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

export type ExtractJob = { kind: 'text'; ext: string } | { kind: 'rows' };

/**
 * One job: the search text of a stored file (at most TEXT_LIMIT characters), or the rows of an
 * XLSX to import. Throws ExtractRefused when a limit is passed; any other error means a damaged file.
 */
export async function runExtractJob(job: ExtractJob, buf: Uint8Array, limits: ExtractLimits): Promise<string | string[][]> {
  if (job.kind === 'rows') return xlsxRows(buf, limits);
  let text = '';
  if (job.ext === 'pdf') {
    checkPdfStreams(buf, limits.maxBytes);
    text = await pdfText(buf);
  }
  else if (job.ext === 'docx') text = await docxText(buf, limits);
  else if (job.ext === 'xlsx') text = (await xlsxRows(buf, limits)).map((r) => r.join('\t')).join('\n');
  return text.slice(0, TEXT_LIMIT);
}
