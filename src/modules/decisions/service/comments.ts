// Public comments on a consultation draft (公开征求意见的意见建议, Decree 713 Art. 15): anyone may
// comment on the whole draft (article_id null) or on one article while the consultation is open —
// not before opens_at, and not at or after closes_at (409 naming the closing time in Beijing
// time). A name (or anonymous ''), an optional e-mail and/or mobile (for the "report is out"
// notice) that may be verified with a code sent through the platform's channels, the text within
// its limits. A comment waits for moderation (pending); a moderator of the consultation's department
// publishes it or hides it with a reason, audited. The public sees published comments only, newest
// first, names masked and the text's personal data masked, never a contact; the counts received /
// published / hidden by reason. The drafting team exports every comment with its status (CSV, XLSX).
// Client addresses are never stored: client_hash is SHA-256 of the address (per /64 for IPv6).
import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import type { Actor } from '../../../platform/auth/actor.js';
import { actorName } from '../../../platform/auth/actor.js';
import { conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { maskName, maskText } from '../../../platform/privacy/index.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { clientKey } from '../../../platform/http/limit.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { csvCell } from '../../../platform/files/csv.js';
import type { ArticleRow, CommentRow, ConsultationRow } from '../schema.js';
import { consultationFor } from './access.js';
import { AUDIT_REPORT } from './dispositions.js';

export const COMMENT_STATUSES = ['pending', 'published', 'hidden'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
export const HIDE_REASONS = ['abuse', 'personal_data', 'off_topic', 'duplicate'] as const;
export type HideReason = (typeof HIDE_REASONS)[number];

/** Lengths in characters (code points). */
export const LIMITS = { name: 40, email: 200, phone: 20, bodyMin: 5, body: 3000 };
/** Comments submitted per client address per minute (each route its own budget); codes asked for. */
export const COMMENT_RATE_LIMIT = 10;
export const CODE_RATE_LIMIT = 5;
/** A code is valid 10 minutes, for 5 tries; one a minute per target. */
const CODE_TTL_MS = 10 * 60_000;
const CODE_WAIT_MS = 60_000;
const CODE_TRIES = 5;
export const PAGE_SIZE = 20;

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
// Control characters other than tab and line breaks never belong in a comment.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface CommentInput {
  /** The article commented on; null/absent: the whole draft. */
  articleId?: number | null;
  name?: string;
  email?: string;
  phone?: string;
  body?: string;
  /** A code received by e-mail or SMS (optional). */
  verifyCode?: string;
}

export interface Submitted {
  id: number;
  status: CommentStatus;
  verified: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const len = (s: string) => [...s].length;
const normalizePhone = (v: string) => v.replace(/[\s-]/g, '');

/** SHA-256 of the client address (IPv6 by its /64), never the address itself. */
export const clientHash = (ip: string) => createHash('sha256').update(`decisions.comment\u0000${clientKey(ip)}`).digest('hex');

/** A consultation as the public may see it (not a draft): else 404. */
export async function publicConsultation(db: Db, id: number): Promise<ConsultationRow> {
  const c = Number.isInteger(id) && id > 0 && id <= 2147483647 ? await db.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!c || c.state === 'draft') throw notFound();
  return c;
}

/** Why a comment cannot be taken now (409 with the time in Beijing time), or null. `now` in ms. */
export function closedReason(c: ConsultationRow, now = Date.now()): { message: string; params: Record<string, string> } | null {
  const opens = Date.parse(c.opens_at);
  const closes = Date.parse(c.closes_at);
  if (c.state === 'closed' || !(now < closes)) return { message: 'decisions.comments.err.closed', params: { at: shanghaiDateTime(c.closes_at, true) } };
  if (c.state !== 'open' || now < opens) return { message: 'decisions.comments.err.not_open', params: { at: shanghaiDateTime(c.opens_at, true) } };
  return null;
}

/** Whether the consultation takes comments now. */
export const isAccepting = (c: ConsultationRow, now = Date.now()) => closedReason(c, now) === null;

/** The field checks (all at once; message keys). */
export function checkComment(input: CommentInput): { fields: FieldErrors; x: Required<Omit<CommentInput, 'articleId'>> & { articleId: number | null } } {
  const x = {
    articleId: input.articleId === undefined || input.articleId === null ? null : input.articleId,
    name: str(input.name),
    email: str(input.email).toLowerCase(),
    phone: normalizePhone(str(input.phone)),
    body: typeof input.body === 'string' ? input.body.replace(/\r\n?/g, '\n').trim() : '',
    verifyCode: str(input.verifyCode),
  };
  const f: FieldErrors = {};
  if (x.articleId !== null && (!Number.isInteger(x.articleId) || x.articleId < 1 || x.articleId > 2147483647)) f.articleId = 'decisions.comments.err.article';
  if (len(x.name) > LIMITS.name) f.name = 'decisions.comments.err.too_long';
  else if (CONTROL.test(x.name) || /[\n\t]/.test(x.name)) f.name = 'decisions.comments.err.characters';
  if (x.email && (len(x.email) > LIMITS.email || !EMAIL.test(x.email))) f.email = 'decisions.comments.err.email';
  if (x.phone && !MOBILE.test(x.phone)) f.phone = 'decisions.comments.err.phone';
  const n = len(x.body);
  if (n < LIMITS.bodyMin) f.body = 'decisions.comments.err.body_short';
  else if (n > LIMITS.body) f.body = 'decisions.comments.err.body_long';
  else if (CONTROL.test(x.body)) f.body = 'decisions.comments.err.characters';
  if (x.verifyCode && !/^\d{6}$/.test(x.verifyCode)) f.verifyCode = 'decisions.comments.err.code';
  else if (x.verifyCode && !x.email && !x.phone) f.verifyCode = 'decisions.comments.err.code_contact';
  return { fields: f, x };
}

const codeHash = (target: string, code: string) => createHash('sha256').update(`${target}\u0000${code}`).digest('hex');

/** Checks a code for a target and marks it used (in the caller's transaction). */
async function consumeCode(t: Db, target: string, code: string): Promise<boolean> {
  const v = await t.selectFrom('dec_comment_codes').selectAll().where('target', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!v || v.used_at || v.expires_at < new Date().toISOString() || v.attempts >= CODE_TRIES) return false;
  const ok = codeHash(target, code) === v.code_hash;
  await t.updateTable('dec_comment_codes').set(ok ? { used_at: new Date().toISOString() } : { attempts: v.attempts + 1 }).where('id', '=', v.id).execute();
  return ok;
}

/**
 * Takes one comment: 404 for an unknown or draft consultation; 409 before opens_at and at or after
 * closes_at (the message gives the time in Beijing time); 400 naming the field (an article of
 * another consultation: articleId; a wrong or expired code: verifyCode). Stored 'pending'.
 */
export async function submitComment(p: Platform, consultationId: number, input: CommentInput, ip: string): Promise<Submitted> {
  const c = await publicConsultation(p.db, consultationId);
  const { fields, x } = checkComment(input);
  if (Object.keys(fields).length) throw validationError(fields);
  const no = closedReason(c);
  if (no) throw conflict(no.message, undefined, no.params);
  if (x.articleId !== null) {
    const a = await p.db.selectFrom('dec_articles').select('id').where('id', '=', x.articleId).where('consultation_id', '=', c.id).executeTakeFirst();
    if (!a) throw validationError({ articleId: 'decisions.comments.err.article' });
  }
  const hash = clientHash(ip);
  return p.tx(async (t) => {
    let verified = 0;
    if (x.verifyCode) {
      const ok = (x.phone && (await consumeCode(t, `sms:${x.phone}`, x.verifyCode))) || (x.email && (await consumeCode(t, `email:${x.email}`, x.verifyCode)));
      if (!ok) throw validationError({ verifyCode: 'decisions.comments.err.code_wrong' });
      verified = 1;
    }
    const row = await t
      .insertInto('dec_comments')
      .values({ consultation_id: c.id, article_id: x.articleId, name: x.name, email: x.email, phone: x.phone, verified, body: x.body, status: 'pending', hide_reason: '', moderated_by: null, moderated_at: null, group_id: null, disposition: '', disposition_reason: '', client_hash: hash, notified_at: null, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, status: 'pending' as const, verified: verified === 1 };
  });
}

/**
 * Sends a 6-digit code to a mobile (SMS) or, without one, an e-mail address, for a consultation
 * that takes comments (409 otherwise); valid 10 minutes, one a minute per target (409).
 */
export async function requestCommentCode(p: Platform, consultationId: number, input: { phone?: string; email?: string }): Promise<{ channel: 'sms' | 'email' }> {
  const c = await publicConsultation(p.db, consultationId);
  const phone = normalizePhone(str(input.phone));
  const email = str(input.email).toLowerCase();
  let channel: 'sms' | 'email';
  let to: string;
  if (phone) {
    if (!MOBILE.test(phone)) throw validationError({ phone: 'decisions.comments.err.phone' });
    channel = 'sms';
    to = phone;
  } else if (email) {
    if (len(email) > LIMITS.email || !EMAIL.test(email)) throw validationError({ email: 'decisions.comments.err.email' });
    channel = 'email';
    to = email;
  } else throw validationError({ phone: 'decisions.comments.err.code_contact' });
  const no = closedReason(c);
  if (no) throw conflict(no.message, undefined, no.params);
  const target = `${channel}:${to}`;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await p.tx(async (t) => {
    const last = await t.selectFrom('dec_comment_codes').select('created_at').where('target', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (last && Date.now() - Date.parse(last.created_at) < CODE_WAIT_MS) throw conflict('decisions.comments.err.code_wait');
    const now = new Date();
    await t
      .insertInto('dec_comment_codes')
      .values({ target, channel, code_hash: codeHash(target, code), attempts: 0, expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(), used_at: null, created_at: now.toISOString() })
      .execute();
    await sendMessage(p, t, { channel, to, subject: '征求意见验证码', text: `【决策公开】您对“${c.title.slice(0, 40)}”提出意见的验证码是 ${code}，10分钟内有效。如非本人操作请忽略。` });
  });
  return { channel };
}

// ---- moderation --------------------------------------------------------------------------------

export interface Moderation {
  action: 'publish' | 'hide';
  reason?: string;
}

/**
 * Publishes a comment or hides it with a reason (400 naming `reason`), audited; a moderator of
 * another department gets 404 (or 403 when they may read its decisions).
 */
export async function moderateComment(p: Platform, actor: Actor, commentId: number, m: Moderation): Promise<CommentRow> {
  const c = await p.db.selectFrom('dec_comments').selectAll().where('id', '=', commentId).executeTakeFirst();
  if (!c) throw notFound();
  const k = await consultationFor(p.db, actor, c.consultation_id, 'consultation.moderate');
  // What the adoption report says may not change under it: once published, moderation is over.
  if (k.report_state === 'published') throw conflict('decisions.report.err.published');
  if (m.action !== 'publish' && m.action !== 'hide') throw validationError({ action: 'decisions.comments.err.action' });
  const reason = m.action === 'hide' ? str(m.reason) : '';
  if (m.action === 'hide' && !(HIDE_REASONS as readonly string[]).includes(reason)) throw validationError({ reason: 'decisions.comments.err.reason' });
  const status: CommentStatus = m.action === 'publish' ? 'published' : 'hidden';
  const now = new Date().toISOString();
  const by = actorName(actor);
  return p.tx(async (t) => {
    await t.updateTable('dec_comments').set({ status, hide_reason: reason, moderated_by: by, moderated_at: now }).where('id', '=', c.id).execute();
    // A submitted report goes back to draft: its approver must see what changed (as dispositions do).
    if (k.report_state === 'submitted') {
      await t.updateTable('dec_consultations').set({ report_state: 'draft', updated_at: now }).where('id', '=', k.id).execute();
      await p.audit(t, { actor: by, action: 'adoption-report.reopen', entity: AUDIT_REPORT, entityId: k.id, details: {} });
    }
    await p.audit(t, { actor: by, action: `decisions.comment.${m.action}`, entity: 'dec_comment', entityId: c.id, details: { consultation: c.consultation_id, from: c.status, ...(reason ? { reason } : {}) } });
    return { ...c, status, hide_reason: reason, moderated_by: by, moderated_at: now };
  });
}

// ---- public views --------------------------------------------------------------------------------

export interface PublicComment {
  id: number;
  articleId: number | null;
  /** Masked ('' = anonymous). */
  name: string;
  /** Personal data masked. */
  body: string;
  createdAt: string;
}

/** The public form of a comment: the name masked, personal data in the text masked, no contact. */
export function publicComment(r: Pick<CommentRow, 'id' | 'article_id' | 'name' | 'body' | 'created_at'>): PublicComment {
  return { id: r.id, articleId: r.article_id, name: r.name ? maskName(r.name) : '', body: maskText(r.body, r.name ? { names: [r.name] } : {}).text, createdAt: r.created_at };
}

/**
 * Published comments on one article (articleId), on the whole draft (null) or all of them
 * (undefined), newest first, one page. The index dec_comments_public (consultation_id, status,
 * article_id, id) answers each.
 */
export async function publishedComments(db: Db, consultationId: number, articleId: number | null | undefined, page = 1, pageSize = PAGE_SIZE): Promise<{ total: number; items: PublicComment[] }> {
  let base = db.selectFrom('dec_comments').where('consultation_id', '=', consultationId).where('status', '=', 'published');
  if (articleId !== undefined) base = base.where('article_id', articleId === null ? 'is' : '=', articleId);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'article_id', 'name', 'body', 'created_at'])
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((Math.max(1, page) - 1) * pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), items: rows.map(publicComment) };
}

