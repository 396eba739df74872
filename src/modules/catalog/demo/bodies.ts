// Section texts of the demo documents: each function writes the body of one kind of document
// (lines become paragraphs) from the department's tasks, laws and subject, with the number of
// sections, articles and figures drawn from the seeded source, so lengths vary as they do in a
// real catalog.
import { intWith, pickWith, sampleWith } from '../../../platform/random.js';
import { GIVEN, SURNAMES, type DocContext } from './vocab.js';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十', '二十一', '二十二', '二十三', '二十四', '二十五', '二十六', '二十七', '二十八', '二十九', '三十'];
const num = (i: number) => CN[i] ?? String(i + 1);
const money = (r: () => number, lo: number, hi: number) => (lo + r() * (hi - lo)).toFixed(2);
const pct = (r: () => number, lo: number, hi: number) => (lo + r() * (hi - lo)).toFixed(1);

export const personName = (r: () => number) => pickWith(r, SURNAMES.split('')) + pickWith(r, GIVEN);
const phone = (c: DocContext) => `0411-8${intWith(c.r, 100, 999)}${intWith(c.r, 1000, 9999)}`;
const signature = (c: DocContext) => `${c.dept}\n${c.date.slice(0, 4)}年${Number(c.date.slice(5, 7))}月${Number(c.date.slice(8, 10))}日`;

/** Elaborations of a task: how it is done, by whom, by when. */
const HOW = [
  '由{dept}牵头，各有关单位按职责分工配合落实',
  '建立工作台账，明确责任人和完成时限，实行清单化管理',
  '{year}年底前完成，并纳入年度绩效考核',
  '每季度通报一次进展情况，对进度滞后的单位进行督办',
  '充分运用信息化手段，实现数据共享、全程留痕',
  '及时总结推广好的经验做法，形成可复制的制度成果',
  '同步做好政策解读和宣传引导，回应社会关切',
];
const how = (c: DocContext) => pickWith(c.r, HOW).replace('{dept}', c.dept).replace('{year}', String(c.year));

function taskSections(c: DocContext, min: number, max: number): string[] {
  const tasks = sampleWith(c.r, c.v.tasks, intWith(c.r, min, Math.min(max, c.v.tasks.length)));
  return tasks.map((t, i) => `（${num(i)}）${t}。${how(c)}。${c.r() < 0.5 ? how(c) + '。' : ''}${c.r() < 0.3 ? how(c) + '。' : ''}`);
}

const MEASURES = ['加强组织领导。各单位主要负责同志是第一责任人，要亲自部署、亲自过问，确保各项任务落到实处。', '强化督促检查。新区党政办公室会同有关部门适时开展督查，对工作推进不力的单位予以通报。', '加强宣传引导。通过政府网站、政务新媒体等渠道及时发布工作进展，营造良好氛围。', '强化要素保障。财政部门要统筹安排工作经费，保障各项任务顺利实施。', '严格考核问责。将工作落实情况纳入年度绩效考核，对履职不力的依规依纪追责。'];
const measures = (c: DocContext, k: number) => sampleWith(c.r, MEASURES, k).map((m, i) => `（${num(i)}）${m}`);

export function issued(c: DocContext, inner: string): string {
  const lines = ['各街道办事处，新区各部门、各直属单位：', `现将《${inner}》印发给你们，请结合实际认真贯彻落实。`, signature(c), inner];
  lines.push('一、总体要求', `以${c.v.laws[0]}为依据，坚持以人民为中心，坚持问题导向和目标导向，到${c.year + intWith(c.r, 1, 3)}年，${c.subject}工作机制基本健全，群众和企业满意度达到${intWith(c.r, 85, 98)}%以上。`);
  lines.push('二、主要任务', ...taskSections(c, 2, 6));
  lines.push('三、保障措施', ...measures(c, intWith(c.r, 2, 4)));
  return lines.join('\n');
}

