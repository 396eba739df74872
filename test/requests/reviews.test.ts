// 行政复议 and 行政诉讼 of disclosure requests (Table 四): recording a case, its outcome, correcting a
// mistaken entry (the old values audited) and deleting one made in error; a suit after review
// only after a decided review; the dates; who may (request.litigation in the request's
// department); odd input named by field; the pending filter, the dashboard and the console panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, login, makeEnv, type TestEnv } from '../helpers.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { register } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const base = (id: number) => `/api/v1/staff/disclosure-requests/${id}/reviews`;
const add = (as: string, id: number, body: Record<string, unknown>) => env.api('POST', base(id), { as, body });
const list = async (id: number, as = 'gkb-requests') => (await env.api('GET', base(id), { as })).json().items as any[];
const audits = (id: number, action: string) => env.p.db.selectFrom('audit_events').select(['action', 'details']).where('entity', '=', 'disclosure_request').where('entity_id', '=', String(id)).where('action', '=', action).execute();
const events = (id: number) => env.p.db.selectFrom('request_events').select(['kind', 'public', 'on_date', 'note']).where('request_id', '=', id).where('kind', 'like', 'review-%').orderBy('id').execute();
const REVIEW = { kind: 'review', body: '示范新区人民政府', caseNo: '示政复〔2026〕7号', filedOn: '2026-04-10' };

