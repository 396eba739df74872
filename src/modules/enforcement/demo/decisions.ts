// The demo's 200 licensing and penalty decisions (双公示) of the last three years, across the
// domains (产品质量, 食品安全 — a domain the demo configures in `enforcement.domains` —, 知识产权,
// 市场秩序, 旅游, 安全生产, 生态环境), severities and subjects (legal persons of the register,
// natural persons masked in public). Every one is checked by the service's `checkDecision` and
// entered as its department's editor. History in bulk: those decided before the last seven working
// days were approved by the department's approver and published a few working days after their
// decision date (`publishApprovedMany`, one audit summary a department; 轻微 recorded as not shown);
// then the daily job's `endDueDisplays` ends the displays past their maximum ('expired'). Through
// the services, as staff would: the newest six are drafts or await approval (the approver of the
// department can publish them), one decision is revoked (`endByStaff`), one repaired (the subject's
// application `submitRepair`, approved with `reviewRepair`) and one application waits for review.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { addWorkdays, subtractWorkdays } from '../../../platform/calendar/index.js';
import { withIdCheckDigit } from '../../../platform/privacy/index.js';
import { bumpGeneration, publishApprovedMany } from '../../../platform/publication/index.js';
import { putJsonSetting } from '../../../platform/settings/index.js';
import { intWith, pickWith } from '../../../platform/random.js';
import { personName } from '../../requests/demo/pool.js';
import { approvedItem, authorOf, checkContext, checkDecision, createDecision, domainOptions, DOMAINS_SETTING, insertChecked, type DecisionInput } from '../service/decisions.js';
import { addMonths, dayBefore, displayPeriod } from '../service/period.js';
import { endByStaff, endDueDisplays } from '../service/display.js';
import { reviewRepair, submitRepair } from '../service/repairs.js';
import type { DecisionRow } from '../schema.js';
import type { Severity } from '../service/codes.js';
import { AREAS, type DemoEntity } from './entities.js';
import { DOMAIN_TEXTS, GOODS, MORE_SLOTS, SLOTS, type LicenceText, type PenaltyText } from './decision-texts.js';

type R = () => number;

/** Decisions per domain: [penalties, licensing]. 200 in all. */
const COUNTS: Record<string, [number, number]> = {
  quality: [22, 10],
  food: [16, 18],
  ip: [22, 0],
  market: [22, 0],
  tourism: [22, 14],
  safety: [20, 14],
  environment: [10, 10],
};
/** The demo's configured domain beside the built-in ones. */
const FOOD_DOMAIN = { code: 'food', zh: '食品安全', en: 'Food safety' };

interface Draft {
  input: DecisionInput;
  dept: string;
  /** Working days before today of the decision date. */
  ago: number;
}

const money = (r: R, lo: number, hi: number, step: number) => String(Math.round(intWith(r, lo, hi) / step) * step);

/** Fills a text's slots; `memo` keeps a slot's value across the texts of one decision. */
function fill(r: R, text: string, memo: Map<string, string>, s: { severity: string; name: string; date: string; industry: string }): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!memo.has(k)) memo.set(k, slot(r, k, s));
    return memo.get(k)!;
  });
}

function slot(r: R, k: string, { severity, name, date, industry }: { severity: string; name: string; date: string; industry: string }): string {
  switch (k) {
    case 'name':
      return name;
    case 'fine':
      return severity === 'serious' ? money(r, 100_000, 500_000, 5000) : severity === 'ordinary' ? money(r, 5000, 100_000, 1000) : money(r, 500, 5000, 500);
    case 'small':
      return severity === 'minor' ? money(r, 500, 3000, 500) : money(r, 2000, 20_000, 500);
    case 'value':
      return money(r, 800, 90_000, 100);
    case 'income':
      return money(r, 300, 30_000, 10);
    case 'count':
      return String(intWith(r, 3, 180));
    case 'rooms':
      return String(intWith(r, 6, 40));
    case 'times':
      return (intWith(r, 5, 32) / 10).toFixed(1);
    case 'year':
      return String(Number(date.slice(0, 4)) - 1);
    case 'road':
      return pickWith(r, AREAS.flatMap(([, roads]) => roads));
    case 'product':
    case 'food': {
      // The goods of the subject's trade (the longest prefix that has some), else everyday goods.
      const prefix = Object.keys(GOODS).filter((x) => industry.startsWith(x) && GOODS[x][k].length).sort((a, b) => b.length - a.length)[0] ?? '';
      return pickWith(r, GOODS[prefix][k]);
    }
    default:
      return pickWith(r, SLOTS[k] ?? MORE_SLOTS[k] ?? ['']);
  }
}

