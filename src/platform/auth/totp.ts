// Optional TOTP second factor (RFC 6238, 30 s, 6 digits, SHA-1 as authenticator apps expect).
import * as OTPAuth from 'otpauth';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function checkTotp(secret: string, code: string): boolean {
  const clean = String(code ?? '').replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return false;
  return totpFor(secret, 'x', 'gongkai').validate({ token: clean, window: 1 }) !== null;
}
