// The JSON API of major decisions and their stages (tag 'major-decisions'). Public: the decisions
// (a public record, stage by stage: dates, skip reasons, public documents, links to the
// consultations, reports and hearings). Staff: create a decision, start / finish / skip a stage,
// add documents, submit the decision for publication, publish it (another approver), publish its
// evaluation.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { notFound } from '../../../platform/errors.js';
import { COLLECTIVE_OUTCOMES, STAGES, STAGE_STATES } from '../schema.js';
import { createDecision, decisionView, DECISION_STATUSES, LIMITS, publicDecisions } from '../service/decisions.js';
import { addStageDocument, changeStageDocument, publishDecision, publishEvaluation, setStageState, STAGE_ACTIONS, submitDecision, TEXT_LIMITS, withdrawDecision } from '../service/stages.js';
import { decisionFor } from '../service/access.js';

const TAGS = ['major-decisions'];
const IdNum = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Id = Type.Object({ id: IdNum });
const StageParams = Type.Object({ id: IdNum, stage: Type.String({ enum: [...STAGES] }) });
const DocParams = Type.Object({ id: IdNum, stage: Type.String({ enum: [...STAGES] }), index: Type.Integer({ minimum: 0, maximum: 100 }) });
const NullStr = Type.Union([Type.String(), Type.Null()]);
const NullInt = Type.Union([Type.Integer(), Type.Null()]);

