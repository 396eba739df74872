import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { sm3 } from '../../src/platform/hash.js';
import { reviewHistory, runScheduled, runValidity, transition } from '../../src/platform/publication/index.js';
import { copyReviewsFromAudit } from '../../src/platform/publication/schema.js';
import { HttpError } from '../../src/platform/errors.js';
import { createUser } from '../../src/modules/org/service.js';
import { DOC, draft, publish, step } from './helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: DZB_WORKFLOW });
  // one person holding every role in 党政办 (for separation-of-duties checks)
  await createUser(env.p, 'cli', { username: 'dzb-all', password: 'Demo-2026-gongkai', department: 'dzb', roles: ['editor', 'reviewer', 'approver'] });
}, 120_000);
afterAll(() => env?.close());

describe('review workflow', () => {
  it('runs draft → secrecy_review → review → signing → published with a 索引号, audit events and a verifiable hash', async () => {
    const id = await draft(env);
    expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(404);
    expect((await env.api('GET', `/catalog/items/${id}`)).statusCode).toBe(404);
    const seen: string[] = [];
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) {
      const r = await step(env, id, who, action);
      expect(r.statusCode, r.body).toBe(200);
      seen.push(r.json().status);
      if (action !== 'approve' || seen.length < 4) expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(404);
    }
    expect(seen).toEqual(['secrecy_review', 'review', 'signing', 'published']);
    const pub = await env.api('GET', `/api/v1/documents/${id}`);
    expect(pub.statusCode).toBe(200);
    const doc = pub.json();
    expect(doc.indexNo).toMatch(/^552013579\/\d{4}-\d{5}$/);
    expect(doc).toMatchObject({ title: DOC.title, docNo: DOC.docNo, department: 'dzb', topic: '0203', genre: '通知', writtenAt: '2026-03-02', validity: 'valid', version: 1 });
    // by 索引号 too
    expect((await env.api('GET', `/api/v1/documents/${encodeURIComponent(doc.indexNo)}`)).json().id).toBe(id);
    // anyone can recompute the hash from the canonical download
    const canon = await env.api('GET', `/catalog/items/${id}/versions/1.json`);
    expect(canon.statusCode).toBe(200);
    expect(sm3(canon.rawPayload)).toBe(doc.hash);
    expect(JSON.parse(canon.body).meta.title).toBe(DOC.title);
    const page = await env.api('GET', `/catalog/items/${id}`);
    expect(page.body).toContain(doc.hash);
    expect(page.body).toContain(doc.indexNo);
    const events = await env.p.db.selectFrom('audit_events').select('action').where('entity', '=', 'pub_item').where('entity_id', '=', String(id)).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['publication.create', 'publication.submit', 'publication.approve', 'publication.approve', 'publication.approve', 'publication.publish']);
    const jobs = await env.p.db.selectFrom('jobs').select(['kind', 'payload']).where('kind', 'in', ['search.sync', 'publication.deliver.feeds']).execute();
    expect(jobs.some((j) => j.kind === 'search.sync' && JSON.parse(j.payload).id === id)).toBe(true);
    expect(jobs.some((j) => j.kind === 'publication.deliver.feeds' && JSON.parse(j.payload).id === id)).toBe(true);
  });

  it('refuses forbidden transitions with clear errors', async () => {
    const id = await draft(env);
    let r = await step(env, id, 'dzb-reviewer', 'approve');
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('草稿');
    r = await step(env, id, 'dzb-editor', 'withdraw', 'x');
    expect(r.statusCode).toBe(403);
    r = await step(env, id, 'dzb-approver', 'withdraw', 'x');
    expect(r.statusCode).toBe(409);
    r = await step(env, id, 'dzb-approver', 'repeal', 'x');
    expect(r.statusCode).toBe(409);
    r = await step(env, id, 'dzb-reviewer', 'submit');
    expect(r.statusCode).toBe(403);
    expect((await step(env, id, 'dzb-editor', 'submit')).statusCode).toBe(200);
    r = await step(env, id, 'dzb-editor', 'submit');
    expect(r.statusCode).toBe(409);
    // an editor cannot do secrecy review, a reviewer cannot sign
    r = await step(env, id, 'dzb-editor', 'approve');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('保密审查');
    // rejecting needs a reason
    r = await step(env, id, 'dzb-reviewer', 'reject');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.reason).toBeTruthy();
    expect((await step(env, id, 'dzb-reviewer', 'approve')).statusCode).toBe(200);
    expect((await step(env, id, 'dzb-reviewer2', 'approve')).statusCode).toBe(200);
    r = await step(env, id, 'dzb-reviewer2', 'approve');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('签发');
    // editing while under review is refused
    r = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { title: '改' } });
    expect(r.statusCode).toBe(409);
    // unknown action: schema error
    r = await env.api('POST', `/api/v1/documents/${id}/transitions`, { as: 'dzb-approver', body: { action: 'publish' } });
    expect(r.statusCode).toBe(400);
  });

  it('reject returns to draft with the reason; the draft can be fixed and resubmitted', async () => {
    const id = await draft(env);
    await step(env, id, 'dzb-editor', 'submit');
    await step(env, id, 'dzb-reviewer', 'approve');
    const r = await step(env, id, 'dzb-reviewer2', 'reject', '文号有误');
    expect(r.json().status).toBe('draft');
    const v = await env.p.db.selectFrom('pub_versions').select(['reject_reason', 'approvals']).where('item_id', '=', id).executeTakeFirstOrThrow();
    expect(v.reject_reason).toBe('文号有误');
    expect(JSON.parse(v.approvals)).toEqual([]);
    expect((await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { docNo: '示范新区发〔2026〕4号' } })).statusCode).toBe(200);
    expect((await step(env, id, 'dzb-editor', 'submit')).json().status).toBe('secrecy_review');
  });

  it('separation of duties: the author approves no stage; one person approves one stage (unless the department allows it)', async () => {
    const id = await draft(env, 'dzb-all');
    await step(env, id, 'dzb-all', 'submit');
    let r = await step(env, id, 'dzb-all', 'approve');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('起草人');
    const id2 = await draft(env, 'dzb-editor');
    await step(env, id2, 'dzb-editor', 'submit');
    expect((await step(env, id2, 'dzb-all', 'approve')).statusCode).toBe(200);
    r = await step(env, id2, 'dzb-all', 'approve');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('两个环节');
    // small department setting
    const { setMultiStage } = await import('../../src/platform/publication/index.js');
    const dzb = await env.p.db.selectFrom('departments').select('id').where('code', '=', 'dzb').executeTakeFirstOrThrow();
    await setMultiStage(env.p, 'cli', dzb.id, true);
    expect((await step(env, id2, 'dzb-all', 'approve')).statusCode).toBe(200);
    expect((await step(env, id2, 'dzb-all', 'approve')).json().status).toBe('published');
    // the author is still refused
    r = await step(env, id, 'dzb-all', 'approve');
    expect(r.statusCode).toBe(403);
    // so is anyone who edited the version
    const id3 = await draft(env, 'dzb-editor');
    expect((await env.api('PATCH', `/api/v1/documents/${id3}`, { as: 'dzb-all', body: { summary: '补充内容概述' } })).statusCode).toBe(200);
    await step(env, id3, 'dzb-editor', 'submit');
    r = await step(env, id3, 'dzb-all', 'approve');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('起草人');
    await setMultiStage(env.p, 'cli', dzb.id, false);
  });

  it('changing a published item makes a new version; the published one stays online and immutable', async () => {
    const id = await publish(env);
    const v1 = (await env.api('GET', `/api/v1/documents/${id}`)).json();
    const canon1 = (await env.api('GET', `/catalog/items/${id}/versions/1.json`)).body;
    let r = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { title: `${DOC.title}（修订）`, changeNote: '修订标题' } });
    expect(r.json()).toMatchObject({ status: 'draft', version: 2, publishedVersion: 1 });
    expect((await env.api('GET', `/api/v1/documents/${id}`)).json().title).toBe(DOC.title);
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) await step(env, id, who, action);
    const v2 = (await env.api('GET', `/api/v1/documents/${id}`)).json();
    expect(v2).toMatchObject({ version: 2, title: `${DOC.title}（修订）`, indexNo: v1.indexNo, publishedAt: v1.publishedAt });
    expect(v2.hash).not.toBe(v1.hash);
    const versions = (await env.api('GET', `/api/v1/documents/${id}/versions`)).json();
    expect(versions.items.map((v: any) => [v.version, v.hash])).toEqual([
      [1, v1.hash],
      [2, v2.hash],
    ]);
    expect(versions.items[1].changeNote).toBe('修订标题');
    // the stored version 1 is unchanged, byte for byte
    expect((await env.api('GET', `/catalog/items/${id}/versions/1.json`)).body).toBe(canon1);
    // a published version row cannot be edited through the service: editing creates version 3
    r = await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: 'x' } });
    expect(r.json().version).toBe(3);
    const row1 = await env.p.db.selectFrom('pub_versions').selectAll().where('item_id', '=', id).where('version', '=', 1).executeTakeFirstOrThrow();
    expect(sm3(row1.canonical!)).toBe(v1.hash);
    // the database refuses a second row for the same (item, version)
    const { id: _ignored, ...copy } = row1;
    await expect(env.p.db.insertInto('pub_versions').values({ ...copy, hash: 'forged' }).execute()).rejects.toThrow();
  });

  it('withdraw needs a reason; the URL then shows a withdrawal notice, not the content', async () => {
    const id = await publish(env, { body: '<p>撤回测试正文内容独特字符串</p>' });
    expect((await env.api('GET', `/catalog/items/${id}`)).body).toContain('撤回测试正文内容独特字符串');
    let r = await step(env, id, 'dzb-approver', 'withdraw');
    expect(r.statusCode).toBe(400);
    r = await step(env, id, 'dzb-approver', 'withdraw', '内容有误');
    expect(r.json().status).toBe('withdrawn');
    const page = await env.api('GET', `/catalog/items/${id}`);
    expect(page.statusCode).toBe(410);
    expect(page.body).not.toContain('撤回测试正文内容独特字符串');
    expect(page.body).toContain('已撤回');
    expect(page.body).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(404);
    expect((await env.api('GET', `/catalog/items/${id}/versions/1.json`)).statusCode).toBe(404);
    expect((await step(env, id, 'dzb-approver', 'withdraw', 'again')).statusCode).toBe(409);
  });

  it('repeal and expiry are recorded acts; validity switches automatically on the expiry date', async () => {
    const id = await publish(env);
    expect((await step(env, id, 'dzb-approver', 'repeal')).statusCode).toBe(400);
    expect((await step(env, id, 'dzb-approver', 'repeal', '被新文件替代')).statusCode).toBe(200);
    expect((await env.api('GET', `/api/v1/documents/${id}`)).json().validity).toBe('repealed');
    expect((await step(env, id, 'dzb-approver', 'repeal', 'again')).statusCode).toBe(409);
    expect((await env.api('GET', `/catalog/items/${id}`)).body).toContain('废止');

    // Shanghai calendar days: from 16:00 UTC the UTC date is a day behind Asia/Shanghai's.
    const shanghaiDay = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86400000).toISOString().slice(0, 10);
    const tomorrow = shanghaiDay(1);
    const id2 = await publish(env, { effectiveAt: '2026-01-01', expiresAt: tomorrow });
    expect((await env.api('GET', `/api/v1/documents/${id2}`)).json().validity).toBe('valid');
    const later = shanghaiDay(3);
    expect(await runValidity(env.p, later)).toBeGreaterThanOrEqual(1);
    expect((await env.api('GET', `/api/v1/documents/${id2}`)).json().validity).toBe('expired');
    const ev = await env.p.db.selectFrom('audit_events').select('action').where('entity_id', '=', String(id2)).where('action', '=', 'publication.expire').execute();
    expect(ev.length).toBe(1);
  });

  it('scheduled publication (定时发布) waits for its time', async () => {
    const at = new Date(Date.now() + 3600_000).toISOString();
    const id = await draft(env, 'dzb-editor', { publishAt: at });
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve']]) await step(env, id, who, action);
    const r = await step(env, id, 'dzb-approver', 'approve');
    expect(r.json().status).toBe('scheduled');
    expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(404);
    const job = await env.p.db.selectFrom('jobs').select(['run_at', 'payload']).where('kind', '=', 'publication.publish_scheduled').executeTakeFirstOrThrow();
    expect(job.run_at).toBe(at);
    await runScheduled(env.p, JSON.parse(job.payload));
    expect((await env.api('GET', `/api/v1/documents/${id}`)).statusCode).toBe(200);
  });

  it('the Art. 26 clock (rule disclosure.publish) runs from the formation date until publication', async () => {
    const id = await draft(env, 'dzb-editor', { formedAt: '2026-03-02' });
    const { clocksFor } = await import('../../src/platform/deadlines/index.js');
    let clocks = await clocksFor(env.p.db, 'publication', id);
    expect(clocks.length).toBe(1);
    expect(clocks[0]).toMatchObject({ state: 'running' });
    expect(clocks[0].rule).toBe('disclosure.publish');
    for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) await step(env, id, who, action);
    clocks = await clocksFor(env.p.db, 'publication', id);
    expect(clocks[0].state).toBe('completed');
    // a change starts a new clock
    await env.api('PATCH', `/api/v1/documents/${id}`, { as: 'dzb-editor', body: { summary: '变更' } });
    clocks = await clocksFor(env.p.db, 'publication', id);
    expect(clocks.filter((c) => c.state === 'running').length).toBe(1);
  });

  it('validates the metadata (topic, genre, dates, 公开方式)', async () => {
    let r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, topic: '9999' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.topic).toBeTruthy();
    r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, genre: '小说' } });
    expect(r.statusCode).toBe(400);
    r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, effectiveAt: '2026-05-01', expiresAt: '2026-04-01' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.expiresAt).toBeTruthy();
    r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, disclosure: 'withheld' } });
    expect(r.json().error.fields.withholdGround).toBeTruthy();
    r = await env.api('POST', '/api/v1/documents', { as: 'dzb-editor', body: { ...DOC, disclosure: 'secret' } });
    expect(r.statusCode).toBe(400);
    const id = await draft(env, 'dzb-editor', { disclosure: 'on-request' });
    r = await step(env, id, 'dzb-editor', 'submit');
    expect(r.statusCode).toBe(409);
  });
});

