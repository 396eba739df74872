// Test harness: a fresh platform per call — a temporary SQLite data directory, or, when
// DATABASE_URL is set, a freshly created PostgreSQL database that is dropped afterwards.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { buildApp } from '../src/app.js';
import type { ResponseViolation } from '../src/platform/http/openapi.js';
import { openPlatform } from '../src/server.js';
import type { Platform } from '../src/platform/platform.js';
import { createApiToken } from '../src/platform/auth/identity.js';
import { MODULES } from '../src/modules/index.js';
import type { GongkaiModule } from '../src/platform/module.js';

export const PG_URL = process.env.DATABASE_URL || null;
export const DEMO_PASSWORD = 'Demo-2026-gongkai';

/** Creates an empty PostgreSQL database (or a copy of `template`) for one test file; returns its URL and a drop function. */
export async function freshPgDatabase(baseUrl: string, template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gk_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestEnv {
  p: Platform;
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  /** A fresh API token for a user. */
  token(username: string): Promise<string>;
  /** inject() with a Bearer token for `username` (or none). */
  api(method: string, url: string, opts?: { as?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Runs due jobs until the queue is idle. */
  drain(): Promise<number>;
  /** Answers that did not fit the API document so far (checked under vitest; close() fails on any). */
  responseViolations: ResponseViolation[];
  close(): Promise<void>;
}

export async function makeEnv(opts: { demo?: boolean; modules?: GongkaiModule[]; env?: Record<string, string>; overrides?: Partial<Config> } = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-test-'));
  // A template built once for the run (test/global-setup.ts): the demo district, or with
  // demo: false the migrated empty database — when every standard module is mounted (a test's
  // own modules beside them add their migrations on top).
  const demo = opts.demo ?? true;
  const standard = !opts.modules || MODULES.every((m) => opts.modules!.includes(m));
  const templateDir = standard ? process.env[demo ? 'GONGKAI_TEST_TEMPLATE_DIR' : 'GONGKAI_TEST_EMPTY_TEMPLATE_DIR'] : undefined;
  if (templateDir) cpSync(templateDir, dataDir, { recursive: true });
  const template = templateDir ? process.env[demo ? 'GONGKAI_TEST_TEMPLATE_DB' : 'GONGKAI_TEST_EMPTY_TEMPLATE_DB'] : undefined;
  let drop: (() => Promise<void>) | null = null;
  let databaseUrl: string | null = null;
  if (PG_URL) {
    const fresh = await freshPgDatabase(PG_URL, template);
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  const config = loadConfig(
    { GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off', ...opts.env },
    { dataDir, databaseUrl, demo, logLevel: 'silent', ...opts.overrides },
  );
  const p = await openPlatform(config, opts.modules ?? MODULES);
  // Under vitest (GONGKAI_CHECK_RESPONSES=1, vitest.config.ts) every answer of a route in the API
  // document is checked against the document; close() fails the file when one did not fit.
  const responseViolations: ResponseViolation[] = [];
  const app = await buildApp(p, { logger: false, responseViolations: process.env.GONGKAI_CHECK_RESPONSES === '1' ? responseViolations : undefined });
  await app.ready();
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const u = await p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const t = (await createApiToken(p.db, u.id, 'test')).token;
    return t;
  };
  const { Worker } = await import('../src/platform/jobs/index.js');
  const worker = new Worker(p.jobs, p.db, p.log, 50);
  return {
    p,
    app,
    config,
    dataDir,
    token,
    async api(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.as) {
        if (!tokens.has(o.as)) tokens.set(o.as, await token(o.as));
        headers.authorization = `Bearer ${tokens.get(o.as)}`;
      }
      return app.inject({ method: method as any, url, headers, ...(o.body !== undefined ? { payload: o.body as any } : {}) });
    },
    drain: () => worker.drain(),
    responseViolations,
    async close() {
      await app.close();
      await p.close();
      if (drop) await drop();
      rmSync(dataDir, { recursive: true, force: true });
      if (responseViolations.length) {
        const seen = [...new Set(responseViolations.map((v) => `${v.request}: ${v.problem}`))];
        throw new Error(`${responseViolations.length} answers do not fit the API document (/api/openapi.json):\n${seen.slice(0, 40).join('\n')}${seen.length > 40 ? `\n… and ${seen.length - 40} more` : ''}`);
      }
    },
  };
}

/** Signs a staff user in through the real login form; returns the cookie header to send. */
export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<{ cookie: string; csrf: string; status: number }> {
  const page = await app.inject({ method: 'GET', url: '/admin/login' });
  const csrfCookie = page.cookies.find((c) => c.name === 'gk_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { cookie: `gk_csrf=${csrfCookie?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password, _csrf: token }).toString(),
  });
  const session = res.cookies.find((c) => c.name === 'gk_session');
  const cookie = `gk_csrf=${csrfCookie?.value}${session ? `; gk_session=${session.value}` : ''}`;
  return { cookie, csrf: token, status: res.statusCode };
}

/** Extracts the CSRF token from a rendered form. */
export function csrfFrom(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

export function form(data: Record<string, string | string[]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
  return u.toString();
}

export interface CliSandbox {
  dataDir: string;
  /** The fresh PostgreSQL database's URL, or null on SQLite. */
  databaseUrl: string | null;
  /** Runs the compiled `gongkai` command (npm test builds it) with this sandbox's settings. */
  gk(args: string[], extraEnv?: Record<string, string>): { code: number | null; out: string; err: string };
  /** Starts the compiled `gongkai` command without waiting for it (e.g. `serve`); stdout and stderr are piped. */
  start(args: string[], extraEnv?: Record<string, string>): ChildProcess;
  close(): Promise<void>;
}

/** A temporary data directory (and, with DATABASE_URL, a fresh PostgreSQL database) for CLI tests.
 *  opts.databaseUrl: use this PostgreSQL database instead (the caller owns it; close() leaves it). */
export async function cliSandbox(prefix: string, opts: { databaseUrl?: string } = {}): Promise<CliSandbox> {
  const { spawn, spawnSync } = await import('node:child_process');
  const { existsSync } = await import('node:fs');
  const bin = join(process.cwd(), 'bin', 'gongkai.js');
  if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const fresh = !opts.databaseUrl && PG_URL ? await freshPgDatabase(PG_URL) : null;
  const databaseUrl = opts.databaseUrl ?? fresh?.url ?? null;
  const envFor = (extraEnv: Record<string, string>) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), GONGKAI_DATA_DIR: dataDir, GONGKAI_LOG_LEVEL: 'silent', ...extraEnv };
    delete env.DATABASE_URL;
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    return env;
  };
  return {
    dataDir,
    databaseUrl,
    gk(args, extraEnv = {}) {
      const r = spawnSync(process.execPath, [bin, ...args], { env: envFor(extraEnv), encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    start(args, extraEnv = {}) {
      return spawn(process.execPath, [bin, ...args], { env: envFor(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    },
    async close() {
      rmSync(dataDir, { recursive: true, force: true });
      if (fresh) await fresh.drop();
    },
  };
}
