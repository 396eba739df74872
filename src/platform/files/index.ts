// Content-addressed file store: a file's name on disk and its id is the SM3 hash of its bytes
// (DATA_DIR/files/ab/cdef…). Only allowed types (by content) within GONGKAI_UPLOAD_LIMIT are
// accepted; text is extracted from PDF, DOCX and XLSX for search, in a worker thread within the
// GONGKAI_EXTRACT_* limits (extract.ts, pool.ts). Any module may reuse it for attachments. Images
// from citizens go through cleanImage (image.ts) first: no EXIF/GPS, XMP or comments are stored.
import { mkdirSync, existsSync, writeFileSync, readFileSync, renameSync, createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import type { Config } from '../../config.js';
import { sm3 } from '../hash.js';
import { badRequest, HttpError } from '../errors.js';
import { cleanText } from '../text.js';
import '../publication/schema.js';
import { DEFAULT_EXTRACT_LIMITS, ExtractRefused, TEXT_LIMIT, ooxmlKind, zipEntries, type CsvResult, type SheetTable } from './extract.js';
import { ExtractFailed, runOffThread, type ExtractSettings } from './pool.js';

export { docxText, xlsxRows, xlsxTable, pdfText, type SheetTable } from './extract.js';
export { ExtractFailed } from './pool.js';
export { cleanImage, imageMetadata, IMAGE_MAX_PIXELS, type ImageExt } from './image.js';

export interface StoredFile {
  hash: string;
  size: number;
  mime: string;
  ext: string;
}

export const FILE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Extension of an allowed MIME type ('' for any other). */
export function extOfMime(mime: string): string {
  if (mime === 'image/jpeg') return 'jpg';
  return Object.keys(FILE_TYPES).find((k) => FILE_TYPES[k] === mime) ?? '';
}

const UTF16 = (s: string) => Buffer.from(s, 'utf16le');

/**
 * The type of a file by its content (magic bytes; for zip archives, the parts they hold), not by
 * its name: an executable renamed .pdf is refused, a PDF named .exe is a PDF. The name only tells
 * apart the two legacy Office formats when it says which. Throws ExtractRefused for a zip with
 * more than `maxEntries` entries.
 */
export function detectType(buf: Buffer, name: string, maxEntries = DEFAULT_EXTRACT_LIMITS.maxEntries): { ext: string; mime: string } | null {
  const named = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? '').toLowerCase();
  const hex = buf.subarray(0, 8).toString('hex');
  const latin = buf.subarray(0, 12).toString('latin1');
  let ext: string | null = null;
  if (latin.startsWith('%PDF-')) ext = 'pdf';
  else if (hex.startsWith('89504e470d0a1a0a')) ext = 'png';
  else if (hex.startsWith('ffd8ff')) ext = 'jpg';
  else if (latin.startsWith('GIF87a') || latin.startsWith('GIF89a')) ext = 'gif';
  else if (latin.startsWith('RIFF') && latin.slice(8, 12) === 'WEBP') ext = 'webp';
  else if (hex === 'd0cf11e0a1b11ae1') {
    if (named === 'doc' || named === 'xls') ext = named;
    else if (buf.includes(UTF16('WordDocument'))) ext = 'doc';
    else if (buf.includes(UTF16('Workbook')) || buf.includes(UTF16('Book'))) ext = 'xls';
  } else if (hex.startsWith('504b0304')) {
    const entries = zipEntries(buf, maxEntries);
    ext = entries && ooxmlKind(entries);
  }
  return ext ? { ext, mime: FILE_TYPES[ext] } : null;
}

/**
 * A file name safe to store, show and send: Unicode NFC; no control or format characters (C0, C1,
 * bidi embeddings, overrides, isolates and marks, zero-width characters); no directories (the
 * last path segment), no characters Windows refuses, no leading dots; at most `max` characters;
 * and, given the detected type, ending in its extension (`invoice\u202Efdp.exe` holding a PDF
 * becomes `invoicefdp.exe.pdf`).
 */
