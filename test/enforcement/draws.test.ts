// The draw workflow: preparing freezes the pools as they stand and publishes the inputs with the
// witnesses' commitments; a wrong secret is refused and nothing changes; too few eligible
// inspectors is refused with nothing published; the stored record re-runs to the same selection;
// conflicts from declared relations and from the previous draw of the matter exclude; departments
// are isolated; the results clock starts from the window's end; the console's forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login } from '../helpers.js';
import { addWorkdays } from '../../src/platform/calendar/index.js';
import { canonicalJson, sm3 } from '../../src/platform/hash.js';
import { computeDraw } from '../../src/modules/enforcement/service/draw.js';
import { addEntities, addInspector, addRelation, addTask, checksOf, code, drawRow, setup, taskRow, witnessesOf, type Fixture } from './draw-workflow.js';

let f: Fixture;
const SECRETS = ['海风吹过老码头', 'correct horse battery staple', '7391'];
/** A later task's own secrets: a commitment is never given for two draws. */
const own = (taskId: number, secrets = SECRETS.slice(0, 2)) => secrets.map((x) => `${x}·${taskId}`);

beforeAll(async () => {
  f = await setup();
  // 海滨街道: 12 active food traders and one closed; 新胜街道: 3 more.
  await addEntities(f, 1, 12, { area: '海滨街道' });
  await addEntities(f, 100, 1, { area: '海滨街道', active: 0 });
  await addEntities(f, 200, 3, { area: '新胜街道' });
  // 市场监管局: five active food inspectors (four with accounts), one retired, one without the food field.
  await addInspector(f, 'SC-004', { user: 'scjg-insp4' });
  await addInspector(f, 'SC-001', { user: 'scjg-insp1' });
  await addInspector(f, 'SC-002', { user: 'scjg-insp2' });
  await addInspector(f, 'SC-003', { user: 'scjg-insp3' });
  await addInspector(f, 'SC-005');
  await addInspector(f, 'SC-009', { active: 0 });
  await addInspector(f, 'SC-010', { fields: ['quality'] });
  // 文旅局's inspector is never in 市场监管局's pool.
  await addInspector(f, 'WL-001', { department: 'whly', fields: ['food', 'tourism'], user: 'whly-insp1' });
}, 120_000);
afterAll(async () => f?.env.close());

const api = (method: string, url: string, as: string, body?: unknown) => f.env.api(method, url, { as, body });
const prepare = (taskId: number, as = 'scjg-editor', secrets = SECRETS.slice(0, 2)) => api('POST', `/api/v1/inspections/tasks/${taskId}/draw`, as, { witnesses: witnessesOf(secrets) });
const run = (taskId: number, secrets: string[], beacon?: string, as = 'scjg-editor') => api('POST', `/api/v1/inspections/tasks/${taskId}/draw/run`, as, { secrets, ...(beacon !== undefined ? { beacon } : {}) });
const versions = (itemId: number) => f.env.p.db.selectFrom('pub_versions').select(['version', 'data']).where('item_id', '=', itemId).orderBy('version').execute();

let first: number;

