// The demo district reads like a real one (issue 15, item 11): documents of many kinds per
// department with their own bodies, lengths and attachments; appeals with distinct texts and
// replies that name the problem; a 权责清单 for every department across the ten power types;
// dozens of service guides; tagged policies — and no title with a doubled word.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { DEMO_DEPARTMENTS } from '../../src/modules/org/demo.js';
import { POWER_TYPES } from '../../src/modules/lists/service/types/power.js';
import { composeAppeal } from '../../src/modules/appeals/demo/compose.js';
import { seededRandom } from '../../src/platform/random.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

/** A two-character word written twice in a row ("管理管理办法"). */
const DOUBLED = /([\u4e00-\u9fff]{2})\1/;
/** Titles that differ only in spacing or punctuation are the same title. */
const norm = (t: string) => t.replace(/[\s\p{P}\p{S}]/gu, '');
const plain = (html: string) => html.replace(/<[^>]+>/g, '');

async function documents() {
  return env.p.db
    .selectFrom('pub_items')
    .innerJoin('pub_versions', (j) => j.onRef('pub_versions.item_id', '=', 'pub_items.id').onRef('pub_versions.version', '=', 'pub_items.published_version'))
    .innerJoin('departments', 'departments.id', 'pub_items.department_id')
    .select(['pub_items.title', 'pub_items.genre', 'departments.code', 'pub_versions.data'])
    .where('pub_items.type', '=', 'document')
    .where('pub_items.public', '=', 1)
    .execute();
}

async function currentListItems(type: string) {
  return env.p.db
    .selectFrom('list_items')
    .innerJoin('list_editions', 'list_editions.id', 'list_items.edition_id')
    .innerJoin('lists', (j) => j.onRef('lists.id', '=', 'list_items.list_id').onRef('lists.current_edition', '=', 'list_editions.number'))
    .select(['list_items.name', 'list_items.department', 'list_items.power_type', 'list_items.data'])
    .where('lists.type', '=', type)
    .execute();
}

describe('demo catalog', () => {
  it('has documents of many kinds in every department, each with its own body, of varied length', async () => {
    const docs = await documents();
    expect(docs.length).toBeGreaterThanOrEqual(300);
    const bodies = docs.map((d) => plain(JSON.parse(d.data).body as string));
    expect(new Set(bodies).size).toBe(docs.length);
    const lengths = bodies.map((b) => b.length).sort((a, b) => a - b);
    const [p10, p90] = [lengths[Math.floor(lengths.length * 0.1)], lengths[Math.floor(lengths.length * 0.9)]];
    expect(p90 / p10).toBeGreaterThan(2.5);
    expect(lengths.at(-1)).toBeGreaterThan(1500);
    expect(new Set(docs.map((d) => d.genre)).size).toBeGreaterThanOrEqual(12);
    for (const dept of DEMO_DEPARTMENTS) {
      const own = docs.filter((d) => d.code === dept.code);
      expect(own.length, dept.code).toBeGreaterThanOrEqual(3);
      expect(new Set(own.map((d) => d.genre)).size, dept.code).toBeGreaterThanOrEqual(3);
    }
    // Kinds only some departments publish.
    const titles = docs.map((d) => d.title);
    for (const re of [/统计公报|主要经济指标|经济运行情况/, /部门(预算|决算)公开说明/, /招标公告|中标结果公告|成交结果公告/, /职务任免|任职的通知/, /抽检信息公告|监督抽查结果公告/, /行政处罚决定信息公开/, /应急预案/]) {
      expect(titles.some((t) => re.test(t)), String(re)).toBe(true);
    }
    // The annual reports are the annual-reports module's, with their figures: no document imitates one.
    expect(titles.filter((t) => /政府信息公开工作年度报告/.test(t))).toEqual([]);
  });

  it('attaches files where the kind of document has them', async () => {
    const docs = await documents();
    const files = docs.flatMap((d) => (JSON.parse(d.data).attachments as { name: string; mime: string }[]) ?? []);
    expect(docs.filter((d) => JSON.parse(d.data).attachments?.length).length).toBeGreaterThanOrEqual(30);
    expect(new Set(files.map((f) => f.mime)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(files.map((f) => f.name)).size).toBeGreaterThanOrEqual(25);
  });

  it('has no doubled words and no near-duplicate titles', async () => {
    const titles = (await documents()).map((d) => d.title);
    expect(titles.filter((t) => DOUBLED.test(t))).toEqual([]);
    const seen = new Map<string, string>();
    const dups = titles.filter((t) => (seen.has(norm(t)) ? true : (seen.set(norm(t), t), false)));
    expect(dups).toEqual([]);
  });
});

describe('demo appeals', () => {
  it('≥ 300 appeals with ≥ 280 distinct titles and texts, and replies that name the problem and the department', async () => {
    const rows = await env.p.db.selectFrom('appeals').leftJoin('departments', 'departments.id', 'appeals.department_id').select(['appeals.title', 'appeals.content', 'appeals.reply', 'appeals.type', 'departments.name as dept']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.title)).size).toBeGreaterThanOrEqual(280);
    expect(new Set(rows.map((r) => r.content)).size).toBeGreaterThanOrEqual(280);
    expect(rows.filter((r) => DOUBLED.test(r.title))).toEqual([]);
    const replied = rows.filter((r) => r.reply);
    expect(replied.length).toBeGreaterThanOrEqual(150);
    expect(new Set(replied.map((r) => r.reply)).size).toBeGreaterThanOrEqual(replied.length * 0.9);
    for (const r of replied.filter((x) => ['complaint', 'report', 'help', 'suggest'].includes(x.type))) {
      expect(r.reply, r.title).toContain(r.dept!);
      expect(r.reply!.length, r.title).toBeGreaterThan(40);
    }
  });

  it('composes the same appeal from the same seed', () => {
    const one = composeAppeal(seededRandom(7), 'noise', '噪声扰民', { name: '王伟', mobile: '13800000000' }, new Set());
    const two = composeAppeal(seededRandom(7), 'noise', '噪声扰民', { name: '王伟', mobile: '13800000000' }, new Set());
    expect(two).toEqual(one);
  });
});

