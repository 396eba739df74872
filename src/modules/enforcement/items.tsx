// The spine item types of enforcement. Each part registers its own in a block of its own.
import type { ComponentChildren } from 'preact';
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';
import { Dl, TableWrap, Zh, zhLang, type PageCtx } from '../../platform/render/index.js';
import { industryLabel } from '../lists/service/industry/table.js';
import type { SampleKind, TargetFilter } from './service/pool.js';
import { enforcementMessages } from './messages.js';

// ---- inspections: 计划公告 and 任务公告 ----------------------------------------------------------

export const INSPECTION_PLAN = 'inspection-plan';
export const INSPECTION_TASK = 'inspection-task';
/** 《条例》第二十条（十三）: 环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况. */
export const INSPECTION_CATEGORY = 'a20-13';
/** 主题分类 市场监管、安全生产监管\市场监管. */
export const INSPECTION_TOPIC = '0901';

/** The matter of a task as its notice publishes it (basis and the rest from the list, when mounted). */
export interface MatterFacts {
  code: string;
  name: string;
  field: string;
  basis: string;
  body: string;
  content: string;
  method: string;
}

/** What a task says: the facts its notice publishes and its pages show. */
export interface TaskFacts {
  matter: MatterFacts;
  filter: TargetFilter;
  sampleKind: SampleKind;
  /** A count, or a ratio in per mille. */
  sampleValue: number;
  perTarget: number;
  windowStart: string;
  windowEnd: string;
}

export interface TaskNoticeData extends TaskFacts {
  taskId: number;
  planId: number;
  year: number;
  planTitle: string;
  title: string;
}

export interface PlanNoticeData {
  planId: number;
  year: number;
  tasks: ({ taskId: number; title: string } & TaskFacts)[];
}

const zh = enforcementMessages['zh-CN'];

/** A ratio in per mille as a percentage without trailing zeros (50 → "5", 5 → "0.5"). */
export const percent = (perMille: number) => String(perMille / 10);

/** A task's state in words (its class names the state for the styles). */
export const stateLabel = (c: Pick<PageCtx, 't'>, state: string) => <span class={`state state-${state}`}>{c.t(`enforcement.state.${state}`)}</span>;

export function sampleWords(c: Pick<PageCtx, 't'>, kind: string, value: number): string {
  return kind === 'ratio' ? c.t('enforcement.sample.ratio', { pct: percent(value) }) : c.t('enforcement.sample.count', { n: value });
}

/** The filter in words, in the page's language (industry names and areas stay Chinese). */
export function FilterWords({ c, filter }: { c: PageCtx; filter: TargetFilter }) {
  const parts: ComponentChildren[] = [];
  const sep = c.t('enforcement.filter.list_sep');
  if (filter.industries.length) parts.push(<>{c.t('enforcement.filter.industries')}<Zh c={c}>{filter.industries.map(industryLabel).join(sep)}</Zh></>);
  if (filter.areas.length) parts.push(<>{c.t('enforcement.filter.areas')}<Zh c={c}>{filter.areas.join(sep)}</Zh></>);
  if (filter.risks.length) parts.push(<>{c.t('enforcement.filter.risks')}{filter.risks.map((r) => c.t(`enforcement.risk.${r}`)).join(sep)}</>);
  if (!parts.length) return <>{c.t('enforcement.filter.any')}</>;
  return (
    <>
      {parts.map((x, i) => (
        <>
          {i > 0 && c.t('enforcement.filter.sep')}
          {x}
        </>
      ))}
    </>
  );
}

/** The filter in Chinese words, for search text. */
function filterText(f: TargetFilter): string {
  return [f.industries.map(industryLabel).join(' '), f.areas.join(' '), f.risks.map((r) => zh[`enforcement.risk.${r}`]).join(' ')].join(' ');
}

/** A task's facts as a definition list (notice, public page, console). `extra` rows go last. */
export function TaskFactsList({ c, t, extra = [] }: { c: PageCtx; t: TaskFacts; extra?: [string, ComponentChildren][] }) {
  const m = t.matter;
  const text = (v: string) => (v ? <span lang={zhLang(c)}>{v}</span> : '—');
  return (
    <Dl
      rows={[
        [c.t('enforcement.task.matter'), <><span>{m.code}</span> <span lang={zhLang(c)}>{m.name}</span></>],
        [c.t('enforcement.task.field'), c.t(`enforcement.field.${m.field}`)],
        ...(m.basis ? ([[c.t('enforcement.task.basis'), <span class="pre" lang={zhLang(c)}>{m.basis}</span>]] as [string, ComponentChildren][]) : []),
        ...(m.body ? ([[c.t('enforcement.task.body'), text(m.body)]] as [string, ComponentChildren][]) : []),
        ...(m.content ? ([[c.t('enforcement.task.content'), <span class="pre" lang={zhLang(c)}>{m.content}</span>]] as [string, ComponentChildren][]) : []),
        ...(m.method ? ([[c.t('enforcement.task.method'), text(m.method)]] as [string, ComponentChildren][]) : []),
        [c.t('enforcement.task.filter'), <FilterWords c={c} filter={t.filter} />],
        [c.t('enforcement.task.sample'), sampleWords(c, t.sampleKind, t.sampleValue)],
        [c.t('enforcement.task.per_target'), c.t('enforcement.task.per_target_n', { n: t.perTarget })],
        [c.t('enforcement.task.window'), c.t('enforcement.task.window_dates', { start: t.windowStart, end: t.windowEnd })],
        ...extra,
      ]}
    />
  );
}

