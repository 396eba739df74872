// The registers: 市场主体名录库 (enf_entities) and 执法检查人员名录库 (enf_inspectors), with the
// declared conflicts of interest (回避, enf_relations) and the link of an inspector to the staff
// account that enters their results.
//
// Who may write (docs/architecture.md, "Enforcement"):
//   - entities are one register for the government: any holder of `enforcement.register` creates,
//     corrects, deactivates or reactivates an entity, for a department where they hold it (their
//     own by default); the row then remembers that department as the one that last wrote it, and
//     the audit entry the one before. The credit code is the entity's identity and never changes.
//   - inspectors belong to their department: `enforcement.register` on it, and on both departments
//     to move one. Relations and the account link: on the inspector's department.
//
// The checks of one record are in register-values.ts (re-exported here).
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { holders } from '../../../platform/auth/identity.js';
import { conflict, forbidden, notFound } from '../../../platform/errors.js';
import { INSPECTION_FIELDS, type InspectionField } from './codes.js';
import { checkUscc, normalizeUscc } from './uscc.js';
import { activeDepartments, checkEntity, checkInspector, clean, findDepartment, industryName, LIMITS, RegisterInvalid, invalid, text, writerDepartment, type DeptRef, type EntityRaw, type InspectorRaw, type Problem } from './register-values.js';
import '../schema.js';

export * from './register-values.js';


// ---- entities --------------------------------------------------------------------------------

export interface EntityView {
  creditCode: string;
  name: string;
  address: string;
  legalRep: string;
  industry: string;
  industryName: string;
  risk: string;
  area: string;
  active: boolean;
  department: string;
  departmentName: string;
  createdAt: string;
  updatedAt: string;
}

type EntityRowOut = { credit_code: string; name: string; address: string; legal_rep: string; industry: string; risk: string; area: string; active: number; department_code: string | null; department_name: string | null; created_at: string; updated_at: string };

