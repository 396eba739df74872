// Open311 GeoReport v2 through a client nobody here wrote: the npm `open311` package (0.0.12,
// codeforamerica/node-open311), vendored verbatim under test/fixtures/open311-client with its
// dependencies (see the README there), talking HTTP to the app on 127.0.0.1 in JSON and in XML.
// Each test asserts what the client's user gets back from its callbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { makeEnv, type TestEnv } from '../helpers.js';
import { createApiKey } from '../../src/modules/appeals/api/open311.js';

const require = createRequire(import.meta.url);
const Open311 = require('../fixtures/open311-client/index.cjs');

type Fmt = 'json' | 'xml';
interface Client {
  endpoint: string;
  format: Fmt;
  serviceDiscovery(options: object, cb: Callback): void;
  serviceList(cb: Callback): void;
  serviceDefinition(code: string, cb: Callback): void;
  submitRequest(data: object, cb: Callback): void;
  token(token: string, cb: Callback): void;
  serviceRequests(...args: unknown[]): void;
  serviceRequest(...args: unknown[]): void;
}
type Callback = (err: unknown, data: any) => void;

/** A client call as its user sees it: the callback's (err, data). */
function call(fn: (cb: Callback) => void): Promise<{ err: unknown; data: any }> {
  return new Promise((resolve) => fn((err, data) => resolve({ err, data })));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let env: TestEnv;
let base: string;
let key: string;
const client = (format: Fmt, apiKey?: string): Client => new Open311({ endpoint: `${base}/open311/v2/`, format, ...(apiKey ? { apiKey } : {}) });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = await makeEnv({ overrides: { publicUrl: base }, env: { GONGKAI_APPEALS_RATE_LIMIT: '1000' } });
  await env.app.listen({ port, host: '127.0.0.1' });
  key = (await createApiKey(env.p, 'test', 'npm-open311')).key;
});
afterAll(async () => env?.close());

