// The demo year carried out: every planned request (demo/plan.ts) registered and taken step by step
// through the services — receipt, correction, consultation, fee, extension, the reply (drafted and
// submitted by the department's handler, approved and signed by its office head, delivered by the
// channel asked for), the complaint referral, the scan's closings — each step on the day the plan
// gives it, so the timelines, clocks, letters and the annual report's figures are what staff would
// have produced. A step after today is not taken, nor any after it: the request stays open. Reviews
// and suits follow the delivered reply. Deterministic from the plan's seed (tracking numbers and
// query codes aside); quiet: run inside `quietly`.
import type { Platform } from '../../../platform/platform.js';
import { addWorkdays, subtractWorkdays } from '../../../platform/calendar/index.js';
import { withIdCheckDigit } from '../../../platform/privacy/index.js';
import { intWith, pickWith, seededRandom } from '../../../platform/random.js';
import { codeHash } from '../../../platform/tracking.js';
import { submitRequest, type StoredProof } from '../service/intake.js';
import { askCorrection, askExtension, confirmReceipt, decideExtension, recordCorrection } from '../service/steps.js';
import { answerConsultation, openConsultation } from '../service/consult.js';
import { referComplaint, referJob } from '../service/referral.js';
import { scanRequests } from '../service/scan.js';
import { noticeFee, recordFeePaid } from '../service/fees.js';
import { decideReply, deliverReply, draftReply, signReply, submitReply } from '../service/replies.js';
import { addReview, decideReview } from '../service/reviews.js';
import type { Actor } from '../service.js';
import { ANSWER_NOTES, caseNo, draftFor, type CatalogItem } from './answers.js';
import { planYear, type PlannedRequest } from './plan.js';
import { PLACES } from './pool.js';

/** The demo account handling an addressee's requests (request.handle, request.intake, request.litigation). */
export const handlerOf = (agency: string): string => (agency === 'government' ? 'gkb-requests' : agency === 'fgj' || agency === 'scjg' ? `${agency}-editor` : agency === 'czj' ? 'czj-requests' : `${agency}-handler`);
/** Its office head (request.approve-reply, request.approve-extension). */
export const headOf = (agency: string): string => (agency === 'government' ? 'gkb-approver' : `${agency}-approver`);

export interface YearContext {
  proof: StoredProof;
  /** The demo user's principal by username. */
  as: (username: string) => Promise<Actor>;
}

const CREDIT_PREFIX: Record<string, string> = { commercial: '91', research: '12', 'public-interest': '51', 'legal-services': '31', 'other-org': '55' };
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const PINYIN: Record<string, string> = { 张: 'zhang', 王: 'wang', 李: 'li', 赵: 'zhao', 刘: 'liu', 陈: 'chen', 杨: 'yang', 黄: 'huang', 周: 'zhou', 吴: 'wu', 徐: 'xu', 孙: 'sun', 马: 'ma', 朱: 'zhu', 胡: 'hu', 郭: 'guo', 何: 'he', 高: 'gao', 林: 'lin', 罗: 'luo' };
const CONFIRM_HOW: Record<string, string[]> = {
  online: ['电话与申请人确认', '短信与申请人确认收到'],
  email: ['电子邮件回复确认'],
  fax: ['电话与申请人确认收到传真'],
  'ordinary-post': ['电话与申请人确认收到信函'],
};
const RETURN_NOTES = ['请补充说明不予公开的具体理由。', '告知书中的文件名称与申请内容不一致，请核对后重新提交。', '请核实检索范围是否包括已移交档案室的材料。'];

/** 统一社会信用代码 of an organisation: the same for every request it makes (the fee's ordinal counts by it). */
function creditCode(type: string, name: string): string {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const r = seededRandom(h);
  return `${CREDIT_PREFIX[type] ?? '91'}210213${Array.from({ length: 10 }, () => pickWith(r, [...CREDIT_CHARS])).join('')}`;
}

/** The requester's details as the form or the office would take them. */
function requester(r: () => number, pr: PlannedRequest) {
  const org = pr.requesterType !== 'natural-person';
  const mobile = `1${pickWith(r, ['3', '5', '8', '9', '7'])}${String(intWith(r, 0, 999_999_999)).padStart(9, '0')}`;
  const local = PINYIN[pr.requesterName[0]] ?? 'gk';
  const wantsEmail = pr.channelWanted === 'email' || pr.channel === 'email' || r() < 0.3;
  return {
    requesterName: pr.requesterName,
    idKind: org ? 'credit-code' : 'resident-id',
    idNumber: org ? creditCode(pr.requesterType, pr.requesterName) : withIdCheckDigit(`210213${intWith(r, 1950, 2004)}${String(intWith(r, 1, 12)).padStart(2, '0')}${String(intWith(r, 1, 28)).padStart(2, '0')}${intWith(r, 100, 999)}`),
    orgContact: org ? pr.orgContact : undefined,
    contactPhone: org && r() < 0.4 ? `0411-8${String(intWith(r, 0, 9_999_999)).padStart(7, '0')}` : mobile,
    contactEmail: wantsEmail ? `${local}${intWith(r, 10, 9999)}@example.cn` : '',
    contactAddress: pr.channelWanted === 'post' || r() < 0.3 ? `示范新区${pickWith(r, PLACES)}路${intWith(r, 1, 300)}号` : '',
    contactFax: pr.channelWanted === 'fax' || pr.channel === 'fax' ? `0411-8${String(intWith(r, 0, 9_999_999)).padStart(7, '0')}` : '',
  };
}

