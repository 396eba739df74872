// Credit repair (信用修复, REGULATIONS.md §6): refused before the minimum period with the first
// possible day (一般 decided 2026-01-15: refused on 2026-04-14, "2026-04-15"; accepted that day;
// 严重 and a clamped month end likewise), refused for decisions not on display; one pending
// application a decision; bad input named; the review clock (5 wd, or the setting); approval ends
// the display early and tells the applicant by SMS and e-mail, rejection keeps it; reviewers see
// only their departments'; the status page with the tracking number and query code; the public
// form with its check step; an application closed when the display ends otherwise.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { multipart, PNG, publicForm } from '../appeals/util.js';
import { addWorkdays, ensureCalendar } from '../../src/platform/calendar/index.js';
import { putSetting } from '../../src/platform/settings/index.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';
import { SUBJECT_REPAIR } from '../../src/modules/enforcement/schema.js';
import { endDueDisplays } from '../../src/modules/enforcement/service/display.js';
import { audits, decision, item, mails, onDay, row, sms, STAFF, type Made } from './repair-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
  await ensureCalendar(env.p.db);
}, 120_000);
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => env?.close());

const COMMITMENT = '本公司已按处罚决定缴纳全部罚款并完成整改，承诺今后严格遵守产品质量法律法规，一年内不再发生同类违法行为，所提交材料真实有效。';
let client = 0;
/** Each call from its own address: the per-address budgets are not what these tests are about. */
const from = () => `10.9.${Math.floor(++client / 250)}.${(client % 250) + 1}`;
const inject = (method: 'GET' | 'POST', url: string, payload?: unknown) => env.app.inject({ method, url, remoteAddress: from(), ...(payload !== undefined ? { payload: payload as object } : {}) });

