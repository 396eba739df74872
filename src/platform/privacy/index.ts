// Masking of personal data in free text (脱敏), for anything published from citizen input:
// names (张**), ID card numbers (18-digit GB 11643, checksum validated), mobile and landline
// numbers, e-mail addresses, vehicle plates (incl. 8-character new-energy plates) and house
// numbers (门牌号, 楼/单元/室). Ordinary numbers — dates, amounts, 文号 — are left alone.
// Any module may reuse it: `maskText(text, { names: [knownNames] })`.
//
// Matching runs on a normalised view of the text — NFKC character by character (full-width
// digits, letters and ＠ become ASCII), other decimal digits mapped to 0–9, invisible format
// characters and combining marks dropped — with an index map back to the original, so only the
// personal data is replaced and every other character comes back exactly as written. Digits may be
// written in Chinese (一三八…, 幺, 〇, 壹…) and separated by spaces, dots, hyphens and dashes
// (U+2010–U+2015, U+2212, ー, ·, ・, _); plates match in any case; house numbers may be written in
// Chinese numerals (幸福路一百二十三号, 三号楼二单元五零一室). A digit run that reads as
// ordinary numbers — dates or a date range, a decimal, an IPv4 address, an amount with its unit
// — is never taken for an identifier (`readsAsOrdinaryNumbers`).

export type MaskKind = 'name' | 'id' | 'mobile' | 'landline' | 'email' | 'plate' | 'house';

export interface MaskResult {
  text: string;
  /** What was masked, in order of appearance (kinds only; the originals are not kept). */
  hits: { kind: MaskKind; masked: string }[];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Is this an 18-digit resident ID number with a valid GB 11643 check digit and a real birth date? */
export function isValidIdNumber(s: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  if (ID_CHECK[sum % 11] !== s[17].toUpperCase()) return false;
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Makes a valid ID number from its first 17 digits (for fixtures and demo data). */
export function withIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return first17 + ID_CHECK[sum % 11];
}

// The 100 most common surnames (and a few compound ones) — used only with a context cue.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const COMPOUND = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容', '令狐'];
const SURNAME_RE = `(?:${COMPOUND.join('|')}|[${SURNAMES}])`;
const HAN = '[\\u4e00-\\u9fa5]';
// Plate provinces, with the traditional forms of those that have one (遼B12345).
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领滬遼魯蘇贛晉陝閩貴粵寧瓊雲領';

export function maskName(name: string): string {
  const n = name.trim();
  if (!n) return n;
  const compound = COMPOUND.find((c) => n.startsWith(c));
  const keep = compound ? compound.length : 1;
  return n.slice(0, keep) + '*'.repeat(Math.max(1, n.length - keep));
}

function stars(n: number): string {
  return '*'.repeat(Math.max(1, n));
}

// ---- the normalised view ------------------------------------------------------------------------

interface View {
  /** The text matched against. */
  text: string;
  /** For each UTF-16 unit of `text`: where its character starts and ends in the original; null = identical. */
  from: Int32Array | null;
  to: Int32Array | null;
}

const IGNORABLE = /^[\p{Cf}\p{Mn}\p{Me}]$/u;
const OTHER_DIGIT = /[^\x00-\x7f]/u;
const ND = /^\p{Nd}$/u;

/** 0–9 for any Unicode decimal digit (each script's digits are ten consecutive code points). */
function asciiDigit(c: string): string {
  const cp = c.codePointAt(0)!;
  let k = 0;
  while (k < 60 && ND.test(String.fromCodePoint(cp - k - 1))) k++;
  return String(k % 10);
}

/** What one character (a code point) becomes in the view: '' = dropped. */
const VIEW_OF = new Map<string, string>();
function viewOf(ch: string): string {
  let v = VIEW_OF.get(ch);
  if (v === undefined) {
    v = '';
    if (!IGNORABLE.test(ch)) for (const c of ch.normalize('NFKC')) if (!IGNORABLE.test(c)) v += OTHER_DIGIT.test(c) && ND.test(c) ? asciiDigit(c) : c;
    if (VIEW_OF.size < 20_000) VIEW_OF.set(ch, v);
  }
  return v;
}

/** ASCII and CJK unified ideographs are their own view. */
function plain(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13 || (c >= 0x4e00 && c <= 0x9fff);
}

function normalised(text: string): View {
  const n = text.length;
  const parts: string[] = [];
  let kept = 0; // start of the stretch of the original copied unchanged
  let shifted = false; // did a character become more or fewer UTF-16 units (then an index map is needed)?
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (plain(c)) {
      i++;
      continue;
    }
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    const ch = text.slice(i, i + w);
    const v = viewOf(ch);
    if (v !== ch) {
      parts.push(text.slice(kept, i), v);
      kept = i + w;
      if (v.length !== w) shifted = true;
    }
    i += w;
  }
  if (!parts.length) return { text, from: null, to: null };
  parts.push(text.slice(kept));
  const view = parts.join('');
  if (!shifted) return { text: view, from: null, to: null }; // full-width → ASCII keeps every index
  const from = new Int32Array(view.length);
  const to = new Int32Array(view.length);
  let len = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    const w = plain(c) ? 1 : c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    const units = w === 1 && plain(c) ? 1 : viewOf(text.slice(i, i + w)).length;
    for (let u = 0; u < units; u++) {
      from[len] = i;
      to[len++] = i + w;
    }
    i += w;
  }
  return { text: view, from, to };
}

