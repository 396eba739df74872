// SMS through an HTTP provider (ADR 0010 § 7, issue 20; the format is in docs/sms-provider.md).
// Each text is one signed JSON POST to GONGKAI_SMS_URL; a 2xx answer with the provider's id means
// accepted, anything else throws so that the 'channel.send' job retries with the outbox's backoff.
// The provider reports the outcome later with signed receipts (POST /api/v1/channels/sms/receipts,
// messaging/routes.tsx), handed to the listeners of onSmsReceipt. Also here: the segment count of
// a text, the one-segment notice text, and the per-number daily cap.
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { getGovernment } from '../render/context.js';
import type { ChannelAdapter, ChannelMessage } from './index.js';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature.js';

// ---------------------------------------------------------------------------------------------
// Segments

/** The GSM 03.38 default alphabet (one septet each; ESC left out) and its extension table (two). */
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

/** Packs units into parts of `per` without splitting one character's units; the number of parts. */
function pack(units: number[], per: number): number {
  let parts = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > per) {
      parts++;
      used = 0;
    }
    used += u;
  }
  return parts;
}

/** 'gsm7' when every character is in the GSM 7-bit alphabet, else 'ucs2'. */
export function smsEncoding(text: string): 'gsm7' | 'ucs2' {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)) return 'ucs2';
  return 'gsm7';
}

/**
 * How many SMS segments a text takes: GSM-7 texts 160 septets in one segment, 153 per part when
 * concatenated (extension characters such as € count 2); anything else is UCS-2, counted in
 * UTF-16 code units (an emoji is 2), 70 in one segment, 67 per part. A character is never split
 * between parts. The empty text is 0.
 */
export function smsSegments(text: string): number {
  if (!text) return 0;
  const units: number[] = [];
  if (smsEncoding(text) === 'gsm7') {
    for (const ch of text) units.push(GSM_EXTENDED.has(ch) ? 2 : 1);
    const total = units.reduce((a, b) => a + b, 0);
    return total <= 160 ? 1 : pack(units, 153);
  }
  for (const ch of text) units.push(ch.length); // 2 for a character outside the BMP (surrogate pair)
  return text.length <= 70 ? 1 : pack(units, 67);
}

/** The most UTF-16 code units of one UCS-2 segment: what a notice text may take. */
export const SMS_NOTICE_MAX = 70;

const graphemes = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });

/**
 * A one-segment notice: `【sign】` + prefix (e.g. 更正：) + the title, cut with … to fit, + ' ' +
 * link — at most 70 UTF-16 code units. The title is cut between graphemes (an emoji or a
 * character with its accents stays whole); line breaks and runs of spaces become one space.
 * Throws a RangeError when the signature, prefix and link leave no room for a title.
 */
export function smsNotice(opts: { sign: string; title: string; link: string; prefix?: string }): string {
  const head = `【${opts.sign}】${opts.prefix ?? ''}`;
  const tail = ` ${opts.link}`;
  const room = SMS_NOTICE_MAX - head.length - tail.length;
  const title = opts.title.replace(/\s+/g, ' ').trim();
  if (title.length <= room) return head + title + tail;
  if (room < 2) throw new RangeError(`an SMS notice needs ${head.length + tail.length + 2} characters for the signature, prefix and link alone`);
  let cut = '';
  for (const { segment } of graphemes.segment(title)) {
    if (cut.length + segment.length + 1 > room) break;
    cut += segment;
  }
  return `${head}${cut.trimEnd()}…${tail}`;
}

// ---------------------------------------------------------------------------------------------
// The provider

/** A mainland mobile number as +86…; other numbers lose spaces and dashes only. */
export function e164(to: string): string {
  const n = to.replace(/[\s-]/g, '');
  if (/^1\d{10}$/.test(n)) return `+86${n}`;
  if (/^(?:0086|86)1\d{10}$/.test(n)) return `+86${n.slice(-11)}`;
  return n;
}

/** The signature (签名) of texts: GONGKAI_SMS_SIGN, else the government's short name, else 政务公开. */
export function smsSign(config: Config): string {
  if (config.sms.sign) return config.sms.sign;
  const short = getGovernment().shortName.trim();
  return short && short !== 'gongkai' ? short : '政务公开';
}

/** The JSON body POSTed for each text. */
export interface SmsRequest {
  /** Our id of the message: the same on every retry. */
  id: string;
  to: string;
  text: string;
  sign: string;
  segments: number;
  sentAt: string;
}

export const SMS_TIMEOUT_MS = 10_000;

