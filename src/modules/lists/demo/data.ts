// Demo data of the lists: 权责清单, service guides and tagged policies. The negative lists are in
// negative.ts.
import type { ListItem } from '../service/engine.js';
import { powerItem } from './powers/item.js';


const DEPT_NAMES: Record<string, string> = { xzsp: '示范新区行政审批局', scjg: '示范新区市场监督管理局', whly: '示范新区文化和旅游局', jyj: '示范新区教育局', wjj: '示范新区卫生健康局', zjj: '示范新区住房和城乡建设局', yjgl: '示范新区应急管理局', mzj: '示范新区民政局', jtj: '示范新区交通运输局', rsj: '示范新区人力资源和社会保障局' };
const P = (d: string, code: string, name: string, type: string, basis: string) => powerItem(d, code, name, type, basis, DEPT_NAMES[d]);

export const POWER_LISTS: Record<string, ListItem[]> = {
  xzsp: [
    P('xzsp', 'XK-XZSP-001', '食品经营许可', 'licensing', '《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。\n《食品经营许可和备案管理办法》'),
    P('xzsp', 'XK-XZSP-002', '公共场所卫生许可', 'licensing', '《公共场所卫生管理条例》第八条'),
    P('xzsp', 'XK-XZSP-003', '建筑工程施工许可证核发', 'licensing', '《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》'),
    P('xzsp', 'QT-XZSP-001', '企业投资项目备案', 'other', '《企业投资项目核准和备案管理条例》第三条'),
  ],
  scjg: [
    P('scjg', 'CF-SCJG-001', '对生产经营不符合食品安全标准的食品的处罚', 'penalty', '《中华人民共和国食品安全法》第一百二十四条'),
    P('scjg', 'CF-SCJG-002', '对未取得食品经营许可从事食品经营活动的处罚', 'penalty', '《中华人民共和国食品安全法》第一百二十二条'),
    P('scjg', 'QZ-SCJG-001', '查封、扣押不符合食品安全标准的食品', 'coercion', '《中华人民共和国食品安全法》第一百一十条；《中华人民共和国行政强制法》'),
    P('scjg', 'JC-SCJG-001', '食品生产经营监督检查', 'inspection', '《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》'),
    P('scjg', 'QT-SCJG-001', '企业年度报告公示信息抽查', 'other', '《企业信息公示暂行条例》第十四条'),
  ],
  whly: [
    P('whly', 'XK-WHLY-001', '娱乐场所经营许可', 'licensing', '《娱乐场所管理条例》第九条'),
    P('whly', 'XK-WHLY-002', '营业性演出审批', 'licensing', '《营业性演出管理条例》第十三条'),
    P('whly', 'CF-WHLY-001', '对擅自从事娱乐场所经营活动的处罚', 'penalty', '《娱乐场所管理条例》第四十一条'),
    P('whly', 'JL-WHLY-001', '对文物保护工作成绩显著单位和个人的奖励', 'reward', '《中华人民共和国文物保护法》第十二条'),
  ],
  jyj: [
    P('jyj', 'XK-JYJ-001', '民办学校办学许可（实施学前教育、学历教育）', 'licensing', '《中华人民共和国民办教育促进法》第十二条'),
    P('jyj', 'GF-JYJ-001', '学前教育资助', 'payment', '《财政部 教育部关于印发〈学生资助资金管理办法〉的通知》'),
    P('jyj', 'GG-JYJ-001', '义务教育阶段入学服务', 'public-service', '《中华人民共和国义务教育法》第十二条'),
  ],
  wjj: [
    P('wjj', 'XK-WJJ-001', '医疗机构执业登记', 'licensing', '《医疗机构管理条例》第十五条'),
    P('wjj', 'CF-WJJ-001', '对未取得《医疗机构执业许可证》擅自执业的处罚', 'penalty', '《中华人民共和国基本医疗卫生与健康促进法》第九十九条'),
    P('wjj', 'QR-WJJ-001', '计划生育家庭特别扶助对象确认', 'confirmation', '《中华人民共和国人口与计划生育法》第三十一条'),
  ],
  yjgl: [
    P('yjgl', 'XK-YJGL-001', '危险化学品经营许可（不带储存设施）', 'licensing', '《危险化学品安全管理条例》第三十三条；《危险化学品经营许可证管理办法》'),
    P('yjgl', 'JC-YJGL-001', '安全生产监督检查', 'inspection', '《中华人民共和国安全生产法》第六十五条'),
    P('yjgl', 'CJ-YJGL-001', '生产安全事故调查处理中的责任认定', 'adjudication', '《生产安全事故报告和调查处理条例》'),
  ],
  mzj: [
    P('mzj', 'GF-MZJ-001', '最低生活保障金给付', 'payment', '《社会救助暂行办法》第九条'),
    P('mzj', 'QR-MZJ-001', '特困人员认定', 'confirmation', '《社会救助暂行办法》第十四条'),
    P('mzj', 'ZS-MZJ-001', '公益性公墓建设用地相关费用征收', 'levy', '《殡葬管理条例》（示范数据）'),
  ],
};

