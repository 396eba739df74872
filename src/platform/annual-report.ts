// The statutory annual report (政府信息公开工作年度报告, 国办公开办函〔2021〕30号; REGULATIONS.md §2)
// is assembled from what the modules know, never typed: each module that holds some of its
// figures declares a source (`GongkaiModule.annualReport`), and the annual-report module adds them
// up for a year and a scope (one department with its sub-departments, or the whole government).
// The catalog gives Table 二's 规章 and 行政规范性文件; disclosure requests give Table 三, Table 四
// and their processing fees (Table 二's 行政事业性收费); enforcement will give 行政许可, 行政处罚 and
// 行政强制. A Table 二 row that no mounted module supplies is entered by staff and marked so.
import type { Db } from './db/index.js';
import { OUTCOME_CODES } from './report-outcomes.js';

/** The year and whose report: `departmentIds` are the department and its sub-departments; 'all' is the government's report. */
export interface ReportScope {
  year: number;
  departmentIds: number[] | 'all';
}

/** Table 二's rows, in the table's order: the 第二十条 item each row belongs to, and what is counted. */
export const TABLE2_ROWS = ['rules', 'normative-documents', 'licensing', 'penalties', 'coercion', 'fees'] as const;
export type Table2Row = (typeof TABLE2_ROWS)[number];
/** 规章 and 行政规范性文件: 本年制发件数, 本年废止件数, 现行有效件数. */
export interface DocumentCounts {
  issued: number;
  repealed: number;
  inForce: number;
}
/** 行政许可, 行政处罚, 行政强制: 本年处理决定数量; 行政事业性收费: 本年收费金额, in 分 (shown in 万元). */
export interface Table2 {
  rules?: DocumentCounts;
  'normative-documents'?: DocumentCounts;
  licensing?: number;
  penalties?: number;
  coercion?: number;
  /** Amount in 分 (1 万元 = 1,000,000 分), so sums stay exact. */
  fees?: number;
}

/** Table 三's columns: 自然人, then 法人或其他组织 in five (the requester types of disclosure requests). */
export const TABLE3_COLUMNS = ['natural-person', 'commercial', 'research', 'public-interest', 'legal-services', 'other-org'] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number];
export type ColumnCounts = Record<Table3Column, number>;

/**
 * Table 三 by column: 一 new this year (received in the year), 二 carried over from last year
 * (received before the year, not closed before it), 三 the outcomes of the year by leaf code (the
 * requests module's outcome tree: `disclosed`, `withheld.state-secret` …), 四 carried to next year.
 * The printed check 一 + 二 = 三 + 四 holds per column when every request is counted once.
 */
export interface Table3 {
  received: ColumnCounts;
  carriedIn: ColumnCounts;
  outcomes: Record<string, ColumnCounts>;
  carriedOut: ColumnCounts;
}

/** Table 四's outcome columns: 结果维持, 结果纠正, 其他结果, 尚未审结 (总计 is their sum). */
export const TABLE4_OUTCOMES = ['maintained', 'corrected', 'other', 'pending'] as const;
export type Table4Outcome = (typeof TABLE4_OUTCOMES)[number];
/** Table 四's three blocks: 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉 — fifteen numbers with the totals. */
export const TABLE4_KINDS = ['review', 'suit-direct', 'suit-after-review'] as const;
export type Table4Kind = (typeof TABLE4_KINDS)[number];
export type Table4 = Record<Table4Kind, Record<Table4Outcome, number>>;

/** What one module contributes; each function answers for the scope only what it holds. */
export interface AnnualReportSource {
  table2?: (db: Db, scope: ReportScope) => Promise<Table2>;
  table3?: (db: Db, scope: ReportScope) => Promise<Table3>;
  table4?: (db: Db, scope: ReportScope) => Promise<Table4>;
}

export const emptyColumns = (): ColumnCounts => Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, 0])) as ColumnCounts;
export const emptyTable4 = (): Table4 => Object.fromEntries(TABLE4_KINDS.map((k) => [k, Object.fromEntries(TABLE4_OUTCOMES.map((o) => [o, 0]))])) as Table4;

// ---- assembling -------------------------------------------------------------------------------------

/** Table 三 with what the printed table adds: （七）总计 per column, the 总计 column, and the check. */
export interface Table3Report extends Table3 {
  /** （七）总计: the sum of every outcome per column. */
  outcomeTotal: ColumnCounts;
  /** The 总计 column of each row (received, carriedIn, each outcome code, outcomeTotal, carriedOut). */
  total: Record<string, number>;
  /** 一 + 二 = 三 + 四, per column and for the 总计 column: passed when both sides are equal. */
  check: Record<Table3Column | 'total', { left: number; right: number; passed: boolean }>;
}

