// The JSON API of decisions (双公示). Public: the penalty and licensing decisions currently on
// display (`/api/v1/penalties`, `/api/v1/licensing`, natural persons masked, cached by publication
// generation) and one by its id (the spine item's). Staff: enter, edit, submit, approve, return,
// delete and import decisions (`/api/v1/decisions…`).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { can } from '../../../platform/auth/policy.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { notFound } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { getItemRow, getVersion } from '../../../platform/publication/index.js';
import { DECISION_KINDS, DECISION_STATUSES, SEVERITIES } from '../service/codes.js';
import { approveDecision, createDecision, decisionForStaff, deleteDecision, inputOfRow, LIMITS, returnDecision, submitDecision, SUBJECT_TYPES, updateDecision, type DecisionInput } from '../service/decisions.js';
import { clocksOf, decisionOfItem, listDecisions, publicDecisions } from '../service/decision-queries.js';
import { importDecisions, type DecisionImportReport } from '../service/decision-import.js';
import type { DecisionRow } from '../schema.js';
import type { DecisionData } from '../items.js';

const TAGS = ['decisions'];
const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Str = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const Date_ = Type.String({ description: 'YYYY-MM-DD (Asia/Shanghai)' });
const NullDate = Type.Union([Date_, Type.Null()]);

const PublicOut = Type.Object({
  id: Type.Integer({ description: 'The spine item (the public page is /enforcement/decisions/{id})' }),
  url: Type.String(),
  status: Type.String({ description: "'published': on display" }),
  kind: Type.String({ enum: [...DECISION_KINDS] }),
  docNo: Type.String({ description: '决定书文号' }),
  subjectType: Type.String({ enum: [...SUBJECT_TYPES], description: 'legal: 法人及其他组织 (shown in full); natural: 自然人 (name masked, address cut to the district or street, no ID number)' }),
  subjectName: Type.String(),
  creditCode: Type.String({ description: '统一社会信用代码 (legal persons; empty for natural persons)' }),
  legalRep: Type.String(),
  address: Type.String(),
  facts: Type.String({ description: '违法事实 / 许可内容' }),
  category: Type.Array(Type.String(), { description: 'Codes: 处罚类别 (several) or 许可类别 (one); labels enforcement.penalty_category.* / licensing_category.*' }),
  basis: Type.String(),
  content: Type.String({ description: '处罚内容 / 许可决定文书名称' }),
  result: Type.String({ description: '处罚结果' }),
  licenceName: Type.String(),
  licenceNo: Type.String(),
  validFrom: NullDate,
  validTo: NullDate,
  decisionDate: Date_,
  domain: Type.String(),
  domainName: Type.String(),
  severity: Type.String({ description: "Penalties: 'ordinary' 一般 or 'serious' 严重 ('minor' is never shown); licensing: ''" }),
  displayUntil: Type.String({ description: 'The last day on display (公示期限 至)' }),
  department: Type.String(),
});
const PublicList = Type.Object({ total: Type.Integer(), items: Type.Array(PublicOut) });
const PublicQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: "A legal person's name or a 文号 (part of it); natural persons' names are not searched" })),
    creditCode: Type.Optional(Type.String({ maxLength: 18, description: '统一社会信用代码' })),
    domain: Type.Optional(Type.String({ maxLength: 40 })),
    year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2299, description: 'Decision date in this year' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const DecisionBody = Type.Object(
  {
    kind: Type.String({ enum: [...DECISION_KINDS] }),
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    docNo: Str(LIMITS.docNo, '决定书文号'),
    subjectType: Type.String({ enum: [...SUBJECT_TYPES] }),
    subjectName: Str(LIMITS.subjectName),
    creditCode: Type.Optional(Str(18, 'Required for legal persons (GB 32100 check character); none for natural persons')),
    legalRep: Type.Optional(Str(LIMITS.legalRep, 'Required for legal persons')),
    address: Type.Optional(Str(LIMITS.address)),
    idNumber: Type.Optional(Str(18, 'Natural persons: the 18-digit resident ID number (never public)')),
    facts: Str(LIMITS.facts, '违法事实 / 许可内容'),
    category: Type.Union([Type.Array(Str(40), { maxItems: 20 }), Str(400)], { description: 'Codes (an array, or comma-separated)' }),
    basis: Str(LIMITS.basis),
    content: Str(LIMITS.content, '处罚内容 / 许可决定文书名称'),
    result: Type.Optional(Str(LIMITS.result, '处罚结果')),
    licenceName: Type.Optional(Str(LIMITS.licenceName)),
    licenceNo: Type.Optional(Str(LIMITS.licenceNo)),
    validFrom: Type.Optional(Type.Union([Str(10), Type.Null()])),
    validTo: Type.Optional(Type.Union([Str(10), Type.Null()], { description: 'Empty or null: without end (长期)' })),
    decisionDate: Str(10, 'YYYY-MM-DD, not in the future'),
    domain: Str(40),
    severity: Type.Optional(Type.String({ enum: [...SEVERITIES, ''] })),
  },
  { additionalProperties: false },
);
type DecisionBodyT = Static<typeof DecisionBody>;

