// Demo disclosure requests: every state of this part and every intake channel, across the
// government's office and several departments, with their histories made through the services
// (so clocks, pauses, extensions and events are exactly what staff would have produced), dated
// in working days before the day of loading. Deterministic: the same specs and a seeded generator.
// Query code of a demo request: the last 10 digits of its tracking number (testers look them up).
// Nobody is told anything while the demo loads. Before these, the demo year (demo/year.ts): a year
// of requests carried to their ends, so last year's annual report has its figures.
import sharp from 'sharp';
import type { Platform } from '../../platform/platform.js';
import { loadPrincipal } from '../../platform/auth/identity.js';
import { addWorkdays, ensureCalendar, subtractWorkdays, todayShanghai } from '../../platform/calendar/index.js';
import { withIdCheckDigit } from '../../platform/privacy/index.js';
import { seededRandom, intWith } from '../../platform/random.js';
import { codeHash } from '../../platform/tracking.js';
import type { IntakeChannel, RequesterType } from './schema.js';
import { storeProof, submitRequest, type StoredProof } from './service/intake.js';
import { askCorrection, askExtension, confirmReceipt, decideExtension, recordCorrection } from './service/steps.js';
import { answerConsultation, openConsultation } from './service/consult.js';
import { referComplaint, referJob } from './service/referral.js';
import { scanRequests } from './service/scan.js';
import { noticeFee, recordFeePaid } from './service/fees.js';
import { quietly, type Actor } from './service.js';
import { handlerOf, headOf, loadDemoYear, readDecidedNotices } from './demo/year.js';

type Step =
  | { do: 'confirm'; at: number; how: string }
  | { do: 'correction'; at: number; items: string[]; dueIn: number }
  | { do: 'corrected'; at: number }
  | { do: 'extension'; workdays: number; reason: string; decide?: boolean }
  | { do: 'consult'; at: number; kind: 'third-party' | 'agency'; party: string }
  | { do: 'answer'; at: number; answer: 'consent' | 'objection' | 'no-opinion' }
  | { do: 'refer' }
  | { do: 'fee'; at: number; pages: number; how: string }
  | { do: 'paid'; at: number };

interface Spec {
  agency: string;
  type: RequesterType;
  who: number;
  info: [string, string, string];
  form: 'paper' | 'electronic' | 'disc';
  wanted: 'post' | 'email' | 'fax' | 'pickup' | 'online';
  channel: IntakeChannel;
  /** Working days before today it reached the office. */
  ago: number;
  steps?: Step[];
}

const PEOPLE: [string, string, string][] = [
  ['张建国', '13812345678', 'zhangjg@example.cn'],
  ['李秀兰', '13987654321', ''],
  ['王海涛', '15011112222', 'wanght@example.cn'],
  ['刘芳', '0411-82345678', ''],
  ['陈志强', '18600001111', 'chenzq@example.cn'],
  ['赵丽娟', '13700002222', ''],
  ['孙明', '', 'sunming@example.cn'],
  ['周晓燕', '13500003333', 'zhouxy@example.cn'],
];
const ORGS: Record<Exclude<RequesterType, 'natural-person'>, [string, string, string]> = {
  commercial: ['大连海程科技有限公司', '91210213MA10HC8K2T', '吴经理'],
  research: ['示范新区海洋环境研究所', '12210200MB1234567X', '郑研究员'],
  'public-interest': ['示范新区环境保护志愿者协会', '51210200MJ0987654Y', '冯会长'],
  'legal-services': ['辽宁海岸律师事务所', '31210000MD2468135N', '何律师'],
  'other-org': ['幸福路社区居民委员会', '55210213MF1357924P', '褚主任'],
};

