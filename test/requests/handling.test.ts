// Disclosure requests, handling: the one correction (a second refused, a late one refused, the
// reply clock restarting from the corrected request, the scan closing an uncorrected one), the one
// extension (a second refused, more than 20 working days refused, approval checked against the
// request's department), consultations pausing the clock across the National Day holiday, and a
// complaint referred to the appeals centre (Art. 39) — or, without the appeals module, recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { ensureCalendar, todayShanghai, addWorkdays } from '../../src/platform/calendar/index.js';
import { scanRequests } from '../../src/modules/requests/service/scan.js';
import { register, statusPage, step } from './util.js';
import { demoOrg } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const row = (id: number) => env.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const clocks = (id: number) => env.p.db.selectFrom('clocks').select(['rule_code', 'state', 'start_date', 'due_date', 'stop_reason']).where('subject_type', '=', 'disclosure-request').where('subject_id', '=', String(id)).orderBy('id').execute();
const detail = async (id: number, as = 'gkb-requests') => (await env.api('GET', `/api/v1/staff/disclosure-requests/${id}`, { as })).json();

describe('correction (补正, Art. 30)', () => {
  it('one notice within 7 working days of receipt; the reply clock stops, and restarts from the day the corrected request arrives', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    // 7 working days after 2026-09-21, the Mid-Autumn and National Day holidays skipped: 2026-10-08.
    const late = await step(env, 'gkb-requests', r.id, 'correction', { items: ['请写明项目地址'], on: '2026-10-09' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('最迟为2026-10-08');
    const none = await step(env, 'gkb-requests', r.id, 'correction', { items: ['  '], on: '2026-09-24' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('items');
    const ok = await step(env, 'gkb-requests', r.id, 'correction', { items: ['请写明项目地址', '请写明文件名称或文号'], on: '2026-09-24', due: '2026-10-20' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ state: 'awaiting-correction', receivedOn: '2026-09-21', dueDate: null });
    expect(await clocks(r.id)).toEqual([expect.objectContaining({ rule_code: 'request.reply', state: 'stopped', start_date: '2026-09-21' })]);
    // A second notice is refused with a clear message, whatever the state.
    const second = await step(env, 'gkb-requests', r.id, 'correction', { items: ['再补正一项'], on: '2026-09-25' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toBe('已于2026-09-24发出过补正告知。依《条例》第三十条，补正告知只能一次性发出。');
    // Not after the deadline; on it, the new clock starts that day: 20 working days from 2026-10-09.
    expect((await step(env, 'gkb-requests', r.id, 'corrected', { on: '2026-10-21' })).statusCode).toBe(409);
    const back = await step(env, 'gkb-requests', r.id, 'corrected', { on: '2026-10-09' });
    expect(back.json()).toEqual({ state: 'handling', receivedOn: '2026-09-21', dueDate: '2026-11-05' });
    const cs = await clocks(r.id);
    expect(cs.map((c) => [c.state, c.start_date, c.due_date])).toEqual([
      ['stopped', '2026-09-21', '2026-10-26'],
      ['running', '2026-10-09', '2026-11-05'],
    ]);
    expect(cs[0].stop_reason).toContain('补正');
    // Still one notice only, after the correction too.
    expect((await step(env, 'gkb-requests', r.id, 'correction', { items: ['x'] })).statusCode).toBe(409);
    const d = await detail(r.id);
    expect(d.due).toMatchObject({ due: '2026-11-05', start: '2026-10-09', afterCorrection: true, restarted: { start: '2026-09-21' } });
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('请写明项目地址');
    expect(page.body).toContain('自2026-10-09（收到补正后的申请之日）起重新计算');
    expect(page.body).toContain('依《条例》第三十条自收到补正后的申请之日重新计算');
  });

  it('no correction by the deadline: the scan closes it as 申请人无正当理由逾期不补正 and tells the requester; a correction in time is left alone', async () => {
    const a = await register(env, 'gkb-requests', { arrivedOn: '2026-10-12', contactPhone: '13911112222', contactEmail: '', channelWanted: 'post' });
    const b = await register(env, 'gkb-requests', { arrivedOn: '2026-10-12' });
    for (const r of [a, b]) expect((await step(env, 'gkb-requests', r.id, 'correction', { items: ['请写明所需信息的名称'], on: '2026-10-13', due: '2026-10-27' })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', b.id, 'corrected', { on: '2026-10-27' })).statusCode).toBe(200);
    // On the deadline itself nothing closes; the day after, the uncorrected one does.
    await scanRequests(env.p, '2026-10-27');
    expect((await row(a.id)).state).toBe('awaiting-correction');
    const n = await scanRequests(env.p, '2026-10-28');
    expect(n.corrections).toBeGreaterThanOrEqual(1);
    expect(await row(a.id)).toMatchObject({ state: 'closed', outcome: 'other.no-correction', closed_on: '2026-10-28' });
    expect((await row(b.id)).state).toBe('handling');
    await env.drain();
    const sms = readdirSync(join(env.dataDir, 'outbox-sms')).map((f) => JSON.parse(readFileSync(join(env.dataDir, 'outbox-sms', f), 'utf8')));
    expect(sms.filter((m) => m.to === '13911112222').map((m) => m.text)).toContainEqual(expect.stringContaining('视为放弃申请，本机关不再处理'));
    const page = await statusPage(env.app, a.trackingNo, a.queryCode);
    expect(page.body).toContain('其他处理 · 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请');
  });
});

describe('extension (延期, Art. 33)', () => {
  it('at most 20 working days; the office head of the same department approves; once; the requester is told the reason', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    const tooLong = await step(env, 'gkb-requests', r.id, 'extension', { workdays: 21, reason: '档案需调阅' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields).toEqual({ workdays: '延期不能超过20个工作日。' });
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 15, reason: '所需信息涉及多个年度的档案，需调档核对。' })).statusCode).toBe(200);
    // A second ask while the first waits is refused.
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 5, reason: '再延期' })).statusCode).toBe(409);
    // The handler may not approve; another department's approver gets 403; so does the supervisor.
    for (const who of ['gkb-requests', 'fgj-approver', 'supervisor']) {
      const res = await step(env, who, r.id, 'extension-decision', { approve: true });
      expect([403, 404], who).toContain(res.statusCode);
    }
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: true })).statusCode).toBe(404);
    const before = (await row(r.id)).due_date!;
    const ok = await step(env, 'gkb-approver', r.id, 'extension-decision', { approve: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().dueDate).toBe(addWorkdays(before, 15).due);
    const again = await step(env, 'gkb-requests', r.id, 'extension', { workdays: 5, reason: '再延期' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('只能延期一次');
    const d = await detail(r.id);
    expect(d.due.extensions).toEqual([{ workdays: 15, reason: '所需信息涉及多个年度的档案，需调档核对。' }]);
    expect(d.events.find((e: any) => e.kind === 'extension-approved')).toMatchObject({ public: true, data: { workdays: 15, approver: '政务公开办负责人', notice: ['sms', 'email'] } });
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('经机关负责人同意延期15个工作日，理由：所需信息涉及多个年度的档案，需调档核对。');
    const mails = existsSync(join(env.dataDir, 'outbox-mail')) ? readdirSync(join(env.dataDir, 'outbox-mail')).length : 0;
    await env.drain();
    expect(readdirSync(join(env.dataDir, 'outbox-mail')).length).toBeGreaterThan(mails);
  });

  it('a refused ask needs a reason and may be asked again; the approver is not the asker', async () => {
    const r = await register(env, 'fgj-editor', { agency: 'fgj', arrivedOn: todayShanghai() });
    expect((await step(env, 'fgj-editor', r.id, 'extension', { workdays: 10, reason: '需协调档案馆' })).statusCode).toBe(200);
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: false })).json().error.fields).toHaveProperty('note');
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: false, note: '请先自行调阅' })).statusCode).toBe(200);
    expect((await step(env, 'fgj-editor', r.id, 'extension', { workdays: 10, reason: '档案馆回复需两周' })).statusCode).toBe(200);
    // The government office's approver has no say over 发改局's request.
    expect((await step(env, 'gkb-approver', r.id, 'extension-decision', { approve: true })).statusCode).toBe(404);
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: true })).statusCode).toBe(200);
  });

  it('staff record the days the ask and the decision happened; not before receipt, not before the ask, not in the future', async () => {
    const r = await register(env, 'fgj-editor', { agency: 'fgj', arrivedOn: '2026-09-21' });
    const early = await step(env, 'fgj-editor', r.id, 'extension', { workdays: 5, reason: '需调档', on: '2026-09-18' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields).toHaveProperty('on');
    expect((await step(env, 'fgj-editor', r.id, 'extension', { workdays: 5, reason: '需调档', on: '2026-10-12' })).statusCode).toBe(200);
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: true, on: '2026-10-09' })).json().error.fields).toHaveProperty('on');
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: true, on: '2099-01-01' })).statusCode).toBe(400);
    expect((await step(env, 'fgj-approver', r.id, 'extension-decision', { approve: true, on: '2026-10-13' })).statusCode).toBe(200);
    const events = (await detail(r.id, 'fgj-editor')).events.filter((e: { kind: string }) => e.kind.startsWith('extension'));
    expect(events.map((e: { kind: string; on: string }) => [e.kind, e.on])).toEqual([
      ['extension-asked', '2026-10-12'],
      ['extension-approved', '2026-10-13'],
    ]);
  });
});

