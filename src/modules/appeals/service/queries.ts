// Read models: the staff list (scoped), the public board (published, masked) and statistics.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { Db } from '../../../platform/db/index.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { departmentScope, isCentre, isOperator } from '../service.js';
import { OPEN_STATUSES } from '../schema.js';
import { RATINGS, SATISFIED_RATINGS } from '../../../platform/ratings.js';

export interface StaffFilters {
  status?: string;
  type?: string;
  department?: string;
  category?: string;
  q?: string;
  overdue?: boolean;
  /** 差评 without a call-back record yet (REGULATIONS.md §8: every one gets a call-back). */
  callback?: boolean;
  page: number;
  pageSize: number;
}

export async function staffList(db: Db, user: Principal, f: StaffFilters) {
  let q = db.selectFrom('appeals').leftJoin('departments', 'departments.id', 'appeals.department_id');
  if (!(await isCentre(db, user))) {
    const scope = [...departmentScope(user)];
    const op = isOperator(user);
    q = q.where((eb) => {
      const ors = [];
      if (scope.length) {
        ors.push(eb('appeals.department_id', 'in', scope));
        ors.push(eb('appeals.id', 'in', eb.selectFrom('appeal_assists').select('appeal_id').where('department_id', 'in', scope)));
      }
      if (op) {
        ors.push(eb('appeals.created_by', '=', user.id));
        ors.push(eb('appeals.status', '=', 'received'));
      }
      return ors.length ? eb.or(ors) : eb.val(1).$castTo<number>().$notNull() as any;
    });
    if (!scope.length && !op) q = q.where('appeals.id', '=', -1);
  }
  if (f.status === 'open') q = q.where('appeals.status', 'in', OPEN_STATUSES);
  else if (f.status) q = q.where('appeals.status', '=', f.status);
  if (f.type) q = q.where('appeals.type', '=', f.type);
  if (f.category) q = q.where('appeals.category', '=', f.category);
  if (f.department) q = q.where('departments.code', '=', f.department);
  if (f.overdue) {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    q = q.where('appeals.status', 'in', ['dispatched', 'return_requested']).where('appeals.due_date', '<', today);
  }
  if (f.callback) q = q.where('appeals.rating', 'in', ['dissatisfied', 'very-dissatisfied']).where('appeals.callback_at', 'is', null);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('appeals.title', 'like', like), eb('appeals.tracking_no', '=', f.q!)]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const items = await q
    .select(['appeals.id', 'appeals.tracking_no', 'appeals.type', 'appeals.category', 'appeals.title', 'appeals.status', 'appeals.channel', 'appeals.due_date', 'appeals.created_at', 'appeals.urge_count', 'appeals.rating', 'appeals.publish_state', 'appeals.consent', 'departments.name as department_name', 'departments.code as department'])
    .orderBy('appeals.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { total, items };
}

/**
 * "Is this appeal public?" has one answer, the spine's: its item is public (pub_items.public).
 * A withdrawal through the spine (the appeal console or the catalog console) takes it off the
 * board, the home page, its page, its photos and Open311 at once. `publish_state = 'published'`
 * only narrows the search to released appeals (its partial indexes); it never decides alone.
 */
export function isPublicAppeal(eb: ExpressionBuilder<Database, 'appeals'>) {
  return eb.and([eb('appeals.publish_state', '=', sql.lit('published')), eb('appeals.pub_item_id', 'in', eb.selectFrom('pub_items').select('pub_items.id').where('pub_items.public', '=', 1).where('pub_items.type', '=', 'appeal'))]);
}

/** The public text of released appeals, read from the published version of their spine items
 *  (a new version published through the spine shows here too). Keyed by item id. */
export async function publishedTexts(db: Db, itemIds: number[]): Promise<Map<number, { title: string; content: string; reply: string }>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .selectFrom('pub_items')
    .innerJoin('pub_versions', (j) => j.onRef('pub_versions.item_id', '=', 'pub_items.id').onRef('pub_versions.version', '=', 'pub_items.published_version'))
    .select(['pub_items.id', 'pub_items.title', 'pub_versions.data'])
    .where('pub_items.id', 'in', itemIds)
    .execute();
  return new Map(
    rows.map((r) => {
      const d = JSON.parse(r.data) as { content?: string; reply?: string };
      return [r.id, { title: r.title, content: String(d.content ?? ''), reply: String(d.reply ?? '') }];
    }),
  );
}

export interface BoardFilters {
  type?: string;
  category?: string;
  department?: string;
  month?: string;
  page: number;
  pageSize: number;
}

export const BOARD_COUNT_CAP = 10_000;

const spineText = (x: { title: string; content: string; reply: string } | undefined) => ({ title_masked: x?.title ?? '', content_masked: x?.content ?? '', reply_masked: x?.reply ?? '' });