/** Tasks as a table: title (linked), matter, filter, sample, window and, when given, the state. */
export function TaskTable({ c, rows }: { c: PageCtx; rows: { href: string; title: string; facts: TaskFacts; state?: string }[] }) {
  const states = rows.some((r) => r.state);
  return (
    <TableWrap label={c.t('enforcement.plan.tasks')}>
      <table class="data inspection-tasks">
        <thead>
          <tr>
            <th scope="col">{c.t('enforcement.task.title')}</th>
            <th scope="col">{c.t('enforcement.task.matter')}</th>
            <th scope="col">{c.t('enforcement.task.filter')}</th>
            <th scope="col">{c.t('enforcement.task.sample')}</th>
            <th scope="col">{c.t('enforcement.task.window')}</th>
            {states && <th scope="col">{c.t('enforcement.task.state')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ href, title, facts: t, state }) => (
            <tr>
              <td lang={zhLang(c)}>
                <a href={href}>{title}</a>
              </td>
              <td>
                {t.matter.code} <Zh c={c}>{t.matter.name}</Zh>
              </td>
              <td>
                <FilterWords c={c} filter={t.filter} />
              </td>
              <td>{sampleWords(c, t.sampleKind, t.sampleValue)}</td>
              <td>{c.t('enforcement.task.window_dates', { start: t.windowStart, end: t.windowEnd })}</td>
              {states && <td>{state && stateLabel(c, state)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

const NoticeSchema = (key: string) => Type.Object({ [key]: Type.Integer(), year: Type.Integer() }, { additionalProperties: true });

registerItemType<PlanNoticeData>({
  type: INSPECTION_PLAN,
  // 随机抽查计划公告: 监督检查情况 the government discloses (catalog, 索引号).
  section: 'catalog',
  label: 'enforcement.item.plan',
  schema: NoticeSchema('planId'),
  category: INSPECTION_CATEGORY,
  searchText: (d) => ['双随机抽查计划', `${d.year}年度`, ...d.tasks.map((t) => [t.title, t.matter.code, t.matter.name, zh[`enforcement.field.${t.matter.field}`], filterText(t.filter)].join(' '))].join('\n'),
  render(d, c) {
    return (
      <div class="inspection-plan">
        <p>{c.t('enforcement.plan.notice_lead', { year: d.year, n: d.tasks.length })}</p>
        <TaskTable c={c} rows={d.tasks.map((t) => ({ href: `/enforcement/tasks/${t.taskId}`, title: t.title, facts: t }))} />
        <p>
          <a href={`/enforcement/plans/${d.planId}`}>{c.t('enforcement.plan.live_page')}</a>
        </p>
      </div>
    );
  },
  // The notice's catalog entry (索引号, metadata, hashed versions); its body links to the plan's
  // page, which follows the tasks' states. url() knows only the item's id, not the plan's.
  url: (id) => `/catalog/items/${id}`,
});

registerItemType<TaskNoticeData>({
  type: INSPECTION_TASK,
  section: 'catalog',
  label: 'enforcement.item.task',
  schema: NoticeSchema('taskId'),
  category: INSPECTION_CATEGORY,
  searchText: (d) => ['双随机抽查任务', d.title, d.planTitle, d.matter.code, d.matter.name, zh[`enforcement.field.${d.matter.field}`], d.matter.basis, d.matter.content, filterText(d.filter)].join('\n'),
  render(d, c) {
    return (
      <div class="inspection-task">
        <TaskFactsList c={c} t={d} extra={[[c.t('enforcement.task.plan'), <a href={`/enforcement/plans/${d.planId}`} lang={zhLang(c)}>{d.planTitle}</a>]]} />
        <p>
          <a href={`/enforcement/tasks/${d.taskId}`}>{c.t('enforcement.task.live_page')}</a>
        </p>
      </div>
    );
  },
  url: (id) => `/catalog/items/${id}`,
});
