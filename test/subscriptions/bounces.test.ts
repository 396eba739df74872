// Bounces and complaints about subscription e-mail, through the mail server's report endpoint:
// real messages sent to a real SMTP server, then a Postfix-style DSN (RFC 3464) or an ARF
// complaint (RFC 5965) quoting their Message-ID. Three hard bounces in a row suspend the address
// and nothing more is sent to it until it confirms again; a delivery report resets the count; a
// soft bounce only records its status; a complaint ends every subscription; a digest's bounce
// reaches all its ledger rows; the endpoint is off without its token, refuses a wrong one, takes
// at most 1 MB and never answers garbage with a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { TestEnv } from '../helpers.js';
import { publish } from '../catalog/helpers.js';
import { shanghaiDayEnd, shanghaiDayStart } from '../../src/platform/dates.js';
import { runDigest } from '../../src/modules/subscriptions/service/digests.js';
import { classify, parseReport } from '../../src/modules/subscriptions/service/bounces.js';
import { mailsTo, subEnv, subscribeEmail, type SubEnv } from './helpers.js';

const TOKEN = 'mta-report-token-0123456789';
let s: SubEnv;
let env: TestEnv;
beforeAll(async () => {
  s = await subEnv({ GONGKAI_MAIL_REPORT_TOKEN: TOKEN });
  env = s.env;
});
afterAll(async () => s?.close());

const crlf = (x: string) => x.replace(/\r?\n/g, '\r\n');

/** A Postfix bounce (or success) report: the text part, the delivery status, the original headers. */
function postfixDsn(o: { to: string; messageId: string; action: 'failed' | 'delivered' | 'delayed'; status: string; diagnostic?: string }): string {
  const subject = o.action === 'failed' ? 'Undelivered Mail Returned to Sender' : o.action === 'delayed' ? 'Delayed Mail (still being retried)' : 'Successful Mail Delivery Report';
  return crlf(`Return-Path: <>
Received: by mx.gk.example.gov.cn (Postfix)
	id 4F1A2B3C4D; Thu,  3 Dec 2026 14:02:11 +0800 (CST)
Date: Thu,  3 Dec 2026 14:02:11 +0800 (CST)
From: MAILER-DAEMON@mx.gk.example.gov.cn (Mail Delivery System)
Subject: ${subject}
To: noreply@gk.example.gov.cn
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F1A2B3C4D.1764741731/mx.gk.example.gov.cn"
Content-Transfer-Encoding: 8bit
Message-Id: <20261203060211.4F1A2B3C4D@mx.gk.example.gov.cn>

This is a MIME-encapsulated message.

--4F1A2B3C4D.1764741731/mx.gk.example.gov.cn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.gk.example.gov.cn.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<${o.to}>: host mx.example.com[192.0.2.7] said: ${o.diagnostic ?? `550 ${o.status} User unknown`}

--4F1A2B3C4D.1764741731/mx.gk.example.gov.cn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.gk.example.gov.cn
X-Postfix-Queue-ID: 4F1A2B3C4D
X-Postfix-Sender: rfc822; noreply@gk.example.gov.cn
Arrival-Date: Thu,  3 Dec 2026 14:02:10 +0800 (CST)

Final-Recipient: rfc822; ${o.to}
Original-Recipient: rfc822;${o.to}
Action: ${o.action}
Status: ${o.status}
Remote-MTA: dns; mx.example.com
Diagnostic-Code: smtp; ${o.diagnostic ?? `550 ${o.status} <${o.to}>: Recipient address
    rejected: User unknown in virtual mailbox table`}

--4F1A2B3C4D.1764741731/mx.gk.example.gov.cn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Received: from gk.example.gov.cn (gk.example.gov.cn [203.0.113.9])
	by mx.gk.example.gov.cn (Postfix) with ESMTP id 4F1A2B3C4D
	for <${o.to}>; Thu,  3 Dec 2026 14:02:10 +0800 (CST)
From: =?UTF-8?B?56S66IyD5paw5Yy6?= <noreply@gk.example.gov.cn>
To: ${o.to}
Subject: =?UTF-8?B?5paw5Y+R5biD77ya5YWz5LqO?=
Message-ID: ${o.messageId}
Date: Thu, 03 Dec 2026 06:02:09 +0000
MIME-Version: 1.0
List-Unsubscribe-Post: List-Unsubscribe=One-Click

--4F1A2B3C4D.1764741731/mx.gk.example.gov.cn--
`);
}

