// Daily and weekly digests (ADR 0010 § 4). A digest run covers one Asia/Shanghai day (daily, sent
// from 08:00 the next morning) or one ISO week Monday–Sunday in Shanghai (weekly, from Monday
// 08:00); the run row is unique per (frequency, period), so however many processes tick, one run
// sends. It reads the matches (sub_matches) of its period for the lists that have digest
// subscribers, keeps the items still public at their current version, and sends each subscriber
// one message with the items grouped under each of their subscriptions — recorded in the ledger as
// `digest` rows (an item the subscriber already received from another subscription is left out).
import type { Platform } from '../../../platform/platform.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { shanghaiDayEnd, shanghaiDayStart } from '../../../platform/dates.js';
import { markDeliveries, recordDeliveries } from '../../../platform/channels/ledger.js';
import { noticeMessage, sendMailBatch, type NoticeItem } from '../../../platform/channels/email.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { readMeta } from '../../../platform/publication/meta.js';
import { getGovernment } from '../../../platform/render/context.js';
import { signLink } from '../../../platform/channels/links.js';
import type { Frequency } from '../schema.js';
import { describeList } from './describe.js';
import { manageToken } from './subscribe.js';
import { shortLink, smsId, versionUrl } from './send.js';
import { smsNotice, smsSign } from '../../../platform/channels/sms-http.js';

export const DIGEST_JOB = 'subscriptions.digest';
/** Digests go out from this Beijing hour. */
export const DIGEST_HOUR = 8;

const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** ISO week label (2026-W49) of a Shanghai date, and the Monday it starts. */
export function isoWeek(date: string): { label: string; monday: string } {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  const monday = addDays(date, -dow);
  const thursday = new Date(Date.parse(`${monday}T00:00:00Z`) + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1 = Date.UTC(year, 0, 4) - ((jan4.getUTCDay() + 6) % 7) * DAY;
  const week = Math.floor((thursday.getTime() - week1) / (7 * DAY)) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday };
}

/** The period a run at `now` would send: yesterday (daily) or last week (weekly), with its bounds. */
export function duePeriod(frequency: Exclude<Frequency, 'immediately'>, now = new Date()): { period: string; startsAt: string; endsAt: string } | null {
  const today = todayShanghai(now);
  const hour = (now.getUTCHours() + 8) % 24;
  if (hour < DIGEST_HOUR) return null;
  if (frequency === 'daily') {
    const day = addDays(today, -1);
    return { period: day, startsAt: shanghaiDayStart(day), endsAt: shanghaiDayEnd(day) };
  }
  const { monday } = isoWeek(today);
  if (monday !== today) return null; // weekly digests go out on Mondays
  const lastMonday = addDays(monday, -7);
  return { period: isoWeek(lastMonday).label, startsAt: shanghaiDayStart(lastMonday), endsAt: shanghaiDayStart(monday) };
}

/** Background tick: enqueue the due runs (one job per period, by key). */
export async function enqueueDueDigests(p: Platform, now = new Date()): Promise<void> {
  await p.tx(async (t) => {
    for (const frequency of ['daily', 'weekly'] as const) {
      const d = duePeriod(frequency, now);
      if (d) await p.jobs.enqueue(t, DIGEST_JOB, { frequency, ...d }, { key: `digest:${frequency}:${d.period}` });
    }
  });
}

interface Entry {
  subscriberId: number;
  subscriptionId: number;
  listId: number;
  itemId: number;
}

