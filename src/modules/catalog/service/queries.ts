// Reading the public catalog: filtered lists with page or cursor, one item with its
// published version, versions, links. Only public items (published, not withdrawn) of the types
// in the catalog section (政府信息公开目录, ADR 0008): other sections' items (互动交流: appeals)
// are published through the spine too but are not catalog entries.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Database } from '../../../platform/db/schema.js';
import { versionView, type VersionView } from '../../../platform/publication/index.js';
import { findItemType, typesOf } from '../../../platform/publication/registry.js';
import { TOPIC_BY_CODE, topicPath } from '../../../platform/taxonomy/index.js';
import type { DocumentData } from '../items.js';
import '../../../platform/publication/schema.js';
import { shanghaiDayEnd, shanghaiDayStart } from '../../../platform/dates.js';

export interface Dept {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  orgCode: string | null;
  phone: string;
  fax: string;
  email: string;
  address: string;
  officeHours: string;
  active: boolean;
  sort: number;
}
let deptCache: { at: number; list: Dept[] } | null = null;
export async function departments(db: Db): Promise<Dept[]> {
  if (deptCache && Date.now() - deptCache.at < 10_000) return deptCache.list;
  const rows = await db.selectFrom('departments').selectAll().orderBy('sort').orderBy('id').execute();
  const list = rows.map((r) => ({ id: r.id, code: r.code, name: r.name, parentId: r.parent_id, orgCode: r.org_code, phone: r.phone, fax: r.fax, email: r.email, address: r.address, officeHours: r.office_hours, active: !!r.active, sort: r.sort }));
  deptCache = { at: Date.now(), list };
  return list;
}
export function clearDeptCache(): void {
  deptCache = null;
}

export interface Filters {
  q?: string;
  department?: string;
  topic?: string;
  genre?: string;
  year?: number;
  validity?: string;
  category?: string;
  publishedFrom?: string;
  publishedTo?: string;
}

export interface ListItem {
  id: number;
  type: string;
  indexNo: string;
  title: string;
  docNo: string;
  department: string;
  departmentName: string;
  topic: string | null;
  topicName: string;
  genre: string | null;
  category: string | null;
  writtenAt: string | null;
  publishedAt: string;
  updatedAt: string;
  effectiveAt: string | null;
  expiresAt: string | null;
  validity: 'valid' | 'expired' | 'repealed';
  version: number;
  hash: string;
  summary: string;
  url: string;
}

export const itemUrl = (id: number) => `/catalog/items/${id}`;
/** The public URL of an item: its type's page (other modules publish through the spine too). */
export function urlOf(type: string, id: number): string {
  const t = findItemType(type);
  return t ? t.url(id) : itemUrl(id);
}

/** The types whose items the catalog lists (never empty, so that `in` stays valid SQL). */
export function catalogTypes(): string[] {
  const types = typesOf('catalog');
  return types.length ? types : [''];
}
export const inCatalog = (type: string) => findItemType(type)?.section === 'catalog';

function encodeCursor(publishedAt: string, id: number): string {
  return Buffer.from(`${publishedAt}|${id}`).toString('base64url');
}
function decodeCursor(c: string): { at: string; id: number } | null {
  const s = Buffer.from(c, 'base64url').toString();
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|(\d+)$/.exec(s);
  return m ? { at: m[1], id: Number(m[2]) } : null;
}

/** The department, topic and words filters of the lists and the feeds. */
function narrowed(f: Pick<Filters, 'department' | 'topic' | 'q'>, depts: Dept[]) {
  return (eb: ExpressionBuilder<Database & { i: Database['pub_items'] }, 'i'>) => {
    const c: Expression<SqlBool>[] = [];
    if (f.department) {
      const d = depts.find((x) => x.code === f.department);
      c.push(eb('i.department_id', '=', d ? d.id : -1));
    }
    if (f.topic) c.push(f.topic.length === 2 ? eb('i.topic', 'like', `${f.topic}%`) : eb('i.topic', '=', f.topic));
    if (f.q) for (const w of f.q.trim().split(/\s+/).slice(0, 5)) c.push(eb('i.search_text', 'like', `%${w.replace(/[%_\\]/g, '')}%`));
    return eb.and(c);
  };
}

