// Public pages of the draws and results: the draw notice (抽取公告) at /enforcement/draws/{id} —
// the published inputs and commitments, then the secrets, seed and selection, each version with
// its SM3 hash, and the links to re-run it — and /enforcement/tasks/{taskId}/results, which leads
// to the task's 结果公告 in the catalog.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { Dl, Notice, PublicLayout, TableWrap, zhLang } from '../../../platform/render/index.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { DRAW_NOTICE, DrawNoticeBody, RESULT_NOTICE, type DrawNoticeData } from '../items.js';

const idParam = (s: string): number => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};

export async function drawNoticePages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>('/enforcement/draws/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const id = idParam(req.params.id);
    const item = await p.db
      .selectFrom('pub_items as i')
      .innerJoin('departments as d', 'd.id', 'i.department_id')
      .select(['i.id', 'i.title', 'i.index_no', 'i.summary', 'i.public', 'i.published_version', 'i.first_published_at', 'i.published_at', 'd.name as department'])
      .where('i.id', '=', id)
      .where('i.type', '=', DRAW_NOTICE)
      .executeTakeFirst();
    if (!item || !item.public || !item.published_version) throw notFound();
    const versions = await p.db.selectFrom('pub_versions').select(['version', 'data', 'change_note', 'hash', 'published_at']).where('item_id', '=', id).where('published_at', 'is not', null).orderBy('version').execute();
    const current = versions.find((v) => v.version === item.published_version);
    if (!current) throw notFound();
    const d = JSON.parse(current.data) as DrawNoticeData;
    const task = await p.db.selectFrom('enf_tasks').select(['state', 'result_item_id']).where('id', '=', d.taskId).executeTakeFirst();
    const c = req.ctx(reply);
    const catalog = p.modules.some((m) => m.name === 'catalog');
    return reply.html(
      <PublicLayout c={c} title={item.title} description={item.summary || c.t('enforcement.draws.meta', { task: d.task })} canonical={`/enforcement/draws/${id}`}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.draws.breadcrumb')}>
          <a href="/enforcement">{c.t('nav.enforcement')}</a> › <a href={`/enforcement/tasks/${d.taskId}`} lang={zhLang(c)}>{d.task}</a>
        </nav>
        <h1 lang={zhLang(c)}>{item.title}</h1>
        <Dl
          rows={[
            [c.t('enforcement.draws.index_no'), item.index_no ?? ''],
            [c.t('enforcement.draws.publisher'), <span lang={zhLang(c)}>{item.department}</span>],
            [c.t('enforcement.draws.published_at'), shanghaiDate(item.first_published_at)],
            [c.t('enforcement.draws.status'), c.t(d.seed ? 'enforcement.draws.status_done' : 'enforcement.draws.status_prepared')],
          ]}
        />
        <ul class="links draw-links">
          <li>
            <a href={`/api/v1/inspections/draws/${id}`} type="application/json">{c.t('enforcement.draws.record_link')}</a>
          </li>
          <li>
            <a href={`/enforcement/draws/${id}/verify`}>{c.t('enforcement.draws.verify_link')}</a>
          </li>
          {task?.state === 'published' && task.result_item_id && (
            <li>
              <a href={`/enforcement/tasks/${d.taskId}/results`}>{c.t('enforcement.results.notice_link')}</a>
            </li>
          )}
        </ul>
        <p class="hint">{c.t(d.seed ? 'enforcement.draws.method_done' : 'enforcement.draws.method_prepared')}</p>
        {!d.seed && <Notice kind="info">{c.t('enforcement.draws.commit_hint')}</Notice>}
        <DrawNoticeBody c={c} d={d} />
        <h2>{c.t('enforcement.draws.versions')}</h2>
        <p class="hint">{c.t('enforcement.draws.versions_intro')}</p>
        <TableWrap label={c.t('enforcement.draws.versions')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{c.t('enforcement.draws.version')}</th>
                <th scope="col">{c.t('enforcement.draws.published_at')}</th>
                <th scope="col">{c.t('enforcement.draws.change_note')}</th>
                <th scope="col">SM3</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr>
                  <td>{catalog ? <a href={`/catalog/items/${id}/versions/${v.version}.json`}>{v.version}</a> : v.version}</td>
                  <td>{shanghaiDateTime(v.published_at, true)}</td>
                  <td lang={zhLang(c)}>{v.change_note || '—'}</td>
                  <td>
                    <code class="hash">{v.hash}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </PublicLayout>,
    );
  });

  // The task's 结果公告 is a catalog item; this address leads there once it is published.
  app.get<{ Params: { id: string } }>('/enforcement/tasks/:id/results', { config: { permission: 'public' } }, async (req, reply) => {
    const taskId = idParam(req.params.id);
    const row = await p.db
      .selectFrom('enf_tasks as t')
      .innerJoin('pub_items as i', 'i.id', 't.result_item_id')
      .select(['i.id'])
      .where('t.id', '=', taskId)
      .where('i.type', '=', RESULT_NOTICE)
      .where('i.public', '=', 1)
      .executeTakeFirst();
    if (!row) throw notFound('enforcement.err.no_results');
    return reply.redirect(`/catalog/items/${row.id}`, 302);
  });
}
