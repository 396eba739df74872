// Versions for staff: a version shaped as the public page expects (preview), and the comparison of
// two versions (metadata fields, then the body paragraph by paragraph and word by word).
import type { Platform } from '../../../platform/platform.js';
import type { ItemRow, VersionView } from '../../../platform/publication/index.js';
import { departments, toListItem, type PublicItem } from '../service/queries.js';
import { htmlToText } from '../items.js';
import { diffArrays, diffWords } from 'diff';

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

/** A metadata field of a version as staff read it: [message key of its label, its value in words]. */
export type FieldRow = [label: string, value: string];

/** Paragraphs of a body: its plain text, one paragraph a line, blank lines dropped. */
export function paragraphs(html: string): string[] {
  return htmlToText(html ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export interface FieldChange {
  label: string;
  before: string;
  after: string;
}

/** A piece of a changed paragraph: kept, deleted or inserted words. */
export interface Piece {
  op: 'same' | 'del' | 'add';
  text: string;
}

/** One row of the body's comparison; `skip` stands for unchanged paragraphs not shown. */
export type BodyRow = { op: 'same'; text: string } | { op: 'del'; text: string } | { op: 'add'; text: string } | { op: 'change'; pieces: Piece[] } | { op: 'skip'; n: number };

export interface VersionDiff {
  fields: FieldChange[];
  /** null when the bodies differ too much to compare paragraph by paragraph. */
  body: BodyRow[] | null;
  bodyChanged: boolean;
}

/** Paragraphs beyond which, or edits beyond which, the comparison gives up (bounded work per page). */
const MAX_EDITS = 2000;
const MAX_WORD_EDITS = 400;
/** Unchanged paragraphs shown around a change. */
const CONTEXT = 1;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Word-level changes inside a paragraph (Chinese segmented into words), or null when the two
 *  have too little in common to be read as one paragraph edited. */
function paragraphChange(a: string, b: string): Piece[] | null {
  const parts = diffWords(a, b, { intlSegmenter: segmenter, maxEditLength: MAX_WORD_EDITS });
  if (!parts) return null;
  const same = parts.filter((x) => !x.added && !x.removed).reduce((n, x) => n + x.value.length, 0);
  if (same * 3 < Math.max(a.length, b.length)) return null;
  return parts.map((x) => ({ op: x.added ? 'add' : x.removed ? 'del' : 'same', text: x.value }));
}

/**
 * What changed from one version to another: the metadata fields that differ (label, before,
 * after) and the body compared paragraph by paragraph, a paragraph edited in place shown with its
 * changed words, long unchanged stretches folded.
 */
export function versionDiff(before: { fields: FieldRow[]; body: string[] }, after: { fields: FieldRow[]; body: string[] }): VersionDiff {
  const old = new Map(before.fields);
  const fields = after.fields.filter(([k, v]) => (old.get(k) ?? '') !== v).map(([label, v]) => ({ label, before: old.get(label) ?? '', after: v }));
  const changes = diffArrays(before.body, after.body, { maxEditLength: MAX_EDITS });
  if (!changes) return { fields, body: null, bodyChanged: true };
  const rows: BodyRow[] = [];
  for (let i = 0; i < changes.length; i++) {
    const ch = changes[i];
    if (!ch.added && !ch.removed) {
      for (const text of ch.value) rows.push({ op: 'same', text });
      continue;
    }
    const next = changes[i + 1];
    if (ch.removed && next?.added) {
      // Paragraphs replaced one for one are compared word by word where they are alike.
      const n = Math.max(ch.value.length, next.value.length);
      for (let k = 0; k < n; k++) {
        const a = ch.value[k];
        const b = next.value[k];
        const pieces = a !== undefined && b !== undefined ? paragraphChange(a, b) : null;
        if (pieces) rows.push({ op: 'change', pieces });
        else {
          if (a !== undefined) rows.push({ op: 'del', text: a });
          if (b !== undefined) rows.push({ op: 'add', text: b });
        }
      }
      i++;
      continue;
    }
    for (const text of ch.value) rows.push(ch.added ? { op: 'add', text } : { op: 'del', text });
  }
  const bodyChanged = rows.some((r) => r.op !== 'same');
  // Fold unchanged paragraphs further than CONTEXT from any change.
  const near = rows.map((_, k) => rows.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((r) => r.op !== 'same'));
  const body: BodyRow[] = [];
  rows.forEach((r, k) => {
    if (r.op !== 'same' || near[k]) body.push(r);
    else {
      const last = body[body.length - 1];
      if (last?.op === 'skip') last.n++;
      else body.push({ op: 'skip', n: 1 });
    }
  });
  return { fields, body: bodyChanged ? body : [], bodyChanged };
}
