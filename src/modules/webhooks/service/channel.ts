// The `webhooks` delivery channel of the publication spine: for each publication event, every
// active endpoint whose events, item types and departments match the item gets one ledger row
// (channel 'webhook', recipient the endpoint) and one `webhooks.deliver` job keyed by the row.
// A second run of the same event finds its rows in the ledger and enqueues nothing.
import type { Platform } from '../../../platform/platform.js';
import type { DeliveryPayload } from '../../../platform/publication/registry.js';
import { finishRun, recordDeliveries, startRun, type LedgerKind } from '../../../platform/channels/ledger.js';
import { toEndpoint, type Endpoint } from './endpoints.js';

export const DELIVER_JOB = 'webhooks.deliver';

export const kindOf = (event: string): LedgerKind => (event === 'withdrawn' ? 'withdrawal' : event === 'changed' ? 'correction' : 'notice');

export const matches = (e: Endpoint, item: { type: string; department_id: number }, event: string): boolean =>
  e.state === 'active' && (e.events as string[]).includes(event) && (!e.itemTypes.length || e.itemTypes.includes(item.type)) && (!e.departmentIds.length || e.departmentIds.includes(Number(item.department_id)));

export function webhookChannel(p: Platform) {
  return async (payload: DeliveryPayload): Promise<void> => {
    const item = await p.db.selectFrom('pub_items').select(['id', 'type', 'department_id', 'published_version', 'latest_version', 'changed_at']).where('id', '=', payload.id).executeTakeFirst();
    if (!item) return;
    // An endpoint gets the events from its registration on, not the backlog before it.
    const since = item.changed_at ?? '';
    const endpoints = (await p.db.selectFrom('wh_endpoints').selectAll().where('state', '=', 'active').execute())
      .filter((r) => r.created_at <= since)
      .map(toEndpoint)
      .filter((e) => matches(e, item, payload.event));
    if (!endpoints.length) return;
    const version = Number(payload.version ?? item.published_version ?? item.latest_version);
    await p.tx(async (t) => {
      const runId = await startRun(t, { itemId: item.id, version, event: payload.event, channel: 'webhooks' });
      const ids = await recordDeliveries(
        t,
        endpoints.map((e) => ({ runId, itemId: item.id, version, event: payload.event, kind: kindOf(payload.event), channel: 'webhook', recipientKind: 'endpoint', recipientId: e.id })),
      );
      for (const id of ids) await p.jobs.enqueue(t, DELIVER_JOB, { deliveryId: id }, { key: `webhook:${id}` });
      await finishRun(t, runId, { lists: endpoints.length, rows: ids.length });
    });
  };
}
