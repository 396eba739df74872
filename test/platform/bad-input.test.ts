// Bad input never hurts: clear 4xx answers naming the field, nothing half-written, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeEnv, type TestEnv } from '../helpers.js';
import { missingKeys } from '../../src/platform/i18n/index.js';
import { demoOrg } from '../fixtures/org.js';

let env: TestEnv;
let token: string;
beforeAll(async () => {
  env = await makeEnv({ demo: false, overrides: { bodyLimit: 4096 } });
  await demoOrg(env.p, { users: ['admin'] });
  token = await env.token('admin');
});
afterAll(async () => env?.close());

const post = (payload: string, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload });

describe('malformed requests', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const r = await post('{"username": ');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('invalid_json');
    expect(r.json().error.message).toContain('JSON');
  });

  it('an oversized body → 413 with a clear message', async () => {
    const r = await post(JSON.stringify({ username: 'x'.repeat(10000) }));
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('payload_too_large');
  });

  it('unknown fields → 400 naming each of them', async () => {
    const r = await post(JSON.stringify({ username: 'okname', password: 'Strong-pass-2026', department: 'dzb', roles: ['editor'], isAdmin: true, extra: 1 }));
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('validation');
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['isAdmin', 'extra']));
  });

  it('wrong types and missing fields → 400 naming each field, in Chinese by default and in English on request', async () => {
    const payload = JSON.stringify({ username: 12345, department: 'dzb', roles: 'editor' });
    const zh = await post(payload);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.fields).toMatchObject({ username: expect.stringContaining('类型'), password: '此项为必填项。' });
    expect(zh.json().error.fields.roles).toBeDefined();
    const en = await post(payload, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().error.fields.password).toBe('This field is required.');
  });

  it('no type coercion in bodies: a number-looking string is not a number and vice versa', async () => {
    const r = await post(JSON.stringify({ username: 'abc', password: 'Strong-pass-2026', department: 'dzb', roles: [1] }));
    expect(r.statusCode).toBe(400);
  });

  it('an unknown department or role is a 400 naming the field; nothing is written', async () => {
    const r = await post(JSON.stringify({ username: 'half-written', password: 'Strong-pass-2026', department: 'nope', roles: ['editor'] }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.department).toBe('没有这个部门。');
    const r2 = await post(JSON.stringify({ username: 'half-written', password: 'Strong-pass-2026', department: 'dzb', roles: ['editor', 'pope'] }));
    expect(r2.json().error.fields['roles.1']).toContain('editor');
    expect(await env.p.db.selectFrom('users').select('id').where('username', '=', 'half-written').executeTakeFirst()).toBeUndefined();
  });

  it('a duplicate username → 409', async () => {
    const body = JSON.stringify({ username: 'twice', password: 'Strong-pass-2026', department: 'dzb', roles: ['editor'] });
    expect((await post(body)).statusCode).toBe(201);
    const again = await post(body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields.username).toBe('该用户名已被使用。');
  });

  it('bad query parameters → 400 naming the parameter', async () => {
    const r = await env.app.inject({ url: '/api/v1/users?pageSize=1000', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.pageSize).toBeDefined();
  });

  it('unknown paths → 404 JSON for the API and an HTML page for people', async () => {
    const api = await env.app.inject('/api/v1/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    const page = await env.app.inject('/nothing-here');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('不存在');
  });

  it('an HTML form shows inline messages next to the fields', async () => {
    const { login, csrfFrom, form } = await import('../helpers.js');
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/users/new', headers: { cookie: s.cookie } });
    const r = await env.app.inject({ method: 'POST', url: '/admin/users', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), username: 'A B', displayName: '', department: 'dzb', password: 'short', roles: 'editor' }) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('class="field-error"');
    expect(r.body).toContain('用户名须为');
    expect(r.body).toContain('aria-invalid="true"');
  });
});

describe('no input produces a 5xx', () => {
  it('random JSON bodies and query strings against the API', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string({ maxLength: 40 }), async (body, q) => {
        const a = await post(JSON.stringify(body));
        expect(a.statusCode).toBeLessThan(500);
        const b = await env.app.inject({ url: `/api/v1/users?q=${encodeURIComponent(q)}&page=${encodeURIComponent(q)}`, headers: { authorization: `Bearer ${token}` } });
        expect(b.statusCode).toBeLessThan(500);
        const c = await env.app.inject({ url: `/api/v1/users/${encodeURIComponent(q) || 'x'}`, headers: { authorization: `Bearer ${token}` } });
        expect(c.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  it('odd content types and empty bodies', async () => {
    for (const ct of ['text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${token}`, 'content-type': ct }, payload: '' });
      expect(r.statusCode, ct).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, ct).toBeLessThan(500);
    }
  });
});

describe('message catalogues', () => {
  it('every key exists in both Chinese and English', () => {
    expect(missingKeys()).toEqual([]);
  });
});
