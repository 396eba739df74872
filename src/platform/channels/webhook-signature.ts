// The signature of a webhook delivery (ADR 0010 § 8, issue 20): the header
//   X-Gongkai-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// computed over the exact bytes sent. A receiver recomputes it from the raw body with its secret
// and refuses a `t` too far from its clock (replays); several `v1=` values may be given while a
// secret is being rotated.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Gongkai-Signature';
/** How far a receiver may let `t` be from its clock, by default (seconds). */
export const SIGNATURE_TOLERANCE = 300;

const hmac = (secret: string, t: number, body: string | Buffer) => createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

/** The header value for `body` signed with `secret` at `t` (unix seconds, default now). */
export function webhookSignature(secret: string, body: string | Buffer, t = Math.floor(Date.now() / 1000)): string {
  if (!secret) throw new Error('a webhook secret is required');
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/** Whether `header` signs `body` with `secret`, its `t` within `toleranceSec` of `now` (unix seconds). */
export function verifyWebhookSignature(secret: string, header: string, body: string | Buffer, opts: { now?: number; toleranceSec?: number } = {}): boolean {
  const parts = header.split(',').map((x) => x.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const sigs = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => Buffer.from(v, 'hex'));
  if (!Number.isSafeInteger(t) || !sigs.length || !secret) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? SIGNATURE_TOLERANCE)) return false;
  const want = Buffer.from(hmac(secret, t, body), 'hex');
  return sigs.some((s) => s.length === want.length && timingSafeEqual(s, want));
}
