// The list engine: a list type declares its item schema (TypeBox), key field, display columns and
// filters; editions are full snapshots; an adjustment's change record (added / removed / changed
// with field-level differences) is computed here and can be re-applied (diff ∘ apply = identity).
import { toCsv } from '../../../platform/files/csv.js';
import type { TObject, TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { bodyAjv } from '../../../platform/http/validation.js';

const compiled = new WeakMap<object, ValidateFunction>();
import { zipSync, strToU8 } from 'fflate';
import type { VNode } from 'preact';
import type { PageCtx } from '../../../platform/render/context.js';

export type ListItem = Record<string, unknown>;

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The change record of an adjustment (清单调整): what differs between edition N and N+1. */
export interface Changes {
  added: { key: string; item: ListItem }[];
  removed: { key: string; item: ListItem }[];
  changed: { key: string; fields: FieldChange[] }[];
}

export interface ListColumn {
  field: string;
  /** Message key of the column heading. */
  label: string;
}

/** Context for checks that need the database (known departments, …). */
export interface CheckContext {
  departments: Set<string>;
  /** The department code of the list being edited (department lists). */
  listDepartment: string | null;
}

export interface ListType {
  type: string;
  /** Message key of the type's name. */
  label: string;
  /** 'department': each department keeps its own list; 'government': one list for the whole government. */
  scope: 'department' | 'government';
  schema: TObject;
  /** The field whose value identifies an item across editions. */
  key: string;
  /** The field shown as the item's name. */
  name: string;
  columns: ListColumn[];
  /** Filterable fields (query parameter = field name). */
  filters: { field: string; label: string; options: { value: string; label: string }[] }[];
  /** Import cell → value aliases per field (e.g. Chinese power type names → codes). */
  aliases?: Record<string, Record<string, string>>;
  /** Checks beyond the schema; returns field → message key. */
  check?(item: ListItem, ctx: CheckContext): Record<string, string>;
  /** Normalises an item (trims, orders) before storage. */
  normalise?(item: ListItem): ListItem;
  searchText(item: ListItem): string;
  /** Values of the filterable columns stored beside the item. */
  facets(item: ListItem): { department?: string | null; powerType?: string | null; category?: string | null };
  render(c: PageCtx, item: ListItem, extra: RenderExtra): VNode;
}

export interface RenderExtra {
  /** Links to other lists' items, resolved by the service (e.g. power → service guides). */
  links: { label: string; href: string }[];
  departmentName: (code: string) => string;
}

const types = new Map<string, ListType>();
export function registerListType(t: ListType): void {
  types.set(t.type, t);
}
export function listType(type: string): ListType | null {
  return types.get(type) ?? null;
}
export function listTypes(): ListType[] {
  return [...types.values()];
}

// ---- snapshots, diff, apply --------------------------------------------------------------------

const collator = new Intl.Collator('en', { numeric: true });
export const keyOf = (t: Pick<ListType, 'key'>, item: ListItem): string => String(item[t.key] ?? '');

/** Canonical snapshot order: by key, numeric-aware ("2" before "10"). */
export function sortSnapshot(key: string, items: ListItem[]): ListItem[] {
  return [...items].sort((a, b) => collator.compare(String(a[key]), String(b[key])));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The change record from snapshot `prev` to snapshot `next` (items keyed by `key`). */
export function diffSnapshots(key: string, prev: ListItem[], next: ListItem[]): Changes {
  const before = new Map(prev.map((i) => [String(i[key]), i]));
  const after = new Map(next.map((i) => [String(i[key]), i]));
  const out: Changes = { added: [], removed: [], changed: [] };
  for (const [k, item] of after) {
    const old = before.get(k);
    if (!old) {
      out.added.push({ key: k, item });
      continue;
    }
    const fields: FieldChange[] = [];
    const names = [...new Set([...Object.keys(old), ...Object.keys(item)])].sort();
    for (const f of names) if (!same(old[f], item[f])) fields.push({ field: f, from: old[f] ?? null, to: item[f] ?? null });
    if (fields.length) out.changed.push({ key: k, fields });
  }
  for (const [k, item] of before) if (!after.has(k)) out.removed.push({ key: k, item });
  const byKey = (a: { key: string }, b: { key: string }) => collator.compare(a.key, b.key);
  out.added.sort(byKey);
  out.removed.sort(byKey);
  out.changed.sort(byKey);
  return out;
}

/** Applies a change record to a snapshot: applyChanges(N, diff(N, N+1)) equals N+1 (in canonical order). */
export function applyChanges(key: string, prev: ListItem[], changes: Changes): ListItem[] {
  const map = new Map(prev.map((i) => [String(i[key]), { ...i }]));
  for (const r of changes.removed) map.delete(r.key);
  for (const c of changes.changed) {
    const item = map.get(c.key);
    if (!item) throw new Error(`change to missing item ${c.key}`);
    for (const f of c.fields) {
      if (f.to === null || f.to === undefined) delete item[f.field];
      else item[f.field] = f.to;
    }
  }
  for (const a of changes.added) map.set(a.key, a.item);
  return sortSnapshot(key, [...map.values()]);
}

export function changeCount(c: Changes): number {
  return c.added.length + c.removed.length + c.changed.length;
}

// ---- tabular codec (CSV / XLSX) driven by the schema --------------------------------------------

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'json';

function kindOf(s: TSchema): Kind {
  const t = (s as any).type;
  if (t === 'string') return 'string';
  if (t === 'integer') return 'integer';
  if (t === 'number') return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'array' && (s as any).items?.type === 'string') return 'string[]';
  return 'json';
}

/** The column names of a type's import/export table (the schema's property names, in order). */
export function columnsOf(t: ListType): string[] {
  return Object.keys(t.schema.properties);
}

/** One item → one row of text cells. Lists of text are one line per entry; nested values are JSON. */
export function itemToRow(t: ListType, item: ListItem): string[] {
  return columnsOf(t).map((col) => {
    const v = item[col];
    if (v === undefined || v === null) return '';
    switch (kindOf(t.schema.properties[col])) {
      case 'string[]':
        return (v as string[]).join('\n');
      case 'json':
        return JSON.stringify(v);
      default:
        return String(v);
    }
  });
}

export interface RowProblem {
  row: number;
  field: string;
  /** Message key. */
  problem: string;
}

/**
 * Parses one row of cells (by header) into an item and checks it against the schema and the
 * type's own rules. `row` is the 1-based line number in the file (header = 1).
 */
export function rowToItem(t: ListType, header: string[], cells: string[], row: number, ctx: CheckContext): { item: ListItem | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const item: ListItem = {};
  const props = t.schema.properties;
  const required = new Set<string>((t.schema as any).required ?? []);
  for (const col of columnsOf(t)) {
    const idx = header.indexOf(col);
    let raw = idx >= 0 ? (cells[idx] ?? '').trim() : '';
    const alias = t.aliases?.[col]?.[raw];
    if (alias !== undefined) raw = alias;
    if (raw === '') {
      const k = kindOf(props[col]);
      if (required.has(col) && k === 'string' && !((props[col] as any).minLength > 0)) item[col] = '';
      else if (required.has(col) && k !== 'string[]' && k !== 'json') problems.push({ row, field: col, problem: 'err.lists.required' });
      else if (kindOf(props[col]) === 'string[]') item[col] = [];
      else if (kindOf(props[col]) === 'json' && required.has(col)) item[col] = (props[col] as any).type === 'array' ? [] : {};
      continue;
    }
    switch (kindOf(props[col])) {
      case 'string':
        item[col] = raw;
        break;
      case 'integer':
      case 'number': {
        const n = Number(raw);
        if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || (kindOf(props[col]) === 'integer' && !Number.isInteger(n))) problems.push({ row, field: col, problem: 'err.lists.number' });
        else item[col] = n;
        break;
      }
      case 'boolean':
        item[col] = ['1', 'true', '是', 'yes'].includes(raw.toLowerCase());
        break;
      case 'string[]':
        item[col] = raw.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).map((s) => t.aliases?.[col]?.[s] ?? s);
        break;
      case 'json':
        try {
          item[col] = JSON.parse(raw);
        } catch {
          problems.push({ row, field: col, problem: 'err.lists.json' });
        }
        break;
    }
  }
  if (problems.length) return { item: null, problems };
  return validateItem(t, item, row, ctx);
}

