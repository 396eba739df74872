// Cancelling a hearing: a public reason, the notice revised through the spine, everyone who
// registered told once by SMS or e-mail, registration and attendance closed; refused once held,
// without a reason, to another department, and on the console without the confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { sinkMessages } from '../../src/platform/channels/index.js';
import { announce, apply, insertDecision } from './hearings-util.js';

let env: TestEnv;
let decisionId: number;
beforeAll(async () => {
  env = await makeEnv();
  decisionId = await insertDecision(env, 'fgj', '示范新区背街小巷整治提升方案');
}, 120_000);
afterAll(async () => env?.close());

const cancel = (hid: number, body: Record<string, unknown>, as = 'fgj-editor') => env.api('POST', `/api/v1/hearings/${hid}/cancel`, { as, body });

describe('cancelling a hearing', () => {
  it('revises the notice, tells every registrant once, closes registration; refused without a reason, to another department, and twice', async () => {
    const hid = await announce(env, decisionId);
    await apply(env, hid, 'for', '赵一');
    await apply(env, hid, 'against', '钱二');
    const att = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/attendance`, remoteAddress: '10.9.0.1', payload: { name: '孙三', email: 'sun3@example.org' } });
    expect(att.statusCode).toBe(201);

    const noReason = await cancel(hid, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toHaveProperty('reason');
    expect((await cancel(hid, { reason: '因故取消' }, 'scjg-editor')).statusCode).toBe(404);

    const smsBefore = sinkMessages(env.p, 'sms').length;
    const mailBefore = sinkMessages(env.p, 'email').length;
    const r = await cancel(hid, { reason: '决策草案需根据专家论证意见作重大修改，本次听证会取消，修改后另行公告。' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().notified).toBe(3);
    // Messages leave through the outbox: the two applicants by SMS, the attendee by e-mail.
    await env.drain();
    // (Texts of subscriptions — the revised notice reaches the demo's subscribers — are not counted: their ids are ledger rows.)
    const sms = sinkMessages(env.p, 'sms')
      .slice(smsBefore)
      .filter((m) => !(m.id ?? '').startsWith('gk-d'));
    expect(sms).toHaveLength(2);
    expect(sms[0].text).toContain('已取消');
    expect(sms[0].text).toContain('专家论证意见');
    // The link in the message is a full address a phone can open.
    expect(sms[0].text).toContain(`${env.config.publicUrl.replace(/\/$/, '')}/decisions/hearings/${hid}`);
    expect(mailBefore).toBeGreaterThanOrEqual(0);

    const h = await env.p.db.selectFrom('dec_hearings').selectAll().where('id', '=', hid).executeTakeFirstOrThrow();
    expect(h.state).toBe('cancelled');
    // The public page and the notice (a new version of the spine item) say so, with the reason.
    const page = await env.app.inject({ url: `/decisions/hearings/${hid}` });
    expect(page.body).toContain('本次听证会已于');
    expect(page.body).toContain('决策草案需根据专家论证意见作重大修改');
    const notice = await env.app.inject({ url: `/catalog/items/${h.item_id}` });
    expect(notice.body).toContain('决策草案需根据专家论证意见作重大修改');
    const versions = await env.p.db.selectFrom('pub_versions').select('version').where('item_id', '=', h.item_id!).execute();
    expect(versions.length).toBe(2);
    // Registration and attendance are closed.
    const late = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/applicants`, remoteAddress: '10.9.0.2', payload: { name: '李四', phone: '13900001234', viewpoint: 'other', reason: '想参加' } });
    expect(late.statusCode).toBe(409);
    const lateAtt = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/attendance`, remoteAddress: '10.9.0.3', payload: { name: '周五', phone: '13900005678' } });
    expect(lateAtt.statusCode).toBe(409);
    // Not twice.
    expect((await cancel(hid, { reason: '再次取消' })).statusCode).toBe(409);
  });

  it('the console asks for the confirmation first', async () => {
    const hid = await announce(env, decisionId);
    const s = await login(env.app, 'fgj-editor');
    const page = await env.app.inject({ url: `/admin/hearings/${hid}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('取消听证会');
    const post = (form: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/hearings/${hid}/cancel`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrf, ...form }).toString() });
    const unconfirmed = await post({ reason: '场地原因' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('请勾选确认');
    expect((await env.p.db.selectFrom('dec_hearings').select('state').where('id', '=', hid).executeTakeFirstOrThrow()).state).toBe('announced');
    const ok = await post({ reason: '场地原因，另行公告', confirm: 'yes' });
    expect(ok.statusCode).toBe(303);
    const after = await env.app.inject({ url: String(ok.headers.location), headers: { cookie: s.cookie } });
    expect(after.body).toContain('听证会已取消');
    expect((await env.p.db.selectFrom('dec_hearings').select('state').where('id', '=', hid).executeTakeFirstOrThrow()).state).toBe('cancelled');
  });
});
