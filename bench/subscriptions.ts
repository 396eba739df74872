// Subscriptions fan-out (issue 20: one publication matched against 100,000 subscriptions and all
// deliveries enqueued within 5 s): `npm run bench:subscriptions -- [--db sqlite|postgres|both] [--runs 3] [--subscribers 100000]`.
// A fresh platform with the demo district (its demo subscriptions removed), then --subscribers
// active subscribers (e-mail 80 %, SMS 20 %) inserted straight into the tables, with their
// subscriptions spread over lists (for 100,000): 60 % on 党政办's department list, 20 % on topic
// lists the item has (02 and 0203 + document), 10 % on the document type, 5 % on saved searches
// (some matching, some not), 5 % on other departments (no match); 5 % of the department list's
// subscribers also on the topic list, and some daily/weekly subscriptions beside (digests: no
// immediate row). Then, --runs times: a new document published through the review workflow, and
// fanOut for its `published` event called directly (not through the job worker), timed, with a
// breakdown (matching, sub_matches, ledger INSERT … SELECT, send jobs). The counts are checked
// against what the seed implies; the bench fails when they differ or a run takes over 5 s.
// SQLite in a temporary data directory; PostgreSQL in a fresh database on 127.0.0.1:5432 (user
// postgres, or BENCH_DATABASE_URL), dropped afterwards (BENCH_KEEP=1 keeps it, for EXPLAIN). A JSON line with every figure ends the output.
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { makeEnv, freshPgDatabase, type TestEnv } from '../test/helpers.js';
import { publish } from '../test/catalog/helpers.js';
import { fanOut, BATCH, SEND_JOB, type FanOutTimings } from '../src/modules/subscriptions/service/fanout.js';
import { ensureList, searchTerms, type Target } from '../src/modules/subscriptions/service/targets.js';
import type { Frequency } from '../src/modules/subscriptions/schema.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DBS = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db', 'both')];
const RUNS = Number(arg('runs', '3'));
const N = Number(arg('subscribers', '100000'));
const TARGET_MS = 5000;
const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface Seeded {
  subscribers: number;
  subscriptions: number;
  /** Distinct subscribers with an immediate subscription on a matching list: one ledger row each. */
  expectedRows: number;
  /** Lists a new document of the seed's kind matches. */
  expectedLists: number;
  ms: number;
}

