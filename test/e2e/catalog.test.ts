// In a real browser: an editor drafts a document with an attachment; the reviewers land on it,
// read it and decide with 审核意见 (one returns it, shown in the history); the approver signs; it
// appears on the public page and in the Atom feed. A new version shows its changes to the reviewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserEnv, signIn, seriousViolations, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const TITLE = '关于开展2026年政务公开日活动的通知';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
let published = 0;

async function signInAs(page: Page, user: string) {
  await page.context().clearCookies();
  await signIn(page, env.base, user);
}

/** Lands on the console as a reviewer does: the tab open is 待我处理, with its count; opens the item. */
async function openFromLanding(page: Page, id: number) {
  await page.goto(`${env.base}/admin/catalog`);
  expect(await page.locator('nav.tabs a[aria-current="page"]').textContent()).toMatch(/^待我处理（[1-9]\d*）$/);
  await page.click(`a[href="/admin/catalog/${id}"]`);
  await page.waitForLoadState('load');
}

async function decide(page: Page, action: 'approve' | 'reject', button: RegExp, opinion = '') {
  if (opinion) await page.fill(`#f-opinion-${action}`, opinion);
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState('load');
}

/** The review history's rows as text, cell by cell. */
async function history(page: Page): Promise<string[]> {
  return page.locator('.review-history tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()).join(' | ')));
}

async function fitsAPhone(page: Page, what: string) {
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await seriousViolations(page), `${what} at 375 px`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, what).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('publishing a document in the browser', () => {
  it('editor drafts with an attachment; reviewers land on it, read it and decide with opinions; a rejection shows in the history; the signed document is public and in the Atom feed', async () => {
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
    await page.setInputFiles('#f-file', { name: '活动报名表.png', mimeType: 'image/png', buffer: PNG });
    await page.click('form[enctype="multipart/form-data"] button[type=submit]');
    await page.waitForLoadState('load');
    expect(await page.textContent('.review-attachments')).toContain('活动报名表.png');
    // the preview shows what the public will see
    await page.click(`a[href="/admin/catalog/${id}/preview"]`);
    expect(await page.textContent('main')).toContain('为做好第二十个政务公开日活动');
    await page.goBack();
    await page.getByRole('button', { name: '提交审查' }).click();
    await page.waitForLoadState('load');
    expect(await page.textContent('main')).toContain('待保密审查');

    // the secrecy reviewer lands on what waits for them and reads the whole version
    await signInAs(page, 'dzb-reviewer');
    await openFromLanding(page, id);
    expect(await page.textContent('.review-body')).toContain('为做好第二十个政务公开日活动');
    const file = await page.request.get(env.base + (await page.getAttribute('.review-attachments a', 'href')));
    expect(file.status()).toBe(200);
    expect(Buffer.from(await file.body()).equals(PNG)).toBe(true);
    expect(await page.textContent('.workflow')).toContain('审核意见');
    expect(await page.textContent('main')).toContain('首次发布：没有可比较的在线版本。');
    expect(await seriousViolations(page)).toEqual([]);
    await fitsAPhone(page, 'the review page');
    await decide(page, 'approve', /保密审查通过/, '不涉及国家秘密，同意公开。');

    // the reviewer returns it with an opinion; the editor reads it in the history
    await signInAs(page, 'dzb-reviewer2');
    await openFromLanding(page, id);
    await decide(page, 'reject', /退回修改/, '请写明活动的时间和地点。');
    expect(await page.textContent('main')).toContain('当前状态：草稿');
    await signInAs(page, 'dzb-editor');
    await page.goto(`${env.base}/admin/catalog/${id}`);
    const h = await history(page);
    expect(h.some((r) => /保密审查通过 \| 党政办保密审查员（审核员） \| 不涉及国家秘密，同意公开。$/.test(r))).toBe(true);
    expect(h.some((r) => /审核退回 \| 党政办审核员（审核员） \| 请写明活动的时间和地点。$/.test(r))).toBe(true);
    expect(h[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \| v1 \| 提交审查 \| 党政办编辑（编辑） \| —$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '编辑草稿' }).click();
    await page.fill('#f-body', '<p>各部门：</p><p>为做好第二十个政务公开日活动，现将有关事项通知如下。</p><p>活动时间：5月15日上午；地点：区政务服务中心。</p>');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: '提交审查' }).click();
    await page.waitForLoadState('load');

    await signInAs(page, 'dzb-reviewer');
    await openFromLanding(page, id);
    await decide(page, 'approve', /保密审查通过/);
    await signInAs(page, 'dzb-reviewer2');
    await openFromLanding(page, id);
    expect(await page.textContent('.review-body')).toContain('活动时间：5月15日上午');
    await decide(page, 'approve', /审核通过/, '时间地点已补充，同意。');
    await signInAs(page, 'dzb-approver');
    await openFromLanding(page, id);
    await decide(page, 'approve', /签发/, '同意发布。');
    expect(await page.textContent('main')).toContain('当前状态：已发布');
    expect((await history(page)).slice(-3).map((r) => r.split(' | ').slice(2).join(' | '))).toEqual(['保密审查通过 | 党政办保密审查员（审核员） | —', '审核通过 | 党政办审核员（审核员） | 时间地点已补充，同意。', '签发 | 党政办签发人（签发人） | 同意发布。']);
    await page.context().clearCookies();

    await page.goto(`${env.base}/catalog`);
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.waitForLoadState('load');
    const main = await page.textContent('main');
    expect(main).toContain('示范新区办发〔2026〕15号');
    expect(main).toMatch(/552013579\/\d{4}-\d{5}/);
    expect(main).toContain('活动时间：5月15日上午');
    expect(main).toContain('活动报名表.png');
    expect(await seriousViolations(page)).toEqual([]);

    const atom = await (await fetch(`${env.base}/catalog/feed.atom`)).text();
    expect(atom).toContain(`<title>${TITLE}</title>`);
    expect(atom).toContain(`/catalog/items/${id}`);
    published = id;
  }, 240_000);

  it('a new version of a published document: the reviewer reads what changed from the online version', async () => {
    expect(published).toBeGreaterThan(0);
    const page = await env.page();
    await signIn(page, env.base, 'dzb-editor');
    await page.goto(`${env.base}/admin/catalog/${published}`);
    await page.getByRole('link', { name: '修改（生成新版本）' }).click();
    await page.fill('#f-docNo', '示范新区办发〔2026〕16号');
    await page.fill('#f-body', '<p>各部门：</p><p>为做好第二十个政务公开日活动，现将有关事项通知如下。</p><p>活动时间：5月16日上午；地点：区政务服务中心。</p>');
    await page.fill('#f-changeNote', '活动改期');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: '提交审查' }).click();
    await page.waitForLoadState('load');

    await signInAs(page, 'dzb-reviewer');
    await openFromLanding(page, published);
    const diff = page.locator('.version-diff');
    expect(await diff.locator('h2').textContent()).toBe('与在线版本（v1）相比的修改');
    expect(await diff.locator('tr', { hasText: '文号' }).textContent()).toContain('示范新区办发〔2026〕15号示范新区办发〔2026〕16号');
    expect(await diff.locator('.diff-change del').allTextContents()).toContain('[删除：15]');
    expect(await diff.locator('.diff-change ins').allTextContents()).toContain('[新增：16]');
    expect(await seriousViolations(page)).toEqual([]);
    await fitsAPhone(page, 'the changes of a new version');
    await decide(page, 'approve', /保密审查通过/, '改期不涉密。');
    expect(await page.textContent('main')).toContain('当前状态：待审核');
  }, 120_000);

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

  it('an item page: its metadata is a definition list, one entry a row on a phone, two on a desktop and on paper; axe finds nothing, in Chinese or English', async () => {
    const doc = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('public', '=', 1).where('expires_at', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    /** Each entry's box, and whether a term and its value sit side by side. */
    const entries = (page: Page) =>
      page.locator('.doc-metadata > div').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          const dt = e.querySelector('dt')!.getBoundingClientRect();
          const dd = e.querySelector('dd')!;
          return { x: Math.round(r.x), y: Math.round(r.y), beside: Math.round(dt.y) === Math.round(dd.getBoundingClientRect().y), clipped: dd.scrollWidth > dd.clientWidth + 1 };
        }),
      );
    for (const locale of ['zh-CN', 'en']) {
      const page = await env.page({ locale });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${env.base}/catalog/items/${doc.id}`);
      expect(await page.locator('.doc-metadata th').count()).toBe(0);
      expect(await seriousViolations(page), `${locale} at 375 px`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), locale).toBeLessThanOrEqual(1);
      const phone = await entries(page);
      expect(phone.length).toBeGreaterThanOrEqual(10);
      expect(new Set(phone.map((e) => e.x)).size, 'one entry a row').toBe(1);
      expect(phone.every((e) => e.beside && !e.clipped)).toBe(true);
      if (locale === 'en') {
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        expect(await page.getAttribute('#doc-title', 'lang')).toBe('zh-CN');
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await seriousViolations(page), `${locale} on a desktop`).toEqual([]);
      const wide = await entries(page);
      expect(wide[0].y).toBe(wide[1].y);
      expect(wide[1].x).toBeGreaterThan(wide[0].x);
      // On paper (A4 at 96 dpi): two entries a row, the site's header gone.
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print' });
      const paper = await entries(page);
      expect(paper[0].y).toBe(paper[1].y);
      expect(paper.every((e) => e.beside && !e.clipped)).toBe(true);
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      await page.context().close();
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
  }, 180_000);
});
