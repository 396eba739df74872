// The enforcement demo (issue 18, item 8): a realistic year — about 3,000 entities with valid
// credit codes, 40 inspectors in 4 departments, 12 tasks in every state with draws that re-run to
// the same selection, 200 decisions in every state of their display — and what a demo account can do next: an inspector enters a
// result of an open check, an editor draws a pending task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeEnv, type TestEnv } from '../helpers.js';
import { checkUscc } from '../../src/modules/enforcement/service/uscc.js';
import { normalizeIndustry } from '../../src/modules/enforcement/service/registers.js';
import { drawRecord } from '../../src/modules/enforcement/service/draw-record.js';
import { commitment, verifyDraw } from '../../src/modules/enforcement/service/draw.js';
import { DEMO_TASKS } from '../../src/modules/enforcement/demo/inspections.js';
import { DEMO_USERS } from '../../src/modules/org/demo.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 180_000);
afterAll(() => env?.close());

const db = () => env.p.db;

describe('demo registers', () => {
  it('has about 3,000 entities with valid credit codes, industries of the standard, weighted risks and the district areas', async () => {
    const rows = await db().selectFrom('enf_entities').select(['credit_code', 'name', 'address', 'legal_rep', 'industry', 'risk', 'area', 'active']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2500);
    for (const e of rows) {
      expect(checkUscc(e.credit_code), e.credit_code).toMatchObject({ ok: true });
      expect(normalizeIndustry(e.industry), e.industry).toBe(e.industry);
      expect(e.address).toMatch(/^示范新区.+号/);
      expect(e.legal_rep).not.toBe('');
    }
    // 企业, 个体工商户 and 农民专业合作社, all of the district (2102…).
    expect(new Set(rows.map((e) => e.credit_code.slice(0, 2)))).toEqual(new Set(['91', '92', '93']));
    expect(rows.every((e) => e.credit_code.slice(2, 6) === '2102')).toBe(true);
    expect(new Set(rows.map((e) => e.name)).size).toBe(rows.length);
    const areas = new Set(rows.map((e) => e.area));
    for (const a of ['海滨街道', '新胜街道', '工业园街道']) expect(areas.has(a), a).toBe(true);
    const risk = (k: string) => rows.filter((e) => e.risk === k).length;
    expect(risk('low')).toBeGreaterThan(risk('high'));
    expect(risk('high')).toBeGreaterThan(50);
    // Many trades: restaurants, shops, food factories, travel agencies, hotels, chemicals, petrol stations …
    expect(new Set(rows.map((e) => e.industry.slice(0, 3))).size).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((e) => e.industry)).size).toBeGreaterThanOrEqual(60);
    for (const word of ['有限公司', '旅行社', '加油站', '专业合作社', '超市']) expect(rows.some((e) => e.name.includes(word)), word).toBe(true);
    expect(rows.filter((e) => !e.active).length).toBeGreaterThan(0);
  });

  it('has 40 inspectors in the 4 departments, fields of their matters, declared conflicts, and demo accounts linked', async () => {
    const rows = await db().selectFrom('enf_inspectors as i').innerJoin('departments as d', 'd.id', 'i.department_id').select(['i.cert_no', 'i.fields', 'i.user_id', 'd.code']).execute();
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((i) => i.code))).toEqual(new Set(['scjg', 'whly', 'yjgl', 'sthj']));
    expect(new Set(rows.map((i) => i.cert_no)).size).toBe(40);
    expect(rows.every((i) => /^2102001\d{6}$/.test(i.cert_no))).toBe(true);
    const fields = (code: string) => new Set(rows.filter((i) => i.code === code).flatMap((i) => JSON.parse(i.fields) as string[]));
    expect(fields('scjg')).toEqual(new Set(['market', 'quality', 'food', 'ip']));
    expect(fields('whly').has('tourism')).toBe(true);
    expect(fields('yjgl')).toEqual(new Set(['safety']));
    expect(fields('sthj')).toEqual(new Set(['environment']));
    const users = new Map((await db().selectFrom('users').select(['id', 'username']).execute()).map((u) => [String(u.id), u.username]));
    for (const dept of ['scjg', 'whly', 'yjgl', 'sthj']) {
      const linked = rows.filter((i) => i.code === dept && i.user_id).map((i) => users.get(i.user_id!));
      expect(linked.sort(), dept).toEqual([`${dept}-inspector1`, `${dept}-inspector2`]);
    }
    expect(Number((await db().selectFrom('enf_relations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThanOrEqual(4);
  });

  it('lists editors, approvers and inspectors of the four departments among the demo accounts', () => {
    const names = new Set(DEMO_USERS.map((u) => u[0]));
    for (const dept of ['scjg', 'whly', 'yjgl', 'sthj']) for (const role of ['editor', 'approver', 'inspector1', 'inspector2']) expect(names.has(`${dept}-${role}`), `${dept}-${role}`).toBe(true);
    expect(DEMO_USERS.filter((u) => u[3].includes('inspector')).length).toBe(8);
  });
});

