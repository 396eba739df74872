// Screens (电子显示屏): the playlist lists the pins, then the newest public items of the screen's
// selection; ETag and 304; a withdrawn item leaves at the next fetch (and its pin) with a
// 'withdrawal' ledger row; a corrected item is shown at its new version; the kiosk page; staff
// manage only their departments' outlets; bad input is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { publish, step } from '../catalog/helpers.js';
import { ledgerOf } from '../../src/platform/channels/ledger.js';
import { typesOf } from '../../src/platform/publication/registry.js';

let env: TestEnv;
let dzbAdmin: { cookie: string; csrf: string };
let admin: { cookie: string; csrf: string };
let dzbId: number;
let fgjId: number;

const get = (url: string, cookie?: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers } });
const post = (s: { cookie: string; csrf: string }, url: string, data: Record<string, string | string[]>) =>
  env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, ...data }) });

async function session(username: string) {
  const { cookie } = await login(env.app, username);
  const page = await get('/admin/channels/outlets', cookie);
  return { cookie, csrf: csrfFrom(page.body) };
}

/** Creates an outlet through the console; returns its id and token. */
async function createScreen(s: { cookie: string; csrf: string }, data: Record<string, string | string[]>): Promise<{ id: number; token: string }> {
  const r = await post(s, '/admin/channels/outlets', { kind: 'screen', location: '大厅', newest: '3', rotateSeconds: '10', ...data });
  expect(r.statusCode, r.body).toBe(303);
  const id = Number(/\/(\d+)$/.exec(String(r.headers.location))![1]);
  const row = await env.p.db.selectFrom('out_outlets').select('token').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, token: row.token };
}

async function playlist(token: string, etag?: string) {
  const r = await get(`/screens/${token}/playlist.json`, undefined, etag ? { 'if-none-match': etag } : {});
  return { status: r.statusCode, etag: String(r.headers.etag ?? ''), body: r.statusCode === 200 ? r.json() : null, headers: r.headers };
}

const screenRows = (outletId: number, itemId: number) =>
  env.p.db.selectFrom('chn_deliveries').select(['version', 'event', 'kind', 'state']).where('channel', '=', 'screen').where('recipient_kind', '=', 'outlet').where('recipient_id', '=', outletId).where('item_id', '=', itemId).orderBy('id').execute();

beforeAll(async () => {
  env = await makeEnv();
  await env.drain();
  dzbAdmin = await session('dzb-admin');
  admin = await session('admin');
  const d = await env.p.db.selectFrom('departments').select(['id', 'code']).where('code', 'in', ['dzb', 'fgj']).execute();
  dzbId = Number(d.find((x) => x.code === 'dzb')!.id);
  fgjId = Number(d.find((x) => x.code === 'fgj')!.id);
}, 120_000);
afterAll(async () => env?.close());