/** An adapter that POSTs each text, signed, to the provider; returns the provider's id as `ref`. */
export function httpSmsAdapter(opts: { url: string; secret: string; sign: string | (() => string); timeoutMs?: number }): ChannelAdapter {
  if (!opts.secret) throw new Error('an SMS provider secret is required');
  const timeoutMs = opts.timeoutMs ?? SMS_TIMEOUT_MS;
  return {
    async deliver(_p, msg: ChannelMessage) {
      if (!msg.id) throw new Error('an SMS needs its message id');
      const req: SmsRequest = { id: msg.id, to: e164(msg.to), text: msg.text, sign: typeof opts.sign === 'function' ? opts.sign() : opts.sign, segments: smsSegments(msg.text), sentAt: new Date().toISOString() };
      const body = JSON.stringify(req);
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhookSignature(opts.secret, body) },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Error(`SMS provider: no answer within ${timeoutMs} ms`);
        throw new Error(`SMS provider unreachable: ${(e.cause as Error | undefined)?.message ?? e.message}`);
      }
      const text = await res.text().catch(() => '');
      if (res.status < 200 || res.status > 299) throw new Error(`SMS provider answered ${res.status}: ${text.slice(0, 200)}`);
      let ref: unknown;
      try {
        ref = (JSON.parse(text) as { id?: unknown })?.id;
      } catch {
        ref = undefined;
      }
      if (typeof ref === 'number') ref = String(ref);
      if (typeof ref !== 'string' || !ref || ref.length > 200) throw new Error(`SMS provider answered ${res.status} without an id: ${text.slice(0, 200)}`);
      return { ref };
    },
  };
}

/** The adapter GONGKAI_SMS_* configure, or null (the development sink stays). */
export function smsAdapterFromConfig(config: Config): ChannelAdapter | null {
  if (!config.sms.url) return null;
  return httpSmsAdapter({ url: config.sms.url, secret: config.sms.secret, sign: () => smsSign(config) });
}

// ---------------------------------------------------------------------------------------------
// The per-number daily cap

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8, no daylight saving

/**
 * Spends one notification text of `to` for the Asia/Shanghai day of `now`: true while the number
 * has had fewer than GONGKAI_SMS_DAILY_CAP texts that day (this one then counts), false over it.
 * Verification codes are not spent here (their callers do not call it).
 *
 * Counted in the limiter's table (rate_limit_hits, platform/http/limit.ts) under the key
 * `sms-day|<number>`, but as a fixed window, not spendBudget's sliding one: a cap per calendar
 * day must not carry yesterday's texts over, and a Shanghai day starts at 16:00 UTC, which is no
 * multiple of a UTC-aligned window. So `win` holds the Shanghai day number (days since the epoch
 * of UTC+8 wall time) and `n` the texts of that day; the first text of a new day resets it. The
 * row expires (swept with the limiter's rows) when its day ends. Spent in the caller's
 * transaction: a rolled-back notice is not counted.
 */
export async function spendSmsDay(p: Platform, t: Db, to: string, now: Date = new Date()): Promise<boolean> {
  const day = Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
  const ends = (day + 1) * DAY_MS - SHANGHAI_OFFSET_MS;
  const r = await sql<{ n: number }>`
    insert into rate_limit_hits (key, win, n, prev_n, expires_ms) values (${`sms-day|${e164(to)}`}, ${day}, 1, 0, ${ends})
    on conflict (key) do update set
      n = case when rate_limit_hits.win = ${day} then rate_limit_hits.n + 1 else 1 end,
      prev_n = 0,
      win = ${day},
      expires_ms = ${ends}
    returning n`.execute(t);
  return Number(r.rows[0].n) <= p.config.sms.dailyCap;
}

// ---------------------------------------------------------------------------------------------
// Delivery receipts

export interface SmsReceipt {
  /** Our message id (SmsRequest.id). */
  id: string;
  /** The provider's id of the message. */
  ref: string;
  status: 'delivered' | 'failed';
  error?: string;
  /** When the handset confirmed or the carrier gave up (ISO 8601). */
  at: string;
}

export type SmsReceiptListener = (p: Platform, receipts: SmsReceipt[]) => Promise<void> | void;

const receiptListeners: SmsReceiptListener[] = [];

/** Calls `fn` with each batch of verified receipts; returns a function that removes it. */
export function onSmsReceipt(fn: SmsReceiptListener): () => void {
  receiptListeners.push(fn);
  return () => {
    const i = receiptListeners.indexOf(fn);
    if (i >= 0) receiptListeners.splice(i, 1);
  };
}

/** Hands verified receipts to every listener, in order of registration. */
export async function dispatchSmsReceipts(p: Platform, receipts: SmsReceipt[]): Promise<void> {
  for (const fn of [...receiptListeners]) await fn(p, receipts);
}