// ---- building blocks (on the normalised view) ---------------------------------------------------

const SP = '[ \\t\\r\\n]';
/** Punctuation that may stand between the digits of one number: hyphens and dashes, dots, middle dots, underscore. */
const PUNCT = '\\-\\u2010-\\u2015\\u2212\\u30fc.\\u00b7\\u2022\\u2027\\u30fb_';
/** A separator between two digits of one number: one punctuation mark with at most two spaces around it, or up to three spaces. */
const S = `(?:${SP}{0,2}[${PUNCT}]${SP}{0,2}|${SP}{1,3})`;
const SEP_RUN = new RegExp(`(?:${SP}|[${PUNCT}])+`, 'g');
/** Chinese digits as written one by one (一三八…, 幺 for 1 on the phone, 〇/○ for 0, the financial forms). */
const HAN_DIGITS = '〇○零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖';
const HAN_DIGIT_VALUE: Record<string, string> = { 〇: '0', '○': '0', 零: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9' };
/** Digit value + 1 by UTF-16 code (0 = no digit): 0–9 and the Chinese digits. */
const DIGIT = new Uint8Array(0x10000);
for (let d = 0; d < 10; d++) DIGIT[48 + d] = d + 1;
for (const [c, v] of Object.entries(HAN_DIGIT_VALUE)) DIGIT[c.charCodeAt(0)] = Number(v) + 1;
const DG = `[0-9${HAN_DIGITS}]`;
/** A number starts here: no digit of the same script just before. */
const START = `(?:(?<![0-9])(?=[0-9])|(?<![${HAN_DIGITS}])(?=[${HAN_DIGITS}]))`;
/** …and ends here. */
const END = `(?:(?<=[0-9])(?![0-9])|(?<=[${HAN_DIGITS}])(?![${HAN_DIGITS}]))`;
/** Amounts are not identifiers: no currency sign before, no unit or decimal places (.5, .00) after. */
const NOT_AMOUNT_BEFORE = `(?<![¥$]${SP}?)`;
const NOT_AMOUNT_AFTER = `(?!(?:\\.[0-9]+)?${SP}?(?:元|万|亿|块|角|%|‰)|\\.[0-9]{1,2}(?![0-9]))`;
/** Chinese numerals of house numbers, positional (一百二十三) or digit by digit (一二三, 五零一). */
const CN = '[〇○零一二两三四五六七八九十百千]';
const CN_CHARS = /[〇○零一二两三四五六七八九十百千]/g;

/** The digits of a run as ASCII (Chinese digits converted, x as X), separators dropped. */
function digitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (DIGIT[c]) out += String.fromCharCode(47 + DIGIT[c]);
    else if (c === 88 || c === 120) out += 'X';
  }
  return out;
}

