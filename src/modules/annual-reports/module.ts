// 政府信息公开工作年度报告: the statutory annual report (Art. 49–50, 国办公开办函〔2021〕30号) of the
// government and of each department. See docs/architecture.md ("Annual reports").
import type { GongkaiModule } from '../../platform/module.js';
import { listSource } from '../../platform/sitemap.js';
import { lastListChange } from '../../platform/publication/index.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { annualReportMigrations } from './schema.js';
import { annualReportMessages } from './messages.js';
import { ANNUAL_REPORT } from './items.js';
import { annualReportsApi } from './api.js';
import { consolePages } from './console.js';
import { publicPages } from './public.js';
import { tickClocks } from './service.js';
import { loadDemoReports } from './demo.js';

export const CLOCK_JOB = 'annual-reports.clocks';

export const annualReportsModule: GongkaiModule = {
  name: 'annual-reports',
  permissions: [
    { action: 'annual-report.read', zh: '查看本部门的政府信息公开工作年度报告（含草稿）', en: "See one's departments' annual disclosure reports, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'annual-report.edit', zh: '起草和修改本部门的政府信息公开工作年度报告（本级政府报告由政务公开办起草）', en: "Draft and edit one's departments' annual disclosure reports (the government's: its disclosure office)", roles: ['dept-admin', 'editor'] },
  ],
  migrations: annualReportMigrations,
  messages: annualReportMessages,
  apiTags: { 'annual-reports': '政府信息公开工作年度报告: drafts per year and body, figures from the modules, review and publication.' },
  nav: {
    admin: [{ label: 'nav.annual_reports', href: '/admin/annual-reports', permission: 'annual-report.read', order: 34 }],
    footer: [{ label: 'nav.annual_reports_public', href: '/annual-reports', order: 60 }],
  },
  // The index page; the reports themselves are catalog items (the spine's sitemap lists them).
  sitemap: (p) => [listSource('annual-reports', async () => [{ path: '/annual-reports', lastmod: await lastListChange(p.db, [ANNUAL_REPORT]) }])],
  async routes(app, p) {
    await annualReportsApi(app, p);
    await publicPages(app, p);
    await consolePages(app, p);
  },
  jobs: (p) => ({
    [CLOCK_JOB]: async (payload: { on?: string }) => {
      await tickClocks(p, payload?.on ?? todayShanghai());
    },
  }),
  background(p) {
    // One job per Shanghai day (keyed): last year's clocks for every body, completion of published reports'.
    const tick = async () => {
      const on = todayShanghai();
      await p.tx((t) => p.jobs.enqueue(t, CLOCK_JOB, { on }, { key: `${CLOCK_JOB}:${on}`, maxAttempts: 3 }));
    };
    const run = () => void tick().catch((err) => p.log.warn({ err }, 'annual-reports tick failed'));
    run();
    const timer = setInterval(run, 60 * 60 * 1000);
    timer.unref();
    return () => clearInterval(timer);
  },
  demo: (p) => loadDemoReports(p),
};
