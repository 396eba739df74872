// Organisation: the government, its department tree and staff users with department-scoped roles.
// Every change is written with its audit event in one transaction.
import type { Db } from '../../platform/db/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.js';
import { can, isAdminRole, mayGrant, mayManageUser, ROLES, type Principal, type Role } from '../../platform/auth/policy.js';
import { invalidateDepartmentCache, normalizeUsername } from '../../platform/auth/identity.js';
import { conflict, forbidden, notFound, validationError } from '../../platform/errors.js';
import { setGovernment, type Government } from '../../platform/render/context.js';
import { getSettings, putSetting } from '../../platform/settings/index.js';
import { bumpGeneration } from '../../platform/publication/cache.js';
import '../../platform/publication/schema.js';

import { actorName, type Actor } from '../../platform/auth/actor.js';
export { actorName, type Actor };

/** Checks `can` for staff actors; the CLI and the system act with full rights. */
export function authorize(a: Actor, action: string, departmentId?: number | null): void {
  if (typeof a === 'string') return;
  if (!can(a, action, departmentId != null ? { departmentId } : undefined)) throw forbidden();
}

// ---- government -------------------------------------------------------------------------

/** Settings keys of the website's identification: 政府网站标识码, ICP 备案号, 公安机关备案号. */
export const SITE_KEYS = { siteCode: 'government.site_code', icp: 'government.icp', psb: 'government.psb' } as const;
/** 政府网站标识码: 10 characters (the region's 6-digit code and a 4-digit serial; letters for some departments' sites). */
export const SITE_CODE = /^[0-9A-Za-z]{10}$/;

export async function loadGovernment(db: Db): Promise<Government | null> {
  const g = await db.selectFrom('government').selectAll().orderBy('id').limit(1).executeTakeFirst();
  if (!g) return null;
  const site = await getSettings(db, Object.values(SITE_KEYS));
  const gov: Government = { name: g.name, shortName: g.short_name, orgCode: g.org_code, address: g.address, phone: g.phone, siteCode: site.get(SITE_KEYS.siteCode) ?? '', icp: site.get(SITE_KEYS.icp) ?? '', psb: site.get(SITE_KEYS.psb) ?? '' };
  setGovernment(gov);
  return gov;
}

export async function saveGovernment(p: Platform, actor: Actor, input: Government): Promise<void> {
  authorize(actor, 'government.edit');
  const fields: Record<string, string> = {};
  if (!input.name.trim()) fields.name = 'err.field.required';
  // The name heads every page's <title> and footer: a government's name, not a document.
  for (const [k, max] of [['name', 100], ['shortName', 50], ['address', 200], ['phone', 50]] as const) if ((input[k] ?? '').length > max) fields[k] = 'err.field.too_long';
  if (input.phone && !/^[0-9+\-() 、，,转]{3,50}$/.test(input.phone.trim())) fields.phone ??= 'err.field.invalid';
  if (!/^[0-9A-Z]{9}$|^[0-9A-Z]{18}$/.test(input.orgCode)) fields.orgCode = 'err.org_code';
  const site = { siteCode: (input.siteCode ?? '').trim(), icp: (input.icp ?? '').trim(), psb: (input.psb ?? '').trim() };
  if (site.siteCode && !SITE_CODE.test(site.siteCode)) fields.siteCode = 'err.site_code';
  if (site.icp.length > 100) fields.icp = 'err.field.too_long';
  if (site.psb.length > 100) fields.psb = 'err.field.too_long';
  if (Object.keys(fields).length) throw validationError(fields);
  await p.tx(async (t) => {
    const existing = await t.selectFrom('government').select('id').executeTakeFirst();
    const row = { name: input.name.trim(), short_name: input.shortName.trim() || input.name.trim(), org_code: input.orgCode, address: input.address, phone: input.phone };
    if (existing) await t.updateTable('government').set(row).where('id', '=', existing.id).execute();
    else await t.insertInto('government').values({ ...row, created_at: new Date().toISOString() }).execute();
    // Left out of a call (the CLI, the API): kept as they are.
    for (const k of ['siteCode', 'icp', 'psb'] as const) if (input[k] !== undefined) await putSetting(t, SITE_KEYS[k], site[k]);
    // The footer of every cached public page shows these.
    await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
    await p.audit(t, { actor: actorName(actor), action: 'government.save', entity: 'government', entityId: 1, details: { ...row, ...Object.fromEntries((['siteCode', 'icp', 'psb'] as const).filter((k) => input[k] !== undefined).map((k) => [k, site[k]])) } });
  });
  await loadGovernment(p.db);
  bumpGeneration();
}

