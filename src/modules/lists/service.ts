// Lists, editions and adjustments. An edition is drafted (import or API), approved by someone
// other than its author with list.approve in the list's department, and then published through
// the publication spine as a 'list-edition' item (索引号, immutable version, hash, audit, search,
// feeds) in the same transaction that makes it current here.
import { parseCsv } from '../../platform/files/csv.js';
import { readTable, type TableFormat } from '../../platform/files/table.js';
import type { TextEncodingName } from '../../platform/files/encoding.js';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { can, type Principal } from '../../platform/auth/policy.js';
import { badRequest, conflict, forbidden, notFound, validationError } from '../../platform/errors.js';
import { publishApproved, defaultMeta, endApproved } from '../../platform/publication/index.js';
import { bumpGeneration } from '../../platform/publication/cache.js';
import { INT_MAX } from '../../platform/text.js';
import {
  applyChanges,
  changeCount,
  checkSnapshot,
  columnsOf,
  diffSnapshots,
  itemToRow,
  keyOf,
  listType,
  rowToItem,
  sortSnapshot,
  type Changes,
  type CheckContext,
  type ListItem,
  type ListType,
  type RowProblem,
} from './service/engine.js';
import { LIST_EDITION } from './items.js';
import { editionCategory } from './items.js';
import './schema.js';
import './service/types/index.js';

import type { Actor } from '../../platform/auth/actor.js';
import { todayShanghai } from '../../platform/calendar/index.js';
export type { Actor };
export const actorName = (a: Actor) => (typeof a === 'string' ? a : `user:${a.username}`);
const actorId = (a: Actor): number | null => (typeof a === 'string' ? null : a.id);
const allow = (a: Actor, action: string, departmentId: number) => typeof a === 'string' || can(a, action, { departmentId });

export interface ListView {
  id: number;
  type: string;
  scope: string;
  title: string;
  department: string;
  departmentName: string;
  departmentId: number;
  currentEdition: number | null;
}

export interface EditionView {
  id: number;
  listId: number;
  number: number;
  status: string;
  reason: string;
  docNo: string;
  pubItemId: number | null;
  indexNo: string | null;
  createdBy: number | null;
  approvedBy: number | null;
  rejectReason: string | null;
  createdAt: string;
  publishedAt: string | null;
  counts: { added: number; removed: number; changed: number; items: number };
}

export function requireType(type: string): ListType {
  const t = listType(type);
  if (!t) throw notFound();
  return t;
}

async function listRows(db: Db) {
  return db
    .selectFrom('lists')
    .innerJoin('departments', 'departments.id', 'lists.department_id')
    .select(['lists.id', 'lists.type', 'lists.scope', 'lists.title', 'lists.current_edition', 'lists.department_id', 'departments.code', 'departments.name', 'departments.sort'])
    .orderBy('lists.type')
    .orderBy('departments.sort')
    .orderBy('lists.id')
    .execute();
}
const listView = (r: Awaited<ReturnType<typeof listRows>>[number]): ListView => ({ id: r.id, type: r.type, scope: r.scope, title: r.title, department: r.code, departmentName: r.name, departmentId: r.department_id, currentEdition: r.current_edition });

export async function getLists(db: Db, type?: string): Promise<ListView[]> {
  return (await listRows(db)).filter((r) => !type || r.type === type).map(listView);
}

export async function getList(db: Db, id: number): Promise<ListView | null> {
  if (!Number.isInteger(id) || id <= 0 || id > INT_MAX) return null;
  return (await listRows(db)).map(listView).find((l) => l.id === id) ?? null;
}

