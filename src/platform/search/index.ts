// Search: the index of everything published through the spine. See docs/search.md.
import type { DbHandle } from '../db/index.js';
import type { SearchIndex } from './types.js';
import { SqliteSearchIndex } from './sqlite.js';
import { PgSearchIndex } from './postgres.js';

export * from './types.js';
export { parseQuery, fieldTokens, governmentTerms, segmenter, titleWords } from './analysis.js';
export { normalize } from './normalize.js';
export { MAX_QUERY } from './base.js';
export { highlight, escapeHtml } from './results.js';

const cache = new WeakMap<DbHandle, SearchIndex>();

/** The search index of a database (one per handle). */
export function searchIndexFor(dbh: DbHandle): SearchIndex {
  let ix = cache.get(dbh);
  if (!ix) {
    ix = dbh.dialect === 'postgres' ? new PgSearchIndex(dbh.db) : new SqliteSearchIndex(dbh.db, dbh.sqlite!, dbh.file!);
    cache.set(dbh, ix);
  }
  return ix;
}

export { SqliteSearchIndex, PgSearchIndex };
