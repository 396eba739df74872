// The working-day calendar: every 2025 and 2026 holiday and make-up day, properties checked
// against a naive oracle, provisional years, and time-zone independence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeEnv, type TestEnv } from '../helpers.js';
import { addMonths, addNaturalDays, addWorkdays, calendarSnapshot, isWorkday, loadCalendar, todayShanghai, workdaysBetween } from '../../src/platform/calendar/index.js';
import { SEED_SCHEDULES } from '../../src/platform/calendar/seed.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await loadCalendar(env.p.db);
});
afterAll(async () => env?.close());

const HOLIDAYS = new Map(Object.values(SEED_SCHEDULES).flat().filter((d) => d.kind === 'holiday').map((d) => [d.date, d.name]));
const MAKEUP = new Set(Object.values(SEED_SCHEDULES).flat().filter((d) => d.kind === 'workday').map((d) => d.date));

/** A deliberately naive oracle: Date.UTC arithmetic and the seed lists. */
function oracleWorkday(d: string): boolean {
  if (HOLIDAYS.has(d)) return false;
  if (MAKEUP.has(d)) return true;
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}
function oracleAdd(start: string, n: number): string {
  let t = Date.parse(`${start}T00:00:00Z`);
  let c = 0;
  let d = start;
  while (c < n) {
    t += 86400000;
    d = new Date(t).toISOString().slice(0, 10);
    if (oracleWorkday(d)) c++;
  }
  return d;
}

describe('the seeded calendar (REGULATIONS.md §11)', () => {
  it('is loaded from the database with 2025 and 2026 published', () => {
    const s = calendarSnapshot();
    expect(s.loaded).toBe(true);
    expect([...s.published].sort()).toEqual([2025, 2026]);
  });

  it('marks every 2025 and 2026 holiday as a day off, with its name', () => {
    expect(HOLIDAYS.size).toBe(1 + 8 + 3 + 5 + 3 + 8 + 3 + 9 + 3 + 5 + 3 + 3 + 7);
    for (const [date, name] of HOLIDAYS) expect(isWorkday(date), date).toEqual({ workday: false, reason: 'holiday', name, provisional: false });
  });

  it('marks every make-up day (调休) as a working day although it is a weekend', () => {
    expect([...MAKEUP].sort()).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const d of MAKEUP) {
      expect(new Date(`${d}T00:00:00Z`).getUTCDay() % 6, d).toBe(0); // all are Saturdays or Sundays
      expect(isWorkday(d), d).toMatchObject({ workday: true, reason: 'makeup-day', provisional: false });
    }
  });

  // One working day from the eve of each holiday block (and from each block's last day before a make-up day).
  const table: [string, string][] = [
    ['2025-01-01', '2025-01-02'],
    ['2025-01-24', '2025-01-26'],
    ['2025-01-27', '2025-02-05'],
    ['2025-02-07', '2025-02-08'],
    ['2025-04-03', '2025-04-07'],
    ['2025-04-25', '2025-04-27'],
    ['2025-04-30', '2025-05-06'],
    ['2025-05-30', '2025-06-03'],
    ['2025-09-26', '2025-09-28'],
    ['2025-09-30', '2025-10-09'],
    ['2025-10-10', '2025-10-11'],
    ['2025-12-31', '2026-01-04'],
    ['2026-02-13', '2026-02-14'],
    ['2026-02-14', '2026-02-24'],
    ['2026-02-27', '2026-02-28'],
    ['2026-04-03', '2026-04-07'],
    ['2026-04-30', '2026-05-06'],
    ['2026-05-08', '2026-05-09'],
    ['2026-06-18', '2026-06-22'],
    ['2026-09-18', '2026-09-20'],
    ['2026-09-24', '2026-09-28'],
    ['2026-09-30', '2026-10-08'],
    ['2026-10-09', '2026-10-10'],
  ];
  it.each(table)('1 working day after %s is %s', (start, due) => {
    const r = addWorkdays(start, 1);
    expect(r.due).toBe(due);
    expect(r.provisional).toBe(false);
    expect(r.counted).toEqual([due]);
  });

  it('counts from the next working day when the start is a holiday (received during 春节)', () => {
    const r = addWorkdays('2026-02-16', 1);
    expect(r.due).toBe('2026-02-24');
    expect(r.skipped.map((s) => s.date)).toEqual(['2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
  });

  it('explains a 20-working-day reply across 国庆 with each skipped day and reason', () => {
    const r = addWorkdays('2025-09-26', 20);
    expect(r.counted).toHaveLength(20);
    expect(r.counted[0]).toBe('2025-09-28'); // the make-up Sunday counts
    expect(r.due).toBe(oracleAdd('2025-09-26', 20));
    expect(r.skipped).toContainEqual({ date: '2025-10-06', reason: 'holiday', name: '国庆节、中秋节' });
    expect(r.skipped).toContainEqual({ date: '2025-09-27', reason: 'weekend' });
    expect(r.skipped.some((s) => s.date === '2025-10-11')).toBe(false);
  });
});

describe('properties', () => {
  const dates = fc.integer({ min: Date.UTC(2024, 10, 1), max: Date.UTC(2027, 1, 1) }).map((t) => new Date(Math.floor(t / 86400000) * 86400000).toISOString().slice(0, 10));
  const inSchedule = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 9, 1) }).map((t) => new Date(Math.floor(t / 86400000) * 86400000).toISOString().slice(0, 10));

  it('a due date (N >= 1) is always a working day, and agrees with the naive oracle', () => {
    fc.assert(
      fc.property(inSchedule, fc.integer({ min: 1, max: 40 }), (start, n) => {
        const r = addWorkdays(start, n);
        expect(isWorkday(r.due).workday).toBe(true);
        expect(r.due).toBe(oracleAdd(start, n));
        expect(r.counted.length).toBe(n);
        expect(workdaysBetween(start, r.due)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('never decreases as N grows', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 50 }), (start, n, k) => {
        expect(addWorkdays(start, n + k).due >= addWorkdays(start, n).due).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a pause never moves the due date earlier, and moves it by exactly the paused working days', () => {
    fc.assert(
      fc.property(inSchedule, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20 }), (start, n, off, len) => {
        const from = new Date(Date.parse(`${start}T00:00:00Z`) + off * 86400000).toISOString().slice(0, 10);
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + len * 86400000).toISOString().slice(0, 10);
        const plain = addWorkdays(start, n);
        const paused = addWorkdays(start, n, { pauses: [{ from, to, kind: 'correction' }] });
        expect(paused.due >= plain.due).toBe(true);
        expect(isWorkday(paused.due).workday).toBe(true);
        const pausedDays = paused.skipped.filter((s) => s.reason === 'pause').length;
        expect(paused.due).toBe(addWorkdays(start, n + pausedDays).due);
      }),
      { numRuns: 500 },
    );
  });
});

