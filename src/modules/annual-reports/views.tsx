// The report as printed: sections 一 to 六 with Tables 二, 三 and 四 in the official layout
// (merged header cells as the format draws them), the printed check of Table 三 per column, and
// the comparison with the previous year. The item page, the print view and the console's preview
// all render these. The tables' wording is the format's, Chinese on every interface.
import type { ComponentChildren } from 'preact';
import { TableWrap, zhLang, type PageCtx } from '../../platform/render/index.js';
import { TABLE3_COLUMNS, type Table2Row } from '../../platform/annual-report.js';
import {
  CHECK_LABEL,
  comparison,
  NARRATIVE_KEYS,
  SECTION_HEADINGS,
  TABLE2_BLOCKS,
  TABLE3_COLUMN_LABEL,
  TABLE3_CORNER,
  TABLE3_ROWS,
  TABLE4_COLUMNS,
  TABLE4_KIND_LABEL,
  TABLE4_OUTCOME_LABEL,
  table2Cells,
  table3Cell,
  table4Numbers,
  type ComparisonRow,
  type Figures,
  type Narrative,
} from './service/figures.js';

/** The payload of an `annual-report` item version. */
export interface AnnualReportData {
  year: number;
  /** 'government' or the department's code. */
  scope: string;
  /** Whose report: the government's name or the department's. */
  scopeName: string;
  narrative: Narrative;
  /** The figures frozen when the version was saved. */
  figures: Figures;
  /** The previous year's figures (its published report's, else computed), null when none. */
  previous: Figures | null;
}

const Paragraphs = ({ text }: { text: string }) => (
  <>
    {text
      .split(/\n+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => (
        <p>{s}</p>
      ))}
  </>
);

