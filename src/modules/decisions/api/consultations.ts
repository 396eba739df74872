// JSON API of consultations (公开征求意见). Public: an open or closed consultation with its articles
// and comment counts. Staff (major-decision.edit, the decision's department): create one on a
// decision from text or a DOCX (base64), edit it and its articles while a draft, open it (a period
// under 30 days needs `shortReason`, else 400 naming closesAt), close it at its closing instant.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { notFound, validationError } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import type { Db } from '../../../platform/db/index.js';
import type { ConsultationRow } from '../schema.js';
import { consultationFor } from '../service/access.js';
import { ARTICLE_LIMITS, docxDraftText, editArticle, listArticles, mergeWithNext, reorderArticles, replaceDraft, splitArticle } from '../service/articles.js';
import { CONSULTATION_STATES, closeConsultation, consultationCounts, consultationUrl, createConsultation, LIMITS, openConsultation, publicConsultation, updateConsultation } from '../service/consultations.js';

const errors = { 422: ErrorSchema };
const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const INSTANT = Type.String({ maxLength: 40, description: 'ISO date-time with offset, or an Asia/Shanghai wall time YYYY-MM-DDTHH:MM' });
const TAG = ['major-decisions'];

const ArticleOut = Type.Object({ id: ID, seq: Type.Integer(), label: Type.String({ description: "第三条, 一、, 3. … ('' for the preamble)" }), text: Type.String(), comments: Type.Integer({ description: 'published comments on the article' }) });
const CountsOut = Type.Object({
  received: Type.Integer(),
  published: Type.Integer(),
  pending: Type.Integer(),
  hidden: Type.Integer(),
  hiddenByReason: Type.Record(Type.String(), Type.Integer(), { description: 'abuse, personal_data, off_topic, duplicate' }),
  general: Type.Integer({ description: 'published comments on the whole draft' }),
});
const ConsultationOut = Type.Object({
  id: ID,
  decisionId: ID,
  departmentId: ID,
  title: Type.String(),
  explanation: Type.String(),
  state: Type.String({ enum: [...CONSULTATION_STATES] }),
  opensAt: Type.String({ format: 'date-time' }),
  closesAt: Type.String({ format: 'date-time' }),
  shortReason: Type.String({ description: "the public reason for a period under 30 days ('' otherwise)" }),
  itemId: Type.Union([ID, Type.Null()]),
  reportState: Type.String(),
  url: Type.String(),
  articles: Type.Array(ArticleOut),
  counts: CountsOut,
});
type Out = Static<typeof ConsultationOut>;

const CreateBody = Type.Object(
  {
    title: Type.String({ maxLength: LIMITS.title }),
    explanation: Type.String({ maxLength: LIMITS.explanation, description: '起草说明' }),
    opensAt: INSTANT,
    closesAt: INSTANT,
    text: Type.Optional(Type.String({ maxLength: ARTICLE_LIMITS.draft, description: 'the draft, split into articles on 第X条, else 一、, else 1. / 1、' })),
    docx: Type.Optional(Type.String({ maxLength: Math.ceil((ARTICLE_LIMITS.docxBytes * 4) / 3) + 4, contentEncoding: 'base64', description: 'the draft as a DOCX, base64 (instead of text; ≤ 10 MB)' })),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: LIMITS.title })),
    explanation: Type.Optional(Type.String({ maxLength: LIMITS.explanation })),
    opensAt: Type.Optional(INSTANT),
    closesAt: Type.Optional(INSTANT),
    text: Type.Optional(Type.String({ maxLength: ARTICLE_LIMITS.draft, description: 'replaces every article with a new split' })),
  },
  { additionalProperties: false },
);

async function view(db: Db, c: ConsultationRow): Promise<Out> {
  const [articles, counts] = await Promise.all([listArticles(db, c.id), consultationCounts(db, c.id)]);
  return {
    id: c.id,
    decisionId: c.decision_id,
    departmentId: c.department_id,
    title: c.title,
    explanation: c.explanation,
    state: c.state as Out['state'],
    opensAt: c.opens_at,
    closesAt: c.closes_at,
    shortReason: c.short_reason,
    itemId: c.item_id,
    reportState: c.report_state,
    url: consultationUrl(c.id),
    articles: articles.map((a) => ({ id: a.id, seq: a.seq, label: a.label, text: a.text, comments: counts.perArticle[String(a.id)] ?? 0 })),
    counts: { received: counts.received, published: counts.published, pending: counts.pending, hidden: counts.hidden, hiddenByReason: counts.hiddenBy, general: counts.perArticle.general ?? 0 },
  };
}

