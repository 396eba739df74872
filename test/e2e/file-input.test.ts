// File inputs speak the page's language: an English-language browser on a Chinese page shows
// 选择文件 and the chosen file's name, not the browser's "Choose File" / "No file chosen".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
}, 180_000);
afterAll(() => env?.close());

describe('file inputs', () => {
  it('the catalog import form: a labelled button in the page language, the chosen name shown, still a real file input', async () => {
    const page = await env.page({ locale: 'en-US' });
    await signIn(page, env.base, 'admin');
    await page.goto(`${env.base}/admin/catalog/import`);
    const button = page.locator('.file-pick .file-button');
    await expect(button.isVisible()).resolves.toBe(true);
    expect((await button.textContent())?.trim()).toBe('选择文件');
    expect((await page.locator('.file-pick .file-names').textContent())?.trim()).toBe('未选择文件');
    const input = page.locator('.file-pick input[type=file]');
    const box = await input.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(1); // the native control, with the browser's English label, is hidden
    await input.setInputFiles({ name: '2026年第一批目录.csv', mimeType: 'text/csv', buffer: Buffer.from('title\n') });
    expect((await page.locator('.file-pick .file-names').textContent())?.trim()).toBe('2026年第一批目录.csv');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
