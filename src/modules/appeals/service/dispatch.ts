// Dispatch suggestions and duplicate detection.
// Rules map a category (派单目录), keywords in the text and areas in the address to departments,
// each with a weight; the catalogue's default department counts as a category rule. Similar
// appeals are found by character-bigram similarity of the text plus distance between map points.
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { validationError, notFound } from '../../../platform/errors.js';
import { publicPoint } from '../../../platform/privacy/index.js';
import { type Actor, actorName, isCentre } from '../service.js';
import { forgetCategories } from './intake.js';
import { isPublicAppeal, publishedTexts } from './queries.js';
import { forbidden } from '../../../platform/errors.js';
import { bigrams, jaccard } from '../../../platform/similarity.js';

export interface Suggestion {
  department: string;
  departmentName: string;
  score: number;
  reasons: string[];
}

export async function suggestDepartments(db: Db, a: { category: string; title: string; content: string; address: string }): Promise<Suggestion[]> {
  const cat = await db.selectFrom('appeal_categories').select(['name', 'department_id']).where('code', '=', a.category).executeTakeFirst();
  const rules = await db.selectFrom('appeal_rules').selectAll().where('active', '=', 1).execute();
  const depts = new Map((await db.selectFrom('departments').select(['id', 'code', 'name']).execute()).map((d) => [d.id, d]));
  const score = new Map<number, { score: number; reasons: string[] }>();
  const add = (id: number, w: number, why: string) => {
    const s = score.get(id) ?? { score: 0, reasons: [] };
    s.score += w;
    s.reasons.push(why);
    score.set(id, s);
  };
  if (cat?.department_id) add(cat.department_id, 5, `category:${cat.name}`);
  const text = `${a.title}\n${a.content}`;
  for (const r of rules) {
    if (r.kind === 'category' && r.pattern === a.category) add(r.department_id, r.weight, `category:${r.pattern}`);
    else if (r.kind === 'keyword' && r.pattern && text.includes(r.pattern)) add(r.department_id, r.weight, `keyword:${r.pattern}`);
    else if (r.kind === 'area' && r.pattern && (a.address.includes(r.pattern) || text.includes(r.pattern))) add(r.department_id, r.weight, `area:${r.pattern}`);
  }
  return [...score.entries()]
    .filter(([id]) => depts.has(id))
    .map(([id, s]) => ({ department: depts.get(id)!.code, departmentName: depts.get(id)!.name, score: s.score, reasons: s.reasons }))
    .sort((x, y) => y.score - x.score || x.department.localeCompare(y.department))
    .slice(0, 5);
}

// ---- similarity ---------------------------------------------------------------------------------

