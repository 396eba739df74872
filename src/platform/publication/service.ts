// The publication spine: items, immutable versions, the review workflow with separation of
// duties, 索引号 allocation, publication side effects (audit, search sync, channels, cache,
// the Art. 26 clock) — all in the transaction of the change.
import { sql } from 'kysely';
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import { can, type Principal } from '../auth/policy.js';
import { conflict, forbidden, notFound, validationError, badRequest } from '../errors.js';
import { canonicalJson, sm3 } from '../hash.js';
import { getGovernment } from '../render/context.js';
import { SEARCH_SYNC_JOB } from './indexable.js';
import { itemType, deliveryChannels, channelJob, type ItemMeta, type PublicationEvent } from './registry.js';
import { bumpGeneration } from './cache.js';
import { cleanLine, cleanText } from '../text.js';
import { startClock, completeClock } from '../deadlines/index.js';
import { ensureCalendar } from '../calendar/index.js';
import './schema.js';

import { actorName, type Actor } from '../auth/actor.js';
export { actorName, type Actor };
export const STATUSES = ['draft', 'secrecy_review', 'review', 'signing', 'scheduled', 'published', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];
export const ACTIONS = ['submit', 'approve', 'reject', 'withdraw', 'repeal', 'expire'] as const;
export type Action = (typeof ACTIONS)[number];
export const CLOCK_RULE = 'disclosure.publish';
export const CANONICAL_FORMAT = 'gongkai-publication-version/1';

/** The permission each review stage needs, in order. */
export const STAGES: { state: Status; action: string }[] = [
  { state: 'secrecy_review', action: 'content.secrecy' },
  { state: 'review', action: 'content.review' },
  { state: 'signing', action: 'content.sign' },
];

export interface Approval {
  stage: string;
  userId: number | null;
  username: string;
  at: string;
}

const actorId = (a: Actor): number | null => (typeof a === 'string' ? null : a.id);
const isoDate = (s: string | null | undefined) => !s || /^\d{4}-\d{2}-\d{2}$/.test(s);
export const today = (d = new Date()) => d.toISOString().slice(0, 10);

function allow(a: Actor, action: string, departmentId: number): boolean {
  return typeof a === 'string' || can(a, action, { departmentId });
}

/** Metadata with defaults; text fields stored without control characters or bidi overrides
 *  (platform/text.ts) whichever way they came (form, API, file import, another module). */
export function defaultMeta(partial: Partial<ItemMeta>): ItemMeta {
  return {
    title: cleanLine(partial.title ?? '').trim(),
    docNo: cleanLine(partial.docNo ?? '').trim(),
    topic: partial.topic || null,
    genre: partial.genre || null,
    category: partial.category || null,
    writtenAt: partial.writtenAt || null,
    effectiveAt: partial.effectiveAt || null,
    expiresAt: partial.expiresAt || null,
    keywords: (partial.keywords ?? []).map((k) => cleanLine(k).trim()).filter(Boolean).slice(0, 20),
    summary: cleanText(partial.summary ?? '').trim(),
    disclosure: partial.disclosure ?? 'proactive',
    disclosureGround: cleanText(partial.disclosureGround ?? '').trim(),
    coPublishers: partial.coPublishers ?? [],
    publishAt: partial.publishAt || null,
    formedAt: partial.formedAt || partial.writtenAt || today(),
  };
}

function checkMeta(m: ItemMeta): Record<string, string> {
  const f: Record<string, string> = {};
  if (!m.title) f.title = 'err.field.required';
  else if (m.title.length > 300) f.title = 'err.field.too_long';
  if (m.docNo.length > 100) f.docNo = 'err.field.too_long';
  if (m.summary.length > 2000) f.summary = 'err.field.too_long';
  for (const k of ['writtenAt', 'effectiveAt', 'expiresAt', 'formedAt'] as const) if (!isoDate(m[k])) f[k] = 'err.field.format';
  if (m.effectiveAt && m.expiresAt && m.expiresAt <= m.effectiveAt) f.expiresAt = 'err.pub.expiry_before_effective';
  if (m.publishAt && Number.isNaN(Date.parse(m.publishAt))) f.publishAt = 'err.field.format';
  if (!['proactive', 'on_request', 'not_public'].includes(m.disclosure)) f.disclosure = 'err.field.enum_generic';
  if (m.disclosure === 'not_public' && !m.disclosureGround) f.disclosureGround = 'err.pub.ground_required';
  return f;
}

