// The registers' JSON API. Public: entities (name, credit code, address, industry, area, status
// and their published inspections) and inspectors (cert number, name, department, fields, status;
// never a phone number or an account). Staff: keeping both registers and importing them
// (multipart upload → 202 with the import's id; its progress and row report).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { ErrorSchema, TextBody, media } from '../../../platform/http/schemas.js';
import { badRequest, notFound, validationError } from '../../../platform/errors.js';
import { INSPECTION_FIELDS, RESULT_CODES, RISK_LEVELS } from '../service/codes.js';
import { addRelation, createEntity, createInspector, entityInspections, getEntity, linkUser, listInspectors, removeRelation, searchEntities, staffInspector, updateEntity, updateInspector, type EntityView, type InspectorStaff } from '../service/registers.js';
import { confirmImport, importTemplate, IMPORT_KINDS, IMPORT_STATUSES, MAX_PROBLEMS, staffImport, startImport, type ImportKind, type ImportView } from '../service/imports.js';
import type { Translate } from '../../../platform/i18n/index.js';

const tags = ['registers'];
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'Page number (from 1)' }));
const CreditCode = Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码 (18 characters; spaces, hyphens, full-width characters and lower case are accepted and normalised)' });
const CertNo = Type.String({ minLength: 1, maxLength: 40, description: '执法证号' });
const Field = Type.String({ enum: [...INSPECTION_FIELDS] });

const EntityPublic = Type.Object({
  creditCode: Type.String(),
  name: Type.String(),
  address: Type.String(),
  industry: Type.String({ description: 'GB/T 4754-2017 code: the 门类 letter and 0, 2, 3 or 4 digits (F5231)' }),
  industryName: Type.String({ description: 'The code with its name in the standard ("F5231 …"); the code alone when the standard has no such code' }),
  area: Type.String({ description: 'The area (街道/乡镇)' }),
  active: Type.Boolean({ description: 'false: 注销/吊销, out of the inspection pool' }),
});
const Inspection = Type.Object({
  taskId: Type.Integer(),
  taskTitle: Type.String(),
  matterName: Type.String(),
  department: Type.String({ description: "The task's department (name)" }),
  windowStart: Type.String({ description: 'YYYY-MM-DD' }),
  windowEnd: Type.String({ description: 'YYYY-MM-DD' }),
  result: Type.Union([Type.String({ enum: [...RESULT_CODES] }), Type.Null()]),
  resultLabel: Type.String({ description: "The result in the caller's language" }),
});
const EntityStaff = Type.Object({
  ...EntityPublic.properties,
  legalRep: Type.String(),
  risk: Type.String({ enum: [...RISK_LEVELS] }),
  department: Type.String({ description: 'The department that last wrote the entry (code)' }),
  departmentName: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const EntityBody = Type.Object(
  {
    creditCode: Type.Optional(CreditCode),
    name: Type.String({ maxLength: 200 }),
    address: Type.String({ maxLength: 200 }),
    legalRep: Type.Optional(Type.String({ maxLength: 50 })),
    industry: Type.String({ maxLength: 60, description: 'GB/T 4754-2017: a 门类 letter, a code with or without its letter (5231, F5231), or the exact name' }),
    risk: Type.String({ maxLength: 20, description: 'low, medium, high (or 低, 中, 高)' }),
    area: Type.String({ maxLength: 50 }),
    active: Type.Optional(Type.Boolean()),
    department: Type.Optional(Type.String({ maxLength: 32, description: 'The department the change is recorded for (code; default: the caller’s own)' })),
  },
  { additionalProperties: false },
);
const InspectorPublic = Type.Object({
  certNo: Type.String(),
  name: Type.String(),
  department: Type.String({ description: 'Department code' }),
  departmentName: Type.String(),
  fields: Type.Array(Field, { description: 'Fields of competence' }),
  active: Type.Boolean(),
});
const InspectorOut = Type.Object({
  ...InspectorPublic.properties,
  phone: Type.String(),
  user: Type.Union([Type.Object({ username: Type.String(), displayName: Type.String() }), Type.Null()], { description: 'The staff account that enters this inspector’s results' }),
  relations: Type.Array(Type.Object({ creditCode: Type.String(), entityName: Type.String(), reason: Type.String(), createdBy: Type.String(), createdAt: Type.String() }), { description: 'Declared conflicts of interest (回避)' }),
  updatedAt: Type.String(),
});
const InspectorBody = Type.Object(
  {
    certNo: Type.Optional(CertNo),
    name: Type.String({ maxLength: 200 }),
    department: Type.Optional(Type.String({ maxLength: 32, description: 'Department code (required to create)' })),
    fields: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, description: 'Codes or labels of the fields of competence' }),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ImportOut = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ enum: [...IMPORT_KINDS] }),
  status: Type.String({ enum: [...IMPORT_STATUSES], description: 'queued, running (checking or writing), checked (rows would overwrite existing entries: confirm to write), done, failed (nothing written)' }),
  department: Type.String(),
  fileName: Type.String(),
  total: Type.Integer({ description: 'Data rows of the file' }),
  done: Type.Integer({ description: 'Rows written so far' }),
  createdBy: Type.String(),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  report: Type.Object({
    format: Type.Union([Type.String({ enum: ['csv', 'xlsx'] }), Type.Null()]),
    encoding: Type.Union([Type.String(), Type.Null()], { description: 'The text encoding a CSV was read in' }),
    rows: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer({ description: 'Existing entries the file changes' }),
    unchanged: Type.Integer(),
    confirm: Type.Boolean({ description: 'Overwriting existing entries is confirmed' }),
    ignored: Type.Array(Type.String(), { description: 'Headers that are no column of the register' }),
    problemCount: Type.Integer(),
    problems: Type.Array(Type.Object({ row: Type.Integer({ description: 'The row as a spreadsheet shows it (1: the header; 0: the file)' }), field: Type.String(), message: Type.String() }), { description: `The first ${MAX_PROBLEMS} problems` }),
  }),
});

