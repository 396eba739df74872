// 听证 (Decree 713 Art. 20–22): a hearing on a decision is announced through the spine (item
// `decision-hearing`) at least `decisions.hearing_notice_days` days ahead; the public registers to
// take part until registration closes; the participants are drawn among the applicants by the
// verifiable hearing draw (service/hearing-draw.ts: prepare with the witnesses' commitments, then
// draw with their secrets); materials are published at least 7 days before; afterwards the record
// (听证笔录) is uploaded and each participant's signature marked. Public attendance (列席) is
// service/attendance.ts. Access: service/access.ts (the hearing's department).
import { createHash } from 'node:crypto';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import type { Actor } from '../../../platform/auth/actor.js';
import { actorName } from '../../../platform/auth/actor.js';
import { badRequest, conflict, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanLine, cleanText, CONTROL_ANY } from '../../../platform/text.js';
import { getSetting } from '../../../platform/settings/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { maskName } from '../../../platform/privacy/index.js';
import { safeFileName, storeFile } from '../../../platform/files/index.js';
import { bumpGeneration, defaultMeta, publishApproved, reviseApproved, type ApprovedItem } from '../../../platform/publication/index.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { commitment } from '../../../platform/draw.js';
import { clientKey } from '../../../platform/http/limit.js';
import type { ApplicantRow, HearingRow } from '../schema.js';
import { decisionFor, hearingFor } from './access.js';
import { computeHearingDraw, HearingDrawError, HEARING_DRAW_FORMAT, VIEWPOINTS, type HearingDrawRecord, type Viewpoint } from './hearing-draw.js';
import { DECISION_HEARING, type HearingNoticeData } from '../items/hearing.js';

export const NOTICE_DAYS_SETTING = 'decisions.hearing_notice_days';
export const DEFAULT_NOTICE_DAYS = 10;
export const MAX_NOTICE_DAYS = 90;
/** Materials are published at least this many days (×24 h) before the hearing. */
export const MATERIALS_DAYS = 7;
export const LIMITS = { cancelReason: 1000, title: 200, place: 200, method: 2000, participants: 200, capacity: 10_000, name: 50, reason: 2000, email: 120, files: 20, witnessName: 50, secret: 200, beacon: 200 } as const;
/** Public registrations (take part, attend, cancel) per client address per minute, per route. */
export const HEARING_RATE_LIMIT = 10;
export const MIN_WITNESSES = 2;
export const MAX_WITNESSES = 9;
const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HEX64 = /^[0-9a-f]{64}$/;
const DAY = 86_400_000;

/** The notice period in days: the setting `decisions.hearing_notice_days` (1–90), else 10. */
export async function noticeDays(db: Db): Promise<number> {
  const v = Number(await getSetting(db, NOTICE_DAYS_SETTING));
  return Number.isInteger(v) && v >= 1 && v <= MAX_NOTICE_DAYS ? v : DEFAULT_NOTICE_DAYS;
}

/** The Shanghai date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The applicant's registration number (the ref the draw record names). */
export const applicantRef = (id: number): string => String(id).padStart(6, '0');

export interface FileRef {
  /** The file's SM3 hash. */
  fileId: string;
  name: string;
  size: number;
  mime: string;
}

