// Licensing and penalty decisions (行政许可 / 行政处罚 双公示, REGULATIONS.md §6): entered as drafts
// by holders of `decision.edit` on the decision's department (one by one, or by import:
// decision-import.ts), submitted, and approved by a holder of `decision.approve` there who is not
// the author. Approval sets the display period (period.ts) and publishes the decision through the
// spine (items.tsx: the public text, natural persons masked) — except a minor penalty (轻微), which
// is recorded as 'not-shown' and never public. The clock `penalty.publish` / `licensing.publish`
// (7 working days from the decision date) runs from entry to approval.
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { conflict, forbidden, notFound, validationError, type FieldErrors } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { isValidIdNumber } from '../../../platform/privacy/index.js';
import { getJsonSetting } from '../../../platform/settings/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { ensureCalendar, isValidDate, todayShanghai } from '../../../platform/calendar/index.js';
import { completeClock, startClock, stopClock } from '../../../platform/deadlines/index.js';
import { bumpGeneration, defaultMeta, publishApproved } from '../../../platform/publication/index.js';
import { DECISION_KINDS, DOMAINS, SEVERITIES, type DecisionKind, type Severity } from './codes.js';
import { displayPeriod } from './period.js';
import { isValidUscc } from './uscc.js';
import { LICENSING_RULE, PENALTY_RULE_CODE, SUBJECT_DECISION, type DecisionRow, type DecisionTable } from '../schema.js';
import { LICENSING_DECISION, maskedDecision, PENALTY_DECISION, type DecisionData } from '../items.js';

/** 行政处罚的种类 (《行政处罚法》第九条); a decision may impose several. */
export const PENALTY_CATEGORIES = ['warning', 'criticism', 'fine', 'confiscate-income', 'confiscate-property', 'suspend-licence', 'downgrade', 'revoke-licence', 'restrict-business', 'suspend-business', 'close', 'restrict-practice', 'detention', 'other'] as const;
/** 行政许可类别 (双公示 data standard): 普通, 特许, 认可, 核准, 登记, 其他. */
export const LICENSING_CATEGORIES = ['general', 'special', 'recognition', 'approval', 'registration', 'other'] as const;
export const SUBJECT_TYPES = ['legal', 'natural'] as const;
/** The setting with the government's further decision domains: JSON [{code, zh, en}] (or plain names). */
export const DOMAINS_SETTING = 'enforcement.domains';

export const LIMITS = { docNo: 100, subjectName: 200, legalRep: 50, address: 200, facts: 5000, basis: 2000, content: 2000, result: 1000, licenceName: 200, licenceNo: 100 } as const;

/** Topic (主题分类) of a decision's catalog entry by domain; configured domains: 市场监管\其他. */
const TOPIC: Record<string, string> = { quality: '0901', market: '0901', ip: '0901', tourism: '0804', safety: '0903', environment: '1004' };

export const ruleOf = (kind: string) => (kind === 'penalty' ? PENALTY_RULE_CODE : LICENSING_RULE.code);
export const itemTypeOf = (kind: string) => (kind === 'penalty' ? PENALTY_DECISION : LICENSING_DECISION);

// ---- domains --------------------------------------------------------------------------------------

export interface DomainOption {
  code: string;
  zh: string;
  en: string;
}

/** The built-in domains (产品质量, 旅游, 知识产权, 安全生产…) and those of the setting `enforcement.domains`. */
export async function domainOptions(db: Db): Promise<DomainOption[]> {
  const out: DomainOption[] = DOMAINS.map((code) => ({ code, zh: translate('zh-CN', `enforcement.domain.${code}`), en: translate('en', `enforcement.domain.${code}`) }));
  const extra = await getJsonSetting<unknown>(db, DOMAINS_SETTING, []);
  for (const x of Array.isArray(extra) ? extra : []) {
    const o = typeof x === 'string' ? { code: x, zh: x, en: x } : x && typeof x === 'object' ? (x as Record<string, unknown>) : null;
    const code = typeof o?.code === 'string' ? cleanLine(o.code).trim() : '';
    if (!code || code.length > 40 || out.some((d) => d.code === code)) continue;
    const zh = typeof o?.zh === 'string' && o.zh.trim() ? cleanLine(o.zh).trim() : code;
    out.push({ code, zh, en: typeof o?.en === 'string' && o.en.trim() ? cleanLine(o.en).trim() : zh });
  }
  return out;
}

