// Views shared by the status page and the console: the due date with its explanation (from the
// reply clocks), the timeline's lines, labels, and what the requester sees with the query code
// (personal data masked: anyone holding the code sees the page).
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/index.js';
import { TableWrap, type PageCtx } from '../../platform/render/index.js';
import { maskName, maskPhone, maskText } from '../../platform/privacy/index.js';
import { shanghaiDateTime } from '../../platform/dates.js';
import { CORRECTION_RULE, isOrganisation, type DisclosureRequest } from './schema.js';
import { getRule } from '../../platform/deadlines/index.js';
import { addWorkdays } from '../../platform/calendar/index.js';
import { outcomeLabel } from './service/outcomes.js';
import { breakdownText, defaultHow, feeDays, feesOf, yuan, type FeeBand } from './service/fees.js';
import { isOverdue, loadFor, mayActAsHead, mayViewIdentity, replyClocks, timeline } from './service.js';
import { can, type Principal } from '../../platform/auth/policy.js';
import { holders } from '../../platform/auth/identity.js';
import { LITIGATION, reviewsOf } from './service/reviews.js';

// ---- the due date, explained --------------------------------------------------------------------

export interface DueExplained {
  due: string;
  start: string;
  /** The rule's working days, before extensions. */
  limit: number;
  state: string;
  status: string;
  provisional: boolean;
  /** The clock started from the corrected request (Art. 30). */
  afterCorrection: boolean;
  extensions: { workdays: number; reason: string }[];
  pauses: { kind: string; from: string; to: string | null; workdays: number }[];
  weekends: number;
  holidays: { name: string; days: number; from: string; to: string }[];
  /** The earlier clock a correction stopped. */
  restarted: { start: string; stoppedOn: string } | null;
}

/** How the reply's due date comes about, from the request's reply clocks; null before receipt. */
export async function explainDue(db: Db, id: number): Promise<DueExplained | null> {
  const clocks = await replyClocks(db, id);
  const c = clocks[0];
  if (!c) return null;
  const earlier = clocks[1] ?? null;
  const skipped = c.explanation.skipped;
  const holidays = new Map<string, { name: string; days: number; from: string; to: string }>();
  for (const s of skipped)
    if (s.reason === 'holiday') {
      const h = holidays.get(s.name ?? '') ?? { name: s.name ?? '', days: 0, from: s.date, to: s.date };
      h.days++;
      h.to = s.date;
      holidays.set(h.name, h);
    }
  return {
    due: c.due,
    start: c.start,
    limit: c.amount - c.extensions.reduce((n, x) => n + x.workdays, 0),
    state: c.state,
    status: c.state === 'paused' ? 'paused' : c.status,
    provisional: c.provisional,
    afterCorrection: !!earlier,
    extensions: c.extensions.map((x) => ({ workdays: x.workdays, reason: x.reason })),
    pauses: c.pauses.map((x) => ({ kind: x.kind, from: x.from, to: x.to, workdays: skipped.filter((s) => s.reason === 'pause' && s.date > x.from && (!x.to || s.date <= x.to)).length })),
    weekends: skipped.filter((s) => s.reason === 'weekend').length,
    holidays: [...holidays.values()],
    restarted: earlier ? { start: earlier.start, stoppedOn: earlier.closedOn ?? '' } : null,
  };
}

export function DueExplanation({ c, d }: { c: PageCtx; d: DueExplained }) {
  const open = d.state === 'running' || d.state === 'paused';
  return (
    <section class="due-explained" aria-labelledby="due-h">
      <h2 id="due-h">{c.t('requests.due')}</h2>
      <p class="due-line">
        <strong>
          <time dateTime={d.due}>{d.due}</time>
        </strong>{' '}
        <span class={`clock-status status-${d.status}`}>{c.t(`requests.clock.${open ? d.status : d.state}`)}</span>
        {d.provisional && <span class="tag provisional"> {c.t('requests.due_provisional')}</span>}
      </p>
      <ul class="due-parts">
        <li>{c.t(d.afterCorrection ? 'requests.due_start_corrected' : 'requests.due_start', { date: d.start, n: d.limit })}</li>
        {d.extensions.map((x) => (
          <li>{c.t('requests.due_extension', { n: x.workdays, reason: x.reason })}</li>
        ))}
        {d.pauses.map((x) => (
          <li>{x.to ? c.t('requests.due_pause', { what: c.t(`requests.pause.${x.kind}`), from: x.from, to: x.to, n: x.workdays }) : c.t('requests.due_pause_open', { what: c.t(`requests.pause.${x.kind}`), from: x.from, n: x.workdays })}</li>
        ))}
        {(d.weekends > 0 || d.holidays.length > 0) && <li>{c.t('requests.due_skipped', { weekends: d.weekends, holidays: d.holidays.map((h) => c.t('requests.due_holiday', { name: h.name, n: h.days, from: h.from, to: h.to })).join(c.t('requests.list_sep')) || c.t('requests.none') })}</li>}
        {d.restarted && <li>{c.t('requests.due_restarted', { start: d.restarted.start, stopped: d.restarted.stoppedOn })}</li>}
      </ul>
    </section>
  );
}

