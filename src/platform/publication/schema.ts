// Tables of the publication spine and of the file store (augmenting the platform's Database).
import type { Generated, Kysely } from 'kysely';
import type { GkMigration } from '../db/migrate.js';
import { withId } from '../db/migrate.js';

export interface PubItemTable {
  id: Generated<number>;
  type: string;
  department_id: number;
  /** 索引号: assigned at first publication, never changed. */
  index_no: string | null;
  /** Workflow status of the newest version: draft | secrecy_review | review | signing | scheduled | published | withdrawn */
  status: string;
  /** 1 while a published version is online (not withdrawn). */
  public: number;
  published_version: number | null;
  latest_version: number;
  // Denormalised metadata of the published version (listing, filters, feeds).
  title: string;
  doc_no: string;
  topic: string | null;
  genre: string | null;
  category: string | null;
  written_at: string | null;
  effective_at: string | null;
  expires_at: string | null;
  validity: string; // valid | expired | repealed
  year: number | null;
  summary: string;
  /** Plain text for staff/API `q` filters (title, 文号, keywords, summary). */
  search_text: string;
  /** When the information was formed or (last) changed (Art. 26 clock start), YYYY-MM-DD. */
  formed_at: string;
  first_published_at: string | null;
  published_at: string | null; // of the current published version
  withdrawn_at: string | null;
  withdraw_reason: string | null;
  validity_changed_at: string | null;
  validity_reason: string | null;
  /** The last public change: publication of a version, 废止/失效, 撤回 (feeds sort by it); null before the first publication. */
  changed_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface PubVersionTable {
  id: Generated<number>;
  item_id: number;
  version: number;
  state: string; // draft | secrecy_review | review | signing | scheduled | published | superseded
  meta: string; // JSON: common metadata
  data: string; // JSON: the type's payload
  change_note: string;
  author_id: number | null;
  approvals: string; // JSON [{stage, userId, username, at}]
  /** JSON [userId]: everyone who wrote this version (none of them may approve it). */
  editors: string;
  reject_reason: string | null;
  publish_at: string | null;
  hash: string | null;
  canonical: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One workflow step taken on a version (提交, 审核通过, 退回…) with its 审核意见: the item's review history. */
export interface PubReviewTable {
  id: Generated<number>;
  item_id: number;
  version: number;
  /** The stage acted on: draft (submit) | secrecy_review | review | signing */
  stage: string;
  action: string; // submit | approve | reject
  user_id: number | null;
  /** As on the audit chain: `user:NAME`, or the caller's kind (system, cli, demo). */
  actor: string;
  /** The role whose grant allowed the step (null: not a user, or recorded before 2007). */
  role: string | null;
  /** 审核意见 ('' when none was given); required for a rejection. */
  opinion: string;
  at: string;
}

export interface PubCounterTable {
  prefix: string;
  year: number;
  n: number;
}

export interface PubLinkTable {
  from_id: number;
  to_id: number;
  kind: string; // related | interprets
}

export interface PubStateTable {
  id: number;
  generation: number;
}

export interface FileTable {
  hash: string;
  size: number;
  mime: string;
  ext: string;
  text: string;
  created_at: string;
}

declare module '../db/schema.js' {
  interface Database {
    pub_items: PubItemTable;
    pub_versions: PubVersionTable;
    pub_reviews: PubReviewTable;
    pub_counters: PubCounterTable;
    pub_links: PubLinkTable;
    pub_state: PubStateTable;
    files: FileTable;
  }
}

/**
 * Copies the review steps recorded on the audit chain (publication.submit / approve / schedule /
 * reject; a rejection's reason, or an approval's opinion, as its opinion) into pub_reviews, in batches; their role is
 * unknown (null). Migration 2007 runs it once on the steps taken before the table existed.
 */
export async function copyReviewsFromAudit(db: Kysely<any>): Promise<void> {
  const actions: Record<string, string> = { 'publication.submit': 'submit', 'publication.approve': 'approve', 'publication.schedule': 'approve', 'publication.reject': 'reject' };
  let after = 0;
  for (;;) {
    const rows: { seq: number; at: string; actor: string; action: string; entity_id: string; details: string }[] = await db
      .selectFrom('audit_events')
      .select(['seq', 'at', 'actor', 'action', 'entity_id', 'details'])
      .where('seq', '>', after)
      .where('entity', '=', 'pub_item')
      .where('action', 'in', Object.keys(actions))
      .orderBy('seq')
      .limit(500)
      .execute();
    if (!rows.length) break;
    after = Number(rows[rows.length - 1].seq);
    const ids = [...new Set(rows.map((r) => Number(r.entity_id)).filter((n) => Number.isSafeInteger(n) && n > 0))];
    const items = new Set((await db.selectFrom('pub_items').select('id').where('id', 'in', ids.length ? ids : [-1]).execute()).map((r: { id: number }) => Number(r.id)));
    const names = [...new Set(rows.map((r) => r.actor).filter((a) => a.startsWith('user:')).map((a) => a.slice(5)))];
    const users = new Map((names.length ? await db.selectFrom('users').select(['id', 'username']).where('username', 'in', names).execute() : []).map((u: { id: number; username: string }) => [u.username, Number(u.id)]));
    const values = [];
    for (const r of rows) {
      const itemId = Number(r.entity_id);
      if (!items.has(itemId)) continue;
      let d: { version?: unknown; stage?: unknown; reason?: unknown; opinion?: unknown } = {};
      try {
        d = JSON.parse(r.details);
      } catch {
        continue;
      }
      const action = actions[r.action];
      if (typeof d.version !== 'number') continue;
      values.push({ item_id: itemId, version: d.version, stage: action === 'submit' ? 'draft' : d.stage === 'scheduled' ? 'signing' : String(d.stage ?? ''), action, user_id: r.actor.startsWith('user:') ? (users.get(r.actor.slice(5)) ?? null) : null, actor: r.actor, role: null, opinion: String((action === 'reject' ? d.reason : d.opinion) ?? ''), at: r.at });
    }
    if (values.length) await db.insertInto('pub_reviews').values(values).execute();
  }
}

/** Sets pub_items.changed_at to the latest of published_at, validity_changed_at and withdrawn_at
 *  (ISO texts compare as moments). Migration 2009 runs it once on the items published before. */
export async function backfillChangedAt(db: Kysely<any>): Promise<void> {
  await db.updateTable('pub_items').set((eb) => ({ changed_at: eb.ref('published_at') })).where('published_at', 'is not', null).execute();
  for (const col of ['validity_changed_at', 'withdrawn_at'] as const)
    await db
      .updateTable('pub_items')
      .set((eb) => ({ changed_at: eb.ref(col) }))
      .where(col, 'is not', null)
      .where((eb) => eb.or([eb('changed_at', 'is', null), eb('changed_at', '<', eb.ref(col))]))
      .execute();
}

export const publicationMigrations: GkMigration[] = [
  {
    name: '2001-publication',
    async up(db, dialect) {
      await withId(db.schema.createTable('pub_items'), dialect)
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('index_no', 'text', (c) => c.unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_version', 'integer')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('doc_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('topic', 'text')
        .addColumn('genre', 'text')
        .addColumn('category', 'text')
        .addColumn('written_at', 'text')
        .addColumn('effective_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('validity', 'text', (c) => c.notNull().defaultTo('valid'))
        .addColumn('year', 'integer')
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('formed_at', 'text', (c) => c.notNull())
        .addColumn('first_published_at', 'text')
        .addColumn('published_at', 'text')
        .addColumn('withdrawn_at', 'text')
        .addColumn('withdraw_reason', 'text')
        .addColumn('validity_changed_at', 'text')
        .addColumn('validity_reason', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pub_items_public_pub').on('pub_items').columns(['public', 'first_published_at', 'id']).execute();
      await db.schema.createIndex('pub_items_dept').on('pub_items').columns(['department_id', 'public', 'first_published_at']).execute();
      await db.schema.createIndex('pub_items_topic').on('pub_items').columns(['topic', 'public']).execute();
      await db.schema.createIndex('pub_items_status').on('pub_items').columns(['status', 'department_id']).execute();
      await withId(db.schema.createTable('pub_versions'), dialect)
        .addColumn('item_id', 'integer', (c) => c.notNull().references('pub_items.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('change_note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('author_id', 'integer')
        .addColumn('approvals', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('reject_reason', 'text')
        .addColumn('publish_at', 'text')
        .addColumn('hash', 'text')
        .addColumn('canonical', 'text')
        .addColumn('published_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('pub_counters')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('pub_counters_pk', ['prefix', 'year'])
        .execute();
      await db.schema
        .createTable('pub_links')
        .addColumn('from_id', 'integer', (c) => c.notNull().references('pub_items.id'))
        .addColumn('to_id', 'integer', (c) => c.notNull().references('pub_items.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pub_links_pk', ['from_id', 'to_id', 'kind'])
        .execute();
      await db.schema.createIndex('pub_links_to').on('pub_links').columns(['to_id']).execute();
      await db.schema.createTable('pub_state').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('generation', 'integer', (c) => c.notNull()).execute();
      await db.insertInto('pub_state').values({ id: 1, generation: 1 }).execute();
      await db.schema
        .createTable('files')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('ext', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '2002-publication-indexes',
    async up(db) {
      await db.schema.createIndex('pub_items_validity').on('pub_items').columns(['public', 'validity', 'expires_at']).execute();
      await db.schema.createIndex('pub_items_genre').on('pub_items').columns(['genre', 'public']).execute();
      await db.schema.createIndex('pub_items_category').on('pub_items').columns(['category', 'public']).execute();
      await db.schema.createIndex('pub_items_year').on('pub_items').columns(['year', 'public']).execute();
    },
  },
  {
    name: '2003-publication-editors',
    async up(db) {
      await db.schema.alterTable('pub_versions').addColumn('editors', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
  {
    name: '2004-publication-version-unique',
    async up(db) {
      // One row per (item, version): also the index every version lookup and join uses.
      await db.schema.createIndex('pub_versions_item_version').on('pub_versions').columns(['item_id', 'version']).unique().ifNotExists().execute();
    },
  },
  {
    name: '2005-publication-glossary-names',
    async up(db) {
      // The glossary's names in the metadata of versions not yet published (drafts, versions in
      // review, scheduled ones): `disclosure` 'on_request' → 'on-request', 'not_public' →
      // 'withheld', `disclosureGround` → `withholdGround`. Published and superseded versions are
      // left as they are: their canonical text is hashed and never rewritten, and their stored
      // meta stays what that text says; readers map the old names (readMeta in meta.ts).
      // Read-modify-write of the JSON text, the same on SQLite and PostgreSQL.
      let after = 0;
      for (;;) {
        const rows: { id: number; meta: string }[] = await db
          .selectFrom('pub_versions')
          .select(['id', 'meta'])
          .where('id', '>', after)
          .where('canonical', 'is', null)
          .where('state', 'not in', ['published', 'superseded'])
          .orderBy('id')
          .limit(500)
          .execute();
        if (!rows.length) break;
        for (const r of rows) {
          const m = JSON.parse(r.meta) as Record<string, unknown>;
          const { disclosureGround, ...out } = m;
          if (out.disclosure === 'on_request') out.disclosure = 'on-request';
          else if (out.disclosure === 'not_public') out.disclosure = 'withheld';
          if (disclosureGround !== undefined && out.withholdGround === undefined) out.withholdGround = disclosureGround;
          const json = JSON.stringify(out);
          if (json !== r.meta) await db.updateTable('pub_versions').set({ meta: json }).where('id', '=', r.id).execute();
        }
        after = Number(rows[rows.length - 1].id);
      }
    },
  },
  {
    name: '2007-publication-review-opinions',
    async up(db, dialect) {
      // The review history with each step's 审核意见; the steps taken before, from the audit chain.
      await withId(db.schema.createTable('pub_reviews'), dialect)
        .addColumn('item_id', 'integer', (c) => c.notNull().references('pub_items.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text')
        .addColumn('opinion', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pub_reviews_item').on('pub_reviews').columns(['item_id', 'id']).execute();
      await copyReviewsFromAudit(db);
    },
  },
  {
    name: '2008-publication-type-index',
    async up(db) {
      // The catalog lists and counts the public items of its section's types (ADR 0008):
      // `public = 1 and type in (…)` reads this index alone.
      await db.schema.createIndex('pub_items_public_type').on('pub_items').columns(['public', 'type', 'first_published_at', 'id']).ifNotExists().execute();
    },
  },
  {
    name: '2009-publication-changed-at',
    async up(db) {
      // The moment of an item's last public change — a version published (a correction is a new
      // version), 废止/失效, 撤回 — that feeds sort by. Drafts and edits in review do not count.
      // Existing rows: the latest of the three dates (ISO texts compare as moments).
      await db.schema.alterTable('pub_items').addColumn('changed_at', 'text').execute();
      await backfillChangedAt(db);
      // The whole feed walks the first index newest first; a department's feed the second.
      await db.schema.createIndex('pub_items_changed').on('pub_items').columns(['changed_at', 'id']).execute();
      await db.schema.createIndex('pub_items_dept_changed').on('pub_items').columns(['department_id', 'changed_at', 'id']).execute();
    },
  },
];
