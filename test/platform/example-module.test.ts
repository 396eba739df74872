// The example module of docs/extending.md, mounted beside the real modules: what the guide says
// a module gets from the platform, it gets (migration, declared permission checked against the
// target department, the publish path with 索引号 and search, a minimum-period clock, mail,
// messages in both languages, the public page).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { noticesModule } from '../../examples/notices/module.js';
import { createDepartment, createUser } from '../../src/modules/org/service.js';

let env: TestEnv;
let dept: number;
let other: number;
beforeAll(async () => {
  env = await makeEnv({ demo: false, modules: [...MODULES, noticesModule] });
  const p = env.p;
  dept = (await createDepartment(p, 'cli', { code: 'bgs', name: '区政府办公室', kind: 'bureau' })).id;
  other = (await createDepartment(p, 'cli', { code: 'fgj', name: '发改局', kind: 'bureau' })).id;
  await createUser(p, 'cli', { username: 'bgs-editor', password: 'Example-2026-notices', department: 'bgs', roles: ['editor'] });
  await createUser(p, 'cli', { username: 'bgs-reviewer', password: 'Example-2026-notices', department: 'bgs', roles: ['reviewer'] });
});
afterAll(async () => env?.close());

const body = (over: Record<string, unknown> = {}) => ({ departmentId: dept, title: '关于幸福路临时交通管制的通告', body: '因管线施工，幸福路（学府路至滨海路段）将实行临时交通管制。', displayDays: 7, notify: 'press@example.org', ...over });

describe('the example module (docs/extending.md)', () => {
  it('publishes a notice through the spine with a display-period clock and an e-mail', async () => {
    const r = await env.api('POST', '/api/v1/notices', { as: 'bgs-editor', body: body() });
    expect(r.statusCode).toBe(201);
    const { id, indexNo, closesOn } = r.json();
    expect(indexNo).toMatch(/\/\d{4}-\d{5}$/);
    // A minimum period: 7 calendar days from today, finished (not overdue) afterwards.
    const clock = await env.p.db.selectFrom('clocks').select(['due_date', 'kind', 'status']).where('subject_type', '=', 'notice').where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ due_date: closesOn, kind: 'minimum', status: 'normal' });
    await env.drain();
    expect(readdirSync(join(env.dataDir, 'outbox-mail')).length).toBe(1);
    const page = await env.app.inject({ url: '/notices' });
    expect(page.body).toContain('关于幸福路临时交通管制的通告');
    expect(page.body).toContain(`公示至 ${closesOn}`);
    // Its own page shows the spine's published version; the catalog's item page sends people there; search finds it.
    expect((await env.app.inject({ url: `/notices/${id}` })).body).toContain('管线施工');
    expect((await env.app.inject({ url: `/catalog/items/${id}` })).headers.location).toBe(`/notices/${id}`);
    const s = (await env.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('交通管制')}` })).json();
    expect(JSON.stringify(s)).toContain(indexNo);
    // Its type declares the catalog section (ADR 0008): the catalog lists it with its 索引号, search
    // names its section and type, the sitemap gives its own page.
    expect((await env.app.inject({ url: '/api/v1/documents?pageSize=5' })).json().items).toContainEqual(expect.objectContaining({ id, indexNo, type: 'notice', url: `/notices/${id}` }));
    expect((await env.app.inject({ url: `/search?q=${encodeURIComponent('交通管制')}` })).body).toContain('政府信息公开 · 通知公告');
    expect((await env.app.inject({ url: '/sitemap-catalog-items-1.xml' })).body).toContain(`/notices/${id}</loc>`);
    // Its own pages come in through its module object's sitemap source, and name their canonical URL.
    expect((await env.app.inject({ url: '/sitemap.xml' })).body).toContain('/sitemap-notices-1.xml</loc>');
    expect((await env.app.inject({ url: '/sitemap-notices-1.xml' })).body).toMatch(/\/notices<\/loc><lastmod>\d{4}-\d{2}-\d{2}T[\d:]+\+08:00<\/lastmod>/);
    expect((await env.app.inject({ url: `/notices/${id}` })).body).toContain(`<link rel="canonical" href="${env.config.publicUrl}/notices/${id}"/>`);
  });

  it('checks the declared action against the target department and names bad fields', async () => {
    expect((await env.api('POST', '/api/v1/notices', { as: 'bgs-editor', body: body({ departmentId: other }) })).statusCode).toBe(403);
    expect((await env.api('POST', '/api/v1/notices', { as: 'bgs-reviewer', body: body() })).statusCode).toBe(403);
    expect((await env.api('POST', '/api/v1/notices', { body: body() })).statusCode).toBe(401);
    const bad = await env.api('POST', '/api/v1/notices', { as: 'bgs-editor', body: body({ displayDays: 3 }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('displayDays');
    const en = await env.api('POST', '/api/v1/notices', { as: 'bgs-editor', body: body({ notify: 'not-an-address' }), headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields.notify).toBeTruthy();
  });

  it('takes a notice down: off the public page, its clock stopped', async () => {
    const { id } = (await env.api('POST', '/api/v1/notices', { as: 'bgs-editor', body: body({ title: '关于征集老旧小区改造意见的公告' }) })).json();
    expect((await env.api('POST', `/api/v1/notices/${id}/withdraw`, { as: 'bgs-editor', body: { reason: '内容有误，更正后重发' } })).statusCode).toBe(204);
    expect((await env.app.inject({ url: '/notices' })).body).not.toContain('老旧小区改造');
    expect((await env.app.inject({ url: `/notices/${id}` })).statusCode).toBe(404);
    const clock = await env.p.db.selectFrom('clocks').select('status').where('subject_type', '=', 'notice').where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(clock.status).toBe('stopped');
  });
});
