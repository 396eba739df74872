// Preparing an item for the index: its metadata row, its token streams, and the filter tokens
// that stand for its facet values (both implementations store the same).
import type { IndexableItem } from '../publication/indexable.js';
import { CharSet, fieldTokenString, titleWords } from './analysis.js';
import { FACETS, type FacetName, type SearchFilters, type Validity } from './types.js';

/** An item ready for the index: metadata, body and title words (main tables)… */
export type PreparedMeta = DocMeta & { body: string; titleWords: string[] };

/** … and its token streams (the FTS tables). */
export interface PreparedTokens {
  id: number;
  titleTokens: string;
  bodyTokens: string;
  metaTokens: string;
  /** Distinct characters of title, index number and body (one-character queries). */
  charTokens: string;
}

export type PreparedDoc = PreparedMeta & PreparedTokens;

/** Metadata of an indexed item (everything but the body). */
export interface DocMeta {
  id: number;
  type: string;
  indexNo: string;
  title: string;
  department: string;
  departmentName: string;
  topic: string | null;
  genre: string | null;
  validity: Validity;
  publishedAt: string;
  year: number;
  url: string;
}

export type FacetRow = Pick<DocMeta, 'type' | 'department' | 'departmentName' | 'topic' | 'genre' | 'year' | 'validity'>;

function hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

const META_PREFIX: Record<FacetName, string> = { type: 'xt', department: 'xd', topic: 'xo', genre: 'xg', year: 'xy', validity: 'xv' };

/** Filter tokens: long ASCII words that never collide with content tokens (one or two characters). */
export function metaToken(facet: FacetName, value: string | number): string {
  return META_PREFIX[facet] + hex(String(value));
}

export function filterTokens(f: SearchFilters): string[] {
  const out: string[] = [];
  for (const k of FACETS) {
    const v = f[k];
    if (v !== undefined && v !== null && v !== '') out.push(metaToken(k, v));
  }
  return out;
}

export function yearOf(iso: string): number {
  const y = Number(iso.slice(0, 4));
  return Number.isFinite(y) ? y : 0;
}

export function prepare(item: IndexableItem): PreparedDoc {
  return { ...prepareMeta(item), ...prepareTokens(item) };
}

export function prepareMeta(item: IndexableItem): PreparedMeta {
  return {
    id: item.id,
    type: item.type,
    indexNo: item.indexNo ?? '',
    title: item.title,
    body: item.text ?? '',
    department: item.department,
    departmentName: item.departmentName,
    topic: item.topic ?? null,
    genre: item.genre ?? null,
    validity: item.validity,
    publishedAt: item.publishedAt,
    year: yearOf(item.publishedAt),
    url: item.url,
    titleWords: titleWords(item.title),
  };
}

export function prepareTokens(item: IndexableItem): PreparedTokens {
  const meta: string[] = [
    metaToken('type', item.type),
    metaToken('department', item.department),
    metaToken('year', yearOf(item.publishedAt)),
    metaToken('validity', item.validity),
  ];
  if (item.topic) meta.push(metaToken('topic', item.topic));
  if (item.genre) meta.push(metaToken('genre', item.genre));
  // One pass per field gives its tokens and records its characters (for one-character queries).
  // The index number is searchable as part of the title field.
  const seen = new CharSet();
  const titleTokens = fieldTokenString(`${item.title} ${item.indexNo ?? ''}`, seen);
  const bodyTokens = fieldTokenString(item.text ?? '', seen);
  return { id: item.id, titleTokens, bodyTokens, metaTokens: meta.join(' '), charTokens: seen.list.join(' ') };
}