/** The demo's own subscriptions out, then N subscribers and their subscriptions in bulk. */
async function seed(env: TestEnv): Promise<Seeded> {
  const { p } = env;
  const t0 = performance.now();
  const dzb = Number((await p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow()).id);
  // Departments that are neither 党政办 nor above it: their lists never match its documents.
  const above = new Set<number>();
  for (let d: number | null = dzb; d !== null; ) {
    above.add(d);
    d = (await p.db.selectFrom('departments').select('parent_id').where('id', '=', d).executeTakeFirst())?.parent_id ?? null;
  }
  const others = (await p.db.selectFrom('departments').select('id').orderBy('id').execute()).map((d) => Number(d.id)).filter((d) => !above.has(d)).slice(0, 5);
  if (others.length < 5) throw new Error('the demo has fewer than 5 other departments');
  const now = new Date().toISOString();
  const at = (n: number) => Math.floor((n * N) / 100_000);
  const expected = new Set<number>();
  const matching = new Set<number>();
  let subscriptions = 0;
  await p.tx(async (t) => {
    for (const table of ['sub_matches', 'sub_subscriptions', 'sub_subscribers', 'sub_list_terms', 'sub_lists'] as const) await t.deleteFrom(table).execute();
    const list = async (target: Target, dept: number | null, matches: boolean) => {
      const id = await ensureList(t, target.q ? { ...target, q: searchTerms(target.q).join(' ') } : target, dept);
      if (matches) matching.add(id);
      return id;
    };
    const L = {
      dept: await list({ dept: String(dzb) }, dzb, true),
      topic: await list({ topic: '02' }, null, true),
      topicType: await list({ topic: '0203', type: 'document' }, null, true),
      type: await list({ type: 'document' }, null, true),
      // Saved searches: the seed's documents say 政务公开 and 工作要点, never 供暖 or 停车.
      searchYes: await list({ q: '政务公开' }, null, true),
      searchDeptYes: await list({ dept: String(dzb), q: '政务公开 工作要点' }, dzb, true),
      searchNo: await list({ q: '供暖 补贴' }, null, false),
      searchDeptNo: await list({ dept: String(dzb), q: '停车' }, dzb, false),
      others: await Promise.all(others.map((d) => list({ dept: String(d) }, d, false))),
    };
    // Subscribers: ids are assigned in insertion order after the demo's, so read them back by address.
    const CH = 2000;
    for (let i = 0; i < N; i += CH) {
      const rows = [];
      for (let k = i; k < Math.min(N, i + CH); k++) {
        const sms = k % 5 === 4;
        rows.push({ channel: sms ? ('sms' as const) : ('email' as const), address: sms ? `139${String(k).padStart(8, '0')}` : `reader${k}@bench.example.com`, state: 'active' as const, locale: k % 10 === 3 ? 'en' : 'zh-CN', link_version: 1, bounces: 0, created_at: now, confirmed_at: now, updated_at: now });
      }
      await t.insertInto('sub_subscribers').values(rows).execute();
    }
    const ids = (await t.selectFrom('sub_subscribers').select('id').orderBy('id').execute()).map((r) => Number(r.id));
    if (ids.length !== N) throw new Error(`seeded ${ids.length} subscribers, not ${N}`);
    const subs: { subscriber_id: number; list_id: number; frequency: Frequency }[] = [];
    const add = (k: number, listId: number, frequency: Frequency = 'immediately') => {
      subs.push({ subscriber_id: ids[k], list_id: listId, frequency });
      if (frequency === 'immediately' && matching.has(listId)) expected.add(ids[k]);
    };
    for (let k = 0; k < N; k++) {
      if (k < at(60_000)) add(k, L.dept);
      else if (k < at(75_000)) add(k, L.topic);
      else if (k < at(80_000)) add(k, L.topicType);
      else if (k < at(90_000)) add(k, L.type);
      else if (k < at(95_000)) {
        const j = k - at(90_000);
        add(k, j % 5 === 0 ? L.searchNo : j % 5 === 1 ? L.searchDeptNo : j % 5 === 2 ? L.searchDeptYes : L.searchYes);
      } else add(k, L.others[k % L.others.length]);
      // On two matching lists (one message), and digest subscriptions beside (no immediate row).
      if (k < at(5_000)) add(k, L.topic);
      if (k >= at(95_000) && k < at(96_000)) add(k, L.type, 'daily');
      if (k >= at(10_000) && k < at(12_000)) add(k, L.type, 'weekly');
    }
    subscriptions = subs.length;
    const SC = 2500;
    for (let i = 0; i < subs.length; i += SC)
      await t
        .insertInto('sub_subscriptions')
        .values(subs.slice(i, i + SC).map((s) => ({ ...s, state: 'active' as const, code_hash: null, code_expires_at: null, code_tries: 0, ended_reason: null, created_at: now, confirmed_at: now, ended_at: null })))
        .execute();
  });
  await sql`analyze`.execute(p.db);
  return { subscribers: N, subscriptions, expectedRows: expected.size, expectedLists: matching.size, ms: performance.now() - t0 };
}

const countJobs = async (env: TestEnv) => Number((await env.p.db.selectFrom('jobs').select((e) => e.fn.countAll<number>().as('n')).where('kind', '=', SEND_JOB).executeTakeFirstOrThrow()).n);

interface RunResult {
  run: number;
  itemId: number;
  totalMs: number;
  timings: FanOutTimings;
  lists: number;
  rows: number;
  jobs: number;
}