/** A mailbox provider's complaint (ARF): the user pressed "report spam"; the message quoted inline. */
function arf(o: { to: string; messageId: string }): string {
  return crlf(`Received: by 10.20.30.40 with SMTP id feedback-loop; Thu, 03 Dec 2026 06:30:00 -0800 (PST)
Date: Thu, 03 Dec 2026 06:30:00 -0800
From: Mail Feedback Loop <feedbackloop@mail.example.com>
To: fbl@gk.example.gov.cn
Subject: Email Feedback Report for IP 203.0.113.9
Message-ID: <fbl.8f3a91c2@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
	boundary="----=_Part_240060962_1083385345.1764772200"

------=_Part_240060962_1083385345.1764772200
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 203.0.113.9 on Thu, 03 Dec 2026 06:02:09 +0000.
For more information about this format please see http://www.mipassoc.org/arf/.

------=_Part_240060962_1083385345.1764772200
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: FeedbackLoop/1.0
Version: 1
Original-Mail-From: <noreply@gk.example.gov.cn>
Original-Rcpt-To: <${o.to}>
Received-Date: Thu, 03 Dec 2026 06:02:09 +0000
Source-IP: 203.0.113.9
Reported-Domain: gk.example.gov.cn

------=_Part_240060962_1083385345.1764772200
Content-Type: message/rfc822
Content-Disposition: inline

Received: from gk.example.gov.cn (gk.example.gov.cn [203.0.113.9])
        by mx.mail.example.com with ESMTPS id x12si123456
        for <${o.to}>; Thu, 03 Dec 2026 06:02:09 -0800 (PST)
From: =?UTF-8?B?56S66IyD5paw5Yy6?= <noreply@gk.example.gov.cn>
To: ${o.to}
Subject: =?UTF-8?B?5paw5Y+R5biD77ya5YWz5LqO?=
Message-ID: ${o.messageId}
Date: Thu, 03 Dec 2026 06:02:09 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

新发布：关于……的通知

------=_Part_240060962_1083385345.1764772200--
`);
}

const report = (payload: string | Buffer, o: { token?: string | null; type?: string } = {}) =>
  env.app.inject({
    method: 'POST',
    url: '/api/v1/channels/mail/reports',
    headers: { 'content-type': o.type ?? 'message/rfc822', ...(o.token === null ? {} : { authorization: `Bearer ${o.token ?? TOKEN}` }) },
    payload,
  });

const subscriber = (address: string) => env.p.db.selectFrom('sub_subscribers').selectAll().where('address', '=', address).executeTakeFirstOrThrow();
const row = (id: number) => env.p.db.selectFrom('chn_deliveries').select(['state', 'reason', 'message_ref', 'delivered_at', 'failed_at']).where('id', '=', id).executeTakeFirstOrThrow();
/** The Message-ID of the notice about an item an address received. */
const noticeId = (address: string, itemId: number) => {
  const m = mailsTo(s, address).find((x) => x.headers.get('message-id')?.includes(`.i${itemId}.`));
  expect(m, `the notice of item ${itemId} to ${address}`).toBeTruthy();
  return m!.headers.get('message-id')!;
};
const ledgerIdOf = (messageId: string) => Number(/^<d(\d+)\./.exec(messageId)![1]);

async function publishedTo(address: string): Promise<{ itemId: number; messageId: string }> {
  const itemId = await publish(env);
  await env.drain();
  return { itemId, messageId: noticeId(address, itemId) };
}

async function bounce(address: string, messageId: string, status = '5.1.1') {
  const r = await report(postfixDsn({ to: address, messageId, action: 'failed', status }));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { matched: number; action: string };
}