export interface AssembledReport {
  scope: ReportScope;
  /** Each Table 二 row with the figure the mounted modules gave, or null where none gives it (staff enter it). */
  table2: Record<Table2Row, DocumentCounts | number | null>;
  /** Whether a Table 三 source is mounted (else the table is all zeros and says so). */
  table3Supplied: boolean;
  table3: Table3Report;
  table4Supplied: boolean;
  /** Table 四 with 总计 per block. */
  table4: Record<Table4Kind, Record<Table4Outcome | 'total', number>>;
}

const addColumns = (a: ColumnCounts, b: ColumnCounts | undefined): ColumnCounts => Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, a[c] + (b?.[c] ?? 0)])) as ColumnCounts;
const sumColumns = (c: ColumnCounts) => TABLE3_COLUMNS.reduce((s, k) => s + c[k], 0);

/** Adds up what the modules' sources give (`p.modules.flatMap((m) => m.annualReport ?? [])`) for the scope (sources run one after the other: one connection on SQLite). */
export async function assembleAnnualReport(db: Db, sources: AnnualReportSource[], scope: ReportScope): Promise<AssembledReport> {
  const table2: AssembledReport['table2'] = { rules: null, 'normative-documents': null, licensing: null, penalties: null, coercion: null, fees: null };
  const t3: Table3 = { received: emptyColumns(), carriedIn: emptyColumns(), outcomes: {}, carriedOut: emptyColumns() };
  for (const code of OUTCOME_CODES) t3.outcomes[code] = emptyColumns();
  const t4 = emptyTable4();
  let table3Supplied = false;
  let table4Supplied = false;
  for (const s of sources) {
    if (s.table2) {
      const part = await s.table2(db, scope);
      for (const row of TABLE2_ROWS) {
        const v = part[row];
        if (v === undefined) continue;
        const had = table2[row];
        if (typeof v === 'number') table2[row] = (typeof had === 'number' ? had : 0) + v;
        else {
          const h = had && typeof had === 'object' ? had : { issued: 0, repealed: 0, inForce: 0 };
          table2[row] = { issued: h.issued + v.issued, repealed: h.repealed + v.repealed, inForce: h.inForce + v.inForce };
        }
      }
    }
    if (s.table3) {
      table3Supplied = true;
      const part = await s.table3(db, scope);
      t3.received = addColumns(t3.received, part.received);
      t3.carriedIn = addColumns(t3.carriedIn, part.carriedIn);
      t3.carriedOut = addColumns(t3.carriedOut, part.carriedOut);
      for (const [code, cols] of Object.entries(part.outcomes)) t3.outcomes[code] = addColumns(t3.outcomes[code] ?? emptyColumns(), cols);
    }
    if (s.table4) {
      table4Supplied = true;
      const part = await s.table4(db, scope);
      for (const k of TABLE4_KINDS) for (const o of TABLE4_OUTCOMES) t4[k][o] += part[k]?.[o] ?? 0;
    }
  }
  const outcomeTotal = Object.values(t3.outcomes).reduce((a, c) => addColumns(a, c), emptyColumns());
  const total: Record<string, number> = { received: sumColumns(t3.received), carriedIn: sumColumns(t3.carriedIn), carriedOut: sumColumns(t3.carriedOut), outcomeTotal: sumColumns(outcomeTotal) };
  for (const [code, cols] of Object.entries(t3.outcomes)) total[code] = sumColumns(cols);
  const check = {} as Table3Report['check'];
  for (const c of TABLE3_COLUMNS) {
    const left = t3.received[c] + t3.carriedIn[c];
    const right = outcomeTotal[c] + t3.carriedOut[c];
    check[c] = { left, right, passed: left === right };
  }
  check.total = { left: total.received + total.carriedIn, right: total.outcomeTotal + total.carriedOut, passed: total.received + total.carriedIn === total.outcomeTotal + total.carriedOut };
  const table4 = Object.fromEntries(TABLE4_KINDS.map((k) => [k, { ...t4[k], total: TABLE4_OUTCOMES.reduce((s, o) => s + t4[k][o], 0) }])) as AssembledReport['table4'];
  return { scope, table2, table3Supplied, table3: { ...t3, outcomeTotal, total, check }, table4Supplied, table4 };
}
