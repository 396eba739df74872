// The draw algorithm gongkai-draw/1 (docs/draws.md): fixed vectors checked by hand, properties
// over any pool, refusals, UTF-8 byte order, and the verdict on tampered records.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import fc from 'fast-check';
import { drawFixture } from '../fixtures/draws/rows.js';
import { commitment, computeDraw, drawSeed, DrawError, DrawStream, normaliseInputs, verifyDraw, type DrawInputs, type DrawRecordJson } from '../../src/modules/enforcement/service/draw.js';

const small = drawFixture('small.json');
const steps = drawFixture<{ lines: string[]; seed: string; words: number[] }>('small-steps.json');
const unicode = drawFixture('unicode.json');

const sm3 = (data: string | Buffer) => createHash('sm3').update(data).digest();
const inputsOf = (r: DrawRecordJson): DrawInputs => ({ task: r.task, targets: r.targets, inspectors: r.inspectors, conflicts: r.conflicts as [string, string][], sampleSize: r.sampleSize, perTarget: r.perTarget, field: r.field, secrets: r.secrets, beacon: r.beacon });
const clone = <T>(x: T): T => structuredClone(x);

describe('the fixed vector (test/fixtures/draws/small.json: 5 targets, 4 inspectors, n = 2, k = 2, one conflict)', () => {
  it('the seed is SM3 of the nine lines, computed here step by step', () => {
    const lines = [
      'gongkai-draw/1',
      '7',
      sm3(small.targets.join('\n')).toString('hex'),
      sm3(small.inspectors.map((x) => x.certNo).join('\n')).toString('hex'),
      '2',
      '2',
      '4827 1937 5521 0096',
      '李华-2026-0',
      '2026-03-02 上证综指收盘 3345.67',
    ];
    expect(lines).toEqual(steps.lines);
    // The secrets and the beacon are hashed as UTF-8: 李 is three bytes.
    expect(Buffer.from(lines.join('\n'), 'utf8').length).toBeGreaterThan(lines.join('\n').length);
    const seed = sm3(Buffer.from(lines.join('\n'), 'utf8')).toString('hex');
    expect(seed).toBe(steps.seed);
    expect(drawSeed(inputsOf(small))).toBe(seed);
    expect(small.seed).toBe(seed);
  });

  it('the stream is SM3(seed ‖ 0) read as big-endian words, and the swaps give the published selection', () => {
    const block = sm3(Buffer.concat([Buffer.from(steps.seed, 'hex'), Buffer.from([0, 0, 0, 0])]));
    const words = Array.from({ length: 8 }, (_, i) => block.readUInt32BE(4 * i));
    expect(words.slice(0, 6)).toEqual(steps.words);
    const [w0, w1, w2, w3, w4] = words;
    // Targets: uniform(5) = w0 mod 5 (2^32 mod 5 = 1: only 0xffffffff would be rejected), then uniform(4).
    expect(w0 % 5).toBe(3); // a[0] ↔ a[3]
    expect(w1 % 4).toBe(1); // a[1] ↔ a[1 + 1]
    const a = [...small.targets];
    [a[0], a[3]] = [a[3], a[0]];
    [a[1], a[2]] = [a[2], a[1]];
    expect(a.slice(0, 2)).toEqual(['92110108MA02XY0LK5', '91110108MA01ABCE2J']);
    // First target: 11010801003 lacks the field market, so b = [001, 002, 004]; uniform(3), uniform(2).
    expect(w2 % 3).toBe(0); // no swap
    expect(w3 % 2).toBe(0); // no swap → [001, 002]
    // Second target: 11010801002 is in conflict with it, so b = [001, 004]; uniform(2) = 1 swaps; uniform(1) takes a word and is 0.
    expect(w4 % 2).toBe(1); // → [004, 001]
    const expected = [
      { target: '92110108MA02XY0LK5', inspectors: ['11010801001', '11010801002'] },
      { target: '91110108MA01ABCE2J', inspectors: ['11010801004', '11010801001'] },
    ];
    expect(small.selection).toEqual(expected);
    expect(computeDraw(inputsOf(small))).toEqual({ seed: steps.seed, selection: expected });
    const s = new DrawStream(steps.seed);
    expect([s.uniform(5), s.uniform(4), s.uniform(3), s.uniform(2), s.uniform(2), s.uniform(1)]).toEqual([3, 1, 0, 0, 1, 0]);
  });

  it('the witnesses’ commitments are SM3 of their UTF-8 secrets, and the record verifies', () => {
    expect(small.witnesses.map((w) => w.commitment)).toEqual(small.secrets.map((s) => sm3(Buffer.from(s, 'utf8')).toString('hex')));
    expect(commitment('李华-2026-0')).toBe(small.witnesses[1].commitment);
    expect(commitment('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'); // GB/T 32905 example A.1
    expect(verifyDraw(small)).toEqual({ match: true });
  });
});

describe('UTF-8 byte order (test/fixtures/draws/unicode.json)', () => {
  it('sorts by UTF-8 bytes, not by UTF-16 code units: characters beyond U+FFFF come last', () => {
    const shuffled = { ...inputsOf(unicode), targets: [...unicode.targets].reverse(), inspectors: [...unicode.inspectors].reverse() };
    const n = normaliseInputs(shuffled);
    expect(n.targets).toEqual(unicode.targets);
    expect(n.targets.slice(-2)).toEqual(['Ａ全角', '𠀀字号']);
    expect(n.inspectors.map((x) => x.certNo)).toEqual(['A-9', '京执-001', '京执-002', 'ｚ-3', '𠮷-1']);
    // JavaScript's own sort would put the surrogate pair before U+FF21.
    expect([...unicode.targets].sort()).not.toEqual(unicode.targets);
    expect(computeDraw(shuffled)).toEqual({ seed: unicode.seed, selection: unicode.selection });
    expect(verifyDraw(unicode)).toEqual({ match: true });
  });
});

describe('refusals', () => {
  const base = () => inputsOf(clone(small));
  const refusal = (i: DrawInputs) => {
    try {
      computeDraw(i);
    } catch (err) {
      if (err instanceof DrawError) return { code: err.code, params: err.params };
      throw err;
    }
    return null;
  };
  it('too few targets for the sample', () => {
    expect(refusal({ ...base(), sampleSize: 6 })).toEqual({ code: 'too-few-targets', params: { needed: 6, available: 5 } });
    expect(refusal({ ...base(), sampleSize: 5 })).toBeNull();
  });
  it('too few eligible inspectors for a target, naming it', () => {
    // Three inspectors have the field; the conflict leaves two for 91110108MA01ABCE2J.
    expect(refusal({ ...base(), perTarget: 4 })).toMatchObject({ code: 'too-few-inspectors', params: { needed: 4 } });
    const r = refusal({ ...base(), perTarget: 3, sampleSize: 5 });
    expect(r?.code).toBe('too-few-inspectors');
    expect(r?.params).toMatchObject({ eligible: 2, needed: 3, target: '91110108MA01ABCE2J' });
    expect(refusal({ ...base(), field: 'tourism' })).toMatchObject({ code: 'too-few-inspectors', params: { eligible: 0 } });
  });
  it('inputs that are not a draw: repeated entries, line breaks, counts below one', () => {
    expect(refusal({ ...base(), targets: [...small.targets, small.targets[0]] })).toEqual({ code: 'bad-input', params: { field: 'targets', value: small.targets[0] } });
    expect(refusal({ ...base(), inspectors: [...small.inspectors, small.inspectors[1]] })).toMatchObject({ code: 'bad-input', params: { field: 'inspectors' } });
    expect(refusal({ ...base(), secrets: ['a', 'b\nc'] })).toEqual({ code: 'bad-input', params: { field: 'secrets.1', value: '' } });
    expect(refusal({ ...base(), beacon: 'x\ny' })).toMatchObject({ code: 'bad-input', params: { field: 'beacon' } });
    expect(refusal({ ...base(), sampleSize: 0 })).toMatchObject({ code: 'bad-input', params: { field: 'sampleSize' } });
    expect(refusal({ ...base(), perTarget: 1.5 })).toMatchObject({ code: 'bad-input', params: { field: 'perTarget' } });
  });
  it('uniform rejects the words at or above 2^32 − (2^32 mod m)', () => {
    const s = new DrawStream(steps.seed);
    const words = [0xffffffff, 0xfffffffe, 7];
    (s as unknown as { word: () => number }).word = () => words.shift()!;
    expect(s.uniform(3)).toBe(0xfffffffe % 3); // 2^32 mod 3 = 1: only 0xffffffff is rejected
    expect(s.uniform(2)).toBe(1);
  });
});

// ---- properties over any pool ----

const noBreak = fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !s.includes('\n'));
const FIELDS = ['market', 'food'];
const pool = fc
  .record({
    task: fc.integer({ min: 1, max: 1e6 }),
    targets: fc.uniqueArray(noBreak, { minLength: 1, maxLength: 25 }),
    inspectors: fc.uniqueArray(fc.record({ certNo: noBreak, department: fc.constantFrom('scjgj', 'wsj'), fields: fc.subarray(FIELDS) }), { minLength: 1, maxLength: 12, selector: (x) => x.certNo }),
    secrets: fc.array(noBreak, { minLength: 2, maxLength: 3 }),
    beacon: noBreak,
    field: fc.constantFrom(...FIELDS),
    n: fc.nat(),
    k: fc.integer({ min: 1, max: 4 }),
    conflictPicks: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
  })
  .map(({ task, targets, inspectors, secrets, beacon, field, n, k, conflictPicks }): DrawInputs => ({
    task,
    targets,
    inspectors,
    secrets,
    beacon,
    field,
    sampleSize: 1 + (n % targets.length),
    perTarget: k,
    conflicts: conflictPicks.map(([x, y]) => [inspectors[x % inspectors.length].certNo, targets[y % targets.length]] as [string, string]),
  }));

