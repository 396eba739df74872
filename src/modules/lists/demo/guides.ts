// Demo 办事指南: the hand-written guides of data.ts and one guide for each licensing, payment,
// confirmation and public-service item of the generated 权责清单 (powers/), with applicants,
// conditions, materials, steps, time limits and windows composed from the power type and the
// department, so every department with such powers has its guides.
import { intWith, pickWith, seededRandom } from '../../../platform/random.js';
import type { ListItem } from '../service/engine.js';
import { SERVICE_GUIDES } from './data.js';

const M = (name: string, original = 'original', copies = 1, form = 'paper-or-electronic') => ({ name, form, copies, original });
const HOURS = '周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）';

interface TypeDefaults {
  applicants: string[];
  conditions: (name: string) => string[];
  materials: (name: string) => ReturnType<typeof M>[];
  steps: string[];
  statutory: [number, number];
  faq: (name: string) => { q: string; a: string };
}

const BY_TYPE: Record<string, TypeDefaults> = {
  licensing: {
    applicants: ['enterprise'],
    conditions: (n) => [`具备从事${n.replace(/许可.*$|审批$|核发$|注册$|备案$/, '')}相关活动的场所、设施和专业人员`, '有健全的管理制度和安全保障措施', '法律、法规规定的其他条件'],
    materials: (n) => [M(`${n}申请书`), M('营业执照或其他主体资格证明', 'copy'), M('法定代表人（负责人）身份证明', 'copy'), M('经营场所使用证明', 'copy'), M('相关管理制度文本')],
    steps: ['网上或窗口申请', '受理', '审查（必要时现场核查）', '作出决定', '证照送达（可邮寄）'],
    statutory: [10, 20],
    faq: (n) => ({ q: `${n}可以网上办理吗？`, a: '可以。登录示范新区政务服务网提交申请，材料齐全的可全程网办，证照免费邮寄。' }),
  },
  payment: {
    applicants: ['individual'],
    conditions: () => ['具有本区户籍或在本区居住满一年', '符合相应的家庭收入、财产或身体状况条件', '未重复享受同类待遇'],
    materials: () => [M('申请书（本人签字）'), M('申请人及家庭成员身份证、户口簿', 'original-and-copy'), M('家庭经济状况声明及授权核对书'), M('本人银行账户信息', 'copy')],
    steps: ['申请', '社区初审', '入户调查', '公示', '审批', '按月发放'],
    statutory: [20, 30],
    faq: (n) => ({ q: `${n}可以由家属代为申请吗？`, a: '本人行动不便的，可由近亲属或社区工作人员代为申请，需提供代办人身份证和委托书。' }),
  },
  confirmation: {
    applicants: ['individual', 'enterprise'],
    conditions: (n) => [`符合${n.replace(/的.*$/, '')}的法定条件`, '提交的材料真实、完整、有效'],
    materials: (n) => [M(`${n}申请表`), M('申请人身份证明', 'copy'), M('相关证明材料')],
    steps: ['申请', '受理', '审核', '确认', '公布结果'],
    statutory: [15, 30],
    faq: () => ({ q: '对确认结果有异议怎么办？', a: '可在收到结果之日起60日内申请行政复议，或6个月内提起行政诉讼。' }),
  },
  'public-service': {
    applicants: ['individual', 'enterprise'],
    conditions: () => ['无特别条件，本区居民和企业均可申请'],
    materials: () => [M('有效身份证件', 'original', 0)],
    steps: ['咨询或预约', '受理', '办理', '结果反馈'],
    statutory: [5, 10],
    faq: () => ({ q: '需要预约吗？', a: '可现场办理，也可通过12345热线或政务服务网预约，预约的优先办理。' }),
  },
};

/** Fees the demo knows (名称 → 收费), with their basis. */
const FEES: Record<string, { item: string; amount: string; basis: string }[]> = {
  不动产登记: [{ item: '不动产登记费（住宅类）', amount: '80元/件', basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' }],
  婚姻登记: [],
};

/** Powers exercised inside the administration, with nobody outside to apply: no guide. */
const INTERNAL = /合法性审核|属性的审查确认|办结的审核确认|国有资产处置|统计调查项目/;

/**
 * The guides per department: hand-written ones first, then one per suitable item of `powers`,
 * numbered after the department's hand-written guides. Deterministic (its own seed).
 */
export function demoServiceGuides(powers: Record<string, ListItem[]>, departments: Map<string, string>): Record<string, ListItem[]> {
  const r = seededRandom(20260315);
  const handPowers = new Set(Object.values(SERVICE_GUIDES).flatMap((gs) => gs.map((g) => g.powerCode as string)));
  const out: Record<string, ListItem[]> = {};
  for (const [dept, items] of Object.entries(powers)) {
    const guides: ListItem[] = [...(SERVICE_GUIDES[dept] ?? [])];
    const name = departments.get(dept) ?? dept;
    const street = dept.startsWith('jd-');
    const window = { address: street ? `示范新区${name}便民服务中心一楼` : `示范新区政务服务中心${intWith(r, 1, 3)}楼${name}窗口`, hours: HOURS, phone: `0411-12345${String(intWith(r, 200, 999))}` };
    for (const p of items) {
      const d = BY_TYPE[p.powerType as string];
      if (!d || handPowers.has(p.code as string) || INTERNAL.test(p.name as string)) continue;
      const n = p.name as string;
      const [lo, hi] = d.statutory;
      const statutoryDays = intWith(r, lo, hi);
      guides.push({
        code: `SG-${dept.toUpperCase()}-${String(guides.length + 1).padStart(3, '0')}`,
        name: n.replace(/^对(.*)的(监督检查|检查)$/, '$1检查'),
        powerCode: p.code,
        department: dept,
        applicants: p.powerType === 'licensing' && r() < 0.3 ? ['enterprise', 'individual'] : d.applicants,
        conditions: d.conditions(n),
        materials: d.materials(n),
        steps: d.steps,
        statutoryDays,
        promisedDays: Math.max(0, Math.min(statutoryDays, intWith(r, 0, Math.ceil(statutoryDays / 3)))),
        fees: FEES[n] ?? [],
        windows: [window],
        onlineUrl: 'https://zwfw.example.gov.cn/',
        visits: p.powerType === 'payment' ? 1 : pickWith(r, [0, 0, 1]),
        faq: [d.faq(n)],
      });
    }
    if (guides.length) out[dept] = guides;
  }
  return out;
}
