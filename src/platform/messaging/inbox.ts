// The staff inbox: in-app notices to staff users (deadline warnings, 督办, escalations…). Any
// module posts with postNotices in its transaction, once per user and dedupe key; the messaging
// part serves the inbox page and API, and the dashboard shows the unread count.
import type { Generated } from 'kysely';
import type { Db } from '../db/index.js';
import { withId, type GkMigration } from '../db/migrate.js';

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  body: string;
  url: string;
  clock_id: number | null;
  dedupe_key: string;
  created_at: string;
  read_at: string | null;
}

declare module '../db/schema.js' {
  interface Database {
    notifications: NotificationTable;
  }
}

// The table was first created by supervision's '1003-supervision'; on a database that ran it this
// migration finds the table and does nothing, on a new one it runs first (names sort 0xxx < 1xxx).
export const inboxMigrations: GkMigration[] = [
  {
    name: '0003-staff-inbox',
    async up(db, dialect) {
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
    },
  },
];

export interface Notice {
  kind: string;
  title: string;
  body: string;
  url: string;
  dedupeKey: string;
  clockId?: number | null;
}

/** Posts one inbox entry to each user, once per user and dedupe key, in the caller's transaction.
 *  Returns how many entries were new. */
export async function postNotices(t: Db, userIds: number[], n: Notice): Promise<number> {
  let added = 0;
  for (const id of new Set(userIds)) {
    const r = await t
      .insertInto('notifications')
      .values({ user_id: id, kind: n.kind, title: n.title, body: n.body, url: n.url, clock_id: n.clockId ?? null, dedupe_key: n.dedupeKey, created_at: new Date().toISOString(), read_at: null })
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) added++;
  }
  return added;
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select(db.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function inbox(db: Db, userId: number, page: number, pageSize = 30) {
  const total = Number((await db.selectFrom('notifications').select(db.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst())?.n ?? 0);
  const items = await db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  return { total, items };
}

export async function markRead(db: Db, userId: number, id?: number): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: new Date().toISOString() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (id !== undefined) q = q.where('id', '=', id);
  await q.execute();
}
