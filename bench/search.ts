// Search benchmark: `npm run bench:search -- [--size 100000] [--backend sqlite|postgres]`.
// Builds (or reuses) a seeded synthetic corpus in a dedicated database, then prints import
// throughput, index size, latency p50/p95/p99 of a fixed query mix (ours and the bare engine
// query, measured in the same run), HTTP requests/s of the search API at 50 connections and the
// server's peak RSS. See docs/performance.md ("Search").
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createPlatform } from '../src/platform/platform.js';
import { platformModule } from '../src/platform/core/module.js';
import { searchModule } from '../src/modules/search/module.js';
import { searchIndexFor, type SearchFilters } from '../src/platform/search/index.js';
import { makeCorpus } from './search-corpus.js';
import { startBenchServer } from './server.js';
import { seededRandom } from '../src/platform/random.js';

const { values: a } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'sqlite' },
    dir: { type: 'string' },
    reps: { type: 'string', default: '30' },
    /** Items per batch handed to the index during the import. */
    batch: { type: 'string', default: '500' },
    /** Import through upsert batch by batch instead of the bulk loader (parallel shards on SQLite). */
    serial: { type: 'boolean', default: false },
    'http-seconds': { type: 'string', default: '10' },
    /** Server processes for the HTTP runs (GONGKAI_PROCESSES); several values: "1,2". */
    processes: { type: 'string', default: '1,2' },
    /** Which HTTP runs, per process count: the fixed mix without ("uncached") and with ("cached") the result cache, the query log ("log"). */
    'http-runs': { type: 'string', default: 'uncached,cached,log' },
    rebuild: { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
    /** Measure the index as it is (e.g. a partly imported one) without importing. */
    'no-import': { type: 'boolean', default: false },
  },
});
const SIZE = Number(a.size);
const BACKEND = a.backend === 'postgres' ? 'postgres' : 'sqlite';
const DIR = a.dir ?? `/tmp/gongkai-bench-search-${BACKEND}-${SIZE}`;
const REPS = Number(a.reps);
const PG_BASE = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (s: string) => process.stderr.write(s + '\n');

async function pgUrl(): Promise<string> {
  const name = `gk_bench_search_${SIZE}`;
  const c = new pg.Client({ connectionString: PG_BASE });
  await c.connect();
  const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
  if (a.rebuild && exists.rowCount) await c.query(`drop database ${name} with (force)`);
  if (!exists.rowCount || a.rebuild) await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (x: number) => x.toFixed(2);

const databaseUrl = BACKEND === 'postgres' ? await pgUrl() : null;
if (BACKEND === 'sqlite' && a.rebuild) (await import('node:fs')).rmSync(DIR, { recursive: true, force: true });
(await import('node:fs')).mkdirSync(DIR, { recursive: true });
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir: DIR, databaseUrl, demo: false, logLevel: 'silent' });
const p = await createPlatform(config, { modules: [platformModule, searchModule] });
const ix = searchIndexFor(p.dbh);
const corpus = makeCorpus();

// ---- import (resumable) ----
const marker = await p.db.selectFrom('search_state').select('value').where('key', '=', 'bench.corpus').executeTakeFirst();
const want = JSON.stringify({ seed: corpus.seed, size: SIZE });
let importRate: number | null = null;
let genRate = 0;
// Machines of the same size differ in speed (the same commit imported 1,580 items/s on one 2-core
// machine and 800 on another): a fixed single-thread loop, timed here, tells runs apart.
const cpuRef = (() => {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 3e8; i++) x = (x * 31 + i) | 0;
  return { ms: performance.now() - t, x };
})().ms;
{
  const t = performance.now();
  for (let i = 1; i <= 2000; i++) corpus.item(i, SIZE);
  genRate = 2000 / ((performance.now() - t) / 1000);
}
if (marker?.value === want || a['no-import']) {
  log(`reusing the index in ${databaseUrl ?? DIR} (${await ix.count()} items)`);
} else {
  let next = 1;
  const have = await ix.count();
  if (have > 0) {
    const all = await p.db.selectFrom('search_docs').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    next = Number(all?.m ?? 0) + 1;
    log(`resuming the import at item ${next}`);
  }
  const started = performance.now();
  let done = 0;
  let lastLog = started;
  const B = Number(a.batch);
  // The bulk loader: on an empty SQLite index, one worker thread per shard file (analysis + FTS
  // writes), metadata rows after each shard commit; otherwise (resuming, PostgreSQL, --serial)
  // upsert batch by batch.
  const loader = a.serial ? null : await ix.bulkLoader({ batch: B });
  log(`import: ${loader?.parallel ? 'parallel bulk loader' : 'upsert batch by batch'}`);
  for (let id = next; id <= SIZE; id += B) {
    const batch = [];
    for (let k = id; k < Math.min(SIZE + 1, id + B); k++) batch.push(corpus.item(k, SIZE));
    if (loader) await loader.add(batch);
    else await ix.upsert(batch);
    done += batch.length;
    if (performance.now() - lastLog > 10000) {
      lastLog = performance.now();
      log(`import: ${id + batch.length - 1}/${SIZE} items, ${Math.round(done / ((lastLog - started) / 1000))} items/s`);
    }
  }
  await loader?.finish();
  const secs = (performance.now() - started) / 1000;
  importRate = done / secs;
  log(`import: ${done} items in ${secs.toFixed(0)} s`);
  const now = new Date().toISOString();
  await p.db.insertInto('search_state').values({ key: 'bench.corpus', value: want, updated_at: now }).onConflict((oc) => oc.column('key').doUpdateSet({ value: want, updated_at: now })).execute();
  if (BACKEND === 'postgres') await pg_analyze();
}
async function pg_analyze() {
  const { sql } = await import('kysely');
  await sql`VACUUM ANALYZE search_docs`.execute(p.db);
}
const size = await ix.sizeBytes();

