// The annual report's figures computed from the data (issue #17 deliverable 8): a scripted year of
// requests in which every cell of Table 三 (6 columns × received, carried in, 21 outcome leaves, carried
// out) has its own known value from a formula, dated across the year's edges (2025-12-31 /
// 2026-01-01 / 2026-12-31 / 2027-01-01), with requests that must count nowhere, requests of
// another department and of the government itself, and requests taken through the real services
// (a complaint referred, an uncorrected request closed by the scan); rows that break the table
// make the check of their column fail. Table 四 (15 numbers) from review and litigation records,
// Table 二 from catalog documents published and repealed through the spine and from paid fees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { demoOrg } from '../fixtures/org.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { assembleAnnualReport, emptyColumns, TABLE3_COLUMNS, TABLE4_KINDS, TABLE4_OUTCOMES, type ColumnCounts, type ReportScope, type Table3, type Table3Column } from '../../src/platform/annual-report.js';
import { OUTCOME_CODES } from '../../src/platform/report-outcomes.js';
import { defaultMeta, endApproved, publishApproved, withdrawApproved } from '../../src/platform/publication/index.js';
import { scanRequests } from '../../src/modules/requests/service/scan.js';
import { register, step } from './util.js';

const Y = 2026;
/** The real services close "today": whether today falls in the scripted year decides where those requests count. */
const NOW_IN_Y = todayShanghai().startsWith(`${Y}-`);

