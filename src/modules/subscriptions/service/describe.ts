// A subscriber list as people read it: "部门：区发展和改革局；类型：行政处罚决定；关键词：停车 收费".
import type { Db } from '../../../platform/db/index.js';
import { t as tr, type Locale } from '../../../platform/i18n/index.js';
import { CATEGORY_NAMES, TOPIC_BY_CODE } from '../../../platform/taxonomy/index.js';
import { findItemType } from '../../../platform/publication/registry.js';
import { parseFacetKey, type Target } from './targets.js';

export async function describeTarget(db: Db, target: Target, locale: string): Promise<string> {
  const L = (locale === 'en' ? 'en' : 'zh-CN') as Locale;
  const parts: string[] = [];
  const label = (k: string, v: string) => parts.push(`${tr(L, `subscriptions.facet.${k}`)}${L === 'en' ? ': ' : '：'}${v}`);
  if (target.appeal) label('appeal', target.appeal);
  if (target.dept) {
    const d = await db.selectFrom('departments').select('name').where('id', '=', Number(target.dept)).executeTakeFirst();
    label('dept', d?.name ?? target.dept);
  }
  if (target.topic) label('topic', TOPIC_BY_CODE.get(target.topic)?.path ?? target.topic);
  if (target.genre) label('genre', target.genre);
  if (target.cat) label('cat', CATEGORY_NAMES[target.cat] ?? target.cat);
  if (target.type) {
    const it = findItemType(target.type);
    label('type', it ? tr(L, it.label) : target.type);
  }
  if (target.item) {
    const it = await db.selectFrom('pub_items').select(['title']).where('id', '=', Number(target.item)).executeTakeFirst();
    label('item', it ? `《${it.title}》` : target.item);
  }
  const type = target.type ? findItemType(target.type) : null;
  for (const k of Object.keys(target).filter((x) => x.startsWith('x.')).sort()) {
    const v = (target as Record<string, string>)[k]!;
    parts.push(type?.facets?.label(k.slice(2), v, (key) => tr(L, key)) ?? v);
  }
  if (target.q) label('q', target.q);
  return parts.join(L === 'en' ? '; ' : '；') || tr(L, 'subscriptions.facet.all');
}

export async function describeList(db: Db, listId: number, locale: string): Promise<string> {
  const l = await db.selectFrom('sub_lists').select(['facet_key', 'terms_key']).where('id', '=', listId).executeTakeFirst();
  if (!l) return '';
  return describeTarget(db, { ...parseFacetKey(l.facet_key), ...(l.terms_key ? { q: l.terms_key } : {}) }, locale);
}
