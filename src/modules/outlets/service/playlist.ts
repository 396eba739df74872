// A screen's playlist: its pins (in order), then the newest public items of its selection; and
// what the screen showed, written to the delivery ledger when it changes.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { findItemType, typesOf } from '../../../platform/publication/registry.js';
import { recordDeliveries, type LedgerEntry } from '../../../platform/channels/ledger.js';
import type { Outlet } from './outlets.js';

export const POLL_SECONDS = 30;
/** A kiosk that has not reached the server for this long blanks its screen. */
export const VALID_MS = 5 * 60_000;

export interface PlaylistItem {
  id: number;
  version: number;
  /** SM3 of the version's canonical text. */
  hash: string;
  title: string;
  indexNo: string | null;
  department: string;
  publishedAt: string;
  summary: string;
  /** The item's public page, absolute. */
  url: string;
}

export interface Playlist {
  pollSeconds: number;
  validUntil: string;
  generatedAt: string;
  items: PlaylistItem[];
}

function shownItems(db: Db) {
  return db
    .selectFrom('pub_items as i')
    .innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version'))
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.id', 'i.type', 'i.published_version', 'v.hash', 'i.title', 'i.index_no', 'd.name as department', 'i.published_at', 'i.first_published_at', 'i.summary'])
    .where('i.public', '=', 1)
    .where('i.validity', '=', 'valid');
}

/** The items a screen shows now, pins first. */
export async function playlistItems(p: Platform, o: Outlet): Promise<PlaylistItem[]> {
  const catalog = typesOf('catalog');
  const types = o.selection.types.length ? o.selection.types.filter((t) => catalog.includes(t)) : catalog;
  const pins = await shownItems(p.db)
    .innerJoin('out_pins as p', 'p.item_id', 'i.id')
    .where('p.outlet_id', '=', o.id)
    .orderBy('p.position')
    .orderBy('i.id')
    .execute();
  const pinned = pins.map((r) => Number(r.id));
  const newest =
    o.selection.newest > 0 && types.length
      ? await shownItems(p.db)
          .where('i.type', 'in', types)
          .$if(o.selection.departments.length > 0, (q) => q.where('i.department_id', 'in', o.selection.departments))
          .$if(pinned.length > 0, (q) => q.where('i.id', 'not in', pinned))
          .orderBy('i.first_published_at', 'desc')
          .orderBy('i.id', 'desc')
          .limit(o.selection.newest)
          .execute()
      : [];
  return [...pins, ...newest].map((r) => ({
    id: Number(r.id),
    version: Number(r.published_version),
    hash: r.hash ?? '',
    title: r.title,
    indexNo: r.index_no,
    department: r.department,
    publishedAt: r.published_at ?? r.first_published_at ?? '',
    summary: r.summary,
    url: `${p.config.publicUrl}${findItemType(r.type)?.url(Number(r.id)) ?? `/catalog/items/${r.id}`}`,
  }));
}

export async function playlist(p: Platform, o: Outlet, now = new Date()): Promise<Playlist> {
  return { pollSeconds: POLL_SECONDS, validUntil: new Date(now.getTime() + VALID_MS).toISOString(), generatedAt: now.toISOString(), items: await playlistItems(p, o) };
}

/**
 * Records what a screen shows against what it showed last: `shown` rows (delivered) for item
 * versions newly on it, `withdrawal` rows (delivered) for items that left it — event `withdrawn`
 * when the item is no longer public, `removed` when newer items pushed it off. Returns the
 * number of ledger rows written. Safe to run twice (the ledger's unique key; the set is replaced).
 */
export async function recordShown(p: Platform, outletId: number, items: { id: number; version: number }[]): Promise<number> {
  return p.tx(async (t) => {
    const before = new Map((await t.selectFrom('out_shown').select(['item_id', 'version']).where('outlet_id', '=', outletId).execute()).map((r) => [Number(r.item_id), Number(r.version)]));
    const now = new Map(items.map((i) => [i.id, i.version]));
    const entries: LedgerEntry[] = [];
    for (const [id, version] of now) {
      if (before.get(id) === version) continue;
      entries.push({ itemId: id, version, event: version === 1 ? 'published' : 'changed', kind: 'shown', channel: 'screen', recipientKind: 'outlet', recipientId: outletId, state: 'delivered' });
    }
    const left = [...before].filter(([id]) => !now.has(id));
    if (!entries.length && !left.length) return 0;
    const still = left.length ? new Set((await t.selectFrom('pub_items').select('id').where('id', 'in', left.map(([id]) => id)).where('public', '=', 1).execute()).map((r) => Number(r.id))) : new Set<number>();
    for (const [id, version] of left) entries.push({ itemId: id, version, event: still.has(id) ? 'removed' : 'withdrawn', kind: 'withdrawal', channel: 'screen', recipientKind: 'outlet', recipientId: outletId, state: 'delivered' });
    const at = new Date().toISOString();
    if (left.length) await t.deleteFrom('out_shown').where('outlet_id', '=', outletId).where('item_id', 'in', left.map(([id]) => id)).execute();
    for (const [id, version] of now) {
      if (before.get(id) === version) continue;
      await t
        .insertInto('out_shown')
        .values({ outlet_id: outletId, item_id: id, version, shown_at: at })
        .onConflict((oc) => oc.columns(['outlet_id', 'item_id']).doUpdateSet({ version, shown_at: at }))
        .execute();
    }
    return (await recordDeliveries(t, entries)).length;
  });
}

/** A screen fetched its kiosk page or playlist. */
export async function touchSeen(db: Db, outletId: number): Promise<void> {
  await db.updateTable('out_outlets').set({ last_seen_at: new Date().toISOString() }).where('id', '=', outletId).execute();
}
