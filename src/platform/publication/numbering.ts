// 索引号 allocation and the spine's settings (index-number prefix, multi-stage departments).
import { sql } from 'kysely';
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import { can } from '../auth/policy.js';
import { forbidden, validationError } from '../errors.js';
import { getGovernment } from '../render/context.js';
import { actorName, type Actor } from '../auth/actor.js';
import { getSetting, putSetting } from '../settings/index.js';
import './schema.js';

function allow(a: Actor, action: string, departmentId: number): boolean {
  return typeof a === 'string' || can(a, action, { departmentId });
}

// ---- settings ---------------------------------------------------------------------------------

export { getSetting, putSetting };

/** Departments (ids) where one person may approve more than one stage of the same version (small departments). */
export async function multiStageDepartments(db: Db): Promise<number[]> {
  return JSON.parse((await getSetting(db, 'publication.multi_stage_departments')) ?? '[]');
}
export async function setMultiStage(p: Platform, actor: Actor, departmentId: number, allowed: boolean): Promise<void> {
  if (!allow(actor, 'department.edit', departmentId)) throw forbidden();
  await p.tx(async (t) => {
    const cur = new Set<number>(JSON.parse((await getSetting(t, 'publication.multi_stage_departments')) ?? '[]'));
    if (allowed) cur.add(departmentId);
    else cur.delete(departmentId);
    await putSetting(t, 'publication.multi_stage_departments', JSON.stringify([...cur]));
    await p.audit(t, { actor: actorName(actor), action: 'publication.setting', entity: 'department', entityId: departmentId, details: { multiStage: allowed } });
  });
}
export const INDEX_PREFIX_MODES = ['government', 'department'] as const;
export type IndexPrefixMode = (typeof INDEX_PREFIX_MODES)[number];

export async function getIndexPrefixMode(db: Db): Promise<IndexPrefixMode> {
  return (await getSetting(db, 'publication.index_prefix')) === 'department' ? 'department' : 'government';
}

/** 'government' (default): 索引号 prefix is the government's org code; 'department': the department's own code when it has one. */
export async function setIndexPrefixMode(p: Platform, actor: Actor, mode: IndexPrefixMode): Promise<void> {
  if (typeof actor !== 'string' && !can(actor, 'government.edit')) throw forbidden();
  if (!(INDEX_PREFIX_MODES as readonly string[]).includes(mode)) throw validationError({ indexPrefix: 'err.field.invalid' });
  await p.tx(async (t) => {
    await putSetting(t, 'publication.index_prefix', mode);
    await p.audit(t, { actor: actorName(actor), action: 'publication.setting', entity: 'government', entityId: 1, details: { indexPrefix: mode } });
  });
}

// ---- 索引号 -------------------------------------------------------------------------------------

/** Allocates the next 索引号 inside the publishing transaction (atomic counter row; unique on both databases). */
export async function allocateIndexNo(t: Db, departmentId: number, year: number): Promise<string> {
  const mode = (await getSetting(t, 'publication.index_prefix')) ?? 'government';
  let prefix = getGovernment().orgCode;
  if (!prefix) prefix = (await t.selectFrom('government').select('org_code').orderBy('id').executeTakeFirst())?.org_code ?? '000000000';
  if (mode === 'department') {
    const d = await t.selectFrom('departments').select('org_code').where('id', '=', departmentId).executeTakeFirst();
    if (d?.org_code) prefix = d.org_code;
  }
  const r = await sql<{ n: number }>`insert into pub_counters (prefix, year, n) values (${prefix}, ${year}, 1)
    on conflict (prefix, year) do update set n = pub_counters.n + 1 returning n`.execute(t);
  const n = Number(r.rows[0].n);
  return `${prefix}/${year}-${String(n).padStart(5, '0')}`;
}
