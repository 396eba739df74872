// A major decision's stages: created with eight stages (drafting under way), the order rule, a
// skip needs a reason that the public timeline shows, the legality review's minimum of 7 working
// days (409 naming the first day, OK from that day), the collective decision's outcome, the
// gating of publication on the adoption reports, another approver than the submitter, and
// permissions per department.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { deptId, newDecision, onDay, stage, throughCollective } from './stages-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 60000);
afterAll(async () => {
  vi.useRealTimers();
  await env?.close();
});

describe('stages', () => {
  it('creates the eight stages with drafting under way', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    expect(d.stages.map((s: any) => [s.stage, s.state])).toEqual([
      ['drafting', 'active'],
      ['consultation', 'pending'],
      ['expert_review', 'pending'],
      ['risk_assessment', 'pending'],
      ['legality_review', 'pending'],
      ['collective_decision', 'pending'],
      ['publication', 'pending'],
      ['evaluation', 'pending'],
    ]);
    expect(d).toMatchObject({ stage: 'drafting', status: 'open' });
    const bad = await env.api('POST', '/api/v1/major-decisions', { as: 'fgj-editor', body: { departmentId: await deptId(env, 'fgj'), year: 2026, title: ' ', basis: '依据' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('title');
    const code = await env.api('POST', '/api/v1/major-decisions', { as: 'fgj-editor', body: { departmentId: await deptId(env, 'fgj'), year: 2026, title: '某决策', basis: '依据', catalogueCode: 'NOPE-1' } });
    expect(code.statusCode).toBe(400);
    expect(code.json().error.fields).toHaveProperty('catalogueCode');
  });

  it('keeps the order: a stage starts only when the earlier ones are done or skipped', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    const early = await stage(env, 'fgj-editor', d.id, 'risk_assessment', { action: 'start' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('起草');
    expect((await stage(env, 'fgj-editor', d.id, 'drafting', { action: 'finish' })).statusCode).toBe(200);
    // consultation and expert review still pending
    const still = await stage(env, 'fgj-editor', d.id, 'risk_assessment', { action: 'start' });
    expect(still.statusCode).toBe(409);
    expect(still.json().error.message).toContain('公开征求意见');
    expect((await stage(env, 'fgj-editor', d.id, 'consultation', { action: 'skip', reason: '依法不予公开的事项' })).statusCode).toBe(200);
    expect((await stage(env, 'fgj-editor', d.id, 'expert_review', { action: 'skip', reason: '无需专家论证' })).statusCode).toBe(200);
    const r = await stage(env, 'fgj-editor', d.id, 'risk_assessment', { action: 'start' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ stage: 'risk_assessment' });
    // Finishing what is not under way, starting twice: 409.
    expect((await stage(env, 'fgj-editor', d.id, 'legality_review', { action: 'finish' })).statusCode).toBe(409);
    expect((await stage(env, 'fgj-editor', d.id, 'risk_assessment', { action: 'start' })).statusCode).toBe(409);
    // A required stage cannot be skipped.
    const req = await stage(env, 'fgj-editor', d.id, 'legality_review', { action: 'skip', reason: '不需要' });
    expect(req.statusCode).toBe(409);
  });

  it('needs a reason to skip, and shows it publicly', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    const none = await stage(env, 'fgj-editor', d.id, 'expert_review', { action: 'skip' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('reason');
    const blank = await stage(env, 'fgj-editor', d.id, 'expert_review', { action: 'skip', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const reason = '本事项技术性不强，<b>无需</b>组织专家论证';
    expect((await stage(env, 'fgj-editor', d.id, 'expert_review', { action: 'skip', reason })).statusCode).toBe(200);
    const pub = (await env.api('GET', `/api/v1/major-decisions/${d.id}`)).json();
    expect(pub.stages.find((s: any) => s.stage === 'expert_review')).toMatchObject({ state: 'skipped', skipReason: reason });
  });

  it('keeps the legality review open for at least 7 working days', async () => {
    const d = await newDecision(env, 'scjg-editor', 'scjg');
    onDay('2026-03-02');
    for (const [s, a] of [['drafting', 'finish'], ['consultation', 'skip'], ['expert_review', 'skip'], ['risk_assessment', 'skip']]) {
      const r = await stage(env, 'scjg-editor', d.id, s, { action: a, reason: '不适用' });
      expect(r.statusCode, r.body).toBe(200);
    }
    const started = await stage(env, 'scjg-editor', d.id, 'legality_review', { action: 'start' });
    expect(started.statusCode, started.body).toBe(200);
    // Started Monday 2 March: the 7th working day is Wednesday 11 March.
    expect(started.json().stages.find((s: any) => s.stage === 'legality_review')).toMatchObject({ state: 'active', startedOn: '2026-03-02', minimumUntil: '2026-03-11' });
    const clock = await env.p.db.selectFrom('clocks').select(['kind', 'rule_code', 'state']).where('subject_type', '=', 'major-decision').where('subject_id', '=', String(d.id)).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ kind: 'minimum', rule_code: 'decision.legality-review', state: 'running' });
    onDay('2026-03-10');
    const early = await stage(env, 'scjg-editor', d.id, 'legality_review', { action: 'finish' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('2026-03-11');
    onDay('2026-03-11');
    const ok = await stage(env, 'scjg-editor', d.id, 'legality_review', { action: 'finish' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().stages.find((s: any) => s.stage === 'legality_review')).toMatchObject({ state: 'done', finishedOn: '2026-03-11' });
    const after = await env.p.db.selectFrom('clocks').select(['state']).where('subject_type', '=', 'major-decision').where('subject_id', '=', String(d.id)).executeTakeFirstOrThrow();
    expect(after.state).toBe('completed');
    // The collective decision records its outcome (required) and dissent.
    expect((await stage(env, 'scjg-editor', d.id, 'collective_decision', { action: 'start' })).statusCode).toBe(200);
    const noOutcome = await stage(env, 'scjg-editor', d.id, 'collective_decision', { action: 'finish' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().error.fields).toHaveProperty('outcome');
    const done = await stage(env, 'scjg-editor', d.id, 'collective_decision', { action: 'finish', outcome: 'amended', dissent: '一名委员认为补贴标准偏低' });
    expect(done.statusCode).toBe(200);
    expect(done.json().stages.find((s: any) => s.stage === 'collective_decision')).toMatchObject({ state: 'done', outcome: 'amended', dissent: '一名委员认为补贴标准偏低' });
    vi.useRealTimers();
  });

  it('checks the department: another department’s editor gets 404, a reviewer 403', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    expect((await stage(env, 'scjg-editor', d.id, 'drafting', { action: 'finish' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/major-decisions/${d.id}`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await stage(env, 'fgj-reviewer', d.id, 'drafting', { action: 'finish' })).statusCode).toBe(403);
    const other = await env.api('POST', '/api/v1/major-decisions', { as: 'scjg-editor', body: { departmentId: await deptId(env, 'fgj'), year: 2026, title: '某决策', basis: '依据' } });
    expect(other.statusCode).toBe(403);
    expect((await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'scjg-approver' })).statusCode).toBe(404);
    expect((await stage(env, 'fgj-editor', d.id, 'drafting', { action: 'finish' })).statusCode).toBe(200);
  });

  it('keeps documents per stage, public or not', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
    const up = async (name: string, isPublic: boolean) => env.api('POST', `/api/v1/major-decisions/${d.id}/stages/drafting/documents`, { as: 'fgj-editor', body: { filename: name, content: pdf, public: isPublic } });
    expect((await up('起草说明.pdf', true)).statusCode).toBe(201);
    const r = await up('内部讨论稿.pdf', false);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().stages[0].documents.map((x: any) => [x.name, x.public])).toEqual([['起草说明.pdf', true], ['内部讨论稿.pdf', false]]);
    const pub = (await env.api('GET', `/api/v1/major-decisions/${d.id}`)).json();
    expect(pub.stages[0].documents.map((x: any) => x.name)).toEqual(['起草说明.pdf']);
    expect((await env.app.inject({ url: pub.stages[0].documents[0].url })).statusCode).toBe(200);
    expect((await env.app.inject({ url: `/decisions/${d.id}/documents/drafting/1` })).statusCode).toBe(404);
    const page = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(page.body).toContain('起草说明.pdf');
    expect(page.body).not.toContain('内部讨论稿');
  });
});

describe('publication', () => {
  it('is refused while a consultation has no published adoption report, and needs another approver', async () => {
    const d = await newDecision(env, 'sqzx-editor', 'sqzx');
    const now = new Date().toISOString();
    const c = await env.p.db
      .insertInto('dec_consultations')
      .values({ decision_id: d.id, department_id: d.departmentId, title: '电梯补贴办法（征求意见稿）', explanation: '起草说明', state: 'closed', opens_at: '2026-01-05T00:00:00Z', closes_at: '2026-02-05T00:00:00Z', short_reason: '', item_id: null, clock_id: null, report_state: 'submitted', report_item_id: null, report_summary: '', report_by: null, created_by: 'test', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await throughCollective(env, 'sqzx-editor', d.id, { consultation: 'done' });
    const refusedSubmit = await env.api('POST', `/api/v1/major-decisions/${d.id}/submit`, { as: 'sqzx-editor', body: { text: '一、对加装电梯给予补贴。' } });
    expect(refusedSubmit.statusCode).toBe(409);
    await env.p.db.updateTable('dec_consultations').set({ report_state: 'published' }).where('id', '=', c.id).execute();
    const sub = await env.api('POST', `/api/v1/major-decisions/${d.id}/submit`, { as: 'sqzx-editor', body: { text: '一、对加装电梯给予补贴。\n二、本决定自公布之日起施行。', interpretation: 'https://example.org/jiedu/1' } });
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ submitted: true, stage: 'publication' });
    // The report goes back to unpublished (a second consultation): refused with a clear message.
    await env.p.db.updateTable('dec_consultations').set({ report_state: 'draft' }).where('id', '=', c.id).execute();
    const gated = await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'sqzx-approver' });
    expect(gated.statusCode).toBe(409);
    expect(gated.json().error.message).toContain('意见采纳情况');
    expect(gated.json().error.message).toContain('电梯补贴办法（征求意见稿）');
    await env.p.db.updateTable('dec_consultations').set({ report_state: 'published' }).where('id', '=', c.id).execute();
    // sqzx-editor is also an approver, but submitted it.
    const own = await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'sqzx-editor' });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe('conflict');
    const ok = await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'sqzx-approver' });
    expect(ok.statusCode, ok.body).toBe(200);
    const { itemId, decision } = ok.json();
    expect(decision).toMatchObject({ status: 'published', itemId });
    expect(decision.stages.find((s: any) => s.stage === 'publication').state).toBe('done');
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'published_version']).where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(item.type).toBe('major-decision');
    expect((await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'sqzx-approver' })).statusCode).toBe(409);
    // The evaluation: its stage starts after publication, the item is published and linked.
    expect((await stage(env, 'sqzx-editor', d.id, 'evaluation', { action: 'start' })).statusCode).toBe(200);
    const ev = await env.api('POST', `/api/v1/major-decisions/${d.id}/evaluation`, { as: 'sqzx-approver', body: { text: '实施一年来，共补贴加装电梯32部。' } });
    expect(ev.statusCode, ev.body).toBe(200);
    expect(ev.json().stages.find((s: any) => s.stage === 'evaluation').state).toBe('done');
    const page = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/catalog/items/${itemId}`);
    expect(page.body).toContain(`/catalog/items/${ev.json().evaluationItemId}`);
    expect(page.body).toContain(`/decisions/consultations/${c.id}/report`);
    expect(page.body).toContain('https://example.org/jiedu/1');
  });

  it('publishes a decision whose consultation stage was skipped without waiting', async () => {
    const d = await newDecision(env, 'sqzx-editor', 'sqzx');
    await throughCollective(env, 'sqzx-editor', d.id);
    expect((await env.api('POST', `/api/v1/major-decisions/${d.id}/submit`, { as: 'sqzx-editor', body: { text: '决定全文。' } })).statusCode).toBe(200);
    const ok = await env.api('POST', `/api/v1/major-decisions/${d.id}/publish`, { as: 'sqzx-approver' });
    expect(ok.statusCode, ok.body).toBe(200);
    const page = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(page.body).toContain('涉及国家秘密，依法不公开征求意见');
  });
});
