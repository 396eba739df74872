// Citizen photos without their metadata: a phone JPEG carries the exact place it was taken (EXIF
// GPS), the device and its serial number, the time; PNG, WebP and GIF can carry EXIF, XMP and
// text chunks or comments. cleanImage decodes the picture and encodes it again (sharp, libvips, in
// libuv's thread pool, off the event loop) so that only pixels remain: the stored bytes — and so
// the hash, /appeals/media/… and everything served — hold no EXIF, XMP, IPTC, ICC, comments or
// text chunks. The EXIF orientation is applied to the pixels first, so a phone photo stays
// upright. Decoding is bounded: more than IMAGE_MAX_PIXELS pixels (all frames together) is refused
// from the header, before decoding, with a 422 naming the form field.
import type { Sharp } from 'sharp';
import { HttpError } from '../errors.js';

/** At most this many pixels in an image to clean (all frames of an animation together). */
export const IMAGE_MAX_PIXELS = 40_000_000;
/** Decoding and encoding one image stops after this long (a crafted file refused, not a stuck thread). */
const TIMEOUT_SECONDS = 30;
/**
 * Images cleaned at once in this process; more wait their turn. A 40 MP photo takes seconds and a
 * few hundred MB, and each holds one of libuv's four threads, which file reads share.
 */
const AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  if (running < AT_ONCE) running++;
  else await new Promise<void>((go) => waiting.push(go));
  try {
    return await fn();
  } finally {
    // The slot passes straight to the next in line (or is freed).
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export type ImageExt = 'jpg' | 'png' | 'gif' | 'webp';

type SharpFn = (typeof import('sharp'))['default'];
let loaded: Promise<SharpFn> | undefined;
/** sharp is loaded on first use (not at start-up); its cache off, so no citizen's pixels linger. */
function sharpLib(): Promise<SharpFn> {
  loaded ??= import('sharp').then(({ default: s }) => {
    s.cache(false);
    return s;
  });
  return loaded;
}

function refused(field: string, key: string, params?: Record<string, number>): HttpError {
  return new HttpError(422, 'image_refused', key, { [field]: key }, params);
}

function encode(img: Sharp, ext: ImageExt): Sharp {
  if (ext === 'jpg') return img.jpeg({ quality: 90, mozjpeg: false });
  if (ext === 'png') return img.png();
  if (ext === 'webp') return img.webp({ quality: 90 });
  return img.gif();
}

/**
 * The picture of `buf` (of type `ext`, by its magic bytes) as new bytes of the same type with no
 * metadata, turned upright by its EXIF orientation (still images; an animation keeps its frames
 * as they are). A file that cannot be decoded, or with more than IMAGE_MAX_PIXELS pixels, is a
 * 422 on `field` ('err.file.image_unreadable', 'err.file.image_pixels').
 */
export async function cleanImage(buf: Buffer, ext: ImageExt, field = 'file'): Promise<Buffer> {
  const sharp = await sharpLib();
  return inTurn(() => clean(sharp, buf, ext, field));
}

async function clean(sharp: SharpFn, buf: Buffer, ext: ImageExt, field: string): Promise<Buffer> {
  const animated = ext === 'gif' || ext === 'webp';
  const input = { animated, failOn: 'error' as const, limitInputPixels: IMAGE_MAX_PIXELS };
  let meta;
  try {
    // The header only: dimensions are known before a single pixel is decoded.
    meta = await sharp(buf, { ...input, limitInputPixels: false }).metadata();
  } catch {
    throw refused(field, 'err.file.image_unreadable');
  }
  const wanted = { jpg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp' }[ext];
  if (meta.format !== wanted || !meta.width || !meta.height) throw refused(field, 'err.file.image_unreadable');
  // With `animated`, height is that of all frames stacked: the pixels that decoding would produce.
  if (meta.width * meta.height > IMAGE_MAX_PIXELS) throw refused(field, 'err.file.image_pixels', { mp: IMAGE_MAX_PIXELS / 1_000_000 });
  try {
    let img = sharp(buf, input).timeout({ seconds: TIMEOUT_SECONDS });
    // libvips cannot turn a multi-frame image; animations (no phone writes one with an
    // orientation) keep their frames unturned.
    if ((meta.pages ?? 1) <= 1) img = img.autoOrient();
    // Nothing of the input's metadata is kept: sharp writes none unless asked (no withMetadata,
    // keepExif, keepXmp, keepIccProfile); an embedded colour profile is applied (to sRGB) first.
    return await encode(img, ext).toBuffer();
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw refused(field, 'err.file.image_pixels', { mp: IMAGE_MAX_PIXELS / 1_000_000 });
    throw refused(field, 'err.file.image_unreadable');
  }
}

/**
 * What of its bytes an image holds besides the picture, read from its structure (no decoding):
 * JPEG segments other than JFIF APP0 and what decoding needs (APP1 EXIF/XMP, APP2 ICC, APP13
 * IPTC, COM…); PNG chunks other than the picture's (eXIf, tEXt, zTXt, iTXt, tIME, iCCP,
 * private chunks…); GIF extensions other than frame control and looping (comments, XMP…);
 * WebP chunks other than the picture's (EXIF, XMP, ICCP…). Empty for what cleanImage writes;
 * ['unreadable'] when the structure cannot be walked.
 */
export function imageMetadata(buf: Buffer, ext: ImageExt): string[] {
  try {
    if (ext === 'jpg') return jpegMetadata(buf);
    if (ext === 'png') return pngMetadata(buf);
    if (ext === 'gif') return gifMetadata(buf);
    return webpMetadata(buf);
  } catch {
    return ['unreadable'];
  }
}

function jpegMetadata(buf: Buffer): string[] {
  const out: string[] = [];
  let at = 2;
  for (;;) {
    if (at + 4 > buf.length || buf[at] !== 0xff) return [...out, 'unreadable'];
    const marker = buf[at + 1];
    if (marker === 0xda) return out; // start of scan: the header ends here
    const len = buf.readUInt16BE(at + 2);
    const isJfif = marker === 0xe0 && buf.toString('latin1', at + 4, at + 9) === 'JFIF\0';
    if ((marker >= 0xe0 && marker <= 0xef && !isJfif) || marker === 0xfe) out.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}`);
    at += 2 + len;
  }
}

const PNG_PICTURE = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs', 'acTL', 'fcTL', 'fdAT']);
function pngMetadata(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 8; ; ) {
    if (at + 8 > buf.length) return [...out, 'unreadable'];
    const type = buf.toString('latin1', at + 4, at + 8);
    if (!PNG_PICTURE.has(type)) out.push(type);
    if (type === 'IEND') return out;
    at += 12 + buf.readUInt32BE(at);
  }
}

function gifMetadata(buf: Buffer): string[] {
  const out: string[] = [];
  const blocks = (at: number) => {
    while (buf[at] !== 0) {
      if (at >= buf.length) throw new Error('truncated');
      at += 1 + buf[at];
    }
    return at + 1;
  };
  const table = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  let at = 13 + table(buf[10]);
  while (buf[at] !== 0x3b) {
    if (at >= buf.length) return [...out, 'unreadable'];
    if (buf[at] === 0x21) {
      const label = buf[at + 1];
      const app = label === 0xff ? buf.toString('latin1', at + 3, at + 14) : '';
      if (label !== 0xf9 && app !== 'NETSCAPE2.0' && app !== 'ANIMEXTS1.0') out.push(app || (label === 0xfe ? 'comment' : `extension ${label.toString(16)}`));
      at = blocks(at + 2);
    } else if (buf[at] === 0x2c) at = blocks(at + 10 + table(buf[at + 9]) + 1);
    else return [...out, 'unreadable'];
  }
  return out;
}

const WEBP_PICTURE = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);
function webpMetadata(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 12; at < buf.length; ) {
    if (at + 8 > buf.length) return [...out, 'unreadable'];
    const type = buf.toString('latin1', at, at + 4);
    if (!WEBP_PICTURE.has(type)) out.push(type);
    const len = buf.readUInt32LE(at + 4);
    at += 8 + len + (len % 2);
  }
  return out;
}
