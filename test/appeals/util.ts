// Helpers for the appeals tests: public forms with their CSRF cookie, multipart bodies, images.
import type { FastifyInstance } from 'fastify';
import { csrfFrom, form } from '../helpers.js';

export async function publicForm(app: FastifyInstance, url = '/appeals/new'): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ method: 'GET', url });
  const c = page.cookies.find((x) => x.name === 'gk_csrf');
  // The appeal form carries its token in the action URLs (multipart and verification posts).
  const fromUrl = /_csrf=([^"&]+)/.exec(page.body)?.[1];
  return { cookie: `gk_csrf=${c?.value}`, csrf: csrfFrom(page.body) || decodeURIComponent(fromUrl ?? '') };
}

export function multipart(fields: Record<string, string>, files: { name: string; filename: string; type: string; data: Buffer }[] = []): { body: Buffer; contentType: string } {
  const boundary = `----gk${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A real 1×1 PNG (one white pixel) that decodes: photos are decoded and encoded again when stored. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffffff7f0009fb03fdf5d8f19a0000000049454e44ae426082', 'hex');

export const APPEAL = {
  type: 'complaint',
  category: 'noise',
  title: '幸福路工地夜间施工噪音扰民',
  content: '我叫张建国，住海滨花园3号楼2单元501室，幸福路工地每天晚上11点后仍在施工，噪音很大，电话13812345678。',
  address: '示范新区幸福路12号',
  contactName: '张建国',
  contactPhone: '13812345678',
};

/** The hidden fields of the page's "check your answers" form (请核对您填写的信息), decoded. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const form = /<form[^>]*class="appeal-confirm"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]] = decode(m[2]);
  return out;
}

/** The form posted (step 1: the answers are checked, a check page comes back). */
export async function postForm(app: FastifyInstance, fields: Record<string, string> = {}, files: Parameters<typeof multipart>[1] = [], headers: Record<string, string> = {}) {
  const f = await publicForm(app);
  const mp = multipart({ ...APPEAL, consent: '1', ...fields }, files);
  const res = await app.inject({ method: 'POST', url: `/appeals/new?_csrf=${encodeURIComponent(f.csrf)}`, headers: { cookie: f.cookie, 'content-type': mp.contentType, ...headers }, payload: mp.body });
  return { res, cookie: f.cookie, hidden: hiddenFields(res.body) };
}

/** 确认提交 on a check page (step 2): its hidden fields posted back, as the browser does. */
export async function confirm(app: FastifyInstance, cookie: string, hidden: Record<string, string>, headers: Record<string, string> = {}, url = '/appeals/new/confirm') {
  return app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(hidden) });
}

/** The whole public form: the answers, then 确认提交 on the check page (when the answers pass). */
export async function submitWeb(app: FastifyInstance, fields: Record<string, string> = {}, files: Parameters<typeof multipart>[1] = [], headers: Record<string, string> = {}) {
  const step1 = await postForm(app, fields, files, headers);
  const res = step1.res.statusCode === 200 && step1.hidden.ticket ? await confirm(app, step1.cookie, step1.hidden, headers) : step1.res;
  const no = /class="tracking-no">(SQ\d+)</.exec(res.body)?.[1] ?? null;
  const code = /class="query-code">(\d{10})</.exec(res.body)?.[1] ?? null;
  return { res, no, code };
}
