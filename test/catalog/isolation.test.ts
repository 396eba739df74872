// Department isolation: staff of one department can neither read drafts of nor change anything
// of another department; the public sees published items only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { DOC, draft, publish, step } from './helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';

let env: TestEnv;
let drafted: number;
let published: number;
let inReview: number;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: [...DZB_WORKFLOW, 'fgj-editor', 'fgj-reviewer', 'fgj-approver', 'scjg-approver', 'supervisor'] });
  drafted = await draft(env);
  inReview = await draft(env);
  await step(env, inReview, 'dzb-editor', 'submit');
  published = await publish(env);
}, 120_000);
afterAll(() => env?.close());

const OUTSIDERS = ['fgj-editor', 'fgj-reviewer', 'fgj-approver', 'scjg-approver'];

describe('department isolation matrix (党政办 items vs other departments)', () => {
  for (const user of OUTSIDERS) {
    it(`${user} cannot read or change 党政办 drafts, reviews or published items`, async () => {
      const { cookie } = await login(env.app, user);
      for (const id of [drafted, inReview, published]) {
        expect((await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}`, headers: { cookie } })).statusCode, `console ${id}`).toBe(404);
        expect((await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}/preview`, headers: { cookie } })).statusCode).toBe(404);
        expect((await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}/diff?a=1&b=1`, headers: { cookie } })).statusCode).toBe(404);
        const patch = await env.api('PATCH', `/api/v1/documents/${id}`, { as: user, body: { title: 'hijack' } });
        expect([403, 404]).toContain(patch.statusCode);
        for (const action of ['submit', 'approve', 'reject', 'withdraw', 'repeal']) {
          const r = await step(env, id, user, action, 'x');
          expect(r.statusCode, `${user} ${action} ${id}`).toBe(404);
        }
      }
      // and the console lists show nothing of 党政办
      for (const tab of ['mine', 'waiting', 'all']) {
        const page = await env.app.inject({ method: 'GET', url: `/admin/catalog?tab=${tab}`, headers: { cookie } });
        expect(page.body).not.toContain('政务公开工作要点');
      }
      // creating in another department is refused
      const c = await env.api('POST', '/api/v1/documents', { as: user, body: { title: 't', department: 'dzb', topic: '0203', genre: '通知', writtenAt: '2026-01-01', body: '<p>x</p>' } });
      expect([400, 403]).toContain(c.statusCode);
    });
  }

  it('a supervisor reads every department but cannot act', async () => {
    const { cookie } = await login(env.app, 'supervisor');
    expect((await env.app.inject({ method: 'GET', url: `/admin/catalog/${drafted}`, headers: { cookie } })).statusCode).toBe(200);
    const r = await step(env, inReview, 'supervisor', 'approve');
    expect(r.statusCode).toBe(403);
  });

  it('the public sees only published items', async () => {
    for (const id of [drafted, inReview]) {
      expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(404);
      expect((await env.api('GET', `/api/v1/documents/${id}/versions`)).statusCode).toBe(404);
      expect((await env.api('GET', `/catalog/items/${id}`)).statusCode).toBe(404);
    }
    expect((await env.api('GET', `/api/v1/documents/${published}`)).statusCode).toBe(200);
    // staff endpoints need a login
    expect((await env.api('POST', '/api/v1/documents', { body: DOC })).statusCode).toBe(401);
    expect((await env.api('POST', `/api/v1/documents/${drafted}/transitions`, { body: { action: 'submit' } })).statusCode).toBe(401);
  });

  it('the department’s own staff work through the console forms', async () => {
    const { cookie, csrf } = await login(env.app, 'dzb-editor');
    const page = await env.app.inject({ method: 'GET', url: `/admin/catalog/${drafted}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const r = await env.app.inject({ method: 'POST', url: `/admin/catalog/${drafted}/transition`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, action: 'submit' }).toString() });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toContain('done=secrecy_review');
    const waiting = await env.app.inject({ method: 'GET', url: '/admin/catalog?tab=waiting', headers: { cookie: (await login(env.app, 'dzb-reviewer')).cookie } });
    expect(waiting.body).toContain(`/admin/catalog/${drafted}`);
  });
});
