// Imports of the registers from CSV or XLSX (platform/files/table.ts: a CSV in whatever encoding
// the office program saved it, GB18030 included, or an XLSX's first sheet), as a job over the
// stored file, so a file of 100,000 entities neither holds a request nor the database for long.
//
//   upload → queued → running (every row checked) → failed (the report: row, field, message; nothing written)
//                                                 → checked (rows would overwrite existing entries: waits for a confirmation)
//                                                 → running (written in chunks, `done` of `total`) → done (created / updated / unchanged)
//
// All or nothing: no row is written unless every row passes, duplicates inside the file
// included. The writing itself is a series of chunked upserts by credit code (entities) or cert
// number (inspectors), each chunk in its own transaction with the progress, so other requests are
// served meanwhile; writing again the same rows is harmless, so a job interrupted midway (a crash)
// finishes the same when it runs again. The rows are checked once more at confirmation, against
// the registers as they then stand.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import type { JobRow } from '../../../platform/jobs/index.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { loadPrincipal } from '../../../platform/auth/identity.js';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../../../platform/errors.js';
import { filePath, readStored, safeFileName } from '../../../platform/files/index.js';
import { readTable, tableFormat, type TableFormat } from '../../../platform/files/table.js';
import type { TextEncodingName } from '../../../platform/files/encoding.js';
import { toCsv } from '../../../platform/files/csv.js';
import { sm3 } from '../../../platform/hash.js';
import { activeDepartments, checkEntity, checkInspector, findDepartment, loose, writerDepartment, type DeptRef, type EntityValue, type InspectorValue, type Problem } from './registers.js';
import '../schema.js';

export const IMPORT_JOB = 'enforcement.register-import';
export const IMPORT_KINDS = ['entities', 'inspectors'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['queued', 'running', 'checked', 'done', 'failed'] as const;

/** Rows written per statement and transaction. */
export const CHUNK = 1000;
/** The least time the job gives the worker thread to read a file (the other GONGKAI_EXTRACT_* limits apply as they are). */
export const READ_TIMEOUT_MS = 120_000;
/** Problems kept in a report (their count is kept whatever it is). */
export const MAX_PROBLEMS = 10_000;

interface Column {
  field: string;
  required: boolean;
  /** The template's header first, then what else a header may say (compared loosely: case, spaces and a bracketed note ignored). */
  headers: string[];
}

/** The columns of each register: Chinese headers as the national systems' exports have them, English aliases too. */
export const IMPORT_COLUMNS: Record<ImportKind, Column[]> = {
  entities: [
    { field: 'creditCode', required: true, headers: ['统一社会信用代码', '社会信用代码', '信用代码', '注册号/统一社会信用代码', 'creditCode', 'credit code', 'uscc', 'unified social credit code'] },
    { field: 'name', required: true, headers: ['名称', '主体名称', '市场主体名称', '企业名称', '单位名称', 'name'] },
    { field: 'address', required: true, headers: ['住所', '地址', '经营场所', '住所（经营场所）', 'address'] },
    { field: 'legalRep', required: false, headers: ['法定代表人', '法定代表人（负责人）', '负责人', '经营者', 'legalRep', 'legal representative'] },
    { field: 'industry', required: true, headers: ['行业', '行业代码', '所属行业', '国民经济行业', 'industry'] },
    { field: 'risk', required: true, headers: ['风险等级', '风险', '风险分类', 'risk', 'risk level'] },
    { field: 'area', required: true, headers: ['区域', '所属区域', '街道', '所属街道', '街道（乡镇）', 'area'] },
    { field: 'active', required: false, headers: ['状态', '登记状态', '经营状态', 'active', 'status'] },
  ],
  inspectors: [
    { field: 'certNo', required: true, headers: ['执法证号', '执法证件号', '执法证编号', '执法证件号码', 'certNo', 'cert no', 'certificate number'] },
    { field: 'name', required: true, headers: ['姓名', '名称', 'name'] },
    { field: 'department', required: false, headers: ['部门', '所属部门', '执法部门', '单位', 'department'] },
    { field: 'fields', required: true, headers: ['执法领域', '检查领域', '领域', 'fields', 'field'] },
    { field: 'phone', required: false, headers: ['联系电话', '电话', '手机', 'phone'] },
    { field: 'active', required: false, headers: ['状态', '在岗状态', 'active', 'status'] },
  ],
};

const headerKey = (h: string) => loose(h.replace(/[（(][^）)]*[）)]/g, '').replace(/[*＊]/g, ''));