async function bench(db: string): Promise<{ db: string; seed: Seeded; runs: RunResult[] }> {
  const fresh = db === 'postgres' ? await freshPgDatabase(PG_BASE) : null;
  const t0 = performance.now();
  const env = await makeEnv({ overrides: { databaseUrl: fresh?.url ?? null } });
  try {
    await env.drain();
    console.log(`[${db}] demo platform ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const s = await seed(env);
    console.log(`[${db}] seeded ${s.subscribers.toLocaleString('en')} subscribers, ${s.subscriptions.toLocaleString('en')} subscriptions in ${(s.ms / 1000).toFixed(1)} s; a document matches ${s.expectedLists} lists, ${s.expectedRows.toLocaleString('en')} distinct immediate subscribers`);
    const runs: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const itemId = await publish(env, { title: `关于印发《示范新区政务公开工作要点》的通知（第${run}次测试）`, docNo: `示范新区发〔2026〕${100 + run}号` });
      const jobs0 = await countJobs(env);
      const timings = {} as FanOutTimings;
      const start = performance.now();
      const r = await fanOut(env.p, { id: itemId, event: 'published', version: 1 } as Parameters<typeof fanOut>[1], timings);
      const totalMs = performance.now() - start;
      const jobs = (await countJobs(env)) - jobs0;
      const ledger = Number((await env.p.db.selectFrom('chn_deliveries').select((e) => e.fn.countAll<number>().as('n')).where('item_id', '=', itemId).where('state', '=', 'queued').executeTakeFirstOrThrow()).n);
      const matches = Number((await env.p.db.selectFrom('sub_matches').select((e) => e.fn.countAll<number>().as('n')).where('item_id', '=', itemId).executeTakeFirstOrThrow()).n);
      const wantJobs = Math.ceil(s.expectedRows / BATCH);
      const bad = [
        r.rows !== s.expectedRows && `fanOut says ${r.rows} rows, the seed implies ${s.expectedRows}`,
        ledger !== s.expectedRows && `${ledger} queued ledger rows, the seed implies ${s.expectedRows}`,
        r.lists !== s.expectedLists && `${r.lists} lists matched, the seed implies ${s.expectedLists}`,
        matches !== s.expectedLists && `${matches} sub_matches rows, the seed implies ${s.expectedLists}`,
        jobs !== wantJobs && `${jobs} send jobs, ${wantJobs} expected`,
      ].filter(Boolean);
      if (bad.length) throw new Error(`[${db}] run ${run}: ${bad.join('; ')}`);
      runs.push({ run, itemId, totalMs, timings, lists: r.lists, rows: r.rows, jobs });
      const f = (x: number | undefined) => (x ?? 0).toFixed(0).padStart(5);
      console.log(`[${db}] run ${run}: total ${f(totalMs)} ms = match ${f(timings.match)} + sub_matches ${f(timings.matches)} + ledger ${f(timings.ledger)} + send jobs ${f(timings.enqueue)} (+ rest, commit); ${r.rows.toLocaleString('en')} ledger rows, ${jobs} send jobs, ${r.lists} lists${totalMs > TARGET_MS ? '  OVER 5 s' : ''}`);
    }
    return { db, seed: s, runs };
  } finally {
    await env.close();
    if (process.env.BENCH_KEEP) console.log(`kept ${fresh?.url ?? '(SQLite is removed)'}`);
    else await fresh?.drop();
  }
}

console.log(`subscriptions fan-out bench: ${N.toLocaleString('en')} subscribers, ${RUNS} runs; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const results = [];
for (const db of DBS) results.push(await bench(db));
console.log('\ndatabase    | median ms | min–max ms  | match ms | ledger ms | jobs ms | rows    | jobs');
let over = false;
for (const r of results) {
  const ts = r.runs.map((x) => x.totalMs).sort((a, b) => a - b);
  const med = (k: keyof FanOutTimings) => [...r.runs.map((x) => x.timings[k] ?? 0)].sort((a, b) => a - b)[Math.floor(r.runs.length / 2)];
  over ||= ts.at(-1)! > TARGET_MS;
  console.log(`${r.db.padEnd(11)} | ${ts[Math.floor(ts.length / 2)].toFixed(0).padStart(9)} | ${`${ts[0].toFixed(0)}–${ts.at(-1)!.toFixed(0)}`.padStart(11)} | ${med('match').toFixed(0).padStart(8)} | ${med('ledger').toFixed(0).padStart(9)} | ${med('enqueue').toFixed(0).padStart(7)} | ${r.runs[0].rows.toLocaleString('en').padStart(7)} | ${r.runs[0].jobs}`);
}
console.log(`load average after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(JSON.stringify({ subscriptions: results.map((r) => ({ db: r.db, seed: r.seed, runs: r.runs })) }));
if (over) {
  console.error(`a run took over ${TARGET_MS} ms`);
  process.exitCode = 1;
}
