// JSON API of credit repair (信用修复) and of ending a decision's display. Public: apply (no
// account), the applicant's status with the query code (in the body). Staff (Bearer): the
// applications of the caller's departments, one application, its review; a decision revoked or
// changed taken down at once.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { SEVERITIES } from '../service/codes.js';
import { applicantView, findWithCode, LIMITS, listRepairs, MAX_EVIDENCE, repairFor, REPAIR_STATES, reviewRepair, storeEvidence, submitRepair, type Evidence } from '../service/repairs.js';
import { endByStaff, STAFF_END_REASONS } from '../service/display.js';

// Beyond the platform's own answers (400, 401/403, 404, 409/413/415 with a body, 429): an image that does not decode.
const errors = { 422: ErrorSchema };
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const DATE = Type.String({ format: 'date' });
const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const str = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });
const e = <T extends readonly string[]>(xs: T) => Type.String({ enum: [...xs] });

const ApplyBody = Type.Object(
  {
    docNo: str(LIMITS.docNo, '决定书文号, as on the penalty decision'),
    creditCode: Type.Optional(str(30, "the subject's 统一社会信用代码 (legal persons and others; a natural person gives idNumber instead)")),
    idNumber: Type.Optional(str(30, "a natural person's resident ID number, as the decision names it")),
    applicant: str(LIMITS.applicant, 'who applies (the legal representative or an agent)'),
    phone: Type.Optional(str(20, 'a mobile number (SMS); phone and/or email required')),
    email: Type.Optional(str(LIMITS.email)),
    commitment: str(LIMITS.commitment, `信用修复承诺书: at least ${LIMITS.commitmentMin} characters`),
    evidence: Type.Optional(Type.Array(Type.Object({ name: str(120), content: Type.String({ maxLength: 7_000_000, contentEncoding: 'base64', description: 'the file, base64 (PDF, JPEG, PNG, GIF or WebP, ≤ 5 MB)' }) }, { additionalProperties: false }), { maxItems: MAX_EVIDENCE })),
  },
  { additionalProperties: false },
);
const Submitted = Type.Object({ trackingNo: Type.String(), queryCode: Type.String({ description: 'shown this once: with the tracking number it opens the status' }), status: e(REPAIR_STATES), dueDate: DATE, statusUrl: Type.String() });

const DecisionOut = Type.Object({
  id: ID,
  docNo: Type.String(),
  department: Type.String(),
  subjectName: Type.String({ description: "a natural person's name is masked for the applicant" }),
  decisionDate: DATE,
  severity: Type.String({ enum: [...SEVERITIES, ''] }),
  status: Type.String({ description: "the decision's status: published (on display), ended…" }),
  endReason: Nullable(Type.String()),
  displayMinUntil: Nullable(DATE),
  displayUntil: Nullable(DATE),
  endedOn: Nullable(DATE),
});
const StatusOut = Type.Object({
  trackingNo: Type.String(),
  status: e(REPAIR_STATES),
  submittedOn: DATE,
  dueDate: Nullable(DATE),
  decidedOn: Nullable(DATE),
  reviewNote: Type.String({ description: "the reviewer's reason or note (personal data masked)" }),
  applicant: Type.String({ description: 'masked' }),
  phone: Type.String({ description: 'masked' }),
  email: Type.String({ description: 'masked' }),
  evidence: Type.Integer({ description: 'how many evidence files were given' }),
  decision: DecisionOut,
});
const ListOut = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Type.Object({ id: ID, trackingNo: Type.String(), status: e(REPAIR_STATES), submittedOn: DATE, dueDate: Nullable(DATE), overdue: Type.Boolean(), decidedOn: Nullable(DATE), applicant: Type.String(), decisionId: ID, docNo: Type.String(), subjectName: Type.String(), department: Type.String() })),
});
const EvidenceOut = Type.Object({ name: Type.String(), mime: Type.String(), size: Type.Integer(), url: Type.String({ description: 'staff download (console session)' }) });
const DetailOut = Type.Object({
  id: ID,
  trackingNo: Type.String(),
  status: e(REPAIR_STATES),
  submittedOn: DATE,
  dueDate: Nullable(DATE),
  decidedOn: Nullable(DATE),
  reviewer: Nullable(Type.String()),
  reviewNote: Type.String(),
  applicant: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  commitment: Type.String(),
  evidence: Type.Array(EvidenceOut),
  decision: DecisionOut,
});
const EndOut = Type.Object({ id: ID, status: Type.String(), endReason: Nullable(Type.String()), endNote: Type.String(), endedOn: Nullable(DATE) });

async function decodeEvidence(p: Platform, list: { name: string; content: string }[] | undefined): Promise<Evidence[]> {
  const out: Evidence[] = [];
  for (const [i, f] of (list ?? []).entries()) out.push(await storeEvidence(p, Buffer.from(f.content, 'base64'), f.name || `evidence-${i + 1}`, `evidence.${i}`));
  return out;
}

export const evidenceUrl = (id: number, n: number) => `/admin/enforcement/repairs/${id}/evidence/${n}`;

