// In a real browser: 市场监管局's editor publishes a task's draw inputs with two witnesses'
// commitments and draws it with their secrets; the public reads the draw notice on a phone; the
// inspector drawn enters a result in "my inspections". Every page passes axe-core and none
// scrolls sideways at 375 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { addEntities, addInspector, addTask, checksOf, setup, witnessesOf, type Fixture } from '../enforcement/draw-workflow.js';

let env: BrowserEnv;
let f: Fixture;
beforeAll(async () => {
  env = await startBrowserEnv({ demo: false });
  f = await setup(env);
  await addEntities(f, 1, 8);
  await addInspector(f, 'SC-001', { user: 'scjg-insp1' });
  await addInspector(f, 'SC-002', { user: 'scjg-insp2' });
}, 120_000);
afterAll(async () => env?.close());

async function checked(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);
const SECRETS = ['海风吹过老码头', '7391'];

describe('a draw in the browser', () => {
  it('is prepared and drawn in the console, read on a phone, and its results entered by the inspector', async () => {
    const taskId = await addTask(f, { sampleValue: 3 });
    const staff = await env.page();
    await staff.setViewportSize({ width: 375, height: 800 });
    await signIn(staff, env.base, 'scjg-editor');
    await staff.goto(`${env.base}/admin/enforcement/tasks/${taskId}/draw`);
    await checked(staff);
    const w = witnessesOf(SECRETS);
    for (const [i, x] of w.entries()) {
      await staff.fill(`#f-witnesses\\.${i}\\.name`, x.name);
      await staff.fill(`#f-witnesses\\.${i}\\.commitment`, x.commitment);
    }
    await submit(staff, 'form[action$="/draw/prepare"] button[type=submit]');
    await expect(staff.locator('.notice.success').textContent()).resolves.toContain('抽取公告已发布');
    await checked(staff);
    for (const [i, s] of SECRETS.entries()) await staff.fill(`#f-secrets\\.${i}`, s);
    await staff.check('form[action$="/draw/run"] input[name=confirm]');
    await submit(staff, 'form[action$="/draw/run"] button[type=submit]');
    await expect(staff.locator('.notice.success').textContent()).resolves.toContain('抽取完成');
    await checked(staff);

    const draw = await f.env.p.db.selectFrom('enf_draws').select(['id', 'seed']).where('task_id', '=', taskId).executeTakeFirstOrThrow();
    const phone = await env.page();
    await phone.setViewportSize({ width: 375, height: 800 });
    await phone.goto(`${env.base}/enforcement/draws/${draw.id}`);
    await expect(phone.locator('main').textContent()).resolves.toContain(draw.seed!);
    await expect(phone.locator('table.targets tbody tr').count()).resolves.toBe(3);
    await checked(phone);

    const [check] = await checksOf(f, taskId);
    const account = JSON.parse(check.inspectors)[0] === 'SC-001' ? 'scjg-insp1' : 'scjg-insp2';
    const inspector = await env.page();
    await inspector.setViewportSize({ width: 375, height: 800 });
    await signIn(inspector, env.base, account);
    await inspector.goto(`${env.base}/admin/enforcement/checks`);
    await checked(inspector);
    await inspector.selectOption(`#result-${check.id}`, 'no-problem');
    await submit(inspector, `#check-${check.id} button[type=submit]`);
    await expect(inspector.locator('.notice.success').textContent()).resolves.toContain('检查结果已保存');
    await checked(inspector);
    expect((await checksOf(f, taskId))[0].result).toBe('no-problem');
  }, 180_000);
});
