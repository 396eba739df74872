// The demo 市场主体名录库: about 3,000 businesses of the demo district, by trade — restaurants and
// shops on every street, food factories, chemical and building-material plants in the industrial
// park, hotels and travel agencies by the sea, petrol stations, printers, cooperatives — each with
// a 统一社会信用代码 whose check character is right (GB 32100-2015: 91 企业, 92 个体工商户,
// 93 农民专业合作社; Dalian's region codes 2102xx), a name of its trade, an address on a road of
// its 街道, a legal representative (the operator, for a 个体工商户), a GB/T 4754 class consistent
// with the name and a risk level weighted by trade. Deterministic from the generator given.
import { intWith, pickWith, sampleWith } from '../../../platform/random.js';
import { personName, weighted } from '../../requests/demo/pool.js';
import { FIRMS } from '../../catalog/demo/vocab.js';
import { USCC_ALPHABET, withUsccCheck } from '../service/uscc.js';
import type { EntityTable } from '../schema.js';

type R = () => number;
type Risk = 'low' | 'medium' | 'high';
type Kind = '1' | '2' | '3';

/** The 街道 of the demo district and their roads (the first three are the demo's subdistrict offices). */
export const AREAS: [string, string[]][] = [
  ['海滨街道', ['海滨路', '滨海东路', '望海路', '幸福路', '海韵街']],
  ['新胜街道', ['新胜大街', '学府街', '春晖巷', '长江路', '黄河路']],
  ['工业园街道', ['园区一路', '工业园二路', '园区三路', '松林街', '创业路']],
  ['金港街道', ['金港大道', '港东路', '港湾街', '渔港路']],
  ['龙湖街道', ['龙湖路', '青云街', '湖滨路', '政务大道']],
];
export const AREA_NAMES = AREAS.map(([a]) => a);

/** Where a trade sits: weights of the five areas, in AREAS order. */
const TOWN: number[] = [3, 3, 1, 2, 2];
const SEASIDE: number[] = [6, 1, 0, 2, 2];
const PARK: number[] = [0, 0, 7, 2, 1];

/** 字号: two characters of the kind shop signs use, or a firm name of the catalog's demo. */
const TRADE_CHARS = '海金鼎恒华瑞联辰远信宏康启丰东蓝盛润泰兴隆祥顺安达成源新利和嘉福永佳益诚正德宝晟鑫汇通昌荣翔鸿景澜';

interface Trade {
  /** How many entities of the trade. */
  n: number;
  /** GB/T 4754 classes with the words a name of that class uses. */
  classes: [string, string[]][];
  /** Shares of 企业, 个体工商户, 合作社. */
  kinds: [Kind, number][];
  /** Company suffixes by class words ('' = the class word itself ends the name). */
  company: string;
  areas: number[];
  risk: [Risk, number][];
  /** The department that keeps the register rows of this trade. */
  dept: string;
}