let env: TestEnv;
let A: number; // 住建局: the scripted department
let B: number; // 发改局: another department
let GKB: number; // 政务公开办: handles the requests addressed to the government itself
beforeAll(async () => {
  // Without enforcement (its decisions give Table 二's 行政许可 and 行政处罚: test/enforcement/decisions.test.ts).
  env = await makeEnv({ demo: false, modules: MODULES.filter((m) => m.name !== 'enforcement'), env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  const ids = await demoOrg(env.p, { users: ['gkb-requests'], departments: ['zjj', 'fgj'] });
  [A, B, GKB] = [ids.get('zjj')!, ids.get('fgj')!, ids.get('gkb')!];
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const report = (departmentIds: ReportScope['departmentIds'], year = Y) => assembleAnnualReport(env.p.db, env.p.modules.flatMap((m) => m.annualReport ?? []), { year, departmentIds });

// ---- writing rows ------------------------------------------------------------------------------

let seq = 0;
interface Req {
  dept: number;
  type: Table3Column;
  received: string | null;
  closed?: string | null;
  outcome?: string | null;
  state?: string;
  toGov?: boolean;
}
async function insertRequests(rows: Req[]): Promise<number[]> {
  const now = new Date().toISOString();
  const ids: number[] = [];
  const values = rows.map((r) => ({
    tracking_no: `YST${String(++seq).padStart(8, '0')}`,
    code_hash: '',
    department_id: r.dept,
    to_government: r.toGov ? 1 : 0,
    channel: 'in-person',
    requester_type: r.type,
    requester_name: '测试申请人',
    id_kind: 'resident-id',
    id_number: '',
    org_contact: '',
    id_proofs: '[]',
    contact_phone: '',
    contact_email: '',
    contact_address: '',
    contact_fax: '',
    info_doc_no: '',
    correction_asked_on: null,
    correction_due: null,
    correction_items: null,
    corrected_on: null,
    due_date: null,
    referral_no: null,
    created_by: null,
    info_name: '测试信息',
    info_description: '测试',
    form_wanted: 'electronic',
    channel_wanted: 'email',
    state: r.state ?? (r.closed ? 'closed' : 'handling'),
    arrived_on: r.received ?? '2026-12-30',
    received_on: r.received,
    outcome: r.outcome ?? null,
    closed_on: r.closed ?? null,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < values.length; i += 500) ids.push(...(await env.p.db.insertInto('disclosure_requests').values(values.slice(i, i + 500)).returning('id').execute()).map((r) => Number(r.id)));
  return ids;
}

// ---- the scripted year of 住建局 -------------------------------------------------------------------

const col = (c: Table3Column) => TABLE3_COLUMNS.indexOf(c);
/** 三: outcome k (21 leaves) in column c — 1…126, each cell its own value. */
const outcomeCount = (c: number, k: number) => c + 6 * k + 1;
/** 四 carried to next year: 133…138; 二 carried over: 139…144; 一 received: what the check leaves. */
const carriedOutCount = (c: number) => 133 + c;
const carriedInCount = (c: number) => 139 + c;
const outcomeSum = (c: number) => OUTCOME_CODES.reduce((s, _, k) => s + outcomeCount(c, k), 0);
const receivedCount = (c: number) => outcomeSum(c) + carriedOutCount(c) - carriedInCount(c);

function scriptedTable(): Table3 {
  const per = (f: (c: number) => number) => Object.fromEntries(TABLE3_COLUMNS.map((c, i) => [c, f(i)])) as ColumnCounts;
  return { received: per(receivedCount), carriedIn: per(carriedInCount), outcomes: Object.fromEntries(OUTCOME_CODES.map((code, k) => [code, per((c) => outcomeCount(c, k))])), carriedOut: per(carriedOutCount) };
}

/** Each request is one left slot (received in 2026 / carried over) paired with one right slot (an outcome in 2026 / carried to 2027). */
function scriptedRows(): Req[] {
  const rows: Req[] = [];
  const cycle = <T,>(xs: T[], i: number) => xs[i % xs.length];
  TABLE3_COLUMNS.forEach((type, c) => {
    const left: string[] = [];
    for (let i = 0; i < carriedInCount(c); i++) left.push(cycle(['2025-12-31', '2025-03-10', '2024-11-02'], i));
    for (let i = 0; i < receivedCount(c); i++) left.push(cycle(['2026-01-01', '2026-12-31', '2026-06-15'], i));
    const right: { closed: string | null; outcome: string | null; state: string }[] = [];
    OUTCOME_CODES.forEach((code, k) => {
      for (let i = 0; i < outcomeCount(c, k); i++) right.push({ closed: cycle(['2026-01-01', '2026-12-31', '2026-07-01'], i), outcome: code, state: i % 2 ? 'replied' : 'closed' });
    });
    for (let i = 0; i < carriedOutCount(c); i++)
      right.push(cycle([{ closed: null, outcome: null, state: 'handling' }, { closed: '2027-01-01', outcome: 'disclosed', state: 'replied' }, { closed: null, outcome: null, state: 'awaiting-correction' }, { closed: null, outcome: null, state: 'consulting' }, { closed: '2027-01-01', outcome: 'withheld.state-secret', state: 'closed' }], i));
    expect(left.length).toBe(right.length);
    left.forEach((received, i) => {
      const r = right[i];
      // Never closed before it was received: a close in 2026 moves up to the receipt day, still in 2026.
      const closed = r.closed && r.closed < received ? received : r.closed;
      rows.push({ dept: A, type, received, closed, outcome: r.outcome, state: r.state });
    });
  });
  // Requests that count nowhere in 2026: closed before the year, received after it, not yet received.
  rows.push({ dept: A, type: 'natural-person', received: '2025-06-01', closed: '2025-12-31', outcome: 'disclosed' });
  rows.push({ dept: A, type: 'commercial', received: '2025-12-30', closed: '2025-12-31', outcome: 'not-processed.repeat', state: 'replied' });
  rows.push({ dept: A, type: 'research', received: '2027-01-01' });
  rows.push({ dept: A, type: 'legal-services', received: '2027-01-01', closed: '2027-01-02', outcome: 'disclosed' });
  rows.push({ dept: A, type: 'other-org', received: null, state: 'awaiting-receipt' });
  return rows;
}

type Cell = { left: 'received' | 'carriedIn'; right: string };
/** Requests of other departments and of the government, each with the cells it fills (the 'all' report only). */
const others = (): (Req & { cells: Cell })[] => [
  { dept: B, type: 'commercial', received: '2026-05-05', closed: '2026-05-20', outcome: 'withheld.third-party', cells: { left: 'received', right: 'withheld.third-party' } },
  { dept: B, type: 'natural-person', received: '2025-12-31', closed: '2026-01-01', outcome: 'unavailable.not-held', state: 'replied', cells: { left: 'carriedIn', right: 'unavailable.not-held' } },
  { dept: B, type: 'research', received: '2026-12-31', cells: { left: 'received', right: 'carriedOut' } },
  { dept: GKB, toGov: true, type: 'public-interest', received: '2025-12-31', cells: { left: 'carriedIn', right: 'carriedOut' } },
  { dept: GKB, toGov: true, type: 'other-org', received: '2026-02-02', closed: '2026-02-20', outcome: 'partly-disclosed', cells: { left: 'received', right: 'partly-disclosed' } },
  // A request addressed to the government but handled in 住建局's name is the government's, not 住建局's.
  { dept: A, toGov: true, type: 'legal-services', received: '2026-03-03', closed: '2026-03-30', outcome: 'other.other', cells: { left: 'received', right: 'other.other' } },
];

function plus(t: Table3, type: Table3Column, cell: Cell): void {
  t[cell.left][type] += 1;
  if (cell.right === 'carriedOut') t.carriedOut[type] += 1;
  else t.outcomes[cell.right][type] += 1;
}
const copy = (t: Table3): Table3 => JSON.parse(JSON.stringify(t));
const cells = (t: Table3) => ({ received: t.received, carriedIn: t.carriedIn, outcomes: t.outcomes, carriedOut: t.carriedOut });

describe('Table 三 from a scripted year of requests', () => {
  const realFlows: { type: Table3Column; cell: Cell }[] = [];

  beforeAll(async () => {
    await insertRequests(scriptedRows());
    await insertRequests(others());
    // Through the services: a complaint filed as a request, referred (closed today as 三（五）1) …
    const complaint = await register(env, 'gkb-requests', { arrivedOn: '2026-03-02', infoName: '举报工地夜间施工' });
    expect((await step(env, 'gkb-requests', complaint.id, 'refer', { note: '信访投诉' })).statusCode).toBe(200);
    realFlows.push({ type: 'natural-person', cell: { left: 'received', right: NOW_IN_Y ? 'not-processed.complaint' : 'carriedOut' } });
    // … and a request never corrected, closed by the scan the day after its deadline as 三（六）1.
    const silent = await register(env, 'gkb-requests', { arrivedOn: '2026-10-12' });
    expect((await step(env, 'gkb-requests', silent.id, 'correction', { items: ['请写明所需信息的名称'], on: '2026-10-13', due: '2026-10-27' })).statusCode).toBe(200);
    await scanRequests(env.p, '2026-10-28');
    const closed = await env.p.db.selectFrom('disclosure_requests').select(['outcome', 'closed_on']).where('id', '=', silent.id).executeTakeFirstOrThrow();
    expect(closed).toEqual({ outcome: 'other.no-correction', closed_on: '2026-10-28' });
    realFlows.push({ type: 'natural-person', cell: { left: 'received', right: 'other.no-correction' } });
  }, 120_000);

  it("one department's report: every cell of the scripted year, and the check passes in every column", async () => {
    const r = await report([A]);
    expect(r.table3Supplied).toBe(true);
    expect(cells(r.table3)).toEqual(scriptedTable());
    // A few cells spelled out, as the printed table shows them.
    expect(r.table3.outcomes['disclosed']['natural-person']).toBe(1);
    expect(OUTCOME_CODES).toHaveLength(21);
    expect(r.table3.outcomes['other.other']['other-org']).toBe(126);
    expect(r.table3.carriedIn['natural-person']).toBe(139);
    expect(r.table3.carriedOut['other-org']).toBe(138);
    expect(r.table3.received['natural-person']).toBe(outcomeSum(0) + 133 - 139);
    for (const c of [...TABLE3_COLUMNS, 'total'] as const) expect(r.table3.check[c], c).toMatchObject({ passed: true });
    const nat = r.table3.check['natural-person'];
    expect(nat.left).toBe(outcomeSum(0) + 133);
    expect(r.table3.total.outcomeTotal).toBe(TABLE3_COLUMNS.reduce((s, _, c) => s + outcomeSum(c), 0));
  });

  it("the government's report adds the other departments, the government's own requests and the ones handled through the services", async () => {
    const want = scriptedTable();
    for (const o of others()) plus(want, o.type, o.cells);
    for (const f of realFlows) plus(want, f.type, f.cell);
    const r = await report('all');
    expect(cells(r.table3)).toEqual(want);
    expect(r.table3.outcomes['other.no-correction']['natural-person']).toBe(outcomeCount(0, OUTCOME_CODES.indexOf('other.no-correction')) + 1);
    for (const c of [...TABLE3_COLUMNS, 'total'] as const) expect(r.table3.check[c], c).toMatchObject({ passed: true });
  });

  it('a department counts only its own requests, not those addressed to the government; the next year starts from what was carried', async () => {
    const b = await report([B]);
    const want = { received: emptyColumns(), carriedIn: emptyColumns(), outcomes: Object.fromEntries(OUTCOME_CODES.map((c) => [c, emptyColumns()])), carriedOut: emptyColumns() };
    for (const o of others().filter((x) => x.dept === B)) plus(want, o.type, o.cells);
    expect(cells(b.table3)).toEqual(want);
    // 政务公开办 handles only requests to the government: its own report has none of them.
    expect((await report([GKB])).table3.total).toMatchObject({ received: 0, carriedIn: 0, outcomeTotal: 0, carriedOut: 0 });
    // 2027 for 住建局: carried over = 2026's carried to next year; the two requests received on 2027-01-01 are new.
    const next = await report([A], 2027);
    expect(next.table3.carriedIn).toEqual(scriptedTable().carriedOut);
    expect(next.table3.received).toEqual({ ...emptyColumns(), research: 1, 'legal-services': 1 });
    expect(next.table3.check.total.passed).toBe(true);
  });

  it('a request closed without a receipt date, without an outcome, or without a closing date makes the check of its column fail', async () => {
    const before = await report([A]);
    const broken = await insertRequests([
      { dept: A, type: 'research', received: null, closed: '2026-08-08', outcome: 'disclosed' },
      { dept: A, type: 'other-org', received: '2026-02-02', closed: '2026-03-03', outcome: null },
      { dept: A, type: 'public-interest', received: '2026-04-04', closed: null, outcome: 'disclosed', state: 'replied' },
      { dept: A, type: 'commercial', received: '2026-04-04', closed: '2026-05-05', outcome: 'withheld' }, // a group, not a leaf: no row
    ]);
    const r = await report([A]);
    const shift = (c: Table3Column, left: number, right: number) => ({ left: before.table3.check[c].left + left, right: before.table3.check[c].right + right, passed: false });
    expect(r.table3.check.research).toEqual(shift('research', 0, 1));
    expect(r.table3.outcomes['disclosed'].research).toBe(before.table3.outcomes['disclosed'].research + 1);
    expect(r.table3.check['other-org']).toEqual(shift('other-org', 1, 0));
    expect(r.table3.check['public-interest']).toEqual(shift('public-interest', 1, 0));
    expect(r.table3.check.commercial).toEqual(shift('commercial', 1, 0));
    expect(r.table3.check['natural-person'].passed).toBe(true);
    expect(r.table3.check['legal-services'].passed).toBe(true);
    expect(r.table3.check.total).toMatchObject({ passed: false, left: before.table3.check.total.left + 3, right: before.table3.check.total.right + 1 });
    await env.p.db.deleteFrom('disclosure_requests').where('id', 'in', broken).execute();
    expect((await report([A])).table3.check.total.passed).toBe(true);
  });
});

describe('Table 四 from the review and litigation records', () => {
  /** Decided in 2026 with result o, or pending (o = 3), for kind k: 2…13, so the totals are 14, 30, 46. */
  const count = (k: number, o: number) => 2 + 4 * k + o;

  it('each of the 15 numbers: decided in the year by result, pending at its end, the totals', async () => {
    const [ra, rb] = await insertRequests([
      { dept: A, type: 'natural-person', received: '2025-09-09', closed: '2025-10-10', outcome: 'withheld.third-party' },
      { dept: B, type: 'natural-person', received: '2025-09-09', closed: '2025-10-10', outcome: 'disclosed' },
    ]);
    const now = new Date().toISOString();
    const rows: { request_id: number; kind: string; filed_on: string; outcome: string | null; decided_on: string | null }[] = [];
    TABLE4_KINDS.forEach((kind, k) => {
      TABLE4_OUTCOMES.forEach((outcome, o) => {
        for (let i = 0; i < count(k, o); i++) {
          if (outcome !== 'pending') rows.push({ request_id: ra, kind, filed_on: i % 2 ? '2025-11-11' : '2026-02-02', outcome, decided_on: i % 2 ? '2026-01-01' : '2026-12-31' });
          else
            rows.push(
              [
                { request_id: ra, kind, filed_on: '2026-12-31', outcome: null, decided_on: null },
                { request_id: ra, kind, filed_on: '2025-10-10', outcome: 'corrected', decided_on: '2027-01-01' },
                // A decision date without a result is not a decision.
                { request_id: ra, kind, filed_on: '2026-03-03', outcome: null, decided_on: '2026-05-05' },
              ][i % 3],
            );
        }
      });
      // Counted nowhere in 2026: decided in 2025, filed in 2027; and another department's.
      rows.push({ request_id: ra, kind, filed_on: '2025-01-01', outcome: 'maintained', decided_on: '2025-12-31' });
      rows.push({ request_id: ra, kind, filed_on: '2027-01-01', outcome: null, decided_on: null });
      rows.push({ request_id: rb, kind, filed_on: '2026-01-01', outcome: 'other', decided_on: '2026-06-01' });
    });
    await env.p.db
      .insertInto('request_reviews')
      .values(rows.map((r) => ({ ...r, body: '示范新区人民政府', case_no: '', note: '', created_by: 'test', created_at: now, updated_at: now })))
      .execute();
    const r = await report([A]);
    expect(r.table4Supplied).toBe(true);
    expect(r.table4).toEqual({
      review: { maintained: 2, corrected: 3, other: 4, pending: 5, total: 14 },
      'suit-direct': { maintained: 6, corrected: 7, other: 8, pending: 9, total: 30 },
      'suit-after-review': { maintained: 10, corrected: 11, other: 12, pending: 13, total: 46 },
    });
    TABLE4_KINDS.forEach((kind, k) => TABLE4_OUTCOMES.forEach((o, i) => expect(r.table4[kind][o]).toBe(count(k, i))));
    const all = await report('all');
    for (const kind of TABLE4_KINDS) expect(all.table4[kind]).toMatchObject({ other: r.table4[kind].other + 1, total: r.table4[kind].total + 1 });
  });
});

describe('Table 二 from the catalog and the fees', () => {
  const doc = (dept: number, genre: string, writtenAt: string, publishedAt: string, extra: Record<string, string> = {}, validity?: 'repealed') =>
    env.p.tx((t) =>
      publishApproved(env.p, t, 'system', { type: 'document', departmentId: dept, meta: defaultMeta({ title: `${genre}${++seq}`, topic: '0203', genre, writtenAt, ...extra }), data: { body: '<p>正文</p>', attachments: [], related: [] }, publishedAt: new Date(publishedAt), validity }, { deliver: false }),
    );

  it('规章 (政府令, genre 命令) and 行政规范性文件: issued, repealed and in force, by Beijing dates; the fees paid in the year', async () => {
    // 规章
    await doc(A, '命令', '2026-03-01', '2026-03-05T02:00:00Z'); // issued, in force
    const r2 = await doc(A, '命令', '2024-05-01', '2024-05-02T02:00:00Z'); // repealed today
    // 行政规范性文件
    await doc(A, '通知', '2025-12-31', '2025-12-31T17:00:00Z'); // written 2025 (issued then), in force
    await doc(A, '办法', '2026-12-31', '2026-12-31T15:59:59Z'); // issued; published 23:59:59 Beijing time on 31 December: in force
    await doc(A, '意见', '2026-12-30', '2026-12-31T16:00:00Z'); // issued; published 00:00 Beijing time on 1 January 2027: not in force
    await doc(A, '通知', '2026-02-01', '2026-02-02T02:00:00Z', { effectiveAt: '2027-01-01' }); // issued; not yet effective
    await doc(A, '通知', '2025-01-01', '2025-01-02T02:00:00Z', { expiresAt: '2026-12-31' }); // expires on 31 December: not in force
    const n6 = await doc(A, '通知', '2026-04-01', '2026-04-02T02:00:00Z'); // issued; withdrawn today
    await doc(A, '通知', '2025-06-01', '2025-06-02T02:00:00Z', {}, 'repealed'); // repealed in 2025
    const n8 = await doc(A, '通知', '2026-05-01', '2026-05-02T02:00:00Z'); // issued; repealed today
    await doc(A, '通知', '2026-05-01', '2026-05-02T02:00:00Z', { category: 'a20-02' }); // not a20-01
    await doc(B, '通知', '2026-07-01', '2026-07-02T02:00:00Z'); // another department's
    await env.p.tx(async (t) => {
      await endApproved(env.p, t, 'system', r2.id, 'repealed', '已被新规章替代');
      await endApproved(env.p, t, 'system', n8.id, 'repealed', '已被新文件替代');
      await withdrawApproved(env.p, t, 'system', n6.id, '发布有误');
    });
    // Fees: paid in 2026 (counted), paid outside it, not paid; another department's.
    const [fa, fb] = await insertRequests([
      { dept: A, type: 'commercial', received: '2026-01-05', closed: '2026-02-05', outcome: 'disclosed' },
      { dept: B, type: 'commercial', received: '2026-01-05', closed: '2026-02-05', outcome: 'disclosed' },
    ]);
    const now = new Date().toISOString();
    const fee = (request_id: number, amount_fen: number, status: string, paid_on: string | null) => ({ request_id, method: 'count', pages: null, ordinal: 11, amount_fen, notice_on: '2025-12-01', pay_by: '2026-12-31', paid_on, status, note: '', created_by: 'test', created_at: now });
    await env.p.db
      .insertInto('request_fees')
      .values([fee(fa, 12345, 'paid', '2026-01-01'), fee(fa, 678, 'paid', '2026-12-31'), fee(fa, 1000, 'paid', '2026-06-06'), fee(fa, 500, 'paid', '2025-12-31'), fee(fa, 700, 'paid', '2027-01-01'), fee(fa, 900, 'unpaid', null), fee(fa, 800, 'lapsed', null), fee(fa, 300, 'withdrawn', null), fee(fb, 2000, 'paid', '2026-03-03')])
      .execute();

    const r = await report([A]);
    // Repealed and withdrawn "today": in 2026 they leave the year's in-force count; run later, they were still in force at its end.
    const today = NOW_IN_Y ? 1 : 0;
    expect(r.table2.rules).toEqual({ issued: 1, repealed: today, inForce: 2 - today });
    expect(r.table2['normative-documents']).toEqual({ issued: 5, repealed: today, inForce: 2 + 2 * (1 - today) });
    expect(r.table2.fees).toBe(12345 + 678 + 1000);
    // Enforcement is not mounted: staff enter these rows.
    expect(r.table2).toMatchObject({ licensing: null, penalties: null, coercion: null });
    const all = await report('all');
    expect(all.table2['normative-documents']).toEqual({ issued: 6, repealed: today, inForce: 3 + 2 * (1 - today) });
    expect(all.table2.fees).toBe(12345 + 678 + 1000 + 2000);
    // 2025: the document written on 31 December 2025 was issued that year.
    expect((await report([A], 2025)).table2['normative-documents']).toMatchObject({ issued: 3, repealed: 1 });
  });
});
