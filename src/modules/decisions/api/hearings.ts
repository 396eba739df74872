// JSON API of hearings (听证). Staff (major-decision.edit, checked against the hearing's
// department): create and announce, prepare and run the participant draw, materials, the record
// and the signatures. Public: the hearing, the draw record (gongkai-hearing-draw/1), registration
// to take part, attendance (列席) and its cancellation — rate-limited per client address.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { clientLimit, type Limiter } from '../../../platform/http/limit.js';
import { clientIp } from '../../../platform/http/auth.js';
import { HearingDrawRecordSchema } from '../service/hearing-draw.js';
import { hearingFor } from '../service/access.js';
import { addMaterials, cancelHearing, announceHearing, applicantsFor, applyToHearing, createHearing, drawOf, HEARING_RATE_LIMIT, hearingView, LIMITS, markSigned, prepareHearingDraw, publicHearing, runHearingDraw, uploadRecord, type HearingView } from '../service/hearings.js';
import { cancelAttendance, registerAttendance } from '../service/attendance.js';
import { hearingPages } from '../public/hearings.js';
import { hearingConsole } from '../console/hearings.js';

/** Every route of the hearings part (module.ts calls this): the API, the public pages, the console. */
export async function hearingRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  const limit = clientLimit(p.db, { bucket: 'decisions.hearing', max: HEARING_RATE_LIMIT, message: 'decisions.hearings.err.rate_limited', perRoute: true });
  await hearingsApi(app, p, limit);
  await hearingPages(app, p, limit);
  await hearingConsole(app, p);
}

const TAG = 'major-decisions';
const errors = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const IdParams = Type.Object({ id: ID });
const HidParams = Type.Object({ hid: ID });
const str = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });
const INSTANT = Type.String({ maxLength: 40, description: 'ISO 8601 instant with offset, e.g. 2026-05-20T09:30:00+08:00' });
const VIEWPOINT = Type.String({ enum: ['for', 'against', 'other'] });
const STATE = Type.String({ enum: ['draft', 'announced', 'drawn', 'held', 'cancelled'] });

const CreateBody = Type.Object(
  {
    title: str(LIMITS.title),
    startsAt: INSTANT,
    place: str(LIMITS.place),
    selectionMethod: str(LIMITS.method, 'How participants are chosen (public text)'),
    participants: Type.Integer({ minimum: 1, maximum: LIMITS.participants, description: 'How many participants are drawn' }),
    stratified: Type.Optional(Type.Boolean({ description: 'Seats proportional to the viewpoints for / against / other' })),
    registrationClosesAt: INSTANT,
    attendanceCapacity: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.capacity, description: 'Public attendance (列席) seats; 0 = none' })),
    announce: Type.Optional(Type.Boolean({ description: 'false: keep it as a draft (default true: publish the notice now)' })),
  },
  { additionalProperties: false },
);
const FileOut = Type.Object({ fileId: Type.String({ description: "The file's SM3 hash" }), name: Type.String(), size: Type.Integer(), mime: Type.String(), url: Type.String() });
const HearingOut = Type.Object({
  id: ID,
  decisionId: ID,
  title: Type.String(),
  state: STATE,
  startsAt: Type.String(),
  place: Type.String(),
  selectionMethod: Type.String(),
  participants: Type.Integer(),
  stratified: Type.Boolean(),
  registrationClosesAt: Type.String(),
  registrationOpen: Type.Boolean(),
  attendanceCapacity: Type.Integer(),
  itemId: Nullable(ID),
  applicants: Type.Object({ total: Type.Integer(), for: Type.Integer(), against: Type.Integer(), other: Type.Integer() }),
  drawStatus: Type.String({ enum: ['none', 'prepared', 'done'] }),
  selected: Type.Array(Type.Object({ ref: Type.String(), name: Type.String({ description: 'masked' }), viewpoint: VIEWPOINT, signed: Type.Boolean() })),
  materials: Type.Array(FileOut),
  materialsPublishedAt: Nullable(Type.String()),
  record: Nullable(FileOut),
  attendance: Type.Object({ confirmed: Type.Integer(), waiting: Type.Integer() }),
  cancelledAt: Nullable(Type.String({ description: 'when the hearing was cancelled (state cancelled)' })),
  cancelReason: Type.String({ description: "the public reason of the cancellation ('' unless cancelled)" }),
  url: Type.String(),
});
const Upload = Type.Object({ filename: str(200), content: Type.String({ maxLength: 30_000_000, contentEncoding: 'base64', description: 'the file, base64' }) }, { additionalProperties: false });
const PersonFields = {
  name: str(LIMITS.name),
  phone: Type.Optional(str(20, 'a mobile number; phone and/or email required')),
  email: Type.Optional(str(LIMITS.email)),
};

