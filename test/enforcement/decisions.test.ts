// 双公示 decisions: entry with field errors, the publication clock (7 working days from the
// decision date), approval by someone other than the author, publication through the spine with
// the display period, a minor penalty never public, natural persons masked (list, API, page and the
// spine's version text), the public list and API only with decisions on display, search, isolation
// between departments, the console flow, and the annual report's Table 二 rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { createUser } from '../../src/modules/org/service.js';
import { addWorkdays, ensureCalendar, plusDays, todayShanghai } from '../../src/platform/calendar/index.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';
import { assembleAnnualReport } from '../../src/platform/annual-report.js';
import { isValidUscc } from '../../src/modules/enforcement/service/uscc.js';
import { publicAddress } from '../../src/modules/enforcement/items.js';
import { addMonths, dayBefore } from '../../src/modules/enforcement/service/period.js';

let env: TestEnv;
let ids: Map<string, number>;
const TODAY = todayShanghai();
const DAY = plusDays(TODAY, -3);
const ID_NUMBER = withIdCheckDigit('21021319850312421');
/** 91350100M000100Y43 is a real published code (check character 3). */
const CODE = '91350100M000100Y43';
let seq = 0;

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  ids = await demoOrg(env.p, { users: ['scjg-editor', 'scjg-approver', 'fgj-editor', 'fgj-approver', 'admin'], departments: ['whly'] });
  // One person who both enters and approves in 市场监管局: the approval must go to someone else.
  await createUser(env.p, 'cli', { username: 'scjg-both', password: 'Demo-2026-gongkai', displayName: '市场监管局编辑兼审核', department: 'scjg', roles: [{ role: 'editor', includeChildren: false }, { role: 'approver', includeChildren: false }] });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const api = (method: string, url: string, as?: string, body?: unknown) => env.api(method, url, { as, body });
const get = (url: string) => env.app.inject({ method: 'GET', url });

function penalty(over: Record<string, unknown> = {}) {
  seq++;
  return {
    kind: 'penalty',
    departmentId: ids.get('scjg'),
    docNo: `示范市监罚〔2026〕${seq}号`,
    subjectType: 'legal',
    subjectName: `示范新区海味食品有限公司${seq}`,
    creditCode: CODE,
    legalRep: '王建国',
    address: '示范新区海滨路88号',
    facts: '该公司销售超过保质期的预包装食品，货值金额3200元。',
    category: ['warning', 'fine'],
    basis: '《中华人民共和国食品安全法》第一百二十四条',
    content: '警告，罚款人民币伍万元',
    result: '罚款已缴纳',
    decisionDate: DAY,
    domain: 'quality',
    severity: 'ordinary',
    ...over,
  };
}
const natural = (over: Record<string, unknown> = {}) =>
  penalty({ subjectType: 'natural', subjectName: '张建华', creditCode: '', legalRep: '', idNumber: ID_NUMBER, address: '示范新区海滨街道幸福小区3栋2单元501室', facts: '张建华在幸福路无证摆摊销售散装白酒，联系电话13812345678。', ...over });

