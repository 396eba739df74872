// Deadline engine completions (issue 14, deliverable 4): a clock's own amount/unit, the
// minimum-period kind, the hours unit, 好差评 fix deadlines as clocks, and the staff actions
// (pause, resume, extend) with permission, reason, audit and 409 on a state that forbids them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { addNaturalDays, addWorkdays, plusDays, todayShanghai } from '../../src/platform/calendar/index.js';
import { addHours, clocksFor, completeClock, getClock, getRule, nowShanghai, pauseClock, saveRule, startClock } from '../../src/platform/deadlines/index.js';
import { attentionList, boundaries, countsByDepartment, runScan } from '../../src/modules/supervision/service.js';

let env: TestEnv;
let deptId: number;
beforeAll(async () => {
  env = await makeEnv();
  deptId = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow()).id;
}, 60000);
afterAll(async () => env?.close());

const base = { title: '测试事项', url: '', publicSubject: false };
const start = (input: Parameters<typeof startClock>[2]) => env.p.tx((t) => startClock(env.p, t, input));
const page = async (id: number, user = 'admin') => {
  const s = await login(env.app, user);
  return (await env.app.inject({ method: 'GET', url: `/admin/clocks/${id}`, headers: { cookie: s.cookie } })).body;
};

describe('a clock with its own amount', () => {
  it('counts the promised 5 working days instead of the rule’s 20, records them and explains them', async () => {
    const r = await start({ ...base, departmentId: deptId, subjectType: 'guide-case', subjectId: 1, rule: 'request.reply', start: '2026-09-24', amount: 5, unit: 'workdays' });
    expect(r.due).toBe(addWorkdays('2026-09-24', 5).due);
    const c = (await getClock(env.p.db, r.id))!;
    expect(c).toMatchObject({ ownLimit: true, amount: 5, unit: 'workdays', ruleAmount: 20, ruleUnit: 'workdays' });
    expect(c.explanation.counted).toHaveLength(5);
    expect(c.history[0].details).toMatchObject({ amount: 5, unit: 'workdays' });
    const row = await env.p.db.selectFrom('clocks').select(['amount', 'unit']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect({ amount: Number(row.amount), unit: row.unit }).toEqual({ amount: 5, unit: 'workdays' });
    expect(await page(r.id)).toContain('本时限按本件承诺计算：5工作日（规则为20工作日）');
    const s = await login(env.app, 'admin');
    const en = await env.app.inject({ method: 'GET', url: `/admin/clocks/${r.id}`, headers: { cookie: `${s.cookie}; gk_lang=en` } });
    expect(en.body).toContain('promised for this case: 5 working days (the rule says 20 working days)');
  });

  it('refuses a bad own amount with a 400 naming the field', async () => {
    const err = await start({ ...base, departmentId: deptId, subjectType: 'guide-case', subjectId: 2, rule: 'request.reply', start: '2026-09-24', amount: -1, unit: 'workdays' }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, fields: { amount: 'deadlines.err.amount' } });
    const err2 = await start({ ...base, departmentId: deptId, subjectType: 'guide-case', subjectId: 2, rule: 'request.reply', start: '2026-09-24', amount: 3, unit: 'weeks' as any }).catch((e) => e);
    expect(err2).toMatchObject({ status: 400, fields: { unit: 'err.field.enum_generic' } });
  });
});

