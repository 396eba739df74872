// Consultations (issue 19, deliverable 3): created on a decision from text or a DOCX, edited while a
// draft; the period rule (exactly 30 days passes; 29 without a reason → 400 naming closesAt; with a
// reason it passes and the reason is public); opening publishes a `decision-consultation` item
// through the spine, starts the 'consultation.period' clock and sets the consultation stage active;
// the closing job closes it at its closing instant (stage done); the public pages (counts by
// reason, article links, closed state), the iCalendar feed (periods and hearings), the home block;
// permissions per department; hostile input → 4xx.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import ICAL from 'ical.js';
import { csrfFrom, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { multipart } from '../appeals/util.js';
import { makeDocx } from '../../src/modules/catalog/demo/samples.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { shanghaiDate } from '../../src/platform/dates.js';
import { loadPrincipal } from '../../src/platform/auth/identity.js';
import { acceptsComments, CLOSE_JOB, closeConsultation, closeDue, consultationJobs, publicState, SWEEP_JOB } from '../../src/modules/decisions/service/consultations.js';
import { demoConsultation } from '../../src/modules/decisions/demo/consultations.js';
import { body, DAY, DRAFT, hourFromNow, makeDecision, STAFF } from './consult-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: [...STAFF, 'admin'] });
  await ensureCalendar(env.p.db);
}, 120_000);
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => env?.close());

const api = (method: string, url: string, as?: string, b?: unknown) => env.api(method, url, { as, body: b });
const create = async (decisionId: number, b: Record<string, unknown>, as = 'fgj-editor') => api('POST', `/api/v1/major-decisions/${decisionId}/consultations`, as, b);
const stageOf = (decisionId: number) => env.p.db.selectFrom('dec_stages').selectAll().where('decision_id', '=', decisionId).where('stage', '=', 'consultation').executeTakeFirstOrThrow();
const row = (id: number) => env.p.db.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A consultation of `days` days opened by the API: opening in two hours, or (`now`) at once. */
async function opened(days: number, extra: { shortReason?: string; department?: string; as?: string; title?: string; now?: boolean } = {}) {
  const d = await makeDecision(env, { department: extra.department, title: extra.title });
  const opens = extra.now ? new Date(Date.now() - 3600_000) : hourFromNow(2);
  const closes = new Date(opens.getTime() + days * DAY);
  const r = await create(d.id, body(opens, closes, extra.title ? { title: extra.title } : {}), extra.as);
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as number;
  const o = await api('POST', `/api/v1/consultations/${id}/open`, extra.as ?? 'fgj-editor', extra.shortReason ? { shortReason: extra.shortReason } : {});
  return { d, id, opens, closes, o };
}

