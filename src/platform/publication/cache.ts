// Public response cache keyed by the publication generation. Every publication, change,
// withdrawal or validity switch bumps pub_state.generation in its transaction; this process
// bumps its own copy at once, other processes re-read the row at most every 250 ms — so a
// publication or withdrawal is visible everywhere within one second.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import './schema.js';

let generation = 0;
let localBumps = 0;
let checkedAt = 0;
const TTL_MS = 250;

export function bumpGeneration(): void {
  localBumps++;
  cache.clear();
}

export async function currentGeneration(db: Db): Promise<string> {
  const now = Date.now();
  if (now - checkedAt > TTL_MS) {
    checkedAt = now;
    const r = await db.selectFrom('pub_state').select('generation').where('id', '=', 1).executeTakeFirst();
    const g = Number(r?.generation ?? 0);
    if (g !== generation) {
      generation = g;
      cache.clear();
    }
  }
  return `${generation}.${localBumps}`;
}

interface Entry {
  gen: string;
  etag: string;
  lastModified?: string;
  body: Buffer;
  headers: Record<string, string>;
}
const MAX = 5000;
const cache = new Map<string, Entry>();
// Entries are kept per database: a process serves one, but tests run several apps side by side
// (with different modules mounted) and must never be answered from another's pages.
const dbIds = new WeakMap<Db, number>();
let lastDbId = 0;
function dbId(db: Db): number {
  let id = dbIds.get(db);
  if (id === undefined) dbIds.set(db, (id = ++lastDbId));
  return id;
}

export interface CachedResponse {
  body: string | Buffer;
  type: string;
  /** Last-Modified (feeds). */
  lastModified?: string;
  status?: number;
  /** With a 3xx status. */
  location?: string;
}

/**
 * Serves `key` from the cache while the generation is unchanged, else renders it with `make`.
 * Answers conditional GETs (If-None-Match / If-Modified-Since) with 304.
 */
export async function cachedPublic(db: Db, req: FastifyRequest, reply: FastifyReply, key: string, make: () => Promise<CachedResponse>): Promise<FastifyReply> {
  const gen = await currentGeneration(db);
  key = `${dbId(db)}:${key}`;
  let e = cache.get(key);
  if (!e || e.gen !== gen) {
    const r = await make();
    if (r.status && r.status !== 200) {
      if (r.location) reply.header('location', r.location);
      return reply.code(r.status).header('content-type', r.type).header('cache-control', 'public, max-age=0, must-revalidate').send(r.body);
    }
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    const etag = `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
    const headers: Record<string, string> = { etag, 'cache-control': 'public, max-age=0, must-revalidate', vary: 'accept-language, cookie', 'content-type': r.type };
    if (r.lastModified) headers['last-modified'] = r.lastModified;
    e = { gen, etag, body, headers, lastModified: r.lastModified };
    if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, e);
  }
  reply.headers(e.headers);
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  if ((inm && inm.split(/\s*,\s*/).includes(e.etag)) || (!inm && ims && e.lastModified && Date.parse(ims) >= Date.parse(e.lastModified))) {
    reply.removeHeader('content-type');
    return reply.code(304).send();
  }
  return reply.send(e.body);
}
