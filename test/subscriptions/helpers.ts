// Shared by the subscriptions tests: a real SMTP server in-process that keeps what it received,
// a platform sending to it, and subscribing through the API with the confirmation link of the mail.
import { expect } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { makeEnv, type TestEnv } from '../helpers.js';
import { publish } from '../catalog/helpers.js';
import { closeMailPools } from '../../src/platform/channels/email.js';
import { parseMail } from '../mime.js';

export interface Received {
  to: string[];
  raw: string;
}

export interface SubEnv {
  env: TestEnv;
  received: Received[];
  /** The department the catalog helpers publish in, and another one. */
  dzb: number;
  other: number;
  close(): Promise<void>;
}

export async function subEnv(extraEnv: Record<string, string> = {}): Promise<SubEnv> {
  const received: Received[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  const env = await makeEnv({ env: { GONGKAI_SMTP_URL: `smtp://127.0.0.1:${port}`, GONGKAI_MAIL_FROM: 'noreply@gk.example.gov.cn', GONGKAI_PUBLIC_URL: 'https://gk.example.gov.cn', ...extraEnv } });
  await env.drain();
  const probe = await publish(env);
  const dzb = Number((await env.p.db.selectFrom('pub_items').select('department_id').where('id', '=', probe).executeTakeFirstOrThrow()).department_id);
  const other = Number((await env.p.db.selectFrom('departments').select('id').where('id', '!=', dzb).orderBy('id').limit(1).executeTakeFirstOrThrow()).id);
  await env.drain();
  return {
    env,
    received,
    dzb,
    other,
    async close() {
      closeMailPools();
      await env.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}

export const mailsTo = (s: SubEnv, addr: string) => s.received.filter((r) => r.to.includes(addr)).map((r) => parseMail(r.raw));

// Each request from its own client address: the per-client budget is tested on its own.
let ip = 0;
const fresh = () => `10.20.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;
export const post = (s: SubEnv, url: string, payload: object) => s.env.app.inject({ method: 'POST', url, remoteAddress: fresh(), payload });
export const subscribeApi = (s: SubEnv, body: Record<string, string>) => post(s, '/api/v1/subscriptions', body);

/** Subscribes by e-mail and confirms through the link of the confirmation mail (a POST, no cookie). */
export async function subscribeEmail(s: SubEnv, address: string, target: Record<string, string>, frequency = 'immediately'): Promise<number> {
  const r = await subscribeApi(s, { channel: 'email', address, frequency, ...target });
  expect(r.statusCode, r.body).toBe(202);
  await s.env.drain();
  const confirm = mailsTo(s, address).filter((m) => m.text.includes('/subscriptions/confirm/')).pop();
  expect(confirm, 'a confirmation e-mail').toBeTruthy();
  const url = /https:\/\/gk\.example\.gov\.cn(\/subscriptions\/confirm\/[^\s]+)/.exec(confirm!.text)![1]!;
  const page = await s.env.app.inject({ method: 'GET', url });
  expect(page.statusCode).toBe(200);
  const done = await s.env.app.inject({ method: 'POST', url });
  expect(done.statusCode).toBe(200);
  expect(done.body).toContain('/subscriptions/manage/');
  return JSON.parse(r.body).subscriptionId;
}
