// Electronic supervision (电子监察): status counts per department, lists of clocks in warning or
// overdue, a daily snapshot for the trend, the periodic scan that finds status transitions and
// sends each notification exactly once (job idempotency keys), escalation and the daily digest.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import type { Principal } from '../../platform/auth/policy.js';
import { scopeOf } from '../../platform/auth/policy.js';
import { holders, holdersOf } from '../../platform/auth/identity.js';
import { ensureCalendar, todayShanghai } from '../../platform/calendar/index.js';
import { refreshCalendarIfChanged } from '../../platform/calendar/store.js';
import { getRule, getThresholds, statusBoundaries, statusFor, type StatusBoundaries } from '../../platform/deadlines/index.js';
import { enqueueMail } from '../../platform/mail/index.js';
import { t as translate } from '../../platform/i18n/index.js';

/** `finished`: minimum periods that have run their course (never in warning or overdue). */
export const STATUS_BUCKETS = ['normal', 'warning', 'due-today', 'overdue', 'seriously-overdue', 'paused', 'finished'] as const;
export type Bucket = (typeof STATUS_BUCKETS)[number];
export type Scope = 'all' | Set<number>;

/** The caller's departments for supervision ('all' for supervisors and admins). */
export function supervisionScope(user: Principal | null): Scope {
  return scopeOf(user, 'supervision.read');
}

function scoped<Q extends { where: (...a: any[]) => Q }>(q: Q, scope: Scope): Q {
  if (scope === 'all') return q;
  const ids = [...scope];
  return ids.length ? q.where('department_id', 'in', ids) : q.where(sql<boolean>`1 = 0`);
}

export async function boundaries(db: Db, today = todayShanghai()): Promise<StatusBoundaries> {
  await ensureCalendar(db);
  return statusBoundaries(today, await getThresholds(db));
}

export interface DeptCounts {
  departmentId: number | null;
  counts: Record<Bucket, number>;
  total: number;
}

/**
 * Open clocks per department and status, computed from the due dates on `b.today`. Minimum
 * periods are normal until their closing date, then finished; hour clocks due today are overdue
 * from their due minute.
 */