/** The adjustment of the 市场监管局 list (edition 2): one added, one removed, one changed. */
export function scjgAdjusted(items: ListItem[]): ListItem[] {
  const out = items
    .filter((i) => i.code !== 'QT-SCJG-001')
    .map((i) =>
      i.code === 'CF-SCJG-001'
        ? { ...i, basis: '《中华人民共和国食品安全法》第一百二十四条；《中华人民共和国食品安全法实施条例》第六十七条', process: ['立案', '调查取证', '法制审核', '告知', '决定', '送达', '执行', '结果公示'] }
        : i,
    );
  out.push(P('scjg', 'CF-SCJG-003', '对经营者实施混淆行为等不正当竞争行为的处罚', 'penalty', '《中华人民共和国反不正当竞争法》（2025年修订）第二十一条'));
  return out;
}
export const SCJG_ADJUSTMENT = { reason: '根据2025年修订的《中华人民共和国反不正当竞争法》和区机构职能调整，新增不正当竞争行为处罚事项，将企业年报抽查并入“双随机、一公开”监管事项，完善食品安全处罚的设定依据和运行流程。', docNo: '示范新区编〔2026〕5号' };

const WINDOW = (address: string) => [{ address, hours: '周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）', phone: '0411-12345041' }];
const HALL = '示范新区政务服务中心一楼综合受理窗口（示范新区行政中心东楼）';

function guide(g: Partial<ListItem> & { code: string; name: string; department: string }): ListItem {
  return {
    applicants: ['enterprise'],
    conditions: [],
    materials: [],
    steps: ['申请', '受理', '审查', '决定', '送达'],
    statutoryDays: 20,
    promisedDays: 5,
    fees: [],
    windows: WINDOW(HALL),
    onlineUrl: 'https://zwfw.example.gov.cn/',
    visits: 0,
    faq: [],
    ...g,
  };
}

const M = (name: string, original = 'original', copies = 1, form = 'paper-or-electronic', note?: string) => ({ name, form, copies, original, ...(note ? { note } : {}) });

