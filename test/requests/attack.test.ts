// Disclosure requests, attacked: another department's staff, the citizen's status look-up (lock,
// masking, markup), odd input on the API and steps in the wrong state — always a 4xx, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { PNG, register, statusPage, step } from './util.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

const ID2 = withIdCheckDigit('21021319800101003');

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const proof = [{ name: 'id.png', content: PNG.toString('base64') }];

describe('staff of another department', () => {
  it('cannot see, act on, or download the identity proof of a request of the government office', async () => {
    const r = await register(env, 'gkb-requests', { identityProofs: proof });
    for (const as of ['dzb-editor', 'scjg-editor']) {
      const d = await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as });
      expect([403, 404]).toContain(d.statusCode);
      for (const [a, b] of [['correction', { items: ['x'] }], ['extension', { workdays: 5, reason: 'x' }], ['extension-decision', { approve: true }], ['consult', { kind: 'third-party', party: 'x' }], ['refer', {}]] as const) {
        const s = await step(env, as, r.id, a, b);
        expect([403, 404], `${as} ${a}`).toContain(s.statusCode);
      }
      const list = (await env.api('GET', '/api/v1/staff/disclosure-requests?q=' + r.trackingNo, { as })).json();
      expect(list.total ?? 0).toBe(0);
      const s = await login(env.app, as);
      const f = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: s.cookie } });
      expect([403, 404]).toContain(f.statusCode);
      expect(f.headers['content-type'] ?? '').not.toContain('image/png');
    }
    // The handler may read the proof.
    const s = await login(env.app, 'gkb-requests');
    const f = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: s.cookie } });
    expect(f.statusCode).toBe(200);
  });
});

