// Demo comments on a consultation: varied, plausible comments from a pool (different lengths and
// viewpoints: for, against, asking for detail, from residents, shop-keepers, a lawyer; some on the
// draft's subject — parks, parking, dogs, waste — when the title names it), on several articles
// (always the 3rd by position) and on the whole draft; some named, some anonymous, some with a
// mobile or an e-mail, some of those verified; deterministic from the seed. A few are abusive,
// carry personal data, are off topic or repeat an earlier one: those are hidden with that reason;
// of the rest some are published and some left pending.
//
// How they get in: while the consultation takes comments, through the service (submitComment, as
// a citizen would, each from its own documentation address), then one transaction spreads their
// submission times over the period so far and marks the verified ones (a code cannot be simulated
// without reading the SMS/e-mail outbox). A consultation that no longer takes comments (closed,
// as demoConsultation makes them) refuses submitComment, so its comments are written directly in
// one transaction with times inside its period. Moderation always goes through moderateComment as
// 'demo' (audited). demoModerateAll publishes every pending comment (hiding a repeat of an earlier
// text as a duplicate), so an adoption report can be made.
import type { Platform } from '../../../platform/platform.js';
import { intWith, pickWith, sampleWith, seededRandom } from '../../../platform/random.js';
import type { ConsultationRow } from '../schema.js';
import { articlesOf, isAccepting, moderateComment, submitComment, type HideReason } from '../service/comments.js';

/** Comments that fit any article (different lengths and viewpoints). */
export const ARTICLE_TEXTS: readonly string[] = [
  '建议本条表述更加具体，明确责任主体和完成时限，避免执行中相互推诿。',
  '赞成本条规定，这个问题群众反映多年，早该规范了。',
  '本条中“有关部门”指代不清，建议列明具体是哪个部门负责。',
  '建议增加过渡期安排，给相关单位和个人留出适应时间，比如设置六个月的过渡期。',
  '本条规定的义务较重，但没有配套的保障措施，建议增加政府扶持或者补贴的内容。',
  '完全同意本条规定。',
  '建议对违反本条规定的行为设定相应的法律责任，否则规定难以落实。',
  '本条与上位法的规定是否一致？建议起草部门再核对一下相关法律、行政法规的条款。',
  '条文中“情节严重”的标准不明确，建议在配套文件中细化认定标准，防止自由裁量空间过大。',
  '我认为本条规定过于严格，会增加老百姓的负担，建议适当放宽。',
  '建议在本条增加一款：“街道办事处、社区居民委员会应当予以配合。”',
  '作为社区工作者，我觉得本条在基层落实有难度，社区人手本来就不足，希望明确经费和人员保障。',
  '建议将本条的“应当”改为“可以”，给基层留出一定的灵活空间。',
  '本条用“鼓励”的表述约束力不够，建议改为“应当”，否则很难落地。',
  '建议明确本条所称“公共场所”的范围，最好采用列举加兜底的方式。',
  '本条规定的办理期限偏短，建议适当延长，并允许通过网上办理。',
  '希望执法部门在执行本条时先教育后处罚，对初次违反的以劝导为主。',
  '建议增加信息公开的要求：执法检查结果应当定期向社会公布，接受群众监督。',
  '本条写得很好，既照顾到了管理需要，也考虑了群众的实际困难，支持。',
  '建议本条增加对老年人、残疾人等特殊群体的照顾性规定。',
  '条文第二句的逻辑关系不清楚，读了两遍才看懂，建议调整语序。',
  '建议参照周边城市的做法，有的地方已经实行了积分管理，效果不错，可以借鉴。',
  '对本条没有意见，但希望办法出台后加强宣传，很多居民并不了解相关规定。',
  '我是个体经营者，本条规定对我们小商户影响很大，希望出台前多听听商户的意见，给予一定的缓冲期。',
  '建议明确投诉举报渠道：市民发现违反本条的行为，可以通过12345热线反映，并规定处理时限和反馈方式。',
  '本条的规定与前面关于适用范围的条款似乎有冲突，建议统筹考虑。',
  '罚款数额偏低，起不到震慑作用，建议提高。',
  '罚款数额过高了，普通家庭难以承受，建议按情节轻重分档设置。',
  '建议增加“运用大数据、物联网等技术手段提升监管效率”的内容。',
  '不赞成本条。管得太细了，政府应当把精力放在更重要的事情上，这类问题可以交给社区自治解决。',
  '建议在本条后增加一款，明确相关费用由谁承担、标准如何确定，并向社会公示。',
  '支持！希望早日实施。',
  '本条中的数字表述建议统一，有的地方用阿拉伯数字，有的地方用汉字。',
  '建议对物业服务企业的责任作出规定，很多小区的问题就出在物业不作为。',
  '我在示范新区生活了十几年，对这个问题深有体会。以前也出台过一些规定，但执行起来总是虎头蛇尾，一阵风过去就没人管了。建议这次在办法里写明监督考核机制：由区政府定期组织检查，检查结果纳入部门绩效考核，并向社会公开。同时建立长效机制，不要搞运动式执法。只有这样，办法才能真正落地见效。',
  '这一条我反复看了几遍，总体是好的。但有两点担心：第一，执行标准由谁来解释，如果各街道理解不一致，容易出现同样的行为在不同地方处理结果不同；第二，没有规定监督部门不履职怎么办。建议补充。',
];