/** Creates (or returns) the list of `type` kept by a department. */
export async function ensureList(p: Platform, t: Db, actor: Actor, type: string, departmentId: number, title: string): Promise<number> {
  const lt = requireType(type);
  const existing = await t.selectFrom('lists').select('id').where('type', '=', type).where('department_id', '=', departmentId).executeTakeFirst();
  if (existing) return existing.id;
  if (!allow(actor, 'list.edit', departmentId)) throw forbidden();
  const r = await t.insertInto('lists').values({ type, department_id: departmentId, scope: lt.scope, title, current_edition: null, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
  await p.audit(t, { actor: actorName(actor), action: 'list.create', entity: 'list', entityId: r.id, details: { type, departmentId, title } });
  return r.id;
}

function editionView(r: any, indexNo: string | null = null): EditionView {
  const ch: Changes = JSON.parse(r.changes);
  return {
    id: r.id,
    listId: r.list_id,
    number: r.number,
    status: r.status,
    reason: r.reason,
    docNo: r.doc_no,
    pubItemId: r.pub_item_id,
    indexNo,
    createdBy: r.created_by,
    approvedBy: r.approved_by,
    rejectReason: r.reject_reason,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    counts: { added: ch.added.length, removed: ch.removed.length, changed: ch.changed.length, items: JSON.parse(r.items).length },
  };
}

export async function listEditions(db: Db, listId: number, opts: { drafts?: boolean } = {}): Promise<EditionView[]> {
  let q = db.selectFrom('list_editions').leftJoin('pub_items', 'pub_items.id', 'list_editions.pub_item_id').selectAll('list_editions').select('pub_items.index_no').where('list_id', '=', listId);
  if (!opts.drafts) q = q.where('list_editions.status', '=', 'published');
  const rows = await q.orderBy('list_editions.number', 'desc').orderBy('list_editions.id', 'desc').execute();
  return rows.map((r) => editionView(r, r.index_no));
}

export async function getEdition(db: Db, id: number): Promise<(EditionView & { items: ListItem[]; changes: Changes }) | null> {
  if (!Number.isInteger(id) || id <= 0 || id > INT_MAX) return null;
  const r = await db.selectFrom('list_editions').leftJoin('pub_items', 'pub_items.id', 'list_editions.pub_item_id').selectAll('list_editions').select('pub_items.index_no').where('list_editions.id', '=', id).executeTakeFirst();
  if (!r) return null;
  return { ...editionView(r, r.index_no), items: JSON.parse(r.items), changes: JSON.parse(r.changes) };
}

/** The snapshot of the list's current published edition ([] before the first). */
export async function currentSnapshot(db: Db, listId: number): Promise<{ number: number; items: ListItem[] }> {
  const l = await db.selectFrom('lists').select('current_edition').where('id', '=', listId).executeTakeFirst();
  if (!l?.current_edition) return { number: 0, items: [] };
  const e = await db.selectFrom('list_editions').select('items').where('list_id', '=', listId).where('number', '=', l.current_edition).where('status', '=', 'published').executeTakeFirstOrThrow();
  return { number: l.current_edition, items: JSON.parse(e.items) };
}

export async function checkContext(db: Db, list: ListView): Promise<CheckContext> {
  const depts = await db.selectFrom('departments').select('code').execute();
  return { departments: new Set(depts.map((d) => d.code)), listDepartment: list.scope === 'department' ? list.department : null };
}

// ---- drafting an adjustment ---------------------------------------------------------------------

export interface AdjustmentInput {
  items: ListItem[];
  reason: string;
  docNo: string;
}

function checkAdjustment(input: { reason: string; docNo: string }): Record<string, string> {
  const f: Record<string, string> = {};
  if (!input.reason?.trim()) f.reason = 'err.lists.reason_required';
  else if (input.reason.length > 2000) f.reason = 'err.field.too_long';
  if (!input.docNo?.trim()) f.docNo = 'err.lists.docno_required';
  else if (input.docNo.length > 100) f.docNo = 'err.field.too_long';
  return f;
}

/**
 * Drafts a new edition (a full snapshot) with its change record against the current edition.
 * A newer draft replaces an unapproved one. Throws a validation error naming each row and field.
 */
export async function draftEdition(p: Platform, actor: Actor, listId: number, input: AdjustmentInput, t0?: Db): Promise<EditionView> {
  const list = await getList(t0 ?? p.db, listId);
  // Lists are public, so another department's list is visible: editing it is forbidden (403).
  if (!list) throw notFound();
  if (!allow(actor, 'list.edit', list.departmentId)) throw forbidden('err.lists.not_your_list');
  const lt = requireType(list.type);
  const fields = checkAdjustment(input);
  if (Object.keys(fields).length) throw validationError(fields);
  if (!Array.isArray(input.items) || input.items.length > 5000) throw badRequest('err.lists.items');
  const problems = checkSnapshot(lt, input.items, await checkContext(t0 ?? p.db, list));
  if (problems.length) throw validationError(problemFields(problems));
  const items = sortSnapshot(lt.key, input.items.map((i) => (lt.normalise ? lt.normalise(i) : i)));
  const run = async (t: Db) => {
    const cur = await currentSnapshot(t, listId);
    const changes = diffSnapshots(lt.key, cur.items, items);
    if (cur.number > 0 && changeCount(changes) === 0) throw conflict('err.lists.no_changes');
    await t.updateTable('list_editions').set({ status: 'discarded' }).where('list_id', '=', listId).where('status', '=', 'draft').execute();
    const now = new Date().toISOString();
    const row = await t
      .insertInto('list_editions')
      .values({ list_id: listId, number: cur.number + 1, status: 'draft', items: JSON.stringify(items), changes: JSON.stringify(changes), reason: input.reason.trim(), doc_no: input.docNo.trim(), pub_item_id: null, created_by: actorId(actor), approved_by: null, reject_reason: null, created_at: now, published_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'list.draft', entity: 'list_edition', entityId: row.id, details: { listId, number: row.number, added: changes.added.length, removed: changes.removed.length, changed: changes.changed.length, docNo: row.doc_no } });
    return editionView(row);
  };
  return t0 ? run(t0) : p.tx(run);
}

/** Row problems as API field errors: "row 3 · code" → message key. */
export function problemFields(problems: RowProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pr of problems.slice(0, 200)) out[`row ${pr.row}: ${pr.field}`] = pr.problem;
  return out;
}

// ---- approval and publication --------------------------------------------------------------------

async function lockedList(t: Db, listId: number) {
  return t.selectFrom('lists').innerJoin('departments', 'departments.id', 'lists.department_id').select(['lists.id', 'lists.type', 'lists.title', 'lists.current_edition', 'lists.department_id', 'lists.scope', 'departments.code', 'departments.name']).where('lists.id', '=', listId).executeTakeFirstOrThrow();
}

/** Publishes edition `editionId` inside `t` (the caller checked the rights). Returns the spine item id. */
export async function publishEdition(p: Platform, t: Db, actor: Actor, editionId: number, at = new Date()): Promise<number> {
  const e = await t.selectFrom('list_editions').selectAll().where('id', '=', editionId).executeTakeFirstOrThrow();
  const list = await lockedList(t, e.list_id);
  const lt = requireType(list.type);
  const items: ListItem[] = JSON.parse(e.items);
  // Recompute against what is current now, so a stale draft cannot publish a wrong change record.
  const cur = await currentSnapshot(t, list.id);
  const changes = diffSnapshots(lt.key, cur.items, items);
  const number = cur.number + 1;
  const prev = cur.number ? await t.selectFrom('list_editions').select('pub_item_id').where('list_id', '=', list.id).where('number', '=', cur.number).where('status', '=', 'published').executeTakeFirst() : null;
  const title = `${list.title}（${number === 1 ? '首版' : `第${number}版`}）`;
  const summary = number === 1 ? `共${items.length}项。` : `本次调整新增${changes.added.length}项、取消${changes.removed.length}项、变更${changes.changed.length}项，调整后共${items.length}项。调整理由：${e.reason}`;
  const day = todayShanghai(at);
  const { id: pubId } = await publishApproved(
    p,
    t,
    actor,
    {
        type: LIST_EDITION,
        departmentId: list.department_id,
        meta: defaultMeta({ title, docNo: e.doc_no, genre: '其他', category: editionCategory(list.type), summary: summary.slice(0, 2000), keywords: ['清单', list.title], writtenAt: day, formedAt: day }),
        data: { listId: list.id, listType: list.type, listTitle: list.title, department: list.code, edition: number, reason: e.reason, docNo: e.doc_no, items, changes, previous: prev?.pub_item_id ?? null, attachments: [] },
        publishedAt: at,
        changeNote: e.reason,
    },
    // Demo data is history: not delivered to channels (like the catalog's demo).
    { deliver: actor !== 'demo' },
  );
  await t
    .updateTable('list_editions')
    .set({ status: 'published', number, changes: JSON.stringify(changes), pub_item_id: pubId, approved_by: actorId(actor), published_at: at.toISOString() })
    .where('id', '=', editionId)
    .execute();
  await t.updateTable('lists').set({ current_edition: number }).where('id', '=', list.id).execute();
  const rows = items.map((it) => {
    const f = lt.facets(it);
    return { edition_id: editionId, list_id: list.id, type: list.type, item_key: keyOf(lt, it), name: String(it[lt.name] ?? '').slice(0, 500), department: f.department ?? (list.scope === 'department' ? list.code : null), power_type: f.powerType ?? null, category: f.category ?? null, search: lt.searchText(it).toLowerCase().slice(0, 20000), data: JSON.stringify(it) };
  });
  for (let i = 0; i < rows.length; i += 200) await t.insertInto('list_items').values(rows.slice(i, i + 200)).execute();
  await p.audit(t, { actor: actorName(actor), action: 'list.publish', entity: 'list_edition', entityId: editionId, details: { listId: list.id, number, pubItemId: pubId, docNo: e.doc_no, added: changes.added.length, removed: changes.removed.length, changed: changes.changed.length } });
  return pubId;
}

/** Approves a draft edition: list.approve in the list's department, and not its own author. */
export async function approveEdition(p: Platform, actor: Actor, editionId: number): Promise<EditionView> {
  const e0 = await getEdition(p.db, editionId);
  const list = e0 && (await getList(p.db, e0.listId));
  // Drafts are internal: only those who may edit or approve the list's department see them.
  if (!e0 || !list || e0.status === 'discarded' || !(allow(actor, 'list.edit', list.departmentId) || allow(actor, 'list.approve', list.departmentId))) throw notFound();
  if (!allow(actor, 'list.approve', list.departmentId)) throw forbidden('err.lists.no_right_approve');
  if (e0.status !== 'draft') throw conflict('err.lists.not_draft');
  if (actorId(actor) != null && e0.createdBy === actorId(actor)) throw forbidden('err.lists.author_cannot_approve');
  await p.tx(async (t) => {
    // Claim the draft: the conditional update takes the row lock, so two approvals cannot both publish.
    const claimed = await t.updateTable('list_editions').set({ status: 'approving' }).where('id', '=', editionId).where('status', '=', 'draft').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw conflict('err.lists.not_draft');
    const before = await t.selectFrom('list_editions').innerJoin('lists', 'lists.id', 'list_editions.list_id').select('list_editions.pub_item_id').where('list_editions.list_id', '=', list.id).whereRef('list_editions.number', '=', 'lists.current_edition').where('list_editions.status', '=', 'published').executeTakeFirst();
    await publishEdition(p, t, actor, editionId);
    // The superseded edition's publication is marked 失效 in the same transaction (audited, delivered).
    if (before?.pub_item_id) await endApproved(p, t, 'system', before.pub_item_id, 'expired', '已被新版清单替代');
  });
  bumpGeneration();
  return (await getEdition(p.db, editionId))!;
}

export async function rejectEdition(p: Platform, actor: Actor, editionId: number, reason: string): Promise<void> {
  const e0 = await getEdition(p.db, editionId);
  const list = e0 && (await getList(p.db, e0.listId));
  // Drafts are internal: only those who may edit or approve the list's department see them.
  if (!e0 || !list || e0.status === 'discarded' || !(allow(actor, 'list.edit', list.departmentId) || allow(actor, 'list.approve', list.departmentId))) throw notFound();
  if (!allow(actor, 'list.approve', list.departmentId)) throw forbidden('err.lists.no_right_approve');
  if (!reason.trim()) throw validationError({ reason: 'err.lists.reason_required' });
  await p.tx(async (t) => {
    const n = await t.updateTable('list_editions').set({ status: 'rejected', reject_reason: reason.trim().slice(0, 1000) }).where('id', '=', editionId).where('status', '=', 'draft').executeTakeFirst();
    if (Number(n.numUpdatedRows) !== 1) throw conflict('err.lists.not_draft');
    await p.audit(t, { actor: actorName(actor), action: 'list.reject', entity: 'list_edition', entityId: editionId, details: { reason } });
  });
}

// ---- import / export ----------------------------------------------------------------------------

export interface ImportReport {
  rows: number;
  /** What was read: CSV (with the encoding it was read in) or XLSX; null when nothing could be read. */
  format: TableFormat | null;
  encoding: TextEncodingName | null;
  problems: RowProblem[];
  dryRun: boolean;
  changes: { added: number; removed: number; changed: number } | null;
  editionId: number | null;
}

/** Parses a CSV or XLSX table into items; every problem is reported with its row and field (`lines`: each row's line in the file, when known). */
export function parseTable(lt: ListType, table: string[][], ctx: CheckContext, rowNumbers?: number[]): { items: ListItem[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  if (table.length === 0) return { items: [], problems: [{ row: 1, field: '-', problem: 'err.lists.empty_file' }] };
  const header = table[0].map((h) => h.trim());
  const cols = columnsOf(lt);
  for (const h of header) if (h && !cols.includes(h)) problems.push({ row: 1, field: h, problem: 'err.lists.unknown_column' });
  if (!header.includes(lt.key)) problems.push({ row: 1, field: lt.key, problem: 'err.lists.missing_column' });
  const items: ListItem[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const row = rowNumbers?.[i + 1] ?? i + 2;
    const r = rowToItem(lt, header, cells, row, ctx);
    problems.push(...r.problems);
    const key = (cells[header.indexOf(lt.key)] ?? '').trim();
    if (key) {
      if (seen.has(key)) problems.push({ row, field: lt.key, problem: 'err.lists.duplicate_key' });
      else seen.set(key, row);
    }
    if (r.item) items.push(r.item);
  });
  if (table.length === 1) problems.push({ row: 2, field: '-', problem: 'err.lists.no_rows' });
  return { items, problems };
}

/** All-or-nothing: either every row is valid and one draft edition is created, or nothing is. */
export async function importEdition(p: Platform, actor: Actor, listId: number, file: { buf: Buffer; name: string; field?: string }, opts: { reason: string; docNo: string; dryRun?: boolean }): Promise<ImportReport> {
  const list = await getList(p.db, listId);
  if (!list) throw notFound();
  if (!allow(actor, 'list.edit', list.departmentId)) throw forbidden('err.lists.not_your_list');
  const lt = requireType(list.type);
  // A CSV in its detected encoding (GB18030 from Chinese Excel and WPS), an XLSX in a worker thread within the GONGKAI_EXTRACT_* limits (422 on `field`).
  const read = await readTable(p.config, file.buf, file.name, { field: file.field });
  const table = read.rows;
  const { items, problems } = parseTable(lt, table, await checkContext(p.db, list), read.rowNumbers);
  const f = checkAdjustment(opts);
  for (const [field, problem] of Object.entries(f)) problems.unshift({ row: 0, field, problem });
  const report: ImportReport = { rows: Math.max(0, table.length - 1), format: read.format, encoding: read.encoding, problems, dryRun: !!opts.dryRun, changes: null, editionId: null };
  if (problems.length) return report;
  const cur = await currentSnapshot(p.db, listId);
  const ch = diffSnapshots(lt.key, cur.items, sortSnapshot(lt.key, items));
  report.changes = { added: ch.added.length, removed: ch.removed.length, changed: ch.changed.length };
  if (opts.dryRun) return report;
  const e = await draftEdition(p, actor, listId, { items, reason: opts.reason, docNo: opts.docNo });
  report.editionId = e.id;
  return report;
}

export function exportRows(lt: ListType, items: ListItem[]): string[][] {
  return [columnsOf(lt), ...items.map((i) => itemToRow(lt, i))];
}


// ---- reading items --------------------------------------------------------------------------------

export interface ItemQuery {
  department?: string;
  q?: string;
  powerType?: string;
  category?: string;
  applicant?: string;
  list?: number;
  page?: number;
  pageSize?: number;
}

export interface ItemRowView {
  list: number;
  edition: number;
  editionId: number;
  key: string;
  name: string;
  department: string | null;
  powerType: string | null;
  category: string | null;
  data: ListItem;
}

/** Items of the current editions of every list of `type`, filtered. */
export async function queryItems(db: Db, type: string, f: ItemQuery): Promise<{ total: number; items: ItemRowView[] }> {
  requireType(type);
  let q = db
    .selectFrom('list_items')
    .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
    .innerJoin('lists', 'lists.id', 'list_items.list_id')
    .where('list_items.type', '=', type)
    .whereRef('list_editions.number', '=', 'lists.current_edition')
    .where('list_editions.status', '=', 'published');
  if (f.department) q = q.where('list_items.department', '=', f.department);
  if (f.powerType) q = q.where('list_items.power_type', '=', f.powerType);
  if (f.category) q = q.where('list_items.category', '=', f.category);
  if (f.applicant) q = q.where('list_items.category', 'like', `%${f.applicant.replace(/[%_]/g, '')}%`);
  if (f.list) q = q.where('list_items.list_id', '=', f.list);
  for (const word of (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5)) {
    const w = `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where(sql<boolean>`(list_items.search like ${w} escape '\\' or list_items.item_key like ${w} escape '\\')`);
  }
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const size = Math.min(200, Math.max(1, f.pageSize ?? 50));
  const page = Math.max(1, f.page ?? 1);
  const rows = await q
    .select(['list_items.list_id', 'list_items.edition_id', 'list_editions.number', 'list_items.item_key', 'list_items.name', 'list_items.department', 'list_items.power_type', 'list_items.category', 'list_items.data', 'list_items.id'])
    .orderBy('list_items.list_id')
    .orderBy('list_items.id')
    .limit(size)
    .offset((page - 1) * size)
    .execute();
  return { total, items: rows.map((r) => ({ list: r.list_id, edition: r.number, editionId: r.edition_id, key: r.item_key, name: r.name, department: r.department, powerType: r.power_type, category: r.category, data: JSON.parse(r.data) })) };
}

export interface HistoryEntry {
  edition: number;
  editionId: number;
  publishedAt: string | null;
  docNo: string;
  reason: string;
  /** What happened to the item in this edition. */
  event: 'added' | 'changed' | 'unchanged' | 'removed';
  fields: { field: string; from: unknown; to: unknown }[];
  item: ListItem | null;
}

/** One item across the editions of its list: when it was added, changed (which fields) and removed. */
export async function itemHistory(db: Db, listId: number, key: string): Promise<HistoryEntry[]> {
  const eds = await db.selectFrom('list_editions').select(['id', 'number', 'published_at', 'doc_no', 'reason', 'changes']).where('list_id', '=', listId).where('status', '=', 'published').orderBy('number').execute();
  const rows = await db.selectFrom('list_items').select(['edition_id', 'data']).where('list_id', '=', listId).where('item_key', '=', key).execute();
  const byEdition = new Map(rows.map((r) => [r.edition_id, JSON.parse(r.data) as ListItem]));
  const out: HistoryEntry[] = [];
  let present = false;
  for (const e of eds) {
    const item = byEdition.get(e.id) ?? null;
    const ch: Changes = JSON.parse(e.changes);
    const base = { edition: e.number, editionId: e.id, publishedAt: e.published_at, docNo: e.doc_no, reason: e.reason, item };
    if (item && !present) out.push({ ...base, event: 'added', fields: [] });
    else if (item) {
      const c = ch.changed.find((x) => x.key === key);
      out.push({ ...base, event: c ? 'changed' : 'unchanged', fields: c?.fields ?? [] });
    } else if (present) out.push({ ...base, event: 'removed', fields: [] });
    present = !!item;
  }
  return out;
}

/** The change record between any two published editions of one list (a → b, either order). */
export async function diffEditions(db: Db, type: string, a: number, b: number): Promise<{ list: ListView; from: EditionView; to: EditionView; changes: Changes }> {
  const lt = requireType(type);
  const ea = await getEdition(db, a);
  const eb = await getEdition(db, b);
  if (!ea || !eb || ea.status !== 'published' || eb.status !== 'published' || ea.listId !== eb.listId) throw notFound();
  const list = (await getList(db, ea.listId))!;
  if (list.type !== type) throw notFound();
  const { items: ia, changes: _ca, ...va } = ea;
  const { items: ib, changes: _cb, ...vb } = eb;
  void _ca;
  void _cb;
  return { list, from: va, to: vb, changes: diffSnapshots(lt.key, ia, ib) };
}

export { applyChanges };

export { parseCsv };
