// Subscriptions (订阅, issue 20; ADR 0010): the public subscribes by e-mail or mobile number to a
// target — a department, a topic (主题分类), a genre, an item type, a saved search, one item's
// progress — immediately or as a daily/weekly digest, with double opt-in. A target is a
// subscriber list keyed by its canonical facet key (and the tokens of a saved search's keywords),
// so a publication is matched by index lookups, never by a loop over subscribers. What was sent
// to whom is the platform's delivery ledger (chn_deliveries). See docs/model.md § 8.
import type { Generated } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';

export const FREQUENCIES = ['immediately', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const SUB_CHANNELS = ['email', 'sms'] as const;
export type SubChannel = (typeof SUB_CHANNELS)[number];
/** pending (not confirmed) → active → suspended (repeated hard bounces) / complained / ended. */
export type SubscriberState = 'pending' | 'active' | 'suspended' | 'complained' | 'ended';
export type SubscriptionState = 'pending' | 'active' | 'ended';

export interface SubSubscriberTable {
  id: Generated<number>;
  channel: SubChannel;
  /** Lower-case e-mail, or an 11-digit mainland mobile number. */
  address: string;
  state: SubscriberState;
  locale: string;
  /** Bumped to void every signed link sent before (a "sign out everywhere" of links). */
  link_version: number;
  /** Hard bounces in a row (reset by a delivery). */
  bounces: number;
  created_at: string;
  confirmed_at: string | null;
  updated_at: string;
}

export interface SubListTable {
  id: Generated<number>;
  /** The canonical conjunction of facet values, e.g. 'dept=3', 'topic=02;type=document', 'item=17', '' (everything). */
  facet_key: string;
  /** The sorted keywords of a saved search ('' when none). */
  terms_key: string;
  n_terms: number;
  /** The department whose staff may see the list's subscribers (a dept facet), else null (admins). */
  department_id: number | null;
  created_at: string;
}

export interface SubListTermTable {
  list_id: number;
  token: string;
}

export interface SubSubscriptionTable {
  id: Generated<number>;
  subscriber_id: number;
  list_id: number;
  frequency: Frequency;
  state: SubscriptionState;
  /** 6-digit SMS confirmation: its hash, expiry and wrong tries. */
  code_hash: string | null;
  code_expires_at: string | null;
  code_tries: number;
  ended_reason: string | null;
  created_at: string;
  confirmed_at: string | null;
  ended_at: string | null;
}

/** A publication event matched a list (GOV.UK's matched content change): what digests read. */
export interface SubMatchTable {
  id: Generated<number>;
  list_id: number;
  item_id: number;
  version: number;
  event: string;
  matched_at: string;
}

export interface SubDigestRunTable {
  id: Generated<number>;
  frequency: Frequency;
  /** The Shanghai day (YYYY-MM-DD) or ISO week (YYYY-Www) it covers. */
  period: string;
  starts_at: string;
  ends_at: string;
  state: 'running' | 'done';
  subscribers: number;
  created_at: string;
  finished_at: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    sub_subscribers: SubSubscriberTable;
    sub_lists: SubListTable;
    sub_list_terms: SubListTermTable;
    sub_subscriptions: SubSubscriptionTable;
    sub_matches: SubMatchTable;
    sub_digest_runs: SubDigestRunTable;
  }
}

export const subscriptionMigrations: GkMigration[] = [
  {
    name: '12001-subscriptions',
    async up(db, dialect) {
      await withId(db.schema.createTable('sub_subscribers'), dialect)
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('link_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('bounces', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('sub_subscribers_address', ['channel', 'address'])
        .execute();
      await withId(db.schema.createTable('sub_lists'), dialect)
        .addColumn('facet_key', 'text', (c) => c.notNull())
        .addColumn('terms_key', 'text', (c) => c.notNull())
        .addColumn('n_terms', 'integer', (c) => c.notNull())
        .addColumn('department_id', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('sub_lists_key', ['facet_key', 'terms_key'])
        .execute();
      await db.schema
        .createTable('sub_list_terms')
        .addColumn('list_id', 'integer', (c) => c.notNull().references('sub_lists.id').onDelete('cascade'))
        .addColumn('token', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sub_list_terms_pk', ['token', 'list_id'])
        .execute();
      await withId(db.schema.createTable('sub_subscriptions'), dialect)
        .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('sub_subscribers.id').onDelete('cascade'))
        .addColumn('list_id', 'integer', (c) => c.notNull().references('sub_lists.id'))
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text')
        .addColumn('code_expires_at', 'text')
        .addColumn('code_tries', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ended_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('ended_at', 'text')
        .addUniqueConstraint('sub_subscriptions_once', ['subscriber_id', 'list_id'])
        .execute();
      // The fan-out reads the active subscriptions of the matched lists by frequency.
      await db.schema.createIndex('sub_subscriptions_fanout').on('sub_subscriptions').columns(['list_id', 'state', 'frequency', 'subscriber_id']).execute();
      await withId(db.schema.createTable('sub_matches'), dialect)
        .addColumn('list_id', 'integer', (c) => c.notNull())
        .addColumn('item_id', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('matched_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('sub_matches_once', ['list_id', 'item_id', 'version', 'event'])
        .execute();
      await db.schema.createIndex('sub_matches_time').on('sub_matches').columns(['matched_at', 'list_id']).execute();
      await withId(db.schema.createTable('sub_digest_runs'), dialect)
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('subscribers', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addUniqueConstraint('sub_digest_runs_once', ['frequency', 'period'])
        .execute();
    },
  },
];
