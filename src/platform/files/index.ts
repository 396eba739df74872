// Content-addressed file store: a file's name on disk and its id is the SM3 hash of its bytes
// (DATA_DIR/files/ab/cdef…). Only allowed types within GONGKAI_UPLOAD_LIMIT are accepted; text is
// extracted from PDF and DOCX (and XLSX) for search. Any module may reuse it for attachments.
import { mkdirSync, existsSync, writeFileSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import { sm3 } from '../hash.js';
import { badRequest, HttpError } from '../errors.js';
import { cleanText } from '../text.js';
import '../publication/schema.js';

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

/** Checks the name's extension AND the leading bytes: a renamed executable is refused. */
export function detectType(buf: Buffer, name: string): { ext: string; mime: string } | null {
  const ext = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? '').toLowerCase();
  const mime = FILE_TYPES[ext];
  if (!mime) return null;
  const head = buf.subarray(0, 8);
  const zip = head[0] === 0x50 && head[1] === 0x4b;
  const ole = head.toString('hex').startsWith('d0cf11e0a1b11ae1');
  const ok: Record<string, boolean> = {
    pdf: head.toString('latin1').startsWith('%PDF-'),
    docx: zip,
    xlsx: zip,
    doc: ole,
    xls: ole,
    png: head.toString('hex').startsWith('89504e47'),
    jpg: head[0] === 0xff && head[1] === 0xd8,
    jpeg: head[0] === 0xff && head[1] === 0xd8,
    gif: head.toString('latin1').startsWith('GIF8'),
    webp: head.toString('latin1', 0, 4) === 'RIFF',
  };
  return ok[ext] ? { ext: ext === 'jpeg' ? 'jpg' : ext, mime } : null;
}

export function filePath(dataDir: string, hash: string): string {
  return join(dataDir, 'files', hash.slice(0, 2), hash.slice(2));
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

/** Plain text of a DOCX (word/document.xml paragraphs). */
export async function docxText(buf: Buffer): Promise<string> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(new Uint8Array(buf), { filter: (f) => f.name === 'word/document.xml' });
  const xml = files['word/document.xml'];
  return xml ? xmlText(strFromU8(xml), /<\/w:p>/g) : '';
}

/** Rows of the first sheet of an XLSX as text cells (shared strings and inline strings resolved),
 *  without control characters (tab and line breaks kept) or bidi overrides (platform/text.ts). */
export async function xlsxRows(buf: Buffer): Promise<string[][]> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(new Uint8Array(buf));
  const shared: string[] = [];
  const ss = files['xl/sharedStrings.xml'];
  if (ss) for (const m of strFromU8(ss).matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(xmlText(m[1], /$^/g));
  const sheetName = Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort()[0];
  if (!sheetName) return [];
  const rows: string[][] = [];
  for (const r of strFromU8(files[sheetName]).matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
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
    rows.push(Array.from(row, (x) => cleanText(x ?? '')));
  }
  return rows;
}

export async function pdfText(buf: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(buf));
  const { text } = await extractText(pdf, { mergePages: true });
  return String(text).trim();
}

export async function extractText(buf: Buffer, ext: string): Promise<string> {
  try {
    if (ext === 'pdf') return await pdfText(buf);
    if (ext === 'docx') return await docxText(buf);
    if (ext === 'xlsx') return (await xlsxRows(buf)).map((r) => r.join('\t')).join('\n');
  } catch {
    // A damaged file is stored but yields no text.
  }
  return '';
}

/** Stores bytes (idempotent: the same bytes give the same hash and one copy). */
export async function storeFile(p: Platform, buf: Buffer, name: string): Promise<StoredFile> {
  if (buf.length > p.config.uploadLimit) throw new HttpError(413, 'payload_too_large', 'err.file.too_large', undefined, { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) });
  if (buf.length === 0) throw badRequest('err.file.empty');
  const type = detectType(buf, name);
  if (!type) throw new HttpError(415, 'unsupported_media_type', 'err.file.type');
  const hash = sm3(buf);
  const existing = await p.db.selectFrom('files').select(['hash', 'size', 'mime', 'ext']).where('hash', '=', hash).executeTakeFirst();
  if (existing) return existing;
  const path = filePath(p.config.dataDir, hash);
  if (!existsSync(path)) {
    mkdirSync(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  }
  const text = (await extractText(buf, type.ext)).slice(0, 500_000);
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
