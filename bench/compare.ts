// Two commits compared on one machine (issue 14): the catalog item page, the search API and
// appeal submission, run alternately on the old and the new commit, with each round's figure, the
// median, the spread of the repeated runs and the new/old ratio of the medians.
//
//   npx tsx bench/compare.ts --old REV --new REV [--rounds 3] [--only catalog,search,appeals]
//       [--out FILE.json] [--seconds N] [--search-size 20000] [--appeals-rate 0]
//
// Each revision is checked out with `git worktree add --detach` into its own temporary directory
// (node_modules shared with this checkout) and built (`tsc -p tsconfig.json`); the benchmark
// scripts are this checkout's bench/ (copied into each worktree, so that they run against that
// revision's code): the server is what differs. Per round, each benchmark runs on one revision
// and then on the other — old first in odd rounds, new first in even ones, so that a drift of the
// machine does not favour one side. Servers listen on 127.0.0.1 only; every run is bounded in
// time. The worktrees and data are removed at the end, on an error and on Ctrl-C.
//
//   catalog  bench/catalog.mjs, item pages only: GET /catalog/items/<id> over the demo catalog's
//            published documents, 50 connections, 10 s, compiled server (`gongkai serve`, worker off)
//   search   bench/search.ts, HTTP run "fixed mix, result cache off": the seven-query mix on
//            /api/v1/search, 50 connections, 10 s, one server process, over a synthetic corpus of
//            --search-size items (20,000; indexed once per revision before the rounds)
//   appeals  bench/appeals.ts, submissions only: POST /api/v1/appeals, 10 connections, 20 s, no
//            fixed rate (--appeals-rate R for R/s), a fresh data directory each run
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    old: { type: 'string' },
    new: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', default: 'catalog,search,appeals' },
    out: { type: 'string' },
    /** Seconds of load per run for every benchmark (default: catalog 10, search 10, appeals 20). */
    seconds: { type: 'string' },
    'search-size': { type: 'string', default: '20000' },
    /** Submissions per second for the appeals run; 0 = as many as the connections get answered. */
    'appeals-rate': { type: 'string', default: '0' },
  },
});
if (!a.old || !a.new) {
  process.stderr.write('需要两个版本 / two revisions are required: npx tsx bench/compare.ts --old REV --new REV [--rounds 3] [--only catalog,search,appeals] [--out FILE.json]\n');
  process.exit(2);
}
const ROUNDS = Number(a.rounds);
const ONLY = a.only.split(',').map((s) => s.trim()).filter(Boolean);
const SEARCH_SIZE = Number(a['search-size']);
const APPEALS_RATE = Number(a['appeals-rate']);
const secs = (d: number) => (a.seconds ? Number(a.seconds) : d);
for (const k of ONLY) if (!['catalog', 'search', 'appeals'].includes(k)) throw new Error(`--only: unknown benchmark "${k}" (catalog, search, appeals)`);
if (!(ROUNDS >= 1) || !(SEARCH_SIZE >= 1000) || !(APPEALS_RATE >= 0)) throw new Error('--rounds ≥ 1, --search-size ≥ 1000, --appeals-rate ≥ 0');

const REPO = resolve(import.meta.dirname, '..');
const git = (...args: string[]) => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const shaOf = (rev: string) => {
  try {
    return git('rev-parse', '--verify', '--quiet', `${rev}^{commit}`);
  } catch {
    process.stderr.write(`找不到版本 / unknown revision: ${rev}\n`);
    process.exit(2);
  }
};
const nodeModules = realpathSync(join(REPO, 'node_modules'));
const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const fmt = (x: number) => Math.round(x).toLocaleString('en');

const SHA = { old: shaOf(a.old), new: shaOf(a.new) };

