// Outgoing e-mail through the outbox: a module enqueues a 'mail.send' job in the transaction of
// the change (with an idempotency key, so a message is sent once), and a worker delivers it with
// nodemailer to GONGKAI_SMTP_URL — or, when that is unset, writes it as an .eml file to
// DATA_DIR/outbox-mail (development, demos and tests).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
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
  const envelope = { from: p.config.mailFrom, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, headers: msg.headers };
  if (p.config.smtpUrl) {
    const info = await transportFor(p.config.smtpUrl).sendMail(envelope);
    return { messageId: info.messageId };
  }
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
