// The console of the adoption report: the editor groups a suggestion, records dispositions (a
// missing reason shown on the page), submits; the approver publishes with a confirmation; other
// departments' staff do not see the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { makeConsultation, type Made } from './report-util.js';

let env: TestEnv;
let m: Made;
beforeAll(async () => {
  env = await makeEnv();
  m = await makeConsultation(env.p, {
    comments: [
      { article: 0, body: '建议明确公共自行车的适用范围包括电动助力车', name: '孙七' },
      { article: 0, body: '建议明确公共自行车适用范围包括电动助力自行车', name: '周八' },
      { article: 2, body: '站点规划应当征求社区意见', name: '' },
    ],
  });
}, 120_000);
afterAll(async () => env?.close());

async function session(user: string) {
  const s = await login(env.app, user);
  const page = await env.app.inject({ url: `/admin/consultations/${m.cid}/report`, headers: { cookie: s.cookie } });
  return { cookie: s.cookie, page, csrf: csrfFrom(page.body) };
}
const post = (cookie: string, url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(data) });

describe('the report console', () => {
  it('the editor groups, disposes and submits; the approver publishes after confirming', async () => {
    const ed = await session('fgj-editor');
    expect(ed.page.statusCode).toBe(200);
    expect(ed.page.body).toContain('相似意见分组建议');
    expect(ed.page.body).toContain(`value="${m.comments[0]},${m.comments[1]}"`);
    const base = `/admin/consultations/${m.cid}/report`;
    const g = await post(ed.cookie, `${base}/groups`, { _csrf: ed.csrf, label: '明确适用范围', commentIds: `${m.comments[0]},${m.comments[1]}` });
    expect(g.statusCode).toBe(303);
    const gid = (await env.p.db.selectFrom('dec_comment_groups').select('id').where('consultation_id', '=', m.cid).executeTakeFirstOrThrow()).id;
    // A rejection without a reason: the page again, saying why, nothing saved.
    const bad = await post(ed.cookie, `${base}/disposition`, { _csrf: ed.csrf, groupId: String(gid), disposition: 'rejected', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('须说明理由');
    expect((await post(ed.cookie, `${base}/disposition`, { _csrf: ed.csrf, groupId: String(gid), disposition: 'rejected', reason: '电动助力车另行规定' })).statusCode).toBe(303);
    expect((await post(ed.cookie, `${base}/disposition`, { _csrf: ed.csrf, commentId: String(m.comments[2]), disposition: 'adopted', reason: '' })).statusCode).toBe(303);
    expect((await post(ed.cookie, `${base}/disposition`, { _csrf: ed.csrf, commentId: 'x<script>', disposition: 'adopted' })).statusCode).toBe(400);
    const sub = await post(ed.cookie, `${base}/summary`, { _csrf: ed.csrf, summary: '共收到意见3条。', action: 'submit' });
    expect(sub.statusCode).toBe(303);
    const after = await env.app.inject({ url: `${base}?done=submitted`, headers: { cookie: ed.cookie } });
    expect(after.body).toContain('已提交审核');
    expect(after.body).not.toContain('name="confirm"');

    const ap = await session('fgj-approver');
    expect(ap.page.body).toContain('name="confirm"');
    const noConfirm = await post(ap.cookie, `${base}/publish`, { _csrf: ap.csrf });
    expect(noConfirm.statusCode).toBe(400);
    expect((await env.p.db.selectFrom('dec_consultations').select('report_state').where('id', '=', m.cid).executeTakeFirstOrThrow()).report_state).toBe('submitted');
    expect((await post(ap.cookie, `${base}/publish`, { _csrf: ap.csrf, confirm: 'yes' })).statusCode).toBe(303);
    expect((await env.p.db.selectFrom('dec_consultations').select('report_state').where('id', '=', m.cid).executeTakeFirstOrThrow()).report_state).toBe('published');
    const pub = await env.app.inject({ url: `/decisions/consultations/${m.cid}/report` });
    expect(pub.body).toContain('电动助力车另行规定');
    expect(pub.body).toContain('孙*');
    expect(pub.body).not.toContain('孙七');
  });

  it('staff of another department get 404; a reviewer reads without forms', async () => {
    const other = await login(env.app, 'scjg-editor');
    expect((await env.app.inject({ url: `/admin/consultations/${m.cid}/report`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    const rev = await session('fgj-reviewer');
    expect(rev.page.statusCode).toBe(200);
    expect(rev.page.body).not.toContain('/report/disposition');
    expect((await env.app.inject({ url: '/admin/consultations/abc/report', headers: { cookie: rev.cookie } })).statusCode).toBe(404);
  });
});
