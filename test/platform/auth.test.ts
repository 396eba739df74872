// Staff sign-in: sessions, cookies, CSRF, throttling, password policy, 2FA, demo accounts, API tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { csrfFrom, form, login, makeEnv, DEMO_PASSWORD, type TestEnv } from '../helpers.js';
import { createUser } from '../../src/modules/org/service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

describe('signing in', () => {
  it('a demo editor signs in, gets an HttpOnly SameSite=Lax session cookie and sees the dashboard', async () => {
    const page = await env.app.inject('/admin/login');
    const csrfCookie = page.cookies.find((c) => c.name === 'gk_csrf')!;
    const res = await env.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { cookie: `gk_csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ username: 'dzb-editor', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body), next: '/admin' }),
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin');
    const session = res.cookies.find((c) => c.name === 'gk_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    expect(session.secure).toBeFalsy();
    const dash = await env.app.inject({ url: '/admin', headers: { cookie: `gk_session=${session.value}` } });
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('党政办编辑');
    const events = await env.p.db.selectFrom('audit_events').selectAll().where('action', '=', 'auth.login').where('actor', '=', 'user:dzb-editor').execute();
    expect(events.length).toBeGreaterThan(0);
  });

  it('refuses a form without a CSRF token', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/admin/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'dzb-editor', password: DEMO_PASSWORD }) });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('表单已过期');
  });

  it('never follows an off-site "next" after sign-in', async () => {
    const page = await env.app.inject('/admin/login');
    const c = page.cookies.find((x) => x.name === 'gk_csrf')!;
    const res = await env.app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: `gk_csrf=${c.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'dzb-reviewer', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body), next: '//evil.example/x' }) });
    expect(res.headers.location).toBe('/admin');
  });

  it('says "wrong username or password" the same way for unknown users and wrong passwords', async () => {
    const a = await login(env.app, 'nobody-here', 'whatever-123456');
    const b = await login(env.app, 'dzb-approver', 'wrong-password-1');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
  });

  it('throttles an account after repeated failures with a clear message, and lets the right password through afterwards only once the window passes', async () => {
    for (let i = 0; i < 5; i++) expect((await login(env.app, 'fgj-approver', 'wrong-password-1')).status).toBe(401);
    const page = await env.app.inject('/admin/login');
    const c = page.cookies.find((x) => x.name === 'gk_csrf')!;
    const res = await env.app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: `gk_csrf=${c.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'fgj-approver', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body) }) });
    expect(res.statusCode).toBe(429);
    expect(res.body).toMatch(/登录失败次数过多，请 \d+ 分钟后再试/);
    // The window passes: failures older than the window no longer count.
    await env.p.db.updateTable('login_failures').set({ at: '2000-01-01T00:00:00.000Z' }).execute();
    expect((await login(env.app, 'fgj-approver')).status).toBe(302);
  });

  it('spaces, case and full-width letters in the username do not buy a fresh budget', async () => {
    await createUser(env.p, 'cli', { username: 'throttle-me', password: 'Strong-pass-2026', department: 'czj', roles: ['editor'] });
    for (const variant of [' throttle-me', 'THROTTLE-ME ', '\tThrottle-Me', 'ｔｈｒｏｔｔｌｅ-ｍｅ', 'throttle-me  ']) {
      expect((await login(env.app, variant, 'wrong-password-1')).status, variant).toBe(401);
    }
    expect((await login(env.app, 'throttle-me', 'Strong-pass-2026')).status).toBe(429);
    expect((await login(env.app, ' THROTTLE-ME', 'Strong-pass-2026')).status).toBe(429);
    const keys = await env.p.db.selectFrom('login_failures').select('key').distinct().where('key', 'like', 'user:%throttle%').execute();
    expect(keys.map((k) => k.key)).toEqual(['user:throttle-me']);
  });

  it('throttles a client address that tries many accounts, but lets a browser that signed in before through', async () => {
    const env2 = await makeEnv({ overrides: { loginMaxFailuresIp: 3 } });
    try {
      // A colleague behind the same NAT address signed in from this browser yesterday.
      const page = await env2.app.inject('/admin/login');
      const c = page.cookies.find((x) => x.name === 'gk_csrf')!;
      const ok = await env2.app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: `gk_csrf=${c.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'dzb-editor', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body) }) });
      const device = ok.cookies.find((x) => x.name === 'gk_device')!;
      expect(device.httpOnly).toBe(true);
      expect(device.value).not.toBe('dzb-editor'); // signed
      for (const u of ['a1', 'a2', 'a3']) await login(env2.app, `ghost-${u}`, 'wrong-password-1');
      // From the throttled address: a stranger's browser is refused, even with the right password…
      expect((await login(env2.app, 'dzb-editor')).status).toBe(429);
      const attempt = async (username: string, password: string, deviceCookie: string) => {
        const pg = await env2.app.inject('/admin/login');
        const cc = pg.cookies.find((x) => x.name === 'gk_csrf')!;
        return env2.app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: `gk_csrf=${cc.value}; gk_device=${deviceCookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username, password, _csrf: csrfFrom(pg.body) }) });
      };
      // …the colleague's browser is let through, for that account only; a forged cookie is not.
      expect((await attempt('dzb-editor', DEMO_PASSWORD, device.value)).statusCode).toBe(302);
      expect((await attempt('dzb-reviewer', DEMO_PASSWORD, device.value)).statusCode).toBe(429);
      expect((await attempt('dzb-reviewer', DEMO_PASSWORD, 'dzb-reviewer')).statusCode).toBe(429);
      // The account's own budget still holds on a known device.
      for (let i = 0; i < 5; i++) await attempt('dzb-editor', 'wrong-password-1', device.value);
      expect((await attempt('dzb-editor', DEMO_PASSWORD, device.value)).statusCode).toBe(429);
    } finally {
      await env2.close();
    }
  });

  it('refuses demo accounts when demo mode is off', async () => {
    env.p.config.demo = false;
    try {
      const r = await login(env.app, 'scjg-editor');
      expect(r.status).toBe(401);
    } finally {
      env.p.config.demo = true;
    }
    expect((await login(env.app, 'scjg-editor')).status).toBe(302);
  });

  it('marks cookies Secure when configured behind TLS', async () => {
    const env2 = await makeEnv({ overrides: { secureCookies: true } });
    try {
      const page = await env2.app.inject('/admin/login');
      const c = page.cookies.find((x) => x.name === 'gk_csrf')!;
      expect(c.secure).toBe(true);
      const res = await env2.app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: `gk_csrf=${c.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'dzb-editor', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body) }) });
      expect(res.cookies.find((x) => x.name === 'gk_session')!.secure).toBe(true);
    } finally {
      await env2.close();
    }
  });
});

