// The platform: configuration, database, jobs, audit and the module list, shared by the
// HTTP server, workers and the CLI.
import { declareActions } from './auth/policy.js';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { openDb, type Db, type DbHandle, type Dialect } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { appendAudit, type AuditInput } from './audit/index.js';
import { Jobs, Worker } from './jobs/index.js';
import { addMessages } from './i18n/index.js';
import type { GongkaiModule } from './module.js';
import { withParts } from './parts.js';
import { registerChannel } from './publication/registry.js';

export interface Platform {
  config: Config;
  dbh: DbHandle;
  db: Db;
  dialect: Dialect;
  jobs: Jobs;
  log: Logger;
  modules: GongkaiModule[];
  worker: Worker | null;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite). Do not nest. */
  tx<T>(fn: (t: Db) => Promise<T>): Promise<T>;
  /** Appends an audit event with the transaction of the change. */
  audit(t: Db, event: AuditInput): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Capability modules; the platform parts (parts.ts) come first whether listed or not. */
  modules: GongkaiModule[];
  log?: Logger;
  migrate?: boolean;
}

export async function createPlatform(config: Config, opts: PlatformOptions): Promise<Platform> {
  const modules = withParts(opts.modules);
  const log = opts.log ?? pino({ level: config.logLevel });
  const dbh = openDb(config, log);
  const jobs = new Jobs(dbh.dialect);
  for (const m of modules) {
    if (m.messages) {
      addMessages('zh-CN', m.messages['zh-CN']);
      addMessages('en', m.messages.en);
    }
    declareActions(m.permissions ?? [], m.name);
  }
  const p: Platform = {
    config,
    dbh,
    db: dbh.db,
    dialect: dbh.dialect,
    jobs,
    log,
    modules,
    worker: null,
    async tx<T>(fn: (t: Db) => Promise<T>): Promise<T> {
      let result: T;
      if (dbh.dialect === 'postgres') {
        result = await dbh.db.transaction().execute(fn);
      } else {
        // Kysely's SQLite transactions start with a deferred BEGIN; a writer that first reads
        // could then fail with SQLITE_BUSY when another process wrote meanwhile. IMMEDIATE
        // takes the write lock up front (waiting up to busy_timeout).
        result = await dbh.db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          try {
            const r = await fn(conn);
            await sql`commit`.execute(conn);
            return r;
          } catch (err) {
            await sql`rollback`.execute(conn).catch(() => {});
            throw err;
          }
        });
      }
      p.worker?.poke();
      return result;
    },
    async audit(t, event) {
      await appendAudit(t, dbh.dialect, event);
    },
    async close() {
      await p.worker?.stop();
      await dbh.close();
    },
  };
  for (const m of modules) {
    const handlers = m.jobs?.(p) ?? {};
    for (const [kind, h] of Object.entries(handlers)) jobs.register(kind, h);
    for (const [name, h] of Object.entries(m.channels?.(p) ?? {})) jobs.register(registerChannel(name), (payload) => h(payload));
  }
  if (opts.migrate !== false) await migrate(p);
  return p;
}

export async function migrate(p: Platform): Promise<string[]> {
  return migrateToLatest(p.db, p.dialect, p.modules.flatMap((m) => m.migrations ?? []));
}

export function startWorker(p: Platform): Worker {
  p.worker ??= new Worker(p.jobs, p.db, p.log.child({ component: 'worker' }), p.config.workerPollMs);
  p.worker.start();
  return p.worker;
}
