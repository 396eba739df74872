// What both implementations share: the search itself (candidate windows, ranking, facets,
// suggestions) over a few primitive questions each engine answers (see the abstract methods).
// Preparing items is in prepare.ts, scoring, snippets and facet counts in results.ts.
import { parseQuery, termTokens, type ParsedQuery } from './analysis.js';
import { normalize } from './normalize.js';
import type { IndexableItem } from '../publication/indexable.js';
import type { Autocomplete, BulkLoader, FacetName, FacetValue, SearchFilters, SearchHit, SearchIndex, SearchQuery, SearchResult } from './types.js';
import { prepare, type DocMeta, type FacetRow, type PreparedDoc } from './prepare.js';
import { bodyScore, cleanFilters, emptyFacets, facetCounts, highlight, titleScore } from './results.js';

/** Matches per window: the oldest ones read first and, when there are more, the newest ones (ranked with the newest title matches). */
export const CANDIDATES = 500;
export const TITLE_CANDIDATES = 200;
/** A query whose oldest CANDIDATES matches say it has at most this many in all is walked to the end (every match known). */
const WALK_ALL_BELOW = 1300;
/** …but never further than this many matches (the estimate can be wrong). */
const ALL_MATCHES = 2000;
/** Facet counts of a listing without query are exact up to this many items, estimated above. */
export const FACET_EXACT = 2000;
/** Best candidates (by title, validity and recency) whose body is read for the second stage. */
const BODY_CHECK = 30;
export const MAX_QUERY = 100;
/** Items looked at between the two windows to spread an estimated total over the years. */
const YEAR_PROBES = 100;
/** Above every id (PostgreSQL integer): probes look for the next item without an upper bound, so one cached answer serves every query. */
const MAX_ID = 2_147_483_647;

export abstract class BaseSearchIndex implements SearchIndex {
  abstract readonly backend: 'sqlite' | 'postgres';

  /** True when the engine runs queries concurrently (a connection pool), false when each call blocks (SQLite). */
  protected readonly concurrentQueries: boolean = false;

  /** Called before any use of the engine (SQLite attaches its shard files there). */
  protected async ready(): Promise<void> {}

  // ---- engine primitives ----
  protected abstract writeDocs(docs: PreparedDoc[]): Promise<void>;
  protected abstract deleteDocs(ids: number[]): Promise<void>;
  abstract clear(): Promise<void>;
  /** Ids of items where all terms occur (in title or body), newest ids first (or oldest first). */
  protected abstract matches(terms: string[], filters: SearchFilters, limit: number, oldestFirst?: boolean): Promise<number[]>;
  /**
   * Ids of matches, oldest first: the first `first`, then, when there are that many and
   * `goOn(firstIds)` asks for more, the same walk continued up to that many; `complete` when the
   * walk reached the last match. (Engines whose cursors can go on override this; the default asks
   * again with the larger limit.)
   */
  protected async oldestMatches(terms: string[], filters: SearchFilters, first: number, goOn: (firstIds: number[]) => number): Promise<{ ids: number[]; complete: boolean }> {
    let ids = await this.matches(terms, filters, first, true);
    if (ids.length < first) return { ids, complete: true };
    const upTo = goOn(ids);
    if (upTo <= first) return { ids, complete: false };
    ids = await this.matches(terms, filters, upTo, true);
    return { ids, complete: ids.length < upTo };
  }
  /** Ids of items where all terms occur in the title (or index number), newest ids first. */
  protected abstract titleMatches(terms: string[], filters: SearchFilters, limit: number): Promise<number[]>;
  /** Facet fields of the newest `limit` items passing the filters. */
  protected abstract facetRows(filters: SearchFilters, limit: number): Promise<FacetRow[]>;
  /** Items passing the filters, newest publication first. */
  protected abstract listFiltered(filters: SearchFilters, offset: number, limit: number): Promise<number[]>;
  protected abstract countFiltered(filters: SearchFilters): Promise<number>;
  protected abstract loadMeta(ids: number[]): Promise<Map<number, DocMeta>>;
  /** The facet fields of items (engines override with a narrower read). */
  protected async loadFacetRows(ids: number[]): Promise<Map<number, FacetRow>> {
    return this.loadMeta(ids);
  }
  protected abstract loadBodies(ids: number[]): Promise<Map<number, string>>;
  protected abstract termsByPrefix(prefix: string, limit: number): Promise<string[]>;
  /** For each id, the year of the first indexed item at or after it and before `below` (0 when none). */
  protected abstract yearsAt(ids: number[], below: number): Promise<number[]>;
  protected abstract bareQuery(terms: string[], filters: SearchFilters, limit: number): Promise<number[]>;
  /** The highest id in the index (0 when empty). */
  protected abstract lastId(): Promise<number>;
  /** A number that changes with every write to the index (from any process). */
  protected abstract generation(): Promise<number>;
  abstract ids(afterId: number, limit: number): Promise<number[]>;
  abstract count(): Promise<number>;
  abstract sizeBytes(): Promise<number>;

