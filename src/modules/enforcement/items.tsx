// The spine item types of enforcement (阳光执法). Each part registers its types in its own block.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';
import { hasMessage } from '../../platform/i18n/index.js';
import { maskName, maskText } from '../../platform/privacy/index.js';
import { Dl, Zh, type PageCtx } from '../../platform/render/index.js';
import type { ComponentChildren } from 'preact';

// ---- decisions 双公示 (行政许可 / 行政处罚决定) ---------------------------------------------------
// A decision approved for display is a catalog item (索引号; Art. 20 category 第（五）项 a20-05 for
// licensing, 第（六）项 a20-06 for penalties). Its payload is the public text only: a natural
// person's name masked (张*), the ID number never, the address cut to the district or street
// (hidden when none can be told), free text masked (platform/privacy). `prepare` masks again, so
// no caller can publish a natural person's data in the clear.

export const PENALTY_DECISION = 'penalty-decision';
export const LICENSING_DECISION = 'licensing-decision';

export interface DecisionData {
  kind: 'licensing' | 'penalty';
  docNo: string;
  /** 'legal' (法人及其他组织) | 'natural' (自然人). */
  subjectType: string;
  subjectName: string;
  creditCode: string;
  legalRep: string;
  address: string;
  /** 违法事实 / 许可内容. */
  facts: string;
  /** Codes of PENALTY_CATEGORIES (one or more) or LICENSING_CATEGORIES (one). */
  category: string[];
  basis: string;
  /** 处罚内容 / 许可决定文书名称. */
  content: string;
  /** 处罚结果 (penalties). */
  result: string;
  licenceName: string;
  licenceNo: string;
  validFrom: string | null;
  validTo: string | null;
  decisionDate: string;
  domain: string;
  /** The domain's Chinese name when it was published (configured domains have no message key). */
  domainName: string;
  severity: string;
  /** The last day on display (公示期限 至). */
  displayUntil: string;
  /** The deciding department's name. */
  department: string;
}

const ADMIN_UNIT = /^(.{1,12}?)(省|自治区|市(?!场)|(?<![小园社校景厂街矿营片城])区|县|旗|街道|镇|乡)/u;
const NOT_A_UNIT = /[\d０-９路街巷弄号號村组楼栋幢座室*]/u;

/**
 * A natural person's address as the public may see it: only the administrative units it starts
 * with (省, 市, 区/县, 街道/镇/乡) — 辽宁省大连市示范新区海滨路88号 → 辽宁省大连市示范新区, 示范新区
 * 海滨街道幸福小区3栋 → 示范新区海滨街道; '' (hidden) when it starts with none.
 */
export function publicAddress(address: string): string {
  let rest = address.trim();
  let out = '';
  for (let i = 0; i < 5; i++) {
    const m = ADMIN_UNIT.exec(rest);
    if (!m) break;
    const unit = m[0];
    // A unit with a road, house or estate in it (幸福路工业区) is no administrative unit.
    if (NOT_A_UNIT.test(unit.replace(/街道$/u, ''))) break;
    out += unit;
    rest = rest.slice(unit.length);
  }
  return out;
}

/** The published payload made safe: natural persons masked (idempotent: masking masked text changes nothing). */
export function maskedDecision(d: DecisionData): DecisionData {
  const natural = d.subjectType === 'natural';
  const names = natural && !d.subjectName.includes('*') ? [d.subjectName] : [];
  const m = (s: string) => maskText(s ?? '', { names }).text;
  return {
    ...d,
    subjectName: natural ? maskName(d.subjectName) : d.subjectName,
    creditCode: natural ? '' : d.creditCode,
    legalRep: natural ? '' : d.legalRep,
    address: natural ? publicAddress(d.address) : d.address,
    facts: m(d.facts),
    content: m(d.content),
    result: m(d.result),
  };
}

/** A category code's label ('enforcement.penalty_category.fine' …). */
export const categoryLabel = (t: PageCtx['t'], kind: string, code: string) => t(`enforcement.${kind === 'penalty' ? 'penalty' : 'licensing'}_category.${code}`);

/** A domain's label: the message when it is a built-in one, else its configured name. */
export function domainLabel(c: Pick<PageCtx, 't'>, code: string, name?: string): string {
  return hasMessage(`enforcement.domain.${code}`) ? c.t(`enforcement.domain.${code}`) : name || code;
}