// ---- checking ---------------------------------------------------------------------------------------

/** A decision as entered (API, form, import row). Missing optional fields are ''. */
export interface DecisionInput {
  kind: string;
  departmentId: number;
  docNo: string;
  subjectType: string;
  subjectName: string;
  creditCode?: string;
  legalRep?: string;
  address?: string;
  idNumber?: string;
  facts: string;
  /** Codes; a penalty may have several, a licensing decision has one. */
  category: string[] | string;
  basis: string;
  content: string;
  result?: string;
  licenceName?: string;
  licenceNo?: string;
  validFrom?: string | null;
  validTo?: string | null;
  decisionDate: string;
  domain: string;
  /** Penalties: minor | ordinary | serious; licensing: ignored. */
  severity?: string;
}

export type DecisionValues = Pick<
  DecisionTable,
  'kind' | 'department_id' | 'doc_no' | 'subject_type' | 'subject_name' | 'credit_code' | 'legal_rep' | 'address' | 'id_number' | 'facts' | 'category' | 'basis' | 'content' | 'result' | 'licence_name' | 'licence_no' | 'valid_from' | 'valid_to' | 'decision_date' | 'domain' | 'severity'
>;

export interface CheckContext {
  domains: Set<string>;
  today: string;
}

export async function checkContext(db: Db): Promise<CheckContext> {
  return { domains: new Set((await domainOptions(db)).map((d) => d.code)), today: todayShanghai() };
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** Checks and normalises one decision; every problem as a field error (message keys). Pure. */
export function checkDecision(input: DecisionInput, ctx: CheckContext): { values: DecisionValues; fields: FieldErrors } {
  const f: FieldErrors = {};
  const line = (k: keyof typeof LIMITS, v: unknown, required: boolean) => {
    const s = cleanLine(str(v)).trim();
    if (!s && required) f[k] = 'err.field.required';
    else if (s.length > LIMITS[k]) f[k] = 'err.field.too_long';
    return s;
  };
  const text = (k: keyof typeof LIMITS, v: unknown, required: boolean) => {
    const s = cleanText(str(v)).replace(/\r\n?/g, '\n').trim();
    if (!s && required) f[k] = 'err.field.required';
    else if (s.length > LIMITS[k]) f[k] = 'err.field.too_long';
    return s;
  };
  const kind = str(input.kind) as DecisionKind;
  if (!(DECISION_KINDS as readonly string[]).includes(kind)) f.kind = 'err.field.enum_generic';
  const penalty = kind === 'penalty';
  const subjectType = str(input.subjectType);
  if (!(SUBJECT_TYPES as readonly string[]).includes(subjectType)) f.subjectType = 'err.field.enum_generic';
  const natural = subjectType === 'natural';
  const docNo = line('docNo', input.docNo, true);
  const subjectName = line('subjectName', input.subjectName, true);
  let creditCode = cleanLine(str(input.creditCode)).trim().toUpperCase();
  let legalRep = line('legalRep', input.legalRep, !natural && subjectType === 'legal');
  let idNumber = cleanLine(str(input.idNumber)).trim().toUpperCase();
  if (subjectType === 'legal') {
    if (!creditCode) f.creditCode = 'err.field.required';
    else if (!isValidUscc(creditCode)) f.creditCode = 'enforcement.decision.err.uscc';
    idNumber = '';
  } else if (natural) {
    // A natural person has an ID number, no credit code and no legal representative.
    if (creditCode) f.creditCode = 'enforcement.decision.err.natural_code';
    if (!idNumber) f.idNumber = 'err.field.required';
    else if (!isValidIdNumber(idNumber)) f.idNumber = 'enforcement.decision.err.id_number';
    creditCode = '';
    legalRep = '';
  }
  const address = line('address', input.address, false);
  const facts = text('facts', input.facts, true);
  const basis = text('basis', input.basis, true);
  const content = text('content', input.content, true);
  const result = penalty ? text('result', input.result, false) : '';
  const cats = (Array.isArray(input.category) ? input.category : str(input.category).split(',')).map((x) => str(x).trim()).filter(Boolean);
  const allowed: readonly string[] = penalty ? PENALTY_CATEGORIES : LICENSING_CATEGORIES;
  if (!cats.length) f.category = 'err.field.required';
  else if (cats.some((x) => !allowed.includes(x))) f.category = 'err.field.enum_generic';
  else if (!penalty && cats.length > 1) f.category = 'enforcement.decision.err.one_category';
  const category = [...new Set(cats)].sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b)).join(',');
  const decisionDate = str(input.decisionDate).trim();
  if (!decisionDate) f.decisionDate = 'err.field.required';
  else if (!isValidDate(decisionDate) || decisionDate < '1990-01-01') f.decisionDate = 'err.field.format';
  else if (decisionDate > ctx.today) f.decisionDate = 'enforcement.decision.err.future';
  const domain = cleanLine(str(input.domain)).trim();
  if (!domain) f.domain = 'err.field.required';
  else if (!ctx.domains.has(domain)) f.domain = 'err.field.enum_generic';
  let severity = '';
  if (penalty) {
    severity = str(input.severity).trim();
    if (!severity) f.severity = 'err.field.required';
    else if (!(SEVERITIES as readonly string[]).includes(severity)) f.severity = 'err.field.enum_generic';
  }
  let licenceName = '';
  let licenceNo = '';
  let validFrom: string | null = null;
  let validTo: string | null = null;
  if (kind === 'licensing') {
    licenceName = line('licenceName', input.licenceName, false);
    licenceNo = line('licenceNo', input.licenceNo, false);
    validFrom = str(input.validFrom).trim() || null;
    validTo = str(input.validTo).trim() || null;
    if (!validFrom) f.validFrom = 'err.field.required';
    else if (!isValidDate(validFrom)) f.validFrom = 'err.field.format';
    if (validTo && !isValidDate(validTo)) f.validTo = 'err.field.format';
    else if (validTo && validFrom && isValidDate(validFrom) && validTo < validFrom) f.validTo = 'enforcement.decision.err.valid_to';
  }
  const departmentId = Number(input.departmentId);
  if (!Number.isInteger(departmentId) || departmentId < 1 || departmentId > 2147483647) f.departmentId = 'err.field.invalid';
  return {
    values: {
      kind,
      department_id: departmentId,
      doc_no: docNo,
      subject_type: subjectType,
      subject_name: subjectName,
      credit_code: creditCode,
      legal_rep: legalRep,
      address,
      id_number: idNumber,
      facts,
      category,
      basis,
      content,
      result,
      licence_name: licenceName,
      licence_no: licenceNo,
      valid_from: validFrom,
      valid_to: validTo,
      decision_date: decisionDate,
      domain,
      severity,
    },
    fields: f,
  };
}

