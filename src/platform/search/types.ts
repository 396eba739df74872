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

export interface SearchIndex {
  readonly backend: 'sqlite' | 'postgres';
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
