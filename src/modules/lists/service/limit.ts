// A small per-address limit on the public writes of this module (ratings, subscriptions),
// counted in the database by the platform's limiter (shared by every process and instance).
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { limitClient } from '../../../platform/http/limit.js';

export async function limitPublicWrite(p: Platform, req: FastifyRequest): Promise<void> {
  await limitClient(p.db, req, 'lists.write', p.config.listsRateLimit, 'err.lists.rate_limited');
}
