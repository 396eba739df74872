// Photos that citizens attach to appeals are published (/appeals/media/…, Open311 media_url): what
// is served must be the picture only. A phone JPEG carries EXIF GPS (where it was taken, to the
// metre), the make, model and serial number of the phone and the time; PNG carries eXIf, tEXt,
// iTXt (XMP) and tIME chunks; WebP EXIF and XMP chunks; GIF comments and XMP. Each is submitted
// through the public form, published, fetched back as the public sees it and read byte by byte:
// no metadata left, the image still decodes, and a photo taken with the phone on its side
// (Orientation 6) is turned upright. A decompression bomb (20000×20000 pixels of one colour in a
// tiny PNG) and an undecodable "JPEG" are refused on the photos field, in Chinese and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { makeEnv, type TestEnv } from '../helpers.js';
import { submitWeb } from './util.js';
import { imageMetadata, storeFile } from '../../src/platform/files/index.js';
import { cleanAppealPhotos } from '../../src/modules/appeals/service/media.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

// ---- building images with metadata, as phones and editors write them --------------------------

const SECRETS = ['GKTestPhone', 'GK-X9 Pro', 'SN0042424242', '2026:05:17 08:31:07', 'GKSECRET'];

type Entry = { tag: number; type: 2 | 3 | 4 | 5; value: string | number | number[] };
/** A little-endian TIFF structure (the body of an EXIF segment) with IFD0, an Exif IFD and a GPS IFD. */
function tiff(ifd0: Entry[], exif: Entry[], gps: Entry[]): Buffer {
  const size = (e: Entry) => (e.type === 2 ? Buffer.byteLength(String(e.value)) + 1 : e.type === 3 ? 2 : e.type === 4 ? 4 : 8 * (e.value as number[]).length / 2);
  const ifds: Entry[][] = [ifd0, exif, gps];
  // Pointers to the sub-IFDs are filled in below.
  ifd0.push({ tag: 0x8769, type: 4, value: 0 }, { tag: 0x8825, type: 4, value: 0 });
  const offsets: number[] = [];
  let pos = 8;
  for (const ifd of ifds) {
    offsets.push(pos);
    pos += 2 + ifd.length * 12 + 4 + ifd.reduce((n, e) => n + (size(e) > 4 ? size(e) + (size(e) % 2) : 0), 0);
  }
  ifd0[ifd0.length - 2].value = offsets[1];
  ifd0[ifd0.length - 1].value = offsets[2];
  const out = Buffer.alloc(pos);
  out.write('II*\0', 0, 'latin1');
  out.writeUInt32LE(8, 4);
  ifds.forEach((ifd, k) => {
    let at = offsets[k];
    let data = at + 2 + ifd.length * 12 + 4;
    out.writeUInt16LE(ifd.length, at);
    at += 2;
    for (const e of [...ifd].sort((a, b) => a.tag - b.tag)) {
      const n = size(e);
      out.writeUInt16LE(e.tag, at);
      out.writeUInt16LE(e.type, at + 2);
      out.writeUInt32LE(e.type === 2 ? n : e.type === 5 ? (e.value as number[]).length / 2 : 1, at + 4);
      const dst = n > 4 ? data : at + 8;
      if (n > 4) out.writeUInt32LE(data, at + 8), (data += n + (n % 2));
      if (e.type === 2) out.write(`${e.value}\0`, dst, 'latin1');
      else if (e.type === 3) out.writeUInt16LE(e.value as number, dst);
      else if (e.type === 4) out.writeUInt32LE(e.value as number, dst);
      else (e.value as number[]).forEach((v, i) => out.writeUInt32LE(v, dst + 4 * i));
      at += 12;
    }
    out.writeUInt32LE(0, at);
  });
  return out;
}

