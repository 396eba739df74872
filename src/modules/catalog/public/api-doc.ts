// How the catalog's non-JSON public endpoints appear in the API document: the feeds and the
// download of a version's canonical text. Their parameters are read and
// checked by the handlers (described here, not validated by Fastify). The response check under
// test holds the JSON answers (JSON Feed, the canonical text) to these schemas.
import { Type } from '@sinclair/typebox';
import { media, TextBody } from '../../../platform/http/schemas.js';

const open = { additionalProperties: true };

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the members every reader needs; the rest is open. */
const JsonFeed = Type.Object(
  {
    version: Type.Literal('https://jsonfeed.org/version/1.1'),
    title: Type.String(),
    home_page_url: Type.String(),
    feed_url: Type.String(),
    items: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), title: Type.String() }, open)),
  },
  open,
);

export const feedDoc = {
  tags: ['feeds'],
  summary: 'Feeds of the disclosure catalog: Atom 1.0, RSS 2.0 or JSON Feed 1.1 — everything, or one department, topic or search',
  description: 'The 50 latest items. Conditional GETs (If-None-Match / If-Modified-Since) are answered with 304. An unknown format, department pattern or topic is a 400.',
  doc: {
    params: Type.Object({ fmt: Type.String({ enum: ['atom', 'rss', 'json'], description: 'atom, rss or json' }) }),
    querystring: Type.Object({
      department: Type.Optional(Type.String({ description: 'A department code (as in /api/v1/departments)' })),
      topic: Type.Optional(Type.String({ description: 'A topic code (主题分类), 2 or 4 digits' })),
      q: Type.Optional(Type.String({ description: 'Search words (the first 100 characters count)' })),
    }),
  },
  response: {
    200: media(
      'The feed',
      { 'application/atom+xml': TextBody, 'application/rss+xml': TextBody, 'application/feed+json': JsonFeed },
      { 'Last-Modified': Type.String({ description: 'When the latest item changed' }), ETag: Type.String() },
    ),
  },
};

export const versionDoc = {
  tags: ['public'],
  summary: 'The canonical text of one published version (JSON), exactly the bytes its SM3 hash covers — as an attachment',
  description: 'Any section’s items. The `canonicalUrl` of GET /api/v1/documents/{id}/versions points here. Verify: SM3 of the body = `X-Content-SM3` = the version’s `hash`.',
  doc: {
    params: Type.Object({ id: Type.String({ description: 'The item id' }), v: Type.String({ pattern: '^\\d{1,6}\\.json$', description: 'The version number followed by .json, e.g. 2.json' }) }),
  },
  response: {
    200: media(
      'The canonical text (format gongkai-publication-version/1 or /2)',
      { 'application/json': Type.Object({ format: Type.String(), id: Type.Integer(), type: Type.String(), version: Type.Integer(), publishedAt: Type.String() }, open) },
      { 'X-Content-SM3': Type.String({ description: 'SM3 of the body, hexadecimal' }), 'Content-Disposition': Type.String() },
    ),
  },
};
