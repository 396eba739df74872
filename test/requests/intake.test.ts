// Disclosure requests, intake: the online form (fields named on error, check your answers, CSRF,
// identity proofs), the receipt date of Art. 31 by channel, staff registration, the status page
// (escaped, masked, the due date explained), who sees identity proofs, the disclosure guide's link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { todayShanghai, addWorkdays, ensureCalendar } from '../../src/platform/calendar/index.js';
import { confirmForm, PNG, postForm, register, REQUEST, statusPage, step } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const row = (id: number) => env.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the online form', () => {
  it('names every field it refuses, in Chinese and in English, and registers nothing', async () => {
    const before = await env.p.db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const { res } = await postForm(env.app, { agency: 'nowhere', requesterType: 'commercial', idKind: 'resident-id', idNumber: '123', orgContact: '', contactPhone: '12', contactEmail: 'x@', infoName: '', infoDescription: '太短', channelWanted: 'post', contactAddress: '' }, []);
    expect(res.statusCode).toBe(400);
    for (const [field, text] of [
      ['agency', '请选择受理机关。'],
      ['idKind', '请选择与申请人类型相符的证件类型。'],
      ['orgContact', ''],
      ['contactPhone', '请填写正确的电话号码'],
      ['contactEmail', '请填写正确的电子邮箱。'],
      ['contactAddress', '选择邮寄的，请填写通信地址。'],
      ['infoName', ''],
      ['infoDescription', '请再具体描述所需信息'],
      ['idProof', '请上传身份证明。'],
    ]) {
      expect(res.body, field).toContain(`href="#f-${field}"`);
      if (text) expect(res.body, field).toContain(text);
    }
    // Every value typed comes back.
    expect(res.body).toContain('value="x@"');
    const en = await postForm(env.app, { agency: '' }, [], { 'accept-language': 'en' });
    expect(en.res.body).toContain('Choose the agency.');
    expect(en.res.body).toContain('Upload a proof of identity.');
    const after = await env.p.db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('a resident ID must pass its check digit; a credit code its pattern', async () => {
    const bad = await postForm(env.app, { idNumber: '210213198001010021' });
    expect(bad.res.body).toContain('居民身份证号码不正确');
    const org = await postForm(env.app, { requesterType: 'legal-services', requesterName: '辽宁海岸律师事务所', idKind: 'credit-code', idNumber: '31210000MD2468135I', orgContact: '何律师' });
    expect(org.res.body).toContain('统一社会信用代码应为18位');
  });

  it('refuses the upload without the CSRF token first, and a proof that is not a PDF or an image', async () => {
    const { multipart, publicForm } = await import('../appeals/util.js');
    const f = await publicForm(env.app, '/disclosure-requests/new');
    const mp = multipart({ ...REQUEST, _csrf: f.csrf }, [{ name: 'idProof', filename: 'id.png', type: 'image/png', data: PNG }]);
    // The token is not the first part: 403.
    const late = await env.app.inject({ method: 'POST', url: '/disclosure-requests/new', headers: { cookie: f.cookie, 'content-type': mp.contentType }, payload: mp.body });
    expect(late.statusCode).toBe(403);
    const exe = await postForm(env.app, {}, [{ name: 'idProof', filename: 'id.pdf', type: 'application/pdf', data: Buffer.from('MZ\x90\x00 not a pdf') }]);
    expect(exe.res.statusCode).toBe(400);
    expect(exe.res.body).toContain('身份证明只能是PDF文件或图片');
  });

  it('check your answers → 修改 keeps every value and the proof → 确认提交 registers once; the number and code find it', async () => {
    const step1 = await postForm(env.app);
    expect(step1.res.statusCode).toBe(200);
    expect(step1.res.body).toContain('请核对您填写的信息');
    expect(step1.res.body).toContain('幸福路片区旧城改造项目征收补偿方案');
    expect(step1.res.body).toContain('1个文件');
    expect(step1.hidden.ticket).toBeTruthy();
    const edit = await env.app.inject({ method: 'POST', url: '/disclosure-requests/new/edit', headers: { cookie: step1.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(step1.hidden).toString() });
    expect(edit.body).toContain('value="幸福路片区旧城改造项目征收补偿方案"');
    expect(edit.body).toContain('已上传1个文件');
    const done = await confirmForm(env.app, step1.cookie, step1.hidden);
    expect(done.statusCode).toBe(201);
    const no = /class="tracking-no">(YS\d{15})</.exec(done.body)?.[1];
    const code = /class="query-code">(\d{10})</.exec(done.body)?.[1];
    expect(no && code).toBeTruthy();
    // A second 确认提交 from another browser registers nothing.
    const other = await (await import('../appeals/util.js')).publicForm(env.app, '/disclosure-requests/new');
    const again = await confirmForm(env.app, other.cookie, { ...step1.hidden, _csrf: other.csrf });
    expect(again.statusCode).toBe(409);
    expect(await env.p.db.selectFrom('disclosure_requests').select('id').where('info_name', '=', REQUEST.infoName).where('channel', '=', 'online').execute()).toHaveLength(1);
    const r = await env.p.db.selectFrom('disclosure_requests').selectAll().where('tracking_no', '=', no!).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ state: 'awaiting-receipt', received_on: null, due_date: null, channel: 'online', to_government: 1 });
    expect(JSON.parse(r.id_proofs)).toHaveLength(1);
    // Online: no reply clock until both sides confirm (Art. 31).
    expect(await env.p.db.selectFrom('clocks').select('id').where('subject_type', '=', 'disclosure-request').where('subject_id', '=', String(r.id)).execute()).toEqual([]);
    const page = await statusPage(env.app, no!, code!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('待确认收到');
    expect(page.body).toContain('以双方确认之日为收到申请之日');
    expect((await statusPage(env.app, no!, '0000000000')).statusCode).toBe(404);
  });
});