export function importOut(imp: ImportView, t: Translate): Static<typeof ImportOut> {
  const r = imp.report;
  return {
    id: imp.id,
    kind: imp.kind,
    status: imp.status,
    department: imp.department,
    fileName: imp.fileName,
    total: imp.total,
    done: imp.done,
    createdBy: imp.createdBy,
    createdAt: imp.createdAt,
    finishedAt: imp.finishedAt,
    report: { format: r.format, encoding: r.encoding, rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged, confirm: r.confirm, ignored: r.ignored, problemCount: r.problemCount, problems: r.problems.map((x) => ({ row: x.row, field: x.field, message: t(x.key, x.params) })) },
  };
}

const entityPublic = (e: EntityView) => ({ creditCode: e.creditCode, name: e.name, address: e.address, industry: e.industry, industryName: e.industryName, area: e.area, active: e.active });
const inspectorOut = (i: InspectorStaff) => ({ certNo: i.certNo, name: i.name, department: i.department, departmentName: i.departmentName, fields: i.fields, active: i.active, phone: i.phone, user: i.user, relations: i.relations, updatedAt: i.updatedAt });
const entityRaw = (b: Static<typeof EntityBody>) => ({ ...b, active: b.active === undefined ? undefined : b.active ? 1 : 0 });
const inspectorRaw = (b: Static<typeof InspectorBody>) => ({ ...b, active: b.active === undefined ? undefined : b.active ? 1 : 0 });

/** The file and the fields of an import upload (multipart: `file`, `kind`, `department`, `confirm`). */
export async function readImportUpload(req: FastifyRequest): Promise<{ file: { buf: Buffer; name: string }; kind: string; department: string; confirm: boolean; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw badRequest('err.file.multipart');
  const fields: Record<string, string> = {};
  let file: { buf: Buffer; name: string } | null = null;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const buf = await part.toBuffer();
      if (!file && buf.length) file = { buf, name: part.filename || 'import.csv' };
    } else fields[part.fieldname] = String(part.value ?? '').slice(0, 100);
  }
  if (!file) throw validationError({ file: 'err.field.required' });
  return { file, kind: fields.kind ?? '', department: fields.department ?? '', confirm: ['1', 'true', 'yes', 'on'].includes(fields.confirm ?? ''), fields };
}

