// The hearing draw, format gongkai-hearing-draw/1 (docs/draws.md, "Hearing draw"): among the
// applicants to take part in a hearing (听证参加人), select N participants by the platform's
// verifiable draw (platform/draw.ts: witnesses' commitments, the SM3 stream, the partial shuffle),
// stratified by viewpoint (for / against / other, seats proportional by largest remainder) when
// asked. Pure: the same record always re-runs to the same selection.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { commitment, DrawStream, firstOutOfOrder, firstWithLineBreak, hashLines, shuffleFirst, sortUtf8 } from '../../../platform/draw.js';

export const HEARING_DRAW_FORMAT = 'gongkai-hearing-draw/1';
/** The viewpoints, in the order the stratified draw takes them. */
export const VIEWPOINTS = ['for', 'against', 'other'] as const;
export type Viewpoint = (typeof VIEWPOINTS)[number];

export interface HearingApplicantRef {
  /** The applicant's registration number (e.g. 000012), no line break or tab. */
  ref: string;
  viewpoint: Viewpoint;
}

export interface HearingDrawInputs {
  hearing: number;
  /** Sorted by `ref` (UTF-8 bytes) by `normaliseHearingInputs`. */
  applicants: HearingApplicantRef[];
  participants: number;
  stratified: boolean;
  secrets: string[];
  beacon: string;
}

export type Quotas = Record<Viewpoint, number>;

