// A test-only source of annual-report figures (the real sources come with the requests and
// catalog modules): Table 二's 规章, 规范性文件 and fees, Table 三 and Table 四, different per year,
// and for a department's scope a Table 三 whose check fails (one request counted in no outcome).
import type { GongkaiModule } from '../../src/platform/module.js';
import { emptyColumns, emptyTable4, type ReportScope, type Table3 } from '../../src/platform/annual-report.js';

const cols = (o: Partial<Record<string, number>>) => ({ ...emptyColumns(), ...o });

export function table3(scope: ReportScope): Table3 {
  const k = scope.year === 2025 ? 1 : 0;
  if (scope.departmentIds !== 'all') return { received: cols({ 'natural-person': 1 }), carriedIn: emptyColumns(), outcomes: {}, carriedOut: emptyColumns() };
  return {
    received: cols({ 'natural-person': 5 + k, commercial: 2 }),
    carriedIn: cols({ 'natural-person': 1 }),
    outcomes: { disclosed: cols({ 'natural-person': 3 + k }), 'withheld.state-secret': cols({ 'natural-person': 1 }), 'not-processed.repeat': cols({ commercial: 2 }) },
    carriedOut: cols({ 'natural-person': 2 }),
  };
}

export const sourceModule: GongkaiModule = {
  name: 'test-report-source',
  annualReport: {
    async table2(_db, scope) {
      const k = scope.year === 2025 ? 1 : 0;
      return { rules: { issued: 1 + k, repealed: 0, inForce: 4 }, 'normative-documents': { issued: 3, repealed: 1 + k, inForce: 12 }, fees: 1_234_567 + k * 100 };
    },
    table3: async (_db, scope) => table3(scope),
    async table4(_db, scope) {
      const t = emptyTable4();
      t.review.maintained = 1;
      t.review.corrected = scope.year === 2025 ? 2 : 1;
      t['suit-direct'].pending = 1;
      return t;
    },
  },
};
