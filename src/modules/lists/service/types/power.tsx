// 权力清单 and 责任清单 (REGULATIONS.md §9): one item per power with its responsibilities.
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { Code, DeptCode, Lines, Text, checkDepartment, trimAll } from './common.js';
import { zhLang } from '../../../../platform/render/index.js';

/** The ten power types and 公共服务事项, in the order of §9. */
export const POWER_TYPES = ['licensing', 'penalty', 'coercion', 'levy', 'payment', 'inspection', 'confirmation', 'reward', 'adjudication', 'other', 'public-service'] as const;
export const POWER_TYPE_NAMES: Record<string, string> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收',
  payment: '行政给付',
  inspection: '行政检查',
  confirmation: '行政确认',
  reward: '行政奖励',
  adjudication: '行政裁决',
  other: '其他行政权力',
  'public-service': '公共服务事项',
};

export const PowerItem = Type.Object(
  {
    code: Code(),
    name: Text(200),
    powerType: Type.String({ enum: [...POWER_TYPES] }),
    department: DeptCode,
    implementer: Text(200),
    basis: Text(4000),
    duties: Lines(30, 1),
    accountability: Text(4000),
    process: Lines(30, 1),
    supervisionChannel: Text(300),
    supervisionPhone: Type.String({ minLength: 5, maxLength: 40, pattern: '^[0-9()+ -]+$' }),
  },
  { additionalProperties: false },
);

registerListType({
  type: 'power',
  label: 'lists.type.power',
  scope: 'department',
  schema: PowerItem,
  key: 'code',
  name: 'name',
  columns: [
    { field: 'code', label: 'lists.f.code' },
    { field: 'name', label: 'lists.f.name' },
    { field: 'powerType', label: 'lists.f.powerType' },
    { field: 'implementer', label: 'lists.f.implementer' },
  ],
  filters: [{ field: 'powerType', label: 'lists.f.powerType', options: POWER_TYPES.map((v) => ({ value: v, label: `lists.powerType.${v}` })) }],
  aliases: { powerType: Object.fromEntries(Object.entries(POWER_TYPE_NAMES).map(([k, v]) => [v, k])) },
  normalise: trimAll,
  check: (item, ctx) => checkDepartment(item, ctx),
  searchText: (i: ListItem) => [i.code, i.name, POWER_TYPE_NAMES[i.powerType as string], i.implementer, i.basis, ...(i.duties as string[]), i.accountability].join(' '),
  facets: (i) => ({ department: i.department as string, powerType: i.powerType as string }),
  render(c, i, extra) {
    const duties = i.duties as string[];
    const steps = i.process as string[];
    return (
      <div class="list-item power-item">
        <dl class="meta">
          <dt>{c.t('lists.f.code')}</dt>
          <dd>{i.code as string}</dd>
          <dt>{c.t('lists.f.powerType')}</dt>
          <dd>{c.t(`lists.powerType.${i.powerType}`)}</dd>
          <dt>{c.t('lists.f.implementer')}</dt>
          <dd lang={zhLang(c)}>{i.implementer as string}</dd>
          <dt>{c.t('lists.f.basis')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.basis as string}</dd>
          <dt>{c.t('lists.f.supervision')}</dt>
          <dd>
            <span lang={zhLang(c)}>{i.supervisionChannel as string}</span>（{c.t('lists.f.phone')}：<a href={`tel:${String(i.supervisionPhone).replace(/[^0-9+]/g, '')}`}>{i.supervisionPhone as string}</a>）
          </dd>
        </dl>
        <h3>{c.t('lists.f.process')}</h3>
        <ol class="flow" aria-label={c.t('lists.f.process')} lang={zhLang(c)}>
          {steps.map((s) => (
            <li>{s}</li>
          ))}
        </ol>
        <h3>{c.t('lists.f.duties')}</h3>
        <ol class="flow duties" lang={zhLang(c)}>
          {duties.map((s) => (
            <li>{s}</li>
          ))}
        </ol>
        <h3>{c.t('lists.f.accountability')}</h3>
        <p class="pre" lang={zhLang(c)}>{i.accountability as string}</p>
        {extra.links.length > 0 && (
          <>
            <h3>{c.t('lists.linked_guides')}</h3>
            <ul>
              {extra.links.map((l) => (
                <li>
                  <a href={l.href} lang={zhLang(c)}>{l.label}</a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    );
  },
});