describe('minimum periods', () => {
  it('the comment period is a minimum: after its closing date it is finished, never overdue nor in the attention list', async () => {
    expect((await getRule(env.p.db, 'consultation.period'))!.kind).toBe('minimum');
    const s0 = plusDays(todayShanghai(), -60);
    const r = await start({ ...base, departmentId: deptId, subjectType: 'decision', subjectId: 1, rule: 'consultation.period', start: s0 });
    expect(r.due).toBe(addNaturalDays(s0, 30).due);
    const c = (await getClock(env.p.db, r.id))!;
    expect(c.kind).toBe('minimum');
    expect(c.status).toBe('finished');
    const b = await boundaries(env.p.db);
    const counts = (await countsByDepartment(env.p.db, 'all', b)).find((x) => x.departmentId === deptId)!;
    expect(counts.counts.finished).toBeGreaterThanOrEqual(1);
    const all = await attentionList(env.p.db, 'all', b, { limit: 1000 });
    expect(all.items.map((i) => i.id)).not.toContain(r.id);
    for (const status of ['overdue', 'seriously-overdue', 'warning', 'due-today']) expect((await attentionList(env.p.db, 'all', b, { status, limit: 1000 })).items.map((i) => i.id)).not.toContain(r.id);
    await runScan(env.p);
    expect(await env.p.db.selectFrom('jobs').select('id').where('idempotency_key', '=', `notify:${r.id}:overdue`).executeTakeFirst()).toBeUndefined();
    const row = await env.p.db.selectFrom('clocks').select('status').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('finished');
    const html = await page(r.id);
    expect(html).toContain('最早截止于');
    expect(html).toContain('可结束');
    // Closing it is on time whatever the day.
    await env.p.tx((t) => completeClock(env.p, t, 'decision', 1));
    expect((await getClock(env.p.db, r.id))!.status).toBe('completed');
  });

  it('before its closing date a minimum period is normal, even within the warning lead', async () => {
    const r = await start({ ...base, departmentId: deptId, subjectType: 'decision', subjectId: 2, rule: 'consultation.period', start: plusDays(todayShanghai(), -29) });
    expect((await getClock(env.p.db, r.id))!.status).toBe('normal');
    const b = await boundaries(env.p.db);
    expect((await attentionList(env.p.db, 'all', b, { limit: 1000 })).items.map((i) => i.id)).not.toContain(r.id);
  });
});

describe('hours', () => {
  it('counts hours in Asia/Shanghai wall time through nights and holidays', async () => {
    await env.p.tx((t) => saveRule(env.p, t, { code: 'emergency.release', nameZh: '突发事件信息发布', nameEn: 'Emergency information release', unit: 'hours', amount: 5, maxExtensions: 0, extensionLimit: 0, pausable: true, legalBasis: '本地规定：5小时内发布' }, 'test'));
    // 22:30 on National Day (a holiday) + 5 hours = 03:30 the next day.
    const r = await start({ ...base, departmentId: deptId, subjectType: 'emergency', subjectId: 1, rule: 'emergency.release', start: '2026-10-01T22:30' });
    expect(r.due).toBe('2026-10-02');
    const c = (await getClock(env.p.db, r.id))!;
    expect(c).toMatchObject({ unit: 'hours', startAt: '2026-10-01T22:30', dueAt: '2026-10-02T03:30' });
    expect(addHours('2026-12-31T23:00', 5)).toBe('2027-01-01T04:00');
    const html = await page(r.id);
    expect(html).toContain('2026-10-02 03:30');
    expect(html).toContain('夜间、周末和节假日照常计算');
    // Hours never stop, even under a pausable rule.
    const err = await env.p.tx((t) => pauseClock(env.p, t, r.id, { kind: 'other', reason: 'x' })).catch((e) => e);
    expect(err).toMatchObject({ status: 409, message: 'deadlines.err.not_pausable' });
  });

  it('a start without a time is a 400 naming start', async () => {
    const err = await start({ ...base, departmentId: deptId, subjectType: 'emergency', subjectId: 2, rule: 'emergency.release', start: '2026-10-01' }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, fields: { start: 'deadlines.err.start_time' } });
  });

  it('an hour clock past its due minute is overdue in supervision, which shows the time', async () => {
    const r = await start({ ...base, title: '暴雨预警发布', departmentId: deptId, subjectType: 'emergency', subjectId: 3, rule: 'emergency.release', start: addHours(nowShanghai(), -6) });
    const c = (await getClock(env.p.db, r.id))!;
    expect(c.status).toBe('overdue');
    const b = await boundaries(env.p.db);
    const list = await attentionList(env.p.db, 'all', b, { status: 'overdue', limit: 1000 });
    expect(list.items.find((i) => i.id === r.id)).toMatchObject({ status: 'overdue', dueAt: c.dueAt });
    const s = await login(env.app, 'admin');
    const sup = await env.app.inject({ method: 'GET', url: '/admin/supervision?status=overdue', headers: { cookie: s.cookie } });
    expect(sup.body).toContain(c.dueAt!.replace('T', ' '));
  });
});

