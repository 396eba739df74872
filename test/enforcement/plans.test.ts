// Plans and tasks of random inspections: a task names a matter of the department's published
// 随机抽查事项清单 (name and field copied), its filter, sample, inspectors per target (2–10) and window;
// bad input is a 400 naming the field and writes nothing; another department's editor is refused;
// publishing the plan puts its 计划公告 and the 任务公告 in the spine with 索引号, and the pages answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { publishMatters, matter } from './matters-util.js';
import { demoOrg } from '../fixtures/org.js';
import { sampleSize, targetPool, normaliseIndustry } from '../../src/modules/enforcement/service/pool.js';
import { MODULES } from '../../src/modules/index.js';
import { addTask, createPlan } from '../../src/modules/enforcement/service/plans.js';

let env: TestEnv;
let scjg: number;
beforeAll(async () => {
  // Its own registers and lists (the demo has an enforcement year of its own): the staff it needs.
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: ['scjg-editor', 'scjg-approver', 'fgj-editor'] });
  scjg = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'scjg').executeTakeFirstOrThrow()).id;
  await publishMatters(env, 'scjg', [matter('SC-001', { name: '食品经营者监督检查' }), matter('SC-002', { name: '产品质量监督抽查', field: 'quality', basis: '《中华人民共和国产品质量法》第十五条' })]);
  // A register: codes with and without the 门类 letter, areas, risks, one inactive.
  const at = new Date().toISOString();
  const e = (code: string, industry: string, area: string, risk: string, active = 1) => ({ credit_code: code, name: `主体${code.slice(-3)}`, address: '示范新区', legal_rep: '张三', industry, risk, area, active, department_id: scjg, created_at: at, updated_at: at });
  await env.p.db
    .insertInto('enf_entities')
    .values([
      e('91210000MA0000000Z', 'F5211', '东风街道', 'high'),
      e('91210000MA00000013', '5211', '东风街道', 'low'),
      e('91210000MA0000002A', 'H62', '西山街道', 'high'),
      e('91210000MA00000030', '6210', '东风街道', 'medium'),
      e('92210000MA0000004B', 'C13', '西山街道', 'high'),
      e('91210000MA0000005X', 'F52', '东风街道', 'high', 0),
    ])
    .execute();
}, 60000);
afterAll(async () => env?.close());

