// The adoption report (意见采纳情况) of a consultation: a general text (总体说明) and, article by
// article, the published comments and groups of similar comments with their dispositions; hidden
// comments count by reason only. An editor (consultation.moderate) submits it; a holder of
// major-decision.approve on the department who did not submit it publishes it through the spine
// (item type decision-adoption-report). Both are refused (409 with the count) while any non-hidden
// comment lacks a disposition, directly or through its group, or is still pending moderation.
// Publication tells every commenter who left an e-mail address or a mobile number that the report
// is out (messaging: SMS / mail, in the same transaction) and records when (notified_at).
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, notFound, validationError } from '../../../platform/errors.js';
import { cleanText } from '../../../platform/text.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { maskName, maskText } from '../../../platform/privacy/index.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { bumpGeneration, defaultMeta, getItemRow, getVersion, publishApproved } from '../../../platform/publication/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { consultationFor, mayDo } from './access.js';
import { AUDIT_REPORT, consultationForDispositions, missingDispositions } from './dispositions.js';
import type { ConsultationRow } from '../schema.js';
import { ADOPTION_REPORT, type ReportComment, type ReportCounts, type ReportData, type ReportGroup, type ReportSection } from '../items/report.js';

export const REPORT_LIMITS = { summary: 20000 } as const;
/** Hide reasons of comments (the comments part's codes), counted in the report. */
export { HIDE_REASONS } from './comments.js';

const author = (actor: Actor) => (typeof actor === 'string' ? actor : String(actor.id));
const MAX_ID = 2147483647;

// ---- the report's content ---------------------------------------------------------------------------

/** A comment as the public reads it: name masked ('' anonymous), personal data in the text masked, no contact. */
export function publicComment(r: { id: number; name: string; body: string; created_at: string }, disposition?: { disposition: string; reason: string }): ReportComment {
  const name = r.name.trim();
  return {
    id: r.id,
    name: name ? maskName(name) : '',
    body: maskText(r.body, { names: name ? [name] : [] }).text,
    date: shanghaiDate(r.created_at),
    ...(disposition ? { disposition: disposition.disposition, reason: disposition.reason } : {}),
  };
}

/** The report as it stands (published comments and groups by article, counts); what the spine item publishes. */
export async function buildReport(db: Db, c: ConsultationRow): Promise<ReportData> {
  const [articles, comments, groups, dept] = await Promise.all([
    db.selectFrom('dec_articles').select(['id', 'seq', 'label']).where('consultation_id', '=', c.id).orderBy('seq').execute(),
    db.selectFrom('dec_comments').select(['id', 'article_id', 'name', 'body', 'status', 'hide_reason', 'group_id', 'disposition', 'disposition_reason', 'created_at']).where('consultation_id', '=', c.id).orderBy('id').execute(),
    db.selectFrom('dec_comment_groups').selectAll().where('consultation_id', '=', c.id).orderBy('id').execute(),
    db.selectFrom('departments').select('name').where('id', '=', c.department_id).executeTakeFirst(),
  ]);
  const counts: ReportCounts = { received: comments.length, published: 0, pending: 0, hidden: {}, adopted: 0, partly: 0, rejected: 0, undisposed: 0, groups: 0 };
  const sections = new Map<number, ReportSection>();
  const sectionOf = (articleId: number | null): ReportSection => {
    const k = articleId ?? 0;
    let s = sections.get(k);
    if (!s) {
      const a = articles.find((x) => x.id === articleId);
      s = { articleId: a ? a.id : null, label: a ? a.label : '', seq: a ? a.seq : 0, groups: [], comments: [] };
      sections.set(k, s);
    }
    return s;
  };
  const groupMap = new Map<number, ReportGroup & { articleId: number | null }>();
  for (const g of groups) groupMap.set(g.id, { id: g.id, label: g.label, disposition: g.disposition, reason: g.disposition_reason, comments: [], articleId: null });
  const tally = (d: string) => {
    if (d === 'adopted' || d === 'partly' || d === 'rejected') counts[d]++;
    else counts.undisposed++;
  };
  for (const r of comments) {
    if (r.status === 'hidden') {
      const why = r.hide_reason || 'other';
      counts.hidden[why] = (counts.hidden[why] ?? 0) + 1;
      continue;
    }
    if (r.status === 'pending') {
      counts.pending++;
      counts.undisposed++;
      continue;
    }
    counts.published++;
    const g = r.group_id !== null ? groupMap.get(r.group_id) : undefined;
    if (g) {
      g.comments.push(publicComment(r));
      g.articleId = r.article_id;
      tally(g.disposition);
    } else {
      sectionOf(r.article_id).comments.push(publicComment(r, { disposition: r.disposition, reason: r.disposition_reason }));
      tally(r.disposition);
    }
  }
  for (const g of groupMap.values()) {
    if (!g.comments.length) continue;
    counts.groups++;
    const { articleId, ...rest } = g;
    sectionOf(articleId).groups.push(rest);
  }
  // The whole draft's comments first, then the articles in order.
  const ordered = [...sections.values()].sort((a, b) => (a.articleId === null ? -1 : b.articleId === null ? 1 : a.seq - b.seq));
  return {
    consultationId: c.id,
    decisionId: c.decision_id,
    title: c.title,
    department: dept?.name ?? '',
    summary: c.report_summary,
    opensAt: c.opens_at,
    closesAt: c.closes_at,
    counts,
    sections: ordered,
  };
}

