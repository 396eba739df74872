// On a phone (375 px wide, Chromium): every page of the demo that shows a table — public and
// console — stays within the screen, and its tables scroll inside their own box rather than
// crushing their cells to a character or two; 大字版 scales the whole type ramp (headings stay
// larger than body text); the appeal form starts from the address and asks the citizen to check
// the answers before the appeal is created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
}, 120000);
afterAll(async () => env?.close());

const PHONE = { width: 375, height: 800 };

async function phonePage(opts: { large?: boolean } = {}): Promise<Page> {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: PHONE });
  if (opts.large) await ctx.addCookies([{ name: 'gk_large', value: '1', url: env.base }]);
  return ctx.newPage();
}

/** The first link on `from` whose address matches `re` (demo ids differ from run to run). */
async function firstLink(page: Page, from: string, re: RegExp): Promise<string> {
  await page.goto(env.base + from);
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => re.test(h));
  if (!href) throw new Error(`no link matching ${re} on ${from}`);
  return href;
}

interface Layout {
  scrollWidth: number;
  tables: number;
  /** Cells whose text wraps in less than 4 characters of width: "table class: text". */
  crushed: string[];
  /** Tables wider than the screen that are not inside their own scroll box. */
  unboxed: string[];
}

/** The page's width and, for each table, cells crushed narrower than 4 characters. */
async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const crushed: string[] = [];
    const unboxed: string[] = [];
    const tables = [...document.querySelectorAll('table')];
    for (const t of tables) {
      const name = t.className || t.closest('[aria-label]')?.getAttribute('aria-label') || 'table';
      let boxed = false;
      for (let e: HTMLElement | null = t; e && e !== document.body; e = e.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) boxed = true;
      if (!boxed && t.getBoundingClientRect().right > window.innerWidth) unboxed.push(name);
      for (const cell of t.querySelectorAll<HTMLElement>('th, td')) {
        const s = getComputedStyle(cell);
        const em = (cell.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)) / parseFloat(s.fontSize);
        if (em >= 3.9) continue;
        // A text that wraps onto a second line in such a narrow cell is crushed (a single short
        // word, a number or a tick that fits on one line is fine; screen-reader-only text aside).
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.parentElement?.closest('.visually-hidden') || !n.textContent?.trim()) continue;
          const r = document.createRange();
          r.selectNodeContents(n);
          const lines = new Set([...r.getClientRects()].filter((x) => x.width > 1).map((x) => Math.round(x.top)));
          if (lines.size > 1) {
            crushed.push(`${name}: ${n.textContent.trim().slice(0, 20)} (${em.toFixed(1)} characters wide)`);
            break;
          }
        }
      }
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, tables: tables.length, crushed, unboxed };
  });
}

async function checkPage(page: Page, url: string, opts: { axe?: boolean } = {}): Promise<void> {
  const r = await page.goto(env.base + url);
  expect(r?.status(), url).toBe(200);
  const l = await layout(page);
  expect(l.tables, `${url} shows a table`).toBeGreaterThan(0);
  expect(l.scrollWidth, `${url} fits 375 px`).toBeLessThanOrEqual(PHONE.width);
  expect(l.crushed, url).toEqual([]);
  expect(l.unboxed, url).toEqual([]);
  if (opts.axe) expect(await seriousViolations(page), url).toEqual([]);
}

describe('tables at 375 px', () => {
  it('public pages: no page overflow, no crushed cells, no serious accessibility violations', async () => {
    const page = await phonePage();
    const doc = await firstLink(page, '/catalog', /^\/catalog\/items\/\d+$/);
    const list = await firstLink(page, '/lists', /^\/lists\/power\/lists\/\d+$/);
    const item = await firstLink(page, '/lists/power', /^\/lists\/power\/items\//);
    const guide = await firstLink(page, '/lists/service-guide', /^\/lists\/service-guide\/items\//);
    const diff = await firstLink(page, list, /\/diff\?a=\d+&b=\d+$/);
    const pages = [
      '/appeals', // 办理时限
      '/appeals/stats', // statistics tables
      '/calendar', // 节假日与调休安排 and the month grids
      '/deadline-rules', // 期限规则目录
      doc, // document metadata and versions
      '/lists/power', // 权责清单 (the table of issue 15)
      '/lists/service-guide',
      list, // editions
      diff.replace(/&amp;/g, '&'), // changed items
      item, // an item's history
      guide, // materials
    ];
    for (const url of pages) await checkPage(page, url, { axe: true });
  }, 300_000);

  it('console pages: no page overflow, no crushed cells', async () => {
    const page = await phonePage();
    await signIn(page, env.base, 'admin');
    const doc = await firstLink(page, '/admin/catalog?tab=all', /^\/admin\/catalog\/\d+$/);
    const year = await firstLink(page, '/admin/calendar', /^\/admin\/calendar\/\d{4}$/);
    const pages = [
      '/admin/appeals',
      '/admin/appeals/catalogue',
      '/admin/appeals/open311-keys',
      '/admin/audit',
      '/admin/catalog?tab=all',
      '/admin/calendar',
      year,
      '/admin/deadline-rules',
      doc,
      '/admin/users',
      '/admin/users/dzb-editor',
      '/admin/roles',
      '/admin/departments',
      '/admin/supervision',
      '/admin/account',
    ];
    for (const url of pages) await checkPage(page, url, { axe: url === '/admin/roles' || url === '/admin/supervision' });
  }, 300_000);
});

describe('大字版 type ramp', () => {
  const sizes = async (page: Page) => {
    const px = (sel: string) => page.locator(sel).first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    await page.goto(`${env.base}/appeals`);
    const s = {
      h1: await px('main h1'),
      h2: await px('main h2'),
      appealTitle: await px('.appeal-board h3'),
      body: await px('main .appeals > p'),
      metadata: await px('.appeal-board .muted'),
      footer: await px('.site-footer'),
      a11yTools: await px('.a11y-tools a'),
      hint: 0,
    };
    await page.goto(`${env.base}/appeals/new`);
    s.hint = await px('.appeal-form .hint');
    return s;
  };

  it('scales headings, body, metadata, hints and footer together; headings stay larger than body', async () => {
    const normal = await sizes(await phonePage());
    const large = await sizes(await phonePage({ large: true }));
    for (const k of Object.keys(normal) as (keyof typeof normal)[]) expect(large[k], `${k} is larger in 大字版`).toBeGreaterThanOrEqual(normal[k] * 1.25);
    for (const s of [normal, large]) {
      expect(s.h1).toBeGreaterThan(s.h2);
      expect(s.h2).toBeGreaterThan(s.body);
      expect(s.appealTitle).toBeGreaterThan(s.body);
      expect(s.metadata).toBeLessThan(s.body);
    }
    // 大字版 body text is at least 20 px.
    expect(large.body).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('大字版 pages still fit a phone', async () => {
    const page = await phonePage({ large: true });
    for (const url of ['/appeals', '/appeals/stats', '/lists/power', '/appeals/new']) {
      await page.goto(env.base + url);
      const l = await layout(page);
      expect(l.scrollWidth, url).toBeLessThanOrEqual(PHONE.width);
      expect(l.crushed, url).toEqual([]);
    }
  }, 120_000);
});
