// The checks of one register record (`checkEntity`, `checkInspector`), the same for a form, the
// API and every row of an import (service/imports.ts): what people type (codes, labels, the
// registers' words) becomes the stored codes, and each problem is a message key with its
// parameters, on its field. Also the departments a write is recorded for.
import type { Db } from '../../../platform/db/index.js';
import { can, grantedDepartments, type Principal } from '../../../platform/auth/policy.js';
import { forbidden, HttpError } from '../../../platform/errors.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { industrySeed, industryLabel } from '../../lists/service/industry/table.js';
import { INSPECTION_FIELDS, RISK_LEVELS, type InspectionField } from './codes.js';
import { checkUscc, normalizeUscc } from './uscc.js';
import type { EntityTable } from '../schema.js';

// ---- problems --------------------------------------------------------------------------------

/** One thing wrong with one field: a message key and its parameters. */
export interface Problem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** A 400 naming every field, which keeps each problem with its own parameters (forms show them one by one). */
export class RegisterInvalid extends HttpError {
  constructor(readonly problems: Problem[]) {
    super(400, 'validation', 'err.validation', Object.fromEntries(problems.map((x) => [x.field, x.key])), Object.assign({}, ...problems.map((x) => x.params ?? {})));
  }
}

export const invalid = (field: string, key: string, params?: Problem['params']) => new RegisterInvalid([{ field, key, params }]);

// ---- coded values ----------------------------------------------------------------------------

export const LIMITS = { name: 200, address: 200, legalRep: 50, area: 50, reason: 200, phone: 20, certNo: 32 } as const;

/** Text as typed: NFC, no surrounding or repeated white space. */
export const clean = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v)).normalize('NFC').replace(/\s+/g, ' ').trim();

/** A loose key for matching what people type against labels: NFKC, lower case, no spaces. */
export const loose = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[\s_\-]/g, '');

let industries: { codes: Map<string, string>; byDigits: Map<string, string>; byName: Map<string, string> } | null = null;
function industryTable() {
  if (!industries) {
    const codes = new Map<string, string>();
    const byDigits = new Map<string, string>();
    const byName = new Map<string, string>();
    for (const r of industrySeed()) {
      codes.set(r.code, r.name);
      if (r.code.length > 1) byDigits.set(r.code.slice(1), r.code);
      // A name shared by an undivided group and its class: the class (the longer code) wins.
      const prev = byName.get(r.name);
      if (!prev || prev.length < r.code.length) byName.set(r.name, r.code);
    }
    industries = { codes, byDigits, byName };
  }
  return industries;
}

/**
 * A GB/T 4754-2017 industry as stored: the 门类 letter with the division, group or class digits
 * ('F', 'F52', 'F523', 'F5231'). People may type the digits alone (divisions are numbered across
 * sections), the code followed by its name ('H6232 咖啡馆服务'), or the exact name. Null: unknown.
 */
export function normalizeIndustry(raw: string): string | null {
  const s = clean(raw).normalize('NFKC');
  if (!s) return null;
  const { codes, byDigits, byName } = industryTable();
  const head = /^([A-Za-z]?\d{2,4}|[A-Za-z])(?=$|[\s:：、,，])/.exec(s)?.[1]?.toUpperCase();
  if (head) return /^\d/.test(head) ? (byDigits.get(head) ?? null) : codes.has(head) ? head : null;
  return byName.get(s) ?? null;
}

/** "H62 餐饮业" (the names are the standard's, in Chinese). */
export const industryName = (code: string): string => industryLabel(code);

const RISK_WORDS: Record<string, (typeof RISK_LEVELS)[number]> = { 低: 'low', 低风险: 'low', l: 'low', 中: 'medium', 中风险: 'medium', 一般: 'medium', m: 'medium', 高: 'high', 高风险: 'high', h: 'high', lowrisk: 'low', mediumrisk: 'medium', highrisk: 'high' };

/** A risk level from its code, a letter or its Chinese or English label. */
export function normalizeRisk(raw: string): (typeof RISK_LEVELS)[number] | null {
  const k = loose(clean(raw));
  if ((RISK_LEVELS as readonly string[]).includes(k)) return k as (typeof RISK_LEVELS)[number];
  return RISK_WORDS[k] ?? null;
}

