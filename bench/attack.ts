// The attack surface, re-runnable (issue 13): the compiled server (`gongkai serve`, demo district,
// X-Forwarded-For trusted) on 127.0.0.1 with a temporary data directory — and on PostgreSQL a fresh
// database on postgres://postgres@127.0.0.1:5432, dropped at the end — attacked over HTTP only,
// as an outsider and as the demo staff accounts. A measurement, not a test: it always exits 0.
//
//   npx tsc -p tsconfig.json && npx tsx bench/attack.ts [--db sqlite|postgres|both] [--out FILE.json]
//       [--only a,b,…] [--budget SECONDS]   (default: sqlite, 250 s of attacks per database)
//   --out also gets FILE.<db>.errors.log: the server's error log lines (stack traces of its 5xx).
//
// Sections (each counts hostile requests, 5xx answers, leaks, writes lost):
//   a privilege   b SQL injection   c XSS   d CSRF   e hostile input   f masking   g coordinates
//   h query codes   i zip bombs   j login throttling   k writes lost (kill -9 twice)
// A leak is an answer that shows or does what it must not (see each section's file in bench/attack/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import pg from 'pg';
import { Run, Server, tally, type Client, type Tally } from './attack/core.js';
import { fixtures, openapiOps, type Fixtures } from './attack/routes.js';
import { CALLERS, loginThrottle, privilege } from './attack/accounts.js';
import { csrf, xss } from './attack/web.js';
import { coordinates, masking } from './attack/privacy.js';
import { hostileInput, sqlInjection } from './attack/inputs.js';
import { queryCodes } from './attack/codes.js';
import { zipBombs } from './attack/bombs.js';
import { writesLost } from './attack/crash.js';
import { staffId, submitJson } from './attack/appeals.js';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : d);
const dbs = opt('db', 'sqlite') === 'both' ? ['sqlite', 'postgres'] : [opt('db', 'sqlite')];
const only = opt('only', '').split(',').filter(Boolean);
const budgetMs = Number(opt('budget', '250')) * 1000;
const outFile = opt('out', '');
const PG_BASE = 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT_PASSWORD = 'Second-Admin-2026-harness';
const TARGET_PASSWORD = 'Target-Pass-2026-xy';

interface Ctx {
  admin: Client;
  /** A second admin (created by the harness): verifies and repairs what the others did. */
  root: Client;
  /** sqzx-editor: the centre's dispatcher and approver, who takes appeals to the board. */
  centre: Client;
  openKey: string;
  fx: Fixtures;
}

/** In the order they run; each with its share of the time (s). */
const SECTIONS: { key: string; title: string; seconds: number; run: (r: Run, c: Ctx) => Promise<void> }[] = [
  { key: 'a', title: 'privilege', seconds: 40, run: (r, c) => privilege(r, c.root, { ctl: 'atk-ctl', off: 'atk-off' }) },
  { key: 'd', title: 'CSRF', seconds: 30, run: (r, c) => csrf(r, c.admin, c.fx) },
  { key: 'c', title: 'XSS', seconds: 30, run: (r, c) => xss(r, c) },
  { key: 'f', title: 'masking', seconds: 30, run: (r, c) => masking(r, c.centre) },
  { key: 'g', title: 'coordinates', seconds: 15, run: (r, c) => coordinates(r, c.centre, c.openKey) },
  { key: 'h', title: 'query codes', seconds: 25, run: (r, c) => queryCodes(r, c.openKey) },
  { key: 'j', title: 'login throttling', seconds: 20, run: (r) => loginThrottle(r, 'atk-login', TARGET_PASSWORD) },
  { key: 'b', title: 'SQL injection', seconds: 30, run: async (r, c) => sqlInjection(r, c.fx, await openapiOps(r), c.admin) },
  { key: 'e', title: 'hostile input', seconds: 40, run: async (r, c) => hostileInput(r, c.fx, await openapiOps(r), c.admin, c.root, c.openKey) },
  { key: 'i', title: 'zip bombs', seconds: 45, run: (r, c) => zipBombs(r, c.admin, c.fx) },
  { key: 'k', title: 'writes lost', seconds: 30, run: (r) => writesLost(r) },
];