describe('审核意见 and the review history', () => {
  it('records each submission, approval and rejection with its opinion, who (display name, role) and when', async () => {
    const id = await draft(env);
    await step(env, id, 'dzb-editor', 'submit');
    expect((await step(env, id, 'dzb-reviewer', 'approve', '  不涉密，同意公开。 ')).statusCode).toBe(200);
    // a rejection needs an opinion; an approval does not
    expect((await step(env, id, 'dzb-reviewer2', 'reject')).statusCode).toBe(400);
    expect((await step(env, id, 'dzb-reviewer2', 'reject', '文号有误，请更正后再报。')).json().status).toBe('draft');
    await step(env, id, 'dzb-editor', 'submit');
    await step(env, id, 'dzb-reviewer', 'approve');
    const steps = await reviewHistory(env.p.db, id);
    expect(steps.map((s) => [s.version, s.action, s.stage, s.name, s.role, s.opinion])).toEqual([
      [1, 'submit', 'draft', '党政办编辑', 'editor', ''],
      [1, 'approve', 'secrecy_review', '党政办保密审查员', 'reviewer', '不涉密，同意公开。'],
      [1, 'reject', 'review', '党政办审核员', 'reviewer', '文号有误，请更正后再报。'],
      [1, 'submit', 'draft', '党政办编辑', 'editor', ''],
      [1, 'approve', 'secrecy_review', '党政办保密审查员', 'reviewer', ''],
    ]);
    expect(steps.every((s) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
    // the audit chain carries the opinion too
    const ev = await env.p.db.selectFrom('audit_events').select('details').where('entity_id', '=', String(id)).where('action', '=', 'publication.approve').orderBy('seq').executeTakeFirstOrThrow();
    expect(JSON.parse(ev.details).opinion).toBe('不涉密，同意公开。');
  });

  it('refuses an opinion over 1000 characters and writes nothing', async () => {
    const id = await draft(env);
    await step(env, id, 'dzb-editor', 'submit');
    expect((await step(env, id, 'dzb-reviewer', 'approve', '意'.repeat(1001))).statusCode).toBe(400);
    const reviewer = await env.p.db.selectFrom('users').select('id').where('username', '=', 'dzb-reviewer').executeTakeFirstOrThrow();
    const { loadPrincipal } = await import('../../src/platform/auth/identity.js');
    const u = (await loadPrincipal(env.p.db, reviewer.id, 'session'))!;
    const err = await transition(env.p, u, id, 'reject', '见'.repeat(1001)).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(400);
    expect(err.fields).toEqual({ reason: 'err.field.too_long' });
    expect((await reviewHistory(env.p.db, id)).map((s) => s.action)).toEqual(['submit']);
    const item = await env.p.db.selectFrom('pub_items').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(item.status).toBe('secrecy_review');
  });

  it('migration 2007 rebuilds the history of earlier steps from the audit chain', async () => {
    const id = await draft(env);
    await step(env, id, 'dzb-editor', 'submit');
    await step(env, id, 'dzb-reviewer', 'approve', '同意');
    await step(env, id, 'dzb-reviewer2', 'reject', '请补充附件');
    const before = (await env.p.db.selectFrom('pub_reviews').selectAll().orderBy('id').execute()).map(({ id: _i, role: _r, ...x }) => x);
    expect(before.length).toBeGreaterThanOrEqual(3);
    await env.p.db.deleteFrom('pub_reviews').execute();
    await copyReviewsFromAudit(env.p.db);
    const after = (await env.p.db.selectFrom('pub_reviews').selectAll().orderBy('id').execute()).map(({ id: _i, role: _r, ...x }) => x);
    // the same steps, opinions and people; the time is the audit event's (written a moment later)
    const noTime = (rows: typeof before) => rows.map(({ at: _a, ...x }) => x);
    expect(noTime(after)).toEqual(noTime(before));
    after.forEach((r, k) => expect(Math.abs(Date.parse(r.at) - Date.parse(before[k].at))).toBeLessThan(60_000));
  });
});
