// The bulk loader: on SQLite, parallel shard workers must build exactly the index that upserting
// the same items builds; the index stays usable for live changes afterwards; an aborted load
// leaves nothing; shard files that do not belong to the database are reset. On PostgreSQL the
// loader is the batch-by-batch path and must give the same results too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { SqliteSearchIndex, searchIndexFor, type SearchIndex } from '../../src/platform/search/index.js';
import { SHARDS } from '../../src/platform/search/shards.js';
import type { IndexableItem } from '../../src/platform/publication/indexable.js';
import { item } from './fixtures.js';

const pg = !!process.env.DATABASE_URL;
const WORDS = ['政务公开', '营商环境', '棚户区改造', '安全生产', '隐患排查', '整改', '预算', '公开指南', '税收', '乡村振兴', '数据', '共享', '审批', '服务', '通知'];

/** 400 items with bodies made of the words above, deterministic. */
function corpus(): IndexableItem[] {
  let x = 7;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const out: IndexableItem[] = [];
  for (let id = 1; id <= 400; id++) {
    const body = Array.from({ length: 30 }, () => WORDS[rnd(WORDS.length)]).join(rnd(2) ? '，' : '');
    out.push(item(id, { title: `关于${WORDS[rnd(WORDS.length)]}${WORDS[rnd(WORDS.length)]}的通知`, text: body, department: `d0${rnd(4)}`, validity: rnd(5) === 0 ? 'expired' : 'valid' }));
  }
  return out;
}

let a: TestEnv;
let b: TestEnv;
let ixA: SearchIndex;
let ixB: SearchIndex;
let parallel = false;
const items = corpus();

beforeAll(async () => {
  a = await makeEnv({ demo: false });
  b = await makeEnv({ demo: false });
  ixA = searchIndexFor(a.p.dbh);
  ixB = searchIndexFor(b.p.dbh);
  await ixA.upsert(items);
  // Small batches and commits: several shard transactions and main-table writes per worker.
  const loader = await ixB.bulkLoader({ batch: 25, commitEvery: 60 });
  parallel = loader.parallel;
  for (let i = 0; i < items.length; i += 70) await loader.add(items.slice(i, i + 70));
  await loader.finish();
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const QUERIES: Record<string, unknown>[] = [{ q: '政务公开' }, { q: '营商环境 整改' }, { q: '税' }, { q: '公开指南' }, { q: '预算', department: 'd01' }, { q: '' }, { q: '', validity: 'expired' }, { q: '生产隐' }, { q: '火星' }];

describe(`bulk loader (${pg ? 'postgres' : 'sqlite'})`, () => {
  it('is parallel on SQLite and batch by batch on PostgreSQL', () => {
    expect(parallel).toBe(!pg);
  });

  it('builds the same index as upserting the items one batch at a time', async () => {
    expect(await ixB.count()).toBe(items.length);
    for (const q of QUERIES) {
      const ra = await ixA.search(q, { cache: false });
      const rb = await ixB.search(q, { cache: false });
      expect(rb.total, JSON.stringify(q)).toBe(ra.total);
      expect(rb.items.map((i) => [i.id, i.score, i.snippet]), JSON.stringify(q)).toEqual(ra.items.map((i) => [i.id, i.score, i.snippet]));
      expect(rb.facets, JSON.stringify(q)).toEqual(ra.facets);
    }
    expect(await ixB.suggest('营商')).toEqual(await ixA.suggest('营商'));
  });

  it('stays usable for live changes after the load', async () => {
    await ixB.upsert([item(5, { title: '独一无二的标题', text: '全新的正文内容' })]);
    expect((await ixB.search({ q: '独一无二' })).items.map((i) => i.id)).toEqual([5]);
    const old = items[4];
    const word = old.text!.slice(0, 4);
    expect((await ixB.search({ q: word }, { cache: false })).items.map((i) => i.id)).not.toContain(5);
    await ixB.remove([7]);
    expect((await ixB.search({ q: '', pageSize: 100 }, { cache: false })).total).toBe(items.length - 1);
  });

  it.skipIf(!pg)('builds the GIN indexes again at the end (postgres)', async () => {
    const { sql } = await import('kysely');
    const r = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'search_docs' AND indexname LIKE 'search_docs_tsv%' ORDER BY 1`.execute(b.p.db);
    expect(r.rows.map((x) => x.indexname)).toEqual(['search_docs_tsv', 'search_docs_tsv_title']);
  });

  it.skipIf(pg)('leaves every FTS shard consistent', () => {
    const raw = b.p.dbh.sqlite!;
    for (let k = 0; k < SHARDS; k++) {
      for (const t of ['search_fts', 'search_title', 'search_chars']) expect(() => raw.exec(`INSERT INTO ${t}_${k}(${t}_${k}) VALUES ('integrity-check')`)).not.toThrow();
    }
  });
});

describe.skipIf(pg)('bulk loader failures and shard files (sqlite)', () => {
  it('changes nothing when aborted', async () => {
    const env = await makeEnv({ demo: false });
    try {
      const ix = searchIndexFor(env.p.dbh);
      const loader = await ix.bulkLoader({ batch: 10 });
      await loader.add(items.slice(0, 100));
      await loader.abort();
      expect(await ix.count()).toBe(0);
      expect((await ix.search({ q: '政务公开' }, { cache: false })).total).toBe(0);
      // The index can be loaded afterwards.
      await ix.upsert(items.slice(0, 10));
      expect(await ix.count()).toBe(10);
    } finally {
      await env.close();
    }
  });

  it('resets the index when a shard file does not carry the database epoch (e.g. after a restore)', async () => {
    const env = await makeEnv({ demo: false });
    try {
      const ix = searchIndexFor(env.p.dbh);
      await ix.upsert(items.slice(0, 20));
      expect(await ix.count()).toBe(20);
      env.p.dbh.sqlite!.exec("UPDATE shard_1.shard_info SET value = 'foreign' WHERE key = 'epoch'");
      const reopened = new SqliteSearchIndex(env.p.db, env.p.dbh.sqlite!, env.p.dbh.file!);
      expect(await reopened.count()).toBe(0);
      expect((await reopened.search({ q: '' }, { cache: false })).total).toBe(0);
      await reopened.upsert(items.slice(0, 3));
      expect((await reopened.search({ q: '' }, { cache: false })).total).toBe(3);
    } finally {
      await env.close();
    }
  });
});
