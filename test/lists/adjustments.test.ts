// Adjusting a list: imports with bad rows are refused whole with a report naming each row and
// field; a valid import becomes a draft edition that another person approves; the new edition is
// published through the spine with its change record; a department edits only its own lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { toCsv, toXlsx, columnsOf, itemToRow, listType } from '../../src/modules/lists/service/engine.js';
import '../../src/modules/lists/service/types/index.js';

let env: TestEnv;
let scjgList: number;
let whlyList: number;
let maList: number;
beforeAll(async () => {
  env = await makeEnv();
  const lists = JSON.parse((await env.api('GET', '/api/v1/lists')).body).types;
  const power = lists.find((t: any) => t.type === 'power').lists;
  scjgList = power.find((l: any) => l.department === 'scjg').id;
  whlyList = power.find((l: any) => l.department === 'whly').id;
  maList = lists.find((t: any) => t.type === 'market-access').lists[0].id;
}, 60000);
afterAll(async () => env?.close());

const lt = () => listType('power')!;
const good = (code: string, extra: Record<string, unknown> = {}) => ({ code, name: `事项${code}`, powerType: 'penalty', department: 'scjg', implementer: '市场监督管理局', basis: '某法第一条', duties: ['立案', '调查'], accountability: '追责情形', process: ['立案', '决定'], supervisionChannel: '纪检监察组', supervisionPhone: '0411-12345', ...extra });

async function currentItems(listId: number) {
  const r = JSON.parse((await env.api('GET', `/api/v1/lists/power/items?list=${listId}&pageSize=200`)).body);
  return r.items.map((i: any) => i.data);
}

function csvOf(rows: Record<string, unknown>[]): string {
  const t = lt();
  return Buffer.from(toCsv([columnsOf(t), ...rows.map((r) => itemToRow(t, r as any))])).toString('base64');
}

describe('imports with bad rows', () => {
  it('reports every bad row and field and imports nothing', async () => {
    const before = await currentItems(scjgList);
    const t = lt();
    const header = columnsOf(t);
    const rows = [
      itemToRow(t, good('CF-T-1')),
      itemToRow(t, { ...good('CF-T-2'), name: '' }), // row 3: missing name
      itemToRow(t, good('CF-T-1')), // row 4: duplicate code
      itemToRow(t, { ...good('CF-T-4'), powerType: '行政审查' }), // row 5: unknown power type
      itemToRow(t, { ...good('CF-T-5'), department: 'nowhere' }), // row 6: unknown department
      itemToRow(t, { ...good('CF-T-6'), supervisionPhone: 'call me' }), // row 7: malformed phone
      itemToRow(t, { ...good('CF-T-7'), department: 'whly' }), // row 8: another department's item
    ];
    const res = await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/import`, { as: 'scjg-editor', body: { filename: 'power.csv', content: Buffer.from(toCsv([header, ...rows])).toString('base64'), reason: '调整', docNo: '示范新区编〔2026〕9号' } });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    const got = body.report.problems.map((x: any) => [x.row, x.field, x.problem]);
    expect(got).toEqual(
      expect.arrayContaining([
        [3, 'name', 'err.lists.required'],
        [4, 'code', 'err.lists.duplicate_key'],
        [5, 'powerType', 'err.lists.enum'],
        [6, 'department', 'err.lists.unknown_department'],
        [7, 'supervisionPhone', 'err.lists.format'],
        [8, 'department', 'err.lists.other_department'],
      ]),
    );
    expect(got.some((g: any[]) => g[0] === 2)).toBe(false);
    expect(body.error.fields['row 5: powerType']).toBe('不是允许的取值');
    // Nothing partially imported: no draft edition, the current items unchanged.
    expect(await currentItems(scjgList)).toEqual(before);
    expect(await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', scjgList).where('status', '=', 'draft').execute()).toEqual([]);
  });

  it('reports a missing key column, unknown columns and malformed JSON cells', async () => {
    const csv = toCsv([['name', 'colour'], ['甲', '红']]);
    const r1 = JSON.parse((await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/import`, { as: 'scjg-editor', body: { filename: 'x.csv', content: Buffer.from(csv).toString('base64'), reason: 'r', docNo: 'd' } })).body);
    expect(r1.report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row: 1, field: 'colour', problem: 'err.lists.unknown_column' }), expect.objectContaining({ row: 1, field: 'code', problem: 'err.lists.missing_column' })]));
    const g = listType('service-guide')!;
    const row = itemToRow(g, { code: 'G1', name: '指南', department: 'xzsp', applicants: ['enterprise'], conditions: ['c'], materials: [], steps: ['s'], statutoryDays: 5, promisedDays: 9, fees: [], windows: [{ address: 'a', hours: 'h', phone: '0411-1234567' }], visits: 0, faq: [] } as any);
    const cols = columnsOf(g);
    row[cols.indexOf('materials')] = '[{"name":';
    const guides = JSON.parse((await env.api('GET', '/api/v1/lists')).body).types.find((t: any) => t.type === 'service-guide').lists.find((l: any) => l.department === 'xzsp').id;
    const r2 = JSON.parse((await env.api('POST', `/api/v1/lists/service-guide/lists/${guides}/import`, { as: 'admin', body: { filename: 'g.csv', content: Buffer.from(toCsv([cols, row])).toString('base64'), reason: 'r', docNo: 'd' } })).body);
    expect(r2.report.problems).toEqual([expect.objectContaining({ row: 2, field: 'materials', problem: 'err.lists.json' })]);
  });

  it('checks the market-access rule: prohibitions (category 禁止) have codes starting with 1', async () => {
    const t = listType('market-access')!;
    const items = JSON.parse((await env.api('GET', `/api/v1/lists/market-access/items?pageSize=200`)).body).items.map((i: any) => i.data);
    items.push({ code: '209999', no: 200, name: '测试', category: 'prohibited', measures: '测试', authority: '测试', localMeasures: '', industries: ['Z99'], keywords: [], serviceGuides: [] });
    const csv = toCsv([columnsOf(t), ...items.map((i: any) => itemToRow(t, i))]);
    const r = JSON.parse((await env.api('POST', `/api/v1/lists/market-access/lists/${maList}/import`, { as: 'fgj-editor', body: { filename: 'ma.csv', content: Buffer.from(csv).toString('base64'), reason: 'r', docNo: 'd', dryRun: true } })).body);
    const row = items.length + 1;
    expect(r.report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row, field: 'industries' })]));
  });
});

