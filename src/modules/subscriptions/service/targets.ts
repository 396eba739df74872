// Subscription targets and the match (ADR 0010 § 2). A target is a conjunction of facet values —
// department, 主题分类, genre, Art. 20 category, item type, one item — and optionally the keywords
// of a saved search. Its canonical key (`dept=3;type=document`) names one subscriber list; an
// item's facet values expand into every key that would match it, so matching a publication is an
// index lookup of those keys (a percolator: the queries are indexed, the item is the probe).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { findItemType } from '../../../platform/publication/registry.js';
import { readMeta } from '../../../platform/publication/meta.js';
import { normalize } from '../../../platform/search/normalize.js';
import { parseQuery } from '../../../platform/search/analysis.js';
import { validationError } from '../../../platform/errors.js';
import { followable } from '../../../platform/channels/announce.js';

/** Built-in facets; `appeal` is progress that is not published (announced by its module, followed
 *  with a proof such as the appeal's query code). */
export const FACETS = ['appeal', 'cat', 'dept', 'genre', 'item', 'topic', 'type'] as const;
export type Facet = (typeof FACETS)[number];
/** A target: the built-in facets, module facets of an item type (`x.domain`), keywords. */
export type Target = Partial<Record<Facet, string>> & { q?: string } & { [module: `x.${string}`]: string };
const MODULE_FACET = /^x\.[a-z][a-z0-9-]{0,19}$/;
const moduleKeys = (t: Record<string, unknown>) => Object.keys(t).filter((k) => MODULE_FACET.test(k)).sort() as `x.${string}`[];

export const MAX_TERMS = 8;

/** The canonical key of a target's facets: sorted `name=value` pairs joined by ';'. */
export function facetKey(t: Target): string {
  return [...FACETS.filter((f) => t[f] !== undefined && t[f] !== '').map((f) => `${f}=${t[f]}`), ...moduleKeys(t).map((k) => `${k}=${t[k]}`)].join(';');
}

/** A saved search's keywords as the site's search reads them (normalised terms), sorted, distinct. */
export function searchTerms(q: string | undefined): string[] {
  if (!q?.trim()) return [];
  return [...new Set(parseQuery(q).terms)].sort();
}

export function parseFacetKey(key: string): Target {
  const t: Target = {};
  for (const part of key ? key.split(';') : []) {
    const i = part.indexOf('=');
    (t as Record<string, string>)[part.slice(0, i)] = part.slice(i + 1);
  }
  return t;
}

/** Checks a target's values against what exists; 400 naming the field. Returns the normalised
 *  target and the department whose staff may see the list's subscribers. */
