// `gongkai serve` with GONGKAI_PROCESSES=2 (node:cluster, src/cluster.ts): the compiled server
// forks two workers that share the port, the demo is loaded once, jobs run once, a killed worker
// is restarted, and SIGTERM stops everything. On SQLite and, with DATABASE_URL, on PostgreSQL.
// Worker processes are found through /proc (Linux only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { cliSandbox, type CliSandbox } from '../helpers.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { freePort } from '../../src/cluster.js';
import { openDb, type DbHandle } from '../../src/platform/db/index.js';
import { Jobs } from '../../src/platform/jobs/index.js';
import { MAIL_JOB } from '../../src/platform/mail/index.js';
import { DEMO_DEPARTMENTS, DEMO_USERS } from '../../src/modules/org/demo.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live child processes of `pid` (from /proc/N/stat: "N (comm) state ppid …"). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') out.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return out.sort((a, b) => a - b);
}

/** Polls `fn` until it returns something truthy, and returns that. */
async function until<T>(what: string, fn: () => T | Promise<T>, ms = 30_000): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

let sb: CliSandbox;
let server: ChildProcess;
let port: number;
let log = '';
let dbh: DbHandle;
let exited: Promise<number | null>;

/** GET on a new connection each time (the primary hands connections to the workers in turn). */
function get(path: string, requestId?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: requestId ? { 'x-request-id': requestId } : {} }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The complete JSON log lines printed so far by the primary and the workers (they share stdout). */
const logLines = () =>
  log
    .split('\n')
    .slice(0, -1)
    .flatMap((l) => {
      try {
        return l.startsWith('{') ? [JSON.parse(l) as Record<string, any>] : [];
      } catch {
        return [];
      }
    });

describe('GONGKAI_PROCESSES', () => {
  it('defaults to 1; takes a positive integer or auto (the cores available); refuses anything else by name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-processes-'));
    try {
      const processes = (v?: string) => loadConfig(v === undefined ? {} : { GONGKAI_PROCESSES: v }, { dataDir }).processes;
      expect(processes()).toBe(1);
      expect(processes('4')).toBe(4);
      expect(processes('auto')).toBe(availableParallelism());
      for (const bad of ['0', '-2', '1.5', 'two', '']) {
        expect(() => processes(bad)).toThrow(ConfigError);
        expect(() => processes(bad)).toThrow(/GONGKAI_PROCESSES/);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(process.platform !== 'linux')('gongkai serve with GONGKAI_PROCESSES=2', () => {
  beforeAll(async () => {
    sb = await cliSandbox('gongkai-cluster-');
    port = await freePort('127.0.0.1');
    server = sb.start(['serve'], { GONGKAI_PROCESSES: '2', PORT: String(port), GONGKAI_DEMO: '1', GONGKAI_LOG_LEVEL: 'info', GONGKAI_WORKER_POLL_MS: '100' });
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    exited = new Promise((r) => server.on('exit', (code) => r(code)));
    await until('the cluster to serve', () => logLines().some((l) => /^gongkai serving .*\(2 processes\)$/.test(l.msg)), 90_000).catch((err) => {
      throw new Error(`${err.message}\n${log.slice(-4000)}`);
    });
    dbh = openDb({ dataDir: sb.dataDir, databaseUrl: sb.databaseUrl, pgPool: 2 });
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      for (const pid of childrenOf(server.pid!)) process.kill(pid, 'SIGKILL');
      server.kill('SIGKILL');
    }
    // CLUSTER_DEBUG=1: print the server's log (without the request lines).
    if (process.env.CLUSTER_DEBUG) console.log(log.split('\n').filter((l) => !l.includes('reqId')).join('\n'));
    await dbh?.close();
    await sb?.close();
  });

  it('serve reports a bad value and exits 2', () => {
    const r = sb.gk(['serve'], { GONGKAI_PROCESSES: 'many' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('GONGKAI_PROCESSES');
  });

  it('the primary forks two workers, and requests are answered by both', async () => {
    const workers = childrenOf(server.pid!);
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('gongkai.js');
    // Each worker logs "listening" itself; the primary's "serving" line can reach the pipe first.
    await until('both workers to log "listening"', () => logLines().filter((l) => /^worker \d listening$/.test(l.msg)).length >= 2, 10_000).catch(() => undefined);
    const listening = logLines().filter((l) => /^worker \d listening$/.test(l.msg));
    expect(listening.map((l) => l.slot).sort()).toEqual([1, 2]);
    expect(listening.map((l) => l.pid).sort((a, b) => a - b)).toEqual(workers);
    expect(listening.find((l) => l.slot === 1)!.jobs).toBe(true);
    expect(listening.find((l) => l.slot === 2)!.jobs).toBe(false);

    // Fastify logs each request with the worker's pid; the request id is ours.
    const ids = Array.from({ length: 8 }, (_, i) => `cluster-test-${i}-${Date.now()}`);
    for (const id of ids) expect((await get('/healthz', id)).status).toBe(200);
    const pids = await until('the request logs', () => {
      const seen = new Set(logLines().filter((l) => ids.includes(l.reqId) && l.msg === 'request completed').map((l) => l.pid));
      return seen.size === 2 && seen;
    }, 5_000);
    expect([...pids].sort((a, b) => a - b)).toEqual(workers);
  });

  it('the demo district was loaded once, by the primary', async () => {
    const demoLoaded = logLines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('DEMO district loaded'));
    expect(demoLoaded).toHaveLength(1);
    expect(demoLoaded[0].pid).toBe(server.pid);
    const count = async (table: 'departments' | 'users') => Number((await dbh.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('departments')).toBe(DEMO_DEPARTMENTS.length);
    expect(await count('users')).toBe(DEMO_USERS.length);
    const api = JSON.parse((await get('/api/v1/departments')).body);
    expect(JSON.stringify(api)).toContain(DEMO_DEPARTMENTS[0].code);
  });

  it('a job enqueued is run once', async () => {
    const subject = `cluster job ${Date.now()}`;
    await new Jobs(dbh.dialect).enqueue(dbh.db, MAIL_JOB, { to: 'someone@example.invalid', subject, text: 'run me once' });
    const job = await until('the job to be done', () =>
      dbh.db.selectFrom('jobs').select(['status', 'attempts']).where('kind', '=', MAIL_JOB).where('payload', 'like', `%${subject}%`).where('status', '=', 'done').executeTakeFirst(),
    90_000); // behind the jobs the demo load enqueued
    expect(job.attempts).toBe(1);
    await sleep(500); // a second run, if any, would write a second message
    const dir = join(sb.dataDir, 'outbox-mail');
    const sent = readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes(subject));
    expect(sent).toHaveLength(1);
  }, 120_000);

  it('a worker that dies is restarted', async () => {
    const before = childrenOf(server.pid!);
    process.kill(before[1], 'SIGKILL');
    const after = await until('a new worker', () => {
      const now = childrenOf(server.pid!);
      return now.length === 2 && !now.includes(before[1]) && now;
    });
    expect(after).toContain(before[0]);
    expect(logLines().some((l) => /^worker \d died; restarting/.test(l.msg) && l.pid === server.pid)).toBe(true);
    await until('the new worker to listen', () => logLines().some((l) => /^worker \d listening$/.test(l.msg) && !before.includes(l.pid)));
    expect((await get('/healthz')).status).toBe(200);
  });

  it('SIGTERM stops the workers and the primary, which exits 0', async () => {
    const workers = childrenOf(server.pid!);
    expect(workers).toHaveLength(2);
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(logLines().filter((l) => l.msg === 'shutting down' && workers.includes(l.pid))).toHaveLength(2);
  });
});