/** Why a hearing draw cannot be made: `decisions.hearings.draw.err.<code>` with `params`. */
export class HearingDrawError extends Error {
  constructor(
    readonly code: 'bad-input' | 'no-applicants',
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
  get key(): string {
    return `decisions.hearings.draw.err.${this.code}`;
  }
}

/** The applicants sorted by the UTF-8 bytes of their ref: the order the format fixes. */
export function normaliseHearingInputs(i: HearingDrawInputs): HearingDrawInputs {
  return { ...i, applicants: sortUtf8(i.applicants, (a) => a.ref) };
}

/** The seed: SM3-hex of the format's lines (docs/draws.md). */
export function hearingDrawSeed(i: HearingDrawInputs): string {
  return hashLines([
    HEARING_DRAW_FORMAT,
    String(i.hearing),
    hashLines(i.applicants.map((a) => `${a.ref}\t${a.viewpoint}`)),
    String(i.participants),
    i.stratified ? '1' : '0',
    ...i.secrets,
    i.beacon,
  ]);
}

/**
 * Seats per viewpoint for `n` seats among `counts` applicants (n ≤ total): each viewpoint gets the
 * whole part of n·count/total; the seats left go one each to the viewpoints with the largest
 * remainders (n·count mod total), ties in the order for, against, other.
 */
export function hearingQuotas(counts: Quotas, n: number): Quotas {
  const total = VIEWPOINTS.reduce((s, v) => s + counts[v], 0);
  const out: Quotas = { for: 0, against: 0, other: 0 };
  if (total === 0) return out;
  const seats = Math.min(n, total);
  let given = 0;
  for (const v of VIEWPOINTS) {
    out[v] = Math.floor((seats * counts[v]) / total);
    given += out[v];
  }
  const byRemainder = [...VIEWPOINTS].sort((a, b) => ((seats * counts[b]) % total) - ((seats * counts[a]) % total) || VIEWPOINTS.indexOf(a) - VIEWPOINTS.indexOf(b));
  for (let x = 0; given < seats; x++, given++) out[byRemainder[x]]++;
  return out;
}

function checkInputs(i: HearingDrawInputs): void {
  if (!Number.isSafeInteger(i.hearing) || i.hearing < 1) throw new HearingDrawError('bad-input', { field: 'hearing', value: String(i.hearing) });
  if (!Number.isSafeInteger(i.participants) || i.participants < 1) throw new HearingDrawError('bad-input', { field: 'participants', value: String(i.participants) });
  const refs = i.applicants.map((a) => a.ref);
  const badRef = refs.findIndex((r) => r === '' || /[\n\t]/.test(r));
  if (badRef >= 0) throw new HearingDrawError('bad-input', { field: 'applicants', value: refs[badRef] });
  const badView = i.applicants.findIndex((a) => !(VIEWPOINTS as readonly string[]).includes(a.viewpoint));
  if (badView >= 0) throw new HearingDrawError('bad-input', { field: `applicants.${badView}.viewpoint`, value: String(i.applicants[badView].viewpoint) });
  const unordered = firstOutOfOrder(refs);
  if (unordered >= 0) throw new HearingDrawError('bad-input', { field: 'applicants', value: refs[unordered] });
  const s = firstWithLineBreak(i.secrets);
  if (s >= 0) throw new HearingDrawError('bad-input', { field: `secrets.${s}`, value: '' });
  if (i.beacon.includes('\n')) throw new HearingDrawError('bad-input', { field: 'beacon', value: i.beacon });
  if (i.applicants.length === 0) throw new HearingDrawError('no-applicants', {});
}

export interface HearingDrawResult {
  seed: string;
  /** Seats per viewpoint (stratified draws), null otherwise. */
  quotas: Quotas | null;
  /** The selected refs, in draw order. */
  selection: string[];
}

/** The draw on normalised, checked inputs. */
function run(i: HearingDrawInputs, seed: string): Omit<HearingDrawResult, 'seed'> {
  const stream = new DrawStream(seed);
  const n = Math.min(i.participants, i.applicants.length);
  if (!i.stratified) return { quotas: null, selection: shuffleFirst(stream, i.applicants.map((a) => a.ref), n) };
  const groups = Object.fromEntries(VIEWPOINTS.map((v) => [v, i.applicants.filter((a) => a.viewpoint === v).map((a) => a.ref)])) as Record<Viewpoint, string[]>;
  const quotas = hearingQuotas({ for: groups.for.length, against: groups.against.length, other: groups.other.length }, n);
  return { quotas, selection: VIEWPOINTS.flatMap((v) => shuffleFirst(stream, groups[v], quotas[v])) };
}

/** Runs the draw on the inputs (normalised first). Throws HearingDrawError when it cannot be made. */
export function computeHearingDraw(raw: HearingDrawInputs): HearingDrawResult {
  const i = normaliseHearingInputs(raw);
  checkInputs(i);
  const seed = hearingDrawSeed(i);
  return { seed, ...run(i, seed) };
}

// ---- the public record and its verification ----

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SM3, 64 lower-case hexadecimal digits' });
const ViewpointSchema = Type.Union(VIEWPOINTS.map((v) => Type.Literal(v)));

/** The published record of a hearing draw (GET /api/v1/hearings/{hid}/draw, docs/draws.md). */
export const HearingDrawRecordSchema = Type.Object(
  {
    format: Type.Literal(HEARING_DRAW_FORMAT),
    hearing: Type.Integer({ minimum: 1, description: 'The hearing id' }),
    status: Type.Union([Type.Literal('prepared'), Type.Literal('done')], { description: 'prepared: inputs published, waiting for the witnesses; done: drawn' }),
    applicants: Type.Array(Type.Object({ ref: Type.String({ description: 'Registration number' }), viewpoint: ViewpointSchema }), { description: 'In ascending UTF-8 byte order of ref' }),
    participants: Type.Integer({ minimum: 1, description: 'N, the participants to select' }),
    stratified: Type.Boolean({ description: 'Seats proportional to the viewpoints (largest remainder)' }),
    witnesses: Type.Array(Type.Object({ name: Type.String(), commitment: Hex64 }), { minItems: 2, description: 'In witness order; commitment = SM3 of the UTF-8 secret' }),
    secrets: Type.Array(Type.String(), { description: 'The revealed secrets in witness order; empty before the draw' }),
    beacon: Type.String({ description: "The public beacon value, '' for none" }),
    seed: Nullable(Hex64),
    quotas: Nullable(Type.Object({ for: Type.Integer({ minimum: 0 }), against: Type.Integer({ minimum: 0 }), other: Type.Integer({ minimum: 0 }) })),
    selection: Nullable(Type.Array(Type.String(), { description: 'The selected refs in draw order' })),
    preparedAt: Type.String({ description: 'Beijing time, ISO 8601 with offset' }),
    drawnAt: Nullable(Type.String()),
  },
  { description: 'A hearing draw in format gongkai-hearing-draw/1: everything needed to re-run it' },
);
export type HearingDrawRecord = Static<typeof HearingDrawRecordSchema>;
const recordCheck = TypeCompiler.Compile(HearingDrawRecordSchema);

export type HearingDrawVerdict = { match: true } | { match: false; difference: string; params: Record<string, string | number> };
const diff = (key: string, params: Record<string, string | number> = {}): HearingDrawVerdict => ({ match: false, difference: `decisions.hearings.draw.diff.${key}`, params });

/**
 * Re-runs a published record and reports the first difference, in this order: the format, the
 * order of the applicants, the secrets against their commitments, the seed, the quotas, then
 * each selected ref in turn and the selection's length.
 */
export function verifyHearingDraw(record: unknown): HearingDrawVerdict {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return diff('format', { path: '/' });
  if ((record as { format?: unknown }).format !== HEARING_DRAW_FORMAT) return diff('format', { path: '/format' });
  if (!recordCheck.Check(record)) return diff('format', { path: recordCheck.Errors(record).First()?.path || '/' });
  const r = record as HearingDrawRecord;
  if (r.status === 'prepared') return diff('prepared');
  if (r.seed === null) return diff('format', { path: '/seed' });
  if (r.selection === null) return diff('format', { path: '/selection' });
  const o = firstOutOfOrder(r.applicants.map((a) => a.ref));
  if (o >= 0) return diff('order', { index: o + 1, value: r.applicants[o].ref });
  if (r.secrets.length !== r.witnesses.length) return diff('secrets-count', { secrets: r.secrets.length, witnesses: r.witnesses.length });
  for (let x = 0; x < r.secrets.length; x++) {
    if (commitment(r.secrets[x]) !== r.witnesses[x].commitment) return diff('commitment', { index: x + 1, witness: r.witnesses[x].name });
  }
  const inputs: HearingDrawInputs = { hearing: r.hearing, applicants: r.applicants, participants: r.participants, stratified: r.stratified, secrets: r.secrets, beacon: r.beacon };
  try {
    checkInputs(inputs);
  } catch (err) {
    if (err instanceof HearingDrawError) return { match: false, difference: err.key, params: err.params };
    throw err;
  }
  const seed = hearingDrawSeed(inputs);
  if (seed !== r.seed) return diff('seed', { expected: seed, found: r.seed });
  const want = run(inputs, seed);
  const q = (x: Quotas | null) => (x ? VIEWPOINTS.map((v) => `${v} ${x[v]}`).join(', ') : '—');
  if (q(want.quotas) !== q(r.quotas)) return diff('quotas', { expected: q(want.quotas), found: q(r.quotas) });
  for (let x = 0; x < want.selection.length; x++) {
    if (x >= r.selection.length) break;
    if (r.selection[x] !== want.selection[x]) return diff('selected', { index: x + 1, expected: want.selection[x], found: r.selection[x] });
  }
  if (r.selection.length !== want.selection.length) return diff('selection-length', { expected: want.selection.length, found: r.selection.length });
  return { match: true };
}
