// The centre's review of department replies (待中心审核, setting appeals.reply_review, default on):
// the citizen sees a reply only once a centre reviewer approved it, and may only rate then; a
// returned reply goes back to the department with the opinion; the department's clock is paused
// while the centre reviews. Also who does what: a handler for every department the dispatch
// catalogue names, and pages that say why a step is not offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, form, type TestEnv } from '../helpers.js';
import { APPEAL } from './util.js';
import { saveSettings } from '../../src/modules/appeals/service.js';
import { REVIEW_PAUSE } from '../../src/modules/appeals/service/review.js';
import { DEMO_CATEGORIES, DEMO_RULES } from '../../src/modules/appeals/demo.js';
import { APPEAL_HANDLER_DEPARTMENTS } from '../../src/modules/org/demo.js';
import { holders } from '../../src/platform/auth/identity.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

const act = (as: string, id: number, action: string, body: Record<string, unknown> = {}) => env.api('POST', `/api/v1/staff/appeals/${id}/${action}`, { as, body });

async function submitted(extra: Record<string, unknown> = {}) {
  const r = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, ...extra } });
  expect(r.statusCode).toBe(201);
  const { trackingNo: no, queryCode: code } = r.json();
  const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
  const citizen = async () => (await env.api('GET', `/api/v1/appeals/${no}?code=${code}`)).json();
  return { no, code, id, citizen };
}

