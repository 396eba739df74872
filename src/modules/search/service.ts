// Index maintenance: the outbox job that keeps one item in step with the spine, the catch-up
// run that compares the index with the source after a crash or restore, and the full rebuild.
import type { Platform } from '../../platform/platform.js';
import { getIndexableSource, SEARCH_SYNC_JOB, type IndexableItem, type IndexableSource } from '../../platform/publication/indexable.js';
import { searchIndexFor, type SearchIndex } from '../../platform/search/index.js';

export const CATCHUP_JOB = 'search.catchup';
const BATCH = 500;

export function searchIndex(p: Platform): SearchIndex {
  return searchIndexFor(p.dbh);
}

function source(): IndexableSource {
  const s = getIndexableSource();
  // No spine registered (yet): fail so that the outbox retries later instead of losing the job.
  if (!s) throw new Error('search: no indexable source registered');
  return s;
}

/** The `search.sync` job: the item as the public sees it now, or its removal. */
export async function syncItem(p: Platform, id: number): Promise<'indexed' | 'removed'> {
  const item = await source().load(p.db, id);
  const ix = searchIndex(p);
  if (item) {
    await ix.upsert([item]);
    return 'indexed';
  }
  await ix.remove([id]);
  return 'removed';
}

async function setState(p: Platform, key: string, value: string): Promise<void> {
  const now = new Date().toISOString();
  await p.db
    .insertInto('search_state')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function getState(p: Platform, key: string): Promise<string | null> {
  const r = await p.db.selectFrom('search_state').select('value').where('key', '=', key).executeTakeFirst();
  return r?.value ?? null;
}

/**
 * One step of a catch-up run: compares the public ids in (afterId, next] with the indexed ones,
 * indexes what is missing and re-checks what is indexed but no longer listed. Returns the next
 * afterId, or null when the run is complete.
 */
export async function catchUpStep(p: Platform, afterId: number): Promise<{ next: number | null; added: number; removed: number }> {
  const src = source();
  const ix = searchIndex(p);
  const pub = await src.listPublicIds(p.db, afterId, BATCH);
  const done = pub.length < BATCH;
  const upper = done ? Number.MAX_SAFE_INTEGER : pub[pub.length - 1];
  const indexed: number[] = [];
  for (let from = afterId; ; ) {
    const ids = (await ix.ids(from, BATCH)).filter((i) => i <= upper);
    indexed.push(...ids);
    if (ids.length < BATCH) break;
    from = ids[ids.length - 1];
  }
  const pubSet = new Set(pub);
  const idxSet = new Set(indexed);
  const missing = pub.filter((i) => !idxSet.has(i));
  const stale = indexed.filter((i) => !pubSet.has(i));
  const items: IndexableItem[] = [];
  for (const id of missing) {
    const it = await src.load(p.db, id);
    if (it) items.push(it);
  }
  await ix.upsert(items);
  let removed = 0;
  for (const id of stale) {
    if ((await syncItem(p, id)) === 'removed') removed++;
  }
  const next = done ? null : upper;
  await setState(p, 'catchup.after', String(next ?? 'done'));
  if (next === null) await setState(p, 'catchup.finishedAt', new Date().toISOString());
  return { next, added: items.length, removed };
}

/** Starts a catch-up run (idempotent per run key). */
export async function startCatchUp(p: Platform, run = new Date().toISOString().slice(0, 13)): Promise<void> {
  if (!getIndexableSource()) return;
  await p.tx((t) => p.jobs.enqueue(t, CATCHUP_JOB, { run, afterId: 0 }, { key: `${CATCHUP_JOB}:${run}:0` }));
}

export function searchJobs(p: Platform) {
  return {
    [SEARCH_SYNC_JOB]: async (payload: { id: number }) => {
      await syncItem(p, Number(payload.id));
    },
    [CATCHUP_JOB]: async (payload: { run: string; afterId: number }) => {
      const r = await catchUpStep(p, Number(payload.afterId) || 0);
      if (r.next !== null) {
        await p.tx((t) => p.jobs.enqueue(t, CATCHUP_JOB, { run: payload.run, afterId: r.next }, { key: `${CATCHUP_JOB}:${payload.run}:${r.next}` }));
      }
    },
  };
}

/** Rebuilds the index from the source; reports progress (done, total). */
export async function reindex(p: Platform, opts: { clear?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<{ indexed: number; removed: number }> {
  const src = source();
  const ix = searchIndex(p);
  const all: number[] = [];
  for (let after = 0; ; ) {
    const ids = await src.listPublicIds(p.db, after, 5000);
    all.push(...ids);
    if (ids.length < 5000) break;
    after = ids[ids.length - 1];
  }
  if (opts.clear) await ix.clear();
  let done = 0;
  opts.onProgress?.(0, all.length);
  // An empty SQLite index is loaded in parallel (one worker thread per shard); otherwise batch by batch.
  const loader = await ix.bulkLoader({ batch: BATCH });
  try {
    for (let i = 0; i < all.length; i += BATCH) {
      const items: IndexableItem[] = [];
      for (const id of all.slice(i, i + BATCH)) {
        const it = await src.load(p.db, id);
        if (it) items.push(it);
      }
      await loader.add(items);
      done += Math.min(BATCH, all.length - i);
      opts.onProgress?.(done, all.length);
    }
    await loader.finish();
  } catch (err) {
    await loader.abort();
    throw err;
  }
  // What the index holds that is no longer public.
  const pub = new Set(all);
  const stale: number[] = [];
  for (let after = 0; ; ) {
    const ids = await ix.ids(after, 5000);
    for (const id of ids) if (!pub.has(id)) stale.push(id);
    if (ids.length < 5000) break;
    after = ids[ids.length - 1];
  }
  await ix.remove(stale);
  await setState(p, 'reindex.finishedAt', new Date().toISOString());
  return { indexed: done, removed: stale.length };
}

/** A text progress bar for a terminal (stderr). */
export function progressBar(done: number, total: number, startedAt: number): string {
  const width = 30;
  const frac = total === 0 ? 1 : done / total;
  const filled = Math.round(frac * width);
  const secs = (Date.now() - startedAt) / 1000;
  const rate = secs > 0 ? Math.round(done / secs) : 0;
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${done}/${total} ${rate}/s`;
}
