// The reply (答复) to a disclosure request and its letter (告知书, Art. 36–39): the handler drafts it
// (a type of service/reply-types.ts, the type's fields, the withheld parts of a partial disclosure,
// linked catalog items, attached files; the letter's text generated from the type's template or
// edited), submits it; the office head (request.approve-reply in the request's department, never
// the drafter) approves it or returns it with a note, and signs it (签发: the text is frozen, the
// letter rendered and stored, its hash kept); the handler delivers it by the channel the
// requester asked for. Delivery completes the reply clock, records the Table 三 outcome and the
// closing date, and tells the requester. A type's missing field is refused (400 naming it) at
// submit, sign and deliver; a second reply after delivery is refused (409).
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, forbidden, HttpError } from '../../../platform/errors.js';
import { ensureCalendar, isValidDate, todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock } from '../../../platform/deadlines/index.js';
import { storeFile, safeFileName, filePath } from '../../../platform/files/index.js';
import { sm3 } from '../../../platform/hash.js';
import { holders } from '../../../platform/auth/identity.js';
import { postNotices } from '../../../platform/messaging/inbox.js';
import { enqueueMail } from '../../../platform/mail/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { maskName, maskText } from '../../../platform/privacy/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { CHANNELS_WANTED, CLOCK_STATES, isOrganisation, REPLY_RULE, SUBJECT, type DisclosureRequest, type RequestReply } from '../schema.js';
import { actorName, addEvent, isQuiet, loadFor, noticeData, notifyRequester, requireAction, requireHead, requireState, stepDate, type Actor } from '../service.js';
import { agencyName } from '../views.js';
import { replyType, WITHHOLD_GROUNDS, LETTER_TITLE, type LetterInput, type ReplyType } from './reply-types.js';
import { letterHtml, type LetterData } from './letter.js';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const MAX_REPLY_ATTACHMENTS = 10;
export const MAX_REPLY_ITEMS = 20;
export const MAX_WITHHELD = 20;
export const MAX_BODY = 20000;

export interface WithheldPart {
  part: string;
  ground: string;
  reason: string;
}
export interface ReplyAttachment {
  hash: string;
  name: string;
  mime: string;
  size: number;
}

/** The reply with its JSON columns read. */
export interface ReplyView extends Omit<RequestReply, 'fields' | 'withheld' | 'item_ids' | 'attachments'> {
  fields: Record<string, string>;
  withheld: WithheldPart[];
  itemIds: number[];
  attachments: ReplyAttachment[];
}

const parse = <T>(s: string, empty: T): T => {
  try {
    return (JSON.parse(s) as T) ?? empty;
  } catch {
    return empty;
  }
};

export async function loadReply(db: Db, requestId: number): Promise<ReplyView | null> {
  const r = await db.selectFrom('request_replies').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  if (!r) return null;
  return { ...r, fields: parse(r.fields, {}), withheld: parse(r.withheld, []), itemIds: parse(r.item_ids, []), attachments: parse(r.attachments, []) };
}

/** Linked catalog items as the letter and the pages show them (public ones only). */
export async function replyItems(db: Db, ids: number[]): Promise<{ id: number; title: string; url: string; public: boolean }[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('pub_items').select(['id', 'title', 'public']).where('id', 'in', ids).execute();
  const by = new Map(rows.map((x) => [Number(x.id), x]));
  return ids.filter((id) => by.has(id)).map((id) => ({ id, title: by.get(id)!.title, url: `/catalog/items/${id}`, public: !!by.get(id)!.public }));
}

// ---- checking the input ----------------------------------------------------------------------------

const bad = (field: string, key: string, params?: Record<string, string | number>) => badRequest('err.validation', { [field]: key }, params);

function typeOf(v: unknown): ReplyType {
  const t = typeof v === 'string' ? replyType(v) : undefined;
  if (!t) throw bad('type', 'requests.err.reply_type');
  return t;
}