describe('an adjustment from import to publication', () => {
  it('a valid XLSX import becomes a draft; the approver publishes it as a new edition with its change record', async () => {
    const before = await currentItems(scjgList);
    const next = before.filter((i: any) => i.code !== 'JC-SCJG-001').map((i: any) => (i.code === 'QZ-SCJG-001' ? { ...i, supervisionPhone: '0411-88888888' } : i));
    next.push(good('CF-SCJG-009'));
    const t = lt();
    const xlsx = toXlsx([columnsOf(t), ...next.map((i: any) => itemToRow(t, i))]).toString('base64');
    const dry = await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/import`, { as: 'scjg-editor', body: { filename: 'power.xlsx', content: xlsx, reason: '职能调整', docNo: '示范新区编〔2026〕11号', dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(JSON.parse(dry.body)).toMatchObject({ dryRun: true, changes: { added: 1, removed: 1, changed: 1 }, editionId: null });
    const res = await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/import`, { as: 'scjg-editor', body: { filename: 'power.xlsx', content: xlsx, reason: '职能调整', docNo: '示范新区编〔2026〕11号' } });
    expect(res.statusCode).toBe(200);
    const editionId = JSON.parse(res.body).editionId;
    // Not public until approved.
    expect((await currentItems(scjgList)).length).toBe(before.length);
    // The approver reviews the change record of the draft in the console; the dashboard counts it.
    const { login } = await import('../helpers.js');
    const s = await login(env.app, 'scjg-approver');
    const review = await env.app.inject({ method: 'GET', url: `/admin/lists/editions/${editionId}`, headers: { cookie: s.cookie } });
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('CF-SCJG-009');
    expect(review.body).toContain('0411-88888888');
    expect(review.body).toContain(`/admin/lists/editions/${editionId}/approve`);
    const dash = await env.app.inject({ method: 'GET', url: '/admin', headers: { cookie: s.cookie } });
    expect(dash.body).toMatch(/待审批的清单调整<\/a>：1/);
    const other = await login(env.app, 'fgj-approver');
    expect((await env.app.inject({ method: 'GET', url: `/admin/lists/editions/${editionId}`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    // The author may not approve (an editor lacks the right anyway); an admin who drafted may not either.
    expect((await env.api('POST', `/api/v1/lists/editions/${editionId}/approve`, { as: 'scjg-editor' })).statusCode).toBe(403);
    const ok = await env.api('POST', `/api/v1/lists/editions/${editionId}/approve`, { as: 'scjg-approver' });
    expect(ok.statusCode).toBe(200);
    const e = JSON.parse(ok.body);
    expect(e).toMatchObject({ status: 'published', number: 3, docNo: '示范新区编〔2026〕11号', counts: { added: 1, removed: 1, changed: 1 } });
    expect(e.indexNo).toMatch(/^[0-9A-Z]+\/2026-\d{5}$/);
    // Published through the spine: public item with the snapshot and an audit event.
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'public', 'doc_no']).where('id', '=', e.pubItemId).executeTakeFirstOrThrow();
    expect(item).toEqual({ type: 'list-edition', public: 1, doc_no: '示范新区编〔2026〕11号' });
    const audit = await env.p.db.selectFrom('audit_events').select('action').where('action', 'like', 'list.%').execute();
    expect(audit.length).toBeGreaterThan(0);
    // The superseded edition stays published but is marked 失效; the spine's item page renders the edition.
    const prevPub = JSON.parse((await env.api('GET', `/api/v1/lists/power/lists/${scjgList}/editions`)).body).editions.find((x: any) => x.number === 2).pubItemId;
    expect(await env.p.db.selectFrom('pub_items').select(['validity', 'validity_reason']).where('id', '=', prevPub).executeTakeFirstOrThrow()).toEqual({ validity: 'expired', validity_reason: '已被新版清单替代' });
    // …in the approving transaction, audited as a spine step.
    const expiry = await env.p.db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', '=', 'publication.expire').where('entity_id', '=', String(prevPub)).execute();
    expect(expiry).toHaveLength(1);
    // The edition's page is its catalog entry (ADR 0008): 索引号, metadata and its changes.
    const itemPage = await env.app.inject({ method: 'GET', url: `/catalog/items/${e.pubItemId}` });
    expect(itemPage.statusCode).toBe(200);
    expect(itemPage.body).toContain(e.indexNo);
    expect(itemPage.body).toContain('新增1项、取消1项、变更1项');
    const now = await currentItems(scjgList);
    expect(now.map((i: any) => i.code)).toContain('CF-SCJG-009');
    expect(now.map((i: any) => i.code)).not.toContain('JC-SCJG-001');
    // Diff between editions 2 and 3 via the contract endpoint.
    const eds = JSON.parse((await env.api('GET', `/api/v1/lists/power/lists/${scjgList}/editions`)).body).editions;
    const e2 = eds.find((x: any) => x.number === 2).id;
    const d = JSON.parse((await env.api('GET', `/api/v1/lists/power/editions/${e2}/diff/${editionId}`)).body);
    expect(d.changes.added.map((x: any) => x.key)).toEqual(['CF-SCJG-009']);
    expect(d.changes.removed.map((x: any) => x.key)).toEqual(['JC-SCJG-001']);
    expect(d.changes.changed).toEqual([{ key: 'QZ-SCJG-001', fields: [{ field: 'supervisionPhone', from: '0411-12345', to: '0411-88888888' }] }]);
    // Per-item history across editions.
    const h = JSON.parse((await env.api('GET', `/api/v1/lists/power/items/QZ-SCJG-001/history?list=${scjgList}`)).body).history;
    expect(h.map((x: any) => x.event)).toEqual(['added', 'unchanged', 'changed']);
    const gone = JSON.parse((await env.api('GET', `/api/v1/lists/power/items/JC-SCJG-001/history?list=${scjgList}`)).body).history;
    expect(gone.map((x: any) => x.event)).toEqual(['added', 'unchanged', 'removed']);
    // Export gives back exactly the published snapshot.
    const csv = await env.api('GET', `/api/v1/lists/power/lists/${scjgList}/export?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('CF-SCJG-009');
  });

  it('the one who drafted an edition cannot approve it', async () => {
    const items = await currentItems(whlyList);
    const res = await env.api('POST', `/api/v1/lists/power/lists/${whlyList}/editions`, { as: 'admin', body: { items: [...items, { ...good('CF-WHLY-009'), department: 'whly' }], reason: '测试', docNo: '测〔2026〕1号' } });
    expect(res.statusCode).toBe(201);
    const id = JSON.parse(res.body).id;
    const r = await env.api('POST', `/api/v1/lists/editions/${id}/approve`, { as: 'admin' });
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body).error.message).toContain('起草人');
  });

  it('an edition identical to the current one is refused', async () => {
    const items = await currentItems(scjgList);
    const r = await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/editions`, { as: 'scjg-editor', body: { items, reason: '无变化', docNo: 'x' } });
    expect(r.statusCode).toBe(409);
  });
});

describe('permissions: a department edits only its own lists', () => {
  it('the 市场监管局 editor cannot adjust the 文旅局 list nor the government negative list', async () => {
    const items = await currentItems(whlyList);
    const r = await env.api('POST', `/api/v1/lists/power/lists/${whlyList}/editions`, { as: 'scjg-editor', body: { items, reason: '越权', docNo: 'x' } });
    expect(r.statusCode).toBe(403);
    const imp = await env.api('POST', `/api/v1/lists/market-access/lists/${maList}/import`, { as: 'scjg-editor', body: { filename: 'a.csv', content: csvOf([]), reason: 'x', docNo: 'y' } });
    expect(imp.statusCode).toBe(403);
    expect(await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', whlyList).where('created_by', 'is not', null).where('status', '=', 'draft').execute()).toHaveLength(1); // only the admin's draft above
  });

  it('an approver of another department cannot even see the draft; a reader cannot draft', async () => {
    const draft = await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', whlyList).where('status', '=', 'draft').executeTakeFirstOrThrow();
    expect((await env.api('POST', `/api/v1/lists/editions/${draft.id}/approve`, { as: 'scjg-approver' })).statusCode).toBe(404);
    expect((await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/editions`, { body: { items: [], reason: 'x', docNo: 'y' } })).statusCode).toBe(401);
    expect((await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/editions`, { as: 'scjg-approver', body: { items: [], reason: 'x', docNo: 'y' } })).statusCode).toBe(403);
  });

  it('the console shows the import form only on the lists of the user’s department', async () => {
    const { login } = await import('../helpers.js');
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/lists', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/admin/lists/${scjgList}/import`);
    expect(page.body).not.toContain(`/admin/lists/${whlyList}/import`);
  });
});

describe('one-item adjustment in the console', () => {
  it('loads an item as JSON, replaces it as a draft edition, and refuses bad input with the field named', async () => {
    const { login, csrfFrom, form } = await import('../helpers.js');
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ method: 'GET', url: `/admin/lists/${scjgList}/item?key=CF-SCJG-001`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('对生产经营不符合食品安全标准的食品的处罚');
    const csrf = csrfFrom(page.body);
    const cur = (await currentItems(scjgList)).find((i: any) => i.code === 'CF-SCJG-001');
    const post = (body: Record<string, string>) => env.app.inject({ method: 'POST', url: `/admin/lists/${scjgList}/item`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, ...body }) });
    const bad = await post({ op: 'replace', key: 'CF-SCJG-001', json: JSON.stringify({ ...cur, powerType: '行政审查' }), reason: '改名', docNo: '示范新区编〔2026〕12号' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('不是允许的取值');
    expect((await post({ op: 'remove', key: 'NOPE', json: '', reason: 'x', docNo: 'y' })).statusCode).toBe(400);
    expect((await post({ op: 'add', key: '', json: '{not json', reason: 'x', docNo: 'y' })).statusCode).toBe(400);
    const ok = await post({ op: 'replace', key: 'CF-SCJG-001', json: JSON.stringify({ ...cur, name: '对生产经营不符合食品安全标准食品的处罚' }), reason: '规范名称', docNo: '示范新区编〔2026〕12号' });
    expect(ok.statusCode).toBe(303);
    const id = Number(/editions\/(\d+)/.exec(ok.headers.location as string)?.[1]);
    const draft = await env.p.db.selectFrom('list_editions').select(['status', 'changes']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(draft.status).toBe('draft');
    expect(JSON.parse(draft.changes).changed).toEqual([{ key: 'CF-SCJG-001', fields: [{ field: 'name', from: '对生产经营不符合食品安全标准的食品的处罚', to: '对生产经营不符合食品安全标准食品的处罚' }] }]);
    // Another department's list: not even the form.
    expect((await env.app.inject({ method: 'GET', url: `/admin/lists/${whlyList}/item`, headers: { cookie: s.cookie } })).statusCode).toBe(404);
  });
});

describe('concurrent approvals', () => {
  it('two approvals of the same draft publish it once', async () => {
    const items = await currentItems(scjgList);
    const d = await env.api('POST', `/api/v1/lists/power/lists/${scjgList}/editions`, { as: 'scjg-editor', body: { items: items.filter((i: any) => i.code !== 'CF-SCJG-009'), reason: '并发测试', docNo: '测〔2026〕2号' } });
    expect(d.statusCode).toBe(201);
    const id = JSON.parse(d.body).id;
    const before = (await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', scjgList).where('status', '=', 'published').execute()).length;
    const [a, b] = await Promise.all([env.api('POST', `/api/v1/lists/editions/${id}/approve`, { as: 'scjg-approver' }), env.api('POST', `/api/v1/lists/editions/${id}/approve`, { as: 'admin' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const after = (await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', scjgList).where('status', '=', 'published').execute()).length;
    expect(after).toBe(before + 1);
  });
});
