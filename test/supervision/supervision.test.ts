// Electronic supervision: department staff see only their departments' clocks, supervisors see
// all; the scan notifies exactly once per clock and threshold (inbox and real SMTP), escalates
// overdue clocks to supervisors; CSV export; the dashboard panel's unread count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { startClock, extendClock } from '../../src/platform/deadlines/index.js';
import { addWorkdays, subtractWorkdays, todayShanghai } from '../../src/platform/calendar/index.js';
import { notify, runScan } from '../../src/modules/supervision/service.js';

interface Received {
  to: string[];
  data: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let env: TestEnv;
const ids: Record<string, number> = {};
const today = todayShanghai();

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (c) => (data += c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  env = await makeEnv({ env: { GONGKAI_SMTP_URL: `smtp://127.0.0.1:${port}` } });
  const db = env.p.db;
  // A controlled set of clocks: remove the ones the demo data started (appeals, catalog).
  await db.deleteFrom('clocks').execute();
  for (const u of ['fgj-editor', 'scjg-editor', 'supervisor']) await db.updateTable('users').set({ email: `${u}@example.test` }).where('username', '=', u).execute();
  for (const code of ['fgj', 'scjg']) ids[code] = (await db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  // fgj: one overdue (started 25 working days ago), one in warning (due in 2 wd), one normal.
  await env.p.tx(async (t) => {
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'fgj-late', rule: 'request.reply', start: subtractWorkdays(today, 25), departmentId: ids.fgj, title: '发改局超期申请', url: '/requests/fgj-late' });
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'fgj-soon', rule: 'request.reply', start: subtractWorkdays(addWorkdays(today, 2).due, 20), departmentId: ids.fgj, title: '发改局即将到期申请', url: '/requests/fgj-soon' });
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'fgj-ok', rule: 'request.reply', start: today, departmentId: ids.fgj, title: '发改局正常申请', url: '/requests/fgj-ok' });
    await startClock(env.p, t, { subjectType: 'request', subjectId: 'scjg-late', rule: 'request.reply', start: subtractWorkdays(today, 22), departmentId: ids.scjg, title: '市场监管局超期申请', url: '/requests/scjg-late' });
  });
});
afterAll(async () => {
  await env?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('who sees what', () => {
  it('supervisors see every department', async () => {
    const r = await env.api('GET', '/api/v1/supervision/summary', { as: 'supervisor' });
    expect(r.statusCode).toBe(200);
    const by = Object.fromEntries(r.json().departments.map((d: any) => [d.department, d.counts]));
    expect(by.fgj).toMatchObject({ normal: 1, warning: 1, 'seriously-overdue': 0 });
    expect(by.fgj.overdue + by.fgj['seriously-overdue']).toBe(1);
    expect(by.scjg.overdue).toBe(1);
    const list = await env.api('GET', '/api/v1/supervision/clocks', { as: 'supervisor' });
    expect(list.json().items.map((i: any) => i.subjectId).sort()).toEqual(['fgj-late', 'fgj-soon', 'scjg-late']);
  });

  it("department staff see only their own department's clocks", async () => {
    const r = await env.api('GET', '/api/v1/supervision/summary', { as: 'fgj-editor' });
    expect(r.json().departments.map((d: any) => d.department)).toEqual(['fgj']);
    const list = await env.api('GET', '/api/v1/supervision/clocks', { as: 'fgj-editor' });
    expect(list.json().items.map((i: any) => i.subjectId).sort()).toEqual(['fgj-late', 'fgj-soon']);
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: '/admin/supervision', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('市场监管局超期申请');
    expect(page.body).not.toContain('发改局超期申请');
    const fgjClock = list.json().items[0].id;
    expect((await env.api('GET', `/api/v1/supervision/clocks/${fgjClock}`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/supervision/clocks/${fgjClock}`, { as: 'fgj-editor' })).json().history[0].actor).toBe('system');
    expect((await env.api('GET', '/api/v1/supervision/summary', { as: 'operator' })).statusCode).toBe(403);
  });

  it('exports the attention list as CSV within the caller\'s scope', async () => {
    const s = await login(env.app, 'fgj-editor');
    const r = await env.app.inject({ url: '/admin/supervision/export.csv', headers: { cookie: s.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]).toContain('clock_id');
    expect(lines).toHaveLength(3);
    expect(r.body).not.toContain('市场监管局');
  });
});

describe('notifications', () => {
  it("a department administrator whose grant includes sub-departments is told about a sub-department's clock", async () => {
    // dzb-admin holds dept-admin on 党政办 with its sub-departments; 政务公开办 (gkb) is one of them.
    const gkb = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'gkb').executeTakeFirstOrThrow()).id;
    const clock = await env.p.tx((t) => startClock(env.p, t, { subjectType: 'request', subjectId: 'gkb-soon', rule: 'request.reply', start: today, departmentId: gkb, title: '公开办申请', url: '/requests/gkb-soon' }));
    await notify(env.p, clock.id, 'warning');
    const inbox = (await env.api('GET', '/api/v1/notifications', { as: 'dzb-admin' })).json();
    expect(inbox.items.map((i: any) => i.title).join()).toContain('公开办申请');
    // An editor of another department is not told; the clock is removed again for the tests below.
    expect((await env.api('GET', '/api/v1/notifications', { as: 'fgj-editor' })).json().items.map((i: any) => i.title).join()).not.toContain('公开办申请');
    await env.p.db.deleteFrom('notifications').where('clock_id', '=', clock.id).execute();
    await env.p.db.deleteFrom('clocks').where('id', '=', clock.id).execute();
  });

  it('notifies responsible staff once at warning and at overdue, escalates overdue to supervisors, by inbox and e-mail', async () => {
    const first = await runScan(env.p, today);
    expect(first.notified).toBe(3);
    await env.drain();
    // A second scan (another slot, another instance) finds no new transition.
    expect((await runScan(env.p, today)).notified).toBe(0);
    await env.drain();
    const fgjMails = received.filter((m) => m.to.includes('fgj-editor@example.test'));
    expect(fgjMails).toHaveLength(2);
    expect(fgjMails.map((m) => /X-Gongkai-Threshold: (\w+)/.exec(m.data)?.[1]).sort()).toEqual(['overdue', 'warning']);
    const supMails = received.filter((m) => m.to.includes('supervisor@example.test'));
    expect(supMails).toHaveLength(2); // fgj-late and scjg-late escalated
    expect(received.filter((m) => m.to.includes('scjg-editor@example.test'))).toHaveLength(1);
    const inbox = await env.api('GET', '/api/v1/notifications', { as: 'supervisor' });
    expect(inbox.json().unread).toBe(2);
    expect(inbox.json().items.every((i: any) => i.kind === 'escalation')).toBe(true);
  });

  it('a clock that is extended and runs into warning again is not notified twice', async () => {
    const list = await env.api('GET', '/api/v1/supervision/clocks?status=warning', { as: 'supervisor' });
    const soon = list.json().items.find((i: any) => i.subjectId === 'fgj-soon');
    await env.p.tx((t) => extendClock(env.p, t, soon.id, { workdays: 10, reason: '需要协调', approver: '主任' }));
    await runScan(env.p, today); // back to normal
    expect((await env.p.db.selectFrom('clocks').select('status').where('id', '=', soon.id).executeTakeFirstOrThrow()).status).toBe('normal');
    const before = received.length;
    await runScan(env.p, addWorkdays(today, 9).due); // in warning again
    await env.drain();
    expect(received.filter((m) => m.data.includes(`X-Gongkai-Clock: ${soon.id}`)).length).toBe(1);
    expect(received.length).toBeGreaterThanOrEqual(before);
  });

  it('shows the unread count on the staff dashboard and lets staff mark messages read', async () => {
    const s = await login(env.app, 'fgj-editor');
    const dash = await env.app.inject({ url: '/admin', headers: { cookie: s.cookie } });
    expect(dash.body).toContain('未读消息 2 条');
    const inbox = await env.app.inject({ url: '/admin/inbox', headers: { cookie: s.cookie } });
    expect(inbox.body).toContain('发改局超期申请');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(inbox.body)![1];
    const r = await env.app.inject({ method: 'POST', url: '/admin/inbox/read', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
    expect(r.statusCode).toBe(302);
    expect((await env.api('GET', '/api/v1/notifications', { as: 'fgj-editor' })).json().unread).toBe(0);
  });

  it('records a daily snapshot for the trend and sends the digest once a day', async () => {
    const snap = await env.p.db.selectFrom('supervision_snapshots').selectAll().where('day', '=', today).execute();
    expect(snap.reduce((n, r) => n + Number(r.n), 0)).toBe(4);
    const before = received.length;
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'supervision.digest', { day: today }, { key: `supervision.digest:${today}` }));
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'supervision.digest', { day: today }, { key: `supervision.digest:${today}` }));
    await env.drain();
    const digests = received.slice(before).filter((m) => /Subject: =\?UTF-8\?/i.test(m.data) || m.data.includes('Subject:'));
    expect(digests.filter((m) => m.to.includes('supervisor@example.test'))).toHaveLength(1);
    const s = await login(env.app, 'supervisor');
    const page = await env.app.inject({ url: '/admin/supervision', headers: { cookie: s.cookie } });
    expect(page.body).toContain(today);
  });
});
