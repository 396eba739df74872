// Who may change a staff user. The rule: a caller may reset the password of, deactivate, rename or
// change the roles of a user only if the caller may grant every role that user holds, in every
// department it holds it; admins and supervisors are changed only by admins; nobody removes the
// last active admin. The matrix below tries every caller against every kind of target on every
// user-changing route, HTML and API, and checks both the answer and that nothing changed when
// refused. The expectation is computed by `expected()`, a plain restatement of the rule over the
// fixture's department tree (not the code under test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, login, makeEnv, type TestEnv } from '../helpers.js';
import { createDepartment, createUser, setActive, setRoles, type RoleInput } from '../../src/modules/org/service.js';

const PW = 'Strong-pass-2026';
const NEW_PW = 'Another-pass-2027';

// dzb ─ gkb ─ gkbx ; fgj
const TREE: Record<string, string[]> = { dzb: ['dzb', 'gkb', 'gkbx'], gkb: ['gkb', 'gkbx'], gkbx: ['gkbx'], fgj: ['fgj'] };
const covered = (dept: string, children: boolean) => (children ? TREE[dept] : [dept]);

interface Spec {
  home: string;
  roles: { role: string; department: string; includeChildren: boolean }[];
}
const r = (role: string, department: string, includeChildren = false) => ({ role, department, includeChildren });

const CALLERS: Record<string, Spec> = {
  'c-admin': { home: 'dzb', roles: [r('admin', 'dzb')] },
  'c-dzbadmin-all': { home: 'dzb', roles: [r('dept-admin', 'dzb', true)] },
  'c-dzbadmin': { home: 'dzb', roles: [r('dept-admin', 'dzb')] },
  'c-gkbadmin': { home: 'gkb', roles: [r('dept-admin', 'gkb', true)] },
  'c-fgjadmin': { home: 'fgj', roles: [r('dept-admin', 'fgj')] },
  'c-editor': { home: 'dzb', roles: [r('editor', 'dzb', true)] },
  'c-super': { home: 'gkb', roles: [r('supervisor', 'gkb')] },
};

const TARGETS: Record<string, Spec> = {
  't-admin': { home: 'dzb', roles: [r('admin', 'dzb')] },
  't-super': { home: 'gkb', roles: [r('supervisor', 'gkb')] },
  't-dzbadmin': { home: 'dzb', roles: [r('dept-admin', 'dzb', true)] },
  't-editor': { home: 'dzb', roles: [r('editor', 'dzb')] },
  't-editor-all': { home: 'dzb', roles: [r('editor', 'dzb', true)] },
  't-gkbeditor': { home: 'gkb', roles: [r('editor', 'gkb'), r('reviewer', 'gkbx')] },
  't-mixed': { home: 'dzb', roles: [r('editor', 'dzb'), r('reviewer', 'fgj')] },
  't-fgj': { home: 'fgj', roles: [r('approver', 'fgj')] },
  't-gkbx-admin-elsewhere': { home: 'gkbx', roles: [r('editor', 'gkbx'), r('dept-admin', 'dzb')] },
};

/** The rule, restated over the fixture: may `caller` change (or create) a user like `target`? */
function expected(caller: Spec, target: Spec): boolean {
  if (caller.roles.some((g) => g.role === 'admin')) return true;
  const reach = new Set(caller.roles.filter((g) => g.role === 'dept-admin').flatMap((g) => covered(g.department, g.includeChildren)));
  if (!reach.has(target.home)) return false;
  return target.roles.every((g) => g.role !== 'admin' && g.role !== 'supervisor' && covered(g.department, g.includeChildren).every((d) => reach.has(d)));
}

let env: TestEnv;
const sessions: Record<string, { cookie: string; csrf: string }> = {};

async function snapshot(username: string) {
  const u = await env.p.db.selectFrom('users').select(['id', 'password_hash', 'display_name', 'email', 'active']).where('username', '=', username).executeTakeFirstOrThrow();
  const roles = await env.p.db.selectFrom('user_roles').select(['role', 'department_id', 'include_children']).where('user_id', '=', u.id).orderBy('id').execute();
  return { ...u, roles };
}

