// The demo adoption report (demo/report.ts): on a closed consultation with moderated comments it
// groups the similar ones, gives every published comment or group a disposition (all three kinds,
// reasons for 部分采纳 and 未采纳), writes the 总体说明, is submitted by fgj-editor and published by
// fgj-approver; the public report page shows the dispositions with names masked. Not possible
// (null, nothing written) while a comment is pending or the consultation is not closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { demoAdoptionReport, PARTLY_REASONS, REJECTED_REASONS } from '../../src/modules/decisions/demo/report.js';
import { missingDispositions } from '../../src/modules/decisions/service/dispositions.js';
import { demoConsultation } from '../../src/modules/decisions/demo/consultations.js';
import { makeConsultation, type CommentSpec } from './report-util.js';
import { makeDecision } from './consult-util.js';
import { comments } from './comments-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

const COMMENTS: CommentSpec[] = [
  { article: 1, body: '建议将公共自行车免费骑行时间延长到两小时', name: '张伟', email: 'zhangwei@example.test' },
  { article: 1, body: '建议把公共自行车的免费骑行时间延长到两个小时', name: '李娜', phone: '13912345678' },
  { article: 1, body: '建议公共自行车免费骑行时间延长到两小时。', name: '欧阳明' },
  { article: 2, body: '新增站点应当优先考虑地铁站和公交枢纽周边', name: '王芳' },
  { article: 0, body: '适用范围应当包括电动助力车', name: '赵磊' },
  { article: null, body: '总体赞成本方案，希望尽快实施', name: '' },
  { article: 2, body: '站点选址前应当征求周边居民意见', name: '孙丽' },
  { article: 0, body: '这是一条与方案无关的广告', name: '钱七', status: 'hidden', hideReason: 'off_topic' },
];

const rowsOf = (cid: number) =>
  env.p.db
    .selectFrom('dec_comments')
    .leftJoin('dec_comment_groups', 'dec_comment_groups.id', 'dec_comments.group_id')
    .select(['dec_comments.id', 'dec_comments.status', 'dec_comments.group_id', 'dec_comments.disposition', 'dec_comments.disposition_reason', 'dec_comment_groups.disposition as gd', 'dec_comment_groups.disposition_reason as gr'])
    .where('dec_comments.consultation_id', '=', cid)
    .orderBy('dec_comments.id')
    .execute();

