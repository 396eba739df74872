// The verifiable draw, format gongkai-draw/1 (docs/draws.md). Pure: the same inputs always give
// the same selection, on the server, in `gongkai inspection verify-draw` and in the browser's
// re-run (web/static/draw-verify.js implements the same steps).
import { createHash } from 'node:crypto';

export const DRAW_FORMAT = 'gongkai-draw/1';

export interface DrawInspector {
  certNo: string;
  /** The inspector's department code. */
  department: string;
  fields: string[];
}

export interface DrawInputs {
  task: number;
  /** Credit codes; sorted by `normaliseInputs`. */
  targets: string[];
  inspectors: DrawInspector[];
  /** [certNo, creditCode] pairs that must not meet. */
  conflicts: [string, string][];
  sampleSize: number;
  perTarget: number;
  /** The matter's field: an inspector without it is not eligible. */
  field: string;
  /** The witnesses' secrets, in witness order. */
  secrets: string[];
  /** A public beacon value, '' for none. */
  beacon: string;
}

export interface DrawSelection {
  target: string;
  inspectors: string[];
}

export interface DrawRecord extends DrawInputs {
  format: typeof DRAW_FORMAT;
  seed: string;
  selection: DrawSelection[];
}

/** Why a draw cannot be made; `params` for the message. */
export class DrawError extends Error {
  constructor(
    readonly code: 'too-few-targets' | 'too-few-inspectors' | 'bad-input',
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

const sm3 = (data: string | Uint8Array): Buffer => createHash('sm3').update(data).digest();
const sm3hex = (text: string): string => sm3(Buffer.from(text, 'utf8')).toString('hex');

/** The commitment a witness publishes before the draw: SM3-hex of the UTF-8 secret. */
export function commitment(secret: string): string {
  return sm3hex(secret);
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const SURROGATE = /[\uD800-\uDFFF]/;
/** Sorts by UTF-8 bytes. Without surrogate pairs UTF-16 code-unit order is the same, and faster. */
function sortUtf8<T>(items: T[], key: (x: T) => string): T[] {
  const plain = items.every((x) => !SURROGATE.test(key(x)));
  return [...items].sort(plain ? (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) : (a, b) => byteOrder(key(a), key(b)));
}

/** Targets sorted by UTF-8 bytes, inspectors by certNo: the order the format fixes. */
export function normaliseInputs(i: DrawInputs): DrawInputs {
  return {
    ...i,
    targets: sortUtf8(i.targets, (x) => x),
    inspectors: sortUtf8(i.inspectors, (x) => x.certNo),
  };
}

/** The seed: SM3 of the format's lines (hex). */
export function drawSeed(i: DrawInputs): string {
  const lines = [
    DRAW_FORMAT,
    String(i.task),
    sm3hex(i.targets.join('\n')),
    sm3hex(i.inspectors.map((x) => x.certNo).join('\n')),
    String(i.sampleSize),
    String(i.perTarget),
    ...i.secrets,
    i.beacon,
  ];
  return sm3hex(lines.join('\n'));
}

/** The stream of 32-bit words SM3(seed ‖ counter), counter = 0, 1, 2, … as 4-byte big-endian. */
export class DrawStream {
  private readonly seed: Buffer;
  private counter = 0;
  private block: Buffer = Buffer.alloc(0);
  private pos = 0;
  constructor(seedHex: string) {
    this.seed = Buffer.from(seedHex, 'hex');
  }
  private word(): number {
    if (this.pos >= this.block.length) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(this.counter++);
      this.block = sm3(Buffer.concat([this.seed, c]));
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

/** Runs the draw on normalised inputs. Throws DrawError when it cannot be made. */
export function computeDraw(raw: DrawInputs): { seed: string; selection: DrawSelection[] } {
  const i = normaliseInputs(raw);
  const n = i.sampleSize;
  const k = i.perTarget;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 1) throw new DrawError('bad-input', { sampleSize: n, perTarget: k });
  if (new Set(i.targets).size !== i.targets.length) throw new DrawError('bad-input', { targets: 'duplicate' });
  if (new Set(i.inspectors.map((x) => x.certNo)).size !== i.inspectors.length) throw new DrawError('bad-input', { inspectors: 'duplicate' });
  if (n > i.targets.length) throw new DrawError('too-few-targets', { needed: n, available: i.targets.length });
  const seed = drawSeed(i);
  const stream = new DrawStream(seed);
  const a = [...i.targets];
  for (let x = 0; x < n; x++) {
    const j = x + stream.uniform(a.length - x);
    [a[x], a[j]] = [a[j], a[x]];
  }
  const conflicts = new Set(i.conflicts.map(([cert, code]) => `${cert}\u0000${code}`));
  const qualified = i.inspectors.filter((x) => x.fields.includes(i.field));
  const selection: DrawSelection[] = [];
  for (let x = 0; x < n; x++) {
    const target = a[x];
    const b = qualified.filter((ins) => !conflicts.has(`${ins.certNo}\u0000${target}`)).map((ins) => ins.certNo);
    if (b.length < k) throw new DrawError('too-few-inspectors', { target, eligible: b.length, needed: k });
    for (let y = 0; y < k; y++) {
      const j = y + stream.uniform(b.length - y);
      [b[y], b[j]] = [b[j], b[y]];
    }
    selection.push({ target, inspectors: b.slice(0, k) });
  }
  return { seed, selection };
}
