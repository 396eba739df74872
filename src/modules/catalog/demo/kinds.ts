// The kinds of documents of the demo catalog: for each, the 文种 (genre), whether it carries a
// 文号, its title and its body, built from the department's vocabulary (vocab.ts) and the section
// texts in bodies.ts. Everything is drawn from the seeded random source passed in.
import { intWith, pickWith } from '../../../platform/random.js';
import { FIRMS, TRADES, type DocContext, type Kind } from './vocab.js';
import * as B from './bodies.js';

export interface Drafted {
  title: string;
  genre: string;
  body: string;
  /** Carries a 文号 (公文); reports, bulletins of figures and notices of tenders do not. */
  numbered: boolean;
  topic?: string;
  category?: string;
  /** Valid for some years (规范性文件, plans, schemes). */
  validYears?: number;
  /** Which sample attachment suits it (demo.ts stores them). */
  attachment?: 'tasks' | 'form' | 'budget' | 'tender' | 'list';
  summary: string;
}

/** "管理管理办法" → "管理办法": a two-character word written twice in a row is written once. */
export function tidyTitle(t: string): string {
  return t.replace(/([\u4e00-\u9fff]{2})\1/g, '$1');
}

const company = (r: () => number) => `示范新区${pickWith(r, FIRMS)}${pickWith(r, TRADES)}`;
const project = (c: DocContext) => pickWith(c.r, c.v.projects ?? [`${c.subject}信息化建设`, `${c.subject}第三方评估服务`, `${c.subject}宣传服务`]);

type Builder = (c: DocContext) => Drafted;

