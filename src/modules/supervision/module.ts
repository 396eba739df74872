// Electronic supervision (电子监察): dashboard, notifications (inbox and e-mail), escalation,
// daily digest, and the periodic scan that finds status transitions.
import type { GongkaiModule } from '../../platform/module.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { supervisionMessages } from './messages.js';
import { supervisionPages, supervisionPanel } from './console.js';
import { supervisionApi } from './api.js';
import { supervisionMigrations } from './schema.js';
import { digest, DIGEST_JOB, notify, NOTIFY_JOB, runScan, SCAN_JOB, scanSlot } from './service.js';

/** Hour (Asia/Shanghai) after which the day's digest goes out. */
const DIGEST_HOUR = 8;

export const supervisionModule: GongkaiModule = {
  name: 'supervision',
  permissions: [
    { action: 'supervision.alerts', zh: '接收预警和超期提醒（本部门；监察员为全部部门）', en: "Receive warnings and overdue notices (one's departments; supervisors: all)", roles: ['dept-admin', 'editor', 'supervisor'] },
    { action: 'supervision.digest', zh: '接收每日督办摘要', en: 'Receive the daily supervision digest', roles: ['supervisor', 'dept-admin'] },
  ],
  migrations: supervisionMigrations,
  messages: supervisionMessages,
  nav: {
    admin: [
      { label: 'nav.supervision', href: '/admin/supervision', permission: 'supervision.read', order: 70 },
    ],
  },
  jobs: (p) => ({
    [SCAN_JOB]: async (payload: { slot?: string; today?: string }) => {
      await runScan(p, payload?.today ?? todayShanghai());
    },
    [NOTIFY_JOB]: async (payload: { clockId: number; threshold: 'warning' | 'overdue' }) => {
      await notify(p, payload.clockId, payload.threshold);
    },
    [DIGEST_JOB]: async (payload: { day: string }) => {
      await digest(p, payload.day);
    },
  }),
  async routes(app, p) {
    await supervisionApi(app, p);
    await supervisionPages(app, p);
  },
  dashboard: supervisionPanel,
  background(p) {
    // Every instance ticks; the idempotency key per 15-minute slot (and per day for the digest)
    // makes the queue hold one scan per slot however many instances run.
    const tick = async () => {
      const now = new Date();
      const slot = scanSlot(now);
      const day = todayShanghai(now);
      const shanghaiHour = (now.getUTCHours() + 8) % 24;
      await p.tx(async (t) => {
        await p.jobs.enqueue(t, SCAN_JOB, { slot }, { key: `${SCAN_JOB}:${slot}`, maxAttempts: 3 });
        if (shanghaiHour >= DIGEST_HOUR) await p.jobs.enqueue(t, DIGEST_JOB, { day }, { key: `${DIGEST_JOB}:${day}` });
      });
    };
    const run = () => void tick().catch((err) => p.log.warn({ err }, 'supervision tick failed'));
    run();
    const timer = setInterval(run, 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