describe('creating and editing a draft', () => {
  it('creates from text: articles in order, a draft the public cannot see, staff can', async () => {
    const d = await makeDecision(env);
    const r = await create(d.id, body(hourFromNow(2), hourFromNow(2 + 30 * 24)));
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({ decisionId: d.id, departmentId: d.departmentId, state: 'draft', shortReason: '', itemId: null, url: `/decisions/consultations/${c.id}` });
    expect(c.articles.map((a: any) => a.label)).toEqual(['', '第一条', '第二条', '第三条', '第四条']);
    expect((await api('GET', `/api/v1/consultations/${c.id}`)).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: `/decisions/consultations/${c.id}` })).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/staff/consultations/${c.id}`, 'fgj-reviewer')).json().state).toBe('draft');
  });

  it('creates from a DOCX (base64), refuses text and DOCX together and a non-DOCX with 400 naming docx', async () => {
    const d = await makeDecision(env);
    const docx = makeDocx(['示范新区停车管理办法（征求意见稿）', '第一条 为规范停车管理，制定本办法。', '第二条 本办法适用于本区。', '第十二条 本办法自公布之日起施行。']).toString('base64');
    const { text: _t, ...noText } = body(hourFromNow(2), hourFromNow(800));
    const r = await create(d.id, { ...noText, docx });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().articles.map((a: any) => [a.label, a.text])).toEqual([
      ['', '示范新区停车管理办法（征求意见稿）'],
      ['第一条', '为规范停车管理，制定本办法。'],
      ['第二条', '本办法适用于本区。'],
      ['第十二条', '本办法自公布之日起施行。'],
    ]);
    const both = await create(d.id, { ...body(hourFromNow(2), hourFromNow(800)), docx });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields).toEqual({ docx: '请在全文和 DOCX 文件中选择一种。' });
    const notDocx = await create(d.id, { ...noText, docx: Buffer.from('not a word file at all').toString('base64') });
    expect(notDocx.statusCode).toBe(400);
    expect(notDocx.json().error.fields).toEqual({ docx: '请上传 DOCX 格式的征求意见稿。' });
  });

  it('edits articles while a draft: edit, merge with next, split at a position, reorder; 409 once open', async () => {
    const d = await makeDecision(env);
    const c = (await create(d.id, body(hourFromNow(2), hourFromNow(2 + 31 * 24)))).json();
    const [pre, a1, a2, a3, a4] = c.articles.map((a: any) => a.id);
    let r = await api('PATCH', `/api/v1/consultations/${c.id}/articles/${a1}`, 'fgj-editor', { text: '为加强和规范城市公园管理，制定本办法。' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().articles[1].text).toBe('为加强和规范城市公园管理，制定本办法。');
    r = await api('POST', `/api/v1/consultations/${c.id}/articles/${a2}/merge`, 'fgj-editor');
    expect(r.json().articles.map((a: any) => a.label)).toEqual(['', '第一条', '第二条', '第四条']);
    expect(r.json().articles[2].text).toBe('本区行政区域内城市公园的管理，适用本办法。\n第三条　区住房和城乡建设局是本区城市公园的行政主管部门。');
    // Split where 第三条 starts again: the label is taken from the text.
    const pos = [...r.json().articles[2].text].indexOf('第');
    r = await api('POST', `/api/v1/consultations/${c.id}/articles/${a2}/split`, 'fgj-editor', { position: pos });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().articles.map((a: any) => [a.seq, a.label])).toEqual([[1, ''], [2, '第一条'], [3, '第二条'], [4, '第三条'], [5, '第四条']]);
    expect(r.json().articles[3].text).toBe('区住房和城乡建设局是本区城市公园的行政主管部门。');
    const ids = r.json().articles.map((a: any) => a.id);
    expect(ids).not.toContain(a3);
    r = await api('POST', `/api/v1/consultations/${c.id}/articles/order`, 'fgj-editor', { order: [ids[0], ids[2], ids[1], ids[3], ids[4]] });
    expect(r.json().articles.map((a: any) => a.label)).toEqual(['', '第二条', '第一条', '第三条', '第四条']);
    // Bad orders, positions and the last article's merge: named 4xx, nothing changed.
    expect((await api('POST', `/api/v1/consultations/${c.id}/articles/order`, 'fgj-editor', { order: [ids[0], ids[0], ids[1], ids[3], ids[4]] })).json().error.fields).toEqual({ order: '顺序须包含全部条文，每条一次。' });
    expect((await api('POST', `/api/v1/consultations/${c.id}/articles/${a4}/split`, 'fgj-editor', { position: 5000 })).json().error.fields).toEqual({ position: '拆分位置应在该条文字中间。' });
    expect((await api('POST', `/api/v1/consultations/${c.id}/articles/${a4}/merge`, 'fgj-editor')).statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/consultations/${c.id}/articles/999999`, 'fgj-editor', { text: 'x' })).statusCode).toBe(404);
    expect(pre).toBe(ids[0]);
    // Open, then every change is refused.
    expect((await api('POST', `/api/v1/consultations/${c.id}/open`, 'fgj-editor', {})).statusCode).toBe(200);
    expect((await api('PATCH', `/api/v1/consultations/${c.id}/articles/${a1}`, 'fgj-editor', { text: 'x' })).statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/consultations/${c.id}`, 'fgj-editor', { title: '新标题' })).statusCode).toBe(409);
    expect((await api('PUT', `/api/v1/consultations/${c.id}/articles`, 'fgj-editor', { text: DRAFT })).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/consultations/${c.id}/open`, 'fgj-editor', {})).statusCode).toBe(409);
  });
});

