// The staff console of the catalog: my drafts / waiting for me / published, the editor with
// validation and a preview exactly as the public sees it, workflow actions, version diff,
// attachments, bulk import (CSV/XLSX, dry run) and the 公开指南 text.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, PublicLayout, Csrf, Field, Select, Notice, Empty, ErrorSummary, Pager, Dl, type PageCtx } from '../../platform/render/index.js';
import { HttpError, notFound, forbidden } from '../../platform/errors.js';
import { can, scopeOf, type Principal } from '../../platform/auth/policy.js';
import { createDraft, updateDraft, transition, staffItem, getVersion, listVersions, STAGES, ACTIONS, multiStageDepartments, setMultiStage, type Action, type VersionView, type ItemRow } from '../../platform/publication/service.js';
import { storeFile, humanSize, safeFileName, attachmentName } from '../../platform/files/index.js';
import type { ItemMeta } from '../../platform/publication/registry.js';
import { getSetting, putSetting } from '../../platform/settings/index.js';
import { departments, toListItem, type PublicItem } from './queries.js';
import { ItemBody, fmtDate } from './public.js';
import { DOCUMENT, htmlToText, type DocumentData } from './document.js';
import { CATEGORIES, GENRES, GROUNDS, INTERPRETATION_FORMS, TOPICS, topicPath } from './taxonomy.js';
import { readUpload } from './api.js';
import { intFrom } from '../../platform/text.js';
import { importCatalog, IMPORT_COLUMNS, type ImportReport } from './importer.js';

