// Processing fees (信息处理费, Art. 42, 国办函〔2020〕109号). Free by default; for excessive volume the
// office may charge by one of two methods, computed here and never typed: `count` — by the
// request's ordinal among the same requester's requests received in the same calendar month —, or
// `pages` — by the pages provided. The fee notice pauses the reply clock (kind `fee`) and the
// request waits (`awaiting-fee`) until payment (the clock resumes that day), withdrawal by the
// office, or the pay-by date passing (the scan closes the request as 三（六）2).
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { badRequest, conflict } from '../../../platform/errors.js';
import { addWorkdays, ensureCalendar, plusDays } from '../../../platform/calendar/index.js';
import { pauseClock, resumeClock, stopClock } from '../../../platform/deadlines/index.js';
import { getSetting } from '../../../platform/settings/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { FEE_METHODS, REPLY_RULE, SUBJECT, type DisclosureRequest } from '../schema.js';
import { actorName, addEvent, loadFor, mirrorDue, noticeData, notifyRequester, openReplyClock, pauseFloor, requireAction, requireState, requireUnsigned, stepDate, type Actor } from '../service.js';
import { outcomeRow } from './outcomes.js';

export type FeeMethod = (typeof FEE_METHODS)[number];

/** Working days to pay after the notice (setting `requests.fee_days`, default 20). */
export const FEE_DAYS_SETTING = 'requests.fee_days';
export const DEFAULT_FEE_DAYS = 20;
/** How to pay (the office's payment instructions), told to the requester with every notice unless the notice says otherwise. */
export const FEE_HOW_SETTING = 'requests.fee_how';
export const MAX_FEE_DAYS = 60;
/** More pages than this is a typing error, not a request (400 naming `pages`). */
export const MAX_PAGES = 100_000;
/** 三（六）2 申请人逾期未按收费通知要求缴纳费用. */
export const FEE_UNPAID = 'other.fee-unpaid';

const YUAN = 100;

/** One band of a fee: by count the price band of the request (31–40…); by pages the pages `from`–`to` priced alike. `units` items at `unitFen` each. */
export interface FeeBand {
  from: number;
  to: number;
  units: number;
  unitFen: number;
  amountFen: number;
}
export interface FeeComputation {
  method: FeeMethod;
  amountFen: number;
  bands: FeeBand[];
}

/**
 * By count: the price of the request's band. 1–10 free; 11–30 100 元 each; from 31 on, per band of
 * ten the price rises by 100 元 (31–40 200 元, 41–50 300 元, …).
 */
export function feeByCount(ordinal: number): FeeComputation {
  if (!Number.isInteger(ordinal) || ordinal < 1) throw new RangeError('ordinal');
  let band: { from: number; to: number; unit: number };
  if (ordinal <= 10) band = { from: 1, to: 10, unit: 0 };
  else if (ordinal <= 30) band = { from: 11, to: 30, unit: 100 };
  else {
    const k = Math.floor((ordinal - 31) / 10);
    band = { from: 31 + 10 * k, to: 40 + 10 * k, unit: 200 + 100 * k };
  }
  const unitFen = band.unit * YUAN;
  return { method: 'count', amountFen: unitFen, bands: [{ from: band.from, to: band.to, units: 1, unitFen, amountFen: unitFen }] };
}

/** By pages, marginal: ≤ 30 free; pages 31–100 10 元, 101–200 20 元, 201 on 40 元 each (150 pages = 70×10 + 50×20). */
const PAGE_BANDS: { from: number; to: number | null; unit: number }[] = [
  { from: 1, to: 30, unit: 0 },
  { from: 31, to: 100, unit: 10 },
  { from: 101, to: 200, unit: 20 },
  { from: 201, to: null, unit: 40 },
];
export function feeByPages(pages: number): FeeComputation {
  if (!Number.isInteger(pages) || pages < 1) throw new RangeError('pages');
  const bands: FeeBand[] = [];
  for (const b of PAGE_BANDS) {
    const units = Math.min(pages, b.to ?? pages) - b.from + 1;
    if (units <= 0) break;
    bands.push({ from: b.from, to: b.from + units - 1, units, unitFen: b.unit * YUAN, amountFen: units * b.unit * YUAN });
  }
  return { method: 'pages', amountFen: bands.reduce((n, b) => n + b.amountFen, 0), bands };
}

/**
 * The request's ordinal among the same requester's requests (same identity document) received in
 * its calendar month, in order of receipt date, then id. Null before receipt.
 */
