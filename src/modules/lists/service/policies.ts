// Economic policy library: catalog items (spine items) tagged with whom they apply to, and
// matching of a business profile against the tags with the reasons for each match.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { can, type Principal } from '../../../platform/auth/policy.js';
import { forbidden, notFound, validationError } from '../../../platform/errors.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { itemType } from '../../../platform/publication/registry.js';
import { INDUSTRY_CODE, industryTable, understand, type IndustryView } from './industries.js';
import '../schema.js';

export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
export const QUALIFICATIONS = ['high-tech', 'specialised', 'tech-sme', 'startup', 'foreign-trade', 'none'] as const;
export const SUBSIDY_TYPES = ['grant', 'tax', 'loan-interest', 'talent', 'premises', 'other'] as const;

export interface PolicyTags {
  industries: string[];
  sizes: string[];
  locations: string[];
  qualifications: string[];
  subsidyType: string;
  windowStart: string | null;
  windowEnd: string | null;
}

export interface BusinessProfile {
  industry: string;
  size: string;
  location: string;
  qualifications: string[];
}

export interface MatchReason {
  dimension: 'industry' | 'size' | 'location' | 'qualification' | 'window';
  /** Message key and parameters (rendered in the caller's language). */
  key: string;
  params: Record<string, string>;
}

export interface PolicyMatch {
  id: number;
  title: string;
  docNo: string;
  department: string;
  url: string;
  subsidyType: string;
  windowStart: string | null;
  windowEnd: string | null;
  reasons: MatchReason[];
}

const isDate = (s: string | null | undefined) => !s || /^\d{4}-\d{2}-\d{2}$/.test(s);

export function checkTags(t: PolicyTags, subdistricts: Set<string>): Record<string, string> {
  const f: Record<string, string> = {};
  if (t.industries.some((i) => !INDUSTRY_CODE.test(i))) f.industries = 'err.lists.industry_code';
  if (t.sizes.some((s) => !(SIZES as readonly string[]).includes(s))) f.sizes = 'err.lists.enum';
  if (t.locations.some((l) => !subdistricts.has(l))) f.locations = 'err.lists.unknown_department';
  if (t.qualifications.some((q) => !(QUALIFICATIONS as readonly string[]).includes(q))) f.qualifications = 'err.lists.enum';
  if (!(SUBSIDY_TYPES as readonly string[]).includes(t.subsidyType)) f.subsidyType = 'err.lists.enum';
  if (!isDate(t.windowStart)) f.windowStart = 'err.field.format';
  if (!isDate(t.windowEnd)) f.windowEnd = 'err.field.format';
  if (t.windowStart && t.windowEnd && t.windowEnd < t.windowStart) f.windowEnd = 'err.lists.window_order';
  return f;
}

export function checkProfile(pr: BusinessProfile): Record<string, string> {
  const f: Record<string, string> = {};
  if (!INDUSTRY_CODE.test(pr.industry ?? '')) f.industry = 'err.lists.industry_code';
  if (!(SIZES as readonly string[]).includes(pr.size)) f.size = 'err.lists.enum';
  if (!Array.isArray(pr.qualifications) || pr.qualifications.some((q) => !(QUALIFICATIONS as readonly string[]).includes(q))) f.qualifications = 'err.lists.enum';
  if (typeof pr.location !== 'string' || pr.location.length > 32) f.location = 'err.field.format';
  return f;
}

/**
 * The industry of a profile from a code (C39, h6232) or everyday words (咖啡店), with the other
 * industries the words may mean. Unknown codes, bare digits and words matching nothing are a 400
 * on the field `industry`.
 */