function cleanFields(t: ReplyType, raw: unknown): Record<string, string> {
  const src = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: Record<string, string> = {};
  for (const f of t.fields) {
    const v = src[f.name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw bad(`fields.${f.name}`, 'err.field.invalid');
    const s = v.trim();
    if (!s) continue;
    if (s.length > f.max) throw bad(`fields.${f.name}`, 'requests.err.too_long');
    if (f.kind === 'date' && !isValidDate(s)) throw bad(`fields.${f.name}`, 'requests.err.date');
    if (f.name === 'ground' && !WITHHOLD_GROUNDS.includes(s)) throw bad('fields.ground', 'requests.err.reply_ground');
    out[f.name] = s;
  }
  return out;
}

function cleanWithheld(raw: unknown): WithheldPart[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw bad('withheld', 'err.field.invalid');
  if (raw.length > MAX_WITHHELD) throw bad('withheld', 'requests.err.reply_withheld_many', { max: MAX_WITHHELD });
  return raw.map((w, i) => {
    const o = w && typeof w === 'object' ? (w as Record<string, unknown>) : {};
    const s = (k: string, max: number) => {
      const v = typeof o[k] === 'string' ? (o[k] as string).trim() : '';
      if (!v) throw bad(`withheld.${i}.${k}`, 'err.field.required');
      if (v.length > max) throw bad(`withheld.${i}.${k}`, 'requests.err.too_long');
      return v;
    };
    const part = s('part', 200);
    const ground = s('ground', 60);
    if (!WITHHOLD_GROUNDS.includes(ground)) throw bad(`withheld.${i}.ground`, 'requests.err.reply_ground');
    return { part, ground, reason: s('reason', 1000) };
  });
}

async function cleanItems(db: Db, raw: unknown): Promise<number[]> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > MAX_REPLY_ITEMS) throw bad('itemIds', 'requests.err.reply_items_many', { max: MAX_REPLY_ITEMS });
  const ids = [...new Set(raw)];
  if (ids.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 2147483647)) throw bad('itemIds', 'err.field.invalid');
  await requirePublicItems(db, ids as number[]);
  return ids as number[];
}

/** Every linked catalog item exists and is public (a withdrawn one cannot be cited). */
async function requirePublicItems(db: Db, ids: number[]): Promise<void> {
  const items = await replyItems(db, ids);
  const missing = ids.find((id) => !items.some((x) => x.id === id && x.public));
  if (missing !== undefined) throw bad('itemIds', 'requests.err.reply_item', { id: missing });
}

/** The type's requirements: required fields, one of the alternatives, the withheld parts, a correction received. 400 naming the field. */
export async function requireComplete(db: Db, r: Pick<DisclosureRequest, 'corrected_on'>, x: ReplyView): Promise<ReplyType> {
  const t = typeOf(x.reply_type);
  if (t.afterCorrection && !r.corrected_on) throw bad('type', 'requests.err.reply_unclear');
  for (const f of t.fields) if (f.required && !x.fields[f.name]) throw bad(`fields.${f.name}`, 'err.field.required');
  if (t.oneOf && !t.oneOf.some((k) => (k === 'items' ? x.itemIds.length : k === 'attachments' ? x.attachments.length : x.fields[k]))) {
    const first = t.oneOf[0];
    throw bad(first === 'items' ? 'itemIds' : first === 'attachments' ? 'attachments' : `fields.${first}`, `requests.err.reply_oneof.${t.code}`);
  }
  if (t.withheldParts && !x.withheld.length) throw bad('withheld', 'requests.err.reply_withheld');
  await requirePublicItems(db, x.itemIds);
  return t;
}

// ---- the letter -------------------------------------------------------------------------------------

/** The body generated from the type's template. */
export async function generateBody(p: Platform, r: DisclosureRequest, t: ReplyType, x: Pick<ReplyView, 'fields' | 'withheld' | 'itemIds' | 'attachments'>): Promise<string> {
  const base = p.config.publicUrl.replace(/\/$/, '');
  const input: LetterInput = {
    receivedOn: r.received_on ?? r.arrived_on,
    infoName: r.info_name,
    fields: x.fields,
    items: (await replyItems(p.db, x.itemIds)).map((i) => ({ title: i.title, url: `${base}${i.url}` })),
    attachments: x.attachments,
    withheld: x.withheld,
  };
  return t.body(input);
}

/** The letter's parts: signed, as frozen; before, as it would be signed today. */
export function letterData(r: DisclosureRequest, x: ReplyView, draft: { agency: string; signer?: string } | null): LetterData {
  return {
    letterNo: x.letter_no ?? defaultLetterNo(r),
    addressee: r.requester_name,
    receivedOn: r.received_on ?? r.arrived_on,
    infoName: r.info_name,
    body: x.body,
    agency: x.agency_name ?? draft?.agency ?? '',
    date: x.signed_at ? shanghaiDate(x.signed_at) : todayShanghai(),
    signer: x.signer_name ?? draft?.signer ?? '',
    draft: !x.signed_at,
  };
}

