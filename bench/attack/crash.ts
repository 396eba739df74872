// k. writes lost: appeal submissions from several clients while the server is killed with SIGKILL
//    twice and started again; every submission answered 201 must be found afterwards by its
//    tracking number and query code. (The shared PostgreSQL server is never touched.)
import { sleep, type Run } from './core.js';
import { APPEAL, type Submitted } from './appeals.js';

export async function writesLost(run: Run): Promise<void> {
  const acked: Submitted[] = [];
  let sent = 0;
  let errors5xx = 0;
  let stop = false;
  const loader = async () => {
    while (!stop) {
      sent++;
      const r = await run.req('POST', '/api/v1/appeals', { json: { ...APPEAL, title: `写入测试 ${sent}` }, ip: run.newIp(), quiet: true, timeoutMs: 10_000 });
      if (r.status === 201) acked.push({ no: r.json()?.trackingNo, code: r.json()?.queryCode });
      else if (r.status >= 500) errors5xx++;
      if (r.status !== 201) await sleep(50);
    }
  };
  const loaders = Array.from({ length: 6 }, loader);
  const downs: number[] = [];
  for (let kill = 0; kill < 2; kill++) {
    await sleep(3000);
    const before = acked.length;
    run.sec.hostile++; // the attack here is the kill, not the load
    await run.server.kill9();
    const t = Date.now();
    await run.server.start();
    downs.push(Date.now() - t);
    run.note(`kill -9 #${kill + 1} after ${before} acknowledged submissions; back in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  await sleep(2000);
  stop = true;
  await Promise.all(loaders);
  if (errors5xx) {
    run.sec.s5xx += errors5xx;
    run.offend(`${errors5xx} submissions answered 5xx`);
  }
  // Every acknowledged submission, looked up as its citizen would (an address per 40 look-ups).
  let ip = run.newIp();
  let missing = 0;
  for (const [i, s] of acked.entries()) {
    if (i % 40 === 0) ip = run.newIp();
    let r = await run.req('GET', `/api/v1/appeals/${s.no}?code=${s.code}`, { ip });
    if (r.status === 429) r = await run.req('GET', `/api/v1/appeals/${s.no}?code=${s.code}`, { ip: (ip = run.newIp()) });
    if (r.status !== 200) {
      missing++;
      run.lost(`${s.no} (acknowledged 201) → ${r.status} after the restarts`);
    }
  }
  run.summary(`${sent} submissions sent by 6 clients (not counted as hostile), ${acked.length} acknowledged, ${missing} of them missing afterwards`);
}