describe('the JSON API', () => {
  it('submits online with a base64 proof (a missing one named on identityProofs) and looks the request up with the code in the body', async () => {
    const body = { ...REQUEST };
    const missing = await env.api('POST', '/api/v1/disclosure-requests', { body });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual({ identityProofs: '请上传身份证明。' });
    const bad = await env.api('POST', '/api/v1/disclosure-requests', { body: { ...body, identityProofs: [{ name: 'a.exe', content: Buffer.from('MZ not an image').toString('base64') }] } });
    expect(bad.json().error.fields).toHaveProperty(['identityProofs.0']);
    const ok = await env.api('POST', '/api/v1/disclosure-requests', { body: { ...body, identityProofs: [{ name: '身份证.png', content: PNG.toString('base64') }] } });
    expect(ok.statusCode, ok.body).toBe(201);
    const s = ok.json();
    expect(s).toMatchObject({ state: 'awaiting-receipt', receivedOn: null, dueDate: null, statusUrl: `/disclosure-requests/track?no=${s.trackingNo}` });
    const look = await env.app.inject({ method: 'POST', url: `/api/v1/disclosure-requests/${s.trackingNo}/lookup`, payload: { code: s.queryCode } });
    expect(look.json()).toMatchObject({ trackingNo: s.trackingNo, state: 'awaiting-receipt', due: null, events: [{ kind: 'received', data: { channel: 'online' } }] });
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/disclosure-requests/${s.trackingNo}/lookup`, payload: { code: '1234567890' } })).statusCode).toBe(404);
  });

  it('lists the Table 三 outcomes: six groups, 21 outcomes a request may close with, each with its row', async () => {
    const r = (await env.app.inject('/api/v1/disclosure-requests/outcomes')).json();
    expect(r.groups.map((g: any) => g.row)).toEqual(['三（一）', '三（二）', '三（三）', '三（四）', '三（五）', '三（六）']);
    expect(r.groups.map((g: any) => g.reasons.length)).toEqual([0, 0, 8, 3, 5, 3]);
    expect(r.groups[4].reasons[0]).toMatchObject({ code: 'not-processed.complaint', row: '三（五）1', zh: '1.信访举报投诉类申请' });
  });
});

describe('receipt date by channel (Art. 31)', () => {
  it('in person: that day; registered post: the day signed for — the reply clock runs from it', async () => {
    const today = todayShanghai();
    const a = await register(env, 'gkb-requests', { channel: 'in-person', arrivedOn: '2026-09-21' });
    expect(a).toMatchObject({ state: 'handling', receivedOn: '2026-09-21', dueDate: '2026-10-26' });
    const b = await register(env, 'gkb-requests', { channel: 'registered-post', arrivedOn: '2026-11-02' });
    expect(b).toMatchObject({ state: 'handling', receivedOn: '2026-11-02', dueDate: addWorkdays('2026-11-02', 20).due });
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', 'disclosure-request').where('subject_id', '=', String(b.id)).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ rule_code: 'request.reply', start_date: '2026-11-02', state: 'running' });
    // A future day is refused, naming the field.
    const future = await env.api('POST', '/api/v1/staff/disclosure-requests', { as: 'gkb-requests', body: { ...REQUEST, channel: 'in-person', arrivedOn: addWorkdays(today, 3).due } });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields).toHaveProperty('arrivedOn');
  });

  it('ordinary post, fax, e-mail: awaiting until staff record the confirming day (not before it arrived, not in the future)', async () => {
    for (const channel of ['ordinary-post', 'fax', 'email'] as const) {
      const r = await register(env, 'gkb-requests', { channel, arrivedOn: '2026-11-02' });
      expect(r).toMatchObject({ state: 'awaiting-receipt', receivedOn: null, dueDate: null });
      const early = await step(env, 'gkb-requests', r.id, 'confirm-receipt', { on: '2026-10-30' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.fields).toHaveProperty('on');
      const ok = await step(env, 'gkb-requests', r.id, 'confirm-receipt', { on: '2026-11-04', how: '电话与申请人确认' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toEqual({ state: 'handling', receivedOn: '2026-11-04', dueDate: addWorkdays('2026-11-04', 20).due });
      // Once: a second confirmation is refused.
      expect((await step(env, 'gkb-requests', r.id, 'confirm-receipt', {})).statusCode).toBe(409);
    }
    const events = await env.p.db.selectFrom('request_events').select(['kind', 'on_date', 'data', 'public']).where('kind', '=', 'receipt-confirmed').orderBy('id', 'desc').limit(1).execute();
    expect(JSON.parse(events[0].data)).toMatchObject({ receivedOn: '2026-11-04', by: '政务公开办依申请公开承办人' });
  });

  it('staff register only for the agencies they serve; registering tells the requester the number and code by SMS and e-mail', async () => {
    const other = await env.api('POST', '/api/v1/staff/disclosure-requests', { as: 'fgj-editor', body: { ...REQUEST, channel: 'in-person' } });
    expect(other.statusCode).toBe(403);
    const r = await register(env, 'fgj-editor', { agency: 'fgj', contactPhone: '13900001111', contactEmail: 'li@example.cn' });
    const jobs = (await env.p.db.selectFrom('jobs').select(['kind', 'payload']).where('idempotency_key', 'like', `%request:${r.id}:registered%`).execute()).map((j) => JSON.parse(j.payload));
    expect(jobs).toHaveLength(2);
    expect(JSON.stringify(jobs)).toContain(r.queryCode);
  });
});

describe('the status page', () => {
  it('escapes what the requester wrote and masks the personal data; explains the due date', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21', infoName: '<script>alert(1)</script>征收文件', infoDescription: '我叫张建国，电话13812345678，<img src=x onerror=alert(1)>请公开征收补偿方案。' });
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>征收文件');
    expect(page.body).toContain('张**');
    expect(page.body).not.toContain('张建国');
    expect(page.body).not.toContain('13812345678');
    expect(page.body).toContain('138****5678');
    expect(page.body).not.toContain(REQUEST.idNumber);
    expect(page.body).not.toContain('zhang@example.cn');
    // The due date and how it comes about: start, limit, the holidays skipped by name.
    expect(page.body).toContain('2026-10-26');
    expect(page.body).toContain('自2026-09-21（收到申请之日）起算，20个工作日');
    expect(page.body).toContain('国庆节7天（2026-10-01至2026-10-07）');
    expect(page.body).toContain('中秋节3天');
    const en = await statusPage(env.app, r.trackingNo, r.queryCode, { 'accept-language': 'en' });
    expect(en.body).toContain('From 2026-09-21 (the day of receipt, not counted): 20 working days.');
    // The API answers the same, masked.
    const api = await env.app.inject({ method: 'POST', url: `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, payload: { code: r.queryCode } });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ requesterName: '张**', contactPhone: '138****5678', due: { due: '2026-10-26', limit: 20, holidays: expect.arrayContaining([{ name: '国庆节', days: 7, from: '2026-10-01', to: '2026-10-07' }]) } });
    expect(api.body).not.toContain('13812345678');
  });
});