// ---- children, cleanup ----
// Worktrees of an earlier run that was killed outright (kill -9) are removed first: each run's
// directory holds its process id.
const stale = new Set([
  ...[...git('worktree', 'list', '--porcelain').matchAll(/^worktree (.+)\/(?:old|new)$/gm)].map((m) => m[1]).filter((d) => d.startsWith(join(tmpdir(), 'gk-compare-'))),
  // and what a build still running when its run was killed wrote after that
  ...readdirSync(tmpdir(), { withFileTypes: true }).filter((d) => d.isDirectory() && /^gk-compare-\w{6}$/.test(d.name)).map((d) => join(tmpdir(), d.name)),
]);
for (const root of stale) {
  try {
    process.kill(Number(readFileSync(join(root, 'pid'), 'utf8')), 0);
    continue; // that run is still going
  } catch {
    /* gone */
  }
  for (const side of ['old', 'new']) {
    try {
      git('worktree', 'remove', '--force', join(root, side));
    } catch {
      /* not a worktree (any more) */
    }
  }
  rmSync(root, { recursive: true, force: true });
  git('worktree', 'prune');
  log(`removed what an earlier run left (${root})`);
}
const ROOT = mkdtempSync(join(tmpdir(), 'gk-compare-'));
writeFileSync(join(ROOT, 'pid'), String(process.pid));
const benchScriptsFrom = { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--', 'bench') !== '' };
/** Process groups started (one per command): a grandchild such as the compiler may outlive its parent. */
const groups = new Set<number>();
const groupAlive = (g: number) => {
  try {
    process.kill(-g, 0);
    return true;
  } catch {
    return false;
  }
};
const cleanups: (() => void)[] = [];
let cleaned = false;
/** Set once the run is being stopped: nothing new is started after that. */
let aborting = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* gone */
  }
}
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  const alive = () => [...groups].filter(groupAlive);
  for (const g of alive()) process.kill(-g, 'SIGTERM');
  // Nothing synchronous at once: a launcher (npx tsx) checks within milliseconds that this
  // process got the signal, and kills it outright if its event loop does not answer.
  await new Promise((r) => setTimeout(r, 500));
  const deadline = Date.now() + 8000;
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const g of alive()) process.kill(-g, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch (e) {
      process.stderr.write(`cleanup: ${(e as Error).message}\n`);
    }
  }
  rmSync(ROOT, { recursive: true, force: true });
}
async function abort(why: string, code: number): Promise<never> {
  if (aborting) return new Promise<never>(() => {});
  aborting = true;
  log(`${why}: stopping the servers, removing the worktrees`);
  writeResults(true);
  await cleanUp();
  process.exit(code);
}
// `on`, not `once`: a launcher (npx, tsx) may relay the signal that the whole group already got.
process.on('SIGINT', () => void abort('interrupted', 130));
process.on('SIGTERM', () => void abort('terminated', 143));

/** Runs a command in its own process group (killed whole on timeout or abort); resolves with stdout. */
function run(cmd: string, args: string[], o: { cwd: string; env?: Record<string, string>; timeoutMs: number; label: string }): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, TMPDIR: ROOT, ...o.env };
  // SQLite, one process, as each script's defaults assume; nothing of the caller's database.
  for (const k of ['DATABASE_URL', 'BENCH_DATABASE_URL', 'GONGKAI_PROCESSES', 'GONGKAI_DEMO', 'GONGKAI_DATA_DIR']) if (!o.env?.[k]) delete env[k];
  if (aborting) return new Promise<string>(() => {}); // the process exits when the cleanup is done
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) groups.add(child.pid);
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err = (err + d).slice(-20000)));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
    }, o.timeoutMs);
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.pid && !groupAlive(child.pid)) groups.delete(child.pid);
      if (code === 0 && !timedOut) resolveRun(out);
      else reject(new Error(`${o.label}: ${timedOut ? `stopped after ${o.timeoutMs / 1000} s` : `exited ${code ?? signal}`}\n${err.split('\n').slice(-15).join('\n')}`));
    };
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close' waits for stdout to drain; a grandchild that kept the pipe open must not hold us.
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 3000));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
const lastJson = (out: string, test: (x: any) => boolean = () => true): any => {
  for (const line of out.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const x = JSON.parse(line);
      if (test(x)) return x;
    } catch {
      /* not ours */
    }
  }
  throw new Error(`no JSON result in the output:\n${out.slice(-2000)}`);
};