async function clock(id: number) {
  const c = await env.p.db.selectFrom('clocks').select(['id', 'state']).where('subject_type', '=', 'appeal').where('subject_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const pauses = await env.p.db.selectFrom('clock_pauses').select(['reason', 'to_date']).where('clock_id', '=', c.id).orderBy('id').execute();
  return { state: c.state, pauses };
}

async function page(as: string, url: string) {
  const s = await login(env.app, as);
  const r = await env.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  expect(r.statusCode).toBe(200);
  return r.body;
}

describe('the centre reviews a reply before the citizen sees it (default on)', () => {
  it('reply → 待中心审核 (hidden, not ratable, clock paused) → returned with an opinion → replied again → approved → the citizen sees it and rates', async () => {
    const a = await submitted();
    expect((await act('sqzx-editor', a.id, 'dispatch', { department: 'sthj' })).statusCode).toBe(204);
    expect((await act('sthj-handler', a.id, 'reply', { reply: '已到现场查看，工地夜间已停工。', resolved: true })).statusCode).toBe(204);

    // The citizen sees neither the reply nor a rating form; a rating is refused.
    let v = await a.citizen();
    expect(v).toMatchObject({ status: 'reply_review', reply: null, canRate: false });
    expect(v.history.map((h: any) => h.action)).toEqual(['receive', 'dispatch']);
    expect((await env.api('POST', `/api/v1/appeals/${a.no}/rating`, { body: { code: a.code, rating: 'satisfied' } })).statusCode).toBe(409);
    const track = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${a.no}.json` });
    expect(track.body).not.toContain('夜间已停工');
    // The department's clock is paused while the centre reviews.
    expect(await clock(a.id)).toEqual({ state: 'paused', pauses: [{ reason: REVIEW_PAUSE, to_date: null }] });

    // The department and the reviewers see the draft; the department is told who reviews.
    const dept = await page('sthj-handler', `/admin/appeals/${a.id}`);
    expect(dept).toContain('待中心审核');
    expect(dept).toContain('已到现场查看，工地夜间已停工。');
    expect(dept).toContain('须经诉求中心审核后才发给诉求人');
    expect(dept).toContain('诉求中心答复审核员（sqzx-approver）');
    expect(dept).not.toContain('a-reply-review');
    // The history names people, not accounts' codes.
    expect(dept).toContain('答复送中心审核 · 生态环境分局诉求承办人');
    expect(dept).not.toContain('user:');
    expect(await page('sqzx-approver', `/admin/appeals/${a.id}`)).toContain('a-reply-review');

    // Returning needs an opinion (400 naming the field, nothing changed) …
    const bare = await act('sqzx-approver', a.id, 'reply-review', { approve: false, note: ' ' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.fields.note).toBe('退回答复时请写明审核意见。');
    expect((await a.citizen()).status).toBe('reply_review');
    // … and sends the reply back: the clock runs again, the department reads the opinion, the form keeps its text.
    expect((await act('sqzx-approver', a.id, 'reply-review', { approve: false, note: '请写明停工的依据和后续监管措施。' })).statusCode).toBe(204);
    expect((await a.citizen()).status).toBe('dispatched');
    expect((await clock(a.id)).state).toBe('running');
    const back = await page('sthj-handler', `/admin/appeals/${a.id}`);
    expect(back).toContain('诉求中心的审核意见：请写明停工的依据和后续监管措施。');
    expect(back).toMatch(/<textarea[^>]*name="reply"[^>]*>已到现场查看，工地夜间已停工。<\/textarea>/);

    // The department replies again; the centre approves: the citizen sees the reply and rates.
    const text = '经查，该工地未办理夜间施工许可，已责令停止夜间施工，城管执法部门每晚巡查。';
    expect((await act('sthj-handler', a.id, 'reply', { reply: text, resolved: true })).statusCode).toBe(204);
    expect((await a.citizen()).reply).toBeNull();
    expect((await act('sqzx-approver', a.id, 'reply-review', { approve: true })).statusCode).toBe(204);
    v = await a.citizen();
    expect(v).toMatchObject({ status: 'replied', reply: text, canRate: true, resolved: true });
    expect(v.history.map((h: any) => h.action)).toEqual(['receive', 'dispatch', 'reply']);
    const c = await clock(a.id);
    expect(c.state).toBe('completed');
    expect(c.pauses.map((p) => p.reason)).toEqual([REVIEW_PAUSE, REVIEW_PAUSE]);
    expect(c.pauses.every((p) => p.to_date !== null)).toBe(true);
    expect((await env.api('POST', `/api/v1/appeals/${a.no}/rating`, { body: { code: a.code, rating: 'satisfied' } })).statusCode).toBe(204);
    expect((await a.citizen()).status).toBe('closed');
    // A decided reply cannot be reviewed again.
    expect((await act('sqzx-approver', a.id, 'reply-review', { approve: true })).statusCode).toBe(409);
    const staff = (await env.api('GET', `/api/v1/staff/appeals/${a.id}`, { as: 'sqzx-editor' })).json();
    expect(staff.history.map((h: any) => h.action)).toEqual(expect.arrayContaining(['reply_submit', 'reply_return', 'reply_approve', 'reply', 'rate']));
  });

  it('only the centre reviews, and nobody reviews their own reply', async () => {
    const a = await submitted();
    await act('sqzx-editor', a.id, 'dispatch', { department: 'fgj' });
    await act('fgj-handler', a.id, 'reply', { reply: '请关注官网通知。', resolved: true });
    for (const u of ['fgj-handler', 'fgj-approver', 'operator', 'jtj-handler']) {
      const r = await act(u, a.id, 'reply-review', { approve: true });
      expect([403, 404], u).toContain(r.statusCode);
    }
    expect((await a.citizen()).status).toBe('reply_review');
    // The centre answering an appeal it leads itself: its own reply needs another reviewer.
    const b = await submitted();
    await act('sqzx-editor', b.id, 'dispatch', { department: 'sqzx' });
    expect((await act('sqzx-editor', b.id, 'reply', { reply: '已电话答复来电人。', resolved: true })).statusCode).toBe(204);
    const own = await act('sqzx-editor', b.id, 'reply-review', { approve: true });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toBe('不能审核自己写的答复。');
    expect(await page('sqzx-editor', `/admin/appeals/${b.id}`)).toContain('这份答复是您写的');
    expect((await act('sqzx-approver', b.id, 'reply-review', { approve: true })).statusCode).toBe(204);
    expect((await b.citizen()).status).toBe('replied');
  });

  it('a merged duplicate gets the reply only when the centre approves it', async () => {
    const main = await submitted({ title: '学府街路灯不亮' });
    const dup = await submitted({ title: '学府街路灯坏了' });
    await act('sqzx-editor', main.id, 'dispatch', { department: 'zjj' });
    expect((await act('sqzx-editor', dup.id, 'merge', { into: main.no })).statusCode).toBe(204);
    await act('zjj-handler', main.id, 'reply', { reply: '路灯已修复。', resolved: true });
    expect((await dup.citizen()).reply).toBeNull();
    // A reply under review cannot be merged away either.
    const other = await submitted();
    expect((await act('sqzx-editor', main.id, 'merge', { into: other.no })).statusCode).toBe(409);
    await act('sqzx-approver', main.id, 'reply-review', { approve: true });
    expect(await dup.citizen()).toMatchObject({ status: 'merged', reply: '路灯已修复。' });
  });
});

describe('a returned reply', () => {
  it("stays with its department: re-dispatched elsewhere, the new department starts without it", async () => {
    const a = await submitted();
    await act('sqzx-editor', a.id, 'dispatch', { department: 'jyj' });
    await act('jyj-handler', a.id, 'reply', { reply: '教育局的答复草稿。', resolved: false });
    await act('sqzx-approver', a.id, 'reply-review', { approve: false, note: '不属教育局职责，将改派。' });
    expect((await env.api('GET', `/api/v1/staff/appeals/${a.id}`, { as: 'jyj-handler' })).json().replyDraft).toMatchObject({ text: '教育局的答复草稿。', returnOpinion: '不属教育局职责，将改派。' });
    expect((await act('sqzx-editor', a.id, 'redispatch', { department: 'mzj', reason: '属民政局职责' })).statusCode).toBe(204);
    const mzj = (await env.api('GET', `/api/v1/staff/appeals/${a.id}`, { as: 'mzj-handler' })).json();
    expect(mzj.replyDraft).toBeNull();
    expect(mzj.can.reply).toBe(true);
  });
});

describe('the setting', () => {
  it('centre approvers switch the review off on the catalogue page: replies then reach the citizen at once', async () => {
    const s = await login(env.app, 'sqzx-approver');
    const cat = await env.app.inject({ method: 'GET', url: '/admin/appeals/catalogue', headers: { cookie: s.cookie } });
    expect(cat.body).toMatch(/<input type="checkbox" name="replyReview" value="1" checked/);
    const off = await env.app.inject({ method: 'POST', url: '/admin/appeals/settings', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, reopenLimit: '1', reopenDays: '15' }) });
    expect(off.statusCode).toBe(303);
    const a = await submitted();
    await act('sqzx-editor', a.id, 'dispatch', { department: 'mzj' });
    await act('mzj-handler', a.id, 'reply', { reply: '社区已上门了解情况。', resolved: true });
    expect(await a.citizen()).toMatchObject({ status: 'replied', reply: '社区已上门了解情况。', canRate: true });
    expect((await clock(a.id)).state).toBe('completed');
    // A bad value is refused naming the field; the stored one stays.
    await expect(saveSettings(env.p, 'system', { reopenLimit: 1, reopenDays: 15, replyReview: 'no' as any })).rejects.toMatchObject({ status: 400, fields: { replyReview: 'appeals.err.setting' } });
    const on = await env.app.inject({ method: 'POST', url: '/admin/appeals/settings', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, reopenLimit: '1', reopenDays: '15', replyReview: '1' }) });
    expect(on.statusCode).toBe(303);
    const b = await submitted();
    await act('sqzx-editor', b.id, 'dispatch', { department: 'mzj' });
    await act('mzj-handler', b.id, 'reply', { reply: '已安排。', resolved: true });
    expect((await b.citizen()).status).toBe('reply_review');
  });
});

describe('who does what', () => {
  it('every department the dispatch catalogue and rules name has someone to answer its appeals', async () => {
    const named = new Set([...DEMO_CATEGORIES.map((c) => c[4]), ...DEMO_RULES.map((r) => r[2])]);
    expect(new Set(APPEAL_HANDLER_DEPARTMENTS)).toEqual(named);
    for (const code of named) {
      const d = await env.p.db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      const who = (await holders(env.p.db, 'appeal.handle', d.id)).map((h) => h.username);
      expect(who, code).toContain(`${code}-handler`);
    }
  });

  it('the work list says what each role does and who dispatches', async () => {
    const op = await page('operator', '/admin/appeals');
    expect(op).toContain('电话受理：登记来电人的诉求');
    expect(op).toContain('派单需要诉求中心派单员，您的账号不能派单。可以派单的有：诉求中心派单员（sqzx-editor）。');
    const dispatcher = await page('sqzx-editor', '/admin/appeals');
    expect(dispatcher).toContain('派单：把诉求派给承办部门');
    expect(dispatcher).not.toContain('您的账号不能派单');
    expect(await page('jtj-handler', '/admin/appeals')).toContain('答复：办理派给交通运输局的诉求');
    expect(await page('sqzx-approver', '/admin')).toContain('审核：审核部门答复（待中心审核）');
  });

  it('an appeal page says why dispatching or answering is not offered, and marks departments nobody answers for', async () => {
    const a = await submitted();
    const op = await page('operator', `/admin/appeals/${a.id}`);
    expect(op).not.toContain('a-dispatch');
    expect(op).toContain('这件诉求待派单。派单需要诉求中心派单员：诉求中心派单员（sqzx-editor）。');
    const centre = await page('sqzx-editor', `/admin/appeals/${a.id}`);
    expect(centre).toContain('统计局（无诉求承办人）');
    expect(centre).not.toContain('交通运输局（无诉求承办人）');
    await act('sqzx-editor', a.id, 'dispatch', { department: 'tjj' });
    expect(await page('sqzx-editor', `/admin/appeals/${a.id}`)).toContain('承办部门“统计局”还没有能答复诉求的人员');
    await act('sqzx-editor', a.id, 'redispatch', { department: 'jtj', reason: '属交通局职责' });
    expect(await page('supervisor', `/admin/appeals/${a.id}`)).toContain('答复由承办部门“交通运输局”的诉求承办人办理：交通局诉求承办人（jtj-handler）。');
  });
});