function isYear(g: string): boolean {
  return /^(?:19|20)\d\d$/.test(g);
}
function isMonth(g: string): boolean {
  return /^\d{1,2}$/.test(g) && Number(g) >= 1 && Number(g) <= 12;
}
function isDay(g: string): boolean {
  return /^\d{1,2}$/.test(g) && Number(g) >= 1 && Number(g) <= 31;
}

/**
 * Does this run of digits and separators read as ordinary numbers rather than one identifier?
 * Dates and date ranges (1997.1-1998.12, 2026-01-01—2026-12-31), decimals with one or two places
 * (138123456.78; 13.5 12.3 45.6 78), an IPv4 address (192.168.10.100). With `dateInside`, also any run containing a
 * whole year-month-day date (1995.3.1 12345) — used for phone numbers, not for ID numbers, whose
 * middle is a birth date.
 */
export function readsAsOrdinaryNumbers(run: string, dateInside = false): boolean {
  return ordinary(normalised(run).text, dateInside);
}

/** `readsAsOrdinaryNumbers` for text already in the normalised view. */
function ordinary(v: string, dateInside = false): boolean {
  const groups = v.split(SEP_RUN).filter(Boolean).map(digitsOf);
  const runs = v.match(SEP_RUN) ?? [];
  if (runs.length !== groups.length - 1) return false; // a separator at either end: not a plain run
  const seps = runs.map((s) => s.trim() || ' ');
  // Decimals: every '.' has one or two places after it and ends its number (138123456.78; 13.5 12.3 45.6).
  if (seps.includes('.') && seps.every((s, i) => (s === '.' ? groups[i + 1].length <= 2 && (seps[i + 1] === undefined || seps[i + 1] === ' ') : s === ' '))) return true;
  if (groups.length === 4 && seps.every((s) => s === '.') && groups.every((g) => /^\d{1,3}$/.test(g) && Number(g) <= 255)) return true;
  const dates = (i: number): boolean => {
    if (i === groups.length) return true;
    if (i + 1 >= groups.length || !isYear(groups[i]) || !isMonth(groups[i + 1])) return false;
    if (dates(i + 2)) return true;
    return i + 2 < groups.length && isDay(groups[i + 2]) && seps[i + 1] === seps[i] && dates(i + 3);
  };
  if (groups.length >= 2 && dates(0)) return true;
  if (dateInside) {
    for (let i = 0; i + 2 < groups.length; i++) if (isYear(groups[i]) && isMonth(groups[i + 1]) && isDay(groups[i + 2]) && seps[i] === seps[i + 1]) return true;
  }
  return false;
}

// ---- rules --------------------------------------------------------------------------------------

interface Rule {
  kind: MaskKind;
  re: RegExp;
  /** Replace only this capture group (the `d` flag gives its place), not the whole match (a cue word before it stays). */
  group?: number;
  /** Run the rule only on texts where this matches somewhere (a cheap test first). */
  when?: RegExp;
  /** …and only on texts with at least this many digits (Arabic or Chinese). */
  digits?: number;
  mask(m: RegExpExecArray): string | null;
}

