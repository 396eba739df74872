// SMS through the HTTP provider (issue 20, ADR 0010 § 7, docs/sms-provider.md): a real receiver
// on 127.0.0.1 checks each request's signature with its own node:crypto code and answers an id;
// the 'channel.send' job reaches it with the documented JSON and retries after failures with the
// same message id; a platform without GONGKAI_SMS_URL keeps the sink. Also: segment counts, the
// one-segment notice text, the per-number daily cap on Asia/Shanghai days, and signed receipts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { makeEnv, type TestEnv } from '../helpers.js';
import { sendMessage, sinkMessages } from '../../src/platform/channels/index.js';
import { httpSmsAdapter, onSmsReceipt, smsNotice, smsSegments, smsSign, spendSmsDay, type SmsReceipt } from '../../src/platform/channels/sms-http.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { getGovernment, setGovernment } from '../../src/platform/render/context.js';

const SECRET = 'sms-provider-shared-secret-2026';

// ---- The receiver: nothing of ours, node:http and node:crypto only.
interface Received {
  raw: string;
  body: any;
  headers: IncomingHttpHeaders;
  verified: boolean;
  status: number;
}
const received: Received[] = [];
let answers: number[] = []; // statuses to answer next (then 200)
let hang = false;

function verify(secret: string, header: string | undefined, raw: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${raw}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2], 'hex'));
}

function sign(secret: string, raw: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

let server: Server;
let url: string;
let sms: TestEnv; // GONGKAI_SMS_URL set
let plain: TestEnv; // no provider: the sink

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (hang) return; // never answers
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verify(SECRET, req.headers['x-gongkai-signature'] as string | undefined, raw);
      const status = !verified ? 401 : answers.length ? answers.shift()! : 200;
      received.push({ raw, body: JSON.parse(raw), headers: req.headers, verified, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ id: `prov-${received.length}` }) : '{"error":"try later"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`;
  sms = await makeEnv({ demo: false, env: { GONGKAI_SMS_URL: url, GONGKAI_SMS_SECRET: SECRET, GONGKAI_SMS_SIGN: '示范新区' } });
  plain = await makeEnv({ demo: false, env: { GONGKAI_SMS_DAILY_CAP: '2' } });
}, 120_000);