const body = (d: Made, extra: Record<string, unknown> = {}) => ({ docNo: d.docNo, creditCode: d.creditCode, applicant: '李明', phone: '13900001111', email: 'liming@example.cn', commitment: COMMITMENT, ...extra });
const apply = (b: Record<string, unknown>) => inject('POST', '/api/v1/credit-repairs', b);
const lookup = (no: string, code: string) => inject('POST', `/api/v1/credit-repairs/${no}/lookup`, { code });
const review = (id: number, as: string, b: Record<string, unknown>) => env.api('POST', `/api/v1/staff/credit-repairs/${id}/review`, { as, body: b });
const repairs = (decisionId: number) => env.p.db.selectFrom('enf_repairs').selectAll().where('decision_id', '=', decisionId).orderBy('id').execute();
const repairId = async (no: string) => (await env.p.db.selectFrom('enf_repairs').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;

describe('when an application is possible', () => {
  it('一般 decided 2026-01-15: refused on 2026-04-14 with the date 2026-04-15, accepted on 2026-04-15', async () => {
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    onDay('2026-04-14');
    const early = await apply(body(d));
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('该决定的最短公示期至2026-04-14届满，2026-04-15起可以申请信用修复。');
    expect(await repairs(d.id)).toHaveLength(0);
    onDay('2026-04-15');
    const ok = await apply(body(d));
    expect(ok.statusCode, ok.body).toBe(201);
    const s = ok.json();
    expect(s.trackingNo).toMatch(/^XF20260415\d{7}$/);
    expect(s.queryCode).toMatch(/^\d{10}$/);
    expect(s).toMatchObject({ status: 'pending', dueDate: addWorkdays('2026-04-15', 5).due, statusUrl: `/enforcement/credit-repair/track?no=${s.trackingNo}` });
  });

  it('严重 decided 2026-01-15: from 2027-01-15; 一般 decided 2026-11-30: from 2027-02-28 (the month end clamped)', async () => {
    const serious = await decision(env, { decisionDate: '2026-01-15', severity: 'serious' });
    onDay('2027-01-14');
    const early = await apply(body(serious));
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('2027-01-15起可以申请');
    onDay('2027-01-15');
    expect((await apply(body(serious))).statusCode).toBe(201);

    const clamped = await decision(env, { decisionDate: '2026-11-30', severity: 'ordinary' });
    onDay('2027-02-27');
    const e2 = await apply(body(clamped));
    expect(e2.statusCode).toBe(409);
    expect(e2.json().error.message).toContain('2027-02-28起可以申请');
    onDay('2027-02-28');
    expect((await apply(body(clamped))).statusCode).toBe(201);
  });

  it('refused for a minor penalty (not shown), a licensing decision and a display already ended', async () => {
    onDay('2027-06-01');
    const minor = await decision(env, { decisionDate: '2026-01-15', severity: 'minor' });
    const licensing = await decision(env, { decisionDate: '2026-01-15', kind: 'licensing' });
    const ended = await decision(env, { decisionDate: '2026-01-20', severity: 'ordinary' });
    expect(await endDueDisplays(env.p, '2027-01-20')).toBeGreaterThanOrEqual(1);
    const cases: [Made, string][] = [
      [minor, '该决定为轻微违法行为的行政处罚，依规定不予公示，无需申请信用修复。'],
      [licensing, '这是行政许可决定，不属于失信信息，无需申请信用修复。'],
      [ended, `该决定已于${new Date().toISOString().slice(0, 10)}停止公示（公示期满），无需申请信用修复。`],
    ];
    for (const [d, message] of cases) {
      const r = await apply(body(d));
      expect(r.statusCode, d.docNo).toBe(409);
      expect(r.json().error.message).toBe(message);
      expect(await repairs(d.id)).toHaveLength(0);
    }
    // In English too.
    const en = await env.app.inject({ method: 'POST', url: '/api/v1/credit-repairs', remoteAddress: from(), headers: { 'accept-language': 'en' }, payload: body(ended) });
    expect(en.json().error.message).toMatch(/^The display of this decision ended on \d{4}-\d{2}-\d{2} \(Display period over\)/);
  });
});

describe('the application', () => {
  it('names every bad field (400) and writes nothing', async () => {
    onDay('2026-05-01');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const cases: [Record<string, unknown>, string][] = [
      [{ commitment: '我承诺。' }, 'commitment'],
      [{ phone: '', email: '' }, 'phone'],
      [{ phone: '0411-1234567' }, 'phone'],
      [{ email: 'not-an-address' }, 'email'],
      [{ creditCode: '' }, 'creditCode'],
      [{ creditCode: '91210213MA0000001I' }, 'creditCode'],
      [{ creditCode: '', idNumber: '210213198001020000' }, 'idNumber'],
      [{ applicant: '' }, 'applicant'],
      [{ docNo: '' }, 'docNo'],
      [{ docNo: '示范新区市监罚〔2026〕99999号' }, 'docNo'],
      [{ creditCode: '91210213MA9999999X' }, 'docNo'],
      [{ extra: 'x' }, 'extra'],
      [{ evidence: [{ name: 'a.txt', content: Buffer.from('plain text').toString('base64') }] }, 'evidence.0'],
      [{ evidence: Array.from({ length: 6 }, () => ({ name: 'a.png', content: PNG.toString('base64') })) }, 'evidence'],
    ];
    for (const [extra, field] of cases) {
      const r = await apply(body(d, extra));
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(Object.keys(r.json().error.fields ?? {}), field).toContain(field);
    }
    expect(await repairs(d.id)).toHaveLength(0);
    // The number as people type it: other brackets and spaces still find the decision.
    const typed = d.docNo.replace('〔', '[').replace('〕', '] ');
    expect((await apply(body(d, { docNo: typed, creditCode: d.creditCode.toLowerCase() }))).statusCode).toBe(201);
  });

  it('one application under review a decision; after a refusal a new one is accepted', async () => {
    onDay('2026-05-06');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const first = await apply(body(d));
    expect(first.statusCode).toBe(201);
    const second = await apply(body(d, { applicant: '王芳', phone: '13900002222' }));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('正在审核');
    expect(await repairs(d.id)).toHaveLength(1);
    const id = await repairId(first.json().trackingNo);
    expect((await review(id, 'scjg-approver', { approve: false, note: '罚款尚未缴纳完毕' })).statusCode).toBe(200);
    expect((await apply(body(d))).statusCode).toBe(201);
    expect((await repairs(d.id)).map((r) => r.status)).toEqual(['rejected', 'pending']);
  });

  it("a natural person applies with the ID number the decision names (never shown), the name masked on the status", async () => {
    onDay('2026-05-08');
    const id = withIdCheckDigit('21021319800102123');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary', subjectType: 'natural', idNumber: id });
    const wrong = await apply(body(d, { creditCode: '', idNumber: withIdCheckDigit('21021319800102124') }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.docNo).toBeTruthy();
    const ok = await apply(body(d, { creditCode: '', idNumber: id, applicant: '张建国' }));
    expect(ok.statusCode, ok.body).toBe(201);
    const v = (await lookup(ok.json().trackingNo, ok.json().queryCode)).json();
    expect(v.decision.subjectName).toBe('张**');
    expect(v.applicant).toBe('张**');
    expect(JSON.stringify(v)).not.toContain(id);
  });

  it('runs the review clock credit.repair on the decision’s department: 5 working days, or the setting enforcement.repair_days', async () => {
    onDay('2026-05-11');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    await env.p.tx((t) => putSetting(t, 'enforcement.repair_days', '10'));
    try {
      const r = await apply(body(d));
      expect(r.json().dueDate).toBe(addWorkdays('2026-05-11', 10).due);
      const clock = await env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', SUBJECT_REPAIR).where('subject_id', '=', String(await repairId(r.json().trackingNo))).executeTakeFirstOrThrow();
      const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'scjg').executeTakeFirstOrThrow();
      expect(clock).toMatchObject({ rule_code: 'credit.repair', department_id: dept.id, state: 'running', due_date: addWorkdays('2026-05-11', 10).due });
    } finally {
      await env.p.tx((t) => putSetting(t, 'enforcement.repair_days', ''));
    }
  });
});

describe('the review', () => {
  it('approval ends the display at once, completes the clock, tells the applicant by SMS and e-mail, all audited', async () => {
    onDay('2026-05-12');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const a = await apply(body(d, { phone: '13900003333', email: 'approve@example.cn' }));
    const id = await repairId(a.json().trackingNo);
    await env.drain();
    expect(sms(env, '13900003333')).toEqual([`【信用修复】您对处罚决定${d.docNo}的信用修复申请已受理，受理编号${a.json().trackingNo}，审核期限至${a.json().dueDate}。`]);

    const r = await review(id, 'scjg-approver', { approve: true, note: '材料齐全' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'approved', reviewer: 'user:scjg-approver', reviewNote: '材料齐全', decision: { status: 'ended', endReason: 'repaired' } });
    expect(await row(env, d.id)).toMatchObject({ status: 'ended', end_reason: 'repaired' });
    expect(await item(env, d.itemId!)).toMatchObject({ public: 0, status: 'withdrawn' });
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', SUBJECT_REPAIR).where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(clock.state).toBe('completed');
    await env.drain();
    expect(sms(env, '13900003333')).toContain(`【信用修复】您的信用修复申请（受理编号${a.json().trackingNo}）准予修复，处罚决定${d.docNo}已停止公示。`);
    expect(mails(env, 'approve@example.cn').some((m) => m.includes('准予修复'))).toBe(true);
    expect((await audits(env, 'enforcement.repair.approve', id)).map((x) => x.actor)).toEqual(['user:scjg-approver']);
    expect((await audits(env, 'enforcement.decision.end', d.id)).map((x) => JSON.parse(x.details).endReason)).toEqual(['repaired']);
    expect(await audits(env, 'enforcement.repair.apply', id)).toHaveLength(1);
    // Decided once.
    const again = await review(id, 'scjg-approver', { approve: false, note: '重复审核' });
    expect(again.statusCode).toBe(409);
    // The status page says so.
    const v = (await lookup(a.json().trackingNo, a.json().queryCode)).json();
    expect(v).toMatchObject({ status: 'approved', decidedOn: '2026-05-12', decision: { status: 'ended', endReason: 'repaired' } });
  });

  it('rejection needs the reason, keeps the display and tells the applicant why', async () => {
    onDay('2026-05-13');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const a = await apply(body(d, { phone: '13900004444', email: '' }));
    const id = await repairId(a.json().trackingNo);
    const noReason = await review(id, 'scjg-approver', { approve: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.note).toBeTruthy();
    const r = await review(id, 'scjg-approver', { approve: false, note: '未提交罚款缴纳凭证' });
    expect(r.json()).toMatchObject({ status: 'rejected', decision: { status: 'published' } });
    expect((await row(env, d.id)).status).toBe('published');
    expect((await item(env, d.itemId!)).public).toBe(1);
    await env.drain();
    expect(sms(env, '13900004444')).toContain(`【信用修复】您的信用修复申请（受理编号${a.json().trackingNo}）不予修复，理由：未提交罚款缴纳凭证。可凭受理编号和查询码查询详情。`);
    expect(await audits(env, 'enforcement.repair.reject', id)).toHaveLength(1);
    expect(await audits(env, 'enforcement.decision.end', d.id)).toHaveLength(0);
  });

  it("reviewers see and decide only their departments' applications", async () => {
    onDay('2026-05-14');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const a = await apply(body(d));
    const id = await repairId(a.json().trackingNo);
    const list = async (as: string) => ((await env.api('GET', '/api/v1/staff/credit-repairs?pageSize=100', { as })).json().items as { id: number }[]).map((x) => x.id);
    expect(await list('scjg-approver')).toContain(id);
    expect(await list('fgj-approver')).not.toContain(id);
    expect((await env.api('GET', `/api/v1/staff/credit-repairs/${id}`, { as: 'fgj-approver' })).statusCode).toBe(404);
    expect((await review(id, 'fgj-approver', { approve: true })).statusCode).toBe(404);
    // An editor of the department does not review credit repair.
    expect((await review(id, 'scjg-editor', { approve: true })).statusCode).toBe(403);
    expect((await row(env, d.id)).status).toBe('published');
    const detail = (await env.api('GET', `/api/v1/staff/credit-repairs/${id}`, { as: 'scjg-approver' })).json();
    expect(detail).toMatchObject({ status: 'pending', phone: '13900001111', commitment: COMMITMENT, decision: { docNo: d.docNo } });
  });

  it('an application waiting when the display ends otherwise is closed and the applicant told', async () => {
    onDay('2026-05-15');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const a = await apply(body(d, { phone: '13900005555' }));
    const id = await repairId(a.json().trackingNo);
    const r = await env.api('POST', `/api/v1/staff/enforcement-decisions/${d.id}/end`, { as: 'scjg-approver', body: { reason: 'revoked', note: '本决定已被撤销', confirm: true } });
    expect(r.statusCode).toBe(200);
    const x = (await repairs(d.id))[0];
    expect(x).toMatchObject({ status: 'closed', review_note: '决定已撤销' });
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', SUBJECT_REPAIR).where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(clock.state).toBe('stopped');
    await env.drain();
    expect(sms(env, '13900005555').some((m) => m.includes('已终止：处罚决定'))).toBe(true);
    expect((await review(id, 'scjg-approver', { approve: true })).statusCode).toBe(409);
  });
});

describe('the applicant follows it with the tracking number and the query code', () => {
  it('a wrong code is the same 404 as a wrong number; the right one shows the state, contacts masked', async () => {
    onDay('2026-05-18');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const s = (await apply(body(d))).json();
    expect((await lookup(s.trackingNo, '0000000000')).statusCode).toBe(404);
    expect((await lookup('XF202605180000000', s.queryCode)).statusCode).toBe(404);
    const v = await lookup(s.trackingNo, s.queryCode);
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ trackingNo: s.trackingNo, status: 'pending', submittedOn: '2026-05-18', dueDate: s.dueDate, phone: '139****1111', applicant: '李*', evidence: 0, decision: { docNo: d.docNo, status: 'published', displayUntil: '2027-01-14' } });
    expect(v.json().email).not.toBe('liming@example.cn');
    // The HTML status page.
    const f = await publicForm(env.app, '/enforcement/credit-repair/track');
    const page = await env.app.inject({ method: 'POST', url: '/enforcement/credit-repair/track', remoteAddress: from(), headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, no: s.trackingNo, code: s.queryCode }) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('审核中');
    expect(page.body).toContain(d.docNo);
    expect(page.body).toContain('公示中，最长至2027-01-14');
    expect(page.body).not.toContain('13900001111');
  });
});

