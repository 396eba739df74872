// Hostile input on every route: control characters (NUL above all — PostgreSQL refuses it in
// text), bidi overrides, integers beyond the database's integer column, non-finite numbers and
// very long strings, in path parameters, query strings, JSON bodies and HTML forms, signed in as
// the demo admin and anonymously. Nothing may answer 5xx; control characters are a 400 naming
// the field; an id that cannot exist is a 404. One server for the whole sweep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, form, type TestEnv } from '../helpers.js';
import { registeredRoutes } from '../../src/platform/http/auth.js';

let env: TestEnv;
let token: string;
let session: { cookie: string; csrf: string };
const defaults: Record<string, string> = {};

beforeAll(async () => {
  // Rate limits high enough for the sweep: a 429 would hide what the handler does.
  env = await makeEnv({ env: { GONGKAI_APPEALS_RATE_LIMIT: '100000', GONGKAI_APPEALS_LOOKUP_LIMIT: '100000', GONGKAI_LISTS_RATE_LIMIT: '100000', GONGKAI_REQUESTS_RATE_LIMIT: '100000' } });
  token = await env.token('admin');
  session = await login(env.app, 'admin');
  const db = env.p.db;
  const first = async (table: string, col: string, where?: [string, string, unknown]) => {
    let q = (db as any).selectFrom(table).select(col).orderBy('id');
    if (where) q = q.where(...where);
    const row = await q.limit(1).executeTakeFirst();
    return row ? String(row[col]) : '1';
  };
  defaults.item = await first('pub_items', 'id', ['public', '=', 1]);
  defaults.policy = await first('pub_items', 'id', ['type', '=', 'policy']);
  defaults.clock = await first('clocks', 'id');
  defaults.appeal = await first('appeals', 'id');
  defaults.trackingNo = await first('appeals', 'tracking_no');
  defaults.list = await first('lists', 'id');
  defaults.listType = await first('lists', 'type', ['id', '=', Number(defaults.list)]);
  defaults.edition = await first('list_editions', 'id');
  defaults.itemKey = await first('list_items', 'item_key', ['list_id', '=', Number(defaults.list)]);
  defaults.guide = await first('list_items', 'item_key', ['type', '=', 'service-guide']);
  defaults.rule = await first('deadline_rules', 'code');
  defaults.category = await first('appeal_categories', 'code');
}, 120_000);
afterAll(async () => env?.close());

const NUL = 'a\u0000b';
const BIG = '99999999999';
/** Values sent in every parameter and field, one at a time. */
const HOSTILE = [NUL, '\u009b', BIG, '-1', '1e309', '\u202e', 'x'.repeat(5000)];
/** Anonymous callers get the shorter list (staff routes stop them at the gate anyway). */
const HOSTILE_ANONYMOUS = [NUL, BIG, '1e309'];
const isControl = (v: string) => /[\u0000-\u001f\u007f-\u009f]/.test(v);

/** A valid-looking value for a path parameter of a route. */
function pathDefault(url: string, name: string): string {
  switch (name) {
    case 'username':
      return 'dzb-editor';
    case 'year':
      return '2026';
    case 'date':
      return '2026-10-01';
    case 'fmt':
      return url.includes('export') ? 'json' : 'atom';
    case 'locale':
      return 'en';
    case 'type':
      return defaults.listType;
    case 'key':
      return url.includes('service-guide') ? defaults.guide : defaults.itemKey;
    case 'a':
    case 'b':
      return defaults.edition;
    case 'v':
      return '1';
    case 'n':
      return '0';
    case 'hash':
      return 'abc';
    case 'part':
      return '1';
    case 'trackingNo':
      return defaults.trackingNo;
    case 'action':
      return 'note';
    case 'op':
      return 'delete';
    case 'code':
      if (url.includes('deadline-rules')) return defaults.rule;
      if (url.includes('service-guides')) return defaults.guide;
      if (url.includes('open311')) return defaults.category;
      return 'dzb';
    // The decisions module's ids (consultation, article, group, hearing, comment): numeric, so a poisoned body or query is what answers.
    case 'cid':
    case 'aid':
    case 'gid':
    case 'hid':
      return '1';
    case 'id':
      if (url.includes('open311')) return defaults.trackingNo;
      if (url.includes('appeals')) return defaults.appeal;
      if (url.includes('clocks')) return defaults.clock;
      if (url.includes('editions')) return defaults.edition;
      if (url.includes('policies')) return defaults.policy;
      if (url.includes('lists')) return defaults.list;
      if (url.includes('catalog') || url.includes('documents')) return defaults.item;
      return '1';
  }
  return 'x';
}