describe('recording a case and its outcome', () => {
  it('adds, decides, corrects and deletes; each step an internal event and an audit entry (the old values kept)', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const a = await add('gkb-requests', r.id, { ...REVIEW, note: '申请人对答复不服' });
    expect(a.statusCode, a.body).toBe(201);
    const v = a.json();
    expect(v).toMatchObject({ kind: 'review', body: '示范新区人民政府', caseNo: '示政复〔2026〕7号', filedOn: '2026-04-10', outcome: null, decidedOn: null, priorReview: null });
    // A second case on the same request (several allowed).
    expect((await add('gkb-requests', r.id, { kind: 'suit-direct', body: '示范新区人民法院', filedOn: '2026-04-20' })).statusCode).toBe(201);
    expect((await list(r.id)).map((x) => [x.kind, x.outcome])).toEqual([
      ['review', null],
      ['suit-direct', null],
    ]);

    const dec = await env.api('POST', `${base(r.id)}/${v.id}/decision`, { as: 'gkb-requests', body: { outcome: 'maintained', decidedOn: '2026-06-05' } });
    expect(dec.statusCode, dec.body).toBe(200);
    expect(dec.json()).toMatchObject({ outcome: 'maintained', decidedOn: '2026-06-05' });
    // Decided once: a second decision is refused (a correction changes it).
    const again = await env.api('POST', `${base(r.id)}/${v.id}/decision`, { as: 'gkb-requests', body: { outcome: 'corrected', decidedOn: '2026-06-06' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('2026-06-05');

    // Correction: a reason is required; the old values go to the audit.
    const noReason = await env.api('PATCH', `${base(r.id)}/${v.id}`, { as: 'gkb-requests', body: { outcome: 'corrected' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toHaveProperty('reason');
    const same = await env.api('PATCH', `${base(r.id)}/${v.id}`, { as: 'gkb-requests', body: { body: '示范新区人民政府', reason: '核对' } });
    expect(same.statusCode).toBe(400);
    const cor = await env.api('PATCH', `${base(r.id)}/${v.id}`, { as: 'gkb-requests', body: { outcome: 'corrected', caseNo: '示政复〔2026〕8号', reason: '复议决定书载明撤销原答复，登记有误' } });
    expect(cor.statusCode, cor.body).toBe(200);
    expect(cor.json()).toMatchObject({ outcome: 'corrected', decidedOn: '2026-06-05', caseNo: '示政复〔2026〕8号', body: '示范新区人民政府' });
    const [audit] = await audits(r.id, 'request.review_correct');
    expect(JSON.parse(audit.details)).toEqual({ review: v.id, reason: '复议决定书载明撤销原答复，登记有误', before: { caseNo: '示政复〔2026〕7号', result: 'maintained' }, after: { caseNo: '示政复〔2026〕8号', result: 'corrected' } });
    // Back to pending (a decision recorded by mistake): the decided date goes with it.
    const undo = await env.api('PATCH', `${base(r.id)}/${v.id}`, { as: 'gkb-requests', body: { outcome: null, reason: '复议尚未作出决定' } });
    expect(undo.json()).toMatchObject({ outcome: null, decidedOn: null });

    // Delete: confirmed and with a reason.
    const suit = (await list(r.id))[1];
    const unconfirmed = await env.api('DELETE', `${base(r.id)}/${suit.id}`, { as: 'gkb-requests', body: { reason: '误登记', confirm: false } });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.fields).toHaveProperty('confirm');
    const del = await env.api('DELETE', `${base(r.id)}/${suit.id}`, { as: 'gkb-requests', body: { reason: '系另一申请的诉讼，误登记', confirm: true } });
    expect(del.statusCode, del.body).toBe(204);
    expect((await list(r.id)).map((x) => x.id)).toEqual([v.id]);
    const [gone] = await audits(r.id, 'request.review_delete');
    expect(JSON.parse(gone.details)).toMatchObject({ review: suit.id, reason: '系另一申请的诉讼，误登记', entry: { kind: 'suit-direct', body: '示范新区人民法院', filedOn: '2026-04-20', result: null } });
    expect((await env.api('DELETE', `${base(r.id)}/${suit.id}`, { as: 'gkb-requests', body: { reason: 'x', confirm: true } })).statusCode).toBe(404);

    // The timeline: every step, internal (the requester does not see them on the status page).
    const ev = await events(r.id);
    expect(ev.map((e) => e.kind)).toEqual(['review-filed', 'review-filed', 'review-decided', 'review-corrected', 'review-corrected', 'review-deleted']);
    expect(ev.every((e) => e.public === 0)).toBe(true);
    expect(ev[2].on_date).toBe('2026-06-05');
    const lookup = (await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: r.queryCode } })).json();
    expect(lookup.events.map((e: any) => e.kind)).not.toContain('review-filed');
  });

  it('a suit after review names a decided review of the same request, and is filed on or after its decision', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const other = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const suit = { kind: 'suit-after-review', body: '示范新区人民法院', filedOn: '2026-07-01' };
    // No review at all: the field is named.
    const none = await add('gkb-requests', r.id, suit);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('priorReview');
    const rv = (await add('gkb-requests', r.id, REVIEW)).json();
    // The review is pending: refused.
    const pending = await add('gkb-requests', r.id, { ...suit, priorReview: rv.id });
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.fields).toHaveProperty('priorReview');
    // Another request's review is not this one's.
    const otherRv = (await add('gkb-requests', other.id, REVIEW)).json();
    await env.api('POST', `${base(other.id)}/${otherRv.id}/decision`, { as: 'gkb-requests', body: { outcome: 'other', decidedOn: '2026-05-01' } });
    expect((await add('gkb-requests', r.id, { ...suit, priorReview: otherRv.id })).statusCode).toBe(400);
    // Decided on 2026-06-05: a suit filed before that day is refused, on it accepted.
    await env.api('POST', `${base(r.id)}/${rv.id}/decision`, { as: 'gkb-requests', body: { outcome: 'maintained', decidedOn: '2026-06-05' } });
    const early = await add('gkb-requests', r.id, { ...suit, priorReview: rv.id, filedOn: '2026-06-04' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields).toEqual({ filedOn: '日期不能早于2026-06-05。' });
    const ok = await add('gkb-requests', r.id, { ...suit, priorReview: rv.id, filedOn: '2026-06-05' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().priorReview).toBe(rv.id);
    // Only a suit after review names one.
    expect((await add('gkb-requests', r.id, { ...REVIEW, priorReview: rv.id })).json().error.fields).toHaveProperty('priorReview');
    // The review it follows stays a decided review and is not deleted.
    const undo = await env.api('PATCH', `${base(r.id)}/${rv.id}`, { as: 'gkb-requests', body: { outcome: null, reason: '误' } });
    expect(undo.statusCode).toBe(409);
    const later = await env.api('PATCH', `${base(r.id)}/${rv.id}`, { as: 'gkb-requests', body: { decidedOn: '2026-06-10', reason: '日期有误' } });
    expect(later.statusCode).toBe(400);
    expect(later.json().error.fields).toHaveProperty('decidedOn');
    expect((await env.api('DELETE', `${base(r.id)}/${rv.id}`, { as: 'gkb-requests', body: { reason: '误', confirm: true } })).statusCode).toBe(409);
    expect((await list(r.id)).map((x) => x.outcome)).toEqual(['maintained', null]);
  });

  it('checks the dates: filed not in the future nor before the request arrived; decided not before filing nor in the future', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const tomorrow = new Date(Date.parse(`${todayShanghai()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const [filedOn, msg] of [
      [tomorrow, '日期不能晚于今天。'],
      ['2026-03-01', '日期不能早于2026-03-02。'],
      ['2026-02-30', undefined],
    ] as const) {
      const res = await add('gkb-requests', r.id, { ...REVIEW, filedOn });
      expect(res.statusCode, filedOn).toBe(400);
      expect(res.json().error.fields, filedOn).toHaveProperty('filedOn');
      if (msg) expect(res.json().error.fields.filedOn).toBe(msg);
    }
    // On the day it arrived, and today: accepted.
    expect((await add('gkb-requests', r.id, { ...REVIEW, filedOn: '2026-03-02' })).statusCode).toBe(201);
    const v = (await add('gkb-requests', r.id, { ...REVIEW, filedOn: todayShanghai() })).json();
    const dec = (decidedOn: string) => env.api('POST', `${base(r.id)}/${v.id}/decision`, { as: 'gkb-requests', body: { outcome: 'other', decidedOn } });
    expect((await dec(tomorrow)).json().error.fields).toEqual({ decidedOn: '日期不能晚于今天。' });
    expect((await dec('2026-03-03')).json().error.fields).toEqual({ decidedOn: `日期不能早于${todayShanghai()}。` });
    expect((await dec(todayShanghai())).statusCode).toBe(200);
  });

  it('a request not yet received has none', async () => {
    const r = await register(env, 'gkb-requests', { channel: 'fax', arrivedOn: '2026-03-02' });
    const res = await add('gkb-requests', r.id, REVIEW);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('尚未确认收到');
    expect(await list(r.id)).toEqual([]);
  });
});

describe('who may, and odd input', () => {
  it("checks request.litigation against the request's department: another department's editor 404, a reviewer 403", async () => {
    const r = await register(env, 'fgj-editor', { agency: 'fgj', arrivedOn: '2026-03-02' });
    // 政务公开办's and 党政办's editors hold request.litigation at home, not in 发改局: the request is not theirs to see.
    for (const as of ['gkb-requests', 'dzb-editor']) {
      expect((await add(as, r.id, REVIEW)).statusCode, as).toBe(404);
      expect((await env.api('GET', base(r.id), { as })).statusCode, as).toBe(404);
    }
    // 发改局's reviewer sees the request and its cases, but may not record one.
    const denied = await add('fgj-reviewer', r.id, REVIEW);
    expect(denied.statusCode).toBe(403);
    const v = (await add('fgj-editor', r.id, REVIEW)).json();
    expect((await env.api('GET', base(r.id), { as: 'fgj-reviewer' })).json().items).toHaveLength(1);
    for (const [m, url, body] of [
      ['POST', `${base(r.id)}/${v.id}/decision`, { outcome: 'maintained', decidedOn: '2026-05-01' }],
      ['PATCH', `${base(r.id)}/${v.id}`, { body: 'x', reason: 'x' }],
      ['DELETE', `${base(r.id)}/${v.id}`, { reason: 'x', confirm: true }],
    ] as const) {
      expect((await env.api(m, url, { as: 'fgj-reviewer', body })).statusCode, m).toBe(403);
      expect((await env.api(m, url, { as: 'dzb-editor', body })).statusCode, m).toBe(404);
    }
    expect((await list(r.id, 'fgj-editor'))[0]).toMatchObject({ outcome: null, body: REVIEW.body });
    // A case of another request under this request's path: 404.
    const mine = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    expect((await env.api('POST', `${base(mine.id)}/${v.id}/decision`, { as: 'gkb-requests', body: { outcome: 'maintained', decidedOn: '2026-05-01' } })).statusCode).toBe(404);
  });

  it('bad input: a 400 naming the field, nothing written', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...REVIEW, kind: 'appeal' }, 'kind'],
      [{ ...REVIEW, kind: undefined }, 'kind'],
      [{ ...REVIEW, body: '' }, 'body'],
      [{ ...REVIEW, body: '   ' }, 'body'],
      [{ ...REVIEW, body: '法'.repeat(101) }, 'body'],
      [{ ...REVIEW, filedOn: 'yesterday' }, 'filedOn'],
      [{ ...REVIEW, priorReview: 'one' }, 'priorReview'],
      [{ ...REVIEW, caseNo: 12 }, 'caseNo'],
    ];
    for (const [body, field] of cases) {
      const res = await add('gkb-requests', r.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const extra = await add('gkb-requests', r.id, { ...REVIEW, outcome: 'maintained' });
    expect(extra.statusCode).toBe(400);
    expect(await list(r.id)).toEqual([]);
    const v = (await add('gkb-requests', r.id, REVIEW)).json();
    const bad = await env.api('POST', `${base(r.id)}/${v.id}/decision`, { as: 'gkb-requests', body: { outcome: 'won', decidedOn: '2026-05-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('outcome');
    expect((await env.api('POST', `${base(r.id)}/abc/decision`, { as: 'gkb-requests', body: { outcome: 'other', decidedOn: '2026-05-01' } })).statusCode).toBe(400);
    expect((await list(r.id))[0].outcome).toBeNull();
  });
});

describe('the staff list, the dashboard and the console panel', () => {
  it('filters requests with a pending case; the dashboard counts them', async () => {
    const a = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02', infoName: '复议中的申请' });
    const b = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02', infoName: '复议已审结的申请' });
    await add('gkb-requests', a.id, REVIEW);
    const done = (await add('gkb-requests', b.id, REVIEW)).json();
    await env.api('POST', `${base(b.id)}/${done.id}/decision`, { as: 'gkb-requests', body: { outcome: 'maintained', decidedOn: '2026-05-01' } });
    const ids = (await env.api('GET', '/api/v1/staff/disclosure-requests?pendingReview=true&pageSize=100', { as: 'gkb-requests' })).json().items.map((x: any) => x.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
    const pending = await env.p.db.selectFrom('request_reviews as v').innerJoin('disclosure_requests as r', 'r.id', 'v.request_id').innerJoin('departments as d', 'd.id', 'r.department_id').select((eb) => eb.fn.countAll<number>().as('n')).where('v.outcome', 'is', null).where('d.code', '=', 'gkb').executeTakeFirstOrThrow();
    const s = await login(env.app, 'gkb-requests');
    const page = await env.app.inject({ method: 'GET', url: '/admin/disclosure-requests?pendingReview=1', headers: { cookie: s.cookie } });
    expect(page.body).toContain('复议中的申请');
    expect(page.body).not.toContain('复议已审结的申请');
    const dash = await env.app.inject({ method: 'GET', url: '/admin', headers: { cookie: s.cookie } });
    expect(dash.body).toContain(`未审结的行政复议、行政诉讼${Number(pending.n)}件`);
    expect(dash.body).toContain('href="/admin/disclosure-requests?pendingReview=1"');
  });

  it('the panel lists the cases with labels, shows the forms to those who may record, and posts through them', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02' });
    const s = await login(env.app, 'gkb-requests');
    const get = () => env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    const empty = await get();
    expect(empty.body).toContain('本申请尚无行政复议、行政诉讼记录。');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(empty.body)![1];
    const post = (action: string, body: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/${action}`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, ...body }) });
    // A suit after review without a decided review: the form comes back with the error at the field.
    const refused = await post('review-add', { kind: 'suit-after-review', body: '示范新区人民法院', caseNo: '', filedOn: '2026-04-10', note: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('复议后起诉的，请选择本申请的一项行政复议。');
    expect(refused.body).toContain('value="示范新区人民法院"');
    expect((await post('review-add', { kind: 'review', body: '示范新区人民政府', caseNo: '示政复〔2026〕7号', filedOn: '2026-04-10', note: '' })).statusCode).toBe(303);
    const v = (await list(r.id))[0];
    expect((await post('review-decide', { review: String(v.id), outcome: 'corrected', decidedOn: '2026-06-05' })).statusCode).toBe(303);
    expect((await post('review-add', { kind: 'suit-after-review', body: '示范新区人民法院', caseNo: '', filedOn: '2026-06-20', priorReview: String(v.id), note: '' })).statusCode).toBe(303);
    const noConfirm = await post('review-delete', { review: String(v.id), reason: '误' });
    expect(noConfirm.statusCode).toBe(400);
    expect(noConfirm.body).toContain('请确认该记录系误登记。');
    const page = (await get()).body;
    const panel = /<section class="request-reviews"[\s\S]*?<\/section>/.exec(page)![0];
    for (const label of ['行政复议', '行政诉讼（复议后起诉）', '结果纠正', '尚未审结', '示政复〔2026〕7号', '2026-06-05', '登记审理结果', '更正登记错误', '删除误登记的记录']) expect(panel, label).toContain(label);
    const table = /<table class="review-list"[\s\S]*?<\/table>/.exec(panel)![0].replace(/<[^>]+>/g, ' ');
    for (const code of ['suit-after-review', 'corrected', 'maintained', 'pending']) expect(table, code).not.toContain(code);
    // The timeline shows the steps in words.
    expect(page).toContain('行政复议：示范新区人民政府，案号示政复〔2026〕7号。');
    expect(page).toContain('行政复议：示范新区人民政府，结果纠正。');
    // A reader of the department without request.litigation sees the cases, not the forms.
    const fgj = await register(env, 'fgj-editor', { agency: 'fgj', arrivedOn: '2026-03-02' });
    await add('fgj-editor', fgj.id, REVIEW);
    const rs = await login(env.app, 'fgj-reviewer');
    const rp = (await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${fgj.id}`, headers: { cookie: rs.cookie } })).body;
    expect(rp).toContain('示政复〔2026〕7号');
    expect(rp).not.toContain('登记行政复议或行政诉讼');
    expect(rp).not.toContain('s-review-decide');
  });
});
