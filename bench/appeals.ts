// Appeals benchmark (docs/performance.md, "Appeals"):
//   1. sustained submissions over HTTP on SQLite: POST /api/v1/appeals at a fixed rate
//      (--rate, default 500/s) for --seconds (default 20), p50/p99 latency and errors;
//   2. the public board with --board-n published appeals (default 1,000,000, bulk-inserted into
//      a temporary data directory): time to render filtered pages over HTTP.
// Usage: npx tsx bench/appeals.ts [--rate 500] [--seconds 20] [--connections 10] [--board-n 1000000] [--skip-submit] [--skip-board]
// --rate 0: as many submissions as the connections get answered (no fixed rate). The submission
// figures are also printed as one JSON line ({"submissions": …}; bench/compare.ts reads it).
import type { ChildProcess } from 'node:child_process';
import { startBenchServer } from './server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannonModule from 'autocannon';

const autocannon = autocannonModule as unknown as (opts: Record<string, unknown>) => Promise<any>;
const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const rate = Number(opt('rate', '500'));
const seconds = Number(opt('seconds', '20'));
const boardN = Number(opt('board-n', '1000000'));

const startServer = (dir: string, env: Record<string, string>) => startBenchServer(join(import.meta.dirname, 'appeals-server.ts'), { BENCH_DIR: dir, ...env });

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

if (!args.includes('--skip-submit')) {
  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-appeals-'));
  const { port, child } = await startServer(dir, { GONGKAI_APPEALS_RATE_LIMIT: '100000000' });
  try {
    const body = JSON.stringify({ type: 'complaint', category: 'noise', title: '夜间施工噪音扰民', content: '幸福路工地每天晚上11点后仍在施工，噪音很大，严重影响居民休息，请查处。', address: '示范新区幸福路12号', contactName: '张建国', contactPhone: '13812345678', consent: true });
    const req = { method: 'POST', path: '/api/v1/appeals', headers: { 'content-type': 'application/json' }, body };
    const overallRate = rate > 0 ? rate : undefined;
    const connections = Number(opt('connections', '10'));
    await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 2, overallRate, requests: [req] }); // warm-up
    const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections, duration: seconds, overallRate, requests: [req] });
    const ok = r['2xx'];
    console.log(`submissions: ${rate > 0 ? `target ${rate}/s` : 'no fixed rate'} for ${seconds}s, ${connections} connections → ${(ok / seconds).toFixed(0)}/s accepted (${ok} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)`);
    console.log(`  latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
    console.log(JSON.stringify({ submissions: { rate, seconds, connections, accepted: ok, perSecond: ok / seconds, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max } } }));
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!args.includes('--skip-board')) {
  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-board-'));
  const { port, child } = await startServer(dir, { BENCH_BOARD_N: String(boardN) });
  try {
    const base = `http://127.0.0.1:${port}`;
    const pages = ['/appeals/board', '/appeals/board?type=complaint', '/appeals/board?category=noise&page=3', '/appeals/board?department=zjj&type=suggest', '/appeals/board?month=2025-06&category=wages', '/appeals/board?type=praise&category=tourism&department=whly', '/appeals/board?page=500'];
    const timings: Record<string, number[]> = {};
    for (const path of pages) {
      await fetch(base + path).then((r) => r.text()); // warm
      timings[path] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        const res = await fetch(base + path);
        await res.text();
        if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
        timings[path].push(performance.now() - t0);
      }
    }
    console.log(`board with ${boardN.toLocaleString('en')} published appeals (SQLite), full page render over HTTP, 15 runs each:`);
    for (const [path, ts] of Object.entries(timings)) {
      const s = [...ts].sort((a, b) => a - b);
      console.log(`  ${path.padEnd(58)} median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`);
    }
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