/** A natural person: name, a valid ID number of the district (2102…), an address. */
function person(r: R) {
  const birth = `${intWith(r, 1962, 2001)}${String(intWith(r, 1, 12)).padStart(2, '0')}${String(intWith(r, 1, 28)).padStart(2, '0')}`;
  const [, roads] = pickWith(r, AREAS);
  return {
    name: personName(r),
    idNumber: withIdCheckDigit(`${pickWith(r, ['210213', '210211', '210204', '210282'])}${birth}${String(intWith(r, 10, 999)).padStart(3, '0')}`),
    address: `示范新区${pickWith(r, roads)}${intWith(r, 1, 300)}号${intWith(r, 1, 30)}号楼${intWith(r, 1, 6)}单元`,
  };
}

function legal(r: R, entities: DemoEntity[], prefixes: string[]) {
  const fits = entities.filter((e) => e.active && prefixes.some((x) => e.industry.startsWith(x)));
  return pickWith(r, fits.length ? fits : entities);
}

const RESULTS: Record<string, string[]> = {
  fine: ['当事人已按期缴纳罚款', '罚款已缴入国库', '当事人已履行完毕'],
  warning: ['当事人已整改完毕', '已按要求整改'],
  other: ['当事人已履行处罚决定', '已执行完毕，当事人已整改'],
};

function penalty(r: R, t: PenaltyText, entities: DemoEntity[], domain: string, departmentId: number, date: string, docNo: string): DecisionInput {
  const severity = pickWith(r, t.severities);
  const natural = t.subject === 'natural';
  const subject = natural ? person(r) : null;
  const e = natural ? null : legal(r, entities, t.subject as string[]);
  const name = subject?.name ?? e!.name;
  const memo = new Map<string, string>();
  const at = { severity, name, date, industry: e?.industry ?? '' };
  const resultKey = t.category.includes('fine') ? 'fine' : t.category.length === 1 && t.category[0] === 'warning' ? 'warning' : 'other';
  return {
    kind: 'penalty',
    departmentId,
    docNo,
    subjectType: natural ? 'natural' : 'legal',
    subjectName: name,
    creditCode: e?.credit_code ?? '',
    legalRep: e?.legal_rep ?? '',
    address: subject?.address ?? e!.address,
    idNumber: subject?.idNumber ?? '',
    facts: fill(r, t.facts, memo, at),
    category: t.category,
    basis: t.basis,
    content: fill(r, t.content, memo, at),
    result: pickWith(r, RESULTS[resultKey]),
    decisionDate: date,
    domain,
    severity,
  };
}

function licence(r: R, t: LicenceText, entities: DemoEntity[], domain: string, departmentId: number, date: string, docNo: string, serial: number): DecisionInput {
  const e = legal(r, entities, t.subject);
  return {
    kind: 'licensing',
    departmentId,
    docNo,
    subjectType: 'legal',
    subjectName: e.name,
    creditCode: e.credit_code,
    legalRep: e.legal_rep,
    address: e.address,
    facts: fill(r, t.facts, new Map(), { severity: '', name: e.name, date, industry: e.industry }),
    category: t.category,
    basis: t.basis,
    content: '准予行政许可决定书',
    licenceName: t.licenceName,
    licenceNo: `${t.licencePrefix}${String(serial).padStart(5, '0')}`,
    validFrom: date,
    validTo: dayBefore(addMonths(date, t.years * 12)),
    decisionDate: date,
    domain,
  };
}

