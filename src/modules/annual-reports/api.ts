// The JSON API of annual reports (staff): the year's list with due dates and clocks, creating a
// draft, reading one with its live and frozen figures, saving (narrative, Table 二 entries, the
// correction note of a revision) and the review steps. Published reports are read through the
// catalog's API and page like every catalog item.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { ErrorSchema } from '../../platform/http/schemas.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { createReport, listReports, reportDetail, saveReport, step, STEPS } from './service.js';
import { NARRATIVE_KEYS } from './service/figures.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Clock = Type.Union([Type.Object({ status: Type.String(), state: Type.String(), due: Type.String({ description: 'YYYY-MM-DD (the clock ends at 23:59 that day, Asia/Shanghai)' }) }), Type.Null()]);
const Figures = Type.Record(Type.String(), Type.Unknown(), { description: 'Tables 二, 三 and 四 as platform/annual-report.ts assembles them (fees in 分), and `manual`: the Table 二 rows staff entered' });
const Entry = Type.Object({
  scope: Type.String({ description: "'government' or the department's id" }),
  scopeName: Type.String(),
  departmentId: Type.Integer({ description: 'The publishing department (the disclosure office for the government)' }),
  due: Type.String({ description: 'The statutory date: 31 January (departments) or 31 March (the government) of the next year' }),
  clock: Clock,
  report: Type.Union([Type.Object({ id: Type.Integer(), itemId: Type.Integer(), status: Type.String(), public: Type.Boolean(), version: Type.Integer(), publishedVersion: Type.Union([Type.Integer(), Type.Null()]) }), Type.Null()]),
  mayEdit: Type.Boolean(),
});
const Detail = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  scope: Type.String(),
  scopeName: Type.String(),
  departmentId: Type.Integer(),
  itemId: Type.Integer(),
  status: Type.String({ description: 'The spine item: draft, secrecy_review, review, signing, scheduled, published, withdrawn' }),
  public: Type.Boolean(),
  version: Type.Integer({ description: 'The newest version' }),
  versionState: Type.String(),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  indexNo: Type.Union([Type.String(), Type.Null()]),
  due: Type.String(),
  clock: Clock,
  narrative: Type.Record(Type.String(), Type.String()),
  manualRows: Type.Array(Type.String(), { description: 'Table 二 rows no module supplies: staff enter them' }),
  figures: Figures,
  previous: Type.Union([Figures, Type.Null()]),
  live: Figures,
});
const Narrative = Type.Partial(Type.Object(Object.fromEntries(NARRATIVE_KEYS.map((k) => [k, Type.String({ maxLength: 20000 })])), { additionalProperties: false }));
const Counts = Type.Object({ issued: Type.Integer({ minimum: 0 }), repealed: Type.Integer({ minimum: 0 }), inForce: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
const Manual = Type.Object(
  {
    rules: Type.Optional(Type.Union([Counts, Type.Null()])),
    'normative-documents': Type.Optional(Type.Union([Counts, Type.Null()])),
    licensing: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    penalties: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    coercion: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    fees: Type.Optional(Type.Union([Type.String({ maxLength: 20, description: '万元, up to 4 decimals' }), Type.Null()])),
  },
  { additionalProperties: false, description: 'Table 二 figures for the rows no module supplies (null clears one)' },
);
const SaveBody = Type.Object({ narrative: Type.Optional(Narrative), manual: Type.Optional(Manual), changeNote: Type.Optional(Type.String({ maxLength: 500, description: 'Required when the report is published: the save starts a corrected version' })) }, { additionalProperties: false });
const CreateBody = Type.Object({ year: Type.Integer({ minimum: 2008, maximum: 9999 }), scope: Type.String({ maxLength: 20, description: "'government' or a top-level department's id" }) }, { additionalProperties: false });
const StepBody = Type.Object({ action: Type.String({ enum: [...STEPS] }), reason: Type.Optional(Type.String({ maxLength: 1000, description: 'The 审核意见 (required to reject)' })) }, { additionalProperties: false });

export async function annualReportsApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { year?: number } }>(
    '/api/v1/annual-reports',
    { config: { permission: 'annual-report.read' }, schema: { summary: "A year's annual reports of the bodies the caller may see, with due dates and clocks", querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2008, maximum: 9999 })) }), response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(Entry) }) } } },
    async (req) => {
      const year = req.query.year ?? Number(todayShanghai().slice(0, 4)) - 1;
      const items = await listReports(p, req.user!, year);
      return { year, items: items.map((e) => ({ scope: e.scope.key, scopeName: e.scope.name, departmentId: e.scope.departmentId, due: e.due, clock: e.clock, report: e.report, mayEdit: e.mayEdit })) };
    },
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/annual-reports',
    { config: { permission: 'annual-report.edit' }, schema: { summary: "Draft a year's report for the government or a department (sections prefilled from the figures)", body: CreateBody, response: { 201: Type.Object({ id: Type.Integer(), itemId: Type.Integer() }), 409: ErrorSchema } } },
    async (req, reply) => reply.code(201).send(await createReport(p, req.user!, req.body)),
  );

  const detail = async (user: Parameters<typeof reportDetail>[1], id: number) => {
    const d = await reportDetail(p, user, id);
    return {
      id: d.row.id,
      year: d.row.year,
      scope: d.row.scope,
      scopeName: d.scope.name,
      departmentId: d.row.department_id,
      itemId: d.item.id,
      status: d.item.status,
      public: !!d.item.public,
      version: d.latest.version,
      versionState: d.latest.state,
      publishedVersion: d.item.published_version,
      indexNo: d.item.index_no,
      due: d.due,
      clock: d.clock,
      narrative: d.latest.data.narrative,
      manualRows: d.live.manual,
      figures: d.latest.data.figures,
      previous: d.latest.data.previous,
      live: d.live,
    };
  };

  app.get<{ Params: { id: number } }>(
    '/api/v1/annual-reports/:id',
    { config: { permission: 'annual-report.read' }, schema: { summary: 'One annual report: its newest version, the live figures and the clock', params: Id, response: { 200: Detail } } },
    async (req) => detail(req.user!, req.params.id),
  );

  app.put<{ Params: { id: number }; Body: Static<typeof SaveBody> }>(
    '/api/v1/annual-reports/:id',
    { config: { permission: 'annual-report.edit' }, schema: { summary: 'Save the text and the staff-entered figures; the figures are frozen anew (on a published report: a corrected version)', params: Id, body: SaveBody, response: { 200: Type.Object({ version: Type.Integer() }), 409: ErrorSchema } } },
    async (req) => saveReport(p, req.user!, req.params.id, req.body),
  );

  app.post<{ Params: { id: number }; Body: Static<typeof StepBody> }>(
    '/api/v1/annual-reports/:id/steps',
    { config: { permission: 'annual-report.read' }, schema: { summary: 'A review step: submit, approve (secrecy review, review, sign-off) or reject', params: Id, body: StepBody, response: { 200: Type.Object({ status: Type.String(), version: Type.Integer() }), 409: ErrorSchema } } },
    async (req) => step(p, req.user!, req.params.id, req.body.action, req.body.reason),
  );
}
