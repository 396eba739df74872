// Stored settings: one key → text value table (`settings`) that every module reads and writes
// through these helpers. Write inside the transaction of the change (with its audit event).
import type { Db } from '../db/index.js';

/** The value of one setting, or null when it was never set. */
export async function getSetting(db: Db, key: string): Promise<string | null> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

/** Several settings at once: key → value for the keys that are set. */
export async function getSettings(db: Db, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', [...keys]).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Sets (inserts or replaces) one setting. `at` is the time recorded as its last change (default now). */
export async function putSetting(t: Db, key: string, value: string, at: string = new Date().toISOString()): Promise<void> {
  await t
    .insertInto('settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

/** A setting stored as JSON; `fallback` when it is not set or is not valid JSON. */
export async function getJsonSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const v = await getSetting(db, key);
  if (v === null) return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

/** Stores a value as JSON. */
export async function putJsonSetting(t: Db, key: string, value: unknown, at?: string): Promise<void> {
  await putSetting(t, key, JSON.stringify(value), at);
}
