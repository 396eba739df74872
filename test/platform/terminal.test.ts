// What a person sees at a terminal when starting the server: a banner and readable log lines.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { banner, ENFORCEMENT_ACCOUNT, readableLog } from '../../src/cli/terminal.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/modules/org/demo.js';

describe('the start-up banner', () => {
  const config = { publicUrl: 'http://127.0.0.1:3000', dataDir: '/srv/gongkai/data', databaseUrl: null, demo: true };

  it('names the address, the console, the data directory and every demo account with its role', () => {
    const text = banner(config, { password: DEMO_PASSWORD, users: DEMO_USERS.map(([username, name]) => ({ username, name })) });
    expect(text).toContain('http://127.0.0.1:3000/');
    expect(text).toContain('http://127.0.0.1:3000/admin');
    expect(text).toContain('/srv/gongkai/data');
    expect(text).toContain(DEMO_PASSWORD);
    for (const [username, name] of DEMO_USERS) expect(text).toMatch(username.endsWith('-handler') || name.endsWith('负责人') || ENFORCEMENT_ACCOUNT.test(username) ? new RegExp(`\\s${username}(\\s|$)`, 'm') : new RegExp(`${username}\\s+${name}`));
    expect(text.split('\n').length).toBeLessThan(45); // one screen, handlers grouped
    expect(text).toContain('重置演示数据');
    expect(text).not.toContain('{"level"');
  });

  it('without the demo lists no accounts, and never prints a database password', () => {
    const text = banner({ ...config, demo: false, databaseUrl: 'postgres://gk:s3cret@db:5432/gongkai' }, null);
    expect(text).not.toContain('Demo-2026');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('PostgreSQL');
  });
});

describe('readable log lines', () => {
  it('turn pino JSON into "time LEVEL message" in Beijing time', () => {
    const out: string[] = [];
    const log = pino({ level: 'info', timestamp: () => ',"time":1764633600000' }, readableLog({ write: (s) => out.push(s) }));
    log.warn({ err: new Error('disk full') }, 'backup failed');
    expect(out.join('')).toBe('08:00:00 WARN backup failed disk full\n'); // 2025-12-02T00:00Z = 08:00 in Beijing
  });
});
