// Annual reports (政府信息公开工作年度报告): a draft per year and scope (a department with its
// sub-departments, or the whole government, whose report the disclosure office publishes), its
// figures frozen from the modules' sources at every save, staff's narrative and Table 二 entries,
// the spine's review up to publication, revised versions after it, and the Art. 49 clocks.
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import { can, type Principal } from '../../platform/auth/policy.js';
import { actorName, type Actor } from '../../platform/auth/actor.js';
import { badRequest, conflict, forbidden, notFound, validationError } from '../../platform/errors.js';
import { getSetting } from '../../platform/settings/index.js';
import { t as translate } from '../../platform/i18n/index.js';
import { getGovernment } from '../../platform/render/context.js';
import { ensureCalendar, todayShanghai } from '../../platform/calendar/index.js';
import { completeClock, startClock, stopClock } from '../../platform/deadlines/index.js';
import { assembleAnnualReport, TABLE2_ROWS, type ReportScope, type Table2Row } from '../../platform/annual-report.js';
import { bumpGeneration, createDraft, publishApproved, getItemRow, getVersion, reviewHistory, transition, updateDraft, type ItemRow, type VersionView } from '../../platform/publication/index.js';
import { DEPARTMENT_RULE, GOVERNMENT, GOVERNMENT_RULE, SUBJECT, type AnnualReportRow } from './schema.js';
import { fenOf, freeze, groupTotal, isCountRow, missingRows, NARRATIVE_KEYS, wanYuan, type Figures, type ManualTable2, type Narrative } from './service/figures.js';
import { ANNUAL_REPORT, CATEGORY, checkNarrative, GENRE, TOPIC } from './items.js';
import type { AnnualReportData } from './views.js';

export const READ = 'annual-report.read';
export const EDIT = 'annual-report.edit';
/** The first year of the format (the regulations' annual report since 2008). */
export const FIRST_YEAR = 2008;

// ---- scopes -------------------------------------------------------------------------------------

/** The department publishing the government's report: the disclosure office (`requests.office`, default gkb). */
export async function officeDepartment(db: Db): Promise<number | null> {
  const code = (await getSetting(db, 'requests.office')) ?? 'gkb';
  return (await db.selectFrom('departments').select('id').where('code', '=', code).where('active', '=', 1).executeTakeFirst())?.id ?? null;
}

export interface Scope {
  /** 'government' or the department's id as text. */
  key: string;
  /** The publishing department (the office for the government). */
  departmentId: number;
  /** The payload's scope: 'government' or the department's code. */
  code: string;
  name: string;
  departmentIds: number[] | 'all';
  rule: string;
}

async function governmentName(db: Db): Promise<string> {
  const g = getGovernment().name;
  if (g && g !== 'gongkai') return g;
  return (await db.selectFrom('government').select('name').orderBy('id').executeTakeFirst())?.name ?? g;
}

/** A scope from its key; null when the key names no active top-level department (or no office exists). */
export async function scopeOf(db: Db, key: string): Promise<Scope | null> {
  if (key === GOVERNMENT) {
    const office = await officeDepartment(db);
    return office ? { key, departmentId: office, code: GOVERNMENT, name: await governmentName(db), departmentIds: 'all', rule: GOVERNMENT_RULE.code } : null;
  }
  if (!/^\d{1,9}$/.test(key)) return null;
  const all = await db.selectFrom('departments').select(['id', 'parent_id', 'code', 'name', 'active']).execute();
  const d = all.find((x) => x.id === Number(key));
  if (!d || !d.active || d.parent_id !== null) return null;
  const ids = [d.id];
  for (let i = 0; i < ids.length; i++) for (const x of all) if (x.parent_id === ids[i]) ids.push(x.id);
  return { key, departmentId: d.id, code: d.code, name: d.name, departmentIds: ids, rule: DEPARTMENT_RULE.code };
}

/** Every scope that owes a report: the government, then each active top-level department. */
export async function allScopes(db: Db): Promise<Scope[]> {
  const top = await db.selectFrom('departments').select('id').where('parent_id', 'is', null).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
  const out: Scope[] = [];
  for (const key of [GOVERNMENT, ...top.map((d) => String(d.id))]) {
    const s = await scopeOf(db, key);
    if (s) out.push(s);
  }
  return out;
}

// ---- the Art. 49 clocks ----------------------------------------------------------------------------

