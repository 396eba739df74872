// What the demo's licensing and penalty decisions say, by domain: the kinds of case district
// bureaus really publish (产品质量, 食品安全, 知识产权, 市场秩序, 旅游, 安全生产, 生态环境), with
// the article they rest on. `{…}` slots are filled per decision (a product, an amount, a date, a
// count), so that no two of the 200 read the same. Who the subject is: a legal person of the
// register's trades (industry prefixes) or a natural person (导游, 特种作业人员, 无照经营者 …).

export interface PenaltyText {
  /** Legal persons of these industries (prefixes), or a natural person. */
  subject: string[] | 'natural';
  facts: string;
  basis: string;
  category: string[];
  content: string;
  severities: ('minor' | 'ordinary' | 'serious')[];
}

export interface LicenceText {
  subject: string[];
  facts: string;
  basis: string;
  category: string;
  licenceName: string;
  /** Licence number prefix; the serial follows. */
  licencePrefix: string;
  years: number;
}

export interface DomainTexts {
  dept: string;
  /** Decision numbers: 罚 and 许 words of the department. */
  penaltyWord: string;
  licenceWord: string;
  penalties: PenaltyText[];
  licences: LicenceText[];
}

/** Products and foods by the subject's industry (the longest matching prefix), for {product} and {food}. */
export const GOODS: Record<string, { product: string[]; food: string[] }> = {
  '': { product: ['电动自行车', '儿童玩具', '电线电缆', '插座', '家用电吹风', '学生文具', '儿童服装', '燃气灶具'], food: ['散装熟食', '预包装饮料', '速冻水饺', '面包糕点', '食用植物油', '调味品', '乳制品'] },
  C30: { product: ['水泥', '混凝土预制构件', '蒸压加气混凝土砌块', '防水卷材'], food: [] },
  C33: { product: ['钢结构构件', '金属门窗', '热镀锌钢管'], food: [] },
  C34: { product: ['阀门', '离心泵', '电梯层门', '机械零部件'], food: [] },
  C29: { product: ['塑料管材', '塑料包装容器'], food: [] },
  C39: { product: ['计算机主板', '电源适配器'], food: [] },
  C136: { product: [], food: ['冷冻海鱼', '鲜海参', '即食海蜇', '鱼糜制品'] },
  C14: { product: [], food: ['面包糕点', '速冻水饺', '米面制品'] },
  C13: { product: [], food: ['食用植物油'] },
  C15: { product: [], food: ['瓶装饮用水', '含乳饮料'] },
  H62: { product: [], food: ['自制凉菜', '散装熟食', '海鲜'] },
};

/** Slot values. */
export const SLOTS: Record<string, string[]> = {
  brand: ['“海之蓝”', '“北极星”', '“金龙鱼”', '“耐克”', '“老干妈”', '“小天鹅”', '“公牛”', '“晨光”'],
  hazard: ['有限空间作业未执行审批制度', '粉尘涉爆区域未设置泄爆装置', '危险化学品储存未设置专用仓库', '特种作业人员未持证上岗', '未按规定开展安全生产教育和培训', '未建立事故隐患排查治理制度'],
  pollutant: ['化学需氧量', '氨氮', '挥发性有机物', '颗粒物', '二氧化硫'],
};

