// Subscriptions end to end, through a real SMTP server in-process: double opt-in (nothing before
// confirmation; the e-mail link; the SMS code with wrong tries locked), one-click unsubscribe by a
// bare POST (no cookie, no CSRF token), matching per facet, conjunction and saved search, one
// message per subscriber however many lists matched, and a correction / withdrawal reaching exactly
// the earlier recipients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { publish, step } from '../catalog/helpers.js';
import { sinkMessages } from '../../src/platform/channels/index.js';
import { mailsTo as mailsToOf, post as postOf, subEnv, subscribeApi as subscribeApiOf, subscribeEmail as subscribeEmailOf, type SubEnv } from './helpers.js';

let s: SubEnv;
let env: TestEnv;
let dzb = 0;
let other = 0;
beforeAll(async () => {
  s = await subEnv();
  ({ env, dzb, other } = s);
});
afterAll(async () => s?.close());

const mailsTo = (addr: string) => mailsToOf(s, addr);
const post = (url: string, payload: object) => postOf(s, url, payload);
const subscribeApi = (body: Record<string, string>) => subscribeApiOf(s, body);
const subscribeEmail = (address: string, target: Record<string, string>, frequency = 'immediately') => subscribeEmailOf(s, address, target, frequency);

async function newVersion(id: number, summary: string) {
  const r1 = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary } });
  expect(r1.statusCode).toBe(200);
  for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
}

const ledgerFor = (itemId: number, address: string) =>
  env.p.db
    .selectFrom('chn_deliveries as d')
    .innerJoin('sub_subscribers as r', 'r.id', 'd.recipient_id')
    .select(['d.version', 'd.kind', 'd.state', 'd.event', 'd.channel'])
    .where('d.item_id', '=', itemId)
    .where('r.address', '=', address)
    .orderBy('d.id')
    .execute();

