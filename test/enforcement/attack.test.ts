// Attacks on the enforcement module, as a hostile citizen and as staff of another department:
// draw integrity (a prepared draw's task cannot change; commitments whose secrets are public cannot
// be used again; a draw runs once; registers changed after prepare do not move the draw), another
// department's staff and unassigned inspectors refused with nothing written, bad input answered
// with a 4xx naming the field, citizen text escaped and inspectors' phones and accounts never public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { createUser } from '../../src/modules/org/service.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { computeDraw } from '../../src/modules/enforcement/service/draw.js';
import { publishMatters, matter } from './matters-util.js';
import { addEntities, addInspector, checksOf, drawRow, taskRow, witnessesOf, type Fixture } from './draw-workflow.js';

let f: Fixture;
const api = (method: string, url: string, as: string | undefined, body?: unknown) => f.env.api(method, url, { as, body });
const SECRETS = ['潮汐与灯塔', 'an honest witness'];

beforeAll(async () => {
  const env = await makeEnv({ demo: false });
  const dept = await demoOrg(env.p, { users: ['admin', 'scjg-editor', 'scjg-approver', 'fgj-editor', 'fgj-approver'], departments: ['scjg', 'fgj'] });
  for (const [username, department] of [
    ['scjg-insp1', 'scjg'],
    ['scjg-insp2', 'scjg'],
    ['scjg-insp3', 'scjg'],
    ['fgj-insp1', 'fgj'],
  ]) {
    await createUser(env.p, 'cli', { username, password: 'Demo-2026-gongkai', displayName: username, department, roles: [{ role: 'inspector', includeChildren: false }] });
  }
  const users = new Map((await env.p.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  await ensureCalendar(env.p.db);
  f = { env, dept, users };
  await publishMatters(env, 'scjg', [matter('SC-001', { name: '食品经营者监督检查' })]);
  await addEntities(f, 1, 10, { industry: 'F5211' });
  await addInspector(f, 'SC-001', { user: 'scjg-insp1' });
  await addInspector(f, 'SC-002', { user: 'scjg-insp2' });
  for (const cert of ['SC-003', 'SC-004', 'SC-005', 'SC-006', 'SC-007']) await addInspector(f, cert);
  await addInspector(f, 'FG-001', { department: 'fgj', user: 'fgj-insp1' });
}, 120_000);
afterAll(async () => f?.env.close());

const taskBody = (extra: Record<string, unknown> = {}) => ({ matterCode: 'SC-001', filter: { industries: ['F52'], areas: [], risks: [] }, sampleKind: 'count', sampleValue: 3, perTarget: 2, windowStart: '2026-06-01', windowEnd: '2026-06-30', ...extra });

/** A plan of 市场监管局 with one task, through the API (published unless `draft`). */
async function newTask(title: string, o: { draft?: boolean } = {}): Promise<number> {
  const plan = await api('POST', '/api/v1/inspections/plans', 'scjg-editor', { departmentId: f.dept.get('scjg'), year: 2026, title: `${title}计划` });
  expect(plan.statusCode, plan.body).toBe(201);
  const t = await api('POST', `/api/v1/inspections/plans/${plan.json().id}/tasks`, 'scjg-editor', taskBody({ title }));
  expect(t.statusCode, t.body).toBe(201);
  if (!o.draft) expect((await api('POST', `/api/v1/inspections/plans/${plan.json().id}/publish`, 'scjg-editor')).statusCode).toBe(200);
  return t.json().id;
}
const prepare = (taskId: number, witnesses: unknown = witnessesOf(SECRETS), as = 'scjg-editor') => api('POST', `/api/v1/inspections/tasks/${taskId}/draw`, as, { witnesses });
const run = (taskId: number, secrets: unknown = SECRETS, as = 'scjg-editor') => api('POST', `/api/v1/inspections/tasks/${taskId}/draw/run`, as, { secrets });
const count = async (table: 'enf_draws' | 'enf_checks' | 'pub_items' | 'enf_relations') => Number((await f.env.p.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('draw integrity', () => {
  it('a task whose draw is prepared cannot be edited (sample, inspectors per target, window): 409, nothing changes', async () => {
    const id = await newTask('准备后修改任务');
    expect((await prepare(id, witnessesOf(['修改一', '修改二']))).statusCode).toBe(201);
    const before = await taskRow(f, id);
    const r = await api('PUT', `/api/v1/inspections/tasks/${id}`, 'scjg-editor', taskBody({ title: '准备后修改任务', sampleValue: 1, perTarget: 3, windowEnd: '2026-12-31' }));
    expect(r.statusCode, r.body).toBe(409);
    expect(await taskRow(f, id)).toEqual(before);
  });

  it('a task of a draft plan whose draw is prepared cannot be deleted: 409, the draw and its notice stay', async () => {
    const id = await newTask('草稿计划中抽取', { draft: true });
    const r = await prepare(id, witnessesOf(['草稿一', '草稿二']));
    if (r.statusCode === 201) {
      const del = await api('DELETE', `/api/v1/inspections/tasks/${id}`, 'scjg-editor');
      expect(del.statusCode, del.body).toBe(409);
      expect(await drawRow(f, id)).toBeTruthy();
      expect((await taskRow(f, id)).state).toBe('pending');
    } else expect(r.statusCode).toBe(409);
  });

  it('registers changed after prepare (entities added or closed, inspectors retired) do not change the draw', async () => {
    const id = await newTask('准备后改名录');
    expect((await prepare(id)).statusCode).toBe(201);
    const frozen = JSON.parse((await drawRow(f, id))!.inputs);
    await addEntities(f, 500, 5, { industry: 'F5211' });
    await f.env.p.db.updateTable('enf_entities').set({ active: 0 }).where('credit_code', '=', frozen.targets[0]).execute();
    await f.env.p.db.updateTable('enf_inspectors').set({ active: 0 }).where('cert_no', '=', 'SC-003').execute();
    const r = await run(id);
    expect(r.statusCode, r.body).toBe(200);
    const expected = computeDraw({ task: id, ...frozen, secrets: SECRETS, beacon: '' });
    expect(r.json().selection).toEqual(expected.selection);
    expect((await checksOf(f, id)).map((c) => c.credit_code)).toEqual(expected.selection.map((s) => s.target));
    await f.env.p.db.updateTable('enf_entities').set({ active: 1 }).where('credit_code', '=', frozen.targets[0]).execute();
    await f.env.p.db.updateTable('enf_inspectors').set({ active: 1 }).where('cert_no', '=', 'SC-003').execute();
  });

  it('a draw runs once: the second run is 409 and writes nothing', async () => {
    const id = await newTask('重复抽取');
    const secrets = ['只抽一次甲', '只抽一次乙'];
    expect((await prepare(id, witnessesOf(secrets))).statusCode).toBe(201);
    const first = await run(id, secrets);
    expect(first.statusCode, first.body).toBe(200);
    const checks = await count('enf_checks');
    const row = await drawRow(f, id);
    const again = await run(id, secrets);
    expect(again.statusCode).toBe(409);
    expect(await count('enf_checks')).toBe(checks);
    expect(await drawRow(f, id)).toEqual(row);
    // Nor can it be prepared again.
    expect((await prepare(id, witnessesOf(['另一个', '密钥组']))).statusCode).toBe(409);
  });

  it('commitments whose secrets a done draw has published cannot be used for another task', async () => {
    // SECRETS were revealed by the draws above: anyone (the preparer too) knows them, so a draw
    // committed to them could be computed in advance and its inputs steered.
    const id = await newTask('重放密钥');
    const before = await count('enf_draws');
    const r = await prepare(id, [witnessesOf(SECRETS)[0], ...witnessesOf(['全新的见证人密钥'])]);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error.fields).toHaveProperty(['witnesses.0.commitment']);
    expect(await count('enf_draws')).toBe(before);
    // Fresh ones are accepted.
    expect((await prepare(id, witnessesOf(['全新的见证人密钥', '另一位见证人的密钥']))).statusCode).toBe(201);
    // A commitment already given for a prepared (not yet drawn) draw is refused as well.
    const other = await newTask('重放承诺');
    const dup = await prepare(other, witnessesOf(['全新的见证人密钥', '第三位']));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toHaveProperty(['witnesses.0.commitment']);
  });

  it('secrets are checked against their own commitments: swapped, with a newline or of another type are refused', async () => {
    const id = await newTask('密钥输入');
    const secrets = ['第一位见证人', '第二位见证人'];
    expect((await prepare(id, witnessesOf(secrets))).statusCode).toBe(201);
    const swapped = await run(id, [secrets[1], secrets[0]]);
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().error.fields).toHaveProperty(['secrets.0']);
    for (const bad of [['第一位见证人\n', '第二位见证人'], [1, 2], ['x'.repeat(100_000), '第二位见证人'], 'secret']) {
      const r = await run(id, bad);
      expect(r.statusCode, JSON.stringify(bad).slice(0, 40)).toBe(400);
    }
    expect((await drawRow(f, id))!.status).toBe('prepared');
    expect(await checksOf(f, id)).toEqual([]);
  });
});

describe('another department and unassigned inspectors', () => {
  let task: number;
  let check: number;
  beforeAll(async () => {
    task = await newTask('跨部门攻击');
  });

  it("another department's editor cannot prepare or run this department's draw", async () => {
    const draws = await count('enf_draws');
    const items = await count('pub_items');
    expect((await prepare(task, witnessesOf(['跨部门一', '跨部门二']), 'fgj-editor')).statusCode).toBe(403);
    expect(await count('enf_draws')).toBe(draws);
    expect(await count('pub_items')).toBe(items);
    expect((await prepare(task, witnessesOf(['跨部门一', '跨部门二']))).statusCode).toBe(201);
    expect((await run(task, ['跨部门一', '跨部门二'], 'fgj-editor')).statusCode).toBe(403);
    expect((await drawRow(f, task))!.status).toBe('prepared');
    expect((await api('PUT', `/api/v1/inspections/tasks/${task}`, 'fgj-editor', taskBody({ title: '改' }))).statusCode).toBeGreaterThanOrEqual(403);
    expect((await run(task, ['跨部门一', '跨部门二'])).statusCode).toBe(200);
    check = (await checksOf(f, task))[0].id;
  });

  it('only an inspector the draw assigned enters a result; another department’s inspector and approver are refused', async () => {
    const c = (await checksOf(f, task)).find((x) => !JSON.parse(x.inspectors).includes('SC-001'))!;
    check = c.id;
    for (const who of ['scjg-insp1', 'fgj-insp1', 'scjg-editor', 'admin']) {
      if (who === 'scjg-insp1' && JSON.parse(c.inspectors).includes('SC-001')) continue;
      const r = await api('PUT', `/api/v1/inspections/checks/${check}/result`, who, { result: 'no-problem' });
      expect(r.statusCode, who).toBeGreaterThanOrEqual(403);
    }
    const row = (await checksOf(f, task)).find((x) => x.id === check)!;
    expect(row.result).toBeNull();
    // The fgj inspector's "my checks" shows nothing of 市场监管局.
    expect((await api('GET', '/api/v1/inspections/checks', 'fgj-insp1')).json().items).toEqual([]);
  });

  it("another department's approver cannot publish the results", async () => {
    await f.env.p.db.updateTable('enf_checks').set({ result: 'no-problem' }).where('task_id', '=', task).execute();
    await f.env.p.db.updateTable('enf_tasks').set({ state: 'completed' }).where('id', '=', task).execute();
    const items = await count('pub_items');
    expect((await api('POST', `/api/v1/inspections/tasks/${task}/results/publish`, 'fgj-approver')).statusCode).toBe(403);
    expect((await taskRow(f, task)).state).toBe('completed');
    expect(await count('pub_items')).toBe(items);
  });

  it("another department's editor cannot change this department's inspectors, their accounts or relations", async () => {
    const rel = await count('enf_relations');
    const code = (await checksOf(f, task))[0].credit_code;
    const tries = [
      await api('PUT', '/api/v1/registers/inspectors/SC-001', 'fgj-editor', { name: '改名', department: 'fgj', fields: ['food'], phone: '13900000000' }),
      await api('PUT', '/api/v1/registers/inspectors/SC-001/user', 'fgj-editor', { username: 'fgj-insp1' }),
      await api('POST', '/api/v1/registers/inspectors/SC-001/relations', 'fgj-editor', { creditCode: code, reason: '近亲属' }),
    ];
    for (const r of tries) expect([403, 404], r.body).toContain(r.statusCode);
    expect(await count('enf_relations')).toBe(rel);
    const i = await f.env.p.db.selectFrom('enf_inspectors').selectAll().where('cert_no', '=', 'SC-001').executeTakeFirstOrThrow();
    expect(i.name).toBe('检查员SC-001');
    expect(i.user_id).toBe(String(f.users.get('scjg-insp1')));
  });
});

describe('bad input', () => {
  it('draw and result routes answer wrong types, huge ids and bodies with a 4xx, never a 5xx', async () => {
    const id = await newTask('坏输入');
    const bad: [string, string, unknown][] = [
      ['POST', `/api/v1/inspections/tasks/${id}/draw`, { witnesses: 'two' }],
      ['POST', `/api/v1/inspections/tasks/${id}/draw`, { witnesses: [{ name: '甲', commitment: 'a'.repeat(64) }, { name: '乙', commitment: 'A'.repeat(64) }] }],
      ['POST', `/api/v1/inspections/tasks/${id}/draw`, { witnesses: [{ name: '\u202e\n\t', commitment: 'a'.repeat(64) }, { name: '乙', commitment: 'b'.repeat(64) }] }],
      ['POST', `/api/v1/inspections/tasks/${id}/draw`, { witnesses: [{ name: '甲', commitment: 'g'.repeat(64) }, { name: '乙', commitment: 'b'.repeat(64) }] }],
      ['POST', '/api/v1/inspections/tasks/99999999999999/draw', { witnesses: witnessesOf(['a', 'b']) }],
      ['POST', '/api/v1/inspections/tasks/-1/draw/run', { secrets: ['a', 'b'] }],
      ['PUT', '/api/v1/inspections/checks/1e3/result', { result: 'compliant' }],
      ['PUT', '/api/v1/inspections/checks/1/result', { result: 'compliant', note: 'x'.repeat(5000) }],
      ['PUT', `/api/v1/inspections/tasks/${id}`, taskBody({ sampleValue: -5 })],
      ['PUT', `/api/v1/inspections/tasks/${id}`, taskBody({ sampleValue: 1e12 })],
      ['PUT', `/api/v1/inspections/tasks/${id}`, taskBody({ windowEnd: '2026-02-30' })],
      ['PUT', `/api/v1/inspections/tasks/${id}`, taskBody({ windowStart: '2026-07-01', windowEnd: '2026-06-01' })],
      ['PUT', `/api/v1/inspections/tasks/${id}`, taskBody({ filter: { industries: ['%'], areas: ['x'.repeat(10_000)], risks: [] } })],
    ];
    const draws = await count('enf_draws');
    for (const [method, url, body] of bad) {
      const r = await api(method, url, 'scjg-editor', body);
      expect(r.statusCode, `${method} ${url} ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${method} ${url} ${r.body.slice(0, 200)}`).toBeLessThan(500);
    }
    expect(await count('enf_draws')).toBe(draws);
  });
});

describe('public pages', () => {
  it('witness names and entity names are escaped on the draw notice', async () => {
    await addEntities(f, 900, 1, { industry: 'F5211' });
    await f.env.p.db.updateTable('enf_entities').set({ name: '<script>alert(1)</script>有限公司' }).where('credit_code', '=', '91210200MA00000900').execute();
    const id = await newTask('转义');
    const w = [{ name: '<img src=x onerror=alert(1)>', commitment: witnessesOf(['转义一'])[0].commitment }, ...witnessesOf(['转义二']).map((x) => ({ ...x, name: '"><svg onload=alert(2)>' }))];
    // Sample all 11 active targets so the scripted name is drawn.
    const r = await prepare(id, w);
    expect(r.statusCode, r.body).toBe(201);
    expect((await run(id, ['转义一', '转义二'])).statusCode).toBe(200);
    const drawId = (await drawRow(f, id))!.id;
    for (const url of [`/enforcement/draws/${drawId}`, `/enforcement/tasks/${id}`]) {
      const page = await f.env.app.inject({ url });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).not.toContain('<svg onload');
      expect(page.body).not.toContain('<script>alert(1)');
    }
  });

  it("inspectors' phones and linked accounts are never public", async () => {
    const pages = [
      await f.env.app.inject({ url: '/api/v1/inspectors' }),
      await f.env.app.inject({ url: '/api/v1/inspectors?department=scjg' }),
      await f.env.app.inject({ url: '/enforcement/inspectors' }),
    ];
    for (const p of pages) {
      expect(p.statusCode).toBe(200);
      expect(p.body).toContain('SC-001');
      expect(p.body).not.toContain('13800000000');
      expect(p.body).not.toContain('scjg-insp1');
    }
    // Nor through the staff API to an anonymous caller.
    expect((await f.env.app.inject({ url: '/api/v1/registers/inspectors/SC-001' })).statusCode).toBeGreaterThanOrEqual(401);
  });
});
