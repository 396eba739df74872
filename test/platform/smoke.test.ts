import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

describe('the running platform', () => {
  it('answers /healthz after checking the database', async () => {
    const r = await env.app.inject('/healthz');
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('ok');
  });
  it('serves the portal home page with the demo government name', async () => {
    const r = await env.app.inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('示范新区管理委员会');
  });
  it('describes the API in OpenAPI 3.1', async () => {
    const r = await env.app.inject('/api/openapi.json');
    expect(r.json().openapi).toMatch(/^3\.1/);
    expect(Object.keys(r.json().paths)).toContain('/api/v1/me');
  });
  it('returns the calling user for a bearer token', async () => {
    const r = await env.api('GET', '/api/v1/me', { as: 'dzb-editor' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ username: 'dzb-editor', department: 'dzb', roles: ['editor'] });
  });
});

describe('the demo district', () => {
  it('has at least 20 departments in a tree, including the required codes and three subdistricts', async () => {
    const r = await env.app.inject('/api/v1/departments');
    const items = r.json().items as { code: string; kind: string; parent: string | null }[];
    expect(items.length).toBeGreaterThanOrEqual(20);
    const codes = new Set(items.map((d) => d.code));
    for (const c of ['dzb', 'fgj', 'czj', 'scjg', 'xzsp', 'sqzx', 'whly', 'yjgl', 'zjj', 'jyj', 'wjj', 'rsj', 'mzj', 'sthj', 'jtj', 'zrzy']) expect(codes).toContain(c);
    expect(items.filter((d) => d.kind === 'subdistrict').length).toBeGreaterThanOrEqual(3);
    expect(items.some((d) => d.parent !== null)).toBe(true);
  });

  it('has a demo account for every role, each marked as demo', async () => {
    const rows = await env.p.db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id').select(['user_roles.role', 'users.is_demo']).execute();
    for (const role of ['admin', 'dept-admin', 'editor', 'reviewer', 'approver', 'supervisor', 'operator']) expect(rows.some((r) => r.role === role)).toBe(true);
    expect(rows.every((r) => r.is_demo === 1)).toBe(true);
  });
});
