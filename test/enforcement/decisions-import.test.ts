// Importing decisions from CSV (UTF-8 and GB18030) and XLSX: Chinese headers and values in words,
// a dry run, all-or-nothing with a report naming row, column and problem, 文号 duplicates in the
// file and in the database, the department checked, clocks started, the console's upload page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { csrfFrom, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { addWorkdays, ensureCalendar, plusDays, todayShanghai } from '../../src/platform/calendar/index.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

let env: TestEnv;
let ids: Map<string, number>;
const DAY = plusDays(todayShanghai(), -2);
const [Y, M, D] = DAY.split('-').map(Number);
const CODE = '91350100M000100Y43';
const ID_NUMBER = withIdCheckDigit('21021319900101123');

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  ids = await demoOrg(env.p, { users: ['scjg-editor', 'scjg-approver', 'fgj-editor'] });
  await ensureCalendar(env.p.db);
}, 120_000);
afterAll(async () => env?.close());

const HEAD = ['决定类型', '决定书文号', '相对人类别', '相对人名称', '统一社会信用代码', '法定代表人', '住所', '身份证号码', '违法事实', '处罚类别', '处罚依据', '处罚内容', '处罚结果', '处罚决定日期', '执法领域', '违法程度', '许可证书名称', '许可编号', '有效期自', '有效期至'];
function rows(prefix: string): string[][] {
  return [
    HEAD,
    ['行政处罚', `${prefix}罚〔2026〕1号`, '法人及其他组织', `${prefix}示范新区甲食品有限公司`, CODE, '王甲', '示范新区海滨路1号', '', '销售过期食品', '警告；罚款', '《中华人民共和国食品安全法》第一百二十四条', '警告，罚款五万元', '已缴纳', `${Y}年${M}月${D}日`, '产品质量', '一般', '', '', '', ''],
    ['行政处罚', `${prefix}罚〔2026〕2号`, '自然人', '李乙', '', '', '示范新区新胜街道幸福小区1栋', ID_NUMBER, '无证经营', '罚款、没收违法所得', '《无证无照经营查处办法》第十三条', '罚款二千元，没收违法所得五百元', '', `${Y}/${M}/${D}`, '市场监管', '轻微', '', '', '', ''],
    ['行政许可', `${prefix}许〔2026〕3号`, '法人', `${prefix}示范新区丙旅行社有限公司`, CODE, '赵丙', '示范新区政务大道5号', '', '准予设立旅行社', '普通', '《旅行社条例》第六条', '准予行政许可决定书', '', DAY, '旅游', '', '旅行社业务经营许可证', 'L-LN-00001', DAY, ''],
  ];
}
const csv = (t: string[][]) => t.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
const upload = (content: Buffer, filename: string, over: Record<string, unknown> = {}, as = 'scjg-editor') =>
  env.api('POST', '/api/v1/decisions/import', { as, body: { departmentId: ids.get('scjg'), filename, content: content.toString('base64'), ...over } });
