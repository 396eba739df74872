// Import of many decisions from a CSV or XLSX (platform/files/table.ts: GB18030 or UTF-8 CSV, the
// first sheet of an XLSX) for one department: Chinese column headers (the 双公示 data standard's
// names; the API's field names are accepted too), values in words as staff write them (行政处罚,
// 自然人, 罚款；没收违法所得, 产品质量, 一般, 2026年3月5日). Every row is checked first and the
// report names row, column and problem; nothing is written unless every row passes (all-or-nothing,
// one transaction). The decisions are entered as drafts, or submitted for approval at once.
import type { Platform } from '../../../platform/platform.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { actorName } from '../../../platform/auth/actor.js';
import { forbidden, HttpError, validationError } from '../../../platform/errors.js';
import { readTable, type Table, type TableFormat } from '../../../platform/files/table.js';
import type { TextEncodingName } from '../../../platform/files/encoding.js';
import { t as translate, type Locale } from '../../../platform/i18n/index.js';
import { ensureCalendar } from '../../../platform/calendar/index.js';
import { DECISION_KINDS, SEVERITIES } from './codes.js';
import { checkContext, checkDecision, domainOptions, insertChecked, LICENSING_CATEGORIES, PENALTY_CATEGORIES, startDecisionClock, SUBJECT_TYPES, type DecisionInput, type DecisionValues } from './decisions.js';

/** At most this many decisions per file (a year of a district's decisions fits many times over). */
export const IMPORT_MAX_ROWS = 5000;

type Column = Exclude<keyof DecisionInput, 'departmentId'>;

/** Each column's headers: the first is the one the template and the report use. */
export const IMPORT_COLUMNS: Record<Column, string[]> = {
  kind: ['决定类型', '类型'],
  docNo: ['决定书文号', '行政处罚决定书文号', '行政许可决定文书号', '文号'],
  subjectType: ['相对人类别', '相对人类型', '主体类型'],
  subjectName: ['相对人名称', '行政相对人名称', '名称'],
  creditCode: ['统一社会信用代码', '信用代码'],
  legalRep: ['法定代表人', '法定代表人（负责人）', '负责人'],
  address: ['地址', '住所', '住所（地址）'],
  idNumber: ['身份证号码', '证件号码', '身份证号'],
  facts: ['违法事实', '主要违法事实', '违法行为', '许可内容'],
  category: ['处罚类别', '许可类别', '类别'],
  basis: ['依据', '处罚依据', '许可依据'],
  content: ['处罚内容', '许可决定文书名称', '决定文书名称'],
  result: ['处罚结果', '执行情况'],
  licenceName: ['许可证书名称', '证书名称'],
  licenceNo: ['许可编号', '许可证编号', '证书编号'],
  validFrom: ['有效期自', '有效期起'],
  validTo: ['有效期至', '有效期止'],
  decisionDate: ['决定日期', '处罚决定日期', '许可决定日期'],
  domain: ['领域', '执法领域'],
  severity: ['违法程度', '情节', '严重程度'],
};
const REQUIRED: Column[] = ['docNo', 'subjectType', 'subjectName', 'facts', 'category', 'basis', 'content', 'decisionDate', 'domain'];

const HEADER_OF = new Map<string, Column>();
for (const [col, names] of Object.entries(IMPORT_COLUMNS) as [Column, string[]][]) for (const n of [col, ...names]) HEADER_OF.set(n.toLowerCase(), col);

/** Words → codes, for the coded columns (Chinese labels, English labels and the codes themselves). */
function wordsOf(prefix: string, codes: readonly string[], extra: Record<string, string> = {}): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of codes) for (const w of [c, translate('zh-CN', `${prefix}.${c}`), translate('en', `${prefix}.${c}`)]) m.set(w.toLowerCase(), c);
  for (const [w, c] of Object.entries(extra)) m.set(w.toLowerCase(), c);
  return m;
}
// Built on first use: the messages are registered when the platform starts, after this file loads.
let words: Record<'kind' | 'subject' | 'severity' | 'penalty' | 'licensing', Map<string, string>> | null = null;
function valueWords() {
  return (words ??= {
    kind: wordsOf('enforcement.kind', DECISION_KINDS, { 许可: 'licensing', 处罚: 'penalty' }),
    subject: wordsOf('enforcement.decision.subject', SUBJECT_TYPES, { 法人: 'legal', 法人或其他组织: 'legal', 其他组织: 'legal', 个体工商户: 'legal', 个人: 'natural' }),
    severity: wordsOf('enforcement.severity', SEVERITIES, { 情节轻微: 'minor', 情节一般: 'ordinary', 情节严重: 'serious', 较重: 'serious' }),
    penalty: wordsOf('enforcement.penalty_category', PENALTY_CATEGORIES),
    licensing: wordsOf('enforcement.licensing_category', LICENSING_CATEGORIES, { 普通许可: 'general', 特许: 'special', 认可: 'recognition', 核准: 'approval', 登记: 'registration' }),
  });
}

