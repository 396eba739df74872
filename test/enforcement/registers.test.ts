// The registers: entities (one register for the government, each entry remembering the
// department that last wrote it), inspectors (per department: another department's editor
// cannot touch them), the account link, declared conflicts of interest, and what the public sees
// (never an inspector's phone or account; an entity's inspections only once published).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { createUser } from '../../src/modules/org/service.js';
import { withUsccCheck } from '../../src/modules/enforcement/service/uscc.js';

let env: TestEnv;
let ids: Map<string, number>;

const A = '91350100M000100Y43';
const B = withUsccCheck('92210213MA0XY812Q');
const entity = (creditCode: string, extra: Record<string, unknown> = {}) => ({ creditCode, name: '大连海滨食品有限公司', address: '示范新区海滨路88号', legalRep: '王建国', industry: '5231', risk: '中', area: '海滨街道', ...extra });

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  ids = await demoOrg(env.p, { users: ['admin', 'scjg-editor', 'fgj-editor', 'scjg-approver'] });
  for (const [username, department, role] of [
    ['scjg-inspector', 'scjg', 'inspector'],
    ['scjg-inspector2', 'scjg', 'inspector'],
    ['fgj-inspector', 'fgj', 'inspector'],
  ])
    await createUser(env.p, 'cli', { username, password: 'Demo-2026-gongkai', displayName: username, department, roles: [{ role, includeChildren: false }] });
}, 120_000);
afterAll(async () => env?.close());

const api = (method: string, url: string, as?: string, body?: unknown) => env.api(method, url, { as, body });

describe('entities', () => {
  it('an editor adds an entity; the industry and risk are understood as typed; the public sees only public fields', async () => {
    const r = await api('POST', '/api/v1/registers/entities', 'scjg-editor', entity(A));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ creditCode: A, industry: 'F5231', risk: 'medium', area: '海滨街道', department: 'scjg', active: true });
    expect(r.json().industryName).toMatch(/^F5231 /);
    const pub = await api('GET', `/api/v1/entities/${A}`);
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json()).sort()).toEqual(['active', 'address', 'area', 'creditCode', 'industry', 'industryName', 'inspections', 'name']);
    expect(pub.body).not.toContain('王建国');
    // Found by part of the name, and by the code typed in lower case.
    expect((await api('GET', `/api/v1/entities?q=${encodeURIComponent('海滨食品')}`)).json()).toMatchObject({ total: 1, items: [{ creditCode: A }] });
    expect((await api('GET', `/api/v1/entities?q=${A.toLowerCase()}`)).json().total).toBe(1);
    expect((await api('GET', `/api/v1/entities?q=${encodeURIComponent('%')}`)).json().total).toBe(0);
  });

  it('refuses a wrong credit code naming the field and the expected check character, and a duplicate', async () => {
    const bad = await api('POST', '/api/v1/registers/entities', 'scjg-editor', entity('91350100M000100Y44'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.creditCode).toContain('第18位应为“3”');
    const en = await env.api('POST', '/api/v1/registers/entities', { as: 'scjg-editor', body: entity('91350100M000100Y44'), headers: { 'accept-language': 'en' } });
    expect(en.json().error.fields.creditCode).toContain('must be “3”');
    const many = await api('POST', '/api/v1/registers/entities', 'scjg-editor', entity('9135', { industry: 'Z99', risk: 'extreme', area: '' }));
    expect(many.statusCode).toBe(400);
    expect(Object.keys(many.json().error.fields).sort()).toEqual(['area', 'creditCode', 'industry', 'risk']);
    const dup = await api('POST', '/api/v1/registers/entities', 'fgj-editor', entity(A.toLowerCase()));
    expect(dup.statusCode).toBe(409);
    expect(await env.p.db.selectFrom('enf_entities').select('id').execute()).toHaveLength(1);
  });

  it('the register is shared: another department corrects an entity, which then remembers it; the audit keeps the previous one', async () => {
    const r = await api('PUT', `/api/v1/registers/entities/${A}`, 'fgj-editor', entity(A, { address: '示范新区海滨路90号', risk: 'high' }));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ address: '示范新区海滨路90号', risk: 'high', department: 'fgj' });
    const audit = await env.p.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'enforcement.entity.update').execute();
    expect(JSON.parse(audit[0].details)).toMatchObject({ creditCode: A, changed: ['address', 'risk'], department: 'fgj', previousDepartment: 'scjg' });
    // Deactivated: out of the pool, still public with its status.
    const off = await api('PUT', `/api/v1/registers/entities/${A}`, 'scjg-editor', entity(A, { address: '示范新区海滨路90号', risk: 'high', active: false }));
    expect(off.json().active).toBe(false);
    expect((await api('GET', `/api/v1/entities/${A}`)).json().active).toBe(false);
    // A reader without the right to keep registers may not write.
    expect((await api('PUT', `/api/v1/registers/entities/${A}`, 'scjg-approver', entity(A))).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/registers/entities', undefined, entity(B))).statusCode).toBe(401);
  });
});

