// E-mail notice benchmark (issue 20: at least 200 e-mails/s handed to a local SMTP server):
// `npm run bench:mail -- [--n 2000] [--batch 200] [--runs 3] [--concurrency 20] [--connections 5]`.
// An SMTP server (smtp-server) in this process on 127.0.0.1 that reads and counts each message
// (nothing written to disk, no AUTH or STARTTLS); then, --runs times, --n notices rendered with
// renderNoticeMail (Message-ID, List-Unsubscribe headers) and sent with sendMailBatch in batches of
// --batch, one batch after the other as the send jobs do. Prints e-mails/s per run (render + send),
// the CPU time of the process per e-mail (client and server together), the median and spread, the
// time of rendering alone, and checks that every message arrived once.
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { SMTPServer } from 'smtp-server';
import type { Platform } from '../src/platform/platform.js';
import { closeMailPools, MAIL_BATCH_CONCURRENCY, MAIL_POOL_CONNECTIONS, noticeMessage, noticeMessageId, sendMailBatch } from '../src/platform/channels/email.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : def);
};
const N = arg('n', 2000);
const BATCH = arg('batch', 200);
const RUNS = arg('runs', 3);
const CONCURRENCY = arg('concurrency', MAIL_BATCH_CONCURRENCY);
const CONNECTIONS = arg('connections', MAIL_POOL_CONNECTIONS);

const seen = new Map<string, number>();
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, cb) {
    let head = '';
    stream.on('data', (c: Buffer) => {
      if (head.length < 8192) head += c.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '?';
      seen.set(id, (seen.get(id) ?? 0) + 1);
      cb();
    });
  },
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.server.address() as AddressInfo).port;
// The batch sender reads only the mailer's settings of the platform.
const p = { config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'noreply@gk.example.gov.cn', dataDir: '/nonexistent' } } as unknown as Platform;

const BASE = 'https://gk.example.gov.cn';
const DEPTS = ['区发展和改革局', '区市场监督管理局', '区交通运输局', '区教育局', '区卫生健康委员会'];
function message(run: number, i: number) {
  const itemId = 1000 + (i % 400);
  return noticeMessage(
    `reader${i}@example.com`,
    {
      kind: 'notice',
      site: '示范新区',
      item: {
        title: `关于做好2026年冬季供暖保障工作的通知（第${i}号）`,
        indexNo: `11330100MB0000000X/2026-${String(itemId).padStart(5, '0')}`,
        department: DEPTS[i % DEPTS.length],
        publishedAt: '2026-12-02T18:30:00.000Z',
        summary: '明确供暖时间、价格标准与投诉渠道，请相关单位认真贯彻执行。',
        url: `${BASE}/catalog/items/${itemId}/versions/2`,
      },
      subscription: DEPTS[i % DEPTS.length],
      manageUrl: `${BASE}/subscriptions/manage/t${i}`,
      unsubscribeUrl: `${BASE}/subscriptions/u/t${i}`,
    },
    noticeMessageId(run * 1_000_000 + i, itemId, 2, 'gk.example.gov.cn'),
  );
}

console.log(`mail bench: n=${N}, batches of ${BATCH}, concurrency ${CONCURRENCY}, ${CONNECTIONS} connections; ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
// Warm-up, one batch: opens the pool's connections and lets the JIT compile the renderer, the client and the server.
await sendMailBatch(p, Array.from({ length: BATCH }, (_, i) => message(99, i)), { concurrency: CONCURRENCY, connections: CONNECTIONS });
const rates: number[] = [];
const cpuPer: number[] = [];
let failed = 0;
for (let run = 1; run <= RUNS; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let from = 0; from < N; from += BATCH) {
    const msgs = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) msgs.push(message(run, i));
    const res = await sendMailBatch(p, msgs, { concurrency: CONCURRENCY, connections: CONNECTIONS });
    failed += res.filter((r) => !r.ok).length;
  }
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  rates.push(N / s);
  cpuPer.push((c.user + c.system) / 1000 / N);
  console.log(`run ${run}: ${N} e-mails in ${s.toFixed(2)} s = ${(N / s).toFixed(0)} e-mails/s; CPU (client and server) ${((c.user + c.system) / 1000 / N).toFixed(2)} ms an e-mail`);
}
const once = [...seen.entries()].filter(([id]) => !id.startsWith('<d99000')); // the warm-up's ids left out
const dup = once.filter(([, n]) => n !== 1).length;
const sorted = [...rates].sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} e-mails/s (min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}); target ≥ 200/s; received ${once.length} of ${N * RUNS}, ${dup} more than once, ${failed} failed; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
// Rendering alone (subject, text and HTML), for the share of the CPU it takes.
const r0 = performance.now();
for (let i = 0; i < N; i++) message(0, i);
console.log(`rendering alone: ${((performance.now() - r0) / N).toFixed(3)} ms a message`);
console.log(JSON.stringify({ n: N, batch: BATCH, concurrency: CONCURRENCY, connections: CONNECTIONS, rates: rates.map((r) => Math.round(r)), cpuMsPerEmail: cpuPer.map((x) => +x.toFixed(2)) }));
closeMailPools();
await new Promise<void>((r) => server.close(() => r()));
