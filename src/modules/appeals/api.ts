// JSON API of the appeals centre. Public: submit, follow with the query code, rate, reopen,
// verification codes, similar published appeals, the board, statistics, the catalogue.
// Staff: scoped list, intake, one appeal with suggestions, and the actions.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { notFound } from '../../platform/errors.js';
import { ErrorSchema } from '../../platform/http/schemas.js';
import type { Limiter } from '../../platform/http/limit.js';
import { requestVerification, submitAppeal } from './service/intake.js';
import { findWithCode, rateAppeal, reopenAppeal } from './service/citizen.js';
import { citizenView, staffView } from './views.js';
import { listCategories, similarAppeals } from './service/dispatch.js';
import { board, staffList, stats } from './service/queries.js';
import { runAction, STAFF_ACTIONS } from './service/actions.js';
import { APPEAL_STATUSES, APPEAL_TYPES } from './schema.js';
import { RATINGS } from '../../platform/ratings.js';
import { todayShanghai } from '../../platform/calendar/index.js';


// The platform declares 400, 401/403 (staff), 403 (CSRF), 404 (path parameters), 409/413/415
// (bodies), 429 (rate-limited routes) and 503 in the API document; these add what handlers answer.
const errors = { 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };
const TRACKING = Type.String({ pattern: '^SQ\\d{15}$', maxLength: 17 });

export const IntakeBody = Type.Object(
  {
    type: Type.String({ enum: [...APPEAL_TYPES] }),
    category: Type.String({ minLength: 1, maxLength: 40 }),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    content: Type.String({ minLength: 1, maxLength: 5000 }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    lat: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
    lng: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
    contactName: Type.Optional(Type.String({ maxLength: 50 })),
    contactPhone: Type.Optional(Type.String({ maxLength: 30 })),
    contactEmail: Type.Optional(Type.String({ maxLength: 200 })),
    consent: Type.Optional(Type.Boolean()),
    verifyCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  },
  { additionalProperties: false },
);

const Submitted = Type.Object({ trackingNo: Type.String(), queryCode: Type.String(), status: Type.String(), createdAt: Type.String(), url: Type.String() });

const CitizenOut = Type.Object({
  trackingNo: Type.String(),
  type: Type.String(),
  category: Type.String(),
  categoryName: Type.String(),
  title: Type.String(),
  content: Type.String(),
  address: Type.String(),
  status: Type.String({ enum: [...APPEAL_STATUSES] }),
  department: Type.Union([Type.String(), Type.Null()]),
  due: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  reply: Type.Union([Type.String(), Type.Null()]),
  repliedAt: Type.Union([Type.String(), Type.Null()]),
  resolved: Type.Union([Type.Boolean(), Type.Null()]),
  rating: Type.Union([Type.String(), Type.Null()]),
  ratedAt: Type.Union([Type.String(), Type.Null()]),
  canRate: Type.Boolean(),
  canReopen: Type.Boolean(),
  reopenCount: Type.Integer(),
  mergedInto: Type.Union([Type.String(), Type.Null()]),
  consent: Type.Boolean(),
  published: Type.Boolean(),
  history: Type.Array(Type.Object({ at: Type.String(), action: Type.String(), note: Type.String() })),
});

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Counts = Type.Array(Type.Object({ key: Type.String(), n: Type.Integer() }));

const SimilarOut = Type.Object({ items: Type.Array(Type.Object({ title: Type.String(), score: Type.Number(), distance: Nullable(Type.Number({ description: 'metres to the published (grid) point' })), status: Type.String(), url: Nullable(Type.String()) })) });

const BoardOut = Type.Object({
  total: Type.Integer(),
  capped: Type.Boolean({ description: 'true when total stopped counting at its cap' }),
  items: Type.Array(
    Type.Object({
      type: Type.String({ enum: [...APPEAL_TYPES] }),
      category: Type.String(),
      title: Nullable(Type.String()),
      content: Nullable(Type.String()),
      reply: Nullable(Type.String()),
      department: Type.String(),
      departmentName: Type.String(),
      askedAt: Type.String(),
      repliedAt: Nullable(Type.String()),
      rating: Nullable(Type.String()),
      url: Type.String(),
    }),
  ),
});

const StatsOut = Type.Object({
  total: Type.Integer(),
  byType: Counts,
  byCategory: Counts,
  byDepartment: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), n: Type.Integer(), replied: Type.Integer(), overdue: Type.Integer() })),
  responseRate: Nullable(Type.Number({ description: 'per cent' })),
  resolutionRate: Nullable(Type.Number({ description: 'per cent' })),
  satisfactionRate: Nullable(Type.Number({ description: 'per cent' })),
  averageHandlingDays: Nullable(Type.Number()),
  ratings: Counts,
  hotTopics: Type.Array(Type.Object({ category: Type.String(), n: Type.Integer(), previous: Type.Integer() })),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
});