/** What a phone writes: make, model, orientation, serial number, capture time and the GPS fix. */
function phoneExif(orientation: number): Buffer {
  return tiff(
    [
      { tag: 0x010f, type: 2, value: 'GKTestPhone' },
      { tag: 0x0110, type: 2, value: 'GK-X9 Pro' },
      { tag: 0x0112, type: 3, value: orientation },
      { tag: 0x0132, type: 2, value: '2026:05:17 08:31:07' },
    ],
    [
      { tag: 0x9003, type: 2, value: '2026:05:17 08:31:07' },
      { tag: 0xa431, type: 2, value: 'SN0042424242' },
    ],
    [
      { tag: 0x0001, type: 2, value: 'N' },
      { tag: 0x0002, type: 5, value: [38, 1, 54, 1, 4431, 100] },
      { tag: 0x0003, type: 2, value: 'E' },
      { tag: 0x0004, type: 5, value: [121, 1, 37, 1, 2467, 100] },
    ],
  );
}

const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="38,54.7385N" exif:GPSLongitude="121,37.4112E" exif:BodySerialNumber="SN0042424242"/></rdf:RDF></x:xmpmeta>';

/** 64×32 pixels: the left half red, the right half blue. */
async function pixels(): Promise<Buffer> {
  const w = 64;
  const h = 32;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(x < w / 2 ? [220, 20, 20] : [20, 20, 220], (y * w + x) * 3);
  return raw;
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A phone-like JPEG: EXIF (GPS, serial, Orientation) and XMP in APP1, a COM comment. */
async function phoneJpeg(orientation: number): Promise<Buffer> {
  const plain = await sharp(await pixels(), { raw: { width: 64, height: 32, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  return Buffer.concat([
    plain.subarray(0, 2),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), phoneExif(orientation)])),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP}`, 'latin1')),
    segment(0xfe, Buffer.from('GKSECRET comment', 'latin1')),
    plain.subarray(2),
  ]);
}

/** The markers of a JPEG's header segments, up to the start of the scan, and their bytes. */
function jpegSegments(buf: Buffer): { marker: number; body: Buffer }[] {
  const out: { marker: number; body: Buffer }[] = [];
  let at = 2;
  while (at + 4 <= buf.length && buf[at] === 0xff) {
    const marker = buf[at + 1];
    const len = buf.readUInt16BE(at + 2);
    out.push({ marker, body: buf.subarray(at + 4, at + 2 + len) });
    if (marker === 0xda) break;
    at += 2 + len;
  }
  return out;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function pngChunks(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    out.push(buf.toString('latin1', at + 4, at + 8));
    at += 12 + len;
  }
  return out;
}

function webpChunks(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 12; at + 8 <= buf.length; ) {
    const len = buf.readUInt32LE(at + 4);
    out.push(buf.toString('latin1', at, at + 4));
    at += 8 + len + (len % 2);
  }
  return out;
}

/** The extensions of a GIF: the label in hex, application extensions with their identifier. */
function gifExtensions(buf: Buffer): string[] {
  const out: string[] = [];
  const skipBlocks = (at: number) => {
    while (buf[at] !== 0) at += 1 + buf[at];
    return at + 1;
  };
  let at = 13 + (buf[10] & 0x80 ? 3 * 2 ** ((buf[10] & 7) + 1) : 0);
  while (at < buf.length && buf[at] !== 0x3b) {
    if (buf[at] === 0x21) {
      const label = buf[at + 1];
      out.push(label === 0xff ? `ff:${buf.toString('latin1', at + 3, at + 14)}` : label.toString(16));
      at = skipBlocks(at + 2);
    } else if (buf[at] === 0x2c) {
      const packed = buf[at + 9];
      at += 10 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0) + 1;
      at = skipBlocks(at);
    } else throw new Error(`not a GIF block at ${at}`);
  }
  return out;
}

/** A PNG with eXIf (GPS, serial), tEXt, iTXt (XMP) and tIME chunks after IHDR. */
async function taggedPng(): Promise<Buffer> {
  const plain = await sharp(await pixels(), { raw: { width: 64, height: 32, channels: 3 } }).png().toBuffer();
  const ihdrEnd = 8 + 12 + plain.readUInt32BE(8);
  const time = Buffer.from([0x07, 0xea, 5, 17, 8, 31, 7]);
  return Buffer.concat([
    plain.subarray(0, ihdrEnd),
    pngChunk('eXIf', phoneExif(1)),
    pngChunk('tEXt', Buffer.from('Comment\0GKSECRET taken at home', 'latin1')),
    pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${XMP}`, 'latin1')),
    pngChunk('tIME', time),
    plain.subarray(ihdrEnd),
  ]);
}

