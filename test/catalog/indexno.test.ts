// 索引号 uniqueness under concurrency (on SQLite and on PostgreSQL with a connection pool).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { allocateIndexNo } from '../../src/platform/publication/index.js';
import { draft, step } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true, overrides: { pgPool: 10 } });
}, 120_000);
afterAll(() => env?.close());

describe('索引号', () => {
  it('parallel allocations never share a number', async () => {
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const nos = await Promise.all(Array.from({ length: 40 }, () => env.p.tx((t) => allocateIndexNo(t, dzb.id, 2031))));
    expect(new Set(nos).size).toBe(40);
    for (const n of nos) expect(n).toMatch(/^552013579\/2031-\d{5}$/);
  });

  it('parallel publications never share a number', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await draft(env, 'dzb-editor', { title: `并发发布测试 ${i}` });
      for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve']]) await step(env, id, who, action);
      ids.push(id);
    }
    const rs = await Promise.all(ids.map((id) => step(env, id, 'dzb-approver', 'approve')));
    for (const r of rs) expect(r.statusCode, r.body).toBe(200);
    const rows = await env.p.db.selectFrom('pub_items').select('index_no').where('id', 'in', ids).execute();
    const nos = rows.map((r) => r.index_no);
    expect(nos.every(Boolean)).toBe(true);
    expect(new Set(nos).size).toBe(ids.length);
    const all = await env.p.db.selectFrom('pub_items').select('index_no').where('index_no', 'is not', null).execute();
    expect(new Set(all.map((r) => r.index_no)).size).toBe(all.length);
  });

  it('can use the department’s own organisation code as prefix', async () => {
    const { setIndexPrefixMode } = await import('../../src/platform/publication/index.js');
    await env.p.db.updateTable('departments').set({ org_code: '11210000MB0000000X' }).where('code', '=', 'dzb').execute();
    await setIndexPrefixMode(env.p, 'cli', 'department');
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const n = await env.p.tx((t) => allocateIndexNo(t, dzb.id, 2032));
    expect(n).toBe('11210000MB0000000X/2032-00001');
    await setIndexPrefixMode(env.p, 'cli', 'government');
  });

  it('is chosen on the government page by an administrator (audited), with a clear error for a bad value', async () => {
    const admin = await login(env.app, 'admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/government', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('索引号前缀取自');
    const post = (mode: string, cookie = admin.cookie, html = page.body) =>
      env.app.inject({ method: 'POST', url: '/admin/government/index-prefix', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(html), indexPrefix: mode }) });
    const ok = await post('department');
    expect(ok.statusCode).toBe(302);
    const { getIndexPrefixMode } = await import('../../src/platform/publication/index.js');
    expect(await getIndexPrefixMode(env.p.db)).toBe('department');
    const audit = await env.p.db.selectFrom('audit_events').select(['actor', 'details']).where('action', '=', 'publication.setting').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor).toBe('user:admin');
    expect(JSON.parse(audit.details)).toEqual({ indexPrefix: 'department' });
    const bad = await post('nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('取值无效');
    expect(await getIndexPrefixMode(env.p.db)).toBe('department');
    // A department administrator may not change it.
    const deptAdmin = await login(env.app, 'dzb-admin');
    const denied = await env.app.inject({ method: 'GET', url: '/admin/government', headers: { cookie: deptAdmin.cookie } });
    expect(denied.statusCode).toBe(403);
    const { setIndexPrefixMode } = await import('../../src/platform/publication/index.js');
    await setIndexPrefixMode(env.p, 'cli', 'government');
  });
});
