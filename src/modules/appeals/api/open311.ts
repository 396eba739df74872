// Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests
// (POST with api_key; GET list and one), in .json and .xml, with errors in the specification's
// format ([{code, description}] / <errors><error>…</error></errors>) — unknown routes under
// /open311 and `tokens` (never issued: requests get their id at once) included.
// Who sees what (GET): every request's status fields to anyone; its text (description,
// status_notes, media_url) only once released for publication; the key that submitted it all of it
// with the exact point.
// Our states map to Open311's two: received, dispatched, return_requested, reply_review, replied → open;
// closed, merged → closed (see docs/architecture.md).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Database } from '../../../platform/db/schema.js';
import { HttpError } from '../../../platform/errors.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { maskText, publicPoint } from '../../../platform/privacy/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import type { Actor } from '../service.js';
import { submitAppeal } from '../service/intake.js';
import { listCategories } from '../service/dispatch.js';
import { isPublicAppeal, publishedTexts } from '../service/queries.js';
import { APPEAL_TYPES, TYPE_RULES, type Appeal, type AppealType } from '../schema.js';
import { computeDue, getRule, nowShanghai, type RuleView } from '../../../platform/deadlines/index.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { open311Doc } from './open311-doc.js';

export const OPEN311_STATE: Record<string, 'open' | 'closed'> = {
  received: 'open',
  dispatched: 'open',
  return_requested: 'open',
  reply_review: 'open',
  replied: 'open',
  closed: 'closed',
  merged: 'closed',
};

// ---- API keys ---------------------------------------------------------------------------------

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(p: Platform, actor: string, name: string): Promise<{ id: number; key: string }> {
  const n = (name ?? '').trim();
  if (!n || n.length > 100) throw new HttpError(400, 'validation', 'err.validation', { name: 'err.field.required' });
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  const id = await p.tx(async (t) => {
    const row = await t.insertInto('open311_keys').values({ name: n, key_hash: keyHash(key), prefix: key.slice(0, 9), created_by: actor, created_at: new Date().toISOString(), revoked_at: null, last_used_at: null }).returning('id').executeTakeFirstOrThrow();
    await p.audit(t, { actor, action: 'open311.key_create', entity: 'open311_key', entityId: row.id, details: { name: n, prefix: key.slice(0, 9) } });
    return row.id;
  });
  return { id, key };
}

export async function revokeApiKey(p: Platform, actor: string, id: number): Promise<void> {
  await p.tx(async (t) => {
    const r = await t.updateTable('open311_keys').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new HttpError(404, 'not_found', 'err.not_found');
    await p.audit(t, { actor, action: 'open311.key_revoke', entity: 'open311_key', entityId: id, details: {} });
  });
}

export async function listApiKeys(db: Db) {
  return db.selectFrom('open311_keys').select(['id', 'name', 'prefix', 'created_by', 'created_at', 'revoked_at', 'last_used_at']).orderBy('id', 'desc').execute();
}

async function keyFor(db: Db, key: unknown): Promise<{ id: number; name: string } | null> {
  if (typeof key !== 'string' || !key.startsWith('o311_') || key.length > 100) return null;
  const row = await db.selectFrom('open311_keys').select(['id', 'name']).where('key_hash', '=', keyHash(key)).where('revoked_at', 'is', null).executeTakeFirst();
  return row ?? null;
}

// ---- formatting -------------------------------------------------------------------------------

type Fmt = 'json' | 'xml';

/** Text for XML 1.0: escaped, without the characters it does not allow (control characters, U+FFFE, U+FFFF, unpaired surrogates). */
function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** Serialises plain values to XML elements in key order; arrays repeat `item` elements. */
function xmlOf(name: string, v: unknown, item?: Record<string, string>): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) {
    const child = item?.[name] ?? 'item';
    return `<${name}>${v.map((x) => xmlOf(child, x, item)).join('')}</${name}>`;
  }
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => xmlOf(k, x, item)).join('')}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
}