describe('a screen', () => {
  it('plays its pins first (in order), then the newest public items of its selection', async () => {
    const s = await createScreen(dzbAdmin, { name: '测试屏一', departmentId: String(dzbId), departments: String(dzbId) });
    const [pinA, pinB] = await env.p.db.selectFrom('pub_items').select(['id', 'index_no']).where('public', '=', 1).where('validity', '=', 'valid').where('type', '=', 'document').where('department_id', '=', fgjId).orderBy('id').limit(2).execute();
    expect(pinB).toBeTruthy();
    // Pinned by id and by 索引号; then B moved above A.
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins`, { item: String(pinA.id) })).statusCode).toBe(303);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins`, { item: pinB.index_no! })).statusCode).toBe(303);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins/${pinB.id}/move`, { dir: 'up' })).statusCode).toBe(303);
    const newest = await env.p.db
      .selectFrom('pub_items')
      .select(['id'])
      .where('public', '=', 1)
      .where('validity', '=', 'valid')
      .where('department_id', '=', dzbId)
      .where('type', 'in', typesOf('catalog'))
      .orderBy('first_published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    const pl = await playlist(s.token);
    expect(pl.status).toBe(200);
    expect(pl.body.pollSeconds).toBe(30);
    expect(Date.parse(pl.body.validUntil) - Date.parse(pl.body.generatedAt)).toBe(5 * 60_000);
    const ids = pl.body.items.map((x: { id: number }) => x.id);
    expect(ids.slice(0, 2)).toEqual([pinB.id, pinA.id].map(Number));
    expect(ids).toHaveLength(5);
    expect(ids.slice(2)).toEqual(newest.map((r) => Number(r.id)));
    // Each entry: the version, its SM3 hash, 索引号, department and the public page (absolute).
    const first = pl.body.items[0];
    const v = await env.p.db.selectFrom('pub_items as i').innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version')).select(['v.version', 'v.hash', 'i.index_no', 'i.title']).where('i.id', '=', first.id).executeTakeFirstOrThrow();
    expect(first).toMatchObject({ version: Number(v.version), hash: v.hash, indexNo: v.index_no, title: v.title, department: '发展和改革局', url: `${env.config.publicUrl}/catalog/items/${first.id}` });
    expect(Object.keys(first).sort()).toEqual(['department', 'hash', 'id', 'indexNo', 'publishedAt', 'summary', 'title', 'url', 'version']);
    // What it showed is in the ledger (delivered 'shown' rows), and the screen was seen.
    expect(await screenRows(s.id, Number(pinB.id))).toEqual([{ version: Number(v.version), event: Number(v.version) === 1 ? 'published' : 'changed', kind: 'shown', state: 'delivered' }]);
    const o = await env.p.db.selectFrom('out_outlets').select('last_seen_at').where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(Date.now() - Date.parse(o.last_seen_at!)).toBeLessThan(60_000);
  });

  it('answers a repeated poll with 304 (ETag per screen and generation); a change of its pins is a new playlist', async () => {
    const s = await createScreen(dzbAdmin, { name: '测试屏二', departmentId: String(dzbId) });
    const a = await playlist(s.token);
    expect(a.etag).toMatch(/^W\/"/);
    expect(a.headers['cache-control']).toContain('must-revalidate');
    const b = await playlist(s.token, a.etag);
    expect(b.status).toBe(304);
    const other = await createScreen(dzbAdmin, { name: '测试屏三', departmentId: String(dzbId), newest: '2' });
    expect((await playlist(other.token, a.etag)).status).toBe(200);
    const item = await env.p.db.selectFrom('pub_items').select('id').where('public', '=', 1).where('type', '=', 'document').orderBy('id').executeTakeFirstOrThrow();
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins`, { item: String(item.id) })).statusCode).toBe(303);
    const c = await playlist(s.token, a.etag);
    expect(c.status).toBe(200);
    expect(c.body.items[0].id).toBe(Number(item.id));
    expect((await playlist(s.token, c.etag)).status).toBe(304);
  });

  it('drops a withdrawn item at the next fetch, unpins it, and writes a withdrawal row for the screen', async () => {
    const s = await createScreen(dzbAdmin, { name: '测试屏四', departmentId: String(dzbId), departments: String(dzbId) });
    const id = await publish(env, { title: '即将撤回的通知' });
    await env.drain();
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins`, { item: String(id) })).statusCode).toBe(303);
    const before = await playlist(s.token);
    expect(before.body.items.map((x: { id: number }) => x.id)).toContain(id);
    expect((await screenRows(s.id, id)).map((r) => `${r.kind}:${r.event}:v${r.version}`)).toEqual(['shown:published:v1']);
    expect((await step(env, id, 'dzb-approver', 'withdraw', '内容有误')).statusCode).toBe(200);
    await env.drain();
    const after = await playlist(s.token, before.etag);
    expect(after.status).toBe(200);
    expect(after.body.items.map((x: { id: number }) => x.id)).not.toContain(id);
    expect(await env.p.db.selectFrom('out_pins').select('item_id').where('item_id', '=', id).execute()).toEqual([]);
    expect((await screenRows(s.id, id)).map((r) => `${r.kind}:${r.event}:v${r.version}:${r.state}`)).toEqual(['shown:published:v1:delivered', 'withdrawal:withdrawn:v1:delivered']);
    // The item's ledger: the screen carries nothing outdated (it was told).
    expect((await ledgerOf(env.p.db, id)).find((c) => c.channel === 'screen')).toMatchObject({ outdated: 0 });
    // Fetching again writes nothing more; the channel handler run twice is harmless.
    await playlist(s.token);
    expect(await screenRows(s.id, id)).toHaveLength(2);
  });

  it('shows a corrected item at its new version', async () => {
    const s = await createScreen(dzbAdmin, { name: '测试屏五', departmentId: String(dzbId), departments: String(dzbId) });
    const id = await publish(env, { title: '将被更正的通知' });
    await env.drain();
    const a = await playlist(s.token);
    expect(a.body.items.find((x: { id: number }) => x.id === id)).toMatchObject({ version: 1 });
    expect((await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '更正后的内容概述' } })).statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
    await env.drain();
    const b = await playlist(s.token, a.etag);
    expect(b.status).toBe(200);
    const hash = (await env.p.db.selectFrom('pub_versions').select('hash').where('item_id', '=', id).where('version', '=', 2).executeTakeFirstOrThrow()).hash;
    expect(b.body.items.find((x: { id: number }) => x.id === id)).toMatchObject({ version: 2, summary: '更正后的内容概述', hash });
    expect((await screenRows(s.id, id)).map((r) => `${r.kind}:v${r.version}`)).toEqual(['shown:v1', 'shown:v2']);
    expect((await ledgerOf(env.p.db, id)).find((c) => c.channel === 'screen')).toMatchObject({ newestVersion: 2, outdated: 0 });
  });

  it('has a kiosk page (noindex, escaped titles, the list without scripts); an unknown token is a 404', async () => {
    const s = await createScreen(dzbAdmin, { name: '测试屏六<b>', departmentId: String(dzbId), departments: String(dzbId) });
    const id = await publish(env, { title: '<script>alert(1)</script>标题' });
    await env.drain();
    const r = await get(`/screens/${s.token}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-robots-tag']).toContain('noindex');
    expect(r.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
    expect(r.body).toContain(`data-playlist="/screens/${s.token}/playlist.json"`);
    expect(r.body).toContain('<script src="/static/kiosk.js" defer></script>');
    expect(r.body).toContain('&lt;script>alert(1)&lt;/script>标题');
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).toContain('测试屏六&lt;b>');
    expect(r.body).toMatch(new RegExp(`<li class="kiosk-item" data-id="${id}"`));
    expect((await playlist(s.token)).body.items.find((x: { id: number }) => x.id === id).title).toBe('<script>alert(1)</script>标题');
    for (const bad of ['0123456789abcdef0123456789abcdef', 'x', '%00']) {
      expect((await get(`/screens/${bad}`)).statusCode).toBeGreaterThanOrEqual(400);
      expect((await get(`/screens/${bad}/playlist.json`)).statusCode).toBeLessThan(500);
    }
    expect((await get('/screens/0123456789abcdef0123456789abcdef')).statusCode).toBe(404);
    const js = await get('/static/kiosk.js');
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain('If-None-Match');
  });
});