/** The statutory date: 31 January (departments) or 31 March (the government) of the next year. */
export const dueDate = (year: number, s: Pick<Scope, 'rule'>) => `${year + 1}-${s.rule === GOVERNMENT_RULE.code ? '03' : '01'}-31`;
const subjectId = (year: number, s: Pick<Scope, 'key'>) => `${year}:${s.key}`;

/** Starts the scope's clock for the year unless one was ever started (idempotent; a completed one stays). */
export async function ensureClock(p: Platform, t: Db, year: number, s: Scope): Promise<void> {
  const id = subjectId(year, s);
  const had = await t.selectFrom('clocks').select('id').where('subject_type', '=', SUBJECT).where('subject_id', '=', id).where('rule_code', '=', s.rule).executeTakeFirst();
  if (had) return;
  // 31 December 23:59 to the due date's 23:59, every hour counted (a leap year's March clock is a day longer).
  const hours = (Date.parse(`${dueDate(year, s)}T00:00Z`) - Date.parse(`${year}-12-31T00:00Z`)) / 3_600_000;
  const ruleHours = s.rule === GOVERNMENT_RULE.code ? GOVERNMENT_RULE.amount : DEPARTMENT_RULE.amount;
  await startClock(p, t, {
    subjectType: SUBJECT,
    subjectId: id,
    rule: s.rule,
    start: `${year}-12-31T23:59`,
    ...(hours !== ruleHours ? { amount: hours, unit: 'hours' as const } : {}),
    departmentId: s.departmentId,
    title: translate('zh-CN', 'annual-reports.title_of', { name: s.name, year }),
    url: `/admin/annual-reports?year=${year}`,
    publicSubject: true,
  });
}

/** The daily tick: the clocks of last year's reports for every scope, and completion of the clocks of published reports. */
export async function tickClocks(p: Platform, today = todayShanghai()): Promise<void> {
  const year = Number(today.slice(0, 4)) - 1;
  const scopes = await allScopes(p.db);
  const published = await p.db
    .selectFrom('annual_reports as r')
    .innerJoin('pub_items as i', 'i.id', 'r.pub_item_id')
    .select(['r.year', 'r.scope'])
    .where('i.published_version', 'is not', null)
    .execute();
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    // A report published before its clock was due to start (imported history) needs none.
    for (const s of scopes) if (!published.some((r) => r.year === year && r.scope === s.key)) await ensureClock(p, t, year, s);
    for (const r of published) await completeClock(p, t, SUBJECT, `${r.year}:${r.scope}`);
  });
}

// ---- figures --------------------------------------------------------------------------------------

const sources = (p: Platform) => p.modules.flatMap((m) => (m.annualReport ? [m.annualReport] : []));

/** The figures of the year for the scope as the mounted modules give them now, with staff's entries. */
export async function liveFigures(p: Platform, year: number, s: Scope, manual: ManualTable2): Promise<Figures> {
  const scope: ReportScope = { year, departmentIds: s.departmentIds };
  return freeze(await assembleAnnualReport(p.db, sources(p), scope), manual);
}

/** Last year's figures: its published report's, else computed now (staff entries none); null before the first year. */
export async function previousFigures(p: Platform, year: number, s: Scope): Promise<Figures | null> {
  if (year - 1 < FIRST_YEAR) return null;
  const prev = await p.db.selectFrom('annual_reports as r').innerJoin('pub_items as i', 'i.id', 'r.pub_item_id').select(['i.id', 'i.published_version']).where('r.year', '=', year - 1).where('r.scope', '=', s.key).executeTakeFirst();
  if (prev?.published_version) return ((await getVersion(p.db, prev.id, prev.published_version))!.data as AnnualReportData).figures;
  return liveFigures(p, year - 1, s, {});
}

