// 决策事项目录 as a list type: a first edition and a second one (by CSV import), approved by
// another person, the diff between them (added / removed / changed with the steps' dates), the
// public list page, and a decision that names its row getting the planned dates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { columnsOf, itemToRow, listType, toCsv } from '../../src/modules/lists/service/engine.js';
import { ensureList } from '../../src/modules/lists/service.js';
import '../../src/modules/lists/service/types/index.js';
import { deptId, newDecision } from './stages-util.js';

const TYPE = 'decision-catalogue';
let env: TestEnv;
let listId: number;
beforeAll(async () => {
  env = await makeEnv();
  listId = await ensureList(env.p, env.p.db, 'system', TYPE, await deptId(env, 'fgj'), '区发改局2026年度重大行政决策事项目录');
}, 60000);
afterAll(async () => env?.close());

const row = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `决策事项${code}`,
  department: 'fgj',
  basis: '《重大行政决策程序暂行条例》第三条',
  steps: [
    { stage: 'consultation', on: '2026-04-01' },
    { stage: 'drafting', on: '2026-03-01' },
    { stage: 'collective_decision', on: '2026-06-30' },
  ],
  status: 'planned',
  ...extra,
});

async function approve(editionId: number) {
  const ok = await env.api('POST', `/api/v1/lists/editions/${editionId}/approve`, { as: 'fgj-approver' });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json();
}

describe('the catalogue of major decisions (list type decision-catalogue)', () => {
  it('publishes editions and gives their diff', async () => {
    const bad = await env.api('POST', `/api/v1/lists/${TYPE}/lists/${listId}/editions`, { as: 'fgj-editor', body: { items: [row('JC-2026-01', { steps: [{ stage: 'drafting', on: '2026-02-30' }] })], reason: '年度目录', docNo: '示范新区发改〔2026〕1号' } });
    expect(bad.statusCode).toBe(400);
    const first = await env.api('POST', `/api/v1/lists/${TYPE}/lists/${listId}/editions`, { as: 'fgj-editor', body: { items: [row('JC-2026-01'), row('JC-2026-02')], reason: '年度目录', docNo: '示范新区发改〔2026〕1号' } });
    expect(first.statusCode, first.body).toBe(201);
    const e1 = first.json().id;
    await approve(e1);
    // The second edition by CSV import (the steps as JSON in their cell, the status by its Chinese name).
    const t = listType(TYPE)!;
    const rows = [row('JC-2026-01', { steps: [{ stage: 'drafting', on: '2026-03-01' }, { stage: 'consultation', on: '2026-05-10' }, { stage: 'collective_decision', on: '2026-07-31' }], status: 'under_way' }), row('JC-2026-03', { name: '关于调整公共停车收费标准的决定' })];
    const cells = rows.map((r) => itemToRow(t, r as any));
    cells[0][columnsOf(t).indexOf('status')] = '推进中';
    const imp = await env.api('POST', `/api/v1/lists/${TYPE}/lists/${listId}/import`, { as: 'fgj-editor', body: { filename: 'catalogue.csv', content: Buffer.from(toCsv([columnsOf(t), ...cells])).toString('base64'), reason: '年中调整', docNo: '示范新区发改〔2026〕9号' } });
    expect(imp.statusCode, imp.body).toBe(200);
    const e2 = imp.json().editionId;
    await approve(e2);
    const diff = await env.api('GET', `/api/v1/lists/${TYPE}/editions/${e1}/diff/${e2}`);
    expect(diff.statusCode, diff.body).toBe(200);
    const ch = diff.json().changes;
    expect(ch.added.map((x: any) => x.key)).toEqual(['JC-2026-03']);
    expect(ch.removed.map((x: any) => x.key)).toEqual(['JC-2026-02']);
    expect(ch.changed).toHaveLength(1);
    expect(ch.changed[0].key).toBe('JC-2026-01');
    expect(ch.changed[0].fields.map((f: any) => f.field).sort()).toEqual(['status', 'steps']);
    const steps = ch.changed[0].fields.find((f: any) => f.field === 'steps');
    // Stored in stage order.
    expect(steps.from.map((s: any) => s.stage)).toEqual(['drafting', 'consultation', 'collective_decision']);
    expect(steps.to[1]).toEqual({ stage: 'consultation', on: '2026-05-10' });
    const page = await env.app.inject({ url: `/lists/${TYPE}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('关于调整公共停车收费标准的决定');
  });

  it('gives a decision that names its row the planned dates', async () => {
    const d = await newDecision(env, 'fgj-editor', 'fgj', { catalogueCode: 'JC-2026-01' });
    const planned = Object.fromEntries(d.stages.map((s: any) => [s.stage, s.plannedOn]));
    expect(planned).toMatchObject({ drafting: '2026-03-01', consultation: '2026-05-10', collective_decision: '2026-07-31', expert_review: null });
    expect(d.catalogueCode).toBe('JC-2026-01');
    // A row of the first edition no longer current, or another department's code: 400.
    const gone = await env.api('POST', '/api/v1/major-decisions', { as: 'fgj-editor', body: { departmentId: await deptId(env, 'fgj'), year: 2026, title: '某决策', basis: '依据', catalogueCode: 'JC-2026-02' } });
    expect(gone.statusCode).toBe(400);
    expect(gone.json().error.fields).toHaveProperty('catalogueCode');
  });
});
