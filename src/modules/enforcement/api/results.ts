// Staff API of the draw workflow and the results: prepare a task's draw (witness commitments),
// draw it (secrets, beacon), the caller's own inspections, enter a result, publish the 结果公告.
// The public record of a draw is GET /api/v1/inspections/draws/{id} (api/draws.ts).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { RESULT_CODES } from '../service/codes.js';
import { BEACON_MAX, MAX_WITNESSES, SECRET_MAX, WITNESS_NAME_MAX, drawTask, prepareDraw } from '../service/draws.js';
import { NOTE_MAX, enterResult, myChecks, publishResults } from '../service/results.js';

const ID = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Params = Type.Object({ id: ID });
const tags = ['inspections'];

const PrepareBody = Type.Object(
  {
    witnesses: Type.Array(
      Type.Object(
        {
          name: Type.String({ maxLength: WITNESS_NAME_MAX * 2, description: 'The witness (见证人) as published' }),
          commitment: Type.String({ maxLength: 64, description: "SM3-hex (64 characters) of the witness's secret, computed by the witness" }),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_WITNESSES, description: 'Two or more witnesses, in the order their secrets will be revealed' },
    ),
  },
  { additionalProperties: false },
);
const Prepared = Type.Object({
  id: Type.Integer({ description: 'The draw (and its notice in the spine): /enforcement/draws/{id}' }),
  itemId: Type.Integer(),
  sampleSize: Type.Integer(),
  perTarget: Type.Integer(),
  targets: Type.Integer({ description: 'Size of the frozen target pool' }),
  inspectors: Type.Integer({ description: 'Size of the frozen inspector pool' }),
  qualified: Type.Integer({ description: "Inspectors of the pool with the matter's field" }),
  conflicts: Type.Integer(),
  inputsDigest: Type.String({ description: 'SM3 of the canonical JSON of the frozen inputs' }),
});
const RunBody = Type.Object(
  {
    secrets: Type.Array(Type.String({ maxLength: SECRET_MAX }), { maxItems: MAX_WITNESSES, description: "The witnesses' secrets, in witness order" }),
    beacon: Type.Optional(Type.String({ maxLength: BEACON_MAX, description: 'A public beacon value (optional)' })),
  },
  { additionalProperties: false },
);
const Selection = Type.Array(Type.Object({ target: Type.String(), inspectors: Type.Array(Type.String()) }));
const Drawn = Type.Object({ id: Type.Integer(), seed: Type.String(), selection: Selection });
const Check = Type.Object({
  id: Type.Integer(),
  taskId: Type.Integer(),
  task: Type.String(),
  taskState: Type.String(),
  matterName: Type.String(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  ordinal: Type.Integer(),
  creditCode: Type.String(),
  name: Type.String(),
  address: Type.String(),
  inspectors: Type.Array(Type.String()),
  result: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  enteredAt: Type.Union([Type.String(), Type.Null()]),
});
const ResultBody = Type.Object(
  {
    result: Type.String({ enum: [...RESULT_CODES], description: 'The result code (enforcement.result.<code>)' }),
    note: Type.Optional(Type.String({ maxLength: NOTE_MAX * 2, description: 'Internal note (not published)' })),
  },
  { additionalProperties: false },
);

export async function resultsApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.post<{ Params: Static<typeof Params>; Body: Static<typeof PrepareBody> }>(
    '/api/v1/inspections/tasks/:id/draw',
    {
      config: { permission: 'inspection.plan' },
      schema: { tags, summary: "Prepare a pending task's draw: freeze the pools, conflicts and sample size, take the witnesses' commitments and publish the draw notice (抽取公告)", params: Params, body: PrepareBody, response: { 201: Prepared, 409: ErrorSchema } },
    },
    async (req, reply) => reply.code(201).send(await prepareDraw(p, req.user!, req.params.id, req.body)),
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof RunBody> }>(
    '/api/v1/inspections/tasks/:id/draw/run',
    {
      config: { permission: 'inspection.plan' },
      schema: { tags, summary: "Draw a prepared task: the witnesses' secrets (each must match its commitment) and an optional beacon; computes gongkai-draw/1 and publishes the selection", params: Params, body: RunBody, response: { 200: Drawn, 409: ErrorSchema } },
    },
    async (req) => drawTask(p, req.user!, req.params.id, req.body),
  );

  app.get(
    '/api/v1/inspections/checks',
    { config: { permission: 'inspection.result' }, schema: { tags, summary: "The caller's inspections: open checks assigned to an inspector linked to the caller's account", response: { 200: Type.Object({ items: Type.Array(Check) }) } } },
    async (req) => ({ items: await myChecks(p.db, req.user!) }),
  );

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof ResultBody> }>(
    '/api/v1/inspections/checks/:id/result',
    {
      config: { permission: 'inspection.result' },
      schema: { tags, summary: "Enter or correct a check's result (only an inspector the draw assigned to it, through the linked account)", params: Params, body: ResultBody, response: { 200: Type.Object({ id: Type.Integer(), result: Type.String(), taskState: Type.String() }), 409: ErrorSchema } },
    },
    async (req) => enterResult(p, req.user!, req.params.id, req.body),
  );

  app.post<{ Params: Static<typeof Params> }>(
    '/api/v1/inspections/tasks/:id/results/publish',
    {
      config: { permission: 'inspection.publish' },
      schema: { tags, summary: "Publish a completed task's results notice (结果公告); completes the results clock", params: Params, response: { 200: Type.Object({ itemId: Type.Integer(), indexNo: Type.Union([Type.String(), Type.Null()]) }), 409: ErrorSchema } },
    },
    async (req) => publishResults(p, req.user!, req.params.id),
  );
}