/** The template: a CSV with the header row only (UTF-8 with BOM, which Excel and WPS read). */
export function importTemplate(kind: ImportKind): string {
  return toCsv([IMPORT_COLUMNS[kind].map((c) => c.headers[0])]);
}

export interface ReportProblem extends Problem {
  /** The row as the spreadsheet program shows it (1 = the header); 0 for the file itself. */
  row: number;
}

export interface ImportReport {
  /** What the next run does: 'check' stops before writing when existing rows would be overwritten unconfirmed; 'write' writes. */
  phase: 'check' | 'write';
  /** Overwriting existing entries is confirmed (at upload or afterwards). */
  confirm: boolean;
  format: TableFormat | null;
  encoding: TextEncodingName | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: ReportProblem[];
  problemCount: number;
  /** Headers of the file that are no column of the register (left out). */
  ignored: string[];
}

const emptyReport = (confirm: boolean): ImportReport => ({ phase: 'check', confirm, format: null, encoding: null, rows: 0, created: 0, updated: 0, unchanged: 0, problems: [], problemCount: 0, ignored: [] });

export interface ImportView {
  id: number;
  kind: ImportKind;
  status: (typeof IMPORT_STATUSES)[number];
  department: string;
  departmentName: string;
  departmentId: number;
  fileName: string;
  total: number;
  done: number;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  report: ImportReport;
}

// ---- upload ----------------------------------------------------------------------------------

/** Keeps the uploaded bytes in the content-addressed store (storeFile takes documents and images, not CSV). */
function keepBytes(dataDir: string, buf: Buffer): string {
  const hash = sm3(buf);
  const path = filePath(dataDir, hash);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  }
  return hash;
}

/**
 * Stores the file and queues its import: 202 material. `department` (code) is the department the
 * rows are recorded for (entities) or the inspectors' default one; `confirm` allows overwriting
 * existing entries without stopping at 'checked'.
 */
export async function startImport(p: Platform, actor: Principal, file: { buf: Buffer; name: string }, opts: { kind: string; department?: string; confirm?: boolean }): Promise<ImportView> {
  if (!(IMPORT_KINDS as readonly string[]).includes(opts.kind)) throw badRequest('err.validation', { kind: 'enforcement.err.import_kind' });
  if (!file.buf.length) throw badRequest('err.file.empty', { file: 'err.file.empty' });
  const zip = file.buf.length >= 4 && file.buf.readUInt32LE(0) === 0x04034b50;
  if (!zip && tableFormat(file.name) !== 'csv') throw new HttpError(415, 'unsupported_media_type', 'err.file.table_type', { file: 'err.file.table_type' });
  if (file.buf.length > p.config.uploadLimit) throw new HttpError(413, 'payload_too_large', 'err.file.too_large', undefined, { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) });
  const dept = writerDepartment(actor, await activeDepartments(p.db), opts.department || undefined);
  const hash = keepBytes(p.config.dataDir, file.buf);
  const name = safeFileName(file.name, zip ? 'xlsx' : undefined);
  const now = new Date().toISOString();
  const id = await p.tx(async (t) => {
    const row = await t
      .insertInto('enf_imports')
      .values({ kind: opts.kind, department_id: dept.id, file_hash: hash, file_name: name, status: 'queued', total: 0, done: 0, report: JSON.stringify(emptyReport(!!opts.confirm)), created_by: actor.username, created_at: now, finished_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.jobs.enqueue(t, IMPORT_JOB, { id: row.id }, { key: `${IMPORT_JOB}:${row.id}:check`, maxAttempts: 3 });
    await p.audit(t, { actor: `user:${actor.username}`, action: 'enforcement.import.start', entity: 'enf_import', entityId: row.id, details: { kind: opts.kind, file: name, hash, department: dept.code, confirm: !!opts.confirm } });
    return row.id;
  });
  return (await loadImport(p.db, id))!;
}

/** Confirms an import that stopped at 'checked' (rows would overwrite existing entries): it is written. */
export async function confirmImport(p: Platform, actor: Principal, id: number): Promise<ImportView> {
  const imp = await staffImport(p, actor, id);
  if (!can(actor, 'enforcement.register', { departmentId: imp.departmentId })) throw forbidden('enforcement.err.not_your_register');
  if (imp.status !== 'checked') throw conflict('enforcement.err.import_not_checked', undefined, { status: `enforcement.import_status.${imp.status}` });
  await p.tx(async (t) => {
    const r = await t
      .updateTable('enf_imports')
      .set({ status: 'queued', report: JSON.stringify({ ...imp.report, phase: 'write', confirm: true }) })
      .where('id', '=', id)
      .where('status', '=', 'checked')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('enforcement.err.import_not_checked', undefined, { status: 'enforcement.import_status.queued' });
    await p.jobs.enqueue(t, IMPORT_JOB, { id }, { key: `${IMPORT_JOB}:${id}:write`, maxAttempts: 3 });
    await p.audit(t, { actor: `user:${actor.username}`, action: 'enforcement.import.confirm', entity: 'enf_import', entityId: id, details: { updated: imp.report.updated } });
  });
  return (await loadImport(p.db, id))!;
}

// ---- reading ---------------------------------------------------------------------------------

function parseReport(json: string): ImportReport {
  try {
    return { ...emptyReport(false), ...(JSON.parse(json) as Partial<ImportReport>) };
  } catch {
    return emptyReport(false);
  }
}

async function loadImport(db: Db, id: number): Promise<ImportView | null> {
  const r = await db
    .selectFrom('enf_imports as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.id', 'i.kind', 'i.status', 'i.department_id', 'i.file_name', 'i.total', 'i.done', 'i.report', 'i.created_by', 'i.created_at', 'i.finished_at', 'd.code', 'd.name'])
    .where('i.id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    status: r.status as ImportView['status'],
    department: r.code,
    departmentName: r.name,
    departmentId: r.department_id,
    fileName: r.file_name,
    total: r.total,
    done: r.done,
    createdBy: r.created_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    report: parseReport(r.report),
  };
}

