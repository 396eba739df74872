// The staff dashboard panel of the lists.
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf } from '../../../platform/auth/policy.js';
import type { PageCtx } from '../../../platform/render/index.js';
import { listFollowups } from '../service/ratings.js';

/** Staff dashboard: drafts awaiting my approval, 差评 still to call back. */
export async function listsDashboard(p: Platform, c: PageCtx) {
  const u = c.user;
  if (!u || !can(u, 'list.read')) return null;
  const approve = scopeOf(u, 'list.approve');
  const edit = scopeOf(u, 'list.edit');
  let waiting = 0;
  if (approve === 'all' || approve.size) {
    let q = p.db.selectFrom('list_editions').innerJoin('lists', 'lists.id', 'list_editions.list_id').select((eb) => eb.fn.countAll<number>().as('n')).where('list_editions.status', '=', 'draft');
    if (approve !== 'all') q = q.where('lists.department_id', 'in', [...approve]);
    waiting = Number((await q.executeTakeFirst())?.n ?? 0);
  }
  let callbacks = 0;
  if (edit === 'all' || edit.size) {
    callbacks = (await listFollowups(p, u)).filter((f) => !f.callbackAt).length;
  }
  return (
    <section class="panel" aria-labelledby="dash-lists">
      <h2 id="dash-lists">{c.t('lists.console')}</h2>
      <ul>
        <li>
          <a href="/admin/lists">{c.t('lists.dash_waiting')}</a>：{waiting}
        </li>
        <li>
          <a href="/admin/lists/followups">{c.t('lists.dash_callbacks')}</a>：{callbacks}
        </li>
      </ul>
    </section>
  );
}
