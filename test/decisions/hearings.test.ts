// Hearings (听证) through the API: the notice period, registration and its cut-off, the draw
// (re-runs identically, stratified counts), materials' 7-day rule, the record and signatures,
// masking, permissions per department, hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { putSetting } from '../../src/platform/settings/index.js';
import { verifyHearingDraw } from '../../src/modules/decisions/service/hearing-draw.js';
import { announce, apply, days, drawNow, hearingBody, insertDecision, iso, pdf64, setHearing } from './hearings-util.js';

let env: TestEnv;
let decisionId: number;
beforeAll(async () => {
  env = await makeEnv();
  decisionId = await insertDecision(env);
}, 120_000);
afterAll(async () => env?.close());

describe('announcing', () => {
  it('refuses a hearing inside the notice period (default 10 days, the setting when set), naming startsAt', async () => {
    const short = await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'fgj-editor', body: hearingBody({ startsInDays: 8, closesInDays: 3 }) });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toHaveProperty('startsAt');
    expect(short.json().error.message).toContain('10');
    await env.p.tx((t) => putSetting(t, 'decisions.hearing_notice_days', '5'));
    const ok = await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'fgj-editor', body: hearingBody({ startsInDays: 8, closesInDays: 3 }) });
    expect(ok.statusCode).toBe(201);
    await env.p.tx((t) => putSetting(t, 'decisions.hearing_notice_days', '10'));
    const h = ok.json();
    expect(h.state).toBe('announced');
    expect(h.itemId).toBeGreaterThan(0);
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'public']).where('id', '=', h.itemId).executeTakeFirstOrThrow();
    expect(item).toEqual({ type: 'decision-hearing', public: 1 });
    // A draft is announced later; announcing it once too late is a 409.
    const draft = await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'fgj-editor', body: { ...hearingBody(), announce: false } });
    expect(draft.json().state).toBe('draft');
    expect((await env.app.inject(`/decisions/hearings/${draft.json().id}`)).statusCode).toBe(404);
    await setHearing(env, draft.json().id, { starts_at: iso(days(3)) });
    expect((await env.api('POST', `/api/v1/hearings/${draft.json().id}/announce`, { as: 'fgj-editor' })).statusCode).toBe(409);
  });

  it('checks the target department: another department 404, a reader 403, no account 401', async () => {
    const body = hearingBody();
    expect((await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'scjg-editor', body })).statusCode).toBe(404);
    expect((await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'fgj-approver', body })).statusCode).toBe(403);
    expect((await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { body })).statusCode).toBe(401);
    const hid = await announce(env, decisionId);
    expect((await env.api('GET', `/api/v1/hearings/${hid}/applicants`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/hearings/${hid}/applicants`, { as: 'fgj-approver' })).statusCode).toBe(200);
    await setHearing(env, hid, { registration_closes_at: iso(-1000) });
    const w = { witnesses: [{ name: 'a', commitment: 'a'.repeat(64) }, { name: 'b', commitment: 'b'.repeat(64) }] };
    expect((await env.api('POST', `/api/v1/hearings/${hid}/draw/prepare`, { as: 'scjg-editor', body: w })).statusCode).toBe(404);
    expect((await env.api('POST', `/api/v1/hearings/${hid}/draw/prepare`, { as: 'fgj-reviewer', body: w })).statusCode).toBe(403);
    expect((await env.api('POST', `/api/v1/hearings/${hid}/materials`, { as: 'scjg-editor', body: { files: [{ filename: 'a.pdf', content: pdf64() }] } })).statusCode).toBe(404);
  });

  it('hostile input: 4xx naming the field, nothing written', async () => {
    const before = await env.p.db.selectFrom('dec_hearings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = [
      { ...hearingBody(), startsAt: 'tomorrow' },
      { ...hearingBody(), registrationClosesAt: iso(days(30)) },
      { ...hearingBody(), participants: 0 },
      { ...hearingBody(), participants: 1.5 },
      { ...hearingBody(), title: '' },
      { ...hearingBody(), title: 'x'.repeat(5000) },
      { ...hearingBody(), extra: 1 },
      { ...hearingBody(), attendanceCapacity: -1 },
    ];
    for (const body of bad) {
      const r = await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as: 'fgj-editor', body });
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await env.api('POST', `/api/v1/major-decisions/99999999/hearings`, { as: 'fgj-editor', body: hearingBody() })).statusCode).toBe(404);
    expect((await env.app.inject('/api/v1/hearings/abc')).statusCode).toBe(400);
    expect((await env.app.inject('/decisions/hearings/abc')).statusCode).toBe(404);
    expect((await env.app.inject('/decisions/hearings/99999999')).statusCode).toBe(404);
    const after = await env.p.db.selectFrom('dec_hearings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('registration', () => {
  it('takes applications until registration closes, then 409; bad input 400 naming the field', async () => {
    const hid = await announce(env, decisionId);
    const r = await apply(env, hid, 'for', '陈建国');
    expect(r.statusCode).toBe(201);
    expect(r.json().ref).toMatch(/^\d{6}$/);
    const missing = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/applicants`, payload: { name: '赵', viewpoint: 'maybe', reason: 'x' } });
    expect(missing.statusCode).toBe(400);
    const noContact = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/applicants`, payload: { name: '赵', viewpoint: 'for', reason: 'x' } });
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().error.fields).toHaveProperty('phone');
    const badPhone = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/applicants`, payload: { name: '赵', phone: '12345', viewpoint: 'for', reason: 'x' } });
    expect(badPhone.json().error.fields).toHaveProperty('phone');
    await setHearing(env, hid, { registration_closes_at: iso(-1000) });
    const late = await apply(env, hid, 'against');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
    const n = await env.p.db.selectFrom('dec_hearing_applicants').select((eb) => eb.fn.countAll<number>().as('n')).where('hearing_id', '=', hid).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('the public form works without JavaScript and shows the registration number', async () => {
    const hid = await announce(env, decisionId);
    const page = await env.app.inject(`/decisions/hearings/${hid}/apply`);
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0];
    const r = await env.app.inject({ method: 'POST', url: `/decisions/hearings/${hid}/apply`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, name: '周<b>敏</b>', phone: '13911112222', viewpoint: 'other', reason: '<script>x</script>' }).toString() });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/\d{6}/);
    const bad = await env.app.inject({ method: 'POST', url: `/decisions/hearings/${hid}/apply`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, name: '', viewpoint: 'other', reason: '' }).toString() });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the draw', () => {
  it('selects N stratified by viewpoint, re-runs identically, masks names and never shows contacts', async () => {
    const hid = await announce(env, decisionId, { participants: 5, stratified: true });
    const names = ['欧阳娜娜', '司马光明', '张三丰', '李四', '王五', '赵六', '钱七', '孙八', '周九', '吴十'];
    const views = ['for', 'for', 'for', 'for', 'for', 'against', 'against', 'against', 'other', 'other'] as const;
    for (let i = 0; i < names.length; i++) expect((await apply(env, hid, views[i], names[i])).statusCode).toBe(201);
    // Before registration closes the draw is refused.
    const early = await env.api('POST', `/api/v1/hearings/${hid}/draw/prepare`, { as: 'fgj-editor', body: { witnesses: [{ name: 'a', commitment: 'a'.repeat(64) }, { name: 'b', commitment: 'b'.repeat(64) }] } });
    expect(early.statusCode).toBe(409);
    const record = await drawNow(env, hid);
    expect(record.status).toBe('done');
    expect(record.quotas).toEqual({ for: 3, against: 1, other: 1 });
    expect(record.selection).toHaveLength(5);
    expect(verifyHearingDraw(record)).toEqual({ match: true });
    const pub = await env.app.inject(`/api/v1/hearings/${hid}/draw`);
    expect(pub.json()).toEqual(record);
    const tampered = { ...record, selection: [...record.selection].reverse() };
    expect(verifyHearingDraw(tampered).match).toBe(false);
    const apps = await env.p.db.selectFrom('dec_hearing_applicants').select(['id', 'viewpoint', 'selected', 'phone']).where('hearing_id', '=', hid).execute();
    const selected = apps.filter((a) => a.selected === 1);
    expect(selected.map((a) => a.viewpoint).sort()).toEqual(['against', 'for', 'for', 'for', 'other']);
    const view = (await env.app.inject(`/api/v1/hearings/${hid}`)).json();
    expect(view.selected).toHaveLength(5);
    for (const s of view.selected) expect(s.name).toMatch(/\*/);
    const page = await env.app.inject(`/decisions/hearings/${hid}`);
    expect(page.statusCode).toBe(200);
    for (const n of names) expect(page.body).not.toContain(n);
    for (const a of apps) expect(page.body).not.toContain(a.phone);
    expect(JSON.stringify(view)).not.toContain(apps[0].phone);
    // No second draw.
    expect((await env.api('POST', `/api/v1/hearings/${hid}/draw`, { as: 'fgj-editor', body: { secrets: ['a', 'b'] } })).statusCode).toBe(409);
  });

  it('a wrong secret is 400 naming it; nothing drawn', async () => {
    const hid = await announce(env, decisionId);
    await apply(env, hid, 'for');
    await setHearing(env, hid, { registration_closes_at: iso(-1000) });
    const { witnesses } = await import('./hearings-util.js');
    expect((await env.api('POST', `/api/v1/hearings/${hid}/draw/prepare`, { as: 'fgj-editor', body: { witnesses: witnesses() } })).statusCode).toBe(200);
    const r = await env.api('POST', `/api/v1/hearings/${hid}/draw`, { as: 'fgj-editor', body: { secrets: ['wrong', 'witness-b-5531'] } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields).toHaveProperty('secrets.0');
    const h = await env.p.db.selectFrom('dec_hearings').select('state').where('id', '=', hid).executeTakeFirstOrThrow();
    expect(h.state).toBe('announced');
  });
});

