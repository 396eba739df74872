// Disclosure requests part B (replies, fees, reviews), attacked as an outside reviewer would: an
// admin reaching across departments to approve or sign (the letter names the agency's head), the
// writer of a reply approving it because a colleague submitted it, the status page showing the
// letter's personal data unmasked, and steps that change the handling after the letter is signed.
// Each finding is written as what a requester or an office would notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { createUser } from '../../src/modules/org/service.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';
import { register, statusPage, step } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
  // An office head of 政务公开办 who also drafts (editor and approver at home).
  await createUser(env.p, 'cli', { username: 'gkb-head-writer', password: 'Demo-2026-gongkai', displayName: '政务公开办副主任', department: 'gkb', roles: [{ role: 'editor', includeChildren: false }, { role: 'approver', includeChildren: false }] });
}, 120_000);
afterAll(async () => env?.close());

const draft = (id: number, body: Record<string, unknown>, as = 'gkb-requests') => env.api('PUT', `/api/v1/staff/disclosure-requests/${id}/reply`, { as, body });
const replyOf = (id: number) => env.p.db.selectFrom('request_replies').selectAll().where('request_id', '=', id).executeTakeFirst();
const requestOf = (id: number) => env.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const eventKinds = async (id: number) => (await env.p.db.selectFrom('request_events').select('kind').where('request_id', '=', id).orderBy('id').execute()).map((e) => e.kind);
const NOT_HELD = { type: 'not-held', fields: { searched: '检索了2019年以来的收文和档案' } };

async function submitted(body: Record<string, unknown> = NOT_HELD, extra: Record<string, unknown> = {}) {
  const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai(), ...extra });
  expect((await draft(r.id, body)).statusCode).toBe(200);
  expect((await step(env, 'gkb-requests', r.id, 'reply-submit')).statusCode).toBe(200);
  return r;
}
async function signed(body: Record<string, unknown> = NOT_HELD, extra: Record<string, unknown> = {}) {
  const r = await submitted(body, extra);
  expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
  expect((await step(env, 'gkb-approver', r.id, 'reply-sign', {})).statusCode).toBe(200);
  return r;
}

describe('the office head’s steps are taken at home, never through an admin’s reach', () => {
  it('the system administrator (another department, global grant) cannot approve or sign a reply of 政务公开办, nor approve its extension', async () => {
    const r = await submitted();
    const approve = await step(env, 'admin', r.id, 'reply-decision', { approve: true });
    expect(approve.statusCode, approve.body).toBe(403);
    expect((await replyOf(r.id))?.status).toBe('awaiting-approval');
    expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
    const sign = await step(env, 'admin', r.id, 'reply-sign', {});
    expect(sign.statusCode, sign.body).toBe(403);
    const x = await replyOf(r.id);
    expect(x).toMatchObject({ status: 'approved', signed_by: null, letter_hash: null });
    expect(await eventKinds(r.id)).not.toContain('reply-signed');
    // The console offers the admin no approve or sign button, and its form post is refused.
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`action="/admin/disclosure-requests/${r.id}/reply-sign"`);
    // The office head signs: the letter names them.
    expect((await step(env, 'gkb-approver', r.id, 'reply-sign', {})).statusCode).toBe(200);
    expect((await replyOf(r.id))?.signer_name).toBe('政务公开办负责人');

    const e = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    expect((await step(env, 'gkb-requests', e.id, 'extension', { workdays: 10, reason: '需调取档案' })).statusCode).toBe(200);
    expect((await step(env, 'admin', e.id, 'extension-decision', { approve: true })).statusCode).toBe(403);
    const ext = await env.p.db.selectFrom('request_extensions').select('status').where('request_id', '=', e.id).execute();
    expect(ext).toEqual([{ status: 'pending' }]);
  });
});

