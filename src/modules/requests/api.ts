// JSON API of disclosure requests. Public: submit online, the requester's status with the query
// code (in the body), the outcome tree. Staff (Bearer): the scoped list, registration of requests
// received otherwise, one request, and one route per step. Every route carries its TypeBox schemas
// (body, params, query, every response) and an operationId, so /api/openapi.json stays true.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { ErrorSchema } from '../../platform/http/schemas.js';
import type { Limiter } from '../../platform/http/limit.js';
import { maskName, maskPhone, maskText } from '../../platform/privacy/index.js';
import { CHANNELS_WANTED, CONSULTATION_ANSWERS, CONSULTATION_KINDS, FEE_METHODS, FEE_STATUSES, FORMS_WANTED, ID_KINDS, INTAKE_CHANNELS, isOrganisation, REPLY_STATUSES, REQUEST_STATES, REQUESTER_TYPES, REVIEW_KINDS, REVIEW_OUTCOMES, STAFF_CHANNELS, type RequestReview } from './schema.js';
import { MAX_PROOFS, storeProof, submitRequest, type StoredProof } from './service/intake.js';
import { findWithCode, staffList } from './service/queries.js';
import { runAction } from './service/actions.js';
import { addReview, correctReview, decideReview, deleteReview, listReviews, REVIEW_LIMITS } from './service/reviews.js';
import { OUTCOMES } from './service/outcomes.js';
import { citizenView, staffView } from './views.js';
import { draftReply, loadReply, publicReply, replyItems, MAX_REPLY_ATTACHMENTS, type ReplyView } from './service/replies.js';
import { REPLY_TYPE_CODES, WITHHOLD_GROUNDS } from './service/reply-types.js';
import { replyFileUrl } from './public/track.js';
import type { FeeMethod } from './service/fees.js';

type FeeStatus = (typeof FEE_STATUSES)[number];

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema, 429: ErrorSchema };
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const DATE = Type.String({ format: 'date' });
const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const str = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
const e = <T extends readonly string[]>(xs: T) => Type.String({ enum: [...xs] });

const Fields = {
  agency: Type.String({ minLength: 1, maxLength: 32, description: "'government' (the government itself, handled by its disclosure office) or a department's code" }),
  requesterType: e(REQUESTER_TYPES),
  requesterName: str(100, 1),
  idKind: e(ID_KINDS),
  idNumber: str(40, 1),
  orgContact: Type.Optional(str(50)),
  contactPhone: Type.Optional(str(30)),
  contactEmail: Type.Optional(str(200)),
  contactAddress: Type.Optional(str(200)),
  contactFax: Type.Optional(str(30)),
  infoName: str(200, 1),
  infoDocNo: Type.Optional(str(100)),
  infoDescription: str(2000, 1),
  formWanted: e(FORMS_WANTED),
  channelWanted: e(CHANNELS_WANTED),
  identityProofs: Type.Optional(Type.Array(Type.Object({ name: str(120), content: Type.String({ maxLength: 7_000_000, contentEncoding: 'base64', description: 'the file, base64 (PDF, JPEG, PNG, GIF or WebP, ≤ 5 MB)' }) }, { additionalProperties: false }), { maxItems: MAX_PROOFS })),
};
const PublicBody = Type.Object(Fields, { additionalProperties: false });
const StaffBody = Type.Object({ ...Fields, channel: e(STAFF_CHANNELS), arrivedOn: Type.Optional(DATE) }, { additionalProperties: false });

const Registered = Type.Object({ id: Type.Optional(ID), trackingNo: Type.String(), queryCode: Type.String(), state: e(REQUEST_STATES), receivedOn: Nullable(DATE), dueDate: Nullable(DATE), statusUrl: Type.String() });

const Due = Type.Object({
  due: DATE,
  start: DATE,
  limit: Type.Integer(),
  state: Type.String(),
  status: Type.String(),
  provisional: Type.Boolean(),
  afterCorrection: Type.Boolean(),
  extensions: Type.Array(Type.Object({ workdays: Type.Integer(), reason: Type.String() })),
  pauses: Type.Array(Type.Object({ kind: Type.String(), from: DATE, to: Nullable(DATE), workdays: Type.Integer() })),
  weekends: Type.Integer(),
  holidays: Type.Array(Type.Object({ name: Type.String(), days: Type.Integer(), from: DATE, to: DATE })),
  restarted: Nullable(Type.Object({ start: DATE, stoppedOn: Type.String() })),
});
const Correction = Nullable(Type.Object({ askedOn: DATE, due: Nullable(DATE), items: Type.Array(Type.String()), correctedOn: Nullable(DATE) }));
const Data = Type.Record(Type.String(), Type.Unknown());
const FeeOut = { method: e(FEE_METHODS), amountFen: Type.Integer({ description: 'in 分, computed by the server' }), noticeOn: DATE, payBy: DATE, paidOn: Nullable(DATE), status: e(FEE_STATUSES) };
const FeeBandOut = Type.Object({ from: Type.Integer(), to: Type.Integer(), units: Type.Integer(), unitFen: Type.Integer(), amountFen: Type.Integer() });

