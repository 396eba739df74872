// The demo year's requests, planned: who asks what of whom, by which channel, and what happens —
// receipt, correction, extension, consultation, fee, the reply and its outcome, review and suit —
// each step on a working day, never after `today`. Pure and deterministic: the same seed and the
// same `today` give the same plan; demo/year.ts carries it out through the services. About 300
// requests in the last full year (so its annual report has a number in most cells), fewer in the
// current one; requests whose reply would fall after today are still open (carried over).
import { addWorkdays, isWorkday, plusDays } from '../../../platform/calendar/index.js';
import { intWith, pickWith, seededRandom } from '../../../platform/random.js';
import type { IntakeChannel, RequesterType } from '../schema.js';
import { AGENCY_WEIGHTS, COMPLAINTS, fillSubject, ORGS, personName, SUBJECTS, weighted } from './pool.js';

/** How the request ends: a reply of a type, a referral, or a closing by the scan. */
export type Ending =
  | { kind: 'reply'; type: string; ground?: string }
  | { kind: 'refer' }
  | { kind: 'no-correction' }
  | { kind: 'fee-unpaid' };

export interface PlannedReview {
  kind: 'review' | 'suit-direct' | 'suit-after-review';
  body: string;
  filedOn: string;
  outcome: 'maintained' | 'corrected' | 'other' | null;
  decidedOn: string | null;
}

export interface PlannedRequest {
  n: number;
  agency: string;
  requesterType: RequesterType;
  requesterName: string;
  orgContact: string;
  channel: IntakeChannel;
  formWanted: 'paper' | 'electronic' | 'disc';
  channelWanted: 'post' | 'email' | 'fax' | 'pickup' | 'online';
  infoName: string;
  infoDocNo: string;
  description: string;
  arrivedOn: string;
  /** The confirming day for channels whose receipt is confirmed (Art. 31); the arrival otherwise. */
  receivedOn: string;
  correction?: { on: string; items: string[]; dueIn: number; correctedOn: string | null };
  extension?: { askOn: string; decideOn: string; workdays: number; reason: string };
  consultation?: { kind: 'third-party' | 'agency'; party: string; on: string; answerOn: string; answer: 'consent' | 'objection' | 'no-opinion' };
  fee?: { on: string; method: 'count' | 'pages'; pages: number; paidOn: string | null };
  ending: Ending;
  /** The day of the reply (signed and delivered), the referral or the closing; null: still open on `today`. */
  endOn: string | null;
  /** The day the plan ends it, after `today` too (the steps before today are taken, the rest not). */
  plannedEnd: string;
  reviews: PlannedReview[];
}

const CHANNELS: [IntakeChannel, number][] = [
  ['online', 52],
  ['in-person', 16],
  ['registered-post', 11],
  ['email', 10],
  ['ordinary-post', 6],
  ['fax', 5],
];
const TYPES: [RequesterType, number][] = [
  ['natural-person', 74],
  ['commercial', 9],
  ['legal-services', 6],
  ['other-org', 5],
  ['research', 3],
  ['public-interest', 3],
];
/** Reply types (replies service) and other endings, weighted as a district's year looks. */
const ENDINGS: [Ending, number][] = [
  [{ kind: 'reply', type: 'disclosed' }, 30],
  [{ kind: 'reply', type: 'already-public' }, 9],
  [{ kind: 'reply', type: 'partly-disclosed', ground: 'withheld.third-party' }, 6],
  [{ kind: 'reply', type: 'partly-disclosed', ground: 'withheld.process-info' }, 3],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.third-party' }, 3],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.process-info' }, 3],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.internal-affairs' }, 2],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.enforcement-file' }, 1.5],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.prohibited-by-law' }, 1],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.state-secret' }, 0.6],
  [{ kind: 'reply', type: 'withheld', ground: 'withheld.three-safeties' }, 0.6],
  [{ kind: 'reply', type: 'special-registry' }, 2],
  [{ kind: 'reply', type: 'not-held' }, 9],
  [{ kind: 'reply', type: 'not-ours' }, 5],
  [{ kind: 'reply', type: 'needs-creation' }, 5],
  [{ kind: 'reply', type: 'repeat' }, 2],
  [{ kind: 'reply', type: 'publication' }, 1],
  [{ kind: 'reply', type: 'excessive' }, 1],
  [{ kind: 'reply', type: 'confirm-or-reissue' }, 1],
  [{ kind: 'reply', type: 'other' }, 1.5],
  [{ kind: 'refer' }, 4],
  [{ kind: 'no-correction' }, 2.5],
  [{ kind: 'fee-unpaid' }, 1],
];

