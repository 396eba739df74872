// Settings read from the environment: GONGKAI_SQLITE_CACHE_MB reaches the SQLite connection.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDb } from '../../src/platform/db/index.js';
import { makeEnv } from '../helpers.js';

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

describe('GONGKAI_SECURITY_CONTACT and /.well-known/security.txt (RFC 9116)', () => {
  it('takes an address or a mailto:/https:/tel: URI, refuses anything else by name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-sec-'));
    try {
      expect(loadConfig({}, { dataDir }).securityContact).toBeNull();
      expect(loadConfig({ GONGKAI_SECURITY_CONTACT: 'security@example.gov.cn' }, { dataDir }).securityContact).toBe('mailto:security@example.gov.cn');
      expect(loadConfig({ GONGKAI_SECURITY_CONTACT: 'https://example.gov.cn/report' }, { dataDir }).securityContact).toBe('https://example.gov.cn/report');
      for (const bad of ['javascript:alert(1)', 'http://example.gov.cn', 'not an address', 'a@b']) {
        expect(() => loadConfig({ GONGKAI_SECURITY_CONTACT: bad }, { dataDir }), bad).toThrow(/GONGKAI_SECURITY_CONTACT/);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('publishes the contact with an expiry less than a year ahead; no contact, no file', async () => {
    const env = await makeEnv({ demo: false, env: { GONGKAI_SECURITY_CONTACT: 'security@example.gov.cn', GONGKAI_PUBLIC_URL: 'https://gk.example.gov.cn' } });
    try {
      const r = await env.app.inject('/.well-known/security.txt');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/plain');
      expect(r.body).toMatch(/^Contact: mailto:security@example\.gov\.cn$/m);
      expect(r.body).toMatch(/^Canonical: https:\/\/gk\.example\.gov\.cn\/\.well-known\/security\.txt$/m);
      const expires = Date.parse(/^Expires: (\S+)$/m.exec(r.body)![1]);
      expect(expires).toBeGreaterThan(Date.now());
      expect(expires).toBeLessThan(Date.now() + 365 * 86400_000);
      env.p.config.securityContact = null;
      expect((await env.app.inject('/.well-known/security.txt')).statusCode).toBe(404);
    } finally {
      await env.close();
    }
  });
});

describe('rate limits are settings like any other', () => {
  it('defaults, reads and refuses by name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-rl-'));
    try {
      const c = loadConfig({}, { dataDir });
      expect([c.appealsRateLimit, c.appealsLookupLimit, c.listsRateLimit, c.bench]).toEqual([20, 60, 20, false]);
      expect(loadConfig({ GONGKAI_APPEALS_LOOKUP_LIMIT: '8', GONGKAI_BENCH: '1' }, { dataDir })).toMatchObject({ appealsLookupLimit: 8, bench: true });
      for (const [name, bad] of [['GONGKAI_APPEALS_RATE_LIMIT', '0'], ['GONGKAI_APPEALS_LOOKUP_LIMIT', 'lots'], ['GONGKAI_LISTS_RATE_LIMIT', '-1']]) {
        expect(() => loadConfig({ [name]: bad }, { dataDir })).toThrow(new RegExp(name));
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('settings are read in config.ts only', () => {
  it('`serve --demo` turns the demo on unless GONGKAI_DEMO says otherwise', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-demo-'));
    try {
      expect(loadConfig({}, { dataDir }).demo).toBe(false);
      expect(loadConfig({}, { dataDir }, { demo: true }).demo).toBe(true);
      expect(loadConfig({ GONGKAI_DEMO: '0' }, { dataDir }, { demo: true }).demo).toBe(false);
      expect(loadConfig({ GONGKAI_DEMO: '1' }, { dataDir }).demo).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('no other source file reads process.env, except where a comment says why it is not a setting', () => {
    const root = join(import.meta.dirname, '../../src');
    const found: string[] = [];
    for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(f) || f === 'config.ts') continue;
      const lines = readFileSync(join(root, f), 'utf8').split('\n');
      lines.forEach((l, i) => {
        if (!/process\.env\b/.test(l)) return;
        // Allowed with a comment on the line before saying it is not a setting.
        if (/not a setting/i.test(lines[i - 1] ?? '')) return;
        found.push(`src/${f}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(found, 'read settings in src/config.ts (the SETTINGS table), or say why it is not one').toEqual([]);
  });
});
