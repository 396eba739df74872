// The OpenAPI 3.1 document (GET /api/openapi.json), produced from what routes declare, with the
// platform's defaults filled in so that a module's route is described completely for free:
//
//   - described: every route under /api/, and any other route whose schema has a `summary`
//     (feeds, sitemaps, Open311, downloads); `schema.hide` leaves a route out; `schema.doc`
//     describes parameters and bodies the handler checks itself (not validated by Fastify);
//   - operationId: declared, or camelCase from the method and the path (`/api/v1` dropped):
//     GET /api/v1/users/{username} → getUsersByUsername. Unique (the document fails otherwise);
//   - tags: declared, or the module's name (described by the module's `apiTags`);
//   - security: from `config.permission` — `[]` for public routes, a Bearer token or a console
//     session for every other (the gate enforces exactly that);
//   - error responses, all with the one error body (`#/components/schemas/Error`): 400 on every
//     route (parameters are checked on every route), 401 and 403 on staff routes, 403 (CSRF) on
//     unsafe public routes, 404 with path parameters, 409/413/415 with a request body, 429 on
//     rate-limited routes (a `clientLimit` hook), 503 (database unavailable) everywhere, and 304
//     on routes that declare `config.conditional` (ETag / Last-Modified). A route's own response
//     for a status, or for its range (`4xx`), wins.
//
// Under test, checkResponses() validates every answer of a described route against this same
// document (status declared, media type declared, JSON body valid) and records what does not fit.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import Ajv2020Module from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Ajv = import('ajv/dist/2020.js').default;
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as new (opts: object) => Ajv;
import { ErrorSchema } from './schemas.js';
import { isLimiter } from './limit.js';
import type { Platform } from '../platform.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The platform's error responses: status → component name and description. */
const ERRORS: Record<string, { name: string; description: string }> = {
  '400': { name: 'BadRequest', description: 'The request is invalid: `error.fields` names each field (path, query or body) and what is wrong with it (`validation`), or the body cannot be read (`invalid_json`, `bad_request`).' },
  '401': { name: 'Unauthorized', description: 'No valid credentials: no token or session, or a bad, expired or revoked one (`unauthorized`). Checked before the body is read.' },
  '403': { name: 'Forbidden', description: 'The caller lacks the permission (`forbidden`), or a cookie-authenticated or form request lacks its CSRF token (`csrf`). Checked before the body is validated.' },
  '404': { name: 'NotFound', description: 'No such resource, or one the caller may not see (`not_found`).' },
  '409': { name: 'Conflict', description: 'The request conflicts with the current state, or with a concurrent change (`conflict`).' },
  '413': { name: 'PayloadTooLarge', description: 'The body is larger than `GONGKAI_BODY_LIMIT` (an upload than `GONGKAI_UPLOAD_LIMIT`) (`payload_too_large`).' },
  '415': { name: 'UnsupportedMediaType', description: 'The body is in a media type this route does not read (`unsupported_media_type`).' },
  '422': { name: 'FileRefused', description: 'An uploaded or imported file passes a `GONGKAI_EXTRACT_*` limit (`file_refused`; `fields` names the file field).' },
  '429': { name: 'TooManyRequests', description: 'The client address spent its budget of this route (`too_many_requests`); see `Retry-After`.' },
  '503': { name: 'ServiceUnavailable', description: 'The database cannot be reached for the moment (`database_unavailable`); see `Retry-After`.' },
};
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } };
const ERROR_REF = '#/components/schemas/Error';

/** Descriptions of the platform's own tags; modules describe theirs with `apiTags`. */
const PLATFORM_TAGS: Record<string, string> = {
  platform: 'The platform: this document, health and readiness, robots.txt.',
  sitemaps: 'The XML sitemaps (sitemaps.org): an index with child sitemaps that the platform and each module contribute (every public page and item at its canonical address, with its last change).',
  public: 'Public endpoints: no authentication (`security: []`).',
  staff: 'Staff endpoints: `Authorization: Bearer <token>` (or a console session with `x-csrf-token` on unsafe methods).',
};

/** OpenAPI path of a Fastify route url: `/a/:id.json` → `/a/{id}.json`. */
export function openapiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

