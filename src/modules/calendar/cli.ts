// `gongkai calendar …`: import holiday schedules, print a year.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { CliCommand } from '../../platform/module.js';
import { loadCalendar } from '../../platform/calendar/store.js';
import { isWorkday, weekday, yearSchedule } from '../../platform/calendar/index.js';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
import { t } from '../../platform/i18n/index.js';
import { IMPORT_MAX, importCalendar } from './service.js';

export const calendarCli: Record<string, CliCommand> = {
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
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        process.stderr.write(`cannot read ${file}: ${(err as Error).message}\n`);
        return 2;
      }
      if (bytes.length > IMPORT_MAX) {
        process.stderr.write(`error  ${t('en', 'calendar.err.too_large', { max: IMPORT_MAX })}\n`);
        return 1;
      }
      const r = await importCalendar(p, `cli:${userInfo().username}`, bytes, { filename: basename(file), format, dryRun: args.includes('--dry-run'), source: `cli: ${basename(file)}` });
      const line = (x: { line?: number; key: string; params?: Record<string, string | number> }) => `  ${x.line !== undefined ? `line ${x.line}: ` : ''}${t('en', x.key, x.params)}\n`;
      for (const e of r.report.errors) process.stderr.write('error' + line(e));
      for (const w of r.report.warnings) process.stderr.write('warning' + line(w));
      process.stdout.write(`read as ${r.report.format}, ${r.report.encoding ?? 'text'}\n`);
      for (const y of r.report.years) {
        process.stdout.write(`${y.year}: ${y.days.filter((d) => d.kind === 'holiday').length} holidays, ${y.days.filter((d) => d.kind === 'workday').length} make-up working days${y.published ? '' : ' (unpublished)'}\n`);
        // Every day understood, as the console's preview shows it.
        for (const d of y.days) process.stdout.write(`  ${d.date}  ${WEEKDAYS[weekday(d.date)]}  ${d.kind === 'holiday' ? 'holiday' : 'workday'}  ${d.name}${d.line !== undefined ? `  (line ${d.line}${d.source ? `: ${d.source}` : ''}${d.recurring ? ', recurring' : ''})` : ''}\n`);
      }
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
      for (const d of s.days) process.stdout.write(`${d.date}  ${d.kind === 'holiday' ? 'holiday' : 'workday'}  ${WEEKDAYS[weekday(d.date)]}  ${d.name}${isWorkday(d.date).workday !== (d.kind === 'workday') ? '  (draft)' : ''}\n`);
      return 0;
    },
  },
};
