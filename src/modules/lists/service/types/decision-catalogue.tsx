// 重大行政决策事项目录 (Decree 713 Art. 4; REGULATIONS.md §4): a department's annual catalogue of
// major decisions — name, department, basis, the planned steps with their dates, status. A
// decision record (decisions module) names its row by `code`; the row's planned dates become its
// stages' planned dates. Editions, diffs, import and publication as every list (a20-15).
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { Code, DeptCode, Text, checkDepartment, trimAll } from './common.js';
import { zhLang } from '../../../../platform/render/index.js';
import { isValidDate } from '../../../../platform/calendar/index.js';
import { STAGES } from '../../../decisions/schema.js';
import { decisionMessages } from '../../../decisions/messages.js';

export const DECISION_CATALOGUE = 'decision-catalogue';
export const CATALOGUE_STATUSES = ['planned', 'under_way', 'decided', 'adjusted', 'withdrawn'] as const;

export const DecisionCatalogueItem = Type.Object(
  {
    code: Code(),
    name: Text(300),
    department: DeptCode,
    basis: Text(4000),
    /** The planned steps: a stage code and its planned date (YYYY-MM-DD), in stage order. */
    steps: Type.Array(Type.Object({ stage: Type.String({ enum: [...STAGES] }), on: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, { additionalProperties: false }), { maxItems: STAGES.length }),
    status: Type.String({ enum: [...CATALOGUE_STATUSES] }),
  },
  { additionalProperties: false },
);

const zh = decisionMessages['zh-CN'];
const STATUS_ALIASES: Record<string, string> = Object.fromEntries(CATALOGUE_STATUSES.map((s) => [zh[`decisions.stages.cat.status.${s}`], s]));
type Step = { stage: string; on: string };
const stepsOf = (i: ListItem): Step[] => (Array.isArray(i.steps) ? (i.steps as Step[]) : []);

registerListType({
  type: DECISION_CATALOGUE,
  label: 'decisions.stages.cat.type',
  scope: 'department',
  schema: DecisionCatalogueItem,
  key: 'code',
  name: 'name',
  columns: [
    { field: 'code', label: 'decisions.stages.cat.code' },
    { field: 'name', label: 'decisions.stages.cat.name' },
    { field: 'basis', label: 'decisions.stages.f.basis' },
    { field: 'status', label: 'decisions.stages.cat.status' },
  ],
  filters: [{ field: 'category', label: 'decisions.stages.cat.status', options: CATALOGUE_STATUSES.map((v) => ({ value: v, label: `decisions.stages.cat.status.${v}` })) }],
  aliases: { status: STATUS_ALIASES },
  normalise: (item) => {
    const t = trimAll(item);
    // Steps in stage order, whatever order the file gave.
    return { ...t, steps: [...stepsOf(t)].sort((a, b) => STAGES.indexOf(a.stage as never) - STAGES.indexOf(b.stage as never)) };
  },
  check(item, ctx) {
    const f = checkDepartment(item, ctx);
    const steps = stepsOf(item);
    if (steps.some((s) => !isValidDate(s.on))) f.steps = 'err.lists.format';
    else if (new Set(steps.map((s) => s.stage)).size !== steps.length) f.steps = 'err.lists.duplicate_key';
    return f;
  },
  searchText: (i: ListItem) => [i.code, i.name, i.basis, zh[`decisions.stages.cat.status.${i.status}`]].join(' '),
  facets: (i) => ({ department: i.department as string, category: i.status as string }),
  render(c, i, extra) {
    return (
      <div class="list-item decision-catalogue">
        <dl class="meta">
          <dt>{c.t('decisions.stages.cat.code')}</dt>
          <dd>{i.code as string}</dd>
          <dt>{c.t('decisions.stages.f.department')}</dt>
          <dd lang={zhLang(c)}>{extra.departmentName(i.department as string)}</dd>
          <dt>{c.t('decisions.stages.f.basis')}</dt>
          <dd class="pre" lang={zhLang(c)}>{i.basis as string}</dd>
          <dt>{c.t('decisions.stages.cat.status')}</dt>
          <dd>{c.t(`decisions.stages.cat.status.${i.status}`)}</dd>
          <dt>{c.t('decisions.stages.cat.steps')}</dt>
          <dd>
            {stepsOf(i).length ? (
              <ol class="plain">
                {stepsOf(i).map((s) => (
                  <li>
                    {c.t(`decisions.stage.${s.stage}`)} {s.on}
                  </li>
                ))}
              </ol>
            ) : (
              c.t('decisions.stages.timeline.none')
            )}
          </dd>
        </dl>
      </div>
    );
  },
});