const count = async () => Number((await env.p.db.selectFrom('enf_decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('a good file', () => {
  it('is checked on a dry run without writing, then imported whole as drafts with their clocks', async () => {
    const file = Buffer.from('\ufeff' + csv(rows('A')));
    const dry = await upload(file, 'decisions.csv', { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ rows: 3, problems: [], dryRun: true, created: 0, format: 'csv', encoding: 'UTF-8 (BOM)' });
    expect(await count()).toBe(0);
    const r = await upload(file, 'decisions.csv');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ rows: 3, created: 3, submitted: false });
    const got = await env.p.db.selectFrom('enf_decisions').selectAll().where('id', 'in', r.json().ids).orderBy('id').execute();
    expect(got.map((d) => [d.kind, d.subject_type, d.category, d.domain, d.severity, d.decision_date, d.status])).toEqual([
      ['penalty', 'legal', 'warning,fine', 'quality', 'ordinary', DAY, 'draft'],
      ['penalty', 'natural', 'fine,confiscate-income', 'market', 'minor', DAY, 'draft'],
      ['licensing', 'legal', 'general', 'tourism', '', DAY, 'draft'],
    ]);
    expect(got[1]).toMatchObject({ id_number: ID_NUMBER, credit_code: '', address: '示范新区新胜街道幸福小区1栋' });
    expect(got[2]).toMatchObject({ licence_name: '旅行社业务经营许可证', valid_from: DAY, valid_to: null });
    const clocks = await env.p.db.selectFrom('clocks').select(['subject_id', 'rule_code', 'due_date']).where('subject_type', '=', 'enforcement-decision').where('subject_id', 'in', got.map((d) => String(d.id))).orderBy('id').execute();
    // The minor penalty is never displayed: no clock.
    expect(clocks).toEqual([
      { subject_id: String(got[0].id), rule_code: 'penalty.publish', due_date: addWorkdays(DAY, 7).due },
      { subject_id: String(got[2].id), rule_code: 'licensing.publish', due_date: addWorkdays(DAY, 7).due },
    ]);
    const audit = await env.p.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'decision.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toMatchObject({ count: 3, status: 'draft' });
  });

  it('reads GB18030 CSV and XLSX (a real date cell), submits at once when asked; the kind may come from the form', async () => {
    const gb = iconv.encode(csv(rows('B')), 'gb18030');
    const r = await upload(gb, '导入.csv', { submit: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 3, submitted: true, encoding: 'GB18030' });
    expect((await env.p.db.selectFrom('enf_decisions').select('status').where('id', 'in', r.json().ids).execute()).every((d) => d.status === 'submitted')).toBe(true);
    // XLSX from a spreadsheet program: dates as date cells, no 决定类型 column (all penalties, chosen on upload).
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('处罚');
    const head = HEAD.filter((h) => h !== '决定类型');
    ws.addRow(head);
    const row = rows('C')[1].slice(1);
    const cells: (string | Date)[] = [...row];
    cells[head.indexOf('处罚决定日期')] = new Date(Date.UTC(Y, M - 1, D));
    ws.addRow(cells);
    ws.getCell(2, head.indexOf('处罚决定日期') + 1).numFmt = 'yyyy-mm-dd';
    const x = Buffer.from(await wb.xlsx.writeBuffer());
    const missing = await upload(x, 'c.xlsx');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().report.problems).toEqual([{ row: 1, field: '决定类型', message: expect.stringContaining('缺少“决定类型”列') }]);
    const ok = await upload(x, 'c.xlsx', { kind: 'penalty' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ created: 1, format: 'xlsx' });
    expect((await env.p.db.selectFrom('enf_decisions').select('decision_date').where('id', '=', ok.json().ids[0]).executeTakeFirstOrThrow()).decision_date).toBe(DAY);
  });
});

