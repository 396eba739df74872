#!/usr/bin/env node
// Catalog performance: item page, catalog list page and GET /api/v1/documents against a
// constant response, measured in the same run on the same server (127.0.0.1 only).
//
//   npm run build
//   GONGKAI_DATA_DIR=/tmp/gk-bench-catalog node bin/gongkai.js demo
//   GONGKAI_DATA_DIR=/tmp/gk-bench-catalog node bin/gongkai.js demo --documents 100000
//   node bench/catalog.mjs /tmp/gk-bench-catalog [seconds=10] [connections=50] [routes=constant,item,list,api]
//
// The last line printed is the results as JSON (bench/compare.ts reads it).
//
// Targets (issue 4): item page ≥ 70 % of the constant's requests/s with p99 < 20 ms; the
// catalog list page and the API list ≥ 40 %.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

const dataDir = process.argv[2] ?? '/tmp/gk-bench-catalog';
const duration = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 50);
const routes = (process.argv[5] ?? 'constant,item,list,api').split(',');
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;

// The compiled server, as in production (`npm run build` first).
const server = spawn(process.execPath, ['bin/gongkai.js', 'serve'], {
  env: { ...process.env, GONGKAI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', GONGKAI_LOG_LEVEL: 'warn', GONGKAI_BENCH: '1', GONGKAI_WORKER: 'off' },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {}
};
process.on('exit', stop);
// The server runs in its own process group: stop it when this script is interrupted too.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

async function waitUp() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function run(key, title, paths) {
  return new Promise((resolve, reject) => {
    let i = 0;
    const inst = autocannon(
      {
        url: base,
        connections,
        duration,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
      },
      (err, res) => (err ? reject(err) : resolve({ key, title, rps: res.requests.average, p99: res.latency.p99, p50: res.latency.p50, non2xx: res.non2xx, errors: res.errors })),
    );
    void inst;
  });
}

await waitUp();
const list = await (await fetch(`${base}/api/v1/documents?pageSize=100`)).json();
const total = list.total;
// 1,000 item ids spread over the catalog
const ids = [];
let cursor = '';
for (let k = 0; k < 10; k++) {
  const r = await (await fetch(`${base}/api/v1/documents?pageSize=100&page=${1 + k * Math.max(1, Math.floor(total / 1000))}`)).json();
  ids.push(...r.items.filter((x) => x.type === 'document').map((x) => x.id));
}
void cursor;
const itemPaths = ids.map((id) => `/catalog/items/${id}`);
const listPaths = ['/catalog', '/catalog?page=2', '/catalog?department=fgj', '/catalog?topic=04', '/catalog?year=2024', '/catalog?genre=%E9%80%9A%E7%9F%A5'];
const apiPaths = ['/api/v1/documents', '/api/v1/documents?page=2', '/api/v1/documents?department=fgj', '/api/v1/documents?topic=04&pageSize=50', '/api/v1/documents?year=2024', '/api/v1/documents?validity=repealed'];

// warm-up (fills the response cache as the first visitors would)
for (const p of [...itemPaths, ...listPaths, ...apiPaths]) await fetch(base + p).then((r) => r.arrayBuffer());

const results = [];
const phases = [
  ['constant', 'constant (/bench/constant)', ['/bench/constant']],
  ['item', `item page (${itemPaths.length.toLocaleString('en')} items)`, itemPaths],
  ['list', 'catalog list page', listPaths],
  ['api', 'GET /api/v1/documents', apiPaths],
];
for (const [key, title, paths] of phases) if (routes.includes(key)) results.push(await run(key, title, paths));
const c = results.find((r) => r.key === 'constant')?.rps;
console.log(`published items: ${total}; ${connections} connections; ${duration} s each\n`);
console.log('| route | req/s | vs constant | p50 ms | p99 ms | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.title} | ${Math.round(r.rps)} | ${c ? `${Math.round((r.rps / c) * 100)} %` : '—'} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
console.log(JSON.stringify({ published: total, items: itemPaths.length, connections, duration, results }));
stop();
process.exit(0);
