// 公开征求意见: a consultation on a decision's draft — created as a draft (the text split into
// articles), edited while a draft, opened (a `decision-consultation` item published through the
// spine, the 'consultation.period' clock started, the decision's consultation stage set active, a
// closing job queued for the closing instant) and closed at its closing instant by that job, by
// the hourly sweep or by staff (the clock completed, the stage done). A period under 30 days needs a
// public reason given when it opens (Decree 713 Art. 15): without one, 400 naming `closesAt`.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, validationError } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock, startClock } from '../../../platform/deadlines/index.js';
import { defaultMeta, publishApproved } from '../../../platform/publication/index.js';
import { CONSULTATION_RULE_CODE, SUBJECT_CONSULTATION, type ConsultationRow } from '../schema.js';
import { consultationFor, decisionFor } from './access.js';
import { listArticles, splitDraft, writeArticles } from './articles.js';
import { commentCounts, type CommentCounts } from './comments.js';
import { CONSULTATION_ITEM, CONSULTATION_TOPIC, type ConsultationItemData } from '../items/consultation.js';

export const CONSULTATION_STATES = ['draft', 'open', 'closed'] as const;
/** The legal minimum period, in milliseconds (30 days; exactly 30 days is enough). */
export const MIN_PERIOD_MS = 30 * 24 * 3600_000;
export const LIMITS = { title: 300, explanation: 20_000, shortReason: 1000, shortReasonMin: 4 } as const;
/** The job that closes one consultation at its closing instant (queued when it opens), and the sweep. */
export const CLOSE_JOB = 'decisions.consultation.close';
export const SWEEP_JOB = 'decisions.consultation.sweep';

export const consultationUrl = (id: number) => `/decisions/consultations/${id}`;

/**
 * An instant from the API or a form: an ISO date-time with its offset, or an Asia/Shanghai wall
 * time (YYYY-MM-DDTHH:MM[:SS], as a datetime-local field sends it). Stored as UTC ISO. Null when invalid.
 */
export function parseInstant(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 40) return null;
  const s = v.trim();
  let d: Date;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(s)) d = new Date(`${s.replace(' ', 'T')}+08:00`);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) d = new Date(s);
  else return null;
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  const y = d.getUTCFullYear();
  if (y < 2000 || y > 2100) return null;
  return d.toISOString();
}

export interface ConsultationInput {
  title?: string;
  explanation?: string;
  opensAt?: string;
  closesAt?: string;
  /** The draft as text (split into articles); replaces the articles when given on an edit. */
  text?: string;
}

function checkFields(input: ConsultationInput, current: Pick<ConsultationRow, 'title' | 'explanation' | 'opens_at' | 'closes_at'> | null) {
  const f: Record<string, string> = {};
  const out: { title: string; explanation: string; opens_at: string; closes_at: string } = {
    title: current?.title ?? '',
    explanation: current?.explanation ?? '',
    opens_at: current?.opens_at ?? '',
    closes_at: current?.closes_at ?? '',
  };
  if (input.title !== undefined || !current) {
    const t = typeof input.title === 'string' ? cleanLine(input.title).trim() : '';
    if (!t) f.title = 'err.field.required';
    else if (t.length > LIMITS.title) f.title = 'err.field.too_long';
    out.title = t;
  }
  if (input.explanation !== undefined || !current) {
    const e = typeof input.explanation === 'string' ? cleanText(input.explanation).replace(/\r\n?/g, '\n').trim() : '';
    if (!e) f.explanation = 'err.field.required';
    else if (e.length > LIMITS.explanation) f.explanation = 'err.field.too_long';
    out.explanation = e;
  }
  for (const [k, col] of [['opensAt', 'opens_at'], ['closesAt', 'closes_at']] as const) {
    if (input[k] === undefined && current) continue;
    const v = parseInstant(input[k]);
    if (!v) f[k] = input[k] ? 'err.field.format' : 'err.field.required';
    else out[col] = v;
  }
  if (!f.opensAt && !f.closesAt && out.closes_at <= out.opens_at) f.closesAt = 'decisions.consultations.err.closes_before_opens';
  return { f, out };
}