describe('identity proofs: the handling department only', () => {
  it("another department's handler sees neither the proof nor the number; an admin elsewhere neither; the handler does, audited", async () => {
    const step1 = await postForm(env.app, { agency: 'government', infoName: '身份证明权限测试' });
    const done = await confirmForm(env.app, step1.cookie, step1.hidden);
    const no = /class="tracking-no">(YS\d{15})</.exec(done.body)![1];
    const r = await env.p.db.selectFrom('disclosure_requests').selectAll().where('tracking_no', '=', no).executeTakeFirstOrThrow();
    // fgj-editor handles 发改局's requests, not the government's: not even visible.
    const fgj = await login(env.app, 'fgj-editor');
    expect((await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: fgj.cookie } })).statusCode).toBe(404);
    expect((await env.app.inject({ url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: fgj.cookie } })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'fgj-editor' })).statusCode).toBe(404);
    // The supervisor reads every request but not identity proofs; the admin (at home in 党政办) neither.
    for (const who of ['supervisor', 'admin']) {
      const d = await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: who });
      expect(d.statusCode, who).toBe(200);
      expect(d.json()).toMatchObject({ idNumber: null, identityProofs: [], identityProofCount: 1, can: { identity: false } });
      const s = await login(env.app, who);
      const page = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
      expect(page.body).toContain('仅受理机关的承办人员可以查看');
      expect(page.body).not.toContain('/identity/0');
      // The supervisor lacks the action (403), the admin holds it but not at home there (404).
      expect((await env.app.inject({ url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: s.cookie } })).statusCode).toBe(who === 'admin' ? 404 : 403);
    }
    // The government's office handles it: number, proof, audit event.
    const gkb = await login(env.app, 'gkb-requests');
    const page = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: gkb.cookie } });
    expect(page.body).toContain(REQUEST.idNumber);
    const file = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: gkb.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toBe('private, no-store');
    const audit = await env.p.db.selectFrom('audit_events').select(['actor', 'entity_id']).where('action', '=', 'request.identity_view').execute();
    expect(audit).toContainEqual({ actor: 'user:gkb-requests', entity_id: String(r.id) });
  });
});

