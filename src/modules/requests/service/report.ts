// The annual report's figures that disclosure requests hold (platform/annual-report.ts): Table 三
// by requester-type column, Table 四 from the review and litigation records, and Table 二's
// 行政事业性收费 (信息处理费 paid in the year). A few grouped queries with conditional counts over
// the receipt and closing dates (all Asia/Shanghai dates, YYYY-MM-DD, so text comparison is date
// order). A request that breaks the table — closed without a receipt date, closed without an
// outcome (or one not in the tree), closed without a closing date — is not made to fit: it is
// counted on the one side of 一 + 二 = 三 + 四 that its dates give, so the check of its column fails.
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { emptyColumns, emptyTable4, TABLE3_COLUMNS, TABLE4_KINDS, type AnnualReportSource, type ReportScope, type Table2, type Table3, type Table3Column, type Table4, type Table4Kind } from '../../../platform/annual-report.js';
import { OUTCOME_CODES } from './outcomes.js';

/** The requests (`r`) in the report's scope: a department's own ones — not those addressed to the government itself, which are the government's report — or every request. */
const inScope =
  (scope: ReportScope) =>
  <Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q =>
    scope.departmentIds === 'all' ? q : (q.where('r.department_id', 'in', scope.departmentIds.length ? scope.departmentIds : [-1]).where('r.to_government', '=', 0) as Q);

const yearBounds = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });
const n = (v: unknown) => Number(v ?? 0);
/** States that end a request: a row in them without `closed_on` cannot be placed in a year. */
const ENDED = ['replied', 'closed'];
const isColumn = (c: string): c is Table3Column => (TABLE3_COLUMNS as readonly string[]).includes(c);

/**
 * Table 三: 一 received in the year; 二 received before it and still open on 1 January; 三 closed in
 * the year, by outcome leaf; 四 received by 31 December and still open then. Open on a day: closed
 * after it, or not closed at all (no closing date, in an open state).
 */
export async function requestsTable3(db: Db, scope: ReportScope): Promise<Table3> {
  const { from, to } = yearBounds(scope.year);
  // One pass over the requests not closed before the year (closed in or after it, or not at
  // all) and received by its end or closed in it, grouped by column and outcome.
  const rows = await db
    .selectFrom('disclosure_requests as r')
    .$call(inScope(scope))
    .where((eb) => eb.or([eb('r.closed_on', '>=', from), eb('r.closed_on', 'is', null)]))
    .where((eb) => eb.or([eb('r.received_on', '<=', to), eb('r.closed_on', '<=', to)]))
    .select((eb) => {
      const open = (cmp: '>=' | '>', day: string) => eb.or([eb('r.closed_on', cmp, day), eb.and([eb('r.closed_on', 'is', null), eb('r.state', 'not in', ENDED)])]);
      const count = (cond: Expression<SqlBool>) => eb.fn.sum<number>(eb.case().when(cond).then(1).else(0).end());
      return [
        'r.requester_type',
        'r.outcome',
        count(eb.and([eb('r.received_on', '>=', from), eb('r.received_on', '<=', to)])).as('received'),
        count(eb.and([eb('r.received_on', '<', from), open('>=', from)])).as('carried_in'),
        // 三: every request closed in the year, whatever its receipt date says.
        count(eb('r.closed_on', '<=', to)).as('closed'),
        count(eb.and([eb('r.received_on', '<=', to), open('>', to)])).as('carried_out'),
      ];
    })
    .groupBy(['r.requester_type', 'r.outcome'])
    .execute();
  const t: Table3 = { received: emptyColumns(), carriedIn: emptyColumns(), outcomes: Object.fromEntries(OUTCOME_CODES.map((c) => [c, emptyColumns()])), carriedOut: emptyColumns() };
  for (const r of rows) {
    if (!isColumn(r.requester_type)) continue;
    t.received[r.requester_type] += n(r.received);
    t.carriedIn[r.requester_type] += n(r.carried_in);
    t.carriedOut[r.requester_type] += n(r.carried_out);
    // No outcome, or one outside the tree: there is no row to print it in, so it is left out and the check shows it.
    if (r.outcome && t.outcomes[r.outcome]) t.outcomes[r.outcome][r.requester_type] += n(r.closed);
  }
  return t;
}

/**
 * Table 四: per kind, the cases decided in the year by result, and 尚未审结 — filed by 31 December
 * and not decided by then (a later decision, or none; a decision date without a result counts as
 * none).
 */
export async function requestsTable4(db: Db, scope: ReportScope): Promise<Table4> {
  const { from, to } = yearBounds(scope.year);
  const rows = await db
    .selectFrom('request_reviews as v')
    .innerJoin('disclosure_requests as r', 'r.id', 'v.request_id')
    .$call(inScope(scope))
    .where('v.filed_on', '<=', to)
    .where((eb) => eb.or([eb('v.outcome', 'is', null), eb('v.decided_on', 'is', null), eb('v.decided_on', '>=', from)]))
    .select((eb) => [
      'v.kind',
      eb
        .case()
        .when(eb.and([eb('v.outcome', 'is not', null), eb('v.decided_on', '<=', to)]))
        .then(eb.ref('v.outcome'))
        .else(sql.lit('pending'))
        .end()
        .as('result'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['v.kind', 'result'])
    .execute();
  const t = emptyTable4();
  for (const r of rows) {
    if (!(TABLE4_KINDS as readonly string[]).includes(r.kind) || !r.result) continue;
    const row = t[r.kind as Table4Kind];
    if (r.result in row) row[r.result as keyof typeof row] += n(r.n);
  }
  return t;
}

/** Table 二's 行政事业性收费: the 信息处理费 paid in the year, in 分. */
export async function requestsTable2(db: Db, scope: ReportScope): Promise<Table2> {
  const { from, to } = yearBounds(scope.year);
  const r = await db
    .selectFrom('request_fees as f')
    .innerJoin('disclosure_requests as r', 'r.id', 'f.request_id')
    .$call(inScope(scope))
    .where('f.status', '=', 'paid')
    .where('f.paid_on', '>=', from)
    .where('f.paid_on', '<=', to)
    .select((eb) => eb.fn.sum<number>('f.amount_fen').as('fen'))
    .executeTakeFirst();
  return { fees: n(r?.fen) };
}

export const requestsReportSource: AnnualReportSource = { table2: requestsTable2, table3: requestsTable3, table4: requestsTable4 };