/** 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 → 2026-03-05; anything else unchanged (then refused as a format). */
export function importDate(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s.trim();
}

const word = (m: Map<string, string>, s: string) => m.get(s.trim().toLowerCase()) ?? s.trim();

export interface ImportProblem {
  row: number;
  field: string;
  message: string;
}

export interface DecisionImportReport {
  rows: number;
  format: TableFormat | null;
  encoding: TextEncodingName | null;
  problems: ImportProblem[];
  dryRun: boolean;
  submitted: boolean;
  /** The decisions entered (none on a dry run or with any problem). */
  created: number;
  ids: number[];
}

export interface ImportOptions {
  departmentId: number;
  /** The kind of every row when the file has no 决定类型 column. */
  kind?: string;
  submit?: boolean;
  dryRun?: boolean;
  locale: Locale;
}

/** Imports a file of decisions for one department: all rows, or none. */
export async function importDecisions(p: Platform, actor: Principal, file: { buf: Buffer; name: string }, opts: ImportOptions): Promise<DecisionImportReport> {
  const dept = Number.isInteger(opts.departmentId) && opts.departmentId > 0 && opts.departmentId <= 2147483647 ? await p.db.selectFrom('departments').select(['id', 'active']).where('id', '=', opts.departmentId).executeTakeFirst() : undefined;
  if (!dept || !Number(dept.active)) throw validationError({ departmentId: 'err.field.invalid' });
  if (!can(actor, 'decision.edit', { departmentId: dept.id })) throw forbidden('enforcement.decision.err.not_your_department');
  if (opts.kind && !(DECISION_KINDS as readonly string[]).includes(opts.kind)) throw validationError({ kind: 'err.field.enum_generic' });
  const tr = (key: string, params?: Record<string, string | number>) => translate(opts.locale, key, params);
  const report: DecisionImportReport = { rows: 0, format: null, encoding: null, problems: [], dryRun: !!opts.dryRun, submitted: !!opts.submit, created: 0, ids: [] };
  const problem = (row: number, field: string, key: string, params?: Record<string, string | number>) => report.problems.push({ row, field, message: tr(key, params) });
  let read: Table;
  try {
    read = await readTable(p.config, file.buf, file.name);
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 400) throw e;
    problem(Number(e.params?.line ?? 1), 'file', e.message, e.params);
    return report;
  }
  report.format = read.format;
  report.encoding = read.encoding;
  const table = read.rows;
  if (table.length < 2) {
    problem(1, 'file', 'enforcement.decision.import.empty');
    return report;
  }
  // The header: each column named once, no unknown ones (a typo would drop a field silently).
  const header = table[0].map((h) => h.trim());
  const cols = new Map<Column, number>();
  header.forEach((h, i) => {
    if (!h) return;
    const col = HEADER_OF.get(h.toLowerCase());
    if (!col) problem(1, h, 'enforcement.decision.import.unknown_column');
    else if (cols.has(col)) problem(1, h, 'enforcement.decision.import.duplicate_column');
    else cols.set(col, i);
  });
  for (const col of REQUIRED) if (!cols.has(col)) problem(1, IMPORT_COLUMNS[col][0], 'enforcement.decision.import.missing_column');
  if (!cols.has('kind') && !opts.kind) problem(1, IMPORT_COLUMNS.kind[0], 'enforcement.decision.import.missing_kind');
  report.rows = table.length - 1;
  if (report.rows > IMPORT_MAX_ROWS) problem(1, 'file', 'enforcement.decision.import.too_many', { max: IMPORT_MAX_ROWS });
  if (report.problems.length) return report;

  const ctx = await checkContext(p.db);
  const domainWords = new Map<string, string>();
  for (const d of await domainOptions(p.db)) for (const w of [d.code, d.zh, d.en]) domainWords.set(w.toLowerCase(), d.code);
  const headerOf = (col: string) => (cols.has(col as Column) ? header[cols.get(col as Column)!] : (IMPORT_COLUMNS[col as Column]?.[0] ?? col));
  const w = valueWords();
  const checked: { row: number; values: DecisionValues }[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < table.length; i++) {
    const row = read.rowNumbers[i] ?? i + 1;
    const cell = (col: Column) => (cols.has(col) ? (table[i][cols.get(col)!] ?? '').trim() : '');
    const kind = cols.has('kind') ? word(w.kind, cell('kind')) : opts.kind!;
    const input: DecisionInput = {
      kind,
      departmentId: dept.id,
      docNo: cell('docNo'),
      subjectType: word(w.subject, cell('subjectType')),
      subjectName: cell('subjectName'),
      creditCode: cell('creditCode'),
      legalRep: cell('legalRep'),
      address: cell('address'),
      idNumber: cell('idNumber'),
      facts: cell('facts'),
      category: cell('category').split(/[，,、；;\s]+/).filter(Boolean).map((x) => word(kind === 'penalty' ? w.penalty : w.licensing, x)),
      basis: cell('basis'),
      content: cell('content'),
      result: cell('result'),
      licenceName: cell('licenceName'),
      licenceNo: cell('licenceNo'),
      validFrom: importDate(cell('validFrom')),
      validTo: importDate(cell('validTo')),
      decisionDate: importDate(cell('decisionDate')),
      domain: word(domainWords, cell('domain')),
      severity: word(w.severity, cell('severity')),
    };
    const { values, fields } = checkDecision(input, ctx);
    for (const [field, key] of Object.entries(fields)) problem(row, headerOf(field), key);
    if (values.doc_no) {
      const k = `${values.kind}|${values.doc_no}`;
      if (seen.has(k)) problem(row, headerOf('docNo'), 'enforcement.decision.import.duplicate_doc', { row: seen.get(k)! });
      else seen.set(k, row);
    }
    if (!Object.keys(fields).length) checked.push({ row, values });
  }
  // 文号 already entered in this department.
  const docs = [...new Set(checked.map((c) => c.values.doc_no))];
  const taken = new Set<string>();
  for (let k = 0; k < docs.length; k += 500) {
    const rows = await p.db.selectFrom('enf_decisions').select(['kind', 'doc_no']).where('department_id', '=', dept.id).where('doc_no', 'in', docs.slice(k, k + 500)).execute();
    for (const r of rows) taken.add(`${r.kind}|${r.doc_no}`);
  }
  for (const c of checked) if (taken.has(`${c.values.kind}|${c.values.doc_no}`)) problem(c.row, headerOf('docNo'), 'enforcement.decision.err.doc_taken');
  report.problems.sort((a, b) => a.row - b.row);
  if (report.problems.length || report.dryRun) return report;

  await ensureCalendar(p.db);
  report.ids = await p.tx(async (t) => {
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (const c of checked) {
      const id = await insertChecked(t, c.values, actor, now, opts.submit ? 'submitted' : 'draft');
      await startDecisionClock(p, t, id, c.values, actor);
      ids.push(id);
    }
    await p.audit(t, { actor: actorName(actor), action: 'decision.import', entity: 'enf_decision', entityId: ids[0], details: { file: file.name.slice(0, 200), count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1], status: opts.submit ? 'submitted' : 'draft' } });
    return ids;
  });
  report.created = report.ids.length;
  return report;
}

