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