// ---- revisions ----
interface Rev {
  side: 'old' | 'new';
  rev: string;
  sha: string;
  dir: string;
  data: string;
  /** package-lock.json differs from this checkout's (whose node_modules the worktree uses) */
  lockDiffers: boolean;
}
async function prepare(side: 'old' | 'new', rev: string): Promise<Rev> {
  if (aborting) await new Promise(() => {});
  const sha = SHA[side];
  const dir = join(ROOT, side);
  const data = join(ROOT, `data-${side}`);
  mkdirSync(data);
  log(`${side} = ${rev} (${sha.slice(0, 10)}): worktree, build`);
  git('worktree', 'add', '--detach', dir, sha);
  cleanups.push(() => {
    try {
      git('worktree', 'remove', '--force', dir);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      git('worktree', 'prune');
    }
  });
  symlinkSync(nodeModules, join(dir, 'node_modules'));
  let lockDiffers = false;
  try {
    git('diff', '--quiet', sha, '--', 'package-lock.json');
  } catch {
    lockDiffers = true;
    log(`warning: ${side}'s package-lock.json differs from this checkout's; it runs on this checkout's node_modules`);
  }
  await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir, timeoutMs: 600_000, label: `${side}: build` });
  // This checkout's benchmark scripts, against that revision's src/ and dist/.
  cpSync(join(REPO, 'bench'), join(dir, 'bench'), { recursive: true, force: true });
  return { side, rev, sha, dir, data, lockDiffers };
}

// ---- benchmarks ----
interface Figure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  extra?: Record<string, unknown>;
}
interface Bench {
  key: string;
  title: string;
  params: Record<string, unknown>;
  prepare?: (r: Rev) => Promise<void>;
  run: (r: Rev) => Promise<Figure>;
}
const tsx = ['--import', 'tsx'];
const ALL: Bench[] = [
  {
    key: 'catalog',
    title: 'catalog item page',
    params: { seconds: secs(10), connections: 50, data: 'demo district (gongkai demo)' },
    async prepare(r) {
      await run(process.execPath, ['bin/gongkai.js', 'demo'], { cwd: r.dir, env: { GONGKAI_DATA_DIR: join(r.data, 'catalog'), GONGKAI_LOG_LEVEL: 'warn' }, timeoutMs: 300_000, label: `${r.side}: gongkai demo` });
    },
    async run(r) {
      const out = await run(process.execPath, ['bench/catalog.mjs', join(r.data, 'catalog'), String(secs(10)), '50', 'item'], { cwd: r.dir, timeoutMs: (secs(10) + 120) * 1000, label: `${r.side}: catalog` });
      const j = lastJson(out, (x) => Array.isArray(x.results));
      const x = j.results.find((y: { key: string }) => y.key === 'item');
      return { rps: x.rps, p50: x.p50, p99: x.p99, errors: x.errors, non2xx: x.non2xx, extra: { items: j.items, published: j.published } };
    },
  },
  {
    key: 'search',
    title: 'search API',
    params: { seconds: secs(10), connections: 50, processes: 1, corpus: SEARCH_SIZE, run: 'fixed mix, result cache off' },
    async prepare(r) {
      const out = await run(process.execPath, [...tsx, 'bench/search.ts', '--size', String(SEARCH_SIZE), '--dir', join(r.data, 'search'), '--reps', '1', '--skip-http'], { cwd: r.dir, timeoutMs: 900_000, label: `${r.side}: search index` });
      const j = lastJson(out, (x) => 'importRate' in x);
      log(`${r.side}: search index of ${fmt(SEARCH_SIZE)} items, ${fmt(j.importRate ?? 0)} items/s`);
    },
    async run(r) {
      const out = await run(process.execPath, [...tsx, 'bench/search.ts', '--size', String(SEARCH_SIZE), '--dir', join(r.data, 'search'), '--reps', '1', '--processes', '1', '--http-runs', 'uncached', '--http-seconds', String(secs(10))], { cwd: r.dir, timeoutMs: (secs(10) + 180) * 1000, label: `${r.side}: search` });
      const j = lastJson(out, (x) => Array.isArray(x.http));
      const h = j.http[0];
      return { rps: h.rps, p50: h.p50, p99: h.p99, errors: h.errors, non2xx: h.non2xx, extra: { rssMB: Math.round(h.rss / 1048576), cpuRefMs: Math.round(j.cpuRefMs) } };
    },
  },
  {
    key: 'appeals',
    title: 'appeal submission',
    params: { seconds: secs(20), connections: 10, rate: APPEALS_RATE || 'none (as fast as answered)' },
    async run(r) {
      const out = await run(process.execPath, [...tsx, 'bench/appeals.ts', '--rate', String(APPEALS_RATE), '--seconds', String(secs(20)), '--connections', '10', '--skip-board'], { cwd: r.dir, timeoutMs: (secs(20) + 150) * 1000, label: `${r.side}: appeals` });
      const s = lastJson(out, (x) => x.submissions).submissions;
      return { rps: s.perSecond, p50: s.latency.p50, p99: s.latency.p99, errors: s.errors + s.timeouts, non2xx: s.non2xx };
    },
  },
];
const BENCHES = ALL.filter((b) => ONLY.includes(b.key));

