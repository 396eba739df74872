// Demo major decisions of this year across several departments, each at another point of its way
// (Decree 713): one ready for an open consultation, one whose consultation will be closed (then
// its adoption report, then demoPublishDecision), one at the hearing (a price hearing), one
// published with its evaluation, one with stages marked not required and their reasons, one in
// its legality review, one just drafting, one whose collective decision deferred it. Made through
// the services as each department's editor (and approver), deterministic from a seed; the stage
// dates are then set back in time (as staff would have recorded them over the past months), and
// a legality review's minimum clock with them, so that it may finish as the service requires.
import type { Platform } from '../../../platform/platform.js';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { loadPrincipal } from '../../../platform/auth/identity.js';
import { addWorkdays, ensureCalendar, plusDays, subtractWorkdays, todayShanghai } from '../../../platform/calendar/index.js';
import { intWith, seededRandom } from '../../../platform/random.js';
import { STAGES, type Stage } from '../schema.js';
import { createDecision } from '../service/decisions.js';
import { addStageDocument, publishDecision, publishEvaluation, setStageState, submitDecision } from '../service/stages.js';

export const DEMO_DECISIONS_SEED = 19_2026;
/** Seeds of demoConsultation (demo/consultations.ts) whose drafts fit the two decisions: 城市公园管理办法 and 机动车停车管理办法. */
export const DEMO_CONSULTATION_SEEDS = { openConsultation: 7, closedConsultation: 12 } as const;

