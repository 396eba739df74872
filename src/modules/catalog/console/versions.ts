// Versions for staff: a version shaped as the public page expects (preview, diff), and the line diff.
import type { Platform } from '../../../platform/platform.js';
import type { ItemRow, VersionView } from '../../../platform/publication/index.js';
import { departments, toListItem, type PublicItem } from '../service/queries.js';
import { htmlToText } from '../items.js';
import { topicPath } from '../../../platform/taxonomy/index.js';

/** A version shaped as the public page expects (for the preview and the diff). */
export async function asPublic(p: Platform, item: ItemRow, v: VersionView): Promise<PublicItem> {
  const depts = await departments(p.db);
  const d = depts.find((x) => x.id === item.department_id);
  const m = v.meta;
  const li = toListItem(
    { ...item, title: m.title, doc_no: m.docNo, topic: m.topic, genre: m.genre, category: m.category, written_at: m.writtenAt, first_published_at: item.first_published_at ?? new Date().toISOString(), published_at: v.publishedAt ?? new Date().toISOString(), effective_at: m.effectiveAt, expires_at: m.expiresAt, published_version: v.version, index_no: item.index_no ?? '—', hash: v.hash ?? '' },
    d,
  );
  return { item: li, status: 'public', withdrawnAt: null, withdrawReason: null, validityChangedAt: null, validityReason: null, version: v, data: { ...v.data, attachments: v.data?.attachments ?? [] }, versions: [], interpretations: [], interprets: [], related: [], coPublishers: m.coPublishers.map((c) => depts.find((x) => x.code === c)).filter((x): x is NonNullable<typeof x> => !!x).map((x) => ({ code: x.code, name: x.name })) };
}

/** Lines compared by the diff: the metadata fields, then the body's paragraphs. */
export function versionLines(v: VersionView): string[] {
  const m = v.meta;
  return [
    `标题：${m.title}`,
    `文号：${m.docNo}`,
    `主题分类：${topicPath(m.topic)}`,
    `体裁：${m.genre ?? ''}`,
    `成文日期：${m.writtenAt ?? ''}`,
    `生效日期：${m.effectiveAt ?? ''}`,
    `失效日期：${m.expiresAt ?? ''}`,
    `关键词：${m.keywords.join('，')}`,
    `内容概述：${m.summary}`,
    `附件：${(v.data.attachments ?? []).map((a: any) => a.name).join('，')}`,
    ...htmlToText(v.data.body ?? '').split('\n').filter((l) => l.trim()),
  ];
}

/** Line diff (longest common subsequence). */
export function diffLines(a: string[], b: string[]): { op: ' ' | '-' | '+'; line: string }[] {
  const n = a.length;
  const m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', line: a[i] });
      i++;
      j++;
    } else if (L[i + 1][j] >= L[i][j + 1]) out.push({ op: '-', line: a[i++] });
    else out.push({ op: '+', line: b[j++] });
  }
  while (i < n) out.push({ op: '-', line: a[i++] });
  while (j < m) out.push({ op: '+', line: b[j++] });
  return out;
}
