// The appeal lifecycle end to end through each door: the public web form (with a photo), the
// operator's phone intake, and Open311; then dispatch, extension, urging, reply, rating,
// reopening, closing with a call-back, merging, return, and publication of the masked text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { APPEAL, PNG, submitWeb, publicForm } from './util.js';
import { createApiKey } from '../../src/modules/appeals/api/open311.js';
import { sinkMessages } from '../../src/platform/channels/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

async function idOf(no: string): Promise<number> {
  return (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
}

async function act(as: string, id: number, action: string, body: Record<string, unknown>) {
  return env.api('POST', `/api/v1/staff/appeals/${id}/${action}`, { as, body });
}

/** The department replies and the centre approves the reply (its review is on: the default, test/appeals/review.test.ts). */
async function answer(as: string, id: number, body: Record<string, unknown>) {
  expect((await act(as, id, 'reply', body)).statusCode).toBe(204);
  expect((await act('sqzx-approver', id, 'reply-review', { approve: true })).statusCode).toBe(204);
}

describe('door 1: the public web form', () => {
  it('a citizen submits with a photo, follows with the query code, the department replies, the citizen rates, the centre publishes the masked text', async () => {
    const { res, no, code } = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'street.png', type: 'image/png', data: PNG }]);
    expect(res.statusCode).toBe(201);
    expect(no).toMatch(/^SQ\d{15}$/);
    expect(code).toMatch(/^\d{10}$/);
    const id = await idOf(no!);
    const row = await env.p.db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.media)).toHaveLength(1);
    expect(row.channel).toBe('web');

    let view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().status).toBe('received');
    expect(view.json().history.map((h: any) => h.action)).toEqual(['receive']);

    // The centre sees a suggestion (category noise → 生态环境分局) and dispatches.
    const staff = await env.api('GET', `/api/v1/staff/appeals/${id}`, { as: 'sqzx-editor' });
    expect(staff.json().suggestions[0].department).toBe('sthj');
    expect((await act('sqzx-editor', id, 'dispatch', { department: 'sthj', assisting: ['jd-hb'] })).statusCode).toBe(204);
    view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.json().status).toBe('dispatched');
    expect(view.json().department).toBe('生态环境分局');
    expect(view.json().due).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Extension request by the department, approved by the centre: the due date moves.
    const sthjEditor = await makeDeptEditor('sthj');
    const dueBefore = view.json().due;
    expect((await act(sthjEditor, id, 'extension', { workdays: 5, reason: '需现场监测' })).statusCode).toBe(204);
    expect((await act('sqzx-editor', id, 'extension-review', { approve: true })).statusCode).toBe(204);
    view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.json().due > dueBefore).toBe(true);

    // A supervisor urges: the lead department's handler finds it in the inbox.
    expect((await act('supervisor', id, 'urge', { note: '请加快办理' })).statusCode).toBe(204);
    const handlerId = (await env.p.db.selectFrom('users').select('id').where('username', '=', sthjEditor).executeTakeFirstOrThrow()).id;
    const notes = await env.p.db.selectFrom('notifications').selectAll().where('user_id', '=', handlerId).where('kind', '=', 'urge').execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ title: `督办：${no} ${row.title}`.slice(0, 200), body: '请加快办理', url: `/admin/appeals/${id}` });
    // …and nobody outside that department got it.
    const others = await env.p.db.selectFrom('notifications').innerJoin('user_roles', 'user_roles.user_id', 'notifications.user_id').innerJoin('departments', 'departments.id', 'user_roles.department_id').select('departments.code').where('notifications.kind', '=', 'urge').execute();
    expect(new Set(others.map((o) => o.code))).toEqual(new Set(['sthj']));
    // The department replies; the reply waits for the centre's review (the citizen cannot see or rate it yet) …
    expect((await act(sthjEditor, id, 'reply', { reply: '经查，工地已停止夜间施工，联系人张建国已知悉。', resolved: true })).statusCode).toBe(204);
    view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.json()).toMatchObject({ status: 'reply_review', reply: null, canRate: false });
    // … until a centre reviewer approves it.
    expect((await act('sqzx-approver', id, 'reply-review', { approve: true })).statusCode).toBe(204);
    view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.json().status).toBe('replied');
    expect(view.json().canRate).toBe(true);
    expect(view.json().history.map((h: any) => h.action)).toEqual(['receive', 'dispatch', 'assist', 'extend', 'urge', 'reply']);
    expect(view.json().history.find((h: any) => h.action === 'urge').note).toBe('');

    // The citizen rates (five levels) — the appeal closes.
    const rate = await env.api('POST', `/api/v1/appeals/${no}/rating`, { body: { code, rating: 'satisfied', comment: '谢谢' } });
    expect(rate.statusCode).toBe(204);
    const again = await env.api('POST', `/api/v1/appeals/${no}/rating`, { body: { code, rating: 'very-satisfied' } });
    expect(again.statusCode).toBe(409);
    view = await env.api('GET', `/api/v1/appeals/${no}?code=${code}`);
    expect(view.json().status).toBe('closed');
    expect(view.json().rating).toBe('satisfied');

    // Publication: staff review the masked draft, then release it through the spine.
    const draft = (await env.api('GET', `/api/v1/staff/appeals/${id}`, { as: 'sqzx-editor' })).json().masked;
    expect(draft.content).not.toContain('张建国');
    expect(draft.content).not.toContain('13812345678');
    expect(draft.content).toContain('张**');
    const rel = await act('sqzx-editor', id, 'release', { title: draft.title, content: draft.content + ' 补充：13912345678', reply: draft.reply });
    expect(rel.statusCode).toBe(204);
    const boardRes = await env.api('GET', '/api/v1/appeals/board?category=noise');
    const item = boardRes.json().items.find((i: any) => i.title === draft.title);
    expect(item).toBeTruthy();
    expect(item.content).not.toContain('13912345678'); // masked again on release
    const page = await env.app.inject({ method: 'GET', url: item.url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('张**');
    expect(page.body).not.toContain('张建国');
    const pubItem = await env.p.db.selectFrom('pub_items').select(['type', 'public', 'index_no']).where('id', '=', Number(item.url.split('/').pop())).executeTakeFirstOrThrow();
    expect(pubItem).toMatchObject({ type: 'appeal', public: 1 });
    expect(pubItem.index_no).toBeNull(); // 互动交流, not the disclosure catalog: no 索引号 (ADR 0008)
    // The published photo is served; an unpublished one is not.
    const media = JSON.parse((await env.p.db.selectFrom('appeals').select('media').where('id', '=', id).executeTakeFirstOrThrow()).media)[0];
    expect((await env.app.inject({ method: 'GET', url: `/appeals/media/${media}` })).statusCode).toBe(200);
    // Taking it off the board withdraws the spine item too.
    expect((await act('sqzx-editor', id, 'unpublish', { reason: '诉求人撤回同意' })).statusCode).toBe(204);
    expect((await env.app.inject({ method: 'GET', url: item.url })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: `/appeals/media/${media}` })).statusCode).toBe(404);
    const after = await env.p.db.selectFrom('pub_items').select(['status', 'public']).where('id', '=', Number(item.url.split('/').pop())).executeTakeFirstOrThrow();
    expect(after.status).toBe('withdrawn');
  });

  it('bad input gets clear messages and saves nothing', async () => {
    const before = Number((await env.p.db.selectFrom('appeals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const notImage = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'x.png', type: 'image/png', data: Buffer.from('MZ\x90\x00 this is an exe') }]);
    expect(notImage.res.statusCode).toBe(400);
    expect(notImage.res.body).toContain('照片须为 JPG、PNG、GIF 或 WebP 图片');
    const big = await submitWeb(env.app, {}, [{ name: 'photos', filename: 'big.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 10)]) }]);
    expect(big.res.statusCode).toBe(400);
    expect(big.res.body).toContain('每张照片不能超过5MB');
    const empty = await submitWeb(env.app, { content: '' });
    expect(empty.res.statusCode).toBe(400);
    expect(empty.res.body).toContain('必填');
    const long = await submitWeb(env.app, { content: '长'.repeat(5001) });
    expect(long.res.statusCode).toBe(400);
    expect(long.res.body).toContain('不能超过5000字');
    const phone = await submitWeb(env.app, { contactPhone: '1234' });
    expect(phone.res.statusCode).toBe(400);
    expect(phone.res.body).toContain('11位手机号码');
    const f = await publicForm(env.app);
    const broken = await env.app.inject({ method: 'POST', url: `/appeals/new?_csrf=${encodeURIComponent(f.csrf)}`, headers: { cookie: f.cookie, 'content-type': 'multipart/form-data; boundary=xx' }, payload: '--xx\r\nbroken' });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('上传的内容不完整');
    const api = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, contactPhone: '12345' } });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.fields.contactPhone).toBeTruthy();
    const after = Number((await env.p.db.selectFrom('appeals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });

  it('a wrong query code gives 404 without revealing whether the number exists', async () => {
    const { no, code } = await submitWeb(env.app);
    const wrong = String((Number(code) + 1) % 10_000_000_000).padStart(10, '0');
    const a = await env.api('GET', `/api/v1/appeals/${no}?code=${wrong}`);
    const b = await env.api('GET', `/api/v1/appeals/SQ202001010999999?code=${wrong}`);
    expect(a.statusCode).toBe(404);
    expect(b.statusCode).toBe(404);
    expect(a.json()).toEqual(b.json());
    const f = await publicForm(env.app, '/appeals/track');
    const post = (n: string) => env.app.inject({ method: 'POST', url: '/appeals/track', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, no: n, code: wrong }) });
    const pa = await post(no!);
    const pb = await post('SQ202001010999999');
    expect(pa.statusCode).toBe(404);
    expect(pa.body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/SQ\d+/g, '')).toBe(pb.body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/SQ\d+/g, ''));
  });

  it('a form post without the CSRF token is refused', async () => {
    const f = await publicForm(env.app);
    const res = await env.app.inject({ method: 'POST', url: '/appeals/track/rate', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ no: 'SQ202001010000001', code: '123456', rating: 'satisfied' }) });
    expect(res.statusCode).toBe(403);
  });

  it('verifies the mobile number with a code sent through the SMS channel', async () => {
    const r = await env.api('POST', '/api/v1/appeals/verification', { body: { phone: '13900001111' } });
    expect(r.statusCode).toBe(202);
    await env.drain();
    const sms = sinkMessages(env.p, 'sms').find((m) => m.to === '13900001111');
    expect(sms).toBeTruthy();
    const code = /(\d{6})/.exec(sms!.text)![1];
    const bad = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, contactPhone: '13900001111', verifyCode: code === '000000' ? '111111' : '000000' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.verifyCode).toBeTruthy();
    const ok = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, contactPhone: '13900001111', verifyCode: code } });
    expect(ok.statusCode).toBe(201);
    const row = await env.p.db.selectFrom('appeals').select('phone_verified').where('tracking_no', '=', ok.json().trackingNo).executeTakeFirstOrThrow();
    expect(row.phone_verified).toBe(1);
  });
});