async function prepared(type: string, meta: ItemMeta, data: unknown) {
  const t = itemType(type);
  const fields = checkMeta(meta);
  let out = data;
  if (t.prepare) {
    const r = await t.prepare(data, meta);
    out = r.data;
    Object.assign(fields, r.fields);
  }
  if (Object.keys(fields).length) throw validationError(fields);
  return out;
}

export function validityOf(meta: Pick<ItemMeta, 'effectiveAt' | 'expiresAt'>, current: string, on = today()): string {
  if (current === 'repealed') return 'repealed';
  if (meta.expiresAt && meta.expiresAt <= on) return 'expired';
  return current === 'expired' && !(meta.expiresAt && meta.expiresAt <= on) ? 'valid' : current;
}

// ---- the Art. 26 clock (deadline engine; optional until it exists) ----------------------------

/** The deadline engine keeps its working-day calendar in memory; load it before a transaction opens
 *  (on SQLite a load from inside our transaction would wait for our own connection). */
async function readyClocks(p: Platform): Promise<void> {
  await ensureCalendar(p.db);
}

async function startPublishClock(p: Platform, t: Db, item: { id: number; department_id: number; type: string }, meta: ItemMeta, author: number | null) {
  await startClock(p, t, {
    subjectType: 'publication',
    subjectId: item.id,
    rule: CLOCK_RULE,
    start: meta.formedAt,
    departmentId: item.department_id,
    title: meta.title,
    url: `/admin/catalog/${item.id}`,
    publicSubject: false,
    responsibleUserId: author ?? null,
  });
}

async function completePublishClock(p: Platform, t: Db, itemId: number) {
  await completeClock(p, t, 'publication', itemId, CLOCK_RULE);
}

// ---- settings ---------------------------------------------------------------------------------

import { getSetting, putSetting } from '../settings/index.js';

/** Departments (ids) where one person may approve more than one stage of the same version (small departments). */
export async function multiStageDepartments(db: Db): Promise<number[]> {
  return JSON.parse((await getSetting(db, 'publication.multi_stage_departments')) ?? '[]');
}
export async function setMultiStage(p: Platform, actor: Actor, departmentId: number, allowed: boolean): Promise<void> {
  if (!allow(actor, 'department.edit', departmentId)) throw forbidden();
  await p.tx(async (t) => {
    const cur = new Set<number>(JSON.parse((await getSetting(t, 'publication.multi_stage_departments')) ?? '[]'));
    if (allowed) cur.add(departmentId);
    else cur.delete(departmentId);
    await putSetting(t, 'publication.multi_stage_departments', JSON.stringify([...cur]));
    await p.audit(t, { actor: actorName(actor), action: 'publication.setting', entity: 'department', entityId: departmentId, details: { multiStage: allowed } });
  });
}
export const INDEX_PREFIX_MODES = ['government', 'department'] as const;
export type IndexPrefixMode = (typeof INDEX_PREFIX_MODES)[number];

export async function getIndexPrefixMode(db: Db): Promise<IndexPrefixMode> {
  return (await getSetting(db, 'publication.index_prefix')) === 'department' ? 'department' : 'government';
}

/** 'government' (default): 索引号 prefix is the government's org code; 'department': the department's own code when it has one. */
export async function setIndexPrefixMode(p: Platform, actor: Actor, mode: IndexPrefixMode): Promise<void> {
  if (typeof actor !== 'string' && !can(actor, 'government.edit')) throw forbidden();
  if (!(INDEX_PREFIX_MODES as readonly string[]).includes(mode)) throw validationError({ indexPrefix: 'err.field.invalid' });
  await p.tx(async (t) => {
    await putSetting(t, 'publication.index_prefix', mode);
    await p.audit(t, { actor: actorName(actor), action: 'publication.setting', entity: 'government', entityId: 1, details: { indexPrefix: mode } });
  });
}

