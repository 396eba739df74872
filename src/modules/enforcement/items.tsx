// The spine item types of enforcement. Each part registers its own in a block of its own.
import type { ComponentChildren } from 'preact';
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';
import { Dl, Notice, TableWrap, Zh, zhLang, type PageCtx } from '../../platform/render/index.js';
import { shanghaiDateTime } from '../../platform/dates.js';
import { industryLabel } from '../lists/service/industry/table.js';
import type { SampleKind, TargetFilter } from './service/pool.js';
import { enforcementMessages } from './messages.js';
import { hasMessage } from '../../platform/i18n/index.js';
import { maskName, maskText } from '../../platform/privacy/index.js';

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
  // Empty parts leave no spaces (a snippet line never ends in whitespace).
  return [...f.industries.map(industryLabel), ...f.areas, ...f.risks.map((r) => zh[`enforcement.risk.${r}`])].join(' ');
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
  searchText: (d) => ['双随机抽查计划', `${d.year}年度`, ...d.tasks.map((t) => [t.title, t.matter.code, t.matter.name, zh[`enforcement.field.${t.matter.field}`], filterText(t.filter)].filter(Boolean).join(' '))].join('\n'),
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
  searchText: (d) => ['双随机抽查任务', d.title, d.planTitle, d.matter.code, d.matter.name, zh[`enforcement.field.${d.matter.field}`], d.matter.basis, d.matter.content, filterText(d.filter)].filter(Boolean).join('\n'),
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

// ---- draws and results (抽取公告, 结果公告) ---------------------------------------------------------

/** 抽取公告: the inputs of a task's draw (published before the draw), revised with the revealed
 *  secrets, the seed and the selection. Its id is the draw's (`/enforcement/draws/{id}`). */
export const DRAW_NOTICE = 'inspection-draw';
/** 结果公告: every selected target of a task with its result. */
export const RESULT_NOTICE = 'inspection-result';

/** What both notices say of their task. */
export interface NoticeTaskFacts {
  taskId: number;
  task: string;
  matterCode: string;
  matterName: string;
  field: string;
  /** The task's department (name). */
  department: string;
  windowStart: string;
  windowEnd: string;
}

/** The metadata of an inspection notice: a 公告 under 市场监管 and Art. 20 (十三). */
export function noticeMeta(title: string, keyword: string, matterName: string, summary: string) {
  return { title, genre: '公告', topic: INSPECTION_TOPIC, category: INSPECTION_CATEGORY, keywords: ['双随机一公开', keyword, matterName], summary };
}

export interface DrawNoticeData extends NoticeTaskFacts {
  format: string;
  sampleSize: number;
  perTarget: number;
  /** Pool sizes: targets, inspectors, inspectors with the matter's field, conflict pairs. */
  pool: { targets: number; inspectors: number; qualified: number; conflicts: number };
  /** SM3 of the canonical JSON of the stored inputs (service/draws.ts, inputsDigest). */
  inputsDigest: string;
  witnesses: { name: string; commitment: string }[];
  preparedAt: string;
  /** After the draw: */
  secrets: string[] | null;
  beacon: string;
  seed: string | null;
  selection: { target: string; name: string; inspectors: { certNo: string; name: string }[] }[] | null;
  drawnAt: string | null;
}

export interface ResultNoticeData extends NoticeTaskFacts {
  drawId: number;
  items: { ordinal: number; creditCode: string; name: string; result: string }[];
}