  private facetCache = new Map<string, { at: number; value: { total: number; facets: Record<FacetName, FacetValue[]>; exact: boolean } }>();
  /** Results of recent queries, valid while the index generation is unchanged. */
  private results = new Map<string, { gen: number; value: SearchResult }>();
  /** How many results to keep (0 = no result cache). */
  resultCacheSize = 500;
  /** Metadata rows by id (like a page cache), valid for one index generation. */
  private metaCache = new Map<number, DocMeta>();
  private metaGen = -1;
  metaCacheSize = 20_000;

  /** Facet fields of matches that are only counted (not ranked), by id, valid for one index generation. */
  private facetRowCache = new Map<number, FacetRow>();
  /** Years of the items at or after probe ids (estimatedYears), valid for one index generation. */
  private probeYears = new Map<number, number>();

  /** Drops the oldest tenth of a cache that outgrew its size (insertion order; cheaper than LRU upkeep). */
  private static trim<V>(cache: Map<number, V>, size: number): void {
    if (cache.size <= size) return;
    let drop = cache.size - Math.floor(size * 0.9);
    for (const k of cache.keys()) {
      if (drop-- <= 0) break;
      cache.delete(k);
    }
  }

  private lastIdCache = { gen: -1, id: 0 };
  private async lastIdFor(gen: number): Promise<number> {
    if (this.lastIdCache.gen !== gen) this.lastIdCache = { gen, id: await this.lastId() };
    return this.lastIdCache.id;
  }

  private checkGeneration(gen: number): void {
    if (gen !== this.metaGen) {
      this.metaCache.clear();
      this.facetRowCache.clear();
      this.probeYears.clear();
      this.metaGen = gen;
    }
  }

  private async metaFor(ids: number[], gen: number): Promise<Map<number, DocMeta>> {
    this.checkGeneration(gen);
    const out = new Map<number, DocMeta>();
    const missing: number[] = [];
    for (const id of ids) {
      const m = this.metaCache.get(id);
      if (m) out.set(id, m);
      else missing.push(id);
    }
    if (missing.length) {
      for (const [id, m] of await this.loadMeta(missing)) {
        out.set(id, m);
        if (this.metaCacheSize > 0) this.metaCache.set(id, m);
      }
    }
    BaseSearchIndex.trim(this.metaCache, this.metaCacheSize);
    return out;
  }

  /** Facet fields of ids, from the metadata rows when cached, otherwise a narrow read. */
  private async facetRowsFor(ids: number[], gen: number, known: Map<number, DocMeta>): Promise<FacetRow[]> {
    this.checkGeneration(gen);
    const out: FacetRow[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const m = known.get(id) ?? this.metaCache.get(id) ?? this.facetRowCache.get(id);
      if (m) out.push(m);
      else missing.push(id);
    }
    if (missing.length) {
      for (const [id, r] of await this.loadFacetRows(missing)) {
        out.push(r);
        if (this.metaCacheSize > 0) this.facetRowCache.set(id, r);
      }
    }
    BaseSearchIndex.trim(this.facetRowCache, this.metaCacheSize * 2);
    return out;
  }

  async upsert(items: IndexableItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.ready();
    await this.writeDocs(items.map(prepare));
    this.changed();
  }

  /** Forgets what this process cached about the index (after a write that bypassed writeDocs). */
  protected changed(): void {
    this.facetCache.clear();
  }

  /** Batch-by-batch loader through upsert (engines with a parallel path override this). */
  async bulkLoader(opts: { batch?: number; commitEvery?: number } = {}): Promise<BulkLoader> {
    const batch = opts.batch ?? 500;
    let queue: IndexableItem[] = [];
    return {
      parallel: false,
      add: async (items) => {
        queue.push(...items);
        while (queue.length >= batch) await this.upsert(queue.splice(0, batch));
      },
      finish: async () => {
        const rest = queue;
        queue = [];
        await this.upsert(rest);
      },
      abort: async () => {
        queue = [];
      },
    };
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ready();
    await this.deleteDocs(ids);
    this.facetCache.clear();
  }

