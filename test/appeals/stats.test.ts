// Statistics on a controlled set: response, resolution and satisfaction rates, handling time,
// counts by type, category and department, hot topics; the board filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { submitAppeal } from '../../src/modules/appeals/service/intake.js';
import { dispatchAppeal, replyAppeal } from '../../src/modules/appeals/service/workflow.js';
import { rateAppeal } from '../../src/modules/appeals/service/citizen.js';
import { releaseAppeal } from '../../src/modules/appeals/service/release.js';
import { stats, board } from '../../src/modules/appeals/service/queries.js';
import { APPEAL } from './util.js';
import { saveSettings } from '../../src/modules/appeals/service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
  // Only our appeals count: remove the demo's.
  await env.p.db.deleteFrom('appeal_events').execute();
  await env.p.db.deleteFrom('appeal_assists').execute();
  await env.p.db.deleteFrom('appeals').execute();
  // Replies reach the citizen at once here (the centre's review is test/appeals/review.test.ts's).
  await saveSettings(env.p, 'system', { reopenLimit: 1, reopenDays: 15, replyReview: false });
});
afterAll(async () => env?.close());

describe('statistics', () => {
  it('computes the rates and the breakdowns', async () => {
    const mk = (category: string, type = 'complaint') => submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', category, type });
    const a = await mk('noise');
    const b = await mk('noise');
    const c = await mk('wages', 'help');
    await mk('policy', 'consult'); // stays received
    for (const x of [a, b, c]) await dispatchAppeal(env.p, 'system', x.id, { department: x === c ? 'rsj' : 'sthj' });
    await replyAppeal(env.p, 'system', a.id, { reply: '已处理', resolved: true });
    await replyAppeal(env.p, 'system', b.id, { reply: '正在协调', resolved: false });
    await rateAppeal(env.p, a.trackingNo, a.queryCode, 'satisfied', '');
    await rateAppeal(env.p, b.trackingNo, b.queryCode, 'very-dissatisfied', '');
    const today = new Date().toISOString().slice(0, 10);
    const s = await stats(env.p.db, '2000-01-01', today);
    expect(s.total).toBe(4);
    expect(s.responseRate).toBe(66.7); // 2 replied of 3 dispatched
    expect(s.resolutionRate).toBe(50); // 1 resolved of 2 replied
    expect(s.satisfactionRate).toBe(50); // 1 satisfied of 2 rated
    expect(s.averageHandlingDays).toBeGreaterThanOrEqual(0);
    expect(s.byType).toEqual(expect.arrayContaining([{ key: 'complaint', n: 2 }, { key: 'help', n: 1 }, { key: 'consult', n: 1 }]));
    expect(s.byCategory[0]).toEqual({ key: 'noise', n: 2 });
    expect(s.byDepartment.find((d) => d.key === 'sthj')).toMatchObject({ n: 2, replied: 2, overdue: 0 });
    expect(s.hotTopics[0]).toEqual({ category: 'noise', n: 2, previous: 0 });
    expect(s.ratings.find((r) => r.key === 'very-dissatisfied')!.n).toBe(1);
    // Every 差评 needs a call-back: the centre's list shows the ones still without one.
    const due = await env.api('GET', '/api/v1/staff/appeals?callback=true', { as: 'sqzx-editor' });
    expect(due.json().items.map((i: any) => i.id)).toEqual([b.id]);
    const page = await env.app.inject({ method: 'GET', url: '/appeals/stats' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('66.7%');
  });

  it('the board filters by type, category, department and month', async () => {
    // Released the way the console does it: the spine publishes an 'appeal' item of the masked text.
    const replied = await env.p.db.selectFrom('appeals').select(['id', 'consent']).where('reply', 'is not', null).execute();
    await env.p.db.updateTable('appeals').set({ consent: 1 }).where('id', 'in', replied.map((a) => a.id)).execute();
    for (const a of replied) await releaseAppeal(env.p, 'system', a.id, { title: 't', content: 'c', reply: 'r' });
    expect((await board(env.p.db, { page: 1, pageSize: 20 })).total).toBe(2);
    expect((await board(env.p.db, { category: 'wages', page: 1, pageSize: 20 })).total).toBe(0);
    expect((await board(env.p.db, { department: 'sthj', type: 'complaint', page: 1, pageSize: 20 })).total).toBe(2);
    expect((await board(env.p.db, { month: '1999-01', page: 1, pageSize: 20 })).total).toBe(0);
    const r = await env.api('GET', '/api/v1/appeals/board?department=sthj');
    expect(r.json().items[0]).toMatchObject({ title: 't', content: 'c', reply: 'r', departmentName: '生态环境分局' });
  });
});
