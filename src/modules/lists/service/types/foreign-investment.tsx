// 外商投资准入特别管理措施（负面清单）: numbered measures under industry headings.
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { IndustryCode, Lines, Text, trimAll } from './common.js';
import { zhLang } from '../../../../platform/render/index.js';

export const ForeignInvestmentItem = Type.Object(
  {
    no: Type.String({ pattern: '^\\d{1,3}$' }),
    heading: Text(100),
    measure: Text(4000),
    /** 'prohibited' when the measure bars foreign investment, else 'restricted' (equity or other conditions). */
    category: Type.String({ enum: ['prohibited', 'restricted'] }),
    authority: Type.String({ maxLength: 300 }),
    industries: Type.Array(IndustryCode, { maxItems: 50 }),
    keywords: Lines(50),
  },
  { additionalProperties: false },
);

registerListType({
  type: 'foreign-investment',
  label: 'lists.type.foreign-investment',
  scope: 'government',
  schema: ForeignInvestmentItem,
  key: 'no',
  name: 'measure',
  columns: [
    { field: 'no', label: 'lists.f.no' },
    { field: 'heading', label: 'lists.f.heading' },
    { field: 'measure', label: 'lists.f.measure' },
  ],
  filters: [{ field: 'category', label: 'lists.f.category', options: [{ value: 'prohibited', label: 'lists.category.prohibited' }, { value: 'restricted', label: 'lists.category.restricted' }] }],
  aliases: { category: { 禁止: 'prohibited', 限制: 'restricted' } },
  normalise: (i) => {
    const t = trimAll(i);
    return t;
  },
  check(item): Record<string, string> {
    const bars = String(item.measure).startsWith('禁止');
    if (bars !== (item.category === 'prohibited')) return { category: 'err.lists.category_measure' };
    return {};
  },
  searchText: (i: ListItem) => [i.no, i.heading, i.measure, ...(i.keywords as string[])].join(' '),
  facets: (i) => ({ category: i.category as string }),
  render(c, i) {
    return (
      <div class="list-item">
        <dl class="meta">
          <dt>{c.t('lists.f.heading')}</dt>
          <dd lang={zhLang(c)}>{i.heading as string}</dd>
          <dt>{c.t('lists.f.no')}</dt>
          <dd>{i.no as string}</dd>
          <dt>{c.t('lists.f.category')}</dt>
          <dd>
            <span class={`badge ${i.category}`}>{c.t(`lists.category.${i.category}`)}</span>
          </dd>
          <dt>{c.t('lists.f.measure')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.measure as string}</dd>
          {i.authority && (
            <>
              <dt>{c.t('lists.f.authority')}</dt>
              <dd lang={zhLang(c)}>{i.authority as string}</dd>
            </>
          )}
        </dl>
      </div>
    );
  },
});
