// The spine's part of the XML sitemap (platform/sitemap.ts): every public item of a registered
// type, one source per section (catalog-items, interaction-items), at its type's own page with
// the moment it last changed.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { latest, type SitemapSource } from '../sitemap.js';
import { itemType, SECTIONS, typesOf, type Section } from './registry.js';
import './schema.js';

/** When an item last changed for its readers: its current version's publication (a new version,
 *  a correction) or its validity switch (失效, 废止). A withdrawn item has no page to change. */
export function lastChange(r: { published_at: string | null; validity_changed_at: string | null }): string | null {
  return latest(r.published_at, r.validity_changed_at);
}

/** The latest change among the items of these types as a list shows them — a publication, a new
 *  version, a validity switch or a withdrawal (撤回): the lastmod of the pages that list them. */
export async function lastListChange(db: Db, types: string[]): Promise<string | null> {
  if (!types.length) return null;
  const r = await db
    .selectFrom('pub_items')
    .select((eb) => [eb.fn.max('published_at').as('p'), eb.fn.max('validity_changed_at').as('v'), eb.fn.max('withdrawn_at').as('w')])
    .where('type', 'in', types)
    .executeTakeFirst();
  return latest(r?.p as string | null, r?.v as string | null, r?.w as string | null);
}

export function itemSitemaps(p: Platform): SitemapSource[] {
  const publicOf = (types: string[]) => p.db.selectFrom('pub_items').where('public', '=', 1).where('type', 'in', types);
  return (Object.keys(SECTIONS) as Section[]).map((section) => ({
    name: `${section}-items`,
    async count() {
      const types = typesOf(section);
      if (!types.length) return 0;
      return Number((await publicOf(types).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    },
    async urls(offset, limit) {
      const types = typesOf(section);
      if (!types.length) return [];
      const rows = await publicOf(types).select(['id', 'type', 'published_at', 'validity_changed_at']).orderBy('id').limit(limit).offset(offset).execute();
      return rows.map((r) => ({ path: itemType(r.type).url(r.id), lastmod: lastChange(r) }));
    },
  }));
}
