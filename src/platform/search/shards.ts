// The search index's shards on SQLite: which shard an item lives in, the shard files and their
// tables, and writing an item's tokens into its shard. Shared by the index (sqlite.ts), the
// parallel bulk build (bulk.ts) and its worker threads (bulk-worker.ts).
import type SqliteDatabase from 'better-sqlite3';
import type { PreparedDoc } from './prepare.js';

/** Number of FTS shards (id mod SHARDS). Changing it needs a migration that rebuilds the index. */
export const SHARDS = 2;
export const shardOf = (id: number): number => id % SHARDS;
export const SHARD_LIST = Array.from({ length: SHARDS }, (_, k) => k);

/** The file of shard k next to the main database file. */
export function shardFile(mainFile: string, k: number): string {
  return `${mainFile.replace(/\.sqlite$/, '')}.search-${k}.sqlite`;
}

/** The tables of shard k, in schema `shard_k`. */
export function shardDdl(k: number): string[] {
  const s = `shard_${k}`;
  return [
    `CREATE VIRTUAL TABLE ${s}.search_fts_${k} USING fts5(t, b, m, content='', contentless_delete=1, tokenize='ascii')`,
    // Titles (and index numbers) alone: title matches are found across the whole index cheaply.
    `CREATE VIRTUAL TABLE ${s}.search_title_${k} USING fts5(t, m, content='', contentless_delete=1, tokenize='ascii')`,
    // Distinct characters of each item (and its filter tokens), without positions: one-character queries.
    `CREATE VIRTUAL TABLE ${s}.search_chars_${k} USING fts5(c, content='', contentless_delete=1, detail=none, tokenize='ascii')`,
    `CREATE TABLE ${s}.shard_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ];
}
export const SHARD_TABLES = ['search_fts', 'search_title', 'search_chars'] as const;

/** A prepared statement for SQL text (cached by the caller). */
export type Stmt = (sql: string) => SqliteDatabase.Statement;

/** Writes one item's tokens into its shard (caller holds the transaction; shared with the bulk worker). */
export function insertShard(st: Stmt, d: Pick<PreparedDoc, 'id' | 'titleTokens' | 'bodyTokens' | 'metaTokens' | 'charTokens'>): void {
  const k = shardOf(d.id);
  st(`INSERT INTO search_fts_${k}(rowid, t, b, m) VALUES (?, ?, ?, ?)`).run(d.id, d.titleTokens, d.bodyTokens, d.metaTokens);
  st(`INSERT INTO search_title_${k}(rowid, t, m) VALUES (?, ?, ?)`).run(d.id, d.titleTokens, d.metaTokens);
  st(`INSERT INTO search_chars_${k}(rowid, c) VALUES (?, ?)`).run(d.id, `${d.charTokens} ${d.metaTokens}`);
}
