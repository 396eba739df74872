// Helpers of the stages tests: department ids, a decision created through the API, a stage moved
// through the API, time moved to a Shanghai day.
import { expect, vi } from 'vitest';
import type { TestEnv } from '../helpers.js';

export async function deptId(env: TestEnv, code: string): Promise<number> {
  return (await env.p.db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

export async function newDecision(env: TestEnv, as: string, dept: string, extra: Record<string, unknown> = {}): Promise<any> {
  const r = await env.api('POST', '/api/v1/major-decisions', { as, body: { departmentId: await deptId(env, dept), year: 2026, title: '关于实施老旧小区加装电梯补贴的决定', basis: '《重大行政决策程序暂行条例》；市人民政府关于老旧小区改造的实施意见', summary: '对老旧小区加装电梯给予财政补贴。', ...extra } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

export async function stage(env: TestEnv, as: string, id: number, s: string, body: Record<string, unknown>) {
  return env.api('POST', `/api/v1/major-decisions/${id}/stages/${s}`, { as, body });
}

/** Moves the clock (Date only) to noon of a Shanghai day; the real clock still runs in between. */
export function onDay(day: string): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(`${day}T04:00:00Z`));
}

/** Takes a decision through every stage up to a done collective decision (adopted); the legality review's minimum passed by moving time. */
export async function throughCollective(env: TestEnv, as: string, id: number, opts: { consultation?: 'skip' | 'done' } = {}) {
  const ok = async (s: string, body: Record<string, unknown>) => {
    const r = await stage(env, as, id, s, body);
    expect(r.statusCode, `${s} ${JSON.stringify(body)}: ${r.body}`).toBe(200);
    return r.json();
  };
  onDay('2026-03-02');
  await ok('drafting', { action: 'finish' });
  if (opts.consultation === 'done') {
    // As the consultations part does when a consultation closes.
    await env.p.db.updateTable('dec_stages').set({ state: 'done', started_on: '2026-01-05', finished_on: '2026-02-05' }).where('decision_id', '=', id).where('stage', '=', 'consultation').execute();
  } else await ok('consultation', { action: 'skip', reason: '涉及国家秘密，依法不公开征求意见' });
  await ok('expert_review', { action: 'skip', reason: '专业性不强，无需专家论证' });
  await ok('risk_assessment', { action: 'start' });
  await ok('risk_assessment', { action: 'finish' });
  await ok('legality_review', { action: 'start' });
  onDay('2026-03-12');
  await ok('legality_review', { action: 'finish' });
  await ok('collective_decision', { action: 'start' });
  await ok('collective_decision', { action: 'finish', outcome: 'adopted', dissent: '' });
  vi.useRealTimers();
}