describe('demo inspections', () => {
  it('publishes a 随机抽查事项清单 and a plan for each department, with 12 tasks in the states of the year', async () => {
    const lists = await db().selectFrom('lists').innerJoin('departments as d', 'd.id', 'lists.department_id').select(['d.code', 'lists.current_edition']).where('lists.type', '=', 'inspection-matter').execute();
    expect(lists.map((l) => l.code).sort()).toEqual(['scjg', 'sthj', 'whly', 'yjgl']);
    expect(lists.every((l) => l.current_edition === 1)).toBe(true);
    const plans = await db().selectFrom('enf_plans').select(['status', 'pub_item_id']).execute();
    expect(plans.length).toBe(4);
    expect(plans.every((x) => x.status === 'published' && x.pub_item_id)).toBe(true);
    const tasks = await db().selectFrom('enf_tasks').select(['id', 'state', 'task_item_id', 'result_item_id']).orderBy('id').execute();
    expect(tasks.length).toBe(12);
    const count = (s: string) => tasks.filter((t) => t.state === s).length;
    expect({ published: count('published'), completed: count('completed'), inProgress: count('in-progress'), pending: count('pending') }).toEqual({ published: 7, completed: 1, inProgress: 2, pending: 2 });
    expect(tasks.every((t) => t.task_item_id)).toBe(true);
    expect(tasks.filter((t) => t.result_item_id).length).toBe(7);
    expect(tasks.map((t) => t.state)).toEqual(DEMO_TASKS.map((s) => s.outcome));
  });

  it('has ten draws, each re-running to its published selection, with witnesses, conflicts and results', async () => {
    const draws = await db().selectFrom('enf_draws').select(['id', 'status', 'witnesses', 'inputs', 'beacon']).execute();
    expect(draws.length).toBe(10);
    for (const d of draws) {
      expect(d.status).toBe('done');
      const record = await drawRecord(db(), d.id);
      expect(verifyDraw(record), `draw ${d.id}`).toEqual({ match: true });
      expect(JSON.parse(d.witnesses).length).toBeGreaterThanOrEqual(2);
    }
    expect(draws.some((d) => d.beacon !== '')).toBe(true);
    // The second food-sales task avoids the pairs of the first (回避 from the previous draw).
    expect(draws.some((d) => JSON.parse(d.inputs).conflicts.length > 10)).toBe(true);
    const results = await db().selectFrom('enf_checks').select('result').execute();
    expect(results.length).toBeGreaterThan(100);
    expect(new Set(results.map((c) => c.result)).size).toBeGreaterThanOrEqual(5);
  });

  it('lets a demo inspector sign in and enter the result of an open check assigned to them', async () => {
    const session = await login(env.app, 'scjg-inspector1');
    expect(session.status).toBe(302);
    const mine = await env.api('GET', '/api/v1/inspections/checks', { as: 'scjg-inspector1' });
    expect(mine.statusCode).toBe(200);
    const open = (mine.json().items as { id: number; result: string | null; taskState: string }[]).filter((c) => c.result === null);
    expect(open.length).toBeGreaterThan(0);
    expect(open[0].taskState).toBe('in-progress');
    const put = await env.api('PUT', `/api/v1/inspections/checks/${open[0].id}/result`, { as: 'scjg-inspector1', body: { result: 'rectify', note: '冷藏柜温度记录缺失，已责令整改' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().result).toBe('rectify');
    const whly = await env.api('GET', '/api/v1/inspections/checks', { as: 'whly-inspector1' });
    expect((whly.json().items as { result: string | null }[]).some((c) => c.result === null)).toBe(true);
  });

  it('lets a demo editor prepare and run the draw of a pending task', async () => {
    const pending = await db().selectFrom('enf_tasks as t').innerJoin('departments as d', 'd.id', 't.department_id').select(['t.id', 'd.code']).where('t.state', '=', 'pending').orderBy('t.id').execute();
    expect(pending.map((t) => t.code).sort()).toEqual(['scjg', 'yjgl']);
    for (const t of pending) {
      // A commitment serves one draw: each task its own witnesses' secrets.
      const secrets = [`春风-${t.id}-2718`, `海浪-${t.id}-3141`];
      const as = `${t.code}-editor`;
      const prep = await env.api('POST', `/api/v1/inspections/tasks/${t.id}/draw`, { as, body: { witnesses: secrets.map((s, i) => ({ name: `见证人${i + 1}`, commitment: commitment(s) })) } });
      expect(prep.statusCode, prep.body).toBe(201);
      const run = await env.api('POST', `/api/v1/inspections/tasks/${t.id}/draw/run`, { as, body: { secrets } });
      expect(run.statusCode, run.body).toBe(200);
      expect(run.json().selection.length).toBeGreaterThan(0);
      expect(verifyDraw(await drawRecord(db(), run.json().id))).toEqual({ match: true });
    }
  });
});

describe('demo decisions', () => {
  const decisions = () => db().selectFrom('enf_decisions').selectAll().execute();

  it('has 200 licensing and penalty decisions across the domains, severities and subjects, over three years', async () => {
    const ds = await decisions();
    expect(ds.length).toBe(200);
    const set = (f: (d: (typeof ds)[number]) => string) => new Set(ds.map(f));
    expect(set((d) => d.kind)).toEqual(new Set(['licensing', 'penalty']));
    for (const domain of ['quality', 'tourism', 'ip', 'safety']) expect(set((d) => d.domain).has(domain), domain).toBe(true);
    // 食品安全: a domain the demo configures beside the built-in ones.
    expect(set((d) => d.domain).has('food')).toBe(true);
    expect(set((d) => d.severity)).toEqual(new Set(['', 'minor', 'ordinary', 'serious']));
    expect(set((d) => d.subject_type)).toEqual(new Set(['legal', 'natural']));
    expect(set((d) => `${d.department_id}`).size).toBe(4);
    const years = set((d) => d.decision_date.slice(0, 4));
    expect(years.size).toBeGreaterThanOrEqual(3);
    expect(set((d) => d.doc_no).size).toBe(200);
    // No template repeated: the facts differ from decision to decision.
    expect(set((d) => `${d.facts}${d.content}`).size).toBeGreaterThan(180);
    for (const d of ds.filter((x) => x.subject_type === 'legal')) expect(checkUscc(d.credit_code), d.doc_no).toMatchObject({ ok: true });
  });

  it('shows what the rules say: 轻微 not shown, some displays ended at their maximum, one revoked, one repaired, some awaiting approval', async () => {
    const ds = await decisions();
    const n = (f: (d: (typeof ds)[number]) => boolean) => ds.filter(f).length;
    expect(n((d) => d.severity === 'minor' && d.status !== 'not-shown' && d.status !== 'draft' && d.status !== 'submitted')).toBe(0);
    expect(n((d) => d.status === 'not-shown')).toBeGreaterThan(5);
    expect(n((d) => d.status === 'published')).toBeGreaterThan(80);
    const expired = ds.filter((d) => d.end_reason === 'expired');
    expect(expired.length).toBeGreaterThan(5);
    expect(expired.every((d) => d.display_until! < todayShanghai())).toBe(true);
    expect(n((d) => d.end_reason === 'revoked')).toBe(1);
    expect(n((d) => d.end_reason === 'repaired')).toBe(1);
    expect(n((d) => d.status === 'submitted')).toBeGreaterThanOrEqual(2);
    expect(n((d) => d.status === 'draft')).toBeGreaterThanOrEqual(1);
    // Published history: through the spine, on display until their last day.
    for (const d of ds.filter((x) => x.status === 'published')) {
      expect(d.pub_item_id, d.doc_no).not.toBeNull();
      expect(d.display_until! >= todayShanghai()).toBe(true);
    }
    const repairs = await db().selectFrom('enf_repairs').select('status').execute();
    expect(repairs.map((r) => r.status).sort()).toEqual(['approved', 'pending']);
  });

  it('lets the demo approver publish a submitted decision of another author', async () => {
    const submitted = await db().selectFrom('enf_decisions as d').innerJoin('departments as dep', 'dep.id', 'd.department_id').select(['d.id', 'dep.code', 'd.author_id']).where('d.status', '=', 'submitted').orderBy('d.id').execute();
    const s = submitted[0];
    const approver = await db().selectFrom('users').select('id').where('username', '=', `${s.code}-approver`).executeTakeFirstOrThrow();
    expect(s.author_id).not.toBe(String(approver.id));
    const { approveDecision } = await import('../../src/modules/enforcement/service/decisions.js');
    const { loadPrincipal } = await import('../../src/platform/auth/identity.js');
    const out = await approveDecision(env.p, (await loadPrincipal(db(), approver.id, 'token'))!, s.id);
    expect(['published', 'not-shown']).toContain(out.status);
  });

  it('answers the public API of penalties on display, natural persons masked', async () => {
    const res = await env.api('GET', '/api/v1/penalties?pageSize=100');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(30);
    const ds = await decisions();
    const naturals = ds.filter((d) => d.subject_type === 'natural');
    const names = new Set(naturals.map((d) => d.subject_name));
    expect(body.items.some((i: { subjectType: string }) => i.subjectType === 'natural')).toBe(true);
    for (const item of body.items) expect(names.has(item.subjectName), item.subjectName).toBe(false);
    const text = JSON.stringify(body);
    for (const d of naturals) expect(text).not.toContain(d.id_number);
  });
});

describe('demo public pages', () => {
  it('answers /enforcement, /enforcement/inspections, /enforcement/decisions and /enforcement/entities with the demo data', async () => {
    const hub = await env.app.inject({ method: 'GET', url: '/enforcement' });
    expect(hub.statusCode).toBe(200);
    const insp = await env.app.inject({ method: 'GET', url: '/enforcement/inspections' });
    expect(insp.statusCode).toBe(200);
    expect(insp.body).toContain('食品销售者监督检查');
    const decisions = await env.app.inject({ method: 'GET', url: '/enforcement/decisions?kind=penalty' });
    expect(decisions.statusCode).toBe(200);
    expect(decisions.body).toContain('罚〔');
    const entities = await env.app.inject({ method: 'GET', url: `/enforcement/entities?q=${encodeURIComponent('加油站')}` });
    expect(entities.statusCode).toBe(200);
    expect(entities.body).toContain('加油站');
  });
});
