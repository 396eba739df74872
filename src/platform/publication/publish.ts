// The one publish path of the spine. Every way an item becomes public, changes or stops being
// public goes through here, with the same effects in the transaction of the change: 索引号, the
// hashed immutable version, the audit event, a search sync job, one delivery job per registered
// channel, the public cache generation and the completion of a running Art. 26 clock.
//
// The review workflow (service.ts) ends in `publishVersion`; a module that approved an item
// itself (an appeal's release, a list edition, a penalty decision…) calls `publishApproved`, its
// bulk form `publishApprovedMany` (demo data, imports), `reviseApproved` for a new version,
// `withdrawApproved` and `endApproved` (失效 / 废止). See docs/extending.md.
import { sql } from 'kysely';
import type { Platform } from '../platform.js';
import type { Db } from '../db/index.js';
import { validationError, type HttpError } from '../errors.js';
import { sm3 } from '../hash.js';
import { getGovernment } from '../render/context.js';
import { SEARCH_SYNC_JOB } from './indexable.js';
import { itemType, carriesIndexNo, deliveryChannels, channelJob, type ItemMeta, type ItemLink, type ItemType, type PublicationEvent, type DeliveryPayload } from './registry.js';
import { startClock, completeClock } from '../deadlines/index.js';
import { ensureCalendar } from '../calendar/index.js';
import { actorName, type Actor } from '../auth/actor.js';
import { actorId, canonicalOf, currentNames, defaultMeta, getVersion, prepared, validityOf, type ItemRow } from './meta.js';
import { allocateIndexNo, getSetting } from './numbering.js';
import './schema.js';
import { shanghaiYear } from '../dates.js';

export const CLOCK_RULE = 'disclosure.publish';

// ---- the Art. 26 clock (deadline engine; optional until it exists) ----------------------------

/** The deadline engine keeps its working-day calendar in memory; load it before a transaction opens
 *  (on SQLite a load from inside our transaction would wait for our own connection). */
export async function readyClocks(p: Platform): Promise<void> {
  await ensureCalendar(p.db);
}

