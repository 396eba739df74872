// The staff console: editor validation, preview as the public sees it, diff, bulk import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { makeXlsx } from '../../src/modules/catalog/demo/samples.js';
import { publish } from './helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  // czj: a department beyond dzb-admin's reach; gkb: 党政办's sub-department, within it
  await demoOrg(env.p, { users: [...DZB_WORKFLOW, 'dzb-admin'], departments: ['czj', 'gkb'] });
}, 120_000);
afterAll(() => env?.close());

function multipart(name: string, buf: Buffer, fields: Record<string, string> = {}) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), buf, Buffer.from(`\r\n--${b}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

describe('editor', () => {
  it('validates with inline errors, saves a draft, previews exactly as the public will see it', async () => {
    const { cookie } = await login(env.app, 'dzb-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/catalog/new', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const csrf = csrfFrom(page.body);
    const bad = await env.app.inject({ method: 'POST', url: '/admin/catalog/new', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, department: 'dzb', title: '', topic: '', genre: '', writtenAt: '', body: '' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('此项为必填项');
    expect(bad.body).toContain('aria-invalid="true"');
    const ok = await env.app.inject({
      method: 'POST',
      url: '/admin/catalog/new',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrf, department: 'dzb', title: '关于做好春节期间值班工作的通知', docNo: '示范新区办发〔2026〕1号', topic: '0201', genre: '通知', writtenAt: '2026-01-20', body: '<p>各部门：请做好值班。</p>', keywords: '值班，应急' }),
    });
    expect(ok.statusCode).toBe(303);
    const id = Number(/\/admin\/catalog\/(\d+)/.exec(String(ok.headers.location))![1]);
    const preview = await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}/preview`, headers: { cookie } });
    expect(preview.statusCode).toBe(200);
    for (const s of ['关于做好春节期间值班工作的通知', '示范新区办发〔2026〕1号', '综合政务\\应急管理', '各部门：请做好值班。', 'doc-metadata']) expect(preview.body).toContain(s);
    const detail = await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}`, headers: { cookie } });
    expect(detail.body).toContain('提交审查');
    const mine = await env.app.inject({ method: 'GET', url: '/admin/catalog?tab=mine', headers: { cookie } });
    expect(mine.body).toContain(`/admin/catalog/${id}`);
  });

  it('shows a diff between two versions', async () => {
    const id = await publish(env, { body: '<p>第一段原文。</p><p>第二段不变。</p>' });
    await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { body: '<p>第一段修改后。</p><p>第二段不变。</p>', changeNote: '修改第一段' } });
    const { cookie } = await login(env.app, 'dzb-reviewer');
    const d = await env.app.inject({ method: 'GET', url: `/admin/catalog/${id}/diff?a=1&b=2`, headers: { cookie } });
    expect(d.statusCode).toBe(200);
    expect(d.body).toContain('<del>- 第一段原文。');
    expect(d.body).toContain('<ins>+ 第一段修改后。');
    expect(d.body).toContain('  第二段不变。');
  });
});

describe('bulk import', () => {
  const header = 'title,docNo,department,topic,genre,category,writtenAt,publishedAt,effectiveAt,expiresAt,keywords,summary,body';
  const good = ['关于公布2024年行政事业性收费目录的通知,示范新区财发〔2024〕7号,czj,0401,通知,a20-08,2024-03-01,2024-03-05,,,收费;目录,公布收费目录。,"第一段。\n第二段。"', '示范新区2024年部门预算公开说明,,czj,0401,其他,a20-07,2024-02-01,2024-02-03,,,预算,,预算说明正文'];

  async function post(name: string, buf: Buffer, dryRun: boolean) {
    const { cookie } = await login(env.app, 'dzb-admin');
    const page = await env.app.inject({ method: 'GET', url: '/admin/catalog/import', headers: { cookie } });
    // The token travels as the form's first field, never in the URL.
    const m = multipart(name, buf, { _csrf: csrfFrom(page.body), ...(dryRun ? { dryRun: '1' } : {}) });
    return env.app.inject({ method: 'POST', url: '/admin/catalog/import', headers: { cookie, 'content-type': m.type }, payload: m.payload });
  }

  it('dry run reports row errors; a file with any error imports nothing', async () => {
    const before = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())!.n);
    // dzb-admin covers 党政办 and its sub-departments only: czj rows are refused, so is a bad topic
    const csv = [header, ...good, '坏行,,dzb,9999,通知,,2024-13-01,,,,,,正文'].join('\r\n');
    const r = await post('catalog.csv', Buffer.from(csv), false);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('未导入任何信息');
    expect(r.body).toMatch(/<td>4<\/td><td>topic<\/td>/);
    expect(r.body).toMatch(/<td>2<\/td><td>department<\/td>/);
    const after = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())!.n);
    expect(after).toBe(before);
  });

  it('imports an XLSX all-or-nothing after a clean dry run', async () => {
    const rows = [header.split(','), ['关于印发《党政办公文处理办法》的通知', '示范新区办发〔2023〕9号', 'dzb', '0206', '通知', 'a20-01', '2023-05-01', '2023-05-04', '', '', '公文处理', '规范公文处理。', '第一条 为规范公文处理……'], ['政务公开办2023年工作总结', '', 'gkb', '0203', '报告', 'a20-15', '2023-12-20', '2023-12-25', '', '', '', '', '总结正文。']];
    const dry = await post('catalog.xlsx', makeXlsx(rows), true);
    expect(dry.statusCode, dry.body.slice(0, 2000)).toBe(200);
    expect(dry.body).toContain('检查无误');
    expect((await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('公文处理办法')}`)).json().total).toBe(0);
    const run = await post('catalog.xlsx', makeXlsx(rows), false);
    expect(run.body).toContain('已导入 2 条信息');
    const found = (await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('公文处理办法')}`)).json();
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ docNo: '示范新区办发〔2023〕9号', writtenAt: '2023-05-01', department: 'dzb' });
    expect(found.items[0].indexNo).toMatch(/^552013579\/2023-\d{5}$/);
  });
});