const Clock = Type.Union([Type.Object({ rule: Type.String(), due: Type.String(), state: Type.String(), status: Type.String() }), Type.Null()]);
const StaffOut = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  departmentId: Type.Integer(),
  department: Type.String(),
  docNo: Type.String(),
  subjectType: Type.String(),
  subjectName: Type.String(),
  creditCode: Type.String(),
  legalRep: Type.String(),
  address: Type.String(),
  idNumber: Type.String({ description: 'In full for holders of decision.edit on the department, else masked' }),
  facts: Type.String(),
  category: Type.Array(Type.String()),
  basis: Type.String(),
  content: Type.String(),
  result: Type.String(),
  licenceName: Type.String(),
  licenceNo: Type.String(),
  validFrom: NullDate,
  validTo: NullDate,
  decisionDate: Type.String(),
  domain: Type.String(),
  severity: Type.String(),
  status: Type.String({ enum: [...DECISION_STATUSES] }),
  displayMinUntil: NullDate,
  displayUntil: NullDate,
  endReason: Type.Union([Type.String(), Type.Null()]),
  endNote: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  itemId: Type.Union([Type.Integer(), Type.Null()]),
  authorId: Type.String(),
  approverId: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  clock: Clock,
});
const StaffQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ enum: [...DECISION_STATUSES] })),
    kind: Type.Optional(Type.String({ enum: [...DECISION_KINDS] })),
    departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