const defaultLetterNo = (r: Pick<DisclosureRequest, 'tracking_no' | 'received_on' | 'arrived_on'>) => `〔${(r.received_on ?? r.arrived_on).slice(0, 4)}〕依申请第${r.tracking_no}号`;

/** Keeps the signed letter in the content-addressed store (storeFile takes only uploads' types: PDF, images, office documents). */
function keepLetter(p: Platform, html: string): string {
  const buf = Buffer.from(html, 'utf8');
  const hash = sm3(buf);
  const path = filePath(p.config.dataDir, hash);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  }
  return hash;
}

// ---- the steps --------------------------------------------------------------------------------------

const who = (actor: Actor) => (typeof actor === 'string' ? actor : actor.displayName || actor.username);
const now = () => new Date().toISOString();

async function replyFor(p: Platform, id: number, statuses: string[]): Promise<ReplyView> {
  const x = await loadReply(p.db, id);
  if (!x) throw conflict('requests.err.no_reply');
  if (x.status === 'delivered') throw conflict('requests.err.reply_done', undefined, { date: x.delivered_on ?? '' });
  if (!statuses.includes(x.status)) throw conflict('requests.err.reply_status', undefined, { status: `requests.reply_status.${x.status}` });
  return x;
}

/** Moves the reply from one status to the next (409 when someone moved it meanwhile). */
async function move(t: Db, x: ReplyView, to: string, set: Partial<RequestReply> = {}): Promise<void> {
  const upd = await t.updateTable('request_replies').set({ ...set, status: to, updated_at: now() }).where('id', '=', x.id).where('status', '=', x.status).executeTakeFirst();
  if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
}

export interface DraftInput {
  type?: unknown;
  fields?: unknown;
  withheld?: unknown;
  itemIds?: unknown;
  /** New files (already read), appended. */
  files?: { buf: Buffer; name: string }[];
  /** Hashes of attached files to drop. */
  remove?: unknown;
  body?: unknown;
  /** Start the text again from the template (the body given is ignored). */
  regenerate?: boolean;
  /** Keep the text as it is (the console's file form). */
  keepBody?: boolean;
  /** The day it was drafted, when recorded later (default today). */
  on?: unknown;
}

/** Creates or updates the draft: the type, its fields, the withheld parts, items, files; the body generated unless given. */
export async function draftReply(p: Platform, actor: Actor, id: number, input: DraftInput): Promise<{ status: string }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  const old = await loadReply(p.db, id);
  if (old?.status === 'delivered') throw conflict('requests.err.reply_done', undefined, { date: old.delivered_on ?? '' });
  requireState(r, CLOCK_STATES);
  if (old && old.status !== 'draft') throw conflict('requests.err.reply_status', undefined, { status: `requests.reply_status.${old.status}` });
  const t = typeOf(input.type ?? old?.reply_type);
  const draftedOn = stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  const fields = cleanFields(t, input.fields ?? (old?.reply_type === t.code ? old.fields : {}));
  const withheld = t.withheldParts ? cleanWithheld(input.withheld ?? old?.withheld) : [];
  const itemIds = t.discloses ? await cleanItems(p.db, input.itemIds ?? old?.itemIds) : [];
  const remove = Array.isArray(input.remove) ? input.remove.filter((h): h is string => typeof h === 'string') : [];
  const attachments = t.discloses ? (old?.attachments ?? []).filter((a) => !remove.includes(a.hash)) : [];
  const files = input.files ?? [];
  if (files.length && !t.discloses) throw bad('attachments', 'requests.err.reply_no_attachments');
  if (attachments.length + files.length > MAX_REPLY_ATTACHMENTS) throw bad('attachments', 'requests.err.reply_attachments_many', { max: MAX_REPLY_ATTACHMENTS });
  for (const [i, f] of files.entries()) {
    try {
      const s = await storeFile(p, f.buf, f.name, `attachments.${i}`);
      if (!attachments.some((a) => a.hash === s.hash)) attachments.push({ hash: s.hash, name: safeFileName(f.name || `附件${i + 1}.${s.ext}`, s.ext), mime: s.mime, size: s.size });
    } catch (err) {
      if (err instanceof HttpError && err.status === 415) throw bad(`attachments.${i}`, 'requests.err.reply_attachment_type');
      if (err instanceof HttpError && !err.fields && err.status < 500) throw new HttpError(err.status, err.code, err.message, { [`attachments.${i}`]: err.message }, err.params);
      throw err;
    }
  }
  const given = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n').trim() : '';
  if (given.length > MAX_BODY) throw bad('body', 'requests.err.too_long');
  const body = input.keepBody && old ? old.body : given && !input.regenerate ? given : await generateBody(p, r, t, { fields, withheld, itemIds, attachments });
  const outcome = t.outcome === 'ground' ? (fields.ground ?? 'withheld') : t.outcome;
  const values = { reply_type: t.code, outcome, fields: JSON.stringify(fields), withheld: JSON.stringify(withheld), item_ids: JSON.stringify(itemIds), attachments: JSON.stringify(attachments), body, updated_at: now() };
  return p.tx(async (tx) => {
    if (old) {
      const upd = await tx.updateTable('request_replies').set(values).where('id', '=', old.id).where('status', '=', 'draft').executeTakeFirst();
      if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    } else {
      await tx.insertInto('request_replies').values({ ...values, request_id: id, status: 'draft', drafted_by: actorName(actor), approved_by: null, approved_at: null, approval_note: null, signed_by: null, signer_name: null, agency_name: null, signed_at: null, letter_no: null, letter_hash: null, delivered_on: null, delivery_channel: null, delivery_ref: null, created_at: now() }).execute();
      await addEvent(tx, id, actor, { kind: 'reply-drafted', on: draftedOn, public: false, data: { type: t.code } });
    }
    await p.audit(tx, { actor: actorName(actor), action: 'request.reply_draft', entity: 'disclosure_request', entityId: id, details: { type: t.code, outcome, items: itemIds.length, attachments: attachments.length, withheld: withheld.length } });
    return { status: 'draft' };
  });
}

