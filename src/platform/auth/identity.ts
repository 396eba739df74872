// Sessions, API tokens, login throttling and loading the acting staff user (Principal).
import type { Db } from '../db/index.js';
import { randomToken, sm3 } from '../hash.js';
import { coverage, declaredActions, isGlobalRole, ROLES, type Principal, type Role, type RoleGrant } from './policy.js';

/** Department parent links, cached briefly: they change rarely and are read on every staff request. */
let parentsCache: { at: number; map: Map<number, number | null>; codes: Map<number, string>; names: Map<number, string> } | null = null;
const PARENTS_TTL_MS = 5000;

export function invalidateDepartmentCache(): void {
  parentsCache = null;
}

export async function departmentTree(db: Db): Promise<{ map: Map<number, number | null>; codes: Map<number, string>; names: Map<number, string> }> {
  if (parentsCache && Date.now() - parentsCache.at < PARENTS_TTL_MS) return parentsCache;
  const rows = await db.selectFrom('departments').select(['id', 'parent_id', 'code', 'name']).execute();
  parentsCache = { at: Date.now(), map: new Map(rows.map((r) => [r.id, r.parent_id])), codes: new Map(rows.map((r) => [r.id, r.code])), names: new Map(rows.map((r) => [r.id, r.name])) };
  return parentsCache;
}

export async function loadPrincipal(db: Db, userId: number, via: Principal['via']): Promise<Principal | null> {
  const user = await db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.department_id', 'users.active', 'departments.code as department_code'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user || !user.active) return null;
  const roles = await db.selectFrom('user_roles').selectAll().where('user_id', '=', userId).execute();
  const tree = await departmentTree(db);
  const grants: RoleGrant[] = roles
    .filter((r) => (ROLES as readonly string[]).includes(r.role))
    .map((r) => ({
      role: r.role as Role,
      departmentId: r.department_id,
      departmentCode: tree.codes.get(r.department_id) ?? '',
      departmentName: tree.names.get(r.department_id) ?? '',
      includeChildren: !!r.include_children,
      covers: coverage(r.department_id, !!r.include_children, tree.map),
    }));
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    departmentId: user.department_id,
    departmentCode: user.department_code,
    departmentName: tree.names.get(user.department_id) ?? user.department_code,
    grants,
    via,
  };
}

// ---- who holds an action ---------------------------------------------------------------

export interface Holder {
  id: number;
  username: string;
  email: string;
  displayName: string;
  /** Where the user holds the action: 'all' (a global role), or the departments covered. */
  scope: 'all' | Set<number>;
}

/**
 * The active users whom an action's declaration names — by the roles it lists, not by an
 * admin's power to do everything — with where they hold it (grants on a parent department
 * with its sub-departments included reach those too). Used to say whom to notify.
 */
export async function holdersOf(db: Db, action: string): Promise<Holder[]> {
  const decl = declaredActions().find((d) => d.action === action);
  if (!decl || decl.roles.length === 0) return [];
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.username', 'users.email', 'users.display_name', 'user_roles.role', 'user_roles.department_id', 'user_roles.include_children'])
    .where('user_roles.role', 'in', decl.roles)
    .where('users.active', '=', 1)
    .orderBy('users.id')
    .execute();
  const tree = await departmentTree(db);
  const out = new Map<number, Holder>();
  for (const r of rows) {
    const h = out.get(r.id) ?? { id: r.id, username: r.username, email: r.email, displayName: r.display_name, scope: new Set<number>() };
    out.set(r.id, h);
    if (h.scope === 'all') continue;
    if (isGlobalRole(r.role)) h.scope = 'all';
    else for (const d of coverage(r.department_id, !!r.include_children, tree.map)) h.scope.add(d);
  }
  return [...out.values()];
}

/** Who holds `action` in this department (null: who holds it everywhere), honouring inherited grants. */
export async function holders(db: Db, action: string, departmentId: number | null): Promise<Holder[]> {
  return (await holdersOf(db, action)).filter((h) => h.scope === 'all' || (departmentId !== null && h.scope.has(departmentId)));
}

// ---- sessions -------------------------------------------------------------------------

