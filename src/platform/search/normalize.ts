// Text normalisation shared by indexing and querying: NFKC (full-width → half-width and
// compatibility forms), case folding, and traditional → simplified Chinese, character by
// character so that every normalised character maps back to a position in the original text
// (for highlighting). The traditional → simplified table is built from OpenCC's character
// dictionaries (opencc-js): regional variants (台灣/香港) are first mapped to OpenCC's standard
// traditional form, then to simplified. Only one-to-one BMP mappings are used, so the
// normalised text never changes length through this step.
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';

function parseDict(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const entry of s.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to) continue;
    if (from.length !== 1 || to.length !== 1) continue; // one BMP character to one
    if (!m.has(from)) m.set(from, to);
  }
  return m;
}

/** For every BMP code unit, its normalised form ('' for nothing, the character itself when unchanged). */
let TABLE: string[] | null = null;

function buildTable(): string[] {
  const ts = parseDict(TSCharacters as unknown as string);
  const tw = parseDict(TWVariantsRev as unknown as string);
  const hk = parseDict(HKVariantsRev as unknown as string);
  const t: string[] = new Array(65536);
  for (let cu = 0; cu < 65536; cu++) {
    const ch = String.fromCharCode(cu);
    if (cu >= 0xd800 && cu <= 0xdfff) {
      t[cu] = ch;
      continue;
    }
    if (cu < 0x80) {
      t[cu] = ch.toLowerCase();
      continue;
    }
    let out = '';
    for (const c of ch.normalize('NFKC').toLowerCase()) {
      const std = tw.get(c) ?? hk.get(c) ?? c;
      out += ts.get(std) ?? ts.get(c) ?? std;
    }
    // Ideographic space and other spaces become a plain space.
    t[cu] = /^\s+$/u.test(out) ? ' ' : out;
  }
  return t;
}

function table(): string[] {
  TABLE ??= buildTable();
  return TABLE;
}

/** Normalises text for search (NFKC, lower case, simplified Chinese). */
export function normalize(text: string): string {
  const t = table();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < text.length) {
      out += (text[i] + text[i + 1]).normalize('NFKC').toLowerCase();
      i++;
    } else out += t[cu];
  }
  return out;
}

/**
 * Normalises and returns, for each UTF-16 unit of the result, the index in `text` of the
 * character it came from (and one more entry: text.length), for mapping matches back.
 */
export function normalizeWithMap(text: string): { norm: string; map: Int32Array } {
  const t = table();
  const parts: string[] = [];
  const idx: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    let s: string;
    const start = i;
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < text.length) {
      s = (text[i] + text[i + 1]).normalize('NFKC').toLowerCase();
      i++;
    } else s = t[cu];
    parts.push(s);
    for (let k = 0; k < s.length; k++) idx.push(start);
  }
  idx.push(text.length);
  return { norm: parts.join(''), map: Int32Array.from(idx) };
}

/** Letters and numbers (any script) are "word" characters; everything else separates. */
const WORD = /[\p{L}\p{N}]/u;
let WORD_TABLE: Uint8Array | null = null;

export function isWordUnit(cu: number): boolean {
  if (!WORD_TABLE) {
    WORD_TABLE = new Uint8Array(65536);
    for (let c = 0; c < 65536; c++) if (c >= 0xd800 && c <= 0xdfff ? true : WORD.test(String.fromCharCode(c))) WORD_TABLE[c] = 1;
  }
  return WORD_TABLE[cu] === 1;
}
