// The verifiable draw, format gongkai-draw/1 (docs/draws.md). Pure: the same inputs always give
// the same selection, on the server, in `gongkai inspection verify-draw` and in the browser's
// re-run (web/static/draw-verify.js implements the same steps; keep the two in step). The
// primitives (commitments, byte order, the SM3 stream, the shuffle) are the platform's (platform/draw).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { sm3 as sm3hex } from '../../../platform/hash.js';
import { commitment as platformCommitment, DrawStream as PlatformDrawStream, firstOutOfOrder, shuffleFirst, sortStrings, sortUtf8 } from '../../../platform/draw.js';

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

/** Why a draw cannot be made: `enforcement.draw.err.<code>` with `params` is the message. */
export class DrawError extends Error {
  constructor(
    readonly code: 'too-few-targets' | 'too-few-inspectors' | 'bad-input',
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
  /** The message key of this error. */
  get key(): string {
    return `enforcement.draw.err.${this.code}`;
  }
}

/** The commitment a witness publishes before the draw: SM3-hex of the UTF-8 secret. */
export const commitment = platformCommitment;

/** Targets sorted by UTF-8 bytes, inspectors by certNo: the order the format fixes. */
export function normaliseInputs(i: DrawInputs): DrawInputs {
  return {
    ...i,
    targets: sortStrings(i.targets),
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

/** The stream of 32-bit words SM3(seed ‖ counter) (platform/draw); a bad seed is a DrawError here. */
export class DrawStream extends PlatformDrawStream {
  constructor(seedHex: string) {
    if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new DrawError('bad-input', { field: 'seed', value: seedHex });
    super(seedHex);
  }
}

/** Inputs that would make the seed's lines ambiguous or the draw meaningless. */
function checkInputs(i: DrawInputs): void {
  const n = i.sampleSize;
  const k = i.perTarget;
  if (!Number.isSafeInteger(i.task) || i.task < 1) throw new DrawError('bad-input', { field: 'task', value: String(i.task) });
  if (!Number.isSafeInteger(n) || n < 1) throw new DrawError('bad-input', { field: 'sampleSize', value: String(n) });
  if (!Number.isSafeInteger(k) || k < 1) throw new DrawError('bad-input', { field: 'perTarget', value: String(k) });
  // A line break inside a value would let two different inputs give the same seed lines.
  const certNos = i.inspectors.map((x) => x.certNo);
  for (const [field, xs] of [['targets', i.targets], ['inspectors', certNos], ['secrets', i.secrets], ['beacon', [i.beacon]]] as const) {
    const at = xs.findIndex((x) => x.includes('\n'));
    if (at >= 0) throw new DrawError('bad-input', { field: field === 'secrets' ? `secrets.${at}` : field, value: field === 'secrets' ? '' : xs[at] });
  }
  // Sorted, so a repeated entry is one not above the one before.
  for (const [field, xs] of [['targets', i.targets], ['inspectors', certNos]] as const) {
    const at = firstOutOfOrder(xs);
    if (at >= 0) throw new DrawError('bad-input', { field, value: xs[at] });
  }
}

/** The draw step by step, on inputs already normalised and checked: each selected target in
 *  order with its inspectors, or with `eligible` alone when it has fewer than k (the draw stops there). */
function* drawSteps(i: DrawInputs, seed: string): Generator<{ target: string; inspectors: string[] | null; eligible: number }> {
  const n = i.sampleSize;
  const k = i.perTarget;
  const stream = new DrawStream(seed);
  const a = shuffleFirst(stream, i.targets, n);
  // The conflicts of each target: most targets have none and take the qualified list as it is.
  const conflicts = new Map<string, Set<string>>();
  for (const [cert, code] of i.conflicts) {
    let s = conflicts.get(code);
    if (!s) conflicts.set(code, (s = new Set()));
    s.add(cert);
  }
  const qualified = i.inspectors.filter((x) => x.fields.includes(i.field)).map((x) => x.certNo);
  for (let x = 0; x < n; x++) {
    const target = a[x];
    const excluded = conflicts.get(target);
    const b = excluded ? qualified.filter((c) => !excluded.has(c)) : qualified;
    if (b.length < k) {
      yield { target, inspectors: null, eligible: b.length };
      return;
    }
    yield { target, inspectors: shuffleFirst(stream, b, k), eligible: b.length };
  }
}

/** Checks normalised inputs: throws DrawError on inputs that are no draw or a sample larger than the pool. */
function checkDrawable(i: DrawInputs): void {
  checkInputs(i);
  if (i.sampleSize > i.targets.length) throw new DrawError('too-few-targets', { needed: i.sampleSize, available: i.targets.length });
}

const tooFew = (target: string, eligible: number, needed: number) => new DrawError('too-few-inspectors', { target, eligible, needed });

/** Runs the draw on the inputs (normalised first). Throws DrawError when it cannot be made. */
export function computeDraw(raw: DrawInputs): { seed: string; selection: DrawSelection[] } {
  const i = normaliseInputs(raw);
  checkDrawable(i);
  const seed = drawSeed(i);
  const selection: DrawSelection[] = [];
  for (const step of drawSteps(i, seed)) {
    if (!step.inspectors) throw tooFew(step.target, step.eligible, i.perTarget);
    selection.push({ target: step.target, inspectors: step.inspectors });
  }
  return { seed, selection };
}

// ---- the public record and its verification ----

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SM3, 64 lower-case hexadecimal digits' });

/** The published record of a draw (GET /api/v1/inspections/draws/{id}, docs/draws.md). */
export const DrawRecordSchema = Type.Object(
  {
    format: Type.Literal(DRAW_FORMAT),
    task: Type.Integer({ minimum: 1, description: 'The task id' }),
    status: Type.String({ enum: ['prepared', 'done'], description: 'prepared: inputs published, waiting for the witnesses; done: drawn' }),
    field: Type.String({ description: "The matter's field: inspectors without it are not eligible" }),
    targets: Type.Array(Type.String(), { description: 'The target pool: credit codes in ascending UTF-8 byte order' }),
    inspectors: Type.Array(
      Type.Object({ certNo: Type.String(), department: Type.String({ description: 'Department code' }), fields: Type.Array(Type.String()) }),
      { description: 'The inspector pool, in ascending order of certNo' },
    ),
    conflicts: Type.Array(Type.Array(Type.String(), { minItems: 2, maxItems: 2 }), { description: '回避: [certNo, creditCode] pairs that must not meet' }),
    sampleSize: Type.Integer({ minimum: 1 }),
    perTarget: Type.Integer({ minimum: 1 }),
    witnesses: Type.Array(Type.Object({ name: Type.String(), commitment: Hex64 }), { minItems: 2, description: 'In witness order; commitment = SM3 of the UTF-8 secret' }),
    secrets: Type.Array(Type.String(), { description: 'The revealed secrets in witness order; empty before the draw' }),
    beacon: Type.String({ description: "The public beacon value, '' for none" }),
    seed: Nullable(Hex64),
    selection: Nullable(Type.Array(Type.Object({ target: Type.String(), inspectors: Type.Array(Type.String()) }))),
    preparedAt: Type.String({ description: 'Beijing time, ISO 8601 with offset' }),
    drawnAt: Nullable(Type.String()),
  },
  { description: 'A draw in format gongkai-draw/1: everything needed to re-run it' },
);
export type DrawRecordJson = Static<typeof DrawRecordSchema>;
const recordCheck = TypeCompiler.Compile(DrawRecordSchema);

/** The verdict of a re-run: `difference` is a message key (enforcement.draw.diff.… or .err.…). */
export type DrawVerdict = { match: true } | { match: false; difference: string; params: Record<string, string | number> };

const diff = (key: string, params: Record<string, string | number> = {}): DrawVerdict => ({ match: false, difference: `enforcement.draw.diff.${key}`, params });
const list = (xs: string[]) => xs.join(', ');
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, y) => x === b[y]);

/**
 * Re-runs a published record and reports the first difference, in this order: the format, the
 * order of the pools, the secrets against their witnesses' commitments, the seed, then each
 * selected target and its inspectors.
 */
export function verifyDraw(record: unknown): DrawVerdict {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return diff('format', { path: '/' });
  if ((record as { format?: unknown }).format !== DRAW_FORMAT) return diff('format', { path: '/format' });
  if (!recordCheck.Check(record)) return diff('format', { path: recordCheck.Errors(record).First()?.path || '/' });
  const r = record as DrawRecordJson;
  if (r.status === 'prepared') return diff('prepared');
  if (r.seed === null) return diff('format', { path: '/seed' });
  if (r.selection === null) return diff('format', { path: '/selection' });
  const t = firstOutOfOrder(r.targets);
  if (t >= 0) return diff('order', { list: 'enforcement.draw.list.targets', index: t + 1, value: r.targets[t] });
  const c = firstOutOfOrder(r.inspectors.map((x) => x.certNo));
  if (c >= 0) return diff('order', { list: 'enforcement.draw.list.inspectors', index: c + 1, value: r.inspectors[c].certNo });
  if (r.secrets.length !== r.witnesses.length) return diff('secrets-count', { secrets: r.secrets.length, witnesses: r.witnesses.length });
  for (let x = 0; x < r.secrets.length; x++) {
    if (commitment(r.secrets[x]) !== r.witnesses[x].commitment) return diff('commitment', { index: x + 1, witness: r.witnesses[x].name });
  }
  const inputs: DrawInputs = { task: r.task, targets: r.targets, inspectors: r.inspectors, conflicts: r.conflicts as [string, string][], sampleSize: r.sampleSize, perTarget: r.perTarget, field: r.field, secrets: r.secrets, beacon: r.beacon };
  const seed = drawSeed(inputs);
  if (seed !== r.seed) return diff('seed', { expected: seed, found: r.seed });
  try {
    checkDrawable(inputs); // in order already (checked above)
  } catch (err) {
    if (err instanceof DrawError) return { match: false, difference: err.key, params: err.params };
    throw err;
  }
  let x = 0;
  for (const want of drawSteps(inputs, seed)) {
    const got = r.selection[x];
    if (!got) return diff('selection-length', { expected: r.sampleSize, found: r.selection.length });
    if (got.target !== want.target) return diff('target', { index: x + 1, expected: want.target, found: got.target });
    if (!want.inspectors) {
      const err = tooFew(want.target, want.eligible, r.perTarget);
      return { match: false, difference: err.key, params: err.params };
    }
    if (!sameList(got.inspectors, want.inspectors)) {
      return diff('inspectors', { index: x + 1, target: want.target, expected: list(want.inspectors), found: list(got.inspectors) });
    }
    x++;
  }
  if (r.selection.length !== x) return diff('selection-length', { expected: x, found: r.selection.length });
  return { match: true };
}
