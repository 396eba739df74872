// Webhook endpoints (推送接口) of new-media accounts and other systems, and every try of a delivery
// to one. A delivery itself is a row of the platform's ledger (chn_deliveries, channel 'webhook',
// recipient_kind 'endpoint'); wh_attempts keeps each HTTP try of it. See docs/model.md, "Webhooks".
import type { Generated, Selectable } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';

export const WEBHOOK_EVENTS = ['published', 'changed', 'withdrawn', 'expired', 'repealed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const ENDPOINT_STATES = ['active', 'paused'] as const;

export interface WhEndpointTable {
  id: Generated<number>;
  name: string;
  url: string;
  /** JSON array of WEBHOOK_EVENTS. */
  events: string;
  /** JSON array of item types; [] = every type. */
  item_types: string;
  /** JSON array of department ids; [] = every department. */
  department_ids: string;
  /** The signing secret (shown once, on creation and on rotation). */
  secret: string;
  state: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WhAttemptTable {
  id: Generated<number>;
  /** chn_deliveries.id */
  delivery_id: number;
  endpoint_id: number;
  attempt: number;
  started_at: string;
  /** HTTP status, or null when no answer came (refused, timeout, connection error). */
  status: number | null;
  ms: number;
  error: string | null;
  /** The first 1 KB of the answer. */
  response: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    wh_endpoints: WhEndpointTable;
    wh_attempts: WhAttemptTable;
  }
}

export type EndpointRow = Selectable<WhEndpointTable>;
export type AttemptRow = Selectable<WhAttemptTable>;

export const webhookMigrations: GkMigration[] = [
  {
    name: '13001-webhooks',
    async up(db, dialect) {
      await withId(db.schema.createTable('wh_endpoints'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('item_types', 'text', (c) => c.notNull())
        .addColumn('department_ids', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('wh_endpoints_state').on('wh_endpoints').columns(['state']).execute();
      await withId(db.schema.createTable('wh_attempts'), dialect)
        .addColumn('delivery_id', 'integer', (c) => c.notNull())
        .addColumn('endpoint_id', 'integer', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('response', 'text')
        .execute();
      await db.schema.createIndex('wh_attempts_endpoint').on('wh_attempts').columns(['endpoint_id', 'id']).execute();
      await db.schema.createIndex('wh_attempts_delivery').on('wh_attempts').columns(['delivery_id', 'id']).execute();
    },
  },
];