/** A document of the catalog the staff user may read (other item types have their own consoles). */
async function staffDoc(p: Platform, user: Principal, id: number) {
  const item = await staffItem(p, user, id);
  if (item.type !== DOCUMENT) throw notFound();
  return item;
}

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const list = (s: unknown) =>
  String(s ?? '')
    .split(/[,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const ids = (s: unknown) => list(s).map(intFrom).filter((n): n is number => n !== null && n > 0);

/** Form fields → metadata and payload. */
function fromForm(b: Record<string, any>, prevData?: DocumentData): { meta: Partial<ItemMeta>; data: DocumentData; changeNote: string; department: string } {
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
    disclosure: (s('disclosure') || 'proactive') as ItemMeta['disclosure'],
    disclosureGround: s('disclosureGround'),
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

/** A reason input with an id of its own (several reason forms share one page). */
function ReasonField({ c, action }: { c: PageCtx; action: string }) {
  const id = `f-reason-${action}`;
  return (
    <div class="field">
      <label for={id}>
        {c.t(`catalog.action.${action}`)} · {c.t('catalog.reason')}
        <span class="req" aria-hidden="true"> *</span>
      </label>
      <input id={id} name="reason" type="text" required maxLength={1000} />
    </div>
  );
}

function statusLabel(c: PageCtx, s: string) {
  return c.t(`pub.status.${s}`);
}

async function creatableDepts(p: Platform, u: Principal) {
  const scope = scopeOf(u, 'content.create');
  return (await departments(p.db)).filter((d) => d.active && (scope === 'all' || scope.has(d.id)));
}

function Editor({ c, action, meta, data, depts, dept, errors, changeNote, isNew }: { c: PageCtx; action: string; meta: Partial<ItemMeta>; data: Partial<DocumentData>; depts: { code: string; name: string }[]; dept?: string; errors?: Record<string, string>; changeNote?: string; isNew: boolean }) {
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
      <Select label={c.t('catalog.disclosure')} name="disclosure" value={meta.disclosure ?? 'proactive'} options={['proactive', 'on_request', 'not_public'].map((d) => ({ value: d, label: c.t(`catalog.disclosure.${d}`) }))} error={e('disclosure')} />
      <Select label={c.t('catalog.disclosureGround')} name="disclosureGround" value={meta.disclosureGround} blank="" options={GROUNDS.map((g) => ({ value: g, label: g }))} error={e('disclosureGround')} />
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

/** A version shaped as the public page expects (for the preview and the diff). */
async function asPublic(p: Platform, item: ItemRow, v: VersionView): Promise<PublicItem> {
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

function errorFields(err: unknown): Record<string, string> | null {
  return err instanceof HttpError && err.code === 'validation' && err.fields ? err.fields : null;
}

export async function catalogAdmin(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { tab?: string; page?: string } }>('/admin/catalog', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const u = req.user!;
    const tab = ['mine', 'waiting', 'published', 'all'].includes(req.query.tab ?? '') ? req.query.tab! : 'mine';
    const page = Math.max(1, Math.min(100000, Number(req.query.page) || 1));
    const scope = scopeOf(u, 'content.read');
    let q = p.db.selectFrom('pub_items as i').innerJoin('departments as d', 'd.id', 'i.department_id').where('i.type', '=', DOCUMENT);
    if (scope !== 'all') q = q.where('i.department_id', 'in', scope.size ? [...scope] : [-1]);
    if (tab === 'mine') q = q.where('i.created_by', '=', u.id).where('i.status', 'in', ['draft', 'secrecy_review', 'review', 'signing', 'scheduled']);
    if (tab === 'published') q = q.where('i.public', '=', 1);
    if (tab === 'waiting') {
      const conds: [string, Set<number> | 'all'][] = STAGES.map((s) => [s.state, scopeOf(u, s.action)]);
      q = q.where((eb) =>
        eb.or(
          conds
            .filter(([, sc]) => sc === 'all' || sc.size > 0)
            .map(([state, sc]) => (sc === 'all' ? eb('i.status', '=', state) : eb.and([eb('i.status', '=', state), eb('i.department_id', 'in', [...sc])])))
            .concat([eb('i.id', '=', -1)]),
        ),
      );
    }
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await q.select(['i.id', 'i.title', 'i.status', 'i.index_no', 'i.public', 'i.updated_at', 'd.name as dept']).orderBy('i.updated_at', 'desc').orderBy('i.id', 'desc').limit(30).offset((page - 1) * 30).execute();
    return reply.html(
      <AdminLayout c={c} title={c.t('catalog.console')}>
        <h1>{c.t('catalog.console')}</h1>
        <p>
          {c.can('content.create') && <a class="button" href="/admin/catalog/new">{c.t('catalog.new')}</a>} {c.can('content.import') && <a href="/admin/catalog/import">{c.t('catalog.import')}</a>} {c.can('department.edit', { departmentId: u.departmentId }) && <a href={`/admin/catalog/guide/${u.departmentCode}`}>{c.t('catalog.guide')}</a>}
        </p>
        <nav class="tabs" aria-label={c.t('catalog.console')}>
          {['mine', 'waiting', 'published', 'all'].map((t) => (
            <a href={`/admin/catalog?tab=${t}`} aria-current={t === tab ? 'page' : undefined}>{c.t(`catalog.tab.${t}`)}</a>
          ))}
        </nav>
        {rows.length === 0 ? (
          <Empty>{c.t('catalog.none')}</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{c.t('catalog.title')}</th>
                <th scope="col">{c.t('catalog.department')}</th>
                <th scope="col">{c.t('catalog.status')}</th>
                <th scope="col">{c.t('catalog.indexNo')}</th>
                <th scope="col">{c.t('catalog.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/catalog/${r.id}`}>{r.title}</a>
                  </td>
                  <td>{r.dept}</td>
                  <td>
                    {statusLabel(c, r.status)}
                    {r.public && r.status !== 'published' ? ` · ${c.t('catalog.online')}` : ''}
                  </td>
                  <td>{r.index_no ?? '—'}</td>
                  <td>{fmtDate(r.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager c={c} page={page} pageSize={30} total={total} href={(n) => `/admin/catalog?tab=${tab}&page=${n}`} />
      </AdminLayout>,
    );
  });

  const editorPage = (c: PageCtx, title: string, body: any) => (
    <AdminLayout c={c} title={title}>
      <h1>{title}</h1>
      {body}
    </AdminLayout>
  );

  app.get('/admin/catalog/new', { config: { permission: 'content.create' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const depts = await creatableDepts(p, req.user!);
    return reply.html(editorPage(c, c.t('catalog.new'), <Editor c={c} action="/admin/catalog/new" meta={{ disclosure: 'proactive' }} data={{}} depts={depts} dept={req.user!.departmentCode} isNew />));
  });

  app.post<{ Body: Record<string, any> }>('/admin/catalog/new', { config: { permission: 'content.create' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const f = fromForm(req.body);
    const depts = await creatableDepts(p, req.user!);
    const d = depts.find((x) => x.code === f.department);
    try {
      if (!d) throw new HttpError(400, 'validation', 'err.validation', { department: 'err.catalog.not_your_department' });
      const id = await createDraft(p, req.user!, { type: DOCUMENT, departmentId: d.id, meta: f.meta, data: f.data, changeNote: f.changeNote });
      return reply.redirect(`/admin/catalog/${id}?saved=1`, 303);
    } catch (err) {
      const fields = errorFields(err);
      if (!fields) throw err;
      return reply.html(editorPage(c, c.t('catalog.new'), <Editor c={c} action="/admin/catalog/new" meta={f.meta} data={f.data} depts={depts} dept={f.department} errors={fields} changeNote={f.changeNote} isNew />), 400);
    }
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/admin/catalog/:id', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    const versions = await listVersions(p.db, item.id);
    const v = versions[versions.length - 1];
    const u = req.user!;
    const stage = STAGES.find((s) => s.state === v.state);
    const multi = (await multiStageDepartments(p.db)).includes(item.department_id);
    const names = new Map((await p.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(versions.map((x) => x.authorId ?? -1))]).execute()).map((x) => [x.id, x.display_name]));
    const dep = (await departments(p.db)).find((d) => d.id === item.department_id);
    const canAct = (a: string) => can(u, a, { departmentId: item.department_id });
    return reply.html(
      <AdminLayout c={c} title={item.title}>
        <h1>{item.title}</h1>
        {req.query.saved && <Notice kind="success">{c.t('catalog.saved')}</Notice>}
        {req.query.done && <Notice kind="success">{c.t(`catalog.done.${req.query.done}`)}</Notice>}
        {req.query.error && <Notice kind="error">{c.t(req.query.error)}</Notice>}
        <Dl
          rows={[
            [c.t('catalog.department'), dep?.name ?? ''],
            [c.t('catalog.status'), `${statusLabel(c, item.status)}${item.public ? ` · ${c.t('catalog.online')}` : ''}`],
            [c.t('catalog.indexNo'), item.index_no ?? '—'],
            [c.t('catalog.version'), `v${v.version}${item.published_version ? ` (${c.t('catalog.published_version')} v${item.published_version})` : ''}`],
            [c.t('catalog.validity'), c.t(`catalog.validity.${item.validity}`)],
            [c.t('catalog.formedAt'), item.formed_at],
            [c.t('catalog.author'), v.authorId ? (names.get(v.authorId) ?? String(v.authorId)) : '—'],
            [c.t('catalog.approvals'), v.approvals.map((a) => `${c.t(`catalog.action.approve.${a.stage}`)}：${a.username.replace(/^user:/, '')} ${a.at.slice(0, 16).replace('T', ' ')}`).join('；') || '—'],
            ...(v.rejectReason && v.state === 'draft' ? ([[c.t('catalog.reject_reason'), v.rejectReason]] as [string, string][]) : []),
            ...(item.withdrawn_at ? ([[c.t('catalog.withdrawn_at'), `${fmtDate(item.withdrawn_at)} ${item.withdraw_reason ?? ''}`]] as [string, string][]) : []),
          ]}
        />
        <p>
          <a href={`/admin/catalog/${item.id}/preview`}>{c.t('catalog.preview')}</a>
          {item.public ? (
            <>
              {' · '}
              <a href={`/catalog/items/${item.id}`}>{c.t('catalog.public_page')}</a>
            </>
          ) : null}
          {(v.state === 'draft' || v.state === 'published' || v.state === 'superseded') && canAct('content.edit') && (
            <>
              {' · '}
              <a href={`/admin/catalog/${item.id}/edit`}>{v.state === 'draft' ? c.t('catalog.edit') : c.t('catalog.new_version')}</a>
            </>
          )}
        </p>
        <section aria-labelledby="act-h" class="workflow">
          <h2 id="act-h">{c.t('catalog.workflow')}</h2>
          <ol class="steps">
            {['draft', 'secrecy_review', 'review', 'signing', 'published'].map((s) => (
              <li aria-current={v.state === s || (s === 'published' && v.state === 'scheduled') ? 'step' : undefined}>{statusLabel(c, s)}</li>
            ))}
          </ol>
          {v.state === 'draft' && canAct('content.submit') && (
            <form method="post" action={`/admin/catalog/${item.id}/transition`}>
              <Csrf c={c} />
              <input type="hidden" name="action" value="submit" />
              <button type="submit">{c.t('catalog.action.submit')}</button>
            </form>
          )}
          {stage && canAct(stage.action) && (
            <>
              {v.authorId === u.id || v.editors.includes(u.id) ? (
                <Notice kind="info">{c.t('err.pub.author_cannot_approve')}</Notice>
              ) : v.approvals.some((a) => a.userId === u.id) && !multi ? (
                <Notice kind="info">{c.t('err.pub.one_stage_only')}</Notice>
              ) : (
                <form method="post" action={`/admin/catalog/${item.id}/transition`}>
                  <Csrf c={c} />
                  <input type="hidden" name="action" value="approve" />
                  <button type="submit">{c.t(`catalog.action.approve.${stage.state}`)}</button>
                </form>
              )}
              <form method="post" action={`/admin/catalog/${item.id}/transition`} class="reason-form">
                <Csrf c={c} />
                <input type="hidden" name="action" value="reject" />
                <ReasonField c={c} action="reject" />
                <button type="submit" class="secondary">{c.t('catalog.action.reject')}</button>
              </form>
            </>
          )}
          {item.public === 1 && canAct('content.withdraw') && (
            <div class="danger-zone">
              {(['withdraw', 'repeal', 'expire'] as const)
                .filter((a) => a === 'withdraw' || item.validity === 'valid' || (a === 'repeal' && item.validity === 'expired'))
                .map((a) => (
                  <form method="post" action={`/admin/catalog/${item.id}/transition`} class="reason-form">
                    <Csrf c={c} />
                    <input type="hidden" name="action" value={a} />
                    <ReasonField c={c} action={a} />
                    <button type="submit" class="danger">{c.t(`catalog.action.${a}`)}</button>
                  </form>
                ))}
            </div>
          )}
        </section>
        {(v.state === 'draft') && canAct('content.edit') && (
          <section aria-labelledby="att-h">
            <h2 id="att-h">{c.t('catalog.attachments')}</h2>
            <ul>
              {(v.data.attachments ?? []).map((a: any) => (
                <li>
                  {attachmentName(a)}（{humanSize(a.size)}）
                </li>
              ))}
            </ul>
            <form method="post" action={`/admin/catalog/${item.id}/attachments?_csrf=${encodeURIComponent(c.csrf())}`} enctype="multipart/form-data">
              <div class="field">
                <label for="f-file">{c.t('catalog.upload')}</label>
                <p class="hint">{c.t('catalog.upload_hint', { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) })}</p>
                <input id="f-file" type="file" name="file" required accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp" />
              </div>
              <button type="submit">{c.t('catalog.upload')}</button>
            </form>
          </section>
        )}
        <section aria-labelledby="ver-h">
          <h2 id="ver-h">{c.t('catalog.versions')}</h2>
          <form method="get" action={`/admin/catalog/${item.id}/diff`} class="inline">
            <table>
              <thead>
                <tr>
                  <th scope="col">A</th>
                  <th scope="col">B</th>
                  <th scope="col">{c.t('catalog.version')}</th>
                  <th scope="col">{c.t('catalog.status')}</th>
                  <th scope="col">{c.t('catalog.change_note')}</th>
                  <th scope="col">{c.t('catalog.hash')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((x, i) => (
                  <tr>
                    <td>
                      <input type="radio" name="a" value={x.version} checked={i === versions.length - 2 || versions.length === 1} aria-label={`A v${x.version}`} />
                    </td>
                    <td>
                      <input type="radio" name="b" value={x.version} checked={i === versions.length - 1} aria-label={`B v${x.version}`} />
                    </td>
                    <td>
                      <a href={`/admin/catalog/${item.id}/preview?v=${x.version}`}>v{x.version}</a>
                    </td>
                    <td>{statusLabel(c, x.state === 'superseded' ? 'superseded' : x.state)}</td>
                    <td>{x.changeNote}</td>
                    <td>
                      <code class="hash">{x.hash ? x.hash.slice(0, 16) + '…' : '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit">{c.t('catalog.diff')}</button>
          </form>
        </section>
      </AdminLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/admin/catalog/:id/edit', { config: { permission: 'content.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    if (!can(req.user!, 'content.edit', { departmentId: item.department_id })) throw notFound();
    const v = (await getVersion(p.db, item.id, item.latest_version))!;
    return reply.html(editorPage(c, `${c.t('catalog.edit')}：${item.title}`, <Editor c={c} action={`/admin/catalog/${item.id}/edit`} meta={v.meta} data={v.data} depts={[]} errors={undefined} changeNote={v.state === 'draft' ? v.changeNote : ''} isNew={false} />));
  });

  app.post<{ Params: { id: string }; Body: Record<string, any> }>('/admin/catalog/:id/edit', { config: { permission: 'content.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    const v = (await getVersion(p.db, item.id, item.latest_version))!;
    const f = fromForm(req.body, v.data);
    try {
      await updateDraft(p, req.user!, item.id, { meta: f.meta, data: f.data, changeNote: f.changeNote });
      return reply.redirect(`/admin/catalog/${item.id}?saved=1`, 303);
    } catch (err) {
      const fields = errorFields(err);
      if (!fields) throw err;
      return reply.html(editorPage(c, `${c.t('catalog.edit')}：${item.title}`, <Editor c={c} action={`/admin/catalog/${item.id}/edit`} meta={f.meta} data={f.data} depts={[]} errors={fields} changeNote={f.changeNote} isNew={false} />), 400);
    }
  });

  app.post<{ Params: { id: string }; Body: Record<string, any> }>('/admin/catalog/:id/transition', { config: { permission: 'content.read' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    await staffDoc(p, req.user!, id);
    const action = String(req.body?.action ?? '') as Action;
    if (!(ACTIONS as readonly string[]).includes(action)) throw notFound();
    try {
      const r = await transition(p, req.user!, id, action, typeof req.body?.reason === 'string' ? req.body.reason : undefined);
      return reply.redirect(`/admin/catalog/${id}?done=${r.status}`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.status !== 404) {
        const key = err.fields ? Object.values(err.fields)[0] : err.message;
        return reply.redirect(`/admin/catalog/${id}?error=${encodeURIComponent(key)}`, 303);
      }
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/catalog/:id/attachments', { config: { permission: 'content.edit' } }, async (req, reply) => {
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    if (!can(req.user!, 'content.edit', { departmentId: item.department_id })) throw forbidden();
    const v = (await getVersion(p.db, item.id, item.latest_version))!;
    if (v.state !== 'draft') throw notFound();
    const f = await readUpload(req);
    const s = await storeFile(p, f.buf, f.name);
    const data = { ...v.data, attachments: [...v.data.attachments, { hash: s.hash, name: safeFileName(f.name, s.ext), size: s.size, mime: s.mime }] };
    await updateDraft(p, req.user!, item.id, { data });
    return reply.redirect(`/admin/catalog/${item.id}?saved=1`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>('/admin/catalog/:id/preview', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    const v = await getVersion(p.db, item.id, intFrom(req.query.v) || item.latest_version);
    if (!v) throw notFound();
    const pi = await asPublic(p, item, v);
    return reply.header('x-robots-tag', 'noindex').html(
      <PublicLayout c={c} title={`${c.t('catalog.preview')}：${v.meta.title}`}>
        <Notice kind="info">
          {c.t('catalog.preview_notice', { version: v.version })} <a href={`/admin/catalog/${item.id}`}>{c.t('catalog.back')}</a>
        </Notice>
        <ItemBody c={c} pi={pi} preview />
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string }; Querystring: { a?: string; b?: string } }>('/admin/catalog/:id/diff', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    const va = await getVersion(p.db, item.id, intFrom(req.query.a) || 1);
    const vb = await getVersion(p.db, item.id, intFrom(req.query.b) || item.latest_version);
    if (!va || !vb) throw notFound();
    const d = diffLines(versionLines(va), versionLines(vb));
    return reply.html(
      <AdminLayout c={c} title={c.t('catalog.diff')}>
        <h1>
          {c.t('catalog.diff')}：v{va.version} → v{vb.version}
        </h1>
        <p>
          <a href={`/admin/catalog/${item.id}`}>{c.t('catalog.back')}</a>
        </p>
        <pre class="diff" aria-label={c.t('catalog.diff')}>
          {d.map((x) =>
            x.op === '+' ? (
              <ins>{`+ ${x.line}\n`}</ins>
            ) : x.op === '-' ? (
              <del>{`- ${x.line}\n`}</del>
            ) : (
              <span>{`  ${x.line}\n`}</span>
            ),
          )}
        </pre>
      </AdminLayout>,
    );
  });

  // ---- bulk import ------------------------------------------------------------------------
  const importPage = (c: PageCtx, report?: ImportReport) => (
    <AdminLayout c={c} title={c.t('catalog.import')}>
      <h1>{c.t('catalog.import')}</h1>
      <p>{c.t('catalog.import_intro')}</p>
      <p>
        <code>{IMPORT_COLUMNS.join(',')}</code>
      </p>
      {report && (
        <section aria-labelledby="rep-h">
          <h2 id="rep-h">{c.t('catalog.import_report')}</h2>
          {report.errors.length ? (
            <>
              <Notice kind="error">{c.t('catalog.import_failed', { rows: report.rows, errors: report.errors.length })}</Notice>
              <table class="import-errors">
                <thead>
                  <tr>
                    <th scope="col">{c.t('catalog.import_row')}</th>
                    <th scope="col">{c.t('catalog.import_field')}</th>
                    <th scope="col">{c.t('catalog.import_problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((e) => (
                    <tr>
                      <td>{e.row}</td>
                      <td>{e.field}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : report.dryRun ? (
            <Notice kind="success">{c.t('catalog.import_dry_ok', { rows: report.rows })}</Notice>
          ) : (
            <Notice kind="success">{c.t('catalog.import_done', { n: report.imported })}</Notice>
          )}
        </section>
      )}
      <form method="post" action={`/admin/catalog/import?_csrf=${encodeURIComponent(c.csrf())}`} enctype="multipart/form-data">
        <div class="field">
          <label for="f-file">{c.t('catalog.import_file')}</label>
          <input id="f-file" type="file" name="file" required accept=".csv,.xlsx" />
        </div>
        <label class="confirm">
          <input type="checkbox" name="dryRun" value="1" checked /> {c.t('catalog.import_dry')}
        </label>
        <button type="submit">{c.t('catalog.import_go')}</button>
      </form>
    </AdminLayout>
  );
  app.get('/admin/catalog/import', { config: { permission: 'content.import' } }, async (req, reply) => reply.html(importPage(req.ctx(reply))));
  app.post('/admin/catalog/import', { config: { permission: 'content.import' } }, async (req: FastifyRequest, reply: FastifyReply) => {
    const c = req.ctx(reply);
    const f = await readUpload(req);
    if (!/\.(csv|xlsx)$/i.test(f.name)) throw new HttpError(415, 'unsupported_media_type', 'err.file.type');
    const report = await importCatalog(p, req.user!, f, f.fields.dryRun === '1', req.locale);
    return reply.html(importPage(c, report), report.errors.length ? 400 : 200);
  });

  // ---- 公开指南 text and the small-department setting ------------------------------------------
  app.get<{ Params: { code: string } }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = (await getSetting(p.db, `catalog.guide.${d.id}`)) ?? '';
    const multi = (await multiStageDepartments(p.db)).includes(d.id);
    return reply.html(
      <AdminLayout c={c} title={`${d.name} ${c.t('catalog.guide')}`}>
        <h1>
          {d.name} {c.t('catalog.guide')}
        </h1>
        <form method="post" action={`/admin/catalog/guide/${d.code}`}>
          <Csrf c={c} />
          <Field label={c.t('catalog.guide.more')} name="text" value={text} multiline rows={10} maxLength={20000} />
          <label class="confirm">
            <input type="checkbox" name="multiStage" value="1" checked={multi} /> {c.t('catalog.multi_stage')}
          </label>
          <button type="submit">{c.t('common.save')}</button>
        </form>
        <p>
          <a href={`/catalog/guide/${d.code}`}>{c.t('catalog.public_page')}</a>
        </p>
      </AdminLayout>,
    );
  });
  app.post<{ Params: { code: string }; Body: Record<string, string> }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = String(req.body?.text ?? '').slice(0, 20000);
    await p.tx(async (t) => {
      await putSetting(t, `catalog.guide.${d.id}`, text);
      await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
      await p.audit(t, { actor: `user:${req.user!.username}`, action: 'catalog.guide', entity: 'department', entityId: d.id, details: { length: text.length } });
    });
    await setMultiStage(p, req.user!, d.id, req.body?.multiStage === '1');
    const { bumpGeneration } = await import('../../platform/publication/cache.js');
    bumpGeneration();
    return reply.redirect(`/admin/catalog/guide/${d.code}`, 303);
  });
}

/** The staff dashboard panel: counts of my drafts and items waiting for me. */
export async function catalogDashboard(p: Platform, c: PageCtx) {
  const u = c.user;
  if (!u || !can(u, 'content.read')) return null;
  const scope = scopeOf(u, 'content.read');
  let waiting = 0;
  for (const s of STAGES) {
    const sc = scopeOf(u, s.action);
    if (sc !== 'all' && sc.size === 0) continue;
    let q = p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', DOCUMENT).where('status', '=', s.state);
    if (sc !== 'all') q = q.where('department_id', 'in', [...sc]);
    waiting += Number((await q.executeTakeFirst())?.n ?? 0);
  }
  let dq = p.db.selectFrom('pub_items').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', DOCUMENT).where('created_by', '=', u.id).where('status', '=', 'draft');
  if (scope !== 'all') dq = dq.where('department_id', 'in', scope.size ? [...scope] : [-1]);
  const drafts = Number((await dq.executeTakeFirst())?.n ?? 0);
  return (
    <section class="panel" aria-labelledby="dash-catalog">
      <h2 id="dash-catalog">{c.t('catalog.console')}</h2>
      <ul>
        <li>
          <a href="/admin/catalog?tab=mine">{c.t('catalog.tab.mine')}</a>：{drafts}
        </li>
        <li>
          <a href="/admin/catalog?tab=waiting">{c.t('catalog.tab.waiting')}</a>：{waiting}
        </li>
      </ul>
    </section>
  );
}
