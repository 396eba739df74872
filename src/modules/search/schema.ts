// Search tables. SQLite: FTS5 (contentless, deletable) + metadata, text and title words.
// PostgreSQL: one table with a tsvector and a GIN index.
import { sql, type GkMigration } from '../../platform/db/migrate.js';

export interface SearchDocTable {
  id: number;
  type: string;
  index_no: string;
  title: string;
  department: string;
  department_name: string;
  topic: string | null;
  genre: string | null;
  validity: string;
  published_at: string;
  year: number;
  url: string;
  indexed_at: string;
}

export interface SearchStateTable {
  key: string;
  value: string;
  updated_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    search_docs: SearchDocTable;
    search_state: SearchStateTable;
  }
}

export const searchMigrations: GkMigration[] = [
  {
    name: '3001-search-index',
    async up(db, dialect) {
      await db.schema
        .createTable('search_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      let t = db.schema
        .createTable('search_docs')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('index_no', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('department_name', 'text', (c) => c.notNull())
        .addColumn('topic', 'text')
        .addColumn('genre', 'text')
        .addColumn('validity', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('indexed_at', 'text', (c) => c.notNull());
      if (dialect === 'postgres') {
        t = t.addColumn('title_words', 'text', (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).addColumn('tsv', sql`tsvector`, (c) => c.notNull());
      }
      await t.execute();
      await db.schema.createIndex('search_docs_published').on('search_docs').columns(['published_at', 'id']).execute();
      await db.schema.createIndex('search_docs_department').on('search_docs').columns(['department', 'published_at']).execute();
      await db.schema.createIndex('search_docs_type').on('search_docs').columns(['type', 'published_at']).execute();
      if (dialect === 'postgres') {
        await sql`ALTER TABLE search_docs ADD COLUMN tsv_title tsvector NOT NULL`.execute(db);
        await sql`CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv)`.execute(db);
        await sql`CREATE INDEX search_docs_tsv_title ON search_docs USING gin (tsv_title)`.execute(db);
        await sql`CREATE TABLE search_terms (term text COLLATE "C" PRIMARY KEY, df integer NOT NULL)`.execute(db);
      } else {
        await sql`CREATE TABLE search_text (id INTEGER PRIMARY KEY, title_words TEXT NOT NULL, body TEXT NOT NULL)`.execute(db);
        await sql`CREATE TABLE search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID`.execute(db);
        await sql`CREATE VIRTUAL TABLE search_fts USING fts5(t, b, m, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
        // Titles (and index numbers) alone: title matches are found across the whole index cheaply.
        await sql`CREATE VIRTUAL TABLE search_title USING fts5(t, m, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
        // Distinct characters of each item (and its filter tokens), without positions: one-character queries.
        await sql`CREATE VIRTUAL TABLE search_chars USING fts5(c, content='', contentless_delete=1, detail=none, tokenize='ascii')`.execute(db);
      }
    },
  },
  {
    // SQLite: the FTS5 tables move into shard files (created by SqliteSearchIndex when it attaches
    // them, see src/platform/search/sqlite.ts) so that a bulk build can write them in parallel.
    // The index is derived data: it is emptied here and the catch-up run at start-up indexes
    // everything published again.
    name: '3002-search-shards',
    async up(db, dialect) {
      if (dialect !== 'sqlite') return;
      for (const t of ['search_fts', 'search_title', 'search_chars']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
      await sql`DELETE FROM search_docs`.execute(db);
      await sql`DELETE FROM search_text`.execute(db);
      await sql`DELETE FROM search_terms`.execute(db);
      await sql`DELETE FROM search_state WHERE key LIKE 'catchup.%' OR key = 'shards.epoch'`.execute(db);
    },
  },
];
