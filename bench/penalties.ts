// The public penalty list and search with 100,000 decisions (issue #18: p95 < 50 ms on both
// databases): `npm run bench:penalties -- [--db sqlite|postgres|both] [--decisions 100000] [--reps 200]`.
// Loads `--decisions` varied decisions straight into enf_decisions (70 % penalties, 30 % licensing;
// about 85 % on display, the rest ended, not shown or drafts; a fifth natural persons; six domains
// and configured ones; three years of dates; 24 departments), then serves the product over HTTP on
// 127.0.0.1 and times sequential GETs of /api/v1/penalties (and the HTML page) per query kind —
// every URL different, so the public cache never answers — printing p50 / p95 / max per kind.
// SQLite in a temporary data directory; PostgreSQL in a fresh database on 127.0.0.1:5432 (user
// postgres, or BENCH_DATABASE_URL), dropped afterwards (BENCH_KEEP=1 keeps both, for EXPLAIN).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import { buildApp } from '../src/app.js';
import { freshPgDatabase } from '../test/helpers.js';
import type { Platform } from '../src/platform/platform.js';
import { seededRandom } from '../src/platform/random.js';
import { withIdCheckDigit } from '../src/platform/privacy/index.js';
import { createDepartment, saveGovernment } from '../src/modules/org/service.js';
import { DEMO_DEPARTMENTS, DEMO_GOVERNMENT } from '../src/modules/org/demo.js';
import { PENALTY_CATEGORIES, LICENSING_CATEGORIES, searchKey } from '../src/modules/enforcement/service/decisions.js';
import { DOMAINS } from '../src/modules/enforcement/service/codes.js';
import { displayPeriod } from '../src/modules/enforcement/service/period.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DBS = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db', 'both')];
const N = Number(arg('decisions', '100000'));
const REPS = Number(arg('reps', '200'));
const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TODAY = new Date().toISOString().slice(0, 10);