const ID_RE = `${NOT_AMOUNT_BEFORE}${START}(${DG}(?:${S}?${DG}){16}${S}?[0-9Xx${HAN_DIGITS}])(?:(?<=[0-9Xx])(?![0-9A-Za-z])|(?<=[${HAN_DIGITS}])(?![${HAN_DIGITS}]))${NOT_AMOUNT_AFTER}`;
const MOBILE_RE = `${NOT_AMOUNT_BEFORE}(?:(?<![0-9])\\(?(?:(?:\\+|00)${SP}?)?86\\)?${S}?|${START})([1一幺壹]${S}?[3-9三四五六七八九叁肆伍陆柒捌玖](?:${S}?${DG}){9})${END}${NOT_AMOUNT_AFTER}`;
const AREA = `[0零〇○]${DG}{2,3}`;
const LANDLINE_RE = `${NOT_AMOUNT_BEFORE}(?<![0-9${HAN_DIGITS}])(?:\\((${AREA})\\)${SP}?|(${AREA})${S})(${DG}(?:${S}?${DG}){6,7})(?:${SP}?(?:-|转|分机|ext\\.?)${SP}?${DG}{1,5})?${END}${NOT_AMOUNT_AFTER}`;
const ALNUM = '[A-HJ-NP-Z0-9]';
const PLATE_RE = `[${PROVINCES}]${S}?[A-HJ-NP-Z]${S}?(?:${ALNUM}(?:${S}?${ALNUM}){4,5}|${ALNUM}(?:${S}?${ALNUM}){3}${S}?[挂学警港澳])(?![A-Za-z0-9])`;
const UNIT = `(?:[0-9]{1,2}|${CN}{1,3})${SP}?单元`;
const ROOM = `(?:[0-9]{3,4}${SP}?(?:室|房|号)?|${CN}{2,6}${SP}?(?:室|房|号))`;
const DASHES = '\\-\\u2010-\\u2015\\u2212';
const FLAT_RE = [
  `(?<![0-9${DASHES}])[0-9]{1,3}[${DASHES}][0-9]{1,2}[${DASHES}][0-9]{3,4}(?![0-9${DASHES}])`,
  `(?<![0-9])[0-9]{1,3}${SP}?(?:号楼|栋|幢|座)(?:${SP}?${UNIT})?(?:${SP}?${ROOM})?`,
  // In Chinese numerals 栋/幢/座 need a unit or room after them: 这三座桥 is no address.
  `(?<!${CN})${CN}{1,4}${SP}?(?:号楼(?:${SP}?${UNIT})?(?:${SP}?${ROOM})?|(?:栋|幢|座)(?:${SP}?${UNIT}(?:${SP}?${ROOM})?|${SP}?${ROOM}))`,
  `(?:(?<![0-9])[0-9]{1,2}|(?<!${CN})${CN}{1,3})${SP}?单元${SP}?${ROOM}`,
  `(?:(?<![0-9])[0-9]{3,4}|(?<!${CN})${CN}{3,6})${SP}?(?:室|房间|房)(?!间)`,
].join('|');
/** Words ending like a street that are none: 这里三号 (the 3rd, here), 知道三号. */
const NOT_STREETS = ['这里', '那里', '哪里', '家里', '心里', '知道', '难道', '味道'];
const STREET_END = '(?:[路街巷里弄道村组]|胡同)';
const STREET_NO_RE = `${STREET_END}(?<=${HAN}${STREET_END})${SP}?([0-9](?:${S}?[0-9]){0,3}(?:[-之][0-9]{1,4})?|${CN}{1,8}(?:[-之]${CN}{1,4})?)(?=${SP}?[号號])`;
const NAME_CUE = '(?:我叫|我是|本人|姓名[:：]?|联系人[:：]?|投诉人[:：]?|举报人[:：]?|求助人[:：]?|来电人[:：]?|户主[:：]?|业主)';
const NAME_AFTER = '(?=[，。、；,.;\\s！!（(]|$|的|是|在|住|电话|手机|身份证|联系|家|反映|来电|先生|女士)';