/** Checks one item against the schema and the type's own rules; returns the normalised item. */
export function validateItem(t: ListType, item: ListItem, row: number, ctx: CheckContext): { item: ListItem | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { item: null, problems: [{ row, field: '-', problem: 'err.lists.invalid' }] };
  const norm = t.normalise ? t.normalise(item) : item;
  const seen = new Set<string>();
  let validate = compiled.get(t.schema);
  if (!validate) compiled.set(t.schema, (validate = bodyAjv.compile(t.schema)));
  if (!validate(norm)) {
    for (const e of validate.errors ?? []) {
      const field = e.keyword === 'required' ? String((e.params as any).missingProperty) : e.keyword === 'additionalProperties' && !e.instancePath ? String((e.params as any).additionalProperty) : e.instancePath.split('/')[1] || t.key;
      if (seen.has(field)) continue;
      seen.add(field);
      const problem = e.keyword === 'required' || (e.keyword === 'minLength' && (e.params as any).limit === 1) ? 'err.lists.required' : e.keyword === 'enum' ? 'err.lists.enum' : e.keyword === 'pattern' || e.keyword === 'type' ? 'err.lists.format' : e.keyword === 'maxLength' ? 'err.lists.too_long' : e.keyword === 'additionalProperties' ? 'err.lists.unknown_column' : 'err.lists.invalid';
      problems.push({ row, field, problem });
    }
  }
  if (!problems.length && t.check) for (const [field, problem] of Object.entries(t.check(norm, ctx))) problems.push({ row, field, problem });
  return problems.length ? { item: null, problems } : { item: norm, problems };
}

/** Checks a whole snapshot (each item, duplicate keys). Rows are numbered from 2 (after a header). */
export function checkSnapshot(t: ListType, items: ListItem[], ctx: CheckContext): RowProblem[] {
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    const row = i + 2;
    const r = validateItem(t, it, row, ctx);
    problems.push(...r.problems);
    const k = keyOf(t, it);
    if (k && seen.has(k)) problems.push({ row, field: t.key, problem: 'err.lists.duplicate_key' });
    else seen.set(k, row);
  });
  return problems;
}


const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A minimal XLSX workbook (one sheet, inline strings) that Excel, WPS and LibreOffice open. */
export function toXlsx(rows: string[][], sheet = 'Sheet1'): Buffer {
  const body = rows
    .map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => `<c r="${colName(ci)}${ri + 1}" t="inlineStr"><is><t xml:space="preserve">${xmlEsc(v)}</t></is></c>`).join('')}</row>`)
    .join('');
  const files = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEsc(sheet.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`),
  };
  return Buffer.from(zipSync(files));
}

export { toCsv };
