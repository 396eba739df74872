// 随机抽查事项清单 is a list type like the others: an import (Chinese field names accepted) becomes
// a draft edition, approved by another person and published through the spine with its 索引号; bad
// rows are refused whole with row and field; a second edition's diff names what was added,
// removed and changed; the public pages show each matter with its field in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { TYPE, matter, matterCsv, matterList, publishMatters } from './matters-util.js';
import { demoOrg } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  // Lists of its own (the demo publishes the departments' 随机抽查事项清单): the staff it needs.
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: ['scjg-editor', 'scjg-approver'], departments: ['whly'] });
}, 60000);
afterAll(async () => env?.close());

const items = async (q = '') => JSON.parse((await env.api('GET', `/api/v1/lists/${TYPE}/items?pageSize=200${q}`)).body);

describe('随机抽查事项清单', () => {
  it('refuses a file with bad rows whole, naming row and field', async () => {
    const listId = await matterList(env, 'scjg');
    const rows = [matter('SC-001'), matter('SC-002', { field: '食品' }), matter('SC-003', { department: 'whly' }), matter('SC-004', { basis: '' }), matter('SC-001')];
    const r = await env.api('POST', `/api/v1/lists/${TYPE}/lists/${listId}/import`, { as: 'scjg-editor', body: { filename: 'm.csv', content: matterCsv(rows), reason: '首次公布', docNo: 'x' } });
    expect(r.statusCode).toBe(400);
    const got = JSON.parse(r.body).report.problems.map((x: any) => [x.row, x.field, x.problem]);
    expect(got).toEqual(expect.arrayContaining([[3, 'field', 'err.lists.enum'], [4, 'department', 'err.lists.other_department'], [5, 'basis', 'err.lists.required'], [6, 'code', 'err.lists.duplicate_key']]));
    expect(got.some((g: any[]) => g[0] === 2)).toBe(false);
    expect(await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', listId).execute()).toEqual([]);
  });

  it('imports an edition (fields by their Chinese names), approved and published with its 索引号', async () => {
    const e = await publishMatters(env, 'scjg', [matter('SC-001', { field: '食品安全' }), matter('SC-002', { name: '产品质量监督抽查', field: '产品质量', basis: '《中华人民共和国产品质量法》第十五条' }), matter('SC-003', { field: 'market' })]);
    expect(e).toMatchObject({ status: 'published', number: 1, counts: { items: 3 } });
    expect(e.indexNo).toMatch(/^[0-9A-Z]+\/\d{4}-\d{5}$/);
    const item = await env.p.db.selectFrom('pub_items').select(['type', 'public']).where('id', '=', e.pubItemId).executeTakeFirstOrThrow();
    expect(item).toEqual({ type: 'list-edition', public: 1 });
    const all = await items();
    expect(all.items.map((i: any) => [i.key, i.data.field, i.category])).toEqual([
      ['SC-001', 'food', 'food'],
      ['SC-002', 'quality', 'quality'],
      ['SC-003', 'market', 'market'],
    ]);
    // The field is the list's category filter.
    expect((await items('&category=quality')).items.map((i: any) => i.key)).toEqual(['SC-002']);
  });

  it('a second edition: the diff names the matters added, removed and changed', async () => {
    const before = (await items()).items.map((i: any) => i.data);
    const next = before.filter((i: any) => i.code !== 'SC-003').map((i: any) => (i.code === 'SC-001' ? { ...i, ratio: '10%' } : i));
    next.push(matter('SC-004', { field: 'safety', name: '特种设备安全监督检查' }));
    const e2 = await publishMatters(env, 'scjg', next, '示范新区市监〔2026〕2号');
    expect(e2).toMatchObject({ number: 2, counts: { added: 1, removed: 1, changed: 1, items: 3 } });
    const eds = JSON.parse((await env.api('GET', `/api/v1/lists/${TYPE}/lists/${e2.listId}/editions`)).body).editions;
    const e1 = eds.find((x: any) => x.number === 1).id;
    const d = JSON.parse((await env.api('GET', `/api/v1/lists/${TYPE}/editions/${e1}/diff/${e2.id}`)).body);
    expect(d.changes.added.map((x: any) => x.key)).toEqual(['SC-004']);
    expect(d.changes.removed.map((x: any) => x.key)).toEqual(['SC-003']);
    expect(d.changes.changed).toEqual([{ key: 'SC-001', fields: [{ field: 'ratio', from: '5%', to: '10%' }] }]);
    // The public diff page and the item page.
    const page = await env.app.inject({ url: `/lists/${TYPE}/lists/${e2.listId}` });
    expect(page.statusCode).toBe(200);
    const it = await env.app.inject({ url: `/lists/${TYPE}/items/SC-004?list=${e2.listId}` });
    expect(it.statusCode).toBe(200);
    expect(it.body).toContain('特种设备安全监督检查');
    expect(it.body).toContain('安全生产'); // the field in words
    expect(it.body).toContain('抽查依据');
    const browse = await env.app.inject({ url: `/lists/${TYPE}?category=safety` });
    expect(browse.statusCode).toBe(200);
    expect(browse.body).toContain('SC-004');
    expect(browse.body).not.toContain('SC-002');
    const en = await env.app.inject({ url: `/lists/${TYPE}/items/SC-004?list=${e2.listId}`, headers: { cookie: 'gk_lang=en' } });
    expect(en.body).toContain('Work safety');
  });
});
