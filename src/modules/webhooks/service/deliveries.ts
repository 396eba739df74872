// An endpoint's history: its last tries and its ledger rows, and replay of one delivery (the same
// body sent again by a new job keyed `webhook-replay:<deliveryId>:<n>`, the row back to queued).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, notFound } from '../../../platform/errors.js';
import { endpointFor } from './endpoints.js';
import { DELIVER_JOB } from './channel.js';

export const HISTORY = 50;

export interface Attempt {
  id: number;
  deliveryId: number;
  attempt: number;
  startedAt: string;
  status: number | null;
  ms: number;
  error: string | null;
  response: string | null;
}

export interface Delivery {
  id: number;
  itemId: number;
  title: string;
  version: number;
  event: string;
  kind: string;
  state: string;
  attempts: number;
  ref: string | null;
  reason: string | null;
  queuedAt: string;
}

export async function attemptsOf(db: Db, endpointId: number, limit = HISTORY): Promise<Attempt[]> {
  const rows = await db.selectFrom('wh_attempts').selectAll().where('endpoint_id', '=', endpointId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), deliveryId: Number(r.delivery_id), attempt: Number(r.attempt), startedAt: r.started_at, status: r.status === null ? null : Number(r.status), ms: Number(r.ms), error: r.error, response: r.response }));
}

export async function deliveriesOf(db: Db, endpointId: number, limit = HISTORY): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('chn_deliveries as d')
    .leftJoin('pub_items as i', 'i.id', 'd.item_id')
    .select(['d.id', 'd.item_id', 'i.title', 'd.version', 'd.event', 'd.kind', 'd.state', 'd.attempts', 'd.message_ref', 'd.reason', 'd.queued_at'])
    .where('d.channel', '=', 'webhook')
    .where('d.recipient_kind', '=', 'endpoint')
    .where('d.recipient_id', '=', endpointId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), itemId: Number(r.item_id), title: r.title ?? '', version: Number(r.version), event: r.event, kind: r.kind, state: r.state, attempts: Number(r.attempts), ref: r.message_ref, reason: r.reason, queuedAt: r.queued_at }));
}

/** Sends a delivery of this endpoint again; returns the replay's number. 409 while it is queued. */
export async function replayDelivery(p: Platform, actor: Actor, endpointId: number, deliveryId: number): Promise<number> {
  await endpointFor(p.db, actor, endpointId);
  const d = await p.db.selectFrom('chn_deliveries').select(['id', 'state']).where('id', '=', deliveryId).where('channel', '=', 'webhook').where('recipient_kind', '=', 'endpoint').where('recipient_id', '=', endpointId).executeTakeFirst();
  if (!d) throw notFound();
  if (d.state === 'queued') throw conflict('webhooks.err.replay_queued');
  return p.tx(async (t) => {
    const prefix = `webhook-replay:${deliveryId}:`;
    const prev = await t.selectFrom('jobs').select(sql<number>`count(*)`.as('n')).where('idempotency_key', 'like', `${prefix}%`).executeTakeFirstOrThrow();
    const n = Number(prev.n) + 1;
    // Back to queued from any settled state (the ledger's forward-only rule does not apply to a
    // deliberate resend; the attempts keep what happened before).
    await t.updateTable('chn_deliveries').set({ state: 'queued', reason: 'replay', failed_at: null }).where('id', '=', deliveryId).where('state', 'in', ['delivered', 'failed', 'suppressed', 'sent']).execute();
    await p.jobs.enqueue(t, DELIVER_JOB, { deliveryId }, { key: `${prefix}${n}` });
    await p.audit(t, { actor: actorName(actor), action: 'webhook.replay', entity: 'wh_endpoint', entityId: endpointId, details: { deliveryId, n } });
    return n;
  });
}
