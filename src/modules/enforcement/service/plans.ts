// Random-inspection plans (抽查计划) and their tasks (抽查任务). A plan is drafted by a holder of
// `inspection.plan` on its department; publishing it publishes its 计划公告 and each task's 任务公告
// through the spine (catalog items with 索引号) in one transaction. A task names a matter of the
// department's 随机抽查事项清单 (when the lists module is mounted; its name and field are copied),
// the target filter, the sample (a count, or a ratio in per mille rounded up at the draw), the
// inspectors per target (2–10) and the inspection window. A task is edited only while 待抽取; a
// task added to or edited in a published plan is published (or revised) at once, and so is the plan
// notice that lists it.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { can } from '../../../platform/auth/policy.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, forbidden, notFound, validationError } from '../../../platform/errors.js';
import { bumpGeneration, defaultMeta, publishApproved, reviseApproved } from '../../../platform/publication/index.js';
import { isValidDate, todayShanghai } from '../../../platform/calendar/index.js';
import { cleanLine, INT_MAX } from '../../../platform/text.js';
import { INSPECTION_FIELDS, RISK_LEVELS } from './codes.js';
import { normaliseIndustry, type SampleKind, type TargetFilter } from './pool.js';
import { INSPECTION_CATEGORY, INSPECTION_PLAN, INSPECTION_TASK, INSPECTION_TOPIC, type MatterFacts, type PlanNoticeData, type TaskFacts, type TaskNoticeData } from '../items.js';
import type { PlanRow, TaskRow } from '../schema.js';
import '../schema.js';

export const PLAN = 'inspection.plan';
export const READ = 'enforcement.read';
export const MATTER_LIST = 'inspection-matter';
export const PER_TARGET = { min: 2, max: 10, default: 2 } as const;
export const SAMPLE_COUNT_MAX = 100_000;
export const YEARS = { min: 2000, max: 2100 } as const;
const LIMITS = { industries: 50, areas: 50, area: 50, title: 200 } as const;

const may = (a: Actor, action: string, departmentId: number) => typeof a === 'string' || can(a, action, { departmentId });
const now = () => new Date().toISOString();

/** Whether the matters come from the lists module's 随机抽查事项清单. */
export const listsMounted = (p: Platform) => p.modules.some((m) => m.name === 'lists');

// ---- matters ------------------------------------------------------------------------------------

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const matterOf = (data: string): MatterFacts & { ratio: string; frequency: string } => {
  const d = JSON.parse(data) as Record<string, unknown>;
  return { code: text(d.code), name: text(d.name), field: text(d.field), basis: text(d.basis), body: text(d.body), content: text(d.content), method: text(d.method), ratio: text(d.ratio), frequency: text(d.frequency) };
};

/** The matters of the department's current published 随机抽查事项清单 edition (lists mounted), by code. */
export async function departmentMatters(p: Platform, db: Db, departmentId: number, code?: string): Promise<(MatterFacts & { ratio: string; frequency: string })[]> {
  if (!listsMounted(p)) return [];
  let q = db
    .selectFrom('list_items')
    .innerJoin('lists', 'lists.id', 'list_items.list_id')
    .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
    .select('list_items.data')
    .where('lists.type', '=', MATTER_LIST)
    .where('lists.department_id', '=', departmentId)
    .where('list_editions.status', '=', 'published')
    .whereRef('list_editions.number', '=', 'lists.current_edition');
  if (code !== undefined) q = q.where('list_items.item_key', '=', code);
  const rows = await q.orderBy('list_items.item_key').execute();
  return rows.map((r) => matterOf(r.data));
}

// ---- validation ---------------------------------------------------------------------------------

export interface PlanInput {
  departmentId?: number;
  year?: number;
  title?: string;
}

