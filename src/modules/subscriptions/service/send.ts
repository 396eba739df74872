// The send job (`subscriptions.send {ids}`): renders and sends a batch of queued ledger rows —
// e-mails through one pooled SMTP batch, texts through the SMS adapter's outbox — and moves each
// row to sent (with its Message-ID) or failed. A row not queued any more (sent by an earlier run
// of the job, superseded) is skipped, so the job may run twice.
import type { Platform } from '../../../platform/platform.js';
import { markDeliveries } from '../../../platform/channels/ledger.js';
import { noticeMessage, noticeMessageId, sendMailBatch, type NoticeItem, type NoticeMailInput } from '../../../platform/channels/email.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { smsNotice, smsSign, spendSmsDay } from '../../../platform/channels/sms-http.js';
import { readMeta } from '../../../platform/publication/meta.js';
import { findItemType } from '../../../platform/publication/registry.js';
import { getGovernment } from '../../../platform/render/context.js';
import { describeList } from './describe.js';
import { manageToken, unsubscribeToken } from './subscribe.js';

export function versionUrl(p: Platform, type: string, itemId: number, version: number): string {
  const it = findItemType(type);
  return `${p.config.publicUrl}${it ? it.url(itemId) : `/catalog/items/${itemId}`}?v=${version}`;
}

/** The SMS short link of a ledger row: /s/{id in base 36} → the version it carried. */
export const shortLink = (p: Platform, ledgerId: number) => `${p.config.publicUrl}/s/${ledgerId.toString(36)}`;
/** Our message id of a ledger row's text (the provider's receipts name it). */
export const smsId = (ledgerId: number) => `gk-d${ledgerId}`;
export const ledgerIdOfSms = (id: string): number | null => (/^gk-d(\d{1,12})$/.test(id) ? Number(id.slice(4)) : null);

