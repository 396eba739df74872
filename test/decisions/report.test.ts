// The adoption report (意见采纳情况): dispositions with reasons, groups of similar comments, the
// gate (409 with the count while a comment is pending or has no disposition), submission by an
// editor and publication by another approver through the spine, the commenters told by mail (a
// real SMTP server) and SMS with notified_at set, permissions per department, hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { makeEnv, type TestEnv } from '../helpers.js';
import { sinkMessages } from '../../src/platform/channels/index.js';
import { makeConsultation, type Made } from './report-util.js';

interface Received {
  to: string[];
  data: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let env: TestEnv;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (c) => (data += c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  env = await makeEnv({ env: { GONGKAI_SMTP_URL: `smtp://127.0.0.1:${port}` } });
}, 120_000);
afterAll(async () => {
  await env?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

const COMMENTS = [
  { article: 1, body: '建议将公共自行车免费骑行时间延长到两小时', name: '张伟', email: 'zhangwei@example.test' },
  { article: 1, body: '建议把公共自行车的免费骑行时间延长到两个小时', name: '李娜', phone: '13912345678' },
  { article: 1, body: '建议公共自行车免费骑行时间延长到两小时。', name: '欧阳明', email: 'ouyang@example.test', phone: '13700001111' },
  { article: 2, body: '新增站点应当优先考虑地铁站周边', name: '' },
  { article: null, body: '总体赞成本方案', name: '王芳', email: 'ZhangWei@example.test' },
  { article: 0, body: '垃圾内容', name: '赵六', email: 'hidden@example.test', status: 'hidden' as const, hideReason: 'abuse' },
];

const base = (cid: number) => `/api/v1/staff/consultations/${cid}`;
async function dispose(cid: number, as: string, body: Record<string, unknown>) {
  return env.api('POST', `${base(cid)}/dispositions`, { as, body });
}

describe('dispositions', () => {
  let m: Made;
  beforeAll(async () => {
    m = await makeConsultation(env.p, { comments: COMMENTS });
  });

  it('requires a reason for partly and rejected, not for adopted', async () => {
    for (const d of ['partly', 'rejected']) {
      const r = await dispose(m.cid, 'fgj-editor', { commentId: m.comments[3], disposition: d });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields.reason).toBeTruthy();
      const blank = await dispose(m.cid, 'fgj-editor', { commentId: m.comments[3], disposition: d, reason: '   ' });
      expect(blank.statusCode).toBe(400);
    }
    const ok = await dispose(m.cid, 'fgj-editor', { commentId: m.comments[3], disposition: 'adopted' });
    expect(ok.statusCode).toBe(200);
    const row = await env.p.db.selectFrom('dec_comments').select(['disposition', 'disposition_reason']).where('id', '=', m.comments[3]).executeTakeFirstOrThrow();
    expect(row).toEqual({ disposition: 'adopted', disposition_reason: '' });
    const rej = await dispose(m.cid, 'fgj-editor', { commentId: m.comments[4], disposition: 'rejected', reason: '与本方案调整范围无关' });
    expect(rej.statusCode).toBe(200);
    expect(rej.json().missing).toBe(3);
  });

  it('suggests the similar comments as a group; a group gives its disposition to its comments', async () => {
    const s = await env.api('GET', `${base(m.cid)}/groups`, { as: 'fgj-editor' });
    expect(s.statusCode).toBe(200);
    expect(s.json().suggestions).toEqual([{ articleId: m.articles[1], commentIds: m.comments.slice(0, 3), sample: expect.any(String) }]);
    // A hidden comment cannot be grouped; comments of two articles neither.
    expect((await env.api('POST', `${base(m.cid)}/groups`, { as: 'fgj-editor', body: { label: 'x', commentIds: [m.comments[5]] } })).statusCode).toBe(409);
    expect((await env.api('POST', `${base(m.cid)}/groups`, { as: 'fgj-editor', body: { label: 'x', commentIds: [m.comments[0], m.comments[3]] } })).statusCode).toBe(400);
    const g = await env.api('POST', `${base(m.cid)}/groups`, { as: 'fgj-editor', body: { label: '延长免费骑行时间', commentIds: m.comments.slice(0, 2) } });
    expect(g.statusCode).toBe(201);
    const gid = g.json().id;
    expect((await env.api('PATCH', `${base(m.cid)}/groups/${gid}`, { as: 'fgj-editor', body: { add: [m.comments[2]] } })).statusCode).toBe(204);
    // A grouped comment takes the group's disposition, not its own.
    expect((await dispose(m.cid, 'fgj-editor', { commentId: m.comments[2], disposition: 'adopted' })).statusCode).toBe(409);
    const noReason = await dispose(m.cid, 'fgj-editor', { groupId: gid, disposition: 'partly' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeTruthy();
    const ok = await dispose(m.cid, 'fgj-editor', { groupId: gid, disposition: 'partly', reason: '免费时长延长至一个半小时，兼顾运营成本' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().missing).toBe(0);
    expect(ok.json().report.counts).toMatchObject({ received: 6, published: 5, adopted: 1, partly: 3, rejected: 1, groups: 1, hidden: { abuse: 1 } });
    // Removing a comment from the group leaves it without a disposition.
    expect((await env.api('PATCH', `${base(m.cid)}/groups/${gid}`, { as: 'fgj-editor', body: { remove: [m.comments[2]] } })).statusCode).toBe(204);
    const after = await env.api('GET', `${base(m.cid)}/report`, { as: 'fgj-editor' });
    expect(after.json().missing).toBe(1);
    expect((await dispose(m.cid, 'fgj-editor', { commentId: m.comments[2], disposition: 'adopted' })).statusCode).toBe(200);
  });

  it('gates submission (409 with the count) while a comment lacks a disposition or is pending', async () => {
    const g = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲' }, { article: 0, body: '乙' }, { article: 1, body: '丙' }] });
    const r = await env.api('POST', `${base(g.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '总体说明' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('3');
    await dispose(g.cid, 'fgj-editor', { commentId: g.comments[0], disposition: 'adopted' });
    const r2 = await env.api('POST', `${base(g.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '总体说明' } });
    expect(r2.statusCode).toBe(409);
    expect(r2.json().error.message).toContain('2');
    const pend = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲', status: 'pending' }] });
    const r3 = await env.api('POST', `${base(pend.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '总体说明' } });
    expect(r3.statusCode).toBe(409);
    expect(r3.json().error.message).toContain('1');
    expect(r3.json().error.message).toMatch(/待审核|moderation/);
    // A pending comment gets no disposition either.
    expect((await dispose(pend.cid, 'fgj-editor', { commentId: pend.comments[0], disposition: 'adopted' })).statusCode).toBe(409);
  });

  it('refuses dispositions before the consultation closes', async () => {
    const open = await makeConsultation(env.p, { state: 'open', comments: [{ article: 0, body: '甲' }] });
    const r = await dispose(open.cid, 'fgj-editor', { commentId: open.comments[0], disposition: 'adopted' });
    expect(r.statusCode).toBe(409);
    expect((await env.api('POST', `${base(open.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '说明' } })).statusCode).toBe(409);
  });

  it('submission by the editor, publication by another approver through the spine; everyone with contact data is told once', async () => {
    const noSummary = await env.api('POST', `${base(m.cid)}/report/submit`, { as: 'fgj-editor', body: {} });
    expect(noSummary.statusCode).toBe(400);
    expect(noSummary.json().error.fields.summary).toBeTruthy();
    const sub = await env.api('POST', `${base(m.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '共收到意见6条，经认真研究，对方案作了相应修改。' } });
    expect(sub.statusCode).toBe(200);
    expect(sub.json().reportState).toBe('submitted');
    // Not published yet: the public sees nothing.
    expect((await env.api('GET', `/api/v1/consultations/${m.cid}/report`)).statusCode).toBe(404);
    // The editor holds no major-decision.approve; an approver of another department cannot see it.
    expect((await env.api('POST', `${base(m.cid)}/report/publish`, { as: 'fgj-editor' })).statusCode).toBe(403);
    expect((await env.api('POST', `${base(m.cid)}/report/publish`, { as: 'scjg-approver' })).statusCode).toBe(404);
    const smsBefore = sinkMessages(env.p, 'sms').length;
    const pub = await env.api('POST', `${base(m.cid)}/report/publish`, { as: 'fgj-approver' });
    expect(pub.statusCode).toBe(200);
    // One mail per address (ZhangWei@ and zhangwei@ are one), one SMS per phone; the commenter whose comment was hidden is told too.
    const row = await env.p.db.selectFrom('dec_consultations').select(['report_state', 'report_item_id']).where('id', '=', m.cid).executeTakeFirstOrThrow();
    expect(row.report_state).toBe('published');
    expect(row.report_item_id).toBe(pub.json().itemId);
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'status']).where('id', '=', row.report_item_id!).executeTakeFirstOrThrow();
    expect(item).toEqual({ type: 'decision-adoption-report', status: 'published' });
    const told = await env.p.db.selectFrom('dec_comments').select(['id', 'notified_at']).where('consultation_id', '=', m.cid).orderBy('id').execute();
    const withContact = [0, 1, 2, 4, 5].map((i) => m.comments[i]);
    for (const t of told) expect(t.notified_at !== null).toBe(withContact.includes(t.id));
    await env.drain();
    // (Subscribers of the demo district get their notices of the published report too: not counted here.)
    const toCommenters = received.filter((r) => r.to.every((a) => a.endsWith('@example.test')));
    const mails = toCommenters.flatMap((r) => r.to);
    expect(mails.sort()).toEqual(['hidden@example.test', 'ouyang@example.test', 'zhangwei@example.test']);
    const body = Buffer.from(toCommenters[0].data.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(body).toContain(`/decisions/consultations/${m.cid}/report`);
    expect(body).toContain('公共自行车系统调整方案');
    const sms = sinkMessages(env.p, 'sms').slice(smsBefore).filter((s) => s.text.includes('采纳情况已公布'));
    expect(sms.map((s) => s.to).sort()).toEqual(['13700001111', '13912345678']);
    expect(sms[0].text).toContain('采纳情况已公布');
    expect(pub.json().notified).toBe(5);
    // Published: nothing changes any more, and a second publication is refused.
    expect((await dispose(m.cid, 'fgj-editor', { commentId: m.comments[3], disposition: 'rejected', reason: '改' })).statusCode).toBe(409);
    expect((await env.api('POST', `${base(m.cid)}/report/publish`, { as: 'fgj-approver' })).statusCode).toBe(409);
    // Nor may a comment be hidden under the published report.
    const mod = await env.api('POST', `/api/v1/staff/comments/${m.comments[3]}/moderation`, { as: 'fgj-editor', body: { action: 'hide', reason: 'abuse' } });
    expect(mod.statusCode).toBe(409);
    expect(mod.json().error.message).toContain('意见采纳情况已发布');
  });

  it('the public report: dispositions article by article, names masked, no contacts, hidden ones counted only', async () => {
    const r = await env.api('GET', `/api/v1/consultations/${m.cid}/report`);
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.counts).toMatchObject({ received: 6, published: 5, hidden: { abuse: 1 }, adopted: 2, partly: 2, rejected: 1 });
    const text = JSON.stringify(j);
    for (const secret of ['张伟', '李娜', '欧阳明', '王芳', '赵六', '垃圾内容', '@example.test', '13912345678']) expect(text).not.toContain(secret);
    expect(text).toContain('张*');
    expect(text).toContain('欧阳*');
    expect(j.sections.map((s: any) => s.articleId)).toEqual([null, m.articles[1], m.articles[2]]);
    const art2 = j.sections[1];
    expect(art2.groups[0]).toMatchObject({ label: '延长免费骑行时间', disposition: 'partly', reason: '免费时长延长至一个半小时，兼顾运营成本' });
    expect(art2.groups[0].comments).toHaveLength(2);
    expect(art2.comments[0]).toMatchObject({ disposition: 'adopted' });

    const page = await env.app.inject({ url: `/decisions/consultations/${m.cid}/report`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    for (const words of ['部分采纳', '免费时长延长至一个半小时，兼顾运营成本', '与本方案调整范围无关', '延长免费骑行时间', '张*', '欧阳*', '匿名', '共收到意见6条', '辱骂、攻击性内容 1', '第二条']) expect(page.body).toContain(words);
    for (const secret of ['张伟', '李娜', '欧阳明', '王芳', '垃圾内容', '@example.test', '13912345678', '13700001111']) expect(page.body).not.toContain(secret);
    const one = await env.app.inject({ url: `/decisions/consultations/${m.cid}/report?section=general`, headers: { 'accept-language': 'zh-CN' } });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('总体赞成本方案');
    expect(one.body).not.toContain('新增站点应当优先考虑地铁站周边');
    const en = await env.app.inject({ url: `/decisions/consultations/${m.cid}/report?lang=en`, headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Partly adopted');
    for (const bad of ['?section=%3Cscript%3E', '?page=-1', '?page=99999999']) expect((await env.app.inject({ url: `/decisions/consultations/${m.cid}/report${bad}` })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/decisions/consultations/abc/report' })).statusCode).toBe(404);
  });

  it('no public page before publication', async () => {
    const x = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲' }] });
    expect((await env.app.inject({ url: `/decisions/consultations/${x.cid}/report` })).statusCode).toBe(404);
  });
});

describe('who may do what', () => {
  it('only the consultation department’s staff record dispositions; approvers publish only others’ submissions', async () => {
    const m = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲' }] });
    // Another department's editor does not see it; a reviewer (read only) may not moderate.
    expect((await dispose(m.cid, 'scjg-editor', { commentId: m.comments[0], disposition: 'adopted' })).statusCode).toBe(404);
    expect((await env.api('GET', `${base(m.cid)}/report`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await dispose(m.cid, 'fgj-reviewer', { commentId: m.comments[0], disposition: 'adopted' })).statusCode).toBe(403);
    expect((await env.api('GET', `${base(m.cid)}/report`, { as: 'fgj-reviewer' })).statusCode).toBe(200);
    expect((await dispose(m.cid, 'fgj-approver', { commentId: m.comments[0], disposition: 'adopted' })).statusCode).toBe(403);
    expect((await env.api('POST', `${base(m.cid)}/groups`)).statusCode).toBe(401);

    // sqzx-editor is editor and approver of 诉求中心: it may not publish what it submitted.
    const s = await makeConsultation(env.p, { dept: 'sqzx', comments: [{ article: 0, body: '甲' }] });
    expect((await dispose(s.cid, 'sqzx-editor', { commentId: s.comments[0], disposition: 'adopted' })).statusCode).toBe(200);
    expect((await env.api('POST', `${base(s.cid)}/report/submit`, { as: 'sqzx-editor', body: { summary: '说明' } })).statusCode).toBe(200);
    const own = await env.api('POST', `${base(s.cid)}/report/publish`, { as: 'sqzx-editor' });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toMatch(/本人|you submitted/);
    const v = await env.api('GET', `${base(s.cid)}/report`, { as: 'sqzx-editor' });
    expect(v.json().may).toEqual({ edit: true, submit: false, publish: false });
    expect((await env.api('POST', `${base(s.cid)}/report/publish`, { as: 'sqzx-approver' })).statusCode).toBe(200);
  });

  it('a change after submission takes the submission back', async () => {
    const m = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲' }] });
    await dispose(m.cid, 'fgj-editor', { commentId: m.comments[0], disposition: 'adopted' });
    expect((await env.api('POST', `${base(m.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '说明' } })).statusCode).toBe(200);
    expect((await env.api('POST', `${base(m.cid)}/report/submit`, { as: 'fgj-editor', body: { summary: '说明' } })).statusCode).toBe(409);
    await dispose(m.cid, 'fgj-editor', { commentId: m.comments[0], disposition: 'rejected', reason: '不符合上位法规定' });
    const r = await env.api('GET', `${base(m.cid)}/report`, { as: 'fgj-editor' });
    expect(r.json().reportState).toBe('draft');
    expect((await env.api('POST', `${base(m.cid)}/report/publish`, { as: 'fgj-approver' })).statusCode).toBe(409);
  });
});