async function restore(username: string, before: Awaited<ReturnType<typeof snapshot>>) {
  await env.p.db.updateTable('users').set({ password_hash: before.password_hash, display_name: before.display_name, email: before.email, active: before.active }).where('id', '=', before.id).execute();
  await env.p.db.deleteFrom('user_roles').where('user_id', '=', before.id).execute();
  for (const g of before.roles) await env.p.db.insertInto('user_roles').values({ user_id: before.id, ...g }).execute();
}

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await createDepartment(env.p, 'cli', { code: 'dzb', name: '党政办公室', kind: 'office' });
  await createDepartment(env.p, 'cli', { code: 'gkb', name: '政务公开办公室', kind: 'office', parentCode: 'dzb' });
  await createDepartment(env.p, 'cli', { code: 'gkbx', name: '公开科', kind: 'office', parentCode: 'gkb' });
  await createDepartment(env.p, 'cli', { code: 'fgj', name: '发展和改革局', kind: 'bureau' });
  for (const [username, s] of [...Object.entries(CALLERS), ...Object.entries(TARGETS)]) {
    await createUser(env.p, 'cli', { username, password: PW, department: s.home, roles: s.roles as RoleInput[] });
  }
  for (const username of Object.keys(CALLERS)) {
    const l = await login(env.app, username, PW);
    expect(l.status, username).toBe(302);
    sessions[username] = l;
  }
}, 120_000);
afterAll(async () => env?.close());

interface Route {
  name: string;
  /** Sends the change as `caller` against `target`; returns the status. */
  send(caller: string, target: string, targetSpec: Spec): Promise<number>;
  /** Did the change happen? */
  changed(before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>): boolean;
}

const htmlPost = async (caller: string, url: string, data: Record<string, string>) => {
  const s = sessions[caller];
  const res = await env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...data, _csrf: s.csrf }) });
  return res.statusCode;
};

// New roles chosen so that the caller could grant them if it may change the user at all: a
// refusal then comes from the roles the user holds now.
const newRoles = (t: Spec) => [{ role: 'reviewer', department: t.home, includeChildren: false }];
const rolesChanged = (a: Awaited<ReturnType<typeof snapshot>>, b: Awaited<ReturnType<typeof snapshot>>) => JSON.stringify(a.roles) !== JSON.stringify(b.roles);

const ROUTES: Route[] = [
  { name: 'POST /admin/users/:u/password', send: (c, t) => htmlPost(c, `/admin/users/${t}/password`, { password: NEW_PW }), changed: (a, b) => a.password_hash !== b.password_hash },
  { name: 'POST /admin/users/:u/deactivate', send: (c, t) => htmlPost(c, `/admin/users/${t}/deactivate`, { confirm: 'yes' }), changed: (a, b) => a.active !== b.active },
  { name: 'POST /admin/users/:u/profile', send: (c, t) => htmlPost(c, `/admin/users/${t}/profile`, { displayName: '改名测试', email: 'x@example.cn' }), changed: (a, b) => a.display_name !== b.display_name },
  {
    name: 'POST /admin/users/:u/roles',
    send: (c, t, s) => htmlPost(c, `/admin/users/${t}/roles`, { count: '1', role0: newRoles(s)[0].role, dept0: newRoles(s)[0].department }),
    changed: rolesChanged,
  },
  { name: 'PUT /api/v1/users/:u/roles', send: async (c, t, s) => (await env.api('PUT', `/api/v1/users/${t}/roles`, { as: c, body: { roles: newRoles(s) } })).statusCode, changed: rolesChanged },
  { name: 'PATCH /api/v1/users/:u', send: async (c, t) => (await env.api('PATCH', `/api/v1/users/${t}`, { as: c, body: { displayName: '改名测试' } })).statusCode, changed: (a, b) => a.display_name !== b.display_name },
];