/** camelCase from the method and the path, `/api/v1` dropped: GET /api/v1/users/:username → getUsersByUsername. */
export function operationIdOf(method: string, url: string): string {
  const words = [method.toLowerCase()];
  for (const seg of url.replace(/^\/api\/v\d+(?=\/)/, '').split('/').filter(Boolean)) {
    for (const piece of seg.split(/(:\w+)/).filter(Boolean)) {
      if (piece.startsWith(':')) words.push('by', piece.slice(1));
      else words.push(...piece.split(/[^A-Za-z0-9]+/).filter(Boolean));
    }
  }
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

/** Whether a route is in the document. */
export function isDescribed(url: string, schema: { hide?: boolean; summary?: string } | undefined): boolean {
  if (schema?.hide) return false;
  return url.startsWith('/api/') || typeof schema?.summary === 'string';
}

function hooksOf(route: RouteOptions): unknown[] {
  return [route.onRequest, route.preValidation, route.preHandler].flatMap((h) => (h === undefined ? [] : [h].flat()));
}

/** The statuses the platform may answer on this route beyond the route's own. */
function platformStatuses(route: RouteOptions, method: string, url: string): string[] {
  const permission = route.config?.permission;
  const staff = permission !== 'public';
  const body = UNSAFE.has(method);
  const out = ['400'];
  if (staff) out.push('401', '403');
  else if (body && route.config?.csrf !== false) out.push('403');
  if (/:\w/.test(url)) out.push('404');
  if (body) out.push('409', '413', '415');
  if (hooksOf(route).some(isLimiter)) out.push('429');
  out.push('503');
  return out;
}

interface Extra {
  /** Statuses answered with the platform's error body. */
  errors: string[];
  /** HTML error pages as well (routes outside /api/ and /open311/ answer HTML unless asked for JSON). */
  html: boolean;
  conditional: boolean;
}

export interface OpenapiInfo {
  /** Tag descriptions, from the mounted modules. */
  tags: Record<string, string>;
}

/** Options for @fastify/swagger. */
export function swaggerOptions(p: Platform) {
  const extras = new Map<string, Extra>();
  const tags: Record<string, string> = { ...PLATFORM_TAGS };
  for (const m of p.modules) Object.assign(tags, m.apiTags ?? {});
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gongkai API',
        version: '1',
        description:
          'Open API of the gongkai open-government platform. Public endpoints need no authentication (`security: []`); staff endpoints take `Authorization: Bearer <token>` (create one with `gongkai token create`) or a console session. ' +
          'Credentials and permissions are checked before a body is read: an anonymous call to a staff endpoint is a 401, one without the permission a 403, whatever its body. ' +
          'Every error has the body `{"error":{"code","message","fields"?}}` (Open311 has its own format). See docs/api.md.',
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'The government running this installation', url: `${p.config.publicUrl}/contact` },
      },
      servers: [{ url: p.config.publicUrl, description: 'This installation (GONGKAI_PUBLIC_URL)' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token of a staff user (`gongkai token create`, or the console under My account → API tokens).' },
          session: { type: 'apiKey', in: 'cookie', name: 'gk_session', description: 'A console session (sign in at /admin/login). Unsafe methods must send the CSRF token in `x-csrf-token`.' },
        },
      },
    },
    transform: ({ schema, url, route }: { schema: any; url: string; route: RouteOptions }) => {
      if (!isDescribed(url, schema)) return { schema: { ...schema, hide: true }, url };
      const method = [route.method].flat()[0] as string;
      const permission = route.config?.permission;
      const own: Record<string, any> = { ...(schema?.response ?? {}) };
      const ranges = new Set(Object.keys(own).filter((k) => /^[1-5]xx$/i.test(k)).map((k) => k[0]));
      const errors = new Set<string>();
      // The route's own uses of the shared error body become references to the one description.
      for (const [status, s] of Object.entries(own)) {
        if (s === ErrorSchema && ERRORS[status]) {
          errors.add(status);
          delete own[status];
        }
      }
      for (const status of platformStatuses(route, method, url)) if (!(status in own) && !ranges.has(status[0])) errors.add(status);
      // Successful answers get the usual reason as their description unless they say otherwise.
      for (const [status, s] of Object.entries(own)) {
        if (s && typeof s === 'object' && !s.description && !s['x-response-description'] && !('content' in s)) own[status] = { ...s, 'x-response-description': REASONS[status] ?? 'Answer' };
      }
      const html = !url.startsWith('/api/') && !url.startsWith('/open311/');
      extras.set(`${method} ${openapiPath(url)}`, { errors: [...errors], html, conditional: route.config?.conditional === true });
      const { doc: documented, ...declared } = schema ?? {};
      const out: Record<string, unknown> = {
        ...declared,
        ...(documented ?? {}),
        operationId: schema?.operationId ?? operationIdOf(method, url),
        tags: schema?.tags ?? [route.config?.module ?? 'platform'],
        security: permission === 'public' ? (schema?.security ?? []) : [{ bearer: [] }, { session: [] }],
        response: own,
      };
      return { schema: out, url };
    },
    transformObject: ({ openapiObject }: { openapiObject: any }) => completeDocument(openapiObject, extras, tags),
  };
}

const REASONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No content',
  '301': 'Moved permanently',
  '302': 'Found',
  '303': 'See other',
  '400': 'Bad request',
  '403': 'Forbidden',
  '404': 'Not found',
  '500': 'Internal error',
};

