// The HTTP server for the appeals benchmark: the whole product (no demo appeals) on 127.0.0.1
// and a free port (printed as "PORT n"), with the demo district's departments and the dispatch
// catalogue. BENCH_BOARD_N > 0 first bulk-inserts that many published appeals (1,000,000 for
// the board benchmark) straight into SQLite.
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { createPlatform } from '../src/platform/platform.js';
import { MODULES } from '../src/modules/index.js';
import { loadDemoOrg } from '../src/modules/org/demo.js';
import { loadDemoCatalogue, DEMO_CATEGORIES } from '../src/modules/appeals/demo.js';
import { APPEAL_TYPES } from '../src/modules/appeals/schema.js';

const dataDir = process.env.BENCH_DIR!;
// The submission bench raises the per-address limit (GONGKAI_APPEALS_RATE_LIMIT): all its requests come from 127.0.0.1.
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off', GONGKAI_APPEALS_RATE_LIMIT: process.env.GONGKAI_APPEALS_RATE_LIMIT }, { dataDir, databaseUrl: null, demo: false, logLevel: 'silent' });
const p = await createPlatform(config, { modules: MODULES });
if (!(await p.db.selectFrom('departments').select('id').executeTakeFirst())) {
  await loadDemoOrg(p);
  await p.tx((t) => loadDemoCatalogue(p, t));
}
const n = Number(process.env.BENCH_BOARD_N ?? 0);
if (n > 0 && p.dbh.sqlite) {
  const have = Number((p.dbh.sqlite.prepare('select count(*) as n from appeals').get() as { n: number }).n);
  if (have < n) {
    const t0 = Date.now();
    const depts = (p.dbh.sqlite.prepare('select id from departments').all() as { id: number }[]).map((d) => d.id);
    const ins = p.dbh.sqlite.prepare(
      `insert into appeals (tracking_no, code_hash, type, category, title, content, address, contact_name, contact_phone, contact_email, consent, channel, status, department_id, reply, resolved, replied_at, closed_at, rating, media, publish_state, pub_item_id, title_masked, content_masked, reply_masked, published_at, created_at, updated_at, month, reopen_count, urge_count, phone_verified, email_verified)
       values (?, '', ?, ?, ?, ?, '', '', '', '', 1, 'web', 'closed', ?, ?, 1, ?, ?, ?, '[]', 'published', ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)`,
    );
    const start = Date.parse('2023-12-01T00:00:00Z');
    const span = Date.now() - start;
    let s = 42;
    const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const batch = p.dbh.sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const created = new Date(start + Math.floor((i / n) * span));
        const iso = created.toISOString();
        const cat = DEMO_CATEGORIES[Math.floor(r() * DEMO_CATEGORIES.length)];
        const type = APPEAL_TYPES[Math.floor(r() * APPEAL_TYPES.length)];
        const title = `${cat[2]}问题反映 第${i}号`;
        const content = `关于${cat[2]}的诉求内容，地点在示范新区某路段，请相关部门尽快处理。编号${i}。`;
        const reply = '经核查已处理完毕，感谢您的监督。';
        const replied = new Date(created.getTime() + 3 * 86_400_000).toISOString();
        ins.run(`SQ${iso.slice(0, 10).replace(/-/g, '')}${String(i + 1000).padStart(7, '0')}`, type, cat[0], title, content, depts[Math.floor(r() * depts.length)], reply, replied, replied, 'satisfied', i + 1, title, content, reply, replied, iso, replied, iso.slice(0, 7));
      }
    });
    for (let i = have; i < n; i += 20000) batch(i, Math.min(n, i + 20000));
    p.dbh.sqlite.exec('analyze');
    process.stderr.write(`seeded ${n - have} appeals in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}
const app = await buildApp(p, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await p.close();
  process.exit(0);
});