/** How many catalog items of the scope were first published in the year (Asia/Shanghai). */
async function proactiveCount(db: Db, year: number, s: Scope): Promise<number> {
  let q = db
    .selectFrom('pub_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('category', 'is not', null)
    .where('type', '!=', ANNUAL_REPORT)
    .where('first_published_at', '>=', `${year - 1}-12-31T16:00:00.000Z`)
    .where('first_published_at', '<', `${year}-12-31T16:00:00.000Z`);
  if (s.departmentIds !== 'all') q = q.where('department_id', 'in', s.departmentIds);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/** Drafts of the six sections written from the figures (staff edit them). Chinese: published text. */
export async function prefill(p: Platform, year: number, s: Scope, f: Figures): Promise<Narrative> {
  const t3 = f.table3;
  const t4 = f.table4;
  const docs = (r: Table2Row) => {
    const v = f.table2[r];
    return v && typeof v === 'object' ? v.issued : 0;
  };
  const fees = typeof f.table2.fees === 'number' ? f.table2.fees : 0;
  const params = {
    name: s.name,
    year,
    next: year + 1,
    items: await proactiveCount(p.db, year, s),
    rules: docs('rules'),
    norms: docs('normative-documents'),
    fees: wanYuan(fees),
    received: t3.total.received,
    carriedIn: t3.total.carriedIn,
    closed: t3.total.outcomeTotal,
    disclosed: groupTotal(t3, 'disclosed') + groupTotal(t3, 'partly-disclosed'),
    carriedOut: t3.total.carriedOut,
    reviews: t4.review.total,
    suits: t4['suit-direct'].total + t4['suit-after-review'].total,
    corrected: t4.review.corrected + t4['suit-direct'].corrected + t4['suit-after-review'].corrected,
  };
  // Section 六 says whether processing fees were charged (国办函〔2020〕109号 asks the report to).
  const key = (k: string) => (k === 'other' && fees > 0 ? 'annual-reports.prefill.other_fees' : `annual-reports.prefill.${k}`);
  return Object.fromEntries(NARRATIVE_KEYS.map((k) => [k, translate('zh-CN', key(k), params)])) as Narrative;
}

// ---- input ----------------------------------------------------------------------------------------

const COUNT_MAX = 1_000_000_000;
const count = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v.trim()) ? Number(v.trim()) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= COUNT_MAX ? n : null;
};

/**
 * Staff's Table 二 entries, checked: 规章/规范性文件 {issued, repealed, inForce}, decisions a count,
 * fees in 万元 (up to four decimals; stored in 分). Only rows no module supplies (`open`) are taken.
 * Blank values clear an entry. Field errors `manual.<row>[.<column>]`.
 */
export function readManual(input: unknown, open: Table2Row[], had: ManualTable2): ManualTable2 {
  if (input === undefined) return had;
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw validationError({ manual: 'err.field.invalid' });
  const src = input as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const out: ManualTable2 = {};
  for (const k of Object.keys(src)) if (!(TABLE2_ROWS as readonly string[]).includes(k)) fields[`manual.${k}`] = 'err.field.invalid';
  for (const r of TABLE2_ROWS) {
    const v = src[r];
    if (v === undefined) {
      if (had[r] !== undefined && open.includes(r)) out[r] = had[r];
      continue;
    }
    if (!open.includes(r)) {
      fields[`manual.${r}`] = 'annual-reports.err.supplied';
      continue;
    }
    if (v === null || v === '') continue;
    if (isCountRow(r)) {
      const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const d = { issued: count(o.issued), repealed: count(o.repealed), inForce: count(o.inForce) };
      for (const [k, n] of Object.entries(d)) if (n === null) fields[`manual.${r}.${k}`] = 'annual-reports.err.count';
      if (d.issued !== null && d.repealed !== null && d.inForce !== null) out[r] = { issued: d.issued, repealed: d.repealed, inForce: d.inForce };
    } else if (r === 'fees') {
      const fen = fenOf(v);
      if (fen === null) fields['manual.fees'] = 'annual-reports.err.amount';
      else out.fees = fen;
    } else {
      const n = count(v);
      if (n === null) fields[`manual.${r}`] = 'annual-reports.err.count';
      else out[r] = n;
    }
  }
  if (Object.keys(fields).length) throw validationError(fields);
  return out;
}

export function checkYear(year: unknown, field = 'year'): number {
  const y = typeof year === 'string' && /^\d{4}$/.test(year) ? Number(year) : year;
  const last = Number(todayShanghai().slice(0, 4));
  if (typeof y !== 'number' || !Number.isInteger(y) || y < FIRST_YEAR || y > last) throw badRequest('err.validation', { [field]: 'annual-reports.err.year' }, { first: FIRST_YEAR, last });
  return y;
}

// ---- reading ----------------------------------------------------------------------------------------

export interface Loaded {
  row: AnnualReportRow;
  scope: Scope;
  item: ItemRow;
  latest: VersionView;
}

