// The JSON API of random-inspection plans and tasks: public reading of the published plans and of
// one task (with its draw and, once published, its results); staff drafting of plans and tasks and
// publication (holders of inspection.plan on the plan's department).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { INSPECTION_FIELDS, RISK_LEVELS, TASK_STATES } from '../service/codes.js';
import type { PlanRow, TaskRow } from '../schema.js';
import { addTask, createPlan, deleteTask, PER_TARGET, PLAN, publicPlans, publicTask, publishPlan, rowFacts, SAMPLE_COUNT_MAX, updatePlan, updateTask, YEARS } from '../service/plans.js';

const tags = ['inspections'];
const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const DateString = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

const FilterOut = Type.Object({
  industries: Type.Array(Type.String(), { description: 'GB/T 4754 codes with their 门类 letter (F, F52, F5211); empty: any' }),
  areas: Type.Array(Type.String(), { description: 'Areas (街道/乡镇) of the register; empty: any' }),
  risks: Type.Array(Type.String({ enum: [...RISK_LEVELS] }), { description: 'Risk levels; empty: any' }),
});
const FilterIn = Type.Object(
  {
    industries: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 50, description: 'GB/T 4754 codes, with or without the 门类 letter (F52 or 52)' })),
    areas: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })),
    risks: Type.Optional(Type.Array(Type.String({ enum: [...RISK_LEVELS] }), { maxItems: 3 })),
  },
  { additionalProperties: false },
);
const Sample = Type.Object({ kind: Type.String({ enum: ['count', 'ratio'] }), value: Type.Integer({ description: 'count: the number of targets; ratio: per mille of the pool (50 = 5%), rounded up at the draw' }) });
const Matter = Type.Object({
  code: Type.String(),
  name: Type.String(),
  field: Type.String({ enum: [...INSPECTION_FIELDS] }),
  basis: Type.String({ description: "The matter's basis as its 任务公告 published it ('' without the lists module)" }),
  body: Type.String(),
  content: Type.String(),
  method: Type.String(),
});
const Department = Type.Object({ code: Type.String(), name: Type.String() });
const State = Type.String({ enum: [...TASK_STATES], description: 'pending 待抽取, drawn 已抽取, in-progress 执行中, completed 已完成, published 结果已公示' });

const TaskSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  matterCode: Type.String(),
  matterName: Type.String(),
  field: Type.String(),
  state: State,
  filter: FilterOut,
  sample: Sample,
  perTarget: Type.Integer(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  url: Type.String(),
});
const PublicPlan = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  title: Type.String(),
  department: Department,
  indexNo: Type.Union([Type.String(), Type.Null()], { description: '索引号 of the 计划公告' }),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  url: Type.String(),
  noticeUrl: Type.String({ description: 'The 计划公告 in the catalog' }),
  tasks: Type.Array(TaskSummary),
});
const PublicTask = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  title: Type.String(),
  year: Type.Integer(),
  department: Department,
  state: State,
  indexNo: Type.Union([Type.String(), Type.Null()], { description: '索引号 of the 任务公告' }),
  url: Type.String(),
  noticeUrl: Type.String(),
  matter: Matter,
  filter: FilterOut,
  sample: Sample,
  perTarget: Type.Integer(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  draw: Type.Union([
    Type.Object({
      id: Type.Integer(),
      status: Type.String({ description: 'prepared (inputs published, waiting for the witnesses) or done' }),
      sampleSize: Type.Union([Type.Integer(), Type.Null()]),
      targets: Type.Union([Type.Integer(), Type.Null()], { description: 'Size of the frozen target pool' }),
      inspectors: Type.Union([Type.Integer(), Type.Null()], { description: 'Size of the frozen inspector pool' }),
      witnesses: Type.Array(Type.Object({ name: Type.String(), commitment: Type.String({ description: 'SM3-hex of the secret' }) })),
      url: Type.String(),
      record: Type.String({ description: 'The gongkai-draw/1 record' }),
    }),
    Type.Null(),
  ]),
  checks: Type.Array(Type.Object({ ordinal: Type.Integer(), creditCode: Type.String(), name: Type.String(), inspectors: Type.Array(Type.String(), { description: '执法证号' }), result: Type.Union([Type.String(), Type.Null()]) }), { description: 'Every target with its inspectors and result, once the results are published (state published); [] before' }),
});

