// 市场准入负面清单 (REGULATIONS.md §10): 事项编码 of 6 digits, prohibitions start with 1.
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { IndustryCode, Lines, Text, trimAll } from './common.js';
import { industryLabel } from '../industry/table.js';
import { zhLang } from '../../../../platform/render/index.js';

export const MarketAccessItem = Type.Object(
  {
    code: Type.String({ pattern: '^[12]\\d{5}$' }),
    no: Type.Integer({ minimum: 1, maximum: 999 }),
    name: Text(500),
    category: Type.String({ enum: ['prohibited', 'permitted'] }),
    measures: Text(8000),
    authority: Text(300),
    localMeasures: Type.String({ maxLength: 4000 }),
    industries: Type.Array(IndustryCode, { maxItems: 50 }),
    keywords: Lines(50),
    serviceGuides: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

registerListType({
  type: 'market-access',
  label: 'lists.type.market-access',
  scope: 'government',
  schema: MarketAccessItem,
  key: 'code',
  name: 'name',
  columns: [
    { field: 'no', label: 'lists.f.no' },
    { field: 'code', label: 'lists.f.maCode' },
    { field: 'category', label: 'lists.f.category' },
    { field: 'name', label: 'lists.f.maName' },
    { field: 'authority', label: 'lists.f.authority' },
  ],
  filters: [{ field: 'category', label: 'lists.f.category', options: [{ value: 'prohibited', label: 'lists.category.prohibited' }, { value: 'permitted', label: 'lists.category.permitted' }] }],
  aliases: { category: { 禁止: 'prohibited', 禁止准入: 'prohibited', 禁止准入类: 'prohibited', 许可: 'permitted', 许可准入: 'permitted', 许可准入类: 'permitted' } },
  normalise: trimAll,
  check(item): Record<string, string> {
    const prohibited = String(item.code).startsWith('1');
    if (prohibited !== (item.category === 'prohibited')) return { category: 'err.lists.category_code' };
    return {};
  },
  searchText: (i: ListItem) => [i.code, i.name, i.measures, i.authority, i.localMeasures, ...(i.keywords as string[])].join(' '),
  facets: (i) => ({ category: i.category as string }),
  render(c, i, extra) {
    return (
      <div class="list-item">
        <dl class="meta">
          <dt>{c.t('lists.f.no')}</dt>
          <dd>{i.no as number}</dd>
          <dt>{c.t('lists.f.maCode')}</dt>
          <dd>{i.code as string}</dd>
          <dt>{c.t('lists.f.category')}</dt>
          <dd>
            <span class={`badge ${i.category}`}>{c.t(`lists.category.${i.category}`)}</span>
          </dd>
          <dt>{c.t('lists.f.measures')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.measures as string}</dd>
          <dt>{c.t('lists.f.authority')}</dt>
          <dd lang={zhLang(c)}>{i.authority as string}</dd>
          <dt>{c.t('lists.f.localMeasures')}</dt>
          <dd class="pre" lang={i.localMeasures ? zhLang(c) : undefined}>{(i.localMeasures as string) || c.t('lists.none')}</dd>
          <dt>{c.t('lists.f.industries')}</dt>
          <dd lang={(i.industries as string[]).length ? zhLang(c) : undefined}>{(i.industries as string[]).map(industryLabel).join('、') || c.t('lists.none')}</dd>
          {extra.links.length > 0 && (
            <>
              <dt>{c.t('lists.linked_guides')}</dt>
              <dd>
                {extra.links.map((l) => (
                  <a href={l.href} lang={zhLang(c)}>{l.label} </a>
                ))}
              </dd>
            </>
          )}
        </dl>
      </div>
    );
  },
});