describe('the period rule', () => {
  it('exactly 30 days passes with no reason', async () => {
    const { id, o, opens, closes } = await opened(30);
    expect(o.statusCode, o.body).toBe(200);
    expect(o.json()).toMatchObject({ state: 'open', shortReason: '', opensAt: opens.toISOString(), closesAt: closes.toISOString() });
    expect((await row(id)).state).toBe('open');
  });

  it('29 days without a reason: 400 naming closesAt, nothing opened, published or started', async () => {
    const { d, id, o } = await opened(29);
    expect(o.statusCode).toBe(400);
    expect(o.json().error.fields).toEqual({ closesAt: '征求意见期少于30日，须说明理由（理由向社会公开）。' });
    const c = await row(id);
    expect(c).toMatchObject({ state: 'draft', item_id: null, clock_id: null });
    expect((await stageOf(d.id)).state).toBe('pending');
    expect(await env.p.db.selectFrom('clocks').select('id').where('subject_type', '=', 'decision-consultation').where('subject_id', '=', String(id)).executeTakeFirst()).toBeUndefined();
  });

  it('29 days with a reason passes; the reason is public (API, page, published item)', async () => {
    const reason = '因防汛形势紧迫，须于汛期前出台，征求意见期缩短为29日。';
    const { id, o } = await opened(29, { shortReason: reason });
    expect(o.statusCode, o.body).toBe(200);
    expect((await api('GET', `/api/v1/consultations/${id}`)).json().shortReason).toBe(reason);
    const page = await env.app.inject({ method: 'GET', url: `/decisions/consultations/${id}` });
    expect(page.body).toContain('征求意见期少于30日的理由');
    expect(page.body).toContain(reason);
    const c = await row(id);
    const item = await env.app.inject({ method: 'GET', url: `/catalog/items/${c.item_id}` });
    expect(item.statusCode).toBe(200);
    expect(item.body).toContain(reason);
  });
});