export function notice(c: DocContext, aim: string): string {
  const m = intWith(c.r, 2, 9);
  return [
    '各街道办事处，新区各有关部门：',
    `为${aim}，根据${pickWith(c.r, c.v.laws)}和上级有关要求，现将有关事项通知如下：`,
    `一、工作目标\n${c.r() < 0.5 ? `全面排查${c.subject}工作中的薄弱环节，` : ''}确保${c.year}年${c.subject}各项指标全面完成。`,
    '二、工作安排',
    `（一）自查阶段（${m}月${intWith(c.r, 1, 15)}日前）。各单位对照任务清单开展自查，形成自查报告。`,
    `（二）检查阶段（${m + 1}月）。${c.dept}组织对各单位进行抽查，抽查比例不低于${intWith(c.r, 20, 50)}%。`,
    ...(c.r() < 0.6 ? [`（三）总结阶段（${Math.min(12, m + 2)}月）。各单位报送工作总结，${c.dept}汇总后通报。`] : []),
    '三、工作要求',
    ...taskSections(c, 1, 3),
    `联系人：${personName(c.r)}，联系电话：${phone(c)}。`,
    signature(c),
  ].join('\n');
}

/** A 规范性文件 in articles (条), some in chapters. */
export function articles(c: DocContext, word: string): string {
  const law = pickWith(c.r, c.v.laws);
  const arts = [
    `为了规范${c.subject}工作，保障公民、法人和其他组织的合法权益，根据${law}等法律法规，结合本区实际，制定本${word}。`,
    `本${word}适用于本区行政区域内${c.subject}及其监督管理活动。`,
    `${c.dept}负责本区${c.subject}工作的组织实施和监督管理。发展改革、财政、市场监管等部门按照各自职责做好相关工作。各街道办事处负责辖区内的具体工作。`,
    ...sampleWith(c.r, c.v.tasks, intWith(c.r, 2, c.v.tasks.length)).map((t) => `${c.dept}应当${t.replace(/^推进|^推行/, '推进')}。具体办法由${c.dept}另行制定并向社会公布。`),
    `办理${c.subject}相关事项，申请人应当如实提交材料。材料齐全、符合法定形式的，应当当场受理；不予受理的，应当一次性书面告知理由。`,
    `${c.dept}应当自受理之日起${intWith(c.r, 5, 20)}个工作日内作出决定，并通过新区政府门户网站公开办理结果。`,
    `公民、法人或者其他组织对${c.subject}工作有意见建议的，可以通过12345热线或者新区政府门户网站反映。`,
    `违反本${word}规定的，由有关部门依照${law}等法律法规予以处理；构成犯罪的，依法追究刑事责任。`,
    `工作人员在${c.subject}工作中滥用职权、玩忽职守、徇私舞弊的，依法依规给予处分。`,
    ...sampleWith(c.r, [
      `${c.dept}应当建立${c.subject}工作档案，对办理过程和结果全程记录，档案保存期限不少于十年。`,
      `${c.dept}应当依法公开${c.subject}的依据、条件、程序、时限和办理结果，涉及国家秘密、商业秘密和个人隐私的除外。`,
      `${c.dept}应当会同有关部门建立${c.subject}信用管理制度，对守信主体实行容缺受理等激励措施，对严重失信主体依法实施约束。`,
      `${c.dept}应当采取“双随机、一公开”方式，对${c.subject}有关活动进行监督检查，检查结果记入相关主体信用记录。`,
      `各街道办事处应当明确专门人员，协助做好辖区内${c.subject}的宣传、摸排和信息报送工作。`,
      `${c.subject}所需经费列入部门预算，专款专用，接受财政、审计部门的监督。`,
      `对在${c.subject}工作中成绩突出的单位和个人，按照国家有关规定给予表彰奖励。`,
    ], intWith(c.r, 0, 5)),
    `本${word}由${c.dept}负责解释。`,
    `本${word}自${c.year}年${intWith(c.r, 1, 12)}月1日起施行，有效期5年。`,
  ];
  const chapters = arts.length > 10 && c.r() < 0.5;
  const out: string[] = [];
  arts.forEach((a, i) => {
    if (chapters && i === 0) out.push('第一章 总则');
    if (chapters && i === 3) out.push('第二章 职责和任务');
    if (chapters && i === arts.length - 7) out.push('第三章 办理程序');
    if (chapters && i === arts.length - 4) out.push('第四章 法律责任');
    if (chapters && i === arts.length - 2) out.push('第五章 附则');
    out.push(`第${num(i)}条 ${a}`);
  });
  return out.join('\n');
}

