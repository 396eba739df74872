// The public comment pages: published comments per article and on the whole draft, newest first,
// paginated; names masked, phones and e-mails never in the HTML, HTML in a comment escaped;
// pending and hidden comments absent; the counts; the form (no JavaScript, CSRF) with its errors
// and the "send code" step; a closed consultation shows no form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { publicForm } from '../appeals/util.js';
import { comments, consultation, fresh, STAFF } from './comments-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
}, 120_000);
afterAll(async () => env?.close());

const get = (url: string) => env.app.inject({ method: 'GET', url });

describe('the published comments of an article', () => {
  it('masks names, never shows contacts, escapes HTML, leaves out pending and hidden ones, counts them', async () => {
    const c = await consultation(env);
    const a = c.articles[0];
    await comments(env, c.id, [
      { articleId: a, name: '欧阳明华', email: 'ouyang@example.cn', phone: '13812345678', body: '<script>alert(1)</script><b>加粗</b>建议修改' },
      { articleId: a, name: '张伟', body: '我的电话是13987654321，请联系我。' },
      { articleId: a, name: '李待审', body: '待审核的意见不应出现', status: 'pending' },
      { articleId: a, name: '王隐藏', body: '被隐藏的意见不应出现', status: 'hidden', hideReason: 'abuse' },
      { articleId: c.articles[1], name: '赵别条', body: '另一条的意见不应出现在此页' },
    ]);
    const r = await get(`/decisions/consultations/${c.id}/articles/${a}`);
    expect(r.statusCode, r.body).toBe(200);
    const html = r.body;
    expect(html).toContain('欧阳**');
    expect(html).not.toContain('欧阳明华');
    expect(html).toContain('张*');
    expect(html).not.toContain('张伟');
    expect(html).not.toContain('ouyang@example.cn');
    expect(html).not.toContain('13812345678');
    expect(html).not.toContain('13987654321'); // a phone in the text is masked too
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>&lt;b>加粗&lt;/b>建议修改');
    expect(html).not.toContain('待审核的意见不应出现');
    expect(html).not.toContain('被隐藏的意见不应出现');
    expect(html).not.toContain('另一条的意见不应出现在此页');
    expect(html).toContain('共收到意见5条，已公开3条，待审核1条，不予公开1条。');
    expect(html).toContain('含有辱骂、攻击等不当内容 1');
    expect(html).toContain(`/decisions/consultations/${c.id}/comment?article=${a}`);
    // Newest first.
    expect(html.indexOf('张*')).toBeLessThan(html.indexOf('欧阳**'));
  });

  it('paginates 20 a page; the general page holds comments on the whole draft only; an empty state', async () => {
    const c = await consultation(env);
    await comments(env, c.id, Array.from({ length: 25 }, (_, i) => ({ body: `总体意见第${String(i).padStart(2, '0')}号` })));
    await comments(env, c.id, [{ articleId: c.articles[0], body: '条款意见不在总体页' }]);
    const p1 = await get(`/decisions/consultations/${c.id}/general`);
    expect(p1.statusCode).toBe(200);
    expect(p1.body).toContain('总体意见第24号');
    expect(p1.body).not.toContain('总体意见第04号');
    expect(p1.body).not.toContain('条款意见不在总体页');
    expect(p1.body).toContain(`/decisions/consultations/${c.id}/general?page=2`);
    const p2 = await get(`/decisions/consultations/${c.id}/general?page=2`);
    expect(p2.body).toContain('总体意见第04号');
    expect(p2.body).toContain('总体意见第00号');
    expect(p2.body).not.toContain('总体意见第05号');
    const empty = await get(`/decisions/consultations/${c.id}/articles/${c.articles[2]}`);
    expect(empty.body).toContain('暂无已公开的意见。');
  });

  it('404 for a draft consultation, an article of another consultation, and nonsense ids', async () => {
    const c = await consultation(env);
    const other = await consultation(env);
    const draft = await consultation(env, { state: 'draft' });
    expect((await get(`/decisions/consultations/${draft.id}/general`)).statusCode).toBe(404);
    expect((await get(`/decisions/consultations/${c.id}/articles/${other.articles[0]}`)).statusCode).toBe(404);
    expect((await get(`/decisions/consultations/abc/general`)).statusCode).toBe(404);
    expect((await get(`/decisions/consultations/${c.id}/articles/99999999999999`)).statusCode).toBe(404);
    expect((await get(`/decisions/consultations/${c.id}/general?page=abc`)).statusCode).toBe(200);
    expect((await get(`/decisions/consultations/${draft.id}/comment`)).statusCode).toBe(404);
  });
});

describe('the comment form', () => {
  it('takes a comment without JavaScript (CSRF token), shows field errors with the values kept, refuses without the token', async () => {
    const c = await consultation(env);
    const url = `/decisions/consultations/${c.id}/comment?article=${c.articles[1]}`;
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script');
    expect(page.body).toContain(`<option value="${c.articles[1]}" selected`);
    const { cookie, csrf } = await publicForm(env.app, url);
    const send = (data: Record<string, string>, path = 'comment') =>
      env.app.inject({ method: 'POST', url: `/decisions/consultations/${c.id}/${path}`, remoteAddress: fresh(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, ...data }) });
    const bad = await send({ article: String(c.articles[1]), body: '短', name: '周<b>', phone: '123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('意见内容至少5个字。');
    expect(bad.body).toContain('请填写有效的手机号码（11位）。');
    expect(bad.body).toContain('value="周&lt;b>"');
    const ok = await send({ article: String(c.articles[1]), body: '建议第二条增加听取社区意见的程序。', name: '周强' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).toContain('意见已提交');
    const row = await env.p.db.selectFrom('dec_comments').selectAll().where('consultation_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ article_id: c.articles[1], name: '周强', status: 'pending' });
    const general = await send({ article: '', body: '对草案整体表示支持。' });
    expect(general.statusCode).toBe(201);
    const foreign = await send({ article: '99999999', body: '对草案整体表示支持。' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('所选条款不属于本次征求意见的草案。');
    // No CSRF token: refused, nothing stored.
    const noToken = await env.app.inject({ method: 'POST', url: `/decisions/consultations/${c.id}/comment`, remoteAddress: fresh(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ body: '没有令牌的提交内容' }) });
    expect(noToken.statusCode).toBe(403);
    expect(await env.p.db.selectFrom('dec_comments').select('id').where('consultation_id', '=', c.id).execute()).toHaveLength(2);

    // "Send code" brings the form back with the values and a notice; the code then verifies.
    const code = await send({ article: '', body: '需要验证联系方式的意见。', phone: '13622223333' }, 'comment/code');
    expect(code.statusCode).toBe(200);
    expect(code.body).toContain('验证码已通过短信发送');
    expect(code.body).toContain('需要验证联系方式的意见。');
  });

  it('a closed consultation shows the closing time and no form; posting is refused 409', async () => {
    const c = await consultation(env, { opensAt: '2026-01-01T00:00:00.000Z', closesAt: '2026-02-01T04:30:00.000Z', state: 'closed' });
    const page = await get(`/decisions/consultations/${c.id}/comment`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('本次征求意见已于2026-02-01 12:30:00（北京时间）截止。');
    expect(page.body).not.toContain('name="body"');
    const open = await consultation(env);
    const { cookie, csrf } = await publicForm(env.app, `/decisions/consultations/${open.id}/comment`);
    const r = await env.app.inject({ method: 'POST', url: `/decisions/consultations/${c.id}/comment`, remoteAddress: fresh(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, body: '截止后提交的意见' }) });
    expect(r.statusCode).toBe(409);
  });
});