export async function checkTarget(db: Db, raw: Record<string, unknown>): Promise<{ target: Target; departmentId: number | null }> {
  const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const t: Target = {};
  const fields: Record<string, string> = {};
  let departmentId: number | null = null;
  if (s('dept')) {
    const d = /^\d{1,9}$/.test(s('dept')) ? await db.selectFrom('departments').select('id').where('id', '=', Number(s('dept'))).executeTakeFirst() : undefined;
    if (!d) fields.dept = 'subscriptions.err.dept';
    else (t.dept = String(d.id)), (departmentId = Number(d.id));
  }
  if (s('topic')) {
    if (!/^\d{2}(\d{2})?$/.test(s('topic'))) fields.topic = 'subscriptions.err.topic';
    else t.topic = s('topic');
  }
  if (s('genre')) {
    if (s('genre').length > 20 || /[;=]/.test(s('genre'))) fields.genre = 'subscriptions.err.genre';
    else t.genre = s('genre');
  }
  if (s('type')) {
    if (!findItemType(s('type'))) fields.type = 'subscriptions.err.type';
    else t.type = s('type');
  }
  if (s('cat')) {
    if (!/^[a-z0-9-]{1,20}$/.test(s('cat'))) fields.cat = 'subscriptions.err.cat';
    else t.cat = s('cat');
  }
  if (s('item')) {
    const it = /^\d{1,9}$/.test(s('item')) ? await db.selectFrom('pub_items').select(['id', 'department_id']).where('id', '=', Number(s('item'))).where('public', '=', 1).executeTakeFirst() : undefined;
    if (!it) fields.item = 'subscriptions.err.item';
    else (t.item = String(it.id)), (departmentId ??= Number(it.department_id));
  }
  if (s('q')) {
    const terms = searchTerms(s('q'));
    if (s('q').length > 100 || !terms.length) fields.q = 'subscriptions.err.q';
    else if (terms.length > MAX_TERMS) fields.q = 'subscriptions.err.q_terms';
    else t.q = terms.join(' ');
  }
  if (s('appeal')) {
    // Following an appeal's handling needs its query code (only the citizen who filed it has it).
    const f = followable('appeal');
    const ok = f && /^[A-Za-z0-9-]{4,20}$/.test(s('appeal')) ? await f.verify(db, s('appeal'), s('code')) : null;
    if (!ok) fields.appeal = 'subscriptions.err.appeal';
    else (t.appeal = s('appeal').toUpperCase()), (departmentId = ok.departmentId);
  }
  // A module's facet (e.g. x.domain of penalty decisions) needs its type, which declares it.
  const keys = Object.keys(raw).filter((k) => k.startsWith('x.') && typeof raw[k] === 'string' && (raw[k] as string).trim());
  for (const k of keys.slice(0, 4)) {
    const name = k.slice(2);
    const v = s(k);
    const it = t.type ? findItemType(t.type) : null;
    if (!MODULE_FACET.test(k) || !it?.facets?.names.includes(name) || !/^[\w.-]{1,40}$/.test(v) || it.facets.label(name, v, (x) => x) === null) fields[k] = 'subscriptions.err.facet';
    else (t as Record<string, string>)[k] = v;
  }
  if (keys.length > 4) fields[keys[4]!] = 'subscriptions.err.facet';
  if (t.item && Object.keys(t).length > 1) fields.item = 'subscriptions.err.item_alone';
  if (t.appeal && Object.keys(t).length > 1) fields.appeal = 'subscriptions.err.item_alone';
  if (Object.keys(fields).length) throw validationError(fields);
  return { target: t, departmentId };
}

