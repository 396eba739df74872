// Shared helpers of the catalog tests.
import type { TestEnv } from '../helpers.js';

export const DOC = {
  title: '关于印发《示范新区政务公开工作要点》的通知',
  department: 'dzb',
  docNo: '示范新区发〔2026〕3号',
  topic: '0203',
  genre: '通知',
  writtenAt: '2026-03-02',
  summary: '部署年度政务公开重点工作。',
  keywords: ['政务公开'],
  body: '<p>各部门：</p><p>现将《工作要点》印发给你们，请认真贯彻落实。</p>',
};

export async function draft(env: TestEnv, as = 'dzb-editor', over: Record<string, unknown> = {}): Promise<number> {
  const r = await env.api('POST', '/api/v1/documents', { as, body: { ...DOC, ...over } });
  if (r.statusCode !== 201) throw new Error(`create failed ${r.statusCode} ${r.body}`);
  return r.json().id;
}

export async function step(env: TestEnv, id: number, as: string, action: string, reason?: string) {
  return env.api('POST', `/api/v1/documents/${id}/transitions`, { as, body: { action, ...(reason ? { reason } : {}) } });
}

/** Draft → published through the full workflow with the demo users of 党政办. */
export async function publish(env: TestEnv, over: Record<string, unknown> = {}): Promise<number> {
  const id = await draft(env, 'dzb-editor', over);
  for (const [who, action] of [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']]) {
    const r = await step(env, id, who, action);
    if (r.statusCode !== 200) throw new Error(`${action} by ${who} failed ${r.statusCode} ${r.body}`);
  }
  return id;
}
