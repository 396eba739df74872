// "May I do this business here?" — the negative lists answered for everyday words or a
// 国民经济行业分类 code: prohibited, permitted with a licence (which measure, which authority,
// which service guide), or not listed. Words become an industry through the industry table
// (industries.ts); an item matches by its industries (the item's code covers the industry) or by
// its own keywords. A "not listed" answer names the industry understood, the nearest items, and
// the service guides and policies for that industry.
import type { Db } from '../../../platform/db/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { itemType } from '../../../platform/publication/registry.js';
import type { ListItem } from './engine.js';
import { INDUSTRY_CODE, industryTable, squash, understand, type IndustryView } from './industries.js';
import '../schema.js';

export { INDUSTRY_CODE };

export type LookupCategory = 'prohibited' | 'permitted' | 'not-listed';
export type NegativeList = 'market-access' | 'foreign-investment';

export interface LookupResult {
  list: NegativeList;
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

/** A listed item close to the industry asked about (same 门类, longest shared code first). */
export interface NearItem {
  list: NegativeList;
  code: string;
  name: string;
  category: 'prohibited' | 'permitted';
  restricted?: boolean;
  industries: string[];
}

export interface LookupAnswer {
  query: string;
  /** The industry the question was understood as (null: none). */
  industry: IndustryView | null;
  understoodBy: 'code' | 'words' | null;
  alternatives: { code: string; name: string }[];
  results: LookupResult[];
  nearest: NearItem[];
  guides: { code: string; name: string; url: string }[];
  policies: { id: number; title: string; url: string }[];
  /** The editions answered from (their titles say when a list is an excerpt). */
  sources: { list: NegativeList; title: string; edition: number; url: string }[];
}

type Row = { key: string; name: string; data: ListItem; search: string };

/** Items of the current published editions of one list type. */
export async function currentItems(db: Db, type: string, keys?: string[]): Promise<Row[]> {
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

const industriesOf = (item: { data: ListItem }) => ((item.data.industries as string[]) ?? []).map((i) => i.toUpperCase());

/**
 * Does an item answer the question? A typed code matches items whose industries contain it or
 * lie inside it; an understood industry matches items whose industries contain it (the item's
 * broader code covers the narrower business); the item's keywords match inside the question.
 */
function matches(query: string, code: string | null, industry: string | null, item: Row): 'keyword' | 'industry' | null {
  const inds = industriesOf(item);
  if (code) return inds.some((i) => code.startsWith(i) || i.startsWith(code)) ? 'industry' : null;
  if (industry && inds.some((i) => industry.startsWith(i))) return 'industry';
  const q = squash(query);
  // Words not understood as an industry may still occur in an item's text ("放贷").
  if (!industry && q.length >= 2 && squash(item.search).includes(q)) return 'keyword';
  // "开一家烟草零售店" contains the keyword 烟草: keywords found inside the question match too.
  const kws = ((item.data.keywords as string[]) ?? []).map(squash).filter((k) => k.length >= 2);
  return kws.some((k) => q.includes(k)) ? 'keyword' : null;
}

const shared = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/** Service guides and the public-item URL helpers. */
const guideUrl = (code: string) => `/lists/service-guide/items/${encodeURIComponent(code)}`;

/** Published, valid policies tagged for this industry whose application window has not closed. */
export async function policiesForIndustry(db: Db, code: string, today = todayShanghai()): Promise<{ id: number; title: string; url: string }[]> {
  const rows = await db
    .selectFrom('policy_tags')
    .innerJoin('pub_items', 'pub_items.id', 'policy_tags.item_id')
    .select(['pub_items.id', 'pub_items.title', 'pub_items.type', 'policy_tags.industries', 'policy_tags.window_end'])
    .where('pub_items.public', '=', 1)
    .where('pub_items.validity', '=', 'valid')
    .orderBy('pub_items.published_at', 'desc')
    .execute();
  const out: { id: number; title: string; url: string }[] = [];
  for (const r of rows) {
    const tags = JSON.parse(r.industries) as string[];
    if (!tags.some((t) => code.startsWith(t)) || (r.window_end && r.window_end < today)) continue;
    let url = `/catalog/items/${r.id}`;
    try {
      url = itemType(r.type).url(r.id);
    } catch {
      /* type not loaded */
    }
    out.push({ id: r.id, title: r.title, url });
  }
  return out;
}

async function sources(db: Db): Promise<LookupAnswer['sources']> {
  const rows = await db
    .selectFrom('lists')
    .innerJoin('list_editions', (j) => j.onRef('list_editions.list_id', '=', 'lists.id').onRef('list_editions.number', '=', 'lists.current_edition'))
    .select(['lists.id', 'lists.type', 'lists.title', 'list_editions.number'])
    .where('lists.type', 'in', ['market-access', 'foreign-investment'])
    .orderBy('lists.type', 'desc')
    .execute();
  return rows.map((r) => ({ list: r.type as NegativeList, title: r.title, edition: r.number, url: `/lists/${r.type}/lists/${r.id}` }));
}

export async function lookup(db: Db, raw: string): Promise<LookupAnswer> {
  const query = raw.trim().slice(0, 100);
  const empty: LookupAnswer = { query, industry: null, understoodBy: null, alternatives: [], results: [], nearest: [], guides: [], policies: [], sources: [] };
  if (!query) return empty;
  const table = await industryTable(db);
  const u = understand(table, query);
  const typed = query.toUpperCase().replace(/\s+/g, '');
  const code = INDUSTRY_CODE.test(typed) ? typed : null;
  const industry = u.industry?.code ?? null;
  const results: LookupResult[] = [];
  const ma = (await currentItems(db, 'market-access')).map((i) => ({ i, by: matches(query, code, industry, i) }));
  const fi = (await currentItems(db, 'foreign-investment')).map((i) => ({ i, by: matches(query, code, industry, i) }));
  const hitsMa = ma.filter((x) => x.by);
  const wanted = [...new Set(hitsMa.flatMap(({ i }) => (i.data.serviceGuides as string[]) ?? []))];
  const allGuides = await currentItems(db, 'service-guide');
  const guides = new Map(allGuides.filter((g) => wanted.includes(g.key)).map((g) => [g.key, g.name]));
  for (const { i, by } of hitsMa) {
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
      serviceGuides: ((d.serviceGuides as string[]) ?? []).filter((g) => guides.has(g)).map((g) => ({ code: g, name: guides.get(g)!, url: guideUrl(g) })),
      matchedBy: by!,
    });
  }
  if (!hitsMa.length) results.push({ list: 'market-access', code: null, category: 'not-listed', name: null, measure: null, authority: null });
  const hitsFi = fi.filter((x) => x.by);
  for (const { i, by } of hitsFi) {
    const d = i.data;
    const prohibited = d.category === 'prohibited';
    results.push({ list: 'foreign-investment', code: i.key, category: prohibited ? 'prohibited' : 'permitted', restricted: !prohibited, name: d.heading as string, heading: d.heading as string, measure: d.measure as string, authority: (d.authority as string) || null, industries: d.industries as string[], matchedBy: by! });
  }
  if (!hitsFi.length) results.push({ list: 'foreign-investment', code: null, category: 'not-listed', name: null, measure: null, authority: null });
  // Prohibitions first, then licences, then "not listed".
  const rank = { prohibited: 0, permitted: 1, 'not-listed': 2 };
  results.sort((a, b) => rank[a.category] - rank[b.category]);

