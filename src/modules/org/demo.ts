// The demo district 示范新区管委会: a realistic department tree and one demo user per role.
// Demo users are marked is_demo and can sign in only while GONGKAI_DEMO=1.
import type { Platform } from '../../platform/platform.js';
import { createDepartment, createUser, saveGovernment } from './service.js';

export const DEMO_PASSWORD = 'Demo-2026-gongkai';

export const DEMO_GOVERNMENT = {
  name: '示范新区管理委员会',
  shortName: '示范新区',
  orgCode: '552013579',
  address: '示范新区政务大道1号',
  phone: '0411-12345678',
  // 政府网站标识码: Dalian's region code 2102 …; the filings as a Liaoning site's footer shows them.
  siteCode: '2102000061',
  icp: '辽ICP备20260061号-1',
  psb: '辽公网安备 21021302000161号',
};

type D = { code: string; name: string; short: string; kind: string; parent?: string; phone?: string; address?: string };

const HOURS = '工作日 上午8:30-12:00，下午13:00-17:00';

export const DEMO_DEPARTMENTS: D[] = [
  { code: 'dzb', name: '党政办公室', short: '党政办', kind: 'office', phone: '0411-12345001' },
  { code: 'gkb', name: '政务公开办公室', short: '政务公开办', kind: 'office', parent: 'dzb', phone: '0411-12345002' },
  { code: 'fgj', name: '发展和改革局', short: '发改局', kind: 'bureau', phone: '0411-12345010' },
  { code: 'czj', name: '财政局', short: '财政局', kind: 'bureau', phone: '0411-12345020' },
  { code: 'scjg', name: '市场监督管理局', short: '市场监管局', kind: 'bureau', phone: '0411-12345030' },
  { code: 'scjg-zljd', name: '质量监督科', short: '质监科', kind: 'office', parent: 'scjg', phone: '0411-12345031' },
  { code: 'xzsp', name: '行政审批局', short: '审批局', kind: 'bureau', phone: '0411-12345040' },
  { code: 'zwfw', name: '政务服务中心', short: '政务服务中心', kind: 'centre', parent: 'xzsp', phone: '0411-12345041' },
  { code: 'sqzx', name: '市民诉求服务中心', short: '诉求中心', kind: 'centre', phone: '0411-12345' },
  { code: 'whly', name: '文化和旅游局', short: '文旅局', kind: 'bureau', phone: '0411-12345050' },
  { code: 'yjgl', name: '应急管理局', short: '应急局', kind: 'bureau', phone: '0411-12345060' },
  { code: 'zjj', name: '住房和城乡建设局', short: '住建局', kind: 'bureau', phone: '0411-12345070' },
  { code: 'jyj', name: '教育局', short: '教育局', kind: 'bureau', phone: '0411-12345080' },
  { code: 'wjj', name: '卫生健康局', short: '卫健局', kind: 'bureau', phone: '0411-12345090' },
  { code: 'rsj', name: '人力资源和社会保障局', short: '人社局', kind: 'bureau', phone: '0411-12345100' },
  { code: 'mzj', name: '民政局', short: '民政局', kind: 'bureau', phone: '0411-12345110' },
  { code: 'sthj', name: '生态环境分局', short: '生态环境分局', kind: 'bureau', phone: '0411-12345120' },
  { code: 'jtj', name: '交通运输局', short: '交通局', kind: 'bureau', phone: '0411-12345130' },
  { code: 'zrzy', name: '自然资源分局', short: '自然资源分局', kind: 'bureau', phone: '0411-12345140' },
  { code: 'sfj', name: '司法局', short: '司法局', kind: 'bureau', phone: '0411-12345150' },
  { code: 'tjj', name: '统计局', short: '统计局', kind: 'bureau', phone: '0411-12345160' },
  { code: 'jd-hb', name: '海滨街道办事处', short: '海滨街道', kind: 'subdistrict', phone: '0411-12345201', address: '示范新区海滨路88号' },
  { code: 'jd-xs', name: '新胜街道办事处', short: '新胜街道', kind: 'subdistrict', phone: '0411-12345202', address: '示范新区新胜大街16号' },
  { code: 'jd-gy', name: '工业园街道办事处', short: '工业园街道', kind: 'subdistrict', phone: '0411-12345203', address: '示范新区园区一路5号' },
];

/** The departments the appeals dispatch catalogue and rules name (a test keeps the two in step). */
export const APPEAL_HANDLER_DEPARTMENTS = ['dzb', 'fgj', 'scjg', 'scjg-zljd', 'xzsp', 'whly', 'yjgl', 'zjj', 'jyj', 'wjj', 'rsj', 'mzj', 'sthj', 'jtj', 'zrzy', 'sfj', 'jd-hb', 'jd-xs', 'jd-gy'];

/** Departments with requests in the demo year and no approver of their own above: each gets `<code>-approver`. */
export const REQUEST_HEAD_DEPARTMENTS = ['zjj', 'zrzy', 'sthj', 'czj', 'xzsp', 'jyj', 'wjj'];

