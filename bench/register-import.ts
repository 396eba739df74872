// Register import benchmark (issue #18, deliverable 1): `npm run bench:register-import -- [--db sqlite|postgres|both] [--entities 100000] [--reps 3] [--xlsx]`.
// Builds a CSV of `--entities` market entities (UTF-8; valid 统一社会信用代码, names, addresses, GB/T
// 4754 classes, risk levels and areas as a district's register has them) and times its import
// from the upload to `done`, as the console runs it: startImport (the file stored, the import
// queued) and the job (the file read in a worker thread, every row checked, the register written
// in chunks). Each repetition starts from an empty register; afterwards a second file with 10 %
// of the entities changed and 10 % new is imported over the full register (upserts). With
// --xlsx the same entities as an XLSX too (the GONGKAI_EXTRACT_* limits apply).
// SQLite in a temporary data directory; PostgreSQL in a fresh database on 127.0.0.1:5432 (user
// postgres, or BENCH_DATABASE_URL), dropped afterwards. Target: < 30 s. Each run prints its wall
// time and the CPU time of this process (worker threads included; PostgreSQL's own is not), which
// a busy machine inflates less.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import type { Platform } from '../src/platform/platform.js';
import { seededRandom } from '../src/platform/random.js';
import { loadPrincipal } from '../src/platform/auth/identity.js';
import { toCsv } from '../src/platform/files/csv.js';
import { freshPgDatabase } from '../test/helpers.js';
import { demoOrg } from '../test/fixtures/org.js';
import { USCC_ALPHABET, withUsccCheck } from '../src/modules/enforcement/service/uscc.js';
import { runImport, startImport, IMPORT_COLUMNS } from '../src/modules/enforcement/service/imports.js';
import { toXlsx } from '../src/modules/lists/service/engine.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DBS = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db', 'both')];
const N = Number(arg('entities', '100000'));
const REPS = Math.max(1, Number(arg('reps', '3')));
const XLSX = process.argv.includes('--xlsx');
const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const AREAS = ['海滨街道', '新胜街道', '工业园街道', '金石滩街道', '大李家街道', '二十里堡街道', '七顶山街道', '登沙河街道'];
const CLASSES = ['F5211', 'F5223', 'F5231', 'F5292', 'H6110', 'H6210', 'H6232', 'C1391', 'C1431', 'E4790', 'G5438', 'O8040', 'L7251', 'M7520', 'C3311'];
const NAMES = ['海滨', '新胜', '金石', '华信', '瑞丰', '鑫源', '宏达', '恒通', '东方', '北辰', '兴隆', '顺发'];
const KINDS = ['食品店', '餐饮管理有限公司', '商贸有限公司', '机械制造有限公司', '建材经营部', '超市', '物流有限公司', '咖啡馆', '理发店', '印刷厂'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

/** The entities of a district: deterministic, so every run imports the same file. */
function entities(n: number, seed: number, offset = 0): string[][] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const rows: string[][] = [IMPORT_COLUMNS.entities.filter((c) => c.field !== 'active').map((c) => c.headers[0])];
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    // 91 (企业) or 92 (个体工商户), 大连 金州 (210213), a serial in the subject code.
    const serial = Array.from(String(k).padStart(7, '0'), (d) => d).join('');
    const code = withUsccCheck(`${rand() < 0.7 ? '91' : '92'}210213${USCC_ALPHABET[10 + (k % 21)]}${pick([...'ABCDEFGHJK'])}${serial}`);
    rows.push([code, `大连${pick(NAMES)}${pick(NAMES)}${k}${pick(KINDS)}`, `示范新区${pick(AREAS).slice(0, -2)}路${1 + (k % 999)}号`, `${pick([...SURNAMES])}${pick(['建国', '秀英', '志强', '丽', '伟', '芳'])}`, pick(CLASSES), pick(['低', '低', '低', '中', '中', '高']), pick(AREAS)]);
  }
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function fresh(db: string): Promise<{ p: Platform; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-import-'));
  const pgDb = db === 'postgres' ? await freshPgDatabase(PG_BASE) : null;
  const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl: pgDb?.url ?? null, demo: false, logLevel: 'silent' });
  const p = await openPlatform(config);
  await demoOrg(p, { users: ['scjg-editor'], government: false });
  return {
    p,
    async close() {
      await p.close();
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    },
  };
}

