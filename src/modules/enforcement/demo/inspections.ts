// The demo's 双随机一公开 year, made through the services so that every notice, draw record, clock
// and audit entry is what staff would have produced: the four departments' 随机抽查事项清单
// (published editions), their plans for the year with 12 tasks, the draws of ten of them (witness
// commitments first, then the secrets revealed; a market beacon for some), the inspectors' results
// and the 结果公告 of seven. Two tasks are 执行中 with checks still open — among them checks of the
// demo inspector accounts (scjg-inspector1, whly-inspector1 …) — one is 已完成 waiting for its
// results to be published (yjgl-approver), and two are 待抽取: 商标使用行为的检查 (scjg-editor) and
// 工贸企业安全生产检查 (yjgl-editor) can be drawn in the console. Windows are placed around the
// day of loading: finished tasks months before it, open ones across it, pending ones after it.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { actorName } from '../../../platform/auth/actor.js';
import { ensureCalendar, plusDays } from '../../../platform/calendar/index.js';
import { completeClock } from '../../../platform/deadlines/index.js';
import { intWith, pickWith, sampleWith } from '../../../platform/random.js';
import { personName, weighted } from '../../requests/demo/pool.js';
import { draftEdition, ensureList, publishEdition } from '../../lists/service.js';
import { addTask, createPlan, MATTER_LIST, publishPlan, type TaskInput } from '../service/plans.js';
import { drawTask, prepareDraw } from '../service/draws.js';
import { checkInspectors, enterResult, publishResults } from '../service/results.js';
import { commitment } from '../service/draw.js';
import { RESULTS_RULE_CODE, SUBJECT_TASK } from '../schema.js';
import type { ResultCode } from '../service/codes.js';
import { DEMO_MATTERS } from './matters.js';

type R = () => number;
type Outcome = 'published' | 'completed' | 'in-progress' | 'pending';

interface Spec {
  dept: string;
  title: string;
  matter: string;
  filter: TaskInput['filter'];
  sample: ['count' | 'ratio', number];
  perTarget?: number;
  /** Window start and end, in days from the day of loading. */
  window: [number, number];
  outcome: Outcome;
  beacon?: boolean;
}

/** The 12 tasks, in the order they are drawn (the second food-sales task's draw avoids the pairs of the first). */
export const DEMO_TASKS: Spec[] = [
  { dept: 'scjg', title: '食品销售者监督检查（上半年）', matter: 'SCJG-001', filter: { industries: ['F52'] }, sample: ['count', 24], window: [-250, -221], outcome: 'published', beacon: true },
  { dept: 'yjgl', title: '危险化学品企业安全生产检查', matter: 'YJGL-001', filter: { industries: ['C26', 'G5942'], risks: ['medium', 'high'] }, sample: ['count', 10], perTarget: 3, window: [-230, -201], outcome: 'published' },
  { dept: 'whly', title: '旅行社经营行为检查', matter: 'WHLY-001', filter: { industries: ['L7291'] }, sample: ['ratio', 100], window: [-200, -171], outcome: 'published', beacon: true },
  { dept: 'scjg', title: '餐饮服务提供者监督检查', matter: 'SCJG-002', filter: { industries: ['H62'], risks: ['medium', 'high'] }, sample: ['ratio', 30], window: [-190, -161], outcome: 'published' },
  { dept: 'scjg', title: '建材和机械产品生产企业产品质量监督检查', matter: 'SCJG-004', filter: { industries: ['C30', 'C33', 'C34'], areas: ['工业园街道', '金港街道'] }, sample: ['count', 15], window: [-160, -131], outcome: 'published' },
  { dept: 'sthj', title: '印刷、化工企业排污许可执行情况检查', matter: 'STHJ-001', filter: { industries: ['C23', 'C26'] }, sample: ['count', 12], window: [-140, -111], outcome: 'published', beacon: true },
  { dept: 'scjg', title: '企业年度报告公示信息抽查', matter: 'SCJG-006', filter: {}, sample: ['ratio', 10], window: [-120, -61], outcome: 'published' },
  { dept: 'yjgl', title: '加油站安全生产检查', matter: 'YJGL-003', filter: { industries: ['F5265'] }, sample: ['ratio', 200], window: [-45, -16], outcome: 'completed' },
  { dept: 'scjg', title: '食品销售者监督检查（下半年）', matter: 'SCJG-001', filter: { industries: ['F52'], risks: ['medium', 'high'] }, sample: ['count', 16], window: [-20, 25], outcome: 'in-progress' },
  { dept: 'whly', title: '娱乐场所经营活动检查', matter: 'WHLY-003', filter: { industries: ['R90'] }, sample: ['count', 8], window: [-15, 20], outcome: 'in-progress' },
  { dept: 'scjg', title: '商标使用行为检查', matter: 'SCJG-007', filter: { industries: ['F52', 'C14', 'C15'] }, sample: ['count', 12], window: [12, 40], outcome: 'pending' },
  { dept: 'yjgl', title: '工贸企业安全生产检查', matter: 'YJGL-002', filter: { industries: ['C30', 'C33', 'C34'], risks: ['high'] }, sample: ['count', 10], window: [20, 50], outcome: 'pending' },
];