export async function ordinalInMonth(db: Db, r: Pick<DisclosureRequest, 'id' | 'id_kind' | 'id_number' | 'received_on' | 'department_id' | 'to_government'>): Promise<number | null> {
  if (!r.received_on) return null;
  const first = `${r.received_on.slice(0, 7)}-01`;
  // Per agency: each agency charges for the requests made to it (the government itself, through
  // its office, or one department), never for those the requester made elsewhere.
  const row = await db
    .selectFrom('disclosure_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id_kind', '=', r.id_kind)
    .where('id_number', '=', r.id_number)
    .where('department_id', '=', r.department_id)
    .where('to_government', '=', r.to_government)
    .where('received_on', '>=', first)
    .where((eb) => eb.or([eb('received_on', '<', r.received_on), eb.and([eb('received_on', '=', r.received_on), eb('id', '<=', r.id)])]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- words --------------------------------------------------------------------------------------

/** 元 from 分: "700", "12.50". */
export const yuan = (fen: number): string => (fen % YUAN === 0 ? String(fen / YUAN) : (fen / YUAN).toFixed(2));

type Tr = (key: string, params?: Record<string, string | number>) => string;

/** The breakdown in words, e.g. 第1–30页免费；第31–100页：70页×10元＝700元；… */
export function breakdownText(t: Tr, method: string, bands: FeeBand[], ordinal?: number | null): string {
  const lines = bands.map((b) => {
    const range = t(`requests.fee.range_${method}`, { from: b.from, to: b.to });
    if (!b.unitFen) return t('requests.fee.band_free', { range });
    return method === 'count' ? t('requests.fee.band_count', { range, unit: yuan(b.unitFen) }) : t('requests.fee.band_pages', { range, n: b.units, unit: yuan(b.unitFen), amount: yuan(b.amountFen) });
  });
  const head = method === 'count' && ordinal ? t('requests.fee.ordinal', { n: ordinal }) : '';
  return head + lines.join(t('requests.list_sep'));
}

const zh: Tr = (key, params) => translate('zh-CN', key, params);

// ---- steps --------------------------------------------------------------------------------------

export async function feeDays(db: Db): Promise<number> {
  const v = Number(await getSetting(db, FEE_DAYS_SETTING));
  return Number.isInteger(v) && v >= 1 && v <= MAX_FEE_DAYS ? v : DEFAULT_FEE_DAYS;
}

/** How to pay, when the notice does not say: the setting `requests.fee_how`, else the default text. */
export async function defaultHow(db: Db): Promise<string> {
  return (await getSetting(db, FEE_HOW_SETTING))?.trim() || zh('requests.fee.how_default');
}

/** The request's fees, oldest first. */
export async function feesOf(db: Db, id: number) {
  return (await db.selectFrom('request_fees').selectAll().where('request_id', '=', id).orderBy('id').execute()).map((f) => ({ ...f, bands: (f.method === 'count' ? feeByCount(f.ordinal ?? 1) : feeByPages(f.pages ?? 1)).bands }));
}

async function unpaidFee(db: Db, id: number) {
  const f = await db.selectFrom('request_fees').selectAll().where('request_id', '=', id).where('status', '=', 'unpaid').executeTakeFirst();
  if (!f) throw conflict('requests.err.no_fee');
  return f;
}

const text = (v: unknown, field: string, max: number, required: boolean): string => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (required && !s) throw badRequest('err.validation', { [field]: 'err.field.required' });
  if (s.length > max) throw badRequest('err.validation', { [field]: 'requests.err.too_long' });
  return s;
};

/**
 * The fee notice (request.handle; the request being handled): the method (and the pages), the
 * amount computed by the server, the pay-by date (the notice day + `requests.fee_days` working
 * days). The reply clock pauses from the notice day; the requester is told the amount, the
 * breakdown, the pay-by date and how to pay. A zero fee is refused (409 本申请不收费), and so is a
 * second notice while one is open or after one was paid.
 */
export async function noticeFee(p: Platform, actor: Actor, id: number, input: { method?: unknown; pages?: unknown; how?: unknown; on?: unknown }): Promise<{ amountFen: number; payBy: string; due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, ['handling']);
  await requireUnsigned(p.db, id);
  const method = input.method as FeeMethod;
  if (!(FEE_METHODS as readonly string[]).includes(method)) throw badRequest('err.validation', { method: 'requests.err.choose' });
  let comp: FeeComputation;
  let ordinal: number | null = null;
  let pages: number | null = null;
  if (method === 'pages') {
    const n = input.pages;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PAGES) throw badRequest('err.validation', { pages: 'requests.err.fee_pages' }, { max: MAX_PAGES });
    pages = n;
    comp = feeByPages(n);
  } else {
    if (input.pages !== undefined && input.pages !== null) throw badRequest('err.validation', { pages: 'requests.err.fee_pages_count' });
    ordinal = (await ordinalInMonth(p.db, r))!;
    comp = feeByCount(ordinal);
  }
  const how = text(input.how, 'how', 500, false);
  const prior = await p.db.selectFrom('request_fees').select(['status', 'notice_on']).where('request_id', '=', id).where('status', 'in', ['unpaid', 'paid']).executeTakeFirst();
  if (prior) throw conflict('requests.err.fee_once', undefined, { date: prior.notice_on });
  if (!comp.amountFen) throw conflict(method === 'count' ? 'requests.err.fee_free_count' : 'requests.err.fee_free_pages', undefined, { n: (ordinal ?? pages)! });
  const clock = await openReplyClock(p.db, id);
  if (!clock || clock.state !== 'running') throw conflict('requests.err.no_clock');
  const on = stepDate(input.on, 'on', await pauseFloor(p.db, clock));
  await ensureCalendar(p.db);
  const payBy = addWorkdays(on, await feeDays(p.db)).due;
  const howText = how || (await defaultHow(p.db));
  return p.tx(async (t) => {
    const upd = await t.updateTable('disclosure_requests').set({ state: 'awaiting-fee', updated_at: new Date().toISOString() }).where('id', '=', id).where('state', '=', 'handling').executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    await requireUnsigned(t, id);
    const fee = await t
      .insertInto('request_fees')
      .values({ request_id: id, method, pages, ordinal, amount_fen: comp.amountFen, notice_on: on, pay_by: payBy, paid_on: null, status: 'unpaid', note: howText, created_by: actorName(actor), created_at: new Date().toISOString() })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await pauseClock(p, t, clock.id, { kind: 'fee', reason: '收费通知：申请人缴费期间不计入答复期限（《条例》第四十二条，国办函〔2020〕109号）', at: on }, actorName(actor));
    const due = await mirrorDue(t, id);
    const breakdown = breakdownText(zh, method, comp.bands, ordinal);
    const used = await notifyRequester(p, t, r, `fee-notice:${fee.id}`, 'requests.sms.fee_notice', { amount: yuan(comp.amountFen), method: zh(`requests.fee.method.${method}`), breakdown, payBy, how: howText });
    await addEvent(t, id, actor, { kind: 'fee-notice', on, note: howText, public: true, data: { fee: fee.id, method, ordinal, pages, amountFen: comp.amountFen, payBy, replyDue: due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.fee_notice', entity: 'disclosure_request', entityId: id, details: { method, ordinal, pages, amountFen: comp.amountFen, on, payBy } });
    return { amountFen: comp.amountFen, payBy, due };
  });
}

/** Ends the open fee (paid or withdrawn on `on`): the reply clock resumes that day and the request is handled again. */
async function endFee(p: Platform, t: Db, actor: Actor, r: DisclosureRequest, feeId: number, status: 'paid' | 'withdrawn', on: string, why: string): Promise<string | null> {
  const upd = await t.updateTable('request_fees').set({ status, paid_on: status === 'paid' ? on : null }).where('id', '=', feeId).where('status', '=', 'unpaid').executeTakeFirst();
  if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
  const back = await t.updateTable('disclosure_requests').set({ state: 'handling', updated_at: new Date().toISOString() }).where('id', '=', r.id).where('state', '=', 'awaiting-fee').executeTakeFirst();
  if (!Number(back.numUpdatedRows)) throw conflict('requests.err.changed');
  const clock = await openReplyClock(t, r.id);
  if (clock?.state === 'paused') await resumeClock(p, t, clock.id, on, actorName(actor), why);
  return mirrorDue(t, r.id);
}

/** The fee was paid on `on` (not before the notice, not after the pay-by date: later → 409). */
export async function recordFeePaid(p: Platform, actor: Actor, id: number, input: { on?: unknown }): Promise<{ due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, ['awaiting-fee']);
  const fee = await unpaidFee(p.db, id);
  const on = stepDate(input.on, 'on', fee.notice_on);
  if (on > fee.pay_by) throw conflict('requests.err.fee_late', { on: 'requests.err.fee_late' }, { date: fee.pay_by });
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const due = await endFee(p, t, actor, r, fee.id, 'paid', on, '申请人已缴纳信息处理费');
    const used = await notifyRequester(p, t, r, `fee-paid:${fee.id}`, 'requests.sms.fee_paid', { amount: yuan(fee.amount_fen), date: on, due: due ?? '' });
    await addEvent(t, id, actor, { kind: 'fee-paid', on, public: true, data: { fee: fee.id, amountFen: fee.amount_fen, replyDue: due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.fee_paid', entity: 'disclosure_request', entityId: id, details: { fee: fee.id, amountFen: fee.amount_fen, on } });
    return { due };
  });
}

/** The office withdraws the fee notice, with the reason: the reply clock resumes on `on`. */
export async function withdrawFee(p: Platform, actor: Actor, id: number, input: { reason?: unknown; on?: unknown }): Promise<{ due: string | null }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  requireState(r, ['awaiting-fee']);
  const fee = await unpaidFee(p.db, id);
  const reason = text(input.reason, 'reason', 500, true);
  const on = stepDate(input.on, 'on', fee.notice_on);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const due = await endFee(p, t, actor, r, fee.id, 'withdrawn', on, `撤回收费通知：${reason}`);
    const used = await notifyRequester(p, t, r, `fee-withdrawn:${fee.id}`, 'requests.sms.fee_withdrawn', { reason, due: due ?? '' });
    await addEvent(t, id, actor, { kind: 'fee-withdrawn', on, note: reason, public: true, data: { fee: fee.id, amountFen: fee.amount_fen, replyDue: due, ...noticeData(used) } });
    await p.audit(t, { actor: actorName(actor), action: 'request.fee_withdraw', entity: 'disclosure_request', entityId: id, details: { fee: fee.id, reason, on } });
    return { due };
  });
}