describe('preparing a draw', () => {
  it('freezes the target and inspector pools as they stand and publishes them with the commitments', async () => {
    first = await addTask(f, { filter: { areas: ['海滨街道'] }, sampleValue: 4, windowEnd: '2026-06-30' });
    const r = await prepare(first);
    expect(r.statusCode, r.body).toBe(201);
    const out = r.json();
    expect(out).toMatchObject({ sampleSize: 4, perTarget: 2, targets: 12, inspectors: 6, qualified: 5, conflicts: 0 });
    const row = (await drawRow(f, first))!;
    expect(row.id).toBe(out.id);
    expect(row.status).toBe('prepared');
    expect(JSON.parse(row.secrets)).toEqual([]);
    const inputs = JSON.parse(row.inputs);
    expect(Object.keys(inputs).sort()).toEqual(['conflicts', 'field', 'inspectors', 'perTarget', 'sampleSize', 'targets']);
    // Active entities of the area only, sorted; the closed one and the other area's are out.
    expect(inputs.targets).toEqual(Array.from({ length: 12 }, (_, i) => code(i + 1)));
    // Active inspectors of the department, sorted by cert number, with the department's code.
    expect(inputs.inspectors.map((x: any) => x.certNo)).toEqual(['SC-001', 'SC-002', 'SC-003', 'SC-004', 'SC-005', 'SC-010']);
    expect(inputs.inspectors[0]).toEqual({ certNo: 'SC-001', department: 'scjg', fields: ['market', 'food'] });
    expect(inputs).toMatchObject({ sampleSize: 4, perTarget: 2, field: 'food', conflicts: [] });
    expect(out.inputsDigest).toBe(sm3(canonicalJson(inputs)));
    expect(JSON.parse(row.witnesses)).toEqual(witnessesOf(SECRETS.slice(0, 2)));
    // The draw notice is a public catalog item with its 索引号, at the draw's own address.
    const item = await f.env.p.db.selectFrom('pub_items').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ type: 'inspection-draw', public: 1, published_version: 1 });
    expect(item.index_no).toMatch(/^\d+\/2\d{3}-\d{5}$/);
    const page = await f.env.app.inject({ method: 'GET', url: `/enforcement/draws/${row.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(witnessesOf(SECRETS)[0].commitment);
    expect(page.body).toContain(out.inputsDigest);
    expect(page.body).toContain(`/api/v1/inspections/draws/${row.id}`);
    expect(page.body).toContain(`/enforcement/draws/${row.id}/verify`);
    expect(page.body).toContain(`<link rel="canonical" href="${f.env.config.publicUrl ?? ''}/enforcement/draws/${row.id}"`);
    expect(page.body).toContain('尚未抽取');
    // The catalog entry leads to the page.
    const cat = await f.env.app.inject({ method: 'GET', url: `/catalog/items/${row.id}` });
    expect(cat.statusCode).toBe(302);
    expect(cat.headers.location).toBe(`/enforcement/draws/${row.id}`);
  });

  it('refuses a second preparation, bad witnesses naming the field, and another department', async () => {
    expect((await prepare(first)).statusCode).toBe(409);
    const t = await addTask(f, { filter: { areas: ['海滨街道'] } });
    const one = await api('POST', `/api/v1/inspections/tasks/${t}/draw`, 'scjg-editor', { witnesses: witnessesOf(['a']) });
    expect(one.statusCode).toBe(400);
    expect(one.json().error.fields).toHaveProperty('witnesses');
    const bad = await api('POST', `/api/v1/inspections/tasks/${t}/draw`, 'scjg-editor', { witnesses: [{ name: '甲', commitment: 'abc' }, ...witnessesOf(['b'])] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['witnesses.0.commitment']);
    const dup = await api('POST', `/api/v1/inspections/tasks/${t}/draw`, 'scjg-editor', { witnesses: [...witnessesOf(['same']), { name: '乙', commitment: witnessesOf(['same'])[0].commitment.toUpperCase() }] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toHaveProperty(['witnesses.1.commitment']);
    const noName = await api('POST', `/api/v1/inspections/tasks/${t}/draw`, 'scjg-editor', { witnesses: [{ name: ' ', commitment: witnessesOf(['x'])[0].commitment }, ...witnessesOf(['y'])] });
    expect(Object.keys(noName.json().error.fields)).toEqual(['witnesses.0.name']);
    // 文旅局's editor may not run 市场监管局's draw (nor anyone without inspection.plan).
    expect((await prepare(t, 'whly-handler')).statusCode).toBe(403);
    expect((await prepare(t, 'scjg-approver')).statusCode).toBe(403);
    expect((await prepare(999_999)).statusCode).toBe(404);
    expect(await drawRow(f, t)).toBeUndefined();
    // A sample larger than the pool cannot be drawn: refused before anything is published.
    const big = await addTask(f, { filter: { areas: ['新胜街道'] }, sampleValue: 5 });
    const r = await prepare(big, 'scjg-editor', own(big));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('3');
    expect(await drawRow(f, big)).toBeUndefined();
  });

  it('rounds a ratio up over the pool', async () => {
    const t = await addTask(f, { filter: { areas: ['海滨街道'] }, sampleKind: 'ratio', sampleValue: 50 });
    const r = await prepare(t, 'scjg-editor', own(t));
    expect(r.statusCode, r.body).toBe(201);
    // 5% of 12 = 0.6 → 1.
    expect(r.json().sampleSize).toBe(1);
  });
});

describe('drawing', () => {
  it('refuses a secret that does not match its commitment, naming the witness, and changes nothing', async () => {
    const before = await f.env.p.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await run(first, [SECRETS[0], 'not the secret']);
    expect(r.statusCode).toBe(400);
    const e = r.json().error;
    expect(Object.keys(e.fields)).toEqual(['secrets.1']);
    expect(e.message).toContain('见证人2');
    expect(e.fields['secrets.1']).toContain('见证人2');
    // Secrets in the wrong order fail too; too few are refused.
    expect((await run(first, [SECRETS[1], SECRETS[0]])).statusCode).toBe(400);
    const few = await run(first, [SECRETS[0]]);
    expect(few.statusCode).toBe(400);
    expect(few.json().error.fields).toHaveProperty('secrets');
    expect((await drawRow(f, first))!.status).toBe('prepared');
    expect(await checksOf(f, first)).toEqual([]);
    expect((await taskRow(f, first)).state).toBe('pending');
    expect((await versions((await drawRow(f, first))!.id)).length).toBe(1);
    const after = await f.env.p.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('draws: the record re-runs to the same selection; checks, task state, revised notice, clock from the window end', async () => {
    expect((await run(first, SECRETS.slice(0, 2), '', 'whly-handler')).statusCode).toBe(403);
    const r = await run(first, SECRETS.slice(0, 2), '上证指数2026-05-08收盘3312.45');
    expect(r.statusCode, r.body).toBe(200);
    const out = r.json();
    const row = (await drawRow(f, first))!;
    expect(row).toMatchObject({ status: 'done', beacon: '上证指数2026-05-08收盘3312.45', seed: out.seed, drawn_by: 'user:scjg-editor' });
    expect(JSON.parse(row.secrets)).toEqual(SECRETS.slice(0, 2));
    const selection = JSON.parse(row.selection!);
    expect(selection).toEqual(out.selection);
    // Anyone re-running gongkai-draw/1 on the stored record gets the same seed and selection.
    const again = computeDraw({ task: first, ...JSON.parse(row.inputs), secrets: JSON.parse(row.secrets), beacon: row.beacon });
    expect(again).toEqual({ seed: row.seed, selection });
    expect(selection).toHaveLength(4);
    for (const s of selection) {
      expect(s.inspectors).toHaveLength(2);
      // Never the inspector without the food field.
      expect(s.inspectors).not.toContain('SC-010');
    }
    const checks = await checksOf(f, first);
    expect(checks.map((c) => [c.credit_code, c.ordinal, JSON.parse(c.inspectors)])).toEqual(selection.map((s: any, i: number) => [s.target, i + 1, s.inspectors]));
    expect(checks.every((c) => c.result === null)).toBe(true);
    expect((await taskRow(f, first)).state).toBe('drawn');
    // The notice gets a second version with the secrets, seed and selection (names included).
    const v = await versions(row.id);
    expect(v.map((x) => x.version)).toEqual([1, 2]);
    const data = JSON.parse(v[1].data);
    expect(data.seed).toBe(row.seed);
    expect(data.selection[0]).toMatchObject({ target: selection[0].target, name: expect.stringContaining('商贸有限公司') });
    const page = await f.env.app.inject({ method: 'GET', url: `/enforcement/draws/${row.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(row.seed!);
    for (const s of selection) expect(page.body).toContain(s.target);
    expect(page.body).toContain(SECRETS[0]);
    // The results clock: 20 working days from the window's end.
    const clock = await f.env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', 'inspection-task').where('subject_id', '=', String(first)).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ rule_code: 'inspection.results', state: 'running', start_date: '2026-06-30', due_date: addWorkdays('2026-06-30', 20).due, department_id: f.dept.get('scjg') });
    // Once drawn, never again.
    expect((await run(first, SECRETS.slice(0, 2))).statusCode).toBe(409);
  });

  it('refuses a draw that leaves a target too few eligible inspectors, naming it, with nothing published', async () => {
    // Two quality inspectors, two per target, every entity of 新胜街道 drawn, and one of them
    // declared in conflict with 新胜街道's second entity.
    await addInspector(f, 'SC-020', { fields: ['quality'] });
    await addRelation(f, 'SC-010', code(201));
    const t = await addTask(f, { filter: { areas: ['新胜街道'] }, field: 'quality', matterCode: 'SCJG-Q', sampleValue: 3 });
    const p = await prepare(t, 'scjg-editor', own(t));
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ qualified: 2, conflicts: 1 });
    const row = (await drawRow(f, t))!;
    expect(JSON.parse(row.inputs).conflicts).toEqual([['SC-010', code(201)]]);
    const items = await f.env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await run(t, own(t));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain(code(201));
    expect(r.json().error.message).toContain('第201号');
    expect((await drawRow(f, t))!.status).toBe('prepared');
    expect(await checksOf(f, t)).toEqual([]);
    expect((await taskRow(f, t)).state).toBe('pending');
    expect((await versions(row.id)).length).toBe(1);
    expect(Number((await f.env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(items.n));
    expect(await f.env.p.db.selectFrom('clocks').select('id').where('subject_type', '=', 'inspection-task').where('subject_id', '=', String(t)).executeTakeFirst()).toBeUndefined();
  });

  it('excludes the pairs of the previous draw of the same matter and declared relations', async () => {
    const prev = JSON.parse((await drawRow(f, first))!.selection!) as { target: string; inspectors: string[] }[];
    // A declared relation of an inspector with an entity of the pool.
    await addRelation(f, 'SC-005', code(12));
    const t = await addTask(f, { filter: { areas: ['海滨街道'] }, sampleValue: 12, title: '食品经营者监督检查（第二批）' });
    const p = await prepare(t, 'scjg-editor', own(t, SECRETS.slice(1, 3)));
    expect(p.statusCode, p.body).toBe(201);
    const conflicts: [string, string][] = JSON.parse((await drawRow(f, t))!.inputs).conflicts;
    const expected = [...prev.flatMap((s) => s.inspectors.map((c) => [c, s.target])), ['SC-005', code(12)]];
    expect(conflicts).toHaveLength(expected.length);
    expect(conflicts).toEqual(expect.arrayContaining(expected));
    const r = await run(t, own(t, SECRETS.slice(1, 3)));
    expect(r.statusCode, r.body).toBe(200);
    const seen = new Set(expected.map(([c, e]) => `${c}|${e}`));
    for (const s of r.json().selection as { target: string; inspectors: string[] }[]) for (const c of s.inspectors) expect(seen.has(`${c}|${s.target}`)).toBe(false);
    // A task of another matter has none of these conflicts.
    const other = await addTask(f, { filter: { areas: ['海滨街道'] }, matterCode: 'SCJG-002' });
    expect((await prepare(other, 'scjg-editor', own(other))).json().conflicts).toBe(1);
  });

  it('keeps departments apart: pools, permissions and the previous draw', async () => {
    await addEntities(f, 300, 4, { area: '工业园街道' });
    await addInspector(f, 'WL-002', { department: 'whly', fields: ['food'] });
    const t = await addTask(f, { department: 'whly', filter: { areas: ['工业园街道'] }, matterCode: 'SCJG-001', sampleValue: 2 });
    expect((await prepare(t, 'scjg-editor', own(t))).statusCode).toBe(403);
    const r = await prepare(t, 'whly-handler', own(t));
    expect(r.statusCode, r.body).toBe(201);
    const inputs = JSON.parse((await drawRow(f, t))!.inputs);
    expect(inputs.inspectors.map((x: any) => [x.certNo, x.department])).toEqual([
      ['WL-001', 'whly'],
      ['WL-002', 'whly'],
    ]);
    // 市场监管局's draws of the same matter code are not 文旅局's previous draw.
    expect(inputs.conflicts).toEqual([]);
    expect((await run(t, own(t), undefined, 'scjg-editor')).statusCode).toBe(403);
    expect((await run(t, own(t), undefined, 'whly-handler')).statusCode).toBe(200);
  });
});

describe('draw ids', () => {
  it('are the ids of their notices, and a row inserted without one still gets a fresh id', async () => {
    const rows = await f.env.p.db.selectFrom('enf_draws as d').innerJoin('pub_items as i', 'i.id', 'd.id').select(['d.id', 'i.type']).execute();
    expect(rows.length).toBe(Number((await f.env.p.db.selectFrom('enf_draws').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n));
    expect(rows.every((r) => r.type === 'inspection-draw')).toBe(true);
    const t = await addTask(f);
    const r = await f.env.p.db
      .insertInto('enf_draws')
      .values({ task_id: t, status: 'prepared', inputs: '{}', witnesses: '[]', secrets: '[]', beacon: '', seed: null, selection: null, prepared_by: 'cli', prepared_at: new Date().toISOString(), drawn_by: null, drawn_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(r.id).toBeGreaterThan(Math.max(...rows.map((x) => x.id)));
    await f.env.p.db.deleteFrom('enf_draws').where('id', '=', r.id).execute();
  });
});

describe('the console', () => {
  it('prepares and draws through the forms, showing errors on the page', async () => {
    const t = await addTask(f, { filter: { areas: ['海滨街道'] }, sampleValue: 2, matterCode: 'SCJG-003' });
    const s = await login(f.env.app, 'scjg-editor');
    const get = (url: string) => f.env.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    const post = (url: string, body: Record<string, string>) => f.env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(body) });
    const page = await get(`/admin/enforcement/tasks/${t}/draw`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/enforcement/draws/commit');
    const [w1, w2] = witnessesOf(own(t));
    const bad = await post(`/admin/enforcement/tasks/${t}/draw/prepare`, { _csrf: csrfFrom(page.body), 'witnesses.0.name': w1.name, 'witnesses.0.commitment': 'xyz', 'witnesses.1.name': w2.name, 'witnesses.1.commitment': w2.commitment });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('64位十六进制字符');
    const ok = await post(`/admin/enforcement/tasks/${t}/draw/prepare`, { _csrf: csrfFrom(page.body), 'witnesses.0.name': w1.name, 'witnesses.0.commitment': w1.commitment, 'witnesses.1.name': w2.name, 'witnesses.1.commitment': w2.commitment, 'witnesses.2.name': '', 'witnesses.2.commitment': '' });
    expect(ok.statusCode, ok.body).toBe(303);
    const drawPage = await get(`/admin/enforcement/tasks/${t}/draw?done=prepared`);
    expect(drawPage.body).toContain('抽取公告已发布');
    expect(drawPage.body).toContain('见证人“见证人1”的密钥');
    // Without the confirmation, then with a wrong secret: the page says why.
    const noConfirm = await post(`/admin/enforcement/tasks/${t}/draw/run`, { _csrf: csrfFrom(drawPage.body), 'secrets.0': own(t)[0], 'secrets.1': own(t)[1] });
    expect(noConfirm.statusCode).toBe(400);
    const wrong = await post(`/admin/enforcement/tasks/${t}/draw/run`, { _csrf: csrfFrom(drawPage.body), 'secrets.0': own(t)[0], 'secrets.1': 'nope', confirm: 'yes' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('第2位见证人“见证人2”的密钥与其抽取前公布的承诺值不符');
    const drawn = await post(`/admin/enforcement/tasks/${t}/draw/run`, { _csrf: csrfFrom(drawPage.body), 'secrets.0': own(t)[0], 'secrets.1': own(t)[1], beacon: '', confirm: 'yes' });
    expect(drawn.statusCode, drawn.body).toBe(303);
    const done = await get(`/admin/enforcement/tasks/${t}/draw?done=drawn`);
    expect(done.body).toContain('抽取完成');
    for (const c of await checksOf(f, t)) expect(done.body).toContain(c.credit_code);
    // Another department's staff cannot see it.
    const other = await login(f.env.app, 'whly-handler');
    expect((await f.env.app.inject({ method: 'GET', url: `/admin/enforcement/tasks/${t}/draw`, headers: { cookie: other.cookie } })).statusCode).toBe(403);
  });
});
