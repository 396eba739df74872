// The report's tables as an XLSX workbook in the official layout: one sheet per table (表二, 表三,
// 表四) with the merged header cells of the format, figures as numbers (fees in 万元, format
// 0.0000), and the check row of Table 三 (通过 / 不通过 per column).
import { TABLE3_COLUMNS, TABLE4_KINDS } from '../../../platform/annual-report.js';
import { CHECK_LABEL, SECTION_HEADINGS, TABLE2_BLOCKS, TABLE3_COLUMN_LABEL, TABLE3_CORNER, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_KIND_LABEL, TABLE4_OUTCOME_LABEL, isCountRow, table3Cell, table4Numbers } from '../service/figures.js';
import type { AnnualReportData } from '../views.js';

type Workbook = import('exceljs').Workbook;
type Worksheet = import('exceljs').Worksheet;

let loaded: Promise<typeof import('exceljs')> | null = null;
const exceljs = () => (loaded ??= import('exceljs').then((m) => ((m as any).default ?? m) as typeof import('exceljs')));

function merge(ws: Worksheet, r1: number, c1: number, r2: number, c2: number, value: string | number) {
  if (r1 !== r2 || c1 !== c2) ws.mergeCells(r1, c1, r2, c2);
  const cell = ws.getCell(r1, c1);
  cell.value = value;
  cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
}

function boxed(ws: Worksheet, fromRow: number) {
  ws.eachRow((row, n) => {
    if (n < fromRow) return;
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    });
  });
}

function table2(wb: Workbook, d: AnnualReportData) {
  const ws = wb.addWorksheet('表二');
  ws.columns = [{ width: 22 }, { width: 16 }, { width: 16 }, { width: 16 }];
  merge(ws, 1, 1, 1, 4, SECTION_HEADINGS.proactive);
  let r = 2;
  for (const b of TABLE2_BLOCKS) {
    merge(ws, r, 1, r, 4, b.item);
    r++;
    ws.getCell(r, 1).value = '信息内容';
    if (b.columns.length === 1) merge(ws, r, 2, r, 4, b.columns[0]);
    else b.columns.forEach((h, i) => merge(ws, r, 2 + i, r, 2 + i, h));
    r++;
    for (const row of b.rows) {
      ws.getCell(r, 1).value = row.label;
      const v = d.figures.table2[row.row];
      if (isCountRow(row.row)) {
        const c = v && typeof v === 'object' ? v : null;
        [c?.issued, c?.repealed, c?.inForce].forEach((n, i) => (ws.getCell(r, 2 + i).value = n ?? null));
      } else {
        const n = typeof v === 'number' ? (row.row === 'fees' ? v / 1_000_000 : v) : null;
        merge(ws, r, 2, r, 4, n as number);
        if (row.row === 'fees') ws.getCell(r, 2).numFmt = '0.0000';
      }
      r++;
    }
  }
  boxed(ws, 2);
}

function table3(wb: Workbook, d: AnnualReportData) {
  const ws = wb.addWorksheet('表三');
  ws.columns = [{ width: 16 }, { width: 24 }, { width: 40 }, ...Array.from({ length: 7 }, () => ({ width: 12 }))];
  merge(ws, 1, 1, 1, 10, SECTION_HEADINGS.requests);
  merge(ws, 2, 1, 4, 3, TABLE3_CORNER);
  merge(ws, 2, 4, 2, 10, '申请人情况');
  merge(ws, 3, 4, 4, 4, '自然人');
  merge(ws, 3, 5, 3, 9, '法人或其他组织');
  merge(ws, 3, 10, 4, 10, '总计');
  TABLE3_COLUMNS.slice(1).forEach((k, i) => merge(ws, 4, 5 + i, 4, 5 + i, TABLE3_COLUMN_LABEL[k]));
  const cols = [...TABLE3_COLUMNS, 'total'] as const;
  const rows = TABLE3_ROWS.filter((x) => !x.heading);
  const resultsStart = 5 + rows.findIndex((x) => x.level > 1);
  const resultsEnd = 5 + rows.length - 2; // every row after 二 up to （七）总计 (四 is the last)
  merge(ws, resultsStart, 1, resultsEnd, 1, TABLE3_ROWS.find((x) => x.key === 'results')!.label);
  rows.forEach((x, i) => {
    const r = 5 + i;
    if (x.level === 1) merge(ws, r, 1, r, 3, x.label);
    else if (x.level === 2) merge(ws, r, 2, r, 3, x.label);
    else {
      const at = TABLE3_ROWS.indexOf(x);
      const group = TABLE3_ROWS.slice(0, at).reverse().find((g) => g.level === 2)!;
      if (TABLE3_ROWS[at - 1] === group) merge(ws, r, 2, r + (group.reasons ?? 1) - 1, 2, group.label);
      ws.getCell(r, 3).value = x.label;
    }
    cols.forEach((c, j) => (ws.getCell(r, 4 + j).value = table3Cell(d.figures.table3, x.key, c)));
  });
  const check = 5 + rows.length;
  merge(ws, check, 1, check, 3, CHECK_LABEL);
  cols.forEach((c, j) => (ws.getCell(check, 4 + j).value = d.figures.table3.check[c].passed ? '通过' : '不通过'));
  boxed(ws, 2);
}

function table4(wb: Workbook, d: AnnualReportData) {
  const ws = wb.addWorksheet('表四');
  ws.columns = Array.from({ length: 15 }, () => ({ width: 11 }));
  merge(ws, 1, 1, 1, 15, SECTION_HEADINGS.reviews);
  merge(ws, 2, 1, 2, 5, TABLE4_KIND_LABEL.review);
  merge(ws, 2, 6, 2, 15, '行政诉讼');
  TABLE4_COLUMNS.forEach((o, i) => merge(ws, 3, 1 + i, 4, 1 + i, TABLE4_OUTCOME_LABEL[o]));
  TABLE4_KINDS.slice(1).forEach((k, b) => {
    merge(ws, 3, 6 + b * 5, 3, 10 + b * 5, TABLE4_KIND_LABEL[k]);
    TABLE4_COLUMNS.forEach((o, i) => merge(ws, 4, 6 + b * 5 + i, 4, 6 + b * 5 + i, TABLE4_OUTCOME_LABEL[o]));
  });
  table4Numbers(d.figures.table4).forEach((n, i) => (ws.getCell(5, 1 + i).value = n));
  boxed(ws, 2);
}

/** The workbook of a report version's tables. */
export async function reportXlsx(d: AnnualReportData, title: string): Promise<Buffer> {
  const { Workbook } = await exceljs();
  const wb = new Workbook();
  wb.creator = 'gongkai';
  wb.title = title;
  table2(wb, d);
  table3(wb, d);
  table4(wb, d);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
