// Browser test harness: the real server on a free port and Debian's Chromium through playwright-core.
import { chromium, type Browser, type Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createRequire } from 'node:module';
import { makeEnv, type TestEnv } from '../helpers.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserEnv extends TestEnv {
  base: string;
  browser: Browser;
  page(opts?: { locale?: string }): Promise<Page>;
}

export async function startBrowserEnv(opts: Parameters<typeof makeEnv>[0] = {}): Promise<BrowserEnv> {
  const env = await makeEnv(opts);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = env.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  return {
    ...env,
    base: `http://127.0.0.1:${port}`,
    browser,
    async page(o = {}) {
      // bypassCSP only so axe-core can be injected; the product's own pages run under the strict CSP.
      const ctx = await browser.newContext({ locale: o.locale ?? 'zh-CN', bypassCSP: true, viewport: { width: 1280, height: 900 } });
      return ctx.newPage();
    },
    async close() {
      await browser.close();
      await env.close();
    },
  };
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    return await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  })) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const DEMO_PASSWORD = 'Demo-2026-gongkai';

export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/admin/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', password);
  await page.click('button[type=submit].primary');
  await page.waitForLoadState('load');
}

/** A new page at a phone's width (375 px by default). */
export async function phonePage(env: BrowserEnv, width = 375): Promise<Page> {
  const page = await env.page();
  await page.setViewportSize({ width, height: 800 });
  return page;
}

/** axe-core finds nothing serious on the page, and it does not scroll sideways. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}

/** Clicks what submits a form (or follows a link) and waits for the page that comes back. */
export const clickAndLoad = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);