const parse = <T>(s: string | null | undefined, fallback: T): T => {
  try {
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
};
export const materialsOf = (h: Pick<HearingRow, 'materials'>): FileRef[] => parse<FileRef[]>(h.materials, []).filter((x) => x && typeof x.fileId === 'string');
export const recordFileOf = (h: Pick<HearingRow, 'record_file'>): FileRef | null => parse<FileRef | null>(h.record_file, null);
export const drawOf = (h: Pick<HearingRow, 'draw'>): HearingDrawRecord | null => parse<HearingDrawRecord | null>(h.draw, null);

/** The ISO instant of a value given as an ISO instant with offset; null when it is none. */
function instant(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 40 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

// ---- announcing ------------------------------------------------------------------------------

export interface HearingInput {
  title: string;
  startsAt: string;
  place: string;
  selectionMethod: string;
  participants: number;
  stratified: boolean;
  registrationClosesAt: string;
  attendanceCapacity: number;
}

type CheckedHearing = Omit<HearingInput, 'startsAt' | 'registrationClosesAt'> & { startsAt: string; registrationClosesAt: string };

function checkHearing(raw: Partial<Record<keyof HearingInput, unknown>>): CheckedHearing {
  const f: FieldErrors = {};
  const title = cleanLine(str(raw.title)).trim();
  const place = cleanLine(str(raw.place)).trim();
  const selectionMethod = cleanText(str(raw.selectionMethod)).trim();
  if (!title) f.title = 'err.field.required';
  else if (title.length > LIMITS.title) f.title = 'err.field.too_long';
  if (!place) f.place = 'err.field.required';
  else if (place.length > LIMITS.place) f.place = 'err.field.too_long';
  if (!selectionMethod) f.selectionMethod = 'err.field.required';
  else if (selectionMethod.length > LIMITS.method) f.selectionMethod = 'err.field.too_long';
  const startsAt = instant(raw.startsAt);
  const closes = instant(raw.registrationClosesAt);
  if (!startsAt) f.startsAt = 'err.field.format';
  if (!closes) f.registrationClosesAt = 'err.field.format';
  else if (startsAt && closes >= startsAt) f.registrationClosesAt = 'decisions.hearings.err.closes_after_start';
  else if (Date.parse(closes) <= Date.now()) f.registrationClosesAt = 'decisions.hearings.err.closes_past';
  const participants = raw.participants;
  if (!Number.isInteger(participants) || (participants as number) < 1 || (participants as number) > LIMITS.participants) f.participants = 'decisions.hearings.err.participants';
  const capacity = raw.attendanceCapacity ?? 0;
  if (!Number.isInteger(capacity) || (capacity as number) < 0 || (capacity as number) > LIMITS.capacity) f.attendanceCapacity = 'decisions.hearings.err.capacity';
  if (raw.stratified !== undefined && typeof raw.stratified !== 'boolean') f.stratified = 'err.field.invalid';
  if (Object.keys(f).length) throw validationError(f);
  return { title, place, selectionMethod, startsAt: startsAt!, registrationClosesAt: closes!, participants: participants as number, stratified: raw.stratified === true, attendanceCapacity: capacity as number };
}

/** Refuses a hearing starting within the notice period (by Shanghai dates): `status` 400 at creation, 409 when a draft is announced late. */
async function checkNotice(db: Db, startsAt: string, status: 400 | 409): Promise<void> {
  const days = await noticeDays(db);
  const earliest = addDays(todayShanghai(), days);
  if (shanghaiDate(startsAt) < earliest) {
    const fields = { startsAt: 'decisions.hearings.err.notice_short' };
    throw status === 400 ? badRequest('decisions.hearings.err.notice_short', fields, { days, earliest }) : conflict('decisions.hearings.err.notice_short', fields, { days, earliest });
  }
}

async function noticeData(db: Db, h: HearingRow): Promise<HearingNoticeData> {
  const d = await db.selectFrom('dec_decisions').select(['id', 'title']).where('id', '=', h.decision_id).executeTakeFirstOrThrow();
  const dept = await db.selectFrom('departments').select('name').where('id', '=', h.department_id).executeTakeFirst();
  return {
    hearingId: h.id,
    decisionId: d.id,
    decision: d.title,
    department: dept?.name ?? '',
    startsAt: h.starts_at,
    place: h.place,
    selectionMethod: h.selection_method,
    participants: h.participants,
    stratified: h.stratified === 1,
    registrationClosesAt: h.registration_closes_at,
    attendanceCapacity: h.attendance_capacity,
  };
}

/** The hearing notice (听证公告) as a spine item of type decision-hearing. */
export async function hearingNoticeItem(db: Db, h: HearingRow): Promise<ApprovedItem> {
  const data = await noticeData(db, h);
  const summary = `${data.decision}：${shanghaiDateTime(h.starts_at)}，${h.place}`;
  return {
    type: DECISION_HEARING,
    departmentId: h.department_id,
    meta: defaultMeta({ title: h.title, genre: '公告', topic: '0203', category: 'a20-15', keywords: ['听证', '重大行政决策'], summary: summary.slice(0, 2000) }),
    data,
  };
}

async function announceIn(p: Platform, t: Db, actor: Actor, h: HearingRow): Promise<HearingRow> {
  const item = await publishApproved(p, t, actor, await hearingNoticeItem(t, h));
  const now = new Date().toISOString();
  await t.updateTable('dec_hearings').set({ state: 'announced', item_id: item.id, announced_at: now, updated_at: now }).where('id', '=', h.id).execute();
  await p.audit(t, { actor: actorName(actor), action: 'hearing.announce', entity: 'dec_hearing', entityId: h.id, details: { itemId: item.id } });
  return { ...h, state: 'announced', item_id: item.id, announced_at: now, updated_at: now };
}

/** Creates a hearing on a decision; announces it (publishes the notice) unless `announce` is false (a draft). */
export async function createHearing(p: Platform, actor: Actor, decisionId: number, raw: Partial<Record<keyof HearingInput, unknown>> & { announce?: unknown }): Promise<HearingRow> {
  const d = await decisionFor(p.db, actor, decisionId, 'major-decision.edit');
  if (d.status !== 'open') throw conflict('decisions.hearings.err.decision_closed');
  const x = checkHearing(raw);
  const announce = raw.announce !== false;
  if (announce) await checkNotice(p.db, x.startsAt, 400);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const row = await t
      .insertInto('dec_hearings')
      .values({
        decision_id: d.id,
        department_id: d.department_id,
        title: x.title,
        starts_at: x.startsAt,
        place: x.place,
        selection_method: x.selectionMethod,
        participants: x.participants,
        stratified: x.stratified ? 1 : 0,
        registration_closes_at: x.registrationClosesAt,
        attendance_capacity: x.attendanceCapacity,
        state: 'draft',
        draw: '',
        materials: '[]',
        created_by: actorName(actor),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'hearing.create', entity: 'dec_hearing', entityId: row.id, details: { decisionId: d.id } });
    return announce ? announceIn(p, t, actor, row) : row;
  });
}

