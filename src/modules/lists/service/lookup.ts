// "May I do this business here?" — the negative lists answered by keyword or by
// 国民经济行业分类 code: prohibited, permitted with a licence (which measure, which authority,
// which service guide), or not listed.
import type { Db } from '../../../platform/db/index.js';
import type { ListItem } from './engine.js';
import '../schema.js';

export type LookupCategory = 'prohibited' | 'permitted' | 'not-listed';

export interface LookupResult {
  list: 'market-access' | 'foreign-investment';
  code: string | null;
  category: LookupCategory;
  name: string | null;
  measure: string | null;
  authority: string | null;
  /** Foreign investment: the industry heading; 'restricted' measures are permitted under conditions. */
  heading?: string;
  restricted?: boolean;
  localMeasures?: string;
  industries?: string[];
  serviceGuides?: { code: string; name: string; url: string }[];
  matchedBy?: 'keyword' | 'industry';
}

export const INDUSTRY_CODE = /^[A-T](\d{2,4})?$/;

/** Items of the current published editions of one list type. */
export async function currentItems(db: Db, type: string, keys?: string[]): Promise<{ key: string; name: string; data: ListItem; search: string }[]> {
  if (keys && !keys.length) return [];
  let q = db
    .selectFrom('list_items')
    .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
    .innerJoin('lists', 'lists.id', 'list_items.list_id')
    .select(['list_items.item_key', 'list_items.name', 'list_items.data', 'list_items.search'])
    .where('list_items.type', '=', type)
    .where('list_editions.status', '=', 'published')
    .whereRef('list_editions.number', '=', 'lists.current_edition');
  if (keys) q = q.where('list_items.item_key', 'in', keys.slice(0, 500));
  const rows = await q.orderBy('list_items.id').execute();
  return rows.map((r) => ({ key: r.item_key, name: r.name, data: JSON.parse(r.data), search: r.search }));
}

function matches(query: string, code: string | null, item: { data: ListItem; search: string }): 'keyword' | 'industry' | null {
  if (code) {
    const inds = (item.data.industries as string[]) ?? [];
    return inds.some((i) => code.startsWith(i) || i.startsWith(code)) ? 'industry' : null;
  }
  const q = query.toLowerCase();
  if (item.search.includes(q)) return 'keyword';
  // "开一家烟草零售店" contains the keyword 烟草: keywords found inside the question match too.
  const kws = ((item.data.keywords as string[]) ?? []).filter((k) => k.length >= 2);
  return kws.some((k) => q.includes(k.toLowerCase())) ? 'keyword' : null;
}

export async function lookup(db: Db, raw: string): Promise<{ query: string; results: LookupResult[] }> {
  const query = raw.trim().slice(0, 100);
  if (!query) return { query, results: [] };
  const code = INDUSTRY_CODE.test(query.toUpperCase()) ? query.toUpperCase() : null;
  const results: LookupResult[] = [];
  const ma = (await currentItems(db, 'market-access')).map((i) => ({ i, by: matches(query, code, i) })).filter((x) => x.by);
  const wanted = [...new Set(ma.flatMap(({ i }) => (i.data.serviceGuides as string[]) ?? []))];
  const guides = new Map((await currentItems(db, 'service-guide', wanted)).map((g) => [g.key, g.name]));
  for (const { i, by } of ma) {
    const d = i.data;
    results.push({
      list: 'market-access',
      code: i.key,
      category: d.category as LookupCategory,
      name: d.name as string,
      measure: d.measures as string,
      authority: d.authority as string,
      localMeasures: d.localMeasures as string,
      industries: d.industries as string[],
      serviceGuides: ((d.serviceGuides as string[]) ?? []).filter((g) => guides.has(g)).map((g) => ({ code: g, name: guides.get(g)!, url: `/lists/service-guide/items/${encodeURIComponent(g)}` })),
      matchedBy: by!,
    });
  }
  if (!ma.length) results.push({ list: 'market-access', code: null, category: 'not-listed', name: null, measure: null, authority: null });
  const fi = (await currentItems(db, 'foreign-investment')).map((i) => ({ i, by: matches(query, code, i) })).filter((x) => x.by);
  for (const { i, by } of fi) {
    const d = i.data;
    const prohibited = d.category === 'prohibited';
    results.push({ list: 'foreign-investment', code: i.key, category: prohibited ? 'prohibited' : 'permitted', restricted: !prohibited, name: d.heading as string, heading: d.heading as string, measure: d.measure as string, authority: (d.authority as string) || null, industries: d.industries as string[], matchedBy: by! });
  }
  if (!fi.length) results.push({ list: 'foreign-investment', code: null, category: 'not-listed', name: null, measure: null, authority: null });
  // Prohibitions first, then licences, then "not listed".
  const rank = { prohibited: 0, permitted: 1, 'not-listed': 2 };
  results.sort((a, b) => rank[a.category] - rank[b.category]);
  return { query, results };
}
