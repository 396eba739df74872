// Query codes against guessing: one per-address budget shared by every route that checks a code
// (and by every app instance), a lock per tracking number after repeated wrong codes (from any
// address), 10-digit codes and random tracking numbers for new appeals (old 6-digit codes keep
// working), no way to tell an unknown number from a wrong code, Open311 showing the text only of
// what is public, and codes kept out of URLs and out of the access log.
import { createHash, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { makeEnv, form, type TestEnv } from '../helpers.js';
import { APPEAL, publicForm } from './util.js';
import { buildApp } from '../../src/app.js';
import { trackingNoFor, randomTrackingNo } from '../../src/modules/appeals/service.js';
import { transition } from '../../src/platform/publication/index.js';

const LIMIT = 8;
let env: TestEnv;
beforeAll(async () => {
  // Behind a proxy: the tests play clients at many addresses with X-Forwarded-For.
  env = await makeEnv({ env: { GONGKAI_APPEALS_LOOKUP_LIMIT: String(LIMIT) }, overrides: { trustProxy: true } });
});
afterAll(async () => {
  await env?.close();
});

let ips = 0;
/** A client address nobody used yet. */
const ip = () => `10.${(++ips >> 8) & 255}.${ips & 255}.7`;
/** A well-formed tracking number that no appeal has. */
const unknownNo = () => `SQ20200101${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const otherCode = (code: string) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');

async function submit(body: Record<string, unknown> = {}) {
  const r = await env.api('POST', '/api/v1/appeals', { body: { ...APPEAL, ...body }, headers: { 'x-forwarded-for': ip() } });
  expect(r.statusCode).toBe(201);
  return r.json() as { trackingNo: string; queryCode: string };
}

const lookup = (no: string, code: string, addr = ip()) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/lookup`, headers: { 'x-forwarded-for': addr }, payload: { code } });

async function trackPost(no: string, code: string, addr = ip()) {
  const f = await publicForm(env.app, '/appeals/track');
  return env.app.inject({ method: 'POST', url: '/appeals/track', headers: { 'x-forwarded-for': addr, cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, no, code }) });
}

/** The page without what differs between any two renderings (CSRF token, the number typed in). */
const pageText = (r: LightMyRequestResponse) => r.body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/SQ\d+/g, '');

