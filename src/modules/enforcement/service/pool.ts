// A task's target pool (the active entities its filter selects) and its sample size. The draw
// freezes the pool as it stands; the task pages show its size before the draw.
import type { Db } from '../../../platform/db/index.js';
import { industrySeed } from '../../lists/service/industry/table.js';
import '../schema.js';

/** Which entities a task inspects. An empty list means "any". */
export interface TargetFilter {
  /** GB/T 4754 codes, letter-prefixed ('F', 'F52', 'F5211'). */
  industries: string[];
  /** Area (街道/乡镇) names as the register writes them. */
  areas: string[];
  /** RISK_LEVELS codes. */
  risks: string[];
}

export type SampleKind = 'count' | 'ratio';

/** The number of targets to draw: a count as it is, a ratio (per mille) of the pool rounded up. */
export function sampleSize(kind: SampleKind, value: number, poolSize: number): number {
  return kind === 'ratio' ? Math.floor((poolSize * value + 999) / 1000) : value;
}

let table: { codes: Set<string>; sectionOf: Map<string, string>; divisions: Map<string, string[]> } | null = null;
function industries() {
  if (!table) {
    const codes = new Set<string>();
    const sectionOf = new Map<string, string>();
    const divisions = new Map<string, string[]>();
    for (const r of industrySeed()) {
      codes.add(r.code);
      if (r.level === 'division') {
        sectionOf.set(r.code.slice(1), r.code[0]);
        divisions.set(r.code[0], [...(divisions.get(r.code[0]) ?? []), r.code.slice(1)]);
      }
    }
    table = { codes, sectionOf, divisions };
  }
  return table;
}

/**
 * An industry code of the standard in its letter-prefixed form ('52' → 'F52', 'f5211' → 'F5211'),
 * or null when the standard has no such code.
 */
export function normaliseIndustry(raw: string): string | null {
  const s = String(raw ?? '').trim().toUpperCase();
  const t = industries();
  let code = s;
  if (/^\d{2,4}$/.test(s)) code = (t.sectionOf.get(s.slice(0, 2)) ?? '?') + s;
  return /^[A-T](\d{2,4})?$/.test(code) && t.codes.has(code) ? code : null;
}

/**
 * The prefixes of `enf_entities.industry` values a filter code covers. The register may hold a
 * code with its 门类 letter ('F5211') or without ('5211'); a 门类 covers its 大类 in both forms.
 */
export function industryPrefixes(code: string): string[] {
  const c = normaliseIndustry(code);
  if (!c) return [];
  if (c.length === 1) return [c, ...(industries().divisions.get(c) ?? [])];
  return [c, c.slice(1)];
}

/**
 * The active entities the filter selects, ordered by credit code in byte order (the order of the
 * draw's `targets`): only their id and credit code.
 */
export async function targetPool(db: Db, filter: TargetFilter): Promise<{ id: number; credit_code: string }[]> {
  let q = db.selectFrom('enf_entities').select(['id', 'credit_code']).where('active', '=', 1);
  if (filter.risks.length) q = q.where('risk', 'in', filter.risks);
  if (filter.areas.length) q = q.where('area', 'in', filter.areas);
  if (filter.industries.length) {
    // Prefixes are codes of the standard (letters and digits): nothing to escape in LIKE.
    const prefixes = [...new Set(filter.industries.flatMap(industryPrefixes))];
    // A filter naming only codes the standard lacks selects nothing (never "any").
    if (!prefixes.length) return [];
    q = q.where((eb) => eb.or(prefixes.map((x) => eb('industry', 'like', `${x}%`))));
  }
  const rows = await q.execute();
  // Byte order whatever the database's collation (credit codes are ASCII: code units = bytes).
  return rows.sort((a, b) => (a.credit_code < b.credit_code ? -1 : a.credit_code > b.credit_code ? 1 : 0));
}

/** The areas of the active entities (the task form's area picker), sorted. */
export async function distinctAreas(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('enf_entities').select('area').distinct().where('active', '=', 1).where('area', '!=', '').orderBy('area').limit(500).execute();
  return rows.map((r) => r.area);
}
