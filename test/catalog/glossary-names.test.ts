// The glossary's names in the catalog (issue 14): `disclosure` 'on-request' / 'withheld' and
// `withholdGround` (before: 'on_request' / 'not_public', `disclosureGround`). The data migration
// renames them in versions not yet published and leaves published, hashed versions untouched;
// the API and the editor still accept the old names for one release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';
import { canonicalJson, sm3 } from '../../src/platform/hash.js';
import { migrate } from '../../src/platform/platform.js';
import { readMeta } from '../../src/platform/publication/index.js';
import { DOC, draft, publish, step } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const versionRow = (id: number, version = 1) => env.p.db.selectFrom('pub_versions').selectAll().where('item_id', '=', id).where('version', '=', version).executeTakeFirstOrThrow();
const storedMeta = async (id: number, version = 1) => JSON.parse((await versionRow(id, version)).meta);

/** Rewrites a stored meta to the names used before the glossary alignment. */
function oldNames(meta: Record<string, unknown>, disclosure: string, ground: string) {
  const { withholdGround: _w, ...rest } = meta;
  return { ...rest, disclosure, disclosureGround: ground };
}

describe('data migration 2005-publication-glossary-names', () => {
  it('renames the metadata of unpublished versions and leaves published versions (and their hashes) as they were', async () => {
    // Drafts saved before the change: one 依申请公开, one 不予公开 with its ground, one in review.
    const onRequest = await draft(env);
    const withheld = await draft(env);
    const inReview = await draft(env);
    expect((await step(env, inReview, 'dzb-editor', 'submit')).statusCode).toBe(200);
    for (const [id, d, g] of [[onRequest, 'on_request', ''], [withheld, 'not_public', '第十五条 商业秘密'], [inReview, 'proactive', '']] as const) {
      await env.p.db.updateTable('pub_versions').set({ meta: JSON.stringify(oldNames(await storedMeta(id), d, g)) }).where('item_id', '=', id).execute();
    }
    // A version published before the change: its meta and canonical text carry the old names (format /1).
    const pubId = await publish(env);
    const row = await versionRow(pubId);
    const canon = JSON.parse(row.canonical!);
    const oldMeta = oldNames(canon.meta, 'proactive', '');
    const oldCanonical = canonicalJson({ ...canon, format: 'gongkai-publication-version/1', meta: oldMeta });
    const oldHash = sm3(oldCanonical);
    await env.p.db.updateTable('pub_versions').set({ meta: JSON.stringify(oldMeta), canonical: oldCanonical, hash: oldHash }).where('id', '=', row.id).execute();
    const before = await versionRow(pubId);

    await env.p.db.deleteFrom('gk_migrations' as any).where('name', '=', '2005-publication-glossary-names').execute();
    expect(await migrate(env.p)).toContain('2005-publication-glossary-names');

    const m1 = await storedMeta(onRequest);
    expect(m1.disclosure).toBe('on-request');
    expect(m1).not.toHaveProperty('disclosureGround');
    const m2 = await storedMeta(withheld);
    expect(m2).toMatchObject({ disclosure: 'withheld', withholdGround: '第十五条 商业秘密' });
    expect(m2).not.toHaveProperty('disclosureGround');
    const m3 = await storedMeta(inReview);
    expect(m3).toMatchObject({ disclosure: 'proactive', withholdGround: '' });
    expect(m3).not.toHaveProperty('disclosureGround');

    // The published version is byte for byte what it was, and its hash still verifies.
    const after = await versionRow(pubId);
    expect(after).toEqual(before);
    expect(sm3(after.canonical!)).toBe(oldHash);
    const download = await env.api('GET', `/catalog/items/${pubId}/versions/1.json`);
    expect(download.body).toBe(oldCanonical);
    expect(sm3(download.rawPayload)).toBe(oldHash);
    const doc = (await env.api('GET', `/api/v1/documents/${pubId}`)).json();
    expect(doc).toMatchObject({ hash: oldHash, disclosure: 'proactive' });
    expect((await env.api('GET', `/api/v1/documents/${pubId}/versions`)).json().items[0].hash).toBe(oldHash);
    // Readers map the old names: an edit of that item starts a draft under the new names.
    const r = await env.api('PATCH', `/api/v1/documents/${pubId}`, { as: 'dzb-editor', body: { summary: '修订概述' } });
    expect(r.json().version).toBe(2);
    const v2 = await storedMeta(pubId, 2);
    expect(v2).toMatchObject({ disclosure: 'proactive', withholdGround: '', summary: '修订概述' });
    expect(v2).not.toHaveProperty('disclosureGround');
    expect(readMeta(JSON.stringify({ ...v2, disclosure: 'not_public', disclosureGround: '第十五条 个人隐私', withholdGround: undefined }))).toMatchObject({ disclosure: 'withheld', withholdGround: '第十五条 个人隐私' });
  });

  it('publishes new versions in canonical format /2 with the new names', async () => {
    const id = await publish(env);
    const canon = JSON.parse((await env.api('GET', `/catalog/items/${id}/versions/1.json`)).body);
    expect(canon.format).toBe('gongkai-publication-version/2');
    expect(canon.meta).toMatchObject({ disclosure: 'proactive', withholdGround: '' });
    expect(canon.meta).not.toHaveProperty('disclosureGround');
  });
});

