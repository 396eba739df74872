// The comment moderation console (/admin/consultations/{cid}/comments): a citizen's new comment is
// in the pending list with its contact; publishing it puts it on the public article page (name
// masked) and comes back to the same filter with a notice; hiding without a reason or with a reason
// not on the list is refused naming the field, nothing changed; a hidden comment can be published
// again; another department's editor gets 404 for the page and the form; the CSV export has the rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { comments, consultation, fresh, STAFF, type Made } from './comments-util.js';

let env: TestEnv;
let m: Made;
let ed: { cookie: string; csrf: string };
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
  m = await consultation(env, { articles: 4 });
  const s = await login(env.app, 'fgj-editor');
  const pg = await env.app.inject({ url: `/admin/consultations/${m.id}/comments`, headers: { cookie: s.cookie } });
  ed = { cookie: s.cookie, csrf: csrfFrom(pg.body) };
}, 120_000);
afterAll(async () => env?.close());

const BODY = '建议第三条增加对<老年人>的便利措施，例如设置休息座椅。';
const get = (url: string, cookie = ed.cookie) => env.app.inject({ url, headers: { cookie } });
const post = (url: string, data: Record<string, string>, cookie = ed.cookie) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(data) });
const status = async (id: number) => (await env.p.db.selectFrom('dec_comments').select(['status', 'hide_reason']).where('id', '=', id).executeTakeFirstOrThrow());

