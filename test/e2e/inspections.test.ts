// In a real browser: 市场监管局's editor drafts a random-inspection plan on a phone, adds a task
// with the filter pickers (industry, area, risk) and the sample as a share of the pool, publishes
// the plan after confirming; the public finds the plan and reads the task on a phone. Every page
// passes axe-core and none scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { publishMatters, matter } from '../enforcement/matters-util.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
  await publishMatters(env, 'scjg', [matter('SC-001', { name: '食品经营者监督检查' }), matter('SC-002', { name: '产品质量监督抽查', field: 'quality' })]);
  const scjg = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'scjg').executeTakeFirstOrThrow()).id;
  const at = new Date().toISOString();
  await env.p.db
    .insertInto('enf_entities')
    .values(['东风街道', '西山街道', '东风街道'].map((area, i) => ({ credit_code: `91210000MA000000${i}${i}`, name: `主体${i}`, address: '示范新区', legal_rep: '张三', industry: 'F5211', risk: 'high', area, active: 1, department_id: scjg, created_at: at, updated_at: at })))
    .execute();
}, 120_000);
afterAll(async () => env?.close());

async function checked(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

describe('inspection plans in the browser', () => {
  it('an editor plans and publishes on a phone; the public reads the task', async () => {
    const editor = await env.page();
    await editor.setViewportSize({ width: 375, height: 800 });
    await signIn(editor, env.base, 'scjg-editor');
    await editor.goto(`${env.base}/admin/enforcement/plans`);
    await checked(editor);
    await editor.fill('#f-title', '2026年度食品安全双随机抽查计划');
    await editor.fill('#f-year', '2026');
    await submit(editor, 'form[action="/admin/enforcement/plans"] button[type=submit]');
    await expect(editor.locator('.notice.success').textContent()).resolves.toContain('抽查计划已创建');
    await checked(editor);
    await editor.selectOption('#f-matterCode', 'SC-001');
    await editor.selectOption('#f-filter\\.industries', ['F52']);
    await editor.check('input[name=areas][value="东风街道"]');
    await editor.check('input[name=risks][value=high]');
    await editor.check('input[name=sampleKind][value=ratio]');
    await editor.fill('#f-sampleRatio', '5');
    await editor.fill('#f-windowStart', '2026-06-01');
    await editor.fill('#f-windowEnd', '2026-05-01');
    await submit(editor, '.task-form button[type=submit]');
    await expect(editor.locator('#f-windowEnd-err').textContent()).resolves.toBe('检查结束日期不能早于开始日期');
    await checked(editor);
    await editor.fill('#f-windowEnd', '2026-06-30');
    await submit(editor, '.task-form button[type=submit]');
    await expect(editor.locator('.inspection-tasks').textContent()).resolves.toContain('食品经营者监督检查');
    await editor.check('.confirm-form input[name=confirm]');
    await submit(editor, '.confirm-form button[type=submit]');
    await expect(editor.locator('.notice.success').textContent()).resolves.toContain('计划公告和任务公告已公布');
    await submit(editor, '.inspection-tasks a');
    await expect(editor.locator('.task-state').textContent()).resolves.toContain('待抽取');
    await expect(editor.locator('main').textContent()).resolves.toContain('名录库中现有2户符合条件，按此将抽取1户');
    await checked(editor);

    const phone = await env.page();
    await phone.setViewportSize({ width: 375, height: 800 });
    await phone.goto(`${env.base}/enforcement/inspections`);
    await checked(phone);
    await submit(phone, '.inspection-tasks a');
    await expect(phone.locator('h1').textContent()).resolves.toBe('食品经营者监督检查');
    await expect(phone.locator('main').textContent()).resolves.toContain('行业：F52 零售业；区域：东风街道；风险等级：高风险');
    await checked(phone);
    await submit(phone, 'a:has-text("公告原文")');
    await expect(phone.locator('main').textContent()).resolves.toContain('索引号');
    await checked(phone);
  }, 180_000);
});
