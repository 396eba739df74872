// In a real browser: a demo editor signs in and sees the dashboard; the public home page has no
// serious or critical accessibility violations, in normal mode and in 大字版.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

describe('staff console in Chromium', () => {
  it('a demo editor signs in and sees the dashboard', async () => {
    const page = await env.page();
    await signIn(page, env.base, 'dzb-editor');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.locator('h1').textContent()).resolves.toBe('工作台');
    await expect(page.locator('main').textContent()).resolves.toContain('党政办编辑');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'gk_session')?.httpOnly).toBe(true);
  });

  it('a wrong password shows the message on the form', async () => {
    const page = await env.page();
    await signIn(page, env.base, 'dzb-editor', 'not-the-password-1');
    await expect(page.locator('.notice.error').textContent()).resolves.toContain('用户名或密码错误');
  });
});

describe('public home page accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('normal mode has no serious or critical violations', async () => {
    const page = await env.page();
    await page.goto(env.base + '/');
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/home.png', fullPage: true });
  });

  it('大字版 is switched on with its link, without JavaScript, and has no serious or critical violations', async () => {
    const ctx = await env.browser.newContext({ locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    const noJs = await ctx.newPage();
    await noJs.goto(env.base + '/');
    const href = await noJs.getAttribute('.a11y-tools a >> text=大字版', 'href');
    await noJs.goto(env.base + href);
    await expect(noJs.locator('body').getAttribute('class')).resolves.toContain('a11y-large');
    const cookies = await ctx.cookies();
    const page = await env.page();
    await page.context().addCookies(cookies);
    await page.goto(env.base + '/');
    await expect(page.locator('body').getAttribute('class')).resolves.toContain('a11y-large');
    const size = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    expect(parseFloat(size)).toBeGreaterThan(18);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('high contrast mode has no serious or critical violations', async () => {
    const page = await env.page();
    await page.context().addCookies([{ name: 'gk_contrast', value: '1', url: env.base }]);
    await page.goto(env.base + '/');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('works on a phone-sized screen without horizontal scrolling', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(env.base + '/');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
