// The clocks: started for a subject under a rule, paused and resumed, extended within the rule,
// completed or stopped, and read with their history and the explanation of the due date. Every
// change is kept in the clock's history and appended to the audit chain in the caller's
// transaction.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { ensureCalendar, isValidDate, todayShanghai, workdaysBetween, type SkippedDay } from '../calendar/index.js';
import type { ClockKind, ClockState, RuleUnit } from './schema.js';
import { getRule, MAX_AMOUNT, RULE_UNITS } from './rules.js';
import { computeDue, isValidWallTime, limitOf, nowShanghai, type ClockDue } from './due.js';
import { getThresholds, statusBoundaries, statusFor, type ClockStatus } from './status.js';

export interface ClockInput {
  subjectType: string;
  subjectId: string | number;
  rule: string;
  /** YYYY-MM-DD, Asia/Shanghai: the day the clock starts (not itself counted). Hour clocks: YYYY-MM-DDTHH:MM, Asia/Shanghai wall time. */
  start: string;
  /** The clock's own time limit (a service guide's promised days…), instead of the rule's. */
  amount?: number | null;
  unit?: RuleUnit | null;
  departmentId: number | null;
  title: string;
  url: string;
  publicSubject?: boolean;
  responsibleUserId?: number | null;
}

/** Why a clock stands still: a correction, a consultation, an unpaid fee (信息处理费), or another reason. */
export const PAUSE_KINDS = ['correction', 'consultation', 'fee', 'other'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

export interface ClockView {
  id: number;
  subjectType: string;
  subjectId: string;
  title: string;
  url: string;
  publicSubject: boolean;
  departmentId: number | null;
  responsibleUserId: number | null;
  rule: string;
  ruleVersion: number;
  ruleName: string;
  ruleNameEn: string;
  legalBasis: string;
  kind: ClockKind;
  /** The unit and amount counted (the clock's own when set, else the rule's), extensions included. */
  unit: RuleUnit;
  amount: number;
  /** The clock carries its own amount/unit (e.g. the service guide's promise) instead of the rule's. */
  ownLimit: boolean;
  ruleUnit: RuleUnit;
  ruleAmount: number;
  start: string;
  /** Hour clocks: start and due as Asia/Shanghai wall time (YYYY-MM-DDTHH:MM); null otherwise. */
  startAt: string | null;
  due: string;
  dueAt: string | null;
  provisional: boolean;
  state: ClockState;
  status: ClockStatus;
  closedOn: string | null;
  stopReason: string | null;
  extensions: { workdays: number; reason: string; approver: string; at: string }[];
  pauses: { kind: string; reason: string; from: string; to: string | null }[];
  history: HistoryEntry[];
  explanation: { counted: string[]; skipped: SkippedDay[] };
}

// ---- changing a clock ---------------------------------------------------------------------------

type ClockRow = Awaited<ReturnType<typeof loadClockRow>>;

async function loadClockRow(db: Db, id: number) {
  return db.selectFrom('clocks').selectAll().where('id', '=', id).executeTakeFirst();
}

async function event(p: Platform, t: Db, clockId: number, actor: string, action: string, details: Record<string, unknown>): Promise<void> {
  await t.insertInto('clock_events').values({ clock_id: clockId, at: new Date().toISOString(), actor, action, details: JSON.stringify(details) }).execute();
  await p.audit(t, { actor, action: `clock.${action}`, entity: 'clock', entityId: clockId, details });
}

async function recompute(t: Db, clock: NonNullable<ClockRow>, today: string): Promise<ClockDue> {
  const rule = await getRule(t, clock.rule_code, Number(clock.rule_version));
  if (!rule) throw notFound('deadlines.err.unknown_rule');
  const pauses = await t.selectFrom('clock_pauses').select(['kind', 'reason', 'from_date', 'to_date']).where('clock_id', '=', clock.id).orderBy('id').execute();
  const r = computeDue(limitOf(rule, clock), clock.start_date, Number(clock.extension_days), pauses, today, false, clock.start_at);
  const th = await getThresholds(t);
  const status = clock.state === 'running' || clock.state === 'paused' ? statusFor(r.due, statusBoundaries(today, th), clock.kind, r.dueAt) : clock.status;
  await t.updateTable('clocks').set({ due_date: r.due, due_at: r.dueAt, provisional: r.provisional ? 1 : 0, status, updated_at: new Date().toISOString() }).where('id', '=', clock.id).execute();
  return r;
}

/** The clock's own amount/unit, checked (400 naming the field). */
function checkOwnLimit(input: ClockInput): { amount: number | null; unit: RuleUnit | null } {
  if (input.amount == null && input.unit == null) return { amount: null, unit: null };
  const f: Record<string, string> = {};
  if (!input.unit || !RULE_UNITS.includes(input.unit)) f.unit = 'err.field.enum_generic';
  else if (!Number.isInteger(input.amount) || (input.amount as number) < 0 || (input.amount as number) > MAX_AMOUNT[input.unit]) f.amount = 'deadlines.err.amount';
  if (Object.keys(f).length) throw badRequest('err.validation', f);
  return { amount: input.amount as number, unit: input.unit as RuleUnit };
}

function checkDate(d: string | undefined, field: string): string {
  const v = d ?? todayShanghai();
  if (!isValidDate(v)) throw badRequest('deadlines.err.date', { [field]: 'deadlines.err.date' });
  return v;
}

/** Starts a clock for a subject under the current version of `rule`. Starting one that already runs returns the running one. */
export async function startClock(p: Platform, t: Db, input: ClockInput, actor = 'system'): Promise<{ id: number; due: string; provisional: boolean }> {
  await ensureCalendar(t);
  const rule = await getRule(t, input.rule);
  if (!rule) throw badRequest('deadlines.err.unknown_rule', { rule: 'deadlines.err.unknown_rule' }, { rule: input.rule });
  const own = checkOwnLimit(input);
  const limit = limitOf(rule, own);
  let start: string;
  let startAt: string | null = null;
  if (limit.unit === 'hours') {
    // Hours count from a moment, not a day.
    if (!isValidWallTime(input.start)) throw badRequest('deadlines.err.start_time', { start: 'deadlines.err.start_time' });
    startAt = input.start;
    start = input.start.slice(0, 10);
  } else start = checkDate(input.start, 'start');
  const subjectId = String(input.subjectId);
  const existing = await t
    .selectFrom('clocks')
    .select(['id', 'due_date', 'provisional'])
    .where('subject_type', '=', input.subjectType)
    .where('subject_id', '=', subjectId)
    .where('rule_code', '=', input.rule)
    .where('state', 'in', ['running', 'paused'])
    .executeTakeFirst();
  if (existing) return { id: existing.id, due: existing.due_date, provisional: !!Number(existing.provisional) };
  const today = todayShanghai();
  const r = computeDue(limit, start, 0, [], today, false, startAt);
  const th = await getThresholds(t);
  const now = new Date().toISOString();
  const row = await t
    .insertInto('clocks')
    .values({
      subject_type: input.subjectType,
      subject_id: subjectId,
      title: (input.title ?? '').slice(0, 500),
      url: (input.url ?? '').slice(0, 500),
      public_subject: input.publicSubject ? 1 : 0,
      department_id: input.departmentId,
      responsible_user_id: input.responsibleUserId ?? null,
      rule_code: rule.code,
      rule_version: rule.version,
      kind: rule.kind,
      amount: own.amount,
      unit: own.unit,
      start_date: start,
      start_at: startAt,
      due_date: r.due,
      due_at: r.dueAt,
      provisional: r.provisional ? 1 : 0,
      state: 'running',
      status: statusFor(r.due, statusBoundaries(today, th), rule.kind, r.dueAt),
      extension_days: 0,
      extensions: 0,
      notified: '',
      closed_on: null,
      stop_reason: null,
      created_at: now,
      updated_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await event(p, t, row.id, actor, 'start', {
    subjectType: input.subjectType,
    subjectId,
    rule: rule.code,
    ruleVersion: rule.version,
    start: startAt ?? start,
    due: r.dueAt ?? r.due,
    provisional: r.provisional,
    ...(own.amount != null ? { amount: own.amount, unit: own.unit } : {}),
    ...(rule.kind !== 'limit' ? { kind: rule.kind } : {}),
  });
  return { id: row.id, due: r.due, provisional: r.provisional };
}

async function openClocks(t: Db, subjectType: string, subjectId: string | number, rule?: string) {
  let q = t.selectFrom('clocks').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', String(subjectId)).where('state', 'in', ['running', 'paused']);
  if (rule) q = q.where('rule_code', '=', rule);
  return q.execute();
}

async function close(p: Platform, t: Db, clock: NonNullable<ClockRow>, state: 'completed' | 'stopped', reason: string | null, actor: string, on?: string): Promise<void> {
  // The closing day: today, or the day staff record it happened (a letter delivered yesterday) —
  // never before the clock's start nor after today.
  const now = todayShanghai();
  const today = on && on <= now ? (on < clock.start_date ? clock.start_date : on) : now;
  // Close an open pause on the closing day, so the final due date stays explainable.
  for (const open of await t.selectFrom('clock_pauses').select(['id', 'from_date']).where('clock_id', '=', clock.id).where('to_date', 'is', null).execute())
    await t.updateTable('clock_pauses').set({ to_date: today < open.from_date ? open.from_date : today }).where('id', '=', open.id).execute();
  const r = await recompute(t, clock, today);
  const late = clock.kind === 'minimum' ? false : r.dueAt && !on ? nowShanghai() > r.dueAt : today > r.due;
  const status: ClockStatus = state === 'stopped' ? 'stopped' : late ? 'completed-late' : 'completed';
  await t.updateTable('clocks').set({ state, status, closed_on: today, stop_reason: reason, updated_at: new Date().toISOString() }).where('id', '=', clock.id).execute();
  await event(p, t, clock.id, actor, state === 'completed' ? 'complete' : 'stop', { on: today, due: r.due, status, ...(reason ? { reason } : {}) });
}

/** Marks the subject's running clocks (of `rule`, or all) as completed today, or on `on` (YYYY-MM-DD, not after today). No-op when none runs. */
export async function completeClock(p: Platform, t: Db, subjectType: string, subjectId: string | number, rule?: string, actor = 'system', on?: string): Promise<void> {
  await ensureCalendar(t);
  for (const c of await openClocks(t, subjectType, subjectId, rule)) await close(p, t, c, 'completed', null, actor, on);
}

/** Stops the subject's running clocks without completion (withdrawn, merged, abandoned…), with a reason; today or on `on`. */
export async function stopClock(p: Platform, t: Db, subjectType: string, subjectId: string | number, reason: string, rule?: string, actor = 'system', on?: string): Promise<void> {
  await ensureCalendar(t);
  for (const c of await openClocks(t, subjectType, subjectId, rule)) await close(p, t, c, 'stopped', reason.slice(0, 500), actor, on);
}

async function clockForChange(t: Db, clockId: number) {
  const c = await loadClockRow(t, clockId);
  if (!c) throw notFound('deadlines.err.no_clock');
  if (c.state === 'completed' || c.state === 'stopped') throw conflict('deadlines.err.closed');
  return c;
}

/** Pauses a running clock from `at` (default today): working days after it do not count until resumed. */
export async function pauseClock(p: Platform, t: Db, clockId: number, input: { kind: PauseKind; reason: string; at?: string }, actor = 'system'): Promise<void> {
  await ensureCalendar(t);
  const c = await clockForChange(t, clockId);
  if (c.state !== 'running') throw conflict('deadlines.err.not_running');
  const rule = await getRule(t, c.rule_code, Number(c.rule_version));
  // Hour clocks count every hour (emergencies): nothing stops them.
  if (!rule?.pausable || limitOf(rule, c).unit === 'hours') throw conflict('deadlines.err.not_pausable');
  if (!(PAUSE_KINDS as readonly string[]).includes(input.kind)) throw badRequest('deadlines.err.pause_kind', { kind: 'deadlines.err.pause_kind' });
  if (!input.reason?.trim()) throw badRequest('err.validation', { reason: 'err.field.required' });
  const at = checkDate(input.at, 'at');
  if (at < c.start_date) throw badRequest('deadlines.err.before_start', { at: 'deadlines.err.before_start' });
  const last = await t.selectFrom('clock_pauses').select('to_date').where('clock_id', '=', c.id).orderBy('to_date', 'desc').limit(1).executeTakeFirst();
  if (last?.to_date && at < last.to_date) throw badRequest('deadlines.err.overlap', { at: 'deadlines.err.overlap' });
  await t.insertInto('clock_pauses').values({ clock_id: c.id, kind: input.kind, reason: input.reason.trim().slice(0, 500), from_date: at, to_date: null, created_at: new Date().toISOString() }).execute();
  await t.updateTable('clocks').set({ state: 'paused', updated_at: new Date().toISOString() }).where('id', '=', c.id).execute();
  const r = await recompute(t, { ...c, state: 'paused' }, todayShanghai());
  await event(p, t, c.id, actor, 'pause', { kind: input.kind, reason: input.reason.trim(), at, due: r.due });
}

/** Resumes a paused clock on `at` (default today): counting starts again the next working day. */
export async function resumeClock(p: Platform, t: Db, clockId: number, at?: string, actor = 'system', reason?: string): Promise<void> {
  await ensureCalendar(t);
  const c = await clockForChange(t, clockId);
  if (c.state !== 'paused') throw conflict('deadlines.err.not_paused');
  const open = await t.selectFrom('clock_pauses').select(['id', 'from_date']).where('clock_id', '=', c.id).where('to_date', 'is', null).executeTakeFirst();
  const day = checkDate(at, 'at');
  if (open && day < open.from_date) throw badRequest('deadlines.err.before_pause', { at: 'deadlines.err.before_pause' });
  if (open) await t.updateTable('clock_pauses').set({ to_date: day }).where('id', '=', open.id).execute();
  await t.updateTable('clocks').set({ state: 'running', updated_at: new Date().toISOString() }).where('id', '=', c.id).execute();
  const r = await recompute(t, { ...c, state: 'running' }, todayShanghai());
  await event(p, t, c.id, actor, 'resume', { at: day, due: r.due, pausedWorkdays: open ? workdaysBetween(open.from_date, day) : 0, ...(reason ? { reason: reason.slice(0, 500) } : {}) });
}

/** Extends a running or paused clock, within the rule's limits (number of extensions and days per extension). */
export async function extendClock(p: Platform, t: Db, clockId: number, input: { workdays: number; reason: string; approver: string }, actor = 'system'): Promise<void> {
  await ensureCalendar(t);
  const c = await clockForChange(t, clockId);
  if (c.state !== 'running' && c.state !== 'paused') throw conflict('deadlines.err.not_running');
  const rule = await getRule(t, c.rule_code, Number(c.rule_version));
  if (!rule) throw notFound('deadlines.err.unknown_rule');
  const fields: Record<string, string> = {};
  if (!input.reason?.trim()) fields.reason = 'err.field.required';
  if (!input.approver?.trim()) fields.approver = 'err.field.required';
  if (!Number.isInteger(input.workdays) || input.workdays < 1) fields.workdays = 'deadlines.err.amount';
  if (Object.keys(fields).length) throw badRequest('err.validation', fields);
  if (Number(c.extensions) >= rule.maxExtensions) throw conflict('deadlines.err.extension_count', undefined, { max: rule.maxExtensions });
  if (input.workdays > rule.extensionLimit) throw conflict('deadlines.err.extension_limit', { workdays: 'deadlines.err.extension_limit' }, { max: rule.extensionLimit });
  const now = new Date().toISOString();
  await t.insertInto('clock_extensions').values({ clock_id: c.id, workdays: input.workdays, reason: input.reason.trim().slice(0, 500), approver: input.approver.trim().slice(0, 100), created_at: now }).execute();
  const updated = { ...c, extension_days: Number(c.extension_days) + input.workdays, extensions: Number(c.extensions) + 1 };
  await t.updateTable('clocks').set({ extension_days: updated.extension_days, extensions: updated.extensions, updated_at: now }).where('id', '=', c.id).execute();
  const before = c.due_date;
  const r = await recompute(t, updated, todayShanghai());
  await event(p, t, c.id, actor, 'extend', { workdays: input.workdays, reason: input.reason.trim(), approver: input.approver.trim(), dueBefore: before, due: r.due });
}

// ---- reading ----------------------------------------------------------------------------------

export async function clockView(db: Db, row: NonNullable<ClockRow>, today = todayShanghai()): Promise<ClockView> {
  await ensureCalendar(db);
  const rule = await getRule(db, row.rule_code, Number(row.rule_version));
  const pauses = await db.selectFrom('clock_pauses').select(['kind', 'reason', 'from_date', 'to_date']).where('clock_id', '=', row.id).orderBy('id').execute();
  const exts = await db.selectFrom('clock_extensions').selectAll().where('clock_id', '=', row.id).orderBy('id').execute();
  const events = await db.selectFrom('clock_events').selectAll().where('clock_id', '=', row.id).orderBy('id').execute();
  const open = row.state === 'running' || row.state === 'paused';
  const limit = rule ? limitOf(rule, row) : { unit: (row.unit ?? 'workdays') as RuleUnit, amount: Number(row.amount ?? 0) };
  const r = rule ? computeDue(limit, row.start_date, Number(row.extension_days), pauses, open ? today : row.closed_on ?? today, true, row.start_at) : { due: row.due_date, dueAt: row.due_at, provisional: !!Number(row.provisional), counted: [], skipped: [] };
  const th = await getThresholds(db);
  const kind: ClockKind = row.kind === 'minimum' ? 'minimum' : 'limit';
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    title: row.title,
    url: row.url,
    publicSubject: !!Number(row.public_subject),
    departmentId: row.department_id,
    responsibleUserId: row.responsible_user_id,
    rule: row.rule_code,
    ruleVersion: Number(row.rule_version),
    ruleName: rule?.nameZh ?? row.rule_code,
    ruleNameEn: rule?.nameEn ?? row.rule_code,
    legalBasis: rule?.legalBasis ?? '',
    kind,
    unit: limit.unit,
    amount: limit.amount + Number(row.extension_days),
    ownLimit: row.amount != null && row.unit != null,
    ruleUnit: rule?.unit ?? limit.unit,
    ruleAmount: rule?.amount ?? limit.amount,
    start: row.start_date,
    startAt: row.start_at,
    due: r.due,
    dueAt: r.dueAt,
    provisional: r.provisional,
    state: row.state,
    status: open ? statusFor(r.due, statusBoundaries(today, th), kind, r.dueAt) : (row.status as ClockStatus),
    closedOn: row.closed_on,
    stopReason: row.stop_reason,
    extensions: exts.map((e) => ({ workdays: Number(e.workdays), reason: e.reason, approver: e.approver, at: e.created_at })),
    pauses: pauses.map((x) => ({ kind: x.kind, reason: x.reason, from: x.from_date, to: x.to_date })),
    history: events.map((e) => ({ at: e.at, actor: e.actor, action: e.action, details: JSON.parse(e.details) })),
    explanation: { counted: r.counted, skipped: r.skipped },
  };
}

/** Every clock of a subject (newest first), with history and explanation. */
export async function clocksFor(db: Db, subjectType: string, subjectId: string | number): Promise<ClockView[]> {
  const rows = await db.selectFrom('clocks').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', String(subjectId)).orderBy('id', 'desc').execute();
  const out: ClockView[] = [];
  for (const r of rows) out.push(await clockView(db, r));
  return out;
}

export async function getClock(db: Db, id: number): Promise<ClockView | null> {
  const r = await loadClockRow(db, id);
  return r ? clockView(db, r) : null;
}

/** Recomputes the stored due date of open clocks whose span reaches into `years` (after a calendar edit). Returns how many moved. */
export async function recomputeOpenClocks(p: Platform, years: number[], actor = 'system'): Promise<number> {
  if (!years.length) return 0;
  await ensureCalendar(p.db);
  const from = `${Math.min(...years)}-01-01`;
  const to = `${Math.max(...years)}-12-31`;
  const rows = await p.db.selectFrom('clocks').select('id').where('state', 'in', ['running', 'paused']).where('start_date', '<=', to).where('due_date', '>=', from).execute();
  let moved = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    moved += await p.tx(async (t) => {
      let n = 0;
      for (const id of ids) {
        const c = await loadClockRow(t, id);
        if (!c || (c.state !== 'running' && c.state !== 'paused')) continue;
        const r = await recompute(t, c, todayShanghai());
        if (r.due !== c.due_date) {
          n++;
          await event(p, t, c.id, actor, 'recompute', { dueBefore: c.due_date, due: r.due, provisional: r.provisional, reason: 'calendar' });
        }
      }
      return n;
    });
  }
  return moved;
}