/** One of each leaf of the tree (Table 三), placed in the full year whatever the draws. */
const FORCED: Ending[] = [
  { kind: 'reply', type: 'withheld', ground: 'withheld.state-secret' },
  { kind: 'reply', type: 'withheld', ground: 'withheld.prohibited-by-law' },
  { kind: 'reply', type: 'withheld', ground: 'withheld.three-safeties' },
  { kind: 'reply', type: 'withheld', ground: 'withheld.internal-affairs' },
  { kind: 'reply', type: 'withheld', ground: 'withheld.enforcement-file' },
  { kind: 'reply', type: 'special-registry' },
  { kind: 'reply', type: 'needs-creation' },
  { kind: 'reply', type: 'unclear' },
  { kind: 'reply', type: 'repeat' },
  { kind: 'reply', type: 'publication' },
  { kind: 'reply', type: 'excessive' },
  { kind: 'reply', type: 'confirm-or-reissue' },
  { kind: 'reply', type: 'other' },
  { kind: 'refer' },
  { kind: 'no-correction' },
  { kind: 'fee-unpaid' },
];

const CORRECTION_ITEMS = [
  '请写明所需信息涉及的项目名称或地址',
  '请写明所需文件的名称、文号或便于查找的其他特征描述',
  '请写明所需信息的形成时间或年份范围',
  '请提供与申请人名称一致的有效身份证明',
  '请写明所需信息的载体形式和获取方式',
];
const EXTENSION_REASONS = [
  '所需信息涉及多个年度的档案，需调档核对。',
  '所需信息数量较多，需逐项审查是否涉及国家秘密、商业秘密或个人隐私。',
  '该项目档案已移交档案馆，需协调调阅。',
  '所需信息涉及多个科室和街道，需汇总核实。',
];
const AGENCY_PARTIES = ['市发展和改革委员会', '市自然资源局', '市生态环境局', '市住房和城乡建设局', '市财政局'];
const REVIEW_BODIES = ['示范新区管理委员会', '大连市人民政府'];
const COURTS = ['大连市中山区人民法院', '大连市西岗区人民法院', '大连市沙河口区人民法院'];
/** Third parties of information that names no company (Art. 32). */
const PARTIES = ['相关权利人（个人）', '项目建设单位', '被征收房屋所有权人', '相关经营者'];

/** Working days after `from` up to `to` (0 when `to` is not later). */
function workdaysFrom(from: string, to: string): number {
  let n = 0;
  for (let d = from; d < to; d = plusDays(d, 1)) if (isWorkday(plusDays(d, 1)).workday) n++;
  return n;
}

/** The next working day on or after `d`. */
function workdayFrom(d: string): string {
  let x = d;
  while (!isWorkday(x).workday) x = plusDays(x, 1);
  return x;
}
const wd = (d: string, n: number) => (n <= 0 ? workdayFrom(d) : addWorkdays(d, n).due);

/**
 * The plan: requests arriving from 1 January of the year before `today`'s to `today`, about 300
 * in that full year. `today` bounds every step; a step that would fall after it is left undone.
 */