/** Fills the path template (`{id}` or `:id`) with defaults, one parameter replaced. */
function fillPath(url: string, poison?: { name: string; value: string }): string {
  return url.replace(/\{(\w+)\}|:(\w+)/g, (_m, a, b) => {
    const name = a ?? b;
    return encodeURIComponent(poison && poison.name === name ? poison.value : pathDefault(url, name));
  });
}
const paramsOf = (url: string) => [...url.matchAll(/\{(\w+)\}|:(\w+)/g)].map((m) => m[1] ?? m[2]);

/** A minimal valid instance of a JSON schema (required properties only). */
function sample(s: any): unknown {
  if (!s) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) return sample((s.anyOf ?? s.oneOf)[0]);
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = sample(s.properties?.[k]);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'date') return '2026-10-09';
      if (s.format === 'date-time') return '2026-10-09T00:00:00Z';
      if (s.format === 'email') return 'a@example.com';
      const fits = (v: string) => (!s.pattern || new RegExp(s.pattern, 'u').test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
      return ['测试标题', 'hostile-user', 'Strong-pass-2026', 'dzb', '2026-10-09', '13800000000', '000000', '1'].find(fits) ?? '测试'.padEnd(Math.max(2, s.minLength ?? 0), '测');
    }
  }
  return null;
}

/** Every scalar field of a body schema (top level and one level down), as dotted paths. */
function leaves(s: any, prefix = '', depth = 0): { path: string; type: string }[] {
  if (!s || depth > 1) return [];
  if (s.type === 'object' && s.properties) return Object.entries(s.properties).flatMap(([k, v]: [string, any]) => (v.type === 'object' || v.type === 'array' ? leaves(v.type === 'array' ? v.items : v, v.type === 'array' ? `${prefix}${k}.0.` : `${prefix}${k}.`, depth + 1) : [{ path: `${prefix}${k}`, type: v.type ?? 'string' }]));
  if (s.type === 'object') return [];
  return prefix ? [{ path: prefix.replace(/\.$/, ''), type: s.type ?? 'string' }] : [];
}

