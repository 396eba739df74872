// One 权责清单 item of the demo: the responsibilities, process and accountability of its power type.
import type { ListItem } from '../../service/engine.js';

const FLOWS: Record<string, string[]> = {
  licensing: ['受理', '审查', '决定', '送达', '公开'],
  penalty: ['立案', '调查取证', '法制审核', '告知', '决定', '送达', '执行'],
  coercion: ['审批', '告知', '实施', '制作现场笔录', '解除或处理'],
  levy: ['调查', '拟定方案', '公告', '征收决定', '补偿或缴纳'],
  payment: ['申请', '审核', '公示', '审批', '发放'],
  inspection: ['制定检查计划', '实施检查', '告知结果', '依法处理', '结果公开'],
  confirmation: ['申请', '审核', '确认', '公布'],
  reward: ['推荐', '评审', '公示', '决定', '表彰'],
  adjudication: ['申请', '受理', '审理', '裁决', '送达'],
  other: ['受理', '审查', '决定', '送达'],
  'public-service': ['咨询', '受理', '办理', '反馈'],
};

const DUTIES: Record<string, string[]> = {
  licensing: ['受理责任：公示依法应当提交的材料，一次性告知补正材料', '审查责任：对申请材料进行审查，需现场核查的组织核查', '决定责任：作出准予或不予许可决定，不予许可的说明理由', '送达责任：准予许可的制发证件并送达', '事后监管责任：对被许可人从事许可事项的活动实施监督检查'],
  penalty: ['立案责任：发现涉嫌违法行为，予以审查，决定是否立案', '调查取证责任：全面、客观、公正地调查，收集证据', '审查责任：法制审核机构对案件进行审核', '告知责任：作出处罚决定前告知当事人事实、理由、依据和依法享有的陈述、申辩、要求听证的权利', '决定责任：制作行政处罚决定书', '送达责任：依法送达', '执行责任：依照生效的处罚决定执行'],
  coercion: ['审批责任：实施前向行政机关负责人报告并经批准', '告知责任：当场告知当事人采取强制措施的理由、依据和救济途径', '实施责任：由两名以上执法人员实施，制作现场笔录', '处理责任：在法定期限内作出处理决定或解除'],
  levy: ['调查责任：开展现状调查和登记', '公告责任：依法公告征收范围、标准和程序', '决定责任：依法作出征收决定', '补偿责任：按照公布的标准足额支付补偿', '监督责任：接受审计和社会监督'],
  payment: ['受理责任：一次性告知申请材料', '审核责任：入户调查、审核并公示', '发放责任：按时足额发放', '监管责任：动态管理，定期复核'],
  inspection: ['检查责任：按照“双随机、一公开”要求实施检查', '处置责任：发现问题依法责令改正或立案处理', '公开责任：检查结果依法向社会公开'],
  confirmation: ['受理责任：公示确认条件和材料', '审核责任：对申请材料进行审核', '确认责任：作出确认或不予确认的决定', '公开责任：依法公开确认结果'],
  reward: ['组织推荐责任', '评审责任', '公示责任', '表彰责任'],
  adjudication: ['受理责任：审查申请是否符合受理条件', '审理责任：听取双方意见，调查核实证据', '裁决责任：依法作出裁决并说明理由', '送达责任：依法送达裁决书'],
  other: ['受理责任', '审查责任', '决定责任', '送达责任'],
  'public-service': ['服务告知责任', '办理责任', '反馈责任'],
};

const ACCOUNTABILITY = '因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应当承担相应责任：1. 对符合条件的申请不予受理、不予办理的；2. 违反法定程序实施的；3. 滥用职权、玩忽职守、徇私舞弊的；4. 索取或者收受他人财物或者谋取其他利益的；5. 其他违反法律法规规章规定的行为。';

/** One 权责清单 item of the given type. */
export function powerItem(department: string, code: string, name: string, powerType: string, basis: string, implementer: string): ListItem {
  return {
    code,
    name,
    powerType,
    department,
    implementer,
    basis,
    duties: DUTIES[powerType] ?? DUTIES.other,
    accountability: ACCOUNTABILITY,
    process: FLOWS[powerType] ?? FLOWS.other,
    supervisionChannel: '区纪委监委派驻纪检监察组、区司法局行政执法监督',
    supervisionPhone: '0411-12345',
  };
}

