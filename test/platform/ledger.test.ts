// The delivery ledger (platform/channels/ledger.ts) and channels mounted per module: one row per
// item version × event × channel × recipient; states only move forward; a correction finds exactly
// the earlier recipients; an item's console reads which version each channel carries; a platform
// booted without a module enqueues nothing for that module's channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import type { GongkaiModule } from '../../src/platform/module.js';
import type { DeliveryPayload } from '../../src/platform/publication/index.js';
import { earlierRecipients, ledgerOf, markDeliveries, outdatedItems, recordDeliveries, supersedeQueued, type LedgerEntry } from '../../src/platform/channels/ledger.js';
import { publish, step } from '../catalog/helpers.js';

const seen: DeliveryPayload[] = [];
const probe: GongkaiModule = { name: 'probe', channels: () => ({ 'probe-channel': async (payload) => void seen.push(payload) }) };

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ modules: [...MODULES, probe] });
  await env.drain();
});
afterAll(async () => env?.close());

const row = (itemId: number, version: number, recipientId: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({ itemId, version, event: version === 1 ? 'published' : 'changed', kind: 'notice', channel: 'email', recipientKind: 'subscriber', recipientId, ...over });

describe('the delivery ledger', () => {
  it('a mounted module channel receives every publication event of its platform', async () => {
    const id = await publish(env);
    await env.drain();
    expect(seen.filter((s) => s.id === id).map((s) => `${s.event}:v${s.version}`)).toEqual(['published:v1']);
  });

  it('a platform booted without the module enqueues nothing for its channel', async () => {
    const other = await makeEnv();
    try {
      const before = seen.length;
      await publish(other);
      await other.drain();
      const jobs = await other.p.db.selectFrom('jobs').select('id').where('kind', '=', 'publication.deliver.probe-channel').execute();
      expect(jobs).toEqual([]);
      expect(seen.length).toBe(before);
    } finally {
      await other.close();
    }
  });

  it('records once per recipient and event, and moves states only forward', async () => {
    const id = await publish(env);
    const ids = await env.p.tx((t) => recordDeliveries(t, [row(id, 1, 1), row(id, 1, 2), row(id, 1, 3, { channel: 'sms' })]));
    expect(ids).toHaveLength(3);
    // The same rows again (a handler that ran twice) add nothing.
    expect(await env.p.tx((t) => recordDeliveries(t, [row(id, 1, 1), row(id, 1, 2)]))).toEqual([]);
    expect(await env.p.tx((t) => markDeliveries(t, ids, 'sent', { ref: '<m@x>' }))).toBe(3);
    expect(await env.p.tx((t) => markDeliveries(t, [ids[0]!], 'delivered'))).toBe(1);
    // delivered → sent is backwards: refused silently (0 rows).
    expect(await env.p.tx((t) => markDeliveries(t, [ids[0]!], 'sent'))).toBe(0);
    const r = await env.p.db.selectFrom('chn_deliveries').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(r.state).toBe('delivered');
    expect(r.message_ref).toBe('<m@x>');
    expect(r.sent_at && r.delivered_at).toBeTruthy();
  });

  it('a correction finds exactly the earlier recipients; queued rows of the old version are superseded', async () => {
    const id = await publish(env);
    const [a, b] = await env.p.tx((t) => recordDeliveries(t, [row(id, 1, 11), row(id, 1, 12), row(id, 1, 13), row(id, 1, 14, { channel: 'sms' }), row(id, 1, 15, { state: 'failed' })]));
    // 11 and 12 were sent by e-mail, 14 by SMS (sent); 13 still queued; 15 failed.
    await env.p.tx((t) => markDeliveries(t, [a!, b!], 'sent'));
    const sms = await env.p.db.selectFrom('chn_deliveries').select('id').where('item_id', '=', id).where('recipient_id', '=', 14).executeTakeFirstOrThrow();
    await env.p.tx((t) => markDeliveries(t, [sms.id], 'sent'));
    const earlier = await earlierRecipients(env.p.db, id, 2);
    expect(earlier.map((e) => `${e.channel}:${e.recipientId}`).sort()).toEqual(['email:11', 'email:12', 'sms:14']);
    expect(await env.p.tx((t) => supersedeQueued(t, id, 2))).toBe(1);
    const q = await env.p.db.selectFrom('chn_deliveries').select(['state', 'reason']).where('item_id', '=', id).where('recipient_id', '=', 13).executeTakeFirstOrThrow();
    expect(q).toEqual({ state: 'suppressed', reason: 'superseded' });
  });

  it("the item's ledger shows the version each channel carries; the report lists outdated channels until corrected", async () => {
    const id = await publish(env);
    const ids = await env.p.tx((t) => recordDeliveries(t, [row(id, 1, 21), row(id, 1, 22), row(id, 1, 23, { channel: 'sms' })]));
    await env.p.tx((t) => markDeliveries(t, ids, 'sent'));
    let carry = await ledgerOf(env.p.db, id);
    expect(carry.map((c) => [c.channel, c.recipients, c.newestVersion, c.outdated])).toEqual([
      ['email', 2, 1, 0],
      ['sms', 1, 1, 0],
    ]);
    // A new version is published: every channel now carries an outdated version.
    const r1 = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '更正后的内容概述' } });
    expect(r1.statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
    carry = await ledgerOf(env.p.db, id);
    expect(carry.map((c) => [c.channel, c.outdated])).toEqual([
      ['email', 2],
      ['sms', 1],
    ]);
    let report = await outdatedItems(env.p.db, { limit: 500 });
    expect(report.rows.filter((r) => r.itemId === id).map((r) => `${r.channel}:${r.outdated}`).sort()).toEqual(['email:2', 'sms:1']);
    // Corrections (version 2) reach the e-mail recipients: only SMS stays outdated.
    const corr = await env.p.tx((t) => recordDeliveries(t, [row(id, 2, 21, { kind: 'correction' }), row(id, 2, 22, { kind: 'correction' })]));
    carry = await ledgerOf(env.p.db, id);
    expect(carry.find((c) => c.channel === 'email')).toMatchObject({ outdated: 2, pending: 2 });
    await env.p.tx((t) => markDeliveries(t, corr, 'sent'));
    carry = await ledgerOf(env.p.db, id);
    expect(carry.map((c) => [c.channel, c.newestVersion, c.oldestVersion, c.outdated])).toEqual([
      ['email', 2, 2, 0],
      ['sms', 1, 1, 1],
    ]);
    report = await outdatedItems(env.p.db, { limit: 500 });
    expect(report.rows.filter((r) => r.itemId === id).map((r) => r.channel)).toEqual(['sms']);
    // Withdrawn: every recipient is outdated until told of the withdrawal.
    expect((await step(env, id, 'dzb-approver', 'withdraw', '内容有误')).statusCode).toBe(200);
    carry = await ledgerOf(env.p.db, id);
    expect(carry.map((c) => [c.channel, c.outdated])).toEqual([
      ['email', 2],
      ['sms', 1],
    ]);
    const w = await env.p.tx((t) => recordDeliveries(t, [21, 22].map((r) => row(id, 2, r, { event: 'withdrawn', kind: 'withdrawal', state: 'sent' }))));
    expect(w).toHaveLength(2);
    carry = await ledgerOf(env.p.db, id);
    expect(carry.map((c) => [c.channel, c.outdated])).toEqual([
      ['email', 0],
      ['sms', 1],
    ]);
  });
});