describe('the moderation console', () => {
  let id: number;
  it('a new comment is in the pending list with name, contact, article and escaped text', async () => {
    const r = await env.app.inject({ method: 'POST', url: `/api/v1/consultations/${m.id}/comments`, remoteAddress: fresh(), payload: { articleId: m.articles[2], name: '王小明', phone: '13912345678', body: BODY } });
    expect(r.statusCode).toBe(201);
    id = r.json().id;
    const page = await get(`/admin/consultations/${m.id}/comments?status=pending`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`id="comment-${id}"`);
    expect(page.body).toContain('王小明');
    expect(page.body).toContain('13912345678');
    expect(page.body).toContain('第三条');
    expect(page.body).toContain('待审核');
    expect(page.body).toContain('&lt;老年人');
    expect(page.body).not.toContain('<老年人');
    // The public page does not show it yet.
    expect((await env.app.inject({ url: `/decisions/consultations/${m.id}/articles/${m.articles[2]}` })).body).not.toContain('休息座椅');
    // An empty filter: the empty state.
    const none = await get(`/admin/consultations/${m.id}/comments?status=hidden`);
    expect(none.body).toContain('没有符合条件的意见');
  });

  it('hiding without a reason or with one not on the list is refused naming the field; nothing changes', async () => {
    for (const reason of ['', 'boring']) {
      const r = await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { _csrf: ed.csrf, action: 'hide', reason, f_status: 'pending' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain(`意见${id}号的不予公开理由：请选择不予公开的理由`);
      expect(r.body).toContain(`id="reason-${id}-err"`);
      expect(await status(id)).toEqual({ status: 'pending', hide_reason: '' });
    }
    const noCsrf = await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { action: 'publish' });
    expect(noCsrf.statusCode).toBe(403);
    expect((await status(id)).status).toBe('pending');
  });

  it('publish: back to the same filter with a notice, and the comment on the public article page, name masked', async () => {
    const r = await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { _csrf: ed.csrf, action: 'publish', f_status: 'pending', f_article: String(m.articles[2]), f_page: '1' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toContain(`status=pending`);
    expect(r.headers.location).toContain(`article=${m.articles[2]}`);
    expect(r.headers.location).toContain('done=published');
    const back = await get(String(r.headers.location).replace(/#.*/, ''));
    expect(back.body).toContain('该意见已公开');
    // Who moderated: a person's name, never the raw actor reference.
    const all = await get(`/admin/consultations/${m.id}/comments`);
    expect(all.body).toContain('审核情况');
    expect(all.body).not.toContain('user:fgj-editor');
    const pub = await env.app.inject({ url: `/decisions/consultations/${m.id}/articles/${m.articles[2]}` });
    expect(pub.body).toContain('休息座椅');
    expect(pub.body).toContain('王*');
    expect(pub.body).not.toContain('王小明');
    expect(pub.body).not.toContain('13912345678');
  });

  it('hide with a reason, then publish again', async () => {
    const r = await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { _csrf: ed.csrf, action: 'hide', reason: 'duplicate' });
    expect(r.statusCode).toBe(303);
    expect(await status(id)).toEqual({ status: 'hidden', hide_reason: 'duplicate' });
    expect((await env.app.inject({ url: `/decisions/consultations/${m.id}/articles/${m.articles[2]}` })).body).not.toContain('休息座椅');
    const page = await get(`/admin/consultations/${m.id}/comments?status=hidden`);
    expect(page.body).toContain('重复提交');
    expect(page.body).toContain('恢复公开');
    expect((await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { _csrf: ed.csrf, action: 'publish' })).statusCode).toBe(303);
    expect((await status(id)).status).toBe('published');
  });

  it('pagination keeps the filter; the article filter narrows the list', async () => {
    const ids = await comments(env, m.id, Array.from({ length: 25 }, (_, i) => ({ articleId: m.articles[0], status: 'pending' as const, body: `第一条的意见第${i + 1}号，内容足够长。` })));
    const p1 = await get(`/admin/consultations/${m.id}/comments?status=pending`);
    expect(p1.body).toContain(`id="comment-${ids[24]}"`);
    expect(p1.body).not.toContain(`id="comment-${ids[0]}"`);
    expect(p1.body).toContain('status=pending&amp;page=2');
    const p2 = await get(`/admin/consultations/${m.id}/comments?status=pending&page=2`);
    expect(p2.body).toContain(`id="comment-${ids[0]}"`);
    const a3 = await get(`/admin/consultations/${m.id}/comments?article=${m.articles[2]}`);
    expect(a3.body).toContain(`id="comment-${id}"`);
    expect(a3.body).not.toContain(`id="comment-${ids[0]}"`);
  });

  it("another department's editor gets 404 for the page, the form and the export", async () => {
    const other = await login(env.app, 'scjg-editor');
    expect((await get(`/admin/consultations/${m.id}/comments`, other.cookie)).statusCode).toBe(404);
    const own = await get('/admin', other.cookie);
    const r = await post(`/admin/consultations/${m.id}/comments/${id}/moderation`, { _csrf: csrfFrom(own.body), action: 'hide', reason: 'abuse' }, other.cookie);
    expect(r.statusCode).toBe(404);
    expect((await status(id)).status).toBe('published');
    expect((await get(`/admin/consultations/${m.id}/comments/export?format=csv`, other.cookie)).statusCode).toBe(404);
    // A comment of another consultation under this one's URL: 404.
    const m2 = await consultation(env, { articles: 1 });
    const [x] = await comments(env, m2.id, [{ status: 'pending' }]);
    expect((await post(`/admin/consultations/${m.id}/comments/${x}/moderation`, { _csrf: ed.csrf, action: 'publish' })).statusCode).toBe(404);
    expect((await status(x)).status).toBe('pending');
  });

  it('the page shows no raw codes: no actor references, dotted codes or ASCII colons after Chinese', async () => {
    await comments(env, m.id, [{ status: 'hidden', hideReason: 'personal_data', name: '赵六', email: 'zl@example.com' }]);
    const page = await get(`/admin/consultations/${m.id}/comments`);
    const text = page.body
      .replace(/<(script|style|textarea)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ');
    expect(text).toContain('含有个人信息');
    expect(text).not.toMatch(/(?<![\w/])[a-z][a-z0-9-]*[:：][a-z][a-z0-9-]*(?![\w/])/);
    expect(text).not.toMatch(/(?<![\w./-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9-]*)+(?![\w/])/);
    expect(text).not.toMatch(/[\u4e00-\u9fff）]\s?:(?!\/)/);
    // In English too, every text has its label (no message key shown).
    const en = await env.app.inject({ url: `/admin/consultations/${m.id}/comments?status=hidden`, headers: { cookie: `${ed.cookie}; gk_lang=en`, 'accept-language': 'en' } });
    expect(en.body).toContain('Comment moderation');
    expect(en.body).toContain('Contains personal data');
    expect(en.body).not.toMatch(/decisions\.(moderation|comments)\./);
  });

  it('the CSV export has every row with contacts and labels', async () => {
    const r = await get(`/admin/consultations/${m.id}/comments/export?format=csv`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const lines = r.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines.length).toBe(1 + 27);
    const mine = lines.find((l) => l.startsWith(`${id},`))!;
    expect(mine).toContain('王小明');
    expect(mine).toContain('13912345678');
    expect(mine).toContain('已公开');
    const x = await get(`/admin/consultations/${m.id}/comments/export?format=xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
