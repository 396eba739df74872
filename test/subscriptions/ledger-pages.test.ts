// The ledger as staff read it: an item's console page shows which version each channel carries,
// and /admin/channels/outdated lists an item while a channel still carries an older version —
// until the corrections are sent; another department's staff do not see it there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestEnv } from '../helpers.js';
import { publish, step } from '../catalog/helpers.js';
import { recordDeliveries } from '../../src/platform/channels/ledger.js';
import { subEnv, subscribeEmail, type SubEnv } from './helpers.js';

let s: SubEnv;
let env: TestEnv;
beforeAll(async () => {
  s = await subEnv();
  env = s.env;
});
afterAll(async () => s?.close());

async function page(user: string, url: string) {
  const { cookie } = await login(env.app, user);
  return env.app.inject({ method: 'GET', url, headers: { cookie } });
}

describe('the ledger in the console', () => {
  it("the item's channels panel and the outdated report follow a correction", async () => {
    await subscribeEmail(s, 'ledger.page@example.com', { dept: String(s.dzb) });
    const id = await publish(env, { title: '关于公布2026年第四季度“双随机”抽查结果的通知' });
    await env.drain();
    let r = await page('dzb-editor', `/admin/catalog/${id}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('发布渠道');
    expect(r.body).toMatch(/电子邮件<\/th><td>\d+<\/td><td>v1<\/td><td>均为当前版本/);
    // A screen showed v1 (written as the playlist would): after v2 it is outdated until it shows v2.
    const [screenRow] = await env.p.tx((t) => recordDeliveries(t, [{ itemId: id, version: 1, event: 'published', kind: 'shown', channel: 'screen', recipientKind: 'outlet', recipientId: 990001, state: 'delivered' }]));
    expect(screenRow).toBeTruthy();
    const r1 = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '更正了抽查结果中的一处企业名称。' } });
    expect(r1.statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
    r = await page('dzb-editor', '/admin/channels/outdated');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('“双随机”抽查结果');
    // Another department's editor does not see it.
    const other = await env.p.db.selectFrom('users as u').innerJoin('user_roles as g', 'g.user_id', 'u.id').select('u.username').where('g.role', '=', 'editor').where('g.department_id', '!=', s.dzb).orderBy('u.id').limit(1).executeTakeFirstOrThrow();
    const o = await page(other.username, '/admin/channels/outdated');
    expect(o.statusCode).toBe(200);
    expect(o.body).toContain('渠道版本过期报告');
    expect(o.body).not.toContain('“双随机”抽查结果');
    await env.drain(); // the corrections go out by e-mail
    const shown = await env.p.tx((t) => recordDeliveries(t, [{ itemId: id, version: 2, event: 'changed', kind: 'shown', channel: 'screen', recipientKind: 'outlet', recipientId: 990001, state: 'delivered' }]));
    expect(shown).toHaveLength(1);
    r = await page('dzb-editor', '/admin/channels/outdated');
    expect(r.body).not.toContain('“双随机”抽查结果');
    r = await page('dzb-editor', `/admin/catalog/${id}`);
    expect(r.body).toMatch(/电子邮件<\/th><td>\d+<\/td><td>v2<\/td><td>均为当前版本/);
    expect(r.body).toMatch(/电子显示屏<\/th><td>1<\/td><td>v2<\/td>/);
  });
});
