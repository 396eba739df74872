// Text extraction off the event loop: at most `workers` extraction threads per process (a queue
// beyond that), each with a limited heap; a job that runs longer than `timeoutMs` (counted from
// when its thread takes it) has its thread terminated. A thread is kept for the next job and ends
// after a minute idle; it never keeps the process alive on its own.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import type { ExtractJob, ExtractLimits, ExtractResult } from './extract.js';
import type { ExtractReply, ExtractRequest } from './extract-worker.js';

export interface ExtractSettings extends ExtractLimits {
  timeoutMs: number;
  workers: number;
  heapMb: number;
}

/** Why a job gave no result: a limit passed (size, entries, time), or a damaged file. */
export class ExtractFailed extends Error {
  constructor(
    readonly reason: 'size' | 'entries' | 'timeout' | 'damaged',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  job: ExtractJob;
  buf: Uint8Array;
  settings: ExtractSettings;
  resolve(v: ExtractResult): void;
  reject(err: Error): void;
}

const IDLE_MS = 60_000;
let seq = 0;

class Slot {
  readonly worker: Worker;
  ready = false;
  dead = false;
  current: { id: number; pending: Pending; timer: NodeJS.Timeout } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly pool: Pool) {
    this.worker = startWorker(import.meta.url, 'extract-worker', {
      resourceLimits: { maxOldGenerationSizeMb: pool.heapMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, pool.heapMb >> 3)) },
    });
    this.worker.on('message', (m: ExtractReply) => {
      if ('ready' in m) {
        this.ready = true;
        this.pool.pump();
        if (!this.current) this.finish();
        return;
      }
      const cur = this.current;
      if (!cur || m.id !== cur.id) return;
      this.finish();
      if (m.ok) cur.pending.resolve(m.result);
      else cur.pending.reject(new ExtractFailed(m.refused ?? 'damaged', m.message));
      this.pool.pump();
    });
    this.worker.on('error', (err: Error & { code?: string }) => this.die(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ExtractFailed('size', err.message) : err));
    this.worker.on('exit', () => this.die(new Error('text extraction worker exited')));
  }

  run(pending: Pending): void {
    this.clearIdle();
    this.worker.ref();
    const id = ++seq;
    const timer = setTimeout(() => {
      this.die(new ExtractFailed('timeout', `text extraction took longer than ${pending.settings.timeoutMs} ms`));
      void this.worker.terminate();
    }, pending.settings.timeoutMs);
    this.current = { id, pending, timer };
    const { maxBytes, maxEntries } = pending.settings;
    this.worker.postMessage({ id, job: pending.job, buf: pending.buf, limits: { maxBytes, maxEntries } } satisfies ExtractRequest);
  }

  get busy(): boolean {
    return this.current !== null || this.dead;
  }

  private finish(): void {
    if (this.current) clearTimeout(this.current.timer);
    this.current = null;
    this.worker.unref();
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.pool.remove(this);
      void this.worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The thread is gone (or going): its job fails with `err`, a new thread takes the next. */
  die(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.clearIdle();
    const cur = this.current;
    if (cur) clearTimeout(cur.timer);
    this.current = null;
    this.pool.remove(this);
    if (cur) cur.pending.reject(err);
    else if (!this.ready) this.pool.failQueued(err);
    this.pool.pump();
  }
}

class Pool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];

  constructor(
    readonly size: number,
    readonly heapMb: number,
  ) {}

  run(job: ExtractJob, buf: Uint8Array, settings: ExtractSettings): Promise<ExtractResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, buf, settings, resolve, reject });
      this.pump();
    });
  }

  pump(): void {
    while (this.queue.length) {
      const free = this.slots.find((s) => s.ready && !s.busy);
      if (free) {
        free.run(this.queue.shift()!);
        continue;
      }
      // A thread still starting takes the next job when it is ready.
      if (this.slots.some((s) => !s.ready && !s.dead) || this.slots.length >= this.size) return;
      this.slots.push(new Slot(this));
    }
  }

  remove(slot: Slot): void {
    this.slots = this.slots.filter((s) => s !== slot);
  }

  /** A thread that could not start: the jobs waiting fail rather than wait for ever. */
  failQueued(err: Error): void {
    for (const p of this.queue.splice(0)) p.reject(err);
  }
}

const pools = new Map<string, Pool>();

/** Runs one extraction job in a worker thread within the settings' limits. */
export function runOffThread(job: ExtractJob, buf: Uint8Array, settings: ExtractSettings): Promise<ExtractResult> {
  const key = `${settings.workers}/${settings.heapMb}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new Pool(settings.workers, settings.heapMb)));
  return pool.run(job, buf, settings);
}
