// The deadline engine: every legal clock of every module. A clock belongs to a subject (any
// item of any module), follows a versioned rule from the catalogue, and has a start, a due date
// and a state. Pauses (补正, third-party consultation) move the due date by the paused working
// days; extensions are limited by the rule; every change is kept in the clock's history and
// appended to the audit chain in the caller's transaction.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { getSettings, putSetting } from '../settings/index.js';
import {
  addMonths,
  addNaturalDays,
  addWorkdays,
  ensureCalendar,
  isValidDate,
  plusDays,
  subtractWorkdays,
  todayShanghai,
  workdaysBetween,
  type DueResult,
  type PauseSpan,
  type SkippedDay,
} from '../calendar/index.js';
import type { ClockKind, ClockState, DeadlineRuleTable, RuleUnit, SeedRule } from './schema.js';

export { deadlineMigrations, SEED_RULES, RATING_FIX_RULE } from './schema.js';
export type { ClockKind, ClockState, RuleUnit } from './schema.js';

export const RULE_UNITS: readonly RuleUnit[] = ['workdays', 'days', 'months', 'hours'];
export const CLOCK_KINDS: readonly ClockKind[] = ['limit', 'minimum'];
/** Largest amount per unit (rules, a clock's own amount). */
const MAX_AMOUNT: Record<RuleUnit, number> = { workdays: 3650, days: 3650, months: 120, hours: 8760 };

// ---- hours (Asia/Shanghai wall time) ------------------------------------------------------------

const WALL_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** Now as Asia/Shanghai wall time, YYYY-MM-DDTHH:MM (UTC+8, no daylight saving). */
export function nowShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

export function isValidWallTime(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = WALL_RE.exec(v);
  return !!m && isValidDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60;
}

/** `start` + n hours, both Asia/Shanghai wall time: every hour counts (nights, weekends and holidays too). */
export function addHours(start: string, n: number): string {
  return new Date(Date.parse(`${start}:00Z`) + n * 3600 * 1000).toISOString().slice(0, 16);
}

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

/** `finished`: a minimum period that has run its course (may be closed; never overdue). */
export type ClockStatus = 'normal' | 'warning' | 'due-today' | 'overdue' | 'seriously-overdue' | 'finished' | 'completed' | 'completed-late' | 'stopped';
export const OPEN_STATUSES = ['normal', 'warning', 'due-today', 'overdue', 'seriously-overdue'] as const;
export type PauseKind = 'correction' | 'consultation' | 'other';

export interface RuleView {
  id: number;
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  unit: RuleUnit;
  amount: number;
  kind: ClockKind;
  maxExtensions: number;
  extensionLimit: number;
  pausable: boolean;
  legalBasis: string;
  note: string;
  createdAt: string;
  createdBy: string;
}

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

// ---- thresholds -------------------------------------------------------------------------------

export interface Thresholds {
  /** Warn this many working days before the due date (default 3). */
  warningLead: number;
  /** Seriously overdue when overdue by more than this many working days (default 5). */
  seriousAfter: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningLead: 3, seriousAfter: 5 };

export async function getThresholds(db: Db): Promise<Thresholds> {
  const m = await getSettings(db, ['deadlines.warning_lead', 'deadlines.serious_after']);
  const ok = (v: string | undefined, d: number) => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= 0 && n <= 60 ? n : d;
  };
  return { warningLead: ok(m.get('deadlines.warning_lead'), DEFAULT_THRESHOLDS.warningLead), seriousAfter: ok(m.get('deadlines.serious_after'), DEFAULT_THRESHOLDS.seriousAfter) };
}

export async function setThresholds(p: Platform, t: Db, th: Thresholds, actor: string): Promise<void> {
  for (const [k, v] of [['deadlines.warning_lead', th.warningLead], ['deadlines.serious_after', th.seriousAfter]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 60) throw badRequest('deadlines.err.threshold', { [k]: 'deadlines.err.threshold' });
    await putSetting(t, k, String(v));
  }
  await p.audit(t, { actor, action: 'deadlines.thresholds', entity: 'settings', entityId: 'deadlines', details: { ...th } });
}

/** Date boundaries that turn a due date into a status on `today` (also usable in SQL). */
export interface StatusBoundaries {
  today: string;
  /** Running clocks due after today and on or before this date are in warning. */
  warnUntil: string;
  /** Running clocks due before this date are seriously overdue. */
  seriousBefore: string;
  /** Asia/Shanghai wall time (YYYY-MM-DDTHH:MM): hour clocks due today before it are overdue. */
  now: string;
}

