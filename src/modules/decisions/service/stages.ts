// A decision's stages (Decree 713 ch. 3–5): start, finish or skip one, with the order rule (a stage
// starts only when every earlier one is done or skipped), skip reasons (required, public), the
// legality review's minimum clock (7 working days: it cannot finish before the clock's due date),
// the collective decision's outcome and dissent, documents per stage (files, each public or not),
// and the publication of the decision and of its evaluation through the spine.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock, startClock } from '../../../platform/deadlines/index.js';
import { bumpGeneration, defaultMeta, publishApproved } from '../../../platform/publication/index.js';
import { storeFile } from '../../../platform/files/index.js';
import { decisionFor } from './access.js';
import { checkInterpretation, documentsOf, type StageDocument } from './decisions.js';
import { COLLECTIVE_OUTCOMES, LEGALITY_RULE, STAGES, SUBJECT_DECISION, type DecisionRow, type Stage, type StageRow } from '../schema.js';
import { DECISION_EVALUATION, MAJOR_DECISION, type EvaluationData, type MajorDecisionData } from '../items/decision.js';

export const STAGE_ACTIONS = ['start', 'finish', 'skip'] as const;
export type StageAction = (typeof STAGE_ACTIONS)[number];
/** Stages Decree 713 requires of every decision (never skipped). */
export const REQUIRED_STAGES: readonly Stage[] = ['drafting', 'legality_review', 'collective_decision', 'publication'];
export const TEXT_LIMITS = { reason: 1000, note: 2000, dissent: 4000, text: 50000, docName: 200 } as const;
/** At most this many documents per stage. */
export const MAX_DOCUMENTS = 20;

export interface StageInput {
  action: StageAction;
  /** skip: why the stage is not required (public). */
  reason?: string;
  /** A note on the stage (public). */
  note?: string;
  /** collective_decision, finish: a COLLECTIVE_OUTCOMES code. */
  outcome?: string;
  /** collective_decision, finish: dissenting opinions ('' for none). */
  dissent?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));
const text = (v: unknown) => cleanText(str(v)).replace(/\r\n?/g, '\n').trim();
const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

async function stageRows(t: Db, decisionId: number): Promise<StageRow[]> {
  const rows = await t.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).execute();
  return rows.sort((a, b) => STAGES.indexOf(a.stage as Stage) - STAGES.indexOf(b.stage as Stage));
}

/** The first earlier stage that is neither done nor skipped, or null. */
export function blockingStage(rows: Pick<StageRow, 'stage' | 'state'>[], stage: Stage): string | null {
  const idx = STAGES.indexOf(stage);
  const open = rows.find((r) => STAGES.indexOf(r.stage as Stage) < idx && r.state !== 'done' && r.state !== 'skipped');
  return open ? open.stage : null;
}

/**
 * Starts, finishes or skips one stage of a decision (holder of `major-decision.edit` on its
 * department). 409 when the order rule or the stage's state forbids it (naming the stage in the
 * way), when the legality review's minimum is not over (naming the first day it may finish);
 * 400 naming `reason` (skip without one) or `outcome` (collective decision without one).
 */
