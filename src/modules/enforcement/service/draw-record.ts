// The public record of a draw (format gongkai-draw/1) from its `enf_draws` row: the inputs frozen
// when the draw was prepared and, once drawn, the secrets, seed and selection. A prepared draw
// shows its inputs and commitments only.
import type { Db } from '../../../platform/db/index.js';
import { shanghaiW3c } from '../../../platform/dates.js';
import { notFound } from '../../../platform/errors.js';
import { DRAW_FORMAT, type DrawInspector, type DrawRecordJson, type DrawSelection } from './draw.js';
import '../schema.js';

/** What `enf_draws.inputs` holds (normalised with `normaliseInputs`). */
interface StoredInputs {
  targets: string[];
  inspectors: DrawInspector[];
  conflicts: [string, string][];
  sampleSize: number;
  perTarget: number;
  field: string;
}

/** The record of draw `drawId`, or null when there is none. */
export async function drawRecord(db: Db, drawId: number): Promise<DrawRecordJson | null> {
  const row = await db
    .selectFrom('enf_draws as d')
    .innerJoin('enf_tasks as t', 't.id', 'd.task_id')
    .select(['t.id as task', 'd.status', 'd.inputs', 'd.witnesses', 'd.secrets', 'd.beacon', 'd.seed', 'd.selection', 'd.prepared_at', 'd.drawn_at'])
    .where('d.id', '=', drawId)
    .executeTakeFirst();
  if (!row) return null;
  const inputs = JSON.parse(row.inputs) as StoredInputs;
  const done = row.status === 'done';
  return {
    format: DRAW_FORMAT,
    task: row.task,
    status: done ? 'done' : 'prepared',
    field: inputs.field,
    targets: inputs.targets,
    inspectors: inputs.inspectors.map((x) => ({ certNo: x.certNo, department: x.department, fields: x.fields })),
    conflicts: inputs.conflicts,
    sampleSize: inputs.sampleSize,
    perTarget: inputs.perTarget,
    witnesses: (JSON.parse(row.witnesses) as { name: string; commitment: string }[]).map((w) => ({ name: w.name, commitment: w.commitment })),
    // Before the draw nothing of the outcome is shown, whatever the row holds.
    secrets: done ? (JSON.parse(row.secrets) as string[]) : [],
    beacon: done ? row.beacon : '',
    seed: done ? row.seed : null,
    selection: done && row.selection ? (JSON.parse(row.selection) as DrawSelection[]) : null,
    preparedAt: shanghaiW3c(row.prepared_at),
    drawnAt: done && row.drawn_at ? shanghaiW3c(row.drawn_at) : null,
  };
}

/** A draw id from a path (at most nine digits), or 404. */
export function drawIdOf(s: string): number {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
}

/** The record of draw `id` (a path parameter), or 404. */
export async function requireDrawRecord(db: Db, id: string): Promise<DrawRecordJson> {
  const r = await drawRecord(db, drawIdOf(id));
  if (!r) throw notFound('enforcement.draw.not_found');
  return r;
}