/** The 200 decisions: their inputs, departments and ages, doc numbers by department, kind and year in date order. */
function drafts(r: R, entities: DemoEntity[], depts: Map<string, number>, today: string): Draft[] {
  const out: Draft[] = [];
  for (const [domain, [penalties, licences]] of Object.entries(COUNTS)) {
    const texts = DOMAIN_TEXTS[domain];
    const departmentId = depts.get(texts.dept)!;
    for (let i = 0; i < penalties + licences; i++) {
      // Spread over three years, more of them recent (as enforcement grew).
      const ago = 8 + Math.floor(Math.pow(r(), 1.25) * 732);
      out.push({ dept: texts.dept, ago, input: { kind: i < penalties ? 'penalty' : 'licensing', departmentId, domain, docNo: '', decisionDate: subtractWorkdays(today, ago) } as DecisionInput });
    }
  }
  // Six are this week's (of the four departments): drafts and decisions awaiting approval.
  const penalties = out.filter((x) => x.input.kind === 'penalty');
  for (const [k, i] of [0, 30, 85, 90, 110, 126].entries()) {
    const d = penalties[i];
    d.ago = 1 + (k % 4);
    d.input.decisionDate = subtractWorkdays(today, d.ago);
  }
  out.sort((a, b) => b.ago - a.ago);
  const serial = new Map<string, number>();
  return out.map((d) => {
    const texts = DOMAIN_TEXTS[d.input.domain];
    const date = d.input.decisionDate;
    const word = d.input.kind === 'penalty' ? texts.penaltyWord : texts.licenceWord;
    const key = `${word}${date.slice(0, 4)}`;
    const n = (serial.get(key) ?? 0) + intWith(r, 1, 4);
    serial.set(key, n);
    const docNo = `${word}〔${date.slice(0, 4)}〕${n}号`;
    const input =
      d.input.kind === 'penalty'
        ? penalty(r, pickWith(r, texts.penalties), entities, d.input.domain, d.input.departmentId, date, docNo)
        : licence(r, pickWith(r, texts.licences), entities, d.input.domain, d.input.departmentId, date, docNo, intWith(r, 1000, 99_999));
    return { ...d, input };
  });
}