describe('consultations (Art. 32, 34) pause the reply clock', () => {
  it('across the National Day holiday: the paused working days move the due date by exactly them, and the explanation shows the pause', async () => {
    // Received 2026-09-21: due 2026-10-26 (中秋 09-25..27 and 国庆 10-01..07 skipped, 10-10 a make-up working day).
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect(r.dueDate).toBe('2026-10-26');
    const open = await step(env, 'gkb-requests', r.id, 'consult', { kind: 'third-party', party: '大连海程科技有限公司', on: '2026-09-28' });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().state).toBe('consulting');
    const c = (await detail(r.id)).consultations[0];
    // The third party's 15 working days from 2026-09-28: 2026-10-23.
    expect(c).toMatchObject({ kind: 'third-party', askedOn: '2026-09-28', dueDate: '2026-10-23', answeredOn: null });
    const ans = await env.api('POST', `/api/v1/staff/disclosure-requests/${r.id}/consultations/${c.id}/answer`, { as: 'gkb-requests', body: { answer: 'objection', on: '2026-10-12' } });
    expect(ans.statusCode, ans.body).toBe(200);
    // Paused 09-28 < d ≤ 10-12: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up day), 10-12 = 6 working days.
    expect(ans.json()).toEqual({ state: 'handling', receivedOn: '2026-09-21', dueDate: '2026-11-03' });
    const d = await detail(r.id);
    expect(d.due.pauses).toEqual([{ kind: 'consultation', from: '2026-09-28', to: '2026-10-12', workdays: 6 }]);
    expect(d.due.holidays).toEqual(expect.arrayContaining([{ name: '国庆节', days: 7, from: '2026-10-01', to: '2026-10-07' }]));
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('征求意见：2026-09-28至2026-10-12，其间6个工作日不计入。');
    // The third party is not named to the requester.
    expect(page.body).not.toContain('海程科技');
  });

  it('two consultations overlap: the clock resumes when the last ends; an unanswered one ends on its due date (the scan)', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect((await step(env, 'gkb-requests', r.id, 'consult', { kind: 'agency', party: '市发展和改革委员会', on: '2026-09-22' })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'consult', { kind: 'third-party', party: '举报人', on: '2026-09-24' })).statusCode).toBe(200);
    const [agency, third] = (await detail(r.id)).consultations;
    expect(agency.dueDate).toBe(addWorkdays('2026-09-22', 15).due);
    const a1 = await env.api('POST', `/api/v1/staff/disclosure-requests/${r.id}/consultations/${third.id}/answer`, { as: 'gkb-requests', body: { answer: 'consent', on: '2026-09-30' } });
    expect(a1.json().state).toBe('consulting');
    // The agency stays silent (Art. 34: consent): the scan ends it on its due date and the clock resumes there.
    await scanRequests(env.p, addWorkdays(agency.dueDate, 1).due);
    const d = await detail(r.id);
    expect(d.state).toBe('handling');
    expect(d.consultations[0]).toMatchObject({ answeredOn: agency.dueDate, answer: 'no-reply' });
    expect(d.due.pauses).toEqual([expect.objectContaining({ from: '2026-09-22', to: agency.dueDate })]);
    expect(d.dueDate).toBe(addWorkdays('2026-09-21', 20, { pauses: [{ from: '2026-09-22', to: agency.dueDate, kind: 'consultation' }] }).due);
    expect(d.events.map((e: any) => e.kind)).toContain('consultation-expired');
  });
});

