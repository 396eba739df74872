// Tables of the list engine, service ratings and the policy library (migrations 5xxx).
import type { Generated } from 'kysely';
import type { GkMigration } from '../../platform/db/migrate.js';
import { withId } from '../../platform/db/migrate.js';
import { industrySeed } from './service/industry/table.js';

export interface ListTable {
  id: Generated<number>;
  type: string;
  /** The department that keeps the list (for government lists: the department maintaining it). */
  department_id: number;
  /** 'department' | 'government' */
  scope: string;
  title: string;
  /** Number of the current (latest published) edition; null before the first. */
  current_edition: number | null;
  created_at: string;
}

export interface ListEditionTable {
  id: Generated<number>;
  list_id: number;
  number: number;
  /** draft | approving (inside the approval transaction) | published | rejected | discarded */
  status: string;
  /** JSON array: the full snapshot of items. */
  items: string;
  /** JSON change record against the previous edition (Changes). */
  changes: string;
  reason: string;
  /** 文号 of the approving document. */
  doc_no: string;
  /** The spine item that publishes this edition (索引号, versions, search, feeds). */
  pub_item_id: number | null;
  created_by: number | null;
  approved_by: number | null;
  reject_reason: string | null;
  created_at: string;
  published_at: string | null;
}

/** Items of published editions, one row per item and edition (filters, history, lookup). */
export interface ListItemTable {
  id: Generated<number>;
  edition_id: number;
  list_id: number;
  type: string;
  item_key: string;
  name: string;
  department: string | null;
  power_type: string | null;
  category: string | null;
  search: string;
  data: string;
}

/** 好差评 on a service guide (keyed by the guide's code, stable across editions). */
export interface ListRatingTable {
  id: Generated<number>;
  guide_code: string;
  level: string;
  comment: string;
  real_name: number;
  name: string;
  phone: string;
  created_at: string;
}

/** Follow-up of a real-name 差评: call-back (100%) and fix deadline. */
export interface ListFollowupTable {
  id: Generated<number>;
  rating_id: number;
  department: string | null;
  fix_due: string;
  callback_at: string | null;
  callback_by: string | null;
  callback_note: string | null;
  fixed_at: string | null;
  fix_note: string | null;
  created_at: string;
}

/** Who a policy (a catalog item of the spine) applies to. Empty lists mean "any". */
export interface PolicyTagTable {
  item_id: number;
  industries: string;
  sizes: string;
  locations: string;
  qualifications: string;
  subsidy_type: string;
  window_start: string | null;
  window_end: string | null;
  updated_by: string;
  updated_at: string;
}

export interface PolicySubscriptionTable {
  id: Generated<number>;
  email: string;
  profile: string;
  token: string;
  created_at: string;
}

/** GB/T 4754-2017 industries with the everyday aliases staff edit (the industry picker). */
export interface IndustryTable {
  /** Letter-prefixed code: 'H', 'H62', 'H623', 'H6232'. */
  code: string;
  /** section (门类) | division (大类) | group (中类) | class (小类) */
  level: string;
  parent: string | null;
  name: string;
  /** JSON array of everyday words ("咖啡店"). */
  aliases: string;
  /** Position in the standard's order. */
  sort: number;
  updated_by: string;
  updated_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    lists: ListTable;
    list_editions: ListEditionTable;
    list_items: ListItemTable;
    list_ratings: ListRatingTable;
    list_followups: ListFollowupTable;
    policy_tags: PolicyTagTable;
    policy_subscriptions: PolicySubscriptionTable;
    industries: IndustryTable;
  }
}

export const listMigrations: GkMigration[] = [
  {
    name: '5001_lists',
    async up(db, dialect) {
      await withId(db.schema.createTable('lists'), dialect)
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('current_edition', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('lists_type_dept', ['type', 'department_id'])
        .execute();
      await withId(db.schema.createTable('list_editions'), dialect)
        .addColumn('list_id', 'integer', (c) => c.notNull().references('lists.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('doc_no', 'text', (c) => c.notNull())
        .addColumn('pub_item_id', 'integer')
        .addColumn('created_by', 'integer')
        .addColumn('approved_by', 'integer')
        .addColumn('reject_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .execute();
      await db.schema.createIndex('list_editions_list').on('list_editions').columns(['list_id', 'number']).execute();
      await withId(db.schema.createTable('list_items'), dialect)
        .addColumn('edition_id', 'integer', (c) => c.notNull().references('list_editions.id'))
        .addColumn('list_id', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('power_type', 'text')
        .addColumn('category', 'text')
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('list_items_edition').on('list_items').columns(['edition_id', 'item_key']).execute();
      await db.schema.createIndex('list_items_key').on('list_items').columns(['type', 'item_key']).execute();
      await withId(db.schema.createTable('list_ratings'), dialect)
        .addColumn('guide_code', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('real_name', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('list_ratings_guide').on('list_ratings').column('guide_code').execute();
      await withId(db.schema.createTable('list_followups'), dialect)
        .addColumn('rating_id', 'integer', (c) => c.notNull().unique().references('list_ratings.id'))
        .addColumn('department', 'text')
        .addColumn('fix_due', 'text', (c) => c.notNull())
        .addColumn('callback_at', 'text')
        .addColumn('callback_by', 'text')
        .addColumn('callback_note', 'text')
        .addColumn('fixed_at', 'text')
        .addColumn('fix_note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('policy_tags')
        .addColumn('item_id', 'integer', (c) => c.primaryKey())
        .addColumn('industries', 'text', (c) => c.notNull())
        .addColumn('sizes', 'text', (c) => c.notNull())
        .addColumn('locations', 'text', (c) => c.notNull())
        .addColumn('qualifications', 'text', (c) => c.notNull())
        .addColumn('subsidy_type', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text')
        .addColumn('window_end', 'text')
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('policy_subscriptions'), dialect)
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '5002-industries',
    async up(db) {
      await db.schema
        .createTable('industries')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('industries_parent').on('industries').column('parent').execute();
      // Seeded from the data file (service/industry/): the standard's table and the starting aliases.
      const at = new Date().toISOString();
      const rows = industrySeed().map((r, i) => ({ code: r.code, level: r.level, parent: r.parent, name: r.name, aliases: JSON.stringify(r.aliases), sort: i + 1, updated_by: 'system', updated_at: at }));
      for (let i = 0; i < rows.length; i += 200) await db.insertInto('industries').values(rows.slice(i, i + 200)).execute();
    },
  },
];
