// Who did something, as services record it: a staff user, or one of the platform's own callers
// (the CLI, the system's jobs, the demo loader). Services skip permission checks for the latter,
// so a module that also lets outsiders act (citizens, Open311 clients) widens its own Actor type
// rather than this one.
import type { Principal } from './policy.js';

export type Actor = Principal | 'cli' | 'system' | 'demo';

/** The actor as written on the audit chain and in histories: `user:NAME`, or the caller's kind. */
export function actorName(a: Actor | 'citizen' | `open311:${string}`): string {
  return typeof a === 'string' ? a : `user:${a.username}`;
}