/** Table 二. `manual` (console only): the rows staff entered, marked 人工填报. */
export function Table2({ c, f, manualMark }: { c: PageCtx; f: Figures; manualMark?: string }) {
  return (
    <TableWrap label="主动公开政府信息情况" class="annual-table">
      <table class="annual-table table2" lang={zhLang(c)}>
        {TABLE2_BLOCKS.map((b) => (
          <tbody>
            <tr>
              <th scope="colgroup" colSpan={4} class="item">{b.item}</th>
            </tr>
            <tr>
              <th scope="col">信息内容</th>
              {b.columns.map((col) => (
                <th scope="col" colSpan={b.columns.length === 1 ? 3 : 1}>{col}</th>
              ))}
            </tr>
            {b.rows.map((r) => (
              <tr data-row={r.row}>
                <th scope="row">
                  {r.label}
                  {manualMark && f.manual.includes(r.row as Table2Row) && <span class="manual-mark"> （{manualMark}）</span>}
                </th>
                {table2Cells(r.row, f.table2[r.row]).map((v) => (
                  <td class="num" colSpan={b.columns.length === 1 ? 3 : 1}>{v ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </TableWrap>
  );
}

/** Table 三 with the check row: 通过 / 不通过 per column. */
export function Table3({ c, f }: { c: PageCtx; f: Figures }) {
  const t = f.table3;
  const cols = [...TABLE3_COLUMNS, 'total'] as const;
  const resultRows = TABLE3_ROWS.filter((r) => r.level > 1 && !r.heading).length;
  return (
    <TableWrap label="收到和处理政府信息公开申请情况" class="annual-table">
      <table class="annual-table table3" lang={zhLang(c)}>
        <thead>
          <tr>
            <th rowSpan={3} colSpan={3} class="corner">{TABLE3_CORNER}</th>
            <th colSpan={7} scope="colgroup">申请人情况</th>
          </tr>
          <tr>
            <th rowSpan={2} scope="col">自然人</th>
            <th colSpan={5} scope="colgroup">法人或其他组织</th>
            <th rowSpan={2} scope="col">总计</th>
          </tr>
          <tr>
            {TABLE3_COLUMNS.slice(1).map((k) => (
              <th scope="col">{TABLE3_COLUMN_LABEL[k]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {TABLE3_ROWS.map((r, i) => {
            if (r.key === 'results') return null;
            const first = TABLE3_ROWS[i - 1];
            const label: ComponentChildren[] = [];
            // 三、本年度办理结果 spans every row of the results; a group with reasons spans them.
            if (first?.key === 'results') label.push(<th scope="rowgroup" rowSpan={resultRows}>{first.label}</th>);
            if (r.level === 1) label.push(<th scope="row" colSpan={3}>{r.label}</th>);
            else if (r.level === 2 && !r.heading) label.push(<th scope="row" colSpan={2}>{r.label}</th>);
            else if (r.level === 3) {
              const group = TABLE3_ROWS.slice(0, i).reverse().find((x) => x.level === 2);
              if (TABLE3_ROWS[i - 1].level === 2) label.push(<th scope="rowgroup" rowSpan={group?.reasons ?? 1}>{group?.label}</th>);
              label.push(<th scope="row">{r.label}</th>);
            }
            if (r.heading) return null;
            return (
              <tr data-row={r.key}>
                {label}
                {cols.map((col) => (
                  <td class="num">{table3Cell(t, r.key, col)}</td>
                ))}
              </tr>
            );
          })}
          <tr class="check-row" data-row="check">
            <th scope="row" colSpan={3}>
              {CHECK_LABEL}
            </th>
            {cols.map((col) => (
              <td class={t.check[col].passed ? 'passed' : 'failed'} data-left={t.check[col].left} data-right={t.check[col].right}>
                {t.check[col].passed ? '通过' : '不通过'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

export function Table4({ c, f }: { c: PageCtx; f: Figures }) {
  return (
    <TableWrap label="政府信息公开行政复议、行政诉讼情况" class="annual-table">
      <table class="annual-table table4" lang={zhLang(c)}>
        <thead>
          <tr>
            <th colSpan={5} scope="colgroup">行政复议</th>
            <th colSpan={10} scope="colgroup">行政诉讼</th>
          </tr>
          <tr>
            {TABLE4_COLUMNS.map((o) => (
              <th rowSpan={2} scope="col">{TABLE4_OUTCOME_LABEL[o]}</th>
            ))}
            <th colSpan={5} scope="colgroup">{TABLE4_KIND_LABEL['suit-direct']}</th>
            <th colSpan={5} scope="colgroup">{TABLE4_KIND_LABEL['suit-after-review']}</th>
          </tr>
          <tr>
            {[0, 1].flatMap(() => TABLE4_COLUMNS.map((o) => <th scope="col">{TABLE4_OUTCOME_LABEL[o]}</th>))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {table4Numbers(f.table4).map((n) => (
              <td class="num">{n}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

function ComparisonTable({ c, caption, rows }: { c: PageCtx; caption: string; rows: ComparisonRow[] }) {
  return (
    <TableWrap label={caption} class="annual-table">
      <table class="annual-table comparison">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.t('annual-reports.cmp.item')}</th>
            <th scope="col">{c.t('annual-reports.cmp.current')}</th>
            <th scope="col">{c.t('annual-reports.cmp.previous')}</th>
            <th scope="col">{c.t('annual-reports.cmp.change')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row" lang={zhLang(c)}>{r.label}</th>
              <td class="num">{r.current ?? '—'}</td>
              <td class="num">{r.previous ?? '—'}</td>
              <td class="num">{r.change}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** 与上年度对比: Table 二's figures, and the 总计 of Table 三's rows and of Table 四. */
export function Comparison({ c, d }: { c: PageCtx; d: AnnualReportData }) {
  const cmp = comparison(d.figures, d.previous);
  return (
    <section class="annual-comparison" aria-labelledby="cmp-h">
      <h2 id="cmp-h">{c.t('annual-reports.cmp.heading', { year: d.year, previous: d.year - 1 })}</h2>
      {!d.previous && <p>{c.t('annual-reports.cmp.none')}</p>}
      <ComparisonTable c={c} caption={c.t('annual-reports.cmp.table2')} rows={cmp.table2} />
      <ComparisonTable c={c} caption={c.t('annual-reports.cmp.table3')} rows={cmp.table3} />
      <ComparisonTable c={c} caption={c.t('annual-reports.cmp.table4')} rows={cmp.table4} />
    </section>
  );
}

/** Sections 一 to 六 with the tables in their places, then the comparison. */
export function ReportBody({ c, d, itemId, manualMark }: { c: PageCtx; d: AnnualReportData; itemId?: number; manualMark?: string }) {
  const table: Partial<Record<(typeof NARRATIVE_KEYS)[number], ComponentChildren>> = {
    proactive: <Table2 c={c} f={d.figures} manualMark={manualMark} />,
    requests: <Table3 c={c} f={d.figures} />,
    reviews: <Table4 c={c} f={d.figures} />,
  };
  return (
    <div class="annual-report">
      {NARRATIVE_KEYS.map((k) => (
        <section class={`annual-section section-${k}`}>
          <h2 lang={zhLang(c)}>{SECTION_HEADINGS[k]}</h2>
          <div lang={zhLang(c)}>
            <Paragraphs text={d.narrative[k]} />
          </div>
          {table[k]}
        </section>
      ))}
      <Comparison c={c} d={d} />
      {itemId !== undefined && (
        <p class="annual-downloads">
          <a href={`/annual-reports/${itemId}.xlsx`} download>{c.t('annual-reports.xlsx')}</a>
          {' · '}
          <a href={`/catalog/items/${itemId}/print`}>{c.t('annual-reports.print')}</a>
        </p>
      )}
    </div>
  );
}