export function scheme(c: DocContext): string {
  const start = intWith(c.r, 2, 6);
  return [
    `为扎实推进${c.subject}工作，结合新区实际，制定本方案。`,
    '一、工作目标',
    `通过${intWith(c.r, 3, 10)}个月的集中攻坚，${c.subject}突出问题得到有效解决，长效机制基本建立。`,
    '二、重点任务',
    ...taskSections(c, 2, 5),
    '三、时间安排',
    `（一）动员部署阶段（${start}月）。制定细化方案，召开动员会议。`,
    `（二）组织实施阶段（${start + 1}月至${Math.min(12, start + 5)}月）。各单位按照任务分工推进落实，每月报送进展。`,
    `（三）总结提升阶段（${Math.min(12, start + 6)}月）。全面总结，固化经验做法。`,
    '四、工作要求',
    ...measures(c, intWith(c.r, 1, 3)),
  ].join('\n');
}

export function bulletin(c: DocContext): string {
  const units = intWith(c.r, 12, 60);
  const issues = intWith(c.r, 5, 80);
  const fixed = intWith(c.r, Math.floor(issues * 0.6), issues);
  return [
    '各街道办事处，新区各有关部门：',
    `按照工作安排，${c.dept}对${c.subject}工作开展了检查。现将有关情况通报如下：`,
    `一、基本情况\n本次共检查单位${units}家，发现问题${issues}个，已整改${fixed}个，整改率${((fixed / issues) * 100).toFixed(1)}%。${c.r() < 0.5 ? `其中，${pickWith(c.r, ['海滨街道', '新胜街道', '工业园街道'])}工作扎实，成效明显，予以通报表扬。` : ''}`,
    `二、存在的问题\n${pickWith(c.r, ['个别单位思想认识不到位，工作推进缓慢。', '部分单位台账资料不完整，痕迹管理不规范。', '少数单位问题整改不彻底，存在反弹现象。'])}${c.r() < 0.5 ? '部分工作人员业务不熟，答复群众咨询不准确。' : ''}`,
    '三、下一步要求',
    ...taskSections(c, 1, 3),
    `请各单位于${intWith(c.r, 1, 12)}月${intWith(c.r, 1, 28)}日前将整改情况报${c.dept}。`,
    signature(c),
  ].join('\n');
}

export function review(c: DocContext): string {
  const done = sampleWith(c.r, c.v.tasks, intWith(c.r, 2, c.v.tasks.length));
  return [
    `一、${c.year}年工作开展情况`,
    `${c.year}年，${c.dept}围绕新区中心工作，扎实推进${c.subject}等各项工作，全年${intWith(c.r, 12, 40)}项重点任务全部完成。`,
    ...done.map((t, i) => `（${num(i)}）${t}。全年${pickWith(c.r, ['办理', '完成', '推进'])}相关事项${intWith(c.r, 20, 3000)}件，同比${c.r() < 0.8 ? '增长' : '下降'}${pct(c.r, 1, 30)}%。`),
    '二、存在的问题',
    pickWith(c.r, ['一是工作的系统性、协同性还需加强；二是基层力量相对薄弱。', '一是部分工作的信息化水平不高；二是政策宣传的精准度有待提升。', '一是群众办事的便利度仍有提升空间；二是监管手段还需创新。']),
    `三、${c.year + 1}年工作计划`,
    ...taskSections(c, 1, 4),
  ].join('\n');
}

export function budget(c: DocContext, y: number, final: boolean): string {
  const r = c.r;
  const total = Number(money(r, 800, 60000));
  const basic = (total * (0.3 + r() * 0.3)).toFixed(2);
  const word = final ? '决算' : '预算';
  return [
    '第一部分 部门概况',
    `一、主要职能\n${c.dept}负责${c.v.subjects.map((s) => s[0]).slice(0, 3).join('、')}等工作。`,
    `二、部门${word}单位构成\n纳入本部门${y}年部门${word}编制范围的单位共${intWith(r, 1, 6)}个，包括本级及所属事业单位。`,
    `第二部分 ${y}年部门${word}情况说明`,
    `一、收支${word}总体情况\n${y}年收入${word}${total.toFixed(2)}万元，支出${word}${total.toFixed(2)}万元，与上年相比${r() < 0.6 ? '增加' : '减少'}${pct(r, 0.5, 18)}%，主要原因是${pickWith(r, ['人员经费调整', '重点项目支出增加', '落实过紧日子要求压减一般性支出'])}。`,
    `二、一般公共预算支出情况\n基本支出${basic}万元，项目支出${(total - Number(basic)).toFixed(2)}万元。`,
    `三、“三公”经费${word}情况\n“三公”经费${money(r, 0, 30)}万元，其中因公出国（境）费0万元，公务用车购置及运行费${money(r, 0, 20)}万元，公务接待费${money(r, 0, 5)}万元，比上年${r() < 0.7 ? '下降' : '持平'}。`,
    `四、政府采购情况\n${y}年政府采购${word}${money(r, 0, 2000)}万元，其中授予中小企业合同金额占比${pct(r, 60, 98)}%。`,
    `五、绩效目标设置情况\n${y}年实行绩效目标管理的项目${intWith(r, 2, 40)}个，涉及资金${money(r, 100, total)}万元。`,
    '第三部分 名词解释',
    '基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。',
  ].join('\n');
}

