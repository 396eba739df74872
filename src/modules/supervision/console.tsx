// The supervision dashboard, its CSV export and the dashboard panel (the inbox is the platform's).
import { unreadCount } from '../../platform/messaging/inbox.js';
import { csvCell } from '../../platform/files/csv.js';
import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Empty, Notice, Pager, Select, TableWrap, type PageCtx } from '../../platform/render/index.js';
import { notFound } from '../../platform/errors.js';
import { getThresholds, listRules } from '../../platform/deadlines/index.js';
import { StatusBadge, DueDate } from '../calendar/views.js';
import { attentionList, boundaries, countsByDepartment, STATUS_BUCKETS, supervisionScope, trend } from './service.js';


export async function supervisionPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { status?: string; page?: string } }>('/admin/supervision', { config: { permission: 'supervision.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const scope = supervisionScope(req.user);
    const b = await boundaries(p.db);
    const th = await getThresholds(p.db);
    const status = (STATUS_BUCKETS as readonly string[]).includes(req.query.status ?? '') && req.query.status !== 'paused' && req.query.status !== 'finished' ? req.query.status : undefined;
    const page = Math.max(1, Math.min(10000, Number(req.query.page) || 1));
    const [counts, list, tr, depts] = await Promise.all([
      countsByDepartment(p.db, scope, b),
      attentionList(p.db, scope, b, { status, limit: 50, offset: (page - 1) * 50 }),
      trend(p.db, scope, 30, b.today),
      p.db.selectFrom('departments').select(['id', 'name', 'sort']).execute(),
    ]);
    const names = new Map(depts.map((d) => [d.id, d.name]));
    const order = new Map(depts.map((d) => [d.id, d.sort]));
    counts.sort((a, b2) => (order.get(a.departmentId ?? -1) ?? 1e9) - (order.get(b2.departmentId ?? -1) ?? 1e9));
    const totals = Object.fromEntries(STATUS_BUCKETS.map((s) => [s, counts.reduce((n, x) => n + x.counts[s], 0)]));
    const max = Math.max(1, ...tr.map((d) => (d.counts.overdue ?? 0) + (d.counts['seriously-overdue'] ?? 0) + (d.counts.warning ?? 0) + (d.counts['due-today'] ?? 0)));
    const ruleNames = new Map((await listRules(p.db)).map((r) => [r.code, c.locale === 'en' ? r.nameEn : r.nameZh]));
    const qs = (n: number) => `/admin/supervision?${new URLSearchParams({ ...(status ? { status } : {}), page: String(n) })}`;
    return reply.html(
      <AdminLayout c={c} title={c.t('supervision.title')}>
        <h1>{c.t('supervision.title')}</h1>
        <p>{c.t('supervision.intro', { lead: th.warningLead, serious: th.seriousAfter })}</p>
        <p>
          {c.t('supervision.today', { day: b.today })} · <a href={`/admin/supervision/export.csv${status ? `?status=${status}` : ''}`}>{c.t('supervision.export')}</a>
        </p>
        <section aria-labelledby="by-dept">
          <h2 id="by-dept">{c.t('supervision.by_department')}</h2>
          <TableWrap label={c.t('supervision.by_department')}>
            <table class="supervision-counts">
              <thead>
                <tr>
                  <th scope="col">{c.t('supervision.department')}</th>
                  {STATUS_BUCKETS.map((s) => (
                    <th scope="col">{c.t(`deadlines.status.${s}`)}</th>
                  ))}
                  <th scope="col">{c.t('supervision.total')}</th>
                </tr>
              </thead>
              <tbody>
                {counts.map((x) => (
                  <tr>
                    <th scope="row">{x.departmentId == null ? c.t('supervision.no_department') : names.get(x.departmentId) ?? x.departmentId}</th>
                    {STATUS_BUCKETS.map((s) => (
                      <td class={x.counts[s] && s !== 'normal' && s !== 'paused' && s !== 'finished' ? `status-${s}` : undefined}>{x.counts[s]}</td>
                    ))}
                    <td>{x.total}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{c.t('supervision.total')}</th>
                  {STATUS_BUCKETS.map((s) => (
                    <td>{totals[s]}</td>
                  ))}
                  <td>{counts.reduce((n, x) => n + x.total, 0)}</td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
        </section>
        <section aria-labelledby="attention">
          <h2 id="attention">{c.t('supervision.attention', { n: list.total })}</h2>
          <form method="get" class="filters">
            <Select label={c.t('supervision.filter_status')} name="status" value={status ?? ''} blank={c.t('common.all')} options={['warning', 'due-today', 'overdue', 'seriously-overdue', 'normal'].map((s) => ({ value: s, label: c.t(`deadlines.status.${s}`) }))} />
            <button type="submit">{c.t('common.filter')}</button>
          </form>
          {list.items.length === 0 ? (
            <Empty>{c.t('supervision.none')}</Empty>
          ) : (
            <TableWrap label={c.t('supervision.attention', { n: list.total })}>
              <table class="supervision-list">
                <thead>
                  <tr>
                    <th scope="col">{c.t('supervision.subject')}</th>
                    <th scope="col">{c.t('supervision.department')}</th>
                    <th scope="col">{c.t('supervision.rule')}</th>
                    <th scope="col">{c.t('supervision.due')}</th>
                    <th scope="col">{c.t('supervision.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((i) => (
                    <tr>
                      <td>
                        <a href={i.url || `/admin/clocks/${i.id}`}>{i.title || `${i.subjectType} ${i.subjectId}`}</a> <a class="hint" href={`/admin/clocks/${i.id}`}>{c.t('supervision.explain')}</a>
                      </td>
                      <td>{i.departmentId == null ? '' : names.get(i.departmentId) ?? ''}</td>
                      <td>{ruleNames.get(i.rule) ?? i.rule}</td>
                      <td>
                        <DueDate c={c} due={i.due} dueAt={i.dueAt} provisional={i.provisional} />
                      </td>
                      <td>
                        <StatusBadge c={c} status={i.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <Pager c={c} page={page} pageSize={50} total={list.total} href={qs} />
        </section>
        <section aria-labelledby="trend">
          <h2 id="trend">{c.t('supervision.trend')}</h2>
          {tr.length === 0 ? (
            <Empty>{c.t('supervision.no_trend')}</Empty>
          ) : (
            <TableWrap label={c.t('supervision.trend')}>
            <table class="trend">
              <thead>
                <tr>
                  <th scope="col">{c.t('supervision.day')}</th>
                  {['warning', 'due-today', 'overdue', 'seriously-overdue'].map((s) => (
                    <th scope="col">{c.t(`deadlines.status.${s}`)}</th>
                  ))}
                  <th scope="col" aria-hidden="true"></th>
                </tr>
              </thead>
              <tbody>
                {tr.map((d) => {
                  const w = (d.counts.warning ?? 0) + (d.counts['due-today'] ?? 0);
                  const o = (d.counts.overdue ?? 0) + (d.counts['seriously-overdue'] ?? 0);
                  return (
                    <tr>
                      <th scope="row">{d.day}</th>
                      <td>{d.counts.warning ?? 0}</td>
                      <td>{d.counts['due-today'] ?? 0}</td>
                      <td>{d.counts.overdue ?? 0}</td>
                      <td>{d.counts['seriously-overdue'] ?? 0}</td>
                      <td aria-hidden="true">
                        <meter class="bar-warning" min={0} max={max} value={w} />
                        <meter class="bar-overdue" min={0} max={max} value={o} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            </TableWrap>
          )}
        </section>
      </AdminLayout>,
    );
  });

  app.get<{ Querystring: { status?: string } }>('/admin/supervision/export.csv', { config: { permission: 'supervision.read' } }, async (req, reply) => {
    const scope = supervisionScope(req.user);
    const b = await boundaries(p.db);
    const status = ['warning', 'due-today', 'overdue', 'seriously-overdue', 'normal'].includes(req.query.status ?? '') ? req.query.status : 'all';
    const depts = new Map((await p.db.selectFrom('departments').select(['id', 'code', 'name']).execute()).map((d) => [d.id, d]));
    const list = status === 'all' ? await attentionList(p.db, scope, b, { status: undefined, limit: 100000 }) : await attentionList(p.db, scope, b, { status, limit: 100000 });
    const header = ['clock_id', 'subject_type', 'subject_id', 'title', 'department_code', 'department', 'rule', 'start', 'due', 'provisional', 'status', 'url'];
    const lines = [header.join(',')];
    for (const i of list.items) {
      const d = i.departmentId != null ? depts.get(i.departmentId) : undefined;
      lines.push([i.id, i.subjectType, i.subjectId, i.title, d?.code ?? '', d?.name ?? '', i.rule, i.start, i.dueAt ? i.dueAt.replace('T', ' ') : i.due, i.provisional ? 1 : 0, i.status, i.url].map(csvCell).join(','));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="supervision-${b.today}.csv"`)
      .send('\uFEFF' + lines.join('\r\n') + '\r\n');
  });
}

/** The staff dashboard panel: unread notifications and the caller's departments' counts. */
export async function supervisionPanel(p: Platform, c: PageCtx): Promise<VNode | null> {
  if (!c.user) return null;
  const unread = await unreadCount(p.db, c.user.id);
  let counts: { warning: number; today: number; overdue: number } | null = null;
  if (c.can('supervision.read')) {
    const b = await boundaries(p.db);
    const rows = await countsByDepartment(p.db, supervisionScope(c.user), b);
    counts = { warning: rows.reduce((n, r) => n + r.counts.warning, 0), today: rows.reduce((n, r) => n + r.counts['due-today'], 0), overdue: rows.reduce((n, r) => n + r.counts.overdue + r.counts['seriously-overdue'], 0) };
  }
  return (
    <section class="panel supervision-panel" aria-labelledby="panel-supervision">
      <h2 id="panel-supervision">{c.t('supervision.panel')}</h2>
      <p>
        <a href="/admin/inbox" class={unread ? 'unread-count has-unread' : 'unread-count'}>
          {c.t('supervision.unread', { n: unread })}
        </a>
      </p>
      {counts && (
        <p>
          <a href="/admin/supervision">{c.t('supervision.panel_counts', counts)}</a>
        </p>
      )}
      {counts && counts.overdue > 0 && <Notice kind="warning">{c.t('deadlines.status.overdue')}{c.t('common.colon')}{counts.overdue}</Notice>}
    </section>
  );
}
