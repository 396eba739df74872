// Progress that is not a publication (ADR 0010 § 1): a module announces a step of something people
// may follow — an appeal's handling — by a target key (`appeal=<tracking no>`). The job is queued
// only when a handler is mounted (the subscriptions module), in the caller's transaction, once per
// key: a platform without subscriptions announces nothing.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';

export const ANNOUNCE_JOB = 'channels.announce';

export interface Announcement {
  /** The subscription target's facet key, e.g. `appeal=SX20261203001`. */
  target: string;
  /** Idempotency: the same key twice announces once. */
  key: string;
  subject: string;
  text: string;
  /** Path of the page to follow it on. */
  url: string;
}

export async function announce(p: Platform, t: Db, a: Announcement): Promise<void> {
  if (!p.jobs.handler(ANNOUNCE_JOB)) return;
  await p.jobs.enqueue(t, ANNOUNCE_JOB, a, { key: `announce:${a.key}` });
}

/** What a module lets people follow without it being published, and how a follower proves the
 *  right to (an appeal: its tracking number and query code). */
export interface Followable {
  /** The facet's message key, e.g. 'appeals.item_type'. */
  label: string;
  /** The department whose staff may see the followers, or null when the proof fails. */
  verify(db: Db, key: string, proof: string): Promise<{ departmentId: number | null } | null>;
}

const followables = new Map<string, Followable>();

export function registerFollowable(kind: string, f: Followable): void {
  followables.set(kind, f);
}

export function followable(kind: string): Followable | null {
  return followables.get(kind) ?? null;
}
