// The published comments of a consultation on the portal: /decisions/consultations/{cid}/articles/{aid}
// (one article's text and its comments) and /decisions/consultations/{cid}/general (comments on
// the whole draft), newest first, paginated, names masked, personal data in the text masked,
// contacts never; the counts received / published / pending / hidden by reason. The form at
// /decisions/consultations/{cid}/comment (?article=aid) works without JavaScript: "send code"
// posts the form to /comment/code and brings it back with every value and a notice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Empty, ErrorSummary, Field, Notice, Pager, PublicLayout, type PageCtx } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { clientIp } from '../../../platform/http/auth.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import type { ArticleRow, ConsultationRow } from '../schema.js';
import { articleOf, articlesOf, closedReason, commentCounts, HIDE_REASONS, LIMITS, PAGE_SIZE, publicConsultation, publishedComments, requestCommentCode, submitComment, type CommentCounts, type PublicComment } from '../service/comments.js';

const base = (cid: number) => `/decisions/consultations/${cid}`;
const FIELDS = ['article', 'name', 'email', 'phone', 'body', 'verifyCode'] as const;
type Values = Partial<Record<(typeof FIELDS)[number], string>>;
const pick = (raw: Record<string, unknown>): Values => Object.fromEntries(FIELDS.filter((k) => typeof raw[k] === 'string').map((k) => [k, (raw[k] as string).slice(0, LIMITS.body * 2)]));
const pageOf = (v: unknown) => {
  const n = typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 1;
  return n >= 1 ? n : 1;
};

/** A service error as the form shows it: field messages, or one message for the whole form. */
function shown(req: FastifyRequest, err: unknown): { fields: Record<string, string>; error?: string; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k === 'articleId' ? 'article' : k, req.t(v, params)])), status: err.status };
  return { fields: {}, error: req.t(err.message, params), status: err.status };
}

const articleName = (c: PageCtx, a: ArticleRow) => a.label || c.t('decisions.comments.col.article') + ` ${a.seq}`;

function Period({ c, k }: { c: PageCtx; k: ConsultationRow }) {
  const no = closedReason(k);
  return (
    <>
      <p class="consultation-period">{c.t('decisions.comments.page.period', { from: shanghaiDateTime(k.opens_at), to: shanghaiDateTime(k.closes_at) })}</p>
      {no && <Notice kind="info">{c.t(no.message === 'decisions.comments.err.closed' ? 'decisions.comments.page.closed' : 'decisions.comments.page.not_open', no.params)}</Notice>}
    </>
  );
}

export function Counts({ c, n }: { c: PageCtx; n: CommentCounts }) {
  const reasons = HIDE_REASONS.filter((r) => n.hiddenBy[r] > 0).map((r) => `${c.t(`decisions.comments.reason.${r}`)} ${n.hiddenBy[r]}`);
  return (
    <div class="comment-counts">
      <p>{c.t('decisions.comments.page.counts', { received: n.received, published: n.published, pending: n.pending, hidden: n.hidden })}</p>
      {reasons.length > 0 && <p class="hint">{c.t('decisions.comments.page.hidden_by', { list: reasons.join(c.locale === 'zh-CN' ? '，' : ', ') })}</p>}
    </div>
  );
}

/** A text's lines as paragraphs (the page's style sheet allows no inline styles). */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n+/)
        .filter((l) => l.trim())
        .map((l) => (
          <p>{l}</p>
        ))}
    </>
  );
}

function CommentList({ c, items }: { c: PageCtx; items: PublicComment[] }) {
  if (!items.length) return <Empty>{c.t('decisions.comments.page.empty')}</Empty>;
  return (
    <ol class="comment-list" aria-label={c.t('decisions.comments.page.list_label')}>
      {items.map((x) => (
        <li class="comment" id={`comment-${x.id}`}>
          <p class="comment-meta">
            <strong>{x.name || c.t('decisions.comments.anonymous')}</strong> <span class="muted">{c.t('decisions.comments.page.submitted_at', { at: shanghaiDateTime(x.createdAt) })}</span>
          </p>
          <div class="comment-body">
            <Paragraphs text={x.body} />
          </div>
        </li>
      ))}
    </ol>
  );
}

