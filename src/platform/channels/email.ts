// E-mail notices of publications (ADR 0010 § 5): `renderNoticeMail` writes a notice, a correction
// (更正), a withdrawal (撤回) or a daily/weekly digest as multipart text + HTML with a Chinese (or
// English) subject; `noticeMessage` adds the stable Message-ID and the List-Unsubscribe headers;
// `sendMailBatch` hands many messages at once to the SMTP server over a pooled connection (or
// writes .eml files when GONGKAI_SMTP_URL is unset), one result per message.
import nodemailer, { type Transporter } from 'nodemailer';
import { h, type ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { Platform } from '../platform.js';
import { mailOptions, writeEml, type MailMessage } from '../mail/index.js';
import { shanghaiDate } from '../dates.js';
import { t, type Locale } from '../i18n/index.js';
import { cleanLine, cleanText } from '../text.js';

export interface NoticeItem {
  title: string;
  /** 索引号. */
  indexNo: string;
  department: string;
  /** The version's publication moment (stored ISO form); shown as its Asia/Shanghai date. */
  publishedAt: string;
  summary?: string;
  /** Absolute URL of the exact version. */
  url: string;
}

interface NoticeCommon {
  /** The site's name, e.g. 示范新区政府信息公开. */
  site: string;
  locale?: Locale;
  /** The preference centre (signed link). */
  manageUrl: string;
  /** The one-click unsubscribe page (signed link). */
  unsubscribeUrl: string;
}

export type NoticeMailInput = NoticeCommon &
  (
    | { kind: 'notice'; item: NoticeItem; subscription: string }
    | { kind: 'correction'; item: NoticeItem; changeNote: string; subscription: string }
    | { kind: 'withdrawal'; item: NoticeItem; reason: string; subscription: string }
    | { kind: 'digest'; frequency: 'daily' | 'weekly'; groups: { subscription: string; items: NoticeItem[] }[] }
  );

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Longest title in a subject (code points); longer ones end in '…'. */
export const SUBJECT_TITLE_MAX = 50;

const cut = (s: string, max: number): string => {
  const cps = [...s];
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
};

// The portal's palette (web/static/site.css).
const C = { red: '#a61b1b', ink: '#1d1d1f', muted: '#555', line: '#d0d0d5', soft: '#f5f5f7', link: '#0b4f9c' };
const FONT = '"Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",system-ui,sans-serif';

/** A label's colon: full-width in Chinese. */
const sep = (locale: Locale) => (locale === 'en' ? ': ' : '：');
const paren = (locale: Locale, s: string) => (locale === 'en' ? ` (${s})` : `（${s}）`);

/** Only http(s) links become links; anything else is shown as text. */
const safeHref = (u: string): string | undefined => (/^https?:\/\//i.test(u) ? u : undefined);

function link(url: string, label: string, style = '', ariaLabel?: string): ComponentChildren {
  const href = safeHref(url);
  return href ? h('a', { href, style: `color:${C.link};${style}`, ...(ariaLabel ? { 'aria-label': ariaLabel } : {}) }, label) : h('span', null, label);
}

function itemHtml(locale: Locale, it: NoticeItem, level: 'h2' | 'h3', readKey = 'mail.notice.read'): ComponentChildren {
  const meta = (key: string, value: string) => h('li', null, `${t(locale, key)}${sep(locale)}${value}`);
  return h(
    'div',
    { style: `border-left:4px solid ${C.red};background:${C.soft};padding:10px 14px;margin:12px 0` },
    h(level, { style: `font-size:${level === 'h2' ? 18 : 16}px;line-height:1.4;margin:0 0 6px` }, link(it.url, cleanLine(it.title), 'text-decoration:none')),
    h(
      'ul',
      { style: `list-style:none;padding:0;margin:0 0 6px;color:${C.muted};font-size:14px` },
      meta('mail.notice.index-no', cleanLine(it.indexNo)),
      meta('mail.notice.department', cleanLine(it.department)),
      meta('mail.notice.date', shanghaiDate(it.publishedAt)),
    ),
    it.summary ? h('p', { style: 'margin:6px 0' }, cleanText(it.summary)) : null,
    // Every item has this link: its accessible name carries the title.
    h('p', { style: 'margin:6px 0 0' }, link(it.url, t(locale, readKey), '', `${t(locale, readKey)}${sep(locale)}${cleanLine(it.title)}`)),
  );
}

function itemText(locale: Locale, it: NoticeItem, readKey = 'mail.notice.read'): string {
  const lines = [
    locale === 'en' ? cleanLine(it.title) : `《${cleanLine(it.title)}》`,
    `${t(locale, 'mail.notice.index-no')}${sep(locale)}${cleanLine(it.indexNo)}`,
    `${t(locale, 'mail.notice.department')}${sep(locale)}${cleanLine(it.department)}`,
    `${t(locale, 'mail.notice.date')}${sep(locale)}${shanghaiDate(it.publishedAt)}`,
  ];
  if (it.summary) lines.push('', cleanText(it.summary));
  lines.push(`${t(locale, readKey)}${sep(locale)}${it.url}`);
  return lines.join('\n');
}

/** Renders a notice e-mail: subject, a text part readable alone, and an HTML part (inline CSS, escaped). */
export function renderNoticeMail(input: NoticeMailInput): RenderedMail {
  const locale: Locale = input.locale ?? 'zh-CN';
  const site = cleanLine(input.site);
  let subject: string;
  let heading: string;
  const htmlBody: ComponentChildren[] = [];
  const textBody: string[] = [];
  let why: string;
  if (input.kind === 'digest') {
    const n = input.groups.reduce((s, g) => s + g.items.length, 0);
    subject = t(locale, `mail.notice.subject.${input.frequency}`, { site, n });
    heading = t(locale, `mail.notice.heading.${input.frequency}`);
    htmlBody.push(h('p', { style: `color:${C.muted};margin:0 0 8px` }, t(locale, 'mail.notice.count', { n })));
    textBody.push(t(locale, 'mail.notice.count', { n }));
    for (const g of input.groups) {
      const title = cleanLine(g.subscription);
      const count = t(locale, 'mail.notice.group-count', { n: g.items.length });
      htmlBody.push(
        h('section', null,
          h('h2', { style: `font-size:18px;margin:20px 0 4px;padding-bottom:4px;border-bottom:2px solid ${C.red}` }, title, h('span', { style: `color:${C.muted};font-size:14px;font-weight:normal` }, paren(locale, count))),
          ...g.items.map((it) => itemHtml(locale, it, 'h3')),
        ),
      );
      textBody.push('', `■ ${title}${paren(locale, count)}`, ...g.items.map((it) => `\n${itemText(locale, it)}`));
    }
    why = t(locale, 'mail.notice.why', { title: input.groups.map((g) => cleanLine(g.subscription)).join(locale === 'en' ? ', ' : '、') });
  } else {
    const title = cleanLine(input.item.title);
    subject = t(locale, `mail.notice.subject.${input.kind}`, { site, title: cut(title, SUBJECT_TITLE_MAX) });
    heading = t(locale, `mail.notice.heading.${input.kind}`);
    why = t(locale, 'mail.notice.why', { title: cleanLine(input.subscription) });
    if (input.kind === 'correction') {
      const note = cleanText(input.changeNote);
      htmlBody.push(
        h('p', null, t(locale, 'mail.notice.correction-intro')),
        h('p', { style: `background:#fff8e6;border:1px solid ${C.line};padding:8px 12px` }, h('strong', null, `${t(locale, 'mail.notice.change-note')}${sep(locale)}`), note),
        itemHtml(locale, input.item, 'h2', 'mail.notice.read-corrected'),
      );
      textBody.push(t(locale, 'mail.notice.correction-intro'), '', `${t(locale, 'mail.notice.change-note')}${sep(locale)}${note}`, '', itemText(locale, input.item, 'mail.notice.read-corrected'));
    } else if (input.kind === 'withdrawal') {
      const reason = cleanText(input.reason);
      htmlBody.push(
        h('p', null, t(locale, 'mail.notice.withdrawal-intro')),
        h('p', { style: `background:#fff8e6;border:1px solid ${C.line};padding:8px 12px` }, h('strong', null, `${t(locale, 'mail.notice.reason')}${sep(locale)}`), reason),
        itemHtml(locale, input.item, 'h2'),
      );
      textBody.push(t(locale, 'mail.notice.withdrawal-intro'), '', `${t(locale, 'mail.notice.reason')}${sep(locale)}${reason}`, '', itemText(locale, input.item));
    } else {
      htmlBody.push(itemHtml(locale, input.item, 'h2'));
      textBody.push(itemText(locale, input.item));
    }
  }
  const manage = t(locale, 'mail.notice.manage');
  const unsubscribe = t(locale, 'mail.notice.unsubscribe');
  const text = [
    `${locale === 'en' ? `${site} — ` : `【${site}】`}${heading}`,
    '',
    ...textBody,
    '',
    '——',
    why,
    `${manage}${sep(locale)}${input.manageUrl}`,
    `${unsubscribe}${sep(locale)}${input.unsubscribeUrl}`,
    t(locale, 'mail.notice.no-reply'),
    '',
  ].join('\n');
  const doc = h(
    'html',
    { lang: locale },
    h('head', null, h('meta', { charset: 'utf-8' }), h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }), h('title', null, subject)),
    h(
      'body',
      { style: `margin:0;padding:0;background:${C.soft};color:${C.ink};font-family:${FONT};font-size:16px;line-height:1.6` },
      h(
        'div',
        // Webmail drops <html> and <body> with their lang: the wrapper carries both again.
        { role: 'article', lang: locale, 'aria-roledescription': 'email', 'aria-label': subject, style: `max-width:640px;margin:0 auto;background:#fff` },
        h('div', { style: `background:${C.red};color:#fff;padding:12px 20px;font-size:18px;font-weight:bold` }, site),
        h('div', { style: 'padding:16px 20px' }, h('h1', { style: 'font-size:22px;line-height:1.3;margin:0 0 12px' }, heading), ...htmlBody),
        h(
          'div',
          { style: `border-top:1px solid ${C.line};padding:14px 20px;color:${C.muted};font-size:13px` },
          h('p', { style: 'margin:0 0 6px' }, why),
          h('p', { style: 'margin:0 0 6px' }, link(input.manageUrl, manage), ' · ', link(input.unsubscribeUrl, unsubscribe)),
          h('p', { style: 'margin:0' }, t(locale, 'mail.notice.no-reply')),
        ),
      ),
    ),
  );
  return { subject, text, html: '<!doctype html>' + render(doc) };
}