/** The draw, or the refusal's code. */
function attempt(i: DrawInputs): ReturnType<typeof computeDraw> | string {
  try {
    return computeDraw(i);
  } catch (err) {
    if (err instanceof DrawError) return err.code;
    throw err;
  }
}

describe('properties (fast-check)', () => {
  it('any pool: n distinct targets of the pool, k distinct eligible inspectors each, the same on a re-run and in any input order; refused only when a target lacks eligible inspectors', () => {
    fc.assert(
      fc.property(pool, fc.nat(), (i, rot) => {
        const r = attempt(i);
        const qualified = new Set(i.inspectors.filter((x) => x.fields.includes(i.field)).map((x) => x.certNo));
        const conflict = new Set(i.conflicts.map(([c, t]) => `${c}\u0000${t}`));
        const eligible = (t: string) => [...qualified].filter((c) => !conflict.has(`${c}\u0000${t}`));
        if (typeof r === 'string') {
          expect(r).toBe('too-few-inspectors');
          expect(i.targets.some((t) => eligible(t).length < i.perTarget)).toBe(true);
          return;
        }
        expect(r.selection).toHaveLength(i.sampleSize);
        const targets = r.selection.map((s) => s.target);
        expect(new Set(targets).size).toBe(i.sampleSize);
        for (const s of r.selection) {
          expect(i.targets).toContain(s.target);
          expect(s.inspectors).toHaveLength(i.perTarget);
          expect(new Set(s.inspectors).size).toBe(i.perTarget);
          for (const c of s.inspectors) expect(eligible(s.target)).toContain(c);
        }
        expect(computeDraw(i)).toEqual(r);
        const turn = <T>(xs: T[]) => xs.map((_, x) => xs[(x + rot) % xs.length]);
        expect(computeDraw({ ...i, targets: turn(i.targets), inspectors: turn(i.inspectors) })).toEqual(r);
        const n = normaliseInputs(i);
        expect(verifyDraw({ format: 'gongkai-draw/1', status: 'done', ...n, witnesses: i.secrets.map((s, x) => ({ name: `w${x}`, commitment: commitment(s) })), seed: r.seed, selection: r.selection, preparedAt: '', drawnAt: '' })).toEqual({ match: true });
      }),
    );
  });

  it('changing any input of the seed or any secret changes the seed; a new conflict or a lost field on an assigned inspector changes the selection', () => {
    fc.assert(
      fc.property(pool, fc.nat(), fc.constantFrom('task', 'target-added', 'target-removed', 'inspector', 'sampleSize', 'perTarget', 'secret', 'beacon', 'conflict', 'field'), (i, pick, what) => {
        const r = attempt(i);
        if (typeof r === 'string') return;
        const j = structuredClone(i);
        const certs = new Set(i.inspectors.map((x) => x.certNo));
        switch (what) {
          case 'task': j.task += 1; break;
          case 'target-added': j.targets.push(`${i.targets.join('')}+`); break;
          case 'target-removed': if (i.targets.length === i.sampleSize) return; j.targets.splice(pick % i.targets.length, 1); break;
          case 'inspector': { let c = `${i.inspectors[pick % i.inspectors.length].certNo}~`; while (certs.has(c)) c += '~'; j.inspectors[pick % i.inspectors.length].certNo = c; break; }
          case 'sampleSize': if (i.sampleSize === i.targets.length) j.sampleSize -= 1; else j.sampleSize += 1; if (j.sampleSize < 1) return; break;
          case 'perTarget': j.perTarget += 1; break;
          case 'secret': j.secrets[pick % j.secrets.length] += 'x'; break;
          case 'beacon': j.beacon += 'x'; break;
          case 'conflict': { const s = r.selection[pick % r.selection.length]; j.conflicts.push([s.inspectors[0], s.target]); break; }
          case 'field': { const s = r.selection[pick % r.selection.length]; const ins = j.inspectors.find((x) => x.certNo === s.inspectors[0])!; ins.fields = ins.fields.filter((f) => f !== i.field); break; }
        }
        const r2 = attempt(j);
        if (what === 'conflict' || what === 'field') {
          expect(typeof r2 === 'string' ? r2 : r2.selection).not.toEqual(r.selection);
        } else {
          expect(drawSeed(normaliseInputs(j))).not.toBe(r.seed);
        }
      }),
    );
  });

  it('a tampered record is never a match', () => {
    fc.assert(
      fc.property(pool, fc.nat(), (i, pick) => {
        const r = attempt(i);
        if (typeof r === 'string') return;
        const n = normaliseInputs(i);
        const rec = { format: 'gongkai-draw/1', status: 'done', ...n, witnesses: i.secrets.map((s, x) => ({ name: `w${x}`, commitment: commitment(s) })), seed: r.seed, selection: r.selection, preparedAt: '', drawnAt: '' };
        const other = structuredClone(rec);
        const s = other.selection[pick % other.selection.length];
        const outside = n.targets.find((t) => !r.selection.some((x) => x.target === t));
        if (outside !== undefined) s.target = outside;
        else s.inspectors.reverse();
        if (outside === undefined && i.perTarget === 1) s.inspectors.push('extra');
        expect(verifyDraw(other).match).toBe(false);
      }),
    );
  });
});

