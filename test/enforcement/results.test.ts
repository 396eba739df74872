// Inspection results: only the inspectors the draw assigned enter a check's result (not another
// inspector, not an administrator); the first result moves the task to 执行中 and the last to
// 已完成; the daily job starts tasks whose window has begun; an approver of the department
// publishes the 结果公告 listing every target, which completes the results clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login } from '../helpers.js';
import { WINDOWS_JOB, startWindows } from '../../src/modules/enforcement/service/results.js';
import { prepareDraw, drawTask } from '../../src/modules/enforcement/service/draws.js';
import { addEntities, addInspector, addTask, checksOf, setup, taskRow, witnessesOf, type Fixture } from './draw-workflow.js';

let f: Fixture;
const SECRETS = ['甲方密钥', '乙方密钥'];
/** Each task's own secrets: a commitment is never given for two draws. */
const secretsOf = (taskId: number) => SECRETS.map((s) => `${s}${taskId}`);
let taskId: number;
/** cert number → account */
const ACCOUNT: Record<string, string> = { 'SC-001': 'scjg-insp1', 'SC-002': 'scjg-insp2', 'SC-003': 'scjg-insp3' };

beforeAll(async () => {
  f = await setup();
  await addEntities(f, 1, 5);
  await addInspector(f, 'SC-001', { user: 'scjg-insp1' });
  await addInspector(f, 'SC-002', { user: 'scjg-insp2' });
  await addInspector(f, 'SC-003', { user: 'scjg-insp3' });
  await addInspector(f, 'WL-001', { department: 'whly', user: 'whly-insp1' });
  taskId = await addTask(f, { sampleValue: 3, windowStart: '2026-07-01', windowEnd: '2026-07-31' });
  await prepareDraw(f.env.p, 'cli', taskId, { witnesses: witnessesOf(secretsOf(taskId)) });
  await drawTask(f.env.p, 'cli', taskId, { secrets: secretsOf(taskId) });
}, 120_000);
afterAll(async () => f?.env.close());

const api = (method: string, url: string, as: string, body?: unknown) => f.env.api(method, url, { as, body });
const enter = (checkId: number, as: string, result = 'no-problem', note?: string) => api('PUT', `/api/v1/inspections/checks/${checkId}/result`, as, { result, ...(note !== undefined ? { note } : {}) });
const clock = () => f.env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', 'inspection-task').where('subject_id', '=', String(taskId)).executeTakeFirstOrThrow();

describe('entering results', () => {
  it('lists each inspector the checks the draw assigned to them', async () => {
    const checks = await checksOf(f, taskId);
    for (const [cert, user] of Object.entries(ACCOUNT)) {
      const r = await api('GET', '/api/v1/inspections/checks', user);
      expect(r.statusCode).toBe(200);
      const mine = checks.filter((c) => JSON.parse(c.inspectors).includes(cert)).map((c) => c.id);
      expect(r.json().items.map((x: any) => x.id)).toEqual(mine);
    }
    expect((await api('GET', '/api/v1/inspections/checks', 'whly-insp1')).json().items).toEqual([]);
  });

  it('accepts a result only from an inspector assigned to the check', async () => {
    const [check] = await checksOf(f, taskId);
    const assigned: string[] = JSON.parse(check.inspectors);
    const outsider = Object.entries(ACCOUNT).find(([cert]) => !assigned.includes(cert))![1];
    // Another inspector of the department, an inspector of another department, the administrator
    // and the department's editor are all refused.
    for (const who of [outsider, 'whly-insp1', 'admin', 'scjg-editor']) {
      const r = await enter(check.id, who);
      expect(r.statusCode, who).toBe(403);
    }
    expect((await checksOf(f, taskId))[0].result).toBeNull();
    // A code that is not a result names the field.
    const bad = await enter(check.id, ACCOUNT[assigned[0]], 'fine');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('result');
    const r = await enter(check.id, ACCOUNT[assigned[0]], 'rectify', '责令限期整改标签问题');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ id: check.id, result: 'rectify', taskState: 'in-progress' });
    const row = (await checksOf(f, taskId))[0];
    expect(row).toMatchObject({ result: 'rectify', note: '责令限期整改标签问题', entered_by: `user:${ACCOUNT[assigned[0]]}` });
    expect((await taskRow(f, taskId)).state).toBe('in-progress');
    // The second assigned inspector may correct it until publication.
    expect((await enter(check.id, ACCOUNT[assigned[1]], 'case-filed')).statusCode).toBe(200);
    expect((await enter(999_999, ACCOUNT[assigned[1]])).statusCode).toBe(404);
  });

  it('completes the task with the last result; publication is for approvers of the department', async () => {
    const checks = await checksOf(f, taskId);
    expect((await api('POST', `/api/v1/inspections/tasks/${taskId}/results/publish`, 'scjg-approver')).statusCode).toBe(409);
    for (const c of checks.slice(1)) {
      const r = await enter(c.id, ACCOUNT[JSON.parse(c.inspectors)[0]], 'no-problem');
      expect(r.statusCode).toBe(200);
    }
    expect((await taskRow(f, taskId)).state).toBe('completed');
    expect((await clock()).state).toBe('running');
    expect((await api('POST', `/api/v1/inspections/tasks/${taskId}/results/publish`, 'scjg-editor')).statusCode).toBe(403);
  });
});

