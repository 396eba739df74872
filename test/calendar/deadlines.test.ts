// The deadline engine: clocks, pauses, extensions within the rule, history and audit, rule
// versioning, and the contract endpoints of the calendar API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { addWorkdays, buildSnapshot, calendarSnapshot, seedData, setCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { clocksFor, completeClock, extendClock, getRule, pauseClock, resumeClock, saveRule, startClock, stopClock } from '../../src/platform/deadlines/index.js';
import { HttpError } from '../../src/platform/errors.js';

let env: TestEnv;
let deptId: number;
beforeAll(async () => {
  env = await makeEnv();
  deptId = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow()).id;
});
afterAll(async () => env?.close());

const base = { departmentId: 0, title: '关于公开某项目批复的申请', url: '/requests/1', publicSubject: true };

describe('clocks', () => {
  it('starts a request-reply clock 20 working days after receipt, and keeps its history in the audit chain', async () => {
    const r = await env.p.tx((t) => startClock(env.p, t, { ...base, departmentId: deptId, subjectType: 'request', subjectId: 1, rule: 'request.reply', start: '2026-09-24' }));
    expect(r.due).toBe(addWorkdays('2026-09-24', 20).due);
    expect(r.due).toBe('2026-10-29');
    expect(r.provisional).toBe(false);
    const [c] = await clocksFor(env.p.db, 'request', 1);
    expect(c).toMatchObject({ rule: 'request.reply', ruleVersion: 1, start: '2026-09-24', due: '2026-10-29', state: 'running' });
    expect(c.legalBasis).toContain('第三十三条');
    expect(c.explanation.counted).toHaveLength(20);
    expect(c.explanation.skipped).toContainEqual({ date: '2026-10-01', reason: 'holiday', name: '国庆节' });
    const audit = await env.p.db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', '=', 'clock.start').execute();
    expect(audit.map((a) => a.entity_id)).toContain(String(c.id));
  });

  it('starting the same rule again for the same subject returns the running clock', async () => {
    const a = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'request', subjectId: 1, rule: 'request.reply', start: '2026-09-25' }));
    expect((await clocksFor(env.p.db, 'request', 1)).length).toBe(1);
    expect(a.due).toBe('2026-10-29');
  });

  it('a correction pause (补正) moves the due date by the paused working days, and shows them as skipped', async () => {
    const [c] = await clocksFor(env.p.db, 'request', 1);
    await env.p.tx((t) => pauseClock(env.p, t, c.id, { kind: 'correction', reason: '申请内容不明确，已发补正通知', at: '2026-09-28' }));
    await env.p.tx((t) => resumeClock(env.p, t, c.id, '2026-10-12'));
    const [after] = await clocksFor(env.p.db, 'request', 1);
    // Paused working days in (09-28, 10-12]: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12 — six.
    expect(after.explanation.skipped.filter((s) => s.reason === 'pause').map((s) => s.date)).toEqual(['2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12']);
    expect(after.due).toBe(addWorkdays('2026-10-29', 6).due);
    expect(after.state).toBe('running');
    expect(after.history.map((h) => h.action)).toEqual(['start', 'pause', 'resume']);
  });

  it('allows one extension of at most 20 working days, with reason and approver, and refuses a second', async () => {
    const [c] = await clocksFor(env.p.db, 'request', 1);
    const err1 = await env.p.tx((t) => extendClock(env.p, t, c.id, { workdays: 21, reason: '需要调取档案', approver: '政务公开办主任' })).catch((e) => e);
    expect(err1).toBeInstanceOf(HttpError);
    expect(err1).toMatchObject({ status: 409, message: 'deadlines.err.extension_limit' });
    await env.p.tx((t) => extendClock(env.p, t, c.id, { workdays: 20, reason: '需要调取档案', approver: '政务公开办主任' }));
    const [after] = await clocksFor(env.p.db, 'request', 1);
    expect(after.due).toBe(addWorkdays(c.due, 20).due);
    expect(after.extensions).toEqual([expect.objectContaining({ workdays: 20, approver: '政务公开办主任' })]);
    const err2 = await env.p.tx((t) => extendClock(env.p, t, c.id, { workdays: 1, reason: '再延', approver: 'x' })).catch((e) => e);
    expect(err2).toMatchObject({ status: 409, message: 'deadlines.err.extension_count' });
  });

  it('refuses to pause a rule that cannot be paused, and completes a clock', async () => {
    const r = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'document', subjectId: 'D-7', rule: 'disclosure.publish', start: '2026-11-02' }));
    const err = await env.p.tx((t) => pauseClock(env.p, t, r.id, { kind: 'other', reason: 'x' })).catch((e) => e);
    expect(err).toMatchObject({ status: 409, message: 'deadlines.err.not_pausable' });
    await env.p.tx((t) => completeClock(env.p, t, 'document', 'D-7'));
    const [c] = await clocksFor(env.p.db, 'document', 'D-7');
    expect(c.state).toBe('completed');
    expect(c.closedOn).toBe(todayShanghai());
    // completing again is a no-op
    await env.p.tx((t) => completeClock(env.p, t, 'document', 'D-7'));
    expect((await clocksFor(env.p.db, 'document', 'D-7'))[0].history.filter((h) => h.action === 'complete')).toHaveLength(1);
  });

  it('stops a clock with a reason', async () => {
    await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'appeal', subjectId: 9, rule: 'appeal.consult', start: '2026-11-20' }));
    await env.p.tx((t) => stopClock(env.p, t, 'appeal', 9, '并单'));
    const [c] = await clocksFor(env.p.db, 'appeal', 9);
    expect(c).toMatchObject({ state: 'stopped', status: 'stopped', stopReason: '并单' });
  });

  it('rejects an unknown rule and a bad start date with 400', async () => {
    await expect(env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'x', subjectId: 1, rule: 'nope.rule', start: '2026-01-01' }))).rejects.toMatchObject({ status: 400 });
    await expect(env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'x', subjectId: 1, rule: 'request.reply', start: '2026-02-30' }))).rejects.toMatchObject({ status: 400 });
  });

  it('loads the calendar inside the caller\'s transaction when nothing has loaded it yet (no deadlock on SQLite)', async () => {
    setCalendar(buildSnapshot(seedData(), false));
    const r = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'request', subjectId: 'fresh', rule: 'request.correction', start: '2026-02-13' }));
    expect(r.due).toBe(addWorkdays('2026-02-13', 7).due);
    expect(calendarSnapshot().loaded).toBe(true);
  });

  it('keeps a clock of a non-public subject away from the public', async () => {
    const r = await env.p.tx((t) => startClock(env.p, t, { ...base, publicSubject: false, subjectType: 'request', subjectId: 'private', rule: 'request.reply', start: '2026-11-02' }));
    expect((await env.app.inject(`/api/v1/clocks/${r.id}`)).statusCode).toBe(404);
    expect((await env.app.inject(`/clocks/${r.id}`)).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/supervision/clocks/${r.id}`, { as: 'supervisor' })).statusCode).toBe(200);
  });

  it('uses natural days for the consultation period', async () => {
    const r = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'consultation', subjectId: 3, rule: 'consultation.period', start: '2026-01-01' }));
    expect(r.due).toBe('2026-02-02');
  });
});

describe('rule versioning', () => {
  it('editing a rule creates a new version and does not move running clocks', async () => {
    const before = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'penalty', subjectId: 11, rule: 'penalty.publish', start: '2026-11-02' }));
    const v1 = (await getRule(env.p.db, 'penalty.publish'))!;
    await env.p.tx((t) => saveRule(env.p, t, { ...v1, amount: 5, note: '本地规定：5个工作日' }, 'user:admin'));
    const v2 = (await getRule(env.p.db, 'penalty.publish'))!;
    expect(v2.version).toBe(2);
    expect(v2.amount).toBe(5);
    const [old] = await clocksFor(env.p.db, 'penalty', 11);
    expect(old).toMatchObject({ ruleVersion: 1, due: before.due, amount: 7 });
    const fresh = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'penalty', subjectId: 12, rule: 'penalty.publish', start: '2026-11-02' }));
    expect(fresh.due).toBe(addWorkdays('2026-11-02', 5).due);
    expect((await clocksFor(env.p.db, 'penalty', 12))[0].ruleVersion).toBe(2);
  });

  it('admins edit a rule in the console; others may only read it', async () => {
    const a = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/deadline-rules/appeal.help', headers: { cookie: a.cookie } });
    expect(page.statusCode).toBe(200);
    const r = await env.app.inject({
      method: 'POST',
      url: '/admin/deadline-rules/appeal.help',
      headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFrom(page.body), nameZh: '市民诉求：求助', nameEn: 'help', unit: 'workdays', amount: '8', maxExtensions: '1', extensionLimit: '10', pausable: '1', legalBasis: '本地规定', note: '' }),
    });
    expect(r.statusCode).toBe(302);
    expect((await getRule(env.p.db, 'appeal.help'))).toMatchObject({ version: 2, amount: 8 });
    const e = await login(env.app, 'fgj-editor');
    const denied = await env.app.inject({ method: 'POST', url: '/admin/deadline-rules/appeal.help', headers: { cookie: e.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: e.csrf, amount: '1' }) });
    expect(denied.statusCode).toBe(403);
    const put = await env.api('PUT', '/api/v1/deadline-rules/appeal.help', { as: 'admin', body: { nameZh: '市民诉求：求助', nameEn: 'help', unit: 'workdays', amount: 9, maxExtensions: 1, extensionLimit: 10, pausable: true, legalBasis: '本地规定' } });
    expect(put.json()).toMatchObject({ code: 'appeal.help', version: 3, amount: 9 });
    expect((await env.api('PUT', '/api/v1/deadline-rules/appeal.help', { as: 'supervisor', body: { nameZh: 'x', nameEn: '', unit: 'workdays', amount: 1, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: 'x' } })).statusCode).toBe(403);
    expect((await env.api('PUT', '/api/v1/deadline-rules/Bad%20Code', { as: 'admin', body: { nameZh: 'x', nameEn: '', unit: 'workdays', amount: 1, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: 'x' } })).statusCode).toBe(400);
    expect((await env.app.inject('/api/v1/deadline-rules/appeal.help')).json().items.map((x: any) => x.version)).toEqual([3, 2, 1]);
    const pub = await env.app.inject('/api/v1/deadline-rules');
    expect(pub.json().items.find((x: any) => x.code === 'request.reply')).toMatchObject({ amount: 20, maxExtensions: 1, extensionLimit: 20 });
    expect(pub.json().items.map((x: any) => x.code).sort()).toEqual(['appeal.complaint', 'appeal.consult', 'appeal.help', 'appeal.report', 'appeal.suggest', 'consultation.period', 'credit.repair', 'decision.legality-review', 'disclosure.publish', 'inspection.results', 'licensing.publish', 'penalty.publish', 'rating.fix', 'report.annual-department', 'report.annual-government', 'request.agency', 'request.correction', 'request.reply', 'request.third-party']);
  });
});

describe('the calendar API (contract)', () => {
  it('GET /api/v1/calendar/due', async () => {
    const r = await env.app.inject('/api/v1/calendar/due?start=2025-09-30&workdays=2');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      start: '2025-09-30',
      workdays: 2,
      due: '2025-10-10',
      provisional: false,
      counted: ['2025-10-09', '2025-10-10'],
      skipped: ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => ({ date: `2025-10-${d}`, reason: 'holiday', name: '国庆节、中秋节' })),
    });
    expect((await env.app.inject('/api/v1/calendar/due?start=2031-01-01&workdays=3')).json()).toMatchObject({ due: '2031-01-06', provisional: true });
    expect((await env.app.inject('/api/v1/calendar/due?start=2026-01-01&days=30')).json()).toMatchObject({ days: 30, due: '2026-02-02' });
    expect((await env.app.inject('/api/v1/calendar/due?start=2026-01-31&months=1')).json()).toMatchObject({ months: 1, due: '2026-02-28' });
    expect((await env.app.inject('/api/v1/calendar/due?start=2026-01-05&workdays=0')).json()).toMatchObject({ due: '2026-01-05', counted: [] });
  });

  it.each([
    'start=2026-02-30&workdays=1',
    'start=2026-1-5&workdays=1',
    'start=&workdays=1',
    'workdays=1',
    'start=2026-01-05&workdays=-1',
    'start=2026-01-05&workdays=3651',
    'start=2026-01-05&workdays=1.5',
    'start=2026-01-05&workdays=abc',
    'start=2026-01-05',
    'start=2026-01-05&workdays=1&days=2',
    'start=2299-12-30&workdays=3650',
    'start=2026-01-05&workdays=1&bogus=1',
  ])('answers 400 for ?%s', async (qs) => {
    const r = await env.app.inject(`/api/v1/calendar/due?${qs}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBeTruthy();
  });

  it('GET /api/v1/calendar/{year} and is-workday', async () => {
    const y = (await env.app.inject('/api/v1/calendar/2026')).json();
    expect(y.published).toBe(true);
    expect(y.days).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节调休上班' });
    expect(y.days.filter((d: any) => d.kind === 'holiday')).toHaveLength(33);
    expect((await env.app.inject('/api/v1/calendar/2031')).json()).toEqual({ year: 2031, published: false, days: [] });
    expect((await env.app.inject('/api/v1/calendar/20x6')).statusCode).toBe(400);
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2026-02-28')).json()).toMatchObject({ date: '2026-02-28', workday: true, reason: 'makeup-day' });
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2026-10-01')).json()).toMatchObject({ workday: false, reason: 'holiday', name: '国庆节' });
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2026-11-28')).json()).toMatchObject({ workday: false, reason: 'weekend' });
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=nope')).statusCode).toBe(400);
    // The public year view marks make-up working days with the same name (styled by site.css).
    const page = (await env.app.inject('/calendar?year=2026')).body;
    expect(page).toMatch(/<td class="day-makeup-day"[^>]*title="[^"]*春节调休上班"/);
  });

  it('the public calendar page shows holidays and the calculator explains a due date', async () => {
    const r = await env.app.inject('/calendar?year=2026&start=2026-09-30&n=1&unit=workdays');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('2026-10-08');
    expect(r.body).toContain('国庆节');
    const p = await env.app.inject('/calendar?year=2031');
    expect(p.body).toContain('尚未公布');
  });

  it('a public clock explains its computation to the public without staff details', async () => {
    const [c] = await clocksFor(env.p.db, 'request', 1);
    const r = await env.app.inject(`/api/v1/clocks/${c.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().explanation.skipped.length).toBeGreaterThan(0);
    expect(r.json().history[0].actor).toBeUndefined();
    const page = await env.app.inject(`/clocks/${c.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('计算过程');
  });
});

describe('importing and editing the calendar', () => {
  it('imports 2027 from iCalendar; the year stops being provisional; open clocks are recomputed', async () => {
    const clock = await env.p.tx((t) => startClock(env.p, t, { ...base, subjectType: 'request', subjectId: 2027, rule: 'request.reply', start: '2026-12-28' }));
    expect(clock.provisional).toBe(true);
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270104', 'SUMMARY:元旦', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270206', 'SUMMARY:春节调休上班（班）', 'X-GONGKAI-KIND:workday', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const dry = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: ics, dryRun: true } });
    expect(dry.json()).toMatchObject({ saved: false, format: 'ics', years: [{ year: 2027, days: 4 }], errors: [] });
    expect((await env.app.inject('/api/v1/calendar/2027')).json().published).toBe(false);
    const r = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: ics } });
    expect(r.json()).toMatchObject({ saved: true, years: [{ year: 2027, published: true, days: 4 }] });
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2027-01-01')).json()).toMatchObject({ workday: false, reason: 'holiday', name: '元旦', provisional: false });
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2027-02-06')).json()).toMatchObject({ workday: true, reason: 'makeup-day' });
    await env.drain();
    const [c] = await clocksFor(env.p.db, 'request', 2027);
    expect(c.provisional).toBe(false);
    expect(c.due).toBe(addWorkdays('2026-12-28', 20).due);
    const row = await env.p.db.selectFrom('clocks').select(['due_date', 'provisional']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ due_date: c.due, provisional: 0 });
    const audit = await env.p.db.selectFrom('audit_events').select('action').where('action', '=', 'calendar.import').execute();
    expect(audit).toHaveLength(1);
  });

  it('reports errors in CSV and JSON without saving anything', async () => {
    const csv = 'date,kind,name\n2028-01-01,holiday,元旦\n2028-02-30,holiday,坏日期\n2028-01-03,maybe,未知\n';
    const r = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: csv, format: 'csv' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().saved).toBe(false);
    expect(r.json().errors.map((e: any) => [e.line, e.key])).toEqual([
      [3, 'calendar.err.date'],
      [4, 'calendar.err.kind'],
    ]);
    expect((await env.app.inject('/api/v1/calendar/2028')).json().days).toEqual([]);
    const bad = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: '{"year": 2028, "days": [{"date":"2028-01-01"' } });
    expect(bad.json().errors[0].key).toBe('calendar.err.json');
    const ok = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: JSON.stringify({ year: 2028, published: true, days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] }) } });
    expect(ok.json()).toMatchObject({ saved: true, format: 'json' });
    expect((await env.api('POST', '/api/v1/calendar/import', { as: 'fgj-editor', body: { text: csv } })).statusCode).toBe(403);
    // The API's own name for a make-up working day reads back as one (as do makeup, 班, 调休上班…).
    const words = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: 'date,kind,name\n2028-01-26,holiday,春节\n2028-01-29,makeup-day,春节调休上班\n2028-02-19,makeup,春节调休上班\n', format: 'csv', dryRun: true } });
    expect(words.json()).toMatchObject({ errors: [], warnings: [], years: [{ year: 2028, days: 3 }] });
  });

  it('admins upload a file in the console and edit single days', async () => {
    const a = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/calendar/import', headers: { cookie: a.cookie } });
    const csrf = csrfFrom(page.body);
    const boundary = '----gk';
    // The token is the form's first field (not in the URL).
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', csrf, `--${boundary}`, 'Content-Disposition: form-data; name="format"', '', 'csv', `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="2029.csv"', 'Content-Type: text/csv', '', 'date,kind,name\n2029-01-01,休,元旦\n', `--${boundary}--`, ''].join('\r\n');
    const up = await env.app.inject({ method: 'POST', url: '/admin/calendar/import', headers: { cookie: a.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(up.statusCode).toBe(200);
    // A preview first: the day understood, nothing saved until confirmed.
    expect(up.body).toContain('尚未保存');
    expect(up.body).toMatch(/<td>2029-01-01<\/td>\s*<td>一<\/td>\s*<td>放假<\/td>\s*<td>元旦<\/td>/);
    expect((await env.app.inject('/api/v1/calendar/2029')).json().days).toEqual([]);
    const value = (name: string) => (new RegExp(`name="${name}" value="([^"]*)"`).exec(up.body)?.[1] ?? '').replace(/&amp;/g, '&');
    const confirm = await env.app.inject({ method: 'POST', url: '/admin/calendar/import/confirm', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(up.body), payload: value('payload'), format: value('format'), filename: value('filename'), pasted: value('pasted'), digest: value('digest') }) });
    expect(confirm.statusCode).toBe(303);
    expect((await env.app.inject('/api/v1/calendar/2029')).json()).toMatchObject({ published: true, days: [{ date: '2029-01-01', kind: 'holiday', name: '元旦' }] });
    const yp = await env.app.inject({ url: '/admin/calendar/2029', headers: { cookie: a.cookie } });
    const add = await env.app.inject({ method: 'POST', url: '/admin/calendar/2029/days', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(yp.body), date: '2029-01-02', kind: 'holiday', name: '元旦' }) });
    expect(add.statusCode).toBe(302);
    expect((await env.app.inject('/api/v1/calendar/is-workday?date=2029-01-02')).json().workday).toBe(false);
    const bad = await env.app.inject({ method: 'POST', url: '/admin/calendar/2029/days', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(yp.body), date: '2029-13-02', kind: 'holiday', name: 'x' }) });
    expect(bad.statusCode).toBe(400);
  });
});
