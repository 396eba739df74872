// The single permission policy: can(user, action, resource).
// Actions are '<area>.<verb>'. Roles are granted per department, optionally with its
// sub-departments; admin and supervisor act across all departments.
export const ROLES = ['admin', 'dept-admin', 'editor', 'reviewer', 'approver', 'supervisor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. '*' = everything; 'x.*' = every verb of area x; '*.read' = read anything. */
export const ROLE_ACTIONS: Record<Role, string[]> = {
  admin: ['*'],
  'dept-admin': ['user.read', 'user.manage', 'department.read', 'department.edit', 'content.read', 'content.create', 'content.edit', 'content.submit', 'supervision.read', 'list.read', 'list.edit', 'appeal.read', 'appeal.handle', 'content.import', 'clock.manage'],
  editor: ['content.read', 'content.create', 'content.edit', 'content.submit', 'list.read', 'list.edit', 'supervision.read', 'appeal.read', 'appeal.handle'],
  reviewer: ['content.read', 'content.secrecy', 'content.review', 'list.read', 'supervision.read', 'appeal.read'],
  approver: ['content.read', 'content.sign', 'content.withdraw', 'list.read', 'list.approve', 'supervision.read', 'appeal.read', 'appeal.approve', 'clock.manage'],
  supervisor: ['*.read', 'supervision.*', 'audit.read', 'appeal.urge', 'clock.manage'],
  operator: ['appeal.intake', 'appeal.read'],
};

/** Roles whose grants are global whatever department they were assigned in. */
const GLOBAL_ROLES: ReadonlySet<Role> = new Set(['admin', 'supervisor']);

export interface RoleGrant {
  role: Role;
  departmentId: number;
  departmentCode: string;
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
  const [area] = action.split('.');
  const verb = action.slice(area.length + 1);
  return ROLE_ACTIONS[role].some((a) => a === '*' || a === action || a === `${area}.*` || (a === '*.read' && verb === 'read'));
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
