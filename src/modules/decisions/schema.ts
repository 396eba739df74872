// Decision openness (决策公开, Decree 713): the record of each major decision (重大行政决策) and its
// stages, public consultations (公开征求意见) with comments on each article, the adoption report
// (意见采纳情况) that gates the decision, and hearings (听证) with a verifiable participant draw and
// public attendance (列席). Published text (consultation drafts, hearing notices, the adoption
// report, the decision, its evaluation) lives in the spine; these tables keep what the work needs
// between steps. See docs/architecture.md, "Decisions", and docs/model.md, "Decisions".
import { sql, type Generated, type Selectable } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';
import { addSeedRule, type SeedRule } from '../../platform/deadlines/schema.js';

/** Clock subjects. */
export const SUBJECT_DECISION = 'major-decision';
export const SUBJECT_CONSULTATION = 'decision-consultation';

/** The comment period is the platform's seeded minimum rule (30 days, Decree 713 Art. 15). */
export const CONSULTATION_RULE_CODE = 'consultation.period';
/** 合法性审查: at least 7 working days (a minimum-period clock; Decree 713 Art. 26). */
export const LEGALITY_RULE: SeedRule = {
  code: 'decision.legality-review',
  nameZh: '重大行政决策合法性审查（不少于7个工作日）',
  nameEn: 'Legality review of a major decision (at least 7 working days)',
  unit: 'workdays',
  amount: 7,
  kind: 'minimum',
  maxExtensions: 0,
  extensionLimit: 0,
  pausable: false,
  legalBasis: '《重大行政决策程序暂行条例》第二十六条：送请合法性审查，应当保证必要的审查时间，一般不少于7个工作日',
};

/**
 * The stages of a decision, in order (Decree 713 ch. 3–5). `public_consultation` and `hearing`
 * are the public's part; the others are internal steps whose documents may be published.
 */
export const STAGES = ['drafting', 'consultation', 'expert_review', 'risk_assessment', 'legality_review', 'collective_decision', 'publication', 'evaluation'] as const;
export type Stage = (typeof STAGES)[number];
/** A stage's state: not reached yet, under way, finished, or not required (skipped with a reason). */
export const STAGE_STATES = ['pending', 'active', 'done', 'skipped'] as const;
export type StageState = (typeof STAGE_STATES)[number];
/** 集体讨论决定: the outcome recorded. */
export const COLLECTIVE_OUTCOMES = ['adopted', 'amended', 'deferred', 'rejected'] as const;

/** One major decision (重大行政决策事项). */
export interface DecisionTable {
  id: Generated<number>;
  department_id: number;
  /** The catalogue year (决策事项目录年度). */
  year: number;
  title: string;
  /** 决策依据. */
  basis: string;
  /** What the decision is about (public). */
  summary: string;
  /** The code of its row in the department's 决策事项目录 edition ('' when not catalogued). */
  catalogue_code: string;
  /** The stage under way (a STAGES code). */
  stage: string;
  /** 'open' while under way; 'published' once the decision is out; 'withdrawn' when dropped. */
  status: string;
  /** The spine item of the published decision (type 'major-decision'), once published. */
  item_id: number | null;
  /** The spine item of the post-decision evaluation (后评估报告), when published. */
  evaluation_item_id: number | null;
  /** 政策解读: a spine item id or a URL ('' for none). */
  interpretation: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** 11080: why the decision was withdrawn (public), and when ('' / null unless withdrawn). */
  withdraw_reason: Generated<string>;
  withdrawn_at: string | null;
  /** Who submitted the decision for publication (migration 11010), null until submitted; the approver must be someone else. */
  submitted_by: string | null;
  submitted_at: string | null;
  /** The decision's text as submitted for publication (migration 11010), '' until then. */
  decision_text: string;
}

/** One stage of one decision: its state, dates, documents and (for some stages) its outcome. */
export interface DecisionStageTable {
  id: Generated<number>;
  decision_id: number;
  stage: string;
  state: string;
  /** Planned dates (from the catalogue) and actual ones, Shanghai YYYY-MM-DD or null. */
  planned_on: string | null;
  started_on: string | null;
  finished_on: string | null;
  /** Why the stage is not required (skipped), shown on the public timeline. */
  skip_reason: string;
  /** 集体讨论决定: a COLLECTIVE_OUTCOMES code, '' otherwise. */
  outcome: string;
  /** 集体讨论决定: dissenting opinions recorded (不同意见), '' for none. */
  dissent: string;
  /** Staff's note on the stage (public). */
  note: string;
  /** JSON [{ fileId, name, public }]: the stage's documents (专家论证意见, 风险评估报告, 合法性审查意见…). */
  documents: string;
  /** The clock of the stage (legality review: 'decision.legality-review'). */
  clock_id: number | null;
  updated_at: string;
}