/** Announces a draft hearing (the notice period counted from today). */
export async function announceHearing(p: Platform, actor: Actor, hid: number): Promise<HearingRow> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  if (h.state !== 'draft') throw conflict('decisions.hearings.err.state', undefined, { state: `decisions.hearings.state.${h.state}` });
  const d = await p.db.selectFrom('dec_decisions').select('status').where('id', '=', h.decision_id).executeTakeFirstOrThrow();
  if (d.status !== 'open') throw conflict('decisions.hearings.err.decision_closed');
  await checkNotice(p.db, h.starts_at, 409);
  if (Date.parse(h.registration_closes_at) <= Date.now()) throw conflict('decisions.hearings.err.closes_past', { registrationClosesAt: 'decisions.hearings.err.closes_past' });
  return p.tx((t) => announceIn(p, t, actor, h));
}

// ---- registration ----------------------------------------------------------------------------

export interface Applied {
  ref: string;
}

/** A public hearing (announced or later), or 404. */
export async function publicHearing(db: Db, hid: number): Promise<HearingRow> {
  if (!Number.isSafeInteger(hid) || hid < 1) throw notFound();
  const h = await db.selectFrom('dec_hearings').selectAll().where('id', '=', hid).executeTakeFirst();
  if (!h || h.state === 'draft') throw notFound();
  return h;
}

/** SHA-256 of the client address (IPv6 by its /64, as the platform's limiter counts it), never the address itself. */
export const clientHash = (ip: string): string => createHash('sha256').update(`gongkai-client:${clientKey(ip)}`).digest('hex');

/** Checks a person's name and contact (phone and/or e-mail, at least one). */
export function checkPerson(raw: Record<string, unknown>, f: FieldErrors): { name: string; phone: string; email: string } {
  const name = cleanLine(str(raw.name)).trim();
  const phone = str(raw.phone).replace(/[\s-]/g, '');
  const email = str(raw.email).trim();
  if (!name) f.name = 'err.field.required';
  else if (name.length > LIMITS.name) f.name = 'err.field.too_long';
  if (phone && !MOBILE.test(phone)) f.phone = 'decisions.hearings.err.phone';
  if (email && (email.length > LIMITS.email || !EMAIL.test(email) || CONTROL_ANY.test(email))) f.email = 'decisions.hearings.err.email';
  if (!phone && !email && !f.phone && !f.email) f.phone = 'decisions.hearings.err.contact_required';
  return { name, phone, email };
}

