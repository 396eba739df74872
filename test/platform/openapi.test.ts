// The API document (GET /api/openapi.json) as the ecosystem's own tools read it: Redocly's
// recommended rules (redocly.yaml, nothing turned off) report no error and no warning, and
// swagger-parser validates it. Every operation is complete (operationId, summary, tags,
// security, a 2xx and the platform's error answers); staff routes refuse anonymous and
// unauthorised callers before they look at a body; and the response check that runs under every
// API test file (makeEnv) finds answers that do not fit the document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import SwaggerParser from '@apidevtools/swagger-parser';
import { makeEnv, type TestEnv } from '../helpers.js';
import { registeredRoutes } from '../../src/platform/http/auth.js';
import { operationIdOf } from '../../src/platform/http/openapi.js';
import { can } from '../../src/platform/auth/policy.js';
import { loadPrincipal } from '../../src/platform/auth/identity.js';
import { MODULES } from '../../src/modules/index.js';
import type { GongkaiModule } from '../../src/platform/module.js';
import { noticesModule } from '../../examples/notices/module.js';

/** A module whose answers break its own declarations, one way each: the response check must see it. */
const probe: GongkaiModule = {
  name: 'probe',
  apiTags: { probe: 'Answers that break their declarations (test only).' },
  routes(app) {
    app.get<{ Params: { what: string } }>(
      '/api/v1/probe/:what',
      { config: { permission: 'public' }, schema: { tags: ['probe'], summary: 'A probe', params: Type.Object({ what: Type.String({ maxLength: 20 }) }), response: { 200: Type.Object({ n: Type.Integer() }) } } },
      async (req, reply) => {
        const json = (body: unknown, status = 200) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
        switch (req.params.what) {
          case 'fits':
            return json({ n: 1 });
          case 'wrong-type':
            return json({ n: 'one' });
          case 'extra-field':
            return json({ n: 1, secret: 'x' });
          case 'undeclared-status':
            return json({ n: 1 }, 202);
          default:
            return reply.type('text/plain').send('plain');
        }
      },
    );
  },
};

let env: TestEnv;
let doc: any;
beforeAll(async () => {
  // The example module (docs/extending.md) beside the real ones: a new module is described completely for free.
  env = await makeEnv({ modules: [...MODULES, noticesModule, probe] });
  const r = await env.app.inject('/api/openapi.json');
  expect(r.statusCode).toBe(200);
  doc = r.json();
});
afterAll(async () => env?.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const operations = () => Object.entries<any>(doc.paths).flatMap(([path, ops]) => Object.entries<any>(ops).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method, op })));

