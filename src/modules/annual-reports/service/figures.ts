// The figures of an annual report as the report prints them (国办公开办函〔2021〕30号, REGULATIONS.md
// §2): the official rows and columns of Tables 二, 三 and 四 with their exact wording, the figures
// frozen into a version (the platform's assembly with staff's Table 二 entries), fees in 万元, the
// comparison with the previous year, and the narrative's keys.
import type { AssembledReport, DocumentCounts, Table2Row, Table3Column, Table4Kind, Table4Outcome } from '../../../platform/annual-report.js';
import { TABLE2_ROWS, TABLE3_COLUMNS, TABLE4_KINDS, TABLE4_OUTCOMES } from '../../../platform/annual-report.js';
import { OUTCOMES } from '../../../platform/report-outcomes.js';

/** The texts of sections 一 to 六: 一 总体情况; the introductions of 二, 三, 四; 五 问题及改进; 六 其他事项. */
export const NARRATIVE_KEYS = ['overview', 'proactive', 'requests', 'reviews', 'problems', 'other'] as const;
export type NarrativeKey = (typeof NARRATIVE_KEYS)[number];
export type Narrative = Record<NarrativeKey, string>;
export const NARRATIVE_MAX = 20000;

/** The six headings, as the format prints them. */
export const SECTION_HEADINGS: Record<NarrativeKey, string> = {
  overview: '一、总体情况',
  proactive: '二、主动公开政府信息情况',
  requests: '三、收到和处理政府信息公开申请情况',
  reviews: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
};

/** What a version carries: the assembled tables (Table 二 with staff's entries applied) and which rows staff entered. */
export interface Figures {
  table2: AssembledReport['table2'];
  table3: AssembledReport['table3'];
  table4: AssembledReport['table4'];
  table3Supplied: boolean;
  table4Supplied: boolean;
  /** Table 二 rows entered by staff (人工填报), shown so in the console only. */
  manual: Table2Row[];
}

/** Table 二 figures staff enter: counts for 规章/规范性文件, a number for the decisions, fees in 分. */
export type ManualTable2 = Partial<Record<Table2Row, DocumentCounts | number>>;

export const COUNT_ROWS: Table2Row[] = ['rules', 'normative-documents'];
export const isCountRow = (r: Table2Row) => COUNT_ROWS.includes(r);

/** Freezes the assembly: rows no module gives take staff's entry (null while none is entered). */
export function freeze(a: AssembledReport, manual: ManualTable2): Figures {
  const table2 = { ...a.table2 };
  const entered: Table2Row[] = [];
  for (const r of TABLE2_ROWS) {
    if (table2[r] !== null) continue;
    entered.push(r);
    table2[r] = manual[r] ?? null;
  }
  return { table2, table3: a.table3, table4: a.table4, table3Supplied: a.table3Supplied, table4Supplied: a.table4Supplied, manual: entered };
}

/** Table 二 rows still without a figure (staff must enter them before submitting). */
export const missingRows = (f: Figures): Table2Row[] => TABLE2_ROWS.filter((r) => f.table2[r] === null);

/** An amount in 分 as 万元 with four decimals (1 万元 = 1,000,000 分). */
export const wanYuan = (fen: number) => (fen / 1_000_000).toFixed(4);
/** 万元 as typed (up to 7 digits and 4 decimals) in 分; null when it is no such amount. */
export function fenOf(v: unknown): number | null {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d{1,7})(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(4, '0')) * 100;
}

// ---- Table 二 -------------------------------------------------------------------------------------

export interface Table2Block {
  item: string;
  /** The column headings after 信息内容. */
  columns: string[];
  rows: { row: Table2Row; label: string }[];
}

export const TABLE2_BLOCKS: Table2Block[] = [
  { item: '第二十条第（一）项', columns: ['本年制发件数', '本年废止件数', '现行有效件数'], rows: [{ row: 'rules', label: '规章' }, { row: 'normative-documents', label: '行政规范性文件' }] },
  { item: '第二十条第（五）项', columns: ['本年处理决定数量'], rows: [{ row: 'licensing', label: '行政许可' }] },
  { item: '第二十条第（六）项', columns: ['本年处理决定数量'], rows: [{ row: 'penalties', label: '行政处罚' }, { row: 'coercion', label: '行政强制' }] },
  { item: '第二十条第（八）项', columns: ['本年收费金额（单位：万元）'], rows: [{ row: 'fees', label: '行政事业性收费' }] },
];
export const TABLE2_LABEL: Record<Table2Row, string> = Object.fromEntries(TABLE2_BLOCKS.flatMap((b) => b.rows.map((r) => [r.row, r.label]))) as Record<Table2Row, string>;

/** A Table 二 row's cells as printed: numbers (fees in 万元 text), null where nothing is entered yet. */
export function table2Cells(row: Table2Row, v: DocumentCounts | number | null): (number | string | null)[] {
  if (isCountRow(row)) {
    const d = v && typeof v === 'object' ? v : null;
    return d ? [d.issued, d.repealed, d.inForce] : [null, null, null];
  }
  if (typeof v !== 'number') return [null];
  return [row === 'fees' ? wanYuan(v) : v];
}

// ---- Table 三 -------------------------------------------------------------------------------------

export const TABLE3_CORNER = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
export const TABLE3_COLUMN_LABEL: Record<Table3Column, string> = { 'natural-person': '自然人', commercial: '商业企业', research: '科研机构', 'public-interest': '社会公益组织', 'legal-services': '法律服务机构', 'other-org': '其他' };
export const CHECK_LABEL = '一 + 二 = 三 + 四';