/** 听证参加人报名: name, contact, viewpoint, reason; until registration closes (409 after). */
export async function applyToHearing(p: Platform, hid: number, raw: Record<string, unknown>, ip: string): Promise<Applied> {
  const h = await publicHearing(p.db, hid);
  const f: FieldErrors = {};
  const person = checkPerson(raw, f);
  const viewpoint = str(raw.viewpoint);
  if (!(VIEWPOINTS as readonly string[]).includes(viewpoint)) f.viewpoint = 'decisions.hearings.err.viewpoint';
  const reason = cleanText(str(raw.reason)).trim();
  if (!reason) f.reason = 'err.field.required';
  else if (reason.length > LIMITS.reason) f.reason = 'err.field.too_long';
  if (Object.keys(f).length) throw validationError(f);
  if (h.state !== 'announced' || h.draw !== '' || Date.parse(h.registration_closes_at) <= Date.now()) {
    throw conflict('decisions.hearings.err.registration_closed', undefined, { at: shanghaiDateTime(h.registration_closes_at) });
  }
  return p.tx(async (t) => {
    let dup = t.selectFrom('dec_hearing_applicants').select('id').where('hearing_id', '=', h.id);
    dup = dup.where((eb) => eb.or([...(person.phone ? [eb('phone', '=', person.phone)] : []), ...(person.email ? [eb('email', '=', person.email)] : [])]));
    if (await dup.executeTakeFirst()) throw conflict('decisions.hearings.err.already_applied');
    const row = await t
      .insertInto('dec_hearing_applicants')
      .values({ hearing_id: h.id, name: person.name, phone: person.phone, email: person.email, viewpoint, reason, selected: 0, client_hash: clientHash(ip), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: 'citizen', action: 'hearing.apply', entity: 'dec_hearing_applicant', entityId: row.id, details: { hearingId: h.id, viewpoint } });
    return { ref: applicantRef(row.id) };
  });
}

// ---- the draw -----------------------------------------------------------------------------------

const beijing = (iso: string): string => `${shanghaiDateTime(iso, true).replace(' ', 'T')}+08:00`;

function checkWitnesses(raw: unknown): { name: string; commitment: string }[] {
  if (!Array.isArray(raw)) throw validationError({ witnesses: 'err.field.required' });
  const f: FieldErrors = {};
  if (raw.length < MIN_WITNESSES) f.witnesses = 'decisions.hearings.err.witnesses_min';
  if (raw.length > MAX_WITNESSES) f.witnesses = 'decisions.hearings.err.witnesses_max';
  const seen = new Set<string>();
  const out = raw.slice(0, MAX_WITNESSES).map((w: any, i) => {
    const name = cleanLine(str(w?.name)).trim();
    const c = str(w?.commitment).trim().toLowerCase();
    if (!name) f[`witnesses.${i}.name`] = 'err.field.required';
    else if (name.length > LIMITS.witnessName) f[`witnesses.${i}.name`] = 'err.field.too_long';
    if (!HEX64.test(c)) f[`witnesses.${i}.commitment`] = 'decisions.hearings.err.commitment_format';
    else if (seen.has(c)) f[`witnesses.${i}.commitment`] = 'decisions.hearings.err.commitment_duplicate';
    seen.add(c);
    return { name, commitment: c };
  });
  if (Object.keys(f).length) throw validationError(f);
  return out;
}