/** The stable Message-ID of a ledger row: the same delivery retried carries the same id. */
export function noticeMessageId(ledgerId: number | string, itemId: number | string, version: number, host: string): string {
  return `<d${ledgerId}.i${itemId}.v${version}@${host}>`;
}

/** A rendered notice as a message for `sendMailBatch` / `enqueueMail`, with its list headers. */
export function noticeMessage(to: string, input: NoticeMailInput, messageId?: string): MailMessage {
  const { subject, text, html } = renderNoticeMail(input);
  return { to, subject, text, html, ...(messageId ? { messageId } : {}), list: { unsubscribe: input.unsubscribeUrl, manage: input.manageUrl } };
}

export type BatchResult = { ok: true; messageId: string } | { ok: false; error: string; permanent: boolean };

/** Connections per SMTP pool and messages in flight per batch (bench/mail.ts measured these). */
export const MAIL_POOL_CONNECTIONS = 5;
export const MAIL_BATCH_CONCURRENCY = 20;

const pools = new Map<string, Transporter>();

function pooledTransport(url: string, connections: number): Transporter {
  const key = `${connections} ${url}`;
  let tr = pools.get(key);
  if (!tr) {
    // Idle connections close after 5 s: batches that follow each other reuse them, and a process
    // that sent its last batch (the CLI) is not kept alive by them.
    tr = nodemailer.createTransport({ url, pool: true, maxConnections: connections, maxMessages: 1000, idleTimeout: 5000 });
    pools.set(key, tr);
  }
  return tr;
}