describe('inspectors', () => {
  const inspector = (certNo: string, extra: Record<string, unknown> = {}) => ({ certNo, name: '李执法', department: 'scjg', fields: ['market', '食品安全'], phone: '13812345678', ...extra });

  it('an editor adds an inspector to their department; fields are codes or labels', async () => {
    const r = await api('POST', '/api/v1/registers/inspectors', 'scjg-editor', inspector('21020019001'));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ certNo: '21020019001', department: 'scjg', fields: ['market', 'food'], phone: '13812345678', user: null, active: true });
    const bad = await api('POST', '/api/v1/registers/inspectors', 'scjg-editor', inspector('21020019002', { fields: ['烹饪'] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.fields).toContain('烹饪');
  });

  it('an editor of another department can neither add to nor edit this department’s inspectors', async () => {
    expect((await api('POST', '/api/v1/registers/inspectors', 'fgj-editor', inspector('21020019003'))).statusCode).toBe(403);
    // Not even seen: 404 on the staff view, the edit and the relations.
    expect((await api('GET', '/api/v1/registers/inspectors/21020019001', 'fgj-editor')).statusCode).toBe(404);
    expect((await api('PUT', '/api/v1/registers/inspectors/21020019001', 'fgj-editor', inspector('21020019001', { name: '改名' }))).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/registers/inspectors/21020019001/relations', 'fgj-editor', { creditCode: A, reason: '亲属' })).statusCode).toBe(404);
    // Nor move one of theirs into it.
    await api('POST', '/api/v1/registers/inspectors', 'fgj-editor', inspector('21020029001', { department: 'fgj', name: '赵发改' }));
    expect((await api('PUT', '/api/v1/registers/inspectors/21020029001', 'fgj-editor', inspector('21020029001', { department: 'scjg', name: '赵发改' }))).statusCode).toBe(403);
    // Through the console too.
    const s = await login(env.app, 'fgj-editor');
    expect((await env.app.inject({ url: '/admin/enforcement/inspectors/21020019001', headers: { cookie: s.cookie } })).statusCode).toBe(404);
    const own = await env.app.inject({ url: '/admin/enforcement/inspectors/21020029001', headers: { cookie: s.cookie } });
    const post = await env.app.inject({ method: 'POST', url: '/admin/enforcement/inspectors/21020019001', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(own.body), name: '改名', department: 'scjg', fields: 'market' }) });
    expect(post.statusCode).toBe(404);
    expect((await env.p.db.selectFrom('enf_inspectors').select('name').where('cert_no', '=', '21020019001').executeTakeFirstOrThrow()).name).toBe('李执法');
    // The console list shows only their own department's.
    const listPage = await env.app.inject({ url: '/admin/enforcement/inspectors', headers: { cookie: s.cookie } });
    expect(listPage.body).toContain('21020029001');
    expect(listPage.body).not.toContain('21020019001');
  });

  it('the public register never shows a phone number or an account', async () => {
    await api('PUT', '/api/v1/registers/inspectors/21020019001/user', 'scjg-editor', { username: 'scjg-inspector' });
    const r = await api('GET', '/api/v1/inspectors?department=scjg');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: 1, items: [{ certNo: '21020019001', name: '李执法', department: 'scjg', fields: ['market', 'food'], active: true }] });
    expect(Object.keys(r.json().items[0]).sort()).toEqual(['active', 'certNo', 'department', 'departmentName', 'fields', 'name']);
    expect(r.body).not.toContain('13812345678');
    expect(r.body).not.toContain('scjg-inspector');
    expect((await api('GET', '/api/v1/inspectors?field=food')).json().total).toBe(2);
    expect((await api('GET', '/api/v1/inspectors?department=fgj&field=food')).json().items.map((x: { certNo: string }) => x.certNo)).toEqual(['21020029001']);
    expect((await api('GET', '/api/v1/inspectors?field=tourism')).json().total).toBe(0);
    const page = await env.app.inject({ url: '/enforcement/inspectors?department=scjg' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('李执法');
    expect(page.body).toContain('食品安全');
    expect(page.body).not.toContain('13812345678');
    expect(page.body).not.toContain('138');
  });

  it('links the account that enters results: an active user of the inspector’s department who may enter results, one inspector each', async () => {
    const linked = await api('GET', '/api/v1/registers/inspectors/21020019001', 'scjg-editor');
    expect(linked.json().user).toEqual({ username: 'scjg-inspector', displayName: 'scjg-inspector' });
    const uid = (await env.p.db.selectFrom('users').select('id').where('username', '=', 'scjg-inspector').executeTakeFirstOrThrow()).id;
    expect((await env.p.db.selectFrom('enf_inspectors').select('user_id').where('cert_no', '=', '21020019001').executeTakeFirstOrThrow()).user_id).toBe(String(uid));
    const other = await api('PUT', '/api/v1/registers/inspectors/21020019001/user', 'scjg-editor', { username: 'fgj-inspector' });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields.username).toContain('市场监督管理局');
    expect((await api('PUT', '/api/v1/registers/inspectors/21020019001/user', 'scjg-editor', { username: 'scjg-approver' })).json().error.fields.username).toContain('执法检查人员角色');
    await api('POST', '/api/v1/registers/inspectors', 'scjg-editor', inspector('21020019004', { name: '周检查' }));
    expect((await api('PUT', '/api/v1/registers/inspectors/21020019004/user', 'scjg-editor', { username: 'scjg-inspector' })).statusCode).toBe(409);
    expect((await api('PUT', '/api/v1/registers/inspectors/21020019004/user', 'scjg-editor', { username: 'scjg-inspector2' })).statusCode).toBe(200);
    const un = await api('PUT', '/api/v1/registers/inspectors/21020019004/user', 'scjg-editor', { username: null });
    expect(un.json().user).toBeNull();
  });

  it('declares and removes conflicts of interest (回避) with a reason', async () => {
    const add = await api('POST', '/api/v1/registers/inspectors/21020019001/relations', 'scjg-editor', { creditCode: A, reason: '配偶在该企业任职' });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json().relations).toEqual([expect.objectContaining({ creditCode: A, reason: '配偶在该企业任职', createdBy: 'scjg-editor' })]);
    expect((await api('POST', '/api/v1/registers/inspectors/21020019001/relations', 'scjg-editor', { creditCode: A, reason: '再次' })).statusCode).toBe(409);
    const unknown = await api('POST', '/api/v1/registers/inspectors/21020019001/relations', 'scjg-editor', { creditCode: B, reason: '亲属' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.creditCode).toContain(B);
    const rel = await env.p.db.selectFrom('enf_relations').selectAll().execute();
    expect(rel).toHaveLength(1);
    const del = await api('DELETE', `/api/v1/registers/inspectors/21020019001/relations/${A}`, 'scjg-editor');
    expect(del.json().relations).toEqual([]);
    expect(await env.p.db.selectFrom('enf_relations').selectAll().execute()).toHaveLength(0);
  });

  it('moving an inspector needs the right on both departments and unlinks the account', async () => {
    await api('PUT', '/api/v1/registers/inspectors/21020019004/user', 'scjg-editor', { username: 'scjg-inspector2' });
    const moved = await api('PUT', '/api/v1/registers/inspectors/21020019004', 'admin', inspector('21020019004', { name: '周检查', department: 'fgj' }));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ department: 'fgj', user: null });
  });
});

