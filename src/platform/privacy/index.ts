// Masking of personal data in free text (脱敏), for anything published from citizen input:
// names (张**), ID card numbers (18-digit GB 11643, checksum validated), mobile and landline
// numbers, e-mail addresses, vehicle plates (incl. 8-character new-energy plates) and house
// numbers (门牌号, 楼/单元/室). Ordinary numbers — dates, amounts, 文号 — are left alone.
// Any module may reuse it: `maskText(text, { names: [knownNames] })`.

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
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领';

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

interface Rule {
  kind: MaskKind;
  re: RegExp;
  mask(m: RegExpExecArray): string | null;
}

const RULES: Rule[] = [
  {
    kind: 'email',
    re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
    mask: (m) => {
      const [user, domain] = m[0].split('@');
      return `${user[0]}***@${domain}`;
    },
  },
  {
    kind: 'id',
    re: /(?<![0-9A-Za-z])(\d{6})\s?(\d{8})\s?(\d{3}[\dXx])(?![0-9A-Za-z])/g,
    mask: (m) => {
      const s = m[1] + m[2] + m[3];
      return isValidIdNumber(s) ? `${s.slice(0, 3)}${stars(13)}${s.slice(-2)}` : null;
    },
  },
  {
    kind: 'mobile',
    re: /(?<![0-9])(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![0-9])/g,
    mask: (m) => `${m[1]}****${m[3]}`,
  },
  {
    kind: 'landline',
    re: /(?<![0-9])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[-\s])\s?\d{3,4}[-\s]?\d{4}(?:[-转]\d{1,5})?(?![0-9])/g,
    mask: (m) => {
      const area = /0\d{2,3}/.exec(m[0])![0];
      const digits = m[0].replace(/\D/g, '');
      return `${area}-****${digits.slice(-4)}`;
    },
  },
  {
    // A bare 7–8 digit local number only after a cue word (电话, 座机…): amounts stay alone.
    kind: 'landline',
    re: /((?:电话|座机|固话|手机|联系方式|联系电话|tel|Tel|TEL)[:：是为]?\s*)(\d{7,8})(?![0-9])/g,
    mask: (m) => `${m[1]}****${m[2].slice(-4)}`,
  },
  {
    kind: 'plate',
    re: new RegExp(`[${PROVINCES}][A-HJ-NP-Z][·•・\\s]?(?:[A-HJ-NP-Z0-9]{6}|[A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])(?![A-Za-z0-9])`, 'g'),
    mask: (m) => {
      const compact = m[0].replace(/[·•・\s]/g, '');
      if (!/\d/.test(compact.slice(2))) return null; // 辽宁ABCDE… is not a plate
      return `${compact.slice(0, 2)}${stars(compact.length - 2)}`;
    },
  },
  {
    // Flat numbers: 3-2-501, 3栋2单元501室, 12号楼1单元302, 501室, 1201房.
    kind: 'house',
    re: /(?<![0-9-])\d{1,3}-\d{1,2}-\d{3,4}(?![0-9-])|\d{1,3}\s?(?:号楼|栋|幢|座)(?:\s?\d{1,2}\s?单元)?(?:\s?\d{3,4}\s?(?:室|房|号)?)?|\d{1,2}\s?单元\s?\d{3,4}\s?(?:室|房|号)?|(?<![0-9])\d{3,4}\s?(?:室|房间|房)(?![间])/g,
    mask: (m) => m[0].replace(/\d/g, '*'),
  },
  {
    // 门牌: a street name followed by a number (幸福路12号, 新胜大街16-1号); 2025年3月12号 is left alone.
    kind: 'house',
    re: /([\u4e00-\u9fa5](?:路|街|大街|巷|里|弄|胡同|道|村|组))(\d{1,4}(?:-\d{1,4})?)(号(?:院)?)/g,
    mask: (m) => `${m[1]}${stars(m[2].length)}${m[3]}`,
  },
  {
    // Names after a cue: 我叫张三, 本人李四, 姓名：王小明, 联系人赵六, 举报人……
    kind: 'name',
    re: new RegExp(`((?:我叫|我是|本人|姓名[:：]?|联系人[:：]?|投诉人[:：]?|举报人[:：]?|求助人[:：]?|来电人[:：]?|户主[:：]?|业主))\\s?(${SURNAME_RE}${HAN}{1,2})(?=[，。、；,.;\\s！!（(]|$|的|是|在|住|电话|手机|身份证|联系|家|反映|来电|先生|女士)`, 'g'),
    mask: (m) => `${m[1]}${maskName(m[2])}`,
  },
  {
    // 王建国先生 → 王**先生 (王先生 alone stays: a bare surname does not identify anyone).
    kind: 'name',
    re: new RegExp(`(${SURNAME_RE}${HAN}{1,2})(先生|女士|小姐|老师|师傅|阿姨|大爷|同志)`, 'g'),
    mask: (m) => `${maskName(m[1])}${m[2]}`,
  },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks personal data in `text`. `names` are names known to belong to the case (the contact's). */
export function maskText(text: string, opts: { names?: string[] } = {}): MaskResult {
  const hits: MaskResult['hits'] = [];
  let out = text ?? '';
  for (const raw of opts.names ?? []) {
    const name = raw?.trim();
    if (!name || name.length < 2 || name.length > 10) continue;
    const masked = maskName(name);
    out = out.replace(new RegExp(escapeRe(name), 'g'), () => {
      hits.push({ kind: 'name', masked });
      return masked;
    });
  }
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (...args) => {
      const groups = args.slice(0, -2).filter((x) => typeof x === 'string' || x === undefined) as string[];
      const m = Object.assign([...groups], { index: 0, input: out }) as unknown as RegExpExecArray;
      const masked = rule.mask(m);
      if (masked === null) return m[0];
      hits.push({ kind: rule.kind, masked });
      return masked;
    });
  }
  return { text: out, hits };
}

/** Counts of masked items by kind, for the review screen. */
export function hitSummary(r: MaskResult): Partial<Record<MaskKind, number>> {
  const out: Partial<Record<MaskKind, number>> = {};
  for (const h of r.hits) out[h.kind] = (out[h.kind] ?? 0) + 1;
  return out;
}

/** Masks a phone number for display to staff who need only to recognise it (138****5678). */
export function maskPhone(s: string): string {
  const d = s.replace(/\D/g, '');
  return d.length >= 7 ? `${d.slice(0, 3)}****${d.slice(-4)}` : stars(d.length);
}
