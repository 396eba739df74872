// JSON API of subscriptions: the API form of subscribing (the same double opt-in — the owner of
// the address confirms by link or code), confirming an SMS code, and for staff the counts per
// subscriber list (never addresses here). And the mail server's reports (bounces, complaints).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { clientLimit } from '../../../platform/http/limit.js';
import { FREQUENCIES, SUB_CHANNELS } from '../schema.js';
import { confirmByCode, subscribe } from '../service/subscribe.js';
import { listCounts } from '../service/staff.js';
import { handleReport } from '../service/bounces.js';
import { notFound, unauthorized } from '../../../platform/errors.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';

const TAG = 'subscriptions';
const s = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

/** The largest report taken: a DSN or ARF quotes at most the original message. */
export const MAIL_REPORT_MAX = 1024 * 1024;
export const MAIL_REPORT_TYPES = ['message/rfc822', 'text/plain'] as const;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Off (404) without GONGKAI_MAIL_REPORT_TOKEN; else the bearer token must be it (401). After the platform's input checks. */
function reportToken(p: Platform) {
  return async (req: FastifyRequest) => {
    const want = p.config.mailReportToken;
    if (!want) throw notFound();
    const got = /^Bearer\s+(\S{1,500})\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(got), digest(want))) throw unauthorized('subscriptions.err.report_token');
  };
}

/** POST /api/v1/channels/mail/reports: a raw DSN or complaint report, in its own scope for its parsers. */
async function mailReportRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  // Only mail: any other type of body is a 415 here.
  app.removeAllContentTypeParsers();
  // Kept as a byte-for-byte latin1 string: a Buffer body would be walked key by key by the input checks.
  for (const type of MAIL_REPORT_TYPES) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAIL_REPORT_MAX }, (_req, body, done) => done(null, (body as Buffer).toString('latin1')));
  app.post(
    '/api/v1/channels/mail/reports',
    {
      config: { permission: 'public', csrf: false },
      bodyLimit: MAIL_REPORT_MAX,
      preValidation: reportToken(p),
      schema: {
        operationId: 'mailReport',
        tags: [TAG],
        summary: 'A bounce report (DSN, RFC 3464) or complaint (ARF, RFC 5965) about an e-mail the platform sent, piped by the mail server',
        description:
          'The body is the raw report as received (`content-type: message/rfc822` or `text/plain`, at most 1 MB), authorised by `Authorization: Bearer <GONGKAI_MAIL_REPORT_TOKEN>`; 404 while that is unset. The original message is found by its Message-ID (from the quoted message or headers). A hard bounce (5.x.x) marks its ledger rows `bounced` and counts against the address (3 in a row suspend it); a delivery (2.x.x) marks them `delivered` and resets the count; a soft bounce (4.x.x) only records its status; a complaint ends every subscription of the address. `matched` is the ledger rows concerned: 0 with `action: unknown` for a report about no message of ours, or no report at all. See docs/api.md.',
        security: [],
        consumes: [...MAIL_REPORT_TYPES],
        doc: { body: Type.String({ format: 'binary', description: 'The report message (RFC 5322), multipart/report' }) },
        response: {
          200: Type.Object({ matched: Type.Integer({ minimum: 0 }), action: Type.String({ enum: ['bounced', 'delivered', 'soft', 'complaint', 'unknown'] }) }),
          400: ErrorSchema,
          401: ErrorSchema,
          404: ErrorSchema,
          413: ErrorSchema,
          415: ErrorSchema,
        },
      },
    },
    async (req) => {
      const body = typeof req.body === 'string' ? Buffer.from(req.body, 'latin1') : null;
      if (!body?.length) return { matched: 0, action: 'unknown' as const };
      return handleReport(p, body);
    },
  );
}

