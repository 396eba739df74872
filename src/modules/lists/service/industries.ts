// The industry picker: the GB/T 4754-2017 table with everyday aliases (table `industries`), and
// how a business owner's words become an industry — "开咖啡店需要什么许可" → H6232 咖啡馆服务.
// Used by the negative-list lookup and policy matching; staff edit the aliases in the console.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { badRequest, forbidden, notFound, validationError } from '../../../platform/errors.js';
import { getSetting, putSetting } from '../../../platform/settings/index.js';
import { normalize } from '../../../platform/search/normalize.js';
import { runs, segmenter } from '../../../platform/search/analysis.js';
import { INDUSTRY_CODE, type IndustryLevel } from './industry/table.js';
import '../schema.js';

export { INDUSTRY_CODE };

export interface Industry {
  code: string;
  level: IndustryLevel;
  parent: string | null;
  name: string;
  aliases: string[];
}

/** An industry with its ancestors (门类 first) for display: "住宿和餐饮业 › 餐饮业 › …". */
export interface IndustryView extends Industry {
  path: { code: string; name: string }[];
}

export interface Understood {
  industry: IndustryView | null;
  /** How the words were understood: an explicit code, or words matched against names and aliases. */
  by: 'code' | 'words' | null;
  /** Other industries the words may mean (best first). */
  alternatives: IndustryView[];
}

/** Setting bumped (a random value) by every alias edit, so every process reloads the table. */
const GENERATION = 'lists.industries.generation';
export const ALIAS_MAX = 40;
export const ALIAS_LENGTH = 20;

interface Entry {
  row: Industry;
  sort: number;
  /** Normalised name and aliases (word characters only). */
  terms: string[];
}

export class IndustryTable {
  readonly byCode = new Map<string, Entry>();
  readonly children = new Map<string | null, Industry[]>();
  constructor(readonly entries: Entry[]) {
    for (const e of entries) {
      this.byCode.set(e.row.code, e);
      const sibs = this.children.get(e.row.parent) ?? [];
      sibs.push(e.row);
      this.children.set(e.row.parent, sibs);
    }
  }

  get(code: string): Industry | null {
    return this.byCode.get(code.toUpperCase())?.row ?? null;
  }

  view(row: Industry): IndustryView {
    const path: { code: string; name: string }[] = [];
    for (let p = row.parent; p; p = this.byCode.get(p)?.row.parent ?? null) {
      const e = this.byCode.get(p);
      if (!e) break;
      path.unshift({ code: e.row.code, name: e.row.name });
    }
    return { ...row, aliases: [...row.aliases], path };
  }
}

/** Letters and digits only, normalised as search does (NFKC, lower case, simplified). */
export const squash = (s: string) => runs(normalize(s)).join('');

// Words of a question that say nothing about the industry.
const STOP = new Set(['我想', '我要', '想要', '一家', '一个', '开个', '开家', '开店', '需要', '什么', '哪些', '许可', '许可证', '执照', '办理', '手续', '可以', '能否', '能不能', '是否', '怎么', '如何', '经营', '从事', '申请', '开设', '开办', '准入', '要求', '条件', '自己', '个人', '公司', '企业']);

const cache = new WeakMap<Db, { generation: string; table: IndustryTable }>();

/** The industries table of this database (cached per process until an alias edit). */
export async function industryTable(db: Db): Promise<IndustryTable> {
  const generation = (await getSetting(db, GENERATION)) ?? '';
  const hit = cache.get(db);
  if (hit && hit.generation === generation) return hit.table;
  const rows = await db.selectFrom('industries').selectAll().orderBy('sort').execute();
  const table = new IndustryTable(
    rows.map((r) => {
      const aliases = JSON.parse(r.aliases) as string[];
      return { row: { code: r.code, level: r.level as IndustryLevel, parent: r.parent, name: r.name, aliases }, sort: r.sort, terms: [r.name, ...aliases].map(squash).filter(Boolean) };
    }),
  );
  cache.set(db, { generation, table });
  return table;
}

/** How well one industry's terms fit the squashed question q (0: not at all). */
function score(terms: string[], q: string, words: string[]): number {
  let best = 0;
  for (const t of terms) {
    if (t === q) return 100;
    if (t.length >= 2 && q.includes(t)) best = Math.max(best, 50 + 2 * t.length);
    else if (q.length >= 2 && t.includes(q)) best = Math.max(best, 30 + (10 * q.length) / t.length);
  }
  if (best) return best;
  // Words of a longer question found in a name or alias ("稀土" of 稀土开采 in 稀土金属矿采选).
  let w = 0;
  for (const word of words) if (terms.some((t) => t.includes(word))) w += 2 * word.length;
  return w ? 10 + w : 0;
}

/**
 * Understands a code ("H6232", "h62") or everyday words ("咖啡店", "开咖啡店需要什么许可"):
 * the best industry and the other likely ones. Bare digits are not a code (the letter is needed).
 */
