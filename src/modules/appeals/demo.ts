// Demo data: a realistic dispatch catalogue (派单目录), dispatch rules, and a few hundred appeals
// across types, departments and states — inserted in bulk, in one transaction.
import type { Platform } from '../../platform/platform.js';
import type { Db } from '../../platform/db/index.js';
import { startClock, completeClock } from '../../platform/deadlines/index.js';
import { ensureCalendar } from '../../platform/calendar/index.js';
import { publishApprovedMany, defaultMeta, type ApprovedItem } from '../../platform/publication/index.js';
import { maskText } from '../../platform/privacy/index.js';
import { createHash } from 'node:crypto';
import { trackingNoFor } from './service.js';
import { holdForReview } from './service/review.js';
import { TYPE_RULES, type AppealType } from './schema.js';
import type { Rating } from '../../platform/ratings.js';
import { pickWith, seededRandom } from '../../platform/random.js';
import { composeAppeal, composeReply } from './demo/compose.js';
import { ROADS } from './demo/texts.js';

/** code, group, name, English name, department, keywords */
export const DEMO_CATEGORIES: [string, string, string, string, string, string][] = [
  ['road-damage', '城市管理', '道路破损', 'Damaged road', 'zjj', '坑洼,井盖,路面,塌陷'],
  ['street-light', '城市管理', '路灯故障', 'Street light out', 'zjj', '路灯,不亮,照明'],
  ['illegal-building', '城市管理', '违章建筑', 'Illegal construction', 'zrzy', '违建,私搭乱建,加盖'],
  ['garbage', '城市管理', '垃圾清运', 'Rubbish collection', 'jd-hb', '垃圾,清运,堆放,异味'],
  ['property', '住房保障', '物业服务', 'Property management', 'zjj', '物业,电梯,停车费,小区'],
  ['housing', '住房保障', '住房保障与房屋质量', 'Housing and building quality', 'zjj', '漏水,房屋,开裂,公租房'],
  ['noise', '生态环境', '噪声扰民', 'Noise', 'sthj', '噪音,噪声,夜间施工,扰民'],
  ['pollution', '生态环境', '大气与水污染', 'Air and water pollution', 'sthj', '排污,黑烟,异味,污水'],
  ['food-safety', '市场监管', '食品安全', 'Food safety', 'scjg', '食品,过期,餐馆,卫生'],
  ['consumer', '市场监管', '消费维权', 'Consumer rights', 'scjg', '退款,商家,预付卡,价格'],
  ['product-quality', '市场监管', '产品质量', 'Product quality', 'scjg-zljd', '质量,假冒,伪劣'],
  ['wages', '劳动社保', '拖欠工资', 'Unpaid wages', 'rsj', '工资,欠薪,讨薪,农民工'],
  ['social-insurance', '劳动社保', '社会保险', 'Social insurance', 'rsj', '社保,医保,养老保险,缴费'],
  ['school', '教育卫生', '学校教育', 'Schools', 'jyj', '学校,入学,学位,课外'],
  ['medical', '教育卫生', '医疗卫生', 'Health care', 'wjj', '医院,医生,诊所,疫苗'],
  ['elderly', '民生服务', '养老与社会救助', 'Elderly care and assistance', 'mzj', '养老,低保,救助,残疾'],
  ['traffic', '交通出行', '公交与道路交通', 'Buses and traffic', 'jtj', '公交,站点,红绿灯,停车'],
  ['taxi', '交通出行', '出租车与网约车', 'Taxis', 'jtj', '出租车,网约车,拒载,绕路'],
  ['safety', '安全生产', '安全隐患', 'Safety hazards', 'yjgl', '隐患,消防,燃气,危化品'],
  ['business-service', '营商环境', '政务服务与审批', 'Government services', 'xzsp', '审批,办事,窗口,营业执照'],
  ['policy', '营商环境', '政策咨询', 'Policy enquiries', 'fgj', '政策,补贴,项目,申报'],
  ['tourism', '文化旅游', '文化旅游', 'Culture and tourism', 'whly', '景区,旅游,门票,演出'],
  ['legal', '法律服务', '法律援助与调解', 'Legal aid and mediation', 'sfj', '法律援助,纠纷,调解,律师'],
  ['other', '其他', '其他', 'Other', 'dzb', ''],
];

