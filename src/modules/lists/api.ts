// JSON API of the lists: types and current editions, items with filters, diffs, history,
// export, adjustments (draft → approve), the negative-list lookup, policy matching, ratings.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { notFound } from '../../platform/errors.js';
import { BinaryBody, ErrorSchema, media, TextBody } from '../../platform/http/schemas.js';
import { listTypes, toCsv, toXlsx, type ListItem } from './service/engine.js';
import { importEdition, approveEdition, diffEditions, draftEdition, exportRows, getEdition, getList, getLists, itemHistory, listEditions, queryItems, rejectEdition, requireType } from './service.js';
import { lookup } from './service/lookup.js';
import { safeFileName, storeFile } from '../../platform/files/index.js';
import type { Limiter } from '../../platform/http/limit.js';
import { matchPolicies, resolveIndustry, setTags, subscribe, QUALIFICATIONS, SIZES, SUBSIDY_TYPES, type BusinessProfile } from './service/policies.js';
import { rate, ratingSummary } from './service/ratings.js';
import { RATINGS } from '../../platform/ratings.js';
import { t as translate } from '../../platform/i18n/index.js';
import { IndustryOut } from './api/industries.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const Any = Type.Any();
const EditionOut = Type.Object({
  id: Type.Integer(),
  listId: Type.Integer(),
  number: Type.Integer(),
  status: Type.String(),
  reason: Type.String(),
  docNo: Type.String(),
  pubItemId: Type.Union([Type.Integer(), Type.Null()]),
  indexNo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  counts: Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer(), items: Type.Integer() }),
});
const ListOut = Type.Object({ id: Type.Integer(), type: Type.String(), scope: Type.String(), title: Type.String(), department: Type.String(), departmentName: Type.String(), currentEdition: Type.Union([EditionOut, Type.Null()]) });
const ChangesOut = Type.Object({
  added: Type.Array(Type.Object({ key: Type.String(), item: Any })),
  removed: Type.Array(Type.Object({ key: Type.String(), item: Any })),
  changed: Type.Array(Type.Object({ key: Type.String(), fields: Type.Array(Type.Object({ field: Type.String(), from: Any, to: Any })) })),
});
const ReportOut = Type.Object({ rows: Type.Integer(), format: Type.Union([Type.String({ enum: ['csv', 'xlsx'] }), Type.Null()], { description: 'What was read' }), encoding: Type.Union([Type.String(), Type.Null()], { description: "The text encoding a CSV was read in ('UTF-8', 'UTF-8 (BOM)', 'UTF-16', 'GB18030'); null for XLSX" }), dryRun: Type.Boolean(), problems: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), problem: Type.String(), message: Type.String() })), changes: Type.Union([Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer() }), Type.Null()]), editionId: Type.Union([Type.Integer(), Type.Null()]) });
const TypeParam = Type.Object({ type: Type.String({ maxLength: 40 }) });
const ProfileSchema = Type.Object(
  {
    industry: Type.String({ maxLength: 5 }),
    size: Type.String({ enum: [...SIZES] }),
    location: Type.String({ maxLength: 32 }),
    qualifications: Type.Array(Type.String({ enum: [...QUALIFICATIONS] }), { maxItems: 10 }),
  },
  { additionalProperties: false },
);
const LookupResultOut = Type.Object(
  {
    list: Type.String(),
    code: Type.Union([Type.String(), Type.Null()]),
    category: Type.String({ enum: ['prohibited', 'permitted', 'not-listed'] }),
    name: Type.Union([Type.String(), Type.Null()]),
    measure: Type.Union([Type.String(), Type.Null()]),
    authority: Type.Union([Type.String(), Type.Null()]),
    heading: Type.Optional(Type.String()),
    restricted: Type.Optional(Type.Boolean()),
    localMeasures: Type.Optional(Type.String()),
    industries: Type.Optional(Type.Array(Type.String())),
    serviceGuides: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: Type.String(), url: Type.String() }))),
    matchedBy: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** writeLimit: the per-address budget of the public writes (module.ts). */
