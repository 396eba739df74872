// Helpers for the disclosure-request tests: a valid request, the online form's two steps, staff
// registration through the API, and steps by staff.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { form, type TestEnv } from '../helpers.js';
import { multipart, PNG, publicForm } from '../appeals/util.js';
import { withIdCheckDigit } from '../../src/platform/privacy/index.js';

export { PNG };

/** A request by a natural person to the government itself (its office 政务公开办 handles it). */
export const REQUEST = {
  agency: 'government',
  requesterType: 'natural-person',
  requesterName: '张建国',
  idKind: 'resident-id',
  idNumber: withIdCheckDigit('21021319800101002'),
  contactPhone: '13812345678',
  contactEmail: 'zhang@example.cn',
  contactAddress: '示范新区幸福路12号',
  infoName: '幸福路片区旧城改造项目征收补偿方案',
  infoDocNo: '',
  infoDescription: '申请公开幸福路片区旧城改造项目的房屋征收补偿方案及其批复文件。',
  formWanted: 'electronic',
  channelWanted: 'email',
};

/** The hidden fields of the check page's form (请核对您填写的信息), decoded. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const f = /<form[^>]*class="request-confirm"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of f.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]] = decode(m[2]);
  return out;
}

/** Step 1 of the online form: the answers (multipart, CSRF first), a check page comes back. */
export async function postForm(app: FastifyInstance, fields: Record<string, string> = {}, files: Parameters<typeof multipart>[1] = [{ name: 'idProof', filename: 'id.png', type: 'image/png', data: PNG }], headers: Record<string, string> = {}) {
  const f = await publicForm(app, '/disclosure-requests/new');
  const mp = multipart({ _csrf: f.csrf, ...REQUEST, ...fields }, files);
  const res = await app.inject({ method: 'POST', url: '/disclosure-requests/new', headers: { cookie: f.cookie, 'content-type': mp.contentType, ...headers }, payload: mp.body });
  return { res, cookie: f.cookie, hidden: hiddenFields(res.body) };
}

/** Step 2: 确认提交 on the check page, as the browser posts it. */
export function confirmForm(app: FastifyInstance, cookie: string, hidden: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/disclosure-requests/new/confirm', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(hidden) });
}

/** Registers a request by staff through the API (in person by default, on `arrivedOn`). */
export async function register(env: TestEnv, as: string, body: Record<string, unknown> = {}) {
  const r = await env.api('POST', '/api/v1/staff/disclosure-requests', { as, body: { ...REQUEST, channel: 'in-person', ...body } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: number; trackingNo: string; queryCode: string; state: string; receivedOn: string | null; dueDate: string | null };
}

/** A step through the staff API. */
export function step(env: TestEnv, as: string, id: number, action: string, body: Record<string, unknown> = {}) {
  return env.api('POST', `/api/v1/staff/disclosure-requests/${id}/${action}`, { as, body });
}

/** The status page's HTML for a number and code. */
export async function statusPage(app: FastifyInstance, no: string, code: string, headers: Record<string, string> = {}) {
  const f = await publicForm(app, '/disclosure-requests/track');
  return app.inject({ method: 'POST', url: '/disclosure-requests/track', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form({ _csrf: f.csrf, no, code }) });
}