/** Freezes the applicants with the witnesses' commitments: the record is public (status prepared) from here. */
export async function prepareHearingDraw(p: Platform, actor: Actor, hid: number, raw: { witnesses?: unknown }): Promise<HearingDrawRecord> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  const witnesses = checkWitnesses(raw.witnesses);
  if (h.state !== 'announced' || h.draw !== '') throw conflict('decisions.hearings.err.state', undefined, { state: `decisions.hearings.state.${h.draw ? 'prepared' : h.state}` });
  if (Date.parse(h.registration_closes_at) > Date.now()) throw conflict('decisions.hearings.err.registration_open', undefined, { at: shanghaiDateTime(h.registration_closes_at) });
  return p.tx(async (t) => {
    const rows = await t.selectFrom('dec_hearing_applicants').select(['id', 'viewpoint']).where('hearing_id', '=', h.id).orderBy('id').execute();
    if (rows.length === 0) throw conflict('decisions.hearings.err.no_applicants');
    const record: HearingDrawRecord = {
      format: HEARING_DRAW_FORMAT,
      hearing: h.id,
      status: 'prepared',
      applicants: rows.map((r) => ({ ref: applicantRef(r.id), viewpoint: r.viewpoint as Viewpoint })),
      participants: h.participants,
      stratified: h.stratified === 1,
      witnesses,
      secrets: [],
      beacon: '',
      seed: null,
      quotas: null,
      selection: null,
      preparedAt: beijing(new Date().toISOString()),
      drawnAt: null,
    };
    // Only a hearing still without a record: two prepares at once leave one.
    const r = await t.updateTable('dec_hearings').set({ draw: JSON.stringify(record), updated_at: new Date().toISOString() }).where('id', '=', h.id).where('draw', '=', '').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('decisions.hearings.err.state', undefined, { state: 'decisions.hearings.state.prepared' });
    await p.audit(t, { actor: actorName(actor), action: 'hearing.draw_prepare', entity: 'dec_hearing', entityId: h.id, details: { applicants: rows.length, witnesses: witnesses.length } });
    return record;
  });
}

/** The draw: the witnesses' secrets (each must match its commitment) and an optional beacon. */
export async function runHearingDraw(p: Platform, actor: Actor, hid: number, raw: { secrets?: unknown; beacon?: unknown }): Promise<HearingDrawRecord> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  const prepared = drawOf(h);
  if (h.state !== 'announced' || !prepared || prepared.status !== 'prepared') throw conflict('decisions.hearings.err.not_prepared');
  const f: FieldErrors = {};
  const secrets = Array.isArray(raw.secrets) ? raw.secrets : null;
  if (!secrets) f.secrets = 'err.field.required';
  else if (secrets.length !== prepared.witnesses.length) f.secrets = 'decisions.hearings.err.secrets_count';
  else
    secrets.forEach((s, i) => {
      if (typeof s !== 'string' || !s || s.length > LIMITS.secret || s.includes('\n')) f[`secrets.${i}`] = 'decisions.hearings.err.secret';
      else if (commitment(s) !== prepared.witnesses[i].commitment) f[`secrets.${i}`] = 'decisions.hearings.err.secret_mismatch';
    });
  const beacon = raw.beacon === undefined ? '' : str(raw.beacon).trim();
  if (raw.beacon !== undefined && typeof raw.beacon !== 'string') f.beacon = 'err.field.invalid';
  else if (beacon.length > LIMITS.beacon || CONTROL_ANY.test(beacon)) f.beacon = 'decisions.hearings.err.beacon';
  if (Object.keys(f).length) throw validationError(f);
  let result;
  try {
    result = computeHearingDraw({ hearing: h.id, applicants: prepared.applicants, participants: prepared.participants, stratified: prepared.stratified, secrets: secrets as string[], beacon });
  } catch (err) {
    if (err instanceof HearingDrawError) throw conflict(err.key, undefined, err.params);
    throw err;
  }
  const record: HearingDrawRecord = { ...prepared, status: 'done', secrets: secrets as string[], beacon, seed: result.seed, quotas: result.quotas, selection: result.selection, drawnAt: beijing(new Date().toISOString()) };
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    const r = await t.updateTable('dec_hearings').set({ draw: JSON.stringify(record), state: 'drawn', updated_at: now }).where('id', '=', h.id).where('state', '=', 'announced').where('draw', '=', h.draw).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('decisions.hearings.err.not_prepared');
    const ids = result.selection.map((ref) => Number(ref));
    if (ids.length) await t.updateTable('dec_hearing_applicants').set({ selected: 1 }).where('hearing_id', '=', h.id).where('id', 'in', ids).execute();
    await p.audit(t, { actor: actorName(actor), action: 'hearing.draw', entity: 'dec_hearing', entityId: h.id, details: { seed: result.seed, selected: ids.length } });
    return record;
  });
}

