// "May I do this business here?" answered from fixture lists (no demo data): prohibited,
// permitted with licence (measure, authority, service guide) or not listed, by keyword or by
// 国民经济行业分类 code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { createDepartment } from '../../src/modules/org/service.js';
import { draftEdition, ensureList, publishEdition } from '../../src/modules/lists/service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  const p = env.p;
  const fgj = await createDepartment(p, 'cli', { code: 'fgj', name: '发改局', kind: 'bureau' });
  const sp = await createDepartment(p, 'cli', { code: 'sp', name: '审批局', kind: 'bureau' });
  await p.tx(async (t) => {
    const pub = async (type: string, dept: number, items: any[]) => {
      const id = await ensureList(p, t, 'cli', type, dept, type);
      const e = await draftEdition(p, 'cli', id, { items, reason: '测试', docNo: '测〔2026〕1号' }, t);
      await publishEdition(p, t, 'cli', e.id);
    };
    await pub('service-guide', sp.id, [{ code: 'G-FOOD', name: '食品经营许可证核发', department: 'sp', applicants: ['enterprise'], conditions: ['有场所'], materials: [], steps: ['申请'], statutoryDays: 10, promisedDays: 3, fees: [], windows: [{ address: '大厅', hours: '9-17', phone: '0411-1234567' }], visits: 0, faq: [] }]);
    await pub('market-access', fgj.id, [
      { code: '100006', no: 6, category: 'prohibited', name: '禁止违规开展新闻传媒相关业务', measures: '非公有资本不得从事新闻采编播发业务', authority: '中央宣传部', localMeasures: '', industries: ['R86'], keywords: ['新闻'], serviceGuides: [] },
      { code: '206001', no: 45, category: 'permitted', name: '未获得许可，不得从事烟草专卖品批发、零售业务', measures: '烟草专卖零售许可', authority: '国家烟草局', localMeasures: '按布局规划执行', industries: ['F5227'], keywords: ['烟草', '卷烟'], serviceGuides: [] },
      { code: '206005', no: 46, category: 'permitted', name: '未获得许可，不得从事食品销售和餐饮服务', measures: '食品经营许可', authority: '市场监管总局', localMeasures: '', industries: ['H62', 'F5221'], keywords: ['餐饮', '小吃'], serviceGuides: ['G-FOOD', 'G-MISSING'] },
    ]);
    await pub('foreign-investment', fgj.id, [
      { no: '7', heading: '四、批发和零售业', measure: '禁止投资烟叶、卷烟、复烤烟叶及其他烟草制品的批发、零售。', category: 'prohibited', authority: '商务部门', industries: ['F5128', 'F5227'], keywords: ['烟草'] },
      { no: '23', heading: '十、卫生和社会工作', measure: '医疗机构限于合资。', category: 'restricted', authority: '商务部门', industries: ['Q84'], keywords: ['医院'] },
    ]);
  });
}, 60000);
afterAll(async () => env?.close());

const ask = async (q: string) => {
  const r = await env.api('GET', `/api/v1/negative-lists/lookup?q=${encodeURIComponent(q)}`);
  expect(r.statusCode).toBe(200);
  return JSON.parse(r.body) as { query: string; results: any[] };
};

describe('negative-list lookup', () => {
  it('烟草: permitted with licence on the market-access list, prohibited for foreign investors', async () => {
    const r = await ask('烟草');
    expect(r.query).toBe('烟草');
    const ma = r.results.find((x) => x.list === 'market-access');
    expect(ma).toMatchObject({ code: '206001', category: 'permitted', measure: '烟草专卖零售许可', authority: '国家烟草局', localMeasures: '按布局规划执行' });
    const fi = r.results.find((x) => x.list === 'foreign-investment');
    expect(fi).toMatchObject({ code: '7', category: 'prohibited', heading: '四、批发和零售业' });
    expect(r.results[0].category).toBe('prohibited');
  });

  it('by industry code: F5227 (烟草制品零售) matches both lists; R86 is prohibited', async () => {
    const r = await ask('f5227');
    expect(r.results.map((x) => [x.list, x.code, x.matchedBy])).toEqual(expect.arrayContaining([['market-access', '206001', 'industry'], ['foreign-investment', '7', 'industry']]));
    const news = await ask('R8610');
    expect(news.results.find((x) => x.list === 'market-access')).toMatchObject({ code: '100006', category: 'prohibited' });
    expect(news.results.find((x) => x.list === 'foreign-investment')).toMatchObject({ code: null, category: 'not-listed' });
  });

  it('a question containing a keyword finds the licence and its service guide', async () => {
    const r = await ask('我想开一家餐饮店');
    const ma = r.results.find((x) => x.list === 'market-access');
    expect(ma).toMatchObject({ code: '206005', category: 'permitted', authority: '市场监管总局' });
    // Only guides that exist are linked.
    expect(ma.serviceGuides).toEqual([{ code: 'G-FOOD', name: '食品经营许可证核发', url: '/lists/service-guide/items/G-FOOD' }]);
  });

  it('restricted foreign-investment measures are permitted under conditions', async () => {
    const r = await ask('Q84');
    expect(r.results.find((x) => x.list === 'foreign-investment')).toMatchObject({ code: '23', category: 'permitted', restricted: true, measure: '医疗机构限于合资。' });
  });

  it('anything else is not listed on either list', async () => {
    const r = await ask('软件开发');
    expect(r.results).toEqual([
      { list: 'market-access', code: null, category: 'not-listed', name: null, measure: null, authority: null },
      { list: 'foreign-investment', code: null, category: 'not-listed', name: null, measure: null, authority: null },
    ]);
  });

  it('an empty or over-long query is a 400, never a 5xx; the page answers too', async () => {
    expect((await env.api('GET', '/api/v1/negative-lists/lookup?q=')).statusCode).toBe(400);
    expect((await env.api('GET', `/api/v1/negative-lists/lookup?q=${'烟'.repeat(200)}`)).statusCode).toBe(400);
    const page = await env.app.inject({ method: 'GET', url: `/negative-lists/lookup?q=${encodeURIComponent('烟草')}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('需取得许可');
    expect(page.body).toContain('国家烟草局');
  });
});

describe('search integration', () => {
  it('a published edition is indexed by site search with the text of its items', async () => {
    await env.drain();
    const r = await env.api('GET', `/api/v1/search?q=${encodeURIComponent('烟草专卖零售许可')}`);
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    const hits = (body.results ?? body.items ?? body.hits ?? []) as any[];
    expect(hits.some((h) => String(h.url ?? '').startsWith('/catalog/items/') && h.type === 'list-edition')).toBe(true);
    // And list items themselves are filtered with q on the list API.
    const items = JSON.parse((await env.api('GET', `/api/v1/lists/market-access/items?q=${encodeURIComponent('烟草')}`)).body);
    expect(items.items.map((i: any) => i.key)).toEqual(['206001']);
  });
});

describe('delivery', () => {
  it('publishing an edition enqueues the spine delivery channels', async () => {
    const jobs = await env.p.db.selectFrom('jobs' as any).select(['kind' as any]).where('kind' as any, 'like', 'publication.deliver.%').execute();
    expect(jobs.length).toBeGreaterThan(0);
  });
});
