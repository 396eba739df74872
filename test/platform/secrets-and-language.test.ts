// Issue 15 item 8: no secret in a URL (CSRF tokens and query codes travel in POST bodies: upload
// forms send the token as their first field), dates in Asia/Shanghai where shown or encoded, and
// the console's language fixed by the deployment (zh-CN by default) until the user switches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { APPEAL, publicForm } from '../appeals/util.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { shanghaiDate, shanghaiDateTime, shanghaiDayEnd, shanghaiDayStart, shanghaiYear } from '../../src/platform/dates.js';
import { publishApproved, defaultMeta } from '../../src/platform/publication/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });
/** Every URL of this site a page sends the browser to: links, form actions, button formactions, sources. */
const urls = (html: string) => [...html.matchAll(/\s(?:href|action|formaction|src)="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&')).filter((u) => !/^(https?:|mailto:|tel:)/.test(u));


describe('no secret in a URL', () => {
  it('no rendered page (public, console, the citizen\'s appeal page) puts a CSRF token or a query code in a URL', async () => {
    const admin = await login(env.app, 'admin');
    const draft = await env.api('POST', '/api/v1/documents', { as: 'admin', body: { title: '附件测试', department: 'dzb', topic: '0203', genre: '通知', writtenAt: '2026-03-02', body: '<p>正文</p>' } });
    expect(draft.statusCode).toBe(201);
    const pages: [string, Record<string, string>][] = [
      ...['/', '/appeals/new', '/catalog', '/catalog/interpretations', '/catalog/disclosure-guide', '/contact', '/sitemap', '/appeals', '/appeals/track', '/lists', '/calendar', '/search?q=%E5%85%AC%E5%BC%80', '/admin/login'].map((u) => [u, {}] as [string, Record<string, string>]),
      ...['/admin', '/admin/catalog', '/admin/catalog/new', `/admin/catalog/${draft.json().id}`, '/admin/catalog/import', '/admin/catalog/portal', '/admin/calendar/import', '/admin/lists', '/admin/lists/policies', '/admin/government', '/admin/account', '/admin/audit', '/admin/appeals', '/admin/users'].map((u) => [u, { cookie: admin.cookie }] as [string, Record<string, string>]),
    ];
    const forms: string[] = [];
    for (const [url, headers] of pages) {
      const r = await get(url, headers);
      expect(r.statusCode, url).toBeLessThan(400);
      if (r.body.includes('name="_csrf"')) forms.push(url);
      for (const u of urls(r.body)) expect(u, `${url} → ${u}`).not.toMatch(/[?&](_csrf|csrf|code)=/i);
    }
    // the check saw forms, upload forms among them
    expect(forms).toEqual(expect.arrayContaining(['/appeals/new', '/admin/catalog/import', '/admin/calendar/import', `/admin/catalog/${draft.json().id}`, '/admin/lists']));

    // The citizen's page after the look-up: the code is in hidden POST fields only, never in a URL.
    const made = await env.api('POST', '/api/v1/appeals', { body: APPEAL });
    const { trackingNo, queryCode } = made.json();
    const f = await publicForm(env.app, '/appeals/track');
    const page = await env.app.inject({ method: 'POST', url: '/appeals/track', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, no: trackingNo, code: queryCode }) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(trackingNo);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const u of urls(page.body)) expect(u).not.toContain(queryCode);
  });


  it('an upload form sends its token as the first field; without it, or after the file, the upload is refused with nothing imported', async () => {
    const { cookie } = await login(env.app, 'dzb-admin');
    const page = await get('/admin/catalog/import', { cookie });
    expect(page.body).toMatch(/<form method="post" action="\/admin\/catalog\/import" enctype="multipart\/form-data"><input type="hidden" name="_csrf"/);
    const csrf = csrfFrom(page.body);
    const csv = Buffer.from('title,department,topic,genre,writtenAt,publishedAt,body\r\n令牌测试,dzb,0203,通知,2026-01-20,2026-01-21,正文\r\n');
    const b = '----gk-csrf';
    const field = (k: string, v: string) => Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const file = Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`), csv, Buffer.from('\r\n')]);
    const end = Buffer.from(`--${b}--\r\n`);
    const post = (...parts: Buffer[]) => env.app.inject({ method: 'POST', url: '/admin/catalog/import', headers: { cookie, 'content-type': `multipart/form-data; boundary=${b}` }, payload: Buffer.concat([...parts, end]) });
    const imported = () => env.p.db.selectFrom('pub_items').select('id').where('title', '=', '令牌测试').execute();

    expect((await post(file)).statusCode).toBe(403);
    expect((await post(file, field('_csrf', csrf))).statusCode).toBe(403);
    expect((await post(field('_csrf', 'forged'), file)).statusCode).toBe(403);
    expect(await imported()).toHaveLength(0);
    const ok = await post(field('_csrf', csrf), file);
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(200);
    expect(await imported()).toHaveLength(1);
  });

  it('a route that does not read an upload gets no such leeway: a multipart post without a token is refused', async () => {
    const { cookie } = await login(env.app, 'admin');
    const b = '----gk-x';
    const r = await env.app.inject({ method: 'POST', url: '/admin/catalog/portal', headers: { cookie, 'content-type': `multipart/form-data; boundary=${b}` }, payload: `--${b}\r\nContent-Disposition: form-data; name="rules"\r\n\r\nforged\r\n--${b}--\r\n` });
    expect(r.statusCode).toBe(403);
  });
});

describe('dates in Asia/Shanghai', () => {
  it('a stored moment shows as its Beijing date and time, whatever the UTC date', () => {
    expect(shanghaiDate('2026-12-01T20:12:00.000Z')).toBe('2026-12-02');
    expect(shanghaiDate('2026-12-01T15:59:59.000Z')).toBe('2026-12-01');
    expect(shanghaiDate('2026-12-01')).toBe('2026-12-01'); // a date stays itself
    expect(shanghaiDate(null)).toBe('');
    expect(shanghaiDateTime('2026-12-31T17:05:00.000Z')).toBe('2027-01-01 01:05');
    expect(shanghaiDateTime('2026-12-31T17:05:09.000Z', true)).toBe('2027-01-01 01:05:09');
    expect(shanghaiYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
    expect(shanghaiDayStart('2027-01-01')).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiDayEnd('2027-01-01')).toBe('2027-01-01T16:00:00.000Z');
  });

  it('an item published at 01:00 Beijing time on New Year\'s Day carries the new year in its 索引号 and shows that day', async () => {
    const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    const at = new Date('2026-12-31T17:00:00.000Z');
    const { id } = await env.p.tx((t) =>
      publishApproved(env.p, t, 'system', { type: 'document', departmentId: dept.id, meta: defaultMeta({ title: '元旦凌晨发布的通知', topic: '0203', genre: '通知', writtenAt: '2026-12-31' }), data: { body: '<p>正文</p>', attachments: [], related: [] }, publishedAt: at }, { deliver: false }),
    );
    const item = await env.p.db.selectFrom('pub_items').select('index_no').where('id', '=', id).executeTakeFirstOrThrow();
    expect(item.index_no).toMatch(/\/2027-\d{5}$/);
    const page = await get(`/catalog/items/${id}`);
    expect(page.body).toContain('<td>2027-01-01</td>');
    expect(page.body).not.toContain('2026-12-31T');
    // The catalog API's published-date filter takes Beijing days.
    const api = (d: string) => env.api('GET', `/api/v1/documents?publishedFrom=${d}&publishedTo=${d}&q=${encodeURIComponent('元旦凌晨')}`);
    expect((await api('2027-01-01')).json().total).toBe(1);
    expect((await api('2026-12-31')).json().total).toBe(0);
  });
});

describe("the console's language", () => {
  it('the console speaks zh-CN whatever the browser asks, until the user switches; the portal follows the browser', async () => {
    const en = { 'accept-language': 'en-US,en;q=0.9' };
    const login = await get('/admin/login', en);
    expect(login.body).toContain('<html lang="zh-CN">');
    expect((await get('/admin/login', { ...en, cookie: 'gk_lang=en' })).body).toContain('<html lang="en">');
    // the switch is kept on console pages
    expect(login.body).toContain('href="/lang/en?back=%2Fadmin%2Flogin"');
    expect((await get('/catalog', en)).body).toContain('<html lang="en">');
    expect((await env.api('GET', '/api/v1/documents?year=abc', { headers: en })).body).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('GONGKAI_CONSOLE_LANG: zh-CN (default), en, or browser; anything else stops the start', async () => {
    expect(loadConfig({}, { dataDir: env.dataDir }).consoleLang).toBe('zh-CN');
    expect(loadConfig({ GONGKAI_CONSOLE_LANG: 'browser' }, { dataDir: env.dataDir }).consoleLang).toBe('browser');
    expect(() => loadConfig({ GONGKAI_CONSOLE_LANG: 'fr' }, { dataDir: env.dataDir })).toThrow(ConfigError);
    const other = await makeEnv({ demo: false, env: { GONGKAI_CONSOLE_LANG: 'browser' } });
    try {
      expect((await other.app.inject({ url: '/admin/login', headers: { 'accept-language': 'en' } })).body).toContain('<html lang="en">');
      expect((await other.app.inject({ url: '/admin/login' })).body).toContain('<html lang="zh-CN">');
    } finally {
      await other.close();
    }
  });
});