describe('the console', () => {
  it("shows and changes only the outlets of one's departments: another department's is a 404", async () => {
    const own = await createScreen(dzbAdmin, { name: '党政办的屏', departmentId: String(dzbId) });
    const theirs = await createScreen(admin, { name: '发改局的屏', departmentId: String(fgjId) });
    const list = await get('/admin/channels/outlets', dzbAdmin.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('党政办的屏');
    expect(list.body).not.toContain('发改局的屏');
    expect(list.body).toContain('区政务服务中心大厅电子屏');
    expect((await get(`/admin/channels/outlets/${own.id}`, dzbAdmin.cookie)).statusCode).toBe(200);
    expect((await get(`/admin/channels/outlets/${theirs.id}`, dzbAdmin.cookie)).statusCode).toBe(404);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${theirs.id}`, { name: '改名', departmentId: String(dzbId) })).statusCode).toBe(404);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${theirs.id}/delete`, { confirm: 'yes' })).statusCode).toBe(404);
    expect((await get(`/admin/channels/outlets/${theirs.id}`, admin.cookie)).body).toContain('发改局的屏');
    // Nor may one create an outlet for another department.
    const r = await post(dzbAdmin, '/admin/channels/outlets', { kind: 'screen', name: '越权', departmentId: String(fgjId) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('请选择您有权管理的部门');
    // An editor has no access to the console at all.
    const editor = (await login(env.app, 'dzb-editor')).cookie;
    expect((await get('/admin/channels/outlets', editor)).statusCode).toBe(403);
    // Delete with confirmation.
    expect((await post(dzbAdmin, `/admin/channels/outlets/${own.id}/delete`, {})).statusCode).toBe(400);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${own.id}/delete`, { confirm: 'yes' })).statusCode).toBe(303);
    expect((await get(`/admin/channels/outlets/${own.id}`, dzbAdmin.cookie)).statusCode).toBe(404);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ kind: 'screen', name: '', departmentId: String(dzbId) }, '请填写名称'],
      [{ kind: 'tv', name: 'x', departmentId: String(dzbId) }, '请选择显示屏或公开栏'],
      [{ kind: 'screen', name: 'x', departmentId: String(dzbId), newest: 'abc' }, '请填写0至50之间的整数'],
      [{ kind: 'screen', name: 'x', departmentId: String(dzbId), rotateSeconds: '99999999999' }, '请填写5至600之间的整数'],
      [{ kind: 'screen', name: 'x', departmentId: '99999999999' }, '请选择您有权管理的部门'],
      [{ kind: 'screen', name: 'x', departmentId: String(dzbId), types: 'nonsense' }, '所选信息类型不存在'],
      [{ kind: 'screen', name: 'x', departmentId: String(dzbId), departments: '99999999999' }, '所选部门不存在'],
    ];
    for (const [data, message] of cases) {
      const r = await post(dzbAdmin, '/admin/channels/outlets', data);
      expect(r.statusCode, JSON.stringify(data)).toBe(400);
      expect(r.body, JSON.stringify(data)).toContain(message);
    }
    const s = await createScreen(dzbAdmin, { name: '输入测试', departmentId: String(dzbId) });
    const pin = await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins`, { item: '不存在的索引号' });
    expect(pin.statusCode).toBe(400);
    expect(pin.body).toContain('没有找到这条公开的目录信息');
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins/1/move`, { dir: 'sideways' })).statusCode).toBe(400);
    expect((await post(dzbAdmin, `/admin/channels/outlets/${s.id}/pins/99999999999/delete`, {})).statusCode).toBe(404);
  });
});