const RULES: Rule[] = [
  {
    kind: 'email',
    when: /@|\(at\)|\[at\]/i,
    re: new RegExp(`[A-Za-z0-9._%+-]+${SP}?(?:@|\\(at\\)|\\[at\\])${SP}?[A-Za-z0-9-]+(?:[.。][A-Za-z0-9-]+)*[.。][A-Za-z]{2,}`, 'gi'),
    mask: (m) => {
      const at = /\s*(?:@|\(at\)|\[at\])\s*/i.exec(m[0])!;
      return `${m[0][0]}***@${m[0].slice(at.index + at[0].length).replace(/。/g, '.')}`;
    },
  },
  {
    kind: 'id',
    digits: 17, // the check character may be X
    re: new RegExp(ID_RE, 'g'),
    mask: (m) => {
      const s = digitsOf(m[1]);
      if (!isValidIdNumber(s) || ordinary(m[1])) return null;
      return `${s.slice(0, 3)}${stars(13)}${s.slice(-2)}`;
    },
  },
  {
    kind: 'mobile',
    digits: 11,
    re: new RegExp(MOBILE_RE, 'g'),
    mask: (m) => {
      if (ordinary(m[1], true)) return null;
      const d = digitsOf(m[1]);
      return `${d.slice(0, 3)}****${d.slice(7)}`;
    },
  },
  {
    kind: 'landline',
    digits: 10,
    re: new RegExp(LANDLINE_RE, 'gi'),
    mask: (m) => `${digitsOf(m[1] ?? m[2])}-****${digitsOf(m[3]).slice(-4)}`,
  },
  {
    // A bare 7–8 digit local number only after a cue word (电话, 座机…): amounts stay alone.
    kind: 'landline',
    re: new RegExp(`(?:电话|座机|固话|手机|联系方式|联系电话|tel)${SP}?(?:[:是为]|号码)?${SP}{0,3}(${DG}(?:${S}?${DG}){6,7})${END}${NOT_AMOUNT_AFTER}`, 'gid'),
    group: 1,
    digits: 7,
    mask: (m) => (ordinary(m[1], true) ? null : `****${digitsOf(m[1]).slice(-4)}`),
  },
  {
    kind: 'plate',
    when: /[A-Za-z]/,
    re: new RegExp(PLATE_RE, 'gi'),
    mask: (m) => {
      const compact = m[0].replace(SEP_RUN, '').toUpperCase();
      const body = compact.slice(2).replace(/[挂学警港澳]$/, '');
      // Plates have at most two letters after the city letter: 新Mate60, 辽宁ABCDE are no plates.
      if ((body.match(/[A-Z]/g) ?? []).length > 2) return null;
      return `${compact.slice(0, 2)}${stars(compact.length - 2)}`;
    },
  },
  {
    // Flat numbers: 3-2-501, 3栋2单元501室, 12号楼1单元302, 501室, 1201房, 三号楼二单元五零一室.
    kind: 'house',
    when: /[号栋幢座单室房]|[0-9][-\u2010-\u2015\u2212][0-9]/,
    re: new RegExp(FLAT_RE, 'g'),
    mask: (m) => m[0].replace(/[0-9]/g, '*').replace(CN_CHARS, '*'),
  },
  {
    // 门牌: a street name followed by a number (幸福路12号, 新胜大街16-1号, 幸福路一百二十三号);
    // 2025年3月12号 is a date and stays.
    kind: 'house',
    when: /[号號]/,
    re: new RegExp(STREET_NO_RE, 'gd'),
    group: 1,
    mask: (m) => (NOT_STREETS.includes(m.input.slice(Math.max(0, m.index - 1), m.index + 1)) ? null : stars(m[1].length)),
  },
  {
    // Names after a cue: 我叫张三, 本人李四, 姓名：王小明, 联系人赵六, 举报人……
    kind: 'name',
    re: new RegExp(`${NAME_CUE}\\s?(${SURNAME_RE}${HAN}{1,2})${NAME_AFTER}`, 'gd'),
    group: 1,
    mask: (m) => maskName(m[1]),
  },
  {
    // 王建国先生 → 王**先生 (王先生 alone stays: a bare surname does not identify anyone).
    kind: 'name',
    when: /先生|女士|小姐|老师|师傅|阿姨|大爷|同志/,
    re: new RegExp(`${SURNAME_RE}${HAN}{1,2}(?=先生|女士|小姐|老师|师傅|阿姨|大爷|同志)`, 'g'),
    mask: (m) => maskName(m[0]),
  },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NAME_RES = new Map<string, RegExp>();
/** A known name, also with spaces between its characters (张 伟). */
function nameRe(name: string): RegExp {
  let re = NAME_RES.get(name);
  if (!re) {
    if (NAME_RES.size >= 1000) NAME_RES.clear();
    re = new RegExp([...name].map(escapeRe).join(`${SP}?`), 'g');
    NAME_RES.set(name, re);
  }
  return re;
}

/** Stands in for masked characters in the working copy, so later rules cannot match them again. */
const CLAIMED = '\uFFFC';

/** Masks personal data in `text`. `names` are names known to belong to the case (the contact's). */
export function maskText(text: string, opts: { names?: string[] } = {}): MaskResult {
  const original = text ?? '';
  const view = normalised(original);
  let work = view.text;
  const found: { start: number; end: number; kind: MaskKind; masked: string }[] = [];
  /** One rule's pass: its matches never overlap; the working copy is updated once after it. */
  const run = (re: RegExp, kind: MaskKind, mask: (m: RegExpExecArray) => string | null, group = 0) => {
    const claimed: [number, number][] = [];
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(work)) !== null) {
      if (m[0] === '' || m[0].includes(CLAIMED)) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const masked = mask(m);
      if (masked === null) {
        re.lastIndex = m.index + 1;
        continue;
      }
      let [s, e] = group ? m.indices![group]! : [m.index, m.index + m[0].length];
      // Widen to whole original characters (one may have become several in the view).
      if (view.from) {
        while (s > 0 && view.from[s - 1] === view.from[s]) s--;
        while (e < work.length && view.from[e] === view.from[e - 1]) e++;
      }
      claimed.push([s, e]);
      found.push({ start: view.from ? view.from[s] : s, end: view.to ? view.to[e - 1] : e, kind, masked });
      re.lastIndex = Math.max(e, m.index + m[0].length);
    }
    if (!claimed.length) return;
    const parts: string[] = [];
    let at = 0;
    for (const [s, e] of claimed) {
      parts.push(work.slice(at, s), CLAIMED.repeat(e - s));
      at = e;
    }
    parts.push(work.slice(at));
    work = parts.join('');
  };
  for (const raw of opts.names ?? []) {
    const name = raw?.normalize('NFKC').trim();
    if (!name || name.length < 2 || name.length > 10) continue;
    const masked = maskName(name);
    run(nameRe(name), 'name', () => masked);
  }
  let digits = 0;
  for (let i = 0; i < work.length; i++) if (DIGIT[work.charCodeAt(i)]) digits++;
  for (const rule of RULES) if ((!rule.when || rule.when.test(work)) && digits >= (rule.digits ?? 0)) run(rule.re, rule.kind, rule.mask, rule.group);
  found.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const f of found) {
    if (f.start < at) continue; // cannot happen: claims never overlap
    out += original.slice(at, f.start) + f.masked;
    at = f.end;
  }
  out += original.slice(at);
  return { text: out, hits: found.map((f) => ({ kind: f.kind, masked: f.masked })) };
}

