// The hearing draw gongkai-hearing-draw/1 (docs/draws.md, "Hearing draw"): the fixture re-computed
// step by step, the seats per viewpoint (largest remainder), re-runs, and tampered records.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitment } from '../../src/platform/draw.js';
import { computeHearingDraw, hearingQuotas, verifyHearingDraw, HearingDrawError, type HearingDrawInputs, type HearingDrawRecord, type Viewpoint } from '../../src/modules/decisions/service/hearing-draw.js';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/draws/hearing-small.json'), 'utf8')) as HearingDrawRecord;
const sm3 = (data: string | Buffer) => createHash('sm3').update(data).digest();
const inputsOf = (r: HearingDrawRecord): HearingDrawInputs => ({ hearing: r.hearing, applicants: r.applicants, participants: r.participants, stratified: r.stratified, secrets: r.secrets, beacon: r.beacon });
const clone = <T>(x: T): T => structuredClone(x);

describe('the fixture (test/fixtures/draws/hearing-small.json: 10 applicants 5/3/2, N = 5, stratified)', () => {
  it('the seed is SM3 of the eight lines and the swaps give the published selection', () => {
    const lines = [
      'gongkai-hearing-draw/1',
      '3',
      sm3(fixture.applicants.map((a) => `${a.ref}\t${a.viewpoint}`).join('\n')).toString('hex'),
      '5',
      '1',
      '王芳 0315 7788',
      'hearing-赵强-42',
      '2026-03-20 深证成指收盘 10234.56',
    ];
    const seed = sm3(Buffer.from(lines.join('\n'), 'utf8')).toString('hex');
    expect(seed).toBe(fixture.seed);
    const block = sm3(Buffer.concat([Buffer.from(seed, 'hex'), Buffer.from([0, 0, 0, 0])]));
    const w = Array.from({ length: 8 }, (_, i) => block.readUInt32BE(4 * i));
    // Seats: 5·5/10 = 2.5, 5·3/10 = 1.5, 5·2/10 = 1 → 2, 1, 1; one seat left, remainders 5, 5, 0: a tie, 'for' first.
    expect(fixture.quotas).toEqual({ for: 3, against: 1, other: 1 });
    // for = [101, 103, 105, 107, 110]: uniform(5), uniform(4), uniform(3).
    const f = ['000101', '000103', '000105', '000107', '000110'];
    for (let i = 0, x = 0; i < 3; i++, x++) {
      const j = i + (w[x] % (5 - i));
      [f[i], f[j]] = [f[j], f[i]];
    }
    const against = ['000102', '000106', '000109'];
    const j1 = w[3] % 3;
    [against[0], against[j1]] = [against[j1], against[0]];
    const other = ['000104', '000108'];
    const j2 = w[4] % 2;
    [other[0], other[j2]] = [other[j2], other[0]];
    const expected = [...f.slice(0, 3), against[0], other[0]];
    expect(fixture.selection).toEqual(expected);
    expect(expected).toEqual(['000107', '000105', '000103', '000102', '000104']);
    expect(fixture.witnesses.map((x) => x.commitment)).toEqual(fixture.secrets.map((s) => sm3(Buffer.from(s, 'utf8')).toString('hex')));
  });

  it('computeHearingDraw gives the fixture, whatever the order of the applicants', () => {
    const r = computeHearingDraw(inputsOf(fixture));
    expect(r).toEqual({ seed: fixture.seed, quotas: fixture.quotas, selection: fixture.selection });
    const shuffled = { ...inputsOf(fixture), applicants: [...fixture.applicants].reverse() };
    expect(computeHearingDraw(shuffled)).toEqual(r);
    expect(verifyHearingDraw(fixture)).toEqual({ match: true });
  });
});

