// In a real browser: a citizen submits an appeal with the public form, looks it up with the
// query code, the department replies in the console, and the citizen rates the handling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

describe('citizen appeal in Chromium', () => {
  it('submit → look up with the query code → department replies → citizen rates', async () => {
    const page = await env.page();
    await page.goto(`${env.base}/appeals/new`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.check('input[name=type][value=complaint]');
    await page.selectOption('#f-category', 'noise');
    await page.fill('#f-title', '海滨路酒吧深夜噪音');
    await page.fill('#f-content', '海滨路一家酒吧每天凌晨两点还在放音乐，周边居民无法休息。我叫赵敏，电话13955556666。');
    await page.fill('#f-address', '示范新区海滨路8号');
    await page.fill('#f-contactName', '赵敏');
    await page.fill('#f-contactPhone', '13955556666');
    await page.check('input[name=consent]');
    await Promise.all([page.waitForLoadState('load'), page.click('.appeal-form button.primary')]);
    // 请核对您填写的信息, then 确认提交.
    await Promise.all([page.waitForLoadState('load'), page.click('.appeal-confirm button.primary')]);
    await page.waitForSelector('.tracking-no');
    const no = (await page.textContent('.tracking-no'))!.trim();
    const code = (await page.textContent('.query-code'))!.trim();
    expect(no).toMatch(/^SQ\d{15}$/);

    expect(code).toMatch(/^\d{10}$/);

    // Look it up with the query code (a wrong code shows the generic message). The form posts
    // the code: it never appears in the address bar.
    await page.goto(`${env.base}/appeals/track`);
    await page.fill('#f-no', no);
    await page.fill('#f-code', code === '0000000000' ? '0000000001' : '0000000000');
    await Promise.all([page.waitForLoadState('load'), page.click('form button.primary')]);
    await expect(page.locator('.notice.error').textContent()).resolves.toContain('受理编号或查询码不正确');
    await page.fill('#f-no', no);
    await page.fill('#f-code', code);
    await Promise.all([page.waitForLoadState('load'), page.click('form button.primary')]);
    expect(page.url()).not.toContain(code);
    await expect(page.locator('.appeal-status').textContent()).resolves.toBe('已受理，待派单');
    expect(await seriousViolations(page)).toEqual([]);

    // The centre dispatches to 生态环境分局 (the suggestion is preselected) …
    const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
    const staff = await env.page();
    await signIn(staff, env.base, 'sqzx-editor');
    await staff.goto(`${env.base}/admin/appeals/${id}`);
    await expect(staff.locator('.a-dispatch select[name=department]').inputValue()).resolves.toBe('sthj');
    await Promise.all([staff.waitForLoadState('load'), staff.click('.a-dispatch button.primary')]);
    await expect(staff.locator('.appeal-status').textContent()).resolves.toBe('办理中');

    // … and the department replies.
    const { createUser } = await import('../../src/modules/org/service.js');
    await createUser(env.p, 'cli', { username: 'sthj-editor', password: 'Browser-Test-2026!x', department: 'sthj', roles: ['editor'], isDemo: true });
    const dept = await env.page();
    await signIn(dept, env.base, 'sthj-editor', 'Browser-Test-2026!x');
    await dept.goto(`${env.base}/admin/appeals`);
    await dept.click(`text=${no}`);
    await dept.fill('.a-reply textarea[name=reply]', '经现场检查，已责令该酒吧夜间22时后停止播放音乐，将持续跟踪。');
    await Promise.all([dept.waitForLoadState('load'), dept.click('.a-reply button.primary')]);
    await expect(dept.locator('.appeal-status').textContent()).resolves.toBe('已答复');

    // The citizen sees the reply and rates.
    // (An old link with ?code= leads to the form with the number filled in.)
    await page.goto(`${env.base}/appeals/track?no=${no}&code=${code}`);
    expect(page.url()).not.toContain(code);
    await expect(page.locator('#f-no').inputValue()).resolves.toBe(no);
    await page.fill('#f-code', code);
    await Promise.all([page.waitForLoadState('load'), page.click('form button.primary')]);
    await expect(page.locator('.appeal-reply').textContent()).resolves.toContain('已责令该酒吧');
    await page.check('input[name=rating][value=very-satisfied]');
    await page.fill('#f-comment', '处理及时');
    await Promise.all([page.waitForLoadState('load'), page.click('.appeal-rate button.primary')]);
    await expect(page.locator('.notice.success').textContent()).resolves.toContain('感谢您的评价');
    await expect(page.locator('.appeal-status').textContent()).resolves.toBe('已办结');
    await expect(page.locator('.appeal-history').textContent()).resolves.toContain('非常满意');
  });

  it('the public board and statistics have no serious accessibility violations', async () => {
    const page = await env.page();
    await page.goto(`${env.base}/appeals/board`);
    expect(await page.locator('.appeal-board li').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${env.base}/appeals/stats`);
    await expect(page.locator('h1').textContent()).resolves.toBe('诉求统计');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
