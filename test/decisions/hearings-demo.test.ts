// The demo hearing (demo/hearings.ts): announced by fgj-editor with the notice period respected
// (the setting followed), registration still open, materials published, applicants of every
// viewpoint and two attendees; the public page shows it without any applicant's name or contact,
// and a citizen can still apply through the API. Deterministic for a decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { putSetting } from '../../src/platform/settings/index.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';
import { shanghaiDate } from '../../src/platform/dates.js';
import { addDays } from '../../src/modules/decisions/service/hearings.js';
import { demoHearing, demoPastHearing, DEMO_APPLICANTS, DEMO_ATTENDEES } from '../../src/modules/decisions/demo/hearings.js';
import { verifyHearingDraw } from '../../src/modules/decisions/service/hearing-draw.js';
import { apply, insertDecision } from './hearings-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

const hearing = (hid: number) => env.p.db.selectFrom('dec_hearings').selectAll().where('id', '=', hid).executeTakeFirstOrThrow();
const applicants = (hid: number) => env.p.db.selectFrom('dec_hearing_applicants').select(['name', 'phone', 'email', 'viewpoint', 'reason']).where('hearing_id', '=', hid).orderBy('id').execute();

describe('demoHearing', () => {
  it('announces a hearing the public can still register for, with applicants of every viewpoint, materials and attendees', async () => {
    const decisionId = await insertDecision(env);
    const hid = await demoHearing(env.p, decisionId);
    const h = await hearing(hid);
    expect(h.state).toBe('announced');
    expect(h.item_id).toBeGreaterThan(0);
    expect(h.created_by).toBe('user:fgj-editor');
    // The default notice period (10 days), by Shanghai dates; registration closes before it starts, in the future.
    expect(shanghaiDate(h.starts_at) >= addDays(todayShanghai(), 10)).toBe(true);
    expect(Date.parse(h.registration_closes_at)).toBeGreaterThan(Date.now());
    expect(h.registration_closes_at < h.starts_at).toBe(true);

    const apps = await applicants(hid);
    expect(apps.length).toBeGreaterThanOrEqual(6);
    expect(apps.length).toBeLessThanOrEqual(8);
    for (const v of ['for', 'against', 'other']) expect(apps.filter((a) => a.viewpoint === v).length).toBeGreaterThanOrEqual(2);
    const att = await env.p.db.selectFrom('dec_hearing_attendance').select(['name', 'status']).where('hearing_id', '=', hid).execute();
    expect(att).toHaveLength(2);
    expect(att.every((a) => a.status === 'confirmed')).toBe(true);

    // The public page: the notice, registration open with the apply link, counts, the materials; no name or contact.
    const page = await env.app.inject({ url: `/decisions/hearings/${hid}`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    const n = (v: string) => apps.filter((a) => a.viewpoint === v).length;
    for (const words of [h.title, h.place, `/decisions/hearings/${hid}/apply`, `已有${apps.length}人报名（赞成${n('for')}人，反对${n('against')}人，其他意见${n('other')}人）`, '听证材料：决策草案及起草说明.docx']) expect(page.body).toContain(words);
    expect(page.body).not.toContain('报名已截止');
    for (const a of apps) {
      expect(page.body).not.toContain(a.name);
      if (a.phone) expect(page.body).not.toContain(a.phone);
      if (a.email) expect(page.body).not.toContain(a.email);
    }
    for (const [name, phone] of DEMO_ATTENDEES) {
      expect(page.body).not.toContain(name);
      expect(page.body).not.toContain(phone);
    }
    const api = (await env.api('GET', `/api/v1/hearings/${hid}`)).json();
    expect(api).toMatchObject({ registrationOpen: true, applicants: { total: apps.length }, attendance: { confirmed: 2, waiting: 0 } });
    expect(JSON.stringify(api)).not.toMatch(/1[3-9]\d{9}|@example\.cn/);

    // A citizen applies through the API; the count goes up.
    const r = await apply(env, hid, 'against', '钱文斌');
    expect(r.statusCode, r.body).toBe(201);
    expect((await env.api('GET', `/api/v1/hearings/${hid}`)).json().applicants.total).toBe(apps.length + 1);
    // Staff see the applicants' contacts.
    const staff = await env.api('GET', `/api/v1/hearings/${hid}/applicants`, { as: 'fgj-editor' });
    expect(staff.statusCode).toBe(200);
    expect(JSON.stringify(staff.json())).toContain(apps[0].phone || apps[0].email);
  });

  it('follows the notice period setting', async () => {
    await env.p.tx((t) => putSetting(t, 'decisions.hearing_notice_days', '30'));
    try {
      const hid = await demoHearing(env.p, await insertDecision(env));
      expect(shanghaiDate((await hearing(hid)).starts_at) >= addDays(todayShanghai(), 30)).toBe(true);
    } finally {
      await env.p.tx((t) => putSetting(t, 'decisions.hearing_notice_days', '10'));
    }
  });

  it('is deterministic for a decision: the same day, place and applicants again', async () => {
    const decisionId = await insertDecision(env, 'scjg', '示范新区农贸市场管理办法');
    const a = await hearing(await demoHearing(env.p, decisionId));
    const b = await hearing(await demoHearing(env.p, decisionId));
    expect(b.id).not.toBe(a.id);
    expect([b.title, b.starts_at, b.place, b.registration_closes_at]).toEqual([a.title, a.starts_at, a.place, a.registration_closes_at]);
    expect(a.created_by).toBe('user:scjg-editor');
    expect(await applicants(b.id)).toEqual(await applicants(a.id));
    expect((await applicants(a.id)).every((x) => DEMO_APPLICANTS.some((d) => d[0] === x.name && d[3] === x.viewpoint))).toBe(true);
  });

  it('refuses a decision that is no longer open (the service says why)', async () => {
    const decisionId = await insertDecision(env);
    await env.p.db.updateTable('dec_decisions').set({ status: 'published' }).where('id', '=', decisionId).execute();
    await expect(demoHearing(env.p, decisionId)).rejects.toMatchObject({ status: 409 });
    expect(await env.p.db.selectFrom('dec_hearings').select('id').where('decision_id', '=', decisionId).execute()).toEqual([]);
  });
});

describe('demoPastHearing', () => {
  it('a hearing held weeks ago: notice dated before, participants drawn by a record that re-runs, the record signed, attendees', async () => {
    const decisionId = await insertDecision(env);
    const hid = await demoPastHearing(env.p, decisionId);
    const h = await hearing(hid);
    expect(h.state).toBe('held');
    expect(h.created_by).toBe('user:fgj-editor');
    expect(Date.parse(h.starts_at)).toBeLessThan(Date.now() - 14 * 86_400_000);
    // The notice went out before registration closed, at least the notice period before the hearing.
    const item = await env.p.db.selectFrom('pub_items').select(['published_at']).where('id', '=', h.item_id!).executeTakeFirstOrThrow();
    expect(Date.parse(String(item.published_at))).toBeLessThan(Date.parse(h.registration_closes_at));
    expect(shanghaiDate(h.starts_at) >= addDays(shanghaiDate(String(item.published_at)), 10)).toBe(true);
    // The draw record is the real thing: it verifies, and 5 of the applicants are selected.
    const record = JSON.parse(h.draw);
    expect(verifyHearingDraw(record)).toEqual({ match: true });
    const selected = await env.p.db.selectFrom('dec_hearing_applicants').select(['name', 'signed_at']).where('hearing_id', '=', hid).where('selected', '=', 1).execute();
    expect(selected).toHaveLength(5);
    expect(selected.filter((s) => s.signed_at).length).toBe(4);
    // The public page: the participants (names masked), signatures, the record; no contacts.
    const page = await env.app.inject({ method: 'GET', url: `/decisions/hearings/${hid}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('听证笔录');
    for (const [name, phone] of DEMO_APPLICANTS.map((a) => [a[0], a[1]])) {
      expect(page.body).not.toContain(name);
      if (phone) expect(page.body).not.toContain(phone);
    }
    const rec = JSON.parse(h.record_file);
    expect((await env.app.inject({ method: 'GET', url: `/decisions/hearings/${hid}/files/${rec.fileId}` })).statusCode).toBe(200);
    // Deterministic: the same decision gives the same hearing.
    const again = await hearing(await demoPastHearing(env.p, decisionId));
    expect([again.title, again.starts_at, again.place, JSON.parse(again.draw).selection.length]).toEqual([h.title, h.starts_at, h.place, 5]);
  });
});
