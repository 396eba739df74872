// Console and public pages of calendar, rules and supervision render for the roles that may see
// them (in both languages), and e-mail falls back to .eml files when no SMTP server is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { enqueueMail } from '../../src/platform/mail/index.js';
import { startClock } from '../../src/platform/deadlines/index.js';
import { subtractWorkdays, todayShanghai } from '../../src/platform/calendar/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
  const fgj = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow()).id;
  await env.p.tx((t) => startClock(env.p, t, { subjectType: 'request', subjectId: 'p1', rule: 'request.reply', start: subtractWorkdays(todayShanghai(), 30), departmentId: fgj, title: '页面测试申请', url: '/x', publicSubject: true }));
});
afterAll(async () => env?.close());

describe('pages', () => {
  const pages: [string, string, number][] = [
    ['admin', '/admin/calendar', 200],
    ['admin', '/admin/calendar/2026', 200],
    ['admin', '/admin/calendar/import', 200],
    ['admin', '/admin/deadline-rules', 200],
    ['admin', '/admin/deadline-rules/request.reply', 200],
    ['admin', '/admin/deadline-rules/new', 200],
    ['supervisor', '/admin/supervision', 200],
    ['supervisor', '/admin/supervision?status=seriously-overdue', 200],
    ['supervisor', '/admin/calendar/2026', 200],
    ['supervisor', '/admin/calendar/import', 403],
    ['supervisor', '/admin/inbox', 200],
    ['fgj-editor', '/admin/supervision', 200],
    ['fgj-editor', '/admin/calendar', 403],
    ['operator', '/admin/supervision', 403],
  ];
  it.each(pages)('%s GET %s → %i', async (user, url, status) => {
    const s = await login(env.app, user);
    for (const lang of ['zh-CN', 'en']) {
      const r = await env.app.inject({ url, headers: { cookie: `${s.cookie}; gk_lang=${lang}` } });
      expect(r.statusCode, `${lang} ${url}`).toBe(status);
      if (status === 200) expect(r.body).not.toMatch(/>(calendar|deadlines|supervision|nav)\.[a-z_.-]+</);
    }
  });

  it('the public calendar and rule catalogue need no sign-in', async () => {
    for (const url of ['/calendar', '/calendar?year=2025', '/deadline-rules', '/calendar?start=2026-02-13&n=3&unit=workdays']) {
      const r = await env.app.inject(url);
      expect(r.statusCode, url).toBe(200);
    }
    expect((await env.app.inject('/calendar?start=2026-02-30&n=3')).statusCode).toBe(400);
    expect((await env.app.inject('/deadline-rules')).body).toContain('第二十六条');
  });

  it('the supervision page lists the overdue clock with a link to its explanation', async () => {
    const s = await login(env.app, 'supervisor');
    const r = await env.app.inject({ url: '/admin/supervision', headers: { cookie: s.cookie } });
    expect(r.body).toContain('页面测试申请');
    const id = /href="\/admin\/clocks\/(\d+)"/.exec(r.body)![1];
    const c = await env.app.inject({ url: `/admin/clocks/${id}`, headers: { cookie: s.cookie } });
    expect(c.statusCode).toBe(200);
    expect(c.body).toContain('严重超期');
    expect(c.body).toContain('计时记录');
  });
});

describe('mail without SMTP', () => {
  it('writes the message as an .eml file in DATA_DIR/outbox-mail, once per key', async () => {
    await env.p.tx((t) => enqueueMail(env.p, t, { to: 'someone@example.test', subject: '测试邮件', text: '正文' }, 'test:1'));
    await env.p.tx((t) => enqueueMail(env.p, t, { to: 'someone@example.test', subject: '测试邮件', text: '正文' }, 'test:1'));
    await env.drain();
    const dir = join(env.dataDir, 'outbox-mail');
    // The demo district's own mail (commenters told of an adoption report) may be there too: this key's message, once.
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml') && readFileSync(join(dir, f), 'utf8').includes('To: someone@example.test'));
    expect(files).toHaveLength(1);
  });
});