afterAll(async () => {
  await sms?.close();
  await plain?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const jobsOf = (env: TestEnv) => env.p.db.selectFrom('jobs').selectAll().where('kind', '=', 'channel.send').orderBy('id').execute();

describe('the HTTP provider', () => {
  it('receives each text through the job worker as signed JSON in the documented format', async () => {
    const before = received.length;
    const t0 = Date.now();
    await sms.p.tx((t) => sendMessage(sms.p, t, { channel: 'sms', to: '139 0000 1111', text: '【示范新区】您的诉求已办结。' }));
    await sms.drain();
    const got = received.slice(before);
    expect(got).toHaveLength(1);
    const r = got[0];
    expect(r.verified).toBe(true);
    expect(r.headers['content-type']).toBe('application/json');
    expect(Object.keys(r.body)).toEqual(['id', 'to', 'text', 'sign', 'segments', 'sentAt']);
    expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), to: '+8613900001111', text: '【示范新区】您的诉求已办结。', sign: '示范新区', segments: 1, sentAt: expect.any(String) });
    expect(Date.parse(r.body.sentAt)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(r.body.sentAt).toBe(new Date(r.body.sentAt).toISOString());
    // The id is ours and in the job: the same on every try.
    const job = (await jobsOf(sms)).at(-1)!;
    expect(job.status).toBe('done');
    expect(JSON.parse(job.payload).id).toBe(r.body.id);
  });

  it('a platform without GONGKAI_SMS_URL keeps the sink, beside one with the provider', async () => {
    const before = received.length;
    await plain.p.tx((t) => sendMessage(plain.p, t, { channel: 'sms', to: '13900002222', text: '沙箱短信' }));
    await plain.drain();
    expect(received.length).toBe(before);
    expect(sinkMessages(plain.p, 'sms').map((m) => m.text)).toEqual(['沙箱短信']);
    expect(sinkMessages(sms.p, 'sms')).toEqual([]);
  });

  it('answers 500 twice, then 200: the job retries with its backoff and the text arrives once, with one id', async () => {
    const before = received.length;
    answers = [500, 500];
    await sms.p.tx((t) => sendMessage(sms.p, t, { channel: 'sms', to: '13900003333', text: '重试短信' }, 'retry-1'));
    await sms.drain();
    let job = (await jobsOf(sms)).at(-1)!;
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.last_error).toContain('SMS provider answered 500');
    expect(Date.parse(job.run_at)).toBeGreaterThan(Date.now());
    for (let i = 0; i < 2; i++) {
      await sms.p.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('id', '=', job.id).where('status', '=', 'pending').execute();
      await sms.drain();
    }
    job = (await jobsOf(sms)).at(-1)!;
    expect(job.status).toBe('done');
    const got = received.slice(before);
    expect(got.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(got.map((r) => r.body.id)).size).toBe(1);
    expect(got.filter((r) => r.status === 200)).toHaveLength(1);
    // The same key again sends nothing more.
    await sms.p.tx((t) => sendMessage(sms.p, t, { channel: 'sms', to: '13900003333', text: '重试短信' }, 'retry-1'));
    await sms.drain();
    expect(received.length).toBe(before + 3);
  });

  it('throws on a timeout, a refused connection and a 2xx without an id', async () => {
    const msg = { channel: 'sms', to: '13900004444', text: 'x', id: 'm-1' };
    hang = true;
    try {
      await expect(httpSmsAdapter({ url, secret: SECRET, sign: 'S', timeoutMs: 300 }).deliver(sms.p, msg)).rejects.toThrow(/no answer within 300 ms/);
    } finally {
      hang = false;
      server.closeAllConnections();
    }
    await expect(httpSmsAdapter({ url: 'http://127.0.0.1:9/none', secret: SECRET, sign: 'S' }).deliver(sms.p, msg)).rejects.toThrow(/unreachable/);
    const noId = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((r) => noId.listen(0, '127.0.0.1', r));
    try {
      const u = `http://127.0.0.1:${(noId.address() as AddressInfo).port}/`;
      await expect(httpSmsAdapter({ url: u, secret: SECRET, sign: 'S' }).deliver(sms.p, msg)).rejects.toThrow(/without an id/);
    } finally {
      noId.closeAllConnections();
      await new Promise((r) => noId.close(r));
    }
    const ok = await httpSmsAdapter({ url, secret: SECRET, sign: 'S' }).deliver(sms.p, msg);
    expect(ok).toEqual({ ref: `prov-${received.length}` });
  });
});

describe('configuration', () => {
  it('a URL needs a secret; the signature defaults to the government\'s short name, or 政务公开', () => {
    const dataDir = plain.dataDir;
    expect(() => loadConfig({ GONGKAI_SMS_URL: url }, { dataDir })).toThrow(ConfigError);
    expect(() => loadConfig({ GONGKAI_SMS_URL: url, GONGKAI_SMS_SECRET: 'short' }, { dataDir })).toThrow(/GONGKAI_SMS_SECRET/);
    expect(() => loadConfig({ GONGKAI_SMS_URL: 'ftp://x', GONGKAI_SMS_SECRET: SECRET }, { dataDir })).toThrow(/GONGKAI_SMS_URL/);
    expect(() => loadConfig({ GONGKAI_SMS_DAILY_CAP: '0' }, { dataDir })).toThrow(/GONGKAI_SMS_DAILY_CAP/);
    expect(loadConfig({}, { dataDir }).sms).toEqual({ url: null, secret: '', sign: '', dailyCap: 5 });
    expect(smsSign(sms.config)).toBe('示范新区');
    const before = getGovernment();
    try {
      setGovernment({ ...before, shortName: '滨海区' });
      expect(smsSign(plain.config)).toBe('滨海区');
      setGovernment({ ...before, shortName: 'gongkai' }); // the placeholder before one is set
      expect(smsSign(plain.config)).toBe('政务公开');
    } finally {
      setGovernment(before);
    }
  });
});