let fieldWords: Map<string, InspectionField> | null = null;
/** A field of competence from its code or its Chinese or English label ('市场监管', 'Food safety'). */
export function normalizeField(raw: string): InspectionField | null {
  if (!fieldWords) {
    fieldWords = new Map();
    for (const f of INSPECTION_FIELDS) {
      fieldWords.set(loose(f), f);
      for (const locale of ['zh-CN', 'en'] as const) fieldWords.set(loose(translate(locale, `enforcement.field.${f}`)), f);
    }
  }
  return fieldWords.get(loose(clean(raw))) ?? null;
}

/** Several fields, as a list or as text separated by 、，；/ or spaces. */
export function splitFields(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.map(clean) : clean(raw).split(/[;；,，、/|\s]+/);
  return list.filter(Boolean);
}

const ACTIVE_WORDS: Record<string, number> = { 1: 1, true: 1, yes: 1, active: 1, 是: 1, 在营: 1, 存续: 1, 开业: 1, 正常: 1, 在册: 1, 在岗: 1, 在职: 1, 有效: 1, 0: 0, false: 0, no: 0, inactive: 0, 否: 0, 注销: 0, 吊销: 0, 撤销: 0, 停业: 0, 歇业: 0, 离岗: 0, 调离: 0, 停用: 0, 无效: 0 };
/** Active or not, from 1/0, yes/no or the registers' words (在营, 注销, 吊销, 在岗, 离岗 …); undefined: not understood. */
export function normalizeActive(raw: unknown): number | undefined {
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number') return raw ? 1 : 0;
  return ACTIVE_WORDS[loose(clean(raw))];
}

const CERT_NO = /^[0-9A-Z][0-9A-Z-]{2,31}$/;
const PHONE = /^[0-9+][0-9 ()+\-]{4,19}$/;

// ---- one record ------------------------------------------------------------------------------

/** An entity as written; `active` undefined: not given (an import keeps an existing entity's status, a new one is active). */
export type EntityValue = Pick<EntityTable, 'credit_code' | 'name' | 'address' | 'legal_rep' | 'industry' | 'risk' | 'area'> & { active?: number };

/** What a form, the API or a row of an import gives for an entity. */
export type EntityRaw = Partial<Record<'creditCode' | 'name' | 'address' | 'legalRep' | 'industry' | 'risk' | 'area' | 'active', unknown>>;

export function text(problems: Problem[], raw: unknown, field: string, max: number, required: boolean): string {
  const v = clean(raw);
  if (!v && required) problems.push({ field, key: 'err.field.required' });
  else if ([...v].length > max) problems.push({ field, key: 'err.field.maxLength', params: { limit: max } });
  return v;
}

/** Checks an entity; `problems` is empty when `value` may be written. */
export function checkEntity(raw: EntityRaw): { value: EntityValue; problems: Problem[] } {
  const problems: Problem[] = [];
  const uscc = checkUscc(clean(raw.creditCode));
  if (!uscc.ok) problems.push({ field: 'creditCode', key: uscc.key, params: uscc.params });
  const industryRaw = clean(raw.industry);
  const industry = normalizeIndustry(industryRaw);
  if (!industryRaw) problems.push({ field: 'industry', key: 'err.field.required' });
  else if (!industry) problems.push({ field: 'industry', key: 'enforcement.err.industry', params: { value: industryRaw.slice(0, 40) } });
  const riskRaw = clean(raw.risk);
  const risk = normalizeRisk(riskRaw);
  if (!riskRaw) problems.push({ field: 'risk', key: 'err.field.required' });
  else if (!risk) problems.push({ field: 'risk', key: 'enforcement.err.risk', params: { value: riskRaw.slice(0, 20) } });
  let active: number | undefined;
  if (raw.active !== undefined && raw.active !== null && clean(raw.active) !== '') {
    active = normalizeActive(raw.active);
    if (active === undefined) problems.push({ field: 'active', key: 'enforcement.err.entity_active', params: { value: clean(raw.active).slice(0, 20) } });
  }
  const value: EntityValue = {
    credit_code: uscc.ok ? uscc.code : normalizeUscc(clean(raw.creditCode)),
    name: text(problems, raw.name, 'name', LIMITS.name, true),
    address: text(problems, raw.address, 'address', LIMITS.address, true),
    legal_rep: text(problems, raw.legalRep, 'legalRep', LIMITS.legalRep, false),
    industry: industry ?? '',
    risk: risk ?? '',
    area: text(problems, raw.area, 'area', LIMITS.area, true),
    ...(active === undefined ? {} : { active }),
  };
  return { value, problems };
}