const LetterOut = Type.Object({ letterNo: Type.String(), addressee: Type.String(), receivedOn: Type.String(), infoName: Type.String(), body: Type.String(), agency: Type.String(), date: Type.String(), signer: Type.String() });
const ItemOut = Type.Object({ id: ID, title: Type.String(), url: Type.String() });
const PublicReplyOut = Type.Object({
  type: e(REPLY_TYPE_CODES),
  outcome: Type.String({ description: "the Table 三 leaf (see listDisclosureRequestOutcomes)" }),
  deliveredOn: DATE,
  channel: e(CHANNELS_WANTED),
  letter: Type.Composite([LetterOut], { description: "the signed letter; a natural person's name masked" }),
  items: Type.Array(ItemOut),
  attachments: Type.Array(Type.Object({ name: Type.String(), mime: Type.String(), size: Type.Integer(), url: Type.String({ description: 'a download link valid for two hours' }) })),
});

const StatusOut = Type.Object({
  trackingNo: Type.String(),
  agency: Type.String(),
  state: e(REQUEST_STATES),
  channel: e(INTAKE_CHANNELS),
  requesterType: e(REQUESTER_TYPES),
  requesterName: Type.String({ description: "a natural person's name is masked" }),
  contactPhone: Type.String({ description: 'masked' }),
  contactEmail: Type.String({ description: 'masked' }),
  infoName: Type.String(),
  infoDocNo: Type.String(),
  infoDescription: Type.String({ description: 'personal data masked' }),
  formWanted: Type.String(),
  channelWanted: Type.String(),
  arrivedOn: DATE,
  receivedOn: Nullable(DATE),
  correction: Correction,
  due: Nullable(Due),
  overdue: Type.Boolean(),
  outcome: Nullable(Type.String()),
  closedOn: Nullable(DATE),
  referralNo: Nullable(Type.String()),
  fees: Type.Array(Type.Object({ ...FeeOut, how: Type.String({ description: 'how to pay' }) })),
  events: Type.Array(Type.Object({ on: DATE, kind: Type.String(), note: Type.String(), data: Data })),
  reply: Nullable(PublicReplyOut),
});

const OutcomeRowOut = Type.Object({ code: Type.String(), row: Type.String(), zh: Type.String(), en: Type.String(), basis: Type.String() });
const OutcomesOut = Type.Object({ groups: Type.Array(Type.Composite([OutcomeRowOut, Type.Object({ reasons: Type.Array(OutcomeRowOut) })])) });

const ListOut = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Type.Object({ id: ID, trackingNo: Type.String(), infoName: Type.String(), requesterType: Type.String(), channel: Type.String(), state: Type.String(), department: Type.String(), receivedOn: Nullable(DATE), dueDate: Nullable(DATE), outcome: Nullable(Type.String()) })),
});

const DetailOut = Type.Object({
  id: ID,
  trackingNo: Type.String(),
  state: e(REQUEST_STATES),
  department: Type.String(),
  toGovernment: Type.Boolean(),
  channel: Type.String(),
  requesterType: Type.String(),
  requesterName: Type.String(),
  idKind: Type.String(),
  idNumber: Nullable(Type.String({ description: 'only for the handling department (request.identity at home there)' })),
  contact: Type.Object({ orgContact: Type.String(), phone: Type.String(), email: Type.String(), address: Type.String(), fax: Type.String(), masked: Type.Boolean() }),
  infoName: Type.String(),
  infoDocNo: Type.String(),
  infoDescription: Type.String(),
  formWanted: Type.String(),
  channelWanted: Type.String(),
  arrivedOn: DATE,
  receivedOn: Nullable(DATE),
  correction: Correction,
  dueDate: Nullable(DATE),
  due: Nullable(Due),
  outcome: Nullable(Type.String()),
  closedOn: Nullable(DATE),
  referralNo: Nullable(Type.String()),
  identityProofs: Type.Array(Type.Object({ name: Type.String(), mime: Type.String(), size: Type.Integer(), url: Type.String() })),
  identityProofCount: Type.Integer(),
  consultations: Type.Array(Type.Object({ id: ID, kind: Type.String(), party: Type.String(), askedOn: DATE, dueDate: DATE, answeredOn: Nullable(DATE), answer: Nullable(Type.String()) })),
  extensions: Type.Array(Type.Object({ workdays: Type.Integer(), reason: Type.String(), status: Type.String(), askedBy: Type.String(), decidedBy: Nullable(Type.String()), decisionNote: Nullable(Type.String()) })),
  fees: Type.Array(Type.Object({ id: ID, ...FeeOut, ordinal: Nullable(Type.Integer()), pages: Nullable(Type.Integer()), bands: Type.Array(FeeBandOut), how: Type.String() })),
  events: Type.Array(Type.Object({ on: DATE, at: Type.String(), kind: Type.String(), actor: Type.String(), note: Type.String(), public: Type.Boolean(), data: Data })),
  can: Type.Object({ handle: Type.Boolean(), identity: Type.Boolean(), approveExtension: Type.Boolean() }),
});