describe('parsing', () => {
  it('reads the original Message-ID, action and status of a DSN and of an ARF with mailparser', async () => {
    const dsn = await parseReport(Buffer.from(postfixDsn({ to: 'x@example.com', messageId: '<d5.i2.v1@gk.example.gov.cn>', action: 'failed', status: '5.1.1' })));
    expect(dsn).toMatchObject({ kind: 'delivery-status', messageIds: ['<d5.i2.v1@gk.example.gov.cn>'], recipients: [{ finalRecipient: 'x@example.com', action: 'failed', status: '5.1.1' }] });
    expect(classify(dsn)).toEqual({ action: 'bounced', status: '5.1.1' });
    const c = await parseReport(Buffer.from(arf({ to: 'x@example.com', messageId: '<digest3.s9@gk.example.gov.cn>' })));
    expect(c).toMatchObject({ kind: 'feedback-report', feedbackType: 'abuse', messageIds: ['<digest3.s9@gk.example.gov.cn>'] });
    expect(classify(c).action).toBe('complaint');
    expect(classify(await parseReport(Buffer.from(postfixDsn({ to: 'x@example.com', messageId: '<d5.i2.v1@h>', action: 'delayed', status: '4.4.1' }))))).toEqual({ action: 'soft', status: '4.4.1' });
    expect(classify(await parseReport(Buffer.from(postfixDsn({ to: 'x@example.com', messageId: '<d5.i2.v1@h>', action: 'delivered', status: '2.0.0', diagnostic: '250 2.0.0 Ok' }))))).toEqual({ action: 'delivered', status: '2.0.0' });
    expect((await parseReport(Buffer.from('not a message at all'))).kind).toBeNull();
  });
});