export async function loadDecisions(p: Platform, r: R, entities: DemoEntity[], depts: Map<string, number>, as: (username: string) => Principal | 'demo', today: string): Promise<void> {
  await p.tx((t) => putJsonSetting(t, DOMAINS_SETTING, [FOOD_DOMAIN]));
  const all = drafts(r, entities, depts, today);
  const ctx = await checkContext(p.db);
  const domains = await domainOptions(p.db);
  const names = new Map((await p.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.id, d.name]));
  const recent = all.filter((d) => d.ago <= 4);
  const history = all.filter((d) => d.ago > 4);
  // History: entered, approved and published (or, 轻微, recorded as not shown) long ago.
  const byDept = new Map<string, { row: DecisionRow; at: Date }[]>();
  await p.tx(async (t) => {
    for (const d of history) {
      const { values, fields } = checkDecision(d.input, ctx);
      if (Object.keys(fields).length) throw new Error(`demo decision ${d.input.docNo}: ${JSON.stringify(fields)}`);
      const published = addWorkdays(values.decision_date, intWith(r, 1, 6)).due;
      const at = new Date(`${published}T0${intWith(r, 1, 8)}:${String(intWith(r, 10, 59))}:00Z`);
      const editor = as(`${d.dept}-editor`);
      const approver = as(`${d.dept}-approver`);
      const id = await insertChecked(t, values, editor, new Date(`${values.decision_date}T03:00:00Z`).toISOString(), 'submitted');
      const period = displayPeriod(values.kind as 'penalty' | 'licensing', values.severity as Severity | '', values.decision_date);
      const base = { approver_id: authorOf(approver), updated_at: at.toISOString() };
      if (!period) {
        await t.updateTable('enf_decisions').set({ ...base, status: 'not-shown' }).where('id', '=', id).execute();
        continue;
      }
      await t.updateTable('enf_decisions').set({ ...base, display_min_until: period.minUntil, display_until: period.until }).where('id', '=', id).execute();
      const row = await t.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      byDept.set(d.dept, [...(byDept.get(d.dept) ?? []), { row, at }]);
    }
    for (const [dept, list] of byDept) {
      const approver = as(`${dept}-approver`);
      const items = list.map(({ row, at }) => ({ ...approvedItem(row, names.get(row.department_id) ?? '', domains), publishedAt: at }));
      const ids = await publishApprovedMany(p, t, approver, items, { audit: 'summary', deliver: false });
      for (const [i, { row, at }] of list.entries()) {
        await t.updateTable('enf_decisions').set({ status: 'published', pub_item_id: ids[i], published_at: at.toISOString() }).where('id', '=', row.id).execute();
      }
    }
    await p.audit(t, { actor: 'demo', action: 'enforcement.demo_decisions', entity: 'enf_decision', entityId: 'demo', details: { decisions: history.length, published: [...byDept.values()].reduce((s, l) => s + l.length, 0) } });
  });
  bumpGeneration();
  // The displays past their maximum end, as the daily job ends them.
  await endDueDisplays(p, today);
  // This week's: two drafts, the others submitted for the approver.
  for (const [i, d] of recent.entries()) await createDecision(p, as(`${d.dept}-editor`), d.input, { submit: i >= 2 });
  await revokeAndRepair(p, r, as, today);
}

/** One decision revoked on review, one repaired on the subject's application, one application pending. */
async function revokeAndRepair(p: Platform, r: R, as: (username: string) => Principal | 'demo', today: string): Promise<void> {
  const shown = await p.db
    .selectFrom('enf_decisions as d')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select(['d.id', 'd.doc_no', 'd.credit_code', 'd.legal_rep', 'd.severity', 'd.display_min_until', 'dep.code'])
    .where('d.status', '=', 'published')
    .where('d.kind', '=', 'penalty')
    .where('d.subject_type', '=', 'legal')
    .orderBy('d.decision_date', 'desc')
    .orderBy('d.id')
    .execute();
  const revoked = shown.find((d) => d.code === 'scjg' && d.severity === 'ordinary');
  if (revoked) {
    const approver = as('scjg-approver');
    if (approver !== 'demo') {
      await endByStaff(p, approver, revoked.id, { reason: 'revoked', note: `经行政复议，示范新区管理委员会决定撤销该行政处罚决定（示新复决字〔${today.slice(0, 4)}〕${intWith(r, 2, 30)}号）。`, confirm: true });
    }
  }
  const repairable = shown.filter((d) => d.id !== revoked?.id && d.display_min_until && d.display_min_until < today);
  for (const [k, d] of repairable.slice(0, 2).entries()) {
    const submitted = await submitRepair(
      p,
      {
        docNo: d.doc_no,
        creditCode: d.credit_code,
        applicant: d.legal_rep,
        phone: `139${String(intWith(r, 10_000_000, 99_999_999))}`,
        commitment: '本单位已全面履行行政处罚决定确定的义务，违法行为已整改到位。本单位承诺今后严格遵守法律法规，诚信经营，如有违反愿承担相应法律责任。',
      },
      today,
    );
    // The first is approved (the display ends: 'repaired'); the second waits for the approver.
    const approver = as(`${d.code}-approver`);
    if (k === 0 && approver !== 'demo') await reviewRepair(p, approver, submitted.id, { approve: true, note: '已履行处罚决定并作出信用承诺，经审核符合信用修复条件。' });
  }
}
