// E-mail notices (issue 20, ADR 0010 § 5) against a real SMTP server in-process on 127.0.0.1: a
// notice arrives multipart (text + HTML) with its Chinese subject encoded per RFC 2047, the stable
// Message-ID, the 索引号 and the version's link in both parts, and the RFC 8058 one-click
// unsubscribe headers; digests group items under their subscriptions; citizen text is escaped; a
// batch arrives once per message; a recipient refused with 550 is a permanent failure that does
// not stop the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { HtmlValidate } from 'html-validate';
import { makeEnv, type TestEnv } from '../helpers.js';
import { parseMail as parse, splitMessage } from '../mime.js';
import type { Platform } from '../../src/platform/platform.js';
import { deliverMail } from '../../src/platform/mail/index.js';
import { closeMailPools, noticeMessage, noticeMessageId, renderNoticeMail, sendMailBatch, SUBJECT_TITLE_MAX, type NoticeItem } from '../../src/platform/channels/email.js';

interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let env: TestEnv;

const BASE = 'https://gk.example.gov.cn';
const links = { manageUrl: `${BASE}/subscriptions/manage/tok-1`, unsubscribeUrl: `${BASE}/subscriptions/u/tok-1` };
const item = (n: number, extra: Partial<NoticeItem> = {}): NoticeItem => ({
  title: `关于做好2026年冬季供暖保障工作的通知（第${n}号）`,
  indexNo: `11330100MB0000000X/2026-${String(n).padStart(5, '0')}`,
  department: '区发展和改革局',
  publishedAt: '2026-12-02T18:30:00.000Z', // 2026-12-03 in Beijing
  summary: '明确供暖时间、价格与投诉渠道。',
  url: `${BASE}/catalog/items/${n}/versions/2`,
  ...extra,
});