describe('sessions', () => {
  it('logout ends the session', async () => {
    const s = await login(env.app, 'dzb-reviewer2');
    const dash = await env.app.inject({ url: '/admin', headers: { cookie: s.cookie } });
    const out = await env.app.inject({ method: 'POST', url: '/admin/logout', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(dash.body) }) });
    expect(out.statusCode).toBe(302);
    const again = await env.app.inject({ url: '/admin', headers: { cookie: s.cookie } });
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toContain('/admin/login');
  });

  it('a user revokes their other sessions', async () => {
    const a = await login(env.app, 'scjg-reviewer');
    const b = await login(env.app, 'scjg-reviewer');
    const acct = await env.app.inject({ url: '/admin/account', headers: { cookie: a.cookie } });
    const r = await env.app.inject({ method: 'POST', url: '/admin/account/sessions/revoke', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body), session: 'others' }) });
    expect(r.statusCode).toBe(302);
    expect((await env.app.inject({ url: '/admin', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/admin', headers: { cookie: b.cookie } })).statusCode).toBe(302);
  });

  it('a cookie-authenticated POST without the CSRF token is refused', async () => {
    const s = await login(env.app, 'scjg-approver');
    const r = await env.app.inject({ method: 'POST', url: '/admin/account/tokens', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ name: 'x' }) });
    expect(r.statusCode).toBe(403);
  });
});

