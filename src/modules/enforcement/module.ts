// Transparent enforcement (阳光执法): registers of entities and inspectors, 双随机一公开 with
// draws anyone can re-run (docs/draws.md), and the 双公示 of licensing and penalty decisions with
// display periods and credit repair. See docs/architecture.md, "Enforcement".
import type { GongkaiModule } from '../../platform/module.js';
import { enforcementMigrations } from './schema.js';
import { enforcementMessages } from './messages.js';
import { hubPage } from './public/hub.js';
import { hubConsole } from './console/hub.js';
import { resultsApi } from './api/results.js';
import { drawNoticePages } from './public/draw-notice.js';
import { drawConsole } from './console/draws.js';
import { inspectionBackground, inspectionJobs } from './service/results.js';
import { inspectionsApi } from './api/inspections.js';
import { inspectionPages } from './public/inspections.js';
import { inspectionConsole } from './console/inspections.js';
import { drawsApi } from './api/draws.js';
import { drawPagesSitemap, drawsPublic } from './public/draws.js';
import { enforcementCli } from './cli.js';
import { registersApi } from './api/registers.js';
import { registerPages, registersSitemap } from './public/entities.js';
import { registerConsole } from './console/registers.js';
import { IMPORT_JOB, runImport } from './service/imports.js';
import { clientLimit } from '../../platform/http/limit.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { listSource } from '../../platform/sitemap.js';
import { lastListChange } from '../../platform/publication/index.js';
import { decisionsApi } from './api/decisions.js';
import { decisionsPublic } from './public/decisions.js';
import { decisionsConsole } from './console/decisions.js';
import { decisionsTable2 } from './service/decision-queries.js';
import { INSPECTION_PLAN, INSPECTION_TASK, LICENSING_DECISION, PENALTY_DECISION } from './items.js';
import { DISPLAY_JOB, endDueDisplays } from './service/display.js';
import { repairsApi } from './api/repairs.js';
import { repairPages } from './public/repair.js';
import { repairConsole } from './console/repairs.js';
import { loadDemoEnforcement } from './demo.js';

/** Credit-repair applications and their status look-ups, per client address per minute (each its own budget). */
const REPAIR_RATE_LIMIT = 20;

export const enforcementModule: GongkaiModule = {
  name: 'enforcement',
  permissions: [
    { action: 'enforcement.read', zh: '查看本部门的执法检查和执法决定（含草稿）', en: "See one's departments' inspections and enforcement decisions, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver', 'inspector'] },
    { action: 'enforcement.register', zh: '维护市场主体名录库和本部门执法检查人员名录库', en: "Keep the register of entities and one's departments' inspectors", roles: ['dept-admin', 'editor'] },
    { action: 'inspection.plan', zh: '编制抽查计划和任务、组织随机抽取', en: 'Plan random inspections and run the draws', roles: ['dept-admin', 'editor'] },
    { action: 'inspection.result', zh: '录入本人承担的抽查检查结果', en: 'Enter the results of the inspections one is assigned to', roles: ['inspector'] },
    { action: 'inspection.publish', zh: '公示抽查结果', en: 'Publish inspection results', roles: ['approver'] },
    { action: 'decision.edit', zh: '录入行政许可和行政处罚决定', en: 'Enter licensing and penalty decisions', roles: ['dept-admin', 'editor'] },
    { action: 'decision.approve', zh: '审核公示行政许可和行政处罚决定（不得审核本人录入的）', en: 'Approve licensing and penalty decisions for display (not ones own)', roles: ['approver'] },
    { action: 'credit.repair', zh: '审核信用修复申请', en: 'Review credit-repair applications', roles: ['dept-admin', 'approver'] },
  ],
  migrations: enforcementMigrations,
  messages: enforcementMessages,
  apiTags: {
    registers: '市场主体名录库 and 执法检查人员名录库: the public registers and their imports.',
    inspections: '双随机一公开: plans, tasks, verifiable draws (gongkai-draw/1) and results.',
    decisions: '行政许可 and 行政处罚 双公示: decisions on display, display periods and credit repair.',
  },
  nav: {
    public: [{ label: 'nav.enforcement', href: '/enforcement', order: 55 }],
    admin: [
      { label: 'nav.enforcement_admin', href: '/admin/enforcement', permission: 'enforcement.read', order: 45 },
      { label: 'nav.enforcement_checks', href: '/admin/enforcement/checks', permission: 'inspection.result', order: 46 },
    ],
  },
  async routes(app, p) {
    await hubPage(app, p);
    await hubConsole(app, p);
    await resultsApi(app, p);
    await drawNoticePages(app, p);
    await drawConsole(app, p);
    await inspectionsApi(app, p);
    await inspectionPages(app, p);
    await inspectionConsole(app, p);
    await drawsApi(app, p);
    await drawsPublic(app, p);
    await registersApi(app, p);
    await registerPages(app, p);
    await registerConsole(app, p);
    // Display and credit repair:
    const repairLimit = clientLimit(p.db, { bucket: 'enforcement.repair', max: REPAIR_RATE_LIMIT, message: 'enforcement.repair_err.rate_limited', perRoute: true });
    const repairCodeLimit = clientLimit(p.db, { bucket: 'enforcement.repair-code', max: REPAIR_RATE_LIMIT, message: 'enforcement.repair_err.lookup_limited' });
    await repairsApi(app, p, repairLimit, repairCodeLimit);
    repairPages(app, p, repairLimit, repairCodeLimit);
    await repairConsole(app, p);
    await decisionsApi(app, p);
    await decisionsPublic(app, p);
    await decisionsConsole(app, p);
  },
  // Table 二's 行政许可 and 行政处罚 (本年处理决定数量); 行政强制 has no source (stays null: staff enter it).
  annualReport: { table2: decisionsTable2 },
  jobs: (p) => ({
    ...inspectionJobs(p),
    [IMPORT_JOB]: (payload: { id: number }, job) => runImport(p, payload.id, job),
    // Display periods: decisions past their last day on display are ended ('expired').
    [DISPLAY_JOB]: async (payload: { on?: string }) => {
      await endDueDisplays(p, payload?.on ?? todayShanghai());
    },
  }),
  background(p) {
    const stopInspections = inspectionBackground(p);
    // One display job per Shanghai day (keyed), checked hourly.
    const tick = async () => {
      const on = todayShanghai();
      await p.tx((t) => p.jobs.enqueue(t, DISPLAY_JOB, { on }, { key: `${DISPLAY_JOB}:${on}`, maxAttempts: 3 }));
    };
    const run = () => void tick().catch((err) => p.log.warn({ err }, 'enforcement display tick failed'));
    run();
    const timer = setInterval(run, 60 * 60 * 1000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await stopInspections();
    };
  },
  cli: enforcementCli,
  demo: loadDemoEnforcement,
  sitemap: (p) => [
    ...drawPagesSitemap(p),
    ...registersSitemap(p),
    // The entry, the inspections' index and the decisions on display.
    listSource('enforcement', async () => [{ path: '/enforcement' }, { path: '/enforcement/inspections', lastmod: await lastListChange(p.db, [INSPECTION_PLAN, INSPECTION_TASK]) }, { path: '/enforcement/decisions', lastmod: await lastListChange(p.db, [PENALTY_DECISION, LICENSING_DECISION]) }]),
    // Credit repair's public pages (a status page is reached with its query code and is not listed).
    listSource('enforcement-repair', () => [{ path: '/enforcement/credit-repair' }, { path: '/enforcement/credit-repair/track' }]),
  ],
};