export async function registersApi(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- public ---------------------------------------------------------------------------------
  app.get<{ Querystring: { q?: string; page?: number } }>(
    '/api/v1/entities',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '市场主体名录库: entities by name (a part of it) or credit code, 20 a page, by name',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100, description: 'A part of the name, or the credit code (or its beginning)' })), page: Page }),
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(EntityPublic) }) },
      },
    },
    async (req) => {
      const r = await searchEntities(p.db, { q: req.query.q, page: req.query.page });
      return { ...r, items: r.items.map(entityPublic) };
    },
  );

  app.get<{ Params: { creditCode: string } }>(
    '/api/v1/entities/:creditCode',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'One entity with its inspections whose results are published (结果已公示)',
        params: Type.Object({ creditCode: CreditCode }),
        response: { 200: Type.Object({ ...EntityPublic.properties, inspections: Type.Array(Inspection) }) },
      },
    },
    async (req) => {
      const e = await getEntity(p.db, req.params.creditCode);
      if (!e) throw notFound();
      const inspections = (await entityInspections(p.db, e.id)).map((x) => ({ ...x, resultLabel: x.result ? req.t(`enforcement.result.${x.result}`) : '' }));
      return { ...entityPublic(e), inspections };
    },
  );

  app.get<{ Querystring: { department?: string; field?: string; page?: number } }>(
    '/api/v1/inspectors',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: '执法检查人员名录库: inspectors by department and field, 50 a page (no contact data)',
        querystring: Type.Object({ department: Type.Optional(Type.String({ maxLength: 32, description: 'Department code' })), field: Type.Optional(Field), page: Page }),
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(InspectorPublic) }) },
      },
    },
    async (req) => {
      const r = await listInspectors(p.db, { department: req.query.department, field: req.query.field, page: req.query.page });
      return { ...r, items: r.items.map(({ certNo, name, department, departmentName, fields, active }) => ({ certNo, name, department, departmentName, fields, active })) };
    },
  );

  // ---- staff: entities ------------------------------------------------------------------------
  app.post<{ Body: Static<typeof EntityBody> }>(
    '/api/v1/registers/entities',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Add an entity to the register (recorded for the caller’s department, or `department`)', body: EntityBody, response: { 201: EntityStaff, ...errors } } },
    async (req, reply) => reply.code(201).send(await createEntity(p, req.user!, entityRaw(req.body))),
  );

  app.get<{ Params: { creditCode: string } }>(
    '/api/v1/registers/entities/:creditCode',
    { config: { permission: 'enforcement.read' }, schema: { tags, summary: 'One entity with what staff see (legal representative, risk, the department that last wrote it)', params: Type.Object({ creditCode: CreditCode }), response: { 200: EntityStaff, ...errors } } },
    async (req) => {
      const e = await getEntity(p.db, req.params.creditCode);
      if (!e) throw notFound();
      return e;
    },
  );

  app.put<{ Params: { creditCode: string }; Body: Static<typeof EntityBody> }>(
    '/api/v1/registers/entities/:creditCode',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Correct an entity (every field but the credit code); `active: false` takes it out of the pool', params: Type.Object({ creditCode: CreditCode }), body: EntityBody, response: { 200: EntityStaff, ...errors } } },
    async (req) => updateEntity(p, req.user!, req.params.creditCode, entityRaw(req.body)),
  );

  // ---- staff: inspectors ----------------------------------------------------------------------
  app.post<{ Body: Static<typeof InspectorBody> }>(
    '/api/v1/registers/inspectors',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Add an inspector to a department’s register', body: InspectorBody, response: { 201: InspectorOut, ...errors } } },
    async (req, reply) => reply.code(201).send(inspectorOut(await createInspector(p, req.user!, inspectorRaw(req.body)))),
  );

  app.get<{ Params: { certNo: string } }>(
    '/api/v1/registers/inspectors/:certNo',
    { config: { permission: 'enforcement.read' }, schema: { tags, summary: 'One inspector of the caller’s departments, with phone, account and conflicts of interest', params: Type.Object({ certNo: CertNo }), response: { 200: InspectorOut, ...errors } } },
    async (req) => inspectorOut(await staffInspector(p, req.user!, req.params.certNo)),
  );

  app.put<{ Params: { certNo: string }; Body: Static<typeof InspectorBody> }>(
    '/api/v1/registers/inspectors/:certNo',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Edit an inspector (not the cert number); moving one to another department needs the right on both and unlinks the account', params: Type.Object({ certNo: CertNo }), body: InspectorBody, response: { 200: InspectorOut, ...errors } } },
    async (req) => inspectorOut(await updateInspector(p, req.user!, req.params.certNo, inspectorRaw(req.body))),
  );

  app.put<{ Params: { certNo: string }; Body: { username: string | null } }>(
    '/api/v1/registers/inspectors/:certNo/user',
    {
      config: { permission: 'enforcement.register' },
      schema: {
        tags,
        summary: 'Link the inspector to the staff account that enters their results (an active user of their department who may enter results), or unlink it (null)',
        params: Type.Object({ certNo: CertNo }),
        body: Type.Object({ username: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: InspectorOut, ...errors },
      },
    },
    async (req) => inspectorOut(await linkUser(p, req.user!, req.params.certNo, req.body.username)),
  );

  app.post<{ Params: { certNo: string }; Body: { creditCode: string; reason: string } }>(
    '/api/v1/registers/inspectors/:certNo/relations',
    {
      config: { permission: 'enforcement.register' },
      schema: {
        tags,
        summary: 'Declare a conflict of interest (回避): the inspector is never drawn for this entity',
        params: Type.Object({ certNo: CertNo }),
        body: Type.Object({ creditCode: CreditCode, reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: InspectorOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(inspectorOut(await addRelation(p, req.user!, req.params.certNo, req.body))),
  );

  app.delete<{ Params: { certNo: string; creditCode: string } }>(
    '/api/v1/registers/inspectors/:certNo/relations/:creditCode',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Remove a declared conflict of interest', params: Type.Object({ certNo: CertNo, creditCode: CreditCode }), response: { 200: InspectorOut, ...errors } } },
    async (req) => inspectorOut(await removeRelation(p, req.user!, req.params.certNo, req.params.creditCode)),
  );

  // ---- staff: imports -------------------------------------------------------------------------
  app.post(
    '/api/v1/registers/imports',
    {
      config: { permission: 'enforcement.register' },
      schema: {
        tags,
        summary: 'Import a register from CSV (any encoding, GB18030 included) or XLSX (first sheet): checked and written by a job; follow it at /api/v1/registers/imports/{id}',
        consumes: ['multipart/form-data'],
        doc: {
          body: Type.Object({
            file: Type.String({ format: 'binary', description: 'The CSV or XLSX, with a header row (Chinese headers as the template’s, or English aliases)' }),
            kind: Type.String({ enum: [...IMPORT_KINDS] }),
            department: Type.Optional(Type.String({ description: 'Department code: the one the entities are recorded for, the inspectors’ default (default: the caller’s own)' })),
            confirm: Type.Optional(Type.String({ enum: ['1', 'true'], description: 'Overwrite existing entries without stopping at `checked`' })),
          }),
        },
        response: { 202: ImportOut, ...errors, 413: ErrorSchema, 415: ErrorSchema },
      },
    },
    async (req, reply) => {
      const u = await readImportUpload(req);
      return reply.code(202).send(importOut(await startImport(p, req.user!, u.file, { kind: u.kind, department: u.department, confirm: u.confirm }), req.t));
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/registers/imports/:id',
    { config: { permission: 'enforcement.read' }, schema: { tags, summary: 'An import: its status, progress (done of total) and row report', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), response: { 200: ImportOut, ...errors } } },
    async (req) => importOut(await staffImport(p, req.user!, req.params.id), req.t),
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/registers/imports/:id/confirm',
    { config: { permission: 'enforcement.register' }, schema: { tags, summary: 'Confirm an import that stopped at `checked` (it would overwrite existing entries): it is written', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), response: { 202: ImportOut, ...errors } } },
    async (req, reply) => reply.code(202).send(importOut(await confirmImport(p, req.user!, req.params.id), req.t)),
  );

  app.get<{ Params: { kind: string } }>(
    '/api/v1/registers/templates/:kind',
    {
      config: { permission: 'enforcement.read' },
      schema: { tags, summary: 'The import template of a register: a CSV with its header row', params: Type.Object({ kind: Type.String({ enum: IMPORT_KINDS.map((k) => `${k}.csv`) }) }), response: { 200: media('CSV (UTF-8 with BOM), the header row only', { 'text/csv': TextBody }), ...errors } },
    },
    async (req, reply) => {
      const kind = req.params.kind.replace(/\.csv$/, '') as ImportKind;
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${kind}-template.csv"`).send(importTemplate(kind));
    },
  );
}