/** kind, pattern, department, weight */
export const DEMO_RULES: [string, string, string, number][] = [
  ['keyword', '电梯', 'scjg', 3],
  ['keyword', '燃气', 'yjgl', 4],
  ['keyword', '欠薪', 'rsj', 4],
  ['keyword', '噪音', 'sthj', 3],
  ['keyword', '占道经营', 'jd-xs', 3],
  ['keyword', '网约车', 'jtj', 3],
  ['area', '海滨', 'jd-hb', 2],
  ['area', '新胜', 'jd-xs', 2],
  ['area', '工业园', 'jd-gy', 2],
  ['category', 'garbage', 'jd-xs', 1],
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['建国', '秀英', '伟', '芳', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明'];

export async function loadDemoCatalogue(p: Platform, t: Db): Promise<void> {
  const depts = new Map((await t.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  for (const [i, [code, group, name, nameEn, dept, keywords]] of DEMO_CATEGORIES.entries()) {
    await t.insertInto('appeal_categories').values({ code, name, name_en: nameEn, group_name: group, description: `${group}：${name}`, department_id: depts.get(dept) ?? null, keywords, active: 1, sort: (i + 1) * 10 }).execute();
  }
  const now = new Date().toISOString();
  for (const [kind, pattern, dept, weight] of DEMO_RULES) {
    const d = depts.get(dept);
    if (d) await t.insertInto('appeal_rules').values({ kind, pattern, department_id: d, weight, active: 1, note: '', created_at: now }).execute();
  }
}

export async function loadDemoAppeals(p: Platform, count = 320): Promise<void> {
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    await loadDemoCatalogue(p, t);
    const depts = new Map((await t.selectFrom('departments').select(['id', 'code', 'name', 'phone']).execute()).map((d) => [d.code, d]));
    const r = seededRandom(12345);
    const pick = <T,>(xs: readonly T[]) => pickWith(r, xs);
    const seen = new Set<string>();
    const channels = ['web', 'web', 'phone', 'phone', 'open311'];
    const ratings: Rating[] = ['very-satisfied', 'satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-satisfied', 'very-dissatisfied'];
    const nowMs = Date.now();
    const toPublish: { id: number; item: ApprovedItem & { publishedAt: Date } }[] = [];
    for (let i = 0; i < count; i++) {
      const [code, , categoryName, , deptCode] = pick(DEMO_CATEGORIES);
      const name = pick(SURNAMES.split('')) + pick(GIVEN);
      const mobile = `13${Math.floor(r() * 9) + 1}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
      const composed = composeAppeal(r, code, categoryName, { name, mobile }, seen);
      const { type, title, content } = composed;
      // Older appeals first, so ids and dates rise together (the board lists newest first).
      const ageDays = Math.max(0, Math.floor(((count - i) / count) * 200 + (r() - 0.5) * 2));
      const created = new Date(nowMs - ageDays * 86_400_000 - Math.floor(r() * 86_400_000));
      const createdAt = created.toISOString();
      // state by age: recent ones still open
      const roll = r();
      const status = ageDays < 2 && roll < 0.6 ? 'received' : ageDays < 20 && roll < 0.5 ? 'dispatched' : roll < 0.08 ? 'merged' : roll < 0.25 ? 'replied' : 'closed';
      const dept = depts.get(deptCode) ?? depts.get('dzb')!;
      const replied = status === 'replied' || status === 'closed' ? new Date(created.getTime() + (1 + Math.floor(r() * 12)) * 86_400_000) : null;
      const repliedAt = replied && replied.getTime() < nowMs ? replied.toISOString() : replied ? new Date(nowMs - 3600_000).toISOString() : null;
      const reply = repliedAt ? composeReply(r, composed, dept) : null;
      const rating = status === 'closed' && r() < 0.8 ? pick(ratings) : null;
      const consent = r() < 0.6 ? 1 : 0;
      const row = await t
        .insertInto('appeals')
        .values({
          tracking_no: `demo-${i}`,
          code_hash: '',
          type,
          category: code,
          title,
          content,
          address: `示范新区${composed.where && ROADS.includes(composed.where) ? composed.where : pick(ROADS)}${1 + Math.floor(r() * 200)}号`,
          lat: 38.9 + r() * 0.1,
          lng: 121.5 + r() * 0.15,
          area: null,
          contact_name: name,
          contact_phone: mobile,
          contact_email: '',
          phone_verified: r() < 0.3 ? 1 : 0,
          email_verified: 0,
          consent,
          channel: pick(channels),
          status,
          department_id: status === 'received' ? null : dept.id,
          merged_into: null,
          due_date: null,
          reply,
          resolved: reply ? (r() < 0.85 ? 1 : 0) : null,
          replied_at: repliedAt,
          closed_at: status === 'closed' ? repliedAt : null,
          callback_note: status === 'closed' && r() < 0.5 ? '已电话回访，诉求人对处理结果表示认可。' : null,
          callback_at: null,
          rating,
          rating_comment: null,
          rated_at: rating ? repliedAt : null,
          reopen_count: 0,
          urge_count: status === 'dispatched' && r() < 0.2 ? 1 : 0,
          media: '[]',
          api_key_id: null,
          created_by: null,
          publish_state: 'none',
          pub_item_id: null,
          title_masked: null,
          content_masked: null,
          reply_masked: null,
          published_at: null,
          created_at: createdAt,
          updated_at: repliedAt ?? createdAt,
          month: createdAt.slice(0, 7),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const trackingNo = trackingNoFor(row.id, createdAt);
      // Demo query code: the last six digits of the tracking number, so testers can look demo appeals up.
      const code6 = trackingNo.slice(-6);
      await t.updateTable('appeals').set({ tracking_no: trackingNo, code_hash: createHash('sha256').update(`${trackingNo}\u0000${code6}`).digest('hex') }).where('id', '=', row.id).execute();
      const ev = [{ appeal_id: row.id, at: createdAt, actor: 'demo', action: 'receive', note: '', public: 1, department_id: null as number | null }];
      if (status !== 'received') ev.push({ appeal_id: row.id, at: new Date(created.getTime() + 3600_000).toISOString(), actor: 'demo', action: 'dispatch', note: dept.name, public: 1, department_id: dept.id });
      if (reply) ev.push({ appeal_id: row.id, at: repliedAt!, actor: 'demo', action: 'reply', note: reply, public: 1, department_id: dept.id });
      if (rating) ev.push({ appeal_id: row.id, at: repliedAt!, actor: 'citizen', action: 'rate', note: rating, public: 1, department_id: dept.id });
      await t.insertInto('appeal_events').values(ev).execute();
      const rule = TYPE_RULES[type];
      if (rule && status === 'dispatched') {
        const start = new Date(created.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        const c = await startClock(p, t, { subjectType: 'appeal', subjectId: row.id, rule, start, departmentId: dept.id, title: `${trackingNo} ${title}`, url: `/admin/appeals/${row.id}` }, 'demo');
        await t.updateTable('appeals').set({ due_date: c.due }).where('id', '=', row.id).execute();
      } else if (rule && reply && ageDays < 60) {
        const start = new Date(created.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        const c = await startClock(p, t, { subjectType: 'appeal', subjectId: row.id, rule, start, departmentId: dept.id, title: `${trackingNo} ${title}`, url: `/admin/appeals/${row.id}` }, 'demo');
        await completeClock(p, t, 'appeal', row.id, undefined, 'demo');
        await t.updateTable('appeals').set({ due_date: c.due }).where('id', '=', row.id).execute();
      }
      if (consent && reply && status === 'closed' && toPublish.length < 80) {
        const names = [name];
        const m = { title: maskText(title, { names }).text, content: maskText(content, { names }).text, reply: maskText(reply, { names }).text };
        toPublish.push({
          id: row.id,
          item: {
            type: 'appeal',
            departmentId: dept.id,
            meta: defaultMeta({ title: m.title, summary: m.content.slice(0, 200), keywords: [type, code], formedAt: repliedAt!.slice(0, 10), writtenAt: createdAt.slice(0, 10) }),
            data: { trackingNo, type, category: code, content: m.content, reply: m.reply, askedAt: createdAt, repliedAt, rating },
            publishedAt: new Date(Math.min(nowMs, Date.parse(repliedAt!) + 86_400_000)),
          },
        });
        await t.updateTable('appeals').set({ title_masked: m.title, content_masked: m.content, reply_masked: m.reply }).where('id', '=', row.id).execute();
      }
    }
    // A few merged duplicates point at an earlier appeal of the same category.
    const merged = await t.selectFrom('appeals').select(['id', 'category']).where('status', '=', 'merged').execute();
    for (const m of merged) {
      const main = await t.selectFrom('appeals').select('id').where('category', '=', m.category).where('id', '<', m.id).where('status', '!=', 'merged').orderBy('id', 'desc').executeTakeFirst();
      if (main) await t.updateTable('appeals').set({ merged_into: main.id }).where('id', '=', m.id).execute();
      else await t.updateTable('appeals').set({ status: 'closed' }).where('id', '=', m.id).execute();
    }
    const ids = await publishApprovedMany(p, t, 'demo', toPublish.map((x) => x.item), { audit: 'summary', deliver: false });
    for (const [i, x] of toPublish.entries()) {
      await t.updateTable('appeals').set({ publish_state: 'published', pub_item_id: ids[i], published_at: toPublish[i].item.publishedAt.toISOString() }).where('id', '=', x.id).execute();
    }
    await t.updateTable('appeals').set({ publish_state: 'pending' }).where('consent', '=', 1).where('publish_state', '=', 'none').where('status', 'in', ['replied', 'closed']).execute();
    await demoReplyReviews(p, t);
    await p.audit(t, { actor: 'demo', action: 'appeal.demo', entity: 'appeal', entityId: 0, details: { count, published: ids.length } });
  });
}

/** The department has replied to the newest few appeals in hand; the replies wait for the centre's review (待中心审核). */
async function demoReplyReviews(p: Platform, t: Db, n = 4): Promise<void> {
  const rows = await t.selectFrom('appeals').selectAll().where('status', '=', 'dispatched').where('type', '!=', 'praise').orderBy('id', 'desc').limit(n).execute();
  const names = new Map((await t.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.id, d.name]));
  for (const a of rows) {
    const dept = (a.department_id != null && names.get(a.department_id)) || '承办单位';
    const reply =
      a.type === 'consult'
        ? `您好！关于您咨询的“${a.title}”，${dept}答复如下：请携带有效身份证件到政务服务中心相应窗口咨询办理，也可通过网上办事大厅提交申请。`
        : a.type === 'suggest'
          ? `您好！感谢您就“${a.title}”提出的建议。${dept}已认真研究，将在下一步工作中统筹考虑，并适时公开进展。`
          : `您好！关于您反映的“${a.title}”，${dept}已安排工作人员到现场核实，正在按规定处理，处理结果将及时向您反馈。`;
    await holdForReview(p, t, 'demo', a, reply, true, new Date().toISOString());
  }
}