/** A GIF with a comment extension and an XMP application extension before the image. */
async function taggedGif(): Promise<Buffer> {
  const plain = await sharp(await pixels(), { raw: { width: 64, height: 32, channels: 3 } }).gif().toBuffer();
  const gct = plain[10] & 0x80 ? 3 * 2 ** ((plain[10] & 7) + 1) : 0;
  const at = 13 + gct;
  const sub = (s: Buffer) => Buffer.concat([Buffer.from([s.length]), s]);
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe]), sub(Buffer.from('GKSECRET comment', 'latin1')), Buffer.from([0])]);
  const xmpBytes = Buffer.from(XMP, 'latin1');
  const blocks: Buffer[] = [];
  for (let i = 0; i < xmpBytes.length; i += 255) blocks.push(sub(xmpBytes.subarray(i, i + 255)));
  const app = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from('XMP DataXMP', 'latin1'), ...blocks, Buffer.from([0])]);
  return Buffer.concat([plain.subarray(0, at), comment, app, plain.subarray(at)]);
}

/** A WebP with EXIF (GPS, serial) and XMP chunks, as sharp writes them when asked. */
async function taggedWebp(): Promise<Buffer> {
  return sharp(await pixels(), { raw: { width: 64, height: 32, channels: 3 } })
    .webp({ quality: 95 })
    .withExif({ IFD0: { Make: 'GKTestPhone', Model: 'GK-X9 Pro' }, IFD2: { BodySerialNumber: 'SN0042424242' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '38/1 54/1 4431/100' } })
    .withXmp(XMP)
    .toBuffer();
}