function setPath(obj: any, path: string, value: unknown): any {
  const copy = structuredClone(obj ?? {});
  const keys = path.split('.');
  let o = copy;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    const next = keys[i + 1];
    if (o[k] === undefined || o[k] === null || typeof o[k] !== 'object') o[k] = /^\d+$/.test(next) ? [] : {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = value;
  return copy;
}

const fails: string[] = [];
type Answer = { statusCode: number; body: string; headers: Record<string, any> };
/** Whether a route (`{id}` or `:id` template) needs a signed-in caller. */
function isStaff(method: string, path: string): boolean {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  const route = registeredRoutes.find((r) => r.method === method.toUpperCase() && r.url === url);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route.permission !== 'public';
}
/** No 5xx; with `want`, that status; with `field`, a 400 must name that field. */
function check(what: string, r: Answer, field?: string, want?: number) {
  if (r.statusCode >= 500) return void fails.push(`${r.statusCode} ${what}`);
  // The safety net for values PostgreSQL refuses must never be what answered.
  if (r.body.includes('"invalid_value"') || r.body.includes('请求中含有无法处理的取值')) return void fails.push(`database refused a value (invalid_value): ${what}`);
  if (want !== undefined && r.statusCode !== want) return void fails.push(`${r.statusCode} (want ${want}) ${what}`);
  if (field !== undefined && r.statusCode === 400 && !namesField(r, field)) fails.push(`400 without naming ${JSON.stringify(field)}: ${what}`);
}
const checkOne = check;
function namesField(r: { body: string; headers: Record<string, any> }, field: string): boolean {
  const ct = String(r.headers['content-type'] ?? '');
  if (ct.includes('json')) {
    try {
      const j = JSON.parse(r.body);
      if (j?.error?.fields) return field in j.error.fields;
      if (Array.isArray(j)) return j.some((e) => String(e?.description ?? '').includes(field)); // Open311 errors: [{"code":400,"description":"…: field — …"}]
      return JSON.stringify(j).includes(field);
    } catch {
      return false;
    }
  }
  const esc = field.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return r.body.includes(`${esc}: `) || r.body.includes(`${esc} — `) || new RegExp(`name="${esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="${esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(r.body);
}
const show = (v: string) => JSON.stringify(v.length > 20 ? v.slice(0, 8) + `…(${v.length})` : v).replace(/[\u007f-\u009f\u202a-\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const count = async (table: 'pub_items' | 'appeals') => Number((await env.p.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const DOC = { department: 'dzb', title: '关于做好值班工作的通知', topic: '0201', genre: '通知', writtenAt: '2026-01-20', body: '<p>各部门：请做好值班。</p>' };

describe('the reported cases', () => {
  it('NUL in a query string, JSON title or Open311 field → 400 naming the field, in both languages; nothing is written', async () => {
    const q = await env.app.inject('/api/v1/documents?q=a%00b');
    expect(q.statusCode).toBe(400);
    expect(q.json().error).toMatchObject({ code: 'validation', fields: { q: '不能包含控制字符（如 NUL）。' } });
    const en = await env.app.inject({ url: '/api/v1/documents?q=a%00b', headers: { 'accept-language': 'en' } });
    expect(en.json().error.fields.q).toBe('Must not contain control characters (such as NUL).');
    const page = await env.app.inject('/catalog?q=%00');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<li>q: 不能包含控制字符');

    const before = await count('pub_items');
    const title = await env.api('POST', '/api/v1/documents', { as: 'admin', body: { ...DOC, title: '通知\u0000' } });
    expect(title.statusCode).toBe(400);
    expect(Object.keys(title.json().error.fields)).toEqual(['title']);
    const nested = await env.api('POST', '/api/v1/documents', { as: 'admin', body: { ...DOC, keywords: ['值班', 'a\u0001'] } });
    expect(nested.json().error.fields).toEqual({ 'keywords.1': '不能包含控制字符（如 NUL）。' });
    expect(await count('pub_items')).toBe(before);

    const o311 = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: 'o311_x', service_code: '\u0000' }) });
    expect(o311.statusCode).toBe(400);
    expect(o311.json()[0].description).toContain('service_code');
    const o311q = await env.app.inject('/open311/v2/requests.json?service_code=%00');
    expect(o311q.statusCode).toBe(400);
  });

  it('ids beyond the integer column → 404 in a path, 400 naming the parameter in a query string', async () => {
    for (const url of ['/api/v1/documents/99999999999', '/catalog/items/99999999999', '/api/v1/lists/power/lists/99999999999/editions', '/api/v1/calendar/99999999999', '/lists/published/99999999999', '/admin/lists/editions/99999999999']) {
      const r = await env.app.inject({ url, headers: { cookie: session.cookie } });
      expect(r.statusCode, url).toBe(404);
    }
    const page = await env.api('GET', '/api/v1/users?page=99999999999', { as: 'admin' });
    expect(page.statusCode).toBe(400);
    expect(page.json().error.fields.page).toMatch(/^不能大于 \d+。$/);
    const list = await env.app.inject(`/api/v1/lists/power/items?list=99999999999`);
    expect(list.statusCode).toBe(400);
    expect(list.json().error.fields.list).toBeDefined();
  });

  it('bidi overrides are stripped from titles and names, however they arrive; control characters in uploaded files too', async () => {
    const rlo = '\u202e';
    const doc = await env.api('POST', '/api/v1/documents', { as: 'admin', body: { ...DOC, title: `${rlo}exe.关于值班的通知\u2066甲\u2069`, keywords: [`值${rlo}班`] } });
    expect(doc.statusCode).toBe(201);
    const row = await env.p.db.selectFrom('pub_items').select(['id', 'title']).where('id', '=', doc.json().id).executeTakeFirstOrThrow();
    expect(row.title).toBe('exe.关于值班的通知甲');

    const page = await env.app.inject({ url: '/admin/catalog/new', headers: { cookie: session.cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const posted = await env.app.inject({ method: 'POST', url: '/admin/catalog/new', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...DOC, _csrf: csrf, title: `表单${rlo}标题` }) });
    expect(posted.statusCode).toBe(303);
    const formRow = await env.p.db.selectFrom('pub_items').select('title').where('id', '=', Number(/\/admin\/catalog\/(\d+)/.exec(String(posted.headers.location))![1])).executeTakeFirstOrThrow();
    expect(formRow.title).toBe('表单标题');

    const appeal = await env.api('POST', '/api/v1/appeals', { body: { type: 'complaint', category: defaults.category, title: `噪音${rlo}扰民`, content: '夜间施工噪音扰民。\n\t已多次反映。', address: '幸福路12号', consent: true } });
    expect(appeal.statusCode).toBe(201);
    const a = await env.p.db.selectFrom('appeals').select(['title', 'content']).where('tracking_no', '=', appeal.json().trackingNo).executeTakeFirstOrThrow();
    expect(a.title).toBe('噪音扰民');
    expect(a.content).toBe('夜间施工噪音扰民。\n\t已多次反映。'); // tab and line break kept in multi-line text

    const user = await env.api('POST', '/api/v1/users', { as: 'admin', body: { username: 'bidi-user', password: 'Strong-pass-2026', displayName: `张${rlo}三`, department: 'dzb', roles: ['editor'] } });
    expect(user.statusCode).toBe(201);
    expect((await env.p.db.selectFrom('users').select('display_name').where('username', '=', 'bidi-user').executeTakeFirstOrThrow()).display_name).toBe('张三');

    // A CSV file is not a request field: its cells are cleaned when it is read.
    const csv = ['title,department,topic,genre,writtenAt,publishedAt,body', `"导入\u0000的${rlo}标题",dzb,0201,通知,2026-01-20,2026-01-21,"第一段。\r\n第二段。"`].join('\r\n');
    const good = upload('catalog.csv', csv);
    const imp = await env.app.inject({ method: 'POST', url: `/admin/catalog/import?_csrf=${encodeURIComponent(csrf)}`, headers: { cookie: session.cookie, 'content-type': good.type }, payload: good.payload });
    expect(imp.statusCode, imp.body.slice(0, 500)).toBe(200);
    expect(await env.p.db.selectFrom('pub_items').select('id').where('title', '=', '导入的标题').executeTakeFirst()).toBeDefined();

    // A file name comes from the sender's system, not from typing: its control characters are
    // dropped (the import goes through), never stored or shown.
    const odd = upload('a\u0001.csv', csv.replace('导入', '再导入'));
    const r = await env.app.inject({ method: 'POST', url: `/admin/catalog/import?_csrf=${encodeURIComponent(csrf)}`, headers: { cookie: session.cookie, 'content-type': odd.type }, payload: odd.payload });
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    expect(r.body).not.toContain('\u0001');
    // A truncated upload is the sender's fault.
    const cut = good.payload.subarray(0, good.payload.length - 20);
    const truncated = await env.app.inject({ method: 'POST', url: `/admin/catalog/import?_csrf=${encodeURIComponent(csrf)}`, headers: { cookie: session.cookie, 'content-type': good.type }, payload: cut });
    expect(truncated.statusCode).toBe(400);
  });

  it('two other 500s the form sweep found: a publish time that is not a date; a blank note on a follow-up already called back', async () => {
    const page = await env.app.inject({ url: '/admin/catalog/new', headers: { cookie: session.cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const post = (url: string, data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...data, _csrf: csrf }) });
    const when = await post('/admin/catalog/new', { ...DOC, publishAt: 'soon' });
    expect(when.statusCode).toBe(400);
    expect(when.body).toMatch(/name="publishAt"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="publishAt"/);
    const f = await env.p.db.selectFrom('list_followups').select('id').where('fixed_at', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    expect((await post(`/admin/lists/followups/${f.id}`, { callbackNote: '已电话回访。' })).statusCode).toBe(303);
    expect((await post(`/admin/lists/followups/${f.id}`, { callbackNote: ' ' })).statusCode).toBe(303);
  });

  it('legitimate text still passes: line breaks and tabs in bodies and multi-line query values, CSV text in JSON', async () => {
    const similar = await env.app.inject('/api/v1/appeals/similar?title=%E5%99%AA%E9%9F%B3&content=%E7%AC%AC%E4%B8%80%E8%A1%8C%0A%09%E7%AC%AC%E4%BA%8C%E8%A1%8C');
    expect(similar.statusCode).toBe(200);
    const search = await env.app.inject('/api/v1/search?q=%E5%80%BC%E7%8F%AD%20%E9%80%9A%E7%9F%A5');
    expect(search.statusCode).toBe(200);
    const body = await env.api('POST', '/api/v1/documents', { as: 'admin', body: { ...DOC, body: '<p>第一段\t缩进</p>\r\n<p>第二段</p>\n', summary: '摘要第一行\n摘要第二行' } });
    expect(body.statusCode).toBe(201);
    const cal = await env.api('POST', '/api/v1/calendar/import', { as: 'admin', body: { text: 'date,kind,name\r\n2027-01-01,holiday,元旦\r\n', format: 'csv', dryRun: true } });
    expect(cal.statusCode).toBe(200);
  });
});

function upload(name: string, text: string) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const payload = Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(text), Buffer.from(`\r\n--${b}--\r\n`)]);
  return { payload, type: `multipart/form-data; boundary=${b}` };
}

describe('every API route of the OpenAPI document', () => {
  it('answers hostile path, query and body values without a 5xx; control characters → 400 naming the field', async () => {
    const doc = (await env.app.inject('/api/openapi.json')).json();
    let sent = 0;
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const params: any[] = op.parameters ?? [];
        const query = params.filter((x) => x.in === 'query');
        const schema = op.requestBody?.content?.['application/json']?.schema;
        const body = schema ? sample(schema) : undefined;
        if (path === '/api/v1/users' && body) Object.assign(body, { department: 'dzb', roles: ['editor'] });
        const send = async (url: string, payload: unknown, as: 'admin' | null) => {
          sent++;
          return env.app.inject({
            method: method.toUpperCase() as any,
            url,
            headers: { ...(as ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
          });
        };
        for (const as of ['admin', null] as const) {
          // Anonymous on a staff route: the gate answers 401 before any parameter or body is looked at.
          const check = as === null && isStaff(method, path) ? (what: string, r: Answer) => checkOne(what, r, undefined, 401) : checkOne;
          for (const value of as ? HOSTILE : HOSTILE_ANONYMOUS) {
            for (const name of paramsOf(path)) {
              const r = await send(fillPath(path, { name, value }), body, as);
              const what = `${method.toUpperCase()} ${path} path ${name}=${show(value)} as ${as ?? 'anonymous'}`;
              if (isControl(value)) check(what, r, name, 400);
              else if (value === BIG && /^(id|a|b|v|year)$/.test(name)) check(what, r, undefined, 404);
              else check(what, r);
            }
            for (const q of query) {
              const r = await send(`${fillPath(path)}?${encodeURIComponent(q.name)}=${encodeURIComponent(value)}`, body, as);
              const what = `${method.toUpperCase()} ${path} ?${q.name}=${show(value)} as ${as ?? 'anonymous'}`;
              if (isControl(value)) check(what, r, q.name, 400);
              else check(what, r, q.schema?.type === 'integer' || q.schema?.type === 'number' ? q.name : undefined);
            }
            if (schema && as === 'admin') {
              for (const leaf of leaves(schema)) {
                const numeric = leaf.type === 'integer' || leaf.type === 'number';
                // Strings get every value but the numeric spellings; numbers get numbers (1e309: below).
                if (numeric ? ![NUL, BIG, '-1'].includes(value) : ['-1', '1e309'].includes(value)) continue;
                const v = numeric ? (value === BIG ? 99999999999 : value === '-1' ? -1 : value) : value;
                const r = await send(fillPath(path), setPath(body, leaf.path, v), as);
                const what = `${method.toUpperCase()} ${path} body ${leaf.path}=${show(String(value))}`;
                if (isControl(value)) check(what, r, leaf.path, 400);
                else check(what, r, numeric ? leaf.path : undefined);
              }
            }
          }
          // Control characters in query parameter names are refused as well.
          const r = await send(`${fillPath(path)}?a%00b=1`, body, as);
          check(`${method.toUpperCase()} ${path} ?a%00b=1`, r, 'a\\u0000b', 400);
        }
        // A JSON number too large for a double arrives as Infinity.
        for (const leaf of schema ? leaves(schema).filter((l) => l.type === 'integer' || l.type === 'number') : []) {
          const raw = JSON.stringify(setPath(body, leaf.path, 424242)).replace('424242', '1e309');
          sent++;
          const r = await env.app.inject({ method: method.toUpperCase() as any, url: fillPath(path), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: raw });
          check(`${method.toUpperCase()} ${path} body ${leaf.path}=1e309`, r, leaf.path);
        }
      }
    }
    expect(fails, fails.join('\n')).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 120_000);
});

describe('every HTML and Open311 route', () => {
  const pages = () => registeredRoutes.filter((r) => !r.url.startsWith('/api/') && !r.url.startsWith('/static') && r.method === 'GET' && !['/metrics', '/healthz', '/readyz'].includes(r.url));

  it('GET with hostile query strings and path parameters: no 5xx, control characters → 400 naming the field, impossible ids → 404', async () => {
    fails.length = 0;
    const seen = new Set<string>();
    for (const route of pages()) {
      if (seen.has(route.url)) continue;
      seen.add(route.url);
      for (const cookie of [session.cookie, undefined]) {
        const headers = cookie ? { cookie } : {};
        const who = cookie ? 'admin' : 'anonymous';
        // Anonymous on a console page: sent to the login page before any parameter is looked at.
        const check = !cookie && isStaff('GET', route.url) ? (what: string, r: Answer) => checkOne(what, r, undefined, 302) : checkOne;
        const base = fillPath(route.url);
        const get = (url: string) => env.app.inject({ method: 'GET', url, headers });
        check(`GET ${base}?q=%00 as ${who}`, await get(`${base}?q=%00`), 'q', 400);
        check(`GET ${base}?page=${BIG} as ${who}`, await get(`${base}?page=${BIG}&pageSize=${BIG}&a=${BIG}&b=${BIG}&v=${BIG}&item=${BIG}&list=${BIG}&edition=${BIG}&year=${BIG}&id=${BIG}`));
        check(`GET ${base}?page=-1 as ${who}`, await get(`${base}?page=-1&a=-1&b=-1&v=-1&item=-1&list=-1&edition=-1&year=-1&id=-1&lat=1e309&lng=-1e309`));
        check(`GET ${base}?q=…long as ${who}`, await get(`${base}?q=${'x'.repeat(5000)}&department=%E2%80%AE`));
        for (const name of paramsOf(route.url)) {
          for (const value of [NUL, BIG, '-1', '1e309', 'abc']) {
            const r = await get(fillPath(route.url, { name, value }));
            const what = `GET ${route.url} ${name}=${show(value)} as ${who}`;
            if (isControl(value)) check(what, r, name, 400);
            else if (value === BIG && cookie && /^(id|a|b|v|year)$/.test(name) && !route.url.startsWith('/open311')) check(what, r, undefined, 404);
            else check(what, r);
          }
        }
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(fails, fails.join('\n')).toEqual([]);
  }, 120_000);

  it('every form of the site, posted with one hostile field at a time: no 5xx, control characters → 400 naming the field', async () => {
    fails.length = 0;
    // Collect the forms the pages render (signed in as admin, and the public ones).
    const forms = new Map<string, { action: string; multipart: boolean; fields: Record<string, string>; numeric: Set<string> }>();
    for (const route of pages()) {
      if (route.url.startsWith('/open311') || route.url.includes('.')) continue;
      const r = await env.app.inject({ method: 'GET', url: fillPath(route.url), headers: { cookie: session.cookie } });
      for (const m of r.body.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
        const attrs = m[1];
        if (!/method="post"/i.test(attrs)) continue;
        const action = decode(/action="([^"]*)"/.exec(attrs)?.[1] ?? route.url);
        const key = action.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/N');
        // Never sign the sweep out, change the admin's own account or lock anyone out.
        if (/logout|\/admin\/account|\/activate|\/deactivate|\/password|\/login/.test(key) || forms.has(key)) continue;
        const fields: Record<string, string> = {};
        const numeric = new Set<string>();
        for (const i of m[2].matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
          const name = /name="([^"]*)"/.exec(i[2])?.[1];
          if (!name || name === '_csrf' || name in fields) continue;
          const type = /type="([^"]*)"/.exec(i[2])?.[1] ?? 'text';
          if (['checkbox', 'radio', 'file', 'submit'].includes(type)) continue;
          fields[decode(name)] = decode(/value="([^"]*)"/.exec(i[2])?.[1] ?? '');
          if (type === 'number' || /^\d+$/.test(fields[decode(name)])) numeric.add(decode(name));
        }
        forms.set(key, { action, multipart: /multipart/.test(attrs), fields, numeric });
      }
    }
    expect(forms.size).toBeGreaterThan(20);
    let sent = 0;
    for (const [key, f] of forms) {
      const names = Object.keys(f.fields).length ? Object.keys(f.fields) : ['title'];
      for (const name of names) {
        for (const value of isNumericish(name, f.numeric) ? [NUL, '\u009b', BIG, '-1', '1e309'] : [NUL, '\u000b']) {
          // The token first, as the form renders it (an upload form's token is its first field).
          const data = { _csrf: session.csrf, ...f.fields, [name]: value };
          sent++;
          const body = f.multipart ? multipart(data) : { payload: form(data), type: 'application/x-www-form-urlencoded' };
          const r = await env.app.inject({ method: 'POST', url: f.action, headers: { cookie: session.cookie, 'content-type': body.type }, payload: body.payload });
          const what = `POST ${key} ${f.multipart ? '(multipart) ' : ''}${name}=${show(value)}`;
          if (isControl(value)) check(what, r, name, 400);
          else check(what, r);
        }
      }
    }
    // Every POST route with path parameters, each parameter hostile in turn (body: the token only).
    const posts = registeredRoutes.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/') && paramsOf(r.url).length);
    for (const route of posts) {
      for (const name of paramsOf(route.url)) {
        for (const value of [NUL, BIG, '-1', '1e309', 'abc']) {
          sent++;
          const r = await env.app.inject({ method: 'POST', url: fillPath(route.url, { name, value }), headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: session.csrf }) });
          const what = `POST ${route.url} ${name}=${show(value)}`;
          if (isControl(value)) check(what, r, name, 400);
          else if (value === BIG && /^(id|a|b|year)$/.test(name)) check(what, r, undefined, 404);
          else check(what, r);
        }
      }
    }
    expect(posts.length).toBeGreaterThan(20);
    expect(sent).toBeGreaterThan(50);
    expect(fails, fails.join('\n')).toEqual([]);
  }, 120_000);
});

function isNumericish(name: string, numeric: Set<string>) {
  return numeric.has(name) || /^(id|page|weight|amount|workdays|count|reopen|year|lat|lng|related|warning|serious|max|extension)/i.test(name);
}
function decode(s: string) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
}
function multipart(fields: Record<string, string>) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  return { payload: Buffer.concat([...parts, Buffer.from(`--${b}--\r\n`)]), type: `multipart/form-data; boundary=${b}` };
}

describe('concurrent writers', () => {
  it('racing saves of the same deadline rule never answer 500: the loser gets 409 and may retry (PostgreSQL raced on the next version number)', async () => {
    const body = (i: number) => ({ nameZh: `投诉类诉求${i}`, nameEn: `Complaint ${i}`, unit: 'workdays', amount: 15, maxExtensions: 1, extensionLimit: 15, pausable: true, legalBasis: '《信访工作条例》第三十二条' });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => env.api('PUT', '/api/v1/deadline-rules/appeal.complaint', { as: 'admin', body: body(i) })));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s !== 200 && s !== 409), statuses.join(',')).toEqual([]);
    expect(statuses).toContain(200);
    for (const r of answers.filter((x) => x.statusCode === 409)) expect(r.json().error.message).toContain('其他人修改');
  });

  it('a unique violation that reaches the error handler is a 409 on both databases, never a 500', async () => {
    const { toPayload } = await import('../../src/platform/http/errors.js');
    for (const code of ['23505', 'SQLITE_CONSTRAINT_UNIQUE']) expect(toPayload(Object.assign(new Error('duplicate'), { code }), 'en')).toMatchObject({ status: 409, code: 'conflict' });
  });
});
