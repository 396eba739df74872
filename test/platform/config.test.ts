// Settings read from the environment: GONGKAI_SQLITE_CACHE_MB reaches the SQLite connection.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDb } from '../../src/platform/db/index.js';

describe('GONGKAI_SQLITE_CACHE_MB', () => {
  it('defaults to 16 MB, sets the page cache of the SQLite connection, refuses anything but a positive integer by name', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-cache-'));
    try {
      const cacheOf = async (env: NodeJS.ProcessEnv) => {
        const config = loadConfig(env, { dataDir, databaseUrl: null });
        const dbh = openDb(config);
        try {
          return [config.sqliteCacheMb, dbh.sqlite!.pragma('cache_size', { simple: true })];
        } finally {
          await dbh.close();
        }
      };
      expect(await cacheOf({})).toEqual([16, -16 * 1024]);
      expect(await cacheOf({ GONGKAI_SQLITE_CACHE_MB: '64' })).toEqual([64, -64 * 1024]);
      for (const bad of ['0', '-8', '1.5', 'lots', '']) {
        expect(() => loadConfig({ GONGKAI_SQLITE_CACHE_MB: bad }, { dataDir })).toThrow(ConfigError);
        expect(() => loadConfig({ GONGKAI_SQLITE_CACHE_MB: bad }, { dataDir })).toThrow(/GONGKAI_SQLITE_CACHE_MB/);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