export async function countsByDepartment(db: Db, scope: Scope, b: StatusBoundaries): Promise<DeptCounts[]> {
  const lim = sql`state = 'running' and kind <> 'minimum'`;
  const q = scoped(db.selectFrom('clocks').where('state', 'in', ['running', 'paused']), scope)
    .select([
      'department_id',
      sql<number>`sum(case when state = 'paused' then 1 else 0 end)`.as('paused'),
      sql<number>`sum(case when ${lim} and due_date < ${b.seriousBefore} then 1 else 0 end)`.as('serious'),
      sql<number>`sum(case when ${lim} and ((due_date >= ${b.seriousBefore} and due_date < ${b.today}) or (due_date = ${b.today} and due_at < ${b.now})) then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when ${lim} and due_date = ${b.today} and (due_at is null or due_at >= ${b.now}) then 1 else 0 end)`.as('due_today'),
      sql<number>`sum(case when ${lim} and due_date > ${b.today} and due_date <= ${b.warnUntil} then 1 else 0 end)`.as('warning'),
      sql<number>`sum(case when (${lim} and due_date > ${b.warnUntil}) or (state = 'running' and kind = 'minimum' and due_date > ${b.today}) then 1 else 0 end)`.as('normal'),
      sql<number>`sum(case when state = 'running' and kind = 'minimum' and due_date <= ${b.today} then 1 else 0 end)`.as('finished'),
    ])
    .groupBy('department_id');
  const rows = await q.execute();
  return rows.map((r: any) => {
    const counts: Record<Bucket, number> = { normal: Number(r.normal ?? 0), warning: Number(r.warning ?? 0), 'due-today': Number(r.due_today ?? 0), overdue: Number(r.overdue ?? 0), 'seriously-overdue': Number(r.serious ?? 0), paused: Number(r.paused ?? 0), finished: Number(r.finished ?? 0) };
    return { departmentId: r.department_id, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
}

export interface ClockRowView {
  id: number;
  subjectType: string;
  subjectId: string;
  title: string;
  url: string;
  departmentId: number | null;
  rule: string;
  start: string;
  due: string;
  /** Hour clocks: due as Asia/Shanghai wall time YYYY-MM-DDTHH:MM. */
  dueAt: string | null;
  provisional: boolean;
  status: string;
}

/** Running clocks in warning or worse (optionally one status), most urgent first. Minimum periods are never in it (only with status 'normal', before their closing date). */
export async function attentionList(db: Db, scope: Scope, b: StatusBoundaries, opts: { status?: string; departmentId?: number; limit?: number; offset?: number } = {}): Promise<{ total: number; items: ClockRowView[] }> {
  let q = scoped(db.selectFrom('clocks').where('state', '=', 'running'), scope);
  if (opts.departmentId !== undefined) q = q.where('department_id', '=', opts.departmentId);
  if (opts.status === 'normal') q = q.where((eb) => eb.or([eb('kind', '<>', 'minimum'), eb('due_date', '>', b.today)]));
  else q = q.where('kind', '<>', 'minimum');
  switch (opts.status) {
    case 'seriously-overdue':
      q = q.where('due_date', '<', b.seriousBefore);
      break;
    case 'overdue':
      q = q.where((eb) => eb.or([eb.and([eb('due_date', '>=', b.seriousBefore), eb('due_date', '<', b.today)]), eb.and([eb('due_date', '=', b.today), eb('due_at', '<', b.now)])]));
      break;
    case 'due-today':
      q = q.where('due_date', '=', b.today).where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', b.now)]));
      break;
    case 'warning':
      q = q.where('due_date', '>', b.today).where('due_date', '<=', b.warnUntil);
      break;
    case 'normal':
      q = q.where((eb) => eb.or([eb('due_date', '>', b.warnUntil), eb('kind', '=', 'minimum')]));
      break;
    default:
      q = q.where('due_date', '<=', b.warnUntil);
  }
  const total = Number((await q.select(db.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.select(['id', 'subject_type', 'subject_id', 'title', 'url', 'department_id', 'rule_code', 'kind', 'start_date', 'due_date', 'due_at', 'provisional']).orderBy('due_date').orderBy('due_at').orderBy('id').limit(opts.limit ?? 100).offset(opts.offset ?? 0).execute();
  return {
    total,
    items: rows.map((r) => ({ id: r.id, subjectType: r.subject_type, subjectId: r.subject_id, title: r.title, url: r.url, departmentId: r.department_id, rule: r.rule_code, start: r.start_date, due: r.due_date, dueAt: r.due_at, provisional: !!Number(r.provisional), status: statusFor(r.due_date, b, r.kind, r.due_at) })),
  };
}

export async function trend(db: Db, scope: Scope, days = 30, today = todayShanghai()): Promise<{ day: string; counts: Record<string, number> }[]> {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86400000).toISOString().slice(0, 10);
  const rows = await scoped(db.selectFrom('supervision_snapshots').where('day', '>', from), scope)
    .select(['day', 'status', sql<number>`sum(n)`.as('n')])
    .groupBy(['day', 'status'])
    .orderBy('day')
    .execute();
  const m = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const c = m.get(r.day) ?? {};
    c[r.status] = Number(r.n);
    m.set(r.day, c);
  }
  return [...m.entries()].map(([day, counts]) => ({ day, counts }));
}

// ---- the scan -----------------------------------------------------------------------------

export const SCAN_JOB = 'deadlines.scan';
export const NOTIFY_JOB = 'supervision.notify';
export const DIGEST_JOB = 'supervision.digest';

export type Threshold = 'warning' | 'overdue';

function thresholdOf(status: string): Threshold | null {
  if (status === 'warning' || status === 'due-today') return 'warning';
  if (status === 'overdue' || status === 'seriously-overdue') return 'overdue';
  return null;
}

/**
 * Finds status transitions of running clocks on `today`: stores the new status, enqueues one
 * notification job per clock and threshold (idempotency key), and writes today's snapshot.
 */
export async function runScan(p: Platform, today = todayShanghai()): Promise<{ changed: number; notified: number }> {
  await refreshCalendarIfChanged(p.db); // another instance may have edited the calendar
  const b = await boundaries(p.db, today);
  let changed = 0;
  let notified = 0;
  // Clocks back above the warning line (extended, or calendar changed) return to normal.
  await p.db.updateTable('clocks').set({ status: 'normal' }).where('state', '=', 'running').where('due_date', '>', b.warnUntil).where('status', '!=', 'normal').execute();
  // Minimum periods are never warned about nor overdue: at their closing date they are finished.
  await p.db.updateTable('clocks').set({ status: 'finished' }).where('state', '=', 'running').where('kind', '=', 'minimum').where('due_date', '<=', b.today).where('status', '!=', 'finished').execute();
  const rows = await p.db.selectFrom('clocks').select(['id', 'due_date', 'due_at', 'status', 'notified']).where('state', '=', 'running').where('kind', '<>', 'minimum').where('due_date', '<=', b.warnUntil).execute();
  const level = (x: string | null) => (x === 'overdue' ? 2 : x === 'warning' ? 1 : 0);
  const moves = rows
    .map((r) => {
      const now = statusFor(r.due_date, b, 'limit', r.due_at);
      const th = thresholdOf(now);
      return { id: r.id, old: r.status, now, notify: th && level(th) > level(r.notified) ? th : null };
    })
    .filter((x) => x.old !== x.now || x.notify);
  for (let i = 0; i < moves.length; i += 200) {
    const batch = moves.slice(i, i + 200);
    await p.tx(async (t) => {
      for (const m of batch) {
        await t.updateTable('clocks').set({ status: m.now, ...(m.notify ? { notified: m.notify } : {}), updated_at: new Date().toISOString() }).where('id', '=', m.id).execute();
        if (m.old !== m.now) changed++;
        if (m.notify) {
          await p.jobs.enqueue(t, NOTIFY_JOB, { clockId: m.id, threshold: m.notify }, { key: `notify:${m.id}:${m.notify}` });
          notified++;
        }
      }
    });
  }
  await writeSnapshot(p, today, b);
  return { changed, notified };
}

async function writeSnapshot(p: Platform, day: string, b: StatusBoundaries): Promise<void> {
  const counts = await countsByDepartment(p.db, 'all', b);
  await p.tx(async (t) => {
    await t.deleteFrom('supervision_snapshots').where('day', '=', day).execute();
    const values = counts.flatMap((c) => STATUS_BUCKETS.filter((s) => c.counts[s] > 0).map((s) => ({ day, department_id: c.departmentId ?? 0, status: s, n: c.counts[s] })));
    for (let i = 0; i < values.length; i += 500) await t.insertInto('supervision_snapshots').values(values.slice(i, i + 500)).execute();
  });
}

// ---- notifications --------------------------------------------------------------------------

interface Recipient {
  id: number;
  email: string;
  displayName: string;
}

async function responsibleStaff(db: Db, clock: { responsible_user_id: number | null; department_id: number | null }): Promise<Recipient[]> {
  if (clock.responsible_user_id) {
    const u = await db.selectFrom('users').select(['id', 'email', 'display_name']).where('id', '=', clock.responsible_user_id).where('active', '=', 1).executeTakeFirst();
    if (u) return [{ id: u.id, email: u.email, displayName: u.display_name }];
  }
  if (clock.department_id == null) return [];
  // The department's own alert holders, not those who hold the alerts everywhere (supervisors
  // are told separately), and not admins, who may act anywhere but are not on duty there.
  return (await holders(db, 'supervision.alerts', clock.department_id)).filter((h) => h.scope !== 'all').map(({ id, email, displayName }) => ({ id, email, displayName }));
}

/** Those who watch every department's clocks. */
export async function supervisors(db: Db): Promise<Recipient[]> {
  return (await holders(db, 'supervision.alerts', null)).filter((h) => h.scope === 'all').map(({ id, email, displayName }) => ({ id, email, displayName }));
}

const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);

/** Writes the inbox entries and enqueues the e-mails of one clock reaching one threshold (once). */
export async function notify(p: Platform, clockId: number, threshold: Threshold): Promise<number> {
  const clock = await p.db.selectFrom('clocks').selectAll().where('id', '=', clockId).executeTakeFirst();
  if (!clock || clock.state !== 'running') return 0;
  const staff = await responsibleStaff(p.db, clock);
  const escalate = threshold === 'overdue' ? await supervisors(p.db) : [];
  const base = p.config.publicUrl.replace(/\/$/, '');
  const link = `/admin/clocks/${clock.id}`;
  const rule = await getRule(p.db, clock.rule_code, Number(clock.rule_version));
  const params = { title: clock.title, due: clock.due_at ? clock.due_at.replace('T', ' ') : clock.due_date, rule: rule?.nameZh ?? clock.rule_code };
  const title = zh(`supervision.mail.${threshold}.subject`, params);
  const body = zh(`supervision.mail.${threshold}.body`, params);
  let n = 0;
  await p.tx(async (t) => {
    const seen = new Set<number>();
    for (const [who, kind] of [...staff.map((u) => [u, threshold] as const), ...escalate.map((u) => [u, 'escalation'] as const)]) {
      if (seen.has(who.id)) continue;
      seen.add(who.id);
      const r = await t
        .insertInto('notifications')
        .values({ user_id: who.id, kind, title, body, url: link, clock_id: clock.id, dedupe_key: `clock:${clock.id}:${threshold}`, created_at: new Date().toISOString(), read_at: null })
        .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) n++;
      if (who.email) {
        await enqueueMail(p, t, { to: who.email, subject: title, text: `${who.displayName}：\n\n${body}\n\n${base}${link}\n${clock.url ? `${base}${clock.url}\n` : ''}`, headers: { 'X-Gongkai-Clock': String(clock.id), 'X-Gongkai-Threshold': threshold } }, `notify:${clock.id}:${threshold}:${who.id}`);
      }
    }
    await p.audit(t, { actor: 'system', action: `supervision.notify.${threshold}`, entity: 'clock', entityId: clock.id, details: { recipients: [...seen], escalated: escalate.length > 0 } });
  });
  return n;
}

/** The daily digest to supervisors (all departments) and department admins (their departments). */
export async function digest(p: Platform, day = todayShanghai()): Promise<number> {
  const b = await boundaries(p.db, day);
  const base = p.config.publicUrl.replace(/\/$/, '');
  const depts = new Map((await p.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.id, d.name]));
  // Everyone the digest's declaration names, over where they hold it (a department
  // administrator with sub-departments gets theirs too).
  const targets: { who: Recipient; scope: Scope }[] = (await holdersOf(p.db, 'supervision.digest')).map((h) => ({ who: { id: h.id, email: h.email, displayName: h.displayName }, scope: h.scope }));
  let sent = 0;
  for (const { who, scope } of targets) {
    if (!who.email) continue;
    const counts = await countsByDepartment(p.db, scope, b);
    const sum = (s: Bucket) => counts.reduce((n, c) => n + c.counts[s], 0);
    const attention = sum('warning') + sum('due-today') + sum('overdue') + sum('seriously-overdue');
    if (scope !== 'all' && attention === 0) continue;
    const list = await attentionList(p.db, scope, b, { limit: 50 });
    const lines = [
      zh('supervision.digest.intro', { day }),
      '',
      ...STATUS_BUCKETS.map((s) => `${zh(`deadlines.status.${s}`)}：${sum(s)}`),
      '',
      ...list.items.map((i) => `[${zh(`deadlines.status.${i.status}`)}] ${i.dueAt ? i.dueAt.replace('T', ' ') : i.due} ${depts.get(i.departmentId ?? -1) ?? ''} ${i.title} ${base}/admin/clocks/${i.id}`),
      '',
      `${base}/admin/supervision`,
    ];
    await p.tx((t) => enqueueMail(p, t, { to: who.email, subject: zh('supervision.digest.subject', { day, n: attention }), text: lines.join('\n') }, `digest:${day}:${who.id}`));
    sent++;
  }
  return sent;
}

/** The time slot a scan belongs to (15 minutes): one scan per slot across all server instances. */
export function scanSlot(now = new Date()): string {
  const t = new Date(Math.floor(now.getTime() / (15 * 60000)) * 15 * 60000);
  return t.toISOString().slice(0, 16);
}