export async function startPublishClock(p: Platform, t: Db, item: { id: number; department_id: number; type: string }, meta: ItemMeta, author: number | null) {
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


export interface EffectOptions {
  /** false = no channel delivery (historical imports and demo data only; say so at the call). */
  deliver?: boolean;
}

export interface Effect {
  id: number;
  type: string;
  version: number | null;
  event: PublicationEvent;
}

/** The effects of publication events, in the caller's transaction: search sync, one delivery job
 *  per registered channel (exactly one per event and channel), the public cache generation. */
export async function enqueueEffects(p: Platform, t: Db, effects: Effect[], opts: EffectOptions = {}): Promise<void> {
  if (!effects.length) return;
  // Search is a capability module: no sync jobs when it is not mounted.
  if (p.jobs.handler(SEARCH_SYNC_JOB)) await p.jobs.enqueueMany(t, SEARCH_SYNC_JOB, effects.map((e) => ({ id: e.id })));
  if (opts.deliver !== false) {
    const payloads: DeliveryPayload[] = effects.map((e) => ({ id: e.id, type: e.type, version: e.version, event: e.event }));
    // Only the channels this platform serves (a module's channels are mounted with the module).
    for (const ch of deliveryChannels()) if (p.jobs.handler(channelJob(ch))) await p.jobs.enqueueMany(t, channelJob(ch), payloads);
  }
  await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
}

/** The listing columns of pub_items, copied from the metadata of the published version. Only
 *  catalog items count under an Art. 20 category (ADR 0008). */
function listingColumns(m: ItemMeta, type: ItemType) {
  return {
    title: m.title,
    doc_no: m.docNo,
    topic: m.topic,
    genre: m.genre,
    category: type.section === 'catalog' ? (m.category ?? type.category ?? null) : null,
    written_at: m.writtenAt,
    effective_at: m.effectiveAt,
    expires_at: m.expiresAt,
    summary: m.summary,
    search_text: [m.title, m.docNo, m.keywords.join(' '), m.summary].join(' ').slice(0, 4000),
  };
}

/** The item type's links of an item, to items that exist (not to itself). */
async function insertLinks(t: Db, fromId: number, links: ItemLink[]): Promise<void> {
  for (const l of links) {
    if (l.to === fromId) continue;
    const exists = await t.selectFrom('pub_items').select('id').where('id', '=', l.to).executeTakeFirst();
    if (exists) await t.insertInto('pub_links').values({ from_id: fromId, to_id: l.to, kind: l.kind }).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Publishes version `version` of the item inside `t`. */
export async function publishVersion(p: Platform, t: Db, actor: Actor, id: number, version: number, at = new Date()) {
  const item = (await t.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as ItemRow;
  const v = (await getVersion(t, id, version))!;
  const now = at.toISOString();
  const dept = await t.selectFrom('departments').select(['code', 'name']).where('id', '=', item.department_id).executeTakeFirstOrThrow();
  // 索引号 only in a section that numbers its items (the catalog); an item of another section that
  // got one before ADR 0008 keeps it in its column and old versions, but new versions carry none.
  const indexNo = carriesIndexNo(item.type) ? (item.index_no ?? (await allocateIndexNo(t, item.department_id, shanghaiYear(at)))) : null;
  const canonical = canonicalOf({ id, type: item.type, indexNo, department: dept, version, publishedAt: now, changeNote: v.changeNote, meta: v.meta, data: v.data });
  const hash = sm3(canonical);
  await t.updateTable('pub_versions').set({ state: 'superseded', updated_at: now }).where('item_id', '=', id).where('state', '=', 'published').execute();
  await t.updateTable('pub_versions').set({ state: 'published', hash, canonical, published_at: now, updated_at: now }).where('item_id', '=', id).where('version', '=', version).execute();
  const type = itemType(item.type);
  const m = v.meta;
  await t
    .updateTable('pub_items')
    .set({
      ...(indexNo ? { index_no: indexNo } : {}),
      status: 'published',
      public: 1,
      published_version: version,
      ...listingColumns(m, type),
      validity: validityOf(m, item.validity),
      year: Number((m.writtenAt ?? now).slice(0, 4)),
      first_published_at: item.first_published_at ?? now,
      published_at: now,
      changed_at: now,
      withdrawn_at: null,
      withdraw_reason: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  await t.deleteFrom('pub_links').where('from_id', '=', id).execute();
  await insertLinks(t, id, type.links?.(v.data) ?? []);
  await p.audit(t, { actor: actorName(actor), action: 'publication.publish', entity: 'pub_item', entityId: id, details: { indexNo, version, hash } });
  await completePublishClock(p, t, id);
  await enqueueEffects(p, t, [{ id, type: item.type, version, event: item.published_version ? 'changed' : 'published' }]);
}

// ---- items a module approved itself ------------------------------------------------------------

export interface ApprovedItem {
  type: string;
  departmentId: number;
  /** Completed with defaults (defaultMeta) and checked like any item's metadata. */
  meta: Partial<ItemMeta>;
  data: unknown;
  /** When it was published (default: now). Historical imports give the original date. */
  publishedAt?: Date;
  validity?: 'valid' | 'expired' | 'repealed';
  /** Change note of the final version (when there is history). */
  changeNote?: string;
  /** Extra published versions (change history) before the final one. */
  history?: { meta: Partial<ItemMeta>; data: unknown; changeNote: string; publishedAt: Date }[];
  /** Links to other items of the same call, by index. */
  links?: { toIndex: number; kind: 'related' | 'interprets' }[];
}

export interface PublishOptions extends EffectOptions {
  /** 'each' (default): one audit event per item; 'summary': one for the whole call (demo data, big imports). */
  audit?: 'each' | 'summary';
  /** false: skip the links of the items (a synthetic load). */
  links?: boolean;
}

/** Publishes one item its module approved itself, in the caller's transaction. */
/** `indexNo` is null for a type whose section gives none (ADR 0008). */
export async function publishApproved(p: Platform, t: Db, actor: Actor, item: ApprovedItem, opts: PublishOptions = {}): Promise<{ id: number; indexNo: string | null; version: number }> {
  const [id] = await publishApprovedMany(p, t, actor, [item], opts);
  const row = await t.selectFrom('pub_items').select(['index_no', 'published_version']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id, indexNo: row.index_no, version: row.published_version! };
}

/** The bulk form of publishApproved (demo data, imports): the same checks and effects, with one
 *  索引号 counter step per (prefix, year) and chunked inserts. Returns the ids in input order. */
export async function publishApprovedMany(p: Platform, t: Db, actor: Actor, items: ApprovedItem[], opts: PublishOptions = {}): Promise<number[]> {
  if (!items.length) return [];
  const nowD = new Date();
  // Every version's metadata and payload go through the item type's checks, as drafts do.
  const plan = [];
  for (const [i, it] of items.entries()) {
    const versions = [];
    for (const v of [...(it.history ?? []), { meta: it.meta, data: it.data, changeNote: it.changeNote ?? '', publishedAt: it.publishedAt ?? nowD }]) {
      const meta = defaultMeta(v.meta);
      let data: unknown;
      try {
        // Only proactively disclosed information is published (依申请公开 / 不予公开 items are not).
        if (meta.disclosure !== 'proactive') throw validationError({ disclosure: 'err.pub.not_proactive' });
        data = await prepared(it.type, meta, v.data);
      } catch (err) {
        const e = err as HttpError;
        if (items.length > 1 && e.fields) throw validationError(Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [`items[${i}].${k}`, m])));
        throw err;
      }
      versions.push({ meta, data, changeNote: cleanNote(v.changeNote), publishedAt: v.publishedAt });
    }
    plan.push({ it, versions, numbered: carriesIndexNo(it.type), prefix: '', year: shanghaiYear(versions[0].publishedAt), indexNo: null as string | null });
  }
  const depts = new Map((await t.selectFrom('departments').select(['id', 'code', 'name', 'org_code']).execute()).map((d) => [d.id, d]));
  for (const [i, it] of items.entries()) if (!depts.has(it.departmentId)) throw validationError({ [items.length > 1 ? `items[${i}].departmentId` : 'departmentId']: 'err.field.invalid' });
  const mode = (await getSetting(t, 'publication.index_prefix')) ?? 'government';
  let gov = getGovernment().orgCode;
  if (!gov) gov = (await t.selectFrom('government').select('org_code').orderBy('id').executeTakeFirst())?.org_code ?? '000000000';
  for (const x of plan) x.prefix = (mode === 'department' && depts.get(x.it.departmentId)?.org_code) || gov;
  const nowS = nowD.toISOString();
  // 索引号 (catalog items only): one counter step per (prefix, year) group, numbers handed out in input order.
  const groups = new Map<string, typeof plan>();
  for (const x of plan) {
    if (!x.numbered) continue;
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
        ...listingColumns(m, type),
        validity: it.validity ?? validityOf(m, 'valid'),
        year: Number((m.writtenAt ?? first.publishedAt.toISOString()).slice(0, 4)),
        formed_at: m.formedAt,
        first_published_at: first.publishedAt.toISOString(),
        published_at: last.publishedAt.toISOString(),
        withdrawn_at: null,
        withdraw_reason: null,
        validity_changed_at: it.validity && it.validity !== 'valid' ? last.publishedAt.toISOString() : null,
        validity_reason: it.validity === 'repealed' ? '已被新文件替代' : null,
        changed_at: last.publishedAt.toISOString(),
        created_by: actorId(actor),
        created_at: first.publishedAt.toISOString(),
        updated_at: nowS,
      };
    });
    // Numbered rows in one insert, told apart by their 索引号 (RETURNING gives no order); rows
    // without one (other sections) one by one.
    const numbered = rows.filter((r) => r.index_no !== null);
    const inserted = numbered.length ? await t.insertInto('pub_items').values(numbered).returning(['id', 'index_no']).execute() : [];
    const byNo = new Map(inserted.map((r) => [r.index_no, r.id]));
    const partIds: number[] = [];
    for (const r of rows) partIds.push(r.index_no !== null ? byNo.get(r.index_no)! : (await t.insertInto('pub_items').values(r).returning('id').executeTakeFirstOrThrow()).id);
    const vrows: any[] = [];
    part.forEach(({ it, versions, indexNo }, i) => {
      const id = partIds[i];
      ids[c + i] = id;
      const dept = depts.get(it.departmentId)!;
      versions.forEach((v, vi) => {
        const pub = v.publishedAt.toISOString();
        const canonical = canonicalOf({ id, type: it.type, indexNo, department: { code: dept.code, name: dept.name }, version: vi + 1, publishedAt: pub, changeNote: v.changeNote, meta: v.meta, data: v.data });
        vrows.push({ editors: '[]', item_id: id, version: vi + 1, state: vi === versions.length - 1 ? 'published' : 'superseded', meta: JSON.stringify(v.meta), data: JSON.stringify(v.data), change_note: v.changeNote, author_id: actorId(actor), approvals: '[]', reject_reason: null, publish_at: null, hash: sm3(canonical), canonical, published_at: pub, created_at: pub, updated_at: pub });
      });
    });
    for (let k = 0; k < vrows.length; k += CHUNK) await t.insertInto('pub_versions').values(vrows.slice(k, k + CHUNK)).execute();
    if (opts.audit !== 'summary') for (const [i, x] of part.entries()) await p.audit(t, { actor: actorName(actor), action: 'publication.publish', entity: 'pub_item', entityId: ids[c + i], details: { indexNo: x.indexNo, version: x.versions.length, approvedBy: 'module', type: x.it.type } });
  }
  if (opts.links !== false) {
    for (const [i, it] of items.entries()) {
      for (const l of it.links ?? []) if (ids[l.toIndex] && l.toIndex !== i) await t.insertInto('pub_links').values({ from_id: ids[i], to_id: ids[l.toIndex], kind: l.kind }).onConflict((oc) => oc.doNothing()).execute();
      await insertLinks(t, ids[i], itemType(it.type).links?.(plan[i].versions[plan[i].versions.length - 1].data) ?? []);
    }
  }
  if (opts.audit === 'summary') await p.audit(t, { actor: actorName(actor), action: 'publication.bulk_publish', entity: 'pub_item', entityId: ids[0], details: { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1], firstIndexNo: plan[0].indexNo, delivered: opts.deliver !== false } });
  await enqueueEffects(p, t, plan.map((x, i) => ({ id: ids[i], type: x.it.type, version: x.versions.length, event: 'published' as const })), opts);
  return ids;
}

