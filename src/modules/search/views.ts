// How a search hit says what it is: its type's public name and section, as the module that
// publishes it declares them (ADR 0008), and its 索引号 only where its section numbers items.
import type { Translate } from '../../platform/i18n/index.js';
import { findItemType, SECTIONS, type Section } from '../../platform/publication/registry.js';

/** The public name of an item type (never the code). */
export function typeLabel(tr: Translate, type: string): string {
  const t = findItemType(type);
  return tr(t ? t.label : 'publication.type.other');
}

/** "互动交流 · 市民诉求答复", "政府信息公开 · 政府文件". */
export function kindLabel(tr: Translate, type: string): string {
  const t = findItemType(type);
  return t ? `${tr(SECTIONS[t.section].label)} · ${tr(t.label)}` : tr('publication.type.other');
}

/** The type's section, or null for a type no mounted module registers. */
export const sectionOf = (type: string): Section | null => findItemType(type)?.section ?? null;

/** The 索引号 to show: '' outside numbered sections (an index entry made before ADR 0008 may
 *  still hold an appeal's old number). */
export function shownIndexNo(type: string, indexNo: string): string {
  const s = sectionOf(type);
  return s && SECTIONS[s].indexNo ? indexNo : '';
}