export const SERVICE_GUIDES: Record<string, ListItem[]> = {
  xzsp: [
    guide({
      code: 'SG-XZSP-001',
      name: '食品经营许可证核发',
      department: 'xzsp',
      powerCode: 'XK-XZSP-001',
      applicants: ['enterprise', 'individual'],
      conditions: ['具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所', '具有与经营的食品品种、数量相适应的经营设备或者设施', '有专职或者兼职的食品安全管理人员和保证食品安全的规章制度', '具有合理的设备布局和工艺流程'],
      materials: [M('食品经营许可申请书'), M('营业执照或者其他主体资格证明文件', 'copy'), M('与食品经营相适应的主要设备设施、经营布局、操作流程等文件'), M('食品安全自查、从业人员健康管理等食品安全管理制度')],
      steps: ['网上或窗口申请', '受理', '材料审查（必要时现场核查）', '作出决定', '证照送达（可邮寄）'],
      statutoryDays: 10,
      promisedDays: 3,
      visits: 0,
      faq: [{ q: '仅销售预包装食品需要办理许可吗？', a: '仅销售预包装食品的，实行备案管理，无需办理食品经营许可。' }],
    }),
    guide({
      code: 'SG-XZSP-002',
      name: '公共场所卫生许可',
      department: 'xzsp',
      powerCode: 'XK-XZSP-002',
      conditions: ['场所设置、布局和卫生设施符合卫生标准和要求', '有卫生管理制度和卫生管理人员'],
      materials: [M('公共场所卫生许可申请表'), M('营业执照', 'copy'), M('公共场所卫生检测或评价报告')],
      statutoryDays: 20,
      promisedDays: 5,
      visits: 1,
    }),
    guide({
      code: 'SG-XZSP-003',
      name: '建筑工程施工许可证核发',
      department: 'xzsp',
      powerCode: 'XK-XZSP-003',
      conditions: ['已经办理该建筑工程用地批准手续', '依法应当办理建设工程规划许可证的，已经取得规划许可证', '已经确定施工企业', '有满足施工需要的资金安排、施工图纸及技术资料'],
      materials: [M('建筑工程施工许可申请表'), M('建设工程规划许可证', 'copy'), M('中标通知书或直接发包批准文件', 'copy'), M('施工图设计文件审查合格书')],
      steps: ['网上申请', '并联审查', '作出决定', '电子证照发放'],
      statutoryDays: 7,
      promisedDays: 3,
      fees: [],
    }),
  ],
  whly: [
    guide({
      code: 'SG-WHLY-001',
      name: '娱乐场所经营许可',
      department: 'whly',
      powerCode: 'XK-WHLY-001',
      conditions: ['符合《娱乐场所管理条例》规定的设立条件', '场所位置符合国家有关规定，与学校等保持规定距离', '消防、环保等符合法律法规要求'],
      materials: [M('娱乐场所经营许可申请书'), M('营业执照', 'copy'), M('投资人、法定代表人、主要负责人的有效身份证件及无犯罪记录证明', 'original-and-copy'), M('房产权属证书或租赁合同', 'copy')],
      steps: ['申请', '受理', '实地检查', '听证（必要时）', '决定', '发证'],
      statutoryDays: 20,
      promisedDays: 10,
      visits: 1,
      windows: WINDOW('示范新区政务服务中心二楼文化旅游窗口'),
    }),
  ],
  jyj: [
    guide({
      code: 'SG-JYJ-001',
      name: '民办幼儿园办学许可',
      department: 'jyj',
      powerCode: 'XK-JYJ-001',
      conditions: ['举办者为具备法人资格的社会组织或具有政治权利和完全民事行为能力的中国公民', '园舍、场地、设施符合幼儿园建设标准', '有符合条件的园长和教职工'],
      materials: [M('举办申请报告'), M('举办者资格证明文件', 'original-and-copy'), M('拟任园长及教师资格证明', 'copy'), M('资产及经费来源证明文件'), M('办园章程和首届理事会组成人员名单')],
      statutoryDays: 90,
      promisedDays: 30,
      visits: 2,
    }),
  ],
  wjj: [
    guide({
      code: 'SG-WJJ-001',
      name: '医疗机构执业登记（诊所备案除外）',
      department: 'wjj',
      powerCode: 'XK-WJJ-001',
      conditions: ['按照医疗机构基本标准配置房屋、设备和人员', '有相应的规章制度', '能够独立承担民事责任'],
      materials: [M('医疗机构申请执业登记注册书'), M('医疗机构用房产权证明或使用证明', 'copy'), M('医疗机构建筑设计平面图'), M('验资证明、资产评估报告'), M('医疗机构规章制度'), M('医务人员执业资格证书', 'copy')],
      statutoryDays: 45,
      promisedDays: 15,
      visits: 1,
    }),
  ],
  yjgl: [
    guide({
      code: 'SG-YJGL-001',
      name: '危险化学品经营许可证核发（不带储存设施）',
      department: 'yjgl',
      powerCode: 'XK-YJGL-001',
      conditions: ['经营场所、储存设施符合国家标准', '从业人员经过专业技术培训并经考核合格', '有健全的安全管理规章制度', '有专职安全管理人员', '有符合国家规定的事故应急救援预案和必要的应急救援器材、设备'],
      materials: [M('危险化学品经营许可证申请表'), M('安全管理制度和岗位操作规程目录清单'), M('主要负责人、安全管理人员安全资格证书', 'copy'), M('经营场所产权证明或租赁证明', 'copy')],
      statutoryDays: 30,
      promisedDays: 10,
      visits: 1,
      fees: [],
    }),
  ],
};