const SPECS: Spec[] = [
  // Awaiting confirmation of receipt: online, e-mail, fax, ordinary post.
  { agency: 'government', type: 'natural-person', who: 0, info: ['示范新区2025年度重大行政决策事项目录', '', '请提供本区2025年度重大行政决策事项目录及各事项的决策机关、承办单位。'], form: 'electronic', wanted: 'email', channel: 'online', ago: 0 },
  { agency: 'fgj', type: 'commercial', who: 0, info: ['2025年度产业发展专项资金拨付明细', '示范新区发改发〔2025〕12号', '申请公开依据该文件拨付的2025年度产业发展专项资金的企业名单及金额。'], form: 'electronic', wanted: 'online', channel: 'online', ago: 1 },
  { agency: 'scjg', type: 'natural-person', who: 1, info: ['2025年学校食堂食品安全抽检结果', '', '申请公开2025年辖区中小学校食堂食品安全监督抽检的结果，包括不合格项目及处理情况。'], form: 'paper', wanted: 'post', channel: 'ordinary-post', ago: 2 },
  { agency: 'government', type: 'legal-services', who: 0, info: ['幸福路片区旧城改造项目征收决定', '', '受当事人委托，申请公开幸福路片区旧城改造项目的房屋征收决定及补偿方案。'], form: 'paper', wanted: 'pickup', channel: 'fax', ago: 1 },
  { agency: 'zjj', type: 'natural-person', who: 6, info: ['海滨花园小区房屋维修资金使用情况', '', '申请公开海滨花园小区2023年至2025年住宅专项维修资金的使用审批记录。'], form: 'electronic', wanted: 'email', channel: 'email', ago: 1 },
  // Handled: received in person, by registered post, online and confirmed.
  { agency: 'government', type: 'natural-person', who: 2, info: ['示范新区2026年政府工作报告重点任务分工方案', '示范新区办发〔2026〕3号', '申请获取该分工方案全文。'], form: 'paper', wanted: 'pickup', channel: 'in-person', ago: 3 },
  { agency: 'fgj', type: 'research', who: 0, info: ['示范新区能源消费统计数据（2020—2025年）', '', '用于科研需要，申请公开本区2020年至2025年分行业能源消费总量数据。'], form: 'electronic', wanted: 'email', channel: 'registered-post', ago: 6 },
  { agency: 'scjg', type: 'natural-person', who: 4, info: ['某品牌电动自行车产品质量抽查报告', '', '申请公开2025年第三季度电动自行车产品质量监督抽查中不合格产品的检验报告。'], form: 'electronic', wanted: 'online', channel: 'online', ago: 12, steps: [{ do: 'confirm', at: 1, how: '电话与申请人确认' }] },
  { agency: 'government', type: 'natural-person', who: 5, info: ['新胜街道2025年城乡低保资金发放情况', '', '申请公开新胜街道2025年城乡最低生活保障资金发放的汇总情况。'], form: 'paper', wanted: 'post', channel: 'in-person', ago: 18 },
  { agency: 'zrzy', type: 'other-org', who: 0, info: ['海滨花园小区周边道路规划许可文件', '', '申请公开海滨花园小区东侧规划道路的建设工程规划许可证及附图。'], form: 'paper', wanted: 'pickup', channel: 'registered-post', ago: 24 },
  // Awaiting correction, and corrected.
  { agency: 'government', type: 'natural-person', who: 3, info: ['拆迁文件', '', '我家附近拆迁的那个文件。'], form: 'paper', wanted: 'post', channel: 'in-person', ago: 5, steps: [{ do: 'correction', at: 2, items: ['请写明所需信息涉及的项目名称或地址（如哪一条路、哪个小区）', '请写明所需文件的名称、文号或便于查找的其他特征描述'], dueIn: 15 }] },
  { agency: 'fgj', type: 'natural-person', who: 7, info: ['项目批复', '', '去年那个项目的批复。'], form: 'electronic', wanted: 'email', channel: 'online', ago: 16, steps: [{ do: 'confirm', at: 1, how: '短信与申请人确认收到' }, { do: 'correction', at: 3, items: ['请写明项目名称或建设单位', '请写明批复的年份或文号'], dueIn: 10 }, { do: 'corrected', at: 7 }] },
  // Consultations: a third party (open), another agency (open), answered.
  { agency: 'sthj', type: 'public-interest', who: 0, info: ['海程科技有限公司扩建项目环境影响报告书及审批意见', '', '申请公开该项目的环境影响报告书全本及审批意见。'], form: 'electronic', wanted: 'email', channel: 'email', ago: 10, steps: [{ do: 'confirm', at: 1, how: '电子邮件回复确认' }, { do: 'consult', at: 3, kind: 'third-party', party: '大连海程科技有限公司' }] },
  { agency: 'government', type: 'commercial', who: 0, info: ['关于设立示范新区综合保税区的请示及批复', '', '申请公开管委会关于设立综合保税区的请示和上级机关的批复。'], form: 'paper', wanted: 'post', channel: 'registered-post', ago: 8, steps: [{ do: 'consult', at: 2, kind: 'agency', party: '市发展和改革委员会' }] },
  { agency: 'scjg', type: 'commercial', who: 0, info: ['对本公司的行政处罚决定书', '示范新区市监罚〔2025〕41号', '申请获取对本公司作出的行政处罚决定书及听证笔录。'], form: 'paper', wanted: 'pickup', channel: 'in-person', ago: 20, steps: [{ do: 'consult', at: 3, kind: 'third-party', party: '举报人（个人）' }, { do: 'answer', at: 9, answer: 'objection' }] },
  { agency: 'government', type: 'research', who: 0, info: ['示范新区海域使用论证报告', '', '申请公开2024年以来围填海项目的海域使用论证报告。'], form: 'disc', wanted: 'post', channel: 'registered-post', ago: 26, steps: [{ do: 'consult', at: 2, kind: 'agency', party: '市海洋发展局' }] },
  // Extensions: waiting for the office head (government, 发改局), approved.
  { agency: 'government', type: 'legal-services', who: 0, info: ['2023—2025年政府法律顾问聘用合同', '', '申请公开管委会2023年至2025年与法律顾问单位签订的聘用合同。'], form: 'electronic', wanted: 'email', channel: 'online', ago: 17, steps: [{ do: 'confirm', at: 0, how: '电话与申请人确认' }, { do: 'extension', workdays: 15, reason: '所需信息涉及三个年度的合同档案，需调档核对，且涉及第三方商业信息需逐项审查。' }] },
  { agency: 'fgj', type: 'natural-person', who: 2, info: ['幸福路停车场项目可行性研究报告批复', '', '申请公开幸福路公共停车场项目可研报告的批复文件。'], form: 'paper', wanted: 'post', channel: 'in-person', ago: 15, steps: [{ do: 'extension', workdays: 10, reason: '该项目档案已移交档案馆，需协调调阅。' }] },
  { agency: 'government', type: 'natural-person', who: 4, info: ['2025年区属国有企业负责人薪酬情况', '', '申请公开2025年区属国有企业负责人薪酬信息。'], form: 'electronic', wanted: 'email', channel: 'registered-post', ago: 22, steps: [{ do: 'extension', workdays: 10, reason: '涉及多家区属企业，需汇总核实。', decide: true }] },
  // Overdue.
  { agency: 'scjg', type: 'natural-person', who: 5, info: ['海滨农贸市场计量器具检定记录', '', '申请公开海滨农贸市场2025年电子秤强制检定记录。'], form: 'paper', wanted: 'pickup', channel: 'in-person', ago: 23 },
  // A complaint filed as a request (Art. 39), and an abandoned correction (closed by the scan).
  { agency: 'government', type: 'natural-person', who: 0, info: ['举报幸福路工地夜间施工', '', '幸福路工地每天晚上11点后仍在施工，噪音很大，请依法查处并公开处理结果。'], form: 'electronic', wanted: 'online', channel: 'online', ago: 4, steps: [{ do: 'confirm', at: 1, how: '电话与申请人确认' }, { do: 'refer' }] },
  // Processing fees by pages (Art. 42): one waiting for payment, one paid.
  { agency: 'government', type: 'commercial', who: 2, info: ['2020—2025年示范新区全部建设工程规划许可证及附图', '', '申请获取2020年至2025年示范新区核发的全部建设工程规划许可证及其附图的复印件。'], form: 'paper', wanted: 'post', channel: 'registered-post', ago: 8, steps: [{ do: 'fee', at: 3, pages: 160, how: '请持收费通知到政务服务中心综合窗口缴纳，或扫描收费通知所附二维码缴纳' }] },
  { agency: 'fgj', type: 'research', who: 3, info: ['2024年全区重点项目投资计划执行情况表', '', '申请公开2024年全区重点项目投资计划执行情况的全部月度报表。'], form: 'paper', wanted: 'pickup', channel: 'in-person', ago: 18, steps: [{ do: 'fee', at: 2, pages: 85, how: '到区发展和改革局财务室缴纳' }, { do: 'paid', at: 6 }] },
  { agency: 'zjj', type: 'natural-person', who: 1, info: ['那个规划', '', '想要小区的规划。'], form: 'paper', wanted: 'post', channel: 'registered-post', ago: 30, steps: [{ do: 'correction', at: 2, items: ['请写明小区名称及所需规划的类型（如控制性详细规划、建设工程规划许可）'], dueIn: 10 }] },
];


