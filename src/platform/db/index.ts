// One Kysely code path over two databases: embedded SQLite (default) and PostgreSQL.
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: services accept both. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** The SQLite file, when on SQLite. */
  file: string | null;
  /** The raw better-sqlite3 handle (backups, pragmas), when on SQLite. */
  sqlite: SqliteDatabase.Database | null;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (COUNT, SUM, bigserial) and numeric as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function sqliteFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'gongkai.sqlite');
}

/** How long a query waits for a pooled connection (a free one, or a new one being opened) before
 *  it fails as "database unavailable": a database that does not answer fails requests, not hangs them. */
export const PG_CONNECT_TIMEOUT_MS = 10_000;

export function openDb(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'pgPool'> & Partial<Pick<Config, 'sqliteCacheMb'>>, log?: Logger): DbHandle {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.pgPool, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, keepAlive: true });
    // A connection the server drops (restart, failover, pg_terminate_backend, network) makes its
    // client emit 'error'; an 'error' event nobody listens to ends the process. The pool listens
    // on idle clients only, so every client gets a listener of its own when it is opened: it then
    // covers clients checked out by a query or a transaction as well. Their queries fail (the HTTP
    // error handler answers 503, the job worker backs off), the pool discards the broken client
    // and the next query opens a new connection.
    const onClientError = (err: Error) => log?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost');
    pool.on('connect', (client) => client.on('error', onClientError));
    pool.on('error', () => {}); // idle clients: reported by the listener above
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', file: null, sqlite: null, close: () => db.destroy() };
  }
  const file = sqliteFile(config);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  // Measured: 64 MB here added ≈ 60 MB to a search server's RSS at 1,000,000 items and no speed
  // (bodies and rows of random queries rarely meet again; the OS caches the file anyway).
  sqlite.pragma(`cache_size = ${-1024 * (config.sqliteCacheMb ?? 16)}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', file, sqlite, close: () => db.destroy() };
}

export function nowIso(d: Date = new Date()): string {
  return d.toISOString();
}

/** Checks the database answers (for /healthz). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// PostgreSQL error codes meaning "the server is going away, restarting or cannot take the
// connection now": admin_shutdown, crash_shutdown, cannot_connect_now, idle_session_timeout,
// too_many_connections, and class 08 (connection exceptions).
const UNAVAILABLE_PG_CODES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN']);
// node-postgres and Kysely raise these without a code.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Postgres connection has been discarded',
];

/** True when the error says the database cannot be reached or dropped the connection (restart,
 *  failover, network), rather than that the query was wrong: worth retrying in a moment.
 *  Looks through `cause` and AggregateError (Node's connect errors to several addresses). */
export function isDbUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_PG_CODES.has(e.code) || e.code.startsWith('08') || UNAVAILABLE_NET_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).startsWith(m))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDbUnavailable(x, depth + 1))) return true;
  return isDbUnavailable(e.cause, depth + 1);
}