describe('old names accepted until the next release', () => {
  it('the JSON API maps the old disclosure values and disclosureGround', async () => {
    let r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, disclosure: 'not_public' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.withholdGround).toBeTruthy();
    r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, disclosure: 'not_public', disclosureGround: '第十五条 商业秘密' } });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const m = await storedMeta(id);
    expect(m).toMatchObject({ disclosure: 'withheld', withholdGround: '第十五条 商业秘密' });
    expect(m).not.toHaveProperty('disclosureGround');
    r = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { disclosureGround: '第十五条 个人隐私' } });
    expect(r.statusCode, r.body).toBe(200);
    expect((await storedMeta(id)).withholdGround).toBe('第十五条 个人隐私');
    const onRequest = await draft(env, 'dzb-editor', { disclosure: 'on_request' });
    expect((await storedMeta(onRequest)).disclosure).toBe('on-request');
    expect((await step(env, onRequest, 'dzb-editor', 'submit')).statusCode).toBe(409);
  });

  it('OpenAPI shows the new values and marks the old ones deprecated', async () => {
    const spec = (await env.api('GET', '/api/openapi.json')).json();
    const body = spec.paths['/api/v1/documents'].post.requestBody.content['application/json'].schema.properties;
    expect(body.disclosure.anyOf[0].enum).toEqual(['proactive', 'on-request', 'withheld']);
    expect(body.disclosure.anyOf[1]).toMatchObject({ enum: ['on_request', 'not_public'], deprecated: true });
    expect(body.withholdGround.deprecated).toBeUndefined();
    expect(body.disclosureGround.deprecated).toBe(true);
  });

  it('the editor form offers the new values and maps a form posted with the old ones', async () => {
    const { cookie } = await login(env.app, 'dzb-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/catalog/new', headers: { cookie } });
    expect(page.body).toContain('value="on-request"');
    expect(page.body).toContain('value="withheld"');
    expect(page.body).toContain('name="withholdGround"');
    expect(page.body).not.toContain('not_public');
    const ok = await env.app.inject({
      method: 'POST',
      url: '/admin/catalog/new',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFrom(page.body), department: 'dzb', title: '旧表单提交的不予公开信息', topic: '0201', genre: '通知', writtenAt: '2026-01-20', body: '<p>正文</p>', disclosure: 'not_public', disclosureGround: '第十六条 内部事务信息' }),
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const id = Number(/\/admin\/catalog\/(\d+)/.exec(String(ok.headers.location))![1]);
    expect(await storedMeta(id)).toMatchObject({ disclosure: 'withheld', withholdGround: '第十六条 内部事务信息' });
  });
});

describe('政府信息公开指南 under its glossary name (disclosureGuide)', () => {
  it('migration 2006-catalog-disclosure-guide-key moves the settings of the guide text', async () => {
    const czj = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'czj').executeTakeFirstOrThrow();
    await env.p.db.deleteFrom('settings').where('key', '=', `catalog.disclosure_guide.${czj.id}`).execute();
    await env.p.db.insertInto('settings').values({ key: `catalog.guide.${czj.id}`, value: '旧键名下保存的补充说明', updated_at: new Date().toISOString() }).execute();
    await env.p.db.deleteFrom('gk_migrations' as any).where('name', '=', '2006-catalog-disclosure-guide-key').execute();
    expect(await migrate(env.p)).toEqual(['2006-catalog-disclosure-guide-key']);
    const keys = (await env.p.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', '%guide%').execute()).map((r) => `${r.key}=${r.value}`);
    expect(keys).toContain(`catalog.disclosure_guide.${czj.id}=旧键名下保存的补充说明`);
    expect(keys.filter((k) => k.startsWith('catalog.guide.'))).toEqual([]);
    expect((await env.api('GET', '/catalog/disclosure-guide/czj')).body).toContain('旧键名下保存的补充说明');
  });

  it('the old public addresses redirect permanently to the new ones, query kept', async () => {
    let r = await env.api('GET', '/catalog/guide');
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/catalog/disclosure-guide');
    r = await env.api('GET', '/catalog/guide/fgj?lang=en');
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/catalog/disclosure-guide/fgj?lang=en');
    r = await env.api('GET', String(r.headers.location));
    expect(r.statusCode).toBe(200);
    expect((await env.api('GET', '/catalog/disclosure-guide')).body).toContain('href="/catalog/disclosure-guide/fgj"');
    expect((await env.api('GET', '/catalog')).body).toContain('href="/catalog/disclosure-guide"');
  });

  it('the console page moved too: the old address redirects (301 for GET, 308 for a form posted there), saving writes the new key', async () => {
    const { cookie } = await login(env.app, 'admin');
    let r = await env.app.inject({ method: 'GET', url: '/admin/catalog/guide/fgj', headers: { cookie } });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/admin/catalog/disclosure-guide/fgj');
    const page = await env.app.inject({ method: 'GET', url: '/admin/catalog/disclosure-guide/fgj', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/admin/catalog/disclosure-guide/fgj"');
    const payload = form({ _csrf: csrfFrom(page.body), text: '新地址保存的补充说明' });
    r = await env.app.inject({ method: 'POST', url: '/admin/catalog/guide/fgj', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload });
    expect(r.statusCode).toBe(308);
    expect(r.headers.location).toBe('/admin/catalog/disclosure-guide/fgj');
    r = await env.app.inject({ method: 'POST', url: String(r.headers.location), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload });
    expect(r.statusCode).toBe(303);
    const fgj = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'fgj').executeTakeFirstOrThrow();
    expect((await env.p.db.selectFrom('settings').select('value').where('key', '=', `catalog.disclosure_guide.${fgj.id}`).executeTakeFirst())?.value).toBe('新地址保存的补充说明');
    const ev = await env.p.db.selectFrom('audit_events').select('action').where('entity', '=', 'department').where('entity_id', '=', String(fgj.id)).where('action', 'like', 'catalog.%').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(ev.action).toBe('catalog.disclosure_guide');
    expect((await env.api('GET', '/catalog/disclosure-guide/fgj')).body).toContain('新地址保存的补充说明');
  });
});
