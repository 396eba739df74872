// Open API of the catalog (contract of issue 4) and bulk open-data export.
import { csvCell } from '../../platform/files/csv.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { ErrorSchema, media, TextBody } from '../../platform/http/schemas.js';
import { badRequest, notFound, validationError } from '../../platform/errors.js';
import { can } from '../../platform/auth/policy.js';
import { cachedPublic } from '../../platform/publication/cache.js';
import { createDraft, updateDraft, transition, staffItem, ACTIONS, type Action } from '../../platform/publication/index.js';
import { DISCLOSURES, type ItemMeta } from '../../platform/publication/registry.js';
import { currentNames, LEGACY_DISCLOSURES, type MetaInput } from '../../platform/publication/meta.js';
import { attachmentName, safeFileName, storeFile } from '../../platform/files/index.js';
import { departments, getPublic, inCatalog, listPublic, type Filters, type ListItem, type PublicItem } from './service/queries.js';
import { AttachmentSchema, DOCUMENT, htmlToText, type DocumentData } from './items.js';
import { CATEGORIES, GENRES, INTERPRETATION_FORMS } from '../../platform/taxonomy/index.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ItemOut = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  indexNo: Type.String(),
  title: Type.String(),
  docNo: Type.String(),
  department: Type.String(),
  departmentName: Type.String(),
  topic: Type.Union([Type.String(), Type.Null()]),
  topicName: Type.String(),
  genre: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  writtenAt: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String(),
  updatedAt: Type.String(),
  effectiveAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  validity: Type.String({ enum: ['valid', 'expired', 'repealed'] }),
  version: Type.Integer(),
  hash: Type.String(),
  summary: Type.String(),
  url: Type.String(),
});

const DetailOut = Type.Composite([
  ItemOut,
  Type.Object({
    keywords: Type.Array(Type.String()),
    coPublishers: Type.Array(Type.String()),
    disclosure: Type.String({ enum: [...DISCLOSURES] }),
    body: Type.String(),
    text: Type.String(),
    attachments: Type.Array(Type.Object({ name: Type.String(), size: Type.Integer(), mime: Type.String(), hash: Type.String(), url: Type.String() })),
    interpretations: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() })),
    interprets: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() })),
    related: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() })),
    canonicalUrl: Type.String(),
  }),
]);

export const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    department: Type.Optional(Type.String({ maxLength: 32 })),
    topic: Type.Optional(Type.String({ pattern: '^\\d{2}(\\d{2})?$' })),
    genre: Type.Optional(Type.String({ maxLength: 10 })),
    year: Type.Optional(Type.Integer({ minimum: 1949, maximum: 2100 })),
    validity: Type.Optional(Type.String({ enum: ['valid', 'expired', 'repealed'] })),
    category: Type.Optional(Type.String({ enum: [...CATEGORIES] })),
    publishedFrom: Type.Optional(date),
    publishedTo: Type.Optional(date),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
type ListQuery = Static<typeof ListQuery>;

