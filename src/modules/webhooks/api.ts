// The JSON API of webhook endpoints (staff, `channels.webhooks`, scoped to the caller's
// departments: another department's endpoint is 404): list, register (the secret in the answer,
// this once), one endpoint with its last 50 tries and ledger rows, and replay of a delivery.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { ErrorSchema } from '../../platform/http/schemas.js';
import { WEBHOOK_EVENTS } from './schema.js';
import { ACTION, createEndpoint, endpointFor, LIMITS, listEndpoints } from './service/endpoints.js';
import { attemptsOf, deliveriesOf, replayDelivery } from './service/deliveries.js';

const TAGS = ['webhooks'];
const IdInt = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Event = Type.String({ enum: [...WEBHOOK_EVENTS] });
const Endpoint = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  itemTypes: Type.Array(Type.String(), { description: '[] = every type' }),
  departmentIds: Type.Array(Type.Integer(), { description: '[] = every department' }),
  state: Type.String({ enum: ['active', 'paused'] }),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Attempt = Type.Object({ id: Type.Integer(), deliveryId: Type.Integer(), attempt: Type.Integer(), startedAt: Type.String(), status: Nullable(Type.Integer()), ms: Type.Integer(), error: Nullable(Type.String()), response: Nullable(Type.String({ description: 'The first 1 KB of the answer' })) });
const Delivery = Type.Object({ id: Type.Integer(), itemId: Type.Integer(), title: Type.String(), version: Type.Integer(), event: Type.String(), kind: Type.String(), state: Type.String({ description: 'queued | delivered | failed | suppressed' }), attempts: Type.Integer(), ref: Nullable(Type.String()), reason: Nullable(Type.String()), queuedAt: Type.String() });
const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.name }),
    url: Type.String({ minLength: 1, maxLength: LIMITS.url, description: 'https (or an allow-listed address); vetted by the outbound guard: 400 naming url when refused' }),
    events: Type.Array(Event, { minItems: 1, maxItems: WEBHOOK_EVENTS.length }),
    itemTypes: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100 })),
    departmentIds: Type.Optional(Type.Array(IdInt, { maxItems: 500, description: "[] = every department (global grant only); a department administrator names their own" })),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ id: IdInt });
const IdDid = Type.Object({ id: IdInt, did: IdInt });

export async function webhooksApi(app: FastifyInstance, p: Platform): Promise<void> {
  const cfg = { permission: ACTION };
  app.get('/api/v1/channels/webhooks', { config: cfg, schema: { tags: TAGS, summary: 'The webhook endpoints the caller may manage', response: { 200: Type.Object({ endpoints: Type.Array(Endpoint) }) } } }, async (req) => ({ endpoints: await listEndpoints(p.db, req.user!) }));
  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/channels/webhooks',
    { config: cfg, schema: { tags: TAGS, summary: 'Register an endpoint; the answer holds its signing secret, shown this once', body: CreateBody, response: { 201: Type.Object({ endpoint: Endpoint, secret: Type.String() }), 400: ErrorSchema } } },
    async (req, reply) => reply.code(201).send(await createEndpoint(p, req.user!, req.body)),
  );
  app.get<{ Params: Static<typeof Id> }>(
    '/api/v1/channels/webhooks/:id',
    { config: cfg, schema: { tags: TAGS, summary: 'One endpoint with its last 50 tries and its last 50 ledger rows', params: Id, response: { 200: Type.Object({ endpoint: Endpoint, attempts: Type.Array(Attempt), deliveries: Type.Array(Delivery) }), 404: ErrorSchema } } },
    async (req) => {
      const endpoint = await endpointFor(p.db, req.user!, req.params.id);
      const [attempts, deliveries] = await Promise.all([attemptsOf(p.db, endpoint.id), deliveriesOf(p.db, endpoint.id)]);
      return { endpoint, attempts, deliveries };
    },
  );
  app.post<{ Params: Static<typeof IdDid> }>(
    '/api/v1/channels/webhooks/:id/deliveries/:did/replay',
    { config: cfg, schema: { tags: TAGS, summary: 'Send a delivery again (same body, new signature); 409 while it is queued', params: IdDid, response: { 202: Type.Object({ replay: Type.Integer() }), 404: ErrorSchema, 409: ErrorSchema } } },
    async (req, reply) => reply.code(202).send({ replay: await replayDelivery(p, req.user!, req.params.id, req.params.did) }),
  );
}