async function setup(run: Run): Promise<Ctx> {
  const must = <T>(v: T | null | undefined, what: string): T => {
    if (v === null || v === undefined || v === '') throw new Error(`setup: ${what}`);
    return v;
  };
  const admin = must(await run.login('admin'), 'the demo admin cannot sign in (is GONGKAI_DEMO on?)');
  const made = await run.req('POST', '/api/v1/users', { as: admin, json: { username: 'atk-root', password: ROOT_PASSWORD, displayName: '攻击测试管理员', department: 'dzb', roles: ['admin'] } });
  must(made.status === 201 || null, `creating atk-root → ${made.status} ${made.text.slice(0, 200)}`);
  const root = must(await run.login('atk-root', ROOT_PASSWORD), 'atk-root cannot sign in');
  for (const [username, department] of [['atk-sweep', 'fgj'], ['atk-ctl', 'dzb'], ['atk-off', 'fgj'], ['atk-login', 'fgj']]) {
    const r = await run.req('POST', '/api/v1/users', { as: root, json: { username, password: TARGET_PASSWORD, department, roles: ['editor'] } });
    must(r.status === 201 || null, `creating ${username} → ${r.status}`);
  }
  await run.req('POST', '/admin/users/atk-off/deactivate', { as: root, form: { confirm: 'yes' } });
  const keyPage = await run.req('POST', '/admin/appeals/open311-keys', { as: root, form: { name: 'attack harness' } });
  const openKey = /o311_[A-Za-z0-9_-]+/.exec(keyPage.text)?.[0] ?? '';
  if (!openKey) run.note(`no Open311 API key in the answer to creating one (${keyPage.status}): Open311 submissions will be refused`);
  const centre = must(await run.login('sqzx-editor'), 'sqzx-editor cannot sign in');
  const { s } = await submitJson(run, { title: '路面塌陷 夹具' });
  const appealId = String(must(s && (await staffId(run, centre, s.no)), 'a submitted appeal is not in the staff list'));
  return { admin, root, centre, openKey, fx: await fixtures(run, admin, { appealId }) };
}

interface RunResult {
  db: string;
  startSeconds: number;
  /** error and fatal lines in the server's log over the run */
  serverErrorLines: number;
  setupNotes?: string[];
  sections: Tally[];
  error?: string;
}

/** What to undo if the harness is interrupted or overruns: the server, its data, the database. */
const cleanups = new Set<() => Promise<void>>();
async function cleanUpAndExit(why: string): Promise<never> {
  console.log(`\n${why}: stopping the server and removing its data`);
  for (const c of cleanups) await c().catch(() => {});
  process.exit(0);
}
process.once('SIGINT', () => void cleanUpAndExit('interrupted'));
process.once('SIGTERM', () => void cleanUpAndExit('terminated'));
// However slow the machine, the whole run stops: the budget plus start-up and teardown.
setTimeout(() => void cleanUpAndExit('watchdog: the run took too long'), (budgetMs + 180_000) * dbs.length).unref();