/** The handler submits the complete draft; the department's office heads find it in their inbox. */
export async function submitReply(p: Platform, actor: Actor, id: number, input: { on?: unknown } = {}): Promise<{ status: string }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  const x = await replyFor(p, id, ['draft']);
  requireState(r, CLOCK_STATES);
  const t = await requireComplete(p.db, r, x);
  const on = stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  return p.tx(async (tx) => {
    await move(tx, x, 'awaiting-approval', { drafted_by: actorName(actor), approval_note: null });
    await addEvent(tx, id, actor, { kind: 'reply-submitted', on, public: false, data: { type: t.code } });
    const heads = (await holders(tx, 'request.approve-reply', r.department_id)).filter((h) => h.scope !== 'all' && `user:${h.username}` !== actorName(actor));
    await postNotices(tx, heads.map((h) => h.id), { kind: 'request-reply', title: translate('zh-CN', 'requests.inbox.reply', { no: r.tracking_no }), body: translate('zh-CN', 'requests.inbox.reply_body', { name: r.info_name, type: translate('zh-CN', `requests.reply_type.${t.code}`) }).slice(0, 500), url: `/admin/disclosure-requests/${id}#reply-h`, dedupeKey: `request-reply:${x.id}:${Date.now()}` });
    await p.audit(tx, { actor: actorName(actor), action: 'request.reply_submit', entity: 'disclosure_request', entityId: id, details: { type: t.code } });
    return { status: 'awaiting-approval' };
  });
}

/**
 * Only an office head at home in the request's department, never one who wrote the reply: its
 * submitter, nor anyone who saved the draft (the audit keeps every save; one reply per request).
 */
async function requireApprover(db: Db, actor: Actor, r: DisclosureRequest, x: ReplyView): Promise<void> {
  requireHead(actor, 'request.approve-reply', r);
  if (typeof actor === 'string') return;
  if (await wroteReply(db, r.id, x, actorName(actor))) throw forbidden('requests.err.own_reply');
}

/** Did `who` (an actor name) write the request's reply: submit it or save its draft? */
export async function wroteReply(db: Db, requestId: number, x: Pick<ReplyView, 'drafted_by'>, who: string): Promise<boolean> {
  if (x.drafted_by === who) return true;
  const row = await db.selectFrom('audit_events').select('seq').where('entity', '=', 'disclosure_request').where('entity_id', '=', String(requestId)).where('action', 'in', ['request.reply_draft', 'request.reply_submit']).where('actor', '=', who).limit(1).executeTakeFirst();
  return !!row;
}

