// Every route declares its permission; staff and API routes refuse anonymous callers; and a
// user of one department can neither see nor change what belongs to another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { registeredRoutes } from '../../src/platform/http/auth.js';
import { can, ROLES, roleActions, coverage, declaredActions, isDeclared } from '../../src/platform/auth/policy.js';
import { holders } from '../../src/platform/auth/identity.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { createUser } from '../../src/modules/org/service.js';
import { demoOrg } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  // Two departments and 党政办's sub-department 政务公开办 (gkb); czj: a department beyond fgj-admin's reach.
  await demoOrg(env.p, { users: ['admin', 'supervisor', 'dzb-admin', 'dzb-editor', 'fgj-editor'], departments: ['gkb', 'czj'] });
  await createUser(env.p, 'cli', { username: 'fgj-admin', password: 'Strong-pass-2026', department: 'fgj', roles: ['dept-admin'] });
});
afterAll(async () => env?.close());

describe('route permission declarations', () => {
  it('every registered route declares a permission', () => {
    const urls = new Set(registeredRoutes.map((r) => r.url));
    expect(urls.size).toBeGreaterThan(20);
    const missing = registeredRoutes.filter((r) => !r.permission).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('no staff console route except sign-in is public', () => {
    const leaks = registeredRoutes.filter((r) => r.url.startsWith('/admin') && r.permission === 'public' && r.url !== '/admin/login');
    expect(leaks).toEqual([]);
  });

  it('no state-changing API route is public unless it is a citizen intake route', () => {
    const unsafe = registeredRoutes.filter((r) => r.url.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && r.permission === 'public');
    // Citizen-facing submissions (appeals, ratings, disclosure requests, credit repair, consultation comments, hearing registration and attendance, subscriptions) are public by design and validated + rate-limited;
    // the machine endpoints of the delivery channels (the SMS provider's receipts, the MTA's bounce reports) are authorised by a signature or a bearer secret of their own.
    const allowed = /appeal|rating|subscri|comment|open311|disclosure-request|credit-repair|hearings\/:hid\/(applicants|attendance)|^\/api\/v1\/channels\/(sms\/receipts|mail\/reports)$/;
    expect(unsafe.filter((r) => !allowed.test(r.url)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('anonymous callers get 401 from every staff API route and a login redirect from every console page', async () => {
    const staffApi = registeredRoutes.filter((r) => r.url.startsWith('/api/') && r.permission !== 'public' && r.method === 'GET' && !r.url.includes(':'));
    for (const r of staffApi) {
      const res = await env.app.inject({ method: 'GET', url: r.url });
      expect(res.statusCode, r.url).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const pages = registeredRoutes.filter((r) => r.url.startsWith('/admin') && r.permission !== 'public' && r.method === 'GET' && !r.url.includes(':') && r.permission !== 'mfa');
    expect(pages.length).toBeGreaterThan(3);
    for (const r of pages) {
      const res = await env.app.inject({ method: 'GET', url: r.url });
      expect(res.statusCode, r.url).toBe(302);
      expect(res.headers.location).toMatch(/^\/admin\/login\?next=/);
    }
  });

  it('a bad or revoked token gets 401, a token without the right gets 403', async () => {
    expect((await env.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer gk_nonsense' } })).statusCode).toBe(401);
    const r = await env.api('POST', '/api/v1/users', { as: 'dzb-editor', body: { username: 'x1x', password: 'Abcdefgh-12345', department: 'dzb', roles: ['editor'] } });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('forbidden');
  });
});

describe('the policy', () => {
  it('admins may do anything; supervisors read everything but change nothing', () => {
    const parents = new Map<number, number | null>([[1, null], [2, 1], [3, null]]);
    const mk = (role: (typeof ROLES)[number], dept: number, children = false) => ({
      id: 1, username: 'u', displayName: 'u', departmentId: dept, departmentCode: 'd', via: 'token' as const,
      grants: [{ role, departmentId: dept, departmentCode: 'd', includeChildren: children, covers: coverage(dept, children, parents) }],
    });
    expect(can(mk('admin', 1), 'content.sign', { departmentId: 3 })).toBe(true);
    expect(can(mk('supervisor', 1), 'content.read', { departmentId: 3 })).toBe(true);
    expect(can(mk('supervisor', 1), 'content.edit', { departmentId: 1 })).toBe(false);
    expect(can(mk('editor', 1), 'content.edit', { departmentId: 1 })).toBe(true);
    expect(can(mk('editor', 1), 'content.edit', { departmentId: 2 })).toBe(false);
    expect(can(mk('editor', 1, true), 'content.edit', { departmentId: 2 })).toBe(true);
    expect(can(mk('editor', 1, true), 'content.edit', { departmentId: 3 })).toBe(false);
    expect(can(mk('reviewer', 1), 'content.edit', { departmentId: 1 })).toBe(false);
    expect(can(mk('operator', 1), 'appeal.intake')).toBe(true);
    expect(can(null, 'content.read')).toBe(false);
    for (const r of ROLES) expect(roleActions(r).length, r).toBeGreaterThan(0);
    // An action nobody declared is nobody's, not even an admin's.
    expect(can(mk('admin', 1), 'content.undeclared')).toBe(false);
  });
});

describe('declared permissions', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : /\.tsx?$/.test(f) ? [join(dir, f)] : []));
  const sources = files('src').map((f) => ({ f, text: readFileSync(f, 'utf8') }));

  it('every action is declared once with both labels and known roles, and every action the code checks is declared', () => {
    const decls = declaredActions();
    expect(decls.length).toBeGreaterThan(30);
    for (const d of decls) {
      expect(d.zh, d.action).toMatch(/\p{Script=Han}/u);
      expect(d.en, d.action).toMatch(/^[A-Z]/);
    }
    const used = new Set<string>();
    for (const { text } of sources) {
      for (const m of text.matchAll(/c\.can\('([a-z0-9-]+\.[a-z0-9-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/permission: '([a-z0-9-]+\.[a-z0-9-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\b(?:can|scopeOf|isCentre|requireCentre|departmentScope|authorize|holders|holdersOf|grantedDepartments)\([^()]*?'([a-z0-9-]+\.[a-z0-9-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((a) => !isDeclared(a))).toEqual([]);
  });

  it('no code outside the policy decides by a role name', () => {
    const offenders = sources
      .filter(({ f }) => !f.endsWith(join('auth', 'policy.ts')))
      .flatMap(({ f, text }) => text.split('\n').map((line, i) => ({ f, i: i + 1, line })))
      .filter(({ line }) => /\brole\s*[!=]==?\s*'|'user_roles\.role',\s*'(?:=|in)',\s*\[?'|\.includes\(g\.role\)|GLOBAL\s*=\s*new Set\(\['admin'/.test(line));
    expect(offenders.map(({ f, i, line }) => `${f}:${i}: ${line.trim()}`)).toEqual([]);
  });

  it('a route naming an undeclared action stops the start', async () => {
    const bad = { name: 'typo', routes: (app: any) => app.get('/admin/typo', { config: { permission: 'content.edti' } }, async () => 'x') };
    const { platformModule } = await import('../../src/platform/core/module.js');
    const p2 = { ...env.p, modules: [platformModule, bad] } as any;
    await expect(buildApp(p2, { logger: false })).rejects.toThrow(/content\.edti/);
  });

  it('holders: who holds an action in a department, grants with sub-departments included', async () => {
    // dzb-admin holds dept-admin on 党政办 with its sub-departments, so 政务公开办 (gkb) reaches it.
    const gkb = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'gkb').executeTakeFirstOrThrow()).id;
    const fgj = (await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow()).id;
    const inGkb = (await holders(env.p.db, 'supervision.alerts', gkb)).map((h) => h.username);
    expect(inGkb).toContain('dzb-admin');
    expect(inGkb).toContain('supervisor');
    expect(inGkb).not.toContain('fgj-editor');
    expect(inGkb).not.toContain('admin'); // may act anywhere, but the declaration does not name admins
    const inFgj = (await holders(env.p.db, 'appeal.handle', fgj)).map((h) => h.username);
    expect(inFgj).toContain('fgj-editor');
    expect(inFgj).not.toContain('dzb-admin');
  });

  it('the console shows the declared actions per role', async () => {
    const { login } = await import('../helpers.js');
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/roles', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    for (const d of declaredActions()) expect(page.body).toContain(d.zh);
    expect(page.body).toContain('话务员');
    const editor = await login(env.app, 'dzb-editor');
    expect((await env.app.inject({ url: '/admin/roles', headers: { cookie: editor.cookie } })).statusCode).toBe(403);
  });
});

describe('department isolation (department A vs department B)', () => {
  it('a dept-admin of dzb cannot create users in fgj', async () => {
    const r = await env.api('POST', '/api/v1/users', { as: 'dzb-admin', body: { username: 'intruder', password: 'Strong-pass-2026', department: 'fgj', roles: ['editor'] } });
    expect(r.statusCode).toBe(403);
    expect(await env.p.db.selectFrom('users').select('id').where('username', '=', 'intruder').executeTakeFirst()).toBeUndefined();
  });

  it('a dept-admin of dzb can create users in dzb and in its sub-department gkb', async () => {
    const a = await env.api('POST', '/api/v1/users', { as: 'dzb-admin', body: { username: 'dzb-new', password: 'Strong-pass-2026', displayName: '新编辑', department: 'dzb', roles: ['editor'] } });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ username: 'dzb-new', department: 'dzb', roles: [{ role: 'editor', department: 'dzb' }] });
    const b = await env.api('POST', '/api/v1/users', { as: 'dzb-admin', body: { username: 'gkb-new', password: 'Strong-pass-2026', department: 'gkb', roles: ['reviewer'] } });
    expect(b.statusCode).toBe(201);
  });

  it('a dept-admin cannot appoint an administrator or supervisor', async () => {
    const r = await env.api('POST', '/api/v1/users', { as: 'dzb-admin', body: { username: 'dzb-boss', password: 'Strong-pass-2026', department: 'dzb', roles: ['admin'] } });
    expect(r.statusCode).toBe(403);
  });

  it('a dept-admin of fgj can neither read nor change dzb users', async () => {
    expect((await env.api('GET', '/api/v1/users/dzb-editor', { as: 'fgj-admin' })).statusCode).toBe(404);
    const list = await env.api('GET', '/api/v1/users?pageSize=100', { as: 'fgj-admin' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((u: { department: string }) => u.department === 'fgj')).toBe(true);
    // A user one may not even see is "not found" for changes too (as for reading): no oracle.
    const roles = await env.api('PUT', '/api/v1/users/dzb-editor/roles', { as: 'fgj-admin', body: { roles: ['approver'] } });
    expect(roles.statusCode).toBe(404);
    const after = await env.api('GET', '/api/v1/users/dzb-editor', { as: 'admin' });
    expect(after.json().roles).toEqual([{ role: 'editor', department: 'dzb', includeChildren: false }]);
  });

  it('a dept-admin cannot grant roles in another department to their own staff', async () => {
    const r = await env.api('PUT', '/api/v1/users/fgj-editor/roles', { as: 'fgj-admin', body: { roles: [{ role: 'editor', department: 'czj' }] } });
    expect(r.statusCode).toBe(403);
  });

  it('the console hides other departments: fgj-admin gets 404 for a dzb user page and cannot edit dzb', async () => {
    const { login } = await import('../helpers.js');
    const s = await login(env.app, 'fgj-admin', 'Strong-pass-2026');
    expect((await env.app.inject({ url: '/admin/users/dzb-editor', headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/admin/departments/dzb', headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/admin/departments/fgj', headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });
});
