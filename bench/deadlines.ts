// Calendar and deadlines benchmark: `npx tsx bench/deadlines.ts`
// 1) 100,000 due-date computations (target < 1 s);
// 2) the supervision dashboard with 100,000 open clocks (target < 300 ms), in a temporary data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import { buildApp } from '../src/app.js';
import { addWorkdays, loadCalendar, subtractWorkdays, todayShanghai } from '../src/platform/calendar/index.js';
import { createApiToken } from '../src/platform/auth/identity.js';

function dates(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(new Date(Date.UTC(2025, 0, 1) + (i % 700) * 86400000).toISOString().slice(0, 10));
  return out;
}

const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-'));
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl: process.env.DATABASE_URL || null, demo: true, logLevel: 'silent' });
const p = await openPlatform(config);
await loadCalendar(p.db);

const starts = dates(100_000);
for (const explain of [true, false]) {
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < starts.length; i++) x += addWorkdays(starts[i], 1 + (i % 40), { explain }).due.length;
  const ms = performance.now() - t0;
  console.log(`100,000 addWorkdays (1..40 wd${explain ? ', with explanation' : ', due date only'}): ${ms.toFixed(0)} ms ${x > 0 ? '' : '!'}`);
}

// Seed 100,000 open clocks with a bulk insert.
const depts = (await p.db.selectFrom('departments').select('id').execute()).map((d) => d.id);
const today = todayShanghai();
const t1 = performance.now();
const now = new Date().toISOString();
for (let b = 0; b < 100; b++) {
  const rows = [];
  for (let i = 0; i < 1000; i++) {
    const k = b * 1000 + i;
    const start = subtractWorkdays(today, k % 30);
    rows.push({
      subject_type: 'bench', subject_id: String(k), title: `基准测试事项 ${k}`, url: `/bench/${k}`, public_subject: 0, department_id: depts[k % depts.length], responsible_user_id: null,
      rule_code: 'request.reply', rule_version: 1, start_date: start, due_date: addWorkdays(start, 20, { explain: false }).due, provisional: 0, state: k % 50 === 0 ? 'paused' : 'running', status: 'normal',
      extension_days: 0, extensions: 0, notified: '', closed_on: null, stop_reason: null, created_at: now, updated_at: now,
    } as const);
  }
  await p.db.insertInto('clocks').values(rows as any).execute();
}
console.log(`seeded 100,000 open clocks in ${(performance.now() - t1).toFixed(0)} ms (${p.dialect})`);

const app = await buildApp(p, { logger: false });
await app.ready();
const u = await p.db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow();
const token = (await createApiToken(p.db, u.id, 'bench')).token;
const times: number[] = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const r = await app.inject({ url: '/admin/supervision', headers: { authorization: `Bearer ${token}` } });
  times.push(performance.now() - t);
  if (r.statusCode !== 200) throw new Error(`dashboard answered ${r.statusCode}`);
}
times.sort((a, b) => a - b);
console.log(`supervision dashboard with 100,000 open clocks: median ${times[3].toFixed(0)} ms, best ${times[0].toFixed(0)} ms, worst ${times[6].toFixed(0)} ms (7 renders)`);
const t2 = performance.now();
const { runScan } = await import('../src/modules/supervision/service.js');
const s = await runScan(p, today);
console.log(`scan of 100,000 clocks: ${(performance.now() - t2).toFixed(0)} ms (${s.changed} status changes, ${s.notified} notifications enqueued)`);
await app.close();
await p.close();
rmSync(dataDir, { recursive: true, force: true });