/** The office head approves the reply, or returns it to the handler with a note (required). */
export async function decideReply(p: Platform, actor: Actor, id: number, input: { approve?: unknown; note?: unknown; on?: unknown }): Promise<{ status: string }> {
  const r = await loadFor(p.db, actor, id);
  const x = await replyFor(p, id, ['awaiting-approval']);
  await requireApprover(p.db, actor, r, x);
  if (typeof input.approve !== 'boolean') throw bad('approve', 'requests.err.choose');
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (note.length > 1000) throw bad('note', 'requests.err.too_long');
  if (!input.approve && !note) throw bad('note', 'requests.err.return_note');
  if (input.approve) await requireComplete(p.db, r, x);
  const on = stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  return p.tx(async (tx) => {
    if (input.approve) await move(tx, x, 'approved', { approved_by: actorName(actor), approved_at: now(), approval_note: note || null });
    else await move(tx, x, 'draft', { approved_by: null, approved_at: null, approval_note: note });
    await addEvent(tx, id, actor, { kind: input.approve ? 'reply-approved' : 'reply-returned', on, note, public: false, data: { by: who(actor) } });
    await p.audit(tx, { actor: actorName(actor), action: input.approve ? 'request.reply_approve' : 'request.reply_return', entity: 'disclosure_request', entityId: id, details: { note } });
    return { status: input.approve ? 'approved' : 'draft' };
  });
}

/** 签发: the office head signs; the text is frozen, the letter rendered and kept (its SM3 hash recorded). */
export async function signReply(p: Platform, actor: Actor, id: number, input: { letterNo?: unknown; on?: unknown }): Promise<{ status: string; letterHash: string }> {
  const r = await loadFor(p.db, actor, id);
  const x = await replyFor(p, id, ['approved']);
  await requireApprover(p.db, actor, r, x);
  requireState(r, ['handling']);
  await requireComplete(p.db, r, x);
  const no = typeof input.letterNo === 'string' ? input.letterNo.trim() : '';
  if (no.length > 60) throw bad('letterNo', 'requests.err.too_long');
  // The letter is dated the day it was signed: now, or the day recorded (noon, Shanghai time).
  const signedOn = input.on === undefined || input.on === '' ? null : stepDate(input.on, 'on', r.corrected_on ?? r.received_on);
  const signedAt = signedOn && signedOn !== todayShanghai() ? `${signedOn}T04:00:00.000Z` : now();
  const signed: ReplyView = { ...x, letter_no: no || defaultLetterNo(r), signed_at: signedAt, signer_name: who(actor), agency_name: await agencyName(p.db, r) };
  const hash = keepLetter(p, letterHtml(letterData(r, signed, null)));
  return p.tx(async (tx) => {
    // The request is still handled (no fee notice, consultation or correction meanwhile).
    const held = await tx.updateTable('disclosure_requests').set({ updated_at: now() }).where('id', '=', id).where('state', '=', 'handling').executeTakeFirst();
    if (!Number(held.numUpdatedRows)) throw conflict('requests.err.changed');
    await move(tx, x, 'signed', { signed_by: actorName(actor), signer_name: signed.signer_name, agency_name: signed.agency_name, signed_at: signedAt, letter_no: signed.letter_no, letter_hash: hash });
    await addEvent(tx, id, actor, { kind: 'reply-signed', on: shanghaiDate(signedAt), public: false, data: { letterNo: signed.letter_no, by: who(actor), hash } });
    await p.audit(tx, { actor: actorName(actor), action: 'request.reply_sign', entity: 'disclosure_request', entityId: id, details: { letterNo: signed.letter_no, hash } });
    return { status: 'signed', letterHash: hash };
  });
}

const MAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Delivers the signed letter by the channel asked for (or another given): e-mail — the letter
 * itself is mailed with the status page's address; post — the postal tracking number; pickup — the
 * day it was picked up; fax; online — the status page. Completes the reply clock, records the
 * outcome and the closing date, tells the requester.
 */
