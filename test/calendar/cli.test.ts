// `gongkai calendar import FILE` and `gongkai calendar show YEAR`, run as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPgDatabase, PG_URL } from '../helpers.js';

let dataDir: string;
let dbUrl: string | null = null;
let drop: (() => Promise<void>) | null = null;

function gk(args: string[]) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GONGKAI_DATA_DIR: dataDir, GONGKAI_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (dbUrl) env.DATABASE_URL = dbUrl;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src', 'cli', 'main.ts'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gongkai-calcli-'));
  if (PG_URL) {
    const f = await freshPgDatabase(PG_URL);
    dbUrl = f.url;
    drop = f.drop;
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (drop) await drop();
});

describe('gongkai calendar', () => {
  it('shows a seeded year', () => {
    const r = gk(['calendar', 'show', '2026']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2026 published');
    expect(r.out).toContain('2026-02-14  workday');
    expect(r.out).toContain('2026-10-07  holiday');
  }, 120_000);

  it('refuses a file with errors (exit 1, nothing saved) and imports a valid one', () => {
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, 'date,kind,name\n2030-02-31,holiday,x\n');
    const r1 = gk(['calendar', 'import', bad]);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain('Invalid date');
    const ics = join(dataDir, '2030.ics');
    writeFileSync(ics, 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20300101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
    const r2 = gk(['calendar', 'import', ics]);
    expect(r2.code).toBe(0);
    expect(r2.out).toContain('2030: 1 holidays');
    expect(gk(['calendar', 'show', '2030']).out).toContain('2030-01-01  holiday');
    expect(gk(['calendar', 'show', 'nope']).code).toBe(2);
  }, 240_000);
});