/** Published appeals with their masked text, newest first. Counting stops at BOARD_COUNT_CAP. */
export async function board(db: Db, f: BoardFilters) {
  let deptId: number | null = null;
  if (f.department) deptId = (await db.selectFrom('departments').select('id').where('code', '=', f.department).executeTakeFirst())?.id ?? -1;
  let q = db.selectFrom('appeals').where((eb) => isPublicAppeal(eb));
  if (f.type) q = q.where('type', '=', f.type);
  if (f.category) q = q.where('category', '=', f.category);
  if (deptId !== null) q = q.where('department_id', '=', deptId);
  if (f.month) q = q.where('month', '=', f.month);
  const capped = await db
    .selectFrom(q.select('id').limit(BOARD_COUNT_CAP + 1).as('x'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const total = Number(capped?.n ?? 0);
  const rows = await q
    .select(['id', 'tracking_no', 'type', 'category', 'title_masked', 'content_masked', 'reply_masked', 'department_id', 'created_at', 'replied_at', 'rating', 'pub_item_id', 'status'])
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const texts = await publishedTexts(db, rows.map((r) => r.pub_item_id!).filter(Boolean));
  const ids = [...new Set(rows.map((r) => r.department_id).filter((x): x is number => x !== null))];
  const depts = ids.length ? new Map((await db.selectFrom('departments').select(['id', 'name', 'code']).where('id', 'in', ids).execute()).map((d) => [d.id, d])) : new Map();
  return {
    total,
    capped: total > BOARD_COUNT_CAP,
    // title_masked/content_masked/reply_masked: the spine's published text (see publishedTexts).
    items: rows.map((r) => ({ ...r, ...spineText(texts.get(r.pub_item_id!)), department_name: r.department_id ? depts.get(r.department_id)?.name ?? '' : '', department: r.department_id ? depts.get(r.department_id)?.code ?? '' : '' })),
  };
}

export interface Stats {
  total: number;
  byType: { key: string; n: number }[];
  byCategory: { key: string; n: number }[];
  byDepartment: { key: string; name: string; n: number; replied: number; overdue: number }[];
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  averageHandlingDays: number | null;
  ratings: { key: string; n: number }[];
  hotTopics: { category: string; n: number; previous: number }[];
  from: string;
  to: string;
}

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);

/**
 * Statistics over appeals received in [from, to] (merged duplicates excluded):
 * response rate = replied (or closed) / dispatched-or-later; resolution rate = marked resolved /
 * replied; satisfaction rate = (非常满意+满意+基本满意) / rated; average handling time = mean
 * calendar days from receipt to reply; hot topics = categories of the last 30 days by count,
 * with the 30 days before for comparison.
 */
export async function stats(db: Db, from: string, to: string): Promise<Stats> {
  const base = db.selectFrom('appeals').where('appeals.created_at', '>=', from).where('appeals.created_at', '<', to + 'T99').where('appeals.status', '!=', 'merged');
  const n = (eb: any) => eb.fn.countAll().as('n');
  const byType = await base.select(['type as key', n]).groupBy('type').execute();
  const byCategory = await base.select(['category as key', n]).groupBy('category').orderBy('n', 'desc').execute();
  const byDeptRows = await base
    .innerJoin('departments', 'departments.id', 'appeals.department_id')
    .select([
      'departments.code as key',
      'departments.name as name',
      n,
      sql<number>`sum(case when appeals.replied_at is not null then 1 else 0 end)`.as('replied'),
      sql<number>`sum(case when appeals.status in ('dispatched','return_requested') and appeals.due_date < ${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)} then 1 else 0 end)`.as('overdue'),
    ])
    .groupBy(['departments.code', 'departments.name'])
    .orderBy('n', 'desc')
    .execute();
  const agg = await base
    .select([
      n,
      sql<number>`sum(case when status <> 'received' then 1 else 0 end)`.as('dispatched'),
      sql<number>`sum(case when replied_at is not null then 1 else 0 end)`.as('replied'),
      sql<number>`sum(case when resolved = 1 then 1 else 0 end)`.as('resolved'),
      sql<number>`sum(case when rating is not null then 1 else 0 end)`.as('rated'),
      sql<number>`sum(case when rating in (${sql.join([...SATISFIED_RATINGS])}) then 1 else 0 end)`.as('satisfied'),
    ])
    .executeTakeFirst();
  const handling = await base.select(['created_at', 'replied_at']).where('replied_at', 'is not', null).orderBy('id', 'desc').limit(20000).execute();
  const ratings = await base.select(['rating as key', n]).where('rating', 'is not', null).groupBy('rating').execute();
  const now = Date.now();
  const d30 = new Date(now - 30 * 86_400_000).toISOString();
  const d60 = new Date(now - 60 * 86_400_000).toISOString();
  const hot = await db.selectFrom('appeals').select(['category', n]).where('created_at', '>=', d30).where('status', '!=', 'merged').groupBy('category').orderBy('n', 'desc').limit(10).execute();
  const prev = await db.selectFrom('appeals').select(['category', n]).where('created_at', '>=', d60).where('created_at', '<', d30).where('status', '!=', 'merged').groupBy('category').execute();
  const prevMap = new Map(prev.map((r) => [r.category, Number(r.n)]));
  const num = (x: unknown) => Number(x ?? 0);
  const avg = handling.length ? handling.reduce((s, r) => s + (Date.parse(r.replied_at!) - Date.parse(r.created_at)), 0) / handling.length / 86_400_000 : null;
  return {
    total: num(agg?.n),
    byType: byType.map((r) => ({ key: String(r.key), n: num(r.n) })),
    byCategory: byCategory.map((r) => ({ key: String(r.key), n: num(r.n) })),
    byDepartment: byDeptRows.map((r) => ({ key: String(r.key), name: String(r.name), n: num(r.n), replied: num(r.replied), overdue: num(r.overdue) })),
    responseRate: pct(num(agg?.replied), num(agg?.dispatched)),
    resolutionRate: pct(num(agg?.resolved), num(agg?.replied)),
    satisfactionRate: pct(num(agg?.satisfied), num(agg?.rated)),
    averageHandlingDays: avg === null ? null : Math.round(avg * 10) / 10,
    ratings: RATINGS.map((k) => ({ key: k, n: num(ratings.find((r) => r.key === k)?.n) })),
    hotTopics: hot.map((r) => ({ category: r.category, n: num(r.n), previous: prevMap.get(r.category) ?? 0 })),
    from,
    to,
  };
}
