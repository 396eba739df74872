// In a real browser: a citizen compares two editions of the 市场监管局 权责清单 with the form on
// the list page (no JavaScript needed) and sees the added, removed and changed items with the
// field-level differences; the diff view has no serious accessibility violations. A business asks
// "may I open a coffee shop?" in everyday words, at desktop width and on a 375 px phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { seriousViolations, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
}, 120000);
afterAll(async () => env?.close());

describe('list edition diff view in Chromium', () => {
  it('compares edition 1 with edition 2 and shows the changes', async () => {
    const page = await env.page();
    await page.goto(env.base + '/lists');
    await page.getByRole('link', { name: '市场监督管理局权责清单' }).click();
    await page.waitForURL(/\/lists\/power\/lists\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('市场监督管理局权责清单');
    await expect(page.locator('table.editions').textContent()).resolves.toContain('示范新区编〔2026〕5号');
    // Choose the two editions in the form and compare.
    const fromOpts = await page.locator('select[name=a] option').allTextContents();
    await page.getByLabel('原版本').selectOption({ label: fromOpts.find((o) => o.startsWith('第1版'))! });
    const toOpts = await page.locator('select[name=b] option').allTextContents();
    await page.getByLabel('新版本').selectOption({ label: toOpts.find((o) => o.startsWith('第2版'))! });
    await page.getByRole('button', { name: '对比两个版本' }).click();
    await page.waitForURL(/\/diff\?a=\d+&b=\d+/);
    await expect(page.locator('h1').textContent()).resolves.toBe('市场监督管理局权责清单：第1版与第2版对比');
    await expect(page.locator('.diff-summary').textContent()).resolves.toBe('新增1项、取消1项、变更1项');
    await expect(page.locator('.diff-added').textContent()).resolves.toContain('CF-SCJG-003');
    await expect(page.locator('.diff-removed').textContent()).resolves.toContain('QT-SCJG-001');
    const changed = page.locator('.diff-changed');
    await expect(changed.locator('caption').textContent()).resolves.toBe('CF-SCJG-001');
    const basisRow = changed.locator('tr', { has: page.locator('th', { hasText: '设定依据' }) });
    await expect(basisRow.locator('del').textContent()).resolves.toBe('《中华人民共和国食品安全法》第一百二十四条');
    await expect(basisRow.locator('ins').textContent()).resolves.toContain('《中华人民共和国食品安全法实施条例》第六十七条');
    await expect(changed.locator('th', { hasText: '运行流程' }).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/lists-diff.png', fullPage: true });
    // The added item's page shows its history across editions.
    await page.locator('.diff-added a', { hasText: 'CF-SCJG-003' }).click();
    await expect(page.locator('table.history').textContent()).resolves.toContain('新增');
  });

  it('the printable one-page guide and the lookup page have no serious violations', async () => {
    const page = await env.page();
    await page.goto(env.base + '/negative-lists/lookup');
    await page.getByLabel('经营项目或行业代码').fill('烟草');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page.locator('.lookup-results').textContent()).resolves.toContain('国家烟草局');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(env.base + '/lists/service-guide/items/SG-XZSP-001');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/lists-guide.png', fullPage: true });
  });

  it('the list pages, policy matching and the console have no serious violations', async () => {
    const page = await env.page();
    for (const u of ['/lists', '/lists/power', '/lists/market-access?category=prohibited', '/lists/foreign-investment', '/lists/power/items/XK-XZSP-001', '/policies/match?industry=C39&size=small&location=jd-gy&qualifications=high-tech']) {
      await page.goto(env.base + u);
      expect(await seriousViolations(page), u).toEqual([]);
    }
    await expect(page.locator('.match-results').textContent()).resolves.toContain('工业园街道标准厂房租金补贴实施细则');
    const { signIn } = await import('./browser.js');
    await signIn(page, env.base, 'scjg-editor');
    for (const u of ['/admin/lists', '/admin/lists/followups']) {
      await page.goto(env.base + u);
      expect(await seriousViolations(page), u).toEqual([]);
    }
  });

  for (const width of [1280, 375]) {
    it(`a business asks "may I open a coffee shop?" in everyday words (${width} px)`, async () => {
      const page = await env.page();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(env.base + '/negative-lists/lookup');
      await page.getByLabel('经营项目或行业代码').fill('开咖啡店需要什么许可');
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.waitForURL(/\/negative-lists\/lookup\?q=/);
      await expect(page.locator('.understood').textContent()).resolves.toContain('H6232 咖啡馆服务');
      const answer = page.locator('.lookup-results li.permitted').first();
      await expect(answer.textContent()).resolves.toContain('食品经营许可');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      // The licence's service guide is one click away.
      await answer.getByRole('link', { name: '食品经营许可证核发' }).click();
      await expect(page.locator('h1').textContent()).resolves.toContain('食品经营许可证核发');
      // Policy matching takes the same words; the industry picker finds the code.
      await page.goto(env.base + '/policies/match');
      await page.getByLabel('所属行业（日常说法或行业代码）').fill('咖啡店');
      await page.getByLabel('企业规模').selectOption({ label: '微型企业' });
      await page.getByRole('button', { name: '匹配政策' }).click();
      await expect(page.locator('.understood').textContent()).resolves.toContain('H6232 咖啡馆服务');
      await expect(page.locator('.match-results').textContent()).resolves.toContain('示范新区小微企业贷款贴息管理办法');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(env.base + '/lists/industries?q=' + encodeURIComponent('奶茶店'));
      await expect(page.locator('.industry-list li').first().textContent()).resolves.toContain('H6239');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      if (width === 375) {
        mkdirSync('test-results', { recursive: true });
        await page.screenshot({ path: 'test-results/lists-industries-375.png', fullPage: true });
      }
    }, 180000);
  }
});