describe('seats per viewpoint (largest remainder, ties for → against → other)', () => {
  it.each([
    [{ for: 5, against: 3, other: 2 }, 5, { for: 3, against: 1, other: 1 }],
    [{ for: 10, against: 6, other: 4 }, 10, { for: 5, against: 3, other: 2 }],
    [{ for: 7, against: 7, other: 0 }, 5, { for: 3, against: 2, other: 0 }],
    [{ for: 1, against: 1, other: 1 }, 2, { for: 1, against: 1, other: 0 }],
    [{ for: 12, against: 2, other: 1 }, 6, { for: 5, against: 1, other: 0 }],
    [{ for: 2, against: 1, other: 0 }, 9, { for: 2, against: 1, other: 0 }],
    [{ for: 0, against: 0, other: 0 }, 4, { for: 0, against: 0, other: 0 }],
  ])('%j, %i seats → %j', (counts, n, want) => {
    expect(hearingQuotas(counts, n)).toEqual(want);
  });

  it('a stratified draw takes exactly the quota of each viewpoint, distinct applicants of it', () => {
    const views: Viewpoint[] = ['for', 'against', 'other'];
    for (let seedNo = 0; seedNo < 30; seedNo++) {
      const count = 3 + ((seedNo * 7) % 40);
      const applicants = Array.from({ length: count }, (_, i) => ({ ref: String(1000 + i), viewpoint: views[(i * (seedNo + 1)) % 3] }));
      const n = 1 + (seedNo % 12);
      const r = computeHearingDraw({ hearing: 9, applicants, participants: n, stratified: true, secrets: [`s${seedNo}`, 't'], beacon: '' });
      expect(new Set(r.selection).size).toBe(Math.min(n, count));
      for (const v of views) {
        const picked = r.selection.filter((ref) => applicants.find((a) => a.ref === ref)!.viewpoint === v);
        expect(picked.length).toBe(r.quotas![v]);
      }
      expect(r.quotas).toEqual(hearingQuotas({ for: applicants.filter((a) => a.viewpoint === 'for').length, against: applicants.filter((a) => a.viewpoint === 'against').length, other: applicants.filter((a) => a.viewpoint === 'other').length }, n));
    }
  });

  it('unstratified: N of the applicants, no quotas; fewer applicants than N: all of them', () => {
    const applicants = fixture.applicants;
    const r = computeHearingDraw({ ...inputsOf(fixture), stratified: false });
    expect(r.quotas).toBeNull();
    expect(new Set(r.selection).size).toBe(5);
    const all = computeHearingDraw({ ...inputsOf(fixture), participants: 50 });
    expect([...all.selection].sort()).toEqual(applicants.map((a) => a.ref));
  });

  it('refuses inputs that are no draw', () => {
    const refusal = (i: HearingDrawInputs) => {
      try {
        computeHearingDraw(i);
        return null;
      } catch (err) {
        return err instanceof HearingDrawError ? { code: err.code, params: err.params } : String(err);
      }
    };
    const base = inputsOf(fixture);
    expect(refusal({ ...base, applicants: [] })).toEqual({ code: 'no-applicants', params: {} });
    expect(refusal({ ...base, applicants: [...base.applicants, base.applicants[0]] })).toMatchObject({ code: 'bad-input', params: { field: 'applicants' } });
    expect(refusal({ ...base, participants: 0 })).toMatchObject({ code: 'bad-input', params: { field: 'participants' } });
    expect(refusal({ ...base, secrets: ['a', 'b\nc'] })).toMatchObject({ code: 'bad-input', params: { field: 'secrets.1' } });
    expect(refusal({ ...base, applicants: [{ ref: 'x', viewpoint: 'maybe' as Viewpoint }] })).toMatchObject({ code: 'bad-input', params: { field: 'applicants.0.viewpoint' } });
  });
});

describe('verifyHearingDraw names the first difference', () => {
  const key = (r: unknown) => {
    const v = verifyHearingDraw(r);
    return v.match ? 'match' : v.difference;
  };
  it('tampered records', () => {
    const sel = clone(fixture);
    sel.selection![0] = '000110';
    expect(key(sel)).toBe('decisions.hearings.draw.diff.selected');
    const short = clone(fixture);
    short.selection!.pop();
    expect(key(short)).toBe('decisions.hearings.draw.diff.selection-length');
    const secret = clone(fixture);
    secret.secrets[1] = 'other';
    expect(key(secret)).toBe('decisions.hearings.draw.diff.commitment');
    const recommitted = clone(fixture);
    recommitted.secrets[1] = 'other';
    recommitted.witnesses[1].commitment = commitment('other');
    expect(key(recommitted)).toBe('decisions.hearings.draw.diff.seed');
    const order = clone(fixture);
    [order.applicants[0], order.applicants[1]] = [order.applicants[1], order.applicants[0]];
    expect(key(order)).toBe('decisions.hearings.draw.diff.order');
    const view = clone(fixture);
    view.applicants[0].viewpoint = 'against';
    expect(key(view)).toBe('decisions.hearings.draw.diff.seed');
    const quotas = clone(fixture);
    quotas.quotas = { for: 2, against: 2, other: 1 };
    expect(key(quotas)).toBe('decisions.hearings.draw.diff.quotas');
    expect(key({ ...clone(fixture), status: 'prepared' })).toBe('decisions.hearings.draw.diff.prepared');
    expect(key({ ...clone(fixture), format: 'gongkai-draw/1' })).toBe('decisions.hearings.draw.diff.format');
    expect(key(null)).toBe('decisions.hearings.draw.diff.format');
    expect(key({ ...clone(fixture), applicants: 'x' })).toBe('decisions.hearings.draw.diff.format');
  });
});