/** The departments of the enforcement demo (市场监管, 文旅, 应急, 生态环境): each has inspectors and `<code>-inspector1`, `-inspector2`. */
export const ENFORCEMENT_DEPARTMENTS = ['scjg', 'whly', 'yjgl', 'sthj'];

/** username, display name, department, roles (role@dept, '+' = including sub-departments). */
export const DEMO_USERS: [string, string, string, string[]][] = [
  ['admin', '系统管理员', 'dzb', ['admin']],
  ['supervisor', '电子监察员', 'gkb', ['supervisor']],
  ['dzb-admin', '党政办管理员', 'dzb', ['dept-admin+']],
  ['dzb-editor', '党政办编辑', 'dzb', ['editor']],
  ['dzb-reviewer', '党政办保密审查员', 'dzb', ['reviewer']],
  ['dzb-reviewer2', '党政办审核员', 'dzb', ['reviewer']],
  ['dzb-approver', '党政办签发人', 'dzb', ['approver']],
  ['fgj-editor', '发改局编辑', 'fgj', ['editor']],
  ['fgj-reviewer', '发改局审核员', 'fgj', ['reviewer']],
  ['fgj-approver', '发改局签发人', 'fgj', ['approver']],
  ['scjg-editor', '市场监管局编辑', 'scjg', ['editor']],
  ['scjg-reviewer', '市场监管局审核员', 'scjg', ['reviewer']],
  ['scjg-approver', '市场监管局签发人', 'scjg', ['approver']],
  ['operator', '12345话务员', 'sqzx', ['operator']],
  ['sqzx-editor', '诉求中心派单员', 'sqzx', ['editor', 'approver']],
  ['sqzx-approver', '诉求中心答复审核员', 'sqzx', ['approver']],
  // 依申请公开: the government's requests are handled by its disclosure office (政务公开办公室).
  ['gkb-requests', '政务公开办依申请公开承办人', 'gkb', ['editor']],
  ['gkb-approver', '政务公开办负责人', 'gkb', ['approver']],
  // The office heads (机关负责人) who approve and sign the replies of the departments the demo
  // year's requests are addressed to (requests/demo/year.ts), and 财政局's request handler.
  ['czj-requests', '财政局依申请公开承办人', 'czj', ['editor']],
  ...REQUEST_HEAD_DEPARTMENTS.map((code): [string, string, string, string[]] => [`${code}-approver`, `${DEMO_DEPARTMENTS.find((d) => d.code === code)!.short}负责人`, code, ['approver']]),
  // One appeals handler (诉求承办人: answers the appeals dispatched to the department) for every
  // department the appeals dispatch catalogue and rules name (appeals/demo.ts), so that every
  // correctly dispatched appeal can be answered.
  ...APPEAL_HANDLER_DEPARTMENTS.map((code): [string, string, string, string[]] => [`${code}-handler`, `${DEMO_DEPARTMENTS.find((d) => d.code === code)!.short}诉求承办人`, code, ['editor']]),
  // Transparent enforcement (enforcement/demo.ts): the editors (plans, draws, decisions) and
  // approvers (results, decisions) of the enforcement departments beside scjg's and sthj-approver,
  // and two inspector accounts a department, each linked to one of its inspectors (results).
  ['whly-editor', '文旅局编辑', 'whly', ['editor']],
  ['whly-approver', '文旅局签发人', 'whly', ['approver']],
  ['yjgl-editor', '应急局编辑', 'yjgl', ['editor']],
  ['yjgl-approver', '应急局签发人', 'yjgl', ['approver']],
  ['sthj-editor', '生态环境分局编辑', 'sthj', ['editor']],
  ...ENFORCEMENT_DEPARTMENTS.flatMap((code): [string, string, string, string[]][] =>
    ['一', '二'].map((n, i) => [`${code}-inspector${i + 1}`, `${DEMO_DEPARTMENTS.find((d) => d.code === code)!.short}执法检查员${n}`, code, ['inspector']]),
  ),
];

export async function loadDemoOrg(p: Platform): Promise<void> {
  await saveGovernment(p, 'demo', DEMO_GOVERNMENT);
  for (const [i, d] of DEMO_DEPARTMENTS.entries()) {
    await createDepartment(p, 'demo', {
      code: d.code,
      parentCode: d.parent ?? null,
      name: d.name,
      shortName: d.short,
      kind: d.kind,
      phone: d.phone ?? '',
      address: d.address ?? `示范新区政务大道1号 ${d.name}`,
      officeHours: HOURS,
      email: `${d.code.replace(/-/g, '')}@demo.gongkai.invalid`,
      sort: (i + 1) * 10,
    });
  }
  for (const [username, displayName, department, roles] of DEMO_USERS) {
    await createUser(p, 'demo', {
      username,
      password: DEMO_PASSWORD,
      displayName,
      department,
      isDemo: true,
      roles: roles.map((r) => ({ role: r.replace('+', ''), includeChildren: r.endsWith('+') })),
    });
  }
}
