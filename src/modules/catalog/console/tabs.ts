// The tabs of the documents console: which items each shows to a user, how many, and the tab a
// user lands on (what waits for them first).
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { STAGES } from '../../../platform/publication/index.js';
import { DOCUMENT } from '../items.js';

export const TABS = ['mine', 'waiting', 'published', 'all'] as const;
export type Tab = (typeof TABS)[number];

/** The documents a tab lists for the user (within the departments whose content they may read). */
export function tabQuery(p: Platform, u: Principal, tab: Tab) {
  const scope = scopeOf(u, 'content.read');
  let q = p.db.selectFrom('pub_items as i').innerJoin('departments as d', 'd.id', 'i.department_id').where('i.type', '=', DOCUMENT);
  if (scope !== 'all') q = q.where('i.department_id', 'in', scope.size ? [...scope] : [-1]);
  if (tab === 'mine') q = q.where('i.created_by', '=', u.id).where('i.status', 'in', ['draft', 'secrecy_review', 'review', 'signing', 'scheduled']);
  if (tab === 'published') q = q.where('i.public', '=', 1);
  if (tab === 'waiting') {
    // Items at a stage the user may act on, in a department where they may.
    const conds: [string, Set<number> | 'all'][] = STAGES.map((s) => [s.state, scopeOf(u, s.action)]);
    q = q.where((eb) =>
      eb.or(
        conds
          .filter(([, sc]) => sc === 'all' || sc.size > 0)
          .map(([state, sc]) => (sc === 'all' ? eb('i.status', '=', state) : eb.and([eb('i.status', '=', state), eb('i.department_id', 'in', [...sc])])))
          .concat([eb('i.id', '=', -1)]),
      ),
    );
  }
  return q;
}

/** How many documents each tab lists for the user. */
export async function tabCounts(p: Platform, u: Principal): Promise<Record<Tab, number>> {
  const out = {} as Record<Tab, number>;
  for (const t of TABS) out[t] = Number((await tabQuery(p, u, t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  return out;
}

/**
 * The tab a user lands on: what waits for them if anything does; else their own drafts if they
 * have some or may write; else, for a reviewer or signer, the (empty) waiting list; else everything.
 */
export function landingTab(u: Principal, n: Record<Tab, number>): Tab {
  if (n.waiting > 0) return 'waiting';
  if (n.mine > 0 || can(u, 'content.create')) return 'mine';
  if (STAGES.some((s) => can(u, s.action))) return 'waiting';
  return 'all';
}
