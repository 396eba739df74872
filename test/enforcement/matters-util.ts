// The 随机抽查事项清单 of a department in tests: a list of the type, an edition imported by the
// department's editor as CSV and approved by its approver (published through the spine).
import { expect } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { columnsOf, itemToRow, listType, toCsv } from '../../src/modules/lists/service/engine.js';
import { ensureList } from '../../src/modules/lists/service.js';
import '../../src/modules/lists/service/types/index.js';

export const TYPE = 'inspection-matter';

export const matter = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `事项${code}`,
  field: 'food',
  department: 'scjg',
  basis: '《中华人民共和国食品安全法》第一百一十条',
  body: '区市场监督管理局',
  content: '食品经营许可情况；从业人员健康管理情况',
  method: '现场检查',
  ratio: '5%',
  frequency: '每年一次',
  ...extra,
});

/** The CSV of the import (Chinese field names as the cells may give them). */
export function matterCsv(rows: Record<string, unknown>[]): string {
  const t = listType(TYPE)!;
  return Buffer.from(toCsv([columnsOf(t), ...rows.map((r) => itemToRow(t, r as any))])).toString('base64');
}

export async function matterList(env: TestEnv, dept: string): Promise<number> {
  const d = await env.p.db.selectFrom('departments').select('id').where('code', '=', dept).executeTakeFirstOrThrow();
  return ensureList(env.p, env.p.db, 'system', TYPE, d.id, `${dept}随机抽查事项清单`);
}

/** Imports the rows as a new edition of the department's list and has it approved; returns the edition. */
export async function publishMatters(env: TestEnv, dept: string, rows: Record<string, unknown>[], docNo = '示范新区市监〔2026〕1号'): Promise<any> {
  const listId = await matterList(env, dept);
  const imp = await env.api('POST', `/api/v1/lists/${TYPE}/lists/${listId}/import`, { as: `${dept}-editor`, body: { filename: 'matters.csv', content: matterCsv(rows), reason: '年度调整', docNo } });
  expect(imp.statusCode, imp.body).toBe(200);
  const ok = await env.api('POST', `/api/v1/lists/editions/${JSON.parse(imp.body).editionId}/approve`, { as: `${dept}-approver` });
  expect(ok.statusCode, ok.body).toBe(200);
  return JSON.parse(ok.body);
}
