// Major decisions (重大行政决策): the record and its eight stage rows. A holder of
// `major-decision.edit` on the department creates a decision; its stages are created at once
// (drafting active, the rest pending), with their planned dates from the department's 决策事项目录
// row when the decision names one (`catalogueCode`). Queries for the staff list, the public list
// and one decision with its stages and what hangs off it (consultations, hearings).
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { can } from '../../../platform/auth/policy.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { forbidden, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { isValidDate, todayShanghai } from '../../../platform/calendar/index.js';
import { mayDo } from './access.js';
import { STAGES, type DecisionRow, type StageRow } from '../schema.js';

export const DECISION_STATUSES = ['open', 'published', 'withdrawn'] as const;
export const CATALOGUE_TYPE = 'decision-catalogue';
export const LIMITS = { title: 300, basis: 4000, summary: 4000, catalogueCode: 40, interpretation: 500 } as const;

export interface DecisionInput {
  departmentId: number;
  year: number;
  title: string;
  basis: string;
  summary?: string;
  catalogueCode?: string;
  /** 政策解读: a spine item id (digits) or an http(s) URL. */
  interpretation?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** A catalogue row's planned steps: stage → Shanghai date. */
export type PlannedSteps = Partial<Record<string, string>>;

/** The planned dates of the department's current catalogue row `code`, or null when there is none. */
export async function cataloguePlan(db: Db, departmentId: number, code: string): Promise<{ name: string; basis: string; steps: PlannedSteps } | null> {
  const row = await db
    .selectFrom('list_items')
    .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
    .innerJoin('lists', 'lists.id', 'list_items.list_id')
    .select(['list_items.data'])
    .where('list_items.type', '=', CATALOGUE_TYPE)
    .where('lists.department_id', '=', departmentId)
    .where('list_items.item_key', '=', code)
    .where('list_editions.status', '=', 'published')
    .whereRef('list_editions.number', '=', 'lists.current_edition')
    .executeTakeFirst();
  if (!row) return null;
  const data = JSON.parse(row.data) as { name?: string; basis?: string; steps?: { stage: string; on: string }[] };
  const steps: PlannedSteps = {};
  for (const s of data.steps ?? []) if ((STAGES as readonly string[]).includes(s.stage) && isValidDate(s.on)) steps[s.stage] = s.on;
  return { name: str(data.name), basis: str(data.basis), steps };
}

/** Checks the interpretation: '' | digits (a published item) | http(s) URL. */
export async function checkInterpretation(db: Db, raw: unknown, fields: FieldErrors, field = 'interpretation'): Promise<string> {
  const v = cleanLine(str(raw)).trim();
  if (!v) return '';
  if (/^\d{1,9}$/.test(v)) {
    const item = await db.selectFrom('pub_items').select(['id', 'published_version']).where('id', '=', Number(v)).executeTakeFirst();
    if (!item || !item.published_version) fields[field] = 'decisions.stages.err.interpretation_item';
    return v;
  }
  if (v.length > LIMITS.interpretation || !/^https?:\/\/[^\s<>"]+$/i.test(v)) fields[field] = 'decisions.stages.err.interpretation';
  return v;
}

/**
 * Creates a decision with its eight stages (drafting active from today, the others pending);
 * planned dates from the catalogue row when `catalogueCode` names one (400 naming it when the
 * department's current catalogue has no such row). 403 outside the caller's departments.
 */
export async function createDecision(p: Platform, actor: Actor, input: DecisionInput): Promise<{ id: number }> {
  const f: FieldErrors = {};
  const departmentId = Number(input.departmentId);
  if (!Number.isInteger(departmentId) || departmentId < 1 || departmentId > 2147483647) f.departmentId = 'err.field.invalid';
  else if (!mayDo(actor, 'major-decision.edit', departmentId)) throw forbidden('decisions.stages.err.not_your_department');
  const year = Number(input.year);
  if (!Number.isInteger(year) || year < 1990 || year > 2299) f.year = 'err.field.invalid';
  const title = cleanLine(str(input.title)).trim();
  if (!title) f.title = 'err.field.required';
  else if (title.length > LIMITS.title) f.title = 'err.field.too_long';
  const basis = cleanText(str(input.basis)).replace(/\r\n?/g, '\n').trim();
  if (!basis) f.basis = 'err.field.required';
  else if (basis.length > LIMITS.basis) f.basis = 'err.field.too_long';
  const summary = cleanText(str(input.summary)).replace(/\r\n?/g, '\n').trim();
  if (summary.length > LIMITS.summary) f.summary = 'err.field.too_long';
  const code = cleanLine(str(input.catalogueCode)).trim();
  if (code.length > LIMITS.catalogueCode) f.catalogueCode = 'err.field.too_long';
  const interpretation = await checkInterpretation(p.db, input.interpretation, f);
  if (!f.departmentId) {
    const d = await p.db.selectFrom('departments').select(['id', 'active']).where('id', '=', departmentId).executeTakeFirst();
    if (!d || !Number(d.active)) f.departmentId = 'err.field.invalid';
  }
  let plan: PlannedSteps = {};
  if (code && !f.catalogueCode && !f.departmentId) {
    const row = await cataloguePlan(p.db, departmentId, code);
    if (!row) f.catalogueCode = 'decisions.stages.err.catalogue_code';
    else plan = row.steps;
  }
  if (Object.keys(f).length) throw validationError(f);
  const today = todayShanghai();
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const row = await t
      .insertInto('dec_decisions')
      .values({ department_id: departmentId, year, title, basis, summary, catalogue_code: code, stage: 'drafting', status: 'open', item_id: null, evaluation_item_id: null, interpretation, created_by: actorName(actor), created_at: now, updated_at: now, submitted_by: null, submitted_at: null, decision_text: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t
      .insertInto('dec_stages')
      .values(
        STAGES.map((s) => ({
          decision_id: row.id,
          stage: s,
          state: s === 'drafting' ? 'active' : 'pending',
          planned_on: plan[s] ?? null,
          started_on: s === 'drafting' ? today : null,
          finished_on: null,
          skip_reason: '',
          outcome: '',
          dissent: '',
          note: '',
          documents: '[]',
          clock_id: null,
          updated_at: now,
        })),
      )
      .execute();
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.create', entity: 'dec_decision', entityId: row.id, details: { title, year, catalogueCode: code } });
    return { id: row.id };
  });
}

// ---- reading ---------------------------------------------------------------------------------------

export interface StageDocument {
  fileId: string;
  name: string;
  public: boolean;
  mime?: string;
  size?: number;
}

export const documentsOf = (s: Pick<StageRow, 'documents'>): StageDocument[] => {
  try {
    const v = JSON.parse(s.documents);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
};

/** The stages of a decision in their order. */
export async function stagesOf(db: Db, decisionId: number): Promise<StageRow[]> {
  const rows = await db.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).execute();
  return rows.sort((a, b) => STAGES.indexOf(a.stage as never) - STAGES.indexOf(b.stage as never));
}

export interface DecisionFilters {
  year?: number;
  departmentId?: number;
  status?: string;
  stage?: string;
  page?: number;
  pageSize?: number;
}

export type DecisionListRow = DecisionRow & { department_name: string };

async function listWhere(db: Db, f: DecisionFilters, departments: number[] | null): Promise<{ total: number; items: DecisionListRow[] }> {
  const page = Math.max(1, Math.min(10000, f.page ?? 1));
  const size = Math.max(1, Math.min(100, f.pageSize ?? 20));
  let q = db.selectFrom('dec_decisions').innerJoin('departments', 'departments.id', 'dec_decisions.department_id');
  if (departments) q = departments.length ? q.where('dec_decisions.department_id', 'in', departments) : q.where('dec_decisions.id', '<', 0);
  if (f.year) q = q.where('dec_decisions.year', '=', f.year);
  if (f.departmentId) q = q.where('dec_decisions.department_id', '=', f.departmentId);
  if (f.status) q = q.where('dec_decisions.status', '=', f.status);
  if (f.stage) q = q.where('dec_decisions.stage', '=', f.stage);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const items = await q
    .selectAll('dec_decisions')
    .select('departments.name as department_name')
    .orderBy('dec_decisions.year', 'desc')
    .orderBy('dec_decisions.id', 'desc')
    .limit(size)
    .offset((page - 1) * size)
    .execute();
  return { total, items: items as DecisionListRow[] };
}

/** Every decision (the public sees all of them: the record is public, stage by stage). */
export const publicDecisions = (db: Db, f: DecisionFilters) => listWhere(db, f, null);

/** The decisions of the departments where the caller holds `major-decision.read`. */
export async function staffDecisions(db: Db, actor: Actor, f: DecisionFilters) {
  if (typeof actor === 'string') return listWhere(db, f, null);
  const ids = (await db.selectFrom('departments').select('id').execute()).map((d) => d.id).filter((id) => can(actor, 'major-decision.read', { departmentId: id }));
  return listWhere(db, f, ids);
}

/** Years that have decisions, newest first (the public filter). */
export async function decisionYears(db: Db): Promise<number[]> {
  return (await db.selectFrom('dec_decisions').select('year').distinct().orderBy('year', 'desc').execute()).map((r) => r.year);
}

/** Departments that have decisions (the public filter). */
export async function decisionDepartments(db: Db): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('departments').select(['id', 'name']).where('id', 'in', db.selectFrom('dec_decisions').select('department_id')).orderBy('id').execute();
}

/** What hangs off a decision, for its timeline: consultations and hearings. */
export async function decisionLinks(db: Db, decisionId: number) {
  const consultations = await db.selectFrom('dec_consultations').select(['id', 'title', 'state', 'opens_at', 'closes_at', 'report_state', 'report_item_id', 'item_id']).where('decision_id', '=', decisionId).orderBy('id').execute();
  const hearings = await db.selectFrom('dec_hearings').select(['id', 'title', 'state', 'starts_at', 'item_id']).where('decision_id', '=', decisionId).orderBy('id').execute();
  return { consultations, hearings };
}

/** One decision as the API gives it: its stages (documents: only public ones unless `all`) and links. */
export async function decisionView(db: Db, d: DecisionRow, all: boolean) {
  const dept = await db.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirst();
  const stages = await stagesOf(db, d.id);
  const links = await decisionLinks(db, d.id);
  const clockIds = stages.map((s) => s.clock_id).filter((x): x is number => x != null);
  const clocks = clockIds.length ? await db.selectFrom('clocks').select(['id', 'due_date', 'state']).where('id', 'in', clockIds).execute() : [];
  return {
    id: d.id,
    departmentId: d.department_id,
    department: dept?.name ?? '',
    year: d.year,
    title: d.title,
    basis: d.basis,
    summary: d.summary,
    catalogueCode: d.catalogue_code,
    stage: d.stage,
    status: d.status,
    itemId: d.item_id,
    evaluationItemId: d.evaluation_item_id,
    interpretation: d.interpretation,
    submitted: !!d.submitted_by,
    withdrawnAt: d.withdrawn_at,
    withdrawReason: d.withdraw_reason,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    stages: stages.map((s) => {
      const clock = clocks.find((c) => c.id === s.clock_id);
      return {
        stage: s.stage,
        state: s.state,
        plannedOn: s.planned_on,
        startedOn: s.started_on,
        finishedOn: s.finished_on,
        skipReason: s.skip_reason,
        outcome: s.outcome,
        dissent: s.dissent,
        note: s.note,
        minimumUntil: clock ? clock.due_date : null,
        documents: documentsOf(s)
          .map((doc, i) => ({ index: i, name: doc.name, public: !!doc.public, url: `/decisions/${d.id}/documents/${s.stage}/${i}` }))
          .filter((doc) => all || doc.public),
      };
    }),
    consultations: links.consultations.map((c) => ({ id: c.id, title: c.title, state: c.state, opensAt: c.opens_at, closesAt: c.closes_at, reportState: c.report_state, url: `/decisions/consultations/${c.id}`, reportUrl: c.report_state === 'published' ? `/decisions/consultations/${c.id}/report` : null })).filter((c) => all || c.state !== 'draft'),
    hearings: links.hearings.filter((h) => all || h.state !== 'draft').map((h) => ({ id: h.id, title: h.title, state: h.state, startsAt: h.starts_at, url: `/decisions/hearings/${h.id}` })),
  };
}
export type DecisionView = Awaited<ReturnType<typeof decisionView>>;