/** A plain "document" picture for the demo's identity proofs (no person, no number). */
async function demoProof(p: Platform): Promise<StoredProof> {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="340" height="214"><rect x="8" y="8" width="324" height="198" rx="14" fill="#eef3f8" stroke="#7a93ac" stroke-width="3"/><rect x="24" y="40" width="80" height="100" fill="#c9d6e3"/><rect x="124" y="48" width="180" height="12" fill="#9fb3c8"/><rect x="124" y="78" width="150" height="12" fill="#9fb3c8"/><rect x="124" y="108" width="170" height="12" fill="#9fb3c8"/><rect x="24" y="168" width="280" height="14" fill="#9fb3c8"/></svg>');
  const png = await sharp(svg).png().toBuffer();
  return storeProof(p, png, '身份证明（示例）.png');
}

export async function loadDemoRequests(p: Platform): Promise<void> {
  await ensureCalendar(p.db);
  const proof = await demoProof(p);
  const users = new Map<string, Actor>();
  const as = async (username: string): Promise<Actor> => {
    if (!users.has(username)) {
      const u = await p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      users.set(username, (u && (await loadPrincipal(p.db, u.id, 'token'))) || 'demo');
    }
    return users.get(username)!;
  };
  const rnd = seededRandom(20261001);
  const today = todayShanghai();
  await quietly(p, async () => {
    // The year before first: its requests get the lower ids, and the recent ones below stay at
    // the top of the work list (newest first), in the states they are made for.
    await loadDemoYear(p, { proof, as }, today);
    for (const s of SPECS) {
      const arrived = subtractWorkdays(today, s.ago);
      const day = (n: number) => {
        const d = n === 0 ? arrived : addWorkdays(arrived, n).due;
        return d > today ? today : d;
      };
      const person = PEOPLE[s.who];
      const org = s.type === 'natural-person' ? null : ORGS[s.type];
      const idNumber = org ? org[1] : withIdCheckDigit(`2102131${intWith(rnd, 960, 999)}${String(intWith(rnd, 1, 12)).padStart(2, '0')}${String(intWith(rnd, 1, 28)).padStart(2, '0')}${intWith(rnd, 100, 999)}`.slice(0, 17));
      const handler = await as(handlerOf(s.agency));
      const online = s.channel === 'online';
      const reg = await submitRequest(p, online ? 'demo' : handler === 'demo' ? 'demo' : handler, {
        agency: s.agency,
        requesterType: s.type,
        requesterName: org ? org[0] : person[0],
        idKind: org ? 'credit-code' : 'resident-id',
        idNumber,
        orgContact: org ? org[2] : undefined,
        contactPhone: person[1],
        contactEmail: person[2] || (s.wanted === 'email' ? 'requester@example.cn' : ''),
        contactAddress: s.wanted === 'post' || !person[1] ? `示范新区幸福路${intWith(rnd, 1, 200)}号` : '',
        infoName: s.info[0],
        infoDocNo: s.info[1],
        infoDescription: s.info[2],
        formWanted: s.form,
        channelWanted: s.wanted,
        channel: s.channel,
        arrivedOn: arrived,
        idProofs: [proof],
      });
      // Testers look demo requests up with the last 10 digits of the number.
      await p.db.updateTable('disclosure_requests').set({ code_hash: codeHash(reg.trackingNo, reg.trackingNo.slice(-10)) }).where('id', '=', reg.id).execute();
      let consultation = 0;
      for (const st of s.steps ?? []) {
        if (st.do === 'confirm') await confirmReceipt(p, handler, reg.id, { on: day(st.at), how: st.how });
        else if (st.do === 'correction') await askCorrection(p, handler, reg.id, { items: st.items, on: day(st.at), due: addWorkdays(day(st.at), st.dueIn).due });
        else if (st.do === 'corrected') await recordCorrection(p, handler, reg.id, { on: day(st.at) });
        else if (st.do === 'consult') consultation = (await openConsultation(p, handler, reg.id, { kind: st.kind, party: st.party, on: day(st.at) })).consultationId;
        else if (st.do === 'answer') await answerConsultation(p, handler, reg.id, consultation, { answer: st.answer, on: day(st.at) });
        else if (st.do === 'extension') {
          await askExtension(p, handler, reg.id, { workdays: st.workdays, reason: st.reason });
          if (st.decide) await decideExtension(p, await as(headOf(s.agency)), reg.id, { approve: true });
        } else if (st.do === 'fee') await noticeFee(p, handler, reg.id, { method: 'pages', pages: st.pages, how: st.how, on: day(st.at) });
        else if (st.do === 'paid') await recordFeePaid(p, handler, reg.id, { on: day(st.at) });
        else if (st.do === 'refer') {
          const r = await referComplaint(p, handler, reg.id, { note: '属于噪声扰民投诉，转市民诉求服务中心办理。' });
          if (r.desk) await referJob(p, { id: reg.id });
        }
      }
    }
    // What the daily scan does: the abandoned correction closes, expired consultations end.
    await scanRequests(p, today);
    await readDecidedNotices(p);
  });
}
