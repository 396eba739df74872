// Notice boards (公开栏): what to post, replace or take down, read from the delivery ledger
// (channel 'board', recipient the board): a 'posted' row when staff confirm they posted a
// version, a 'withdrawal' row when they took a withdrawn item's notice down.
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { notFound, validationError } from '../../../platform/errors.js';
import { recordDeliveries } from '../../../platform/channels/ledger.js';
import { typesOf } from '../../../platform/publication/registry.js';
import { idOf, outletFor, type Outlet } from './outlets.js';

/** Before a board's first posting, items first published this many days back are offered. */
const FIRST_WINDOW_DAYS = 30;
const LIMIT = 100;

export type BoardTask = 'post' | 'replace' | 'remove';

export interface BoardEntry {
  itemId: number;
  title: string;
  indexNo: string | null;
  department: string;
  task: BoardTask;
  /** The version on the board (replace, remove), else null. */
  postedVersion: number | null;
  /** The current published version (null when withdrawn). */
  version: number | null;
  at: string | null;
}

// The newest board row per item: what the board carries of it.
function latestOnBoard(p: Platform, boardId: number) {
  return p.db
    .selectFrom('chn_deliveries')
    .select(['item_id', 'version', 'kind', 'delivered_at', sql<number>`row_number() over (partition by item_id order by id desc)`.as('rn')])
    .where('channel', '=', 'board')
    .where('recipient_kind', '=', 'outlet')
    .where('recipient_id', '=', boardId)
    .where('state', '=', 'delivered');
}

/** The board's work list: notices to replace or take down first, then new items to post. */
export async function boardTasks(p: Platform, o: Outlet): Promise<{ tasks: BoardEntry[]; posted: BoardEntry[] }> {
  const carried = await p.db
    .selectFrom(latestOnBoard(p, o.id).as('x'))
    .innerJoin('pub_items as i', 'i.id', 'x.item_id')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['x.item_id', 'x.version', 'x.kind', 'x.delivered_at', 'i.title', 'i.index_no', 'i.public', 'i.published_version', 'd.name as department'])
    .where('x.rn', '=', 1)
    .where('x.kind', '=', 'posted')
    .orderBy('x.delivered_at', 'desc')
    .execute();
  const tasks: BoardEntry[] = [];
  const posted: BoardEntry[] = [];
  for (const r of carried) {
    const isPublic = Number(r.public) === 1;
    const e = { itemId: Number(r.item_id), title: r.title, indexNo: r.index_no, department: r.department, postedVersion: Number(r.version), version: isPublic ? Number(r.published_version) : null, at: r.delivered_at };
    if (!isPublic) tasks.push({ ...e, task: 'remove' });
    else if (Number(r.version) < Number(r.published_version)) tasks.push({ ...e, task: 'replace' });
    else posted.push({ ...e, task: 'post' });
  }
  const last = await p.db
    .selectFrom('chn_deliveries')
    .select((eb) => eb.fn.max('delivered_at').as('at'))
    .where('channel', '=', 'board')
    .where('recipient_kind', '=', 'outlet')
    .where('recipient_id', '=', o.id)
    .where('kind', '=', 'posted')
    .executeTakeFirst();
  const since = last?.at ?? new Date(Date.now() - FIRST_WINDOW_DAYS * 86400_000).toISOString();
  const catalog = typesOf('catalog');
  const types = o.selection.types.length ? o.selection.types.filter((t) => catalog.includes(t)) : catalog;
  const seen = new Set(carried.map((r) => Number(r.item_id)));
  if (types.length) {
    const fresh = await p.db
      .selectFrom('pub_items as i')
      .innerJoin('departments as d', 'd.id', 'i.department_id')
      .select(['i.id', 'i.title', 'i.index_no', 'i.published_version', 'i.first_published_at', 'd.name as department'])
      .where('i.public', '=', 1)
      .where('i.validity', '=', 'valid')
      .where('i.type', 'in', types)
      .where('i.first_published_at', '>', since)
      .$if(o.selection.departments.length > 0, (q) => q.where('i.department_id', 'in', o.selection.departments))
      .orderBy('i.first_published_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(LIMIT)
      .execute();
    for (const r of fresh) if (!seen.has(Number(r.id))) tasks.push({ itemId: Number(r.id), title: r.title, indexNo: r.index_no, department: r.department, task: 'post', postedVersion: null, version: Number(r.published_version), at: r.first_published_at });
  }
  return { tasks, posted };
}

/** Staff confirm they posted an item's current version (posted) or took a withdrawn item's
 *  notice down (removed): one delivered ledger row, audited. */
export async function confirmBoard(p: Platform, user: Principal, id: string, itemText: string, what: string): Promise<void> {
  const o = await outletFor(p.db, user, id);
  if (o.kind !== 'board') throw notFound();
  const itemId = idOf(itemText);
  if (!itemId) throw validationError({ item: 'outlets.err.item' });
  if (what !== 'posted' && what !== 'removed') throw validationError({ what: 'outlets.err.item' });
  const item = await p.db.selectFrom('pub_items').select(['id', 'type', 'public', 'published_version', 'latest_version']).where('id', '=', itemId).executeTakeFirst();
  if (!item || !typesOf('catalog').includes(item.type)) throw validationError({ item: 'outlets.err.item' });
  const isPublic = Number(item.public) === 1;
  if (what === 'posted' && !isPublic) throw validationError({ item: 'outlets.err.item' });
  let version: number;
  if (what === 'posted') version = Number(item.published_version);
  else {
    if (isPublic) throw validationError({ item: 'outlets.err.item' });
    const r = await p.db.selectFrom('chn_deliveries').select((eb) => eb.fn.max('version').as('v')).where('item_id', '=', itemId).where('channel', '=', 'board').where('recipient_kind', '=', 'outlet').where('recipient_id', '=', o.id).where('kind', '=', 'posted').executeTakeFirst();
    if (r?.v == null) throw validationError({ item: 'outlets.err.item' });
    version = Number(r.v);
  }
  await p.tx(async (t) => {
    await recordDeliveries(t, [
      what === 'posted'
        ? { itemId, version, event: version === 1 ? 'published' : 'changed', kind: 'posted', channel: 'board', recipientKind: 'outlet', recipientId: o.id, state: 'delivered' }
        : { itemId, version, event: 'withdrawn', kind: 'withdrawal', channel: 'board', recipientKind: 'outlet', recipientId: o.id, state: 'delivered' },
    ]);
    await t.updateTable('out_outlets').set({ last_seen_at: new Date().toISOString() }).where('id', '=', o.id).execute();
    await p.audit(t, { actor: `user:${user.username}`, action: 'outlet.posted', entity: 'out_outlet', entityId: o.id, details: { itemId, version, what } });
  });
}
