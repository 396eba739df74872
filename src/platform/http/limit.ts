// Per-client request budgets counted in the database, so that every server process
// (GONGKAI_PROCESSES) and every app instance behind the proxy spend the same budget. One row per
// (bucket, client) holds the counts of this minute and the one before, updated atomically in one
// statement (INSERT … ON CONFLICT DO UPDATE … RETURNING); the budget is checked against a sliding
// minute (the previous minute's count weighted by how much of it is still inside the last 60 s),
// so there is no burst of twice the budget at a minute boundary. A bucket may be shared by
// several routes (the appeals' query-code checks are one bucket). IPv6 clients are counted per
// /64 (one subscriber usually has a whole /64).
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { GkMigration } from '../db/migrate.js';
import { tooMany } from '../errors.js';
import { clientIp } from './auth.js';

export interface RateLimitHitTable {
  /** `<bucket>|<client>` */
  key: string;
  /** The window (minute number since the epoch) `n` counts. */
  win: number;
  n: number;
  /** The count of the window before `win`. */
  prev_n: number;
  /** When the row stops mattering (ms since the epoch); rows past it are swept. */
  expires_ms: number;
}

declare module '../db/schema.js' {
  interface Database {
    rate_limit_hits: RateLimitHitTable;
  }
}

export const rateLimitMigrations: GkMigration[] = [
  {
    name: '0002-rate-limit-hits',
    async up(db) {
      await db.schema
        .createTable('rate_limit_hits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('win', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('prev_n', 'integer', (c) => c.notNull())
        .addColumn('expires_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rate_limit_hits_expires').on('rate_limit_hits').column('expires_ms').execute();
    },
  },
];

/** The address a budget is counted for: IPv4 as is, IPv6 by its /64 prefix. */
export function clientKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

let lastSweep = 0;

/**
 * Spends one request of `bucket` for `client`: 0 when the requests of the last `windowMs`
 * (this one included) are within `max`, otherwise the seconds to wait.
 */
export async function spendBudget(db: Db, bucket: string, client: string, max: number, windowMs = 60_000): Promise<number> {
  const now = Date.now();
  const win = Math.floor(now / windowMs);
  const end = (win + 1) * windowMs;
  const r = await sql<{ n: number; prev_n: number }>`
    insert into rate_limit_hits (key, win, n, prev_n, expires_ms) values (${`${bucket}|${client}`}, ${win}, 1, 0, ${end + windowMs})
    on conflict (key) do update set
      prev_n = case when rate_limit_hits.win = ${win} then rate_limit_hits.prev_n when rate_limit_hits.win = ${win - 1} then rate_limit_hits.n else 0 end,
      n = case when rate_limit_hits.win = ${win} then rate_limit_hits.n + 1 else 1 end,
      win = ${win},
      expires_ms = ${end + windowMs}
    returning n, prev_n`.execute(db);
  if (now - lastSweep > windowMs) {
    lastSweep = now;
    await db.deleteFrom('rate_limit_hits').where('expires_ms', '<', now).execute();
  }
  const { n, prev_n } = r.rows[0];
  const inside = (end - now) / windowMs; // share of the previous window still within the last windowMs
  if (Number(prev_n) * inside + Number(n) <= max) return 0;
  return Math.max(1, Math.ceil((end - now) / 1000));
}

/** Throws 429 (with Retry-After) when the caller's address has spent `max` requests of `bucket` this minute. */
export async function limitClient(db: Db, req: FastifyRequest, bucket: string, max: number, message: string): Promise<void> {
  const wait = await spendBudget(db, bucket, clientKey(clientIp(req)), max);
  if (wait) throw tooMany(message, undefined, wait);
}
