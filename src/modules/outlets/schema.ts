// Outlets (公开渠道的屏和栏): electronic screens (电子显示屏) showing a rotating playlist, and notice
// boards (公开栏) where staff post printed notices. What each outlet carries is recorded in the
// delivery ledger (chn_deliveries, channel 'screen' or 'board'); these tables keep the outlets,
// their pinned items and the set each screen showed last. See docs/model.md, "Outlets".
import type { Generated } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';

export const OUTLET_KINDS = ['screen', 'board'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];

export interface OutOutletTable {
  id: Generated<number>;
  kind: OutletKind;
  name: string;
  location: string;
  /** The kiosk's address (/screens/<token>): unguessable, 32 hex characters. */
  token: string;
  /** JSON {departments: ids, types: item types, newest: N}. */
  selection: string;
  rotate_seconds: number;
  /** The owning department (the action channels.outlets is checked against it). */
  department_id: number;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutPinTable {
  outlet_id: number;
  item_id: number;
  position: number;
}

/** The items (and versions) a screen showed in its last playlist: the next one is compared with it. */
export interface OutShownTable {
  outlet_id: number;
  item_id: number;
  version: number;
  shown_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    out_outlets: OutOutletTable;
    out_pins: OutPinTable;
    out_shown: OutShownTable;
  }
}

export const outletMigrations: GkMigration[] = [
  {
    name: '14001-outlets',
    async up(db, dialect) {
      await withId(db.schema.createTable('out_outlets'), dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('token', 'text', (c) => c.notNull().unique())
        .addColumn('selection', 'text', (c) => c.notNull())
        .addColumn('rotate_seconds', 'integer', (c) => c.notNull().defaultTo(15))
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('last_seen_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('out_outlets_department').on('out_outlets').columns(['department_id', 'kind']).execute();
      await db.schema
        .createTable('out_pins')
        .addColumn('outlet_id', 'integer', (c) => c.notNull().references('out_outlets.id').onDelete('cascade'))
        .addColumn('item_id', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('out_pins_pk', ['outlet_id', 'item_id'])
        .execute();
      await db.schema.createIndex('out_pins_item').on('out_pins').column('item_id').execute();
      await db.schema
        .createTable('out_shown')
        .addColumn('outlet_id', 'integer', (c) => c.notNull().references('out_outlets.id').onDelete('cascade'))
        .addColumn('item_id', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('shown_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('out_shown_pk', ['outlet_id', 'item_id'])
        .execute();
    },
  },
];