const Problem = Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.String() });
const ReportOut = Type.Object({
  rows: Type.Integer(),
  format: Type.Union([Type.String(), Type.Null()]),
  encoding: Type.Union([Type.String(), Type.Null()]),
  problems: Type.Array(Problem),
  dryRun: Type.Boolean(),
  submitted: Type.Boolean(),
  created: Type.Integer(),
  ids: Type.Array(Type.Integer()),
});
const ImportBody = Type.Object(
  {
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    filename: Type.String({ minLength: 1, maxLength: 200, description: 'Its extension says CSV or XLSX' }),
    content: Type.String({ maxLength: 30_000_000, description: 'The file, base64' }),
    kind: Type.Optional(Type.String({ enum: [...DECISION_KINDS], description: 'The kind of every row when the file has no 决定类型 column' })),
    submit: Type.Optional(Type.Boolean({ description: 'Submit the decisions for approval at once (default: drafts)' })),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const maskId = (s: string) => (s ? `${s.slice(0, 3)}${'*'.repeat(13)}${s.slice(-2)}` : '');

export function staffView(user: Principal, d: DecisionRow & { department_name: string }, clock: Static<typeof Clock>) {
  const v = inputOfRow(d);
  return {
    ...v,
    id: d.id,
    department: d.department_name,
    idNumber: can(user, 'decision.edit', { departmentId: d.department_id }) ? d.id_number : maskId(d.id_number),
    status: d.status,
    displayMinUntil: d.display_min_until,
    displayUntil: d.display_until,
    endReason: d.end_reason,
    endNote: d.end_note,
    endedAt: d.ended_at,
    itemId: d.pub_item_id,
    authorId: d.author_id,
    approverId: d.approver_id,
    publishedAt: d.published_at,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    clock,
  };
}

export const inputOf = (b: DecisionBodyT): DecisionInput => ({ ...b, validFrom: b.validFrom ?? null, validTo: b.validTo ?? null });

/** A public decision of this kind by its spine item id, from the published version (404 when not on display). */
async function publicOne(p: Platform, kind: string, itemId: number) {
  const d = await decisionOfItem(p.db, itemId);
  const item = d && d.kind === kind && d.status === 'published' ? await getItemRow(p.db, itemId) : null;
  if (!d || !item || !item.public || !item.published_version) throw notFound();
  const v = (await getVersion(p.db, itemId, item.published_version))!;
  const data = v.data as DecisionData;
  return { ...data, id: itemId, url: `/enforcement/decisions/${itemId}`, status: d.status };
}

export function reportView(r: DecisionImportReport) {
  return { rows: r.rows, format: r.format, encoding: r.encoding, problems: r.problems, dryRun: r.dryRun, submitted: r.submitted, created: r.created, ids: r.ids };
}

export async function decisionsApi(app: FastifyInstance, p: Platform): Promise<void> {
  const key = (req: FastifyRequest) => `${req.url}|${req.locale}`;
  for (const [path, kind, what] of [
    ['/api/v1/penalties', 'penalty', 'Penalty decisions (行政处罚决定)'],
    ['/api/v1/licensing', 'licensing', 'Licensing decisions (行政许可决定)'],
  ] as const) {
    app.get<{ Querystring: Static<typeof PublicQuery> }>(
      path,
      { config: { permission: 'public', conditional: true }, schema: { tags: TAGS, summary: `${what} currently on display, newest first (natural persons masked)`, querystring: PublicQuery, response: { 200: PublicList } } },
      async (req, reply) =>
        cachedPublic(p.db, req, reply, key(req), async () => {
          const q = req.query;
          const r = await publicDecisions(p.db, { kind, q: q.q, creditCode: q.creditCode, domain: q.domain, year: q.year, page: q.page, pageSize: q.pageSize });
          return { body: JSON.stringify(r), type: 'application/json; charset=utf-8' };
        }),
    );
    app.get<{ Params: Static<typeof Id> }>(
      `${path}/:id`,
      { config: { permission: 'public', conditional: true }, schema: { tags: TAGS, summary: `One ${what.split(' (')[0].toLowerCase().replace(/s$/, '')} on display, as published (by its spine item id)`, params: Id, response: { 200: PublicOut } } },
      async (req, reply) => cachedPublic(p.db, req, reply, key(req), async () => ({ body: JSON.stringify(await publicOne(p, kind, req.params.id)), type: 'application/json; charset=utf-8' })),
    );
  }

  // ---- staff ----
  const one = async (user: Principal, id: number) => {
    const d = await decisionForStaff(p.db, user, id);
    const dep = await p.db.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirstOrThrow();
    return staffView(user, { ...d, department_name: dep.name }, (await clocksOf(p.db, [id])).get(id) ?? null);
  };

  app.get<{ Querystring: Static<typeof StaffQuery> }>(
    '/api/v1/decisions',
    { config: { permission: 'enforcement.read' }, schema: { tags: TAGS, summary: "Decisions of the caller's departments (every status), newest entry first, with their publication clock", querystring: StaffQuery, response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(StaffOut) }) } } },
    async (req) => {
      const r = await listDecisions(p.db, req.user!, req.query);
      return { total: r.total, items: r.items.map((d) => staffView(req.user!, d, d.clock)) };
    },
  );
  app.post<{ Body: DecisionBodyT & { submit?: boolean } }>(
    '/api/v1/decisions',
    {
      config: { permission: 'decision.edit' },
      schema: { tags: TAGS, summary: 'Enter a licensing or penalty decision (a draft; submit: true submits it at once); its publication clock starts', body: Type.Composite([DecisionBody, Type.Object({ submit: Type.Optional(Type.Boolean()) })], { additionalProperties: false }), response: { 201: StaffOut } },
    },
    async (req, reply) => {
      const { submit, ...b } = req.body;
      const { id } = await createDecision(p, req.user!, inputOf(b), { submit });
      return reply.code(201).send(await one(req.user!, id));
    },
  );
  app.get<{ Params: Static<typeof Id> }>(
    '/api/v1/decisions/:id',
    { config: { permission: 'enforcement.read' }, schema: { tags: TAGS, summary: 'One decision as staff see it', params: Id, response: { 200: StaffOut } } },
    async (req) => one(req.user!, req.params.id),
  );
  app.put<{ Params: Static<typeof Id>; Body: DecisionBodyT }>(
    '/api/v1/decisions/:id',
    { config: { permission: 'decision.edit' }, schema: { tags: TAGS, summary: 'Edit a draft decision (409 once submitted)', params: Id, body: DecisionBody, response: { 200: StaffOut, 409: ErrorSchema } } },
    async (req) => {
      await updateDecision(p, req.user!, req.params.id, inputOf(req.body));
      return one(req.user!, req.params.id);
    },
  );
  app.delete<{ Params: Static<typeof Id> }>(
    '/api/v1/decisions/:id',
    { config: { permission: 'decision.edit' }, schema: { tags: TAGS, summary: 'Delete a draft decision (409 once submitted)', params: Id, response: { 204: Type.Null(), 409: ErrorSchema } } },
    async (req, reply) => {
      await deleteDecision(p, req.user!, req.params.id);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: Static<typeof Id> }>(
    '/api/v1/decisions/:id/submit',
    { config: { permission: 'decision.edit' }, schema: { tags: TAGS, summary: 'Submit a draft for approval', params: Id, response: { 200: StaffOut, 409: ErrorSchema } } },
    async (req) => {
      await submitDecision(p, req.user!, req.params.id);
      return one(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof Id> }>(
    '/api/v1/decisions/:id/approve',
    {
      config: { permission: 'decision.approve' },
      schema: { tags: TAGS, summary: 'Approve a submitted decision: published with its display period, or not shown (a minor penalty); 409 for its author', params: Id, response: { 200: StaffOut, 409: ErrorSchema } },
    },
    async (req) => {
      await approveDecision(p, req.user!, req.params.id);
      return one(req.user!, req.params.id);
    },
  );
  app.post<{ Params: Static<typeof Id>; Body: { reason: string } }>(
    '/api/v1/decisions/:id/return',
    { config: { permission: 'decision.approve' }, schema: { tags: TAGS, summary: 'Return a submitted decision to its editors, with the reason', params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: StaffOut, 409: ErrorSchema } } },
    async (req) => {
      await returnDecision(p, req.user!, req.params.id, req.body.reason);
      return one(req.user!, req.params.id);
    },
  );
  app.post<{ Body: Static<typeof ImportBody> }>(
    '/api/v1/decisions/import',
    {
      config: { permission: 'decision.edit' },
      schema: {
        tags: TAGS,
        summary: "Import decisions from CSV or XLSX (base64) for one department: all-or-nothing, with a report (row, column, problem); Chinese headers (template: /admin/enforcement/decisions/import/template.csv)",
        body: ImportBody,
        response: { 200: ReportOut, 400: Type.Object({ error: ErrorSchema.properties.error, report: Type.Optional(ReportOut) }), 422: ErrorSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await importDecisions(p, req.user!, { buf: Buffer.from(b.content, 'base64'), name: b.filename }, { departmentId: b.departmentId, kind: b.kind, submit: b.submit, dryRun: b.dryRun, locale: req.locale });
      const report = reportView(r);
      if (!r.problems.length) return report;
      const fields = Object.fromEntries(r.problems.slice(0, 200).map((x) => [`row ${x.row}: ${x.field}`, x.message]));
      return reply.code(400).send({ error: { code: 'validation', message: req.t('enforcement.decision.import.failed', { n: r.problems.length }), fields }, report });
    },
  );
}
