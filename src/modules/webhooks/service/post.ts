// The webhook poster: the job `webhooks.deliver {deliveryId}` sends one ledger row to its endpoint.
// The body is built from the ledger row, so every retry and replay sends the same bytes (but a new
// signature time); it is signed over the exact bytes sent. The URL is vetted again at every send
// and the request connects to the vetted address only (a `lookup` that returns it: no second DNS
// answer); redirects are not followed (a 3xx is a failure); 10 s timeout. 2xx → delivered; another
// answer or none → the job throws and the outbox retries with backoff, the ledger row failed on
// the last try; a refused address → failed at once, no retry. Each try is a row of wh_attempts.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import type { JobRow } from '../../../platform/jobs/index.js';
import { markDeliveries } from '../../../platform/channels/ledger.js';
import { OutboundRefused, vetOutboundUrl, type Vetted, type VetOptions } from '../../../platform/channels/net-guard.js';
import { SIGNATURE_HEADER, webhookSignature } from '../../../platform/channels/webhook-signature.js';
import { findItemType } from '../../../platform/publication/registry.js';
import { vetOptions } from './endpoints.js';

export const TIMEOUT_MS = 10_000;
const EXCERPT = 1024;

export interface PostResult {
  status: number | null;
  ms: number;
  error: string | null;
  response: string | null;
}

/** One POST to the vetted address; never follows a redirect. Resolves with what happened. */
export function postTo(v: Vetted, headers: Record<string, string>, body: Buffer, timeoutMs = TIMEOUT_MS): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, 'ms'>): PostResult => ({ ...r, ms: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    const mod = v.url.protocol === 'https:' ? https : http;
    const host = v.url.hostname.replace(/^\[|\]$/g, '');
    let settled = false;
    const finish = (r: Omit<PostResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const req = mod.request(
      v.url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(body.length) },
        agent: false,
        // The vetted address, whatever a resolver would answer now.
        lookup: ((_h: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => (opts?.all ? cb(null, [{ address: v.address, family: v.family }]) : cb(null, v.address, v.family))) as never,
        ...(v.url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < EXCERPT) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => finish({ status: res.statusCode ?? null, error: null, response: Buffer.concat(chunks).subarray(0, EXCERPT).toString('utf8') }));
        res.on('error', (e) => finish({ status: res.statusCode ?? null, error: e.message, response: null }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => finish({ status: null, error: e.message.slice(0, 500), response: null }));
    req.end(body);
  });
}

/** The delivery's body (as sent) and what the job needs, or null when the ledger row is gone. */
export async function deliveryBody(p: Platform, deliveryId: number) {
  const d = await p.db
    .selectFrom('chn_deliveries as d')
    .innerJoin('pub_items as i', 'i.id', 'd.item_id')
    .leftJoin('departments as dep', 'dep.id', 'i.department_id')
    .leftJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'd.item_id').onRef('v.version', '=', 'd.version'))
    .select(['d.id', 'd.item_id', 'd.version', 'd.event', 'd.state', 'd.attempts', 'd.recipient_id', 'd.queued_at', 'd.channel', 'i.type', 'i.index_no', 'i.title', 'dep.name as department', 'v.hash'])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!d || d.channel !== 'webhook') return null;
  const path = findItemType(d.type)?.url(Number(d.item_id)) ?? `/items/${d.item_id}`;
  const body = {
    event: d.event,
    deliveryId: Number(d.id),
    occurredAt: d.queued_at,
    item: { id: Number(d.item_id), type: d.type, indexNo: d.index_no, title: d.title, department: d.department ?? '', url: `${p.config.publicUrl}${path}` },
    version: Number(d.version),
    hash: d.hash ?? null,
  };
  return { row: d, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

const now = () => new Date().toISOString();

/** The job handler. `lookup` lets tests resolve names their own way. */
export function deliverJob(p: Platform, opts: { lookup?: VetOptions['lookup'] } = {}) {
  return async (payload: { deliveryId: number }, job: JobRow): Promise<void> => {
    const deliveryId = Number(payload?.deliveryId);
    if (!Number.isSafeInteger(deliveryId)) return;
    const found = await deliveryBody(p, deliveryId);
    // Gone, or already settled (a job that ran twice, a replay done): nothing to send.
    if (!found || found.row.state !== 'queued') return;
    const { row, body } = found;
    const endpoint = await p.db.selectFrom('wh_endpoints').select(['id', 'url', 'secret', 'state']).where('id', '=', Number(row.recipient_id)).executeTakeFirst();
    if (!endpoint) {
      await p.tx((t) => markDeliveries(t, [deliveryId], 'failed', { reason: 'endpoint deleted' }));
      return;
    }
    if (endpoint.state !== 'active') {
      await p.tx((t) => markDeliveries(t, [deliveryId], 'suppressed', { reason: 'endpoint paused' }));
      return;
    }
    const attempt = Number(row.attempts) + 1;
    const startedAt = now();
    const record = (t: Db, r: PostResult) =>
      t.insertInto('wh_attempts').values({ delivery_id: deliveryId, endpoint_id: endpoint.id, attempt, started_at: startedAt, status: r.status, ms: r.ms, error: r.error, response: r.response }).execute();
    let vetted: Vetted;
    try {
      vetted = await vetOutboundUrl(endpoint.url, vetOptions(p, opts.lookup));
    } catch (e) {
      if (!(e instanceof OutboundRefused)) throw e;
      const reason = `refused: ${e.reason}${e.address ? ` (${e.address})` : ''}`;
      await p.tx(async (t) => {
        await t.insertInto('wh_attempts').values({ delivery_id: deliveryId, endpoint_id: endpoint.id, attempt, started_at: startedAt, status: null, ms: 0, error: reason, response: null }).execute();
        await markDeliveries(t, [deliveryId], 'failed', { reason, attempt: true });
      });
      return;
    }
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'gongkai-webhooks',
      'X-Gongkai-Event': row.event,
      'X-Gongkai-Delivery': String(deliveryId),
      [SIGNATURE_HEADER]: webhookSignature(endpoint.secret, body),
    };
    const r = await postTo(vetted, headers, body);
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    const error = ok ? null : (r.error ?? `HTTP ${r.status}`);
    if (ok) {
      await p.tx(async (t) => {
        await record(t, r);
        await markDeliveries(t, [deliveryId], 'delivered', { ref: String(r.status), reason: null, attempt: true });
      });
      return;
    }
    const jobRow = await p.db.selectFrom('jobs').select('max_attempts').where('id', '=', job.id).executeTakeFirst();
    const last = !jobRow || job.attempts >= Number(jobRow.max_attempts);
    await p.tx(async (t) => {
      await record(t, { ...r, error });
      if (last) await markDeliveries(t, [deliveryId], 'failed', { reason: error, ref: r.status === null ? null : String(r.status), attempt: true });
      else await t.updateTable('chn_deliveries').set({ attempts: sql`attempts + 1`, reason: error }).where('id', '=', deliveryId).execute();
    });
    throw new Error(`webhook delivery ${deliveryId}: ${error}`);
  };
}
