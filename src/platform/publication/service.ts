// The publication spine: items, immutable versions, the review workflow with separation of
// duties (createDraft, updateDraft, transition), scheduled publication and the daily validity
// switch. Its last step is publish.ts's publishVersion, the same path module-approved items take.
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import { can, isGlobalRole, roleAllows } from '../auth/policy.js';
import { cleanText } from '../text.js';
import { conflict, forbidden, notFound, validationError, badRequest } from '../errors.js';
import { itemType, type ItemMeta } from './registry.js';
import { bumpGeneration } from './cache.js';
import { actorName, type Actor } from '../auth/actor.js';
import { actorId, currentNames, defaultMeta, getItemRow, getVersion, prepared, today, type Approval, type ItemRow } from './meta.js';
import { multiStageDepartments } from './numbering.js';
import { endApproved, enqueueEffects, publishVersion, readyClocks, startPublishClock, withdrawApproved } from './publish.js';
import './schema.js';

export { actorName, type Actor };
export const STATUSES = ['draft', 'secrecy_review', 'review', 'signing', 'scheduled', 'published', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];
export const ACTIONS = ['submit', 'approve', 'reject', 'withdraw', 'repeal', 'expire'] as const;
export type Action = (typeof ACTIONS)[number];

/** The permission each review stage needs, in order. */
export const STAGES: { state: Status; action: string }[] = [
  { state: 'secrecy_review', action: 'content.secrecy' },
  { state: 'review', action: 'content.review' },
  { state: 'signing', action: 'content.sign' },
];


function allow(a: Actor, action: string, departmentId: number): boolean {
  return typeof a === 'string' || can(a, action, { departmentId });
}

export async function staffItem(p: Platform, actor: Actor, id: number): Promise<ItemRow> {
  const item = await getItemRow(p.db, id);
  if (!item || !allow(actor, 'content.read', item.department_id)) throw notFound();
  return item;
}

// ---- writing ----------------------------------------------------------------------------------

export interface DraftInput {
  type: string;
  departmentId: number;
  meta: Partial<ItemMeta>;
  data: unknown;
  changeNote?: string;
}

export async function createDraft(p: Platform, actor: Actor, input: DraftInput): Promise<number> {
  if (!allow(actor, 'content.create', input.departmentId)) throw forbidden();
  const meta = defaultMeta(input.meta);
  const data = await prepared(input.type, meta, input.data);
  await readyClocks(p);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const item = await t
      .insertInto('pub_items')
      .values({
        type: input.type,
        department_id: input.departmentId,
        index_no: null,
        status: 'draft',
        public: 0,
        published_version: null,
        latest_version: 1,
        title: meta.title,
        doc_no: meta.docNo,
        topic: meta.topic,
        genre: meta.genre,
        category: meta.category ?? itemType(input.type).category ?? null,
        written_at: meta.writtenAt,
        effective_at: meta.effectiveAt,
        expires_at: meta.expiresAt,
        validity: 'valid',
        year: meta.writtenAt ? Number(meta.writtenAt.slice(0, 4)) : null,
        summary: meta.summary,
        search_text: '',
        formed_at: meta.formedAt,
        first_published_at: null,
        published_at: null,
        withdrawn_at: null,
        withdraw_reason: null,
        validity_changed_at: null,
        validity_reason: null,
        changed_at: null,
        created_by: actorId(actor),
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'department_id', 'type'])
      .executeTakeFirstOrThrow();
    await insertVersion(t, item.id, 1, meta, data, input.changeNote ?? '', actorId(actor), now);
    await p.audit(t, { actor: actorName(actor), action: 'publication.create', entity: 'pub_item', entityId: item.id, details: { type: input.type, title: meta.title, version: 1 } });
    await startPublishClock(p, t, item, meta, actorId(actor));
    return item.id;
  });
}

async function insertVersion(t: Db, itemId: number, version: number, meta: ItemMeta, data: unknown, changeNote: string, authorId: number | null, now: string) {
  await t
    .insertInto('pub_versions')
    .values({ item_id: itemId, version, state: 'draft', meta: JSON.stringify(meta), data: JSON.stringify(data), change_note: changeNote, author_id: authorId, approvals: '[]', editors: JSON.stringify(authorId != null ? [authorId] : []), reject_reason: null, publish_at: meta.publishAt, hash: null, canonical: null, published_at: null, created_at: now, updated_at: now })
    .execute();
}

