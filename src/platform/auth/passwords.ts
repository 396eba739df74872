// Staff passwords: argon2id hashes and the password policy.
import { Algorithm, hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

// A fixed hash verified for unknown usernames, so a login takes as long either way.
let dummy: string | null = null;
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= await hashPassword('gongkai-dummy-password-1');
  await verifyPassword(dummy, password);
}

const COMMON = new Set(['password123', '1234567890', 'qwertyuiop', 'abc1234567', 'admin12345', 'password1234', 'a123456789', '12345678910']);

/** Returns the message key of the first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== 'string' || password.length < 10) return 'err.password.short';
  if (password.length > 128) return 'err.password.long';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'err.password.classes';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'err.password.username';
  if (COMMON.has(password.toLowerCase())) return 'err.password.common';
  return null;
}
