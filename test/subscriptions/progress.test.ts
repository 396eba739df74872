// Following an appeal's handling: only with its query code (a wrong one is a 400 naming `appeal`);
// after confirmation, each step the citizen sees (dispatch, reply…) reaches the follower at once by
// e-mail; staff-only steps (a note) do not; the tracking page offers the follow form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { submitAppeal } from '../../src/modules/appeals/service/intake.js';
import { dispatchAppeal } from '../../src/modules/appeals/service/workflow.js';
import { APPEAL } from '../appeals/util.js';
import { mailsTo, subEnv, subscribeApi, subscribeEmail, type SubEnv } from './helpers.js';

let s: SubEnv;
let env: TestEnv;
beforeAll(async () => {
  s = await subEnv();
  env = s.env;
});
afterAll(async () => s?.close());

describe("an appeal's progress", () => {
  it('needs the query code; then every public step arrives, staff notes do not', async () => {
    const a = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '友谊路路灯不亮' });
    const bad = await subscribeApi(s, { channel: 'email', address: 'follower@example.com', appeal: a.trackingNo, code: '0000000000' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['appeal']);
    const noCode = await subscribeApi(s, { channel: 'email', address: 'follower@example.com', appeal: a.trackingNo });
    expect(noCode.statusCode).toBe(400);
    await subscribeEmail(s, 'follower@example.com', { appeal: a.trackingNo, code: a.queryCode });
    await dispatchAppeal(env.p, 'system', a.id, { department: 'fgj', note: '内部备注：请尽快核实' });
    await env.drain();
    const got = mailsTo(s, 'follower@example.com').filter((m) => m.subject.includes(a.trackingNo));
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain('派单');
    expect(got[0]!.text).toContain(`/appeals/track?no=${a.trackingNo}`);
    expect(got[0]!.text).toContain('/subscriptions/manage/');
    expect(got[0]!.text).not.toContain('内部备注');
  });

  it("the tracking page offers the follow form (with the appeal's number and code)", async () => {
    const a = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '建设街积水' });
    const page = await env.app.inject({ method: 'POST', url: '/appeals/track', remoteAddress: '10.50.0.1', payload: { no: a.trackingNo, code: a.queryCode } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('关注办理进度');
    expect(page.body).toMatch(new RegExp(`name="appeal" value="${a.trackingNo}"`));
  });
});