export interface NewSession {
  token: string;
  id: string;
}

export async function createSession(db: Db, userId: number, hours: number, ip: string, userAgent: string, mfaPending: boolean): Promise<NewSession> {
  const token = randomToken(32);
  const id = sm3(token);
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + hours * 3600_000).toISOString(),
      last_seen_at: now.toISOString(),
      ip: ip.slice(0, 64),
      user_agent: userAgent.slice(0, 300),
      mfa_pending: mfaPending ? 1 : 0,
      revoked_at: null,
    })
    .execute();
  return { token, id };
}

export interface SessionLookup {
  id: string;
  userId: number;
  mfaPending: boolean;
}

/** Finds a live session by its cookie token and slides its expiry (at most once a minute). */
export async function lookupSession(db: Db, token: string, hours: number): Promise<SessionLookup | null> {
  if (!token || token.length > 100) return null;
  const id = sm3(token);
  const now = new Date();
  const s = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s || s.revoked_at || s.expires_at <= now.toISOString()) return null;
  if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + hours * 3600_000).toISOString() })
      .where('id', '=', id)
      .execute();
  }
  return { id, userId: s.user_id, mfaPending: !!s.mfa_pending };
}

// ---- API tokens -----------------------------------------------------------------------

/** Creates a token; the clear text is returned once and only its SM3 digest is stored. */
export async function createApiToken(db: Db, userId: number, name: string): Promise<{ id: number; token: string }> {
  const secret = randomToken(24);
  const prefix = secret.slice(0, 8);
  const token = `gk_${secret}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name: name.slice(0, 100), token_hash: sm3(token), prefix, created_at: new Date().toISOString(), last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function lookupApiToken(db: Db, token: string): Promise<{ id: number; userId: number } | null> {
  if (!token.startsWith('gk_') || token.length > 100) return null;
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sm3(token)).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const now = new Date();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return { id: row.id, userId: row.user_id };
}

// ---- login throttling -----------------------------------------------------------------

/**
 * The one normalisation of a typed username, for look-ups and for throttling alike (NFKC folds
 * full-width letters; surrounding spaces and case never make a different account or a new budget).
 */
export function normalizeUsername(username: string): string {
  return String(username ?? '').normalize('NFKC').trim().toLowerCase();
}

export interface ThrottleLimits {
  maxPerUser: number;
  maxPerIp: number;
  windowMinutes: number;
}

/**
 * Minutes until the caller may try again, or 0 when not throttled. `knownDevice`: the browser has
 * signed in to this account before (device cookie), so the address's budget — shared by a whole
 * office behind one NAT address — does not apply; the account's own budget always does.
 */
export async function throttledFor(db: Db, username: string, ip: string, limits: ThrottleLimits, knownDevice = false): Promise<number> {
  const since = new Date(Date.now() - limits.windowMinutes * 60_000).toISOString();
  const keys = [`user:${normalizeUsername(username)}`];
  if (!knownDevice) keys.push(`ip:${ip}`);
  const rows = await db
    .selectFrom('login_failures')
    .select(['key', db.fn.countAll<number>().as('n'), db.fn.min('at').as('first')])
    .where('key', 'in', keys)
    .where('at', '>', since)
    .groupBy('key')
    .execute();
  for (const r of rows) {
    const limit = r.key.startsWith('user:') ? limits.maxPerUser : limits.maxPerIp;
    if (Number(r.n) >= limit) {
      const free = Date.parse(String(r.first)) + limits.windowMinutes * 60_000;
      return Math.max(1, Math.ceil((free - Date.now()) / 60_000));
    }
  }
  return 0;
}

export async function recordLoginFailure(db: Db, username: string, ip: string, windowMinutes: number): Promise<void> {
  const at = new Date().toISOString();
  await db.insertInto('login_failures').values([{ key: `user:${normalizeUsername(username)}`, at }, { key: `ip:${ip}`, at }]).execute();
  const old = new Date(Date.now() - 2 * windowMinutes * 60_000).toISOString();
  await db.deleteFrom('login_failures').where('at', '<', old).execute();
}

export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', `user:${normalizeUsername(username)}`).execute();
}
