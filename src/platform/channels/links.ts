// Signed links (ADR 0010 § 6): a link in a message that acts without an account — confirm a
// subscription, open the preference centre, unsubscribe with one click. The token carries a
// purpose, an id, a version (bumped to void older links) and an optional expiry, signed with
// HMAC-SHA256 under a key derived from the installation's secret; nothing is stored per link.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../platform.js';

const keyOf = (p: Platform) => createHmac('sha256', p.config.secrets.cookieSecret).update('gongkai:signed-links:v1').digest();

function mac(p: Platform, purpose: string, body: string): string {
  return createHmac('sha256', keyOf(p)).update(`${purpose}|${body}`).digest('base64url').slice(0, 32);
}

export interface LinkClaims {
  id: number;
  version: number;
  /** Unix seconds; 0 = does not expire. */
  expires: number;
}

/** A token for `purpose` (e.g. 'sub-confirm', 'sub-manage', 'sub-unsub'). */
export function signLink(p: Platform, purpose: string, claims: { id: number; version?: number; ttlSeconds?: number }): string {
  const expires = claims.ttlSeconds ? Math.floor(Date.now() / 1000) + claims.ttlSeconds : 0;
  const body = `${claims.id.toString(36)}.${(claims.version ?? 1).toString(36)}.${expires.toString(36)}`;
  return `${body}.${mac(p, purpose, body)}`;
}

/** The claims of a valid, unexpired token of this purpose, else null. */
export function readLink(p: Platform, purpose: string, token: unknown): LinkClaims | null {
  if (typeof token !== 'string' || token.length > 120 || !/^[0-9a-z]{1,12}\.[0-9a-z]{1,8}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const i = token.lastIndexOf('.');
  const body = token.slice(0, i);
  const want = Buffer.from(mac(p, purpose, body));
  const got = Buffer.from(token.slice(i + 1));
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  const [id, version, expires] = body.split('.').map((x) => parseInt(x, 36)) as [number, number, number];
  if (expires && expires < Date.now() / 1000) return null;
  return { id, version, expires };
}
