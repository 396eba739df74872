// Screens and notice boards as staff keep them: the outlets, their selection and pins, checked
// against the outlet's department (channels.outlets), audited.
import { randomBytes } from 'node:crypto';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { forbidden, notFound, validationError } from '../../../platform/errors.js';
import { cleanLine, CONTROL_ANY } from '../../../platform/text.js';
import { findItemType, typesOf } from '../../../platform/publication/registry.js';
import { OUTLET_KINDS, type OutletKind } from '../schema.js';

export const ACTION = 'channels.outlets';

export interface Selection {
  /** Department ids; empty = every department. */
  departments: number[];
  /** Item types; empty = every type of the catalog. */
  types: string[];
  /** How many of the newest items follow the pins. */
  newest: number;
}

export interface Outlet {
  id: number;
  kind: OutletKind;
  name: string;
  location: string;
  token: string;
  selection: Selection;
  rotateSeconds: number;
  departmentId: number;
  departmentName: string;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_NEWEST = 12;
export const DEFAULT_ROTATE = 15;
/** A screen counts as online when it fetched its playlist within this time. */
export const ONLINE_MS = 2 * 60_000;

export function parseSelection(s: string): Selection {
  let v: Partial<Selection> = {};
  try {
    v = JSON.parse(s) ?? {};
  } catch {
    /* a damaged value: the defaults */
  }
  return {
    departments: Array.isArray(v.departments) ? v.departments.filter((x) => Number.isSafeInteger(x)) : [],
    types: Array.isArray(v.types) ? v.types.filter((x) => typeof x === 'string') : [],
    newest: Number.isSafeInteger(v.newest) && v.newest! >= 0 && v.newest! <= 50 ? v.newest! : DEFAULT_NEWEST,
  };
}

type OutletRow = { id: number; kind: string; name: string; location: string; token: string; selection: string; rotate_seconds: number; department_id: number; last_seen_at: string | null; created_at: string; updated_at: string; department_name: string };

function toOutlet(r: OutletRow): Outlet {
  return {
    id: Number(r.id),
    kind: r.kind as OutletKind,
    name: r.name,
    location: r.location,
    token: r.token,
    selection: parseSelection(r.selection),
    rotateSeconds: Number(r.rotate_seconds),
    departmentId: Number(r.department_id),
    departmentName: r.department_name,
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function outletQuery(db: Db) {
  return db
    .selectFrom('out_outlets as o')
    .innerJoin('departments as d', 'd.id', 'o.department_id')
    .select(['o.id', 'o.kind', 'o.name', 'o.location', 'o.token', 'o.selection', 'o.rotate_seconds', 'o.department_id', 'o.last_seen_at', 'o.created_at', 'o.updated_at', 'd.name as department_name']);
}

/** An id from a path: a positive integer the database can hold, else null. */
export function idOf(s: string | undefined): number | null {
  return s && /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : null;
}

/** A screen by its kiosk token (null: no such screen). */
export async function outletByToken(db: Db, token: string): Promise<Outlet | null> {
  if (!/^[0-9a-f]{32}$/.test(token)) return null;
  const r = await outletQuery(db).where('o.token', '=', token).where('o.kind', '=', 'screen').executeTakeFirst();
  return r ? toOutlet(r as OutletRow) : null;
}

/** An outlet the user may manage; another department's is a 404. */
export async function outletFor(db: Db, user: Principal, idText: string | number): Promise<Outlet> {
  const id = typeof idText === 'number' ? idText : idOf(idText);
  if (!id) throw notFound();
  const r = await outletQuery(db).where('o.id', '=', id).executeTakeFirst();
  if (!r || !can(user, ACTION, { departmentId: Number(r.department_id) })) throw notFound();
  return toOutlet(r as OutletRow);
}

/** The outlets of the user's departments (all for a global role), screens first. */
export async function listOutlets(db: Db, user: Principal): Promise<Outlet[]> {
  const scope = scopeOf(user, ACTION);
  if (scope !== 'all' && !scope.size) return [];
  const rows = await outletQuery(db)
    .$if(scope !== 'all', (q) => q.where('o.department_id', 'in', [...(scope as Set<number>)]))
    .orderBy('o.kind', 'desc')
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => toOutlet(r as OutletRow));
}

export interface OutletInput {
  kind: string;
  name: string;
  location: string;
  departmentId: string;
  departments: string[];
  types: string[];
  newest: string;
  rotateSeconds: string;
}

const intIn = (s: string, lo: number, hi: number): number | null => (/^\d{1,4}$/.test(s.trim()) && Number(s) >= lo && Number(s) <= hi ? Number(s) : null);

/** Checks a form's values; throws a 400 naming each bad field. */
async function checked(db: Db, user: Principal, b: OutletInput): Promise<{ kind: OutletKind; name: string; location: string; departmentId: number; selection: Selection; rotateSeconds: number }> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if ((Array.isArray(v) ? v : [v]).some((x) => CONTROL_ANY.test(String(x)))) fields[k] = 'err.field.control_chars';
  if (Object.keys(fields).length) throw validationError(fields);
  const kind = (OUTLET_KINDS as readonly string[]).includes(b.kind) ? (b.kind as OutletKind) : null;
  if (!kind) fields.kind = 'outlets.err.kind';
  const name = cleanLine(b.name ?? '');
  if (!name || name.length > 100) fields.name = 'outlets.err.name';
  const location = cleanLine(b.location ?? '');
  if (location.length > 200) fields.location = 'outlets.err.location';
  const departmentId = idOf(String(b.departmentId ?? ''));
  if (!departmentId || !can(user, ACTION, { departmentId }) || !(await db.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst())) fields.departmentId = 'outlets.err.department';
  const depIds = (b.departments ?? []).filter((x) => x !== '').map((x) => idOf(x));
  if (depIds.some((x) => x === null) || depIds.length > 100) fields.departments = 'outlets.err.departments';
  const known = depIds.length ? (await db.selectFrom('departments').select('id').where('id', 'in', depIds.filter((x): x is number => x !== null).concat(-1)).execute()).length : 0;
  if (!fields.departments && known !== depIds.length) fields.departments = 'outlets.err.departments';
  const types = (b.types ?? []).filter((x) => x !== '');
  if (types.some((t) => !findItemType(t)) || types.length > 50) fields.types = 'outlets.err.types';
  const newest = b.newest === '' || b.newest === undefined ? DEFAULT_NEWEST : intIn(b.newest, 0, 50);
  if (newest === null) fields.newest = 'outlets.err.newest';
  const rotateSeconds = b.rotateSeconds === '' || b.rotateSeconds === undefined ? DEFAULT_ROTATE : intIn(b.rotateSeconds, 5, 600);
  if (rotateSeconds === null) fields.rotateSeconds = 'outlets.err.rotate';
  if (Object.keys(fields).length) throw validationError(fields);
  return { kind: kind!, name, location, departmentId: departmentId!, selection: { departments: [...new Set(depIds as number[])], types: [...new Set(types)], newest: newest! }, rotateSeconds: rotateSeconds! };
}

const who = (u: Principal) => `user:${u.username}`;

export async function createOutlet(p: Platform, user: Principal, b: OutletInput): Promise<number> {
  if (!can(user, ACTION)) throw forbidden();
  const v = await checked(p.db, user, b);
  const now = new Date().toISOString();
  return p.tx(async (t) => {
    const r = await t
      .insertInto('out_outlets')
      .values({ kind: v.kind, name: v.name, location: v.location, token: randomBytes(16).toString('hex'), selection: JSON.stringify(v.selection), rotate_seconds: v.rotateSeconds, department_id: v.departmentId, last_seen_at: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: who(user), action: 'outlet.create', entity: 'out_outlet', entityId: Number(r.id), details: { kind: v.kind, name: v.name, departmentId: v.departmentId, selection: v.selection } });
    return Number(r.id);
  });
}

/** A new updated_at, never equal to the last one (it keys the screen's cached playlist). */
function nextStamp(prev: string): string {
  const now = new Date();
  return now.toISOString() > prev ? now.toISOString() : new Date(Date.parse(prev) + 1).toISOString();
}

async function touch(t: Db, o: Outlet): Promise<void> {
  await t.updateTable('out_outlets').set({ updated_at: nextStamp(o.updatedAt) }).where('id', '=', o.id).execute();
}

export async function updateOutlet(p: Platform, user: Principal, id: string, b: OutletInput): Promise<void> {
  const o = await outletFor(p.db, user, id);
  const v = await checked(p.db, user, { ...b, kind: o.kind });
  await p.tx(async (t) => {
    await t.updateTable('out_outlets').set({ name: v.name, location: v.location, department_id: v.departmentId, selection: JSON.stringify(v.selection), rotate_seconds: v.rotateSeconds, updated_at: nextStamp(o.updatedAt) }).where('id', '=', o.id).execute();
    await p.audit(t, { actor: who(user), action: 'outlet.update', entity: 'out_outlet', entityId: o.id, details: { name: v.name, departmentId: v.departmentId, selection: v.selection, rotateSeconds: v.rotateSeconds } });
  });
}

export async function deleteOutlet(p: Platform, user: Principal, id: string): Promise<void> {
  const o = await outletFor(p.db, user, id);
  await p.tx(async (t) => {
    await t.deleteFrom('out_pins').where('outlet_id', '=', o.id).execute();
    await t.deleteFrom('out_shown').where('outlet_id', '=', o.id).execute();
    await t.deleteFrom('out_outlets').where('id', '=', o.id).execute();
    await p.audit(t, { actor: who(user), action: 'outlet.delete', entity: 'out_outlet', entityId: o.id, details: { kind: o.kind, name: o.name } });
  });
}

export interface Pin {
  itemId: number;
  position: number;
  title: string;
  indexNo: string | null;
  public: boolean;
}

export async function pinsOf(db: Db, outletId: number): Promise<Pin[]> {
  const rows = await db
    .selectFrom('out_pins as p')
    .innerJoin('pub_items as i', 'i.id', 'p.item_id')
    .select(['p.item_id', 'p.position', 'i.title', 'i.index_no', 'i.public'])
    .where('p.outlet_id', '=', outletId)
    .orderBy('p.position')
    .orderBy('p.item_id')
    .execute();
  return rows.map((r) => ({ itemId: Number(r.item_id), position: Number(r.position), title: r.title, indexNo: r.index_no, public: Number(r.public) === 1 }));
}

/** Pins a public catalog item, named by its id or its 索引号, at the end. */
export async function addPin(p: Platform, user: Principal, id: string, ref: string): Promise<void> {
  const o = await outletFor(p.db, user, id);
  const r = cleanLine(ref ?? '');
  if (!r || r.length > 60 || CONTROL_ANY.test(ref ?? '')) throw validationError({ item: 'outlets.err.pin' });
  const n = idOf(r);
  const item = await p.db
    .selectFrom('pub_items')
    .select(['id', 'type'])
    .where('public', '=', 1)
    .where((eb) => (n ? eb.or([eb('id', '=', n), eb('index_no', '=', r)]) : eb('index_no', '=', r)))
    .executeTakeFirst();
  if (!item || !typesOf('catalog').includes(item.type)) throw validationError({ item: 'outlets.err.pin' });
  await p.tx(async (t) => {
    const last = await t.selectFrom('out_pins').select((eb) => eb.fn.max('position').as('m')).where('outlet_id', '=', o.id).executeTakeFirst();
    await t
      .insertInto('out_pins')
      .values({ outlet_id: o.id, item_id: Number(item.id), position: Number(last?.m ?? 0) + 1 })
      .onConflict((oc) => oc.columns(['outlet_id', 'item_id']).doNothing())
      .execute();
    await touch(t, o);
    await p.audit(t, { actor: who(user), action: 'outlet.pin', entity: 'out_outlet', entityId: o.id, details: { itemId: Number(item.id) } });
  });
}

export async function removePin(p: Platform, user: Principal, id: string, itemText: string): Promise<void> {
  const o = await outletFor(p.db, user, id);
  const itemId = idOf(itemText);
  if (!itemId) throw notFound();
  await p.tx(async (t) => {
    await t.deleteFrom('out_pins').where('outlet_id', '=', o.id).where('item_id', '=', itemId).execute();
    await touch(t, o);
    await p.audit(t, { actor: who(user), action: 'outlet.unpin', entity: 'out_outlet', entityId: o.id, details: { itemId } });
  });
}

/** Moves a pin one place up or down (positions renumbered 1…n). */
export async function movePin(p: Platform, user: Principal, id: string, itemText: string, dir: string): Promise<void> {
  const o = await outletFor(p.db, user, id);
  const itemId = idOf(itemText);
  if (!itemId) throw notFound();
  if (dir !== 'up' && dir !== 'down') throw validationError({ dir: 'outlets.err.dir' });
  await p.tx(async (t) => {
    const ids = (await t.selectFrom('out_pins').select('item_id').where('outlet_id', '=', o.id).orderBy('position').orderBy('item_id').execute()).map((r) => Number(r.item_id));
    const i = ids.indexOf(itemId);
    if (i < 0) throw notFound();
    const j = dir === 'up' ? i - 1 : i + 1;
    if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    for (const [k, x] of ids.entries()) await t.updateTable('out_pins').set({ position: k + 1 }).where('outlet_id', '=', o.id).where('item_id', '=', x).execute();
    await touch(t, o);
    await p.audit(t, { actor: who(user), action: 'outlet.reorder', entity: 'out_outlet', entityId: o.id, details: { itemId, dir } });
  });
}

/** The spine's `screens` channel: an item withdrawn or no longer valid leaves every pin list
 *  (the generation the spine bumped already takes it off the playlists). Idempotent. */
export async function unpinGone(p: Platform, itemId: number): Promise<number> {
  const item = await p.db.selectFrom('pub_items').select(['public', 'validity']).where('id', '=', itemId).executeTakeFirst();
  if (item && Number(item.public) === 1 && item.validity === 'valid') return 0;
  return p.tx(async (t) => {
    const outlets = (await t.selectFrom('out_pins').select('outlet_id').where('item_id', '=', itemId).execute()).map((r) => Number(r.outlet_id));
    if (!outlets.length) return 0;
    await t.deleteFrom('out_pins').where('item_id', '=', itemId).execute();
    for (const id of outlets) await p.audit(t, { actor: 'system', action: 'outlet.unpin', entity: 'out_outlet', entityId: id, details: { itemId, reason: item ? (Number(item.public) === 1 ? item.validity : 'withdrawn') : 'deleted' } });
    return outlets.length;
  });
}
