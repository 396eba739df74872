// The demo's webhooks: two endpoints (the WeChat sync active, posting to the in-app receiver;
// the city platform paused, never sent to), deterministic secrets, loopback allowed only in the
// demo with a loopback public URL; the receiver verifies signatures and shows what came, escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { makeEnv, type TestEnv } from '../helpers.js';
import { publish } from '../catalog/helpers.js';
import { webhookSignature } from '../../src/platform/channels/webhook-signature.js';
import { vetOutboundUrl } from '../../src/platform/channels/net-guard.js';
import { demoSecret, DEMO_NAME, RECEIVER_PATH } from '../../src/modules/webhooks/demo/index.js';
import { vetOptions } from '../../src/modules/webhooks/service/endpoints.js';

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });

let env: TestEnv;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = await makeEnv({ overrides: { publicUrl: base } });
  // The template's demo endpoint names the default port: point it at this server.
  await env.p.db.updateTable('wh_endpoints').set({ url: `${base}${RECEIVER_PATH}` }).where('name', '=', DEMO_NAME).execute();
  await env.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

describe('the demo webhooks', () => {
  it('has the two endpoints, one paused at an outside address, with secrets from the demo seed', async () => {
    const rows = await env.p.db.selectFrom('wh_endpoints').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      [DEMO_NAME, 'active'],
      ['市政务新媒体平台', 'paused'],
    ]);
    expect(rows.map((r) => r.secret)).toEqual([demoSecret(1), demoSecret(2)]);
    expect(JSON.parse(rows[0]!.events)).toEqual(['published', 'changed', 'withdrawn']);
    expect(rows[1]!.url).toBe('https://newmedia.example.gov.cn/hooks/gongkai');
  });

  it('allows loopback only in the demo with a loopback public URL', async () => {
    await expect(vetOutboundUrl(`${base}${RECEIVER_PATH}`, vetOptions(env.p))).resolves.toMatchObject({ address: '127.0.0.1' });
    const other = await makeEnv({ overrides: { publicUrl: 'https://gongkai.example.gov.cn' } });
    try {
      await expect(vetOutboundUrl(`${base}${RECEIVER_PATH}`, vetOptions(other.p))).rejects.toMatchObject({ reason: 'address' });
    } finally {
      await other.close();
    }
  });

  it('a publication reaches the in-app receiver over HTTP, its signature valid; the paused endpoint gets nothing', async () => {
    const id = await publish(env, { title: '<b>演示推送</b>通知' });
    await env.drain();
    const rows = await env.p.db.selectFrom('chn_deliveries as d').innerJoin('wh_endpoints as e', 'e.id', 'd.recipient_id').select(['e.name', 'd.state']).where('d.item_id', '=', id).where('d.channel', '=', 'webhook').execute();
    expect(rows).toEqual([{ name: DEMO_NAME, state: 'delivered' }]);
    const page = await env.app.inject({ url: RECEIVER_PATH });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('签名有效');
    expect(page.body).toContain('&lt;b>演示推送&lt;/b>通知');
    expect(page.body).not.toContain('<b>演示推送');
  });

  it('the receiver refuses a wrong or stale signature, and says so', async () => {
    const body = JSON.stringify({ event: 'published', note: '<script>x</script>' });
    const post = (sig: string) => env.app.inject({ method: 'POST', url: RECEIVER_PATH, headers: { 'content-type': 'application/json', 'x-gongkai-signature': sig }, payload: body });
    expect((await post(webhookSignature(demoSecret(1), body))).statusCode).toBe(200);
    expect((await post(webhookSignature('whsec_wrong', body))).statusCode).toBe(401);
    expect((await post(webhookSignature(demoSecret(1), body, Math.floor(Date.now() / 1000) - 301))).statusCode).toBe(401);
    expect((await env.app.inject({ method: 'POST', url: RECEIVER_PATH, headers: { 'content-type': 'application/json' }, payload: 'not json' })).statusCode).toBe(401);
    const page = await env.app.inject({ url: RECEIVER_PATH });
    expect(page.body).toContain('签名无效');
    expect(page.body).not.toContain('<script>x</script>');
  });

  it('is not mounted outside the demo', async () => {
    const plain = await makeEnv({ demo: false });
    try {
      expect((await plain.app.inject({ url: RECEIVER_PATH })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