describe('the public form', () => {
  it('explains the rules, checks the answers with the decision found, files it once, and shows the number and code', async () => {
    const rules = await env.api('GET', '/enforcement/credit-repair');
    expect(rules.statusCode).toBe(200);
    for (const text of ['公示满3个月后可以申请', '公示满1年后可以申请', '信用修复承诺书', '5个工作日内审核']) expect(rules.body).toContain(text);

    onDay('2026-05-19');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const f = await publicForm(env.app, '/enforcement/credit-repair');
    const fields = { _csrf: f.csrf, docNo: d.docNo, creditCode: d.creditCode, applicant: '李明', phone: '13900006666', email: '', commitment: COMMITMENT };
    const post = (data: Record<string, string>, files = [{ name: 'evidence', filename: 'receipt.png', type: 'image/png', data: PNG }]) => {
      const mp = multipart(data, files);
      return env.app.inject({ method: 'POST', url: '/enforcement/credit-repair', remoteAddress: from(), headers: { cookie: f.cookie, 'content-type': mp.contentType }, payload: mp.body });
    };
    // A bad answer: the form again, the field named.
    const bad = await post({ ...fields, commitment: '我承诺' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('信用修复承诺书不少于20个字。');
    // The check page shows the decision found.
    const check = await post(fields);
    expect(check.statusCode, check.body.slice(0, 500)).toBe(200);
    expect(check.body).toContain('请核对您填写的信息');
    expect(check.body).toContain(d.docNo);
    expect(check.body).toContain('市场监督管理局');
    expect(check.body).toContain('1个文件');
    const hidden: Record<string, string> = {};
    const confirmForm = /<form[^>]*class="repair-confirm"[\s\S]*?<\/form>/.exec(check.body)![0];
    for (const m of confirmForm.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) hidden[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    expect(await repairs(d.id)).toHaveLength(0);
    const confirm = () => env.app.inject({ method: 'POST', url: '/enforcement/credit-repair/confirm', remoteAddress: from(), headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(hidden) });
    const done = await confirm();
    expect(done.statusCode).toBe(201);
    expect(done.body).toMatch(/XF20260519\d{7}/);
    expect(done.body).toMatch(/class="query-code">\d{10}</);
    // 确认提交 twice files it once.
    expect((await confirm()).statusCode).toBe(409);
    const filed = await repairs(d.id);
    expect(filed).toHaveLength(1);
    expect(JSON.parse(filed[0].evidence)).toEqual([expect.objectContaining({ name: 'receipt.png', mime: 'image/png' })]);

    // Too early through the form: the date from which it is possible.
    onDay('2026-02-01');
    const early = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const tooEarly = await post({ ...fields, docNo: early.docNo, creditCode: early.creditCode }, []);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.body).toContain('2026-04-15起可以申请信用修复');
  });
});

describe('the console', () => {
  it('lists applications with due dates and states; the review page shows the commitment and the evidence (staff only)', async () => {
    onDay('2026-05-20');
    const d = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const a = await apply(body(d, { evidence: [{ name: '缴款凭证.png', content: PNG.toString('base64') }] }));
    expect(a.statusCode, a.body).toBe(201);
    const id = await repairId(a.json().trackingNo);
    const s = await login(env.app, 'scjg-approver');
    const list = await env.app.inject({ url: '/admin/enforcement/repairs?status=pending', headers: { cookie: s.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(a.json().trackingNo);
    expect(list.body).toContain(a.json().dueDate);
    expect(list.body).toContain('审核中');
    const page = await env.app.inject({ url: `/admin/enforcement/repairs/${id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain(COMMITMENT);
    expect(page.body).toContain('缴款凭证.png');
    expect(page.body).toContain('准予修复');
    const file = await env.app.inject({ url: `/admin/enforcement/repairs/${id}/evidence/1`, headers: { cookie: s.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toBe('private, no-store');
    expect((await env.app.inject({ url: `/admin/enforcement/repairs/${id}/evidence/1` })).statusCode).not.toBe(200);
    const other = await login(env.app, 'fgj-approver');
    expect((await env.app.inject({ url: `/admin/enforcement/repairs/${id}/evidence/1`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/admin/enforcement/repairs', headers: { cookie: other.cookie } })).body).not.toContain(a.json().trackingNo);

    // Approve through the page: without the confirmation nothing happens.
    const post = (data: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/enforcement/repairs/${id}/review`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), ...data }) });
    expect((await post({ decision: 'approve', note: '' })).statusCode).toBe(400);
    expect((await row(env, d.id)).status).toBe('published');
    const ok = await post({ decision: 'approve', note: '', confirm: 'yes' });
    expect(ok.statusCode).toBe(303);
    expect((await row(env, d.id)).end_reason).toBe('repaired');
    const after = await env.app.inject({ url: ok.headers.location as string, headers: { cookie: s.cookie } });
    expect(after.body).toContain('已准予修复，决定已停止公示，已通知申请人。');
  });
});