describe('one budget for every route that checks a query code', () => {
  it('guessing across the routes exceeds the shared per-address budget: 429 whichever route comes next, on every instance', async () => {
    const addr = ip();
    const h = { 'x-forwarded-for': addr };
    const f = await publicForm(env.app); // any public form's CSRF cookie and token
    const html = { ...h, cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const code = '1234567890';
    const routes: [string, (no: string) => Promise<LightMyRequestResponse>][] = [
      ['GET api', (no) => env.app.inject({ method: 'GET', url: `/api/v1/appeals/${no}?code=${code}`, headers: h })],
      ['POST api lookup', (no) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/lookup`, headers: h, payload: { code } })],
      ['POST page', (no) => env.app.inject({ method: 'POST', url: '/appeals/track', headers: html, payload: form({ _csrf: f.csrf, no, code }) })],
      ['POST api rating', (no) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/rating`, headers: h, payload: { code, rating: 'satisfied' } })],
      ['POST api reopen', (no) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/reopen`, headers: h, payload: { code, reason: '不满意' } })],
      ['POST page rate', (no) => env.app.inject({ method: 'POST', url: '/appeals/track/rate', headers: html, payload: form({ _csrf: f.csrf, no, code, rating: 'satisfied' }) })],
      ['POST page reopen', (no) => env.app.inject({ method: 'POST', url: '/appeals/track/reopen', headers: html, payload: form({ _csrf: f.csrf, no, code, reason: '不满意' }) })],
    ];
    // Every guess on another (unknown) number, so only the address budget can stop them.
    for (let i = 0; i < LIMIT; i++) {
      const [name, send] = routes[i % routes.length];
      expect([name, (await send(unknownNo())).statusCode]).toEqual([name, 404]);
    }
    for (const [name, send] of routes) {
      const r = await send(unknownNo());
      expect([name, r.statusCode]).toEqual([name, 429]);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.body).toContain('查询过于频繁');
    }
    // Another address has its own budget.
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/appeals/${unknownNo()}?code=${code}`, headers: { 'x-forwarded-for': ip() } })).statusCode).toBe(404);
    // A second app instance on the same database spends the same budget.
    const other = await buildApp(env.p, { logger: false });
    try {
      await other.ready();
      const r = await other.inject({ method: 'POST', url: `/api/v1/appeals/${unknownNo()}/lookup`, headers: h, payload: { code } });
      expect(r.statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('a lock per tracking number', () => {
  it('after 5 wrong codes from different addresses the number is locked; the right code is refused (429, Retry-After) until the lock expires; the lock doubles', async () => {
    const { trackingNo: no, queryCode: code } = await submit();
    const wrong = otherCode(code);
    for (let i = 0; i < 5; i++) expect((await lookup(no, wrong)).statusCode).toBe(404);
    // Locked: even the right code, from yet another address, on every route.
    const locked = await lookup(no, code);
    expect(locked.statusCode).toBe(429);
    const wait = Number(locked.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(locked.json().error.message).toContain('即使输入正确的查询码也无法查询');
    const page = await trackPost(no, code);
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBeTruthy();
    expect(page.body).toContain('已暂时锁定');
    expect(page.body).not.toContain('appeal-history');
    const rate = await env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/rating`, headers: { 'x-forwarded-for': ip() }, payload: { code, rating: 'satisfied' } });
    expect(rate.statusCode).toBe(429);
    expect(Number(rate.headers['retry-after'])).toBeGreaterThan(0);
    // The lock runs out (moved into the past here rather than waited for): one more wrong code
    // locks it again, for twice as long.
    const expire = () => env.p.db.updateTable('appeal_code_failures').set({ locked_until_ms: Date.now() - 1000 }).where('tracking_no', '=', no).execute();
    await expire();
    expect((await lookup(no, wrong)).statusCode).toBe(404);
    const again = await lookup(no, code);
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(120);
    // After it: the right code works and clears the count.
    await expire();
    const ok = await lookup(no, code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().trackingNo).toBe(no);
    expect(await env.p.db.selectFrom('appeal_code_failures').selectAll().where('tracking_no', '=', no).executeTakeFirst()).toBeUndefined();
    expect((await lookup(no, wrong)).statusCode).toBe(404);
    expect((await lookup(no, code)).statusCode).toBe(200);
  });
});

describe('no existence oracle', () => {
  it('an unknown number and a wrong code get the same answer on every route, and lock the same way', async () => {
    const { trackingNo: real, queryCode: code } = await submit();
    const wrong = otherCode(code);
    const ghost = unknownNo();
    const same = async (send: (no: string) => Promise<LightMyRequestResponse>, text: (r: LightMyRequestResponse) => string = (r) => r.body) => {
      const a = await send(real);
      const b = await send(ghost);
      expect(a.statusCode).toBe(b.statusCode);
      expect(text(a)).toBe(text(b));
      return a;
    };
    const h = () => ({ 'x-forwarded-for': ip() });
    expect((await same((no) => env.app.inject({ method: 'GET', url: `/api/v1/appeals/${no}?code=${wrong}`, headers: h() }))).statusCode).toBe(404);
    expect((await same((no) => lookup(no, wrong))).statusCode).toBe(404);
    expect((await same((no) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/rating`, headers: h(), payload: { code: wrong, rating: 'satisfied' } }))).statusCode).toBe(404);
    expect((await same((no) => env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/reopen`, headers: h(), payload: { code: wrong, reason: '不满意' } }))).statusCode).toBe(404);
    expect((await same((no) => trackPost(no, wrong), pageText)).statusCode).toBe(404);
    // That was 5 wrong codes for each: both numbers are now locked alike.
    const locked = await same((no) => lookup(no, wrong), (r) => JSON.stringify(r.json()));
    expect(locked.statusCode).toBe(429);
  });
});

describe('codes and numbers of new appeals', () => {
  it('new appeals get 10-digit codes and random tracking numbers; an old 6-digit code still works', async () => {
    const made = [await submit(), await submit(), await submit()];
    for (const m of made) {
      expect(m.queryCode).toMatch(/^\d{10}$/);
      expect(m.trackingNo).toMatch(/^SQ\d{15}$/);
      const row = await env.p.db.selectFrom('appeals').select(['id']).where('tracking_no', '=', m.trackingNo).executeTakeFirstOrThrow();
      // Not the database id any more (one in ten million may match by chance; three cannot).
      expect(m.trackingNo.slice(-7)).not.toBe(String(row.id).padStart(7, '0'));
    }
    // Read out in groups, typed with spaces or hyphens: the same code.
    const c = made[0].queryCode;
    expect((await lookup(made[0].trackingNo, `${c.slice(0, 3)} ${c.slice(3, 7)}-${c.slice(7)}`)).statusCode).toBe(200);
    const tails = made.map((m) => Number(m.trackingNo.slice(-7)));
    expect(tails[1] - tails[0] === 1 && tails[2] - tails[1] === 1).toBe(false);
    // An appeal from before: sequential number, 6-digit code (stored as SHA-256 of number and code).
    const { trackingNo } = await submit();
    const row = await env.p.db.selectFrom('appeals').select(['id', 'created_at']).where('tracking_no', '=', trackingNo).executeTakeFirstOrThrow();
    const oldNo = trackingNoFor(row.id, row.created_at);
    await env.p.db.updateTable('appeals').set({ tracking_no: oldNo, code_hash: createHash('sha256').update(`${oldNo}\u0000042137`).digest('hex') }).where('id', '=', row.id).execute();
    const api = await lookup(oldNo, '042137');
    expect(api.statusCode).toBe(200);
    expect(api.json().trackingNo).toBe(oldNo);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/appeals/${oldNo}?code=042137`, headers: { 'x-forwarded-for': ip() } })).statusCode).toBe(200);
    const page = await trackPost(oldNo, '042137');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('appeal-history');
  });
});

