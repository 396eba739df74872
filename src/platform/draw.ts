// The primitives of a verifiable draw (docs/draws.md): witnesses' commitments, the byte order of
// the published pools, the seed's lines and the SM3 stream with its unbiased `uniform`, and the
// partial Fisher–Yates shuffle. Pure: the same inputs always give the same result. Built on by
// the inspection draw (gongkai-draw/1) and the hearing draw (gongkai-hearing-draw/1).
import { createHash } from 'node:crypto';
import { sm3 as sm3hex } from './hash.js';

/** Why a stream cannot be made: the seed is not 64 lower-case hex digits. */
export class DrawSeedError extends Error {
  constructor(readonly value: string) {
    super(`bad seed ${JSON.stringify(value)}`);
  }
}

const sm3raw = (data: Uint8Array): Buffer => createHash('sm3').update(data).digest();

/** The commitment a witness publishes before the draw: SM3-hex of the UTF-8 secret. */
export function commitment(secret: string): string {
  return sm3hex(secret);
}

/** SM3-hex of the UTF-8 lines joined with `\n` (no line break at the end). */
export function hashLines(lines: readonly string[]): string {
  return sm3hex(lines.join('\n'));
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const SURROGATE = /[\uD800-\uDFFF]/;

/** How to compare these strings by their UTF-8 bytes. Without surrogates (characters beyond U+FFFF)
 *  the UTF-16 code-unit order of JavaScript's `<` is the same, and much faster. */
export function utf8Order(items: readonly string[]): (a: string, b: string) => number {
  return items.some((x) => SURROGATE.test(x)) ? byteOrder : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

/** Items sorted by the UTF-8 bytes of their key (a new array). */
export function sortUtf8<T>(items: readonly T[], key: (x: T) => string): T[] {
  const order = utf8Order(items.map(key));
  return [...items].sort((a, b) => order(key(a), key(b)));
}

/** Strings sorted by UTF-8 bytes: without surrogates, the engine's own sort (UTF-16 code units) is the same order. */
export function sortStrings(items: readonly string[]): string[] {
  return items.some((x) => SURROGATE.test(x)) ? [...items].sort(byteOrder) : [...items].sort();
}

/** The first place where `items` are not in strictly ascending UTF-8 order (an unsorted or repeated entry), else -1. */
export function firstOutOfOrder(items: readonly string[]): number {
  const order = utf8Order(items);
  for (let x = 1; x < items.length; x++) if (order(items[x - 1], items[x]) >= 0) return x;
  return -1;
}

/** The first value containing a line break (which would make a seed's lines ambiguous), else -1. */
export function firstWithLineBreak(items: readonly string[]): number {
  return items.findIndex((x) => x.includes('\n'));
}

/** The stream of 32-bit words SM3(seed ‖ counter), counter = 0, 1, 2, … as 4-byte big-endian. */
export class DrawStream {
  private readonly input = Buffer.alloc(36);
  private counter = 0;
  private block: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Throws DrawSeedError unless `seedHex` is 64 lower-case hexadecimal digits. */
  constructor(seedHex: string) {
    if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new DrawSeedError(seedHex);
    Buffer.from(seedHex, 'hex').copy(this.input);
  }
  private word(): number {
    if (this.pos >= this.block.length) {
      this.input.writeUInt32BE(this.counter++, 32);
      this.block = sm3raw(this.input);
      this.pos = 0;
    }
    const w = this.block.readUInt32BE(this.pos);
    this.pos += 4;
    return w;
  }
  /** A uniform integer in [0, m), by rejection of the words at or above 2^32 − (2^32 mod m). */
  uniform(m: number): number {
    const limit = 2 ** 32 - (2 ** 32 % m);
    let w = this.word();
    while (w >= limit) w = this.word();
    return w % m;
  }
}

/**
 * The first `n` of `items` after a partial Fisher–Yates shuffle from the stream: for i = 0 … n−1,
 * j = i + uniform(L − i), swap a[i] and a[j]. Takes exactly n draws from the stream (n ≤ length).
 */
export function shuffleFirst<T>(stream: DrawStream, items: readonly T[], n: number): T[] {
  const a = [...items];
  if (n > a.length) throw new RangeError(`cannot take ${n} of ${a.length}`);
  for (let x = 0; x < n; x++) {
    const j = x + stream.uniform(a.length - x);
    [a[x], a[j]] = [a[j], a[x]];
  }
  return a.slice(0, n);
}
