// Disclosure requests, replies (答复 and 告知书, Art. 36–39): every reply type's required fields
// (a missing one → 400 naming it, at submit), a partial disclosure with its grounds, separation of
// duties (the drafter never approves or signs; another department's approver cannot reach it),
// signing stores the letter (its hash is the file's), delivery completes the reply clock and
// closes with the outcome and the date, a second reply is refused, the status page shows the
// letter only after delivery, and hostile text stays text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { form, login, makeEnv, type TestEnv } from '../helpers.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { filePath } from '../../src/platform/files/index.js';
import { sm3 } from '../../src/platform/hash.js';
import { makePdf } from '../../src/modules/catalog/demo/samples.js';
import { register, statusPage, step } from './util.js';

let env: TestEnv;
let publicItem: { id: number; title: string };
let hiddenItem: number;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  await ensureCalendar(env.p.db);
  publicItem = (await env.p.db.selectFrom('pub_items').select(['id', 'title']).where('public', '=', 1).orderBy('id').executeTakeFirstOrThrow()) as { id: number; title: string };
  const hidden = await env.p.db.selectFrom('pub_items').select('id').where('public', '=', 0).executeTakeFirst();
  hiddenItem = hidden ? Number(hidden.id) : 2147483000;
}, 120_000);
afterAll(async () => env?.close());

