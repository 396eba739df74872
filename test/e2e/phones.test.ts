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
  // Map tiles from an address that answers nothing: the map works, its pictures stay blank.
  env = await startBrowserEnv({ env: { GONGKAI_MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png', GONGKAI_MAP_CENTER: '38.91,121.61,15' } });
}, 120000);
afterAll(async () => env?.close());

const PHONE = { width: 375, height: 800 };

async function phonePage(opts: { large?: boolean; noJs?: boolean; geolocation?: { latitude: number; longitude: number } } = {}): Promise<Page> {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: PHONE, javaScriptEnabled: !opts.noJs, ...(opts.geolocation ? { geolocation: opts.geolocation, permissions: ['geolocation'] } : {}) });
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
    // A power list with more than one edition (the demo adjusts some departments' lists).
    await page.goto(env.base + '/lists');
    const lists = (await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))).filter((h) => /^\/lists\/power\/lists\/\d+$/.test(h));
    let list = lists[0];
    for (const l of lists) {
      await page.goto(env.base + l);
      if (await page.locator('a[href*="/diff?a="]').count()) {
        list = l;
        break;
      }
    }
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
    for (const url of pages) await checkPage(page, url, { axe: url === '/admin/roles' || url === '/admin/supervision' || url.startsWith('/admin/appeals') });
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

describe('the appeal form on a phone', () => {
  const fill = async (page: Page, title: string) => {
    await page.check('input[name=type][value=help]');
    await page.selectOption('#f-category', 'noise');
    await page.fill('#f-title', title);
    await page.fill('#f-content', '海滨路与和平路交叉口的路灯一周都不亮，晚上过马路很危险。');
    await page.fill('#f-address', '示范新区海滨路与和平路交叉口');
    await page.fill('#f-contactName', '李梅');
    await page.fill('#f-contactPhone', '13966667777');
    await page.check('input[name=consent]');
  };
  const submit = (page: Page, sel: string) => Promise.all([page.waitForLoadState('load'), page.click(sel)]);

  it('without JavaScript: address only → 请核对您填写的信息 → 修改 keeps every value → 确认提交 creates one appeal', async () => {
    const page = await phonePage({ noJs: true });
    await page.goto(`${env.base}/appeals/new`);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    // No coordinates to type; the type group says it is required.
    await expect(page.locator('input[name=lat]').getAttribute('type')).resolves.toBe('hidden');
    await expect(page.getByRole('radiogroup', { name: /诉求类型/ }).getAttribute('aria-required')).resolves.toBe('true');
    const title = '手机：海滨路路灯不亮';
    await fill(page, title);
    await submit(page, '.appeal-form button.primary');
    await expect(page.locator('h1').textContent()).resolves.toBe('请核对您填写的信息');
    await expect(page.locator('dl.meta').textContent()).resolves.toContain('示范新区海滨路与和平路交叉口');
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await submit(page, '.appeal-confirm button:has-text("修改")');
    await expect(page.locator('#f-title').inputValue()).resolves.toBe(title);
    await expect(page.locator('input[name=type][value=help]').isChecked()).resolves.toBe(true);
    await expect(page.locator('#f-address').inputValue()).resolves.toBe('示范新区海滨路与和平路交叉口');
    await page.fill('#f-title', `${title}（已修改）`);
    await submit(page, '.appeal-form button.primary');
    await expect(page.locator('dl.meta').textContent()).resolves.toContain('（已修改）');
    await submit(page, '.appeal-confirm button.primary');
    const no = (await page.textContent('.tracking-no'))!.trim();
    expect(no).toMatch(/^SQ\d{15}$/);
    const rows = await env.p.db.selectFrom('appeals').select(['tracking_no', 'lat']).where('title', '=', `${title}（已修改）`).execute();
    expect(rows).toEqual([{ tracking_no: no, lat: null }]);
  }, 180_000);

  it('with JavaScript: "use my location" and the map mark the place', async () => {
    const page = await phonePage({ geolocation: { latitude: 38.9123, longitude: 121.6012 } });
    await page.goto(`${env.base}/appeals/new`);
    await page.getByRole('button', { name: '使用我的位置' }).click();
    // The position arrives asynchronously ("正在获取您的位置……" first): wait for the status to change.
    await page.locator('.point-status', { hasText: '已标注位置' }).waitFor({ timeout: 10_000 });
    await expect(page.locator('.point-status').textContent()).resolves.toMatch(/已标注位置：纬度38\.912300，经度121\.601200/);
    // A click on the map moves the point; the map fits the phone.
    const map = page.getByRole('application');
    await map.click({ position: { x: 40, y: 40 } });
    const lat = Number(await page.locator('#f-lat').inputValue());
    expect(lat).toBeGreaterThan(38.9123);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]); // the form, with its map
    await fill(page, '手机：地图标注的路灯');
    await submit(page, '.appeal-form button.primary');
    await expect(page.locator('dl.meta').textContent()).resolves.toContain(`纬度${lat.toFixed(6)}`);
    expect(await seriousViolations(page)).toEqual([]);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    // 确认提交 pressed twice quickly: the second press is held back, one appeal is created.
    await Promise.all([page.waitForLoadState('load'), page.locator('.appeal-confirm button.primary').dblclick()]);
    await page.waitForSelector('.tracking-no');
    expect(await env.p.db.selectFrom('appeals').select('id').where('title', '=', '手机：地图标注的路灯').execute()).toHaveLength(1);
  }, 120_000);
});
