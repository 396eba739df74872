// The public record of a draw (gongkai-draw/1): as JSON for the API, and as a file to download and
// check later with `gongkai inspection verify-draw` or the verify page. See docs/draws.md.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { ErrorSchema, media } from '../../../platform/http/schemas.js';
import { DrawRecordSchema } from '../service/draw.js';
import { drawIdOf, requireDrawRecord } from '../service/draw-record.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export async function drawsApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/api/v1/inspections/draws/:id',
    {
      config: { permission: 'public', conditional: true },
      schema: {
        tags: ['inspections'],
        summary: 'The record of a draw (gongkai-draw/1): its inputs and, once drawn, the secrets, seed and selection — everything needed to re-run it',
        description: 'Re-run it as docs/draws.md describes, with `gongkai inspection verify-draw FILE`, or in the browser at /enforcement/draws/{id}/verify. Before the draw (status prepared) secrets is empty and seed and selection are null.',
        params: Type.Object({ id: Type.String({ pattern: '^\\d{1,9}$', description: 'The draw id' }) }),
        response: { 200: DrawRecordSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) =>
      cachedPublic(p.db, req, reply, `enf-draw:${req.params.id}`, async () => ({ body: JSON.stringify(await requireDrawRecord(p.db, req.params.id)), type: JSON_TYPE })),
  );

  app.get<{ Params: { id: string } }>(
    '/enforcement/draws/:id.json',
    {
      config: { permission: 'public', conditional: true },
      schema: {
        tags: ['inspections'],
        summary: 'The record of a draw as a file to download (draw-{id}.json)',
        doc: { params: Type.Object({ id: Type.String({ description: 'The draw id' }) }) },
        response: { 200: media('The record, as GET /api/v1/inspections/draws/{id} gives it', { 'application/json': DrawRecordSchema }, { 'Content-Disposition': Type.String() }) },
      },
    },
    async (req, reply) => {
      const id = drawIdOf(req.params.id);
      reply.header('content-disposition', `attachment; filename="draw-${id}.json"`);
      return cachedPublic(p.db, req, reply, `enf-draw-file:${id}`, async () => ({ body: `${JSON.stringify(await requireDrawRecord(p.db, String(id)), null, 2)}\n`, type: JSON_TYPE }));
    },
  );
}
