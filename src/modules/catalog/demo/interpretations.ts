// Demo 政策解读 written for the demo's own policies: each is found among the published documents
// by its subject (whatever the document generator produced), interpreted in text or in questions
// and answers, and linked to it both ways (the policy's page lists its 解读, the 解读 names its
// policy). Runs after the catalog's demo documents; a subject with no policy is skipped.
import type { Platform } from '../../../platform/platform.js';
import { publishApprovedMany, defaultMeta, type ApprovedItem } from '../../../platform/publication/index.js';
import { bumpGeneration } from '../../../platform/publication/cache.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { DOCUMENT, textToHtml, type DocumentData } from '../items.js';
import '../../../platform/publication/schema.js';

interface Spec {
  /** Words of the policy's title, tried in turn. */
  subjects: string[];
  form: 'text' | 'qa';
  keywords: string[];
  /** The interpretation's paragraphs; {policy} is the policy's title. */
  body: string[];
  qa?: { q: string; a: string }[];
}

const SPECS: Spec[] = [
  {
    subjects: ['营商环境'],
    form: 'text',
    keywords: ['营商环境', '政策解读'],
    body: [
      '一、出台背景',
      '为持续打造市场化、法治化、国际化一流营商环境，回应经营主体在开办企业、获得用地、融资和政务服务等方面的集中诉求，新区制定了{policy}。',
      '二、主要内容',
      '文件从政务服务、要素保障、市场监管和权益保护四个方面提出具体措施：企业开办压缩至1个工作日内办结；社会投资低风险工程建设项目审批全流程不超过15个工作日；对新设经营主体实行首次轻微违法不予处罚清单。',
      '三、惠及对象',
      '在新区登记注册的各类企业、个体工商户和农民专业合作社均可享受相关措施。',
      '四、咨询方式',
      '政策执行中的问题可向发展和改革局咨询，也可拨打12345热线反映。',
    ],
  },
  {
    subjects: ['最低生活保障', '临时救助', '社会救助'],
    form: 'qa',
    keywords: ['社会救助', '低保', '政策问答'],
    body: ['为便于群众了解{policy}，现就群众关心的问题解答如下。'],
    qa: [
      { q: '哪些家庭可以申请？', a: '共同生活的家庭成员人均收入低于新区最低生活保障标准，且家庭财产符合规定条件的，可以申请。' },
      { q: '到哪里申请？', a: '向户籍所在地或者经常居住地的街道办事处提出申请，也可以委托社区居民委员会代为提出。' },
      { q: '多长时间办结？', a: '街道办事处自受理申请之日起在规定时限内完成审核，民政局审批后按月发放。' },
    ],
  },
  {
    subjects: ['义务教育招生入学', '学前教育'],
    form: 'text',
    keywords: ['招生入学', '教育', '政策解读'],
    body: [
      '一、制定目的',
      '为保障适龄儿童少年依法接受义务教育，推进义务教育优质均衡发展，教育局制定了{policy}。',
      '二、主要变化',
      '今年起全面实行网上报名，学区划分和学位情况在报名前向社会公布；随迁子女凭居住证明和社保缴纳证明即可报名，不再要求提供其他材料。',
      '三、时间安排',
      '报名、审核、录取结果公布的具体时间以教育局发布的公告为准。',
    ],
  },
  {
    subjects: ['老旧小区改造'],
    form: 'qa',
    keywords: ['老旧小区改造', '城市更新', '政策问答'],
    body: ['{policy}印发后，不少居民关心改造内容和费用分担，现解答如下。'],
    qa: [
      { q: '哪些小区纳入改造？', a: '2000年底前建成、失养失修失管、市政配套设施不完善的住宅小区，根据居民改造意愿分批纳入。' },
      { q: '改造哪些内容？', a: '基础类改造包括供水、排水、供电、燃气等管线和屋面防水；完善类包括加装电梯、停车设施、无障碍设施等。' },
      { q: '居民需要出资吗？', a: '基础类改造由政府投资为主；加装电梯等完善类项目按照“谁受益、谁出资”的原则合理分担。' },
    ],
  },
  {
    subjects: ['家庭医生签约服务', '基本公共卫生服务'],
    form: 'text',
    keywords: ['家庭医生', '卫生健康', '政策解读'],
    body: [
      '一、文件要点',
      '{policy}明确，新区居民可自愿与社区卫生服务中心的家庭医生团队签约，重点人群签约服务覆盖率逐年提高。',
      '二、签约后能享受什么服务',
      '签约居民可享受健康评估、慢性病随访、预约转诊、长期处方和上门服务等，基本服务包费用由基本公共卫生服务经费和医保基金支付。',
      '三、怎样签约',
      '居民可携带身份证件到就近的社区卫生服务中心签约，也可由家庭医生团队入户签约。',
    ],
  },
  {
    subjects: ['稳就业促就业', '根治欠薪'],
    form: 'qa',
    keywords: ['就业', '人社', '政策问答'],
    body: ['围绕{policy}，就企业和劳动者关心的问题解答如下。'],
    qa: [
      { q: '企业吸纳高校毕业生有哪些补贴？', a: '企业招用毕业年度或离校两年内未就业高校毕业生，签订一年以上劳动合同并按规定缴纳社会保险的，可申请一次性吸纳就业补贴。' },
      { q: '到哪里申请？', a: '通过人力资源和社会保障局的经办窗口提交申请材料，审核通过后补贴直接拨付至企业账户。' },
    ],
  },
];

export async function loadDemoInterpretations(p: Platform): Promise<number> {
  const used = new Set<number>();
  const items: ApprovedItem[] = [];
  const now = Date.now();
  for (const s of SPECS) {
    let pol = null;
    for (const w of s.subjects) {
      pol = await p.db
        .selectFrom('pub_items')
        .select(['id', 'title', 'department_id', 'topic', 'category', 'first_published_at'])
        .where('public', '=', 1)
        .where('type', '=', DOCUMENT)
        .where('genre', 'in', ['意见', '办法', '方案', '通知', '规划', '决定'])
        .where('validity', '=', 'valid')
        .where('title', 'like', `%${w}%`)
        .orderBy('first_published_at', 'desc')
        .executeTakeFirst();
      if (pol && !used.has(pol.id)) break;
      pol = null;
    }
    if (!pol) continue;
    used.add(pol.id);
    const policy = `《${pol.title.replace(/^关于印发《(.*)》的通知$/, '$1')}》`;
    const publishedAt = new Date(Math.min(Date.parse(pol.first_published_at ?? new Date(now).toISOString()) + 2 * 86400_000, now - 3600_000));
    const data: DocumentData = {
      body: textToHtml(s.body.map((x) => x.replace('{policy}', policy)).join('\n')),
      attachments: [],
      related: [],
      interpretation: { form: s.form, of: [pol.id], ...(s.qa ? { qa: s.qa } : {}) },
    };
    const day = shanghaiDate(publishedAt.toISOString());
    items.push({
      type: DOCUMENT,
      departmentId: pol.department_id,
      meta: defaultMeta({
        title: `${s.form === 'qa' ? '问答：' : ''}${policy}政策解读`,
        docNo: '',
        topic: pol.topic,
        genre: '解读',
        category: pol.category,
        writtenAt: day,
        formedAt: day,
        keywords: s.keywords,
        summary: `对${policy}出台背景、主要内容和办理方式的解读。`,
      }),
      data,
      publishedAt,
    });
  }
  if (!items.length) return 0;
  await p.tx((t) => publishApprovedMany(p, t, 'demo', items, { audit: 'summary', deliver: false })); // demo history: no channel delivery
  bumpGeneration();
  return items.length;
}
