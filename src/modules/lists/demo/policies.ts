// Demo economic policies (惠企政策) with their tags: the five of data.ts and more across the
// departments, each body composed of 支持对象, 支持标准, 申报条件, 申报材料, 办理流程 and contacts.
// The tags are chosen so that the demo profiles in test/lists/policies.test.ts keep their matches.
import type { PolicyTags } from '../service/policies.js';
import { POLICIES } from './data.js';

export interface DemoPolicy {
  department: string;
  title: string;
  docNo: string;
  genre: string;
  writtenAt: string;
  summary: string;
  body: string;
  tags: PolicyTags;
}

const T = (t: Partial<PolicyTags>): PolicyTags => ({ industries: [], sizes: [], locations: [], qualifications: [], subsidyType: 'grant', windowStart: null, windowEnd: null, ...t });

/** [department, title, 文号, 文种, date, whom it supports, what it gives, tags] */
const MORE: [string, string, string, string, string, string, string, PolicyTags][] = [
  ['fgj', '示范新区促进专精特新中小企业发展若干措施', '示范新区发〔2026〕15号', '通知', '2026-02-20', '在本区注册、经认定的专精特新中小企业和“小巨人”企业', '对新认定的国家级专精特新“小巨人”企业奖励50万元，省级专精特新中小企业奖励20万元', T({ sizes: ['micro', 'small', 'medium'], qualifications: ['specialised'], windowStart: '2026-03-01', windowEnd: '2027-02-28' })],
  ['fgj', '示范新区支持企业技术改造专项资金管理办法', '示范新区发改发〔2025〕21号', '办法', '2025-08-06', '实施技术改造、设备更新项目的工业企业', '按设备购置额的10%给予补助，单个项目最高300万元', T({ industries: ['C'], windowStart: '2025-09-01', windowEnd: '2027-08-31' })],
  ['fgj', '示范新区数字经济高质量发展扶持政策', '示范新区发改发〔2026〕4号', '通知', '2026-03-12', '软件和信息技术服务、互联网和数字内容企业', '对年营业收入首次突破1亿元的企业奖励100万元；对上云用数项目按投入的20%补助', T({ industries: ['I', 'M'], windowStart: '2026-04-01', windowEnd: '2027-03-31' })],
  ['fgj', '示范新区外贸企业开拓国际市场资金支持办法', '示范新区发改发〔2026〕9号', '办法', '2026-04-08', '有进出口实绩的外贸企业', '参加境外展会的展位费按70%补助，每家企业每年最高30万元', T({ qualifications: ['foreign-trade'], windowStart: '2026-05-01', windowEnd: '2027-04-30' })],
  ['czj', '示范新区政府采购支持中小企业发展实施细则', '示范新区财发〔2025〕11号', '细则', '2025-06-18', '参加政府采购活动的中小企业', '200万元以下的货物和服务采购项目原则上全部预留给中小企业；对小微企业报价给予10%—20%的价格扣除', T({ sizes: ['micro', 'small', 'medium'], subsidyType: 'other' })],
  ['czj', '示范新区首贷续贷风险补偿资金管理办法', '示范新区财发〔2026〕6号', '办法', '2026-03-05', '首次获得银行贷款或续贷的小微企业', '对合作银行发放的首贷按贷款额的2%给予企业贴息，风险补偿资金分担最高50%的损失', T({ sizes: ['micro', 'small'], subsidyType: 'loan-interest' })],
  ['czj', '示范新区创业担保贷款贴息实施细则', '示范新区财发〔2026〕12号', '细则', '2026-05-20', '首次创业的个人和吸纳就业的小微企业', '个人最高30万元、小微企业最高400万元创业担保贷款，按贷款市场报价利率减150个基点以下部分给予贴息', T({ sizes: ['micro'], qualifications: ['startup'], subsidyType: 'loan-interest', windowStart: '2026-06-01', windowEnd: '2027-12-31' })],
  ['rsj', '示范新区高校毕业生就业创业补贴实施办法', '示范新区人社发〔2026〕7号', '办法', '2026-04-15', '毕业5年内在本区创业的高校毕业生', '给予一次性创业补贴1万元；带动就业3人以上的，每人再补贴2000元', T({ qualifications: ['startup'], windowStart: '2026-05-01', windowEnd: '2027-04-30' })],
  ['rsj', '示范新区高层次人才引进奖励办法', '示范新区人社发〔2025〕18号', '办法', '2025-09-10', '引进博士、高级职称人才的高新技术企业和科技型中小企业', '按引进人才给予企业每人5万元引才奖励，人才本人享受三年住房补贴', T({ qualifications: ['high-tech', 'tech-sme', 'specialised'], subsidyType: 'talent' })],
  ['rsj', '示范新区职业技能培训补贴实施细则', '示范新区人社发〔2026〕11号', '细则', '2026-06-10', '组织职工开展技能培训的制造业、建筑业企业', '职工取得职业资格证书或职业技能等级证书的，按每人1000元至3000元给予企业培训补贴', T({ industries: ['C', 'E'], subsidyType: 'talent', windowStart: '2026-07-01', windowEnd: '2027-06-30' })],
  ['scjg', '示范新区知识产权质押融资贴息办法', '示范新区市监发〔2026〕3号', '办法', '2026-02-26', '以专利权、商标权质押获得贷款的科技型企业', '按实际支付利息的50%给予贴息，每家企业每年最高50万元', T({ qualifications: ['high-tech', 'tech-sme'], subsidyType: 'loan-interest' })],
  ['scjg', '示范新区个体工商户纾困帮扶措施', '示范新区市监发〔2025〕9号', '通知', '2025-03-28', '受经营困难影响的个体工商户', '减免部分经营场所租金，提供免费登记、年报和开业指导（申报已截止）', T({ sizes: ['micro'], windowStart: '2025-04-01', windowEnd: '2025-12-31' })],
  ['scjg', '示范新区商标品牌战略奖励办法', '示范新区市监发〔2026〕8号', '办法', '2026-05-08', '注册商标并开展品牌建设的制造业和批发零售业企业', '对新获得地理标志商标的给予20万元奖励；对马德里国际注册商标每件奖励1万元', T({ industries: ['C', 'F'] })],
  ['whly', '示范新区文旅企业纾困扶持资金管理办法', '示范新区文旅发〔2026〕2号', '办法', '2026-01-25', '住宿、餐饮和文化娱乐领域的中小文旅企业', '对开展促消费活动的企业按活动投入的30%给予补贴，每家最高20万元', T({ industries: ['R', 'H'], sizes: ['micro', 'small', 'medium'], windowStart: '2026-02-01', windowEnd: '2027-01-31' })],
  ['whly', '示范新区A级旅游景区创建奖励办法', '示范新区文旅发〔2026〕5号', '办法', '2026-03-18', '新评定为国家A级旅游景区的运营企业', '对新评定的5A级景区奖励300万元，4A级景区奖励100万元', T({ industries: ['N', 'R'], sizes: ['small', 'medium'] })],
  ['jtj', '示范新区物流企业降本增效扶持办法', '示范新区交发〔2026〕3号', '办法', '2026-04-22', '交通运输、仓储和邮政业企业', '对新购置新能源货车的按车价的10%补助；对入驻示范新区智慧物流园的企业给予两年租金减半', T({ industries: ['G'], windowStart: '2026-05-01', windowEnd: '2027-04-30' })],
  ['zjj', '示范新区建筑业企业做大做强奖励办法', '示范新区建发〔2025〕16号', '办法', '2025-07-30', '在本区注册的建筑业企业', '对年产值首次突破10亿元、50亿元的建筑业企业分别奖励50万元、200万元', T({ industries: ['E'] })],
  ['zjj', '示范新区人才公寓租赁补贴办法', '示范新区建发〔2026〕5号', '办法', '2026-03-30', '高新技术企业、专精特新企业引进的各类人才', '人才公寓租金按市场租金的50%收取，或按每月1500元发放租赁补贴，最长三年', T({ qualifications: ['high-tech', 'specialised'], subsidyType: 'premises' })],
  ['sthj', '示范新区企业环保设施升级改造补助办法', '示范新区环发〔2026〕4号', '办法', '2026-04-02', '实施超低排放、挥发性有机物治理等改造的工业企业', '按治理设施投资额的20%给予补助，单个项目最高200万元', T({ industries: ['C', 'D'], windowStart: '2026-04-15', windowEnd: '2027-03-31' })],
  ['mzj', '示范新区社会组织孵化扶持办法', '示范新区民发〔2026〕2号', '办法', '2026-02-12', '入驻社会组织孵化基地的社会组织', '提供免费办公场地和能力建设培训，对承接社区服务项目的给予每个项目最高5万元补助', T({ industries: ['S'], sizes: ['micro', 'small'], subsidyType: 'premises' })],
  ['wjj', '示范新区社会办医疗机构扶持办法', '示范新区卫健发〔2025〕10号', '办法', '2025-10-16', '在本区新设立的社会办医疗机构和托育机构', '对新纳入医保定点的社会办医疗机构给予一次性奖励10万元；普惠托育机构按每个托位1万元给予建设补助', T({ industries: ['Q'], sizes: ['micro', 'small', 'medium'] })],
  ['jyj', '示范新区普惠性民办幼儿园奖补办法', '示范新区教发〔2026〕1号', '办法', '2026-01-08', '经认定的普惠性民办幼儿园', '按在园幼儿数每生每年1200元给予生均补助，并对保育教育质量评估优秀的给予奖励', T({ industries: ['P'], sizes: ['micro', 'small'] })],
  ['sfj', '示范新区中小企业合规建设法律服务补贴办法', '示范新区司发〔2026〕2号', '办法', '2026-03-26', '开展合规体系建设的中小企业', '企业购买合规法律服务的，按服务费的50%给予补贴，每家最高5万元', T({ sizes: ['micro', 'small', 'medium'], subsidyType: 'other', windowStart: '2026-04-01', windowEnd: '2027-03-31' })],
  ['xzsp', '示范新区工程建设项目“拿地即开工”支持措施', '示范新区审批发〔2026〕6号', '通知', '2026-05-14', '在本区取得工业用地的制造业企业和建筑业企业', '实行并联审批和告知承诺，施工许可在拿地后5个工作日内核发，相关技术审查费用由新区承担', T({ industries: ['C', 'E'], subsidyType: 'other' })],
  ['jd-gy', '工业园街道“小升规”企业奖励办法', '工业园街发〔2026〕3号', '办法', '2026-02-28', '首次纳入规模以上统计的工业园街道制造业企业', '一次性奖励10万元，次年营业收入增长20%以上的再奖励5万元', T({ industries: ['C'], sizes: ['micro', 'small'], locations: ['jd-gy'], windowStart: '2026-03-01', windowEnd: '2027-02-28' })],
  ['jd-hb', '海滨街道沿街商户门头改造补贴办法', '海滨街发〔2026〕2号', '办法', '2026-04-10', '海滨街道主要街路沿街的批发零售和餐饮商户', '按门头改造费用的50%补贴，每户最高1万元', T({ industries: ['F', 'H'], sizes: ['micro', 'small'], locations: ['jd-hb'], subsidyType: 'premises', windowStart: '2026-05-01', windowEnd: '2026-12-31' })],
  ['jd-xs', '新胜街道社区养老服务机构运营补贴办法', '新胜街发〔2026〕1号', '办法', '2026-01-20', '在新胜街道运营社区养老服务站、老年助餐点的机构', '按服务人次给予运营补贴，每个站点每年最高8万元', T({ industries: ['Q', 'O'], sizes: ['micro', 'small'], locations: ['jd-xs'] })],
];