let deptEditors = 0;
async function makeDeptEditor(dept: string): Promise<string> {
  const username = `${dept}-ed${deptEditors++}`;
  const { createUser } = await import('../../src/modules/org/service.js');
  await createUser(env.p, 'cli', { username, password: 'Appeals-Test-2026!x', department: dept, roles: ['editor'] });
  return username;
}

describe('verification by e-mail', () => {
  it('sends the code through the mailer and marks the e-mail as verified', async () => {
    const r = await env.api('POST', '/api/v1/appeals/verification', { body: { email: 'citizen@example.com' } });
    expect(r.statusCode).toBe(202);
    expect(r.json().channel).toBe('email');
    // A second request within the minute is refused with a clear message.
    const again = await env.api('POST', '/api/v1/appeals/verification', { body: { email: 'citizen@example.com' } });
    expect(again.statusCode).toBe(409);
    await env.drain();
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = `${env.dataDir}/outbox-mail`;
    const mail = readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8')).find((m) => m.includes('citizen@example.com'))!;
    const code = /\b(\d{6})\b/.exec(mail.replace(/=\r?\n/g, ''))?.[1] ?? /(\d{6})/.exec(Buffer.from(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)$/.exec(mail)?.[1] ?? '', 'base64').toString('utf8'))![1];
    const { contactPhone: _omit, ...noPhone } = APPEAL;
    const ok = await env.api('POST', '/api/v1/appeals', { body: { ...noPhone, contactEmail: 'citizen@example.com', verifyCode: code } });
    expect(ok.statusCode).toBe(201);
    const row = await env.p.db.selectFrom('appeals').select(['email_verified', 'phone_verified']).where('tracking_no', '=', ok.json().trackingNo).executeTakeFirstOrThrow();
    expect(row).toEqual({ email_verified: 1, phone_verified: 0 });
  });
});