/** A 20000×20000 one-colour PNG (1 bit per pixel): 400 million pixels in a few tens of KB. */
function bombPng(): Buffer {
  const side = 20000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale
  const rows = Buffer.alloc(side * (1 + side / 8)); // filter byte 0 and zero pixels, every row
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(rows, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

// ---- submitting, publishing and fetching as the public does ------------------------------------

let editors = 0;
/** Submits the photos through the public form, has the appeal replied to and released; the hashes. */
async function publishWith(files: { filename: string; type: string; data: Buffer }[]): Promise<{ no: string; media: string[] }> {
  const { res, no } = await submitWeb(env.app, {}, files.map((f) => ({ name: 'photos', ...f })));
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(201);
  const row = await env.p.db.selectFrom('appeals').select(['id', 'media']).where('tracking_no', '=', no!).executeTakeFirstOrThrow();
  const act = async (as: string, action: string, body: Record<string, unknown>) => expect((await env.api('POST', `/api/v1/staff/appeals/${row.id}/${action}`, { as, body })).statusCode).toBe(204);
  await act('sqzx-editor', 'dispatch', { department: 'sthj' });
  const editor = `sthj-photo${editors++}`;
  const { createUser } = await import('../../src/modules/org/service.js');
  await createUser(env.p, 'cli', { username: editor, password: 'Appeals-Test-2026!x', department: 'sthj', roles: ['editor'] });
  await act(editor, 'reply', { reply: '已处理。', resolved: true });
  await act('sqzx-approver', 'reply-review', { approve: true });
  await act('sqzx-editor', 'release', { title: '幸福路工地夜间施工', content: '夜间施工噪音扰民。', reply: '已处理。' });
  return { no: no!, media: JSON.parse(row.media) };
}

async function served(hash: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await env.app.inject({ method: 'GET', url: `/appeals/media/${hash}` });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.rawPayload };
}

function expectNoSecrets(body: Buffer) {
  for (const s of SECRETS) expect(body.includes(Buffer.from(s, 'latin1')), s).toBe(false);
  expect(body.includes(Buffer.from('adobe:ns:meta', 'latin1'))).toBe(false);
  expect(body.includes(Buffer.from('ns.adobe.com/xap', 'latin1'))).toBe(false);
}

describe('photos attached to appeals are published without their metadata', () => {
  it('a phone JPEG (GPS, serial, capture time, XMP, comment, Orientation 6) is served upright with none of it; Open311 links the same clean bytes', async () => {
    const jpeg = await phoneJpeg(6);
    // The test image is what it claims to be: decodable, 64×32 as stored, EXIF orientation 6, GPS inside.
    const before = await sharp(jpeg).metadata();
    expect([before.width, before.height, before.orientation]).toEqual([64, 32, 6]);
    expect(before.exif && before.xmp).toBeTruthy();
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer, little-endian
    expect(jpegSegments(jpeg).some((s) => s.marker === 0xe1 && s.body.subarray(0, 6).toString('latin1') === 'Exif\0\0')).toBe(true);
    expect(jpegSegments(jpeg).some((s) => s.marker === 0xfe)).toBe(true);

    const { no, media } = await publishWith([{ filename: 'IMG_20260517_083107.jpg', type: 'image/jpeg', data: jpeg }]);
    expect(media).toHaveLength(1);
    const got = await served(media[0]);
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/jpeg');
    const segs = jpegSegments(got.body);
    // Only what decoding needs (JFIF APP0, quantisation and Huffman tables, frame, restart
    // interval, scan): no APP1–APP15 (EXIF, XMP, ICC, IPTC…) and no COM.
    expect(segs.map((s) => s.marker.toString(16)).filter((m) => !['e0', 'db', 'c0', 'c1', 'c2', 'c4', 'dd', 'da'].includes(m))).toEqual([]);
    const app0 = segs.filter((s) => s.marker === 0xe0);
    for (const s of app0) expect(s.body.subarray(0, 5).toString('latin1')).toBe('JFIF\0');
    expect(got.body.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    // No GPS IFD pointer (tag 0x8825) in either byte order in whatever APP segment is left.
    for (const s of app0) expect(s.body.includes(Buffer.from([0x88, 0x25])) || s.body.includes(Buffer.from([0x25, 0x88]))).toBe(false);
    expectNoSecrets(got.body);
    // It decodes, with no EXIF, XMP or comment, and it is upright: 32×64 (turned a quarter
    // clockwise, as Orientation 6 says), the red half that was on the left now on top.
    const after = await sharp(got.body).metadata();
    expect([after.format, after.width, after.height, after.orientation, after.exif, after.xmp, after.comments]).toEqual(['jpeg', 32, 64, undefined, undefined, undefined, undefined]);
    const { data } = await sharp(got.body).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3)];
    expect(at(16, 10)[0]).toBeGreaterThan(150);
    expect(at(16, 10)[2]).toBeLessThan(100);
    expect(at(16, 54)[2]).toBeGreaterThan(150);
    expect(at(16, 54)[0]).toBeLessThan(100);

    // Open311 shows the published request's media_url: the same cleaned file.
    const o = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${no}.json` });
    expect(o.statusCode).toBe(200);
    const url = new URL(o.json()[0].media_url);
    expect(url.pathname).toBe(`/appeals/media/${media[0]}`);
    const again = await env.app.inject({ method: 'GET', url: url.pathname });
    expect(again.rawPayload.equals(got.body)).toBe(true);
  });

  it('PNG (eXIf, tEXt, iTXt XMP, tIME), WebP (EXIF, XMP) and GIF (comment, XMP) are served with pixels only', async () => {
    const png = await taggedPng();
    const webp = await taggedWebp();
    const gif = await taggedGif();
    // The inputs carry what they should.
    expect(pngChunks(png)).toEqual(expect.arrayContaining(['eXIf', 'tEXt', 'iTXt', 'tIME']));
    expect((await sharp(png).metadata()).exif).toBeTruthy();
    const wm = await sharp(webp).metadata();
    expect(wm.exif && wm.xmp).toBeTruthy();
    expect(wm.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(webpChunks(webp)).toEqual(expect.arrayContaining(['EXIF', 'XMP ']));
    expect(gifExtensions(gif)).toEqual(expect.arrayContaining(['fe', 'ff:XMP DataXMP']));
    expect((await sharp(gif).metadata()).width).toBe(64);

    const { media } = await publishWith([
      { filename: 'shot.png', type: 'image/png', data: png },
      { filename: 'shot.webp', type: 'image/webp', data: webp },
      { filename: 'shot.gif', type: 'image/gif', data: gif },
    ]);
    expect(media).toHaveLength(3);
    const [p, w, g] = await Promise.all(media.map(served));

    expect([p.status, p.type]).toEqual([200, 'image/png']);
    const chunks = pngChunks(p.body);
    expect(chunks.filter((c) => ['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME', 'iCCP'].includes(c))).toEqual([]);
    expectNoSecrets(p.body);
    const pm = await sharp(p.body).metadata();
    expect([pm.format, pm.width, pm.height, pm.exif, pm.xmp, pm.comments]).toEqual(['png', 64, 32, undefined, undefined, undefined]);

    expect([w.status, w.type]).toEqual([200, 'image/webp']);
    expect(webpChunks(w.body).filter((c) => !['VP8 ', 'VP8L', 'VP8X', 'ALPH'].includes(c))).toEqual([]);
    expectNoSecrets(w.body);
    const wm2 = await sharp(w.body).metadata();
    expect([wm2.format, wm2.width, wm2.height, wm2.exif, wm2.xmp]).toEqual(['webp', 64, 32, undefined, undefined]);

    expect([g.status, g.type]).toEqual([200, 'image/gif']);
    // Extensions left: graphic control (0xf9) and NETSCAPE2.0 looping at most; no comment (0xfe), no XMP.
    expect(gifExtensions(g.body).filter((e) => e !== 'f9' && e !== 'ff:NETSCAPE2.0')).toEqual([]);
    expectNoSecrets(g.body);
    const gm = await sharp(g.body).metadata();
    expect([gm.format, gm.width, gm.height]).toEqual(['gif', 64, 32]);

    // What `appeals clean-photos` reads to tell a photo to clean from a clean one.
    expect(imageMetadata(png, 'png')).toEqual(['eXIf', 'tEXt', 'iTXt', 'tIME']);
    expect(imageMetadata(webp, 'webp')).toEqual(['EXIF', 'XMP ']);
    expect(imageMetadata(gif, 'gif')).toEqual(['comment', 'XMP DataXMP']);
    expect(imageMetadata(await phoneJpeg(6), 'jpg')).toEqual(['APP1', 'APP1', 'COM']);
    expect([imageMetadata(p.body, 'png'), imageMetadata(w.body, 'webp'), imageMetadata(g.body, 'gif')]).toEqual([[], [], []]);
  });

  it('a 20000×20000 PNG (a decompression bomb) and an undecodable JPEG are refused on the photos field, in zh and en; nothing is stored', async () => {
    const count = async () => Number((await env.p.db.selectFrom('appeals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const files = async () => Number((await env.p.db.selectFrom('files').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const [appealsBefore, filesBefore] = [await count(), await files()];
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(200_000);
    const fieldError = (body: string) => /id="f-photos-err">([^<]*)</.exec(body)?.[1];

    const zh = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'bomb.png', type: 'image/png', data: bomb }]);
    expect(zh.res.statusCode).toBe(400);
    expect(fieldError(zh.res.body)).toBe('图片尺寸过大（超过40百万像素），请缩小后重试。');
    const en = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'bomb.png', type: 'image/png', data: bomb }], { 'accept-language': 'en' });
    expect(en.res.statusCode).toBe(400);
    expect(fieldError(en.res.body)).toBe('The image is too large (more than 40 megapixels); scale it down and try again.');

    // JPEG magic bytes, then nothing a decoder can read; with a good photo before it.
    const junk = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a picture '.repeat(20))]);
    const bad = await submitWeb(env.app, {}, [
      { name: 'photos', filename: 'ok.jpg', type: 'image/jpeg', data: await phoneJpeg(1) },
      { name: 'photos', filename: 'bad.jpg', type: 'image/jpeg', data: junk },
    ]);
    expect(bad.res.statusCode).toBe(400);
    expect(fieldError(bad.res.body)).toBe('无法读取该图片（文件损坏或与其类型不符），请换一张后重试。');
    const badEn = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'bad.jpg', type: 'image/jpeg', data: junk }], { 'accept-language': 'en' });
    expect(fieldError(badEn.res.body)).toBe('The image could not be read (damaged, or not what its type says); choose another one.');

    expect(await count()).toBe(appealsBefore);
    expect(await files()).toBe(filesBefore);
  });

  it('`appeals clean-photos` re-stores photos kept from before with their metadata: the public gets the clean, upright copy; a second run changes nothing', async () => {
    const { no, media } = await publishWith([{ filename: 'a.png', type: 'image/png', data: await taggedPng() }]);
    // A photo stored as it came, as before this change, and a damaged one; and an Open311 link.
    const raw = await storeFile(env.p, await phoneJpeg(6), 'photo.jpg');
    const junk = await storeFile(env.p, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a picture '.repeat(20))]), 'photo.jpg');
    const old = [raw.hash, media[0], junk.hash, 'https://example.com/photo.jpg'];
    await env.p.db.updateTable('appeals').set({ media: JSON.stringify(old) }).where('tracking_no', '=', no).execute();
    const before = await served(raw.hash);
    expect(before.status).toBe(200);
    expect(before.body.includes(Buffer.from('GKTestPhone'))).toBe(true);

    const r = await cleanAppealPhotos(env.p, 'cli:test');
    expect(r).toMatchObject({ appeals: 1, photos: 1 });
    expect(r.clean).toBeGreaterThanOrEqual(1);
    expect(r.failed).toEqual([expect.stringMatching(new RegExp(`^${no}: ${junk.hash.slice(0, 12)}… The image could not be read`))]);
    const now = JSON.parse((await env.p.db.selectFrom('appeals').select('media').where('tracking_no', '=', no).executeTakeFirstOrThrow()).media) as string[];
    expect(now[0]).not.toBe(raw.hash);
    expect(now.slice(1)).toEqual(old.slice(1));
    // The old copy is no longer served; the new one has nothing but the picture, upright.
    expect((await served(raw.hash)).status).toBe(404);
    const got = await served(now[0]);
    expect(got.status).toBe(200);
    expectNoSecrets(got.body);
    expect(jpegSegments(got.body).filter((s) => (s.marker >= 0xe1 && s.marker <= 0xef) || s.marker === 0xfe)).toEqual([]);
    const m = await sharp(got.body).metadata();
    expect([m.width, m.height, m.exif, m.orientation]).toEqual([32, 64, undefined, undefined]);
    const audit = await env.p.db.selectFrom('audit_events').selectAll().where('action', '=', 'appeal.photos_cleaned').execute();
    expect(audit).toHaveLength(1);

    const again = await cleanAppealPhotos(env.p, 'cli:test');
    expect(again).toMatchObject({ appeals: 0, photos: 0 });
    expect(JSON.parse((await env.p.db.selectFrom('appeals').select('media').where('tracking_no', '=', no).executeTakeFirstOrThrow()).media)).toEqual(now);
  });
});
