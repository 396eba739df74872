// SQLite implementation: FTS5 over pre-segmented tokens (ascii tokenizer: every non-ASCII
// character is part of a token, ASCII punctuation and spaces separate), contentless with
// delete support; item metadata in search_docs, bodies in search_text, title words for
// autocomplete in search_terms.
//
// The three FTS5 tables are split into SHARDS shards by id (shards.ts: id mod SHARDS), each in its own
// database file next to the main one (gongkai.search-0.sqlite, …), attached to the connection as
// shard_0, shard_1, …: search_fts_0, search_title_0, search_chars_0 live in shard_0. Queries read
// every shard (a UNION ALL merged in rowid order, so "newest 500" stops early in each). Shards
// exist so that a bulk build can write them in parallel (bulk.ts: one worker thread per shard
// file), since SQLite has one writer per database file. See docs/search.md for what this means
// for transactions (one per file in WAL mode; the outbox retries heal a crash between them),
// backups (the shards are not in them; a restored database rebuilds its index) and the epoch
// that ties the shard files to the main database.
import type SqliteDatabase from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Db } from '../db/index.js';
import { randomUUID } from 'node:crypto';
import { BaseSearchIndex, termTokens } from './base.js';
import { filterTokens, type DocMeta, type FacetRow, type PreparedDoc, type PreparedMeta } from './prepare.js';
import type { BulkLoader, SearchFilters } from './types.js';
import { parallelBulkLoader } from './bulk.js';
import { SHARD_LIST, SHARD_TABLES, insertShard, shardDdl, shardFile, shardOf, type Stmt } from './shards.js';

/** Column weights for bm25 in the bare engine query: title, body, filter tokens. */
export const SQLITE_WEIGHTS = [10, 1, 0] as const;

/** A term: the phrase of its bigrams, or for one character every token starting with it. */
function termExpr(term: string): string {
  const tokens = termTokens(term);
  return tokens.length === 1 && Array.from(tokens[0]).length === 1 ? `"${tokens[0]}" *` : `"${tokens.join(' ')}"`;
}

/** The MATCH expression; `title` = for the title table (columns t, m). */
export function ftsExpression(terms: string[], filters: SearchFilters, title = false): string {
  const cols = title ? 't' : '{t b}';
  const parts = terms.map((t) => `${cols}: ${termExpr(t)}`);
  for (const f of filterTokens(filters)) parts.push(`m: ${f}`);
  return parts.join(' AND ');
}

/** Rowids matching a MATCH expression (one parameter per shard) in every shard of a table. */
const shardUnion = (table: string): string => SHARD_LIST.map((k) => `SELECT rowid FROM ${table}_${k} WHERE ${table}_${k} MATCH ?`).join(' UNION ALL ');

/**
 * Writes one item's metadata, body and title words into the main database. Given `termCounts`,
 * the title words are only counted there, for one `addTermCounts` per batch (a bulk load).
 */
