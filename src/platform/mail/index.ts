// Outgoing e-mail through the outbox: a module enqueues a 'mail.send' job in the transaction of
// the change (with an idempotency key, so a message is sent once), and a worker delivers it with
// nodemailer to GONGKAI_SMTP_URL — or, when that is unset, writes it as an .eml file to
// DATA_DIR/outbox-mail (development, demos and tests).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import type { JobHandler } from '../jobs/index.js';

export const MAIL_JOB = 'mail.send';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. { 'X-Gongkai-Clock': '12' }. */
  headers?: Record<string, string>;
  /** A stable Message-ID, `<…@host>` (a retry sends the same id). */
  messageId?: string;
  /**
   * Mailing-list headers (RFC 2369, RFC 8058): `List-Unsubscribe: <unsubscribe>`, with
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` when that URL is HTTPS; `List-Help: <manage>`
   * (the preference centre); `List-Id: <id>` (default `notices.<host of unsubscribe>`).
   */
  list?: { unsubscribe: string; manage?: string; id?: string };
}

/** The nodemailer options of a message (shared by the single and the batch sender). */
export function mailOptions(from: string, msg: MailMessage): SendMailOptions {
  const opts: SendMailOptions = { from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, headers: msg.headers };
  if (msg.messageId) opts.messageId = msg.messageId;
  if (msg.list) {
    const u = new URL(msg.list.unsubscribe);
    opts.list = { unsubscribe: msg.list.unsubscribe, id: msg.list.id ?? `notices.${u.hostname}`, ...(msg.list.manage ? { help: msg.list.manage } : {}) };
    // nodemailer's list option writes List-* URLs only; the one-click marker is a plain header.
    if (u.protocol === 'https:') opts.headers = { ...msg.headers, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }
  return opts;
}

/** Enqueues a message in the caller's transaction. Same key twice = one message. */
export async function enqueueMail(p: Platform, t: Db, msg: MailMessage, key?: string): Promise<void> {
  await p.jobs.enqueue(t, MAIL_JOB, msg, key ? { key: `mail:${key}` } : {});
}

let cached: { url: string; transport: Transporter } | null = null;

function transportFor(url: string): Transporter {
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(url) };
  return cached.transport;
}

/** Delivers one message now (the job handler; also usable from the CLI). */
export async function deliverMail(p: Platform, msg: MailMessage): Promise<{ messageId: string; file?: string }> {
  const envelope = mailOptions(p.config.mailFrom, msg);
  if (p.config.smtpUrl) {
    const info = await transportFor(p.config.smtpUrl).sendMail(envelope);
    return { messageId: info.messageId };
  }
  return writeEml(p, envelope);
}

/** Writes a message as an .eml file to DATA_DIR/outbox-mail (no SMTP server configured). */
export async function writeEml(p: Platform, envelope: SendMailOptions): Promise<{ messageId: string; file: string }> {
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await stream.sendMail(envelope);
  const dir = join(p.config.dataDir, 'outbox-mail');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`);
  writeFileSync(file, info.message as Buffer);
  return { messageId: info.messageId, file };
}

/** The job handlers to register (by the supervision module). */
export function mailJobs(p: Platform): Record<string, JobHandler> {
  return {
    [MAIL_JOB]: async (payload: MailMessage) => {
      await deliverMail(p, payload);
    },
  };
}
