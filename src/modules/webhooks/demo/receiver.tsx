// The demo's webhook receiver, mounted only when the platform runs the demo (GONGKAI_DEMO):
// POST /demo/webhook-receiver checks the signature over the raw body with the secret of the demo
// endpoint that posts here (tolerance 300 s) and keeps the last 50 bodies in memory, valid or not;
// GET /demo/webhook-receiver shows them. It is what a new-media account's system would do.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Empty, TableWrap } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE, verifyWebhookSignature } from '../../../platform/channels/webhook-signature.js';
import { RECEIVER_PATH } from './index.js';

interface Received {
  at: string;
  valid: boolean;
  event: string;
  body: string;
}

const KEEP = 50;
const inbox = new WeakMap<Platform, Received[]>();

/** What the demo receiver holds (newest first). */
export const received = (p: Platform): Received[] => inbox.get(p) ?? [];

export async function demoReceiver(app: FastifyInstance, p: Platform): Promise<void> {
  if (!p.config.demo) return;
  await app.register(async (sub) => {
    // The signature covers the exact bytes: keep them as they came.
    sub.removeContentTypeParser('application/json');
    sub.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, { raw: String(body) }));
    sub.post(RECEIVER_PATH, { config: { permission: 'public', csrf: false } }, async (req, reply) => {
      const raw = (req.body as { raw?: string } | null)?.raw ?? '';
      const header = String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? '');
      const endpoints = await p.db.selectFrom('wh_endpoints').select('secret').where('url', '=', `${p.config.publicUrl}${RECEIVER_PATH}`).execute();
      const valid = !!header && endpoints.some((e) => verifyWebhookSignature(e.secret, header, raw, { toleranceSec: SIGNATURE_TOLERANCE }));
      const list = inbox.get(p) ?? [];
      list.unshift({ at: new Date().toISOString(), valid, event: String(req.headers['x-gongkai-event'] ?? '').slice(0, 40), body: raw.slice(0, 4000) });
      inbox.set(p, list.slice(0, KEEP));
      return reply.code(valid ? 200 : 401).send({ ok: valid });
    });
  });
  app.get(RECEIVER_PATH, { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const list = received(p);
    return reply.html(
      <PublicLayout c={c} title={c.t('webhooks.receiver.title')} noindex>
        <h1>{c.t('webhooks.receiver.title')}</h1>
        <p>{c.t('webhooks.receiver.intro')}</p>
        {!list.length ? (
          <Empty>{c.t('webhooks.receiver.none')}</Empty>
        ) : (
          <TableWrap label={c.t('webhooks.receiver.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('webhooks.receiver.received')}</th>
                  <th scope="col">{c.t('webhooks.events')}</th>
                  <th scope="col">{c.t('webhooks.state')}</th>
                  <th scope="col">{c.t('webhooks.receiver.body')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr>
                    <td>{shanghaiDateTime(r.at, true)}</td>
                    <td>{r.event}</td>
                    <td>{c.t(r.valid ? 'webhooks.receiver.valid' : 'webhooks.receiver.invalid')}</td>
                    <td>
                      <pre class="wrap">{r.body}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </PublicLayout>,
    );
  });
}