const task = (extra: Record<string, unknown> = {}) => ({ matterCode: 'SC-001', filter: { industries: ['F52'], areas: [], risks: [] }, sampleKind: 'ratio', sampleValue: 50, windowStart: '2026-06-01', windowEnd: '2026-06-30', ...extra });
const api = (method: string, url: string, as: string | undefined, body?: unknown) => env.api(method, url, { as, body });
const json = (r: { body: string }) => JSON.parse(r.body);
const countTasks = async () => Number((await env.p.db.selectFrom('enf_tasks').select(env.p.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function newPlan(as = 'scjg-editor', title = '2026年度市场监管领域双随机抽查工作计划') {
  const r = await api('POST', '/api/v1/inspections/plans', as, { departmentId: scjg, year: 2026, title });
  expect(r.statusCode, r.body).toBe(201);
  return json(r);
}

describe('the pool and the sample size', () => {
  it('a ratio (per mille) is rounded up; a count is taken as it is', () => {
    expect(sampleSize('ratio', 50, 101)).toBe(6);
    expect(sampleSize('ratio', 50, 100)).toBe(5);
    expect(sampleSize('ratio', 1, 1)).toBe(1);
    expect(sampleSize('ratio', 1000, 7)).toBe(7);
    expect(sampleSize('ratio', 50, 0)).toBe(0);
    expect(sampleSize('count', 5, 3)).toBe(5);
  });

  it('selects the active entities of the filter by credit code, with or without the 门类 letter', async () => {
    const codes = async (f: { industries?: string[]; areas?: string[]; risks?: string[] }) => (await targetPool(env.p.db, { industries: [], areas: [], risks: [], ...f })).map((x) => x.credit_code);
    expect(await codes({ industries: ['F52'] })).toEqual(['91210000MA0000000Z', '91210000MA00000013']); // byte order: '0' < '1'
    expect(await codes({ industries: ['H'] })).toEqual(['91210000MA0000002A', '91210000MA00000030']);
    expect(await codes({ industries: ['62'] })).toEqual(['91210000MA0000002A', '91210000MA00000030']);
    expect(await codes({ areas: ['西山街道'], risks: ['high'] })).toEqual(['91210000MA0000002A', '92210000MA0000004B']);
    expect(await codes({})).toHaveLength(5); // the inactive one is never in the pool
    expect(normaliseIndustry('52')).toBe('F52');
    expect(normaliseIndustry('Z99')).toBeNull();
  });
});

describe('tasks: validation', () => {
  let planId: number;
  beforeAll(async () => {
    planId = (await newPlan()).id;
  });

  it('copies the matter’s name and field; per target defaults to 2', async () => {
    const r = await api('POST', `/api/v1/inspections/plans/${planId}/tasks`, 'scjg-editor', task({ filter: { industries: ['52', 'H62'], areas: ['东风街道'], risks: ['high', 'low'] } }));
    expect(r.statusCode, r.body).toBe(201);
    expect(json(r)).toMatchObject({ title: '食品经营者监督检查', state: 'pending', perTarget: 2, matter: { code: 'SC-001', name: '食品经营者监督检查', field: 'food' }, filter: { industries: ['F52', 'H62'], areas: ['东风街道'], risks: ['low', 'high'] }, sample: { kind: 'ratio', value: 50 }, taskItemId: null });
  });

  it('refuses one inspector per target, a window ending before it starts, an unknown matter, bad samples and unknown industries — naming the field, writing nothing', async () => {
    const before = await countTasks();
    const bad = async (body: Record<string, unknown>, field: string) => {
      const r = await api('POST', `/api/v1/inspections/plans/${planId}/tasks`, 'scjg-editor', body);
      expect(r.statusCode, r.body).toBe(400);
      expect(Object.keys(json(r).error.fields ?? {})).toContain(field);
      return json(r).error.fields[field];
    };
    await bad(task({ perTarget: 1 }), 'perTarget');
    await bad(task({ perTarget: 11 }), 'perTarget');
    expect(await bad(task({ windowStart: '2026-06-30', windowEnd: '2026-06-01' }), 'windowEnd')).toBe('检查结束日期不能早于开始日期');
    await bad(task({ windowStart: '2026-02-30' }), 'windowStart');
    expect(await bad(task({ matterCode: 'SC-999' }), 'matterCode')).toContain('随机抽查事项清单');
    await bad(task({ sampleKind: 'ratio', sampleValue: 1001 }), 'sampleValue');
    await bad(task({ sampleKind: 'count', sampleValue: 0 }), 'sampleValue');
    await bad(task({ filter: { industries: ['Z99'] } }), 'filter.industries');
    expect(await countTasks()).toBe(before);
  });

  it('the console form shows the errors beside the fields and keeps the values', async () => {
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: `/admin/enforcement/plans/${planId}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('SC-002 产品质量监督抽查');
    const send = (perTarget: string) =>
      env.app.inject({
        method: 'POST',
        url: `/admin/enforcement/plans/${planId}/tasks`,
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: csrfFrom(page.body), matterCode: 'SC-002', title: '产品质量抽查', industries: ['C', 'F52'], industriesMore: 'H6232', risks: ['high'], sampleKind: 'ratio', sampleRatio: '2.5', perTarget, windowStart: '2026-07-01', windowEnd: '2026-07-31' }),
      });
    const r = await send('1');
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('每户检查人员须为2至10名');
    expect(r.body).toContain('value="产品质量抽查"');
    const ok = await send('3');
    expect(ok.statusCode, ok.body).toBe(303);
    const t = await env.p.db.selectFrom('enf_tasks').selectAll().where('title', '=', '产品质量抽查').executeTakeFirstOrThrow();
    expect(t).toMatchObject({ matter_code: 'SC-002', field: 'quality', sample_kind: 'ratio', sample_value: 25, per_target: 3 });
    expect(JSON.parse(t.filter)).toEqual({ industries: ['C', 'F52', 'H6232'], areas: [], risks: ['high'] });
    // Its console page: state, facts in words, the pool as it stands.
    const tp = await env.app.inject({ url: `/admin/enforcement/tasks/${t.id}`, headers: { cookie: s.cookie } });
    expect(tp.statusCode).toBe(200);
    expect(tp.body).toContain('待抽取');
    expect(tp.body).toContain('按2.5%的比例抽取（向上取整）');
    expect(tp.body).toContain('名录库中现有2户符合条件，按此将抽取1户');
  });
});

describe('department isolation', () => {
  it('another department’s editor gets 404 on a draft plan and 403 on a published one; cannot plan for it', async () => {
    const plan = await newPlan();
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'fgj-editor', task())).statusCode).toBe(404);
    const s = await login(env.app, 'fgj-editor');
    expect((await env.app.inject({ url: `/admin/enforcement/plans/${plan.id}`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/inspections/plans', 'fgj-editor', { departmentId: scjg, year: 2026, title: '越权' })).statusCode).toBe(403);
    // A reader of the department (its approver) sees the draft but cannot change it.
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-approver', task())).statusCode).toBe(403);
    const t = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task()));
    const extra = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task({ title: '多余的任务' })));
    expect((await api('DELETE', `/api/v1/inspections/tasks/${extra.id}`, 'fgj-editor')).statusCode).toBe(404);
    expect((await api('DELETE', `/api/v1/inspections/tasks/${extra.id}`, 'scjg-editor')).statusCode).toBe(204);
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'fgj-editor')).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'scjg-editor')).statusCode).toBe(200);
    expect((await api('PUT', `/api/v1/inspections/tasks/${t.id}`, 'fgj-editor', task({ perTarget: 3 }))).statusCode).toBe(403);
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'fgj-editor', task())).statusCode).toBe(403);
    expect((await env.p.db.selectFrom('enf_tasks').select('per_target').where('id', '=', t.id).executeTakeFirstOrThrow()).per_target).toBe(2);
  });
});

describe('publication', () => {
  it('publishes the 计划公告 and each 任务公告 with 索引号; the pages and the API answer', async () => {
    const plan = await newPlan('scjg-editor', '2026年度产品质量双随机抽查计划');
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'scjg-editor')).statusCode).toBe(409); // no task yet
    const t1 = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task({ matterCode: 'SC-002', title: '电动自行车产品质量抽查' })));
    const t2 = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task({ sampleKind: 'count', sampleValue: 3 })));
    // Not public before the plan is.
    expect((await env.app.inject({ url: `/enforcement/tasks/${t1.id}` })).statusCode).toBe(404);
    expect((await env.app.inject({ url: `/enforcement/plans/${plan.id}` })).statusCode).toBe(404);
    const pub = await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'scjg-editor');
    expect(pub.statusCode, pub.body).toBe(200);
    const p = json(pub);
    expect(p).toMatchObject({ status: 'published', url: `/enforcement/plans/${plan.id}` });
    expect((await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'scjg-editor')).statusCode).toBe(409);
    const items = await env.p.db.selectFrom('pub_items').select(['id', 'type', 'index_no', 'public', 'category', 'title']).where('type', 'in', ['inspection-plan', 'inspection-task']).orderBy('id').execute();
    const planItem = items.find((x) => x.id === p.pubItemId)!;
    expect(planItem).toMatchObject({ type: 'inspection-plan', public: 1, category: 'a20-13', title: '2026年度产品质量双随机抽查计划' });
    expect(planItem.index_no).toMatch(/^[0-9A-Z]+\/\d{4}-\d{5}$/);
    const taskRows = await env.p.db.selectFrom('enf_tasks').select(['id', 'task_item_id']).where('plan_id', '=', plan.id).orderBy('id').execute();
    for (const r of taskRows) {
      const it = items.find((x) => x.id === r.task_item_id)!;
      expect(it).toMatchObject({ type: 'inspection-task', public: 1 });
      expect(it.index_no).toMatch(/^[0-9A-Z]+\/\d{4}-\d{5}$/);
    }
    expect(new Set(items.map((x) => x.index_no)).size).toBe(items.length);
    // The catalog entries render the notices.
    const planPage = await env.app.inject({ url: `/catalog/items/${p.pubItemId}` });
    expect(planPage.statusCode).toBe(200);
    expect(planPage.body).toContain(planItem.index_no!);
    expect(planPage.body).toContain('电动自行车产品质量抽查');
    const taskItem = await env.app.inject({ url: `/catalog/items/${taskRows[0].task_item_id}` });
    expect(taskItem.statusCode).toBe(200);
    expect(taskItem.body).toContain('《中华人民共和国产品质量法》第十五条');
    // The live pages.
    const pp = await env.app.inject({ url: `/enforcement/plans/${plan.id}` });
    expect(pp.statusCode).toBe(200);
    expect(pp.body).toContain('待抽取');
    const tp = await env.app.inject({ url: `/enforcement/tasks/${t1.id}` });
    expect(tp.statusCode).toBe(200);
    expect(tp.body).toContain('《中华人民共和国产品质量法》第十五条');
    expect(tp.body).toContain('行业：F52 零售业');
    expect(tp.body).toContain('2026-06-01至2026-06-30');
    expect(tp.body).toContain('尚未公布抽取参数');
    const list = await env.app.inject({ url: '/enforcement/inspections?year=2026&department=scjg' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('2026年度产品质量双随机抽查计划');
    const api1 = json(await env.api('GET', '/api/v1/inspections/plans?year=2026&department=scjg'));
    const mine = api1.items.find((x: any) => x.id === plan.id);
    expect(mine).toMatchObject({ indexNo: planItem.index_no, department: { code: 'scjg' }, noticeUrl: `/catalog/items/${p.pubItemId}` });
    expect(mine.tasks.map((x: any) => [x.id, x.state, x.sample])).toEqual([
      [t1.id, 'pending', { kind: 'ratio', value: 50 }],
      [t2.id, 'pending', { kind: 'count', value: 3 }],
    ]);
    const one = json(await env.api('GET', `/api/v1/inspections/tasks/${t1.id}`));
    expect(one).toMatchObject({ state: 'pending', matter: { code: 'SC-002', field: 'quality', basis: '《中华人民共和国产品质量法》第十五条' }, draw: null, checks: [] });
    expect((await env.api('GET', '/api/v1/inspections/plans?department=fgj')).statusCode).toBe(200);
    expect(json(await env.api('GET', '/api/v1/inspections/plans?department=fgj')).total).toBe(0);

    // A task added to the published plan is published at once; the plan notice gets a new version.
    const t3 = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task({ title: '食品经营者第二批抽查' })));
    expect(t3.taskItemId).toBeGreaterThan(0);
    expect((await env.p.db.selectFrom('pub_items').select(['public', 'index_no']).where('id', '=', t3.taskItemId).executeTakeFirstOrThrow()).public).toBe(1);
    expect((await env.p.db.selectFrom('pub_items').select('published_version').where('id', '=', p.pubItemId).executeTakeFirstOrThrow()).published_version).toBe(2);
    expect((await env.app.inject({ url: `/catalog/items/${p.pubItemId}` })).body).toContain('食品经营者第二批抽查');
    // Editing a published pending task revises its notice; once drawn it cannot change.
    const ed = await api('PUT', `/api/v1/inspections/tasks/${t3.id}`, 'scjg-editor', task({ title: '食品经营者第二批抽查', windowEnd: '2026-07-15' }));
    expect(ed.statusCode, ed.body).toBe(200);
    expect((await env.p.db.selectFrom('pub_items').select('published_version').where('id', '=', t3.taskItemId).executeTakeFirstOrThrow()).published_version).toBe(2);
    await env.p.db.updateTable('enf_tasks').set({ state: 'drawn' }).where('id', '=', t3.id).execute();
    const late = await api('PUT', `/api/v1/inspections/tasks/${t3.id}`, 'scjg-editor', task({ perTarget: 4 }));
    expect(late.statusCode).toBe(409);
    expect(json(late).error.message).toContain('已抽取');
    expect((await api('DELETE', `/api/v1/inspections/tasks/${t2.id}`, 'scjg-editor')).statusCode).toBe(409);
  });

  it('the task page shows the draw (commitments, links) and, once results are published, every target', async () => {
    const plan = await newPlan('scjg-editor', '抽取展示计划');
    const t = json(await api('POST', `/api/v1/inspections/plans/${plan.id}/tasks`, 'scjg-editor', task({ sampleKind: 'count', sampleValue: 2 })));
    await api('POST', `/api/v1/inspections/plans/${plan.id}/publish`, 'scjg-editor');
    const at = new Date().toISOString();
    const commitment = 'a'.repeat(64);
    const d = await env.p.db
      .insertInto('enf_draws')
      .values({ task_id: t.id, status: 'done', inputs: JSON.stringify({ targets: ['91210000MA00000013', '91210000MA0000000Z'], inspectors: [{}, {}, {}], conflicts: [], sampleSize: 2, perTarget: 2, field: 'food' }), witnesses: JSON.stringify([{ name: '见证人甲', commitment }, { name: '见证人乙', commitment: 'b'.repeat(64) }]), secrets: '[]', beacon: '', seed: 'c'.repeat(64), selection: '[]', prepared_by: 'test', prepared_at: at, drawn_by: 'test', drawn_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ents = await env.p.db.selectFrom('enf_entities').select(['id', 'credit_code']).where('credit_code', 'in', ['91210000MA00000013', '91210000MA0000000Z']).orderBy('credit_code').execute();
    await env.p.db
      .insertInto('enf_checks')
      .values(ents.map((e, i) => ({ task_id: t.id, entity_id: e.id, credit_code: e.credit_code, ordinal: i + 1, inspectors: JSON.stringify(['JC-001', 'JC-002']), result: i ? 'rectify' : 'no-problem', note: '', entered_by: 'x', entered_at: at })))
      .execute();
    await env.p.db.updateTable('enf_tasks').set({ state: 'completed' }).where('id', '=', t.id).execute();
    let page = await env.app.inject({ url: `/enforcement/tasks/${t.id}` });
    expect(page.body).toContain(commitment);
    expect(page.body).toContain(`/enforcement/draws/${d.id}/verify`);
    expect(page.body).toContain('从2户中抽取2户');
    expect(page.body).not.toContain('发现问题已责令整改'); // results not yet published
    await env.p.db.updateTable('enf_tasks').set({ state: 'published' }).where('id', '=', t.id).execute();
    page = await env.app.inject({ url: `/enforcement/tasks/${t.id}` });
    expect(page.body).toContain('结果已公示');
    expect(page.body).toContain('发现问题已责令整改');
    expect(page.body).toContain('JC-001、JC-002');
    const one = json(await env.api('GET', `/api/v1/inspections/tasks/${t.id}`));
    expect(one.draw).toMatchObject({ id: d.id, status: 'done', sampleSize: 2, targets: 2, inspectors: 3, url: `/enforcement/draws/${d.id}` });
    expect(one.checks.map((x: any) => [x.creditCode, x.result])).toEqual([
      ['91210000MA0000000Z', 'no-problem'],
      ['91210000MA00000013', 'rectify'],
    ]);
    const en = await env.app.inject({ url: `/enforcement/tasks/${t.id}`, headers: { cookie: 'gk_lang=en' } });
    expect(en.body).toContain('Problem found, ordered to rectify');
  });

  it('the public list answers with an empty state and pages', async () => {
    const empty = await env.app.inject({ url: '/enforcement/inspections?year=2099' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('抽查计划');
  });
});

describe('the console', () => {
  it('creates a plan, refuses publication without confirmation, publishes with it', async () => {
    const s = await login(env.app, 'scjg-editor');
    const list = await env.app.inject({ url: '/admin/enforcement/plans', headers: { cookie: s.cookie } });
    expect(list.statusCode).toBe(200);
    const post = (url: string, data: Record<string, string | string[]>) => env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(list.body), ...data }) });
    const bad = await post('/admin/enforcement/plans', { departmentId: String(scjg), year: '1999', title: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('年度须为2000至2100之间的年份');
    const made = await post('/admin/enforcement/plans', { departmentId: String(scjg), year: '2026', title: '控制台计划' });
    expect(made.statusCode).toBe(303);
    const id = Number(/plans\/(\d+)/.exec(made.headers.location as string)![1]);
    await post(`/admin/enforcement/plans/${id}/tasks`, { matterCode: 'SC-001', sampleKind: 'count', sampleCount: '4', perTarget: '2', windowStart: '2026-09-01', windowEnd: '2026-09-30' });
    const page = await env.app.inject({ url: `/admin/enforcement/plans/${id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain(`/admin/enforcement/plans/${id}/publish`);
    expect((await post(`/admin/enforcement/plans/${id}/publish`, {})).statusCode).toBe(400);
    const ok = await post(`/admin/enforcement/plans/${id}/publish`, { confirm: 'yes' });
    expect(ok.statusCode).toBe(303);
    const after = await env.app.inject({ url: `/admin/enforcement/plans/${id}?done=published`, headers: { cookie: s.cookie } });
    expect(after.body).toContain('计划公告和任务公告已公布');
    expect(after.body).not.toContain(`/admin/enforcement/plans/${id}/publish`);
  });
});

describe('without the lists module', () => {
  it('a task states its matter’s name and field itself', async () => {
    const e2 = await makeEnv({ demo: false, modules: MODULES.filter((m) => m.name !== 'lists') });
    try {
      const dept = await e2.p.db.insertInto('departments').values({ parent_id: null, code: 'scjg', name: '市场监督管理局', short_name: '市场监管局', kind: 'bureau', org_code: null, phone: '', fax: '', email: '', address: '', office_hours: '', sort: 1, active: 1, created_at: new Date().toISOString(), updated_at: new Date().toISOString() } as any).returning('id').executeTakeFirstOrThrow();
      const plan = await createPlan(e2.p, 'cli', { departmentId: dept.id, year: 2026, title: '计划' });
      await expect(addTask(e2.p, 'cli', plan.id, task())).rejects.toMatchObject({ status: 400, fields: { matterName: 'err.field.required', field: 'err.field.enum_generic' } });
      const t = await addTask(e2.p, 'cli', plan.id, task({ matterName: '食品经营者监督检查', field: 'food' }));
      expect(t).toMatchObject({ matter_code: 'SC-001', matter_name: '食品经营者监督检查', field: 'food' });
    } finally {
      await e2.close();
    }
  }, 120000);
});
