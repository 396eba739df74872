// Bulk import of an existing site's catalog from CSV or XLSX: every row is checked first
// (dry run = the report only); the import is all-or-nothing in one transaction.
import type { Platform } from '../../../platform/platform.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { publishApprovedMany, defaultMeta, type ApprovedItem } from '../../../platform/publication/index.js';
import { itemType } from '../../../platform/publication/registry.js';
import { readTable, type Table, type TableFormat } from '../../../platform/files/table.js';
import type { TextEncodingName } from '../../../platform/files/encoding.js';
import { HttpError } from '../../../platform/errors.js';
import { t as translate, type Locale } from '../../../platform/i18n/index.js';
import { bumpGeneration } from '../../../platform/publication/cache.js';
import { DOCUMENT, textToHtml } from '../items.js';
import { departments } from './queries.js';
import { CATEGORIES, GENRES, TOPIC_BY_CODE } from '../../../platform/taxonomy/index.js';

export const IMPORT_COLUMNS = ['title', 'docNo', 'department', 'topic', 'genre', 'category', 'writtenAt', 'publishedAt', 'effectiveAt', 'expiresAt', 'keywords', 'summary', 'body'] as const;


export interface ImportReport {
  rows: number;
  errors: { row: number; field: string; message: string }[];
  imported: number;
  dryRun: boolean;
  /** What was read: the format, and the encoding a CSV was read in (shown in the report). */
  source: { format: TableFormat; encoding: TextEncodingName | null } | null;
}

export async function importCatalog(p: Platform, actor: Principal, file: { buf: Buffer; name: string }, dryRun: boolean, locale: Locale): Promise<ImportReport> {
  const report: ImportReport = { rows: 0, errors: [], imported: 0, dryRun, source: null };
  const err = (row: number, field: string, key: string) => report.errors.push({ row, field, message: translate(locale, key) });
  let read: Table;
  try {
    // A CSV in its detected encoding; an XLSX in a worker thread within the GONGKAI_EXTRACT_* limits (a 422 beyond them).
    read = await readTable(p.config, file.buf, file.name);
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 400) throw e;
    report.errors.push({ row: Number(e.params?.line ?? 1), field: 'file', message: translate(locale, e.message, e.params) });
    return report;
  }
  report.source = { format: read.format, encoding: read.encoding };
  const table = read.rows;
  if (table.length < 2) {
    err(1, '_', 'err.import.empty');
    return report;
  }
  const head = table[0].map((h) => h.trim());
  for (const c of ['title', 'department', 'topic', 'genre', 'writtenAt']) if (!head.includes(c)) err(1, c, 'err.import.missing_column');
  if (report.errors.length) return report;
  const depts = await departments(p.db);
  const items: ApprovedItem[] = [];
  const type = itemType(DOCUMENT);
  for (let i = 1; i < table.length; i++) {
    const rowNo = read.rowNumbers[i];
    const r: Record<string, string> = {};
    head.forEach((h, k) => (r[h] = (table[i][k] ?? '').trim()));
    report.rows++;
    const before = report.errors.length;
    const d = depts.find((x) => x.code === r.department);
    if (!d) err(rowNo, 'department', 'err.unknown_department');
    else if (!can(actor, 'content.import', { departmentId: d.id })) err(rowNo, 'department', 'err.catalog.not_your_department');
    if (r.topic && !TOPIC_BY_CODE.has(r.topic)) err(rowNo, 'topic', 'err.field.enum_generic');
    if (r.genre && !(GENRES as readonly string[]).includes(r.genre)) err(rowNo, 'genre', 'err.field.enum_generic');
    if (r.category && !(CATEGORIES as readonly string[]).includes(r.category)) err(rowNo, 'category', 'err.field.enum_generic');
    if (r.publishedAt && (!/^\d{4}-\d{2}-\d{2}/.test(r.publishedAt) || Number.isNaN(Date.parse(r.publishedAt)))) err(rowNo, 'publishedAt', 'err.field.format');
    const meta = defaultMeta({
      title: r.title,
      docNo: r.docNo,
      topic: r.topic,
      genre: r.genre,
      category: r.category || null,
      writtenAt: r.writtenAt,
      effectiveAt: r.effectiveAt || null,
      expiresAt: r.expiresAt || null,
      keywords: (r.keywords ?? '').split(/[;；,，\s]+/),
      summary: r.summary,
    });
    const body = /<[a-z][\s\S]*>/i.test(r.body ?? '') ? r.body : textToHtml(r.body ?? '');
    let data: any = { body, attachments: [], related: [] };
    const dateOk = (s: string) => !s || /^\d{4}-\d{2}-\d{2}$/.test(s);
    for (const k of ['writtenAt', 'effectiveAt', 'expiresAt'] as const) if (!dateOk(r[k] ?? '')) err(rowNo, k, 'err.field.format');
    if (!r.title) err(rowNo, 'title', 'err.field.required');
    if (type.prepare && report.errors.length === before) {
      const out = await type.prepare(data, meta);
      for (const [f, key] of Object.entries(out.fields)) err(rowNo, f, key);
      data = out.data;
    }
    if (report.errors.length === before && d) items.push({ type: DOCUMENT, departmentId: d.id, meta, data, publishedAt: r.publishedAt ? new Date(r.publishedAt) : new Date() });
  }
  if (report.errors.length || dryRun) return report;
  await p.tx(async (t) => {
    const ids = await publishApprovedMany(p, t, actor, items, { audit: 'each' });
    await p.audit(t, { actor: `user:${actor.username}`, action: 'publication.import', entity: 'pub_item', entityId: ids[0] ?? 0, details: { file: file.name, rows: ids.length } });
  });
  bumpGeneration();
  report.imported = items.length;
  return report;
}
