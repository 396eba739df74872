// Start-up benchmark: process start → first /healthz 200 on the embedded default (SQLite) with
// the demo data already created, and the idle RSS of the server afterwards.
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 7);
const bin = join(import.meta.dirname, '..', 'bin', 'gongkai.js');
const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-bench-startup-'));
const env = { ...process.env, GONGKAI_DATA_DIR: dataDir, GONGKAI_LOG_LEVEL: 'warn', GONGKAI_DEMO: '1' };
delete env.DATABASE_URL;

// Create the demo data once (not measured).
const prep = spawnSync(process.execPath, [bin, 'demo'], { env, encoding: 'utf8' });
if (prep.status !== 0) throw new Error(prep.stderr);

// One warm-up start (not measured): the first server run after `gongkai demo` works off the
// jobs the demo enqueued (search indexing, clocks), which is not start-up work.
{
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...env, PORT: '30999' }, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 15000));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const times = [];
const rss = [];
for (let i = 0; i < runs; i++) {
  const port = 31000 + i;
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (performance.now() - t0 > 20_000) throw new Error('server did not become healthy within 20 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  times.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 3000)); // idle
  rss.push(rssKb(child.pid) / 1024);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}
rmSync(dataDir, { recursive: true, force: true });
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`start → /healthz 200 (ms), ${runs} runs: median ${median.toFixed(0)}, min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}   target < 1500`);
console.log(`idle RSS (MB) after 3 s: median ${[...rss].sort((a, b) => a - b)[Math.floor(rss.length / 2)].toFixed(0)}, max ${Math.max(...rss).toFixed(0)}   target < 150`);
