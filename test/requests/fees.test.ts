// Disclosure requests, processing fees (信息处理费, Art. 42, 国办函〔2020〕109号): every band edge of
// both methods computed through the real step, the ordinal across a month boundary and across
// requesters, the reply clock paused across the National Day holiday by exactly the unpaid working
// days, payment after the pay-by date refused, a lapsed fee closing the request as 三（六）2, odd
// input and another department's staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { form, login, makeEnv, type TestEnv } from '../helpers.js';
import { addWorkdays, ensureCalendar, plusDays, todayShanghai } from '../../src/platform/calendar/index.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';
import { putSetting } from '../../src/platform/settings/index.js';
import { scanRequests } from '../../src/modules/requests/service/scan.js';
import { feeByCount, feeByPages } from '../../src/modules/requests/service/fees.js';
import { register, statusPage, step } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

/** A requester of their own (resident ID built from `n`), so that ordinals are the test's. */
const person = (n: number) => ({ idKind: 'resident-id', idNumber: withIdCheckDigit(`21021319800102${String(n).padStart(3, "0")}`) });
const row = (id: number) => env.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const detail = async (id: number, as = 'gkb-requests') => (await env.api('GET', `/api/v1/staff/disclosure-requests/${id}`, { as })).json();
const sms = (to: string) =>
  readdirSync(join(env.dataDir, 'outbox-sms'))
    .map((f) => JSON.parse(readFileSync(join(env.dataDir, 'outbox-sms', f), 'utf8')))
    .filter((m) => m.to === to)
    .map((m) => m.text as string);