// ---- 索引号 -------------------------------------------------------------------------------------

/** Allocates the next 索引号 inside the publishing transaction (atomic counter row; unique on both databases). */
export async function allocateIndexNo(t: Db, departmentId: number, year: number): Promise<string> {
  const mode = (await getSetting(t, 'publication.index_prefix')) ?? 'government';
  let prefix = getGovernment().orgCode;
  if (!prefix) prefix = (await t.selectFrom('government').select('org_code').orderBy('id').executeTakeFirst())?.org_code ?? '000000000';
  if (mode === 'department') {
    const d = await t.selectFrom('departments').select('org_code').where('id', '=', departmentId).executeTakeFirst();
    if (d?.org_code) prefix = d.org_code;
  }
  const r = await sql<{ n: number }>`insert into pub_counters (prefix, year, n) values (${prefix}, ${year}, 1)
    on conflict (prefix, year) do update set n = pub_counters.n + 1 returning n`.execute(t);
  const n = Number(r.rows[0].n);
  return `${prefix}/${year}-${String(n).padStart(5, '0')}`;
}

// ---- reading ----------------------------------------------------------------------------------

export interface VersionView {
  version: number;
  state: string;
  meta: ItemMeta;
  data: any;
  changeNote: string;
  authorId: number | null;
  approvals: Approval[];
  /** Everyone who wrote this version. */
  editors: number[];
  rejectReason: string | null;
  hash: string | null;
  publishedAt: string | null;
  createdAt: string;
}

export function versionView(r: any): VersionView {
  return {
    version: r.version,
    state: r.state,
    meta: JSON.parse(r.meta),
    data: JSON.parse(r.data),
    changeNote: r.change_note,
    authorId: r.author_id,
    approvals: JSON.parse(r.approvals),
    editors: JSON.parse(r.editors ?? '[]'),
    rejectReason: r.reject_reason,
    hash: r.hash,
    publishedAt: r.published_at,
    createdAt: r.created_at,
  };
}

