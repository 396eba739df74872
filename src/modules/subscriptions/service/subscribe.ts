// Subscribing with double opt-in, the preference centre and one-click unsubscribe (ADR 0010 § 6).
// A new subscription stays pending until the owner of the address confirms it: by the signed link
// of an e-mail (48 h) or a 6-digit SMS code (10 minutes, 5 tries). Nothing is sent to a pending
// address but the confirmation. Every later message carries two signed links: the preference
// centre (the subscriber's subscriptions, frequency, end one or all) and unsubscribe (this
// subscription; a bare POST suffices, RFC 8058).
import { randomInt } from 'node:crypto';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { conflict, notFound, tooMany, validationError } from '../../../platform/errors.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { readLink, signLink } from '../../../platform/channels/links.js';
import { spendBudget } from '../../../platform/http/limit.js';
import { codeHash, codeMatches } from '../../../platform/tracking.js';
import { t as tr } from '../../../platform/i18n/index.js';
import { FREQUENCIES, SUB_CHANNELS, type Frequency, type SubChannel } from '../schema.js';
import { checkTarget, ensureList } from './targets.js';
import { describeList } from './describe.js';

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
export const CONFIRM_TTL_S = 48 * 3600;
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 5;
/** Confirmations one address may be sent per hour (someone else may type it in). */
export const CONFIRMS_PER_HOUR = 5;
export const MAX_SUBSCRIPTIONS = 50;

const nowIso = () => new Date().toISOString();

export function normalizeAddress(channel: SubChannel, raw: string): string {
  const s = raw.trim();
  return channel === 'email' ? s.toLowerCase() : s.replace(/[\s()（）-]/g, '').replace(/^\+?86/, '');
}

export interface SubscribeInput {
  channel?: unknown;
  address?: unknown;
  frequency?: unknown;
  locale?: string;
  [target: string]: unknown;
}

export interface SubscribeResult {
  subscriptionId: number;
  channel: SubChannel;
  /** For SMS: the signed page where the code is entered. */
  verifyToken?: string;
}