const PlanOut = Type.Object({ id: Type.Integer(), departmentId: Type.Integer(), year: Type.Integer(), title: Type.String(), status: Type.String({ enum: ['draft', 'published'] }), pubItemId: Type.Union([Type.Integer(), Type.Null()]), url: Type.Union([Type.String(), Type.Null()], { description: 'The public page, once published' }) });
const TaskOut = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  title: Type.String(),
  state: State,
  matter: Type.Object({ code: Type.String(), name: Type.String(), field: Type.String() }),
  filter: FilterOut,
  sample: Sample,
  perTarget: Type.Integer(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  taskItemId: Type.Union([Type.Integer(), Type.Null()], { description: 'The 任务公告 (spine item), once the plan is published' }),
  url: Type.Union([Type.String(), Type.Null()]),
});

const PlanBody = Type.Object(
  {
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    year: Type.Integer({ minimum: YEARS.min, maximum: YEARS.max }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const PlanEditBody = Type.Object({ year: Type.Integer({ minimum: YEARS.min, maximum: YEARS.max }), title: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const TaskBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200, description: "Default: the matter's name" })),
    matterCode: Type.String({ minLength: 1, maxLength: 40, description: "A matter of the department's current 随机抽查事项清单 (its name and field are copied)" }),
    matterName: Type.Optional(Type.String({ maxLength: 200, description: 'Only without the lists module: the matter’s name' })),
    field: Type.Optional(Type.String({ enum: [...INSPECTION_FIELDS], description: 'Only without the lists module: the matter’s field' })),
    filter: Type.Optional(FilterIn),
    sampleKind: Type.String({ enum: ['count', 'ratio'] }),
    sampleValue: Type.Integer({ minimum: 1, maximum: SAMPLE_COUNT_MAX, description: 'count: 1–100000 targets; ratio: 1–1000 per mille of the pool, rounded up at the draw' }),
    perTarget: Type.Optional(Type.Integer({ minimum: PER_TARGET.min, maximum: PER_TARGET.max, description: 'Inspectors per target (default 2)' })),
    windowStart: DateString('First day of the inspection window (Asia/Shanghai)'),
    windowEnd: DateString('Last day of the inspection window, not before its start'),
  },
  { additionalProperties: false },
);

const planOut = (x: PlanRow) => ({ id: x.id, departmentId: x.department_id, year: x.year, title: x.title, status: x.status, pubItemId: x.pub_item_id, url: x.status === 'published' ? `/enforcement/plans/${x.id}` : null });
const sampleOut = (t: TaskRow) => ({ kind: t.sample_kind, value: t.sample_value });
const taskOut = (t: TaskRow) => ({
  id: t.id,
  planId: t.plan_id,
  title: t.title,
  state: t.state,
  matter: { code: t.matter_code, name: t.matter_name, field: t.field },
  filter: rowFacts(t).filter,
  sample: sampleOut(t),
  perTarget: t.per_target,
  windowStart: t.window_start,
  windowEnd: t.window_end,
  taskItemId: t.task_item_id,
  url: t.task_item_id ? `/enforcement/tasks/${t.id}` : null,
});

