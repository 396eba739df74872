// The spine's item metadata, versions and their reading (no writes here): defaults and checks of
// the metadata every item carries, validity, the canonical text a version's SM3 hash covers.
import type { Db } from '../db/index.js';
import { validationError } from '../errors.js';
import { canonicalJson } from '../hash.js';
import { DISCLOSURES, itemType, type Disclosure, type ItemMeta } from './registry.js';
import { cleanLine, cleanText } from '../text.js';
import type { Actor } from '../auth/actor.js';
import './schema.js';
import { todayShanghai } from '../calendar/index.js';

/** /2: the metadata carries the glossary's names (`disclosure` 'on-request' / 'withheld',
 *  `withholdGround`). Versions published before keep format /1 with the old names
 *  ('on_request' / 'not_public', `disclosureGround`): their canonical text is never rewritten. */
export const CANONICAL_FORMAT = 'gongkai-publication-version/2';

export interface Approval {
  stage: string;
  userId: number | null;
  username: string;
  at: string;
}


export const actorId = (a: Actor): number | null => (typeof a === 'string' ? null : a.id);
const isoDate = (s: string | null | undefined) => !s || /^\d{4}-\d{2}-\d{2}$/.test(s);
/** Today in Asia/Shanghai (validity switches, the default date an item was formed). */
export const today = (d = new Date()) => todayShanghai(d);

/** The names of metadata before the glossary alignment: `disclosure` values 'on_request' and
 *  'not_public', and the field `disclosureGround`. Versions published with them keep them (their
 *  hashed text is frozen), so every reader maps them; clients may still send them until the next
 *  release (docs/api.md). */
export const LEGACY_DISCLOSURES: Readonly<Record<string, Disclosure>> = { on_request: 'on-request', not_public: 'withheld' };

/** A `disclosure` value under its current name (an old one mapped, any other unchanged). */
export function currentDisclosure(v: string): string {
  return Object.hasOwn(LEGACY_DISCLOSURES, v) ? LEGACY_DISCLOSURES[v] : v;
}

/** Metadata as stored or sent under the old names (see LEGACY_DISCLOSURES). */
export type MetaInput = Omit<Partial<ItemMeta>, 'disclosure'> & { disclosure?: string; disclosureGround?: string };

/** The same metadata under the glossary's names: an old `disclosure` value is mapped, and an old
 *  `disclosureGround` becomes `withholdGround` unless that is given too. Other values pass
 *  unchanged (checkMeta refuses unknown ones). Returns a copy. */
export function currentNames<T extends MetaInput>(m: T): Omit<T, 'disclosureGround'> {
  const { disclosureGround, ...out } = m as MetaInput;
  if (out.disclosure !== undefined) out.disclosure = currentDisclosure(out.disclosure);
  if (disclosureGround !== undefined && out.withholdGround === undefined) out.withholdGround = disclosureGround;
  return out as Omit<T, 'disclosureGround'>;
}

/** Metadata with defaults; text fields stored without control characters or bidi overrides
 *  (platform/text.ts) whichever way they came (form, API, file import, another module). */
export function defaultMeta(input: MetaInput): ItemMeta {
  const partial = currentNames(input);
  return {
    title: cleanLine(partial.title ?? '').trim(),
    docNo: cleanLine(partial.docNo ?? '').trim(),
    topic: partial.topic || null,
    genre: partial.genre || null,
    category: partial.category || null,
    writtenAt: partial.writtenAt || null,
    effectiveAt: partial.effectiveAt || null,
    expiresAt: partial.expiresAt || null,
    keywords: (partial.keywords ?? []).map((k) => cleanLine(k).trim()).filter(Boolean).slice(0, 20),
    summary: cleanText(partial.summary ?? '').trim(),
    disclosure: (partial.disclosure ?? 'proactive') as Disclosure,
    withholdGround: cleanText(partial.withholdGround ?? '').trim(),
    coPublishers: partial.coPublishers ?? [],
    publishAt: partial.publishAt || null,
    formedAt: partial.formedAt || partial.writtenAt || today(),
  };
}

