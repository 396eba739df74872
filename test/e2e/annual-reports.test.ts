// In a real browser: the disclosure office opens this year's draft of the government's annual
// report, edits a section and saves (the figures are assembled anew), and the public reads last
// year's published report on a phone — the official tables in scrollable regions, the check row,
// the comparison, the XLSX link and the print view. Every page passes axe-core and none scrolls
// sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

const year = Number(todayShanghai().slice(0, 4));

async function checked(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

describe('annual reports in the browser', () => {
  it('the office edits the draft; the public reads the published report on a phone', async () => {
    const office = await env.page();
    await signIn(office, env.base, 'gkb-requests');
    await office.goto(`${env.base}/admin/annual-reports?year=${year}`);
    await checked(office);
    await expect(office.locator('tr[data-scope="government"]').textContent()).resolves.toMatch(/草稿 · 第\d+版/);
    await submit(office, 'tr[data-scope="government"] a');
    await expect(office.locator('h1').textContent()).resolves.toBe(`示范新区管理委员会${year}年政府信息公开工作年度报告`);
    await checked(office);
    await office.fill('#f-narrative\\.other', '本机关本年度未收取信息处理费。');
    await submit(office, '.annual-form button[type=submit]');
    await expect(office.locator('.notice.success').textContent()).resolves.toContain('已保存');
    await expect(office.locator('.annual-version').textContent()).resolves.toContain('本机关本年度未收取信息处理费。');
    await expect(office.locator('.annual-live').textContent()).resolves.toContain('人工填报');

    const id = (await env.p.db.selectFrom('annual_reports as r').innerJoin('pub_items as i', 'i.id', 'r.pub_item_id').select('i.id').where('r.year', '=', year - 1).where('r.scope', '=', 'government').executeTakeFirstOrThrow()).id;
    const phone = await env.page();
    await phone.setViewportSize({ width: 375, height: 800 });
    await phone.goto(`${env.base}/annual-reports`);
    await checked(phone);
    await submit(phone, `a[href="/catalog/items/${id}"]`);
    await expect(phone.locator('.check-row').textContent()).resolves.toContain('一 + 二 = 三 + 四');
    await expect(phone.locator('.annual-comparison').textContent()).resolves.toContain('与上年度对比');
    await expect(phone.locator('.annual-report').textContent()).resolves.not.toContain('人工填报');
    await checked(phone);
    await phone.goto(`${env.base}/catalog/items/${id}/print`);
    await expect(phone.locator('.annual-report h2').first().textContent()).resolves.toBe('一、总体情况');
    await expect(phone.locator('.annual-downloads').isVisible()).resolves.toBe(false);
    await checked(phone);
    const x = await phone.request.get(`${env.base}/annual-reports/${id}.xlsx`);
    expect(x.status()).toBe(200);
  }, 180_000);
});