/** What the public search matches (the column `search`): the 文号 and a legal person's name, lower case. */
export const searchKey = (v: Pick<DecisionValues, 'doc_no' | 'subject_type' | 'subject_name'>) => (v.subject_type === 'legal' ? `${v.doc_no} ${v.subject_name}` : v.doc_no).toLowerCase();

/** Whether a decision of these values is displayed at all (a minor penalty never is). */
export const isShown = (v: Pick<DecisionValues, 'kind' | 'severity'>) => displayPeriod(v.kind as DecisionKind, v.severity as Severity | '', '2000-01-01') !== null;

// ---- reading ----------------------------------------------------------------------------------------

export async function getDecision(db: Db, id: number): Promise<DecisionRow | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) return null;
  return (await db.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

const mayDo = (actor: Actor, action: string, departmentId: number) => typeof actor === 'string' || can(actor, action, { departmentId });
export const authorOf = (actor: Actor) => (typeof actor === 'string' ? actor : String(actor.id));

/** A decision staff may see (`enforcement.read` on its department), else 404. */
export async function decisionForStaff(db: Db, user: Principal, id: number): Promise<DecisionRow> {
  const d = await getDecision(db, id);
  if (!d || !can(user, 'enforcement.read', { departmentId: d.department_id })) throw notFound();
  return d;
}

// ---- writing ------------------------------------------------------------------------------------------

async function checkDepartment(t: Db, id: number, fields: FieldErrors) {
  const d = await t.selectFrom('departments').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst();
  if (!d || !Number(d.active)) fields.departmentId = 'err.field.invalid';
}

async function docTaken(t: Db, v: Pick<DecisionValues, 'department_id' | 'kind' | 'doc_no'>, except?: number): Promise<boolean> {
  let q = t.selectFrom('enf_decisions').select('id').where('department_id', '=', v.department_id).where('kind', '=', v.kind).where('doc_no', '=', v.doc_no);
  if (except) q = q.where('id', '!=', except);
  return !!(await q.executeTakeFirst());
}

const clockTitle = (v: Pick<DecisionValues, 'kind' | 'doc_no'>) => `${translate('zh-CN', `enforcement.kind.${v.kind}`)}决定公示 ${v.doc_no}`;

/** Starts the decision's publication clock (7 wd from the decision date), when it is to be shown. */
export async function startDecisionClock(p: Platform, t: Db, id: number, v: DecisionValues, actor: Actor): Promise<void> {
  if (!isShown(v)) return;
  await startClock(
    p,
    t,
    { subjectType: SUBJECT_DECISION, subjectId: id, rule: ruleOf(v.kind), start: v.decision_date, departmentId: v.department_id, title: clockTitle(v), url: `/admin/enforcement/decisions/${id}`, publicSubject: false, responsibleUserId: typeof actor === 'string' ? null : actor.id },
    actorName(actor),
  );
}

export async function insertChecked(t: Db, values: DecisionValues, actor: Actor, now: string, status: 'draft' | 'submitted'): Promise<number> {
  const row = await t
    .insertInto('enf_decisions')
    .values({ ...values, search: searchKey(values), status, author_id: authorOf(actor), approver_id: null, pub_item_id: null, display_min_until: null, display_until: null, end_reason: null, end_note: '', ended_at: null, published_at: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Enters a decision as a draft (or submitted at once); 400 naming the field, 403 outside the caller's departments. */
export async function createDecision(p: Platform, actor: Actor, input: DecisionInput, opts: { submit?: boolean } = {}): Promise<{ id: number }> {
  const { values, fields } = checkDecision(input, await checkContext(p.db));
  if (!fields.departmentId && !mayDo(actor, 'decision.edit', values.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  if (Object.keys(fields).length) throw validationError(fields);
  await ensureCalendar(p.db);
  return p.tx(async (t) => {
    const f: FieldErrors = {};
    await checkDepartment(t, values.department_id, f);
    if (await docTaken(t, values)) f.docNo = 'enforcement.decision.err.doc_taken';
    if (Object.keys(f).length) throw validationError(f);
    const now = new Date().toISOString();
    const id = await insertChecked(t, values, actor, now, opts.submit ? 'submitted' : 'draft');
    await startDecisionClock(p, t, id, values, actor);
    await p.audit(t, { actor: actorName(actor), action: 'decision.create', entity: 'enf_decision', entityId: id, details: { kind: values.kind, docNo: values.doc_no, status: opts.submit ? 'submitted' : 'draft' } });
    return { id };
  });
}

/** Edits a draft. The clock is restarted when the kind, the decision date or the severity changed. */
export async function updateDecision(p: Platform, actor: Actor, id: number, input: DecisionInput): Promise<void> {
  const cur = await getDecision(p.db, id);
  if (!cur || (typeof actor !== 'string' && !can(actor, 'enforcement.read', { departmentId: cur.department_id }))) throw notFound();
  if (!mayDo(actor, 'decision.edit', cur.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  const { values, fields } = checkDecision(input, await checkContext(p.db));
  if (!fields.departmentId && !mayDo(actor, 'decision.edit', values.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  if (Object.keys(fields).length) throw validationError(fields);
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const d = (await t.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst())!;
    if (d.status !== 'draft') throw conflict('enforcement.decision.err.not_draft', undefined, { status: `enforcement.status.${d.status}` });
    const f: FieldErrors = {};
    await checkDepartment(t, values.department_id, f);
    if (await docTaken(t, values, id)) f.docNo = 'enforcement.decision.err.doc_taken';
    if (Object.keys(f).length) throw validationError(f);
    const changed = (Object.keys(values) as (keyof DecisionValues)[]).filter((k) => values[k] !== d[k]);
    if (!changed.length) return;
    await t.updateTable('enf_decisions').set({ ...values, search: searchKey(values), updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    if (changed.some((k) => k === 'kind' || k === 'decision_date' || k === 'severity' || k === 'department_id' || k === 'doc_no')) {
      await stopClock(p, t, SUBJECT_DECISION, id, '决定的类型、日期、程度或部门已更正', undefined, actorName(actor));
      await startDecisionClock(p, t, id, values, actor);
    }
    // The ID number is recorded as changed, never with its value.
    await p.audit(t, { actor: actorName(actor), action: 'decision.update', entity: 'enf_decision', entityId: id, details: { fields: changed.join(',') } });
  });
}

async function transition(p: Platform, actor: Actor, id: number, action: string, from: string, to: string, check: (d: DecisionRow) => void, extra: (t: Db, d: DecisionRow) => Promise<Record<string, unknown>>): Promise<void> {
  const cur = await getDecision(p.db, id);
  if (!cur || (typeof actor !== 'string' && !can(actor, 'enforcement.read', { departmentId: cur.department_id }))) throw notFound();
  check(cur);
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const d = (await t.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst())!;
    if (d.status !== from) throw conflict(`enforcement.decision.err.not_${from}`, undefined, { status: `enforcement.status.${d.status}` });
    await t.updateTable('enf_decisions').set({ status: to, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    const details = await extra(t, d);
    await p.audit(t, { actor: actorName(actor), action, entity: 'enf_decision', entityId: id, details: { docNo: d.doc_no, status: to, ...details } });
  });
}

/** Draft → submitted (待审核). */
export async function submitDecision(p: Platform, actor: Actor, id: number): Promise<void> {
  await transition(p, actor, id, 'decision.submit', 'draft', 'submitted', (d) => {
    if (!mayDo(actor, 'decision.edit', d.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  }, async () => ({}));
}

/** Submitted → draft, with the approver's reason (退回修改). */
export async function returnDecision(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  const why = cleanText(reason ?? '').trim();
  await transition(p, actor, id, 'decision.return', 'submitted', 'draft', (d) => {
    if (!mayDo(actor, 'decision.approve', d.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
    if (!why) throw validationError({ reason: 'err.field.required' });
    if (why.length > 1000) throw validationError({ reason: 'err.field.too_long' });
  }, async () => ({ reason: why }));
}

/** Deletes a draft (entered by mistake); its clock is stopped. */
export async function deleteDecision(p: Platform, actor: Actor, id: number): Promise<void> {
  const cur = await getDecision(p.db, id);
  if (!cur || (typeof actor !== 'string' && !can(actor, 'enforcement.read', { departmentId: cur.department_id }))) throw notFound();
  if (!mayDo(actor, 'decision.edit', cur.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    const d = (await t.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst())!;
    if (d.status !== 'draft') throw conflict('enforcement.decision.err.not_draft', undefined, { status: `enforcement.status.${d.status}` });
    await t.deleteFrom('enf_decisions').where('id', '=', id).execute();
    await stopClock(p, t, SUBJECT_DECISION, id, '决定草稿已删除', undefined, actorName(actor));
    await p.audit(t, { actor: actorName(actor), action: 'decision.delete', entity: 'enf_decision', entityId: id, details: { kind: d.kind, docNo: d.doc_no } });
  });
}

/** A stored decision under the API's names (the form's values, the staff view). */
export function inputOfRow(d: DecisionRow): Required<DecisionInput> & { category: string[] } {
  return {
    kind: d.kind,
    departmentId: d.department_id,
    docNo: d.doc_no,
    subjectType: d.subject_type,
    subjectName: d.subject_name,
    creditCode: d.credit_code,
    legalRep: d.legal_rep,
    address: d.address,
    idNumber: d.id_number,
    facts: d.facts,
    category: d.category.split(',').filter(Boolean),
    basis: d.basis,
    content: d.content,
    result: d.result,
    licenceName: d.licence_name,
    licenceNo: d.licence_no,
    validFrom: d.valid_from,
    validTo: d.valid_to,
    decisionDate: d.decision_date,
    domain: d.domain,
    severity: d.severity,
  };
}

/** The public text of a decision (the spine payload): natural persons masked, no ID number. */
export function publicData(row: DecisionRow, department: string, domainName: string): DecisionData {
  const { departmentId: _d, idNumber: _i, ...v } = inputOfRow(row);
  return maskedDecision({ ...v, kind: row.kind as DecisionKind, domainName, displayUntil: row.display_until ?? '', department });
}

export interface ApproveResult {
  status: 'published' | 'not-shown' | 'ended';
  itemId: number | null;
  indexNo: string | null;
  displayMinUntil: string | null;
  displayUntil: string | null;
}

/**
 * Approves a submitted decision (by a holder of `decision.approve` on its department who is not its
 * author: 409 otherwise). A minor penalty becomes 'not-shown' (its clock stopped); any other is
 * published through the spine with its display period and its clock completed. One whose display
 * period is already over when approved (entered late) is recorded as ended ('expired'), unpublished.
 */
export async function approveDecision(p: Platform, actor: Actor, id: number): Promise<ApproveResult> {
  const cur = await getDecision(p.db, id);
  if (!cur || (typeof actor !== 'string' && !can(actor, 'enforcement.read', { departmentId: cur.department_id }))) throw notFound();
  if (!mayDo(actor, 'decision.approve', cur.department_id)) throw forbidden('enforcement.decision.err.not_your_department');
  if (cur.author_id === authorOf(actor) && typeof actor !== 'string') throw conflict('enforcement.decision.err.own');
  const domains = await domainOptions(p.db);
  await ensureCalendar(p.db);
  const today = todayShanghai();
  const out = await p.tx(async (t): Promise<ApproveResult> => {
    const d = (await t.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirst())!;
    if (d.status !== 'submitted') throw conflict('enforcement.decision.err.not_submitted', undefined, { status: `enforcement.status.${d.status}` });
    const period = displayPeriod(d.kind as DecisionKind, d.severity as Severity | '', d.decision_date);
    const now = new Date().toISOString();
    const who = actorName(actor);
    const base = { approver_id: authorOf(actor), updated_at: now };
    if (!period) {
      await t.updateTable('enf_decisions').set({ ...base, status: 'not-shown' }).where('id', '=', id).execute();
      await stopClock(p, t, SUBJECT_DECISION, id, '轻微违法行为的行政处罚决定不予公示', undefined, who);
      await p.audit(t, { actor: who, action: 'decision.approve', entity: 'enf_decision', entityId: id, details: { docNo: d.doc_no, status: 'not-shown', severity: d.severity } });
      return { status: 'not-shown', itemId: null, indexNo: null, displayMinUntil: null, displayUntil: null };
    }
    if (period.until < today) {
      await t.updateTable('enf_decisions').set({ ...base, status: 'ended', end_reason: 'expired', end_note: '审核时公示期限已届满，未公示', ended_at: now, display_min_until: period.minUntil, display_until: period.until }).where('id', '=', id).execute();
      await completeClock(p, t, SUBJECT_DECISION, id, ruleOf(d.kind), who);
      await p.audit(t, { actor: who, action: 'decision.approve', entity: 'enf_decision', entityId: id, details: { docNo: d.doc_no, status: 'ended', displayUntil: period.until } });
      return { status: 'ended', itemId: null, indexNo: null, displayMinUntil: period.minUntil, displayUntil: period.until };
    }
    const dept = await t.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirstOrThrow();
    const shown = { ...d, display_min_until: period.minUntil, display_until: period.until };
    const item = await publishApproved(p, t, actor, approvedItem(shown, dept.name, domains));
    await t.updateTable('enf_decisions').set({ ...base, status: 'published', pub_item_id: item.id, published_at: now, display_min_until: period.minUntil, display_until: period.until }).where('id', '=', id).execute();
    await completeClock(p, t, SUBJECT_DECISION, id, ruleOf(d.kind), who);
    await p.audit(t, { actor: who, action: 'decision.approve', entity: 'enf_decision', entityId: id, details: { docNo: d.doc_no, status: 'published', itemId: item.id, indexNo: item.indexNo, displayUntil: period.until } });
    return { status: 'published', itemId: item.id, indexNo: item.indexNo, displayMinUntil: period.minUntil, displayUntil: period.until };
  });
  if (out.itemId) bumpGeneration();
  return out;
}

/** The spine item of a decision to be shown (its display period set). */
export function approvedItem(d: DecisionRow, department: string, domains: DomainOption[]) {
  const domainName = domains.find((x) => x.code === d.domain)?.zh ?? d.domain;
  const data = publicData(d, department, domainName);
  const kindName = translate('zh-CN', `enforcement.kind.${d.kind}`);
  return {
    type: itemTypeOf(d.kind),
    departmentId: d.department_id,
    meta: defaultMeta({
      title: `${data.subjectName}${kindName}决定`.slice(0, 300),
      docNo: d.doc_no,
      genre: '决定',
      topic: TOPIC[d.domain] ?? '0904',
      writtenAt: d.decision_date,
      formedAt: d.decision_date,
      keywords: [kindName, domainName],
      summary: `${data.subjectName}：${data.content}`.slice(0, 500),
    }),
    data,
  };
}