// ---- materials, record, signatures -------------------------------------------------------------

export interface UploadedFile {
  filename: string;
  /** Base64. */
  content: string;
}

async function store(p: Platform, files: unknown, field: string, max: number): Promise<FileRef[]> {
  if (!Array.isArray(files) || files.length === 0) throw validationError({ [field]: 'err.field.required' });
  if (files.length > max) throw validationError({ [field]: 'decisions.hearings.err.too_many_files' });
  const out: FileRef[] = [];
  for (let i = 0; i < files.length; i++) {
    const x = files[i] as Partial<UploadedFile>;
    const name = str(x?.filename).trim();
    const content = str(x?.content);
    if (!name || name.length > 200) throw validationError({ [`${field}.${i}.filename`]: name ? 'err.field.too_long' : 'err.field.required' });
    if (!content || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw validationError({ [`${field}.${i}.content`]: 'decisions.hearings.err.base64' });
    const f = await storeFile(p, Buffer.from(content, 'base64'), name, `${field}.${i}`);
    out.push({ fileId: f.hash, name: safeFileName(name, f.ext), size: f.size, mime: f.mime });
  }
  return out;
}

/** Publishes materials; refused (409) later than 7 days before the hearing. */
export async function addMaterials(p: Platform, actor: Actor, hid: number, raw: { files?: unknown }): Promise<FileRef[]> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  if (h.state !== 'announced' && h.state !== 'drawn') throw conflict('decisions.hearings.err.state', undefined, { state: `decisions.hearings.state.${h.state}` });
  const lastAt = Date.parse(h.starts_at) - MATERIALS_DAYS * DAY;
  if (Date.now() > lastAt) throw conflict('decisions.hearings.err.materials_late', undefined, { days: MATERIALS_DAYS, at: shanghaiDateTime(new Date(lastAt).toISOString()) });
  const current = materialsOf(h);
  const added = await store(p, raw.files, 'files', LIMITS.files - current.length < 1 ? 0 : LIMITS.files - current.length);
  const all = [...current, ...added.filter((a) => !current.some((c) => c.fileId === a.fileId))];
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    await t.updateTable('dec_hearings').set({ materials: JSON.stringify(all), materials_published_at: h.materials_published_at ?? now, updated_at: now }).where('id', '=', h.id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'hearing.materials', entity: 'dec_hearing', entityId: h.id, details: { files: added.map((a) => a.fileId) } });
    return all;
  });
}

/** Uploads the record (听证笔录) once the hearing has started; the hearing is then held. */
export async function uploadRecord(p: Platform, actor: Actor, hid: number, raw: { file?: unknown }): Promise<FileRef> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  if (h.state !== 'drawn' && h.state !== 'held') throw conflict('decisions.hearings.err.state', undefined, { state: `decisions.hearings.state.${h.state}` });
  if (Date.parse(h.starts_at) > Date.now()) throw conflict('decisions.hearings.err.not_held_yet', undefined, { at: shanghaiDateTime(h.starts_at) });
  const [file] = await store(p, raw.file === undefined ? undefined : [raw.file], 'file', 1);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    await t.updateTable('dec_hearings').set({ record_file: JSON.stringify(file), record_uploaded_at: now, state: 'held', updated_at: now }).where('id', '=', h.id).execute();
    // A replaced record has not been signed: the signatures start again.
    if (h.state === 'held') await t.updateTable('dec_hearing_applicants').set({ signed_at: null }).where('hearing_id', '=', h.id).where('signed_at', 'is not', null).execute();
    await p.audit(t, { actor: actorName(actor), action: 'hearing.record', entity: 'dec_hearing', entityId: h.id, details: { file: file.fileId } });
    return file;
  });
}

/**
 * Cancels an announced or drawn hearing (not one held): a public reason (400 naming `reason`), the
 * notice revised through the spine to say so, and every applicant and person registered to attend
 * told by SMS or e-mail. Registration and attendance are closed from then on (their state checks).
 */
