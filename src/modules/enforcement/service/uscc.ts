// 统一社会信用代码 (GB 32100-2015): 18 characters from 0–9 and the capitals without I, O, Z, S, V.
//   1     登记管理部门代码 (registration authority: 1 机构编制, 5 民政, 9 工商/市场监管, Y 其他 …)
//   2     机构类别代码 (the kind of body, within its authority: 91 企业, 92 个体工商户, 93 农民专业合作社 …)
//   3–8   登记管理机关行政区划码 (GB/T 2260: a province's two digits first; 100000 for national bodies)
//   9–17  主体标识码 (the organisation code, GB 11714)
//   18    校验码: the character whose value is 31 − (Σ value(cᵢ) × wᵢ mod 31), 31 read as 0,
//         with the weights 3^(i−1) mod 31 = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28.
// `checkUscc` says what is wrong with a code in words a person can act on (which character is
// illegal, which check character was expected); `withUsccCheck` completes 17 characters for demo
// data and tests.

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The kinds of body (机构类别代码) each registration authority (登记管理部门代码) registers (GB 32100-2015, 表1). */
export const USCC_KINDS: Record<string, string> = {
  '1': '1239', // 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
  '2': '19', // 外交: 外国常驻新闻机构, 其他
  '3': '1234569', // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': '19', // 文化: 外国在华文化中心, 其他
  '5': '1239', // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': '129', // 旅游: 外国及港澳台地区旅游部门常驻代表机构, 其他
  '7': '129', // 宗教: 宗教活动场所, 宗教院校, 其他
  '8': '19', // 工会: 基层工会, 其他
  '9': '123', // 工商（市场监管）: 企业, 个体工商户, 农民专业合作社
  A: '19', // 中央军委改革和编制办公室: 军队事业单位, 其他
  N: '1239', // 农业农村: 组级、村级、乡镇级集体经济组织, 其他
  Y: '1', // 其他
};

/** The first two digits of a GB/T 2260 division code (provinces, Taiwan, Hong Kong, Macao), and 10 for national bodies. */
const PROVINCES = new Set(['10', '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

const VALUE = new Map([...USCC_ALPHABET].map((ch, i) => [ch, i]));

export type UsccProblem =
  | { key: 'enforcement.err.uscc_required'; params: Record<string, never> }
  | { key: 'enforcement.err.uscc_length'; params: { length: number } }
  | { key: 'enforcement.err.uscc_char'; params: { position: number; char: string } }
  | { key: 'enforcement.err.uscc_authority'; params: { char: string } }
  | { key: 'enforcement.err.uscc_kind'; params: { char: string; authority: string } }
  | { key: 'enforcement.err.uscc_region'; params: { region: string } }
  | { key: 'enforcement.err.uscc_check'; params: { expected: string; actual: string } };

export type UsccResult = { ok: true; code: string } | ({ ok: false } & UsccProblem);

/** The check character of the first 17 characters (all in the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += VALUE.get(first17[i])! * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** A code as people type it: full-width characters as ASCII, no spaces or hyphens, capitals. */
export function normalizeUscc(raw: string): string {
  return String(raw ?? '')
    .normalize('NFKC')
    .replace(/[\s\-‐‑‒–—]/g, '')
    .toUpperCase();
}

/**
 * Checks a 统一社会信用代码: length, alphabet (naming the first illegal character and its
 * position), authority and kind codes, the region's province and the check character (naming the
 * one expected). On success, the code normalised.
 */
export function checkUscc(raw: string): UsccResult {
  const code = normalizeUscc(raw);
  if (!code) return { ok: false, key: 'enforcement.err.uscc_required', params: {} };
  const chars = [...code];
  for (let i = 0; i < chars.length && i < 18; i++) {
    if (!VALUE.has(chars[i])) return { ok: false, key: 'enforcement.err.uscc_char', params: { position: i + 1, char: chars[i] } };
  }
  if (chars.length !== 18) return { ok: false, key: 'enforcement.err.uscc_length', params: { length: chars.length } };
  const kinds = USCC_KINDS[code[0]];
  if (!kinds) return { ok: false, key: 'enforcement.err.uscc_authority', params: { char: code[0] } };
  if (!kinds.includes(code[1])) return { ok: false, key: 'enforcement.err.uscc_kind', params: { char: code[1], authority: code[0] } };
  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || !PROVINCES.has(region.slice(0, 2))) return { ok: false, key: 'enforcement.err.uscc_region', params: { region } };
  const expected = usccCheckChar(code);
  if (code[17] !== expected) return { ok: false, key: 'enforcement.err.uscc_check', params: { expected, actual: code[17] } };
  return { ok: true, code };
}

export const isValidUscc = (raw: string): boolean => checkUscc(raw).ok;

/** The full code from its first 17 characters (demo data, tests). Throws on characters outside the alphabet. */
export function withUsccCheck(first17: string): string {
  const s = normalizeUscc(first17);
  if (s.length !== 17 || [...s].some((ch) => !VALUE.has(ch))) throw new Error(`withUsccCheck: 17 characters of ${USCC_ALPHABET} expected, got "${first17}"`);
  return s + usccCheckChar(s);
}