/** Distance in metres between two points (haversine). */
export function distance(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const R = 6_371_000;
  const r = Math.PI / 180;
  const dlat = (lat2 - lat1) * r;
  const dlng = (lng2 - lng1) * r;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dlng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

export interface SimilarAppeal {
  id: number;
  trackingNo: string;
  title: string;
  status: string;
  createdAt: string;
  score: number;
  distance: number | null;
  pubItemId: number | null;
}

/**
 * Similar recent appeals (last `days` days): text similarity (0..1) plus up to 0.3 for nearby map
 * points (within 500 m). `published` = only published ones, with their masked text (for citizens).
 */
export async function similarAppeals(db: Db, q: { title: string; content: string; lat?: number | null; lng?: number | null; category?: string; excludeId?: number; published?: boolean; days?: number; limit?: number }): Promise<SimilarAppeal[]> {
  const since = new Date(Date.now() - (q.days ?? 60) * 86_400_000).toISOString();
  let sel = db
    .selectFrom('appeals')
    .select(['id', 'tracking_no', 'title', 'content', 'status', 'created_at', 'lat', 'lng', 'category', 'pub_item_id'])
    .where('created_at', '>=', since)
    .where('status', '!=', 'merged')
    .orderBy('id', 'desc')
    .limit(2000);
  if (q.published) sel = sel.where((eb) => isPublicAppeal(eb));
  if (q.excludeId) sel = sel.where('id', '!=', q.excludeId);
  const rows = await sel.execute();
  const texts = q.published ? await publishedTexts(db, rows.map((r) => r.pub_item_id!)) : null;
  const mine = bigrams(`${q.title} ${q.content}`);
  const out: SimilarAppeal[] = [];
  for (const r of rows) {
    const pub = texts?.get(r.pub_item_id!);
    const title = texts ? pub?.title ?? '' : r.title;
    const text = texts ? `${pub?.title ?? ''} ${pub?.content ?? ''}` : `${r.title} ${r.content}`;
    let score = jaccard(mine, bigrams(text));
    let dist: number | null = null;
    if (q.lat != null && q.lng != null && r.lat != null && r.lng != null) {
      // For the public, distances (and the score) are to the published point, never the exact one.
      const at = q.published ? publicPoint(Number(r.lat), Number(r.lng)) : { lat: Number(r.lat), lng: Number(r.lng) };
      dist = distance(q.lat, q.lng, at.lat, at.lng);
      if (dist < 500) score += 0.3 * (1 - dist / 500);
    }
    if (q.category && r.category === q.category) score += 0.05;
    if (score >= 0.2) out.push({ id: r.id, trackingNo: r.tracking_no, title, status: r.status, createdAt: r.created_at, score: Math.round(score * 100) / 100, distance: dist === null ? null : Math.round(dist), pubItemId: r.pub_item_id });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, q.limit ?? 5);
}

// ---- the dispatch catalogue and rules ---------------------------------------------------------------

export async function listCategories(db: Db, all = false) {
  let q = db
    .selectFrom('appeal_categories')
    .leftJoin('departments', 'departments.id', 'appeal_categories.department_id')
    .select(['appeal_categories.id', 'appeal_categories.code', 'appeal_categories.name', 'appeal_categories.name_en', 'appeal_categories.group_name', 'appeal_categories.description', 'appeal_categories.keywords', 'appeal_categories.active', 'appeal_categories.sort', 'departments.code as department', 'departments.name as department_name'])
    .orderBy('appeal_categories.sort')
    .orderBy('appeal_categories.id');
  if (!all) q = q.where('appeal_categories.active', '=', 1);
  return q.execute();
}

export async function listRules(db: Db) {
  return db
    .selectFrom('appeal_rules')
    .innerJoin('departments', 'departments.id', 'appeal_rules.department_id')
    .select(['appeal_rules.id', 'appeal_rules.kind', 'appeal_rules.pattern', 'appeal_rules.weight', 'appeal_rules.active', 'appeal_rules.note', 'departments.code as department', 'departments.name as department_name'])
    .orderBy('appeal_rules.kind')
    .orderBy('appeal_rules.id')
    .execute();
}

export async function addRule(p: Platform, actor: Actor, input: { kind: string; pattern: string; department: string; weight: number; note?: string }): Promise<void> {
  if (typeof actor !== 'string' && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden('appeals.err.centre_only');
  const f: Record<string, string> = {};
  if (!['category', 'keyword', 'area'].includes(input.kind)) f.kind = 'err.field.enum_generic';
  if (!input.pattern?.trim() || input.pattern.length > 50) f.pattern = 'err.field.required';
  if (!Number.isInteger(input.weight) || input.weight < 1 || input.weight > 10) f.weight = 'appeals.err.weight';
  const d = await p.db.selectFrom('departments').select('id').where('code', '=', input.department ?? '').executeTakeFirst();
  if (!d) f.department = 'err.unknown_department';
  if (Object.keys(f).length) throw validationError(f);
  await p.tx(async (t) => {
    const row = await t.insertInto('appeal_rules').values({ kind: input.kind, pattern: input.pattern.trim(), department_id: d!.id, weight: input.weight, active: 1, note: (input.note ?? '').slice(0, 200), created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'appeal_rule.create', entity: 'appeal_rule', entityId: row.id, details: input });
  });
}

export async function setRuleActive(p: Platform, actor: Actor, id: number, active: boolean): Promise<void> {
  if (typeof actor !== 'string' && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden('appeals.err.centre_only');
  await p.tx(async (t) => {
    const r = await t.updateTable('appeal_rules').set({ active: active ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw notFound();
    await p.audit(t, { actor: actorName(actor), action: active ? 'appeal_rule.enable' : 'appeal_rule.disable', entity: 'appeal_rule', entityId: id, details: {} });
  });
}

export async function saveCategory(p: Platform, actor: Actor, input: { code: string; name: string; nameEn?: string; group?: string; description?: string; department?: string; keywords?: string; sort?: number }): Promise<void> {
  if (typeof actor !== 'string' && !(await isCentre(p.db, actor, 'appeal.approve'))) throw forbidden('appeals.err.centre_only');
  const f: Record<string, string> = {};
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(input.code ?? '')) f.code = 'appeals.err.category_code';
  if (!input.name?.trim()) f.name = 'err.field.required';
  let deptId: number | null = null;
  if (input.department) {
    const d = await p.db.selectFrom('departments').select('id').where('code', '=', input.department).executeTakeFirst();
    if (!d) f.department = 'err.unknown_department';
    else deptId = d.id;
  }
  if (Object.keys(f).length) throw validationError(f);
  await p.tx(async (t) => {
    const row = { name: input.name.trim(), name_en: (input.nameEn ?? '').trim(), group_name: (input.group ?? '').trim(), description: (input.description ?? '').trim(), department_id: deptId, keywords: (input.keywords ?? '').trim(), sort: input.sort ?? 0 };
    const ex = await t.selectFrom('appeal_categories').select('id').where('code', '=', input.code).executeTakeFirst();
    if (ex) await t.updateTable('appeal_categories').set(row).where('id', '=', ex.id).execute();
    else await t.insertInto('appeal_categories').values({ code: input.code, active: 1, ...row }).execute();
    await p.audit(t, { actor: actorName(actor), action: 'appeal_category.save', entity: 'appeal_category', entityId: input.code, details: row });
  });
  forgetCategories();
}
