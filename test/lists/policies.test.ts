// Economic policy matching (with the reasons each policy matched), subscriptions, tagging
// rights, and 好差评 with a follow-up for every real-name 差评.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, csrfFrom, form, type TestEnv } from '../helpers.js';
import { matchPolicies, matchReasons, type PolicyTags } from '../../src/modules/lists/service/policies.js';
import { addWorkdays, todayShanghai } from '../../src/platform/calendar/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 60000);
afterAll(async () => env?.close());

const tags = (t: Partial<PolicyTags>): PolicyTags => ({ industries: [], sizes: [], locations: [], qualifications: [], subsidyType: 'grant', windowStart: null, windowEnd: null, ...t });
const profile = { industry: 'C39', size: 'small', location: 'jd-gy', qualifications: ['high-tech'] };

describe('matching reasons', () => {
  it('names each dimension that matched', () => {
    const r = matchReasons(tags({ industries: ['C'], sizes: ['small', 'micro'], locations: ['jd-gy'], qualifications: ['high-tech', 'specialised'], windowStart: '2026-01-01', windowEnd: '2026-12-31' }), profile, '2026-06-01');
    expect(r).toEqual([
      { dimension: 'industry', key: 'lists.reason.industry', params: { industry: 'C39', tag: 'C' } },
      { dimension: 'size', key: 'lists.reason.size', params: { size: 'small' } },
      { dimension: 'location', key: 'lists.reason.location', params: { location: 'jd-gy' } },
      { dimension: 'qualification', key: 'lists.reason.qualification', params: { qualification: 'high-tech' } },
      { dimension: 'window', key: 'lists.reason.window_open', params: { to: '2026-12-31' } },
    ]);
  });

  it('excludes on any dimension that does not match, and after the window closes', () => {
    expect(matchReasons(tags({ industries: ['I'] }), profile, '2026-06-01')).toBeNull();
    expect(matchReasons(tags({ sizes: ['large'] }), profile, '2026-06-01')).toBeNull();
    expect(matchReasons(tags({ locations: ['jd-hb'] }), profile, '2026-06-01')).toBeNull();
    expect(matchReasons(tags({ qualifications: ['specialised'] }), profile, '2026-06-01')).toBeNull();
    expect(matchReasons(tags({ windowEnd: '2026-05-31' }), profile, '2026-06-01')).toBeNull();
    expect(matchReasons(tags({ windowStart: '2026-07-01' }), profile, '2026-06-01')?.at(-1)?.key).toBe('lists.reason.window_upcoming');
  });

  it('on the demo library: a small high-tech manufacturer in 工业园街道 gets four policies, not the closed one', async () => {
    const res = await matchPolicies(env.p.db, profile, '2026-06-01');
    const titles = res.map((r) => r.title);
    expect(titles).toEqual(expect.arrayContaining(['示范新区关于支持高新技术企业高质量发展的若干措施', '示范新区小微企业贷款贴息管理办法', '示范新区稳岗扩岗补贴申领办法', '工业园街道标准厂房租金补贴实施细则']));
    expect(titles).not.toContain('示范新区2025年文旅消费促进措施');
    const big = await matchPolicies(env.p.db, { industry: 'R90', size: 'large', location: 'jd-hb', qualifications: [] }, '2026-06-01');
    expect(big.map((r) => r.title)).toEqual(['示范新区稳岗扩岗补贴申领办法']);
    expect(big[0].reasons.map((r) => r.key)).toEqual(['lists.reason.any_industry', 'lists.reason.window_open']);
  });

  it('the API explains the reasons in words; bad profiles are 400', async () => {
    const r = await env.api('GET', '/api/v1/policies/match?industry=c39&size=micro');
    expect(r.statusCode).toBe(200);
    const loan = JSON.parse(r.body).results.find((x: any) => x.title === '示范新区小微企业贷款贴息管理办法');
    expect(loan.reasons.map((x: any) => x.text)).toEqual(['行业：政策不限行业', '规模：政策适用于微型企业', '申报期：常年受理']);
    expect((await env.api('GET', '/api/v1/policies/match?industry=39&size=micro')).statusCode).toBe(400);
    expect((await env.api('GET', '/api/v1/policies/match?industry=C39&size=huge')).statusCode).toBe(400);
    expect((await env.api('GET', '/api/v1/policies/match?industry=C39&size=small&qualifications=high-tech,bogus')).statusCode).toBe(400);
    const hi = JSON.parse((await env.api('GET', '/api/v1/policies/match?industry=C39&size=small&location=jd-gy&qualifications=high-tech')).body).results;
    expect(hi.find((x: any) => x.title === '工业园街道标准厂房租金补贴实施细则')?.reasons.map((x: any) => x.text)).toContain('区域：政策适用于工业园街道办事处');
    const page = await env.app.inject({ method: 'GET', url: '/policies/match?industry=C39&size=micro' });
    expect(page.body).toContain('规模：政策适用于微型企业');
  });

  it('stores a subscription and refuses a bad e-mail', async () => {
    const ok = await env.api('POST', '/api/v1/policies/subscriptions', { body: { email: 'boss@example.com', profile } });
    expect(ok.statusCode).toBe(201);
    const row = await env.p.db.selectFrom('policy_subscriptions').selectAll().where('email', '=', 'boss@example.com').executeTakeFirstOrThrow();
    expect(JSON.parse(row.profile)).toEqual(profile);
    const bad = await env.api('POST', '/api/v1/policies/subscriptions', { body: { email: 'not-an-email', profile } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.fields.email).toBeTruthy();
  });

  it('only the policy’s department tags it', async () => {
    const item = await env.p.db.selectFrom('pub_items').innerJoin('departments', 'departments.id', 'pub_items.department_id').select('pub_items.id').where('departments.code', '=', 'fgj').where('pub_items.title', '=', '示范新区关于支持高新技术企业高质量发展的若干措施').executeTakeFirstOrThrow();
    const body = { industries: ['C39'], sizes: ['small'], locations: [], qualifications: [], subsidyType: 'grant', windowStart: null, windowEnd: null };
    expect((await env.api('PUT', `/api/v1/policies/${item.id}/tags`, { as: 'scjg-editor', body })).statusCode).toBe(404);
    expect((await env.api('PUT', `/api/v1/policies/${item.id}/tags`, { as: 'fgj-editor', body: { ...body, industries: ['39x'] } })).statusCode).toBe(400);
    expect((await env.api('PUT', `/api/v1/policies/${item.id}/tags`, { as: 'fgj-editor', body })).statusCode).toBe(204);
    const t = await env.p.db.selectFrom('policy_tags').selectAll().where('item_id', '=', item.id).executeTakeFirstOrThrow();
    expect(JSON.parse(t.industries)).toEqual(['C39']);
  });
});

describe('好差评 on service guides', () => {
  it('a real-name 差评 gets a follow-up with a fix deadline in working days; an anonymous one does not', async () => {
    const r = await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'very-dissatisfied', comment: '材料要求不清楚', realName: true, name: '李女士', phone: '13912345678' } });
    expect(r.statusCode).toBe(201);
    const body = JSON.parse(r.body);
    expect(body.followup).toEqual({ fixDue: addWorkdays(todayShanghai(), 10).due });
    const anon = JSON.parse((await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'dissatisfied' } })).body);
    expect(anon.followup).toBeNull();
    const good = JSON.parse((await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'satisfied', realName: true, name: '张三', phone: '13912345678' } })).body);
    expect(good.followup).toBeNull();
    const s = JSON.parse((await env.api('GET', '/api/v1/service-guides/SG-XZSP-001/ratings')).body);
    expect(s.counts['very-dissatisfied']).toBe(1);
    expect(s.total).toBe(5); // two from the demo
  });

  it('refuses bad ratings: unknown level, real name without phone, unknown guide', async () => {
    expect((await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'meh' } })).statusCode).toBe(400);
    const r = await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'dissatisfied', realName: true, name: '王五', phone: '12' } });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error.fields.phone).toBeTruthy();
    expect((await env.api('POST', '/api/v1/service-guides/NOPE/ratings', { body: { level: 'satisfied' } })).statusCode).toBe(404);
  });

  it('the guide’s department sees the follow-up with the phone masked and records the call-back', async () => {
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/lists/followups', headers: { cookie: s.cookie } });
    expect(page.body).toContain('139****5678');
    expect(page.body).not.toContain('13912345678');
    const other = await login(env.app, 'scjg-editor');
    const op = await env.app.inject({ method: 'GET', url: '/admin/lists/followups', headers: { cookie: other.cookie } });
    expect(op.body).not.toContain('李女士');
    const fu = await env.p.db.selectFrom('list_followups').innerJoin('list_ratings', 'list_ratings.id', 'list_followups.rating_id').select('list_followups.id').where('list_ratings.name', '=', '李女士').executeTakeFirstOrThrow();
    const post = await env.app.inject({ method: 'POST', url: `/admin/lists/followups/${fu.id}`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), callbackNote: '已电话回访，材料清单已补充示例', fixNote: '', }) });
    expect(post.statusCode).toBe(303);
    const row = await env.p.db.selectFrom('list_followups').selectAll().where('id', '=', fu.id).executeTakeFirstOrThrow();
    expect(row.callback_by).toBe('admin');
    expect(row.callback_note).toBe('已电话回访，材料清单已补充示例');
  });

  it('materials link their blank form and sample; only files a published guide uses are served', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/lists/service-guide/items/SG-XZSP-001' });
    const href = /href="(\/lists\/files\/[0-9a-f]{64})"/.exec(page.body)?.[1];
    expect(href).toBeTruthy();
    const f = await env.app.inject({ method: 'GET', url: href! });
    expect(f.statusCode).toBe(200);
    expect(f.headers['content-type']).toBe('application/pdf');
    expect(f.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const up = await env.api('POST', '/api/v1/lists/attachments', { as: 'admin', body: { filename: 'x.pdf', content: Buffer.from('%PDF-1.4\nnot referenced').toString('base64') } });
    expect(up.statusCode).toBe(201);
    const hash = JSON.parse(up.body).hash;
    expect((await env.app.inject({ method: 'GET', url: `/lists/files/${hash}` })).statusCode).toBe(404);
    const exe = await env.api('POST', '/api/v1/lists/attachments', { as: 'admin', body: { filename: 'x.pdf', content: Buffer.from('MZ\x90\x00').toString('base64') } });
    expect(exe.statusCode).toBe(415);
    // The printable guide carries the promised date and no site chrome.
    const print = await env.app.inject({ method: 'GET', url: '/lists/service-guide/items/SG-XZSP-001/print' });
    expect(print.body).toContain('print-guide');
    expect(print.body).toContain('承诺办结日期为');
    expect(print.body).not.toContain('site-header');
  });

  it('a 行政许可 power links to its service guide and back; the home page links the lookup', async () => {
    const power = await env.app.inject({ method: 'GET', url: '/lists/power/items/XK-XZSP-001' });
    expect(power.statusCode).toBe(200);
    expect(power.body).toContain('href="/lists/service-guide/items/SG-XZSP-001"');
    const guide = await env.app.inject({ method: 'GET', url: '/lists/service-guide/items/SG-XZSP-001' });
    expect(guide.body).toContain('href="/lists/power/items/XK-XZSP-001"');
    expect((await env.app.inject({ method: 'GET', url: '/' })).body).toContain('href="/negative-lists/lookup"');
    for (const q of ['%5C', '%25_', '%27%20or%201%3D1', '%E2%80%8B']) {
      const r = await env.app.inject({ method: 'GET', url: `/api/v1/lists/power/items?q=${q}` });
      expect(r.statusCode, q).toBe(200);
      expect(JSON.parse(r.body).total, q).toBe(0);
    }
    const bin = await env.api('POST', '/api/v1/lists/power/lists/1/import', { as: 'admin', body: { filename: 'x.xlsx', content: Buffer.from('PK\x03\x04garbage').toString('base64'), reason: 'r', docNo: 'd' } });
    expect(bin.statusCode).toBe(400);
    const weird = await env.api('POST', '/api/v1/lists/power/lists/1/editions', { as: 'admin', body: { items: [{ code: {} }, { code: 'A', duties: [1, 2] }], reason: 'r', docNo: 'd' } });
    expect(weird.statusCode).toBe(400);
    for (const u of ['/lists/nope', '/lists/power/items/NOPE', '/lists/power/lists/abc', '/lists/power/lists/1/diff?a=x&b=1', '/api/v1/lists/power/items?list=abc', '/api/v1/lists/power/editions/1/diff/99999', '/lists/published/0', '/lists/files/zz']) {
      const r = await env.app.inject({ method: 'GET', url: u });
      expect([400, 404], u).toContain(r.statusCode);
    }
  });

  it('the public form works without JavaScript', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/lists/service-guide/items/SG-WHLY-001' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('承诺办结日期为');
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const r = await env.app.inject({ method: 'POST', url: '/lists/service-guide/items/SG-WHLY-001/rate', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), level: 'very-satisfied', comment: '很方便' }) });
    expect(r.statusCode).toBe(303);
    const bad = await env.app.inject({ method: 'POST', url: '/lists/service-guide/items/SG-WHLY-001/rate', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), level: 'dissatisfied', realName: '1', name: '', phone: '' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('实名评价请填写姓名');
  });
});