describe('the date in a tracking number', () => {
  it('is the Asia/Shanghai date of submission, not the UTC one', () => {
    // 2026-12-02 04:12 in Beijing is still 2026-12-01 in UTC.
    expect(randomTrackingNo('2026-12-01T20:12:00.000Z')).toMatch(/^SQ20261202\d{7}$/);
    expect(trackingNoFor(42, '2026-12-01T20:12:00.000Z')).toBe('SQ202612020000042');
    expect(randomTrackingNo('2026-12-01T15:59:59.000Z')).toMatch(/^SQ20261201\d{7}$/);
  });
});

describe('bad input', () => {
  it('gets a 4xx naming the field, never a 5xx', async () => {
    const no = unknownNo();
    const bad = async (payload: unknown, field: string) => {
      const r = await env.app.inject({ method: 'POST', url: `/api/v1/appeals/${no}/lookup`, headers: { 'x-forwarded-for': ip() }, payload: payload as any });
      expect(r.statusCode).toBe(400);
      expect(Object.keys(r.json().error.fields ?? {})).toContain(field);
    };
    await bad({}, 'code');
    await bad({ code: 1234567890 }, 'code');
    await bad({ code: 'x'.repeat(21) }, 'code');
    await bad({ code: '1234567890', extra: 1 }, 'extra');
    const f = await publicForm(env.app, '/appeals/track');
    for (const payload of [form({ _csrf: f.csrf, no: ['SQ1', 'SQ2'], code: ['1', '2'] }), form({ _csrf: f.csrf }), form({ _csrf: f.csrf, no: 'x'.repeat(5000), code: '1'.repeat(5000) })]) {
      const r = await env.app.inject({ method: 'POST', url: '/appeals/track', headers: { 'x-forwarded-for': ip(), cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload });
      expect(r.statusCode).toBe(404);
    }
    expect((await env.app.inject({ method: 'GET', url: '/appeals/track?no[]=a&code[]=b' })).statusCode).toBeLessThan(500);
  });
});

describe('Open311 shows the text only of what is public', () => {
  it('a request that is not public shows its status fields and no text; withdrawn through the spine, its text leaves Open311', async () => {
    const hidden = await submit();
    const ghost = unknownNo();
    for (const fmt of ['json', 'xml']) {
      const a = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${hidden.trackingNo}.${fmt}` });
      const b = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${ghost}.${fmt}` });
      expect([a.statusCode, b.statusCode]).toEqual([200, 404]);
      expect(a.body).toContain(hidden.trackingNo);
      expect(a.body).toContain('已受理，待派单');
      expect(a.body).not.toContain(APPEAL.content);
      expect(a.body).not.toContain(APPEAL.title);
    }
    // Published, then its spine item withdrawn outside the appeals console (e.g. in the catalogue).
    const pub = await submit({ consent: true, type: 'consult', category: 'policy', title: '补贴申报', content: '请问小微企业补贴如何申报？' });
    const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', pub.trackingNo).executeTakeFirstOrThrow()).id;
    const act = (as: string, action: string, body: Record<string, unknown>) => env.api('POST', `/api/v1/staff/appeals/${id}/${action}`, { as, body });
    expect((await act('sqzx-editor', 'dispatch', { department: 'fgj' })).statusCode).toBe(204);
    expect((await act('fgj-editor', 'reply', { reply: '请关注官网通知。', resolved: true })).statusCode).toBe(204);
    expect((await act('sqzx-approver', 'reply-review', { approve: true })).statusCode).toBe(204);
    const draft = (await env.api('GET', `/api/v1/staff/appeals/${id}`, { as: 'sqzx-editor' })).json().masked;
    expect((await act('sqzx-editor', 'release', draft)).statusCode).toBe(204);
    const listed = async () => (await env.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })).json().find((r: any) => r.service_request_id === pub.trackingNo);
    const shown = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${pub.trackingNo}.json` });
    expect(shown.json()[0]).toMatchObject({ description: draft.content, status_notes: draft.reply });
    expect((await listed()).description).toBe(draft.content);
    const item = (await env.p.db.selectFrom('appeals').select('pub_item_id').where('id', '=', id).executeTakeFirstOrThrow()).pub_item_id!;
    await transition(env.p, 'system', item, 'withdraw', '撤回');
    const gone = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${pub.trackingNo}.json` });
    expect(gone.json()[0]).toMatchObject({ service_request_id: pub.trackingNo, description: null, media_url: null, status_notes: '已答复' });
    expect(gone.body).not.toContain('小微企业补贴');
    expect(gone.body).not.toContain('请关注官网通知');
    expect((await listed()).description).toBeNull();
  });
});