export async function cancelHearing(p: Platform, actor: Actor, hid: number, raw: { reason?: unknown }): Promise<{ notified: number }> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  const reason = cleanText(str(raw.reason)).trim();
  if (!reason) throw validationError({ reason: 'err.field.required' });
  if (reason.length > LIMITS.cancelReason) throw validationError({ reason: 'err.field.too_long' });
  if (h.state !== 'announced' && h.state !== 'drawn') throw conflict('decisions.hearings.err.state', undefined, { state: `decisions.hearings.state.${h.state}` });
  const notified = await p.tx(async (t) => {
    const now = new Date().toISOString();
    const r = await t.updateTable('dec_hearings').set({ state: 'cancelled', cancel_reason: reason, cancelled_at: now, updated_at: now }).where('id', '=', h.id).where('state', '=', h.state).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('decisions.hearings.err.state', undefined, { state: 'decisions.hearings.state.cancelled' });
    if (h.item_id) {
      const data: HearingNoticeData = { ...(await noticeData(t, h)), cancelledAt: now, cancelReason: reason };
      await reviseApproved(p, t, actor, h.item_id, { data, changeNote: `听证会取消：${reason}`.slice(0, 500) });
    }
    // Everyone who registered, once per phone number or address.
    const people = [
      ...(await t.selectFrom('dec_hearing_applicants').select(['phone', 'email']).where('hearing_id', '=', h.id).execute()),
      ...(await t.selectFrom('dec_hearing_attendance').select(['phone', 'email']).where('hearing_id', '=', h.id).where('status', '!=', 'cancelled').execute()),
    ];
    const text = `【决策公开】“${h.title.slice(0, 60)}”（原定${shanghaiDateTime(h.starts_at)}）已取消。原因：${reason.slice(0, 200)}。详见 ${p.config.publicUrl.replace(/\/$/, '')}/decisions/hearings/${h.id}`;
    const sent = new Set<string>();
    for (const x of people) {
      const to = x.phone ? `sms:${x.phone}` : x.email ? `email:${x.email.toLowerCase()}` : '';
      if (!to || sent.has(to)) continue;
      sent.add(to);
      if (x.phone) await sendMessage(p, t, { channel: 'sms', to: x.phone, text }, `hearing-cancel:${h.id}:${to}`);
      else await sendMessage(p, t, { channel: 'email', to: x.email, subject: '听证会取消通知', text }, `hearing-cancel:${h.id}:${to}`);
    }
    await p.audit(t, { actor: actorName(actor), action: 'hearing.cancel', entity: 'dec_hearing', entityId: h.id, details: { reason, notified: sent.size } });
    return sent.size;
  });
  bumpGeneration();
  return { notified };
}

/** Marks selected participants as having signed the record (听证笔录签字). */
export async function markSigned(p: Platform, actor: Actor, hid: number, raw: { refs?: unknown }): Promise<string[]> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.edit');
  if (h.state !== 'held') throw conflict('decisions.hearings.err.no_record');
  if (!Array.isArray(raw.refs) || raw.refs.length === 0 || raw.refs.length > LIMITS.participants) throw validationError({ refs: 'err.field.required' });
  const selected = await p.db.selectFrom('dec_hearing_applicants').select(['id', 'signed_at']).where('hearing_id', '=', h.id).where('selected', '=', 1).execute();
  const byRef = new Map(selected.map((s) => [applicantRef(s.id), s]));
  const f: FieldErrors = {};
  raw.refs.forEach((r, i) => {
    if (typeof r !== 'string' || !byRef.has(r)) f[`refs.${i}`] = 'decisions.hearings.err.not_participant';
  });
  if (Object.keys(f).length) throw validationError(f);
  const ids = (raw.refs as string[]).map((r) => byRef.get(r)!).filter((s) => !s.signed_at).map((s) => s.id);
  return p.tx(async (t) => {
    const now = new Date().toISOString();
    if (ids.length) await t.updateTable('dec_hearing_applicants').set({ signed_at: now }).where('id', 'in', ids).execute();
    await p.audit(t, { actor: actorName(actor), action: 'hearing.signatures', entity: 'dec_hearing', entityId: h.id, details: { signed: ids.map(applicantRef) } });
    return ids.map(applicantRef);
  });
}

// ---- what the public sees -----------------------------------------------------------------------