export function plan(c: DocContext): string {
  const tasks = taskSections(c, 3, 6).map((t) => `${t}${how(c)}。${how(c)}。`);
  return [
    `${c.subject}是新区经济社会发展的重要组成部分。为明确规划期内${c.subject}的发展思路、目标和任务，依据${c.v.laws.join('、')}和《示范新区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》，编制本规划。`,
    '第一章 发展基础',
    `“十三五”以来，新区${c.subject}工作取得明显成效，主要指标年均增长${pct(c.r, 3, 12)}%，${pickWith(c.r, ['体制机制不断完善', '服务能力显著提升', '基础设施持续改善'])}。同时，也存在${pickWith(c.r, ['区域发展不平衡', '要素保障不足', '数字化水平不高'])}等问题。`,
    '第二章 总体要求',
    `到规划期末，${c.subject}主要指标达到全省先进水平，${intWith(c.r, 3, 8)}项约束性指标全部完成。`,
    '第三章 主要任务',
    ...tasks,
    ...(c.v.projects ? ['第四章 重大项目', ...sampleWith(c.r, c.v.projects, intWith(c.r, 2, c.v.projects.length)).map((p, i) => `${i + 1}. ${p}：规划期内完成投资${money(c.r, 1, 40)}亿元。`)] : []),
    `${c.v.projects ? '第五章' : '第四章'} 保障措施`,
    ...measures(c, intWith(c.r, 2, 5)),
    `${c.v.projects ? '第六章' : '第五章'} 规划实施\n本规划由${c.dept}会同有关部门组织实施，${c.year + 2}年开展中期评估，评估结果向社会公开。`,
  ].join('\n');
}

export function announcement(c: DocContext, title: string): string {
  const n = intWith(c.r, 2, 12);
  const rows = Array.from({ length: n }, (_, i) => `${i + 1}. ${pickWith(c.r, ['海滨', '新胜', '工业园', '学府', '春晖', '望海'])}${pickWith(c.r, ['片区', '地块', '社区', '项目', '单位'])}${String.fromCharCode(65 + i)}${c.r() < 0.5 ? `，面积${money(c.r, 0.2, 30)}公顷` : ''}`);
  return [
    `根据${pickWith(c.r, c.v.laws)}等规定，现将${title.replace(/^关于|的公告$|公告$/g, '')}有关事项公告如下：`,
    ...rows,
    `公告期自发布之日起${intWith(c.r, 5, 30)}日。对公告内容有异议的，请于公告期内以书面形式向${c.dept}提出。`,
    `联系电话：${phone(c)}；地址：示范新区政务大道1号。`,
    '特此公告。',
    signature(c),
  ].join('\n');
}

export function circular(c: DocContext): string {
  return [
    `为${pickWith(c.r, ['维护公共安全', '保障人民群众生命财产安全', '营造良好的生产生活秩序'])}，根据${c.v.laws.slice(0, 2).join('、')}，现就${c.subject}有关事项通告如下：`,
    `一、整治时间：${c.year}年${intWith(c.r, 1, 6)}月至${intWith(c.r, 7, 12)}月。`,
    `二、整治范围：新区行政区域内${pickWith(c.r, ['各类生产经营单位', '公共场所和经营场所', '重点区域和重点行业'])}。`,
    `三、禁止行为：${sampleWith(c.r, ['未经许可擅自从事相关经营活动', '拒绝、阻碍执法人员依法检查', '隐瞒、伪造有关情况和记录', '在禁止区域内从事相关活动', '违反安全管理规定冒险作业'], intWith(c.r, 2, 4)).join('；')}。`,
    `四、违反本通告的，由有关部门依法处理；构成违反治安管理行为的，由公安机关依法处罚。`,
    `五、欢迎社会各界监督举报，举报电话：12345。`,
    `本通告自发布之日起施行。`,
    signature(c),
  ].join('\n');
}

