// JSON API of consultation comments. Public: comment on the whole draft or one article of an open
// consultation (no account; per-address budget), ask for a verification code, read the published
// comments (masked) with the counts. Staff (consultation.moderate in the consultation's
// department): every comment with contacts and status, moderation (publish / hide with a reason),
// the export as CSV or XLSX for the drafting team.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { badRequest } from '../../../platform/errors.js';
import { BinaryBody, media, TextBody } from '../../../platform/http/schemas.js';
import { clientLimit, type Limiter } from '../../../platform/http/limit.js';
import { clientIp } from '../../../platform/http/auth.js';
import { commentPages } from '../public/comments.js';
import {
  CODE_RATE_LIMIT,
  COMMENT_RATE_LIMIT,
  COMMENT_STATUSES,
  commentCounts,
  commentsCsv,
  commentsXlsx,
  exportRows,
  HIDE_REASONS,
  LIMITS,
  moderateComment,
  publicConsultation,
  publishedComments,
  requestCommentCode,
  staffComments,
  submitComment,
  staffComment,
  type CommentInput,
  type StaffComment,
} from '../service/comments.js';

const TAG = 'major-decisions';
const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const str = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });
const e = (xs: readonly string[]) => Type.String({ enum: [...xs] });
const ARTICLE = Type.String({ pattern: '^(general|[1-9][0-9]{0,8})$', description: "an article id, or 'general' for comments on the whole draft" });
const PageQ = { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) };

