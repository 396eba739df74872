// Optional TOTP second factor (RFC 6238, 30 s, 6 digits, SHA-1 as authenticator apps expect).
import * as OTPAuth from 'otpauth';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/**
 * The time step (30 s counter) of a valid code, or null. A code is accepted once: the caller stores
 * the step and passes it back as `lastStep`, and a code of that step or an earlier one is refused
 * (RFC 6238 §5.2), so a code seen over a shoulder or in a proxy log cannot open a second session.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null = null, now = Date.now()): number | null {
  const clean = String(code ?? '').normalize('NFKC').replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totpFor(secret, 'x', 'gongkai').validate({ token: clean, window: 1, timestamp: now });
  if (delta === null) return null;
  const step = Math.floor(now / 30_000) + delta;
  if (lastStep != null && step <= lastStep) return null;
  return step;
}
