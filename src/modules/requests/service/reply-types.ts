// The kinds of reply to a disclosure request (Art. 36–39 of 《中华人民共和国政府信息公开条例》): each
// records one leaf of the annual report's Table 三 (report-outcomes.ts), cites its provision, names
// the fields its letter (告知书) needs, and carries the letter's template — the body staff start
// from and may edit until it is signed. The remedy sentence, the agency and the date are not part
// of the body: the letter always adds them (service/letter.tsx), so no edit can drop them.
import { OUTCOMES } from './outcomes.js';

const A = '《中华人民共和国政府信息公开条例》';

/** A type's own field: `text` (one line) or `long` (a paragraph) or `date`. */
export interface ReplyField {
  name: string;
  kind: 'text' | 'long' | 'date';
  max: number;
  required: boolean;
}

/** What the letter's template reads. */
export interface LetterInput {
  receivedOn: string;
  infoName: string;
  fields: Record<string, string>;
  /** Linked catalog items: title and the public address. */
  items: { title: string; url: string }[];
  attachments: { name: string }[];
  withheld: { part: string; ground: string; reason: string }[];
}

export interface ReplyType {
  code: string;
  /** The Table 三 leaf recorded; `withheld` takes the ground given. */
  outcome: string | 'ground';
  /** The provision cited, as printed in the letter. */
  citation: string;
  fields: ReplyField[];
  /** Disclosed information: attachments, catalog items, the text fields (at least one, see `needs`). */
  discloses: boolean;
  /** Art. 37: the withheld parts with their grounds (≥ 1). */
  withheldParts: boolean;
  /** At least one of these (field names, or 'items', 'attachments') must be given; the error names the first. */
  oneOf?: string[];
  /** Only after the corrected request arrived (Art. 30). */
  afterCorrection?: boolean;
  body: (x: LetterInput) => string;
}

const f = (name: string, kind: ReplyField['kind'] = 'long', required = true, max = kind === 'text' ? 200 : kind === 'date' ? 10 : 2000): ReplyField => ({ name, kind, max, required });

/** The grounds of 三（三） a withheld part or a 不予公开 reply may rest on (行政查询 is a type of its own). */
export const WITHHOLD_GROUNDS = OUTCOMES.find((g) => g.code === 'withheld')!.reasons.map((r) => r.code).filter((c) => c !== 'withheld.administrative-query');

const groundRow = (code: string) => OUTCOMES.find((g) => g.code === 'withheld')!.reasons.find((r) => r.code === code)!;
/** A ground as the letter states it: 属于国家秘密（《条例》第十四条）. */
export const groundText = (code: string): string => {
  const r = groundRow(code);
  return `${r.zh.replace(/^\d+\./, '')}（${r.basis}）`;
};

const opening = (x: LetterInput) => `本机关于${x.receivedOn}收到你（单位）提出的政府信息公开申请，申请获取“${x.infoName}”。经审查，现答复如下：`;
const lines = (xs: string[]) => xs.map((s, i) => `${i + 1}. ${s}`).join('\n');

/** The disclosed part: the items (title and address), the attachments, how/where/when to obtain. */
function disclosedPart(x: LetterInput): string {
  const out: string[] = [];
  if (x.items.length) out.push(`相关政府信息已在本机关政府信息公开目录中公开，可通过以下地址查阅：\n${lines(x.items.map((i) => `${i.title}（${i.url}）`))}`);
  if (x.attachments.length) out.push(`随本告知书提供以下政府信息：\n${lines(x.attachments.map((a) => a.name))}`);
  if (x.fields.how) out.push(`获取方式：${x.fields.how}`);
  return out.join('\n');
}