export function statusBoundaries(today: string, th: Thresholds, now?: string): StatusBoundaries {
  const wall = now ?? nowShanghai();
  return {
    today,
    // A day other than today (a scan for another day): hour clocks are judged at its start.
    now: wall.slice(0, 10) === today ? wall : `${today}T00:00`,
    warnUntil: th.warningLead > 0 ? addWorkdays(today, th.warningLead, { explain: false }).due : today,
    // The (seriousAfter+1)-th working day counting back from today (today included when a working day).
    seriousBefore: subtractWorkdays(plusDays(today, 1), th.seriousAfter + 1),
  };
}

/** Status of an open clock on `b.today`: minimum periods are never overdue, hour clocks are overdue from their due minute. */
export function statusFor(due: string, b: StatusBoundaries, kind: ClockKind = 'limit', dueAt: string | null = null): ClockStatus {
  if (kind === 'minimum') return due <= b.today ? 'finished' : 'normal';
  if (due < b.seriousBefore) return 'seriously-overdue';
  if (due < b.today) return 'overdue';
  if (due === b.today) return dueAt && dueAt < b.now ? 'overdue' : 'due-today';
  if (due <= b.warnUntil) return 'warning';
  return 'normal';
}

// ---- rules ------------------------------------------------------------------------------------

