// The moderation console of a consultation's comments: /admin/consultations/{cid}/comments. A
// moderator of the consultation's department (consultation.moderate, checked against the
// consultation's department by the service) sees every comment with the commenter's name and
// contacts, the article, whether the contact was verified, the text and its state; filters by
// state (pending / published / hidden), hiding reason and article, paginated, pending first. Each
// comment has a 公开 form (also to restore a hidden one) and a 不予公开 form with a reason from the
// fixed list. Each form posts with its CSRF token and comes back to the same filter and page with a
// notice; an error shows the page again naming the field. Export links (CSV, XLSX) for the
// drafting team. Every form works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Dl, Empty, Notice, Pager, Zh, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { actorLabel, actorUsernames } from '../../../platform/core/audit-view.js';
import { articlesOf, COMMENT_STATUSES, commentCounts, HIDE_REASONS, moderateComment, PAGE_SIZE, staffComments, type StaffComment } from '../service/comments.js';
import { consultationFor } from '../service/access.js';
import { sendExport } from '../api/comments.js';
import { Paragraphs } from '../public/comments.js';
import type { ArticleRow } from '../schema.js';

const BASE = '/admin/consultations';

const idOf = (s: string | undefined) => {
  if (!s || !/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

/** The list's filter and page, from the query string (or a moderation form's hidden fields, prefixed `f_`); anything unknown is dropped. */
export interface Filter {
  status: string;
  reason: string;
  article: string;
  page: number;
}

export function filterOf(q: Record<string, unknown>, prefix = ''): Filter {
  const status = one(q[`${prefix}status`]);
  const reason = one(q[`${prefix}reason`]);
  const article = one(q[`${prefix}article`]);
  const page = one(q[`${prefix}page`]);
  return {
    status: (COMMENT_STATUSES as readonly string[]).includes(status) ? status : '',
    reason: (HIDE_REASONS as readonly string[]).includes(reason) ? reason : '',
    article: article === 'general' || /^\d{1,9}$/.test(article) ? article : '',
    page: /^\d{1,5}$/.test(page) && Number(page) >= 1 ? Number(page) : 1,
  };
}

/** The page's URL with a filter (empty values left out), a page number and optionally a notice. */
export function listUrl(cid: number, f: Filter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.reason) q.set('reason', f.reason);
  if (f.article) q.set('article', f.article);
  if (f.page > 1) q.set('page', String(f.page));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return `${BASE}/${cid}/comments${s ? `?${s}` : ''}`;
}

const articleName = (c: PageCtx, a: Pick<ArticleRow, 'label' | 'seq'>) => a.label || `${c.t('decisions.comments.col.article')} ${a.seq}`;

/** The filter and page as hidden fields of a moderation form, so the answer comes back to the same list. */
function Keep({ f }: { f: Filter }) {
  return (
    <>
      <input type="hidden" name="f_status" value={f.status} />
      <input type="hidden" name="f_reason" value={f.reason} />
      <input type="hidden" name="f_article" value={f.article} />
      <input type="hidden" name="f_page" value={String(f.page)} />
    </>
  );
}

interface FormError {
  commentId: number;
  fields: Record<string, string>;
  message: string;
  status: number;
}

function CommentItem({ c, cid, x, f, people, err }: { c: PageCtx; cid: number; x: StaffComment; f: Filter; people: Map<string, string>; err?: FormError }) {
  const action = `${BASE}/${cid}/comments/${x.id}/moderation`;
  const reasonErr = err?.commentId === x.id ? err.fields.reason : undefined;
  const contacts = [x.email, x.phone].filter(Boolean);
  return (
    <li class={`comment moderation ${x.status}`} id={`comment-${x.id}`}>
      <p class="comment-meta">
        <strong>{c.t('decisions.moderation.number', { id: x.id })}</strong> · <span class={`badge status-${x.status}`}>{c.t(`decisions.comments.status.${x.status}`)}</span>
        {x.status === 'hidden' && x.hideReason && <> · {c.t(`decisions.comments.reason.${x.hideReason}`)}</>}
      </p>
      <Dl
        rows={[
          [c.t('decisions.comments.admin.article'), x.articleId === null ? c.t('decisions.comments.general') : <Zh c={c}>{x.articleLabel}</Zh>],
          [
            c.t('decisions.comments.col.name'),
            <>
              {x.name ? <Zh c={c}>{x.name}</Zh> : c.t('decisions.comments.anonymous')}
              {x.verified && (
                <>
                  {' '}
                  <span class="badge verified">{c.t('decisions.comments.admin.verified')}</span>
                </>
              )}
            </>,
          ],
          [c.t('decisions.moderation.contact'), contacts.length ? contacts.join(c.t('decisions.moderation.sep')) : c.t('decisions.moderation.no_contact')],
          [c.t('decisions.comments.col.created_at'), shanghaiDateTime(x.createdAt)],
          ...(x.moderatedBy && x.moderatedAt ? ([[c.t('decisions.moderation.moderated_label'), c.t('decisions.comments.admin.moderated', { by: actorLabel(c, x.moderatedBy, people), at: shanghaiDateTime(x.moderatedAt) })]] as [string, preact.ComponentChildren][]) : []),
        ]}
      />
      <div class="comment-body" lang={c.locale === 'zh-CN' ? undefined : 'zh-CN'}>
        <Paragraphs text={x.body} />
      </div>
      {err?.commentId === x.id && err.message && <Notice kind="error">{err.message}</Notice>}
      <div class="actions">
        {x.status !== 'published' && (
          <form method="post" action={action} class="inline">
            <Csrf c={c} />
            <Keep f={f} />
            <input type="hidden" name="action" value="publish" />
            <button type="submit">{c.t(x.status === 'hidden' ? 'decisions.moderation.unhide' : 'decisions.comments.admin.publish')}</button>
          </form>
        )}
        {x.status !== 'hidden' && (
          <form method="post" action={action} class="inline hide-form">
            <Csrf c={c} />
            <Keep f={f} />
            <input type="hidden" name="action" value="hide" />
            <div class={`field${reasonErr ? ' has-error' : ''}`}>
              <label for={`reason-${x.id}`}>{c.t('decisions.comments.admin.reason')}</label>
              {reasonErr && (
                <p class="field-error" id={`reason-${x.id}-err`}>
                  {reasonErr}
                </p>
              )}
              <select id={`reason-${x.id}`} name="reason" required aria-invalid={reasonErr ? 'true' : undefined} aria-describedby={reasonErr ? `reason-${x.id}-err` : undefined}>
                <option value="">{c.t('decisions.comments.admin.choose_reason')}</option>
                {HIDE_REASONS.map((r) => (
                  <option value={r}>{c.t(`decisions.comments.reason.${r}`)}</option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              {c.t('decisions.comments.admin.hide')}
            </button>
          </form>
        )}
      </div>
    </li>
  );
}

export async function commentsConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const page = async (req: FastifyRequest, reply: FastifyReply, cid: number, f: Filter, err?: FormError) => {
    const c = req.ctx(reply);
    const list = await staffComments(p, req.user!, cid, { status: f.status || undefined, reason: f.reason || undefined, article: f.article || undefined, page: f.page, pageSize: PAGE_SIZE });
    const x = list.consultation;
    const [counts, articles] = await Promise.all([commentCounts(p.db, cid), articlesOf(p.db, cid)]);
    const usernames = actorUsernames(list.items.map((i) => i.moderatedBy ?? ''));
    const people = usernames.length ? new Map((await p.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [u.username, u.display_name])) : new Map<string, string>();
    const q = (req.query ?? {}) as Record<string, unknown>;
    const done = err ? '' : one(q.done);
    const title = c.t('decisions.comments.admin.title', { title: x.title });
    const filtered = !!(f.status || f.reason || f.article);
    const reasons = HIDE_REASONS.filter((r) => counts.hiddenBy[r] > 0).map((r) => `${c.t(`decisions.comments.reason.${r}`)} ${counts.hiddenBy[r]}`);
    return reply.code(err?.status ?? 200).html(
      <AdminLayout c={c} title={title}>
        <nav class="breadcrumb" aria-label={c.t('decisions.report.breadcrumb')}>
          <a href="/admin/decisions">{c.t('nav.decisions_admin')}</a> › <a href={`/admin/decisions/${x.decision_id}`}>{c.t('decisions.report.decision_link')}</a> › <a href={`${BASE}/${cid}`}>{c.t('decisions.report.consultation_link')}</a>
        </nav>
        <h1>
          <Zh c={c}>{title}</Zh>
        </h1>
        {(done === 'published' || done === 'hidden') && <Notice kind="success">{c.t(`decisions.moderation.done.${done}`)}</Notice>}
        {err && (
          <div class="notice error" role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{c.t('form.errors')}</h2>
            <ul>
              {Object.entries(err.fields).map(([k, v]) => (
                <li>
                  <a href={k === 'reason' ? `#reason-${err.commentId}` : `#comment-${err.commentId}`}>{c.t('decisions.moderation.field_error', { field: c.t(`decisions.moderation.field.${k === 'reason' ? 'reason' : 'other'}`), n: err.commentId, message: v })}</a>
                </li>
              ))}
              {!Object.keys(err.fields).length && <li>{err.message}</li>}
            </ul>
          </div>
        )}
        <p>{c.t('decisions.comments.page.counts', { received: counts.received, published: counts.published, pending: counts.pending, hidden: counts.hidden })}</p>
        {reasons.length > 0 && <p class="hint">{c.t('decisions.comments.page.hidden_by', { list: reasons.join(c.locale === 'zh-CN' ? '，' : ', ') })}</p>}
        {x.state !== 'draft' && (
          <p>
            <a href={`/decisions/consultations/${cid}`}>{c.t('decisions.moderation.public_page')}</a> · <a href={`${BASE}/${cid}/report`}>{c.t('decisions.consultations.report')}</a> · <a href={`${BASE}/${cid}/comments/export?format=csv`}>{c.t('decisions.comments.admin.export_csv')}</a> ·{' '}
            <a href={`${BASE}/${cid}/comments/export?format=xlsx`}>{c.t('decisions.comments.admin.export_xlsx')}</a>
          </p>
        )}

        <form method="get" action={`${BASE}/${cid}/comments`} class="filters" aria-label={c.t('decisions.comments.admin.filter')}>
          <div class="field">
            <label for="f-status">{c.t('decisions.comments.admin.status')}</label>
            <select id="f-status" name="status">
              <option value="">{c.t('decisions.comments.admin.all')}</option>
              {COMMENT_STATUSES.map((s) => (
                <option value={s} selected={f.status === s}>
                  {c.t(`decisions.comments.status.${s}`)}
                  {` (${s === 'pending' ? counts.pending : s === 'published' ? counts.published : counts.hidden})`}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-reason">{c.t('decisions.comments.admin.reason')}</label>
            <select id="f-reason" name="reason">
              <option value="">{c.t('decisions.comments.admin.all')}</option>
              {HIDE_REASONS.map((r) => (
                <option value={r} selected={f.reason === r}>
                  {c.t(`decisions.comments.reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-article">{c.t('decisions.comments.admin.article')}</label>
            <select id="f-article" name="article">
              <option value="">{c.t('decisions.comments.admin.all')}</option>
              <option value="general" selected={f.article === 'general'}>
                {c.t('decisions.comments.general')}
              </option>
              {articles.map((a) => (
                <option value={String(a.id)} selected={f.article === String(a.id)}>
                  {articleName(c, a)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {c.t('decisions.comments.admin.filter')}
          </button>
          {filtered && <a href={`${BASE}/${cid}/comments`}>{c.t('decisions.moderation.clear')}</a>}
        </form>

        <section aria-labelledby="comments-h">
          <h2 id="comments-h">{c.t('decisions.moderation.list_n', { n: list.total })}</h2>
          {!list.items.length && <Empty>{filtered ? c.t('decisions.comments.admin.empty') : c.t('decisions.moderation.none')}</Empty>}
          {list.items.length > 0 && (
            <ol class="comment-list comment-moderation" aria-label={c.t('decisions.comments.admin.table')}>
              {list.items.map((i) => (
                <CommentItem c={c} cid={cid} x={i} f={f} people={people} err={err} />
              ))}
            </ol>
          )}
          <Pager c={c} page={f.page} pageSize={PAGE_SIZE} total={list.total} href={(n) => listUrl(cid, { ...f, page: n })} />
        </section>
      </AdminLayout>,
    );
  };

  app.get<{ Params: { cid: string }; Querystring: Record<string, string> }>(`${BASE}/:cid/comments`, { config: { permission: 'consultation.moderate' } }, async (req, reply) => page(req, reply, idOf(req.params.cid), filterOf(req.query ?? {})));

  app.get<{ Params: { cid: string }; Querystring: Record<string, string> }>(`${BASE}/:cid/comments/export`, { config: { permission: 'consultation.moderate' } }, async (req, reply) => {
    const format = one(req.query?.format) || 'csv';
    return sendExport(p, req, reply, idOf(req.params.cid), format);
  });

  app.post<{ Params: { cid: string; id: string }; Body: Record<string, unknown> }>(`${BASE}/:cid/comments/:id/moderation`, { config: { permission: 'consultation.moderate' } }, async (req, reply) => {
    const cid = idOf(req.params.cid);
    const id = idOf(req.params.id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const f = filterOf(b, 'f_');
    // The comment must belong to this consultation (and the consultation be the moderator's): else 404.
    await consultationFor(p.db, req.user!, cid, 'consultation.moderate');
    const row = await p.db.selectFrom('dec_comments').select(['id', 'consultation_id']).where('id', '=', id).executeTakeFirst();
    if (!row || row.consultation_id !== cid) throw notFound();
    const action = one(b.action);
    try {
      const m = await moderateComment(p, req.user!, id, { action: action as 'publish' | 'hide', reason: one(b.reason) });
      return reply.redirect(listUrl(cid, f, { done: m.status }) + `#comment-${id}`, 303);
    } catch (e) {
      if (!(e instanceof HttpError) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
      const params = localParams(req.locale, e.params);
      const fields = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, req.t(v, params)]));
      return page(req, reply, cid, f, { commentId: id, fields, message: req.t(e.message, params), status: e.status });
    }
  });
}
