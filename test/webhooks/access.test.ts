// Who may register and manage webhook endpoints, and which URLs the outbound guard refuses at
// registration (400 naming url): loopback without the allow-list, a name resolving to loopback,
// cloud metadata even when 127.0.0.1 is allowed. The console pages render (the name escaped),
// pause/resume, rotation and deletion need their confirmation; another department's endpoint is
// 404; a citizen is sent to the login, a user without the action gets 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { scopeOf } from '../../src/platform/auth/policy.js';
import { loadPrincipal } from '../../src/platform/auth/identity.js';
import { createEndpoint } from '../../src/modules/webhooks/service/endpoints.js';

let env: TestEnv;
let allowed: TestEnv;
beforeAll(async () => {
  // A public URL that is not loopback: nothing is allowed but public addresses.
  env = await makeEnv({ overrides: { publicUrl: 'https://gongkai.example.gov.cn' } });
  allowed = await makeEnv({ env: { GONGKAI_WEBHOOK_ALLOW: '127.0.0.1/32' }, overrides: { publicUrl: 'https://gongkai.example.gov.cn' } });
});
afterAll(async () => {
  await env?.close();
  await allowed?.close();
});

const register = (e: TestEnv, url: string, as = 'admin', over: Record<string, unknown> = {}) => e.api('POST', '/api/v1/channels/webhooks', { as, body: { name: '新媒体', url, events: ['published'], ...over } });

describe('the outbound guard at registration', () => {
  it('refuses http://127.0.0.1 without the allow-list, and localhost, naming url', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost:8080/hook', 'https://127.0.0.1/hook', 'ftp://example.com/x', 'http://user:pw@127.0.0.1/x']) {
      const r = await register(env, url);
      expect(r.statusCode, url).toBe(400);
      expect(Object.keys(r.json().error.fields), url).toEqual(['url']);
    }
  });

  it('refuses a name resolving to 127.0.0.1 (an injected resolver)', async () => {
    await expect(createEndpoint(env.p, 'system', { name: 'x', url: 'https://hooks.example.com/x', events: ['published'] }, { lookup: async () => [{ address: '127.0.0.1', family: 4 }] })).rejects.toMatchObject({ status: 400, fields: { url: 'webhooks.err.url.address' } });
  });

  it('with 127.0.0.1 allowed: the local address passes, cloud metadata and other loopback addresses do not', async () => {
    expect((await register(allowed, 'http://127.0.0.1:9/hook')).statusCode).toBe(201);
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://100.100.100.200/latest', 'http://127.0.0.2/hook', 'http://[::1]/hook', 'http://10.0.0.1/hook']) {
      const r = await register(allowed, url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error.fields.url, url).toBeTruthy();
    }
  });

  it('bad fields are 400 naming each field, never 5xx', async () => {
    const r = await allowed.api('POST', '/api/v1/channels/webhooks', { as: 'admin', body: { name: '', url: 'http://127.0.0.1:9/x', events: [] } });
    expect(r.statusCode).toBe(400);
    const r2 = await register(allowed, 'http://127.0.0.1:9/x', 'admin', { itemTypes: ['no-such-type'], departmentIds: [999999] });
    expect(r2.statusCode).toBe(400);
    expect(Object.keys(r2.json().error.fields).sort()).toEqual(['departmentIds', 'itemTypes']);
  });
});

