// 市民诉求服务中心 (12345-style citizen appeals centre) with an Open311 GeoReport v2 API.
// See docs/architecture.md ("Citizen appeals").
import { userInfo } from 'node:os';
import type { GongkaiModule } from '../../platform/module.js';
import type { Platform } from '../../platform/platform.js';
import type { PageCtx } from '../../platform/render/context.js';
import { clientLimit } from '../../platform/http/limit.js';
import { appealMigrations } from './schema.js';
import { appealMessages } from './messages.js';
import { appealsApi } from './api.js';
import { publicPages, appealsSitemap } from './public.js';
import { BoardList } from './public/board.js';
import { consolePages } from './console.js';
import { roleLines, RoleSummary } from './console/roles.js';
import { open311Routes, createApiKey } from './api/open311.js';
import { cleanAppealPhotos } from './service/media.js';
import { loadDemoAppeals } from './demo.js';
import { registerAppealType } from './items.js';
import { board, staffList } from './service/queries.js';
import { complaintDesk } from './service/intake.js';
import { registerFollowable } from '../../platform/channels/announce.js';
import { findWithCode } from './service/citizen.js';

// An appeal's handling may be followed (subscriptions) by whoever holds its query code.
registerFollowable('appeal', {
  label: 'appeals.follow',
  async verify(db, key, proof) {
    const a = await findWithCode(db, key, proof);
    return a ? { departmentId: a.department_id } : null;
  },
});

registerAppealType();

async function dashboard(p: Platform, c: PageCtx) {
  if (!c.user || !c.can('appeal.read')) return null;
  const [received, dispatched, overdue, review, lines] = await Promise.all([
    staffList(p.db, c.user, { status: 'received', page: 1, pageSize: 1 }),
    staffList(p.db, c.user, { status: 'dispatched', page: 1, pageSize: 1 }),
    staffList(p.db, c.user, { overdue: true, page: 1, pageSize: 1 }),
    staffList(p.db, c.user, { status: 'reply_review', page: 1, pageSize: 1 }),
    roleLines(p, c),
  ]);
  return (
    <section class="panel appeals-panel" aria-labelledby="panel-appeals">
      <h2 id="panel-appeals">{c.t('appeals.dashboard')}</h2>
      <p>
        <a href="/admin/appeals?status=open">{c.t('appeals.dashboard_line', { received: received.total, dispatched: dispatched.total, overdue: overdue.total })}</a>
        {review.total > 0 && (
          <>
            {' · '}
            <a href="/admin/appeals?status=reply_review">{c.t('appeals.dashboard_review', { n: review.total })}</a>
          </>
        )}
      </p>
      <RoleSummary c={c} lines={lines} sub />
    </section>
  );
}

export const appealsModule: GongkaiModule = {
  name: 'appeals',
  permissions: [
    { action: 'appeal.read', zh: '打开诉求工作台', en: 'Open the appeals workbench', roles: ['dept-admin', 'editor', 'reviewer', 'approver', 'operator'] },
    { action: 'appeal.department', zh: '查看和办理本部门承办的诉求（在诉求中心即全部诉求）', en: "See the appeals of one's departments (in the centre: all appeals)", roles: ['dept-admin', 'editor', 'reviewer', 'approver', 'supervisor'] },
    { action: 'appeal.intake', zh: '电话受理诉求、查看来电人联系方式', en: "Take appeals by phone, see callers' contact details", roles: ['operator'] },
    { action: 'appeal.handle', zh: '分办、答复和办理诉求', en: 'Dispatch, answer and handle appeals', roles: ['dept-admin', 'editor'] },
    { action: 'appeal.approve', zh: '审核答复、延期和公开', en: 'Approve replies, extensions and publication', roles: ['approver'] },
    { action: 'appeal.urge', zh: '督办', en: 'Urge a department (督办)', roles: ['supervisor'] },
    { action: 'open311.manage', zh: '管理 Open311 接入密钥', en: 'Manage Open311 API keys', roles: [] },
  ],
  migrations: appealMigrations,
  messages: appealMessages,
  nav: {
    public: [{ label: 'nav.appeals', href: '/appeals', order: 40 }],
    admin: [
      { label: 'nav.appeals_admin', href: '/admin/appeals', permission: 'appeal.read', order: 30 },
      { label: 'nav.appeals_intake', href: '/admin/appeals/intake', permission: 'appeal.intake', order: 31 },
    ],
  },
  apiTags: { open311: 'Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/, in JSON and XML, with errors in its own format. Submitting needs an api_key (a form or JSON field).' },
  async routes(app, p) {
    // Citizen writes: each route its own budget, counted in the memory of each process (checked
    // on arrival, before a body is read).
    const submitLimit = clientLimit(p.db, { bucket: 'appeals.submit', max: p.config.appealsRateLimit, message: 'appeals.err.rate_limited', store: 'memory', perRoute: true });
    // Query-code checks, every route together, counted in the database (every process and instance).
    const codeLimit = clientLimit(p.db, { bucket: 'appeals.code', max: p.config.appealsLookupLimit, message: 'appeals.err.lookup_limited' });
    await appealsApi(app, p, submitLimit, codeLimit);
    await publicPages(app, p, submitLimit, codeLimit);
    await consolePages(app, p);
    await open311Routes(app, p, submitLimit);
  },
  demo: (p) => loadDemoAppeals(p),
  sitemap: appealsSitemap,
  // Complaints that reached another module (a disclosure request under 条例第三十九条) become appeals.
  referrals: { complaint: complaintDesk },
  async home(p, c) {
    const r = await board(p.db, { page: 1, pageSize: 3 });
    if (!r.items.length) return null;
    return (
      <section class="home-appeals" aria-labelledby="home-appeals">
        <h2 id="home-appeals">
          <a href="/appeals/board">{c.t('appeals.home')}</a>
        </h2>
        <BoardList c={c} items={r.items} />
      </section>
    );
  },
  dashboard,
  cli: {
    'open311 key create': {
      usage: 'open311 key create --name NAME   create an Open311 API key (prints only the key)',
      async run(args, p) {
        const i = args.indexOf('--name');
        const name = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--name='))?.slice(7);
        if (!name) {
          process.stderr.write('usage: gongkai open311 key create --name NAME\n');
          return 2;
        }
        const k = await createApiKey(p, 'cli', name);
        process.stdout.write(`${k.key}\n`);
        return 0;
      },
    },
    'appeals clean-photos': {
      usage: 'appeals clean-photos                 re-store photos uploaded before metadata was stripped (EXIF GPS…) without it',
      async run(_args, p) {
        const r = await cleanAppealPhotos(p, `cli:${userInfo().username}`);
        process.stdout.write(`${r.photos} photo(s) of ${r.appeals} appeal(s) cleaned; ${r.clean} already clean; ${r.failed.length} could not be read\n`);
        for (const f of r.failed) process.stdout.write(`  ${f}\n`);
        return r.failed.length ? 1 : 0;
      },
    },
  },
};