export async function setStageState(p: Platform, actor: Actor, decisionId: number, stage: string, input: StageInput): Promise<void> {
  if (!isStage(stage)) throw notFound();
  const d = await decisionFor(p.db, actor, decisionId, 'major-decision.edit');
  const action = str(input.action) as StageAction;
  const f: FieldErrors = {};
  if (!(STAGE_ACTIONS as readonly string[]).includes(action)) f.action = 'err.field.enum_generic';
  const reason = text(input.reason);
  const note = text(input.note);
  const dissent = text(input.dissent);
  const outcome = str(input.outcome).trim();
  if (note.length > TEXT_LIMITS.note) f.note = 'err.field.too_long';
  if (action === 'skip') {
    if (!reason) f.reason = 'decisions.stages.err.skip_reason';
    else if (reason.length > TEXT_LIMITS.reason) f.reason = 'err.field.too_long';
  }
  if (action === 'finish' && stage === 'collective_decision') {
    if (!outcome) f.outcome = 'err.field.required';
    else if (!(COLLECTIVE_OUTCOMES as readonly string[]).includes(outcome)) f.outcome = 'err.field.enum_generic';
    if (dissent.length > TEXT_LIMITS.dissent) f.dissent = 'err.field.too_long';
  }
  if (Object.keys(f).length) throw validationError(f);
  // Once published, only the evaluation remains to be done.
  if (d.status !== 'open' && !(d.status === 'published' && stage === 'evaluation')) throw conflict('decisions.stages.err.not_open', undefined, { status: `decisions.stages.status.${d.status}` });
  await ensureCalendar(p.db);
  const today = todayShanghai();
  const who = actorName(actor);
  await p.tx(async (t) => {
    const rows = await stageRows(t, decisionId);
    const row = rows.find((r) => r.stage === stage);
    if (!row) throw notFound();
    const now = new Date().toISOString();
    const stageName = `decisions.stage.${stage}`;
    const stateName = `decisions.stage_state.${row.state}`;
    if (action === 'start') {
      if (row.state !== 'pending') throw conflict('decisions.stages.err.not_pending', undefined, { stage: stageName, state: stateName });
      const blocking = blockingStage(rows, stage);
      if (blocking) throw conflict('decisions.stages.err.order', undefined, { stage: stageName, blocking: `decisions.stage.${blocking}` });
      if (stage === 'publication' || stage === 'evaluation') {
        if (stage === 'evaluation' && !d.item_id) throw conflict('decisions.stages.err.not_published');
      }
      let clockId: number | null = null;
      if (stage === 'legality_review') {
        const c = await startClock(p, t, { subjectType: SUBJECT_DECISION, subjectId: decisionId, rule: LEGALITY_RULE.code, start: today, departmentId: d.department_id, title: `合法性审查 ${d.title}`.slice(0, 300), url: `/admin/decisions/${decisionId}`, publicSubject: true, responsibleUserId: typeof actor === 'string' ? null : actor.id }, who);
        clockId = c.id;
      }
      await t.updateTable('dec_stages').set({ state: 'active', started_on: today, note: note || row.note, clock_id: clockId ?? row.clock_id, updated_at: now }).where('id', '=', row.id).execute();
      await t.updateTable('dec_decisions').set({ stage, updated_at: now }).where('id', '=', decisionId).execute();
    } else if (action === 'finish') {
      if (row.state !== 'active') throw conflict('decisions.stages.err.not_active', undefined, { stage: stageName, state: stateName });
      if (stage === 'publication') throw conflict('decisions.stages.err.publish_instead');
      if (stage === 'evaluation' && !d.evaluation_item_id) throw conflict('decisions.stages.err.evaluation_instead');
      if (stage === 'legality_review') {
        const clock = row.clock_id ? await t.selectFrom('clocks').select(['due_date', 'state']).where('id', '=', row.clock_id).executeTakeFirst() : null;
        if (clock && today < clock.due_date) throw conflict('decisions.stages.err.legality_minimum', undefined, { date: clock.due_date, days: LEGALITY_RULE.amount });
        await completeClock(p, t, SUBJECT_DECISION, decisionId, LEGALITY_RULE.code, who);
      }
      const extra = stage === 'collective_decision' ? { outcome, dissent } : {};
      await t.updateTable('dec_stages').set({ state: 'done', finished_on: today, note: note || row.note, ...extra, updated_at: now }).where('id', '=', row.id).execute();
      await t.updateTable('dec_decisions').set({ updated_at: now }).where('id', '=', decisionId).execute();
    } else {
      if (REQUIRED_STAGES.includes(stage)) throw conflict('decisions.stages.err.required_stage', undefined, { stage: stageName });
      if (row.state !== 'pending') throw conflict('decisions.stages.err.not_pending', undefined, { stage: stageName, state: stateName });
      if (stage === 'consultation') {
        const c = await t.selectFrom('dec_consultations').select('id').where('decision_id', '=', decisionId).executeTakeFirst();
        if (c) throw conflict('decisions.stages.err.has_consultation');
      }
      await t.updateTable('dec_stages').set({ state: 'skipped', skip_reason: reason, note: note || row.note, updated_at: now }).where('id', '=', row.id).execute();
      await t.updateTable('dec_decisions').set({ updated_at: now }).where('id', '=', decisionId).execute();
    }
    await p.audit(t, { actor: who, action: `major-decision.stage.${action}`, entity: 'dec_decision', entityId: decisionId, details: { stage, ...(reason ? { reason } : {}), ...(outcome ? { outcome } : {}) } });
  });
}

