// The demo year of disclosure requests (requests/demo/year.ts): about 300 requests last year from
// every requester type and channel, every Table 三 outcome in the government's published report
// with its check passing and reviews and suits in Table 四, corrections, extensions, consultations,
// fees paid and lapsed; letters dated the day they were signed; nothing dated after today; the
// same data from a second load; and an open demo request taken to a delivered reply by the demo
// accounts through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeEnv, type TestEnv } from '../helpers.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { shanghaiDate } from '../../src/platform/dates.js';
import { filePath } from '../../src/platform/files/index.js';
import { holders } from '../../src/platform/auth/identity.js';
import { TABLE3_COLUMNS, TABLE4_KINDS, TABLE4_OUTCOMES } from '../../src/platform/annual-report.js';
import { OUTCOME_CODES } from '../../src/modules/requests/service/outcomes.js';
import { INTAKE_CHANNELS, OPEN_STATES, REQUESTER_TYPES } from '../../src/modules/requests/schema.js';
import { previousFigures, scopeOf } from '../../src/modules/annual-reports/service.js';
import { handlerOf, headOf } from '../../src/modules/requests/demo/year.js';
import type { Platform } from '../../src/platform/platform.js';
import { step } from './util.js';

let env: TestEnv;
const today = todayShanghai();
const year = Number(today.slice(0, 4)) - 1;
const from = `${year}-01-01`;
const to = `${year}-12-31`;

beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