export function insertMain(st: Stmt, d: PreparedMeta, indexedAt = new Date().toISOString(), termCounts?: Map<string, number>): void {
  st(
    `INSERT INTO search_docs (id, type, index_no, title, department, department_name, topic, genre, validity, published_at, year, url, indexed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(d.id, d.type, d.indexNo, d.title, d.department, d.departmentName, d.topic, d.genre, d.validity, d.publishedAt, d.year, d.url, indexedAt);
  st('INSERT INTO search_text (id, title_words, body) VALUES (?, ?, ?)').run(d.id, d.titleWords.join(' '), d.body);
  const counts = termCounts ?? new Map<string, number>();
  for (const w of d.titleWords) counts.set(w, (counts.get(w) ?? 0) + 1);
  if (!termCounts) addTermCounts(st, counts);
}

/** Adds title-word counts to the autocomplete terms. */
export function addTermCounts(st: Stmt, counts: Map<string, number>): void {
  const inc = st('INSERT INTO search_terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df');
  for (const [w, n] of counts) inc.run(w, n);
}

/** Advances the index generation (in the transaction of every index write). */
const BUMP_GENERATION = "INSERT INTO search_state (key, value, updated_at) VALUES ('generation', '1', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1, updated_at = excluded.updated_at";

/** In the order loadMeta destructures them. */
const META_COLS = 'id, type, index_no, title, department, department_name, topic, genre, validity, published_at, year, url';

export class SqliteSearchIndex extends BaseSearchIndex {
  readonly backend = 'sqlite' as const;
  private stmts = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly db: Db,
    private readonly raw: SqliteDatabase.Database,
    private readonly file: string,
  ) {
    super();
  }

  private opened: Promise<void> | null = null;

  /** Attaches the shard files (once per connection), outside any transaction of the connection. */
  protected override ready(): Promise<void> {
    return (this.opened ??= this.db
      .connection()
      .execute(async () => this.attachShards())
      .catch((err) => {
        this.opened = null;
        throw err;
      }));
  }

  private attachShards(): void {
    const attached = new Set((this.raw.pragma('database_list') as { name: string }[]).map((r) => r.name));
    for (const k of SHARD_LIST) {
      if (!attached.has(`shard_${k}`)) this.raw.prepare(`ATTACH ? AS shard_${k}`).run(shardFile(this.file, k));
      this.raw.pragma(`shard_${k}.journal_mode = WAL`);
      this.raw.pragma(`shard_${k}.synchronous = NORMAL`);
      // 8 MB of page cache per shard (the main file has 64 MB): the OS caches the rest.
      this.raw.pragma(`shard_${k}.cache_size = -8192`);
    }
    if (this.epochOk()) return;
    // Shards missing, from another database or from before a restore: start them afresh and
    // empty the main tables; the catch-up run at start-up (or a rebuild) indexes everything again.
    this.raw
      .transaction(() => {
        if (this.epochOk()) return; // another process did it meanwhile
        const epoch = randomUUID();
        for (const k of SHARD_LIST) {
          for (const t of [...SHARD_TABLES, 'shard_info']) this.raw.exec(`DROP TABLE IF EXISTS shard_${k}.${t === 'shard_info' ? t : `${t}_${k}`}`);
          for (const ddl of shardDdl(k)) this.raw.exec(ddl);
          this.raw.prepare(`INSERT INTO shard_${k}.shard_info (key, value) VALUES ('epoch', ?)`).run(epoch);
        }
        this.raw.exec("DELETE FROM search_docs; DELETE FROM search_text; DELETE FROM search_terms; DELETE FROM search_state WHERE key LIKE 'catchup.%'");
        const now = new Date().toISOString();
        this.raw.prepare("INSERT INTO search_state (key, value, updated_at) VALUES ('shards.epoch', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at").run(epoch, now);
        this.raw.prepare(BUMP_GENERATION).run(now);
      })
      .immediate();
  }

  /** True when every shard file carries the epoch recorded in the main database. */
  private epochOk(): boolean {
    const main = this.raw.prepare("SELECT value FROM search_state WHERE key = 'shards.epoch'").pluck().get() as string | undefined;
    if (!main) return false;
    return SHARD_LIST.every((k) => {
      try {
        return this.raw.prepare(`SELECT value FROM shard_${k}.shard_info WHERE key = 'epoch'`).pluck().get() === main;
      } catch {
        return false; // no shard_info table: a new or foreign file
      }
    });
  }

  private st(sql: string): SqliteDatabase.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs a write on the shared connection, after any transaction in progress elsewhere. */
  private async write(fn: () => void, mainOnly = false): Promise<void> {
    await this.db.connection().execute(async () => {
      const tx = this.raw.transaction(() => {
        fn();
        this.st(BUMP_GENERATION).run(new Date().toISOString());
      });
      // BEGIN IMMEDIATE locks every attached file; a write to the main tables alone (during a bulk
      // load, while the workers hold the shards) starts deferred and locks only the main file.
      if (mainOnly) tx.deferred();
      else tx.immediate();
    });
  }

  protected async writeDocs(docs: PreparedDoc[]): Promise<void> {
    await this.write(() => {
      for (const d of docs) {
        this.removeOne(d.id);
        insertShard((sql) => this.st(sql), d);
        insertMain((sql) => this.st(sql), d);
      }
    });
  }

  /** Parallel shards when the index is empty and in a file (a rebuild or first import); otherwise batch by batch. */
  override async bulkLoader(opts: { batch?: number; commitEvery?: number } = {}): Promise<BulkLoader> {
    if ((await this.count()) > 0) return super.bulkLoader(opts);
    return parallelBulkLoader({
      mainFile: this.file,
      batch: opts.batch,
      commitEvery: opts.commitEvery,
      // Metadata rows of items whose shard transaction has committed (so a row always has its tokens).
      writeMain: (docs) =>
        this.write(() => {
          const at = new Date().toISOString();
          const terms = new Map<string, number>();
          for (const d of docs) insertMain((sql) => this.st(sql), d, at, terms);
          addTermCounts((sql) => this.st(sql), terms);
        }, true),
      done: () =>
        this.write(() => {
          // Back to the default merge settings for live writes.
          for (const k of SHARD_LIST) this.raw.exec(`INSERT INTO search_fts_${k}(search_fts_${k}, rank) VALUES ('automerge', 4); INSERT INTO search_fts_${k}(search_fts_${k}, rank) VALUES ('hashsize', 1048576)`);
        }).then(() => this.changed()),
    });
  }

  private removeOne(id: number): void {
    // Tokens first and whatever the main tables say: a crash between the files' commits can leave
    // tokens without a metadata row (invisible in results), which this clears.
    const k = shardOf(id);
    for (const t of SHARD_TABLES) this.st(`DELETE FROM ${t}_${k} WHERE rowid = ?`).run(id);
    const old = this.st('SELECT title_words FROM search_text WHERE id = ?').get(id) as { title_words: string } | undefined;
    if (!old) return;
    const dec = this.st('UPDATE search_terms SET df = df - 1 WHERE term = ?');
    const gone = this.st('DELETE FROM search_terms WHERE term = ? AND df <= 0');
    for (const w of old.title_words.split(' ')) {
      if (!w) continue;
      dec.run(w);
      gone.run(w);
    }
    this.st('DELETE FROM search_docs WHERE id = ?').run(id);
    this.st('DELETE FROM search_text WHERE id = ?').run(id);
  }

  protected async deleteDocs(ids: number[]): Promise<void> {
    await this.write(() => {
      for (const id of ids) this.removeOne(id);
    });
  }

  async clear(): Promise<void> {
    await this.ready();
    await this.write(() => {
      this.raw.exec('DELETE FROM search_docs; DELETE FROM search_text; DELETE FROM search_terms;');
      for (const k of SHARD_LIST) for (const t of SHARD_TABLES) this.raw.exec(`INSERT INTO ${t}_${k}(${t}_${k}) VALUES ('delete-all')`);
    });
  }

  /** The table and MATCH expression of a query: one character asks the character index (distinct characters per item, no positions). */
  private matchQuery(terms: string[], filters: SearchFilters): { table: 'search_chars' | 'search_fts'; expr: string } {
    if (terms.length === 1 && Array.from(terms[0]).length === 1) return { table: 'search_chars', expr: [`"${terms[0]}"`, ...filterTokens(filters)].join(' AND ') };
    return { table: 'search_fts', expr: ftsExpression(terms, filters) };
  }

  protected async matches(terms: string[], filters: SearchFilters, limit: number, oldestFirst = false): Promise<number[]> {
    const { table, expr } = this.matchQuery(terms, filters);
    return this.shardIds(table, expr, limit, oldestFirst);
  }

  /** One walk over every shard in ascending rowid order, read as far as asked (the cursor goes on). */
  protected override async oldestMatches(terms: string[], filters: SearchFilters, first: number, goOn: (firstIds: number[]) => number): Promise<{ ids: number[]; complete: boolean }> {
    const { table, expr } = this.matchQuery(terms, filters);
    const ids: number[] = [];
    let upTo = first;
    for (const id of this.st(`${shardUnion(table)} ORDER BY 1`).pluck().iterate(...SHARD_LIST.map(() => expr)) as IterableIterator<number>) {
      ids.push(id);
      if (ids.length === first) upTo = Math.max(first, goOn(ids));
      if (ids.length >= upTo) return { ids, complete: false }; // leaving the loop resets the statement
    }
    return { ids, complete: true };
  }

  /** Rowids matching `expr` in every shard of `table`, merged in rowid order, first `limit`. */
  private shardIds(table: (typeof SHARD_TABLES)[number], expr: string, limit: number, oldestFirst = false): number[] {
    return this.st(`${shardUnion(table)} ORDER BY 1 ${oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`).pluck().all(...SHARD_LIST.map(() => expr), limit) as number[];
  }

  protected async titleMatches(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    return this.shardIds('search_title', ftsExpression(terms, filters, true), limit);
  }

  protected async facetRows(filters: SearchFilters, limit: number): Promise<FacetRow[]> {
    const cols = 'd.type, d.department, d.department_name AS departmentName, d.topic, d.genre, d.year, d.validity';
    const toks = filterTokens(filters);
    if (toks.length === 0) return this.st(`SELECT ${cols} FROM search_docs d ORDER BY d.id DESC LIMIT ?`).all(limit) as FacetRow[];
    const expr = toks.map((f) => `m: ${f}`).join(' AND ');
    const ids = this.shardIds('search_title', expr, limit);
    return this.st(`SELECT ${cols} FROM search_docs d WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id DESC`).all(JSON.stringify(ids)) as FacetRow[];
  }

  private where(filters: SearchFilters): { sql: string; args: unknown[] } {
    const parts: string[] = [];
    const args: unknown[] = [];
    const col: Record<string, string> = { type: 'type', department: 'department', topic: 'topic', genre: 'genre', year: 'year', validity: 'validity' };
    for (const [k, v] of Object.entries(filters)) {
      parts.push(`${col[k]} = ?`);
      args.push(v);
    }
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
  }

  protected async listFiltered(filters: SearchFilters, offset: number, limit: number): Promise<number[]> {
    const w = this.where(filters);
    return (this.st(`SELECT id FROM search_docs ${w.sql} ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`).all(...w.args, limit, offset) as { id: number }[]).map((r) => r.id);
  }

  protected async countFiltered(filters: SearchFilters): Promise<number> {
    const toks = filterTokens(filters);
    if (toks.length === 0) return (this.st('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
    const expr = toks.map((f) => `m: ${f}`).join(' AND ');
    let n = 0;
    for (const k of SHARD_LIST) n += (this.st(`SELECT count(*) AS n FROM search_title_${k} WHERE search_title_${k} MATCH ?`).get(expr) as { n: number }).n;
    return n;
  }

  // Rows are read as arrays (raw mode) and built here: noticeably cheaper than row objects for the
  // thousand rows a search may need.
  protected async loadMeta(ids: number[]): Promise<Map<number, DocMeta>> {
    const out = new Map<number, DocMeta>();
    if (ids.length === 0) return out;
    const rows = this.st(`SELECT ${META_COLS} FROM search_docs WHERE id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(ids)) as unknown[][];
    for (const r of rows) {
      const [id, type, indexNo, title, department, departmentName, topic, genre, validity, publishedAt, year, url] = r as [number, string, string, string, string, string, string | null, string | null, DocMeta['validity'], string, number, string];
      out.set(id, { id, type, indexNo, title, department, departmentName, topic, genre, validity, publishedAt, year, url });
    }
    return out;
  }

  protected override async loadFacetRows(ids: number[]): Promise<Map<number, FacetRow>> {
    const out = new Map<number, FacetRow>();
    if (ids.length === 0) return out;
    const rows = this.st('SELECT id, type, department, department_name, topic, genre, year, validity FROM search_docs WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as unknown[][];
    for (const r of rows) {
      const [id, type, department, departmentName, topic, genre, year, validity] = r as [number, string, string, string, string | null, string | null, number, DocMeta['validity']];
      out.set(id, { type, department, departmentName, topic, genre, year, validity });
    }
    return out;
  }

  protected async loadBodies(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = this.st('SELECT id, body FROM search_text WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number; body: string }[];
    return new Map(rows.map((r) => [r.id, r.body]));
  }

  protected async yearsAt(ids: number[], below: number): Promise<number[]> {
    if (ids.length === 0) return [];
    return this.st('SELECT coalesce((SELECT year FROM search_docs WHERE id >= j.value AND id < ? ORDER BY id LIMIT 1), 0) FROM json_each(?) j ORDER BY j.key')
      .pluck()
      .all(below, JSON.stringify(ids)) as number[];
  }

  protected async termsByPrefix(prefix: string, limit: number): Promise<string[]> {
    if (!prefix) return [];
    const rows = this.st('SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY df DESC, term LIMIT ?').all(prefix, prefix + '\uffff', limit) as { term: string }[];
    return rows.map((r) => r.term);
  }

  protected async bareQuery(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    // The engine's own ranking in each shard, merged by score (bm25: lower is better).
    const expr = ftsExpression(terms, filters);
    const rows: { id: number; s: number }[] = [];
    for (const k of SHARD_LIST) {
      rows.push(...(this.st(`SELECT rowid AS id, bm25(search_fts_${k}, ${SQLITE_WEIGHTS.join(', ')}) AS s FROM search_fts_${k} WHERE search_fts_${k} MATCH ? ORDER BY s LIMIT ?`).all(expr, limit) as { id: number; s: number }[]));
    }
    return rows.sort((a, b) => a.s - b.s).slice(0, limit).map((r) => r.id);
  }

  protected async generation(): Promise<number> {
    const r = this.st("SELECT value FROM search_state WHERE key = 'generation'").get() as { value: string } | undefined;
    return Number(r?.value ?? 0);
  }

  protected async lastId(): Promise<number> {
    return (this.st('SELECT coalesce(max(id), 0) AS n FROM search_docs').get() as { n: number }).n;
  }

  async ids(afterId: number, limit: number): Promise<number[]> {
    await this.ready();
    return (this.st('SELECT id FROM search_docs WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as { id: number }[]).map((r) => r.id);
  }

  async count(): Promise<number> {
    await this.ready();
    return (this.st('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
  }

  async sizeBytes(): Promise<number> {
    let n = 0;
    for (const f of [this.file, ...SHARD_LIST.map((k) => shardFile(this.file, k))].flatMap((f) => [f, `${f}-wal`])) {
      try {
        n += statSync(f).size;
      } catch {
        /* absent */
      }
    }
    return n;
  }
}
