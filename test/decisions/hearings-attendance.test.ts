// Public attendance (列席) of a hearing: seats up to the capacity, then a waiting list; cancelling
// with the code given at registration moves the first person waiting up. And the console pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { announce, insertDecision } from './hearings-util.js';

let env: TestEnv;
let decisionId: number;
beforeAll(async () => {
  env = await makeEnv();
  decisionId = await insertDecision(env, 'fgj', '示范新区公交线网优化方案');
}, 120_000);
afterAll(async () => env?.close());

let seq = 0;
const attend = (hid: number, name: string) => env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/attendance`, remoteAddress: `10.7.0.${++seq}`, payload: { name, email: `p${seq}@example.org` } });
const cancel = (hid: number, code: string) => env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/attendance/cancel`, remoteAddress: `10.7.1.${++seq}`, payload: { code } });
const statuses = async (hid: number) => (await env.p.db.selectFrom('dec_hearing_attendance').select(['name', 'status']).where('hearing_id', '=', hid).orderBy('id').execute()).map((r) => `${r.name}:${r.status}`);

describe('attendance', () => {
  it('confirms up to the capacity, then waits; a cancel moves the first waiting person up', async () => {
    const hid = await announce(env, decisionId, { capacity: 2 });
    const a = (await attend(hid, '甲')).json();
    const b = (await attend(hid, '乙')).json();
    const c = (await attend(hid, '丙')).json();
    const d = (await attend(hid, '丁')).json();
    expect([a.status, b.status, c.status, d.status]).toEqual(['confirmed', 'confirmed', 'waiting', 'waiting']);
    expect([c.position, d.position]).toEqual([1, 2]);
    expect(a.cancelCode).toBeTruthy();
    // The same contact twice is refused.
    const again = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/attendance`, remoteAddress: '10.7.9.9', payload: { name: '甲', email: 'p1@example.org' } });
    expect(again.statusCode).toBe(409);
    // A waiting person cancelling moves nobody.
    expect((await cancel(hid, d.cancelCode)).json()).toEqual({ cancelled: true, promoted: false });
    expect((await cancel(hid, a.cancelCode)).json()).toEqual({ cancelled: true, promoted: true });
    expect(await statuses(hid)).toEqual(['甲:cancelled', '乙:confirmed', '丙:confirmed', '丁:cancelled']);
    // A code works once; a wrong code is 404.
    expect((await cancel(hid, a.cancelCode)).statusCode).toBe(404);
    expect((await cancel(hid, 'nope')).statusCode).toBe(404);
    expect((await cancel(hid, '')).statusCode).toBe(400);
    // The code is kept only as a hash.
    const rows = await env.p.db.selectFrom('dec_hearing_attendance').select('cancel_hash').where('hearing_id', '=', hid).execute();
    for (const r of rows) expect(r.cancel_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.cancel_hash)).not.toContain(b.cancelCode);
    const view = (await env.app.inject(`/api/v1/hearings/${hid}`)).json();
    expect(view.attendance).toEqual({ confirmed: 2, waiting: 0 });
  });

  it('a hearing without seats refuses (409); bad input 400', async () => {
    const hid = await announce(env, decisionId, { capacity: 0 });
    expect((await attend(hid, '戊')).statusCode).toBe(409);
    const hid2 = await announce(env, decisionId, { capacity: 1 });
    const bad = await env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid2}/attendance`, remoteAddress: '10.7.3.1', payload: { name: '', email: 'not-an-address' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['email', 'name']);
  });

  it('the public pages: register and cancel by form, the code shown once', async () => {
    const hid = await announce(env, decisionId, { capacity: 1 });
    const page = await env.app.inject(`/decisions/hearings/${hid}/attend`);
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0];
    const post = (url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...data }).toString() });
    const r = await post(`/decisions/hearings/${hid}/attend`, { name: '林', phone: '13700001111' });
    expect(r.statusCode).toBe(200);
    const code = /<code class="code-once">([^<]+)<\/code>/.exec(r.body)?.[1];
    expect(code).toBeTruthy();
    const w = await post(`/decisions/hearings/${hid}/attend`, { name: '郑', phone: '13700002222' });
    expect(w.body).toContain('候补');
    const cx = await post(`/decisions/hearings/${hid}/attend/cancel`, { code: code! });
    expect(cx.statusCode).toBe(200);
    expect(await statuses(hid)).toEqual(['林:cancelled', '郑:confirmed']);
  });
});

describe('console', () => {
  it('creates a hearing by form and shows its page to the department only', async () => {
    const s = await login(env.app, 'fgj-editor');
    const page = await env.app.inject({ url: `/admin/decisions/${decisionId}/hearings/new`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    const local = (d: number) => new Date(Date.now() + d * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const form = new URLSearchParams({ _csrf: s.csrf, title: '控制台创建的听证会', startsAt: local(20), place: '三楼听证室', selectionMethod: '公开抽选', participants: '3', stratified: '1', registrationClosesAt: local(5), attendanceCapacity: '10' });
    const r = await env.app.inject({ method: 'POST', url: `/admin/decisions/${decisionId}/hearings/new`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    expect(r.statusCode).toBe(303);
    const url = String(r.headers.location);
    expect(url).toMatch(/^\/admin\/hearings\/\d+$/);
    const shown = await env.app.inject({ url, headers: { cookie: s.cookie } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('控制台创建的听证会');
    const tooSoon = new URLSearchParams({ ...Object.fromEntries(form), startsAt: local(2), registrationClosesAt: local(1) });
    const bad = await env.app.inject({ method: 'POST', url: `/admin/decisions/${decisionId}/hearings/new`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: tooSoon.toString() });
    expect(bad.statusCode).toBe(400);
    const other = await login(env.app, 'scjg-editor');
    expect((await env.app.inject({ url, headers: { cookie: other.cookie } })).statusCode).toBe(404);
  });
});
