// Turning candidates into a result page: the two scoring stages, highlighted snippets, facet
// counts, and the filters of a query (both implementations use the same).
import { facetLabel } from '../publication/indexable.js';
import { normalize, normalizeWithMap } from './normalize.js';
import { FACETS, type FacetName, type FacetValue, type SearchFilters, type SearchQuery } from './types.js';
import type { DocMeta, FacetRow } from './prepare.js';

const VALIDITY_LABEL: Record<string, string> = { valid: '有效', expired: '失效', repealed: '废止' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Marks every occurrence of the terms in `text` (matching on normalised text), escaped HTML. */
export function highlight(text: string, terms: string[], window?: number, normalized?: string): string {
  if (!text) return '';
  // Usually normalisation keeps every position (one character for one); map only when not.
  let norm = normalized ?? normalize(text);
  let map: ArrayLike<number> | null = null;
  if (norm.length !== text.length) ({ norm, map } = normalizeWithMap(text));
  const at = (i: number) => (map ? map[i] : i);
  const spans: [number, number][] = [];
  for (const t of terms) {
    if (!t) continue;
    let i = norm.indexOf(t);
    while (i >= 0) {
      spans.push([at(i), at(i + t.length)]);
      i = norm.indexOf(t, i + t.length);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let from = 0;
  let to = text.length;
  if (window !== undefined && text.length > window) {
    const first = merged[0]?.[0] ?? 0;
    from = Math.max(0, first - Math.floor(window / 3));
    to = Math.min(text.length, from + window);
    from = Math.max(0, to - window);
  }
  let out = from > 0 ? '…' : '';
  let pos = from;
  for (const [a, b] of merged) {
    if (b <= from || a >= to) continue;
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    out += escapeHtml(text.slice(pos, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    pos = e;
  }
  out += escapeHtml(text.slice(pos, to)) + (to < text.length ? '…' : '');
  return out;
}

export function emptyFacets(): Record<FacetName, FacetValue[]> {
  return { type: [], department: [], topic: [], genre: [], year: [], validity: [] };
}

export function facetCounts(rows: FacetRow[], scale = 1): Record<FacetName, FacetValue[]> {
  const maps: Record<FacetName, Map<string, FacetValue>> = { type: new Map(), department: new Map(), topic: new Map(), genre: new Map(), year: new Map(), validity: new Map() };
  const add = (f: FacetName, value: string | number | null, label: string) => {
    if (value === null || value === undefined || value === '') return;
    const k = String(value);
    const e = maps[f].get(k);
    if (e) e.count++;
    else maps[f].set(k, { value: k, label, count: 1 });
  };
  for (const r of rows) {
    add('type', r.type, r.type);
    add('department', r.department, r.departmentName);
    add('topic', r.topic, r.topic ? facetLabel('topic', r.topic) : '');
    add('genre', r.genre, r.genre ?? '');
    add('year', r.year, String(r.year));
    add('validity', r.validity, VALIDITY_LABEL[r.validity] ?? r.validity);
  }
  const out = emptyFacets();
  for (const f of FACETS) {
    out[f] = [...maps[f].values()]
      .map((v) => (scale === 1 ? v : { ...v, count: Math.max(1, Math.round(v.count * scale)) }))
      .sort((a, b) => (f === 'year' ? Number(b.value) - Number(a.value) : b.count - a.count || a.value.localeCompare(b.value)));
  }
  return out;
}

const VALIDITY_FACTOR: Record<string, number> = { valid: 1, expired: 0.75, repealed: 0.6 };

/** Recency factor: 1.3 for today, falling towards 1 over a few years. */
function recency(publishedAt: string, now: number): number {
  const age = Math.max(0, (now - Date.parse(publishedAt)) / 86400000);
  return 1 + 0.3 * Math.exp(-age / 730);
}

/**
 * First stage, from the title alone: the share of the terms in the title, the exact phrase in
 * the title, short matching titles (more specific), times validity and recency. `boost` is the
 * multiplier the second stage applies to the body score.
 */
export function titleScore(m: DocMeta, terms: string[], phrase: string, now: number): { score: number; boost: number } {
  const nt = normalizedTitle(m);
  let inTitle = 0;
  for (const t of terms) if (nt.includes(t)) inTitle++;
  const frac = inTitle / terms.length;
  let score = frac;
  if (phrase && nt.includes(phrase)) score += 0.5;
  if (frac > 0) score += 0.2 * Math.min(1, 12 / Math.max(1, Array.from(m.title).length));
  const boost = (VALIDITY_FACTOR[m.validity] ?? 1) * recency(m.publishedAt, now);
  return { score: score * boost, boost };
}

/** Normalised title and index number of an item, computed once per cached metadata row. */
const normTitles = new WeakMap<DocMeta, string>();
function normalizedTitle(m: DocMeta): string {
  let nt = normTitles.get(m);
  if (nt === undefined) normTitles.set(m, (nt = normalize(`${m.title} ${m.indexNo}`)));
  return nt;
}

/** Second stage, from the body (already normalised): saturated frequency of each term, and the exact phrase (several terms). */
export function bodyScore(nb: string, terms: string[], phrase: string | null): number {
  if (!nb) return 0;
  let tf = 0;
  for (const t of terms) {
    let n = 0;
    for (let i = nb.indexOf(t); i >= 0 && n < 20; i = nb.indexOf(t, i + t.length)) n++;
    tf += n / (n + 1.5);
  }
  let score = 0.4 * (tf / terms.length);
  if (phrase && nb.includes(phrase)) score += 0.3;
  return score;
}

export function cleanFilters(q: SearchQuery): SearchFilters {
  const f: SearchFilters = {};
  for (const k of FACETS) {
    const v = q[k];
    if (v !== undefined && v !== null && v !== '') (f as any)[k] = v;
  }
  return f;
}
