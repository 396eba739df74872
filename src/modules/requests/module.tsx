// 依申请公开: requests for government information (DisclosureRequest), under the deadline engine.
// See docs/architecture.md ("Disclosure requests").
import type { GongkaiModule } from '../../platform/module.js';
import type { Platform } from '../../platform/platform.js';
import type { PageCtx } from '../../platform/render/context.js';
import { clientLimit } from '../../platform/http/limit.js';
import { listSource } from '../../platform/sitemap.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { requestMigrations } from './schema.js';
import { requestMessages } from './messages.js';
import { requestsApi } from './api.js';
import { publicPages } from './public.js';
import { consolePages } from './console.js';
import { loadDemoRequests } from './demo.js';
import { dashboardCounts } from './service/queries.js';
import { scanRequests, SCAN_JOB } from './service/scan.js';
import { referJob, REFER_JOB } from './service/referral.js';
import { requestsReportSource } from './service/report.js';

async function dashboard(p: Platform, c: PageCtx) {
  if (!c.user || !c.can('request.read')) return null;
  const n = await dashboardCounts(p.db, c.user);
  return (
    <section class="panel requests-panel" aria-labelledby="panel-requests">
      <h2 id="panel-requests">{c.t('requests.dashboard')}</h2>
      <p>
        <a href="/admin/disclosure-requests?state=open">{c.t('requests.dashboard_line', { awaiting: n.awaiting, handling: n.handling })}</a>
        {n.overdue > 0 && (
          <>
            {' · '}
            <a href="/admin/disclosure-requests?overdue=1">{c.t('requests.dashboard_overdue', { n: n.overdue })}</a>
          </>
        )}
        {n.reviews > 0 && (
          <>
            {' · '}
            <a href="/admin/disclosure-requests?pendingReview=1">{c.t('requests.dashboard_reviews', { n: n.reviews })}</a>
          </>
        )}
        {n.approvals > 0 && (
          <>
            {' · '}
            <a href="/admin/disclosure-requests?state=open">{c.t('requests.dashboard_approvals', { n: n.approvals })}</a>
          </>
        )}
      </p>
    </section>
  );
}

export const requestsModule: GongkaiModule = {
  name: 'requests',
  permissions: [
    { action: 'request.read', zh: '查看本部门的政府信息公开申请', en: "See the disclosure requests of one's departments", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'request.intake', zh: '登记当面、信函、传真、电子邮件提出的政府信息公开申请', en: 'Register disclosure requests received in person, by post, fax or e-mail', roles: ['dept-admin', 'editor'] },
    { action: 'request.handle', zh: '办理政府信息公开申请：确认收到、补正、征求意见、申请延期、转办、答复', en: 'Handle disclosure requests: confirm receipt, correction, consultations, ask for an extension, refer, reply', roles: ['dept-admin', 'editor'] },
    { action: 'request.approve-extension', zh: '批准延期答复（机关负责人）', en: 'Approve an extension of the reply (office head)', roles: ['approver'] },
    { action: 'request.litigation', zh: '登记行政复议、行政诉讼', en: 'Record administrative reviews and lawsuits about disclosure requests', roles: ['dept-admin', 'editor'] },
    { action: 'request.approve-reply', zh: '审核签发政府信息公开申请答复（机关负责人）', en: 'Approve and sign replies to disclosure requests (office head)', roles: ['approver'] },
    { action: 'request.identity', zh: '查看申请人身份证明（仅本部门）', en: "See requesters' identity proofs (own department only)", roles: ['dept-admin', 'editor'] },
  ],
  migrations: requestMigrations,
  messages: requestMessages,
  // The public pages that are the same for everyone (a request's status page is reached with its
  // query code and is not listed).
  sitemap: () => [listSource('disclosure-requests', () => [{ path: '/disclosure-requests' }, { path: '/disclosure-requests/new' }])],
  nav: {
    public: [{ label: 'nav.requests', href: '/disclosure-requests', order: 35, pages: [{ label: 'requests.new', href: '/disclosure-requests/new' }, { label: 'requests.track', href: '/disclosure-requests/track' }] }],
    admin: [{ label: 'nav.requests_admin', href: '/admin/disclosure-requests', permission: 'request.read', order: 32 }],
  },
  async routes(app, p) {
    // Each budget counted in the database (every process and instance): submissions, and every route that checks a query code.
    const submitLimit = clientLimit(p.db, { bucket: 'requests.submit', max: p.config.requestsRateLimit, message: 'requests.err.rate_limited', perRoute: true });
    const codeLimit = clientLimit(p.db, { bucket: 'requests.code', max: p.config.requestsRateLimit, message: 'requests.err.lookup_limited' });
    await requestsApi(app, p, submitLimit, codeLimit);
    await publicPages(app, p, submitLimit, codeLimit);
    await consolePages(app, p);
  },
  jobs: (p) => ({
    [SCAN_JOB]: async () => {
      await scanRequests(p, todayShanghai());
    },
    [REFER_JOB]: (payload) => referJob(p, payload),
  }),
  background(p) {
    // Every instance ticks; the key per Shanghai day and hour makes the queue hold one scan per hour.
    const tick = async () => {
      const now = new Date();
      const slot = `${todayShanghai(now)}T${String((now.getUTCHours() + 8) % 24).padStart(2, '0')}`;
      await p.tx((t) => p.jobs.enqueue(t, SCAN_JOB, { slot }, { key: `${SCAN_JOB}:${slot}`, maxAttempts: 3 }));
    };
    const run = () => void tick().catch((err) => p.log.warn({ err }, 'requests tick failed'));
    run();
    const timer = setInterval(run, 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
  demo: (p) => loadDemoRequests(p),
  dashboard,
  // Table 三, Table 四 and Table 二's 行政事业性收费 (信息处理费).
  annualReport: requestsReportSource,
};
