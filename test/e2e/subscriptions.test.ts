// In a real browser on a 375 px phone: from a search, "subscribe to this search"; the form shows
// the keywords as the target; an e-mail address is sent; the confirmation link's page confirms by
// its button; the preference centre changes the frequency and ends the subscription. Every page
// passes axe-core and none scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAndLoad as submit, expectAccessible as checked, phonePage, startBrowserEnv, type BrowserEnv } from './browser.js';
import { signLink } from '../../src/platform/channels/links.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

describe('subscriptions in the browser', () => {
  it('subscribe to a search on a phone, confirm, then manage it', async () => {
    const phone = await phonePage(env);
    await phone.goto(`${env.base}/search?q=${encodeURIComponent('停车')}`);
    await submit(phone, 'a[href^="/subscriptions?q="]');
    await checked(phone);
    await expect(phone.locator('.subscription-target').textContent()).resolves.toContain('停车');
    await phone.fill('#f-address', 'browser.reader@example.com');
    await phone.selectOption('#f-frequency', 'weekly');
    await submit(phone, '.subscribe-form button.primary');
    await expect(phone.locator('h1').textContent()).resolves.toContain('请确认订阅');
    await checked(phone);
    // The link of the confirmation e-mail (its token made here: the message itself is tested elsewhere).
    const sub = await env.p.db.selectFrom('sub_subscriptions as s').innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id').select(['s.id', 's.state', 's.frequency']).where('r.address', '=', 'browser.reader@example.com').executeTakeFirstOrThrow();
    expect(sub).toMatchObject({ state: 'pending', frequency: 'weekly' });
    await phone.goto(`${env.base}/subscriptions/confirm/${signLink(env.p, 'sub-confirm', { id: Number(sub.id), ttlSeconds: 3600 })}`);
    await checked(phone);
    await submit(phone, 'main button.primary');
    await expect(phone.locator('h1').textContent()).resolves.toContain('订阅成功');
    await checked(phone);
    await submit(phone, 'a[href^="/subscriptions/manage/"]');
    await checked(phone);
    await expect(phone.locator('.subscription-list').textContent()).resolves.toContain('停车');
    await phone.selectOption(`#freq-${sub.id}`, 'daily');
    await submit(phone, `form:has(#freq-${sub.id}) button`);
    await expect(phone.locator('main').textContent()).resolves.toContain('已保存');
    await checked(phone);
    await submit(phone, 'form:has(input[name="op"][value="end"]) button');
    await expect(phone.locator('main').textContent()).resolves.toContain('已退订');
    await checked(phone);
    const after = await env.p.db.selectFrom('sub_subscriptions').select(['state', 'frequency']).where('id', '=', sub.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ state: 'ended', frequency: 'daily' });
  });
});