export const POLICIES: { department: string; title: string; docNo: string; summary: string; body: string; tags: { industries: string[]; sizes: string[]; locations: string[]; qualifications: string[]; subsidyType: string; windowStart: string | null; windowEnd: string | null } }[] = [
  {
    department: 'fgj',
    title: '示范新区关于支持高新技术企业高质量发展的若干措施',
    docNo: '示范新区发〔2026〕8号',
    summary: '对首次认定和重新认定的高新技术企业给予一次性奖励，支持研发投入。',
    body: '<p>一、对首次通过认定的高新技术企业，给予一次性奖励20万元；重新认定的，给予10万元。</p><p>二、对年度研发投入增长的企业，按增量部分的10%给予补助。</p><p>申报时间：2026年1月1日至2026年12月31日。</p>',
    tags: { industries: ['C', 'I', 'M'], sizes: [], locations: [], qualifications: ['high-tech'], subsidyType: 'grant', windowStart: '2026-01-01', windowEnd: '2026-12-31' },
  },
  {
    department: 'czj',
    title: '示范新区小微企业贷款贴息管理办法',
    docNo: '示范新区财发〔2026〕3号',
    summary: '对小型、微型企业的流动资金贷款按贷款市场报价利率的50%给予贴息。',
    body: '<p>对在本区登记注册的小型、微型企业，取得银行流动资金贷款的，按一年期贷款市场报价利率的50%给予贴息，每户每年最高50万元。</p>',
    tags: { industries: [], sizes: ['micro', 'small'], locations: [], qualifications: [], subsidyType: 'loan-interest', windowStart: null, windowEnd: null },
  },
  {
    department: 'rsj',
    title: '示范新区稳岗扩岗补贴申领办法',
    docNo: '示范新区人社发〔2026〕2号',
    summary: '吸纳高校毕业生就业并缴纳社会保险的企业，可按人申领一次性扩岗补助。',
    body: '<p>企业招用毕业年度或离校2年内未就业高校毕业生，签订劳动合同并按规定缴纳失业、工伤、职工养老保险费满3个月的，按每人1500元发放一次性扩岗补助。</p>',
    tags: { industries: [], sizes: [], locations: [], qualifications: [], subsidyType: 'grant', windowStart: '2026-03-01', windowEnd: '2026-12-20' },
  },
  {
    department: 'jd-gy',
    title: '工业园街道标准厂房租金补贴实施细则',
    docNo: '示范新区工街发〔2026〕1号',
    summary: '入驻工业园街道标准厂房的制造业中小企业，前两年租金给予50%补贴。',
    body: '<p>对新入驻工业园街道标准厂房、从事制造业的中小企业，第一年、第二年租金按50%给予补贴。</p>',
    tags: { industries: ['C'], sizes: ['micro', 'small', 'medium'], locations: ['jd-gy'], qualifications: [], subsidyType: 'premises', windowStart: '2026-01-01', windowEnd: '2027-06-30' },
  },
  {
    department: 'whly',
    title: '示范新区2025年文旅消费促进措施',
    docNo: '示范新区文旅发〔2025〕6号',
    summary: '2025年度文旅消费券和文旅企业营销补贴（申报已截止）。',
    body: '<p>对2025年度开展促消费活动的文旅企业给予营销补贴。申报截止：2025年12月31日。</p>',
    tags: { industries: ['R', 'H'], sizes: [], locations: [], qualifications: [], subsidyType: 'grant', windowStart: '2025-03-01', windowEnd: '2025-12-31' },
  },
];
