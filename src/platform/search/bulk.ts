// Parallel bulk build of the SQLite index. SQLite has one writer per database file and FTS5
// maintenance is most of the cost of indexing, so loading an empty index starts one worker thread
// per shard file (shards.ts: id mod SHARDS): each analyses its items and writes their tokens on
// its own connection. This thread keeps the items of each shard until the worker reports the
// transaction that holds their tokens committed, then writes their metadata rows into the main
// database: a metadata row never exists without its tokens, and tokens without a row are
// invisible (cleared when the item is indexed again, e.g. by the catch-up after a crash).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import type { IndexableItem } from '../publication/indexable.js';
import type { BulkLoader } from './types.js';
import type { BulkWorkerData, BulkWorkerMessage, BulkWorkerReply } from './bulk-worker.js';
import { prepareMeta, type PreparedMeta } from './prepare.js';
import { SHARDS, shardFile, shardOf } from './shards.js';


interface Shard {
  worker: Worker;
  /** Batches sent and not yet taken. */
  inFlight: number;
  /** Metadata of items sent, by id, until their tokens are committed. */
  waiting: Map<number, PreparedMeta>;
  wake: (() => void)[];
  error: Error | null;
  finished: Promise<void>;
}

export interface ParallelLoadOptions {
  mainFile: string;
  /** Items per message to a worker. */
  batch?: number;
  /** Items per shard transaction. */
  commitEvery?: number;
  /** Writes metadata rows into the main database (one transaction). */
  writeMain(docs: PreparedMeta[]): Promise<void>;
  /** After the last rows: restore settings, forget caches. */
  done(): Promise<void>;
}

export async function parallelBulkLoader(opts: ParallelLoadOptions): Promise<BulkLoader> {
  const batch = opts.batch ?? 500;
  let mainWrites = Promise.resolve();
  let failed: Error | null = null;
  const shards: Shard[] = [];
  for (let k = 0; k < SHARDS; k++) {
    const data: BulkWorkerData = { file: shardFile(opts.mainFile, k), shard: k, commitEvery: opts.commitEvery ?? 20_000 };
    const shard: Shard = { worker: startWorker(import.meta.url, 'bulk-worker', { workerData: data }), inFlight: 0, waiting: new Map(), wake: [], error: null, finished: Promise.resolve() };
    shard.finished = new Promise<void>((resolve) => {
      shard.worker.on('message', (m: BulkWorkerReply) => {
        if (m.kind === 'taken') shard.inFlight--;
        else if (m.kind === 'committed') {
          const docs = m.ids.map((id) => shard.waiting.get(id)!);
          for (const id of m.ids) shard.waiting.delete(id);
          mainWrites = mainWrites.then(() => (failed ? undefined : opts.writeMain(docs))).catch((err) => void (failed ??= err));
        } else if (m.kind === 'error') shard.error = new Error(`search bulk load, shard ${k}: ${m.message}`);
        else if (m.kind === 'finished') resolve();
        shard.wake.splice(0).forEach((w) => w());
      });
      shard.worker.on('error', (err) => {
        shard.error = err;
        shard.wake.splice(0).forEach((w) => w());
        resolve();
      });
    });
    shards.push(shard);
  }
  const pending: IndexableItem[][] = shards.map(() => []);
  const check = () => {
    const err = failed ?? shards.find((s) => s.error)?.error;
    if (err) throw err;
  };
  const send = async (k: number, items: IndexableItem[]) => {
    const s = shards[k];
    // A few batches queued per worker: the producer waits instead of filling memory.
    await new Promise<void>((resolve) => {
      const test = () => (s.inFlight < 4 || s.error ? resolve() : s.wake.push(test));
      test();
    });
    check();
    for (const it of items) s.waiting.set(it.id, prepareMeta(it));
    s.inFlight++;
    s.worker.postMessage({ kind: 'items', items } satisfies BulkWorkerMessage);
  };
  const stop = () => Promise.all(shards.map((s) => s.worker.terminate()));

  return {
    parallel: true,
    async add(items) {
      check();
      for (const it of items) pending[shardOf(it.id)].push(it);
      for (let k = 0; k < SHARDS; k++) while (pending[k].length >= batch) await send(k, pending[k].splice(0, batch));
    },
    async finish() {
      try {
        for (let k = 0; k < SHARDS; k++) if (pending[k].length) await send(k, pending[k].splice(0));
        for (const s of shards) s.worker.postMessage({ kind: 'finish' } satisfies BulkWorkerMessage);
        await Promise.all(shards.map((s) => s.finished));
        await mainWrites;
        check();
        await opts.done();
      } finally {
        await stop();
      }
    },
    async abort() {
      await stop();
      await mainWrites;
    },
  };
}
