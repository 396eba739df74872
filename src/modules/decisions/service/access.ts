// Who may see and act on a decision and what hangs off it (consultation, hearing): the route's
// permission only says the caller may do this somewhere; these check the target's department.
// Someone who may not read the department's decisions gets 404, as if it did not exist.
import type { Db } from '../../../platform/db/index.js';
import { can } from '../../../platform/auth/policy.js';
import type { Actor } from '../../../platform/auth/actor.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { ConsultationRow, DecisionRow, HearingRow } from '../schema.js';

/** The system (a job, the demo: a string actor) may do anything. */
export const mayDo = (actor: Actor, action: string, departmentId: number): boolean => typeof actor === 'string' || can(actor, action, { departmentId });

function check(actor: Actor, action: string, departmentId: number): void {
  if (!mayDo(actor, action, departmentId)) throw mayDo(actor, 'major-decision.read', departmentId) ? forbidden() : notFound();
}

/** The decision, if `actor` may do `action` on it (404 when it may not even read it, 403 when it may read only). */
export async function decisionFor(db: Db, actor: Actor, id: number, action: string): Promise<DecisionRow> {
  const d = await db.selectFrom('dec_decisions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) throw notFound();
  check(actor, action, d.department_id);
  return d;
}

export async function consultationFor(db: Db, actor: Actor, id: number, action: string): Promise<ConsultationRow> {
  const c = await db.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound();
  check(actor, action, c.department_id);
  return c;
}

export async function hearingFor(db: Db, actor: Actor, id: number, action: string): Promise<HearingRow> {
  const h = await db.selectFrom('dec_hearings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) throw notFound();
  check(actor, action, h.department_id);
  return h;
}