  // The nearest listed items: same 门类 as the industry understood, the longest shared code first.
  const nearest: (NearItem & { n: number })[] = [];
  const target = industry ?? code;
  if (target) {
    const near = (list: NegativeList, rows: typeof ma) => {
      for (const { i, by } of rows) {
        if (by) continue;
        const n = Math.max(0, ...industriesOf(i).map((c) => shared(c, target)));
        if (n < 1) continue;
        const d = i.data;
        const prohibited = d.category === 'prohibited';
        nearest.push({ n, list, code: i.key, name: (list === 'market-access' ? d.name : d.measure) as string, category: prohibited ? 'prohibited' : 'permitted', ...(list === 'foreign-investment' ? { restricted: !prohibited } : {}), industries: industriesOf(i) });
      }
    };
    near('market-access', ma);
    near('foreign-investment', fi);
    nearest.sort((a, b) => b.n - a.n);
  }

  // Service guides: those of the matching items, then guides naming the industry or its aliases.
  const found = new Map<string, { code: string; name: string; url: string }>();
  for (const r of results) for (const g of r.serviceGuides ?? []) found.set(g.code, g);
  if (u.industry) {
    const words = [u.industry.name, ...u.industry.aliases].map(squash).filter((w) => w.length >= 2);
    for (const g of allGuides) if (!found.has(g.key) && words.some((w) => squash(g.search).includes(w))) found.set(g.key, { code: g.key, name: g.name, url: guideUrl(g.key) });
  }
  return {
    query,
    industry: u.industry,
    understoodBy: u.by,
    alternatives: u.alternatives.map((a) => ({ code: a.code, name: a.name })),
    results,
    nearest: nearest.slice(0, 5).map(({ n: _n, ...x }) => x),
    guides: [...found.values()].slice(0, 8),
    policies: u.industry ? await policiesForIndustry(db, u.industry.code) : [],
    sources: await sources(db),
  };
}
