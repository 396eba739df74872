// The GB/T 4754-2017 table as rows: code with its 门类 letter ('H', 'H62', 'H623', 'H6232'),
// level, parent and name; plus the everyday aliases each class starts with (aliases.ts).
import { GBT4754_AC } from './gbt4754-ac.js';
import { GBT4754_DT } from './gbt4754-dt.js';
import { ALIASES } from './aliases.js';

/** 门类 (section), 大类 (division), 中类 (group), 小类 (class). */
export type IndustryLevel = 'section' | 'division' | 'group' | 'class';
export const LEVELS: IndustryLevel[] = ['section', 'division', 'group', 'class'];

export interface IndustryRow {
  code: string;
  level: IndustryLevel;
  parent: string | null;
  name: string;
  aliases: string[];
}

/** Letter-prefixed industry code: a 门类 letter, then 2, 3 or 4 digits. */
export const INDUSTRY_CODE = /^[A-T](\d{2,4})?$/;

export const levelOf = (code: string): IndustryLevel => LEVELS[code.length === 1 ? 0 : code.length - 2];
export const parentOf = (code: string): string | null => (code.length === 1 ? null : code.length === 3 ? code[0] : code.slice(0, -1));

/** Parses the table text; throws on a malformed line or an entry without its parent. */
export function parseTable(text: string): IndustryRow[] {
  const rows: IndustryRow[] = [];
  const byCode = new Map<string, IndustryRow>();
  let section = '';
  const add = (code: string, name: string) => {
    if (byCode.has(code)) throw new Error(`industry table: ${code} twice`);
    const parent = parentOf(code);
    if (parent && !byCode.has(parent)) throw new Error(`industry table: ${code} has no parent ${parent}`);
    const row: IndustryRow = { code, level: levelOf(code), parent, name, aliases: [] };
    rows.push(row);
    byCode.set(code, row);
  };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    for (const entry of line.split('|')) {
      const m = /^([A-T]|\d{2,4}) (\S+)$/.exec(entry.trim());
      if (!m) throw new Error(`industry table: malformed entry "${entry}"`);
      const [, raw, name] = m;
      if (/^[A-T]$/.test(raw)) {
        section = raw;
        add(raw, name);
        continue;
      }
      const code = section + raw;
      // An undivided 中类 appears only as its 小类 (…0): the 中类 has the same name.
      if (raw.length === 4 && !byCode.has(code.slice(0, -1)) && raw.endsWith('0')) add(code.slice(0, -1), name);
      add(code, name);
    }
  }
  return rows;
}

let cached: IndustryRow[] | null = null;

/** The whole table with the starting aliases (the seed of the industries table). */
export function industrySeed(): IndustryRow[] {
  if (!cached) {
    cached = parseTable(GBT4754_AC + GBT4754_DT);
    const byCode = new Map(cached.map((r) => [r.code, r]));
    for (const [code, words] of Object.entries(ALIASES)) {
      const row = byCode.get(code);
      if (!row) throw new Error(`industry aliases: unknown code ${code}`);
      row.aliases = [...new Set(words)];
    }
  }
  return cached.map((r) => ({ ...r, aliases: [...r.aliases] }));
}

let names: Map<string, string> | null = null;

/** "H62 餐饮业" for a code of the standard (the names never change; aliases do), else the code. */
export function industryLabel(code: string): string {
  names ??= new Map(parseTable(GBT4754_AC + GBT4754_DT).map((r) => [r.code, r.name]));
  const name = names.get(code.toUpperCase());
  return name ? `${code} ${name}` : code;
}