/**
 * Edits the working draft. On a published (or withdrawn) item whose newest version is
 * published, this starts a new draft version; the published version stays online meanwhile.
 */
export async function updateDraft(p: Platform, actor: Actor, id: number, input: { meta?: Partial<ItemMeta>; data?: unknown; changeNote?: string }): Promise<number> {
  const item = await staffItem(p, actor, id);
  if (!allow(actor, 'content.edit', item.department_id)) throw forbidden();
  const latest = (await getVersion(p.db, id, item.latest_version))!;
  const newVersion = latest.state === 'published' || latest.state === 'superseded';
  if (latest.state !== 'draft' && !newVersion) throw conflict('err.pub.not_editable', undefined, { status: latest.state });
  const meta = defaultMeta({ ...latest.meta, ...currentNames(input.meta ?? {}) });
  if (newVersion && !input.meta?.formedAt) meta.formedAt = today();
  const data = await prepared(item.type, meta, input.data === undefined ? latest.data : input.data);
  await readyClocks(p);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const cur = await t.selectFrom('pub_items').select(['latest_version', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    if (cur.latest_version !== item.latest_version) throw conflict('err.pub.concurrent_edit');
    if (newVersion) {
      const v = item.latest_version + 1;
      await insertVersion(t, id, v, meta, data, input.changeNote ?? '', actorId(actor), now);
      await t.updateTable('pub_items').set({ latest_version: v, status: 'draft', formed_at: meta.formedAt, updated_at: now }).where('id', '=', id).execute();
      await p.audit(t, { actor: actorName(actor), action: 'publication.new_version', entity: 'pub_item', entityId: id, details: { version: v, changeNote: input.changeNote ?? '' } });
      await startPublishClock(p, t, item, meta, actorId(actor));
      return v;
    }
    await t
      .updateTable('pub_versions')
      .set({ meta: JSON.stringify(meta), data: JSON.stringify(data), change_note: input.changeNote ?? latest.changeNote, publish_at: meta.publishAt, updated_at: now, author_id: latest.authorId ?? actorId(actor), editors: JSON.stringify([...new Set([...latest.editors, ...(actorId(actor) != null ? [actorId(actor)!] : [])])]) })
      .where('item_id', '=', id)
      .where('version', '=', latest.version)
      .where('state', '=', 'draft')
      .execute();
    // Drafts never published keep their listing fields in step for the console.
    const set: Record<string, unknown> = { updated_at: now, formed_at: meta.formedAt };
    if (!item.published_version) Object.assign(set, { title: meta.title, doc_no: meta.docNo, topic: meta.topic, genre: meta.genre });
    await t.updateTable('pub_items').set(set).where('id', '=', id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'publication.edit', entity: 'pub_item', entityId: id, details: { version: latest.version } });
    return latest.version;
  });
}

export const SCHEDULED_JOB = 'publication.publish_scheduled';
export const VALIDITY_JOB = 'publication.validity';

/** The longest reason or 审核意见 a workflow step accepts. */
export const OPINION_MAX = 1000;

/** The role whose grant lets `actor` take `action` in the department (null for the platform's callers). */
function actingRole(a: Actor, action: string, departmentId: number): string | null {
  if (typeof a === 'string') return null;
  return a.grants.find((g) => roleAllows(g.role, action) && (isGlobalRole(g.role) || g.covers.has(departmentId)))?.role ?? null;
}

export interface ReviewStep {
  version: number;
  /** draft (a submission) | secrecy_review | review | signing */
  stage: string;
  action: 'submit' | 'approve' | 'reject';
  userId: number | null;
  /** The user's display name; for the platform's own callers their kind (system, cli, demo). */
  name: string;
  role: string | null;
  opinion: string;
  at: string;
}

