// The staff inbox's page and API (platform part: messaging); every signed-in user has one. And the
// SMS provider's delivery receipts (channels/sms-http.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../platform.js';
import { AdminLayout, Csrf, Empty, Pager } from '../render/index.js';
import { notFound, unauthorized } from '../errors.js';
import { ErrorSchema } from '../http/schemas.js';
import { inbox, markRead, unreadCount } from './inbox.js';
import { shanghaiDateTime } from '../dates.js';
import { hasMessage } from '../i18n/index.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../channels/webhook-signature.js';
import { dispatchSmsReceipts, type SmsReceipt } from '../channels/sms-http.js';
import { outdatedItems } from '../channels/ledger.js';
import { OutdatedReport } from '../channels/ledger-view.js';
import { scopeOf } from '../auth/policy.js';
import { findItemType } from '../publication/registry.js';

/** The most receipts in one request. */
export const SMS_RECEIPTS_MAX = 500;

const SmsReceiptsBody = Type.Object(
  {
    receipts: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 100, description: 'Our message id (`id` of the text sent)' }),
          ref: Type.String({ minLength: 1, maxLength: 200, description: "The provider's id of the message" }),
          status: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
          error: Type.Optional(Type.String({ maxLength: 500, description: "The carrier's reason, when failed" })),
          at: Type.String({ format: 'date-time', description: 'When the handset confirmed or the carrier gave up' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: SMS_RECEIPTS_MAX },
    ),
  },
  { additionalProperties: false },
);

/** POST /api/v1/channels/sms/receipts: signed by the provider over the exact body, so the body is kept raw. */
async function smsReceiptRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    (req as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.post<{ Body: { receipts: SmsReceipt[] } }>(
    '/api/v1/channels/sms/receipts',
    {
      config: { permission: 'public', csrf: false },
      schema: {
        tags: ['channels'],
        summary: 'Delivery receipts from the SMS provider',
        description: `Signed by the provider like the texts it receives: \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(GONGKAI_SMS_SECRET, "<t>.<raw body>")>\`, \`t\` within 300 s. At most ${SMS_RECEIPTS_MAX} receipts per request. See docs/sms-provider.md.`,
        security: [],
        body: SmsReceiptsBody,
        response: { 200: Type.Object({ accepted: Type.Integer({ minimum: 0 }) }), 401: ErrorSchema },
      },
    },
    async (req) => {
      const raw = (req as FastifyRequest & { rawBody?: Buffer }).rawBody;
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
      const secret = p.config.sms.url ? p.config.sms.secret : '';
      if (!raw || typeof header !== 'string' || !verifyWebhookSignature(secret, header, raw)) throw unauthorized('err.sms.signature');
      const receipts = req.body.receipts;
      if (receipts.length) await dispatchSmsReceipts(p, receipts);
      return { accepted: receipts.length };
    },
  );
}

export async function inboxRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  await app.register(async (scope) => smsReceiptRoutes(scope, p));
  // Items a channel still carries in an outdated version (the delivery ledger), within the caller's departments.
  app.get<{ Querystring: { page?: string } }>('/admin/channels/outdated', { config: { permission: 'channels.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const page = Math.max(1, Math.min(10000, Number(req.query.page) || 1));
    const scope = scopeOf(req.user, 'channels.read');
    const r = await outdatedItems(p.db, { limit: 50, offset: (page - 1) * 50, departments: scope === 'all' ? undefined : [...scope] });
    const types = new Map((r.rows.length ? await p.db.selectFrom('pub_items').select(['id', 'type']).where('id', 'in', r.rows.map((x) => x.itemId)).execute() : []).map((x) => [Number(x.id), x.type]));
    const href = (id: number) => (types.get(id) === 'document' ? `/admin/catalog/${id}` : (findItemType(types.get(id) ?? '')?.url(id) ?? `/catalog/items/${id}`));
    return reply.html(
      <AdminLayout c={c} title={c.t('ledger.report.title')}>
        <h1>{c.t('ledger.report.title')}</h1>
        <p class="hint">{c.t('ledger.report.intro')}</p>
        <OutdatedReport c={c} rows={r.rows} itemHref={href} />
        <Pager c={c} page={page} pageSize={50} total={r.total} href={(n) => `/admin/channels/outdated${n > 1 ? `?page=${n}` : ''}`} />
      </AdminLayout>,
    );
  });
  app.get<{ Querystring: { page?: string } }>('/admin/inbox', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const page = Math.max(1, Math.min(10000, Number(req.query.page) || 1));
    const r = await inbox(p.db, req.user!.id, page);
    return reply.html(
      <AdminLayout c={c} title={c.t('inbox.title')}>
        <h1>{c.t('inbox.title')}</h1>
        {r.items.some((i) => !i.read_at) && (
          <form method="post" action="/admin/inbox/read">
            <Csrf c={c} />
            <button type="submit">{c.t('inbox.mark_all_read')}</button>
          </form>
        )}
        {r.items.length === 0 ? (
          <Empty>{c.t('inbox.none')}</Empty>
        ) : (
          <ul class="inbox">
            {r.items.map((i) => (
              <li class={i.read_at ? 'read' : 'unread'}>
                <span class={`tag kind-${i.kind}`}>{hasMessage(`inbox.kind.${i.kind}`) ? c.t(`inbox.kind.${i.kind}`) : c.t('inbox.kind_other')}</span> <a href={i.url}>{i.title}</a>
                <p>{i.body}</p>
                <p class="hint">
                  <time dateTime={i.created_at}>{shanghaiDateTime(i.created_at)}</time> · {i.read_at ? c.t('inbox.read') : c.t('inbox.unread_label')}
                </p>
                {!i.read_at && (
                  <form method="post" action={`/admin/inbox/${i.id}/read`}>
                    <Csrf c={c} />
                    <button type="submit">{c.t('inbox.mark_read')}</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager c={c} page={page} pageSize={30} total={r.total} href={(n) => `/admin/inbox?page=${n}`} />
      </AdminLayout>,
    );
  });

  app.post('/admin/inbox/read', { config: { permission: 'authenticated' } }, async (req, reply) => {
    await markRead(p.db, req.user!.id);
    return reply.redirect('/admin/inbox');
  });

  app.post<{ Params: { id: string } }>('/admin/inbox/:id/read', { config: { permission: 'authenticated' } }, async (req, reply) => {
    if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
    await markRead(p.db, req.user!.id, Number(req.params.id));
    return reply.redirect('/admin/inbox');
  });

  app.get<{ Querystring: { page?: number } }>(
    '/api/v1/notifications',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['staff'],
        summary: "The caller's in-app notifications, newest first, with the unread count",
        security: [{ bearer: [] }],
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ unread: Type.Integer(), total: Type.Integer(), items: Type.Array(Type.Object({ id: Type.Integer(), kind: Type.String(), title: Type.String(), body: Type.String(), url: Type.String(), createdAt: Type.String(), read: Type.Boolean() })) }), 401: ErrorSchema },
      },
    },
    async (req) => {
      const r = await inbox(p.db, req.user!.id, req.query.page ?? 1);
      return { unread: await unreadCount(p.db, req.user!.id), total: r.total, items: r.items.map((i) => ({ id: i.id, kind: i.kind, title: i.title, body: i.body, url: i.url, createdAt: i.created_at, read: !!i.read_at })) };
    },
  );
}
