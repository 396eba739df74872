// Hostile uploads: zip bombs (a DOCX or XLSX of under 1 MB that inflates to 700 MB), an archive
// of 100,000 entries and a sheet that is slow to parse are refused with a 422 on the file field,
// store nothing, and never block the server: /healthz keeps answering while they are read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { makeDocx } from '../../src/modules/catalog/demo/samples.js';
import { sm3 } from '../../src/platform/hash.js';

let env: TestEnv;
beforeAll(async () => {
  // The default limits (50 MB inflated, 2,000 entries); 4 s for a file's text instead of 10.
  env = await makeEnv({ demo: true, overrides: { extractTimeoutMs: 4000 } });
}, 120_000);
afterAll(() => env?.close());

// The slowest /healthz answer allowed while a hostile file is read. Reading in the request's own
// thread blocked it for 16–25 s; a worker thread leaves it at the machine's usual noise (tens of
// ms; up to 1.5 s on a shared 2-core machine at load 16). The bound sits between the two, so it
// fails when reading blocks the event loop and not when the machine is busy.
const SLOW_MS = 5000;

/** A part's bytes, or `mb` MB of repeated text (declaring its true size, or `declared` bytes). */
type Part = Buffer | { repeat: string; mb: number; declared?: number };

/**
 * A zip built by hand. A `repeat` part is `mb` MB of the repeated text, deflated once per MB and
 * the blocks chained (each ends on a sync flush), so a 700 MB part costs under 1 MB and
 * milliseconds; parts of a few bytes are stored, larger ones deflated.
 */