export function tender(c: DocContext, project: string, result: boolean, winner: string): string {
  const no = `SFXQ-${c.year}-${String(intWith(c.r, 1, 300)).padStart(3, '0')}`;
  const budget = money(c.r, 20, 3000);
  const head = [`项目编号：${no}`, `项目名称：${project}`, `预算金额：${budget}万元`];
  if (result) {
    return [...head, `中标（成交）供应商：${winner}`, `中标（成交）金额：${money(c.r, Number(budget) * 0.8, Number(budget))}万元`, `评审专家：${Array.from({ length: 5 }, () => personName(c.r)).join('、')}`, `公告期限：自本公告发布之日起1个工作日。`, `采购人：${c.dept}，联系电话：${phone(c)}。`].join('\n');
  }
  return [
    ...head,
    `一、采购需求\n${project}，${pickWith(c.r, ['服务期一年', '工期180日历天', '质保期两年'])}，具体详见招标文件。`,
    `二、申请人的资格要求\n1. 满足《中华人民共和国政府采购法》第二十二条规定；\n2. 未被列入失信被执行人、重大税收违法失信主体名单；\n3. 本项目${c.r() < 0.5 ? '专门面向中小企业采购' : '不接受联合体投标'}。`,
    `三、获取招标文件\n时间：${c.year}年${intWith(c.r, 1, 12)}月${intWith(c.r, 1, 20)}日至5个工作日内；方式：通过示范新区公共资源交易平台免费下载。`,
    `四、提交投标文件截止时间和开标时间\n投标文件递交截止时间为获取文件截止后第20日9时30分（北京时间），逾期送达的投标文件将被拒收。`,
    `五、联系方式\n采购人：${c.dept}；联系人：${personName(c.r)}；电话：${phone(c)}。`,
  ].join('\n');
}

const POSTS = ['副局长', '办公室主任', '综合科科长', '执法大队大队长', '副主任', '党组成员', '四级调研员'];
export function appointments(c: DocContext, people: string[]): string {
  const lines = ['新区各部门、各街道：', `经新区党工委${c.year}年第${intWith(c.r, 1, 30)}次会议研究决定：`];
  people.forEach((p, i) => lines.push(i % 3 === 2 ? `免去${p}同志的${pickWith(c.r, ['发展和改革局', '财政局', '教育局', '民政局'])}${pickWith(c.r, POSTS)}职务；` : `任命${p}同志为${pickWith(c.r, ['发展和改革局', '市场监督管理局', '住房和城乡建设局', '卫生健康局', '海滨街道办事处', '行政审批局'])}${pickWith(c.r, POSTS)}${c.r() < 0.3 ? '（试用期一年）' : ''}；`));
  lines.push(signature(c));
  return lines.join('\n');
}

export function recruitment(c: DocContext, shortlist: boolean): string {
  if (shortlist) {
    const n = intWith(c.r, 3, 15);
    return [
      `根据示范新区${c.year}年${c.dept}所属事业单位公开招聘工作人员公告，经笔试、面试、体检和考察，现将拟聘用人员名单公示如下：`,
      ...Array.from({ length: n }, (_, i) => `${i + 1}. ${personName(c.r)}，${pickWith(c.r, ['男', '女'])}，${pickWith(c.r, ['本科', '硕士研究生'])}，拟聘岗位：${pickWith(c.r, ['综合管理', '专业技术', '财务会计', '信息技术', '执法辅助'])}${String(intWith(c.r, 1, 20)).padStart(2, '0')}`),
      `公示期为${c.year}年${intWith(c.r, 1, 12)}月${intWith(c.r, 1, 20)}日至7个工作日。公示期间如有异议，请向${c.dept}反映，电话：${phone(c)}。`,
    ].join('\n');
  }
  return [
    `根据《事业单位人事管理条例》和《事业单位公开招聘人员暂行规定》，经研究，${c.dept}所属事业单位面向社会公开招聘工作人员${intWith(c.r, 3, 40)}名。`,
    `一、招聘岗位\n详见附件《岗位信息表》。`,
    `二、报名条件\n1. 具有中华人民共和国国籍，遵守宪法和法律；\n2. 年龄18周岁以上、35周岁以下（硕士研究生及以上学历放宽至40周岁）；\n3. 具备岗位所需的学历、专业和资格条件。`,
    `三、报名方式\n实行网上报名，报名时间为${c.year}年${intWith(c.r, 2, 10)}月${intWith(c.r, 1, 20)}日至该月${intWith(c.r, 21, 28)}日。`,
    `四、考试\n考试分为笔试和面试，笔试成绩和面试成绩各占50%。`,
    `五、体检、考察和聘用\n根据考试总成绩从高分到低分等额确定体检和考察人选，合格者办理聘用手续，试用期${pickWith(c.r, ['3', '6', '12'])}个月。`,
    `咨询电话：${phone(c)}。`,
  ].join('\n');
}

