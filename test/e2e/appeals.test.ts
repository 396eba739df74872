// In a real browser, at desktop width and at 375 px: a citizen submits an appeal with the public
// form and looks it up with the query code; the centre's dispatcher dispatches it; the department's
// appeals handler replies; the centre's reviewer returns the reply with an opinion (desktop) and
// approves it; only then does the citizen see the reply and rate it. Every page passes axe-core
// and, on the phone, has no horizontal scrolling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900, returnOnce: true },
  { name: '375 px', width: 375, height: 800, returnOnce: false },
];

async function open(as: string | null, width: number, height: number): Promise<Page> {
  const page = await env.page();
  await page.setViewportSize({ width, height });
  if (as) await signIn(page, env.base, as);
  return page;
}

/** axe-core finds nothing serious, and a phone-sized page does not scroll sideways. */
async function checked(page: Page, width: number): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  if (width <= 375) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, page.url()).toBeLessThanOrEqual(0);
  }
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

async function lookUp(page: Page, no: string, code: string): Promise<void> {
  await page.goto(`${env.base}/appeals/track`);
  await page.fill('#f-no', no);
  await page.fill('#f-code', code);
  await submit(page, 'form button.primary');
  expect(page.url()).not.toContain(code);
}

describe.each(WIDTHS)('a citizen appeal in Chromium ($name)', ({ width, height, returnOnce }) => {
  it('submit → dispatch → department reply → centre review → the citizen sees the reply and rates', async () => {
    // The citizen submits …
    const citizen = await open(null, width, height);
    await citizen.goto(`${env.base}/appeals/new`);
    await checked(citizen, width);
    await citizen.check('input[name=type][value=complaint]');
    await citizen.selectOption('#f-category', 'noise');
    await citizen.fill('#f-title', '海滨路酒吧深夜噪音');
    await citizen.fill('#f-content', '海滨路一家酒吧每天凌晨两点还在放音乐，周边居民无法休息。我叫赵敏，电话13955556666。');
    await citizen.fill('#f-address', '示范新区海滨路8号');
    await citizen.fill('#f-contactName', '赵敏');
    await citizen.fill('#f-contactPhone', '13955556666');
    await citizen.check('input[name=consent]');
    await submit(citizen, '.appeal-form button.primary');
    // 请核对您填写的信息, then 确认提交.
    await submit(citizen, '.appeal-confirm button.primary');
    await citizen.waitForSelector('.tracking-no');
    const no = (await citizen.textContent('.tracking-no'))!.trim();
    const code = (await citizen.textContent('.query-code'))!.trim();
    expect(no).toMatch(/^SQ\d{15}$/);
    expect(code).toMatch(/^\d{10}$/);
    await checked(citizen, width);

    // … and looks it up (a wrong code gets the generic message; the code never reaches the address bar).
    await citizen.goto(`${env.base}/appeals/track`);
    await citizen.fill('#f-no', no);
    await citizen.fill('#f-code', code === '0000000000' ? '0000000001' : '0000000000');
    await submit(citizen, 'form button.primary');
    await expect(citizen.locator('.notice.error').textContent()).resolves.toContain('受理编号或查询码不正确');
    await lookUp(citizen, no, code);
    await expect(citizen.locator('.appeal-status').textContent()).resolves.toBe('已受理，待派单');
    await checked(citizen, width);
    const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;

    // The centre's dispatcher: the landing says what they do; the suggestion (生态环境分局) is preselected.
    const dispatcher = await open('sqzx-editor', width, height);
    await dispatcher.goto(`${env.base}/admin/appeals`);
    await expect(dispatcher.locator('.appeal-role').textContent()).resolves.toContain('派单：把诉求派给承办部门');
    await checked(dispatcher, width);
    await dispatcher.goto(`${env.base}/admin/appeals/${id}`);
    await expect(dispatcher.locator('.a-dispatch select[name=department]').inputValue()).resolves.toBe('sthj');
    await checked(dispatcher, width);
    await submit(dispatcher, '.a-dispatch button.primary');
    await expect(dispatcher.locator('.appeal-status').textContent()).resolves.toBe('办理中');

    // The department's appeals handler finds it in the work list and replies: it waits for the centre.
    const handler = await open('sthj-handler', width, height);
    await handler.goto(`${env.base}/admin/appeals`);
    await expect(handler.locator('.appeal-role').textContent()).resolves.toContain('答复：办理派给生态环境分局的诉求');
    await checked(handler, width);
    await Promise.all([handler.waitForLoadState('load'), handler.click(`text=${no}`)]);
    await checked(handler, width);
    await handler.fill('.a-reply textarea[name=reply]', '已到现场查看。');
    await submit(handler, '.a-reply button.primary');
    await expect(handler.locator('.appeal-status').textContent()).resolves.toBe('待中心审核');
    await expect(handler.locator('.appeal-why').textContent()).resolves.toContain('须经诉求中心审核后才发给诉求人');
    await checked(handler, width);

    // The citizen does not see the reply yet, and cannot rate.
    await lookUp(citizen, no, code);
    await expect(citizen.locator('.appeal-status').textContent()).resolves.toBe('待中心审核');
    expect(await citizen.locator('.appeal-reply').count()).toBe(0);
    expect(await citizen.locator('.appeal-rate').count()).toBe(0);

    // The centre's reviewer returns it with an opinion; the department revises and replies again.
    const reviewer = await open('sqzx-approver', width, height);
    if (returnOnce) {
      await reviewer.goto(`${env.base}/admin/appeals/${id}`);
      await checked(reviewer, width);
      await reviewer.check('.a-reply-review input[name=approve][value=false]');
      await reviewer.fill('.a-reply-review textarea[name=note]', '请写明处理结果和后续措施。');
      await submit(reviewer, '.a-reply-review button.primary');
      await expect(reviewer.locator('.appeal-status').textContent()).resolves.toBe('办理中');
      await handler.goto(`${env.base}/admin/appeals/${id}`);
      await expect(handler.locator('.appeal-draft').textContent()).resolves.toContain('诉求中心的审核意见：请写明处理结果和后续措施。');
      await checked(handler, width);
      await expect(handler.locator('.a-reply textarea[name=reply]').inputValue()).resolves.toBe('已到现场查看。');
      await handler.fill('.a-reply textarea[name=reply]', '经现场检查，已责令该酒吧夜间22时后停止播放音乐，将持续跟踪。');
      await submit(handler, '.a-reply button.primary');
      await expect(handler.locator('.appeal-status').textContent()).resolves.toBe('待中心审核');
    }

    // The reviewer approves it.
    await reviewer.goto(`${env.base}/admin/appeals/${id}`);
    await expect(reviewer.locator('.appeal-draft').textContent()).resolves.toContain(returnOnce ? '已责令该酒吧' : '已到现场查看');
    await checked(reviewer, width);
    await submit(reviewer, '.a-reply-review button.primary');
    await expect(reviewer.locator('.appeal-status').textContent()).resolves.toBe('已答复');

    // The citizen sees the reply and rates: the appeal is closed.
    await lookUp(citizen, no, code);
    await expect(citizen.locator('.appeal-reply').textContent()).resolves.toContain(returnOnce ? '已责令该酒吧' : '已到现场查看');
    await checked(citizen, width);
    await citizen.check('input[name=rating][value=very-satisfied]');
    await citizen.fill('#f-comment', '处理及时');
    await submit(citizen, '.appeal-rate button.primary');
    await expect(citizen.locator('.notice.success').textContent()).resolves.toContain('感谢您的评价');
    await expect(citizen.locator('.appeal-status').textContent()).resolves.toBe('已办结');
    await expect(citizen.locator('.appeal-history').textContent()).resolves.toContain('非常满意');
    await checked(citizen, width);
  }, 600_000); // five people, about twenty pages, each checked by axe-core
});

describe('the public board and statistics', () => {
  it('have no serious accessibility violations', async () => {
    const page = await env.page();
    await page.goto(`${env.base}/appeals/board`);
    expect(await page.locator('.appeal-board li').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${env.base}/appeals/stats`);
    await expect(page.locator('h1').textContent()).resolves.toBe('诉求统计');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
