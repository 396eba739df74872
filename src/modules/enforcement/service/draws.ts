// The draw workflow of a random-inspection task (双随机, issue item 4): *prepare* freezes the
// inputs of gongkai-draw/1 as they stand (target pool, inspector pool, conflicts, sample size,
// inspectors per target) with the witnesses' commitments SM3(secret) and publishes them as the
// draw notice (抽取公告); *draw* takes the revealed secrets (each must match its commitment) and an
// optional beacon, computes the selection (service/draw.ts, pure), writes one check per selected
// target, moves the task to 已抽取, revises the notice with the seed and selection and starts the
// results clock from the window's end.
//
// The enf_draws row is the public record (api/draws.ts, verify page, CLI): `inputs` holds the
// normalised {targets, inspectors, conflicts, sampleSize, perTarget, field}, `witnesses`
// [{name, commitment}], `secrets` (witness order, '[]' until drawn), `beacon`, `seed`, `selection`.
//
// A draw's id is the id of its notice in the spine (one address, /enforcement/draws/{id}, for the
// notice page and the record): the row is inserted with that id.
import { sql } from 'kysely';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { can } from '../../../platform/auth/policy.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { canonicalJson, sm3 } from '../../../platform/hash.js';
import { CONTROL_ANY, cleanLine } from '../../../platform/text.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import { startClock } from '../../../platform/deadlines/index.js';
import { bumpGeneration, publishApproved, reviseApproved } from '../../../platform/publication/index.js';
import { RESULTS_RULE_CODE, SUBJECT_TASK, type TaskRow } from '../schema.js';
import { commitment, computeDraw, DrawError, normaliseInputs, DRAW_FORMAT, type DrawInputs, type DrawSelection } from './draw.js';
import { DRAW_NOTICE, noticeMeta, type DrawNoticeData, type NoticeTaskFacts } from '../items.js';

export const MIN_WITNESSES = 2;
export const MAX_WITNESSES = 9;
export const WITNESS_NAME_MAX = 50;
export const SECRET_MAX = 200;
export const BEACON_MAX = 200;
const COMMITMENT = /^[0-9a-f]{64}$/;

/** The stored inputs of a draw (enf_draws.inputs): what the record publishes besides the task,
 *  the secrets and the beacon. */
export type StoredInputs = Pick<DrawInputs, 'targets' | 'inspectors' | 'conflicts' | 'sampleSize' | 'perTarget' | 'field'>;

export interface Witness {
  name: string;
  commitment: string;
}