/** What the demo made, without tracking numbers, codes or timestamps: one line per request. */
async function digest(p: Platform): Promise<string[]> {
  const rows = await p.db
    .selectFrom('disclosure_requests as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('request_replies as x', 'x.request_id', 'r.id')
    .select(['d.code', 'r.requester_type', 'r.requester_name', 'r.channel', 'r.info_name', 'r.state', 'r.outcome', 'r.arrived_on', 'r.received_on', 'r.closed_on', 'x.reply_type', 'x.body'])
    .orderBy('r.id')
    .execute();
  return rows.map((r) => JSON.stringify(r));
}

describe('the demo year', () => {
  it('has about 300 requests last year, from every requester type and by every channel', async () => {
    const rows = await env.p.db.selectFrom('disclosure_requests').select(['requester_type', 'channel', 'info_name']).where('arrived_on', '>=', from).where('arrived_on', '<=', to).execute();
    expect(rows.length).toBeGreaterThanOrEqual(280);
    expect(rows.length).toBeLessThanOrEqual(340);
    expect(new Set(rows.map((r) => r.requester_type))).toEqual(new Set(REQUESTER_TYPES));
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(INTAKE_CHANNELS));
    // Varied: most texts once, none asked for more than a few times.
    const times = new Map<string, number>();
    for (const r of rows) times.set(r.info_name, (times.get(r.info_name) ?? 0) + 1);
    expect(times.size).toBeGreaterThan(rows.length * 0.6);
    expect(Math.max(...times.values())).toBeLessThanOrEqual(8);
  });

  it("gives the government's published report last year every Table 三 outcome, a passing check, and reviews and suits in Table 四", async () => {
    const scope = (await scopeOf(env.p.db, 'government'))!;
    const f = (await previousFigures(env.p, year + 1, scope))!;
    const t3 = f.table3;
    for (const code of OUTCOME_CODES) expect(t3.total[code], code).toBeGreaterThan(0);
    for (const c of [...TABLE3_COLUMNS, 'total'] as const) expect(t3.check[c].passed, c).toBe(true);
    expect(t3.total.received).toBeGreaterThanOrEqual(280);
    for (const c of TABLE3_COLUMNS) expect(t3.received[c], c).toBeGreaterThan(0);
    // Cells with a number: the rows 一, 二, each outcome, 总计, 四 by the six columns and 总计.
    const rows = [t3.received, t3.carriedIn, ...OUTCOME_CODES.map((c) => t3.outcomes[c]), t3.outcomeTotal, t3.carriedOut];
    const cells = rows.flatMap((r) => TABLE3_COLUMNS.map((c) => r[c]));
    const totals = ['received', 'carriedIn', ...OUTCOME_CODES, 'outcomeTotal', 'carriedOut'].map((k) => t3.total[k]);
    const filled = [...cells, ...totals].filter((n) => n > 0).length;
    expect(filled).toBeGreaterThan((cells.length + totals.length) / 2);
    for (const k of TABLE4_KINDS) expect(f.table4[k].total, k).toBeGreaterThan(0);
    const t4 = TABLE4_KINDS.flatMap((k) => TABLE4_OUTCOMES.map((o) => f.table4[k][o]));
    expect(t4.filter((n) => n > 0).length).toBeGreaterThanOrEqual(7);
    expect(f.table2.fees).toBeGreaterThan(0);
  });

  it('has corrections, extensions, consultations of both kinds, fees paid and lapsed, reviews and both kinds of suit', async () => {
    const db = env.p.db;
    const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => Number((await q.executeTakeFirstOrThrow()).n);
    expect(await count(db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll().as('n')).where('corrected_on', '>=', from).where('corrected_on', '<=', to))).toBeGreaterThanOrEqual(5);
    expect(await count(db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll().as('n')).where('outcome', '=', 'other.no-correction'))).toBeGreaterThanOrEqual(2);
    expect(await count(db.selectFrom('request_extensions').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'approved'))).toBeGreaterThanOrEqual(10);
    const kinds = await db.selectFrom('request_consultations').select(['kind', 'answer']).execute();
    expect(new Set(kinds.map((k) => k.kind))).toEqual(new Set(['third-party', 'agency']));
    expect(kinds.filter((k) => k.answer === 'objection').length).toBeGreaterThanOrEqual(5);
    const fees = await db.selectFrom('request_fees').select(['status', 'paid_on']).execute();
    expect(fees.filter((x) => x.status === 'paid' && x.paid_on! <= to).length).toBeGreaterThanOrEqual(2);
    expect(fees.filter((x) => x.status === 'lapsed').length).toBeGreaterThanOrEqual(2);
    const cases = await db.selectFrom('request_reviews').select(['kind', 'outcome', 'prior_id', 'case_no']).execute();
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['review', 'suit-direct', 'suit-after-review']));
    expect(cases.filter((c) => c.kind === 'suit-after-review').every((c) => c.prior_id !== null)).toBe(true);
    expect(cases.every((c) => /号$/.test(c.case_no))).toBe(true);
  });

  it('dates every letter the day it was signed, delivers it after, and ends consultations before the reply', async () => {
    const rows = await env.p.db
      .selectFrom('request_replies as x')
      .innerJoin('disclosure_requests as r', 'r.id', 'x.request_id')
      .select(['x.request_id', 'x.signed_at', 'x.delivered_on', 'x.delivery_channel', 'x.delivery_ref', 'x.letter_hash', 'r.closed_on', 'r.received_on', 'r.arrived_on', 'r.channel_wanted'])
      .where('x.status', '=', 'delivered')
      .orderBy('x.id')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(250);
    const signedEvents = new Map((await env.p.db.selectFrom('request_events').select(['request_id', 'on_date']).where('kind', '=', 'reply-signed').execute()).map((e) => [e.request_id, e.on_date]));
    for (const x of rows) {
      const signed = shanghaiDate(x.signed_at!);
      expect(signedEvents.get(x.request_id), String(x.request_id)).toBe(signed);
      expect(x.delivered_on! >= signed && signed >= x.received_on!, String(x.request_id)).toBe(true);
      expect(x.closed_on).toBe(x.delivered_on);
      expect(x.delivery_channel).toBe(x.channel_wanted);
      if (x.delivery_channel === 'post') expect(x.delivery_ref).toMatch(/^EMS 11\d{11}$/);
    }
    // The stored letters carry the signing day (a sample across the year).
    for (const x of rows.filter((_, i) => i % 40 === 0)) expect(readFileSync(filePath(env.dataDir, x.letter_hash!), 'utf8')).toContain(`<time datetime="${shanghaiDate(x.signed_at!)}">`);
    const late = await env.p.db
      .selectFrom('request_consultations as c')
      .innerJoin('request_replies as x', 'x.request_id', 'c.request_id')
      .select('c.id')
      .where('x.status', '=', 'delivered')
      .where((eb) => eb.or([eb('c.answered_on', 'is', null), eb('c.answered_on', '>', eb.ref('x.delivered_on'))]))
      .execute();
    expect(late).toEqual([]);
  });

  it('answers 已主动公开 with the public document asked for, linked in the letter', async () => {
    const rows = await env.p.db
      .selectFrom('request_replies as x')
      .innerJoin('disclosure_requests as r', 'r.id', 'x.request_id')
      .select(['r.info_name', 'x.item_ids', 'x.body'])
      .where('x.reply_type', '=', 'already-public')
      .where('x.status', '=', 'delivered')
      .execute();
    const linked = rows.filter((x) => x.item_ids !== '[]');
    expect(linked.length).toBeGreaterThanOrEqual(10);
    for (const x of linked) {
      const [id] = JSON.parse(x.item_ids) as number[];
      const item = await env.p.db.selectFrom('pub_items').select(['title', 'public']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(item).toEqual({ title: x.info_name, public: 1 });
      expect(x.body).toContain(`/catalog/items/${id}`);
    }
  });

  it('dates nothing after today, nothing before the request arrived, and numbers each request by its arrival day', async () => {
    const db = env.p.db;
    const after = await db.selectFrom('request_events').select(['request_id', 'kind', 'on_date']).where('on_date', '>', today).execute();
    expect(after).toEqual([]);
    const before = await db.selectFrom('request_events as e').innerJoin('disclosure_requests as r', 'r.id', 'e.request_id').select(['e.request_id', 'e.kind']).whereRef('e.on_date', '<', 'r.arrived_on').execute();
    expect(before).toEqual([]);
    expect(await db.selectFrom('disclosure_requests').select('id').where('closed_on', '>', today).execute()).toEqual([]);
    expect(await db.selectFrom('request_reviews').select('id').where((eb) => eb.or([eb('filed_on', '>', today), eb('decided_on', '>', today)])).execute()).toEqual([]);
    const nos = await db.selectFrom('disclosure_requests').select(['tracking_no', 'arrived_on']).where('arrived_on', '<=', to).execute();
    expect(nos.filter((r) => r.tracking_no.slice(2, 10) !== r.arrived_on.replace(/-/g, ''))).toEqual([]);
  });

  it('leaves the office heads unread notices only of what still waits for them', async () => {
    const unread = await env.p.db.selectFrom('notifications').select('url').where('kind', 'in', ['request-reply', 'request-extension']).where('read_at', 'is', null).execute();
    // What waits for an office head: a pending extension, or a reply awaiting approval (the demo
    // year's plan leaves one or the other depending on the day it loads).
    const waiting = new Set(
      [
        ...(await env.p.db.selectFrom('request_extensions').select('request_id').where('status', '=', 'pending').execute()),
        ...(await env.p.db.selectFrom('request_replies').select('request_id').where('status', '=', 'awaiting-approval').execute()),
      ].map((x) => Number(x.request_id)),
    );
    for (const n of unread) expect(waiting.has(Number(/disclosure-requests\/(\d+)/.exec(n.url)![1])), n.url).toBe(true);
  });

  it('loads the same requests, outcomes and letters again from the same plan', async () => {
    const again = await makeEnv({ demo: false });
    try {
      for (const m of again.p.modules) if (m.demo) await m.demo(again.p);
      const [a, b] = [await digest(env.p), await digest(again.p)];
      expect(b.length).toBe(a.length);
      // The letters quote the tracking number and the signing time only through fields compared elsewhere.
      const strip = (s: string) => s.replace(/YS\d{15}/g, 'YS…');
      expect(b.map(strip)).toEqual(a.map(strip));
    } finally {
      await again.close();
    }
  }, 300_000);
});

