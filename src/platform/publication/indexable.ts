// The contract between the publication spine (which owns published items) and search
// (which indexes them). The spine registers a source; search reads items through it and
// never touches module tables. Jobs named SEARCH_SYNC_JOB with payload { id } are enqueued by
// the spine in the same transaction as every publication, change, withdrawal or expiry.
import type { Db } from '../db/index.js';

export const SEARCH_SYNC_JOB = 'search.sync';

export interface IndexableItem {
  /** The spine's item id (stable across versions). */
  id: number;
  /** Item type registered with the spine: 'document', 'interpretation', 'appeal', 'list-edition', … */
  type: string;
  /** 索引号; null for items of a section without one (互动交流: ADR 0008). */
  indexNo: string | null;
  title: string;
  /** Plain text of the published version's body and its attachments (no markup). */
  text: string;
  /** Department code and name. */
  department: string;
  departmentName: string;
  topic: string | null;
  genre: string | null;
  validity: 'valid' | 'expired' | 'repealed';
  /** ISO-8601 timestamp of first publication. */
  publishedAt: string;
  /** Public URL path, e.g. /catalog/items/123 */
  url: string;
}

export interface IndexableSource {
  /** The item as the public sees it now, or null when it is not public (unpublished, withdrawn, deleted). */
  load(db: Db, id: number): Promise<IndexableItem | null>;
  /** Ids of public items greater than afterId, ascending, at most limit (for full reindex). */
  listPublicIds(db: Db, afterId: number, limit: number): Promise<number[]>;
}

let source: IndexableSource | null = null;

export function setIndexableSource(s: IndexableSource): void {
  source = s;
}

export function getIndexableSource(): IndexableSource | null {
  return source;
}

/** Display names of facet values the index stores as codes (e.g. 主题分类 '0203' → 综合政务\政务公开);
 *  the module that owns the code list registers them. */
const facetLabelers = new Map<string, (code: string) => string | undefined>();

export function setFacetLabeler(facet: 'topic' | 'genre', labeler: (code: string) => string | undefined): void {
  facetLabelers.set(facet, labeler);
}

export function facetLabel(facet: string, code: string): string {
  return facetLabelers.get(facet)?.(code) ?? code;
}