export function understand(table: IndustryTable, raw: string): Understood {
  const text = raw.trim().slice(0, 100);
  const upper = text.toUpperCase().replace(/\s+/g, '');
  if (INDUSTRY_CODE.test(upper)) {
    const row = table.get(upper);
    return { industry: row ? table.view(row) : null, by: row ? 'code' : null, alternatives: [] };
  }
  const q = squash(text);
  if (!q || /^\d+$/.test(q)) return { industry: null, by: null, alternatives: [] };
  const words = q.length > 2 ? [...new Set(segmenter().cut(q, true))].filter((w) => w.length >= 2 && !STOP.has(w) && w !== q) : [];
  const scored: { e: Entry; s: number }[] = [];
  for (const e of table.entries) {
    const s = score(e.terms, q, words);
    if (s >= 14) scored.push({ e, s });
  }
  scored.sort((a, b) => b.s - a.s || a.e.sort - b.e.sort);
  if (!scored.length) return { industry: null, by: null, alternatives: [] };
  const top = scored[0].s;
  // An undivided 中类 and its one 小类 share a name: offer the name once.
  const names = new Set([scored[0].e.row.name]);
  const alternatives = scored
    .slice(1)
    .filter((x) => x.s >= Math.min(top, 50) * 0.6 && !names.has(x.e.row.name) && names.add(x.e.row.name))
    .slice(0, 5)
    .map((x) => table.view(x.e.row));
  return { industry: table.view(scored[0].e.row), by: 'words', alternatives };
}

/** Industries for the picker: matches for words or a code, else the children of `parent` (门类 when none). */
export function pick(table: IndustryTable, q: string, parent: string | null, limit = 50): IndustryView[] {
  const text = q.trim();
  if (!text) return (table.children.get(parent ? parent.toUpperCase() : null) ?? []).slice(0, limit).map((r) => table.view(r));
  const upper = text.toUpperCase().replace(/\s+/g, '');
  if (INDUSTRY_CODE.test(upper)) {
    const row = table.get(upper);
    return row ? [row, ...(table.children.get(row.code) ?? [])].slice(0, limit).map((r) => table.view(r)) : [];
  }
  const u = understand(table, text);
  if (!u.industry) return [];
  // Then every other industry whose name or alias holds the words, in the standard's order.
  const words = squash(text);
  const seen = new Set([u.industry.code, ...u.alternatives.map((a) => a.code)]);
  const more = words.length >= 2 ? table.entries.filter((e) => !seen.has(e.row.code) && e.terms.some((t) => t.includes(words))).map((e) => table.view(e.row)) : [];
  return [u.industry, ...u.alternatives, ...more].slice(0, limit);
}

/** The departments keeping the negative lists: whoever may edit there may edit the aliases. */
async function aliasDepartments(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('lists').select('department_id').where('type', 'in', ['market-access', 'foreign-investment']).execute();
  return [...new Set(rows.map((r) => r.department_id))];
}

/** May the user edit aliases? `industry.edit` in a department keeping a negative list (admins always). */
export async function mayEditAliases(db: Db, user: Principal): Promise<boolean> {
  if (scopeOf(user, 'industry.edit') === 'all') return true;
  return (await aliasDepartments(db)).some((d) => can(user, 'industry.edit', { departmentId: d }));
}

/** Checks and normalises a list of aliases: trimmed, distinct, 1–20 characters, at most 40. */
export function checkAliases(input: unknown): { aliases: string[]; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  if (!Array.isArray(input) || input.some((a) => typeof a !== 'string')) return { aliases: [], fields: { aliases: 'err.lists.format' } };
  const aliases = [...new Set((input as string[]).map((a) => a.normalize('NFC').trim()).filter(Boolean))];
  if (aliases.length > ALIAS_MAX) fields.aliases = 'err.lists.too_many_aliases';
  else if (aliases.some((a) => Array.from(a).length > ALIAS_LENGTH)) fields.aliases = 'err.lists.alias_too_long';
  else if (aliases.some((a) => /[\p{Cc}\p{Cf}<>]/u.test(a) || !squash(a))) fields.aliases = 'err.lists.alias_chars';
  return { aliases, fields };
}

/** Replaces the aliases of one industry (audited; every process reloads the table). */
export async function setAliases(p: Platform, actor: Principal, code: string, input: unknown): Promise<Industry> {
  const table = await industryTable(p.db);
  const row = INDUSTRY_CODE.test(code.toUpperCase()) ? table.get(code) : null;
  if (!row) throw notFound();
  if (!(await mayEditAliases(p.db, actor))) throw forbidden('err.lists.industry_rights');
  const { aliases, fields } = checkAliases(input);
  if (Object.keys(fields).length) throw validationError(fields);
  // One everyday word leads to one industry: a word another industry already has as an alias is
  // refused, naming that industry.
  for (const { row: other } of table.entries) {
    if (other.code === row.code) continue;
    const taken = aliases.find((a) => other.aliases.includes(a));
    if (taken) throw badRequest('err.validation', { aliases: 'err.lists.alias_taken' }, { alias: taken, code: other.code, name: other.name });
  }
  const who = `user:${actor.username}`;
  await p.tx(async (t) => {
    const cur = await t.selectFrom('industries').select('aliases').where('code', '=', row.code).executeTakeFirstOrThrow();
    await t.updateTable('industries').set({ aliases: JSON.stringify(aliases), updated_by: who, updated_at: new Date().toISOString() }).where('code', '=', row.code).execute();
    await putSetting(t, GENERATION, randomUUID());
    await p.audit(t, { actor: who, action: 'industry.aliases', entity: 'industry', entityId: row.code, details: { from: JSON.parse(cur.aliases), to: aliases } });
  });
  return { ...row, aliases };
}
