// The delivery ledger (送达台账, ADR 0010 § 3): one row per (item version × event × channel ×
// recipient) — what was sent where, and in which state. Every channel writes it through these
// functions: the subscriptions' e-mail and SMS, webhooks, screens and notice boards. A correction
// or withdrawal reads it to reach exactly the earlier recipients, and an item's console page and
// the "outdated channels" report read which version each channel carries now.
import { sql, type Generated, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import { withId, type GkMigration } from '../db/migrate.js';

export const LEDGER_CHANNELS = ['email', 'sms', 'webhook', 'screen', 'board'] as const;
export type LedgerChannel = (typeof LEDGER_CHANNELS)[number];
/** notice: a publication sent at once; digest: in a daily/weekly digest; correction (更正) and
 *  withdrawal (撤回): to earlier recipients; shown: a screen displayed it; posted: a notice board. */
export const LEDGER_KINDS = ['notice', 'digest', 'correction', 'withdrawal', 'shown', 'posted'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const LEDGER_STATES = ['queued', 'sent', 'delivered', 'failed', 'bounced', 'suppressed'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];
/** subscriber → sub_subscribers.id; endpoint → a webhook endpoint; outlet → a screen or board. */
export type RecipientKind = 'subscriber' | 'endpoint' | 'outlet';

export interface ChnDeliveryTable {
  id: Generated<number>;
  run_id: number | null;
  item_id: number;
  version: number;
  event: string;
  kind: LedgerKind;
  channel: LedgerChannel;
  recipient_kind: RecipientKind;
  recipient_id: number;
  state: LedgerState;
  message_ref: string | null;
  reason: string | null;
  attempts: number;
  queued_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
}

export interface ChnRunTable {
  id: Generated<number>;
  item_id: number;
  version: number;
  event: string;
  /** The delivery channel of the spine that handled the event (e.g. 'subscriptions'). */
  channel: string;
  lists: number;
  rows: number;
  started_at: string;
  finished_at: string | null;
}

declare module '../db/schema.js' {
  interface Database {
    chn_deliveries: ChnDeliveryTable;
    chn_runs: ChnRunTable;
  }
}

export const ledgerMigrations: GkMigration[] = [
  {
    name: '0004-channel-ledger',
    async up(db, dialect) {
      await withId(db.schema.createTable('chn_runs'), dialect)
        .addColumn('item_id', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('lists', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('chn_runs_item').on('chn_runs').columns(['item_id', 'started_at']).execute();
      await withId(db.schema.createTable('chn_deliveries'), dialect)
        .addColumn('run_id', 'integer')
        .addColumn('item_id', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient_kind', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('message_ref', 'text')
        .addColumn('reason', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('failed_at', 'text')
        .execute();
      // One message per recipient and event however many subscriptions matched; a second run of a
      // handler inserts nothing.
      await db.schema.createIndex('chn_deliveries_once').unique().on('chn_deliveries').columns(['item_id', 'version', 'event', 'channel', 'recipient_kind', 'recipient_id']).execute();
      await db.schema.createIndex('chn_deliveries_run').on('chn_deliveries').columns(['run_id', 'state', 'id']).execute();
      await db.schema.createIndex('chn_deliveries_item').on('chn_deliveries').columns(['item_id', 'channel', 'version']).execute();
      await db.schema.createIndex('chn_deliveries_recipient').on('chn_deliveries').columns(['recipient_kind', 'recipient_id', 'queued_at']).execute();
      await db.schema.createIndex('chn_deliveries_state').on('chn_deliveries').columns(['state', 'channel', 'item_id']).execute();
    },
  },
];

export interface LedgerEntry {
  runId?: number | null;
  itemId: number;
  version: number;
  event: string;
  kind: LedgerKind;
  channel: LedgerChannel;
  recipientKind: RecipientKind;
  recipientId: number;
  state?: LedgerState;
  reason?: string | null;
  messageRef?: string | null;
}

const nowIso = () => new Date().toISOString();

/** Opens a delivery run (one handled event of one spine channel). */
export async function startRun(t: Db, r: { itemId: number; version: number; event: string; channel: string }): Promise<number> {
  const row = await t
    .insertInto('chn_runs')
    .values({ item_id: r.itemId, version: r.version, event: r.event, channel: r.channel, lists: 0, rows: 0, started_at: nowIso(), finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function finishRun(t: Db, runId: number, r: { lists: number; rows: number }): Promise<void> {
  await t.updateTable('chn_runs').set({ lists: r.lists, rows: r.rows, finished_at: nowIso() }).where('id', '=', runId).execute();
}

/** Records deliveries (default state `queued`); rows already in the ledger for the same item,
 *  version, event, channel and recipient are skipped. Returns the ids of the new rows. */
export async function recordDeliveries(t: Db, entries: LedgerEntry[]): Promise<number[]> {
  const ids: number[] = [];
  const at = nowIso();
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200).map((e) => {
      const state = e.state ?? 'queued';
      return {
        run_id: e.runId ?? null,
        item_id: e.itemId,
        version: e.version,
        event: e.event,
        kind: e.kind,
        channel: e.channel,
        recipient_kind: e.recipientKind,
        recipient_id: e.recipientId,
        state,
        message_ref: e.messageRef ?? null,
        reason: e.reason ?? null,
        attempts: 0,
        queued_at: at,
        sent_at: state === 'sent' || state === 'delivered' ? at : null,
        delivered_at: state === 'delivered' ? at : null,
        failed_at: state === 'failed' ? at : null,
      };
    });
    const rows = await t
      .insertInto('chn_deliveries')
      .values(chunk)
      .onConflict((oc) => oc.columns(['item_id', 'version', 'event', 'channel', 'recipient_kind', 'recipient_id']).doNothing())
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => Number(r.id)));
  }
  return ids;
}

/** The ledger's columns an `INSERT … SELECT` gives, in this order (recordDeliveriesFrom). */
export const LEDGER_INSERT_COLUMNS = ['run_id', 'item_id', 'version', 'event', 'kind', 'channel', 'recipient_kind', 'recipient_id', 'state', 'reason', 'attempts', 'queued_at'] as const;

/** Records the rows a query selects (columns LEDGER_INSERT_COLUMNS, in order) in one statement —
 *  the fan-out to many subscribers. Conflicting rows are skipped. Returns how many were new. */
export async function recordDeliveriesFrom(t: Db, select: SelectQueryBuilder<any, any, any>): Promise<number> {
  const r = await t
    .insertInto('chn_deliveries')
    .columns([...LEDGER_INSERT_COLUMNS])
    .expression(select)
    .onConflict((oc) => oc.columns(['item_id', 'version', 'event', 'channel', 'recipient_kind', 'recipient_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

// States only move forward (model.md § 8); a replayed webhook goes failed → queued.
const FROM: Record<LedgerState, LedgerState[]> = {
  queued: ['failed'],
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  failed: ['queued', 'sent'],
  bounced: ['sent', 'delivered'],
  suppressed: ['queued'],
};

/** Moves rows to a state (only from the states that may precede it). Returns the rows changed. */
export async function markDeliveries(t: Db, ids: number[], state: LedgerState, opts: { ref?: string | null; reason?: string | null; attempt?: boolean } = {}): Promise<number> {
  if (!ids.length) return 0;
  const at = nowIso();
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await t
      .updateTable('chn_deliveries')
      .set((eb) => ({
        state,
        ...(opts.ref !== undefined ? { message_ref: opts.ref } : {}),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        ...(opts.attempt ? { attempts: eb('attempts', '+', 1) } : {}),
        ...(state === 'sent' ? { sent_at: at } : {}),
        ...(state === 'delivered' ? { delivered_at: at } : {}),
        ...(state === 'failed' || state === 'bounced' ? { failed_at: at } : {}),
      }))
      .where('id', 'in', ids.slice(i, i + 500))
      .where('state', 'in', FROM[state])
      .executeTakeFirst();
    changed += Number(r.numUpdatedRows ?? 0);
  }
  return changed;
}

export interface Recipient {
  channel: LedgerChannel;
  recipientKind: RecipientKind;
  recipientId: number;
}

/** Who holds an earlier version of an item: every recipient and channel with a row `sent` or
 *  `delivered` for a version below `version` (or up to it, `inclusive`, for a withdrawal of the
 *  version itself), except screens' rows, whose withdrawal is their next playlist. */
export async function earlierRecipients(db: Db, itemId: number, version: number, opts: { inclusive?: boolean } = {}): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('chn_deliveries')
    .select(['channel', 'recipient_kind', 'recipient_id'])
    .distinct()
    .where('item_id', '=', itemId)
    .where('version', opts.inclusive ? '<=' : '<', version)
    .where('state', 'in', ['sent', 'delivered'])
    .where('kind', '!=', 'withdrawal')
    .execute();
  return rows.map((r) => ({ channel: r.channel, recipientKind: r.recipient_kind, recipientId: Number(r.recipient_id) }));
}

/** Sets rows still queued for versions older than `version` of an item to suppressed
 *  (superseded): nobody receives the old version after a correction or withdrawal. */
export async function supersedeQueued(t: Db, itemId: number, version: number, opts: { inclusive?: boolean } = {}): Promise<number> {
  const r = await t
    .updateTable('chn_deliveries')
    .set({ state: 'suppressed', reason: 'superseded' })
    .where('item_id', '=', itemId)
    .where('version', opts.inclusive ? '<=' : '<', version)
    .where('state', '=', 'queued')
    .where('kind', 'not in', ['correction', 'withdrawal'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}

export interface ChannelCarry {
  channel: LedgerChannel;
  /** Recipients the channel reached with this item (sent or delivered). */
  recipients: number;
  newestVersion: number | null;
  oldestVersion: number | null;
  /** Recipients whose latest row is not the item's current state (an older version, or the item
   *  was withdrawn and they were not told yet). */
  outdated: number;
  /** Rows waiting to be sent. */
  pending: number;
  failed: number;
}

// The newest sent/delivered row per recipient and channel, for one item or for all.
function latestRows(db: Db, itemId?: number) {
  return db
    .selectFrom('chn_deliveries')
    .select(['item_id', 'channel', 'recipient_kind', 'recipient_id', 'version', 'kind', sql<number>`row_number() over (partition by item_id, channel, recipient_kind, recipient_id order by id desc)`.as('rn')])
    .where('state', 'in', ['sent', 'delivered'])
    .$if(itemId !== undefined, (q) => q.where('item_id', '=', itemId!));
}

// Outdated: the item is public and the row carries an older version, or the item is not public
// (withdrawn) and the row is not the withdrawal notice.
const OUTDATED = sql<number>`case when (i.public = 1 and x.version < i.published_version) or (i.public <> 1 and x.kind <> 'withdrawal') then 1 else 0 end`;

/** Which version each channel carries of an item (the item console's "Channels" panel). */
export async function ledgerOf(db: Db, itemId: number): Promise<ChannelCarry[]> {
  const carried = await db
    .selectFrom(latestRows(db, itemId).as('x'))
    .innerJoin('pub_items as i', 'i.id', 'x.item_id')
    .select(['x.channel', sql<number>`count(*)`.as('recipients'), sql<number>`max(x.version)`.as('newest'), sql<number>`min(x.version)`.as('oldest'), sql<number>`sum(${OUTDATED})`.as('outdated')])
    .where('x.rn', '=', 1)
    .groupBy('x.channel')
    .execute();
  const waiting = await db
    .selectFrom('chn_deliveries')
    .select(['channel', 'state', sql<number>`count(*)`.as('n')])
    .where('item_id', '=', itemId)
    .where('state', 'in', ['queued', 'failed'])
    .groupBy(['channel', 'state'])
    .execute();
  const out = new Map<string, ChannelCarry>();
  const get = (ch: string) => {
    let c = out.get(ch);
    if (!c) out.set(ch, (c = { channel: ch as LedgerChannel, recipients: 0, newestVersion: null, oldestVersion: null, outdated: 0, pending: 0, failed: 0 }));
    return c;
  };
  for (const r of carried) Object.assign(get(r.channel), { recipients: Number(r.recipients), newestVersion: Number(r.newest), oldestVersion: Number(r.oldest), outdated: Number(r.outdated) });
  for (const r of waiting) get(r.channel)[r.state === 'queued' ? 'pending' : 'failed'] = Number(r.n);
  return LEDGER_CHANNELS.filter((c) => out.has(c)).map((c) => out.get(c)!);
}

export interface OutdatedRow {
  itemId: number;
  title: string;
  channel: LedgerChannel;
  outdated: number;
  publishedVersion: number | null;
  public: boolean;
}

/** Items where a channel still carries an outdated version, most recipients first. */
export async function outdatedItems(db: Db, opts: { limit?: number; offset?: number; departments?: number[] } = {}): Promise<{ rows: OutdatedRow[]; total: number }> {
  const base = db
    .selectFrom(latestRows(db).as('x'))
    .innerJoin('pub_items as i', 'i.id', 'x.item_id')
    .where('x.rn', '=', 1)
    .$if(opts.departments !== undefined, (q) => q.where('i.department_id', 'in', opts.departments!.length ? opts.departments! : [-1]))
    .where(sql<boolean>`${OUTDATED} = 1`)
    .groupBy(['x.item_id', 'x.channel', 'i.title', 'i.published_version', 'i.public']);
  const rows = await base
    .select(['x.item_id', 'x.channel', 'i.title', 'i.published_version', 'i.public', sql<number>`count(*)`.as('n')])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('x.item_id', 'desc')
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0)
    .execute();
  const total = await db.selectFrom(base.select(['x.item_id']).as('g')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return {
    rows: rows.map((r) => ({ itemId: Number(r.item_id), title: r.title, channel: r.channel, outdated: Number(r.n), publishedVersion: r.published_version === null ? null : Number(r.published_version), public: Number(r.public) === 1 })),
    total: Number(total.n),
  };
}