export async function resolveIndustry(db: Db, input: string): Promise<{ industry: IndustryView; alternatives: IndustryView[] }> {
  const text = (input ?? '').trim().slice(0, 40);
  if (!text) throw validationError({ industry: 'err.lists.required' });
  if (/^\d+$/.test(text)) throw validationError({ industry: 'err.lists.industry_code' });
  const u = understand(await industryTable(db), text);
  if (!u.industry) throw validationError({ industry: 'err.lists.industry_unknown' });
  return { industry: u.industry, alternatives: u.alternatives };
}

async function subdistrictCodes(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('departments').select('code').where('kind', '=', 'subdistrict').execute()).map((d) => d.code));
}

/** Tags a published policy. Needs content.edit in the policy's department. */
export async function setTags(p: Platform, actor: Principal | 'demo' | 'system', itemId: number, tags: PolicyTags): Promise<void> {
  const item = await p.db.selectFrom('pub_items').select(['id', 'department_id', 'type']).where('id', '=', itemId).executeTakeFirst();
  if (!item || item.type === 'list-edition') throw notFound();
  if (typeof actor !== 'string' && !can(actor, 'content.edit', { departmentId: item.department_id })) throw (can(actor, 'content.read', { departmentId: item.department_id }) ? forbidden() : notFound());
  const norm: PolicyTags = {
    industries: [...new Set(tags.industries.map((s) => s.trim().toUpperCase()).filter(Boolean))],
    sizes: [...new Set(tags.sizes)],
    locations: [...new Set(tags.locations)],
    qualifications: [...new Set(tags.qualifications)],
    subsidyType: tags.subsidyType,
    windowStart: tags.windowStart || null,
    windowEnd: tags.windowEnd || null,
  };
  const f = checkTags(norm, await subdistrictCodes(p.db));
  const table = await industryTable(p.db);
  if (!f.industries && norm.industries.some((i) => !table.get(i))) f.industries = 'err.lists.industry_unknown';
  if (Object.keys(f).length) throw validationError(f);
  const who = typeof actor === 'string' ? actor : `user:${actor.username}`;
  await p.tx(async (t) => {
    const row = { industries: JSON.stringify(norm.industries), sizes: JSON.stringify(norm.sizes), locations: JSON.stringify(norm.locations), qualifications: JSON.stringify(norm.qualifications), subsidy_type: norm.subsidyType, window_start: norm.windowStart, window_end: norm.windowEnd, updated_by: who, updated_at: new Date().toISOString() };
    await t.insertInto('policy_tags').values({ item_id: itemId, ...row }).onConflict((oc) => oc.column('item_id').doUpdateSet(row)).execute();
    await p.audit(t, { actor: who, action: 'policy.tag', entity: 'pub_item', entityId: itemId, details: norm as unknown as Record<string, unknown> });
  });
}

export async function getTags(db: Db, itemId: number): Promise<PolicyTags | null> {
  const r = await db.selectFrom('policy_tags').selectAll().where('item_id', '=', itemId).executeTakeFirst();
  return r ? rowTags(r) : null;
}
const rowTags = (r: any): PolicyTags => ({ industries: JSON.parse(r.industries), sizes: JSON.parse(r.sizes), locations: JSON.parse(r.locations), qualifications: JSON.parse(r.qualifications), subsidyType: r.subsidy_type, windowStart: r.window_start, windowEnd: r.window_end });