const WITNESS_ROLES = ['区人大代表', '区政协委员', '区司法局行政执法监督员', '区纪委监委派驻纪检监察组', '社会监督员', '区工商联推荐企业代表', '区公证处公证员'];

/** Results as inspections find them: mostly nothing wrong, some ordered to correct, a few cases. */
const RESULTS: [ResultCode, number][] = [
  ['no-problem', 70],
  ['rectify', 12],
  ['case-filed', 3],
  ['no-activity', 5],
  ['not-found', 4],
  ['closed', 4],
  ['refused', 1],
];
const NOTES: Record<string, Record<string, string[]>> = {
  rectify: {
    food: ['部分食品未按要求分区贮存，已责令当场整改', '从业人员健康证过期2份，责令5日内补办', '进货查验记录不完整，责令限期补全', '冷藏柜温度记录缺失，已责令整改'],
    quality: ['出厂检验记录不全，责令限期整改', '产品标识未标注执行标准编号，责令整改'],
    market: ['年度报告从业人数填报有误，已责令更正', '实际经营地址与登记不一致，责令办理变更登记'],
    tourism: ['旅游合同未载明自由活动时间，责令整改', '未按规定公示许可证，已当场整改'],
    safety: ['特殊作业审批票填写不规范，责令整改', '应急演练记录缺失，责令限期补充', '静电接地检测报告过期，责令重新检测'],
    environment: ['自行监测数据未按时公开，责令整改', '台账记录不完整，责令限期补全'],
  },
  'case-filed': {
    food: ['销售超过保质期食品，已立案调查'],
    quality: ['涉嫌生产不符合标准的产品，已抽样送检并立案'],
    market: ['年度报告隐瞒真实情况，已立案调查'],
    tourism: ['未经许可经营出境旅游业务，已立案调查'],
    safety: ['重大事故隐患未及时排除，已立案并责令停产整顿'],
    environment: ['废气处理设施未正常运行，已立案调查'],
  },
  'no-activity': { '': ['检查时已停止相关经营活动', '未开展本次抽查涉及的业务'] },
  'not-found': { '': ['登记住所无该主体，电话无法联系', '经实地核查，通过登记的住所无法联系'] },
  closed: { '': ['已停业，正在办理注销', '经营场所已转让他人'] },
  refused: { '': ['负责人拒不配合检查，已依法记录'] },
};

function noteOf(r: R, result: string, field: string): string {
  const byField = NOTES[result];
  if (!byField) return '';
  return pickWith(r, byField[field] ?? byField[''] ?? ['']);
}

export interface Staff {
  /** Principals of demo accounts by username. */
  as(username: string): Principal | 'demo';
  /** The principal of the account linked to a cert number, if any. */
  linked: Map<string, Principal>;
}

/** Publishes the four departments' 随机抽查事项清单 (one edition each, from the start of the year). */
export async function loadMatters(p: Platform, depts: Map<string, number>, year: number): Promise<void> {
  const at = new Date(Math.min(Date.now(), Date.parse(`${year}-01-12T02:00:00Z`)));
  await p.tx(async (t) => {
    for (const [dept, list] of Object.entries(DEMO_MATTERS)) {
      const id = depts.get(dept);
      if (!id) continue;
      const listId = await ensureList(p, t, 'demo', MATTER_LIST, id, list.title);
      const items = list.items.map((m) => ({ ...m, department: dept }));
      const e = await draftEdition(p, 'demo', listId, { items, reason: `${year}年度随机抽查事项清单公布`, docNo: list.docNo }, t);
      await publishEdition(p, t, 'demo', e.id, at);
    }
  });
}

