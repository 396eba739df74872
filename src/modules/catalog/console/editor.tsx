// The document editor: the form, and the form's fields turned into metadata and payload.
import { Csrf, ErrorSummary, Field, Select, type PageCtx } from '../../../platform/render/index.js';
import { DISCLOSURES, type ItemMeta } from '../../../platform/publication/registry.js';
import { currentDisclosure } from '../../../platform/publication/meta.js';
import { intFrom } from '../../../platform/text.js';
import type { DocumentData } from '../items.js';
import { CATEGORIES, GENRES, WITHHOLD_GROUNDS, INTERPRETATION_FORMS, TOPICS } from '../../../platform/taxonomy/index.js';

const list = (s: unknown) =>
  String(s ?? '')
    .split(/[,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const ids = (s: unknown) => list(s).map(intFrom).filter((n): n is number => n !== null && n > 0);

/** Form fields → metadata and payload. */
export function fromForm(b: Record<string, any>, prevData?: DocumentData): { meta: Partial<ItemMeta>; data: DocumentData; changeNote: string; department: string } {
  const s = (k: string) => (typeof b[k] === 'string' ? b[k].trim() : '');
  const meta: Partial<ItemMeta> = {
    title: s('title'),
    docNo: s('docNo'),
    topic: s('topic') || null,
    genre: s('genre') || null,
    category: s('category') || null,
    writtenAt: s('writtenAt') || null,
    effectiveAt: s('effectiveAt') || null,
    expiresAt: s('expiresAt') || null,
    keywords: list(b.keywords),
    summary: s('summary'),
    // A form opened before the glossary names may still post 'on_request' / 'not_public' and
    // disclosureGround (accepted until the next release): mapped to the current names.
    disclosure: currentDisclosure(s('disclosure') || 'proactive') as ItemMeta['disclosure'],
    withholdGround: s('withholdGround') || s('disclosureGround'),
    coPublishers: list(b.coPublishers),
    // Not a date → 'invalid', which the check below and checkMeta report on the field (never a RangeError).
    publishAt: s('publishAt') ? (Number.isNaN(Date.parse(`${s('publishAt')}:00+08:00`)) ? 'invalid' : new Date(`${s('publishAt')}:00+08:00`).toISOString()) : null,
    formedAt: s('formedAt') || undefined,
  };
  if (meta.publishAt && Number.isNaN(Date.parse(meta.publishAt))) meta.publishAt = 'invalid';
  const data: DocumentData = { body: String(b.body ?? ''), attachments: prevData?.attachments ?? [], related: ids(b.related) };
  const of = ids(b.interprets);
  if (of.length) data.interpretation = { form: INTERPRETATION_FORMS.includes(s('interpretationForm') as any) ? s('interpretationForm') : 'text', of, ...(s('videoUrl') ? { videoUrl: s('videoUrl') } : {}) };
  return { meta, data, changeNote: s('changeNote'), department: s('department') };
}

export function Editor({ c, action, meta, data, depts, dept, errors, changeNote, isNew }: { c: PageCtx; action: string; meta: Partial<ItemMeta>; data: Partial<DocumentData>; depts: { code: string; name: string }[]; dept?: string; errors?: Record<string, string>; changeNote?: string; isNew: boolean }) {
  const e = (k: string) => (errors?.[k] ? c.t(errors[k]) : undefined);
  const pubAt = meta.publishAt && meta.publishAt !== 'invalid' ? new Date(Date.parse(meta.publishAt) + 8 * 3600000).toISOString().slice(0, 16) : '';
  return (
    <form method="post" action={action} class="doc-editor" novalidate>
      <Csrf c={c} />
      <ErrorSummary c={c} fields={errors ? Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, c.t(v)])) : undefined} />
      {isNew && <Select label={c.t('catalog.department')} name="department" value={dept} required options={depts.map((d) => ({ value: d.code, label: d.name }))} error={e('department')} />}
      <Field label={c.t('catalog.title')} name="title" value={meta.title} required maxLength={300} error={e('title')} />
      <Field label={c.t('catalog.docNo')} name="docNo" value={meta.docNo} maxLength={100} hint={c.t('catalog.docNo_hint')} error={e('docNo')} />
      <Select label={c.t('catalog.topic')} name="topic" value={meta.topic} required blank="" options={TOPICS.map((t) => ({ value: t.code, label: t.parent ? `— ${t.name}` : t.name }))} error={e('topic')} />
      <Select label={c.t('catalog.genre')} name="genre" value={meta.genre} required blank="" options={GENRES.map((g) => ({ value: g, label: g }))} error={e('genre')} />
      <Select label={c.t('catalog.category')} name="category" value={meta.category} blank={c.t('catalog.category_default')} options={CATEGORIES.map((k) => ({ value: k, label: c.t(`cat.${k}`) }))} error={e('category')} />
      <Field label={c.t('catalog.writtenAt')} name="writtenAt" type="date" value={meta.writtenAt} required error={e('writtenAt')} />
      <Field label={c.t('catalog.formedAt')} name="formedAt" type="date" value={meta.formedAt} hint={c.t('catalog.formedAt_hint')} error={e('formedAt')} />
      <Field label={c.t('catalog.effectiveAt')} name="effectiveAt" type="date" value={meta.effectiveAt} error={e('effectiveAt')} />
      <Field label={c.t('catalog.expiresAt')} name="expiresAt" type="date" value={meta.expiresAt} error={e('expiresAt')} />
      <Field label={c.t('catalog.keywords')} name="keywords" value={(meta.keywords ?? []).join('，')} maxLength={400} hint={c.t('catalog.keywords_hint')} />
      <Field label={c.t('catalog.summary')} name="summary" value={meta.summary} multiline rows={3} maxLength={2000} error={e('summary')} />
      <Select label={c.t('catalog.disclosure')} name="disclosure" value={meta.disclosure ?? 'proactive'} options={DISCLOSURES.map((d) => ({ value: d, label: c.t(`catalog.disclosure.${d}`) }))} error={e('disclosure')} />
      <Select label={c.t('catalog.withholdGround')} name="withholdGround" value={meta.withholdGround} blank="" options={WITHHOLD_GROUNDS.map((g) => ({ value: g, label: g }))} error={e('withholdGround')} />
      <Field label={c.t('catalog.coPublishers')} name="coPublishers" value={(meta.coPublishers ?? []).join(',')} hint={c.t('catalog.coPublishers_hint')} />
      <Field label={c.t('catalog.publishAt')} name="publishAt" type="datetime-local" value={pubAt} hint={c.t('catalog.publishAt_hint')} error={e('publishAt')} />
      <Field label={c.t('catalog.body')} name="body" value={data.body} multiline rows={16} required hint={c.t('catalog.body_hint')} error={e('body')} />
      <Field label={c.t('catalog.related_ids')} name="related" value={(data.related ?? []).join(',')} hint={c.t('catalog.ids_hint')} />
      <fieldset>
        <legend>{c.t('catalog.interpretation')}</legend>
        <Field label={c.t('catalog.interprets_ids')} name="interprets" value={(data.interpretation?.of ?? []).join(',')} hint={c.t('catalog.ids_hint')} />
        <Select label={c.t('catalog.interpretation_form')} name="interpretationForm" value={data.interpretation?.form ?? 'text'} options={INTERPRETATION_FORMS.map((f) => ({ value: f, label: c.t(`catalog.form.${f}`) }))} />
        <Field label={c.t('catalog.videoUrl')} name="videoUrl" value={data.interpretation?.videoUrl} type="url" error={e('interpretation.videoUrl')} />
      </fieldset>
      <Field label={c.t('catalog.change_note')} name="changeNote" value={changeNote} maxLength={500} />
      <button type="submit">{c.t('common.save')}</button>
    </form>
  );
}