const fileOut = (hid: number) => (f: { fileId: string; name: string; size: number; mime: string }) => ({ ...f, url: `/decisions/hearings/${hid}/files/${f.fileId}` });
export function hearingOut(v: HearingView) {
  const { draw, ...rest } = v;
  return { ...rest, drawStatus: draw ? draw.status : 'none', materials: v.materials.map(fileOut(v.id)), record: v.record ? fileOut(v.id)(v.record) : null, url: `/decisions/hearings/${v.id}` };
}

export async function hearingsApi(app: FastifyInstance, p: Platform, applyLimit: Limiter): Promise<void> {
  app.post<{ Params: { id: number }; Body: any }>(
    '/api/v1/major-decisions/:id/hearings',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'createDecisionHearing',
        tags: [TAG],
        summary: `听证: create a hearing on a decision and announce it (the notice is published). 400 naming startsAt when it starts within the notice period (setting decisions.hearing_notice_days, default 10 days, by Beijing dates)`,
        params: IdParams,
        body: CreateBody,
        response: { 201: HearingOut, ...errors },
      },
    },
    async (req, reply) => {
      const h = await createHearing(p, req.user!, req.params.id, req.body as Record<string, any>);
      return reply.code(201).send(hearingOut(await hearingView(p.db, h)));
    },
  );

  app.post<{ Params: { hid: number } }>(
    '/api/v1/hearings/:hid/announce',
    { config: { permission: 'major-decision.edit' }, schema: { operationId: 'announceHearing', tags: [TAG], summary: 'Announce a draft hearing (409 when it now starts within the notice period)', params: HidParams, response: { 200: HearingOut, ...errors } } },
    async (req) => hearingOut(await hearingView(p.db, await announceHearing(p, req.user!, req.params.hid))),
  );

  app.get<{ Params: { hid: number } }>(
    '/api/v1/hearings/:hid',
    { config: { permission: 'public' }, schema: { operationId: 'getHearing', tags: [TAG], summary: 'A hearing as the public sees it: notice, counts of applicants by viewpoint, the selected participants (names masked), materials, the record', params: HidParams, response: { 200: HearingOut, 404: ErrorSchema } } },
    async (req, reply) => {
      reply.header('cache-control', 'no-cache');
      return hearingOut(await hearingView(p.db, await publicHearing(p.db, req.params.hid)));
    },
  );

  app.get<{ Params: { hid: number } }>(
    '/api/v1/hearings/:hid/draw',
    {
      config: { permission: 'public' },
      schema: {
        operationId: 'getHearingDraw',
        tags: [TAG],
        summary: 'The record of the participant draw (gongkai-hearing-draw/1): everything needed to re-run it (docs/draws.md, "Hearing draw"); 404 before it is prepared',
        params: HidParams,
        response: { 200: HearingDrawRecordSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const draw = drawOf(await publicHearing(p.db, req.params.hid));
      if (!draw) throw notFound('decisions.hearings.err.no_draw');
      reply.header('cache-control', 'no-cache');
      return draw;
    },
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/applicants',
    {
      config: { permission: 'public' },
      preHandler: applyLimit,
      schema: {
        operationId: 'applyToHearing',
        tags: [TAG],
        summary: '听证参加人报名: apply to take part (no account); 409 once registration has closed (the message gives when) or for a contact already registered',
        params: HidParams,
        body: Type.Object({ ...PersonFields, viewpoint: VIEWPOINT, reason: str(LIMITS.reason) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ref: Type.String({ description: 'The registration number, as the draw record names it' }) }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await applyToHearing(p, req.params.hid, req.body as Record<string, any>, clientIp(req))),
  );

  app.get<{ Params: { hid: number } }>(
    '/api/v1/hearings/:hid/applicants',
    {
      config: { permission: 'major-decision.read' },
      schema: {
        operationId: 'listHearingApplicants',
        tags: [TAG],
        summary: "Staff: the applicants with their contacts (the hearing's department)",
        params: HidParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ ref: Type.String(), name: Type.String(), phone: Type.String(), email: Type.String(), viewpoint: VIEWPOINT, reason: Type.String(), selected: Type.Boolean(), signedAt: Nullable(Type.String()), createdAt: Type.String() })) }), 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { applicants } = await applicantsFor(p, req.user!, req.params.hid);
      return { items: applicants.map((a) => ({ ref: a.ref, name: a.name, phone: a.phone, email: a.email, viewpoint: a.viewpoint, reason: a.reason, selected: a.selected === 1, signedAt: a.signed_at, createdAt: a.created_at })) };
    },
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/draw/prepare',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'prepareHearingDraw',
        tags: [TAG],
        summary: "Freeze the applicants with two or more witnesses' commitments (SM3 of their secrets); after registration closes (409 before)",
        params: HidParams,
        body: Type.Object({ witnesses: Type.Array(Type.Object({ name: str(LIMITS.witnessName), commitment: str(64) }, { additionalProperties: false }), { maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: HearingDrawRecordSchema, ...errors },
      },
    },
    async (req) => prepareHearingDraw(p, req.user!, req.params.hid, req.body as Record<string, any>),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/draw',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'runHearingDraw',
        tags: [TAG],
        summary: 'Draw the participants: the witnesses reveal their secrets (each must match its commitment), with an optional public beacon',
        params: HidParams,
        body: Type.Object({ secrets: Type.Array(str(LIMITS.secret), { maxItems: 20 }), beacon: Type.Optional(str(LIMITS.beacon)) }, { additionalProperties: false }),
        response: { 200: HearingDrawRecordSchema, ...errors },
      },
    },
    async (req) => runHearingDraw(p, req.user!, req.params.hid, req.body as Record<string, any>),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/cancel',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'cancelHearing',
        tags: [TAG],
        summary: 'Cancel an announced or drawn hearing with a public reason: the notice is revised and every applicant and attendee told by SMS or e-mail; 409 once held or cancelled',
        params: HidParams,
        body: Type.Object({ reason: str(LIMITS.cancelReason) }, { additionalProperties: false }),
        response: { 200: Type.Object({ notified: Type.Integer({ description: 'messages queued, one per phone number or address' }) }), ...errors },
      },
    },
    async (req) => cancelHearing(p, req.user!, req.params.hid, req.body as Record<string, any>),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/materials',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'addHearingMaterials',
        tags: [TAG],
        summary: 'Publish materials; 409 later than 7 days before the hearing',
        params: HidParams,
        body: Type.Object({ files: Type.Array(Upload, { minItems: 1, maxItems: LIMITS.files }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ materials: Type.Array(FileOut) }), ...errors },
      },
    },
    async (req) => ({ materials: (await addMaterials(p, req.user!, req.params.hid, req.body as Record<string, any>)).map(fileOut(req.params.hid)) }),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/record',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'uploadHearingRecord',
        tags: [TAG],
        summary: 'Upload the record (听证笔录) once the hearing has taken place (409 before, or before the draw); the hearing is then held',
        params: HidParams,
        body: Type.Object({ file: Upload }, { additionalProperties: false }),
        response: { 200: FileOut, ...errors },
      },
    },
    async (req) => fileOut(req.params.hid)(await uploadRecord(p, req.user!, req.params.hid, req.body as Record<string, any>)),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/signatures',
    {
      config: { permission: 'major-decision.edit' },
      schema: {
        operationId: 'markHearingSignatures',
        tags: [TAG],
        summary: 'Mark selected participants as having signed the record (by registration number); 400 naming a ref that is not a participant',
        params: HidParams,
        body: Type.Object({ refs: Type.Array(str(20), { minItems: 1, maxItems: LIMITS.participants }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ signed: Type.Array(Type.String(), { description: 'newly marked' }) }), ...errors },
      },
    },
    async (req) => ({ signed: await markSigned(p, req.user!, req.params.hid, req.body as Record<string, any>) }),
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/attendance',
    {
      config: { permission: 'public' },
      preHandler: applyLimit,
      schema: {
        operationId: 'attendHearing',
        tags: [TAG],
        summary: '列席: register to attend; confirmed while seats are left, else on the waiting list. The cancel code is shown once',
        params: HidParams,
        body: Type.Object(PersonFields, { additionalProperties: false }),
        response: { 201: Type.Object({ status: Type.String({ enum: ['confirmed', 'waiting'] }), position: Nullable(Type.Integer({ description: 'place on the waiting list' })), cancelCode: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await registerAttendance(p, req.params.hid, req.body as Record<string, any>, clientIp(req)));
    },
  );

  app.post<{ Params: { hid: number }; Body: any }>(
    '/api/v1/hearings/:hid/attendance/cancel',
    {
      config: { permission: 'public' },
      preHandler: applyLimit,
      schema: {
        operationId: 'cancelHearingAttendance',
        tags: [TAG],
        summary: 'Cancel an attendance registration with its code; a confirmed seat goes to the first person waiting',
        params: HidParams,
        body: Type.Object({ code: str(100) }, { additionalProperties: false }),
        response: { 200: Type.Object({ cancelled: Type.Boolean(), promoted: Type.Boolean() }), ...errors },
      },
    },
    async (req) => cancelAttendance(p, req.params.hid, req.body as Record<string, any>),
  );

  // Staff may read a draft hearing too (the console uses the service directly; this is the API's).
  app.get<{ Params: { hid: number } }>(
    '/api/v1/staff/hearings/:hid',
    { config: { permission: 'major-decision.read' }, schema: { operationId: 'getStaffHearing', tags: [TAG], summary: "Staff: a hearing in any state (the hearing's department)", params: HidParams, response: { 200: HearingOut, 404: ErrorSchema } } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return hearingOut(await hearingView(p.db, await hearingFor(p.db, req.user!, req.params.hid, 'major-decision.read')));
    },
  );
}