/** A small valid PDF (one blank A4 page, its title in the document information) for the demo's stage documents. */
function demoPdf(title: string): Buffer {
  const hex = Buffer.from(`\ufeff${title}`, 'utf16le').swap16().toString('hex');
  const objects = ['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[3 0 R]/Count 1>>', '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>', `<</Title<${hex}>>>`];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R/Info 4 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

type Who = (username: string) => Actor;

async function people(p: Platform): Promise<Who> {
  const users = await p.db.selectFrom('users').select(['id', 'username']).execute();
  const cache = new Map<string, Principal | null>();
  for (const u of users) if (/^(zjj-handler|zjj-approver|fgj-editor|fgj-approver|scjg-editor|scjg-approver|whly-editor|whly-approver|yjgl-editor|yjgl-approver|sthj-editor|czj-requests|czj-approver)$/.test(u.username)) cache.set(u.username, await loadPrincipal(p.db, u.id, 'token'));
  return (username) => cache.get(username) ?? 'demo';
}

const EDITOR: Record<string, string> = { zjj: 'zjj-handler', fgj: 'fgj-editor', scjg: 'scjg-editor', whly: 'whly-editor', yjgl: 'yjgl-editor', sthj: 'sthj-editor', czj: 'czj-requests' };
const APPROVER: Record<string, string> = { zjj: 'zjj-approver', fgj: 'fgj-approver', scjg: 'scjg-approver', whly: 'whly-approver', yjgl: 'yjgl-approver', czj: 'czj-approver' };

interface Plan {
  dept: string;
  title: string;
  basis: string;
  summary: string;
}

/** Sets a stage's recorded dates (the past months' work entered as it happened). */
async function dated(p: Platform, id: number, stage: Stage, started: string | null, finished: string | null): Promise<void> {
  await p.db.updateTable('dec_stages').set({ started_on: started, finished_on: finished }).where('decision_id', '=', id).where('stage', '=', stage).execute();
  // The record was made when its drafting began (09:00 Shanghai that day).
  if (stage === 'drafting' && started) await p.db.updateTable('dec_decisions').set({ created_at: new Date(`${started}T01:00:00Z`).toISOString() }).where('id', '=', id).execute();
}

/** Starts the legality review through the service, then moves its start (and its minimum clock) back to `start`. */
async function legalityFrom(p: Platform, who: Actor, id: number, start: string, note = ''): Promise<void> {
  await setStageState(p, who, id, 'legality_review', { action: 'start', note });
  const row = await p.db.selectFrom('dec_stages').select(['clock_id']).where('decision_id', '=', id).where('stage', '=', 'legality_review').executeTakeFirstOrThrow();
  if (row.clock_id) await p.db.updateTable('clocks').set({ start_date: start, due_date: addWorkdays(start, 7, { explain: false }).due }).where('id', '=', row.clock_id).execute();
  await dated(p, id, 'legality_review', start, null);
}

export async function demoDecisions(p: Platform): Promise<{ openConsultation: number; closedConsultation: number; hearing: number; all: number[] }> {
  await ensureCalendar(p.db);
  const who = await people(p);
  const r = seededRandom(DEMO_DECISIONS_SEED);
  const today = todayShanghai();
  const year = Number(today.slice(0, 4));
  const depts = new Map((await p.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const ago = (days: number) => plusDays(today, -days);
  const ed = (dept: string) => who(EDITOR[dept] ?? '');
  const ap = (dept: string) => who(APPROVER[dept] ?? '');
  const create = async (x: Plan): Promise<number> => {
    const departmentId = depts.get(x.dept);
    if (!departmentId) throw new Error(`demo decisions: no department ${x.dept}`);
    return (await createDecision(p, ed(x.dept), { departmentId, year, title: x.title, basis: x.basis, summary: x.summary })).id;
  };
  const step = (dept: string, id: number, stage: Stage, action: 'start' | 'finish' | 'skip', extra: { reason?: string; note?: string; outcome?: string; dissent?: string } = {}) => setStageState(p, ed(dept), id, stage, { action, ...extra });
  const all: number[] = [];

  // 1. Ready for an open consultation (城市公园管理办法): drafted over the past weeks.
  const open = await create({
    dept: 'zjj',
    title: '制定《示范新区城市公园管理办法》',
    basis: '《城市绿化条例》；《重大行政决策程序暂行条例》；示范新区管委会2026年度重大行政决策事项目录',
    summary: '规范城市公园的规划建设、开放服务和游园秩序，明确公园管理单位职责，保护公园资源。',
  });
  const openDrafted = intWith(r, 45, 70);
  await step('zjj', open, 'drafting', 'finish', { note: '完成征求意见稿起草，已征求区直有关部门意见' });
  await dated(p, open, 'drafting', ago(openDrafted), ago(intWith(r, 12, 20)));
  all.push(open);

  // 2. Its consultation will be closed, then the adoption report, then publication (机动车停车管理办法).
  const closed = await create({
    dept: 'fgj',
    title: '制定《示范新区机动车停车管理办法》',
    basis: '《中华人民共和国道路交通安全法》；《重大行政决策程序暂行条例》；示范新区停车设施专项规划',
    summary: '统筹停车设施规划建设，实行差别化停车收费，推动机关和企事业单位停车场错时向社会开放。',
  });
  await step('fgj', closed, 'drafting', 'finish', { note: '会同交通运输局、住房和城乡建设局完成起草' });
  await dated(p, closed, 'drafting', ago(intWith(r, 240, 280)), ago(intWith(r, 205, 215)));
  all.push(closed);

  // 3. At the hearing: a price hearing on the residents' water price (the hearing part announces it).
  const hearing = await create({
    dept: 'fgj',
    title: '调整示范新区居民生活用水价格',
    basis: '《中华人民共和国价格法》；《政府制定价格听证办法》；《重大行政决策程序暂行条例》',
    summary: '实行居民生活用水阶梯水价，第一阶梯水价由每立方米3.10元调整为3.45元，低保家庭每户每月减免5立方米水费。',
  });
  await step('fgj', hearing, 'drafting', 'finish', { note: '完成定价成本监审和调价方案' });
  await step('fgj', hearing, 'consultation', 'skip', { reason: '依照《政府制定价格听证办法》以听证会方式听取社会各方面意见，不再另行网上公开征求意见。' });
  await step('fgj', hearing, 'expert_review', 'start');
  await addStageDocument(p, ed('fgj'), hearing, 'expert_review', { buf: demoPdf('供水定价成本监审报告'), name: '供水定价成本监审报告.pdf' }, true);
  await step('fgj', hearing, 'expert_review', 'finish', { note: '邀请5名价格、财务和供水专家论证调价方案' });
  await step('fgj', hearing, 'risk_assessment', 'start', { note: '听证会后综合听证意见完成社会稳定风险评估' });
  const hDrafted = intWith(r, 80, 100);
  await dated(p, hearing, 'drafting', ago(hDrafted), ago(hDrafted - 30));
  await dated(p, hearing, 'expert_review', ago(hDrafted - 32), ago(hDrafted - 45));
  await dated(p, hearing, 'risk_assessment', ago(hDrafted - 46), null);
  all.push(hearing);

  // 4. Published, with its evaluation done: a decision of the start of the year.
  const pub = await create({
    dept: 'scjg',
    title: '实施示范新区食品小作坊登记管理',
    basis: '《中华人民共和国食品安全法》第三十六条；省食品小作坊小餐饮店小食杂店和食品摊贩管理条例',
    summary: '对食品小作坊实行登记管理，公布登记条件和办理时限，建立“红黑榜”信用公示制度。',
  });
  await step('scjg', pub, 'drafting', 'finish');
  await step('scjg', pub, 'consultation', 'skip', { reason: '登记条件均为上位法规定的内容，已于去年通过座谈会听取食品小作坊经营者和行业协会意见。' });
  await step('scjg', pub, 'expert_review', 'start');
  await addStageDocument(p, ed('scjg'), pub, 'expert_review', { buf: demoPdf('专家论证意见'), name: '专家论证意见.pdf' }, true);
  await step('scjg', pub, 'expert_review', 'finish');
  await step('scjg', pub, 'risk_assessment', 'start');
  await step('scjg', pub, 'risk_assessment', 'finish', { note: '风险等级评定为低风险' });
  const pubStart = intWith(r, 300, 320);
  const legalStart = subtractWorkdays(ago(pubStart - 60), 1);
  await legalityFrom(p, ed('scjg'), pub, legalStart);
  await addStageDocument(p, ed('scjg'), pub, 'legality_review', { buf: demoPdf('合法性审查意见书'), name: '合法性审查意见书.pdf' }, false);
  await step('scjg', pub, 'legality_review', 'finish', { note: '区司法局出具合法性审查意见，无合法性问题' });
  await step('scjg', pub, 'collective_decision', 'start');
  await step('scjg', pub, 'collective_decision', 'finish', { outcome: 'adopted', dissent: '', note: '经管委会第12次主任办公会议审议通过' });
  await submitDecision(p, ed('scjg'), pub, { text: '一、自公布之日起，本区食品小作坊实行登记管理。\n二、登记机关自受理申请之日起10个工作日内作出决定。\n三、建立食品小作坊“红黑榜”，每季度向社会公布。', interpretation: '' });
  await publishDecision(p, ap('scjg'), pub);
  await publishEvaluation(p, ap('scjg'), pub, { text: '决策实施以来，全区登记食品小作坊126家，抽检合格率由92.1%提高到97.6%，“红黑榜”公布4期。建议将登记有效期延长至五年，简化延续手续。' });
  await dated(p, pub, 'drafting', ago(pubStart), ago(pubStart - 25));
  await dated(p, pub, 'expert_review', ago(pubStart - 30), ago(pubStart - 40));
  await dated(p, pub, 'risk_assessment', ago(pubStart - 40), ago(pubStart - 55));
  await dated(p, pub, 'legality_review', legalStart, addWorkdays(legalStart, 9, { explain: false }).due);
  await dated(p, pub, 'collective_decision', ago(pubStart - 80), ago(pubStart - 80));
  await dated(p, pub, 'publication', ago(pubStart - 81), ago(pubStart - 85));
  all.push(pub);

  // 5. Stages not required, with their public reasons; the collective decision under way.
  const skipped = await create({
    dept: 'whly',
    title: '发放示范新区文化惠民消费券',
    basis: '《重大行政决策程序暂行条例》；市促进文化和旅游消费若干措施',
    summary: '安排财政资金500万元，分三批发放演出、电影、图书和景区消费券，其中20%定向发放给困难群众。',
  });
  await step('whly', skipped, 'drafting', 'finish');
  await step('whly', skipped, 'consultation', 'skip', { reason: '消费券发放时效性强，需在暑期前实施；已通过问卷调查听取市民对券种和使用范围的意见。' });
  await step('whly', skipped, 'expert_review', 'skip', { reason: '不涉及专业性、技术性较强的问题。' });
  await step('whly', skipped, 'risk_assessment', 'start');
  await step('whly', skipped, 'risk_assessment', 'finish', { note: '资金安全和公平性风险可控' });
  const sStart = intWith(r, 40, 50);
  const sLegal = subtractWorkdays(ago(sStart - 15), 1);
  await legalityFrom(p, ed('whly'), skipped, sLegal);
  await step('whly', skipped, 'legality_review', 'finish');
  await step('whly', skipped, 'collective_decision', 'start', { note: '提请管委会主任办公会议审议' });
  await dated(p, skipped, 'drafting', ago(sStart), ago(sStart - 8));
  await dated(p, skipped, 'risk_assessment', ago(sStart - 8), ago(sStart - 11));
  await dated(p, skipped, 'legality_review', sLegal, addWorkdays(sLegal, 7, { explain: false }).due);
  await dated(p, skipped, 'collective_decision', ago(3), null);
  all.push(skipped);

  // 6. In its legality review (the minimum of 7 working days still running).
  const legal = await create({
    dept: 'yjgl',
    title: '在全区高危行业领域推行安全生产责任保险',
    basis: '《中华人民共和国安全生产法》第五十一条；《安全生产责任保险实施办法》',
    summary: '矿山、危险化学品、烟花爆竹、交通运输、建筑施工等高危行业领域生产经营单位应当投保安全生产责任保险。',
  });
  await step('yjgl', legal, 'drafting', 'finish');
  await step('yjgl', legal, 'consultation', 'skip', { reason: '已通过座谈会和书面征求意见方式听取42家生产经营单位及行业协会意见，采纳情况已在起草说明中载明。' });
  await step('yjgl', legal, 'expert_review', 'start');
  await step('yjgl', legal, 'expert_review', 'finish');
  await step('yjgl', legal, 'risk_assessment', 'start');
  await step('yjgl', legal, 'risk_assessment', 'finish');
  const lStart = subtractWorkdays(today, 2);
  await legalityFrom(p, ed('yjgl'), legal, lStart, '已送区司法局进行合法性审查');
  const lDrafted = intWith(r, 60, 75);
  await dated(p, legal, 'drafting', ago(lDrafted), ago(lDrafted - 20));
  await dated(p, legal, 'expert_review', ago(lDrafted - 22), ago(lDrafted - 35));
  await dated(p, legal, 'risk_assessment', ago(lDrafted - 35), ago(lDrafted - 50));
  all.push(legal);

  // 7. Just drafting.
  const drafting = await create({
    dept: 'sthj',
    title: '划定示范新区高污染燃料禁燃区',
    basis: '《中华人民共和国大气污染防治法》第三十八条；《高污染燃料目录》',
    summary: '将建成区及工业园区划为高污染燃料禁燃区，禁止销售、燃用煤炭及其制品等高污染燃料。',
  });
  await dated(p, drafting, 'drafting', ago(intWith(r, 5, 15)), null);
  all.push(drafting);

  // 8. Deferred by the collective decision, with a dissent recorded.
  const deferred = await create({
    dept: 'czj',
    title: '设立示范新区老旧小区加装电梯财政补贴',
    basis: '《重大行政决策程序暂行条例》；市老旧小区改造工作实施意见',
    summary: '对既有住宅加装电梯每部给予20万元财政补贴，资金由区财政统筹安排。',
  });
  await step('czj', deferred, 'drafting', 'finish');
  await step('czj', deferred, 'consultation', 'skip', { reason: '补贴标准在市级政策范围内确定，已通过社区走访听取居民意见。' });
  await step('czj', deferred, 'expert_review', 'skip', { reason: '不涉及专业技术问题。' });
  await step('czj', deferred, 'risk_assessment', 'start');
  await step('czj', deferred, 'risk_assessment', 'finish');
  const dStart = intWith(r, 100, 130);
  const dLegal = subtractWorkdays(ago(dStart - 30), 1);
  await legalityFrom(p, ed('czj'), deferred, dLegal);
  await step('czj', deferred, 'legality_review', 'finish');
  await step('czj', deferred, 'collective_decision', 'start');
  await step('czj', deferred, 'collective_decision', 'finish', { outcome: 'deferred', dissent: '有意见认为补贴资金来源尚未落实，建议待年度预算调整后再议。', note: '会议决定暂缓决策，待资金来源落实后重新提请审议' });
  await dated(p, deferred, 'drafting', ago(dStart), ago(dStart - 20));
  await dated(p, deferred, 'risk_assessment', ago(dStart - 20), ago(dStart - 28));
  await dated(p, deferred, 'legality_review', dLegal, addWorkdays(dLegal, 8, { explain: false }).due);
  await dated(p, deferred, 'collective_decision', ago(dStart - 50), ago(dStart - 50));
  all.push(deferred);

  return { openConsultation: open, closedConsultation: closed, hearing, all };
}

/**
 * Takes a decision whose consultation is closed through the remaining stages (as its department's
 * editor: expert review, risk assessment, legality review — its start set back past the minimum —,
 * the collective decision), submits it and publishes it (as the department's approver). Throws
 * what the services refuse: the submission while a consultation's adoption report is not published.
 */
export async function demoPublishDecision(p: Platform, decisionId: number): Promise<{ itemId: number }> {
  await ensureCalendar(p.db);
  const d = await p.db.selectFrom('dec_decisions').innerJoin('departments', 'departments.id', 'dec_decisions.department_id').select(['dec_decisions.id', 'departments.code', 'dec_decisions.title']).where('dec_decisions.id', '=', decisionId).executeTakeFirstOrThrow();
  const who = await people(p);
  const ed = who(EDITOR[d.code] ?? '');
  const ap = who(APPROVER[d.code] ?? '');
  const today = todayShanghai();
  const state = async (s: Stage) => (await p.db.selectFrom('dec_stages').select('state').where('decision_id', '=', decisionId).where('stage', '=', s).executeTakeFirstOrThrow()).state;
  // Remaining stages in order; a stage already done or skipped is left as it is. Expert review and
  // risk assessment are dated in the weeks after the consultation (their work happened then).
  const weeks: Partial<Record<Stage, [number, number]>> = { expert_review: [75, 61], risk_assessment: [60, 41] };
  for (const s of STAGES.slice(STAGES.indexOf('expert_review'), STAGES.indexOf('publication')) as Stage[]) {
    const span = (await state(s)) === 'pending' ? weeks[s] : undefined;
    if ((await state(s)) === 'pending') {
      if (s === 'legality_review') await legalityFrom(p, ed, decisionId, subtractWorkdays(today, 9), '区司法局合法性审查');
      else await setStageState(p, ed, decisionId, s, { action: 'start' });
    }
    if ((await state(s)) === 'active') {
      if (s === 'collective_decision') await setStageState(p, ed, decisionId, s, { action: 'finish', outcome: 'amended', dissent: '', note: '经管委会主任办公会议审议，根据公众意见修改后通过' });
      else await setStageState(p, ed, decisionId, s, { action: 'finish' });
    }
    if (span) await dated(p, decisionId, s, plusDays(today, -span[0]), plusDays(today, -span[1]));
  }
  const text = `${d.title}经管委会主任办公会议审议通过，现予公布，自公布之日起施行。公开征求意见中的意见采纳情况已同时公布。`;
  await submitDecision(p, ed, decisionId, { text });
  return { itemId: (await publishDecision(p, ap, decisionId)).itemId };
}
