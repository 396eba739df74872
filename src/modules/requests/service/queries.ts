// Reading requests: the staff work list (scoped to the caller's departments), the citizen's look-up
// with tracking number and query code (each attempt counts towards the number's lock), and the
// counts of the staff dashboard.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { grantedDepartments } from '../../../platform/auth/policy.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { clearCodeAttempts, codeMatches, countCodeAttempt, normalizeQueryCode } from '../../../platform/tracking.js';
import { QUERY_CODE, TRACKING_NO } from './intake.js';
import { readScope } from '../service.js';
import { OPEN_STATES, WORKING_STATES, type DisclosureRequest } from '../schema.js';

export interface ListFilter {
  state?: string;
  department?: string;
  channel?: string;
  overdue?: boolean;
  /** Only requests with a 行政复议 or 行政诉讼 not yet decided. */
  pendingReview?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

/** The requests of the caller's departments (all for a global reader), newest first. */
export async function staffList(db: Db, user: Principal, f: ListFilter) {
  const scope = readScope(user);
  if (scope !== 'all' && !scope.size) return { total: 0, items: [] };
  let q = db.selectFrom('disclosure_requests as r').innerJoin('departments as d', 'd.id', 'r.department_id');
  if (scope !== 'all') q = q.where('r.department_id', 'in', [...scope]);
  if (f.state === 'open') q = q.where('r.state', 'in', OPEN_STATES);
  else if (f.state) q = q.where('r.state', '=', f.state);
  if (f.department) q = q.where('d.code', '=', f.department);
  if (f.channel) q = q.where('r.channel', '=', f.channel);
  if (f.overdue) q = q.where('r.state', 'in', WORKING_STATES).where('r.due_date', '<', todayShanghai());
  if (f.pendingReview) q = q.where((eb) => eb.exists(eb.selectFrom('request_reviews as v').select('v.id').whereRef('v.request_id', '=', 'r.id').where('v.outcome', 'is', null)));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('r.tracking_no', '=', f.q!.toUpperCase()), sql<boolean>`r.info_name like ${like} escape '\\'`, sql<boolean>`r.requester_name like ${like} escape '\\'`]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const items = await q
    .select(['r.id', 'r.tracking_no', 'r.info_name', 'r.requester_type', 'r.requester_name', 'r.channel', 'r.state', 'r.arrived_on', 'r.received_on', 'r.due_date', 'r.outcome', 'r.to_government', 'd.name as department_name'])
    .orderBy('r.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { total, items };
}

/** Counts for the dashboard panel: awaiting receipt, being handled, overdue, extensions waiting for this approver, reviews and suits pending. */
export async function dashboardCounts(db: Db, user: Principal) {
  const scope = readScope(user);
  const within = (q: any) => (scope === 'all' ? q : q.where('department_id', 'in', scope.size ? [...scope] : [-1]));
  const count = async (fn: (q: any) => any) => Number((await fn(within(db.selectFrom('disclosure_requests'))).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const mine = [...grantedDepartments(user, 'request.approve-extension')];
  const [awaiting, handling, overdue, approvals, reviews] = await Promise.all([
    count((q) => q.where('state', '=', 'awaiting-receipt')),
    count((q) => q.where('state', 'in', OPEN_STATES.filter((s) => s !== 'awaiting-receipt'))),
    count((q) => q.where('state', 'in', WORKING_STATES).where('due_date', '<', todayShanghai())),
    mine.length
      ? db
          .selectFrom('request_extensions as x')
          .innerJoin('disclosure_requests as r', 'r.id', 'x.request_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('x.status', '=', 'pending')
          .where('r.department_id', 'in', mine)
          .executeTakeFirst()
          .then((r) => Number(r?.n ?? 0))
      : Promise.resolve(0),
    // Cases (行政复议, 行政诉讼) not yet decided, about the requests the user sees.
    within(db.selectFrom('request_reviews as v').innerJoin('disclosure_requests', 'disclosure_requests.id', 'v.request_id'))
      .select((eb: any) => eb.fn.countAll().as('n'))
      .where('v.outcome', 'is', null)
      .executeTakeFirst()
      .then((r: any) => Number(r?.n ?? 0)),
  ]);
  return { awaiting, handling, overdue, approvals, reviews };
}

/**
 * The request for a tracking number and query code; null when either is wrong (the same answer
 * either way, the same work). Every attempt on a well-formed number counts towards its lock;
 * while it is locked this throws 429 — even for the right code.
 */
export async function findWithCode(db: Db, trackingNo: unknown, code: unknown): Promise<DisclosureRequest | null> {
  const no = typeof trackingNo === 'string' ? trackingNo.trim().toUpperCase() : '';
  if (!TRACKING_NO.test(no)) return null;
  const c = normalizeQueryCode(code);
  await countCodeAttempt(db, 'request_code_failures', no, 'requests.err.code_locked');
  const r = await db.selectFrom('disclosure_requests').selectAll().where('tracking_no', '=', no).executeTakeFirst();
  if (!codeMatches(r?.code_hash, no, c) || !r || !QUERY_CODE.test(c)) return null;
  await clearCodeAttempts(db, 'request_code_failures', no);
  return r;
}