// ---- documents ------------------------------------------------------------------------------------

/** Adds a document (a file) to a stage; `isPublic` says whether the public timeline offers it. */
export async function addStageDocument(p: Platform, actor: Actor, decisionId: number, stage: string, file: { buf: Buffer; name: string }, isPublic: boolean): Promise<StageDocument> {
  if (!isStage(stage)) throw notFound();
  await decisionFor(p.db, actor, decisionId, 'major-decision.edit');
  const name = cleanLine(str(file.name)).trim();
  if (!name) throw validationError({ filename: 'err.field.required' });
  if (name.length > TEXT_LIMITS.docName) throw validationError({ filename: 'err.field.too_long' });
  const stored = await storeFile(p, file.buf, name, 'content');
  const doc: StageDocument = { fileId: stored.hash, name, public: !!isPublic, mime: stored.mime, size: stored.size };
  await p.tx(async (t) => {
    const row = await t.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).where('stage', '=', stage).executeTakeFirst();
    if (!row) throw notFound();
    const docs = documentsOf(row);
    if (docs.length >= MAX_DOCUMENTS) throw conflict('decisions.stages.err.too_many_documents', undefined, { n: MAX_DOCUMENTS });
    docs.push(doc);
    await t.updateTable('dec_stages').set({ documents: JSON.stringify(docs), updated_at: new Date().toISOString() }).where('id', '=', row.id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.document.add', entity: 'dec_decision', entityId: decisionId, details: { stage, name, public: doc.public } });
  });
  bumpGeneration();
  return doc;
}

/** Marks a stage's document (by position, 0-based) public or not, or removes it. */
export async function changeStageDocument(p: Platform, actor: Actor, decisionId: number, stage: string, index: number, change: { public?: boolean; remove?: boolean }): Promise<void> {
  if (!isStage(stage)) throw notFound();
  await decisionFor(p.db, actor, decisionId, 'major-decision.edit');
  await p.tx(async (t) => {
    const row = await t.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).where('stage', '=', stage).executeTakeFirst();
    const docs = row ? documentsOf(row) : [];
    if (!row || !Number.isInteger(index) || index < 0 || index >= docs.length) throw notFound();
    const [doc] = change.remove ? docs.splice(index, 1) : [docs[index]];
    if (!change.remove && change.public !== undefined) doc.public = !!change.public;
    await t.updateTable('dec_stages').set({ documents: JSON.stringify(docs), updated_at: new Date().toISOString() }).where('id', '=', row.id).execute();
    await p.audit(t, { actor: actorName(actor), action: change.remove ? 'major-decision.document.remove' : 'major-decision.document.change', entity: 'dec_decision', entityId: decisionId, details: { stage, name: doc.name, public: doc.public } });
  });
  bumpGeneration();
}

// ---- publication ----------------------------------------------------------------------------------

/** 409 while any consultation of the decision has no published adoption report. */
async function checkReports(t: Db, decisionId: number): Promise<void> {
  const waiting = await t.selectFrom('dec_consultations').select(['id', 'title']).where('decision_id', '=', decisionId).where('report_state', '<>', 'published').orderBy('id').execute();
  if (waiting.length) throw conflict('decisions.stages.err.report_unpublished', undefined, { title: waiting[0].title, n: waiting.length });
}

/**
 * Submits the decision for publication (holder of `major-decision.edit`): its text and 政策解读
 * link; the collective decision must be done with an outcome of adopted or amended. The
 * publication stage becomes active. 409 while a consultation's adoption report is not published.
 */
