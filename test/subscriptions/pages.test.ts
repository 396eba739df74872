// The public pages without JavaScript: entry links on the search page and an item's page, the
// form with a target given by the link, the preference centre reached from a message (frequency,
// end one, end all with confirmation, links voided after "end all"), and hostile input escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, type TestEnv } from '../helpers.js';
import { publish } from '../catalog/helpers.js';
import { mailsTo, subEnv, subscribeEmail, type SubEnv } from './helpers.js';

let s: SubEnv;
let env: TestEnv;
beforeAll(async () => {
  s = await subEnv();
  env = s.env;
});
afterAll(async () => s?.close());

const get = (url: string, cookie?: string) => env.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const cookieOf = (r: { headers: Record<string, unknown> }) => ([] as string[]).concat((r.headers['set-cookie'] as string | string[]) ?? []).map((x) => x.split(';')[0]).join('; ');

describe('entry points and the form', () => {
  it('the search page offers "subscribe to this search"; the item page "follow"; the form shows the given target', async () => {
    const id = await publish(env, { title: '关于城区道路停车泊位调整的公告' });
    await env.drain();
    const search = await get(`/search?q=${encodeURIComponent('停车 泊位')}`);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`/subscriptions?q=${encodeURIComponent('停车 泊位')}`);
    const item = await get(`/catalog/items/${id}`);
    expect(item.body).toContain(`/subscriptions?item=${id}`);
    const f = await get(`/subscriptions?item=${id}`);
    expect(f.statusCode).toBe(200);
    expect(f.body).toContain('《关于城区道路停车泊位调整的公告》');
    // Submitted without JavaScript, with the page's CSRF token.
    const cookie = cookieOf(f);
    const r = await env.app.inject({ method: 'POST', url: '/subscriptions', remoteAddress: '10.30.0.1', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(f.body), prefilled: '1', item: String(id), channel: 'email', address: 'Form.User@Example.com', frequency: 'immediately' }) });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.body).toContain('确认');
    await env.drain();
    expect(mailsTo(s, 'form.user@example.com').some((m) => m.subject.includes('确认'))).toBe(true);
  });

  it('a bad form comes back with every value and the field named; hostile target values are escaped', async () => {
    const f = await get('/subscriptions?dept=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%3Cimg%20src%3Dx%3E');
    expect(f.statusCode).toBe(200);
    expect(f.body).not.toContain('<script>alert(1)');
    expect(f.body).not.toContain('<img src=x>');
    const cookie = cookieOf(f);
    const r = await env.app.inject({ method: 'POST', url: '/subscriptions', remoteAddress: '10.30.0.2', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(f.body), channel: 'sms', address: '<b>123', topic: '02', frequency: 'immediately' }) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('请填写11位大陆手机号');
    // Kept in the field (an attribute value, quoted and escaped), never as markup.
    expect(r.body).toMatch(/value="(?:&lt;|<)b(?:&gt;|>)123"/);
    expect(r.body).not.toMatch(/>\s*<b>123/);
    // The SMS short link: codes beyond an integer id are a 404 (no overflow on PostgreSQL).
    for (const code of ['zzzzzz', 'zzzzzzz', 'zzzzzzzzzz']) expect((await get(`/s/${code}`)).statusCode, code).toBe(404);
    expect((await get('/s/%00')).statusCode).toBe(400); // the platform's rule for NUL bytes
  });
});

describe('the preference centre', () => {
  it('changes a frequency, ends one subscription, then all (links voided)', async () => {
    const addr = 'prefs.c@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) });
    await subscribeEmail(s, addr, { topic: '02' }, 'weekly');
    const manage = /\/subscriptions\/manage\/[A-Za-z0-9._-]+/.exec(mailsTo(s, addr).map((m) => m.text).join('\n') + (await confirmPageText(addr)))![0];
    let r = await get(manage);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('每周摘要');
    const ids = [...r.body.matchAll(/name="subscription" value="(\d+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(2);
    const post = (payload: Record<string, string>) => env.app.inject({ method: 'POST', url: manage, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(payload) });
    r = await post({ op: 'frequency', subscription: ids[0]!, frequency: 'daily' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('已保存');
    r = await post({ op: 'frequency', subscription: ids[0]!, frequency: 'hourly' });
    expect(r.statusCode).toBe(400);
    // Someone else's subscription id: 404.
    expect((await post({ op: 'end', subscription: '1' })).statusCode).toBe(404);
    r = await post({ op: 'end', subscription: ids[1]! });
    expect(r.body).toContain('已退订');
    expect((await post({ op: 'end-all' })).statusCode).toBe(400); // the confirmation box
    r = await post({ op: 'end-all', confirm: 'yes' });
    expect(r.statusCode).toBe(200);
    expect((await get(manage)).statusCode).toBe(404); // links sent before are void
  });
});

/** The confirmation page after the link shows the manage link too. */
async function confirmPageText(addr: string): Promise<string> {
  const confirm = mailsTo(s, addr).filter((m) => m.text.includes('/subscriptions/confirm/')).pop()!;
  const url = /https:\/\/gk\.example\.gov\.cn(\/subscriptions\/confirm\/[^\s]+)/.exec(confirm.text)![1]!;
  return (await env.app.inject({ method: 'POST', url })).body;
}
