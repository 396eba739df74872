// The item type of the annual report: a catalog item (索引号, Art. 20 category a20-15, genre 报告,
// topic 0203 综合政务\政务公开) whose payload is the narrative, the figures frozen at the last save
// and the previous year's figures. The catalog's item page shows it with its metadata and
// versions, and its print view; the body is the report in the official layout (views.tsx).
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';
import { cleanText } from '../../platform/text.js';
import { NARRATIVE_KEYS, NARRATIVE_MAX, SECTION_HEADINGS, type Narrative } from './service/figures.js';
import { ReportBody, type AnnualReportData } from './views.js';

export const ANNUAL_REPORT = 'annual-report';
export const CATEGORY = 'a20-15';
export const GENRE = '报告';
export const TOPIC = '0203';

/** The narrative cleaned (control characters, bidi overrides) with field errors `narrative.<key>`. */
export function checkNarrative(n: unknown): { narrative: Narrative; fields: Record<string, string> } {
  const src = n && typeof n === 'object' ? (n as Record<string, unknown>) : {};
  const fields: Record<string, string> = {};
  const narrative = {} as Narrative;
  for (const k of NARRATIVE_KEYS) {
    const v = src[k];
    const text = typeof v === 'string' ? cleanText(v).trim() : '';
    if (v !== undefined && typeof v !== 'string') fields[`narrative.${k}`] = 'err.field.invalid';
    else if (!text) fields[`narrative.${k}`] = 'err.field.required';
    else if (text.length > NARRATIVE_MAX) fields[`narrative.${k}`] = 'err.field.too_long';
    narrative[k] = text;
  }
  return { narrative, fields };
}

registerItemType<AnnualReportData>({
  type: ANNUAL_REPORT,
  // 政府信息公开工作年度报告: information the government must publish (Art. 49–50), in the catalog.
  section: 'catalog',
  label: 'annual-reports.item_type',
  schema: Type.Object({ year: Type.Integer(), scope: Type.String(), scopeName: Type.String() }, { additionalProperties: true }),
  category: CATEGORY,
  prepare(d) {
    const { narrative, fields } = checkNarrative(d?.narrative);
    if (!d?.figures) fields.figures = 'err.field.required';
    return { data: { ...d, narrative }, fields };
  },
  searchText: (d) => [d.scopeName, `${d.year}年政府信息公开工作年度报告`, ...NARRATIVE_KEYS.flatMap((k) => [SECTION_HEADINGS[k], d.narrative[k]])].join('\n'),
  render: (d, c, item) => <ReportBody c={c} d={d} itemId={item.id} />,
  url: (id) => `/catalog/items/${id}`,
});
