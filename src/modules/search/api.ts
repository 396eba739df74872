// Public search API: /api/v1/search and /api/v1/search/suggest.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { validationError } from '../../platform/errors.js';
import { MAX_QUERY, type SearchQuery } from '../../platform/search/index.js';
import { searchIndex } from './service.js';
import { sectionOf, shownIndexNo, typeLabel } from './views.js';
import { translator } from '../../platform/i18n/index.js';
import { SECTIONS } from '../../platform/publication/registry.js';
import { ErrorSchema } from '../../platform/http/schemas.js';

export const SearchParams = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 2000, description: 'Query text, at most 100 characters; empty lists the filtered items newest first' })),
    type: Type.Optional(Type.String({ maxLength: 64 })),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    topic: Type.Optional(Type.String({ maxLength: 64 })),
    genre: Type.Optional(Type.String({ maxLength: 64 })),
    year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })),
    validity: Type.Optional(Type.String({ enum: ['valid', 'expired', 'repealed'] })),
    sort: Type.Optional(Type.String({ enum: ['relevance', 'date'] })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type SearchParamsT = Static<typeof SearchParams>;

const Facet = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));

const SearchOut = Type.Object({
  total: Type.Integer({ description: 'Number of matches (estimated when totalExact is false: more than 500 matches)' }),
  totalExact: Type.Boolean(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  reachable: Type.Integer({ description: 'How many of the matches can be paged through (the best-ranked ones)' }),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      type: Type.String(),
      section: Type.Union([Type.String({ enum: Object.keys(SECTIONS) }), Type.Null()], { description: "The type's public section: catalog (政府信息公开目录) or interaction (互动交流)" }),
      indexNo: Type.String({ description: '索引号; empty outside the catalog section' }),
      title: Type.String(),
      titleHtml: Type.String({ description: 'Escaped HTML, matches in <mark>' }),
      snippet: Type.String({ description: 'Escaped HTML passage around the first match, matches in <mark>' }),
      url: Type.String(),
      department: Type.String(),
      departmentName: Type.String(),
      topic: Type.Union([Type.String(), Type.Null()]),
      genre: Type.Union([Type.String(), Type.Null()]),
      validity: Type.String(),
      publishedAt: Type.String(),
      score: Type.Number(),
    }),
  ),
  facets: Type.Object({ type: Facet, department: Facet, topic: Facet, genre: Facet, year: Facet, validity: Facet }),
  facetsExact: Type.Boolean(),
  suggestions: Type.Array(Type.String()),
  terms: Type.Array(Type.String()),
});

/** Checks the query text's length (in characters) and builds the index query. */
export function toQuery(params: SearchParamsT): SearchQuery {
  const q = (params.q ?? '').trim();
  if (Array.from(q).length > MAX_QUERY) throw validationError({ q: 'search.err.tooLong' });
  return { ...params, q, sort: params.sort === 'date' ? 'date' : 'relevance' } as SearchQuery;
}

export async function searchApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: SearchParamsT }>(
    '/api/v1/search',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Full-text search over everything published (facets, filters, highlighted snippets)',
        querystring: SearchParams,
        response: { 200: SearchOut, 400: ErrorSchema },
      },
    },
    async (req) => {
      const r = await searchIndex(p).search(toQuery(req.query));
      const tr = translator(req.locale);
      return {
        ...r,
        items: r.items.map((h) => ({ ...h, section: sectionOf(h.type), indexNo: shownIndexNo(h.type, h.indexNo) })),
        // Types by the name their module declares (the index keeps the code as the label).
        facets: { ...r.facets, type: r.facets.type.map((v) => ({ ...v, label: typeLabel(tr, v.value) })) },
      };
    },
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/v1/search/suggest',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Autocomplete from the words and titles of published items',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ terms: Type.Array(Type.String()), titles: Type.Array(Type.Object({ title: Type.String(), url: Type.String() })) }),
          400: ErrorSchema,
        },
      },
    },
    async (req) => {
      const q = (req.query.q ?? '').trim();
      if (Array.from(q).length > MAX_QUERY) throw validationError({ q: 'search.err.tooLong' });
      return searchIndex(p).suggest(q);
    },
  );
}
