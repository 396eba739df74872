// A small per-address limit on the public writes of this module (ratings, subscriptions),
// counted in the database by the platform's limiter (shared by every process and instance).
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/index.js';
import { limitClient } from '../../platform/http/limit.js';

export async function limitPublicWrite(db: Db, req: FastifyRequest, max = Number(process.env.GONGKAI_LISTS_RATE_LIMIT) || 20): Promise<void> {
  await limitClient(db, req, 'lists.write', max, 'err.lists.rate_limited');
}
