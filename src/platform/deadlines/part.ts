// The calendar and deadline engine as a platform part: the working-day calendar's and the clocks'
// tables, the job that recomputes open clocks after a calendar change, and the refresh of the
// in-memory calendar in every process. Capability modules start and stop clocks through
// src/platform/deadlines; the calendar's pages and editor are the calendar module's.
import type { GongkaiModule } from '../module.js';
import { calendarMigrations, loadCalendar, refreshCalendarIfChanged } from '../calendar/store.js';
import { deadlineMigrations, recomputeOpenClocks } from './index.js';

export const RECOMPUTE_JOB = 'deadlines.recompute';

export const deadlinesPart: GongkaiModule = {
  name: 'deadlines',
  // Reading clocks is the engine's (the calendar module's clock pages and API use it too).
  permissions: [
    { action: 'supervision.read', zh: '查看时限监察', en: 'See deadline supervision', roles: ['dept-admin', 'editor', 'reviewer', 'approver', 'supervisor'] },
  ],
  migrations: [...calendarMigrations, ...deadlineMigrations],
  jobs: (p) => ({
    [RECOMPUTE_JOB]: async (payload: { years: number[] }) => {
      await refreshCalendarIfChanged(p.db);
      await recomputeOpenClocks(p, payload.years ?? []);
    },
  }),
  async routes(_app, p) {
    await loadCalendar(p.db);
  },
  everyProcess(p) {
    // Another process or instance may have edited the calendar: look for changes once a minute.
    const timer = setInterval(() => void refreshCalendarIfChanged(p.db).catch((err) => p.log.warn({ err }, 'calendar refresh failed')), 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
