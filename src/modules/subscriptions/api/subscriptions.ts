// JSON API of subscriptions: the API form of subscribing (the same double opt-in — the owner of
// the address confirms by link or code), confirming an SMS code, and for staff the counts per
// subscriber list (never addresses here).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { clientLimit } from '../../../platform/http/limit.js';
import { FREQUENCIES, SUB_CHANNELS } from '../schema.js';
import { confirmByCode, subscribe } from '../service/subscribe.js';
import { listCounts } from '../service/staff.js';

const TAG = 'subscriptions';
const s = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

export function subscriptionsApi(app: FastifyInstance, p: Platform): void {
  const limit = clientLimit(p.db, { bucket: 'subscriptions.api', max: 10, message: 'subscriptions.err.rate_limited' });
  app.post<{ Body: Record<string, string> }>(
    '/api/v1/subscriptions',
    {
      config: { permission: 'public' },
      preHandler: limit,
      schema: {
        operationId: 'subscribe',
        tags: [TAG],
        summary:
          'Subscribe an e-mail address or mobile number to a target (at least one of dept, topic, genre, type, cat, item, q). Pending until confirmed: an e-mail gets a confirmation link, a mobile a 6-digit code to POST to /api/v1/subscriptions/confirmations with the verifyToken. 400 naming the field; 429 over the budget (per client, and 5 confirmations an hour per address)',
        body: Type.Object(
          {
            channel: Type.String({ enum: [...SUB_CHANNELS] }),
            address: Type.String({ maxLength: 200, description: 'an e-mail address or an 11-digit mainland mobile number' }),
            frequency: Type.Optional(Type.String({ enum: [...FREQUENCIES] })),
            dept: s(12, 'department id'),
            topic: s(4, '主题分类 code, 2 or 4 digits'),
            genre: s(20, '体裁, e.g. 通知'),
            type: s(40, 'item type, e.g. document, penalty, decision-consultation'),
            cat: s(20, 'Art. 20 category code, e.g. a20-06'),
            item: s(12, "one public item's id (its new versions, withdrawal, end of validity); alone"),
            q: s(100, 'saved search: every keyword must appear in the item'),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ subscriptionId: Type.Integer(), channel: Type.String(), verifyToken: Type.Optional(Type.String()), already: Type.Boolean() }) },
      },
    },
    async (req, reply) => reply.code(202).send(await subscribe(p, { ...req.body, locale: req.locale })),
  );

  app.post<{ Body: { verifyToken: string; code: string } }>(
    '/api/v1/subscriptions/confirmations',
    {
      config: { permission: 'public', csrf: false },
      preHandler: limit,
      schema: {
        operationId: 'confirmSubscriptionCode',
        tags: [TAG],
        summary: 'Confirm a subscription by the SMS code. 400 naming code (wrong, expired, locked after 5 tries); 404 for an unknown or expired token',
        body: Type.Object({ verifyToken: Type.String({ maxLength: 120 }), code: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ subscriptionId: Type.Integer(), state: Type.Literal('active') }) },
      },
    },
    async (req) => {
      const r = await confirmByCode(p, req.body.verifyToken, req.body.code);
      return { subscriptionId: r.subscriptionId, state: 'active' as const };
    },
  );

  app.get(
    '/api/v1/staff/subscriptions/lists',
    {
      config: { permission: 'subscriptions.read' },
      schema: {
        operationId: 'subscriptionListCounts',
        tags: [TAG],
        summary: 'Subscriber lists with their active subscriptions per channel and frequency (counts only)',
        response: {
          200: Type.Object({
            lists: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), departmentId: Type.Union([Type.Integer(), Type.Null()]), email: Type.Integer(), sms: Type.Integer(), immediately: Type.Integer(), daily: Type.Integer(), weekly: Type.Integer(), pending: Type.Integer() })),
          }),
        },
      },
    },
    async (req) => ({ lists: await listCounts(p, req.locale) }),
  );
}