export function statistics(c: DocContext, annual: boolean): string {
  const r = c.r;
  const gdp = money(r, 1800, 2600);
  const lines = [
    annual ? `一、综合\n初步核算，全年地区生产总值${gdp}亿元，按不变价格计算，比上年增长${pct(r, 3.5, 7.5)}%。其中，第一产业增加值${money(r, 40, 90)}亿元，第二产业增加值${money(r, 800, 1200)}亿元，第三产业增加值${money(r, 800, 1300)}亿元。` : `初步统计，${c.year}年新区地区生产总值${money(r, 400, 2000)}亿元，同比增长${pct(r, 2.5, 7.5)}%。`,
    `${annual ? '二、工业和建筑业\n' : ''}规模以上工业增加值同比增长${pct(r, -2, 12)}%，其中高技术制造业增长${pct(r, 5, 25)}%。`,
    `${annual ? '三、固定资产投资\n' : ''}固定资产投资同比增长${pct(r, -5, 15)}%，其中工业投资增长${pct(r, 0, 20)}%，民间投资增长${pct(r, -3, 10)}%。`,
    `${annual ? '四、国内贸易\n' : ''}社会消费品零售总额${money(r, 100, 600)}亿元，同比增长${pct(r, 1, 9)}%。`,
    `${annual ? '五、对外经济\n' : ''}外贸进出口总额${money(r, 500, 1500)}亿元，实际使用外资${money(r, 5, 30)}亿美元。`,
  ];
  if (annual) lines.push(`六、财政\n一般公共预算收入${money(r, 100, 260)}亿元，增长${pct(r, 1, 9)}%。`, `七、人民生活\n全体居民人均可支配收入${intWith(r, 42000, 62000)}元，增长${pct(r, 3, 7)}%。城镇新增就业${intWith(r, 8000, 20000)}人。`, '注：本公报中部分数据为初步统计数，各项统计数据均未包括港澳台地区。');
  return lines.join('\n');
}

export function inspection(c: DocContext, company: (r: () => number) => string): string {
  const n = intWith(c.r, 20, 600);
  const bad = intWith(c.r, 0, Math.max(1, Math.floor(n / 40)));
  const lines = [`近期，${c.dept}组织开展${c.subject}工作，共检查（抽检）${n}批次（家），合格${n - bad}批次（家），不合格${bad}批次（家）。`];
  for (let i = 0; i < bad; i++) lines.push(`${i + 1}. ${company(c.r)}：${pickWith(c.r, ['菌落总数超标', '标签标识不符合要求', '未按规定进行定期检验', '计量器具超期未检定', '消防设施未保持完好有效', '废气排放浓度超标'])}。`);
  lines.push(bad ? `对上述不合格情况，${c.dept}已责令相关单位立即整改，并依法立案调查，处置情况将及时向社会公开。` : '本次检查未发现不合格情况。', `公众如发现违法违规行为，请拨打投诉举报电话12345。`);
  return lines.join('\n');
}

