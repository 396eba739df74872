// A process killed with SIGKILL in the middle of a batch of writes leaves a database that opens,
// migrates, and whose audit chain verifies; every committed change has its audit event.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPgDatabase, PG_URL } from '../helpers.js';
import { loadConfig } from '../../src/config.js';
import { openPlatform } from '../../src/server.js';
import { verifyAudit } from '../../src/platform/audit/index.js';

describe('crash safety', () => {
  it('SIGKILL during writes: the database opens, migrates and the audit chain verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-crash-'));
    const pg = PG_URL ? await freshPgDatabase(PG_URL) : null;
    try {
      const env: Record<string, string> = { ...(process.env as Record<string, string>), GONGKAI_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      if (pg) env.DATABASE_URL = pg.url;
      const child = spawn(process.execPath, [join(process.cwd(), 'test/fixtures/crash-writer.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`writer made no progress: ${stderr}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          const m = /wrote (\d+)/g.exec(d.toString());
          if (m && Number(m[1]) >= 40) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // Kill at a random moment inside the running batch.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;

      const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent' }, { dataDir, databaseUrl: pg?.url ?? null, demo: false, logLevel: 'silent' });
      const p = await openPlatform(config);
      try {
        const audit = await verifyAudit(p.db);
        expect(audit.ok, JSON.stringify(audit.firstBroken)).toBe(true);
        const depts = await p.db.selectFrom('departments').select('id').where('code', 'like', 'crash-%').execute();
        const events = await p.db.selectFrom('audit_events').select('entity_id').where('action', '=', 'department.create').execute();
        expect(depts.length).toBeGreaterThanOrEqual(40);
        // Nothing half-written: each department has its event and each event its department.
        expect(new Set(events.map((e) => Number(e.entity_id)))).toEqual(new Set(depts.map((d) => d.id)));
        // The database still takes writes.
        await p.tx((t) => p.audit(t, { actor: 'test', action: 'after.crash', entity: 'test', entityId: 1 }));
        expect((await verifyAudit(p.db)).ok).toBe(true);
      } finally {
        await p.close();
      }
    } finally {
      if (pg) await pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
