// Tracking numbers and query codes (受理编号 and 查询码 `queryCode`) for what citizens file — an
// appeal, a disclosure request: the number says which case, the code proves it is the citizen's.
// Only a SHA-256 of (number, code) is stored; a wrong number or code costs the same work and gets
// the same answer; wrong codes lock a number for a while (each module keeps the counts in a table
// of its own, made with `codeFailuresTable`). First written for the appeals centre.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Db } from './db/index.js';
import { todayShanghai } from './calendar/index.js';
import { tooMany } from './errors.js';

/** 10 random digits (older appeals keep 6). */
export const QUERY_CODE_DIGITS = 10;

export function codeHash(trackingNo: string, code: string): string {
  return createHash('sha256').update(`${trackingNo}\u0000${code}`).digest('hex');
}

/** Does `code` belong to `trackingNo`, given the stored hash? Constant time, whatever is stored. */
export function codeMatches(storedHash: string | null | undefined, trackingNo: string, code: string): boolean {
  const stored = storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? storedHash : '0'.repeat(64);
  const same = timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(codeHash(trackingNo, code), 'hex'));
  return same && !!storedHash;
}

/**
 * 10 random digits. Digits rather than letters: staff read the code out on the phone and citizens
 * key it in on a phone keypad; 10^10 with the per-number lock (≤ about 30 wrong guesses a day once
 * it has been reached) puts guessing out of reach.
 */
export function newQueryCode(): string {
  return String(randomInt(0, 10 ** QUERY_CODE_DIGITS)).padStart(QUERY_CODE_DIGITS, '0');
}

/** What citizens type: spaces and hyphens between digit groups are ignored. */
export function normalizeQueryCode(code: unknown): string {
  return typeof code === 'string' ? code.replace(/[\s-]/g, '').slice(0, 20) : '';
}

/** The day a tracking number carries: the Asia/Shanghai date of submission (yyyymmdd), not the UTC one. */
export function trackingDay(createdAt: string): string {
  return todayShanghai(new Date(createdAt)).replace(/-/g, '');
}

/** A new tracking number: a two-letter prefix, the date and 7 random digits, so numbers cannot be counted through. */
export function randomTrackingNo(prefix: string, createdAt: string): string {
  return `${prefix}${trackingDay(createdAt)}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/**
 * New tracking numbers for cases received at `dates`, none taken (`taken` answers which of a list
 * already exist) nor twice in the batch. Call it inside the transaction that writes them, beside a
 * unique constraint: a concurrent writer drawing the same number fails, and the caller retries.
 */
export async function allocateTrackingNos(prefix: string, dates: string[], taken: (nos: string[]) => Promise<Set<string>>): Promise<string[]> {
  const used = new Set<string>();
  const fresh = (d: string) => {
    let n: string;
    do n = randomTrackingNo(prefix, d);
    while (used.has(n));
    used.add(n);
    return n;
  };
  const nos = dates.map(fresh);
  for (let round = 0; round < 10; round++) {
    const t = await taken(nos);
    if (!t.size) return nos;
    nos.forEach((n, i) => {
      if (t.has(n)) nos[i] = fresh(dates[i]);
    });
  }
  throw new Error('no free tracking number after 10 draws');
}

// ---- the lock on wrong codes ----------------------------------------------------------------------

/**
 * Wrong query codes per tracking number: after `after` failures in a row the number is locked
 * for `firstMs`, and every further failure doubles the lock up to `maxMs`; a right code clears
 * the count; a count idle for `forgetMs` starts again. Attempts are counted for any well-formed
 * number, existing or not, so a lock reveals nothing, and from every address together.
 */
export const CODE_LOCK = { after: 5, firstMs: 60_000, maxMs: 3_600_000, forgetMs: 86_400_000 };

export function codeLockMs(failures: number): number {
  return failures < CODE_LOCK.after ? 0 : Math.min(CODE_LOCK.maxMs, CODE_LOCK.firstMs * 2 ** (failures - CODE_LOCK.after));
}

/** The table a module keeps its counts in (one row per tracking number); for its migration. */
export async function codeFailuresTable(db: Kysely<any>, table: string): Promise<void> {
  await db.schema
    .createTable(table)
    .addColumn('tracking_no', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex(`${table}_last`).on(table).column('last_ms').execute();
}

const lastSweep = new Map<string, number>();

/**
 * Counts one attempt for the number in `table` (before the code is checked, in one statement, so
 * parallel guesses cannot slip past the lock) or throws 429 (message `message`, with minutes and
 * Retry-After) while it is locked.
 */
export async function countCodeAttempt(db: Db, table: string, trackingNo: string, message: string): Promise<void> {
  const now = Date.now();
  const tbl = sql.table(table);
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const nowSql = sql`cast(${now} as bigint)`;
  const f = sql`(case when ${col('last_ms')} < cast(${now - CODE_LOCK.forgetMs} as bigint) then 1 else ${col('failures')} + 1 end)`;
  const steps: [number, number][] = [];
  for (let k = CODE_LOCK.after; steps.length < 64; k++) {
    steps.push([k, codeLockMs(k)]);
    if (codeLockMs(k) >= CODE_LOCK.maxMs) break;
  }
  const lock = sql`case ${sql.join(steps.reverse().map(([k, ms]) => sql`when ${f} >= ${sql.lit(k)} then ${nowSql} + ${sql.lit(ms)}`), sql` `)} else 0 end`;
  const first = codeLockMs(1);
  const r = await sql<{ failures: number }>`
    insert into ${tbl} (tracking_no, failures, locked_until_ms, last_ms)
    values (${trackingNo}, 1, ${first ? now + first : 0}, ${now})
    on conflict (tracking_no) do update set failures = ${f}, locked_until_ms = ${lock}, last_ms = ${nowSql}
    where ${col('locked_until_ms')} <= ${nowSql}
    returning failures`.execute(db);
  if (now - (lastSweep.get(table) ?? 0) > 60_000) {
    lastSweep.set(table, now);
    await sql`delete from ${tbl} where last_ms < ${now - CODE_LOCK.forgetMs} and locked_until_ms < ${now}`.execute(db);
  }
  if (r.rows.length) return;
  const row = (await sql<{ locked_until_ms: number | string }>`select locked_until_ms from ${tbl} where tracking_no = ${trackingNo}`.execute(db)).rows[0];
  const wait = Math.max(1, Math.ceil((Number(row?.locked_until_ms ?? 0) - now) / 1000));
  throw tooMany(message, { minutes: Math.ceil(wait / 60) }, wait);
}

/** The right code: the number's count starts again. */
export async function clearCodeAttempts(db: Db, table: string, trackingNo: string): Promise<void> {
  await sql`delete from ${sql.table(table)} where tracking_no = ${trackingNo}`.execute(db);
}
