// In a real browser at 375 px: a citizen files a request for government information with the
// online form (identity proof uploaded, 请核对 then 确认提交), looks it up with the query code
// (awaiting confirmation of receipt), the government's disclosure office confirms receipt in the
// console, and the citizen then sees the request being handled with its due date explained.
// Every page passes axe-core and none scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffffff7f0009fb03fdf5d8f19a0000000049454e44ae426082', 'hex');
const WIDTH = 375;

async function phone(): Promise<Page> {
  const page = await env.page();
  await page.setViewportSize({ width: WIDTH, height: 800 });
  return page;
}

/** axe-core finds nothing serious, and the page does not scroll sideways. */
async function checked(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

async function lookUp(page: Page, no: string, code: string): Promise<void> {
  await page.goto(`${env.base}/disclosure-requests/track`);
  await page.fill('#f-no', no);
  await page.fill('#f-code', code);
  await submit(page, 'form button.primary');
  expect(page.url()).not.toContain(code);
}

describe('a request for government information at 375 px', () => {
  it('the citizen files it and follows it; the office confirms receipt; the citizen sees the due date explained', async () => {
    const citizen = await phone();
    await citizen.goto(`${env.base}/disclosure-requests`);
    await checked(citizen);
    await submit(citizen, 'a[href="/disclosure-requests/new"].button');
    // A first try without the proof: the field is named.
    await citizen.selectOption('#f-agency', 'government');
    await citizen.check('input[name=requesterType][value=natural-person]');
    await citizen.fill('#f-requesterName', '赵敏');
    await citizen.selectOption('#f-idKind', 'resident-id');
    await citizen.fill('#f-idNumber', withIdCheckDigit('21021319900512003'));
    await citizen.fill('#f-contactPhone', '13955556666');
    await citizen.fill('#f-contactEmail', 'zhaomin@example.cn');
    await citizen.fill('#f-infoName', '海滨路改造工程施工许可文件');
    await citizen.fill('#f-infoDescription', '申请公开海滨路改造工程的施工许可证及相关批复文件。');
    await citizen.check('input[name=formWanted][value=electronic]');
    await citizen.check('input[name=channelWanted][value=email]');
    await submit(citizen, '.request-form button.primary');
    await expect(citizen.locator('#f-idProof-err').textContent()).resolves.toContain('请上传身份证明');
    await checked(citizen);
    await citizen.setInputFiles('#f-idProof', { name: '身份证.png', mimeType: 'image/png', buffer: PNG });
    await submit(citizen, '.request-form button.primary');
    // 请核对您填写的信息, then 确认提交.
    await expect(citizen.locator('h1').textContent()).resolves.toBe('请核对您填写的信息');
    await checked(citizen);
    await submit(citizen, '.request-confirm button.primary');
    await citizen.waitForSelector('.tracking-no');
    const no = (await citizen.textContent('.tracking-no'))!.trim();
    const code = (await citizen.textContent('.query-code'))!.trim();
    expect(no).toMatch(/^YS\d{15}$/);
    expect(code).toMatch(/^\d{10}$/);
    await checked(citizen);

    await lookUp(citizen, no, code);
    await expect(citizen.locator('.request-state').textContent()).resolves.toBe('待确认收到');
    await expect(citizen.locator('main').textContent()).resolves.toContain('以双方确认之日为收到申请之日');
    await checked(citizen);

    // The government's disclosure office confirms receipt with the requester.
    const id = (await env.p.db.selectFrom('disclosure_requests').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
    const office = await phone();
    await signIn(office, env.base, 'gkb-requests');
    await office.goto(`${env.base}/admin/disclosure-requests`);
    await expect(office.locator('.request-list').textContent()).resolves.toContain(no);
    await office.goto(`${env.base}/admin/disclosure-requests/${id}`);
    await checked(office);
    await office.fill('.s-confirm-receipt input[name=how]', '电话与申请人确认');
    await submit(office, '.s-confirm-receipt button.primary');
    await expect(office.locator('.request-state').textContent()).resolves.toBe('办理中');

    // The citizen sees it being handled, with the due date and how it comes about.
    await lookUp(citizen, no, code);
    await expect(citizen.locator('.request-state').textContent()).resolves.toBe('办理中');
    const due = (await env.p.db.selectFrom('disclosure_requests').select('due_date').where('id', '=', id).executeTakeFirstOrThrow()).due_date!;
    await expect(citizen.locator('.due-explained').textContent()).resolves.toContain(due);
    await expect(citizen.locator('.due-explained').textContent()).resolves.toContain('（收到申请之日）起算，20个工作日');
    await expect(citizen.locator('.request-timeline').textContent()).resolves.toContain('确认收到');
    await checked(citizen);
  }, 180_000);
});
