// Reading decisions: the staff list with each decision's publication clock, the public list and
// search of the decisions currently on display (from the covering index of migration 10002), a
// decision by its spine item, and the annual report's Table 二 rows.
import type { Db } from '../../../platform/db/index.js';
import { scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { t as translate } from '../../../platform/i18n/index.js';
import type { ReportScope, Table2 } from '../../../platform/annual-report.js';
import { DECISION_KINDS, DOMAINS, type DecisionKind } from './codes.js';
import { SUBJECT_DECISION, type DecisionRow } from '../schema.js';
import type { DecisionData } from '../items.js';
import { domainOptions, publicData } from './decisions.js';
import { currentGeneration } from '../../../platform/publication/cache.js';

export interface StaffFilters {
  status?: string;
  kind?: string;
  departmentId?: number;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** The decisions of the departments the user may read, newest entry first, with their clock. */
export async function listDecisions(db: Db, user: Principal, f: StaffFilters) {
  const scope = scopeOf(user, 'enforcement.read');
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  let q = db.selectFrom('enf_decisions as d').innerJoin('departments as dep', 'dep.id', 'd.department_id');
  if (scope !== 'all') q = q.where('d.department_id', 'in', scope.size ? [...scope] : [-1]);
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  if (f.departmentId) q = q.where('d.department_id', '=', f.departmentId);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('d.doc_no', 'like', like), eb('d.subject_name', 'like', like), eb('d.credit_code', '=', f.q!.toUpperCase())]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .selectAll('d')
    .select(['dep.name as department_name'])
    .orderBy('d.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const clocks = await clocksOf(db, rows.map((r) => r.id));
  return { total, page, pageSize, items: rows.map((r) => ({ ...r, clock: clocks.get(r.id) ?? null })) };
}

export interface DecisionClock {
  rule: string;
  due: string;
  state: string;
  status: string;
}

/** The latest publication clock of each decision. */
export async function clocksOf(db: Db, ids: number[]): Promise<Map<number, DecisionClock>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('clocks')
    .select(['id', 'subject_id', 'rule_code', 'due_date', 'state', 'status'])
    .where('subject_type', '=', SUBJECT_DECISION)
    .where('subject_id', 'in', ids.map(String))
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [Number(r.subject_id), { rule: r.rule_code, due: r.due_date, state: r.state, status: r.status }]));
}

// ---- the public list --------------------------------------------------------------------------------

export interface PublicFilters {
  kind?: DecisionKind;
  /** A legal person's name or any decision's 文号 (part of it). Natural persons' names are not searched: the public sees them masked. */
  q?: string;
  creditCode?: string;
  domain?: string;
  year?: number;
  page?: number;
  pageSize?: number;
}

/** Counts of the public list per database (tests run several side by side), keyed with the generation. */
const counts = new WeakMap<Db, Map<string, number>>();
function countCache(db: Db): Map<string, number> {
  let m = counts.get(db);
  if (!m) counts.set(db, (m = new Map()));
  return m;
}

export type PublicDecision = DecisionData & { id: number; url: string; status: string };