function body(whom: string, what: string, t: PolicyTags, dept: string): string {
  const window = t.windowStart && t.windowEnd ? `${t.windowStart}至${t.windowEnd}` : '常年受理';
  return [
    `<p>一、支持对象：${whom}。</p>`,
    `<p>二、支持标准：${what}。</p>`,
    '<p>三、申报条件：在本区依法登记注册、纳税，信用状况良好，近三年未发生重大安全生产、环境污染和质量事故。</p>',
    '<p>四、申报材料：申报表；营业执照；上年度财务报表或纳税证明；与支持事项相关的合同、发票、证书等证明材料；信用承诺书。</p>',
    `<p>五、办理流程：企业在“示范新区政务服务网—惠企政策”在线申报（申报期：${window}），${dept}在20个工作日内完成审核，公示5个工作日无异议后拨付资金。</p>`,
    `<p>六、咨询电话：0411-12345；本政策由${dept}负责解释。</p>`,
  ].join('');
}

/** All demo policies: the five of data.ts, each body completed with the standard sections, then the rest. */
export function demoPolicies(departments: Map<string, string>): DemoPolicy[] {
  const name = (code: string) => departments.get(code) ?? '主管部门';
  const first = POLICIES.map((x) => ({ ...x, genre: '办法', writtenAt: '2026-01-10', body: x.body + body(x.summary.replace(/。$/, ''), '详见上文', x.tags, name(x.department)).replace(/<p>一、支持对象：.*?<\/p><p>二、支持标准：.*?<\/p>/, '') }));
  const more = MORE.map(([department, title, docNo, genre, writtenAt, whom, what, tags]) => ({ department, title, docNo, genre, writtenAt, summary: `${what}。`, body: body(whom, what, tags, name(department)), tags }));
  return [...first, ...more];
}