/** Every §6 field of a published decision, as the public page and the catalog show it. */
export function DecisionFields({ c, d, extra }: { c: PageCtx; d: DecisionData; extra?: [string, ComponentChildren][] }) {
  const penalty = d.kind === 'penalty';
  const zh = (s: string) => (s ? <Zh c={c}>{s}</Zh> : '—');
  const rows: [string, ComponentChildren][] = [
    [c.t('enforcement.decision.f.kind'), c.t(`enforcement.kind.${d.kind}`)],
    [c.t('enforcement.decision.f.docNo'), zh(d.docNo)],
    [c.t('enforcement.decision.f.subjectName'), zh(d.subjectName)],
    [c.t('enforcement.decision.f.subjectType'), c.t(`enforcement.decision.subject.${d.subjectType}`)],
  ];
  if (d.subjectType === 'legal') rows.push([c.t('enforcement.decision.f.creditCode'), d.creditCode || '—'], [c.t('enforcement.decision.f.legalRep'), zh(d.legalRep)]);
  rows.push([c.t('enforcement.decision.f.address'), d.address ? zh(d.address) : c.t(d.subjectType === 'natural' ? 'enforcement.decision.address_hidden' : 'enforcement.decision.none')]);
  rows.push(
    [c.t(penalty ? 'enforcement.decision.f.facts' : 'enforcement.decision.f.facts_licensing'), zh(d.facts)],
    [c.t(penalty ? 'enforcement.decision.f.category' : 'enforcement.decision.f.category_licensing'), d.category.map((x) => categoryLabel(c.t, d.kind, x)).join(c.t('enforcement.decision.list_sep'))],
    [c.t(penalty ? 'enforcement.decision.f.basis' : 'enforcement.decision.f.basis_licensing'), zh(d.basis)],
    [c.t(penalty ? 'enforcement.decision.f.content' : 'enforcement.decision.f.content_licensing'), zh(d.content)],
  );
  if (penalty) rows.push([c.t('enforcement.decision.f.result'), zh(d.result)], [c.t('enforcement.decision.f.severity'), c.t(`enforcement.severity.${d.severity}`)]);
  else
    rows.push(
      [c.t('enforcement.decision.f.licenceName'), zh(d.licenceName)],
      [c.t('enforcement.decision.f.licenceNo'), zh(d.licenceNo)],
      [c.t('enforcement.decision.f.validity'), d.validFrom ? c.t(d.validTo ? 'enforcement.decision.valid_range' : 'enforcement.decision.valid_open', { from: d.validFrom, to: d.validTo ?? '' }) : '—'],
    );
  rows.push(
    [c.t('enforcement.decision.f.domain'), domainLabel(c, d.domain, d.domainName)],
    [c.t('enforcement.decision.f.department'), zh(d.department)],
    [c.t(penalty ? 'enforcement.decision.f.decisionDate' : 'enforcement.decision.f.decisionDate_licensing'), d.decisionDate],
    [c.t('enforcement.decision.f.displayUntil'), c.t('enforcement.decision.display_until', { date: d.displayUntil })],
    ...(extra ?? []),
  );
  return <Dl rows={rows} />;
}

const DecisionSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('licensing'), Type.Literal('penalty')]),
    docNo: Type.String(),
    subjectType: Type.Union([Type.Literal('legal'), Type.Literal('natural')]),
    subjectName: Type.String(),
    category: Type.Array(Type.String()),
    decisionDate: Type.String(),
    displayUntil: Type.String(),
  },
  { additionalProperties: true },
);

for (const [type, kind] of [
  [PENALTY_DECISION, 'penalty'],
  [LICENSING_DECISION, 'licensing'],
] as const) {
  registerItemType<DecisionData>({
    type,
    // 双公示: information the law says to disclose (Art. 20 (五) 行政许可的办理结果, (六) 有一定社会影响的行政处罚决定).
    section: 'catalog',
    label: `enforcement.decision.item_type.${kind}`,
    schema: DecisionSchema,
    category: kind === 'penalty' ? 'a20-06' : 'a20-05',
    prepare(d) {
      const fields: Record<string, string> = {};
      if (d?.kind !== kind) fields.kind = 'err.field.invalid';
      if (!d?.docNo) fields.docNo = 'err.field.required';
      if (!d?.subjectName) fields.subjectName = 'err.field.required';
      if (d?.subjectType !== 'legal' && d?.subjectType !== 'natural') fields.subjectType = 'err.field.enum_generic';
      if (Object.keys(fields).length) return { data: d, fields };
      // Never an ID number in the published version, whatever the caller put in.
      const { idNumber: _drop, ...rest } = d as DecisionData & { idNumber?: string };
      return { data: maskedDecision(rest), fields };
    },
    searchText: (d) => [d.subjectName, d.creditCode, d.docNo, d.facts, d.content, d.result, d.basis, d.domainName, d.department].filter(Boolean).join('\n'),
    render: (d, c) => <DecisionFields c={c} d={d} />,
    url: (id) => `/enforcement/decisions/${id}`,
  });
}
// ---- end of decisions ------------------------------------------------------------------------
