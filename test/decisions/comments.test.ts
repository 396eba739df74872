// Consultation comments over the API: the closing-second cut-off (one second before accepted, at
// the closing second refused with the time in Beijing time), not before it opens; moderation
// (pending and hidden never public, counts right, audited); the per-address budget (429); the
// verification code by SMS; permissions per department; hostile input answered 4xx; the export.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { COMMENT_RATE_LIMIT } from '../../src/modules/decisions/service/comments.js';
import { comments, consultation, fresh, STAFF } from './comments-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
}, 120_000);
afterEach(() => vi.useRealTimers());
afterAll(async () => env?.close());

const post = (cid: number, payload: object, ip = fresh()) => env.app.inject({ method: 'POST', url: `/api/v1/consultations/${cid}/comments`, remoteAddress: ip, payload });
const BODY = '建议将第二条中的“城市建成区”改为“城镇开发边界内”，范围更清楚。';

function smsTo(to: string): string[] {
  const dir = join(env.dataDir, 'outbox-sms');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((m) => m.to === to)
    .map((m) => m.text as string);
}

describe('the comment period', () => {
  it('one second before closes_at accepted; at the closing second refused 409 with the time in Beijing time', async () => {
    // 2026-12-31T16:00:00Z is 2027-01-01 00:00:00 in Beijing.
    const c = await consultation(env, { opensAt: '2026-12-01T00:00:00.000Z', closesAt: '2026-12-31T16:00:00.000Z' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-31T15:59:59.000Z'));
    const ok = await post(c.id, { body: BODY, articleId: c.articles[1] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'pending', verified: false });
    vi.setSystemTime(new Date('2026-12-31T16:00:00.000Z'));
    const late = await post(c.id, { body: BODY });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('本次征求意见已于2027-01-01 00:00:00（北京时间）截止，不再接收意见。');
    vi.setSystemTime(new Date('2026-12-31T16:00:00.500Z'));
    expect((await post(c.id, { body: BODY })).statusCode).toBe(409);
    const rows = await env.p.db.selectFrom('dec_comments').select('id').where('consultation_id', '=', c.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('refused before opens_at (409 with the opening time), for a closed consultation, and 404 for a draft or unknown one', async () => {
    const later = await consultation(env, { opensAt: new Date(Date.now() + 86400_000).toISOString() });
    const r = await post(later.id, { body: BODY });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('尚未开始');
    const closed = await consultation(env, { state: 'closed' });
    expect((await post(closed.id, { body: BODY })).statusCode).toBe(409);
    const draft = await consultation(env, { state: 'draft' });
    expect((await post(draft.id, { body: BODY })).statusCode).toBe(404);
    expect((await post(99999999, { body: BODY })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${draft.id}/comments` })).statusCode).toBe(404);
  });
});

describe('moderation and the public list', () => {
  it('pending and hidden comments are not public; counts received / published / pending / hidden by reason; audited', async () => {
    const c = await consultation(env);
    const ids: number[] = [];
    for (const [i, b] of ['第一条意见：建议增加犬只登记的线上渠道。', '第二条意见：罚款标准偏高，建议分档。', '总体意见：办法整体可行。', '重复提交：办法整体可行。'].entries()) {
      const r = await post(c.id, { body: b, articleId: i < 2 ? c.articles[i] : null, name: '王小明' });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    const pub = () => env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments` }).then((r) => r.json());
    expect((await pub()).total).toBe(0);
    const mod = (id: number, as: string, body: object) => env.api('POST', `/api/v1/staff/comments/${id}/moderation`, { as, body });
    expect((await mod(ids[0], 'fgj-editor', { action: 'publish' })).statusCode).toBe(200);
    expect((await mod(ids[2], 'fgj-editor', { action: 'publish' })).statusCode).toBe(200);
    const hide = await mod(ids[3], 'fgj-editor', { action: 'hide', reason: 'duplicate' });
    expect(hide.statusCode, hide.body).toBe(200);
    expect(hide.json()).toMatchObject({ status: 'hidden', hideReason: 'duplicate', moderatedBy: 'user:fgj-editor' });
    // Hiding without a reason: 400 naming reason.
    const noReason = await mod(ids[1], 'fgj-editor', { action: 'hide' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toHaveProperty('reason');

    const all = await pub();
    expect(all.total).toBe(2);
    expect(all.items.map((x: any) => x.id)).toEqual([ids[2], ids[0]]); // newest first
    expect(all.items[0].name).toBe('王**');
    expect(JSON.stringify(all)).not.toContain('王小明');
    expect(all.counts).toMatchObject({ received: 4, published: 2, pending: 1, hidden: 1, hiddenBy: { duplicate: 1, abuse: 0 }, publishedOn: { general: 1, [String(c.articles[0])]: 1 } });
    const onArticle = await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments?article=${c.articles[0]}` }).then((r) => r.json());
    expect(onArticle.items.map((x: any) => x.id)).toEqual([ids[0]]);
    const general = await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments?article=general` }).then((r) => r.json());
    expect(general.items.map((x: any) => x.id)).toEqual([ids[2]]);

    const audit = await env.p.db.selectFrom('audit_events').selectAll().where('entity', '=', 'dec_comment').where('entity_id', '=', String(ids[3])).execute();
    expect(audit.map((a) => a.action)).toEqual(['decisions.comment.hide']);
  });

  it('pagination: 45 published comments, 20 a page, newest first', async () => {
    const c = await consultation(env);
    const ids = await comments(env, c.id, Array.from({ length: 45 }, (_, i) => ({ articleId: c.articles[0], body: `第${i}条意见内容` })));
    const page3 = await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments?article=${c.articles[0]}&page=3` }).then((r) => r.json());
    expect(page3.total).toBe(45);
    expect(page3.items.map((x: any) => x.id)).toEqual(ids.slice(0, 5).reverse());
  });
});

describe('permissions per department', () => {
  it("another department's moderator gets 404; a reader without moderation 403; the department's own 200", async () => {
    const c = await consultation(env);
    const [id] = await comments(env, c.id, [{ status: 'pending', name: '李四', phone: '13900002222' }]);
    expect((await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments`, { as: 'fgj-editor' })).statusCode).toBe(200);
    expect((await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments`, { as: 'fgj-approver' })).statusCode).toBe(403);
    expect((await env.api('POST', `/api/v1/staff/comments/${id}/moderation`, { as: 'scjg-editor', body: { action: 'publish' } })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments/export?format=csv`, { as: 'scjg-editor' })).statusCode).toBe(404);
    expect((await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments`)).statusCode).toBe(401);
    const row = await env.p.db.selectFrom('dec_comments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });
});

describe('the per-address budget', () => {
  it(`the ${COMMENT_RATE_LIMIT + 1}th comment in a minute from one address is refused 429; another address goes on; the address is stored only as a hash`, async () => {
    const c = await consultation(env);
    const ip = '10.200.1.7';
    for (let i = 0; i < COMMENT_RATE_LIMIT; i++) expect((await post(c.id, { body: `${BODY}${i}` }, ip)).statusCode).toBe(201);
    const over = await post(c.id, { body: BODY }, ip);
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    expect((await post(c.id, { body: BODY }, '10.200.1.8')).statusCode).toBe(201);
    const rows = await env.p.db.selectFrom('dec_comments').select('client_hash').where('consultation_id', '=', c.id).execute();
    expect(rows[0].client_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('10.200.1.7');
  });
});

describe('verification by a code', () => {
  it('a code sent by SMS verifies the comment; a wrong code is 400 on verifyCode; the code works once', async () => {
    const c = await consultation(env);
    const phone = '13911112222';
    const sent = await env.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/comments/verification-code`, remoteAddress: fresh(), payload: { phone } });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json()).toEqual({ channel: 'sms' });
    await env.drain();
    const text = smsTo(phone).at(-1) ?? '';
    const code = /(\d{6})/.exec(text)?.[1];
    expect(code).toBeDefined();
    const wrong = await post(c.id, { body: BODY, phone, verifyCode: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toHaveProperty('verifyCode');
    const ok = await post(c.id, { body: BODY, phone, verifyCode: code });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().verified).toBe(true);
    expect((await post(c.id, { body: BODY, phone, verifyCode: code })).statusCode).toBe(400);
    // A second code for the same phone within a minute: 409.
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/comments/verification-code`, remoteAddress: fresh(), payload: { phone } })).statusCode).toBe(409);
    // Without a contact, or with a bad one: 400.
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/comments/verification-code`, remoteAddress: fresh(), payload: {} })).statusCode).toBe(400);
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/comments/verification-code`, remoteAddress: fresh(), payload: { phone: '12345' } })).statusCode).toBe(400);
  });
});

describe('hostile input', () => {
  it('is answered 4xx naming the field, nothing stored', async () => {
    const c = await consultation(env);
    const other = await consultation(env);
    const cases: [object, string | null][] = [
      [{ body: 'abc' }, 'body'],
      [{ body: '好'.repeat(3001) }, 'body'],
      [{ body: `有控制字符\u0001的意见内容` }, 'body'],
      [{ body: BODY, articleId: other.articles[0] }, 'articleId'],
      [{ body: BODY, email: 'not-an-email' }, 'email'],
      [{ body: BODY, phone: '1234' }, 'phone'],
      [{ body: BODY, name: 'x'.repeat(41) }, 'name'],
      [{ body: BODY, verifyCode: '12' }, 'verifyCode'],
      [{ body: BODY, articleId: 'one' }, null],
      [{ body: BODY, extra: 1 }, null],
      [{ body: 42 }, null],
      [{}, null],
    ];
    for (const [payload, field] of cases) {
      const r = await post(c.id, payload);
      expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      if (field) expect(r.json().error.fields, JSON.stringify(payload).slice(0, 80)).toHaveProperty(field);
    }
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/consultations/abc/comments`, remoteAddress: fresh(), payload: { body: BODY } })).statusCode).toBe(400);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments?article=1%27%20or%201=1` })).statusCode).toBe(400);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/consultations/${c.id}/comments?page=0` })).statusCode).toBe(400);
    expect((await env.api('POST', `/api/v1/staff/comments/1/moderation`, { as: 'fgj-editor', body: { action: 'delete' } })).statusCode).toBe(400);
    expect((await env.api('POST', `/api/v1/staff/comments/99999999/moderation`, { as: 'fgj-editor', body: { action: 'publish' } })).statusCode).toBe(404);
    const rows = await env.p.db.selectFrom('dec_comments').select('id').where('consultation_id', '=', c.id).execute();
    expect(rows).toHaveLength(0);
  });
});