const SubmitBody = Type.Object(
  {
    articleId: Type.Optional(Nullable(ID)),
    name: Type.Optional(str(LIMITS.name, "the commenter's name; empty or absent = anonymous (shown masked)")),
    email: Type.Optional(str(LIMITS.email, 'optional; never shown')),
    phone: Type.Optional(str(LIMITS.phone, 'optional mobile; never shown')),
    body: str(LIMITS.body * 2, `the comment, ${LIMITS.bodyMin}–${LIMITS.body} characters`),
    verifyCode: Type.Optional(str(10, 'a 6-digit code from /comments/verification-code sent to the phone (or e-mail)')),
  },
  { additionalProperties: false },
);
const Submitted = Type.Object({ id: ID, status: e(COMMENT_STATUSES), verified: Type.Boolean() });
const PublicComment = Type.Object({ id: ID, articleId: Nullable(ID), name: Type.String({ description: "masked; '' = anonymous" }), body: Type.String({ description: 'personal data masked' }), createdAt: Type.String({ format: 'date-time' }) });
const Counts = Type.Object({
  received: Type.Integer(),
  published: Type.Integer(),
  pending: Type.Integer(),
  hidden: Type.Integer(),
  hiddenBy: Type.Object(Object.fromEntries(HIDE_REASONS.map((r) => [r, Type.Integer()]))),
  publishedOn: Type.Record(Type.String(), Type.Integer(), { description: "published comments per article id ('general': on the whole draft)" }),
});
const PublishedOut = Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: Counts, items: Type.Array(PublicComment) });
const StaffOut = Type.Object({
  id: ID,
  articleId: Nullable(ID),
  articleLabel: Type.String(),
  name: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  verified: Type.Boolean(),
  body: Type.String(),
  status: e(COMMENT_STATUSES),
  hideReason: Type.String({ enum: ['', ...HIDE_REASONS] }),
  moderatedBy: Nullable(Type.String()),
  moderatedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
const staffOut = (r: StaffComment) => ({ ...r, status: r.status as never, hideReason: r.hideReason as never });
const articleParam = (v: string | undefined): number | null | undefined => (v === undefined ? undefined : v === 'general' ? null : Number(v));

export async function commentsApi(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.post<{ Params: { cid: number }; Body: any }>(
    '/api/v1/consultations/:cid/comments',
    {
      config: { permission: 'public' },
      // After validation: a malformed body is answered 400 without spending the budget.
      preHandler: submitLimit,
      schema: {
        operationId: 'submitConsultationComment',
        tags: [TAG],
        summary:
          'Comment on the whole draft (articleId absent or null) or one article of an open consultation (no account). Stored awaiting moderation. 400 naming the field; 404 for an unknown consultation; 409 before it opens and at or after it closes (the message gives the time in Beijing time); 429 over the per-address budget',
        params: Type.Object({ cid: ID }),
        body: SubmitBody,
        response: { 201: Submitted },
      },
    },
    async (req, reply) => reply.code(201).send(await submitComment(p, req.params.cid, req.body as CommentInput, clientIp(req))),
  );

  app.post<{ Params: { cid: number }; Body: { phone?: string; email?: string } }>(
    '/api/v1/consultations/:cid/comments/verification-code',
    {
      config: { permission: 'public' },
      preHandler: codeLimit,
      schema: {
        operationId: 'sendConsultationCommentCode',
        tags: [TAG],
        summary: 'Send a 6-digit code to a mobile (SMS; preferred) or e-mail address, valid 10 minutes; give it as verifyCode with the comment. 409 when the consultation takes no comments or a code went to the same target less than a minute ago',
        params: Type.Object({ cid: ID }),
        body: Type.Object({ phone: Type.Optional(str(LIMITS.phone)), email: Type.Optional(str(LIMITS.email)) }, { additionalProperties: false }),
        response: { 202: Type.Object({ channel: e(['sms', 'email']) }) },
      },
    },
    async (req, reply) => reply.code(202).send(await requestCommentCode(p, req.params.cid, req.body)),
  );

  app.get<{ Params: { cid: number }; Querystring: { article?: string; page?: number; pageSize?: number } }>(
    '/api/v1/consultations/:cid/comments',
    {
      config: { permission: 'public' },
      schema: {
        operationId: 'listConsultationComments',
        tags: [TAG],
        summary: "The published comments of a consultation, newest first (names masked, personal data in the text masked, contacts never), on one article, on the whole draft (article=general) or all; with the counts received / published / pending / hidden by reason",
        params: Type.Object({ cid: ID }),
        querystring: Type.Object({ article: Type.Optional(ARTICLE), ...PageQ }, { additionalProperties: false }),
        response: { 200: PublishedOut },
      },
    },
    async (req) => {
      const c = await publicConsultation(p.db, req.params.cid);
      const page = req.query.page ?? 1;
      const pageSize = req.query.pageSize ?? 20;
      const [list, counts] = await Promise.all([publishedComments(p.db, c.id, articleParam(req.query.article), page, pageSize), commentCounts(p.db, c.id)]);
      return { total: list.total, page, pageSize, counts, items: list.items };
    },
  );

  app.get<{ Params: { cid: number }; Querystring: { status?: string; reason?: string; article?: string; page?: number; pageSize?: number } }>(
    '/api/v1/staff/consultations/:cid/comments',
    {
      config: { permission: 'consultation.moderate' },
      schema: {
        operationId: 'listConsultationCommentsStaff',
        tags: [TAG],
        summary: "Every comment of a consultation with contacts and status, pending first then newest (consultation.moderate in the consultation's department; 404 elsewhere)",
        params: Type.Object({ cid: ID }),
        querystring: Type.Object({ status: Type.Optional(e(['', ...COMMENT_STATUSES])), reason: Type.Optional(e(['', ...HIDE_REASONS])), article: Type.Optional(ARTICLE), ...PageQ }, { additionalProperties: false }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(StaffOut) }) },
      },
    },
    async (req) => {
      const r = await staffComments(p, req.user!, req.params.cid, { status: req.query.status || undefined, reason: req.query.reason || undefined, article: req.query.article, page: req.query.page, pageSize: req.query.pageSize });
      return { total: r.total, items: r.items.map(staffOut) };
    },
  );

  app.get<{ Params: { cid: number }; Querystring: { format?: string } }>(
    '/api/v1/staff/consultations/:cid/comments/export',
    {
      config: { permission: 'consultation.moderate' },
      schema: {
        operationId: 'exportConsultationComments',
        tags: [TAG],
        summary: 'Every comment of a consultation with contacts, status and hiding reason, for the drafting team: format=csv (UTF-8 with BOM) or xlsx',
        params: Type.Object({ cid: ID }),
        querystring: Type.Object({ format: Type.Optional(e(['csv', 'xlsx'])) }, { additionalProperties: false }),
        response: { 200: media('CSV or XLSX, one row a comment', { 'text/csv': TextBody, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': BinaryBody }) },
      },
    },
    async (req, reply) => sendExport(p, req, reply, req.params.cid, req.query.format ?? 'csv'),
  );

  app.post<{ Params: { id: number }; Body: { action: 'publish' | 'hide'; reason?: string } }>(
    '/api/v1/staff/comments/:id/moderation',
    {
      config: { permission: 'consultation.moderate' },
      schema: {
        operationId: 'moderateConsultationComment',
        tags: [TAG],
        summary: "Publish a comment, or hide it with a reason (abuse, personal_data, off_topic, duplicate); audited. consultation.moderate in the consultation's department (404 elsewhere)",
        params: Type.Object({ id: ID }),
        body: Type.Object({ action: e(['publish', 'hide']), reason: Type.Optional(e(['', ...HIDE_REASONS])) }, { additionalProperties: false }),
        response: { 200: StaffOut },
      },
    },
    async (req) => {
      const c = await moderateComment(p, req.user!, req.params.id, req.body);
      return staffOut(await staffComment(p.db, c.id));
    },
  );
}

/** The export answer (the API's and the console's): CSV or XLSX, never cached. */
export async function sendExport(p: Platform, req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, cid: number, format: string) {
  if (format !== 'csv' && format !== 'xlsx') throw badRequest('err.validation', { format: 'decisions.comments.err.format' });
  const { consultation, items } = await exportRows(p, req.user!, cid);
  const t = (k: string, params?: Record<string, string | number>) => req.t(k, params);
  const name = `consultation-${consultation.id}-comments.${format}`;
  reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${name}"`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(commentsCsv(t, items));
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await commentsXlsx(t, consultation.title, items));
}

/** Every route of the comments part: the API, the public pages and the console, with the per-address budgets. */
export async function commentRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  // Comments come in floods near a closing time: counted in this process's memory (no database write per request), as appeals are.
  const submitLimit = clientLimit(p.db, { bucket: 'decisions.comment', max: COMMENT_RATE_LIMIT, message: 'decisions.comments.err.rate_limited', store: 'memory', perRoute: true });
  const codeLimit = clientLimit(p.db, { bucket: 'decisions.comment-code', max: CODE_RATE_LIMIT, message: 'decisions.comments.err.code_limited' });
  await commentsApi(app, p, submitLimit, codeLimit);
  commentPages(app, p, submitLimit, codeLimit);
}
