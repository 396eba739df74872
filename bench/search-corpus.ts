// A reproducible synthetic corpus of Chinese government-style items for the search benchmark:
// every item is a pure function of (seed, id). Vocabulary: common government prose words, the
// government dictionary and a long tail of generated words, drawn with Zipf-like frequencies
// (s = 1.0); about 1,500 characters of body per item.
import type { IndexableItem } from '../src/platform/publication/indexable.js';
import { governmentTerms } from '../src/platform/search/index.js';
import { seededRandom as mulberry32 } from '../src/platform/random.js';

export const COMMON = (
  '工作 管理 服务 建设 发展 推进 加强 落实 开展 实施 相关 单位 部门 要求 规定 按照 进一步 完善 制度 机制 提高 保障 群众 企业 社会 经济 安全 情况 问题 组织 领导 责任 重点 任务 措施 政策 全面 深化 改革 创新 质量 水平 能力 体系 监督 检查 考核 资金 项目 计划 方案 目标 标准 规范 依法 及时 有效 积极 认真 切实 严格 确保 各级 有关 本区 街道 社区 区域 年度 季度 数据 信息 系统 平台 网络 公开 政府 人民 会议 研究 决定 通过 同意 批准 审核 审批 办理 申请 受理 结果 反馈 意见 建议 报告 总结 统计 分析 评估 宣传 培训 教育 指导 协调 配合 联合 共同 推动 促进 支持 鼓励 引导 规划 布局 优化 调整 提升 增强 扩大 减少 降低 控制 防范 化解 风险 隐患 整改 整治 治理 环境 生态 文化 卫生 健康 医疗 就业 收入 住房 交通 农业 农村 农民 城市 城乡 基层 公共 民生 稳定 和谐 平安 法治 规则 程序 时限 材料 条件 对象 范围 内容 方式 途径 渠道 窗口 电话 地址 网站 的 和 与 及 等 在 对 为 将 由 并 已 于 了 是 各 该 其 本 中 上 下 内 以上 以下 所有 主要 具体 其他 全部 一般 重大 特别 必须 应当 可以 不得 予以 给予 进行 加快 持续 深入 扎实 稳步 有序 统筹 协同 高效 便捷 规范化 标准化 信息化 数字化 智能化 专项 行动 活动 检查组 督导组 工作组 领导小组 办公室 联系人 附件 通知 如下 特此 现将 印发 给你们 请结合实际 认真贯彻执行'
).split(' ');

/** Characters for generated tail words (common hanzi). */
const HANZI =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞';


export interface Corpus {
  seed: number;
  vocab: string[];
  item(id: number, total: number): IndexableItem;
}

export const TYPES = ['document', 'document', 'document', 'document', 'interpretation', 'appeal', 'report', 'list-edition'];
const TOPICS = ['综合政务', '经济管理', '财政预决算', '城乡建设', '市场监管', '生态环境', '教育', '卫生健康', '社会保障', '交通运输', '农业农村', '公共安全', '文化旅游', '科技', '民政', '司法', '审计', '统计', '应急管理', '自然资源'];
const GENRES = ['通知', '意见', '办法', '决定', '公告', '通告', '方案', '规划', '报告', '批复', '函', '说明'];
const TITLE_SUFFIX = ['的通知', '的实施意见', '管理办法', '实施方案', '工作要点', '的公告', '的批复', '情况报告', '的决定', '工作方案'];
export const DEPARTMENTS = Array.from({ length: 40 }, (_, i) => ({ code: `d${String(i + 1).padStart(2, '0')}`, name: `区第${i + 1}委办局` }));

export function makeCorpus(seed = 20261127): Corpus {
  const rnd = mulberry32(seed);
  const gov = governmentTerms();
  const tail = new Set<string>();
  while (tail.size < 30000) {
    const n = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += HANZI[Math.floor(rnd() * HANZI.length)];
    tail.add(w);
  }
  // Ranks: common prose words first, then government terms, then the tail.
  const vocab = [...new Set([...COMMON, ...gov, ...tail])];
  const cdf = new Float64Array(vocab.length);
  let acc = 0;
  for (let r = 0; r < vocab.length; r++) {
    acc += 1 / (r + 1);
    cdf[r] = acc;
  }
  for (let r = 0; r < vocab.length; r++) cdf[r] /= acc;
  // The smallest rank whose cdf reaches u, found by binary search between two bounds read from a
  // guide table (guide[j] = the smallest rank with cdf ≥ j/GUIDE): the same rank as a search over
  // the whole table (so the same corpus), in a few steps instead of fifteen — generating the items
  // is the benchmark's own cost, counted in the import figure.
  const GUIDE = 1 << 16;
  const guide = new Int32Array(GUIDE + 1);
  for (let j = 0, r = 0; j <= GUIDE; j++) {
    while (r < cdf.length - 1 && cdf[r] < j / GUIDE) r++;
    guide[j] = r;
  }
  const pick = (u: number) => {
    const j = Math.floor(u * GUIDE);
    let lo = guide[j];
    let hi = guide[j + 1] ?? cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const start = Date.parse('2015-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  return {
    seed,
    vocab,
    item(id, total) {
      const r = mulberry32(seed ^ Math.imul(id, 2654435761));
      const govTerm = () => gov[Math.floor(r() * gov.length)];
      const title = `关于${govTerm()}${pick(r())}${r() < 0.5 ? govTerm() : ''}${TITLE_SUFFIX[Math.floor(r() * TITLE_SUFFIX.length)]}`;
      const target = 1400 + Math.floor(r() * 200);
      const parts: string[] = [];
      let len = 0;
      while (len < target) {
        const words = 8 + Math.floor(r() * 14);
        let s = '';
        for (let i = 0; i < words; i++) {
          s += pick(r());
          if (r() < 0.03) s += `${2015 + Math.floor(r() * 12)}年${1 + Math.floor(r() * 12)}月`;
          if (i > 2 && r() < 0.08) s += '，';
        }
        s += r() < 0.1 ? '；' : '。';
        parts.push(s);
        len += s.length;
      }
      const dept = DEPARTMENTS[Math.min(DEPARTMENTS.length - 1, Math.floor(DEPARTMENTS.length * Math.pow(r(), 1.6)))];
      const t = start + Math.floor((span * (id - 1)) / Math.max(1, total)) + Math.floor(r() * 86400000);
      const v = r();
      return {
        id,
        type: TYPES[Math.floor(r() * TYPES.length)],
        indexNo: `11010${dept.code.slice(1)}/${new Date(t).getUTCFullYear()}-${String(id).padStart(7, '0')}`,
        title,
        text: parts.join(''),
        department: dept.code,
        departmentName: dept.name,
        topic: TOPICS[Math.floor(r() * TOPICS.length)],
        genre: GENRES[Math.floor(r() * GENRES.length)],
        validity: v < 0.8 ? 'valid' : v < 0.95 ? 'expired' : 'repealed',
        publishedAt: new Date(t).toISOString(),
        url: `/catalog/items/${id}`,
      };
    },
  };
}