describe('door 2: the operator console (phone intake)', () => {
  it('an operator registers a call from the keyboard-first form and reads out the number and code', async () => {
    const s = await login(env.app, 'operator');
    const page = await env.app.inject({ method: 'GET', url: '/admin/appeals/intake', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('accesskey="1"');
    const res = await env.app.inject({
      method: 'POST',
      url: '/admin/appeals/intake',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFrom(page.body), contactPhone: '0411-87654321', contactName: '李秀英', type: 'help', category: 'elderly', title: '独居老人需要帮助', content: '新胜家园一位独居老人行动不便，请社区帮助。' }),
    });
    expect(res.statusCode).toBe(201);
    const m = /(SQ\d{15})，查询码 (\d{10})。/.exec(res.body)!;
    expect(m).toBeTruthy();
    const row = await env.p.db.selectFrom('appeals').selectAll().where('tracking_no', '=', m[1]).executeTakeFirstOrThrow();
    expect(row.channel).toBe('phone');
    expect(row.contact_phone).toBe('0411-87654321');
    // then return (退单) → centre approves → re-dispatch, and a close with a callback
    await act('sqzx-editor', row.id, 'dispatch', { department: 'jyj' });
    const jyj = await makeDeptEditor('jyj');
    expect((await act(jyj, row.id, 'return', { reason: '不属于教育局职责' })).statusCode).toBe(204);
    expect((await act('sqzx-editor', row.id, 'return-review', { approve: true, note: '同意' })).statusCode).toBe(204);
    let st = (await env.api('GET', `/api/v1/staff/appeals/${row.id}`, { as: 'sqzx-editor' })).json();
    expect(st.status).toBe('received');
    expect(st.department).toBeNull();
    expect((await act('sqzx-editor', row.id, 'dispatch', { department: 'mzj' })).statusCode).toBe(204);
    expect((await act('sqzx-editor', row.id, 'redispatch', { department: 'jd-xs', reason: '属地街道办理' })).statusCode).toBe(204);
    const xs = await makeDeptEditor('jd-xs');
    await answer(xs, row.id, { reply: '社区已上门慰问并安排志愿者定期探访。', resolved: true });
    expect((await act('sqzx-editor', row.id, 'close', { callback: '已回访，来电人满意。' })).statusCode).toBe(204);
    st = (await env.api('GET', `/api/v1/staff/appeals/${row.id}`, { as: 'sqzx-editor' })).json();
    expect(st.status).toBe('closed');
    expect(st.history.map((h: any) => h.action)).toEqual(expect.arrayContaining(['return_request', 'return_approve', 'redispatch', 'callback', 'close']));
    // The clocks: the first two stopped, the last completed.
    const clocks = await env.p.db.selectFrom('clocks').select(['state', 'department_id']).where('subject_type', '=', 'appeal').where('subject_id', '=', String(row.id)).orderBy('id').execute();
    expect(clocks.map((c) => c.state)).toEqual(['stopped', 'stopped', 'completed']);
  });
});

