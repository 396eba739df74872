// In a real browser at 375 px: a citizen files a request for government information with the
// online form, the office takes it to a delivered reply (the API; the reply panel of the console
// checked on the way), and the citizen looks it up with the query code and reads the reply letter
// (告知书) on the status page — nothing of it before delivery. Every page passes axe-core and none
// scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
});
afterAll(async () => env?.close());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffffff7f0009fb03fdf5d8f19a0000000049454e44ae426082', 'hex');

async function phone(): Promise<Page> {
  const page = await env.page();
  await page.setViewportSize({ width: 375, height: 800 });
  return page;
}

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
}

describe('the reply to a request at 375 px', () => {
  it('the citizen files a request and later reads the reply letter on the status page', async () => {
    const citizen = await phone();
    await citizen.goto(`${env.base}/disclosure-requests/new`);
    await citizen.selectOption('#f-agency', 'government');
    await citizen.check('input[name=requesterType][value=natural-person]');
    await citizen.fill('#f-requesterName', '钱学文');
    await citizen.selectOption('#f-idKind', 'resident-id');
    await citizen.fill('#f-idNumber', withIdCheckDigit('21021319850315004'));
    await citizen.fill('#f-contactPhone', '13966667777');
    await citizen.fill('#f-infoName', '2025年度老旧小区改造项目清单');
    await citizen.fill('#f-infoDescription', '申请公开2025年度纳入改造计划的老旧小区名单及投资额。');
    await citizen.check('input[name=formWanted][value=electronic]');
    await citizen.check('input[name=channelWanted][value=online]');
    await citizen.setInputFiles('#f-idProof', { name: '身份证.png', mimeType: 'image/png', buffer: PNG });
    await submit(citizen, '.request-form button.primary');
    await submit(citizen, '.request-confirm button.primary');
    await citizen.waitForSelector('.tracking-no');
    const no = (await citizen.textContent('.tracking-no'))!.trim();
    const code = (await citizen.textContent('.query-code'))!.trim();
    const id = (await env.p.db.selectFrom('disclosure_requests').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;

    // The office: receipt confirmed, a reply drafted (withheld in part, with grounds), approved, signed.
    const api = (as: string, method: 'POST' | 'PUT', path: string, body: Record<string, unknown> = {}) => env.api(method, `/api/v1/staff/disclosure-requests/${id}${path}`, { as, body });
    expect((await api('gkb-requests', 'POST', '/confirm-receipt', { how: '电话确认' })).statusCode).toBe(200);
    const d = await api('gkb-requests', 'PUT', '/reply', {
      type: 'partly-disclosed',
      fields: { how: '名单见附件，投资额见区政府门户网站“财政预决算”栏目。' },
      withheld: [{ part: '个别小区住户的联系电话', ground: 'withheld.third-party', reason: '涉及个人隐私。' }],
    });
    expect(d.statusCode, d.body).toBe(200);
    expect((await api('gkb-requests', 'POST', '/reply-submit')).statusCode).toBe(200);

    // The reply panel in the console at 375 px.
    const head = await phone();
    await signIn(head, env.base, 'gkb-approver');
    await head.goto(`${env.base}/admin/disclosure-requests/${id}`);
    await expect(head.locator('.request-reply-panel').textContent()).resolves.toContain('待审核');
    await checked(head);
    expect((await api('gkb-approver', 'POST', '/reply-decision', { approve: true })).statusCode).toBe(200);
    expect((await api('gkb-approver', 'POST', '/reply-sign', {})).statusCode).toBe(200);

    // Signed but not delivered: the citizen sees nothing of it yet.
    await lookUp(citizen, no, code);
    await expect(citizen.locator('.request-state').textContent()).resolves.toBe('办理中');
    expect(await citizen.locator('.reply-letter').count()).toBe(0);

    expect((await api('gkb-requests', 'POST', '/reply-deliver', {})).statusCode).toBe(200);
    await lookUp(citizen, no, code);
    const letter = citizen.locator('.reply-letter');
    await expect(letter.locator('.letter-title').textContent()).resolves.toBe('政府信息公开申请答复告知书');
    const text = (await letter.textContent())!;
    expect(text).toContain('钱**：');
    expect(text).not.toContain('钱学文');
    expect(text).toContain('第三十七条');
    expect(text).toContain('个别小区住户的联系电话：保护第三方合法权益');
    expect(text).toContain('六十日内依法申请行政复议');
    expect(text).toContain('签发人：政务公开办负责人');
    // The outcome in the requester's words: 部分公开, without the annual report's counting note.
    await expect(citizen.locator('.request-reply').textContent()).resolves.toContain('办理结果：部分公开 ');
    await expect(citizen.locator('main').textContent()).resolves.not.toContain('只计这一情形');
    await checked(citizen);
  }, 180_000);
});
