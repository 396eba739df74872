// Consultation benchmark (docs/performance.md, "Consultations"; issue 19's targets: a consultation
// page with 5,000 published comments renders in under 100 ms, paginated per article; 200 comments/s
// accepted with p99 under 100 ms). One server (bench/consultation-server.ts: SQLite in a temporary
// data directory, an open demo consultation, --comments published comments, 2,000 of them on the
// 3rd article), then, --runs times (default 3):
//   1. pages: each public page fetched --requests times (default 40) one after another over HTTP:
//      the consultation page, the 3rd article's page 1 and a deep page, the whole-draft page; p50/p99;
//   2. pages under load: the 3rd article's page 1 with autocannon (10 connections, --page-seconds);
//   3. submissions: POST /api/v1/consultations/{cid}/comments at --rate (default 200/s) for
//      --seconds (default 15) with 10 connections, each from its own client address
//      (X-Forwarded-For behind the trusted proxy), bodies on varied articles; accepted/s and p50/p99.
// Usage: npx tsx bench/consultation.ts [--runs 3] [--comments 5000] [--requests 40] [--rate 200] [--seconds 15] [--page-seconds 5]
// A JSON line with every figure ends the output.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannonModule from 'autocannon';
import { startBenchServer } from './server.js';
import { ARTICLE_TEXTS } from '../src/modules/decisions/demo/comments.js';

const autocannon = autocannonModule as unknown as (opts: Record<string, unknown>) => Promise<any>;
const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const runs = Number(opt('runs', '3'));
const comments = Number(opt('comments', '5000'));
const requests = Number(opt('requests', '40'));
const rate = Number(opt('rate', '200'));
const seconds = Number(opt('seconds', '15'));
const pageSeconds = Number(opt('page-seconds', '5'));

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x: number) => x.toFixed(1);

/** CPU time (user + system, ms) the server process has used so far (Linux /proc; 100 ticks a second). */
function cpuMs(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

const load0 = loadavg();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
const dir = mkdtempSync(join(tmpdir(), 'gk-bench-consultation-'));
const { port, child } = await startBenchServer(join(import.meta.dirname, 'consultation-server.ts'), { BENCH_DIR: dir, BENCH_COMMENTS: String(comments) });
const out: Record<string, unknown>[] = [];
try {
  const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8')) as { cid: number; articles: number[]; third: number };
  const base = `http://127.0.0.1:${port}`;
  const c = `/decisions/consultations/${info.cid}`;
  const deep = Math.max(1, Math.floor(Math.min(comments, 2000) / 20 / 2));
  const pages = [c, `${c}/articles/${info.third}`, `${c}/articles/${info.third}?page=${deep}`, `${c}/general`];
  for (const path of pages) {
    const res = await fetch(base + path); // warm-up, and a check
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
    if (path.includes('/articles/') && !body.includes('class="comment"')) throw new Error(`${path}: no comments shown`);
  }
  let seq = 0;
  for (let run = 1; run <= runs; run++) {
    console.log(`run ${run}/${runs}`);
    // 1. pages, one request at a time.
    for (const path of pages) {
      const ts: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(base + path);
        await res.text();
        if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
        ts.push(performance.now() - t0);
      }
      console.log(`  page ${path.replace(c, '{c}').padEnd(32)} p50 ${ms(pct(ts, 0.5))} ms, p99 ${ms(pct(ts, 0.99))} ms, max ${ms(Math.max(...ts))} ms (${requests} requests)`);
      out.push({ run, kind: 'page', path: path.replace(c, '{c}'), p50: pct(ts, 0.5), p99: pct(ts, 0.99), max: Math.max(...ts) });
    }
    // 2. the 3rd article's page under load.
    const cpu0 = cpuMs(child.pid);
    const load = await autocannon({ url: `${base}${c}/articles/${info.third}`, connections: 10, duration: pageSeconds });
    const pageCpu = (cpuMs(child.pid) - cpu0) / Math.max(1, load['2xx']);
    console.log(`  page {c}/articles/3rd under load (10 connections, ${pageSeconds}s): ${(load['2xx'] / pageSeconds).toFixed(0)} pages/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms (${load.non2xx} non-2xx), server CPU ${ms(pageCpu)} ms a page`);
    out.push({ run, kind: 'page-load', perSecond: load['2xx'] / pageSeconds, p50: load.latency.p50, p99: load.latency.p99, non2xx: load.non2xx, cpuMs: pageCpu });
    // 3. submissions at the target rate, each from its own address.
    const reqs = [
      {
        method: 'POST',
        path: `/api/v1/consultations/${info.cid}/comments`,
        setupRequest: (req: Record<string, unknown>) => {
          const i = ++seq;
          const article = i % 5 === 0 ? null : info.articles[i % info.articles.length];
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
            body: JSON.stringify({ articleId: article, name: i % 2 ? '李明' : '', phone: i % 3 === 0 ? '13912345678' : '', body: `${ARTICLE_TEXTS[i % ARTICLE_TEXTS.length]}（压测${i}）` }),
          };
        },
      },
    ];
    const cpu1 = cpuMs(child.pid);
    const r = await autocannon({ url: base, connections: 10, duration: seconds, overallRate: rate, requests: reqs });
    const ok = r['2xx'];
    const subCpu = (cpuMs(child.pid) - cpu1) / Math.max(1, ok);
    console.log(`  submissions at ${rate}/s for ${seconds}s (10 connections): ${(ok / seconds).toFixed(0)}/s accepted (${ok} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts), p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, server CPU ${ms(subCpu)} ms a comment`);
    out.push({ run, kind: 'submit', rate, seconds, accepted: ok, perSecond: ok / seconds, non2xx: r.non2xx, errors: r.errors, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, cpuMs: subCpu });
  }
} finally {
  await stop(child);
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(JSON.stringify({ consultation: { comments, runs, results: out } }));