describe('bad files', () => {
  it('imports nothing when any row fails, and names each row, column and problem', async () => {
    const t = rows('D');
    t[1][4] = '91350100M000100Y44'; // check character
    t[2][7] = '210213199001011230'; // ID number
    t[3][14] = '太空'; // no such domain
    t.push([...t[1]]); // the same 文号 again (row 5)
    t[4][4] = CODE;
    t.push(['行政处罚', 'D罚〔2026〕9号', '法人及其他组织', 'D公司', CODE, '王', '', '', '事实', '罚款', '依据', '内容', '', '2099-01-01', '产品质量', '特别严重', '', '', '', '']);
    const before = await count();
    const r = await upload(Buffer.from(csv(t)), 'bad.csv');
    expect(r.statusCode).toBe(400);
    const { report, error } = r.json();
    expect(error.message).toContain('未导入任何决定');
    const found = report.problems.map((x: { row: number; field: string }) => `${x.row}:${x.field}`);
    expect(found).toEqual(expect.arrayContaining(['2:统一社会信用代码', '3:身份证号码', '4:执法领域', '5:决定书文号', '6:处罚决定日期', '6:违法程度']));
    expect(report.problems.find((x: { row: number }) => x.row === 5).message).toContain('第 2 行');
    expect(report.problems.find((x: { row: number; field: string }) => x.row === 6 && x.field === '处罚决定日期').message).toContain('不能晚于今天');
    expect(report.created).toBe(0);
    expect(await count()).toBe(before);
  });

  it('refuses a 文号 the department already has, unknown and missing columns, an empty file', async () => {
    const r1 = await upload(Buffer.from(csv(rows('A'))), 'again.csv');
    expect(r1.statusCode).toBe(400);
    expect(r1.json().report.problems.map((x: { row: number; field: string }) => `${x.row}:${x.field}`)).toEqual(['2:决定书文号', '3:决定书文号', '4:决定书文号']);
    const head = [...HEAD.filter((h) => h !== '处罚依据'), '备注栏'];
    const r2 = await upload(Buffer.from(csv([head, head.map(() => 'x')])), 'cols.csv');
    expect(r2.json().report.problems).toEqual([
      { row: 1, field: '备注栏', message: '无法识别的列名。' },
      { row: 1, field: '依据', message: '缺少此列。' },
    ]);
    const r3 = await upload(Buffer.from(csv([HEAD])), 'empty.csv');
    expect(r3.json().report.problems[0].message).toBe('文件中没有数据行。');
    const r4 = await upload(Buffer.from('a,"b\n'), 'broken.csv');
    expect(r4.statusCode).toBe(400);
    expect(r4.json().report.problems[0].field).toBe('file');
  });

  it("refuses another department's editor and an unknown department", async () => {
    const r = await upload(Buffer.from(csv(rows('E'))), 'x.csv', {}, 'fgj-editor');
    expect(r.statusCode).toBe(403);
    const u = await upload(Buffer.from(csv(rows('E'))), 'x.csv', { departmentId: 999999 });
    expect(u.statusCode).toBe(400);
    expect(u.json().error.fields).toHaveProperty('departmentId');
  });
});

describe('the console', () => {
  function multipart(fields: Record<string, string>, name: string, buf: Buffer) {
    const b = '----gk' + Math.random().toString(36).slice(2);
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), buf, Buffer.from(`\r\n--${b}--\r\n`));
    return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
  }

  it('offers the template and shows the row report of an upload', async () => {
    const { cookie } = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/enforcement/decisions/import', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const tpl = await env.app.inject({ method: 'GET', url: '/admin/enforcement/decisions/import/template.csv', headers: { cookie } });
    expect(tpl.headers['content-type']).toContain('text/csv');
    expect(tpl.body).toContain('决定书文号');
    // The template itself passes the checks.
    const dry = await upload(Buffer.from(tpl.body), 'template.csv', { dryRun: true });
    expect(dry.json().problems).toEqual([]);
    const t = rows('F');
    t[1][4] = 'NOT-A-CODE';
    const m = multipart({ _csrf: csrfFrom(page.body), departmentId: String(ids.get('scjg')), kind: '' }, 'f.csv', Buffer.from(csv(t)));
    const r = await env.app.inject({ method: 'POST', url: '/admin/enforcement/decisions/import', headers: { cookie, 'content-type': m.type }, payload: m.payload });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('统一社会信用代码不正确');
    expect(r.body).toContain('未导入任何决定');
    const good = multipart({ _csrf: csrfFrom(page.body), departmentId: String(ids.get('scjg')), kind: '', submit: '1' }, 'g.csv', Buffer.from(csv(rows('G'))));
    const ok = await env.app.inject({ method: 'POST', url: '/admin/enforcement/decisions/import', headers: { cookie, 'content-type': good.type }, payload: good.payload });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain('已导入 3 个决定并提交审核');
  });
});