describe('opening and closing', () => {
  it('publishes through the spine, starts the period clock, sets the stage active, queues the closing job', async () => {
    const { d, id, o, opens, closes } = await opened(45, { title: '关于《示范新区公园开放时间规定》公开征求意见' });
    expect(o.statusCode, o.body).toBe(200);
    const c = await row(id);
    const item = await env.p.db.selectFrom('pub_items').selectAll().where('id', '=', c.item_id!).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ type: 'decision-consultation', status: 'published', department_id: d.departmentId, title: '关于《示范新区公园开放时间规定》公开征求意见' });
    expect(Number(item.public)).toBe(1);
    const page = await env.app.inject({ method: 'GET', url: `/catalog/items/${item.id}` });
    expect(page.body).toContain('为加强城市公园管理，制定本办法。');
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('id', '=', c.clock_id!).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ subject_type: 'decision-consultation', subject_id: String(id), rule_code: 'consultation.period', state: 'running', kind: 'minimum', start_date: shanghaiDate(opens.toISOString()) });
    expect(await stageOf(d.id)).toMatchObject({ state: 'active', started_on: shanghaiDate(opens.toISOString()), finished_on: null });
    expect((await env.p.db.selectFrom('dec_decisions').select('stage').where('id', '=', d.id).executeTakeFirstOrThrow()).stage).toBe('consultation');
    const job = await env.p.db.selectFrom('jobs').selectAll().where('kind', '=', CLOSE_JOB).where('idempotency_key', '=', `${CLOSE_JOB}:${id}`).executeTakeFirstOrThrow();
    expect(new Date(job.run_at).toISOString()).toBe(closes.toISOString());
    expect(await env.p.db.selectFrom('audit_events').selectAll().where('action', '=', 'decisions.consultation.open').where('entity_id', '=', String(id)).executeTakeFirst()).toBeTruthy();
  });

  it('the job closes it at the closing instant, not a millisecond before: clock completed, stage done', async () => {
    const { d, id, closes } = await opened(30);
    expect(await closeDue(env.p, new Date(closes.getTime() - 1))).not.toContain(id);
    expect((await row(id)).state).toBe('open');
    // The queued job, run when its time comes.
    vi.useFakeTimers({ toFake: ['Date'], now: closes });
    await consultationJobs(env.p)[CLOSE_JOB]({ id });
    vi.useRealTimers();
    expect((await row(id)).state).toBe('closed');
    const stage = await stageOf(d.id);
    expect(stage).toMatchObject({ state: 'done', finished_on: shanghaiDate(closes.toISOString()) });
    const clock = await env.p.db.selectFrom('clocks').selectAll().where('subject_type', '=', 'decision-consultation').where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(clock.state).toBe('completed');
    // Closed is shown as closed; the comment links are gone.
    const page = await env.app.inject({ method: 'GET', url: `/decisions/consultations/${id}` });
    expect(page.body).toContain('征求意见已于');
    expect(page.body).toContain('已结束');
    expect(page.body).not.toContain('/comment?article=');
    // The sweep also deletes verification codes (with the phone or address they went to) after a day.
    const code = (at: number) => ({ target: `sms:1390000${String(at).padStart(4, '0')}`, channel: 'sms', code_hash: 'x', attempts: 0, expires_at: new Date(at).toISOString(), used_at: null, created_at: new Date(at).toISOString() });
    await env.p.db.insertInto('dec_comment_codes').values([code(Date.now() - 2 * DAY), code(Date.now() - 3600_000)]).execute();
    await consultationJobs(env.p)[SWEEP_JOB]();
    const left = await env.p.db.selectFrom('dec_comment_codes').select('created_at').execute();
    expect(left.every((r) => Date.parse(r.created_at) > Date.now() - DAY)).toBe(true);
    expect(left.length).toBeGreaterThanOrEqual(1);
  });

  it('staff close: 409 before the closing instant (the message gives it), done at it', async () => {
    const { id, closes } = await opened(30);
    const early = await api('POST', `/api/v1/consultations/${id}/close`, 'fgj-editor');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('（北京时间）届满');
    const u = await env.p.db.selectFrom('users').select('id').where('username', '=', 'fgj-editor').executeTakeFirstOrThrow();
    const actor = (await loadPrincipal(env.p.db, u.id, 'token'))!;
    const c = await closeConsultation(env.p, actor, id, closes);
    expect(c.state).toBe('closed');
  });
});