/** The target filter of a task (enf_tasks.filter): empty lists mean any. */
export interface TaskFilter {
  industries: string[];
  areas: string[];
  risks: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export function parseFilter(json: string): TaskFilter {
  let f: Record<string, unknown> = {};
  try {
    f = JSON.parse(json || '{}') ?? {};
  } catch {
    f = {};
  }
  return { industries: strings(f.industries), areas: strings(f.areas), risks: strings(f.risks) };
}

/** The active entities matching a task's filter (an industry matches its code and the codes under
 *  it), by credit code. The pool as it stands now. */
export async function poolEntities(db: Db, filter: TaskFilter): Promise<{ id: number; credit_code: string }[]> {
  let q = db.selectFrom('enf_entities').select(['id', 'credit_code']).where('active', '=', 1);
  if (filter.areas.length) q = q.where('area', 'in', filter.areas);
  if (filter.risks.length) q = q.where('risk', 'in', filter.risks);
  if (filter.industries.length) {
    const codes = filter.industries.map((x) => x.replace(/[%_\\]/g, ''));
    q = q.where((eb) => eb.or(codes.flatMap((code) => [eb('industry', '=', code), eb('industry', 'like', `${code}%`)])));
  }
  return q.orderBy('credit_code').execute();
}

/** The sample size of a task for a pool: a count, or a ratio in per mille rounded up. */
export function drawSampleSize(kind: string, value: number, poolSize: number): number {
  return kind === 'ratio' ? Math.ceil((poolSize * value) / 1000) : value;
}

const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  try {
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
};

/** The fields of competence of an inspector row (JSON string[]). */
export const inspectorFields = (json: string): string[] => strings(parseJson<unknown>(json, []));

export async function loadTask(db: Db, taskId: number): Promise<TaskRow> {
  if (!Number.isInteger(taskId) || taskId < 1) throw notFound();
  const task = await db.selectFrom('enf_tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound('enforcement.err.no_task');
  return task;
}

/** Staff may act only in a department where they hold the action; the platform's own callers may. */
export function requireAction(actor: Actor, action: string, departmentId: number): void {
  if (typeof actor === 'string') return;
  if (!can(actor, action, { departmentId })) throw forbidden('enforcement.err.not_your_department');
}

function requireState(task: TaskRow, state: string): void {
  if (task.state !== state) throw conflict('enforcement.err.task_state', undefined, { state: `enforcement.state.${task.state}` });
}

/** Witness names and commitments: at least two, commitments 64 hex characters and distinct. */
export function checkWitnesses(raw: unknown): Witness[] {
  if (!Array.isArray(raw)) throw validationError({ witnesses: 'err.field.required' });
  const fields: FieldErrors = {};
  if (raw.length < MIN_WITNESSES) fields.witnesses = 'enforcement.err.witnesses_min';
  if (raw.length > MAX_WITNESSES) fields.witnesses = 'enforcement.err.witnesses_max';
  const seen = new Set<string>();
  const out = raw.slice(0, MAX_WITNESSES).map((w: any, i) => {
    const name = typeof w?.name === 'string' ? cleanLine(w.name).trim() : '';
    const c = typeof w?.commitment === 'string' ? w.commitment.trim().toLowerCase() : '';
    if (!name) fields[`witnesses.${i}.name`] = 'err.field.required';
    else if (name.length > WITNESS_NAME_MAX) fields[`witnesses.${i}.name`] = 'err.field.too_long';
    if (!c) fields[`witnesses.${i}.commitment`] = 'err.field.required';
    else if (!COMMITMENT.test(c)) fields[`witnesses.${i}.commitment`] = 'enforcement.err.commitment_format';
    else if (seen.has(c)) fields[`witnesses.${i}.commitment`] = 'enforcement.err.commitment_duplicate';
    seen.add(c);
    return { name, commitment: c };
  });
  if (Object.keys(fields).length) throw validationError(fields);
  return out;
}

/** A commitment given for any other draw is refused: once that draw is done its secret is public,
 *  and a draw committed to known secrets could be computed before its inputs are frozen. */
async function refuseUsedCommitments(db: Db, witnesses: Witness[]): Promise<void> {
  // Commitments are 64 hex characters (checkWitnesses): safe inside a LIKE pattern.
  const used = await db
    .selectFrom('enf_draws')
    .select('witnesses')
    .where((eb) => eb.or(witnesses.map((w) => eb('witnesses', 'like', `%"${w.commitment}"%`))))
    .execute();
  const fields: FieldErrors = {};
  witnesses.forEach((w, i) => {
    if (used.some((r) => parseJson<Witness[]>(r.witnesses, []).some((x) => x.commitment === w.commitment))) fields[`witnesses.${i}.commitment`] = 'enforcement.err.commitment_used';
  });
  if (Object.keys(fields).length) throw conflict('enforcement.err.commitment_used', fields);
}

/** Conflicts (回避) of a pool: declared relations, and the pairs of the department's previous done
 *  draw of the same matter (another task, the most recent), both limited to the pools. */
async function poolConflicts(db: Db, task: TaskRow, targets: Set<string>, certNos: Set<string>): Promise<[string, string][]> {
  const pairs = new Map<string, [string, string]>();
  const add = (cert: string, code: string) => {
    if (certNos.has(cert) && targets.has(code)) pairs.set(`${cert}\u0000${code}`, [cert, code]);
  };
  const declared = await db
    .selectFrom('enf_relations as r')
    .innerJoin('enf_inspectors as i', 'i.id', 'r.inspector_id')
    .innerJoin('enf_entities as e', 'e.id', 'r.entity_id')
    .select(['i.cert_no', 'e.credit_code'])
    .where('i.department_id', '=', task.department_id)
    .where('i.active', '=', 1)
    .execute();
  for (const r of declared) add(r.cert_no, r.credit_code);
  const previous = await previousDraw(db, task);
  for (const s of previous?.selection ?? []) for (const cert of s.inspectors) add(cert, s.target);
  return [...pairs.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** The department's most recent done draw of the task's matter, for another task. */
export async function previousDraw(db: Db, task: Pick<TaskRow, 'id' | 'department_id' | 'matter_code'>): Promise<{ id: number; taskId: number; selection: DrawSelection[] } | null> {
  const row = await db
    .selectFrom('enf_draws as d')
    .innerJoin('enf_tasks as t', 't.id', 'd.task_id')
    .select(['d.id', 'd.task_id', 'd.selection'])
    .where('d.status', '=', 'done')
    .where('t.matter_code', '=', task.matter_code)
    .where('t.department_id', '=', task.department_id)
    .where('t.id', '!=', task.id)
    .orderBy('d.drawn_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, taskId: row.task_id, selection: parseJson<DrawSelection[]>(row.selection, []) } : null;
}

/** SM3 of the canonical JSON (keys sorted, no spaces) of the stored inputs: the digest the draw
 *  notice publishes before the draw. */
export function inputsDigest(i: StoredInputs): string {
  return sm3(canonicalJson(i));
}

export interface PreparedPools {
  inputs: StoredInputs;
  /** Inspectors of the pool with the matter's field. */
  qualified: number;
}

/** Freezes the inputs of a task's draw from the registers as they stand. */
export async function freezeInputs(db: Db, task: TaskRow): Promise<PreparedPools> {
  const entities = await poolEntities(db, parseFilter(task.filter));
  const rows = await db
    .selectFrom('enf_inspectors as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.cert_no', 'i.fields', 'd.code'])
    .where('i.department_id', '=', task.department_id)
    .where('i.active', '=', 1)
    .execute();
  const inspectors = rows.map((r) => ({ certNo: r.cert_no, department: r.code, fields: inspectorFields(r.fields) }));
  const targets = entities.map((e) => e.credit_code);
  const conflicts = await poolConflicts(db, task, new Set(targets), new Set(inspectors.map((x) => x.certNo)));
  const sampleSize = drawSampleSize(task.sample_kind, task.sample_value, targets.length);
  const norm = normaliseInputs({ task: task.id, targets, inspectors, conflicts, sampleSize, perTarget: task.per_target, field: task.field, secrets: [], beacon: '' });
  const inputs: StoredInputs = { targets: norm.targets, inspectors: norm.inspectors, conflicts: norm.conflicts, sampleSize, perTarget: task.per_target, field: task.field };
  return { inputs, qualified: inspectors.filter((x) => x.fields.includes(task.field)).length };
}

/** What the notices say of a task. */
export async function taskFacts(db: Db, task: TaskRow): Promise<NoticeTaskFacts> {
  const dept = await db.selectFrom('departments').select('name').where('id', '=', task.department_id).executeTakeFirst();
  return { taskId: task.id, task: task.title, matterCode: task.matter_code, matterName: task.matter_name, field: task.field, department: dept?.name ?? '', windowStart: task.window_start, windowEnd: task.window_end };
}

export interface PrepareResult {
  id: number;
  itemId: number;
  sampleSize: number;
  perTarget: number;
  targets: number;
  inspectors: number;
  qualified: number;
  conflicts: number;
  inputsDigest: string;
}

/** Prepares the draw of a pending task: freezes and publishes its inputs with the witnesses'
 *  commitments (the draw notice). One draw per task. */
export async function prepareDraw(p: Platform, actor: Actor, taskId: number, input: { witnesses: unknown }): Promise<PrepareResult> {
  const task0 = await loadTask(p.db, taskId);
  requireAction(actor, 'inspection.plan', task0.department_id);
  const witnesses = checkWitnesses(input?.witnesses);
  requireState(task0, 'pending');
  const result = await p.tx(async (t) => {
    // A no-op write takes the task's row lock: an edit of the task waits, then finds the draw (plans.ts).
    await t.updateTable('enf_tasks').set({ state: 'pending' }).where('id', '=', taskId).where('state', '=', 'pending').execute();
    const task = await loadTask(t, taskId);
    requireState(task, 'pending');
    if (await t.selectFrom('enf_draws').select('id').where('task_id', '=', task.id).executeTakeFirst()) throw conflict('enforcement.err.draw_exists');
    await refuseUsedCommitments(t, witnesses);
    const { inputs, qualified } = await freezeInputs(t, task);
    // A draw that cannot succeed is refused now, before anything is published.
    if (inputs.sampleSize < 1 || inputs.sampleSize > inputs.targets.length) throw conflict('enforcement.err.too_few_targets', undefined, { needed: Math.max(1, inputs.sampleSize), available: inputs.targets.length });
    if (qualified < inputs.perTarget) throw conflict('enforcement.err.too_few_qualified', undefined, { needed: inputs.perTarget, available: qualified, field: `enforcement.field.${task.field}` });
    const digest = inputsDigest(inputs);
    const now = new Date().toISOString();
    const data: DrawNoticeData = {
      format: DRAW_FORMAT,
      ...(await taskFacts(t, task)),
      sampleSize: inputs.sampleSize,
      perTarget: inputs.perTarget,
      pool: { targets: inputs.targets.length, inspectors: inputs.inspectors.length, qualified, conflicts: inputs.conflicts.length },
      inputsDigest: digest,
      witnesses,
      preparedAt: now,
      secrets: null,
      beacon: '',
      seed: null,
      selection: null,
      drawnAt: null,
    };
    const item = await publishApproved(p, t, actor, {
      type: DRAW_NOTICE,
      departmentId: task.department_id,
      meta: noticeMeta(
        `${task.title}随机抽取公告`,
        '随机抽取',
        task.matter_name,
        `${task.matter_name}：从${inputs.targets.length}户市场主体中随机抽取${inputs.sampleSize}户，每户由${inputs.perTarget}名执法检查人员检查；抽取前公布全部输入和${witnesses.length}位见证人的承诺值。`,
      ),
      data,
    });
    await t
      .insertInto('enf_draws')
      .values({
        id: item.id,
        task_id: task.id,
        status: 'prepared',
        inputs: JSON.stringify(inputs),
        witnesses: JSON.stringify(witnesses),
        secrets: '[]',
        beacon: '',
        seed: null,
        selection: null,
        prepared_by: actorName(actor),
        prepared_at: now,
        drawn_by: null,
        drawn_at: null,
      })
      .execute();
    // The id was given: keep PostgreSQL's sequence ahead of it for rows inserted without one.
    if (p.dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('enf_draws', 'id'), (select max(id) from enf_draws))`.execute(t);
    await p.audit(t, { actor: actorName(actor), action: 'enforcement.draw_prepare', entity: 'enf_draw', entityId: item.id, details: { taskId: task.id, itemId: item.id, sampleSize: inputs.sampleSize, perTarget: inputs.perTarget, targets: inputs.targets.length, inspectors: inputs.inspectors.length, conflicts: inputs.conflicts.length, inputsDigest: digest } });
    return { id: item.id, itemId: item.id, sampleSize: inputs.sampleSize, perTarget: inputs.perTarget, targets: inputs.targets.length, inspectors: inputs.inspectors.length, qualified, conflicts: inputs.conflicts.length, inputsDigest: digest };
  });
  bumpGeneration();
  return result;
}

/** The revealed secrets, each matching its witness's commitment, and the beacon. */
function checkReveal(witnesses: Witness[], input: { secrets?: unknown; beacon?: unknown }): { secrets: string[]; beacon: string } {
  const raw = input?.secrets;
  if (!Array.isArray(raw)) throw validationError({ secrets: 'err.field.required' });
  if (raw.length !== witnesses.length) throw badRequest('enforcement.err.secrets_count', { secrets: 'enforcement.err.secrets_count' }, { n: witnesses.length });
  const fields: FieldErrors = {};
  const secrets = raw.map((s, i) => {
    if (typeof s !== 'string' || s === '') fields[`secrets.${i}`] = 'err.field.required';
    else if (s.length > SECRET_MAX) fields[`secrets.${i}`] = 'err.field.too_long';
    else if (CONTROL_ANY.test(s)) fields[`secrets.${i}`] = 'err.field.control_chars';
    return typeof s === 'string' ? s : '';
  });
  let beacon = '';
  if (input.beacon !== undefined && input.beacon !== null) {
    if (typeof input.beacon !== 'string') fields.beacon = 'err.field.invalid';
    else if (input.beacon.length > BEACON_MAX) fields.beacon = 'err.field.too_long';
    else if (CONTROL_ANY.test(input.beacon)) fields.beacon = 'err.field.control_chars';
    else beacon = input.beacon.trim();
  }
  if (Object.keys(fields).length) throw validationError(fields);
  // A secret that does not match its witness's commitment is refused, naming the witness.
  const bad = secrets.findIndex((s, i) => commitment(s) !== witnesses[i].commitment);
  if (bad >= 0) throw badRequest('enforcement.err.secret_mismatch', { [`secrets.${bad}`]: 'enforcement.err.secret_mismatch_field' }, { n: bad + 1, witness: witnesses[bad].name });
  return { secrets, beacon };
}

/** The HTTP error of a draw that cannot be made, naming the target. */
function drawRefusal(err: DrawError, name: string): Error {
  if (err.code === 'too-few-inspectors') return conflict('enforcement.err.too_few_inspectors', undefined, { target: String(err.params.target), name, eligible: err.params.eligible, needed: err.params.needed });
  if (err.code === 'too-few-targets') return conflict('enforcement.err.too_few_targets', undefined, { needed: err.params.needed, available: err.params.available });
  return conflict('enforcement.err.draw_input');
}

export interface DrawResult {
  id: number;
  seed: string;
  selection: DrawSelection[];
}

/** Draws a prepared task: checks the secrets against the commitments, computes gongkai-draw/1 on
 *  the frozen inputs and, in one transaction, records the result, the checks, the task's state,
 *  the revised notice, the audit and the results clock. Nothing is written when it is refused. */
export async function drawTask(p: Platform, actor: Actor, taskId: number, input: { secrets?: unknown; beacon?: unknown }): Promise<DrawResult> {
  const task0 = await loadTask(p.db, taskId);
  requireAction(actor, 'inspection.plan', task0.department_id);
  const draw0 = await p.db.selectFrom('enf_draws').selectAll().where('task_id', '=', taskId).executeTakeFirst();
  if (!draw0) throw conflict('enforcement.err.no_draw');
  if (draw0.status !== 'prepared') throw conflict('enforcement.err.draw_done');
  const witnesses = parseJson<Witness[]>(draw0.witnesses, []);
  const { secrets, beacon } = checkReveal(witnesses, input);
  requireState(task0, 'pending');
  const inputs = parseJson<StoredInputs>(draw0.inputs, null as unknown as StoredInputs);
  const drawInputs: DrawInputs = { task: taskId, ...inputs, secrets, beacon };
  let out: { seed: string; selection: DrawSelection[] };
  try {
    out = computeDraw(drawInputs);
  } catch (err) {
    if (!(err instanceof DrawError)) throw err;
    const target = String(err.params.target ?? '');
    const named = target ? await p.db.selectFrom('enf_entities').select('name').where('credit_code', '=', target).executeTakeFirst() : undefined;
    throw drawRefusal(err, named?.name ?? target);
  }
  // The selected entities (by credit code, in chunks: a draw may select thousands).
  const entities = new Map<string, { id: number; name: string }>();
  const codes = out.selection.map((s) => s.target);
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await p.db.selectFrom('enf_entities').select(['id', 'credit_code', 'name']).where('credit_code', 'in', codes.slice(i, i + 500)).execute();
    for (const r of rows) entities.set(r.credit_code, { id: r.id, name: r.name });
  }
  const inspectorNames = new Map(
    (await p.db.selectFrom('enf_inspectors').select(['cert_no', 'name']).where('department_id', '=', task0.department_id).execute()).map((r) => [r.cert_no, r.name]),
  );
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const task = await loadTask(t, taskId);
    requireState(task, 'pending');
    const now = new Date().toISOString();
    const done = await t
      .updateTable('enf_draws')
      .set({ status: 'done', secrets: JSON.stringify(secrets), beacon, seed: out.seed, selection: JSON.stringify(out.selection), drawn_by: actorName(actor), drawn_at: now })
      .where('id', '=', draw0.id)
      .where('status', '=', 'prepared')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('enforcement.err.draw_done');
    const checks = out.selection.map((s, i) => {
      const e = entities.get(s.target);
      if (!e) throw conflict('enforcement.err.entity_gone', undefined, { target: s.target });
      return { task_id: task.id, entity_id: e.id, credit_code: s.target, ordinal: i + 1, inspectors: JSON.stringify(s.inspectors), result: null, note: '', entered_by: null, entered_at: null };
    });
    for (let i = 0; i < checks.length; i += 400) await t.insertInto('enf_checks').values(checks.slice(i, i + 400)).execute();
    await t.updateTable('enf_tasks').set({ state: 'drawn', updated_at: now }).where('id', '=', task.id).execute();
    const notice = await t.selectFrom('pub_versions').select('data').where('item_id', '=', draw0.id).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    const prev = JSON.parse(notice.data) as DrawNoticeData;
    const data: DrawNoticeData = {
      ...prev,
      secrets,
      beacon,
      seed: out.seed,
      selection: out.selection.map((s) => ({ target: s.target, name: entities.get(s.target)?.name ?? '', inspectors: s.inspectors.map((c) => ({ certNo: c, name: inspectorNames.get(c) ?? '' })) })),
      drawnAt: now,
    };
    await reviseApproved(p, t, actor, draw0.id, { data, changeNote: '公布见证人密钥、随机种子和抽取结果' });
    await p.audit(t, { actor: actorName(actor), action: 'enforcement.draw', entity: 'enf_draw', entityId: draw0.id, details: { taskId: task.id, seed: out.seed, beacon, targets: out.selection.length } });
    // 20 working days for the results, counted from the inspection window's end.
    await startClock(
      p,
      t,
      { subjectType: SUBJECT_TASK, subjectId: task.id, rule: RESULTS_RULE_CODE, start: task.window_end, departmentId: task.department_id, title: `${task.title}抽查结果公示`, url: `/admin/enforcement/tasks/${task.id}/draw`, publicSubject: true },
      actorName(actor),
    );
  });
  bumpGeneration();
  return { id: draw0.id, seed: out.seed, selection: out.selection };
}
