// What the demo year's replies say: per reply type the fields its letter needs (service/reply-types.ts)
// filled plausibly for the request — how and where to obtain the information, the public catalog
// document of the department it asked for, the withheld parts with their grounds and reasons as offices
// write them, the agency that holds it — and the case numbers of reviews and suits. Deterministic
// with the generator given.
import { intWith, pickWith } from '../../../platform/random.js';
import type { PlannedRequest, PlannedReview } from './plan.js';

export interface Draft {
  type: string;
  fields: Record<string, string>;
  withheld: { part: string; ground: string; reason: string }[];
  itemIds: number[];
}

/** A public catalog item of the handling department. */
export interface CatalogItem {
  id: number;
  title: string;
}

const HOW: Record<string, string[]> = {
  email: ['已通过电子邮件将相关信息的电子文本发送至你（单位）预留的电子邮箱。', '相关信息的扫描件已随本告知书通过电子邮件发送，请注意查收。'],
  post: ['相关信息的纸质复印件随本告知书一并邮寄。', '相关信息共{n}页，复印件已随本告知书以EMS邮寄至你（单位）提供的地址。'],
  pickup: ['请携带身份证明于工作日到示范新区政务服务中心依申请公开窗口领取纸质复印件。', '相关信息的复印件已备好，请于工作日上午8:30—12:00、下午13:00—17:00到本机关办公室领取。'],
  fax: ['相关信息已随本告知书传真至你（单位）预留的传真号码。'],
  online: ['相关信息的电子文本已备好，请凭受理编号和查询码于工作日到示范新区政务服务中心依申请公开窗口拷贝，或来电（0411-12345002）约定以电子邮件发送。'],
};

const GROUND_REASONS: Record<string, string[]> = {
  'withheld.state-secret': ['经保密审查，该信息已依法确定为秘密级国家秘密，保密期限尚未届满。', '该信息为上级机关确定密级的涉密文件，经本机关保密审查，不得公开。'],
  'withheld.prohibited-by-law': ['根据《中华人民共和国统计法》第三十九条，统计调查中获得的能够识别或者推断单个统计调查对象身份的资料，任何单位和个人不得对外提供。', '该档案尚在《中华人民共和国档案法》规定的封闭期内，不得对外提供。', '该信息属于《中华人民共和国个人信息保护法》规定的敏感个人信息，法律禁止向他人提供。'],
  'withheld.three-safeties': ['该信息涉及重点防护目标的具体位置和安保措施，公开后可能危及公共安全。', '该信息涉及城市供水、供气管网关键节点的布局，公开后可能危及公共安全和社会稳定。'],
  'withheld.third-party': ['该信息涉及第三方的商业秘密，经书面征求第三方意见，第三方不同意公开，且本机关认为不公开不会对公共利益造成重大影响。', '该信息包含相关自然人的姓名、身份证号码、家庭住址等个人隐私，经征求意见，权利人不同意公开。'],
  'withheld.internal-affairs': ['所申请信息属于本机关人事管理、后勤管理方面的内部事务信息，对外部不产生直接约束力。', '所申请的是本机关内部工作流程和内部管理制度，属于内部事务信息。'],
  'withheld.process-info': ['所申请信息为本机关在履行行政管理职能过程中形成的讨论记录和征求意见稿，属于过程性信息。', '所申请的会议纪要属于研究讨论过程中形成的内部文稿，会议确定的事项已另行公开。', '该方案尚在研究论证中，未最终形成，属于过程性信息。'],
  'withheld.enforcement-file': ['所申请信息为本机关行政处罚案件的调查询问笔录、现场检查记录等执法案卷材料，属于行政执法案卷信息。', '所申请的是行政检查案卷中的证据材料，属于行政执法案卷信息。'],
};