// ---- the query mix ----
const rareSource = corpus.item(Math.floor(SIZE / 2), SIZE).text;
const rare = rareSource.slice(700, 706);
const MIX: { name: string; q: string; f?: SearchFilters }[] = [
  { name: 'frequent single term', q: '工作' },
  { name: 'two terms', q: '营商环境 优化' },
  { name: 'three terms', q: '安全生产 隐患排查 整改' },
  { name: 'rare phrase', q: rare },
  { name: 'single character', q: '税' },
  { name: 'filtered by department', q: '公开', f: { department: 'd05' } },
  { name: 'zero-result', q: '火星殖民基地' },
];

const ours: number[] = [];
const bare: number[] = [];
const perQuery: { name: string; q: string; total: number; exact: boolean; ours: number[]; bare: number[] }[] = MIX.map((m) => ({ name: m.name, q: m.q, total: 0, exact: true, ours: [], bare: [] }));
for (let w = 0; w < 2; w++) for (const m of MIX) {
  await ix.search({ q: m.q, ...m.f }, { cache: false });
  await ix.bare(m.q, m.f);
}
for (let r = 0; r < REPS; r++) {
  for (let i = 0; i < MIX.length; i++) {
    const m = MIX[i];
    let t = performance.now();
    const res = await ix.search({ q: m.q, ...m.f, pageSize: 20 }, { cache: false });
    const o = performance.now() - t;
    t = performance.now();
    await ix.bare(m.q, m.f, 20);
    const b = performance.now() - t;
    ours.push(o);
    bare.push(b);
    perQuery[i].ours.push(o);
    perQuery[i].bare.push(b);
    perQuery[i].total = res.total;
    perQuery[i].exact = res.totalExact;
  }
}

// ---- HTTP ----
// Runs: the fixed query mix without the result cache (every request runs the query), the same
// mix with it (every request after the first seven is a hit), and a query log: 20,000 distinct
// queries built from the corpus vocabulary, requested with Zipf frequencies (s = 1) as real
// search logs are, with the cache on — its hit rate is printed. Each run once per process count.
type Http = { name: string; processes: number; rps: number; p50: number; p99: number; errors: number; non2xx: number; hitRate?: number; rss: number };
const http: Http[] = [];
let rssPeak = 0;
const LOG = (() => {
  const r = seededRandom(7);
  const gov = corpus.vocab.filter((w) => w.length >= 4).slice(0, 900);
  const words = corpus.vocab.slice(0, 5000);
  const seen = new Set<string>();
  const out: { q: string; department?: string }[] = [];
  while (out.length < 20000) {
    const u = r();
    const e: { q: string; department?: string } =
      u < 0.55 ? { q: gov[Math.floor(r() * gov.length)] }
      : u < 0.8 ? { q: `${gov[Math.floor(r() * gov.length)]} ${words[Math.floor(r() * words.length)]}` }
      : u < 0.95 ? { q: words[Math.floor(r() * words.length)], department: `d${String(1 + Math.floor(r() * 40)).padStart(2, '0')}` }
      : { q: corpus.item(1 + Math.floor(r() * SIZE), SIZE).text!.slice(200, 206) };
    const key = JSON.stringify(e);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  // Zipf over ranks: P(rank k) ∝ 1/k.
  const cdf = new Float64Array(out.length);
  let acc = 0;
  out.forEach((_, k) => (cdf[k] = acc += 1 / (k + 1)));
  const pick = (u: number) => {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u * acc) lo = mid + 1;
      else hi = mid;
    }
    return out[lo];
  };
  return { pick, rnd: r };
})();
const pathOf = (m: { q: string; department?: string }) => `/api/v1/search?${new URLSearchParams({ q: m.q, ...(m.department ? { department: m.department } : {}) })}`;