const Withheld = Type.Object({ part: str(200, 1), ground: e(WITHHOLD_GROUNDS), reason: str(1000, 1) }, { additionalProperties: false });
const ReplyOut = Type.Object({
  type: e(REPLY_TYPE_CODES),
  outcome: Type.String(),
  status: e(REPLY_STATUSES),
  fields: Type.Record(Type.String(), Type.String()),
  withheld: Type.Array(Withheld),
  items: Type.Array(Type.Composite([ItemOut, Type.Object({ public: Type.Boolean() })])),
  attachments: Type.Array(Type.Object({ hash: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer() })),
  body: Type.String(),
  draftedBy: Type.String(),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  approvalNote: Nullable(Type.String()),
  signedBy: Nullable(Type.String()),
  signerName: Nullable(Type.String()),
  signedAt: Nullable(Type.String()),
  letterNo: Nullable(Type.String()),
  letterHash: Nullable(Type.String({ description: 'SM3 of the stored signed letter (HTML)' })),
  deliveredOn: Nullable(DATE),
  deliveryChannel: Nullable(Type.String()),
  deliveryRef: Nullable(Type.String()),
});
const DraftBody = Type.Object(
  {
    type: e(REPLY_TYPE_CODES),
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { description: "the type's fields (see docs/api.md)" })),
    withheld: Type.Optional(Type.Array(Withheld, { maxItems: 20, description: 'partly-disclosed: the parts withheld with their grounds' })),
    itemIds: Type.Optional(Type.Array(ID, { maxItems: 20, description: 'public catalog items (pub_items) the letter links' })),
    attachments: Type.Optional(Type.Array(Type.Object({ name: str(120), content: Type.String({ maxLength: 30_000_000, contentEncoding: 'base64', description: 'the file, base64 (PDF, images, Word, Excel)' }) }, { additionalProperties: false }), { maxItems: MAX_REPLY_ATTACHMENTS, description: 'files added to those attached' })),
    removeAttachments: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_REPLY_ATTACHMENTS, description: 'hashes of attached files to drop' })),
    body: Type.Optional(str(20000)),
    regenerate: Type.Optional(Type.Boolean({ description: 'generate the text from the template (the body given is ignored); without a body it always is' })),
  },
  { additionalProperties: false },
);

async function replyOut(p: Platform, x: ReplyView) {
  return {
    type: x.reply_type,
    outcome: x.outcome,
    status: x.status as (typeof REPLY_STATUSES)[number],
    fields: x.fields,
    withheld: x.withheld,
    items: await replyItems(p.db, x.itemIds),
    attachments: x.attachments,
    body: x.body,
    draftedBy: x.drafted_by,
    approvedBy: x.approved_by,
    approvedAt: x.approved_at,
    approvalNote: x.approval_note,
    signedBy: x.signed_by,
    signerName: x.signer_name,
    signedAt: x.signed_at,
    letterNo: x.letter_no,
    letterHash: x.letter_hash,
    deliveredOn: x.delivered_on,
    deliveryChannel: x.delivery_channel,
    deliveryRef: x.delivery_ref,
  };
}

const ActionOut = Type.Object({ state: e(REQUEST_STATES), receivedOn: Nullable(DATE), dueDate: Nullable(DATE) });