/** An import for a staff page: its author, or a holder of `enforcement.read` on its department (404 otherwise). */
export async function staffImport(p: Platform, actor: Principal, id: number): Promise<ImportView> {
  const imp = await loadImport(p.db, id);
  if (!imp || (imp.createdBy !== actor.username && !can(actor, 'enforcement.read', { departmentId: imp.departmentId }))) throw notFound();
  return imp;
}

/** The latest imports the caller may see. */
export async function recentImports(p: Platform, actor: Principal, limit = 20): Promise<ImportView[]> {
  const scope = scopeOf(actor, 'enforcement.read');
  let q = p.db.selectFrom('enf_imports').select('id');
  if (scope !== 'all') q = q.where((eb) => eb.or([eb('created_by', '=', actor.username), eb('department_id', 'in', scope.size ? [...scope] : [-1])]));
  const ids = await q.orderBy('id', 'desc').limit(limit).execute();
  return (await Promise.all(ids.map((r) => loadImport(p.db, r.id)))).filter((x): x is ImportView => !!x);
}

/** The message key of a report's field: the register's column, or the file itself. */
export const columnLabel = (kind: ImportKind, field: string): string => (field === 'file' ? 'enforcement.import.file' : kind === 'inspectors' && field === 'name' ? 'enforcement.col.inspectorName' : `enforcement.col.${field}`);

/** The report's problems as CSV (row, field, message) in the reader's language. */
export function reportCsv(imp: ImportView, t: (key: string, params?: Record<string, string | number>) => string): string {
  const label = (f: string) => t(columnLabel(imp.kind, f));
  return toCsv([[t('enforcement.import.row'), t('enforcement.import.field'), t('enforcement.import.problem')], ...imp.report.problems.map((x) => [String(x.row), label(x.field), t(x.key, x.params)])]);
}

// ---- checking the rows -----------------------------------------------------------------------

interface Parsed<V> {
  row: number;
  value: V;
}

interface Checked<V> {
  rows: Parsed<V>[];
  problems: ReportProblem[];
  problemCount: number;
  ignored: string[];
  /** Fields present in the file (an absent optional column keeps what an existing entry has). */
  present: Set<string>;
}

function mapHeader(kind: ImportKind, header: string[], problems: ReportProblem[], headerRow: number): { index: Map<string, number>; ignored: string[] } {
  const cols = IMPORT_COLUMNS[kind];
  const lookup = new Map<string, string>();
  for (const c of cols) for (const h of c.headers) lookup.set(headerKey(h), c.field);
  const index = new Map<string, number>();
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const f = lookup.get(headerKey(h));
    if (!f) {
      if (h.trim()) ignored.push(h.trim().slice(0, 40));
    } else if (index.has(f)) problems.push({ row: headerRow, field: f, key: 'enforcement.err.column_twice', params: { column: h.trim().slice(0, 40) } });
    else index.set(f, i);
  });
  for (const c of cols) if (c.required && !index.has(c.field)) problems.push({ row: headerRow, field: c.field, key: 'enforcement.err.column_missing', params: { column: c.headers[0] } });
  return { index, ignored };
}