/** Withheld parts of a partial disclosure, by ground: [the part, the reason]. */
const PARTS: Record<string, [string, string][]> = {
  'withheld.third-party': [
    ['相关自然人的姓名、身份证号码、联系电话及家庭住址', '属于个人隐私，经征求意见，权利人不同意公开，已作遮盖处理。'],
    ['企业的财务数据、报价明细及技术参数', '属于企业商业秘密，经书面征求意见，该企业不同意公开。'],
    ['被征收人的房屋评估明细及补偿金额', '涉及被征收人个人财产信息，经征求意见，权利人不同意公开。'],
  ],
  'withheld.process-info': [
    ['各部门征求意见的反馈材料', '属于行政机关在履行行政管理职能过程中形成的过程性信息。'],
    ['会议讨论过程中的发言记录', '属于研究讨论过程中形成的过程性信息，会议确定的事项已在提供的文件中体现。'],
    ['方案初稿及历次修改稿', '属于方案形成过程中的过程性信息，本机关提供最终印发的文本。'],
  ],
};

const SEARCHED = ['本机关{y}年以来的收文、发文登记簿及档案目录', '本机关业务系统、档案室及相关业务科室', '本机关{y}年至今的文件汇编、会议纪要及项目档案', '本机关档案室的纸质档案及办公自动化系统的电子文件'];
const NEEDS_CREATION = [
  '所申请的是对多个年度数据的汇总统计，本机关未制作相应统计表，需对现有信息进行加工、分析后方可提供。',
  '所申请的分街道、分项目对比分析材料，本机关没有现成信息，需另行汇总制作。',
  '本机关掌握的为逐项审批的原始材料，你（单位）要求按行业、金额区间分类统计，需另行加工。',
];
const REGISTRIES: Record<string, string> = {
  property: '不动产登记资料的查询，请依照《不动产登记暂行条例》及《不动产登记资料查询暂行办法》的规定，持身份证明到示范新区不动产登记中心（政务大道1号政务服务中心二楼）申请查询。',
  company: '市场主体登记档案的查询，请依照《中华人民共和国市场主体登记管理条例》及其实施细则的规定，到示范新区市场监督管理局登记档案查询窗口申请查询。',
  archive: '该信息已作为档案移交示范新区档案馆，请依照《中华人民共和国档案法》的规定到区档案馆申请利用。',
};
const PUBLICATIONS = ['示范新区年鉴（{y}）', '示范新区统计年鉴（{y}）', '示范新区志（2010—2020）'];
const CONFIRM = ['你（单位）要求本机关对已获取的文件加盖公章予以确认，不属于政府信息公开申请的范围。', '你（单位）要求本机关重新出具已于此前提供的批复文件并予以确认，不属于政府信息公开申请的范围。'];
const OTHER = ['你（单位）在本机关作出答复前以书面形式撤回申请，本机关终止处理。', '所申请信息已作为档案移交示范新区档案馆，请依照《中华人民共和国档案法》有关规定到区档案馆查阅。'];
/** Agencies a request may belong to instead (not ours, Art. 36 (5)): [name, contact]. */
const OTHER_AGENCIES: [string, string][] = [
  ['大连市自然资源局', '0411-82345600'],
  ['大连市住房和城乡建设局', '0411-82345700'],
  ['示范新区住房和城乡建设局', '0411-12345070'],
  ['示范新区自然资源分局', '0411-12345140'],
  ['示范新区财政局', '0411-12345020'],
  ['大连市市场监督管理局', '0411-82345800'],
  ['示范新区新胜街道办事处', '0411-12345202'],
];

const fill = (s: string, y: string, n = '') => s.replaceAll('{y}', y).replaceAll('{n}', n);

