// Annual report benchmark (issue #17 deliverable 8): `npm run bench:annual-report -- [--db sqlite|postgres|both] [--requests 50000] [--reps 7]`.
// Builds a government with `--requests` disclosure requests received in 2026 — and as many in each
// of 2024 and 2025, nearly all closed, some carried into 2026 — spread over the demo district's
// departments (the government's own office about a third) and the six requester types, every
// outcome leaf, with paid and unpaid fees, review and litigation records, and catalog items (a20-01
// and other categories). Then times assembleAnnualReport for 2026 for the whole government and for
// its busiest department, `--reps` times each after one warm-up, and prints median / min / max.
// SQLite in a temporary data directory; PostgreSQL in a fresh database on 127.0.0.1:5432 (user
// postgres, or BENCH_DATABASE_URL), dropped afterwards. Target: < 2 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import type { Platform } from '../src/platform/platform.js';
import { assembleAnnualReport, TABLE3_COLUMNS, type ReportScope } from '../src/platform/annual-report.js';
import { OUTCOME_CODES } from '../src/platform/report-outcomes.js';
import { seededRandom } from '../src/platform/random.js';
import { createDepartment, saveGovernment } from '../src/modules/org/service.js';
import { DEMO_DEPARTMENTS, DEMO_GOVERNMENT } from '../src/modules/org/demo.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DBS = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db', 'both')];
const N = Number(arg('requests', '50000'));
const REPS = Math.max(5, Number(arg('reps', '7')));
const YEAR = 2026;
const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

// A deterministic generator, so every run builds the same government.
let rand = seededRandom(20261202);
const pick = <T>(xs: readonly T[], weights: readonly number[]): T => {
  let r = rand() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < xs.length; i++) if ((r -= weights[i]) < 0) return xs[i];
  return xs[xs.length - 1];
};
const day = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1) + dayOfYear * 86400_000).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

/** Requester types as district reports show them: mostly natural persons. */
const TYPE_WEIGHTS = [80, 8, 2, 2, 5, 3];
/** Outcomes: most disclosed, then the usual reasons; every leaf present. */
const OUTCOME_WEIGHTS = OUTCOME_CODES.map((c) => (c === 'disclosed' ? 40 : c === 'partly-disclosed' ? 10 : c === 'unavailable.not-held' ? 15 : c.startsWith('not-processed') ? 2 : 1));