describe('permissions per department', () => {
  let dzb: number;
  let other: number;
  beforeAll(async () => {
    const u = await allowed.p.db.selectFrom('users').select('id').where('username', '=', 'dzb-admin').executeTakeFirstOrThrow();
    const scope = scopeOf(await loadPrincipal(allowed.p.db, u.id, 'token'), 'channels.webhooks');
    expect(scope).not.toBe('all');
    const depts = await allowed.p.db.selectFrom('departments').select(['id', 'code']).execute();
    dzb = Number(depts.find((d) => d.code === 'dzb')!.id);
    other = Number(depts.find((d) => !(scope as Set<number>).has(Number(d.id)))!.id);
  });

  it('a department administrator registers for their own department only, and never for all', async () => {
    expect((await register(allowed, 'http://127.0.0.1:9/own', 'dzb-admin', { departmentIds: [dzb] })).statusCode).toBe(201);
    const r = await register(allowed, 'http://127.0.0.1:9/other', 'dzb-admin', { departmentIds: [other] });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(r.json().error.fields)).toEqual(['departmentIds']);
    expect(Object.keys((await register(allowed, 'http://127.0.0.1:9/all', 'dzb-admin')).json().error.fields)).toEqual(['departmentIds']);
  });

  it("another department's endpoint is 404 in the API and the console; a user without the action 403", async () => {
    const foreign = (await register(allowed, 'http://127.0.0.1:9/foreign', 'admin', { departmentIds: [other] })).json().endpoint.id;
    expect((await allowed.api('GET', `/api/v1/channels/webhooks/${foreign}`, { as: 'dzb-admin' })).statusCode).toBe(404);
    expect((await allowed.api('GET', `/api/v1/channels/webhooks/${foreign}`, { as: 'admin' })).statusCode).toBe(200);
    const list = (await allowed.api('GET', '/api/v1/channels/webhooks', { as: 'dzb-admin' })).json().endpoints;
    expect(list.map((e: { id: number }) => e.id)).not.toContain(foreign);
    expect(list.every((e: { departmentIds: number[] }) => e.departmentIds.length > 0 && e.departmentIds.every((d) => d === dzb))).toBe(true);
    const s = await login(allowed.app, 'dzb-admin');
    expect((await allowed.app.inject({ url: `/admin/channels/webhooks/${foreign}`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await allowed.api('GET', '/api/v1/channels/webhooks', { as: 'dzb-editor' })).statusCode).toBe(403);
    const citizen = await allowed.app.inject({ url: '/admin/channels/webhooks' });
    expect([302, 303, 401, 403]).toContain(citizen.statusCode);
    expect((await allowed.app.inject({ method: 'POST', url: '/api/v1/channels/webhooks', payload: { name: 'x', url: 'http://127.0.0.1:9/', events: ['published'] } })).statusCode).toBe(401);
  });
});

describe('the console', () => {
  it('registers (the secret shown once, the name escaped), pauses, resumes, rotates and deletes with confirmation', async () => {
    const s = await login(allowed.app, 'admin');
    const get = (url: string) => allowed.app.inject({ url, headers: { cookie: s.cookie } });
    const post = (url: string, data: Record<string, string | string[]>) => allowed.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(data) });
    const page = await get('/admin/channels/webhooks');
    expect(page.statusCode).toBe(200);
    const csrf = csrfFrom(page.body);
    // Refused URL: the form again, 400, the message on the field.
    const bad = await post('/admin/channels/webhooks', { _csrf: csrf, name: 'x', url: 'http://169.254.169.254/', events: 'published' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('内网、本机或保留地址');
    const noEvents = await post('/admin/channels/webhooks', { _csrf: csrf, name: 'x', url: 'http://127.0.0.1:9/x' });
    expect(noEvents.statusCode).toBe(400);
    expect(noEvents.body).toContain('请至少选择一种推送事件');
    const name = '<script>alert(1)</script>公众号';
    const ok = await post('/admin/channels/webhooks', { _csrf: csrf, name, url: 'http://127.0.0.1:9/console', events: ['published', 'withdrawn'], itemTypes: 'document' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).not.toContain('<script>alert(1)');
    expect(ok.body).toContain('&lt;script>alert(1)&lt;/script>公众号');
    const secret = /<code class="secret">(whsec_[\w-]+)<\/code>/.exec(ok.body)?.[1];
    expect(secret).toBeTruthy();
    const row = await allowed.p.db.selectFrom('wh_endpoints').selectAll().where('url', '=', 'http://127.0.0.1:9/console').executeTakeFirstOrThrow();
    expect(row.secret).toBe(secret);
    // The secret is not shown again.
    const detail = await get(`/admin/channels/webhooks/${row.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(secret!);
    expect(detail.body).toContain('&lt;script>alert(1)');
    expect((await get('/admin/channels/webhooks')).body).not.toContain(secret!);
    const base = `/admin/channels/webhooks/${row.id}`;
    expect((await post(`${base}/pause`, { _csrf: csrf })).statusCode).toBe(303);
    expect((await allowed.p.db.selectFrom('wh_endpoints').select('state').where('id', '=', row.id).executeTakeFirstOrThrow()).state).toBe('paused');
    expect((await post(`${base}/resume`, { _csrf: csrf })).statusCode).toBe(303);
    // Rotation without the confirmation: 400, the secret unchanged; with it: a new secret shown once.
    expect((await post(`${base}/rotate`, { _csrf: csrf })).statusCode).toBe(400);
    const rotated = await post(`${base}/rotate`, { _csrf: csrf, confirm: 'yes' });
    expect(rotated.statusCode).toBe(200);
    const fresh = /<code class="secret">(whsec_[\w-]+)<\/code>/.exec(rotated.body)?.[1];
    expect(fresh && fresh !== secret).toBe(true);
    expect((await allowed.p.db.selectFrom('wh_endpoints').select('secret').where('id', '=', row.id).executeTakeFirstOrThrow()).secret).toBe(fresh);
    // Without the CSRF token: refused.
    expect((await post(`${base}/delete`, { confirm: 'yes' })).statusCode).toBe(403);
    expect((await post(`${base}/delete`, { _csrf: csrf })).statusCode).toBe(400);
    expect((await post(`${base}/delete`, { _csrf: csrf, confirm: 'yes' })).statusCode).toBe(303);
    expect((await get(base)).statusCode).toBe(404);
    const audit = await allowed.p.db.selectFrom('audit_events').select('action').where('entity', '=', 'wh_endpoint').where('entity_id', '=', String(row.id)).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.pause', 'webhook.resume', 'webhook.rotate', 'webhook.delete']);
    // English labels.
    const en = await allowed.app.inject({ url: '/admin/channels/webhooks', headers: { cookie: `${s.cookie}; gk_lang=en` } });
    expect(en.statusCode).toBe(200);
  });
});