const cleanNote = (s: string) => String(s ?? '').slice(0, 2000);

/** Publishes a new version of a module's item at once (the previous one is superseded), in the
 *  caller's transaction. Completes a running Art. 26 clock of the item. Returns the new version. */
export async function reviseApproved(p: Platform, t: Db, actor: Actor, id: number, input: { meta?: Partial<ItemMeta>; data?: unknown; changeNote: string }): Promise<number> {
  const item = (await t.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirst()) as ItemRow | undefined;
  if (!item) throw validationError({ id: 'err.field.invalid' });
  const latest = (await getVersion(t, id, item.latest_version))!;
  const meta = defaultMeta({ ...latest.meta, ...currentNames(input.meta ?? {}) });
  const data = await prepared(item.type, meta, input.data === undefined ? latest.data : input.data);
  const version = item.latest_version + 1;
  const now = new Date().toISOString();
  const uid = actorId(actor);
  await t
    .insertInto('pub_versions')
    .values({ item_id: id, version, state: 'draft', meta: JSON.stringify(meta), data: JSON.stringify(data), change_note: cleanNote(input.changeNote), author_id: uid, approvals: '[]', editors: JSON.stringify(uid != null ? [uid] : []), reject_reason: null, publish_at: null, hash: null, canonical: null, published_at: null, created_at: now, updated_at: now })
    .execute();
  await t.updateTable('pub_items').set({ latest_version: version, updated_at: now }).where('id', '=', id).execute();
  await publishVersion(p, t, actor, id, version);
  return version;
}