let rand = seededRandom(20261218);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(): string {
  let s = '91' + '210213';
  while (s.length < 17) s += USCC[Math.floor(rand() * 31)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC.indexOf(s[i]) * W[i];
  return s + USCC[(31 - (sum % 31)) % 31];
}
const WORDS = ['海味', '鑫源', '华信', '金港', '恒通', '宏达', '新胜', '海滨', '瑞丰', '东方', '长城', '盛世', '佳和', '百川', '天成', '永泰', '福源', '安康', '顺达', '龙腾', '星辰', '博远', '嘉禾', '万家'];
const TRADES = ['食品', '餐饮', '旅行社', '建材', '电子', '医药', '化工', '物流', '酒店', '超市', '五金', '服装', '印刷', '汽修', '眼镜', '母婴'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '建华明丽强敏伟芳军静磊洋勇艳杰娟涛超';

async function seed(p: Platform): Promise<{ codes: string[]; names: string[]; docs: string[] }> {
  rand = seededRandom(20261218);
  await saveGovernment(p, 'cli', DEMO_GOVERNMENT);
  const depts: { id: number; short: string }[] = [];
  for (const [i, d] of DEMO_DEPARTMENTS.entries()) depts.push({ id: (await createDepartment(p, 'cli', { code: d.code, parentCode: d.parent ?? null, name: d.name, shortName: d.short, kind: d.kind, phone: d.phone ?? '', sort: (i + 1) * 10 })).id, short: d.short.slice(0, 2) });
  await sql`insert into settings (key, value, updated_at) values ('enforcement.domains', ${JSON.stringify([{ code: 'food', zh: '食品安全', en: 'Food safety' }, { code: 'medical', zh: '医疗卫生', en: 'Health care' }])}, ${new Date().toISOString()})`.execute(p.db);
  const domains = [...DOMAINS, 'food', 'medical'];
  const now = new Date().toISOString();
  const t0 = performance.now();
  const rows = [];
  const codes: string[] = [];
  const names: string[] = [];
  const docs: string[] = [];
  const seqs = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const kind = rand() < 0.7 ? 'penalty' : 'licensing';
    const dept = pick(depts);
    const date = plusDays(TODAY, -Math.floor(rand() * 365 * 3));
    const year = date.slice(0, 4);
    const k = `${dept.id}|${kind}|${year}`;
    const n = (seqs.get(k) ?? 0) + 1;
    seqs.set(k, n);
    const docNo = `示范${dept.short}${kind === 'penalty' ? '罚' : '许'}〔${year}〕${n}号`;
    const natural = rand() < 0.2;
    const severity = kind === 'penalty' ? (rand() < 0.15 ? 'minor' : rand() < 0.8 ? 'ordinary' : 'serious') : '';
    const period = displayPeriod(kind, severity as 'minor' | '', date);
    // Most are on display; the others ended (period over), not shown (minor) or still drafts.
    const status = !period ? 'not-shown' : rand() < 0.04 ? 'draft' : period.until < TODAY || rand() < 0.03 ? 'ended' : 'published';
    const code = natural ? '' : uscc();
    const name = natural ? `${pick([...SURNAMES])}${pick([...GIVEN])}${rand() < 0.5 ? pick([...GIVEN]) : ''}` : `示范新区${pick(WORDS)}${pick(TRADES)}${pick(['有限公司', '有限责任公司', '商行', '经营部'])}${rand() < 0.3 ? `第${Math.floor(rand() * 90) + 10}分店` : ''}`;
    if (code && rand() < 0.01) codes.push(code);
    if (!natural && rand() < 0.01) names.push(name);
    if (rand() < 0.01) docs.push(docNo);
    rows.push({
      kind,
      department_id: dept.id,
      doc_no: docNo,
      subject_type: natural ? 'natural' : 'legal',
      subject_name: name,
      credit_code: code,
      legal_rep: natural ? '' : `${pick([...SURNAMES])}某`,
      address: `示范新区${pick(WORDS)}路${Math.floor(rand() * 300) + 1}号`,
      id_number: natural ? withIdCheckDigit(`2102131980${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`) : '',
      facts: kind === 'penalty' ? `当事人${pick(['销售过期食品', '未取得许可从事经营', '虚假宣传', '未按规定明码标价', '生产不合格产品', '未落实安全生产责任制'])}，违法所得${Math.floor(rand() * 50000)}元。` : `准予从事${pick(TRADES)}经营`,
      category: kind === 'penalty' ? [...new Set([pick(PENALTY_CATEGORIES), pick(PENALTY_CATEGORIES)])].join(',') : pick(LICENSING_CATEGORIES),
      basis: kind === 'penalty' ? '《中华人民共和国行政处罚法》第二十八条' : '《中华人民共和国行政许可法》第三十八条',
      content: kind === 'penalty' ? `罚款人民币${Math.floor(rand() * 100) + 1}千元` : '准予行政许可决定书',
      result: kind === 'penalty' ? '已履行' : '',
      licence_name: kind === 'licensing' ? `${pick(TRADES)}经营许可证` : '',
      licence_no: kind === 'licensing' ? `JY${i}` : '',
      valid_from: kind === 'licensing' ? date : null,
      valid_to: kind === 'licensing' ? plusDays(date, 365 * 5) : null,
      decision_date: date,
      domain: pick(domains),
      severity,
      display_min_until: period?.minUntil ?? null,
      display_until: period?.until ?? null,
      status,
      end_reason: status === 'ended' ? (period!.until < TODAY ? 'expired' : 'repaired') : null,
      end_note: '',
      ended_at: status === 'ended' ? now : null,
      // The public list reads the decision rows; the spine item ids only make the links.
      pub_item_id: status === 'published' || status === 'ended' ? i + 1 : null,
      author_id: '1',
      approver_id: status === 'draft' ? null : '2',
      published_at: status === 'published' || status === 'ended' ? now : null,
      created_at: now,
      updated_at: now,
      search: searchKey({ doc_no: docNo, subject_type: natural ? 'natural' : 'legal', subject_name: name }),
    });
  }
  const CHUNK = 500; // 35 columns: under SQLite's 32,766 variables a statement
  for (let i = 0; i < rows.length; i += CHUNK) await p.db.insertInto('enf_decisions').values(rows.slice(i, i + CHUNK)).execute();
  await sql`analyze`.execute(p.db);
  if (p.dialect === 'postgres') await sql`vacuum analyze enf_decisions`.execute(p.db);
  const shown = rows.filter((r) => r.status === 'published');
  console.log(`[${p.dialect}] seeded ${rows.length.toLocaleString('en')} decisions (${shown.length.toLocaleString('en')} on display, ${shown.filter((r) => r.kind === 'penalty').length.toLocaleString('en')} of them penalties) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { codes, names, docs };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function run(db: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-penalties-'));
  const fresh = db === 'postgres' ? await freshPgDatabase(PG_BASE) : null;
  const databaseUrl = fresh?.url ?? null;
  let p: Platform | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl, demo: false, logLevel: 'silent' });
    p = await openPlatform(config);
    const { codes, names, docs } = await seed(p);
    app = await buildApp(p, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const years = [0, 1, 2].map((k) => Number(TODAY.slice(0, 4)) - k);
    const domains = [...DOMAINS, 'food', 'medical'];
    // Each kind's URLs, all different (a cached answer would time nothing).
    const word = (i: number) => WORDS[i % WORDS.length] + (i >= WORDS.length ? TRADES[i % TRADES.length] : '');
    const kinds: [string, (i: number) => string][] = [
      ['list (page 1…, 20 a page)', (i) => `/api/v1/penalties?page=${1 + (i % 500)}&pageSize=${20 + Math.floor(i / 500)}`],
      ['list, licensing', (i) => `/api/v1/licensing?page=${1 + (i % 500)}&pageSize=${20 + Math.floor(i / 500)}`],
      ['search q = name word', (i) => `/api/v1/penalties?q=${encodeURIComponent(word(i))}&page=${1 + Math.floor(i / 400)}`],
      ['search q = a company name', (i) => `/api/v1/penalties?q=${encodeURIComponent(names[i % names.length])}&page=${1 + Math.floor(i / names.length)}`],
      ['search q = 文号', (i) => `/api/v1/penalties?q=${encodeURIComponent(docs[i % docs.length])}&page=${1 + Math.floor(i / docs.length)}`],
      ['creditCode', (i) => `/api/v1/penalties?creditCode=${codes[i % codes.length]}&page=${1 + Math.floor(i / codes.length)}`],
      ['domain', (i) => `/api/v1/penalties?domain=${domains[i % domains.length]}&page=${1 + Math.floor(i / domains.length)}`],
      ['year', (i) => `/api/v1/penalties?year=${years[i % 3]}&page=${1 + Math.floor(i / 3)}`],
      ['domain + year + q', (i) => `/api/v1/penalties?domain=${domains[i % domains.length]}&year=${years[i % 3]}&q=${encodeURIComponent(WORDS[i % WORDS.length])}&page=${1 + Math.floor(i / 300)}`],
      ['HTML page, q = name word', (i) => `/enforcement/decisions?q=${encodeURIComponent(word(i))}&page=${1 + Math.floor(i / 400)}`],
    ];
    const all: number[] = [];
    for (const [label, url] of kinds) {
      await fetch(base + url(REPS + 7)).then((r) => r.text()); // warm-up
      const times: number[] = [];
      let total = 0;
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < REPS; i++) {
        const t = performance.now();
        const r = await fetch(base + url(i));
        const body = await r.text();
        times.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`${url(i)}: ${r.status} ${body.slice(0, 200)}`);
        if (i === 0 && body.startsWith('{')) total = JSON.parse(body).total;
      }
      const cpu = process.cpuUsage(cpu0);
      all.push(...times);
      const p95 = pct(times, 95);
      // CPU: this process's (server and client) per request; PostgreSQL's own work is not in it.
      console.log(`[${p.dialect}] ${label.padEnd(28)} p50 ${pct(times, 50).toFixed(1).padStart(5)} ms  p95 ${p95.toFixed(1).padStart(5)} ms  max ${Math.max(...times).toFixed(1).padStart(6)} ms  cpu ${((cpu.user + cpu.system) / 1000 / REPS).toFixed(1)} ms  (${REPS} requests${total ? `, first: ${total.toLocaleString('en')} found` : ''})${p95 > 50 ? '  OVER 50 ms' : ''}`);
    }
    const { loadavg } = await import('node:os');
    console.log(`[${p.dialect}] all ${all.length} requests: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  } finally {
    await app?.close();
    await p?.close();
    if (process.env.BENCH_KEEP) console.log(`kept ${dataDir} ${databaseUrl ?? ''}`);
    else rmSync(dataDir, { recursive: true, force: true });
    if (fresh && !process.env.BENCH_KEEP) await fresh.drop();
  }
}

for (const db of DBS) await run(db);
