// Per-request identity and the permission gate. Every route declares config.permission:
//   'public'        anyone;
//   'authenticated' any signed-in staff user;
//   'mfa'           a session that still owes its second factor (the TOTP step only);
//   '<action>'      a user for whom can(user, action) holds in at least one department —
//                   handlers then check the specific resource's department.
// A route without a declaration is refused (fail closed) and listed by a test.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, ROUTE_LEVELS } from '../auth/policy.js';
import { loadPrincipal, lookupApiToken, lookupSession } from '../auth/identity.js';
import { pickLocale, translator } from '../i18n/index.js';
import { forbidden, unauthorized, HttpError } from '../errors.js';
import type { Platform } from '../platform.js';
import { wantsJson } from './errors.js';

export const SESSION_COOKIE = 'gk_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function cookieOptions(p: Platform, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: p.config.secureCookies, ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}

/** Every route registered, with its declared permission (the route-permission test reads this). */
export const registeredRoutes: { method: string; url: string; permission: string | undefined }[] = [];

function clientIp(req: FastifyRequest): string {
  return req.ip || req.socket.remoteAddress || 'unknown';
}
export { clientIp };

function bearerOf(req: FastifyRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
}

export function installAuth(app: FastifyInstance, p: Platform): void {
  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('t', null as any);
  app.decorateRequest('prefs', null as any);

  // Every route names a permission, and an action must be declared by a mounted module: a typo
  // or a forgotten declaration stops the start, instead of answering 403 to everyone.
  const actions = new Set(p.modules.flatMap((m) => (m.permissions ?? []).map((d) => d.action)));
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/static/')) return;
    const permission = route.config?.permission as string | undefined;
    if (permission && !ROUTE_LEVELS.has(permission) && !actions.has(permission)) {
      throw new Error(`${[route.method].flat().join(',')} ${route.url} names the action "${permission}", which no mounted module declares`);
    }
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url, permission: route.config?.permission });
  });

  app.addHook('onRequest', async (req) => {
    const cookies = req.cookies ?? {};
    // The console speaks the configured language until the user switches (GONGKAI_CONSOLE_LANG);
    // the portal and the API follow the browser.
    const consoleFixed = p.config.consoleLang !== 'browser' && (req.url === '/admin' || req.url.startsWith('/admin/') || req.url.startsWith('/admin?')) ? p.config.consoleLang : undefined;
    req.locale = pickLocale(cookies.gk_lang, req.headers['accept-language'], consoleFixed);
    req.t = translator(req.locale);
    req.prefs = { large: cookies.gk_large === '1', contrast: cookies.gk_contrast === '1', spacing: cookies.gk_spacing === '1' };
  });

  // Who is calling and may they call this route: on the request line and headers alone, before
  // the body is read, parsed or validated — an anonymous or unauthorised caller gets 401/403 and
  // learns nothing about the body's rules.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url.startsWith('/static/') || req.is404) return;
    const permission = req.routeOptions.config?.permission;
    if (!permission) throw forbidden('err.no_permission_declared');

    const bearer = bearerOf(req);
    if (permission !== 'public') {
      if (bearer) {
        const tok = await lookupApiToken(p.db, bearer);
        if (!tok) throw unauthorized('err.bad_token');
        const user = await loadPrincipal(p.db, tok.userId, 'token');
        if (!user) throw unauthorized('err.bad_token');
        user.tokenId = tok.id;
        req.user = user;
      } else {
        const token = req.cookies?.[SESSION_COOKIE];
        const session = token ? await lookupSession(p.db, token, p.config.sessionHours) : null;
        if (session) {
          if (session.mfaPending && permission !== 'mfa') {
            if (!wantsJson(req)) return reply.redirect('/admin/login/2fa');
            throw unauthorized('err.mfa_pending');
          }
          const user = await loadPrincipal(p.db, session.userId, 'session');
          if (user) {
            user.sessionId = session.id;
            req.user = user;
          }
        }
      }
      if (!req.user) {
        if (!wantsJson(req) && SAFE.has(req.method)) return reply.redirect(`/admin/login?next=${encodeURIComponent(req.url)}`);
        throw unauthorized();
      }
      if (permission !== 'authenticated' && permission !== 'mfa' && !can(req.user, permission)) throw forbidden();
    }
  });

  // CSRF: unsafe requests that a browser could forge (cookie-authenticated, or a form post)
  // must carry the token; Bearer-token API calls and routes with their own keys are exempt. A
  // form sends the token as a field, so this waits for the parsed body — and still runs before
  // the body is validated (and before the input checks of http/input.ts, registered after).
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url.startsWith('/static/') || req.is404) return;
    if (!SAFE.has(req.method) && !bearerOf(req) && req.routeOptions.config?.csrf !== false) {
      const ct = String(req.headers['content-type'] ?? '');
      const formLike = ct.startsWith('application/x-www-form-urlencoded') || ct.startsWith('multipart/form-data') || ct.startsWith('text/plain') || ct === '';
      if (formLike || req.cookies?.[SESSION_COOKIE]) {
        const check = () =>
          new Promise<void>((resolve, reject) => {
            (app as any).csrfProtection(req, reply, (err?: Error) => (err ? reject(new HttpError(403, 'csrf', 'err.csrf')) : resolve()));
          });
        const q = req.query as Record<string, unknown> | undefined;
        const tokenElsewhere = req.headers['x-csrf-token'] !== undefined || typeof q?._csrf === 'string';
        if (req.routeOptions.config?.csrf === 'multipart' && ct.startsWith('multipart/form-data') && !tokenElsewhere) checkFirstPart(req, check);
        else await check();
      }
    }
  });
}

/**
 * An upload form's token, read from the body rather than the URL: the first part must be the
 * `_csrf` field and is checked before any part reaches the handler; anything else is a 403.
 */
function checkFirstPart(req: FastifyRequest, check: () => Promise<void>): void {
  const r = req as FastifyRequest & { parts: (opts?: unknown) => AsyncIterableIterator<any> };
  const parts = r.parts;
  r.parts = function (this: unknown, opts?: unknown) {
    const it = parts.call(this, opts);
    return (async function* () {
      const first = await it.next();
      const p0 = first.done ? null : first.value;
      if (!p0 || p0.type === 'file' || p0.fieldname !== '_csrf' || typeof p0.value !== 'string') throw new HttpError(403, 'csrf', 'err.csrf');
      (req as { csrfField?: string }).csrfField = p0.value;
      await check();
      yield* it;
    })();
  } as typeof r.parts;
}
