// Outgoing short messages to citizens through channel adapters (SMS, e-mail, later WeChat…).
// A module calls `sendMessage(p, t, msg, key)` inside its transaction; a durable job
// ('channel.send') hands the message to the adapter of its channel. The default SMS adapter is a
// development sink that writes each message as a JSON file to DATA_DIR/outbox-sms; e-mail goes
// through the platform mailer (job 'mail.send'). Another adapter replaces a sink with
// `registerAdapter('sms', adapter)` without touching the callers; the messaging part mounts the
// HTTP provider (sms-http.ts) per platform when GONGKAI_SMS_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import type { JobHandler } from '../jobs/index.js';
import { enqueueMail } from '../mail/index.js';

export const CHANNEL_JOB = 'channel.send';

export interface ChannelMessage {
  channel: string; // 'sms' | 'email' | …
  to: string;
  text: string;
  subject?: string;
  /** Our id of the message, the same on every try (a provider de-duplicates by it); set by sendMessage when not given. */
  id?: string;
}

/** What an adapter may report of an accepted message: the provider's reference. */
export interface DeliveryResult {
  ref?: string;
}

export interface ChannelAdapter {
  /** Delivers now (called by the job worker); throws to have the job retried. */
  deliver(p: Platform, msg: ChannelMessage): Promise<void | DeliveryResult>;
}

export function outboxDir(p: Platform, channel: string): string {
  return join(p.config.dataDir, `outbox-${channel}`);
}

/** Development sink: one JSON file per message in DATA_DIR/outbox-<channel>. */
export function sinkAdapter(channel: string): ChannelAdapter {
  return {
    async deliver(p, msg) {
      const dir = outboxDir(p, channel);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.json`);
      writeFileSync(file, JSON.stringify({ ...msg, at: new Date().toISOString() }, null, 2) + '\n');
    },
  };
}

const adapters = new Map<string, ChannelAdapter>([['sms', sinkAdapter('sms')]]);

export function registerAdapter(channel: string, adapter: ChannelAdapter): void {
  adapters.set(channel, adapter);
}

export function channelNames(): string[] {
  return [...new Set([...adapters.keys(), 'email'])];
}

/** Queues a message in the caller's transaction. The same key twice sends once. */
export async function sendMessage(p: Platform, t: Db, msg: ChannelMessage, key?: string): Promise<void> {
  if (msg.channel === 'email' && !adapters.has('email')) {
    await enqueueMail(p, t, { to: msg.to, subject: msg.subject ?? msg.text.slice(0, 40), text: msg.text }, key);
    return;
  }
  if (!adapters.has(msg.channel)) throw new Error(`unknown channel ${msg.channel}`);
  await p.jobs.enqueue(t, CHANNEL_JOB, { ...msg, id: msg.id ?? randomUUID() }, key ? { key: `channel:${key}` } : {});
}

/**
 * Job handlers — registered by the messaging part, once per platform. `local` adapters (the SMS
 * provider configured for this platform) win over the process-wide ones, so that two platforms
 * of one process (tests) may send through different adapters.
 */
export function channelJobs(p: Platform, local: Record<string, ChannelAdapter> = {}): Record<string, JobHandler> {
  return {
    [CHANNEL_JOB]: async (msg: ChannelMessage, job) => {
      const a = local[msg.channel] ?? adapters.get(msg.channel);
      if (!a) throw new Error(`unknown channel ${msg.channel}`);
      // Messages queued before ids existed get the job's id: still the same on every try.
      const r = await a.deliver(p, msg.id ? msg : { ...msg, id: `job-${job.id}` });
      if (r?.ref) p.log.debug({ channel: msg.channel, id: msg.id, ref: r.ref }, 'message accepted');
    },
  };
}

/** Messages in a sink directory (newest last) — for tests and the development console. */
export function sinkMessages(p: Platform, channel: string): ChannelMessage[] {
  const dir = outboxDir(p, channel);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ChannelMessage);
}