export async function listsApi(app: FastifyInstance, p: Platform, writeLimit: Limiter): Promise<void> {
  app.get(
    '/api/v1/lists',
    { config: { permission: 'public' }, schema: { tags: ['lists'], summary: 'List types and the current edition of each list', response: { 200: Type.Object({ types: Type.Array(Type.Object({ type: Type.String(), name: Type.String(), scope: Type.String(), key: Type.String(), columns: Type.Array(Type.String()), lists: Type.Array(ListOut) })) }) } } },
    async (req) => {
      const lists = await getLists(p.db);
      const types = [];
      for (const lt of listTypes()) {
        const mine = [];
        for (const l of lists.filter((x) => x.type === lt.type)) {
          const cur = l.currentEdition ? (await listEditions(p.db, l.id)).find((e) => e.number === l.currentEdition) ?? null : null;
          mine.push({ id: l.id, type: l.type, scope: l.scope, title: l.title, department: l.department, departmentName: l.departmentName, currentEdition: cur });
        }
        types.push({ type: lt.type, name: req.t(lt.label), scope: lt.scope, key: lt.key, columns: lt.columns.map((c) => c.field), lists: mine });
      }
      return { types };
    },
  );

  app.get<{ Params: { type: string }; Querystring: { department?: string; q?: string; powerType?: string; category?: string; applicant?: string; list?: number; page?: number; pageSize?: number } }>(
    '/api/v1/lists/:type/items',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'Items of the current editions, filtered',
        params: TypeParam,
        querystring: Type.Object({
          department: Type.Optional(Type.String({ maxLength: 32 })),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          powerType: Type.Optional(Type.String({ maxLength: 40 })),
          category: Type.Optional(Type.String({ maxLength: 40 })),
          applicant: Type.Optional(Type.String({ enum: ['individual', 'enterprise'] })),
          list: Type.Optional(Type.Integer({ minimum: 1 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: Type.Object({ type: Type.String(), total: Type.Integer(), page: Type.Integer(), items: Type.Array(Type.Object({ list: Type.Integer(), edition: Type.Integer(), key: Type.String(), name: Type.String(), department: Type.Union([Type.String(), Type.Null()]), powerType: Type.Union([Type.String(), Type.Null()]), category: Type.Union([Type.String(), Type.Null()]), url: Type.String(), data: Any })) }), 404: ErrorSchema },
      },
    },
    async (req) => {
      const { type } = req.params;
      requireType(type);
      const page = req.query.page ?? 1;
      const r = await queryItems(p.db, type, { ...req.query, page });
      return { type, total: r.total, page, items: r.items.map((i) => ({ ...i, url: `/lists/${type}/items/${encodeURIComponent(i.key)}?list=${i.list}` })) };
    },
  );

  app.get<{ Params: { type: string; key: string }; Querystring: { list?: number } }>(
    '/api/v1/lists/:type/items/:key/history',
    {
      config: { permission: 'public' },
      schema: { tags: ['lists'], summary: 'One item across the editions of its list', params: Type.Object({ type: Type.String({ maxLength: 40 }), key: Type.String({ maxLength: 60 }) }), querystring: Type.Object({ list: Type.Optional(Type.Integer({ minimum: 1 })) }), response: { 200: Type.Object({ list: Type.Integer(), key: Type.String(), history: Type.Array(Any) }), 404: ErrorSchema } },
    },
    async (req) => {
      const { type, key } = req.params;
      requireType(type);
      const listId = req.query.list ?? (await p.db.selectFrom('list_items').select('list_id').where('type', '=', type).where('item_key', '=', key).orderBy('id', 'desc').executeTakeFirst())?.list_id;
      const list = listId ? await getList(p.db, listId) : null;
      if (!list || list.type !== type) throw notFound();
      const history = await itemHistory(p.db, list.id, key);
      if (!history.length) throw notFound();
      return { list: list.id, key, history };
    },
  );

  app.get<{ Params: { type: string; a: number; b: number } }>(
    '/api/v1/lists/:type/editions/:a/diff/:b',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'Differences between two published editions of one list (edition ids)',
        params: Type.Object({ type: Type.String({ maxLength: 40 }), a: Type.Integer({ minimum: 1 }), b: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ list: Type.Object({ id: Type.Integer(), title: Type.String(), type: Type.String() }), from: EditionOut, to: EditionOut, changes: ChangesOut }), 404: ErrorSchema },
      },
    },
    async (req) => {
      const d = await diffEditions(p.db, req.params.type, req.params.a, req.params.b);
      return { list: { id: d.list.id, title: d.list.title, type: d.list.type }, from: d.from, to: d.to, changes: d.changes };
    },
  );

  app.get<{ Params: { type: string; id: number } }>(
    '/api/v1/lists/:type/lists/:id/editions',
    { config: { permission: 'public' }, schema: { tags: ['lists'], summary: 'Published editions of a list with their change counts', params: Type.Object({ type: Type.String({ maxLength: 40 }), id: Type.Integer({ minimum: 1 }) }), response: { 200: Type.Object({ editions: Type.Array(EditionOut) }), 404: ErrorSchema } } },
    async (req) => {
      const list = await getList(p.db, req.params.id);
      if (!list || list.type !== req.params.type) throw notFound();
      return { editions: await listEditions(p.db, list.id) };
    },
  );

  app.get<{ Params: { type: string; id: number }; Querystring: { format?: string; edition?: number } }>(
    '/api/v1/lists/:type/lists/:id/export',
    { config: { permission: 'public' }, schema: { tags: ['lists'], summary: 'A published edition as CSV or XLSX (the import format)', params: Type.Object({ type: Type.String({ maxLength: 40 }), id: Type.Integer({ minimum: 1 }) }), querystring: Type.Object({ format: Type.Optional(Type.String({ enum: ['csv', 'xlsx'] })), edition: Type.Optional(Type.Integer({ minimum: 1 })) }), response: { 200: media('The edition in the import format: CSV (UTF-8), or XLSX with format=xlsx; as an attachment', { 'text/csv': TextBody, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': BinaryBody }) } } },
    async (req, reply) => {
      const list = await getList(p.db, req.params.id);
      if (!list || list.type !== req.params.type) throw notFound();
      const lt = requireType(list.type);
      const number = req.query.edition ?? list.currentEdition;
      const ed = (await listEditions(p.db, list.id)).find((e) => e.number === number);
      if (!ed) throw notFound();
      const items = (await getEdition(p.db, ed.id))!.items;
      const rows = exportRows(lt, items);
      const base = `${list.type}-${list.department}-${ed.number}`;
      if (req.query.format === 'xlsx') {
        return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${base}.xlsx"`).send(toXlsx(rows, list.type));
      }
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(toCsv(rows));
    },
  );

  app.post<{ Params: { type: string; id: number }; Body: { items: ListItem[]; reason: string; docNo: string } }>(
    '/api/v1/lists/:type/lists/:id/editions',
    {
      config: { permission: 'list.edit' },
      schema: {
        tags: ['lists'],
        summary: 'Draft an adjustment: a full snapshot of the items, the reason and the approving 文号',
        security: [{ bearer: [] }],
        params: Type.Object({ type: Type.String({ maxLength: 40 }), id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ items: Type.Array(Type.Record(Type.String(), Any), { maxItems: 5000 }), reason: Type.String({ maxLength: 2000 }), docNo: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: EditionOut, ...errors },
      },
    },
    async (req, reply) => {
      const list = await getList(p.db, req.params.id);
      if (!list || list.type !== req.params.type) throw notFound();
      const e = await draftEdition(p, req.user!, list.id, req.body);
      return reply.code(201).send(e);
    },
  );

  app.post<{ Params: { type: string; id: number }; Body: { filename: string; content: string; reason: string; docNo: string; dryRun?: boolean } }>(
    '/api/v1/lists/:type/lists/:id/import',
    {
      config: { permission: 'list.edit' },
      schema: {
        tags: ['lists'],
        summary: 'Import the full adjusted list from CSV or XLSX (base64): all-or-nothing, with a validation report (row, field, problem)',
        security: [{ bearer: [] }],
        params: Type.Object({ type: Type.String({ maxLength: 40 }), id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ filename: Type.String({ maxLength: 200 }), content: Type.String({ maxLength: 30_000_000 }), reason: Type.String({ maxLength: 2000 }), docNo: Type.String({ maxLength: 100 }), dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: {
          ...errors,
          422: ErrorSchema,
          200: ReportOut,
          400: Type.Object({ error: ErrorSchema.properties.error, report: Type.Optional(ReportOut) }),
        },
      },
    },
    async (req, reply) => {
      const list = await getList(p.db, req.params.id);
      if (!list || list.type !== req.params.type) throw notFound();
      const r = await importEdition(p, req.user!, list.id, { buf: Buffer.from(req.body.content, 'base64'), name: req.body.filename, field: 'content' }, { reason: req.body.reason, docNo: req.body.docNo, dryRun: req.body.dryRun });
      const report = { ...r, problems: r.problems.map((x) => ({ ...x, message: req.t(x.problem) })) };
      if (!r.problems.length) return report;
      const fields = Object.fromEntries(report.problems.slice(0, 200).map((x) => [`row ${x.row}: ${x.field}`, x.message]));
      return reply.code(400).send({ error: { code: 'validation', message: req.t('lists.import_failed', { n: r.problems.length }), fields }, report });
    },
  );

  app.post<{ Body: { filename: string; content: string } }>(
    '/api/v1/lists/attachments',
    {
      config: { permission: 'list.edit' },
      schema: {
        tags: ['lists'],
        summary: 'Store a blank form or a sample (PDF, DOC(X), XLS(X), images) for a service guide material; reference the hash in materials[].blankForm / sampleForm',
        security: [{ bearer: [] }],
        body: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 200 }), content: Type.String({ maxLength: 30_000_000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ hash: Type.String(), name: Type.String(), size: Type.Integer(), mime: Type.String(), url: Type.String() }), ...errors, 422: ErrorSchema },
      },
    },
    async (req, reply) => {
      const f = await storeFile(p, Buffer.from(req.body.content, 'base64'), req.body.filename, 'content');
      return reply.code(201).send({ hash: f.hash, name: safeFileName(req.body.filename, f.ext), size: f.size, mime: f.mime, url: `/lists/files/${f.hash}` });
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/lists/editions/:id/approve',
    { config: { permission: 'list.approve' }, schema: { tags: ['lists'], summary: 'Approve a draft edition: it is published through the spine and becomes current', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: EditionOut, ...errors } } },
    async (req) => approveEdition(p, req.user!, req.params.id),
  );

  app.post<{ Params: { id: number }; Body: { reason: string } }>(
    '/api/v1/lists/editions/:id/reject',
    { config: { permission: 'list.approve' }, schema: { tags: ['lists'], summary: 'Send a draft edition back with a reason', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      await rejectEdition(p, req.user!, req.params.id, req.body.reason);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/v1/negative-lists/lookup',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'May I do this business here? Everyday words or a 国民经济行业分类 code against the negative lists',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: {
          200: Type.Object({
            query: Type.String(),
            industry: Type.Union([IndustryOut, Type.Null()]),
            understoodBy: Type.Union([Type.String({ enum: ['code', 'words'] }), Type.Null()]),
            alternatives: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
            results: Type.Array(LookupResultOut),
            nearest: Type.Array(Type.Object({ list: Type.String(), code: Type.String(), name: Type.String(), category: Type.String(), restricted: Type.Optional(Type.Boolean()), industries: Type.Array(Type.String()) })),
            guides: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), url: Type.String() })),
            policies: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() })),
            sources: Type.Array(Type.Object({ list: Type.String(), title: Type.String(), edition: Type.Integer(), url: Type.String() })),
          }),
          400: ErrorSchema,
        },
      },
    },
    async (req) => lookup(p.db, req.query.q ?? ''),
  );

  app.get<{ Querystring: { industry: string; size: string; location?: string; qualifications?: string } }>(
    '/api/v1/policies/match',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'Policies that apply to a business profile, with the reasons each matched',
        querystring: Type.Object({ industry: Type.String({ maxLength: 40, description: 'a 国民经济行业分类 code (H6232) or everyday words (咖啡店)' }), size: Type.String({ enum: [...SIZES] }), location: Type.Optional(Type.String({ maxLength: 32 })), qualifications: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated: ' + QUALIFICATIONS.join(', ') })) }),
        response: { 200: Type.Object({ industry: IndustryOut, alternatives: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })), results: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), docNo: Type.String(), department: Type.String(), url: Type.String(), subsidyType: Type.String(), windowStart: Type.Union([Type.String(), Type.Null()]), windowEnd: Type.Union([Type.String(), Type.Null()]), reasons: Type.Array(Type.Object({ dimension: Type.String(), text: Type.String() })) })) }), 400: ErrorSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const { industry, alternatives } = await resolveIndustry(p.db, q.industry);
      const results = await matchPolicies(p.db, { industry: industry.code, size: q.size, location: q.location ?? '', qualifications: (q.qualifications ?? '').split(',').map((x) => x.trim()).filter(Boolean) });
      const names = new Map((await p.db.selectFrom('departments').select(['code', 'name']).execute()).map((d) => [d.code, d.name]));
      const words = (x: { key: string; params: Record<string, string> }) =>
        translate(req.locale, x.key, { ...x.params, size: x.params.size ? translate(req.locale, `lists.size.${x.params.size}`) : '', qualification: x.params.qualification ? translate(req.locale, `lists.qual.${x.params.qualification}`) : '', location: x.params.location ? (names.get(x.params.location) ?? x.params.location) : '' });
      return { industry, alternatives: alternatives.map((a) => ({ code: a.code, name: a.name })), results: results.map((r) => ({ ...r, reasons: r.reasons.map((x) => ({ dimension: x.dimension, text: words(x) })) })) };
    },
  );

  app.post<{ Body: { email: string; profile: BusinessProfile } }>(
    '/api/v1/policies/subscriptions',
    { config: { permission: 'public' }, preHandler: writeLimit, schema: { tags: ['lists'], summary: 'Subscribe to new policies matching a profile (stored; delivery comes with the channels)', body: Type.Object({ email: Type.String({ maxLength: 254 }), profile: ProfileSchema }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.Integer(), token: Type.String() }), 400: ErrorSchema, 429: ErrorSchema } } },
    async (req, reply) => {
      return reply.code(201).send(await subscribe(p, req.body.email, req.body.profile));
    },
  );

  app.put<{ Params: { id: number }; Body: { industries: string[]; sizes: string[]; locations: string[]; qualifications: string[]; subsidyType: string; windowStart?: string | null; windowEnd?: string | null } }>(
    '/api/v1/policies/:id/tags',
    {
      config: { permission: 'content.edit' },
      schema: {
        tags: ['lists'],
        summary: 'Tag a published policy with whom it applies to',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          {
            industries: Type.Array(Type.String({ maxLength: 5 }), { maxItems: 50 }),
            sizes: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 4 }),
            locations: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 50 }),
            qualifications: Type.Array(Type.String({ maxLength: 30 }), { maxItems: 10 }),
            subsidyType: Type.String({ enum: [...SUBSIDY_TYPES] }),
            windowStart: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
            windowEnd: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await setTags(p, req.user!, req.params.id, { ...req.body, windowStart: req.body.windowStart ?? null, windowEnd: req.body.windowEnd ?? null });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { code: string }; Body: { level: string; comment?: string; realName?: boolean; name?: string; phone?: string } }>(
    '/api/v1/service-guides/:code/ratings',
    {
      config: { permission: 'public' },
      preHandler: writeLimit,
      schema: {
        tags: ['lists'],
        summary: '好差评 on a service guide (five levels; a real-name 差评 gets a follow-up)',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: Type.Object({ level: Type.String({ enum: [...RATINGS] }), comment: Type.Optional(Type.String({ maxLength: 500 })), realName: Type.Optional(Type.Boolean()), name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.Integer(), followup: Type.Union([Type.Object({ fixDue: Type.String() }), Type.Null()]) }), 400: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await rate(p, req.params.code, req.body));
    },
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/service-guides/:code/ratings',
    { config: { permission: 'public' }, schema: { tags: ['lists'], summary: 'Rating summary of a service guide', params: Type.Object({ code: Type.String({ maxLength: 40 }) }), response: { 200: Type.Object({ total: Type.Integer(), counts: Type.Record(Type.String(), Type.Integer()), satisfied: Type.Union([Type.Number(), Type.Null()]) }) } } },
    async (req) => ratingSummary(p.db, req.params.code),
  );
}