// ---- the rounds ----
interface Sample extends Partial<Figure> {
  bench: string;
  side: 'old' | 'new';
  round: number;
  startedAt: string;
  /** 1-minute load average when the run started */
  load: number;
  error?: string;
}
const samples: Sample[] = [];
const started = new Date().toISOString();
const loadStart = loadavg()[0];
let revs: Record<'old' | 'new', Rev> | null = null;
let summary: ReturnType<typeof summarise> = [];

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function summarise() {
  return BENCHES.map((b) => {
    const per = (side: 'old' | 'new') => {
      const ok = samples.filter((s) => s.bench === b.key && s.side === side && !s.error) as (Sample & Figure)[];
      if (!ok.length) return null;
      const f = (k: 'rps' | 'p50' | 'p99') => ({ median: median(ok.map((s) => s[k])), min: Math.min(...ok.map((s) => s[k])), max: Math.max(...ok.map((s) => s[k])) });
      return { runs: ok.length, rps: f('rps'), p50: f('p50'), p99: f('p99') };
    };
    const o = per('old');
    const n = per('new');
    const ratio = o && n ? { rps: n.rps.median / o.rps.median, p50: n.p50.median / o.p50.median, p99: n.p99.median / o.p99.median } : null;
    // Where the new median of req/s falls against the old runs' range.
    const newMedian = !o || !n ? null : n.rps.median < o.rps.min ? 'below the old range' : n.rps.median > o.rps.max ? 'above the old range' : 'within the old range';
    return { bench: b.key, title: b.title, old: o, new: n, ratio, newMedian };
  });
}
function writeResults(interrupted = false) {
  if (!a.out) return;
  summary = summarise();
  const doc = {
    started,
    finished: new Date().toISOString(),
    interrupted,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAtStart: loadStart, loadAtEnd: loadavg()[0] },
    benchScriptsFrom,
    old: revs && { rev: revs.old.rev, sha: revs.old.sha, lockDiffers: revs.old.lockDiffers },
    new: revs && { rev: revs.new.rev, sha: revs.new.sha, lockDiffers: revs.new.lockDiffers },
    rounds: ROUNDS,
    params: Object.fromEntries(BENCHES.map((b) => [b.key, b.params])),
    samples,
    summary,
  };
  writeFileSync(a.out, JSON.stringify(doc, null, 2) + '\n');
}

// However slow the machine, the whole run stops.
setTimeout(() => void abort('watchdog: the run took too long', 1), (40 + ROUNDS * BENCHES.length * 2 * 4) * 60_000).unref();

