// Webhook delivery throughput (issue 20: 1,000 deliveries drained in < 10 s):
// `npm run bench:webhooks -- [--db sqlite|postgres|both] [--deliveries 1000] [--runs 3]`.
// Per run: a fresh database with one department, 100 published items and 10 endpoints posting to
// a local receiver (node:http on 127.0.0.1, allow-listed); the `webhooks` channel records the
// ledger rows and enqueues one `webhooks.deliver` job each (not timed); then the outbox worker
// drains them — signed POST, wh_attempts row, ledger delivered — and that drain is timed.
// SQLite in a temporary data directory; PostgreSQL in a fresh database on 127.0.0.1:5432 (user
// postgres, or BENCH_DATABASE_URL), dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import { freshPgDatabase } from '../test/helpers.js';
import { Worker } from '../src/platform/jobs/index.js';
import { createDepartment } from '../src/modules/org/service.js';
import { createEndpoint } from '../src/modules/webhooks/service/endpoints.js';
import { webhookChannel } from '../src/modules/webhooks/service/channel.js';
import { startReceiver } from '../test/webhooks/receiver.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DBS = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db', 'both')];
const N = Number(arg('deliveries', '1000'));
const RUNS = Number(arg('runs', '3'));
const ENDPOINTS = 10;
const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function run(db: string): Promise<{ ms: number; delivered: number; received: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-webhooks-'));
  const fresh = db === 'postgres' ? await freshPgDatabase(PG_BASE) : null;
  const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off', GONGKAI_WEBHOOK_ALLOW: '127.0.0.1/32' }, { dataDir, databaseUrl: fresh?.url ?? null, demo: false, logLevel: 'silent' });
  const p = await openPlatform(config);
  const rx = await startReceiver();
  try {
    const dept = await createDepartment(p, 'cli', { code: 'bench', parentCode: null, name: '基准测试局', shortName: '基准局', kind: 'bureau', phone: '', sort: 10 });
    for (let e = 0; e < ENDPOINTS; e++) await createEndpoint(p, 'cli', { name: `接收端${e + 1}`, url: `${rx.url}?e=${e}`, events: ['published'] });
    const items = Math.ceil(N / ENDPOINTS);
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (let i = 0; i < items; i++) {
      const row = await p.db
        .insertInto('pub_items')
        .values({ type: 'document', department_id: dept.id, index_no: `BENCH/2026-${String(i + 1).padStart(5, '0')}`, status: 'published', public: 1, published_version: 1, latest_version: 1, title: `基准测试信息第${i + 1}号`, formed_at: now.slice(0, 10), published_at: now, changed_at: now, created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(row.id));
    }
    const channel = webhookChannel(p);
    for (const id of ids) await channel({ id, type: 'document', version: 1, event: 'published' });
    const worker = new Worker(p.jobs, p.db, p.log, 50, 50);
    const t0 = performance.now();
    await worker.drain(100_000);
    const ms = performance.now() - t0;
    const delivered = await p.db.selectFrom('chn_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'delivered').executeTakeFirstOrThrow();
    return { ms, delivered: Number(delivered.n), received: rx.hits.length };
  } finally {
    await rx.close();
    await p.close();
    rmSync(dataDir, { recursive: true, force: true });
    await fresh?.drop();
  }
}

for (const db of DBS) {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const x = await run(db);
    times.push(x.ms);
    console.log(`${db} run ${r + 1}: ${x.delivered} delivered (${x.received} received) in ${(x.ms / 1000).toFixed(2)} s — ${Math.round(x.delivered / (x.ms / 1000))}/s`);
    if (x.delivered !== N) throw new Error(`${db}: ${x.delivered} of ${N} delivered`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${db}: median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(2)} s, min ${(sorted[0]! / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s over ${RUNS} runs (budget 10 s)`);
}