const row = (id: number) => env.p.db.selectFrom('disclosure_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const draft = (id: number, body: Record<string, unknown>, as = 'gkb-requests') => env.api('PUT', `/api/v1/staff/disclosure-requests/${id}/reply`, { as, body });
const getReply = async (id: number) => (await env.api('GET', `/api/v1/staff/disclosure-requests/${id}/reply`, { as: 'gkb-requests' })).json();
const fieldsOf = (res: { json(): any }) => Object.keys(res.json().error?.fields ?? {});

/** Draft → submit → approve → sign (the office head of 政务公开办). */
async function toSigned(id: number, body: Record<string, unknown>) {
  const d = await draft(id, body);
  expect(d.statusCode, d.body).toBe(200);
  for (const [as, action, b] of [
    ['gkb-requests', 'reply-submit', {}],
    ['gkb-approver', 'reply-decision', { approve: true }],
    ['gkb-approver', 'reply-sign', {}],
  ] as const) {
    const res = await step(env, as, id, action, b);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  }
  return getReply(id);
}

describe('reply types (Art. 36–39): each records its Table 三 leaf and cannot go without its fields', () => {
  // [type, incomplete draft, the field named, complete draft, the outcome recorded]
  const cases: [string, Record<string, unknown>, string, Record<string, unknown>, string][] = [
    ['already-public', {}, 'fields.where', { fields: { where: '区政府门户网站“政府信息公开”栏目' } }, 'disclosed'],
    ['disclosed', {}, 'attachments', { fields: { how: '请于工作日到区政务服务中心3号窗口领取纸质件' } }, 'disclosed'],
    ['partly-disclosed', { fields: { how: '到3号窗口领取' } }, 'withheld', { fields: { how: '到3号窗口领取' }, withheld: [{ part: '被征收人身份证号码', ground: 'withheld.third-party', reason: '涉及个人隐私' }] }, 'partly-disclosed'],
    ['withheld', {}, 'fields.ground', { fields: { ground: 'withheld.process-info', reason: '属于讨论中的过程性信息' } }, 'withheld.process-info'],
    ['withheld', { fields: { ground: 'withheld.state-secret' } }, 'fields.reason', { fields: { ground: 'withheld.state-secret', reason: '经定密属于秘密级' } }, 'withheld.state-secret'],
    ['special-registry', {}, 'fields.registry', { fields: { registry: '不动产登记信息请向区不动产登记中心查询' } }, 'withheld.administrative-query'],
    ['not-held', {}, 'fields.searched', { fields: { searched: '检索了2019年以来的收文和档案' } }, 'unavailable.not-held'],
    ['not-ours', {}, 'fields.agency', { fields: { undetermined: '所述事项无法确定主管机关' } }, 'unavailable.not-held'],
    ['needs-creation', {}, 'fields.reason', { fields: { reason: '需汇总统计各街道数据' } }, 'unavailable.needs-creation'],
    ['unclear', { fields: { reason: '仍未说明所需信息' } }, 'type', { fields: { reason: '仍未说明所需信息' } }, ''],
    ['repeat', { fields: { earlierNo: 'YS202601010001' } }, 'fields.earlierOn', { fields: { earlierNo: 'YS202601010001', earlierOn: '2026-01-15' } }, 'not-processed.repeat'],
    ['publication', { fields: { publication: '示范区年鉴2025' } }, 'fields.where', { fields: { publication: '示范区年鉴2025', where: '区图书馆' } }, 'not-processed.publication'],
    ['excessive', {}, 'fields.reason', { fields: { reason: '一个月内提出120件内容相近的申请' } }, 'not-processed.excessive'],
    ['confirm-or-reissue', {}, 'fields.reason', { fields: { reason: '要求加盖公章确认已获取的文件' } }, 'not-processed.confirm-or-reissue'],
    ['other', {}, 'fields.reason', { fields: { reason: '其他情形说明' } }, 'other.other'],
  ];

  it('a missing field → 400 naming it at submit; complete, it goes to the office head with its outcome', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    for (const [type, incomplete, field, complete, outcome] of cases) {
      expect((await draft(r.id, { type, ...incomplete })).statusCode, type).toBe(200);
      const refused = await step(env, 'gkb-requests', r.id, 'reply-submit');
      expect(refused.statusCode, `${type}: ${refused.body}`).toBe(400);
      expect(fieldsOf(refused), type).toEqual([field]);
      expect((await getReply(r.id)).status).toBe('draft');
      if (!outcome) continue; // 'unclear' needs a correction received first (below)
      expect((await draft(r.id, { type, ...complete })).statusCode, type).toBe(200);
      const x = await getReply(r.id);
      expect(x.outcome, type).toBe(outcome);
      // The letter cites the provision and the request.
      expect(x.body, type).toContain('《中华人民共和国政府信息公开条例》');
      expect(x.body, type).toContain('幸福路片区旧城改造项目征收补偿方案');
      const ok = await step(env, 'gkb-requests', r.id, 'reply-submit');
      expect(ok.statusCode, `${type}: ${ok.body}`).toBe(200);
      // Returned for the next type (a note is required to return).
      expect(fieldsOf(await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: false }))).toEqual(['note']);
      expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: false, note: '请改用另一种答复' })).statusCode).toBe(200);
    }
    expect((await getReply(r.id)).approvalNote).toBe('请改用另一种答复');
  });

  it('"unclear" is open only after the corrected request arrived (Art. 30)', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    expect((await step(env, 'gkb-requests', r.id, 'correction', { items: ['请写明所需信息的名称'] })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'corrected', {})).statusCode).toBe(200);
    const x = await toSigned(r.id, { type: 'unclear', fields: { reason: '补正后仍未说明所需信息的名称或特征' } });
    expect(x).toMatchObject({ status: 'signed', outcome: 'unavailable.unclear-after-correction' });
  });

  it('bad input: 400 naming the field, nothing written', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'withheld', fields: { ground: 'withheld.made-up', reason: 'x' } }, 'fields.ground'],
      [{ type: 'withheld', fields: { ground: 'withheld.administrative-query', reason: 'x' } }, 'fields.ground'],
      [{ type: 'partly-disclosed', withheld: [{ part: '某部分', ground: 'withheld.third-party', reason: '' }] }, 'withheld'],
      [{ type: 'disclosed', itemIds: [hiddenItem] }, 'itemIds'],
      [{ type: 'repeat', fields: { earlierNo: 'x', earlierOn: '2026-02-30' } }, 'fields.earlierOn'],
      [{ type: 'disclosed', attachments: [{ name: 'evil.exe', content: Buffer.from('MZ\x90\x00 not a document').toString('base64') }] }, 'attachments.0'],
    ];
    for (const [body, field] of cases) {
      const res = await draft(r.id, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res)[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
    }
    expect((await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}/reply`, { as: 'gkb-requests' })).statusCode).toBe(404);
    expect(await env.p.db.selectFrom('request_replies').select('id').where('request_id', '=', r.id).execute()).toEqual([]);
    // A step before any draft: 409.
    expect((await step(env, 'gkb-requests', r.id, 'reply-submit')).statusCode).toBe(409);
  });
});

describe('separation of duties', () => {
  it('the drafter never approves or signs; another department cannot reach it; the signer is the office head', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    expect((await draft(r.id, { type: 'not-held', fields: { searched: '检索了收文登记和档案目录' } })).statusCode).toBe(200);
    // An approver does not draft (request.handle).
    expect((await draft(r.id, { type: 'not-held', fields: { searched: 'x' } }, 'gkb-approver')).statusCode).toBe(403);
    expect((await step(env, 'gkb-requests', r.id, 'reply-submit')).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'reply-decision', { approve: true })).statusCode).toBe(403);
    expect((await step(env, 'fgj-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(404);
    // Not signed before approval.
    expect((await step(env, 'gkb-approver', r.id, 'reply-sign')).statusCode).toBe(409);
    expect((await step(env, 'gkb-approver', r.id, 'reply-decision', { approve: true })).statusCode).toBe(200);
    expect((await step(env, 'gkb-requests', r.id, 'reply-sign')).statusCode).toBe(403);
    expect((await step(env, 'fgj-approver', r.id, 'reply-sign')).statusCode).toBe(404);
    // Delivery is the handler's: not before signing.
    expect((await step(env, 'gkb-requests', r.id, 'reply-deliver', { channel: 'online' })).statusCode).toBe(409);
    expect((await step(env, 'gkb-approver', r.id, 'reply-sign', { letterNo: '示政公开〔2026〕1号' })).statusCode).toBe(200);
    const x = await getReply(r.id);
    expect(x).toMatchObject({ status: 'signed', draftedBy: 'user:gkb-requests', approvedBy: 'user:gkb-approver', signedBy: 'user:gkb-approver', signerName: '政务公开办负责人', letterNo: '示政公开〔2026〕1号' });
    expect((await step(env, 'gkb-approver', r.id, 'reply-deliver', { channel: 'online' })).statusCode).toBe(403);
  });
});

describe('signing and delivery', () => {
  it('a partial disclosure: withheld parts with their grounds, an attached file, a linked item; signed letter stored with its hash; delivered by e-mail; the status page shows it only then', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    const pdf = makePdf(['Compensation plan (redacted)']);
    const d = await draft(r.id, {
      type: 'partly-disclosed',
      itemIds: [publicItem.id],
      attachments: [{ name: '征收补偿方案（删除个人信息）.pdf', content: pdf.toString('base64') }],
      withheld: [
        { part: '被征收人姓名和身份证号码', ground: 'withheld.third-party', reason: '涉及个人隐私，权利人不同意公开。' },
        { part: '评估讨论记录', ground: 'withheld.process-info', reason: '属于内部讨论记录。' },
      ],
    });
    expect(d.statusCode, d.body).toBe(200);
    const x0 = d.json();
    expect(x0.attachments).toEqual([expect.objectContaining({ name: '征收补偿方案（删除个人信息）.pdf', mime: 'application/pdf', size: pdf.length })]);
    expect(x0.body).toContain('第三十七条');
    expect(x0.body).toContain('被征收人姓名和身份证号码：保护第三方合法权益（《中华人民共和国政府信息公开条例》第十五条）');
    expect(x0.body).toContain('属于四类过程性信息（《中华人民共和国政府信息公开条例》第十六条第二款）');
    expect(x0.body).toContain(`${publicItem.title}（`);
    expect(x0.body).toContain(`/catalog/items/${publicItem.id}）`);
    // Edited text is kept; regenerate brings the template back.
    const edited = `${x0.body}\n特此告知。`;
    expect((await draft(r.id, { type: 'partly-disclosed', itemIds: [publicItem.id], withheld: x0.withheld, body: edited })).json().body).toBe(edited);

    const x = await toSigned(r.id, { type: 'partly-disclosed', itemIds: [publicItem.id], withheld: x0.withheld, body: edited });
    expect(x.attachments).toHaveLength(1);
    // The stored letter: its SM3 hash is the hash of its bytes; it carries the heading, number, addressee, text, remedy, agency, date, signer.
    const bytes = readFileSync(filePath(env.dataDir, x.letterHash));
    expect(sm3(bytes)).toBe(x.letterHash);
    const html = bytes.toString('utf8');
    for (const s of ['政府信息公开申请答复告知书', x.letterNo, '张建国：', '特此告知。', '六十日内依法申请行政复议', '六个月内依法向人民法院提起行政诉讼', '签发人：政务公开办负责人', todayShanghai()]) expect(html).toContain(s);
    // Frozen: no edit after signing.
    expect((await draft(r.id, { type: 'partly-disclosed', body: '改写' })).statusCode).toBe(409);

    // Before delivery the requester sees nothing of it.
    const before = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(before.body).not.toContain('政府信息公开申请答复告知书');
    expect(before.body).not.toContain('特此告知');
    const lookupBefore = await env.app.inject({ method: 'POST', url: `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, payload: { code: r.queryCode } });
    expect(lookupBefore.json().reply).toBeNull();

    const mails = existsSync(join(env.dataDir, 'outbox-mail')) ? readdirSync(join(env.dataDir, 'outbox-mail')).length : 0;
    const del = await step(env, 'gkb-requests', r.id, 'reply-deliver', {});
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ state: 'replied', dueDate: null });
    expect(await row(r.id)).toMatchObject({ state: 'replied', outcome: 'partly-disclosed', closed_on: todayShanghai() });
    expect(await getReply(r.id)).toMatchObject({ status: 'delivered', deliveryChannel: 'email', deliveredOn: todayShanghai() });
    await env.drain();
    const files = readdirSync(join(env.dataDir, 'outbox-mail'));
    expect(files.length).toBeGreaterThan(mails);
    expect(files.map((f) => readFileSync(join(env.dataDir, 'outbox-mail', f), 'utf8')).some((m) => m.includes('To: zhang@example.cn') && m.includes('text/html'))).toBe(true);

    // The status page: the letter (the name masked), the outcome, the item, the file through a short-lived link.
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('政府信息公开申请答复告知书');
    expect(page.body).toContain('部分公开');
    expect(page.body).toContain('特此告知。');
    expect(page.body).toContain('张**：');
    expect(page.body).not.toContain('张建国');
    expect(page.body).toContain(`href="/catalog/items/${publicItem.id}"`);
    const link = /href="(\/disclosure-requests\/reply-files\/[^"]+)"/.exec(page.body)![1];
    const file = await env.app.inject({ url: link.replace(/&amp;/g, '&') });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect((await env.app.inject({ url: `/disclosure-requests/reply-files/${encodeURIComponent('x.y')}` })).statusCode).toBe(404);
    const lookup = await env.app.inject({ method: 'POST', url: `/api/v1/disclosure-requests/${r.trackingNo}/lookup`, payload: { code: r.queryCode } });
    expect(lookup.json().reply).toMatchObject({ type: 'partly-disclosed', outcome: 'partly-disclosed', letter: { addressee: '张**', signer: '政务公开办负责人' }, items: [{ id: publicItem.id }] });
  });

  it('delivery completes the reply clock and closes with the outcome and date; post needs the tracking number; a second reply is refused', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai(), channelWanted: 'post' });
    await toSigned(r.id, { type: 'already-public', itemIds: [publicItem.id] });
    const noRef = await step(env, 'gkb-requests', r.id, 'reply-deliver', {});
    expect(noRef.statusCode).toBe(400);
    expect(fieldsOf(noRef)).toEqual(['ref']);
    expect((await step(env, 'gkb-requests', r.id, 'reply-deliver', { ref: 'EMS1234567890', on: '2099-01-01' })).statusCode).toBe(400);
    const ok = await step(env, 'gkb-requests', r.id, 'reply-deliver', { ref: 'EMS1234567890' });
    expect(ok.statusCode, ok.body).toBe(200);
    const clocks = await env.p.db.selectFrom('clocks').select(['state', 'closed_on']).where('subject_type', '=', 'disclosure-request').where('subject_id', '=', String(r.id)).execute();
    expect(clocks).toEqual([{ state: 'completed', closed_on: todayShanghai() }]);
    expect(await row(r.id)).toMatchObject({ state: 'replied', outcome: 'disclosed', closed_on: todayShanghai(), due_date: null });
    expect(await getReply(r.id)).toMatchObject({ deliveryChannel: 'post', deliveryRef: 'EMS1234567890' });
    for (const [action, body] of [
      ['reply-deliver', { ref: 'EMS1' }],
      ['reply-submit', {}],
    ] as const) {
      const again = await step(env, 'gkb-requests', r.id, action, body);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('不能再次答复');
    }
    expect((await draft(r.id, { type: 'other', fields: { reason: '再答复一次' } })).statusCode).toBe(409);
    const d = (await env.api('GET', `/api/v1/staff/disclosure-requests/${r.id}`, { as: 'gkb-requests' })).json();
    expect(d.events.find((e: any) => e.kind === 'replied')).toMatchObject({ public: true, data: { outcome: 'disclosed', channel: 'post' } });
  });

  it('hostile text in a reply stays text on the status page and in the stored letter', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai(), channelWanted: 'online', infoName: '<img src=x onerror=alert(1)>名单' });
    const x = await toSigned(r.id, { type: 'other', fields: { reason: '<script>alert("gk")</script>请知悉' } });
    const html = readFileSync(filePath(env.dataDir, x.letterHash), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script>alert');
    expect((await step(env, 'gkb-requests', r.id, 'reply-deliver', {})).statusCode).toBe(200);
    const page = await statusPage(env.app, r.trackingNo, r.queryCode);
    expect(page.body).toContain('请知悉');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
  });
});

