// The HTTP server for the consultation benchmark (bench/consultation.ts): the whole product on
// 127.0.0.1 and a free port (printed as "PORT n"), SQLite in BENCH_DIR, the demo district's
// departments, one open demo consultation (demoConsultation: 10–20 articles) and BENCH_COMMENTS
// (default 5,000) published comments bulk-inserted straight into SQLite — BENCH_THIRD of them
// (default 2,000) on the 3rd article, the rest spread over the other articles and the whole draft.
// Behind a trusted proxy (GONGKAI_TRUST_PROXY=1), so each submission may come from its own client
// address (X-Forwarded-For) as citizens' do, and the per-address budget is spent as in production.
// Writes BENCH_DIR/info.json ({ cid, articles, third }) before printing the port.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { createPlatform } from '../src/platform/platform.js';
import { MODULES } from '../src/modules/index.js';
import { loadDemoOrg } from '../src/modules/org/demo.js';
import { createDecision } from '../src/modules/decisions/service/decisions.js';
import { demoConsultation } from '../src/modules/decisions/demo/consultations.js';
import { ARTICLE_TEXTS, GENERAL_TEXTS } from '../src/modules/decisions/demo/comments.js';
import { seededRandom } from '../src/platform/random.js';

const dataDir = process.env.BENCH_DIR!;
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off', GONGKAI_TRUST_PROXY: '1' }, { dataDir, databaseUrl: null, demo: false, logLevel: 'silent' });
const p = await createPlatform(config, { modules: MODULES });
await loadDemoOrg(p);
const dept = await p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow();
const d = await createDecision(p, 'demo', { departmentId: dept.id, year: 2026, title: '示范新区城市公园管理办法', basis: '《重大行政决策程序暂行条例》' });
const { id: cid } = await demoConsultation(p, d.id, { state: 'open', seed: 11 });
const articles = (await p.db.selectFrom('dec_articles').select('id').where('consultation_id', '=', cid).orderBy('seq').execute()).map((a) => a.id);
const third = articles[2];
const n = Number(process.env.BENCH_COMMENTS ?? 5000);
const onThird = Math.min(n, Number(process.env.BENCH_THIRD ?? 2000));
if (n > 0 && p.dbh.sqlite) {
  const t0 = Date.now();
  const r = seededRandom(42);
  const others = articles.filter((a) => a !== third);
  const ins = p.dbh.sqlite.prepare(
    `insert into dec_comments (consultation_id, article_id, name, email, phone, verified, body, status, hide_reason, moderated_by, moderated_at, group_id, disposition, disposition_reason, client_hash, notified_at, created_at)
     values (?, ?, ?, '', '', 0, ?, 'published', '', 'demo', ?, null, '', '', '', null, ?)`,
  );
  const start = Date.now() - 3 * 86400_000;
  p.dbh.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const article = i < onThird ? third : r() < 0.15 ? null : others[Math.floor(r() * others.length)];
      const pool = article === null ? GENERAL_TEXTS : ARTICLE_TEXTS;
      const at = new Date(start + Math.floor((i / n) * 3 * 86400_000)).toISOString();
      ins.run(cid, article, r() < 0.5 ? '王建国' : '', `${pool[Math.floor(r() * pool.length)]}（第${i + 1}条意见）`, at, at);
    }
  })();
  p.dbh.sqlite.exec('analyze');
  process.stderr.write(`seeded ${n} published comments (${onThird} on the 3rd article) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
writeFileSync(join(dataDir, 'info.json'), JSON.stringify({ cid, articles, third }));
const app = await buildApp(p, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await p.close();
  process.exit(0);
});
