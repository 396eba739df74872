// Demo subscriptions: a few hundred confirmed subscribers of the demo district following
// departments, topics, types, genres, saved searches and single items, by e-mail and SMS, at every
// frequency — plus some awaiting confirmation and some ended. Deterministic from a seed.
import type { Platform } from '../../platform/platform.js';
import { seededRandom, pickWith, intWith } from '../../platform/random.js';
import { itemTypes } from '../../platform/publication/registry.js';
import { ensureList, type Target } from './service/targets.js';
import { FREQUENCIES } from './schema.js';

const SURNAMES = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'zhao', 'huang', 'zhou', 'wu', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao'];
const GIVEN = ['wei', 'fang', 'na', 'min', 'jing', 'lei', 'qiang', 'yan', 'jie', 'tao', 'hui', 'ping', 'gang', 'yun', 'xin', 'bo', 'chao', 'ying', 'hao', 'lan'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.cn'];
const SEARCHES = ['停车', '学校 招生', '医保', '老旧小区 改造', '公园', '垃圾分类', '就业 补贴', '食品安全', '供水 价格', '营商环境'];
const GENRES = ['通知', '公告', '意见', '办法', '规划'];
const TOPICS = ['01', '02', '03', '0301', '05', '07', '12', '14', '15', '19'];

export async function loadDemoSubscriptions(p: Platform): Promise<void> {
  const r = seededRandom(20261203);
  const depts = (await p.db.selectFrom('departments').select('id').orderBy('id').execute()).map((d) => Number(d.id));
  const types = itemTypes().map((t) => t.type).filter((t) => ['document', 'penalty', 'list-edition', 'decision-consultation', 'decision-hearing', 'appeal'].includes(t));
  const items = (await p.db.selectFrom('pub_items').select(['id', 'department_id']).where('public', '=', 1).orderBy('id', 'desc').limit(30).execute()).map((i) => ({ id: Number(i.id), dept: Number(i.department_id) }));
  const targets: { target: Target; dept: number | null }[] = [
    ...depts.map((d) => ({ target: { dept: String(d) }, dept: d })),
    ...TOPICS.map((t) => ({ target: { topic: t }, dept: null })),
    ...types.map((t) => ({ target: { type: t }, dept: null })),
    ...GENRES.map((g) => ({ target: { genre: g }, dept: null })),
    ...SEARCHES.map((q) => ({ target: { q }, dept: null })),
    ...depts.slice(0, 4).map((d) => ({ target: { dept: String(d), type: 'document' }, dept: d })),
    ...items.slice(0, 8).map((i) => ({ target: { item: String(i.id) }, dept: i.dept })),
  ];
  const start = Date.now() - 120 * 86_400_000;
  await p.tx(async (t) => {
    const lists: number[] = [];
    for (const x of targets) lists.push(await ensureList(t, x.target, x.dept));
    const used = new Set<string>();
    for (let n = 0; n < 320; n++) {
      const sms = r() < 0.25;
      let address: string;
      do {
        address = sms ? `1${pickWith(r, ['3', '5', '7', '8', '9'])}${String(intWith(r, 0, 999_999_999)).padStart(9, '0')}` : `${pickWith(r, SURNAMES)}.${pickWith(r, GIVEN)}${intWith(r, 1, 99)}@${pickWith(r, DOMAINS)}`;
      } while (used.has(address));
      used.add(address);
      const created = new Date(start + Math.floor(r() * 118 * 86_400_000)).toISOString();
      const pending = r() < 0.06;
      const row = await t
        .insertInto('sub_subscribers')
        .values({ channel: sms ? 'sms' : 'email', address, state: pending ? 'pending' : 'active', locale: r() < 0.05 ? 'en' : 'zh-CN', link_version: 1, bounces: 0, created_at: created, confirmed_at: pending ? null : created, updated_at: created })
        .returning('id')
        .executeTakeFirstOrThrow();
      const k = 1 + Math.floor(r() * r() * 4);
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(lists[Math.floor(r() * lists.length)]!);
      for (const listId of chosen) {
        const ended = !pending && r() < 0.07;
        await t
          .insertInto('sub_subscriptions')
          .values({
            subscriber_id: row.id,
            list_id: listId,
            frequency: sms ? (r() < 0.7 ? 'immediately' : 'daily') : pickWith(r, [...FREQUENCIES, 'immediately', 'daily']),
            state: pending ? 'pending' : ended ? 'ended' : 'active',
            code_hash: null,
            code_expires_at: null,
            code_tries: 0,
            ended_reason: ended ? 'unsubscribed' : null,
            created_at: created,
            confirmed_at: pending ? null : created,
            ended_at: ended ? new Date(Date.parse(created) + 86_400_000 * intWith(r, 1, 20)).toISOString() : null,
          })
          .execute();
      }
    }
  });
}
