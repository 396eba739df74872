// Open311 GeoReport v2 responses, field by field against the specification
// (http://wiki.open311.org/GeoReport_v2), in JSON and XML, including errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeEnv, form, type TestEnv } from '../helpers.js';
import { createApiKey } from '../../src/modules/appeals/api/open311.js';
import { distance } from '../../src/modules/appeals/service/dispatch.js';

let env: TestEnv;
let key: string;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_APPEALS_RATE_LIMIT: '1000' } });
  key = (await createApiKey(env.p, 'test', 'spec-client')).key;
});
afterAll(async () => env?.close());

const get = (url: string) => env.app.inject({ method: 'GET', url });
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const REQUEST_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];

function xmlChildren(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
}
function xmlValue(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>|<${tag}/>`).exec(xml);
  return m ? m[1] ?? '' : null;
}

describe('discovery and services', () => {
  it('discovery lists the v2 endpoint with both formats', async () => {
    const j = (await get('/open311/v2/discovery.json')).json();
    expect(Object.keys(j)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    expect(j.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['application/json', 'text/xml'] });
    expect(j.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const x = await get('/open311/v2/discovery.xml');
    expect(x.headers['content-type']).toContain('text/xml');
    expect(x.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery>/);
    expect(xmlChildren(x.body, 'format')).toEqual(['application/json', 'text/xml']);
  });

  it('services: service_code, service_name, description, metadata, type, keywords, group', async () => {
    const r = await get('/open311/v2/services.json');
    expect(r.headers['content-type']).toContain('application/json');
    const list = r.json();
    expect(list.length).toBeGreaterThan(10);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      expect(typeof s.metadata).toBe('boolean');
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
    }
    expect(list.find((s: any) => s.service_code === 'noise')).toMatchObject({ service_name: '噪声扰民', group: '生态环境', metadata: true });
    const x = (await get('/open311/v2/services.xml')).body;
    const services = xmlChildren(x, 'service');
    expect(services).toHaveLength(list.length);
    expect(xmlValue(services[0], 'service_code')).toBe(list[0].service_code);
    expect(xmlValue(services[0], 'metadata')).toBe('true');
  });

  it('a service definition lists its attributes with the spec’s fields', async () => {
    const d = (await get('/open311/v2/services/noise.json')).json();
    expect(d.service_code).toBe('noise');
    const a = d.attributes[0];
    expect(Object.keys(a)).toEqual(['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values']);
    expect(a).toMatchObject({ variable: true, code: 'appeal_type', datatype: 'singlevaluelist', required: true, order: 1 });
    expect(a.values.map((v: any) => v.key)).toEqual(['consult', 'help', 'complaint', 'report', 'suggest', 'praise']);
    expect(a.values[0]).toEqual({ key: 'consult', name: '咨询' });
    for (const at of d.attributes) expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(at.datatype);
    const x = (await get('/open311/v2/services/noise.xml')).body;
    expect(x).toContain('<service_definition><service_code>noise</service_code><attributes><attribute><variable>true</variable><code>appeal_type</code>');
    expect(xmlChildren(x, 'value').length).toBe(8);
    expect((await get('/open311/v2/services/nope.json')).statusCode).toBe(404);
  });
});

describe('requests', () => {
  let id: string;
  let id2: string;
  it('POST with api_key returns service_request_id, service_notice and account_id', async () => {
    const r = await env.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ api_key: key, service_code: 'road-damage', lat: '38.9123', long: '121.6234', address_string: '幸福路12号', 'attribute[appeal_type]': 'complaint', 'attribute[consent]': 'yes', description: '幸福路路面坑洼严重。我叫张建国，电话13812345678。', first_name: '建国', last_name: '张', media_url: 'https://example.com/photo.jpg' }),
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(Array.isArray(body)).toBe(true);
    expect(Object.keys(body[0])).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(body[0].service_request_id).toMatch(/^SQ\d{15}$/);
    expect(body[0].service_notice).toContain('15个工作日');
    id = body[0].service_request_id;
    const rx = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: key, service_code: 'street-light', address_string: '学府街', 'attribute[appeal_type]': 'help', description: '路灯不亮已两周' }) });
    expect(rx.statusCode).toBe(201);
    id2 = /<service_request_id>(SQ\d{15})</.exec(rx.body)![1];
    expect(rx.body).toMatch(/<service_requests><request><service_request_id>SQ\d{15}<\/service_request_id><service_notice>[^<]+<\/service_notice><account_id\/><\/request><\/service_requests>/);
  });

  it('GET one / list: every field of the spec; description and address are masked, never the raw text', async () => {
    const r = await get(`/open311/v2/requests/${id}.json?api_key=${key}`);
    expect(r.statusCode).toBe(200);
    const [req] = r.json();
    expect(Object.keys(req)).toEqual(REQUEST_FIELDS);
    expect(req).toMatchObject({ service_request_id: id, status: 'open', status_notes: '已受理，待派单', service_code: 'road-damage', service_name: '道路破损', lat: 38.9123, long: 121.6234, media_url: 'https://example.com/photo.jpg', agency_responsible: null });
    expect(req.description).not.toContain('张建国');
    expect(req.description).not.toContain('13812345678');
    expect(req.description).toContain('138****5678');
    // The title (the description's first sentence) is not put before the description a second time.
    expect(req.description).toBe('幸福路路面坑洼严重。我叫张**，电话138****5678。');
    expect(req.address).toBe('幸福路**号');
    expect(req.requested_datetime).toMatch(W3C);
    expect(req.updated_datetime).toMatch(W3C);
    // From submission: the type's time limit (投诉, 15 working days) from the day it was received.
    const received = new Date(Date.parse(req.requested_datetime) + 8 * 3600_000).toISOString().slice(0, 10);
    const due15 = (await get(`/api/v1/calendar/due?start=${received}&workdays=15`)).json().due;
    expect(req.expected_datetime).toBe(`${due15}T23:59:59+08:00`);
    // After dispatch: expected_datetime from the deadline engine, agency_responsible.
    const appeal = await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', id).executeTakeFirstOrThrow();
    await env.api('POST', `/api/v1/staff/appeals/${appeal.id}/dispatch`, { as: 'sqzx-editor', body: { department: 'zjj' } });
    const clock = await env.p.db.selectFrom('clocks').select('due_date').where('subject_type', '=', 'appeal').where('subject_id', '=', String(appeal.id)).executeTakeFirstOrThrow();
    const after = (await get(`/open311/v2/requests.json?service_request_id=${id}&api_key=${key}`)).json()[0];
    expect(after.expected_datetime).toBe(`${clock.due_date}T23:59:59+08:00`);
    expect(after.agency_responsible).toBe('住房和城乡建设局');
    const x = (await get(`/open311/v2/requests/${id}.xml?api_key=${key}`)).body;
    const one = xmlChildren(x, 'request')[0];
    for (const f of REQUEST_FIELDS) expect(xmlValue(one, f), f).not.toBeNull();
    expect(xmlValue(one, 'status')).toBe('open');
    expect(xmlValue(one, 'expected_datetime')).toBe(`${clock.due_date}T23:59:59+08:00`);
    expect(one).toContain('<address_id/>');
    expect(one).not.toContain('13812345678');
  });

  it('filters: service_code, status, start_date/end_date, service_request_id', async () => {
    const mine = (q: string) => get(`/open311/v2/requests.json?api_key=${key}&${q}`).then((r) => r.json().map((x: any) => x.service_request_id).filter((x: string) => x === id || x === id2));
    expect(await mine('service_code=road-damage')).toEqual([id]);
    expect(await mine('service_code=road-damage,street-light')).toHaveLength(2);
    expect(await mine('status=closed')).toEqual([]);
    expect(await mine('status=open')).toHaveLength(2);
    expect(await mine('start_date=2030-01-01T00:00:00Z')).toEqual([]);
    expect(await mine(`start_date=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&end_date=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).toHaveLength(2);
    expect(await mine(`service_request_id=${id},SQ000000000000000`)).toEqual([id]);
    // Without the key: every request with its status fields; the text only of published ones.
    const all = (await get('/open311/v2/requests.json')).json();
    const mineAnon = all.find((x: any) => x.service_request_id === id);
    expect(Object.keys(mineAnon)).toEqual(REQUEST_FIELDS);
    expect(mineAnon).toMatchObject({ status: 'open', service_code: 'road-damage', service_name: '道路破损', agency_responsible: '住房和城乡建设局', description: null, media_url: null, address: '幸福路', lat: 38.913, long: 121.623 });
    expect(mineAnon.status_notes).toBe('办理中');
    expect(mineAnon.expected_datetime).toMatch(W3C);
    const one = (await get(`/open311/v2/requests/${id}.json`)).json()[0];
    expect(one).toEqual(mineAnon);
    expect(JSON.stringify(all)).not.toContain('13812345678');
    expect(JSON.stringify(all)).not.toContain('幸福路路面坑洼严重');
    const rows = await env.p.db.selectFrom('appeals').select(['tracking_no', 'content_masked', 'reply_masked']).where('publish_state', '=', 'published').execute();
    const pub = all.filter((x: any) => rows.some((r) => r.tracking_no === x.service_request_id));
    expect(pub.length).toBeGreaterThan(0);
    for (const r of pub) {
      const row = rows.find((x) => x.tracking_no === r.service_request_id)!;
      expect(r.description).toBe(row.content_masked);
      if (row.reply_masked) expect(r.status_notes).toBe(row.reply_masked);
    }
    for (const r of all.filter((x: any) => !pub.includes(x) && x.service_request_id !== id && x.service_request_id !== id2)) expect([r.description, r.media_url]).toEqual([null, null]);
  });

  it('errors use the specification’s format in JSON and XML', async () => {
    const bad = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: 'o311_wrong', service_code: 'noise' }) });
    expect(bad.statusCode).toBe(403);
    expect(bad.json()).toEqual([{ code: 403, description: 'Invalid api_key' }]);
    const badX = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: key, service_code: 'noise', address_string: 'x', 'attribute[appeal_type]': 'complaint', description: '' }) });
    expect(badX.statusCode).toBe(400);
    expect(badX.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>400<\/code><description>[^<]+<\/description><\/error><\/errors>$/);
    const noLoc = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: key, service_code: 'noise', 'attribute[appeal_type]': 'complaint', description: '很吵很吵很吵' }) });
    expect(noLoc.statusCode).toBe(400);
    expect(noLoc.json()[0].description).toContain('location');
    expect((await get('/open311/v2/requests.json?start_date=yesterday')).json()[0].code).toBe(400);
    expect((await get('/open311/v2/requests/SQ000000000000000.xml')).body).toContain('<errors><error><code>404</code>');
  });

  it('`gongkai open311 key create --name NAME` prints only a working key', async () => {
    // The compiled command (npm test builds it), as an operator runs it.
    const out = execFileSync(process.execPath, [join(process.cwd(), 'bin', 'gongkai.js'), 'open311', 'key', 'create', '--name', 'cli-client'], { env: { ...process.env, GONGKAI_DATA_DIR: env.dataDir, GONGKAI_LOG_LEVEL: 'silent', ...(env.config.databaseUrl ? { DATABASE_URL: env.config.databaseUrl } : {}) }, encoding: 'utf8' });
    expect(out).toMatch(/^o311_[A-Za-z0-9_-]{32}\n$/);
    const r = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: out.trim(), service_code: 'noise', address_string: '海滨路', 'attribute[appeal_type]': 'complaint', description: '夜间施工噪音' }) });
    expect(r.statusCode).toBe(201);
  }, 60_000);
});

