// Who sees what: a department sees the appeals dispatched to it (lead or assisting); operators
// see intake; the centre sees everything; the public sees only published, masked text and their
// own appeal with the query code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { submitAppeal } from '../../src/modules/appeals/service/intake.js';
import { dispatchAppeal } from '../../src/modules/appeals/service/workflow.js';
import { APPEAL } from './util.js';

let env: TestEnv;
let toFgj: { id: number; trackingNo: string; queryCode: string };
let toScjg: { id: number; trackingNo: string };
let undispatched: { id: number };
beforeAll(async () => {
  env = await makeEnv();
  toFgj = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '发改局的工单' });
  toScjg = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '市场监管局的工单' });
  undispatched = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '待派单的工单' });
  await dispatchAppeal(env.p, 'system', toFgj.id, { department: 'fgj' });
  await dispatchAppeal(env.p, 'system', toScjg.id, { department: 'scjg', assisting: ['dzb'] });
});
afterAll(async () => env?.close());

const ids = async (as: string) => ((await env.api('GET', '/api/v1/staff/appeals?pageSize=100', { as })).json().items as { id: number }[]).map((i) => i.id);

describe('staff scope', () => {
  it('a department sees only appeals dispatched to it (as lead or assisting)', async () => {
    const fgj = await ids('fgj-editor');
    expect(fgj).toContain(toFgj.id);
    expect(fgj).not.toContain(toScjg.id);
    expect(fgj).not.toContain(undispatched.id);
    expect((await env.api('GET', `/api/v1/staff/appeals/${toScjg.id}`, { as: 'fgj-editor' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/appeals/${toFgj.id}`, { as: 'fgj-editor' })).statusCode).toBe(200);
    const dzb = await ids('dzb-editor');
    expect(dzb).toContain(toScjg.id); // assisting
    expect(dzb).not.toContain(toFgj.id);
  });

  it('a department cannot act on another department’s appeal, nor reply as assisting department', async () => {
    expect((await env.api('POST', `/api/v1/staff/appeals/${toScjg.id}/reply`, { as: 'fgj-editor', body: { reply: 'x' } })).statusCode).toBe(404);
    expect((await env.api('POST', `/api/v1/staff/appeals/${toScjg.id}/reply`, { as: 'dzb-editor', body: { reply: 'x' } })).statusCode).toBe(403);
    expect((await env.api('POST', `/api/v1/staff/appeals/${toFgj.id}/redispatch`, { as: 'fgj-editor', body: { department: 'scjg', reason: 'x' } })).statusCode).toBe(403);
  });

  it('operators see intake (received appeals and their own), not the departments’ work', async () => {
    const op = await ids('operator');
    expect(op).toContain(undispatched.id);
    expect(op).not.toContain(toFgj.id);
    expect((await env.api('POST', `/api/v1/staff/appeals/${undispatched.id}/dispatch`, { as: 'operator', body: { department: 'fgj' } })).statusCode).toBe(403);
  });

  it('the centre and the supervisor see everything', async () => {
    for (const u of ['sqzx-editor', 'supervisor', 'admin']) {
      const all = await ids(u);
      expect(all).toEqual(expect.arrayContaining([toFgj.id, toScjg.id, undispatched.id]));
    }
  });

  it('contact data is shown to the handling department and the centre, masked to supervisors', async () => {
    expect((await env.api('GET', `/api/v1/staff/appeals/${toFgj.id}`, { as: 'fgj-editor' })).json().contact.phone).toBe('13812345678');
    expect((await env.api('GET', `/api/v1/staff/appeals/${toFgj.id}`, { as: 'supervisor' })).json().contact).toBeNull();
    const s = await login(env.app, 'supervisor');
    const page = await env.app.inject({ method: 'GET', url: `/admin/appeals/${toFgj.id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('13812345678');
    expect(page.body).toContain('138****5678');
  });

  it('the console pages need a login', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/admin/appeals' });
    expect(r.statusCode).toBe(302);
    expect((await env.api('GET', '/api/v1/staff/appeals')).statusCode).toBe(401);
  });
});

describe('the public', () => {
  it('sees its own appeal with the code, and only published masked text elsewhere', async () => {
    const own = await env.api('GET', `/api/v1/appeals/${toFgj.trackingNo}?code=${toFgj.queryCode}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().title).toBe('发改局的工单');
    // Open311: its status fields, never its text.
    const o311 = await env.app.inject({ method: 'GET', url: '/open311/v2/requests.json' });
    expect(o311.json().find((r: any) => r.service_request_id === toFgj.trackingNo)).toMatchObject({ description: null, media_url: null });
    expect(o311.body).not.toContain('发改局的工单');
    const one = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${toFgj.trackingNo}.json` });
    expect(one.json()[0]).toMatchObject({ service_request_id: toFgj.trackingNo, description: null });
    expect(one.body).not.toContain('发改局的工单');
    const board = await env.api('GET', '/api/v1/appeals/board?pageSize=100');
    expect(JSON.stringify(board.json())).not.toContain('13812345678');
    expect(JSON.stringify(board.json())).not.toContain('发改局的工单');
  });
});