export async function inspectionsApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { year?: number; department?: string; page?: number; pageSize?: number } }>(
    '/api/v1/inspections/plans',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Published random-inspection plans (计划公告) with their tasks, by year and department',
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: YEARS.min, maximum: YEARS.max })),
          department: Type.Optional(Type.String({ maxLength: 32, description: "The department's code" })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), items: Type.Array(PublicPlan) }) },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const r = await publicPlans(p.db, { year: req.query.year, department: req.query.department, page, pageSize: req.query.pageSize ?? 20 });
      return {
        total: r.total,
        page,
        items: r.items.map((x) => ({
          id: x.id,
          year: x.year,
          title: x.title,
          department: { code: x.department_code, name: x.department_name },
          indexNo: x.index_no,
          publishedAt: x.published_at,
          url: `/enforcement/plans/${x.id}`,
          noticeUrl: `/catalog/items/${x.pub_item_id}`,
          tasks: x.tasks.map((t) => ({ id: t.id, title: t.title, matterCode: t.matter_code, matterName: t.matter_name, field: t.field, state: t.state, filter: rowFacts(t).filter, sample: sampleOut(t), perTarget: t.per_target, windowStart: t.window_start, windowEnd: t.window_end, url: `/enforcement/tasks/${t.id}` })),
        })),
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/inspections/tasks/:id',
    { config: { permission: 'public' }, schema: { tags, summary: 'One published task (任务公告): matter, filter, sample, window, state, its draw and, once published, its results', params: Id, response: { 200: PublicTask } } },
    async (req) => {
      const v = await publicTask(p.db, req.params.id);
      if (!v) throw notFound();
      const { task: t, plan, notice, draw, checks } = v;
      const m = notice.data.matter;
      return {
        id: t.id,
        planId: plan.id,
        title: t.title,
        year: plan.year,
        department: { code: plan.department_code, name: plan.department_name },
        state: t.state,
        indexNo: notice.indexNo,
        url: `/enforcement/tasks/${t.id}`,
        noticeUrl: `/catalog/items/${notice.id}`,
        matter: { code: t.matter_code, name: t.matter_name, field: t.field, basis: m?.basis ?? '', body: m?.body ?? '', content: m?.content ?? '', method: m?.method ?? '' },
        filter: rowFacts(t).filter,
        sample: sampleOut(t),
        perTarget: t.per_target,
        windowStart: t.window_start,
        windowEnd: t.window_end,
        draw: draw && { ...draw, url: `/enforcement/draws/${draw.id}`, record: `/api/v1/inspections/draws/${draw.id}` },
        checks,
      };
    },
  );

  app.post<{ Body: Static<typeof PlanBody> }>(
    '/api/v1/inspections/plans',
    { config: { permission: PLAN }, schema: { tags, summary: 'Draft an annual random-inspection plan of a department', body: PlanBody, response: { 201: PlanOut } } },
    async (req, reply) => reply.code(201).send(planOut(await createPlan(p, req.user!, req.body))),
  );

  app.put<{ Params: { id: number }; Body: Static<typeof PlanEditBody> }>(
    '/api/v1/inspections/plans/:id',
    { config: { permission: PLAN }, schema: { tags, summary: "Change a draft plan's year and title", params: Id, body: PlanEditBody, response: { 200: PlanOut, 409: ErrorSchema } } },
    async (req) => planOut(await updatePlan(p, req.user!, req.params.id, req.body)),
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/inspections/plans/:id/publish',
    { config: { permission: PLAN }, schema: { tags, summary: 'Publish a draft plan: its 计划公告 and every task’s 任务公告 through the spine (索引号)', params: Id, response: { 200: PlanOut, 409: ErrorSchema } } },
    async (req) => planOut(await publishPlan(p, req.user!, req.params.id)),
  );

  app.post<{ Params: { id: number }; Body: Static<typeof TaskBody> }>(
    '/api/v1/inspections/plans/:id/tasks',
    { config: { permission: PLAN }, schema: { tags, summary: 'Add a task (待抽取) to a plan; in a published plan its 任务公告 is published at once', params: Id, body: TaskBody, response: { 201: TaskOut } } },
    async (req, reply) => reply.code(201).send(taskOut(await addTask(p, req.user!, req.params.id, req.body))),
  );

  app.put<{ Params: { id: number }; Body: Static<typeof TaskBody> }>(
    '/api/v1/inspections/tasks/:id',
    { config: { permission: PLAN }, schema: { tags, summary: 'Change a task while it is 待抽取 (a published one gets a new version of its notice)', params: Id, body: TaskBody, response: { 200: TaskOut, 409: ErrorSchema } } },
    async (req) => taskOut(await updateTask(p, req.user!, req.params.id, req.body)),
  );

  app.delete<{ Params: { id: number } }>(
    '/api/v1/inspections/tasks/:id',
    { config: { permission: PLAN }, schema: { tags, summary: 'Remove a task of a draft plan', params: Id, response: { 204: Type.Null(), 409: ErrorSchema } } },
    async (req, reply) => {
      await deleteTask(p, req.user!, req.params.id);
      return reply.code(204).send();
    },
  );
}