/** The report as a staff member may see it: 404 when it does not exist or is another department's. */
export async function loadFor(p: Platform, actor: Actor, id: number): Promise<Loaded> {
  const row = Number.isSafeInteger(id) && id > 0 ? await p.db.selectFrom('annual_reports').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('annual-reports.err.not_found');
  if (typeof actor !== 'string' && !can(actor, READ, { departmentId: row.department_id })) throw notFound('annual-reports.err.not_found');
  const scope = await scopeOf(p.db, row.scope);
  const item = (await getItemRow(p.db, row.pub_item_id)) as ItemRow;
  if (!scope || !item) throw notFound('annual-reports.err.not_found');
  return { row, scope, item, latest: (await getVersion(p.db, item.id, item.latest_version))! };
}

function requireEdit(actor: Actor, departmentId: number): void {
  if (typeof actor !== 'string' && !can(actor, EDIT, { departmentId })) throw forbidden('annual-reports.err.not_yours');
}

export interface ListEntry {
  scope: Scope;
  due: string;
  clock: { status: string; state: string; due: string } | null;
  report: { id: number; itemId: number; status: string; public: boolean; version: number; publishedVersion: number | null } | null;
  mayEdit: boolean;
}

/** The year's reports of the scopes the user may see, each with its due date and clock. */
export async function listReports(p: Platform, user: Principal | 'system', year: number): Promise<ListEntry[]> {
  const scopes = (await allScopes(p.db)).filter((s) => user === 'system' || can(user, READ, { departmentId: s.departmentId }));
  const rows = await p.db
    .selectFrom('annual_reports as r')
    .innerJoin('pub_items as i', 'i.id', 'r.pub_item_id')
    .select(['r.id', 'r.scope', 'i.id as itemId', 'i.status', 'i.public', 'i.latest_version', 'i.published_version'])
    .where('r.year', '=', year)
    .execute();
  const clocks = await p.db.selectFrom('clocks').select(['subject_id', 'status', 'state', 'due_date']).where('subject_type', '=', SUBJECT).where('subject_id', 'like', `${year}:%`).orderBy('id').execute();
  return scopes.map((s) => {
    const r = rows.find((x) => x.scope === s.key);
    const c = clocks.filter((x) => x.subject_id === subjectId(year, s)).at(-1);
    return {
      scope: s,
      due: dueDate(year, s),
      clock: c ? { status: c.status, state: c.state, due: c.due_date } : null,
      report: r ? { id: r.id, itemId: r.itemId, status: r.status, public: !!r.public, version: r.latest_version, publishedVersion: r.published_version } : null,
      mayEdit: user === 'system' || can(user, EDIT, { departmentId: s.departmentId }),
    };
  });
}

/** One report for the console and the API: the latest version, the live figures, the clock and the review history. */
export async function reportDetail(p: Platform, actor: Actor, id: number) {
  const l = await loadFor(p, actor, id);
  const manual = JSON.parse(l.row.manual) as ManualTable2;
  const live = await liveFigures(p, l.row.year, l.scope, manual);
  const clock = await p.db.selectFrom('clocks').select(['status', 'state', 'due_date']).where('subject_type', '=', SUBJECT).where('subject_id', '=', subjectId(l.row.year, l.scope)).orderBy('id', 'desc').executeTakeFirst();
  return { ...l, manual, live, clock: clock ? { status: clock.status, state: clock.state, due: clock.due_date } : null, history: await reviewHistory(p.db, l.item.id), due: dueDate(l.row.year, l.scope) };
}

// ---- writing ----------------------------------------------------------------------------------------

const titleOf = (year: number, s: Scope) => translate('zh-CN', 'annual-reports.title_of', { name: s.name, year });
/** The day the report is formed (Art. 26's clock): the first day after its year, or today when later. */
const formedOn = (year: number) => {
  const today = todayShanghai();
  return today > `${year + 1}-01-01` ? today : `${year + 1}-01-01`;
};

async function payload(p: Platform, year: number, s: Scope, narrative: Narrative | null, manual: ManualTable2): Promise<AnnualReportData> {
  const figures = await liveFigures(p, year, s, manual);
  return { year, scope: s.code, scopeName: s.name, narrative: narrative ?? (await prefill(p, year, s, figures)), figures, previous: await previousFigures(p, year, s) };
}