export async function sendBatch(p: Platform, ids: number[]): Promise<{ sent: number; failed: number }> {
  if (!ids.length) return { sent: 0, failed: 0 };
  const rows = await p.db
    .selectFrom('chn_deliveries as d')
    .innerJoin('sub_subscribers as r', 'r.id', 'd.recipient_id')
    .innerJoin('pub_items as i', 'i.id', 'd.item_id')
    .innerJoin('departments as dep', 'dep.id', 'i.department_id')
    .innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'd.item_id').onRef('v.version', '=', 'd.version'))
    .select(['d.id', 'd.item_id', 'd.version', 'd.kind', 'd.channel', 'r.id as subscriber_id', 'r.address', 'r.state as subscriber_state', 'r.locale', 'r.link_version', 'i.type', 'i.index_no', 'i.withdraw_reason', 'dep.name as department', 'v.meta', 'v.change_note', 'v.published_at'])
    .where('d.id', 'in', ids)
    .where('d.state', '=', 'queued')
    .where('d.recipient_kind', '=', 'subscriber')
    .execute();
  if (!rows.length) return { sent: 0, failed: 0 };
  // Which subscription each message answers (the footer's "why" and its unsubscribe link): one of
  // the subscriber's subscriptions whose list matched the item, else any of theirs.
  const subscribers = [...new Set(rows.map((r) => Number(r.subscriber_id)))];
  const items = [...new Set(rows.map((r) => Number(r.item_id)))];
  const subs = await p.db.selectFrom('sub_subscriptions').select(['id', 'subscriber_id', 'list_id', 'state']).where('subscriber_id', 'in', subscribers).orderBy('id').execute();
  const matched = await p.db.selectFrom('sub_matches').select(['list_id', 'item_id']).where('item_id', 'in', items).execute();
  const itemLists = new Map<number, Set<number>>();
  for (const m of matched) (itemLists.get(Number(m.item_id)) ?? itemLists.set(Number(m.item_id), new Set()).get(Number(m.item_id))!).add(Number(m.list_id));
  const titles = new Map<string, string>();
  const titleOf = async (listId: number, locale: string) => {
    const k = `${listId}:${locale}`;
    if (!titles.has(k)) titles.set(k, await describeList(p.db, listId, locale));
    return titles.get(k)!;
  };
  const gov = getGovernment();
  const host = new URL(p.config.publicUrl).hostname || 'localhost';
  const mails: { id: number; msg: ReturnType<typeof noticeMessage> }[] = [];
  const texts: { id: number; to: string; text: string; capped: boolean }[] = [];
  const suppressed: number[] = [];
  for (const r of rows) {
    if (r.subscriber_state !== 'active' && r.kind === 'notice') {
      suppressed.push(Number(r.id));
      continue;
    }
    const own = subs.filter((s) => Number(s.subscriber_id) === Number(r.subscriber_id));
    const lists = itemLists.get(Number(r.item_id));
    const sub = own.find((s) => s.state === 'active' && lists?.has(Number(s.list_id))) ?? own.find((s) => s.state === 'active') ?? own[own.length - 1];
    const meta = readMeta(r.meta);
    const url = versionUrl(p, r.type, Number(r.item_id), Number(r.version));
    if (r.channel === 'sms') {
      const prefix = r.kind === 'correction' ? (r.locale === 'en' ? 'Corrected: ' : '更正：') : r.kind === 'withdrawal' ? (r.locale === 'en' ? 'Withdrawn: ' : '撤回：') : '';
      // The daily cap applies to notices; a correction or withdrawal is owed whatever the count.
      texts.push({ id: Number(r.id), to: r.address, text: smsNotice({ sign: smsSign(p.config), prefix, title: meta.title, link: shortLink(p, Number(r.id)) }), capped: r.kind === 'notice' });
      continue;
    }
    const item: NoticeItem = { title: meta.title, indexNo: r.index_no ?? '', department: r.department, publishedAt: r.published_at ?? new Date().toISOString(), summary: meta.summary, url };
    const common = {
      site: gov.name,
      locale: (r.locale === 'en' ? 'en' : 'zh-CN') as 'en' | 'zh-CN',
      manageUrl: `${p.config.publicUrl}/subscriptions/manage/${manageToken(p, { id: Number(r.subscriber_id), link_version: r.link_version })}`,
      unsubscribeUrl: `${p.config.publicUrl}/subscriptions/u/${unsubscribeToken(p, sub ? Number(sub.id) : 0)}`,
    };
    const subscription = sub ? await titleOf(Number(sub.list_id), r.locale) : '';
    const input: NoticeMailInput =
      r.kind === 'correction'
        ? { ...common, kind: 'correction', item, changeNote: r.change_note || '', subscription }
        : r.kind === 'withdrawal'
          ? { ...common, kind: 'withdrawal', item, reason: r.withdraw_reason || '', subscription }
          : { ...common, kind: 'notice', item, subscription };
    mails.push({ id: Number(r.id), msg: noticeMessage(r.address, input, noticeMessageId(Number(r.id), Number(r.item_id), Number(r.version), host)) });
  }
  let sent = 0;
  let failed = 0;
  let mailSent = 0;
  if (suppressed.length) await p.tx((t) => markDeliveries(t, suppressed, 'suppressed', { reason: 'subscriber' }));
  if (mails.length) {
    const results = await sendMailBatch(p, mails.map((m) => m.msg));
    await p.tx(async (t) => {
      for (let i = 0; i < mails.length; i++) {
        const res = results[i]!;
        if (res.ok) {
          mailSent++;
          await markDeliveries(t, [mails[i]!.id], 'sent', { ref: mails[i]!.msg.messageId ?? res.messageId, attempt: true });
        } else {
          failed++;
          // A permanent refusal fails the row; a temporary one leaves it queued for a resend.
          if (res.permanent) await markDeliveries(t, [mails[i]!.id], 'failed', { reason: res.error.slice(0, 200), attempt: true });
        }
      }
    });
  }
  if (texts.length)
    await p.tx(async (t) => {
      for (const x of texts) {
        if (x.capped && !(await spendSmsDay(p, t, x.to))) {
          await markDeliveries(t, [x.id], 'suppressed', { reason: 'cap' });
          continue;
        }
        // Handed to the SMS outbox in the same transaction as the ledger row (sent = accepted for
        // sending); the provider's receipt, naming our id, marks it delivered or failed.
        await sendMessage(p, t, { channel: 'sms', to: x.to, text: x.text, id: smsId(x.id) }, `ledger:${x.id}`);
        await markDeliveries(t, [x.id], 'sent', { ref: `sms:${x.id}`, attempt: true });
        sent++;
      }
    });
  sent += mailSent;
  // Temporary refusals stay queued: the job fails and the outbox retries them with its backoff.
  const retry = mails.length - mailSent - failed;
  if (retry > 0) throw new Error(`${retry} e-mails not accepted; retried`);
  return { sent, failed };
}
