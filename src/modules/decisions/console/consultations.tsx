// The console of consultations: a new consultation on a decision (the draft pasted or uploaded as
// a DOCX), a consultation's page — while a draft: its fields, the article editor (edit, merge with
// the next, split at a position, move up/down, replace the whole text) and opening with a
// confirmation (a reason for a period under 30 days); while open: closing once the closing instant
// has come; always: the state, period, counts and the public page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, FileInput, Notice, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { hasMessage } from '../../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { nowShanghai } from '../../../platform/deadlines/index.js';
import type { ConsultationRow, DecisionRow } from '../schema.js';
import { consultationFor, decisionFor, mayDo } from '../service/access.js';
import { ARTICLE_LIMITS, docxDraftText, editArticle, listArticles, mergeWithNext, moveArticle, replaceDraft, splitArticle } from '../service/articles.js';
import { closeConsultation, consultationCounts, createConsultation, LIMITS, MIN_PERIOD_MS, openConsultation, updateConsultation } from '../service/consultations.js';
import { periodWords } from '../items/consultation.js';
import { HIDE_REASONS } from '../public/consultations.js';

type Fields = Record<string, string>;
const BASE = '/admin/consultations';

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

/** An error as translated field messages for the page (null: not ours to show). */
function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, err.params)]));
  return { _: req.t(err.message, err.params) };
}

/** A stored instant as the value of a datetime-local field (Asia/Shanghai wall time). */
const wall = (iso: string) => (iso ? nowShanghai(new Date(iso)) : '');

interface FormValues {
  title: string;
  explanation: string;
  opensAt: string;
  closesAt: string;
  text: string;
}

function ConsultationFields({ c, v, errors, withText }: { c: PageCtx; v: FormValues; errors: Fields; withText: boolean }) {
  return (
    <>
      <Field label={c.t('decisions.consultations.f.title')} name="title" value={v.title} error={errors.title} required maxLength={LIMITS.title} />
      <Field label={c.t('decisions.consultations.f.explanation')} name="explanation" value={v.explanation} error={errors.explanation} required multiline rows={6} maxLength={LIMITS.explanation} />
      <Field label={c.t('decisions.consultations.f.opens_at')} name="opensAt" type="datetime-local" value={v.opensAt} error={errors.opensAt} required hint={c.t('decisions.consultations.f.shanghai_hint')} />
      <Field label={c.t('decisions.consultations.f.closes_at')} name="closesAt" type="datetime-local" value={v.closesAt} error={errors.closesAt} required hint={c.t('decisions.consultations.f.period_hint')} />
      {withText && <Field label={c.t('decisions.consultations.f.text')} name="text" value={v.text} error={errors.text} multiline rows={14} maxLength={ARTICLE_LIMITS.draft} hint={c.t('decisions.consultations.f.text_hint')} />}
    </>
  );
}

