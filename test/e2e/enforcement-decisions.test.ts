// In a real browser: a citizen searches the decisions on display (双公示) by a company's name,
// opens one and sees every field and its display period; a natural person's decision shows the
// masked name. The pages, the console list, the entry form and the import page have no serious
// accessibility violations, and fit a 375 px phone without the page scrolling sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { plusDays, todayShanghai } from '../../src/platform/calendar/index.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

let env: BrowserEnv;
const DAY = plusDays(todayShanghai(), -5);

beforeAll(async () => {
  env = await startBrowserEnv();
  const scjg = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'scjg').executeTakeFirstOrThrow()).id;
  const base = { kind: 'penalty', departmentId: scjg, category: ['fine'], basis: '《中华人民共和国食品安全法》第一百二十四条', content: '罚款人民币伍万元', decisionDate: DAY, domain: 'quality', severity: 'ordinary' };
  for (const body of [
    { ...base, docNo: '示范市监罚〔2026〕浏览器1号', subjectType: 'legal', subjectName: '示范新区浏览器食品有限公司', creditCode: '91350100M000100Y43', legalRep: '王建国', address: '示范新区海滨路88号', facts: '销售超过保质期的食品。' },
    { ...base, docNo: '示范市监罚〔2026〕浏览器2号', subjectType: 'natural', subjectName: '赵建设', idNumber: withIdCheckDigit('21021319800101123'), address: '示范新区海滨街道幸福小区3栋', facts: '赵建设无证经营。' },
  ]) {
    const r = await env.api('POST', '/api/v1/decisions', { as: 'scjg-editor', body: { ...body, submit: true } });
    expect(r.statusCode, r.body).toBe(201);
    expect((await env.api('POST', `/api/v1/decisions/${r.json().id}/approve`, { as: 'scjg-approver' })).statusCode).toBe(200);
  }
}, 180000);
afterAll(async () => env?.close());

describe('双公示 in Chromium', () => {
  it('finds a decision by name, shows it with its display period; natural persons masked', async () => {
    const page = await env.page();
    await page.goto(env.base + '/enforcement/decisions');
    await page.getByLabel('名称或文号').fill('浏览器食品');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    await expect(page.locator('#decisions-results').textContent()).resolves.toBe('共 1 条正在公示');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '示范新区浏览器食品有限公司' }).click();
    await page.waitForURL(/\/enforcement\/decisions\/\d+$/);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const s of ['示范市监罚〔2026〕浏览器1号', '91350100M000100Y43', '公示期限', '公示中', '罚款人民币伍万元']) expect(text).toContain(s);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(env.base + '/enforcement/decisions?q=' + encodeURIComponent('浏览器2号'));
    const list = (await page.locator('main').textContent()) ?? '';
    expect(list).toContain('赵**');
    expect(list).not.toContain('赵建设');
  });

  it('the public and console pages fit a 375 px phone and have no serious violations', async () => {
    const ctx = await env.browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    const fits = async (url: string) => {
      await page.goto(env.base + url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${url} fits 375 px`).toBeLessThanOrEqual(375);
      expect(await seriousViolations(page), url).toEqual([]);
    };
    await fits('/enforcement/decisions');
    await signIn(page, env.base, 'scjg-editor');
    for (const url of ['/admin/enforcement/decisions', '/admin/enforcement/decisions/new', '/admin/enforcement/decisions/import']) await fits(url);
    const id = (await env.p.db.selectFrom('enf_decisions').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    await fits(`/admin/enforcement/decisions/${id}`);
    await ctx.close();
  });
});
