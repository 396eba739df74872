// JSON API of the organisation: who am I, staff users, departments.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../../platform/http/schemas.js';
import type { Platform } from '../../platform/platform.js';
import { can } from '../../platform/auth/policy.js';
import { notFound } from '../../platform/errors.js';
import { createUser, getUser, listDepartments, listUsers, setRoles, updateUser } from './service.js';

const RoleSchema = Type.Union([
  Type.String({ enum: ['admin', 'dept-admin', 'editor', 'reviewer', 'approver', 'supervisor', 'operator', 'inspector'] }),
  Type.Object({ role: Type.String(), department: Type.Optional(Type.String()), includeChildren: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
]);

const UserOut = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  department: Type.String(),
  departmentName: Type.String(),
  active: Type.Boolean(),
  isDemo: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  roles: Type.Array(Type.Object({ role: Type.String(), department: Type.String(), includeChildren: Type.Boolean() })),
  createdAt: Type.String(),
});

const UserListOut = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      username: Type.String(),
      displayName: Type.String(),
      active: Type.Boolean(),
      isDemo: Type.Boolean(),
      department: Type.String(),
      departmentName: Type.String(),
      roles: Type.Array(Type.Object({ role: Type.String(), department: Type.String(), departmentName: Type.String(), includeChildren: Type.Boolean() })),
    }),
  ),
});

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export async function orgApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get(
    '/api/v1/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['staff'],
        summary: 'The calling staff user',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ username: Type.String(), displayName: Type.String(), department: Type.String(), roles: Type.Array(Type.String()), grants: Type.Array(Type.Object({ role: Type.String(), department: Type.String(), includeChildren: Type.Boolean() })) }), 401: ErrorSchema },
      },
    },
    async (req) => {
      const u = req.user!;
      return {
        username: u.username,
        displayName: u.displayName,
        department: u.departmentCode,
        roles: [...new Set(u.grants.map((g) => g.role))],
        grants: u.grants.map((g) => ({ role: g.role, department: g.departmentCode, includeChildren: g.includeChildren })),
      };
    },
  );

  app.post<{ Body: { username: string; password: string; displayName?: string; email?: string; department: string; roles: any[] } }>(
    '/api/v1/users',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['staff'],
        summary: 'Create a staff user (admin, or dept-admin within their department)',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 32 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
            displayName: Type.Optional(Type.String({ maxLength: 100 })),
            email: Type.Optional(Type.String({ maxLength: 200 })),
            department: Type.String({ minLength: 1, maxLength: 32 }),
            roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserOut, ...errors },
      },
    },
    async (req, reply) => {
      const user = await createUser(p, req.user!, req.body);
      return reply.code(201).send(user);
    },
  );

  app.get<{ Querystring: { q?: string; department?: string; page?: number; pageSize?: number } }>(
    '/api/v1/users',
    {
      config: { permission: 'user.read' },
      schema: {
        tags: ['staff'],
        summary: 'Staff users the caller may see',
        security: [{ bearer: [] }],
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), department: Type.Optional(Type.String({ maxLength: 32 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: UserListOut },
      },
    },
    async (req) => listUsers(p, req.user!, { q: req.query.q, department: req.query.department, page: req.query.page ?? 1, pageSize: req.query.pageSize ?? 20 }),
  );

  app.get<{ Params: { username: string } }>(
    '/api/v1/users/:username',
    { config: { permission: 'user.read' }, schema: { tags: ['staff'], summary: 'One staff user', security: [{ bearer: [] }], params: Type.Object({ username: Type.String({ maxLength: 32 }) }), response: { 200: UserOut } } },
    async (req) => {
      const u = await getUser(p.db, req.params.username);
      if (!u) throw notFound();
      const row = await p.db.selectFrom('users').select('department_id').where('id', '=', u.id).executeTakeFirstOrThrow();
      if (!can(req.user!, 'user.read', { departmentId: row.department_id })) throw notFound();
      return u;
    },
  );

  app.put<{ Params: { username: string }; Body: { roles: any[] } }>(
    '/api/v1/users/:username/roles',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['staff'],
        summary: "Replace a user's roles (only by a caller who may grant every role the user holds, before and after)",
        security: [{ bearer: [] }],
        params: Type.Object({ username: Type.String({ maxLength: 32 }) }),
        body: Type.Object({ roles: Type.Array(RoleSchema, { maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: UserOut, ...errors },
      },
    },
    async (req) => setRoles(p, req.user!, req.params.username, req.body.roles),
  );

  app.patch<{ Params: { username: string }; Body: { displayName: string; email?: string } }>(
    '/api/v1/users/:username',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['staff'],
        summary: "Change a user's name and e-mail address (only by a caller who may grant every role the user holds)",
        security: [{ bearer: [] }],
        params: Type.Object({ username: Type.String({ maxLength: 32 }) }),
        body: Type.Object({ displayName: Type.String({ minLength: 1, maxLength: 100 }), email: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: UserOut, ...errors },
      },
    },
    async (req) => updateUser(p, req.user!, req.params.username, req.body),
  );

  app.get(
    '/api/v1/departments',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The department tree with public contact data',
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), shortName: Type.String(), kind: Type.String(), parent: Type.Union([Type.String(), Type.Null()]), phone: Type.String(), address: Type.String(), officeHours: Type.String() })),
          }),
        },
      },
    },
    async (_req, reply) => {
      const depts = (await listDepartments(p.db)).filter((d) => d.active);
      const codes = new Map(depts.map((d) => [d.id, d.code]));
      reply.header('cache-control', 'public, max-age=60');
      return {
        total: depts.length,
        items: depts.map((d) => ({ code: d.code, name: d.name, shortName: d.shortName, kind: d.kind, parent: d.parentId ? codes.get(d.parentId) ?? null : null, phone: d.phone, address: d.address, officeHours: d.officeHours })),
      };
    },
  );

}