async function seed(p: Platform): Promise<{ busiest: number }> {
  rand = seededRandom(20261202); // the same government on each database
  await saveGovernment(p, 'cli', DEMO_GOVERNMENT);
  const ids: number[] = [];
  for (const [i, d] of DEMO_DEPARTMENTS.entries()) ids.push((await createDepartment(p, 'cli', { code: d.code, parentCode: d.parent ?? null, name: d.name, shortName: d.short, kind: d.kind, phone: d.phone ?? '', sort: (i + 1) * 10 })).id);
  const gkb = ids[DEMO_DEPARTMENTS.findIndex((d) => d.code === 'gkb')];
  // A few departments receive most requests (住建, 自然资源, 人社 …): weights falling with the index.
  const deptWeights = ids.map((_, i) => 1 / (1 + i * 0.4));
  const busiest = ids[DEMO_DEPARTMENTS.findIndex((d) => d.code === 'zjj')];
  deptWeights[ids.indexOf(busiest)] *= 6;
  const now = new Date().toISOString();
  const t0 = performance.now();
  let seq = 0;
  const requests: any[] = [];
  const fees: { n: number; year: number }[] = [];
  for (const year of [YEAR - 2, YEAR - 1, YEAR]) {
    for (let i = 0; i < N; i++) {
      const received = day(year, Math.floor(rand() * 365));
      const toGov = rand() < 0.33;
      // Closed within 1–60 days; in the report's year about 3 % still open at its end, a few earlier ones carried in.
      const open = year === YEAR ? rand() < 0.03 : rand() < 0.01;
      const closed = open ? null : plusDays(received, 1 + Math.floor(rand() * 60));
      const state = closed ? (rand() < 0.8 ? 'replied' : 'closed') : pick(['handling', 'consulting', 'awaiting-correction'], [8, 1, 1]);
      seq++;
      requests.push({
        tracking_no: `YS${String(seq).padStart(12, '0')}`,
        code_hash: '',
        department_id: toGov ? gkb : pick(ids, deptWeights),
        to_government: toGov ? 1 : 0,
        channel: pick(['online', 'in-person', 'registered-post', 'email'], [6, 2, 1, 1]),
        requester_type: pick(TABLE3_COLUMNS, TYPE_WEIGHTS),
        requester_name: `申请人${seq}`,
        id_kind: 'resident-id',
        id_number: '',
        org_contact: '',
        id_proofs: '[]',
        contact_phone: '13800000000',
        contact_email: '',
        contact_address: '',
        contact_fax: '',
        info_name: `信息名称${seq}`,
        info_doc_no: '',
        info_description: '申请公开的政府信息的描述',
        form_wanted: 'electronic',
        channel_wanted: 'online',
        state,
        arrived_on: received,
        received_on: received,
        correction_asked_on: null,
        correction_due: null,
        correction_items: null,
        corrected_on: null,
        due_date: null,
        outcome: closed ? pick(OUTCOME_CODES, OUTCOME_WEIGHTS) : null,
        closed_on: closed,
        referral_no: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      if (rand() < 0.02) fees.push({ n: seq, year });
    }
  }
  const CHUNK = 500; // 35 columns: under SQLite's 32,766 variables a statement
  for (let i = 0; i < requests.length; i += CHUNK) await p.db.insertInto('disclosure_requests').values(requests.slice(i, i + CHUNK)).execute();
  // Ids in insertion order: the n-th request has the n-th smallest id.
  const firstId = Number((await p.db.selectFrom('disclosure_requests').select((eb) => eb.fn.min('id').as('m')).executeTakeFirstOrThrow()).m);
  const feeRows = fees.map(({ n, year }) => {
    const paid = rand() < 0.7;
    const notice = day(year, Math.floor(rand() * 360));
    return { request_id: firstId + n - 1, method: 'count', pages: null, ordinal: 11, amount_fen: 10000 * (1 + Math.floor(rand() * 5)), notice_on: notice, pay_by: plusDays(notice, 20), paid_on: paid ? plusDays(notice, Math.floor(rand() * 20)) : null, status: paid ? 'paid' : pick(['unpaid', 'lapsed', 'withdrawn'], [1, 3, 1]), note: '', created_by: 'bench', created_at: now };
  });
  for (let i = 0; i < feeRows.length; i += CHUNK) await p.db.insertInto('request_fees').values(feeRows.slice(i, i + CHUNK)).execute();
  // Review and litigation: about 1 % of the requests, decided within a year or still pending.
  const reviews = [];
  for (let k = 0; k < requests.length / 100; k++) {
    const n = 1 + Math.floor(rand() * requests.length);
    const filed = plusDays(requests[n - 1].received_on, 30 + Math.floor(rand() * 60));
    const decided = rand() < 0.85 ? plusDays(filed, 30 + Math.floor(rand() * 300)) : null;
    reviews.push({ request_id: firstId + n - 1, kind: pick(['review', 'suit-direct', 'suit-after-review'], [7, 2, 1]), body: '示范新区人民政府', case_no: '', filed_on: filed, outcome: decided ? pick(['maintained', 'corrected', 'other'], [7, 1, 2]) : null, decided_on: decided, note: '', created_by: 'bench', created_at: now, updated_at: now });
  }
  for (let i = 0; i < reviews.length; i += CHUNK) await p.db.insertInto('request_reviews').values(reviews.slice(i, i + CHUNK)).execute();
  // The catalog: 20,000 items over ten years, a tenth of category a20-01, some repealed or expired.
  const items = [];
  for (let k = 0; k < 20_000; k++) {
    const written = day(YEAR - 9 + Math.floor(rand() * 10), Math.floor(rand() * 360));
    const pub = `${plusDays(written, Math.floor(rand() * 5))}T02:00:00.000Z`;
    const a2001 = rand() < 0.1;
    const ended = rand() < 0.15;
    items.push({ type: 'document', department_id: pick(ids, deptWeights), index_no: null, status: 'published', public: 1, published_version: 1, latest_version: 1, title: `文件${k}`, doc_no: '', topic: '0203', genre: a2001 && rand() < 0.02 ? '命令' : pick(['通知', '办法', '意见', '公告'], [5, 2, 2, 1]), category: a2001 ? 'a20-01' : pick(['a20-02', 'a20-05', 'a20-09'], [1, 1, 1]), written_at: written, effective_at: null, expires_at: null, validity: ended ? pick(['repealed', 'expired'], [2, 1]) : 'valid', year: Number(written.slice(0, 4)), summary: '', search_text: '', formed_at: written, first_published_at: pub, published_at: pub, withdrawn_at: null, withdraw_reason: null, validity_changed_at: ended ? `${plusDays(written, 100 + Math.floor(rand() * 1500))}T02:00:00.000Z` : null, validity_reason: null, changed_at: pub, created_by: null, created_at: pub, updated_at: pub });
  }
  for (let i = 0; i < items.length; i += CHUNK) await p.db.insertInto('pub_items').values(items.slice(i, i + CHUNK)).execute();
  await sql`analyze`.execute(p.db);
  console.log(`[${p.dialect}] seeded ${requests.length.toLocaleString('en')} requests (${N.toLocaleString('en')} received in ${YEAR}), ${feeRows.length.toLocaleString('en')} fees, ${reviews.length.toLocaleString('en')} reviews, ${items.length.toLocaleString('en')} catalog items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { busiest };
}

async function time(p: Platform, scope: ReportScope, label: string) {
  const sources = p.modules.flatMap((m) => m.annualReport ?? []);
  const first = await assembleAnnualReport(p.db, sources, scope); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await assembleAnnualReport(p.db, sources, scope);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = median(times);
  const t3 = first.table3;
  console.log(
    `[${p.dialect}] ${label}: median ${med.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (${REPS} runs) — ` +
      `received ${t3.total.received}, carried in ${t3.total.carriedIn}, outcomes ${t3.total.outcomeTotal}, carried out ${t3.total.carriedOut}, check ${t3.check.total.passed ? 'passed' : 'FAILED'}; ` +
      `fees ${((first.table2.fees as number) / 1e6).toFixed(2)} 万元, reviews decided ${first.table4.review.total - first.table4.review.pending}, 行政规范性文件 in force ${(first.table2['normative-documents'] as { inForce: number }).inForce}`,
  );
  if (med > 2000) console.log(`[${p.dialect}] ${label}: OVER the 2 s target`);
  // Where the time goes: each source's tables on their own (median of the runs).
  const parts: string[] = [];
  for (const [name, s] of p.modules.flatMap((m) => (m.annualReport ? [[m.name, m.annualReport] as const] : []))) {
    for (const table of ['table2', 'table3', 'table4'] as const) {
      const f = s[table];
      if (!f) continue;
      const ts: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const t = performance.now();
        await f(p.db, scope);
        ts.push(performance.now() - t);
      }
      parts.push(`${name}.${table} ${median(ts).toFixed(0)} ms`);
    }
  }
  console.log(`[${p.dialect}] ${label}, by part: ${parts.join(', ')}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function run(db: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-report-'));
  let pgName: string | null = null;
  let databaseUrl: string | null = null;
  if (db === 'postgres') {
    pgName = `gk_bench_report_${process.pid}_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_BASE });
    await c.connect();
    await c.query(`create database ${pgName}`);
    await c.end();
    const u = new URL(PG_BASE);
    u.pathname = `/${pgName}`;
    databaseUrl = u.toString();
  }
  let p: Platform | null = null;
  try {
    const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl, demo: false, logLevel: 'silent' });
    p = await openPlatform(config);
    const { busiest } = await seed(p);
    await time(p, { year: YEAR, departmentIds: 'all' }, `the government (${N.toLocaleString('en')} requests in ${YEAR})`);
    await time(p, { year: YEAR, departmentIds: [busiest] }, 'its busiest department (住建局)');
  } finally {
    await p?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgName) {
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`drop database if exists ${pgName} with (force)`);
      await c.end();
    }
  }
}

for (const db of DBS) await run(db);
