// Helpers of the hearings tests: a decision inserted directly (the stages part creates them in the
// product), a hearing created through the API, and moving a hearing's clock (its stored instants)
// so that registration has closed or the hearing has taken place.
import type { TestEnv } from '../helpers.js';
import { commitment } from '../../src/platform/draw.js';
import { tinyPdf } from '../../src/modules/lists/demo.js';

const DAY = 86_400_000;
export const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
export const days = (n: number) => n * DAY;

/** An open decision of the department `dept` (code). */
export async function insertDecision(env: TestEnv, dept = 'fgj', title = '示范新区老旧小区改造三年行动方案'): Promise<number> {
  const d = await env.p.db.selectFrom('departments').select('id').where('code', '=', dept).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const r = await env.p.db
    .insertInto('dec_decisions')
    .values({ department_id: d.id, year: 2026, title, basis: '《重大行政决策程序暂行条例》', summary: '改造范围、资金来源和实施步骤。', catalogue_code: '', stage: 'consultation', status: 'open', item_id: null, evaluation_item_id: null, interpretation: '', withdrawn_at: null, submitted_by: null, submitted_at: null, decision_text: '', created_by: 'test', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface HearingSpec {
  startsInDays?: number;
  closesInDays?: number;
  participants?: number;
  stratified?: boolean;
  capacity?: number;
}

export function hearingBody(s: HearingSpec = {}) {
  return {
    title: '关于老旧小区改造方案的听证会',
    startsAt: iso(days(s.startsInDays ?? 20)),
    place: '示范新区政务服务中心三楼听证室',
    selectionMethod: '在报名人员中公开随机抽选，按赞成、反对、其他意见分层。',
    participants: s.participants ?? 5,
    stratified: s.stratified ?? true,
    registrationClosesAt: iso(days(s.closesInDays ?? 5)),
    attendanceCapacity: s.capacity ?? 2,
  };
}

/** Creates and announces a hearing through the API as `as`; returns its id. */
export async function announce(env: TestEnv, decisionId: number, s: HearingSpec = {}, as = 'fgj-editor'): Promise<number> {
  const r = await env.api('POST', `/api/v1/major-decisions/${decisionId}/hearings`, { as, body: hearingBody(s) });
  if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json().id;
}

let phoneSeq = 0;
export const mobile = () => `139${String(10_000_000 + ++phoneSeq * 7919).slice(-8)}`;

/** One application through the public API (a distinct client address each, to stay under the rate limit). */
export async function apply(env: TestEnv, hid: number, viewpoint: 'for' | 'against' | 'other', name = '王小明') {
  return env.app.inject({ method: 'POST', url: `/api/v1/hearings/${hid}/applicants`, remoteAddress: `10.9.${phoneSeq % 250}.${(phoneSeq * 3) % 250}`, payload: { name, phone: mobile(), viewpoint, reason: '我住在改造范围内，希望表达意见。' } });
}

/** Sets stored instants of a hearing directly (the clock moves on). */
export async function setHearing(env: TestEnv, hid: number, values: { registration_closes_at?: string; starts_at?: string }) {
  await env.p.db.updateTable('dec_hearings').set(values).where('id', '=', hid).execute();
}

export const WITNESS_SECRETS = ['见证人甲 8841 2207', 'witness-b-5531'];
export const witnesses = () => [
  { name: '张见证', commitment: commitment(WITNESS_SECRETS[0]) },
  { name: '李见证', commitment: commitment(WITNESS_SECRETS[1]) },
];

/** Closes registration, prepares and runs the draw as fgj-editor; returns the record. */
export async function drawNow(env: TestEnv, hid: number) {
  await setHearing(env, hid, { registration_closes_at: iso(-60_000) });
  const prep = await env.api('POST', `/api/v1/hearings/${hid}/draw/prepare`, { as: 'fgj-editor', body: { witnesses: witnesses() } });
  if (prep.statusCode !== 200) throw new Error(`${prep.statusCode} ${prep.body}`);
  const r = await env.api('POST', `/api/v1/hearings/${hid}/draw`, { as: 'fgj-editor', body: { secrets: WITNESS_SECRETS, beacon: '2026-05-06 收盘 3301.25' } });
  if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json();
}

/** A small valid PDF, base64. */
export const pdf64 = (text = 'hearing material'): string => tinyPdf(text).toString('base64');