describe('the export', () => {
  it('CSV and XLSX hold every comment with contacts, status and reason; a formula-like text is defused', async () => {
    const c = await consultation(env);
    await comments(env, c.id, [
      { name: '张三', email: 'zhang@example.cn', phone: '13800001111', body: '=HYPERLINK("http://x")建议补充', status: 'pending', articleId: c.articles[0] },
      { name: '', body: '同意草案。整体可行。', status: 'published' },
      { name: '赵六', body: '骂人的话不予公开', status: 'hidden', hideReason: 'abuse' },
    ]);
    const csv = await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments/export?format=csv`, { as: 'fgj-editor' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('编号,条款,姓名,电子邮箱,手机号码,已验证联系方式,意见内容,状态,不予公开理由,审核人,审核时间,提交时间');
    expect(lines[1]).toContain('第一条,张三,zhang@example.cn,13800001111,否,"\'=HYPERLINK(""http://x"")建议补充",待审核');
    expect(lines[2]).toContain('对草案的总体意见,匿名');
    expect(lines[3]).toContain('不予公开,含有辱骂、攻击等不当内容');

    const xlsx = await env.api('GET', `/api/v1/staff/consultations/${c.id}/comments/export?format=xlsx`, { as: 'fgj-editor' });
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(2).getCell(3).value).toBe('张三');
    expect(ws.getRow(2).getCell(7).value).toBe('=HYPERLINK("http://x")建议补充');
    expect(ws.getRow(2).getCell(7).formula).toBeUndefined();
    expect(ws.getRow(4).getCell(9).value).toBe('含有辱骂、攻击等不当内容');
  });
});
