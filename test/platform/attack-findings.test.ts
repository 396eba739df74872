// Findings of an attack on the endpoints of issue 15, each now refused cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { confirm, postForm, publicForm } from '../appeals/util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(() => env?.close());

const post = (url: string, cookie: string, data: Record<string, string | string[]>) =>
  env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(data) });

describe('attack findings', () => {
  it('an appeal console action with a field sent twice is a 400 naming it, not a 500, and changes nothing', async () => {
    const a = await env.p.db.selectFrom('appeals').select(['id', 'status']).where('status', '=', 'reply_review').executeTakeFirstOrThrow();
    const { cookie } = await login(env.app, 'sqzx-approver');
    const page = await env.app.inject({ method: 'GET', url: `/admin/appeals/${a.id}`, headers: { cookie } });
    const r = await post(`/admin/appeals/${a.id}/reply-review`, cookie, { _csrf: csrfFrom(page.body), approve: '0', note: ['一', '二'] });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('取值无效');
    expect((await env.p.db.selectFrom('appeals').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('reply_review');
  });

  it('a spent confirm ticket shows the query code again only to the browser that spent it', async () => {
    const step1 = await postForm(env.app, { title: '春晖巷路灯不亮' });
    const first = await confirm(env.app, step1.cookie, step1.hidden);
    expect(first.statusCode).toBe(201);
    const code = /class="query-code">(\d{10})</.exec(first.body)![1];
    const other = await publicForm(env.app);
    const again = await confirm(env.app, other.cookie, { ...step1.hidden, _csrf: other.csrf });
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toContain(code);
    const same = await confirm(env.app, step1.cookie, step1.hidden); // the double click
    expect(same.body).toContain(code);
  });

  it('a link cannot put its own text in a console alert box', async () => {
    const { cookie } = await login(env.app, 'admin');
    const id = (await env.p.db.selectFrom('pub_items').select('id').where('type', '=', 'document').executeTakeFirstOrThrow()).id;
    const r = await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}?error=${encodeURIComponent('您的账号已冻结，请致电400-000')}&done=${encodeURIComponent('<b>x')}`, headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('您的账号已冻结');
    expect(r.body).not.toContain('catalog.done.');
    const known = await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}?error=err.pub.one_stage_only`, headers: { cookie } });
    expect(known.body).toContain('role="alert"');
  });

  it('an everyday word leads to one industry: an alias another industry has is refused, naming it', async () => {
    const r = await env.api('PUT', '/api/v1/industries/A0111/aliases', { as: 'admin', body: { aliases: ['咖啡店'] } });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('H6232');
    const look = await env.app.inject({ method: 'GET', url: `/negative-lists/lookup?q=${encodeURIComponent('咖啡店')}` });
    expect(look.body).toContain('H6232');
  });

  it('the alias form: aliases sent twice or a longer code change nothing', async () => {
    const { cookie } = await login(env.app, 'admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/lists/industries/H6291', headers: { cookie } });
    const before = (await env.p.db.selectFrom('industries').select('aliases').where('code', '=', 'H6291').executeTakeFirstOrThrow()).aliases;
    const twice = await post('/admin/lists/industries/H6291', cookie, { _csrf: csrfFrom(page.body), aliases: ['x1', 'x2'] });
    expect(twice.statusCode).toBe(400);
    const longer = await post('/admin/lists/industries/H629100', cookie, { _csrf: csrfFrom(page.body), aliases: '茶室' });
    expect(longer.statusCode).toBe(404);
    expect((await env.p.db.selectFrom('industries').select('aliases').where('code', '=', 'H6291').executeTakeFirstOrThrow()).aliases).toBe(before);
  });

  it('the government name is a name: 50,000 characters or a phone of letters are a 400 naming the field', async () => {
    const { cookie } = await login(env.app, 'admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/government', headers: { cookie } });
    const fields = Object.fromEntries([...page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const r = await post('/admin/government', cookie, { ...fields, _csrf: csrfFrom(page.body), name: '示'.repeat(50_000), phone: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('内容过长');
    const home = await env.app.inject({ method: 'GET', url: '/' });
    expect(home.body).not.toContain('示示示示示');
  });

  it('the industry picker\'s link to policy matching opens the form filled in, not an error about the size', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/policies/match?industry=H6291' });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('不是允许的取值');
    expect(r.body).toMatch(/name="industry"[^>]*value="H6291"/);
  });
});