async function listPage(p: Platform, req: FastifyRequest, reply: FastifyReply, k: ConsultationRow, article: ArticleRow | null, page: number) {
  const c = req.ctx(reply);
  const [list, counts] = await Promise.all([publishedComments(p.db, k.id, article ? article.id : null, page, PAGE_SIZE), commentCounts(p.db, k.id)]);
  const title = article ? c.t('decisions.comments.page.article_title', { label: articleName(c, article) }) : c.t('decisions.comments.page.general_title');
  const here = article ? `${base(k.id)}/articles/${article.id}` : `${base(k.id)}/general`;
  const open = closedReason(k) === null;
  return reply.html(
    <PublicLayout c={c} title={`${title} - ${k.title}`} canonical={page > 1 ? `${here}?page=${page}` : here}>
      <div class="consultation-comments">
        <p>
          <a href={base(k.id)}>{c.t('decisions.comments.page.back')}</a>
        </p>
        <h1>{title}</h1>
        <p class="consultation-title">{k.title}</p>
        <Period c={c} k={k} />
        {article && (
          <blockquote class="article-text">
            <Paragraphs text={article.text} />
          </blockquote>
        )}
        {open && (
          <p>
            <a class="button primary" href={`${base(k.id)}/comment${article ? `?article=${article.id}` : ''}`}>
              {c.t(article ? 'decisions.comments.page.comment_link' : 'decisions.comments.page.comment_general_link')}
            </a>
          </p>
        )}
        <Counts c={c} n={counts} />
        <h2>{c.t('decisions.comments.page.list_label')}</h2>
        {list.total > 0 && <p class="hint">{c.t('decisions.comments.page.published_here', { n: list.total })}</p>}
        <CommentList c={c} items={list.items} />
        <Pager c={c} page={page} pageSize={PAGE_SIZE} total={list.total} href={(n) => (n > 1 ? `${here}?page=${n}` : here)} />
      </div>
    </PublicLayout>,
  );
}

async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, k: ConsultationRow, values: Values, opts: { fields?: Record<string, string>; error?: string; notice?: string; status?: number } = {}) {
  const c = req.ctx(reply);
  const f = opts.fields ?? {};
  const articles = await articlesOf(p.db, k.id);
  const chosen = articles.find((a) => String(a.id) === values.article);
  const no = closedReason(k);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={`${c.t('decisions.comments.form.title')} - ${k.title}`} canonical={`${base(k.id)}/comment`}>
      <div class="consultation-comment-form">
        <p>
          <a href={chosen ? `${base(k.id)}/articles/${chosen.id}` : base(k.id)}>{c.t('decisions.comments.page.back')}</a>
        </p>
        <h1>{c.t('decisions.comments.form.title')}</h1>
        <p class="consultation-title">{k.title}</p>
        <Period c={c} k={k} />
        {!no && (
          <>
            <p>{c.t('decisions.comments.form.intro')}</p>
            <ErrorSummary c={c} fields={f} />
            {opts.error && <Notice kind="error">{opts.error}</Notice>}
            {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
            <form method="post" action={`${base(k.id)}/comment`} class="stack comment-form">
              <Csrf c={c} />
              <div class={`field${f.article ? ' has-error' : ''}`}>
                <label for="f-article">{c.t('decisions.comments.form.target')}</label>
                {f.article && (
                  <p class="field-error" id="f-article-err">
                    {f.article}
                  </p>
                )}
                <select id="f-article" name="article" aria-invalid={f.article ? 'true' : undefined} aria-describedby={f.article ? 'f-article-err' : undefined}>
                  <option value="" selected={!chosen}>
                    {c.t('decisions.comments.general')}
                  </option>
                  {articles.map((a) => (
                    <option value={String(a.id)} selected={chosen?.id === a.id}>
                      {articleName(c, a)}
                    </option>
                  ))}
                </select>
              </div>
              <Field label={c.t('decisions.comments.form.body')} name="body" value={values.body} required multiline rows={8} maxLength={LIMITS.body} hint={c.t('decisions.comments.form.body_hint')} error={f.body} />
              <Field label={c.t('decisions.comments.form.name')} name="name" value={values.name} maxLength={LIMITS.name} autocomplete="name" error={f.name} />
              <Field label={c.t('decisions.comments.form.phone')} name="phone" value={values.phone} type="tel" inputMode="tel" maxLength={LIMITS.phone} autocomplete="tel" error={f.phone} />
              <Field label={c.t('decisions.comments.form.email')} name="email" value={values.email} type="email" maxLength={LIMITS.email} autocomplete="email" error={f.email} />
              <Field label={c.t('decisions.comments.form.code')} name="verifyCode" value={values.verifyCode} maxLength={6} inputMode="numeric" autocomplete="one-time-code" hint={c.t('decisions.comments.form.code_hint')} error={f.verifyCode} />
              <div class="actions">
                <button type="submit" formaction={`${base(k.id)}/comment/code`} formnovalidate class="secondary">
                  {c.t('decisions.comments.form.send_code')}
                </button>
                <button type="submit" class="primary">
                  {c.t('decisions.comments.form.submit')}
                </button>
              </div>
            </form>
          </>
        )}
      </div>
    </PublicLayout>,
    opts.status,
  );
}