/** Adds the platform's responses, the shared components and the tags; checks operationIds. */
function completeDocument(doc: any, extras: Map<string, Extra>, tagDescriptions: Record<string, string>) {
  doc.components ??= {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Error: structuredClone(ErrorSchema) };
  doc.components.schemas.Error.description = 'The error body of every endpoint (Open311 has its own format). `message` is in the caller’s language (Accept-Language); `fields` maps each field to its problem.';
  const responses: Record<string, unknown> = {};
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const [path, ops] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      const seen = ids.get(op.operationId);
      if (seen) throw new Error(`operationId ${op.operationId} of ${where} is also that of ${seen}; declare schema.operationId`);
      ids.set(op.operationId, where);
      for (const t of op.tags ?? []) used.add(t);
      const extra = extras.get(where);
      if (!extra) continue;
      if (extra.conditional) {
        op.responses['304'] ??= { $ref: '#/components/responses/NotModified' };
        responses.NotModified = { description: 'Not modified: the `If-None-Match` / `If-Modified-Since` of the request still holds (no body).' };
      }
      for (const status of extra.errors) {
        const { name, description } = ERRORS[status];
        const key = extra.html ? `${name}Page` : name;
        op.responses[status] = { $ref: `#/components/responses/${key}` };
        const json = { schema: { $ref: ERROR_REF } };
        responses[key] = {
          description: extra.html ? `${description} An HTML page, or the JSON error body when the request asks for \`application/json\`.` : description,
          ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}),
          content: extra.html ? { 'text/html': { schema: { type: 'string' } }, 'application/json': json } : { 'application/json': json },
        };
      }
      op.responses = Object.fromEntries(Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  doc.components.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  doc.tags = [...used].sort().map((name) => ({ name, ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}) }));
  return doc;
}

// ---- the responses under test -------------------------------------------------------------------

export interface ResponseViolation {
  request: string;
  problem: string;
}

type Operation = { responses: Record<string, any> };

/**
 * Under test: checks every answer of a described route against the document — the status is
 * declared (exactly or by its range), the media type is one the response declares, a JSON body
 * is valid against its schema, and objects carry no property the schema does not name.
 * Violations are collected in `violations` (the test harness fails a file that has any).
 */
export function checkResponses(app: FastifyInstance, violations: ResponseViolation[]): void {
  let doc: any = null;
  let ajv: Ajv | null = null;
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown) => {
    let fn = compiled.get(key);
    if (!fn) {
      // The document's components travel with each schema, so that `#/components/…` resolves.
      fn = ajv!.compile({ ...(closed(schema) as object), components: closed(doc.components) });
      compiled.set(key, fn);
    }
    return fn;
  };
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (req.is404 || !req.routeOptions.url) return payload;
    const url = req.routeOptions.url;
    if (!isDescribed(url, req.routeOptions.schema as any)) return payload;
    if (!doc) {
      doc = structuredClone(app.swagger());
      ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
      ((formatsModule as any).default ?? formatsModule)(ajv);
      ajv.addVocabulary(['xml', 'example', 'x-response-description', 'discriminator', 'externalDocs']);
    }
    const method = req.method === 'HEAD' ? 'get' : req.method.toLowerCase();
    const path = openapiPath(url);
    const op: Operation | undefined = doc.paths?.[path]?.[method];
    const request = `${req.method} ${req.url.split('?')[0]} → ${reply.statusCode}`;
    if (!op) {
      violations.push({ request, problem: `${method.toUpperCase()} ${path} is not in the document` });
      return payload;
    }
    const status = String(reply.statusCode);
    const key = op.responses[status] ? status : op.responses[`${status[0]}XX`] ? `${status[0]}XX` : op.responses.default ? 'default' : null;
    if (!key) {
      violations.push({ request, problem: `status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})` });
      return payload;
    }
    let response = op.responses[key];
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (req.method === 'HEAD' || (text === null && payload !== null && payload !== undefined)) return payload; // a stream: a file download
    const type = String(reply.getHeader('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const content: Record<string, { schema?: unknown }> | undefined = response.content;
    if (!content) {
      if (text) violations.push({ request, problem: `a body (${type || 'no content type'}) where the document declares none for ${key}` });
      return payload;
    }
    const media = content[type] ?? Object.entries(content).find(([k]) => k.endsWith('/*') && type.startsWith(k.slice(0, -1)))?.[1];
    if (!media) {
      violations.push({ request, problem: `content type ${type || '(none)'} is not declared for ${key} (declared: ${Object.keys(content).join(', ')})` });
      return payload;
    }
    if (!(type === 'application/json' || type.endsWith('+json')) || !media.schema || text === null) return payload;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      violations.push({ request, problem: 'the body is not JSON' });
      return payload;
    }
    const validate = validatorFor(`${method} ${path} ${key} ${type}`, media.schema);
    if (!validate(body)) {
      const errs = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
      violations.push({ request, problem: `the body does not fit the schema of ${key}: ${errs.join('; ')}` });
    }
    return payload;
  });
}

/**
 * A copy of a schema in which objects that list their properties accept no others, unless they
 * say otherwise — so a field the document does not name is found. Objects inside allOf stay open.
 */
function closed(schema: unknown, inAllOf = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closed(s, inAllOf));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'enum' || k === 'const' || k === 'examples' || k === 'example' || k === 'default') out[k] = v;
    else if (k === 'allOf') out[k] = (v as unknown[]).map((x) => closed(x, true));
    else out[k] = closed(v);
  }
  if (!inAllOf && s.properties && s.additionalProperties === undefined && !s.allOf && !s.patternProperties) out.additionalProperties = false;
  return out;
}