// ---- the steps ----------------------------------------------------------------------------------------

function checkSummary(v: unknown, required: boolean): string {
  const s = cleanText(typeof v === 'string' ? v : '').replace(/\r\n?/g, '\n').trim();
  if (!s && required) throw validationError({ summary: 'err.field.required' });
  if (s.length > REPORT_LIMITS.summary) throw validationError({ summary: 'err.field.too_long' });
  return s;
}

/** 409 with the counts while comments are pending or lack a disposition. */
async function gate(db: Db, cid: number): Promise<void> {
  const m = await missingDispositions(db, cid);
  if (m.pending) throw conflict('decisions.report.err.pending', undefined, { n: m.pending });
  if (m.undisposed) throw conflict('decisions.report.err.undisposed', undefined, { n: m.undisposed });
}

/** Saves the general text (总体说明) of a report not yet published; a submitted report goes back to draft. */
export async function saveSummary(p: Platform, actor: Actor, cid: number, summary: string): Promise<void> {
  await consultationForDispositions(p.db, actor, cid);
  const text = checkSummary(summary, false);
  await p.tx(async (t) => {
    const c = await t.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
    if (c.report_state === 'published') throw conflict('decisions.report.err.published');
    await t.updateTable('dec_consultations').set({ report_summary: text, report_state: 'draft', updated_at: new Date().toISOString() }).where('id', '=', cid).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.summary', entity: AUDIT_REPORT, entityId: cid, details: { length: text.length, ...(c.report_state === 'submitted' ? { reopened: 1 } : {}) } });
  });
}

/** Submits the report for publication (an editor: consultation.moderate); `summary` replaces the general text when given. */
export async function submitReport(p: Platform, actor: Actor, cid: number, opts: { summary?: string } = {}): Promise<void> {
  await consultationForDispositions(p.db, actor, cid);
  const given = opts.summary === undefined ? undefined : checkSummary(opts.summary, true);
  await p.tx(async (t) => {
    const c = await t.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
    if (c.report_state === 'published') throw conflict('decisions.report.err.published');
    if (c.report_state === 'submitted') throw conflict('decisions.report.err.already_submitted');
    const summary = given ?? checkSummary(c.report_summary, true);
    await gate(t, cid);
    await t.updateTable('dec_consultations').set({ report_summary: summary, report_state: 'submitted', report_by: author(actor), updated_at: new Date().toISOString() }).where('id', '=', cid).execute();
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.submit', entity: AUDIT_REPORT, entityId: cid, details: {} });
  });
}

/** 《示范新区…办法（征求意见稿）》公开征求意见采纳情况 for a consultation titled 关于公开征求《…》意见的公告. */
export function reportTitle(consultationTitle: string): string {
  const named = /《([^》]+)》/.exec(consultationTitle);
  return named ? `《${named[1]}》公开征求意见采纳情况` : `《${consultationTitle}》意见采纳情况`;
}

/** The report's spine item (a catalog item: 索引号; Art. 20 (十五): what other rules say to publish). */
function reportItem(c: ConsultationRow, data: ReportData) {
  const title = reportTitle(c.title).slice(0, 300);
  const n = data.counts;
  return {
    type: ADOPTION_REPORT,
    departmentId: c.department_id,
    meta: defaultMeta({
      title,
      genre: '报告',
      category: 'a20-15',
      keywords: ['意见采纳情况', '公开征求意见', '重大行政决策'],
      summary: translate('zh-CN', 'decisions.report.item_summary', { received: n.received, adopted: n.adopted, partly: n.partly, rejected: n.rejected }).slice(0, 2000),
    }),
    data,
  };
}

export interface PublishResult {
  itemId: number;
  indexNo: string | null;
  notified: number;
}

/**
 * Publishes a submitted report: a holder of major-decision.approve on the consultation's department
 * (404 / 403 otherwise) who did not submit it (409). Checks again that nothing is pending or
 * undisposed; publishes the item, sets report_state / report_item_id, and tells the commenters.
 */