describe('public pages, feed and home', () => {
  it('opened ahead of its opening instant: shown as opening soon, no comment links, no comments taken yet', async () => {
    const { id, opens } = await opened(30);
    const c = await row(id);
    expect(publicState(c)).toBe('upcoming');
    expect(acceptsComments(c)).toBe(false);
    expect(acceptsComments(c, opens)).toBe(true);
    expect(acceptsComments(c, new Date(Date.parse(c.closes_at)))).toBe(false);
    const page = (await env.app.inject({ method: 'GET', url: `/decisions/consultations/${id}` })).body;
    expect(page).toContain('即将开始');
    expect(page).toContain('征求意见将于');
    expect(page).not.toContain('/comment?article=');
  });

  it('the consultation page: explanation, period in Beijing time, each article with its count and links, counts by reason', async () => {
    const { id } = await opened(31, { now: true });
    const c = (await api('GET', `/api/v1/consultations/${id}`)).json();
    const [, a1, a2] = c.articles.map((a: any) => a.id);
    const now = new Date().toISOString();
    const comment = (article: number | null, status: string, hide = '') => ({ consultation_id: id, article_id: article, name: '张三', email: '', phone: '', verified: 0, body: '建议延长开放时间。', status, hide_reason: hide, moderated_by: null, moderated_at: null, group_id: null, disposition: '', disposition_reason: '', client_hash: '', notified_at: null, created_at: now });
    await env.p.db
      .insertInto('dec_comments')
      .values([comment(a1, 'published'), comment(a1, 'published'), comment(a1, 'published'), comment(a2, 'published'), comment(null, 'published'), comment(a2, 'pending'), comment(a1, 'hidden', 'abuse'), comment(a1, 'hidden', 'abuse'), comment(null, 'hidden', 'duplicate')])
      .execute();
    const r = await env.app.inject({ method: 'GET', url: `/decisions/consultations/${id}` });
    expect(r.statusCode).toBe(200);
    const html = r.body;
    expect(html).toContain('为规范城市公园管理，起草了本办法。');
    expect(html).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    expect(html).toContain(`href="/decisions/consultations/${id}/articles/${a1}">已公开意见 3 条`);
    expect(html).toContain(`href="/decisions/consultations/${id}/articles/${a2}">已公开意见 1 条`);
    expect(html).toContain(`href="/decisions/consultations/${id}/comment?article=${a1}"`);
    expect(html).toContain('发表意见');
    expect(html).toContain('对征求意见稿整体的意见（1条）');
    expect(html).toMatch(/<dt>收到意见<\/dt><dd>9<\/dd>/);
    expect(html).toMatch(/<dt>已公开<\/dt><dd>5<\/dd>/);
    expect(html).toMatch(/<dt>未公开<\/dt><dd>3<\/dd>/);
    expect(html).toContain('辱骂、攻击等不当言论：2条');
    expect(html).toContain('重复提交：1条');
    expect(html).not.toContain('建议延长开放时间');
    const j = (await api('GET', `/api/v1/consultations/${id}`)).json();
    expect(j.counts).toEqual({ received: 9, published: 5, pending: 1, hidden: 3, hiddenByReason: { abuse: 2, duplicate: 1, off_topic: 0, personal_data: 0 }, general: 1 });
    const en = await env.app.inject({ method: 'GET', url: `/decisions/consultations/${id}`, headers: { cookie: 'gk_lang=en' } });
    expect(en.body).toContain('Abusive or offensive: 2');
  });

  it('the list: open ones first, then closed; the home page lists an open consultation', async () => {
    const open = await opened(40, { title: '关于《示范新区绿道管理规定》公开征求意见' });
    const gone = await opened(30, { title: '关于《示范新区夜市管理办法》公开征求意见' });
    await closeDue(env.p, gone.closes);
    const list = (await env.app.inject({ method: 'GET', url: '/decisions/consultations' })).body;
    expect(list.indexOf('示范新区绿道管理规定')).toBeGreaterThan(0);
    expect(list.indexOf('示范新区绿道管理规定')).toBeLessThan(list.indexOf('示范新区夜市管理办法'));
    expect(list.indexOf('正在征求意见')).toBeLessThan(list.indexOf('近期已结束'));
    const home = (await env.app.inject({ method: 'GET', url: '/' })).body;
    expect(home).toContain('home-consultations');
    expect(home).toContain(`href="/decisions/consultations/${open.id}"`);
    expect(home).not.toContain(`href="/decisions/consultations/${gone.id}"`);
  });

  it('the .ics feed parses and has one event per comment period and per announced hearing', async () => {
    const { d, id, opens, closes } = await opened(30, { title: '关于《示范新区养犬管理规定》公开征求意见' });
    const now = new Date().toISOString();
    const hearing = (state: string, title: string) => ({ decision_id: d.id, department_id: d.departmentId, title, starts_at: new Date(closes.getTime() + 5 * DAY).toISOString(), place: '区政府第一会议室', selection_method: '随机抽取', participants: 15, stratified: 1, registration_closes_at: closes.toISOString(), attendance_capacity: 20, state, item_id: null, draw: '', materials: '[]', materials_published_at: null, record_file_id: null, created_by: 'test', created_at: now, updated_at: now });
    const [h1] = await env.p.db.insertInto('dec_hearings').values(hearing('announced', '养犬管理规定听证会')).returning('id').execute();
    await env.p.db.insertInto('dec_hearings').values(hearing('draft', '未公告的听证会')).execute();
    const r = await env.app.inject({ method: 'GET', url: '/decisions/consultations.ics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/calendar');
    const cal = new ICAL.Component(ICAL.parse(r.body));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const mine = events.find((e) => e.uid.startsWith(`consultation-${id}@`))!;
    expect(mine.summary).toBe('征求意见：关于《示范新区养犬管理规定》公开征求意见');
    expect(mine.startDate.toJSDate().toISOString()).toBe(opens.toISOString());
    expect(mine.endDate.toJSDate().toISOString()).toBe(closes.toISOString());
    const hs = events.filter((e) => e.uid.startsWith('hearing-'));
    expect(hs.map((e) => e.summary)).toEqual(['听证会：养犬管理规定听证会']);
    expect(hs[0].location).toBe('区政府第一会议室');
    expect(String(hs[0].component.getFirstPropertyValue('url'))).toMatch(new RegExp(`/decisions/hearings/${h1.id}$`));
    // No draft consultation in the feed.
    const drafts = await env.p.db.selectFrom('dec_consultations').select('id').where('state', '=', 'draft').execute();
    for (const x of drafts) expect(events.some((e) => e.uid.startsWith(`consultation-${x.id}@`))).toBe(false);
  });
});

describe('permissions and hostile input', () => {
  it('another department’s editor gets 404; a reviewer may read but not edit (403)', async () => {
    const d = await makeDecision(env);
    expect((await create(d.id, body(hourFromNow(2), hourFromNow(800)), 'scjg-editor')).statusCode).toBe(404);
    const c = (await create(d.id, body(hourFromNow(2), hourFromNow(800)))).json();
    expect((await api('PATCH', `/api/v1/consultations/${c.id}`, 'scjg-editor', { title: '改' })).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/consultations/${c.id}/open`, 'scjg-editor', {})).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/staff/consultations/${c.id}`, 'scjg-editor')).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/consultations/${c.id}/open`, 'fgj-reviewer', {})).statusCode).toBe(403);
    expect((await api('POST', `/api/v1/consultations/${c.id}/open`)).statusCode).toBe(401);
    const s = await login(env.app, 'scjg-editor');
    expect((await env.app.inject({ method: 'GET', url: `/admin/consultations/${c.id}`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: `/admin/decisions/${d.id}/consultations/new`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await row(c.id)).state).toBe('draft');
  });

  it('huge text, bad ids, bad instants and a closed decision → 4xx, nothing written', async () => {
    const d = await makeDecision(env);
    const before = await env.p.db.selectFrom('dec_consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const huge = await create(d.id, body(hourFromNow(2), hourFromNow(800), { text: '第一条 '.repeat(60_000) }));
    expect(huge.statusCode).toBe(400);
    expect(Object.keys(huge.json().error.fields ?? { text: 1 })).toContain('text');
    for (const url of ['/api/v1/consultations/abc', '/api/v1/consultations/99999999999', '/api/v1/consultations/0', '/api/v1/consultations/-1']) expect((await api('GET', url)).statusCode).toBe(400);
    for (const url of ['/decisions/consultations/abc', '/decisions/consultations/99999999999', '/decisions/consultations/1%00']) {
      const r = await env.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    expect((await api('GET', '/api/v1/consultations/2147483000')).statusCode).toBe(404);
    expect((await create(2147483000, body(hourFromNow(2), hourFromNow(800)))).statusCode).toBe(404);
    const badTime = await create(d.id, body(hourFromNow(2), hourFromNow(800), { opensAt: '2026-02-30T25:00', closesAt: 'tomorrow' }));
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().error.fields).toMatchObject({ opensAt: '格式不正确。', closesAt: '格式不正确。' });
    const backwards = await create(d.id, body(hourFromNow(200), hourFromNow(2)));
    expect(backwards.json().error.fields).toEqual({ closesAt: '截止时间应晚于开始时间。' });
    const extra = await create(d.id, { ...body(hourFromNow(2), hourFromNow(800)), state: 'open' });
    expect(extra.statusCode).toBe(400);
    const done = await makeDecision(env, { status: 'published' });
    expect((await create(done.id, body(hourFromNow(2), hourFromNow(800)))).statusCode).toBe(409);
    const after = await env.p.db.selectFrom('dec_consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('console', () => {
  it('new consultation with a DOCX upload, the article editor, opening with confirmation, then closed state', async () => {
    const d = await makeDecision(env);
    const s = await login(env.app, 'fgj-editor');
    const form = await env.app.inject({ method: 'GET', url: `/admin/decisions/${d.id}/consultations/new`, headers: { cookie: s.cookie } });
    expect(form.statusCode).toBe(200);
    const csrf = csrfFrom(form.body);
    const opens = hourFromNow(3);
    const wall = (x: Date) => new Date(x.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
    const m = multipart(
      { _csrf: csrf, title: '关于《示范新区公园游船管理办法》公开征求意见', explanation: '起草说明。', opensAt: wall(opens), closesAt: wall(new Date(opens.getTime() + 30 * DAY)), text: '' },
      [{ name: 'file', filename: 'draft.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data: makeDocx(['第一条 为规范游船管理，制定本办法。', '第二条 游船经营应当取得许可。']) }],
    );
    const r = await env.app.inject({ method: 'POST', url: `/admin/decisions/${d.id}/consultations/new`, headers: { cookie: s.cookie, 'content-type': m.contentType }, payload: m.body });
    expect(r.statusCode, r.body.slice(0, 2000)).toBe(303);
    const cid = Number(/\/admin\/consultations\/(\d+)/.exec(r.headers.location as string)![1]);
    const c = await row(cid);
    expect(c.opens_at).toBe(opens.toISOString());
    const page = await env.app.inject({ method: 'GET', url: `/admin/consultations/${cid}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('为规范游船管理，制定本办法。');
    expect(page.body).toContain('与下一条合并');
    const token = csrfFrom(page.body);
    // Without the confirmation box: refused, still a draft.
    const noConfirm = await env.app.inject({ method: 'POST', url: `/admin/consultations/${cid}/open`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(token)}` });
    expect(noConfirm.statusCode).toBe(400);
    expect((await row(cid)).state).toBe('draft');
    const ok = await env.app.inject({ method: 'POST', url: `/admin/consultations/${cid}/open`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(token)}&confirm=yes` });
    expect(ok.statusCode, ok.body.slice(0, 1000)).toBe(303);
    expect((await row(cid)).state).toBe('open');
    const after = await env.app.inject({ method: 'GET', url: `/admin/consultations/${cid}?done=opened`, headers: { cookie: s.cookie } });
    expect(after.body).toContain('已开始公开征求意见。');
    expect(after.body).toContain('结束征求意见');
    expect(after.body).not.toContain('与下一条合并');
  });
});

