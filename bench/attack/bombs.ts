// i. zip bombs: a DOCX whose word/document.xml and an XLSX whose first sheet inflate to ~700 MB
//    (deflate level 9: ~0.7 MB on the wire), uploaded wherever documents are accepted, while
//    /healthz is polled every 20 ms; the server's RSS is read from /proc before and after.
import { crc32, createDeflateRaw } from 'node:zlib';
import { Zip, ZipPassThrough, strToU8, type ZipInputFile } from 'fflate';
import { sleep, type Client, type Run } from './core.js';
import type { Fixtures } from './routes.js';

const INFLATED = 700 * 1024 * 1024;

/** The ~700 MB part, deflated once (zlib, level 9: seconds instead of fflate's tens of seconds). */
async function deflated(prefix: string, suffix: string): Promise<{ chunks: Buffer[]; size: number; crc: number }> {
  const d = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => d.on('end', r));
  const block = Buffer.alloc(1 << 20, 0x61);
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  let crc = crc32(head);
  d.write(head);
  for (let n = 0; n < INFLATED; n += block.length) {
    d.write(block);
    crc = crc32(block, crc);
  }
  d.end(tail);
  crc = crc32(tail, crc);
  await done;
  return { chunks, size: head.length + INFLATED + tail.length, crc };
}

/** A zip (fflate's container) with the bomb part, a content-types part and a nonce (distinct bytes per upload). */
function zipOf(name: string, bomb: { chunks: Buffer[]; size: number; crc: number }, nonce: string): Buffer {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  const small = (n: string, text: string) => {
    const f = new ZipPassThrough(n);
    zip.add(f);
    f.push(strToU8(text), true);
  };
  small('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  const big = { filename: name, size: bomb.size, crc: bomb.crc, compression: 8 } as ZipInputFile; // already deflated
  zip.add(big);
  bomb.chunks.forEach((c, i) => big.ondata!(null, new Uint8Array(c), i === bomb.chunks.length - 1));
  small(`docProps/${nonce}.txt`, nonce);
  zip.end();
  return Buffer.concat(out);
}

export async function zipBombs(run: Run, admin: Client, fx: Fixtures): Promise<void> {
  const t0 = Date.now();
  const docx = await deflated('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>', '</w:t></w:r></w:p></w:body></w:document>');
  const xlsx = await deflated('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>', '</t></is></c></row></sheetData></worksheet>');
  let n = 0;
  const bomb = (kind: 'docx' | 'xlsx') => (kind === 'docx' ? zipOf('word/document.xml', docx, `n${++n}`) : zipOf('xl/worksheets/sheet1.xml', xlsx, `n${++n}`));
  run.note(`bombs built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(bomb('docx').length / 1024).toFixed(0)} KB → ${(INFLATED / 2 ** 20).toFixed(0)} MB each`);

  const multipart = (file: Buffer, name: string, fields: Record<string, string> = {}) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    f.append('file', new Blob([new Uint8Array(file)]), name);
    return f;
  };
  const uploads: [string, () => Promise<number>][] = [
    ['POST /api/v1/files (DOCX)', async () => (await run.req('POST', '/api/v1/files', { as: admin, body: multipart(bomb('docx'), 'bomb.docx'), hostile: true, timeoutMs: 120_000 })).status],
    ['POST /api/v1/files (XLSX)', async () => (await run.req('POST', '/api/v1/files', { as: admin, body: multipart(bomb('xlsx'), 'bomb.xlsx'), hostile: true, timeoutMs: 120_000 })).status],
    ['POST /api/v1/lists/attachments (XLSX, base64)', async () => (await run.req('POST', '/api/v1/lists/attachments', { as: admin, json: { filename: 'bomb.xlsx', content: bomb('xlsx').toString('base64') }, hostile: true, timeoutMs: 120_000 })).status],
    [`POST /api/v1/lists/…/import (XLSX, dry run)`, async () => (await run.req('POST', `/api/v1/lists/${fx.type}/lists/${fx.listId}/import`, { as: admin, json: { filename: 'bomb.xlsx', content: bomb('xlsx').toString('base64'), reason: 'x', docNo: 'x', dryRun: true }, hostile: true, timeoutMs: 120_000 })).status],
    ['POST /admin/catalog/import (XLSX, dry run)', async () => (await run.req('POST', '/admin/catalog/import', { as: admin, body: multipart(bomb('xlsx'), 'bomb.xlsx', { dryRun: '1' }), hostile: true, timeoutMs: 120_000 })).status],
  ];
  const rssBefore = run.server.rssMb();
  let peakRss = rssBefore;
  let worst = 0; // the longest /healthz answer over all uploads (ms)
  for (const [what, upload] of uploads) {
    if (run.timeLeft() < 15_000 || !run.server.alive()) {
      run.note(`not run: ${what} (${run.server.alive() ? 'time budget' : 'server down'})`);
      continue;
    }
    let polling = true;
    let maxMs = 0;
    let failures = 0;
    const poller = (async () => {
      while (polling) {
        const r = await run.req('GET', '/healthz', { quiet: true, timeoutMs: 60_000 });
        maxMs = Math.max(maxMs, r.ms);
        if (r.status !== 200) failures++;
        peakRss = Math.max(peakRss, run.server.rssMb());
        await sleep(20);
      }
    })();
    const t = Date.now();
    const status = await upload();
    const took = Date.now() - t;
    await sleep(300); // a last poll after the answer
    polling = false;
    await poller;
    worst = Math.max(worst, maxMs);
    const bad = maxMs > 1000 || status >= 500 || status === 0 || failures > 0;
    if (bad) run.leak(`${what} → ${status || 'no answer'} after ${took} ms; /healthz max ${maxMs.toFixed(0)} ms${failures ? `, ${failures} failed` : ''}`);
    run.note(`${what}: ${status || 'no answer'} in ${took} ms, /healthz max ${maxMs.toFixed(0)} ms, RSS now ${run.server.rssMb().toFixed(0)} MB`);
    if (!run.server.alive()) run.note('the server died');
  }
  run.summary(`${uploads.length} uploads of ${(INFLATED / 2 ** 20).toFixed(0)} MB bombs: /healthz max ${worst.toFixed(0)} ms; server RSS before ${rssBefore.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB, after ${run.server.rssMb().toFixed(0)} MB`);
}
