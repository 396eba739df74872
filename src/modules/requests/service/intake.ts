// Intake: the checks of Art. 29, the identity proofs, and registering a request — from the online
// form (awaiting confirmation of receipt) or by staff for requests received in person, by post,
// fax or e-mail (in person and by registered post the receipt date is known at once, Art. 31).
import type { Db } from '../../../platform/db/index.js';
import { isUniqueViolation } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can } from '../../../platform/auth/policy.js';
import { badRequest, forbidden, validationError } from '../../../platform/errors.js';
import { ensureCalendar, todayShanghai } from '../../../platform/calendar/index.js';
import { cleanImage, detectType, safeFileName, storeFile, type ImageExt } from '../../../platform/files/index.js';
import { isValidIdNumber } from '../../../platform/privacy/index.js';
import { allocateTrackingNos, codeHash, newQueryCode } from '../../../platform/tracking.js';
import { CHANNELS_WANTED, FORMS_WANTED, INTAKE_CHANNELS, isOrganisation, ORG_ID_KINDS, PERSON_ID_KINDS, RECEIPT_RULE, REQUESTER_TYPES, STAFF_CHANNELS, type IntakeChannel, type RequestState } from '../schema.js';
import { actorName, addEvent, mirrorDue, noticeData, notifyRequester, officeId, startReplyClock, stepDate, type Actor } from '../service.js';

export const TRACKING_PREFIX = 'YS';
/** YS + the day it reached the office (Shanghai, yyyymmdd) + 7 random digits. */
export const TRACKING_NO = /^YS\d{15}$/;
export const QUERY_CODE = /^\d{10}$/;

/** The addressee "the government itself" (handled by the disclosure office). */
export const GOVERNMENT = 'government';

export const LIMITS = { name: 100, idNumber: 40, orgContact: 50, address: 200, infoName: 200, docNo: 100, description: 2000 };
export const PROOF_LIMIT = 5 * 1024 * 1024;
export const MAX_PROOFS = 3;
const PROOF_TYPES = ['pdf', 'jpg', 'png', 'gif', 'webp'];

export const MOBILE = /^1[3-9]\d{9}$/;
export const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
export const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
/** 统一社会信用代码: 18 characters of digits and capitals without I, O, Z, S, V. */
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export interface StoredProof {
  hash: string;
  name: string;
  mime: string;
  size: number;
}

export interface RequestInput {
  /** GOVERNMENT or the code of a department. */
  agency: string;
  requesterType: string;
  requesterName: string;
  idKind: string;
  idNumber: string;
  orgContact?: string;
  contactPhone?: string;
  contactEmail?: string;
  contactAddress?: string;
  contactFax?: string;
  infoName: string;
  infoDocNo?: string;
  infoDescription: string;
  formWanted: string;
  channelWanted: string;
  channel: IntakeChannel;
  /** Staff entry: the day it reached the office — the visit, the day a registered letter was signed for, the day a letter, fax or e-mail arrived. */
  arrivedOn?: string;
  idProofs?: StoredProof[];
}

export const normalizePhone = (s: string) => s.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '');

/** The addressees a requester may choose: the government itself, then each top-level department. */
export async function agencies(db: Db): Promise<{ value: string; name: string; departmentId: number }[]> {
  const office = await officeId(db);
  const depts = await db.selectFrom('departments').select(['id', 'code', 'name']).where('active', '=', 1).where('parent_id', 'is', null).orderBy('sort').orderBy('id').execute();
  const gov = await db.selectFrom('government').select('name').executeTakeFirst();
  return [...(office !== null ? [{ value: GOVERNMENT, name: gov?.name ?? '', departmentId: office }] : []), ...depts.map((d) => ({ value: d.code, name: d.name, departmentId: d.id }))];
}

