// The staff console of the catalog's documents: my drafts / waiting for me / published, the
// editor with validation and a preview exactly as the public sees it, workflow actions, version
// diff and attachments.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, PublicLayout, Csrf, Notice, Empty, Pager, Dl, FileInput, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound, forbidden } from '../../../platform/errors.js';
import { hasMessage } from '../../../platform/i18n/index.js';
import { can, scopeOf, type Principal } from '../../../platform/auth/policy.js';
import { createDraft, updateDraft, transition, staffItem, getVersion, listVersions, reviewHistory, STAGES, ACTIONS, multiStageDepartments, type Action } from '../../../platform/publication/index.js';
import { storeFile, safeFileName, fileInfo, sendStoredFile } from '../../../platform/files/index.js';
import { departments } from '../service/queries.js';
import { ItemBody, fmtDate } from '../views.js';
import { DOCUMENT } from '../items.js';
import { readUpload } from '../api.js';
import { intFrom } from '../../../platform/text.js';
import { Editor, fromForm } from './editor.js';
import { asPublic } from './versions.js';
import { landingTab, tabCounts, tabQuery, TABS, type Tab } from './tabs.js';
import { Changes, FullVersion, ReviewForms, ReviewHistory } from './review.js';
import { ledgerOf } from '../../../platform/channels/ledger.js';
import { ChannelLedger } from '../../../platform/channels/ledger-view.js';
import { shanghaiDateTime } from '../../../platform/dates.js';

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

function errorFields(err: unknown): Record<string, string> | null {
  return err instanceof HttpError && err.code === 'validation' && err.fields ? err.fields : null;
}

