// Printed notices (公开栏): one public item with a QR code to the exact version, and the weekly
// bulletin of the catalog's new items (ISO weeks in Asia/Shanghai).
import QRCode from 'qrcode';
import type { Platform } from '../../../platform/platform.js';
import { findItemType, typesOf } from '../../../platform/publication/registry.js';
import { shanghaiDayStart, shanghaiDayEnd } from '../../../platform/dates.js';

export interface PrintItem {
  id: number;
  type: string;
  version: number;
  title: string;
  indexNo: string | null;
  docNo: string;
  department: string;
  writtenAt: string | null;
  effectiveAt: string | null;
  firstPublishedAt: string | null;
  publishedAt: string | null;
  summary: string;
  data: unknown;
  /** The exact version's address (absolute), the QR code's content. */
  versionUrl: string;
}

/** The address of one version of an item: its public page with `?v=<version>`. */
export function versionUrl(p: Platform, type: string, id: number, version: number): string {
  return `${p.config.publicUrl}${findItemType(type)?.url(id) ?? `/catalog/items/${id}`}?v=${version}`;
}

/** A public catalog item for printing, or null. */
export async function printItem(p: Platform, id: number): Promise<PrintItem | null> {
  const r = await p.db
    .selectFrom('pub_items as i')
    .innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version'))
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.id', 'i.type', 'i.published_version', 'i.title', 'i.index_no', 'i.doc_no', 'd.name as department', 'i.written_at', 'i.effective_at', 'i.first_published_at', 'i.published_at', 'i.summary', 'v.data'])
    .where('i.id', '=', id)
    .where('i.public', '=', 1)
    .executeTakeFirst();
  if (!r || !typesOf('catalog').includes(r.type)) return null;
  let data: unknown = null;
  try {
    data = JSON.parse(r.data);
  } catch {
    /* rendered from the summary */
  }
  const version = Number(r.published_version);
  return {
    id: Number(r.id),
    type: r.type,
    version,
    title: r.title,
    indexNo: r.index_no,
    docNo: r.doc_no,
    department: r.department,
    writtenAt: r.written_at,
    effectiveAt: r.effective_at,
    firstPublishedAt: r.first_published_at,
    publishedAt: r.published_at,
    summary: r.summary,
    data,
    versionUrl: versionUrl(p, r.type, Number(r.id), version),
  };
}

/** The QR code of a URL as an SVG element (error correction M, one module of quiet zone). */
export async function qrSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return svg.replace('<svg ', '<svg role="img" aria-hidden="true" focusable="false" ');
}

export interface IsoWeek {
  year: number;
  week: number;
  /** Monday and Sunday, YYYY-MM-DD. */
  monday: string;
  sunday: string;
}

const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);

/** 2026-W49 → its Monday to Sunday; null when there is no such week. */
export function parseIsoWeek(s: string): IsoWeek | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 2100 || week < 1) return null;
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86400_000;
  const nextJan4 = Date.UTC(year + 1, 0, 4);
  const nextMonday1 = nextJan4 - ((new Date(nextJan4).getUTCDay() + 6) % 7) * 86400_000;
  const weeks = Math.round((nextMonday1 - monday1) / (7 * 86400_000));
  if (week > weeks) return null;
  const monday = monday1 + (week - 1) * 7 * 86400_000;
  return { year, week, monday: ymd(monday), sunday: ymd(monday + 6 * 86400_000) };
}

/** The ISO week (Asia/Shanghai) a date YYYY-MM-DD falls in, as 2026-W49. */
export function isoWeekOf(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const thursday = t + (3 - ((new Date(t).getUTCDay() + 6) % 7)) * 86400_000;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface BulletinGroup {
  department: string;
  items: { id: number; title: string; indexNo: string | null; docNo: string; firstPublishedAt: string; versionUrl: string }[];
}

/** Every public catalog item first published in the week, grouped by department. */
export async function bulletin(p: Platform, w: IsoWeek): Promise<BulletinGroup[]> {
  const types = typesOf('catalog');
  if (!types.length) return [];
  const rows = await p.db
    .selectFrom('pub_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.id', 'i.type', 'i.published_version', 'i.title', 'i.index_no', 'i.doc_no', 'i.first_published_at', 'd.id as department_id', 'd.name as department', 'd.sort'])
    .where('i.public', '=', 1)
    .where('i.type', 'in', types)
    .where('i.first_published_at', '>=', shanghaiDayStart(w.monday))
    .where('i.first_published_at', '<', shanghaiDayEnd(w.sunday))
    .orderBy('d.sort')
    .orderBy('d.id')
    .orderBy('i.first_published_at')
    .orderBy('i.id')
    .execute();
  const groups: BulletinGroup[] = [];
  let last: number | null = null;
  for (const r of rows) {
    if (Number(r.department_id) !== last) {
      groups.push({ department: r.department, items: [] });
      last = Number(r.department_id);
    }
    groups[groups.length - 1]!.items.push({ id: Number(r.id), title: r.title, indexNo: r.index_no, docNo: r.doc_no, firstPublishedAt: r.first_published_at!, versionUrl: versionUrl(p, r.type, Number(r.id), Number(r.published_version)) });
  }
  return groups;
}
