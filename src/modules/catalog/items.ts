// The catalog's own item type: 'document' (policies, notices, plans… and 政策解读).
import { Type, type Static } from '@sinclair/typebox';
import { h } from 'preact';
import { registerItemType, type ItemMeta } from '../../platform/publication/registry.js';
import { TOPIC_BY_CODE, GENRES, CATEGORIES, INTERPRETATION_FORMS } from '../../platform/taxonomy/index.js';
import '../../platform/publication/schema.js';
import { attachmentName } from '../../platform/files/index.js';
import { zhLang } from '../../platform/render/components.js';

export const AttachmentSchema = Type.Object(
  { hash: Type.String({ pattern: '^[0-9a-f]{64}$' }), name: Type.String({ minLength: 1, maxLength: 200 }), size: Type.Integer({ minimum: 0 }), mime: Type.String({ maxLength: 120 }) },
  { additionalProperties: false },
);

export const DocumentData = Type.Object(
  {
    body: Type.String({ maxLength: 500_000 }),
    attachments: Type.Array(AttachmentSchema, { maxItems: 30 }),
    related: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 }),
    interpretation: Type.Optional(
      Type.Object(
        {
          form: Type.String({ enum: [...INTERPRETATION_FORMS] }),
          of: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 20 }),
          videoUrl: Type.Optional(Type.String({ maxLength: 500 })),
          qa: Type.Optional(Type.Array(Type.Object({ q: Type.String({ maxLength: 1000 }), a: Type.String({ maxLength: 5000 }) }, { additionalProperties: false }), { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DocumentData = Static<typeof DocumentData>;

/** The allowlist: structure and emphasis only; links and images on http(s)/relative URLs. */
export async function sanitizeBody(html: string): Promise<string> {
  // Loaded on first use: the public server never needs it.
  const sanitizeHtml = (await import('sanitize-html')).default;
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'h5', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'ul', 'ol', 'li', 'blockquote', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'a', 'img', 'hr', 'span', 'div', 'pre', 'code'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'], th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  });
}

/** Plain text of (already sanitised) body HTML. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(p|h\d|li|tr|div|blockquote)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d{1,7});/g, (_, n) => (Number(n) <= 0x10ffff ? String.fromCodePoint(Number(n)) : ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text → paragraphs of HTML (used by import and demo data). */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n|\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => `<p>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
    .join('\n');
}

export function emptyDocument(): DocumentData {
  return { body: '', attachments: [], related: [] };
}

export function checkDocMeta(meta: ItemMeta): Record<string, string> {
  const f: Record<string, string> = {};
  if (!meta.topic) f.topic = 'err.field.required';
  else if (!TOPIC_BY_CODE.has(meta.topic)) f.topic = 'err.field.enum_generic';
  if (!meta.genre) f.genre = 'err.field.required';
  else if (!(GENRES as readonly string[]).includes(meta.genre)) f.genre = 'err.field.enum_generic';
  if (meta.category && !(CATEGORIES as readonly string[]).includes(meta.category)) f.category = 'err.field.enum_generic';
  if (!meta.writtenAt) f.writtenAt = 'err.field.required';
  return f;
}

export const DOCUMENT = 'document';

export function registerDocumentType(): void {
  registerItemType<DocumentData>({
    type: DOCUMENT,
    section: 'catalog',
    label: 'catalog.item_type',
    schema: DocumentData,
    category: 'a20-01',
    async prepare(data, meta) {
      const d: DocumentData = { ...emptyDocument(), ...(data ?? {}) };
      const fields = checkDocMeta(meta);
      d.body = await sanitizeBody(String(d.body ?? ''));
      // Names as given by the uploader: stored without bidi overrides, control characters or
      // directories, and with the extension of the file's type.
      d.attachments = (d.attachments ?? []).map((a) => ({ ...a, name: attachmentName(a) }));
      if (!htmlToText(d.body) && d.attachments.length === 0) fields.body = 'err.field.required';
      d.related = [...new Set(d.related ?? [])];
      if (d.interpretation) {
        d.interpretation = { ...d.interpretation, of: [...new Set(d.interpretation.of)] };
        if (d.interpretation.videoUrl && !/^https?:\/\//.test(d.interpretation.videoUrl)) fields['interpretation.videoUrl'] = 'err.field.format';
      }
      return { data: d, fields };
    },
    async searchText(data, meta, db) {
      const parts = [meta.title, meta.docNo, meta.keywords.join(' '), meta.summary, htmlToText(data.body)];
      for (const q of data.interpretation?.qa ?? []) parts.push(q.q, q.a);
      const hashes = data.attachments.map((a) => a.hash);
      if (hashes.length) {
        const files = await db.selectFrom('files').select(['hash', 'text']).where('hash', 'in', hashes).execute();
        for (const a of data.attachments) parts.push(a.name, files.find((f) => f.hash === a.hash)?.text ?? '');
      }
      return parts.filter(Boolean).join('\n');
    },
    render(data, c) {
      const qa = data.interpretation?.qa ?? [];
      return h(
        'div',
        { class: 'doc-body' },
        // What staff wrote is Chinese, whatever the page's language (lang on an English page).
        h('div', { class: 'doc-content', lang: zhLang(c), dangerouslySetInnerHTML: { __html: data.body } }),
        data.interpretation?.videoUrl ? h('p', { class: 'doc-video' }, h('a', { href: data.interpretation.videoUrl, rel: 'noopener noreferrer' }, c.t('catalog.video'))) : null,
        qa.length
          ? h(
              'dl',
              { class: 'doc-qa', lang: zhLang(c) },
              qa.flatMap((x) => [h('dt', null, x.q), h('dd', null, x.a)]),
            )
          : null,
      );
    },
    url: (id) => `/catalog/items/${id}`,
    links(data) {
      return [...(data.related ?? []).map((to) => ({ to, kind: 'related' as const })), ...(data.interpretation?.of ?? []).map((to) => ({ to, kind: 'interprets' as const }))];
    },
  });
}
