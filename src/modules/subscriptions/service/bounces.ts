// Bounces and complaints (ADR 0010 § 6): the MTA hands us delivery status notifications (RFC 3464,
// multipart/report; report-type=delivery-status) and complaint reports (ARF, RFC 5965,
// report-type=feedback-report) about the e-mails we sent. The original message's Message-ID names
// the ledger row(s): `<d{ledgerId}.i{itemId}.v{version}@host>` a notice, `<digest{runId}.s{subscriberId}@host>`
// the rows of one digest. A hard bounce (5.x.x) marks them bounced and counts against the
// subscriber (3 in a row suspend the address); a delivery (2.x.x) marks them delivered and resets
// the count; a soft bounce (4.x.x) only records its status; a complaint ends every subscription.
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { markDeliveries } from '../../../platform/channels/ledger.js';

/** Hard bounces in a row that suspend an address. */
export const SUSPEND_AFTER = 3;

export type ReportAction = 'bounced' | 'delivered' | 'soft' | 'complaint' | 'unknown';

export interface ReportRecipient {
  finalRecipient: string;
  action: string;
  status: string;
}

export interface ParsedReport {
  kind: 'delivery-status' | 'feedback-report' | null;
  /** The original message's Message-IDs, as found (angle brackets kept). */
  messageIds: string[];
  recipients: ReportRecipient[];
  feedbackType: string;
}

const PARSE_OPTIONS = { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true } as const;