export function safeFileName(raw: string, ext?: string, max = 120): string {
  let s = String(raw ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ');
  s = s.split(/[/\\]/).filter((x) => x.trim()).pop() ?? '';
  s = s.replace(/[<>:"|?*]/g, '_').replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  const cur = (/\.([a-z0-9]+)$/i.exec(s)?.[1] ?? '').toLowerCase();
  let base = s;
  let suffix = '';
  if (ext) {
    const same = cur === ext || (ext === 'jpg' && cur === 'jpeg');
    if (same) base = s.slice(0, -(cur.length + 1));
    suffix = `.${same ? cur : ext}`;
  } else if (cur) {
    base = s.slice(0, -(cur.length + 1));
    suffix = `.${cur}`;
  }
  const chars = Array.from(base.trim());
  base = chars.slice(0, Math.max(1, max - suffix.length)).join('').trim() || 'file';
  return base + suffix;
}

/** The name of a stored attachment as shown and downloaded (its extension from its type). */
export function attachmentName(a: { name: string; mime: string }): string {
  return safeFileName(a.name, extOfMime(a.mime) || undefined);
}

/** Content-Disposition of a download (RFC 6266): an ASCII fallback and the UTF-8 name (RFC 8187). */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

export function filePath(dataDir: string, hash: string): string {
  return join(dataDir, 'files', hash.slice(0, 2), hash.slice(2));
}

export function extractSettings(config: Config): ExtractSettings {
  return { maxBytes: config.extractMaxMb * 1024 * 1024, maxEntries: config.extractMaxEntries, timeoutMs: config.extractTimeoutMs, workers: config.extractWorkers, heapMb: config.extractHeapMb };
}

/** The 422 answer for a file refused by a limit of text extraction, on the form's file field. */
function refused(config: Config, reason: 'size' | 'entries' | 'timeout', field: string): HttpError {
  const [key, params] =
    reason === 'size' ? ['err.file.expands', { limit: config.extractMaxMb }] : reason === 'entries' ? ['err.file.entries', { limit: config.extractMaxEntries }] : ['err.file.timeout', { seconds: Math.ceil(config.extractTimeoutMs / 1000) }];
  return new HttpError(422, 'file_refused', key as string, { [field]: key as string }, params as Record<string, number>);
}

function limitOf(config: Config, err: unknown, field: string): HttpError | null {
  if (err instanceof ExtractRefused) return refused(config, err.reason, field);
  if (err instanceof ExtractFailed && err.reason !== 'damaged') return refused(config, err.reason, field);
  return null;
}

/** Search text of a PDF, DOCX or XLSX, read in a worker thread within the limits ('' when damaged). */
export async function extractText(config: Config, buf: Buffer, ext: string, field = 'file'): Promise<string> {
  if (ext !== 'pdf' && ext !== 'docx' && ext !== 'xlsx') return '';
  try {
    return (await runOffThread({ kind: 'text', ext }, buf, extractSettings(config))) as string;
  } catch (err) {
    const limit = limitOf(config, err, field);
    if (limit) throw limit;
    // A damaged file is stored but yields no text.
    if (err instanceof ExtractFailed) return '';
    throw err;
  }
}

/**
 * The first sheet of an XLSX to import, read in a worker thread within the limits: a 422 on
 * `field` when a limit is passed; ExtractFailed('damaged') when the file cannot be read.
 */
export async function readSpreadsheet(config: Config, buf: Buffer, field = 'file'): Promise<SheetTable> {
  try {
    const t = (await runOffThread({ kind: 'rows' }, buf, extractSettings(config))) as SheetTable;
    // Cells without control characters (tab and line breaks kept) or bidi overrides (platform/text.ts).
    return { rows: t.rows.map((r) => Array.from(r, (x) => cleanText(x ?? ''))), rowNumbers: t.rowNumbers };
  } catch (err) {
    throw limitOf(config, err, field) ?? err;
  }
}

/**
 * A CSV to import, decoded and parsed in a worker thread within the time limit (a 20 MB file can
 * take many seconds on a busy machine; the server keeps answering meanwhile): 422 on `field`
 * when the time limit is passed.
 */
export async function readCsvOffThread(config: Config, buf: Buffer, comments: boolean, field = 'file'): Promise<CsvResult> {
  try {
    return (await runOffThread({ kind: 'csv', comments }, buf, extractSettings(config))) as CsvResult;
  } catch (err) {
    throw limitOf(config, err, field) ?? err;
  }
}

/**
 * Stores bytes (idempotent: the same bytes give the same hash and one copy). The text is read
 * first: a file refused by a limit leaves nothing behind, neither on disk nor in the database.
 * `field` names the request field the bytes came from, for the error.
 */
export async function storeFile(p: Platform, buf: Buffer, name: string, field = 'file'): Promise<StoredFile> {
  if (buf.length > p.config.uploadLimit) throw new HttpError(413, 'payload_too_large', 'err.file.too_large', undefined, { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) });
  if (buf.length === 0) throw badRequest('err.file.empty');
  let type: ReturnType<typeof detectType>;
  try {
    type = detectType(buf, name, p.config.extractMaxEntries);
  } catch (err) {
    throw limitOf(p.config, err, field) ?? err;
  }
  if (!type) throw new HttpError(415, 'unsupported_media_type', 'err.file.type');
  const hash = sm3(buf);
  const existing = await p.db.selectFrom('files').select(['hash', 'size', 'mime', 'ext']).where('hash', '=', hash).executeTakeFirst();
  if (existing) return existing;
  const text = (await extractText(p.config, buf, type.ext, field)).slice(0, TEXT_LIMIT);
  const path = filePath(p.config.dataDir, hash);
  if (!existsSync(path)) {
    mkdirSync(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  }
  await p.db
    .insertInto('files')
    .values({ hash, size: buf.length, mime: type.mime, ext: type.ext, text, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  return { hash, size: buf.length, ...type };
}

export async function fileInfo(db: Db, hash: string): Promise<(StoredFile & { text: string }) | null> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return null;
  return (await db.selectFrom('files').selectAll().where('hash', '=', hash).executeTakeFirst()) ?? null;
}

/**
 * The path of a stored file that must exist: a file recorded in the database but missing on disk
 * (a partial restore, a deleted directory) answers 410 with a clear message, not a server error.
 */
export function storedPath(dataDir: string, hash: string): string {
  const path = filePath(dataDir, hash);
  if (!existsSync(path)) throw new HttpError(410, 'file_missing', 'err.file_missing');
  return path;
}

export function readStored(dataDir: string, hash: string): Buffer {
  return readFileSync(storedPath(dataDir, hash));
}

export function humanSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Sends a stored file as a download under its given name (no sniffing); `cacheControl` says who may keep it. */
export function sendStoredFile(reply: FastifyReply, dataDir: string, name: string, info: StoredFile, cacheControl: string) {
  return reply
    .header('content-type', info.mime)
    .header('content-length', info.size)
    .header('content-disposition', contentDisposition(safeFileName(name, info.ext)))
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(storedPath(dataDir, info.hash)));
}