describe('the console', () => {
  it('the reply panel: the type, its fields, the text; sign asks for confirmation; the print view is the letter', async () => {
    const r = await register(env, 'gkb-requests', { arrivedOn: todayShanghai() });
    const handler = await login(env.app, 'gkb-requests');
    const post = (s: { cookie: string; csrf: string }, action: string, body: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/disclosure-requests/${r.id}/${action}`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, ...body }) });
    const page = async (s: { cookie: string }) => (await env.app.inject({ url: `/admin/disclosure-requests/${r.id}`, headers: { cookie: s.cookie } })).body;
    expect(await page(handler)).toContain('部分公开（第三十七条）');
    expect((await post(handler, 'reply', { type: 'withheld' })).statusCode).toBe(303);
    let html = await page(handler);
    expect(html).toContain('name="fields.ground"');
    expect(html).toContain('name="fields.reason"');
    expect(html).toContain('name="body"');
    const bad = await post(handler, 'reply', { type: 'withheld', 'fields.ground': 'withheld.nonsense', 'fields.reason': '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请选择不予公开的理由类别。');
    expect((await post(handler, 'reply', { type: 'withheld', 'fields.ground': 'withheld.internal-affairs', 'fields.reason': '属于人事管理信息', body: '经审查，该信息属于内部事务信息。' })).statusCode).toBe(303);
    expect((await post(handler, 'reply-submit', {})).statusCode).toBe(303);
    const head = await login(env.app, 'gkb-approver');
    expect((await post(head, 'reply-decision', { approve: '1' })).statusCode).toBe(303);
    html = await page(head);
    expect(html).toContain('s-reply-sign');
    const unconfirmed = await post(head, 'reply-sign', {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('请确认签发。');
    expect((await post(head, 'reply-sign', { confirm: 'yes' })).statusCode).toBe(303);
    const print = await env.app.inject({ url: `/admin/disclosure-requests/${r.id}/reply/print`, headers: { cookie: head.cookie } });
    expect(print.body).toContain('经审查，该信息属于内部事务信息。');
    expect(print.body).toContain('签发人：政务公开办负责人');
    // Its own styles are allowed (the console's policy would strip them), and nothing else: no script runs.
    expect(print.body).toContain('<style>');
    expect(print.headers['content-security-policy']).toContain("style-src 'unsafe-inline'");
    expect(print.headers['content-security-policy']).toContain("default-src 'none'");
    expect(print.headers['content-security-policy']).not.toContain('script-src');
    expect((await getReply(r.id)).outcome).toBe('withheld.internal-affairs');
    // Another department's staff do not reach it.
    const other = await login(env.app, 'fgj-editor');
    expect((await env.app.inject({ url: `/admin/disclosure-requests/${r.id}/reply/print`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
  });
});
