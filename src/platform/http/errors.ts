// Every error leaves as {"error":{"code","message","fields"}} (API) or an error page (HTML),
// with a 4xx status for anything the caller did wrong. A 500 is always a bug and is logged.
// The database being away (restart, failover, network) is not a bug: 503 with Retry-After.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../errors.js';
import { t, localParams, DEFAULT_LOCALE, type Locale } from '../i18n/index.js';
import { fieldErrors } from './validation.js';
import { isDbUnavailable, isUniqueViolation } from '../db/index.js';
import { PublicLayout, AdminLayout } from '../render/layout.js';

export function wantsJson(req: FastifyRequest): boolean {
  const url = req.url;
  if (url.startsWith('/api/') || url.startsWith('/open311/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Seconds a client is asked to wait (Retry-After) when the database is unavailable. */
export const DB_RETRY_AFTER_S = 5;

interface Payload {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  retryAfter?: number;
}

export function toPayload(err: unknown, locale: Locale): Payload {
  if (err instanceof HttpError) {
    // A parameter that is itself a message key (a state's label) is shown in the reader's language.
    const params = localParams(locale, err.params);
    const fields = err.fields ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, t(locale, v, params)])) : undefined;
    return { status: err.status, code: err.code, message: t(locale, err.message, params), fields, retryAfter: err.retryAfter };
  }
  const e = err as FastifyError & { validation?: any[]; validationContext?: string };
  if (e.validation) {
    const fields = fieldErrors(e.validation, locale);
    return { status: 400, code: 'validation', message: t(locale, 'err.validation'), fields };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, code: 'payload_too_large', message: t(locale, 'err.too_large') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: t(locale, 'err.media_type') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 400, code: 'bad_request', message: t(locale, 'err.bad_body') };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, code: 'csrf', message: t(locale, 'err.csrf') };
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e as any).type === 'entity.parse.failed') {
    return { status: 400, code: 'invalid_json', message: t(locale, 'err.invalid_json') };
  }
  if (isDbUnavailable(err)) {
    return { status: 503, code: 'database_unavailable', message: t(locale, 'err.db_unavailable') };
  }
  // Two writers raced for the same new row (the next version of a rule or a document): the later
  // one loses with a 409 and may simply try again. Handlers that expect a duplicate say so first.
  if (isUniqueViolation(err)) {
    return { status: 409, code: 'conflict', message: t(locale, 'err.concurrent_change') };
  }
  // A value PostgreSQL refused (SQLSTATE class 22, data exception: NUL in text, a number beyond
  // the column, "NaN" for an integer) that got past validation: the caller's input, not a server
  // fault — but a gap in validation, so it is logged as a warning to be fixed.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && 'severity' in e) {
    return { status: 400, code: 'invalid_value', message: t(locale, 'err.invalid_value') };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: e.code ? String(e.code).toLowerCase() : 'bad_request', message: t(locale, 'err.bad_request') };
  }
  return { status: 500, code: 'internal', message: t(locale, 'err.internal') };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, payload: Payload) {
  reply.code(payload.status);
  if (payload.status === 429) reply.header('retry-after', String(payload.retryAfter ?? 60));
  if (payload.status === 503) reply.header('retry-after', String(DB_RETRY_AFTER_S)).header('cache-control', 'no-store');
  if (wantsJson(req)) {
    return reply.send({ error: { code: payload.code, message: payload.message, ...(payload.fields ? { fields: payload.fields } : {}) } });
  }
  const c = req.ctx(reply);
  const Layout = req.url.startsWith('/admin') ? AdminLayout : PublicLayout;
  return reply.html(
    (h as any)(Layout as any, { c, title: payload.message, canonical: null } as any, [
      h('h1', null, payload.message),
      payload.fields ? h('ul', { class: 'field-errors' }, Object.entries(payload.fields).map(([k, v]) => h('li', null, `${k}: ${v}`))) : null,
      h('p', null, h('a', { href: req.url.startsWith('/admin') ? '/admin' : '/' }, c.t('err.back_home'))),
    ]),
  );
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const payload = toPayload(err, req.locale ?? DEFAULT_LOCALE);
    if (payload.code === 'database_unavailable') req.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'database unavailable');
    else if (payload.status >= 500) req.log.error({ err }, 'unhandled error');
    else if (payload.code === 'conflict' && isUniqueViolation(err)) req.log.warn({ err: { message: (err as Error).message } }, 'concurrent change refused');
    else if (payload.code === 'invalid_value') req.log.warn({ err }, 'database refused a value that validation let through');
    else req.log.info({ code: payload.code, status: payload.status }, 'request rejected');
    return sendError(req, reply, payload);
  });
  app.setNotFoundHandler((req, reply) => {
    return sendError(req, reply, { status: 404, code: 'not_found', message: t(req.locale ?? DEFAULT_LOCALE, 'err.not_found') });
  });
}
