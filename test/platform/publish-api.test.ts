// The one publish path: every module's publication, new version, withdrawal and end of validity
// reaches every registered delivery channel exactly once, with the item's type and version, and
// search sync runs for each; appeals' public pages follow the spine's "is it public".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { addChannel, type DeliveryPayload } from '../../src/platform/publication/index.js';
import { publish, draft, step } from '../catalog/helpers.js';
import { draftEdition, ensureList, publishEdition, approveEdition } from '../../src/modules/lists/service.js';

const received: DeliveryPayload[] = [];
addChannel('test-recorder', async (_p, payload) => {
  received.push(payload);
});

let env: TestEnv;
let jobsBefore = 0;
beforeAll(async () => {
  env = await makeEnv();
  await env.drain();
  received.length = 0;
  jobsBefore = Number((await env.p.db.selectFrom('jobs').select((eb) => eb.fn.max('id').as('n')).executeTakeFirst())?.n ?? 0);
});
afterAll(async () => env?.close());

// Jobs may run in any order (a worker runs a batch concurrently): compare as sorted lists.
const events = (id: number) => received.filter((r) => r.id === id).map((r) => `${r.type}:${r.event}:v${r.version}`).sort();

describe('publication events reach every channel exactly once', () => {
  it('a catalog document: published, changed, expired, repealed, withdrawn', async () => {
    const id = await publish(env);
    const r1 = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '修订后的内容概述' } });
    expect(r1.statusCode).toBe(200);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) expect((await step(env, id, who, action)).statusCode).toBe(200);
    expect((await step(env, id, 'dzb-approver', 'expire', '已到期')).statusCode).toBe(200);
    expect((await step(env, id, 'dzb-approver', 'repeal', '已废止')).statusCode).toBe(200);
    expect((await step(env, id, 'dzb-approver', 'withdraw', '内容有误')).statusCode).toBe(200);
    await env.drain();
    expect(events(id)).toEqual(['document:published:v1', 'document:changed:v2', 'document:expired:v2', 'document:repealed:v2', 'document:withdrawn:v2'].sort());
    // A draft that was never published sends nothing.
    const d = await draft(env);
    await env.drain();
    expect(events(d)).toEqual([]);
  });

  it('a list edition: the new edition is published, the one it replaces expires, in one change', async () => {
    const p = env.p;
    const dept = await p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow();
    const first = await p.tx(async (t) => {
      const listId = await ensureList(p, t, 'cli', 'foreign-investment', dept.id, '测试清单');
      const e = await draftEdition(p, 'cli', listId, { items: [{ no: '1', heading: '一、农业', measure: '禁止投资测试项目。', category: 'prohibited', authority: '商务部门', industries: ['A01'], keywords: ['测试'] }], reason: '首次发布', docNo: '测〔2026〕1号' }, t);
      await publishEdition(p, t, 'cli', e.id);
      return { listId, pub: (await t.selectFrom('list_editions').select('pub_item_id').where('id', '=', e.id).executeTakeFirstOrThrow()).pub_item_id! };
    });
    const next = await draftEdition(p, 'cli', first.listId, { items: [{ no: '1', heading: '一、农业', measure: '禁止投资测试项目（调整）。', category: 'prohibited', authority: '商务部门', industries: ['A01'], keywords: ['测试'] }], reason: '调整', docNo: '测〔2026〕2号' });
    const approved = await approveEdition(p, 'system', next.id);
    await env.drain();
    const second = (await p.db.selectFrom('list_editions').select('pub_item_id').where('id', '=', approved.id).executeTakeFirstOrThrow()).pub_item_id!;
    expect(events(first.pub)).toEqual(['list-edition:expired:v1', 'list-edition:published:v1']);
    expect(events(second)).toEqual(['list-edition:published:v1']);
  });

  it('an appeal: release publishes it, the appeal console withdraws it; the board follows the spine', async () => {
    const p = env.p;
    const a = await p.db.selectFrom('appeals').select(['id']).where('publish_state', '=', 'pending').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const masked = (await env.api('GET', `/api/v1/staff/appeals/${a.id}`, { as: 'sqzx-editor' })).json().masked;
    expect((await env.api('POST', `/api/v1/staff/appeals/${a.id}/release`, { as: 'sqzx-editor', body: masked })).statusCode).toBe(204);
    const item = (await p.db.selectFrom('appeals').select('pub_item_id').where('id', '=', a.id).executeTakeFirstOrThrow()).pub_item_id!;
    const page = await env.app.inject({ url: `/appeals/published/${item}` });
    expect(page.statusCode).toBe(200);
    expect((await env.app.inject({ url: '/appeals/board' })).body).toContain(`/appeals/published/${item}"`);
    expect((await env.api('POST', `/api/v1/staff/appeals/${a.id}/unpublish`, { as: 'sqzx-editor', body: { reason: '当事人要求' } })).statusCode).toBe(204);
    await env.drain();
    expect(events(item)).toEqual(['appeal:published:v1', 'appeal:withdrawn:v1']);
    expect((await env.app.inject({ url: `/appeals/published/${item}` })).statusCode).toBe(404);
  });

  it('an appeal withdrawn through the catalog console is gone from every public view of appeals', async () => {
    const p = env.p;
    const a = await p.db.selectFrom('appeals').innerJoin('pub_items', 'pub_items.id', 'appeals.pub_item_id').select(['appeals.id', 'appeals.pub_item_id', 'appeals.tracking_no', 'appeals.media', 'pub_items.department_id']).where('appeals.publish_state', '=', 'published').where('pub_items.public', '=', 1).orderBy('appeals.id', 'desc').executeTakeFirstOrThrow();
    const item = a.pub_item_id!;
    expect((await env.app.inject({ url: `/appeals/published/${item}` })).statusCode).toBe(200);
    const { transition } = await import('../../src/platform/publication/index.js');
    await transition(p, 'system', item, 'withdraw', '误发');
    await env.drain();
    expect(events(item)).toEqual(['appeal:withdrawn:v1']);
    expect((await env.app.inject({ url: `/appeals/published/${item}` })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/appeals/board' })).body).not.toContain(`/appeals/published/${item}"`);
    expect((await env.app.inject({ url: '/' })).body).not.toContain(`/appeals/published/${item}"`);
    // Open311 keeps its status fields only.
    const o311 = (await env.app.inject({ url: `/open311/v2/requests/${a.tracking_no}.json` })).json()[0];
    expect(o311).toMatchObject({ service_request_id: a.tracking_no, description: null, media_url: null });
    const board = (await env.app.inject({ url: '/api/v1/appeals/board?pageSize=100' })).json();
    expect(JSON.stringify(board)).not.toContain(`/appeals/published/${item}"`);
  });

  it('every event was delivered once per channel: the feeds channel saw the same events', async () => {
    const feeds = await env.p.db.selectFrom('jobs').select(['payload']).where('kind', '=', 'publication.deliver.feeds').where('id', '>', jobsBefore).execute();
    const mine = await env.p.db.selectFrom('jobs').select(['payload']).where('kind', '=', 'publication.deliver.test-recorder').where('id', '>', jobsBefore).execute();
    expect(mine.length).toBe(received.length);
    expect(feeds.map((r) => r.payload).sort()).toEqual(mine.map((r) => r.payload).sort());
    const keys = received.map((r) => `${r.id}:${r.event}:${r.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
