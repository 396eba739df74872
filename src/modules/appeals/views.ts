// Views of an appeal: what the citizen sees with the query code, and what staff see.
import type { Db } from '../../platform/db/index.js';
import type { Platform } from '../../platform/platform.js';
import type { Principal } from '../../platform/auth/policy.js';
import { clocksFor } from '../../platform/deadlines/index.js';
import { notFound } from '../../platform/errors.js';
import { canSee, fullHistory, publicHistory, isCentre, isOperator, departmentScope, getSettings } from './service.js';
import { canReopen } from './service/citizen.js';
import { maskedDraft } from './service/release.js';
import { returnOpinion } from './service/review.js';
import { holdersOf } from '../../platform/auth/identity.js';
import { can } from '../../platform/auth/policy.js';
import { maskText } from '../../platform/privacy/index.js';
import { suggestDepartments, similarAppeals } from './service/dispatch.js';
import type { Appeal } from './schema.js';
import type { FastifyRequest } from 'fastify';
import type { PageCtx } from '../../platform/render/index.js';

/** Public events whose note the citizen sees (others show only their label). */
const NOTE_SHOWN = new Set(['dispatch', 'assist', 'reply', 'merge', 'reopen', 'rate', 'extend']);

export async function citizenView(db: Db, a: Appeal) {
  const [hist, cat, dept] = await Promise.all([
    publicHistory(db, a.id),
    db.selectFrom('appeal_categories').select('name').where('code', '=', a.category).executeTakeFirst(),
    a.department_id ? db.selectFrom('departments').select('name').where('id', '=', a.department_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  let mergedInto: string | null = null;
  if (a.merged_into) mergedInto = (await db.selectFrom('appeals').select('tracking_no').where('id', '=', a.merged_into).executeTakeFirst())?.tracking_no ?? null;
  return {
    trackingNo: a.tracking_no,
    type: a.type,
    category: a.category,
    categoryName: cat?.name ?? a.category,
    title: a.title,
    content: a.content,
    address: a.address,
    status: a.status,
    department: dept?.name ?? null,
    due: a.due_date,
    createdAt: a.created_at,
    reply: a.reply,
    repliedAt: a.replied_at,
    resolved: a.resolved === null ? null : !!a.resolved,
    rating: a.rating,
    ratedAt: a.rated_at,
    canRate: (a.status === 'replied' || a.status === 'closed') && !a.rating,
    canReopen: await canReopen(db, a),
    reopenCount: a.reopen_count,
    mergedInto,
    consent: !!a.consent,
    published: a.publish_state === 'published',
    history: hist.map((h) => ({ at: h.at, action: h.action, note: NOTE_SHOWN.has(h.action) ? h.note : '' })),
  };
}

export type CitizenView = Awaited<ReturnType<typeof citizenView>>;

export async function staffView(p: Platform, user: Principal, id: number) {
  const a = await p.db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || !(await canSee(p.db, user, a))) throw notFound();
  const centre = await isCentre(p.db, user, 'appeal.handle');
  const approver = await isCentre(p.db, user, 'appeal.approve');
  const lead = a.department_id !== null && departmentScope(user, 'appeal.handle').has(a.department_id);
  const [history, clocks, assists, requests, cat, dept] = await Promise.all([
    fullHistory(p.db, id),
    clocksFor(p.db, 'appeal', id),
    p.db.selectFrom('appeal_assists').innerJoin('departments', 'departments.id', 'appeal_assists.department_id').select(['departments.code', 'departments.name']).where('appeal_id', '=', id).execute(),
    p.db.selectFrom('appeal_requests').selectAll().where('appeal_id', '=', id).orderBy('id').execute(),
    p.db.selectFrom('appeal_categories').select(['name', 'code']).where('code', '=', a.category).executeTakeFirst(),
    a.department_id ? p.db.selectFrom('departments').select(['name', 'code']).where('id', '=', a.department_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const suggestions = centre && (a.status === 'received' || a.status === 'return_requested') ? await suggestDepartments(p.db, a) : [];
  const similar = centre && a.status !== 'merged' && a.status !== 'closed' ? await similarAppeals(p.db, { title: a.title, content: a.content, lat: a.lat, lng: a.lng, category: a.category, excludeId: a.id }) : [];
  const clock = clocks.find((c) => c.state === 'running' || c.state === 'paused') ?? clocks[0] ?? null;
  const masked = a.consent && a.publish_state !== 'published' && (a.status === 'replied' || a.status === 'closed') ? maskedDraft(a) : null;
  const seeContact = centre || lead || isOperator(user);
  // Staff who neither steer nor handle the appeal (supervisors, assisting departments) read it masked.
  const names = a.contact_name ? [a.contact_name] : [];
  const shown = seeContact ? a : { ...a, ...maskedDraft(a), reply: a.reply === null ? null : maskedDraft(a).reply, reply_draft: a.reply_draft === null ? null : maskText(a.reply_draft, { names }).text, address: maskText(a.address, { names }).text };
  const draftBy = a.status === 'reply_review' ? history.filter((h) => h.action === 'reply_submit').at(-1)?.actor ?? null : null;
  const reviewReply = approver && a.status === 'reply_review' && draftBy !== `user:${user.username}`;
  const team = await whoDoesWhat(p.db, a.department_id);
  // People are shown by name, not as `user:<name>`.
  const usernames = [...new Set([...history.map((h) => h.actor), ...requests.map((r) => r.requested_by)].filter((x) => x.startsWith('user:')).map((x) => x.slice(5)))];
  const people = new Map(usernames.length ? (await p.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [`user:${u.username}`, u.display_name]) : []);
  return {
    appeal: shown,
    media: JSON.parse(a.media || '[]') as string[],
    categoryName: cat?.name ?? a.category,
    department: dept ?? null,
    assists,
    history,
    clock,
    requests,
    suggestions,
    similar,
    masked,
    returned: await returnOpinion(p.db, a),
    people,
    why: whyNot(a, { centre, approver, lead, reviewReply, ownDraft: approver && a.status === 'reply_review' && !reviewReply }, team),
    noHandler: centre && ['received', 'dispatched', 'return_requested'].includes(a.status) ? team.noHandler : [],
    can: {
      dispatch: centre && a.status === 'received',
      redispatch: centre && (a.status === 'dispatched' || a.status === 'return_requested'),
      assist: centre && ['dispatched', 'return_requested', 'replied'].includes(a.status),
      reviewReturn: centre && a.status === 'return_requested',
      merge: centre && ['received', 'dispatched', 'return_requested'].includes(a.status),
      close: centre && a.status === 'replied',
      callback: centre && (a.status === 'replied' || a.status === 'closed'),
      reviewExtension: approver && requests.some((r) => r.kind === 'extension' && r.status === 'pending'),
      release: approver && !!masked && a.publish_state !== 'declined',
      unpublish: approver && a.publish_state === 'published',
      reply: lead && a.status === 'dispatched',
      reviewReply,
      requestReturn: lead && a.status === 'dispatched',
      requestExtension: lead && a.status === 'dispatched' && !!clock && (clock.state === 'running' || clock.state === 'paused') && !requests.some((r) => r.kind === 'extension' && r.status === 'pending'),
      urge: (can(user, 'appeal.urge') || approver) && (a.status === 'dispatched' || a.status === 'return_requested'),
      seeContact,
    },
  };
}

export type StaffView = Awaited<ReturnType<typeof staffView>>;

// ---- who does what: why an action is not offered ------------------------------------------------

/** "诉求中心派单员（sqzx-editor）、…": the first few people who hold an action there. */
function names(hs: { displayName: string; username: string }[]): string {
  return hs.length ? hs.slice(0, 3).map((h) => `${h.displayName}（${h.username}）`).join('、') + (hs.length > 3 ? '…' : '') : '—';
}

/** Who dispatches and reviews in the centre, who answers in the lead department, and the departments nobody answers for. */
async function whoDoesWhat(db: Db, leadId: number | null) {
  const { centreId } = await getSettings(db);
  const [handle, approve, depts] = await Promise.all([holdersOf(db, 'appeal.handle'), holdersOf(db, 'appeal.approve'), db.selectFrom('departments').select(['id', 'code', 'name']).where('active', '=', 1).execute()]);
  const inDept = (hs: typeof handle, d: number | null) => hs.filter((h) => h.scope === 'all' || (d !== null && h.scope.has(d)));
  const covered = new Set(handle.flatMap((h) => (h.scope === 'all' ? depts.map((d) => d.id) : [...h.scope])));
  return {
    dispatchers: names(inDept(handle, centreId)),
    reviewers: names(inDept(approve, centreId)),
    handlers: names(inDept(handle, leadId)),
    leadHasHandler: leadId !== null && covered.has(leadId),
    leadName: depts.find((d) => d.id === leadId)?.name ?? '',
    noHandler: depts.filter((d) => !covered.has(d.id)).map((d) => d.code),
  };
}

/** Messages (key, params) saying why the next step of this appeal is not offered to this user. */
function whyNot(a: Appeal, me: { centre: boolean; approver: boolean; lead: boolean; reviewReply: boolean; ownDraft: boolean }, team: Awaited<ReturnType<typeof whoDoesWhat>>): { key: string; params: Record<string, string> }[] {
  const out: { key: string; params: Record<string, string> }[] = [];
  const s = a.status;
  if (s === 'received' && !me.centre) out.push({ key: 'appeals.why.dispatch', params: { who: team.dispatchers } });
  if ((s === 'dispatched' || s === 'return_requested') && !team.leadHasHandler) out.push({ key: 'appeals.why.no_handler', params: { dept: team.leadName } });
  else if (s === 'dispatched' && !me.lead) out.push({ key: 'appeals.why.reply', params: { dept: team.leadName, who: team.handlers } });
  if (s === 'reply_review' && me.ownDraft) out.push({ key: 'appeals.why.own_reply', params: { who: team.reviewers } });
  else if (s === 'reply_review' && !me.reviewReply) out.push({ key: 'appeals.why.review', params: { who: team.reviewers } });
  if (s === 'replied' && !me.centre) out.push({ key: 'appeals.why.close', params: { who: team.dispatchers } });
  return out;
}

// ---- shown on public and console pages -------------------------------------------------------

/** Field errors (message keys) in the request's language. */
export function tr(req: FastifyRequest, fields: Record<string, string>, params?: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, req.t(v, params)]));
}

export function statusLabel(c: PageCtx, s: string): string {
  return c.t(`appeals.status.${s}`);
}

/** Who did a step, in words: a staff member's name, 诉求人, 系统… (never `user:<name>`). */
export function actorLabel(c: PageCtx, actor: string, people: Map<string, string>): string {
  if (people.has(actor)) return people.get(actor)!;
  if (actor === 'citizen') return c.t('appeals.actor.citizen');
  if (actor.startsWith('open311:')) return 'Open311';
  if (actor.startsWith('user:')) return actor.slice(5);
  return c.t('appeals.actor.system');
}

export function fmtTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}
