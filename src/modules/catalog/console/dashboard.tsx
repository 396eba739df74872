// The staff dashboard panel of the catalog.
import type { Platform } from '../../../platform/platform.js';
import type { PageCtx } from '../../../platform/render/index.js';
import { can, scopeOf } from '../../../platform/auth/policy.js';
import { STAGES } from '../../../platform/publication/index.js';
import { DOCUMENT } from '../items.js';

/** The staff dashboard panel: counts of my drafts and items waiting for me. */
export async function catalogDashboard(p: Platform, c: PageCtx) {
  const u = c.user;
  if (!u || !can(u, 'content.read')) return null;
  const scope = scopeOf(u, 'content.read');
  let waiting = 0;
  for (const s of STAGES) {
    const sc = scopeOf(u, s.action);
    if (sc !== 'all' && sc.size === 0) continue;
    let q = p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', DOCUMENT).where('status', '=', s.state);
    if (sc !== 'all') q = q.where('department_id', 'in', [...sc]);
    waiting += Number((await q.executeTakeFirst())?.n ?? 0);
  }
  let dq = p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', DOCUMENT).where('created_by', '=', u.id).where('status', '=', 'draft');
  if (scope !== 'all') dq = dq.where('department_id', 'in', scope.size ? [...scope] : [-1]);
  const drafts = Number((await dq.executeTakeFirst())?.n ?? 0);
  return (
    <section class="panel" aria-labelledby="dash-catalog">
      <h2 id="dash-catalog">{c.t('catalog.console')}</h2>
      <ul>
        <li>
          <a href="/admin/catalog?tab=mine">{c.t('catalog.tab.mine')}</a>：{drafts}
        </li>
        <li>
          <a href="/admin/catalog?tab=waiting">{c.t('catalog.tab.waiting')}</a>：{waiting}
        </li>
      </ul>
    </section>
  );
}