describe('demo lists', () => {
  it('publishes a 权责清单 for every department, hundreds of items across the ten power types, each with a law named', async () => {
    const items = await currentListItems('power');
    expect(items.length).toBeGreaterThanOrEqual(200);
    for (const d of DEMO_DEPARTMENTS) expect(items.filter((i) => i.department === d.code).length, d.code).toBeGreaterThanOrEqual(5);
    for (const t of POWER_TYPES) expect(items.filter((i) => i.power_type === t).length, t).toBeGreaterThanOrEqual(5);
    expect(items.filter((i) => !/《[^》]+》/.test(JSON.parse(i.data).basis))).toEqual([]);
    expect(items.filter((i) => DOUBLED.test(i.name))).toEqual([]);
    expect(new Set(items.map((i) => `${i.department}|${i.name}`)).size).toBe(items.length);
  });

  it('has dozens of service guides across departments, each linked to a power of its department', async () => {
    const guides = await currentListItems('service-guide');
    expect(guides.length).toBeGreaterThanOrEqual(40);
    expect(new Set(guides.map((g) => g.department)).size).toBeGreaterThanOrEqual(15);
    const powers = new Set((await currentListItems('power')).map((p) => JSON.parse(p.data).code as string));
    const linked = guides.map((g) => JSON.parse(g.data).powerCode as string | undefined).filter(Boolean);
    expect(linked.filter((c) => !powers.has(c!))).toEqual([]);
    expect(guides.filter((g) => DOUBLED.test(g.name))).toEqual([]);
  });

  it('has ≥ 25 tagged policies from ≥ 10 departments', async () => {
    const rows = await env.p.db.selectFrom('policy_tags').innerJoin('pub_items', 'pub_items.id', 'policy_tags.item_id').select(['pub_items.title', 'pub_items.department_id', 'policy_tags.subsidy_type']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(new Set(rows.map((r) => r.department_id)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(rows.map((r) => r.subsidy_type)).size).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => DOUBLED.test(r.title))).toEqual([]);
  });
});
