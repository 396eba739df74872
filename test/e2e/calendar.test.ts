// Calendar and supervision pages in a real browser: no serious WCAG violations, usable on a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { startClock } from '../../src/platform/deadlines/index.js';
import { subtractWorkdays, todayShanghai } from '../../src/platform/calendar/index.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
  const fgj = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow()).id;
  await env.p.tx(async (t) => {
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'e2e-1', rule: 'request.reply', start: subtractWorkdays(todayShanghai(), 21), departmentId: fgj, title: '浏览器测试：超期申请', url: '/calendar', publicSubject: true });
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'e2e-2', rule: 'request.reply', start: subtractWorkdays(todayShanghai(), 18), departmentId: fgj, title: '浏览器测试：预警申请', url: '/calendar', publicSubject: true });
  });
});
afterAll(async () => env?.close());

describe('calendar and supervision in the browser', () => {
  it('the public calendar with a computed due date has no serious accessibility violations and fits a phone', async () => {
    const page = await env.page();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${env.base}/calendar?year=2026&start=2026-09-30&n=5&unit=workdays`);
    expect(await page.textContent('.calc-result')).toContain('2026-10-13');
    await page.click('.explanation summary');
    expect(await page.isVisible('text=国庆节')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    if (process.env.GK_SHOTS) await page.screenshot({ path: `${process.env.GK_SHOTS}/calendar-phone.png`, fullPage: false });
  });

  it('the supervision dashboard and a clock page have no serious violations', async () => {
    const page = await env.page();
    await signIn(page, env.base, 'supervisor');
    await page.goto(`${env.base}/admin/supervision`);
    expect(await page.textContent('main')).toContain('浏览器测试：超期申请');
    expect(await seriousViolations(page)).toEqual([]);
    if (process.env.GK_SHOTS) await page.screenshot({ path: `${process.env.GK_SHOTS}/supervision.png`, fullPage: true });
    await page.click('text=计算过程 >> nth=0');
    await page.waitForLoadState('load');
    expect(page.url()).toMatch(/\/admin\/clocks\/\d+$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${env.base}/admin/calendar/2026`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${env.base}/admin/inbox`);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