/** Comments on the whole draft. */
export const GENERAL_TEXTS: readonly string[] = [
  '整体来看，征求意见稿结构清晰、内容全面，但部分条款可操作性不强，建议制定配套的实施细则。',
  '建议在附则中明确办法的评估机制：实施两年后开展评估，根据评估结果及时修订。',
  '本办法涉及面广，建议起草部门召开座谈会，专门听取居民代表、企业和社会组织的意见。',
  '建议在起草说明中补充与其他城市同类规定的比较，便于公众理解为什么这样规定。',
  '征求意见的渠道可以更多一些，比如在社区公告栏张贴，方便不上网的老年人参与。',
  '总体支持出台本办法，这是回应群众关切的好事。',
  '建议全文统一用语，例如“主管部门”和“管理部门”混用，容易产生歧义。',
  '希望办法施行后能定期公布执行情况和投诉处理情况。',
  '作为一名律师，我通读了征求意见稿，提几点意见：一是部分条款设定的义务缺少上位法依据，请核对设定权限；二是法律责任一章与前面的义务性条款没有一一对应；三是建议增加当事人救济途径的说明。',
];

/** Comments on a draft's subject, by a word of its title. */
export const SUBJECT_TEXTS: Record<string, readonly string[]> = {
  公园: [
    '希望公园延长夜间开放时间，夏天晚上散步的人很多。',
    '广场舞噪音扰民问题严重，建议明确音量上限和时段，比如晚上九点以后不得使用音响。',
    '建议公园增设更多的儿童游乐设施和遮阳设施。',
    '公园里的公共厕所太少，卫生状况也不好，希望办法里规定保洁标准。',
  ],
  停车: [
    '小区停车位严重不足，晚上只能停在路边，希望多建一些公共停车场。',
    '充电设施的比例太低了，新能源车越来越多，建议提高到百分之二十以上。',
    '夜间限时停车泊位是个好办法，建议尽快在老旧小区周边推开。',
    '停车收费标准应当举行听证，不能由经营者自行定价。',
  ],
  养犬: [
    '每户限养一只犬的规定不合理，很多家庭已经养了两只，建议对已有犬只实行“老犬老办法”。',
    '遛狗不牵绳的现象太普遍了，我家孩子被吓到过好几次，强烈支持出台本办法。',
    '希望多建一些宠物公园或者遛狗区，给养犬人一个去处。',
    '犬只登记的收费应当公开透明，建议对按时免疫的犬只减免登记费。',
  ],
  垃圾: [
    '定时定点投放对上班族不方便，早上出门太早、晚上回来太晚，建议设置延时投放点。',
    '分类后运输时又混装的情况时有发生，打击了居民分类的积极性，希望加强监管。',
    '建议对分类做得好的小区给予奖励，比如积分兑换生活用品。',
    '装修垃圾清运的收费标准不统一，希望办法里予以规范。',
  ],
};

/** Comments a moderator would hide, by the reason (a duplicate repeats an earlier comment). */
export const HIDDEN_TEXTS: Record<Exclude<HideReason, 'duplicate'>, readonly string[]> = {
  abuse: ['写这个办法的人根本不懂老百姓，一群饭桶，只会拍脑袋！', '什么破条文，狗屁不通，赶紧撤回！！！'],
  personal_data: [
    '我是幸福小区3号楼502的住户李建国，身份证号110101198001011234，电话13812345678，楼下邻居天天违反规定，请你们上门处理。',
    '请联系我：张桂英，手机13698765432，住示范新区幸福路18号2单元，我有详细的情况要当面反映。',
  ],
  off_topic: ['请问示范新区今年的中考招生政策什么时候公布？', '我们小区的电梯坏了半个月还没修，物业不管，请政府帮忙解决。', '推荐一家装修公司，价格实惠，有需要的可以联系。'],
};

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏', '徐明', '孙丽华', '马建国', '朱晓燕', '胡志强', '郭婷', '何勇', '林小红', '高峰', '罗佳'];
const MAILBOXES = ['zw1988', 'wangfang.sz', 'lina_home', 'liuyang2020', 'chenjing.work', 'yf_cn', 'zhaolei', 'huangli88'];
const DOMAINS = ['example.com', 'example.cn', 'example.org'];

