// Tracking with the tracking number and query code (in POST bodies only): the citizen's page,
// rating and reopening.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Csrf, Dl, ErrorSummary, Field, Notice, Zh, langOfText, type PageCtx } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import { normalizeQueryCode } from '../service.js';
import { findWithCode, rateAppeal, reopenAppeal } from '../service/citizen.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { citizenView, fmtTime, statusLabel, tr, type CitizenView } from '../views.js';
import { RATINGS, ratingLabel } from '../../../platform/ratings.js';

function TrackForm({ c, no, error }: { c: PageCtx; no?: string; error?: string }) {
  return (
    <form method="post" action="/appeals/track" class="stack narrow">
      <Csrf c={c} />
      {error && <Notice kind="error">{error}</Notice>}
      <Field label={c.t('appeals.tracking_no')} name="no" value={no} required maxLength={20} autocomplete="off" />
      <Field label={c.t('appeals.query_code')} name="code" required maxLength={14} inputMode="numeric" autocomplete="off" hint={c.t('appeals.query_code_hint')} />
      <button type="submit" class="primary">{c.t('appeals.track_button')}</button>
    </form>
  );
}

function trackPage(req: FastifyRequest, reply: FastifyReply, no: string, error?: string, status = 200) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('appeals.track')} description={c.t('appeals.meta.track', { name: c.gov.name })}>
      <div class="appeals">
        <h1>{c.t('appeals.track')}</h1>
        <p>{c.t('appeals.track_intro')}</p>
        <TrackForm c={c} no={no} error={error} />
      </div>
    </PublicLayout>,
    status,
  );
}

