// Helpers of the consultation tests: a decision with its eight stages written directly (the
// stages part creates them in the product), a consultation body, instants.
import type { TestEnv } from '../helpers.js';
import { STAGES } from '../../src/modules/decisions/schema.js';

export const STAFF = ['fgj-editor', 'fgj-reviewer', 'scjg-editor'];
export const DAY = 24 * 3600_000;

export async function makeDecision(env: TestEnv, opts: { department?: string; title?: string; status?: string } = {}): Promise<{ id: number; departmentId: number }> {
  const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', opts.department ?? 'fgj').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  return env.p.tx(async (t) => {
    const d = await t
      .insertInto('dec_decisions')
      .values({ department_id: dept.id, year: 2026, title: opts.title ?? '示范新区城市公园管理办法', basis: '《重大行政决策程序暂行条例》', summary: '规范城市公园管理。', catalogue_code: '', stage: 'drafting', status: opts.status ?? 'open', item_id: null, evaluation_item_id: null, interpretation: '', withdrawn_at: null, submitted_by: null, submitted_at: null, decision_text: '', created_by: 'test', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t
      .insertInto('dec_stages')
      .values(STAGES.map((s) => ({ decision_id: d.id, stage: s, state: s === 'drafting' ? 'active' : 'pending', planned_on: null, started_on: null, finished_on: null, skip_reason: '', outcome: '', dissent: '', note: '', documents: '[]', clock_id: null, updated_at: now })))
      .execute();
    return { id: d.id, departmentId: dept.id };
  });
}

export const DRAFT = `示范新区城市公园管理办法（征求意见稿）
第一条　为加强城市公园管理，制定本办法。
第二条　本区行政区域内城市公园的管理，适用本办法。
第三条　区住房和城乡建设局是本区城市公园的行政主管部门。
第四条　本办法自2027年1月1日起施行。`;

/** The next whole hour after now plus `hoursAhead`, as an ISO instant. */
export function hourFromNow(hoursAhead = 1): Date {
  const d = new Date(Date.now() + hoursAhead * 3600_000);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

export const body = (opens: Date, closes: Date, extra: Record<string, unknown> = {}) => ({ title: '关于《示范新区城市公园管理办法（征求意见稿）》公开征求意见', explanation: '为规范城市公园管理，起草了本办法。', opensAt: opens.toISOString(), closesAt: closes.toISOString(), text: DRAFT, ...extra });