const entityView = (r: EntityRowOut): EntityView => ({
  creditCode: r.credit_code,
  name: r.name,
  address: r.address,
  legalRep: r.legal_rep,
  industry: r.industry,
  industryName: industryName(r.industry),
  risk: r.risk,
  area: r.area,
  active: !!r.active,
  department: r.department_code ?? '',
  departmentName: r.department_name ?? '',
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const entityQuery = (db: Db) =>
  db
    .selectFrom('enf_entities as e')
    .leftJoin('departments as d', 'd.id', 'e.department_id')
    .select(['e.id', 'e.credit_code', 'e.name', 'e.address', 'e.legal_rep', 'e.industry', 'e.risk', 'e.area', 'e.active', 'e.created_at', 'e.updated_at', 'd.code as department_code', 'd.name as department_name']);

export async function getEntity(db: Db, creditCode: string): Promise<(EntityView & { id: number }) | null> {
  const code = normalizeUscc(creditCode);
  if (!/^[0-9A-Z]{18}$/.test(code)) return null;
  const r = await entityQuery(db).where('e.credit_code', '=', code).executeTakeFirst();
  return r ? { id: r.id, ...entityView(r) } : null;
}

export interface EntitySearch {
  q?: string;
  page?: number;
  pageSize?: number;
  /** Only entities in the pool (staff may see the deactivated too). */
  activeOnly?: boolean;
}

const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Entities by name (a part of it) or credit code (a part of it, as typed), by name. */
export async function searchEntities(db: Db, f: EntitySearch): Promise<{ total: number; page: number; pageSize: number; items: EntityView[] }> {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.min(Math.max(f.page ?? 1, 1), 10000);
  const q = clean(f.q).slice(0, 100);
  const code = normalizeUscc(q);
  let base = db.selectFrom('enf_entities as e');
  if (q) {
    const byName = sql<boolean>`e.name like ${likeText(q)} escape '\\'`;
    base = base.where((eb) => {
      if (/^[0-9A-Z]{18}$/.test(code)) return eb.or([eb('e.credit_code', '=', code), byName]);
      if (/^[0-9A-Z]{4,17}$/.test(code)) return eb.or([eb('e.credit_code', 'like', `%${code}%`), byName]);
      return byName;
    });
  }
  if (f.activeOnly) base = base.where('e.active', '=', 1);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .leftJoin('departments as d', 'd.id', 'e.department_id')
    .select(['e.credit_code', 'e.name', 'e.address', 'e.legal_rep', 'e.industry', 'e.risk', 'e.area', 'e.active', 'e.created_at', 'e.updated_at', 'd.code as department_code', 'd.name as department_name'])
    .orderBy('e.name')
    .orderBy('e.credit_code')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total, page, pageSize, items: rows.map(entityView) };
}
const actorOf = (actor: Principal) => `user:${actor.username}`;

/** Creates an entity (409 when the credit code is already in the register). */
export async function createEntity(p: Platform, actor: Principal, raw: EntityRaw & { department?: string }): Promise<EntityView> {
  const dept = writerDepartment(actor, await activeDepartments(p.db), clean(raw.department) || undefined);
  const { value, problems } = checkEntity(raw);
  if (problems.length) throw new RegisterInvalid(problems);
  const now = new Date().toISOString();
  await p.tx(async (t) => {
    const exists = await t.selectFrom('enf_entities').select('id').where('credit_code', '=', value.credit_code).executeTakeFirst();
    if (exists) throw conflict('enforcement.err.entity_exists', { creditCode: 'enforcement.err.entity_exists' }, { creditCode: value.credit_code });
    const row = await t
      .insertInto('enf_entities')
      .values({ ...value, active: value.active ?? 1, department_id: dept.id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.entity.create', entity: 'enf_entity', entityId: row.id, details: { creditCode: value.credit_code, name: value.name, department: dept.code } });
  });
  return (await getEntity(p.db, value.credit_code))!;
}

/** Corrects an entity (all its fields but the credit code); `active` deactivates or reactivates it. */
export async function updateEntity(p: Platform, actor: Principal, creditCode: string, raw: EntityRaw & { department?: string }): Promise<EntityView> {
  const cur = await getEntity(p.db, creditCode);
  if (!cur) throw notFound();
  const dept = writerDepartment(actor, await activeDepartments(p.db), clean(raw.department) || undefined);
  const { value, problems } = checkEntity({ ...raw, creditCode: cur.creditCode });
  if (problems.length) throw new RegisterInvalid(problems);
  const now = new Date().toISOString();
  const changed = (['name', 'address', 'legal_rep', 'industry', 'risk', 'area'] as const).filter((k) => value[k] !== (k === 'legal_rep' ? cur.legalRep : cur[k]));
  const active = value.active ?? (cur.active ? 1 : 0);
  if (active !== (cur.active ? 1 : 0)) changed.push('active' as never);
  if (!changed.length) return cur;
  await p.tx(async (t) => {
    await t.updateTable('enf_entities').set({ name: value.name, address: value.address, legal_rep: value.legal_rep, industry: value.industry, risk: value.risk, area: value.area, active, department_id: dept.id, updated_at: now }).where('id', '=', cur.id).execute();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.entity.update', entity: 'enf_entity', entityId: cur.id, details: { creditCode: cur.creditCode, changed, department: dept.code, previousDepartment: cur.department, ...(changed.includes('active' as never) ? { active: !!active } : {}) } });
  });
  return (await getEntity(p.db, cur.creditCode))!;
}

/** Takes an entity out of the pool (注销/吊销) or puts it back; its history stays. */
export async function setEntityActive(p: Platform, actor: Principal, creditCode: string, active: boolean): Promise<EntityView> {
  const cur = await getEntity(p.db, creditCode);
  if (!cur) throw notFound();
  return updateEntity(p, actor, creditCode, { name: cur.name, address: cur.address, legalRep: cur.legalRep, industry: cur.industry, risk: cur.risk, area: cur.area, active: active ? 1 : 0 });
}

// ---- inspectors ------------------------------------------------------------------------------

export interface InspectorPublic {
  certNo: string;
  name: string;
  department: string;
  departmentName: string;
  fields: InspectionField[];
  active: boolean;
}

export interface InspectorStaff extends InspectorPublic {
  id: number;
  departmentId: number;
  phone: string;
  /** The linked staff account (its username), or null. */
  user: { username: string; displayName: string } | null;
  relations: { creditCode: string; entityName: string; reason: string; createdBy: string; createdAt: string }[];
  updatedAt: string;
}

const inspectorQuery = (db: Db) =>
  db
    .selectFrom('enf_inspectors as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.id', 'i.cert_no', 'i.name', 'i.department_id', 'i.fields', 'i.active', 'i.user_id', 'i.phone', 'i.updated_at', 'd.code as department_code', 'd.name as department_name']);

const fieldsOf = (json: string): InspectionField[] => {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is InspectionField => (INSPECTION_FIELDS as readonly string[]).includes(x)) : [];
  } catch {
    return [];
  }
};

