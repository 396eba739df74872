// The publication spine's public surface. See docs/architecture.md ("The publication spine").
import type { Platform } from '../platform.js';
import type { JobHandler } from '../jobs/index.js';
import { setIndexableSource, type IndexableItem } from './indexable.js';
import { findItemType, registerChannel, channelJob, SECTIONS, type DeliveryPayload } from './registry.js';
import { runScheduled, runValidity, SCHEDULED_JOB, VALIDITY_JOB } from './service.js';
import { readMeta, today } from './meta.js';
import { bumpGeneration } from './cache.js';
import './schema.js';

export * from './registry.js';
export * from './meta.js';
export * from './numbering.js';
export * from './publish.js';
export * from './service.js';
export { lastChange, lastListChange } from './sitemap.js';
export { publicationMigrations } from './schema.js';
export { cachedPublic, currentGeneration, bumpGeneration } from './cache.js';

/** Hook point for channels: every delivery job passes here after its channel handler. */
type DeliveredHook = (p: Platform, channel: string, payload: DeliveryPayload) => Promise<void> | void;
const delivered: DeliveredHook[] = [];
export function onDelivered(h: DeliveredHook): void {
  delivered.push(h);
}

const channelHandlers = new Map<string, (p: Platform, payload: DeliveryPayload) => Promise<void>>();
/** Registers a delivery channel (e-mail, SMS, webhooks, screens…) with its handler. */
export function addChannel(name: string, handler: (p: Platform, payload: DeliveryPayload) => Promise<void>): void {
  registerChannel(name);
  channelHandlers.set(name, handler);
}

// The feeds are the first channel: a publication event refreshes their cache.
addChannel('feeds', async () => {
  bumpGeneration();
});

/** The spine's job handlers (registered by the publication platform part, part.ts). */
export function publicationJobs(p: Platform): Record<string, JobHandler> {
  const jobs: Record<string, JobHandler> = {
    [SCHEDULED_JOB]: async (payload) => runScheduled(p, payload),
    [VALIDITY_JOB]: async (payload) => {
      await runValidity(p, payload?.on ?? today());
    },
  };
  for (const [name, h] of channelHandlers) {
    jobs[channelJob(name)] = async (payload: DeliveryPayload) => {
      await h(p, payload);
      for (const d of delivered) await d(p, name, payload);
    };
  }
  return jobs;
}

/** Background: enqueue the daily validity check (idempotent per day). */
export function validityTimer(p: Platform): () => void {
  const tick = async () => {
    const d = today();
    await p.tx((t) => p.jobs.enqueue(t, VALIDITY_JOB, { on: d }, { key: `validity:${d}` })).catch((err) => p.log.warn({ err }, 'validity enqueue failed'));
  };
  void tick();
  const timer = setInterval(() => void tick(), 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Registers the spine as search's source of public items. */
export function registerIndexableSource(): void {
  setIndexableSource({
    async load(db, id) {
      const item = await db
        .selectFrom('pub_items')
        .innerJoin('departments', 'departments.id', 'pub_items.department_id')
        .select(['pub_items.id', 'pub_items.type', 'pub_items.index_no', 'pub_items.title', 'pub_items.public', 'pub_items.published_version', 'pub_items.topic', 'pub_items.genre', 'pub_items.validity', 'pub_items.first_published_at', 'departments.code', 'departments.name'])
        .where('pub_items.id', '=', id)
        .executeTakeFirst();
      // A type no mounted module registers has no public page: not searchable.
      const type = item ? findItemType(item.type) : null;
      if (!item || !type || !item.public || !item.published_version) return null;
      const v = await db.selectFrom('pub_versions').select(['meta', 'data']).where('item_id', '=', id).where('version', '=', item.published_version).executeTakeFirstOrThrow();
      const meta = readMeta(v.meta);
      const text = String(await type.searchText(JSON.parse(v.data), meta, db));
      const out: IndexableItem = {
        id: item.id,
        type: item.type,
        // Only sections that number their items show a 索引号 (an appeal released before ADR 0008 keeps
        // an old one in its row, never shown).
        indexNo: SECTIONS[type.section].indexNo ? item.index_no : null,
        title: item.title,
        text,
        department: item.code,
        departmentName: item.name,
        topic: item.topic,
        genre: item.genre,
        validity: item.validity as IndexableItem['validity'],
        publishedAt: item.first_published_at!,
        url: type.url(item.id),
      };
      return out;
    },
    async listPublicIds(db, afterId, limit) {
      const rows = await db.selectFrom('pub_items').select('id').where('public', '=', 1).where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },
  });
}