export async function getItemRow(db: Db, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return (await db.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof getItemRow>>>;

export async function getVersion(db: Db, itemId: number, version: number): Promise<VersionView | null> {
  const r = await db.selectFrom('pub_versions').selectAll().where('item_id', '=', itemId).where('version', '=', version).executeTakeFirst();
  return r ? versionView(r) : null;
}

export async function listVersions(db: Db, itemId: number): Promise<VersionView[]> {
  return (await db.selectFrom('pub_versions').selectAll().where('item_id', '=', itemId).orderBy('version').execute()).map(versionView);
}

/** The item for a staff user who may read its department's content, else 404. */
export async function staffItem(p: Platform, actor: Actor, id: number): Promise<ItemRow> {
  const item = await getItemRow(p.db, id);
  if (!item || !allow(actor, 'content.read', item.department_id)) throw notFound();
  return item;
}

/** The canonical text of a published version: what its SM3 hash covers (see docs/architecture.md). */
export function canonicalOf(input: { id: number; type: string; indexNo: string; department: { code: string; name: string }; version: number; publishedAt: string; changeNote: string; meta: ItemMeta; data: unknown }): string {
  return canonicalJson({ format: CANONICAL_FORMAT, ...input });
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
        category: meta.category ?? itemType(input.type).category,
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
  const meta = defaultMeta({ ...latest.meta, ...(input.meta ?? {}) });
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

async function enqueueEffects(p: Platform, t: Db, id: number, version: number | null, event: PublicationEvent) {
  await p.jobs.enqueue(t, SEARCH_SYNC_JOB, { id });
  for (const ch of deliveryChannels()) await p.jobs.enqueue(t, channelJob(ch), { id, version, event }, { key: `deliver:${ch}:${id}:${version ?? 0}:${event}:${Date.now()}` });
  await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
}

/** Publishes version `version` of the item inside `t`. */
async function publishVersion(p: Platform, t: Db, actor: Actor, id: number, version: number, at = new Date()) {
  const item = (await t.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as ItemRow;
  const v = (await getVersion(t, id, version))!;
  const now = at.toISOString();
  const dept = await t.selectFrom('departments').select(['code', 'name']).where('id', '=', item.department_id).executeTakeFirstOrThrow();
  const indexNo = item.index_no ?? (await allocateIndexNo(t, item.department_id, at.getUTCFullYear()));
  const canonical = canonicalOf({ id, type: item.type, indexNo, department: dept, version, publishedAt: now, changeNote: v.changeNote, meta: v.meta, data: v.data });
  const hash = sm3(canonical);
  await t.updateTable('pub_versions').set({ state: 'superseded', updated_at: now }).where('item_id', '=', id).where('state', '=', 'published').execute();
  await t.updateTable('pub_versions').set({ state: 'published', hash, canonical, published_at: now, updated_at: now }).where('item_id', '=', id).where('version', '=', version).execute();
  const type = itemType(item.type);
  const m = v.meta;
  await t
    .updateTable('pub_items')
    .set({
      index_no: indexNo,
      status: 'published',
      public: 1,
      published_version: version,
      title: m.title,
      doc_no: m.docNo,
      topic: m.topic,
      genre: m.genre,
      category: m.category ?? type.category,
      written_at: m.writtenAt,
      effective_at: m.effectiveAt,
      expires_at: m.expiresAt,
      validity: validityOf(m, item.validity),
      year: Number((m.writtenAt ?? now).slice(0, 4)),
      summary: m.summary,
      search_text: [m.title, m.docNo, m.keywords.join(' '), m.summary].join(' ').slice(0, 4000),
      first_published_at: item.first_published_at ?? now,
      published_at: now,
      withdrawn_at: null,
      withdraw_reason: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  await t.deleteFrom('pub_links').where('from_id', '=', id).execute();
  for (const l of type.links?.(v.data) ?? []) {
    if (l.to === id) continue;
    const exists = await t.selectFrom('pub_items').select('id').where('id', '=', l.to).executeTakeFirst();
    if (exists) await t.insertInto('pub_links').values({ from_id: id, to_id: l.to, kind: l.kind }).onConflict((oc) => oc.doNothing()).execute();
  }
  await p.audit(t, { actor: actorName(actor), action: 'publication.publish', entity: 'pub_item', entityId: id, details: { indexNo, version, hash } });
  await completePublishClock(p, t, id);
  await enqueueEffects(p, t, id, version, item.published_version ? 'changed' : 'published');
}

export const SCHEDULED_JOB = 'publication.publish_scheduled';
export const VALIDITY_JOB = 'publication.validity';

export interface TransitionResult {
  status: Status;
  version: number;
}

/** One workflow step. Errors name exactly why a step is refused. */
export async function transition(p: Platform, actor: Actor, id: number, action: Action, reason?: string): Promise<TransitionResult> {
  if (!(ACTIONS as readonly string[]).includes(action)) throw badRequest('err.pub.unknown_action');
  const item0 = await staffItem(p, actor, id);
  const why = (reason ?? '').trim();
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
    switch (action) {
      case 'submit': {
        if (!allow(actor, 'content.submit', item.department_id)) throw forbidden('err.pub.no_right_submit');
        if (v.state !== 'draft') throw conflict(`err.pub.bad_transition.${v.state}`, undefined, { action });
        if (v.meta.disclosure !== 'proactive') throw conflict('err.pub.not_proactive');
        await setState('secrecy_review', 'secrecy_review', { approvals: '[]', reject_reason: null });
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
          await audit('reject', { stage: v.state, reason: why });
          return { status: 'draft' as Status, version: v.version };
        }
        const uid = actorId(actor);
        if (uid != null && (v.authorId === uid || v.editors.includes(uid))) throw forbidden('err.pub.author_cannot_approve');
        if (uid != null && v.approvals.some((a) => a.userId === uid) && !(await multiStageDepartments(t)).includes(item.department_id)) throw forbidden('err.pub.one_stage_only');
        const approvals: Approval[] = [...v.approvals, { stage: stage.state, userId: uid, username: actorName(actor), at: nowS }];
        if (stageIdx < STAGES.length - 1) {
          const next = STAGES[stageIdx + 1].state;
          await setState(next, next, { approvals: JSON.stringify(approvals) });
          await audit('approve', { stage: stage.state, next });
          return { status: next, version: v.version };
        }
        await t.updateTable('pub_versions').set({ approvals: JSON.stringify(approvals) }).where('item_id', '=', id).where('version', '=', v.version).execute();
        if (v.meta.publishAt && Date.parse(v.meta.publishAt) > now.getTime()) {
          await setState('scheduled', 'scheduled');
          await p.jobs.enqueue(t, SCHEDULED_JOB, { id, version: v.version }, { runAt: new Date(v.meta.publishAt), key: `pubsched:${id}:${v.version}:${nowS}` });
          await audit('schedule', { stage: stage.state, publishAt: v.meta.publishAt });
          return { status: 'scheduled' as Status, version: v.version };
        }
        await audit('approve', { stage: stage.state, next: 'published' });
        await publishVersion(p, t, actor, id, v.version, now);
        return { status: 'published' as Status, version: v.version };
      }
      case 'withdraw': {
        if (!allow(actor, 'content.withdraw', item.department_id)) throw forbidden('err.pub.no_right_withdraw');
        if (!item.public) throw conflict(`err.pub.bad_transition.${item.status}`, undefined, { action });
        if (!why) throw validationError({ reason: 'err.pub.reason_required' });
        const status: Status = item.latest_version === item.published_version ? 'withdrawn' : (item.status as Status);
        await t.updateTable('pub_items').set({ public: 0, status, withdrawn_at: nowS, withdraw_reason: why, updated_at: nowS }).where('id', '=', id).execute();
        await audit('withdraw', { reason: why, indexNo: item.index_no });
        await enqueueEffects(p, t, id, item.published_version, 'withdrawn');
        return { status, version: item.published_version ?? v.version };
      }
      case 'repeal':
      case 'expire': {
        if (!allow(actor, 'content.withdraw', item.department_id)) throw forbidden('err.pub.no_right_withdraw');
        if (!item.public) throw conflict(`err.pub.bad_transition.${item.status}`, undefined, { action });
        if (item.validity === 'repealed' || (action === 'expire' && item.validity === 'expired')) throw conflict('err.pub.already', undefined, { validity: item.validity });
        if (!why) throw validationError({ reason: 'err.pub.reason_required' });
        const validity = action === 'repeal' ? 'repealed' : 'expired';
        await t.updateTable('pub_items').set({ validity, validity_changed_at: nowS, validity_reason: why, updated_at: nowS }).where('id', '=', id).execute();
        await audit(action, { reason: why, indexNo: item.index_no });
        await enqueueEffects(p, t, id, item.published_version, action === 'repeal' ? 'repealed' : 'expired');
        return { status: item.status as Status, version: item.published_version ?? v.version };
      }
    }
  });
  void item0;
  if (action === 'approve' || action === 'withdraw' || action === 'repeal' || action === 'expire') bumpGeneration();
  return out;
}

/**
 * Marks a public, valid item 失效 inside the caller's transaction — for a module superseding its
 * own item in the same change (a list's previous edition when the next one is published), so
 * that both happen or neither. Audited and delivered like the `expire` step; the caller bumps the
 * public cache generation after the commit. Returns false when there was nothing to do.
 */
export async function expireInTx(p: Platform, t: Db, actor: Actor, id: number, reason: string): Promise<boolean> {
  const item = await t.selectFrom('pub_items').select(['public', 'validity', 'published_version', 'index_no']).where('id', '=', id).executeTakeFirst();
  if (!item || !item.public || item.validity !== 'valid') return false;
  const nowS = new Date().toISOString();
  await t.updateTable('pub_items').set({ validity: 'expired', validity_changed_at: nowS, validity_reason: reason, updated_at: nowS }).where('id', '=', id).execute();
  await p.audit(t, { actor: actorName(actor), action: 'publication.expire', entity: 'pub_item', entityId: id, details: { version: item.published_version, reason, indexNo: item.index_no } });
  await enqueueEffects(p, t, id, item.published_version, 'expired');
  return true;
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
  const due = await p.db.selectFrom('pub_items').select(['id', 'published_version']).where('public', '=', 1).where('validity', '=', 'valid').where('expires_at', 'is not', null).where('expires_at', '<=', on).execute();
  for (const d of due) {
    await p.tx(async (t) => {
      await t.updateTable('pub_items').set({ validity: 'expired', validity_changed_at: new Date().toISOString(), validity_reason: 'auto:expiresAt' }).where('id', '=', d.id).where('validity', '=', 'valid').execute();
      await p.audit(t, { actor: 'system', action: 'publication.expire', entity: 'pub_item', entityId: d.id, details: { on, automatic: true } });
      await enqueueEffects(p, t, d.id, d.published_version, 'expired');
    });
  }
  if (due.length) bumpGeneration();
  return due.length;
}

// ---- bulk (demo data, import): publish many items in ONE transaction ----------------------------

export interface BulkItem {
  type: string;
  departmentId: number;
  meta: ItemMeta;
  data: unknown;
  publishedAt: Date;
  validity?: 'valid' | 'expired' | 'repealed';
  /** Change note of the final version (when there is history). */
  changeNote?: string;
  /** Extra published versions (change history) before the final one: [meta, data, changeNote]. */
  history?: { meta: ItemMeta; data: unknown; changeNote: string; publishedAt: Date }[];
  links?: { toIndex: number; kind: 'related' | 'interprets' }[];
}

/**
 * Inserts already-approved published items in one transaction (demo data, bulk import),
 * with 索引号, hashes, audit and search-sync jobs. Returns the new item ids in input order.
 */
export async function bulkPublish(p: Platform, t: Db, actor: Actor, items: BulkItem[], opts: { audit?: 'each' | 'summary'; links?: boolean } = {}): Promise<number[]> {
  if (!items.length) return [];
  const depts = new Map((await t.selectFrom('departments').select(['id', 'code', 'name', 'org_code']).execute()).map((d) => [d.id, d]));
  const mode = (await getSetting(t, 'publication.index_prefix')) ?? 'government';
  let gov = getGovernment().orgCode;
  if (!gov) gov = (await t.selectFrom('government').select('org_code').orderBy('id').executeTakeFirst())?.org_code ?? '000000000';
  const prefixOf = (deptId: number) => (mode === 'department' && depts.get(deptId)?.org_code) || gov;
  const nowS = new Date().toISOString();
  // 索引号: one counter step per (prefix, year) group, numbers handed out in input order.
  const plan = items.map((it) => {
    const versions = [...(it.history ?? []), { meta: it.meta, data: it.data, changeNote: it.changeNote ?? '', publishedAt: it.publishedAt }];
    return { it, versions, prefix: prefixOf(it.departmentId), year: versions[0].publishedAt.getUTCFullYear(), indexNo: '' };
  });
  const groups = new Map<string, typeof plan>();
  for (const x of plan) {
    const k = `${x.prefix}|${x.year}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(x);
  }
  for (const g of groups.values()) {
    const k = g.length;
    const r = await sql<{ n: number }>`insert into pub_counters (prefix, year, n) values (${g[0].prefix}, ${g[0].year}, ${k})
      on conflict (prefix, year) do update set n = pub_counters.n + ${k} returning n`.execute(t);
    const last = Number(r.rows[0].n);
    g.forEach((x, i) => (x.indexNo = `${x.prefix}/${x.year}-${String(last - k + 1 + i).padStart(5, '0')}`));
  }
  const ids: number[] = new Array(items.length);
  const CHUNK = 400;
  for (let c = 0; c < plan.length; c += CHUNK) {
    const part = plan.slice(c, c + CHUNK);
    const rows = part.map(({ it, versions, indexNo }) => {
      const type = itemType(it.type);
      const last = versions[versions.length - 1];
      const first = versions[0];
      const m = last.meta;
      return {
        type: it.type,
        department_id: it.departmentId,
        index_no: indexNo,
        status: 'published',
        public: 1,
        published_version: versions.length,
        latest_version: versions.length,
        title: m.title,
        doc_no: m.docNo,
        topic: m.topic,
        genre: m.genre,
        category: m.category ?? type.category,
        written_at: m.writtenAt,
        effective_at: m.effectiveAt,
        expires_at: m.expiresAt,
        validity: it.validity ?? validityOf(m, 'valid'),
        year: Number((m.writtenAt ?? first.publishedAt.toISOString()).slice(0, 4)),
        summary: m.summary,
        search_text: [m.title, m.docNo, m.keywords.join(' '), m.summary].join(' ').slice(0, 4000),
        formed_at: m.formedAt,
        first_published_at: first.publishedAt.toISOString(),
        published_at: last.publishedAt.toISOString(),
        withdrawn_at: null,
        withdraw_reason: null,
        validity_changed_at: it.validity && it.validity !== 'valid' ? last.publishedAt.toISOString() : null,
        validity_reason: it.validity === 'repealed' ? '已被新文件替代' : null,
        created_by: actorId(actor),
        created_at: first.publishedAt.toISOString(),
        updated_at: nowS,
      };
    });
    const inserted = await t.insertInto('pub_items').values(rows).returning(['id', 'index_no']).execute();
    const byNo = new Map(inserted.map((r) => [r.index_no, r.id]));
    const vrows: any[] = [];
    part.forEach(({ it, versions, indexNo }, i) => {
      const id = byNo.get(indexNo)!;
      ids[c + i] = id;
      const dept = depts.get(it.departmentId)!;
      versions.forEach((v, vi) => {
        const pub = v.publishedAt.toISOString();
        const canonical = canonicalOf({ id, type: it.type, indexNo, department: { code: dept.code, name: dept.name }, version: vi + 1, publishedAt: pub, changeNote: v.changeNote, meta: v.meta, data: v.data });
        vrows.push({ editors: '[]', item_id: id, version: vi + 1, state: vi === versions.length - 1 ? 'published' : 'superseded', meta: JSON.stringify(v.meta), data: JSON.stringify(v.data), change_note: v.changeNote, author_id: null, approvals: '[]', reject_reason: null, publish_at: null, hash: sm3(canonical), canonical, published_at: pub, created_at: pub, updated_at: pub });
      });
    });
    for (let k = 0; k < vrows.length; k += CHUNK) await t.insertInto('pub_versions').values(vrows.slice(k, k + CHUNK)).execute();
    // Outbox: one search sync per item (same rows as Jobs.enqueue writes).
    await t
      .insertInto('jobs')
      .values(part.map((_, i) => ({ kind: SEARCH_SYNC_JOB, payload: JSON.stringify({ id: ids[c + i] }), status: 'pending', attempts: 0, max_attempts: 8, run_at: nowS, locked_by: null, locked_until: null, last_error: null, idempotency_key: null, created_at: nowS, updated_at: nowS })))
      .execute();
    if (opts.audit !== 'summary') for (const [i, x] of part.entries()) await p.audit(t, { actor: actorName(actor), action: 'publication.publish', entity: 'pub_item', entityId: ids[c + i], details: { indexNo: x.indexNo, version: x.versions.length, bulk: true } });
  }
  if (opts.links !== false) {
    for (const [i, it] of items.entries()) {
      for (const l of it.links ?? []) if (ids[l.toIndex] && l.toIndex !== i) await t.insertInto('pub_links').values({ from_id: ids[i], to_id: ids[l.toIndex], kind: l.kind }).onConflict((oc) => oc.doNothing()).execute();
      for (const l of itemType(it.type).links?.(it.data) ?? []) await t.insertInto('pub_links').values({ from_id: ids[i], to_id: l.to, kind: l.kind }).onConflict((oc) => oc.doNothing()).execute();
    }
  }
  if (opts.audit === 'summary') await p.audit(t, { actor: actorName(actor), action: 'publication.bulk_publish', entity: 'pub_item', entityId: ids[0], details: { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1], firstIndexNo: plan[0].indexNo } });
  await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
  return ids;
}