describe('the demo accounts complete an open request', () => {
  it('every open request has a handler and an office head in its department', async () => {
    const open = await env.p.db.selectFrom('disclosure_requests').select(['id', 'department_id']).where('state', 'in', OPEN_STATES).execute();
    expect(open.length).toBeGreaterThan(10);
    for (const deptId of new Set(open.map((r) => r.department_id))) {
      for (const action of ['request.handle', 'request.approve-reply', 'request.approve-extension']) {
        const who = (await holders(env.p.db, action, deptId)).filter((h) => h.scope !== 'all');
        expect(who.length, `${action} in ${deptId}`).toBeGreaterThan(0);
      }
    }
  });

  it('the handler drafts, the office head approves and signs, the handler delivers — through the API', async () => {
    const r = await env.p.db
      .selectFrom('disclosure_requests as r')
      .innerJoin('departments as d', 'd.id', 'r.department_id')
      .leftJoin('request_replies as x', 'x.request_id', 'r.id')
      .select(['r.id', 'r.to_government', 'r.channel_wanted', 'd.code'])
      .where('r.state', '=', 'handling')
      .where('x.id', 'is', null)
      .where('r.arrived_on', '>=', `${year + 1}-01-01`)
      .where('d.code', '!=', 'gkb')
      .orderBy('r.id')
      .executeTakeFirstOrThrow();
    const agency = r.to_government ? 'government' : r.code;
    const [handler, head] = [handlerOf(agency), headOf(agency)];
    const draft = await env.api('PUT', `/api/v1/staff/disclosure-requests/${r.id}/reply`, { as: handler, body: { type: 'not-held', fields: { searched: '检索了本机关近三年的收文、发文登记簿及档案目录' } } });
    expect(draft.statusCode, draft.body).toBe(200);
    // The drafter may not approve their own reply; the office head may.
    expect((await step(env, handler, r.id, 'reply-submit')).statusCode).toBe(200);
    expect((await step(env, handler, r.id, 'reply-decision', { approve: true })).statusCode).toBe(403);
    expect((await step(env, head, r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
    expect((await step(env, head, r.id, 'reply-sign')).statusCode).toBe(200);
    const deliver = await step(env, handler, r.id, 'reply-deliver', r.channel_wanted === 'post' ? { ref: 'EMS 1100123456789' } : {});
    expect(deliver.statusCode, deliver.body).toBe(200);
    const done = await env.p.db.selectFrom('disclosure_requests').select(['state', 'outcome', 'closed_on']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(done).toEqual({ state: 'replied', outcome: 'unavailable.not-held', closed_on: today });
  });
});