describe('years without a published schedule', () => {
  it('fall back to weekends only and mark the result provisional (2031)', () => {
    const r = addWorkdays('2031-09-30', 5);
    expect(r.provisional).toBe(true);
    expect(r.due).toBe('2031-10-07'); // 10-01 is an ordinary Wednesday until 2031 is published
    expect(isWorkday('2031-10-01')).toEqual({ workday: true, reason: 'workday', provisional: true });
  });
  it('are provisional as soon as a count crosses into one', () => {
    expect(addWorkdays('2026-12-30', 1).provisional).toBe(false);
    expect(addWorkdays('2026-12-30', 3).provisional).toBe(true);
  });
});

describe('natural days and months', () => {
  it('rolls a 30-day period that ends on a weekend to the next working day', () => {
    const r = addNaturalDays('2026-01-01', 30);
    expect(r.counted).toHaveLength(30);
    expect(r.due).toBe('2026-02-02');
    expect(r.skipped.map((s) => s.date)).toEqual(['2026-01-31', '2026-02-01']);
  });
  it('uses the last day of a shorter month and keeps a make-up Saturday', () => {
    expect(addMonths('2026-01-31', 1).due).toBe('2026-02-28');
    expect(addMonths('2025-01-31', 1).due).toBe('2025-02-28');
    expect(addMonths('2025-08-31', 1).due).toBe('2025-09-30');
  });
});

describe('time zones', () => {
  it('gives Asia/Shanghai dates whatever the process time zone', () => {
    expect(todayShanghai(new Date('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(todayShanghai(new Date('2026-02-13T15:59:59Z'))).toBe('2026-02-13');
    // The computation itself never touches the local time zone.
    expect(addWorkdays('2026-03-08', 1).due).toBe('2026-03-09');
  });
});

describe('performance', () => {
  // The speed itself is measured in bench/deadlines.ts; this only catches a calendar rebuilt per
  // call (minutes for 100,000), with room for a busy shared machine (1.3 s seen at load 16).
  it('computes 100,000 due dates without rebuilding the calendar per call', () => {
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) addWorkdays(`2026-0${1 + (i % 9)}-1${i % 9}`, 20, { explain: false });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
