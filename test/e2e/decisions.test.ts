// In a real browser, on the demo district: a citizen on a 375 px phone finds the open consultation,
// comments on its article 3 (no account, no JavaScript needed), is told it awaits moderation; the
// department's editor publishes it on the moderation page; the citizen then reads it under
// article 3, name masked. The closed consultation's adoption report shows each comment's
// disposition. Every page passes axe-core and none scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

async function checked(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

describe('decision openness in the browser', () => {
  it('a citizen comments on article 3 on a phone; staff publish it; the citizen sees it; the adoption report shows dispositions', async () => {
    const open = await env.p.db.selectFrom('dec_consultations').select(['id', 'department_id']).where('state', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
    const articles = await env.p.db.selectFrom('dec_articles').select(['id', 'label']).where('consultation_id', '=', open.id).where('label', 'like', '第%条').orderBy('seq').execute();
    const third = articles[2];
    expect(third.label).toBe('第三条');
    const text = `建议第三条明确公园管理单位的投诉电话，并在公园入口公示。（浏览器测试 ${Date.now()}）`;

    const phone = await env.page();
    await phone.setViewportSize({ width: 375, height: 800 });
    await phone.goto(`${env.base}/decisions/consultations`);
    await checked(phone);
    await submit(phone, `a[href="/decisions/consultations/${open.id}"]`);
    await checked(phone);
    await submit(phone, `a[href="/decisions/consultations/${open.id}/comment?article=${third.id}"]`);
    await checked(phone);
    // The form names the article chosen; the citizen writes, signs with a name, and sends.
    await expect(phone.locator('#f-article').inputValue()).resolves.toBe(String(third.id));
    await phone.fill('#f-body', text);
    await phone.fill('#f-name', '王建国');
    await submit(phone, '.comment-form button.primary');
    await expect(phone.locator('h1').textContent()).resolves.toContain('意见已提交');
    await checked(phone);
    // Not public before moderation.
    await phone.goto(`${env.base}/decisions/consultations/${open.id}/articles/${third.id}`);
    await expect(phone.locator('main').textContent()).resolves.not.toContain(text);

    // The department's editor publishes it from the moderation page.
    const dept = await env.p.db.selectFrom('departments').select('code').where('id', '=', open.department_id).executeTakeFirstOrThrow();
    const staffName = dept.code === 'zjj' ? 'zjj-handler' : `${dept.code}-editor`;
    const staff = await env.page();
    await signIn(staff, env.base, staffName);
    await staff.goto(`${env.base}/admin/consultations/${open.id}/comments?status=pending`);
    const card = staff.locator('li.comment', { hasText: text });
    await expect(card.count()).resolves.toBe(1);
    await expect(card.textContent()).resolves.toContain('王建国');
    await Promise.all([staff.waitForLoadState('load'), card.locator('form:has(input[name="action"][value="publish"]) button').click()]);
    expect(await seriousViolations(staff), staff.url()).toEqual([]);
    const row = await env.p.db.selectFrom('dec_comments').select('status').where('body', '=', text).executeTakeFirstOrThrow();
    expect(row.status).toBe('published');

    // The citizen sees it under article 3, the name masked.
    await phone.goto(`${env.base}/decisions/consultations/${open.id}/articles/${third.id}`);
    const shown = phone.locator('.comment', { hasText: text });
    await expect(shown.count()).resolves.toBe(1);
    const meta = (await shown.locator('.comment-meta').textContent()) ?? '';
    expect(meta).toContain('王*');
    expect(meta).not.toContain('王建国');
    await checked(phone);

    // The closed consultation's adoption report: each comment with its disposition.
    const closed = await env.p.db.selectFrom('dec_consultations').select('id').where('report_state', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    await phone.goto(`${env.base}/decisions/consultations/${closed.id}/report`);
    const dispositions = await phone.locator('.disposition strong').allTextContents();
    expect(dispositions.length).toBeGreaterThan(3);
    expect(dispositions.some((d) => /采纳/.test(d))).toBe(true);
    expect(new Set(dispositions).size).toBeGreaterThan(1);
    await checked(phone);
  }, 180_000);
});