describe('password policy', () => {
  it('rejects short, single-class and username-containing passwords with a field message', async () => {
    for (const [pw, msg] of [
      ['short1', '至少需要 10 位'],
      ['onlyletterspassword', '字母和数字'],
      ['newuser-2026-abc', '不能包含用户名'],
    ]) {
      const r = await env.api('POST', '/api/v1/users', { as: 'admin', body: { username: 'newuser', password: pw, department: 'czj', roles: ['editor'] } });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields.password).toContain(msg);
    }
  });

  it('changing one’s password needs the current one and ends other sessions', async () => {
    const a = await login(env.app, 'fgj-reviewer');
    const b = await login(env.app, 'fgj-reviewer');
    const acct = await env.app.inject({ url: '/admin/account', headers: { cookie: a.cookie } });
    const bad = await env.app.inject({ method: 'POST', url: '/admin/account/password', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body), current: 'nope-nope-123', password: 'Brand-new-pass-1', confirm: 'Brand-new-pass-1' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('当前密码不正确');
    const ok = await env.app.inject({ method: 'POST', url: '/admin/account/password', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body), current: DEMO_PASSWORD, password: 'Brand-new-pass-1', confirm: 'Brand-new-pass-1' }) });
    expect(ok.statusCode).toBe(302);
    expect((await env.app.inject({ url: '/admin', headers: { cookie: b.cookie } })).statusCode).toBe(302);
    expect((await login(env.app, 'fgj-reviewer', 'Brand-new-pass-1')).status).toBe(302);
  });
});

describe('TOTP two-factor', () => {
  it('enrolling, then signing in requires the current code', async () => {
    const s = await login(env.app, 'sqzx-editor');
    let acct = await env.app.inject({ url: '/admin/account', headers: { cookie: s.cookie } });
    await env.app.inject({ method: 'POST', url: '/admin/account/2fa/start', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body) }) });
    acct = await env.app.inject({ url: '/admin/account', headers: { cookie: s.cookie } });
    const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(acct.body)![1];
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const conf = await env.app.inject({ method: 'POST', url: '/admin/account/2fa/confirm', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body), code: totp.generate() }) });
    expect(conf.statusCode).toBe(302);

    const s2 = await login(env.app, 'sqzx-editor');
    expect(s2.status).toBe(302);
    const blocked = await env.app.inject({ url: '/admin', headers: { cookie: s2.cookie } });
    expect(blocked.headers.location).toBe('/admin/login/2fa');
    const api = await env.app.inject({ url: '/api/v1/me', headers: { cookie: s2.cookie } });
    expect(api.statusCode).toBe(401);
    const page = await env.app.inject({ url: '/admin/login/2fa', headers: { cookie: s2.cookie } });
    const wrong = await env.app.inject({ method: 'POST', url: '/admin/login/2fa', headers: { cookie: s2.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), code: '000000' === totp.generate() ? '111111' : '000000' }) });
    expect(wrong.statusCode).toBe(401);
    // The code used to confirm enrolment is spent: the next one (valid within the ±30 s window) signs in.
    const reused = await env.app.inject({ method: 'POST', url: '/admin/login/2fa', headers: { cookie: s2.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), code: totp.generate() }) });
    expect(reused.statusCode).toBe(401);
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    const right = await env.app.inject({ method: 'POST', url: '/admin/login/2fa', headers: { cookie: s2.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), code }) });
    expect(right.statusCode).toBe(302);
    expect((await env.app.inject({ url: '/admin', headers: { cookie: s2.cookie } })).statusCode).toBe(200);
    // The same code cannot open a second session (replay within its window).
    const s3 = await login(env.app, 'sqzx-editor');
    const page3 = await env.app.inject({ url: '/admin/login/2fa', headers: { cookie: s3.cookie } });
    const replay = await env.app.inject({ method: 'POST', url: '/admin/login/2fa', headers: { cookie: s3.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page3.body), code }) });
    expect(replay.statusCode).toBe(401);
    expect((await env.app.inject({ url: '/admin', headers: { cookie: s3.cookie } })).headers.location).toBe('/admin/login/2fa');
  });
});

describe('API tokens', () => {
  it('are stored hashed, record their last use, and stop working when revoked', async () => {
    const token = await env.token('admin');
    const rows = await env.p.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.some((r) => r.token_hash.includes(token) || token.includes(r.token_hash))).toBe(false);
    const me = await env.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    const used = await env.p.db.selectFrom('api_tokens').select(['id', 'last_used_at']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    await env.p.db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', used.id).execute();
    expect((await env.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('a user creates a token in the console; it is shown once and works', async () => {
    const s = await login(env.app, 'dzb-approver');
    const acct = await env.app.inject({ url: '/admin/account', headers: { cookie: s.cookie } });
    const r = await env.app.inject({ method: 'POST', url: '/admin/account/tokens', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(acct.body), name: '数据对接' }) });
    const token = /<code class="secret">(gk_[\w-]+)<\/code>/.exec(r.body)![1];
    const me = await env.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json().username).toBe('dzb-approver');
    const again = await env.app.inject({ url: '/admin/account', headers: { cookie: s.cookie } });
    expect(again.body).not.toContain(token);
  });
});
