// The one settings part (platform/settings): every module stores its settings through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { getJsonSetting, getSetting, getSettings, putJsonSetting, putSetting } from '../../src/platform/settings/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
});
afterAll(async () => env?.close());

describe('settings', () => {
  it('a setting never set reads as null; putSetting inserts and then replaces it (one row), recording when', async () => {
    const db = env.p.db;
    expect(await getSetting(db, 'test.colour')).toBeNull();
    await env.p.tx((t) => putSetting(t, 'test.colour', 'red', '2026-01-01T00:00:00.000Z'));
    expect(await getSetting(db, 'test.colour')).toBe('red');
    await env.p.tx((t) => putSetting(t, 'test.colour', 'blue', '2026-02-01T00:00:00.000Z'));
    expect(await getSetting(db, 'test.colour')).toBe('blue');
    const rows = await db.selectFrom('settings').selectAll().where('key', '=', 'test.colour').execute();
    expect(rows).toEqual([{ key: 'test.colour', value: 'blue', updated_at: '2026-02-01T00:00:00.000Z' }]);
  });

  it('a write rolled back with its transaction leaves the setting as it was', async () => {
    await env.p.tx((t) => putSetting(t, 'test.rollback', 'before'));
    await expect(
      env.p.tx(async (t) => {
        await putSetting(t, 'test.rollback', 'after');
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await getSetting(env.p.db, 'test.rollback')).toBe('before');
  });

  it('getSettings answers the keys that are set, and nothing for the others', async () => {
    await env.p.tx(async (t) => {
      await putSetting(t, 'test.a', '1');
      await putSetting(t, 'test.b', '2');
    });
    const m = await getSettings(env.p.db, ['test.a', 'test.b', 'test.unset']);
    expect(Object.fromEntries(m)).toEqual({ 'test.a': '1', 'test.b': '2' });
    expect((await getSettings(env.p.db, [])).size).toBe(0);
  });

  it('JSON settings round-trip; an unset or unreadable one gives the fallback', async () => {
    await env.p.tx((t) => putJsonSetting(t, 'test.json', { ids: [3, 1] }));
    expect(await getJsonSetting(env.p.db, 'test.json', { ids: [] as number[] })).toEqual({ ids: [3, 1] });
    expect(await getJsonSetting(env.p.db, 'test.json-unset', [7])).toEqual([7]);
    await env.p.tx((t) => putSetting(t, 'test.json-bad', '{not json'));
    expect(await getJsonSetting(env.p.db, 'test.json-bad', 'fallback')).toBe('fallback');
  });
});