/** The item's review history, oldest first: every submission, approval and rejection with its 审核意见. */
export async function reviewHistory(db: Db, itemId: number): Promise<ReviewStep[]> {
  const rows = await db
    .selectFrom('pub_reviews as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.version', 'r.stage', 'r.action', 'r.user_id', 'r.actor', 'r.role', 'r.opinion', 'r.at', 'u.display_name'])
    .where('r.item_id', '=', itemId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ version: r.version, stage: r.stage, action: r.action as ReviewStep['action'], userId: r.user_id, name: r.display_name || r.actor.replace(/^user:/, ''), role: r.role, opinion: r.opinion, at: r.at }));
}

export interface TransitionResult {
  status: Status;
  version: number;
}

/**
 * One workflow step. Errors name exactly why a step is refused. `reason` is the reason of a
 * rejection, withdrawal, repeal or expiry (required) and the 审核意见 of an approval (optional);
 * submissions, approvals and rejections are recorded with it in the review history (pub_reviews).
 */
export async function transition(p: Platform, actor: Actor, id: number, action: Action, reason?: string): Promise<TransitionResult> {
  if (!(ACTIONS as readonly string[]).includes(action)) throw badRequest('err.pub.unknown_action');
  const item0 = await staffItem(p, actor, id);
  const why = cleanText(reason ?? '').trim();
  if (why.length > OPINION_MAX) throw validationError({ reason: 'err.field.too_long' });
  await readyClocks(p);
  const out = await p.tx(async (t) => {
    const item = (await t.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as ItemRow;
    const v = (await getVersion(t, id, item.latest_version))!;
    const now = new Date();
    const nowS = now.toISOString();
    const stageIdx = STAGES.findIndex((s) => s.state === v.state);
    const audit = (act: string, details: Record<string, unknown>) => p.audit(t, { actor: actorName(actor), action: `publication.${act}`, entity: 'pub_item', entityId: id, details: { version: v.version, ...details } });
    const setState = async (state: string, status: Status, extra: Record<string, unknown> = {}) => {
      await t.updateTable('pub_versions').set({ state, updated_at: nowS, ...extra }).where('item_id', '=', id).where('version', '=', v.version).execute();
      await t.updateTable('pub_items').set({ status, updated_at: nowS }).where('id', '=', id).execute();
    };
    const record = (act: ReviewStep['action'], stage: string, permission: string, opinion: string) =>
      t.insertInto('pub_reviews').values({ item_id: id, version: v.version, stage, action: act, user_id: actorId(actor), actor: actorName(actor), role: actingRole(actor, permission, item.department_id), opinion, at: nowS }).execute();
    switch (action) {
      case 'submit': {
        if (!allow(actor, 'content.submit', item.department_id)) throw forbidden('err.pub.no_right_submit');
        if (v.state !== 'draft') throw conflict(`err.pub.bad_transition.${v.state}`, undefined, { action });
        if (v.meta.disclosure !== 'proactive') throw conflict('err.pub.not_proactive');
        await setState('secrecy_review', 'secrecy_review', { approvals: '[]', reject_reason: null });
        await record('submit', 'draft', 'content.submit', '');
        await audit('submit', {});
        return { status: 'secrecy_review' as Status, version: v.version };
      }
      case 'approve':
      case 'reject': {
        if (stageIdx < 0 && !(action === 'reject' && v.state === 'scheduled')) throw conflict(`err.pub.bad_transition.${v.state === 'superseded' ? item.status : v.state}`, undefined, { action });
        const stage = stageIdx >= 0 ? STAGES[stageIdx] : STAGES[2];
        if (!allow(actor, stage.action, item.department_id)) throw forbidden(`err.pub.no_right_${stage.state}`);
        if (action === 'reject') {
          if (!why) throw validationError({ reason: 'err.pub.reason_required' });
          await setState('draft', 'draft', { reject_reason: why, approvals: '[]', publish_at: v.meta.publishAt });
          await record('reject', stage.state, stage.action, why);
          await audit('reject', { stage: v.state, reason: why });
          return { status: 'draft' as Status, version: v.version };
        }
        const uid = actorId(actor);
        if (uid != null && (v.authorId === uid || v.editors.includes(uid))) throw forbidden('err.pub.author_cannot_approve');
        if (uid != null && v.approvals.some((a) => a.userId === uid) && !(await multiStageDepartments(t)).includes(item.department_id)) throw forbidden('err.pub.one_stage_only');
        const approvals: Approval[] = [...v.approvals, { stage: stage.state, userId: uid, username: actorName(actor), at: nowS }];
        await record('approve', stage.state, stage.action, why);
        if (stageIdx < STAGES.length - 1) {
          const next = STAGES[stageIdx + 1].state;
          await setState(next, next, { approvals: JSON.stringify(approvals) });
          await audit('approve', { stage: stage.state, next, ...(why ? { opinion: why } : {}) });
          return { status: next, version: v.version };
        }
        await t.updateTable('pub_versions').set({ approvals: JSON.stringify(approvals) }).where('item_id', '=', id).where('version', '=', v.version).execute();
        if (v.meta.publishAt && Date.parse(v.meta.publishAt) > now.getTime()) {
          await setState('scheduled', 'scheduled');
          await p.jobs.enqueue(t, SCHEDULED_JOB, { id, version: v.version }, { runAt: new Date(v.meta.publishAt), key: `pubsched:${id}:${v.version}:${nowS}` });
          await audit('schedule', { stage: stage.state, publishAt: v.meta.publishAt, ...(why ? { opinion: why } : {}) });
          return { status: 'scheduled' as Status, version: v.version };
        }
        await audit('approve', { stage: stage.state, next: 'published', ...(why ? { opinion: why } : {}) });
        await publishVersion(p, t, actor, id, v.version, now);
        return { status: 'published' as Status, version: v.version };
      }
      case 'withdraw': {
        if (!allow(actor, 'content.withdraw', item.department_id)) throw forbidden('err.pub.no_right_withdraw');
        if (!item.public) throw conflict(`err.pub.bad_transition.${item.status}`, undefined, { action });
        if (!why) throw validationError({ reason: 'err.pub.reason_required' });
        const status: Status = item.latest_version === item.published_version ? 'withdrawn' : (item.status as Status);
        await withdrawApproved(p, t, actor, id, why, { version: v.version });
        return { status, version: item.published_version ?? v.version };
      }
      case 'repeal':
      case 'expire': {
        if (!allow(actor, 'content.withdraw', item.department_id)) throw forbidden('err.pub.no_right_withdraw');
        if (!item.public) throw conflict(`err.pub.bad_transition.${item.status}`, undefined, { action });
        if (item.validity === 'repealed' || (action === 'expire' && item.validity === 'expired')) throw conflict('err.pub.already', undefined, { validity: item.validity });
        if (!why) throw validationError({ reason: 'err.pub.reason_required' });
        await endApproved(p, t, actor, id, action === 'repeal' ? 'repealed' : 'expired', why, { version: v.version });
        return { status: item.status as Status, version: item.published_version ?? v.version };
      }
    }
  });
  void item0;
  if (action === 'approve' || action === 'withdraw' || action === 'repeal' || action === 'expire') bumpGeneration();
  return out;
}

/** Job: publishes a scheduled version when its time has come (no-op if rejected meanwhile). */
export async function runScheduled(p: Platform, payload: { id: number; version: number }): Promise<void> {
  await readyClocks(p);
  await p.tx(async (t) => {
    const v = await t.selectFrom('pub_versions').select(['state', 'publish_at']).where('item_id', '=', payload.id).where('version', '=', payload.version).executeTakeFirst();
    if (!v || v.state !== 'scheduled') return;
    await publishVersion(p, t, 'system', payload.id, payload.version);
  });
  bumpGeneration();
}

/** Job (daily): switches 有效性 on expiry dates; each switch is audited and re-indexed. */
export async function runValidity(p: Platform, on = today()): Promise<number> {
  const due = await p.db.selectFrom('pub_items').select(['id', 'type', 'published_version']).where('public', '=', 1).where('validity', '=', 'valid').where('expires_at', 'is not', null).where('expires_at', '<=', on).execute();
  for (const d of due) {
    await p.tx(async (t) => {
      await endApproved(p, t, 'system', d.id, 'expired', 'auto:expiresAt', { on, automatic: true });
    });
  }
  if (due.length) bumpGeneration();
  return due.length;
}

