// The staff console of decisions (/admin/decisions…): the list shows only one's own departments'
// decisions, with filters and an empty state; the new-decision form names the bad field and keeps
// what was typed; stage forms refuse a skip without a reason and an early end of the legality
// review with the service's message; another department's editor gets 404; the submitter cannot
// publish; and a decision goes all the way to published (and evaluated) through the pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { multipart } from '../appeals/util.js';
import { deptId, newDecision } from './stages-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

interface Session {
  cookie: string;
  csrf: string;
}
async function session(user: string): Promise<Session> {
  const s = await login(env.app, user);
  const page = await env.app.inject({ url: '/admin/decisions', headers: { cookie: s.cookie } });
  return { cookie: s.cookie, csrf: csrfFrom(page.body) || s.csrf };
}
const get = (s: Session, url: string) => env.app.inject({ url, headers: { cookie: s.cookie } });
const post = (s: Session, url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, ...data }) });
const stageRow = async (id: number, stage: string) => env.p.db.selectFrom('dec_stages').selectAll().where('decision_id', '=', id).where('stage', '=', stage).executeTakeFirstOrThrow();
const decision = async (id: number) => env.p.db.selectFrom('dec_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Visible text of a page, tags removed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the decisions console', () => {
  it('lists only the decisions of the staff member’s departments, with filters, pagination and an empty state', async () => {
    const mine = await newDecision(env, 'fgj-editor', 'fgj', { title: '关于发改局价格调整的决定' });
    const theirs = await newDecision(env, 'scjg-editor', 'scjg', { title: '关于市场监管局抽查比例的决定' });
    const fgj = await session('fgj-editor');
    const list = await get(fgj, '/admin/decisions');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('关于发改局价格调整的决定');
    expect(list.body).toContain(`href="/admin/decisions/${mine.id}"`);
    expect(list.body).not.toContain('关于市场监管局抽查比例的决定');
    expect(list.body).toContain('href="/admin/decisions/new"');
    expect(list.body).toContain('新建决策事项');
    // Filters: by stage and status; a filter that matches nothing says so.
    expect((await get(fgj, '/admin/decisions?stage=drafting&status=open')).body).toContain('关于发改局价格调整的决定');
    const none = await get(fgj, '/admin/decisions?stage=evaluation');
    expect(none.body).not.toContain('关于发改局价格调整的决定');
    expect(none.body).toContain('没有符合筛选条件的决策事项。');
    expect((await get(fgj, '/admin/decisions?stage=nonsense')).body).toContain('部分筛选条件无效');
    // A reviewer reads the list but gets no "new" link.
    const rev = await session('fgj-reviewer');
    const rl = await get(rev, '/admin/decisions');
    expect(rl.body).toContain('关于发改局价格调整的决定');
    expect(rl.body).not.toContain('href="/admin/decisions/new"');
    expect((await get(rev, '/admin/decisions/new')).statusCode).toBe(403);
    // Pagination: 21 more decisions make a second page.
    for (let i = 0; i < 21; i++) await newDecision(env, 'fgj-editor', 'fgj', { title: `分页测试决策${i}` });
    const p1 = await get(fgj, '/admin/decisions');
    expect(p1.body).toContain('aria-current="page"');
    expect(p1.body).toContain('/admin/decisions?page=2');
    expect((await get(fgj, '/admin/decisions?page=2')).body).toContain('关于发改局价格调整的决定');
    // The other department's editor sees theirs, not ours.
    const scjg = await session('scjg-editor');
    const sl = await get(scjg, '/admin/decisions');
    expect(sl.body).toContain(`href="/admin/decisions/${theirs.id}"`);
    expect(sl.body).not.toContain('关于发改局价格调整的决定');
  }, 60_000);

  it('creates a decision; a bad field comes back next to the field with what was typed', async () => {
    const s = await session('fgj-editor');
    const page = await get(s, '/admin/decisions/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('发展和改革局');
    expect(page.body).not.toContain('市场监督管理局');
    const fgj = String(await deptId(env, 'fgj'));
    const bad = await post(s, '/admin/decisions/new', { departmentId: fgj, year: '2026', title: '', basis: '《重大行政决策程序暂行条例》第三条', summary: '概述文字', catalogueCode: '', interpretation: 'ftp://x' });
    expect(bad.statusCode).toBe(400);
    // The error is in the title's field and the interpretation's, the typed basis is kept.
    expect(bad.body).toMatch(/<p class="field-error" id="f-title-err">[^<]+<\/p>/);
    expect(bad.body).toContain('政策解读应为已发布信息的编号或以 http(s):// 开头的网址。');
    expect(bad.body).toContain('《重大行政决策程序暂行条例》第三条');
    expect(bad.body).toContain('value="ftp://x"');
    expect(await env.p.db.selectFrom('dec_decisions').select('id').where('basis', '=', '《重大行政决策程序暂行条例》第三条').executeTakeFirst()).toBeUndefined();
    // Another department's id: refused, nothing created.
    const other = await post(s, '/admin/decisions/new', { departmentId: String(await deptId(env, 'scjg')), year: '2026', title: '越权', basis: '依据' });
    expect(other.statusCode).toBe(403);
    const ok = await post(s, '/admin/decisions/new', { departmentId: fgj, year: '2026', title: '关于新能源公交补贴的决定', basis: '《重大行政决策程序暂行条例》', summary: '', catalogueCode: '', interpretation: '' });
    expect(ok.statusCode).toBe(303);
    const id = Number(/\/admin\/decisions\/(\d+)\?done=created/.exec(String(ok.headers.location))![1]);
    const rec = await get(s, `/admin/decisions/${id}?done=created`);
    expect(rec.statusCode).toBe(200);
    expect(rec.body).toContain('决策事项已创建。');
    expect(rec.body).toContain('关于新能源公交补贴的决定');
    // The eight stages in order, drafting under way.
    const t = text(rec.body);
    const order = ['起草', '公开征求意见', '专家论证', '风险评估', '合法性审查', '集体讨论决定', '公布', '后评估'].map((x) => t.indexOf(`${x} `));
    expect(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1]))).toBe(true);
    expect(rec.body).toContain('badge state-active');
    expect(rec.body).toContain(`/admin/decisions/${id}/consultations/new`);
    expect(rec.body).toContain(`/admin/decisions/${id}/hearings/new`);
    expect(rec.body).toContain(`href="/decisions/${id}"`);
  });

  it('refuses a skip without a reason and an early end of the legality review, with the message on the page', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    const s = await session('fgj-editor');
    const base = `/admin/decisions/${d.id}/stages`;
    const noReason = await post(s, `${base}/expert_review`, { action: 'skip', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('标为不适用须说明理由（将公开）。');
    expect((await stageRow(d.id, 'expert_review')).state).toBe('pending');
    // A required stage cannot be skipped (409 message), out of order cannot start.
    const early = await post(s, `${base}/risk_assessment`, { action: 'start' });
    expect(early.statusCode).toBe(409);
    expect(text(early.body)).toContain('“起草”阶段尚未完成或标为不适用，不能开始“风险评估”');
    expect((await post(s, `${base}/drafting`, { action: 'finish' })).statusCode).toBe(303);
    expect((await post(s, `${base}/consultation`, { action: 'skip', reason: '涉及国家秘密，依法不公开征求意见' })).statusCode).toBe(303);
    expect((await post(s, `${base}/expert_review`, { action: 'skip', reason: '专业性不强，无需专家论证' })).statusCode).toBe(303);
    expect((await post(s, `${base}/risk_assessment`, { action: 'skip', reason: '不涉及社会稳定风险' })).statusCode).toBe(303);
    const legal = await post(s, `${base}/legality_review`, { action: 'start' });
    expect(legal.statusCode).toBe(303);
    const page = await get(s, `/admin/decisions/${d.id}?done=start`);
    expect(page.body).toContain('阶段已开始。');
    expect(page.body).toMatch(/最早可于 \d{4}-\d{2}-\d{2} 完成/);
    // The consultation stage is not required: no new consultation offered; hearings still are.
    expect(page.body).not.toContain(`/admin/decisions/${d.id}/consultations/new`);
    expect(page.body).toContain(`/admin/decisions/${d.id}/hearings/new`);
    const finish = await post(s, `${base}/legality_review`, { action: 'finish' });
    expect(finish.statusCode).toBe(409);
    expect(text(finish.body)).toMatch(/合法性审查时间不少于7个工作日，最早可于 \d{4}-\d{2}-\d{2} 完成。/);
    expect((await stageRow(d.id, 'legality_review')).state).toBe('active');
    // The public timeline shows the skip reasons.
    const pub = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(pub.body).toContain('专业性不强，无需专家论证');
  });

  it('another department’s editor gets 404 on the page and on its forms', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj');
    const s = await session('scjg-editor');
    expect((await get(s, `/admin/decisions/${d.id}`)).statusCode).toBe(404);
    expect((await post(s, `/admin/decisions/${d.id}/stages/drafting`, { action: 'finish' })).statusCode).toBe(404);
    expect((await post(s, `/admin/decisions/${d.id}/submit`, { text: 'x' })).statusCode).toBe(404);
    expect((await stageRow(d.id, 'drafting')).state).toBe('active');
    expect((await get(s, '/admin/decisions/abc')).statusCode).toBe(404);
    expect((await get(s, '/admin/decisions/99999999')).statusCode).toBe(404);
  });

  it('goes all the way to published: stages, a document, submission, the submitter refused, another approver publishes, the evaluation', async () => {
    const d = await newDecision(env, 'sqzx-editor', 'sqzx', { title: '关于12345热线诉求分级办理的决定' });
    // sqzx-editor is both editor and approver of 诉求中心.
    const ed = await session('sqzx-editor');
    const base = `/admin/decisions/${d.id}`;
    const ok = async (s: Session, url: string, data: Record<string, string>) => {
      const r = await post(s, url, data);
      expect(r.statusCode, `${url} ${JSON.stringify(data)}: ${text(r.body).slice(0, 600)}`).toBe(303);
    };
    await ok(ed, `${base}/stages/drafting`, { action: 'finish', note: '起草完成' });
    await ok(ed, `${base}/stages/consultation`, { action: 'skip', reason: '已通过座谈会听取意见' });
    await ok(ed, `${base}/stages/expert_review`, { action: 'start' });
    // A document on the expert review: uploaded through the multipart form, then made public.
    const m = multipart({ _csrf: ed.csrf, public: 'no' }, [{ name: 'file', filename: '专家论证意见.pdf', type: 'application/pdf', data: PDF }]);
    const up = await env.app.inject({ method: 'POST', url: `${base}/stages/expert_review/documents`, headers: { cookie: ed.cookie, 'content-type': m.contentType }, payload: m.body });
    expect(up.statusCode, text(up.body).slice(0, 500)).toBe(303);
    expect((await env.app.inject({ url: `/decisions/${d.id}/documents/expert_review/0` })).statusCode).toBe(404);
    expect((await get(ed, `${base}/stages/expert_review/documents/0`)).statusCode).toBe(200);
    await ok(ed, `${base}/stages/expert_review/documents/0`, { change: 'public' });
    expect((await env.app.inject({ url: `/decisions/${d.id}/documents/expert_review/0` })).statusCode).toBe(200);
    await ok(ed, `${base}/stages/expert_review`, { action: 'finish' });
    await ok(ed, `${base}/stages/risk_assessment`, { action: 'start' });
    await ok(ed, `${base}/stages/risk_assessment`, { action: 'finish' });
    await ok(ed, `${base}/stages/legality_review`, { action: 'start' });
    // The minimum passed (as if 7 working days had gone by).
    const clockId = (await stageRow(d.id, 'legality_review')).clock_id!;
    await env.p.db.updateTable('clocks').set({ start_date: '2026-01-05', due_date: '2026-01-14' }).where('id', '=', clockId).execute();
    await ok(ed, `${base}/stages/legality_review`, { action: 'finish' });
    await ok(ed, `${base}/stages/collective_decision`, { action: 'start' });
    const noOutcome = await post(ed, `${base}/stages/collective_decision`, { action: 'finish', outcome: '', dissent: '' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toMatch(/id="f-collective_decision-outcome-err"/);
    await ok(ed, `${base}/stages/collective_decision`, { action: 'finish', outcome: 'amended', dissent: '一名委员建议延长试行期' });
    const noText = await post(ed, `${base}/submit`, { text: '', interpretation: '' });
    expect(noText.statusCode).toBe(400);
    await ok(ed, `${base}/submit`, { text: '一、诉求按紧急程度分为三级。\n二、一级诉求2小时内响应。', interpretation: 'https://www.example.gov.cn/jd/1.html' });
    const rec = await get(ed, `${base}?done=submitted`);
    expect(rec.body).toContain('决策已提交公布');
    expect(rec.body).toContain('该决策由您提交，须由另一名审核人公布。');
    // The submitter by name, never as a raw actor reference.
    expect(rec.body).toContain('诉求中心派单员');
    expect(rec.body).not.toContain('user:sqzx-editor');
    // The submitter may approve in this department, but not their own submission: the service's 409 on the page.
    const own = await post(ed, `${base}/publish`, { confirm: 'yes' });
    expect(own.statusCode).toBe(409);
    expect(own.body).toContain('不能审核本人提交的决策，须由另一名审核人公布。');
    expect((await decision(d.id)).status).toBe('open');
    const ap = await session('sqzx-approver');
    const noConfirm = await post(ap, `${base}/publish`, {});
    expect(noConfirm.statusCode).toBe(400);
    expect((await decision(d.id)).status).toBe('open');
    await ok(ap, `${base}/publish`, { confirm: 'yes' });
    const pubRec = await get(ap, `${base}?done=published`);
    expect(pubRec.body).toContain('决策已公布。');
    expect((await decision(d.id)).status).toBe('published');
    const timeline = await env.app.inject({ url: `/decisions/${d.id}` });
    expect(timeline.body).toContain('一名委员建议延长试行期');
    expect(timeline.body).toContain(`/catalog/items/${(await decision(d.id)).item_id}`);
    // The evaluation.
    expect(pubRec.body).toContain(`${base}/evaluation`);
    await ok(ap, `${base}/evaluation`, { text: '实施一年来，一级诉求平均响应时间缩短至1.5小时。', confirm: 'yes' });
    expect((await decision(d.id)).evaluation_item_id).toBeTruthy();
    expect((await stageRow(d.id, 'evaluation')).state).toBe('done');
    const after = await get(ap, `${base}?done=evaluation`);
    expect(after.body).toContain('后评估报告已发布。');
    expect(after.body).not.toContain(`action="${base}/evaluation"`);
  }, 60_000);
});