/**
 * The scan: a fee still unpaid after its pay-by date lapses, and its request is closed as 三（六）2
 * on the day after the pay-by date — the reply clock stopped, the requester told.
 */
export async function expireFees(p: Platform, today: string): Promise<number> {
  const rows = await p.db.selectFrom('request_fees').selectAll().where('status', '=', 'unpaid').where('pay_by', '<', today).orderBy('id').execute();
  let n = 0;
  for (const fee of rows) {
    const closed = await p.tx(async (t) => {
      const upd = await t.updateTable('request_fees').set({ status: 'lapsed' }).where('id', '=', fee.id).where('status', '=', 'unpaid').executeTakeFirst();
      if (!Number(upd.numUpdatedRows)) return false; // paid or withdrawn meanwhile
      const r = await t.selectFrom('disclosure_requests').selectAll().where('id', '=', fee.request_id).executeTakeFirstOrThrow();
      const on = plusDays(fee.pay_by, 1);
      const close = await t.updateTable('disclosure_requests').set({ state: 'closed', outcome: FEE_UNPAID, closed_on: on, due_date: null, updated_at: new Date().toISOString() }).where('id', '=', r.id).where('state', '=', 'awaiting-fee').executeTakeFirst();
      await p.audit(t, { actor: 'system', action: 'request.fee_lapse', entity: 'disclosure_request', entityId: r.id, details: { fee: fee.id, payBy: fee.pay_by } });
      if (!Number(close.numUpdatedRows)) return true; // the request moved on by other means: the fee only lapses
      await stopClock(p, t, SUBJECT, r.id, '申请人逾期未缴纳信息处理费，视为放弃申请（《条例》第四十二条）', REPLY_RULE, 'system', on);
      const used = await notifyRequester(p, t, r, `fee-lapsed:${fee.id}`, 'requests.sms.fee_lapsed', { amount: yuan(fee.amount_fen), payBy: fee.pay_by });
      await addEvent(t, r.id, 'system', { kind: 'closed', on, public: true, data: { outcome: FEE_UNPAID, fee: fee.id, payBy: fee.pay_by, ...noticeData(used) } });
      await p.audit(t, { actor: 'system', action: 'request.close', entity: 'disclosure_request', entityId: r.id, details: { outcome: outcomeRow(FEE_UNPAID)!.row, payBy: fee.pay_by } });
      return true;
    });
    if (closed) n++;
  }
  return n;
}