/** Upload to done: returns the seconds of the upload, of the job, and the import's report. */
async function importOnce(p: Platform, name: string, buf: Buffer, confirm: boolean) {
  const u = await p.db.selectFrom('users').select('id').where('username', '=', 'scjg-editor').executeTakeFirstOrThrow();
  const actor = (await loadPrincipal(p.db, u.id, 'session'))!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const imp = await startImport(p, actor, { buf, name }, { kind: 'entities', confirm });
  const t1 = performance.now();
  await runImport(p, imp.id);
  const t2 = performance.now();
  const row = await p.db.selectFrom('enf_imports').select(['status', 'report', 'done', 'total']).where('id', '=', imp.id).executeTakeFirstOrThrow();
  const report = JSON.parse(row.report);
  if (row.status !== 'done') throw new Error(`import ${row.status}: ${JSON.stringify(report.problems.slice(0, 5))}`);
  const cpu = process.cpuUsage(c0);
  return { upload: (t1 - t0) / 1000, job: (t2 - t1) / 1000, total: (t2 - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, report };
}

async function run(db: string) {
  const rows = entities(N, 20261203);
  const csv = Buffer.from(toCsv(rows));
  console.log(`[${db}] ${N.toLocaleString('en')} entities, CSV ${(csv.length / 1024 / 1024).toFixed(1)} MB`);
  const totals: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const env = await fresh(db);
    try {
      const x = await importOnce(env.p, 'register.csv', csv, false);
      totals.push(x.total);
      console.log(`[${db}] run ${r + 1}: ${x.total.toFixed(1)} s (upload ${x.upload.toFixed(2)} s, job ${x.job.toFixed(1)} s; CPU of this process ${x.cpu.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)}) — created ${x.report.created.toLocaleString('en')}`);
      if (r === REPS - 1) {
        // A second file over the full register: 10 % of the entities changed, 10 % new, the rest as they are.
        const next = rows.map((row, i) => (i > 0 && i % 10 === 0 ? [row[0], `${row[1]}（更名）`, ...row.slice(2)] : row));
        next.push(...entities(N / 10, 7, N).slice(1));
        const y = await importOnce(env.p, 'register-2.csv', Buffer.from(toCsv(next)), true);
        console.log(`[${db}] second file over ${N.toLocaleString('en')} entities: ${y.total.toFixed(1)} s (CPU ${y.cpu.toFixed(1)} s) — created ${y.report.created.toLocaleString('en')}, updated ${y.report.updated.toLocaleString('en')}, unchanged ${y.report.unchanged.toLocaleString('en')}`);
        if (XLSX) {
          const env2 = await fresh(db);
          try {
            const z = await importOnce(env2.p, 'register.xlsx', toXlsx(rows), false);
            console.log(`[${db}] the same as XLSX: ${z.total.toFixed(1)} s (job ${z.job.toFixed(1)} s) — created ${z.report.created.toLocaleString('en')}`);
          } catch (err) {
            console.log(`[${db}] the same as XLSX: refused (${(err as Error).message.slice(0, 200)})`);
          } finally {
            await env2.close();
          }
        }
      }
    } finally {
      await env.close();
    }
  }
  const med = median(totals);
  console.log(`[${db}] upload to done: median ${med.toFixed(1)} s, min ${Math.min(...totals).toFixed(1)} s, max ${Math.max(...totals).toFixed(1)} s (${REPS} runs)${med > 30 ? ' — OVER the 30 s target' : ''}`);
}

for (const db of DBS) await run(db);