const CategoriesOut = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), group: Type.String(), description: Type.String(), department: Nullable(Type.String()) })) });

const StaffListOut = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      tracking_no: Type.String(),
      type: Type.String(),
      category: Type.String(),
      title: Type.String(),
      status: Type.String({ enum: [...APPEAL_STATUSES] }),
      channel: Type.String(),
      due_date: Nullable(Type.String()),
      created_at: Type.String(),
      urge_count: Type.Integer(),
      rating: Nullable(Type.String()),
      publish_state: Type.String(),
      consent: Type.Integer(),
      department_name: Nullable(Type.String()),
      department: Nullable(Type.String()),
    }),
  ),
});

const StaffDetailOut = Type.Object({
  id: Type.Integer(),
  trackingNo: Type.String(),
  type: Type.String(),
  category: Type.String(),
  title: Type.String(),
  content: Type.String(),
  address: Type.String(),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  status: Type.String({ enum: [...APPEAL_STATUSES] }),
  channel: Type.String(),
  department: Nullable(Type.String()),
  assisting: Type.Array(Type.String()),
  due: Nullable(Type.String()),
  reply: Nullable(Type.String()),
  replyDraft: Nullable(Type.Object({ text: Type.String(), resolved: Type.Boolean(), at: Nullable(Type.String()), returnOpinion: Nullable(Type.String()) })),
  rating: Nullable(Type.String()),
  urgeCount: Type.Integer(),
  publishState: Type.String(),
  contact: Nullable(Type.Object({ name: Type.String(), phone: Type.String(), email: Type.String(), phoneVerified: Type.Boolean(), emailVerified: Type.Boolean() })),
  clock: Nullable(Type.Object({ due: Type.String(), status: Type.String(), rule: Type.String(), state: Type.String() })),
  suggestions: Type.Array(Type.Object({ department: Type.String(), departmentName: Type.String(), score: Type.Number(), reasons: Type.Array(Type.String()) })),
  similar: Type.Array(Type.Object({ id: Type.Integer(), trackingNo: Type.String(), title: Type.String(), status: Type.String(), createdAt: Type.String(), score: Type.Number(), distance: Nullable(Type.Number()), pubItemId: Nullable(Type.Integer()) })),
  masked: Nullable(Type.Object({ title: Type.String(), content: Type.String(), reply: Type.String() })),
  requests: Type.Array(Type.Object({ kind: Type.String(), status: Type.String(), workdays: Nullable(Type.Integer()), reason: Type.String(), requestedBy: Type.String(), decidedBy: Nullable(Type.String()) })),
  history: Type.Array(Type.Object({ at: Type.String(), actor: Type.String(), action: Type.String(), note: Type.String(), public: Type.Boolean() })),
  can: Type.Record(Type.String(), Type.Boolean(), { description: 'the actions this caller may take now' }),
});