interface Spec {
  articleId: number | null;
  name: string;
  email: string;
  phone: string;
  verified: boolean;
  body: string;
  /** What the moderator does. */
  outcome: 'published' | 'pending' | HideReason;
}

/** The comments to make, deterministic from the seed. */
function plan(r: () => number, c: ConsultationRow, articleIds: number[], count: number): Spec[] {
  const subject = Object.keys(SUBJECT_TEXTS).find((k) => c.title.includes(k));
  const articlePool = [...ARTICLE_TEXTS, ...(subject ? SUBJECT_TEXTS[subject] : [])];
  // Texts are drawn without repetition from shuffled pools (refilled when used up).
  const deck = (xs: readonly string[]) => {
    let left: string[] = [];
    return () => {
      if (!left.length) left = sampleWith(r, xs, xs.length);
      return left.pop()!;
    };
  };
  const nextArticleText = deck(articlePool);
  const nextGeneralText = deck(GENERAL_TEXTS);
  const hiddenDecks = { abuse: deck(HIDDEN_TEXTS.abuse), personal_data: deck(HIDDEN_TEXTS.personal_data), off_topic: deck(HIDDEN_TEXTS.off_topic) };
  // Several articles: the 3rd by position always, plus up to 4 others.
  const third = articleIds[Math.min(2, articleIds.length - 1)];
  const others = sampleWith(r, articleIds.filter((a) => a !== third), 4);
  const target = (i: number): number | null => {
    if (!articleIds.length) return null;
    if (i % 4 === 0) return third;
    if (i % 5 === 1) return null;
    return others.length ? pickWith(r, others) : third;
  };
  // About one in seven hidden (every reason once before any repeats), the rest published or pending.
  const hiddenCount = Math.max(count >= 8 ? 4 : 1, Math.round(count / 7));
  const reasons: HideReason[] = ['abuse', 'personal_data', 'off_topic', 'duplicate'];
  const out: Spec[] = [];
  const hiddenAt = new Set<number>();
  while (hiddenAt.size < Math.min(hiddenCount, count - 2)) hiddenAt.add(intWith(r, 2, count - 1));
  let h = 0;
  for (let i = 0; i < count; i++) {
    const named = r() < 0.55;
    const contact = r();
    const name = named ? pickWith(r, NAMES) : '';
    const phone = contact < 0.3 ? `1${pickWith(r, [3, 5, 7, 8, 9])}${String(intWith(r, 0, 999_999_999)).padStart(9, '0')}` : '';
    const email = contact >= 0.3 && contact < 0.5 ? `${pickWith(r, MAILBOXES)}${intWith(r, 1, 99)}@${pickWith(r, DOMAINS)}` : '';
    const verified = !!(phone || email) && r() < 0.6;
    const articleId = target(i);
    if (hiddenAt.has(i)) {
      const reason = reasons[h++ % reasons.length];
      const earlier = out.filter((s) => s.outcome === 'published' || s.outcome === 'pending');
      if (reason === 'duplicate' && earlier.length) {
        const first = pickWith(r, earlier);
        out.push({ ...first, verified: false, outcome: 'duplicate' });
      } else {
        const why = reason === 'duplicate' ? 'off_topic' : reason;
        out.push({ articleId: why === 'off_topic' ? null : articleId, name, email, phone, verified, body: hiddenDecks[why](), outcome: why });
      }
      continue;
    }
    const body = articleId === null ? nextGeneralText() : nextArticleText();
    out.push({ articleId, name, email, phone, verified, body, outcome: r() < 0.6 ? 'published' : 'pending' });
  }
  // Two citizens echo an earlier comment on the same article in nearly the same words (the later
  // ones of the list replaced): what the adoption report's similarity grouping is for.
  if (count >= 10) {
    const bases = out.filter((s) => s.outcome === 'published' && s.articleId !== null).slice(0, 2);
    let k = out.length - 1;
    for (const b of bases) {
      while (k > 0 && (out[k].outcome !== 'published' && out[k].outcome !== 'pending')) k--;
      if (k <= 0 || out[k] === b) break;
      out[k] = { articleId: b.articleId, name: pickWith(r, NAMES), email: '', phone: '', verified: false, body: `${pickWith(r, ECHO_OPENERS)}${b.body}`, outcome: 'published' };
      k--;
    }
  }
  // At least one of each outcome the report and the console show (when there are enough comments).
  if (count >= 3 && !out.some((s) => s.outcome === 'pending')) out[out.findIndex((s) => s.outcome === 'published')].outcome = 'pending';
  if (count >= 3 && !out.some((s) => s.outcome === 'published')) out[out.findIndex((s) => s.outcome === 'pending')].outcome = 'published';
  return out;
}

