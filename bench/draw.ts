// Draw benchmark (issue 18, deliverable 4): `npm run bench:draw -- [--entities 100000] [--inspectors 500] [--n 5000] [--k 2] [--reps 7] [--browser]`.
// A deterministic pool: `--entities` credit codes (GB 32100 check character), `--inspectors`
// inspectors (9 in 10 with the matter's field), 2,000 conflicts (回避) on random pairs; the inputs
// are handed over unsorted, as a workflow reading its tables would. Times, `--reps` times after one
// warm-up: computeDraw (sort, seed, stream, shuffles), verifyDraw on the published record (format
// check, commitments, the same re-run and the comparison), and web/static/draw-verify.js's verify
// in node's vm (the browser's code on V8, without a browser). Prints the median and min–max of the
// wall time and of the CPU time (user + system; steadier on a shared machine). Target: the draw < 1 s.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { seededRandom } from '../src/platform/random.js';
import { commitment, computeDraw, normaliseInputs, verifyDraw, type DrawInputs } from '../src/modules/enforcement/service/draw.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : def);
};
const ENTITIES = arg('entities', '100000');
const INSPECTORS = arg('inspectors', '500');
const N = arg('n', '5000');
const K = arg('k', '2');
const REPS = Math.max(3, arg('reps', '7'));
const CONFLICTS = 2000;

const rand = seededRandom(20260301);
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A 统一社会信用代码 of a company in the district, with its check character. */
function creditCode(): string {
  let body = `91110108${'MA0'}`;
  while (body.length < 17) body += CHARS[Math.floor(rand() * 31)];
  const sum = [...body].reduce((s, c, i) => s + CHARS.indexOf(c) * WEIGHTS[i], 0);
  return body + CHARS[(31 - (sum % 31)) % 31];
}

const codes = new Set<string>();
while (codes.size < ENTITIES) codes.add(creditCode());
const targets = [...codes];
const inspectors = Array.from({ length: INSPECTORS }, (_, i) => ({
  certNo: `1101${String(10000 + ((i * 7919) % 90000)).padStart(5, '0')}${String(i).padStart(4, '0')}`,
  department: ['scjgj', 'wsj', 'yjglj', 'whlyj'][i % 4],
  fields: rand() < 0.9 ? ['market', 'food'] : ['safety'],
}));
const conflicts = Array.from({ length: CONFLICTS }, () => [inspectors[Math.floor(rand() * INSPECTORS)].certNo, targets[Math.floor(rand() * ENTITIES)]] as [string, string]);
const secrets = ['4827193755210096', '见证人二的密钥-2026'];
const inputs: DrawInputs = { task: 1, targets, inspectors, conflicts, sampleSize: N, perTarget: K, field: 'market', secrets, beacon: '' };

/** Wall time and CPU time (user + system of this process) of one call, in ms. */
function time(f: () => unknown): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}
function report(label: string, f: () => unknown) {
  f(); // warm-up
  const runs = Array.from({ length: REPS }, () => time(f));
  const stat = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return `${xs[Math.floor(xs.length / 2)].toFixed(0)} ms (${xs[0].toFixed(0)}–${xs[xs.length - 1].toFixed(0)})`;
  };
  console.log(`${label.padEnd(40)} wall ${stat(runs.map((r) => r.wall)).padEnd(20)} CPU ${stat(runs.map((r) => r.cpu))}`);
}

console.log(`gongkai-draw/1: ${ENTITIES} entities, ${INSPECTORS} inspectors, n = ${N}, k = ${K}, ${CONFLICTS} conflicts; ${REPS} runs after a warm-up`);
const { seed, selection } = computeDraw(inputs);
const n = normaliseInputs(inputs);
const record = { format: 'gongkai-draw/1', status: 'done', ...n, witnesses: secrets.map((s, i) => ({ name: `见证人${i + 1}`, commitment: commitment(s) })), seed, selection, preparedAt: '2026-03-01T10:00:00+08:00', drawnAt: '2026-03-02T15:30:00+08:00' };
const text = JSON.stringify(record);
console.log(`record: ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB of JSON; seed ${seed}`);

const ctx = { window: {} as Record<string, unknown>, document: { getElementById: () => null }, TextEncoder, Map, Set };
vm.createContext(ctx);
vm.runInContext(readFileSync(new URL('../web/static/draw-verify.js', import.meta.url), 'utf8'), ctx);
const browser = ctx.window.GongkaiDraw as { verify(r: unknown): { match: boolean } };

report('computeDraw (the draw)', () => computeDraw(inputs));
report('verifyDraw (CLI and API side re-run)', () => {
  if (!verifyDraw(record).match) throw new Error('no match');
});
report('draw-verify.js verify (in vm)', () => {
  if (!browser.verify(JSON.parse(text)).match) throw new Error('no match in the script');
});

// With --browser: the same script in headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium),
// the record parsed from its text as the page does, timed inside the page.
if (process.argv.includes('--browser')) {
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await b.newPage();
  await page.addScriptTag({ content: readFileSync(new URL('../web/static/draw-verify.js', import.meta.url), 'utf8') });
  const ms = await page.evaluate(
    ({ text, reps }) => {
      const v = (window as unknown as { GongkaiDraw: { verify(r: unknown): { match: boolean } } }).GongkaiDraw;
      const out: number[] = [];
      for (let i = 0; i <= reps; i++) {
        const t0 = performance.now();
        if (!v.verify(JSON.parse(text)).match) throw new Error('no match in Chromium');
        if (i > 0) out.push(performance.now() - t0); // the first run warms up
      }
      return out.sort((a, c) => a - c);
    },
    { text, reps: REPS },
  );
  await b.close();
  console.log(`${'draw-verify.js verify (Chromium)'.padEnd(40)} wall ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms (${ms[0].toFixed(0)}–${ms[ms.length - 1].toFixed(0)})`);
}