describe('materials, record and signatures', () => {
  it('materials at least 7 days before (later 409); record after the hearing; signatures of participants only', async () => {
    const hid = await announce(env, decisionId, { participants: 2, stratified: false });
    await apply(env, hid, 'for', '甲乙丙');
    await apply(env, hid, 'against', '丁戊己');
    await apply(env, hid, 'other', '庚辛壬');
    const m = await env.api('POST', `/api/v1/hearings/${hid}/materials`, { as: 'fgj-editor', body: { files: [{ filename: '改造方案（征求意见稿）.pdf', content: pdf64('draft') }] } });
    expect(m.statusCode).toBe(200);
    const url = m.json().materials[0].url;
    expect((await env.app.inject(url)).statusCode).toBe(200);
    const record = await drawNow(env, hid);
    // Six days before: too late.
    await setHearing(env, hid, { starts_at: iso(days(6)) });
    const late = await env.api('POST', `/api/v1/hearings/${hid}/materials`, { as: 'fgj-editor', body: { files: [{ filename: 'b.pdf', content: pdf64('late') }] } });
    expect(late.statusCode).toBe(409);
    // The record only once the hearing has taken place.
    const file = { filename: '听证笔录.pdf', content: pdf64('record') };
    expect((await env.api('POST', `/api/v1/hearings/${hid}/record`, { as: 'fgj-editor', body: { file } })).statusCode).toBe(409);
    await setHearing(env, hid, { starts_at: iso(-days(1)) });
    const rec = await env.api('POST', `/api/v1/hearings/${hid}/record`, { as: 'fgj-editor', body: { file } });
    expect(rec.statusCode).toBe(200);
    const notSelected = (await env.p.db.selectFrom('dec_hearing_applicants').select('id').where('hearing_id', '=', hid).where('selected', '=', 0).executeTakeFirstOrThrow()).id;
    const bad = await env.api('POST', `/api/v1/hearings/${hid}/signatures`, { as: 'fgj-editor', body: { refs: [String(notSelected).padStart(6, '0')] } });
    expect(bad.statusCode).toBe(400);
    const ok = await env.api('POST', `/api/v1/hearings/${hid}/signatures`, { as: 'fgj-editor', body: { refs: record.selection } });
    expect(ok.json().signed).toEqual(record.selection);
    const view = (await env.app.inject(`/api/v1/hearings/${hid}`)).json();
    expect(view.state).toBe('held');
    expect(view.selected.every((s: { signed: boolean }) => s.signed)).toBe(true);
    expect(view.record.name).toContain('.pdf');
    expect((await env.app.inject(view.record.url)).statusCode).toBe(200);
    expect((await env.app.inject(`/decisions/hearings/${hid}/files/${'0'.repeat(64)}`)).statusCode).toBe(404);
    // A corrected record replaces the old one, and its signatures start again.
    const again = await env.api('POST', `/api/v1/hearings/${hid}/record`, { as: 'fgj-editor', body: { file: { filename: '听证笔录（更正）.pdf', content: pdf64('record, corrected') } } });
    expect(again.statusCode).toBe(200);
    const after = (await env.app.inject(`/api/v1/hearings/${hid}`)).json();
    expect(after.record.name).toContain('更正');
    expect(after.selected.some((s: { signed: boolean }) => s.signed)).toBe(false);
  });
});
