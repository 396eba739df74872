// Per-address request budgets (platform/http/limit.ts), as the modules use them: the appeals'
// citizen writes (each route its own budget, in each process's memory, checked before the body is
// read) and the lists' public writes (one budget for ratings and subscriptions, in the database,
// shared by every app instance). Both answer 429 with Retry-After and their own message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { APPEAL } from '../appeals/util.js';
import { buildApp } from '../../src/app.js';

const MAX = 3;
let env: TestEnv;
beforeAll(async () => {
  // Behind a proxy: the tests play clients at several addresses with X-Forwarded-For.
  env = await makeEnv({ env: { GONGKAI_APPEALS_RATE_LIMIT: String(MAX), GONGKAI_LISTS_RATE_LIMIT: String(MAX) }, overrides: { trustProxy: true } });
});
afterAll(async () => env?.close());

let ips = 0;
const ip = () => `10.9.${++ips}.1`;

function expectLimited(r: { statusCode: number; headers: Record<string, unknown> }) {
  expect(r.statusCode).toBe(429);
  const wait = Number(r.headers['retry-after']);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
}

describe('appeals: citizen writes', () => {
  it('a flood from one address gets 429 with Retry-After and the appeals message, even with a body that would be refused; other addresses go on', async () => {
    const addr = ip();
    const submit = (payload: unknown, a = addr) => env.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'x-forwarded-for': a, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    for (let i = 0; i < MAX; i++) expect((await submit(APPEAL)).statusCode).toBe(201);
    const r = await submit(APPEAL);
    expectLimited(r);
    expect(r.json().error).toEqual({ code: 'too_many_requests', message: '提交过于频繁，请一分钟后再试。' });
    // Checked on arrival: a malformed body is not even read.
    expectLimited(await submit('{"type": '));
    expect((await submit(APPEAL, ip())).statusCode).toBe(201);
  });

  it('each route has its own budget; Open311 answers 429 in its own error format, with Retry-After', async () => {
    const addr = ip();
    for (let i = 0; i < MAX + 1; i++) await env.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'x-forwarded-for': addr }, payload: APPEAL });
    const post = () => env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'x-forwarded-for': addr, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'api_key=wrong&service_code=noise&description=x' });
    for (let i = 0; i < MAX; i++) expect((await post()).statusCode).toBe(403); // the wrong key, not the budget
    const r = await post();
    expectLimited(r);
    expect(r.json()).toEqual([{ code: 429, description: 'Too many requests from this address; please wait a minute and try again' }]);
  });
});

describe('lists: public writes', () => {
  it('ratings and subscriptions spend one budget per address, on every app instance: 429 with Retry-After and the lists message', async () => {
    const addr = ip();
    const rate = (app = env.app, a = addr) => app.inject({ method: 'POST', url: '/api/v1/service-guides/SG-WHLY-001/ratings', headers: { 'x-forwarded-for': a }, payload: { level: 'satisfied' } });
    for (let i = 0; i < MAX; i++) expect((await rate()).statusCode).toBe(201);
    const r = await rate();
    expectLimited(r);
    expect(r.json().error).toEqual({ code: 'too_many_requests', message: '提交过于频繁，请稍后再试' });
    const sub = await env.app.inject({ method: 'POST', url: '/api/v1/policies/subscriptions', headers: { 'x-forwarded-for': addr }, payload: { email: 'a@example.com', profile: { industry: 'I', size: 'small', location: '', qualifications: [] } } });
    expectLimited(sub);
    const other = await buildApp(env.p, { logger: false });
    try {
      await other.ready();
      expectLimited(await rate(other));
      expect((await rate(other, ip())).statusCode).toBe(201);
    } finally {
      await other.close();
    }
  });
});