function donePage(req: FastifyRequest, reply: FastifyReply, k: ConsultationRow, article: string | undefined, verified: boolean) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('decisions.comments.form.done_title')} canonical={null} noindex>
      <div class="consultation-comment-form">
        <h1>{c.t('decisions.comments.form.done_title')}</h1>
        <Notice kind="success">{c.t('decisions.comments.form.done')}</Notice>
        {verified && <p>{c.t('decisions.comments.form.done_verified')}</p>}
        <p>
          <a href={base(k.id)}>{c.t('decisions.comments.page.back')}</a>
        </p>
        <p>
          <a href={`${base(k.id)}/comment${article ? `?article=${encodeURIComponent(article)}` : ''}`}>{c.t('decisions.comments.form.another')}</a>
        </p>
      </div>
    </PublicLayout>,
    201,
  );
}

const cidOf = (v: unknown) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : 0);

export function commentPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): void {
  app.get<{ Params: { cid: string; aid: string }; Querystring: { page?: string } }>('/decisions/consultations/:cid/articles/:aid', { config: { permission: 'public' } }, async (req, reply) => {
    const k = await publicConsultation(p.db, cidOf(req.params.cid));
    const a = await articleOf(p.db, k.id, cidOf(req.params.aid));
    return listPage(p, req, reply, k, a, pageOf(req.query.page));
  });

  app.get<{ Params: { cid: string }; Querystring: { page?: string } }>('/decisions/consultations/:cid/general', { config: { permission: 'public' } }, async (req, reply) => {
    const k = await publicConsultation(p.db, cidOf(req.params.cid));
    return listPage(p, req, reply, k, null, pageOf(req.query.page));
  });

  app.get<{ Params: { cid: string }; Querystring: { article?: string } }>('/decisions/consultations/:cid/comment', { config: { permission: 'public' } }, async (req, reply) => {
    const k = await publicConsultation(p.db, cidOf(req.params.cid));
    return formPage(p, req, reply, k, { article: typeof req.query.article === 'string' ? req.query.article.slice(0, 12) : '' });
  });

  app.post<{ Params: { cid: string } }>('/decisions/consultations/:cid/comment', { config: { permission: 'public' }, preHandler: submitLimit }, async (req, reply) => {
    const k = await publicConsultation(p.db, cidOf(req.params.cid));
    const values = pick((req.body ?? {}) as Record<string, unknown>);
    const article = values.article ? (/^\d{1,10}$/.test(values.article) ? Number(values.article) : -1) : null;
    try {
      const s = await submitComment(p, k.id, { articleId: article, name: values.name, email: values.email, phone: values.phone, body: values.body, verifyCode: values.verifyCode }, clientIp(req));
      return donePage(req, reply, k, values.article, s.verified);
    } catch (err) {
      const e = shown(req, err);
      if (!e) throw err;
      return formPage(p, req, reply, k, values, { fields: e.fields, error: e.error, status: e.status });
    }
  });

  app.post<{ Params: { cid: string } }>('/decisions/consultations/:cid/comment/code', { config: { permission: 'public' }, preHandler: codeLimit }, async (req, reply) => {
    const k = await publicConsultation(p.db, cidOf(req.params.cid));
    const values = pick((req.body ?? {}) as Record<string, unknown>);
    try {
      const r = await requestCommentCode(p, k.id, { phone: values.phone, email: values.email });
      return formPage(p, req, reply, k, values, { notice: req.t(r.channel === 'sms' ? 'decisions.comments.form.code_sent_sms' : 'decisions.comments.form.code_sent_email') });
    } catch (err) {
      const e = shown(req, err);
      if (!e) throw err;
      return formPage(p, req, reply, k, values, { fields: e.fields, error: e.error, status: e.status });
    }
  });
}
