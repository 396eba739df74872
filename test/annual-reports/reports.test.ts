// Annual reports: a draft prefilled from the figures, staff's Table 二 entries, the spine's review
// to a published catalog item with the figures frozen, the official layout on the page, in the
// print view and in the XLSX, the comparison with the previous year, the Art. 49 clocks (31
// January / 31 March, leap year too) completed on publication, a corrected version, permissions
// and bad input. Figures come from a test-only source module (util.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { demoOrg } from '../fixtures/org.js';
import { createUser } from '../../src/modules/org/service.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { OUTCOMES } from '../../src/platform/report-outcomes.js';
import { ensureClock, scopeOf, tickClocks } from '../../src/modules/annual-reports/service.js';
import { sourceModule } from './util.js';

let env: TestEnv;
let ids: Map<string, number>;
const YEAR = 2025;

beforeAll(async () => {
  // Without enforcement, whose decisions give Table 二's 行政许可 and 行政处罚 (test/enforcement/decisions.test.ts):
  // here those rows are the staff's to enter.
  env = await makeEnv({ demo: false, modules: [...MODULES.filter((m) => m.name !== 'enforcement'), sourceModule] });
  ids = await demoOrg(env.p, { users: ['dzb-editor', 'dzb-reviewer', 'dzb-reviewer2', 'dzb-approver', 'fgj-editor', 'gkb-requests', 'gkb-approver'], departments: ['scjg'] });
  for (const username of ['gkb-secrecy', 'gkb-reviewer']) await createUser(env.p, 'cli', { username, password: 'Demo-2026-gongkai', displayName: username, department: 'gkb', roles: [{ role: 'reviewer', includeChildren: false }] });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const api = (method: string, url: string, as: string, body?: unknown) => env.api(method, url, { as, body });
const get = (url: string) => env.app.inject({ method: 'GET', url });
const clockOf = (year: number, scope: string) => env.p.db.selectFrom('clocks').select(['rule_code', 'state', 'status', 'due_date', 'due_at', 'department_id']).where('subject_type', '=', 'annual-report').where('subject_id', '=', `${year}:${scope}`).execute();

/** Through the review: submit, secrecy review, review, sign-off. */
async function publish(id: number, staff: [string, string, string, string]) {
  const [editor, secrecy, reviewer, approver] = staff;
  for (const [who, action] of [[editor, 'submit'], [secrecy, 'approve'], [reviewer, 'approve'], [approver, 'approve']] as const) {
    const r = await api('POST', `/api/v1/annual-reports/${id}/steps`, who, { action });
    expect(r.statusCode, `${who} ${action}: ${r.body}`).toBe(200);
  }
  await env.drain();
}
const GOV_STAFF: [string, string, string, string] = ['gkb-requests', 'gkb-secrecy', 'gkb-reviewer', 'gkb-approver'];

let gov: { id: number; itemId: number };

describe('the government report', () => {
  it('is drafted with sections prefilled from the figures, a clock to 31 March, and Table 二 rows no module gives left to staff', async () => {
    const r = await api('POST', '/api/v1/annual-reports', 'gkb-requests', { year: YEAR, scope: 'government' });
    expect(r.statusCode, r.body).toBe(201);
    gov = r.json();
    const d = (await api('GET', `/api/v1/annual-reports/${gov.id}`, 'gkb-requests')).json();
    expect(d).toMatchObject({ year: YEAR, scope: 'government', status: 'draft', public: false, due: '2026-03-31', manualRows: ['licensing', 'penalties', 'coercion'] });
    expect(d.narrative.requests).toContain('新收政府信息公开申请8件');
    expect(d.narrative.requests).toContain('上年结转1件');
    expect(d.narrative.proactive).toContain('行政事业性收费1.2347万元');
    // Section 六 says the fees were charged (not the no-fee sentence).
    expect(d.narrative.other).toContain('收取信息处理费1.2347万元');
    expect(d.narrative.other).not.toContain('未收取');
    expect(d.figures.table2.licensing).toBeNull();
    expect(await clockOf(YEAR, 'government')).toEqual([expect.objectContaining({ rule_code: 'report.annual-government', state: 'running', due_date: '2026-03-31', due_at: '2026-03-31T23:59', department_id: ids.get('gkb') })]);
    // One report per year and body.
    expect((await api('POST', '/api/v1/annual-reports', 'gkb-requests', { year: YEAR, scope: 'government' })).statusCode).toBe(409);
    // Submitting without the staff's figures names each missing row.
    const early = await api('POST', `/api/v1/annual-reports/${gov.id}/steps`, 'gkb-requests', { action: 'submit' });
    expect(early.statusCode).toBe(400);
    expect(Object.keys(early.json().error.fields)).toEqual(['manual.licensing', 'manual.penalties', 'manual.coercion']);
  });

  it('goes through secrecy review, review and sign-off to a catalog item with its figures frozen; the clock completes', async () => {
    const save = await api('PUT', `/api/v1/annual-reports/${gov.id}`, 'gkb-requests', { manual: { licensing: 120, penalties: 35, coercion: 0 }, narrative: { problems: '一是公开内容的深度有待拓展。二是政策解读形式较为单一。' } });
    expect(save.statusCode, save.body).toBe(200);
    // The author may not approve; the steps are the spine's.
    await api('POST', `/api/v1/annual-reports/${gov.id}/steps`, 'gkb-requests', { action: 'submit' });
    expect((await api('POST', `/api/v1/annual-reports/${gov.id}/steps`, 'gkb-requests', { action: 'approve' })).statusCode).toBe(403);
    const back = await api('POST', `/api/v1/annual-reports/${gov.id}/steps`, 'gkb-secrecy', { action: 'reject', reason: '请核对表三数据' });
    expect(back.json()).toMatchObject({ status: 'draft' });
    await publish(gov.id, GOV_STAFF);
    const d = (await api('GET', `/api/v1/annual-reports/${gov.id}`, 'gkb-requests')).json();
    expect(d).toMatchObject({ status: 'published', public: true, publishedVersion: d.version });
    expect(d.indexNo).toMatch(/^\d+\/\d{4}-\d{5}$/);
    expect(d.figures.table2).toMatchObject({ licensing: 120, penalties: 35, coercion: 0, fees: 1_234_667, rules: { issued: 2, repealed: 0, inForce: 4 } });
    expect(d.figures.manual).toEqual(['licensing', 'penalties', 'coercion']);
    const item = await env.p.db.selectFrom('pub_items').selectAll().where('id', '=', gov.itemId).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ type: 'annual-report', category: 'a20-15', genre: '报告', topic: '0203', title: '示范新区管理委员会2025年政府信息公开工作年度报告' });
    expect(await clockOf(YEAR, 'government')).toEqual([expect.objectContaining({ state: 'completed' })]);
  });

  it('shows sections 一–六, every official row label of Tables 二, 三 and 四 and the check passed, fees in 万元; 人工填报 only in the console', async () => {
    const page = await get(`/catalog/items/${gov.itemId}`);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    for (const h of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) expect(html).toContain(h);
    for (const l of ['第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项', '规章', '行政规范性文件', '行政许可', '行政处罚', '行政强制', '行政事业性收费', '本年制发件数', '本年废止件数', '现行有效件数', '本年处理决定数量', '本年收费金额（单位：万元）']) expect(html).toContain(l);
    for (const l of ['自然人', '法人或其他组织', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计', '一、本年新收政府信息公开申请数量', '二、上年结转政府信息公开申请数量', '三、本年度办理结果', '（七）总计', '四、结转下年度继续办理']) expect(html).toContain(l);
    for (const g of OUTCOMES) {
      expect(html).toContain(`${g.row.slice(1)}${g.zh}`);
      for (const r of g.reasons) expect(html).toContain(r.zh.replace(/"/g, '&quot;'));
    }
    for (const l of ['行政复议', '行政诉讼', '未经复议直接起诉', '复议后起诉', '结果维持', '结果纠正', '其他结果', '尚未审结']) expect(html).toContain(l);
    // The check row: 通过 in all 7 columns.
    const check = /<tr class="check-row"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(check).toContain('一 + 二 = 三 + 四');
    expect(check.match(/>通过</g)).toHaveLength(7);
    expect(check).not.toContain('不通过');
    // Row 一: 6 natural persons, 2 companies, total 8.
    const row1 = /<tr data-row="received">([\s\S]*?)<\/tr>/.exec(html)![1];
    expect([...row1.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([6, 2, 0, 0, 0, 0, 8]);
    expect(/<tr data-row="fees">[\s\S]*?<td class="num"[^>]*>([\d.]+)<\/td>/.exec(html)![1]).toBe('1.2347');
    expect(html).toContain('索引号');
    expect(html).not.toContain('人工填报');
    const console = await api('GET', `/admin/annual-reports/${gov.id}`, 'gkb-requests');
    expect(console.statusCode).toBe(200);
    expect(/<tr data-row="licensing">[\s\S]*?<\/tr>/.exec(console.body)![0]).toContain('人工填报');
  });

  it('compares with the previous year: Table 二 figures and the 总计 of Tables 三 and 四 with the change', async () => {
    const html = (await get(`/catalog/items/${gov.itemId}`)).body;
    const cmp = /<section class="annual-comparison"[\s\S]*?<\/section>/.exec(html)![0];
    const row = (label: string) => {
      const m = new RegExp(`<th scope="row"[^>]*>${label}</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>`).exec(cmp);
      return m ? [m[1], m[2], m[3]] : null;
    };
    expect(row('一、本年新收政府信息公开申请数量')).toEqual(['8', '7', '+1']);
    expect(row('二、上年结转政府信息公开申请数量')).toEqual(['1', '1', '0']);
    expect(row('规章 · 本年制发件数')).toEqual(['2', '1', '+1']);
    expect(row('行政事业性收费 · 本年收费金额（单位：万元）')).toEqual(['1.2347', '1.2346', '+0.0001']);
    // Last year's 行政许可 was never entered: no change to show.
    expect(row('行政许可 · 本年处理决定数量')).toEqual(['120', '—', '—']);
    expect(row('行政复议 · 总计')).toEqual(['3', '2', '+1']);
  });

  it('has a print view and an XLSX in the official layout: merged headers, figures as numbers', async () => {
    const print = await get(`/catalog/items/${gov.itemId}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('print-view');
    expect(print.body).toContain('三、收到和处理政府信息公开申请情况');
    expect(print.body).toMatch(new RegExp(`<link rel="canonical" href="[^"]*/catalog/items/${gov.itemId}"`));
    expect(print.body).toContain('<td class="passed"');
    const x = await get(`/annual-reports/${gov.itemId}.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = (await import('exceljs')) as any;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload);
    expect(wb.worksheets.map((w: any) => w.name)).toEqual(['表二', '表三', '表四']);
    const t3 = wb.getWorksheet('表三');
    expect(t3.getCell('D2').value).toBe('申请人情况');
    expect(t3.getCell('J2').isMerged && t3.getCell('J2').master.address).toBe('D2');
    expect(t3.getCell('E3').value).toBe('法人或其他组织');
    expect(t3.getCell('I3').master.address).toBe('E3');
    expect(t3.getCell('D3').value).toBe('自然人');
    expect(t3.getCell('D4').master.address).toBe('D3');
    expect(t3.getCell('A5').value).toBe('一、本年新收政府信息公开申请数量');
    expect([4, 5, 10].map((c) => t3.getRow(5).getCell(c).value)).toEqual([6, 2, 8]);
    expect(typeof t3.getCell('J5').value).toBe('number');
    const last = t3.rowCount;
    expect(t3.getCell(`A${last}`).value).toBe('一 + 二 = 三 + 四');
    expect(t3.getCell(`J${last}`).value).toBe('通过');
    const t2 = wb.getWorksheet('表二');
    const feesRow = t2.getRows(1, t2.rowCount).find((r: any) => r.getCell(1).value === '行政事业性收费');
    expect(feesRow.getCell(2).value).toBeCloseTo(1.234667, 6);
    expect(feesRow.getCell(2).numFmt).toBe('0.0000');
    const t4 = wb.getWorksheet('表四');
    expect(t4.getCell('A2').value).toBe('行政复议');
    expect(t4.getCell('E2').master.address).toBe('A2');
    expect(t4.getCell('F3').value).toBe('未经复议直接起诉');
    expect(t4.getCell('K3').value).toBe('复议后起诉');
    expect([1, 2, 5, 9, 10].map((c) => t4.getRow(5).getCell(c).value)).toEqual([1, 2, 3, 1, 1]);
    // A draft's XLSX is not public.
    expect((await get('/annual-reports/999999.xlsx')).statusCode).toBe(404);
  });

  it('is listed on the public index and in the sitemap', async () => {
    const idx = await get('/annual-reports');
    expect(idx.body).toContain(`/catalog/items/${gov.itemId}`);
    const items = await get('/sitemap-catalog-items-1.xml');
    expect(items.body).toContain(`/catalog/items/${gov.itemId}</loc>`);
    expect((await get('/sitemap.xml')).body).toContain('sitemap-annual-reports-1.xml');
  });

  it('is corrected by a new version with a note, reviewed again; the feed shows 【已更正】', async () => {
    const none = await api('PUT', `/api/v1/annual-reports/${gov.id}`, 'gkb-requests', { narrative: { other: '本机关收取信息处理费0元。' } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('changeNote');
    const ok = await api('PUT', `/api/v1/annual-reports/${gov.id}`, 'gkb-requests', { narrative: { other: '本机关收取信息处理费0元。' }, changeNote: '更正第六部分表述' });
    expect(ok.json()).toEqual({ version: 2 });
    // The published version stays online meanwhile.
    expect((await get(`/catalog/items/${gov.itemId}`)).body).not.toContain('本机关收取信息处理费0元。');
    await publish(gov.id, GOV_STAFF);
    expect((await get(`/catalog/items/${gov.itemId}`)).body).toContain('本机关收取信息处理费0元。');
    const feed = (await get('/catalog/feed.atom')).body;
    expect(feed).toMatch(/【已更正】示范新区管理委员会2025年政府信息公开工作年度报告/);
  });
});

describe('a department report', () => {
  it("prints 不通过 where Table 三's check fails, per column", async () => {
    const r = await api('POST', '/api/v1/annual-reports', 'dzb-editor', { year: YEAR, scope: String(ids.get('dzb')) });
    expect(r.statusCode, r.body).toBe(201);
    const { id } = r.json();
    expect((await clockOf(YEAR, String(ids.get('dzb'))))[0]).toMatchObject({ rule_code: 'report.annual-department', due_date: '2026-01-31', due_at: '2026-01-31T23:59' });
    const page = await api('GET', `/admin/annual-reports/${id}`, 'dzb-editor');
    const check = /<tr class="check-row"[\s\S]*?<\/tr>/.exec(page.body)![0];
    expect(check).toMatch(/data-left="1" data-right="0">不通过/);
    expect(check.match(/>通过</g)).toHaveLength(5);
  });

  it("is another department's: 404 to see, 403 to draft; reviewers see but may not edit", async () => {
    const list = (await api('GET', `/api/v1/annual-reports?year=${YEAR}`, 'fgj-editor')).json();
    expect(list.items.map((e: any) => e.scope)).toEqual([String(ids.get('fgj'))]);
    const dzb = (await api('GET', `/api/v1/annual-reports?year=${YEAR}`, 'dzb-editor')).json().items.find((e: any) => e.scope === String(ids.get('dzb')));
    expect((await api('GET', `/api/v1/annual-reports/${dzb.report.id}`, 'fgj-editor')).statusCode).toBe(404);
    expect((await api('PUT', `/api/v1/annual-reports/${dzb.report.id}`, 'fgj-editor', { narrative: { other: 'x' } })).statusCode).toBe(404);
    expect((await api('GET', `/admin/annual-reports/${dzb.report.id}`, 'fgj-editor')).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/annual-reports', 'fgj-editor', { year: YEAR, scope: String(ids.get('dzb')) })).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/annual-reports', 'fgj-editor', { year: YEAR, scope: 'government' })).statusCode).toBe(403);
    expect((await api('GET', `/api/v1/annual-reports/${dzb.report.id}`, 'dzb-reviewer')).statusCode).toBe(200);
    expect((await api('PUT', `/api/v1/annual-reports/${dzb.report.id}`, 'dzb-reviewer', { narrative: { other: 'x' } })).statusCode).toBe(403);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const id = (await api('GET', `/api/v1/annual-reports?year=${YEAR}`, 'dzb-editor')).json().items.find((e: any) => e.scope === String(ids.get('dzb'))).report.id;
    const bad = async (body: unknown, field: string, url = `/api/v1/annual-reports/${id}`, method = 'PUT') => {
      const r = await api(method, url, 'dzb-editor', body);
      expect(r.statusCode, r.body).toBe(400);
      expect(Object.keys(r.json().error.fields ?? {}).join(' ') + r.body).toContain(field);
    };
    await bad({ year: 2007, scope: 'government' }, 'year', '/api/v1/annual-reports', 'POST');
    await bad({ year: 2030, scope: 'government' }, 'year', '/api/v1/annual-reports', 'POST');
    await bad({ year: YEAR, scope: String(ids.get('gkb')) }, 'scope', '/api/v1/annual-reports', 'POST');
    await bad({ year: YEAR, scope: 'nope' }, 'scope', '/api/v1/annual-reports', 'POST');
    await bad({ narrative: { overview: '   ' } }, 'narrative.overview');
    await bad({ manual: { licensing: -1 } }, 'licensing');
    await bad({ manual: { fees: '1.23456' } }, 'manual.fees');
    await bad({ manual: { fees: '12' } }, 'manual.fees');
    await bad({ action: 'publish' }, 'action', `/api/v1/annual-reports/${id}/steps`, 'POST');
    const before = (await api('GET', `/api/v1/annual-reports/${id}`, 'dzb-editor')).json();
    expect(before.version).toBe(1);
    expect(before.narrative.overview).not.toBe('');
    // The console's form: the same messages beside the fields.
    const form = await api('POST', `/admin/annual-reports/${id}`, 'dzb-editor', { 'narrative.overview': '' });
    expect(form.statusCode, form.body.slice(0, 300)).toBe(400);
    expect(form.body).toContain('id="f-narrative.overview-err"');
  });
});

describe('the Art. 49 clocks', () => {
  it('end on 31 January and 31 March of the next year, 23:59 Asia/Shanghai, leap years too; the daily tick starts each once', async () => {
    const g = (await scopeOf(env.p.db, 'government'))!;
    const d = (await scopeOf(env.p.db, String(ids.get('scjg'))))!;
    await env.p.tx(async (t) => {
      for (const y of [2027, 2028]) for (const s of [g, d]) await ensureClock(env.p, t, y, s);
    });
    expect((await clockOf(2027, 'government'))[0]).toMatchObject({ due_date: '2028-03-31', due_at: '2028-03-31T23:59' });
    expect((await clockOf(2028, 'government'))[0]).toMatchObject({ due_date: '2029-03-31', due_at: '2029-03-31T23:59' });
    expect((await clockOf(2027, d.key))[0]).toMatchObject({ due_date: '2028-01-31', due_at: '2028-01-31T23:59' });
    expect((await clockOf(2028, d.key))[0]).toMatchObject({ due_date: '2029-01-31', due_at: '2029-01-31T23:59' });
    // The tick in 2027 starts the 2026 clocks of every body, once, and leaves completed ones.
    await tickClocks(env.p, '2027-01-02');
    await tickClocks(env.p, '2027-01-03');
    for (const s of ['government', String(ids.get('dzb')), String(ids.get('fgj')), String(ids.get('scjg'))]) expect(await clockOf(2026, s), s).toHaveLength(1);
    // gkb is a sub-department (the office): its figures are in 党政办's report; it owes none of its own.
    expect(await clockOf(2026, String(ids.get('gkb')))).toEqual([]);
    await tickClocks(env.p, '2026-01-05');
    expect(await clockOf(YEAR, 'government')).toEqual([expect.objectContaining({ state: 'completed' })]);
  });
});