/** The working days from `from` (excluded) to `to` (included); `to` alone when none lie between. */
function daysUpTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = addWorkdays(from, 1).due; d <= to; d = addWorkdays(d, 1).due) out.push(d);
  return out.length ? out : [to];
}

/** Public documents of each addressee's handling departments (the government's: its office and 党政办). */
async function catalogItems(p: Platform): Promise<Map<string, CatalogItem[]>> {
  const rows = await p.db.selectFrom('pub_items as i').innerJoin('departments as d', 'd.id', 'i.department_id').select(['i.id', 'i.title', 'd.code']).where('i.public', '=', 1).where('i.type', '=', 'document').orderBy('i.id').execute();
  const out = new Map<string, CatalogItem[]>();
  for (const x of rows) {
    const key = x.code === 'gkb' || x.code === 'dzb' ? 'government' : x.code;
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push({ id: Number(x.id), title: x.title });
  }
  return out;
}

/** Carries out the plan of the year before `today` and of this year up to today. */
export async function loadDemoYear(p: Platform, ctx: YearContext, today: string): Promise<{ requests: number }> {
  const plan = planYear(today);
  const r = seededRandom(20260117);
  const items = await catalogItems(p);
  const names = new Map((await p.db.selectFrom('departments').select(['code', 'name']).execute()).map((d) => [d.code, d.name]));
  names.set('government', (await p.db.selectFrom('government').select('name').executeTakeFirst())?.name ?? '');
  for (const pr of plan) {
    // Information already published (Art. 36 (1)): a public document of the department, cited in the reply.
    const published = pr.ending.kind === 'reply' && pr.ending.type === 'already-public' ? (items.get(pr.agency) ?? []) : [];
    const item = published.length ? pickWith(r, published) : null;
    if (item) Object.assign(pr, { infoName: item.title.slice(0, 200), infoDocNo: '', description: pickWith(r, [`申请获取“${item.title}”全文。`, `请提供贵单位发布的“${item.title}”。`, `申请公开“${item.title}”，用于了解相关政策。`]) });
    const handler = await ctx.as(handlerOf(pr.agency));
    const head = await ctx.as(headOf(pr.agency));
    const online = pr.channel === 'online';
    const reg = await submitRequest(p, online ? 'demo' : handler, {
      agency: pr.agency,
      requesterType: pr.requesterType,
      ...requester(r, pr),
      infoName: pr.infoName,
      infoDocNo: pr.infoDocNo,
      infoDescription: pr.description,
      formWanted: pr.formWanted,
      channelWanted: pr.channelWanted,
      channel: pr.channel,
      arrivedOn: pr.arrivedOn,
      idProofs: online ? [ctx.proof] : [],
    });
    const id = reg.id;
    // Testers look demo requests up with the last 10 digits of the number.
    await p.db.updateTable('disclosure_requests').set({ code_hash: codeHash(reg.trackingNo, reg.trackingNo.slice(-10)) }).where('id', '=', id).execute();

    // The steps in the order of their days; the first one after today ends the run.
    const steps: [string, () => Promise<unknown>][] = [];
    const at = (on: string, run: () => Promise<unknown>) => steps.push([on, run]);
    if (!reg.receivedOn) at(pr.receivedOn, () => confirmReceipt(p, handler, id, { on: pr.receivedOn, how: pickWith(r, CONFIRM_HOW[pr.channel] ?? CONFIRM_HOW.online) }));
    let last = pr.receivedOn;
    if (pr.correction) {
      const c = pr.correction;
      at(c.on, () => askCorrection(p, handler, id, { items: c.items, on: c.on, due: addWorkdays(c.on, c.dueIn).due }));
      if (c.correctedOn) at(c.correctedOn, () => recordCorrection(p, handler, id, { on: c.correctedOn! }));
      last = c.correctedOn ?? c.on;
    }
    if (pr.ending.kind === 'no-correction' || pr.ending.kind === 'fee-unpaid') at(pr.plannedEnd, () => scanRequests(p, pr.plannedEnd));
    if (pr.consultation) {
      const c = pr.consultation;
      let cid = 0;
      at(c.on, async () => (cid = (await openConsultation(p, handler, id, { kind: c.kind, party: c.party, on: c.on })).consultationId));
      at(c.answerOn, () => answerConsultation(p, handler, id, cid, { answer: c.answer, on: c.answerOn, note: pickWith(r, ANSWER_NOTES[c.answer]) }));
      last = c.answerOn;
    }
    if (pr.fee) {
      const f = pr.fee;
      at(f.on, () => noticeFee(p, handler, id, { method: f.method, pages: f.pages, on: f.on }));
      if (f.paidOn) at(f.paidOn, () => recordFeePaid(p, handler, id, { on: f.paidOn! }));
      last = f.paidOn ?? f.on;
    }
    if (pr.extension) {
      const e = pr.extension;
      at(e.askOn, () => askExtension(p, handler, id, { workdays: e.workdays, reason: e.reason, on: e.askOn }));
      at(e.decideOn, () => decideExtension(p, head, id, { approve: true, on: e.decideOn }));
      last = e.decideOn;
    }
    if (pr.ending.kind === 'refer') {
      at(pr.plannedEnd, async () => {
        const x = await referComplaint(p, handler, id, { note: '反映的是投诉举报事项，转市民诉求服务中心办理。', on: pr.plannedEnd });
        if (x.desk) await referJob(p, { id });
      });
    }
    if (pr.ending.kind === 'reply') {
      const { type, ground } = pr.ending;
      // Drafted and submitted, approved and signed, delivered: on the last working days up to the reply's.
      const days = daysUpTo(last, pr.plannedEnd);
      const [drafted, signed, delivered] = [days[Math.max(0, days.length - 3)], days[Math.max(0, days.length - 2)], days[days.length - 1]];
      const earlierOn = subtractWorkdays(pr.receivedOn, intWith(r, 25, 80));
      const draft = draftFor(r, pr, type, ground, { item, department: names.get(pr.agency) ?? '', earlier: { no: `YS${earlierOn.replace(/-/g, '')}${String(intWith(r, 0, 9_999_999)).padStart(7, '0')}`, on: earlierOn } });
      const returned = r() < 0.06 ? pickWith(r, RETURN_NOTES) : null;
      const ref = pr.channelWanted === 'post' ? `EMS ${`11${String(intWith(r, 0, 99_999_999_999)).padStart(11, '0')}`}` : '';
      at(drafted, async () => {
        await draftReply(p, handler, id, { ...draft, on: drafted });
        await submitReply(p, handler, id, { on: drafted });
      });
      at(signed, async () => {
        if (returned) {
          await decideReply(p, head, id, { approve: false, note: returned, on: signed });
          await submitReply(p, handler, id, { on: signed });
        }
        await decideReply(p, head, id, { approve: true, on: signed });
        await signReply(p, head, id, { on: signed });
      });
      at(delivered, () => deliverReply(p, handler, id, { channel: pr.channelWanted, on: delivered, ref }));
      let prior = 0;
      for (const v of pr.reviews) {
        const no = caseNo(r, v);
        at(v.filedOn, async () => {
          const row = await addReview(p, handler, id, { kind: v.kind, body: v.body, caseNo: no, filedOn: v.filedOn, priorReview: v.kind === 'suit-after-review' ? prior : undefined });
          if (v.kind === 'review') prior = row.id;
          if (v.decidedOn) await decideReview(p, handler, id, row.id, { outcome: v.outcome, decidedOn: v.decidedOn });
        });
      }
    }
    steps.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [on, run] of steps) {
      if (on > today) break;
      await run();
    }
  }
  return { requests: plan.length };
}

/** The office heads have read the notices of what they decided; only what still waits for them stays unread. */
export async function readDecidedNotices(p: Platform): Promise<void> {
  const waiting = new Set(
    [
      ...(await p.db.selectFrom('request_replies').select('request_id').where('status', '=', 'awaiting-approval').execute()).map((x) => x.request_id),
      ...(await p.db.selectFrom('request_extensions').select('request_id').where('status', '=', 'pending').execute()).map((x) => x.request_id),
    ].map(Number),
  );
  const read = (await p.db.selectFrom('notifications').select(['id', 'url']).where('kind', 'in', ['request-reply', 'request-extension']).where('read_at', 'is', null).execute()).filter((n) => !waiting.has(Number(/\/admin\/disclosure-requests\/(\d+)/.exec(n.url)?.[1])));
  for (let i = 0; i < read.length; i += 500) {
    await p.db
      .updateTable('notifications')
      .set((eb) => ({ read_at: eb.ref('created_at') }))
      .where('id', 'in', read.slice(i, i + 500).map((n) => n.id))
      .execute();
  }
}