/** A table of selected targets in draw order: number, entity, credit code and the given columns. */
export function TargetsTable({ c, caption, columns, rows }: { c: PageCtx; caption: string; columns: string[]; rows: { ordinal: number; name: string; code: string; cells: ComponentChildren[] }[] }) {
  return (
    <TableWrap label={caption}>
      <table class="data targets">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.t('enforcement.draws.ordinal')}</th>
            <th scope="col">{c.t('enforcement.draws.entity')}</th>
            <th scope="col">{c.t('enforcement.draws.credit_code')}</th>
            {columns.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.ordinal}</td>
              <td lang={zhLang(c)}>{r.name}</td>
              <td>
                <code>{r.code}</code>
              </td>
              {r.cells.map((x) => (
                <td>{x}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The body of a draw notice: task, parameters, pools, commitments and, once drawn, the secrets,
 *  the beacon, the seed and the selection. */
export function DrawNoticeBody({ c, d }: { c: PageCtx; d: DrawNoticeData }) {
  return (
    <div class="draw-notice">
      <Dl
        rows={[
          [c.t('enforcement.draws.task'), <span lang={zhLang(c)}>{d.task}</span>],
          [c.t('enforcement.draws.matter'), <span lang={zhLang(c)}>{`${d.matterCode} ${d.matterName}`}</span>],
          [c.t('enforcement.draws.field'), c.t(`enforcement.field.${d.field}`)],
          [c.t('enforcement.draws.department'), <span lang={zhLang(c)}>{d.department}</span>],
          [c.t('enforcement.draws.window'), `${d.windowStart} — ${d.windowEnd}`],
          [c.t('enforcement.draws.sample_size'), String(d.sampleSize)],
          [c.t('enforcement.draws.per_target'), String(d.perTarget)],
          [c.t('enforcement.draws.target_pool'), c.t('enforcement.draws.n_entities', { n: d.pool.targets })],
          [c.t('enforcement.draws.inspector_pool'), c.t('enforcement.draws.n_inspectors', { n: d.pool.inspectors, qualified: d.pool.qualified })],
          [c.t('enforcement.draws.conflicts'), c.t('enforcement.draws.n_conflicts', { n: d.pool.conflicts })],
          [c.t('enforcement.draws.inputs_digest'), <code class="hash">{d.inputsDigest}</code>],
        ]}
      />
      <h2>{c.t('enforcement.draws.witnesses')}</h2>
      <p class="hint">{c.t('enforcement.draws.witnesses_intro')}</p>
      <TableWrap label={c.t('enforcement.draws.witnesses')}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{c.t('enforcement.draws.ordinal')}</th>
              <th scope="col">{c.t('enforcement.draws.witness')}</th>
              <th scope="col">{c.t('enforcement.draws.commitment')}</th>
              {d.secrets && <th scope="col">{c.t('enforcement.draws.secret')}</th>}
            </tr>
          </thead>
          <tbody>
            {d.witnesses.map((w, i) => (
              <tr>
                <td>{i + 1}</td>
                <td lang={zhLang(c)}>{w.name}</td>
                <td>
                  <code class="hash">{w.commitment}</code>
                </td>
                {d.secrets && (
                  <td>
                    <code>{d.secrets[i]}</code>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {d.seed && d.selection ? (
        <>
          <h2>{c.t('enforcement.draws.result')}</h2>
          <Dl
            rows={[
              [c.t('enforcement.draws.drawn_at'), shanghaiDateTime(d.drawnAt, true)],
              [c.t('enforcement.draws.beacon'), d.beacon ? <code>{d.beacon}</code> : c.t('enforcement.draws.no_beacon')],
              [c.t('enforcement.draws.seed'), <code class="hash">{d.seed}</code>],
            ]}
          />
          <TargetsTable
            c={c}
            caption={c.t('enforcement.draws.selection')}
            columns={[c.t('enforcement.draws.inspectors')]}
            rows={d.selection.map((s, i) => ({
              ordinal: i + 1,
              name: s.name,
              code: s.target,
              cells: [
                s.inspectors.map((x, j) => (
                  <>
                    {j > 0 && '、'}
                    <span lang={zhLang(c)}>{x.name}</span> <code>{x.certNo}</code>
                  </>
                )),
              ],
            }))}
          />
        </>
      ) : (
        <Notice kind="info">{c.t('enforcement.draws.not_drawn')}</Notice>
      )}
    </div>
  );
}

/** The body of a results notice: the task and every selected target with its result. */
export function ResultNoticeBody({ c, d }: { c: PageCtx; d: ResultNoticeData }) {
  const counts = new Map<string, number>();
  for (const x of d.items) counts.set(x.result, (counts.get(x.result) ?? 0) + 1);
  return (
    <div class="result-notice">
      <Dl
        rows={[
          [c.t('enforcement.draws.task'), <span lang={zhLang(c)}>{d.task}</span>],
          [c.t('enforcement.draws.matter'), <span lang={zhLang(c)}>{`${d.matterCode} ${d.matterName}`}</span>],
          [c.t('enforcement.draws.department'), <span lang={zhLang(c)}>{d.department}</span>],
          [c.t('enforcement.draws.window'), `${d.windowStart} — ${d.windowEnd}`],
          [c.t('enforcement.results.checked'), c.t('enforcement.draws.n_entities', { n: d.items.length })],
          [c.t('enforcement.results.summary'), [...counts].map(([k, n]) => `${c.t(`enforcement.result.${k}`)} ${n}`).join('；')],
        ]}
      />
      <p>
        <a href={`/enforcement/draws/${d.drawId}`}>{c.t('enforcement.results.draw_link')}</a>
      </p>
      <TargetsTable
        c={c}
        caption={c.t('enforcement.results.table')}
        columns={[c.t('enforcement.results.result')]}
        rows={d.items.map((x) => ({ ordinal: x.ordinal, name: x.name, code: x.creditCode, cells: [c.t(`enforcement.result.${x.result}`)] }))}
      />
    </div>
  );
}

registerItemType<DrawNoticeData>({
  type: DRAW_NOTICE,
  // 双随机抽查的抽取过程: information the government publishes (监督检查情况), in the catalog.
  section: 'catalog',
  label: 'enforcement.draws.item_type',
  schema: Type.Object({ taskId: Type.Integer(), sampleSize: Type.Integer(), perTarget: Type.Integer() }, { additionalProperties: true }),
  category: INSPECTION_CATEGORY,
  searchText: (d) => [d.task, d.matterName, d.department, ...d.witnesses.map((w) => w.name), ...(d.selection ?? []).flatMap((s) => [s.name, s.target])].join('\n'),
  render: (d, c) => <DrawNoticeBody c={c} d={d} />,
  // The draw's page (its id is the item's): the notice with the links to re-run it.
  url: (id) => `/enforcement/draws/${id}`,
});

registerItemType<ResultNoticeData>({
  type: RESULT_NOTICE,
  section: 'catalog',
  label: 'enforcement.results.item_type',
  schema: Type.Object({ taskId: Type.Integer(), items: Type.Array(Type.Object({ creditCode: Type.String(), result: Type.String() }, { additionalProperties: true })) }, { additionalProperties: true }),
  category: INSPECTION_CATEGORY,
  searchText: (d) => [d.task, d.matterName, d.department, ...d.items.flatMap((x) => [x.name, x.creditCode])].join('\n'),
  render: (d, c) => <ResultNoticeBody c={c} d={d} />,
  // The catalog's item page (索引号, metadata, hashed versions, print view) shows it;
  // /enforcement/tasks/{taskId}/results leads there.
  url: (id) => `/catalog/items/${id}`,
});

// ---- decisions 双公示 (行政许可 / 行政处罚决定) ---------------------------------------------------
// A decision approved for display is a catalog item (索引号; Art. 20 category 第（五）项 a20-05 for
// licensing, 第（六）项 a20-06 for penalties). Its payload is the public text only: a natural
// person's name masked (张*), the ID number never, the address cut to the district or street
// (hidden when none can be told), free text masked (platform/privacy). `prepare` masks again, so
// no caller can publish a natural person's data in the clear.

export const PENALTY_DECISION = 'penalty-decision';
export const LICENSING_DECISION = 'licensing-decision';

export interface DecisionData {
  kind: 'licensing' | 'penalty';
  docNo: string;
  /** 'legal' (法人及其他组织) | 'natural' (自然人). */
  subjectType: string;
  subjectName: string;
  creditCode: string;
  legalRep: string;
  address: string;
  /** 违法事实 / 许可内容. */
  facts: string;
  /** Codes of PENALTY_CATEGORIES (one or more) or LICENSING_CATEGORIES (one). */
  category: string[];
  basis: string;
  /** 处罚内容 / 许可决定文书名称. */
  content: string;
  /** 处罚结果 (penalties). */
  result: string;
  licenceName: string;
  licenceNo: string;
  validFrom: string | null;
  validTo: string | null;
  decisionDate: string;
  domain: string;
  /** The domain's Chinese name when it was published (configured domains have no message key). */
  domainName: string;
  severity: string;
  /** The last day on display (公示期限 至). */
  displayUntil: string;
  /** The deciding department's name. */
  department: string;
}

const ADMIN_UNIT = /^(.{1,12}?)(省|自治区|市(?!场)|(?<![小园社校景厂街矿营片城])区|县|旗|街道|镇|乡)/u;
const NOT_A_UNIT = /[\d０-９路街巷弄号號村组楼栋幢座室*]/u;

/**
 * A natural person's address as the public may see it: only the administrative units it starts
 * with (省, 市, 区/县, 街道/镇/乡) — 辽宁省大连市示范新区海滨路88号 → 辽宁省大连市示范新区, 示范新区
 * 海滨街道幸福小区3栋 → 示范新区海滨街道; '' (hidden) when it starts with none.
 */
export function publicAddress(address: string): string {
  let rest = address.trim();
  let out = '';
  for (let i = 0; i < 5; i++) {
    const m = ADMIN_UNIT.exec(rest);
    if (!m) break;
    const unit = m[0];
    // A unit with a road, house or estate in it (幸福路工业区) is no administrative unit.
    if (NOT_A_UNIT.test(unit.replace(/街道$/u, ''))) break;
    out += unit;
    rest = rest.slice(unit.length);
  }
  return out;
}

/** The published payload made safe: natural persons masked (idempotent: masking masked text changes nothing). */
export function maskedDecision(d: DecisionData): DecisionData {
  const natural = d.subjectType === 'natural';
  const names = natural && !d.subjectName.includes('*') ? [d.subjectName] : [];
  const m = (s: string) => maskText(s ?? '', { names }).text;
  return {
    ...d,
    subjectName: natural ? maskName(d.subjectName) : d.subjectName,
    creditCode: natural ? '' : d.creditCode,
    legalRep: natural ? '' : d.legalRep,
    address: natural ? publicAddress(d.address) : d.address,
    facts: m(d.facts),
    content: m(d.content),
    result: m(d.result),
  };
}

/** A category code's label ('enforcement.penalty_category.fine' …). */
export const categoryLabel = (t: PageCtx['t'], kind: string, code: string) => t(`enforcement.${kind === 'penalty' ? 'penalty' : 'licensing'}_category.${code}`);

/** A domain's label: the message when it is a built-in one, else its configured name. */
export function domainLabel(c: Pick<PageCtx, 't'>, code: string, name?: string): string {
  return hasMessage(`enforcement.domain.${code}`) ? c.t(`enforcement.domain.${code}`) : name || code;
}

/** Every §6 field of a published decision, as the public page and the catalog show it. */
export function DecisionFields({ c, d, extra }: { c: PageCtx; d: DecisionData; extra?: [string, ComponentChildren][] }) {
  const penalty = d.kind === 'penalty';
  const zh = (s: string) => (s ? <Zh c={c}>{s}</Zh> : '—');
  const rows: [string, ComponentChildren][] = [
    [c.t('enforcement.decision.f.kind'), c.t(`enforcement.kind.${d.kind}`)],
    [c.t('enforcement.decision.f.docNo'), zh(d.docNo)],
    [c.t('enforcement.decision.f.subjectName'), zh(d.subjectName)],
    [c.t('enforcement.decision.f.subjectType'), c.t(`enforcement.decision.subject.${d.subjectType}`)],
  ];
  if (d.subjectType === 'legal') rows.push([c.t('enforcement.decision.f.creditCode'), d.creditCode || '—'], [c.t('enforcement.decision.f.legalRep'), zh(d.legalRep)]);
  rows.push([c.t('enforcement.decision.f.address'), d.address ? zh(d.address) : c.t(d.subjectType === 'natural' ? 'enforcement.decision.address_hidden' : 'enforcement.decision.none')]);
  rows.push(
    [c.t(penalty ? 'enforcement.decision.f.facts' : 'enforcement.decision.f.facts_licensing'), zh(d.facts)],
    [c.t(penalty ? 'enforcement.decision.f.category' : 'enforcement.decision.f.category_licensing'), d.category.map((x) => categoryLabel(c.t, d.kind, x)).join(c.t('enforcement.decision.list_sep'))],
    [c.t(penalty ? 'enforcement.decision.f.basis' : 'enforcement.decision.f.basis_licensing'), zh(d.basis)],
    [c.t(penalty ? 'enforcement.decision.f.content' : 'enforcement.decision.f.content_licensing'), zh(d.content)],
  );
  if (penalty) rows.push([c.t('enforcement.decision.f.result'), zh(d.result)], [c.t('enforcement.decision.f.severity'), c.t(`enforcement.severity.${d.severity}`)]);
  else
    rows.push(
      [c.t('enforcement.decision.f.licenceName'), zh(d.licenceName)],
      [c.t('enforcement.decision.f.licenceNo'), zh(d.licenceNo)],
      [c.t('enforcement.decision.f.validity'), d.validFrom ? c.t(d.validTo ? 'enforcement.decision.valid_range' : 'enforcement.decision.valid_open', { from: d.validFrom, to: d.validTo ?? '' }) : '—'],
    );
  rows.push(
    [c.t('enforcement.decision.f.domain'), domainLabel(c, d.domain, d.domainName)],
    [c.t('enforcement.decision.f.department'), zh(d.department)],
    [c.t(penalty ? 'enforcement.decision.f.decisionDate' : 'enforcement.decision.f.decisionDate_licensing'), d.decisionDate],
    [c.t('enforcement.decision.f.displayUntil'), c.t('enforcement.decision.display_until', { date: d.displayUntil })],
    ...(extra ?? []),
  );
  return <Dl rows={rows} />;
}

const DecisionSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('licensing'), Type.Literal('penalty')]),
    docNo: Type.String(),
    subjectType: Type.Union([Type.Literal('legal'), Type.Literal('natural')]),
    subjectName: Type.String(),
    category: Type.Array(Type.String()),
    decisionDate: Type.String(),
    displayUntil: Type.String(),
  },
  { additionalProperties: true },
);

for (const [type, kind] of [
  [PENALTY_DECISION, 'penalty'],
  [LICENSING_DECISION, 'licensing'],
] as const) {
  registerItemType<DecisionData>({
    type,
    // 双公示: information the law says to disclose (Art. 20 (五) 行政许可的办理结果, (六) 有一定社会影响的行政处罚决定).
    section: 'catalog',
    label: `enforcement.decision.item_type.${kind}`,
    schema: DecisionSchema,
    category: kind === 'penalty' ? 'a20-06' : 'a20-05',
    prepare(d) {
      const fields: Record<string, string> = {};
      if (d?.kind !== kind) fields.kind = 'err.field.invalid';
      if (!d?.docNo) fields.docNo = 'err.field.required';
      if (!d?.subjectName) fields.subjectName = 'err.field.required';
      if (d?.subjectType !== 'legal' && d?.subjectType !== 'natural') fields.subjectType = 'err.field.enum_generic';
      if (Object.keys(fields).length) return { data: d, fields };
      // Never an ID number in the published version, whatever the caller put in.
      const { idNumber: _drop, ...rest } = d as DecisionData & { idNumber?: string };
      return { data: maskedDecision(rest), fields };
    },
    searchText: (d) => [d.subjectName, d.creditCode, d.docNo, d.facts, d.content, d.result, d.basis, d.domainName, d.department].filter(Boolean).join('\n'),
    render: (d, c) => <DecisionFields c={c} d={d} />,
    url: (id) => `/enforcement/decisions/${id}`,
    // Subscriptions by enforcement domain ("penalties of 市场监管").
    facets: { names: ['domain'], values: (d) => ({ domain: d.domain ? [d.domain] : [] }), label: (n, v, t) => (n !== 'domain' || !/^[a-z0-9_-]{1,40}$/.test(v) ? null : hasMessage(`enforcement.domain.${v}`) ? t(`enforcement.domain.${v}`) : v) },
  });
}
// ---- end of decisions ------------------------------------------------------------------------