const XML_ITEMS = { services: 'service', service_requests: 'request', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format', errors: 'error' };

function send(reply: FastifyReply, fmt: Fmt, root: string, body: unknown, status = 200): FastifyReply {
  reply.code(status);
  if (fmt === 'xml') {
    reply.header('content-type', 'text/xml; charset=utf-8');
    return reply.send(`<?xml version="1.0" encoding="utf-8"?>\n${xmlOf(root, body, XML_ITEMS)}`);
  }
  reply.header('content-type', 'application/json; charset=utf-8');
  return reply.send(JSON.stringify(body));
}

/** The format a URL asks for by its extension: xml for `….xml`, else json. */
function formatOf(url: string): Fmt {
  return url.split('?')[0].endsWith('.xml') ? 'xml' : 'json';
}

function sendError(reply: FastifyReply, fmt: Fmt, status: number, description: string): FastifyReply {
  return send(reply, fmt, 'errors', [{ code: status, description }], status);
}

/** W3C datetime in China Standard Time, e.g. 2026-11-27T14:05:00+08:00. */
export function w3c(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

function parseW3c(s: unknown): string | null | 'bad' {
  if (s === undefined || s === '') return null;
  // A four-digit year: JavaScript's extended years (±YYYYYY) reach past what it can count back 90 days from.
  if (typeof s !== 'string' || s.length > 40 || !/^\d{4}-/.test(s)) return 'bad';
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? 'bad' : new Date(ms).toISOString();
}

/** The deadline rules of appeal types, read once per answer (a list may hold 1,000 requests). */
type Rules = (type: string) => Promise<RuleView | null>;
function rulesFor(db: Db): Rules {
  const memo = new Map<string, Promise<RuleView | null>>();
  return (type) => {
    const code = TYPE_RULES[type as AppealType];
    if (!code) return Promise.resolve(null);
    if (!memo.has(code)) memo.set(code, getRule(db, code));
    return memo.get(code)!;
  };
}

async function serviceNotice(rules: Rules, type: string): Promise<string> {
  if (!TYPE_RULES[type as AppealType]) return '表扬类诉求不设办理时限';
  const r = await rules(type);
  return r ? `${r.nameZh}：${r.amount}个工作日内答复` : '';
}

/**
 * expected_datetime: the due date of the appeal's clock once dispatched; before that, the type's
 * time limit counted by the deadline engine from the day it was received (what dispatching on that
 * day gives). 表扬 has no limit: null. Call `ensureCalendar` first.
 */
async function expectedDatetime(rules: Rules, a: Appeal): Promise<string | null> {
  if (a.due_date) return `${a.due_date}T23:59:59+08:00`;
  const rule = await rules(a.type);
  if (!rule) return null;
  const due = computeDue(rule, shanghaiDate(a.created_at), 0, [], todayShanghai(), false, nowShanghai(new Date(a.created_at)));
  return due.dueAt ? `${due.dueAt}:00+08:00` : `${due.due}T23:59:59+08:00`;
}

function mediaUrl(p: Platform, a: Appeal, publicView: boolean): string | null {
  const media = JSON.parse(a.media || '[]') as string[];
  const first = media[0];
  if (!first) return null;
  if (/^https?:\/\//.test(first)) return first;
  if (!publicView) return null;
  const base = p.config.publicUrl || `http://${p.config.host}:${p.config.port}`;
  return `${base}/appeals/media/${first}`;
}

/** The request's text as submitted, masked: the title only when it is not already how the text begins
 *  (a title taken from the description's first sentence is not repeated). */
function maskedDescription(a: Appeal): string {
  const title = a.title.trim();
  const content = a.content.trim();
  const text = !title || content.startsWith(title) ? content : `${title}\n${content}`;
  return maskText(text, { names: a.contact_name ? [a.contact_name] : [] }).text;
}

/** The first road, street, lane or estate an address names, with what comes before it (the district). */
const FIRST_PLACE = /^[^*]*?(?:大道|大街|胡同|路|街|巷|道|弄|小区|社区|村)/u;

/** The address of a request whose text is not public: the masked address up to the end of the first
 *  road or estate it names before any masked part — not the house, nor what the masking found
 *  nothing in (a landmark, a third party's name, an address in Latin letters): then nothing
 *  (幸福路**号 → 幸福路, 学府小区*栋 → 学府小区, 幸福路口王建国家门口 → 幸福路, No.18 Xingfu Rd → null). */
function coarseAddress(masked: string): string | null {
  return FIRST_PLACE.exec(masked)?.[0] ?? null;
}

/**
 * One request as Open311 shows it. `access`: 'own' = asked with the api_key that submitted it (all
 * fields, the exact point); 'published' = released for publication (the published text, the grid
 * point); 'status' = anyone else: the status fields only (no description, no reply, no media), the
 * coarse address and the grid point.
 */
async function requestView(p: Platform, a: Appeal, names: Map<string, string>, depts: Map<number, string>, rules: Rules, access: 'own' | 'published' | 'status', pub: { content: string; reply: string } | undefined) {
  const point = a.lat === null || a.lng === null ? null : access === 'own' ? { lat: Number(a.lat), lng: Number(a.lng) } : publicPoint(Number(a.lat), Number(a.lng));
  const masked = (s: string) => maskText(s, { names: a.contact_name ? [a.contact_name] : [] }).text;
  // The published version (reviewed by the centre) when there is one; the masked submission for its own client.
  const description = pub ? pub.content : access === 'own' ? maskedDescription(a) : null;
  const reply = pub ? pub.reply || null : access === 'own' && a.reply ? masked(a.reply) : null;
  return {
    service_request_id: a.tracking_no,
    status: OPEN311_STATE[a.status] ?? 'open',
    status_notes: reply ?? translate('zh-CN', `appeals.status.${a.status}`),
    service_name: names.get(a.category) ?? a.category,
    service_code: a.category,
    description,
    agency_responsible: a.department_id ? depts.get(a.department_id) ?? null : null,
    service_notice: await serviceNotice(rules, a.type),
    requested_datetime: w3c(a.created_at),
    updated_datetime: w3c(a.updated_at),
    expected_datetime: await expectedDatetime(rules, a),
    address: a.address ? (access === 'status' ? coarseAddress(masked(a.address)) : masked(a.address)) : null,
    address_id: null,
    zipcode: null,
    lat: point?.lat ?? null,
    long: point?.lng ?? null,
    media_url: access === 'status' ? null : mediaUrl(p, a, access === 'published'),
  };
}

// ---- submissions from generic clients ---------------------------------------------------------

/**
 * Defaults for a service's custom attributes a client does not send. Every service's definition
 * asks for `appeal_type` (required); generic clients — FixMyStreet, the npm `open311` client — send
 * only the standard fields, and what they send is a problem to fix: 求助 (help, 10 working days).
 * `title` defaults to the description's first sentence, `consent` to no (never published).
 */
export const OPEN311_DEFAULTS = { appeal_type: 'help' as AppealType, consent: 'no' } as const;

/** Our intake's field names as the specification calls them, for error messages. */
const SPEC_FIELDS: Record<string, string> = {
  type: 'attribute[appeal_type]',
  category: 'service_code',
  title: 'attribute[title]',
  content: 'description',
  address: 'address_string',
  contactName: 'first_name/last_name',
  contactPhone: 'phone',
  contactEmail: 'email',
  lat: 'lat',
  lng: 'long',
  media: 'media_url',
};

function specFieldErrors(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${SPEC_FIELDS[k] ?? k}: ${translate('en', v)}`)
    .join(' ');
}

/** A `lat`/`long` value: null when absent, NaN (refused by the intake's check, naming the field) when not a number. */
function degrees(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
}

// ---- routes -----------------------------------------------------------------------------------

export async function open311Routes(app: FastifyInstance, p: Platform, submitLimit: Limiter): Promise<void> {
  await app.register(async (o) => {
    o.setErrorHandler((err: any, req, reply) => {
      const fmt = formatOf(req.url);
      const status = err instanceof HttpError ? err.status : typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
      if (status >= 500) req.log.error({ err }, 'open311 error');
      let description = status >= 500 ? 'Internal error' : err instanceof HttpError ? translate('en', err.message, err.params) : err.message;
      if (err instanceof HttpError && err.fields) description += ': ' + Object.entries(err.fields).map(([k, v]) => `${k} — ${translate('en', v)}`).join('; ');
      if (status === 429) description = 'Too many requests from this address; please wait a minute and try again';
      return sendError(reply, fmt, status, description);
    });

    for (const fmt of ['json', 'xml'] as const) {
      o.get(`/open311/v2/discovery.${fmt}`, { config: { permission: 'public' }, schema: open311Doc.discovery(fmt) }, async (_req, reply) => {
        const base = p.config.publicUrl || `http://${p.config.host}:${p.config.port}`;
        return send(reply, fmt, 'discovery', {
          changeset: '2026-11-27T00:00:00+08:00',
          contact: `市民诉求服务中心 ${(await p.db.selectFrom('departments').select('phone').where('code', '=', 'sqzx').executeTakeFirst())?.phone ?? '12345'}`,
          key_service: `${base}/admin/appeals/open311-keys`,
          endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${base}/open311/v2`, changeset: '2026-11-27T00:00:00+08:00', type: 'production', formats: ['application/json', 'text/xml'] }],
        });
      });

      o.get(`/open311/v2/services.${fmt}`, { config: { permission: 'public' }, schema: open311Doc.services(fmt) }, async (_req, reply) => {
        const cats = await listCategories(p.db);
        return send(
          reply,
          fmt,
          'services',
          cats.map((c) => ({ service_code: c.code, service_name: c.name, description: c.description || c.name, metadata: true, type: 'realtime', keywords: c.keywords.split(/[,，\s]+/).filter(Boolean).join(','), group: c.group_name })),
        );
      });

      o.get<{ Params: { code: string } }>(`/open311/v2/services/:code.${fmt}`, { config: { permission: 'public' }, schema: open311Doc.service(fmt) }, async (req, reply) => {
        const c = (await listCategories(p.db)).find((x) => x.code === req.params.code);
        if (!c) return sendError(reply, fmt, 404, 'Service not found');
        return send(reply, fmt, 'service_definition', {
          service_code: c.code,
          attributes: [
            {
              variable: true,
              code: 'appeal_type',
              datatype: 'singlevaluelist',
              required: true,
              datatype_description: `缺省为 ${OPEN311_DEFAULTS.appeal_type}（求助）(default when not sent: ${OPEN311_DEFAULTS.appeal_type})`,
              order: 1,
              description: '诉求类型 (type of appeal)',
              values: APPEAL_TYPES.map((t) => ({ key: t, name: translate('zh-CN', `appeals.type.${t}`) })),
            },
            { variable: true, code: 'title', datatype: 'string', required: false, datatype_description: '不超过100字；缺省时取描述的第一句；未填描述时即为诉求内容 (at most 100 characters; default: the first sentence of the description; without a description it is the text)', order: 2, description: '标题 (title)', values: [] },
            {
              variable: true,
              code: 'consent',
              datatype: 'singlevaluelist',
              required: false,
              datatype_description: '缺省为 no (default: no)',
              order: 3,
              description: '是否同意在脱敏后公开 (agrees to anonymised publication)',
              values: [
                { key: 'yes', name: '同意' },
                { key: 'no', name: '不同意' },
              ],
            },
          ],
        });
      });

      o.post(`/open311/v2/requests.${fmt}`, { config: { permission: 'public', csrf: false }, onRequest: submitLimit, schema: open311Doc.submit(fmt) }, async (req, reply) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        const key = await keyFor(p.db, b.api_key);
        if (!key) return sendError(reply, fmt, 403, b.api_key === undefined || b.api_key === '' ? 'api_key is required' : 'Invalid api_key');
        const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : undefined);
        const attr = (k: string) => str(`attribute[${k}]`) ?? (typeof b.attribute === 'object' && b.attribute ? String((b.attribute as Record<string, unknown>)[k] ?? '').trim() || undefined : undefined);
        const serviceCode = str('service_code');
        if (!serviceCode) return sendError(reply, fmt, 400, 'service_code is required');
        const cat = (await listCategories(p.db)).find((c) => c.code === serviceCode);
        if (!cat) return sendError(reply, fmt, 404, `service_code not found: ${serviceCode.slice(0, 50)} (GET services lists them)`);
        const lat = degrees(str('lat'));
        const lng = degrees(str('long'));
        const address = str('address_string') ?? '';
        if ((lat === null || lng === null) && !address && !str('address_id')) return sendError(reply, fmt, 400, 'A location is required: lat and long, or address_string, or address_id');
        // Generic clients (FixMyStreet, the npm open311 client) send only the standard fields: a
        // missing appeal_type is 求助 and the text may come in attribute[title] alone (see OPEN311_DEFAULTS).
        const type = attr('appeal_type') || OPEN311_DEFAULTS.appeal_type;
        if (!(APPEAL_TYPES as readonly string[]).includes(type)) return sendError(reply, fmt, 400, `attribute[appeal_type] must be one of ${APPEAL_TYPES.join(', ')}`);
        const titleAttr = attr('title');
        const content = str('description') || titleAttr || '';
        if (!content) return sendError(reply, fmt, 400, 'description is required (or attribute[title], which is then the text)');
        const title = titleAttr || (content.split(/[\n。！？!?]/)[0].trim() || content).slice(0, 100);
        const first = str('first_name') ?? '';
        const last = str('last_name') ?? '';
        const name = /[A-Za-z]/.test(first + last) ? [first, last].filter(Boolean).join(' ') : last + first;
        const media = (Array.isArray(b.media_url) ? b.media_url : [b.media_url]).filter((m): m is string => typeof m === 'string' && m.trim() !== '').map((m) => m.trim());
        if (media.some((m) => !/^https?:\/\/\S+$/.test(m) || m.length > 500)) return sendError(reply, fmt, 400, 'media_url must be an http(s) URL');
        const actor: Actor = `open311:${key.name}`;
        let s;
        try {
          s = await submitAppeal(p, actor, {
            type,
            category: serviceCode,
            title,
            content,
            address,
            lat,
            lng,
            contactName: name,
            contactPhone: str('phone'),
            contactEmail: str('email'),
            consent: attr('consent') === 'yes',
            channel: 'open311',
            media,
            apiKeyId: key.id,
          });
        } catch (err) {
          // The intake's checks, told in the specification's field names.
          if (err instanceof HttpError && err.fields) return sendError(reply, fmt, err.status, specFieldErrors(err.fields));
          throw err;
        }
        await p.db.updateTable('open311_keys').set({ last_used_at: new Date().toISOString() }).where('id', '=', key.id).execute();
        return send(reply, fmt, 'service_requests', [{ service_request_id: s.trackingNo, service_notice: `${await serviceNotice(rulesFor(p.db), type)}；查询码 ${s.queryCode}`, account_id: null }], 201);
      });

      const listHandler = async (req: FastifyRequest, reply: FastifyReply, one?: string) => {
        // Repeated parameters (status=open&status=closed) count like a comma list.
        const q = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) && k !== 'api_key' ? v.join(',') : v]));
        const key = q.api_key !== undefined ? await keyFor(p.db, q.api_key) : null;
        if (q.api_key !== undefined && !key) return sendError(reply, fmt, 403, 'Invalid api_key');
        // Every request is listed with its status fields (requestView decides what else shows).
        let sel = p.db.selectFrom('appeals').selectAll();
        const ids = one !== undefined ? [one] : typeof q.service_request_id === 'string' && q.service_request_id ? q.service_request_id.split(',').map((s) => s.trim()).filter(Boolean) : null;
        if (ids) {
          if (ids.length > 100) return sendError(reply, fmt, 400, 'Too many service_request_id values (at most 100)');
          sel = sel.where('tracking_no', 'in', ids);
        } else {
          if (typeof q.service_code === 'string' && q.service_code) sel = sel.where('category', 'in', q.service_code.split(',').map((s) => s.trim()).slice(0, 50));
          const start = parseW3c(q.start_date);
          const end = parseW3c(q.end_date);
          if (start === 'bad' || end === 'bad') return sendError(reply, fmt, 400, 'start_date and end_date must be W3C datetimes (e.g. 2026-11-01T00:00:00+08:00)');
          if (start && end && start > end) return sendError(reply, fmt, 400, 'start_date is after end_date');
          if (start && end && Date.parse(end) - Date.parse(start) > 90 * 86_400_000) return sendError(reply, fmt, 400, 'The span between start_date and end_date is limited to 90 days');
          sel = sel.where('created_at', '>=', start ?? new Date(Date.parse(end ?? new Date().toISOString()) - 90 * 86_400_000).toISOString());
          if (end) sel = sel.where('created_at', '<=', end);
          if (typeof q.status === 'string' && q.status) {
            const wanted = q.status.split(',').map((s) => s.trim());
            if (wanted.some((w) => w !== 'open' && w !== 'closed')) return sendError(reply, fmt, 400, 'status must be open or closed');
            const states = Object.entries(OPEN311_STATE).filter(([, v]) => wanted.includes(v)).map(([k]) => k);
            sel = sel.where('status', 'in', states);
          }
        }
        const rows = await sel.orderBy('id', 'desc').limit(1000).execute();
        if (one !== undefined && rows.length === 0) return sendError(reply, fmt, 404, 'service_request_id not found');
        const names = new Map((await listCategories(p.db, true)).map((c) => [c.code, c.name]));
        const deptIds = [...new Set(rows.map((r) => r.department_id).filter((x): x is number => x !== null))];
        const depts = new Map(deptIds.length ? (await p.db.selectFrom('departments').select(['id', 'name']).where('id', 'in', deptIds).execute()).map((d) => [d.id, d.name]) : []);
        // Published: released, and its spine item still public (withdrawn through the spine, its text is gone here too).
        const published = new Set(rows.length ? (await p.db.selectFrom('appeals').select('id').where('id', 'in', rows.map((r) => r.id)).where((eb) => isPublicAppeal(eb)).execute()).map((r) => r.id) : []);
        const texts = await publishedTexts(p.db, rows.filter((r) => published.has(r.id)).map((r) => r.pub_item_id!));
        const rules = rulesFor(p.db);
        await ensureCalendar(p.db);
        const out = [];
        for (const r of rows) {
          const pub = published.has(r.id) ? texts.get(r.pub_item_id!) : undefined;
          out.push(await requestView(p, r, names, depts, rules, key !== null && r.api_key_id === key.id ? 'own' : pub ? 'published' : 'status', pub));
        }
        return send(reply, fmt, 'service_requests', out);
      };
      o.get(`/open311/v2/requests.${fmt}`, { config: { permission: 'public' }, schema: open311Doc.requests(fmt) }, async (req, reply) => listHandler(req, reply));
      o.get<{ Params: { id: string } }>(`/open311/v2/requests/:id.${fmt}`, { config: { permission: 'public' }, schema: open311Doc.request(fmt) }, async (req, reply) => listHandler(req, reply, req.params.id));
      // A token stands for a request not yet created; every POST here creates the request at once
      // and answers its service_request_id, so no token exists.
      o.get(`/open311/v2/tokens/:token.${fmt}`, { config: { permission: 'public' } }, async (_req, reply) => sendError(reply, fmt, 404, 'token not found: this endpoint gives each request its service_request_id when it is submitted and issues no tokens'));
    }
  });
  // Anything else under /open311 answers in Open311's error format too (JSON unless the path ends in .xml).
  await app.register(
    async (o) => {
      o.setNotFoundHandler((req, reply) => {
        const path = req.url.split('?')[0];
        return sendError(reply, formatOf(req.url), 404, `Not found: ${req.method} ${path.slice(0, 200)} is not an Open311 GeoReport v2 resource (see /open311/v2/discovery.json)`);
      });
    },
    { prefix: '/open311' },
  );
}
