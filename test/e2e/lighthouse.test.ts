// Lighthouse (12.2.3) on the pages people arrive at from a search engine: home, an item page,
// search results and the appeal form, on a phone (mobile emulation, Chinese) and a desktop
// (desktop emulation, English): SEO at least 95 and Accessibility 100. One server, one Chrome
// (chrome-launcher) for all eight runs; the scores are printed and recorded in
// docs/performance.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import lighthouse, { desktopConfig } from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { makeEnv, type TestEnv } from '../helpers.js';
import { CHROMIUM } from './browser.js';

let env: TestEnv;
let chrome: chromeLauncher.LaunchedChrome;
let base = '';
const scores: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  // The public URL is the address Lighthouse opens, so canonical links point at the same origin.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = await makeEnv({ demo: true, overrides: { publicUrl: base } });
  await env.app.listen({ port, host: '127.0.0.1' });
  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
}, 120_000);

afterAll(async () => {
  await chrome?.kill();
  await env?.close();
  if (scores.length) console.log(`Lighthouse 12.2.3 (SEO / Accessibility):\n${scores.join('\n')}`);
});

const MOBILE = { mobile: true, width: 412, height: 823, deviceScaleFactor: 1.75, disabled: false };

async function audit(path: string, formFactor: 'mobile' | 'desktop') {
  const desktop = formFactor === 'desktop';
  const result = await lighthouse(
    base + path,
    {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['seo', 'accessibility'],
      formFactor,
      screenEmulation: desktop ? desktopConfig.settings!.screenEmulation : MOBILE,
      // The phone reads the portal in Chinese (its default), the desktop in English (the switch).
      extraHeaders: { 'Accept-Language': desktop ? 'en' : 'zh-CN' },
      // SEO and accessibility need the loaded page, not a performance trace: short quiet windows.
      disableFullPageScreenshot: true,
      pauseAfterFcpMs: 250,
      pauseAfterLoadMs: 250,
      networkQuietThresholdMs: 250,
      cpuQuietThresholdMs: 250,
    },
    desktop ? desktopConfig : undefined,
  );
  const lhr = result!.lhr;
  expect(lhr.runtimeError, path).toBeUndefined();
  const failing = Object.values(lhr.categories).flatMap((cat) =>
    cat.auditRefs
      .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score! < 1)
      .map((r) => `${cat.id}/${r.id}: ${lhr.audits[r.id].title} ${JSON.stringify((lhr.audits[r.id].details as { items?: unknown[] } | undefined)?.items?.slice(0, 3) ?? '')}`),
  );
  const seo = Math.round(lhr.categories.seo.score! * 100);
  const a11y = Math.round(lhr.categories.accessibility.score! * 100);
  scores.push(`  ${decodeURIComponent(path).padEnd(24)} ${formFactor.padEnd(8)} SEO ${seo}  Accessibility ${a11y}`);
  return { seo, a11y, failing };
}

async function check(path: string) {
  for (const ff of ['mobile', 'desktop'] as const) {
    const r = await audit(path, ff);
    expect(r.seo, `${path} ${ff}: ${r.failing.join('; ')}`).toBeGreaterThanOrEqual(95);
    expect(r.a11y, `${path} ${ff}: ${r.failing.join('; ')}`).toBe(100);
  }
}

describe('Lighthouse: SEO ≥ 95 and Accessibility 100, mobile and desktop', () => {
  it('the home page', async () => {
    await check('/');
  }, 120_000);

  it('an item page', async () => {
    const doc = await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').where('public', '=', 1).where('validity', '=', 'valid').orderBy('id').executeTakeFirstOrThrow();
    await check(`/catalog/items/${doc.id}`);
  }, 120_000);

  it('search results', async () => {
    await check(`/search?q=${encodeURIComponent('政务公开')}`);
  }, 120_000);

  it('the appeal form', async () => {
    await check('/appeals/new');
  }, 120_000);
});
