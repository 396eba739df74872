// PostgreSQL implementation: the same pre-segmented tokens written directly as a tsvector
// literal (no text-search parser involved, so no locale can drop CJK characters), title
// tokens with weight A, body tokens with weight B, filter tokens with weight D; a GIN index on
// it. Phrases are `<->` chains of bigrams. Metadata and body in the same row (the body and the
// vector are TOASTed, the row stays narrow).
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { BaseSearchIndex, termTokens } from './base.js';
import { filterTokens, type DocMeta, type FacetRow, type PreparedDoc } from './prepare.js';
import type { BulkLoader, SearchFilters } from './types.js';

/** ts_rank weights {D, C, B, A}: filter tokens 0, body 0.1, title 1. */
export const PG_WEIGHTS = '{0, 0, 0.1, 1.0}';
/** Highest position a tsvector keeps (PostgreSQL clamps beyond). */
const MAX_POS = 16383;

function lex(tok: string): string {
  return `'${tok.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function tsvectorLiteral(d: Pick<PreparedDoc, 'titleTokens' | 'bodyTokens' | 'metaTokens'>, titleOnly = false): string {
  const parts: string[] = [];
  let pos = 0;
  const add = (tokens: string, w: string) => {
    for (const t of tokens.split(' ')) {
      if (!t) continue;
      pos = Math.min(pos + 1, MAX_POS);
      parts.push(`${lex(t)}:${pos}${w}`);
    }
  };
  add(d.titleTokens, 'A');
  pos++; // never a phrase across fields
  if (!titleOnly) add(d.bodyTokens, 'B');
  pos++;
  add(d.metaTokens, 'D');
  return parts.join(' ');
}

export function tsqueryText(terms: string[], filters: SearchFilters, titleOnly = false): string {
  const w = titleOnly ? ':A' : ':AB';
  const parts = terms.map((t) => {
    const tokens = termTokens(t);
    if (tokens.length === 1 && Array.from(tokens[0]).length === 1) return `${lex(tokens[0])}:*${w.slice(1)}`;
    return '(' + tokens.map((k) => lex(k) + w).join(' <-> ') + ')';
  });
  for (const f of filterTokens(filters)) parts.push(lex(f));
  return parts.join(' & ');
}

const META_COLS = sql.raw(
  `id, type, index_no AS "indexNo", title, department, department_name AS "departmentName", topic, genre, validity, published_at AS "publishedAt", year, url`,
);

export class PgSearchIndex extends BaseSearchIndex {
  readonly backend = 'postgres' as const;
  protected override readonly concurrentQueries = true;

  constructor(private readonly db: Db) {
    super();
  }

  private opened: Promise<void> | null = null;

  /** The GIN indexes exist (a bulk load drops them and builds them at the end; recreated here if it was interrupted). */
  protected override ready(): Promise<void> {
    return (this.opened ??= this.createGin().catch((err) => {
      this.opened = null;
      throw err;
    }));
  }

  private async createGin(): Promise<void> {
    await this.db.transaction().execute(async (t) => {
      // One build sorts all entries in memory: far cheaper than inserting item by item.
      await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(t);
      await sql`CREATE INDEX IF NOT EXISTS search_docs_tsv ON search_docs USING gin (tsv)`.execute(t);
      await sql`CREATE INDEX IF NOT EXISTS search_docs_tsv_title ON search_docs USING gin (tsv_title)`.execute(t);
    });
  }

  /**
   * An empty index is loaded without its GIN indexes, which are built once at the end (maintaining
   * them through the pending list costs most of an upsert); a non-empty one batch by batch.
   * Queries during the load still answer, by scanning the table.
   */
  override async bulkLoader(opts: { batch?: number; commitEvery?: number } = {}): Promise<BulkLoader> {
    await this.ready();
    if ((await this.count()) > 0) return super.bulkLoader(opts);
    await sql`DROP INDEX IF EXISTS search_docs_tsv`.execute(this.db);
    await sql`DROP INDEX IF EXISTS search_docs_tsv_title`.execute(this.db);
    const base = await super.bulkLoader({ batch: opts.batch ?? 2000 });
    const rebuild = async () => {
      await this.createGin();
      await sql`ANALYZE search_docs`.execute(this.db);
    };
    return {
      parallel: false,
      add: (items) => base.add(items),
      finish: async () => {
        try {
          await base.finish();
        } finally {
          await rebuild();
        }
      },
      abort: async () => {
        await base.abort();
        await rebuild();
      },
    };
  }

  protected async writeDocs(docs: PreparedDoc[]): Promise<void> {
    await this.db.transaction().execute(async (t) => {
      const ids = docs.map((d) => d.id);
      await this.dropTerms(t, ids);
      await sql`DELETE FROM search_docs WHERE id = ANY(${ids}::int[])`.execute(t);
      const now = new Date().toISOString();
      for (let i = 0; i < docs.length; i += 200) {
        const chunk = docs.slice(i, i + 200);
        const values = chunk.map(
          (d) => sql`(${d.id}, ${d.type}, ${d.indexNo}, ${d.title}, ${d.department}, ${d.departmentName}, ${d.topic}, ${d.genre}, ${d.validity}, ${d.publishedAt}, ${d.year}, ${d.url}, ${now}, ${d.titleWords.join(' ')}, ${d.body}, ${tsvectorLiteral(d)}::tsvector, ${tsvectorLiteral(d, true)}::tsvector)`,
        );
        await sql`INSERT INTO search_docs (id, type, index_no, title, department, department_name, topic, genre, validity, published_at, year, url, indexed_at, title_words, body, tsv, tsv_title)
          VALUES ${sql.join(values)}`.execute(t);
      }
      const counts = new Map<string, number>();
      for (const d of docs) for (const w of d.titleWords) counts.set(w, (counts.get(w) ?? 0) + 1);
      if (counts.size) {
        const terms = [...counts.keys()].sort();
        await sql`INSERT INTO search_terms (term, df) SELECT * FROM unnest(${terms}::text[], ${terms.map((k) => counts.get(k)!)}::int[])
          ON CONFLICT (term) DO UPDATE SET df = search_terms.df + excluded.df`.execute(t);
      }
      await this.bump(t);
    });
  }

  private async dropTerms(t: Db, ids: number[]): Promise<void> {
    const old = await sql<{ title_words: string }>`SELECT title_words FROM search_docs WHERE id = ANY(${ids}::int[])`.execute(t);
    const counts = new Map<string, number>();
    for (const r of old.rows) for (const w of r.title_words.split(' ')) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
    if (counts.size === 0) return;
    const terms = [...counts.keys()].sort();
    await sql`UPDATE search_terms s SET df = s.df - u.n FROM unnest(${terms}::text[], ${terms.map((k) => counts.get(k)!)}::int[]) AS u(term, n) WHERE s.term = u.term`.execute(t);
    await sql`DELETE FROM search_terms WHERE term = ANY(${terms}::text[]) AND df <= 0`.execute(t);
  }

  protected async deleteDocs(ids: number[]): Promise<void> {
    await this.db.transaction().execute(async (t) => {
      await this.dropTerms(t, ids);
      await sql`DELETE FROM search_docs WHERE id = ANY(${ids}::int[])`.execute(t);
      await this.bump(t);
    });
  }

  async clear(): Promise<void> {
    await this.db.transaction().execute(async (t) => {
      await sql`TRUNCATE search_docs, search_terms`.execute(t);
      await this.bump(t);
    });
  }

  protected async matches(terms: string[], filters: SearchFilters, limit: number, oldestFirst = false): Promise<number[]> {
    const r = await sql<{ id: number }>`SELECT id FROM search_docs WHERE tsv @@ ${tsqueryText(terms, filters)}::tsquery ORDER BY id ${sql.raw(oldestFirst ? 'ASC' : 'DESC')} LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  protected async titleMatches(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    const r = await sql<{ id: number }>`SELECT id FROM search_docs WHERE tsv_title @@ ${tsqueryText(terms, filters, true)}::tsquery ORDER BY id DESC LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  private where(filters: SearchFilters) {
    const parts = Object.entries(filters).map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
    return parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``;
  }

  protected async facetRows(filters: SearchFilters, limit: number): Promise<FacetRow[]> {
    const cols = sql.raw(`type, department, department_name AS "departmentName", topic, genre, year, validity`);
    const r = await sql<FacetRow>`SELECT ${cols} FROM search_docs ${this.where(filters)} ORDER BY id DESC LIMIT ${limit}`.execute(this.db);
    return r.rows;
  }

  protected async listFiltered(filters: SearchFilters, offset: number, limit: number): Promise<number[]> {
    const r = await sql<{ id: number }>`SELECT id FROM search_docs ${this.where(filters)} ORDER BY published_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  protected async countFiltered(filters: SearchFilters): Promise<number> {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM search_docs ${this.where(filters)}`.execute(this.db);
    return Number(r.rows[0].n);
  }

  protected async yearsAt(ids: number[], below: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const r = await sql<{ y: number }>`SELECT coalesce((SELECT year FROM search_docs WHERE id >= s.id AND id < ${below} ORDER BY id LIMIT 1), 0) AS y
      FROM unnest(${ids}::int[]) WITH ORDINALITY AS s(id, n) ORDER BY s.n`.execute(this.db);
    return r.rows.map((x) => Number(x.y));
  }

  protected async loadMeta(ids: number[]): Promise<Map<number, DocMeta>> {
    if (ids.length === 0) return new Map();
    const r = await sql<DocMeta>`SELECT ${META_COLS} FROM search_docs WHERE id = ANY(${ids}::int[])`.execute(this.db);
    return new Map(r.rows.map((x) => [x.id, x]));
  }

  protected async loadBodies(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const r = await sql<{ id: number; body: string }>`SELECT id, body FROM search_docs WHERE id = ANY(${ids}::int[])`.execute(this.db);
    return new Map(r.rows.map((x) => [x.id, x.body]));
  }

  protected async termsByPrefix(prefix: string, limit: number): Promise<string[]> {
    if (!prefix) return [];
    const r = await sql<{ term: string }>`SELECT term FROM search_terms WHERE term >= ${prefix} COLLATE "C" AND term < ${prefix + "\uffff"} COLLATE "C" ORDER BY df DESC, term LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => x.term);
  }

  protected async bareQuery(terms: string[], filters: SearchFilters, limit: number): Promise<number[]> {
    const q = tsqueryText(terms, filters);
    const r = await sql<{ id: number }>`SELECT id FROM search_docs WHERE tsv @@ ${q}::tsquery ORDER BY ts_rank(${PG_WEIGHTS}::float4[], tsv, ${q}::tsquery) DESC LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  private async bump(t: Db): Promise<void> {
    await sql`INSERT INTO search_state (key, value, updated_at) VALUES ('generation', '1', ${new Date().toISOString()})
      ON CONFLICT (key) DO UPDATE SET value = (search_state.value::bigint + 1)::text, updated_at = excluded.updated_at`.execute(t);
  }

  protected async generation(): Promise<number> {
    const r = await sql<{ value: string }>`SELECT value FROM search_state WHERE key = 'generation'`.execute(this.db);
    return Number(r.rows[0]?.value ?? 0);
  }

  protected async lastId(): Promise<number> {
    const r = await sql<{ n: number }>`SELECT coalesce(max(id), 0) AS n FROM search_docs`.execute(this.db);
    return Number(r.rows[0].n);
  }

  async ids(afterId: number, limit: number): Promise<number[]> {
    const r = await sql<{ id: number }>`SELECT id FROM search_docs WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  async count(): Promise<number> {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM search_docs`.execute(this.db);
    return Number(r.rows[0].n);
  }

  async sizeBytes(): Promise<number> {
    const r = await sql<{ n: number }>`SELECT pg_total_relation_size('search_docs') + pg_total_relation_size('search_terms') AS n`.execute(this.db);
    return Number(r.rows[0].n);
  }
}