export function subscriptionsApi(app: FastifyInstance, p: Platform): void {
  void app.register(async (scope) => mailReportRoutes(scope, p));
  const limit = clientLimit(p.db, { bucket: 'subscriptions.api', max: 10, message: 'subscriptions.err.rate_limited' });
  app.post<{ Body: Record<string, string> }>(
    '/api/v1/subscriptions',
    {
      config: { permission: 'public' },
      preHandler: limit,
      schema: {
        operationId: 'subscribe',
        tags: [TAG],
        summary:
          'Subscribe an e-mail address or mobile number to a target (at least one of dept, topic, genre, type, cat, item, q, appeal with its query code). Pending until confirmed: an e-mail gets a confirmation link, a mobile a 6-digit code to POST to /api/v1/subscriptions/confirmations with the verifyToken. 400 naming the field; 429 over the budget (per client, and 5 confirmations an hour per address)',
        body: Type.Object(
          {
            channel: Type.String({ enum: [...SUB_CHANNELS] }),
            address: Type.String({ maxLength: 200, description: 'an e-mail address or an 11-digit mainland mobile number' }),
            frequency: Type.Optional(Type.String({ enum: [...FREQUENCIES] })),
            dept: s(12, 'department id'),
            topic: s(4, '主题分类 code, 2 or 4 digits'),
            genre: s(20, '体裁, e.g. 通知'),
            type: s(40, 'item type, e.g. document, penalty, decision-consultation'),
            cat: s(20, 'Art. 20 category code, e.g. a20-06'),
            item: s(12, "one public item's id (its new versions, withdrawal, end of validity); alone"),
            q: s(100, 'saved search: every keyword must appear in the item'),
            appeal: s(20, "an appeal's tracking number: its handling steps, by its query code; alone"),
            code: s(20, "the appeal's query code (the proof that goes with appeal)"),
            facets: Type.Optional(
              Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]{0,19}$' }), Type.String({ maxLength: 40 }), {
                description: "the item type's own facets, with `type`: e.g. {\"domain\": \"market\"} for penalty decisions of one enforcement domain",
                maxProperties: 4,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ subscriptionId: Type.Integer(), channel: Type.String(), verifyToken: Type.Optional(Type.String()) }) },
      },
    },
    async (req, reply) => {
      const { facets, ...rest } = req.body as Record<string, unknown> & { facets?: Record<string, string> };
      const x = Object.fromEntries(Object.entries(facets ?? {}).map(([k, v]) => [`x.${k}`, v]));
      return reply.code(202).send(await subscribe(p, { ...rest, ...x, locale: req.locale }));
    },
  );

  app.post<{ Body: { verifyToken: string; code: string } }>(
    '/api/v1/subscriptions/confirmations',
    {
      config: { permission: 'public', csrf: false },
      preHandler: limit,
      schema: {
        operationId: 'confirmSubscriptionCode',
        tags: [TAG],
        summary: 'Confirm a subscription by the SMS code. 400 naming code (wrong, expired, locked after 5 tries); 404 for an unknown or expired token',
        body: Type.Object({ verifyToken: Type.String({ maxLength: 120 }), code: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ subscriptionId: Type.Integer(), state: Type.Literal('active') }) },
      },
    },
    async (req) => {
      const r = await confirmByCode(p, req.body.verifyToken, req.body.code);
      return { subscriptionId: r.subscriptionId, state: 'active' as const };
    },
  );

  app.get(
    '/api/v1/staff/subscriptions/lists',
    {
      config: { permission: 'subscriptions.read' },
      schema: {
        operationId: 'subscriptionListCounts',
        tags: [TAG],
        summary: 'Subscriber lists with their active subscriptions per channel and frequency (counts only)',
        response: {
          200: Type.Object({
            lists: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), departmentId: Type.Union([Type.Integer(), Type.Null()]), email: Type.Integer(), sms: Type.Integer(), immediately: Type.Integer(), daily: Type.Integer(), weekly: Type.Integer(), pending: Type.Integer() })),
          }),
        },
      },
    },
    async (req) => ({ lists: await listCounts(p, req.locale) }),
  );
}