describe('texts', () => {
  it('counts segments: UCS-2 70 / 67 per part in UTF-16 units, GSM-7 160 / 153 per part', () => {
    expect(smsSegments('政'.repeat(70))).toBe(1);
    expect(smsSegments('政'.repeat(71))).toBe(2);
    expect(smsSegments('政'.repeat(134))).toBe(2);
    expect(smsSegments('政'.repeat(135))).toBe(3);
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
    // One character outside GSM-7 makes the whole text UCS-2.
    expect(smsSegments('a'.repeat(70) + '政')).toBe(2);
    expect(smsSegments('a'.repeat(69) + 'é')).toBe(1); // é is in GSM-7
    // Extension characters take two septets; emoji two UTF-16 units.
    expect(smsSegments('€'.repeat(80))).toBe(1);
    expect(smsSegments('€'.repeat(81))).toBe(2);
    expect(smsSegments('😀'.repeat(35))).toBe(1);
    expect(smsSegments('😀'.repeat(36))).toBe(2);
    // A surrogate pair is not split between parts: 66 units + an emoji start a third part.
    expect(smsSegments('政'.repeat(67) + '政'.repeat(66) + '😀')).toBe(3);
    expect(smsSegments('')).toBe(0);
  });

  it('a notice is one UCS-2 segment (≤ 70 UTF-16 units) whatever the title', () => {
    const link = 'https://gk.example.cn/s/3Fx9a';
    const titles = [
      '关于印发《示范新区优化营商环境若干措施（2026年修订）》的通知，请各部门认真贯彻执行并及时反馈落实情况',
      'Notice on the Implementation Rules for Government Information Disclosure of the Demonstration District 2026',
      '🎉🎉🎉 新春 👨‍👩‍👧‍👦 家庭 🏮 活动安排公告 🎉🎉🎉 请市民朋友们相互转告，欢迎参加各类文化活动 🎆🎆🎆🎆🎆',
      'Ünïcödé 混合 title with 😀 and 汉字 mixed together in one very long line that must be cut',
      '短标题',
    ];
    for (const title of titles) {
      for (const prefix of [undefined, '更正：', '撤回：']) {
        const text = smsNotice({ sign: '示范新区', title, link, prefix });
        expect(text.length, text).toBeLessThanOrEqual(70);
        expect(smsSegments(text), text).toBe(1);
        expect(text.startsWith(`【示范新区】${prefix ?? ''}`), text).toBe(true);
        expect(text.endsWith(` ${link}`), text).toBe(true);
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u200D…/.test(text), text).toBe(false);
        if (title !== '短标题') expect(text, text).toContain('…');
      }
    }
    expect(smsNotice({ sign: '示范新区', title: '短标题', link })).toBe(`【示范新区】短标题 ${link}`);
    expect(smsNotice({ sign: '示范新区', title: '  多行\n标题  ', link })).toBe(`【示范新区】多行 标题 ${link}`);
    expect(() => smsNotice({ sign: '示范新区', title: '标题', link: `https://example.cn/${'x'.repeat(60)}` })).toThrow(RangeError);
  });
});

