// The outcomes of a disclosure request: the rows of the annual report's Table 三 (国办公开办函
// 〔2021〕30号, REGULATIONS.md §2) — 三（一）…（六） and their numbered reasons — each with its
// Chinese and English label and the provision it rests on. A closed request carries one leaf code
// (`disclosure_requests.outcome`); the report counts them per requester-type column, and
// （七）总计 is the sum. The reasons of 三（三） are the withholding grounds (`withholdGround`).

export interface OutcomeRow {
  /** Stable code stored on the request: a group's own code or `group.reason`. */
  code: string;
  /** The row as printed: 三（一）, 三（三）1 … */
  row: string;
  zh: string;
  en: string;
  /** The provision the outcome rests on (the reply letters cite it); '' where none is fixed. */
  basis: string;
  /** The words for one request where the table's row carries a counting note (部分公开, not 部分公开（区分处理的…）). */
  short?: { zh: string; en: string };
}

export interface OutcomeGroup extends OutcomeRow {
  /** Numbered reasons; empty for 予以公开 and 部分公开, which are leaves themselves. */
  reasons: OutcomeRow[];
}

const A = '《中华人民共和国政府信息公开条例》';
const reason = (group: string, n: number, key: string, zh: string, en: string, basis: string, row: string): OutcomeRow => ({ code: `${group}.${key}`, row: `${row}${n}`, zh: `${n}.${zh}`, en, basis: basis ? `${A}${basis}` : '' });

export const OUTCOMES: OutcomeGroup[] = [
  { code: 'disclosed', row: '三（一）', zh: '予以公开', en: 'Disclosed', basis: `${A}第三十六条第（一）、（二）项`, reasons: [] },
  { code: 'partly-disclosed', row: '三（二）', zh: '部分公开（区分处理的，只计这一情形，不计其他情形）', en: 'Partly disclosed (a request handled in parts counts here only)', short: { zh: '部分公开', en: 'Partly disclosed' }, basis: `${A}第三十七条`, reasons: [] },
  {
    code: 'withheld',
    row: '三（三）',
    zh: '不予公开',
    en: 'Not disclosed',
    basis: `${A}第三十六条第（三）项`,
    reasons: [
      reason('withheld', 1, 'state-secret', '属于国家秘密', 'State secret', '第十四条', '三（三）'),
      reason('withheld', 2, 'prohibited-by-law', '其他法律行政法规禁止公开', 'Forbidden by other laws or administrative regulations', '第十四条', '三（三）'),
      reason('withheld', 3, 'three-safeties', '危及“三安全一稳定”', 'Endangers national, public, economic security or social stability', '第十四条', '三（三）'),
      reason('withheld', 4, 'third-party', '保护第三方合法权益', "Protects a third party's lawful rights (trade secrets, privacy)", '第十五条', '三（三）'),
      reason('withheld', 5, 'internal-affairs', '属于三类内部事务信息', 'Internal affairs (three kinds)', '第十六条第一款', '三（三）'),
      reason('withheld', 6, 'process-info', '属于四类过程性信息', 'Process information (four kinds)', '第十六条第二款', '三（三）'),
      reason('withheld', 7, 'enforcement-file', '属于行政执法案卷', 'Administrative enforcement file', '第十六条第二款', '三（三）'),
      reason('withheld', 8, 'administrative-query', '属于行政查询事项', 'Administrative query (a special law governs access)', '第三十六条第（七）项', '三（三）'),
    ],
  },
  {
    code: 'unavailable',
    row: '三（四）',
    zh: '无法提供',
    en: 'Cannot be provided',
    basis: '',
    reasons: [
      reason('unavailable', 1, 'not-held', '本机关不掌握相关政府信息', 'Not held by this agency', '第三十六条第（四）、（五）项', '三（四）'),
      reason('unavailable', 2, 'needs-creation', '没有现成信息需要另行制作', 'Would have to be newly made', '第三十八条', '三（四）'),
      reason('unavailable', 3, 'unclear-after-correction', '补正后申请内容仍不明确', 'Still unclear after correction', '第三十条', '三（四）'),
    ],
  },
  {
    code: 'not-processed',
    row: '三（五）',
    zh: '不予处理',
    en: 'Not processed',
    basis: '',
    reasons: [
      reason('not-processed', 1, 'complaint', '信访举报投诉类申请', 'A petition, report or complaint', '第三十九条第一款', '三（五）'),
      reason('not-processed', 2, 'repeat', '重复申请', 'Repeat request', '第三十六条第（六）项', '三（五）'),
      reason('not-processed', 3, 'publication', '要求提供公开出版物', 'Asks for a published publication', '第三十九条第二款', '三（五）'),
      reason('not-processed', 4, 'excessive', '无正当理由大量反复申请', 'Many repeated requests without good reason', '第三十五条', '三（五）'),
      reason('not-processed', 5, 'confirm-or-reissue', '要求行政机关确认或重新出具已获取信息', 'Asks to confirm or reissue information already obtained', '', '三（五）'),
    ],
  },
  {
    code: 'other',
    row: '三（六）',
    zh: '其他处理',
    en: 'Otherwise handled',
    basis: '',
    reasons: [
      reason('other', 1, 'no-correction', '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'No correction by the deadline without good reason: no longer handled', '第三十条', '三（六）'),
      reason('other', 2, 'fee-unpaid', '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'Fee not paid by the deadline of the fee notice: no longer handled', '第四十二条', '三（六）'),
      reason('other', 3, 'other', '其他', 'Other', '', '三（六）'),
    ],
  },
];

/** Every code a closed request may carry (the leaves), in the table's order. */
export const OUTCOME_CODES: string[] = OUTCOMES.flatMap((g) => (g.reasons.length ? g.reasons.map((r) => r.code) : [g.code]));

const byCode = new Map<string, OutcomeRow>(OUTCOMES.flatMap((g) => [[g.code, g] as [string, OutcomeRow], ...g.reasons.map((r) => [r.code, r] as [string, OutcomeRow])]));

/** A code's row (a leaf or a group), or undefined. */
export const outcomeRow = (code: string): OutcomeRow | undefined => byCode.get(code);
export const isOutcome = (code: string): boolean => OUTCOME_CODES.includes(code);

/** A leaf's words for one request: the group and the reason (不予处理 · 1.信访举报投诉类申请), in the language asked, without the table's counting notes. */
export function outcomeLabel(code: string, locale: 'zh-CN' | 'en'): string {
  const leaf = byCode.get(code);
  if (!leaf) return code;
  const group = OUTCOMES.find((g) => code === g.code || code.startsWith(`${g.code}.`))!;
  const word = (r: OutcomeRow) => (locale === 'en' ? (r.short?.en ?? r.en) : (r.short?.zh ?? r.zh));
  return group.code === code ? word(group) : `${word(group)} · ${word(leaf)}`;
}

/** The outcomes this part records itself. */
export const OUTCOME = { complaint: 'not-processed.complaint', noCorrection: 'other.no-correction' } as const;
