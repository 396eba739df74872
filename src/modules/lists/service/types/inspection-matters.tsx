// 随机抽查事项清单 (REGULATIONS.md §5): each matter a department may inspect by lot, with its basis,
// responsible body, content, method, sampling ratio and frequency, and its field (the codes of
// enforcement's INSPECTION_FIELDS: an inspector must hold the field to be drawn for the matter).
// Enforcement's tasks name a matter by its code and copy its name and field.
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { Code, DeptCode, Text, checkDepartment, trimAll } from './common.js';
import { zhLang } from '../../../../platform/render/index.js';
import { INSPECTION_FIELDS } from '../../../enforcement/service/codes.js';
import { enforcementMessages } from '../../../enforcement/messages.js';

export const INSPECTION_MATTER = 'inspection-matter';

export const InspectionMatterItem = Type.Object(
  {
    code: Code(),
    name: Text(200),
    field: Type.String({ enum: [...INSPECTION_FIELDS] }),
    department: DeptCode,
    basis: Text(4000),
    body: Text(200),
    content: Text(4000),
    method: Text(500),
    ratio: Text(100),
    frequency: Text(100),
  },
  { additionalProperties: false },
);

/** The fields' Chinese names (市场监管, 食品安全 …) as import cells, beside the codes. */
const zh = enforcementMessages['zh-CN'];
const FIELD_ALIASES: Record<string, string> = Object.fromEntries(INSPECTION_FIELDS.map((f) => [zh[`enforcement.field.${f}`], f]));

registerListType({
  type: INSPECTION_MATTER,
  label: 'lists.type.inspection-matter',
  scope: 'department',
  schema: InspectionMatterItem,
  key: 'code',
  name: 'name',
  columns: [
    { field: 'code', label: 'lists.f.code' },
    { field: 'name', label: 'lists.f.matterName' },
    { field: 'body', label: 'lists.f.implementer' },
    { field: 'method', label: 'lists.f.checkMethod' },
    { field: 'ratio', label: 'lists.f.checkRatio' },
    { field: 'frequency', label: 'lists.f.checkFrequency' },
  ],
  // The field is stored as the item's category facet, so the lists' filter by category serves it.
  filters: [{ field: 'category', label: 'lists.f.checkField', options: INSPECTION_FIELDS.map((v) => ({ value: v, label: `enforcement.field.${v}` })) }],
  aliases: { field: FIELD_ALIASES },
  normalise: trimAll,
  check: (item, ctx) => checkDepartment(item, ctx),
  searchText: (i: ListItem) => [i.code, i.name, zh[`enforcement.field.${i.field}`], i.basis, i.body, i.content, i.method].join(' '),
  facets: (i) => ({ department: i.department as string, category: i.field as string }),
  render(c, i) {
    return (
      <div class="list-item inspection-matter">
        <dl class="meta">
          <dt>{c.t('lists.f.code')}</dt>
          <dd>{i.code as string}</dd>
          <dt>{c.t('lists.f.checkField')}</dt>
          <dd>{c.t(`enforcement.field.${i.field}`)}</dd>
          <dt>{c.t('lists.f.implementer')}</dt>
          <dd lang={zhLang(c)}>{i.body as string}</dd>
          <dt>{c.t('lists.f.checkBasis')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.basis as string}</dd>
          <dt>{c.t('lists.f.checkContent')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.content as string}</dd>
          <dt>{c.t('lists.f.checkMethod')}</dt>
          <dd lang={zhLang(c)}>{i.method as string}</dd>
          <dt>{c.t('lists.f.checkRatio')}</dt>
          <dd lang={zhLang(c)}>{i.ratio as string}</dd>
          <dt>{c.t('lists.f.checkFrequency')}</dt>
          <dd lang={zhLang(c)}>{i.frequency as string}</dd>
        </dl>
      </div>
    );
  },
});