describe('by count (按件计收): the ordinal among the requester’s requests of the calendar month', () => {
  it('every band edge — 10/11, 30/31, 40/41, 50/51 — through the fee notice', async () => {
    const who = person(1);
    const ids: number[] = [];
    for (let i = 0; i < 51; i++) ids.push((await register(env, 'gkb-requests', { ...who, arrivedOn: '2026-11-02' })).id);
    // Ordinal n is the n-th registered (same receipt date: by id).
    const expected: [number, number][] = [
      [11, 10000],
      [30, 10000],
      [31, 20000],
      [40, 20000],
      [41, 30000],
      [50, 30000],
      [51, 40000],
    ];
    const free = await step(env, 'gkb-requests', ids[9], 'fee-notice', { method: 'count', on: '2026-11-03' });
    expect(free.statusCode).toBe(409);
    expect(free.json().error.message).toBe('本申请不收费：这是申请人本月第10件申请，每月10件以内（含10件）不收费。');
    expect((await row(ids[9])).state).toBe('handling');
    for (const [n, fen] of expected) {
      const res = await step(env, 'gkb-requests', ids[n - 1], 'fee-notice', { method: 'count', on: '2026-11-03' });
      expect(res.statusCode, `${n}: ${res.body}`).toBe(200);
      expect(res.json().state).toBe('awaiting-fee');
      const f = (await detail(ids[n - 1])).fees;
      expect(f, `ordinal ${n}`).toEqual([expect.objectContaining({ method: 'count', ordinal: n, pages: null, amountFen: fen, status: 'unpaid', noticeOn: '2026-11-03', payBy: addWorkdays('2026-11-03', 20).due })]);
    }
    // The notice tells the band: the 41st is in 第41–50件 at 300元 each.
    const d = await detail(ids[40]);
    expect(d.fees[0].bands).toEqual([{ from: 41, to: 50, units: 1, unitFen: 30000, amountFen: 30000 }]);
    const s = await login(env.app, 'gkb-requests');
    const page = await env.app.inject({ url: `/admin/disclosure-requests/${ids[40]}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('本月第41件');
    expect(page.body).toContain('第41–50件每件300元');
    expect(page.body).toContain('300元');
  }, 120_000);

  it('counts per calendar month (by receipt date, then id), per requester and per agency', async () => {
    const b = person(2);
    const c = person(3);
    // Registered first but received later in October: its ordinal comes after the ten of 10-29.
    const late = await register(env, 'gkb-requests', { ...b, arrivedOn: '2026-10-30' });
    for (let i = 0; i < 5; i++) await register(env, 'gkb-requests', { ...c, arrivedOn: '2026-10-28' });
    for (let i = 0; i < 10; i++) await register(env, 'gkb-requests', { ...b, arrivedOn: '2026-10-29' });
    const november = await register(env, 'gkb-requests', { ...b, arrivedOn: '2026-11-02' });
    const other = await register(env, 'gkb-requests', { ...c, arrivedOn: '2026-10-30' });
    // Requests the same requester made to another agency (发改局) that month are that agency's to count.
    for (let i = 0; i < 3; i++) await register(env, 'fgj-editor', { ...b, agency: 'fgj', arrivedOn: '2026-10-27' });
    // The 11th of October: 100元.
    expect((await step(env, 'gkb-requests', late.id, 'fee-notice', { method: 'count', on: '2026-11-02' })).statusCode).toBe(200);
    expect((await detail(late.id)).fees[0]).toMatchObject({ ordinal: 11, amountFen: 10000 });
    // The first of November: free again.
    const nov = await step(env, 'gkb-requests', november.id, 'fee-notice', { method: 'count', on: '2026-11-03' });
    expect(nov.statusCode).toBe(409);
    expect(nov.json().error.message).toContain('本月第1件申请');
    // The other requester's sixth of October: theirs alone are counted.
    const oth = await step(env, 'gkb-requests', other.id, 'fee-notice', { method: 'count', on: '2026-11-02' });
    expect(oth.statusCode).toBe(409);
    expect(oth.json().error.message).toContain('本月第6件申请');
  }, 60_000);
});

describe('by pages (按量计收), marginal bands', () => {
  it('every band edge — 30/31, 100/101, 200/201 — through the fee notice; a withdrawn notice lets the office send another', async () => {
    const r = await register(env, 'gkb-requests', { ...person(4), arrivedOn: todayShanghai() });
    const free = await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 30 });
    expect(free.statusCode).toBe(409);
    expect(free.json().error.message).toBe('本申请不收费：共30页，30页以内（含30页）不收费。');
    const expected: [number, number][] = [
      [31, 1000],
      [100, 70000],
      [101, 72000],
      [150, 170000], // 70×10 + 50×20
      [200, 270000],
      [201, 274000],
    ];
    for (const [pages, fen] of expected) {
      const res = await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages });
      expect(res.statusCode, `${pages}: ${res.body}`).toBe(200);
      const f = (await detail(r.id)).fees.at(-1);
      expect(f, `${pages} pages`).toMatchObject({ method: 'pages', pages, ordinal: null, amountFen: fen, status: 'unpaid' });
      if (pages === 150) {
        expect(f.bands).toEqual([
          { from: 1, to: 30, units: 30, unitFen: 0, amountFen: 0 },
          { from: 31, to: 100, units: 70, unitFen: 1000, amountFen: 70000 },
          { from: 101, to: 150, units: 50, unitFen: 2000, amountFen: 100000 },
        ]);
        const s = await login(env.app, 'gkb-requests');
        const page = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
        expect(page.body).toContain('第1–30页不收费；第31–100页：70页×10元＝700元；第101–150页：50页×20元＝1000元');
        expect(page.body).toContain('1700元');
      }
      const w = await step(env, 'gkb-requests', r.id, 'fee-withdraw', { reason: '页数核对有误，重新计算' });
      expect(w.statusCode, w.body).toBe(200);
      expect(w.json().state).toBe('handling');
    }
    const fees = (await detail(r.id)).fees;
    expect(fees.map((f: any) => f.status)).toEqual(expected.map(() => 'withdrawn'));
    // The pure functions agree with the step (the band from 201 ends at the last page).
    expect(feeByPages(201).bands.at(-1)).toEqual({ from: 201, to: 201, units: 1, unitFen: 4000, amountFen: 4000 });
    expect([10, 11, 30, 31, 40, 41, 50, 51].map((n) => feeByCount(n).amountFen / 100)).toEqual([0, 100, 100, 200, 200, 300, 300, 400]);
  }, 60_000);
});

describe('the reply clock while a fee waits', () => {
  it('pauses from the notice to the payment across the National Day holiday: the due date moves by exactly the unpaid working days', async () => {
    const phone = '13944445555';
    const r = await register(env, 'gkb-requests', { ...person(5), arrivedOn: '2026-09-21', contactPhone: phone });
    expect(r.dueDate).toBe('2026-10-26');
    const n = await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 120, on: '2026-09-29', how: '到政务服务中心3号窗口缴纳' });
    expect(n.statusCode, n.body).toBe(200);
    // 20 working days from 2026-09-29, 国庆 2026-10-01..07 skipped and 10-10 a make-up working day.
    const payBy = addWorkdays('2026-09-29', 20).due;
    expect(payBy).toBe('2026-11-02');
    expect((await detail(r.id)).fees[0]).toMatchObject({ amountFen: 110000, payBy, status: 'unpaid' });
    // While it waits the office does not consult or refer, and the request is not overdue.
    expect((await step(env, 'gkb-requests', r.id, 'consult', { kind: 'agency', party: '市财政局' })).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', r.id, 'refer', {})).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 50 })).statusCode).toBe(409);
    const waiting = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(waiting.body).toContain('待缴费');
    expect(waiting.body).toContain('请于2026-11-02前缴纳信息处理费1100元。缴费方式：到政务服务中心3号窗口缴纳。');
    expect(waiting.body).not.toContain('已超过答复期限');
    // Paid on 2026-10-09: paused 09-29 < d ≤ 10-09 → 09-30, 10-08, 10-09 = 3 working days.
    expect((await step(env, 'gkb-requests', r.id, 'fee-paid', { on: '2026-09-28' })).json().error.fields).toHaveProperty('on');
    const paid = await step(env, 'gkb-requests', r.id, 'fee-paid', { on: '2026-10-09' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toEqual({ state: 'handling', receivedOn: '2026-09-21', dueDate: '2026-10-29' });
    const d = await detail(r.id);
    expect(d.due.pauses).toEqual([{ kind: 'fee', from: '2026-09-29', to: '2026-10-09', workdays: 3 }]);
    expect(d.fees[0]).toMatchObject({ status: 'paid', paidOn: '2026-10-09' });
    // Paid once: no second notice.
    const again = await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 300 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('一件申请只收取一次信息处理费');
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('待缴纳信息处理费：2026-09-29至2026-10-09，其间3个工作日不计入。');
    expect(page.body).toContain('已于2026-10-09缴纳');
    expect(page.body).toContain('已缴纳信息处理费1100元，恢复计算答复期限，答复期限至2026-10-29。');
    const look = (await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: r.queryCode } })).json();
    expect(look.fees).toEqual([{ method: 'pages', amountFen: 110000, noticeOn: '2026-09-29', payBy, paidOn: '2026-10-09', status: 'paid', how: '到政务服务中心3号窗口缴纳' }]);
    await env.drain();
    const texts = sms(phone);
    expect(texts).toContainEqual(expect.stringContaining('需缴纳信息处理费1100元（按量计收：第1–30页不收费；第31–100页：70页×10元＝700元；第101–120页：20页×20元＝400元）。请于2026-11-02前缴纳'));
    expect(texts).toContainEqual(expect.stringContaining('本机关将于2026-10-29前答复'));
  });

  it('payment after the pay-by date is refused; the scan closes the request as 三（六）2 the day after it', async () => {
    const phone = '13955556666';
    const r = await register(env, 'gkb-requests', { ...person(6), arrivedOn: '2026-10-12', contactPhone: phone });
    // The office sets 10 working days to pay.
    await env.p.tx((t) => putSetting(t, 'requests.fee_days', '10'));
    try {
      expect((await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 40, on: '2026-10-13' })).statusCode).toBe(200);
    } finally {
      await env.p.tx((t) => putSetting(t, 'requests.fee_days', '20'));
    }
    const payBy = addWorkdays('2026-10-13', 10).due;
    expect(payBy).toBe('2026-10-27');
    const late = await step(env, 'gkb-requests', r.id, 'fee-paid', { on: '2026-10-28' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('缴费期限已于2026-10-27届满');
    expect((await row(r.id)).state).toBe('awaiting-fee');
    // On the pay-by date nothing happens; the day after, it lapses.
    await scanRequests(env.p, '2026-10-27');
    expect((await row(r.id)).state).toBe('awaiting-fee');
    const n = await scanRequests(env.p, '2026-10-29');
    expect(n.fees).toBeGreaterThanOrEqual(1);
    expect(await row(r.id)).toMatchObject({ state: 'closed', outcome: 'other.fee-unpaid', closed_on: plusDays(payBy, 1), due_date: null });
    const d = await detail(r.id);
    expect(d.fees[0]).toMatchObject({ status: 'lapsed', paidOn: null });
    expect(d.due.state).toBe('stopped');
    // Closed: nothing more to pay or withdraw.
    expect((await step(env, 'gkb-requests', r.id, 'fee-paid', { on: '2026-10-27' })).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', r.id, 'fee-withdraw', { reason: 'x' })).statusCode).toBe(409);
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('其他处理 · 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请');
    expect(page.body).toContain('逾期未缴费');
    await env.drain();
    expect(sms(phone)).toContainEqual(expect.stringContaining('未在2026-10-27前缴纳信息处理费100元，视为放弃申请'));
  });
});

describe('the demo', () => {
  it('has a fee by pages awaiting payment and one paid, made through the steps', async () => {
    const rows = await env.p.db.selectFrom('request_fees as f').innerJoin('disclosure_requests as r', 'r.id', 'f.request_id').select(['r.state', 'r.info_name', 'f.status', 'f.amount_fen', 'f.pages']).where('r.info_name', 'in', ['2020—2025年示范新区全部建设工程规划许可证及附图', '2024年全区重点项目投资计划执行情况表']).orderBy('f.id').execute();
    expect(rows.map((x) => [x.state, x.status, x.pages, x.amount_fen])).toEqual([
      ['awaiting-fee', 'unpaid', 160, 190000],
      ['handling', 'paid', 85, 55000],
    ]);
  });
});

describe('odd input and other departments: a 4xx, nothing written', () => {
  it('refuses bad pages, a wrong method, a missing reason and steps in the wrong state', async () => {
    const r = await register(env, 'gkb-requests', { ...person(7), arrivedOn: todayShanghai() });
    const cases: [Record<string, unknown>, string][] = [
      [{ method: 'pages', pages: 0 }, 'pages'],
      [{ method: 'pages', pages: -5 }, 'pages'],
      [{ method: 'pages', pages: 100001 }, 'pages'],
      [{ method: 'pages', pages: 1e12 }, 'pages'],
      [{ method: 'pages', pages: 2.5 }, 'pages'],
      [{ method: 'pages' }, 'pages'],
      [{ method: 'count', pages: 40 }, 'pages'],
      [{ method: 'weight', pages: 40 }, 'method'],
      [{}, 'method'],
      [{ method: 'pages', pages: 40, on: '2099-01-01' }, 'on'],
    ];
    for (const [body, field] of cases) {
      const res = await step(env, 'gkb-requests', r.id, 'fee-notice', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    // Paying or withdrawing with no notice: 409.
    expect((await step(env, 'gkb-requests', r.id, 'fee-paid', {})).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', r.id, 'fee-withdraw', { reason: '无' })).statusCode).toBe(409);
    expect(await env.p.db.selectFrom('request_fees').select('id').where('request_id', '=', r.id).execute()).toEqual([]);
    expect((await row(r.id)).state).toBe('handling');
    // The console's form: text pages, errors named on the page.
    const s = await login(env.app, 'gkb-requests');
    const post = await env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/fee-notice`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, method: 'pages', pages: '-3', how: '', on: todayShanghai() }) });
    expect(post.statusCode).toBe(400);
    expect(post.body).toContain('页数须为1至100000之间的整数。');
    const ok = await env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/fee-notice`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, method: 'pages', pages: '45', how: '', on: todayShanghai() }) });
    expect(ok.statusCode).toBe(303);
    // The withdrawal needs its reason.
    const noReason = await step(env, 'gkb-requests', r.id, 'fee-withdraw', { reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toHaveProperty('reason');
    const page = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('150元');
    expect(page.body).toContain('请持收费通知到受理机关缴纳');
    expect(page.body).toContain('s-fee-paid');
  });

  it("another department's staff cannot send, record or withdraw a fee (404/403), and nothing changes", async () => {
    const r = await register(env, 'gkb-requests', { ...person(8), arrivedOn: todayShanghai() });
    for (const as of ['fgj-editor', 'dzb-editor', 'supervisor']) {
      const res = await step(env, as, r.id, 'fee-notice', { method: 'pages', pages: 80 });
      expect([403, 404], as).toContain(res.statusCode);
    }
    expect((await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 80 })).statusCode).toBe(200);
    for (const as of ['fgj-editor', 'dzb-editor', 'supervisor']) {
      for (const [a, b] of [['fee-paid', {}], ['fee-withdraw', { reason: '误发' }]] as const) {
        const res = await step(env, as, r.id, a, b);
        expect([403, 404], `${as} ${a}`).toContain(res.statusCode);
      }
    }
    const fees = await env.p.db.selectFrom('request_fees').select(['status']).where('request_id', '=', r.id).execute();
    expect(fees).toEqual([{ status: 'unpaid' }]);
    expect((await row(r.id)).state).toBe('awaiting-fee');
  });
});
