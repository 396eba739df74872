// The registers in Chromium: on a phone (375 px) the public and console pages stay within the
// screen with no serious accessibility violation, and an import's progress page, with JavaScript
// off, reloads itself until the import is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { demoOrg } from '../fixtures/org.js';
import { loadPrincipal } from '../../src/platform/auth/identity.js';
import { addRelation, createEntity, createInspector } from '../../src/modules/enforcement/service/registers.js';
import { startImport } from '../../src/modules/enforcement/service/imports.js';
import { withUsccCheck } from '../../src/modules/enforcement/service/uscc.js';
import { toCsv } from '../../src/platform/files/csv.js';

let env: BrowserEnv;
const code = (i: number) => withUsccCheck(`91210213MA${String(i).padStart(7, '0')}`);
let failedImport = 0;

beforeAll(async () => {
  env = await startBrowserEnv({ demo: false });
  await demoOrg(env.p, { users: ['scjg-editor'] });
  const u = await env.p.db.selectFrom('users').select('id').where('username', '=', 'scjg-editor').executeTakeFirstOrThrow();
  const actor = (await loadPrincipal(env.p.db, u.id, 'session'))!;
  for (let i = 1; i <= 25; i++) await createEntity(env.p, actor, { creditCode: code(i), name: `大连市金州区新胜街道第${i}号综合食品批发零售有限责任公司`, address: `辽宁省大连市金州区新胜街道新胜大街${i}号一楼商铺及二楼仓库`, legalRep: '王建国', industry: 'F5223', risk: i % 3 ? '低' : '高', area: '新胜街道' });
  await createInspector(env.p, actor, { certNo: '21020019001', name: '李执法', department: 'scjg', fields: ['market', 'food', 'quality'], phone: '13812345678' });
  await addRelation(env.p, actor, '21020019001', { creditCode: code(1), reason: '配偶在该企业任职，依法申请回避' });
  const bad = toCsv([['统一社会信用代码', '名称', '住所', '行业', '风险等级', '区域'], [code(1).slice(0, 17) + 'Y', '某公司', '某地', 'F5223', '低', '新胜街道'], [code(2), '', '某地', 'Q99', '极高', '新胜街道']]);
  failedImport = (await startImport(env.p, actor, { buf: Buffer.from(bad), name: 'bad.csv' }, { kind: 'entities' })).id;
  await env.drain();
}, 180_000);
afterAll(async () => env?.close());

async function phone(noJs = false): Promise<Page> {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: { width: 375, height: 800 }, javaScriptEnabled: !noJs });
  return ctx.newPage();
}

async function fits(page: Page, url: string) {
  const r = await page.goto(env.base + url);
  expect(r?.status(), url).toBe(200);
  const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  expect(width, `${url} fits 375 px`).toBeLessThanOrEqual(375);
  expect(await seriousViolations(page), url).toEqual([]);
}

describe('at 375 px', () => {
  it('the public registers', async () => {
    const page = await phone();
    for (const url of ['/enforcement/entities', `/enforcement/entities?q=${encodeURIComponent('食品')}`, `/enforcement/entities/${code(3)}`, '/enforcement/inspectors']) await fits(page, url);
  });

  it('the console’s registers and an import’s report', async () => {
    const page = await phone();
    await signIn(page, env.base, 'scjg-editor');
    for (const url of ['/admin/enforcement/entities', '/admin/enforcement/entities/new', `/admin/enforcement/entities/${code(1)}`, '/admin/enforcement/inspectors', '/admin/enforcement/inspectors/21020019001', '/admin/enforcement/imports', `/admin/enforcement/imports/${failedImport}`]) await fits(page, url);
  });
});

describe('without JavaScript', () => {
  it('the progress page reloads itself until the import is done', async () => {
    const page = await phone(true);
    await signIn(page, env.base, 'scjg-editor');
    const u = await env.p.db.selectFrom('users').select('id').where('username', '=', 'scjg-editor').executeTakeFirstOrThrow();
    const actor = (await loadPrincipal(env.p.db, u.id, 'session'))!;
    const csv = toCsv([['统一社会信用代码', '名称', '住所', '行业', '风险等级', '区域'], [code(100), '新胜便利店', '新胜大街100号', 'F5292', '低', '新胜街道']]);
    const imp = await startImport(env.p, actor, { buf: Buffer.from(csv), name: 'one.csv' }, { kind: 'entities' });
    await page.goto(`${env.base}/admin/enforcement/imports/${imp.id}`);
    expect(await page.textContent('main')).toContain('排队中');
    await env.drain();
    // The page reloads itself every 2 s (meta refresh): no script of ours, no script at all.
    let text = '';
    for (let t = Date.now(); Date.now() - t < 15_000 && !text.includes('导入完成'); await new Promise((r) => setTimeout(r, 250))) text = (await page.textContent('main').catch(() => '')) ?? '';
    expect(text).toContain('导入完成：共 1 行，新增 1 条');
  });
});