function zip(parts: Record<string, Part>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, part] of Object.entries(parts)) {
    let data: Buffer;
    let crc = 0;
    let size: number;
    let method = 8;
    if (Buffer.isBuffer(part) && part.length < 64) {
      method = 0;
      data = part;
      crc = crc32(part);
      size = part.length;
    } else if (Buffer.isBuffer(part)) {
      data = deflateRawSync(part);
      crc = crc32(part);
      size = part.length;
    } else {
      const mb = Buffer.alloc(1 << 20, part.repeat);
      const block = deflateRawSync(mb, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
      data = Buffer.concat([...Array<Buffer>(part.mb).fill(block), Buffer.from([3, 0])]);
      for (let i = 0; i < part.mb; i++) crc = crc32(mb, crc);
      size = part.declared ?? part.mb * (1 << 20);
    }
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(crc >>> 0, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(n.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(dir, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(parts).length & 0xffff;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const TYPES = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
const docxBomb = (declared?: number) => zip({ '[Content_Types].xml': TYPES, 'word/document.xml': { repeat: 'A', mb: 700, declared } });
const xlsxBomb = () => zip({ '[Content_Types].xml': TYPES, 'xl/workbook.xml': Buffer.from('<workbook/>'), 'xl/worksheets/sheet1.xml': { repeat: ' ', mb: 700 } });

/** A one-page PDF whose content stream is Flate-compressed (given, or `lines` of text in Helvetica). */
function flatePdf(lines: string[], stream?: Buffer): Buffer {
  const content = stream ?? deflateSync(['BT', '/F1 12 Tf', '14 TL', '72 770 Td', ...lines.map((l) => `(${l}) '`), 'ET'].join('\n'));
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const out: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let pos = out[0].length;
  const add = (b: Buffer) => {
    out.push(b);
    pos += b.length;
  };
  objs.forEach((o, i) => {
    offsets.push(pos);
    add(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
  });
  offsets.push(pos);
  add(Buffer.from(`5 0 obj\n<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'));
  add(content);
  add(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  const xref = pos;
  add(Buffer.from(`xref\n0 6\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(out);
}

/** `mb` MB of spaces as one zlib stream (blocks chained as in zip() above). */
function zlibBomb(mb: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20, ' '), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(mb).fill(block), Buffer.from([3, 0, 0, 0, 0, 0])]);
}

function multipart(name: string, buf: Buffer, fields: Record<string, string> = {}) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), buf, Buffer.from(`\r\n--${b}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

/**
 * Runs `work` while /healthz is asked every 20 ms: the longest wait for an answer (from when it
 * was due) and the growth of this process's resident memory (the app runs in it) meanwhile.
 */
async function watched<T>(work: () => Promise<T>): Promise<{ result: T; slowest: number; polls: number; rssGrowth: number }> {
  const rss0 = process.memoryUsage().rss;
  let rssMax = rss0;
  let slowest = 0;
  let polls = 0;
  let done = false;
  const poll = (async () => {
    while (!done || polls < 3) {
      const due = performance.now() + 20;
      await new Promise((r) => setTimeout(r, 20));
      const h = await env.app.inject({ method: 'GET', url: '/healthz' });
      expect(h.statusCode).toBe(200);
      slowest = Math.max(slowest, performance.now() - due);
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
      polls++;
    }
  })();
  const result = await work();
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
  done = true;
  await poll;
  return { result, slowest, polls, rssGrowth: (rssMax - rss0) / 1024 / 1024 };
}

async function upload(name: string, buf: Buffer) {
  const token = await env.token('dzb-editor');
  const m = multipart(name, buf);
  return env.app.inject({ method: 'POST', url: '/api/v1/files', payload: m.payload, headers: { 'content-type': m.type, authorization: `Bearer ${token}` } });
}

async function stored(buf: Buffer) {
  const hash = sm3(buf);
  const row = await env.p.db.selectFrom('files').select('hash').where('hash', '=', hash).executeTakeFirst();
  return { row: !!row, onDisk: existsSync(join(env.dataDir, 'files', hash.slice(0, 2), hash.slice(2))) };
}

describe('zip bombs', () => {
  it('a 700 MB DOCX bomb of under 1 MB: 422 on the file field, nothing stored, /healthz fast, memory bounded', async () => {
    // Declaring its true size, and lying (1 KB): then only counting what inflates stops it.
    for (const declared of [undefined, 1024]) {
      const bomb = docxBomb(declared);
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const { result: r, slowest, rssGrowth } = await watched(() => upload('报告.docx', bomb));
      expect(r.statusCode, r.body.slice(0, 500)).toBe(422);
      expect(r.json().error.fields.file).toContain('50 MB');
      expect(await stored(bomb)).toEqual({ row: false, onDisk: false });
      expect(slowest).toBeLessThan(SLOW_MS);
      expect(rssGrowth).toBeLessThan(300);
    }
    const bomb = docxBomb();
    // the English message
    const m = multipart('a.docx', bomb);
    const en = await env.app.inject({ method: 'POST', url: '/api/v1/files', payload: m.payload, headers: { 'content-type': m.type, authorization: `Bearer ${await env.token('dzb-editor')}`, 'accept-language': 'en' } });
    expect(en.statusCode).toBe(422);
    expect(en.json().error.fields.file).toBe('The file unpacks to more than 50 MB; it was refused.');
  });

  it('a 700 MB XLSX bomb: refused as an attachment and as a list import, /healthz fast', async () => {
    const bomb = xlsxBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result: r, slowest, rssGrowth } = await watched(() => upload('表.xlsx', bomb));
    expect(r.statusCode, r.body.slice(0, 500)).toBe(422);
    expect(Object.keys(r.json().error.fields)).toEqual(['file']);
    expect(await stored(bomb)).toEqual({ row: false, onDisk: false });
    expect(slowest).toBeLessThan(SLOW_MS);
    expect(rssGrowth).toBeLessThan(300);
    const list = await watched(() =>
      env.api('POST', '/api/v1/lists/power/lists/1/import', { as: 'admin', body: { filename: 'power.xlsx', content: bomb.toString('base64'), reason: '职能调整', docNo: '示范新区编〔2026〕11号', dryRun: true } }),
    );
    expect(list.result.statusCode, list.result.body.slice(0, 500)).toBe(422);
    expect(list.result.json().error.fields.content).toContain('50 MB');
    expect(list.slowest).toBeLessThan(SLOW_MS);
  });

  it('the catalog bulk import refuses an XLSX bomb with a 422 page naming the file', async () => {
    const { cookie } = await login(env.app, 'dzb-admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/catalog/import', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const m = multipart('catalog.xlsx', xlsxBomb(), { _csrf: csrf, dryRun: '1' });
    const { result: r, slowest } = await watched(() => env.app.inject({ method: 'POST', url: '/admin/catalog/import', headers: { cookie, 'content-type': m.type }, payload: m.payload }));
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('file: 文件解压后超过 50 MB');
    expect(slowest).toBeLessThan(SLOW_MS);
    // a damaged XLSX: the import report says so (it was a server error)
    const bad = multipart('catalog.xlsx', Buffer.from('PK\x03\x04 not really a zip'), { _csrf: csrf, dryRun: '1' });
    const damaged = await env.app.inject({ method: 'POST', url: '/admin/catalog/import', headers: { cookie, 'content-type': bad.type }, payload: bad.payload });
    expect(damaged.statusCode).toBe(400);
    expect(damaged.body).toContain('无法读取该文件');
  });

  it('an archive of 100,000 entries is refused (422) without being inflated', async () => {
    const parts: Record<string, Part> = { '[Content_Types].xml': TYPES, 'word/document.xml': Buffer.from('<w:p>x</w:p>') };
    for (let i = 0; i < 100_000; i++) parts[`m/${i}`] = Buffer.from('x');
    const many = zip(parts);
    const r = await upload('many.docx', many);
    expect(r.statusCode, r.body.slice(0, 500)).toBe(422);
    expect(r.json().error.fields.file).toContain('2000');
    expect(await stored(many)).toEqual({ row: false, onDisk: false });
  });

  it('a sheet slow to parse is stopped at the time limit (422), /healthz fast meanwhile', async () => {
    // 1.5 million cells in 36 MB of sheet XML (under the 50 MB limit, 1 MB zipped): the reader
    // (exceljs) needs many seconds for it. The worker is stopped at the 4 s limit — or, on a fast
    // machine, at its heap limit first; either way a 422 on the file and nothing stored.
    const col = (j: number) => String.fromCharCode(65 + j);
    const rows: string[] = [];
    for (let i = 1; i <= 60_000; i++) {
      let r = `<row r="${i}">`;
      for (let j = 0; j < 25; j++) r += `<c r="${col(j)}${i}"><v>${j}</v></c>`;
      rows.push(r + '</row>');
    }
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const slow = zip({
      '[Content_Types].xml': TYPES,
      'xl/workbook.xml': Buffer.from(`<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': Buffer.from('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': Buffer.from(`<worksheet ${NS}><sheetData>${rows.join('')}</sheetData></worksheet>`),
    });
    const { result: r, slowest } = await watched(() => upload('slow.xlsx', slow));
    expect(r.statusCode, r.body.slice(0, 500)).toBe(422);
    expect(r.json().error.fields.file).toMatch(/4 秒|50 MB/);
    expect(await stored(slow)).toEqual({ row: false, onDisk: false });
    expect(slowest).toBeLessThan(SLOW_MS);
    // the worker was replaced: the next file's text is read as usual
    const ok = await upload('ok.docx', makeDocx(['炸弹之后的正常文件']));
    expect(ok.statusCode).toBe(201);
    const row = await env.p.db.selectFrom('files').select('text').where('hash', '=', ok.json().hash).executeTakeFirstOrThrow();
    expect(row.text).toContain('炸弹之后的正常文件');
  }, 60_000);

  it('a PDF whose content stream inflates to 700 MB is refused (422); a compressed PDF still gives its text', async () => {
    const bomb = flatePdf([], zlibBomb(700));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result: r, slowest, rssGrowth } = await watched(() => upload('年报.pdf', bomb));
    expect(r.statusCode, r.body.slice(0, 500)).toBe(422);
    expect(r.json().error.fields.file).toContain('50 MB');
    expect(await stored(bomb)).toEqual({ row: false, onDisk: false });
    expect(slowest).toBeLessThan(SLOW_MS);
    expect(rssGrowth).toBeLessThan(300);
    const ok = await upload('report.pdf', flatePdf(['Compressed annual report', 'Requests received: 256']));
    expect(ok.statusCode, ok.body).toBe(201);
    const row = await env.p.db.selectFrom('files').select('text').where('hash', '=', ok.json().hash).executeTakeFirstOrThrow();
    expect(row.text).toContain('Requests received: 256');
  }, 60_000);

  it('the compiled code (dist/, as `gongkai serve` runs it) reads text in its own worker file', async () => {
    const dist = join(process.cwd(), 'dist', 'platform', 'files', 'index.js');
    if (!existsSync(dist)) throw new Error('run `npm run build` first (npm test does)');
    const files = await import(pathToFileURL(dist).href);
    expect(await files.extractText(env.config, makeDocx(['编译后的工作线程']), 'docx')).toContain('编译后的工作线程');
    await expect(files.extractText(env.config, docxBomb(), 'docx')).rejects.toMatchObject({ status: 422, fields: { file: 'err.file.expands' } });
  });
});
