// Daily and weekly digests: a run covers one Asia/Shanghai day (an item matched at 23:59 and one at
// 00:01 Beijing time fall into different runs, whatever the process time zone), the ISO week in
// Beijing; one e-mail per subscriber with the items grouped under each subscription; a withdrawn
// item left out, a changed one carried at its current version; one run per period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { publish, step } from '../catalog/helpers.js';
import { shanghaiDayEnd, shanghaiDayStart } from '../../src/platform/dates.js';
import { duePeriod, isoWeek, runDigest } from '../../src/modules/subscriptions/service/digests.js';
import { mailsTo, subEnv, subscribeEmail, type SubEnv } from './helpers.js';

let s: SubEnv;
let env: TestEnv;
beforeAll(async () => {
  s = await subEnv();
  env = s.env;
});
afterAll(async () => s?.close());

const setMatched = (itemId: number, at: string) => env.p.db.updateTable('sub_matches').set({ matched_at: at }).where('item_id', '=', itemId).execute();
const day = (d: string) => runDigest(env.p, 'daily', d, shanghaiDayStart(d), shanghaiDayEnd(d));
const digestsTo = (addr: string) => mailsTo(s, addr).filter((m) => m.subject.includes('摘要'));

describe('periods', () => {
  it('daily from 08:00 Beijing for the Beijing day before; weekly on Mondays for the ISO week before', () => {
    expect(duePeriod('daily', new Date('2026-12-02T23:30:00Z'))).toBeNull(); // 07:30 on 12-03 in Beijing
    expect(duePeriod('daily', new Date('2026-12-03T00:30:00Z'))).toEqual({ period: '2026-12-02', startsAt: '2026-12-01T16:00:00.000Z', endsAt: '2026-12-02T16:00:00.000Z' });
    // 2026-12-07 is a Monday: the week of Monday 11-30 to Sunday 12-06.
    expect(duePeriod('weekly', new Date('2026-12-07T01:00:00Z'))).toEqual({ period: '2026-W49', startsAt: '2026-11-29T16:00:00.000Z', endsAt: '2026-12-06T16:00:00.000Z' });
    expect(duePeriod('weekly', new Date('2026-12-08T01:00:00Z'))).toBeNull();
    expect(isoWeek('2026-01-01').label).toBe('2026-W01');
    expect(isoWeek('2027-01-01').label).toBe('2026-W53');
  });
});

describe('a daily digest', () => {
  it('splits at midnight Beijing time, groups by subscription, leaves out withdrawn items, carries the current version, runs once', async () => {
    const addr = 'digest.daily@example.com';
    await subscribeEmail(s, addr, { dept: String(s.dzb) }, 'daily');
    await subscribeEmail(s, addr, { q: '供热' }, 'daily');
    const late = await publish(env, { title: '关于冬季供热管网检修的通告' }); // both subscriptions
    const early = await publish(env, { title: '关于开展消防安全检查的通知' });
    const gone = await publish(env, { title: '关于临时交通管制的通告' });
    const changed = await publish(env, { title: '关于调整公交线路的通知' });
    await env.drain();
    // Nothing immediate for a digest subscriber.
    expect(mailsTo(s, addr).filter((m) => !m.text.includes('/subscriptions/confirm/'))).toEqual([]);
    await setMatched(early, '2026-11-30T15:59:00.000Z'); // 23:59 on 11-30 in Beijing
    await setMatched(late, '2026-11-30T16:01:00.000Z'); // 00:01 on 12-01 in Beijing
    await setMatched(gone, '2026-11-30T20:00:00.000Z');
    await setMatched(changed, '2026-11-30T21:00:00.000Z');
    expect((await step(env, gone, 'dzb-approver', 'withdraw', '已失效')).statusCode).toBe(200);
    const r1 = await env.api('PATCH', `/api/v1/documents/${changed}`, { as: 'dzb-editor', body: { summary: '线路调整后的内容' } });
    expect(r1.statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, changed, who, action)).statusCode).toBe(200);
    await env.drain();
    await day('2026-11-30');
    let d = digestsTo(addr);
    expect(d).toHaveLength(1);
    expect(d[0]!.text).toContain('关于开展消防安全检查的通知');
    expect(d[0]!.text).not.toContain('供热管网');
    await day('2026-12-01');
    d = digestsTo(addr);
    expect(d).toHaveLength(2);
    const second = d[1]!;
    expect(second.text).toContain('关于冬季供热管网检修的通告');
    expect(second.text).toContain('关于调整公交线路的通知');
    expect(second.text).not.toContain('临时交通管制');
    // The item of both subscriptions is listed once; the changed one links to version 2.
    expect(second.text.split('关于冬季供热管网检修的通告').length - 1).toBe(1);
    expect(second.text).toContain(`/catalog/items/${changed}?v=2`);
    expect(second.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // The same period again sends nothing.
    await day('2026-12-01');
    expect(digestsTo(addr)).toHaveLength(2);
    const rows = await env.p.db
      .selectFrom('chn_deliveries as x')
      .innerJoin('sub_subscribers as r', 'r.id', 'x.recipient_id')
      .select(['x.item_id', 'x.version', 'x.kind', 'x.state'])
      .where('x.kind', '=', 'digest')
      .where('r.address', '=', addr)
      .orderBy('x.item_id')
      .execute();
    expect(rows.map((r) => [Number(r.item_id), Number(r.version), r.state])).toEqual(
      [
        [early, 1, 'sent'],
        [late, 1, 'sent'],
        [changed, 2, 'sent'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    // The digest's one-click link ends the daily subscriptions.
    const url = /<https:\/\/gk\.example\.gov\.cn([^>]+)>/.exec(second.headers.get('list-unsubscribe')!)![1]!;
    expect((await env.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(200);
    const left = await env.p.db.selectFrom('sub_subscriptions as x').innerJoin('sub_subscribers as r', 'r.id', 'x.subscriber_id').select('x.state').where('r.address', '=', addr).execute();
    expect(left.map((x) => x.state)).toEqual(['ended', 'ended']);
  });
});