describe('the verdict names the first difference', () => {
  const tampered = (change: (r: DrawRecordJson) => void) => {
    const r = clone(small);
    change(r);
    return verifyDraw(r);
  };
  it('format', () => {
    expect(verifyDraw(null)).toEqual({ match: false, difference: 'enforcement.draw.diff.format', params: { path: '/' } });
    expect(verifyDraw('x')).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/' } });
    expect(tampered((r) => ((r as { format: string }).format = 'gongkai-draw/2'))).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/format' } });
    expect(tampered((r) => delete (r as Partial<DrawRecordJson>).targets)).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/targets' } });
    expect(tampered((r) => ((r.conflicts[0] as string[]) = ['only one']))).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/conflicts/0' } });
    expect(tampered((r) => (r.witnesses = r.witnesses.slice(0, 1)))).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/witnesses' } });
    expect(tampered((r) => (r.seed = null))).toMatchObject({ difference: 'enforcement.draw.diff.format', params: { path: '/seed' } });
  });
  it('a prepared draw has nothing to re-run', () => {
    expect(tampered((r) => Object.assign(r, { status: 'prepared', secrets: [], seed: null, selection: null }))).toEqual({ match: false, difference: 'enforcement.draw.diff.prepared', params: {} });
  });
  it('order of the pools', () => {
    expect(tampered((r) => r.targets.reverse())).toMatchObject({ difference: 'enforcement.draw.diff.order', params: { list: 'enforcement.draw.list.targets', index: 2 } });
    expect(tampered((r) => (r.inspectors[1] = r.inspectors[0]))).toMatchObject({ difference: 'enforcement.draw.diff.order', params: { list: 'enforcement.draw.list.inspectors', index: 2, value: '11010801001' } });
  });
  it('secrets and commitments', () => {
    expect(tampered((r) => r.secrets.pop())).toEqual({ match: false, difference: 'enforcement.draw.diff.secrets-count', params: { secrets: 1, witnesses: 2 } });
    expect(tampered((r) => (r.secrets[1] = '李华-2026-1'))).toEqual({ match: false, difference: 'enforcement.draw.diff.commitment', params: { index: 2, witness: '李华（企业代表）' } });
  });
  it('the seed', () => {
    expect(tampered((r) => (r.beacon = ''))).toMatchObject({ difference: 'enforcement.draw.diff.seed', params: { expected: expect.stringMatching(/^[0-9a-f]{64}$/), found: small.seed } });
    expect(tampered((r) => (r.seed = '0'.repeat(64)))).toMatchObject({ difference: 'enforcement.draw.diff.seed', params: { expected: small.seed } });
  });
  it('the selection', () => {
    expect(tampered((r) => (r.selection![1].target = '93110108MA03HJKL7P'))).toEqual({ match: false, difference: 'enforcement.draw.diff.target', params: { index: 2, expected: '91110108MA01ABCE2J', found: '93110108MA03HJKL7P' } });
    expect(tampered((r) => r.selection![0].inspectors.reverse())).toEqual({
      match: false,
      difference: 'enforcement.draw.diff.inspectors',
      params: { index: 1, target: '92110108MA02XY0LK5', expected: '11010801001, 11010801002', found: '11010801002, 11010801001' },
    });
    expect(tampered((r) => r.selection!.pop())).toMatchObject({ difference: 'enforcement.draw.diff.selection-length', params: { expected: 2, found: 1 } });
    expect(tampered((r) => r.selection!.push({ target: 'x', inspectors: [] }))).toMatchObject({ difference: 'enforcement.draw.diff.selection-length', params: { expected: 2, found: 3 } });
    // Fields and conflicts are not in the seed (they were published before the draw); changed, the
    // selection no longer follows — here 11010801001 loses the field.
    expect(tampered((r) => (r.inspectors[0].fields = ['quality']))).toEqual({
      match: false,
      difference: 'enforcement.draw.diff.inspectors',
      params: { index: 1, target: '92110108MA02XY0LK5', expected: '11010801002, 11010801004', found: '11010801001, 11010801002' },
    });
  });
  it('a record whose inputs cannot be drawn', () => {
    expect(tampered((r) => (r.field = 'tourism'))).toMatchObject({ match: false, difference: 'enforcement.draw.err.too-few-inspectors', params: { eligible: 0 } });
  });
});

