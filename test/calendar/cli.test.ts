// `gongkai calendar import FILE` and `gongkai calendar show YEAR`, run as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox, type CliSandbox } from '../helpers.js';

let sb: CliSandbox;
let dataDir: string;
const gk = (args: string[]) => sb.gk(args);

beforeAll(async () => {
  sb = await cliSandbox('gongkai-calcli-');
  dataDir = sb.dataDir;
});
afterAll(async () => sb?.close());

// Each case runs several `gongkai` processes (2–3 s to start each on this machine class, more under load).
describe('gongkai calendar', { timeout: 120_000 }, () => {
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
    // Every day understood, where it came from, and how the file was decoded.
    expect(r2.out).toContain('read as ics, UTF-8');
    expect(r2.out).toContain('2030-01-01  二  holiday  元旦  (line 2: 元旦)');
    expect(gk(['calendar', 'show', '2030']).out).toContain('2030-01-01  holiday');
    expect(gk(['calendar', 'show', 'nope']).code).toBe(2);
  }, 240_000);
});