export const REPLY_TYPES: ReplyType[] = [
  {
    code: 'already-public',
    outcome: 'disclosed',
    citation: `${A}第三十六条第（一）项`,
    fields: [f('where', 'long', false)],
    discloses: true,
    withheldParts: false,
    oneOf: ['where', 'items'],
    body: (x) => `${opening(x)}\n你（单位）所申请获取的政府信息已经主动公开。根据${A}第三十六条第（一）项的规定，现告知获取该政府信息的方式和途径。\n${[x.items.length ? disclosedPart({ ...x, attachments: [], fields: {} }) : '', x.fields.where ? `公开的途径：${x.fields.where}` : ''].filter(Boolean).join('\n')}`,
  },
  {
    code: 'disclosed',
    outcome: 'disclosed',
    citation: `${A}第三十六条第（二）项`,
    fields: [f('how', 'long', false)],
    discloses: true,
    withheldParts: false,
    oneOf: ['attachments', 'items', 'how'],
    body: (x) => `${opening(x)}\n你（单位）所申请获取的政府信息属于公开范围。根据${A}第三十六条第（二）项的规定，本机关向你（单位）提供该政府信息。\n${disclosedPart(x)}`,
  },
  {
    code: 'partly-disclosed',
    outcome: 'partly-disclosed',
    citation: `${A}第三十七条`,
    fields: [f('how', 'long', false)],
    discloses: true,
    withheldParts: true,
    oneOf: ['attachments', 'items', 'how'],
    body: (x) =>
      `${opening(x)}\n你（单位）所申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据${A}第三十七条的规定，本机关向你（单位）提供可以公开的部分。\n${disclosedPart(x)}\n以下内容不予公开，理由如下：\n${lines(x.withheld.map((w) => `${w.part}：${groundText(w.ground)}。${w.reason}`))}`,
  },
  {
    code: 'withheld',
    outcome: 'ground',
    citation: `${A}第三十六条第（三）项`,
    fields: [f('ground', 'text'), f('reason')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）所申请获取的政府信息${x.fields.ground ? groundText(x.fields.ground) : ''}，依法不予公开。理由如下：${x.fields.reason ?? ''}\n根据${A}第三十六条第（三）项的规定，本机关决定不予公开。`,
  },
  {
    code: 'special-registry',
    outcome: 'withheld.administrative-query',
    citation: `${A}第三十六条第（七）项`,
    fields: [f('registry')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）所申请获取的信息，有关法律、行政法规对信息的获取有特别规定。根据${A}第三十六条第（七）项的规定，请按照相关规定办理：${x.fields.registry ?? ''}`,
  },
  {
    code: 'not-held',
    outcome: 'unavailable.not-held',
    citation: `${A}第三十六条第（四）项`,
    fields: [f('searched')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n经检索查找（${x.fields.searched ?? ''}），本机关未制作、获取你（单位）所申请的政府信息，该政府信息不存在。根据${A}第三十六条第（四）项的规定，本机关告知你（单位）该政府信息不存在。`,
  },
  {
    code: 'not-ours',
    outcome: 'unavailable.not-held',
    citation: `${A}第三十六条第（五）项`,
    fields: [f('agency', 'text', false), f('agencyContact', 'text', false), f('undetermined', 'long', false)],
    discloses: false,
    withheldParts: false,
    oneOf: ['agency', 'undetermined'],
    body: (x) =>
      `${opening(x)}\n你（单位）所申请获取的政府信息不属于本机关负责公开。根据${A}第三十六条第（五）项的规定，${x.fields.agency ? `负责公开该政府信息的行政机关为${x.fields.agency}${x.fields.agencyContact ? `，联系方式：${x.fields.agencyContact}` : ''}，请向其申请。` : `本机关无法确定负责公开该政府信息的行政机关，理由如下：${x.fields.undetermined ?? ''}`}`,
  },
  {
    code: 'needs-creation',
    outcome: 'unavailable.needs-creation',
    citation: `${A}第三十八条`,
    fields: [f('reason')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）所申请获取的信息需要本机关对现有政府信息进行加工、分析后方可提供。根据${A}第三十八条的规定，本机关不予提供。说明如下：${x.fields.reason ?? ''}`,
  },
  {
    code: 'unclear',
    outcome: 'unavailable.unclear-after-correction',
    citation: `${A}第三十条`,
    fields: [f('reason')],
    discloses: false,
    withheldParts: false,
    afterCorrection: true,
    body: (x) => `${opening(x)}\n本机关已告知你（单位）补正申请，你（单位）补正后的申请内容仍不明确，本机关无法确定你（单位）所申请获取的政府信息。根据${A}第三十条的规定，现告知如下：${x.fields.reason ?? ''}`,
  },
  {
    code: 'repeat',
    outcome: 'not-processed.repeat',
    citation: `${A}第三十六条第（六）项`,
    fields: [f('earlierNo', 'text'), f('earlierOn', 'date')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n本机关已于${x.fields.earlierOn ?? ''}就你（单位）提出的相同内容的政府信息公开申请（受理编号${x.fields.earlierNo ?? ''}）作出答复，你（单位）重复申请的，根据${A}第三十六条第（六）项的规定，本机关不再重复处理。`,
  },
  {
    code: 'publication',
    outcome: 'not-processed.publication',
    citation: `${A}第三十九条第二款`,
    fields: [f('publication', 'text'), f('where')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）申请获取的是公开出版物《${x.fields.publication ?? ''}》。根据${A}第三十九条第二款的规定，本机关不作为政府信息公开申请处理，你（单位）可以通过以下途径获取：${x.fields.where ?? ''}`,
  },
  {
    code: 'excessive',
    outcome: 'not-processed.excessive',
    citation: `${A}第三十五条`,
    fields: [f('reason')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）申请公开政府信息的数量、频次明显超过合理范围，且未能说明理由或者理由不合理。根据${A}第三十五条的规定，本机关不予处理。说明如下：${x.fields.reason ?? ''}`,
  },
  {
    code: 'confirm-or-reissue',
    outcome: 'not-processed.confirm-or-reissue',
    citation: `${A}第三十六条`,
    fields: [f('reason')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n你（单位）的申请是要求本机关确认或者重新出具你（单位）已经获取的信息，不属于${A}规定的政府信息公开申请，本机关不予处理。说明如下：${x.fields.reason ?? ''}`,
  },
  {
    code: 'other',
    outcome: 'other.other',
    citation: A,
    fields: [f('reason')],
    discloses: false,
    withheldParts: false,
    body: (x) => `${opening(x)}\n根据${A}的规定，现答复如下：${x.fields.reason ?? ''}`,
  },
];

export const REPLY_TYPE_CODES = REPLY_TYPES.map((t) => t.code);
export const replyType = (code: string): ReplyType | undefined => REPLY_TYPES.find((t) => t.code === code);

/** Every letter's closing: the remedies (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: 6 months). */
export const REMEDY = '如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。';
export const LETTER_TITLE = '政府信息公开申请答复告知书';
