// Calendar and deadlines: the working-day calendar (data, public pages, console editor and
// importer, CLI), the rule catalogue and clock pages. The engine, its tables and jobs are a
// platform part (src/platform/deadlines/part.ts), so every module can start clocks without this one.
import type { GongkaiModule } from '../../platform/module.js';
import { calendarMessages } from './messages.js';
import { calendarApi } from './api.js';
import { calendarPublic, calendarSitemap } from './public.js';
import { calendarConsole } from './console.js';
import { calendarCli } from './cli.js';

export const calendarModule: GongkaiModule = {
  name: 'calendar',
  permissions: [
    { action: 'calendar.read', zh: '查看工作日历', en: 'See the working-day calendar', roles: [] },
    { action: 'calendar.edit', zh: '维护节假日和调休', en: 'Maintain holidays and make-up working days', roles: [] },
    { action: 'deadlines.read', zh: '查看时限规则', en: 'See the deadline rules', roles: [] },
    { action: 'deadlines.edit', zh: '修改时限规则和预警阈值', en: 'Change deadline rules and warning thresholds', roles: [] },
    { action: 'clock.manage', zh: '暂停、恢复和延长本部门的时限（须写明理由）', en: "Pause, resume and extend one's departments' clocks (with a reason)", roles: ['supervisor', 'dept-admin', 'approver'] },
  ],
  messages: calendarMessages,
  sitemap: calendarSitemap,
  nav: {
    public: [{ label: 'nav.calendar', href: '/calendar', order: 90 }],
    admin: [
      { label: 'nav.calendar_admin', href: '/admin/calendar', permission: 'calendar.read', order: 88 },
      { label: 'nav.deadline_rules', href: '/admin/deadline-rules', permission: 'deadlines.read', order: 89 },
    ],
  },
  async routes(app, p) {
    await calendarApi(app, p);
    await calendarPublic(app, p);
    await calendarConsole(app, p);
  },
  cli: calendarCli,
};