/**
 * Table 三's rows in order. `key` reads the figures: 'received', 'carriedIn', an outcome code,
 * 'outcomeTotal', 'carriedOut'. `level` places the label: 1 一/二/三/四, 2 （一）…（七）, 3 the reasons.
 */
export interface Table3Row {
  key: string;
  label: string;
  level: 1 | 2 | 3;
  /** For a level-2 group with reasons: the number of reason rows under it. */
  reasons?: number;
  /** A group heading without a figure of its own (三、本年度办理结果 / （三）不予公开 …). */
  heading?: boolean;
}

export const TABLE3_ROWS: Table3Row[] = [
  { key: 'received', label: '一、本年新收政府信息公开申请数量', level: 1 },
  { key: 'carriedIn', label: '二、上年结转政府信息公开申请数量', level: 1 },
  { key: 'results', label: '三、本年度办理结果', level: 1, heading: true },
  ...OUTCOMES.flatMap((g): Table3Row[] => {
    const label = `${g.row.slice(1)}${g.zh}`;
    return g.reasons.length ? [{ key: g.code, label, level: 2, reasons: g.reasons.length, heading: true }, ...g.reasons.map((r): Table3Row => ({ key: r.code, label: r.zh, level: 3 }))] : [{ key: g.code, label, level: 2 }];
  }),
  { key: 'outcomeTotal', label: '（七）总计', level: 2 },
  { key: 'carriedOut', label: '四、结转下年度继续办理', level: 1 },
];

/** The figure of a Table 三 row for a column ('total' is the 总计 column). */
export function table3Cell(t: Figures['table3'], key: string, col: Table3Column | 'total'): number {
  if (col === 'total') return t.total[key] ?? 0;
  if (key === 'received' || key === 'carriedIn' || key === 'carriedOut' || key === 'outcomeTotal') return t[key][col];
  return t.outcomes[key]?.[col] ?? 0;
}

/** The sum of a group's reasons (三（三）…（六) as one figure, for the comparison). */
export function groupTotal(t: Figures['table3'], groupCode: string): number {
  return Object.entries(t.total)
    .filter(([k]) => k === groupCode || k.startsWith(`${groupCode}.`))
    .reduce((s, [, n]) => s + n, 0);
}

// ---- Table 四 -------------------------------------------------------------------------------------

export const TABLE4_OUTCOME_LABEL: Record<Table4Outcome | 'total', string> = { maintained: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结', total: '总计' };
export const TABLE4_KIND_LABEL: Record<Table4Kind, string> = { review: '行政复议', 'suit-direct': '未经复议直接起诉', 'suit-after-review': '复议后起诉' };
export const TABLE4_COLUMNS = [...TABLE4_OUTCOMES, 'total'] as const;

/** Table 四's fifteen numbers in the printed order. */
export const table4Numbers = (t: Figures['table4']): number[] => TABLE4_KINDS.flatMap((k) => TABLE4_COLUMNS.map((o) => t[k][o]));

// ---- the comparison with the previous year ------------------------------------------------------

export interface ComparisonRow {
  label: string;
  /** This year's and last year's figure (fees as 万元 text), null where there is none. */
  current: number | string | null;
  previous: number | string | null;
  /** Signed change ('+3', '-2', '0'; fees in 万元), '—' when either side is missing. */
  change: string;
}

function change(a: number | null, b: number | null, fees = false): string {
  if (a === null || b === null) return '—';
  const d = a - b;
  const s = fees ? wanYuan(Math.abs(d)) : String(Math.abs(d));
  return d > 0 ? `+${s}` : d < 0 ? `-${s}` : fees ? wanYuan(0) : '0';
}

/** Table 二's figures and the 总计 of Table 三's rows and Table 四's blocks, this year against last. */
export function comparison(cur: Figures, prev: Figures | null): { table2: ComparisonRow[]; table3: ComparisonRow[]; table4: ComparisonRow[] } {
  const table2: ComparisonRow[] = [];
  for (const b of TABLE2_BLOCKS) {
    for (const r of b.rows) {
      const cols = isCountRow(r.row) ? (['issued', 'repealed', 'inForce'] as const) : [null];
      cols.forEach((k, i) => {
        const num = (f: Figures | null): number | null => {
          const v = f?.table2[r.row] ?? null;
          if (v === null) return null;
          return k ? (typeof v === 'object' ? v[k] : null) : typeof v === 'number' ? v : null;
        };
        const a = num(cur);
        const p = num(prev);
        const fees = r.row === 'fees';
        const show = (n: number | null) => (n === null ? null : fees ? wanYuan(n) : n);
        table2.push({ label: `${r.label} · ${b.columns[i]}`, current: show(a), previous: show(p), change: change(a, p, fees) });
      });
    }
  }
  const t3 = (f: Figures | null, key: string) => (f ? (OUTCOMES.some((g) => g.code === key && g.reasons.length) ? groupTotal(f.table3, key) : (f.table3.total[key] ?? 0)) : null);
  const table3 = TABLE3_ROWS.filter((r) => r.level < 3 && r.key !== 'results').map((r) => {
    const a = t3(cur, r.key);
    const p = t3(prev, r.key);
    return { label: r.label, current: a, previous: p, change: change(a, p) };
  });
  const table4 = TABLE4_KINDS.map((k) => {
    const a = cur.table4[k].total;
    const p = prev ? prev.table4[k].total : null;
    return { label: `${TABLE4_KIND_LABEL[k]} · 总计`, current: a, previous: p, change: change(a, p) };
  });
  return { table2, table3, table4 };
}

export { TABLE2_ROWS, TABLE3_COLUMNS, TABLE4_KINDS, TABLE4_OUTCOMES };
