// SM3 (GB/T 32905) for the audit chain, content hashes and stored token digests.
import { createHash, randomBytes } from 'node:crypto';

export function sm3(data: string | Buffer): string {
  return createHash('sm3').update(data).digest('hex');
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