/** Every check of Art. 29 and of the form: field → message key. */
export async function checkRequest(db: Db, input: RequestInput, opts: { staff: boolean; anyChannel?: boolean }): Promise<Record<string, string>> {
  const f: Record<string, string> = {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  if (!(await agencies(db)).some((a) => a.value === input.agency)) f.agency = 'requests.err.agency';
  const type = str(input.requesterType);
  if (!(REQUESTER_TYPES as readonly string[]).includes(type)) f.requesterType = 'requests.err.requester_type';
  const name = str(input.requesterName);
  if (!name) f.requesterName = 'err.field.required';
  else if (name.length > LIMITS.name) f.requesterName = 'requests.err.too_long';
  const org = isOrganisation(type);
  const kinds: readonly string[] = type ? (org ? ORG_ID_KINDS : PERSON_ID_KINDS) : [];
  const idKind = str(input.idKind);
  const idNumber = str(input.idNumber).toUpperCase();
  if (!kinds.includes(idKind)) f.idKind = 'requests.err.id_kind';
  if (!idNumber) f.idNumber = 'err.field.required';
  else if (idNumber.length > LIMITS.idNumber) f.idNumber = 'requests.err.too_long';
  else if (idKind === 'resident-id' && !isValidIdNumber(idNumber)) f.idNumber = 'requests.err.resident_id';
  else if (idKind === 'credit-code' && !CREDIT_CODE.test(idNumber)) f.idNumber = 'requests.err.credit_code';
  const orgContact = str(input.orgContact);
  if (org && !orgContact) f.orgContact = 'err.field.required';
  else if (orgContact.length > LIMITS.orgContact) f.orgContact = 'requests.err.too_long';
  const phone = normalizePhone(str(input.contactPhone));
  const email = str(input.contactEmail);
  const address = str(input.contactAddress);
  const fax = normalizePhone(str(input.contactFax));
  if (phone && !MOBILE.test(phone) && !LANDLINE.test(phone)) f.contactPhone = 'requests.err.phone';
  if (email && (!EMAIL.test(email) || email.length > 200)) f.contactEmail = 'requests.err.email';
  if (address.length > LIMITS.address) f.contactAddress = 'requests.err.too_long';
  if (fax && !LANDLINE.test(fax)) f.contactFax = 'requests.err.fax';
  if (!phone && !email && !address && !f.contactPhone && !f.contactEmail) f.contactPhone = 'requests.err.contact_needed';
  const channelWanted = str(input.channelWanted);
  if (!(CHANNELS_WANTED as readonly string[]).includes(channelWanted)) f.channelWanted = 'requests.err.choose';
  else if (channelWanted === 'post' && !address && !f.contactAddress) f.contactAddress = 'requests.err.address_for_post';
  else if (channelWanted === 'email' && !email && !f.contactEmail) f.contactEmail = 'requests.err.email_for_email';
  else if (channelWanted === 'fax' && !fax && !f.contactFax) f.contactFax = 'requests.err.fax_for_fax';
  if (!(FORMS_WANTED as readonly string[]).includes(str(input.formWanted))) f.formWanted = 'requests.err.choose';
  const infoName = str(input.infoName);
  if (!infoName) f.infoName = 'err.field.required';
  else if (infoName.length > LIMITS.infoName) f.infoName = 'requests.err.too_long';
  if (str(input.infoDocNo).length > LIMITS.docNo) f.infoDocNo = 'requests.err.too_long';
  const description = str(input.infoDescription);
  if (!description) f.infoDescription = 'err.field.required';
  else if (description.length < 5) f.infoDescription = 'requests.err.description_short';
  else if (description.length > LIMITS.description) f.infoDescription = 'requests.err.too_long';
  const channels: readonly string[] = opts.anyChannel ? INTAKE_CHANNELS : opts.staff ? STAFF_CHANNELS : ['online'];
  if (!channels.includes(input.channel)) f.channel = 'requests.err.choose';
  const proofs = input.idProofs ?? [];
  if (proofs.length > MAX_PROOFS) f.idProof = 'requests.err.proof_many';
  else if (input.channel === 'online' && !proofs.length) f.idProof = 'requests.err.proof_required';
  return f;
}

/**
 * Stores one identity proof (PDF or image, by its content): images are decoded and encoded again
 * without metadata (EXIF GPS, device…). Field errors name `field`.
 */
export async function storeProof(p: Platform, buf: Buffer, filename: string, field = 'idProof'): Promise<StoredProof> {
  if (buf.length > PROOF_LIMIT) throw badRequest('err.validation', { [field]: 'requests.err.proof_size' }, { mb: PROOF_LIMIT / 1024 / 1024 });
  const type = buf.length ? detectType(buf, filename) : null;
  if (!type || !PROOF_TYPES.includes(type.ext)) throw badRequest('err.validation', { [field]: 'requests.err.proof_type' });
  const bytes = type.ext === 'pdf' ? buf : await cleanImage(buf, type.ext as ImageExt, field);
  const stored = await storeFile(p, bytes, filename, field);
  return { hash: stored.hash, name: safeFileName(filename || `proof.${stored.ext}`, stored.ext), mime: stored.mime, size: stored.size };
}

export interface Registered {
  id: number;
  trackingNo: string;
  queryCode: string;
  state: RequestState;
  receivedOn: string | null;
  due: string | null;
}

async function insert(p: Platform, t: Db, actor: Actor, input: RequestInput, code: string): Promise<Registered> {
  const staff = actor !== 'citizen';
  const now = new Date().toISOString();
  const agency = (await agencies(t)).find((a) => a.value === input.agency)!;
  const arrivedOn = staff ? stepDate(input.arrivedOn, 'arrivedOn') : todayShanghai();
  const given = RECEIPT_RULE[input.channel] === 'given';
  // The number carries the day the request reached the office (today for the online form).
  const [trackingNo] = await allocateTrackingNos(TRACKING_PREFIX, [`${arrivedOn}T04:00:00.000Z`], async (nos) => new Set((await t.selectFrom('disclosure_requests').select('tracking_no').where('tracking_no', 'in', nos).execute()).map((r) => r.tracking_no)));
  const s = (v?: string) => (v ?? '').trim();
  const row = await t
    .insertInto('disclosure_requests')
    .values({
      tracking_no: trackingNo,
      code_hash: codeHash(trackingNo, code),
      department_id: agency.departmentId,
      to_government: input.agency === 'government' ? 1 : 0,
      channel: input.channel,
      requester_type: s(input.requesterType),
      requester_name: s(input.requesterName),
      id_kind: s(input.idKind),
      id_number: s(input.idNumber).toUpperCase(),
      org_contact: isOrganisation(input.requesterType) ? s(input.orgContact) : '',
      id_proofs: JSON.stringify(input.idProofs ?? []),
      contact_phone: normalizePhone(s(input.contactPhone)),
      contact_email: s(input.contactEmail),
      contact_address: s(input.contactAddress),
      contact_fax: normalizePhone(s(input.contactFax)),
      info_name: s(input.infoName),
      info_doc_no: s(input.infoDocNo),
      info_description: s(input.infoDescription),
      form_wanted: s(input.formWanted),
      channel_wanted: s(input.channelWanted),
      state: given ? 'handling' : 'awaiting-receipt',
      arrived_on: arrivedOn,
      received_on: given ? arrivedOn : null,
      correction_asked_on: null,
      correction_due: null,
      correction_items: null,
      corrected_on: null,
      due_date: null,
      outcome: null,
      closed_on: null,
      referral_no: null,
      created_by: typeof actor === 'string' ? null : actor.id,
      created_at: now,
      updated_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const r = { id: row.id, tracking_no: trackingNo, info_name: s(input.infoName), department_id: agency.departmentId, contact_phone: normalizePhone(s(input.contactPhone)), contact_email: s(input.contactEmail) };
  let due: string | null = null;
  if (given) {
    await startReplyClock(p, t, r, arrivedOn, actorName(actor));
    due = await mirrorDue(t, row.id);
  }
  // Registered by staff: the requester learns the number and the code (online: shown on the screen).
  const told = staff && input.channel !== 'online';
  const used = told ? await notifyRequester(p, t, r, 'registered', 'requests.sms.registered', { code }) : [];
  await addEvent(t, row.id, actor, { kind: 'received', on: arrivedOn, public: true, data: { channel: input.channel, receivedOn: given ? arrivedOn : null, ...(told ? noticeData(used) : {}) } });
  await p.audit(t, { actor: actorName(actor), action: 'request.receive', entity: 'disclosure_request', entityId: row.id, details: { trackingNo, channel: input.channel, departmentId: agency.departmentId, requesterType: input.requesterType, receivedOn: given ? arrivedOn : null } });
  return { id: row.id, trackingNo, queryCode: code, state: given ? 'handling' : 'awaiting-receipt', receivedOn: given ? arrivedOn : null, due };
}

/**
 * Registers a request: `citizen` through the online form or API (channel `online`), staff with
 * `request.intake` in the addressed department for the other channels. Checked first (400 naming
 * every field); written with its first event, its audit event and — when the receipt date is
 * known — its reply clock, in one transaction.
 */
export async function submitRequest(p: Platform, actor: Actor, input: RequestInput): Promise<Registered> {
  const staff = actor !== 'citizen';
  // The demo loader registers online requests of past days too.
  const fields = await checkRequest(p.db, input, { staff, anyChannel: actor === 'demo' });
  if (Object.keys(fields).length) throw validationError(fields);
  if (typeof actor !== 'string') {
    const agency = (await agencies(p.db)).find((a) => a.value === input.agency)!;
    if (!can(actor, 'request.intake', { departmentId: agency.departmentId })) throw forbidden('requests.err.not_your_agency');
  }
  await ensureCalendar(p.db);
  const code = newQueryCode();
  try {
    return await p.tx((t) => insert(p, t, actor, input, code));
  } catch (err) {
    // A concurrent registration drew the same tracking number (PostgreSQL): once more.
    if (!isUniqueViolation(err)) throw err;
    return p.tx((t) => insert(p, t, actor, input, code));
  }
}