  async bare(q: string, filters: SearchFilters = {}, limit = 20): Promise<number[]> {
    await this.ready();
    const terms = parseQuery(q).terms.map((t) => t);
    if (terms.length === 0) return this.listFiltered(filters, 0, limit);
    return this.bareQuery(terms, filters, limit);
  }

  async search(query: SearchQuery, opts: { cache?: boolean } = {}): Promise<SearchResult> {
    await this.ready();
    const gen = await this.generation();
    if (opts.cache === false || this.resultCacheSize === 0) return this.run(query, gen);
    const key = JSON.stringify(query);
    const hit = this.results.get(key);
    if (hit && hit.gen === gen) {
      // Most recently used last.
      this.results.delete(key);
      this.results.set(key, hit);
      return hit.value;
    }
    // One run per query at a time: concurrent requests for a query not cached yet (a popular
    // query after a write, a cold start) wait for the same run instead of each running it.
    const flightKey = `${gen}:${key}`;
    const running = this.inFlight.get(flightKey);
    if (running) return running;
    const p = this.run(query, gen)
      .then((value) => {
        this.results.set(key, { gen, value });
        if (this.results.size > this.resultCacheSize) this.results.delete(this.results.keys().next().value!);
        return value;
      })
      .finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, p);
    return p;
  }
  private inFlight = new Map<string, Promise<SearchResult>>();

  private async run(query: SearchQuery, gen: number): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize ?? 20)));
    const filters = cleanFilters(query);
    const parsed = this.parse(query.q ?? '');
    const terms = parsed.terms;
    const withFacets = query.facets !== false;
    const offset = (page - 1) * pageSize;

    if (terms.length === 0) {
      // No query: the filtered items, newest first.
      const [total, ids, facets] = await Promise.all([
        this.countFiltered(filters),
        this.listFiltered(filters, offset, pageSize),
        withFacets ? this.cachedFacets('', filters) : null,
      ]);
      const meta = await this.metaFor(ids, gen);
      const items = ids.map((id) => meta.get(id)).filter((m): m is DocMeta => !!m).map((m) => this.hit(m, null, [], 0));
      return { total, totalExact: true, page, pageSize, reachable: total, items, facets: facets?.facets ?? emptyFacets(), facetsExact: facets?.exact ?? true, suggestions: [], terms };
    }

    // Matches oldest first: FTS5 walks a doclist forwards for about two thirds of what a walk
    // backwards costs (it loads doclists to read them backwards). How far the first CANDIDATES
    // reach into the id range tells how many matches there are in all; when few, the same walk
    // goes on to the end: every match is then known (exact total and facets, all of them ranked,
    // no second walk). Otherwise the newest CANDIDATES matches are fetched too, with the newest
    // title matches (title matches are matches too, ranked first; the window may not hold them).
    const lastId = await this.lastIdFor(gen);
    const goOn = (first: number[]) => {
      const reach = first[first.length - 1] - first[0] + 1;
      return (first.length * (lastId - first[0] + 1)) / reach <= WALK_ALL_BELOW ? ALL_MATCHES : 0;
    };
    const walk = await this.oldestMatches(terms, filters, CANDIDATES, goOn);
    // The total: exact when the walk reached the end. Otherwise the two windows (newest and
    // oldest CANDIDATES matches): if they meet, their union is every match (exact); if not, the
    // total is estimated from the density of matches at both ends of the id range they span.
    // (Continuing the newest walk below the window instead costs FTS5 as much as a walk from the
    // other end: a rowid bound does not let it skip the doclists it has to read.)
    let window: number[];
    let titles: number[] = [];
    let total: number;
    let totalExact = true;
    let sample: number[];
    /** When estimated: the ids between the two windows and how many matches they are thought to hold. */
    let middle: { above: number; below: number; matches: number } | null = null;
    if (walk.complete) {
      window = walk.ids.slice().reverse();
      total = window.length;
      sample = window;
    } else {
      const oldest = walk.ids.slice(0, CANDIDATES);
      if (this.concurrentQueries) {
        [window, titles] = await Promise.all([this.matches(terms, filters, CANDIDATES), this.titleMatches(terms, filters, TITLE_CANDIDATES)]);
      } else {
        window = await this.matches(terms, filters, CANDIDATES);
        titles = await this.titleMatches(terms, filters, TITLE_CANDIDATES);
      }
      const union = new Set([...window, ...oldest]);
      sample = [...union];
      total = union.size;
      const newestId = window[0];
      const oldestId = oldest[0];
      const lastNew = window[window.length - 1];
      const lastOld = oldest[oldest.length - 1];
      if (lastNew > lastOld && window.length >= CANDIDATES) {
        const density = (window.length + oldest.length) / (newestId - lastNew + 1 + (lastOld - oldestId + 1));
        total = Math.max(union.size, Math.round(density * (newestId - oldestId + 1)));
        totalExact = false;
        middle = { above: lastOld, below: lastNew, matches: total - union.size };
      }
    }
    const candIds = [...new Set([...window, ...titles])];
    const meta = await this.metaFor(candIds, gen);
    const now = Date.now();
    const phrase = parsed.runs.join('');
    const multi = terms.length > 1 || parsed.runs.length > 1;
    type Scored = { m: DocMeta; score: number; boost: number };
    const scored: Scored[] = [];
    for (const id of candIds) {
      const m = meta.get(id);
      if (!m) continue;
      scored.push({ m, ...titleScore(m, terms, phrase, now) });
    }
    const tieBreak = (a: Scored, b: Scored) => (a.m.publishedAt < b.m.publishedAt ? 1 : a.m.publishedAt > b.m.publishedAt ? -1 : b.m.id - a.m.id);
    const sort = query.sort === 'date' ? 'date' : 'relevance';
    let bodies = new Map<number, string>();
    const normBodies = new Map<number, string>();
    if (sort === 'relevance') {
      scored.sort((a, b) => b.score - a.score || tieBreak(a, b));
      // Second stage: term frequency and the exact phrase in the body of the best candidates.
      const top = scored.slice(0, Math.max(BODY_CHECK, offset + pageSize));
      bodies = await this.loadBodies(top.map((s) => s.m.id));
      for (const s of top) {
        const nb = normalize(bodies.get(s.m.id) ?? '');
        normBodies.set(s.m.id, nb);
        s.score += s.boost * bodyScore(nb, terms, multi ? phrase : null);
      }
      scored.sort((a, b) => b.score - a.score || tieBreak(a, b));
    } else {
      scored.sort(tieBreak);
    }
    const reachable = Math.min(total, scored.length);
    const pageRows = scored.slice(offset, offset + pageSize);
    const missing = pageRows.filter((r) => !bodies.has(r.m.id)).map((r) => r.m.id);
    if (missing.length) for (const [k, v] of await this.loadBodies(missing)) bodies.set(k, v);
    const items = pageRows.map((r) => this.hit(r.m, bodies.get(r.m.id) ?? '', terms, r.score, normBodies.get(r.m.id)));

    let facets = emptyFacets();
    let facetsExact = true;
    if (withFacets && total > 0) {
      // Facets of all matches, or when there are too many, of the newest and oldest ones, scaled.
      const rows = await this.facetRowsFor(sample, gen, meta);
      facetsExact = totalExact;
      facets = facetCounts(rows, totalExact ? 1 : total / Math.max(1, rows.length));
      // Years follow the ids (items are mostly published in id order), so the two windows hold
      // only the newest and oldest years: scaling them would show the first and last year only.
      // The matches between the windows are spread like the items between them (the density
      // assumption of the total): years of items at evenly spaced ids there, in proportion.
      if (middle) facets.year = await this.estimatedYears(rows, middle);
    }
    const suggestions = total === 0 ? await this.suggestionsFor(parsed.terms, parsed.normalized) : [];
    return { total, totalExact, page, pageSize, reachable, items, facets, facetsExact, suggestions, terms };
  }

  /** Year facet of an estimated result: the windows' own counts plus the middle's matches by the years of items there. */
  private async estimatedYears(rows: FacetRow[], middle: { above: number; below: number; matches: number }): Promise<FacetValue[]> {
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.year, (counts.get(r.year) ?? 0) + 1);
    const span = middle.below - middle.above - 1;
    if (span > 0 && middle.matches > 0) {
      // The probes sit on a grid of power-of-two strides (YEAR_PROBES/2 to YEAR_PROBES points), so
      // that other queries meet the same ids: their years are cached for the index generation.
      let stride = 1;
      while (span / stride > YEAR_PROBES) stride *= 2;
      const at: number[] = [];
      for (let id = Math.ceil((middle.above + 1) / stride) * stride; id < middle.below; id += stride) at.push(id);
      const missing = at.filter((id) => !this.probeYears.has(id));
      if (missing.length) {
        const ys = await this.yearsAt(missing, MAX_ID);
        missing.forEach((id, i) => this.probeYears.set(id, ys[i]));
        BaseSearchIndex.trim(this.probeYears, 20_000);
      }
      const years = at.map((id) => this.probeYears.get(id) ?? 0).filter((y) => y > 0);
      for (const y of years) counts.set(y, (counts.get(y) ?? 0) + middle.matches / years.length);
    }
    return [...counts]
      .map(([y, n]) => ({ value: String(y), label: String(y), count: Math.max(1, Math.round(n)) }))
      .sort((a, b) => Number(b.value) - Number(a.value));
  }

  /** Parsed queries (segmentation is a noticeable share of a query's cost), most recent 1,000. */
  private parsed = new Map<string, ParsedQuery>();
  private parse(q: string): ParsedQuery {
    let r = this.parsed.get(q);
    if (!r) {
      r = parseQuery(q);
      if (this.parsed.size >= 1000) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(q, r);
    }
    return r;
  }

  private hit(m: DocMeta, body: string | null, terms: string[], score: number, normBody?: string): SearchHit {
    const snippet = body === null ? '' : highlight(body, terms, 140, normBody);
    return {
      id: m.id,
      type: m.type,
      indexNo: m.indexNo,
      title: m.title,
      titleHtml: highlight(m.title, terms),
      snippet,
      url: m.url,
      department: m.department,
      departmentName: m.departmentName,
      topic: m.topic,
      genre: m.genre,
      validity: m.validity,
      publishedAt: m.publishedAt,
      score: Math.round(score * 10000) / 10000,
    };
  }

  private async facetsFor(filters: SearchFilters, total: number) {
    const rows = await this.facetRows(filters, FACET_EXACT);
    const exact = total <= FACET_EXACT || rows.length >= total;
    return { facets: facetCounts(rows, exact ? 1 : total / Math.max(1, rows.length)), exact };
  }

  /** Facets of a filtered listing without query, cached briefly (they are costly on a large index). */
  private async cachedFacets(q: string, filters: SearchFilters) {
    const key = JSON.stringify([q, filters]);
    const hit = this.facetCache.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.value;
    const total = await this.countFiltered(filters);
    const value = { total, ...(await this.facetsFor(filters, total)) };
    if (this.facetCache.size > 200) this.facetCache.clear();
    this.facetCache.set(key, { at: Date.now(), value });
    return value;
  }

  /** When nothing is found: the query's terms on their own, and title words near the query. */
  private async suggestionsFor(terms: string[], normalized: string): Promise<string[]> {
    const out: string[] = [];
    if (terms.length > 1) {
      const counts = await Promise.all(terms.map(async (t) => ({ t, n: (await this.matches([t], {}, CANDIDATES)).length })));
      for (const c of counts.filter((c) => c.n > 0).sort((a, b) => b.n - a.n)) out.push(c.t);
    }
    const firstTerm = terms[0] ?? normalized;
    for (const len of [4, 3, 2, 1]) {
      const prefix = Array.from(firstTerm).slice(0, len).join('');
      if (!prefix || prefix.length > firstTerm.length) continue;
      for (const t of await this.termsByPrefix(prefix, 5)) if (!out.includes(t) && t !== normalized) out.push(t);
      if (out.length >= 5) break;
    }
    return out.slice(0, 5);
  }

  async suggest(prefix: string, limit = 8): Promise<Autocomplete> {
    const parsed = parseQuery(prefix.slice(0, MAX_QUERY));
    if (!parsed.normalized || parsed.terms.length === 0) return { terms: [], titles: [] };
    await this.ready();
    const last = parsed.runs[parsed.runs.length - 1] ?? '';
    const head = parsed.normalized.slice(0, parsed.normalized.length - last.length);
    const [terms, titles] = await Promise.all([this.termsByPrefix(last, limit), this.titleMatches(parsed.terms, {}, limit)]);
    const meta = await this.loadMeta(titles);
    return {
      terms: terms.map((t) => head + t),
      titles: titles.map((id) => meta.get(id)).filter((m): m is DocMeta => !!m).map((m) => ({ title: m.title, url: m.url })),
    };
  }
}

export { termTokens };