/** The subscriber list of a target, created on first use. */
export async function ensureList(t: Db, target: Target, departmentId: number | null): Promise<number> {
  const key = facetKey(target);
  const terms = target.q ? target.q.split(' ') : [];
  const termsKey = terms.join(' ');
  const found = await t.selectFrom('sub_lists').select('id').where('facet_key', '=', key).where('terms_key', '=', termsKey).executeTakeFirst();
  if (found) return Number(found.id);
  const row = await t
    .insertInto('sub_lists')
    .values({ facet_key: key, terms_key: termsKey, n_terms: terms.length, department_id: departmentId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['facet_key', 'terms_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const id = row ? Number(row.id) : Number((await t.selectFrom('sub_lists').select('id').where('facet_key', '=', key).where('terms_key', '=', termsKey).executeTakeFirstOrThrow()).id);
  if (row && terms.length) await t.insertInto('sub_list_terms').values(terms.map((token) => ({ list_id: id, token }))).execute();
  return id;
}

export interface ItemProbe {
  id: number;
  type: string;
  departmentId: number;
  /** Every key the item matches (all conjunctions of its facet values, and item=<id>). */
  keys: string[];
  /** The item's normalised text (title, metadata, body) for saved searches. */
  text: string;
}

/** The item's facet values and text, read from its published version (or `version`). */
export async function probeOf(db: Db, itemId: number, version: number): Promise<ItemProbe | null> {
  const it = await db.selectFrom('pub_items').select(['id', 'type', 'department_id', 'topic', 'genre', 'category']).where('id', '=', itemId).executeTakeFirst();
  if (!it) return null;
  const v = await db.selectFrom('pub_versions').select(['meta', 'data']).where('item_id', '=', itemId).where('version', '=', version).executeTakeFirst();
  const depts: string[] = [];
  for (let d: number | null = Number(it.department_id), n = 0; d !== null && n < 6; n++) {
    depts.push(String(d));
    d = (await db.selectFrom('departments').select('parent_id').where('id', '=', d).executeTakeFirst())?.parent_id ?? null;
  }
  const values: Record<Facet, string[]> = {
    appeal: [],
    cat: it.category ? [it.category] : [],
    dept: depts,
    genre: it.genre ? [it.genre] : [],
    item: [],
    topic: it.topic ? [...new Set([it.topic, it.topic.slice(0, 2)])] : [],
    type: [it.type],
  };
  // The type's own facets (x.<name>), from the version's payload.
  const type = findItemType(it.type);
  const extra: Record<string, string[]> = {};
  if (v && type?.facets) {
    try {
      for (const [name, vals] of Object.entries(type.facets.values(JSON.parse(v.data), readMeta(v.meta)))) if (type.facets.names.includes(name)) extra[`x.${name}`] = [...new Set(vals.filter((x) => typeof x === 'string' && x))].slice(0, 5);
    } catch {
      // a payload the type cannot read gives no module facets
    }
  }
  // Every conjunction: for each facet, none or one of its values (built-in facets first, in
  // FACETS order, then module facets by name — the order facetKey writes them).
  let keys: string[][] = [[]];
  for (const f of FACETS) keys = keys.flatMap((k) => [k, ...values[f].map((x) => [...k, `${f}=${x}`])]);
  for (const f of Object.keys(extra).sort()) keys = keys.flatMap((k) => [k, ...extra[f]!.map((x) => [...k, `${f}=${x}`])]);
  const all = keys.map((k) => k.join(';'));
  all.push(`item=${itemId}`);
  let text = '';
  if (v) {
    const meta = readMeta(v.meta);
    let body = '';
    try {
      body = type ? await type.searchText(JSON.parse(v.data), meta, db) : '';
    } catch {
      body = '';
    }
    text = normalize([meta.title, meta.docNo, meta.keywords.join(' '), meta.summary, body].join('\n'));
  }
  return { id: itemId, type: it.type, departmentId: Number(it.department_id), keys: all, text };
}

/** The subscriber lists an item matches: lists of its facet keys without keywords, and saved
 *  searches (with those keys) whose every keyword is in the item's text. */
export async function matchLists(db: Db, probe: ItemProbe, opts: { itemOnly?: boolean } = {}): Promise<number[]> {
  const keys = opts.itemOnly ? [`item=${probe.id}`] : probe.keys;
  const ids = new Set<number>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db.selectFrom('sub_lists').select('id').where('facet_key', 'in', keys.slice(i, i + 500)).where('n_terms', '=', 0).execute();
    for (const r of rows) ids.add(Number(r.id));
  }
  if (opts.itemOnly || !probe.text) return [...ids];
  // Saved searches: the vocabulary of every saved search is small; the terms the item contains
  // pick the lists that have all their terms among them.
  const vocab = await db.selectFrom('sub_list_terms').select('token').distinct().execute();
  const present = vocab.map((r) => r.token).filter((tok) => probe.text.includes(tok));
  const counts = new Map<number, { n: number; need: number; key: string }>();
  for (let i = 0; i < present.length; i += 500) {
    const rows = await db
      .selectFrom('sub_list_terms as lt')
      .innerJoin('sub_lists as l', 'l.id', 'lt.list_id')
      .select(['l.id', 'l.facet_key', 'l.n_terms', sql<number>`count(*)`.as('n')])
      .where('lt.token', 'in', present.slice(i, i + 500))
      .groupBy(['l.id', 'l.facet_key', 'l.n_terms'])
      .execute();
    for (const r of rows) {
      const c = counts.get(Number(r.id)) ?? { n: 0, need: Number(r.n_terms), key: r.facet_key };
      c.n += Number(r.n);
      counts.set(Number(r.id), c);
    }
  }
  const keySet = new Set(probe.keys);
  for (const [id, c] of counts) if (c.n === c.need && keySet.has(c.key)) ids.add(id);
  return [...ids];
}
