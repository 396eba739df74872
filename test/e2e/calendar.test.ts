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

  it('importing a calendar shows the days understood, with no serious violations, and saves only on confirmation', async () => {
    const page = await env.page();
    await signIn(page, env.base, 'admin');
    await page.goto(`${env.base}/admin/calendar/import`);
    expect(await seriousViolations(page)).toEqual([]);
    // Google Calendar's way of writing a holiday: UTC, the evening before in Greenwich.
    const ics = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20361231T160000Z', 'DTEND:20370101T160000Z', 'UID:e2e@google.com', 'SUMMARY:元旦\\; 放假', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await page.setInputFiles('#f-file', { name: '2037.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await Promise.all([page.waitForURL(/\/admin\/calendar\/import$/), page.click('form[enctype] button[type=submit]')]);
    await page.waitForSelector('.report');
    const report = await page.textContent('.report');
    expect(report).toContain('编码：UTF-8');
    expect(report).toContain('按2037-01-01导入');
    expect(await page.textContent('table.preview tbody')).toContain('2037-01-01');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await env.app.inject('/api/v1/calendar/2037')).json().days).toEqual([]);
    await Promise.all([page.waitForURL(/\/admin\/calendar\?imported=2037$/), page.click('button:has-text("确认并保存")')]);
    expect(await page.textContent('main')).toContain('已导入：2037');
    expect((await env.app.inject('/api/v1/calendar/2037')).json().days).toEqual([{ date: '2037-01-01', kind: 'holiday', name: '元旦; 放假' }]);
  });
});