describe('hard bounces', () => {
  it('three in a row suspend the address: its ledger rows are bounced, the next publication sends it nothing; confirming again reactivates it', async () => {
    const addr = 'bounce.three@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await publishedTo(addr));
    // The first two count; the address stays active.
    expect(await bounce(addr, sent[0]!.messageId)).toEqual({ matched: 1, action: 'bounced' });
    expect(await row(ledgerIdOf(sent[0]!.messageId))).toMatchObject({ state: 'bounced', reason: '5.1.1' });
    expect((await row(ledgerIdOf(sent[0]!.messageId))).failed_at).toBeTruthy();
    // The same report twice counts once.
    expect(await bounce(addr, sent[0]!.messageId)).toEqual({ matched: 1, action: 'bounced' });
    expect(await subscriber(addr)).toMatchObject({ state: 'active', bounces: 1 });
    await bounce(addr, sent[1]!.messageId, '5.2.1');
    expect(await subscriber(addr)).toMatchObject({ state: 'active', bounces: 2 });
    await bounce(addr, sent[2]!.messageId);
    expect(await subscriber(addr)).toMatchObject({ state: 'suspended', bounces: 3 });
    // Nothing more: no mail, and no ledger row of the next item for this address.
    const before = mailsTo(s, addr).length;
    const next = await publish(env);
    await env.drain();
    expect(mailsTo(s, addr)).toHaveLength(before);
    const sid = Number((await subscriber(addr)).id);
    const rows = await env.p.db.selectFrom('chn_deliveries').select(['state']).where('item_id', '=', next).where('recipient_kind', '=', 'subscriber').where('recipient_id', '=', sid).execute();
    expect(rows.every((r) => r.state === 'suppressed')).toBe(true);
    // The console counts it.
    const page = await env.api('GET', '/admin/subscriptions', { as: 'admin' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/因多次硬退信暂停推送的地址：[1-9]\d*个/);
    // Subscribing again and confirming from the address makes it reachable again, count reset.
    await subscribeEmail(s, addr, { dept: String(s.dzb) });
    expect(await subscriber(addr)).toMatchObject({ state: 'active', bounces: 0 });
    const again = await publishedTo(addr);
    expect(again.messageId).toMatch(/^<d\d+\.i\d+\.v1@gk\.example\.gov\.cn>$/);
  });

  it('a delivery report resets the count; a soft bounce records its status only', async () => {
    const addr = 'bounce.reset@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) });
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await publishedTo(addr));
    await bounce(addr, sent[0]!.messageId);
    await bounce(addr, sent[1]!.messageId);
    expect((await subscriber(addr)).bounces).toBe(2);
    const ok = await report(postfixDsn({ to: addr, messageId: sent[2]!.messageId, action: 'delivered', status: '2.0.0', diagnostic: '250 2.0.0 Ok: queued as 9A8B7C' }));
    expect(ok.json()).toEqual({ matched: 1, action: 'delivered' });
    expect(await row(ledgerIdOf(sent[2]!.messageId))).toMatchObject({ state: 'delivered' });
    expect((await row(ledgerIdOf(sent[2]!.messageId))).delivered_at).toBeTruthy();
    expect((await subscriber(addr)).bounces).toBe(0);
    // A soft bounce: still sent, the status noted; the count untouched.
    const soft = await report(postfixDsn({ to: addr, messageId: sent[3]!.messageId, action: 'delayed', status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' }));
    expect(soft.json()).toEqual({ matched: 1, action: 'soft' });
    expect(await row(ledgerIdOf(sent[3]!.messageId))).toMatchObject({ state: 'sent', reason: '4.2.2' });
    // Two more hard bounces after the reset: not three in a row.
    await bounce(addr, sent[3]!.messageId);
    await bounce(addr, sent[4]!.messageId);
    expect(await subscriber(addr)).toMatchObject({ state: 'active', bounces: 2 });
    // A late bounce of a message reported delivered still counts (the mailbox gave up after accepting it).
    expect(await bounce(addr, sent[2]!.messageId)).toEqual({ matched: 1, action: 'bounced' });
    expect(await subscriber(addr)).toMatchObject({ state: 'suspended', bounces: 3 });
  });

  it("a digest's bounce marks every ledger row of that digest", async () => {
    const addr = 'bounce.digest@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) }, 'daily');
    const a = await publish(env);
    const b = await publish(env);
    await env.drain();
    await env.p.db.updateTable('sub_matches').set({ matched_at: '2026-11-20T04:00:00.000Z' }).where('item_id', 'in', [a, b]).execute();
    await runDigest(env.p, 'daily', '2026-11-20', shanghaiDayStart('2026-11-20'), shanghaiDayEnd('2026-11-20'));
    const digest = mailsTo(s, addr).find((m) => /^<digest\d+\.s\d+@/.test(m.headers.get('message-id') ?? ''));
    expect(digest, 'a digest e-mail').toBeTruthy();
    const messageId = digest!.headers.get('message-id')!;
    expect(await bounce(addr, messageId)).toEqual({ matched: 2, action: 'bounced' });
    const rows = await env.p.db.selectFrom('chn_deliveries').select(['state', 'reason', 'item_id']).where('message_ref', '=', messageId).execute();
    expect(rows.map((r) => [Number(r.item_id), r.state, r.reason]).sort()).toEqual([[a, 'bounced', '5.1.1'], [b, 'bounced', '5.1.1']].sort());
    expect((await subscriber(addr)).bounces).toBe(1);
  });
});

describe('complaints', () => {
  it('an ARF complaint marks the address complained and ends every subscription with the reason complaint', async () => {
    const addr = 'complains@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) });
    await subscribeEmail(s, addr, { type: 'document' });
    const { messageId } = await publishedTo(addr);
    const r = await report(arf({ to: addr, messageId }), { type: 'text/plain' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ matched: 1, action: 'complaint' });
    const sub = await subscriber(addr);
    expect(sub.state).toBe('complained');
    const subs = await env.p.db.selectFrom('sub_subscriptions').select(['state', 'ended_reason', 'ended_at']).where('subscriber_id', '=', sub.id).execute();
    expect(subs).toHaveLength(2);
    for (const x of subs) expect(x).toMatchObject({ state: 'ended', ended_reason: 'complaint' });
    const before = mailsTo(s, addr).length;
    await publish(env);
    await env.drain();
    expect(mailsTo(s, addr)).toHaveLength(before);
    const page = await env.api('GET', '/admin/subscriptions', { as: 'admin', headers: { cookie: 'gk_lang=en' } });
    expect(page.body).toMatch(/addresses that complained and get nothing more: [1-9]\d*/);
  });
});

describe('the endpoint', () => {
  it('ignores a report about no message of ours, and garbage, without a 5xx', async () => {
    const unknown = [
      postfixDsn({ to: 'a@example.com', messageId: '<d999999.i1.v1@gk.example.gov.cn>', action: 'failed', status: '5.1.1' }),
      postfixDsn({ to: 'a@example.com', messageId: '<CAFx1=abc@mail.example.com>', action: 'failed', status: '5.1.1' }),
      postfixDsn({ to: 'a@example.com', messageId: '<digest99999.s1@gk.example.gov.cn>', action: 'failed', status: '5.1.1' }),
      arf({ to: 'a@example.com', messageId: '<d1.i999999.v1@gk.example.gov.cn>' }),
    ];
    for (const body of unknown) {
      const r = await report(body);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ matched: 0, action: 'unknown' });
    }
    const garbage: [string | Buffer, string][] = [
      ['hello', 'text/plain'],
      ['Content-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n--x', 'message/rfc822'],
      [Buffer.from([0, 255, 1, 254, 0x1b, 0x5b, 0, 13, 10, 13, 10, 0xff]), 'message/rfc822'],
      ['Content-Type: multipart/report; report-type=delivery-status; boundary="' + 'b'.repeat(5000) + '"\r\n\r\n' + '--b\r\n'.repeat(10000), 'message/rfc822'],
      ['Message-ID: <d1.i1.v1@x>\r\n\r\n\u0000\u202e', 'text/plain'],
    ];
    for (const [body, type] of garbage) {
      const r = await report(body, { type });
      expect(r.statusCode, r.body).toBeLessThan(500);
      if (r.statusCode === 200) expect(r.json().matched).toBe(0);
    }
    expect((await report('', { type: 'text/plain' })).statusCode).toBeLessThan(500);
    // Not a mail message: 415.
    expect((await report('{"a":1}', { type: 'application/json' })).statusCode).toBe(415);
  });

  it('needs its token: none or a wrong one 401, the endpoint off (404) while unset; at most 1 MB', async () => {
    const body = postfixDsn({ to: 'a@example.com', messageId: '<d1.i1.v1@gk.example.gov.cn>', action: 'failed', status: '5.1.1' });
    const none = await report(body, { token: null });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthorized');
    expect((await report(body, { token: 'mta-report-token-0123456780' })).statusCode).toBe(401);
    expect((await report(body, { token: TOKEN.slice(0, -1) })).statusCode).toBe(401);
    const big = Buffer.concat([Buffer.from(body), Buffer.alloc(2 * 1024 * 1024, 'x')]);
    expect((await report(big)).statusCode).toBe(413);
    // The limit holds whoever sends: the body is not taken beyond 1 MB.
    expect((await report(big, { token: 'wrong-token-wrong-token' })).statusCode).toBe(413);
    const config = env.p.config as { mailReportToken: string | null };
    config.mailReportToken = null;
    try {
      expect((await report(body)).statusCode).toBe(404);
      expect((await report(body, { token: null })).statusCode).toBe(404);
    } finally {
      config.mailReportToken = TOKEN;
    }
  });
});

describe('GONGKAI_MAIL_REPORT_TOKEN', () => {
  it('is off when unset, refuses a short or unprintable token by name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-mailtoken-'));
    try {
      expect(loadConfig({}, { dataDir }).mailReportToken).toBeNull();
      expect(loadConfig({ GONGKAI_MAIL_REPORT_TOKEN: TOKEN }, { dataDir }).mailReportToken).toBe(TOKEN);
      for (const bad of ['short', 'has a space in it here', 'x'.repeat(201), 'token\u0000with-nul-inside']) expect(() => loadConfig({ GONGKAI_MAIL_REPORT_TOKEN: bad }, { dataDir })).toThrow(ConfigError);
      expect(() => loadConfig({ GONGKAI_MAIL_REPORT_TOKEN: 'short' }, { dataDir })).toThrow(/GONGKAI_MAIL_REPORT_TOKEN/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