const TRADES: Trade[] = [
  {
    n: 560,
    classes: [
      ['H6210', ['海鲜酒家', '家常菜馆', '饭店', '酒楼', '烧烤店', '火锅店', '东北菜馆', '海鲜饺子馆']],
      ['H6220', ['快餐店', '面馆', '包子铺', '饺子馆', '麻辣烫店']],
      ['H6291', ['小吃店', '煎饼铺', '焖子店', '鱼丸店']],
      ['H6231', ['茶馆', '茶社']],
      ['H6232', ['咖啡馆', '咖啡厅']],
      ['H6241', ['餐饮配送中心', '团餐配送部']],
    ],
    kinds: [['2', 0.62], ['1', 0.38]],
    company: '餐饮管理有限公司',
    areas: TOWN,
    risk: [['low', 25], ['medium', 60], ['high', 15]],
    dept: 'scjg',
  },
  {
    n: 680,
    classes: [
      ['F5212', ['超市', '便利店', '生活超市']],
      ['F5211', ['百货商店', '百货商场']],
      ['F5221', ['粮油店', '粮油商行']],
      ['F5223', ['果蔬店', '水果店', '蔬菜店']],
      ['F5226', ['烟酒茶行', '名酒行', '茶叶店']],
      ['F5225', ['保健品店']],
      ['F5231', ['服装店', '布艺店']],
      ['F5243', ['书店', '书报亭']],
      ['F5281', ['五金店', '五金商行']],
      ['F5251', ['大药房', '药店']],
      ['F5286', ['装饰材料商店', '建材商店']],
    ],
    kinds: [['2', 0.7], ['1', 0.3]],
    company: '商贸有限公司',
    areas: TOWN,
    risk: [['low', 65], ['medium', 30], ['high', 5]],
    dept: 'scjg',
  },
  {
    n: 180,
    classes: [
      ['C1361', ['水产品']],
      ['C1362', ['海产品']],
      ['C1411', ['食品', '烘焙食品']],
      ['C1431', ['面业', '米面制品']],
      ['C1432', ['速冻食品']],
      ['C1331', ['粮油']],
      ['C1522', ['饮用水', '矿泉水']],
      ['C1524', ['乳业', '饮品']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: [1, 1, 6, 3, 0],
    risk: [['low', 10], ['medium', 55], ['high', 35]],
    dept: 'scjg',
  },
  {
    n: 140,
    classes: [
      ['F5123', ['果蔬批发商行', '果蔬']],
      ['F5134', ['日化', '化妆品']],
      ['F5165', ['建材']],
      ['F5162', ['石油化工']],
    ],
    kinds: [['1', 0.7], ['2', 0.3]],
    company: '贸易有限公司',
    areas: [1, 1, 3, 4, 1],
    risk: [['low', 40], ['medium', 45], ['high', 15]],
    dept: 'scjg',
  },
  {
    n: 90,
    classes: [['L7291', ['国际旅行社', '旅行社', '旅游']]],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: SEASIDE,
    risk: [['low', 30], ['medium', 55], ['high', 15]],
    dept: 'whly',
  },
  {
    n: 130,
    classes: [
      ['H6110', ['大酒店', '海景酒店', '度假酒店']],
      ['H6121', ['快捷酒店', '商务酒店']],
      ['H6129', ['宾馆', '旅馆', '招待所']],
      ['H6130', ['民宿', '海边民宿']],
    ],
    kinds: [['1', 0.6], ['2', 0.4]],
    company: '酒店管理有限公司',
    areas: SEASIDE,
    risk: [['low', 30], ['medium', 55], ['high', 15]],
    dept: 'whly',
  },
  {
    n: 70,
    classes: [
      ['R9011', ['KTV', '歌舞厅']],
      ['R9013', ['网吧', '网咖']],
      ['R9012', ['电玩城']],
      ['R9020', ['游乐园', '海上乐园']],
    ],
    kinds: [['1', 0.6], ['2', 0.4]],
    company: '文化娱乐有限公司',
    areas: [4, 3, 0, 1, 2],
    risk: [['low', 20], ['medium', 50], ['high', 30]],
    dept: 'whly',
  },
  {
    n: 70,
    classes: [
      ['C2614', ['化工', '精细化工']],
      ['C2619', ['化学']],
      ['C2641', ['涂料']],
      ['C2642', ['油墨']],
      ['C2929', ['塑料制品', '塑胶']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: PARK,
    risk: [['medium', 30], ['high', 70]],
    dept: 'yjgl',
  },
  {
    n: 110,
    classes: [
      ['C3021', ['水泥制品', '预制构件']],
      ['C3022', ['混凝土', '商品混凝土']],
      ['C3031', ['新型墙材', '建材']],
      ['C3033', ['防水材料']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: PARK,
    risk: [['low', 15], ['medium', 55], ['high', 30]],
    dept: 'scjg',
  },
  {
    n: 60,
    classes: [
      ['C2319', ['印刷', '包装印刷', '彩印']],
      ['C2311', ['印务']],
    ],
    kinds: [['1', 0.8], ['2', 0.2]],
    company: '有限公司',
    areas: [1, 2, 5, 2, 0],
    risk: [['low', 30], ['medium', 55], ['high', 15]],
    dept: 'sthj',
  },
  {
    n: 40,
    classes: [['F5265', ['加油站']]],
    kinds: [['1', 1]],
    company: '',
    areas: [2, 2, 2, 2, 2],
    risk: [['medium', 40], ['high', 60]],
    dept: 'yjgl',
  },
  {
    n: 170,
    classes: [
      ['C3484', ['机械', '精密机械']],
      ['C3311', ['钢结构']],
      ['C3360', ['表面处理', '热处理']],
      ['C3441', ['泵业']],
      ['C3443', ['阀门']],
      ['C3435', ['电梯']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: PARK,
    risk: [['low', 30], ['medium', 50], ['high', 20]],
    dept: 'scjg',
  },
  {
    n: 150,
    classes: [
      ['I6513', ['软件', '信息技术']],
      ['I6531', ['智能科技', '信息系统']],
      ['M7520', ['知识产权代理', '专利代理']],
      ['C3912', ['电子科技', '电子']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: [2, 3, 3, 1, 3],
    risk: [['low', 80], ['medium', 18], ['high', 2]],
    dept: 'scjg',
  },
  {
    n: 300,
    classes: [
      ['O8040', ['美发店', '美容院', '理发店']],
      ['O8051', ['洗浴中心', '浴池']],
      ['O8052', ['足浴店']],
      ['O8030', ['洗衣店', '干洗店']],
      ['O8010', ['家政服务部', '家政']],
      ['O8060', ['摄影工作室', '照相馆']],
    ],
    kinds: [['2', 0.75], ['1', 0.25]],
    company: '服务有限公司',
    areas: TOWN,
    risk: [['low', 60], ['medium', 35], ['high', 5]],
    dept: 'scjg',
  },
  {
    n: 120,
    classes: [
      ['G5431', ['物流', '货运']],
      ['G5432', ['冷链物流']],
      ['G5920', ['仓储', '仓储服务']],
      ['G5942', ['危险品仓储']],
    ],
    kinds: [['1', 1]],
    company: '有限公司',
    areas: [0, 0, 4, 5, 1],
    risk: [['low', 30], ['medium', 45], ['high', 25]],
    dept: 'scjg',
  },
  {
    n: 40,
    classes: [
      ['A0141', ['蔬菜种植']],
      ['A0142', ['食用菌种植']],
      ['A0411', ['海水养殖', '海参养殖']],
    ],
    kinds: [['3', 1]],
    company: '专业合作社',
    areas: [1, 0, 0, 3, 2],
    risk: [['low', 60], ['medium', 35], ['high', 5]],
    dept: 'scjg',
  },
  {
    n: 90,
    classes: [
      ['F5261', ['汽车销售', '汽车贸易']],
      ['F5263', ['汽车配件']],
      ['F5267', ['新能源充电']],
    ],
    kinds: [['1', 0.8], ['2', 0.2]],
    company: '有限公司',
    areas: [1, 2, 3, 3, 1],
    risk: [['low', 55], ['medium', 35], ['high', 10]],
    dept: 'scjg',
  },
];

/** Petrol stations belong to the big oil companies: their branch names. */
const OIL = ['中国石油天然气股份有限公司辽宁大连销售分公司', '中国石化销售股份有限公司辽宁大连石油分公司', '大连中油兴港石油销售有限公司', '中海油辽宁能源销售有限公司大连分公司'];
const VILLAGES = ['红旗', '大李家', '石河', '董家沟', '登沙河', '七顶山', '青云', '湾里'];

/** A register row as the demo writes it, with its department's code (resolved to its id on insert). */
export type DemoEntity = Pick<EntityTable, 'credit_code' | 'name' | 'address' | 'legal_rep' | 'industry' | 'risk' | 'area' | 'active'> & { dept: string };

/** GB 11714 organisation code check character (the 9 characters of older codes). */
function orgCode(r: R): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const body = Array.from({ length: 8 }, () => String(intWith(r, 0, 9)));
  const c = 11 - (body.reduce((s, d, i) => s + Number(d) * w[i], 0) % 11);
  return body.join('') + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/** The 主体标识码 of a code: 'MA' and seven characters (after 2015), or an older organisation code. */
function subjectId(r: R, kind: Kind): string {
  // An organisation code's check character 'X' is a character of credit codes too.
  if (kind === '1' && r() < 0.35) return orgCode(r);
  return 'MA' + Array.from({ length: 7 }, () => pickWith(r, [...USCC_ALPHABET])).join('');
}

function firm(r: R): string {
  if (r() < 0.15) return pickWith(r, FIRMS);
  const [a, b] = sampleWith(r, [...TRADE_CHARS], 2);
  return a + b;
}

function address(r: R, road: string, industrial: boolean): string {
  const no = intWith(r, 1, industrial ? 260 : 399);
  const tail = industrial
    ? pickWith(r, ['', '', '', '厂区', `${intWith(r, 1, 6)}号厂房`])
    : pickWith(r, ['', '', `${intWith(r, 1, 30)}号楼${intWith(r, 1, 4)}单元`, `-${intWith(r, 1, 12)}`, `${intWith(r, 1, 3)}层`, `商铺${intWith(r, 1, 40)}`]);
  return `示范新区${road}${no}号${tail}`;
}

function nameOf(r: R, t: Trade, kind: Kind, words: string[], rep: string, road: string, village: string): string {
  if (t.classes[0][0] === 'F5265') return `${pickWith(r, OIL)}示范新区${road}加油站`;
  // Stalls and counters (…部, …铺, …亭) are 个体工商户; a company of the trade takes its generic name.
  const corporate = words.filter((w) => !/([部铺亭]|中心)$/.test(w));
  const word = pickWith(r, kind === '1' && corporate.length ? corporate : words);
  if (kind === '1' && !corporate.length) return `${pickWith(r, ['大连', '示范新区'])}${firm(r)}${t.company}`;
  if (kind === '3') return `示范新区${village}${firm(r)}${word}专业合作社`;
  if (kind === '2') {
    // 个体工商户: the operator's surname, the road or a shop name before what it sells.
    const lead = weighted(r, [
      [`${rep[0]}记`, 3],
      [`老${rep[0]}家`, 2],
      [road, 2],
      [firm(r), 3],
      [rep, 1],
    ]);
    return `示范新区${lead}${word}`;
  }
  const place = weighted(r, [
    ['大连', 5],
    ['示范新区', 3],
    ['辽宁', 1],
  ]);
  if (!t.company) return `${place}${firm(r)}${word}`;
  // Words that already name the business ('国际旅行社', '大酒店') take 有限公司 alone.
  const suffix = /社|店|园|城|厅|馆|行$/.test(word) ? '有限公司' : t.company;
  return `${place}${firm(r)}${word}${suffix}`;
}

/** The demo's entities, about 3,000 of them, deterministic. Codes and names are unique. */
export function demoEntities(r: R): DemoEntity[] {
  const out: DemoEntity[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const t of TRADES) {
    const industrial = t.areas === PARK;
    for (let i = 0; i < t.n; i++) {
      const kind = weighted(r, t.kinds);
      const [industry, words] = pickWith(r, t.classes);
      const [area, roads] = AREAS[weighted(r, t.areas.map((w, k) => [k, w] as [number, number]))];
      const rep = personName(r);
      let name = '';
      let road = '';
      const village = pickWith(r, VILLAGES);
      for (let tries = 0; tries < 20 && (!name || names.has(name)); tries++) {
        road = pickWith(r, roads);
        name = nameOf(r, t, kind, words, rep, road, village);
      }
      if (names.has(name)) continue;
      names.add(name);
      let code = '';
      while (!code || codes.has(code)) {
        // Registered by the district's bureau; some companies by the city's.
        const region = kind === '1' && r() < 0.2 ? '210200' : '210213';
        code = withUsccCheck(`9${kind}${region}${subjectId(r, kind)}`);
      }
      codes.add(code);
      out.push({
        credit_code: code,
        name,
        // Cooperatives are in their village; petrol stations and plants at a plain number.
        address: kind === '3' ? `示范新区${village}村${intWith(r, 1, 9)}组${intWith(r, 1, 80)}号` : address(r, road, industrial || industry === 'F5265'),
        legal_rep: rep,
        industry,
        risk: weighted(r, t.risk),
        area,
        // About 3% 注销 or 吊销: kept in the register, out of the pools.
        active: r() < 0.03 ? 0 : 1,
        dept: t.dept,
      });
    }
  }
  return out;
}