/** Creates a draft consultation on a decision, its text split into articles. */
export async function createConsultation(p: Platform, actor: Actor, decisionId: number, input: ConsultationInput): Promise<ConsultationRow> {
  const { f, out } = checkFields(input, null);
  let articles: ReturnType<typeof splitDraft> = [];
  try {
    articles = splitDraft(input.text as string);
  } catch (err) {
    const fields = (err as { fields?: Record<string, string> }).fields;
    if (!fields) throw err;
    Object.assign(f, fields);
  }
  if (Object.keys(f).length) throw validationError(f);
  return p.tx(async (t) => {
    const d = await decisionFor(t, actor, decisionId, 'major-decision.edit');
    if (d.status !== 'open') throw conflict('decisions.consultations.err.decision_closed');
    const stage = await t.selectFrom('dec_stages').select('state').where('decision_id', '=', d.id).where('stage', '=', 'consultation').executeTakeFirst();
    if (stage?.state === 'skipped') throw conflict('decisions.consultations.err.stage_skipped');
    const now = new Date().toISOString();
    const row = await t
      .insertInto('dec_consultations')
      .values({ decision_id: d.id, department_id: d.department_id, ...out, state: 'draft', short_reason: '', item_id: null, clock_id: null, report_state: 'none', report_item_id: null, report_summary: '', report_by: null, created_by: actorName(actor), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeArticles(t, row.id, articles);
    await p.audit(t, { actor: actorName(actor), action: 'decisions.consultation.create', entity: 'dec_consultation', entityId: row.id, details: { decisionId: d.id, articles: articles.length } });
    return row;
  });
}

/** Edits a draft consultation (409 once open). */
export async function updateConsultation(p: Platform, actor: Actor, id: number, input: ConsultationInput): Promise<ConsultationRow> {
  const articles = input.text !== undefined ? splitDraft(input.text) : null;
  return p.tx(async (t) => {
    const c = await consultationFor(t, actor, id, 'major-decision.edit');
    if (c.state !== 'draft') throw conflict('decisions.consultations.err.not_draft');
    const { f, out } = checkFields(input, c);
    if (Object.keys(f).length) throw validationError(f);
    await t.updateTable('dec_consultations').set({ ...out, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    if (articles) await writeArticles(t, id, articles);
    await p.audit(t, { actor: actorName(actor), action: 'decisions.consultation.update', entity: 'dec_consultation', entityId: id, details: { fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) } });
    return t.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}

/** Whole days between the Shanghai dates of two instants. */
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${shanghaiDate(b)}T00:00:00Z`) - Date.parse(`${shanghaiDate(a)}T00:00:00Z`)) / 86400_000);

/**
 * Opens a draft: from its opening instant, or now when that has passed. A period (closing −
 * opening) under 30 days needs `shortReason` (public), else 400 naming `closesAt`. Publishes the
 * consultation item, starts the period clock, sets the decision's consultation stage active and
 * queues the closing job — all in one transaction.
 */
export async function openConsultation(p: Platform, actor: Actor, id: number, input: { shortReason?: string } = {}, now = new Date()): Promise<ConsultationRow> {
  const reason = typeof input.shortReason === 'string' ? cleanText(input.shortReason).replace(/\r\n?/g, '\n').trim() : '';
  if (reason.length > LIMITS.shortReason) throw validationError({ shortReason: 'err.field.too_long' });
  return p.tx(async (t) => {
    const c = await consultationFor(t, actor, id, 'major-decision.edit');
    if (c.state !== 'draft') throw conflict('decisions.consultations.err.not_draft');
    const d = await t.selectFrom('dec_decisions').selectAll().where('id', '=', c.decision_id).executeTakeFirstOrThrow();
    if (d.status !== 'open') throw conflict('decisions.consultations.err.decision_closed');
    const articles = await listArticles(t, id);
    if (!articles.length) throw validationError({ text: 'decisions.consultations.err.no_articles' });
    const nowS = now.toISOString();
    const opensAt = c.opens_at > nowS ? c.opens_at : nowS;
    if (c.closes_at <= opensAt) throw validationError({ closesAt: 'decisions.consultations.err.closes_in_past' });
    const period = Date.parse(c.closes_at) - Date.parse(opensAt);
    const short = period < MIN_PERIOD_MS;
    if (short && reason.length < LIMITS.shortReasonMin) throw validationError({ closesAt: 'decisions.consultations.err.period_short', ...(reason ? { shortReason: 'decisions.consultations.err.reason_short' } : {}) });
    const shortReason = short ? reason : '';
    const data: ConsultationItemData = {
      consultationId: id,
      decisionId: d.id,
      decisionTitle: d.title,
      explanation: c.explanation,
      opensAt,
      closesAt: c.closes_at,
      shortReason,
      articles: articles.map((a) => ({ label: a.label, text: a.text })),
    };
    const item = await publishApproved(p, t, actor, {
      type: CONSULTATION_ITEM,
      departmentId: c.department_id,
      meta: defaultMeta({ title: c.title, topic: CONSULTATION_TOPIC, genre: '公告', writtenAt: shanghaiDate(nowS), summary: `${d.title}：公开征求意见，${shanghaiDateTime(opensAt)}至${shanghaiDateTime(c.closes_at)}。`.slice(0, 2000) }),
      data,
      publishedAt: now,
    });
    const startDay = shanghaiDate(opensAt);
    const days = daysBetween(opensAt, c.closes_at);
    const clock = await startClock(
      p,
      t,
      {
        subjectType: SUBJECT_CONSULTATION,
        subjectId: id,
        rule: CONSULTATION_RULE_CODE,
        start: startDay,
        // A shorter period (with its public reason) is counted as it is.
        ...(short ? { amount: Math.max(days, 0), unit: 'days' as const } : {}),
        departmentId: c.department_id,
        title: c.title,
        url: consultationUrl(id),
        publicSubject: true,
      },
      actorName(actor),
    );
    await t.updateTable('dec_consultations').set({ state: 'open', opens_at: opensAt, short_reason: shortReason, item_id: item.id, clock_id: clock.id, updated_at: nowS }).where('id', '=', id).execute();
    const stage = await t.selectFrom('dec_stages').select(['id', 'state', 'started_on']).where('decision_id', '=', d.id).where('stage', '=', 'consultation').executeTakeFirst();
    if (stage && stage.state !== 'skipped') await t.updateTable('dec_stages').set({ state: 'active', started_on: stage.started_on ?? startDay, finished_on: null, updated_at: nowS }).where('id', '=', stage.id).execute();
    await t.updateTable('dec_decisions').set({ stage: 'consultation', updated_at: nowS }).where('id', '=', d.id).execute();
    await p.jobs.enqueue(t, CLOSE_JOB, { id }, { key: `${CLOSE_JOB}:${id}`, runAt: new Date(c.closes_at), maxAttempts: 5 });
    await p.audit(t, { actor: actorName(actor), action: 'decisions.consultation.open', entity: 'dec_consultation', entityId: id, details: { itemId: item.id, opensAt, closesAt: c.closes_at, ...(shortReason ? { shortReason } : {}) } });
    return t.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}

async function closeIn(p: Platform, t: Db, actor: Actor, c: ConsultationRow, nowS: string): Promise<void> {
  const closedOn = shanghaiDate(c.closes_at);
  const on = closedOn <= todayShanghai() ? closedOn : undefined;
  await t.updateTable('dec_consultations').set({ state: 'closed', updated_at: nowS }).where('id', '=', c.id).where('state', '=', 'open').execute();
  await completeClock(p, t, SUBJECT_CONSULTATION, c.id, CONSULTATION_RULE_CODE, actorName(actor), on);
  // The stage is done when no other consultation of the decision is still open.
  const other = await t.selectFrom('dec_consultations').select('id').where('decision_id', '=', c.decision_id).where('state', '=', 'open').where('id', '<>', c.id).executeTakeFirst();
  if (!other) await t.updateTable('dec_stages').set({ state: 'done', finished_on: closedOn, updated_at: nowS }).where('decision_id', '=', c.decision_id).where('stage', '=', 'consultation').where('state', '=', 'active').execute();
  await p.audit(t, { actor: actorName(actor), action: 'decisions.consultation.close', entity: 'dec_consultation', entityId: c.id, details: { closesAt: c.closes_at } });
}

/** Closes an open consultation whose closing instant has come (409 before it, with the closing time). */
export async function closeConsultation(p: Platform, actor: Actor, id: number, now = new Date()): Promise<ConsultationRow> {
  return p.tx(async (t) => {
    const c = await consultationFor(t, actor, id, 'major-decision.edit');
    if (c.state !== 'open') throw conflict('decisions.consultations.err.not_open');
    const nowS = now.toISOString();
    if (nowS < c.closes_at) throw conflict('decisions.consultations.err.not_yet', { closesAt: 'decisions.consultations.err.not_yet' }, { closesAt: shanghaiDateTime(c.closes_at) });
    await closeIn(p, t, actor, c, nowS);
    return t.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}

/** Closes every open consultation whose closing instant is at or before `now` (the job and the sweep). Returns their ids. */
export async function closeDue(p: Platform, now = new Date(), only?: number): Promise<number[]> {
  const nowS = now.toISOString();
  let q = p.db.selectFrom('dec_consultations').select('id').where('state', '=', 'open').where('closes_at', '<=', nowS);
  if (only !== undefined) q = q.where('id', '=', only);
  const ids = (await q.orderBy('id').execute()).map((r) => r.id);
  const closed: number[] = [];
  for (const id of ids) {
    const done = await p.tx(async (t) => {
      const c = await t.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!c || c.state !== 'open' || c.closes_at > nowS) return false;
      await closeIn(p, t, 'system', c, nowS);
      return true;
    });
    if (done) closed.push(id);
  }
  return closed;
}

/** The module's jobs: close one consultation (queued at its closing instant) and the sweep of all due. */
export function consultationJobs(p: Platform) {
  return {
    [CLOSE_JOB]: async (payload: { id?: number }) => {
      const id = Number(payload?.id);
      if (Number.isInteger(id) && id > 0) await closeDue(p, new Date(), id);
    },
    [SWEEP_JOB]: async () => {
      await closeDue(p);
      // Verification codes (and the phone or address they went to) are kept a day, for the one-a-minute check and support; then deleted.
      await p.db.deleteFrom('dec_comment_codes').where('created_at', '<', new Date(Date.now() - 86_400_000).toISOString()).execute();
    },
  };
}

/** Background: a sweep every quarter of an hour (keyed per slot), for any closing job lost or late. */
export function consultationBackground(p: Platform): () => void {
  const tick = async () => {
    const slot = Math.floor(Date.now() / (15 * 60_000));
    await p.tx((t) => p.jobs.enqueue(t, SWEEP_JOB, {}, { key: `${SWEEP_JOB}:${slot}`, maxAttempts: 3 }));
  };
  const run = () => void tick().catch((err) => p.log.warn({ err }, 'consultation sweep tick failed'));
  run();
  const timer = setInterval(run, 15 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Where a consultation stands for the public at `now`: 'upcoming' (opened, its opening instant
 * still ahead), 'open' (comments accepted), 'closed' (the closing instant reached, even before
 * the job has run), or 'draft' (not public).
 */
export function publicState(c: Pick<ConsultationRow, 'state' | 'opens_at' | 'closes_at'>, now = new Date()): 'draft' | 'upcoming' | 'open' | 'closed' {
  if (c.state === 'draft') return 'draft';
  const n = now.toISOString();
  if (c.state !== 'open' || c.closes_at <= n) return 'closed';
  return c.opens_at > n ? 'upcoming' : 'open';
}

/** Whether a consultation takes comments at `now` (for the comments part). */
export const acceptsComments = (c: Pick<ConsultationRow, 'state' | 'opens_at' | 'closes_at'>, now = new Date()) => publicState(c, now) === 'open';

// ---- reading -----------------------------------------------------------------------------------

/** Comment counts of a consultation: received (all), published, pending, hidden by reason, and published per article ('general': on the whole draft) — the comments part's counts. */
export type ConsultationCounts = Omit<CommentCounts, 'publishedOn' | 'hiddenBy'> & { hiddenBy: Record<string, number>; perArticle: Record<string, number> };

export async function consultationCounts(db: Db, id: number): Promise<ConsultationCounts> {
  const { publishedOn, ...rest } = await commentCounts(db, id);
  return { ...rest, perArticle: publishedOn };
}

/** Open consultations first (closing soonest first), then closed ones (latest closed first); drafts never. */
export async function publicConsultations(db: Db, opts: { page?: number; pageSize?: number } = {}) {
  const pageSize = Math.min(Math.max(opts.pageSize ?? 20, 1), 100);
  const page = Math.max(opts.page ?? 1, 1);
  const total = Number((await db.selectFrom('dec_consultations').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'in', ['open', 'closed']).executeTakeFirst())?.n ?? 0);
  const open = await db
    .selectFrom('dec_consultations')
    .innerJoin('departments', 'departments.id', 'dec_consultations.department_id')
    .selectAll('dec_consultations')
    .select('departments.name as department')
    .where('dec_consultations.state', '=', 'open')
    .orderBy('dec_consultations.closes_at')
    .orderBy('dec_consultations.id')
    .execute();
  const from = (page - 1) * pageSize;
  const items = open.slice(from, from + pageSize);
  if (items.length < pageSize) {
    const skip = Math.max(from - open.length, 0);
    const closed = await db
      .selectFrom('dec_consultations')
      .innerJoin('departments', 'departments.id', 'dec_consultations.department_id')
      .selectAll('dec_consultations')
      .select('departments.name as department')
      .where('dec_consultations.state', '=', 'closed')
      .orderBy('dec_consultations.closes_at', 'desc')
      .orderBy('dec_consultations.id', 'desc')
      .limit(pageSize - items.length)
      .offset(skip)
      .execute();
    items.push(...closed);
  }
  return { total, page, pageSize, items };
}

/** A consultation the public may see (open or closed), or null. */
export async function publicConsultation(db: Db, id: number) {
  const c = await db
    .selectFrom('dec_consultations')
    .innerJoin('departments', 'departments.id', 'dec_consultations.department_id')
    .innerJoin('dec_decisions', 'dec_decisions.id', 'dec_consultations.decision_id')
    .selectAll('dec_consultations')
    .select(['departments.name as department', 'dec_decisions.title as decisionTitle'])
    .where('dec_consultations.id', '=', id)
    .where('dec_consultations.state', 'in', ['open', 'closed'])
    .executeTakeFirst();
  return c ?? null;
}