describe('changing a staff user needs the right to grant every role they hold', () => {
  it('the whole matrix: every caller × every kind of target × every user-changing route', async () => {
    const failures: string[] = [];
    let allowed = 0;
    let refused = 0;
    for (const [caller, cs] of Object.entries(CALLERS)) {
      for (const [target, ts] of Object.entries(TARGETS)) {
        const want = expected(cs, ts);
        for (const route of ROUTES) {
          const before = await snapshot(target);
          const status = await route.send(caller, target, ts);
          const after = await snapshot(target);
          const did = route.changed(before, after);
          const label = `${caller} → ${target} via ${route.name}: status ${status}, changed ${did}, expected ${want ? 'allowed' : 'refused'}`;
          if (want) {
            allowed++;
            if (!did || status >= 400) failures.push(label);
          } else {
            refused++;
            if (did || ![403, 404].includes(status)) failures.push(label);
          }
          await restore(target, before);
        }
      }
    }
    expect(failures).toEqual([]);
    // The matrix really exercises both sides of the rule.
    expect(allowed).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(150);
  }, 240_000);

  it('creating a user follows the same rule: the caller must be able to grant every role given', async () => {
    const failures: string[] = [];
    let n = 0;
    for (const [caller, cs] of Object.entries(CALLERS)) {
      for (const [target, ts] of Object.entries(TARGETS)) {
        const username = `n${++n}-${target.slice(2, 10)}`;
        const res = await env.api('POST', '/api/v1/users', { as: caller, body: { username, password: PW, department: ts.home, roles: ts.roles } });
        const exists = !!(await env.p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst());
        const want = expected(cs, ts);
        if (want !== (res.statusCode === 201) || want !== exists || (!want && res.statusCode !== 403)) failures.push(`${caller} creates ${target}-like: ${res.statusCode}, stored ${exists}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("a department administrator can no longer take over the platform (the reported attack)", async () => {
    const before = await snapshot('t-admin');
    const reset = await htmlPost('c-dzbadmin-all', '/admin/users/t-admin/password', { password: NEW_PW });
    expect(reset).toBe(403);
    const demote = await env.api('PUT', '/api/v1/users/t-admin/roles', { as: 'c-dzbadmin-all', body: { roles: ['editor'] } });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().error.message).toMatch(/超出|beyond/);
    const sup = await env.api('PUT', '/api/v1/users/t-super/roles', { as: 'c-dzbadmin-all', body: { roles: [{ role: 'editor', department: 'gkb' }] } });
    expect(sup.statusCode).toBe(403);
    expect(await snapshot('t-admin')).toEqual(before);
    // The console does not offer the forms either, and says why.
    const page = await env.app.inject({ url: '/admin/users/t-admin', headers: { cookie: sessions['c-dzbadmin-all'].cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/admin/users/t-admin/password');
    expect(page.body).toContain('超出您可授予的范围');
  });

  it('nobody removes the last active admin', async () => {
    const env2 = await makeEnv({ demo: false });
    try {
      await createDepartment(env2.p, 'cli', { code: 'dzb', name: '党政办公室', kind: 'office' });
      await createUser(env2.p, 'cli', { username: 'root1', password: PW, department: 'dzb', roles: ['admin'] });
      await createUser(env2.p, 'cli', { username: 'root2', password: PW, department: 'dzb', roles: ['admin'] });
      // Two admins: one may demote the other…
      const ok = await env2.api('PUT', '/api/v1/users/root2/roles', { as: 'root1', body: { roles: ['editor'] } });
      expect(ok.statusCode).toBe(200);
      // …but the last one cannot demote itself, through the API or the CLI.
      const last = await env2.api('PUT', '/api/v1/users/root1/roles', { as: 'root1', body: { roles: ['editor'] } });
      expect(last.statusCode).toBe(409);
      expect(last.json().error.message).toMatch(/最后一个|last active administrator/);
      await expect(setRoles(env2.p, 'cli', 'root1', ['editor'])).rejects.toMatchObject({ status: 409 });
      await expect(setActive(env2.p, 'cli', 'root1', false)).rejects.toMatchObject({ status: 409 });
      // An inactive admin does not count as the other admin.
      await setRoles(env2.p, 'cli', 'root2', ['admin']);
      await setActive(env2.p, 'cli', 'root2', false);
      await expect(setActive(env2.p, 'cli', 'root1', false)).rejects.toMatchObject({ status: 409 });
      const roles = await env2.api('GET', '/api/v1/users/root1', { as: 'root1' });
      expect(roles.json().roles.map((x: { role: string }) => x.role)).toEqual(['admin']);
    } finally {
      await env2.close();
    }
  });

  it('a user changes their own password on the account page whatever their roles', async () => {
    const s = sessions['c-super'];
    const res = await env.app.inject({
      method: 'POST',
      url: '/admin/account/password',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ current: PW, password: NEW_PW, confirm: NEW_PW, _csrf: s.csrf }),
    });
    expect(res.statusCode).toBeLessThan(400);
  });
});