// ---- fees ------------------------------------------------------------------------------------------

export interface FeeRow {
  method: string;
  amountFen: number;
  noticeOn: string;
  payBy: string;
  paidOn: string | null;
  status: string;
  /** Staff only: the basis and the computation. */
  ordinal?: number | null;
  pages?: number | null;
  bands?: FeeBand[];
}

/** The request's processing fees: amount, pay-by date, status — and for staff the basis and the computation. */
export function FeeTable({ c, fees, staff }: { c: PageCtx; fees: FeeRow[]; staff: boolean }) {
  return (
    <TableWrap label={c.t('requests.fees')}>
      <table class="request-fees">
        <thead>
          <tr>
            <th scope="col">{c.t('requests.fee.method_label')}</th>
            {staff && <th scope="col">{c.t('requests.fee.basis')}</th>}
            {staff && <th scope="col">{c.t('requests.fee.breakdown')}</th>}
            <th scope="col">{c.t('requests.fee.amount')}</th>
            <th scope="col">{c.t('requests.fee.notice_on')}</th>
            <th scope="col">{c.t('requests.fee.pay_by')}</th>
            <th scope="col">{c.t('requests.fee.status')}</th>
          </tr>
        </thead>
        <tbody>
          {fees.map((f) => (
            <tr class={`fee-${f.status}`}>
              <td>{c.t(`requests.fee.method.${f.method}`)}</td>
              {staff && <td>{f.method === 'count' ? c.t('requests.fee.basis_count', { n: f.ordinal ?? '' }) : c.t('requests.fee.basis_pages', { n: f.pages ?? '' })}</td>}
              {staff && <td class="fee-breakdown">{breakdownText(c.t, f.method, f.bands ?? [])}</td>}
              <td class="nowrap">{c.t('requests.fee.yuan', { amount: yuan(f.amountFen) })}</td>
              <td class="nowrap">{f.noticeOn}</td>
              <td class="nowrap">{f.payBy}</td>
              <td>
                {c.t(`requests.fee.status.${f.status}`)}
                {f.paidOn && c.t('requests.fee.paid_on', { date: f.paidOn })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---- labels and the timeline ----------------------------------------------------------------------

export const stateLabel = (c: PageCtx, s: string) => c.t(`requests.state.${s}`);
export const channelLabel = (c: PageCtx, s: string) => c.t(`requests.channel.${s}`);
export const typeLabel = (c: PageCtx, s: string) => c.t(`requests.type.${s}`);

export const reviewKindLabel = (c: PageCtx, k: string) => c.t(`requests.review.kind.${k}`);
export const reviewOutcomeLabel = (c: PageCtx, o: string | null) => c.t(`requests.review.outcome.${o ?? 'pending'}`);

/** A review event of the (staff) timeline in words. */
export function reviewEventText(c: PageCtx, e: { kind: string; data: Record<string, unknown> }): string {
  const d = e.data;
  const p = { kind: reviewKindLabel(c, str(d.kind)), body: str(d.body) };
  switch (e.kind) {
    case 'review-filed':
      return c.t('requests.event.review-filed', { ...p, caseNo: d.caseNo ? c.t('requests.event.review_case_no', { no: str(d.caseNo) }) : '' });
    case 'review-decided':
      return c.t('requests.event.review-decided', { ...p, outcome: reviewOutcomeLabel(c, str(d.outcome)) });
    case 'review-corrected':
      return c.t('requests.event.review-corrected', { ...p, fields: (Array.isArray(d.changed) ? d.changed : []).map((f) => c.t(`audit.field.${str(f)}`)).join(c.t('requests.list_sep')) });
    default:
      return c.t(`requests.event.${e.kind}`, p);
  }
}

/** Field errors (message keys) in the request's language. */
export function tr(req: FastifyRequest, fields: Record<string, string>, params?: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, req.t(v, params)]));
}

export interface TimelineEntry {
  on: string;
  at: string;
  kind: string;
  actor: string;
  note: string;
  public: boolean;
  data: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One event in words; `staff` adds what only staff read (the party consulted, who confirmed). */
export function eventText(c: PageCtx, e: TimelineEntry, staff: boolean): string {
  const d = e.data;
  const p: Record<string, string | number> = { due: str(d.due ?? d.replyDue), date: str(d.receivedOn), n: str(d.workdays), reason: e.note };
  if (e.kind.startsWith('review-')) return reviewEventText(c, e);
  switch (e.kind) {
    case 'received':
      return c.t(d.receivedOn ? 'requests.event.received_given' : 'requests.event.received', { channel: channelLabel(c, str(d.channel)), date: str(d.receivedOn) });
    case 'correction-asked':
      return c.t('requests.event.correction-asked', { items: (Array.isArray(d.items) ? d.items : []).map((x, i) => `${i + 1}. ${str(x)}`).join(c.t('requests.list_sep')), due: str(d.due) });
    case 'consultation-opened':
      return c.t('requests.event.consultation-opened', { what: c.t(`requests.consult.${str(d.kind)}`), due: str(d.due) }) + (staff ? ` · ${str(d.party)}` : '');
    case 'consultation-answered':
      return c.t('requests.event.consultation-answered', { answer: c.t(`requests.answer.${str(d.answer)}`), due: str(d.replyDue) || '—' });
    case 'consultation-expired':
      return c.t('requests.event.consultation-expired', { due: str(d.replyDue) || '—' });
    case 'referred':
      return d.desk ? c.t('requests.event.referred', { desk: c.t(str(d.desk)) }) : c.t('requests.event.referred_none');
    case 'referral-received':
      return c.t('requests.event.referral-received', { desk: c.t(str(d.desk)), no: str(d.trackingNo) });
    case 'replied':
      return c.t('requests.event.replied', { outcome: outcomeLabel(str(d.outcome), c.locale) });
    case 'closed':
      return c.t('requests.event.closed', { outcome: outcomeLabel(str(d.outcome), c.locale) });
    case 'fee-notice':
      return c.t('requests.event.fee-notice', { amount: yuan(Number(d.amountFen)), method: c.t(`requests.fee.method.${str(d.method)}`), payBy: str(d.payBy) });
    case 'fee-paid':
    case 'fee-withdrawn':
      return c.t(`requests.event.${e.kind}`, { amount: yuan(Number(d.amountFen)), reason: e.note, due: str(d.replyDue) || '—' });
    case 'receipt-confirmed':
      return c.t('requests.event.receipt-confirmed', p) + (staff && d.by ? ` · ${c.t('requests.confirmed_by', { who: str(d.by) })}` : '');
    default:
      return c.t(`requests.event.${e.kind}`, p);
  }
}

export function Timeline({ c, events, staff, people }: { c: PageCtx; events: TimelineEntry[]; staff: boolean; people?: Map<string, string> }) {
  return (
    <ol class="request-timeline">
      {events.map((e) => (
        <li class={`ev-${e.kind}${e.public ? '' : ' internal'}`}>
          <time dateTime={e.on}>{e.on}</time> <strong>{c.t(`requests.event_title.${e.kind}`)}</strong>
          {staff && !e.public && <span class="tag">{c.t('requests.internal')}</span>}{' '}
          <span class="ev-text">{eventText(c, e, staff)}</span>
          {staff && e.note && e.kind !== 'extension-approved' && e.kind !== 'extension-asked' && e.kind !== 'fee-withdrawn' && <span class="ev-note">{e.note}</span>}
          {staff && (
            <span class="muted ev-meta">
              {shanghaiDateTime(e.at)} · {actorLabel(c, e.actor, people ?? new Map())}
              {Array.isArray(e.data.notice) && <span class="ev-notice"> · {c.t('requests.noticed', { how: (e.data.notice as string[]).map((x) => c.t(`requests.notice.${x}`)).join(c.t('requests.list_sep')) })}</span>}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

// ---- what the requester sees ------------------------------------------------------------------------

export async function agencyName(db: Db, r: Pick<DisclosureRequest, 'to_government' | 'department_id'>): Promise<string> {
  if (r.to_government) return (await db.selectFrom('government').select('name').executeTakeFirst())?.name ?? '';
  return (await db.selectFrom('departments').select('name').where('id', '=', r.department_id).executeTakeFirst())?.name ?? '';
}

/** The status page's view: the request with personal data masked, the due date explained, the public events. */
export async function citizenView(db: Db, r: DisclosureRequest) {
  const names = isOrganisation(r.requester_type) ? [] : [r.requester_name];
  const [agency, due, events, fees] = await Promise.all([agencyName(db, r), explainDue(db, r.id), timeline(db, r.id, true), feesOf(db, r.id)]);
  return {
    trackingNo: r.tracking_no,
    agency,
    state: r.state,
    channel: r.channel,
    requesterType: r.requester_type,
    requesterName: isOrganisation(r.requester_type) ? r.requester_name : maskName(r.requester_name),
    contactPhone: r.contact_phone ? maskPhone(r.contact_phone) : '',
    contactEmail: r.contact_email ? maskText(r.contact_email).text : '',
    infoName: maskText(r.info_name, { names }).text,
    infoDocNo: r.info_doc_no,
    infoDescription: maskText(r.info_description, { names }).text,
    formWanted: r.form_wanted,
    channelWanted: r.channel_wanted,
    arrivedOn: r.arrived_on,
    receivedOn: r.received_on,
    correction: r.correction_asked_on ? { askedOn: r.correction_asked_on, due: r.correction_due, items: JSON.parse(r.correction_items ?? '[]') as string[], correctedOn: r.corrected_on } : null,
    due: r.state === 'closed' || r.state === 'replied' ? null : due,
    overdue: isOverdue(r),
    outcome: r.outcome,
    closedOn: r.closed_on,
    referralNo: r.referral_no,
    fees: fees.map((f) => ({ method: f.method, amountFen: f.amount_fen, noticeOn: f.notice_on, payBy: f.pay_by, paidOn: f.paid_on, status: f.status, how: f.note })),
    events: events.map((e) => ({ on: e.on_date, at: e.at, kind: e.kind, actor: '', note: e.kind === 'extension-approved' || e.kind === 'fee-withdrawn' ? e.note : '', public: true, data: publicData(e.data) })),
  };
}
export type CitizenView = Awaited<ReturnType<typeof citizenView>>;

/** An event's data as the requester may read it: no staff names, no consulted party. */
function publicData(d: Record<string, unknown>): Record<string, unknown> {
  const { by: _by, party: _party, approver: _approver, notice: _notice, ...rest } = d;
  return rest;
}

// ---- what staff see ---------------------------------------------------------------------------------

/** Who did a step, in words: a staff member's display name, 申请人, 系统 (never `user:<name>`). */
export function actorLabel(c: PageCtx, actor: string, people: Map<string, string>): string {
  if (people.has(actor)) return people.get(actor)!;
  if (actor === 'citizen') return c.t('requests.actor.citizen');
  if (actor.startsWith('user:')) return actor.slice(5);
  return c.t('requests.actor.system');
}

/** One request for a staff member who may see it: the record, the timeline, the clock, the asks, and what they may do. */
export async function staffView(db: Db, user: Principal, id: number) {
  const r = await loadFor(db, user, id);
  const [events, due, extensions, consultations, agency, dept, reviews, fees] = await Promise.all([
    timeline(db, id, false),
    explainDue(db, id),
    db.selectFrom('request_extensions').selectAll().where('request_id', '=', id).orderBy('id').execute(),
    db.selectFrom('request_consultations').selectAll().where('request_id', '=', id).orderBy('id').execute(),
    agencyName(db, r),
    db.selectFrom('departments').select(['name', 'code']).where('id', '=', r.department_id).executeTakeFirstOrThrow(),
    reviewsOf(db, id),
    feesOf(db, id),
  ]);
  const usernames = [...new Set([...events.map((e) => e.actor), ...extensions.flatMap((x) => [x.asked_by, x.decided_by ?? ''])].filter((a) => a.startsWith('user:')).map((a) => a.slice(5)))];
  const people = new Map((usernames.length ? await db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute() : []).map((u) => [`user:${u.username}`, u.display_name || u.username]));
  const handle = can(user, 'request.handle', { departmentId: r.department_id });
  const pending = extensions.find((x) => x.status === 'pending') ?? null;
  const heads = pending ? (await holders(db, 'request.approve-extension', r.department_id)).filter((h) => h.scope !== 'all').map((h) => h.displayName || h.username) : [];
  // The last day a correction notice may go out (Art. 30: 7 working days after receipt).
  const correctionRule = r.received_on && !r.correction_asked_on ? await getRule(db, CORRECTION_RULE) : null;
  const correctionUntil = correctionRule && r.received_on ? addWorkdays(r.received_on, correctionRule.amount).due : null;
  return {
    r,
    agency,
    department: dept,
    events: events.map((e): TimelineEntry => ({ on: e.on_date, at: e.at, kind: e.kind, actor: e.actor, note: e.note, public: !!e.public, data: e.data })),
    due,
    extensions,
    consultations,
    reviews,
    fees,
    people,
    proofs: JSON.parse(r.id_proofs || '[]') as { hash: string; name: string; mime: string; size: number }[],
    heads,
    can: {
      handle,
      identity: mayViewIdentity(user, r),
      /** Contacts are for those who handle the request; readers elsewhere (supervisors) see them masked. */
      contact: handle,
      approve: !!pending && mayActAsHead(user, 'request.approve-extension', r) && pending.asked_by !== `user:${user.username}`,
      litigation: can(user, LITIGATION, { departmentId: r.department_id }),
    },
    pending,
    correctionUntil,
    feeDays: await feeDays(db),
    feeHow: await defaultHow(db),
  };
}
export type StaffView = Awaited<ReturnType<typeof staffView>>;