export async function listPublic(db: Db, f: Filters, opts: { page?: number; pageSize: number; cursor?: string; count?: boolean }): Promise<{ total: number; items: ListItem[]; nextCursor?: string; badCursor?: boolean }> {
  const depts = await departments(db);
  let q = db.selectFrom('pub_items as i').where('i.public', '=', 1).where('i.type', 'in', catalogTypes()).where(narrowed(f, depts));
  if (f.genre) q = q.where('i.genre', '=', f.genre);
  if (f.year) q = q.where('i.year', '=', f.year);
  if (f.validity) q = q.where('i.validity', '=', f.validity);
  if (f.category) q = q.where('i.category', '=', f.category);
  // Dates are Beijing days: a day starts at 16:00 UTC the day before.
  if (f.publishedFrom) q = q.where('i.first_published_at', '>=', shanghaiDayStart(f.publishedFrom));
  if (f.publishedTo) q = q.where('i.first_published_at', '<', shanghaiDayEnd(f.publishedTo));
  const total = opts.count === false ? -1 : Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  let lq = q;
  if (opts.cursor) {
    const c = decodeCursor(opts.cursor);
    if (!c) return { total, items: [], badCursor: true };
    lq = lq.where((eb) => eb.or([eb('i.first_published_at', '<', c.at), eb.and([eb('i.first_published_at', '=', c.at), eb('i.id', '<', c.id)])]));
  }
  // Deferred join: page through ids on the (public, first_published_at, id) index, then read those rows.
  const idRows = await lq
    .select('i.id')
    .orderBy('i.first_published_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(opts.pageSize + (opts.cursor !== undefined ? 1 : 0))
    .offset(opts.cursor !== undefined ? 0 : ((opts.page ?? 1) - 1) * opts.pageSize)
    .execute();
  const pageIds = idRows.map((r) => r.id);
  const rows = pageIds.length
    ? await db
        .selectFrom('pub_items as i')
        .leftJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version'))
        .select(['i.id', 'i.type', 'i.index_no', 'i.title', 'i.doc_no', 'i.department_id', 'i.topic', 'i.genre', 'i.category', 'i.written_at', 'i.first_published_at', 'i.published_at', 'i.effective_at', 'i.expires_at', 'i.validity', 'i.published_version', 'i.summary', 'v.hash'])
        .where('i.id', 'in', pageIds)
        .orderBy('i.first_published_at', 'desc')
        .orderBy('i.id', 'desc')
        .execute()
    : [];
  const byId = new Map(depts.map((d) => [d.id, d]));
  const more = opts.cursor !== undefined && rows.length > opts.pageSize;
  const items = rows.slice(0, opts.pageSize).map((r) => toListItem(r, byId.get(r.department_id)));
  const last = items[items.length - 1];
  return { total, items, ...(more && last ? { nextCursor: encodeCursor(last.publishedAt, last.id) } : {}) };
}

/** What an item's last public change was (feeds). */
export type FeedChange = 'published' | 'corrected' | 'repealed' | 'expired';

/** A public item in a feed, with its last change. */
export interface FeedEntry {
  kind: 'item';
  item: ListItem;
  change: FeedChange;
  /** When the last change happened (the feed's sort key and the entry's updated date). */
  changedAt: string;
  /** 变更说明 of the published version (public on the item page's version table). */
  changeNote: string;
  /** When it was declared 废止 / 失效 (the reason is not public: the item page shows none). */
  validityChangedAt: string | null;
}

/** A withdrawn (撤回) item: only what its public page still shows — 索引号 and the date. */
export interface FeedWithdrawal {
  kind: 'withdrawn';
  id: number;
  url: string;
  indexNo: string;
  withdrawnAt: string;
  changedAt: string;
}

/**
 * The catalog items of a feed, newest last change first: public items and withdrawn ones (so
 * that a subscriber learns of the withdrawal). A search (`q`) lists no withdrawn item: matching
 * words against it would reveal its withdrawn title and summary.
 */
export async function listFeed(db: Db, f: Pick<Filters, 'department' | 'topic' | 'q'>, limit: number): Promise<(FeedEntry | FeedWithdrawal)[]> {
  const depts = await departments(db);
  let q = db
    .selectFrom('pub_items as i')
    .leftJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version'))
    .where('i.changed_at', 'is not', null)
    .where('i.type', 'in', catalogTypes());
  q = f.q ? q.where('i.public', '=', 1) : q.where((eb) => eb.or([eb('i.public', '=', 1), eb('i.withdrawn_at', 'is not', null)]));
  q = q.where(narrowed(f, depts));
  const rows = await q
    .select(['i.id', 'i.type', 'i.public', 'i.index_no', 'i.title', 'i.doc_no', 'i.department_id', 'i.topic', 'i.genre', 'i.category', 'i.written_at', 'i.first_published_at', 'i.published_at', 'i.effective_at', 'i.expires_at', 'i.validity', 'i.published_version', 'i.summary', 'i.withdrawn_at', 'i.validity_changed_at', 'i.changed_at', 'v.hash', 'v.change_note'])
    .orderBy('i.changed_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
  const byId = new Map(depts.map((d) => [d.id, d]));
  return rows.map((r): FeedEntry | FeedWithdrawal => {
    const changedAt = r.changed_at!;
    // Nothing but these four fields leaves this function for a withdrawn item.
    if (!r.public) return { kind: 'withdrawn', id: r.id, url: urlOf(r.type, r.id), indexNo: r.index_no ?? '', withdrawnAt: r.withdrawn_at!, changedAt };
    const validityChange = r.validity !== 'valid' && r.validity_changed_at && r.validity_changed_at >= (r.published_at ?? '');
    const change: FeedChange = validityChange ? (r.validity as 'repealed' | 'expired') : (r.published_version ?? 1) > 1 ? 'corrected' : 'published';
    return { kind: 'item', item: toListItem(r, byId.get(r.department_id)), change, changedAt, changeNote: r.change_note ?? '', validityChangedAt: r.validity !== 'valid' ? r.validity_changed_at : null };
  });
}

export function toListItem(r: any, d: { code: string; name: string } | undefined): ListItem {
  return {
    id: r.id,
    type: r.type,
    indexNo: r.index_no ?? '',
    title: r.title,
    docNo: r.doc_no,
    department: d?.code ?? '',
    departmentName: d?.name ?? '',
    topic: r.topic,
    topicName: topicPath(r.topic),
    genre: r.genre,
    category: r.category,
    writtenAt: r.written_at,
    publishedAt: r.first_published_at,
    updatedAt: r.published_at,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    validity: r.validity,
    version: r.published_version,
    hash: r.hash ?? '',
    summary: r.summary,
    url: urlOf(r.type, r.id),
  };
}

export interface PublicItem {
  item: ListItem;
  status: 'public' | 'withdrawn';
  withdrawnAt: string | null;
  withdrawReason: string | null;
  validityChangedAt: string | null;
  validityReason: string | null;
  version: VersionView;
  data: DocumentData;
  versions: { version: number; publishedAt: string; changeNote: string; hash: string }[];
  interpretations: ListItem[];
  interprets: ListItem[];
  related: ListItem[];
  coPublishers: { code: string; name: string }[];
}

/** An item as the public may see it: by id, or by 索引号 (catalog items only). Null when never
 *  published or of a type no mounted module registers; status 'withdrawn' when withdrawn. Items of
 *  other sections are returned too (the catalog's item page sends them to their own page). */
export async function getPublic(db: Db, idOrIndex: string | number): Promise<PublicItem | null> {
  let q = db.selectFrom('pub_items').selectAll();
  if (typeof idOrIndex === 'number' || /^\d{1,9}$/.test(idOrIndex)) q = q.where('id', '=', Number(idOrIndex));
  else q = q.where('index_no', '=', String(idOrIndex)).where('type', 'in', catalogTypes());
  const r = await q.executeTakeFirst();
  if (!r || !r.published_version || !findItemType(r.type)) return null;
  const depts = await departments(db);
  const byId = new Map(depts.map((d) => [d.id, d]));
  const vrows = await db.selectFrom('pub_versions').selectAll().where('item_id', '=', r.id).where('published_at', 'is not', null).orderBy('version').execute();
  const cur = vrows.find((v) => v.version === r.published_version)!;
  const version = versionView(cur);
  const links = await linked(db, r.id, byId);
  const li = toListItem({ ...r, hash: cur.hash }, byId.get(r.department_id));
  return {
    item: li,
    status: r.public ? 'public' : 'withdrawn',
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
    validityChangedAt: r.validity_changed_at,
    validityReason: r.validity_reason,
    version,
    data: { ...version.data, body: version.data?.body ?? '', attachments: version.data?.attachments ?? [], related: version.data?.related ?? [] },
    versions: vrows.map((v) => ({ version: v.version, publishedAt: v.published_at!, changeNote: v.change_note, hash: v.hash! })),
    ...links,
    coPublishers: (version.meta.coPublishers ?? []).map((c) => depts.find((d) => d.code === c)).filter((d): d is Dept => !!d).map((d) => ({ code: d.code, name: d.name })),
  };
}

async function linked(db: Db, id: number, byId: Map<number, Dept>) {
  const out = await db
    .selectFrom('pub_links as l')
    .innerJoin('pub_items as i', 'i.id', 'l.to_id')
    .select(['l.kind', 'i.id', 'i.type', 'i.index_no', 'i.title', 'i.doc_no', 'i.department_id', 'i.topic', 'i.genre', 'i.category', 'i.written_at', 'i.first_published_at', 'i.published_at', 'i.effective_at', 'i.expires_at', 'i.validity', 'i.published_version', 'i.summary'])
    .where('l.from_id', '=', id)
    .where('i.public', '=', 1)
    .execute();
  const inc = await db
    .selectFrom('pub_links as l')
    .innerJoin('pub_items as i', 'i.id', 'l.from_id')
    .select(['l.kind', 'i.id', 'i.type', 'i.index_no', 'i.title', 'i.doc_no', 'i.department_id', 'i.topic', 'i.genre', 'i.category', 'i.written_at', 'i.first_published_at', 'i.published_at', 'i.effective_at', 'i.expires_at', 'i.validity', 'i.published_version', 'i.summary'])
    .where('l.to_id', '=', id)
    .where('i.public', '=', 1)
    .execute();
  const li = (r: any) => toListItem(r, byId.get(r.department_id));
  const seen = new Set<number>();
  const related = [...out.filter((x) => x.kind === 'related'), ...inc.filter((x) => x.kind === 'related')].filter((x) => !seen.has(x.id) && seen.add(x.id)).map(li);
  return { interpretations: inc.filter((x) => x.kind === 'interprets').map(li), interprets: out.filter((x) => x.kind === 'interprets').map(li), related };
}

export const topicName = (code: string) => TOPIC_BY_CODE.get(code)?.name ?? code;