const byMessageId = (id: string) => received.filter((r) => splitMessage(r.raw).headers.get('message-id') === id);
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('gone')) return cb(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  env = await makeEnv({ demo: false, env: { GONGKAI_SMTP_URL: `smtp://127.0.0.1:${port}`, GONGKAI_MAIL_FROM: 'noreply@gk.example.gov.cn' } });
});
afterAll(async () => {
  closeMailPools();
  await env?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('a notice through SMTP', () => {
  it('arrives multipart with the Chinese subject (RFC 2047), the stable Message-ID, the 索引号, the version link and the one-click unsubscribe headers', async () => {
    const it1 = item(4711);
    const id = noticeMessageId(9001, 4711, 2, 'gk.example.gov.cn');
    expect(id).toBe('<d9001.i4711.v2@gk.example.gov.cn>');
    const msg = noticeMessage('reader@example.com', { kind: 'notice', site: '示范新区', item: it1, subscription: '区发展和改革局', ...links }, id);
    const [r] = await sendMailBatch(env.p, [msg]);
    expect(r).toEqual({ ok: true, messageId: id });
    const got = byMessageId(id);
    expect(got).toHaveLength(1);
    expect(got[0].to).toEqual(['reader@example.com']);
    const m = parse(got[0].raw);
    expect(m.contentType).toMatch(/^multipart\/alternative/);
    expect(m.headers.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?/i); // encoded, not raw 8-bit
    expect(m.subject).toBe(`【示范新区】新发布：${it1.title}`);
    for (const part of [m.text, m.html]) {
      expect(part).toContain(it1.indexNo);
      expect(part).toContain(it1.url);
      expect(part).toContain('2026-12-03'); // the Asia/Shanghai date of 18:30 UTC
      expect(part).toContain('区发展和改革局');
      expect(part).toContain(links.unsubscribeUrl);
      expect(part).toContain(links.manageUrl);
    }
    expect(m.text).toContain('索引号：');
    expect(m.html).toMatch(/<html lang="zh-CN">/);
    expect(m.html).toContain('管理订阅');
    expect(m.html).toContain('退订');
    expect(m.headers.get('list-unsubscribe')).toBe(`<${links.unsubscribeUrl}>`);
    expect(m.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(m.headers.get('list-help')).toBe(`<${links.manageUrl}>`);
    expect(m.headers.get('list-id')).toBe('<notices.gk.example.gov.cn>');
  });

  it('deliverMail (the mail.send job) passes the Message-ID and list headers through; callers without them are unchanged', async () => {
    await deliverMail(env.p, { to: 'a@example.com', subject: '测试', text: 'x', messageId: '<fixed.1@gk.example.gov.cn>', list: { unsubscribe: `${BASE}/subscriptions/u/t2` } });
    const m = parse(byMessageId('<fixed.1@gk.example.gov.cn>')[0].raw);
    expect(m.headers.get('list-unsubscribe')).toBe(`<${BASE}/subscriptions/u/t2>`);
    expect(m.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const before = received.length;
    const { messageId } = await deliverMail(env.p, { to: 'b@example.com', subject: 'plain', text: 'y', headers: { 'X-Gongkai-Clock': '12' } });
    expect(received.length).toBe(before + 1);
    const plain = parse(byMessageId(messageId)[0].raw);
    expect(plain.headers.get('x-gongkai-clock')).toBe('12');
    expect(plain.headers.has('list-unsubscribe')).toBe(false);
    expect(plain.headers.has('list-unsubscribe-post')).toBe(false);
  });

  it('no one-click marker for a non-HTTPS unsubscribe URL (RFC 8058 asks for HTTPS)', async () => {
    await deliverMail(env.p, { to: 'c@example.com', subject: 'dev', text: 'z', messageId: '<dev.1@localhost>', list: { unsubscribe: 'http://127.0.0.1:3000/subscriptions/u/t3' } });
    const m = parse(byMessageId('<dev.1@localhost>')[0].raw);
    expect(m.headers.get('list-unsubscribe')).toBe('<http://127.0.0.1:3000/subscriptions/u/t3>');
    expect(m.headers.has('list-unsubscribe-post')).toBe(false);
  });
});

describe('rendering', () => {
  it('a digest groups items under each subscription title, with counts, in both parts', () => {
    const r = renderNoticeMail({
      kind: 'digest',
      frequency: 'daily',
      site: '示范新区',
      groups: [
        { subscription: '区发展和改革局', items: [item(1), item(2)] },
        { subscription: '主题：交通运输', items: [item(3, { title: '公交线路调整公告', department: '区交通运输局' })] },
      ],
      ...links,
    });
    expect(r.subject).toBe('【示范新区】每日订阅摘要（3 条）');
    expect(r.text).toContain('每日摘要');
    expect(r.text).toContain('共 3 条');
    const g1 = r.text.indexOf('■ 区发展和改革局（2 条）');
    const g2 = r.text.indexOf('■ 主题：交通运输（1 条）');
    expect(g1).toBeGreaterThan(0);
    expect(g2).toBeGreaterThan(g1);
    expect(r.text.indexOf(item(2).indexNo)).toBeGreaterThan(g1);
    expect(r.text.indexOf(item(2).indexNo)).toBeLessThan(g2);
    expect(r.text.indexOf('公交线路调整公告')).toBeGreaterThan(g2);
    expect(r.text).toContain('您订阅了：区发展和改革局、主题：交通运输');
    const h1 = r.html.indexOf('区发展和改革局<span');
    const h2 = r.html.indexOf('主题：交通运输<span');
    expect(h1).toBeGreaterThan(0);
    expect(h2).toBeGreaterThan(h1);
    expect(r.html.indexOf('公交线路调整公告')).toBeGreaterThan(h2);
    expect((r.html.match(/<h3/g) ?? []).length).toBe(3);
    expect(r.html).not.toMatch(/<table/);
    const weekly = renderNoticeMail({ kind: 'digest', frequency: 'weekly', site: '示范新区', groups: [{ subscription: 'x', items: [item(1)] }], ...links });
    expect(weekly.subject).toBe('【示范新区】每周订阅摘要（1 条）');
  });

  it('a correction carries the change note and the link to the new version; a withdrawal its reason', () => {
    const c = renderNoticeMail({ kind: 'correction', site: '示范新区', item: item(5, { url: `${BASE}/catalog/items/5/versions/3` }), changeNote: '更正了供暖起始日期。', subscription: '区发展和改革局', ...links });
    expect(c.subject).toBe(`【示范新区】更正：${item(5).title}`);
    for (const part of [c.text, c.html]) {
      expect(part).toContain('更正了供暖起始日期。');
      expect(part).toContain(`${BASE}/catalog/items/5/versions/3`);
      expect(part).toContain('查看更正后的版本');
    }
    const w = renderNoticeMail({ kind: 'withdrawal', site: '示范新区', item: item(6), reason: '依申请撤回，内容有误', subscription: '区发展和改革局', ...links });
    expect(w.subject).toBe(`【示范新区】撤回：${item(6).title}`);
    expect(w.text).toContain('撤回原因：依申请撤回，内容有误');
    expect(w.html).toContain('依申请撤回，内容有误');
  });

  it('escapes citizen and staff text in the HTML, refuses non-http links, cuts long subjects, speaks English when asked', () => {
    const evil = item(7, { title: '<script>alert("x")</script>通知', summary: '<img src=x onerror=alert(1)> & 说明', url: 'javascript:alert(1)' });
    const r = renderNoticeMail({ kind: 'notice', site: '示范<b>新区</b>', item: evil, subscription: '<i>订阅</i>', ...links });
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script>');
    expect(r.html).not.toContain('<img');
    expect(r.html).not.toContain('<b>');
    expect(r.html).not.toContain('<i>');
    expect(r.html).not.toContain('javascript:');
    expect(r.html).toContain('&amp; 说明');
    expect(r.text).toContain('<script>alert("x")</script>通知'); // the text part is plain text
    const long = renderNoticeMail({ kind: 'notice', site: '示范新区', item: item(8, { title: '很'.repeat(120) }), subscription: 's', ...links });
    expect([...long.subject.replace('【示范新区】新发布：', '')].length).toBe(SUBJECT_TITLE_MAX);
    expect(long.subject.endsWith('…')).toBe(true);
    const en = renderNoticeMail({ kind: 'notice', locale: 'en', site: 'Demo District', item: item(9, { title: 'Heating notice' }), subscription: 'Development and Reform Bureau', ...links });
    expect(en.subject).toBe('[Demo District] New: Heating notice');
    expect(en.html).toMatch(/<html lang="en">/);
    expect(en.text).toContain(`Index no.: ${item(9).indexNo}`);
    expect(en.text).toContain('Unsubscribe: ');
  });
  it('the HTML of every kind passes html-validate (recommended rules), Chinese and English', async () => {
    const hv = new HtmlValidate({
      extends: ['html-validate:recommended'],
      // E-mail clients drop <style> and stylesheets: inline CSS is the only styling that survives.
      // The serialiser writes <meta/> and <!doctype html>, both valid HTML. The message's wrapper is
      // <div role="article" lang aria-roledescription="email">: webmail strips <html> and <body>
      // and their lang, and handles <article> unevenly.
      rules: { 'no-inline-style': 'off', 'void-style': 'off', 'doctype-style': 'off', 'prefer-native-element': ['error', { exclude: ['article'] }] },
    });
    const found: string[] = [];
    for (const locale of ['zh-CN', 'en'] as const) {
      const common = { site: '示范新区', locale, subscription: '区发展和改革局', ...links };
      const inputs = [
        { kind: 'notice' as const, item: item(1), ...common },
        { kind: 'correction' as const, item: item(2), changeNote: '更正日期', ...common },
        { kind: 'withdrawal' as const, item: item(3), reason: '内容有误', ...common },
        { kind: 'digest' as const, frequency: 'weekly' as const, site: '示范新区', locale, groups: [{ subscription: 'A', items: [item(4), item(5)] }, { subscription: 'B', items: [item(6)] }], ...links },
      ];
      for (const input of inputs) {
        const report = await hv.validateString(renderNoticeMail(input).html);
        for (const res of report.results) for (const m of res.messages) found.push(`${locale} ${input.kind}: ${m.ruleId} ${m.message} (${m.selector})`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('batches', () => {
  it('a batch of 50 arrives once per message, in the order of its results', async () => {
    const msgs = Array.from({ length: 50 }, (_, i) =>
      noticeMessage(`r${i}@example.com`, { kind: 'notice', site: '示范新区', item: item(100 + i), subscription: '全部', ...links }, noticeMessageId(20000 + i, 100 + i, 1, 'gk.example.gov.cn')),
    );
    const results = await sendMailBatch(env.p, msgs, { concurrency: 10 });
    expect(results.every((r) => r.ok)).toBe(true);
    for (let i = 0; i < 50; i++) {
      const id = noticeMessageId(20000 + i, 100 + i, 1, 'gk.example.gov.cn');
      expect(results[i]).toEqual({ ok: true, messageId: id });
      const got = byMessageId(id);
      expect(got, id).toHaveLength(1);
      expect(got[0].to).toEqual([`r${i}@example.com`]);
    }
  });

  it('a recipient refused with 550 is reported permanent; the others still arrive', async () => {
    const ids = [1, 2, 3, 4, 5].map((i) => noticeMessageId(30000 + i, 7, 1, 'gk.example.gov.cn'));
    const msgs = ids.map((id, i) => noticeMessage(i === 2 ? 'gone@example.com' : `ok${i}@example.com`, { kind: 'notice', site: '示范新区', item: item(7), subscription: '全部', ...links }, id));
    const results = await sendMailBatch(env.p, msgs);
    expect(results[2]).toMatchObject({ ok: false, permanent: true });
    expect((results[2] as { error: string }).error).toMatch(/550|No such mailbox|rejected/i);
    for (const i of [0, 1, 3, 4]) {
      expect(results[i]).toEqual({ ok: true, messageId: ids[i] });
      expect(byMessageId(ids[i])).toHaveLength(1);
    }
    expect(byMessageId(ids[2])).toHaveLength(0);
    // A message that cannot be built (its unsubscribe link is no URL) is permanent too, alone.
    const [bad, good] = await sendMailBatch(env.p, [{ ...msgs[0], list: { unsubscribe: 'not a url' } }, msgs[1]]);
    expect(bad).toMatchObject({ ok: false, permanent: true });
    expect(good).toEqual({ ok: true, messageId: ids[1] });
  });

  it('an unreachable server is a temporary failure; without an SMTP URL the batch writes .eml files', async () => {
    const down = { ...env.p, config: { ...env.p.config, smtpUrl: 'smtp://127.0.0.1:1' } } as Platform;
    const [r] = await sendMailBatch(down, [{ to: 'x@example.com', subject: 's', text: 't' }]);
    expect(r).toMatchObject({ ok: false, permanent: false });
    const offline = { ...env.p, config: { ...env.p.config, smtpUrl: null } } as Platform;
    const msgs = [1, 2, 3].map((i) => noticeMessage(`f${i}@example.com`, { kind: 'notice', site: '示范新区', item: item(i), subscription: '全部', ...links }, noticeMessageId(40000 + i, i, 1, 'gk.example.gov.cn')));
    const results = await sendMailBatch(offline, msgs);
    expect(results.every((x) => x.ok)).toBe(true);
    const dir = join(env.dataDir, 'outbox-mail');
    expect(existsSync(dir)).toBe(true);
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(files).toHaveLength(3);
    expect(files.some((f) => f.includes('<d40002.i2.v1@gk.example.gov.cn>') && f.includes('List-Unsubscribe-Post: List-Unsubscribe=One-Click'))).toBe(true);
  });
});