/** How an echo of another citizen's comment begins. */
const ECHO_OPENERS = ['同意这个意见：', '我也有同样的建议，', '附议：', '赞同其他市民的意见，'];

/** `n` increasing instants in [from, to), deterministic from the random source. */
function times(r: () => number, from: number, to: number, n: number): string[] {
  return Array.from({ length: n }, () => from + Math.floor(r() * Math.max(1, to - from)))
    .sort((a, b) => a - b)
    .map((t) => new Date(t).toISOString());
}

/**
 * Demo comments on an opened consultation (open or closed; a draft or one not yet open throws):
 * `count` (default 24, 3–2000) comments, moderated as planned. Returns how many ended published,
 * hidden and pending.
 */
export async function demoComments(p: Platform, cid: number, opts: { seed?: number; count?: number } = {}): Promise<{ published: number; hidden: number; pending: number }> {
  const c = await p.db.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
  const now = Date.now();
  const from = Date.parse(c.opens_at);
  if (c.state === 'draft' || from > now) throw new Error(`demoComments: consultation ${cid} has not opened`);
  const r = seededRandom(opts.seed ?? 1);
  const count = Math.min(2000, Math.max(3, Math.floor(opts.count ?? 24)));
  const articleIds = (await articlesOf(p.db, cid)).map((a) => a.id);
  const specs = plan(r, c, articleIds, count);
  // Submission times inside the period so far (the last hour left out, so a new comment comes after them).
  const to = Math.min(Date.parse(c.closes_at), now - 3600_000);
  const at = times(r, from, Math.max(from + 1, to), specs.length);
  const ids: number[] = [];
  if (isAccepting(c, now)) {
    for (const [i, s] of specs.entries()) {
      const x = await submitComment(p, cid, { articleId: s.articleId, name: s.name, email: s.email, phone: s.phone, body: s.body }, `198.51.100.${(i % 250) + 1}`);
      ids.push(x.id);
    }
    await p.tx(async (t) => {
      for (const [i, id] of ids.entries()) await t.updateTable('dec_comments').set({ created_at: at[i], verified: specs[i].verified ? 1 : 0 }).where('id', '=', id).execute();
    });
  } else {
    await p.tx(async (t) => {
      for (const [i, s] of specs.entries()) {
        const row = await t
          .insertInto('dec_comments')
          .values({ consultation_id: cid, article_id: s.articleId, name: s.name, email: s.email, phone: s.phone, verified: s.verified ? 1 : 0, body: s.body, status: 'pending', hide_reason: '', moderated_by: null, moderated_at: null, group_id: null, disposition: '', disposition_reason: '', client_hash: '', notified_at: null, created_at: at[i] })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
    });
  }
  const n = { published: 0, hidden: 0, pending: 0 };
  for (const [i, s] of specs.entries()) {
    if (s.outcome === 'pending') n.pending++;
    else if (s.outcome === 'published') {
      await moderateComment(p, 'demo', ids[i], { action: 'publish' });
      n.published++;
    } else {
      await moderateComment(p, 'demo', ids[i], { action: 'hide', reason: s.outcome });
      n.hidden++;
    }
  }
  return n;
}

/** Moderates every pending comment of a consultation as 'demo': a repeat of an earlier comment's text is hidden as a duplicate, the rest published. */
export async function demoModerateAll(p: Platform, cid: number): Promise<{ published: number; hidden: number }> {
  const rows = await p.db.selectFrom('dec_comments').select(['id', 'body', 'status']).where('consultation_id', '=', cid).orderBy('id').execute();
  const seen = new Set<string>();
  const n = { published: 0, hidden: 0 };
  for (const x of rows) {
    const repeat = seen.has(x.body);
    seen.add(x.body);
    if (x.status !== 'pending') continue;
    await moderateComment(p, 'demo', x.id, repeat ? { action: 'hide', reason: 'duplicate' } : { action: 'publish' });
    n[repeat ? 'hidden' : 'published']++;
  }
  return n;
}