// ---- the browser's re-run (web/static/draw-verify.js) gives the same verdicts ----

function browserScript(): { sm3hex(s: string): string; verify(r: unknown): unknown } {
  const ctx = { window: {} as Record<string, unknown>, document: { getElementById: () => null }, TextEncoder, Map, Set };
  vm.createContext(ctx);
  vm.runInContext(readFileSync(new URL('../../web/static/draw-verify.js', import.meta.url), 'utf8'), ctx);
  return ctx.window.GongkaiDraw as { sm3hex(s: string): string; verify(r: unknown): unknown };
}

describe('draw-verify.js, run here outside the browser, agrees with verifyDraw', () => {
  const js = browserScript();
  // Results cross a vm context: compare them as JSON.
  const same = (r: unknown) => expect(JSON.parse(JSON.stringify(js.verify(r)))).toEqual(verifyDraw(r));
  it('SM3', () => {
    for (const s of ['', 'abc', 'a'.repeat(64), '公开'.repeat(40), '𠮷野家 🌸', 'x'.repeat(1000)]) expect(js.sm3hex(s)).toBe(commitment(s));
  });
  it('on the fixtures and their tamperings', () => {
    const cases: ((r: any) => void)[] = [
      () => {},
      (r) => (r.format = 'x'),
      (r) => delete r.targets,
      (r) => (r.task = 0),
      (r) => (r.targets[2] = 5),
      (r) => (r.inspectors[1].fields = 'market'),
      (r) => (r.conflicts[0] = ['a']),
      (r) => (r.witnesses = [r.witnesses[0]]),
      (r) => (r.witnesses[0].commitment = 'ABC'),
      (r) => (r.seed = null),
      (r) => (r.selection = null),
      (r) => Object.assign(r, { status: 'prepared' }),
      (r) => r.targets.reverse(),
      (r) => (r.inspectors[2] = r.inspectors[1]),
      (r) => r.secrets.pop(),
      (r) => (r.secrets[0] += ' '),
      (r) => (r.beacon = 'x'),
      (r) => (r.selection[0].target = r.selection[1].target),
      (r) => r.selection[1].inspectors.reverse(),
      (r) => r.selection.pop(),
      (r) => r.selection.push({ target: 'x', inspectors: [] }),
      (r) => (r.field = 'nothing'),
      (r) => (r.inspectors[0].fields = []),
      (r) => (r.conflicts = []),
    ];
    for (const f of [small, unicode]) {
      same(null);
      same([f]);
      for (const change of cases) {
        const r = clone(f);
        change(r);
        same(r);
      }
    }
  });
  it('on any pool, tampered or not', () => {
    fc.assert(
      fc.property(pool, fc.nat(), fc.nat(3), (i, pick, how) => {
        const r = attempt(i);
        if (typeof r === 'string') return;
        const rec: any = { format: 'gongkai-draw/1', status: 'done', ...normaliseInputs(i), witnesses: i.secrets.map((s, x) => ({ name: `w${x}`, commitment: commitment(s) })), seed: r.seed, selection: r.selection, preparedAt: '', drawnAt: '' };
        if (how === 1) rec.selection[pick % rec.selection.length].inspectors.reverse();
        if (how === 2) rec.perTarget += 1;
        if (how === 3) rec.conflicts.push([rec.selection[0].inspectors[0], rec.selection[0].target]);
        same(rec);
      }),
      { numRuns: 60 },
    );
  });
});