export function penalty(c: DocContext, who: string): string {
  const law = pickWith(c.r, c.v.laws);
  const fine = intWith(c.r, 2, 200) * 1000;
  return [
    `行政处罚决定书文号：${c.v.abbr.replace(/发$/, '罚')}〔${c.year}〕${intWith(c.r, 1, 400)}号`,
    `当事人：${who}`,
    `统一社会信用代码：91210200MA${String(intWith(c.r, 100000, 999999))}X${intWith(c.r, 1, 9)}`,
    `违法事实：经查，当事人${pickWith(c.r, ['未按规定履行相关义务', '超出许可范围从事经营活动', '未建立并执行进货查验记录制度', '在检查中提供虚假材料'])}，违反了${law}的有关规定。`,
    `处罚依据：${law}第${num(intWith(c.r, 10, 29))}条。`,
    `处罚内容：${c.r() < 0.3 ? '警告；' : ''}罚款人民币${fine.toLocaleString('en-US')}元${c.r() < 0.3 ? '；没收违法所得' : ''}。`,
    `处罚机关：示范新区${c.dept}`,
    `处罚决定日期：${c.date}`,
  ].join('\n');
}

export function approval(c: DocContext, project: string): string {
  const total = money(c.r, 500, 90000);
  return [
    `${pickWith(c.r, ['示范新区城市建设投资集团有限公司', '示范新区卫生健康局', '示范新区教育局', '工业园街道办事处', '示范新区交通运输局'])}：`,
    `你单位《关于${project}项目的请示》收悉。经研究，现批复如下：`,
    `一、为${pickWith(c.r, ['完善区域基础设施', '改善群众生产生活条件', '提升公共服务能力'])}，同意${project}项目。`,
    `二、主要建设内容：${pickWith(c.r, ['新建', '改扩建', '提质改造'])}相关设施${c.r() < 0.5 ? `，总建筑面积${intWith(c.r, 2000, 80000)}平方米` : ''}。`,
    `三、项目总投资${total}万元，资金来源为${pickWith(c.r, ['区级财政资金', '地方政府专项债券和区级配套资金', '企业自筹'])}。`,
    '四、请据此抓紧开展下一阶段工作，严格执行项目法人责任制、招标投标制、工程监理制和合同管理制，确保工程质量和安全。',
    signature(c),
  ].join('\n');
}

export function letter(c: DocContext, draft: boolean): string {
  return [
    `${pickWith(c.r, ['新区各有关部门', '各街道办事处', '示范新区司法局', '示范新区财政局'])}：`,
    draft
      ? `为进一步规范${c.subject}工作，我局起草了《示范新区${c.subject}管理办法（征求意见稿）》，现征求你单位意见。请于${intWith(c.r, 5, 15)}个工作日内将书面意见反馈我局，逾期视为无意见。`
      : `按照${pickWith(c.r, c.v.laws)}和新区工作安排，${c.dept}正在推进${c.subject}工作。为${pickWith(c.r, c.v.tasks)}，商请你单位给予支持配合，并明确一名联络员。`,
    `联系人：${personName(c.r)}，电话：${phone(c)}。`,
    signature(c),
  ].join('\n');
}

export function contingency(c: DocContext): string {
  return [
    '1 总则',
    `1.1 编制目的\n建立健全${c.subject}突发事件应对工作机制，最大程度减少人员伤亡和财产损失。`,
    `1.2 编制依据\n${c.v.laws.join('、')}等。`,
    `1.3 适用范围\n本预案适用于新区行政区域内${c.subject}突发事件的应对工作。`,
    '1.4 工作原则\n人民至上、生命至上；统一领导、分级负责；预防为主、平战结合。',
    `2 组织体系\n新区成立${c.subject}应急指挥部，总指挥由分管副主任担任，办公室设在${c.dept}。`,
    `3 预警\n预警级别由高到低分为一级、二级、三级和四级，分别用红色、橙色、黄色和蓝色标示。`,
    `4 应急响应\n${['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'].slice(0, intWith(c.r, 2, 4)).map((l) => `${l}级响应：${pickWith(c.r, ['由总指挥组织指挥', '由副总指挥组织指挥', '由指挥部办公室组织协调', '由属地街道组织先期处置'])}。`).join('')}`,
    '5 后期处置\n做好善后处置、调查评估和恢复重建工作。',
    `6 保障措施\n${sampleWith(c.r, ['队伍保障', '物资保障', '资金保障', '通信保障', '医疗卫生保障'], 3).join('、')}。`,
    `7 附则\n本预案由${c.dept}负责解释，自印发之日起实施。`,
  ].join('\n');
}