describe('the status look-up', () => {
  it('locks the number after wrong codes — the right code is then refused too', async () => {
    const r = await register(env, 'gkb-requests');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: 'ZZZZZZ' } })).statusCode);
    expect(codes).toContain(429);
    expect((await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: r.queryCode } })).statusCode).toBe(429);
    // The status page shares the lock: the right code shows nothing of the request.
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.statusCode).toBeLessThan(500);
    expect(page.body).not.toContain('幸福路片区旧城改造项目征收补偿方案');
  });

  it('masks the identity and escapes markup on the status page', async () => {
    const r = await register(env, 'gkb-requests', { requesterName: '<img src=x onerror=alert(1)>', infoName: '<script>alert(1)</script>', infoDescription: '我的电话13812345678，身份证号 ' + ID2 });
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).not.toContain('13812345678');
    expect(page.body).not.toContain(ID2);
    const j = (await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: r.queryCode } })).json();
    expect(JSON.stringify(j)).not.toContain('13812345678');
    expect(JSON.stringify(j)).not.toContain('zhang@example.cn');
    const s = await login(env.app, 'gkb-requests');
    const c = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(c.statusCode).toBe(200);
    expect(c.body).not.toContain('<script>alert(1)');
    expect(c.body).not.toContain('<img src=x');
    const l = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests`, headers: { cookie: s.cookie } });
    expect(l.body).not.toContain('<script>alert(1)');
  });
});

describe('odd input and wrong states: a 4xx, never a 5xx', () => {
  it('refuses a future or too early receipt date, steps on a closed request, and odd ids', async () => {
    const future = await env.api('POST', '/api/v1/staff/disclosure-requests', { as: 'gkb-requests', body: { ...(await import('./util.js')).REQUEST, channel: 'in-person', arrivedOn: '2099-01-01' } });
    expect(future.statusCode).toBe(400);
    const online = await register(env, 'gkb-requests', { channel: 'email', arrivedOn: '2026-09-21' });
    expect((await step(env, 'gkb-requests', online.id, 'confirm-receipt', { on: '2026-09-20' })).statusCode).toBe(400);
    expect((await step(env, 'gkb-requests', online.id, 'confirm-receipt', { on: '2099-09-20' })).statusCode).toBe(400);
    expect((await step(env, 'gkb-requests', online.id, 'extension', { workdays: 5, reason: 'x' })).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', online.id, 'corrected', {})).statusCode).toBe(409);
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 21, reason: 'x' })).statusCode).toBe(400);
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 20, reason: 'x' })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 5, reason: 'y' })).statusCode).toBe(409);
    expect((await step(env, 'gkb-requests', r.id, 'extension-decision', { approve: true })).statusCode).toBe(403);
    expect((await step(env, 'gkb-requests', r.id, 'refer', {})).statusCode).toBe(200);
    for (const [a, b] of [['consult', { kind: 'third-party', party: 'x' }], ['correction', { items: ['x'] }], ['extension-decision', { approve: true }], ['confirm-receipt', {}], ['refer', {}]] as const) {
      const s = await step(env, 'gkb-approver', r.id, a, b);
      expect([400, 403, 409], a).toContain(s.statusCode);
    }
    const ans = await env.api('POST', `/api/v1/staff/disclosure-requests/${r.id}/consultations/99999/answer`, { as: 'gkb-requests', body: { answer: 'agree' } });
    expect(ans.statusCode).toBeLessThan(500);
    expect(ans.statusCode).toBeGreaterThanOrEqual(400);
    for (const url of [`/api/v1/staff/disclosure-requests/0`, `/api/v1/staff/disclosure-requests/99999999999`, `/api/v1/staff/disclosure-requests/abc`]) {
      const x = await env.api('GET', url, { as: 'gkb-requests' });
      expect([400, 404], url).toContain(x.statusCode);
    }
    const lk = await env.api('POST', `/api/v1/disclosure-requests/${'A'.repeat(41)}/lookup`, { body: { code: 'x' } });
    expect(lk.statusCode).toBe(400);
    const big = await env.api('POST', '/api/v1/disclosure-requests', { body: { ...(await import('./util.js')).REQUEST, infoDescription: 'x'.repeat(2001) } });
    expect(big.statusCode).toBe(400);
  });
});

describe('extension approval and consultations after the end', () => {
  it("another department's office head cannot approve; an answer after the request was closed changes nothing", async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 10, reason: '需要检索档案' })).statusCode).toBe(200);
    for (const as of ['dzb-approver', 'scjg-approver']) expect([403, 404], as).toContain((await step(env, as, r.id, 'extension-decision', { approve: true })).statusCode);
    const before = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    expect(before.extensions[0].status).toBe('pending');
    const c = await step(env, 'gkb-requests', r.id, 'consult', { kind: 'third-party', party: '某公司', on: '2026-09-22' });
    expect(c.statusCode, c.body).toBe(200);
    const d = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    const cid = d.consultations[0].id;
    // Another request's path with this consultation: not found.
    const other = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect((await env.api('POST', `/api/v1/staff/disclosure-requests/${other.id}/consultations/${cid}/answer`, { as: 'gkb-requests', body: { answer: 'consent', on: '2026-09-25' } })).statusCode).toBe(404);
    expect((await step(env, 'gkb-requests', r.id, 'refer', {})).statusCode).toBe(200);
    const closed = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    const ans = await env.api('POST', `/api/v1/staff/disclosure-requests/${r.id}/consultations/${cid}/answer`, { as: 'gkb-requests', body: { answer: 'consent', on: '2026-09-25' } });
    expect(ans.statusCode, ans.body).toBe(409);
    const after = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    expect(after.state).toBe(closed.state);
    expect((await step(env, 'gkb-approver', r.id, 'extension-decision', { approve: true })).statusCode).toBe(409);
  });
});

describe('the public form under odd input', () => {
  it('a field twice, a fake image, an oversized file, a field twice at confirmation: 4xx, nothing stored', async () => {
    const { postForm, confirmForm, REQUEST } = await import('./util.js');
    const { publicForm, multipart } = await import('../appeals/util.js');
    const { form } = await import('../helpers.js');
    const count = async () => Number((await env.p.db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
    const n0 = await count();
    // requesterName twice in the multipart body.
    const f = await publicForm(env.app, '/disclosure-requests/new');
    const mp = multipart({ _csrf: f.csrf, ...REQUEST }, [{ name: 'idProof', filename: 'id.png', type: 'image/png', data: PNG }]);
    const extra = Buffer.from(`--${mp.contentType.split('boundary=')[1]}\r\nContent-Disposition: form-data; name="requesterName"\r\n\r\n李四\r\n`);
    const twice = await env.app.inject({ method: 'POST', url: '/disclosure-requests/new', headers: { cookie: f.cookie, 'content-type': mp.contentType }, payload: Buffer.concat([extra, mp.body]) });
    expect(twice.statusCode, twice.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(twice.statusCode).toBeLessThan(500);
    const fake = await postForm(env.app, {}, [{ name: 'idProof', filename: 'id.png', type: 'image/png', data: Buffer.from('<html><script>alert(1)</script></html>') }]);
    expect(fake.res.statusCode).toBeGreaterThanOrEqual(400);
    expect(fake.res.statusCode).toBeLessThan(500);
    const huge = await postForm(env.app, {}, [{ name: 'idProof', filename: 'id.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(6_000_000)]) }]);
    expect(huge.res.statusCode).toBeGreaterThanOrEqual(400);
    expect(huge.res.statusCode).toBeLessThan(500);
    const ok = await postForm(env.app);
    expect(ok.res.statusCode).toBe(200);
    const body = form({ ...ok.hidden, infoName: [ok.hidden.infoName, '另一个'] } as never);
    const c = await env.app.inject({ method: 'POST', url: '/disclosure-requests/new/confirm', headers: { cookie: ok.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(c.statusCode).toBeGreaterThanOrEqual(400);
    expect(c.statusCode).toBeLessThan(500);
    expect(await count()).toBe(n0);
    const good = await confirmForm(env.app, ok.cookie, ok.hidden);
    expect(good.statusCode).toBeLessThan(400);
    expect(await count()).toBe(n0 + 1);
    // The status page with odd input.
    for (const [no, code] of [['', ''], ['YS' + '9'.repeat(300), 'x'.repeat(300)], ['\u0000', '\u0000']]) {
      const s = await statusPage(env.app, no, code);
      expect(s.statusCode, no.slice(0, 10)).toBeLessThan(500);
    }
    const g = await env.app.inject({ method: 'GET', url: '/disclosure-requests/track?no=%3Cscript%3Ealert(1)%3C/script%3E&code=a&code=b' });
    expect(g.statusCode).toBeLessThan(500);
    expect(g.body).not.toContain('<script>alert(1)');
  });
});

describe('steps while the reply clock is stopped', () => {
  it('no extension, consultation or extension approval while awaiting the correction; consultation not before receipt', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: '2026-09-21' });
    expect((await step(env, 'gkb-requests', r.id, 'consult', { kind: 'third-party', party: '某公司', on: '2026-09-18' })).statusCode).toBe(400);
    expect((await step(env, 'gkb-requests', r.id, 'correction', { items: ['x'], on: '2026-09-18' })).statusCode).toBe(400);
    expect((await step(env, 'gkb-requests', r.id, 'extension', { workdays: 10, reason: '需要检索档案' })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'correction', { items: ['请写明地址'], on: '2026-09-22' })).statusCode).toBe(200);
    const dec = await step(env, 'gkb-approver', r.id, 'extension-decision', { approve: true });
    expect(dec.statusCode, dec.body).toBe(409);
    const consult = await step(env, 'gkb-requests', r.id, 'consult', { kind: 'third-party', party: '某公司', on: '2026-09-23' });
    expect(consult.statusCode).toBe(409);
    // The state is named in words, in the reader's language — never its code.
    expect(consult.json().error.message).toBe('申请当前为“待补正”，不能办理这一步。');
    const en = await env.api('POST', `/api/v1/staff/disclosure-requests/${r.id}/consult`, { as: 'gkb-requests', body: { kind: 'third-party', party: '某公司', on: '2026-09-23' }, headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('The request is “Awaiting correction”: this step is not open.');
    const d = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    expect(d.state).toBe('awaiting-correction');
    expect(d.dueDate).toBeNull();
  });
});

describe('the console across departments', () => {
  it("another department's staff get 404 on the page and its steps; the admin sees the request but never the identity proof or number", async () => {
    const r = await register(env, 'gkb-requests', { identityProofs: proof });
    const s = await login(env.app, 'dzb-editor');
    expect((await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    const { form } = await import('../helpers.js');
    const post = await env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/refer`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, confirm: 'yes' }) });
    expect([403, 404]).toContain(post.statusCode);
    const page = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests?department=gkb`, headers: { cookie: s.cookie } });
    expect(page.body).not.toContain(r.trackingNo);
    for (const as of ['admin', 'supervisor']) {
      const a = await login(env.app, as);
      const f = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}/identity/0`, headers: { cookie: a.cookie } });
      expect([403, 404], as).toContain(f.statusCode);
      const d = await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as });
      expect(d.statusCode, as).toBe(200);
      {
        expect(d.json().idNumber).toBeNull();
        expect(d.json().identityProofs).toEqual([]);
        // Contacts are for those who may handle it (the admin holds request.handle everywhere).
        if (as === 'supervisor') expect(d.body).not.toContain('13812345678');
      }
    }
    const row = await env.p.db.selectFrom('disclosure_requests').select('state').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('handling');
  });
});
