// Fixed vocabularies of the catalog: the State Council topic classification (主题分类, top-level
// categories with sub-categories), the 公文种类 (genres), the Art. 20 categories and 公开方式.
import { setFacetLabeler } from '../publication/indexable.js';

/** [code, name, sub-categories]. Codes: two digits for the top level, four for a sub-category. */
const TOPIC_TREE: [string, string, string[]][] = [
  ['01', '国务院组织机构', ['国务院办公厅', '国务院组成部门', '直属特设机构', '直属机构', '办事机构', '直属事业单位', '部委管理的国家局', '议事协调机构']],
  ['02', '综合政务', ['应急管理', '电子政务', '政务公开', '政务督查', '信访', '文秘工作', '法制', '其他']],
  ['03', '国民经济管理、国有资产监管', ['发展规划', '经济运行', '物价', '节能与资源综合利用', '国有资产监管', '统计', '其他']],
  ['04', '财政、金融、审计', ['财政', '税务', '金融', '审计', '其他']],
  ['05', '国土资源、能源', ['土地', '矿产', '海洋', '测绘', '气象、水文', '能源', '其他']],
  ['06', '农业、林业、水利', ['农业、畜牧业、渔业', '林业', '水利', '其他']],
  ['07', '工业、交通', ['工业', '交通', '信息产业', '其他']],
  ['08', '商贸、海关、旅游', ['国内贸易', '对外经贸', '海关', '旅游', '其他']],
  ['09', '市场监管、安全生产监管', ['市场监管', '食品药品监管', '安全生产监管', '其他']],
  ['10', '城乡建设、环境保护', ['城乡建设（含住房）', '城市规划', '节能减排', '环境监测、保护与治理', '其他']],
  ['11', '科技、教育', ['科技', '教育', '其他']],
  ['12', '文化、广电、新闻出版', ['文化', '广播影视', '新闻出版', '文物', '其他']],
  ['13', '卫生、体育', ['卫生', '医药管理', '体育', '其他']],
  ['14', '人口与计划生育、妇女儿童工作', ['人口与计划生育', '妇女儿童', '其他']],
  ['15', '劳动、人事、监察', ['就业', '社会保障', '人事工作', '监察', '其他']],
  ['16', '公安、安全、司法', ['公安', '安全', '司法', '其他']],
  ['17', '民政、扶贫、救灾', ['社会团体', '行政区划与地名', '减灾救灾', '扶贫', '优抚安置', '社会福利', '其他']],
  ['18', '民族、宗教', ['民族事务', '宗教事务', '其他']],
  ['19', '对外事务', ['外交、外事', '其他']],
  ['20', '港澳台侨工作', ['港澳工作', '对台工作', '侨务工作', '其他']],
  ['21', '国防', ['国防动员', '人民防空', '其他']],
  ['22', '其他', ['其他']],
];

export interface Topic {
  code: string;
  name: string;
  parent: string | null;
  /** 综合政务\政务公开 */
  path: string;
}

export const TOPICS: Topic[] = TOPIC_TREE.flatMap(([code, name, subs]) => [
  { code, name, parent: null, path: name },
  ...subs.map((s, i) => ({ code: `${code}${String(i + 1).padStart(2, '0')}`, name: s, parent: code, path: `${name}\\${s}` })),
]);
export const TOPIC_BY_CODE = new Map(TOPICS.map((t) => [t.code, t]));
setFacetLabeler('topic', (code) => TOPIC_BY_CODE.get(code)?.path);
export const TOP_TOPICS = TOPICS.filter((t) => !t.parent);
export const topicPath = (code: string | null | undefined) => (code ? (TOPIC_BY_CODE.get(code)?.path ?? code) : '');

/** 公文种类 (党政机关公文处理工作条例) plus the forms catalogs also list. */
export const GENRES = ['决议', '决定', '命令', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '请示', '批复', '议案', '函', '纪要', '规划', '方案', '办法', '细则', '解读', '其他'] as const;

/** Art. 20 (and Art. 21) categories: code → message key 'cat.a20-NN'. */
export const CATEGORIES = ['a20-01', 'a20-02', 'a20-03', 'a20-04', 'a20-05', 'a20-06', 'a20-07', 'a20-08', 'a20-09', 'a20-10', 'a20-11', 'a20-12', 'a20-13', 'a20-14', 'a20-15', 'a21'] as const;

export const CATEGORY_NAMES: Record<string, string> = {
  'a20-01': '行政法规、规章和行政规范性文件',
  'a20-02': '机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名',
  'a20-03': '国民经济和社会发展规划、专项规划、区域规划及相关政策',
  'a20-04': '国民经济和社会发展统计信息',
  'a20-05': '办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果',
  'a20-06': '实施行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定',
  'a20-07': '财政预算、决算信息',
  'a20-08': '行政事业性收费项目及其依据、标准',
  'a20-09': '政府集中采购项目的目录、标准及实施情况',
  'a20-10': '重大建设项目的批准和实施情况',
  'a20-11': '扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况',
  'a20-12': '突发公共事件的应急预案、预警信息及应对情况',
  'a20-13': '环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况',
  'a20-14': '公务员招考的职位、名额、报考条件等事项以及录用结果',
  'a20-15': '法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息',
  a21: '市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等（第二十一条）',
};

export { DISCLOSURES } from '../publication/registry.js';

/** Legal grounds for not disclosing (`withholdGround`, REGULATIONS.md §1). */
export const WITHHOLD_GROUNDS = ['第十四条 国家秘密', '第十四条 法律、行政法规禁止公开', '第十四条 危及国家安全、公共安全、经济安全、社会稳定', '第十五条 商业秘密', '第十五条 个人隐私', '第十六条 内部事务信息', '第十六条 过程性信息', '第十六条 行政执法案卷'] as const;

export const INTERPRETATION_FORMS = ['text', 'graphic', 'video', 'qa'] as const;

/** English names of the Art. 20 categories (the Chinese are CATEGORY_NAMES). */
export const CATEGORY_NAMES_EN: Record<string, string> = {
  'a20-01': 'Administrative regulations, rules and normative documents',
  'a20-02': 'Functions, structure, address, hours, contacts and head of the agency',
  'a20-03': 'Economic and social development plans, special and regional plans and related policies',
  'a20-04': 'Economic and social development statistics',
  'a20-05': 'Licensing and other services: basis, conditions, procedure and results',
  'a20-06': 'Penalties and coercive measures: basis, conditions, procedure and decisions with social impact',
  'a20-07': 'Budgets and final accounts',
  'a20-08': 'Administrative fees: items, basis and standards',
  'a20-09': 'Centralised government procurement: catalogue, standards and implementation',
  'a20-10': 'Major construction projects: approval and implementation',
  'a20-11': 'Poverty relief, education, healthcare, social security and employment policies',
  'a20-12': 'Emergency plans, warnings and responses',
  'a20-13': 'Supervision of environment, public health, work safety, food and drugs, product quality',
  'a20-14': 'Civil-service recruitment: posts, numbers, conditions and results',
  'a20-15': 'Other information to be disclosed by law',
  a21: 'Municipal construction, public services, land and housing expropriation, public order, social assistance (Art. 21)',
};
