// Dispositions of the public comments on a consultation (意见采纳情况, Decree 713 Art. 15): every
// published comment, or group of similar comments (dec_comment_groups), gets one of adopted (采纳),
// partly (部分采纳) or rejected (未采纳), with a reason for the last two. A grouped comment takes
// its group's disposition; its own is cleared. Only holders of `consultation.moderate` on the
// consultation's department, only once the consultation is closed, and never after the report is
// published. A change after the report was submitted takes the submission back (draft again): the
// approver must see what they publish.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { clusterSimilar } from '../../../platform/similarity.js';
import { consultationFor } from './access.js';
import type { CommentRow, ConsultationRow } from '../schema.js';

export const DISPOSITIONS = ['adopted', 'partly', 'rejected'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LIMITS = { reason: 2000, label: 200, comments: 1000 } as const;
/** The similarity (bigram Jaccard) from which comments are suggested as one group. */
export const SUGGEST_THRESHOLD = 0.5;
/** Audit entities of this part. */
export const AUDIT_REPORT = 'dec_adoption_report';
export const AUDIT_GROUP = 'dec_comment_group';

const MAX_ID = 2147483647;
const validId = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ID;

export interface DispositionInput {
  disposition: string;
  reason?: string;
}

/** Checks a disposition and its reason (required for partly and rejected; dropped for adopted… kept if given). */
export function checkDisposition(x: DispositionInput, fields: FieldErrors = {}): { disposition: Disposition; reason: string; fields: FieldErrors } {
  const d = typeof x.disposition === 'string' ? x.disposition.trim() : '';
  if (!d) fields.disposition = 'err.field.required';
  else if (!(DISPOSITIONS as readonly string[]).includes(d)) fields.disposition = 'err.field.enum_generic';
  const reason = cleanText(typeof x.reason === 'string' ? x.reason : '').replace(/\r\n?/g, '\n').trim();
  if (reason.length > DISPOSITION_LIMITS.reason) fields.reason = 'err.field.too_long';
  else if (!reason && (d === 'partly' || d === 'rejected')) fields.reason = 'decisions.report.err.reason_required';
  return { disposition: d as Disposition, reason, fields };
}

function checkLabel(v: unknown, fields: FieldErrors, required: boolean): string {
  const s = cleanLine(typeof v === 'string' ? v : '').trim();
  if (!s && required) fields.label = 'err.field.required';
  else if (s.length > DISPOSITION_LIMITS.label) fields.label = 'err.field.too_long';
  return s;
}

function checkIds(v: unknown, field: string, fields: FieldErrors, required: boolean): number[] {
  if (v === undefined || v === null) {
    if (required) fields[field] = 'err.field.required';
    return [];
  }
  if (!Array.isArray(v) || v.some((x) => !validId(x))) {
    fields[field] = 'err.field.invalid';
    return [];
  }
  const ids = [...new Set(v as number[])];
  if (required && !ids.length) fields[field] = 'err.field.required';
  else if (ids.length > DISPOSITION_LIMITS.comments) fields[field] = 'err.field.too_long';
  return ids;
}

/**
 * The consultation, when `actor` may record dispositions on it (consultation.moderate on its
 * department: 404 / 403 otherwise) and it is closed and its report not published (409).
 */
export async function consultationForDispositions(db: Db, actor: Actor, id: number): Promise<ConsultationRow> {
  if (!validId(id)) throw notFound();
  const c = await consultationFor(db, actor, id, 'consultation.moderate');
  mayChange(c);
  return c;
}

function mayChange(c: ConsultationRow): void {
  if (c.state !== 'closed') throw conflict('decisions.report.err.not_closed', undefined, { state: `decisions.report.consultation_state.${c.state}` });
  if (c.report_state === 'published') throw conflict('decisions.report.err.published');
}

/** In the transaction: the consultation again (locked by an update), still changeable; a submitted report goes back to draft. */
async function touch(p: Platform, t: Db, actor: Actor, cid: number): Promise<ConsultationRow> {
  const c = await t.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
  mayChange(c);
  const now = new Date().toISOString();
  const reportState = c.report_state === 'none' || c.report_state === 'submitted' ? 'draft' : c.report_state;
  await t.updateTable('dec_consultations').set({ report_state: reportState, updated_at: now }).where('id', '=', cid).execute();
  if (c.report_state === 'submitted') await p.audit(t, { actor: actorName(actor), action: 'adoption-report.reopen', entity: AUDIT_REPORT, entityId: cid, details: {} });
  return { ...c, report_state: reportState };
}

async function commentsOf(t: Db, cid: number, ids: number[]): Promise<CommentRow[]> {
  if (!ids.length) return [];
  return t.selectFrom('dec_comments').selectAll().where('consultation_id', '=', cid).where('id', 'in', ids).execute();
}

/** The comments must exist on this consultation and be published (a hidden or pending one gets no disposition). */
function checkComments(rows: CommentRow[], ids: number[], field: string): void {
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length) throw validationError({ [field]: 'decisions.report.err.unknown_comment' });
  const notPublished = rows.filter((r) => r.status !== 'published');
  if (notPublished.length) throw conflict('decisions.report.err.comment_not_published', { [field]: 'decisions.report.err.comment_not_published' }, { id: notPublished[0].id });
}

