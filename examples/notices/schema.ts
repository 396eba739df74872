// Tables of the example module and their migrations. A module owns its tables; the spine owns the
// published text (pub_items / pub_versions), so this table only links a notice to its item.
import type { Generated, Kysely } from 'kysely';
import type { GkMigration } from '../../src/platform/db/migrate.js';
import { withId } from '../../src/platform/db/migrate.js';
import type { Dialect } from '../../src/platform/db/index.js';

export interface NoticeTable {
  id: Generated<number>;
  pub_item_id: number;
  department_id: number;
  /** The last day (Asia/Shanghai) of the display period the notice promised. */
  closes_on: string;
  created_at: string;
}

declare module '../../src/platform/db/schema.js' {
  interface Database {
    example_notices: NoticeTable;
  }
}

// Migration names: a number in the module's range, then a kebab-case name; never renamed once shipped.
export const noticeMigrations: GkMigration[] = [
  {
    name: '9001-example-notices',
    async up(db: Kysely<any>, dialect: Dialect) {
      await withId(db.schema.createTable('example_notices'), dialect)
        .addColumn('pub_item_id', 'integer', (c) => c.notNull().unique())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('closes_on', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