function ruleView(r: DeadlineRuleTable & { id: number }): RuleView {
  return {
    id: r.id,
    code: r.code,
    version: Number(r.version),
    nameZh: r.name_zh,
    nameEn: r.name_en,
    unit: r.unit,
    amount: Number(r.amount),
    kind: r.kind === 'minimum' ? 'minimum' : 'limit',
    maxExtensions: Number(r.max_extensions),
    extensionLimit: Number(r.extension_limit),
    pausable: !!Number(r.pausable),
    legalBasis: r.legal_basis,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** The current (latest) version of a rule, or a given version. */
export async function getRule(db: Db, code: string, version?: number): Promise<RuleView | null> {
  let q = db.selectFrom('deadline_rules').selectAll().where('code', '=', code);
  q = version !== undefined ? q.where('version', '=', version) : q.orderBy('version', 'desc').limit(1);
  const r = await q.executeTakeFirst();
  return r ? ruleView(r as any) : null;
}

/** The catalogue: the current version of every rule. */
export async function listRules(db: Db): Promise<RuleView[]> {
  const rows = await db.selectFrom('deadline_rules').selectAll().orderBy('code').orderBy('version', 'desc').execute();
  const seen = new Set<string>();
  const out: RuleView[] = [];
  for (const r of rows) {
    if (seen.has(r.code)) continue;
    seen.add(r.code);
    out.push(ruleView(r as any));
  }
  return out;
}

export async function ruleVersions(db: Db, code: string): Promise<RuleView[]> {
  const rows = await db.selectFrom('deadline_rules').selectAll().where('code', '=', code).orderBy('version', 'desc').execute();
  return rows.map((r) => ruleView(r as any));
}

/** A rule as admins edit it: the seed fields plus an optional note. */
export type RuleInput = SeedRule & { note?: string };

export function checkRule(input: RuleInput): Record<string, string> {
  const f: Record<string, string> = {};
  if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(input.code ?? '') || input.code.length > 60) f.code = 'deadlines.err.code';
  if (!input.nameZh?.trim()) f.nameZh = 'err.field.required';
  if (!RULE_UNITS.includes(input.unit)) f.unit = 'err.field.enum_generic';
  if (input.kind !== undefined && !CLOCK_KINDS.includes(input.kind)) f.kind = 'err.field.enum_generic';
  const max = MAX_AMOUNT[input.unit] ?? 3650;
  if (!Number.isInteger(input.amount) || input.amount < 0 || input.amount > max) f.amount = 'deadlines.err.amount';
  if (!Number.isInteger(input.maxExtensions) || input.maxExtensions < 0 || input.maxExtensions > 10) f.maxExtensions = 'deadlines.err.amount';
  if (!Number.isInteger(input.extensionLimit) || input.extensionLimit < 0 || input.extensionLimit > 3650) f.extensionLimit = 'deadlines.err.amount';
  if (!input.legalBasis?.trim()) f.legalBasis = 'err.field.required';
  return f;
}

/** Saves a rule as a new version (a new code starts at version 1). Running clocks keep the version they started under. */
export async function saveRule(p: Platform, t: Db, input: RuleInput, actor: string): Promise<RuleView> {
  const fields = checkRule(input);
  if (Object.keys(fields).length) throw badRequest('err.validation', fields);
  const cur = await getRule(t, input.code);
  const row = await t
    .insertInto('deadline_rules')
    .values({
      code: input.code,
      version: (cur?.version ?? 0) + 1,
      name_zh: input.nameZh.trim(),
      name_en: (input.nameEn ?? '').trim() || input.nameZh.trim(),
      unit: input.unit,
      amount: input.amount,
      kind: input.kind ?? 'limit',
      max_extensions: input.maxExtensions,
      extension_limit: input.extensionLimit,
      pausable: input.pausable ? 1 : 0,
      legal_basis: input.legalBasis.trim(),
      note: (input.note ?? '').trim(),
      created_at: new Date().toISOString(),
      created_by: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const v = ruleView(row as any);
  await p.audit(t, { actor, action: 'deadline_rule.save', entity: 'deadline_rule', entityId: `${v.code}@${v.version}`, details: { ...input, version: v.version, previous: cur?.version ?? null } });
  return v;
}

// ---- computing a clock ------------------------------------------------------------------------

interface PauseRow {
  kind: string;
  reason: string;
  from_date: string;
  to_date: string | null;
}

function spans(pauses: PauseRow[], today: string): PauseSpan[] {
  return pauses.map((x) => ({ from: x.from_date, to: x.to_date ?? (today > x.from_date ? today : x.from_date), kind: x.kind }));
}

export type ClockDue = DueResult & { dueAt: string | null };

/**
 * Due date of a clock: the amount (the clock's own, else the rule's) plus extensions from the
 * start, skipping paused working days. An open pause counts as lasting through today. Hour
 * clocks add hours to `startAt` in Asia/Shanghai wall time (no pauses, no calendar).
 */
export function computeDue(rule: Pick<RuleView, 'unit' | 'amount'>, start: string, extensionDays: number, pauses: PauseRow[], today: string, explain = true, startAt: string | null = null): ClockDue {
  const n = rule.amount + extensionDays;
  if (rule.unit === 'hours') {
    const dueAt = addHours(startAt ?? `${start}T00:00`, n);
    return { start, due: dueAt.slice(0, 10), dueAt, provisional: false, counted: [], skipped: [] };
  }
  return { ...dueByCalendar(rule.unit, n, start, pauses, today, explain), dueAt: null };
}

/** The unit and amount a clock counts: its own when set, else its rule's. */
export function limitOf(rule: Pick<RuleView, 'unit' | 'amount'>, clock: { amount: number | null; unit: string | null }): { unit: RuleUnit; amount: number } {
  return clock.amount != null && clock.unit ? { unit: clock.unit as RuleUnit, amount: Number(clock.amount) } : { unit: rule.unit, amount: rule.amount };
}

function dueByCalendar(unit: RuleUnit, n: number, start: string, pauses: PauseRow[], today: string, explain: boolean): DueResult {
  const ps = spans(pauses, today);
  if (unit === 'workdays') return addWorkdays(start, n, { pauses: ps, explain });
  if (unit === 'days') return addNaturalDays(start, n, { pauses: ps, explain });
  return addMonths(start, n, { explain });
}

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

async function close(p: Platform, t: Db, clock: NonNullable<ClockRow>, state: 'completed' | 'stopped', reason: string | null, actor: string): Promise<void> {
  const today = todayShanghai();
  // Close an open pause on the closing day, so the final due date stays explainable.
  await t.updateTable('clock_pauses').set({ to_date: today < clock.start_date ? clock.start_date : today }).where('clock_id', '=', clock.id).where('to_date', 'is', null).execute();
  const r = await recompute(t, clock, today);
  const late = clock.kind === 'minimum' ? false : r.dueAt ? nowShanghai() > r.dueAt : today > r.due;
  const status: ClockStatus = state === 'stopped' ? 'stopped' : late ? 'completed-late' : 'completed';
  await t.updateTable('clocks').set({ state, status, closed_on: today, stop_reason: reason, updated_at: new Date().toISOString() }).where('id', '=', clock.id).execute();
  await event(p, t, clock.id, actor, state === 'completed' ? 'complete' : 'stop', { on: today, due: r.due, status, ...(reason ? { reason } : {}) });
}

/** Marks the subject's running clocks (of `rule`, or all) as completed today. No-op when none runs. */
export async function completeClock(p: Platform, t: Db, subjectType: string, subjectId: string | number, rule?: string, actor = 'system'): Promise<void> {
  await ensureCalendar(t);
  for (const c of await openClocks(t, subjectType, subjectId, rule)) await close(p, t, c, 'completed', null, actor);
}

/** Stops the subject's running clocks without completion (withdrawn, merged, abandoned…), with a reason. */
export async function stopClock(p: Platform, t: Db, subjectType: string, subjectId: string | number, reason: string, rule?: string, actor = 'system'): Promise<void> {
  await ensureCalendar(t);
  for (const c of await openClocks(t, subjectType, subjectId, rule)) await close(p, t, c, 'stopped', reason.slice(0, 500), actor);
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
  if (!['correction', 'consultation', 'other'].includes(input.kind)) throw badRequest('deadlines.err.pause_kind', { kind: 'deadlines.err.pause_kind' });
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