export const DOMAIN_TEXTS: Record<string, DomainTexts> = {
  quality: {
    dept: 'scjg',
    penaltyWord: '示新市监罚',
    licenceWord: '示新市监许',
    penalties: [
      { subject: ['C30', 'C33', 'C34', 'C29'], facts: '当事人生产的{product}经监督抽查，{item}项目不符合国家标准，涉案货值{value}元。', basis: '《中华人民共和国产品质量法》第四十九条', category: ['fine', 'confiscate-property'], content: '没收不合格{product}{count}件，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['F521', 'F528', 'F51'], facts: '当事人销售的{product}未标注生产厂厂名和厂址，货值{value}元。', basis: '《中华人民共和国产品质量法》第五十四条', category: ['warning', 'fine'], content: '责令改正，给予警告，并处罚款{fine}元。', severities: ['minor', 'ordinary'] },
      { subject: ['F5265'], facts: '当事人销售的车用汽油经抽检，硫含量不符合GB 17930标准要求，已售出{count}升。', basis: '《中华人民共和国产品质量法》第五十条', category: ['fine', 'confiscate-income'], content: '没收违法所得{income}元，并处罚款{fine}元。', severities: ['serious'] },
      { subject: ['C30', 'C33', 'C34'], facts: '当事人未取得工业产品生产许可证擅自生产{product}，货值{value}元。', basis: '《中华人民共和国工业产品生产许可证管理条例》第四十五条', category: ['fine', 'confiscate-property', 'confiscate-income'], content: '责令停止生产，没收违法生产的产品，没收违法所得{income}元，并处罚款{fine}元。', severities: ['serious'] },
      { subject: ['F522'], facts: '当事人使用未经检定的电子秤从事贸易结算。', basis: '《中华人民共和国计量法实施细则》第四十三条', category: ['fine'], content: '责令停止使用，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
    ],
    licences: [
      { subject: ['C30', 'C33'], facts: '准予{name}取得建筑用钢筋/水泥等重要工业产品生产许可（产品单元：{product}）。', basis: '《中华人民共和国工业产品生产许可证管理条例》第九条', category: 'general', licenceName: '全国工业产品生产许可证', licencePrefix: '辽XK', years: 5 },
      { subject: ['C34', 'C33'], facts: '准予{name}计量标准考核（{standard}）。', basis: '《中华人民共和国计量法》第九条', category: 'recognition', licenceName: '计量标准考核证书', licencePrefix: '辽量标连证', years: 4 },
    ],
  },
  food: {
    dept: 'scjg',
    penaltyWord: '示新市监食罚',
    licenceWord: '示新市监食许',
    penalties: [
      { subject: ['F521', 'F522', 'H62'], facts: '当事人经营超过保质期的{food}{count}件，货值{value}元。', basis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项', category: ['fine', 'confiscate-property'], content: '没收超过保质期的{food}，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['H62'], facts: '当事人未按规定对餐具、饮具进行清洗消毒，经责令改正拒不改正。', basis: '《中华人民共和国食品安全法》第一百二十六条第一款第（五）项', category: ['warning', 'fine'], content: '给予警告，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
      { subject: ['H62', 'F522'], facts: '当事人安排未取得健康证明的人员从事接触直接入口食品的工作。', basis: '《中华人民共和国食品安全法》第一百二十六条第一款第（六）项', category: ['warning'], content: '责令改正，给予警告。', severities: ['minor'] },
      { subject: ['C13', 'C14', 'C15'], facts: '当事人生产的{food}经抽检，菌落总数不符合食品安全国家标准，涉案货值{value}元。', basis: '《中华人民共和国食品安全法》第一百二十四条第一款第（一）项', category: ['fine', 'confiscate-property', 'confiscate-income'], content: '没收违法所得{income}元及不合格产品，并处罚款{fine}元。', severities: ['serious'] },
      { subject: 'natural', facts: '当事人未取得食品经营许可，在{road}流动摊点销售自制{food}。', basis: '《中华人民共和国食品安全法》第一百二十二条', category: ['confiscate-property', 'fine'], content: '没收违法经营的食品，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
    ],
    licences: [
      { subject: ['H62', 'F521', 'F522'], facts: '准予{name}食品经营许可（经营项目：预包装食品销售、热食类食品制售）。', basis: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》', category: 'general', licenceName: '食品经营许可证', licencePrefix: 'JY22102130', years: 5 },
      { subject: ['C13', 'C14', 'C15'], facts: '准予{name}食品生产许可（食品类别：{food}）。', basis: '《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》', category: 'general', licenceName: '食品生产许可证', licencePrefix: 'SC1022102130', years: 5 },
    ],
  },
  ip: {
    dept: 'scjg',
    penaltyWord: '示新市监知罚',
    licenceWord: '示新市监知许',
    penalties: [
      { subject: ['F521', 'F523', 'F528'], facts: '当事人销售侵犯{brand}注册商标专用权的商品{count}件，货值{value}元。', basis: '《中华人民共和国商标法》第六十条第二款', category: ['confiscate-property', 'fine'], content: '没收、销毁侵权商品，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['C23'], facts: '当事人承接印制{brand}商标标识未核查商标注册证明，印制{count}件。', basis: '《商标印制管理办法》第十一条', category: ['fine', 'confiscate-income'], content: '收缴侵权商标标识，没收违法所得{income}元，并处罚款{small}元。', severities: ['ordinary'] },
      { subject: ['C34', 'C39', 'F528'], facts: '当事人在{product}包装上标注已失效的专利号，属假冒专利行为。', basis: '《中华人民共和国专利法》第六十八条', category: ['confiscate-income', 'fine'], content: '责令改正，没收违法所得{income}元，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: 'natural', facts: '当事人在网络平台销售假冒{brand}注册商标的商品，销售额{value}元。', basis: '《中华人民共和国商标法》第六十条第二款', category: ['confiscate-property', 'fine'], content: '没收侵权商品，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
    ],
    licences: [],
  },
  market: {
    dept: 'scjg',
    penaltyWord: '示新市监罚',
    licenceWord: '示新市监许',
    penalties: [
      { subject: ['H61', 'O80', 'F52'], facts: '当事人在店堂告示中使用“最低价”“全市第一”等绝对化用语发布广告。', basis: '《中华人民共和国广告法》第五十七条第（一）项', category: ['fine'], content: '责令停止发布广告，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['F521', 'F522', 'F523', 'O80'], facts: '当事人销售商品未按规定明码标价，{count}种商品未标示价格。', basis: '《明码标价和禁止价格欺诈规定》第二十一条', category: ['warning', 'fine'], content: '责令改正，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
      { subject: ['F5', 'H62', 'O80', 'C', 'G5'], facts: '当事人未按规定期限公示{year}年度报告，被列入经营异常名录后仍未改正。', basis: '《企业信息公示暂行条例》第十七条', category: ['warning'], content: '给予警告。', severities: ['minor'] },
      { subject: 'natural', facts: '当事人未依法取得营业执照，在{road}从事{food}经营活动，违法所得{income}元。', basis: '《无证无照经营查处办法》第十三条', category: ['confiscate-income', 'fine'], content: '责令停止违法行为，没收违法所得{income}元，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
    ],
    licences: [],
  },
  tourism: {
    dept: 'whly',
    penaltyWord: '示新文旅罚',
    licenceWord: '示新文旅许',
    penalties: [
      { subject: ['L72'], facts: '当事人组织“{route}”旅游团未与{count}名旅游者签订书面旅游合同。', basis: '《旅行社条例》第五十五条第（四）项', category: ['fine'], content: '责令改正，并处罚款{fine}元。', severities: ['ordinary'] },
      { subject: ['L72'], facts: '当事人以不合理的低价组织“{route}”旅游活动，诱骗旅游者购物并获取回扣。', basis: '《中华人民共和国旅游法》第九十八条', category: ['fine', 'confiscate-income', 'suspend-business'], content: '没收违法所得{income}元，处罚款{fine}元，责令停业整顿一个月。', severities: ['serious'] },
      { subject: 'natural', facts: '当事人（导游）在带领“{route}”旅游团期间擅自变更旅游行程、中止导游活动。', basis: '《中华人民共和国旅游法》第一百条', category: ['fine', 'suspend-licence'], content: '处罚款{small}元，暂扣导游证一个月。', severities: ['ordinary', 'serious'] },
      { subject: ['R90'], facts: '当事人经营的娱乐场所在规定营业时间以外营业。', basis: '《娱乐场所管理条例》第四十八条', category: ['warning', 'fine'], content: '给予警告，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
      { subject: ['R90'], facts: '当事人经营的互联网上网服务营业场所接纳未成年人进入营业场所。', basis: '《互联网上网服务营业场所管理条例》第三十一条', category: ['warning', 'fine'], content: '给予警告，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
    ],
    licences: [
      { subject: ['L72'], facts: '准予{name}经营国内旅游业务和入境旅游业务。', basis: '《旅行社条例》第六条', category: 'general', licenceName: '旅行社业务经营许可证', licencePrefix: 'L-LN-', years: 6 },
      { subject: ['R9011'], facts: '准予{name}从事娱乐场所经营活动（歌舞娱乐场所，包厢{rooms}间）。', basis: '《娱乐场所管理条例》第九条', category: 'general', licenceName: '娱乐经营许可证', licencePrefix: '210213', years: 2 },
      { subject: ['R9012', 'R9020'], facts: '准予{name}从事娱乐场所经营活动（游艺娱乐场所，游戏游艺设备{rooms}台）。', basis: '《娱乐场所管理条例》第九条', category: 'general', licenceName: '娱乐经营许可证', licencePrefix: '210213', years: 2 },
      { subject: ['H6130'], facts: '准予{name}旅游民宿等级评定（丙级）。', basis: '《旅游民宿基本要求与等级划分》', category: 'recognition', licenceName: '旅游民宿等级证书', licencePrefix: 'LNMS', years: 3 },
    ],
  },
  safety: {
    dept: 'yjgl',
    penaltyWord: '示新应急罚',
    licenceWord: '示新应急许',
    penalties: [
      { subject: ['C26', 'C29', 'G59'], facts: '当事人{hazard}，经现场检查发现并责令限期改正。', basis: '《中华人民共和国安全生产法》第九十七条', category: ['fine'], content: '责令限期改正，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['C30', 'C33', 'C34'], facts: '当事人{hazard}，存在重大事故隐患。', basis: '《中华人民共和国安全生产法》第一百零二条', category: ['fine', 'suspend-business'], content: '责令停产停业整顿，并处罚款{fine}元。', severities: ['serious'] },
      { subject: ['F5265'], facts: '当事人卸油作业未按规定连接静电接地装置，油气回收系统未正常运行。', basis: '《中华人民共和国安全生产法》第九十九条', category: ['fine'], content: '责令限期改正，并处罚款{fine}元。', severities: ['ordinary'] },
      { subject: 'natural', facts: '当事人未取得特种作业操作证从事{work}作业。', basis: '《特种作业人员安全技术培训考核管理规定》第三十九条', category: ['fine'], content: '处罚款{small}元。', severities: ['minor', 'ordinary'] },
      { subject: ['H62', 'R90', 'H61'], facts: '当事人未按规定制定生产安全事故应急救援预案并组织演练。', basis: '《生产安全事故应急条例》第三十条', category: ['warning', 'fine'], content: '责令限期改正，给予警告，并处罚款{small}元。', severities: ['minor', 'ordinary'] },
    ],
    licences: [
      { subject: ['C26', 'G59', 'F51'], facts: '准予{name}经营危险化学品（不带储存设施，品种：{chemical}）。', basis: '《危险化学品安全管理条例》第三十三条', category: 'special', licenceName: '危险化学品经营许可证', licencePrefix: '辽连示危化经字〔2026〕', years: 3 },
      { subject: ['F521'], facts: '准予{name}零售烟花爆竹（春节期间临时零售点）。', basis: '《烟花爆竹安全管理条例》第十九条', category: 'special', licenceName: '烟花爆竹经营（零售）许可证', licencePrefix: '（辽）YH零', years: 1 },
    ],
  },
  environment: {
    dept: 'sthj',
    penaltyWord: '示新环罚',
    licenceWord: '示新环许',
    penalties: [
      { subject: ['C26', 'C23', 'C30'], facts: '当事人排放的废水中{pollutant}浓度超过排放标准{times}倍。', basis: '《中华人民共和国水污染防治法》第八十三条', category: ['fine'], content: '责令改正，并处罚款{fine}元。', severities: ['ordinary', 'serious'] },
      { subject: ['C23', 'C26', 'C29'], facts: '当事人未按排污许可证规定安装、使用{pollutant}自动监测设备。', basis: '《排污许可管理条例》第三十六条', category: ['fine'], content: '责令改正，并处罚款{fine}元。', severities: ['ordinary'] },
      { subject: ['C30', 'C33', 'C34'], facts: '当事人建设项目环境影响报告表未经批准擅自开工建设。', basis: '《中华人民共和国环境影响评价法》第三十一条', category: ['fine'], content: '责令停止建设，并处罚款{fine}元（建设项目总投资额的1%）。', severities: ['serious'] },
      { subject: ['C26', 'C33', 'G59'], facts: '当事人未按规定设置危险废物识别标志，危险废物贮存不规范。', basis: '《中华人民共和国固体废物污染环境防治法》第一百一十二条', category: ['fine'], content: '责令改正，并处罚款{fine}元。', severities: ['minor', 'ordinary'] },
    ],
    licences: [
      { subject: ['C23', 'C26', 'C30'], facts: '准予{name}排污许可（主要污染物：{pollutant}）。', basis: '《排污许可管理条例》第十二条', category: 'general', licenceName: '排污许可证', licencePrefix: '912102', years: 5 },
      { subject: ['C30', 'C33', 'C34', 'C26'], facts: '同意{name}扩建项目环境影响报告表。', basis: '《中华人民共和国环境影响评价法》第二十二条', category: 'approval', licenceName: '建设项目环境影响报告表批复', licencePrefix: '示新环审〔2026〕', years: 5 },
    ],
  },
};

export const MORE_SLOTS: Record<string, string[]> = {
  item: ['绝缘电阻', '标志和说明', '燃烧性能', '拉伸强度', '抗压强度', '耐热性', '能效等级'],
  route: ['大连—丹东三日游', '金石滩一日游', '长海海岛两日游', '旅顺口一日游', '哈尔滨冰雪四日游', '云南六日游'],
  work: ['电工', '焊接与热切割', '高处', '制冷与空调'],
  chemical: ['硫酸、盐酸', '乙醇、丙酮', '油漆、稀释剂', '液化石油气'],
  standard: ['电子计价秤检定装置', '压力表检定装置', '出租汽车计价器检定装置', '加油机检定装置'],
};