export async function documentConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { tab?: string; page?: string } }>('/admin/catalog', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const u = req.user!;
    const counts = await tabCounts(p, u);
    const tab: Tab = (TABS as readonly string[]).includes(req.query.tab ?? '') ? (req.query.tab as Tab) : landingTab(u, counts);
    const page = Math.max(1, Math.min(100000, Number(req.query.page) || 1));
    const q = tabQuery(p, u, tab);
    const total = counts[tab];
    const rows = await q.select(['i.id', 'i.title', 'i.status', 'i.index_no', 'i.public', 'i.updated_at', 'd.name as dept']).orderBy('i.updated_at', 'desc').orderBy('i.id', 'desc').limit(30).offset((page - 1) * 30).execute();
    return reply.html(
      <AdminLayout c={c} title={c.t('catalog.console')}>
        <h1>{c.t('catalog.console')}</h1>
        <p>
          {c.can('content.create') && <a class="button" href="/admin/catalog/new">{c.t('catalog.new')}</a>} {c.can('content.import') && <a href="/admin/catalog/import">{c.t('catalog.import')}</a>} {c.can('department.edit', { departmentId: u.departmentId }) && <a href={`/admin/catalog/disclosure-guide/${u.departmentCode}`}>{c.t('catalog.disclosure_guide')}</a>} {c.can('government.edit') && <a href="/admin/catalog/portal">{c.t('catalog.portal_texts')}</a>}
        </p>
        <nav class="tabs" aria-label={c.t('catalog.console')}>
          {TABS.map((t) => (
            <a href={`/admin/catalog?tab=${t}`} aria-current={t === tab ? 'page' : undefined}>{c.t('catalog.tab_count', { tab: c.t(`catalog.tab.${t}`), n: counts[t] })}</a>
          ))}
        </nav>
        {rows.length === 0 ? (
          <Empty>{c.t('catalog.none')}</Empty>
        ) : (
          <TableWrap label={c.t('catalog.console')}>
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
                  <td>{shanghaiDateTime(r.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
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
    const published = item.published_version && item.published_version !== v.version ? versions.find((x) => x.version === item.published_version) : undefined;
    const history = await reviewHistory(p.db, item.id);
    const depts = await departments(p.db);
    // Why this user may not approve the version at its stage (if so): separation of duties.
    const refusal = v.authorId === u.id || v.editors.includes(u.id) ? 'err.pub.author_cannot_approve' : v.approvals.some((a) => a.userId === u.id) && !multi ? 'err.pub.one_stage_only' : undefined;
    return reply.html(
      <AdminLayout c={c} title={item.title}>
        <h1>{item.title}</h1>
        {req.query.saved && <Notice kind="success">{c.t('catalog.saved')}</Notice>}
        {/* Only our own messages: a link cannot put its text in the console's alert boxes. */}
        {req.query.done && hasMessage(`catalog.done.${req.query.done}`) && <Notice kind="success">{c.t(`catalog.done.${req.query.done}`)}</Notice>}
        {req.query.error && /^[\w.-]+$/.test(req.query.error) && hasMessage(req.query.error) && <Notice kind="error">{c.t(req.query.error)}</Notice>}
        <Dl
          rows={[
            [c.t('catalog.department'), dep?.name ?? ''],
            [c.t('catalog.status'), `${statusLabel(c, item.status)}${item.public ? ` · ${c.t('catalog.online')}` : ''}`],
            [c.t('catalog.indexNo'), item.index_no ?? '—'],
            [c.t('catalog.version'), `v${v.version}${item.published_version ? ` (${c.t('catalog.published_version')} v${item.published_version})` : ''}`],
            [c.t('catalog.validity'), c.t(`catalog.validity.${item.validity}`)],
            [c.t('catalog.formedAt'), item.formed_at],
            [c.t('catalog.author'), v.authorId ? (names.get(v.authorId) ?? String(v.authorId)) : '—'],
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
        {stage && canAct(stage.action) && !refusal && <Notice kind="info">{c.t('catalog.waiting_for_you', { stage: c.t(`catalog.stage.${stage.state}`) })}</Notice>}
        <FullVersion c={c} item={item} v={v}>
          {v.state === 'draft' && canAct('content.edit') && (
            <form method="post" action={`/admin/catalog/${item.id}/attachments`} enctype="multipart/form-data">
              <Csrf c={c} />
              <div class="field">
                <label for="f-file">{c.t('catalog.upload')}</label>
                <p class="hint">{c.t('catalog.upload_hint', { limit: Math.floor(p.config.uploadLimit / 1024 / 1024) })}</p>
                <FileInput c={c} id="f-file" name="file" required accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp" />
              </div>
              <button type="submit">{c.t('catalog.upload')}</button>
            </form>
          )}
        </FullVersion>
        {published ? (
          <Changes c={c} before={published} after={v} depts={depts} headingId="chg-h" heading={c.t('catalog.diff_published', { version: published.version })} />
        ) : (
          !item.published_version && (
            <section aria-labelledby="chg-h">
              <h2 id="chg-h">{c.t('catalog.changes')}</h2>
              <p>{c.t('catalog.diff_first')}</p>
            </section>
          )
        )}
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
          {stage && canAct(stage.action) && <ReviewForms c={c} itemId={item.id} stage={stage.state} mayApprove={!refusal} refusal={refusal} />}
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
        <ReviewHistory c={c} steps={history} />
        {item.published_version && canAct('channels.read') ? <ChannelLedger c={c} rows={await ledgerOf(p.db, item.id)} /> : null}
        <section aria-labelledby="ver-h">
          <h2 id="ver-h">{c.t('catalog.versions')}</h2>
          <form method="get" action={`/admin/catalog/${item.id}/diff`} class="inline">
            <TableWrap label={c.t('catalog.versions')}>
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
            </TableWrap>
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

  app.post<{ Params: { id: string } }>('/admin/catalog/:id/attachments', { config: { permission: 'content.edit', csrf: 'multipart' } }, async (req, reply) => {
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

  // An attachment of any version of the item, for staff who may read it (drafts' files are not public).
  app.get<{ Params: { id: string; hash: string } }>('/admin/catalog/:id/files/:hash', { config: { permission: 'content.read' } }, async (req, reply) => {
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    if (!/^[0-9a-f]{64}$/.test(req.params.hash)) throw notFound();
    const att = (await listVersions(p.db, item.id)).flatMap((x) => (x.data?.attachments ?? []) as { hash: string; name: string }[]).find((a) => a.hash === req.params.hash);
    const info = att ? await fileInfo(p.db, att.hash) : null;
    if (!att || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, att.name, info, 'private, no-store');
  });

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>('/admin/catalog/:id/preview', { config: { permission: 'content.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const item = await staffDoc(p, req.user!, idOf(req.params.id));
    const v = await getVersion(p.db, item.id, intFrom(req.query.v) || item.latest_version);
    if (!v) throw notFound();
    const pi = await asPublic(p, item, v);
    return reply.header('x-robots-tag', 'noindex').html(
      <PublicLayout c={c} title={`${c.t('catalog.preview')}：${v.meta.title}`} noindex>
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
    return reply.html(
      <AdminLayout c={c} title={c.t('catalog.diff')}>
        <h1>
          {c.t('catalog.diff')}：v{va.version} → v{vb.version}
        </h1>
        <p>
          <a href={`/admin/catalog/${item.id}`}>{c.t('catalog.back')}</a>
        </p>
        <Changes c={c} before={va} after={vb} depts={await departments(p.db)} headingId="chg-h" heading={`${item.title}：v${va.version} → v${vb.version}`} />
      </AdminLayout>,
    );
  });
}
