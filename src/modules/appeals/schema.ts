// Tables of the citizen appeals centre (市民诉求服务中心).
import type { Generated, Selectable } from 'kysely';
import { sql, withId, type GkMigration } from '../../platform/db/migrate.js';

export const APPEAL_TYPES = ['consult', 'help', 'complaint', 'report', 'suggest', 'praise'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];
/** Deadline rule per type (the limits live in the deadline engine's rule catalogue); 表扬 has none. */
export const TYPE_RULES: Record<AppealType, string | null> = {
  consult: 'appeal.consult',
  help: 'appeal.help',
  suggest: 'appeal.suggest',
  complaint: 'appeal.complaint',
  report: 'appeal.report',
  praise: null,
};

/**
 * received 待派单 → dispatched 办理中 (⇄ return_requested 退单待审) → [reply_review 待中心审核, when the
 * centre reviews replies] → replied 已答复 → closed 已办结; merged 已并单.
 */
export const APPEAL_STATUSES = ['received', 'dispatched', 'return_requested', 'reply_review', 'replied', 'closed', 'merged'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const OPEN_STATUSES: AppealStatus[] = ['received', 'dispatched', 'return_requested', 'reply_review', 'replied'];

export const CHANNELS = ['web', 'phone', 'open311', 'api', 'referral'] as const;

export interface AppealTable {
  id: Generated<number>;
  tracking_no: string;
  code_hash: string;
  type: string;
  category: string;
  title: string;
  content: string;
  address: string;
  lat: number | null;
  lng: number | null;
  area: string | null;
  contact_name: string;
  contact_phone: string;
  contact_email: string;
  phone_verified: number;
  email_verified: number;
  consent: number;
  channel: string;
  status: string;
  department_id: number | null;
  merged_into: number | null;
  due_date: string | null;
  /** The reply the citizen sees (given at once, or once the centre approved it). */
  reply: string | null;
  resolved: number | null;
  replied_at: string | null;
  /** The department's reply awaiting (or returned from) the centre's review; never shown to the citizen. */
  reply_draft: string | null;
  reply_draft_resolved: number | null;
  reply_draft_at: string | null;
  closed_at: string | null;
  callback_note: string | null;
  callback_at: string | null;
  rating: string | null;
  rating_comment: string | null;
  rated_at: string | null;
  reopen_count: number;
  urge_count: number;
  media: string; // JSON array of file hashes
  api_key_id: number | null;
  created_by: number | null;
  publish_state: string; // none | pending | published | declined
  pub_item_id: number | null;
  title_masked: string | null;
  content_masked: string | null;
  reply_masked: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  month: string; // YYYY-MM of created_at, for the board and statistics
}

export interface AppealEventTable {
  id: Generated<number>;
  appeal_id: number;
  at: string;
  actor: string;
  action: string;
  note: string;
  public: number;
  department_id: number | null;
}

export interface AppealAssistTable {
  id: Generated<number>;
  appeal_id: number;
  department_id: number;
  created_at: string;
}

export interface AppealRequestTable {
  id: Generated<number>;
  appeal_id: number;
  kind: string; // extension | return
  department_id: number;
  workdays: number | null;
  reason: string;
  status: string; // pending | approved | rejected
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
}

export interface AppealCategoryTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string;
  group_name: string;
  description: string;
  department_id: number | null;
  keywords: string;
  active: number;
  sort: number;
}

export interface AppealRuleTable {
  id: Generated<number>;
  kind: string; // category | keyword | area
  pattern: string;
  department_id: number;
  weight: number;
  active: number;
  note: string;
  created_at: string;
}

export interface AppealVerificationTable {
  id: Generated<number>;
  target: string;
  channel: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  verified_at: string | null;
  created_at: string;
}

export interface Open311KeyTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  prefix: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * Wrong query codes per tracking number — any well-formed number, existing or not, so that a
 * lock says nothing about existence. Times are ms since the epoch (compared in SQL).
 */
export interface AppealCodeFailureTable {
  tracking_no: string;
  /** Failed attempts in a row (an attempt counts until the code proves right). */
  failures: number;
  /** Refused until then (0 = not locked). */
  locked_until_ms: number;
  last_ms: number;
}

export type Appeal = Selectable<AppealTable>;

declare module '../../platform/db/schema.js' {
  interface Database {
    appeals: AppealTable;
    appeal_events: AppealEventTable;
    appeal_assists: AppealAssistTable;
    appeal_requests: AppealRequestTable;
    appeal_categories: AppealCategoryTable;
    appeal_rules: AppealRuleTable;
    appeal_verifications: AppealVerificationTable;
    open311_keys: Open311KeyTable;
    appeal_code_failures: AppealCodeFailureTable;
  }
}