const MetaFields = {
  title: Type.String({ minLength: 1, maxLength: 300 }),
  docNo: Type.Optional(Type.String({ maxLength: 100 })),
  topic: Type.String({ pattern: '^\\d{2}(\\d{2})?$' }),
  genre: Type.String({ enum: [...GENRES] }),
  category: Type.Optional(Type.String({ enum: [...CATEGORIES] })),
  writtenAt: date,
  effectiveAt: Type.Optional(Type.Union([date, Type.Null()])),
  expiresAt: Type.Optional(Type.Union([date, Type.Null()])),
  keywords: Type.Optional(Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20 })),
  summary: Type.Optional(Type.String({ maxLength: 2000 })),
  disclosure: Type.Optional(
    Type.Union([
      Type.String({ enum: [...DISCLOSURES], description: '公开方式: proactive (主动公开), on-request (依申请公开), withheld (不予公开, needs withholdGround)' }),
      Type.String({ enum: Object.keys(LEGACY_DISCLOSURES), deprecated: true, description: "Old names of 'on-request' and 'withheld', accepted until the next release" }),
    ]),
  ),
  withholdGround: Type.Optional(Type.String({ maxLength: 200, description: '不予公开的法律依据 (when disclosure is withheld)' })),
  disclosureGround: Type.Optional(Type.String({ maxLength: 200, deprecated: true, description: 'Old name of withholdGround, accepted until the next release' })),
  coPublishers: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
  publishAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  formedAt: Type.Optional(date),
  body: Type.String({ maxLength: 500000 }),
  attachments: Type.Optional(Type.Array(AttachmentSchema, { maxItems: 30 })),
  related: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
  interpretation: Type.Optional(
    Type.Object(
      {
        form: Type.String({ enum: [...INTERPRETATION_FORMS] }),
        of: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 20 }),
        videoUrl: Type.Optional(Type.String({ maxLength: 500 })),
        qa: Type.Optional(Type.Array(Type.Object({ q: Type.String({ maxLength: 1000 }), a: Type.String({ maxLength: 5000 }) }, { additionalProperties: false }), { maxItems: 50 })),
      },
      { additionalProperties: false },
    ),
  ),
  changeNote: Type.Optional(Type.String({ maxLength: 500 })),
};
const CreateBody = Type.Object({ ...MetaFields, department: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });
const PatchBody = Type.Partial(Type.Object(MetaFields, { additionalProperties: false }), { additionalProperties: false });
const TransitionBody = Type.Object({ action: Type.String({ enum: [...ACTIONS] }), reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Required to reject (the 审核意见), withdraw, repeal or expire; the optional 审核意见 of an approval. Kept in the review history.' })) }, { additionalProperties: false });
const StaffOut = Type.Object({ id: Type.Integer(), status: Type.String(), version: Type.Integer(), publishedVersion: Type.Union([Type.Integer(), Type.Null()]), indexNo: Type.Union([Type.String(), Type.Null()]), title: Type.String(), url: Type.String() });

/** Splits an API/form body into spine metadata and the document payload. The old names of
 *  `disclosure` values and `disclosureGround` are mapped to the current ones (accepted until the
 *  next release, docs/api.md). */
export function splitInput(b: Record<string, any>): { meta: Partial<ItemMeta>; data: Partial<DocumentData> } {
  const given: MetaInput = {};
  for (const k of ['title', 'docNo', 'topic', 'genre', 'category', 'writtenAt', 'effectiveAt', 'expiresAt', 'keywords', 'summary', 'disclosure', 'withholdGround', 'disclosureGround', 'coPublishers', 'publishAt', 'formedAt'] as const) if (b[k] !== undefined) (given as any)[k] = b[k];
  const meta = currentNames(given) as Partial<ItemMeta>;
  const data: Partial<DocumentData> = {};
  for (const k of ['body', 'attachments', 'related', 'interpretation'] as const) if (b[k] !== undefined) (data as any)[k] = b[k];
  return { meta, data };
}

export function filtersOf(q: ListQuery): Filters {
  return { q: q.q, department: q.department, topic: q.topic, genre: q.genre, year: q.year, validity: q.validity, category: q.category, publishedFrom: q.publishedFrom, publishedTo: q.publishedTo };
}

export function detailJson(pi: PublicItem) {
  const brief = (x: ListItem) => ({ id: x.id, title: x.title, url: x.url });
  return {
    ...pi.item,
    keywords: pi.version.meta.keywords,
    coPublishers: pi.coPublishers.map((c) => c.code),
    disclosure: pi.version.meta.disclosure,
    body: pi.data.body ?? '',
    text: htmlToText(pi.data.body),
    attachments: pi.data.attachments.map((a) => ({ name: attachmentName(a), size: a.size, mime: a.mime, hash: a.hash, url: `/catalog/items/${pi.item.id}/files/${a.hash}` })),
    interpretations: pi.interpretations.map(brief),
    interprets: pi.interprets.map(brief),
    related: pi.related.map(brief),
    canonicalUrl: `/catalog/items/${pi.item.id}/versions/${pi.item.version}.json`,
  };
}

async function staffView(p: Platform, id: number) {
  const r = await p.db.selectFrom('pub_items').select(['id', 'status', 'latest_version', 'published_version', 'index_no', 'title']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: r.id, status: r.status, version: r.latest_version, publishedVersion: r.published_version, indexNo: r.index_no, title: r.title, url: `/admin/catalog/${r.id}` };
}

async function deptIdOf(p: Platform, code: string): Promise<number> {
  const d = (await departments(p.db)).find((x) => x.code === code);
  if (!d) throw validationError({ department: 'err.unknown_department' });
  return d.id;
}

const cacheKey = (req: FastifyRequest) => `${req.url}|${req.locale}`;

export async function catalogApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: ListQuery }>(
    '/api/v1/documents',
    {
      config: { permission: 'public', conditional: true },
      schema: {
        tags: ['public'],
        summary: 'Published documents of the disclosure catalog (filters; page/pageSize ≤ 100 or cursor)',
        querystring: ListQuery,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ItemOut), nextCursor: Type.Optional(Type.String()) }), 400: ErrorSchema },
      },
    },
    async (req, reply) =>
      cachedPublic(p.db, req, reply, cacheKey(req), async () => {
        const q = req.query;
        const pageSize = q.pageSize ?? 20;
        const r = await listPublic(p.db, filtersOf(q), { page: q.page ?? 1, pageSize, cursor: q.cursor });
        if (r.badCursor) throw badRequest('err.catalog.bad_cursor');
        return { body: JSON.stringify({ total: r.total, items: r.items, ...(r.nextCursor ? { nextCursor: r.nextCursor } : {}) }), type: 'application/json; charset=utf-8' };
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/documents/:id',
    { config: { permission: 'public', conditional: true }, schema: { tags: ['public'], summary: 'One published document, by id or 索引号 (URL-encoded)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: DetailOut, 404: ErrorSchema } } },
    async (req, reply) =>
      cachedPublic(p.db, req, reply, cacheKey(req), async () => {
        const pi = await getPublic(p.db, req.params.id);
        // Catalog items only: appeals and other sections' items are not documents of the catalog.
        if (!pi || pi.status !== 'public' || !inCatalog(pi.item.type)) throw notFound();
        return { body: JSON.stringify(detailJson(pi)), type: 'application/json; charset=utf-8' };
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/documents/:id/versions',
    {
      config: { permission: 'public', conditional: true },
      schema: {
        tags: ['public'],
        summary: 'The published versions of a document with their SM3 hashes',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({ version: Type.Integer(), publishedAt: Type.String(), changeNote: Type.String(), hash: Type.String(), canonicalUrl: Type.String() })) }), 404: ErrorSchema },
      },
    },
    async (req, reply) =>
      cachedPublic(p.db, req, reply, cacheKey(req), async () => {
        const pi = await getPublic(p.db, req.params.id);
        // Catalog items only: appeals and other sections' items are not documents of the catalog.
        if (!pi || pi.status !== 'public' || !inCatalog(pi.item.type)) throw notFound();
        const items = pi.versions.map((v) => ({ ...v, canonicalUrl: `/catalog/items/${pi.item.id}/versions/${v.version}.json` }));
        return { body: JSON.stringify({ total: items.length, items }), type: 'application/json; charset=utf-8' };
      }),
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/documents',
    { config: { permission: 'content.create' }, schema: { tags: ['staff'], summary: 'Create a draft document', security: [{ bearer: [] }], body: CreateBody, response: { 201: StaffOut, ...errors } } },
    async (req, reply) => {
      const { department, changeNote, ...rest } = req.body;
      const { meta, data } = splitInput(rest);
      const deptId = await deptIdOf(p, department);
      if (!can(req.user!, 'content.create', { departmentId: deptId })) throw validationError({ department: 'err.catalog.not_your_department' });
      const id = await createDraft(p, req.user!, { type: DOCUMENT, departmentId: deptId, meta, data, changeNote });
      return reply.code(201).send(await staffView(p, id));
    },
  );

  app.patch<{ Params: { id: string }; Body: Static<typeof PatchBody> }>(
    '/api/v1/documents/:id',
    { config: { permission: 'content.edit' }, schema: { tags: ['staff'], summary: 'Edit the draft (on a published document: start a new draft version)', security: [{ bearer: [] }], params: Type.Object({ id: Type.String({ pattern: '^\\d{1,9}$' }) }), body: PatchBody, response: { 200: StaffOut, ...errors } } },
    async (req) => {
      const id = Number(req.params.id);
      if ((await staffItem(p, req.user!, id)).type !== DOCUMENT) throw notFound();
      const { changeNote, ...rest } = req.body;
      const { meta, data } = splitInput(rest);
      const cur = await p.db.selectFrom('pub_items').select('latest_version').where('id', '=', id).executeTakeFirstOrThrow();
      const v = await p.db.selectFrom('pub_versions').select('data').where('item_id', '=', id).where('version', '=', cur.latest_version).executeTakeFirstOrThrow();
      const merged = Object.keys(data).length ? { ...JSON.parse(v.data), ...data } : undefined;
      await updateDraft(p, req.user!, id, { meta, data: merged, changeNote });
      return staffView(p, id);
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof TransitionBody> }>(
    '/api/v1/documents/:id/transitions',
    { config: { permission: 'authenticated' }, schema: { tags: ['staff'], summary: 'Workflow step: submit | approve | reject | withdraw | repeal (| expire)', security: [{ bearer: [] }], params: Type.Object({ id: Type.String({ pattern: '^\\d{1,9}$' }) }), body: TransitionBody, response: { 200: StaffOut, ...errors } } },
    async (req) => {
      const id = Number(req.params.id);
      if ((await staffItem(p, req.user!, id)).type !== DOCUMENT) throw notFound();
      await transition(p, req.user!, id, req.body.action as Action, req.body.reason);
      return staffView(p, id);
    },
  );

  app.post(
    '/api/v1/files',
    { config: { permission: 'content.create' }, schema: { tags: ['staff'], summary: 'Upload an attachment (multipart field "file"); PDF, Word, Excel, images', security: [{ bearer: [] }], consumes: ['multipart/form-data'], response: { 201: Type.Object({ hash: Type.String(), name: Type.String(), size: Type.Integer(), mime: Type.String() }), ...errors, 422: ErrorSchema } } },
    async (req, reply) => {
      const f = await readUpload(req);
      const stored = await storeFile(p, f.buf, f.name);
      return reply.code(201).send({ hash: stored.hash, name: safeFileName(f.name, stored.ext), size: stored.size, mime: stored.mime });
    },
  );

  // ---- bulk open data -------------------------------------------------------------------
  app.get<{ Params: { fmt: string } }>(
    '/api/v1/documents/export.:fmt',
    {
      config: { permission: 'public', conditional: true },
      schema: {
        tags: ['public'],
        summary: 'The whole public catalog as CSV or JSON Lines (field dictionary: docs/open-data.md)',
        params: Type.Object({ fmt: Type.String({ enum: ['csv', 'jsonl'] }) }),
        response: { 200: media('export.csv: CSV with a header row (UTF-8 with BOM); export.jsonl: one JSON object per line', { 'text/csv': TextBody, 'application/x-ndjson': TextBody }) },
      },
    },
    async (req, reply) =>
    cachedPublic(p.db, req, reply, `export|${req.params.fmt}`, async () => {
      const all: ListItem[] = [];
      let cursor: string | undefined = '';
      while (cursor !== undefined) {
        const r: Awaited<ReturnType<typeof listPublic>> = await listPublic(p.db, {}, { pageSize: 1000, cursor: cursor || undefined, count: false });
        all.push(...r.items);
        cursor = r.nextCursor;
        if (cursor === undefined) break;
      }
      if (req.params.fmt === 'jsonl') return { body: all.map((x) => JSON.stringify(exportRow(x))).join('\n') + (all.length ? '\n' : ''), type: 'application/x-ndjson; charset=utf-8' };
      const head = EXPORT_FIELDS.join(',');
      const lines = all.map((x) => {
        const r = exportRow(x) as Record<string, unknown>;
        return EXPORT_FIELDS.map((f) => csvCell(r[f])).join(',');
      });
      return { body: '\ufeff' + [head, ...lines].join('\r\n') + '\r\n', type: 'text/csv; charset=utf-8' };
    }),
  );
}

export const EXPORT_VERSION = '1.0';
export const EXPORT_FIELDS = ['schemaVersion', 'id', 'indexNo', 'title', 'docNo', 'department', 'departmentName', 'topic', 'topicName', 'genre', 'category', 'writtenAt', 'publishedAt', 'updatedAt', 'effectiveAt', 'expiresAt', 'validity', 'version', 'hash', 'summary', 'url'] as const;
function exportRow(x: ListItem) {
  return { schemaVersion: EXPORT_VERSION, ...Object.fromEntries(EXPORT_FIELDS.slice(1).map((f) => [f, (x as any)[f] ?? null])) };
}

/** Reads one uploaded file from a multipart request. */
export async function readUpload(req: FastifyRequest): Promise<{ buf: Buffer; name: string; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw badRequest('err.file.multipart');
  const fields: Record<string, string> = {};
  let out: { buf: Buffer; name: string } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (!out && part.filename) out = { buf, name: part.filename };
      } else fields[part.fieldname] = String(part.value ?? '');
    }
  } catch (err: any) {
    if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw Object.assign(new (await import('../../platform/errors.js')).HttpError(413, 'payload_too_large', 'err.file.too_large', undefined, { limit: Math.floor(req.server.gk.config.uploadLimit / 1024 / 1024) }));
    throw err;
  }
  if (!out) throw validationError({ file: 'err.field.required' });
  return { ...out, fields };
}

export type { FastifyReply };