/** The plans, tasks, draws and results; returns the task ids in DEMO_TASKS order. */
export async function loadInspections(p: Platform, r: R, depts: Map<string, number>, staff: Staff, today: string): Promise<number[]> {
  await ensureCalendar(p.db);
  const year = Number(today.slice(0, 4));
  const plans = new Map<string, number>();
  const ids: number[] = [];
  for (const s of DEMO_TASKS) {
    const editor = staff.as(`${s.dept}-editor`);
    let planId = plans.get(s.dept);
    if (!planId) {
      const shortName = (await p.db.selectFrom('departments').select('short_name').where('code', '=', s.dept).executeTakeFirst())?.short_name ?? s.dept;
      planId = (await createPlan(p, editor, { departmentId: depts.get(s.dept), year, title: `${shortName}${year}年度“双随机、一公开”抽查工作计划` })).id;
      plans.set(s.dept, planId);
    }
    const task = await addTask(p, editor, planId, {
      title: s.title,
      matterCode: s.matter,
      filter: s.filter,
      sampleKind: s.sample[0],
      sampleValue: s.sample[1],
      perTarget: s.perTarget ?? 2,
      windowStart: plusDays(today, s.window[0]),
      windowEnd: plusDays(today, s.window[1]),
    });
    ids.push(task.id);
  }
  for (const [dept, planId] of plans) await publishPlan(p, staff.as(`${dept}-editor`), planId);

  for (const [i, s] of DEMO_TASKS.entries()) {
    if (s.outcome === 'pending') continue;
    const editor = staff.as(`${s.dept}-editor`);
    const n = intWith(r, 2, 3);
    const secrets = Array.from({ length: n }, () => Array.from({ length: 3 }, () => String(intWith(r, 0, 9999)).padStart(4, '0')).join('-'));
    const roles = sampleWith(r, WITNESS_ROLES, n);
    const witnesses = secrets.map((secret, k) => ({ name: `${roles[k]} ${personName(r)}`, commitment: commitment(secret) }));
    await prepareDraw(p, editor, ids[i], { witnesses });
    const beacon = s.beacon ? `上证综合指数${plusDays(today, s.window[0] - 3)}收盘 ${intWith(r, 3000, 3500)}.${String(intWith(r, 0, 99)).padStart(2, '0')}` : '';
    await drawTask(p, editor, ids[i], { secrets, beacon });
    await enterResults(p, r, s, ids[i], staff);
    if (s.outcome === 'published') {
      // The results were published some working days after the window closed (within the 20 wd).
      const approver = staff.as(`${s.dept}-approver`);
      const on = plusDays(today, s.window[1] + intWith(r, 4, 14));
      await p.tx((t) => completeClock(p, t, SUBJECT_TASK, ids[i], RESULTS_RULE_CODE, actorName(approver), on));
      await publishResults(p, approver, ids[i]);
    }
  }
  return ids;
}

/** The results of a drawn task: all of them, or (执行中) those of checks without a demo account's inspector and not all of those. */
async function enterResults(p: Platform, r: R, s: Spec, taskId: number, staff: Staff): Promise<void> {
  const checks = await p.db.selectFrom('enf_checks').select(['id', 'inspectors']).where('task_id', '=', taskId).orderBy('ordinal').execute();
  const field = (await p.db.selectFrom('enf_tasks').select('field').where('id', '=', taskId).executeTakeFirstOrThrow()).field;
  for (const c of checks) {
    const certs = checkInspectors(c);
    const account = certs.map((x) => staff.linked.get(x)).find(Boolean);
    // 执行中: the demo accounts' checks stay open for them, and about a third of the others.
    if (s.outcome === 'in-progress' && (account || r() < 0.35)) continue;
    const result = weighted(r, RESULTS);
    await enterResult(p, account ?? 'demo', c.id, { result, note: noteOf(r, result, field) });
  }
}
