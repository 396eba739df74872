// Tables of disclosure requests (依申请公开 `DisclosureRequest`), their fixed vocabularies and the
// deadline rule this module adds. See docs/model.md, "Disclosure requests".
import type { Generated, Selectable } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';
import { codeFailuresTable } from '../../platform/tracking.js';
import { addSeedRule, type SeedRule } from '../../platform/deadlines/schema.js';

/** The annual report's Table 三 columns: 自然人, then 法人或其他组织 in five. */
export const REQUESTER_TYPES = ['natural-person', 'commercial', 'research', 'public-interest', 'legal-services', 'other-org'] as const;
export type RequesterType = (typeof REQUESTER_TYPES)[number];
export const isOrganisation = (t: string): boolean => t !== 'natural-person';

/** How the request reached the office; the receipt date (Art. 31) follows from it. */
export const INTAKE_CHANNELS = ['online', 'in-person', 'registered-post', 'ordinary-post', 'fax', 'email'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
/** Channels staff register (the online form registers itself). */
export const STAFF_CHANNELS: IntakeChannel[] = ['in-person', 'registered-post', 'ordinary-post', 'fax', 'email'];
/**
 * Art. 31: in person — the day it is handed over; registered post — the day signed for; ordinary
 * post — the day the office confirms with the requester; online, fax, e-mail — the day both sides
 * confirm. `given`: the receipt date is known at entry; `confirmed`: a confirming event fixes it.
 */
export const RECEIPT_RULE: Record<IntakeChannel, 'given' | 'confirmed'> = {
  'in-person': 'given',
  'registered-post': 'given',
  'ordinary-post': 'confirmed',
  online: 'confirmed',
  fax: 'confirmed',
  email: 'confirmed',
};

export const ID_KINDS = ['resident-id', 'passport', 'other-id', 'credit-code', 'other-org-id'] as const;
export const PERSON_ID_KINDS = ['resident-id', 'passport', 'other-id'] as const;
export const ORG_ID_KINDS = ['credit-code', 'other-org-id'] as const;

/** 所需信息的载体形式 and 获取信息的方式. */
export const FORMS_WANTED = ['paper', 'electronic', 'disc'] as const;
export const CHANNELS_WANTED = ['post', 'email', 'fax', 'pickup', 'online'] as const;

/** The state, described (overdue is computed from the reply clock, never stored). */
export const REQUEST_STATES = ['awaiting-receipt', 'handling', 'awaiting-correction', 'consulting', 'awaiting-fee', 'replied', 'closed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
/** States in which the reply clock exists (running, or paused by a consultation or an unpaid fee). */
export const CLOCK_STATES: RequestState[] = ['handling', 'consulting', 'awaiting-fee'];
/**
 * States in which the office works on the request (consultations, an Art. 39 referral): not while
 * a fee notice waits for payment — its pause (kind `fee`) is ended only by payment, withdrawal or
 * lapse (service/fees.ts).
 */
export const WORKING_STATES: RequestState[] = ['handling', 'consulting'];
export const OPEN_STATES: RequestState[] = ['awaiting-receipt', 'handling', 'awaiting-correction', 'consulting', 'awaiting-fee'];

export const EVENT_KINDS = [
  'received',
  'receipt-confirmed',
  'correction-asked',
  'corrected',
  'extension-asked',
  'extension-approved',
  'extension-refused',
  'consultation-opened',
  'consultation-answered',
  'consultation-expired',
  'referred',
  'referral-received',
  'reply-drafted',
  'reply-submitted',
  'reply-returned',
  'reply-approved',
  'reply-signed',
  'replied',
  'fee-notice',
  'fee-paid',
  'fee-withdrawn',
  'closed',
  'review-filed',
  'review-decided',
  'review-corrected',
  'review-deleted',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONSULTATION_KINDS = ['third-party', 'agency'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
export const CONSULTATION_ANSWERS = ['consent', 'objection', 'no-opinion'] as const;

/** The clocks' subjects and rules. */
export const SUBJECT = 'disclosure-request';
export const CONSULTATION_SUBJECT = 'request-consultation';
export const REPLY_RULE = 'request.reply';
export const CORRECTION_RULE = 'request.correction';
export const CONSULTATION_RULES: Record<ConsultationKind, string> = { 'third-party': 'request.third-party', agency: 'request.agency' };

/** Art. 34's 15 working days for another agency (the third party's rule is in the platform's seed). */
export const AGENCY_RULE: SeedRule = {
  code: 'request.agency',
  nameZh: '征求其他机关意见',
  nameEn: 'Opinion of another agency',
  unit: 'workdays',
  amount: 15,
  maxExtensions: 0,
  extensionLimit: 0,
  pausable: false,
  legalBasis: '《中华人民共和国政府信息公开条例》第三十四条（逾期未提出意见的视为同意公开）',
};

export interface DisclosureRequestTable {
  id: Generated<number>;
  tracking_no: string;
  code_hash: string;
  department_id: number;
  to_government: number;
  channel: string;
  requester_type: string;
  requester_name: string;
  id_kind: string;
  id_number: string;
  org_contact: string;
  /** JSON [{hash, name, mime, size}] */
  id_proofs: string;
  contact_phone: string;
  contact_email: string;
  contact_address: string;
  contact_fax: string;
  info_name: string;
  info_doc_no: string;
  info_description: string;
  form_wanted: string;
  channel_wanted: string;
  state: string;
  arrived_on: string;
  received_on: string | null;
  correction_asked_on: string | null;
  correction_due: string | null;
  /** JSON string[] */
  correction_items: string | null;
  corrected_on: string | null;
  due_date: string | null;
  outcome: string | null;
  closed_on: string | null;
  referral_no: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}
export type DisclosureRequest = Selectable<DisclosureRequestTable>;

export interface RequestEventTable {
  id: Generated<number>;
  request_id: number;
  at: string;
  on_date: string;
  actor: string;
  kind: string;
  note: string;
  data: string;
  public: number;
}

export interface RequestExtensionTable {
  id: Generated<number>;
  request_id: number;
  workdays: number;
  reason: string;
  status: string;
  asked_by: string;
  asked_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface RequestConsultationTable {
  id: Generated<number>;
  request_id: number;
  kind: string;
  party: string;
  asked_on: string;
  due_date: string;
  answered_on: string | null;
  answer: string | null;
  note: string;
  created_by: string;
  created_at: string;
}

/**
 * A processing fee (信息处理费, Art. 42, 国办函〔2020〕109号): `count` — by the request's ordinal
 * among the requester's requests in its calendar month; `pages` — by the pages provided. Amounts in
 * 分. `status`: unpaid (the reply clock is paused), paid, lapsed (unpaid by `pay_by`: closed as
 * 三（六）2), withdrawn (the office dropped the notice).
 */
export const FEE_METHODS = ['count', 'pages'] as const;
export const FEE_STATUSES = ['unpaid', 'paid', 'lapsed', 'withdrawn'] as const;
export interface RequestFeeTable {
  id: Generated<number>;
  request_id: number;
  method: string;
  pages: number | null;
  ordinal: number | null;
  amount_fen: number;
  notice_on: string;
  pay_by: string;
  paid_on: string | null;
  status: string;
  note: string;
  created_by: string;
  created_at: string;
}

/**
 * 行政复议 and 行政诉讼 about a request (Table 四): `review`, `suit-direct` (未经复议直接起诉),
 * `suit-after-review` (复议后起诉, `prior_id`: the decided review of the same request before it).
 * `outcome` once decided (on `decided_on`): maintained 维持, corrected 纠正, other; null: 尚未审结.
 */
export const REVIEW_KINDS = ['review', 'suit-direct', 'suit-after-review'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_OUTCOMES = ['maintained', 'corrected', 'other'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export interface RequestReviewTable {
  id: Generated<number>;
  request_id: number;
  kind: string;
  body: string;
  case_no: string;
  filed_on: string;
  outcome: string | null;
  decided_on: string | null;
  /** A suit-after-review: the review it follows (7007). */
  prior_id: number | null;
  note: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type RequestReview = Selectable<RequestReviewTable>;

/**
 * The reply (答复) and its letter (告知书): `reply_type` one of service/reply-types.ts, `outcome` the
 * Table 三 leaf it records. `fields` JSON of the type's fields; `withheld` JSON [{part, ground,
 * reason}] (Art. 37); `item_ids` JSON of linked catalog items (pub_items.id); `attachments` JSON
 * [{hash, name, mime, size}]. `body` the letter's text (editable until signed). `status`: draft →
 * awaiting-approval → approved → signed (签发: text frozen, the letter file stored, `letter_hash`)
 * → delivered. One reply per request.
 */
export const REPLY_STATUSES = ['draft', 'awaiting-approval', 'approved', 'signed', 'delivered'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];
export interface RequestReplyTable {
  id: Generated<number>;
  request_id: number;
  reply_type: string;
  outcome: string;
  fields: string;
  withheld: string;
  item_ids: string;
  attachments: string;
  body: string;
  status: string;
  drafted_by: string;
  approved_by: string | null;
  approved_at: string | null;
  approval_note: string | null;
  signed_by: string | null;
  /** 签发人 and the agency as printed on the signed letter. */
  signer_name: string | null;
  agency_name: string | null;
  signed_at: string | null;
  letter_no: string | null;
  letter_hash: string | null;
  delivered_on: string | null;
  delivery_channel: string | null;
  delivery_ref: string | null;
  created_at: string;
  updated_at: string;
}
export type RequestReply = Selectable<RequestReplyTable>;

export interface RequestCodeFailureTable {
  tracking_no: string;
  failures: number;
  locked_until_ms: number;
  last_ms: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    disclosure_requests: DisclosureRequestTable;
    request_events: RequestEventTable;
    request_extensions: RequestExtensionTable;
    request_consultations: RequestConsultationTable;
    request_code_failures: RequestCodeFailureTable;
    request_fees: RequestFeeTable;
    request_reviews: RequestReviewTable;
    request_replies: RequestReplyTable;
  }
}

export const requestMigrations: GkMigration[] = [
  {
    name: '7001-disclosure-requests',
    async up(db, dialect) {
      await withId(db.schema.createTable('disclosure_requests'), dialect)
        .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('to_government', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('requester_type', 'text', (c) => c.notNull())
        .addColumn('requester_name', 'text', (c) => c.notNull())
        .addColumn('id_kind', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('id_number', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('org_contact', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('id_proofs', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_fax', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('info_name', 'text', (c) => c.notNull())
        .addColumn('info_doc_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('info_description', 'text', (c) => c.notNull())
        .addColumn('form_wanted', 'text', (c) => c.notNull())
        .addColumn('channel_wanted', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('arrived_on', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text')
        .addColumn('correction_asked_on', 'text')
        .addColumn('correction_due', 'text')
        .addColumn('correction_items', 'text')
        .addColumn('corrected_on', 'text')
        .addColumn('due_date', 'text')
        .addColumn('outcome', 'text')
        .addColumn('closed_on', 'text')
        .addColumn('referral_no', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('disclosure_requests_dept').on('disclosure_requests').columns(['department_id', 'state', 'id']).execute();
      await db.schema.createIndex('disclosure_requests_state').on('disclosure_requests').columns(['state', 'id']).execute();
      // The annual report (part B) counts by receipt and closing dates.
      await db.schema.createIndex('disclosure_requests_received').on('disclosure_requests').columns(['received_on']).execute();
      await db.schema.createIndex('disclosure_requests_closed').on('disclosure_requests').columns(['closed_on']).execute();
      await withId(db.schema.createTable('request_events'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().references('disclosure_requests.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('on_date', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('request_events_request').on('request_events').columns(['request_id', 'id']).execute();
      await withId(db.schema.createTable('request_extensions'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().references('disclosure_requests.id'))
        .addColumn('workdays', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('asked_by', 'text', (c) => c.notNull())
        .addColumn('asked_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decision_note', 'text')
        .execute();
      await db.schema.createIndex('request_extensions_request').on('request_extensions').columns(['request_id', 'status']).execute();
      await withId(db.schema.createTable('request_consultations'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().references('disclosure_requests.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('asked_on', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('answered_on', 'text')
        .addColumn('answer', 'text')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_consultations_request').on('request_consultations').columns(['request_id', 'answered_on']).execute();
      await codeFailuresTable(db, 'request_code_failures');
      await addSeedRule(db, AGENCY_RULE);
    },
  },
  {
    name: '7002-request-fees-reviews',
    async up(db, dialect) {
      await withId(db.schema.createTable('request_fees'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().references('disclosure_requests.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('pages', 'integer')
        .addColumn('ordinal', 'integer')
        .addColumn('amount_fen', 'integer', (c) => c.notNull())
        .addColumn('notice_on', 'text', (c) => c.notNull())
        .addColumn('pay_by', 'text', (c) => c.notNull())
        .addColumn('paid_on', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_fees_request').on('request_fees').columns(['request_id', 'status']).execute();
      await db.schema.createIndex('request_fees_paid').on('request_fees').columns(['paid_on']).execute();
      await withId(db.schema.createTable('request_reviews'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().references('disclosure_requests.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('case_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('filed_on', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('decided_on', 'text')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_reviews_request').on('request_reviews').columns(['request_id', 'id']).execute();
      await db.schema.createIndex('request_reviews_filed').on('request_reviews').columns(['filed_on']).execute();
    },
  },
  {
    name: '7003-request-replies',
    async up(db, dialect) {
      await withId(db.schema.createTable('request_replies'), dialect)
        .addColumn('request_id', 'integer', (c) => c.notNull().unique().references('disclosure_requests.id'))
        .addColumn('reply_type', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('withheld', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('item_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('drafted_by', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('approval_note', 'text')
        .addColumn('signed_by', 'text')
        .addColumn('signer_name', 'text')
        .addColumn('agency_name', 'text')
        .addColumn('signed_at', 'text')
        .addColumn('letter_no', 'text')
        .addColumn('letter_hash', 'text')
        .addColumn('delivered_on', 'text')
        .addColumn('delivery_channel', 'text')
        .addColumn('delivery_ref', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_replies_status').on('request_replies').columns(['status', 'request_id']).execute();
    },
  },
  {
    // A suit after review names the review it follows (the same request's, decided).
    name: '7007-request-review-prior',
    async up(db) {
      await db.schema.alterTable('request_reviews').addColumn('prior_id', 'integer', (c) => c.references('request_reviews.id')).execute();
    },
  },
];
