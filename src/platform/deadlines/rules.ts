// The rule catalogue: versioned time-limit rules (unit, amount, extensions, pausable, legal basis).
// Saving a rule adds a version; running clocks keep the version they started under.
import type { Db } from '../db/index.js';
import type { Platform } from '../platform.js';
import { badRequest } from '../errors.js';
import type { ClockKind, DeadlineRuleTable, RuleUnit, SeedRule } from './schema.js';

export const RULE_UNITS: readonly RuleUnit[] = ['workdays', 'days', 'months', 'hours'];
export const CLOCK_KINDS: readonly ClockKind[] = ['limit', 'minimum'];
/** Largest amount per unit (rules, a clock's own amount). */
export const MAX_AMOUNT: Record<RuleUnit, number> = { workdays: 3650, days: 3650, months: 120, hours: 8760 };

export interface RuleView {
  id: number;
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  unit: RuleUnit;
  amount: number;
  kind: ClockKind;
  maxExtensions: number;
  extensionLimit: number;
  pausable: boolean;
  legalBasis: string;
  note: string;
  createdAt: string;
  createdBy: string;
}

function ruleView(r: DeadlineRuleTable & { id: number }): RuleView {
  return {
    id: r.id,
    code: r.code,
    version: Number(r.version),
    nameZh: r.name_zh,
    nameEn: r.name_en,
    unit: r.unit,
    amount: Number(r.amount),
    kind: r.kind === 'minimum' ? 'minimum' : 'limit',
    maxExtensions: Number(r.max_extensions),
    extensionLimit: Number(r.extension_limit),
    pausable: !!Number(r.pausable),
    legalBasis: r.legal_basis,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** The current (latest) version of a rule, or a given version. */
export async function getRule(db: Db, code: string, version?: number): Promise<RuleView | null> {
  let q = db.selectFrom('deadline_rules').selectAll().where('code', '=', code);
  q = version !== undefined ? q.where('version', '=', version) : q.orderBy('version', 'desc').limit(1);
  const r = await q.executeTakeFirst();
  return r ? ruleView(r as any) : null;
}

/** The catalogue: the current version of every rule. */
export async function listRules(db: Db): Promise<RuleView[]> {
  const rows = await db.selectFrom('deadline_rules').selectAll().orderBy('code').orderBy('version', 'desc').execute();
  const seen = new Set<string>();
  const out: RuleView[] = [];
  for (const r of rows) {
    if (seen.has(r.code)) continue;
    seen.add(r.code);
    out.push(ruleView(r as any));
  }
  return out;
}

export async function ruleVersions(db: Db, code: string): Promise<RuleView[]> {
  const rows = await db.selectFrom('deadline_rules').selectAll().where('code', '=', code).orderBy('version', 'desc').execute();
  return rows.map((r) => ruleView(r as any));
}

/** A rule as admins edit it: the seed fields plus an optional note. */
export type RuleInput = SeedRule & { note?: string };

export function checkRule(input: RuleInput): Record<string, string> {
  const f: Record<string, string> = {};
  if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(input.code ?? '') || input.code.length > 60) f.code = 'deadlines.err.code';
  if (!input.nameZh?.trim()) f.nameZh = 'err.field.required';
  if (!RULE_UNITS.includes(input.unit)) f.unit = 'err.field.enum_generic';
  if (input.kind !== undefined && !CLOCK_KINDS.includes(input.kind)) f.kind = 'err.field.enum_generic';
  const max = MAX_AMOUNT[input.unit] ?? 3650;
  if (!Number.isInteger(input.amount) || input.amount < 0 || input.amount > max) f.amount = 'deadlines.err.amount';
  if (!Number.isInteger(input.maxExtensions) || input.maxExtensions < 0 || input.maxExtensions > 10) f.maxExtensions = 'deadlines.err.amount';
  if (!Number.isInteger(input.extensionLimit) || input.extensionLimit < 0 || input.extensionLimit > 3650) f.extensionLimit = 'deadlines.err.amount';
  if (!input.legalBasis?.trim()) f.legalBasis = 'err.field.required';
  return f;
}

/** Saves a rule as a new version (a new code starts at version 1). Running clocks keep the version they started under. */
export async function saveRule(p: Platform, t: Db, input: RuleInput, actor: string): Promise<RuleView> {
  const fields = checkRule(input);
  if (Object.keys(fields).length) throw badRequest('err.validation', fields);
  const cur = await getRule(t, input.code);
  const row = await t
    .insertInto('deadline_rules')
    .values({
      code: input.code,
      version: (cur?.version ?? 0) + 1,
      name_zh: input.nameZh.trim(),
      name_en: (input.nameEn ?? '').trim() || input.nameZh.trim(),
      unit: input.unit,
      amount: input.amount,
      kind: input.kind ?? 'limit',
      max_extensions: input.maxExtensions,
      extension_limit: input.extensionLimit,
      pausable: input.pausable ? 1 : 0,
      legal_basis: input.legalBasis.trim(),
      note: (input.note ?? '').trim(),
      created_at: new Date().toISOString(),
      created_by: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const v = ruleView(row as any);
  await p.audit(t, { actor, action: 'deadline_rule.save', entity: 'deadline_rule', entityId: `${v.code}@${v.version}`, details: { ...input, version: v.version, previous: cur?.version ?? null } });
  return v;
}
