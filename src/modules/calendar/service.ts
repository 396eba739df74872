// Editing the working-day calendar: imports and single-day edits, audited, followed by a reload
// of the in-memory snapshot and a recomputation of the open clocks the change may move.
import type { Platform } from '../../platform/platform.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { isValidDate, type CalendarDay, type DayKind } from '../../platform/calendar/index.js';
import { loadCalendar } from '../../platform/calendar/store.js';
import { parseCalendar, type ImportFormat, type ParsedCalendar } from '../../platform/calendar/import.js';
import type { Db } from '../../platform/db/index.js';

export const RECOMPUTE_JOB = 'deadlines.recompute';

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
}

/** Parses, validates and (unless dryRun or the file has errors) saves: each year in the file replaces that year. */
export async function importCalendar(p: Platform, actor: string, text: string, opts: { format?: ImportFormat; filename?: string; dryRun?: boolean; source?: string } = {}): Promise<ImportResult> {
  if (text.length > 2_000_000) throw badRequest('calendar.err.empty');
  const report = parseCalendar(text, opts.format, opts.filename);
  if (opts.dryRun || report.errors.length || report.years.length === 0) return { report, saved: false };
  await p.tx(async (t) => {
    for (const y of report.years) {
      await t.deleteFrom('calendar_days').where('year', '=', y.year).execute();
      const now = new Date().toISOString();
      if (y.days.length) await t.insertInto('calendar_days').values(y.days.map((d) => ({ date: d.date, year: y.year, kind: d.kind, name: d.name, updated_at: now }))).execute();
      await upsertYear(t, y.year, y.published, opts.source ?? `import (${report.format})`, actor);
    }
    await p.audit(t, { actor, action: 'calendar.import', entity: 'calendar', entityId: report.years.map((y) => y.year).join(','), details: { format: report.format, filename: opts.filename ?? null, years: report.years.map((y) => ({ year: y.year, published: y.published, days: y.days.length })), warnings: report.warnings.length } });
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
