// The shared SearchIndex suite: runs against the backend makeEnv gives (SQLite, or PostgreSQL
// when DATABASE_URL is set), so both implementations pass the same expectations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeEnv, type TestEnv } from '../helpers.js';
import { searchIndexFor, type SearchIndex } from '../../src/platform/search/index.js';
import { FACETS } from '../../src/platform/search/types.js';
import { item, JUDGED } from './fixtures.js';

let env: TestEnv;
let ix: SearchIndex;

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  ix = searchIndexFor(env.p.dbh);
  await ix.upsert(JUDGED);
});
afterAll(async () => {
  await env.close();
});

const ids = (r: { items: { id: number }[] }) => r.items.map((i) => i.id);

describe(`search index (${process.env.DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  it('ranks the judged set as expected', async () => {
    const judged: [string, number][] = [
      ['政务公开', 1], // in the title beats in the body
      ['政務公開', 1], // traditional query, simplified text
      ['棚户区改造', 5], // title, valid, over body mentions and a repealed item
      ['公开指南', 7], // exact phrase beats scattered words (item 10)
      ['信息公开 年度报告', 8],
      ['营商环境', 3],
      ['双随机一公开', 9], // title match, although expired, beats the body match of item 3
      ['预算', 2],
      ['COVID', 8],
    ];
    for (const [q, first] of judged) {
      const r = await ix.search({ q }, { cache: false });
      expect(r.items[0]?.id, `first for ${q}`).toBe(first);
    }
  });

  it('runs a query once when the same uncached query arrives many times at once', async () => {
    const engine = ix as unknown as { matches: (...a: unknown[]) => Promise<number[]> };
    const orig = engine.matches;
    let calls = 0;
    engine.matches = function (this: unknown, ...a: unknown[]) {
      calls++;
      return orig.apply(this, a);
    };
    try {
      await ix.search({ q: '年度报告 信息', pageSize: 7 });
      const once = calls;
      calls = 0;
      const results = await Promise.all(Array.from({ length: 8 }, () => ix.search({ q: '信息 年度报告', pageSize: 7 })));
      expect(calls).toBe(once);
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    } finally {
      engine.matches = orig;
    }
  });

  it('puts the exact phrase above scattered terms', async () => {
    const r = await ix.search({ q: '公开 指南' });
    expect(ids(r).slice(0, 2)).toEqual([7, 10]);
  });

  it('boosts valid items over repealed ones for the same match', async () => {
    await ix.upsert([item(101, { title: '物业管理办法', text: '物业' }), item(102, { title: '物业管理办法', text: '物业', validity: 'repealed' })]);
    const r = await ix.search({ q: '物业管理办法' });
    expect(ids(r)).toEqual([101, 102]);
    await ix.remove([101, 102]);
  });

  it('finds single characters, numbers and Latin words', async () => {
    expect(ids(await ix.search({ q: '税' }))).toEqual([]);
    expect(ids(await ix.search({ q: '棚' })).sort()).toEqual([4, 5, 6]);
    expect(ids(await ix.search({ q: '12345' }))).toEqual([4]);
    expect(ids(await ix.search({ q: 'covid-19 response' }))).toEqual([8]);
    expect(ids(await ix.search({ q: 'ＣＯＶＩＤ' }))).toEqual([8]);
  });

  it('highlights matches in title and snippet, escaped', async () => {
    await ix.upsert([item(103, { title: '<b>标签</b>测试', text: '正文<script>alert(1)</script>提到标签和“引号”' })]);
    const r = await ix.search({ q: '标签' });
    expect(r.items[0].titleHtml).toBe('&lt;b&gt;<mark>标签</mark>&lt;/b&gt;测试');
    expect(r.items[0].snippet).toContain('&lt;script&gt;');
    expect(r.items[0].snippet).toContain('<mark>标签</mark>');
    expect(r.items[0].snippet).not.toContain('<script>');
    await ix.remove([103]);
  });

  it('lists filtered items newest first for an empty query, and sorts by date', async () => {
    const all = await ix.search({});
    expect(all.total).toBe(JUDGED.length);
    const dates = all.items.map((i) => i.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    const gov = await ix.search({ department: 'gov' });
    expect(ids(gov)).toEqual([1, 8, 7, 10]);
    const byDate = await ix.search({ q: '公开', sort: 'date' });
    const d2 = byDate.items.map((i) => i.publishedAt);
    expect(d2).toEqual([...d2].sort().reverse());
  });

  it('searches within one department and other filters', async () => {
    expect(ids(await ix.search({ q: '棚户区改造', department: 'zjj' })).sort()).toEqual([4, 5]);
    expect(ids(await ix.search({ q: '公开', type: 'report' }))).toEqual([8]);
    expect(ids(await ix.search({ q: '公开', year: 2024 }))).toEqual([9]);
    expect(ids(await ix.search({ q: '棚户区', validity: 'repealed' }))).toEqual([6]);
    expect(ids(await ix.search({ q: '公开', topic: '城乡建设', genre: '公告' }))).toEqual([4]);
  });

  it("facet counts equal the totals of the filtered searches", async () => {
    for (const q of ['', '公开', '棚户区改造', '政府信息']) {
      const r = await ix.search({ q });
      for (const f of FACETS) {
        const sum = r.facets[f].reduce((a, v) => a + v.count, 0);
        if (f === 'type' || f === 'department' || f === 'year' || f === 'validity') expect(sum, `${q} ${f}`).toBe(r.total);
        for (const v of r.facets[f]) {
          const filtered = await ix.search({ q, [f]: f === 'year' ? Number(v.value) : v.value });
          expect(filtered.total, `${q} ${f}=${v.value}`).toBe(v.count);
        }
      }
      expect(r.facetsExact).toBe(true);
    }
    const r = await ix.search({ q: '公开' });
    expect(r.facets.department.find((d) => d.value === 'gov')?.label).toBe('区政府办公室');
  });

  it('suggests other queries when nothing is found', async () => {
    const r = await ix.search({ q: '棚户区改造 火星殖民' });
    expect(r.total).toBe(0);
    expect(r.suggestions).toContain('棚户区改造');
  });

  it('autocompletes from titles', async () => {
    const s = await ix.suggest('棚户');
    expect(s.terms).toContain('棚户区改造');
    expect(s.titles.map((t) => t.title)).toContain('棚户区改造项目征收补偿方案');
    expect(await ix.suggest('')).toEqual({ terms: [], titles: [] });
  });

  it('replaces an item on upsert and forgets removed items', async () => {
    await ix.upsert([item(104, { title: '临时公告甲乙丙', text: '旧内容' })]);
    expect(ids(await ix.search({ q: '旧内容' }))).toEqual([104]);
    await ix.upsert([item(104, { title: '临时公告甲乙丙', text: '新内容' })]);
    expect(ids(await ix.search({ q: '旧内容' }))).toEqual([]);
    expect(ids(await ix.search({ q: '新内容' }))).toEqual([104]);
    expect((await ix.suggest('临时')).terms).toContain('临时');
    await ix.remove([104]);
    expect(ids(await ix.search({ q: '新内容' }))).toEqual([]);
    expect((await ix.suggest('临时')).terms).toEqual([]);
    expect(await ix.count()).toBe(JUDGED.length);
  });

  it('counts exactly while the matches are few enough to walk them all, and estimates beyond, with facets scaled alike', async () => {
    const many = (n: number, from: number) => Array.from({ length: n }, (_, i) => item(from + i, { title: `批量${i}`, text: '估算测试', department: i % 4 === 0 ? 'czj' : 'gov' }));
    await ix.upsert(many(900, 3001));
    let r = await ix.search({ q: '估算测试' }, { cache: false });
    expect([r.total, r.totalExact, r.facetsExact]).toEqual([900, true, true]);
    expect(r.facets.department).toEqual([
      { value: 'gov', label: '区发展和改革委员会', count: 675 },
      { value: 'czj', label: '区发展和改革委员会', count: 225 },
    ]);
    // The same answer when the row caches are too small to hold the matches (rows are evicted
    // and read again: the metadata of the ranked ones, the facet fields of the others).
    const caches = ix as unknown as { metaCacheSize: number; metaCache: Map<number, unknown>; facetRowCache: Map<number, unknown> };
    const size = caches.metaCacheSize;
    try {
      caches.metaCacheSize = 10;
      for (let i = 0; i < 2; i++) {
        const small = await ix.search({ q: '估算测试' }, { cache: false });
        expect({ ...small, items: ids(small) }).toEqual({ ...r, items: ids(r) });
        expect(caches.metaCache.size).toBeLessThanOrEqual(10);
        expect(caches.facetRowCache.size).toBeLessThanOrEqual(20);
      }
    } finally {
      caches.metaCacheSize = size;
    }
    // 1,200 matches: more than the two windows hold, but the oldest 500 reach only 5/12 of the id
    // range, so the walk goes on to the end: the total and facets stay exact and every match can
    // be paged to (not only the newest 500 and the title matches).
    await ix.upsert(many(300, 3901));
    r = await ix.search({ q: '估算测试', page: 60, pageSize: 20 }, { cache: false });
    expect([r.total, r.totalExact, r.facetsExact, r.reachable, r.items.length]).toEqual([1200, true, true, 1200, 20]);
    expect(r.facets.department.find((d) => d.value === 'czj')!.count).toBe(300);
    const seen = new Set<number>();
    for (let page = 1; page <= 12; page++) for (const id of ids(await ix.search({ q: '估算测试', page, pageSize: 100 }, { cache: false }))) seen.add(id);
    expect(seen.size).toBe(1200);
    await ix.upsert(many(1300, 3901));
    r = await ix.search({ q: '估算测试' }, { cache: false });
    expect(r.totalExact).toBe(false);
    expect(r.facetsExact).toBe(false);
    expect(Math.abs(r.total - 2200)).toBeLessThan(2200 * 0.1);
    const gov = r.facets.department.find((d) => d.value === 'gov')!.count;
    expect(Math.abs(gov - 1650)).toBeLessThan(1650 * 0.15);
    expect(r.items.length).toBe(20);
    await ix.remove(Array.from({ length: 2200 }, (_, i) => 3001 + i));
  });

  it('spreads an estimated total over the years of the matches between the two windows', async () => {
    // 2,400 matches published over twelve years in id order: the newest and oldest windows hold
    // only the first and last years; the year facet must still show every year about evenly.
    const years = Array.from({ length: 12 }, (_, k) => 2015 + k);
    const spread = Array.from({ length: 2400 }, (_, i) => item(6001 + i, { title: `年份${i}`, text: '年份分布测试', publishedAt: `${2015 + Math.floor(i / 200)}-06-01T00:00:00.000Z` }));
    await ix.upsert(spread);
    try {
      const r = await ix.search({ q: '年份分布测试' }, { cache: false });
      expect(r.totalExact).toBe(false);
      expect(r.facets.year.map((y) => Number(y.value))).toEqual([...years].reverse());
      for (const y of r.facets.year) expect(Math.abs(y.count - 200), `year ${y.value}`).toBeLessThan(200 * 0.3);
      const sum = r.facets.year.reduce((a, y) => a + y.count, 0);
      expect(Math.abs(sum - r.total)).toBeLessThanOrEqual(12);
    } finally {
      await ix.remove(spread.map((i) => i.id));
    }
  });

  it('recall guarantee: any substring of an item is found (property)', async () => {
    const alphabet = [...'政务公开工作要点营商环境放管服一网通办双随机负面清单的和关于通知区人民政府棚户改造税', 'a', 'B', 'x', '1', '2', '０', '，', '。', ' ', '《', '》', '-', '政', '務', '開'];
    const textArb = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 60 }).map((a) => a.join(''));
    const base = 1000;
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ title: textArb, text: textArb }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.nat(), fc.boolean(), async (docs, pick, s1, s2, inTitle) => {
        round++;
        const items = docs.map((d, i) => item(base + round * 10 + i, { title: d.title, text: d.text }));
        await ix.upsert(items);
        try {
          const target = items[pick % items.length];
          const src = inTitle ? target.title : target.text;
          const from = s1 % src.length;
          const len = 1 + (s2 % Math.min(100, src.length - from));
          const q = src.slice(from, from + len);
          const r = await ix.search({ q, pageSize: 100 }, { cache: false });
          expect(ids(r), `query ${JSON.stringify(q)} in ${JSON.stringify(src)}`).toContain(target.id);
        } finally {
          await ix.remove(items.map((i) => i.id));
        }
      }),
      { numRuns: 60 },
    );
  });
});
