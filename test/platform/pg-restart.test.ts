// PostgreSQL restarting under write load: a private cluster (initdb in a temporary directory, a
// free port) serves a real `gongkai serve` process while citizens submit appeals through the
// public API; the cluster is stopped with `pg_ctl -m fast` and later `-m immediate` and started
// again. The server must stay up, answer 503 with Retry-After while the database is away (never
// 500, never a reset connection), report the outage on /readyz, lose no acknowledged write, and
// run jobs again afterwards.
//
// The restart test runs once, in the SQLite run of `npm test` (it brings its own PostgreSQL; the
// DATABASE_URL run skips it), when the PostgreSQL server binaries are installed. As root, the
// cluster runs as the `postgres` user through runuser (initdb refuses root). Linux only.
// Before it, in every run: which errors count as "database unavailable", and the 503 they get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { cliSandbox, makeEnv, type CliSandbox, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import type { GongkaiModule } from '../../src/platform/module.js';
import { ErrorSchema } from '../../src/platform/http/schemas.js';
import { freePort } from '../../src/cluster.js';
import { isDbUnavailable, openDb, type DbHandle } from '../../src/platform/db/index.js';
import { Jobs } from '../../src/platform/jobs/index.js';
import { MAIL_JOB } from '../../src/platform/mail/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The directory holding initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else on PATH. */
function findPgBin(): string | null {
  const dirs: string[] = [];
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not a Debian-style installation
  }
  dirs.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

/** uid and gid of a user, or null when there is none. */
function userIds(name: string): { uid: number; gid: number } | null {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
}

const PG_BIN = findPgBin();
const IS_ROOT = process.getuid?.() === 0;
const RUN_AS = IS_ROOT ? userIds('postgres') : null;
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((f) => existsSync(f)) ?? null;

const skipReason =
  process.platform !== 'linux'
    ? 'Linux only'
    : process.env.DATABASE_URL
      ? 'runs in the SQLite run of npm test only (it starts its own PostgreSQL)'
      : !PG_BIN
        ? 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or on PATH'
        : IS_ROOT && !RUN_AS
          ? 'running as root and there is no postgres user to run initdb as'
          : IS_ROOT && !RUNUSER
            ? 'running as root and runuser is not installed'
            : null;

const TITLE = 'PostgreSQL stopped (pg_ctl -m fast, -m immediate) and started under write load';

interface Outcome {
  at: number;
  status: number; // 0 = no HTTP answer (connection refused or reset)
  retryAfter?: string;
  code?: string;
  message?: string;
  trackingNo?: string;
  queryCode?: string;
  error?: string;
}

// What node-postgres raises when the server goes away, and what it raises for a wrong query.
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });
const UNAVAILABLE: Record<string, () => Error> = {
  admin_shutdown: () => pgError('57P01', 'terminating connection due to administrator command'),
  crash_shutdown: () => pgError('57P02', 'terminating connection because of crash of another server process'),
  starting_up: () => pgError('57P03', 'the database system is starting up'),
  connection_failure: () => pgError('08006', 'connection failure'),
  refused: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }),
  reset: () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' }),
  terminated: () => new Error('Connection terminated unexpectedly'),
  not_queryable: () => new Error('Client has encountered a connection error and is not queryable'),
  pool_timeout: () => new Error('timeout exceeded when trying to connect'),
  wrapped: () => new Error('could not save', { cause: pgError('57P01', 'terminating connection due to administrator command') }),
};
const NOT_UNAVAILABLE: Record<string, () => Error> = {
  unique: () => pgError('23505', 'duplicate key value violates unique constraint'),
  syntax: () => pgError('42601', 'syntax error at or near "selec"'),
  sqlite_busy: () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
  plain: () => new Error('something else broke'),
};