let failed = 0;
try {
  log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${cpus().length} cores)`);
  if (loadStart > cpus().length * 2) log('warning: the machine is busy; the spread will be wide');
  revs = { old: await prepare('old', a.old), new: await prepare('new', a.new) };
  for (const b of BENCHES) for (const r of [revs.old, revs.new]) if (b.prepare) {
    log(`${r.side}: preparing ${b.key}`);
    await b.prepare(r);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? [revs.old, revs.new] : [revs.new, revs.old];
    for (const b of BENCHES) for (const r of order) {
      const s: Sample = { bench: b.key, side: r.side, round, startedAt: new Date().toISOString(), load: loadavg()[0] };
      try {
        Object.assign(s, await b.run(r));
        log(`round ${round}/${ROUNDS} ${b.key.padEnd(7)} ${r.side}: ${fmt(s.rps!)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms${s.errors || s.non2xx ? `, ${s.errors} errors, ${s.non2xx} non-2xx` : ''} (load ${s.load.toFixed(2)})`);
      } catch (e) {
        if (aborting) await new Promise(() => {});
        s.error = (e as Error).message;
        failed++;
        log(`round ${round}/${ROUNDS} ${b.key} ${r.side} failed: ${s.error}`);
      }
      samples.push(s);
    }
  }
} catch (e) {
  if (aborting) await new Promise(() => {}); // interrupted: abort() ends the process
  log((e as Error).stack ?? String(e));
  await abort('failed', 1);
}

// ---- report ----
summary = summarise();
const cell = (s: Sample | undefined) => (!s ? '' : s.error ? 'failed' : `${fmt(s.rps!)}/s ${s.p50}/${s.p99} ms${s.errors || s.non2xx ? ` (${(s.errors ?? 0) + (s.non2xx ?? 0)} bad)` : ''}`);
const lines: string[] = [];
lines.push(`old = ${a.old} (${revs!.old.sha.slice(0, 10)}), new = ${a.new} (${revs!.new.sha.slice(0, 10)}); ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}, alternating (round 1 old first); figures: requests/s, p50/p99 latency in ms`);
for (const b of BENCHES) lines.push(`  ${b.title}: ${Object.entries(b.params).map(([k, v]) => `${k} ${v}`).join(', ')}`);
lines.push('');
const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);
lines.push(`| benchmark | revision | ${rounds.map((i) => `round ${i}`).join(' | ')} | median | spread (min–max) | new/old (medians) |`);
lines.push(`|---|---|${rounds.map(() => '---:|').join('')}---:|---|---|`);
for (const sm of summary) {
  for (const side of ['old', 'new'] as const) {
    const st = sm[side];
    const ratio = side === 'new' && sm.ratio ? `req/s ${sm.ratio.rps.toFixed(2)}, p50 ${sm.ratio.p50.toFixed(2)}, p99 ${sm.ratio.p99.toFixed(2)}; ${sm.newMedian}` : '';
    const med = st ? `${fmt(st.rps.median)}/s ${st.p50.median}/${st.p99.median} ms` : '—';
    const spread = st ? `${fmt(st.rps.min)}–${fmt(st.rps.max)}/s (±${(((st.rps.max - st.rps.min) / 2 / st.rps.median) * 100).toFixed(0)} %); p99 ${st.p99.min}–${st.p99.max} ms` : '—';
    lines.push(`| ${sm.title} | ${side} ${revs![side].sha.slice(0, 7)} | ${rounds.map((i) => cell(samples.find((s) => s.bench === sm.bench && s.side === side && s.round === i))).join(' | ')} | ${med} | ${spread} | ${ratio} |`);
  }
}
const loads = samples.map((s) => s.load);
lines.push('');
lines.push(`load average (1 min) at the start of the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}; at the end ${loadavg()[0].toFixed(2)}; ${cpus().length} cores`);
if (failed) lines.push(`${failed} run(s) failed: see the log above${a.out ? ` and ${a.out}` : ''}`);
console.log(lines.join('\n'));
writeResults();
await cleanUp();
process.exit(failed ? 1 : 0);
