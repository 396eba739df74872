// Demo consultations: a plausible 管理办法 draft (a preamble title, chapters, 10–20 articles drawn
// from a subject's pool and the common closing articles, some with numbered items), deterministic
// from the seed; opened (state 'open': opened a few days ago, closing 30–45 days after opening, in
// the future) or opened and closed in the past (state 'closed'). Comments are the comments part's.
import type { Platform } from '../../../platform/platform.js';
import { intWith, pickWith, seededRandom } from '../../../platform/random.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { closeDue, createConsultation, openConsultation } from '../service/consultations.js';

const DAY = 24 * 3600_000;
const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..99 in Chinese numerals (十二, 二十, 二十三). */
export function cnNumber(n: number): string {
  if (n < 10) return CN[n];
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CN[tens]}十${CN[n % 10]}`;
}

interface Subject {
  name: string;
  authority: string;
  purpose: string;
  chapters: { title: string; articles: string[] }[];
}

const SUBJECTS: Subject[] = [
  {
    name: '城市公园管理办法',
    authority: '区住房和城乡建设局',
    purpose: '加强城市公园管理，保护公园资源，为公众提供良好的游憩环境',
    chapters: [
      {
        title: '规划与建设',
        articles: [
          '新建、改建、扩建公园，应当符合城市绿地系统规划，并公开征求周边居民意见。',
          '公园配套服务设施的建设应当与公园主体工程同时设计、同时施工、同时交付使用。',
          '公园内应当按照有关标准设置无障碍设施、母婴室和公共厕所。',
        ],
      },
      {
        title: '保护与管理',
        articles: [
          '公园管理单位应当履行下列职责：\n1. 制定并公示游园守则；\n2. 维护公园设施，保持园容整洁；\n3. 劝阻和制止损害公园设施的行为。',
          '公园应当每日开放。确需临时闭园的，公园管理单位应当提前3日向社会公告。',
          '禁止在公园内从事下列行为：\n（一）擅自摆摊设点、兜售物品；\n（二）损毁花草树木；\n（三）在非指定区域焚烧物品、燃放烟花爆竹。',
          '在公园内举办大型活动的，举办者应当制定安全工作方案，并报公园管理单位备案。',
          '公园内的广场舞等健身活动应当遵守公园管理单位规定的时间、区域和音量要求。',
          '携犬进入公园的，应当为犬只束犬链，并及时清除犬只粪便。',
        ],
      },
    ],
  },
  {
    name: '机动车停车管理办法',
    authority: '区交通运输局',
    purpose: '规范机动车停车秩序，合理利用停车资源，缓解停车难问题',
    chapters: [
      {
        title: '停车设施规划与建设',
        articles: [
          '区交通运输局会同有关部门编制停车设施专项规划，报区人民政府批准后公布实施。',
          '新建住宅小区应当按照不低于每户1个车位的标准配建停车位。',
          '鼓励利用地下空间、闲置用地建设公共停车场。',
          '公共停车场应当按照不低于总车位10%的比例建设充电设施。',
        ],
      },
      {
        title: '停车管理',
        articles: [
          '道路停车泊位的设置应当保障道路通行安全，不得占用盲道、消防通道。',
          '停车收费实行差别化价格：\n1. 中心区域高于外围区域；\n2. 道路泊位高于路外停车场；\n3. 白天高于夜间。',
          '停车场经营者应当在出入口显著位置公示收费标准和监督电话。',
          '鼓励机关、企事业单位的停车场在非工作时间向社会开放。',
          '在居住区周边道路可以设置夜间限时停车泊位。',
        ],
      },
    ],
  },
  {
    name: '养犬管理办法',
    authority: '区公安分局',
    purpose: '规范养犬行为，保障公民人身安全和健康，维护市容环境和社会秩序',
    chapters: [
      {
        title: '养犬登记',
        articles: [
          '本区实行养犬登记制度。养犬人应当自取得犬只之日起30日内办理养犬登记。',
          '办理养犬登记应当提交犬只狂犬病免疫证明。',
          '每户限养一只犬，但导盲犬、扶助犬除外。',
        ],
      },
      {
        title: '养犬行为规范',
        articles: [
          '携犬出户的，应当遵守下列规定：\n1. 为犬只佩戴犬牌；\n2. 束犬链并由成年人牵领；\n3. 主动避让他人。',
          '禁止携犬进入学校、医院、菜市场等公共场所。',
          '犬只在户外排泄粪便的，携犬人应当立即清除。',
          '犬只伤人的，养犬人应当立即将被伤害人送医诊治，并先行垫付医疗费用。',
          '养犬人放弃饲养的，应当将犬只送交犬只收容场所，不得遗弃。',
        ],
      },
    ],
  },
  {
    name: '生活垃圾分类管理办法',
    authority: '区城市管理局',
    purpose: '推进生活垃圾分类，改善人居环境，促进资源循环利用',
    chapters: [
      {
        title: '分类投放',
        articles: [
          '本区生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。',
          '产生生活垃圾的单位和个人应当按照分类标准将生活垃圾投放至相应收集容器。',
          '住宅小区实行定时定点投放，投放时间由物业服务企业征求业主意见后确定。',
          '装修垃圾、大件垃圾应当单独堆放，不得混入生活垃圾。',
        ],
      },
      {
        title: '收集、运输和处理',
        articles: [
          '分类收集的生活垃圾应当分类运输，禁止混装混运。',
          '生活垃圾收集运输单位应当按照规定的时间和路线作业。',
          '区城市管理局应当定期向社会公布生活垃圾分类工作情况。',
          '鼓励单位和个人参与生活垃圾分类志愿服务。',
        ],
      },
    ],
  },
];

/** The subjects' names (城市公园管理办法, …): a demo decision titled with one gets its draft. */
export const DEMO_SUBJECTS: readonly string[] = SUBJECTS.map((x) => x.name);

/** The draft text of a subject: title, chapters, articles 第一条… numbered across chapters (10–20 in all). */
export function demoDraft(r: () => number, s: Subject): { title: string; text: string; articles: number } {
  const title = `示范新区${s.name}（征求意见稿）`;
  const lines = [title, '', '第一章　总　则'];
  let n = 0;
  const art = (text: string) => lines.push(`第${cnNumber(++n)}条　${text}`);
  art(`为了${s.purpose}，根据有关法律、法规，结合本区实际，制定本办法。`);
  art(`本区行政区域内的相关活动及其监督管理，适用本办法。`);
  art(`${s.authority}是本办法的主管部门，负责组织实施本办法。\n发展改革、财政、市场监管等部门按照各自职责做好相关工作。`);
  for (const [i, ch] of s.chapters.entries()) {
    lines.push(`第${cnNumber(i + 2)}章　${ch.title}`);
    // Most of a chapter's articles, in order, a few left out at random.
    for (const a of ch.articles) if (r() < 0.85) art(a);
  }
  lines.push(`第${cnNumber(s.chapters.length + 2)}章　附　则`);
  if (r() < 0.6) art('违反本办法规定的行为，法律、法规已有处罚规定的，从其规定。');
  art('本办法由' + s.authority + '负责解释。');
  art(`本办法自${2027 + Math.floor(r() * 2)}年${intWith(r, 1, 12)}月1日起施行，有效期5年。`);
  return { title, text: lines.join('\n'), articles: n };
}

/**
 * A demo consultation on a decision (status 'open'), made through the service as 'demo': its
 * draft varied by `seed`; 'open' (opened 1–10 days ago, closing 30–45 days after opening) or
 * 'closed' (opened 60–200 days ago, 30–40 days long, closed at its closing instant).
 */
export async function demoConsultation(p: Platform, decisionId: number, opts: { state: 'open' | 'closed'; seed: number }): Promise<{ id: number }> {
  const r = seededRandom(opts.seed);
  // The draft of the decision's subject when its title names one (…养犬管理办法), else one by the seed.
  const d = await p.db.selectFrom('dec_decisions').select('title').where('id', '=', decisionId).executeTakeFirst();
  const named = SUBJECTS.find((x) => d?.title.includes(x.name));
  const s = named ?? pickWith(r, SUBJECTS);
  if (named) r();
  const draft = demoDraft(r, s);
  const now = Date.now();
  const hour = 3600_000;
  const opens = opts.state === 'open' ? now - intWith(r, 1, 10) * DAY - intWith(r, 1, 20) * hour : now - intWith(r, 60, 200) * DAY;
  // Opened at 09:00 Beijing time that day; closing at 17:30 Beijing time `days` days later.
  const opensAt = new Date(`${shanghaiDate(new Date(opens).toISOString())}T09:00:00+08:00`);
  const days = opts.state === 'open' ? intWith(r, 30, 45) : intWith(r, 30, 40);
  const closesAt = new Date(`${shanghaiDate(new Date(opensAt.getTime() + days * DAY).toISOString())}T17:30:00+08:00`);
  const c = await createConsultation(p, 'demo', decisionId, {
    title: `关于公开征求《示范新区${s.name}（征求意见稿）》意见的公告`,
    explanation: `为${s.purpose}，${s.authority}在深入调研、总结实践经验的基础上，起草了《示范新区${s.name}（征求意见稿）》，共${draft.articles}条。现向社会公开征求意见，欢迎对征求意见稿全文或者具体条文提出意见建议。`,
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
    text: draft.text,
  });
  await openConsultation(p, 'demo', c.id, {}, opensAt);
  if (opts.state === 'closed') await closeDue(p, closesAt, c.id);
  return { id: c.id };
}