/** Reads the table and checks every row on its own (values, duplicates inside the file). */
function checkRows<V extends { key: string }>(kind: ImportKind, table: { rows: string[][]; rowNumbers: number[] }, check: (raw: Record<string, string>) => { value: V; problems: Problem[] }, keyField: string): Checked<V> {
  const problems: ReportProblem[] = [];
  let problemCount = 0;
  const add = (x: ReportProblem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(x);
  };
  const out: Checked<V> = { rows: [], problems, problemCount: 0, ignored: [], present: new Set() };
  if (!table.rows.length) {
    add({ row: 1, field: 'file', key: 'enforcement.err.import_empty' });
    return { ...out, problemCount };
  }
  const headerProblems: ReportProblem[] = [];
  const { index, ignored } = mapHeader(kind, table.rows[0], headerProblems, table.rowNumbers[0]);
  headerProblems.forEach(add);
  out.ignored = ignored;
  out.present = new Set(index.keys());
  if (headerProblems.length) return { ...out, problemCount };
  if (table.rows.length < 2) {
    add({ row: table.rowNumbers[0] + 1, field: 'file', key: 'enforcement.err.import_empty' });
    return { ...out, problemCount };
  }
  const seen = new Map<string, number>();
  const cols = [...index.entries()];
  for (let i = 1; i < table.rows.length; i++) {
    const row = table.rowNumbers[i];
    const cells = table.rows[i];
    const raw: Record<string, string> = {};
    for (const [f, k] of cols) raw[f] = cells[k] ?? '';
    const { value, problems: pr } = check(raw);
    for (const x of pr) add({ row, ...x });
    if (value.key) {
      const first = seen.get(value.key);
      if (first !== undefined) add({ row, field: keyField, key: 'enforcement.err.duplicate_row', params: { row: first } });
      else seen.set(value.key, row);
    }
    if (!pr.length) out.rows.push({ row, value });
  }
  return { ...out, problemCount };
}

// ---- the job ---------------------------------------------------------------------------------

type EntityRowValue = EntityValue & { key: string };
type InspectorRowValue = InspectorValue & { key: string; departmentId?: number };

