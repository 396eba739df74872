/** @jsxImportSource preact */
// Public pages: rendered with the platform's layout; citizen-visible text is escaped by Preact.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../src/platform/platform.js';
import { PublicLayout, Empty, Dl } from '../../src/platform/render/index.js';
import { notFound } from '../../src/platform/errors.js';
import { getItemRow, getVersion } from '../../src/platform/publication/index.js';
import type { NoticeData } from './items.js';
import { publicNotices } from './service.js';

export async function noticesPublic(app: FastifyInstance, p: Platform): Promise<void> {
  app.get('/notices', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rows = await publicNotices(p);
    return reply.html(
      <PublicLayout c={c} title={c.t('notices.title')} description={c.t('notices.description', { name: c.gov.name })}>
        <h1>{c.t('notices.title')}</h1>
        {rows.length === 0 ? (
          <Empty>{c.t('notices.empty')}</Empty>
        ) : (
          <ul class="list">
            {rows.map((r) => (
              <li>
                <a href={`/notices/${r.id}`}>{r.title}</a> <span class="muted">{r.index_no} · {c.t('notices.closes_on', { date: r.closes_on })}</span>
              </li>
            ))}
          </ul>
        )}
      </PublicLayout>,
    );
  });

  // One notice: the published version from the spine (a withdrawn one is gone).
  app.get<{ Params: { id: string } }>('/notices/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const id = Number(req.params.id);
    const item = Number.isSafeInteger(id) && id > 0 ? await getItemRow(p.db, id) : null;
    if (!item || item.type !== 'notice' || !item.public || !item.published_version) throw notFound();
    const v = (await getVersion(p.db, id, item.published_version))!;
    const c = req.ctx(reply);
    return reply.html(
      <PublicLayout c={c} title={item.title} description={(v.data as NoticeData).body}>
        <h1>{item.title}</h1>
        <Dl rows={[['索引号', item.index_no ?? ''], [c.t('notices.display_days'), String((v.data as NoticeData).displayDays)]]} />
        <p class="notice-body">{(v.data as NoticeData).body}</p>
      </PublicLayout>,
    );
  });
}