export const appealMigrations: GkMigration[] = [
  {
    name: '4001-appeals',
    async up(db, dialect) {
      const real = dialect === 'postgres' ? 'double precision' : 'real';
      await withId(db.schema.createTable('appeal_categories'), dialect)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('group_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
        .addColumn('keywords', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await withId(db.schema.createTable('appeal_rules'), dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('pattern', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('appeals'), dialect)
        .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lat', real as any)
        .addColumn('lng', real as any)
        .addColumn('area', 'text')
        .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
        .addColumn('merged_into', 'integer')
        .addColumn('due_date', 'text')
        .addColumn('reply', 'text')
        .addColumn('resolved', 'integer')
        .addColumn('replied_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('callback_note', 'text')
        .addColumn('callback_at', 'text')
        .addColumn('rating', 'text')
        .addColumn('rating_comment', 'text')
        .addColumn('rated_at', 'text')
        .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('urge_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('media', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('api_key_id', 'integer')
        .addColumn('created_by', 'integer')
        .addColumn('publish_state', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('pub_item_id', 'integer')
        .addColumn('title_masked', 'text')
        .addColumn('content_masked', 'text')
        .addColumn('reply_masked', 'text')
        .addColumn('published_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .execute();
      // The public board filters published appeals by type, category, department and month, newest
      // first. Partial indexes (published rows only), so intake does not pay for them. Each leads
      // with one filter and the id (a page is read in order) and carries the other filter columns,
      // so combined filters and the capped count are answered from the index alone. Queries must
      // name the literal 'published' (sql.lit) for SQLite to use a partial index.
      const board: [string, string[]][] = [
        ['appeals_board', ['id']],
        ['appeals_board_type', ['type', 'id', 'category', 'department_id', 'month']],
        ['appeals_board_cat', ['category', 'id', 'type', 'department_id', 'month']],
        ['appeals_board_dept', ['department_id', 'id', 'type', 'category', 'month']],
        ['appeals_board_month', ['month', 'id', 'type', 'category', 'department_id']],
      ];
      for (const [name, cols] of board) await db.schema.createIndex(name).on('appeals').columns(cols).where(sql.ref('publish_state'), '=', sql.lit('published')).execute();
      await db.schema.createIndex('appeals_status').on('appeals').columns(['status', 'id']).execute();
      await db.schema.createIndex('appeals_dept').on('appeals').columns(['department_id', 'status']).execute();
      await db.schema.createIndex('appeals_created').on('appeals').columns(['created_at']).execute();
      await db.schema.createIndex('appeals_pub_item').on('appeals').columns(['pub_item_id']).where(sql.ref('pub_item_id'), 'is not', null).execute();
      await withId(db.schema.createTable('appeal_events'), dialect)
        .addColumn('appeal_id', 'integer', (c) => c.notNull().references('appeals.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('department_id', 'integer')
        .execute();
      await db.schema.createIndex('appeal_events_appeal').on('appeal_events').columns(['appeal_id', 'id']).execute();
      await withId(db.schema.createTable('appeal_assists'), dialect)
        .addColumn('appeal_id', 'integer', (c) => c.notNull().references('appeals.id'))
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('appeal_assists_unique', ['appeal_id', 'department_id'])
        .execute();
      await db.schema.createIndex('appeal_assists_dept').on('appeal_assists').columns(['department_id', 'appeal_id']).execute();
      await withId(db.schema.createTable('appeal_requests'), dialect)
        .addColumn('appeal_id', 'integer', (c) => c.notNull().references('appeals.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('workdays', 'integer')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('appeal_requests_appeal').on('appeal_requests').columns(['appeal_id', 'status']).execute();
      await withId(db.schema.createTable('appeal_verifications'), dialect)
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('appeal_verifications_target').on('appeal_verifications').columns(['target', 'id']).execute();
      await withId(db.schema.createTable('open311_keys'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
    },
  },
  {
    name: '4002-appeal-code-failures',
    async up(db) {
      await db.schema
        .createTable('appeal_code_failures')
        .addColumn('tracking_no', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('appeal_code_failures_last').on('appeal_code_failures').column('last_ms').execute();
    },
  },
  {
    // The centre's review of department replies (待中心审核): the reply waits here until approved.
    name: '4003-appeal-reply-review',
    async up(db) {
      await db.schema.alterTable('appeals').addColumn('reply_draft', 'text').execute();
      await db.schema.alterTable('appeals').addColumn('reply_draft_resolved', 'integer').execute();
      await db.schema.alterTable('appeals').addColumn('reply_draft_at', 'text').execute();
    },
  },
];
