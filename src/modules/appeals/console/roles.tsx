// What this user does in the appeals centre, said in plain words on the work list and the staff
// dashboard — and who does what they cannot (派单 needs the centre's dispatchers, …).
import type { Platform } from '../../../platform/platform.js';
import type { PageCtx } from '../../../platform/render/index.js';
import { can } from '../../../platform/auth/policy.js';
import { holders } from '../../../platform/auth/identity.js';
import { departmentScope, getSettings, isCentre } from '../service.js';

export interface RoleLine {
  key: string;
  params?: Record<string, string>;
}

/** The user's part (what they may do) and, for the centre's steps they may not take, who takes them. */
export async function roleLines(p: Platform, c: PageCtx): Promise<{ can: RoleLine[]; cannot: RoleLine[] }> {
  const user = c.user;
  if (!user) return { can: [], cannot: [] };
  const [dispatch, review] = await Promise.all([isCentre(p.db, user, 'appeal.handle'), isCentre(p.db, user, 'appeal.approve')]);
  const out: RoleLine[] = [];
  if (can(user, 'appeal.intake')) out.push({ key: 'appeals.role.intake' });
  if (dispatch) out.push({ key: 'appeals.role.dispatch' });
  if (review) out.push({ key: 'appeals.role.review' });
  const handled = [...departmentScope(user, 'appeal.handle')];
  if (!dispatch && handled.length) {
    const names = await p.db.selectFrom('departments').select('name').where('id', 'in', handled).orderBy('sort').execute();
    out.push({ key: 'appeals.role.answer', params: { depts: names.map((d) => d.name).slice(0, 5).join('、') } });
  } else if (!dispatch && departmentScope(user).size) out.push({ key: 'appeals.role.read' });
  if (can(user, 'appeal.urge')) out.push({ key: 'appeals.role.urge' });
  const cannot: RoleLine[] = [];
  if (!dispatch) {
    const { centreId } = await getSettings(p.db);
    const who = (await holders(p.db, 'appeal.handle', centreId)).slice(0, 3).map((h) => `${h.displayName}（${h.username}）`);
    cannot.push({ key: 'appeals.role.no_dispatch', params: { who: who.join('、') || '—' } });
  }
  return { can: out, cannot };
}

/** `sub`: inside a dashboard panel (a third-level heading). */
export function RoleSummary({ c, lines, sub }: { c: PageCtx; lines: { can: RoleLine[]; cannot: RoleLine[] }; sub?: boolean }) {
  if (!lines.can.length && !lines.cannot.length) return null;
  const H = sub ? 'h3' : 'h2';
  return (
    <section class="appeal-role" aria-labelledby="appeal-role-h">
      <H id="appeal-role-h">{c.t('appeals.role.title')}</H>
      <ul>
        {lines.can.map((l) => (
          <li>{c.t(l.key, l.params)}</li>
        ))}
        {lines.cannot.map((l) => (
          <li class="hint">{c.t(l.key, l.params)}</li>
        ))}
      </ul>
    </section>
  );
}
