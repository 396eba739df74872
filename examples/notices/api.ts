// The module's JSON API. Every route names a declared action (a route naming an undeclared one
// fails at start-up) and has a TypeBox schema, so a bad request is a 400 naming the field. The
// API document gets the rest from the platform: operationId (postNotices, postNoticesByIdWithdraw),
// the module's tag, security from the permission, and 400/401/403/404/409/413/415/503.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../src/platform/platform.js';
import { postNotice, takeDown } from './service.js';

const NoticeBody = Type.Object(
  {
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 5000 }),
    displayDays: Type.Integer({ minimum: 5, maximum: 90 }),
    notify: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false },
);

export async function noticesApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.post<{ Body: Static<typeof NoticeBody> }>(
    '/api/v1/notices',
    { config: { permission: 'notice.post' }, schema: { summary: 'Publish a notice with a minimum display period', body: NoticeBody, response: { 201: Type.Object({ id: Type.Integer(), indexNo: Type.String(), closesOn: Type.String() }) } } },
    async (req, reply) => reply.code(201).send(await postNotice(p, req.user!, req.body)),
  );
  app.post<{ Params: { id: number }; Body: { reason: string } }>(
    '/api/v1/notices/:id/withdraw',
    { config: { permission: 'notice.post' }, schema: { summary: 'Take a notice down (with a reason)', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 204: Type.Null() } } },
    async (req, reply) => {
      await takeDown(p, req.user!, req.params.id, req.body.reason);
      return reply.code(204).send();
    },
  );
}
