// Supervision's tables: the daily status snapshots (trend). Its first migration also created the
// staff inbox's table, which is now the platform's (platform/messaging/inbox.ts).
import { withId, type GkMigration } from '../../platform/db/migrate.js';

export interface SupervisionSnapshotTable {
  day: string;
  department_id: number;
  status: string;
  n: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    supervision_snapshots: SupervisionSnapshotTable;
  }
}

export const supervisionMigrations: GkMigration[] = [
  {
    name: '1003-supervision',
    async up(db, dialect) {
      // The staff inbox is the platform's now (messaging, '0003-staff-inbox', which runs first on a
      // new database); this first version of the table stays here for databases that ran it.
      await withId(db.schema.createTable('notifications').ifNotExists(), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('clock_id', 'integer')
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .addUniqueConstraint('notifications_user_dedupe', ['user_id', 'dedupe_key'])
        .execute();
      await db.schema.createIndex('notifications_user_unread').ifNotExists().on('notifications').columns(['user_id', 'read_at']).execute();
      await db.schema
        .createTable('supervision_snapshots')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('supervision_snapshots_pk', ['day', 'department_id', 'status'])
        .execute();
    },
  },
];
