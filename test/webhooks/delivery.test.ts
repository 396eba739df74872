// Webhook delivery (issue 20): a publication event reaches a local receiver with the exact body,
// signed so that a receiver using only node:crypto (and openssl) can verify it; failures are
// retried with the outbox's backoff, each try recorded, the ledger delivered once; the last try
// marks the ledger row failed; a refused address fails at once; replay sends the same body again;
// a paused endpoint gets nothing; a second run of the channel enqueues nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { publish } from '../catalog/helpers.js';
import { startReceiver, type Receiver } from './receiver.js';
import { webhookChannel } from '../../src/modules/webhooks/service/channel.js';

let env: TestEnv;
let rx: Receiver;
let endpointId: number;
let secret: string;
const PUBLIC = 'https://gongkai.example.gov.cn';

beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_WEBHOOK_ALLOW: '127.0.0.1/32' }, overrides: { publicUrl: PUBLIC } });
  await env.p.db.deleteFrom('wh_endpoints').execute(); // the demo's endpoints
  await env.drain();
  rx = await startReceiver();
  const r = await env.api('POST', '/api/v1/channels/webhooks', { as: 'admin', body: { name: '测试接收端', url: rx.url, events: ['published', 'changed', 'withdrawn'], itemTypes: ['document'] } });
  expect(r.statusCode, r.body).toBe(201);
  endpointId = r.json().endpoint.id;
  secret = r.json().secret;
  expect(secret).toMatch(/^whsec_/);
});
afterAll(async () => {
  await rx?.close();
  await env?.close();
});

/** Makes every waiting delivery job due now (the backoff's 5 s·2ⁿ elapsed), then drains. */
const drainNow = async () => {
  await env.p.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('kind', '=', 'webhooks.deliver').where('status', '=', 'pending').execute();
  return env.drain();
};
const ledger = (itemId: number) => env.p.db.selectFrom('chn_deliveries').selectAll().where('item_id', '=', itemId).where('channel', '=', 'webhook').where('recipient_id', '=', endpointId).execute();