/** Header-style fields ("Name: value", folded lines joined) in blocks separated by blank lines. */
export function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let last = '';
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      if (cur.size) blocks.push(cur);
      cur = new Map();
      last = '';
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      cur.set(last, `${cur.get(last)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]{1,80}):\s*(.*)$/.exec(line);
    if (!m) continue;
    last = m[1]!.toLowerCase();
    if (!cur.has(last)) cur.set(last, m[2]!.trim());
  }
  if (cur.size) blocks.push(cur);
  return blocks;
}

const MSG_ID = /<[^<>\s]{1,250}>/;

async function headersOf(a: Attachment): Promise<string | null> {
  // text/rfc822-headers is headers only; message/rfc822 a whole message: both parse as a message.
  const m = await simpleParser(a.content, PARSE_OPTIONS).catch(() => null);
  return m?.messageId ?? null;
}

/** Reads a report with mailparser; anything else yields kind null. */
export async function parseReport(raw: Buffer): Promise<ParsedReport> {
  const out: ParsedReport = { kind: null, messageIds: [], recipients: [], feedbackType: '' };
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, PARSE_OPTIONS);
  } catch {
    return out;
  }
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType = ct?.value?.toLowerCase() === 'multipart/report' ? (ct.params?.['report-type'] ?? '').toLowerCase() : '';
  const ids = new Set<string>();
  const addId = (v: string | null | undefined) => {
    const m = v ? MSG_ID.exec(v) : null;
    if (m) ids.add(m[0]);
  };
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (type === 'message/delivery-status' && reportType === 'delivery-status') {
      out.kind = 'delivery-status';
      const [perMessage, ...perRecipient] = fieldBlocks(a.content.toString('utf8'));
      addId(perMessage?.get('original-message-id'));
      for (const b of perRecipient) {
        if (!b.has('action') && !b.has('status')) continue;
        out.recipients.push({ finalRecipient: (b.get('final-recipient') ?? '').replace(/^[^;]*;\s*/, ''), action: (b.get('action') ?? '').toLowerCase(), status: /^\d\.\d{1,3}\.\d{1,3}/.exec(b.get('status') ?? '')?.[0] ?? '' });
      }
    } else if (type === 'message/feedback-report' && reportType === 'feedback-report') {
      out.kind = 'feedback-report';
      const fields = fieldBlocks(a.content.toString('utf8'))[0];
      out.feedbackType = (fields?.get('feedback-type') ?? '').toLowerCase();
      addId(fields?.get('original-message-id'));
    } else if (type === 'text/rfc822-headers' || type === 'message/rfc822' || type === 'message/global' || type === 'message/global-headers') {
      addId(await headersOf(a));
    }
  }
  // An inline message/rfc822 part is read by mailparser into the text and its headers are not
  // kept: the original's Message-ID is then the first one in the body that is not the report's.
  if (out.kind && !ids.size) {
    const own = mail.messageId ?? '';
    const body = raw.toString('utf8', 0, Math.min(raw.length, 1024 * 1024));
    for (const m of body.matchAll(/^(?:original-)?message-id:[ \t]*(<[^<>\s]{1,250}>)/gim)) {
      if (m[1] !== own) {
        ids.add(m[1]!);
        break;
      }
    }
  }
  out.messageIds = [...ids];
  return out;
}

/** What a report says: a complaint, or the worst of its recipients' statuses. */
export function classify(r: ParsedReport): { action: ReportAction; status: string } {
  if (r.kind === 'feedback-report') return r.feedbackType === 'not-spam' ? { action: 'unknown', status: '' } : { action: 'complaint', status: '' };
  if (r.kind !== 'delivery-status') return { action: 'unknown', status: '' };
  const cls = (x: ReportRecipient) => (x.status ? x.status[0] : x.action === 'failed' ? '5' : x.action === 'delayed' ? '4' : x.action === 'delivered' || x.action === 'relayed' || x.action === 'expanded' ? '2' : '');
  const hard = r.recipients.find((x) => cls(x) === '5' && x.action !== 'delayed' && x.action !== 'delivered');
  if (hard) return { action: 'bounced', status: hard.status || '5.0.0' };
  const soft = r.recipients.find((x) => cls(x) === '4' || x.action === 'delayed');
  if (soft) return { action: 'soft', status: soft.status || '4.0.0' };
  const ok = r.recipients.find((x) => cls(x) === '2');
  if (ok) return { action: 'delivered', status: ok.status || '2.0.0' };
  return { action: 'unknown', status: '' };
}

interface Resolved {
  ids: number[];
  subscriberId: number;
}

/** The e-mail ledger rows a Message-ID of ours names, or null. */
export async function resolveMessageId(db: Db, messageId: string): Promise<Resolved | null> {
  const notice = /^<d(\d{1,12})\.i(\d{1,12})\.v(\d{1,9})@[^<>\s]+>$/i.exec(messageId);
  if (notice) {
    const row = await db
      .selectFrom('chn_deliveries')
      .select(['id', 'recipient_id'])
      .where('id', '=', Number(notice[1]))
      .where('item_id', '=', Number(notice[2]))
      .where('version', '=', Number(notice[3]))
      .where('channel', '=', 'email')
      .where('recipient_kind', '=', 'subscriber')
      .executeTakeFirst();
    return row ? { ids: [Number(row.id)], subscriberId: Number(row.recipient_id) } : null;
  }
  const digest = /^<digest(\d{1,12})\.s(\d{1,12})@[^<>\s]+>$/i.exec(messageId);
  if (digest) {
    const subscriberId = Number(digest[2]);
    const rows = await db
      .selectFrom('chn_deliveries')
      .select('id')
      .where('recipient_kind', '=', 'subscriber')
      .where('recipient_id', '=', subscriberId)
      .where('channel', '=', 'email')
      .where('event', 'in', ['digest:daily', 'digest:weekly'])
      .where('message_ref', '=', messageId)
      .execute();
    return rows.length ? { ids: rows.map((r) => Number(r.id)), subscriberId } : null;
  }
  return null;
}

export interface ReportResult {
  matched: number;
  action: ReportAction;
}

/** Handles one DSN or complaint report. A report naming no message of ours changes nothing. */
export async function handleReport(p: Platform, raw: Buffer): Promise<ReportResult> {
  const report = await parseReport(raw);
  const { action, status } = classify(report);
  if (action === 'unknown') return { matched: 0, action };
  let target: Resolved | null = null;
  for (const id of report.messageIds) if ((target = await resolveMessageId(p.db, id))) break;
  if (!target) {
    p.log.info({ report: report.kind, action }, 'mail report for no message of ours');
    return { matched: 0, action: 'unknown' };
  }
  const { ids, subscriberId } = target;
  await p.tx(async (t) => {
    const at = new Date().toISOString();
    if (action === 'bounced') {
      // Counted once per message: a second copy of the same DSN finds the rows bounced already.
      if ((await markDeliveries(t, ids, 'bounced', { reason: status })) > 0) {
        await t.updateTable('sub_subscribers').set((eb) => ({ bounces: eb('bounces', '+', 1), updated_at: at })).where('id', '=', subscriberId).execute();
        await t.updateTable('sub_subscribers').set({ state: 'suspended', updated_at: at }).where('id', '=', subscriberId).where('state', '=', 'active').where('bounces', '>=', SUSPEND_AFTER).execute();
      }
    } else if (action === 'delivered') {
      if ((await markDeliveries(t, ids, 'delivered', { reason: null })) > 0) await t.updateTable('sub_subscribers').set({ bounces: 0, updated_at: at }).where('id', '=', subscriberId).execute();
    } else if (action === 'soft') {
      // A temporary failure: the MTA keeps trying; the row stays sent with the status as its reason.
      await t.updateTable('chn_deliveries').set({ reason: status }).where('id', 'in', ids).where('state', 'in', ['sent', 'queued']).execute();
    } else {
      await t.updateTable('sub_subscribers').set({ state: 'complained', updated_at: at }).where('id', '=', subscriberId).where('state', '!=', 'complained').execute();
      await t.updateTable('sub_subscriptions').set({ state: 'ended', ended_reason: 'complaint', ended_at: at }).where('subscriber_id', '=', subscriberId).where('state', '!=', 'ended').execute();
    }
  });
  // Ledger ids only: no address leaves the database.
  p.log.info({ report: report.kind, action, status, ledgerIds: ids.slice(0, 20) }, 'mail report');
  return { matched: ids.length, action };
}
