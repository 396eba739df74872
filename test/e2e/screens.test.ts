// In a real browser: a screen's kiosk page rotates its items one at a time (the script runs under
// the site's CSP), and an item withdrawn through the spine disappears without a reload at the
// next poll (?poll=2). The kiosk and the outlets console at 375 px pass axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, phonePage, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { publish, step } from '../catalog/helpers.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
  await env.drain();
});
afterAll(async () => env?.close());

describe('a screen in the browser', () => {
  it('rotates, and drops a withdrawn item without a reload', async () => {
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const keep = await publish(env, { title: '留在屏上的通知' });
    const gone = await publish(env, { title: '将从屏上撤下的通知' });
    await env.drain();
    const now = new Date().toISOString();
    const token = 'e2e0000000000000000000000000beef';
    await env.p.db
      .insertInto('out_outlets')
      .values({ kind: 'screen', name: '浏览器测试屏', location: '', token, selection: JSON.stringify({ departments: [Number(dzb.id)], types: [], newest: 2 }), rotate_seconds: 3, department_id: Number(dzb.id), last_seen_at: null, created_at: now, updated_at: now })
      .execute();
    const page = await env.page();
    await page.goto(`${env.base}/screens/${token}?poll=2`);
    await page.waitForSelector('body.kiosk-js .kiosk-item.current');
    const ids = await page.locator('.kiosk-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids.sort()).toEqual([keep, gone].sort());
    // One item at a time, then the next.
    expect(await page.locator('.kiosk-item.current').count()).toBe(1);
    const first = await page.locator('.kiosk-item.current').getAttribute('data-id');
    await page.waitForFunction((id) => document.querySelector('.kiosk-item.current')?.getAttribute('data-id') !== id, first, { timeout: 8000 });
    await expect(page.locator('#kiosk-count').textContent()).resolves.toMatch(/^第[12]条，共2条$/);
    await expect(page.locator('#kiosk-clock').textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // Withdrawn through the spine: gone at the next poll, the page never reloaded.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    expect((await step(env, gone, 'dzb-approver', 'withdraw', '内容有误')).statusCode).toBe(200);
    await env.drain();
    await page.waitForFunction((id) => !document.querySelector(`.kiosk-item[data-id="${id}"]`), gone, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // The next newest item of the selection takes its place.
    const after = await page.locator('.kiosk-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(after).toContain(keep);
    expect(after).not.toContain(gone);
    await expect(page.locator('#kiosk-paused').isHidden()).resolves.toBe(true);
    await expectAccessible(page);
  });

  it('the outlets console works at 375 px', async () => {
    const page = await phonePage(env);
    await signIn(page, env.base, 'dzb-admin');
    await page.goto(`${env.base}/admin/channels/outlets`);
    await expectAccessible(page);
    await page.click('a:has-text("区政务服务中心大厅电子屏")');
    await page.waitForLoadState('load');
    await expectAccessible(page);
  });
});
