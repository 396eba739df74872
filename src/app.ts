// Builds the Fastify app from the platform and the module list.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fstatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { VNode } from 'preact';
import type { Platform } from './platform/platform.js';
import './platform/http/types.js';
import { bodyAjv, queryAjv, boundIntegers } from './platform/http/validation.js';
import { installErrorHandling } from './platform/http/errors.js';
import { installAuth } from './platform/http/auth.js';
import { installInputChecks } from './platform/http/input.js';
import { installMetrics } from './platform/http/metrics.js';
import { installSystemRoutes } from './platform/http/system.js';
import { installSitemap } from './platform/sitemap.js';
import { checkResponses, swaggerOptions, type ResponseViolation } from './platform/http/openapi.js';
import { accessLogOptions } from './platform/http/logging.js';
import { renderHtml, pageCtx, type PageCtx, type SiteChrome } from './platform/render/index.js';
import type { NavItem } from './platform/module.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a rendered page. */
    html(vnode: VNode, status?: number): FastifyReply;
  }
  interface FastifyRequest {
    /** The view context of this request. */
    ctx(reply: FastifyReply): PageCtx;
  }
}

function findWebRoot(): string {
  // src/app.ts and dist/app.js both sit one level below the project root.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const cand of [join(here, '..', 'web'), join(here, '..', '..', 'web')]) if (existsSync(cand)) return cand;
  return join(here, '..', 'web');
}

export async function buildApp(
  p: Platform,
  opts: {
    logger?: boolean;
    logStream?: { write(line: string): void };
    logLevel?: string;
    /** Tests: check every answer of a described route against the API document, collecting what does not fit here. */
    responseViolations?: ResponseViolation[];
  } = {},
): Promise<FastifyInstance> {
  const { config } = p;
  const app = Fastify({
    // Secret query parameters (query codes, API keys…) are redacted from the logged URLs.
    logger: opts.logger === false ? false : accessLogOptions(opts.logLevel ?? config.logLevel, opts.logStream),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: {} },
  });
  app.decorate('gk', p);

  // Bodies are validated strictly; query strings, params and headers are coerced from text.
  // Validators and serializers are compiled on a route's first use, not at start-up: with
  // hundreds of routes, eager compilation was most of the time to the first /healthz.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : queryAjv;
    let fn: ((data: unknown) => boolean) & { errors?: unknown } | null = null;
    const validate = (data: unknown) => {
      fn ??= ajv.compile(boundIntegers(schema)) as any;
      const ok = fn!(data);
      (validate as any).errors = fn!.errors;
      return ok;
    };
    return validate as any;
  });
  const serializerFactory = (SerializerSelector as unknown as () => (externalSchemas: object, options: object) => (route: any) => (data: unknown) => string)()({}, {});
  app.setSerializerCompiler((route) => {
    let fn: ((data: unknown) => string) | null = null;
    return (data: unknown) => (fn ??= serializerFactory(route))(data);
  });

  await app.register(cookie, { secret: config.secrets.cookieSecret });
  await app.register(formbody, { bodyLimit: config.bodyLimit });
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 10, fields: 100, fieldSize: config.bodyLimit } });
  await app.register(csrf, {
    cookieKey: 'gk_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
    getToken: (req: FastifyRequest) => {
      const b = req.body as Record<string, unknown> | undefined;
      const q = req.query as Record<string, unknown> | undefined;
      // Forms send it as a field (an upload form as its first part: csrfField, platform/http/auth.ts);
      // scripts as a header. The query string is still read for old upload forms, but no page puts it there.
      const field = (req as { csrfField?: string }).csrfField;
      return (typeof b?._csrf === 'string' ? b._csrf : undefined) ?? field ?? (req.headers['x-csrf-token'] as string | undefined) ?? (typeof q?._csrf === 'string' ? q._csrf : undefined);
    },
  } as any);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The appeal form's map tiles (GONGKAI_MAP_TILE_URL), when configured.
        imgSrc: ["'self'", 'data:', ...(config.map ? [config.map.origin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: config.secureCookies,
  });
  // The API document: what routes declare, with the platform's defaults (platform/http/openapi.ts).
  await app.register(swagger, swaggerOptions(p) as any);

  const chrome: SiteChrome = {
    publicNav: sortNav(p.modules.flatMap((m) => m.nav?.public ?? [])),
    adminNav: sortNav(p.modules.flatMap((m) => m.nav?.admin ?? [])),
    footerLinks: sortNav(p.modules.flatMap((m) => m.nav?.footer ?? [])),
    searchPath: p.modules.find((m) => m.searchPath)?.searchPath ?? null,
    site: config.site,
    publicUrl: config.publicUrl,
  };
  app.decorateRequest('ctx', function (this: FastifyRequest, reply: FastifyReply) {
    return pageCtx(this, reply, chrome);
  });
  app.decorateReply('html', function (this: FastifyReply, vnode: VNode, status?: number) {
    if (status) this.code(status);
    this.header('content-type', 'text/html; charset=utf-8');
    if (!this.hasHeader('cache-control')) this.header('cache-control', 'no-store');
    // Pages differ by language and display preferences, both chosen with cookies.
    this.header('vary', 'Cookie, Accept-Language');
    return this.send(renderHtml(vnode));
  });

  installErrorHandling(app);
  if (opts.responseViolations) checkResponses(app, opts.responseViolations);
  installMetrics(app, p);
  installAuth(app, p);
  installInputChecks(app);

  await app.register(fstatic, { root: join(findWebRoot(), 'static'), prefix: '/static/', maxAge: '1h', decorateReply: false });
  // Browsers ask for /favicon.ico whatever the page declares (it declares /static/favicon.svg).
  const favicon = readFileSync(join(findWebRoot(), 'static', 'favicon.ico'));
  app.get('/favicon.ico', { config: { permission: 'public' }, schema: { hide: true } as any }, async (_req, reply) => reply.header('content-type', 'image/x-icon').header('cache-control', 'public, max-age=86400').send(favicon));
  installSystemRoutes(app, p);
  installSitemap(app, p);

  for (const m of p.modules) {
    if (!m.routes) continue;
    await app.register(
      async (scope) => {
        // The module's name on each of its routes: the default tag of its operations in the API document.
        scope.addHook('onRoute', (route) => void (route.config = { ...route.config, module: m.name }));
        await m.routes!(scope, p);
      },
      { name: m.name } as any,
    );
  }
  return app;
}

function sortNav(items: NavItem[]): NavItem[] {
  return [...items].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