/** Why `tags` apply to `profile` — or null when one dimension excludes it. Pure, for tests. */
export function matchReasons(tags: PolicyTags, pr: BusinessProfile, today: string): MatchReason[] | null {
  const reasons: MatchReason[] = [];
  if (tags.industries.length) {
    const hit = tags.industries.find((i) => pr.industry.startsWith(i));
    if (!hit) return null;
    reasons.push({ dimension: 'industry', key: 'lists.reason.industry', params: { industry: pr.industry, tag: hit } });
  } else reasons.push({ dimension: 'industry', key: 'lists.reason.any_industry', params: {} });
  if (tags.sizes.length) {
    if (!tags.sizes.includes(pr.size)) return null;
    reasons.push({ dimension: 'size', key: 'lists.reason.size', params: { size: pr.size } });
  }
  if (tags.locations.length) {
    if (!tags.locations.includes(pr.location)) return null;
    reasons.push({ dimension: 'location', key: 'lists.reason.location', params: { location: pr.location } });
  }
  if (tags.qualifications.length) {
    const hit = tags.qualifications.find((q) => pr.qualifications.includes(q));
    if (!hit) return null;
    reasons.push({ dimension: 'qualification', key: 'lists.reason.qualification', params: { qualification: hit } });
  }
  if (tags.windowEnd && tags.windowEnd < today) return null;
  if (tags.windowStart && tags.windowStart > today) reasons.push({ dimension: 'window', key: 'lists.reason.window_upcoming', params: { from: tags.windowStart, to: tags.windowEnd ?? '' } });
  else if (tags.windowEnd) reasons.push({ dimension: 'window', key: 'lists.reason.window_open', params: { to: tags.windowEnd } });
  else reasons.push({ dimension: 'window', key: 'lists.reason.window_always', params: {} });
  return reasons;
}

/** Public, valid tagged policies that apply to the profile, each with its reasons. */
export async function matchPolicies(db: Db, pr: BusinessProfile, today = todayShanghai()): Promise<PolicyMatch[]> {
  const f = checkProfile(pr);
  if (Object.keys(f).length) throw validationError(f);
  const rows = await db
    .selectFrom('policy_tags')
    .innerJoin('pub_items', 'pub_items.id', 'policy_tags.item_id')
    .innerJoin('departments', 'departments.id', 'pub_items.department_id')
    .selectAll('policy_tags')
    .select(['pub_items.id', 'pub_items.title', 'pub_items.doc_no', 'pub_items.type', 'departments.name as dept'])
    .where('pub_items.public', '=', 1)
    .where('pub_items.validity', '=', 'valid')
    .orderBy('pub_items.published_at', 'desc')
    .execute();
  const out: PolicyMatch[] = [];
  for (const r of rows) {
    const tags = rowTags(r);
    const reasons = matchReasons(tags, pr, today);
    if (!reasons) continue;
    let url = `/catalog/items/${r.id}`;
    try {
      url = itemType(r.type).url(r.id);
    } catch {
      /* type not loaded */
    }
    out.push({ id: r.id, title: r.title, docNo: r.doc_no, department: r.dept, url, subsidyType: tags.subsidyType, windowStart: tags.windowStart, windowEnd: tags.windowEnd, reasons });
  }
  return out;
}

/** Stores a subscription to new matching policies (delivery arrives with the channels issue). */
export async function subscribe(p: Platform, email: string, pr: BusinessProfile): Promise<{ id: number; token: string }> {
  const f = checkProfile(pr);
  const e = (email ?? '').trim();
  if (!/^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{1,20}$/.test(e)) f.email = 'err.field.format';
  if (Object.keys(f).length) throw validationError(f);
  const token = randomBytes(16).toString('hex');
  return p.tx(async (t) => {
    const r = await t.insertInto('policy_subscriptions').values({ email: e, profile: JSON.stringify(pr), token, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
    await p.audit(t, { actor: 'public', action: 'policy.subscribe', entity: 'policy_subscription', entityId: r.id, details: { profile: pr } });
    return { id: r.id, token };
  });
}

export async function unsubscribe(p: Platform, token: string): Promise<boolean> {
  if (!/^[0-9a-f]{32}$/.test(token)) return false;
  return p.tx(async (t) => {
    const r = await t.selectFrom('policy_subscriptions').select('id').where('token', '=', token).executeTakeFirst();
    if (!r) return false;
    await t.deleteFrom('policy_subscriptions').where('id', '=', r.id).execute();
    await p.audit(t, { actor: 'public', action: 'policy.unsubscribe', entity: 'policy_subscription', entityId: r.id, details: {} });
    return true;
  });
}