/** Subscribes an address to a target (pending until confirmed). 400 naming the field. */
export async function subscribe(p: Platform, input: SubscribeInput): Promise<SubscribeResult> {
  const fields: Record<string, string> = {};
  const channel = input.channel as SubChannel;
  if (!SUB_CHANNELS.includes(channel)) fields.channel = 'subscriptions.err.channel';
  const frequency = (input.frequency || 'immediately') as Frequency;
  if (!FREQUENCIES.includes(frequency)) fields.frequency = 'subscriptions.err.frequency';
  const address = typeof input.address === 'string' && SUB_CHANNELS.includes(channel) ? normalizeAddress(channel, input.address) : '';
  if (!fields.channel && (channel === 'email' ? address.length > 200 || !EMAIL.test(address) : !MOBILE.test(address))) fields.address = channel === 'email' ? 'subscriptions.err.email' : 'subscriptions.err.mobile';
  let target;
  try {
    target = await checkTarget(p.db, input);
  } catch (err: any) {
    Object.assign(fields, err.fields ?? {});
  }
  if (target && !Object.keys(target.target).length) fields.target = 'subscriptions.err.target';
  if (Object.keys(fields).length || !target) throw validationError(fields);
  if ((await spendBudget(p.db, 'sub-confirm', `${channel}:${address}`, CONFIRMS_PER_HOUR, 3_600_000)) > 0) throw tooMany('subscriptions.err.too_many');
  const locale = input.locale === 'en' ? 'en' : 'zh-CN';
  return p.tx(async (t) => {
    const at = nowIso();
    let sub = await t.selectFrom('sub_subscribers').selectAll().where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
    if (!sub) {
      const row = await t.insertInto('sub_subscribers').values({ channel, address, state: 'pending', locale, link_version: 1, bounces: 0, created_at: at, confirmed_at: null, updated_at: at }).returning('id').executeTakeFirstOrThrow();
      sub = (await t.selectFrom('sub_subscribers').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow())!;
    }
    const listId = await ensureList(t, target.target, target.departmentId);
    const existing = await t.selectFrom('sub_subscriptions').selectAll().where('subscriber_id', '=', sub.id).where('list_id', '=', listId).executeTakeFirst();
    // Subscribing again to what the address already follows answers the same as a new
    // subscription (nobody learns what an address follows): an e-mail says so with the preference
    // centre's link; a text gets a code whose confirmation changes nothing.
    const already = existing?.state === 'active' && sub.state === 'active';
    const count = await t.selectFrom('sub_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('subscriber_id', '=', sub.id).where('state', '!=', 'ended').executeTakeFirstOrThrow();
    if (!existing && !already && Number(count.n) >= MAX_SUBSCRIPTIONS) throw conflict('subscriptions.err.max', undefined, { n: MAX_SUBSCRIPTIONS });
    const code = channel === 'sms' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;
    let id: number;
    const pending = { frequency, state: 'pending' as const, code_hash: null as string | null, code_expires_at: null as string | null, code_tries: 0, ended_reason: null, ended_at: null };
    if (existing) {
      id = Number(existing.id);
      if (!already) await t.updateTable('sub_subscriptions').set(pending).where('id', '=', id).execute();
    } else {
      id = Number((await t.insertInto('sub_subscriptions').values({ subscriber_id: sub.id, list_id: listId, ...pending, created_at: at, confirmed_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    const what = await describeList(t, listId, locale);
    if (code) {
      await t.updateTable('sub_subscriptions').set({ code_hash: codeHash(`sub:${id}`, code), code_expires_at: new Date(Date.now() + CODE_TTL_MS).toISOString() }).where('id', '=', id).execute();
      const text = locale === 'en' ? `Your code to confirm the subscription "${what.slice(0, 30)}" is ${code} (10 minutes).` : `【政务公开】您订阅“${what.slice(0, 20)}”的确认码是 ${code}，10分钟内有效。如非本人操作请忽略。`;
      await sendMessage(p, t, { channel: 'sms', to: address, text }, `sub-code:${id}:${Date.now()}`);
      return { subscriptionId: id, channel, verifyToken: signLink(p, 'sub-verify', { id, ttlSeconds: 3600 }) };
    }
    if (already) {
      const manage = `${p.config.publicUrl}/subscriptions/manage/${manageToken(p, sub)}`;
      const text = locale === 'en' ? `This address already receives updates on "${what}". Manage your subscriptions:\n${manage}` : `您的邮箱已订阅：${what}，无需重复订阅。\n\n管理订阅：\n${manage}`;
      await sendMessage(p, t, { channel: 'email', to: address, subject: locale === 'en' ? 'You are already subscribed' : '您已订阅此内容', text }, `sub-already:${id}:${Date.now()}`);
      return { subscriptionId: id, channel };
    }
    const link = `${p.config.publicUrl}/subscriptions/confirm/${signLink(p, 'sub-confirm', { id, ttlSeconds: CONFIRM_TTL_S })}`;
    const text =
      locale === 'en'
        ? `Someone (hopefully you) asked to receive updates on "${what}" at this address.\n\nConfirm the subscription (the link is valid for 48 hours):\n${link}\n\nIf it was not you, ignore this message: nothing will be sent.`
        : `您（或他人使用您的邮箱）申请订阅：${what}。\n\n请在48小时内打开以下链接确认订阅：\n${link}\n\n如非本人操作，请忽略本邮件，我们不会再向您发送任何消息。`;
    await sendMessage(p, t, { channel: 'email', to: address, subject: locale === 'en' ? 'Confirm your subscription' : '请确认您的订阅', text }, `sub-confirm:${id}:${Date.now()}`);
    return { subscriptionId: id, channel };
  });
}

async function activate(t: Db, subscriptionId: number): Promise<number> {
  const s = await t.selectFrom('sub_subscriptions').select(['id', 'subscriber_id', 'state']).where('id', '=', subscriptionId).executeTakeFirst();
  if (!s) throw notFound();
  const at = nowIso();
  if (s.state !== 'active') await t.updateTable('sub_subscriptions').set({ state: 'active', confirmed_at: at, code_hash: null, code_expires_at: null, ended_reason: null, ended_at: null }).where('id', '=', s.id).execute();
  // Confirming from the address reactivates it (a suspended address is reachable again).
  await t
    .updateTable('sub_subscribers')
    .set({ state: 'active', bounces: 0, confirmed_at: at, updated_at: at })
    .where('id', '=', s.subscriber_id)
    .where('state', 'in', ['pending', 'suspended', 'ended', 'active'])
    .execute();
  return Number(s.subscriber_id);
}

/** Confirms by the e-mail link. Returns the subscriber (for the preference-centre link). */
export async function confirmByLink(p: Platform, token: unknown): Promise<{ subscriberId: number; subscriptionId: number }> {
  const c = readLink(p, 'sub-confirm', token);
  if (!c) throw notFound('subscriptions.err.link');
  return p.tx(async (t) => {
    const s = await t.selectFrom('sub_subscriptions').select(['state']).where('id', '=', c.id).executeTakeFirst();
    if (!s) throw notFound('subscriptions.err.link');
    if (s.state === 'ended') throw conflict('subscriptions.err.ended');
    return { subscriberId: await activate(t, c.id), subscriptionId: c.id };
  });
}

/** Confirms by the SMS code entered on the signed verify page. */
export async function confirmByCode(p: Platform, token: unknown, code: unknown): Promise<{ subscriberId: number; subscriptionId: number }> {
  const c = readLink(p, 'sub-verify', token);
  if (!c) throw notFound('subscriptions.err.link');
  const digits = typeof code === 'string' ? code.replace(/\s/g, '') : '';
  if (!/^\d{6}$/.test(digits)) throw validationError({ code: 'subscriptions.err.code_format' });
  const r = await p.tx(async (t) => {
    const s = await t.selectFrom('sub_subscriptions').selectAll().where('id', '=', c.id).executeTakeFirst();
    if (!s || s.state === 'ended') throw notFound('subscriptions.err.link');
    if (s.code_tries >= CODE_TRIES) return { ok: false as const, why: 'subscriptions.err.code_locked' };
    if (!s.code_hash || !s.code_expires_at || Date.parse(s.code_expires_at) < Date.now()) return { ok: false as const, why: 'subscriptions.err.code_expired' };
    if (!codeMatches(s.code_hash, `sub:${s.id}`, digits)) {
      await t.updateTable('sub_subscriptions').set({ code_tries: s.code_tries + 1 }).where('id', '=', s.id).execute();
      return { ok: false as const, why: s.code_tries + 1 >= CODE_TRIES ? 'subscriptions.err.code_locked' : 'subscriptions.err.code_wrong' };
    }
    await t.updateTable('sub_subscriptions').set({ code_hash: null, code_expires_at: null, code_tries: 0 }).where('id', '=', s.id).execute();
    return { ok: true as const, subscriberId: s.state === 'active' ? Number(s.subscriber_id) : await activate(t, Number(s.id)) };
  });
  if (!r.ok) throw validationError({ code: r.why });
  return { subscriberId: r.subscriberId, subscriptionId: c.id };
}

export const manageToken = (p: Platform, subscriber: { id: number; link_version: number }) => signLink(p, 'sub-manage', { id: Number(subscriber.id), version: subscriber.link_version });
export const unsubscribeToken = (p: Platform, subscriptionId: number) => signLink(p, 'sub-unsub', { id: subscriptionId });

/** The subscriber a preference-centre token names (a bumped link version voids older links). */
export async function subscriberByToken(p: Platform, token: unknown) {
  const c = readLink(p, 'sub-manage', token);
  if (!c) throw notFound('subscriptions.err.link');
  const s = await p.db.selectFrom('sub_subscribers').selectAll().where('id', '=', c.id).executeTakeFirst();
  if (!s || s.link_version !== c.version) throw notFound('subscriptions.err.link');
  return s;
}

export interface OwnSubscription {
  id: number;
  title: string;
  frequency: Frequency;
  state: string;
  createdAt: string;
}

export async function subscriptionsOf(p: Platform, subscriberId: number, locale: string): Promise<OwnSubscription[]> {
  const rows = await p.db.selectFrom('sub_subscriptions').selectAll().where('subscriber_id', '=', subscriberId).where('state', '!=', 'ended').orderBy('id').execute();
  const out: OwnSubscription[] = [];
  for (const r of rows) out.push({ id: Number(r.id), title: await describeList(p.db, Number(r.list_id), locale), frequency: r.frequency, state: r.state, createdAt: r.created_at });
  return out;
}

/** Preference centre actions; the subscription must be the subscriber's own (else 404). */
export async function changeSubscription(p: Platform, subscriberId: number, subscriptionId: unknown, change: { frequency?: unknown; end?: boolean }): Promise<void> {
  const id = typeof subscriptionId === 'string' && /^\d{1,9}$/.test(subscriptionId) ? Number(subscriptionId) : typeof subscriptionId === 'number' ? subscriptionId : 0;
  if (!change.end && !FREQUENCIES.includes(change.frequency as Frequency)) throw validationError({ frequency: 'subscriptions.err.frequency' });
  await p.tx(async (t) => {
    const s = await t.selectFrom('sub_subscriptions').select(['id', 'state']).where('id', '=', id).where('subscriber_id', '=', subscriberId).executeTakeFirst();
    if (!s || s.state === 'ended') throw notFound();
    if (change.end) await t.updateTable('sub_subscriptions').set({ state: 'ended', ended_reason: 'unsubscribed', ended_at: nowIso() }).where('id', '=', s.id).execute();
    else await t.updateTable('sub_subscriptions').set({ frequency: change.frequency as Frequency }).where('id', '=', s.id).execute();
  });
}

/** Ends every subscription of the subscriber and voids the links sent so far. */
export async function endAll(p: Platform, subscriberId: number): Promise<number> {
  return p.tx(async (t) => {
    const at = nowIso();
    const r = await t.updateTable('sub_subscriptions').set({ state: 'ended', ended_reason: 'unsubscribed', ended_at: at }).where('subscriber_id', '=', subscriberId).where('state', '!=', 'ended').executeTakeFirst();
    await t.updateTable('sub_subscribers').set((eb) => ({ state: 'ended', link_version: eb('link_version', '+', 1), updated_at: at })).where('id', '=', subscriberId).execute();
    return Number(r.numUpdatedRows ?? 0);
  });
}

/** One-click unsubscribe (RFC 8058): ends the subscription the token names; repeatable. */
export async function unsubscribe(p: Platform, token: unknown): Promise<{ title: string; subscriberId: number }> {
  const c = readLink(p, 'sub-unsub', token);
  if (!c) {
    // A digest's link ends the subscriber's subscriptions of that frequency (version 1 daily, 2 weekly).
    const d = readLink(p, 'sub-unsub-digest', token);
    if (!d || (d.version !== 1 && d.version !== 2)) throw notFound('subscriptions.err.link');
    const frequency = d.version === 1 ? 'daily' : 'weekly';
    const s = await p.db.selectFrom('sub_subscribers').select(['id', 'locale']).where('id', '=', d.id).executeTakeFirst();
    if (!s) throw notFound('subscriptions.err.link');
    await p.db.updateTable('sub_subscriptions').set({ state: 'ended', ended_reason: 'unsubscribed', ended_at: nowIso() }).where('subscriber_id', '=', d.id).where('frequency', '=', frequency).where('state', '!=', 'ended').execute();
    return { title: tr(s.locale === 'en' ? 'en' : 'zh-CN', `subscriptions.frequency.${frequency}`), subscriberId: d.id };
  }
  return p.tx(async (t) => {
    const s = await t.selectFrom('sub_subscriptions as s').innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id').select(['s.id', 's.state', 's.list_id', 's.subscriber_id', 'r.locale']).where('s.id', '=', c.id).executeTakeFirst();
    if (!s) throw notFound('subscriptions.err.link');
    if (s.state !== 'ended') await t.updateTable('sub_subscriptions').set({ state: 'ended', ended_reason: 'unsubscribed', ended_at: nowIso() }).where('id', '=', s.id).execute();
    return { title: await describeList(t, Number(s.list_id), s.locale), subscriberId: Number(s.subscriber_id) };
  });
}
