// SQLite implementation: FTS5 over pre-segmented tokens (ascii tokenizer: every non-ASCII
// character is part of a token, ASCII punctuation and spaces separate), contentless with
// delete support; item metadata in search_docs, bodies in search_text, title words for
// autocomplete in search_terms.
import type SqliteDatabase from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Db } from '../db/index.js';
import { BaseSearchIndex, filterTokens, termTokens, type DocMeta, type FacetRow, type PreparedDoc } from './base.js';
import type { SearchFilters } from './types.js';

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

const META_COLS = 'id, type, index_no AS indexNo, title, department, department_name AS departmentName, topic, genre, validity, published_at AS publishedAt, year, url';

export class SqliteSearchIndex extends BaseSearchIndex {
  readonly backend = 'sqlite' as const;
  private stmts = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly db: Db,
    private readonly raw: SqliteDatabase.Database,
    private readonly file: string | null,
  ) {
    super();
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
  private async write(fn: () => void): Promise<void> {
    await this.db.connection().execute(async () => {
      this.raw
        .transaction(() => {
          fn();
          this.st("INSERT INTO search_state (key, value, updated_at) VALUES ('generation', '1', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1, updated_at = excluded.updated_at").run(new Date().toISOString());
        })
        .immediate();
    });
  }

  protected async writeDocs(docs: PreparedDoc[]): Promise<void> {
    await this.write(() => {
      for (const d of docs) {
        this.removeOne(d.id);
        this.st('INSERT INTO search_fts(rowid, t, b, m) VALUES (?, ?, ?, ?)').run(d.id, d.titleTokens, d.bodyTokens, d.metaTokens);
        this.st('INSERT INTO search_title(rowid, t, m) VALUES (?, ?, ?)').run(d.id, d.titleTokens, d.metaTokens);
        this.st('INSERT INTO search_chars(rowid, c) VALUES (?, ?)').run(d.id, `${d.charTokens} ${d.metaTokens}`);
        this.st(
          `INSERT INTO search_docs (id, type, index_no, title, department, department_name, topic, genre, validity, published_at, year, url, indexed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(d.id, d.type, d.indexNo, d.title, d.department, d.departmentName, d.topic, d.genre, d.validity, d.publishedAt, d.year, d.url, new Date().toISOString());
        this.st('INSERT INTO search_text (id, title_words, body) VALUES (?, ?, ?)').run(d.id, d.titleWords.join(' '), d.body);
        const inc = this.st('INSERT INTO search_terms (term, df) VALUES (?, 1) ON CONFLICT (term) DO UPDATE SET df = df + 1');
        for (const w of d.titleWords) inc.run(w);
      }
    });
  }

  private removeOne(id: number): void {
    const old = this.st('SELECT title_words FROM search_text WHERE id = ?').get(id) as { title_words: string } | undefined;
    if (!old) return;
    const dec = this.st('UPDATE search_terms SET df = df - 1 WHERE term = ?');
    const gone = this.st('DELETE FROM search_terms WHERE term = ? AND df <= 0');
    for (const w of old.title_words.split(' ')) {
      if (!w) continue;
      dec.run(w);
      gone.run(w);
    }
    this.st('DELETE FROM search_fts WHERE rowid = ?').run(id);
    this.st('DELETE FROM search_title WHERE rowid = ?').run(id);
    this.st('DELETE FROM search_chars WHERE rowid = ?').run(id);
    this.st('DELETE FROM search_docs WHERE id = ?').run(id);
    this.st('DELETE FROM search_text WHERE id = ?').run(id);
  }

  protected async deleteDocs(ids: number[]): Promise<void> {
    await this.write(() => {
      for (const id of ids) this.removeOne(id);
    });
  }

  async clear(): Promise<void> {
    await this.write(() => {
      this.raw.exec("DELETE FROM search_docs; DELETE FROM search_text; DELETE FROM search_terms; INSERT INTO search_fts(search_fts) VALUES ('delete-all'); INSERT INTO search_title(search_title) VALUES ('delete-all'); INSERT INTO search_chars(search_chars) VALUES ('delete-all');");
    });
  }

  protected async matches(terms: string[], filters: SearchFilters, limit: number, oldestFirst = false): Promise<number[]> {
    if (terms.length === 1 && Array.from(terms[0]).length === 1) {
      // One character: the character index (distinct characters per item, no positions).
      const expr = [`"${terms[0]}"`, ...filterTokens(filters)].join(' AND ');
      return this.st(`SELECT rowid FROM search_chars WHERE search_chars MATCH ? ORDER BY rowid ${oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`).pluck().all(expr, limit) as number[];
    }
    return this.st(`SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid ${oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`).pluck().all(ftsExpression(terms, filters), limit) as number[];
  }

  protected async titleMatches(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    return this.st('SELECT rowid FROM search_title WHERE search_title MATCH ? ORDER BY rowid DESC LIMIT ?').pluck().all(ftsExpression(terms, filters, true), limit) as number[];
  }

  protected async facetRows(filters: SearchFilters, limit: number): Promise<FacetRow[]> {
    const cols = 'd.type, d.department, d.department_name AS departmentName, d.topic, d.genre, d.year, d.validity';
    const toks = filterTokens(filters);
    if (toks.length === 0) return this.st(`SELECT ${cols} FROM search_docs d ORDER BY d.id DESC LIMIT ?`).all(limit) as FacetRow[];
    const expr = toks.map((f) => `m: ${f}`).join(' AND ');
    return this.st(`SELECT ${cols} FROM (SELECT rowid AS id FROM search_title WHERE search_title MATCH ? ORDER BY rowid DESC LIMIT ?) f JOIN search_docs d ON d.id = f.id`).all(expr, limit) as FacetRow[];
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
    return (this.st('SELECT count(*) AS n FROM search_title WHERE search_title MATCH ?').get(toks.map((f) => `m: ${f}`).join(' AND ')) as { n: number }).n;
  }

  protected async loadMeta(ids: number[]): Promise<Map<number, DocMeta>> {
    if (ids.length === 0) return new Map();
    const rows = this.st(`SELECT ${META_COLS} FROM search_docs WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as DocMeta[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  protected async loadBodies(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = this.st('SELECT id, body FROM search_text WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number; body: string }[];
    return new Map(rows.map((r) => [r.id, r.body]));
  }

  protected async termsByPrefix(prefix: string, limit: number): Promise<string[]> {
    if (!prefix) return [];
    const rows = this.st('SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY df DESC, term LIMIT ?').all(prefix, prefix + '\uffff', limit) as { term: string }[];
    return rows.map((r) => r.term);
  }

  protected async bareQuery(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    return (this.st(`SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts, ${SQLITE_WEIGHTS.join(', ')}) LIMIT ?`).all(ftsExpression(terms, filters), limit) as { id: number }[]).map((r) => r.id);
  }

  protected async generation(): Promise<number> {
    const r = this.st("SELECT value FROM search_state WHERE key = 'generation'").get() as { value: string } | undefined;
    return Number(r?.value ?? 0);
  }

  async ids(afterId: number, limit: number): Promise<number[]> {
    return (this.st('SELECT id FROM search_docs WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as { id: number }[]).map((r) => r.id);
  }

  async count(): Promise<number> {
    return (this.st('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
  }

  async sizeBytes(): Promise<number> {
    if (!this.file) return 0;
    let n = 0;
    for (const f of [this.file, `${this.file}-wal`]) {
      try {
        n += statSync(f).size;
      } catch {
        /* absent */
      }
    }
    return n;
  }
}