export async function publishReport(p: Platform, actor: Actor, cid: number): Promise<PublishResult> {
  if (!Number.isInteger(cid) || cid < 1 || cid > MAX_ID) throw notFound();
  const cur = await consultationFor(p.db, actor, cid, 'major-decision.approve');
  if (typeof actor !== 'string' && cur.report_by === author(actor)) throw conflict('decisions.report.err.own');
  const out = await p.tx(async (t) => {
    const c = await t.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
    if (c.report_state === 'published') throw conflict('decisions.report.err.published');
    if (c.report_state !== 'submitted') throw conflict('decisions.report.err.not_submitted');
    if (typeof actor !== 'string' && c.report_by === author(actor)) throw conflict('decisions.report.err.own');
    await gate(t, cid);
    const data = await buildReport(t, c);
    const item = await publishApproved(p, t, actor, reportItem(c, data));
    const now = new Date().toISOString();
    // Conditional: a second approver at the same moment finds it published (409; its item rolled back).
    const won = await t.updateTable('dec_consultations').set({ report_state: 'published', report_item_id: item.id, updated_at: now }).where('id', '=', cid).where('report_state', '=', 'submitted').executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw conflict('decisions.report.err.published');
    const notified = await notifyCommenters(p, t, c, now);
    await p.audit(t, { actor: actorName(actor), action: 'adoption-report.publish', entity: AUDIT_REPORT, entityId: cid, details: { itemId: item.id, indexNo: item.indexNo ?? '', notified } });
    return { itemId: item.id, indexNo: item.indexNo, notified };
  });
  bumpGeneration();
  return out;
}

/** The public address of a consultation's report. */
export const reportPath = (cid: number) => `/decisions/consultations/${cid}/report`;

/** One SMS per mobile number and one mail per address (a commenter with several comments hears once); notified_at set on each comment told. */
async function notifyCommenters(p: Platform, t: Db, c: ConsultationRow, now: string): Promise<number> {
  const rows = await t
    .selectFrom('dec_comments')
    .select(['id', 'email', 'phone'])
    .where('consultation_id', '=', c.id)
    .where('notified_at', 'is', null)
    .where((eb) => eb.or([eb('email', '!=', ''), eb('phone', '!=', '')]))
    .orderBy('id')
    .execute();
  if (!rows.length) return 0;
  const url = `${p.config.publicUrl.replace(/\/$/, '')}${reportPath(c.id)}`;
  const zh = (k: string) => translate('zh-CN', k, { title: c.title, url });
  const text = zh('decisions.report.notice.text');
  const phones = new Set<string>();
  const emails = new Set<string>();
  for (const r of rows) {
    const phone = r.phone.trim();
    const email = r.email.trim().toLowerCase();
    if (phone && !phones.has(phone)) {
      phones.add(phone);
      await sendMessage(p, t, { channel: 'sms', to: phone, text: `${zh('decisions.report.notice.sign')}${text}` }, `decision-report:${c.id}:sms:${phone}`);
    }
    if (email && !emails.has(email)) {
      emails.add(email);
      await sendMessage(p, t, { channel: 'email', to: r.email.trim(), subject: zh('decisions.report.notice.subject'), text }, `decision-report:${c.id}:email:${email}`);
    }
  }
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) await t.updateTable('dec_comments').set({ notified_at: now }).where('id', 'in', ids.slice(i, i + 500)).execute();
  return phones.size + emails.size;
}

// ---- reading ------------------------------------------------------------------------------------------

/** The published report (from its spine item's published version), or 404. */
export async function publishedReport(db: Db, cid: number): Promise<{ data: ReportData; itemId: number; indexNo: string | null; publishedAt: string }> {
  if (!Number.isInteger(cid) || cid < 1 || cid > MAX_ID) throw notFound();
  const c = await db.selectFrom('dec_consultations').select(['report_state', 'report_item_id']).where('id', '=', cid).executeTakeFirst();
  if (!c || c.report_state !== 'published' || !c.report_item_id) throw notFound();
  const item = await getItemRow(db, c.report_item_id);
  if (!item || !item.public || !item.published_version) throw notFound();
  const v = (await getVersion(db, item.id, item.published_version))!;
  return { data: v.data as ReportData, itemId: item.id, indexNo: item.index_no, publishedAt: v.publishedAt ?? '' };
}

/** What staff may do with a consultation's report (for the console and the API's staff view). */
export function reportRights(actor: Actor, c: ConsultationRow) {
  const moderate = mayDo(actor, 'consultation.moderate', c.department_id);
  const approve = mayDo(actor, 'major-decision.approve', c.department_id);
  const open = c.state === 'closed' && c.report_state !== 'published';
  return {
    edit: moderate && open,
    submit: moderate && open && c.report_state !== 'submitted',
    publish: approve && c.report_state === 'submitted' && (typeof actor === 'string' || c.report_by !== author(actor)),
  };
}

/** The consultation for staff reading its report (major-decision.read on its department). */
export async function consultationForReport(db: Db, actor: Actor, cid: number): Promise<ConsultationRow> {
  if (!Number.isInteger(cid) || cid < 1 || cid > MAX_ID) throw notFound();
  return consultationFor(db, actor, cid, 'major-decision.read');
}