describe('demoAdoptionReport', () => {
  it('groups, disposes of every published comment with varied dispositions and reasons, and publishes as the editor and the approver', async () => {
    const m = await makeConsultation(env.p, { comments: COMMENTS });
    expect(await demoAdoptionReport(env.p, m.cid)).toEqual({ published: true });

    const c = await env.p.db.selectFrom('dec_consultations').selectAll().where('id', '=', m.cid).executeTakeFirstOrThrow();
    expect(c.report_state).toBe('published');
    expect(c.report_item_id).toBeGreaterThan(0);
    expect(c.report_summary).toContain('共收到意见8条');
    expect(c.report_summary).toContain('经审核公开7条');
    expect(await missingDispositions(env.p.db, m.cid)).toEqual({ undisposed: 0, pending: 0 });

    // The three similar comments on article 2 (index 1) are one group.
    const rows = await rowsOf(m.cid);
    const grouped = rows.filter((r) => r.group_id !== null);
    expect(grouped.map((r) => r.id)).toEqual(m.comments.slice(0, 3));
    expect(new Set(grouped.map((r) => r.group_id)).size).toBe(1);

    const effective = rows.filter((r) => r.status === 'published').map((r) => (r.group_id !== null ? { d: r.gd, reason: r.gr } : { d: r.disposition, reason: r.disposition_reason }));
    expect(new Set(effective.map((e) => e.d))).toEqual(new Set(['adopted', 'partly', 'rejected']));
    for (const e of effective) {
      if (e.d === 'partly') expect(PARTLY_REASONS as readonly string[]).toContain(e.reason);
      if (e.d === 'rejected') expect(REJECTED_REASONS as readonly string[]).toContain(e.reason);
    }
    // A comment that only supports the draft is adopted with thanks.
    expect(rows.find((r) => r.id === m.comments[5])).toMatchObject({ disposition: 'adopted', disposition_reason: '感谢对本项决策的支持，将在实施中认真落实。' });
    // The hidden comment gets none.
    expect(rows.find((r) => r.id === m.comments[7])).toMatchObject({ disposition: '', group_id: null });

    // Submitted by fgj-editor, published by fgj-approver (the audit chain says who).
    const audit = await env.p.db.selectFrom('audit_events').select(['actor', 'action']).where('entity', '=', 'dec_adoption_report').where('entity_id', '=', String(m.cid)).where('action', 'in', ['adoption-report.submit', 'adoption-report.publish']).orderBy('seq').execute();
    expect(audit).toEqual([
      { actor: 'user:fgj-editor', action: 'adoption-report.submit' },
      { actor: 'user:fgj-approver', action: 'adoption-report.publish' },
    ]);

    // The public page: dispositions, reasons, masked names, the summary; no full name or contact.
    const page = await env.app.inject({ url: `/decisions/consultations/${m.cid}/report`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    const reasons = effective.filter((e) => e.d !== 'adopted').map((e) => e.reason);
    for (const words of ['部分采纳', '未采纳', '张*', '欧阳*', '王*', '共收到意见8条', '相似意见（3条）', ...reasons]) expect(page.body).toContain(words);
    for (const secret of ['张伟', '李娜', '欧阳明', '王芳', '孙丽', '这是一条与方案无关的广告', 'zhangwei@example.test', '13912345678']) expect(page.body).not.toContain(secret);

    // Run again: nothing changes.
    expect(await demoAdoptionReport(env.p, m.cid)).toEqual({ published: true });
    expect(await rowsOf(m.cid)).toEqual(rows);
  });

  it('the same comments get the same dispositions (deterministic for a consultation)', async () => {
    const a = await makeConsultation(env.p, { comments: COMMENTS });
    await demoAdoptionReport(env.p, a.cid);
    const first = (await rowsOf(a.cid)).map(({ id, group_id, ...x }) => x);
    // The same consultation id again: a fresh copy after deleting the first.
    await env.p.tx(async (t) => {
      await t.updateTable('dec_comments').set({ group_id: null, disposition: '', disposition_reason: '' }).where('consultation_id', '=', a.cid).execute();
      await t.deleteFrom('dec_comment_groups').where('consultation_id', '=', a.cid).execute();
      await t.updateTable('dec_consultations').set({ report_state: 'none', report_item_id: null, report_summary: '', report_by: null }).where('id', '=', a.cid).execute();
    });
    await demoAdoptionReport(env.p, a.cid);
    expect((await rowsOf(a.cid)).map(({ id, group_id, ...x }) => x)).toEqual(first);
  });

  it('returns null and writes nothing while a comment is pending or the consultation is not closed', async () => {
    const pending = await makeConsultation(env.p, { comments: [...COMMENTS.slice(0, 3), { article: 2, body: '尚未审核的意见', name: '周八', status: 'pending' }] });
    expect(await demoAdoptionReport(env.p, pending.cid)).toBeNull();
    const open = await makeConsultation(env.p, { state: 'open', comments: COMMENTS.slice(0, 3) });
    expect(await demoAdoptionReport(env.p, open.cid)).toBeNull();
    for (const cid of [pending.cid, open.cid]) {
      expect((await env.p.db.selectFrom('dec_consultations').select('report_state').where('id', '=', cid).executeTakeFirstOrThrow()).report_state).toBe('none');
      expect(await env.p.db.selectFrom('dec_comment_groups').select('id').where('consultation_id', '=', cid).execute()).toEqual([]);
      expect((await rowsOf(cid)).every((r) => r.disposition === '')).toBe(true);
      expect((await env.app.inject({ url: `/decisions/consultations/${cid}/report` })).statusCode).toBe(404);
    }
    expect(await demoAdoptionReport(env.p, 99_999_999)).toBeNull();
  });

  it('publishes a report without comments, saying none were received', async () => {
    const none = await makeConsultation(env.p);
    expect(await demoAdoptionReport(env.p, none.cid)).toEqual({ published: true });
    const page = await env.app.inject({ url: `/decisions/consultations/${none.cid}/report`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.body).toContain('征求意见期间未收到意见');
    expect(page.body).not.toContain('逐条进行了研究');
  });
});

describe('demoAdoptionReport on a demo consultation', () => {
  it('publishes the report of a consultation the consultations demo closed, with comments on its articles', async () => {
    const d = await makeDecision(env);
    const { id: cid } = await demoConsultation(env.p, d.id, { state: 'closed', seed: 7 });
    const articles = (await env.p.db.selectFrom('dec_articles').select('id').where('consultation_id', '=', cid).orderBy('seq').execute()).map((a) => a.id);
    expect(articles.length).toBeGreaterThanOrEqual(5);
    await comments(env, cid, [
      { articleId: articles[3], name: '高建军', phone: '13812340001', body: '建议明确主管部门的具体职责分工，避免多头管理。' },
      { articleId: articles[3], name: '冯晓梅', body: '建议明确主管部门的具体职责分工，避免出现多头管理。' },
      { articleId: articles[4], name: '曹磊', body: '本条规定的期限过短，建议适当延长。' },
      { articleId: null, name: '', body: '支持出台本办法。' },
      { articleId: articles[1], name: '邓某', body: '含有他人手机号的意见', status: 'hidden', hideReason: 'personal_data' },
    ]);
    expect(await demoAdoptionReport(env.p, cid)).toEqual({ published: true });
    expect(await env.p.db.selectFrom('dec_comment_groups').select('id').where('consultation_id', '=', cid).execute()).toHaveLength(1);
    const page = await env.app.inject({ url: `/decisions/consultations/${cid}/report`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    for (const words of ['高*', '冯*', '曹*', '匿名', '感谢对本项决策的支持', '共收到意见5条']) expect(page.body).toContain(words);
    for (const secret of ['高建军', '冯晓梅', '13812340001', '含有他人手机号的意见']) expect(page.body).not.toContain(secret);
  });
});
