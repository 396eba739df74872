// The statutory holiday schedules published by the State Council (REGULATIONS.md §11).
// This is the seed the calendar migration writes into the database; after that the calendar
// lives in the tables (calendar_years, calendar_days) and admins import and edit it there.
export interface SeedDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

function range(from: string, to: string, name: string): SeedDay[] {
  const out: SeedDay[] = [];
  const [y, m, d] = from.split('-').map(Number);
  const end = to;
  for (let t = Date.UTC(y, m - 1, d); ; t += 86400000) {
    const s = new Date(t).toISOString().slice(0, 10);
    out.push({ date: s, kind: 'holiday', name });
    if (s === end) break;
  }
  return out;
}

const w = (date: string, name: string): SeedDay => ({ date, kind: 'workday', name });

export const SEED_SCHEDULES: Record<number, SeedDay[]> = {
  2025: [
    ...range('2025-01-01', '2025-01-01', '元旦'),
    ...range('2025-01-28', '2025-02-04', '春节'),
    ...range('2025-04-04', '2025-04-06', '清明节'),
    ...range('2025-05-01', '2025-05-05', '劳动节'),
    ...range('2025-05-31', '2025-06-02', '端午节'),
    ...range('2025-10-01', '2025-10-08', '国庆节、中秋节'),
    w('2025-01-26', '春节调休上班'),
    w('2025-02-08', '春节调休上班'),
    w('2025-04-27', '劳动节调休上班'),
    w('2025-09-28', '国庆节调休上班'),
    w('2025-10-11', '国庆节调休上班'),
  ],
  2026: [
    ...range('2026-01-01', '2026-01-03', '元旦'),
    ...range('2026-02-15', '2026-02-23', '春节'),
    ...range('2026-04-04', '2026-04-06', '清明节'),
    ...range('2026-05-01', '2026-05-05', '劳动节'),
    ...range('2026-06-19', '2026-06-21', '端午节'),
    ...range('2026-09-25', '2026-09-27', '中秋节'),
    ...range('2026-10-01', '2026-10-07', '国庆节'),
    w('2026-01-04', '元旦调休上班'),
    w('2026-02-14', '春节调休上班'),
    w('2026-02-28', '春节调休上班'),
    w('2026-05-09', '劳动节调休上班'),
    w('2026-09-20', '中秋节调休上班'),
    w('2026-10-10', '国庆节调休上班'),
  ],
};