/** 行政复议 and 行政诉讼 of a request (Table 四). */
const ReviewOut = Type.Object({
  id: ID,
  kind: e(REVIEW_KINDS),
  body: Type.String({ description: '复议机关 or 人民法院' }),
  caseNo: Type.String(),
  filedOn: DATE,
  priorReview: Nullable(Type.Integer({ description: 'a suit-after-review: the decided review it follows' })),
  outcome: Nullable(Type.String({ enum: [...REVIEW_OUTCOMES], description: 'null: 尚未审结 (pending)' })),
  decidedOn: Nullable(DATE),
  note: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const reviewOut = (v: RequestReview) => ({ id: v.id, kind: v.kind as (typeof REVIEW_KINDS)[number], body: v.body, caseNo: v.case_no, filedOn: v.filed_on, priorReview: v.prior_id, outcome: v.outcome, decidedOn: v.decided_on, note: v.note, createdBy: v.created_by, createdAt: v.created_at, updatedAt: v.updated_at });
const ReviewFields = {
  kind: e(REVIEW_KINDS),
  body: str(REVIEW_LIMITS.body, 1),
  caseNo: Type.Optional(str(REVIEW_LIMITS.caseNo)),
  filedOn: DATE,
  priorReview: Type.Optional(Nullable(ID)),
  note: Type.Optional(str(REVIEW_LIMITS.note)),
};
const ReviewParams = Type.Object({ id: ID, review: ID });

/** The staff steps: path, operationId, summary, body. */
const STEPS: { action: string; op: string; summary: string; body: TSchema }[] = [
  { action: 'confirm-receipt', op: 'confirmDisclosureRequestReceipt', summary: 'Record the confirming event (Art. 31): the day both sides confirmed is the receipt date; the reply clock starts', body: Type.Object({ on: Type.Optional(DATE), how: Type.Optional(str(500)) }, { additionalProperties: false }) },
  { action: 'correction', op: 'askDisclosureRequestCorrection', summary: 'The one correction notice (补正, Art. 30), within 7 working days of receipt: every point and the deadline; the reply clock stops (409 for a second notice or a late one)', body: Type.Object({ items: Type.Array(str(500, 1), { minItems: 1, maxItems: 10 }), due: Type.Optional(DATE), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'corrected', op: 'recordDisclosureRequestCorrection', summary: 'The corrected request arrived (by the deadline): the reply clock starts again from that day', body: Type.Object({ on: Type.Optional(DATE), note: Type.Optional(str(1000)) }, { additionalProperties: false }) },
  { action: 'extension', op: 'askDisclosureRequestExtension', summary: 'Ask for the one extension (延期, Art. 33): at most 20 working days, with the reason (409 for a second)', body: Type.Object({ workdays: Type.Integer({ minimum: 1, maximum: 365 }), reason: str(500, 1), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'extension-decision', op: 'decideDisclosureRequestExtension', summary: "The office head's decision (request.approve-extension in the request's department, not the asker); approved: the clock is extended and the requester told", body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(str(500)), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'consult', op: 'openDisclosureRequestConsultation', summary: "Ask a third party (Art. 32) or another agency (Art. 34) for its opinion, 15 working days; the reply clock pauses", body: Type.Object({ kind: e(CONSULTATION_KINDS), party: str(100, 1), on: Type.Optional(DATE), note: Type.Optional(str(1000)) }, { additionalProperties: false }) },
  { action: 'fee-notice', op: 'noticeDisclosureRequestFee', summary: "The fee notice (信息处理费, Art. 42; the request being handled): method `count` (the request's ordinal among the requester's requests received that calendar month) or `pages` (with `pages`); the amount is computed by the server, the pay-by date is the notice day + the setting requests.fee_days (20) working days; the reply clock pauses (kind fee). 409 for a zero fee (本申请不收费) or a second notice", body: Type.Object({ method: e(FEE_METHODS), pages: Type.Optional(Type.Integer()), how: Type.Optional(str(500)), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'fee-paid', op: 'recordDisclosureRequestFeePaid', summary: 'The fee was paid on `on` (not before the notice; after the pay-by date: 409): the reply clock resumes that day and the requester is told the new due date', body: Type.Object({ on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'fee-withdraw', op: 'withdrawDisclosureRequestFee', summary: 'The office withdraws the fee notice with the reason: the reply clock resumes on `on`', body: Type.Object({ reason: str(500, 1), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'refer', op: 'referDisclosureRequestComplaint', summary: 'A complaint filed as a request (Art. 39): closed as 不予处理/信访举报投诉类申请 and handed to the complaint desk when one is mounted', body: Type.Object({ note: Type.Optional(str(1000)), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'reply-submit', op: 'submitDisclosureRequestReply', summary: "Submit the drafted reply to the office head (400 naming a field the reply type needs and lacks)", body: Type.Object({ on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'reply-decision', op: 'decideDisclosureRequestReply', summary: "The office head approves the reply or returns it with a note (request.approve-reply in the request's department, never the drafter)", body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(str(1000)), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'reply-sign', op: 'signDisclosureRequestReply', summary: '签发: the office head signs the approved reply; the text is frozen, the letter (告知书) stored and its SM3 hash kept', body: Type.Object({ letterNo: Type.Optional(str(60)), on: Type.Optional(Type.String({ format: 'date', description: 'the day it was signed, when recorded later: the letter is dated so' })) }, { additionalProperties: false }) },
  { action: 'reply-deliver', op: 'deliverDisclosureRequestReply', summary: 'Deliver the signed letter (default: the channel the requester asked for; post needs the tracking number in ref; pickup: on = the day picked up). Completes the reply clock, state replied, outcome and closing date recorded; 409 for a second reply', body: Type.Object({ channel: Type.Optional(e(CHANNELS_WANTED)), on: Type.Optional(DATE), ref: Type.Optional(str(100)) }, { additionalProperties: false }) },
];

/** The form's proof field is `idProof`; the API's is `identityProofs`. */
async function register(p: Platform, actor: Parameters<typeof submitRequest>[1], input: Parameters<typeof submitRequest>[2]) {
  try {
    return await submitRequest(p, actor, input);
  } catch (err) {
    if (err instanceof HttpError && err.fields?.idProof) {
      const { idProof, ...rest } = err.fields;
      throw new HttpError(err.status, err.code, err.message, { ...rest, identityProofs: idProof }, err.params, err.retryAfter);
    }
    throw err;
  }
}

async function decodeProofs(p: Platform, list: { name: string; content: string }[] | undefined): Promise<StoredProof[]> {
  const out: StoredProof[] = [];
  for (const [i, f] of (list ?? []).entries()) out.push(await storeProof(p, Buffer.from(f.content, 'base64'), f.name || `identity-${i + 1}`, `identityProofs.${i}`));
  return out;
}

export async function requestsApi(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  const actionOut = async (id: number) => {
    const r = await p.db.selectFrom('disclosure_requests').select(['state', 'received_on', 'due_date']).where('id', '=', id).executeTakeFirstOrThrow();
    return { state: r.state as (typeof REQUEST_STATES)[number], receivedOn: r.received_on, dueDate: r.due_date };
  };

  app.post<{ Body: any }>(
    '/api/v1/disclosure-requests',
    { config: { permission: 'public' }, onRequest: submitLimit, schema: { operationId: 'submitDisclosureRequest', tags: ['public'], summary: 'Request government information online (依申请公开, Art. 29); answers the tracking number and query code. The receipt date is the day the office confirms it with the requester (Art. 31)', body: PublicBody, response: { 201: Registered, ...errors } } },
    async (req, reply) => {
      const { identityProofs, ...fields } = req.body as Record<string, any>;
      const proofs = await decodeProofs(p, identityProofs);
      const s = await register(p, 'citizen', { ...fields, channel: 'online', idProofs: proofs } as never);
      return reply.code(201).send({ trackingNo: s.trackingNo, queryCode: s.queryCode, state: s.state, receivedOn: s.receivedOn, dueDate: s.due, statusUrl: `/disclosure-requests/track?no=${s.trackingNo}` });
    },
  );

  app.post<{ Params: { trackingNo: string }; Body: { code: string } }>(
    '/api/v1/disclosure-requests/:trackingNo/lookup',
    {
      config: { permission: 'public' },
      preHandler: codeLimit,
      schema: { operationId: 'lookupDisclosureRequest', tags: ['public'], summary: "The requester's own request with the query code in the body: state, due date explained, public events (a wrong number or code → the same 404; after 5 wrong codes the number is locked: 429)", params: Type.Object({ trackingNo: Type.String({ maxLength: 40 }) }), body: Type.Object({ code: Type.String({ maxLength: 20 }) }, { additionalProperties: false }), response: { 200: StatusOut, ...errors } },
    },
    async (req, reply) => {
      const r = await findWithCode(p.db, req.params.trackingNo, req.body.code);
      if (!r) throw notFound('requests.not_found');
      reply.header('cache-control', 'no-store');
      const [v, rep] = await Promise.all([citizenView(p.db, r), publicReply(p.db, r)]);
      const answer = rep && { ...rep, attachments: rep.attachments.map((a) => ({ name: a.name, mime: a.mime, size: a.size, url: replyFileUrl(app, r.id, a.hash) })) };
      return { ...v, events: v.events.map((x) => ({ on: x.on, kind: x.kind, note: x.note, data: x.data })), reply: answer };
    },
  );

  app.get('/api/v1/disclosure-requests/outcomes', { config: { permission: 'public' }, schema: { operationId: 'listDisclosureRequestOutcomes', tags: ['public'], summary: "The outcomes of a request: the annual report's Table 三 rows 三（一）…（六） with their numbered reasons, labels and legal basis", response: { 200: OutcomesOut } } }, async () => ({ groups: OUTCOMES }));

  // ---- staff ----
  app.get<{ Querystring: { state?: string; channel?: string; department?: string; q?: string; overdue?: boolean; pendingReview?: boolean; page?: number; pageSize?: number } }>(
    '/api/v1/staff/disclosure-requests',
    {
      config: { permission: 'request.read' },
      schema: {
        operationId: 'listDisclosureRequests',
        tags: ['staff'],
        summary: "The requests of the caller's departments, newest first (overdue: the reply clock's due date has passed; pendingReview: with a 行政复议 or 行政诉讼 not yet decided)",
        security: [{ bearer: [] }],
        querystring: Type.Object({ state: Type.Optional(Type.String({ enum: [...REQUEST_STATES, 'open', ''] })), channel: Type.Optional(Type.String({ enum: [...INTAKE_CHANNELS, ''] })), department: Type.Optional(Type.String({ maxLength: 32 })), q: Type.Optional(Type.String({ maxLength: 50 })), overdue: Type.Optional(Type.Boolean()), pendingReview: Type.Optional(Type.Boolean()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: ListOut, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await staffList(p.db, req.user!, { state: q.state || undefined, channel: q.channel || undefined, department: q.department || undefined, q: q.q || undefined, overdue: q.overdue, pendingReview: q.pendingReview, page: q.page ?? 1, pageSize: q.pageSize ?? 30 });
      return { total: r.total, items: r.items.map((x) => ({ id: x.id, trackingNo: x.tracking_no, infoName: x.info_name, requesterType: x.requester_type, channel: x.channel, state: x.state, department: x.department_name, receivedOn: x.received_on, dueDate: x.due_date, outcome: x.outcome })) };
    },
  );

  app.post<{ Body: any }>(
    '/api/v1/staff/disclosure-requests',
    { config: { permission: 'request.intake' }, schema: { operationId: 'registerDisclosureRequest', tags: ['staff'], summary: 'Register a request received in person, by registered or ordinary post, fax or e-mail (arrivedOn: the visit, the day signed for, the day it arrived); in person and by registered post the receipt date is known and the reply clock starts', security: [{ bearer: [] }], body: StaffBody, response: { 201: Registered, ...errors } } },
    async (req, reply) => {
      const { identityProofs, ...fields } = req.body as Record<string, any>;
      const proofs = await decodeProofs(p, identityProofs);
      const s = await register(p, req.user!, { ...fields, idProofs: proofs } as never);
      return reply.code(201).send({ id: s.id, trackingNo: s.trackingNo, queryCode: s.queryCode, state: s.state, receivedOn: s.receivedOn, dueDate: s.due, statusUrl: `/admin/disclosure-requests/${s.id}` });
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/staff/disclosure-requests/:id',
    { config: { permission: 'request.read' }, schema: { operationId: 'getDisclosureRequest', tags: ['staff'], summary: 'One request: record, due date explained, consultations, extension asks, the whole timeline (identity proofs and number for the handling department only; contacts masked for those who do not handle it)', security: [{ bearer: [] }], params: Type.Object({ id: ID }), response: { 200: DetailOut, ...errors } } },
    async (req) => {
      const v = await staffView(p.db, req.user!, req.params.id);
      const r = v.r;
      const mask = (s: string, f: (x: string) => string) => (s && !v.can.contact ? f(s) : s);
      return {
        id: r.id,
        trackingNo: r.tracking_no,
        state: r.state as (typeof REQUEST_STATES)[number],
        department: v.department.code,
        toGovernment: !!r.to_government,
        channel: r.channel,
        requesterType: r.requester_type,
        requesterName: v.can.contact || isOrganisation(r.requester_type) ? r.requester_name : maskName(r.requester_name),
        idKind: r.id_kind,
        idNumber: v.can.identity ? r.id_number : null,
        contact: { orgContact: mask(r.org_contact, maskName), phone: mask(r.contact_phone, maskPhone), email: mask(r.contact_email, (x) => maskText(x).text), address: mask(r.contact_address, (x) => maskText(x).text), fax: mask(r.contact_fax, maskPhone), masked: !v.can.contact },
        infoName: r.info_name,
        infoDocNo: r.info_doc_no,
        infoDescription: r.info_description,
        formWanted: r.form_wanted,
        channelWanted: r.channel_wanted,
        arrivedOn: r.arrived_on,
        receivedOn: r.received_on,
        correction: r.correction_asked_on ? { askedOn: r.correction_asked_on, due: r.correction_due, items: JSON.parse(r.correction_items ?? '[]'), correctedOn: r.corrected_on } : null,
        dueDate: r.due_date,
        due: v.due,
        outcome: r.outcome,
        closedOn: r.closed_on,
        referralNo: r.referral_no,
        identityProofs: v.can.identity ? v.proofs.map((x, i) => ({ name: x.name, mime: x.mime, size: x.size, url: `/admin/disclosure-requests/${r.id}/identity/${i}` })) : [],
        identityProofCount: v.proofs.length,
        consultations: v.consultations.map((x) => ({ id: x.id, kind: x.kind, party: x.party, askedOn: x.asked_on, dueDate: x.due_date, answeredOn: x.answered_on, answer: x.answer })),
        extensions: v.extensions.map((x) => ({ workdays: x.workdays, reason: x.reason, status: x.status, askedBy: x.asked_by, decidedBy: x.decided_by, decisionNote: x.decision_note })),
        fees: v.fees.map((x) => ({ id: x.id, method: x.method as FeeMethod, amountFen: x.amount_fen, noticeOn: x.notice_on, payBy: x.pay_by, paidOn: x.paid_on, status: x.status as FeeStatus, ordinal: x.ordinal, pages: x.pages, bands: x.bands, how: x.note })),
        events: v.events,
        can: { handle: v.can.handle, identity: v.can.identity, approveExtension: v.can.approve },
      };
    },
  );

  for (const s of STEPS)
    app.post<{ Params: { id: number }; Body: Record<string, unknown> }>(
      `/api/v1/staff/disclosure-requests/:id/${s.action}`,
      { config: { permission: 'request.read' }, schema: { operationId: s.op, tags: ['staff'], summary: s.summary, security: [{ bearer: [] }], params: Type.Object({ id: ID }), body: s.body, response: { 200: ActionOut, ...errors } } },
      async (req) => {
        await runAction(p, req.user!, req.params.id, s.action, req.body ?? {});
        return actionOut(req.params.id);
      },
    );

  app.post<{ Params: { id: number; consultation: number }; Body: { answer: string; on?: string; note?: string } }>(
    '/api/v1/staff/disclosure-requests/:id/consultations/:consultation/answer',
    {
      config: { permission: 'request.read' },
      schema: { operationId: 'answerDisclosureRequestConsultation', tags: ['staff'], summary: 'The answer of the third party or agency (the day it arrived); when it was the last open one the reply clock resumes', security: [{ bearer: [] }], params: Type.Object({ id: ID, consultation: ID }), body: Type.Object({ answer: e(CONSULTATION_ANSWERS), on: Type.Optional(DATE), note: Type.Optional(str(1000)) }, { additionalProperties: false }), response: { 200: ActionOut, ...errors } },
    },
    async (req) => {
      await runAction(p, req.user!, req.params.id, 'consultation-answer', { ...req.body, consultation: req.params.consultation });
      return actionOut(req.params.id);
    },
  );

  // ---- 行政复议 and 行政诉讼 (Table 四) ----
  const reviewRoute = { tags: ['staff'], security: [{ bearer: [] }] };
  app.get<{ Params: { id: number } }>(
    '/api/v1/staff/disclosure-requests/:id/reviews',
    { config: { permission: 'request.read' }, schema: { ...reviewRoute, operationId: 'listDisclosureRequestReviews', summary: "The request's administrative reviews and lawsuits (行政复议, 行政诉讼), oldest first; outcome null: pending", params: Type.Object({ id: ID }), response: { 200: Type.Object({ items: Type.Array(ReviewOut) }), ...errors } } },
    async (req) => ({ items: (await listReviews(p, req.user!, req.params.id)).map(reviewOut) }),
  );
  app.post<{ Params: { id: number }; Body: Record<string, unknown> }>(
    '/api/v1/staff/disclosure-requests/:id/reviews',
    {
      config: { permission: 'request.litigation' },
      schema: { ...reviewRoute, operationId: 'addDisclosureRequestReview', summary: "Record a review or lawsuit about a received request (request.litigation in its department): filed not in the future nor before the request arrived; a suit-after-review names the request's decided review (409 while it is pending)", params: Type.Object({ id: ID }), body: Type.Object(ReviewFields, { additionalProperties: false }), response: { 201: ReviewOut, ...errors } },
    },
    async (req, reply) => reply.code(201).send(reviewOut(await addReview(p, req.user!, req.params.id, req.body))),
  );
  app.post<{ Params: { id: number; review: number }; Body: Record<string, unknown> }>(
    '/api/v1/staff/disclosure-requests/:id/reviews/:review/decision',
    {
      config: { permission: 'request.litigation' },
      schema: { ...reviewRoute, operationId: 'decideDisclosureRequestReview', summary: 'Record the outcome of a pending review or lawsuit: maintained 维持, corrected 纠正 or other 其他, decided on or after its filing and not in the future (409 when decided already: correct it instead)', params: ReviewParams, body: Type.Object({ outcome: e(REVIEW_OUTCOMES), decidedOn: DATE }, { additionalProperties: false }), response: { 200: ReviewOut, ...errors } },
    },
    async (req) => reviewOut(await decideReview(p, req.user!, req.params.id, req.params.review, req.body)),
  );
  app.patch<{ Params: { id: number; review: number }; Body: Record<string, unknown> }>(
    '/api/v1/staff/disclosure-requests/:id/reviews/:review',
    {
      config: { permission: 'request.litigation' },
      schema: {
        ...reviewRoute,
        operationId: 'correctDisclosureRequestReview',
        summary: 'Correct a mistaken entry: the fields given change (outcome null: pending again), with a reason; the audit keeps the old and new values. The same checks as recording; a review a suit follows stays a decided review',
        params: ReviewParams,
        body: Type.Object({ ...Object.fromEntries(Object.entries(ReviewFields).map(([k, s]) => [k, Type.Optional(s)])), outcome: Type.Optional(Nullable(e(REVIEW_OUTCOMES))), decidedOn: Type.Optional(Nullable(DATE)), reason: str(REVIEW_LIMITS.reason, 1) }, { additionalProperties: false }),
        response: { 200: ReviewOut, ...errors },
      },
    },
    async (req) => reviewOut(await correctReview(p, req.user!, req.params.id, req.params.review, req.body)),
  );
  app.delete<{ Params: { id: number; review: number }; Body: { reason: string; confirm: boolean } }>(
    '/api/v1/staff/disclosure-requests/:id/reviews/:review',
    {
      config: { permission: 'request.litigation' },
      schema: { ...reviewRoute, operationId: 'deleteDisclosureRequestReview', summary: 'Delete an entry made in error: confirm: true and a reason (audited with what was deleted); not a review a suit follows (409)', params: ReviewParams, body: Type.Object({ reason: str(REVIEW_LIMITS.reason, 1), confirm: Type.Boolean() }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      await deleteReview(p, req.user!, req.params.id, req.params.review, req.body);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/staff/disclosure-requests/:id/reply',
    { config: { permission: 'request.read' }, schema: { operationId: 'getDisclosureRequestReply', tags: ['staff'], summary: 'The reply and its letter as drafted, approved, signed, delivered (404 when none is drafted)', security: [{ bearer: [] }], params: Type.Object({ id: ID }), response: { 200: ReplyOut, ...errors } } },
    async (req) => {
      await staffView(p.db, req.user!, req.params.id);
      const x = await loadReply(p.db, req.params.id);
      if (!x) throw notFound('requests.err.no_reply');
      return replyOut(p, x);
    },
  );

  app.put<{ Params: { id: number }; Body: Record<string, any> }>(
    '/api/v1/staff/disclosure-requests/:id/reply',
    { config: { permission: 'request.read' }, bodyLimit: 64 * 1024 * 1024, schema: { operationId: 'draftDisclosureRequestReply', tags: ['staff'], summary: "Create or update the draft reply (request.handle): the type (Art. 36–39), its fields, the parts withheld, linked catalog items, files; the letter's text generated from the type's template unless given. Only while a draft", security: [{ bearer: [] }], params: Type.Object({ id: ID }), body: DraftBody, response: { 200: ReplyOut, ...errors } } },
    async (req) => {
      const b = req.body;
      const files = ((b.attachments ?? []) as { name: string; content: string }[]).map((f, i) => ({ buf: Buffer.from(f.content, 'base64'), name: f.name || `附件${i + 1}` }));
      await draftReply(p, req.user!, req.params.id, { type: b.type, fields: b.fields ?? {}, withheld: b.withheld ?? [], itemIds: b.itemIds ?? [], files, remove: b.removeAttachments, body: b.body, regenerate: b.regenerate });
      return replyOut(p, (await loadReply(p.db, req.params.id))!);
    },
  );
}
