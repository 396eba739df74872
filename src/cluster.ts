// `gongkai serve` in several processes on one machine (GONGKAI_PROCESSES > 1), with node:cluster.
// The primary opens the platform once — migrations and, with GONGKAI_DEMO, the demo load into an
// empty database — closes it and forks N workers listening on the same port (the primary accepts
// the connections and hands them out). Each worker opens the platform without the demo load; the
// migrations it runs again find everything applied and only read. Only worker 1 runs the
// in-process job worker and the modules' background tasks (timers, catch-up); the modules'
// everyProcess tasks (refreshing in-memory copies) run in every worker. A worker that dies
// is restarted in the same slot after a second. SIGTERM/SIGINT on the primary are passed on to the
// workers, which stop like the single-process server (in-flight requests and jobs finish); the
// primary exits when all have exited. If a worker fails before all have started, serve fails.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import pino from 'pino';
import type { Config } from './config.js';
import { MODULES } from './modules/index.js';
import { openPlatform, startServer, type Running } from './server.js';

/** Not a setting: how the primary tells a forked worker its slot (set by cluster.fork, read by the worker). */
const SLOT_ENV = 'GONGKAI_CLUSTER_SLOT';
const RESTART_DELAY_MS = 1000;
const FORCE_EXIT_MS = 30_000;

/** A port that is free on `host` now (for PORT=0: cluster workers listening on 0 would each get their own). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function serveCluster(config: Config): Promise<void> {
  if (cluster.isPrimary) await runPrimary(config);
  // The slot handed down by the primary (SLOT_ENV above), not a setting: config.ts does not read it.
  else await runWorker(config, Number(process.env[SLOT_ENV]));
}

async function runPrimary(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel }).child({ cluster: 'primary' });
  await (await openPlatform(config, MODULES, log)).close();
  const port = config.port || (await freePort(config.host));
  const n = config.processes;
  const workers = new Map<number, Worker>(); // slot → current worker
  const listening = new Set<number>();
  let started = false;
  let stopping = false;
  let failed = false;

  const stopAll = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    for (const w of workers.values()) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }, FORCE_EXIT_MS).unref();
    if (workers.size === 0) process.exit(failed ? 1 : 0);
  };

  const fork = (slot: number) => {
    const w = cluster.fork({ [SLOT_ENV]: String(slot), PORT: String(port) });
    workers.set(slot, w);
    w.on('listening', () => {
      listening.add(slot);
      if (!started && listening.size === n) {
        started = true;
        log.info({ processes: n, port, pids: [...workers.values()].map((x) => x.process.pid) }, `gongkai serving ${config.publicUrl} (${n} processes)`);
      }
    });
    w.on('exit', (code, signal) => {
      if (workers.get(slot) === w) workers.delete(slot);
      if (stopping) {
        if (code !== 0 && signal !== 'SIGTERM') failed = true; // SIGTERM: killed while still loading, nothing to lose
        if (workers.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      if (!started) {
        log.error({ slot, code, signal }, `worker ${slot} failed to start`);
        failed = true;
        stopAll('a worker failed to start');
        return;
      }
      log.error({ slot, worker: w.process.pid, code, signal }, `worker ${slot} died; restarting it in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => stopping || fork(slot), RESTART_DELAY_MS);
    });
  };

  for (let slot = 1; slot <= n; slot++) fork(slot);
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
}

async function runWorker(config: Config, slot: number): Promise<void> {
  let running: Running | null = null;
  let requested: string | null = null; // a stop asked for while starting is carried out once started
  let stopping = false;
  const stop = async (reason: string) => {
    requested ??= reason;
    if (!running || stopping) return; // Ctrl-C reaches workers and primary; the primary's SIGTERM follows
    stopping = true;
    running.app.log.info({ slot, reason: requested }, 'shutting down');
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('disconnect', () => void stop('primary gone')); // the primary was killed
  try {
    running = await startServer(config, { loadDemo: false, jobs: slot === 1 });
  } catch (err) {
    process.stderr.write(`gongkai worker ${slot} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  running.app.log.info({ slot, jobs: slot === 1 }, `worker ${slot} listening`);
  if (requested) await stop(requested);
}
