// Display periods of penalty decisions (REGULATIONS.md §6) on the exact days: 一般 decided
// 2026-01-15 is on display through 2027-01-14 and ended by the daily job on 2027-01-15; 严重
// through 2029-01-14; a decision of 30 November ends with February's last day clamped. The job is
// keyed per day, idempotent and audited once per decision; the spine item leaves the public lists
// and search while its record stays; a decision revoked or changed is taken down at once by its
// department's approver, with a note and a confirmation.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { login, makeEnv, form, csrfFrom, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { ensureCalendar } from '../../src/platform/calendar/index.js';
import { registerIndexableSource } from '../../src/platform/publication/index.js';
import { displayPeriod } from '../../src/modules/enforcement/service/period.js';
import { DISPLAY_JOB, endDueDisplays } from '../../src/modules/enforcement/service/display.js';
import { enforcementModule } from '../../src/modules/enforcement/module.js';
import { audits, decision, item, row, STAFF } from './repair-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
  await ensureCalendar(env.p.db);
  registerIndexableSource(); // another test file in this worker may have set a test source
}, 120_000);
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => env?.close());

const search = async (q: string) => ((await env.api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`)).json().items as { id: number }[]).map((i) => i.id);

describe('the display period, counted from the decision date', () => {
  it('一般: 3 months to 1 year; 严重: 1 to 3 years; 轻微 not shown; month ends clamped', () => {
    expect(displayPeriod('penalty', 'ordinary', '2026-01-15')).toEqual({ minUntil: '2026-04-14', until: '2027-01-14' });
    expect(displayPeriod('penalty', 'serious', '2026-01-15')).toEqual({ minUntil: '2027-01-14', until: '2029-01-14' });
    expect(displayPeriod('penalty', 'minor', '2026-01-15')).toBeNull();
    // 30 November + 3 months is 28 February (clamped): the minimum ends the day before.
    expect(displayPeriod('penalty', 'ordinary', '2026-11-30')).toEqual({ minUntil: '2027-02-27', until: '2027-11-29' });
    expect(displayPeriod('penalty', 'serious', '2024-02-29')).toEqual({ minUntil: '2025-02-27', until: '2027-02-27' });
  });
});

describe('the daily job enforcement.display', () => {
  it('ends a display the day after its last day, not on it — each once, audited, whatever the job runs', async () => {
    const ordinary = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary' });
    const serious = await decision(env, { decisionDate: '2026-01-15', severity: 'serious' });
    const clamped = await decision(env, { decisionDate: '2026-11-30', severity: 'ordinary' });
    const minor = await decision(env, { decisionDate: '2025-01-15', severity: 'minor' });
    const bare = await decision(env, { decisionDate: '2026-01-15', severity: 'ordinary', noItem: true });

    // 2027-01-14 is the last day on display.
    expect(await endDueDisplays(env.p, '2027-01-14')).toBe(0);
    expect((await row(env, ordinary.id)).status).toBe('published');

    // The job of 2027-01-15, queued twice with the day's key: one job, two decisions ended.
    for (let i = 0; i < 2; i++) await env.p.tx((t) => env.p.jobs.enqueue(t, DISPLAY_JOB, { on: '2027-01-15' }, { key: `${DISPLAY_JOB}:2027-01-15` }));
    expect(await env.p.db.selectFrom('jobs').select('id').where('kind', '=', DISPLAY_JOB).execute()).toHaveLength(1);
    await env.drain();
    for (const d of [ordinary, bare]) {
      const r = await row(env, d.id);
      expect(r).toMatchObject({ status: 'ended', end_reason: 'expired' });
      expect(r.ended_at).toBeTruthy();
    }
    expect((await row(env, serious.id)).status).toBe('published');
    expect((await row(env, clamped.id)).status).toBe('published');
    expect((await row(env, minor.id)).status).toBe('not-shown');

    // Again the same day, and once more by hand: nothing ended twice, one audit entry each.
    expect(await endDueDisplays(env.p, '2027-01-15')).toBe(0);
    const a = await audits(env, 'enforcement.decision.end', ordinary.id);
    expect(a).toHaveLength(1);
    expect(a[0].actor).toBe('system');
    expect(JSON.parse(a[0].details)).toMatchObject({ docNo: ordinary.docNo, endReason: 'expired', displayUntil: '2027-01-14' });

    // 30 November 2026: on display through 29 November 2027.
    expect(await endDueDisplays(env.p, '2027-11-29')).toBe(0);
    expect(await endDueDisplays(env.p, '2027-11-30')).toBe(1);
    expect((await row(env, clamped.id)).end_reason).toBe('expired');

    // 严重: through 2029-01-14.
    expect(await endDueDisplays(env.p, '2029-01-14')).toBe(0);
    expect(await endDueDisplays(env.p, '2029-01-15')).toBe(1);
    expect((await row(env, serious.id)).status).toBe('ended');
    expect((await row(env, minor.id)).status).toBe('not-shown');
  });

  it('is queued once per Shanghai day by the module in the background', async () => {
    const stop = enforcementModule.background!(env.p);
    await vi.waitFor(async () => expect(await env.p.db.selectFrom('jobs').select('idempotency_key').where('kind', '=', DISPLAY_JOB).where('idempotency_key', 'like', `${DISPLAY_JOB}:2026-%`).execute()).toHaveLength(1));
    await stop();
  });

  it('takes the spine item out of the public lists and search; the record stays for staff', async () => {
    const d = await decision(env, { decisionDate: '2026-02-10', severity: 'ordinary' });
    await env.drain();
    expect(await search(d.title)).toContain(d.itemId);
    const listed = async () => ((await env.api('GET', '/api/v1/documents?pageSize=100')).json().items as { id: number }[]).map((i) => i.id);
    expect(await listed()).toContain(d.itemId);

    expect(await endDueDisplays(env.p, '2027-02-10')).toBe(1);
    await env.drain();
    const it = await item(env, d.itemId!);
    expect(it).toMatchObject({ public: 0, status: 'withdrawn' });
    expect(it.withdraw_reason).toBe('公示期满');
    expect(await search(d.title)).not.toContain(d.itemId);
    expect(await listed()).not.toContain(d.itemId);
    expect((await env.api('GET', `/api/v1/documents/${d.itemId}`)).statusCode).toBe(404);
    // Staff still have the decision and its published versions.
    expect((await row(env, d.id)).doc_no).toBe(d.docNo);
    expect(await env.p.db.selectFrom('pub_versions').select('version').where('item_id', '=', d.itemId!).execute()).toHaveLength(1);
  });
});

describe('a decision revoked or changed is taken down at once', () => {
  const end = (id: number, as: string, body: Record<string, unknown>) => env.api('POST', `/api/v1/staff/enforcement-decisions/${id}/end`, { as, body });

  it("by its department's approver, with the reason, a note and the confirmation", async () => {
    const d = await decision(env, { decisionDate: '2026-06-01', severity: 'serious' });
    const ok = { reason: 'revoked', note: '经行政复议，本决定已被示范新区复议决定撤销（示复决〔2026〕3号）', confirm: true };
    // Another department's approver does not see it; an editor of the department may not end it.
    expect((await end(d.id, 'fgj-approver', ok)).statusCode).toBe(404);
    expect((await end(d.id, 'scjg-editor', ok)).statusCode).toBe(403);
    // Bad input names the field; nothing is ended.
    const bad: [Record<string, unknown>, string][] = [
      [{ ...ok, note: '撤' }, 'note'],
      [{ ...ok, confirm: false }, 'confirm'],
      [{ ...ok, reason: 'expired' }, 'reason'],
      [{ reason: 'changed', confirm: true }, 'note'],
    ];
    for (const [body, field] of bad) {
      const r = await end(d.id, 'scjg-approver', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(r.json().error.fields)).toContain(field);
    }
    expect((await row(env, d.id)).status).toBe('published');

    const r = await end(d.id, 'scjg-approver', ok);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id: d.id, status: 'ended', endReason: 'revoked', endNote: ok.note });
    expect(await item(env, d.itemId!)).toMatchObject({ public: 0, status: 'withdrawn', withdraw_reason: `决定已撤销：${ok.note}` });
    const a = await audits(env, 'enforcement.decision.end', d.id);
    expect(a.map((x) => x.actor)).toEqual(['user:scjg-approver']);
    expect(JSON.parse(a[0].details)).toMatchObject({ endReason: 'revoked', note: ok.note });
    // Once only.
    const again = await end(d.id, 'scjg-approver', { ...ok, reason: 'changed' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已停止公示');
  });

  it('through the console page, with its confirmation step', async () => {
    const d = await decision(env, { decisionDate: '2026-07-01', severity: 'ordinary' });
    const s = await login(env.app, 'scjg-approver');
    const url = `/admin/enforcement/decisions/${d.id}/end`;
    const page = await env.app.inject({ url, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(d.docNo);
    expect(page.body).toContain('决定已变更');
    // Without the confirmation: the form again, naming it; still on display.
    const post = (data: Record<string, string>) => env.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), ...data }) });
    const unconfirmed = await post({ reason: 'changed', note: '处罚内容变更为警告（示市监变〔2026〕1号）' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('请勾选确认后再停止公示');
    expect((await row(env, d.id)).status).toBe('published');
    const done = await post({ reason: 'changed', note: '处罚内容变更为警告（示市监变〔2026〕1号）', confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    expect((await row(env, d.id)).end_reason).toBe('changed');
    const after = await env.app.inject({ url: done.headers.location as string, headers: { cookie: s.cookie } });
    expect(after.body).toContain('已停止公示（决定已变更）');
    // Another department's approver: not found.
    const other = await login(env.app, 'fgj-approver');
    expect((await env.app.inject({ url, headers: { cookie: other.cookie } })).statusCode).toBe(404);
  });
});
