// The audit chain: every staff action appends a linked SM3 event; tampering is detected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeEnv, type TestEnv } from '../helpers.js';
import { verifyAudit, eventHash, GENESIS_HASH } from '../../src/platform/audit/index.js';
import { createDepartment, createUser, setRoles } from '../../src/modules/org/service.js';
import { sm3 } from '../../src/platform/hash.js';
import { demoOrg } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

async function dropGuards() {
  if (env.p.dialect === 'postgres') await sql`drop trigger if exists audit_no_update on audit_events`.execute(env.p.db);
  else {
    await sql`drop trigger if exists audit_no_update`.execute(env.p.db);
    await sql`drop trigger if exists audit_no_delete`.execute(env.p.db);
  }
}

describe('audit chain', () => {
  it('SM3 is the national standard hash (GB/T 32905 test vector)', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('records user and role changes with actor, entity and details, each linked to the previous event', async () => {
    await createUser(env.p, 'cli', { username: 'audited', password: 'Strong-pass-2026', department: 'czj', roles: ['editor'] });
    await setRoles(env.p, 'cli', 'audited', ['reviewer']);
    const rows = await env.p.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    const create = rows.find((r) => r.action === 'user.create' && r.details.includes('"audited"'))!;
    expect(create.actor).toBe('cli');
    expect(create.entity).toBe('user');
    const roles = rows.find((r) => r.action === 'user.roles' && r.details.includes('"audited"'))!;
    expect(JSON.parse(roles.details).after[0].role).toBe('reviewer');
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].seq).toBe(rows[i - 1].seq + 1);
      expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
      expect(rows[i].hash).toBe(eventHash(rows[i - 1].hash, rows[i]));
    }
    expect((await verifyAudit(env.p.db)).ok).toBe(true);
  });

  it('the database itself refuses updates and deletes of events', async () => {
    await expect(env.p.db.updateTable('audit_events').set({ actor: 'x' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(env.p.db.deleteFrom('audit_events').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
  });

  it('a failed change leaves no event behind (same transaction)', async () => {
    const before = (await verifyAudit(env.p.db)).checked;
    await expect(createDepartment(env.p, 'cli', { code: 'dzb', name: '重复', kind: 'office' })).rejects.toThrow();
    expect((await verifyAudit(env.p.db)).checked).toBe(before);
  });

  it('detects a changed event, naming it', async () => {
    const target = await env.p.db.selectFrom('audit_events').select('seq').where('action', '=', 'user.create').orderBy('seq').limit(1).offset(3).executeTakeFirstOrThrow();
    await dropGuards();
    await env.p.db.updateTable('audit_events').set({ details: '{"username":"someone-else"}' }).where('seq', '=', target.seq).execute();
    const r = await verifyAudit(env.p.db);
    expect(r.ok).toBe(false);
    expect(r.firstBroken!.seq).toBe(target.seq);
    expect(r.firstBroken!.reason).toMatch(/changed/);
  });
});

describe('audit chain deletions', () => {
  it('detects a deleted event in the middle and events cut off the end', async () => {
    const e = await makeEnv({ demo: true });
    try {
      if (e.p.dialect === 'postgres') await sql`drop trigger if exists audit_no_update on audit_events`.execute(e.p.db);
      else await sql`drop trigger if exists audit_no_delete`.execute(e.p.db);
      expect((await verifyAudit(e.p.db)).ok).toBe(true);
      const total = (await verifyAudit(e.p.db)).checked;
      await e.p.db.deleteFrom('audit_events').where('seq', '=', total).execute();
      const cut = await verifyAudit(e.p.db);
      expect(cut.ok).toBe(false);
      expect(cut.firstBroken!.reason).toMatch(/removed from the end/);
      await e.p.db.deleteFrom('audit_events').where('seq', '=', 5).execute();
      const gap = await verifyAudit(e.p.db);
      expect(gap.ok).toBe(false);
      expect(gap.firstBroken!.seq).toBe(5);
    } finally {
      await e.close();
    }
  });
});

describe('audit log in the console', () => {
  it('supervisors browse and filter it; editors may not', async () => {
    const { login } = await import('../helpers.js');
    const e = await makeEnv({ demo: false });
    try {
      await demoOrg(e.p, { users: ['supervisor', 'dzb-editor'] });
      const sup = await login(e.app, 'supervisor');
      const page = await e.app.inject({ url: '/admin/audit?action=department.create', headers: { cookie: sup.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('department.create');
      expect(page.body).not.toContain('<code>user.create</code>');
      const ed = await login(e.app, 'dzb-editor');
      expect((await e.app.inject({ url: '/admin/audit', headers: { cookie: ed.cookie } })).statusCode).toBe(403);
    } finally {
      await e.close();
    }
  });

  it("shows the codes entries carry in words: a request's channel, requester type, reply type and outcome, a clock's pause kind and subject", async () => {
    const { login } = await import('../helpers.js');
    const sup = await login(env.app, 'supervisor');
    const page = async (action: string) => {
      const r = await env.app.inject({ url: `/admin/audit?action=${action}`, headers: { cookie: sup.cookie } });
      expect(r.statusCode).toBe(200);
      const details = [...r.body.matchAll(/<td class="details">([\s\S]*?)<\/td>/g)].map((m) => m[1]).join(' ');
      expect(details.length, action).toBeGreaterThan(0);
      return details;
    };
    const receive = await page('request.receive');
    expect(receive).toMatch(/申请人类型：(自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他)/);
    expect(receive).not.toMatch(/natural-person|registered-post|in-person|online</);
    const draft = await page('request.reply_draft');
    expect(draft).not.toMatch(/already-public|disclosed|withheld\./);
    expect(draft).toMatch(/予以公开|不予公开|无法提供|不予处理|部分公开|其他处理/);
    const pause = await page('clock.pause');
    expect(pause).not.toMatch(/consultation|：fee/);
    const start = await page('clock.start');
    expect(start).not.toMatch(/disclosure-request|annual-report/);
  });
});