/** A CSV template: the header row and one example row of each kind. */
export function importTemplate(): string {
  const cols = Object.keys(IMPORT_COLUMNS) as Column[];
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const example: Record<string, Partial<Record<Column, string>>> = {
    penalty: { kind: '行政处罚', docNo: '示范市监罚〔2026〕1号', subjectType: '法人及其他组织', subjectName: '示范新区某某食品有限公司', creditCode: '91350100M000100Y43', legalRep: '王某', address: '示范新区海滨路88号', facts: '经营超过保质期的食品', category: '警告；罚款', basis: '《中华人民共和国食品安全法》第一百二十四条', content: '警告，罚款人民币伍万元', result: '罚款已缴纳', decisionDate: '2026-03-05', domain: '产品质量', severity: '一般' },
    licensing: { kind: '行政许可', docNo: '示范审批许〔2026〕1号', subjectType: '法人及其他组织', subjectName: '示范新区某某旅行社有限公司', creditCode: '91350100M000100Y43', legalRep: '李某', facts: '准予设立旅行社，经营国内旅游业务和入境旅游业务', category: '普通', basis: '《旅行社条例》第六条', content: '准予行政许可决定书', licenceName: '旅行社业务经营许可证', licenceNo: 'L-LN-2026001', validFrom: '2026-03-05', decisionDate: '2026-03-05', domain: '旅游' },
  };
  const lines = [cols.map((c) => IMPORT_COLUMNS[c][0]), ...Object.values(example).map((e) => cols.map((c) => e[c] ?? ''))];
  return '\ufeff' + lines.map((l) => l.map(esc).join(',')).join('\r\n') + '\r\n';
}