describe('the query code stays out of URLs and logs', () => {
  it('links back to a page (language, display preferences) drop secret parameters, so they never reach a Referer', async () => {
    const res = await env.app.inject({ url: '/appeals?code=4815162342&api_key=k-secret&page=1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/\/lang\/en\?back=/);
    expect(res.body).not.toContain('4815162342');
    expect(res.body).not.toContain('k-secret');
    expect(res.body).toContain(encodeURIComponent('/appeals?page=1'));
  });

  it('old links with ?code= lead to the form without the code; the access log redacts codes and API keys', async () => {
    const { trackingNo: no, queryCode: code } = await submit();
    const old = await env.app.inject({ method: 'GET', url: `/appeals/track?no=${no}&code=${code}` });
    expect(old.statusCode).toBe(303);
    expect(old.headers.location).toBe(`/appeals/track?no=${no}`);
    const formPage = await env.app.inject({ method: 'GET', url: String(old.headers.location) });
    expect(formPage.body).toContain('method="post" action="/appeals/track"');
    expect(formPage.body).toContain(`value="${no}"`);
    // Looking up and rating through the page answer with the page itself: no redirect carrying the code.
    const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/dispatch`, { as: 'sqzx-editor', body: { department: 'fgj' } })).statusCode).toBe(204);
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/reply`, { as: 'fgj-editor', body: { reply: '已处理。', resolved: true } })).statusCode).toBe(204);
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/reply-review`, { as: 'sqzx-approver', body: { approve: true } })).statusCode).toBe(204);
    const f = await publicForm(env.app, '/appeals/track');
    const headers = { 'x-forwarded-for': ip(), cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const shown = await env.app.inject({ method: 'POST', url: '/appeals/track', headers, payload: form({ _csrf: f.csrf, no, code }) });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('已处理。');
    const rated = await env.app.inject({ method: 'POST', url: '/appeals/track/rate', headers, payload: form({ _csrf: f.csrf, no, code, rating: 'satisfied' }) });
    expect(rated.statusCode).toBe(200);
    expect(rated.headers.location).toBeUndefined();
    expect(rated.body).toContain('感谢您的评价');
    const lines: string[] = [];
    const app = await buildApp(env.p, { logStream: { write: (l) => void lines.push(l) }, logLevel: 'info' });
    try {
      await app.ready();
      expect((await app.inject({ method: 'GET', url: `/api/v1/appeals/${no}?code=${code}`, headers: { 'x-forwarded-for': ip() } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/appeals/track?no=${no}&code=${code}` })).statusCode).toBe(303);
      await app.inject({ method: 'GET', url: `/open311/v2/requests.json?api_key=o311_secretkeyvalue&status=open` });
      const log = lines.join('');
      expect(log).toContain(`/api/v1/appeals/${no}?code=[REDACTED]`);
      expect(log).toContain('api_key=[REDACTED]&status=open');
      expect(log).not.toContain(code);
      expect(log).not.toContain('o311_secretkeyvalue');
    } finally {
      await app.close();
    }
  });
});