// ---- departments ------------------------------------------------------------------------

export const DEPARTMENT_KINDS = ['office', 'bureau', 'committee', 'centre', 'subdistrict'] as const;

export interface DepartmentInput {
  parentCode?: string | null;
  code: string;
  name: string;
  shortName?: string;
  kind: string;
  orgCode?: string | null;
  phone?: string;
  fax?: string;
  email?: string;
  address?: string;
  officeHours?: string;
  sort?: number;
}

export interface DepartmentView {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  shortName: string;
  kind: string;
  orgCode: string | null;
  phone: string;
  fax: string;
  email: string;
  address: string;
  officeHours: string;
  sort: number;
  active: boolean;
}

function deptView(r: any): DepartmentView {
  return {
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    orgCode: r.org_code,
    phone: r.phone,
    fax: r.fax,
    email: r.email,
    address: r.address,
    officeHours: r.office_hours,
    sort: r.sort,
    active: !!r.active,
  };
}

export async function listDepartments(db: Db): Promise<DepartmentView[]> {
  const rows = await db.selectFrom('departments').selectAll().orderBy('sort').orderBy('id').execute();
  return rows.map(deptView);
}

export async function getDepartment(db: Db, codeOrId: string | number): Promise<DepartmentView | null> {
  const q = db.selectFrom('departments').selectAll();
  const r = await (typeof codeOrId === 'number' ? q.where('id', '=', codeOrId) : q.where('code', '=', codeOrId)).executeTakeFirst();
  return r ? deptView(r) : null;
}