function CitizenPage({ c, v, code, notice, fields, follow }: { c: PageCtx; v: CitizenView; code: string; notice?: string; fields?: Record<string, string>; follow?: boolean }) {
  return (
    <div class="appeals">
      <h1>
        {c.t('appeals.tracking_no')} {v.trackingNo}
      </h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorSummary c={c} fields={fields} />
      {v.mergedInto && <Notice kind="info">{c.t('appeals.merged_into', { no: v.mergedInto })}</Notice>}
      <Dl
        rows={[
          [c.t('appeals.status'), <strong class={`appeal-status s-${v.status}`}>{statusLabel(c, v.status)}</strong>],
          [c.t('appeals.type'), c.t(`appeals.type.${v.type}`)],
          [c.t('appeals.category'), <Zh c={c}>{v.categoryName}</Zh>],
          [c.t('appeals.field.title'), <span lang={langOfText(c, v.title)}>{v.title}</span>],
          [c.t('appeals.received_at'), fmtTime(v.createdAt)],
          [c.t('appeals.department'), v.department ? <Zh c={c}>{v.department}</Zh> : '—'],
          [c.t('appeals.due'), v.due ?? '—'],
        ]}
      />
      <h2>{c.t('appeals.content')}</h2>
      <p class="appeal-text" lang={langOfText(c, v.content)}>{v.content}</p>
      {v.reply && (
        <section aria-labelledby="reply-h">
          <h2 id="reply-h">{c.t('appeals.reply')}</h2>
          <p class="appeal-text appeal-reply" lang={langOfText(c, v.reply)}>{v.reply}</p>
          <p class="muted">
            {fmtTime(v.repliedAt)} {v.resolved === null ? '' : v.resolved ? c.t('appeals.resolved') : c.t('appeals.unresolved')}
          </p>
        </section>
      )}
      {v.rating && (
        <p>
          {c.t('appeals.rating')}：<strong>{c.t(ratingLabel(v.rating))}</strong>
        </p>
      )}
      {v.canRate && (
        <form method="post" action="/appeals/track/rate" class="stack narrow appeal-rate">
          <Csrf c={c} />
          <input type="hidden" name="no" value={v.trackingNo} />
          <input type="hidden" name="code" value={code} />
          <fieldset>
            <legend>{c.t('appeals.rating')}</legend>
            {RATINGS.map((r) => (
              <label class="check">
                <input type="radio" name="rating" value={r} required /> {c.t(ratingLabel(r))}
              </label>
            ))}
          </fieldset>
          <Field label={c.t('appeals.rating_comment')} name="comment" multiline rows={3} maxLength={500} />
          <button type="submit" class="primary">{c.t('appeals.rate_button')}</button>
        </form>
      )}
      {v.canReopen && (
        <form method="post" action="/appeals/track/reopen" class="stack narrow">
          <Csrf c={c} />
          <h2>{c.t('appeals.reopen')}</h2>
          <input type="hidden" name="no" value={v.trackingNo} />
          <input type="hidden" name="code" value={code} />
          <Field label={c.t('appeals.reopen_reason')} name="reason" multiline rows={3} required maxLength={1000} error={fields?.reason} />
          <button type="submit">{c.t('appeals.reopen_button')}</button>
        </form>
      )}
      {follow && (
        <form method="post" action="/subscriptions" class="stack follow-form">
          <h2>{c.t('appeals.follow')}</h2>
          <p class="hint">{c.t('appeals.follow_hint')}</p>
          <Csrf c={c} />
          <input type="hidden" name="prefilled" value="1" />
          <input type="hidden" name="appeal" value={v.trackingNo} />
          <input type="hidden" name="code" value={code} />
          <input type="hidden" name="frequency" value="immediately" />
          <fieldset>
            <legend>{c.t('appeals.follow_how')}</legend>
            <label class="choice">
              <input type="radio" name="channel" value="email" checked /> {c.t('appeals.follow_email')}
            </label>
            <label class="choice">
              <input type="radio" name="channel" value="sms" /> {c.t('appeals.follow_sms')}
            </label>
          </fieldset>
          <Field label={c.t('appeals.follow_address')} name="address" id="f-follow-address" required maxLength={200} />
          <button type="submit">{c.t('appeals.follow_button')}</button>
        </form>
      )}
      <h2>{c.t('appeals.history')}</h2>
      <ol class="appeal-history">
        {v.history.map((h) => (
          <li>
            <time>{fmtTime(h.at)}</time> {c.t(`appeals.action.${h.action}`)}
            {h.action === 'rate' ? `：${c.t(ratingLabel(h.note))}` : h.note ? `：${h.note}` : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
export function trackPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): void {
  // "Follow the handling" (by e-mail or text), when the platform has subscriptions.
  const follow = p.modules.some((m) => m.name === 'subscriptions');
  // The form. Old links with ?code= (from before the code moved into POST bodies) lead to the
  // form with the tracking number filled in, without using or repeating the code.
  app.get<{ Querystring: { no?: string; code?: string } }>('/appeals/track', { config: { permission: 'public' } }, async (req, reply) => {
    const no = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 20) : '';
    if (req.query.code !== undefined) return reply.redirect(no ? `/appeals/track?no=${encodeURIComponent(no)}` : '/appeals/track', 303);
    return trackPage(req, reply, no);
  });

  /** The citizen's page, or the form again: 404 (wrong number or code — the same answer), 429 while the number is locked. */
  const showAppeal = async (req: FastifyRequest, reply: FastifyReply, no: string, code: string, opts: { notice?: string; fields?: Record<string, string>; status?: number } = {}) => {
    let a;
    try {
      a = await findWithCode(p.db, no, code);
    } catch (err) {
      if (err instanceof HttpError && err.status === 429) {
        reply.header('retry-after', String(err.retryAfter ?? 60));
        return trackPage(req, reply, no, req.t(err.message, err.params), 429);
      }
      throw err;
    }
    if (!a) return trackPage(req, reply, no, req.t('appeals.not_found'), 404);
    const c = req.ctx(reply);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.track')}>
        <CitizenPage c={c} v={await citizenView(p.db, a)} code={normalizeQueryCode(code)} notice={opts.notice} fields={opts.fields} follow={follow} />
      </PublicLayout>,
      opts.status,
    );
  };

  app.post('/appeals/track', { config: { permission: 'public' }, preHandler: codeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const no = typeof b.no === 'string' ? b.no.trim().slice(0, 20) : '';
    const code = typeof b.code === 'string' ? b.code.slice(0, 20) : '';
    if (!no || !code) return trackPage(req, reply, no, req.t('appeals.not_found'), 404);
    return showAppeal(req, reply, no, code);
  });

  // Rating and reopening answer with the citizen's page itself (no redirect: that would put the code in a URL).
  const citizenPost = (action: 'rate' | 'reopen') => async (req: FastifyRequest, reply: FastifyReply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const no = String(b.no ?? '').trim().slice(0, 20);
    const code = String(b.code ?? '').slice(0, 20);
    try {
      if (action === 'rate') await rateAppeal(p, no, code, String(b.rating ?? ''), String(b.comment ?? ''));
      else await reopenAppeal(p, no, code, String(b.reason ?? ''));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      if (err.status === 404) return trackPage(req, reply, no, req.t('appeals.not_found'), 404);
      if (err.status === 429) {
        reply.header('retry-after', String(err.retryAfter ?? 60));
        return trackPage(req, reply, no, req.t(err.message, err.params), 429);
      }
      const fields = err.fields ? tr(req, err.fields) : { _: req.t(err.message, err.params) };
      return showAppeal(req, reply, no, code, { fields, status: err.status });
    }
    return showAppeal(req, reply, no, code, { notice: req.t(action === 'rate' ? 'appeals.rated' : 'appeals.reopened') });
  };
  const citizenPostOpts = { config: { permission: 'public' }, onRequest: submitLimit, preHandler: codeLimit };
  app.post('/appeals/track/rate', citizenPostOpts, citizenPost('rate'));
  app.post('/appeals/track/reopen', citizenPostOpts, citizenPost('reopen'));
}
