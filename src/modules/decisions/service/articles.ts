// A consultation draft split into articles (条): from pasted text or a DOCX's text, on 第X条 (Chinese
// or Arabic numerals: 第十二条, 第一百零一条, 第3条), else on 一、 clauses, else on 1. / 1、 ones — the
// highest level the draft uses, so a 第X条 draft's own 1. lists stay inside their article. Chapter and
// section headings (第一章 总则, 第二节) become entries of their own; text before the first clause is
// the preamble (label ''). While the consultation is a draft staff may edit an article, merge it with
// the next, split it at a position and reorder them (each in one transaction, seq renumbered 1..n).
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { badRequest, conflict, notFound, validationError } from '../../../platform/errors.js';
import { cleanLine, cleanText } from '../../../platform/text.js';
import { detectType, extractText } from '../../../platform/files/index.js';
import { consultationFor } from './access.js';
import type { ArticleRow } from '../schema.js';

/** Limits of a draft: its whole text, one article's text, a label, the number of articles. */
export const ARTICLE_LIMITS = { draft: 200_000, text: 20_000, label: 30, count: 500, docxBytes: 10 * 1024 * 1024 } as const;

export interface DraftArticle {
  label: string;
  text: string;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A Chinese numeral up to 9999 (十二 → 12, 一百零一 → 101, 二十 → 20) or Arabic digits; null when not one. */
export function chineseNumber(s: string): number | null {
  if (/^\d{1,4}$/.test(s)) return Number(s);
  if (!s || !/^[零〇一二两三四五六七八九十百千]+$/.test(s)) return null;
  let total = 0;
  let digit: number | null = null;
  for (const ch of s) {
    if (ch in CN_DIGITS) {
      if (digit !== null && digit !== 0 && CN_DIGITS[ch] !== 0) return null; // 一二 is no numeral
      digit = CN_DIGITS[ch];
    } else {
      const unit = CN_UNITS[ch];
      total += (digit ?? (unit === 10 && total === 0 ? 1 : NaN)) * unit;
      if (Number.isNaN(total)) return null;
      digit = null;
    }
  }
  return total + (digit ?? 0);
}

const NUM = '[零〇一二两三四五六七八九十百千\\d]{1,8}';
/** 第X条 at a line start (the article's text follows, after spaces). */
const ARTICLE = new RegExp(`^(第${NUM}条)[\\s\\u3000]*`);
/** 第X章 / 第X节 headings. */
const HEADING = new RegExp(`^(第${NUM}[章节编])[\\s\\u3000]*`);
/** 一、 clauses. */
const CN_ITEM = /^([一二三四五六七八九十百]{1,4}、)[\s\u3000]*/;
/** 1. / 1、 / 1． clauses (not 1.5, not a date such as 2026.1). */
const NUM_ITEM = /^(\d{1,3}[.、．])(?!\d)[\s\u3000]*/;

type Level = 'article' | 'cn' | 'num' | null;

function levelOf(lines: string[]): Level {
  const ok = (re: RegExp, check?: (m: string) => boolean) =>
    lines.some((l) => {
      const m = re.exec(l);
      return !!m && (!check || check(m[1]));
    });
  if (ok(ARTICLE, (m) => chineseNumber(m.slice(1, -1)) !== null)) return 'article';
  if (ok(CN_ITEM, (m) => chineseNumber(m.slice(0, -1)) !== null)) return 'cn';
  if (ok(NUM_ITEM)) return 'num';
  return null;
}

function startOf(line: string, level: Level): { label: string; rest: string } | null {
  const tryRe = (re: RegExp, valid: (label: string) => boolean) => {
    const m = re.exec(line);
    return m && valid(m[1]) ? { label: m[1], rest: line.slice(m[0].length) } : null;
  };
  if (level === 'article') return tryRe(ARTICLE, (l) => chineseNumber(l.slice(1, -1)) !== null) ?? tryRe(HEADING, (l) => chineseNumber(l.slice(1, -1)) !== null);
  if (level === 'cn') return tryRe(CN_ITEM, (l) => chineseNumber(l.slice(0, -1)) !== null);
  if (level === 'num') return tryRe(NUM_ITEM, () => true);
  return null;
}

/** Normalises a pasted draft: line ends, control characters, blank lines, full-width indents. */
function linesOf(text: string): string[] {
  return cleanText(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((l) => l.length > 0);
}

/**
 * Splits a draft into articles. The preamble (anything before the first clause: the title, a
 * foreword) is an article with label ''. A draft without any clause is one article with label ''.
 * Throws 400 naming `field` when the draft is empty, too long, or has too many or too long articles.
 */
export function splitDraft(text: string, field = 'text'): DraftArticle[] {
  if (typeof text !== 'string' || !text.trim()) throw validationError({ [field]: 'err.field.required' });
  if (text.length > ARTICLE_LIMITS.draft) throw badRequest('decisions.consultations.err.draft_too_long', { [field]: 'decisions.consultations.err.draft_too_long' }, { max: ARTICLE_LIMITS.draft });
  const lines = linesOf(text);
  if (!lines.length) throw validationError({ [field]: 'err.field.required' });
  const level = levelOf(lines);
  const out: DraftArticle[] = [];
  let cur: { label: string; lines: string[] } | null = null;
  const flush = () => {
    if (cur && (cur.label || cur.lines.length)) out.push({ label: cur.label, text: cur.lines.join('\n') });
  };
  for (const line of lines) {
    const s = startOf(line, level);
    if (s) {
      flush();
      cur = { label: s.label, lines: s.rest ? [s.rest] : [] };
    } else {
      if (!cur) cur = { label: '', lines: [] };
      cur.lines.push(line);
    }
  }
  flush();
  if (out.length > ARTICLE_LIMITS.count) throw badRequest('decisions.consultations.err.too_many_articles', { [field]: 'decisions.consultations.err.too_many_articles' }, { max: ARTICLE_LIMITS.count });
  const long = out.findIndex((a) => a.text.length > ARTICLE_LIMITS.text);
  if (long >= 0) throw badRequest('decisions.consultations.err.article_too_long', { [field]: 'decisions.consultations.err.article_too_long' }, { label: out[long].label || '—', max: ARTICLE_LIMITS.text });
  return out;
}

/** The text of an uploaded DOCX draft (a 400/422 naming `field` when it is not a readable DOCX). */
export async function docxDraftText(p: Platform, buf: Buffer, field = 'file'): Promise<string> {
  if (buf.length > ARTICLE_LIMITS.docxBytes) throw badRequest('decisions.consultations.err.docx_too_large', { [field]: 'decisions.consultations.err.docx_too_large' }, { mb: ARTICLE_LIMITS.docxBytes / 1024 / 1024 });
  const type = detectType(buf, 'draft.docx');
  if (!type || type.ext !== 'docx') throw badRequest('decisions.consultations.err.not_docx', { [field]: 'decisions.consultations.err.not_docx' });
  const text = await extractText(p.config, buf, 'docx', field);
  if (!text.trim()) throw badRequest('decisions.consultations.err.docx_empty', { [field]: 'decisions.consultations.err.docx_empty' });
  return text;
}

// ---- stored articles ----------------------------------------------------------------------------

export function listArticles(db: Db, consultationId: number): Promise<ArticleRow[]> {
  return db.selectFrom('dec_articles').selectAll().where('consultation_id', '=', consultationId).orderBy('seq').execute();
}

/** Replaces a consultation's articles with `articles` (seq 1..n), in the caller's transaction. */
export async function writeArticles(t: Db, consultationId: number, articles: DraftArticle[]): Promise<void> {
  await t.deleteFrom('dec_articles').where('consultation_id', '=', consultationId).execute();
  const rows = articles.map((a, i) => ({ consultation_id: consultationId, seq: i + 1, label: a.label, text: a.text }));
  for (let k = 0; k < rows.length; k += 200) await t.insertInto('dec_articles').values(rows.slice(k, k + 200)).execute();
}

/** Gives the articles `ids` the seqs 1..n in that order (two steps: the (consultation, seq) pair is unique). */
async function renumber(t: Db, ids: number[]): Promise<void> {
  for (const [i, id] of ids.entries()) await t.updateTable('dec_articles').set({ seq: -(i + 1) }).where('id', '=', id).execute();
  for (const [i, id] of ids.entries()) await t.updateTable('dec_articles').set({ seq: i + 1 }).where('id', '=', id).execute();
}

/** The draft consultation and its articles, for a change by `actor` (409 once it is open). */
async function draftFor(t: Db, actor: Actor, consultationId: number) {
  const c = await consultationFor(t, actor, consultationId, 'major-decision.edit');
  if (c.state !== 'draft') throw conflict('decisions.consultations.err.not_draft');
  return { c, articles: await listArticles(t, consultationId) };
}

function articleIn(articles: ArticleRow[], id: number): number {
  const i = articles.findIndex((a) => a.id === id);
  if (i < 0) throw notFound('decisions.consultations.err.no_article');
  return i;
}

function checkLabel(label: unknown, field = 'label'): string {
  if (typeof label !== 'string') throw validationError({ [field]: 'err.field.invalid' });
  const l = cleanLine(label).trim();
  if (l.length > ARTICLE_LIMITS.label) throw validationError({ [field]: 'err.field.too_long' });
  return l;
}

function checkText(text: unknown, field = 'text'): string {
  if (typeof text !== 'string') throw validationError({ [field]: 'err.field.invalid' });
  const s = cleanText(text).replace(/\r\n?/g, '\n').trim();
  if (!s) throw validationError({ [field]: 'err.field.required' });
  if (s.length > ARTICLE_LIMITS.text) throw validationError({ [field]: 'err.field.too_long' });
  return s;
}

async function touch(p: Platform, t: Db, actor: Actor, consultationId: number, action: string, details: Record<string, unknown>) {
  await t.updateTable('dec_consultations').set({ updated_at: new Date().toISOString() }).where('id', '=', consultationId).execute();
  await p.audit(t, { actor: actorName(actor), action: `decisions.consultation.${action}`, entity: 'dec_consultation', entityId: consultationId, details });
}

/** Replaces the whole draft with a new split of `text`. */
export async function replaceDraft(p: Platform, actor: Actor, consultationId: number, text: string): Promise<ArticleRow[]> {
  const articles = splitDraft(text);
  return p.tx(async (t) => {
    await draftFor(t, actor, consultationId);
    await writeArticles(t, consultationId, articles);
    await touch(p, t, actor, consultationId, 'articles_replace', { count: articles.length });
    return listArticles(t, consultationId);
  });
}

/** Edits one article's label and/or text. */
export async function editArticle(p: Platform, actor: Actor, consultationId: number, articleId: number, input: { label?: string; text?: string }): Promise<ArticleRow[]> {
  const label = input.label === undefined ? undefined : checkLabel(input.label);
  const text = input.text === undefined ? undefined : checkText(input.text);
  return p.tx(async (t) => {
    const { articles } = await draftFor(t, actor, consultationId);
    articleIn(articles, articleId);
    await t.updateTable('dec_articles').set({ ...(label !== undefined ? { label } : {}), ...(text !== undefined ? { text } : {}) }).where('id', '=', articleId).execute();
    await touch(p, t, actor, consultationId, 'article_edit', { articleId });
    return listArticles(t, consultationId);
  });
}

/** Merges an article with the next one (the next one's label goes into the text, on its own line). */
export async function mergeWithNext(p: Platform, actor: Actor, consultationId: number, articleId: number): Promise<ArticleRow[]> {
  return p.tx(async (t) => {
    const { articles } = await draftFor(t, actor, consultationId);
    const i = articleIn(articles, articleId);
    const a = articles[i];
    const next = articles[i + 1];
    if (!next) throw conflict('decisions.consultations.err.no_next', { articleId: 'decisions.consultations.err.no_next' });
    const text = [a.text, [next.label, next.text].filter(Boolean).join(next.label && next.text ? '　' : '')].filter(Boolean).join('\n');
    if (text.length > ARTICLE_LIMITS.text) throw validationError({ articleId: 'decisions.consultations.err.merged_too_long' });
    await t.updateTable('dec_articles').set({ text }).where('id', '=', a.id).execute();
    await t.deleteFrom('dec_articles').where('id', '=', next.id).execute();
    await renumber(t, articles.filter((x) => x.id !== next.id).map((x) => x.id));
    await touch(p, t, actor, consultationId, 'article_merge', { articleId, merged: next.id });
    return listArticles(t, consultationId);
  });
}

/**
 * Splits an article at `position` (a character offset into its text, 1..length−1): the text from
 * there becomes a new article right after it, labelled `label` (default: a clause label the new
 * text starts with, taken out of the text, else '').
 */
export async function splitArticle(p: Platform, actor: Actor, consultationId: number, articleId: number, position: number, label?: string): Promise<ArticleRow[]> {
  const given = label === undefined ? undefined : checkLabel(label);
  return p.tx(async (t) => {
    const { articles } = await draftFor(t, actor, consultationId);
    if (articles.length >= ARTICLE_LIMITS.count) throw validationError({ position: 'decisions.consultations.err.too_many_articles' });
    const i = articleIn(articles, articleId);
    const a = articles[i];
    const chars = [...a.text];
    if (!Number.isInteger(position) || position < 1 || position >= chars.length) throw validationError({ position: 'decisions.consultations.err.split_position' });
    const head = chars.slice(0, position).join('').trim();
    let tail = chars.slice(position).join('').trim();
    if (!head || !tail) throw validationError({ position: 'decisions.consultations.err.split_position' });
    let newLabel = given ?? '';
    if (given === undefined) {
      const s = startOf(tail, 'article') ?? startOf(tail, 'cn') ?? startOf(tail, 'num');
      if (s && s.rest) {
        newLabel = s.label;
        tail = s.rest;
      }
    }
    await t.updateTable('dec_articles').set({ text: head }).where('id', '=', a.id).execute();
    // Placed at the end first, then renumbered into place.
    const created = await t.insertInto('dec_articles').values({ consultation_id: consultationId, seq: articles.length + 1, label: newLabel, text: tail }).returning('id').executeTakeFirstOrThrow();
    const ids = articles.map((x) => x.id);
    ids.splice(i + 1, 0, created.id);
    await renumber(t, ids);
    await touch(p, t, actor, consultationId, 'article_split', { articleId, created: created.id, position });
    return listArticles(t, consultationId);
  });
}

/** Puts the articles in the order of `ids` (every article of the consultation, each once). */
export async function reorderArticles(p: Platform, actor: Actor, consultationId: number, ids: number[]): Promise<ArticleRow[]> {
  if (!Array.isArray(ids) || ids.length > ARTICLE_LIMITS.count || !ids.every((x) => Number.isInteger(x))) throw validationError({ order: 'err.field.invalid' });
  return p.tx(async (t) => {
    const { articles } = await draftFor(t, actor, consultationId);
    const have = new Set(articles.map((a) => a.id));
    if (ids.length !== articles.length || new Set(ids).size !== ids.length || !ids.every((x) => have.has(x))) throw validationError({ order: 'decisions.consultations.err.order' });
    await renumber(t, ids);
    await touch(p, t, actor, consultationId, 'article_reorder', { order: ids });
    return listArticles(t, consultationId);
  });
}

/** Moves one article up or down by one place (the console's buttons). */
export async function moveArticle(p: Platform, actor: Actor, consultationId: number, articleId: number, dir: 'up' | 'down'): Promise<ArticleRow[]> {
  const articles = await listArticles(p.db, consultationId);
  const ids = articles.map((a) => a.id);
  const i = ids.indexOf(articleId);
  const j = dir === 'up' ? i - 1 : i + 1;
  if (i >= 0 && j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j], ids[i]];
  return reorderArticles(p, actor, consultationId, ids);
}