/** Runs one digest period; a second call for the same period sends nothing. */
export async function runDigest(p: Platform, frequency: Exclude<Frequency, 'immediately'>, period: string, startsAt: string, endsAt: string): Promise<{ subscribers: number; items: number }> {
  const at = new Date().toISOString();
  const run = await p.db
    .insertInto('sub_digest_runs')
    .values({ frequency, period, starts_at: startsAt, ends_at: endsAt, state: 'running', subscribers: 0, created_at: at, finished_at: null })
    .onConflict((oc) => oc.columns(['frequency', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const existing = run ? null : await p.db.selectFrom('sub_digest_runs').select(['id', 'state']).where('frequency', '=', frequency).where('period', '=', period).executeTakeFirstOrThrow();
  if (existing?.state === 'done') return { subscribers: 0, items: 0 };
  const runId = Number(run?.id ?? existing!.id);
  const rows = await p.db
    .selectFrom('sub_matches as m')
    .innerJoin('sub_subscriptions as s', 's.list_id', 'm.list_id')
    .innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id')
    .innerJoin('pub_items as i', 'i.id', 'm.item_id')
    .select(['s.subscriber_id', 's.id as subscription_id', 's.list_id', 'm.item_id'])
    .distinct()
    .where('m.matched_at', '>=', startsAt)
    .where('m.matched_at', '<', endsAt)
    .where('s.state', '=', 'active')
    .where('s.frequency', '=', frequency)
    .where('r.state', '=', 'active')
    .where('i.public', '=', 1)
    .orderBy('s.subscriber_id')
    .orderBy('m.item_id')
    .execute();
  const bySubscriber = new Map<number, Entry[]>();
  for (const r of rows) {
    const e = { subscriberId: Number(r.subscriber_id), subscriptionId: Number(r.subscription_id), listId: Number(r.list_id), itemId: Number(r.item_id) };
    (bySubscriber.get(e.subscriberId) ?? bySubscriber.set(e.subscriberId, []).get(e.subscriberId)!).push(e);
  }
  const gov = getGovernment();
  let items = 0;
  for (const [subscriberId, entries] of bySubscriber) {
    items += await sendDigest(p, runId, frequency, subscriberId, entries, gov);
  }
  await p.db.updateTable('sub_digest_runs').set({ state: 'done', subscribers: bySubscriber.size, finished_at: new Date().toISOString() }).where('id', '=', runId).execute();
  return { subscribers: bySubscriber.size, items };
}

async function sendDigest(p: Platform, runId: number, frequency: 'daily' | 'weekly', subscriberId: number, entries: Entry[], gov: { name: string; shortName: string }): Promise<number> {
  const r = await p.db.selectFrom('sub_subscribers').selectAll().where('id', '=', subscriberId).executeTakeFirstOrThrow();
  const itemIds = [...new Set(entries.map((e) => e.itemId))];
  // Each item at its current published version: a changed item is carried as it is now.
  const info = await p.db
    .selectFrom('pub_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version'))
    .select(['i.id', 'i.type', 'i.index_no', 'i.published_version', 'd.name as department', 'v.meta', 'v.published_at'])
    .where('i.id', 'in', itemIds)
    .where('i.public', '=', 1)
    .execute();
  const byId = new Map(info.map((x) => [Number(x.id), x]));
  // Ledger first: rows that conflict (the subscriber already got that version) are left out.
  const ids = await p.tx((t) =>
    recordDeliveries(
      t,
      [...byId.values()].map((x) => ({ runId: null, itemId: Number(x.id), version: Number(x.published_version), event: `digest:${frequency}`, kind: 'digest' as const, channel: r.channel, recipientKind: 'subscriber' as const, recipientId: subscriberId })),
    ),
  );
  if (!ids.length) return 0;
  const fresh = await p.db.selectFrom('chn_deliveries').select(['id', 'item_id']).where('id', 'in', ids).execute();
  const keep = new Set(fresh.map((f) => Number(f.item_id)));
  const groups: { subscription: string; items: NoticeItem[] }[] = [];
  const seen = new Set<number>();
  for (const listId of [...new Set(entries.map((e) => e.listId))]) {
    const its: NoticeItem[] = [];
    for (const e of entries.filter((x) => x.listId === listId)) {
      const x = byId.get(e.itemId);
      if (!x || !keep.has(e.itemId) || seen.has(e.itemId)) continue;
      seen.add(e.itemId);
      const meta = readMeta(x.meta);
      its.push({ title: meta.title, indexNo: x.index_no ?? '', department: x.department, publishedAt: x.published_at ?? '', summary: meta.summary, url: versionUrl(p, x.type, Number(x.id), Number(x.published_version)) });
    }
    if (its.length) groups.push({ subscription: await describeList(p.db, listId, r.locale), items: its });
  }
  const manage = `${p.config.publicUrl}/subscriptions/manage/${manageToken(p, r)}`;
  if (r.channel === 'sms') {
    const first = groups[0]!.items[0]!;
    const n = seen.size;
    const prefix = r.locale === 'en' ? `${n} new: ` : `${frequency === 'daily' ? '昨日' : '上周'}新增${n}条：`;
    await p.tx(async (t) => {
      const head = Math.min(...ids);
      await sendMessage(p, t, { channel: 'sms', to: r.address, text: smsNotice({ sign: smsSign(p.config), prefix, title: first.title, link: shortLink(p, head) }), id: smsId(head) }, `digest:${runId}:${subscriberId}`);
      await markDeliveries(t, ids, 'sent', { ref: `digest:${runId}`, attempt: true });
    });
    return seen.size;
  }
  const unsub = `${p.config.publicUrl}/subscriptions/u/${signLink(p, 'sub-unsub-digest', { id: subscriberId, version: frequency === 'daily' ? 1 : 2 })}`;
  const host = new URL(p.config.publicUrl).hostname || 'localhost';
  const msg = noticeMessage(r.address, { kind: 'digest', frequency, groups, site: gov.name, locale: r.locale === 'en' ? 'en' : 'zh-CN', manageUrl: manage, unsubscribeUrl: unsub }, `<digest${runId}.s${subscriberId}@${host}>`);
  const [res] = await sendMailBatch(p, [msg]);
  await p.tx(async (t) => {
    if (res?.ok) await markDeliveries(t, ids, 'sent', { ref: msg.messageId ?? null, attempt: true });
    else await markDeliveries(t, ids, 'failed', { reason: res?.error.slice(0, 200) ?? 'not sent', attempt: true });
  });
  return seen.size;
}