export async function consultationConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- new ----
  const newPage = (req: FastifyRequest, reply: FastifyReply, d: DecisionRow, v: FormValues, errors: Fields = {}, status = 200) => {
    const c = req.ctx(reply);
    return reply.code(status).html(
      <AdminLayout c={c} title={c.t('decisions.consultations.new_title')}>
        <p>
          <a href={`/admin/decisions/${d.id}`}>{c.t('decisions.consultations.back_decision')}</a>
        </p>
        <h1>{c.t('decisions.consultations.new_title')}</h1>
        <p lang={zhLang(c)}>{d.title}</p>
        <ErrorSummary c={c} fields={errors} />
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <form method="post" action={`/admin/decisions/${d.id}/consultations/new`} enctype="multipart/form-data" class="stack">
          <Csrf c={c} />
          <ConsultationFields c={c} v={v} errors={errors} withText />
          <div class="field">
            <label for="f-file">{c.t('decisions.consultations.f.docx')}</label>
            {errors.file && <p class="field-error">{errors.file}</p>}
            <FileInput c={c} id="f-file" name="file" accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" invalid={!!errors.file} />
          </div>
          <button type="submit">{c.t('decisions.consultations.create')}</button>
        </form>
      </AdminLayout>,
    );
  };
  const decisionParam = async (req: FastifyRequest<{ Params: { id: string } }>) => decisionFor(p.db, req.user!, idOf(req.params.id), 'major-decision.edit');

  app.get<{ Params: { id: string } }>('/admin/decisions/:id/consultations/new', { config: { permission: 'major-decision.edit' } }, async (req, reply) => {
    const d = await decisionParam(req);
    const start = new Date(Date.now() + 24 * 3600_000);
    start.setUTCMinutes(0, 0, 0);
    const end = new Date(start.getTime() + MIN_PERIOD_MS);
    return newPage(req, reply, d, { title: `关于《${d.title}》公开征求意见`.slice(0, LIMITS.title), explanation: '', opensAt: wall(start.toISOString()), closesAt: wall(end.toISOString()), text: '' });
  });

  app.post<{ Params: { id: string } }>('/admin/decisions/:id/consultations/new', { config: { permission: 'major-decision.edit', csrf: 'multipart' }, bodyLimit: 16 * 1024 * 1024 }, async (req, reply) => {
    const v: Record<string, string> = {};
    let file: Buffer | null = null;
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length && !file) file = buf;
        } else v[part.fieldname] = String(part.value ?? '').slice(0, ARTICLE_LIMITS.draft + 1);
      }
    }
    const d = await decisionParam(req);
    const values: FormValues = { title: v.title ?? '', explanation: v.explanation ?? '', opensAt: v.opensAt ?? '', closesAt: v.closesAt ?? '', text: v.text ?? '' };
    try {
      const text = file ? await docxDraftText(p, file, 'file') : values.text;
      const created = await createConsultation(p, req.user!, d.id, { ...values, text });
      return reply.redirect(`${BASE}/${created.id}?done=created`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return newPage(req, reply, d, values, errors, (err as HttpError).status);
    }
  });

  // ---- one consultation ----
  const page = async (req: FastifyRequest<{ Querystring: Record<string, string> }>, reply: FastifyReply, x: ConsultationRow, errors: Fields = {}, status = 200) => {
    const c = req.ctx(reply);
    const [articles, k, d] = await Promise.all([listArticles(p.db, x.id), consultationCounts(p.db, x.id), p.db.selectFrom('dec_decisions').select(['id', 'title']).where('id', '=', x.decision_id).executeTakeFirstOrThrow()]);
    const edit = x.state === 'draft' && mayDo(req.user!, 'major-decision.edit', x.department_id);
    const lang = zhLang(c);
    const q = req.query ?? {};
    const err = q.error && hasMessage(q.error) ? c.t(q.error) : '';
    const done = q.done && hasMessage(`decisions.consultations.done.${q.done}`) ? c.t(`decisions.consultations.done.${q.done}`) : '';
    const action = (path: string) => `${BASE}/${x.id}/${path}`;
    const short = Date.parse(x.closes_at) - Math.max(Date.parse(x.opens_at), Date.now()) < MIN_PERIOD_MS;
    return reply.code(status).html(
      <AdminLayout c={c} title={x.title}>
        <p>
          <a href={`/admin/decisions/${d.id}`}>{c.t('decisions.consultations.back_decision')}</a>
        </p>
        <h1 lang={lang}>{x.title}</h1>
        {done && <Notice kind="success">{done}</Notice>}
        {err && <Notice kind="error">{err}</Notice>}
        <ErrorSummary c={c} fields={errors} />
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Dl
          rows={[
            [c.t('decisions.consultations.state_label'), c.t(`decisions.consultations.state.${x.state}`)],
            [c.t('decisions.consultations.decision'), <span lang={lang}>{d.title}</span>],
            [c.t('decisions.consultations.period'), periodWords(c, x.opens_at, x.closes_at)],
            ...(x.short_reason ? ([[c.t('decisions.consultations.short_reason'), <span class="pre">{x.short_reason}</span>]] as [string, preact.ComponentChildren][]) : []),
            [c.t('decisions.consultations.counts'), c.t('decisions.consultations.counts_line', { received: k.received, published: k.published, pending: k.pending, hidden: k.hidden })],
            ...(x.state !== 'draft' ? ([[c.t('decisions.consultations.public_page'), <a href={`/decisions/consultations/${x.id}`}>{`/decisions/consultations/${x.id}`}</a>]] as [string, preact.ComponentChildren][]) : []),
          ]}
        />
        {k.hidden > 0 && <p class="hint">{HIDE_REASONS.filter((r) => k.hiddenBy[r]).map((r) => c.t('decisions.consultations.hidden_reason_n', { reason: c.t(`decisions.consultations.hide_reason.${r}`), n: k.hiddenBy[r] })).join('；')}</p>}
        {x.state !== 'draft' && (
          <p>
            <a href={`${BASE}/${x.id}/comments`}>{c.t('decisions.consultations.moderation')}</a> · <a href={`${BASE}/${x.id}/report`}>{c.t('decisions.consultations.report')}</a>
          </p>
        )}

        {edit && (
          <section aria-labelledby="open-h">
            <h2 id="open-h">{c.t('decisions.consultations.open_title')}</h2>
            <p>{c.t('decisions.consultations.open_intro')}</p>
            <ConfirmForm c={c} action={action('open')} label={c.t('decisions.consultations.open')} confirm={c.t('decisions.consultations.open_confirm')}>
              <Field label={c.t('decisions.consultations.f.short_reason')} name="shortReason" multiline rows={3} maxLength={LIMITS.shortReason} hint={c.t(short ? 'decisions.consultations.f.short_reason_needed' : 'decisions.consultations.f.short_reason_hint')} required={short} error={errors.shortReason} />
            </ConfirmForm>
          </section>
        )}
        {x.state === 'open' && mayDo(req.user!, 'major-decision.edit', x.department_id) && (
          <section aria-labelledby="close-h">
            <h2 id="close-h">{c.t('decisions.consultations.close_title')}</h2>
            <p>{c.t('decisions.consultations.close_intro', { to: shanghaiDateTime(x.closes_at) })}</p>
            <ConfirmForm c={c} action={action('close')} label={c.t('decisions.consultations.close')} confirm={c.t('decisions.consultations.close_confirm')} />
          </section>
        )}

        <section aria-labelledby="articles-h">
          <h2 id="articles-h">{c.t('decisions.consultations.articles_n', { n: articles.length })}</h2>
          {!articles.length && <Empty>{c.t('decisions.consultations.no_articles')}</Empty>}
          <ol class="article-editor">
            {articles.map((a, i) => (
              <li id={`a${a.id}`}>
                {edit ? (
                  <>
                    <form method="post" action={action(`articles/${a.id}`)} class="stack">
                      <Csrf c={c} />
                      <Field id={`label-${a.id}`} label={c.t('decisions.consultations.f.label')} name="label" value={a.label} maxLength={ARTICLE_LIMITS.label} />
                      <Field id={`text-${a.id}`} label={c.t('decisions.consultations.f.article_text')} name="text" value={a.text} multiline rows={Math.min(12, 2 + Math.ceil(a.text.length / 60))} maxLength={ARTICLE_LIMITS.text} required />
                      <button type="submit">{c.t('decisions.consultations.save_article')}</button>
                    </form>
                    <div class="actions">
                      {i > 0 && (
                        <form method="post" action={action(`articles/${a.id}/move`)} class="inline">
                          <Csrf c={c} />
                          <input type="hidden" name="dir" value="up" />
                          <button type="submit" class="secondary">{c.t('decisions.consultations.move_up')}</button>
                        </form>
                      )}
                      {i < articles.length - 1 && (
                        <form method="post" action={action(`articles/${a.id}/move`)} class="inline">
                          <Csrf c={c} />
                          <input type="hidden" name="dir" value="down" />
                          <button type="submit" class="secondary">{c.t('decisions.consultations.move_down')}</button>
                        </form>
                      )}
                      {i < articles.length - 1 && (
                        <form method="post" action={action(`articles/${a.id}/merge`)} class="inline">
                          <Csrf c={c} />
                          <button type="submit" class="secondary">{c.t('decisions.consultations.merge')}</button>
                        </form>
                      )}
                      <form method="post" action={action(`articles/${a.id}/split`)} class="inline">
                        <Csrf c={c} />
                        <label for={`split-${a.id}`}>{c.t('decisions.consultations.split_at')}</label>
                        <input id={`split-${a.id}`} name="position" type="number" min={1} max={Math.max(1, [...a.text].length - 1)} inputMode="numeric" required />
                        <button type="submit" class="secondary">{c.t('decisions.consultations.split')}</button>
                      </form>
                    </div>
                  </>
                ) : (
                  <p lang={lang}>
                    {a.label && <strong>{a.label}</strong>} <span class="pre">{a.text}</span>
                  </p>
                )}
              </li>
            ))}
          </ol>
        </section>

        {edit && (
          <section aria-labelledby="edit-h">
            <h2 id="edit-h">{c.t('decisions.consultations.edit_title')}</h2>
            <form method="post" action={action('edit')} class="stack">
              <Csrf c={c} />
              <ConsultationFields c={c} v={{ title: x.title, explanation: x.explanation, opensAt: wall(x.opens_at), closesAt: wall(x.closes_at), text: '' }} errors={errors} withText />
              <button type="submit">{c.t('decisions.consultations.save')}</button>
            </form>
          </section>
        )}
      </AdminLayout>,
    );
  };

  app.get<{ Params: { cid: string }; Querystring: Record<string, string> }>(`${BASE}/:cid`, { config: { permission: 'major-decision.read' } }, async (req, reply) => {
    const x = await consultationFor(p.db, req.user!, idOf(req.params.cid), 'major-decision.read');
    return page(req, reply, x);
  });

  /** A POST of the page: runs, then back to the page (303), or the page again with the errors. */
  const act = (path: string, run: (req: FastifyRequest<{ Params: Record<string, string>; Body: Record<string, unknown> }>, cid: number) => Promise<string>) =>
    app.post<{ Params: Record<string, string>; Body: Record<string, unknown>; Querystring: Record<string, string> }>(`${BASE}/:cid/${path}`, { config: { permission: 'major-decision.edit' }, bodyLimit: 2 * 1024 * 1024 }, async (req, reply) => {
      const cid = idOf(req.params.cid);
      try {
        return reply.redirect(await run(req, cid), 303);
      } catch (err) {
        const errors = errorFields(req, err);
        if (!errors) throw err;
        const x = await consultationFor(p.db, req.user!, cid, 'major-decision.read');
        return page(Object.assign(req, { query: {} }), reply, x, errors, (err as HttpError).status);
      }
    });
  const article = (req: { params: Record<string, string> }) => idOf(req.params.aid ?? '');
  const back = (cid: number, done: string, anchor = '') => `${BASE}/${cid}?done=${done}${anchor}`;

  act('edit', async (req, cid) => {
    const b = req.body ?? {};
    const text = one(b.text);
    await updateConsultation(p, req.user!, cid, { title: one(b.title), explanation: one(b.explanation), opensAt: one(b.opensAt), closesAt: one(b.closesAt), ...(text.trim() ? { text } : {}) });
    return back(cid, 'saved');
  });
  act('articles/:aid', async (req, cid) => {
    const aid = article(req);
    await editArticle(p, req.user!, cid, aid, { label: one(req.body?.label), text: one(req.body?.text) });
    return back(cid, 'article_saved', `#a${aid}`);
  });
  act('articles/:aid/merge', async (req, cid) => {
    const aid = article(req);
    await mergeWithNext(p, req.user!, cid, aid);
    return back(cid, 'merged', `#a${aid}`);
  });
  act('articles/:aid/split', async (req, cid) => {
    const aid = article(req);
    const pos = Number(one(req.body?.position));
    await splitArticle(p, req.user!, cid, aid, Number.isInteger(pos) ? pos : -1);
    return back(cid, 'split', `#a${aid}`);
  });
  act('articles/:aid/move', async (req, cid) => {
    const aid = article(req);
    await moveArticle(p, req.user!, cid, aid, one(req.body?.dir) === 'up' ? 'up' : 'down');
    return back(cid, 'moved', `#a${aid}`);
  });
  act('replace', async (req, cid) => {
    await replaceDraft(p, req.user!, cid, one(req.body?.text));
    return back(cid, 'saved');
  });
  const confirmed = (b: Record<string, unknown> | undefined) => {
    if (one(b?.confirm) !== 'yes') throw new HttpError(400, 'bad_request', 'common.confirm_required', { confirm: 'common.confirm_required' });
  };
  act('open', async (req, cid) => {
    confirmed(req.body);
    await openConsultation(p, req.user!, cid, { shortReason: one(req.body?.shortReason) });
    return back(cid, 'opened');
  });
  act('close', async (req, cid) => {
    confirmed(req.body);
    await closeConsultation(p, req.user!, cid);
    return back(cid, 'closed');
  });
}