describe('好差评 fix deadlines', () => {
  it('a real-name 差评 starts a rating.fix clock in the guide’s department, seen by supervision and completed by the fix', async () => {
    const r = await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'very-dissatisfied', comment: '材料要求不清楚', realName: true, name: '赵女士', phone: '13912345679' } });
    expect(r.statusCode).toBe(201);
    const fixDue = JSON.parse(r.body).followup.fixDue;
    expect(fixDue).toBe(addWorkdays(todayShanghai(), 10).due);
    const fu = await env.p.db.selectFrom('list_followups').innerJoin('list_ratings', 'list_ratings.id', 'list_followups.rating_id').select(['list_followups.id', 'list_followups.fix_due', 'list_followups.department']).where('list_ratings.name', '=', '赵女士').executeTakeFirstOrThrow();
    const [clock] = await clocksFor(env.p.db, 'list_followup', fu.id);
    expect(clock).toMatchObject({ rule: 'rating.fix', due: fixDue, state: 'running', publicSubject: false });
    const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', fu.department!).executeTakeFirstOrThrow();
    expect(clock.departmentId).toBe(dept.id);
    const b = await boundaries(env.p.db);
    expect((await attentionList(env.p.db, 'all', b, { status: 'normal', limit: 1000 })).items.map((i) => i.id)).toContain(clock.id);
    const s = await login(env.app, 'admin');
    const list = await env.app.inject({ method: 'GET', url: '/admin/lists/followups', headers: { cookie: s.cookie } });
    const post = await env.app.inject({ method: 'POST', url: `/admin/lists/followups/${fu.id}`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(list.body), callbackNote: '已回访', fixNote: '已补充材料示例', fixed: '1' }) });
    expect(post.statusCode).toBe(303);
    const [after] = await clocksFor(env.p.db, 'list_followup', fu.id);
    expect(after).toMatchObject({ state: 'completed', status: 'completed' });
    expect(after.history.at(-1)).toMatchObject({ action: 'complete', actor: 'user:admin' });
  });

  it('an anonymous or good rating starts no clock', async () => {
    const before = await env.p.db.selectFrom('clocks').select(env.p.db.fn.countAll<number>().as('n')).where('rule_code', '=', 'rating.fix').executeTakeFirstOrThrow();
    await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'dissatisfied' } });
    await env.api('POST', '/api/v1/service-guides/SG-XZSP-001/ratings', { body: { level: 'satisfied', realName: true, name: '张三', phone: '13912345678' } });
    const after = await env.p.db.selectFrom('clocks').select(env.p.db.fn.countAll<number>().as('n')).where('rule_code', '=', 'rating.fix').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('staff actions on a clock', () => {
  let reply: number;
  let publish: number;
  beforeAll(async () => {
    reply = (await start({ ...base, departmentId: deptId, subjectType: 'request', subjectId: 901, rule: 'request.reply', start: todayShanghai() })).id;
    publish = (await start({ ...base, departmentId: deptId, subjectType: 'document', subjectId: 901, rule: 'disclosure.publish', start: todayShanghai() })).id;
  });
  const act = (id: number, action: string, body: Record<string, unknown>, as = 'admin') => env.api('POST', `/api/v1/clocks/${id}/${action}`, { as, body });

  it('needs a reason: 400 naming reason', async () => {
    const r = await act(reply, 'pause', {});
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error.fields).toHaveProperty('reason');
    expect((await getClock(env.p.db, reply))!.state).toBe('running');
  });

  it('needs clock.manage in the clock’s department: an editor of it gets 403, another department’s approver 404', async () => {
    expect((await act(reply, 'pause', { reason: '补正' }, 'fgj-editor')).statusCode).toBe(403);
    expect((await act(reply, 'pause', { reason: '补正' }, 'scjg-approver')).statusCode).toBe(404);
    expect((await act(reply, 'pause', { reason: '补正' })).statusCode).toBe(200);
    await act(reply, 'resume', { reason: '已补正' });
  });

  it('pause and resume, each audited with the actor and the reason', async () => {
    const p = await act(reply, 'pause', { reason: '申请内容不明确，已发补正通知', kind: 'correction' }, 'fgj-approver');
    expect(p.statusCode).toBe(200);
    expect(JSON.parse(p.body).state).toBe('paused');
    expect((await act(reply, 'pause', { reason: 'again' })).statusCode).toBe(409);
    const r = await act(reply, 'resume', { reason: '申请人已补正' }, 'fgj-approver');
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body).state).toBe('running');
    const resumeRunning = await act(reply, 'resume', { reason: 'x' });
    expect(resumeRunning.statusCode).toBe(409);
    expect(JSON.parse(resumeRunning.body).error.message).toBeTruthy();
    const audit = await env.p.db.selectFrom('audit_events').select(['action', 'actor', 'details']).where('entity', '=', 'clock').where('entity_id', '=', String(reply)).where('actor', '=', 'user:fgj-approver').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['clock.pause', 'clock.resume']);
    expect(JSON.parse(audit[1].details).reason).toBe('申请人已补正');
  });

  it('refuses pausing a non-pausable rule, extending beyond the rule, and acting on a finished clock (409)', async () => {
    const np = await act(publish, 'pause', { reason: '等待' });
    expect(np.statusCode).toBe(409);
    expect(JSON.parse(np.body).error.message).toContain('不允许暂停');
    expect((await act(publish, 'extend', { reason: '材料多' })).statusCode).toBe(409);
    expect((await act(reply, 'extend', { reason: '需要调取档案', days: 21 })).statusCode).toBe(409);
    const before = (await getClock(env.p.db, reply))!.due;
    const ok = await act(reply, 'extend', { reason: '需要调取档案', days: 20 });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).due).toBe(addWorkdays(before, 20).due);
    expect((await act(reply, 'extend', { reason: '再延' , days: 1 })).statusCode).toBe(409);
    await env.p.tx((t) => completeClock(env.p, t, 'request', 901));
    const closed = await act(reply, 'resume', { reason: 'x' });
    expect(closed.statusCode).toBe(409);
    expect(JSON.parse(closed.body).error.message).toContain('已结束');
  });

  it('appeal clocks are moved by the appeal workflow only (409)', async () => {
    const id = (await start({ ...base, departmentId: deptId, subjectType: 'appeal', subjectId: 901, rule: 'appeal.help', start: todayShanghai() })).id;
    expect((await act(id, 'extend', { reason: '复杂', days: 2 })).statusCode).toBe(409);
  });

  it('console: the clock page offers the forms; a missing reason re-renders with the error, a reason pauses', async () => {
    const id = (await start({ ...base, departmentId: deptId, subjectType: 'request', subjectId: 902, rule: 'request.reply', start: todayShanghai() })).id;
    const s = await login(env.app, 'admin');
    const pg = await env.app.inject({ method: 'GET', url: `/admin/clocks/${id}`, headers: { cookie: s.cookie } });
    expect(pg.body).toContain(`action="/admin/clocks/${id}/pause"`);
    expect(pg.body).toContain(`action="/admin/clocks/${id}/extend"`);
    const bad = await env.app.inject({ method: 'POST', url: `/admin/clocks/${id}/pause`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(pg.body), kind: 'correction', reason: ' ' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    const good = await env.app.inject({ method: 'POST', url: `/admin/clocks/${id}/pause`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(pg.body), kind: 'correction', reason: '已发补正通知' }) });
    expect(good.statusCode).toBe(303);
    expect((await getClock(env.p.db, id))!.state).toBe('paused');
    const ed = await login(env.app, 'fgj-editor');
    const edPage = await env.app.inject({ method: 'GET', url: `/admin/clocks/${id}`, headers: { cookie: ed.cookie } });
    expect(edPage.statusCode).toBe(200);
    expect(edPage.body).not.toContain(`/admin/clocks/${id}/resume`);
  });
});

describe('closing on a recorded day', () => {
  it('a reply delivered on the due date but recorded later is completed on time, on that day; a future day is today', async () => {
    const s0 = plusDays(todayShanghai(), -60);
    const r = await start({ ...base, departmentId: deptId, subjectType: 'dated-close', subjectId: 1, rule: 'request.reply', start: s0 });
    await env.p.tx((t) => completeClock(env.p, t, 'dated-close', 1, undefined, 'system', r.due));
    const row = await env.p.db.selectFrom('clocks').select(['state', 'status', 'closed_on']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'completed', status: 'completed', closed_on: r.due });
    // Without a day (or with one after today) it closes today — late here.
    const r2 = await start({ ...base, departmentId: deptId, subjectType: 'dated-close', subjectId: 2, rule: 'request.reply', start: s0 });
    await env.p.tx((t) => completeClock(env.p, t, 'dated-close', 2, undefined, 'system', plusDays(todayShanghai(), 5)));
    const row2 = await env.p.db.selectFrom('clocks').select(['status', 'closed_on']).where('id', '=', r2.id).executeTakeFirstOrThrow();
    expect(row2).toEqual({ status: 'completed-late', closed_on: todayShanghai() });
  });
});