export function checkMeta(m: ItemMeta): Record<string, string> {
  const f: Record<string, string> = {};
  if (!m.title) f.title = 'err.field.required';
  else if (m.title.length > 300) f.title = 'err.field.too_long';
  if (m.docNo.length > 100) f.docNo = 'err.field.too_long';
  if (m.summary.length > 2000) f.summary = 'err.field.too_long';
  for (const k of ['writtenAt', 'effectiveAt', 'expiresAt', 'formedAt'] as const) if (!isoDate(m[k])) f[k] = 'err.field.format';
  if (m.effectiveAt && m.expiresAt && m.expiresAt <= m.effectiveAt) f.expiresAt = 'err.pub.expiry_before_effective';
  if (m.publishAt && Number.isNaN(Date.parse(m.publishAt))) f.publishAt = 'err.field.format';
  if (!(DISCLOSURES as readonly string[]).includes(m.disclosure)) f.disclosure = 'err.field.enum_generic';
  if (m.disclosure === 'withheld' && !m.withholdGround) f.withholdGround = 'err.pub.ground_required';
  return f;
}

export async function prepared(type: string, meta: ItemMeta, data: unknown) {
  const t = itemType(type);
  const fields = checkMeta(meta);
  let out = data;
  if (t.prepare) {
    const r = await t.prepare(data, meta);
    out = r.data;
    Object.assign(fields, r.fields);
  }
  if (Object.keys(fields).length) throw validationError(fields);
  return out;
}

export function validityOf(meta: Pick<ItemMeta, 'effectiveAt' | 'expiresAt'>, current: string, on = today()): string {
  if (current === 'repealed') return 'repealed';
  if (meta.expiresAt && meta.expiresAt <= on) return 'expired';
  return current === 'expired' && !(meta.expiresAt && meta.expiresAt <= on) ? 'valid' : current;
}

export interface VersionView {
  version: number;
  state: string;
  meta: ItemMeta;
  data: any;
  changeNote: string;
  authorId: number | null;
  approvals: Approval[];
  /** Everyone who wrote this version. */
  editors: number[];
  rejectReason: string | null;
  hash: string | null;
  publishedAt: string | null;
  createdAt: string;
}

/** A version's stored metadata (JSON), under the current names. */
export function readMeta(json: string): ItemMeta {
  return currentNames(JSON.parse(json) as ItemMeta & MetaInput) as ItemMeta;
}

export function versionView(r: any): VersionView {
  return {
    version: r.version,
    state: r.state,
    // Versions published before the glossary names keep the old ones in their stored meta.
    meta: readMeta(r.meta),
    data: JSON.parse(r.data),
    changeNote: r.change_note,
    authorId: r.author_id,
    approvals: JSON.parse(r.approvals),
    editors: JSON.parse(r.editors ?? '[]'),
    rejectReason: r.reject_reason,
    hash: r.hash,
    publishedAt: r.published_at,
    createdAt: r.created_at,
  };
}

export async function getItemRow(db: Db, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return (await db.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof getItemRow>>>;

export async function getVersion(db: Db, itemId: number, version: number): Promise<VersionView | null> {
  const r = await db.selectFrom('pub_versions').selectAll().where('item_id', '=', itemId).where('version', '=', version).executeTakeFirst();
  return r ? versionView(r) : null;
}

export async function listVersions(db: Db, itemId: number): Promise<VersionView[]> {
  return (await db.selectFrom('pub_versions').selectAll().where('item_id', '=', itemId).orderBy('version').execute()).map(versionView);
}

/** The item for a staff user who may read its department's content, else 404. */
/** The canonical text of a published version: what its SM3 hash covers (see docs/architecture.md).
 *  `indexNo` is null for items of a section without 索引号 (ADR 0008). */
export function canonicalOf(input: { id: number; type: string; indexNo: string | null; department: { code: string; name: string }; version: number; publishedAt: string; changeNote: string; meta: ItemMeta; data: unknown }): string {
  return canonicalJson({ format: CANONICAL_FORMAT, ...input });
}
