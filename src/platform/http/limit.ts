// Per-client request budgets: the one limiter of the platform, for every module's routes.
// `clientLimit(db, spec)` gives a hook that spends one request of a bucket for the caller's
// address and answers 429 (the bucket's message, Retry-After) when the budget is spent.
//
// Counted in the database (the default), so that every server process (GONGKAI_PROCESSES) and
// every app instance behind the proxy spend the same budget. One row per (bucket, client) holds
// the counts of this minute and the one before, updated atomically in one statement (INSERT … ON
// CONFLICT DO UPDATE … RETURNING); the budget is checked against a sliding minute (the previous
// minute's count weighted by how much of it is still inside the last 60 s), so there is no burst
// of twice the budget at a minute boundary. A bucket may be shared by several routes (the
// appeals' query-code checks are one bucket). IPv6 clients are counted per /64 (one subscriber
// usually has a whole /64).
//
// Or counted in the memory of the process (`store: 'memory'`), with the same sliding minute: no
// database write per request, for floods of writes where a per-process budget is enough (a client
// may then get up to GONGKAI_PROCESSES times the budget).
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/** The sliding-minute count of one (bucket, client) in memory: as one database row. */
interface MemoryCount {
  win: number;
  n: number;
  prev_n: number;
}

/** The memory store's spend: the same arithmetic as spendBudget, on a map of this process. */
function spendMemory(counts: Map<string, MemoryCount>, key: string, max: number, windowMs: number, now = Date.now()): number {
  const win = Math.floor(now / windowMs);
  const end = (win + 1) * windowMs;
  const c = counts.get(key);
  if (!c) counts.set(key, { win, n: 1, prev_n: 0 });
  else if (c.win === win) c.n++;
  else {
    c.prev_n = c.win === win - 1 ? c.n : 0;
    c.n = 1;
    c.win = win;
  }
  const { n, prev_n } = counts.get(key)!;
  const inside = (end - now) / windowMs;
  if (prev_n * inside + n <= max) return 0;
  return Math.max(1, Math.ceil((end - now) / 1000));
}

export interface LimitSpec {
  /** The budget's name; routes with the same bucket spend one budget (unless perRoute). */
  bucket: string;
  /** Requests per client address per minute. */
  max: number;
  /** Message key of the 429 answer (code too_many_requests). */
  message: string;
  /** 'database' (default): shared by every process and instance; 'memory': this process only. */
  store?: 'database' | 'memory';
  /** Each route (method and path pattern) counts its own budget under the bucket. */
  perRoute?: boolean;
}

/** Spends one request of the caller's budget; throws 429 with Retry-After when it is spent. Use as a route's onRequest or preHandler hook, or call it. */
export type Limiter = (req: FastifyRequest, reply?: FastifyReply) => Promise<void>;

const limiters = new WeakSet<object>();
/** Whether a route hook is a limiter (the API document declares 429 for its routes). */
export const isLimiter = (hook: unknown): boolean => typeof hook === 'function' && limiters.has(hook);

/** The limiter of one budget. */
export function clientLimit(db: Db, spec: LimitSpec, windowMs = 60_000): Limiter {
  const memory = spec.store === 'memory' ? new Map<string, MemoryCount>() : null;
  let swept = 0;
  const limiter: Limiter = async (req, reply) => {
    const bucket = spec.perRoute ? `${spec.bucket}:${req.method} ${req.routeOptions.url ?? req.url}` : spec.bucket;
    const client = clientKey(clientIp(req));
    let wait: number;
    if (memory) {
      const now = Date.now();
      if (now - swept > windowMs) {
        swept = now;
        const current = Math.floor(now / windowMs);
        for (const [k, c] of memory) if (c.win < current - 1) memory.delete(k);
      }
      wait = spendMemory(memory, `${bucket}|${client}`, spec.max, windowMs, now);
    } else wait = await spendBudget(db, bucket, client, spec.max, windowMs);
    if (!wait) return;
    // Set here too, for error handlers of their own (Open311) that do not write Retry-After.
    reply?.header('retry-after', String(wait));
    throw tooMany(spec.message, undefined, wait);
  };
  limiters.add(limiter);
  return limiter;
}
