// Appeals as a citizen submits them and as the centre takes them to the public board: submit
// (JSON door, web form, Open311), then dispatch → reply → release of the masked draft by the demo
// centre account (sqzx-editor: editor + approver of 市民诉求服务中心), as the appeals flow allows.
import type { Client, Res, Run } from './core.js';
import { csrfOf } from './core.js';

export const APPEAL = {
  type: 'complaint',
  category: 'noise',
  title: '夜间施工噪音扰民',
  content: '工地每天晚上11点后仍在施工，噪音很大，严重影响居民休息，请查处。',
  address: '示范新区幸福路12号',
  contactName: '张建国',
  contactPhone: '13900001111',
  consent: true,
};

/** The centre's department: the demo's sqzx-editor dispatches to it, replies as its lead and releases. */
export const CENTRE = 'sqzx';

export interface Submitted {
  no: string;
  code: string;
}

/** POST /api/v1/appeals from a fresh address (the per-address limit is not what is measured here). */
export async function submitJson(run: Run, body: Record<string, unknown>, o: { hostile?: boolean; ip?: string } = {}): Promise<{ res: Res; s: Submitted | null }> {
  const res = await run.req('POST', '/api/v1/appeals', { json: { ...APPEAL, ...body }, ip: o.ip ?? run.newIp(), hostile: o.hostile });
  const j = res.status === 201 ? res.json() : null;
  return { res, s: j ? { no: j.trackingNo, code: j.queryCode } : null };
}

/** The public web form (urlencoded; its CSRF token travels in the form's action URL). */
export async function submitWeb(run: Run, c: Client, values: Record<string, string>, hostile = true): Promise<{ res: Res; s: Submitted | null }> {
  const page = await run.req('GET', '/appeals/new', { as: c });
  const action = /<form[^>]*action="(\/appeals\/new[^"]*)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? `/appeals/new?_csrf=${encodeURIComponent(csrfOf(page.text))}`;
  const base = { type: APPEAL.type, category: APPEAL.category, title: APPEAL.title, content: APPEAL.content, address: APPEAL.address, contactName: APPEAL.contactName, contactPhone: APPEAL.contactPhone, consent: '1' };
  const res = await run.req('POST', action, { as: c, form: { ...base, ...values }, csrf: false, hostile });
  const no = /class="tracking-no">(SQ\d+)</.exec(res.text)?.[1];
  const code = /class="query-code">(\d+)</.exec(res.text)?.[1];
  return { res, s: no && code ? { no, code } : null };
}

/** Open311 POST (form-encoded, api_key). */
export async function submitOpen311(run: Run, key: string, fields: Record<string, string>, fmt: 'json' | 'xml' = 'json', hostile = true): Promise<{ res: Res; s: Submitted | null }> {
  const res = await run.req('POST', `/open311/v2/requests.${fmt}`, { form: { api_key: key, service_code: 'noise', 'attribute[appeal_type]': 'complaint', 'attribute[consent]': 'yes', ...fields }, ip: run.newIp(), hostile });
  const text = res.text;
  const no = /(SQ\d{15})/.exec(text)?.[1];
  const code = /查询码\s*(\d{6})/.exec(text)?.[1];
  return { res, s: no && code ? { no, code } : null };
}

/** The staff id of an appeal, found through the staff list's search by tracking number. */
export async function staffId(run: Run, staff: Client, no: string): Promise<number | null> {
  const r = await run.req('GET', `/api/v1/staff/appeals?q=${no}`, { as: staff });
  const hit = r.status === 200 ? (r.json()?.items ?? []).find((i: any) => i.trackingNo === no || i.tracking_no === no) : null;
  return hit?.id ?? null;
}

export interface Published {
  id: number;
  /** /appeals/published/<item> once found on the board. */
  url: string | null;
  title: string;
}

/**
 * Dispatch (to the centre itself), reply, and release of the masked draft the staff view offers
 * (`override` = what a careless reviewer typed instead). Returns null and notes why when a step fails.
 */
export async function publish(run: Run, staff: Client, no: string, opts: { reply: string; override?: Partial<Record<'title' | 'content' | 'reply', string>> }): Promise<Published | null> {
  const id = await staffId(run, staff, no);
  if (!id) return fail(run, `publish ${no}: not in the staff list`);
  const act = (action: string, body: Record<string, unknown>) => run.req('POST', `/api/v1/staff/appeals/${id}/${action}`, { as: staff, json: body });
  let r = await act('dispatch', { department: CENTRE });
  if (r.status !== 204) return fail(run, `dispatch ${no} → ${r.status} ${r.text.slice(0, 120)}`);
  r = await act('reply', { reply: opts.reply, resolved: true });
  if (r.status !== 204) return fail(run, `reply ${no} → ${r.status} ${r.text.slice(0, 120)}`);
  const view = await run.req('GET', `/api/v1/staff/appeals/${id}`, { as: staff });
  const draft = view.status === 200 ? view.json()?.masked : null;
  if (!draft) return fail(run, `staff view of ${no} → ${view.status}, no masked draft`);
  const release = { title: draft.title, content: draft.content, reply: draft.reply, ...(opts.override ?? {}) };
  r = await act('release', release);
  if (r.status !== 204) return fail(run, `release ${no} → ${r.status} ${r.text.slice(0, 120)}`);
  return { id, url: null, title: release.title };
}

function fail(run: Run, why: string): null {
  run.note(`could not publish: ${why}`);
  return null;
}

/** Finds each published appeal's public page on the board (JSON) by a tag in its title. */
export async function findOnBoard(run: Run, items: { tag: string; pub: Published | null }[]): Promise<void> {
  const r = await run.req('GET', '/api/v1/appeals/board?pageSize=100');
  const board = r.status === 200 ? ((r.json()?.items ?? []) as { title: string; url: string }[]) : [];
  for (const it of items) if (it.pub) it.pub.url = board.find((b) => b.title.includes(it.tag))?.url ?? null;
}

/** Waits until the search API finds a word (the index follows publication through the job queue). */
export async function waitSearchable(run: Run, word: string, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await run.req('GET', `/api/v1/search?q=${encodeURIComponent(word)}`);
    if (r.status === 200 && (r.json()?.total ?? r.json()?.items?.length ?? 0) > 0) return true;
    await new Promise((res) => setTimeout(res, 500));
  }
  return false;
}
