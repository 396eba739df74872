// JSON API of the industry picker: search and browse GB/T 4754-2017 with everyday aliases, and
// (staff) edit an industry's aliases.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import { industryTable, pick, setAliases } from '../service/industries.js';

export const IndustryOut = Type.Object({
  code: Type.String(),
  level: Type.String({ enum: ['section', 'division', 'group', 'class'] }),
  parent: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  aliases: Type.Array(Type.String()),
  path: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
const CodeParam = Type.Object({ code: Type.String({ pattern: '^[A-Ta-t]([0-9]{2,4})?$' }) });

export async function industriesApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { q?: string; parent?: string; limit?: number } }>(
    '/api/v1/industries',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'Industry picker: GB/T 4754-2017 industries matching everyday words or a code (q), or the children of parent (the 门类 when neither)',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), parent: Type.Optional(Type.String({ pattern: '^[A-Ta-t]([0-9]{2,3})?$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(IndustryOut) }), 400: ErrorSchema },
      },
    },
    async (req) => ({ items: pick(await industryTable(p.db), req.query.q ?? '', req.query.parent ?? null, req.query.limit ?? 50) }),
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/industries/:code',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['lists'],
        summary: 'One industry with its path and its children',
        params: CodeParam,
        response: { 200: Type.Object({ industry: IndustryOut, children: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })) }), 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      const table = await industryTable(p.db);
      const row = table.get(req.params.code);
      if (!row) throw notFound();
      return { industry: table.view(row), children: (table.children.get(row.code) ?? []).map((c) => ({ code: c.code, name: c.name, level: c.level })) };
    },
  );

  app.put<{ Params: { code: string }; Body: { aliases: string[] } }>(
    '/api/v1/industries/:code/aliases',
    {
      config: { permission: 'industry.edit' },
      schema: {
        tags: ['lists'],
        summary: 'Replace the everyday aliases of an industry (staff of the department keeping the negative lists; audited)',
        security: [{ bearer: [] }],
        params: CodeParam,
        body: Type.Object({ aliases: Type.Array(Type.String({ maxLength: 50 }), { maxItems: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ industry: IndustryOut }), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      await setAliases(p, req.user!, req.params.code, req.body.aliases);
      const table = await industryTable(p.db);
      return { industry: table.view(table.get(req.params.code)!) };
    },
  );
}