describe('the console', () => {
  it('a handler confirms receipt through the form; the page explains the clock and lists the timeline with names, not codes', async () => {
    const r = await register(env, 'gkb-requests', { channel: 'email', arrivedOn: '2026-11-02' });
    const s = await login(env.app, 'gkb-requests');
    const page = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('通过电子邮件提交的申请，以双方确认之日为收到申请之日');
    const post = await env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/confirm-receipt`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrfFrom(page.body), on: '2026-11-03', how: '回复电子邮件确认' }).toString() });
    expect(post.statusCode).toBe(303);
    const after = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(after.body).toContain('收到申请日期为2026-11-03');
    expect(after.body).toContain('政务公开办依申请公开承办人');
    expect(after.body).not.toContain('user:gkb-requests');
    expect((await row(r.id)).received_on).toBe('2026-11-03');
  });
});

describe('the disclosure guide', () => {
  it('links the online form only when the request module is mounted', async () => {
    const withIt = await env.app.inject({ url: '/catalog/disclosure-guide' });
    expect(withIt.body).toContain('href="/disclosure-requests/new"');
    const bare = await makeEnv({ demo: false, modules: MODULES.filter((m) => m.name !== 'requests') });
    try {
      const page = await bare.app.inject({ url: '/catalog/disclosure-guide' });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('/disclosure-requests');
      expect(page.body).toContain('通过信函、当面等方式');
    } finally {
      await bare.close();
    }
  });
});