describe('webhook delivery', () => {
  it('a publication reaches the receiver with the exact body and headers, verifiable with node:crypto alone', async () => {
    rx.hits.length = 0;
    const id = await publish(env);
    await env.drain();
    expect(rx.hits).toHaveLength(1);
    const hit = rx.hits[0]!;
    const [row] = await ledger(id);
    expect(row).toMatchObject({ state: 'delivered', kind: 'notice', event: 'published', message_ref: '200', attempts: 1, recipient_kind: 'endpoint' });
    const item = await env.p.db.selectFrom('pub_items as i').innerJoin('departments as d', 'd.id', 'i.department_id').select(['i.index_no', 'i.title', 'd.name']).where('i.id', '=', id).executeTakeFirstOrThrow();
    const v = await env.p.db.selectFrom('pub_versions').select('hash').where('item_id', '=', id).where('version', '=', 1).executeTakeFirstOrThrow();
    expect(v.hash).toBeTruthy();
    const expected = { event: 'published', deliveryId: row!.id, occurredAt: row!.queued_at, item: { id, type: 'document', indexNo: item.index_no, title: item.title, department: item.name, url: `${PUBLIC}/catalog/items/${id}` }, version: 1, hash: v.hash };
    expect(hit.raw.toString('utf8')).toBe(JSON.stringify(expected));
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-gongkai-event']).toBe('published');
    expect(hit.headers['x-gongkai-delivery']).toBe(String(row!.id));
    // The receiver's check: nothing of ours, only node:crypto over the raw bytes.
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit.headers['x-gongkai-signature']))!;
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
    expect(createHmac('sha256', secret).update(`${t}.`).update(hit.raw).digest('hex')).toBe(v1);
    let openssl = '';
    try {
      openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: Buffer.concat([Buffer.from(`${t}.`), hit.raw]) }).toString();
    } catch {
      return; // no openssl on this machine
    }
    expect(openssl.trim().split(/\s+/).pop()).toBe(v1);
  });

  it('the item URL in the body is the public page of the item', async () => {
    const url = new URL(JSON.parse(rx.hits[0]!.raw.toString()).item.url);
    expect(url.origin).toBe(PUBLIC);
    expect((await env.app.inject({ url: url.pathname })).statusCode).toBe(200);
  });

  it('a receiver failing twice (500) then 200: three tries, each recorded, the ledger delivered once', async () => {
    rx.hits.length = 0;
    rx.answer = (_h, n) => (n <= 2 ? 500 : 200);
    const id = await publish(env);
    await env.drain();
    await drainNow();
    await drainNow();
    rx.answer = () => 200;
    expect(rx.hits).toHaveLength(3);
    // The same bytes every time (only the signature's time may differ).
    expect(new Set(rx.hits.map((h) => h.raw.toString())).size).toBe(1);
    const rows = await ledger(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'delivered', attempts: 3, message_ref: '200' });
    const tries = await env.p.db.selectFrom('wh_attempts').selectAll().where('delivery_id', '=', rows[0]!.id).orderBy('id').execute();
    expect(tries.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(tries[0]!.error).toBe('HTTP 500');
    expect(tries[0]!.response!.length).toBeLessThanOrEqual(1024);
    // Nothing more is sent.
    await drainNow();
    expect(rx.hits).toHaveLength(3);
  });

  it('the last try marks the ledger row failed (the job is dead)', async () => {
    rx.hits.length = 0;
    rx.answer = () => 503;
    const id = await publish(env);
    const [row] = await ledger(id).then(async (r) => (r.length ? r : (await env.drain(), ledger(id))));
    // Let the job give up after two tries.
    await env.p.db.updateTable('jobs').set({ max_attempts: 2 }).where('idempotency_key', '=', `webhook:${row!.id}`).execute();
    await env.drain();
    await drainNow();
    rx.answer = () => 200;
    const job = await env.p.db.selectFrom('jobs').select(['status', 'attempts']).where('idempotency_key', '=', `webhook:${row!.id}`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'dead', attempts: 2 });
    const [after] = await ledger(id);
    expect(after).toMatchObject({ state: 'failed', attempts: 2, reason: 'HTTP 503' });
  });

  it('a redirect is not followed: a failed try, retried later', async () => {
    rx.hits.length = 0;
    rx.answer = (h) => (h.url.includes('moved') ? 200 : 302);
    const id = await publish(env);
    await env.drain();
    rx.answer = () => 200;
    expect(rx.hits.map((h) => h.url)).toEqual(['/hook']);
    const [row] = await ledger(id);
    expect(row).toMatchObject({ state: 'queued', attempts: 1, reason: 'HTTP 302' });
    await drainNow();
    expect((await ledger(id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('replay sends the same body again and the row is delivered', async () => {
    rx.hits.length = 0;
    const id = await publish(env);
    await env.drain();
    const [row] = await ledger(id);
    expect(rx.hits).toHaveLength(1);
    const r = await env.api('POST', `/api/v1/channels/webhooks/${endpointId}/deliveries/${row!.id}/replay`, { as: 'admin' });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toEqual({ replay: 1 });
    expect((await ledger(id))[0]!.state).toBe('queued');
    // A replay while queued: 409.
    expect((await env.api('POST', `/api/v1/channels/webhooks/${endpointId}/deliveries/${row!.id}/replay`, { as: 'admin' })).statusCode).toBe(409);
    await env.drain();
    expect(rx.hits).toHaveLength(2);
    expect(rx.hits[1]!.raw.equals(rx.hits[0]!.raw)).toBe(true);
    expect((await ledger(id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    const again = await env.api('POST', `/api/v1/channels/webhooks/${endpointId}/deliveries/${row!.id}/replay`, { as: 'admin' });
    expect(again.json()).toEqual({ replay: 2 });
    await env.drain();
    expect(rx.hits).toHaveLength(3);
    const detail = await env.api('GET', `/api/v1/channels/webhooks/${endpointId}`, { as: 'admin' });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().attempts.filter((a: { deliveryId: number }) => a.deliveryId === row!.id)).toHaveLength(3);
  });

  it('a second run of the channel for the same event records and enqueues nothing', async () => {
    rx.hits.length = 0;
    const id = await publish(env);
    await env.drain();
    const jobs = () => env.p.db.selectFrom('jobs').select('id').where('kind', '=', 'webhooks.deliver').execute();
    const before = (await jobs()).length;
    await webhookChannel(env.p)({ id, type: 'document', version: 1, event: 'published' });
    expect((await jobs()).length).toBe(before);
    expect(await ledger(id)).toHaveLength(1);
    await env.drain();
    expect(rx.hits).toHaveLength(1);
  });

  it('a refused address at send time fails the row at once, without retry', async () => {
    // An endpoint whose URL was fine once (inserted here as if DNS had changed since).
    const now = new Date().toISOString();
    const bad = await env.p.db
      .insertInto('wh_endpoints')
      .values({ name: 'metadata', url: 'http://169.254.169.254/latest/meta-data', events: '["published"]', item_types: '[]', department_ids: '[]', secret: 'whsec_x', state: 'active', created_by: 'test', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = await publish(env);
    await env.drain();
    const row = await env.p.db.selectFrom('chn_deliveries').selectAll().where('item_id', '=', id).where('recipient_id', '=', bad.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('failed');
    expect(row.reason).toBe('refused: address (169.254.169.254)');
    const job = await env.p.db.selectFrom('jobs').select('status').where('idempotency_key', '=', `webhook:${row.id}`).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    await env.p.db.deleteFrom('wh_endpoints').where('id', '=', bad.id).execute();
  });

  it('a paused endpoint gets nothing; resumed, it gets the next event', async () => {
    rx.hits.length = 0;
    expect((await env.api('GET', `/api/v1/channels/webhooks/${endpointId}`, { as: 'admin' })).json().endpoint.state).toBe('active');
    const { setState } = await import('../../src/modules/webhooks/service/endpoints.js');
    await setState(env.p, 'system', endpointId, 'paused');
    const id = await publish(env);
    await env.drain();
    expect(rx.hits).toHaveLength(0);
    expect(await ledger(id)).toHaveLength(0);
    await setState(env.p, 'system', endpointId, 'active');
    // A withdrawal of that item is the next event: it is delivered (kind withdrawal).
    const w = await env.api('POST', `/api/v1/documents/${id}/transitions`, { as: 'dzb-approver', body: { action: 'withdraw', reason: '内容有误' } });
    expect(w.statusCode, w.body).toBe(200);
    await env.drain();
    expect(rx.hits).toHaveLength(1);
    expect(JSON.parse(rx.hits[0]!.raw.toString()).event).toBe('withdrawn');
    expect((await ledger(id)).map((r) => [r.kind, r.state])).toEqual([['withdrawal', 'delivered']]);
  });

  it("the endpoint's console page lists the tries (Shanghai time) and ledger rows, and replays one", async () => {
    rx.hits.length = 0;
    const id = await publish(env);
    await env.drain();
    const [row] = await ledger(id);
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ url: `/admin/channels/webhooks/${endpointId}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('HTTP状态');
    expect(page.body).toContain('已送达');
    expect(page.body).toContain('HTTP 500');
    const at = await env.p.db.selectFrom('wh_attempts').select('started_at').where('delivery_id', '=', row!.id).executeTakeFirstOrThrow();
    const shanghai = new Date(Date.parse(at.started_at) + 8 * 3600_000).toISOString().slice(11, 19);
    expect(page.body).toContain(shanghai);
    const r = await env.app.inject({ method: 'POST', url: `/admin/channels/webhooks/${endpointId}/deliveries/${row!.id}/replay`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body) }) });
    expect(r.statusCode).toBe(303);
    expect((await ledger(id))[0]!.state).toBe('queued');
    await env.drain();
    expect(rx.hits).toHaveLength(2);
    expect((await ledger(id))[0]!.state).toBe('delivered');
  });
});
