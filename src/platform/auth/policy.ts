// The single permission policy: can(user, action, resource), built from the actions that the
// platform and each module declare (GongkaiModule.permissions): an action's label in both
// languages and the roles that hold it by default. Actions are '<area>.<verb>'. Roles are
// granted per department, optionally with its sub-departments; admin and supervisor act across
// all departments. Two rules hold for every action without being listed: an admin may do
// everything declared, and a supervisor may do every declared '….read'. Nothing else names a
// role outside this file (a test checks).
export const ROLES = ['admin', 'dept-admin', 'editor', 'reviewer', 'approver', 'supervisor', 'operator', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/** One action a module declares. */
export interface ActionDecl {
  action: string;
  zh: string;
  en: string;
  /** Roles holding it by default (admin holds every action; supervisor every '….read'). */
  roles: Role[];
}

/** The route permissions that are not actions. */
export const ROUTE_LEVELS: ReadonlySet<string> = new Set(['public', 'authenticated', 'mfa']);

const declared = new Map<string, ActionDecl>();

/** Adds a module's actions to the policy. The same action may be declared again only identically. */
export function declareActions(decls: readonly ActionDecl[], by: string): void {
  for (const d of decls) {
    if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/.test(d.action)) throw new Error(`${by}: "${d.action}" is not an action name (area.verb)`);
    for (const r of d.roles) if (!(ROLES as readonly string[]).includes(r)) throw new Error(`${by}: ${d.action} names an unknown role "${r}"`);
    const old = declared.get(d.action);
    if (old && JSON.stringify(old) !== JSON.stringify(d)) throw new Error(`${by}: ${d.action} is declared twice, differently`);
    declared.set(d.action, d);
  }
}

/** Every declared action, in declaration order. */
export function declaredActions(): ActionDecl[] {
  return [...declared.values()];
}

export function isDeclared(action: string): boolean {
  return declared.has(action);
}

/** The declared actions a role holds. */
export function roleActions(role: Role): string[] {
  return [...declared.keys()].filter((a) => roleAllows(role, a));
}

/** Roles whose grants are global whatever department they were assigned in. */
const GLOBAL_ROLES: ReadonlySet<Role> = new Set(['admin', 'supervisor']);

export interface RoleGrant {
  role: Role;
  departmentId: number;
  departmentCode: string;
  /** For people: the department's name (codes are for machines). */
  departmentName?: string;
  includeChildren: boolean;
  /** The department ids this grant covers (itself, plus descendants when includeChildren). */
  covers: ReadonlySet<number>;
}

export interface Principal {
  id: number;
  username: string;
  displayName: string;
  departmentId: number;
  departmentCode: string;
  departmentName?: string;
  grants: RoleGrant[];
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: number;
}

export interface Resource {
  departmentId?: number | null;
  /** The user who created the resource (for rules about one's own work). */
  ownerId?: number | null;
}

export function roleAllows(role: Role, action: string): boolean {
  const d = declared.get(action);
  if (!d) return false;
  if (role === 'admin') return true;
  if (role === 'supervisor' && action.endsWith('.read')) return true;
  return d.roles.includes(role);
}

/** Is this grant's reach every department (admin, supervisor)? */
export function isGlobalRole(role: string): boolean {
  return GLOBAL_ROLES.has(role as Role);
}

/** Does this grant make its holder an administrator (the last of whom cannot be removed)? */
export function isAdminRole(role: string): boolean {
  return role === 'admin';
}

/** May `user` do `action` — on `resource` if given, else in at least one department? */
export function can(user: Principal | null | undefined, action: string, resource?: Resource): boolean {
  if (!user) return false;
  for (const g of user.grants) {
    if (!roleAllows(g.role, action)) continue;
    if (GLOBAL_ROLES.has(g.role)) return true;
    if (!resource || resource.departmentId == null) return true;
    if (g.covers.has(resource.departmentId)) return true;
  }
  return false;
}

/** The departments in which `user` may do `action`: 'all', or a set of ids (possibly empty). */
export function scopeOf(user: Principal | null | undefined, action: string): 'all' | Set<number> {
  const out = new Set<number>();
  if (!user) return out;
  for (const g of user.grants) {
    if (!roleAllows(g.role, action)) continue;
    if (GLOBAL_ROLES.has(g.role)) return 'all';
    for (const d of g.covers) out.add(d);
  }
  return out;
}

/**
 * The departments named by the user's grants that allow `action` (with their sub-departments
 * where included), even for a global role: "where is this person at home for this action".
 */
export function grantedDepartments(user: Principal | null | undefined, action: string): Set<number> {
  const out = new Set<number>();
  for (const g of user?.grants ?? []) if (roleAllows(g.role, action)) for (const d of g.covers) out.add(d);
  return out;
}

export function hasRole(user: Principal | null | undefined, role: Role): boolean {
  return !!user?.grants.some((g) => g.role === role);
}

/** A role as stored for a user: the role, its department and whether sub-departments are included. */
export interface GrantSpec {
  role: string;
  departmentId: number;
  includeChildren: boolean;
}

/**
 * May `user` give — or take away — this grant? Admin and supervisor grants (and any role this
 * code does not know) are an administrator's alone; any other grant needs `user.manage` in every
 * department it covers (a grant with sub-departments covers them all).
 */
export function mayGrant(user: Principal | null | undefined, g: GrantSpec, parents: Map<number, number | null>): boolean {
  if (!user) return false;
  if (!(ROLES as readonly string[]).includes(g.role) || GLOBAL_ROLES.has(g.role as Role)) return hasRole(user, 'admin');
  for (const d of coverage(g.departmentId, g.includeChildren, parents)) if (!can(user, 'user.manage', { departmentId: d })) return false;
  return true;
}

/**
 * May `user` change a staff user — reset the password, (de)activate, rename, change roles? Only if
 * the caller manages the user's home department and may grant every role the user holds, where
 * the user holds it. So a department administrator never touches an admin, a supervisor, or
 * anyone with roles outside their own reach. (One's own password is changed on the account page.)
 */
export function mayManageUser(user: Principal | null | undefined, target: { departmentId: number; grants: GrantSpec[] }, parents: Map<number, number | null>): boolean {
  if (!user || !can(user, 'user.manage', { departmentId: target.departmentId })) return false;
  return target.grants.every((g) => mayGrant(user, g, parents));
}

/** Department ids covered by a grant on `rootId`: itself and, if asked, all descendants. */
export function coverage(rootId: number, includeChildren: boolean, parents: Map<number, number | null>): Set<number> {
  const out = new Set<number>([rootId]);
  if (!includeChildren) return out;
  const children = new Map<number, number[]>();
  for (const [id, parent] of parents) {
    if (parent != null) children.set(parent, [...(children.get(parent) ?? []), id]);
  }
  const stack = [rootId];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}
