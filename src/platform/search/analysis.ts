// Analysis: how text becomes index tokens and how a query becomes terms.
//
// Index side. Normalised text (see normalize.ts) is split into runs of word characters
// (letters and digits of any script). Each run of n characters becomes its n−1 overlapping
// character bigrams followed by its last character as a one-character token. So the token
// stream of a field holds only tokens of one or two characters, bigram chains never cross a run
// boundary (the one-character token sits between runs), and every character occurrence is the
// first character of a token: a one-character query is the prefix query `c*`.
//
// Query side. The normalised query is split into runs; each run is cut into words with jieba
// (government dictionary loaded); a one-character word is glued to its neighbour in the same run
// (a verbatim occurrence keeps them adjacent). Each resulting term is matched as the chain of its
// bigrams (an exact phrase over bigram positions) or, for a one-character run, as the prefix
// query for that character (any token starting with it).
// All terms must match. Therefore any string that occurs verbatim (after normalisation) in a
// field matches: each of its terms occurs there verbatim, and a verbatim occurrence of a string
// of length ≥ 2 inside a run is exactly a chain of consecutive bigrams. Whatever jieba does only
// decides how a query is split into terms, never whether a verbatim occurrence is found.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict as defaultDict } from '@node-rs/jieba/dict.js';
import { isWordUnit, normalize } from './normalize.js';

let jieba: Jieba | null = null;
let govTerms: string[] | null = null;

function dictFile(): string {
  // Next to this module in src/, or in src/ when running the compiled copy from dist/.
  const candidates = [new URL('./dict/gov-dict.txt', import.meta.url), new URL('../../../src/platform/search/dict/gov-dict.txt', import.meta.url)];
  for (const u of candidates) {
    const f = fileURLToPath(u);
    if (existsSync(f)) return f;
  }
  throw new Error('search: government dictionary gov-dict.txt not found');
}

/** The government vocabulary (dictionary file, without comments). */
export function governmentTerms(): string[] {
  if (!govTerms) {
    govTerms = readFileSync(dictFile(), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(' ')[0]);
  }
  return govTerms;
}

export function segmenter(): Jieba {
  if (!jieba) {
    const j = Jieba.withDict(defaultDict);
    const lines = readFileSync(dictFile(), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .join('\n');
    j.loadDict(Buffer.from(lines));
    jieba = j;
  }
  return jieba;
}

/** Maximal runs of word characters of a normalised string. */
export function runs(norm: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < norm.length; i++) {
    if (isWordUnit(norm.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(norm.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(norm.slice(start));
  return out;
}

/** Characters of a run as strings (a surrogate pair counts as one character). */
function chars(run: string): string[] {
  return Array.from(run);
}

/** The index token stream of one field's text, see the header comment. */
export function fieldTokens(text: string): string[] {
  const s = fieldTokenString(text);
  return s ? s.split(' ') : [];
}

/**
 * The index token stream of one field as one space-separated string (what the engines store).
 * When `seen` is given, every word character met is also recorded there (see distinctChars):
 * one pass over the text gives both, which is most of the analysis cost of an item.
 */
export function fieldTokenString(text: string, seen?: CharSet): string {
  const norm = normalize(text);
  // Written as UTF-16 code units into a buffer (token = previous character + this one, then a
  // space), decoded once: much cheaper than concatenating thousands of two-character strings.
  const buf = new Uint16Array(norm.length * 3 + 4);
  let n = 0;
  let p0 = -1; // previous word character: its first code unit (-1 = none) …
  let p1 = -1; // … and its second one for a surrogate pair (-1 = single unit)
  const put = (a: number, b: number) => {
    if (n) buf[n++] = 32;
    buf[n++] = a;
    if (b >= 0) buf[n++] = b;
  };
  for (let i = 0; i < norm.length; ) {
    const cu = norm.charCodeAt(i);
    let c1 = -1;
    let word: boolean;
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < norm.length) {
      c1 = norm.charCodeAt(i + 1);
      word = WORD_RE.test(norm.slice(i, i + 2));
      i += 2;
    } else {
      word = isWordUnit(cu);
      i++;
    }
    if (word) {
      seen?.add(c1 >= 0 ? String.fromCharCode(cu, c1) : norm[i - 1], cu);
      if (p0 >= 0) {
        put(p0, p1);
        buf[n++] = cu;
        if (c1 >= 0) buf[n++] = c1;
      }
      p0 = cu;
      p1 = c1;
    } else if (p0 >= 0) {
      put(p0, p1);
      p0 = -1;
    }
  }
  if (p0 >= 0) put(p0, p1);
  return UTF16.decode(buf.subarray(0, n));
}

const UTF16 = new TextDecoder('utf-16le');
const WORD_RE = /^[\p{L}\p{N}]+$/u;

/** A set of characters met while tokenising, in first-seen order (a bitmap for the BMP). */
export class CharSet {
  private bmp = new Uint8Array(65536);
  private other = new Set<string>();
  readonly list: string[] = [];
  add(ch: string, cu: number): void {
    if (ch.length === 1) {
      if (this.bmp[cu]) return;
      this.bmp[cu] = 1;
    } else {
      if (this.other.has(ch)) return;
      this.other.add(ch);
    }
    this.list.push(ch);
  }
}

/** The distinct characters of a text (normalised, word characters only), for one-character queries. */
export function distinctChars(text: string): string[] {
  const seen = new CharSet();
  fieldTokenString(text, seen);
  return seen.list;
}

/** The bigram chain of a term of two or more characters, or the character itself. */
export function termTokens(term: string): string[] {
  const cs = chars(term);
  if (cs.length === 1) return cs;
  const out: string[] = [];
  for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
  return out;
}

export interface ParsedQuery {
  /** The normalised query (whitespace collapsed). */
  normalized: string;
  /** The runs of word characters, in order (for phrase checks and highlighting). */
  runs: string[];
  /** Terms that must all occur (each a run or a part of one). */
  terms: string[];
}

/** Cuts a run into terms with jieba; one-character words are glued to a neighbour. */
function runTerms(run: string): string[] {
  if (Array.from(run).length <= 2) return [run];
  const words = segmenter()
    .cut(run, true)
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (const w of words) {
    if (Array.from(w).length === 1 && out.length > 0) out[out.length - 1] += w;
    else out.push(w);
  }
  if (out.length > 1 && Array.from(out[0]).length === 1) {
    out[1] = out[0] + out[1];
    out.shift();
  }
  // Terms of the same run must concatenate back to it (jieba keeps every character).
  return out.join('') === run ? out : [run];
}

export function parseQuery(q: string): ParsedQuery {
  const normalized = normalize(q).replace(/\s+/g, ' ').trim();
  const rs = runs(normalized);
  const terms: string[] = [];
  for (const r of rs) for (const t of runTerms(r)) if (!terms.includes(t)) terms.push(t);
  return { normalized, runs: rs, terms };
}

/** Words of a title for autocomplete (search mode: long words and their parts). */
export function titleWords(title: string): string[] {
  const out = new Set<string>();
  for (const run of runs(normalize(title))) {
    for (const w of segmenter().cutForSearch(run, true)) {
      if (Array.from(w).length >= 2 && w.length <= 40) out.add(w);
    }
  }
  return [...out];
}

/** Words of any text in search mode (used by the benchmark's corpus checks and suggestions). */
export function searchWords(text: string): string[] {
  return segmenter().cutForSearch(normalize(text), true).filter((w) => runs(w).length === 1 && runs(w)[0] === w);
}
