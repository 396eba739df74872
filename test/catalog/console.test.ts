// The staff console: editor validation, preview as the public sees it, diff, bulk import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { makeXlsx } from '../../src/modules/catalog/demo/samples.js';
import { draft, publish, step } from './helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  // czj: a department beyond dzb-admin's reach; gkb: 党政办's sub-department, within it
  await demoOrg(env.p, { users: [...DZB_WORKFLOW, 'dzb-admin'], departments: ['czj', 'gkb'] });
}, 120_000);
afterAll(() => env?.close());

/** The page without the words only screen readers hear. */
const shown = (html: string) => html.replace(/<span class="visually-hidden">[^<]*<\/span>/g, '');

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
    // the paragraph edited in place shows its changed words; the unchanged one stays as it is
    expect(shown(d.body)).toContain('<p class="diff-change">第一段<del>原文</del><ins>修改后</ins>。</p>');
    expect(d.body).toContain('<p>第二段不变。</p>');
    // screen readers hear what was deleted and added
    expect(d.body).toContain('<span class="visually-hidden">[删除：</span>');
  });
});

describe('review', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  const post = (cookie: string, url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(data) });
  const get = (cookie: string, url: string) => env.app.inject({ method: 'GET', url, headers: { cookie } });

  it('reviewers land on what waits for them; everyone sees the tab counts', async () => {
    const id = await draft(env);
    expect((await step(env, id, 'dzb-editor', 'submit')).statusCode).toBe(200);
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const waiting = Number((await env.p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'secrecy_review').where('department_id', '=', dzb.id).executeTakeFirstOrThrow()).n);
    const reviewer = (await login(env.app, 'dzb-reviewer')).cookie;
    const landing = await get(reviewer, '/admin/catalog');
    expect(landing.body).toContain(`<a href="/admin/catalog?tab=waiting" aria-current="page">待我处理（${waiting}）</a>`);
    expect(landing.body).toContain(`href="/admin/catalog/${id}"`);
    // nothing waits for the signer yet: they land on the waiting list all the same (they write nothing)
    const approver = await get((await login(env.app, 'dzb-approver')).cookie, '/admin/catalog');
    expect(approver.body).toMatch(/aria-current="page">待我处理（\d+）</);
    // the editor has nothing to review: their drafts
    const editor = await get((await login(env.app, 'dzb-editor')).cookie, '/admin/catalog');
    expect(editor.body).toMatch(/aria-current="page">我的草稿（\d+）</);
    expect(editor.body).toContain('待我处理（0）');
    // a tab asked for is the tab shown
    expect((await get(reviewer, '/admin/catalog?tab=published')).body).toMatch(/aria-current="page">已发布（\d+）</);
  });

  it('shows the full version and its changes from the online version; approval and rejection take an opinion shown in the history', async () => {
    const id = await publish(env, { body: '<p>第一段原文。</p><p>第二段不变。</p>' });
    expect((await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { docNo: '示范新区发〔2026〕9号', body: '<p>第一段修改后的内容。</p><p>第二段不变。</p><p>新增的第三段。</p>', changeNote: '补充第三段' } })).statusCode).toBe(200);
    const editor = (await login(env.app, 'dzb-editor')).cookie;
    const csrf = csrfFrom((await get(editor, `/admin/catalog/${id}`)).body);
    const m = multipart('附件一 报名表.png', PNG);
    const up = await env.app.inject({ method: 'POST', url: `/admin/catalog/${id}/attachments?_csrf=${csrf}`, headers: { cookie: editor, 'content-type': m.type }, payload: m.payload });
    expect(up.statusCode, up.body).toBe(303);
    expect((await step(env, id, 'dzb-editor', 'submit')).statusCode).toBe(200);

    const reviewer = (await login(env.app, 'dzb-reviewer')).cookie;
    let page = await get(reviewer, `/admin/catalog/${id}`);
    expect(page.body).toContain('此信息正等待您保密审查');
    // the body and the attachments of the version under review
    expect(page.body).toMatch(/<section aria-labelledby="body-h" class="review-body">.*新增的第三段。/s);
    const href = new RegExp(`href="(/admin/catalog/${id}/files/[0-9a-f]{64})"[^>]*>附件一 报名表\\.png<`).exec(page.body)?.[1];
    expect(href).toBeTruthy();
    const file = await get(reviewer, href!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    // the draft's file is not public, and only the item's own files are served
    expect((await env.app.inject({ method: 'GET', url: href!.replace('/admin/catalog/', '/catalog/items/') })).statusCode).toBe(404);
    expect((await get(reviewer, `/admin/catalog/${id}/files/${'0'.repeat(64)}`)).statusCode).toBe(404);
    // the changes from the online version 1: fields and body
    expect(page.body).toContain('与在线版本（v1）相比的修改');
    expect(page.body).toMatch(/<th scope="row">文号<\/th><td><del>示范新区发〔2026〕3号<\/del><\/td><td><ins>示范新区发〔2026〕9号<\/ins><\/td>/);
    expect(page.body).toMatch(/<th scope="row">附件<\/th><td>—<\/td><td><ins>附件一 报名表\.png/);
    expect(shown(page.body)).toContain('<p class="diff-add"><ins>新增的第三段。</ins></p>');
    expect(shown(page.body)).toContain('<p class="diff-change">第一段<del>原文</del><ins>修改后的内容</ins>。</p>');

    // approve with an opinion (escaped when shown)
    const opinion = '<b>不涉密</b>，同意公开。';
    let r = await post(reviewer, `/admin/catalog/${id}/transition`, { _csrf: csrfFrom(page.body), action: 'approve', reason: opinion });
    expect(r.statusCode).toBe(303);
    page = await get(reviewer, String(r.headers.location));
    expect(page.body).toContain('&lt;b>不涉密&lt;/b>，同意公开。');
    expect(page.body).not.toContain('<b>不涉密</b>');
    const at = (await env.p.db.selectFrom('pub_reviews').select('at').where('item_id', '=', id).where('action', '=', 'approve').orderBy('id', 'desc').executeTakeFirstOrThrow()).at;
    const beijing = new Date(Date.parse(at) + 8 * 3600_000).toISOString();
    expect(page.body).toMatch(new RegExp(`<time datetime="${at}">${beijing.slice(0, 10)} ${beijing.slice(11, 16)}</time></td><td>v2</td><td>保密审查通过</td><td>党政办保密审查员<span class="role">（审核员）</span></td><td class="opinion">&lt;b>不涉密`));

    // rejecting needs an opinion, of at most 1000 characters; neither refusal changes anything
    const reviewer2 = (await login(env.app, 'dzb-reviewer2')).cookie;
    page = await get(reviewer2, `/admin/catalog/${id}`);
    expect(page.body).toContain('id="f-opinion-reject"');
    r = await post(reviewer2, `/admin/catalog/${id}/transition`, { _csrf: csrfFrom(page.body), action: 'reject', reason: '  ' });
    expect(String(r.headers.location)).toContain('error=err.pub.reason_required');
    r = await post(reviewer2, `/admin/catalog/${id}/transition`, { _csrf: csrfFrom(page.body), action: 'reject', reason: '长'.repeat(1001) });
    expect(String(r.headers.location)).toContain('error=err.field.too_long');
    expect((await get(reviewer2, String(r.headers.location))).body).toContain('内容过长');
    expect((await env.p.db.selectFrom('pub_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('review');
    r = await post(reviewer2, `/admin/catalog/${id}/transition`, { _csrf: csrfFrom(page.body), action: 'reject', reason: '第三段表述不准确，请修改。' });
    expect(String(r.headers.location)).toContain('done=draft');
    // the editor reads why in the history
    page = await get(editor, `/admin/catalog/${id}`);
    expect(page.body).toMatch(/<td>审核退回<\/td><td>党政办审核员<span class="role">（审核员）<\/span><\/td><td class="opinion">第三段表述不准确，请修改。<\/td>/);
    expect(page.body).toMatch(/<td>提交审查<\/td><td>党政办编辑<span class="role">（编辑）<\/span><\/td>/);
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