describe('door 3: Open311', () => {
  it('a client with an api_key posts a request; the appeal follows the same lifecycle; duplicates are merged', async () => {
    const { key } = await createApiKey(env.p, 'test', 'city-app');
    const post = await env.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ api_key: key, service_code: 'street-light', lat: '38.95', long: '121.6', 'attribute[appeal_type]': 'help', description: '学府街路灯不亮，晚上很黑。', first_name: '明', last_name: '王', phone: '13700001111' }),
    });
    expect(post.statusCode).toBe(201);
    const no = post.json()[0].service_request_id;
    const id = await idOf(no);
    const dup = await env.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ api_key: key, service_code: 'street-light', lat: '38.9501', long: '121.6001', 'attribute[appeal_type]': 'help', description: '学府街路灯不亮，晚上很黑，请修理。' }),
    });
    const dupId = await idOf(dup.json()[0].service_request_id);
    const staff = (await env.api('GET', `/api/v1/staff/appeals/${dupId}`, { as: 'sqzx-editor' })).json();
    expect(staff.similar.map((s: any) => s.trackingNo)).toContain(no);
    await act('sqzx-editor', id, 'dispatch', { department: 'zjj' });
    expect((await act('sqzx-editor', dupId, 'merge', { into: no })).statusCode).toBe(204);
    const zjj = await makeDeptEditor('zjj');
    await answer(zjj, id, { reply: '路灯已修复。', resolved: true });
    const mine = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${dup.json()[0].service_request_id}.json?api_key=${key}` });
    expect(mine.json()[0].status).toBe('closed');
    expect(mine.json()[0].status_notes).toBe('路灯已修复。');
    const main = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${no}.json?api_key=${key}` });
    expect(main.json()[0]).toMatchObject({ status: 'open', agency_responsible: '住房和城乡建设局' });
  });

  it('floods from one address are rate-limited with a clear message', async () => {
    const limited = await makeEnv({ demo: true });
    try {
      let last: any;
      for (let i = 0; i < 25; i++) {
        last = await limited.app.inject({ method: 'POST', url: '/api/v1/appeals', payload: { ...APPEAL }, headers: { 'content-type': 'application/json' } });
        if (last.statusCode === 429) break;
      }
      expect(last.statusCode).toBe(429);
      expect(last.json().error.message).toContain('提交过于频繁');
      // Guessing query codes is throttled too (60 look-ups per minute per address by default).
      let look: any;
      for (let i = 0; i < 70; i++) {
        look = await limited.app.inject({ method: 'GET', url: `/api/v1/appeals/SQ202611270000001?code=${String(i).padStart(6, '0')}` });
        if (look.statusCode === 429) break;
      }
      expect(look.statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('reopening by an unsatisfied citizen (limited)', () => {
  it('a dissatisfied citizen reopens once; the second time is refused', async () => {
    const s = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, type: 'consult', category: 'policy', title: '咨询补贴', content: '请问小微企业补贴如何申报？' } });
    const { trackingNo: no, queryCode: code } = s.json();
    const id = await idOf(no);
    await act('sqzx-editor', id, 'dispatch', { department: 'fgj' });
    await answer('fgj-editor', id, { reply: '请关注官网通知。', resolved: false });
    await env.api('POST', `/api/v1/appeals/${no}/rating`, { body: { code, rating: 'very-dissatisfied' } });
    let v = (await env.api('GET', `/api/v1/appeals/${no}?code=${code}`)).json();
    expect(v.canReopen).toBe(true);
    expect((await env.api('POST', `/api/v1/appeals/${no}/reopen`, { body: { code, reason: '答复没有回答问题' } })).statusCode).toBe(204);
    v = (await env.api('GET', `/api/v1/appeals/${no}?code=${code}`)).json();
    expect(v.status).toBe('dispatched');
    expect(v.rating).toBeNull();
    await answer('fgj-editor', id, { reply: '申报条件与流程详见附件说明。', resolved: true });
    await env.api('POST', `/api/v1/appeals/${no}/rating`, { body: { code, rating: 'dissatisfied' } });
    v = (await env.api('GET', `/api/v1/appeals/${no}?code=${code}`)).json();
    expect(v.canReopen).toBe(false);
    expect((await env.api('POST', `/api/v1/appeals/${no}/reopen`, { body: { code, reason: '还是不满意' } })).statusCode).toBe(409);
  });
});