describe('generic clients (only the standard fields) and error messages', () => {
  const post = (fmt: 'json' | 'xml', data: Record<string, string>) =>
    env.app.inject({ method: 'POST', url: `/open311/v2/requests.${fmt}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: key, ...data }) });
  const mine = async (no: string) => (await get(`/open311/v2/requests/${no}.json?api_key=${key}`)).json()[0];

  it('as FixMyStreet sends it (no attribute[appeal_type]): 求助 with its 10 working days from submission; a title line is not doubled', async () => {
    // FixMyStreet's description: title, blank line, detail, blank line, the report's URL.
    const description = '路灯不亮\n\n学府街路灯一到晚上就不亮，已有两周。\n\nhttps://fixmystreet.example/report/42\n';
    const r = await post('json', { service_code: 'street-light', lat: '38.915531', long: '121.613402', description, first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com' });
    expect(r.statusCode).toBe(201);
    const no = r.json()[0].service_request_id;
    const row = await env.p.db.selectFrom('appeals').select(['type', 'title', 'content', 'contact_name', 'consent']).where('tracking_no', '=', no).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ type: 'help', title: '路灯不亮', contact_name: 'Jane Smith', consent: 0 });
    expect(r.json()[0].service_notice).toContain('10个工作日');
    const got = await mine(no);
    expect(got.description).toBe(description.trim());
    const received = new Date(Date.parse(got.requested_datetime) + 8 * 3600_000).toISOString().slice(0, 10);
    expect(got.expected_datetime).toBe(`${(await get(`/api/v1/calendar/due?start=${received}&workdays=10`)).json().due}T23:59:59+08:00`);
    // A title that is not how the text begins stays in front of it.
    const titled = await post('json', { service_code: 'street-light', address_string: '学府街', 'attribute[title]': '学府街夜间无照明', description: '路灯一到晚上就不亮。' });
    expect((await mine(titled.json()[0].service_request_id)).description).toBe('学府街夜间无照明\n路灯一到晚上就不亮。');
  });

  it('description is optional when attribute[title] carries the text', async () => {
    const r = await post('xml', { service_code: 'noise', address_string: '海滨路', 'attribute[appeal_type]': 'complaint', 'attribute[title]': '海滨路工地夜间施工噪音' });
    expect(r.statusCode).toBe(201);
    const no = /<service_request_id>(SQ\d{15})</.exec(r.body)![1];
    expect((await mine(no)).description).toBe('海滨路工地夜间施工噪音');
    const none = await post('json', { service_code: 'noise', address_string: '海滨路' });
    expect(none.statusCode).toBe(400);
    expect(none.json()[0].description).toMatch(/^description is required/);
  });

  it('without its text public, a request shows its address up to the first masked part: the road or the estate, not the house', async () => {
    for (const [address, coarse, own] of [
      ['学府小区3栋2单元501室', '学府小区', '学府小区*栋*单元***室'],
      ['幸福路一百二十三号', '幸福路', '幸福路*****号'],
      ['海滨路', '海滨路', '海滨路'],
    ]) {
      const r = await post('json', { service_code: 'noise', address_string: address, description: '夜间施工噪音扰民' });
      const no = r.json()[0].service_request_id;
      expect((await get(`/open311/v2/requests/${no}.json`)).json()[0].address, address).toBe(coarse);
      expect((await mine(no)).address, address).toBe(own);
    }
  });

  it('error messages name the specification’s fields', async () => {
    const message = async (data: Record<string, string>, status = 400) => {
      const r = await post('json', { service_code: 'noise', address_string: '海滨路', description: '夜间施工噪音扰民', ...data });
      expect(r.statusCode, JSON.stringify(data)).toBe(status);
      return r.json()[0].description as string;
    };
    expect(await message({ lat: '38.9' })).toBe('long: Give both a valid latitude and longitude.');
    expect(await message({ lat: 'north', long: '121.6' })).toBe('lat: Give both a valid latitude and longitude.');
    expect(await message({ lat: '38.9', long: '999' })).toBe('long: Give both a valid latitude and longitude.');
    expect(await message({ description: '太吵' })).toBe('description: Write at least 5 characters.');
    expect(await message({ email: 'not-an-address' })).toBe('email: The e-mail address is not valid.');
    expect(await message({ phone: '12' })).toMatch(/^phone: /);
    expect(await message({ 'attribute[title]': 'x'.repeat(101) })).toBe('attribute[title]: The title is limited to 100 characters.');
    expect(await message({ 'attribute[appeal_type]': 'rant' })).toBe('attribute[appeal_type] must be one of consult, help, complaint, report, suggest, praise');
    expect(await message({ service_code: 'no-such' }, 404)).toMatch(/^service_code not found/);
    expect(await message({ media_url: 'ftp://example.com/a.jpg' })).toBe('media_url must be an http(s) URL');
    const noKey = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ service_code: 'noise' }) });
    expect(noKey.json()).toEqual([{ code: 403, description: 'api_key is required' }]);
  });

  it('tokens and unknown routes under /open311 answer in Open311’s error format, by the format extension', async () => {
    const tj = await get('/open311/v2/tokens/123456.json');
    expect(tj.statusCode).toBe(404);
    expect(tj.headers['content-type']).toContain('application/json');
    expect(tj.json()).toEqual([{ code: 404, description: expect.stringMatching(/^token not found/) }]);
    const tx = await get('/open311/v2/tokens/123456.xml');
    expect(tx.statusCode).toBe(404);
    expect(tx.headers['content-type']).toContain('text/xml');
    expect(tx.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>404<\/code><description>token not found[^<]*<\/description><\/error><\/errors>$/);
    for (const url of ['/open311/v2/nothing.json', '/open311/v3/services.json', '/open311', '/open311/v2/services.yaml?api_key=o311_secret']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toEqual([{ code: 404, description: expect.stringContaining('not an Open311 GeoReport v2 resource') }]);
      expect(r.body).not.toContain('o311_secret');
    }
    const x = await get('/open311/v2/nothing.xml');
    expect(x.body).toContain('<errors><error><code>404</code><description>Not found: GET /open311/v2/nothing.xml');
    const wrongMethod = await env.app.inject({ method: 'DELETE', url: '/open311/v2/services.xml' });
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.body).toContain('<errors><error><code>404</code>');
  });
});

describe('map points', () => {
  it('the public gets the point on a 0.003° grid (≤ 236 m off), the submitting client its exact point, staff the exact point', async () => {
    const exact = { lat: 38.91234, lng: 121.62347 };
    const grid = { lat: 38.913, lng: 121.623 };
    const title = '学府路井盖缺失夜间危险';
    const posted = await env.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ api_key: key, service_code: 'road-damage', lat: String(exact.lat), long: String(exact.lng), address_string: '学府路88号', 'attribute[appeal_type]': 'report', 'attribute[consent]': 'yes', 'attribute[title]': title, description: '学府路88号门口井盖缺失，夜间行人容易掉下去。' }),
    });
    expect(posted.statusCode).toBe(201);
    const no = posted.json()[0].service_request_id;
    const id = (await env.p.db.selectFrom('appeals').select('id').where('tracking_no', '=', no).executeTakeFirstOrThrow()).id;
    // Published the usual way: dispatch, reply, the centre's review, release of the masked text.
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/dispatch`, { as: 'sqzx-editor', body: { department: 'fgj' } })).statusCode).toBe(204);
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/reply`, { as: 'fgj-editor', body: { reply: '已安排补装井盖。', resolved: true } })).statusCode).toBe(204);
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/reply-review`, { as: 'sqzx-approver', body: { approve: true } })).statusCode).toBe(204);
    const draft = (await env.api('GET', `/api/v1/staff/appeals/${id}`, { as: 'sqzx-editor' })).json().masked;
    expect((await env.api('POST', `/api/v1/staff/appeals/${id}/release`, { as: 'sqzx-editor', body: { title: draft.title, content: draft.content, reply: draft.reply } })).statusCode).toBe(204);

    // The public: one request, the list, XML — all on the grid, never the exact point.
    const one = (await get(`/open311/v2/requests/${no}.json`)).json()[0];
    expect({ lat: one.lat, lng: one.long }).toEqual(grid);
    const off = distance(exact.lat, exact.lng, one.lat, one.long);
    expect(off).toBeGreaterThan(50);
    expect(off).toBeLessThanOrEqual(236);
    const listed = (await get('/open311/v2/requests.json')).json().find((x: any) => x.service_request_id === no);
    expect({ lat: listed.lat, lng: listed.long }).toEqual(grid);
    const xml = (await get(`/open311/v2/requests/${no}.xml`)).body;
    expect([xmlValue(xml, 'lat'), xmlValue(xml, 'long')]).toEqual(['38.913', '121.623']);
    // Another client's api_key sees what the public sees.
    const other = (await createApiKey(env.p, 'test', 'other-client')).key;
    const theirs = (await get(`/open311/v2/requests/${no}.json?api_key=${other}`)).json()[0];
    expect({ lat: theirs.lat, lng: theirs.long }).toEqual(grid);
    // The client that submitted it sees its own exact point (JSON and XML).
    const mine = (await get(`/open311/v2/requests/${no}.json?api_key=${key}`)).json()[0];
    expect({ lat: mine.lat, lng: mine.long }).toEqual(exact);
    expect(xmlValue((await get(`/open311/v2/requests/${no}.xml?api_key=${key}`)).body, 'lat')).toBe('38.91234');
    // Staff keep the exact point.
    const staff = (await env.api('GET', `/api/v1/staff/appeals/${id}`, { as: 'sqzx-editor' })).json();
    expect({ lat: staff.lat, lng: staff.lng }).toEqual(exact);

    // The similar-appeals check measures to the published point: asked at the exact point it
    // answers the grid offset, not 0 (three such answers would otherwise locate the citizen).
    const sim = (await env.api('GET', `/api/v1/appeals/similar?title=${encodeURIComponent(title)}&content=${encodeURIComponent('井盖缺失')}&lat=${exact.lat}&lng=${exact.lng}`)).json().items;
    const hit = sim.find((s: any) => s.title === draft.title);
    expect(hit).toBeTruthy();
    expect(hit.distance).toBe(Math.round(off));

    // Nothing public carries the exact point: board (HTML and JSON), the published page.
    const boardItem = (await env.api('GET', '/api/v1/appeals/board?category=road-damage')).json().items.find((i: any) => i.title === draft.title);
    for (const url of ['/appeals/board', '/appeals/board?category=road-damage', '/api/v1/appeals/board?category=road-damage', boardItem.url]) {
      const body = (await get(url)).body;
      expect(body, url).not.toContain('38.9123');
      expect(body, url).not.toContain('121.6234');
    }
  });
});