/** The public register of inspectors: by department (code) and field; never a phone or an account. */
export async function listInspectors(db: Db, f: { department?: string; field?: string; page?: number; pageSize?: number; departmentIds?: Set<number> | 'all' }): Promise<{ total: number; page: number; pageSize: number; items: (InspectorPublic & { id: number; departmentId: number })[] }> {
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 200);
  const page = Math.min(Math.max(f.page ?? 1, 1), 10000);
  let q = db.selectFrom('enf_inspectors as i').innerJoin('departments as d', 'd.id', 'i.department_id');
  if (f.department) q = q.where('d.code', '=', f.department);
  // Fields are a JSON array of codes: the quoted code is a whole element.
  if (f.field) q = q.where('i.fields', 'like', `%"${f.field.replace(/[^a-z-]/g, '')}"%`);
  if (f.departmentIds && f.departmentIds !== 'all') {
    const ids = [...f.departmentIds];
    q = q.where('i.department_id', 'in', ids.length ? ids : [-1]);
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .select(['i.id', 'i.cert_no', 'i.name', 'i.department_id', 'i.fields', 'i.active', 'd.code as department_code', 'd.name as department_name'])
    .orderBy('d.sort')
    .orderBy('i.cert_no')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total, page, pageSize, items: rows.map((r) => ({ id: r.id, departmentId: r.department_id, certNo: r.cert_no, name: r.name, department: r.department_code, departmentName: r.department_name, fields: fieldsOf(r.fields), active: !!r.active })) };
}

const normalizeCert = (s: string) => clean(s).normalize('NFKC').replace(/\s/g, '').toUpperCase();

/** An inspector with what staff see (phone, linked account, relations); null when unknown. */
export async function getInspector(db: Db, certNo: string): Promise<InspectorStaff | null> {
  const r = await inspectorQuery(db).where('i.cert_no', '=', normalizeCert(certNo)).executeTakeFirst();
  if (!r) return null;
  const user = r.user_id && /^\d+$/.test(r.user_id) ? await db.selectFrom('users').select(['username', 'display_name']).where('id', '=', Number(r.user_id)).executeTakeFirst() : undefined;
  const relations = await db
    .selectFrom('enf_relations as r')
    .innerJoin('enf_entities as e', 'e.id', 'r.entity_id')
    .select(['e.credit_code', 'e.name', 'r.reason', 'r.created_by', 'r.created_at'])
    .where('r.inspector_id', '=', r.id)
    .orderBy('r.id')
    .execute();
  return {
    id: r.id,
    certNo: r.cert_no,
    name: r.name,
    department: r.department_code,
    departmentName: r.department_name,
    departmentId: r.department_id,
    fields: fieldsOf(r.fields),
    active: !!r.active,
    phone: r.phone,
    user: user ? { username: user.username, displayName: user.display_name } : null,
    relations: relations.map((x) => ({ creditCode: x.credit_code, entityName: x.name, reason: x.reason, createdBy: x.created_by, createdAt: x.created_at })),
    updatedAt: r.updated_at,
  };
}

/** The inspector for a staff page or action: 404 unknown; 404 too outside the caller's `enforcement.read` departments. */
export async function staffInspector(p: Platform, actor: Principal, certNo: string): Promise<InspectorStaff> {
  const i = await getInspector(p.db, certNo);
  if (!i || !can(actor, 'enforcement.read', { departmentId: i.departmentId })) throw notFound();
  return i;
}

function mayRegister(actor: Principal, departmentId: number): void {
  if (!can(actor, 'enforcement.register', { departmentId })) throw forbidden('enforcement.err.not_your_register');
}

function resolveDepartment(depts: DeptRef[], raw: string, problems: Problem[]): DeptRef | null {
  if (!raw) {
    problems.push({ field: 'department', key: 'err.field.required' });
    return null;
  }
  const d = findDepartment(depts, raw);
  if (!d) problems.push({ field: 'department', key: 'enforcement.err.department' });
  return d;
}