export interface CommentCounts {
  received: number;
  published: number;
  pending: number;
  hidden: number;
  hiddenBy: Record<HideReason, number>;
  /** Published comments per article id ('general' for the whole draft). */
  publishedOn: Record<string, number>;
}

/** The counts of a consultation's comments (public: no contents). */
export async function commentCounts(db: Db, consultationId: number): Promise<CommentCounts> {
  const rows = await db
    .selectFrom('dec_comments')
    .select(['status', 'hide_reason', 'article_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('consultation_id', '=', consultationId)
    .groupBy(['status', 'hide_reason', 'article_id'])
    .execute();
  const out: CommentCounts = { received: 0, published: 0, pending: 0, hidden: 0, hiddenBy: { abuse: 0, personal_data: 0, off_topic: 0, duplicate: 0 }, publishedOn: {} };
  for (const r of rows) {
    const n = Number(r.n);
    out.received += n;
    if (r.status === 'published') {
      out.published += n;
      const k = r.article_id === null ? 'general' : String(r.article_id);
      out.publishedOn[k] = (out.publishedOn[k] ?? 0) + n;
    } else if (r.status === 'hidden') {
      out.hidden += n;
      if (r.hide_reason in out.hiddenBy) out.hiddenBy[r.hide_reason as HideReason] += n;
    } else out.pending += n;
  }
  return out;
}

/** The articles of a consultation, in order. */
export const articlesOf = (db: Db, consultationId: number): Promise<ArticleRow[]> => db.selectFrom('dec_articles').selectAll().where('consultation_id', '=', consultationId).orderBy('seq').execute();

/** One article of a consultation, or 404. */
export async function articleOf(db: Db, consultationId: number, articleId: number): Promise<ArticleRow> {
  const a = Number.isInteger(articleId) && articleId > 0 && articleId <= 2147483647 ? await db.selectFrom('dec_articles').selectAll().where('id', '=', articleId).where('consultation_id', '=', consultationId).executeTakeFirst() : undefined;
  if (!a) throw notFound();
  return a;
}

// ---- staff views and export ------------------------------------------------------------------------

export interface StaffFilter {
  status?: string;
  reason?: string;
  /** An article id, or 'general' for the whole draft. */
  article?: string;
  page?: number;
  pageSize?: number;
}

export interface StaffComment {
  id: number;
  articleId: number | null;
  articleLabel: string;
  name: string;
  email: string;
  phone: string;
  verified: boolean;
  body: string;
  status: string;
  hideReason: string;
  moderatedBy: string | null;
  moderatedAt: string | null;
  createdAt: string;
}

function staffQuery(db: Db, consultationId: number, f: StaffFilter) {
  let q = db.selectFrom('dec_comments as c').leftJoin('dec_articles as a', 'a.id', 'c.article_id').where('c.consultation_id', '=', consultationId);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.reason) q = q.where('c.hide_reason', '=', f.reason);
  if (f.article === 'general') q = q.where('c.article_id', 'is', null);
  else if (f.article && /^\d{1,9}$/.test(f.article)) q = q.where('c.article_id', '=', Number(f.article));
  return q;
}

const staffRow = (r: CommentRow & { label: string | null; seq: number | null }): StaffComment => ({
  id: r.id,
  articleId: r.article_id,
  articleLabel: r.article_id === null ? '' : r.label || `#${r.seq ?? r.article_id}`,
  name: r.name,
  email: r.email,
  phone: r.phone,
  verified: r.verified === 1,
  body: r.body,
  status: r.status,
  hideReason: r.hide_reason,
  moderatedBy: r.moderated_by,
  moderatedAt: r.moderated_at,
  createdAt: r.created_at,
});

/** The comments of a consultation for its moderators (consultation.moderate on its department), pending first then newest. */
export async function staffComments(p: Platform, actor: Actor, consultationId: number, f: StaffFilter = {}): Promise<{ consultation: ConsultationRow; total: number; items: StaffComment[] }> {
  const consultation = await consultationFor(p.db, actor, consultationId, 'consultation.moderate');
  const pageSize = Math.min(100, Math.max(1, f.pageSize ?? PAGE_SIZE));
  const page = Math.max(1, f.page ?? 1);
  const count = await staffQuery(p.db, consultationId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await staffQuery(p.db, consultationId, f)
    .selectAll('c')
    .select(['a.label', 'a.seq'])
    .orderBy(sql`case when c.status = 'pending' then 0 else 1 end`)
    .orderBy('c.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { consultation, total: Number(count.n), items: rows.map((r) => staffRow(r as any)) };
}

/** One comment as its moderators see it (no permission check: the caller has made it). */
export async function staffComment(db: Db, id: number): Promise<StaffComment> {
  const r = await db.selectFrom('dec_comments as c').leftJoin('dec_articles as a', 'a.id', 'c.article_id').selectAll('c').select(['a.label', 'a.seq']).where('c.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  return staffRow(r as any);
}

/** Every comment of a consultation, oldest first, for the export (same permission). */
export async function exportRows(p: Platform, actor: Actor, consultationId: number): Promise<{ consultation: ConsultationRow; items: StaffComment[] }> {
  const consultation = await consultationFor(p.db, actor, consultationId, 'consultation.moderate');
  const rows = await staffQuery(p.db, consultationId, {}).selectAll('c').select(['a.label', 'a.seq']).orderBy('c.id').execute();
  return { consultation, items: rows.map((r) => staffRow(r as any)) };
}

export type Tr = (key: string, params?: Record<string, string | number>) => string;

const HEAD = ['id', 'article', 'name', 'email', 'phone', 'verified', 'body', 'status', 'hide_reason', 'moderated_by', 'moderated_at', 'created_at'] as const;

function cells(t: Tr, r: StaffComment): (string | number)[] {
  return [
    r.id,
    r.articleId === null ? t('decisions.comments.general') : r.articleLabel,
    r.name || t('decisions.comments.anonymous'),
    r.email,
    r.phone,
    r.verified ? t('decisions.comments.yes') : t('decisions.comments.no'),
    r.body,
    t(`decisions.comments.status.${r.status}`),
    r.hideReason ? t(`decisions.comments.reason.${r.hideReason}`) : '',
    r.moderatedBy ?? '',
    shanghaiDateTime(r.moderatedAt),
    shanghaiDateTime(r.createdAt, true),
  ];
}

/** The export as CSV (UTF-8 with BOM; formula-like texts defused). */
export function commentsCsv(t: Tr, items: StaffComment[]): string {
  const lines = [HEAD.map((h) => csvCell(t(`decisions.comments.col.${h}`))).join(','), ...items.map((r) => cells(t, r).map(csvCell).join(','))];
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

let loaded: Promise<typeof import('exceljs')> | null = null;
const exceljs = () => (loaded ??= import('exceljs').then((m) => ((m as any).default ?? m) as typeof import('exceljs')));

/** The export as an XLSX workbook (one sheet, a header row; a text is stored as text: exceljs writes formulas only from formula objects). */
export async function commentsXlsx(t: Tr, title: string, items: StaffComment[]): Promise<Buffer> {
  const X = await exceljs();
  const wb = new X.Workbook();
  const ws = wb.addWorksheet(t('decisions.comments.sheet'));
  ws.columns = HEAD.map((h) => ({ header: t(`decisions.comments.col.${h}`), key: h, width: h === 'body' ? 60 : h === 'id' ? 8 : 18 }));
  ws.getRow(1).font = { bold: true };
  for (const r of items) {
    const row = ws.addRow(cells(t, r));
    row.alignment = { vertical: 'top', wrapText: true };
  }
  wb.title = title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