/** Departments in tree order with their depth, for indented lists and selects. */
export function treeOrder(depts: DepartmentView[]): { dept: DepartmentView; depth: number }[] {
  const children = new Map<number | null, DepartmentView[]>();
  for (const d of depts) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d]);
  const out: { dept: DepartmentView; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const d of children.get(parent) ?? []) {
      out.push({ dept: d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function checkDepartment(input: DepartmentInput): Record<string, string> {
  const f: Record<string, string> = {};
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(input.code ?? '')) f.code = 'err.dept_code';
  if (!input.name?.trim()) f.name = 'err.field.required';
  else if (input.name.length > 100) f.name = 'err.field.too_long';
  if (!(DEPARTMENT_KINDS as readonly string[]).includes(input.kind)) f.kind = 'err.field.enum_generic';
  if (input.orgCode && !/^[0-9A-Z]{9}$|^[0-9A-Z]{18}$/.test(input.orgCode)) f.orgCode = 'err.org_code';
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) f.email = 'err.field.format';
  return f;
}

export async function createDepartment(p: Platform, actor: Actor, input: DepartmentInput, t0?: Db): Promise<DepartmentView> {
  const fields = checkDepartment(input);
  const run = async (t: Db) => {
    let parentId: number | null = null;
    if (input.parentCode) {
      const parent = await t.selectFrom('departments').select('id').where('code', '=', input.parentCode).executeTakeFirst();
      if (!parent) fields.parentCode = 'err.unknown_department';
      else parentId = parent.id;
    }
    // Creating a top-level department is an admin act; a sub-department needs department.edit on its parent.
    authorize(actor, parentId ? 'department.edit' : 'government.edit', parentId);
    if (Object.keys(fields).length) throw validationError(fields);
    const now = new Date().toISOString();
    try {
      const row = await t
        .insertInto('departments')
        .values({
          parent_id: parentId,
          code: input.code,
          name: input.name.trim(),
          short_name: (input.shortName ?? '').trim() || input.name.trim(),
          kind: input.kind,
          org_code: input.orgCode || null,
          phone: input.phone ?? '',
          fax: input.fax ?? '',
          email: input.email ?? '',
          address: input.address ?? '',
          office_hours: input.officeHours ?? '',
          sort: input.sort ?? 0,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await p.audit(t, { actor: actorName(actor), action: 'department.create', entity: 'department', entityId: row.id, details: { code: row.code, name: row.name, parentId } });
      return deptView(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('err.dept_code_taken', { code: 'err.dept_code_taken' });
      throw err;
    }
  };
  const out = t0 ? await run(t0) : await p.tx(run);
  invalidateDepartmentCache();
  return out;
}

export async function updateDepartment(p: Platform, actor: Actor, code: string, input: Omit<DepartmentInput, 'code' | 'parentCode'>): Promise<DepartmentView> {
  const existing = await getDepartment(p.db, code);
  if (!existing) throw notFound();
  authorize(actor, 'department.edit', existing.id);
  const fields = checkDepartment({ ...input, code });
  if (Object.keys(fields).length) throw validationError(fields);
  const row = await p.tx(async (t) => {
    const r = await t
      .updateTable('departments')
      .set({
        name: input.name.trim(),
        short_name: (input.shortName ?? '').trim() || input.name.trim(),
        kind: input.kind,
        org_code: input.orgCode || null,
        phone: input.phone ?? '',
        fax: input.fax ?? '',
        email: input.email ?? '',
        address: input.address ?? '',
        office_hours: input.officeHours ?? '',
        sort: input.sort ?? existing.sort,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'department.update', entity: 'department', entityId: existing.id, details: { code, name: r.name } });
    return r;
  });
  invalidateDepartmentCache();
  return deptView(row);
}

// ---- users ------------------------------------------------------------------------------

export interface RoleInput {
  role: string;
  department?: string; // code; default = the user's department
  includeChildren?: boolean;
}

export interface UserInput {
  username: string;
  password: string;
  displayName?: string;
  email?: string;
  department: string; // code
  roles: (string | RoleInput)[];
  isDemo?: boolean;
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  email: string;
  department: string;
  departmentName: string;
  active: boolean;
  isDemo: boolean;
  totpEnabled: boolean;
  roles: { role: string; department: string; includeChildren: boolean }[];
  createdAt: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

async function resolveRoles(t: Db, roles: (string | RoleInput)[], defaultDeptId: number, fields: Record<string, string>) {
  const out: { role: Role; department_id: number; include_children: number }[] = [];
  for (const [i, r] of roles.entries()) {
    const ri: RoleInput = typeof r === 'string' ? { role: r } : r;
    if (!(ROLES as readonly string[]).includes(ri.role)) {
      fields[`roles.${i}`] = 'err.unknown_role';
      continue;
    }
    let deptId = defaultDeptId;
    if (ri.department) {
      const d = await t.selectFrom('departments').select('id').where('code', '=', ri.department).executeTakeFirst();
      if (!d) {
        fields[`roles.${i}`] = 'err.unknown_department';
        continue;
      }
      deptId = d.id;
    }
    if (!out.some((o) => o.role === ri.role && o.department_id === deptId)) out.push({ role: ri.role as Role, department_id: deptId, include_children: ri.includeChildren ? 1 : 0 });
  }
  return out;
}

async function departmentParents(t: Db): Promise<Map<number, number | null>> {
  const rows = await t.selectFrom('departments').select(['id', 'parent_id']).execute();
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

/** May `actor` give these grants to a user of `userDeptId`? See `mayGrant` for the rule. */
async function authorizeGrants(t: Db, actor: Actor, grants: { role: Role; department_id: number; include_children: number }[], userDeptId: number): Promise<void> {
  authorize(actor, 'user.manage', userDeptId);
  if (typeof actor === 'string') return;
  const parents = await departmentParents(t);
  for (const g of grants) if (!mayGrant(actor, { role: g.role, departmentId: g.department_id, includeChildren: !!g.include_children }, parents)) throw forbidden('err.grant_forbidden');
}

interface TargetUser {
  id: number;
  username: string;
  department_id: number;
  active: number;
  grants: { role: string; department_id: number; include_children: number }[];
}

/**
 * Loads the user to be changed and checks that `actor` may change them (`mayManageUser`): the
 * caller must be able to grant every role the user holds. An unknown user is 404; a user the
 * caller may not even see is 404 as well, one they see but may not change is 403.
 */
async function targetFor(t: Db, actor: Actor, username: string): Promise<TargetUser> {
  const user = await t.selectFrom('users').select(['id', 'username', 'department_id', 'active']).where('username', '=', normalizeUsername(username)).executeTakeFirst();
  if (!user) throw notFound();
  const grants = await t.selectFrom('user_roles').select(['role', 'department_id', 'include_children']).where('user_id', '=', user.id).orderBy('id').execute();
  if (typeof actor !== 'string') {
    if (!can(actor, 'user.read', { departmentId: user.department_id })) throw notFound();
    const target = { departmentId: user.department_id, grants: grants.map((g) => ({ role: g.role, departmentId: g.department_id, includeChildren: !!g.include_children })) };
    if (!mayManageUser(actor, target, await departmentParents(t))) throw forbidden('err.user_beyond_reach');
  }
  return { ...user, grants };
}

/** Refuses a change that would leave no active administrator. */
async function keepAnAdmin(t: Db, userId: number): Promise<void> {
  const others = await t
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select('users.id')
    .where('user_roles.role', 'in', ROLES.filter(isAdminRole))
    .where('users.active', '=', 1)
    .where('users.id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  if (!others) throw conflict('err.last_admin');
}

export async function createUser(p: Platform, actor: Actor, input: UserInput, t0?: Db): Promise<UserView> {
  const fields: Record<string, string> = {};
  const username = normalizeUsername(input.username);
  if (!USERNAME.test(username)) fields.username = 'err.username';
  const pw = passwordProblem(input.password, username);
  if (pw) fields.password = pw;
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) fields.email = 'err.field.format';
  if (!Array.isArray(input.roles) || input.roles.length === 0) fields.roles = 'err.roles_required';
  const passwordHash = pw ? '' : await hashPassword(input.password);
  const run = async (t: Db) => {
    const dept = await t.selectFrom('departments').select(['id', 'code', 'name']).where('code', '=', String(input.department ?? '')).executeTakeFirst();
    if (!dept) fields.department = 'err.unknown_department';
    const grants = dept && Array.isArray(input.roles) ? await resolveRoles(t, input.roles, dept.id, fields) : [];
    if (Object.keys(fields).length) throw validationError(fields);
    await authorizeGrants(t, actor, grants, dept!.id);
    const exists = await t.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (exists) throw conflict('err.username_taken', { username: 'err.username_taken' });
    const now = new Date().toISOString();
    const row = await t
      .insertInto('users')
      .values({
        username,
        password_hash: passwordHash,
        display_name: (input.displayName ?? '').trim() || username,
        email: input.email ?? '',
        department_id: dept!.id,
        active: 1,
        is_demo: input.isDemo ? 1 : 0,
        totp_secret: null,
        totp_enabled: 0,
        password_changed_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const g of grants) await t.insertInto('user_roles').values({ user_id: row.id, ...g }).execute();
    await p.audit(t, {
      actor: actorName(actor),
      action: 'user.create',
      entity: 'user',
      entityId: row.id,
      details: { username, department: dept!.code, roles: grants.map((g) => ({ role: g.role, departmentId: g.department_id, includeChildren: !!g.include_children })) },
    });
    return row.id;
  };
  let id: number;
  try {
    id = t0 ? await run(t0) : await p.tx(run);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('err.username_taken', { username: 'err.username_taken' });
    throw err;
  }
  return (await getUser(t0 ?? p.db, id))!;
}

export async function getUser(db: Db, idOrName: number | string): Promise<UserView | null> {
  const q = db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.email', 'users.active', 'users.is_demo', 'users.totp_enabled', 'users.created_at', 'departments.code', 'departments.name as dept_name']);
  const u = await (typeof idOrName === 'number' ? q.where('users.id', '=', idOrName) : q.where('users.username', '=', normalizeUsername(idOrName))).executeTakeFirst();
  if (!u) return null;
  const roles = await db
    .selectFrom('user_roles')
    .innerJoin('departments', 'departments.id', 'user_roles.department_id')
    .select(['user_roles.role', 'departments.code', 'user_roles.include_children'])
    .where('user_roles.user_id', '=', u.id)
    .orderBy('user_roles.id')
    .execute();
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    department: u.code,
    departmentName: u.dept_name,
    active: !!u.active,
    isDemo: !!u.is_demo,
    totpEnabled: !!u.totp_enabled,
    roles: roles.map((r) => ({ role: r.role, department: r.code, includeChildren: !!r.include_children })),
    createdAt: u.created_at,
  };
}

/** Users visible to `actor` (user.read scope), optionally filtered. */
export async function listUsers(p: Platform, actor: Principal, opts: { q?: string; department?: string; page: number; pageSize: number }) {
  const { scopeOf } = await import('../../platform/auth/policy.js');
  const scope = scopeOf(actor, 'user.read');
  let q = p.db.selectFrom('users').innerJoin('departments', 'departments.id', 'users.department_id');
  if (scope !== 'all') q = q.where('users.department_id', 'in', scope.size ? [...scope] : [-1]);
  if (opts.department) q = q.where('departments.code', '=', opts.department);
  if (opts.q) q = q.where((eb) => eb.or([eb('users.username', 'like', `%${opts.q}%`), eb('users.display_name', 'like', `%${opts.q}%`)]));
  const total = Number((await q.select(p.db.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .select(['users.id', 'users.username', 'users.display_name', 'users.active', 'users.is_demo', 'departments.code', 'departments.name as dept_name'])
    .orderBy('departments.sort')
    .orderBy('users.username')
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize)
    .execute();
  const ids = rows.map((r) => r.id);
  const roles = ids.length
    ? await p.db.selectFrom('user_roles').innerJoin('departments', 'departments.id', 'user_roles.department_id').select(['user_roles.user_id', 'user_roles.role', 'user_roles.include_children', 'departments.code', 'departments.name']).where('user_roles.user_id', 'in', ids).execute()
    : [];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      active: !!r.active,
      isDemo: !!r.is_demo,
      department: r.code,
      departmentName: r.dept_name,
      roles: roles.filter((x) => x.user_id === r.id).map((x) => ({ role: x.role, department: x.code, departmentName: x.name, includeChildren: !!x.include_children })),
    })),
  };
}

export async function setRoles(p: Platform, actor: Actor, username: string, roles: (string | RoleInput)[]): Promise<UserView> {
  const id = await p.tx(async (t) => {
    const user = await targetFor(t, actor, username);
    const fields: Record<string, string> = {};
    const grants = await resolveRoles(t, roles, user.department_id, fields);
    if (Object.keys(fields).length) throw validationError(fields);
    await authorizeGrants(t, actor, grants, user.department_id);
    if (user.active && user.grants.some((g) => isAdminRole(g.role)) && !grants.some((g) => isAdminRole(g.role))) await keepAnAdmin(t, user.id);
    await t.deleteFrom('user_roles').where('user_id', '=', user.id).execute();
    for (const g of grants) await t.insertInto('user_roles').values({ user_id: user.id, ...g }).execute();
    await p.audit(t, { actor: actorName(actor), action: 'user.roles', entity: 'user', entityId: user.id, details: { username: user.username, before: user.grants, after: grants } });
    return user.id;
  });
  return (await getUser(p.db, id))!;
}

/** Changes a user's name and e-mail address (the username itself never changes: it is in the audit trail). */
export async function updateUser(p: Platform, actor: Actor, username: string, input: { displayName?: string; email?: string }): Promise<UserView> {
  const fields: Record<string, string> = {};
  const displayName = String(input.displayName ?? '').trim();
  const email = String(input.email ?? '').trim();
  if (!displayName) fields.displayName = 'err.field.required';
  else if (displayName.length > 100) fields.displayName = 'err.field.too_long';
  if (email && (email.length > 200 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) fields.email = 'err.field.format';
  const id = await p.tx(async (t) => {
    const user = await targetFor(t, actor, username);
    if (Object.keys(fields).length) throw validationError(fields);
    await t.updateTable('users').set({ display_name: displayName, email, updated_at: new Date().toISOString() }).where('id', '=', user.id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'user.update', entity: 'user', entityId: user.id, details: { username: user.username, displayName, email } });
    return user.id;
  });
  return (await getUser(p.db, id))!;
}

/** Sets a password: one's own (the account page), or another user's if `mayManageUser` allows. */
export async function setPassword(p: Platform, actor: Actor, username: string, password: string): Promise<void> {
  const self = typeof actor !== 'string' && actor.username === normalizeUsername(username);
  const user = self
    ? await p.db.selectFrom('users').select(['id', 'username']).where('id', '=', (actor as Principal).id).executeTakeFirst()
    : await p.tx((t) => targetFor(t, actor, username));
  if (!user) throw notFound();
  const problem = passwordProblem(password, user.username);
  if (problem) throw validationError({ password: problem });
  const hashValue = await hashPassword(password);
  await p.tx(async (t) => {
    // Checked again in the writing transaction: the user's roles may have changed meanwhile.
    if (!self) await targetFor(t, actor, username);
    const now = new Date().toISOString();
    await t.updateTable('users').set({ password_hash: hashValue, password_changed_at: now, updated_at: now }).where('id', '=', user.id).execute();
    // A password change ends every other session of the user.
    let q = t.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', user.id).where('revoked_at', 'is', null);
    if (self && (actor as Principal).sessionId) q = q.where('id', '!=', (actor as Principal).sessionId!);
    await q.execute();
    await p.audit(t, { actor: actorName(actor), action: 'user.password', entity: 'user', entityId: user.id, details: { username: user.username } });
  });
}

export async function setActive(p: Platform, actor: Actor, username: string, active: boolean): Promise<void> {
  await p.tx(async (t) => {
    const user = await targetFor(t, actor, username);
    if (typeof actor !== 'string' && actor.id === user.id && !active) throw conflict('err.self_deactivate');
    if (!active && user.active && user.grants.some((g) => isAdminRole(g.role))) await keepAnAdmin(t, user.id);
    const now = new Date().toISOString();
    await t.updateTable('users').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', user.id).execute();
    if (!active) {
      await t.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
      await t.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    }
    await p.audit(t, { actor: actorName(actor), action: active ? 'user.activate' : 'user.deactivate', entity: 'user', entityId: user.id, details: { username: user.username } });
  });
}