export async function submitDecision(p: Platform, actor: Actor, decisionId: number, input: { text: string; interpretation?: string }): Promise<void> {
  const d = await decisionFor(p.db, actor, decisionId, 'major-decision.edit');
  const f: FieldErrors = {};
  const body = text(input.text);
  if (!body) f.text = 'err.field.required';
  else if (body.length > TEXT_LIMITS.text) f.text = 'err.field.too_long';
  const interpretation = input.interpretation === undefined ? d.interpretation : await checkInterpretation(p.db, input.interpretation, f);
  if (Object.keys(f).length) throw validationError(f);
  if (d.status !== 'open') throw conflict('decisions.stages.err.not_open', undefined, { status: `decisions.stages.status.${d.status}` });
  const today = todayShanghai();
  await p.tx(async (t) => {
    const rows = await stageRows(t, decisionId);
    const collective = rows.find((r) => r.stage === 'collective_decision')!;
    if (collective.state !== 'done' || !['adopted', 'amended'].includes(collective.outcome)) throw conflict('decisions.stages.err.not_decided');
    const pub = rows.find((r) => r.stage === 'publication')!;
    const blocking = blockingStage(rows, 'publication');
    if (blocking) throw conflict('decisions.stages.err.order', undefined, { stage: 'decisions.stage.publication', blocking: `decisions.stage.${blocking}` });
    await checkReports(t, decisionId);
    const now = new Date().toISOString();
    if (pub.state === 'pending') await t.updateTable('dec_stages').set({ state: 'active', started_on: today, updated_at: now }).where('id', '=', pub.id).execute();
    await t.updateTable('dec_decisions').set({ stage: 'publication', decision_text: body, interpretation, submitted_by: actorName(actor), submitted_at: now, updated_at: now }).where('id', '=', decisionId).execute();
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.submit', entity: 'dec_decision', entityId: decisionId, details: { interpretation } });
  });
}

function itemData(d: DecisionRow, department: string, outcome: string): MajorDecisionData {
  const id = /^\d+$/.test(d.interpretation) ? Number(d.interpretation) : null;
  return { decisionId: d.id, year: d.year, department, title: d.title, basis: d.basis, summary: d.summary, text: d.decision_text, outcome, interpretationItemId: id, interpretationUrl: id ? '' : d.interpretation };
}

/**
 * Publishes a submitted decision through the spine (item `major-decision`), by a holder of
 * `major-decision.approve` on its department who did not submit it (409 otherwise). Refused (409)
 * while any consultation of the decision has no published adoption report.
 */
export async function publishDecision(p: Platform, actor: Actor, decisionId: number): Promise<{ itemId: number; indexNo: string | null }> {
  const cur = await decisionFor(p.db, actor, decisionId, 'major-decision.approve');
  if (typeof actor !== 'string' && cur.submitted_by === actorName(actor)) throw conflict('decisions.stages.err.own_submission');
  await ensureCalendar(p.db);
  const today = todayShanghai();
  const out = await p.tx(async (t) => {
    const d = (await t.selectFrom('dec_decisions').selectAll().where('id', '=', decisionId).executeTakeFirst())!;
    if (d.status !== 'open') throw conflict('decisions.stages.err.not_open', undefined, { status: `decisions.stages.status.${d.status}` });
    if (!d.submitted_by) throw conflict('decisions.stages.err.not_submitted');
    await checkReports(t, decisionId);
    const rows = await stageRows(t, decisionId);
    const outcome = rows.find((r) => r.stage === 'collective_decision')!.outcome;
    const dept = await t.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirstOrThrow();
    const item = await publishApproved(p, t, actor, {
      type: MAJOR_DECISION,
      departmentId: d.department_id,
      meta: defaultMeta({ title: d.title, genre: '决定', topic: null, writtenAt: today, formedAt: today, keywords: ['重大行政决策'], summary: (d.summary || d.decision_text).slice(0, 500) }),
      data: itemData(d, dept.name, outcome),
    });
    const now = new Date().toISOString();
    const pub = rows.find((r) => r.stage === 'publication')!;
    await t.updateTable('dec_stages').set({ state: 'done', started_on: pub.started_on ?? today, finished_on: today, updated_at: now }).where('id', '=', pub.id).execute();
    // Conditional: of two approvers publishing at once, the second finds it published (409, its item rolled back).
    const won = await t.updateTable('dec_decisions').set({ status: 'published', item_id: item.id, updated_at: now }).where('id', '=', decisionId).where('status', '=', 'open').executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw conflict('decisions.stages.err.not_open', undefined, { status: 'decisions.stages.status.published' });
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.publish', entity: 'dec_decision', entityId: decisionId, details: { itemId: item.id, indexNo: item.indexNo, submittedBy: d.submitted_by } });
    return { itemId: item.id, indexNo: item.indexNo };
  });
  bumpGeneration();
  return out;
}

