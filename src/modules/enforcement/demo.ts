// The enforcement demo (issue 18, item 8): a realistic year of transparent enforcement in the demo
// district, deterministic from one seed — the registers (about 3,000 entities, 40 inspectors of
// 市场监管局, 文旅局, 应急局 and 生态环境分局, declared conflicts), the 随机抽查事项清单, the plans
// with 12 tasks, their draws and results (demo/inspections.ts says which task is in which state and
// what a demo account can do next), and 200 licensing and penalty decisions (demo/decisions.ts).
// Logins: <dept>-editor, <dept>-approver, <dept>-inspector1/2 for scjg, whly, yjgl, sthj.
import type { Platform } from '../../platform/platform.js';
import type { Principal } from '../../platform/auth/policy.js';
import { loadPrincipal } from '../../platform/auth/identity.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { seededRandom } from '../../platform/random.js';
import { listsMounted } from './service/plans.js';
import { loadRegisters } from './demo/registers.js';
import { loadInspections, loadMatters, type Staff } from './demo/inspections.js';
import { loadDecisions } from './demo/decisions.js';

export const DEMO_SEED = 18_2026;

export async function loadDemoEnforcement(p: Platform): Promise<void> {
  const depts = new Map((await p.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  if (!depts.has('scjg') || (await p.db.selectFrom('enf_entities').select('id').limit(1).executeTakeFirst())) return;
  const users = new Map((await p.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  const principals = new Map<string, Principal | 'demo'>();
  for (const [username, id] of users) {
    if (!/^(scjg|whly|yjgl|sthj)-(editor|approver|inspector\d)$/.test(username)) continue;
    principals.set(username, (await loadPrincipal(p.db, id, 'token')) ?? 'demo');
  }
  const r = seededRandom(DEMO_SEED);
  const today = todayShanghai();
  const registers = await loadRegisters(p, r, depts, users);
  const linked = new Map<string, Principal>();
  for (const i of await p.db.selectFrom('enf_inspectors').select(['cert_no', 'user_id']).where('user_id', 'is not', null).execute()) {
    const username = [...users].find(([, id]) => String(id) === i.user_id)?.[0];
    const who = username && principals.get(username);
    if (who && who !== 'demo') linked.set(i.cert_no, who);
  }
  const staff: Staff = { as: (username) => principals.get(username) ?? 'demo', linked };
  if (listsMounted(p)) {
    await loadMatters(p, depts, Number(today.slice(0, 4)));
    await loadInspections(p, r, depts, staff, today);
  }
  await loadDecisions(p, r, registers.entities, depts, staff.as, today);
}
