// A notice board's work list on its console page: notices to take down (withdrawn) or replace (a
// new version), new items to post, each with its printable notice and a "posted" button that
// writes the ledger; then what the board carries now.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Empty, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { ACTION, type Outlet } from '../service/outlets.js';
import { boardTasks, confirmBoard, type BoardEntry } from '../service/boards.js';

const BASE = '/admin/channels/outlets';

function Row({ c, o, x }: { c: PageCtx; o: Outlet; x: BoardEntry }) {
  const label = x.task === 'remove' ? 'outlets.board_remove' : x.task === 'replace' ? 'outlets.board_replace' : 'outlets.board_new';
  return (
    <tr data-item={x.itemId} data-task={x.task}>
      <td>
        <span class={x.task === 'post' ? 'badge' : 'badge warn'}>{c.t(label)}</span>
      </td>
      <td>
        {x.title}
        {x.postedVersion !== null && <small> {c.t('outlets.version', { v: x.postedVersion })}</small>}
      </td>
      <td>{x.indexNo ?? '—'}</td>
      <td>{x.department}</td>
      <td>
        {x.task !== 'remove' && (
          <a href={`/print/items/${x.itemId}`} target="_blank" rel="noopener">{c.t('outlets.print')}</a>
        )}{' '}
        <form method="post" action={`${BASE}/${o.id}/posted`} class="inline">
          <Csrf c={c} />
          <input type="hidden" name="item" value={String(x.itemId)} />
          <input type="hidden" name="what" value={x.task === 'remove' ? 'removed' : 'posted'} />
          <button type="submit">{c.t(x.task === 'remove' ? 'outlets.removed' : 'outlets.posted')}</button>
        </form>
      </td>
    </tr>
  );
}

export async function BoardPanel({ c, p, o }: { c: PageCtx; p: Platform; o: Outlet }) {
  const { tasks, posted } = await boardTasks(p, o);
  const head = (
    <thead>
      <tr>
        <th scope="col">{c.t('outlets.kind')}</th>
        <th scope="col">{c.t('outlets.name')}</th>
        <th scope="col">{c.t('print.index_no')}</th>
        <th scope="col">{c.t('print.department')}</th>
        <th scope="col">{c.t('outlets.posted')}</th>
      </tr>
    </thead>
  );
  return (
    <section aria-labelledby="board-h">
      <h2 id="board-h">{c.t('outlets.board_title')}</h2>
      <p>{c.t('outlets.board_intro')}</p>
      {tasks.length === 0 ? (
        <Empty>{c.t('outlets.board_none')}</Empty>
      ) : (
        <TableWrap label={c.t('outlets.board_title')}>
          <table class="board-tasks">
            {head}
            <tbody>
              {tasks.map((x) => (
                <Row c={c} o={o} x={x} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>{c.t('outlets.posted_list')}</h2>
      {posted.length === 0 ? (
        <Empty>{c.t('outlets.board_none')}</Empty>
      ) : (
        <ul class="board-posted">
          {posted.map((x) => (
            <li data-item={x.itemId}>
              {x.title} <small>{x.indexNo} · {c.t('outlets.version', { v: x.postedVersion ?? '' })} · {c.t('outlets.posted_at')} {shanghaiDate(x.at)}</small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export async function boardsConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.post<{ Params: { id: string }; Body: Record<string, string | string[] | undefined> }>(`${BASE}/:id/posted`, { config: { permission: ACTION } }, async (req, reply) => {
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
    await confirmBoard(p, req.user!, req.params.id, one(req.body?.item), one(req.body?.what));
    return reply.redirect(`${BASE}/${req.params.id}`, 303);
  });
}