/** Takes a public item offline (撤回) in the caller's transaction; false when it was not public. */
export async function withdrawApproved(p: Platform, t: Db, actor: Actor, id: number, reason: string, details: Record<string, unknown> = {}): Promise<boolean> {
  const item = await t.selectFrom('pub_items').select(['type', 'public', 'status', 'latest_version', 'published_version', 'index_no']).where('id', '=', id).executeTakeFirst();
  if (!item || !item.public) return false;
  const nowS = new Date().toISOString();
  const status = item.latest_version === item.published_version ? 'withdrawn' : item.status;
  await t.updateTable('pub_items').set({ public: 0, status, withdrawn_at: nowS, withdraw_reason: reason, changed_at: nowS, updated_at: nowS }).where('id', '=', id).execute();
  await p.audit(t, { actor: actorName(actor), action: 'publication.withdraw', entity: 'pub_item', entityId: id, details: { version: item.published_version, ...details, reason, indexNo: item.index_no } });
  await enqueueEffects(p, t, [{ id, type: item.type, version: item.published_version, event: 'withdrawn' }]);
  return true;
}

/**
 * Marks a public, valid item 失效 (expired) or 废止 (repealed) in the caller's transaction — e.g. a
 * list's previous edition when the next one is published, so that both happen or neither. Audited
 * and delivered; false when there was nothing to do. The caller bumps the local cache generation
 * after the commit.
 */
export async function endApproved(p: Platform, t: Db, actor: Actor, id: number, validity: 'expired' | 'repealed', reason: string, details: Record<string, unknown> = {}): Promise<boolean> {
  const item = await t.selectFrom('pub_items').select(['type', 'public', 'validity', 'published_version', 'index_no']).where('id', '=', id).executeTakeFirst();
  if (!item || !item.public || item.validity === 'repealed' || item.validity === validity) return false;
  const nowS = new Date().toISOString();
  await t.updateTable('pub_items').set({ validity, validity_changed_at: nowS, validity_reason: reason, changed_at: nowS, updated_at: nowS }).where('id', '=', id).execute();
  await p.audit(t, { actor: actorName(actor), action: validity === 'repealed' ? 'publication.repeal' : 'publication.expire', entity: 'pub_item', entityId: id, details: { version: item.published_version, ...details, reason, indexNo: item.index_no } });
  await enqueueEffects(p, t, [{ id, type: item.type, version: item.published_version, event: validity }]);
  return true;
}
