// The demo decisions: demoDecisions on the demo district gives this year's decisions of several
// departments at varied stages (one ready for an open consultation, one for a closed one, one at
// the hearing, one published and evaluated, one with skipped stages and public reasons, one in
// its legality review); the public list and timelines show them; demoPublishDecision is refused
// until the closed consultation's adoption report is out, then publishes the decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';
import { DEMO_CONSULTATION_SEEDS, demoDecisions, demoPublishDecision } from '../../src/modules/decisions/demo/decisions.js';
import { demoConsultation } from '../../src/modules/decisions/demo/consultations.js';
import { publishReport, submitReport } from '../../src/modules/decisions/service/report.js';
import { loadPrincipal } from '../../src/platform/auth/identity.js';

let env: TestEnv;
let made: Awaited<ReturnType<typeof demoDecisions>>;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
  made = await demoDecisions(env.p);
}, 180_000);
afterAll(async () => env?.close());

const stages = async (id: number) => Object.fromEntries((await env.p.db.selectFrom('dec_stages').selectAll().where('decision_id', '=', id).execute()).map((s) => [s.stage, s]));
const decision = async (id: number) => env.p.db.selectFrom('dec_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const as = async (username: string) => (await loadPrincipal(env.p.db, (await env.p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id, 'token'))!;

describe('demo decisions', () => {
  it('makes 6–8 decisions of this year in several departments, at varied stages', async () => {
    expect(made.all.length).toBeGreaterThanOrEqual(6);
    expect(made.all.length).toBeLessThanOrEqual(8);
    expect(made.all).toEqual(expect.arrayContaining([made.openConsultation, made.closedConsultation, made.hearing]));
    const rows = await env.p.db.selectFrom('dec_decisions').selectAll().where('id', 'in', made.all).execute();
    const year = Number(todayShanghai().slice(0, 4));
    expect(rows.every((d) => d.year === year)).toBe(true);
    expect(new Set(rows.map((d) => d.department_id)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((d) => d.stage)).size).toBeGreaterThanOrEqual(5);
    // Made as the departments' staff, not as the system.
    expect(rows.filter((d) => d.created_by.startsWith('user:')).length).toBe(rows.length);

    // Ready for a consultation: open, drafting done, the consultation stage still to come.
    const o = await stages(made.openConsultation);
    expect((await decision(made.openConsultation)).status).toBe('open');
    expect(o.drafting.state).toBe('done');
    expect(o.consultation.state).toBe('pending');
    expect((await stages(made.closedConsultation)).consultation.state).toBe('pending');
    expect((await decision(made.hearing)).status).toBe('open');

    // One published with its evaluation; documents public and not.
    const published = rows.filter((d) => d.status === 'published');
    expect(published.length).toBeGreaterThanOrEqual(1);
    const pub = published[0];
    expect(pub.item_id).toBeTruthy();
    expect(pub.evaluation_item_id).toBeTruthy();
    const ps = await stages(pub.id);
    expect(Object.values(ps).every((s) => s.state === 'done' || s.state === 'skipped')).toBe(true);
    expect(ps.drafting.started_on! < ps.publication.finished_on!).toBe(true);
    for (const s of Object.values(ps)) if (s.started_on && s.finished_on) expect(s.started_on <= s.finished_on, s.stage).toBe(true);

    // Skipped stages carry their public reasons; a collective decision deferred, with its dissent.
    const all = await env.p.db.selectFrom('dec_stages').selectAll().where('decision_id', 'in', made.all).execute();
    const skipped = all.filter((s) => s.state === 'skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(4);
    expect(skipped.every((s) => s.skip_reason.length > 5)).toBe(true);
    expect(all.some((s) => s.stage === 'collective_decision' && s.outcome === 'deferred' && s.dissent)).toBe(true);

    // A legality review running, its 7-working-day minimum not over yet.
    const running = all.filter((s) => s.stage === 'legality_review' && s.state === 'active');
    expect(running.length).toBe(1);
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('id', '=', running[0].clock_id!).executeTakeFirstOrThrow();
    expect(clock.due_date > todayShanghai()).toBe(true);
    expect(running[0].started_on! < todayShanghai()).toBe(true);
  });

  it('the public list and the timelines show them', async () => {
    const rows = await env.p.db.selectFrom('dec_decisions').select(['id', 'title']).where('id', 'in', made.all).execute();
    const list = await env.app.inject({ url: '/decisions' });
    expect(list.statusCode).toBe(200);
    for (const d of rows) expect(list.body).toContain(`/decisions/${d.id}`);
    const skipReason = (await env.p.db.selectFrom('dec_stages').select(['decision_id', 'skip_reason']).where('decision_id', 'in', made.all).where('state', '=', 'skipped').executeTakeFirstOrThrow());
    const page = await env.app.inject({ url: `/decisions/${skipReason.decision_id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(skipReason.skip_reason);
    // The staff console: every demo decision's page opens for the administrator; a department's editor lists its own.
    const admin = await login(env.app, 'admin');
    for (const d of rows) {
      const r = await env.app.inject({ url: `/admin/decisions/${d.id}`, headers: { cookie: admin.cookie } });
      expect(r.statusCode, d.title).toBe(200);
      expect(r.body).not.toMatch(/user:[a-z]/);
    }
    const fgj = await login(env.app, 'fgj-editor');
    const staffList = await env.app.inject({ url: '/admin/decisions', headers: { cookie: fgj.cookie } });
    expect(staffList.body).toContain(`/admin/decisions/${made.hearing}`);
    expect(staffList.body).toContain(`/admin/decisions/${made.closedConsultation}`);
    expect(staffList.body).not.toContain(`/admin/decisions/${made.openConsultation}"`);
    const pub = await env.p.db.selectFrom('dec_decisions').select(['id', 'title']).where('id', 'in', made.all).where('status', '=', 'published').executeTakeFirstOrThrow();
    expect((await env.app.inject({ url: `/decisions/${pub.id}` })).body).toContain('后评估报告');
  });

  it('the closed consultation’s decision is published only once its adoption report is', async () => {
    const open = await demoConsultation(env.p, made.openConsultation, { state: 'open', seed: DEMO_CONSULTATION_SEEDS.openConsultation });
    expect((await stages(made.openConsultation)).consultation.state).toBe('active');
    const oc = await env.p.db.selectFrom('dec_consultations').select('title').where('id', '=', open.id).executeTakeFirstOrThrow();
    expect(oc.title).toContain('城市公园管理办法');

    const closed = await demoConsultation(env.p, made.closedConsultation, { state: 'closed', seed: DEMO_CONSULTATION_SEEDS.closedConsultation });
    expect((await stages(made.closedConsultation)).consultation.state).toBe('done');
    await expect(demoPublishDecision(env.p, made.closedConsultation)).rejects.toMatchObject({ status: 409, message: 'decisions.stages.err.report_unpublished' });
    expect((await decision(made.closedConsultation)).status).toBe('open');
    // The report (no comments to dispose of) submitted by the editor, published by the approver.
    await submitReport(env.p, await as('fgj-editor'), closed.id, { summary: '征求意见期间未收到意见。' });
    await publishReport(env.p, await as('fgj-approver'), closed.id);
    const out = await demoPublishDecision(env.p, made.closedConsultation);
    expect(out.itemId).toBeGreaterThan(0);
    const d = await decision(made.closedConsultation);
    expect(d.status).toBe('published');
    expect(d.submitted_by).toBe('user:fgj-editor');
    const timeline = await env.app.inject({ url: `/decisions/${made.closedConsultation}` });
    expect(timeline.body).toContain(`/decisions/consultations/${closed.id}/report`);
    expect(timeline.body).toContain(`/catalog/items/${out.itemId}`);
  }, 60_000);
});
