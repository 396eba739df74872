// The web shell: portal chrome, accessibility modes without JavaScript, language switch,
// security headers, operations endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ overrides: { site: { icp: '辽ICP备12345678号', psb: '辽公网安备 21021302000001号', code: '2102000001' } } });
});
afterAll(async () => env?.close());

describe('public portal shell', () => {
  it('shows the government name, the footer identification and the accessibility tools', async () => {
    const r = await env.app.inject('/');
    expect(r.body).toContain('<html lang="zh-CN"');
    expect(r.body).toContain('示范新区管理委员会');
    // The government's settings (the demo's) come before the GONGKAI_SITE_* defaults.
    expect(r.body).toContain('辽ICP备20260061号-1');
    expect(r.body).toContain('网站标识码：2102000061');
    expect(r.body).not.toContain('辽ICP备12345678号');
    expect(r.body).toContain('大字版');
    expect(r.body).toContain('跳到主要内容');
  });

  it('sends a strict Content-Security-Policy and has no inline scripts or styles', async () => {
    const r = await env.app.inject('/');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(r.body).not.toMatch(/\sstyle="/);
  });

  it('大字版, high contrast and spacing are links that set a cookie and come back (no JavaScript needed)', async () => {
    const r = await env.app.inject('/prefs?large=1&back=%2F');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/');
    const cookie = r.cookies.find((c) => c.name === 'gk_large')!;
    const page = await env.app.inject({ url: '/', headers: { cookie: `gk_large=${cookie.value}; gk_contrast=1` } });
    expect(page.body).toMatch(/<body class="portal a11y-large a11y-contrast"/);
    expect(page.body).toContain('class="on"');
  });

  it('refuses to redirect off-site from the preference links', async () => {
    const r = await env.app.inject('/prefs?large=1&back=https://evil.example/');
    expect(r.headers.location).toBe('/');
    const r2 = await env.app.inject('/lang/en?back=//evil.example/');
    expect(r2.headers.location).toBe('/');
  });

  it('switches to English with a link and keeps it in a cookie', async () => {
    const r = await env.app.inject('/lang/en?back=%2Fadmin%2Flogin');
    const c = r.cookies.find((x) => x.name === 'gk_lang')!;
    expect(c.value).toBe('en');
    const page = await env.app.inject({ url: '/admin/login', headers: { cookie: 'gk_lang=en' } });
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain('Sign in');
  });

  it('serves the stylesheet with caching', async () => {
    const r = await env.app.inject('/static/site.css');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toContain('max-age');
    expect(r.body).toContain('a11y-large');
  });
});

describe('operations', () => {
  it('/healthz checks the database and /readyz reports readiness', async () => {
    expect((await env.app.inject('/healthz')).json()).toMatchObject({ status: 'ok' });
    expect((await env.app.inject('/readyz')).json()).toMatchObject({ status: 'ready' });
  });

  it('/metrics answers local clients in Prometheus format and nobody else by default', async () => {
    const local = await env.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect(local.headers['content-type']).toContain('text/plain');
    expect(local.body).toContain('gongkai_http_request_duration_seconds_bucket');
    const remote = await env.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
  });

  it('/metrics with a token setting needs that bearer token', async () => {
    const e = await makeEnv({ overrides: { metrics: 'token:s3cret' } });
    try {
      expect((await e.app.inject({ url: '/metrics' })).statusCode).toBe(403);
      expect((await e.app.inject({ url: '/metrics', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });
});