describe('separation of duties: whoever wrote the reply does not approve it', () => {
  it('an office head who saved the draft cannot approve it because a colleague submitted it', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    expect((await draft(r.id, NOT_HELD, 'gkb-head-writer')).statusCode).toBe(200);
    expect((await draft(r.id, { ...NOT_HELD, body: '经检索，本机关未制作该信息。（副主任改写）' }, 'gkb-head-writer')).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'reply-submit')).statusCode).toBe(200);
    const own = await step(env, 'gkb-head-writer', r.id, 'reply-decision', { approve: true });
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().error.message).toContain('不能');
    expect((await replyOf(r.id))?.status).toBe('awaiting-approval');
    // The console shows them no approve button.
    const s = await login(env.app, 'gkb-head-writer');
    const page = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } });
    expect(page.body).not.toContain(`action="/admin/disclosure-requests/${r.id}/reply-decision"`);
    // Another office head may.
    expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
    expect((await step(env, 'gkb-head-writer', r.id, 'reply-sign', {})).statusCode).toBe(403);
  });
});

describe('the status page and the look-up API mask the personal data in the delivered letter', () => {
  it('a phone or ID number in the information’s name or the letter’s text is not shown whole', async () => {
    const id = withIdCheckDigit('21021319800101004');
    const r = await signed(
      { ...NOT_HELD, body: `张建国：你于申请中留下的手机号13912345678与身份证号${id}已核实。\n经检索查找，本机关未制作、获取你所申请的政府信息。` },
      { infoName: '本人（电话13712345678）房屋征收补偿协议', channelWanted: 'online' },
    );
    expect((await step(env, 'gkb-requests', r.id, 'reply-deliver', {})).statusCode).toBe(200);
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('本机关未制作、获取你所申请的政府信息');
    for (const secret of ['13912345678', '13712345678', id, '张建国']) expect(page.body, secret).not.toContain(secret);
    const api = await env.api('POST', `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, { body: { code: r.queryCode } });
    expect(api.statusCode).toBe(200);
    const letter = api.json().reply.letter;
    expect(letter.body).toContain('本机关未制作、获取你所申请的政府信息');
    expect(letter.letterNo).toContain(r.trackingNo);
    for (const secret of ['13912345678', '13712345678', id, '张建国']) expect(JSON.stringify(api.json()), secret).not.toContain(secret);
    // The office keeps the letter as signed (to the requester, whole).
    const s = await login(env.app, 'gkb-requests');
    const kept = await env.app.inject({ method: 'GET', url: `/admin/disclosure-requests/${r.id}/reply/letter`, headers: { cookie: s.cookie } });
    expect(kept.body).toContain('13912345678');
  });
});

describe('once the reply is signed, the handling does not change under the letter', () => {
  it('a fee notice, a consultation, a correction or a referral is refused (409) and nothing is written', async () => {
    const r = await signed();
    const before = await eventKinds(r.id);
    for (const [action, body] of [
      ['fee-notice', { method: 'pages', pages: 80 }],
      ['consult', { kind: 'third-party', party: '某公司' }],
      ['correction', { items: ['请写明所需信息的名称'] }],
      ['refer', {}],
    ] as const) {
      const res = await step(env, 'gkb-requests', r.id, action, body);
      expect(res.statusCode, `${action}: ${res.body}`).toBe(409);
      expect(res.json().error.message, action).toContain('签发');
    }
    expect((await requestOf(r.id)).state).toBe('handling');
    expect(await env.p.db.selectFrom('request_fees').select('id').where('request_id', '=', r.id).execute()).toEqual([]);
    expect(await env.p.db.selectFrom('request_consultations').select('id').where('request_id', '=', r.id).execute()).toEqual([]);
    expect(await eventKinds(r.id)).toEqual(before);
    // The signed letter is delivered as signed.
    expect((await step(env, 'gkb-requests', r.id, 'reply-deliver', { channel: 'pickup' })).statusCode).toBe(200);
  });

  it('a reply is not signed while a fee notice waits for payment (the fee lapsing would close the request under a signed letter)', async () => {
    const r = await submitted();
    expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'fee-notice', { method: 'pages', pages: 80 })).statusCode).toBe(200);
    const sign = await step(env, 'gkb-approver', r.id, 'reply-sign', {});
    expect(sign.statusCode, sign.body).toBe(409);
    expect(await replyOf(r.id)).toMatchObject({ status: 'approved', letter_hash: null });
    // Paid: the head signs, the handler delivers.
    expect((await step(env, 'gkb-requests', r.id, 'fee-paid', {})).statusCode).toBe(200);
    expect((await step(env, 'gkb-approver', r.id, 'reply-sign', {})).statusCode).toBe(200);
  });
});