describe('double opt-in', () => {
  it('sends nothing before confirmation; after the link, a publication arrives with its unsubscribe headers', async () => {
    const addr = 'optin.a@example.com';
    const r = await subscribeApi({ channel: 'email', address: addr, dept: String(dzb) });
    expect(r.statusCode).toBe(202);
    await env.drain();
    const early = await publish(env);
    await env.drain();
    expect(mailsTo(addr).filter((m) => m.headers.get('message-id')?.includes(`.i${early}.`))).toEqual([]);
    expect(await ledgerFor(early, addr)).toEqual([]);
    // Confirm through the link, then the next publication arrives.
    const confirm = mailsTo(addr).find((m) => m.text.includes('/subscriptions/confirm/'))!;
    const url = /https:\/\/gk\.example\.gov\.cn(\/subscriptions\/confirm\/[^\s]+)/.exec(confirm.text)![1]!;
    expect((await env.app.inject({ method: 'POST', url })).statusCode).toBe(200);
    const id = await publish(env);
    await env.drain();
    const got = mailsTo(addr).filter((m) => m.headers.get('message-id')?.includes(`.i${id}.v1@`));
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain('新发布');
    expect(got[0]!.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/gk\.example\.gov\.cn\/subscriptions\/u\/[^>]+>$/);
    expect(got[0]!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const index = (await env.p.db.selectFrom('pub_items').select('index_no').where('id', '=', id).executeTakeFirstOrThrow()).index_no!;
    expect(got[0]!.text).toContain(index);
    expect(await ledgerFor(id, addr)).toEqual([{ version: 1, kind: 'notice', state: 'sent', event: 'published', channel: 'email' }]);
  });

  it('by SMS: a 6-digit code; wrong codes are refused and locked after 5; the right one confirms', async () => {
    const mobile = '13912345678';
    const r = await subscribeApi({ channel: 'sms', address: mobile, type: 'document' });
    expect(r.statusCode).toBe(202);
    const { verifyToken } = JSON.parse(r.body);
    await env.drain();
    const text = sinkMessages(env.p, 'sms').filter((m) => m.to === mobile).pop()!.text;
    const code = /(\d{6})/.exec(text)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await post('/api/v1/subscriptions/confirmations', { verifyToken, code: wrong });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.fields.code).toBeTruthy();
    const ok = await post('/api/v1/subscriptions/confirmations', { verifyToken, code });
    expect(ok.statusCode).toBe(200);
    expect((await env.p.db.selectFrom('sub_subscribers').select('state').where('address', '=', mobile).executeTakeFirstOrThrow()).state).toBe('active');
    // Another subscription: five wrong codes lock it, and then even the right code fails.
    const r2 = await subscribeApi({ channel: 'sms', address: mobile, topic: '02' });
    const t2 = JSON.parse(r2.body).verifyToken;
    await env.drain();
    const code2 = /(\d{6})/.exec(sinkMessages(env.p, 'sms').filter((m) => m.to === mobile).pop()!.text)![1]!;
    const wrong2 = code2 === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await post('/api/v1/subscriptions/confirmations', { verifyToken: t2, code: wrong2 })).statusCode).toBe(400);
    const locked = await post('/api/v1/subscriptions/confirmations', { verifyToken: t2, code: code2 });
    expect(locked.statusCode).toBe(400);
    expect(JSON.parse(locked.body).error.fields.code).toContain('过多');
  });

  it('subscribing again answers as a new subscription: nobody learns what an address follows', async () => {
    const addr = 'again.d@example.com';
    await subscribeEmail(addr, { topic: '05' });
    const r = await subscribeApi({ channel: 'email', address: addr, topic: '05' });
    expect(r.statusCode).toBe(202);
    expect(Object.keys(JSON.parse(r.body)).sort()).toEqual(['channel', 'subscriptionId']);
    await env.drain();
    const last = mailsTo(addr).pop()!;
    expect(last.subject).toContain('已订阅');
    expect(last.text).toContain('/subscriptions/manage/');
    expect((await env.p.db.selectFrom('sub_subscriptions as x').innerJoin('sub_subscribers as r', 'r.id', 'x.subscriber_id').select('x.state').where('r.address', '=', addr).executeTakeFirstOrThrow()).state).toBe('active');
    // By SMS: a code as for a new subscription; a wrong one is refused all the same.
    const mobile = '13698765432';
    const first = await subscribeApi({ channel: 'sms', address: mobile, topic: '05' });
    await env.drain();
    const c1 = /(\d{6})/.exec(sinkMessages(env.p, 'sms').filter((m) => m.to === mobile).pop()!.text)![1]!;
    expect((await post('/api/v1/subscriptions/confirmations', { verifyToken: JSON.parse(first.body).verifyToken, code: c1 })).statusCode).toBe(200);
    const again = await subscribeApi({ channel: 'sms', address: mobile, topic: '05' });
    expect(Object.keys(JSON.parse(again.body)).sort()).toEqual(['channel', 'subscriptionId', 'verifyToken']);
    await env.drain();
    const c2 = /(\d{6})/.exec(sinkMessages(env.p, 'sms').filter((m) => m.to === mobile).pop()!.text)![1]!;
    const wrong = c2 === '000000' ? '111111' : '000000';
    expect((await post('/api/v1/subscriptions/confirmations', { verifyToken: JSON.parse(again.body).verifyToken, code: wrong })).statusCode).toBe(400);
    expect((await post('/api/v1/subscriptions/confirmations', { verifyToken: JSON.parse(again.body).verifyToken, code: c2 })).statusCode).toBe(200);
  });

  it('names the field of a bad request, and writes nothing', async () => {
    const before = Number((await env.p.db.selectFrom('sub_subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const cases: [Record<string, string>, string][] = [
      [{ channel: 'email', address: 'not-an-address', dept: String(dzb) }, 'address'],
      [{ channel: 'sms', address: '12345', dept: String(dzb) }, 'address'],
      [{ channel: 'email', address: 'x@example.com' }, 'target'],
      [{ channel: 'email', address: 'x@example.com', dept: '99999' }, 'dept'],
      [{ channel: 'email', address: 'x@example.com', type: 'no-such-type' }, 'type'],
      [{ channel: 'email', address: 'x@example.com', topic: '<script>' }, 'topic'],
      [{ channel: 'email', address: 'x@example.com', dept: String(dzb), frequency: 'hourly' }, 'frequency'],
    ];
    for (const [body, field] of cases) {
      const r = await subscribeApi(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(JSON.parse(r.body).error.fields ?? {})).toContain(field);
    }
    const after = Number((await env.p.db.selectFrom('sub_subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });
});

describe('unsubscribe', () => {
  it('one click: a bare POST without cookie or CSRF token ends the subscription; nothing more is sent', async () => {
    const addr = 'unsub.b@example.com';
    await subscribeEmail(addr, { dept: String(dzb) });
    const id = await publish(env);
    await env.drain();
    const mail = mailsTo(addr).find((m) => m.headers.get('message-id')?.includes(`.i${id}.`))!;
    const url = /<https:\/\/gk\.example\.gov\.cn([^>]+)>/.exec(mail.headers.get('list-unsubscribe')!)![1]!;
    const r = await env.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['set-cookie'] ?? '').not.toContain('session');
    // Again: still fine (idempotent).
    expect((await env.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode).toBe(200);
    const next = await publish(env);
    await env.drain();
    expect(mailsTo(addr).filter((m) => m.headers.get('message-id')?.includes(`.i${next}.`))).toEqual([]);
    // A forged token is a 404, not a 5xx.
    expect((await env.app.inject({ method: 'POST', url: '/subscriptions/u/abc.def' })).statusCode).toBe(404);
  });
});

describe('matching', () => {
  it('per facet, per conjunction and per saved search, one message per subscriber however many lists matched', async () => {
    const both = 'match.both@example.com';
    const otherDept = 'match.other@example.com';
    const search = 'match.search@example.com';
    const searchMiss = 'match.miss@example.com';
    await subscribeEmail(both, { dept: String(dzb) });
    await subscribeEmail(both, { dept: String(dzb), type: 'document' });
    await subscribeEmail(otherDept, { dept: String(other) });
    await subscribeEmail(search, { q: '冬季供暖 补贴' });
    await subscribeEmail(searchMiss, { q: '冬季供暖 游泳' });
    const id = await publish(env, { title: '关于发放2026年冬季供暖补贴的通知', summary: '明确补贴对象和标准。' });
    await env.drain();
    const of = (a: string) => mailsTo(a).filter((m) => m.headers.get('message-id')?.includes(`.i${id}.`));
    expect(of(both)).toHaveLength(1);
    expect(of(otherDept)).toHaveLength(0);
    expect(of(search)).toHaveLength(1);
    expect(of(searchMiss)).toHaveLength(0);
  });
});

describe('corrections and withdrawals reach exactly the earlier recipients', () => {
  it('a new version: a correction to who got v1, the new version to who subscribed since; a withdrawal to both', async () => {
    const early = 'corr.early@example.com';
    const late = 'corr.late@example.com';
    const never = 'corr.never@example.com';
    await subscribeEmail(early, { dept: String(dzb) });
    const id = await publish(env, { title: '关于调整区内公共停车收费标准的通知' });
    await env.drain();
    await subscribeEmail(late, { dept: String(dzb) });
    // Pending (never confirmed): must get nothing at all.
    expect((await subscribeApi({ channel: 'email', address: never, dept: String(dzb) })).statusCode).toBe(202);
    await newVersion(id, '更正：收费时段为8:00至20:00。');
    await env.drain();
    expect(await ledgerFor(id, early)).toEqual([
      { version: 1, kind: 'notice', state: 'sent', event: 'published', channel: 'email' },
      { version: 2, kind: 'correction', state: 'sent', event: 'changed', channel: 'email' },
    ]);
    expect(await ledgerFor(id, late)).toEqual([{ version: 2, kind: 'notice', state: 'sent', event: 'changed', channel: 'email' }]);
    expect(await ledgerFor(id, never)).toEqual([]);
    const corr = mailsTo(early).filter((m) => m.headers.get('message-id')?.includes(`.i${id}.v2@`));
    expect(corr).toHaveLength(1);
    expect(corr[0]!.subject).toContain('更正');
    expect((await step(env, id, 'dzb-approver', 'withdraw', '内容有误，予以撤回')).statusCode).toBe(200);
    await env.drain();
    for (const a of [early, late]) {
      const rows = await ledgerFor(id, a);
      expect(rows.at(-1)).toEqual({ version: 2, kind: 'withdrawal', state: 'sent', event: 'withdrawn', channel: 'email' });
      const w = mailsTo(a).filter((m) => m.subject.includes('撤回'));
      expect(w.some((m) => m.text.includes('内容有误，予以撤回'))).toBe(true);
    }
    expect(await ledgerFor(id, never)).toEqual([]);
  });
});