describe('publishing the results', () => {
  it('publishes a 结果公告 listing every target with its result and completes the clock from the window end', async () => {
    const c0 = await clock();
    expect(c0).toMatchObject({ rule_code: 'inspection.results', start_date: '2026-07-31' });
    const r = await api('POST', `/api/v1/inspections/tasks/${taskId}/results/publish`, 'scjg-approver');
    expect(r.statusCode, r.body).toBe(200);
    const { itemId, indexNo } = r.json();
    expect(indexNo).toMatch(/^\d+\/2\d{3}-\d{5}$/);
    const task = await taskRow(f, taskId);
    expect(task).toMatchObject({ state: 'published', result_item_id: itemId });
    expect((await clock()).state).toBe('completed');
    await f.env.drain();
    const go = await f.env.app.inject({ method: 'GET', url: `/enforcement/tasks/${taskId}/results` });
    expect(go.statusCode).toBe(302);
    expect(go.headers.location).toBe(`/catalog/items/${itemId}`);
    const page = await f.env.app.inject({ method: 'GET', url: `/catalog/items/${itemId}` });
    expect(page.statusCode).toBe(200);
    const checks = await checksOf(f, taskId);
    const names = await f.env.p.db.selectFrom('enf_entities').select(['credit_code', 'name']).execute();
    for (const c of checks) {
      expect(page.body).toContain(c.credit_code);
      expect(page.body).toContain(names.find((n) => n.credit_code === c.credit_code)!.name);
    }
    expect(page.body).toContain('发现问题已立案');
    expect(page.body).toContain('未发现问题');
    // The internal note is not published.
    expect(page.body).not.toContain('责令限期整改标签问题');
    // After publication results are final; a second publication is refused.
    expect((await enter(checks[0].id, ACCOUNT[JSON.parse(checks[0].inspectors)[0]])).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/inspections/tasks/${taskId}/results/publish`, 'scjg-approver')).statusCode).toBe(409);
    // The draw notice links to the results.
    const draw = await f.env.app.inject({ method: 'GET', url: `/enforcement/draws/${(await f.env.p.db.selectFrom('enf_draws').select('id').where('task_id', '=', taskId).executeTakeFirstOrThrow()).id}` });
    expect(draw.body).toContain(`/enforcement/tasks/${taskId}/results`);
  });

  it('answers 404 for results not yet published', async () => {
    const t = await addTask(f);
    expect((await f.env.app.inject({ method: 'GET', url: `/enforcement/tasks/${t}/results` })).statusCode).toBe(404);
  });
});

describe('the daily job', () => {
  it('moves drawn tasks to 执行中 when their window starts', async () => {
    await addEntities(f, 50, 2);
    const early = await addTask(f, { sampleValue: 1, windowStart: '2026-08-01', windowEnd: '2026-08-20', matterCode: 'SCJG-009' });
    const later = await addTask(f, { sampleValue: 1, windowStart: '2026-09-01', windowEnd: '2026-09-20', matterCode: 'SCJG-010' });
    for (const t of [early, later]) {
      await prepareDraw(f.env.p, 'cli', t, { witnesses: witnessesOf(secretsOf(t)) });
      await drawTask(f.env.p, 'cli', t, { secrets: secretsOf(t) });
    }
    expect(await startWindows(f.env.p, '2026-07-31')).toBe(0);
    await f.env.p.tx((t) => f.env.p.jobs.enqueue(t, WINDOWS_JOB, { on: '2026-08-01' }));
    await f.env.drain();
    expect((await taskRow(f, early)).state).toBe('in-progress');
    expect((await taskRow(f, later)).state).toBe('drawn');
    const audit = await f.env.p.db.selectFrom('audit_events').select(['action', 'actor']).where('action', '=', 'enforcement.task_start').where('entity_id', '=', String(early)).execute();
    expect(audit).toEqual([{ action: 'enforcement.task_start', actor: 'system' }]);
  });
});

describe('the console', () => {
  it("shows an inspector their inspections and takes a result through the form; approvers see what awaits publication", async () => {
    const t = await addTask(f, { sampleValue: 1, matterCode: 'SCJG-011', title: '食品经营者监督检查（第三批）' });
    await prepareDraw(f.env.p, 'cli', t, { witnesses: witnessesOf(secretsOf(t)) });
    await drawTask(f.env.p, 'cli', t, { secrets: secretsOf(t) });
    const [check] = await checksOf(f, t);
    const who = ACCOUNT[JSON.parse(check.inspectors)[0]];
    const s = await login(f.env.app, who);
    const page = await f.env.app.inject({ method: 'GET', url: '/admin/enforcement/checks', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(check.credit_code);
    expect(page.body).toContain('未找到该市场主体');
    const post = (body: Record<string, string>) =>
      f.env.app.inject({ method: 'POST', url: `/admin/enforcement/checks/${check.id}/result`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), ...body }) });
    const bad = await post({ result: '' });
    expect(bad.statusCode).toBe(400);
    const ok = await post({ result: 'no-activity', note: '' });
    expect(ok.statusCode).toBe(303);
    expect((await checksOf(f, t))[0].result).toBe('no-activity');
    expect((await taskRow(f, t)).state).toBe('completed');
    const approver = await login(f.env.app, 'scjg-approver');
    const list = await f.env.app.inject({ method: 'GET', url: '/admin/enforcement/checks', headers: { cookie: approver.cookie } });
    expect(list.body).toContain(`/admin/enforcement/tasks/${t}/draw`);
    const drawPage = await f.env.app.inject({ method: 'GET', url: `/admin/enforcement/tasks/${t}/draw`, headers: { cookie: approver.cookie } });
    expect(drawPage.body).toContain(`/admin/enforcement/tasks/${t}/results/publish`);
    const pub = await f.env.app.inject({ method: 'POST', url: `/admin/enforcement/tasks/${t}/results/publish`, headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(drawPage.body), confirm: 'yes' }) });
    expect(pub.statusCode, pub.body).toBe(303);
    expect((await taskRow(f, t)).state).toBe('published');
  });
});