export interface TaskInput {
  title?: string;
  matterCode?: string;
  /** Without the lists module: the matter's name and field, as the department states them. */
  matterName?: string;
  field?: string;
  filter?: { industries?: string[]; areas?: string[]; risks?: string[] };
  sampleKind?: string;
  /** A count (1–100000), or a ratio in per mille (1–1000). */
  sampleValue?: number;
  perTarget?: number;
  windowStart?: string;
  windowEnd?: string;
}

function checkPlan(input: PlanInput, fields: Record<string, string>): { year: number; title: string } {
  const title = cleanLine(String(input.title ?? '')).trim();
  if (!title) fields.title = 'err.field.required';
  else if (title.length > LIMITS.title) fields.title = 'err.field.too_long';
  const year = Number(input.year);
  if (!Number.isInteger(year) || year < YEARS.min || year > YEARS.max) fields.year = 'enforcement.plan.err.year';
  return { year, title };
}

const strings = (v: unknown): string[] | null => (v === undefined ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

function checkFilter(raw: TaskInput['filter'], fields: Record<string, string>): TargetFilter {
  const f = raw && typeof raw === 'object' ? raw : {};
  const out: TargetFilter = { industries: [], areas: [], risks: [] };
  const ind = strings(f.industries);
  if (!ind) fields['filter.industries'] = 'err.field.invalid';
  else if (ind.length > LIMITS.industries) fields['filter.industries'] = 'enforcement.plan.err.too_many';
  else {
    for (const c of ind) {
      const n = normaliseIndustry(c);
      if (!n) {
        fields['filter.industries'] = 'enforcement.plan.err.industry_unknown';
        break;
      }
      out.industries.push(n);
    }
  }
  const areas = strings(f.areas);
  if (!areas) fields['filter.areas'] = 'err.field.invalid';
  else if (areas.length > LIMITS.areas) fields['filter.areas'] = 'enforcement.plan.err.too_many';
  else {
    out.areas = areas.map((a) => cleanLine(a).trim()).filter(Boolean);
    if (out.areas.some((a) => a.length > LIMITS.area)) fields['filter.areas'] = 'err.field.too_long';
  }
  const risks = strings(f.risks);
  if (!risks || risks.some((r) => !(RISK_LEVELS as readonly string[]).includes(r))) fields['filter.risks'] = 'err.field.enum_generic';
  else out.risks = risks;
  const uniq = (xs: string[]) => [...new Set(xs)];
  return { industries: uniq(out.industries).sort(), areas: uniq(out.areas), risks: RISK_LEVELS.filter((r) => out.risks.includes(r)) };
}

interface TaskValues extends TaskFacts {
  title: string;
}

/**
 * A task's input checked and normalised; every problem is a field error (400) naming its field.
 * `current`: the task being edited (its matter is kept when the code does not change).
 */
export async function checkTask(p: Platform, db: Db, departmentId: number, input: TaskInput, current?: TaskRow): Promise<TaskValues> {
  const fields: Record<string, string> = {};
  const code = cleanLine(String(input.matterCode ?? '')).trim();
  let matter: MatterFacts | null = null;
  if (!code) fields.matterCode = 'err.field.required';
  else if (code.length > 40 || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(code)) fields.matterCode = 'err.field.format';
  else if (current && current.matter_code === code) matter = { code, name: current.matter_name, field: current.field, basis: '', body: '', content: '', method: '' };
  else if (listsMounted(p)) {
    const [m] = await departmentMatters(p, db, departmentId, code);
    if (!m || !(INSPECTION_FIELDS as readonly string[]).includes(m.field)) fields.matterCode = 'enforcement.plan.err.matter_unknown';
    else matter = m;
  } else {
    const name = cleanLine(String(input.matterName ?? '')).trim();
    if (!name) fields.matterName = 'err.field.required';
    else if (name.length > LIMITS.title) fields.matterName = 'err.field.too_long';
    if (!(INSPECTION_FIELDS as readonly string[]).includes(String(input.field))) fields.field = 'err.field.enum_generic';
    if (!fields.matterName && !fields.field) matter = { code, name, field: String(input.field), basis: '', body: '', content: '', method: '' };
  }
  let title = cleanLine(String(input.title ?? '')).trim();
  if (title.length > LIMITS.title) fields.title = 'err.field.too_long';
  if (!title && matter) title = matter.name;
  const filter = checkFilter(input.filter, fields);
  const kind = input.sampleKind;
  const value = Number(input.sampleValue);
  if (kind !== 'count' && kind !== 'ratio') fields.sampleKind = 'err.field.enum_generic';
  else if (kind === 'count' && (!Number.isInteger(value) || value < 1 || value > SAMPLE_COUNT_MAX)) fields.sampleValue = 'enforcement.plan.err.sample_count';
  else if (kind === 'ratio' && (!Number.isInteger(value) || value < 1 || value > 1000)) fields.sampleValue = 'enforcement.plan.err.sample_ratio';
  const perTarget = input.perTarget === undefined || (input.perTarget as unknown) === '' ? PER_TARGET.default : Number(input.perTarget);
  if (!Number.isInteger(perTarget) || perTarget < PER_TARGET.min || perTarget > PER_TARGET.max) fields.perTarget = 'enforcement.plan.err.per_target';
  const start = String(input.windowStart ?? '');
  const end = String(input.windowEnd ?? '');
  if (!isValidDate(start)) fields.windowStart = 'err.field.format';
  if (!isValidDate(end)) fields.windowEnd = 'err.field.format';
  else if (isValidDate(start) && end < start) fields.windowEnd = 'enforcement.plan.err.window_order';
  if (Object.keys(fields).length || !matter) throw validationError(fields);
  return { title, matter, filter, sampleKind: kind as SampleKind, sampleValue: value, perTarget, windowStart: start, windowEnd: end };
}

// ---- reading ------------------------------------------------------------------------------------

export const taskFilter = (t: Pick<TaskRow, 'filter'>): TargetFilter => ({ industries: [], areas: [], risks: [], ...(JSON.parse(t.filter) as Partial<TargetFilter>) });

/** A task row's facts (the matter's basis and text come from its notice; here only code, name, field). */
export const rowFacts = (t: TaskRow, matter?: Partial<MatterFacts>): TaskFacts => ({
  matter: { basis: '', body: '', content: '', method: '', ...matter, code: t.matter_code, name: t.matter_name, field: t.field },
  filter: taskFilter(t),
  sampleKind: t.sample_kind as SampleKind,
  sampleValue: t.sample_value,
  perTarget: t.per_target,
  windowStart: t.window_start,
  windowEnd: t.window_end,
});

export async function getPlan(db: Db, id: number): Promise<PlanRow | null> {
  if (!Number.isInteger(id) || id < 1 || id > INT_MAX) return null;
  return (await db.selectFrom('enf_plans').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function getTask(db: Db, id: number): Promise<TaskRow | null> {
  if (!Number.isInteger(id) || id < 1 || id > INT_MAX) return null;
  return (await db.selectFrom('enf_tasks').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function planTasks(db: Db, planId: number): Promise<TaskRow[]> {
  return db.selectFrom('enf_tasks').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
}

/** A plan as staff see it: 404 unless published or the actor reads or plans its department. */
export async function staffPlan(p: Platform, actor: Actor, id: number, write = false): Promise<PlanRow> {
  const plan = await getPlan(p.db, id);
  if (!plan || !(plan.status === 'published' || may(actor, READ, plan.department_id) || may(actor, PLAN, plan.department_id))) throw notFound();
  if (write && !may(actor, PLAN, plan.department_id)) throw forbidden('enforcement.plan.err.not_your_plan');
  return plan;
}

/** A task as staff see it (through its plan). */
export async function staffTask(p: Platform, actor: Actor, id: number, write = false): Promise<{ task: TaskRow; plan: PlanRow }> {
  const task = await getTask(p.db, id);
  if (!task) throw notFound();
  const plan = await staffPlan(p, actor, task.plan_id, write);
  return { task, plan };
}

/** The plans of the departments the actor reads (or plans), newest year first. */
export async function staffPlans(p: Platform, actor: Actor, year?: number) {
  let q = p.db.selectFrom('enf_plans').innerJoin('departments', 'departments.id', 'enf_plans.department_id').selectAll('enf_plans').select(['departments.name as department_name', 'departments.code as department_code']);
  if (year) q = q.where('enf_plans.year', '=', year);
  const rows = await q.orderBy('enf_plans.year', 'desc').orderBy('departments.sort').orderBy('enf_plans.id', 'desc').execute();
  const counts = new Map((await p.db.selectFrom('enf_tasks').select(['plan_id', p.db.fn.count<number>('id').as('n')]).groupBy('plan_id').execute()).map((r) => [r.plan_id, Number(r.n)]));
  return rows.filter((r) => may(actor, READ, r.department_id) || may(actor, PLAN, r.department_id)).map((r) => ({ ...r, tasks: counts.get(r.id) ?? 0 }));
}

export interface PublicPlanQuery {
  year?: number;
  department?: string;
  page: number;
  pageSize: number;
}

/** Published plans (by year, then department) with their tasks; a page of them. */
export async function publicPlans(db: Db, f: PublicPlanQuery) {
  let q = db
    .selectFrom('enf_plans')
    .innerJoin('departments', 'departments.id', 'enf_plans.department_id')
    .leftJoin('pub_items', 'pub_items.id', 'enf_plans.pub_item_id')
    .where('enf_plans.status', '=', 'published');
  if (f.year) q = q.where('enf_plans.year', '=', f.year);
  if (f.department) q = q.where('departments.code', '=', f.department);
  const total = Number((await q.select(db.fn.count<number>('enf_plans.id').as('n')).executeTakeFirst())?.n ?? 0);
  const plans = await q
    .select(['enf_plans.id', 'enf_plans.year', 'enf_plans.title', 'enf_plans.pub_item_id', 'enf_plans.department_id', 'departments.code as department_code', 'departments.name as department_name', 'pub_items.index_no', 'pub_items.first_published_at as published_at'])
    .orderBy('enf_plans.year', 'desc')
    .orderBy('departments.sort')
    .orderBy('enf_plans.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const tasks = plans.length ? await db.selectFrom('enf_tasks').selectAll().where('plan_id', 'in', plans.map((x) => x.id)).orderBy('id').execute() : [];
  return { total, items: plans.map((x) => ({ ...x, tasks: tasks.filter((t) => t.plan_id === x.id) })) };
}

/** The years and departments that have published plans (the public filters). */
export async function publicPlanFacets(db: Db) {
  const years = await db.selectFrom('enf_plans').select('year').distinct().where('status', '=', 'published').orderBy('year', 'desc').execute();
  const depts = await db.selectFrom('enf_plans').innerJoin('departments', 'departments.id', 'enf_plans.department_id').select(['departments.code', 'departments.name', 'departments.sort']).distinct().where('enf_plans.status', '=', 'published').orderBy('departments.sort').execute();
  return { years: years.map((y) => y.year), departments: depts.map((d) => ({ code: d.code, name: d.name })) };
}

// ---- notices ------------------------------------------------------------------------------------

/** The matter's published text for a notice: the list's current edition, else what the task holds. */
async function noticeMatter(p: Platform, t: Db, task: TaskRow): Promise<MatterFacts> {
  const [m] = await departmentMatters(p, t, task.department_id, task.matter_code);
  const facts = rowFacts(task).matter;
  return m ? { ...facts, basis: m.basis, body: m.body, content: m.content, method: m.method } : facts;
}

async function taskNotice(p: Platform, t: Db, plan: PlanRow, task: TaskRow): Promise<TaskNoticeData> {
  return { ...rowFacts(task, await noticeMatter(p, t, task)), taskId: task.id, planId: plan.id, year: plan.year, planTitle: plan.title, title: task.title };
}

async function planNotice(p: Platform, t: Db, plan: PlanRow): Promise<PlanNoticeData> {
  const tasks = await planTasks(t, plan.id);
  const out: PlanNoticeData['tasks'] = [];
  for (const task of tasks) out.push({ ...rowFacts(task, await noticeMatter(p, t, task)), taskId: task.id, title: task.title });
  return { planId: plan.id, year: plan.year, tasks: out };
}

const noticeMeta = (title: string, summary: string) => {
  const day = todayShanghai();
  return defaultMeta({ title, genre: '公告', topic: INSPECTION_TOPIC, category: INSPECTION_CATEGORY, summary: summary.slice(0, 2000), keywords: ['双随机一公开', '随机抽查'], writtenAt: day, formedAt: day });
};
const planSummary = (plan: PlanRow, n: number) => `${plan.year}年度双随机抽查计划，共${n}项抽查任务。`;
const taskTitle = (task: TaskRow) => `${task.title}任务公告`;
const taskSummary = (task: TaskRow) => `抽查事项：${task.matter_name}（${task.matter_code}）；检查时间：${task.window_start}至${task.window_end}。`;

async function publishTask(p: Platform, t: Db, actor: Actor, plan: PlanRow, task: TaskRow): Promise<number> {
  const item = await publishApproved(p, t, actor, { type: INSPECTION_TASK, departmentId: plan.department_id, meta: noticeMeta(taskTitle(task), taskSummary(task)), data: await taskNotice(p, t, plan, task) });
  await t.updateTable('enf_tasks').set({ task_item_id: item.id, updated_at: now() }).where('id', '=', task.id).execute();
  return item.id;
}

async function revisePlanNotice(p: Platform, t: Db, actor: Actor, plan: PlanRow, note: string): Promise<void> {
  if (!plan.pub_item_id) return;
  const data = await planNotice(p, t, plan);
  await reviseApproved(p, t, actor, plan.pub_item_id, { meta: { summary: planSummary(plan, data.tasks.length) }, data, changeNote: note });
}

// ---- writing ------------------------------------------------------------------------------------

export async function createPlan(p: Platform, actor: Actor, input: PlanInput): Promise<PlanRow> {
  const fields: Record<string, string> = {};
  const departmentId = Number(input.departmentId);
  const dept = Number.isInteger(departmentId) && departmentId > 0 && departmentId <= INT_MAX ? await p.db.selectFrom('departments').select(['id', 'active']).where('id', '=', departmentId).executeTakeFirst() : undefined;
  if (!dept || !dept.active) fields.departmentId = 'err.field.invalid';
  else if (!may(actor, PLAN, departmentId)) throw forbidden('enforcement.plan.err.not_your_plan');
  const { year, title } = checkPlan(input, fields);
  if (Object.keys(fields).length) throw validationError(fields);
  return p.tx(async (t) => {
    const at = now();
    const row = await t.insertInto('enf_plans').values({ department_id: departmentId, year, title, status: 'draft', pub_item_id: null, created_by: actorName(actor), created_at: at, updated_at: at }).returningAll().executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'inspection.plan_create', entity: 'enf_plan', entityId: row.id, details: { departmentId, year, title } });
    return row;
  });
}

/** Changes a draft plan's year and title. */
export async function updatePlan(p: Platform, actor: Actor, id: number, input: PlanInput): Promise<PlanRow> {
  const plan = await staffPlan(p, actor, id, true);
  const fields: Record<string, string> = {};
  const { year, title } = checkPlan(input, fields);
  if (Object.keys(fields).length) throw validationError(fields);
  return p.tx(async (t) => {
    const r = await t.updateTable('enf_plans').set({ year, title, updated_at: now() }).where('id', '=', plan.id).where('status', '=', 'draft').returningAll().executeTakeFirst();
    if (!r) throw conflict('enforcement.plan.err.plan_published');
    await p.audit(t, { actor: actorName(actor), action: 'inspection.plan_update', entity: 'enf_plan', entityId: plan.id, details: { year, title } });
    return r;
  });
}

const taskRowValues = (v: TaskValues) => ({
  title: v.title,
  matter_code: v.matter.code,
  matter_name: v.matter.name,
  field: v.matter.field,
  filter: JSON.stringify(v.filter),
  sample_kind: v.sampleKind,
  sample_value: v.sampleValue,
  per_target: v.perTarget,
  window_start: v.windowStart,
  window_end: v.windowEnd,
});

const auditValues = (v: TaskValues) => ({ title: v.title, matterCode: v.matter.code, sampleKind: v.sampleKind, sampleValue: v.sampleValue, perTarget: v.perTarget, windowStart: v.windowStart, windowEnd: v.windowEnd });

/** The plan, its row locked for the transaction (a write): publication and task changes take turns. */
async function lockPlan(t: Db, planId: number): Promise<PlanRow> {
  return (await t.updateTable('enf_plans').set({ updated_at: now() }).where('id', '=', planId).returningAll().executeTakeFirstOrThrow()) as PlanRow;
}

/** Adds a task (待抽取) to a plan; in a published plan its 任务公告 is published at once. */
export async function addTask(p: Platform, actor: Actor, planId: number, input: TaskInput): Promise<TaskRow> {
  const plan0 = await staffPlan(p, actor, planId, true);
  const v = await checkTask(p, p.db, plan0.department_id, input);
  const row = await p.tx(async (t) => {
    const plan = await lockPlan(t, planId);
    const at = now();
    const task = await t
      .insertInto('enf_tasks')
      .values({ plan_id: plan.id, department_id: plan.department_id, ...taskRowValues(v), state: 'pending', task_item_id: null, result_item_id: null, created_by: actorName(actor), created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'inspection.task_create', entity: 'enf_task', entityId: task.id, details: { planId: plan.id, ...auditValues(v) } });
    if (plan.status === 'published') {
      await publishTask(p, t, actor, plan, task);
      await revisePlanNotice(p, t, actor, plan, `新增抽查任务：${task.title}`);
    }
    return (await getTask(t, task.id))!;
  });
  if (plan0.status === 'published') bumpGeneration();
  return row;
}

/** Whether the task's draw is prepared (or done). */
const hasDraw = async (db: Db, taskId: number) => !!(await db.selectFrom('enf_draws').select('id').where('task_id', '=', taskId).executeTakeFirst());

/** Changes a task while it is 待抽取; a published task's notice (and its plan's) gets a new version. */
export async function updateTask(p: Platform, actor: Actor, taskId: number, input: TaskInput): Promise<TaskRow> {
  const { task: cur, plan: plan0 } = await staffTask(p, actor, taskId, true);
  if (cur.state !== 'pending') throw conflict('enforcement.plan.err.not_pending', undefined, { state: `enforcement.state.${cur.state}` });
  const v = await checkTask(p, p.db, plan0.department_id, input, cur);
  const row = await p.tx(async (t) => {
    const plan = await lockPlan(t, plan0.id);
    // Only while 待抽取: a draw being prepared meanwhile wins (the row lock decides).
    const task = await t.updateTable('enf_tasks').set({ ...taskRowValues(v), updated_at: now() }).where('id', '=', taskId).where('state', '=', 'pending').returningAll().executeTakeFirst();
    if (!task) throw conflict('enforcement.plan.err.not_pending', undefined, { state: `enforcement.state.${(await getTask(t, taskId))?.state ?? 'drawn'}` });
    // A prepared draw has published the task's inputs: they stay as published (prepareDraw holds the task's row lock).
    if (await hasDraw(t, taskId)) throw conflict('enforcement.plan.err.draw_prepared');
    await p.audit(t, { actor: actorName(actor), action: 'inspection.task_update', entity: 'enf_task', entityId: taskId, details: auditValues(v) });
    if (task.task_item_id) {
      await reviseApproved(p, t, actor, task.task_item_id, { meta: { title: taskTitle(task), summary: taskSummary(task) }, data: await taskNotice(p, t, plan, task), changeNote: '调整抽查任务' });
      await revisePlanNotice(p, t, actor, plan, `调整抽查任务：${task.title}`);
    }
    return task;
  });
  if (row.task_item_id) bumpGeneration();
  return row;
}

/** Removes a task of a draft plan (nothing of it was published). */
export async function deleteTask(p: Platform, actor: Actor, taskId: number): Promise<void> {
  const { task, plan } = await staffTask(p, actor, taskId, true);
  if (plan.status !== 'draft' || task.task_item_id) throw conflict('enforcement.plan.err.plan_published');
  await p.tx(async (t) => {
    if ((await lockPlan(t, plan.id)).status !== 'draft') throw conflict('enforcement.plan.err.plan_published');
    if (await hasDraw(t, taskId)) throw conflict('enforcement.plan.err.draw_prepared');
    const n = await t.deleteFrom('enf_tasks').where('id', '=', taskId).where('state', '=', 'pending').where('task_item_id', 'is', null).executeTakeFirst();
    if (Number(n.numDeletedRows) !== 1) throw conflict('enforcement.plan.err.plan_published');
    await p.audit(t, { actor: actorName(actor), action: 'inspection.task_delete', entity: 'enf_task', entityId: taskId, details: { planId: plan.id, title: task.title, matterCode: task.matter_code } });
  });
}

/** Publishes a draft plan: its 计划公告 and each task's 任务公告, all or nothing. */
export async function publishPlan(p: Platform, actor: Actor, planId: number): Promise<PlanRow> {
  await staffPlan(p, actor, planId, true);
  const out = await p.tx(async (t) => {
    // Claim the draft: the conditional update takes the row lock, so two publications cannot both run.
    const plan = (await t.updateTable('enf_plans').set({ status: 'published', updated_at: now() }).where('id', '=', planId).where('status', '=', 'draft').returningAll().executeTakeFirst()) as PlanRow | undefined;
    if (!plan) throw conflict('enforcement.plan.err.plan_published');
    const tasks = await planTasks(t, plan.id);
    if (!tasks.length) throw conflict('enforcement.plan.err.plan_empty');
    const data = await planNotice(p, t, plan);
    const item = await publishApproved(p, t, actor, { type: INSPECTION_PLAN, departmentId: plan.department_id, meta: noticeMeta(plan.title, planSummary(plan, tasks.length)), data });
    for (const task of tasks) await publishTask(p, t, actor, plan, task);
    await t.updateTable('enf_plans').set({ pub_item_id: item.id }).where('id', '=', plan.id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'inspection.plan_publish', entity: 'enf_plan', entityId: plan.id, details: { pubItemId: item.id, indexNo: item.indexNo, tasks: tasks.length } });
    return (await t.selectFrom('enf_plans').selectAll().where('id', '=', plan.id).executeTakeFirstOrThrow()) as PlanRow;
  });
  bumpGeneration();
  return out;
}

// ---- the public view of one task ----------------------------------------------------------------

export interface PublicTaskView {
  task: TaskRow;
  plan: PlanRow & { department_code: string; department_name: string };
  /** The 任务公告: its 索引号 and the facts it published (the matter with its basis). */
  notice: { id: number; indexNo: string | null; data: TaskNoticeData };
  draw: { id: number; status: string; sampleSize: number | null; targets: number | null; inspectors: number | null; witnesses: { name: string; commitment: string }[] } | null;
  /** The targets with their inspectors and results: only once the results are published. */
  checks: { ordinal: number; creditCode: string; name: string; inspectors: string[]; result: string | null }[];
}

const json = <T>(s: string | null, fallback: T): T => {
  try {
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
};

/** A task whose 任务公告 is public, with its draw and (results published) its checks; null otherwise. */
export async function publicTask(db: Db, id: number): Promise<PublicTaskView | null> {
  const task = await getTask(db, id);
  if (!task?.task_item_id) return null;
  const plan = await db.selectFrom('enf_plans').innerJoin('departments', 'departments.id', 'enf_plans.department_id').selectAll('enf_plans').select(['departments.code as department_code', 'departments.name as department_name']).where('enf_plans.id', '=', task.plan_id).where('enf_plans.status', '=', 'published').executeTakeFirst();
  const item = await db.selectFrom('pub_items').select(['id', 'index_no', 'public', 'published_version']).where('id', '=', task.task_item_id).executeTakeFirst();
  if (!plan || !item?.public || !item.published_version) return null;
  const v = await db.selectFrom('pub_versions').select('data').where('item_id', '=', item.id).where('version', '=', item.published_version).executeTakeFirstOrThrow();
  const d = await db.selectFrom('enf_draws').select(['id', 'status', 'inputs', 'witnesses']).where('task_id', '=', task.id).executeTakeFirst();
  let draw: PublicTaskView['draw'] = null;
  if (d) {
    const inputs = json<{ sampleSize?: number; targets?: unknown[]; inspectors?: unknown[] }>(d.inputs, {});
    const witnesses = json<{ name?: string; commitment?: string }[]>(d.witnesses, []).map((w) => ({ name: String(w.name ?? ''), commitment: String(w.commitment ?? '') }));
    draw = { id: d.id, status: d.status, sampleSize: typeof inputs.sampleSize === 'number' ? inputs.sampleSize : null, targets: Array.isArray(inputs.targets) ? inputs.targets.length : null, inspectors: Array.isArray(inputs.inspectors) ? inputs.inspectors.length : null, witnesses };
  }
  const checks =
    task.state === 'published'
      ? (
          await db
            .selectFrom('enf_checks')
            .leftJoin('enf_entities', 'enf_entities.id', 'enf_checks.entity_id')
            .select(['enf_checks.ordinal', 'enf_checks.credit_code', 'enf_checks.inspectors', 'enf_checks.result', 'enf_entities.name'])
            .where('enf_checks.task_id', '=', task.id)
            .orderBy('enf_checks.ordinal')
            .execute()
        ).map((r) => ({ ordinal: r.ordinal, creditCode: r.credit_code, name: r.name ?? '', inspectors: json<string[]>(r.inspectors, []), result: r.result }))
      : [];
  return { task, plan, notice: { id: item.id, indexNo: item.index_no, data: JSON.parse(v.data) as TaskNoticeData }, draw, checks };
}

/** A published plan with its department and 计划公告; null otherwise. */
export async function publicPlan(db: Db, id: number) {
  if (!Number.isInteger(id) || id < 1 || id > INT_MAX) return null;
  const plan = await db
    .selectFrom('enf_plans')
    .innerJoin('departments', 'departments.id', 'enf_plans.department_id')
    .leftJoin('pub_items', 'pub_items.id', 'enf_plans.pub_item_id')
    .selectAll('enf_plans')
    .select(['departments.code as department_code', 'departments.name as department_name', 'pub_items.index_no', 'pub_items.public', 'pub_items.first_published_at as published_at'])
    .where('enf_plans.id', '=', id)
    .where('enf_plans.status', '=', 'published')
    .executeTakeFirst();
  if (!plan?.public) return null;
  return { ...plan, tasks: await planTasks(db, plan.id) };
}