export async function createInspector(p: Platform, actor: Principal, raw: InspectorRaw): Promise<InspectorStaff> {
  const { value, problems } = checkInspector(raw);
  const dept = resolveDepartment(await activeDepartments(p.db), value.department, problems);
  if (problems.length) throw new RegisterInvalid(problems);
  mayRegister(actor, dept!.id);
  const now = new Date().toISOString();
  await p.tx(async (t) => {
    if (await t.selectFrom('enf_inspectors').select('id').where('cert_no', '=', value.cert_no).executeTakeFirst()) throw conflict('enforcement.err.inspector_exists', { certNo: 'enforcement.err.inspector_exists' }, { certNo: value.cert_no });
    const row = await t
      .insertInto('enf_inspectors')
      .values({ cert_no: value.cert_no, name: value.name, department_id: dept!.id, fields: JSON.stringify(value.fields), active: value.active ?? 1, user_id: null, phone: value.phone, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.inspector.create', entity: 'enf_inspector', entityId: row.id, details: { certNo: value.cert_no, name: value.name, department: dept!.code } });
  });
  return (await getInspector(p.db, value.cert_no))!;
}

/** Edits an inspector (not the cert number). Moving one to another department needs the right on both and unlinks their account. */
export async function updateInspector(p: Platform, actor: Principal, certNo: string, raw: InspectorRaw): Promise<InspectorStaff> {
  const cur = await staffInspector(p, actor, certNo);
  mayRegister(actor, cur.departmentId);
  const { value, problems } = checkInspector({ ...raw, certNo: cur.certNo, department: clean(raw.department) || cur.department });
  const dept = resolveDepartment(await activeDepartments(p.db), value.department, problems);
  if (problems.length) throw new RegisterInvalid(problems);
  mayRegister(actor, dept!.id);
  const moved = dept!.id !== cur.departmentId;
  const active = value.active ?? (cur.active ? 1 : 0);
  const changed = [
    ...(value.name !== cur.name ? ['name'] : []),
    ...(moved ? ['department'] : []),
    ...(JSON.stringify(value.fields) !== JSON.stringify(cur.fields) ? ['fields'] : []),
    ...(value.phone !== cur.phone ? ['phone'] : []),
    ...(active !== (cur.active ? 1 : 0) ? ['active'] : []),
  ];
  if (!changed.length) return cur;
  await p.tx(async (t) => {
    await t
      .updateTable('enf_inspectors')
      .set({ name: value.name, department_id: dept!.id, fields: JSON.stringify(value.fields), phone: value.phone, active, ...(moved ? { user_id: null } : {}), updated_at: new Date().toISOString() })
      .where('id', '=', cur.id)
      .execute();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.inspector.update', entity: 'enf_inspector', entityId: cur.id, details: { certNo: cur.certNo, changed, ...(moved ? { from: cur.department, to: dept!.code, unlinked: cur.user?.username ?? null } : {}), ...(changed.includes('active') ? { active: !!active } : {}) } });
  });
  return (await getInspector(p.db, cur.certNo))!;
}

export async function setInspectorActive(p: Platform, actor: Principal, certNo: string, active: boolean): Promise<InspectorStaff> {
  const cur = await staffInspector(p, actor, certNo);
  return updateInspector(p, actor, certNo, { name: cur.name, department: cur.department, fields: cur.fields, phone: cur.phone, active: active ? 1 : 0 });
}

/** The staff accounts an inspector may be linked to: active users of the inspector's department who may enter results there. */
export async function linkableUsers(db: Db, departmentId: number): Promise<{ id: number; username: string; displayName: string }[]> {
  const able = new Set((await holders(db, 'inspection.result', departmentId)).map((h) => h.id));
  const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('department_id', '=', departmentId).where('active', '=', 1).orderBy('username').execute();
  return rows.filter((u) => able.has(u.id)).map((u) => ({ id: u.id, username: u.username, displayName: u.display_name }));
}

/**
 * Links an inspector to the staff account that enters their results (`enf_inspectors.user_id`
 * holds the user's id as text), or unlinks it (username null). The account must be an active
 * user of the inspector's department holding `inspection.result` there, and linked to no other
 * inspector.
 */
export async function linkUser(p: Platform, actor: Principal, certNo: string, username: string | null): Promise<InspectorStaff> {
  const cur = await staffInspector(p, actor, certNo);
  mayRegister(actor, cur.departmentId);
  let userId: string | null = null;
  if (username) {
    const u = await p.db.selectFrom('users').select(['id', 'department_id', 'active']).where('username', '=', clean(username).toLowerCase()).executeTakeFirst();
    if (!u || !u.active) throw invalid('username', 'enforcement.err.user_unknown');
    if (u.department_id !== cur.departmentId) throw invalid('username', 'enforcement.err.user_department', { department: cur.departmentName });
    if (!(await linkableUsers(p.db, cur.departmentId)).some((x) => x.id === u.id)) throw invalid('username', 'enforcement.err.user_not_inspector');
    userId = String(u.id);
    const other = await p.db.selectFrom('enf_inspectors').select('cert_no').where('user_id', '=', userId).where('id', '!=', cur.id).executeTakeFirst();
    if (other) throw conflict('enforcement.err.user_linked', { username: 'enforcement.err.user_linked' }, { certNo: other.cert_no });
  }
  await p.tx(async (t) => {
    await t.updateTable('enf_inspectors').set({ user_id: userId, updated_at: new Date().toISOString() }).where('id', '=', cur.id).execute();
    await p.audit(t, { actor: actorOf(actor), action: userId ? 'enforcement.inspector.link' : 'enforcement.inspector.unlink', entity: 'enf_inspector', entityId: cur.id, details: { certNo: cur.certNo, username: username ? clean(username).toLowerCase() : (cur.user?.username ?? null) } });
  });
  return (await getInspector(p.db, cur.certNo))!;
}

/** Declares a conflict of interest (回避): this inspector is never drawn for this entity. */
export async function addRelation(p: Platform, actor: Principal, certNo: string, input: { creditCode?: unknown; reason?: unknown }): Promise<InspectorStaff> {
  const cur = await staffInspector(p, actor, certNo);
  mayRegister(actor, cur.departmentId);
  const problems: Problem[] = [];
  const uscc = checkUscc(clean(input.creditCode));
  if (!uscc.ok) problems.push({ field: 'creditCode', key: uscc.key, params: uscc.params });
  const reason = text(problems, input.reason, 'reason', LIMITS.reason, true);
  if (problems.length) throw new RegisterInvalid(problems);
  const code = (uscc as { code: string }).code;
  const entity = await p.db.selectFrom('enf_entities').select(['id']).where('credit_code', '=', code).executeTakeFirst();
  if (!entity) throw invalid('creditCode', 'enforcement.err.entity_unknown', { creditCode: code });
  await p.tx(async (t) => {
    if (await t.selectFrom('enf_relations').select('id').where('inspector_id', '=', cur.id).where('entity_id', '=', entity.id).executeTakeFirst()) throw conflict('enforcement.err.relation_exists', { creditCode: 'enforcement.err.relation_exists' });
    const row = await t.insertInto('enf_relations').values({ inspector_id: cur.id, entity_id: entity.id, reason, created_by: actor.username, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.relation.add', entity: 'enf_relation', entityId: row.id, details: { certNo: cur.certNo, creditCode: code, reason } });
  });
  return (await getInspector(p.db, cur.certNo))!;
}

export async function removeRelation(p: Platform, actor: Principal, certNo: string, creditCode: string): Promise<InspectorStaff> {
  const cur = await staffInspector(p, actor, certNo);
  mayRegister(actor, cur.departmentId);
  const code = normalizeUscc(creditCode);
  const rel = await p.db
    .selectFrom('enf_relations as r')
    .innerJoin('enf_entities as e', 'e.id', 'r.entity_id')
    .select(['r.id', 'r.reason'])
    .where('r.inspector_id', '=', cur.id)
    .where('e.credit_code', '=', code)
    .executeTakeFirst();
  if (!rel) throw notFound();
  await p.tx(async (t) => {
    await t.deleteFrom('enf_relations').where('id', '=', rel.id).execute();
    await p.audit(t, { actor: actorOf(actor), action: 'enforcement.relation.remove', entity: 'enf_relation', entityId: rel.id, details: { certNo: cur.certNo, creditCode: code, reason: rel.reason } });
  });
  return (await getInspector(p.db, cur.certNo))!;
}

// ---- an entity's inspections (public) --------------------------------------------------------

export interface EntityInspection {
  taskId: number;
  taskTitle: string;
  matterName: string;
  department: string;
  windowStart: string;
  windowEnd: string;
  result: string | null;
}

/** The entity's checks whose task's results are published (结果已公示), newest window first. */
export async function entityInspections(db: Db, entityId: number): Promise<EntityInspection[]> {
  const rows = await db
    .selectFrom('enf_checks as c')
    .innerJoin('enf_tasks as t', 't.id', 'c.task_id')
    .leftJoin('departments as d', 'd.id', 't.department_id')
    .select(['t.id', 't.title', 't.matter_name', 't.window_start', 't.window_end', 'c.result', 'd.name as department_name'])
    .where('c.entity_id', '=', entityId)
    .where('t.state', '=', 'published')
    .orderBy('t.window_end', 'desc')
    .orderBy('t.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ taskId: r.id, taskTitle: r.title, matterName: r.matter_name, department: r.department_name ?? '', windowStart: r.window_start, windowEnd: r.window_end, result: r.result }));
}
