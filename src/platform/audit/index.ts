// The audit chain: append-only events, each hash = SM3(previous hash + canonical event).
// Appended inside the same transaction as the change it records.
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import type { AuditEventTable } from '../db/schema.js';
import { canonicalJson, sm3 } from '../hash.js';
import { getSetting, putSetting } from '../settings/index.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: string; // 'user:<username>', 'system', 'cli:<os user>', 'citizen', 'token:<id>'
  action: string; // dotted verb, e.g. 'user.create', 'document.approve'
  entity: string; // table or domain name
  entityId: string | number;
  details?: Record<string, unknown>;
}

export function eventHash(prevHash: string, e: Omit<AuditEventTable, 'hash' | 'prev_hash'>): string {
  const canonical = canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entityId: e.entity_id,
    details: JSON.parse(e.details),
  });
  return sm3(prevHash + canonical);
}

/** Must be called inside a transaction (platform.tx) so the event commits with the change. */
export async function appendAudit(t: Db, dialect: Dialect, input: AuditInput): Promise<AuditEventTable> {
  // Serialise appenders: on PostgreSQL with a transaction-scoped advisory lock; SQLite
  // transactions are already serialised (BEGIN IMMEDIATE, one writer).
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7270001)`.execute(t);
  const last = await t.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    entity: input.entity,
    entity_id: String(input.entityId),
    details: canonicalJson(input.details ?? {}),
  };
  const prev = last?.hash ?? GENESIS_HASH;
  const row: AuditEventTable = { ...base, prev_hash: prev, hash: eventHash(prev, base) };
  await t.insertInto('audit_events').values(row).execute();
  // The head (last seq and hash) is kept beside the chain so that cutting events off the
  // end is detected too; export it elsewhere (`gongkai audit head`) for an external anchor.
  const head = JSON.stringify({ seq: row.seq, hash: row.hash });
  await putSetting(t, 'audit.head', head, row.at);
  return row;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** Recomputes the whole chain in pages. Detects changed rows, deleted rows (gaps) and re-linked rows. */
export async function verifyAudit(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== expectedSeq) return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `event ${expectedSeq} is missing (next present is ${r.seq})` } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'previous-hash link does not match the preceding event' } };
      let computed: string;
      try {
        computed = eventHash(prevHash, r);
      } catch {
        return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'details are not valid JSON' } };
      }
      if (computed !== r.hash) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'content does not match its hash (changed after it was written)' } };
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
  }
  const head = await getSetting(db, 'audit.head');
  if (head !== null) {
    const h = JSON.parse(head) as { seq: number; hash: string };
    if (h.seq !== checked || h.hash !== prevHash) {
      return { ok: false, checked, firstBroken: { seq: checked + 1, reason: `the chain ends at event ${checked} but the recorded head is event ${h.seq}: events were removed from the end` } };
    }
  } else if (checked > 0) {
    return { ok: false, checked, firstBroken: { seq: checked, reason: 'the recorded head of the chain is missing' } };
  }
  return { ok: true, checked };
}
