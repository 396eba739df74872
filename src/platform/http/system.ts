// Operational and preference routes: health, readiness, metrics, OpenAPI, language and
// accessibility switches (plain links setting cookies, so they work without JavaScript).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type client from 'prom-client';
import { ping } from '../db/index.js';
import type { Platform } from '../platform.js';
import { forbidden, notFound } from '../errors.js';
import { cookieOptions } from './auth.js';
import { DB_RETRY_AFTER_S } from './errors.js';
import { media, TextBody } from './schemas.js';

export const lifecycle = { ready: true };

/** Only same-site relative paths are accepted as "back" targets. */
export function safeBack(back: unknown, fallback = '/'): string {
  return typeof back === 'string' && back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') ? back : fallback;
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

export function installSystemRoutes(app: FastifyInstance, p: Platform): void {
  const Health = Type.Object({ status: Type.String({ enum: ['ok', 'error'] }), database: Type.String({ enum: ['sqlite', 'postgres'] }) });
  app.get('/healthz', { config: { permission: 'public' }, schema: { tags: ['platform'], summary: 'Health: the database answered a round trip (503 otherwise)', response: { 200: Health, 503: { ...Health, description: 'The database cannot be reached' } } } }, async (_req, reply) => {
    try {
      await ping(p.db);
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: p.dialect });
    } catch {
      return reply.code(503).header('cache-control', 'no-store').header('retry-after', String(DB_RETRY_AFTER_S)).send({ status: 'error', database: p.dialect });
    }
  });

  // Not ready while shutting down or while the database cannot be reached (a restart, a
  // failover): the load balancer sends traffic elsewhere until a ping succeeds again.
  const Ready = (states: string[]) => Type.Object({ status: Type.String({ enum: states }) });
  app.get('/readyz', { config: { permission: 'public' }, schema: { tags: ['platform'], summary: 'Readiness for traffic: 503 while shutting down or while the database cannot be reached', response: { 200: Ready(['ready']), 503: { ...Ready(['shutting-down', 'database-unavailable']), description: 'Not ready; see Retry-After when the database is away' } } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!lifecycle.ready) return reply.code(503).send({ status: 'shutting-down' });
    try {
      await ping(p.db);
    } catch {
      return reply.code(503).header('retry-after', String(DB_RETRY_AFTER_S)).send({ status: 'database-unavailable' });
    }
    return reply.header('cache-control', 'no-store').send({ status: 'ready' });
  });

  app.get('/metrics', { config: { permission: 'public' } }, async (req, reply) => {
    const mode = p.config.metrics;
    if (mode === 'off') throw notFound();
    if (mode === 'local' && !isLoopback(req.socket.remoteAddress ?? '')) throw forbidden();
    if (mode.startsWith('token:') && req.headers.authorization !== `Bearer ${mode.slice(6)}`) throw forbidden();
    const registry = (app as any).metricsRegistry as client.Registry;
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });

  // RFC 9116: where to report a vulnerability. Expires is required; it is kept 180 days ahead.
  app.get('/.well-known/security.txt', { config: { permission: 'public' }, schema: { hide: true } as any }, async (_req, reply) => {
    const contact = p.config.securityContact;
    if (!contact) throw notFound();
    const expires = new Date(Date.now() + 180 * 86400_000);
    expires.setUTCHours(0, 0, 0, 0);
    const body = [`Contact: ${contact}`, `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`, 'Preferred-Languages: zh, en', `Canonical: ${p.config.publicUrl}/.well-known/security.txt`, ''].join('\n');
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body);
  });

  // robots.txt: the portal is open to crawlers; the console, the API, the cookie switches
  // (endless URL variants) and the appeal look-up (a person's own appeal) are not. The appeal
  // form is: it is how people find where to turn (the empty form carries nobody's data; what
  // they send is a POST). Points to the sitemap (platform/sitemap.ts).
  app.get('/robots.txt', { config: { permission: 'public' }, schema: { tags: ['platform'], summary: 'robots.txt (RFC 9309): what crawlers may visit, and where the sitemap is', response: { 200: media('The rules', { 'text/plain': TextBody }) } } }, async (_req, reply) => {
    const lines = ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /api/', 'Disallow: /lang/', 'Disallow: /prefs', 'Disallow: /appeals/track', '', `Sitemap: ${p.config.publicUrl}/sitemap.xml`];
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(lines.join('\n') + '\n');
  });

  app.get(
    '/api/openapi.json',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['platform'],
        operationId: 'getOpenapiDocument',
        summary: 'This document: the OpenAPI 3.1 description of the API, the feeds, the sitemaps and Open311',
        response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true, 'x-response-description': 'The OpenAPI 3.1 document' }) },
      },
    },
    async (_req, reply) => {
      return reply.header('cache-control', 'public, max-age=60').send(app.swagger());
    },
  );

  app.get<{ Params: { locale: string }; Querystring: { back?: string } }>('/lang/:locale', { config: { permission: 'public' } }, async (req, reply) => {
    const locale = req.params.locale === 'en' ? 'en' : 'zh-CN';
    reply.setCookie('gk_lang', locale, { ...cookieOptions(p, 365 * 86400), httpOnly: false });
    return reply.redirect(safeBack(req.query.back));
  });

  app.get<{ Querystring: Record<string, string> }>('/prefs', { config: { permission: 'public' } }, async (req, reply) => {
    for (const key of ['large', 'contrast', 'spacing']) {
      const v = req.query[key];
      if (v === '1') reply.setCookie(`gk_${key}`, '1', { ...cookieOptions(p, 365 * 86400), httpOnly: false });
      else if (v === '0') reply.clearCookie(`gk_${key}`, { path: '/' });
    }
    return reply.redirect(safeBack(req.query.back));
  });
}