describe('demo', () => {
  it('open and closed demo consultations: a varied 管理办法 of 10–20 articles, periods of 30 days or more', async () => {
    const titles = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const state = seed % 2 ? 'open' : 'closed';
      const d = await makeDecision(env, { title: `示范新区第${seed}项重大行政决策` });
      const { id } = await demoConsultation(env.p, d.id, { state, seed });
      const c = await row(id);
      titles.add(c.title);
      const articles = await env.p.db.selectFrom('dec_articles').selectAll().where('consultation_id', '=', id).orderBy('seq').execute();
      const numbered = articles.filter((a) => /^第.+条$/.test(a.label));
      expect(numbered.length).toBeGreaterThanOrEqual(10);
      expect(numbered.length).toBeLessThanOrEqual(20);
      expect(articles[0].label).toBe('');
      expect(articles.some((a) => a.label === '第一章')).toBe(true);
      expect(Date.parse(c.closes_at) - Date.parse(c.opens_at)).toBeGreaterThanOrEqual(30 * DAY);
      expect(c.item_id).not.toBeNull();
      const now = Date.now();
      if (state === 'open') {
        expect(c.state).toBe('open');
        expect(Date.parse(c.opens_at)).toBeLessThan(now);
        expect(Date.parse(c.closes_at)).toBeGreaterThan(now);
        expect((await stageOf(d.id)).state).toBe('active');
      } else {
        expect(c.state).toBe('closed');
        expect(Date.parse(c.closes_at)).toBeLessThan(now);
        expect((await stageOf(d.id)).state).toBe('done');
      }
    }
    expect(titles.size).toBeGreaterThan(1);
    // A decision titled with a subject gets that subject's draft, whatever the seed.
    for (const seed of [1, 2]) {
      const d = await makeDecision(env, { title: '关于制定《示范新区养犬管理办法》的决策' });
      const c = await row((await demoConsultation(env.p, d.id, { state: 'open', seed })).id);
      expect(c.title).toContain('养犬管理办法');
    }
  });
});