export const KINDS: Record<Kind, Builder> = {
  issue(c) {
    const doc = pickWith(c.r, ['实施方案', `${c.year}年工作要点`, '三年行动计划', '工作规则', '管理办法']);
    const inner = `${c.area}${c.subject}${doc}`;
    return { title: `关于印发《${inner}》的通知`, genre: '通知', body: B.issued(c, inner), numbered: true, validYears: doc === '管理办法' ? 5 : undefined, attachment: c.r() < 0.3 ? 'tasks' : undefined, summary: `印发${inner}，明确${c.subject}的目标任务、责任分工和保障措施。` };
  },
  notice(c) {
    const [title, aim] = pickWith(c.r, [
      [`关于做好${c.year}年${c.subject}工作的通知`, `做好${c.year}年${c.subject}工作`],
      [`关于开展${c.subject}专项检查的通知`, `开展${c.subject}专项检查`],
      [`关于进一步加强${c.subject}工作的通知`, `进一步加强${c.subject}工作`],
      [`关于报送${c.year}年${c.subject}工作情况的通知`, `报送${c.subject}工作情况`],
    ] as const);
    return { title, genre: '通知', body: B.notice(c, aim), numbered: true, attachment: c.r() < 0.2 ? 'form' : undefined, summary: `部署${aim}，明确工作安排、时间节点和工作要求。` };
  },
  norm(c) {
    const [title, genre, word] = pickWith(c.r, [
      [`${c.area}${c.subject}管理办法`, '办法', '办法'],
      [`${c.area}${c.subject}实施细则`, '细则', '细则'],
      [`关于进一步加强${c.subject}工作的实施意见`, '意见', '意见'],
      [`${c.area}${c.subject}若干规定`, '办法', '规定'],
    ] as const);
    return { title, genre, body: B.articles(c, word), numbered: true, category: 'a20-01', validYears: 5, summary: `规范${c.subject}，明确适用范围、职责分工、办理程序和监督管理（行政规范性文件）。` };
  },
  scheme(c) {
    const title = pickWith(c.r, [`${c.area}${c.year}年${c.subject}工作方案`, `${c.area}${c.subject}专项行动实施方案`, `${c.area}${c.subject}提升行动方案`]);
    return { title, genre: '方案', body: B.scheme(c), numbered: true, validYears: 2, attachment: c.r() < 0.25 ? 'tasks' : undefined, summary: `${c.dept}${c.year}年${c.subject}的工作目标、重点任务和时间安排。` };
  },
  bulletin(c) {
    const q = pickWith(c.r, ['', '上半年', '第一季度', '第三季度', '1—10月']);
    return { title: `关于${c.year}年${q}${c.subject}工作情况的通报`, genre: '通报', body: B.bulletin(c), numbered: true, summary: `通报${c.year}年${q}${c.subject}工作情况、存在问题和下一步要求。` };
  },
  report(c) {
    return { title: `${c.org}${c.year}年工作总结和${c.year + 1}年工作计划`, genre: '报告', body: B.review(c), numbered: false, category: 'a20-15', summary: `${c.dept}${c.year}年工作完成情况、存在问题和${c.year + 1}年工作安排。` };
  },
  budget(c) {
    const final = c.r() < 0.45;
    const y = final ? c.year - 1 : c.year;
    return { title: `${c.org}${y}年部门${final ? '决算' : '预算'}公开说明`, genre: '其他', body: B.budget(c, y, final), numbered: false, topic: '0401', category: 'a20-07', attachment: 'budget', summary: `${c.dept}${y}年收支${final ? '决算' : '预算'}、“三公”经费和政府采购情况。` };
  },
  plan(c) {
    const title = pickWith(c.r, [`示范新区${c.subject}“十四五”规划`, `示范新区${c.subject}专项规划（2021—2025年）`, `示范新区${c.subject}发展规划（2026—2030年）`]);
    return { title, genre: '规划', body: B.plan(c), numbered: true, category: 'a20-03', validYears: 5, summary: `${c.subject}的发展基础、总体要求、主要任务和保障措施。` };
  },
  announce(c) {
    const k = intWith(c.r, 1, 12);
    const special: Record<string, string[]> = {
      zrzy: [`示范新区${c.year}年第${k}批次城镇建设用地土地征收公告`, `关于${c.year}年第${k}批次征收土地补偿安置方案的公告`, `不动产登记公告（${c.year}年第${k}号）`],
      jyj: [`示范新区${c.year}年义务教育阶段学校招生入学公告`, `示范新区${c.year}年普惠性民办幼儿园认定结果公告`],
      rsj: [`示范新区${c.year}年第${k}批就业见习基地公告`, `示范新区${c.year}年度技能人才评价机构公告`],
      mzj: [`示范新区${c.year}年第${k}批社会组织成立登记公告`, `示范新区${c.year}年社会组织年度检查结果公告`],
      sthj: [`示范新区${c.year}年第${k}批建设项目环境影响评价文件审批公告`, `示范新区${c.year}年重点排污单位名录公告`],
      xzsp: [`示范新区${c.year}年第${k}期行政许可结果公告`, `关于调整部分政务服务事项办理时限的公告`],
      whly: [`示范新区${c.year}年第${k}批A级旅游景区评定结果公告`, `示范新区${c.year}年文化惠民演出季公告`],
      jtj: [`关于${c.year}年调整部分公交线路的公告`, `关于园区一路${c.year}年大中修工程期间交通管制的公告`],
      zjj: [`示范新区${c.year}年保障性租赁住房项目认定公告`, `关于${c.year}年度物业服务企业信用评价结果的公告`],
    };
    const title = pickWith(c.r, special[c.code] ?? [`关于${c.year}年${c.subject}有关事项的公告`]);
    return { title, genre: '公告', body: B.announcement(c, title), numbered: c.r() < 0.5, attachment: c.r() < 0.3 ? 'list' : undefined, summary: `${title.replace(/的公告$|公告$/, '')}。` };
  },
  circular(c) {
    const title = pickWith(c.r, [`关于开展${c.subject}专项整治的通告`, `关于${c.year}年${c.subject}期间有关事项的通告`]);
    return { title, genre: '通告', body: B.circular(c), numbered: true, summary: `告知社会${c.subject}相关禁止性规定、整治时间和举报渠道。` };
  },
  tender(c) {
    const p = project(c);
    const [title, result] = pickWith(c.r, [[`${p}项目公开招标公告`, false], [`${p}项目中标结果公告`, true], [`${p}项目竞争性磋商公告`, false], [`${p}项目成交结果公告`, true]] as const);
    return { title: `${title.replace(/^示范新区/, '')}（${c.year}）`, genre: '公告', body: B.tender(c, p, result, company(c.r)), numbered: false, category: 'a20-09', attachment: result ? undefined : 'tender', summary: `${p}项目${result ? '采购结果' : '采购需求、投标人资格和投标方式'}。` };
  },
  appoint(c) {
    const n = intWith(c.r, 1, 4);
    const people = Array.from({ length: n }, () => B.personName(c.r));
    return { title: n > 1 ? `关于${people[0]}等同志职务任免的通知` : `关于${people[0]}同志任职的通知`, genre: '通知', body: B.appointments(c, people), numbered: true, topic: '1503', category: 'a20-02', summary: `${people.join('、')}同志职务任免。` };
  },
  recruit(c) {
    const shortlist = c.r() < 0.4;
    const title = shortlist ? `${c.org}${c.year}年所属事业单位公开招聘拟聘用人员公示` : `${c.org}${c.year}年所属事业单位公开招聘工作人员公告`;
    return { title, genre: shortlist ? '其他' : '公告', body: B.recruitment(c, shortlist), numbered: false, topic: '1503', category: 'a20-14', attachment: shortlist ? undefined : 'list', summary: shortlist ? '公示拟聘用人员名单，接受社会监督。' : '招聘岗位、条件、报名方式和考试安排。' };
  },
  stats(c) {
    const m = intWith(c.r, 1, 11);
    const [title, annual] = pickWith(c.r, [[`示范新区${c.year - 1}年国民经济和社会发展统计公报`, true], [`示范新区${c.year}年1—${m}月主要经济指标`, false], [`${c.year}年前三季度示范新区经济运行情况`, false]] as const);
    return { title, genre: annual ? '公报' : '其他', body: B.statistics(c, annual), numbered: false, topic: '0306', category: 'a20-04', summary: annual ? '全年经济社会发展主要统计数据。' : '地区生产总值、工业、投资、消费等主要指标。' };
  },
  inspect(c) {
    const k = intWith(c.r, 1, 24);
    const title = pickWith(c.r, c.code === 'scjg' ? [`${c.year}年第${k}期食品安全监督抽检信息公告`, `${c.year}年第${k}期产品质量监督抽查结果公告`] : c.code === 'sthj' ? [`${c.year}年${intWith(c.r, 1, 12)}月示范新区环境空气质量状况`, `${c.year}年第${intWith(c.r, 1, 4)}季度重点排污单位监督性监测结果`] : c.code === 'wjj' ? [`${c.year}年第${intWith(c.r, 1, 4)}季度医疗卫生监督检查结果公示`] : [`${c.year}年第${k}期${c.subject}结果公告`]);
    return { title, genre: '公告', body: B.inspection(c, company), numbered: false, category: 'a20-13', attachment: c.r() < 0.4 ? 'list' : undefined, summary: `${title}：检查（抽检）数量、合格情况和不合格项目的处置。` };
  },
  penalty(c) {
    const who = company(c.r);
    return { title: `${who}行政处罚决定信息公开（${c.year}）`, genre: '其他', body: B.penalty(c, who), numbered: false, category: 'a20-06', summary: `当事人${who}的违法事实、处罚依据和处罚内容。` };
  },
  reply(c) {
    const p = project(c);
    const title = pickWith(c.r, [`关于${p}项目可行性研究报告的批复`, `关于同意${p}项目立项的批复`, `关于${p}项目初步设计及概算的批复`]);
    return { title, genre: '批复', body: B.approval(c, p), numbered: true, category: 'a20-10', summary: `${p}项目的建设内容、投资估算和资金来源。` };
  },
  letter(c) {
    const [title, draft] = pickWith(c.r, [[`关于商请协助做好${c.subject}工作的函`, false], [`关于征求《示范新区${c.subject}管理办法（征求意见稿）》意见的函`, true], [`关于${c.subject}有关问题的复函`, false]] as const);
    return { title, genre: '函', body: B.letter(c, draft), numbered: true, summary: draft ? `征求对${c.subject}管理办法（征求意见稿）的意见。` : `商请有关单位配合做好${c.subject}工作。` };
  },
  prepare(c) {
    const title = pickWith(c.r, [`示范新区${c.subject}应急预案`, `示范新区${c.subject}专项应急预案（${c.year}年修订）`]);
    return { title, genre: '其他', body: B.contingency(c), numbered: true, category: 'a20-12', validYears: 3, summary: `${c.subject}突发事件的组织体系、预警、响应分级和处置流程。` };
  },
};