const StageOut = Type.Object({
  stage: Type.String({ enum: [...STAGES] }),
  state: Type.String({ enum: [...STAGE_STATES] }),
  plannedOn: NullStr,
  startedOn: NullStr,
  finishedOn: NullStr,
  skipReason: Type.String({ description: 'Why the stage is not required (when skipped)' }),
  outcome: Type.String({ description: "collective_decision: 'adopted' | 'amended' | 'deferred' | 'rejected' ('' otherwise)" }),
  dissent: Type.String(),
  note: Type.String(),
  minimumUntil: Type.Union([Type.String(), Type.Null()], { description: 'legality_review: the first day it may be finished (7 working days)' }),
  documents: Type.Array(Type.Object({ index: Type.Integer(), name: Type.String(), public: Type.Boolean(), url: Type.String() })),
});
const DecisionOut = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  department: Type.String(),
  year: Type.Integer(),
  title: Type.String(),
  basis: Type.String(),
  summary: Type.String(),
  catalogueCode: Type.String(),
  stage: Type.String({ enum: [...STAGES] }),
  status: Type.String({ enum: [...DECISION_STATUSES] }),
  itemId: NullInt,
  evaluationItemId: NullInt,
  interpretation: Type.String({ description: '政策解读: a spine item id or a URL' }),
  submitted: Type.Boolean(),
  withdrawnAt: NullStr,
  withdrawReason: Type.String({ description: "why the decision was withdrawn (public; '' unless withdrawn)" }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  stages: Type.Array(StageOut),
  consultations: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), state: Type.String(), opensAt: Type.String(), closesAt: Type.String(), reportState: Type.String(), url: Type.String(), reportUrl: NullStr })),
  hearings: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), state: Type.String(), startsAt: Type.String(), url: Type.String() })),
});
const ListItemOut = Type.Object({ id: Type.Integer(), departmentId: Type.Integer(), department: Type.String(), year: Type.Integer(), title: Type.String(), stage: Type.String(), status: Type.String(), url: Type.String() });
const ListQuery = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2299 })),
    departmentId: Type.Optional(IdNum),
    status: Type.Optional(Type.String({ enum: [...DECISION_STATUSES] })),
    stage: Type.Optional(Type.String({ enum: [...STAGES] })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
const CreateBody = Type.Object(
  {
    departmentId: IdNum,
    year: Type.Integer({ minimum: 1990, maximum: 2299 }),
    title: Type.String({ maxLength: LIMITS.title }),
    basis: Type.String({ maxLength: LIMITS.basis, description: '决策依据' }),
    summary: Type.Optional(Type.String({ maxLength: LIMITS.summary })),
    catalogueCode: Type.Optional(Type.String({ maxLength: LIMITS.catalogueCode, description: "The code of the row in the department's current 决策事项目录: its planned dates become the stages'" })),
    interpretation: Type.Optional(Type.String({ maxLength: LIMITS.interpretation, description: '政策解读: a published item id or an http(s) URL' })),
  },
  { additionalProperties: false },
);
const StageBody = Type.Object(
  {
    action: Type.String({ enum: [...STAGE_ACTIONS], description: 'start (earlier stages done or skipped), finish, skip (reason required, public)' }),
    reason: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reason })),
    note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
    outcome: Type.Optional(Type.String({ enum: [...COLLECTIVE_OUTCOMES], description: 'collective_decision, finish: required' })),
    dissent: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.dissent })),
  },
  { additionalProperties: false },
);
const DocBody = Type.Object(
  { filename: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.docName }), content: Type.String({ maxLength: 30_000_000, description: 'The file, base64' }), public: Type.Boolean({ description: 'Offered on the public timeline' }) },
  { additionalProperties: false },
);
const DocChange = Type.Object({ public: Type.Boolean() }, { additionalProperties: false });
const SubmitBody = Type.Object({ text: Type.String({ maxLength: TEXT_LIMITS.text, description: 'The decision as published' }), interpretation: Type.Optional(Type.String({ maxLength: LIMITS.interpretation })) }, { additionalProperties: false });
const PublishOut = Type.Object({ itemId: Type.Integer(), indexNo: NullStr, decision: DecisionOut });
const EvalBody = Type.Object({ text: Type.String({ maxLength: TEXT_LIMITS.text, description: '后评估报告' }) }, { additionalProperties: false });
const Errors = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export async function decisionsApi(app: FastifyInstance, p: Platform): Promise<void> {
  const staffOne = async (actor: NonNullable<Parameters<typeof decisionFor>[1]>, id: number) => decisionView(p.db, await decisionFor(p.db, actor, id, 'major-decision.read'), true);

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/major-decisions',
    { config: { permission: 'public' }, schema: { tags: TAGS, summary: 'Major decisions (重大行政决策), newest catalogue year first', querystring: ListQuery, response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ListItemOut) }) } } },
    async (req) => {
      const r = await publicDecisions(p.db, req.query);
      return { total: r.total, items: r.items.map((d) => ({ id: d.id, departmentId: d.department_id, department: d.department_name, year: d.year, title: d.title, stage: d.stage, status: d.status, url: `/decisions/${d.id}` })) };
    },
  );
  app.get<{ Params: Static<typeof Id> }>(
    '/api/v1/major-decisions/:id',
    { config: { permission: 'public' }, schema: { tags: TAGS, summary: 'One decision with its stages (public documents only) and its consultations and hearings', params: Id, response: { 200: DecisionOut, 404: ErrorSchema } } },
    async (req) => {
      const d = await p.db.selectFrom('dec_decisions').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!d) throw notFound();
      return decisionView(p.db, d, false);
    },
  );
  app.get<{ Params: Static<typeof Id> }>(
    '/api/v1/staff/major-decisions/:id',
    { config: { permission: 'major-decision.read' }, schema: { tags: TAGS, summary: 'One decision as staff see it (every document, draft consultations and hearings)', params: Id, response: { 200: DecisionOut, ...Errors } } },
    async (req) => staffOne(req.user!, req.params.id),
  );
  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/major-decisions',
    { config: { permission: 'major-decision.edit' }, schema: { tags: TAGS, summary: 'Create a decision with its eight stages (drafting under way); planned dates from its catalogue row', body: CreateBody, response: { 201: DecisionOut, ...Errors } } },
    async (req, reply) => {
      const { id } = await createDecision(p, req.user!, req.body);
      return reply.code(201).send(await staffOne(req.user!, id));
    },
  );
  app.post<{ Params: Static<typeof StageParams>; Body: Static<typeof StageBody> }>(
    '/api/v1/major-decisions/:id/stages/:stage',
    {
      config: { permission: 'major-decision.edit' },
      schema: { tags: TAGS, summary: 'Start, finish or skip a stage (409: order rule, legality review minimum of 7 working days, state)', params: StageParams, body: StageBody, response: { 200: DecisionOut, ...Errors } },
    },
    async (req) => {
      await setStageState(p, req.user!, req.params.id, req.params.stage, req.body as never);
      return staffOne(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof StageParams>; Body: Static<typeof DocBody> }>(
    '/api/v1/major-decisions/:id/stages/:stage/documents',
    { config: { permission: 'major-decision.edit' }, bodyLimit: 41_000_000, schema: { tags: TAGS, summary: "Add a document to a stage (public or not)", params: StageParams, body: DocBody, response: { 201: DecisionOut, ...Errors, 413: ErrorSchema, 415: ErrorSchema } } },
    async (req, reply) => {
      await addStageDocument(p, req.user!, req.params.id, req.params.stage, { buf: Buffer.from(req.body.content, 'base64'), name: req.body.filename }, req.body.public);
      return reply.code(201).send(await staffOne(req.user!, req.params.id));
    },
  );
  app.patch<{ Params: Static<typeof DocParams>; Body: Static<typeof DocChange> }>(
    '/api/v1/major-decisions/:id/stages/:stage/documents/:index',
    { config: { permission: 'major-decision.edit' }, schema: { tags: TAGS, summary: 'Mark a document public or not', params: DocParams, body: DocChange, response: { 200: DecisionOut, ...Errors } } },
    async (req) => {
      await changeStageDocument(p, req.user!, req.params.id, req.params.stage, req.params.index, { public: req.body.public });
      return staffOne(req.user!, req.params.id);
    },
  );
  app.delete<{ Params: Static<typeof DocParams> }>(
    '/api/v1/major-decisions/:id/stages/:stage/documents/:index',
    { config: { permission: 'major-decision.edit' }, schema: { tags: TAGS, summary: 'Remove a document from a stage', params: DocParams, response: { 200: DecisionOut, ...Errors } } },
    async (req) => {
      await changeStageDocument(p, req.user!, req.params.id, req.params.stage, req.params.index, { remove: true });
      return staffOne(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof Id>; Body: Static<typeof SubmitBody> }>(
    '/api/v1/major-decisions/:id/submit',
    { config: { permission: 'major-decision.edit' }, schema: { tags: TAGS, summary: 'Submit the decision (its text and 政策解读) for publication; 409 while a consultation has no published adoption report', params: Id, body: SubmitBody, response: { 200: DecisionOut, ...Errors } } },
    async (req) => {
      await submitDecision(p, req.user!, req.params.id, req.body);
      return staffOne(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof Id>; Body: { reason: string } }>(
    '/api/v1/major-decisions/:id/withdraw',
    {
      config: { permission: 'major-decision.approve' },
      schema: { tags: TAGS, summary: 'Withdraw (终止) an open decision with a public reason; 409 once published or withdrawn, and while a consultation is open or a hearing announced', params: Id, body: Type.Object({ reason: Type.String({ maxLength: TEXT_LIMITS.reason }) }, { additionalProperties: false }), response: { 200: DecisionOut, ...Errors } },
    },
    async (req) => {
      await withdrawDecision(p, req.user!, req.params.id, req.body);
      return staffOne(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof Id> }>(
    '/api/v1/major-decisions/:id/publish',
    {
      config: { permission: 'major-decision.approve' },
      schema: { tags: TAGS, summary: 'Publish a submitted decision through the spine (not by its submitter); refused (409) while any consultation of the decision has no published adoption report', params: Id, response: { 200: PublishOut, ...Errors } },
    },
    async (req) => {
      const r = await publishDecision(p, req.user!, req.params.id);
      return { ...r, decision: await staffOne(req.user!, req.params.id) };
    },
  );
  app.post<{ Params: Static<typeof Id>; Body: Static<typeof EvalBody> }>(
    '/api/v1/major-decisions/:id/evaluation',
    { config: { permission: 'major-decision.approve' }, schema: { tags: TAGS, summary: 'Publish the post-decision evaluation (后评估报告) of a published decision', params: Id, body: EvalBody, response: { 200: DecisionOut, ...Errors } } },
    async (req) => {
      await publishEvaluation(p, req.user!, req.params.id, req.body);
      return staffOne(req.user!, req.params.id);
    },
  );
}