export async function repairsApi(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.post<{ Body: any }>(
    '/api/v1/credit-repairs',
    {
      config: { permission: 'public' },
      // After validation: a malformed body is answered 400 without spending the budget.
      preHandler: submitLimit,
      schema: {
        operationId: 'applyCreditRepair',
        tags: ['decisions'],
        summary:
          '信用修复: apply to end the display of a penalty decision early, after its minimum period (no account). 400 naming the field (docNo when no decision of that subject has the number); 409 before the minimum (the message gives the first possible day), for a decision not on display (轻微, licensing, ended) or when an application for it is under review',
        body: ApplyBody,
        response: { 201: Submitted, ...errors },
      },
    },
    async (req, reply) => {
      const { evidence, ...fields } = req.body as Record<string, any>;
      const s = await submitRepair(p, { ...fields, evidence: await decodeEvidence(p, evidence) });
      return reply.code(201).send({ trackingNo: s.trackingNo, queryCode: s.queryCode, status: s.status, dueDate: s.dueDate, statusUrl: `/enforcement/credit-repair/track?no=${s.trackingNo}` });
    },
  );

  app.post<{ Params: { trackingNo: string }; Body: { code: string } }>(
    '/api/v1/credit-repairs/:trackingNo/lookup',
    {
      config: { permission: 'public' },
      preHandler: codeLimit,
      schema: {
        operationId: 'lookupCreditRepair',
        tags: ['decisions'],
        summary: "The applicant's own application with the query code in the body: state, due date, the reviewer's reason, the decision's display (a wrong number or code → the same 404; after 5 wrong codes the number is locked: 429)",
        params: Type.Object({ trackingNo: Type.String({ maxLength: 40 }) }),
        body: Type.Object({ code: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: StatusOut },
      },
    },
    async (req, reply) => {
      const r = await findWithCode(p.db, req.params.trackingNo, req.body.code);
      if (!r) throw notFound('enforcement.repair_err.no_application');
      reply.header('cache-control', 'no-store');
      return applicantView(p.db, r);
    },
  );

  app.get<{ Querystring: { status?: string; page?: number; pageSize?: number } }>(
    '/api/v1/staff/credit-repairs',
    {
      config: { permission: 'credit.repair' },
      schema: {
        operationId: 'listCreditRepairs',
        tags: ['decisions'],
        summary: "Credit-repair applications of the departments where the caller reviews them (credit.repair), those under review first, with the review clock's due date",
        querystring: Type.Object({ status: Type.Optional(Type.String({ enum: [...REPAIR_STATES, ''] })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: ListOut },
      },
    },
    async (req) => {
      const r = await listRepairs(p.db, req.user!, { status: req.query.status || undefined, page: req.query.page, pageSize: req.query.pageSize });
      return { total: r.total, items: r.items.map((x) => ({ id: x.id, trackingNo: x.tracking_no, status: x.status as never, submittedOn: x.submittedOn, dueDate: x.dueDate, overdue: x.overdue, decidedOn: x.decidedOn, applicant: x.applicant, decisionId: x.decision_id, docNo: x.doc_no, subjectName: x.subject_name, department: x.department })) };
    },
  );

  const detail = async (user: NonNullable<Parameters<typeof repairFor>[1]>, id: number) => {
    const x = await repairFor(p.db, user, id);
    const r = x.row;
    return {
      id: r.id,
      trackingNo: r.tracking_no,
      status: r.status as never,
      submittedOn: shanghaiDate(r.created_at),
      dueDate: x.clock?.due ?? null,
      decidedOn: r.decided_at ? shanghaiDate(r.decided_at) : null,
      reviewer: r.reviewer_id,
      reviewNote: r.review_note,
      applicant: r.applicant,
      phone: r.phone,
      email: r.email,
      commitment: r.commitment,
      evidence: x.evidence.map((f, i) => ({ name: f.name, mime: f.mime, size: f.size, url: evidenceUrl(r.id, i + 1) })),
      decision: x.brief,
    };
  };

  app.get<{ Params: { id: number } }>(
    '/api/v1/staff/credit-repairs/:id',
    { config: { permission: 'credit.repair' }, schema: { operationId: 'getCreditRepair', tags: ['decisions'], summary: 'One application as its reviewers see it: contacts, commitment, evidence files, the decision and its display period (404 outside the caller’s departments)', params: Type.Object({ id: ID }), response: { 200: DetailOut } } },
    async (req) => detail(req.user!, req.params.id),
  );

  app.post<{ Params: { id: number }; Body: { approve: boolean; note?: string } }>(
    '/api/v1/staff/credit-repairs/:id/review',
    {
      config: { permission: 'credit.repair' },
      schema: {
        operationId: 'reviewCreditRepair',
        tags: ['decisions'],
        summary: "Approve (the decision's display ends at once, 'repaired') or reject with the reason in `note` (the display goes on); the review clock completed and the applicant told by SMS / e-mail. 409 when already decided",
        params: Type.Object({ id: ID }),
        body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(str(LIMITS.note, 'required (≥ 4 characters) to reject')) }, { additionalProperties: false }),
        response: { 200: DetailOut },
      },
    },
    async (req) => {
      await reviewRepair(p, req.user!, req.params.id, req.body);
      return detail(req.user!, req.params.id);
    },
  );

  app.post<{ Params: { id: number }; Body: { reason: string; note: string; confirm: boolean } }>(
    '/api/v1/staff/enforcement-decisions/:id/end',
    {
      config: { permission: 'decision.approve' },
      schema: {
        operationId: 'endEnforcementDecisionDisplay',
        tags: ['decisions'],
        summary: "A decision revoked (撤销) or changed (变更) is taken down at once: `reason` revoked|changed, `note` what was decided (≥ 4 characters), `confirm: true`. decision.approve in the decision's department; the public page keeps only the notice. 409 when it is not on display",
        params: Type.Object({ id: ID }),
        body: Type.Object({ reason: e(STAFF_END_REASONS), note: str(1000), confirm: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: EndOut },
      },
    },
    async (req) => {
      const d = await endByStaff(p, req.user!, req.params.id, req.body);
      return { id: d.id, status: d.status, endReason: d.end_reason, endNote: d.end_note, endedOn: d.ended_at ? shanghaiDate(d.ended_at) : null };
    },
  );
}
