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
