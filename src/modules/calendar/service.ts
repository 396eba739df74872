// Editing the working-day calendar: imports and single-day edits, audited, followed by a reload
// of the in-memory snapshot and a recomputation of the open clocks the change may move.
import type { Platform } from '../../platform/platform.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { can, type Principal } from '../../platform/auth/policy.js';
import { extendClock, getRule, PAUSE_KINDS, pauseClock, resumeClock, type PauseKind } from '../../platform/deadlines/index.js';
import { isValidDate, type CalendarDay, type DayKind } from '../../platform/calendar/index.js';
import { loadCalendar } from '../../platform/calendar/store.js';
import { parseCalendarGuarded, reportDigest, type ImportFormat, type ParsedCalendar } from '../../platform/calendar/import.js';
import type { Db } from '../../platform/db/index.js';

import { RECOMPUTE_JOB } from '../../platform/deadlines/part.js';
export { RECOMPUTE_JOB };

async function afterChange(p: Platform, t: Db, years: number[]): Promise<void> {
  // Open clocks whose dates reach into a changed year get their stored due date recomputed.
  await p.jobs.enqueue(t, RECOMPUTE_JOB, { years }, {});
}

export async function listYears(db: Db): Promise<{ year: number; published: boolean; days: number; updatedAt: string; updatedBy: string; source: string }[]> {
  const years = await db.selectFrom('calendar_years').selectAll().orderBy('year', 'desc').execute();
  const counts = await db.selectFrom('calendar_days').select(['year', db.fn.countAll<number>().as('n')]).groupBy('year').execute();
  const m = new Map(counts.map((c) => [Number(c.year), Number(c.n)]));
  return years.map((y) => ({ year: Number(y.year), published: !!Number(y.published), days: m.get(Number(y.year)) ?? 0, updatedAt: y.updated_at, updatedBy: y.updated_by, source: y.source }));
}

export async function yearDays(db: Db, year: number): Promise<CalendarDay[]> {
  const rows = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', year).orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name }));
}

async function upsertYear(t: Db, year: number, published: boolean, source: string, actor: string): Promise<void> {
  const now = new Date().toISOString();
  await t
    .insertInto('calendar_years')
    .values({ year, published: published ? 1 : 0, source, updated_at: now, updated_by: actor })
    .onConflict((oc) => oc.column('year').doUpdateSet({ published: published ? 1 : 0, source, updated_at: now, updated_by: actor }))
    .execute();
}

export interface ImportResult {
  report: ParsedCalendar;
  saved: boolean;
  /** The confirmed file no longer gives what was previewed (nothing saved). */
  changed?: boolean;
}

/** The largest calendar file read (characters of text, or bytes of a file). */
export const IMPORT_MAX = 2_000_000;

/**
 * Parses, validates and (unless dryRun, the file has errors, or `expect` is given and the file
 * no longer gives what was previewed) saves: each year in the file replaces that year. A file's
 * bytes are decoded by decodeText and the report names the encoding.
 */
export async function importCalendar(p: Platform, actor: string, input: string | Uint8Array, opts: { format?: ImportFormat; filename?: string; dryRun?: boolean; source?: string; expect?: string } = {}): Promise<ImportResult> {
  if (input.length > IMPORT_MAX) throw badRequest('err.validation', { file: 'calendar.err.too_large' }, { max: IMPORT_MAX });
  const report = await parseCalendarGuarded(input, opts.format, opts.filename);
  if (opts.dryRun || report.errors.length || report.years.length === 0) return { report, saved: false };
  if (opts.expect !== undefined && opts.expect !== reportDigest(report)) return { report, saved: false, changed: true };
  await p.tx(async (t) => {
    for (const y of report.years) {
      await t.deleteFrom('calendar_days').where('year', '=', y.year).execute();
      const now = new Date().toISOString();
      if (y.days.length) await t.insertInto('calendar_days').values(y.days.map((d) => ({ date: d.date, year: y.year, kind: d.kind, name: d.name, updated_at: now }))).execute();
      await upsertYear(t, y.year, y.published, opts.source ?? `import (${report.format})`, actor);
    }
    await p.audit(t, { actor, action: 'calendar.import', entity: 'calendar', entityId: report.years.map((y) => y.year).join(','), details: { format: report.format, encoding: report.encoding ?? null, filename: opts.filename ?? null, years: report.years.map((y) => ({ year: y.year, published: y.published, days: y.days.length })), warnings: report.warnings.length } });
    await afterChange(p, t, report.years.map((y) => y.year));
  });
  await loadCalendar(p.db);
  return { report, saved: true };
}

