// Calendar and deadlines: the working-day calendar (data, public pages, console editor and
// importer, CLI), the rule catalogue and clock pages. The deadline engine itself lives in
// src/platform/deadlines so every module can start clocks.
import type { GongkaiModule } from '../../platform/module.js';
import { calendarMigrations, loadCalendar, refreshCalendarIfChanged } from '../../platform/calendar/store.js';
import { deadlineMigrations, recomputeOpenClocks } from '../../platform/deadlines/index.js';
import { calendarMessages } from './messages.js';
import { calendarApi } from './api.js';
import { calendarPublic } from './public.js';
import { calendarConsole } from './console.js';
import { calendarCli } from './cli.js';
import { RECOMPUTE_JOB } from './service.js';

export const calendarModule: GongkaiModule = {
  name: 'calendar',
  permissions: [
    { action: 'calendar.read', zh: '查看工作日历', en: 'See the working-day calendar', roles: [] },
    { action: 'calendar.edit', zh: '维护节假日和调休', en: 'Maintain holidays and make-up working days', roles: [] },
    { action: 'deadlines.read', zh: '查看时限规则', en: 'See the deadline rules', roles: [] },
    { action: 'deadlines.edit', zh: '修改时限规则和预警阈值', en: 'Change deadline rules and warning thresholds', roles: [] },
    { action: 'clock.manage', zh: '暂停、恢复和延长本部门的时限（须写明理由）', en: "Pause, resume and extend one's departments' clocks (with a reason)", roles: ['supervisor', 'dept-admin', 'approver'] },
  ],
  migrations: [...calendarMigrations, ...deadlineMigrations],
  messages: calendarMessages,
  nav: {
    public: [{ label: 'nav.calendar', href: '/calendar', order: 90 }],
    admin: [
      { label: 'nav.calendar_admin', href: '/admin/calendar', permission: 'calendar.read', order: 88 },
      { label: 'nav.deadline_rules', href: '/admin/deadline-rules', permission: 'deadlines.read', order: 89 },
    ],
  },
  jobs: (p) => ({
    [RECOMPUTE_JOB]: async (payload: { years: number[] }) => {
      await refreshCalendarIfChanged(p.db);
      await recomputeOpenClocks(p, payload.years ?? []);
    },
  }),
  async routes(app, p) {
    await loadCalendar(p.db);
    await calendarApi(app, p);
    await calendarPublic(app, p);
    await calendarConsole(app, p);
  },
  everyProcess(p) {
    // Another process or instance may have edited the calendar: look for changes once a minute.
    const timer = setInterval(() => void refreshCalendarIfChanged(p.db).catch((err) => p.log.warn({ err }, 'calendar refresh failed')), 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
  cli: calendarCli,
};