/** Closes the pooled SMTP connections (tests, the bench, shutdown). */
export function closeMailPools(): void {
  for (const tr of pools.values()) tr.close();
  pools.clear();
}

/** An SMTP reply code 5xx is permanent: retrying the same message will not help. */
function failure(e: unknown): { ok: false; error: string; permanent: boolean } {
  const err = e as { message?: string; responseCode?: number; rejectedErrors?: { responseCode?: number }[] };
  const code = err.responseCode ?? err.rejectedErrors?.[0]?.responseCode;
  return { ok: false, error: String(err.message ?? e).slice(0, 500), permanent: typeof code === 'number' && code >= 500 && code < 600 };
}

/**
 * Sends many messages with at most `concurrency` in flight (default 20) over one pooled transport
 * per SMTP URL (`connections`, default 5); without GONGKAI_SMTP_URL writes .eml files as
 * `deliverMail` does. One result per message, in order; a failed message never fails the others.
 */
export async function sendMailBatch(p: Platform, messages: MailMessage[], opts: { concurrency?: number; connections?: number } = {}): Promise<BatchResult[]> {
  const results: BatchResult[] = new Array(messages.length);
  const url = p.config.smtpUrl;
  const send = async (msg: MailMessage): Promise<BatchResult> => {
    let envelope: ReturnType<typeof mailOptions>;
    try {
      envelope = mailOptions(p.config.mailFrom, msg);
    } catch (e) {
      return { ok: false, error: String((e as Error).message ?? e).slice(0, 500), permanent: true }; // a malformed message stays malformed
    }
    try {
      const info = url ? await pooledTransport(url, opts.connections ?? MAIL_POOL_CONNECTIONS).sendMail(envelope) : await writeEml(p, envelope);
      return { ok: true, messageId: info.messageId };
    } catch (e) {
      return failure(e);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const i = next++;
      results[i] = await send(messages[i]);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? MAIL_BATCH_CONCURRENCY, messages.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
