// Calendar and deadlines: the working-day calendar (data, public pages, console editor and
// importer, CLI), the rule catalogue and clock pages. The engine, its tables and jobs are a
// platform part (src/platform/deadlines/part.ts), so every module can start clocks without this one.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { GongkaiModule } from '../../platform/module.js';
import { loadCalendar } from '../../platform/calendar/store.js';
import { isWorkday, yearSchedule } from '../../platform/calendar/index.js';
import { t } from '../../platform/i18n/index.js';
import { calendarMessages } from './messages.js';
import { calendarApi } from './api.js';
import { calendarPages } from './pages.js';
import { importCalendar } from './service.js';

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
  nav: {
    public: [{ label: 'nav.calendar', href: '/calendar', order: 90 }],
    admin: [
      { label: 'nav.calendar_admin', href: '/admin/calendar', permission: 'calendar.read', order: 88 },
      { label: 'nav.deadline_rules', href: '/admin/deadline-rules', permission: 'deadlines.read', order: 89 },
    ],
  },
  async routes(app, p) {
    await calendarApi(app, p);
    await calendarPages(app, p);
  },
  cli: {
    'calendar import': {
      usage: 'calendar import FILE [--dry-run] [--format json|csv|ics]   import holiday schedules; each year in the file replaces that year',
      async run(args, p) {
        const file = args.find((a) => !a.startsWith('--'));
        const fi = args.indexOf('--format');
        const format = fi >= 0 ? (args[fi + 1] as any) : undefined;
        if (!file) {
          process.stderr.write('usage: gongkai calendar import FILE [--dry-run] [--format json|csv|ics]\n');
          return 2;
        }
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          process.stderr.write(`cannot read ${file}: ${(err as Error).message}\n`);
          return 2;
        }
        const r = await importCalendar(p, `cli:${userInfo().username}`, text, { filename: basename(file), format, dryRun: args.includes('--dry-run'), source: `cli: ${basename(file)}` });
        const line = (x: { line?: number; key: string; params?: Record<string, string | number> }) => `  ${x.line !== undefined ? `line ${x.line}: ` : ''}${t('en', x.key, x.params)}\n`;
        for (const e of r.report.errors) process.stderr.write('error' + line(e));
        for (const w of r.report.warnings) process.stderr.write('warning' + line(w));
        for (const y of r.report.years) process.stdout.write(`${y.year}: ${y.days.filter((d) => d.kind === 'holiday').length} holidays, ${y.days.filter((d) => d.kind === 'workday').length} make-up working days${y.published ? '' : ' (unpublished)'}\n`);
        if (r.report.errors.length) return 1;
        process.stdout.write(r.saved ? 'imported\n' : 'valid (dry run, nothing saved)\n');
        return 0;
      },
    },
    'calendar show': {
      usage: 'calendar show YEAR   print the holidays and make-up working days of a year',
      async run(args, p) {
        const y = Number(args[0]);
        if (!/^\d{4}$/.test(args[0] ?? '') || y < 1900 || y > 2299) {
          process.stderr.write('usage: gongkai calendar show YEAR\n');
          return 2;
        }
        await loadCalendar(p.db);
        const s = yearSchedule(y);
        process.stdout.write(`${y} ${s.published ? 'published' : 'NOT published (weekends only, provisional)'}\n`);
        for (const d of s.days) process.stdout.write(`${d.date}  ${d.kind === 'holiday' ? 'holiday' : 'workday'}  ${['日', '一', '二', '三', '四', '五', '六'][new Date(d.date + 'T00:00:00Z').getUTCDay()]}  ${d.name}${isWorkday(d.date).workday !== (d.kind === 'workday') ? '  (draft)' : ''}\n`);
        return 0;
      },
    },
  },
};
