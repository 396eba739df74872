// The search index: one interface, two implementations (SQLite FTS5 and PostgreSQL tsvector),
// sharing the analysis, ranking, snippets, facets and suggestions of BaseSearchIndex.
import type { IndexableItem } from '../publication/indexable.js';

export type Validity = IndexableItem['validity'];
export const FACETS = ['type', 'department', 'topic', 'genre', 'year', 'validity'] as const;
export type FacetName = (typeof FACETS)[number];

export interface SearchFilters {
  type?: string;
  department?: string;
  topic?: string;
  genre?: string;
  year?: number;
  validity?: Validity;
}

export interface SearchQuery extends SearchFilters {
  q?: string;
  sort?: 'relevance' | 'date';
  page?: number;
  pageSize?: number;
  /** Skip facets (autocomplete-like callers). */
  facets?: boolean;
}

export interface SearchHit {
  id: number;
  type: string;
  indexNo: string;
  title: string;
  /** The title as HTML: escaped, matches wrapped in <mark>. */
  titleHtml: string;
  /** A passage of the text around the first match as HTML: escaped, matches wrapped in <mark>. */
  snippet: string;
  url: string;
  department: string;
  departmentName: string;
  topic: string | null;
  genre: string | null;
  validity: Validity;
  publishedAt: string;
  score: number;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  /** Number of matches: exact when totalExact, otherwise estimated (very large result sets). */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
  /** Results beyond this many are not ranked or paged (refine the query instead). */
  reachable: number;
  items: SearchHit[];
  facets: Record<FacetName, FacetValue[]>;
  /** False when the facet counts are estimated from the newest matches (very large result sets). */
  facetsExact: boolean;
  /** Other queries that find something, when this one found nothing. */
  suggestions: string[];
  /** The terms the query was split into (all must occur). */
  terms: string[];
}

export interface Autocomplete {
  terms: string[];
  titles: { title: string; url: string }[];
}

/** Loads many items into an index (a rebuild or an import); see SearchIndex.bulkLoader. */
export interface BulkLoader {
  /** True when items are analysed and written in parallel (SQLite shards in side files). */
  readonly parallel: boolean;
  /** Queues items; resolves when the loader is ready for more (back-pressure). */
  add(items: IndexableItem[]): Promise<void>;
  /** Writes everything still queued and makes it searchable (one copy or transaction at the end). */
  finish(): Promise<void>;
  /** Stops without changing the index (side files are removed). */
  abort(): Promise<void>;
}

export interface SearchIndex {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * A loader for many items. On SQLite with an empty, file-backed index it analyses and writes the
   * shards in parallel worker threads; otherwise it upserts batch by batch.
   */
  bulkLoader(opts?: { batch?: number; commitEvery?: number }): Promise<BulkLoader>;
  /** Adds or replaces items (one transaction per call). */
  upsert(items: IndexableItem[]): Promise<void>;
  /** Removes items (absent ids are ignored). */
  remove(ids: number[]): Promise<void>;
  /** Removes everything. */
  clear(): Promise<void>;
  /** Runs a query; results are cached per index generation unless `cache: false`. */
  search(query: SearchQuery, opts?: { cache?: boolean }): Promise<SearchResult>;
  suggest(prefix: string, limit?: number): Promise<Autocomplete>;
  /** Indexed ids greater than afterId, ascending. */
  ids(afterId: number, limit: number): Promise<number[]>;
  count(): Promise<number>;
  /** The bare engine query for the same text: top `limit` ids by the engine's own rank, nothing else (benchmark baseline). */
  bare(q: string, filters?: SearchFilters, limit?: number): Promise<number[]>;
  /** Approximate size of the index on disk, in bytes. */
  sizeBytes(): Promise<number>;
}