/** Creates the draft of a year's report for a scope (one per year and scope), its sections prefilled from the figures. */
export async function createReport(p: Platform, actor: Actor, input: { year?: unknown; scope?: unknown }): Promise<{ id: number; itemId: number }> {
  const year = checkYear(input.year);
  const s = typeof input.scope === 'string' ? await scopeOf(p.db, input.scope) : null;
  if (!s) throw validationError({ scope: 'annual-reports.err.scope' });
  requireEdit(actor, s.departmentId);
  const exists = await p.db.selectFrom('annual_reports').select('id').where('year', '=', year).where('scope', '=', s.key).executeTakeFirst();
  if (exists) throw conflict('annual-reports.err.exists', undefined, { id: exists.id });
  const data = await payload(p, year, s, null, {});
  const itemId = await createDraft(p, actor, { type: ANNUAL_REPORT, departmentId: s.departmentId, meta: { title: titleOf(year, s), genre: GENRE, topic: TOPIC, category: CATEGORY, writtenAt: formedOn(year), formedAt: formedOn(year), summary: translate('zh-CN', 'annual-reports.summary', { name: s.name, year }), keywords: ['政府信息公开', '年度报告'] }, data });
  await ensureCalendar(p.db);
  const now = new Date().toISOString();
  try {
    const id = await p.tx(async (t) => {
      const row = await t.insertInto('annual_reports').values({ year, scope: s.key, department_id: s.departmentId, pub_item_id: itemId, narrative: JSON.stringify(data.narrative), manual: '{}', created_by: actorName(actor), created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      await ensureClock(p, t, year, s);
      await p.audit(t, { actor: actorName(actor), action: 'annual-report.create', entity: 'annual_report', entityId: row.id, details: { year, reportOf: s.name, itemId } });
      return row.id;
    });
    return { id, itemId };
  } catch (err) {
    // Another creation of the same year and scope won the race: its draft stays, ours goes.
    await p.tx(async (t) => {
      await stopClock(p, t, 'publication', itemId, 'annual-reports: duplicate draft');
      await t.deleteFrom('pub_versions').where('item_id', '=', itemId).execute();
      await t.deleteFrom('pub_items').where('id', '=', itemId).where('published_version', 'is', null).execute();
    });
    const again = await p.db.selectFrom('annual_reports').select('id').where('year', '=', year).where('scope', '=', s.key).executeTakeFirst();
    if (again) throw conflict('annual-reports.err.exists', undefined, { id: again.id });
    throw err;
  }
}

/**
 * Saves the narrative and staff's Table 二 entries and freezes the figures anew (a refresh is a save
 * with nothing changed). On a published report this starts a revised version (更正), which needs a
 * change note and goes through review again; the published one stays online meanwhile.
 */
export async function saveReport(p: Platform, actor: Actor, id: number, input: { narrative?: unknown; manual?: unknown; changeNote?: unknown }): Promise<{ version: number }> {
  const l = await loadFor(p, actor, id);
  requireEdit(actor, l.row.department_id);
  const had = JSON.parse(l.row.manual) as ManualTable2;
  const open = (await liveFigures(p, l.row.year, l.scope, {})).manual;
  const manual = readManual(input.manual, open, had);
  const current = (l.latest.data as AnnualReportData).narrative;
  if (input.narrative !== undefined && (!input.narrative || typeof input.narrative !== 'object' || Array.isArray(input.narrative))) throw validationError({ narrative: 'err.field.invalid' });
  // Sections not sent keep their text.
  const { narrative, fields } = checkNarrative({ ...current, ...(input.narrative as object | undefined) });
  const note = typeof input.changeNote === 'string' ? input.changeNote.trim() : '';
  if (input.changeNote !== undefined && typeof input.changeNote !== 'string') fields.changeNote = 'err.field.invalid';
  else if (note.length > 500) fields.changeNote = 'err.field.too_long';
  const revising = l.latest.state === 'published' || l.latest.state === 'superseded';
  if (revising && !note) fields.changeNote = 'annual-reports.err.change_note';
  if (Object.keys(fields).length) throw validationError(fields);
  if (!revising && l.latest.state !== 'draft') throw conflict('annual-reports.err.in_review', undefined, { status: l.latest.state });
  const data = await payload(p, l.row.year, l.scope, narrative, manual);
  const version = await updateDraft(p, actor, l.item.id, { data, changeNote: revising || note ? note : undefined });
  await p.tx(async (t) => {
    await t.updateTable('annual_reports').set({ narrative: JSON.stringify(narrative), manual: JSON.stringify(manual), updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'annual-report.save', entity: 'annual_report', entityId: id, details: { version, revising } });
  });
  return { version };
}

export const STEPS = ['submit', 'approve', 'reject'] as const;
export type Step = (typeof STEPS)[number];

/**
 * A workflow step through the spine (submit → 保密审查 → 审核 → 签发 → published; reject back to
 * the draft). A submission needs every Table 二 figure; publication completes the Art. 49 clock.
 */
export async function step(p: Platform, actor: Actor, id: number, action: string, reason?: unknown) {
  if (!(STEPS as readonly string[]).includes(action)) throw validationError({ action: 'err.field.enum_generic' });
  if (reason !== undefined && typeof reason !== 'string') throw validationError({ reason: 'err.field.invalid' });
  const l = await loadFor(p, actor, id);
  if (action === 'submit') {
    if (l.latest.state !== 'draft') throw conflict('annual-reports.err.not_draft', undefined, { status: l.latest.state });
    // A year still running has figures that change: its report is submitted once the year is over.
    if (todayShanghai() < `${l.row.year + 1}-01-01`) throw conflict('annual-reports.err.year_open', undefined, { year: l.row.year, next: l.row.year + 1 });
    const missing = missingRows((l.latest.data as AnnualReportData).figures);
    if (missing.length) throw validationError(Object.fromEntries(missing.map((r) => [`manual.${r}`, 'annual-reports.err.manual_missing'])));
  }
  const r = await transition(p, actor, l.item.id, action as Step, reason as string | undefined);
  if (r.status === 'published') {
    await ensureCalendar(p.db);
    await p.tx((t) => completeClock(p, t, SUBJECT, subjectId(l.row.year, l.scope), l.scope.rule, actorName(actor)));
    bumpGeneration();
  }
  return r;
}

/** The published reports, newest year first (the public index). */
export async function publishedReports(db: Db) {
  return db
    .selectFrom('annual_reports as r')
    .innerJoin('pub_items as i', 'i.id', 'r.pub_item_id')
    .select(['r.year', 'r.scope', 'i.id', 'i.title', 'i.index_no', 'i.published_at', 'i.changed_at'])
    .where('i.public', '=', 1)
    .orderBy('r.year', 'desc')
    .orderBy('r.scope')
    .orderBy('i.id')
    .execute();
}

/**
 * A report published before this system (history, demo data): approved outside it, published
 * through the spine at its original date without notifying anyone, with its row, in one
 * transaction. Every Table 二 row no module supplies must be given.
 */
export async function importPublished(p: Platform, actor: Actor, input: { year: number; scope: string; manual: ManualTable2; publishedAt: Date }): Promise<{ id: number; itemId: number }> {
  const year = checkYear(input.year);
  const s = await scopeOf(p.db, input.scope);
  if (!s) throw validationError({ scope: 'annual-reports.err.scope' });
  const data = await payload(p, year, s, null, input.manual);
  const missing = missingRows(data.figures);
  if (missing.length) throw validationError(Object.fromEntries(missing.map((r) => [`manual.${r}`, 'annual-reports.err.manual_missing'])));
  const day = todayShanghai(input.publishedAt);
  const out = await p.tx(async (t) => {
    // Historical data: no channel delivery (nobody is told of a report published long ago).
    const item = await publishApproved(p, t, actor, { type: ANNUAL_REPORT, departmentId: s.departmentId, meta: { title: titleOf(year, s), genre: GENRE, topic: TOPIC, category: CATEGORY, writtenAt: day, formedAt: day, summary: translate('zh-CN', 'annual-reports.summary', { name: s.name, year }), keywords: ['政府信息公开', '年度报告'] }, data, publishedAt: input.publishedAt }, { deliver: false });
    const now = new Date().toISOString();
    const row = await t.insertInto('annual_reports').values({ year, scope: s.key, department_id: s.departmentId, pub_item_id: item.id, narrative: JSON.stringify(data.narrative), manual: JSON.stringify(input.manual), created_by: actorName(actor), created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'annual-report.import', entity: 'annual_report', entityId: row.id, details: { year, reportOf: s.name, itemId: item.id } });
    return { id: row.id, itemId: item.id };
  });
  bumpGeneration();
  return out;
}