/** Decisions currently on display (status 'published'), newest decision first. */
export async function publicDecisions(db: Db, f: PublicFilters): Promise<{ total: number; items: PublicDecision[] }> {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  // Per kind, from the covering index (status, kind, decision_date, domain, search) of migration
  // 10002: the count and the page's ids read the index only. Both kinds: each kind's first
  // page × size ids, merged by date.
  const kinds: DecisionKind[] = f.kind ? [f.kind] : [...DECISION_KINDS];
  const words = (f.q ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const one = (kind: DecisionKind) => {
    let q = db.selectFrom('enf_decisions as d').where('d.status', '=', 'published').where('d.kind', '=', kind);
    if (f.domain) q = q.where('d.domain', '=', f.domain);
    if (f.year) q = q.where('d.decision_date', '>=', `${f.year}-01-01`).where('d.decision_date', '<=', `${f.year}-12-31`);
    if (f.creditCode) q = q.where('d.credit_code', '=', f.creditCode.trim().toUpperCase()).where('d.subject_type', '=', 'legal');
    for (const w of words) q = q.where('d.search', 'like', `%${w.replace(/[%_\\]/g, '')}%`);
    return q;
  };
  // The ids first: a page that is not full tells the count without counting (a narrow search).
  // Counts are kept per publication generation (platform/publication/cache.ts): every change of
  // what is on display bumps it, so paging through one list counts once.
  const gen = await currentGeneration(db);
  let total = 0;
  let found: { id: number; decision_date: string }[] = [];
  for (const kind of kinds) {
    const q = one(kind);
    const ordered = q.select(['d.id', 'd.decision_date']).orderBy('d.decision_date', 'desc').orderBy('d.id', 'desc');
    const skip = kinds.length > 1 ? 0 : (page - 1) * pageSize;
    const ids = await ordered.limit(kinds.length > 1 ? page * pageSize : pageSize).offset(skip).execute();
    found.push(...ids);
    const full = kinds.length > 1 ? page * pageSize : pageSize;
    if (ids.length < full && (ids.length > 0 || skip === 0)) total += skip + ids.length;
    else {
      const key = `${gen}|${kind}|${f.domain ?? ''}|${f.year ?? ''}|${f.creditCode ?? ''}|${words.join(' ')}`;
      const counts = countCache(db);
      let n = counts.get(key);
      if (n === undefined) {
        n = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
        if (counts.size >= 1000) counts.delete(counts.keys().next().value!);
        counts.set(key, n);
      }
      total += n;
    }
  }
  if (kinds.length > 1) found = found.sort((a, b) => (a.decision_date === b.decision_date ? b.id - a.id : a.decision_date < b.decision_date ? 1 : -1)).slice((page - 1) * pageSize, page * pageSize);
  if (!found.length) return { total, items: [] };
  // Then the page's rows (a join in the first query misleads SQLite's planner).
  const order = new Map(found.map((r, i) => [r.id, i]));
  const rows = (
    await db
      .selectFrom('enf_decisions as d')
      .innerJoin('departments as dep', 'dep.id', 'd.department_id')
      .selectAll('d')
      .select('dep.name as department_name')
      .where('d.id', 'in', [...order.keys()])
      .execute()
  ).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const domains = new Map(rows.some((r) => !(DOMAINS as readonly string[]).includes(r.domain)) ? (await domainOptions(db)).map((x) => [x.code, x.zh]) : []);
  return {
    total,
    items: rows.map((r) => ({ ...publicData(r, r.department_name, domains.get(r.domain) ?? translate('zh-CN', `enforcement.domain.${r.domain}`)), id: r.pub_item_id!, url: `/enforcement/decisions/${r.pub_item_id}`, status: r.status })),
  };
}

/** The decision of a spine item (any status), or null. */
export async function decisionOfItem(db: Db, itemId: number): Promise<(DecisionRow & { department_name: string }) | null> {
  if (!Number.isSafeInteger(itemId) || itemId < 1 || itemId > 2147483647) return null;
  return (await db.selectFrom('enf_decisions as d').innerJoin('departments as dep', 'dep.id', 'd.department_id').selectAll('d').select('dep.name as department_name').where('d.pub_item_id', '=', itemId).executeTakeFirst()) ?? null;
}

// ---- the annual report ---------------------------------------------------------------------------

/**
 * Table 二's 行政许可 and 行政处罚 (本年处理决定数量): the decisions of the scope's departments dated in
 * the year, shown or not (a minor penalty counts, so does one whose display ended) — every approved
 * decision; drafts and submitted ones are unreviewed entries and do not count yet.
 */
export async function decisionsTable2(db: Db, scope: ReportScope): Promise<Table2> {
  let q = db
    .selectFrom('enf_decisions')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['published', 'not-shown', 'ended'])
    .where('decision_date', '>=', `${scope.year}-01-01`)
    .where('decision_date', '<=', `${scope.year}-12-31`);
  if (scope.departmentIds !== 'all') q = q.where('department_id', 'in', scope.departmentIds.length ? scope.departmentIds : [-1]);
  const rows = await q.groupBy('kind').execute();
  const n = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
  return { licensing: n('licensing'), penalties: n('penalty') };
}
