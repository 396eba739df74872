// In a real browser on a phone-sized screen: the pages that show an item's section (ADR 0008) —
// search results labelled "互动交流 · 市民诉求答复", a released appeal's own page, a list edition's
// catalog entry — read well at 375 px and have no serious accessibility violations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserEnv, seriousViolations, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv({ demo: true });
  await env.drain(); // the search index
}, 120_000);
afterAll(() => env?.close());

describe('public sections in the browser', () => {
  it('labels search hits by section and type, and the pages fit a phone and pass axe', async () => {
    const appeal = await env.p.db.selectFrom('pub_items').select(['id', 'title']).where('public', '=', 1).where('type', '=', 'appeal').orderBy('id').executeTakeFirstOrThrow();
    const edition = await env.p.db.selectFrom('pub_items').select(['id', 'index_no']).where('public', '=', 1).where('type', '=', 'list-edition').orderBy('id').executeTakeFirstOrThrow();
    const page = await env.page();
    await page.setViewportSize({ width: 375, height: 800 });

    await page.goto(`${env.base}/search?q=${encodeURIComponent(appeal.title)}`);
    const hit = page.locator('li.search-hit', { has: page.locator(`a[href="/appeals/published/${appeal.id}"]`) });
    expect(await hit.locator('.kind').textContent()).toBe('互动交流 · 市民诉求答复');
    expect(await hit.locator('.index-no').count()).toBe(0);

    const paths = [`/search?q=${encodeURIComponent(appeal.title)}`, `/appeals/published/${appeal.id}`, `/catalog/items/${edition.id}`];
    for (const path of paths) {
      const r = await page.goto(env.base + path);
      expect(r?.status(), path).toBe(200);
      expect(await seriousViolations(page), path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
    expect(await page.textContent('main')).toContain(edition.index_no!);
  });
});