/** All comments of one group are on one article (or all on the whole draft): the report lists the group there. */
function checkOneArticle(rows: { article_id: number | null }[], field: string): void {
  const arts = new Set(rows.map((r) => r.article_id ?? 0));
  if (arts.size > 1) throw validationError({ [field]: 'decisions.report.err.mixed_articles' });
}

// ---- one comment --------------------------------------------------------------------------------

/** Records the disposition of one published, ungrouped comment (409 for a grouped one: its group's applies). */
export async function setCommentDisposition(p: Platform, actor: Actor, cid: number, commentId: number, input: DispositionInput): Promise<void> {
  await consultationForDispositions(p.db, actor, cid);
  if (!validId(commentId)) throw validationError({ commentId: 'err.field.invalid' });
  const { disposition, reason, fields } = checkDisposition(input);
  if (Object.keys(fields).length) throw validationError(fields);
  await p.tx(async (t) => {
    await touch(p, t, actor, cid);
    const rows = await commentsOf(t, cid, [commentId]);
    checkComments(rows, [commentId], 'commentId');
    if (rows[0].group_id !== null) throw conflict('decisions.report.err.grouped', { commentId: 'decisions.report.err.grouped' }, { group: rows[0].group_id });
    await t.updateTable('dec_comments').set({ disposition, disposition_reason: reason }).where('id', '=', commentId).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.disposition', entity: AUDIT_REPORT, entityId: cid, details: { commentId, disposition } });
  });
}

// ---- groups -------------------------------------------------------------------------------------

export interface GroupInput {
  label: string;
  commentIds: number[];
  disposition?: string;
  reason?: string;
}