export interface ParticipantView {
  ref: string;
  /** Masked (张*). */
  name: string;
  viewpoint: string;
  signed: boolean;
}

export interface HearingView {
  id: number;
  decisionId: number;
  title: string;
  state: string;
  startsAt: string;
  place: string;
  selectionMethod: string;
  participants: number;
  stratified: boolean;
  registrationClosesAt: string;
  registrationOpen: boolean;
  attendanceCapacity: number;
  itemId: number | null;
  applicants: { total: number; for: number; against: number; other: number };
  draw: HearingDrawRecord | null;
  selected: ParticipantView[];
  materials: FileRef[];
  materialsPublishedAt: string | null;
  record: FileRef | null;
  attendance: { confirmed: number; waiting: number };
  /** When and why the hearing was cancelled (null / '' unless it was). */
  cancelledAt: string | null;
  cancelReason: string;
}

/** A hearing as the public sees it: names masked, contacts never. */
export async function hearingView(db: Db, h: HearingRow): Promise<HearingView> {
  const apps = await db.selectFrom('dec_hearing_applicants').select(['id', 'name', 'viewpoint', 'selected', 'signed_at']).where('hearing_id', '=', h.id).orderBy('id').execute();
  const counts = { total: apps.length, for: 0, against: 0, other: 0 };
  for (const a of apps) if ((VIEWPOINTS as readonly string[]).includes(a.viewpoint)) counts[a.viewpoint as Viewpoint]++;
  const draw = drawOf(h);
  const byRef = new Map(apps.map((a) => [applicantRef(a.id), a]));
  const selected = (draw?.selection ?? []).flatMap((ref) => {
    const a = byRef.get(ref);
    return a ? [{ ref, name: maskName(a.name), viewpoint: a.viewpoint, signed: a.signed_at !== null }] : [];
  });
  const att = await db.selectFrom('dec_hearing_attendance').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('hearing_id', '=', h.id).groupBy('status').execute();
  const n = (s: string) => Number(att.find((x) => x.status === s)?.n ?? 0);
  return {
    id: h.id,
    decisionId: h.decision_id,
    title: h.title,
    state: h.state,
    startsAt: h.starts_at,
    place: h.place,
    selectionMethod: h.selection_method,
    participants: h.participants,
    stratified: h.stratified === 1,
    registrationClosesAt: h.registration_closes_at,
    registrationOpen: h.state === 'announced' && h.draw === '' && Date.parse(h.registration_closes_at) > Date.now(),
    attendanceCapacity: h.attendance_capacity,
    itemId: h.item_id,
    applicants: counts,
    draw,
    selected,
    materials: materialsOf(h),
    materialsPublishedAt: h.materials_published_at,
    record: recordFileOf(h),
    attendance: { confirmed: n('confirmed'), waiting: n('waiting') },
    cancelledAt: h.cancelled_at,
    cancelReason: h.cancel_reason,
  };
}

/** Staff's list of the applicants of a hearing (contacts included: staff only). */
export async function applicantsFor(p: Platform, actor: Actor, hid: number): Promise<{ hearing: HearingRow; applicants: (ApplicantRow & { ref: string })[] }> {
  const h = await hearingFor(p.db, actor, hid, 'major-decision.read');
  const rows = await p.db.selectFrom('dec_hearing_applicants').selectAll().where('hearing_id', '=', h.id).orderBy('id').execute();
  return { hearing: h, applicants: rows.map((r) => ({ ...r, ref: applicantRef(r.id) })) };
}

/** The hearings of a decision (staff: any state; public: not drafts). */
export async function hearingsOf(db: Db, decisionId: number, includeDrafts: boolean): Promise<HearingRow[]> {
  let q = db.selectFrom('dec_hearings').selectAll().where('decision_id', '=', decisionId);
  if (!includeDrafts) q = q.where('state', '!=', 'draft');
  return q.orderBy('starts_at').orderBy('id').execute();
}

/** A file of a public hearing (a material or the record), or null. */
export function publicFile(h: HearingRow, hash: string): FileRef | null {
  if (h.state === 'draft') return null;
  return materialsOf(h).find((m) => m.fileId === hash) ?? (recordFileOf(h)?.fileId === hash ? recordFileOf(h) : null);
}