async function httpRun(name: string, cache: boolean, processes: number, workload: 'mix' | 'log'): Promise<Http> {
  const { port, child } = await startBenchServer(fileURLToPath(new URL('./search-server.mjs', import.meta.url)), { BENCH_DIR: DIR, BENCH_PG: databaseUrl ?? '', BENCH_CACHE: cache ? '1' : '0', BENCH_PROCESSES: String(processes) });
  // RSS of the server: the process and its children (cluster workers), the largest one.
  const rssOf = () => {
    let max = 0;
    for (const pid of [child.pid!, ...childPids(child.pid!)]) {
      try {
        max = Math.max(max, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
      } catch {
        /* gone */
      }
    }
    return max;
  };
  let runPeak = 0;
  const timer = setInterval(() => (runPeak = Math.max(runPeak, rssOf())), 200);
  let requests: { method: 'GET'; path: string; setupRequest?: (req: { method: string; path: string }) => { method: string; path: string } }[];
  const seen = new Set<string>();
  let total = 0;
  if (workload === 'mix') requests = MIX.map((m) => ({ method: 'GET' as const, path: pathOf({ q: m.q, department: m.f?.department }) }));
  else {
    requests = [
      {
        method: 'GET',
        path: '/',
        setupRequest: (req) => {
          const path = pathOf(LOG.pick(LOG.rnd()));
          total++;
          seen.add(path);
          return { ...req, path };
        },
      },
    ];
  }
  // Warm-up so that both runs start with loaded code and caches of the engine.
  await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 2, requests: workload === 'mix' ? requests : [{ method: 'GET', path: pathOf(MIX[0]) }] });
  seen.clear();
  total = 0;
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 50, duration: Number(a['http-seconds']), requests });
  clearInterval(timer);
  runPeak = Math.max(runPeak, rssOf());
  rssPeak = Math.max(rssPeak, runPeak);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  // Upper bound of the hit rate: a request is a miss at least when its query is new in the run
  // (each process has its own cache, so the real rate with several processes is lower).
  const hitRate = workload === 'log' && total > 0 ? 1 - seen.size / total : undefined;
  return { name, processes, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx, hitRate, rss: runPeak };
}
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
if (!a['skip-http']) {
  for (const n of a.processes.split(',').map(Number)) {
    const runs = a['http-runs'].split(',');
    if (runs.includes('uncached')) http.push(await httpRun('fixed mix, result cache off', false, n, 'mix'));
    if (runs.includes('cached')) http.push(await httpRun('fixed mix, result cache on', true, n, 'mix'));
    if (runs.includes('log')) http.push(await httpRun('query log (20,000 queries, Zipf), result cache on', true, n, 'log'));
  }
}

// ---- report ----
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const out: string[] = [];
out.push(`search benchmark — backend ${BACKEND}, ${SIZE} items, seed ${corpus.seed}, ${REPS} rounds of ${MIX.length} queries`);
out.push(`machine reference: 3e8 iterations of a JS loop in ${Math.round(cpuRef)} ms (lower is faster)`);
out.push(`corpus generation alone: ${Math.round(genRate)} items/s`);
out.push(`import: ${importRate === null ? 'reused (run with --rebuild to measure)' : `${Math.round(importRate)} items/s (generation + analysis + indexing)`}`);
out.push(`index size: ${mb(size)}`);
out.push(`latency ours (search: candidates, total, facets, ranking, snippets): p50 ${ms(pct(ours, 50))} ms, p95 ${ms(pct(ours, 95))} ms, p99 ${ms(pct(ours, 99))} ms`);
out.push(`latency bare engine (match + engine rank, top 20):                 p50 ${ms(pct(bare, 50))} ms, p95 ${ms(pct(bare, 95))} ms, p99 ${ms(pct(bare, 99))} ms`);
out.push(`ratio ours/bare: p50 ${(pct(ours, 50) / pct(bare, 50)).toFixed(2)}, p95 ${(pct(ours, 95) / pct(bare, 95)).toFixed(2)}`);
out.push('per query (total matches; p50 ours / bare; p95 ours / bare):');
for (const q of perQuery) out.push(`  ${q.name.padEnd(24)} ${JSON.stringify(q.q).padEnd(16)} total ${(q.exact ? '' : '≈') + String(q.total).padStart(8)}  p50 ${ms(pct(q.ours, 50))} / ${ms(pct(q.bare, 50))} ms  p95 ${ms(pct(q.ours, 95))} / ${ms(pct(q.bare, 95))} ms`);
for (const h of http) {
  out.push(`HTTP /api/v1/search, ${h.name}, ${h.processes} process${h.processes > 1 ? 'es' : ''}, 50 connections, ${a['http-seconds']} s: ${Math.round(h.rps)} req/s, latency p50 ${h.p50} ms, p99 ${h.p99} ms, errors ${h.errors}, non-2xx ${h.non2xx}${h.hitRate !== undefined ? `, repeated queries ${(h.hitRate * 100).toFixed(0)} %` : ''}, peak RSS ${mb(h.rss)}`);
}
if (http.length) out.push(`server peak RSS (largest process): ${mb(rssPeak)}`);
console.log(out.join('\n'));
console.log(JSON.stringify({ backend: BACKEND, size: SIZE, cpuRefMs: cpuRef, importRate, genRate, sizeBytes: size, ours: { p50: pct(ours, 50), p95: pct(ours, 95), p99: pct(ours, 99) }, bare: { p50: pct(bare, 50), p95: pct(bare, 95), p99: pct(bare, 99) }, http, rssPeak }));
await p.close();