/** The reply's type, fields, withheld parts and items for a planned request. */
export function draftFor(r: () => number, pr: PlannedRequest, type: string, ground: string | undefined, ctx: { item: CatalogItem | null; department: string; earlier: { no: string; on: string } }): Draft {
  const y = pr.arrivedOn.slice(0, 4);
  const itemIds = ctx.item ? [ctx.item.id] : [];
  const how = fill(pickWith(r, HOW[pr.channelWanted] ?? HOW.online), y, String(intWith(r, 8, 60)));
  const base = { type, fields: {} as Record<string, string>, withheld: [] as Draft['withheld'], itemIds: [] as number[] };
  switch (type) {
    case 'disclosed':
      return { ...base, fields: { how } };
    case 'already-public':
      return { ...base, fields: { where: `示范新区人民政府门户网站“政府信息公开”专栏—${ctx.department}—法定主动公开内容${r() < 0.3 ? '；也可到示范新区政务服务中心政府信息公开查阅点查阅' : ''}。` }, itemIds };
    case 'partly-disclosed': {
      const parts = PARTS[ground ?? 'withheld.third-party'] ?? PARTS['withheld.third-party'];
      // A third party's part that fits the information: the expropriated, a company, a person.
      const fits = ground === 'withheld.third-party' ? parts[/征收|拆迁|补偿/.test(pr.infoName) ? 2 : /公司|企业|项目|许可|招标|采购/.test(pr.infoName) ? 1 : 0] : null;
      const first = fits ?? pickWith(r, parts);
      const withheld = [{ part: first[0], ground: ground ?? 'withheld.third-party', reason: first[1] }];
      if (ground === 'withheld.process-info' && r() < 0.4) withheld.push({ part: PARTS['withheld.third-party'][0][0], ground: 'withheld.third-party', reason: PARTS['withheld.third-party'][0][1] });
      return { ...base, fields: { how }, withheld };
    }
    case 'withheld': {
      const g = ground ?? 'withheld.process-info';
      return { ...base, fields: { ground: g, reason: pickWith(r, GROUND_REASONS[g]) } };
    }
    case 'special-registry':
      return { ...base, fields: { registry: ['zrzy', 'zjj', 'government'].includes(pr.agency) ? REGISTRIES.property : ['scjg', 'xzsp'].includes(pr.agency) ? REGISTRIES.company : REGISTRIES.archive } };
    case 'not-held':
      return { ...base, fields: { searched: `检索了${fill(pickWith(r, SEARCHED), String(Number(y) - intWith(r, 2, 6)))}` } };
    case 'not-ours': {
      if (r() < 0.2) return { ...base, fields: { undetermined: '所述事项涉及多个单位的职责，且你（单位）未说明所需信息的制作机关，本机关无法确定负责公开该信息的行政机关。' } };
      const [agency, agencyContact] = pickWith(r, OTHER_AGENCIES.filter(([a]) => !ctx.department || !a.endsWith(ctx.department)));
      return { ...base, fields: { agency, agencyContact } };
    }
    case 'needs-creation':
      return { ...base, fields: { reason: pickWith(r, NEEDS_CREATION) } };
    case 'unclear':
      return { ...base, fields: { reason: '你（单位）补正后仍未说明所需信息的名称、文号或者其他特征描述，本机关无法确定所申请的政府信息。' } };
    case 'repeat':
      return { ...base, fields: { earlierNo: ctx.earlier.no, earlierOn: ctx.earlier.on } };
    case 'publication':
      return { ...base, fields: { publication: fill(pickWith(r, PUBLICATIONS), String(Number(y) - 1)), where: '可到示范新区图书馆地方文献阅览室查阅，或向出版单位购买。' } };
    case 'excessive':
      return { ...base, fields: { reason: `你（单位）在${intWith(r, 1, 3)}个月内向本机关提出内容相近的政府信息公开申请${intWith(r, 18, 60)}件，经本机关书面要求说明理由，你（单位）未能说明。` } };
    case 'confirm-or-reissue':
      return { ...base, fields: { reason: pickWith(r, CONFIRM) } };
    default:
      return { ...base, type: 'other', fields: { reason: pickWith(r, OTHER) } };
  }
}

/** The handler's note with a consultation's answer. */
export const ANSWER_NOTES: Record<string, string[]> = {
  objection: ['第三方书面回复不同意公开涉及其商业秘密的内容。', '权利人书面回复不同意公开其个人信息。'],
  consent: ['书面回复同意公开。', '回函无不同意见。'],
  'no-opinion': ['回函表示无意见，由本机关依法决定。'],
};

/** A case number as the review body or court writes it. */
export function caseNo(r: () => number, v: PlannedReview): string {
  const y = v.filedOn.slice(0, 4);
  if (v.kind === 'review') return v.body.startsWith('大连市') ? `大政复〔${y}〕${intWith(r, 20, 480)}号` : `示新管复〔${y}〕${intWith(r, 1, 60)}号`;
  const court = v.body.includes('中山区') ? '辽0202' : v.body.includes('西岗区') ? '辽0203' : '辽0204';
  return `（${y}）${court}行初${intWith(r, 10, 300)}号`;
}
