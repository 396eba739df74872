// The platform parts (core, calendar + deadlines, the publication spine, messaging) are registered
// by the platform itself: it boots and does its work with no capability module mounted, and
// removing any one capability module leaves the rest working.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { MODULES } from '../../src/modules/index.js';
import { PLATFORM_PARTS } from '../../src/platform/parts.js';
import { registerItemType, publishApproved, publishApprovedMany, reviseApproved, withdrawApproved, defaultMeta } from '../../src/platform/publication/index.js';
import { enqueueMail } from '../../src/platform/mail/index.js';
import { sendMessage, sinkMessages } from '../../src/platform/channels/index.js';
import { startClock, completeClock } from '../../src/platform/deadlines/index.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { createDepartment, createUser } from '../../src/modules/org/service.js';
import { postNotices } from '../../src/platform/messaging/inbox.js';

registerItemType<{ text: string }>({
  type: 'bare-notice',
  section: 'catalog',
  label: 'publication.type.other',
  schema: Type.Object({ text: Type.String() }),
  category: 'a20-01',
  searchText: (d) => d.text,
  render: (d) => h('p', null, d.text),
  url: (id) => `/bare/${id}`,
});

describe('the platform with no capability module', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv({ demo: false, modules: [] });
  });
  afterAll(async () => env?.close());

  it('mounts only its parts and serves its own pages', async () => {
    expect(env.p.modules.map((m) => m.name)).toEqual(PLATFORM_PARTS.map((m) => m.name));
    expect(PLATFORM_PARTS.map((m) => m.name)).toEqual(['platform', 'deadlines', 'publication', 'messaging']);
    expect((await env.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/admin/login' })).statusCode).toBe(200);
    expect([302, 303]).toContain((await env.app.inject({ url: '/admin' })).statusCode);
    expect((await env.app.inject({ url: '/catalog' })).statusCode).toBe(404);
  });

  it('publishes an item through the spine, keeps its clock, and delivers mail and messages', async () => {
    const p = env.p;
    const dept = await createDepartment(p, 'cli', { code: 'bgs', name: '区政府办公室', kind: 'bureau' });
    await ensureCalendar(p.db);
    const { id, indexNo } = await p.tx(async (t) => {
      const clock = await startClock(p, t, { subjectType: 'bare', subjectId: 1, rule: 'disclosure.publish', start: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), departmentId: dept.id, title: '测试公告', url: '/bare/1', publicSubject: false, responsibleUserId: null });
      expect(clock.due).toMatch(/^\d{4}-\d\d-\d\d$/);
      const r = await publishApproved(p, t, 'system', { type: 'bare-notice', departmentId: dept.id, meta: defaultMeta({ title: '测试公告', topic: '0201', genre: '公告' }), data: { text: '正文' } });
      await completeClock(p, t, 'bare', 1);
      await enqueueMail(p, t, { to: 'someone@example.org', subject: '已发布', text: `索引号 ${r.indexNo}` }, `bare:${r.id}`);
      await sendMessage(p, t, { channel: 'sms', to: '13800000000', text: '已发布' });
      return r;
    });
    expect(indexNo).toMatch(/^.+\/\d{4}-\d{5}$/);
    await env.drain();
    const jobs = await p.db.selectFrom('jobs').select(['kind', 'status']).execute();
    expect(jobs.filter((j) => j.status !== 'done')).toEqual([]);
    // No search module mounted: no search jobs queued for it.
    expect(jobs.map((j) => j.kind)).not.toContain('search.sync');
    expect(jobs.map((j) => j.kind)).toEqual(expect.arrayContaining(['publication.deliver.feeds', 'mail.send', 'channel.send']));
    expect(readdirSync(join(env.dataDir, 'outbox-mail')).length).toBe(1);
    expect(sinkMessages(p, 'sms').map((m) => m.text)).toEqual(['已发布']);
    const clock = await p.db.selectFrom('clocks').select(['status']).where('subject_type', '=', 'bare').executeTakeFirstOrThrow();
    expect(clock.status).toBe('completed');
    const item = await p.db.selectFrom('pub_items').select(['public', 'index_no']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(item).toEqual({ public: 1, index_no: indexNo });
    expect(await p.tx((t) => withdrawApproved(p, t, 'system', id, '测试撤回'))).toBe(true);
    expect((await p.db.selectFrom('pub_items').select('public').where('id', '=', id).executeTakeFirstOrThrow()).public).toBe(0);
  });

  it('refuses to publish what is not proactively disclosed, or has a bad field, and writes nothing', async () => {
    const p = env.p;
    const dept = await p.db.selectFrom('departments').select('id').where('code', '=', 'bgs').executeTakeFirstOrThrow();
    const before = await p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const ok = { type: 'bare-notice', departmentId: dept.id, meta: defaultMeta({ title: '测试', topic: '0201', genre: '公告' }), data: { text: '正文' } };
    await expect(p.tx((t) => publishApproved(p, t, 'system', { ...ok, meta: { ...ok.meta, disclosure: 'withheld', withholdGround: '第十五条' } }))).rejects.toMatchObject({ status: 400, fields: { disclosure: 'err.pub.not_proactive' } });
    await expect(p.tx((t) => publishApprovedMany(p, t, 'system', [ok, { ...ok, meta: { ...ok.meta, title: '' } }]))).rejects.toMatchObject({ status: 400, fields: { 'items[1].title': 'err.field.required' } });
    await expect(p.tx((t) => publishApproved(p, t, 'system', { ...ok, departmentId: 999999 }))).rejects.toMatchObject({ status: 400, fields: { departmentId: 'err.field.invalid' } });
    expect(await p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('publishes a new version of a module item: the old one superseded, its hash kept, the event "changed" delivered', async () => {
    const p = env.p;
    const dept = await p.db.selectFrom('departments').select('id').where('code', '=', 'bgs').executeTakeFirstOrThrow();
    const { id } = await p.tx((t) => publishApproved(p, t, 'system', { type: 'bare-notice', departmentId: dept.id, meta: defaultMeta({ title: '初稿公告', topic: '0201', genre: '公告' }), data: { text: '第一版' } }));
    const v1 = await p.db.selectFrom('pub_versions').select('hash').where('item_id', '=', id).where('version', '=', 1).executeTakeFirstOrThrow();
    expect(await p.tx((t) => reviseApproved(p, t, 'system', id, { meta: { title: '更正后的公告' }, data: { text: '第二版' }, changeNote: '更正错字' }))).toBe(2);
    await env.drain();
    const versions = await p.db.selectFrom('pub_versions').select(['version', 'state', 'hash']).where('item_id', '=', id).orderBy('version').execute();
    expect(versions.map((v) => [v.version, v.state])).toEqual([[1, 'superseded'], [2, 'published']]);
    expect(versions[0].hash).toBe(v1.hash);
    expect(versions[1].hash).not.toBe(v1.hash);
    expect(await p.db.selectFrom('pub_items').select(['title', 'published_version', 'latest_version']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ title: '更正后的公告', published_version: 2, latest_version: 2 });
    const events = (await p.db.selectFrom('jobs').select('payload').where('kind', '=', 'publication.deliver.feeds').execute()).map((j) => JSON.parse(j.payload)).filter((e) => e.id === id);
    expect(events.map((e) => `${e.event}:v${e.version}`).sort()).toEqual(['changed:v2', 'published:v1']);
  });

  it('keeps a staff inbox: a notice posted once per key, listed with the unread count, marked read', async () => {
    const p = env.p;
    await createUser(p, 'cli', { username: 'bgs-staff', password: 'Bare-platform-2026', department: 'bgs', roles: ['editor'] });
    const u = await p.db.selectFrom('users').select('id').where('username', '=', 'bgs-staff').executeTakeFirstOrThrow();
    const notice = { kind: 'urge', title: '请尽快办理', body: '督办说明', url: '/admin', dedupeKey: 'bare:1' };
    expect(await p.tx((t) => postNotices(t, [u.id, u.id], notice))).toBe(1);
    expect(await p.tx((t) => postNotices(t, [u.id], notice))).toBe(0);
    const r = (await env.api('GET', '/api/v1/notifications', { as: 'bgs-staff' })).json();
    expect(r).toMatchObject({ unread: 1, total: 1, items: [{ title: '请尽快办理', read: false }] });
  });

  it('refuses a spine step without a reason in the platform\'s own words (no module supplies them)', async () => {
    const { t } = await import('../../src/platform/i18n/index.js');
    expect(t('zh-CN', 'err.pub.reason_required')).not.toBe('err.pub.reason_required');
    expect(t('en', 'err.pub.reason_required')).not.toBe('err.pub.reason_required');
  });
});

describe('removing one capability module leaves the others working', () => {
  for (const m of MODULES) {
    it(`without ${m.name}`, async () => {
      const rest = MODULES.filter((x) => x !== m);
      const env = await makeEnv({ demo: false, modules: rest });
      try {
        expect((await env.app.inject({ url: '/' })).statusCode).toBe(200);
        expect((await env.app.inject({ url: '/healthz' })).statusCode).toBe(200);
        // Every public entry of the remaining modules answers without a server error.
        for (const r of rest) for (const n of r.nav?.public ?? []) expect((await env.app.inject({ url: n.href })).statusCode, `${r.name} ${n.href}`).toBeLessThan(500);
      } finally {
        await env.close();
      }
    });
  }
});
