// The `gongkai` command, run as a real child process with the same settings as the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox, PG_URL, type CliSandbox } from '../helpers.js';

const BIN = join(process.cwd(), 'bin', 'gongkai.js');
let sb: CliSandbox;
let dataDir: string;
const gk = (args: string[], extraEnv: Record<string, string> = {}) => sb.gk(args, extraEnv);

beforeAll(async () => {
  sb = await cliSandbox('gongkai-cli-');
  dataDir = sb.dataDir;
});
afterAll(async () => sb?.close());

// Each case runs several `gongkai` processes (2–3 s to start each on this machine class, more under load).
describe('gongkai CLI', { timeout: 120_000 }, () => {
  it('migrate creates the schema; a second run has nothing to do', () => {
    const a = gk(['migrate']);
    expect(a.code).toBe(0);
    expect(a.out).toContain('applied');
    const b = gk(['migrate']);
    expect(b.out).toContain('up to date');
  });

  it('demo loads the demo district into the empty database, once', () => {
    expect(gk(['demo']).out).toContain('demo district loaded');
    expect(gk(['demo']).out).toContain('not empty');
  });

  it('user add creates a user with roles; bad input is explained and exits non-zero', () => {
    const ok = gk(['user', 'add', '--username', 'cli-user', '--password', 'Strong-pass-2026', '--department', 'czj', '--role', 'editor', '--role', 'reviewer']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('cli-user');
    const bad = gk(['user', 'add', '--username', 'cli-user2', '--password', 'short', '--department', 'nope', '--role', 'editor']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/password/);
    expect(bad.err).toMatch(/department/);
  });

  it('user roles replaces roles and lists them', () => {
    expect(gk(['user', 'roles', '--username', 'cli-user', '--role', 'approver@czj', '--role', 'editor@dzb+']).code).toBe(0);
    const list = gk(['user', 'roles', '--username', 'cli-user']);
    expect(list.out.trim().split('\n').sort()).toEqual(['approver@czj', 'editor@dzb+']);
  });

  it('token create prints only the token, which then authenticates; revoke ends it', async () => {
    const r = gk(['token', 'create', '--username', 'cli-user']);
    expect(r.code).toBe(0);
    const token = r.out.trim();
    expect(token).toMatch(/^gk_[\w-]{20,}$/);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const rev = gk(['token', 'revoke', '--token', token]);
    expect(rev.code).toBe(0);
    expect(gk(['token', 'revoke', '--token', token]).code).toBe(1);
  });

  it('user passwd enforces the policy', () => {
    expect(gk(['user', 'passwd', '--username', 'cli-user', '--password', 'abc']).code).not.toBe(0);
    expect(gk(['user', 'passwd', '--username', 'cli-user', '--password', 'Another-pass-2026']).code).toBe(0);
  });

  it('audit verify passes on an untouched chain', () => {
    const r = gk(['audit', 'verify']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/intact: \d+ events/);
  });

  it.skipIf(!!PG_URL)('backup writes a consistent copy and restore brings it back (SQLite)', () => {
    // The search index lives in two shard files beside the database (built here by the parallel loader).
    const built = gk(['search', 'reindex', '--clear']);
    expect(built.code, built.err).toBe(0);
    const indexed = Number(/indexed (\d+)/.exec(built.out)?.[1]);
    expect(indexed).toBeGreaterThan(100);
    const shard = join(dataDir, 'gongkai.search-0.sqlite');
    expect(existsSync(shard)).toBe(true);
    const file = join(dataDir, 'backup.sqlite');
    const b = gk(['backup', file]);
    expect(b.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    gk(['user', 'add', '--username', 'after-backup', '--password', 'Strong-pass-2026', '--department', 'czj', '--role', 'editor']);
    const r = gk(['restore', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('intact');
    expect(gk(['user', 'roles', '--username', 'after-backup']).code).not.toBe(0);
    // The shards are derived data, not in the backup: removed by restore, rebuilt from the restored database.
    expect(existsSync(shard)).toBe(false);
    const rebuilt = gk(['search', 'reindex']);
    expect(rebuilt.code, rebuilt.err).toBe(0);
    expect(Number(/indexed (\d+)/.exec(rebuilt.out)?.[1])).toBe(indexed);
    expect(existsSync(shard)).toBe(true);
    expect(gk(['restore', join(dataDir, 'secrets.json')]).code).not.toBe(0);
  });

  it.skipIf(!PG_URL)('backup on PostgreSQL explains the pg_dump procedure', () => {
    const r = gk(['backup', '/tmp/x']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('pg_dump');
  });

  it('an unknown command prints usage and exits non-zero', () => {
    const r = gk(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Usage');
  });

  it('a bad setting is reported clearly', () => {
    const r = gk(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('PORT');
  });

  it('serve starts, answers /healthz, and exits cleanly on SIGTERM', async () => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), GONGKAI_DATA_DIR: dataDir, GONGKAI_LOG_LEVEL: 'silent', PORT: '0' };
    delete env.DATABASE_URL;
    if (sb.databaseUrl) env.DATABASE_URL = sb.databaseUrl;
    env.PORT = String(20000 + Math.floor(Math.random() * 20000));
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: 'ignore' });
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ok = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then((r) => r.ok, () => false);
    }
    expect(ok).toBe(true);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
