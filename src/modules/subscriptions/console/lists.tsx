// Staff console: /admin/subscriptions — every subscriber list with its counts per channel and
// frequency; /admin/subscriptions/lists/{id} — the addresses, only for staff allowed to see them
// in the list's department (else 404, as if it did not exist).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Empty, TableWrap } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { maskPhone } from '../../../platform/privacy/index.js';
import { listCounts, listSubscribers, maySeeAddresses, unreachableCounts } from '../service/staff.js';
import { describeList } from '../service/describe.js';

export function subscriptionConsole(app: FastifyInstance, p: Platform): void {
  app.get('/admin/subscriptions', { config: { permission: 'subscriptions.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const lists = await listCounts(p, c.locale);
    const unreachable = await unreachableCounts(p);
    return reply.html(
      <AdminLayout c={c} title={c.t('subscriptions.console.title')}>
        <h1>{c.t('subscriptions.console.title')}</h1>
        <p class="hint">{c.t('subscriptions.console.intro')}</p>
        <p class="subscriptions-unreachable">{c.t('subscriptions.console.unreachable', unreachable)}</p>
        {lists.length === 0 ? (
          <Empty>{c.t('subscriptions.console.empty')}</Empty>
        ) : (
          <TableWrap label={c.t('subscriptions.console.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('subscriptions.console.col.target')}</th>
                  <th scope="col">{c.t('subscriptions.channel.email')}</th>
                  <th scope="col">{c.t('subscriptions.channel.sms')}</th>
                  <th scope="col">{c.t('subscriptions.frequency.immediately')}</th>
                  <th scope="col">{c.t('subscriptions.frequency.daily')}</th>
                  <th scope="col">{c.t('subscriptions.frequency.weekly')}</th>
                  <th scope="col">{c.t('subscriptions.state.pending')}</th>
                </tr>
              </thead>
              <tbody>
                {lists.map((l) => (
                  <tr>
                    <td>{maySeeAddresses(req.user, l.departmentId) ? <a href={`/admin/subscriptions/lists/${l.id}`}>{l.title}</a> : l.title}</td>
                    <td>{l.email}</td>
                    <td>{l.sms}</td>
                    <td>{l.immediately}</td>
                    <td>{l.daily}</td>
                    <td>{l.weekly}</td>
                    <td>{l.pending}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/admin/subscriptions/lists/:id', { config: { permission: 'subscriptions.read' } }, async (req, reply) => {
    const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : 0;
    if (!id) throw notFound();
    const c = req.ctx(reply);
    const rows = await listSubscribers(p, req.user, id);
    const title = await describeList(p.db, id, c.locale);
    return reply.html(
      <AdminLayout c={c} title={title}>
        <p>
          <a href="/admin/subscriptions">{c.t('subscriptions.console.title')}</a>
        </p>
        <h1>{title}</h1>
        {rows.length === 0 ? (
          <Empty>{c.t('subscriptions.console.no_subscribers')}</Empty>
        ) : (
          <TableWrap label={title}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('subscriptions.form.address')}</th>
                  <th scope="col">{c.t('subscriptions.form.frequency')}</th>
                  <th scope="col">{c.t('subscriptions.console.col.state')}</th>
                  <th scope="col">{c.t('subscriptions.console.col.since')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>{r.channel === 'sms' ? maskPhone(r.address) : r.address}</td>
                    <td>{c.t(`subscriptions.frequency.${r.frequency}`)}</td>
                    <td>{c.t(`subscriptions.state.${r.state === 'active' && r.subscriber_state !== 'active' ? r.subscriber_state : r.state}`)}</td>
                    <td>{shanghaiDateTime(r.confirmed_at ?? r.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
    );
  });
}
