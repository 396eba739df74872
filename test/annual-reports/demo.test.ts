// The demo district's annual reports: last year's of the government and three departments,
// published (history: no clock overdue for them), and this year's drafts of the same bodies with
// their Art. 49 clocks; the demo catalog imitates none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { todayShanghai } from '../../src/platform/calendar/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

const year = Number(todayShanghai().slice(0, 4));

describe('demo annual reports', () => {
  it("has last year's reports published (党政办's late, a draft) and this year's drafts, for the government and three departments", async () => {
    const rows = await env.p.db.selectFrom('annual_reports as r').innerJoin('pub_items as i', 'i.id', 'r.pub_item_id').innerJoin('departments as d', 'd.id', 'r.department_id').select(['r.year', 'r.scope', 'i.status', 'i.public', 'i.title', 'd.code']).orderBy('r.year').orderBy('r.id').execute();
    expect(rows.filter((r) => r.year === year - 1).map((r) => [r.code, r.status, r.public])).toEqual([
      ['gkb', 'published', 1],
      ['dzb', 'draft', 0],
      ['fgj', 'published', 1],
      ['scjg', 'published', 1],
    ]);
    expect(rows.filter((r) => r.year === year).map((r) => r.status)).toEqual(Array(4).fill('draft'));
    expect(rows.filter((r) => r.scope === 'government').map((r) => r.title)).toEqual([`示范新区管理委员会${year - 1}年政府信息公开工作年度报告`, `示范新区管理委员会${year}年政府信息公开工作年度报告`]);
    const docs = await env.p.db.selectFrom('pub_items').select('title').where('type', '=', 'document').where('title', 'like', '%政府信息公开工作年度报告%').execute();
    expect(docs).toEqual([]);
    const clocks = await env.p.db.selectFrom('clocks').select(['subject_id', 'state']).where('subject_type', '=', 'annual-report').where('subject_id', 'like', `${year}:%`).execute();
    expect(clocks).toHaveLength(4);
    expect(clocks.every((c) => c.state === 'running')).toBe(true);
    // 党政办's late report is overdue; the others' clocks completed on publication.
    const last = await env.p.db.selectFrom('clocks').select(['subject_id', 'state', 'status']).where('subject_type', '=', 'annual-report').where('subject_id', 'like', `${year - 1}:%`).execute();
    expect(last.filter((c) => c.state === 'running').map((c) => c.status)).toEqual([expect.stringMatching(/overdue/)]);
    // A published demo report's page answers with its tables.
    const item = rows.find((r) => r.year === year - 1)!;
    const id = (await env.p.db.selectFrom('pub_items').select('id').where('title', '=', item.title).executeTakeFirstOrThrow()).id;
    const page = await env.app.inject({ method: 'GET', url: `/catalog/items/${id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('四、结转下年度继续办理');
  });

  it('shows the console list and a draft to the office, with every id once on each page', async () => {
    const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const list = await env.api('GET', `/admin/annual-reports?year=${year}`, { as: 'gkb-requests' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('data-scope="government"');
    const id = (await env.p.db.selectFrom('annual_reports').select('id').where('year', '=', year).where('scope', '=', 'government').executeTakeFirstOrThrow()).id;
    const page = await env.api('GET', `/admin/annual-reports/${id}`, { as: 'gkb-requests' });
    expect(page.statusCode).toBe(200);
    for (const html of [list.body, page.body, (await env.app.inject({ method: 'GET', url: '/annual-reports' })).body]) {
      const all = ids(html);
      expect(all.filter((x, i) => all.indexOf(x) !== i)).toEqual([]);
    }
    expect(page.body).toContain('name="narrative.overview"');
    expect(page.body).toContain('人工填报');
  });

  it("党政办's late report goes through review to publication with the demo accounts", async () => {
    const r = await env.p.db.selectFrom('annual_reports as r').innerJoin('departments as d', 'd.id', 'r.department_id').select('r.id').where('r.year', '=', year - 1).where('d.code', '=', 'dzb').executeTakeFirstOrThrow();
    const steps: [string, string][] = [
      ['dzb-editor', 'submit'],
      ['dzb-reviewer', 'approve'],
      ['dzb-reviewer2', 'approve'],
      ['dzb-approver', 'approve'],
    ];
    for (const [as, action] of steps) {
      const s = await env.api('POST', `/api/v1/annual-reports/${r.id}/steps`, { as, body: { action } });
      expect(s.statusCode, `${as} ${action}: ${s.body}`).toBe(200);
    }
    const d = (await env.api('GET', `/api/v1/annual-reports/${r.id}`, { as: 'dzb-editor' })).json();
    expect(d).toMatchObject({ status: 'published', public: true });
  });
});
