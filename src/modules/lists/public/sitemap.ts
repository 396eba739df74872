// The lists' pages for the XML sitemap (platform/sitemap.ts): the index and the tools, each list
// type, each published list, and each item of a list's current edition at its canonical address,
// with the publication of the edition that last added or changed it. (The editions themselves
// are catalog items: the spine's catalog-items sitemap.)
import type { Platform } from '../../../platform/platform.js';
import { latest, listSource, type SitemapSource, type SitemapUrl } from '../../../platform/sitemap.js';
import { listType, listTypes, type Changes } from '../service/engine.js';
import { itemHref } from '../views.js';
import '../schema.js';

export function listsSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('lists', async () => {
      const lists = await p.db.selectFrom('lists').select(['id', 'type', 'current_edition']).where('current_edition', 'is not', null).orderBy('id').execute();
      const eds = await p.db.selectFrom('list_editions').select(['id', 'list_id', 'number', 'published_at', 'changes']).where('status', '=', 'published').orderBy('list_id').orderBy('number').execute();
      const current = await p.db
        .selectFrom('list_items')
        .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
        .innerJoin('lists', 'lists.id', 'list_items.list_id')
        .select(['list_items.list_id', 'list_items.item_key'])
        .where('list_editions.status', '=', 'published')
        .whereRef('list_editions.number', '=', 'lists.current_edition')
        .orderBy('list_items.id')
        .execute();
      // Per list: when each key was last added or changed, and its newest edition.
      const changed = new Map<number, Map<string, string>>();
      const newest = new Map<number, string>();
      for (const e of eds) {
        if (!e.published_at) continue;
        const keys = changed.get(e.list_id) ?? new Map<string, string>();
        changed.set(e.list_id, keys);
        newest.set(e.list_id, e.published_at);
        const ch = JSON.parse(e.changes) as Changes;
        for (const x of [...ch.added, ...ch.changed]) keys.set(x.key, e.published_at);
      }
      const shown = lists.filter((l) => listType(l.type));
      const byType = (type: string) => latest(...shown.filter((l) => l.type === type).map((l) => newest.get(l.id)));
      const urls: SitemapUrl[] = [
        { path: '/lists', lastmod: latest(...shown.map((l) => newest.get(l.id))) },
        { path: '/negative-lists/lookup' },
        { path: '/policies/match' },
        { path: '/lists/industries' },
        ...listTypes().map((lt) => ({ path: `/lists/${lt.type}`, lastmod: byType(lt.type) })),
        ...shown.map((l) => ({ path: `/lists/${l.type}/lists/${l.id}`, lastmod: newest.get(l.id) ?? null })),
      ];
      const typeOf = new Map(shown.map((l) => [l.id, l.type]));
      for (const r of current) {
        const type = typeOf.get(r.list_id);
        if (type) urls.push({ path: itemHref(type, r.item_key, r.list_id), lastmod: changed.get(r.list_id)?.get(r.item_key) ?? newest.get(r.list_id) ?? null });
      }
      return urls;
    }),
  ];
}
