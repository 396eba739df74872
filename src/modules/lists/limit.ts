// A small per-address limit on the public writes of this module (ratings, subscriptions).
import type { FastifyRequest } from 'fastify';
import { tooMany } from '../../platform/errors.js';

const WINDOW_MS = 60_000;
const hits = new Map<string, { n: number; since: number }>();

export function limitPublicWrite(req: FastifyRequest, max = Number(process.env.GONGKAI_LISTS_RATE_LIMIT) || 20): void {
  const now = Date.now();
  const key = req.ip;
  const h = hits.get(key);
  if (!h || now - h.since > WINDOW_MS) {
    if (hits.size > 10_000) hits.clear();
    hits.set(key, { n: 1, since: now });
    return;
  }
  if (++h.n > max) throw tooMany('err.lists.rate_limited');
}