describe('database unavailable: which errors, and the HTTP answer', () => {
  const testModule: GongkaiModule = {
    name: 'db-down-test',
    routes(app) {
      for (const path of ['/api/v1/db-down/:kind', '/db-down/:kind'])
        // Declares the 500 it answers on purpose (other errors must stay 500): the response check under test reads it.
        app.get<{ Params: { kind: string } }>(path, { config: { permission: 'public' }, ...(path.startsWith('/api/') ? { schema: { summary: 'Throws the error named by kind', response: { 500: ErrorSchema } } } : {}) }, async (req) => {
          throw (UNAVAILABLE[req.params.kind] ?? NOT_UNAVAILABLE[req.params.kind])();
        });
    },
  };
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv({ demo: false, modules: [...MODULES, testModule] });
  });
  afterAll(async () => env?.close());

  it('connection errors are told apart from wrong queries', () => {
    for (const [name, make] of Object.entries(UNAVAILABLE)) expect(isDbUnavailable(make()), name).toBe(true);
    for (const [name, make] of Object.entries(NOT_UNAVAILABLE)) expect(isDbUnavailable(make()), name).toBe(false);
  });

  it('answer 503 with Retry-After and a message in the reader\'s language; other errors stay 500', async () => {
    for (const kind of Object.keys(UNAVAILABLE)) {
      const r = await env.api('GET', `/api/v1/db-down/${kind}`);
      expect(r.statusCode, kind).toBe(503);
      expect(r.headers['retry-after'], kind).toMatch(/^\d+$/);
      expect(r.json().error, kind).toEqual({ code: 'database_unavailable', message: '服务暂时不可用（无法连接数据库），请几秒后再试。' });
    }
    const en = await env.api('GET', '/api/v1/db-down/refused', { headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toMatch(/temporarily unavailable \(the database cannot be reached\)/);
    const page = await env.api('GET', '/db-down/admin_shutdown', { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toMatch(/^\d+$/);
    expect(page.body).toContain('服务暂时不可用');
    for (const kind of ['syntax', 'plain']) expect((await env.api('GET', `/api/v1/db-down/${kind}`)).statusCode, kind).toBe(500);
  });
});

(skipReason ? describe.skip : describe)(skipReason ? `${TITLE} — skipped: ${skipReason}` : TITLE, () => {
  it('the server stays up, answers 503 with Retry-After, /readyz follows, no acknowledged write is lost, jobs resume', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gongkai-pgrestart-'));
    if (RUN_AS) chownSync(root, RUN_AS.uid, RUN_AS.gid);
    const pgData = join(root, 'data');
    const pgLog = join(root, 'postgres.log');
    const pgPort = await freePort('127.0.0.1');
    const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;

    /** Runs a PostgreSQL program (as the postgres user when we are root); throws with its output on failure. */
    const pgRun = (program: string, args: string[]) => {
      const cmd = join(PG_BIN!, program);
      const r = RUN_AS ? spawnSync(RUNUSER!, ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', timeout: 60_000 }) : spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) {
        const log = existsSync(pgLog) ? readFileSync(pgLog, 'utf8').slice(-2000) : '';
        throw new Error(`${program} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error}): ${r.stdout}${r.stderr}\n${log}`);
      }
    };
    const pgStart = () => pgRun('pg_ctl', ['-D', pgData, '-l', pgLog, '-w', '-t', '30', '-o', `-p ${pgPort} -k ${root} -c listen_addresses=127.0.0.1`, 'start']);
    const pgStop = (mode: 'fast' | 'immediate') => pgRun('pg_ctl', ['-D', pgData, '-m', mode, '-w', '-t', '30', 'stop']);

    let sb: CliSandbox | null = null;
    let server: ChildProcess | null = null;
    let dbh: DbHandle | null = null;
    let log = '';
    let loading = false;
    let polling = false;
    const load: Promise<void>[] = [];
    let poller: Promise<void> = Promise.resolve();
    const t0 = Date.now();
    const mark = (what: string) => void (process.env.PGRESTART_DEBUG && console.log(`${Date.now() - t0} ms: ${what}`));
    try {
      pgRun('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
      pgStart();
      mark('cluster started');

      // The bare cause, deterministically: a connection held by a transaction is terminated by the
      // server. Its client emits 'error' while checked out of the pool; without a listener of its
      // own that ends the process (here: this test worker). The next query fails as unavailable.
      const probe = openDb({ dataDir: root, databaseUrl, pgPool: 2 });
      try {
        const killer = new pg.Client({ connectionString: databaseUrl });
        await killer.connect();
        const failure = await probe.db
          .transaction()
          .execute(async (t) => {
            const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t);
            await killer.query('select pg_terminate_backend($1)', [rows[0].pid]);
            await sleep(300); // the connection's end arrives while the client is checked out
            await sql`select 1`.execute(t);
          })
          .then(() => null, (err: unknown) => err);
        await killer.end();
        expect(isDbUnavailable(failure), String(failure)).toBe(true);
        expect(await sql<{ one: number }>`select 1 as one`.execute(probe.db).then((r) => r.rows[0].one)).toBe(1); // a new connection
      } finally {
        await probe.close();
      }

      sb = await cliSandbox('gongkai-pgrestart-data-', { databaseUrl });

      const port = await freePort('127.0.0.1');
      server = sb.start(['serve'], { PORT: String(port), GONGKAI_LOG_LEVEL: 'warn', GONGKAI_WORKER_POLL_MS: '100', GONGKAI_APPEALS_RATE_LIMIT: '1000000', GONGKAI_APPEALS_LOOKUP_LIMIT: '1000000', GONGKAI_PG_POOL: '5' });
      server.stdout!.on('data', (d) => (log += d));
      server.stderr!.on('data', (d) => (log += d));
      const srv = server;
      const died = () => (srv.exitCode !== null || srv.signalCode !== null ? `the server exited (code ${srv.exitCode}, signal ${srv.signalCode})\n${log.slice(-4000)}` : null);

      /** Polls `fn` until it returns something truthy; fails at once if the server has exited. */
      const until = async <T>(what: string, fn: () => T | Promise<T>, ms = 20_000): Promise<Exclude<T, false | null | undefined | 0 | ''>> => {
        const end = Date.now() + ms;
        for (;;) {
          const gone = died();
          if (gone) throw new Error(`waiting for ${what}: ${gone}`);
          const v = await fn();
          if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log.slice(-4000)}`);
          await sleep(50);
        }
      };

      const call = (method: string, path: string, body?: unknown): Promise<Outcome> =>
        new Promise((resolve) => {
          const at = Date.now();
          const data = body === undefined ? undefined : JSON.stringify(body);
          const req = request(
            { host: '127.0.0.1', port, path, method, agent: false, timeout: 15_000, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} },
            (res) => {
              let text = '';
              res.on('data', (d) => (text += d));
              res.on('end', () => {
                const out: Outcome = { at, status: res.statusCode ?? 0 };
                if (res.headers['retry-after']) out.retryAfter = String(res.headers['retry-after']);
                try {
                  const json = JSON.parse(text);
                  out.code = json?.error?.code ?? json?.status;
                  out.message = json?.error?.message;
                  out.trackingNo = json?.trackingNo;
                  out.queryCode = json?.queryCode;
                } catch {
                  out.error = text.slice(0, 200);
                }
                resolve(out);
              });
              res.on('error', (err) => resolve({ at, status: 0, error: String(err) }));
            },
          );
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', (err) => resolve({ at, status: 0, error: String(err) }));
          req.end(data);
        });

      await until('the server to be ready', async () => !died() && (await call('GET', '/readyz')).status === 200, 60_000);
      mark('server ready');
      // One appeal category (the demo is not loaded: its jobs would only slow the test down). No
      // submission has been made yet, so the server's 10-second cache of categories is empty.
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(
        `insert into appeal_categories (code, name, name_en, group_name, description, department_id, keywords, active, sort)
         values ('pgtest', '测试', 'Test', '测试', '测试', null, '', 1, 10)`,
      );
      await admin.end();

      // The load: four writers submitting appeals back to back, four readers following acknowledged
      // ones (each read holds a pooled connection of its own), /readyz polled every 100 ms.
      const outcomes: Outcome[] = [];
      const reads: Outcome[] = [];
      const ready: Outcome[] = [];
      loading = true;
      polling = true;
      for (let w = 0; w < 4; w++) {
        load.push(
          (async () => {
            for (let n = 0; loading; n++) {
              const r = await call('POST', '/api/v1/appeals', { type: 'consult', category: 'pgtest', title: `restart ${w}-${n}`, content: `written while the database restarts (${w}-${n})` });
              outcomes.push(r);
              if (r.status !== 201) await sleep(25);
            }
          })(),
        );
      }
      for (let r = 0; r < 4; r++) {
        load.push(
          (async () => {
            while (loading) {
              const ok = outcomes.filter((o) => o.status === 201);
              if (!ok.length) {
                await sleep(20);
                continue;
              }
              const a = ok[Math.floor(Math.random() * ok.length)];
              const res = await call('GET', `/api/v1/appeals/${a.trackingNo}?code=${a.queryCode}`);
              reads.push(res);
              if (res.status !== 200) await sleep(25);
            }
          })(),
        );
      }
      poller = (async () => {
        while (polling) {
          ready.push(await call('GET', '/readyz'));
          await sleep(100);
        }
      })();
      const acked = () => outcomes.filter((o) => o.status === 201).length;

      const windows: { mode: string; down: number; up: number }[] = [];
      for (const mode of ['fast', 'immediate'] as const) {
        const before = acked();
        await until(`writes before the ${mode} stop`, () => acked() >= before + 20);
        const down = Date.now();
        mark(`stopping (${mode})`);
        pgStop(mode);
        await sleep(1000); // the database is away: requests meet a refused connection
        await until(`/readyz to report the ${mode} outage`, () => ready.some((r) => r.at > down && r.status === 503));
        pgStart();
        const up = await until(`/readyz to recover after the ${mode} restart`, () => ready.find((r) => r.at > down && r.status === 200)?.at);
        windows.push({ mode, down, up });
        mark(`ready again (${mode})`);
        const after = acked();
        await until(`writes after the ${mode} restart`, () => acked() >= after + 20);
      }
      loading = false;
      polling = false;
      await Promise.all([...load, poller]);
      mark(`load stopped: ${outcomes.length} writes, ${reads.length} reads`);

      // The server process is still the one we started.
      expect(died()).toBeNull();

      // Every answer was a 201 or a clean 503 with Retry-After; no 500, no reset connection.
      const clean503 = (o: Outcome) => o.status === 503 && /^\d+$/.test(o.retryAfter ?? '') && o.code === 'database_unavailable' && /数据库/.test(o.message ?? '');
      const bad = outcomes.filter((o) => o.status !== 201 && !clean503(o));
      expect(bad.slice(0, 10), `${bad.length} bad answers to ${outcomes.length} writes\n${log.slice(-3000)}`).toEqual([]);
      const badReads = reads.filter((o) => o.status !== 200 && !clean503(o));
      expect(badReads.slice(0, 10), `${badReads.length} bad answers to ${reads.length} reads\n${log.slice(-3000)}`).toEqual([]);
      expect(reads.filter((o) => o.status === 200).length).toBeGreaterThan(0);
      for (const w of windows) {
        // Each outage was seen by the writers and by /readyz.
        expect(outcomes.some((o) => o.at >= w.down && o.at < w.up && o.status === 503), `a 503 during the ${w.mode} outage`).toBe(true);
        expect(ready.some((r) => r.at >= w.down && r.at < w.up && r.status === 503 && r.code === 'database-unavailable' && /^\d+$/.test(r.retryAfter ?? '')), `/readyz 503 during the ${w.mode} outage`).toBe(true);
      }
      expect(ready.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
      expect(ready[ready.length - 1].status).toBe(200);

      // Every acknowledged appeal is in the database.
      dbh = openDb({ dataDir: sb.dataDir, databaseUrl, pgPool: 2 });
      const ackedNos = outcomes.filter((o) => o.status === 201).map((o) => o.trackingNo!);
      expect(ackedNos.every(Boolean)).toBe(true);
      const stored = new Set((await dbh.db.selectFrom('appeals').select('tracking_no').execute()).map((r) => r.tracking_no));
      const lost = ackedNos.filter((no) => !stored.has(no));
      expect(lost, `${lost.length} of ${ackedNos.length} acknowledged appeals lost`).toEqual([]);

      // Jobs resume: one enqueued now is run by the server's worker.
      const subject = `after the restart ${Date.now()}`;
      await new Jobs(dbh.dialect).enqueue(dbh.db, MAIL_JOB, { to: 'someone@example.invalid', subject, text: 'the worker is back' });
      const job = await until('the job enqueued after the restarts to run', () =>
        dbh!.db.selectFrom('jobs').select(['status']).where('kind', '=', MAIL_JOB).where('payload', 'like', `%${subject}%`).where('status', '=', 'done').executeTakeFirst(),
      );
      expect(job.status).toBe('done');
      mark('job done');
      // Nothing the outage interrupted is left claimed by a worker that no longer runs it.
      await until('no job left running', async () => !(await dbh!.db.selectFrom('jobs').select('id').where('status', '=', 'running').executeTakeFirst()));
      expect(died()).toBeNull();
    } finally {
      loading = false;
      polling = false;
      await Promise.allSettled([...load, poller]);
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server!.once('exit', r));
        server.kill('SIGKILL');
        await exited;
      }
      await dbh?.close().catch(() => {});
      try {
        pgStop('immediate');
      } catch {
        // not running
      }
      await sb?.close();
      rmSync(root, { recursive: true, force: true });
      if (process.env.PGRESTART_DEBUG) console.log(log);
    }
  }, 120_000);
});
