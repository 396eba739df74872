// Backend parity: the same items and queries give the same results on SQLite and PostgreSQL.
// Runs when DATABASE_URL is set (the SQLite side is always available).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, PG_URL, type TestEnv } from '../helpers.js';
import { searchIndexFor, type SearchIndex } from '../../src/platform/search/index.js';
import { item, JUDGED } from './fixtures.js';

const QUERIES = ['政务公开', '政務公開', '公开', '公开 指南', '棚户区改造', '棚', '税', '12345', 'covid', '信息公开 年度报告', '双随机一公开', '补偿', '火星', ''];
const EXTRA = Array.from({ length: 30 }, (_, i) =>
  item(200 + i, {
    title: ['政务公开', '营商环境', '棚户区改造', '预算公开'][i % 4] + `第${i}号`,
    text: '公开 '.repeat(i % 5) + '补偿标准与营商环境'.slice(0, 3 + (i % 6)),
    department: ['gov', 'czj', 'zjj'][i % 3],
    departmentName: ['区政府办公室', '区财政局', '区住房和城乡建设局'][i % 3],
    validity: i % 7 === 0 ? 'expired' : 'valid',
    publishedAt: new Date(Date.UTC(2020 + (i % 6), i % 12, 1 + i)).toISOString(),
  }),
);

describe.skipIf(!PG_URL)('backend parity (SQLite and PostgreSQL)', () => {
  let lite: TestEnv;
  let pg: TestEnv;
  let a: SearchIndex;
  let b: SearchIndex;
  beforeAll(async () => {
    lite = await makeEnv({ demo: false, overrides: { databaseUrl: null } });
    pg = await makeEnv({ demo: false });
    a = searchIndexFor(lite.p.dbh);
    b = searchIndexFor(pg.p.dbh);
    expect([a.backend, b.backend]).toEqual(['sqlite', 'postgres']);
    for (const ix of [a, b]) await ix.upsert([...JUDGED, ...EXTRA]);
  });
  afterAll(async () => {
    await lite?.close();
    await pg?.close();
  });

  it('finds the same items with the same totals and facets', async () => {
    for (const q of QUERIES) {
      for (const extra of [{}, { department: 'gov' }, { validity: 'valid' as const }, { sort: 'date' as const }]) {
        const ra = await a.search({ q, pageSize: 100, ...extra }, { cache: false });
        const rb = await b.search({ q, pageSize: 100, ...extra }, { cache: false });
        const label = `${q} ${JSON.stringify(extra)}`;
        expect(rb.total, label).toBe(ra.total);
        expect(rb.items.map((i) => i.id).sort(), label).toEqual(ra.items.map((i) => i.id).sort());
        expect(rb.facets, label).toEqual(ra.facets);
        const snippets = (r: typeof ra) => Object.fromEntries(r.items.map((i) => [i.id, [i.titleHtml, i.snippet]]));
        expect(snippets(rb), label).toEqual(snippets(ra));
        // Ranking is computed by our layer from the same candidates, so the order is the same too.
        expect(rb.items.map((i) => i.id), label).toEqual(ra.items.map((i) => i.id));
        expect(rb.items.map((i) => i.score), label).toEqual(ra.items.map((i) => i.score));
      }
    }
  });

  it('suggests and autocompletes alike', async () => {
    expect(await b.suggest('棚户')).toEqual(await a.suggest('棚户'));
    expect((await b.search({ q: '棚户区改造 火星殖民' })).suggestions).toEqual((await a.search({ q: '棚户区改造 火星殖民' })).suggestions);
  });
});