/**
 * Publishes the post-decision evaluation (后评估报告, item `decision-evaluation`) of a published
 * decision, by a holder of `major-decision.approve`; the evaluation stage is done.
 */
export async function publishEvaluation(p: Platform, actor: Actor, decisionId: number, input: { text: string }): Promise<{ itemId: number }> {
  const cur = await decisionFor(p.db, actor, decisionId, 'major-decision.approve');
  const body = text(input.text);
  if (!body) throw validationError({ text: 'err.field.required' });
  if (body.length > TEXT_LIMITS.text) throw validationError({ text: 'err.field.too_long' });
  if (!cur.item_id) throw conflict('decisions.stages.err.not_published');
  if (cur.evaluation_item_id) throw conflict('decisions.stages.err.evaluation_done');
  await ensureCalendar(p.db);
  const today = todayShanghai();
  const out = await p.tx(async (t) => {
    const dept = await t.selectFrom('departments').select('name').where('id', '=', cur.department_id).executeTakeFirstOrThrow();
    const title = `${cur.title}后评估报告`.slice(0, 300);
    const data: EvaluationData = { decisionId, title, department: dept.name, text: body };
    const item = await publishApproved(p, t, actor, { type: DECISION_EVALUATION, departmentId: cur.department_id, meta: defaultMeta({ title, genre: '报告', topic: null, writtenAt: today, formedAt: today, keywords: ['重大行政决策', '后评估'], summary: body.slice(0, 500) }), data });
    const now = new Date().toISOString();
    const ev = (await t.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).where('stage', '=', 'evaluation').executeTakeFirstOrThrow());
    await t.updateTable('dec_stages').set({ state: 'done', started_on: ev.started_on ?? today, finished_on: today, updated_at: now }).where('id', '=', ev.id).execute();
    const won = await t.updateTable('dec_decisions').set({ evaluation_item_id: item.id, stage: 'evaluation', updated_at: now }).where('id', '=', decisionId).where('evaluation_item_id', 'is', null).executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw conflict('decisions.stages.err.evaluation_done');
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.evaluation', entity: 'dec_decision', entityId: decisionId, details: { itemId: item.id } });
    return { itemId: item.id };
  });
  bumpGeneration();
  return out;
}

/**
 * Withdraws (终止) an open decision with a public reason, by a holder of `major-decision.approve`
 * of its department: 400 naming `reason`; 409 once published or withdrawn, and while a consultation
 * is open or a hearing announced (close or cancel it first — its participants are told then).
 */
export async function withdrawDecision(p: Platform, actor: Actor, decisionId: number, input: { reason?: unknown }): Promise<void> {
  const d = await decisionFor(p.db, actor, decisionId, 'major-decision.approve');
  const reason = text(typeof input.reason === 'string' ? input.reason : '');
  if (!reason) throw validationError({ reason: 'err.field.required' });
  if (reason.length > TEXT_LIMITS.reason) throw validationError({ reason: 'err.field.too_long' });
  if (d.status !== 'open') throw conflict('decisions.stages.err.not_open', undefined, { status: `decisions.stages.status.${d.status}` });
  await p.tx(async (t) => {
    const open = await t.selectFrom('dec_consultations').select('id').where('decision_id', '=', decisionId).where('state', '=', 'open').executeTakeFirst();
    if (open) throw conflict('decisions.stages.err.withdraw_consultation');
    const hearing = await t.selectFrom('dec_hearings').select('id').where('decision_id', '=', decisionId).where('state', 'in', ['announced', 'drawn']).executeTakeFirst();
    if (hearing) throw conflict('decisions.stages.err.withdraw_hearing');
    const now = new Date().toISOString();
    const won = await t.updateTable('dec_decisions').set({ status: 'withdrawn', withdraw_reason: reason, withdrawn_at: now, updated_at: now }).where('id', '=', decisionId).where('status', '=', 'open').executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw conflict('decisions.stages.err.not_open', undefined, { status: 'decisions.stages.status.withdrawn' });
    await p.audit(t, { actor: actorName(actor), action: 'major-decision.withdraw', entity: 'dec_decision', entityId: decisionId, details: { reason } });
  });
  bumpGeneration();
}