describe('the API document', () => {
  it("passes Redocly's recommended rules with no error and no warning", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      // @redocly/cli bundles its openapi-core (no programmatic entry point): run its lint command.
      const r = spawnSync(process.execPath, [join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(process.cwd(), 'redocly.yaml'), '--format', 'json', '--max-problems', '1000'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
        timeout: 60_000,
      });
      const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
      const problems = out.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
      expect(problems).toEqual([]);
      expect(out.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is a valid OpenAPI 3.1 document for swagger-parser', async () => {
    const api: any = await SwaggerParser.validate(structuredClone(doc));
    expect(api.openapi).toBe('3.1.0');
    expect(Object.keys(api.paths).length).toBeGreaterThan(70);
  });

  it('names its server, licence and contact', () => {
    expect(doc.servers).toEqual([{ url: env.config.publicUrl, description: expect.any(String) }]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(doc.info.contact.url).toBe(`${env.config.publicUrl}/contact`);
  });

  it('gives every operation a unique operationId, a summary, described tags, its security and the answers the platform may give', () => {
    const ids = new Set<string>();
    const tags = new Map(doc.tags.map((t: any) => [t.name, t.description]));
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(ids.has(op.operationId), `${where}: operationId ${op.operationId} twice`).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const t of op.tags) expect(tags.get(t), `${where}: tag ${t} is not described`).toBeTruthy();
      const route = registeredRoutes.find((r) => r.method === method.toUpperCase() && r.url === path.replace(/\{(\w+)\}/g, ':$1'));
      expect(route, where).toBeDefined();
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith('2')), `${where}: no 2xx`).toBe(true);
      // A route with its own error format (Open311) declares the whole range.
      const has = (status: string) => statuses.includes(status) || statuses.includes(`${status[0]}XX`);
      expect(has('400'), `${where}: no 400`).toBe(true);
      expect(has('503'), `${where}: no 503`).toBe(true);
      if (route!.permission === 'public') expect(op.security, where).toEqual([]);
      else {
        expect(op.security, where).toEqual([{ bearer: [] }, { session: [] }]);
        expect(statuses, where).toEqual(expect.arrayContaining(['401', '403']));
      }
      if (path.includes('{')) expect(has('404'), `${where}: no 404`).toBe(true);
    }
    expect(ids.size).toBeGreaterThan(60);
    // The id derived from the method and the path, where a route declares none.
    expect(doc.paths['/api/v1/users/{username}/roles'].put.operationId).toBe('putUsersByUsernameRoles');
    expect(operationIdOf('GET', '/api/v1/documents/export.:fmt')).toBe('getDocumentsExportByFmt');
  });

  it("completes a new module's operations from its declarations", () => {
    const post = doc.paths['/api/v1/notices'].post;
    expect(post).toMatchObject({ operationId: 'postNotices', tags: ['notices'], security: [{ bearer: [] }, { session: [] }] });
    expect(Object.keys(post.responses)).toEqual(['201', '400', '401', '403', '409', '413', '415', '503']);
    const withdraw = doc.paths['/api/v1/notices/{id}/withdraw'].post;
    expect(withdraw.operationId).toBe('postNoticesByIdWithdraw');
    expect(Object.keys(withdraw.responses)).toEqual(['204', '400', '401', '403', '404', '409', '413', '415', '503']);
    expect(doc.tags).toContainEqual({ name: 'notices', description: expect.stringContaining('通知公告') });
  });

  it('answers with the one error body, described once', () => {
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    const users = doc.paths['/api/v1/users'].get.responses;
    expect(users['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(doc.components.responses.Unauthorized.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    // Rate-limited routes declare 429 with Retry-After; bodies may be too large or of another type.
    const submit = doc.paths['/api/v1/appeals'].post.responses;
    expect(submit['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(doc.components.responses.TooManyRequests.headers['Retry-After']).toBeDefined();
    expect(Object.keys(submit)).toEqual(expect.arrayContaining(['201', '400', '413', '415', '429', '503']));
    // Conditional GETs: 304.
    expect(doc.paths['/api/v1/documents/{id}'].get.responses['304']).toEqual({ $ref: '#/components/responses/NotModified' });
  });
});

describe('the endpoints that do not answer JSON', () => {
  const types = (path: string, status = '200') => Object.keys(doc.paths[path].get.responses[status].content);

  it('are described with their media types', () => {
    expect(types('/catalog/feed.{fmt}')).toEqual(['application/atom+xml', 'application/rss+xml', 'application/feed+json']);
    expect(doc.paths['/catalog/feed.{fmt}'].get.parameters.find((x: any) => x.name === 'fmt').schema.enum).toEqual(['atom', 'rss', 'json']);
    expect(types('/sitemap.xml')).toEqual(['application/xml']);
    expect(types('/sitemap-{part}')).toEqual(['application/xml']);
    expect(types('/robots.txt')).toEqual(['text/plain']);
    expect(types('/catalog/items/{id}/versions/{v}')).toEqual(['application/json']);
    expect(doc.paths['/catalog/items/{id}/versions/{v}'].get.responses['200'].headers['X-Content-SM3']).toBeDefined();
    for (const fmt of ['json', 'xml']) {
      for (const path of [`/open311/v2/discovery.${fmt}`, `/open311/v2/services.${fmt}`, `/open311/v2/services/{code}.${fmt}`, `/open311/v2/requests.${fmt}`, `/open311/v2/requests/{id}.${fmt}`]) {
        expect(types(path), path).toEqual([fmt === 'json' ? 'application/json' : 'text/xml']);
        expect(types(path, '4XX'), path).toEqual([fmt === 'json' ? 'application/json' : 'text/xml']);
      }
      const post = doc.paths[`/open311/v2/requests.${fmt}`].post;
      expect(Object.keys(post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
      expect(post.responses['201'].content).toBeDefined();
    }
  });

  it('answer what they declare (the response check holds them to it)', async () => {
    const before = env.responseViolations.length;
    const item = await env.p.db.selectFrom('pub_items').select(['id', 'published_version']).where('public', '=', 1).orderBy('id').executeTakeFirstOrThrow();
    const category = await env.p.db.selectFrom('appeal_categories').select('code').orderBy('id').executeTakeFirstOrThrow();
    const published = await env.p.db.selectFrom('appeals').select('tracking_no').where('publish_state', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    const urls = [
      '/catalog/feed.atom',
      '/catalog/feed.rss',
      '/catalog/feed.json?department=dzb',
      '/sitemap.xml',
      '/sitemap-portal-1.xml',
      '/sitemap-catalog-items-1.xml',
      '/robots.txt',
      `/catalog/items/${item.id}/versions/${item.published_version}.json`,
      ...['json', 'xml'].flatMap((f) => [`/open311/v2/discovery.${f}`, `/open311/v2/services.${f}`, `/open311/v2/services/${category.code}.${f}`, `/open311/v2/requests.${f}`, `/open311/v2/requests/${published.tracking_no}.${f}`]),
    ];
    for (const url of urls) expect((await env.app.inject(url)).statusCode, url).toBe(200);
    // Errors and conditional GETs too.
    expect((await env.app.inject('/catalog/feed.txt')).statusCode).toBe(400);
    expect((await env.app.inject('/open311/v2/services/none.json')).statusCode).toBe(404);
    const feed = await env.app.inject('/catalog/feed.atom');
    expect((await env.app.inject({ url: '/catalog/feed.atom', headers: { 'if-none-match': String(feed.headers.etag) } })).statusCode).toBe(304);
    const map = await env.app.inject('/sitemap.xml');
    expect((await env.app.inject({ url: '/sitemap.xml', headers: { 'if-none-match': String(map.headers.etag) } })).statusCode).toBe(304);
    expect(env.responseViolations.slice(before)).toEqual([]);
  });
});

describe('staff routes check the caller before the body', () => {
  const unsafe = () => {
    const seen = new Set<string>();
    return registeredRoutes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.permission !== 'public' && !seen.has(`${r.method} ${r.url}`) && seen.add(`${r.method} ${r.url}`));
  };
  const fill = (url: string) => url.replace(/:(\w+)/g, (_m, name) => (name === 'action' ? 'note' : name === 'type' ? 'power' : '1'));
  const bodies = [
    { 'content-type': 'application/json', payload: JSON.stringify({ unknownField: 'x\u0000', roles: 'not-a-list', title: 1 }) },
    { 'content-type': 'application/json', payload: '{"unterminated' },
    { 'content-type': 'application/x-www-form-urlencoded', payload: 'title=%00&_csrf=forged' },
  ];

  it('an anonymous POST, PUT, PATCH or DELETE with a bad body gets 401 — never the field rules', async () => {
    const routes = unsafe();
    expect(routes.filter((r) => r.url.startsWith('/api/')).length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const r of routes) {
      for (const b of bodies) {
        const res = await env.app.inject({ method: r.method as any, url: fill(r.url), headers: { 'content-type': b['content-type'], accept: 'application/json' }, payload: b.payload });
        const body = res.headers['content-type']?.toString().includes('json') ? res.json() : null;
        if (res.statusCode !== 401 || body?.error?.code !== 'unauthorized' || body.error.fields) wrong.push(`${r.method} ${r.url} (${b['content-type']}): ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a caller without the permission gets 403 — never the field rules', async () => {
    const u = await env.p.db.selectFrom('users').select('id').where('username', '=', 'operator').executeTakeFirstOrThrow();
    const operator = (await loadPrincipal(env.p.db, u.id, 'token'))!;
    const routes = unsafe().filter((r) => r.permission !== 'authenticated' && r.permission !== 'mfa' && !can(operator, r.permission!));
    expect(routes.filter((r) => r.url.startsWith('/api/')).length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const r of routes) {
      for (const b of bodies) {
        const res = await env.api(r.method, fill(r.url), { as: 'operator', headers: { 'content-type': b['content-type'], accept: 'application/json' }, body: b.payload });
        const body = res.headers['content-type']?.toString().includes('json') ? res.json() : null;
        if (res.statusCode !== 403 || body?.error?.code !== 'forbidden' || body.error.fields) wrong.push(`${r.method} ${r.url} (${b['content-type']}): ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an anonymous GET of a staff API route with bad parameters gets 401', async () => {
    for (const url of ['/api/v1/users?page=abc&bogus=1', '/api/v1/staff/appeals?status=nonsense', '/api/v1/supervision/clocks/%00']) {
      const r = await env.app.inject(url);
      expect(r.statusCode, url).toBe(401);
      expect(r.json().error.fields, url).toBeUndefined();
    }
  });
});

describe('the response check', () => {
  it('finds a wrong type, an undocumented field, an undeclared status and an undeclared media type', async () => {
    const before = env.responseViolations.length;
    expect((await env.app.inject('/api/v1/probe/fits')).statusCode).toBe(200);
    expect(env.responseViolations.length).toBe(before);
    for (const what of ['wrong-type', 'extra-field', 'undeclared-status', 'plain']) await env.app.inject(`/api/v1/probe/${what}`);
    const found = env.responseViolations.splice(before).map((v) => `${v.request}: ${v.problem}`);
    expect(found).toEqual([
      expect.stringMatching(/probe\/wrong-type → 200: the body does not fit the schema of 200: \/n must be integer/),
      expect.stringMatching(/probe\/extra-field → 200: the body does not fit .*must NOT have additional properties \(secret\)/),
      expect.stringMatching(/probe\/undeclared-status → 202: status 202 is not declared/),
      expect.stringMatching(/probe\/plain → 200: content type text\/plain is not declared for 200/),
    ]);
  });
});
