// The calendar tables and the loader that turns them into the in-memory snapshot.
import type { Db } from '../db/index.js';
import { sql, withId, type GkMigration } from '../db/migrate.js';
import { buildSnapshot, calendarSnapshot, setCalendar, type CalendarData, type DayKind } from './snapshot.js';
import { SEED_SCHEDULES } from './seed.js';

export interface CalendarYearTable {
  year: number;
  published: number;
  source: string;
  updated_at: string;
  updated_by: string;
}

export interface CalendarDayTable {
  date: string;
  year: number;
  kind: DayKind;
  name: string;
  updated_at: string;
}

declare module '../db/schema.js' {
  interface Database {
    calendar_years: CalendarYearTable;
    calendar_days: CalendarDayTable;
  }
}

export const calendarMigrations: GkMigration[] = [
  {
    name: '1001-calendar',
    async up(db) {
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('calendar_days')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('calendar_days_year').on('calendar_days').column('year').execute();
      const now = new Date().toISOString();
      for (const [year, days] of Object.entries(SEED_SCHEDULES)) {
        await db.insertInto('calendar_years').values({ year: Number(year), published: 1, source: '国务院办公厅关于节假日安排的通知 (REGULATIONS.md §11)', updated_at: now, updated_by: 'migration' }).execute();
        await db.insertInto('calendar_days').values(days.map((d) => ({ date: d.date, year: Number(year), kind: d.kind, name: d.name, updated_at: now }))).execute();
      }
    },
  },
];

/** A fingerprint of the calendar tables (to notice edits made by another server instance). */
export async function calendarStamp(db: Db): Promise<string> {
  const r = await db.selectFrom('calendar_years').select([sql<string>`max(updated_at)`.as('m'), sql<number>`count(*)`.as('n')]).executeTakeFirst();
  return `${r?.m ?? ''}|${r?.n ?? 0}`;
}

let stamp: string | null = null;

/** Reads the calendar tables into the in-memory snapshot used by every computation. */
export async function loadCalendar(db: Db): Promise<CalendarData> {
  const years = await db.selectFrom('calendar_years').select(['year', 'published']).orderBy('year').execute();
  const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date').execute();
  const data: CalendarData = { years: years.map((y) => ({ year: Number(y.year), published: !!Number(y.published) })), days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })) };
  setCalendar(buildSnapshot(data));
  stamp = await calendarStamp(db);
  return data;
}

/** Loads the calendar unless already loaded (cheap to call before every computation batch). */
export async function ensureCalendar(db: Db): Promise<void> {
  if (!calendarSnapshot().loaded) await loadCalendar(db);
}

/** Reloads when the tables changed since the last load (another instance edited the calendar). */
export async function refreshCalendarIfChanged(db: Db): Promise<boolean> {
  const now = await calendarStamp(db);
  if (now === stamp && calendarSnapshot().loaded) return false;
  await loadCalendar(db);
  return true;
}
