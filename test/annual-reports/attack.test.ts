// Annual reports, attacked: a report of a year still running submitted and published while its
// figures change, and the console's form silently dropping a field sent twice. Figures come from
// the test-only source module (util.ts) plus the real modules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, login, makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { demoOrg } from '../fixtures/org.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { sourceModule } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  // Without enforcement, whose decisions give Table 二's 行政许可 and 行政处罚 (test/enforcement/decisions.test.ts):
  // here those rows are the staff's to enter.
  env = await makeEnv({ demo: false, modules: [...MODULES.filter((m) => m.name !== 'enforcement'), sourceModule] });
  await demoOrg(env.p, { users: ['gkb-requests', 'gkb-approver'], departments: ['scjg'] });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const api = (method: string, url: string, as: string, body?: unknown) => env.api(method, url, { as, body });
const THIS_YEAR = Number(todayShanghai().slice(0, 4));

describe('a year still running', () => {
  it('its report may be drafted but not submitted: the figures still change until 31 December (409, nothing moves)', async () => {
    const c = await api('POST', '/api/v1/annual-reports', 'gkb-requests', { year: THIS_YEAR, scope: 'government' });
    expect(c.statusCode, c.body).toBe(201);
    const { id, itemId } = c.json();
    expect((await api('PUT', `/api/v1/annual-reports/${id}`, 'gkb-requests', { manual: { licensing: 1, penalties: 2, coercion: 3 } })).statusCode).toBe(200);
    const sub = await api('POST', `/api/v1/annual-reports/${id}/steps`, 'gkb-requests', { action: 'submit' });
    expect(sub.statusCode, sub.body).toBe(409);
    expect(sub.json().error.message).toContain(`${THIS_YEAR + 1}年1月1日`);
    const item = await env.p.db.selectFrom('pub_items').select(['status', 'public']).where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(item).toEqual({ status: 'draft', public: 0 });
    expect(await env.p.db.selectFrom('pub_reviews').select('id').where('item_id', '=', itemId).execute()).toEqual([]);
    // The console says when it can be submitted instead of offering the button.
    const s = await login(env.app, 'gkb-requests');
    const page = await env.app.inject({ method: 'GET', url: `/admin/annual-reports/${id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${THIS_YEAR + 1}年1月1日起方可提交审核`);
    expect(page.body).not.toContain('name="action" value="submit"');
  });
});

describe('the console form', () => {
  it('a field sent twice is refused naming it (400), not saved without it as if all went well', async () => {
    const c = await api('POST', '/api/v1/annual-reports', 'gkb-requests', { year: THIS_YEAR - 1, scope: 'government' });
    expect(c.statusCode, c.body).toBe(201);
    const { id } = c.json();
    const s = await login(env.app, 'gkb-requests');
    const post = (data: Record<string, string | string[]>) => env.app.inject({ method: 'POST', url: `/admin/annual-reports/${id}`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, ...data }) });
    const twice = await post({ 'manual.licensing': ['12', '13'], 'manual.penalties': '2', 'narrative.requests': '本年度收到申请若干件。' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('href="#f-manual.licensing"');
    const row = await env.p.db.selectFrom('annual_reports').select(['manual', 'narrative']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.manual)).toEqual({});
    expect(JSON.parse(row.narrative).requests).not.toBe('本年度收到申请若干件。');
    const once = await post({ 'manual.licensing': '12', 'manual.penalties': '2' });
    expect(once.statusCode).toBe(303);
    expect(JSON.parse((await env.p.db.selectFrom('annual_reports').select('manual').where('id', '=', id).executeTakeFirstOrThrow()).manual)).toMatchObject({ licensing: 12, penalties: 2 });
  });
});
