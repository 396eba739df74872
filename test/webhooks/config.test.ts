// GONGKAI_WEBHOOK_ALLOW: addresses and CIDRs, v4 and v6, comma or space separated; anything else
// refused by name when the configuration loads.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('GONGKAI_WEBHOOK_ALLOW', () => {
  it('takes addresses and CIDRs, and refuses anything else by name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-whcfg-'));
    try {
      const load = (v: string) => loadConfig({ GONGKAI_WEBHOOK_ALLOW: v }, { dataDir });
      expect(load('').webhookAllow).toEqual([]);
      expect(load('127.0.0.1/32, 10.1.0.0/16 fd00::/8 192.168.5.5').webhookAllow).toEqual(['127.0.0.1/32', '10.1.0.0/16', 'fd00::/8', '192.168.5.5']);
      for (const bad of ['localhost', '10.0.0.0/33', '::1/129', '10.0.0.0/x', 'https://10.0.0.1'])
        expect(() => load(bad), bad).toThrow(ConfigError);
      expect(() => load('nope')).toThrow(/GONGKAI_WEBHOOK_ALLOW/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
