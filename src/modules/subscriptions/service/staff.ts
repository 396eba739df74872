// What staff see of subscriptions: counts per subscriber list for everyone with
// subscriptions.read; the addresses of a list only with subscriptions.addresses in the list's
// department (a list without one — a topic, a search — only for those granted it everywhere).
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { notFound } from '../../../platform/errors.js';
import { describeList } from './describe.js';

export interface ListCount {
  id: number;
  title: string;
  departmentId: number | null;
  email: number;
  sms: number;
  immediately: number;
  daily: number;
  weekly: number;
  pending: number;
}

export async function listCounts(p: Platform, locale: string, opts: { limit?: number; offset?: number } = {}): Promise<ListCount[]> {
  const rows = await p.db
    .selectFrom('sub_lists as l')
    .leftJoin('sub_subscriptions as s', 's.list_id', 'l.id')
    .leftJoin('sub_subscribers as r', 'r.id', 's.subscriber_id')
    .select([
      'l.id',
      'l.department_id',
      sql<number>`sum(case when s.state = 'active' and r.channel = 'email' then 1 else 0 end)`.as('email'),
      sql<number>`sum(case when s.state = 'active' and r.channel = 'sms' then 1 else 0 end)`.as('sms'),
      sql<number>`sum(case when s.state = 'active' and s.frequency = 'immediately' then 1 else 0 end)`.as('immediately'),
      sql<number>`sum(case when s.state = 'active' and s.frequency = 'daily' then 1 else 0 end)`.as('daily'),
      sql<number>`sum(case when s.state = 'active' and s.frequency = 'weekly' then 1 else 0 end)`.as('weekly'),
      sql<number>`sum(case when s.state = 'pending' then 1 else 0 end)`.as('pending'),
    ])
    .groupBy(['l.id', 'l.department_id'])
    .orderBy(sql`sum(case when s.state = 'active' then 1 else 0 end)`, 'desc')
    .orderBy('l.id')
    .limit(opts.limit ?? 200)
    .offset(opts.offset ?? 0)
    .execute();
  const out: ListCount[] = [];
  for (const r of rows)
    out.push({
      id: Number(r.id),
      title: await describeList(p.db, Number(r.id), locale),
      departmentId: r.department_id === null ? null : Number(r.department_id),
      email: Number(r.email ?? 0),
      sms: Number(r.sms ?? 0),
      immediately: Number(r.immediately ?? 0),
      daily: Number(r.daily ?? 0),
      weekly: Number(r.weekly ?? 0),
      pending: Number(r.pending ?? 0),
    });
  return out;
}

export function maySeeAddresses(user: Principal | null | undefined, departmentId: number | null): boolean {
  if (departmentId === null) return scopeOf(user, 'subscriptions.addresses') === 'all';
  return can(user, 'subscriptions.addresses', { departmentId });
}

/** A list's subscribers with their addresses; 404 for a caller who may not see them. */
export async function listSubscribers(p: Platform, user: Principal | null | undefined, listId: number) {
  const l = await p.db.selectFrom('sub_lists').select(['id', 'department_id']).where('id', '=', listId).executeTakeFirst();
  if (!l || !maySeeAddresses(user, l.department_id === null ? null : Number(l.department_id))) throw notFound();
  return p.db
    .selectFrom('sub_subscriptions as s')
    .innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id')
    .select(['s.id', 'r.channel', 'r.address', 'r.state as subscriber_state', 's.state', 's.frequency', 's.created_at', 's.confirmed_at'])
    .where('s.list_id', '=', listId)
    .where('s.state', '!=', 'ended')
    .orderBy('s.id')
    .limit(500)
    .execute();
}

/** Addresses nothing is sent to any more: suspended after hard bounces, or complained (counts only). */
export async function unreachableCounts(p: Platform): Promise<{ suspended: number; complained: number }> {
  const rows = await p.db.selectFrom('sub_subscribers').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('state', 'in', ['suspended', 'complained']).groupBy('state').execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { suspended: n('suspended'), complained: n('complained') };
}
