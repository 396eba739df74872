// Durable jobs (the outbox). A job is inserted in the same transaction as the change that
// causes it; workers claim due jobs, run their handler, and retry with exponential backoff
// until max_attempts, after which the job is 'dead' and shown to admins.
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { isDbUnavailable, type Db, type Dialect } from '../db/index.js';

export interface JobRow {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
}

export type JobHandler = (payload: any, job: JobRow) => Promise<void>;

export interface EnqueueOptions {
  /** Same key twice = one job (the second enqueue is ignored). */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
}

const LEASE_MS = 5 * 60 * 1000;

export function backoffMs(attempts: number): number {
  const base = Math.min(2 ** attempts * 5000, 60 * 60 * 1000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class Jobs {
  private handlers = new Map<string, JobHandler>();
  constructor(private readonly dialect: Dialect) {}

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`job handler ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  handler(kind: string): JobHandler | undefined {
    return this.handlers.get(kind);
  }

  /** Insert a job with the caller's executor (pass the transaction of the change). */
  async enqueue(t: Db, kind: string, payload: unknown, opts: EnqueueOptions = {}): Promise<void> {
    const now = new Date().toISOString();
    const q = t.insertInto('jobs').values({
      kind,
      payload: JSON.stringify(payload ?? null),
      status: 'pending',
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 8,
      run_at: (opts.runAt ?? new Date()).toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: null,
      idempotency_key: opts.key ?? null,
      created_at: now,
      updated_at: now,
    });
    await (opts.key ? q.onConflict((oc) => oc.column('idempotency_key').doNothing()) : q).execute();
  }

  /** Inserts many jobs of one kind with the caller's executor (bulk imports); no idempotency keys. */
  async enqueueMany(t: Db, kind: string, payloads: unknown[], opts: Omit<EnqueueOptions, 'key'> = {}): Promise<void> {
    const now = new Date().toISOString();
    const runAt = (opts.runAt ?? new Date()).toISOString();
    const rows = payloads.map((payload) => ({ kind, payload: JSON.stringify(payload ?? null), status: 'pending', attempts: 0, max_attempts: opts.maxAttempts ?? 8, run_at: runAt, locked_by: null, locked_until: null, last_error: null, idempotency_key: null, created_at: now, updated_at: now }));
    for (let i = 0; i < rows.length; i += 400) await t.insertInto('jobs').values(rows.slice(i, i + 400)).execute();
  }

  /** Claims up to `limit` due jobs (pending and due, or running with an expired lease). */
  async claim(db: Db, workerId: string, limit: number): Promise<JobRow[]> {
    const now = new Date();
    const nowS = now.toISOString();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    const due = sql`(status = 'pending' and run_at <= ${nowS}) or (status = 'running' and locked_until < ${nowS})`;
    if (this.dialect === 'sqlite') {
      // A read first, so that an idle poll takes no lock. The claim is then one statement: it takes
      // the write lock up front (waiting up to busy_timeout), where a select-then-update transaction
      // fails with SQLITE_BUSY when another process (cluster worker, request) wrote in between.
      const any = await sql`select 1 from jobs where ${due} limit 1`.execute(db);
      if (any.rows.length === 0) return [];
    }
    const rows = await sql<{ id: number; kind: string; payload: string; attempts: number }>`
      update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${until},
        attempts = attempts + 1, updated_at = ${nowS}
      where id in (
        select id from jobs where ${due}
        order by run_at, id limit ${limit}
        ${this.dialect === 'postgres' ? sql`for update skip locked` : sql``})
      returning id, kind, payload, attempts`.execute(db);
    return rows.rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) }));
  }

  async complete(db: Db, id: number): Promise<void> {
    await db.updateTable('jobs').set({ status: 'done', locked_by: null, locked_until: null, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
  }

  async fail(db: Db, job: JobRow, err: unknown): Promise<'retry' | 'dead'> {
    const row = await db.selectFrom('jobs').select(['max_attempts']).where('id', '=', job.id).executeTakeFirst();
    const dead = !row || job.attempts >= row.max_attempts;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    await db
      .updateTable('jobs')
      .set({
        status: dead ? 'dead' : 'pending',
        run_at: new Date(Date.now() + backoffMs(job.attempts)).toISOString(),
        locked_by: null,
        locked_until: null,
        last_error: message.slice(0, 2000),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', job.id)
      .execute();
    return dead ? 'dead' : 'retry';
  }

  /** Puts a dead job back in the queue (admin action). */
  async retry(db: Db, id: number): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ status: 'pending', attempts: 0, run_at: new Date().toISOString(), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async depth(db: Db): Promise<Record<string, number>> {
    const rows = await db.selectFrom('jobs').select(['status', db.fn.countAll<number>().as('n')]).where('status', '!=', 'done').groupBy('status').execute();
    const out: Record<string, number> = { pending: 0, running: 0, dead: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}

/** Pause of the worker loop after its n-th failure in a row (claim, complete or fail could not
 *  reach the database): twice the poll interval, doubling, at most 10 s. */
export function loopBackoffMs(pollMs: number, failures: number): number {
  return Math.min(Math.max(pollMs, 100) * 2 ** Math.min(failures, 16), 10_000);
}

/** Runs jobs until stopped. stop() waits for the jobs in hand to finish (graceful shutdown).
 *  When the database goes away the loop logs it once, backs off, and resumes when it answers. */
export class Worker {
  private running = false;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  readonly id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly jobs: Jobs,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly pollMs: number,
    private readonly batch = 10,
  ) {}

  /** Runs one batch; returns how many jobs it ran. */
  async runOnce(): Promise<number> {
    const claimed = await this.jobs.claim(this.db, this.id, this.batch);
    for (const job of claimed) {
      const handler = this.jobs.handler(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job.payload, job);
        await this.jobs.complete(this.db, job.id);
      } catch (err) {
        const outcome = await this.jobs.fail(this.db, job, err);
        this.log.warn({ err, job: job.id, kind: job.kind, outcome }, 'job failed');
      }
    }
    return claimed.length;
  }

  /** Runs batches until no job is due (tests and CLI). */
  async drain(maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  /** Puts this worker's claimed jobs back in the queue. Called by the loop after a failed batch,
   *  when none of them is running: a claim whose answer was lost with the connection, or the rest
   *  of a batch the outage interrupted, would otherwise wait for its lease (5 minutes) to expire. */
  private async releaseClaims(): Promise<number> {
    const now = new Date().toISOString();
    const r = await this.db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: now, locked_by: null, locked_until: null, updated_at: now })
      .where('locked_by', '=', this.id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      let failures = 0;
      let released = 0;
      while (this.running) {
        let n = 0;
        this.inFlight = (async () => {
          if (failures > 0) released += await this.releaseClaims();
          n = await this.runOnce();
          if (failures > 0) this.log.info({ failures, released }, 'worker resumed');
          failures = released = 0;
        })().catch((err) => {
          failures++;
          const unavailable = isDbUnavailable(err);
          const wait = loopBackoffMs(this.pollMs, failures);
          // An outage is logged when it starts, then quietly retried; other errors every time.
          if (!unavailable) this.log.error({ err, retryInMs: wait }, 'worker loop error');
          else if (failures === 1) this.log.warn({ err: { message: err.message, code: err.code }, retryInMs: wait }, 'database unavailable; worker backing off');
          else this.log.debug({ err: { message: err.message, code: err.code }, failures, retryInMs: wait }, 'database still unavailable');
        });
        await this.inFlight;
        this.inFlight = null;
        if (!this.running) break;
        const wait = failures > 0 ? loopBackoffMs(this.pollMs, failures) : n === 0 ? this.pollMs : 0;
        if (wait > 0) await new Promise<void>((r) => ((this.wake = r), (this.timer = setTimeout(r, wait))));
      }
    };
    void loop();
  }

  /** Ask an idle worker to look now (after a commit that enqueued work). */
  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.wake = null;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    if (this.inFlight) await this.inFlight;
  }
}