export function planYear(today: string, seed = 20251231): PlannedRequest[] {
  const r = seededRandom(seed);
  const year = Number(today.slice(0, 4)) - 1;
  const first = `${year}-01-02`;
  const span = Math.round((Date.parse(today) - Date.parse(first)) / 86400000);
  // ~300 over the full year; fewer in the current one (the demo loads quickly).
  const days: string[] = [];
  for (let i = 0; i < 300; i++) days.push(workdayFrom(plusDays(first, Math.floor(r() * 363))));
  const rest = span - 365;
  for (let i = 0; i < Math.round((120 * rest) / 365); i++) days.push(workdayFrom(plusDays(first, 365 + Math.floor(r() * rest))));
  days.sort();
  // Every outcome at least once in the full year: these endings replace the draws of requests
  // spread over it.
  const forced = new Map<number, Ending>(FORCED.map((e, i) => [5 + i * 13, e]));
  const out: PlannedRequest[] = [];
  for (const [n, arrivedOn] of days.entries()) {
    if (arrivedOn > today) continue;
    const agency = weighted(r, AGENCY_WEIGHTS);
    const requesterType = weighted(r, TYPES);
    const org = requesterType === 'natural-person' ? null : pickWith(r, ORGS[requesterType]);
    const channel = weighted(r, CHANNELS);
    const s = fillSubject(r, pickWith(r, SUBJECTS[agency]), Number(arrivedOn.slice(0, 4)));
    const given = channel === 'in-person' || channel === 'registered-post';
    const receivedOn = given ? arrivedOn : wd(arrivedOn, intWith(r, 0, 2));
    const p: PlannedRequest = {
      n,
      agency,
      requesterType,
      requesterName: org ? org[0] : personName(r),
      orgContact: org ? org[1] : '',
      channel,
      formWanted: channel === 'online' || channel === 'email' ? 'electronic' : r() < 0.8 ? 'paper' : 'disc',
      channelWanted: channel === 'online' ? (r() < 0.6 ? 'online' : 'email') : channel === 'email' ? 'email' : channel === 'fax' ? 'fax' : r() < 0.6 ? 'post' : 'pickup',
      infoName: s.infoName,
      infoDocNo: r() < 0.25 ? s.docNo : '',
      description: s.description,
      arrivedOn,
      receivedOn,
      ending: forced.get(n) ?? weighted(r, ENDINGS),
      endOn: null,
      plannedEnd: today,
      reviews: [],
    };
    // A complaint filed as a request reads like one (Art. 39).
    if (p.ending.kind === 'refer') {
      const c = fillSubject(r, pickWith(r, COMPLAINTS[agency] ?? COMPLAINTS.government), Number(arrivedOn.slice(0, 4)));
      Object.assign(p, { infoName: c.infoName, infoDocNo: '', description: c.description });
    }
    /** The plan ends it on `day`: done when not after today, open otherwise. */
    const end = (day: string) => {
      p.plannedEnd = day;
      p.endOn = day > today ? null : day;
    };
    let cursor = receivedOn;
    // A correction for every abandoned one, some others corrected in time; an 'unclear after
    // correction' reply needs one too.
    const unclear = p.ending.kind === 'reply' && p.ending.type === 'unclear';
    if (p.ending.kind === 'no-correction' || unclear || r() < 0.07) {
      const on = wd(receivedOn, intWith(r, 1, 6));
      const dueIn = 15;
      const correctedOn = p.ending.kind === 'no-correction' ? null : wd(on, intWith(r, 2, 12));
      p.correction = { on, items: [CORRECTION_ITEMS[n % CORRECTION_ITEMS.length], ...(r() < 0.5 ? [CORRECTION_ITEMS[(n + 2) % CORRECTION_ITEMS.length]] : [])], dueIn, correctedOn };
      cursor = correctedOn ?? on;
      if (!correctedOn) {
        end(wd(addWorkdays(on, dueIn).due, 1));
        out.push(p);
        continue;
      }
    }
    if (p.ending.kind === 'refer') {
      end(wd(cursor, intWith(r, 1, 5)));
      out.push(p);
      continue;
    }
    let extra = 0;
    // The last step before the reply: the reply is drafted after it.
    let last = cursor;
    const ground = p.ending.kind === 'reply' ? p.ending.ground : undefined;
    if (ground === 'withheld.third-party' || r() < 0.04) {
      const on = wd(cursor, intWith(r, 2, 6));
      const kind = ground === 'withheld.third-party' || r() < 0.5 ? 'third-party' : 'agency';
      const took = intWith(r, 5, 15);
      const party = kind === 'third-party' ? (p.infoName.match(/(大连|示范新区|辽宁)[^的]*?(有限公司|研究所)/)?.[0] ?? pickWith(r, PARTIES)) : pickWith(r, AGENCY_PARTIES);
      p.consultation = { kind, party, on, answerOn: wd(on, took), answer: ground ? 'objection' : pickWith(r, ['consent', 'no-opinion', 'consent'] as const) };
      extra += took;
      last = p.consultation.answerOn;
    }
    // A fee only while the request is being handled: after the consultation ended (Art. 42).
    if (p.ending.kind === 'fee-unpaid' || (p.ending.kind === 'reply' && p.ending.type === 'disclosed' && r() < 0.04)) {
      const on = last === cursor ? wd(cursor, intWith(r, 3, 8)) : wd(last, intWith(r, 1, 3));
      const paid = p.ending.kind === 'fee-unpaid' ? null : wd(on, intWith(r, 2, 10));
      p.fee = { on, method: 'pages', pages: intWith(r, 45, 260), paidOn: paid };
      if (!paid) {
        end(wd(addWorkdays(on, 20).due, 1));
        out.push(p);
        continue;
      }
      extra += workdaysFrom(on, paid);
      last = paid;
    }
    // The one extension (Art. 33): asked before the due date, after the pauses above ended.
    if (r() < 0.07) {
      const planned = wd(cursor, intWith(r, 12, 17) + extra);
      const askOn = planned > last ? planned : wd(last, 1);
      p.extension = { askOn, decideOn: wd(askOn, 1), workdays: pickWith(r, [10, 15, 20]), reason: pickWith(r, EXTENSION_REASONS) };
      extra += p.extension.workdays;
      last = p.extension.decideOn;
    }
    // The reply: most within the 20 working days, a few late; always after the last step.
    const within = r() < 0.93 ? intWith(r, 4, 19) : intWith(r, 21, 26);
    const replyOn = wd(cursor, Math.min(within + extra, 20 + extra + 6));
    const after = wd(last, intWith(r, 1, 3));
    end(replyOn > after ? replyOn : after);
    // Some replies are challenged.
    if (p.endOn && p.ending.kind === 'reply' && r() < (p.ending.type === 'disclosed' || p.ending.type === 'already-public' ? 0.02 : 0.12)) {
      const filedOn = wd(p.endOn, intWith(r, 10, 40));
      if (filedOn <= today) {
        const direct = r() < 0.25;
        const decidedOn = wd(filedOn, intWith(r, 40, 80));
        const done = decidedOn <= today;
        const outcome = done ? weighted(r, [['maintained', 65], ['corrected', 20], ['other', 15]] as const) : null;
        p.reviews.push({ kind: direct ? 'suit-direct' : 'review', body: direct ? pickWith(r, COURTS) : pickWith(r, REVIEW_BODIES), filedOn, outcome, decidedOn: done ? decidedOn : null });
        if (!direct && done && outcome === 'maintained' && r() < 0.4) {
          const sued = wd(decidedOn, intWith(r, 5, 14));
          if (sued <= today) {
            const dec = wd(sued, intWith(r, 60, 120));
            const fin = dec <= today;
            p.reviews.push({ kind: 'suit-after-review', body: pickWith(r, COURTS), filedOn: sued, outcome: fin ? weighted(r, [['maintained', 75], ['corrected', 10], ['other', 15]] as const) : null, decidedOn: fin ? dec : null });
          }
        }
      }
    }
    out.push(p);
  }
  return out;
}