async function setImport(db: Db, id: number, set: { status?: string; total?: number; done?: number; report?: ImportReport; finished_at?: string | null }): Promise<void> {
  await db
    .updateTable('enf_imports')
    .set({ ...set, ...(set.report ? { report: JSON.stringify(set.report) } : {}) } as never)
    .where('id', '=', id)
    .execute();
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Runs one step of an import (the job's handler). Problems end it as 'failed' with the report; only unexpected errors are thrown (the job is retried). */
export async function runImport(p: Platform, id: number, job?: Pick<JobRow, 'attempts'>): Promise<void> {
  const imp = await loadImport(p.db, id);
  if (!imp || (imp.status !== 'queued' && imp.status !== 'running')) return;
  const report: ImportReport = { ...imp.report, problems: [], problemCount: 0 };
  const fail = async (problems: ReportProblem[], count = problems.length) => {
    await setImport(p.db, id, { status: 'failed', done: 0, report: { ...report, problems, problemCount: count }, finished_at: new Date().toISOString() });
  };
  try {
    await setImport(p.db, id, { status: 'running', done: 0 });
    const user = await p.db.selectFrom('users').select('id').where('username', '=', imp.createdBy).executeTakeFirst();
    const actor = user ? await loadPrincipal(p.db, user.id, 'session') : null;
    if (!actor || !can(actor, 'enforcement.register', { departmentId: imp.departmentId })) return fail([{ row: 0, field: 'file', key: 'enforcement.err.import_no_right' }]);
    let table;
    try {
      // Off the request path, in a worker thread: a register of 100,000 rows may take longer to
      // read than an upload checked while its sender waits (GONGKAI_EXTRACT_TIMEOUT_MS).
      const config = { ...p.config, extractTimeoutMs: Math.max(p.config.extractTimeoutMs, READ_TIMEOUT_MS) };
      table = await readTable(config, readStored(p.config.dataDir, await fileHash(p.db, id)), imp.fileName);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status >= 500) throw err;
      return fail([{ row: Number(err.params?.line ?? 0), field: 'file', key: err.message, params: err.params }]);
    }
    report.format = table.format;
    report.encoding = table.encoding;
    report.rows = Math.max(0, table.rows.length - 1);
    await setImport(p.db, id, { total: report.rows });
    const depts = await activeDepartments(p.db);
    const out = imp.kind === 'entities' ? await checkEntities(p.db, table) : await checkInspectors(p.db, table, imp, actor, depts);
    report.ignored = out.ignored;
    if (out.problemCount) return fail(out.problems, out.problemCount);
    Object.assign(report, { created: out.created, updated: out.updated, unchanged: out.unchanged });
    if (report.phase === 'check' && out.updated > 0 && !report.confirm) {
      await setImport(p.db, id, { status: 'checked', report });
      return;
    }
    report.phase = 'write';
    let done = 0;
    for (const part of chunks<Classified<EntityRowValue | InspectorRowValue>['rows'][number]>(out.rows, CHUNK)) {
      const write = part.filter((r) => r.change !== 'same');
      done += part.length;
      await p.tx(async (t) => {
        if (write.length) await (imp.kind === 'entities' ? writeEntities(t, write as never, imp.departmentId) : writeInspectors(t, write as never));
        await setImport(t, id, { done });
      });
    }
    const finished = new Date().toISOString();
    await p.tx(async (t) => {
      await setImport(t, id, { status: 'done', done: report.rows, report, finished_at: finished });
      await p.audit(t, { actor: `user:${actor.username}`, action: `enforcement.import.${imp.kind}`, entity: 'enf_import', entityId: id, details: { file: imp.fileName, department: imp.department, rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged } });
    });
  } catch (err) {
    // The last attempt: say so rather than leave the import running for ever.
    if (job && job.attempts >= 3) await fail([{ row: 0, field: 'file', key: 'enforcement.err.import_crashed' }]).catch(() => {});
    throw err;
  }
}

async function fileHash(db: Db, id: number): Promise<string> {
  return (await db.selectFrom('enf_imports').select('file_hash').where('id', '=', id).executeTakeFirstOrThrow()).file_hash;
}

type Change = 'new' | 'update' | 'same';
type Classified<V> = Pick<ImportReport, 'created' | 'updated' | 'unchanged' | 'problems' | 'problemCount' | 'ignored'> & { rows: (Parsed<V> & { change: Change })[] };

const ENTITY_FIELDS = ['name', 'address', 'legal_rep', 'industry', 'risk', 'area', 'active'] as const;
const ENTITY_COLUMN: Record<(typeof ENTITY_FIELDS)[number], string> = { name: 'name', address: 'address', legal_rep: 'legalRep', industry: 'industry', risk: 'risk', area: 'area', active: 'active' };

async function checkEntities(db: Db, table: { rows: string[][]; rowNumbers: number[] }): Promise<Classified<EntityRowValue>> {
  const c = checkRows<EntityRowValue>('entities', table, (raw) => {
    const r = checkEntity(raw);
    return { value: { ...r.value, key: r.value.credit_code }, problems: r.problems };
  }, 'creditCode');
  const out: Classified<EntityRowValue> = { rows: [], created: 0, updated: 0, unchanged: 0, problems: c.problems, problemCount: c.problemCount, ignored: c.ignored };
  if (c.problemCount) return out;
  // The first import into an empty register: every row is new (no lookups).
  const empty = !(await db.selectFrom('enf_entities').select('id').limit(1).executeTakeFirst());
  for (const part of chunks(c.rows, CHUNK)) {
    const found = empty ? [] : await db.selectFrom('enf_entities').select(['credit_code', 'name', 'address', 'legal_rep', 'industry', 'risk', 'area', 'active']).where('credit_code', 'in', part.map((r) => r.value.key)).execute();
    const existing = new Map(found.map((e) => [e.credit_code, e]));
    for (const r of part) {
      const e = existing.get(r.value.key);
      if (!e) {
        r.value.active ??= 1;
        out.rows.push({ ...r, change: 'new' });
        out.created++;
        continue;
      }
      // A column the file does not have keeps what the register holds.
      for (const f of ENTITY_FIELDS) if (!c.present.has(ENTITY_COLUMN[f])) (r.value as unknown as Record<string, unknown>)[f] = e[f];
      const same = ENTITY_FIELDS.every((f) => r.value[f] === e[f]);
      out.rows.push({ ...r, change: same ? 'same' : 'update' });
      if (same) out.unchanged++;
      else out.updated++;
    }
  }
  return out;
}

async function writeEntities(t: Db, rows: Parsed<EntityRowValue>[], departmentId: number): Promise<void> {
  const now = new Date().toISOString();
  await t
    .insertInto('enf_entities')
    .values(rows.map(({ value: v }) => ({ credit_code: v.credit_code, name: v.name, address: v.address, legal_rep: v.legal_rep, industry: v.industry, risk: v.risk, area: v.area, active: v.active ?? 1, department_id: departmentId, created_at: now, updated_at: now })))
    .onConflict((oc) =>
      oc.column('credit_code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        address: eb.ref('excluded.address'),
        legal_rep: eb.ref('excluded.legal_rep'),
        industry: eb.ref('excluded.industry'),
        risk: eb.ref('excluded.risk'),
        area: eb.ref('excluded.area'),
        active: eb.ref('excluded.active'),
        department_id: eb.ref('excluded.department_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

async function checkInspectors(db: Db, table: { rows: string[][]; rowNumbers: number[] }, imp: ImportView, actor: Principal, depts: DeptRef[]): Promise<Classified<InspectorRowValue>> {
  const problems: ReportProblem[] = [];
  const c = checkRows<InspectorRowValue>('inspectors', table, (raw) => {
    const r = checkInspector(raw);
    const pr = [...r.problems];
    const dept = r.value.department ? findDepartment(depts, r.value.department) : depts.find((d) => d.id === imp.departmentId);
    if (!dept) pr.push({ field: 'department', key: 'enforcement.err.department' });
    else if (!can(actor, 'enforcement.register', { departmentId: dept.id })) pr.push({ field: 'department', key: 'enforcement.err.not_your_register' });
    return { value: { ...r.value, key: r.value.cert_no, departmentId: dept?.id }, problems: pr };
  }, 'certNo');
  const out: Classified<InspectorRowValue> = { rows: [], created: 0, updated: 0, unchanged: 0, problems: c.problems, problemCount: c.problemCount, ignored: c.ignored };
  if (c.problemCount) return out;
  for (const part of chunks(c.rows, CHUNK)) {
    const existing = new Map(
      (await db.selectFrom('enf_inspectors').select(['cert_no', 'name', 'department_id', 'fields', 'phone', 'active']).where('cert_no', 'in', part.map((r) => r.value.key)).execute()).map((e) => [e.cert_no, e]),
    );
    for (const r of part) {
      const e = existing.get(r.value.key);
      const v = r.value;
      if (!e) {
        v.active ??= 1;
        out.rows.push({ ...r, change: 'new' });
        out.created++;
        continue;
      }
      // Moving an inspector needs the right on the department they leave too.
      if (e.department_id !== v.departmentId && !can(actor, 'enforcement.register', { departmentId: e.department_id })) {
        problems.push({ row: r.row, field: 'certNo', key: 'enforcement.err.inspector_elsewhere', params: { department: depts.find((d) => d.id === e.department_id)?.name ?? '' } });
        continue;
      }
      if (!c.present.has('phone')) v.phone = e.phone;
      if (!c.present.has('active')) v.active = e.active;
      const same = v.name === e.name && v.departmentId === e.department_id && JSON.stringify(v.fields) === e.fields && v.phone === e.phone && v.active === e.active;
      out.rows.push({ ...r, change: same ? 'same' : 'update' });
      if (same) out.unchanged++;
      else out.updated++;
    }
  }
  if (problems.length) return { ...out, problems: problems.slice(0, MAX_PROBLEMS), problemCount: problems.length };
  return out;
}

async function writeInspectors(t: Db, rows: Parsed<InspectorRowValue>[]): Promise<void> {
  const now = new Date().toISOString();
  await t
    .insertInto('enf_inspectors')
    .values(rows.map(({ value: v }) => ({ cert_no: v.cert_no, name: v.name, department_id: v.departmentId!, fields: JSON.stringify(v.fields), active: v.active ?? 1, user_id: null, phone: v.phone, created_at: now, updated_at: now })))
    .onConflict((oc) =>
      oc.column('cert_no').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        fields: eb.ref('excluded.fields'),
        phone: eb.ref('excluded.phone'),
        active: eb.ref('excluded.active'),
        // An inspector moved to another department loses the link to their account there.
        user_id: sql<string | null>`case when enf_inspectors.department_id = excluded.department_id then enf_inspectors.user_id else null end`,
        department_id: eb.ref('excluded.department_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