export interface InspectorValue {
  cert_no: string;
  name: string;
  /** The department's code as given (resolved by the caller). */
  department: string;
  fields: InspectionField[];
  phone: string;
  active?: number;
}

export type InspectorRaw = Partial<Record<'certNo' | 'name' | 'department' | 'fields' | 'phone' | 'active', unknown>>;

/** Checks an inspector (the department is resolved and checked by the caller). */
export function checkInspector(raw: InspectorRaw): { value: InspectorValue; problems: Problem[] } {
  const problems: Problem[] = [];
  const certNo = clean(raw.certNo).normalize('NFKC').replace(/\s/g, '').toUpperCase();
  if (!certNo) problems.push({ field: 'certNo', key: 'err.field.required' });
  else if (!CERT_NO.test(certNo)) problems.push({ field: 'certNo', key: 'enforcement.err.cert_no' });
  const fields: InspectionField[] = [];
  const words = splitFields(raw.fields);
  for (const w of words) {
    const f = normalizeField(w);
    if (!f) problems.push({ field: 'fields', key: 'enforcement.err.field_unknown', params: { value: w.slice(0, 20) } });
    else if (!fields.includes(f)) fields.push(f);
  }
  if (!words.length) problems.push({ field: 'fields', key: 'err.field.required' });
  const phone = clean(raw.phone).normalize('NFKC');
  if (phone && !PHONE.test(phone)) problems.push({ field: 'phone', key: 'enforcement.err.phone' });
  let active: number | undefined;
  if (raw.active !== undefined && raw.active !== null && clean(raw.active) !== '') {
    active = normalizeActive(raw.active);
    if (active === undefined) problems.push({ field: 'active', key: 'enforcement.err.inspector_active', params: { value: clean(raw.active).slice(0, 20) } });
  }
  return {
    value: { cert_no: certNo, name: text(problems, raw.name, 'name', LIMITS.name, true), department: clean(raw.department), fields: INSPECTION_FIELDS.filter((f) => fields.includes(f)), phone, ...(active === undefined ? {} : { active }) },
    problems,
  };
}

// ---- departments -----------------------------------------------------------------------------

export interface DeptRef {
  id: number;
  code: string;
  name: string;
}

export async function activeDepartments(db: Db): Promise<DeptRef[]> {
  return db.selectFrom('departments').select(['id', 'code', 'name']).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
}

/** A department by its code or its exact name (imports name them either way). */
export function findDepartment(depts: DeptRef[], raw: string): DeptRef | null {
  const s = clean(raw);
  return depts.find((d) => d.code === s) ?? depts.find((d) => d.name === s) ?? null;
}

/**
 * The department a write to the registers is recorded for: the one asked for (the caller must
 * hold `enforcement.register` there), else the caller's own when they hold it there, else the
 * first where they do. 403 when nowhere.
 */
export function writerDepartment(actor: Principal, depts: DeptRef[], asked?: string): DeptRef {
  if (asked) {
    const d = findDepartment(depts, asked);
    if (!d) throw invalid('department', 'enforcement.err.department');
    if (!can(actor, 'enforcement.register', { departmentId: d.id })) throw forbidden('enforcement.err.not_your_register');
    return d;
  }
  const own = depts.find((d) => d.id === actor.departmentId);
  if (own && can(actor, 'enforcement.register', { departmentId: own.id })) return own;
  const granted = grantedDepartments(actor, 'enforcement.register');
  const first = depts.find((d) => granted.has(d.id));
  if (!first) throw forbidden('enforcement.err.not_your_register');
  return first;
}
