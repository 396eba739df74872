// Fixtures of the draw workflow tests (draws.test.ts, results.test.ts): departments and staff from
// the demo organisation, inspector accounts, and register, plan and task rows written directly
// (their own services are another part's).
import { makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { createUser } from '../../src/modules/org/service.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { commitment } from '../../src/modules/enforcement/service/draw.js';

export interface Fixture {
  env: TestEnv;
  dept: Map<string, number>;
  users: Map<string, number>;
}

export const STAFF = ['admin', 'scjg-editor', 'scjg-approver', 'whly-handler'];
/** Inspector accounts (role inspector) and their departments. */
export const INSPECTOR_ACCOUNTS: [string, string][] = [
  ['scjg-insp1', 'scjg'],
  ['scjg-insp2', 'scjg'],
  ['scjg-insp3', 'scjg'],
  ['scjg-insp4', 'scjg'],
  ['whly-insp1', 'whly'],
];

/** The staff and inspector accounts in a fresh environment (or the one given, e.g. a browser test's). */
export async function setup(given?: TestEnv): Promise<Fixture> {
  const env = given ?? (await makeEnv({ demo: false }));
  const dept = await demoOrg(env.p, { users: STAFF, departments: ['scjg', 'whly'] });
  for (const [username, department] of INSPECTOR_ACCOUNTS) {
    await createUser(env.p, 'cli', { username, password: 'Demo-2026-gongkai', displayName: username, department, roles: [{ role: 'inspector', includeChildren: false }] });
  }
  const users = new Map((await env.p.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  await ensureCalendar(env.p.db);
  return { env, dept, users };
}

const now = () => new Date().toISOString();

/** A credit-code-shaped key (the draw does not check the check character). */
export const code = (n: number) => `91210200MA${String(n).padStart(8, '0')}`;

export async function addEntities(f: Fixture, from: number, count: number, o: { area?: string; industry?: string; risk?: string; active?: number } = {}): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    credit_code: code(from + i),
    name: `示范新区第${from + i}号商贸有限公司`,
    address: `示范新区海滨路${from + i}号`,
    legal_rep: '张某',
    industry: o.industry ?? '5211',
    risk: o.risk ?? 'medium',
    area: o.area ?? '海滨街道',
    active: o.active ?? 1,
    department_id: f.dept.get('scjg')!,
    created_at: now(),
    updated_at: now(),
  }));
  await f.env.p.db.insertInto('enf_entities').values(rows).execute();
  return rows.map((r) => r.credit_code);
}

export async function addInspector(f: Fixture, certNo: string, o: { department?: string; fields?: string[]; user?: string; active?: number; name?: string } = {}): Promise<number> {
  const r = await f.env.p.db
    .insertInto('enf_inspectors')
    .values({
      cert_no: certNo,
      name: o.name ?? `检查员${certNo}`,
      department_id: f.dept.get(o.department ?? 'scjg')!,
      fields: JSON.stringify(o.fields ?? ['market', 'food']),
      active: o.active ?? 1,
      user_id: o.user ? String(f.users.get(o.user)) : null,
      phone: '13800000000',
      created_at: now(),
      updated_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addRelation(f: Fixture, certNo: string, creditCode: string): Promise<void> {
  const db = f.env.p.db;
  const i = await db.selectFrom('enf_inspectors').select('id').where('cert_no', '=', certNo).executeTakeFirstOrThrow();
  const e = await db.selectFrom('enf_entities').select('id').where('credit_code', '=', creditCode).executeTakeFirstOrThrow();
  await db.insertInto('enf_relations').values({ inspector_id: i.id, entity_id: e.id, reason: '近亲属', created_by: 'cli', created_at: now() }).execute();
}

export interface TaskSpec {
  department?: string;
  title?: string;
  matterCode?: string;
  field?: string;
  filter?: { industries?: string[]; areas?: string[]; risks?: string[] };
  sampleKind?: 'count' | 'ratio';
  sampleValue?: number;
  perTarget?: number;
  windowStart?: string;
  windowEnd?: string;
  state?: string;
}

export async function addTask(f: Fixture, s: TaskSpec = {}): Promise<number> {
  const db = f.env.p.db;
  const department = f.dept.get(s.department ?? 'scjg')!;
  const plan = await db
    .insertInto('enf_plans')
    .values({ department_id: department, year: 2026, title: '2026年度双随机抽查计划', status: 'published', pub_item_id: null, created_by: 'cli', created_at: now(), updated_at: now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const r = await db
    .insertInto('enf_tasks')
    .values({
      plan_id: plan.id,
      department_id: department,
      title: s.title ?? '食品经营者监督检查',
      matter_code: s.matterCode ?? 'SCJG-001',
      matter_name: '食品经营者的监督检查',
      field: s.field ?? 'food',
      filter: JSON.stringify({ industries: [], areas: [], risks: [], ...s.filter }),
      sample_kind: s.sampleKind ?? 'count',
      sample_value: s.sampleValue ?? 4,
      per_target: s.perTarget ?? 2,
      window_start: s.windowStart ?? '2026-06-01',
      window_end: s.windowEnd ?? '2026-06-30',
      state: s.state ?? 'pending',
      task_item_id: null,
      result_item_id: null,
      created_by: 'cli',
      created_at: now(),
      updated_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Witnesses with these secrets: names 见证人1, 见证人2 …, commitments SM3(secret). */
export const witnessesOf = (secrets: string[]) => secrets.map((s, i) => ({ name: `见证人${i + 1}`, commitment: commitment(s) }));

export const drawRow = (f: Fixture, taskId: number) => f.env.p.db.selectFrom('enf_draws').selectAll().where('task_id', '=', taskId).executeTakeFirst();
export const taskRow = (f: Fixture, taskId: number) => f.env.p.db.selectFrom('enf_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
export const checksOf = (f: Fixture, taskId: number) => f.env.p.db.selectFrom('enf_checks').selectAll().where('task_id', '=', taskId).orderBy('ordinal').execute();
