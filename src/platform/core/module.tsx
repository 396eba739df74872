// The platform's own module: core tables, sign-in and account pages, the staff dashboard,
// the audit log and the job queue in the console, and the public home page.
import type { FastifyInstance } from 'fastify';
import type { GongkaiModule } from '../module.js';
import type { Platform } from '../platform.js';
import { platformMigrations } from './migrations.js';
import { rateLimitMigrations } from '../http/limit.js';
import { authRoutes } from '../auth/routes.js';
import { listRules } from '../deadlines/index.js';
import { actionLabel, actorLabel, actorUsernames, AuditDetails, entityLabel } from './audit-view.js';
import { AdminLayout, Empty, Field, Notice, Pager, PublicLayout, Csrf, Dl, grantLabel, TableWrap } from '../render/index.js';
import { verifyAudit } from '../audit/index.js';
import { notFound } from '../errors.js';
import { shanghaiDateTime, shanghaiDayEnd, shanghaiDayStart } from '../dates.js';
import { listSource } from '../sitemap.js';

async function coreRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  await authRoutes(app, p);

  app.get('/', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const sections = [];
    for (const m of p.modules) if (m.home) sections.push(await m.home(p, c));
    return reply.header('cache-control', 'public, max-age=5').html(
      <PublicLayout c={c} title="" description={c.t('home.description', { name: c.gov.name })}>
        <section class="hero">
          <h1>{c.gov.name}</h1>
          <p class="lead">{c.t('home.lead')}</p>
        </section>
        {sections.filter(Boolean)}
        {c.publicNav.length > 0 && (
          <section>
            <h2>{c.t('home.sections')}</h2>
            <ul class="tiles">
              {c.publicNav.map((n) => (
                <li>
                  <a href={n.href}>{c.t(n.label)}</a>
                </li>
              ))}
            </ul>
          </section>
        )}
      </PublicLayout>,
      200,
    );
  });

  app.get('/admin', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const u = req.user!;
    const panels = [];
    for (const m of p.modules) if (m.dashboard) panels.push(await m.dashboard(p, c));
    return reply.html(
      <AdminLayout c={c} title={c.t('admin.dashboard')}>
        <h1>{c.t('admin.dashboard')}</h1>
        <p>{c.t('admin.welcome', { name: u.displayName })}</p>
        <Dl
          rows={[
            [c.t('users.department'), u.departmentName ?? u.departmentCode],
            [c.t('users.roles'), u.grants.map((g) => grantLabel(c, g)).join('、')],
          ]}
        />
        <div class="panels">{panels.filter(Boolean)}</div>
      </AdminLayout>,
    );
  });

  app.get<{ Querystring: Record<string, string> }>('/admin/audit', { config: { permission: 'audit.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query;
    const page = Math.max(1, Math.min(100000, Number(q.page) || 1));
    const pageSize = 50;
    const f = { actor: (q.actor ?? '').slice(0, 80), action: (q.action ?? '').slice(0, 80), entity: (q.entity ?? '').slice(0, 80), entityId: (q.entityId ?? '').slice(0, 80), from: (q.from ?? '').slice(0, 10), to: (q.to ?? '').slice(0, 10) };
    let qb = p.db.selectFrom('audit_events');
    if (f.actor) qb = qb.where('actor', 'like', `%${f.actor}%`);
    if (f.action) qb = qb.where('action', 'like', `${f.action}%`);
    if (f.entity) qb = qb.where('entity', '=', f.entity);
    if (f.entityId) qb = qb.where('entity_id', '=', f.entityId);
    if (/^\d{4}-\d{2}-\d{2}$/.test(f.from)) qb = qb.where('at', '>=', shanghaiDayStart(f.from));
    if (/^\d{4}-\d{2}-\d{2}$/.test(f.to)) qb = qb.where('at', '<', shanghaiDayEnd(f.to));
    const total = Number((await qb.select(p.db.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await qb.selectAll().orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
    const valueNames = { rule: new Map((await listRules(p.db)).map((r) => [r.code, c.locale === 'en' ? r.nameEn : r.nameZh])) };
    // The actors, and the users the details name ("user:…"), by display name.
    const usernames = actorUsernames([...rows.map((r) => r.actor), ...rows.flatMap((r) => [...r.details.matchAll(/"(user:[\w.-]+)"/g)].map((m) => m[1]))]);
    const names = new Map(
      usernames.length ? (await p.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [u.username, u.display_name] as [string, string]) : [],
    );
    const valueNamesAll = { ...valueNames, actor: names };
    const href = (n: number) => `/admin/audit?${new URLSearchParams({ ...f, page: String(n) })}`;
    return reply.html(
      <AdminLayout c={c} title={c.t('audit.title')}>
        <h1>{c.t('audit.title')}</h1>
        <p>{c.t('audit.intro')}</p>
        <form method="get" class="filters">
          <Field label={c.t('audit.actor')} name="actor" value={f.actor} maxLength={80} />
          <Field label={c.t('audit.action')} name="action" value={f.action} maxLength={80} />
          <Field label={c.t('audit.entity')} name="entity" value={f.entity} maxLength={80} />
          <Field label={c.t('audit.entity_id')} name="entityId" value={f.entityId} maxLength={80} />
          <Field label={c.t('common.from')} name="from" type="date" value={f.from} />
          <Field label={c.t('common.to')} name="to" type="date" value={f.to} />
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {rows.length === 0 ? (
          <Empty>{c.t('audit.none')}</Empty>
        ) : (
          <TableWrap label={c.t('audit.title')}>
          <table class="audit">
            <thead>
              <tr>
                <th>#</th>
                <th>{c.t('audit.time')}</th>
                <th>{c.t('audit.actor')}</th>
                <th>{c.t('audit.action')}</th>
                <th>{c.t('audit.entity')}</th>
                <th>{c.t('audit.details')}</th>
                <th>{c.t('audit.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.seq}</td>
                  <td>{shanghaiDateTime(r.at, true)}</td>
                  <td>{actorLabel(c, r.actor, names)}</td>
                  <td title={r.action}>{actionLabel(c, r.action)}</td>
                  <td title={r.entity}>
                    {entityLabel(c, r.entity)} {r.entity_id}
                  </td>
                  <td class="details">
                    <AuditDetails c={c} details={r.details} names={valueNamesAll} entity={r.entity} />
                  </td>
                  <td>
                    <code title={r.hash}>{r.hash.slice(0, 12)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={pageSize} total={total} href={href} />
        <form method="post" action="/admin/audit/verify">
          <Csrf c={c} />
          <button type="submit">{c.t('audit.verify')}</button>
        </form>
      </AdminLayout>,
    );
  });

  app.post('/admin/audit/verify', { config: { permission: 'audit.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const r = await verifyAudit(p.db);
    return reply.html(
      <AdminLayout c={c} title={c.t('audit.verify')}>
        <h1>{c.t('audit.verify')}</h1>
        {r.ok ? <Notice kind="success">{c.t('audit.ok', { n: r.checked })}</Notice> : <Notice kind="error">{c.t('audit.broken', { seq: r.firstBroken!.seq, reason: r.firstBroken!.reason })}</Notice>}
        <p>
          <a href="/admin/audit">{c.t('audit.title')}</a>
        </p>
      </AdminLayout>,
    );
  });

  app.get<{ Querystring: { status?: string; page?: string } }>('/admin/jobs', { config: { permission: 'jobs.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const status = ['pending', 'running', 'dead', 'done'].includes(req.query.status ?? '') ? req.query.status! : 'dead';
    const page = Math.max(1, Math.min(100000, Number(req.query.page) || 1));
    const depth = await p.jobs.depth(p.db);
    const total = Number((await p.db.selectFrom('jobs').select(p.db.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirst())?.n ?? 0);
    const rows = await p.db.selectFrom('jobs').selectAll().where('status', '=', status).orderBy('id', 'desc').limit(50).offset((page - 1) * 50).execute();
    return reply.html(
      <AdminLayout c={c} title={c.t('jobs.title')}>
        <h1>{c.t('jobs.title')}</h1>
        <nav class="tabs" aria-label={c.t('jobs.status')}>
          {['dead', 'pending', 'running', 'done'].map((s) => (
            <a href={`/admin/jobs?status=${s}`} aria-current={s === status ? 'page' : undefined}>
              {c.t(`jobs.${s}`)} {s !== 'done' ? `(${depth[s] ?? 0})` : ''}
            </a>
          ))}
        </nav>
        {rows.length === 0 ? (
          <Empty>{c.t('jobs.none')}</Empty>
        ) : (
          <TableWrap label={c.t('jobs.title')}>
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>{c.t('jobs.kind')}</th>
                <th>{c.t('jobs.attempts')}</th>
                <th>{c.t('jobs.run_at')}</th>
                <th>{c.t('jobs.error')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => (
                <tr>
                  <td>{j.id}</td>
                  <td>
                    <code>{j.kind}</code>
                  </td>
                  <td>
                    {j.attempts}/{j.max_attempts}
                  </td>
                  <td>{j.run_at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{j.last_error ?? ''}</td>
                  <td>
                    {j.status === 'dead' && c.can('jobs.manage') && (
                      <form method="post" action={`/admin/jobs/${j.id}/retry`} class="inline">
                        <Csrf c={c} />
                        <button type="submit">{c.t('jobs.retry')}</button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={50} total={total} href={(n) => `/admin/jobs?status=${status}&page=${n}`} />
      </AdminLayout>,
    );
  });

  app.post<{ Params: { id: string } }>('/admin/jobs/:id/retry', { config: { permission: 'jobs.manage' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw notFound();
    const ok = await p.tx(async (t) => {
      const done = await p.jobs.retry(t, id);
      if (done) await p.audit(t, { actor: `user:${req.user!.username}`, action: 'job.retry', entity: 'job', entityId: id });
      return done;
    });
    if (!ok) throw notFound();
    return reply.redirect('/admin/jobs?status=dead');
  });
}

export const platformModule: GongkaiModule = {
  name: 'platform',
  permissions: [
    { action: 'audit.read', zh: '查看审计日志并校验审计链', en: 'Read the audit log and verify its chain', roles: ['supervisor'] },
    { action: 'jobs.read', zh: '查看任务队列', en: 'See the job queue', roles: [] },
    { action: 'jobs.manage', zh: '重试失败的任务', en: 'Retry dead jobs', roles: [] },
    // Accounts, departments and the government are core tables; the org module is their console.
    { action: 'user.read', zh: '查看本部门用户', en: "See the users of one's departments", roles: ['dept-admin'] },
    { action: 'user.manage', zh: '新建用户、重置密码、停用、改名和授权（限于自己可授予的角色）', en: 'Create users, reset passwords, deactivate, rename and grant roles (only roles one may grant)', roles: ['dept-admin'] },
    { action: 'department.read', zh: '查看部门信息', en: 'See department details', roles: ['dept-admin'] },
    { action: 'department.edit', zh: '编辑部门信息、新建下级部门', en: 'Edit department details, add sub-departments', roles: ['dept-admin'] },
    { action: 'government.edit', zh: '编辑本级政府信息和全局设置', en: 'Edit the government and platform-wide settings', roles: [] },
  ],
  migrations: [...platformMigrations, ...rateLimitMigrations],
  nav: {
    admin: [
      { label: 'nav.audit', href: '/admin/audit', permission: 'audit.read', order: 90 },
      { label: 'nav.jobs', href: '/admin/jobs', permission: 'jobs.read', order: 95 },
    ],
  },
  routes: coreRoutes,
  sitemap: () => [listSource('portal', () => [{ path: '/' }])],
};