/** Creates a group of published, ungrouped comments of one article (from a suggestion or by hand), optionally with its disposition. */
export async function createGroup(p: Platform, actor: Actor, cid: number, input: GroupInput): Promise<{ id: number }> {
  await consultationForDispositions(p.db, actor, cid);
  const fields: FieldErrors = {};
  const label = checkLabel(input.label, fields, true);
  const ids = checkIds(input.commentIds, 'commentIds', fields, true);
  const disp = input.disposition ? checkDisposition({ disposition: input.disposition, reason: input.reason }, fields) : { disposition: '', reason: '' };
  if (Object.keys(fields).length) throw validationError(fields);
  return p.tx(async (t) => {
    await touch(p, t, actor, cid);
    const rows = await commentsOf(t, cid, ids);
    checkComments(rows, ids, 'commentIds');
    const grouped = rows.find((r) => r.group_id !== null);
    if (grouped) throw conflict('decisions.report.err.already_grouped', { commentIds: 'decisions.report.err.already_grouped' }, { id: grouped.id });
    checkOneArticle(rows, 'commentIds');
    const g = await t
      .insertInto('dec_comment_groups')
      .values({ consultation_id: cid, label, disposition: disp.disposition, disposition_reason: disp.reason, created_by: actorName(actor), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.updateTable('dec_comments').set({ group_id: g.id, disposition: '', disposition_reason: '' }).where('id', 'in', ids).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.group', entity: AUDIT_GROUP, entityId: g.id, details: { consultationId: cid, comments: ids.length, disposition: disp.disposition } });
    return { id: g.id };
  });
}

export interface GroupChange {
  label?: string;
  add?: number[];
  remove?: number[];
  disposition?: string;
  reason?: string;
}

async function groupOf(t: Db, cid: number, gid: number) {
  if (!validId(gid)) throw notFound();
  const g = await t.selectFrom('dec_comment_groups').selectAll().where('id', '=', gid).where('consultation_id', '=', cid).executeTakeFirst();
  if (!g) throw notFound();
  return g;
}

/** Changes a group: its label, its disposition, comments added (published, ungrouped, same article) or removed (they lose any disposition). */
export async function updateGroup(p: Platform, actor: Actor, cid: number, gid: number, input: GroupChange): Promise<void> {
  await consultationForDispositions(p.db, actor, cid);
  const fields: FieldErrors = {};
  const label = input.label === undefined ? undefined : checkLabel(input.label, fields, true);
  const add = checkIds(input.add, 'add', fields, false);
  const remove = checkIds(input.remove, 'remove', fields, false);
  const disp = input.disposition !== undefined ? checkDisposition({ disposition: input.disposition, reason: input.reason }, fields) : null;
  if (Object.keys(fields).length) throw validationError(fields);
  await p.tx(async (t) => {
    const g = await groupOf(t, cid, gid);
    await touch(p, t, actor, cid);
    if (add.length) {
      const rows = await commentsOf(t, cid, add);
      checkComments(rows, add, 'add');
      const grouped = rows.find((r) => r.group_id !== null && r.group_id !== gid);
      if (grouped) throw conflict('decisions.report.err.already_grouped', { add: 'decisions.report.err.already_grouped' }, { id: grouped.id });
      const members = await t.selectFrom('dec_comments').select('article_id').where('group_id', '=', gid).execute();
      checkOneArticle([...members, ...rows], 'add');
      await t.updateTable('dec_comments').set({ group_id: gid, disposition: '', disposition_reason: '' }).where('id', 'in', add).execute();
    }
    if (remove.length) {
      const rows = await t.selectFrom('dec_comments').select(['id', 'group_id']).where('consultation_id', '=', cid).where('id', 'in', remove).execute();
      if (rows.length !== remove.length || rows.some((r) => r.group_id !== gid)) throw validationError({ remove: 'decisions.report.err.not_in_group' });
      await t.updateTable('dec_comments').set({ group_id: null, disposition: '', disposition_reason: '' }).where('id', 'in', remove).execute();
    }
    const set: { label?: string; disposition?: string; disposition_reason?: string } = {};
    if (label !== undefined) set.label = label;
    if (disp) Object.assign(set, { disposition: disp.disposition, disposition_reason: disp.reason });
    if (Object.keys(set).length) await t.updateTable('dec_comment_groups').set(set).where('id', '=', gid).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.group-change', entity: AUDIT_GROUP, entityId: g.id, details: { consultationId: cid, added: add.length, removed: remove.length, ...(disp ? { disposition: disp.disposition } : {}) } });
  });
}

/** Dissolves a group: its comments are ungrouped, without a disposition. */
export async function deleteGroup(p: Platform, actor: Actor, cid: number, gid: number): Promise<void> {
  await consultationForDispositions(p.db, actor, cid);
  await p.tx(async (t) => {
    await groupOf(t, cid, gid);
    await touch(p, t, actor, cid);
    await t.updateTable('dec_comments').set({ group_id: null, disposition: '', disposition_reason: '' }).where('group_id', '=', gid).execute();
    await t.deleteFrom('dec_comment_groups').where('id', '=', gid).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.ungroup', entity: AUDIT_GROUP, entityId: gid, details: { consultationId: cid } });
  });
}

// ---- suggestions and what is missing ------------------------------------------------------------

export interface GroupSuggestion {
  articleId: number | null;
  commentIds: number[];
  /** The first comment's text, cut, as a starting label. */
  sample: string;
}

/** Suggested groups: published, ungrouped comments of the same article whose texts are similar. */
export async function suggestGroups(db: Db, cid: number, threshold = SUGGEST_THRESHOLD): Promise<GroupSuggestion[]> {
  const rows = await db.selectFrom('dec_comments').select(['id', 'article_id', 'body']).where('consultation_id', '=', cid).where('status', '=', 'published').where('group_id', 'is', null).orderBy('id').limit(5000).execute();
  const byArticle = new Map<number, typeof rows>();
  for (const r of rows) {
    const k = r.article_id ?? 0;
    const l = byArticle.get(k);
    if (l) l.push(r);
    else byArticle.set(k, [r]);
  }
  const out: GroupSuggestion[] = [];
  for (const list of byArticle.values()) {
    for (const g of clusterSimilar(list.map((r) => r.body), threshold)) {
      const first = list[g[0]];
      out.push({ articleId: first.article_id, commentIds: g.map((i) => list[i].id), sample: first.body.replace(/\s+/g, ' ').slice(0, 60) });
    }
  }
  return out.sort((a, b) => a.commentIds[0] - b.commentIds[0]);
}

/** Non-hidden comments without a disposition (their own or their group's), and those still pending moderation. */
export async function missingDispositions(db: Db, cid: number): Promise<{ undisposed: number; pending: number }> {
  const rows = await db
    .selectFrom('dec_comments')
    .leftJoin('dec_comment_groups', 'dec_comment_groups.id', 'dec_comments.group_id')
    .select(['dec_comments.status', 'dec_comments.group_id', 'dec_comments.disposition', 'dec_comment_groups.disposition as group_disposition'])
    .where('dec_comments.consultation_id', '=', cid)
    .where('dec_comments.status', '!=', 'hidden')
    .execute();
  let undisposed = 0;
  let pending = 0;
  for (const r of rows) {
    if (r.status === 'pending') pending++;
    const d = r.group_id !== null ? r.group_disposition ?? '' : r.disposition;
    if (!d) undisposed++;
  }
  return { undisposed, pending };
}
