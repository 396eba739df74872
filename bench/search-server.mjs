// The HTTP server for the search benchmark: the platform with only the search module, on
// 127.0.0.1 and a free port (printed as "PORT n" on stdout once it listens). Plain JavaScript on
// the compiled code in dist/ (`npm run bench:search` builds it first), as production runs it: the
// TypeScript loader alone added about 50 MB to the server's RSS.
// BENCH_PROCESSES=N (N > 1): node:cluster as in src/cluster.ts — the primary migrates once, picks
// the port (workers listening on 0 would each get their own), forks N workers sharing it and
// prints "PORT n" when all listen; SIGTERM stops the workers, then the primary. A worker that
// dies is not restarted: the primary stops the others and exits 1 (the run would be wrong).
import cluster from 'node:cluster';
import { loadConfig } from '../dist/config.js';
import { buildApp } from '../dist/app.js';
import { freePort } from '../dist/cluster.js';
import { createPlatform } from '../dist/platform/platform.js';
import { platformModule } from '../dist/platform/core/module.js';
import { searchModule } from '../dist/modules/search/module.js';
import { searchIndexFor } from '../dist/platform/search/index.js';

const dataDir = process.env.BENCH_DIR;
const databaseUrl = process.env.BENCH_PG || null;
const processes = Number(process.env.BENCH_PROCESSES || '1');
if (!Number.isInteger(processes) || processes < 1) throw new Error(`BENCH_PROCESSES must be a positive integer, got "${process.env.BENCH_PROCESSES}"`);
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl, demo: false, logLevel: 'silent' });
const open = () => createPlatform(config, { modules: [platformModule, searchModule] });

if (processes > 1 && cluster.isPrimary) {
  await (await open()).close(); // migrations once, before the workers start
  const port = await freePort('127.0.0.1');
  const workers = Array.from({ length: processes }, () => cluster.fork({ BENCH_PORT: String(port) }));
  const exited = workers.map((w) => new Promise((r) => w.once('exit', () => r())));
  let listening = 0;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
    await Promise.all(exited);
    process.exit(code);
  };
  for (const w of workers) {
    w.once('listening', () => ++listening === processes && process.stdout.write(`PORT ${port}\n`));
    w.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`search-server: worker ${w.process.pid} exited (${signal ?? code})\n`);
      void stop(1);
    });
  }
  process.on('SIGTERM', () => void stop(0));
} else {
  const p = await open();
  // BENCH_CACHE=0: every request runs the query (no result cache; per process).
  if (process.env.BENCH_CACHE === '0') searchIndexFor(p.dbh).resultCacheSize = 0;
  const app = await buildApp(p, { logger: false });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT || 0) });
  if (cluster.isPrimary) {
    const addr = app.server.address();
    process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  }
  process.on('SIGTERM', async () => {
    await app.close();
    await p.close();
    process.exit(0);
  });
}
