// The `subscriptions` delivery channel (ADR 0010 §§ 2–3): for each publication event, the matched
// subscriber lists' immediate subscribers get one ledger row each (INSERT … SELECT, one message
// per subscriber however many of their lists matched), the matches are kept for the digests, and
// batch jobs send the rows. A new version (changed) or a withdrawal first reaches everyone who
// received an earlier version — on the channel that reached them, at once, whatever their
// frequency — and rows still queued for the old version are superseded.
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import type { DeliveryPayload } from '../../../platform/publication/registry.js';
import { earlierRecipients, finishRun, recordDeliveries, recordDeliveriesFrom, startRun, supersedeQueued } from '../../../platform/channels/ledger.js';
import { matchLists, probeOf } from './targets.js';

export const SEND_JOB = 'subscriptions.send';
/** Ledger rows per send job. */
export const BATCH = 200;

const int = (v: number) => sql<number>`cast(${v} as integer)`;
const text = (v: string) => sql<string>`cast(${v} as text)`;

/** Handles one publication event; idempotent (the ledger's unique key). */
export async function fanOut(p: Platform, payload: DeliveryPayload): Promise<{ lists: number; rows: number }> {
  const { id, event } = payload;
  return p.tx(async (t) => {
    const item = await t.selectFrom('pub_items').select(['id', 'public', 'published_version']).where('id', '=', id).executeTakeFirst();
    const version = payload.version ?? item?.published_version ?? null;
    if (!item || version === null) return { lists: 0, rows: 0 };
    const runId = await startRun(t, { itemId: id, version, event, channel: 'subscriptions' });
    let rows = 0;
    let lists = 0;
    if (event === 'changed' || event === 'withdrawn') rows += await tellEarlier(t, runId, id, version, event);
    if (event !== 'withdrawn' && Number(item.public) === 1) {
      const probe = await probeOf(t, id, version);
      if (probe) {
        // A change of validity reaches only the item's own followers; a publication every list.
        const itemOnly = event === 'expired' || event === 'repealed';
        const listIds = await matchLists(t, probe, { itemOnly });
        lists = listIds.length;
        const at = new Date().toISOString();
        for (let i = 0; i < listIds.length; i += 500) {
          const chunk = listIds.slice(i, i + 500);
          if (!itemOnly)
            await t
              .insertInto('sub_matches')
              .values(chunk.map((l) => ({ list_id: l, item_id: id, version, event, matched_at: at })))
              .onConflict((oc) => oc.columns(['list_id', 'item_id', 'version', 'event']).doNothing())
              .execute();
          rows += await recordDeliveriesFrom(
            t,
            t
              .selectFrom('sub_subscriptions as s')
              .innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id')
              .where('s.list_id', 'in', chunk)
              .where('s.state', '=', 'active')
              .where('s.frequency', '=', 'immediately')
              .where('r.state', '=', 'active')
              .select([int(runId).as('run_id'), int(id).as('item_id'), int(version).as('version'), text(event).as('event'), text('notice').as('kind'), 'r.channel', text('subscriber').as('recipient_kind'), 'r.id as recipient_id', text('queued').as('state'), sql<null>`cast(null as text)`.as('reason'), int(0).as('attempts'), text(at).as('queued_at')])
              .distinct(),
          );
        }
      }
    }
    await enqueueSends(p, t, runId);
    await finishRun(t, runId, { lists, rows });
    return { lists, rows };
  });
}

/** Corrections (更正) and withdrawals (撤回) to everyone an earlier version reached. */
async function tellEarlier(t: Db, runId: number, itemId: number, version: number, event: string): Promise<number> {
  const withdrawn = event === 'withdrawn';
  await supersedeQueued(t, itemId, version, { inclusive: withdrawn });
  const earlier = (await earlierRecipients(t, itemId, version, { inclusive: withdrawn })).filter((r) => r.recipientKind === 'subscriber' && (r.channel === 'email' || r.channel === 'sms'));
  if (!earlier.length) return 0;
  const states = new Map<number, string>();
  const ids = [...new Set(earlier.map((e) => e.recipientId))];
  for (let i = 0; i < ids.length; i += 500) for (const s of await t.selectFrom('sub_subscribers').select(['id', 'state']).where('id', 'in', ids.slice(i, i + 500)).execute()) states.set(Number(s.id), s.state);
  // Whatever their subscription says now: a correction is owed to whoever got the old version,
  // unless the address is unreachable (bounced, complained) — then the ledger says so.
  const entries = earlier.map((e) => {
    const st = states.get(e.recipientId);
    const reachable = st === 'active' || st === 'ended';
    return { runId, itemId, version, event, kind: withdrawn ? ('withdrawal' as const) : ('correction' as const), channel: e.channel, recipientKind: 'subscriber' as const, recipientId: e.recipientId, state: reachable ? ('queued' as const) : ('suppressed' as const), reason: reachable ? null : (st ?? 'deleted') };
  });
  return (await recordDeliveries(t, entries)).length;
}

/** One send job per BATCH queued rows of the run. */
export async function enqueueSends(p: Platform, t: Db, runId: number): Promise<number> {
  const ids = (await t.selectFrom('chn_deliveries').select('id').where('run_id', '=', runId).where('state', '=', 'queued').orderBy('id').execute()).map((r) => Number(r.id));
  const payloads: { ids: number[] }[] = [];
  for (let i = 0; i < ids.length; i += BATCH) payloads.push({ ids: ids.slice(i, i + BATCH) });
  if (payloads.length) await p.jobs.enqueueMany(t, SEND_JOB, payloads);
  return payloads.length;
}