async function attack(db: string): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gk-attack-'));
  let pgName: string | null = null;
  let databaseUrl: string | null = null;
  if (db === 'postgres') {
    pgName = `gk_attack_${process.pid}_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_BASE });
    await c.connect();
    await c.query(`create database ${pgName}`);
    await c.end();
    databaseUrl = PG_BASE.replace(/\/postgres$/, `/${pgName}`);
  }
  const server = new Server(dataDir, databaseUrl);
  const cleanup = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgName) {
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`drop database if exists ${pgName} with (force)`);
      await c.end();
    }
  };
  cleanups.add(cleanup);
  const out: RunResult = { db, startSeconds: 0, serverErrorLines: 0, sections: [] };
  try {
    const t0 = Date.now();
    await server.start();
    out.startSeconds = (Date.now() - t0) / 1000;
    console.log(`[${db}] server up in ${out.startSeconds.toFixed(1)} s on ${server.base} (data ${dataDir})`);
    const run = new Run(server, Date.now() + budgetMs);
    const ctx = await setup(run);
    out.setupNotes = [...run.sec.notes];
    const chosen = SECTIONS.filter((s) => !only.length || only.includes(s.key));
    for (const [i, s] of chosen.entries()) {
      const t = tally(s.key, s.title);
      out.sections.push(t);
      run.sec = t;
      // The section's share, but never more than what is left divided fairly among those to come.
      const left = run.runDeadline - Date.now();
      const share = chosen.slice(i).reduce((n, x) => n + x.seconds, 0);
      run.sectionDeadline = Date.now() + Math.max(5_000, (left * s.seconds) / share);
      if (left < 5_000) {
        t.notes.push('not run: time budget');
        continue;
      }
      const start = Date.now();
      process.stdout.write(`[${db}] ${s.key} ${s.title}… `);
      try {
        await s.run(run, ctx);
      } catch (err: any) {
        t.notes.push(`section stopped by an error: ${err?.stack?.split('\n').slice(0, 3).join(' ') ?? err}`);
      }
      t.seconds = (Date.now() - start) / 1000;
      console.log(`${t.seconds.toFixed(1)} s: ${t.hostile} hostile, ${t.s5xx} 5xx, ${t.leaks} leaks, ${t.lost} lost`);
      const failing = Object.entries(t.failingRoutes).sort((a, b) => b[1] - a[1]);
      if (failing.length) t.notes.push(`5xx by route: ${failing.slice(0, 15).map(([r, n]) => `${r} ×${n}`).join('; ')}${failing.length > 15 ? ` and ${failing.length - 15} more routes` : ''}`);
      if (!server.alive()) {
        t.notes.push('the server was down at the end of the section: restarted');
        await server.start();
      }
      // Sessions the section may have ended (a password reset, a sign-out without the token).
      if (s.key === 'a' || s.key === 'd') {
        ctx.admin = (await run.login('admin')) ?? ctx.admin;
        ctx.root = (await run.login('atk-root', ROOT_PASSWORD)) ?? ctx.root;
        ctx.centre = (await run.login('sqzx-editor')) ?? ctx.centre;
      }
    }
    const errorLines = server.readLog().split('\n').filter((l) => /"level":(50|60)/.test(l));
    out.serverErrorLines = errorLines.length;
    // The server's own account of its 5xx (stack traces), next to the JSON report.
    if (outFile && errorLines.length) writeFileSync(outFile.replace(/(\.json)?$/, `.${db}.errors.log`), errorLines.join('\n') + '\n');
  } catch (err: any) {
    out.error = String(err?.stack ?? err);
    console.log(`[${db}] run stopped: ${out.error}`);
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
  return out;
}

function report(r: RunResult): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const rows = [...r.sections].sort((a, b) => a.key.localeCompare(b.key));
  console.log(`\n== ${r.db}: server started in ${r.startSeconds.toFixed(1)} s; ${r.serverErrorLines} error lines in its log${r.error ? ` — RUN STOPPED: ${r.error.split('\n')[0]}` : ''}`);
  for (const n of r.setupNotes ?? []) console.log(`setup: ${n}`);
  console.log(`${'section'.padEnd(22)}${pad('hostile', 9)}${pad('5xx', 6)}${pad('leaks', 7)}${pad('lost', 6)}${pad('s', 7)}  notes`);
  const sum = { hostile: 0, s5xx: 0, leaks: 0, lost: 0 };
  for (const t of rows) {
    for (const k of ['hostile', 's5xx', 'leaks', 'lost'] as const) sum[k] += t[k];
    console.log(`${`${t.key} ${t.title}`.padEnd(22)}${pad(t.hostile, 9)}${pad(t.s5xx, 6)}${pad(t.leaks, 7)}${pad(t.lost, 6)}${pad(t.seconds.toFixed(0), 7)}  ${t.notes[0] ?? ''}`);
  }
  console.log(`${'total'.padEnd(22)}${pad(sum.hostile, 9)}${pad(sum.s5xx, 6)}${pad(sum.leaks, 7)}${pad(sum.lost, 6)}`);
  const bad = rows.filter((t) => t.s5xx || t.leaks || t.lost);
  console.log(r.error ? '\nTHE RUN STOPPED EARLY: what is not in the table was not measured' : bad.length ? `\nPROBLEMS in ${bad.map((t) => t.key).join(', ')}:` : '\nno problems found');
  for (const t of bad) {
    console.log(`  ${t.key} ${t.title}: ${t.s5xx} 5xx, ${t.leaks} leaks, ${t.lost} writes lost; first offending requests:`);
    for (const o of t.offenders.slice(0, 8)) console.log(`    - ${o}`);
  }
  for (const t of rows) if (t.notes.length > 1) console.log(`  ${t.key} notes: ${t.notes.slice(1).join(' | ')}`);
}

const started = new Date().toISOString();
const results: RunResult[] = [];
for (const db of dbs) {
  const r = await attack(db);
  results.push(r);
  report(r);
}
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
})();
const totals = (r: (typeof results)[number]) => Object.fromEntries((['hostile', 's5xx', 'leaks', 'lost'] as const).map((k) => [k, r.sections.reduce((n, t) => n + t[k], 0)]));
if (outFile) {
  writeFileSync(outFile, JSON.stringify({ started, commit, callers: CALLERS, runs: results.map((r) => ({ ...r, totals: totals(r) })) }, null, 2));
  console.log(`\nwritten: ${outFile}`);
}
process.exit(0);