/** Counts of masked items by kind, for the review screen. */
export function hitSummary(r: MaskResult): Partial<Record<MaskKind, number>> {
  const out: Partial<Record<MaskKind, number>> = {};
  for (const h of r.hits) out[h.kind] = (out[h.kind] ?? 0) + 1;
  return out;
}

/**
 * The grid of published map points, in degrees: 0.003° is 333 m north–south and at most 333 m
 * east–west (256 m at 40°N). A published point is the nearest grid node, so it is at most
 * 0.0015° off in each direction — ≤ 167 m north–south, ≤ 167 m east–west (128 m at 40°N),
 * ≤ 236 m in all — and the same on every request (no averaging over repeated requests).
 */
export const PUBLIC_POINT_GRID = 0.003;

/** A citizen's map point as the public may see it: snapped to the `PUBLIC_POINT_GRID` grid. */
export function publicPoint(lat: number, lng: number): { lat: number; lng: number } {
  const snap = (x: number) => Number((Math.round(x / PUBLIC_POINT_GRID) * PUBLIC_POINT_GRID).toFixed(3));
  return { lat: snap(lat), lng: snap(lng) };
}

/** Masks a phone number for display to staff who need only to recognise it (138****5678). */
export function maskPhone(s: string): string {
  const d = s.replace(/\D/g, '');
  return d.length >= 7 ? `${d.slice(0, 3)}****${d.slice(-4)}` : stars(d.length);
}
