// Inspection results (issue item 5): the assigned inspectors enter each selected target's result
// (only the staff account linked to one of the check's inspectors, enf_inspectors.user_id — not
// even an administrator of the department), the task moves 已抽取 → 执行中 (first result, or the
// daily job when the window starts) → 已完成 (every result in); a holder of `inspection.publish`
// publishes the 结果公告 through the spine, which completes the results clock (20 wd from the
// window's end) and marks the task 结果已公示.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, forbidden, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanText } from '../../../platform/text.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock } from '../../../platform/deadlines/index.js';
import { bumpGeneration, publishApproved } from '../../../platform/publication/index.js';
import { RESULTS_RULE_CODE, SUBJECT_TASK, type CheckRow } from '../schema.js';
import { RESULT_CODES } from './codes.js';
import { loadTask, requireAction, taskFacts } from './draws.js';
import { RESULT_NOTICE, noticeMeta, type ResultNoticeData } from '../items.js';

export const NOTE_MAX = 1000;
/** Task states in which results may be entered or corrected (not once published). */
const OPEN_STATES = ['drawn', 'in-progress', 'completed'];

export const checkInspectors = (c: Pick<CheckRow, 'inspectors'>): string[] => {
  try {
    const v = JSON.parse(c.inspectors);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** The cert numbers of the inspectors linked to this staff account. */
export async function linkedCertNos(db: Db, user: Principal): Promise<{ certNo: string; departmentId: number }[]> {
  const rows = await db.selectFrom('enf_inspectors').select(['cert_no', 'department_id']).where('user_id', '=', String(user.id)).execute();
  return rows.map((r) => ({ certNo: r.cert_no, departmentId: r.department_id }));
}

export interface CheckView {
  id: number;
  taskId: number;
  task: string;
  taskState: string;
  matterName: string;
  windowStart: string;
  windowEnd: string;
  ordinal: number;
  creditCode: string;
  name: string;
  address: string;
  inspectors: string[];
  result: string | null;
  note: string;
  enteredAt: string | null;
}

function checkQuery(db: Db) {
  return db
    .selectFrom('enf_checks as c')
    .innerJoin('enf_tasks as t', 't.id', 'c.task_id')
    .innerJoin('enf_entities as e', 'e.id', 'c.entity_id')
    .select(['c.id', 'c.task_id', 'c.ordinal', 'c.credit_code', 'c.inspectors', 'c.result', 'c.note', 'c.entered_at', 't.title', 't.state', 't.matter_name', 't.window_start', 't.window_end', 'e.name', 'e.address']);
}

type CheckJoin = Awaited<ReturnType<ReturnType<typeof checkQuery>['execute']>>[number];
const view = (r: CheckJoin): CheckView => ({
  id: r.id,
  taskId: r.task_id,
  task: r.title,
  taskState: r.state,
  matterName: r.matter_name,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  ordinal: r.ordinal,
  creditCode: r.credit_code,
  name: r.name,
  address: r.address,
  inspectors: checkInspectors(r),
  result: r.result,
  note: r.note,
  enteredAt: r.entered_at,
});

/** "My inspections": the open checks (task not yet published) assigned to an inspector linked to this account. */
export async function myChecks(db: Db, user: Principal): Promise<CheckView[]> {
  const mine = await linkedCertNos(db, user);
  if (!mine.length) return [];
  const certs = new Set(mine.map((m) => m.certNo));
  const rows = await checkQuery(db)
    .where('t.department_id', 'in', [...new Set(mine.map((m) => m.departmentId))])
    .where('t.state', 'in', OPEN_STATES)
    .orderBy('t.window_start')
    .orderBy('t.id')
    .orderBy('c.ordinal')
    .execute();
  return rows.map(view).filter((c) => c.inspectors.some((x) => certs.has(x)));
}

/** Every check of a task, in draw order. */
export async function taskChecks(db: Db, taskId: number): Promise<CheckView[]> {
  return (await checkQuery(db).where('c.task_id', '=', taskId).orderBy('c.ordinal').execute()).map(view);
}

/** Enters (or corrects, until publication) a check's result. Only a staff account linked to one of
 *  the check's assigned inspectors may; the platform's own callers (demo, CLI) too. */
export async function enterResult(p: Platform, actor: Actor, checkId: number, input: { result?: unknown; note?: unknown }): Promise<{ id: number; result: string; taskState: string }> {
  if (!Number.isInteger(checkId) || checkId < 1) throw notFound();
  const check = await p.db.selectFrom('enf_checks').selectAll().where('id', '=', checkId).executeTakeFirst();
  if (!check) throw notFound('enforcement.err.no_check');
  if (typeof actor !== 'string') {
    const certs = checkInspectors(check);
    const mine = certs.length ? await p.db.selectFrom('enf_inspectors').select('cert_no').where('user_id', '=', String(actor.id)).where('cert_no', 'in', certs).executeTakeFirst() : undefined;
    if (!mine) throw forbidden('enforcement.err.not_assigned');
  }
  const fields: FieldErrors = {};
  const result = typeof input?.result === 'string' ? input.result : '';
  if (!result) fields.result = 'err.field.required';
  else if (!(RESULT_CODES as readonly string[]).includes(result)) fields.result = 'enforcement.err.result_code';
  let note = '';
  if (input?.note !== undefined && input.note !== null) {
    if (typeof input.note !== 'string') fields.note = 'err.field.invalid';
    else {
      note = cleanText(input.note).trim();
      if (note.length > NOTE_MAX) fields.note = 'err.field.too_long';
    }
  }
  if (Object.keys(fields).length) throw validationError(fields);
  const out = await p.tx(async (t) => {
    const task = await loadTask(t, check.task_id);
    if (!OPEN_STATES.includes(task.state)) throw conflict('enforcement.err.task_state', undefined, { state: `enforcement.state.${task.state}` });
    const now = new Date().toISOString();
    await t.updateTable('enf_checks').set({ result, note, entered_by: actorName(actor), entered_at: now }).where('id', '=', check.id).execute();
    const open = await t.selectFrom('enf_checks').select((eb) => eb.fn.countAll<number>().as('n')).where('task_id', '=', task.id).where('result', 'is', null).executeTakeFirstOrThrow();
    const state = Number(open.n) === 0 ? 'completed' : 'in-progress';
    if (state !== task.state) await t.updateTable('enf_tasks').set({ state, updated_at: now }).where('id', '=', task.id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'enforcement.result', entity: 'enf_check', entityId: check.id, details: { taskId: task.id, creditCode: check.credit_code, result, previous: check.result, taskState: state } });
    return { id: check.id, result, taskState: state };
  });
  return out;
}

/** Publishes a completed task's 结果公告 (every target with its result), completes the results
 *  clock and marks the task 结果已公示. */
export async function publishResults(p: Platform, actor: Actor, taskId: number): Promise<{ itemId: number; indexNo: string | null }> {
  const task0 = await loadTask(p.db, taskId);
  requireAction(actor, 'inspection.publish', task0.department_id);
  if (task0.state !== 'completed') throw conflict('enforcement.err.task_state', undefined, { state: `enforcement.state.${task0.state}` });
  await ensureCalendar(p.db);
  const out = await p.tx(async (t) => {
    const task = await loadTask(t, taskId);
    if (task.state !== 'completed') throw conflict('enforcement.err.task_state', undefined, { state: `enforcement.state.${task.state}` });
    const draw = await t.selectFrom('enf_draws').select('id').where('task_id', '=', task.id).executeTakeFirstOrThrow();
    const checks = await taskChecks(t, task.id);
    const data: ResultNoticeData = {
      ...(await taskFacts(t, task)),
      drawId: draw.id,
      items: checks.map((c) => ({ ordinal: c.ordinal, creditCode: c.creditCode, name: c.name, result: c.result ?? '' })),
    };
    const item = await publishApproved(p, t, actor, {
      type: RESULT_NOTICE,
      departmentId: task.department_id,
      meta: noticeMeta(`${task.title}抽查结果公告`, '抽查结果', task.matter_name, `${task.matter_name}：随机抽查${checks.length}户市场主体的检查结果（检查期间${task.window_start}至${task.window_end}）。`),
      data,
    });
    const now = new Date().toISOString();
    await t.updateTable('enf_tasks').set({ state: 'published', result_item_id: item.id, updated_at: now }).where('id', '=', task.id).execute();
    await completeClock(p, t, SUBJECT_TASK, task.id, RESULTS_RULE_CODE, actorName(actor));
    await p.audit(t, { actor: actorName(actor), action: 'enforcement.results_publish', entity: 'enf_task', entityId: task.id, details: { itemId: item.id, indexNo: item.indexNo, targets: checks.length } });
    return { itemId: item.id, indexNo: item.indexNo };
  });
  bumpGeneration();
  return out;
}

/** The daily job: drawn tasks whose window has started are 执行中. Returns how many moved. */
export async function startWindows(p: Platform, on: string = todayShanghai()): Promise<number> {
  const due = await p.db.selectFrom('enf_tasks').select('id').where('state', '=', 'drawn').where('window_start', '<=', on).execute();
  if (!due.length) return 0;
  return p.tx(async (t) => {
    let n = 0;
    const now = new Date().toISOString();
    for (const r of due) {
      const u = await t.updateTable('enf_tasks').set({ state: 'in-progress', updated_at: now }).where('id', '=', r.id).where('state', '=', 'drawn').executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) continue;
      n++;
      await p.audit(t, { actor: 'system', action: 'enforcement.task_start', entity: 'enf_task', entityId: r.id, details: { on } });
    }
    return n;
  });
}

export const WINDOWS_JOB = 'enforcement.inspection_windows';

/** The module's jobs of this part. */
export function inspectionJobs(p: Platform) {
  return {
    [WINDOWS_JOB]: async (payload: { on?: string }) => {
      await startWindows(p, payload?.on ?? todayShanghai());
    },
  };
}

/** Background: one windows job per Shanghai day (keyed), checked hourly. */
export function inspectionBackground(p: Platform): () => void {
  const tick = async () => {
    const on = todayShanghai();
    await p.tx((t) => p.jobs.enqueue(t, WINDOWS_JOB, { on }, { key: `${WINDOWS_JOB}:${on}`, maxAttempts: 3 }));
  };
  const run = () => void tick().catch((err) => p.log.warn({ err }, 'enforcement windows tick failed'));
  run();
  const timer = setInterval(run, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
