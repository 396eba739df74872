// One shard of a parallel bulk build (see bulk.ts): receives batches of items, analyses them and
// writes their tokens into its shard file on its own connection, in long transactions with a
// large FTS5 hash, and reports each commit (the ids) so the main tables follow only committed tokens.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { IndexableItem } from '../publication/indexable.js';
import { prepareTokens } from './prepare.js';
import { insertShard } from './shards.js';

export interface BulkWorkerData {
  file: string;
  shard: number;
  /** Items per transaction (each commit flushes the FTS5 hash as one segment). */
  commitEvery: number;
}

export type BulkWorkerMessage = { kind: 'items'; items: IndexableItem[] } | { kind: 'finish' };
export type BulkWorkerReply = { kind: 'taken'; n: number } | { kind: 'committed'; ids: number[] } | { kind: 'finished' } | { kind: 'error'; message: string };

const data = workerData as BulkWorkerData;
const db = new Database(data.file);
db.pragma('busy_timeout = 30000');
// Durability comes from the main database's rows, written after each commit reported here.
db.pragma('synchronous = OFF');
db.pragma('cache_size = -65536');
const fts = `search_fts_${data.shard}`;
// 128 MB of pending index per transaction and merges of 8 segments at a time: fewer, larger
// segments during the load (the loader restores the defaults at the end).
db.exec(`INSERT INTO ${fts}(${fts}, rank) VALUES ('hashsize', 134217728); INSERT INTO ${fts}(${fts}, rank) VALUES ('automerge', 8)`);
const stmts = new Map<string, Database.Statement>();
const st = (sql: string) => {
  let s = stmts.get(sql);
  if (!s) stmts.set(sql, (s = db.prepare(sql)));
  return s;
};
let open: number[] = [];
const post = (m: BulkWorkerReply) => parentPort!.postMessage(m);
const commit = () => {
  if (open.length === 0) return;
  db.exec('COMMIT');
  post({ kind: 'committed', ids: open });
  open = [];
};

parentPort!.on('message', (m: BulkWorkerMessage) => {
  try {
    if (m.kind === 'items') {
      if (open.length === 0) db.exec('BEGIN IMMEDIATE');
      for (const item of m.items) {
        insertShard(st, prepareTokens(item));
        open.push(item.id);
      }
      post({ kind: 'taken', n: m.items.length });
      if (open.length >= data.commitEvery) commit();
    } else {
      commit();
      db.close();
      post({ kind: 'finished' });
    }
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
