// JSON API of supervision: counts by department and status, the attention list.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../../platform/http/schemas.js';
import type { Platform } from '../../platform/platform.js';
import { attentionList, boundaries, countsByDepartment, supervisionScope } from './service.js';

const Counts = Type.Object({ normal: Type.Integer(), warning: Type.Integer(), 'due-today': Type.Integer(), overdue: Type.Integer(), 'seriously-overdue': Type.Integer(), paused: Type.Integer(), finished: Type.Integer() });

export async function supervisionApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get(
    '/api/v1/supervision/summary',
    {
      config: { permission: 'supervision.read' },
      schema: {
        tags: ['staff'],
        summary: "Open clocks by department and status (the caller's departments; supervisors see all)",
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ today: Type.String(), warnUntil: Type.String(), seriousBefore: Type.String(), departments: Type.Array(Type.Object({ department: Type.Union([Type.String(), Type.Null()]), counts: Counts, total: Type.Integer() })) }), 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => {
      const b = await boundaries(p.db);
      const codes = new Map((await p.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.id, d.code]));
      const rows = await countsByDepartment(p.db, supervisionScope(req.user), b);
      return { ...b, departments: rows.map((r) => ({ department: r.departmentId == null ? null : codes.get(r.departmentId) ?? null, counts: r.counts, total: r.total })) };
    },
  );

  app.get<{ Querystring: { status?: string; page?: number; pageSize?: number } }>(
    '/api/v1/supervision/clocks',
    {
      config: { permission: 'supervision.read' },
      schema: {
        tags: ['staff'],
        summary: 'Running clocks in warning or worse (or one status), most urgent first',
        security: [{ bearer: [] }],
        querystring: Type.Object({ status: Type.Optional(Type.String({ enum: ['normal', 'warning', 'due-today', 'overdue', 'seriously-overdue'] })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({ id: Type.Integer(), subjectType: Type.String(), subjectId: Type.String(), title: Type.String(), url: Type.String(), departmentId: Type.Union([Type.Integer(), Type.Null()]), rule: Type.String(), start: Type.String(), due: Type.String(), dueAt: Type.Union([Type.String(), Type.Null()]), provisional: Type.Boolean(), status: Type.String() })) }),
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (req) => {
      const b = await boundaries(p.db);
      const size = req.query.pageSize ?? 50;
      return attentionList(p.db, supervisionScope(req.user), b, { status: req.query.status, limit: size, offset: ((req.query.page ?? 1) - 1) * size });
    },
  );
}
