// Withdrawing (终止) a decision: by an approver of its department, with a public reason; refused
// while a consultation is open or a hearing announced, once published or withdrawn; the public
// timeline shows it; nothing moves afterwards; the console asks for a confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { newDecision, stage } from './stages-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

const withdraw = (id: number, body: Record<string, unknown>, as = 'fgj-approver') => env.api('POST', `/api/v1/major-decisions/${id}/withdraw`, { as, body });

describe('withdrawing a decision', () => {
  it('needs an approver of the department and a reason, waits for an open consultation, then shows publicly and stops the stages', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj', { title: '关于建设示范新区第二垃圾转运站的决定' });
    expect((await withdraw(d.id, { reason: '选址调整' }, 'fgj-editor')).statusCode).toBe(403);
    expect((await withdraw(d.id, { reason: '选址调整' }, 'scjg-approver')).statusCode).toBe(404);
    const none = await withdraw(d.id, { reason: '   ' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('reason');
    // An open consultation first has to close.
    const now = new Date().toISOString();
    const c = await env.p.db
      .insertInto('dec_consultations')
      .values({ decision_id: d.id, department_id: d.departmentId, title: '征求意见', explanation: '说明', state: 'open', opens_at: now, closes_at: new Date(Date.now() + 40 * 86_400_000).toISOString(), short_reason: '', item_id: null, clock_id: null, report_state: 'none', report_item_id: null, report_summary: '', report_by: null, created_by: 'test', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const blocked = await withdraw(d.id, { reason: '选址调整' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toContain('先结束征求意见');
    await env.p.db.updateTable('dec_consultations').set({ state: 'closed' }).where('id', '=', c.id).execute();

    const ok = await withdraw(d.id, { reason: '经论证，垃圾转运站选址调整至其他片区，本决策事项终止。' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'withdrawn', withdrawReason: '经论证，垃圾转运站选址调整至其他片区，本决策事项终止。' });
    const page = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(page.body).toContain('已于');
    expect(page.body).toContain('选址调整至其他片区');
    // Nothing moves afterwards, and it is not withdrawn twice.
    expect((await stage(env, 'fgj-editor', d.id, 'drafting', { action: 'finish' })).statusCode).toBe(409);
    expect((await withdraw(d.id, { reason: '再次' })).statusCode).toBe(409);
  });

  it('the console asks for the confirmation', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj', { title: '关于调整示范新区公交票价的决定' });
    const s = await login(env.app, 'fgj-approver');
    const page = await env.app.inject({ url: `/admin/decisions/${d.id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('终止决策事项');
    const post = (form: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/decisions/${d.id}/withdraw`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrf, ...form }).toString() });
    expect((await post({ reason: '政策调整' })).statusCode).toBe(400);
    const done = await post({ reason: '政策调整，暂不实施', confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    const after = await env.app.inject({ url: String(done.headers.location), headers: { cookie: s.cookie } });
    expect(after.body).toContain('决策事项已终止');
  });
});