describe('the substitutes, held to what node-open311’s own tests expect (its mocks, its assertions)', () => {
  // Its tests stub request.get/post and feed the responses of real servers (DC, Boston, SF) to the
  // client; the same here, through the substitutes for request, sparkxml's libxmljs and xml2json.
  const request = require('../fixtures/open311-client/substitutes/request.cjs');
  const mock = (name: string) => readFileSync(new URL(`../fixtures/open311-client/mocks/${name}`, import.meta.url), 'utf8');
  const dc = (): Client => new Open311({ endpoint: 'http://app.311.dc.gov/CWI/Open311/v2/', format: 'xml', jurisdiction: 'dc.gov', apiKey: 'API_KEY' });
  const stubbed = async (method: 'get' | 'post', body: string, run: (cb: Callback) => void) => {
    const real = request[method];
    const calls: any[] = [];
    request[method] = (options: unknown, cb: (err: unknown, res: unknown, body: string) => void) => {
      calls.push(options);
      cb(false, { statusCode: 200 }, body);
    };
    try {
      return { ...(await call(run)), calls };
    } finally {
      request[method] = real;
    }
  };

  it('serviceDefinition (XML, sparkxml): the wrapper gone, attributes an array, empty values null', async () => {
    const { data, calls } = await stubbed('get', mock('dc-services-S0301.xml'), (cb) => dc().serviceDefinition('S0301', cb));
    expect(calls[0]).toEqual({ url: 'http://app.311.dc.gov/CWI/Open311/v2/services/S0301.xml', qs: { jurisdiction_id: 'dc.gov' } });
    expect(data.service_code).toBe('S0301');
    expect(Array.isArray(data.attributes)).toBe(true);
    expect(Array.isArray(data.attributes[1].values)).toBe(true);
    expect(data.attributes[0].values).toBeNull();
    expect(data.attributes[1]).toMatchObject({ variable: true, code: 'ISITHAZA', required: false, order: 3, values: [{ key: 'NO001', name: 'No' }, { key: 'UNKNOWN', name: 'Unknown' }, { key: 'YES001', name: 'Yes' }] });
  });

  it('submitRequest (XML, xml2json): a token response; the form carries api_key and attribute[code]', async () => {
    const { data, calls } = await stubbed('post', mock('boston-submitrequest-token.xml'), (cb) => dc().submitRequest({ service_code: 'S0301', attributes: { license_plate: 'A1234567', color: 'blue' } }, cb));
    expect(JSON.stringify(data)).toBe(JSON.stringify([{ token: '503fc045901932078800163c' }]));
    expect(calls[0].form).toEqual({ service_code: 'S0301', api_key: 'API_KEY', 'attribute[license_plate]': 'A1234567', 'attribute[color]': 'blue' });
  });

  it('token (XML, sparkxml): numbers parsed', async () => {
    const { data } = await stubbed('get', mock('token.xml'), (cb) => dc().token('12345', cb));
    expect(data[0].token).toBe(12345);
    expect(data[0].service_request_id).toBe(638344);
  });

  it('serviceRequests (XML, sparkxml): dates become Date objects, empty elements null', async () => {
    const { data } = await stubbed('get', mock('service-requests.xml'), (cb) => dc().serviceRequests(cb));
    expect(data[0].requested_datetime).toBeInstanceOf(Date);
    expect(data[0].updated_datetime).toBeInstanceOf(Date);
    expect(data[0]).toMatchObject({ service_request_id: 638344, status: 'closed', service_code: 6, description: null, lat: 37.762221815, long: -122.4651145, media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg ' });
  });
});

describe('discovery', () => {
  it.each(['json', 'xml'] as const)('serviceDiscovery (%s) finds the v2 endpoint and the client takes it', async (fmt) => {
    const c: Client = new Open311({ discovery: `${base}/open311/v2/discovery.${fmt}` });
    const { err, data } = await call((cb) => c.serviceDiscovery({ cache: true }, cb));
    expect(err).toBe(false);
    expect(data.endpoints).toEqual([{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${base}/open311/v2`, changeset: '2026-11-27T00:00:00+08:00', type: 'production', formats: ['application/json', 'text/xml'] }]);
    expect(c.endpoint).toBe(`${base}/open311/v2/`);
  });
});

describe.each(['json', 'xml'] as const)('the npm open311 client in %s', (fmt) => {
  it('serviceList: the dispatch catalogue, the same in both formats', async () => {
    const { err, data } = await call((cb) => client(fmt).serviceList(cb));
    expect(err).toBeNull();
    expect(data.length).toBeGreaterThan(10);
    expect(data.find((s: any) => s.service_code === 'noise')).toMatchObject({ service_code: 'noise', service_name: '噪声扰民', metadata: true, type: 'realtime', group: '生态环境' });
    const other = await call((cb) => client(fmt === 'json' ? 'xml' : 'json').serviceList(cb));
    expect(other.data.map((s: any) => s.service_code)).toEqual(data.map((s: any) => s.service_code));
  });

  it('serviceDefinition: appeal_type (required, with its default said), title, consent', async () => {
    const { err, data } = await call((cb) => client(fmt).serviceDefinition('noise', cb));
    expect(err).toBeNull();
    expect(data.service_code).toBe('noise');
    expect(data.attributes.map((a: any) => [a.code, a.required, a.datatype])).toEqual([
      ['appeal_type', true, 'singlevaluelist'],
      ['title', false, 'string'],
      ['consent', false, 'singlevaluelist'],
    ]);
    expect(data.attributes[0].values).toContainEqual({ key: 'help', name: '求助' });
    expect(data.attributes[0].datatype_description).toContain('help');
    const missing = await call((cb) => client(fmt).serviceDefinition('no-such-service', cb));
    expect(missing).toEqual({ err: true, data: 'There was an error connecting to the Open311 API: 404' });
  });

  let generic: string;
  let full: string;
  it('submitRequest: the standard fields only (as a generic client sends them), and with attributes', async () => {
    const submitted = await call((cb) =>
      client(fmt, key).submitRequest({ service_code: 'street-light', lat: 38.915531, long: 121.613402, description: `学府街路灯一到晚上就不亮，已有两周（${fmt}）。`, first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com' }, cb),
    );
    expect(submitted.err).toBeNull();
    expect(submitted.data).toHaveLength(1);
    expect(submitted.data[0].service_request_id).toMatch(/^SQ\d{15}$/);
    // 求助 by default: its 10 working days, and the query code for the citizen.
    expect(submitted.data[0].service_notice).toMatch(/10个工作日内答复；查询码 \d{10}$/);
    // JSON null; xml2json gives an empty element as {}.
    expect(submitted.data[0].account_id).toEqual(fmt === 'json' ? null : {});
    generic = submitted.data[0].service_request_id;

    const withAttributes = await call((cb) =>
      client(fmt, key).submitRequest({ service_code: 'noise', address_string: '海滨路18号', attributes: { appeal_type: 'complaint', title: '海滨路工地夜间施工', consent: 'yes' }, description: '每晚十一点后仍在打桩，影响休息。', phone: '13812345678' }, cb),
    );
    expect(withAttributes.err).toBeNull();
    expect(withAttributes.data[0].service_notice).toContain('15个工作日');
    full = withAttributes.data[0].service_request_id;
  });

  it('serviceRequest read-back without an api_key: the status fields, no text, the point on the grid', async () => {
    const { err, data } = await call((cb) => client(fmt).serviceRequest(generic, cb));
    expect(err).toBeNull();
    expect(data).toHaveLength(1);
    const r = data[0];
    expect(r).toMatchObject({ service_request_id: generic, status: 'open', status_notes: '已受理，待派单', service_code: 'street-light', service_name: '路灯故障', description: null, media_url: null, agency_responsible: null, lat: 38.916, long: 121.614 });
    expect(r.requested_datetime).toBeInstanceOf(Date);
    expect(Math.abs(r.requested_datetime.getTime() - Date.now())).toBeLessThan(600_000);
    // From submission on: the type's time limit (求助, 10 working days) by the working-day calendar.
    const received = new Date(r.requested_datetime.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const due = (await env.api('GET', `/api/v1/calendar/due?start=${received}&workdays=10`)).json().due;
    expect(r.expected_datetime).toEqual(new Date(`${due}T23:59:59+08:00`));
    const other = await call((cb) => client(fmt).serviceRequest(full, cb));
    expect(other.data[0]).toMatchObject({ description: null, address: '海滨路', lat: null, long: null });
    expect(JSON.stringify(other.data)).not.toContain('13812345678');
  });

  it('serviceRequest read-back with the api_key that submitted it: everything, the exact point', async () => {
    const { err, data } = await call((cb) => client(fmt).serviceRequest(generic, { api_key: key }, cb));
    expect(err).toBeNull();
    expect(data[0]).toMatchObject({ service_request_id: generic, description: `学府街路灯一到晚上就不亮，已有两周（${fmt}）。`, lat: 38.915531, long: 121.613402 });
    const withAttributes = await call((cb) => client(fmt).serviceRequest(full, { api_key: key }, cb));
    // The title attribute before a description that does not begin with it; the phone masked.
    expect(withAttributes.data[0].description).toBe('海滨路工地夜间施工\n每晚十一点后仍在打桩，影响休息。');
    expect(withAttributes.data[0].address).toBe('海滨路**号');
    // Another key sees what the public sees.
    const otherKey = (await createApiKey(env.p, 'test', `other-${fmt}`)).key;
    const theirs = await call((cb) => client(fmt).serviceRequest(generic, { api_key: otherKey }, cb));
    expect(theirs.data[0]).toMatchObject({ description: null, lat: 38.916, long: 121.614 });
  });

  it('serviceRequests: by ids, by status and service_code; JSON and XML give the client the same objects', async () => {
    const byIds = await call((cb) => client(fmt).serviceRequests([generic, full], { api_key: key }, cb));
    expect(byIds.err).toBeNull();
    expect(byIds.data.map((r: any) => r.service_request_id).sort()).toEqual([generic, full].sort());
    const filtered = await call((cb) => client(fmt).serviceRequests({ status: 'open', service_code: 'street-light' }, cb));
    expect(filtered.data.map((r: any) => r.service_request_id)).toContain(generic);
    expect(filtered.data.every((r: any) => r.status === 'open' && r.service_code === 'street-light')).toBe(true);
    const other = fmt === 'json' ? 'xml' : 'json';
    const same = await call((cb) => client(other).serviceRequests([generic, full], { api_key: key }, cb));
    expect(same.data).toEqual(byIds.data);
    // The demo's published appeals show their published text to anyone.
    const all = await call((cb) => client(fmt).serviceRequests({}, cb));
    expect(all.data.length).toBeGreaterThan(2);
    expect(all.data.some((r: any) => typeof r.description === 'string' && r.description.length > 0)).toBe(true);
  });

  it('errors as the client reports them', async () => {
    // GET errors: the client reports the status code.
    expect(await call((cb) => client(fmt).serviceRequest('SQ000000000000000', cb))).toEqual({ err: true, data: 'There was an error connecting to the Open311 API: 404' });
    expect(await call((cb) => client(fmt).token('123456', cb))).toEqual({ err: true, data: 'There was an error connecting to the Open311 API: 404' });
    expect(await call((cb) => client(fmt).serviceRequest(generic, { api_key: 'o311_wrong' }, cb))).toEqual({ err: true, data: 'There was an error connecting to the Open311 API: 403' });
    // POST errors: the status code and the body, in the specification's error format.
    const prefix = 'There was an error connecting to the Open311 API: ';
    const body = (status: number, description: string) =>
      fmt === 'json' ? `${prefix}${status}; ${JSON.stringify([{ code: status, description }])}` : `${prefix}${status}; <?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>${status}</code><description>${description}</description></error></errors>`;
    const noLong = await call((cb) => client(fmt, key).submitRequest({ service_code: 'noise', lat: 38.91, address_string: '海滨路', description: '夜间施工噪音扰民' }, cb));
    expect(noLong).toEqual({ err: 400, data: body(400, 'long: Give both a valid latitude and longitude.') });
    const short = await call((cb) => client(fmt, key).submitRequest({ service_code: 'noise', address_string: '海滨路', description: '太吵' }, cb));
    expect(short).toEqual({ err: 400, data: body(400, 'description: Write at least 5 characters.') });
    const badKey = await call((cb) => client(fmt, 'o311_wrong').submitRequest({ service_code: 'noise', address_string: '海滨路', description: '夜间施工噪音扰民' }, cb));
    expect(badKey).toEqual({ err: 403, data: body(403, 'Invalid api_key') });
  });
});