export async function deliverReply(p: Platform, actor: Actor, id: number, input: { channel?: unknown; on?: unknown; ref?: unknown }): Promise<{ status: string; outcome: string }> {
  const r = await loadFor(p.db, actor, id);
  requireAction(actor, 'request.handle', r);
  const x = await replyFor(p, id, ['signed']);
  requireState(r, ['handling']);
  await requireComplete(p.db, r, x);
  const channel = input.channel === undefined || input.channel === '' ? r.channel_wanted : input.channel;
  if (typeof channel !== 'string' || !(CHANNELS_WANTED as readonly string[]).includes(channel)) throw bad('channel', 'requests.err.choose');
  const on = stepDate(input.on, 'on', shanghaiDate(x.signed_at));
  const ref = typeof input.ref === 'string' ? input.ref.trim() : '';
  if (ref.length > 100) throw bad('ref', 'requests.err.too_long');
  if (channel === 'post' && !ref) throw bad('ref', 'requests.err.post_ref');
  if (channel === 'email' && !MAIL.test(r.contact_email)) throw bad('channel', 'requests.err.email_for_email');
  const letter = letterData(r, x, null);
  const statusUrl = `${p.config.publicUrl.replace(/\/$/, '')}/disclosure-requests/track?no=${r.tracking_no}`;
  await ensureCalendar(p.db);
  return p.tx(async (tx) => {
    await move(tx, x, 'delivered', { delivered_on: on, delivery_channel: channel, delivery_ref: ref || null });
    const upd = await tx.updateTable('disclosure_requests').set({ state: 'replied', outcome: x.outcome, closed_on: on, due_date: null, updated_at: now() }).where('id', '=', id).where('state', '=', 'handling').executeTakeFirst();
    if (!Number(upd.numUpdatedRows)) throw conflict('requests.err.changed');
    await completeClock(p, tx, SUBJECT, id, REPLY_RULE, actorName(actor), on);
    // Not while the demo loads: nobody is told anything then.
    if (channel === 'email' && !isQuiet(p))
      await enqueueMail(p, tx, { to: r.contact_email, subject: `${LETTER_TITLE}（${r.tracking_no}）`, text: `${translate('zh-CN', 'requests.reply_mail', { no: r.tracking_no, url: statusUrl })}\n\n${LETTER_TITLE}\n${letter.letterNo}\n${letter.addressee}：\n${letter.body}\n${translate('zh-CN', 'requests.reply_remedy')}\n${letter.agency}\n${letter.date}`, html: letterHtml(letter) }, `request:${id}:reply-letter`);
    // The e-mail above carries the letter; the other notice goes by SMS only then.
    const used = await notifyRequester(p, tx, channel === 'email' ? { ...r, contact_email: '' } : r, 'replied', 'requests.sms.replied', { url: statusUrl });
    await addEvent(tx, id, actor, { kind: 'replied', on, public: true, data: { outcome: x.outcome, channel, letterNo: x.letter_no, ...noticeData(channel === 'email' ? [...used, 'email'] : used) } });
    await p.audit(tx, { actor: actorName(actor), action: 'request.reply_deliver', entity: 'disclosure_request', entityId: id, details: { outcome: x.outcome, channel, on, ref } });
    return { status: 'delivered', outcome: x.outcome };
  });
}

// ---- what the requester sees --------------------------------------------------------------------------

/**
 * The delivered reply as the status page shows it (null before delivery): the letter — the
 * requester's name masked for a natural person, as everywhere on the page —, the outcome, the linked
 * items still public, the attached files (the pages hand out short-lived links).
 */
export async function publicReply(db: Db, r: DisclosureRequest) {
  const x = await loadReply(db, r.id);
  if (!x || x.status !== 'delivered') return null;
  const person = !isOrganisation(r.requester_type);
  const masked = person ? maskName(r.requester_name) : r.requester_name;
  const letter = letterData(r, x, null);
  // Anyone holding the code reads the page: the letter's text is masked as the request's own text is
  // (phone and ID numbers, e-mail addresses, the requester's name — the body quotes the information's name).
  const names = person && r.requester_name ? [r.requester_name] : [];
  const mask = (s: string) => {
    const m = maskText(s, { names }).text;
    return names.length ? m.split(r.requester_name).join(masked) : m;
  };
  return {
    type: x.reply_type,
    outcome: x.outcome,
    deliveredOn: x.delivered_on!,
    channel: x.delivery_channel!,
    letter: { ...letter, addressee: masked, infoName: mask(letter.infoName), body: mask(letter.body) },
    items: (await replyItems(db, x.itemIds)).filter((i) => i.public).map(({ id, title, url }) => ({ id, title, url })),
    attachments: x.attachments,
  };
}
export type PublicReply = NonNullable<Awaited<ReturnType<typeof publicReply>>>;