export async function setDay(p: Platform, actor: string, input: { date: string; kind: DayKind; name: string }): Promise<void> {
  const fields: Record<string, string> = {};
  if (!isValidDate(input.date)) fields.date = 'deadlines.err.date';
  if (input.kind !== 'holiday' && input.kind !== 'workday') fields.kind = 'err.field.enum_generic';
  if (!input.name?.trim()) fields.name = 'err.field.required';
  if (Object.keys(fields).length) throw badRequest('err.validation', fields);
  const year = Number(input.date.slice(0, 4));
  await p.tx(async (t) => {
    const prev = await t.selectFrom('calendar_days').selectAll().where('date', '=', input.date).executeTakeFirst();
    const now = new Date().toISOString();
    const row = { date: input.date, year, kind: input.kind, name: input.name.trim().slice(0, 50), updated_at: now };
    if (prev) await t.updateTable('calendar_days').set(row).where('date', '=', input.date).execute();
    else await t.insertInto('calendar_days').values(row).execute();
    const y = await t.selectFrom('calendar_years').select('published').where('year', '=', year).executeTakeFirst();
    await upsertYear(t, year, y ? !!Number(y.published) : false, 'console', actor);
    await p.audit(t, { actor, action: 'calendar.day.set', entity: 'calendar_day', entityId: input.date, details: { kind: row.kind, name: row.name, previous: prev ? { kind: prev.kind, name: prev.name } : null } });
    await afterChange(p, t, [year]);
  });
  await loadCalendar(p.db);
}

export async function deleteDay(p: Platform, actor: string, date: string): Promise<void> {
  if (!isValidDate(date)) throw notFound();
  await p.tx(async (t) => {
    const prev = await t.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
    if (!prev) throw notFound();
    await t.deleteFrom('calendar_days').where('date', '=', date).execute();
    await t.updateTable('calendar_years').set({ updated_at: new Date().toISOString(), updated_by: actor }).where('year', '=', prev.year).execute();
    await p.audit(t, { actor, action: 'calendar.day.delete', entity: 'calendar_day', entityId: date, details: { kind: prev.kind, name: prev.name } });
    await afterChange(p, t, [Number(prev.year)]);
  });
  await loadCalendar(p.db);
}

export async function setPublished(p: Platform, actor: string, year: number, published: boolean): Promise<void> {
  if (!Number.isInteger(year) || year < 1900 || year > 2299) throw notFound();
  await p.tx(async (t) => {
    await upsertYear(t, year, published, 'console', actor);
    await p.audit(t, { actor, action: published ? 'calendar.publish' : 'calendar.unpublish', entity: 'calendar', entityId: year, details: {} });
    await afterChange(p, t, [year]);
  });
  await loadCalendar(p.db);
}

// ---- staff clock actions ------------------------------------------------------------------------

export type ClockAction = 'pause' | 'resume' | 'extend';
export interface ClockActionInput {
  reason?: unknown;
  /** extend: how much to add, in the clock's unit (working days, days, months or hours); default the rule's per-extension limit. */
  days?: unknown;
  /** pause: correction | consultation | other (default other). */
  kind?: unknown;
}

/** Subjects whose clocks their own workflow moves (and mirrors): staff act there, not here. */
const MANAGED_ELSEWHERE = new Set(['appeal']);

/**
 * Pause, resume or extend a clock for a staff member: the clock must be visible to them
 * (`supervision.read` in its department, else 404), `clock.manage` in its department (else 403),
 * a reason (400 naming `reason`), and a state that allows it (409). Audited by the engine.
 */
export async function clockAction(p: Platform, user: Principal, id: number, action: ClockAction, input: ClockActionInput): Promise<void> {
  const row = await p.db.selectFrom('clocks').select(['id', 'department_id', 'subject_type', 'state', 'rule_code', 'rule_version', 'amount', 'unit']).where('id', '=', id).executeTakeFirst();
  if (!row || !can(user, 'supervision.read', { departmentId: row.department_id })) throw notFound();
  if (!can(user, 'clock.manage', { departmentId: row.department_id })) throw forbidden();
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  const fields: Record<string, string> = {};
  if (!reason) fields.reason = 'err.field.required';
  else if (reason.length > 500) fields.reason = 'err.field.too_long';
  let amount: number | undefined;
  if (action === 'extend' && input.days !== undefined && input.days !== null && input.days !== '') {
    amount = typeof input.days === 'string' && /^\d{1,4}$/.test(input.days.trim()) ? Number(input.days) : typeof input.days === 'number' ? input.days : NaN;
    if (!Number.isInteger(amount) || amount < 1) fields.days = 'deadlines.err.amount';
  }
  const kind = input.kind === undefined || input.kind === '' ? 'other' : input.kind;
  if (action === 'pause' && !(PAUSE_KINDS as readonly string[]).includes(kind as string)) fields.kind = 'deadlines.err.pause_kind';
  if (Object.keys(fields).length) throw badRequest('err.validation', fields);
  if (MANAGED_ELSEWHERE.has(row.subject_type)) throw conflict('deadlines.err.managed_elsewhere');
  const actor = `user:${user.username}`;
  await p.tx(async (t) => {
    if (action === 'pause') await pauseClock(p, t, id, { kind: kind as PauseKind, reason }, actor);
    else if (action === 'resume') await resumeClock(p, t, id, undefined, actor, reason);
    else {
      const rule = await getRule(t, row.rule_code, Number(row.rule_version));
      await extendClock(p, t, id, { workdays: amount ?? Math.max(1, rule?.extensionLimit ?? 1), reason, approver: user.displayName || user.username }, actor);
    }
  });
}