describe('a complaint filed as a request (Art. 39)', () => {
  it('is closed as 不予处理/信访举报投诉类申请 and becomes an appeal of the centre; the requester gets its number and code', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai(), infoName: '举报幸福路工地夜间施工', infoDescription: '幸福路工地每天晚上11点后仍在施工，请依法查处。', contactPhone: '13922223333' });
    expect((await step(env, 'gkb-requests', r.id, 'refer', { note: '噪声投诉' })).json()).toMatchObject({ state: 'closed', dueDate: null });
    expect(await row(r.id)).toMatchObject({ outcome: 'not-processed.complaint', closed_on: todayShanghai() });
    expect((await clocks(r.id)).map((c) => c.state)).toEqual(['stopped']);
    // Once: a closed request is not referred again.
    expect((await step(env, 'gkb-requests', r.id, 'refer', {})).statusCode).toBe(409);
    await env.drain();
    const no = (await row(r.id)).referral_no!;
    expect(no).toMatch(/^SQ\d{15}$/);
    const appeal = await env.p.db.selectFrom('appeals').selectAll().where('tracking_no', '=', no).executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ type: 'complaint', channel: 'referral', status: 'received', contact_phone: '13922223333', title: '举报幸福路工地夜间施工' });
    expect(appeal.content).toContain(r.trackingNo);
    const sms = readdirSync(join(env.dataDir, 'outbox-sms')).map((f) => JSON.parse(readFileSync(join(env.dataDir, 'outbox-sms', f), 'utf8'))).filter((m) => m.to === '13922223333');
    expect(sms.map((m) => m.text).join()).toMatch(new RegExp(`已转市民诉求服务中心办理：受理编号${no}，查询码\\d{10}`));
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('不予处理 · 1.信访举报投诉类申请');
    expect(page.body).toContain(`href="/appeals/track?no=${no}"`);
  });

  it('a request not yet received cannot be referred; another department cannot refer it', async () => {
    const r = await register(env, 'gkb-requests', { channel: 'fax', arrivedOn: todayShanghai() });
    expect((await step(env, 'gkb-requests', r.id, 'refer', {})).statusCode).toBe(409);
    expect((await step(env, 'fgj-editor', r.id, 'refer', {})).statusCode).toBe(404);
  });

  it('without the appeals module the referral is recorded and the requester told where to go', async () => {
    const bare = await makeEnv({ demo: false, modules: MODULES.filter((m) => m.name !== 'appeals'), env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
    try {
      await demoOrg(bare.p, { users: ['gkb-requests'] });
      await ensureCalendar(bare.p.db);
      const r = await register(bare, 'gkb-requests', { arrivedOn: todayShanghai(), contactPhone: '13933334444' });
      const res = await step(bare, 'gkb-requests', r.id, 'refer', {});
      expect(res.json().state).toBe('closed');
      await bare.drain();
      const rr = await bare.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(rr).toMatchObject({ outcome: 'not-processed.complaint', referral_no: null });
      const sms = readdirSync(join(bare.dataDir, 'outbox-sms')).map((f) => JSON.parse(readFileSync(join(bare.dataDir, 'outbox-sms', f), 'utf8')));
      expect(sms.filter((m) => m.to === '13933334444').map((m) => m.text)).toContainEqual(expect.stringContaining('请通过信访、12345政务服务便民热线等渠道提出'));
      expect((await bare.app.inject({ url: '/appeals' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
