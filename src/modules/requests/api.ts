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
import { CHANNELS_WANTED, CONSULTATION_ANSWERS, CONSULTATION_KINDS, FEE_METHODS, FEE_STATUSES, FORMS_WANTED, ID_KINDS, INTAKE_CHANNELS, isOrganisation, REQUEST_STATES, REQUESTER_TYPES, STAFF_CHANNELS } from './schema.js';
import { MAX_PROOFS, storeProof, submitRequest, type StoredProof } from './service/intake.js';
import { findWithCode, staffList } from './service/queries.js';
import { runAction } from './service/actions.js';
import { OUTCOMES } from './service/outcomes.js';
import { citizenView, staffView } from './views.js';
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

const ActionOut = Type.Object({ state: e(REQUEST_STATES), receivedOn: Nullable(DATE), dueDate: Nullable(DATE) });

/** The staff steps: path, operationId, summary, body. */
const STEPS: { action: string; op: string; summary: string; body: TSchema }[] = [
  { action: 'confirm-receipt', op: 'confirmDisclosureRequestReceipt', summary: 'Record the confirming event (Art. 31): the day both sides confirmed is the receipt date; the reply clock starts', body: Type.Object({ on: Type.Optional(DATE), how: Type.Optional(str(500)) }, { additionalProperties: false }) },
  { action: 'correction', op: 'askDisclosureRequestCorrection', summary: 'The one correction notice (补正, Art. 30), within 7 working days of receipt: every point and the deadline; the reply clock stops (409 for a second notice or a late one)', body: Type.Object({ items: Type.Array(str(500, 1), { minItems: 1, maxItems: 10 }), due: Type.Optional(DATE), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'corrected', op: 'recordDisclosureRequestCorrection', summary: 'The corrected request arrived (by the deadline): the reply clock starts again from that day', body: Type.Object({ on: Type.Optional(DATE), note: Type.Optional(str(1000)) }, { additionalProperties: false }) },
  { action: 'extension', op: 'askDisclosureRequestExtension', summary: 'Ask for the one extension (延期, Art. 33): at most 20 working days, with the reason (409 for a second)', body: Type.Object({ workdays: Type.Integer({ minimum: 1, maximum: 365 }), reason: str(500, 1) }, { additionalProperties: false }) },
  { action: 'extension-decision', op: 'decideDisclosureRequestExtension', summary: "The office head's decision (request.approve-extension in the request's department, not the asker); approved: the clock is extended and the requester told", body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(str(500)) }, { additionalProperties: false }) },
  { action: 'consult', op: 'openDisclosureRequestConsultation', summary: "Ask a third party (Art. 32) or another agency (Art. 34) for its opinion, 15 working days; the reply clock pauses", body: Type.Object({ kind: e(CONSULTATION_KINDS), party: str(100, 1), on: Type.Optional(DATE), note: Type.Optional(str(1000)) }, { additionalProperties: false }) },
  { action: 'fee-notice', op: 'noticeDisclosureRequestFee', summary: "The fee notice (信息处理费, Art. 42; the request being handled): method `count` (the request's ordinal among the requester's requests received that calendar month) or `pages` (with `pages`); the amount is computed by the server, the pay-by date is the notice day + the setting requests.fee_days (20) working days; the reply clock pauses (kind fee). 409 for a zero fee (本申请不收费) or a second notice", body: Type.Object({ method: e(FEE_METHODS), pages: Type.Optional(Type.Integer()), how: Type.Optional(str(500)), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'fee-paid', op: 'recordDisclosureRequestFeePaid', summary: 'The fee was paid on `on` (not before the notice; after the pay-by date: 409): the reply clock resumes that day and the requester is told the new due date', body: Type.Object({ on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'fee-withdraw', op: 'withdrawDisclosureRequestFee', summary: 'The office withdraws the fee notice with the reason: the reply clock resumes on `on`', body: Type.Object({ reason: str(500, 1), on: Type.Optional(DATE) }, { additionalProperties: false }) },
  { action: 'refer', op: 'referDisclosureRequestComplaint', summary: 'A complaint filed as a request (Art. 39): closed as 不予处理/信访举报投诉类申请 and handed to the complaint desk when one is mounted', body: Type.Object({ note: Type.Optional(str(1000)) }, { additionalProperties: false }) },
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
      const v = await citizenView(p.db, r);
      return { ...v, events: v.events.map((x) => ({ on: x.on, kind: x.kind, note: x.note, data: x.data })) };
    },
  );

  app.get('/api/v1/disclosure-requests/outcomes', { config: { permission: 'public' }, schema: { operationId: 'listDisclosureRequestOutcomes', tags: ['public'], summary: "The outcomes of a request: the annual report's Table 三 rows 三（一）…（六） with their numbered reasons, labels and legal basis", response: { 200: OutcomesOut } } }, async () => ({ groups: OUTCOMES }));

  // ---- staff ----
  app.get<{ Querystring: { state?: string; channel?: string; department?: string; q?: string; overdue?: boolean; page?: number; pageSize?: number } }>(
    '/api/v1/staff/disclosure-requests',
    {
      config: { permission: 'request.read' },
      schema: {
        operationId: 'listDisclosureRequests',
        tags: ['staff'],
        summary: "The requests of the caller's departments, newest first (overdue: the reply clock's due date has passed)",
        security: [{ bearer: [] }],
        querystring: Type.Object({ state: Type.Optional(Type.String({ enum: [...REQUEST_STATES, 'open', ''] })), channel: Type.Optional(Type.String({ enum: [...INTAKE_CHANNELS, ''] })), department: Type.Optional(Type.String({ maxLength: 32 })), q: Type.Optional(Type.String({ maxLength: 50 })), overdue: Type.Optional(Type.Boolean()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: ListOut, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await staffList(p.db, req.user!, { state: q.state || undefined, channel: q.channel || undefined, department: q.department || undefined, q: q.q || undefined, overdue: q.overdue, page: q.page ?? 1, pageSize: q.pageSize ?? 30 });
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
}
