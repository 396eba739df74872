// The module's JSON API. Every route names a declared action (a route naming an undeclared one
// fails at start-up) and has a TypeBox schema, so a bad request is a 400 naming the field.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../src/platform/platform.js';
import { ErrorSchema } from '../../src/platform/http/schemas.js';
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
    { config: { permission: 'notice.post' }, schema: { tags: ['staff'], summary: 'Publish a notice with a minimum display period', security: [{ bearer: [] }], body: NoticeBody, response: { 201: Type.Object({ id: Type.Integer(), indexNo: Type.String(), closesOn: Type.String() }), 400: ErrorSchema, 403: ErrorSchema } } },
    async (req, reply) => reply.code(201).send(await postNotice(p, req.user!, req.body)),
  );
  app.post<{ Params: { id: number }; Body: { reason: string } }>(
    '/api/v1/notices/:id/withdraw',
    { config: { permission: 'notice.post' }, schema: { tags: ['staff'], summary: 'Take a notice down (with a reason)', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 204: Type.Null(), 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } } },
    async (req, reply) => {
      await takeDown(p, req.user!, req.params.id, req.body.reason);
      return reply.code(204).send();
    },
  );
}