describe('the per-number daily cap', () => {
  it('resets at 00:00 Asia/Shanghai, not at UTC midnight', async () => {
    const spend = (to: string, iso: string) => sms.p.tx((t) => spendSmsDay(sms.p, t, to, new Date(iso)));
    const n = '13811112222';
    // 2030-01-01 in Shanghai runs from 2029-12-31T16:00Z to 2030-01-01T16:00Z.
    const day1 = ['2029-12-31T16:00:00Z', '2030-01-01T00:30:00Z', '2030-01-01T08:00:00Z', '2030-01-01T15:00:00Z', '2030-01-01T15:59:00Z'];
    for (const iso of day1) expect(await spend(n, iso), iso).toBe(true);
    expect(await spend(n, '2030-01-01T15:59:59Z')).toBe(false); // the sixth of the day (cap 5)
    expect(await spend('+86 138 1111 3333', '2030-01-01T15:59:59Z')).toBe(true); // another number
    // 00:00 Shanghai: a new day. UTC midnight eight hours later is not.
    expect(await spend(n, '2030-01-01T16:00:00Z')).toBe(true);
    for (let i = 0; i < 4; i++) expect(await spend(n, '2030-01-02T00:00:01Z')).toBe(true);
    expect(await spend(n, '2030-01-02T00:00:02Z')).toBe(false);
    // The same number written another way is the same number.
    expect(await spend('+8613811112222', '2030-01-02T10:00:00Z')).toBe(false);
    expect(await spend('13811112222', '2030-01-02T16:00:00Z')).toBe(true);
  });

  it('counts in the caller\'s transaction (a rolled-back notice is not counted) and follows GONGKAI_SMS_DAILY_CAP', async () => {
    const n = '13811114444';
    const at = new Date('2030-02-01T02:00:00Z');
    await expect(plain.p.tx(async (t) => {
      expect(await spendSmsDay(plain.p, t, n, at)).toBe(true);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await plain.p.tx((t) => spendSmsDay(plain.p, t, n, at))).toBe(true);
    expect(await plain.p.tx((t) => spendSmsDay(plain.p, t, n, at))).toBe(true);
    expect(await plain.p.tx((t) => spendSmsDay(plain.p, t, n, at))).toBe(false); // cap 2
  });
});

describe('delivery receipts', () => {
  const URL_ = '/api/v1/channels/sms/receipts';
  const post = (env: TestEnv, raw: string, signature?: string) =>
    env.app.inject({ method: 'POST', url: URL_, headers: { 'content-type': 'application/json', ...(signature ? { 'x-gongkai-signature': signature } : {}) }, payload: raw });
  const receipts = [
    { id: 'b3f1c2d4-0000-4000-8000-000000000001', ref: 'prov-1', status: 'delivered', at: '2026-12-03T08:00:00Z' },
    { id: 'b3f1c2d4-0000-4000-8000-000000000002', ref: 'prov-2', status: 'failed', error: 'UNDELIV 空号', at: '2026-12-03T08:00:05+08:00' },
  ];

  it('signed receipts reach the listeners; the answer counts them', async () => {
    const seen: SmsReceipt[][] = [];
    const off = onSmsReceipt((p, r) => {
      expect(p).toBe(sms.p);
      seen.push(r);
    });
    try {
      const raw = JSON.stringify({ receipts });
      const r = await post(sms, raw, sign(SECRET, raw));
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ accepted: 2 });
      expect(seen).toEqual([receipts]);
      // None at all is fine.
      const empty = JSON.stringify({ receipts: [] });
      expect((await post(sms, empty, sign(SECRET, empty))).json()).toEqual({ accepted: 0 });
    } finally {
      off();
    }
  });

  it('unsigned, wrongly signed, tampered or expired → 401; nothing reaches the listeners', async () => {
    const seen: unknown[] = [];
    const off = onSmsReceipt((_p, r) => void seen.push(r));
    try {
      const raw = JSON.stringify({ receipts });
      const now = Math.floor(Date.now() / 1000);
      for (const [what, r] of [
        ['unsigned', await post(sms, raw)],
        ['other secret', await post(sms, raw, sign('another-secret-of-16+', raw))],
        ['tampered', await post(sms, raw.replace('prov-1', 'prov-9'), sign(SECRET, raw))],
        ['expired', await post(sms, raw, sign(SECRET, raw, now - 301))],
        ['garbage header', await post(sms, raw, 'v1=abc')],
        // A platform with no provider configured has no secret to check against.
        ['no provider', await post(plain, raw, sign(SECRET, raw))],
      ] as const) {
        expect(r.statusCode, what).toBe(401);
        expect(r.json().error.code, what).toBe('unauthorized');
      }
      expect(seen).toEqual([]);
    } finally {
      off();
    }
  });

  it('a bad body → 400 naming the field', async () => {
    const bad = async (body: unknown) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const r = await post(sms, raw, sign(SECRET, raw));
      expect(r.statusCode, raw.slice(0, 80)).toBe(400);
      return r.json().error;
    };
    expect((await bad({ receipts: [{ ...receipts[0], status: 'read' }] })).fields).toHaveProperty(['receipts.0.status']);
    const { at: _at, ...noAt } = receipts[0];
    expect((await bad({ receipts: [noAt] })).fields).toHaveProperty(['receipts.0.at']);
    expect((await bad({ receipts: [{ ...receipts[0], at: 'yesterday' }] })).fields).toHaveProperty(['receipts.0.at']);
    expect((await bad({ receipts: [{ ...receipts[0], id: 'a\u0000b' }] })).fields).toHaveProperty(['receipts.0.id']);
    expect((await bad({ receipts: Array.from({ length: 501 }, () => receipts[0]) })).fields).toHaveProperty(['receipts']);
    expect((await bad({})).fields).toHaveProperty(['receipts']);
    expect((await bad('{"receipts": [')).code).toBe('invalid_json');
  });
});
