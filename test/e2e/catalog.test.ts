// In a real browser: an editor drafts a document, two reviewers and an approver approve it,
// and it appears on the public page and in the Atom feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserEnv, signIn, seriousViolations, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const TITLE = '关于开展2026年政务公开日活动的通知';

async function approveAs(page: Page, user: string, id: number, button: RegExp) {
  await signIn(page, env.base, user);
  await page.goto(`${env.base}/admin/catalog?tab=waiting`);
  await page.click(`a[href="/admin/catalog/${id}"]`);
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState('load');
  await page.context().clearCookies();
}

describe('publishing a document in the browser', () => {
  it('editor drafts, two reviewers and an approver approve; the item is public and in the Atom feed', async () => {
    const page = await env.page();
    await signIn(page, env.base, 'dzb-editor');
    await page.goto(`${env.base}/admin/catalog`);
    await page.getByRole('link', { name: '新建信息' }).click();
    await page.fill('#f-title', TITLE);
    await page.fill('#f-docNo', '示范新区办发〔2026〕15号');
    await page.selectOption('#f-topic', '0203');
    await page.selectOption('#f-genre', '通知');
    await page.fill('#f-writtenAt', '2026-05-10');
    await page.fill('#f-summary', '部署政务公开日系列活动。');
    await page.fill('#f-body', '<p>各部门：</p><p>为做好第二十个政务公开日活动，现将有关事项通知如下。</p>');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForLoadState('load');
    expect(await page.textContent('main')).toContain('已保存');
    const id = Number(/\/admin\/catalog\/(\d+)/.exec(page.url())![1]);
    // the preview shows what the public will see
    await page.click(`a[href="/admin/catalog/${id}/preview"]`);
    expect(await page.textContent('main')).toContain('为做好第二十个政务公开日活动');
    await page.goBack();
    await page.getByRole('button', { name: '提交审查' }).click();
    await page.waitForLoadState('load');
    expect(await page.textContent('main')).toContain('待保密审查');
    await page.context().clearCookies();

    await approveAs(page, 'dzb-reviewer', id, /保密审查通过/);
    await approveAs(page, 'dzb-reviewer2', id, /审核通过/);
    await approveAs(page, 'dzb-approver', id, /签发/);

    await page.goto(`${env.base}/catalog`);
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.waitForLoadState('load');
    const main = await page.textContent('main');
    expect(main).toContain('示范新区办发〔2026〕15号');
    expect(main).toMatch(/552013579\/\d{4}-\d{5}/);
    expect(main).toContain('为做好第二十个政务公开日活动');
    expect(await seriousViolations(page)).toEqual([]);

    const atom = await (await fetch(`${env.base}/catalog/feed.atom`)).text();
    expect(atom).toContain(`<title>${TITLE}</title>`);
    expect(atom).toContain(`/catalog/items/${id}`);
  });

  it('the portal pages beside the catalog (政策解读, 公开指南, 公开制度, 联系我们, 网站地图) pass axe and fit a phone', async () => {
    const page = await env.page();
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/catalog/interpretations', '/catalog/disclosure-guide', '/catalog/disclosure-rules', '/contact', '/sitemap']) {
      await page.goto(env.base + path);
      expect(await seriousViolations(page), path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('portal and console pages have no serious accessibility violations and work on a phone', async () => {
    const page = await env.page();
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/catalog', '/catalog?department=fgj&topic=04', '/catalog/disclosure-guide/dzb', '/catalog/statutory']) {
      await page.goto(env.base + path);
      expect(await seriousViolations(page), path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
    await signIn(page, env.base, 'dzb-editor');
    const any = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('department_id', '=', (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow()).id).executeTakeFirstOrThrow();
    for (const path of ['/admin/catalog', '/admin/catalog/new', `/admin/catalog/${any.id}`, `/admin/catalog/${any.id}/preview`]) {
      await page.goto(env.base + path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
});
