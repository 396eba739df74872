// The shell commands: export an edition, import it back changed, approve it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeEnv, type TestEnv } from '../helpers.js';
import { listsCli } from '../../src/modules/lists/cli.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 60000);
afterAll(async () => env?.close());

// Each case runs several `gongkai` processes (2–3 s to start each on this machine class, more under load).
describe('gongkai lists', { timeout: 120_000 }, () => {
  it('exports a list, imports it back with one change, and publishes the new edition', async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => (err.push(String(s)), true));
    try {
      expect(await listsCli['lists show'].run([], env.p)).toBe(0);
      const line = out.find((l) => l.includes('\tforeign-investment\t'))!;
      const id = line.split('\t')[0];
      const file = join(env.dataDir, 'fi.csv');
      expect(await listsCli['lists export'].run([id, file], env.p)).toBe(0);
      const csv = readFileSync(file, 'utf8');
      expect(csv).toContain('禁止投资烟叶、卷烟、复烤烟叶及其他烟草制品的批发、零售。');
      writeFileSync(file, csv.replace('医疗机构限于合资。', '医疗机构限于合资、合作。'));
      expect(await listsCli['lists import'].run([id, file, '--reason', '测试'], env.p)).toBe(1);
      expect(err.join('')).toContain('docNo');
      expect(await listsCli['lists import'].run([id, file, '--reason', '测试调整', '--doc-no', '测〔2026〕3号', '--approve'], env.p)).toBe(0);
      expect(out.join('')).toContain('0 added, 0 removed, 1 changed');
      expect(out.join('')).toMatch(/published edition 2/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