const byId = (db: Db, id: number) => db.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

function decodeDocx(s: string): Buffer {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(s)) throw validationError({ docx: 'err.field.format' });
  return Buffer.from(s, 'base64');
}

export async function consultationsApi(app: FastifyInstance, p: Platform): Promise<void> {
  const P = Type.Object({ cid: ID });
  const PA = Type.Object({ cid: ID, aid: ID });

  app.post<{ Params: { id: number }; Body: Static<typeof CreateBody> }>(
    '/api/v1/major-decisions/:id/consultations',
    {
      config: { permission: 'major-decision.edit' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        operationId: 'createConsultation',
        tags: TAG,
        summary: 'Create a draft consultation on a decision (its department): the draft from `text` or a DOCX (`docx`, base64), split into articles. 400 naming the field; 409 when the decision is no longer under way or its consultation stage is skipped',
        params: Type.Object({ id: ID }),
        body: CreateBody,
        response: { 201: ConsultationOut, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.text !== undefined && b.docx !== undefined) throw validationError({ docx: 'decisions.consultations.err.text_or_docx' });
      const text = b.docx !== undefined ? await docxDraftText(p, decodeDocx(b.docx), 'docx') : b.text;
      const c = await createConsultation(p, req.user!, req.params.id, { ...b, text });
      return reply.code(201).send(await view(p.db, c));
    },
  );

  app.get<{ Params: { cid: number } }>(
    '/api/v1/consultations/:cid',
    { config: { permission: 'public' }, schema: { operationId: 'getConsultation', tags: TAG, summary: 'An open or closed consultation: explanation, period, public reason for a short period, articles with their published-comment counts, comment counts (received / published / hidden by reason). 404 for a draft', params: P, response: { 200: ConsultationOut } } },
    async (req) => {
      const c = await publicConsultation(p.db, req.params.cid);
      if (!c) throw notFound();
      return view(p.db, c);
    },
  );

  app.get<{ Params: { cid: number } }>(
    '/api/v1/consultations/:cid/articles',
    { config: { permission: 'public' }, schema: { operationId: 'listConsultationArticles', tags: TAG, summary: 'The articles of an open or closed consultation, in order, with their published-comment counts', params: P, response: { 200: Type.Object({ items: Type.Array(ArticleOut) }) } } },
    async (req) => {
      const c = await publicConsultation(p.db, req.params.cid);
      if (!c) throw notFound();
      return { items: (await view(p.db, c)).articles };
    },
  );

  app.get<{ Params: { cid: number } }>(
    '/api/v1/staff/consultations/:cid',
    { config: { permission: 'major-decision.read' }, schema: { operationId: 'getStaffConsultation', tags: TAG, summary: 'A consultation of the caller’s departments in any state, drafts included (404 outside them)', params: P, response: { 200: ConsultationOut } } },
    async (req) => view(p.db, await consultationFor(p.db, req.user!, req.params.cid, 'major-decision.read')),
  );

  app.patch<{ Params: { cid: number }; Body: Static<typeof PatchBody> }>(
    '/api/v1/consultations/:cid',
    { config: { permission: 'major-decision.edit' }, bodyLimit: 2 * 1024 * 1024, schema: { operationId: 'updateConsultation', tags: TAG, summary: 'Edit a draft consultation (title, explanation, instants; `text` replaces the articles). 409 once open', params: P, body: PatchBody, response: { 200: ConsultationOut } } },
    async (req) => view(p.db, await updateConsultation(p, req.user!, req.params.cid, req.body)),
  );

  app.put<{ Params: { cid: number }; Body: { text: string } }>(
    '/api/v1/consultations/:cid/articles',
    { config: { permission: 'major-decision.edit' }, bodyLimit: 2 * 1024 * 1024, schema: { operationId: 'replaceConsultationArticles', tags: TAG, summary: 'Replace a draft’s articles with a new split of `text`. 409 once open', params: P, body: Type.Object({ text: Type.String({ maxLength: ARTICLE_LIMITS.draft }) }, { additionalProperties: false }), response: { 200: ConsultationOut } } },
    async (req) => {
      await replaceDraft(p, req.user!, req.params.cid, req.body.text);
      return view(p.db, await byId(p.db, req.params.cid));
    },
  );

  app.post<{ Params: { cid: number }; Body: { order: number[] } }>(
    '/api/v1/consultations/:cid/articles/order',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'reorderConsultationArticles', tags: TAG, summary: 'Put a draft’s articles in the order of `order` (every article id once; else 400 naming order)', params: P, body: Type.Object({ order: Type.Array(ID, { maxItems: ARTICLE_LIMITS.count }) }, { additionalProperties: false }), response: { 200: ConsultationOut } } },
    async (req) => {
      await reorderArticles(p, req.user!, req.params.cid, req.body.order);
      return view(p.db, await byId(p.db, req.params.cid));
    },
  );

  app.patch<{ Params: { cid: number; aid: number }; Body: { label?: string; text?: string } }>(
    '/api/v1/consultations/:cid/articles/:aid',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'editConsultationArticle', tags: TAG, summary: 'Edit one article of a draft (label, text)', params: PA, body: Type.Object({ label: Type.Optional(Type.String({ maxLength: ARTICLE_LIMITS.label })), text: Type.Optional(Type.String({ maxLength: ARTICLE_LIMITS.text })) }, { additionalProperties: false }), response: { 200: ConsultationOut } } },
    async (req) => {
      await editArticle(p, req.user!, req.params.cid, req.params.aid, req.body);
      return view(p.db, await byId(p.db, req.params.cid));
    },
  );

  app.post<{ Params: { cid: number; aid: number } }>(
    '/api/v1/consultations/:cid/articles/:aid/merge',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'mergeConsultationArticle', tags: TAG, summary: 'Merge an article of a draft with the next one (409 for the last)', params: PA, response: { 200: ConsultationOut } } },
    async (req) => {
      await mergeWithNext(p, req.user!, req.params.cid, req.params.aid);
      return view(p.db, await byId(p.db, req.params.cid));
    },
  );

  app.post<{ Params: { cid: number; aid: number }; Body: { position: number; label?: string } }>(
    '/api/v1/consultations/:cid/articles/:aid/split',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'splitConsultationArticle', tags: TAG, summary: 'Split an article of a draft at a character position; the rest becomes the next article (labelled `label`, or by a clause label it starts with)', params: PA, body: Type.Object({ position: Type.Integer({ minimum: 1, maximum: ARTICLE_LIMITS.text }), label: Type.Optional(Type.String({ maxLength: ARTICLE_LIMITS.label })) }, { additionalProperties: false }), response: { 200: ConsultationOut } } },
    async (req) => {
      await splitArticle(p, req.user!, req.params.cid, req.params.aid, req.body.position, req.body.label);
      return view(p.db, await byId(p.db, req.params.cid));
    },
  );

  app.post<{ Params: { cid: number }; Body: { shortReason?: string } }>(
    '/api/v1/consultations/:cid/open',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'openConsultation',
        tags: TAG,
        summary: 'Open a draft: publishes the consultation item, starts the 30-day period clock, sets the decision’s consultation stage active. A period under 30 days needs `shortReason` (public), else 400 naming closesAt; 409 when not a draft',
        params: P,
        body: Type.Optional(Type.Object({ shortReason: Type.Optional(Type.String({ maxLength: LIMITS.shortReason })) }, { additionalProperties: false })),
        response: { 200: ConsultationOut },
      },
    },
    async (req) => view(p.db, await openConsultation(p, req.user!, req.params.cid, req.body ?? {})),
  );

  app.post<{ Params: { cid: number } }>(
    '/api/v1/consultations/:cid/close',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'closeConsultation', tags: TAG, summary: 'Close an open consultation whose closing instant has come (the job does it on time; 409 before, the message gives the closing time): the clock completed, the stage done', params: P, response: { 200: ConsultationOut } } },
    async (req) => view(p.db, await closeConsultation(p, req.user!, req.params.cid)),
  );
}