describe('hostile input', () => {
  it('answers 4xx naming the field, never 5xx', async () => {
    const m = await makeConsultation(env.p, { comments: [{ article: 0, body: '甲' }, { article: 0, body: '乙' }] });
    const bad: [string, string, unknown][] = [
      ['POST', `${base(m.cid)}/dispositions`, { commentId: 'abc', disposition: 'adopted' }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: m.comments[0], disposition: 'maybe' }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: m.comments[0], groupId: 1, disposition: 'adopted' }],
      ['POST', `${base(m.cid)}/dispositions`, { disposition: 'adopted' }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: 99999999, disposition: 'adopted' }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: m.comments[0], disposition: 'rejected', reason: 'x'.repeat(5000) }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: m.comments[0], disposition: 'rejected', reason: '理由\u0000' }],
      ['POST', `${base(m.cid)}/dispositions`, { commentId: m.comments[0], disposition: 'adopted', extra: 1 }],
      ['POST', `${base(m.cid)}/groups`, { label: '', commentIds: [m.comments[0]] }],
      ['POST', `${base(m.cid)}/groups`, { label: '组', commentIds: [] }],
      ['POST', `${base(m.cid)}/groups`, { label: '组', commentIds: [-1] }],
      ['POST', `${base(m.cid)}/groups`, { label: '组', commentIds: [2147483648] }],
      ['POST', `${base(m.cid)}/groups`, { label: 'x'.repeat(300), commentIds: [m.comments[0]] }],
      ['PATCH', `${base(m.cid)}/groups/99999`, { label: '组' }],
      ['PATCH', `${base(m.cid)}/groups/abc`, { label: '组' }],
      ['DELETE', `${base(m.cid)}/groups/0`, undefined],
      ['POST', `${base(m.cid)}/report/submit`, { summary: 'x'.repeat(30000) }],
      ['POST', `${base(m.cid)}/report/submit`, '{not json'],
      ['PUT', `${base(m.cid)}/report`, { summary: 5 }],
      ['POST', '/api/v1/staff/consultations/abc/dispositions', { commentId: 1, disposition: 'adopted' }],
      ['POST', '/api/v1/staff/consultations/99999999999/dispositions', { commentId: 1, disposition: 'adopted' }],
      ['GET', '/api/v1/consultations/0/report', undefined],
      ['GET', '/api/v1/consultations/1e3/report', undefined],
      ['GET', `${base(m.cid)}/groups?threshold=7`, undefined],
    ];
    for (const [method, url, body] of bad) {
      const r = await env.api(method, url, { as: 'fgj-editor', ...(body === undefined ? {} : { body, headers: typeof body === 'string' ? { 'content-type': 'application/json' } : {} }) });
      expect(r.statusCode, `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${method} ${url}`).toBeLessThan(500);
    }
    // A comment of another consultation cannot be disposed of through this one.
    const other = await makeConsultation(env.p, { comments: [{ article: 0, body: '丙' }] });
    const cross = await dispose(m.cid, 'fgj-editor', { commentId: other.comments[0], disposition: 'adopted' });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields.commentId).toBeTruthy();
    // Nothing was half-written.
    expect(await env.p.db.selectFrom('dec_comment_groups').select('id').where('consultation_id', '=', m.cid).execute()).toEqual([]);
    const rows = await env.p.db.selectFrom('dec_comments').select('disposition').where('consultation_id', '=', m.cid).execute();
    expect(rows.every((r) => r.disposition === '')).toBe(true);
  });
});
