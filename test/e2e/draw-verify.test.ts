// Re-running a draw in the browser (web/static/draw-verify.js): "match" for the published record,
// the first difference for a tampered file, SM3 equal to node's, and a witness's commitment
// computed on the page. No serious accessibility violations, usable on a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, startBrowserEnv, type BrowserEnv } from './browser.js';
import { commitment } from '../../src/modules/enforcement/service/draw.js';
import { drawFixture, insertDraws } from '../fixtures/draws/rows.js';

let env: BrowserEnv;
let done: number;
let prepared: number;
beforeAll(async () => {
  env = await startBrowserEnv({ demo: false });
  ({ done, prepared } = await insertDraws(env.p.db));
});
afterAll(async () => env?.close());

const file = (name: string, record: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(record)) });

describe('the verify page', () => {
  it('re-runs the published record and says it matches; no serious violations; fits a phone', async () => {
    const page = await env.page();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${env.base}/enforcement/draws/${done}/verify`);
    expect(await page.isVisible('#draw-noscript')).toBe(false);
    await page.click('#draw-rerun');
    await page.waitForSelector('#draw-verdict.success');
    const verdict = await page.textContent('#draw-verdict');
    expect(verdict).toContain('一致');
    expect(verdict).not.toContain('不一致');
    expect(verdict).toContain(drawFixture('small.json').seed!);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    if (process.env.GK_SHOTS) await page.screenshot({ path: `${process.env.GK_SHOTS}/draw-verify-phone.png`, fullPage: true });
  });

  it('shows the first difference of a tampered file, and matches a file with characters beyond U+FFFF', async () => {
    const page = await env.page();
    await page.goto(`${env.base}/enforcement/draws/${done}/verify`);
    const tampered = drawFixture('small.json');
    tampered.selection![0].inspectors = ['11010801004', '11010801002'];
    await page.setInputFiles('#draw-file', file('draw-1.json', tampered));
    await page.waitForSelector('#draw-verdict.error');
    expect(await page.textContent('#draw-verdict')).toBe('不一致：第1个抽中对象（92110108MA02XY0LK5）的检查人员不符：重新计算得 11010801001, 11010801002，记录为 11010801004, 11010801002');
    expect(await seriousViolations(page)).toEqual([]);
    const secret = drawFixture('small.json');
    secret.secrets[0] = '4827 1937 5521 0097';
    await page.setInputFiles('#draw-file', file('draw-2.json', secret));
    await page.waitForFunction(() => document.querySelector('#draw-verdict')!.textContent!.includes('承诺值'));
    expect(await page.textContent('#draw-verdict')).toContain('第1位见证人（张明（区人大代表））的密钥与其事先公布的承诺值不符');
    await page.setInputFiles('#draw-file', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await page.waitForFunction(() => document.querySelector('#draw-verdict')!.textContent!.includes('格式'));
    await page.setInputFiles('#draw-file', file('unicode.json', drawFixture('unicode.json')));
    await page.waitForSelector('#draw-verdict.success');
    expect(await page.textContent('#draw-verdict')).toMatch(/^一致/);
  });

  it('speaks English on the English interface; a prepared draw has nothing to re-run yet', async () => {
    const page = await env.page({ locale: 'en' });
    await page.goto(`${env.base}/enforcement/draws/${done}/verify`);
    await page.click('#draw-rerun');
    await page.waitForSelector('#draw-verdict.success');
    expect(await page.textContent('#draw-verdict')).toMatch(/^match/);
    await page.goto(`${env.base}/enforcement/draws/${prepared}/verify`);
    await page.click('#draw-rerun');
    await page.waitForSelector('#draw-verdict.error');
    expect(await page.textContent('#draw-verdict')).toContain('Not drawn yet');
  });

  it('its SM3 is GB/T 32905’s: equal to node’s for short, Chinese, astral and multi-block inputs', async () => {
    const page = await env.page();
    await page.goto(`${env.base}/enforcement/draws/commit`);
    const inputs = ['', 'abc', 'abcd'.repeat(16), '公开透明，阳光执法', '𠮷野家🌸', '双随机'.repeat(50), 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(10_000)];
    const got = await page.evaluate((xs) => xs.map((s) => (window as unknown as { GongkaiDraw: { sm3hex(s: string): string } }).GongkaiDraw.sm3hex(s)), inputs);
    expect(got).toEqual(inputs.map(commitment));
    expect(got[1]).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
});

describe('the commitment page', () => {
  it('computes SM3 of the secret in the browser, sending nothing', async () => {
    const page = await env.page();
    const sent: string[] = [];
    await page.goto(`${env.base}/enforcement/draws/commit`);
    page.on('request', (r) => sent.push(r.url()));
    await page.fill('#commit-secret', '李华-2026-0');
    await page.click('#commit-compute');
    expect(await page.textContent('#commit-value')).toBe(drawFixture('small.json').witnesses[1].commitment);
    await page.fill('#commit-secret', '4827 1937 5521 0096');
    await page.press('#commit-secret', 'Enter');
    expect(await page.textContent('#commit-value')).toBe(commitment('4827 1937 5521 0096'));
    await page.click('#commit-random');
    const secret = await page.inputValue('#commit-secret');
    expect(secret).toMatch(/^\d{40}$/);
    expect(await page.textContent('#commit-value')).toBe(commitment(secret));
    expect(sent.filter((u) => u.includes(secret) || u.includes('2026-0'))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