/** 公开征求意见: one consultation on a decision's draft. */
export interface ConsultationTable {
  id: Generated<number>;
  decision_id: number;
  department_id: number;
  title: string;
  /** 起草说明. */
  explanation: string;
  /** 'draft' (being prepared), 'open', 'closed'. */
  state: string;
  /** ISO instants (UTC); the public sees them in Asia/Shanghai. */
  opens_at: string;
  closes_at: string;
  /** The public reason for a period shorter than 30 days ('' when 30 days or more). */
  short_reason: string;
  /** The spine item of the consultation (type 'decision-consultation'), once open. */
  item_id: number | null;
  /** The comment-period clock. */
  clock_id: number | null;
  /** 意见采纳情况: 'none' | 'draft' | 'submitted' | 'published'. */
  report_state: string;
  /** The spine item of the adoption report (type 'decision-adoption-report'), once published. */
  report_item_id: number | null;
  /** The report's general text (总体说明). */
  report_summary: string;
  report_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One article (条) of a consultation draft, in order. */
export interface ConsultationArticleTable {
  id: Generated<number>;
  consultation_id: number;
  seq: number;
  /** 第三条, 一、, 3. … as in the draft ('' for a preamble). */
  label: string;
  text: string;
}

/** One public comment on a consultation (on the whole draft when article_id is null). */
export interface CommentTable {
  id: Generated<number>;
  consultation_id: number;
  article_id: number | null;
  /** The commenter's name; '' = anonymous. Shown masked. */
  name: string;
  /** Contact for the "report is out" notice ('' for none): an e-mail address and/or a mobile number. */
  email: string;
  phone: string;
  /** 1 when the e-mail or phone was verified with a code. */
  verified: number;
  body: string;
  /** 'pending' | 'published' | 'hidden'. */
  status: string;
  /** When hidden: 'abuse' | 'personal_data' | 'off_topic' | 'duplicate'. */
  hide_reason: string;
  moderated_by: string | null;
  moderated_at: string | null;
  /** The group of similar comments it belongs to (its disposition is the group's), or null. */
  group_id: number | null;
  /** 'adopted' (采纳) | 'partly' (部分采纳) | 'rejected' (未采纳) | '' (none yet); ungrouped comments only. */
  disposition: string;
  /** Required for 'partly' and 'rejected'. */
  disposition_reason: string;
  /** SHA-256 of the client address (rate limit evidence; never the address). */
  client_hash: string;
  /** When the commenter was told the report is out. */
  notified_at: string | null;
  created_at: string;
}

/** A group of similar comments given one disposition. */
export interface CommentGroupTable {
  id: Generated<number>;
  consultation_id: number;
  /** What the comments say, in the drafting team's words (public in the report). */
  label: string;
  disposition: string;
  disposition_reason: string;
  created_by: string;
  created_at: string;
}

/** 听证: one hearing on a decision. */
export interface HearingTable {
  id: Generated<number>;
  decision_id: number;
  department_id: number;
  title: string;
  /** ISO instant of the hearing. */
  starts_at: string;
  place: string;
  /** How participants are chosen (public text). */
  selection_method: string;
  /** How many participants are drawn. */
  participants: number;
  /** 1: the draw is stratified by viewpoint (for / against / other). */
  stratified: number;
  /** Registration closes (ISO instant). */
  registration_closes_at: string;
  /** Public attendance (列席) seats; 0 = no attendance. */
  attendance_capacity: number;
  /** 'draft' | 'announced' | 'drawn' | 'held' | 'cancelled'. */
  state: string;
  /** The spine item of the hearing notice (type 'decision-hearing'). */
  item_id: number | null;
  /** JSON of the draw record (inputs, commitments, selection), once prepared/drawn. */
  draw: string;
  /** JSON [{ fileId, name }]: materials (published at least 7 days before). */
  materials: string;
  materials_published_at: string | null;
  /** The record (听证笔录) file, once uploaded. */
  record_file_id: number | null;
  /** 11050: the record file as JSON { fileId (the file's SM3 hash), name, size, mime }, '' before. */
  record_file: Generated<string>;
  /** 11050: when the record was uploaded, and when the hearing was announced (ISO instants). */
  record_uploaded_at: string | null;
  announced_at: string | null;
  /** 11060: why the hearing was cancelled (public), and when ('' / null unless cancelled). */
  cancel_reason: Generated<string>;
  cancelled_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A public applicant to take part in a hearing (听证参加人报名). */
export interface HearingApplicantTable {
  id: Generated<number>;
  hearing_id: number;
  name: string;
  phone: string;
  email: string;
  /** 'for' | 'against' | 'other'. */
  viewpoint: string;
  reason: string;
  /** 1 once drawn as a participant. */
  selected: number;
  /** When the participant signed the record (听证笔录签字), null until then. */
  signed_at: string | null;
  client_hash: string;
  created_at: string;
}

/** Public attendance (列席) registration: confirmed within capacity, then a waiting list. */
export interface HearingAttendanceTable {
  id: Generated<number>;
  hearing_id: number;
  name: string;
  phone: string;
  email: string;
  /** 'confirmed' | 'waiting' | 'cancelled'. */
  status: string;
  client_hash: string;
  created_at: string;
  /** 11050: SHA-256 of the cancel code given at registration ('' for none). */
  cancel_hash: Generated<string>;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    dec_decisions: DecisionTable;
    dec_stages: DecisionStageTable;
    dec_consultations: ConsultationTable;
    dec_articles: ConsultationArticleTable;
    dec_comments: CommentTable;
    dec_comment_groups: CommentGroupTable;
    dec_hearings: HearingTable;
    dec_hearing_applicants: HearingApplicantTable;
    dec_hearing_attendance: HearingAttendanceTable;
    dec_comment_codes: CommentCodeTable;
  }
}

/** A verification code sent to a commenter's e-mail or mobile (part: comments; migration 11030). */
export interface CommentCodeTable {
  id: Generated<number>;
  /** 'sms:<mobile>' or 'email:<address>'. */
  target: string;
  channel: string;
  /** SHA-256 of target and code; the code itself is never stored. */
  code_hash: string;
  attempts: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export type DecisionRow = Selectable<DecisionTable>;
export type StageRow = Selectable<DecisionStageTable>;
export type ConsultationRow = Selectable<ConsultationTable>;
export type ArticleRow = Selectable<ConsultationArticleTable>;
export type CommentRow = Selectable<CommentTable>;
export type CommentGroupRow = Selectable<CommentGroupTable>;
export type HearingRow = Selectable<HearingTable>;
export type ApplicantRow = Selectable<HearingApplicantTable>;
export type AttendanceRow = Selectable<HearingAttendanceTable>;

export const decisionMigrations: GkMigration[] = [
  {
    name: '11001-decisions',
    async up(db, dialect) {
      await withId(db.schema.createTable('dec_decisions'), dialect)
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('catalogue_code', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('item_id', 'integer')
        .addColumn('evaluation_item_id', 'integer')
        .addColumn('interpretation', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_decisions_dept').on('dec_decisions').columns(['department_id', 'year']).execute();

      await withId(db.schema.createTable('dec_stages'), dialect)
        .addColumn('decision_id', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('planned_on', 'text')
        .addColumn('started_on', 'text')
        .addColumn('finished_on', 'text')
        .addColumn('skip_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('dissent', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('documents', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('clock_id', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('dec_stages_one', ['decision_id', 'stage'])
        .execute();

      await withId(db.schema.createTable('dec_consultations'), dialect)
        .addColumn('decision_id', 'integer', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('explanation', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('opens_at', 'text', (c) => c.notNull())
        .addColumn('closes_at', 'text', (c) => c.notNull())
        .addColumn('short_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('item_id', 'integer')
        .addColumn('clock_id', 'integer')
        .addColumn('report_state', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('report_item_id', 'integer')
        .addColumn('report_summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('report_by', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_consultations_decision').on('dec_consultations').column('decision_id').execute();
      await db.schema.createIndex('dec_consultations_state').on('dec_consultations').columns(['state', 'closes_at']).execute();

      await withId(db.schema.createTable('dec_articles'), dialect)
        .addColumn('consultation_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addUniqueConstraint('dec_articles_seq', ['consultation_id', 'seq'])
        .execute();

      await withId(db.schema.createTable('dec_comments'), dialect)
        .addColumn('consultation_id', 'integer', (c) => c.notNull())
        .addColumn('article_id', 'integer')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('hide_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('moderated_by', 'text')
        .addColumn('moderated_at', 'text')
        .addColumn('group_id', 'integer')
        .addColumn('disposition', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('disposition_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('client_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('notified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Published comments per article, newest first (the consultation page, 5,000+ comments).
      await db.schema.createIndex('dec_comments_public').on('dec_comments').columns(['consultation_id', 'status', 'article_id', 'id']).execute();
      await db.schema.createIndex('dec_comments_group').on('dec_comments').column('group_id').execute();

      await withId(db.schema.createTable('dec_comment_groups'), dialect)
        .addColumn('consultation_id', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('disposition', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('disposition_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_comment_groups_consultation').on('dec_comment_groups').column('consultation_id').execute();

      await withId(db.schema.createTable('dec_hearings'), dialect)
        .addColumn('decision_id', 'integer', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('place', 'text', (c) => c.notNull())
        .addColumn('selection_method', 'text', (c) => c.notNull())
        .addColumn('participants', 'integer', (c) => c.notNull())
        .addColumn('stratified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('registration_closes_at', 'text', (c) => c.notNull())
        .addColumn('attendance_capacity', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('item_id', 'integer')
        .addColumn('draw', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('materials', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('materials_published_at', 'text')
        .addColumn('record_file_id', 'integer')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_hearings_decision').on('dec_hearings').column('decision_id').execute();

      await withId(db.schema.createTable('dec_hearing_applicants'), dialect)
        .addColumn('hearing_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('viewpoint', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('selected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('signed_at', 'text')
        .addColumn('client_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_hearing_applicants_hearing').on('dec_hearing_applicants').column('hearing_id').execute();

      await withId(db.schema.createTable('dec_hearing_attendance'), dialect)
        .addColumn('hearing_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('client_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_hearing_attendance_hearing').on('dec_hearing_attendance').columns(['hearing_id', 'status']).execute();

      await addSeedRule(db, LEGALITY_RULE);
    },
  },
  {
    // stages part: the decision's publication is submitted by one person and approved by another.
    name: '11010-decision-submission',
    async up(db) {
      await db.schema.alterTable('dec_decisions').addColumn('submitted_by', 'text').execute();
      await db.schema.alterTable('dec_decisions').addColumn('submitted_at', 'text').execute();
      await db.schema.alterTable('dec_decisions').addColumn('decision_text', 'text', (c) => c.notNull().defaultTo('')).execute();
    },
  },
  // part: comments — verification codes for commenters' e-mail or mobile.
  {
    name: '11030-comment-codes',
    async up(db, dialect) {
      await withId(db.schema.createTable('dec_comment_codes'), dialect)
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dec_comment_codes_target').on('dec_comment_codes').columns(['target', 'id']).execute();
    },
  },
  {
    // Hearings: the record file (files are keyed by their hash), when the record was uploaded and
    // the hearing announced, and the hash of an attendance registration's cancel code.
    name: '11050-hearing-files',
    async up(db) {
      await db.schema.alterTable('dec_hearings').addColumn('record_file', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('dec_hearings').addColumn('record_uploaded_at', 'text').execute();
      await db.schema.alterTable('dec_hearings').addColumn('announced_at', 'text').execute();
      await db.schema.alterTable('dec_hearing_attendance').addColumn('cancel_hash', 'text', (c) => c.notNull().defaultTo('')).execute();
    },
  },
  {
    name: '11060-hearing-cancel',
    async up(db) {
      await db.schema.alterTable('dec_hearings').addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('dec_hearings').addColumn('cancelled_at', 'text').execute();
      // One application per phone number and per e-mail address of a hearing, even when two arrive at once.
      await db.schema.createIndex('dec_hearing_applicants_phone').unique().on('dec_hearing_applicants').columns(['hearing_id', 'phone']).where(sql.ref('phone'), '<>', '').execute();
      await db.schema.createIndex('dec_hearing_applicants_email').unique().on('dec_hearing_applicants').columns(['hearing_id', 'email']).where(sql.ref('email'), '<>', '').execute();
    },
  },
  {
    name: '11070-comment-counts-index',
    async up(db) {
      // The public counts (received / published / hidden by reason, per article) from the index alone.
      await db.schema.createIndex('dec_comments_counts').on('dec_comments').columns(['consultation_id', 'status', 'hide_reason', 'article_id']).execute();
    },
  },
  {
    name: '11080-decision-withdraw',
    async up(db) {
      await db.schema.alterTable('dec_decisions').addColumn('withdraw_reason', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('dec_decisions').addColumn('withdrawn_at', 'text').execute();
    },
  },
];