describe('public pages', () => {
  it('an entity’s page lists only inspections whose results are published, with the result in words', async () => {
    const e = await env.p.db.selectFrom('enf_entities').select('id').where('credit_code', '=', A).executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const plan = await env.p.db.insertInto('enf_plans').values({ department_id: ids.get('scjg')!, year: 2026, title: '2026年度抽查计划', status: 'published', pub_item_id: null, created_by: 'x', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const task = (title: string, state: string) => ({ plan_id: plan.id, department_id: ids.get('scjg')!, title, matter_code: 'M1', matter_name: '食品经营者检查', field: 'food', filter: '{}', sample_kind: 'count', sample_value: 1, per_target: 2, window_start: '2026-03-01', window_end: '2026-03-31', state, task_item_id: null, result_item_id: null, created_by: 'x', created_at: now, updated_at: now });
    const pub = await env.p.db.insertInto('enf_tasks').values(task('一季度食品经营抽查', 'published')).returning('id').executeTakeFirstOrThrow();
    const open = await env.p.db.insertInto('enf_tasks').values(task('二季度尚未公示的抽查', 'in-progress')).returning('id').executeTakeFirstOrThrow();
    for (const [t, result] of [[pub.id, 'rectify'], [open.id, 'case-filed']] as const) await env.p.db.insertInto('enf_checks').values({ task_id: t, entity_id: e.id, credit_code: A, ordinal: 0, inspectors: '["21020019001","21020019004"]', result, note: '', entered_by: null, entered_at: null }).execute();
    const page = await env.app.inject({ url: `/enforcement/entities/${A}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('一季度食品经营抽查');
    expect(page.body).toContain(`href="/enforcement/tasks/${pub.id}"`);
    expect(page.body).toContain('发现问题已责令整改');
    expect(page.body).not.toContain('二季度尚未公示的抽查');
    expect(page.body).not.toContain('王建国');
    const json = (await api('GET', `/api/v1/entities/${A}`)).json();
    expect(json.inspections).toEqual([{ taskId: pub.id, taskTitle: '一季度食品经营抽查', matterName: '食品经营者检查', department: '市场监督管理局', windowStart: '2026-03-01', windowEnd: '2026-03-31', result: 'rectify', resultLabel: '发现问题已责令整改' }]);
    // A code typed in lower case leads to the page; an unknown one is a 404.
    const lower = await env.app.inject({ url: `/enforcement/entities/${A.toLowerCase()}` });
    expect(lower.statusCode).toBe(301);
    expect((await env.app.inject({ url: `/enforcement/entities/${B}` })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/enforcement/entities/%3Cscript%3E' })).statusCode).toBe(404);
  });

  it('the search page finds by name or code and says so when nothing matches', async () => {
    const found = await env.app.inject({ url: `/enforcement/entities?q=${encodeURIComponent('海滨')}` });
    expect(found.body).toContain(`href="/enforcement/entities/${A}"`);
    const none = await env.app.inject({ url: `/enforcement/entities?q=${encodeURIComponent('不存在的公司')}` });
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('没有找到符合条件的市场主体');
    const en = await env.app.inject({ url: '/enforcement/entities', headers: { cookie: 'gk_lang=en', 'accept-language': 'en' } });
    expect(en.body).toContain('Register of market entities');
  });
});

describe('console', () => {
  it('adds an entity through the form, showing each problem at its field first', async () => {
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: '/admin/enforcement/entities/new', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    const post = (body: Record<string, string>) => env.app.inject({ method: 'POST', url: '/admin/enforcement/entities/new', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), ...body }) });
    const bad = await post({ creditCode: B.slice(0, 17) + (B[17] === '0' ? '1' : '0'), name: '新胜便利店', address: '新胜大街1号', industry: 'F5292', risk: 'low', area: '新胜街道' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(`第18位应为“${B[17]}”`);
    expect(bad.body).toContain('value="新胜便利店"');
    const ok = await post({ creditCode: B, name: '新胜便利店', address: '新胜大街1号', industry: 'F5292', risk: 'low', area: '新胜街道' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/admin/enforcement/entities/${B}?done=created`);
    const shown = await env.app.inject({ url: `/admin/enforcement/entities/${B}?done=created`, headers: { cookie: s.cookie } });
    expect(shown.body).toContain('已新增');
    // Deactivating asks for the confirmation box.
    const deact = (confirm?: string) => env.app.inject({ method: 'POST', url: `/admin/enforcement/entities/${B}/active`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(shown.body), active: '0', ...(confirm ? { confirm } : {}) }) });
    expect((await deact()).statusCode).toBe(400);
    expect((await deact('yes')).statusCode).toBe(303);
    expect((await env.p.db.selectFrom('enf_entities').select('active').where('credit_code', '=', B).executeTakeFirstOrThrow()).active).toBe(0);
  });
});