/** submitLimit: the per-address budget of each citizen write; codeLimit: the one budget of every route that checks a query code (module.tsx). */
export async function appealsApi(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.post<{ Body: any }>(
    '/api/v1/appeals',
    {
      config: { permission: 'public' },
      onRequest: submitLimit,
      schema: { tags: ['public'], summary: 'Submit a citizen appeal (rate-limited per client address); returns the tracking number and query code', body: IntakeBody, response: { 201: Submitted, ...errors } },
    },
    async (req, reply) => {
      const s = await submitAppeal(p, 'citizen', { ...(req.body as object), channel: 'api' } as any);
      return reply.code(201).send({ trackingNo: s.trackingNo, queryCode: s.queryCode, status: s.status, createdAt: s.createdAt, url: `/appeals/track?no=${s.trackingNo}` });
    },
  );

  const lookupSummary = 'a wrong number or code → the same 404 either way; after 5 wrong codes the number is locked (429 with Retry-After, even for the right code) for 1 minute, doubling up to 1 hour';
  app.post<{ Params: { trackingNo: string }; Body: { code: string } }>(
    '/api/v1/appeals/:trackingNo/lookup',
    {
      config: { permission: 'public' },
      preHandler: codeLimit,
      schema: {
        tags: ['public'],
        summary: `A citizen's own appeal and its history, with the query code in the body (${lookupSummary})`,
        params: Type.Object({ trackingNo: Type.String({ maxLength: 40 }) }),
        body: Type.Object({ code: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: CitizenOut, ...errors },
      },
    },
    async (req, reply) => {
      const a = await findWithCode(p.db, req.params.trackingNo, req.body.code);
      if (!a) throw notFound('appeals.err.not_found');
      reply.header('cache-control', 'no-store');
      return citizenView(p.db, a);
    },
  );

  app.get<{ Params: { trackingNo: string }; Querystring: { code?: string } }>(
    '/api/v1/appeals/:trackingNo',
    {
      config: { permission: 'public' },
      preHandler: codeLimit,
      schema: {
        tags: ['public'],
        summary: `Deprecated (the code ends up in URLs; use POST …/lookup): the same with ?code= (${lookupSummary})`,
        deprecated: true,
        params: Type.Object({ trackingNo: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
        response: { 200: CitizenOut, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const a = await findWithCode(p.db, req.params.trackingNo, req.query.code ?? '');
      if (!a) throw notFound('appeals.err.not_found');
      reply.header('cache-control', 'no-store');
      return citizenView(p.db, a);
    },
  );

  app.post<{ Params: { trackingNo: string }; Body: { code: string; rating: string; comment?: string } }>(
    '/api/v1/appeals/:trackingNo/rating',
    {
      config: { permission: 'public' },
      onRequest: submitLimit,
      preHandler: codeLimit,
      schema: {
        tags: ['public'],
        summary: 'Rate the handling (five levels) with the query code',
        params: Type.Object({ trackingNo: TRACKING }),
        body: Type.Object({ code: Type.String({ maxLength: 20 }), rating: Type.String({ enum: [...RATINGS] }), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await rateAppeal(p, req.params.trackingNo, req.body.code, req.body.rating, req.body.comment ?? '');
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { trackingNo: string }; Body: { code: string; reason: string } }>(
    '/api/v1/appeals/:trackingNo/reopen',
    {
      config: { permission: 'public' },
      onRequest: submitLimit,
      preHandler: codeLimit,
      schema: {
        tags: ['public'],
        summary: 'Reopen a closed appeal the citizen was dissatisfied with (limited number of times, within a window)',
        params: Type.Object({ trackingNo: TRACKING }),
        body: Type.Object({ code: Type.String({ maxLength: 20 }), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await reopenAppeal(p, req.params.trackingNo, req.body.code, req.body.reason);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { phone?: string; email?: string } }>(
    '/api/v1/appeals/verification',
    {
      config: { permission: 'public' },
      onRequest: submitLimit,
      schema: {
        tags: ['public'],
        summary: 'Send a 6-digit verification code to a mobile number (SMS) or e-mail address; use it as verifyCode when submitting',
        body: Type.Object({ phone: Type.Optional(Type.String({ maxLength: 30 })), email: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 202: Type.Object({ channel: Type.String() }), ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(await requestVerification(p, req.body)),
  );

  app.get<{ Querystring: { title?: string; content?: string; lat?: number; lng?: number; category?: string } }>(
    '/api/v1/appeals/similar',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Published appeals similar to a draft (masked text), to check before submitting',
        querystring: Type.Object({ title: Type.Optional(Type.String({ maxLength: 100 })), content: Type.Optional(Type.String({ maxLength: 2000 })), lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })), category: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: SimilarOut },
      },
    },
    async (req) => {
      const items = await similarAppeals(p.db, { title: req.query.title ?? '', content: req.query.content ?? '', lat: req.query.lat, lng: req.query.lng, category: req.query.category, published: true });
      return { items: items.map((s) => ({ title: s.title, score: s.score, distance: s.distance, status: s.status, url: s.pubItemId ? `/appeals/published/${s.pubItemId}` : null })) };
    },
  );

  app.get<{ Querystring: { type?: string; category?: string; department?: string; month?: string; page?: number; pageSize?: number } }>(
    '/api/v1/appeals/board',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Published appeals and replies (anonymised), newest first',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ enum: [...APPEAL_TYPES, ''] })),
            category: Type.Optional(Type.String({ maxLength: 40 })),
            department: Type.Optional(Type.String({ maxLength: 32 })),
            month: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2})?$' })),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: BoardOut },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await board(p.db, { type: q.type || undefined, category: q.category || undefined, department: q.department || undefined, month: q.month || undefined, page: q.page ?? 1, pageSize: q.pageSize ?? 20 });
      return {
        total: r.total,
        capped: r.capped,
        items: r.items.map((i) => ({ type: i.type, category: i.category, title: i.title_masked, content: i.content_masked, reply: i.reply_masked, department: i.department, departmentName: i.department_name, askedAt: i.created_at, repliedAt: i.replied_at, rating: i.rating, url: `/appeals/published/${i.pub_item_id}` })),
      };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/v1/appeals/stats',
    {
      config: { permission: 'public' },
      schema: { tags: ['public'], summary: 'Statistics: by type, category and department; response, resolution and satisfaction rates; average handling time; hot topics', querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false }), response: { 200: StatsOut } },
    },
    async (req, reply) => {
      const to = req.query.to ?? todayShanghai();
      const from = req.query.from ?? `${to.slice(0, 4)}-01-01`;
      reply.header('cache-control', 'public, max-age=60');
      return stats(p.db, from, to);
    },
  );

  app.get(
    '/api/v1/appeals/categories',
    { config: { permission: 'public' }, schema: { tags: ['public'], summary: 'The dispatch catalogue (派单目录): categories with their usual department', response: { 200: CategoriesOut } } },
    async () => ({ items: (await listCategories(p.db)).map((c) => ({ code: c.code, name: c.name, nameEn: c.name_en, group: c.group_name, description: c.description, department: c.department })) }),
  );

  // ---- staff ----
  app.get<{ Querystring: { status?: string; type?: string; department?: string; category?: string; q?: string; overdue?: boolean; callback?: boolean; page?: number; pageSize?: number } }>(
    '/api/v1/staff/appeals',
    {
      config: { permission: 'appeal.read' },
      schema: {
        tags: ['staff'],
        summary: 'Appeals the caller may see (centre: all; department: dispatched to it; operator: intake)',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: [...APPEAL_STATUSES, 'open', ''] })),
            type: Type.Optional(Type.String({ enum: [...APPEAL_TYPES, ''] })),
            department: Type.Optional(Type.String({ maxLength: 32 })),
            category: Type.Optional(Type.String({ maxLength: 40 })),
            q: Type.Optional(Type.String({ maxLength: 50 })),
            overdue: Type.Optional(Type.Boolean()),
            callback: Type.Optional(Type.Boolean()),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffListOut },
      },
    },
    async (req) => staffList(p.db, req.user!, { ...req.query, status: req.query.status || undefined, type: req.query.type || undefined, page: req.query.page ?? 1, pageSize: req.query.pageSize ?? 30 }),
  );

  app.post<{ Body: any }>(
    '/api/v1/staff/appeals',
    { config: { permission: 'appeal.intake' }, schema: { tags: ['staff'], summary: 'Phone intake by an operator', security: [{ bearer: [] }], body: IntakeBody, response: { 201: Submitted, ...errors } } },
    async (req, reply) => {
      const s = await submitAppeal(p, req.user!, { ...(req.body as object), channel: 'phone' } as any);
      return reply.code(201).send({ trackingNo: s.trackingNo, queryCode: s.queryCode, status: s.status, createdAt: s.createdAt, url: `/admin/appeals/${s.id}` });
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/staff/appeals/:id',
    { config: { permission: 'appeal.read' }, schema: { tags: ['staff'], summary: 'One appeal with history, clock, suggestions and similar appeals', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), response: { 200: StaffDetailOut } } },
    async (req) => {
      const v = await staffView(p, req.user!, req.params.id);
      const a = v.appeal;
      return {
        id: a.id,
        trackingNo: a.tracking_no,
        type: a.type,
        category: a.category,
        title: a.title,
        content: a.content,
        address: a.address,
        lat: a.lat,
        lng: a.lng,
        status: a.status,
        channel: a.channel,
        department: v.department?.code ?? null,
        assisting: v.assists.map((x) => x.code),
        due: a.due_date,
        reply: a.reply,
        replyDraft: a.reply_draft === null ? null : { text: a.reply_draft, resolved: a.reply_draft_resolved === 1, at: a.reply_draft_at, returnOpinion: v.returned },
        rating: a.rating,
        urgeCount: a.urge_count,
        publishState: a.publish_state,
        contact: v.can.seeContact ? { name: a.contact_name, phone: a.contact_phone, email: a.contact_email, phoneVerified: !!a.phone_verified, emailVerified: !!a.email_verified } : null,
        clock: v.clock ? { due: v.clock.due, status: v.clock.status, rule: v.clock.rule, state: v.clock.state } : null,
        suggestions: v.suggestions,
        similar: v.similar,
        masked: v.masked ? { title: v.masked.title, content: v.masked.content, reply: v.masked.reply } : null,
        requests: v.requests.map((r) => ({ kind: r.kind, status: r.status, workdays: r.workdays, reason: r.reason, requestedBy: r.requested_by, decidedBy: r.decided_by })),
        history: v.history.map((h) => ({ at: h.at, actor: h.actor, action: h.action, note: h.note, public: !!h.public })),
        can: v.can,
      };
    },
  );

  app.post<{ Params: { id: number; action: string }; Body: any }>(
    '/api/v1/staff/appeals/:id/:action',
    {
      config: { permission: 'appeal.read' },
      schema: {
        tags: ['staff'],
        summary: `An action on an appeal: ${STAFF_ACTIONS.join(', ')}`,
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), action: Type.String({ enum: [...STAFF_ACTIONS] }) }),
        body: Type.Object(
          {
            department: Type.Optional(Type.String({ maxLength: 32 })),
            assisting: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
            reason: Type.Optional(Type.String({ maxLength: 1000 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            workdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
            approve: Type.Optional(Type.Boolean()),
            reply: Type.Optional(Type.String({ maxLength: 5000 })),
            resolved: Type.Optional(Type.Boolean()),
            into: Type.Optional(Type.String({ maxLength: 40 })),
            callback: Type.Optional(Type.String({ maxLength: 2000 })),
            title: Type.Optional(Type.String({ maxLength: 200 })),
            content: Type.Optional(Type.String({ maxLength: 5000 })),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await runAction(p, req.user!, req.params.id, req.params.action, req.body ?? {});
      return reply.code(204).send();
    },
  );
}