async function entered(body: Record<string, unknown>, as = 'scjg-editor'): Promise<number> {
  const r = await api('POST', '/api/v1/decisions', as, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
async function shown(body: Record<string, unknown>): Promise<{ id: number; itemId: number }> {
  const id = await entered(body);
  expect((await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-editor')).statusCode).toBe(200);
  const a = await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver');
  expect(a.statusCode, a.body).toBe(200);
  return { id, itemId: a.json().itemId };
}
const count = async () => Number((await env.p.db.selectFrom('enf_decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const clockOf = (id: number) => env.p.db.selectFrom('clocks').select(['rule_code', 'state', 'status', 'start_date', 'due_date', 'department_id']).where('subject_type', '=', 'enforcement-decision').where('subject_id', '=', String(id)).orderBy('id').execute();

describe('checks', () => {
  it('the credit code check character (GB 32100) and the address kept for natural persons', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M0001O0Y43')).toBe(false); // O is not in the alphabet
    expect(publicAddress('辽宁省大连市示范新区海滨路88号')).toBe('辽宁省大连市示范新区');
    expect(publicAddress('示范新区海滨街道幸福小区3栋2单元501室')).toBe('示范新区海滨街道');
    expect(publicAddress('幸福路12号')).toBe('');
    expect(publicAddress('示范新区农贸市场5号摊位')).toBe('示范新区');
  });

  it('refuses bad input with 400 naming each field, and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [penalty({ creditCode: '91350100M000100Y44' }), 'creditCode'],
      [penalty({ creditCode: '' }), 'creditCode'],
      [penalty({ legalRep: '' }), 'legalRep'],
      [natural({ idNumber: '210213198503124210' }), 'idNumber'],
      [natural({ idNumber: '' }), 'idNumber'],
      [natural({ creditCode: CODE }), 'creditCode'],
      [penalty({ decisionDate: plusDays(TODAY, 1) }), 'decisionDate'],
      [penalty({ decisionDate: '2026-02-30' }), 'decisionDate'],
      [penalty({ severity: '' }), 'severity'],
      [penalty({ category: ['fine', 'jail'] }), 'category'],
      [penalty({ domain: 'nowhere' }), 'domain'],
      [penalty({ facts: '   ' }), 'facts'],
      [penalty({ kind: 'licensing', category: ['general', 'special'], validFrom: DAY }), 'category'],
      [penalty({ kind: 'licensing', category: ['general'], validFrom: DAY, validTo: plusDays(DAY, -1) }), 'validTo'],
      [penalty({ kind: 'licensing', category: ['general'] }), 'validFrom'],
    ];
    for (const [body, field] of cases) {
      const r = await api('POST', '/api/v1/decisions', 'scjg-editor', body);
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(Object.keys(r.json().error.fields), field).toContain(field);
    }
    // The schema's own checks: an unknown field, a wrong kind.
    expect((await api('POST', '/api/v1/decisions', 'scjg-editor', { ...penalty(), extra: 1 })).statusCode).toBe(400);
    expect((await api('POST', '/api/v1/decisions', 'scjg-editor', penalty({ kind: 'coercion' }))).json().error.fields).toHaveProperty('kind');
    expect(await count()).toBe(before);
    // The same 文号 twice in one department: the second is refused.
    const body = penalty();
    await entered(body);
    const again = await api('POST', '/api/v1/decisions', 'scjg-editor', body);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields.docNo).toContain('同一文号');
  });
});

describe('entry, approval and publication', () => {
  it('starts the 7-working-day clock at entry, from the decision date', async () => {
    const id = await entered(penalty());
    const [clock] = await clockOf(id);
    expect(clock).toMatchObject({ rule_code: 'penalty.publish', state: 'running', start_date: DAY, due_date: addWorkdays(DAY, 7).due, department_id: ids.get('scjg') });
    const lic = await entered(penalty({ kind: 'licensing', category: ['general'], validFrom: DAY, severity: '', content: '准予行政许可决定书', facts: '准予从事食品经营' }));
    expect((await clockOf(lic))[0]).toMatchObject({ rule_code: 'licensing.publish', state: 'running' });
    // A minor penalty is never displayed: no publication clock.
    expect(await clockOf(await entered(penalty({ severity: 'minor' })))).toEqual([]);
    // Changing the decision date restarts the clock from the new date.
    const d = (await api('GET', `/api/v1/decisions/${id}`, 'scjg-editor')).json();
    const put = await api('PUT', `/api/v1/decisions/${id}`, 'scjg-editor', penalty({ docNo: d.docNo, decisionDate: plusDays(DAY, -1) }));
    expect(put.statusCode, put.body).toBe(200);
    const clocks = await clockOf(id);
    expect(clocks.map((c) => c.state)).toEqual(['stopped', 'running']);
    expect(clocks[1]).toMatchObject({ start_date: plusDays(DAY, -1), due_date: addWorkdays(plusDays(DAY, -1), 7).due });
  });

  it('is approved by a holder of decision.approve who is not its author (409 for the author)', async () => {
    const id = await entered(penalty(), 'scjg-both');
    // Not before it is submitted.
    expect((await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver')).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-both')).json().status).toBe('submitted');
    const own = await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-both');
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toContain('本人录入');
    // An editor holds no decision.approve.
    expect((await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-editor')).statusCode).toBe(403);
    // Once submitted it cannot be edited; returned, it can.
    expect((await api('PUT', `/api/v1/decisions/${id}`, 'scjg-both', penalty())).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/decisions/${id}/return`, 'scjg-approver', { reason: '请补充货值金额' })).json().status).toBe('draft');
    await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-both');
    const ok = await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'published', displayMinUntil: dayBefore(addMonths(DAY, 3)), displayUntil: dayBefore(addMonths(DAY, 12)) });
    expect(ok.json().approverId).not.toBe(ok.json().authorId);
    // Approving twice: 409.
    expect((await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver')).statusCode).toBe(409);
  });

  it('publishes a catalog item (索引号, a20-06) and completes the clock; the page shows every field and the display period', async () => {
    const { id, itemId } = await shown(penalty({ severity: 'serious' }));
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'public', 'index_no', 'category', 'doc_no', 'title']).where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ type: 'penalty-decision', public: 1, category: 'a20-06' });
    expect(item.index_no).toMatch(/^\d+\/\d{4}-\d{5}$/);
    expect((await clockOf(id))[0]).toMatchObject({ state: 'completed', status: 'completed' });
    const page = await get(`/enforcement/decisions/${itemId}`);
    expect(page.statusCode).toBe(200);
    const until = dayBefore(addMonths(DAY, 36));
    for (const s of [item.doc_no, CODE, '王建国', '示范新区海滨路88号', '警告、罚款', '《中华人民共和国食品安全法》第一百二十四条', '罚款已缴纳', '严重', '产品质量', '市场监督管理局', `至 ${until}`, '公示中', item.index_no!]) expect(page.body).toContain(s);
    const one = await get(`/api/v1/penalties/${itemId}`);
    expect(one.json()).toMatchObject({ id: itemId, kind: 'penalty', severity: 'serious', displayUntil: until, category: ['warning', 'fine'], creditCode: CODE });
    // A penalty is not a licensing decision.
    expect((await get(`/api/v1/licensing/${itemId}`)).statusCode).toBe(404);
    // Licensing: a20-05, on display for 3 years.
    const lic = await shown(penalty({ kind: 'licensing', category: ['general'], validFrom: DAY, validTo: '2031-12-31', severity: '', content: '准予行政许可决定书', facts: '准予从事食品经营', licenceName: '食品经营许可证', licenceNo: 'JY12102130000001' }));
    expect((await env.p.db.selectFrom('pub_items').select('category').where('id', '=', lic.itemId).executeTakeFirstOrThrow()).category).toBe('a20-05');
    const l = (await get(`/api/v1/licensing/${lic.itemId}`)).json();
    expect(l).toMatchObject({ kind: 'licensing', licenceNo: 'JY12102130000001', validTo: '2031-12-31', displayUntil: dayBefore(addMonths(DAY, 36)) });
    expect((await get(`/enforcement/decisions/${lic.itemId}`)).body).toContain('食品经营许可证');
  });

  it('records a minor penalty as not shown: never public, clock stopped', async () => {
    const id = await entered(penalty({ severity: 'minor', subjectName: '示范新区轻微违法商店' }));
    await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-editor');
    const r = await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver');
    expect(r.json()).toMatchObject({ status: 'not-shown', itemId: null, displayUntil: null });
    expect((await get('/api/v1/penalties?q=轻微违法商店')).json().total).toBe(0);
    expect((await get('/enforcement/decisions?q=轻微违法商店')).body).toContain('共 0 条正在公示');
    expect(await env.p.db.selectFrom('pub_items').select('id').where('title', 'like', '%轻微违法商店%').execute()).toEqual([]);
  });

  it('keeps departments apart: another department can neither enter, see nor approve', async () => {
    const forbidden = await api('POST', '/api/v1/decisions', 'fgj-editor', penalty());
    expect(forbidden.statusCode).toBe(403);
    const id = await entered(penalty());
    expect((await api('GET', `/api/v1/decisions/${id}`, 'fgj-editor')).statusCode).toBe(404);
    expect((await api('PUT', `/api/v1/decisions/${id}`, 'fgj-editor', penalty())).statusCode).toBe(404);
    await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-editor');
    expect((await api('POST', `/api/v1/decisions/${id}/approve`, 'fgj-approver')).statusCode).toBe(404);
    const list = (await api('GET', '/api/v1/decisions', 'fgj-editor')).json();
    expect(list.items.every((d: { departmentId: number }) => d.departmentId === ids.get('fgj'))).toBe(true);
    // Moving a draft to another department needs decision.edit there too.
    const draft = await entered(penalty());
    expect((await api('PUT', `/api/v1/decisions/${draft}`, 'scjg-editor', penalty({ departmentId: ids.get('fgj') }))).statusCode).toBe(403);
    // The admin may act everywhere.
    expect((await api('POST', `/api/v1/decisions/${id}/approve`, 'admin')).statusCode).toBe(200);
  });
});

describe('natural persons in public', () => {
  let itemId: number;
  beforeAll(async () => {
    ({ itemId } = await shown(natural({ docNo: '示范市监罚〔2026〕自然人1号' })));
  });

  it('masks the name, hides the ID number, cuts the address — in the list, the API, the page and the spine version', async () => {
    const list = (await get('/api/v1/penalties?q=自然人1号')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ subjectName: '张**', subjectType: 'natural', creditCode: '', address: '示范新区海滨街道' });
    expect(list.items[0].facts).not.toContain('张建华');
    expect(list.items[0].facts).not.toContain('13812345678');
    const one = await get(`/api/v1/penalties/${itemId}`);
    expect(one.body).not.toContain('张建华');
    expect(one.body).not.toContain(ID_NUMBER);
    const page = await get(`/enforcement/decisions/${itemId}`);
    expect(page.body).toContain('张**');
    expect(page.body).not.toContain('张建华');
    expect(page.body).not.toContain('幸福小区');
    const listPage = await get('/enforcement/decisions?q=自然人1号');
    expect(listPage.body).toContain('张**');
    expect(listPage.body).not.toContain('张建华');
    // The spine's published version: its stored text and hashed canonical form are masked already.
    const v = await env.p.db.selectFrom('pub_versions').select(['data', 'canonical']).where('item_id', '=', itemId).executeTakeFirstOrThrow();
    for (const s of [v.data, v.canonical!]) {
      expect(s).not.toContain('张建华');
      expect(s).not.toContain(ID_NUMBER);
      expect(s).not.toContain('幸福小区');
      expect(s).not.toContain('13812345678');
    }
    const item = await env.p.db.selectFrom('pub_items').select(['title', 'summary', 'search_text']).where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(JSON.stringify(item)).not.toContain('张建华');
  });

  it("does not find natural persons by their full name (that would unmask them), but by the 文号", async () => {
    expect((await get('/api/v1/penalties?q=张建华')).json().total).toBe(0);
    expect((await get('/api/v1/penalties?q=自然人1号')).json().total).toBe(1);
  });

  it('staff see the data in full', async () => {
    const d = (await api('GET', '/api/v1/decisions?q=自然人1号', 'scjg-editor')).json().items[0];
    expect(d).toMatchObject({ subjectName: '张建华', idNumber: ID_NUMBER, address: '示范新区海滨街道幸福小区3栋2单元501室' });
  });
});

describe('the public list and API', () => {
  beforeAll(async () => {
    await shown(penalty({ subjectName: '示范新区旅游甲公司', domain: 'tourism', docNo: '示范文旅罚〔2025〕7号', decisionDate: plusDays(TODAY, -300) }));
    await shown(penalty({ subjectName: '示范新区知识产权乙公司', domain: 'ip' }));
  });

  it('lists only decisions on display, by kind, searchable by name, 文号, credit code, domain and year', async () => {
    const all = (await get('/api/v1/penalties?pageSize=100')).json();
    expect(all.total).toBe(all.items.length);
    expect(all.items.every((d: { kind: string; status: string }) => d.kind === 'penalty' && d.status === 'published')).toBe(true);
    expect((await get('/api/v1/licensing')).json().items.every((d: { kind: string }) => d.kind === 'licensing')).toBe(true);
    expect((await get('/api/v1/penalties?q=旅游甲')).json().items.map((d: { subjectName: string }) => d.subjectName)).toEqual(['示范新区旅游甲公司']);
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('文旅罚〔2025〕')}`)).json().total).toBe(1);
    expect((await get('/api/v1/penalties?domain=ip')).json().items.map((d: { subjectName: string }) => d.subjectName)).toEqual(['示范新区知识产权乙公司']);
    // A one-character word is searched by scanning; two words must both match.
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('甲')}`)).json().items.map((d: { subjectName: string }) => d.subjectName)).toContain('示范新区旅游甲公司');
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('旅游 乙')}`)).json().total).toBe(0);
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('知识产权 乙公司')}`)).json().total).toBe(1);
    const year = Number(plusDays(TODAY, -300).slice(0, 4));
    expect((await get(`/api/v1/penalties?year=${year}&q=旅游甲`)).json().total).toBe(1);
    expect((await get(`/api/v1/penalties?year=${year - 1}&q=旅游甲`)).json().total).toBe(0);
    expect((await get(`/api/v1/penalties?creditCode=${CODE.toLowerCase()}`)).json().total).toBe(all.total - 1); // all but the natural person
    // Newest decision first; pages.
    const dates = all.items.map((d: { decisionDate: string }) => d.decisionDate);
    expect([...dates].sort().reverse()).toEqual(dates);
    const p2 = (await get('/api/v1/penalties?pageSize=1&page=2')).json();
    expect(p2.items[0].id).toBe(all.items[1].id);
    // Bad parameters: 400 naming them.
    const bad = await get('/api/v1/penalties?year=abc&pageSize=1000');
    expect(bad.statusCode).toBe(400);
    expect((await get('/api/v1/penalties?foo=1')).statusCode).toBe(400);
  });

  it('searches by the name a draft was corrected to, not the one it had', async () => {
    const id = await entered(penalty({ subjectName: '示范新区原名丁公司' }));
    const d = (await api('GET', `/api/v1/decisions/${id}`, 'scjg-editor')).json();
    expect((await api('PUT', `/api/v1/decisions/${id}`, 'scjg-editor', penalty({ docNo: d.docNo, subjectName: '示范新区更名戊公司' }))).statusCode).toBe(200);
    await api('POST', `/api/v1/decisions/${id}/submit`, 'scjg-editor');
    await api('POST', `/api/v1/decisions/${id}/approve`, 'scjg-approver');
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('更名戊')}`)).json().total).toBe(1);
    expect((await get(`/api/v1/penalties?q=${encodeURIComponent('原名丁')}`)).json().total).toBe(0);
  });

  it('drops a decision whose display ended from the list, the API and search; its page shows only the notice', async () => {
    const { id, itemId } = await shown(penalty({ subjectName: '示范新区撤销丙公司', content: '罚款人民币叁万元整' }));
    expect((await get('/api/v1/penalties?q=撤销丙')).json().total).toBe(1);
    // What the display service (another part) does when a decision is revoked.
    await env.p.db.updateTable('enf_decisions').set({ status: 'ended', end_reason: 'revoked', end_note: '经行政复议撤销', ended_at: new Date().toISOString() }).where('id', '=', id).execute();
    await env.p.db.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
    await new Promise((r) => setTimeout(r, 300));
    expect((await get('/api/v1/penalties?q=撤销丙')).json().total).toBe(0);
    expect((await get(`/api/v1/penalties/${itemId}`)).statusCode).toBe(404);
    const page = await get(`/enforcement/decisions/${itemId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('决定已撤销');
    expect(page.body).toContain('经行政复议撤销');
    expect(page.body).not.toContain('罚款人民币叁万元整');
    expect(page.body).not.toContain('撤销丙公司');
  });

  it('answers 404 for drafts, unknown ids and things that are no decision', async () => {
    expect((await get('/enforcement/decisions/999999')).statusCode).toBe(404);
    expect((await get('/enforcement/decisions/abc')).statusCode).toBe(404);
    expect((await get('/api/v1/penalties/999999')).statusCode).toBe(404);
    expect((await get('/enforcement/decisions?year=abc')).statusCode).toBe(200);
  });
});

describe('the console', () => {
  it('an editor enters a decision with the form (field errors inline), an approver approves it with confirmation', async () => {
    const { cookie } = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/enforcement/decisions/new', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const csrf = csrfFrom(page.body);
    const b = penalty({ docNo: '示范市监罚〔2026〕表单1号' });
    const fields = { _csrf: csrf, kind: 'penalty', departmentId: String(ids.get('scjg')), docNo: String(b.docNo), subjectType: 'legal', subjectName: '示范新区表单公司', creditCode: CODE, legalRep: '李四', address: '', idNumber: '', facts: String(b.facts), penaltyCategory: ['fine'], basis: String(b.basis), content: String(b.content), result: '', decisionDate: DAY, domain: 'safety', severity: 'ordinary', submit: '1' };
    const bad = await env.app.inject({ method: 'POST', url: '/admin/enforcement/decisions', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, creditCode: '91350100M000100Y44' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('统一社会信用代码不正确');
    expect(bad.body).toContain('aria-invalid="true"');
    const ok = await env.app.inject({ method: 'POST', url: '/admin/enforcement/decisions', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
    expect(ok.statusCode, ok.body).toBe(303);
    const id = Number(/decisions\/(\d+)/.exec(String(ok.headers.location))![1]);
    const list = await env.app.inject({ method: 'GET', url: '/admin/enforcement/decisions', headers: { cookie } });
    expect(list.body).toContain('示范市监罚〔2026〕表单1号');
    expect(list.body).toContain('待审核');
    expect(list.body).toContain(addWorkdays(DAY, 7).due);
    const approver = await login(env.app, 'scjg-approver');
    const detail = await env.app.inject({ method: 'GET', url: `/admin/enforcement/decisions/${id}`, headers: { cookie: approver.cookie } });
    expect(detail.body).toContain('审核通过');
    const token = csrfFrom(detail.body);
    const unconfirmed = await env.app.inject({ method: 'POST', url: `/admin/enforcement/decisions/${id}/approve`, headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: token }) });
    expect(String(unconfirmed.headers.location)).toContain('error=');
    expect((await env.p.db.selectFrom('enf_decisions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('submitted');
    const done = await env.app.inject({ method: 'POST', url: `/admin/enforcement/decisions/${id}/approve`, headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: token, confirm: 'yes' }) });
    expect(String(done.headers.location)).toContain('done=published');
    const after = await env.app.inject({ method: 'GET', url: String(done.headers.location), headers: { cookie: approver.cookie } });
    expect(after.body).toContain('已审核并公示');
    // The author sees no approve button on their own submission.
    const own = await login(env.app, 'scjg-both');
    const mine = await entered(penalty(), 'scjg-both');
    await api('POST', `/api/v1/decisions/${mine}/submit`, 'scjg-both');
    const ownPage = await env.app.inject({ method: 'GET', url: `/admin/enforcement/decisions/${mine}`, headers: { cookie: own.cookie } });
    expect(ownPage.body).toContain('不能审核本人录入的决定');
  });
});

describe('the annual report', () => {
  it("counts the year's approved decisions per department scope, shown or not (Table 二)", async () => {
    const sources = env.p.modules.flatMap((m) => (m.annualReport ? [m.annualReport] : []));
    const year = Number(DAY.slice(0, 4));
    const before = await assembleAnnualReport(env.p.db, sources, { year, departmentIds: 'all' });
    // One licensing decision in 文旅局, approved by its own approver? There is none: the admin approves.
    const lic = await entered(penalty({ kind: 'licensing', departmentId: ids.get('whly'), category: ['general'], validFrom: DAY, severity: '', content: '准予行政许可决定书', facts: '准予设立旅行社' }), 'admin');
    await api('POST', `/api/v1/decisions/${lic}/submit`, 'admin');
    expect((await api('POST', `/api/v1/decisions/${lic}/approve`, 'admin')).statusCode).toBe(409); // the admin entered it
    await env.p.db.updateTable('enf_decisions').set({ author_id: 'cli' }).where('id', '=', lic).execute();
    expect((await api('POST', `/api/v1/decisions/${lic}/approve`, 'admin')).statusCode).toBe(200);
    // A draft does not count.
    await entered(penalty({ departmentId: ids.get('scjg') }));
    const all = await assembleAnnualReport(env.p.db, sources, { year, departmentIds: 'all' });
    expect(all.table2.licensing).toBe((before.table2.licensing as number) + 1);
    expect(all.table2.penalties).toBe(before.table2.penalties);
    expect(all.table2.coercion).toBeNull();
    const approved = await env.p.db.selectFrom('enf_decisions').select(['kind', 'department_id', 'status', 'decision_date']).where('status', 'in', ['published', 'not-shown', 'ended']).execute();
    const inYear = (k: string, dept?: number) => approved.filter((d) => d.kind === k && d.decision_date.startsWith(String(year)) && (!dept || d.department_id === dept)).length;
    expect(all.table2.penalties).toBe(inYear('penalty'));
    expect(approved.some((d) => d.status === 'not-shown')).toBe(true);
    const whly = await assembleAnnualReport(env.p.db, sources, { year, departmentIds: [ids.get('whly')!] });
    expect(whly.table2).toMatchObject({ licensing: 1, penalties: 0 });
    const scjg = await assembleAnnualReport(env.p.db, sources, { year, departmentIds: [ids.get('scjg')!] });
    expect(scjg.table2.penalties).toBe(inYear('penalty', ids.get('scjg')));
    expect((await assembleAnnualReport(env.p.db, sources, { year: year - 5, departmentIds: 'all' })).table2).toMatchObject({ licensing: 0, penalties: 0 });
  });
});
