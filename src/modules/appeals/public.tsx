// Public pages: landing, the form (photos, similar appeals before submitting, verification code),
// tracking with the query code (rate, reopen), the public board, a published appeal, statistics.
// The query code only ever travels in POST bodies, never in a URL (nor in the access log).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { PublicLayout, Csrf, Dl, Empty, ErrorSummary, Field, Notice, Pager, Select, type PageCtx } from '../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../platform/errors.js';
import { storeFile, readStored, fileInfo, cleanImage } from '../../platform/files/index.js';
import { listDepartments } from '../org/service.js';
import { normalizeQueryCode } from './service.js';
import { requestVerification, submitAppeal, checkIntake, type IntakeInput } from './service/intake.js';
import { findWithCode, rateAppeal, reopenAppeal } from './service/citizen.js';
import type { Limiter } from '../../platform/http/limit.js';
import { citizenView, type CitizenView } from './views.js';
import { listCategories, similarAppeals } from './service/dispatch.js';
import { board, stats, isPublicAppeal, publishedTexts } from './service/queries.js';
import { APPEAL_TYPES, TYPE_RULES } from './schema.js';
import { RATINGS, ratingLabel } from '../../platform/ratings.js';
import { getRule } from '../../platform/deadlines/index.js';

export const PHOTO_LIMIT = 5 * 1024 * 1024;
export const MAX_PHOTOS = 6;

/** Image type by magic bytes (the file name is not trusted). */
export function imageType(buf: Buffer): 'jpg' | 'png' | 'gif' | 'webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpg';
  if (buf.length >= 8 && buf.subarray(0, 8).toString('hex') === '89504e470d0a1a0a') return 'png';
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.subarray(0, 6).toString('latin1'))) return 'gif';
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

function tr(req: FastifyRequest, fields: Record<string, string>, params?: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, req.t(v, params)]));
}

export function statusLabel(c: PageCtx, s: string): string {
  return c.t(`appeals.status.${s}`);
}

function fmtTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}
export { fmtTime };

type FormValues = Record<string, string>;

async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: FormValues, opts: { fields?: Record<string, string>; notice?: string; similar?: boolean; status?: number } = {}) {
  const c = req.ctx(reply);
  const cats = await listCategories(p.db);
  const similar = opts.similar && (values.title || values.content) ? await similarAppeals(p.db, { title: values.title ?? '', content: values.content ?? '', lat: values.lat ? Number(values.lat) : null, lng: values.lng ? Number(values.lng) : null, category: values.category, published: true }) : null;
  const f = opts.fields ?? {};
  const groups = [...new Set(cats.map((x) => x.group_name))];
  return reply.html(
    <PublicLayout c={c} title={c.t('appeals.new')}>
      <div class="appeals">
        <h1>{c.t('appeals.new')}</h1>
        <p>{c.t('appeals.intro')}</p>
        <ErrorSummary c={c} fields={opts.fields} />
        {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
        {similar && (
          <section class="appeal-similar" aria-labelledby="similar-h">
            <h2 id="similar-h">{c.t('appeals.similar_title')}</h2>
            {similar.length ? (
              <>
                <p>{c.t('appeals.similar_hint')}</p>
                <ul>
                  {similar.map((s) => (
                    <li>
                      {s.pubItemId ? <a href={`/appeals/published/${s.pubItemId}`}>{s.title}</a> : s.title} <span class="muted">{fmtTime(s.createdAt).slice(0, 10)}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{c.t('appeals.similar_none')}</p>
            )}
          </section>
        )}
        <form method="post" action={`/appeals/new?_csrf=${encodeURIComponent(c.csrf())}`} enctype="multipart/form-data" class="stack appeal-form">
          <fieldset>
            <legend>{c.t('appeals.type')}</legend>
            {f.type && <p class="field-error">{f.type}</p>}
            <div class="appeal-types">
              {APPEAL_TYPES.map((t) => (
                <label class="check">
                  <input type="radio" name="type" value={t} checked={values.type === t} required /> {c.t(`appeals.type.${t}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div class={`field${f.category ? ' has-error' : ''}`}>
            <label for="f-category">
              {c.t('appeals.category')}
              <span class="req" aria-hidden="true"> *</span>
            </label>
            {f.category && <p class="field-error" id="f-category-err">{f.category}</p>}
            <select id="f-category" name="category" required aria-invalid={f.category ? 'true' : undefined}>
              <option value="">—</option>
              {groups.map((g) => (
                <optgroup label={g || '—'}>
                  {cats.filter((x) => x.group_name === g).map((x) => (
                    <option value={x.code} selected={values.category === x.code}>{x.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <Field label={c.t('appeals.field.title')} name="title" value={values.title} required maxLength={100} error={f.title} />
          <Field label={c.t('appeals.content')} name="content" value={values.content} required multiline rows={8} maxLength={5000} hint={c.t('appeals.content_hint')} error={f.content} />
          <Field label={c.t('appeals.address')} name="address" value={values.address} maxLength={200} error={f.address} autocomplete="street-address" />
          <div class="appeal-point" data-locate={c.t('appeals.locate')}>
            <Field label={c.t('appeals.lat')} name="lat" value={values.lat} inputMode="decimal" hint={c.t('appeals.point_hint')} error={f.lat} />
            <Field label={c.t('appeals.lng')} name="lng" value={values.lng} inputMode="decimal" error={f.lng} />
          </div>
          <div class={`field${f.photos ? ' has-error' : ''}`}>
            <label for="f-photos">{c.t('appeals.photos', { mb: PHOTO_LIMIT / 1024 / 1024 })}</label>
            {f.photos && <p class="field-error" id="f-photos-err">{f.photos}</p>}
            <input id="f-photos" type="file" name="photos" multiple accept="image/jpeg,image/png,image/gif,image/webp" aria-invalid={f.photos ? 'true' : undefined} />
          </div>
          <fieldset>
            <legend>{c.t('appeals.contact')}</legend>
            <p class="hint">{c.t('appeals.contact_hint')}</p>
            <Field label={c.t('appeals.contact_name')} name="contactName" value={values.contactName} maxLength={50} autocomplete="name" error={f.contactName} />
            <Field label={c.t('appeals.contact_phone')} name="contactPhone" value={values.contactPhone} required type="tel" inputMode="numeric" maxLength={20} autocomplete="tel" error={f.contactPhone} />
            <Field label={c.t('appeals.contact_email')} name="contactEmail" value={values.contactEmail} type="email" maxLength={200} autocomplete="email" error={f.contactEmail} />
            <Field label={c.t('appeals.verify_code')} name="verifyCode" value={values.verifyCode} inputMode="numeric" maxLength={6} hint={c.t('appeals.verify_hint')} error={f.verifyCode} autocomplete="one-time-code" />
            <button type="submit" formaction={`/appeals/verify?_csrf=${encodeURIComponent(c.csrf())}`} formenctype="application/x-www-form-urlencoded" formnovalidate class="secondary">
              {c.t('appeals.verify_send')}
            </button>
          </fieldset>
          <label class="check">
            <input type="checkbox" name="consent" value="1" checked={values.consent === '1'} aria-describedby="consent-hint" /> {c.t('appeals.consent')}
          </label>
          <p class="hint" id="consent-hint">{c.t('appeals.consent_hint')}</p>
          <div class="actions">
            <button type="submit" formaction="/appeals/new" formmethod="get" formnovalidate name="check" value="1" class="secondary">
              {c.t('appeals.check_similar')}
            </button>
            <button type="submit" class="primary">{c.t('appeals.submit')}</button>
          </div>
        </form>
        <script src="/static/appeals-form.js" defer></script>
      </div>
    </PublicLayout>,
    opts.status,
  );
}

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
    <PublicLayout c={c} title={c.t('appeals.track')}>
      <div class="appeals">
        <h1>{c.t('appeals.track')}</h1>
        <p>{c.t('appeals.track_intro')}</p>
        <TrackForm c={c} no={no} error={error} />
      </div>
    </PublicLayout>,
    status,
  );
}

function CitizenPage({ c, v, code, notice, fields }: { c: PageCtx; v: CitizenView; code: string; notice?: string; fields?: Record<string, string> }) {
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
          [c.t('appeals.category'), v.categoryName],
          [c.t('appeals.field.title'), v.title],
          [c.t('appeals.received_at'), fmtTime(v.createdAt)],
          [c.t('appeals.department'), v.department ?? '—'],
          [c.t('appeals.due'), v.due ?? '—'],
        ]}
      />
      <h2>{c.t('appeals.content')}</h2>
      <p class="appeal-text">{v.content}</p>
      {v.reply && (
        <section aria-labelledby="reply-h">
          <h2 id="reply-h">{c.t('appeals.reply')}</h2>
          <p class="appeal-text appeal-reply">{v.reply}</p>
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

export async function publicPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.get('/appeals', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const recent = await board(p.db, { page: 1, pageSize: 5 });
    // The time limits come from the deadline engine's rule catalogue (editable, versioned).
    const limits = await Promise.all(APPEAL_TYPES.map(async (t) => ({ type: t, rule: TYPE_RULES[t] ? await getRule(p.db, TYPE_RULES[t]!) : null })));
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.title')}>
        <div class="appeals">
          <h1>{c.t('appeals.title')}</h1>
          <p>{c.t('appeals.intro')}</p>
          <ul class="appeal-doors">
            <li><a class="button primary" href="/appeals/new">{c.t('appeals.submit_link')}</a></li>
            <li><a class="button" href="/appeals/track">{c.t('appeals.track_link')}</a></li>
            <li><a class="button" href="/appeals/board">{c.t('appeals.board_link')}</a></li>
            <li><a class="button" href="/appeals/stats">{c.t('appeals.stats_link')}</a></li>
          </ul>
          <h2>{c.t('appeals.limits')}</h2>
          <table class="appeal-limits">
            <thead>
              <tr>
                <th scope="col">{c.t('appeals.type')}</th>
                <th scope="col">{c.t('appeals.due')}</th>
              </tr>
            </thead>
            <tbody>
              {limits.map((l) => (
                <tr>
                  <th scope="row">{c.t(`appeals.type.${l.type}`)}</th>
                  <td>{l.rule ? c.t('appeals.limit_workdays', { n: l.rule.amount }) : c.t('appeals.limit_none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{c.t('appeals.home')}</h2>
          <BoardList c={c} items={recent.items} />
        </div>
      </PublicLayout>,
    );
  });

  app.get<{ Querystring: Record<string, string> }>('/appeals/new', { config: { permission: 'public' } }, async (req, reply) => {
    const q = req.query ?? {};
    const values: FormValues = {};
    for (const k of ['type', 'category', 'title', 'content', 'address', 'lat', 'lng', 'contactName', 'contactPhone', 'contactEmail', 'consent']) if (typeof q[k] === 'string') values[k] = q[k].slice(0, 5000);
    return formPage(p, req, reply, values, { similar: q.check === '1' });
  });

  app.post('/appeals/new', { config: { permission: 'public' }, onRequest: submitLimit }, async (req, reply) => {
    const values: FormValues = {};
    const photos: { buf: Buffer; ext: NonNullable<ReturnType<typeof imageType>> }[] = [];
    const fields: Record<string, string> = {};
    if (!req.isMultipart()) {
      Object.assign(values, Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')])));
    } else {
      try {
        for await (const part of req.parts({ limits: { fileSize: PHOTO_LIMIT + 1, files: MAX_PHOTOS + 1 } })) {
          if (part.type === 'file') {
            const buf = await part.toBuffer();
            if (!buf.length && !part.filename) continue;
            if ((part as any).file?.truncated || buf.length > PHOTO_LIMIT) fields.photos = req.t('appeals.err.photo_size', { mb: PHOTO_LIMIT / 1024 / 1024 });
            else {
              const ext = imageType(buf);
              if (!ext) fields.photos = req.t('appeals.err.photo_type');
              else photos.push({ buf, ext });
            }
          } else if (typeof part.value === 'string') values[part.fieldname] = part.value.slice(0, 6000);
        }
      } catch (err: any) {
        if (err?.code === 'FST_FILES_LIMIT') fields.photos = req.t('appeals.err.too_many_photos');
        else if (err?.code === 'FST_REQ_FILE_TOO_LARGE') fields.photos = req.t('appeals.err.photo_size', { mb: PHOTO_LIMIT / 1024 / 1024 });
        // A field refused on its way in (control characters): shown next to that field.
        else if (err instanceof HttpError && err.fields) for (const [k, v] of Object.entries(err.fields)) fields[k] = req.t(v);
        // A broken or truncated upload is the sender's problem: say so, never a 5xx.
        else fields.photos = req.t('appeals.err.upload');
      }
    }
    if (photos.length > MAX_PHOTOS) fields.photos = req.t('appeals.err.too_many_photos');
    const num = (s?: string) => (s && s.trim() ? Number(s) : null);
    const input: IntakeInput = {
      type: values.type ?? '',
      category: values.category ?? '',
      title: values.title ?? '',
      content: values.content ?? '',
      address: values.address,
      lat: num(values.lat),
      lng: num(values.lng),
      contactName: values.contactName,
      contactPhone: values.contactPhone,
      contactEmail: values.contactEmail,
      consent: values.consent === '1',
      channel: 'web',
      verifyCode: /^\d{6}$/.test(values.verifyCode ?? '') ? values.verifyCode : undefined,
    };
    if (values.verifyCode && !input.verifyCode) fields.verifyCode = req.t('appeals.err.verify_code');
    Object.assign(fields, tr(req, await checkIntake(p.db, input)), fields);
    if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, status: 400 });
    try {
      // Every photo is decoded and encoded again without its metadata (EXIF GPS, device, time; XMP;
      // comments) before any is stored: what is kept and served is only the picture, upright.
      const clean: { buf: Buffer; ext: string }[] = [];
      for (const ph of photos) clean.push({ buf: await cleanImage(ph.buf, ph.ext, 'photos'), ext: ph.ext });
      const media: string[] = [];
      for (const ph of clean) media.push((await storeFile(p, ph.buf, `photo.${ph.ext}`, 'photos')).hash);
      const s = await submitAppeal(p, 'citizen', { ...input, media });
      const c = req.ctx(reply);
      reply.header('cache-control', 'no-store');
      return reply.html(
        <PublicLayout c={c} title={c.t('appeals.submitted')}>
          <div class="appeals">
            <h1>{c.t('appeals.submitted')}</h1>
            <Notice kind="success">{c.t('appeals.submitted_intro')}</Notice>
            <Dl
              rows={[
                [c.t('appeals.tracking_no'), <strong class="tracking-no">{s.trackingNo}</strong>],
                [c.t('appeals.query_code'), <strong class="query-code">{s.queryCode}</strong>],
              ]}
            />
            <p>
              <a class="button primary" href={`/appeals/track?no=${s.trackingNo}`}>{c.t('appeals.track_link')}</a>
            </p>
          </div>
        </PublicLayout>,
        201,
      );
    } catch (err) {
      if (err instanceof HttpError && err.fields) return formPage(p, req, reply, values, { fields: tr(req, err.fields, err.params), status: 400 });
      throw err;
    }
  });

  app.post('/appeals/verify', { config: { permission: 'public' }, onRequest: submitLimit }, async (req, reply) => {
    const values = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, String(v ?? '').slice(0, 5000)]));
    try {
      await requestVerification(p, { phone: values.contactPhone, email: values.contactEmail });
      return formPage(p, req, reply, values, { notice: req.t('appeals.verify_sent') });
    } catch (err) {
      if (err instanceof HttpError && (err.fields || err.status === 409)) return formPage(p, req, reply, values, { fields: err.fields ? tr(req, err.fields) : { contactPhone: req.t(err.message) }, status: err.status });
      throw err;
    }
  });

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
        <CitizenPage c={c} v={await citizenView(p.db, a)} code={normalizeQueryCode(code)} notice={opts.notice} fields={opts.fields} />
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

  app.get<{ Querystring: Record<string, string> }>('/appeals/board', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query ?? {};
    const type = (APPEAL_TYPES as readonly string[]).includes(q.type) ? q.type : '';
    const category = /^[a-z0-9-]{1,40}$/.test(q.category ?? '') ? q.category : '';
    const department = /^[a-z0-9-]{1,32}$/.test(q.department ?? '') ? q.department : '';
    const month = /^\d{4}-\d{2}$/.test(q.month ?? '') ? q.month : '';
    const page = Math.max(1, Math.min(10000, Number(q.page) || 1));
    const [r, cats, depts] = await Promise.all([board(p.db, { type, category, department, month, page, pageSize: 20 }), listCategories(p.db), listDepartments(p.db)]);
    const href = (n: number) => `/appeals/board?${new URLSearchParams({ type, category, department, month, page: String(n) })}`;
    reply.header('cache-control', 'public, max-age=30');
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.board')}>
        <div class="appeals">
          <h1>{c.t('appeals.board')}</h1>
          <p>{c.t('appeals.board_intro')}</p>
          <form method="get" class="filters" aria-label={c.t('common.filter')}>
            <Select label={c.t('appeals.type')} name="type" value={type} blank={c.t('common.all')} options={APPEAL_TYPES.map((t) => ({ value: t, label: c.t(`appeals.type.${t}`) }))} />
            <Select label={c.t('appeals.category')} name="category" value={category} blank={c.t('common.all')} options={cats.map((x) => ({ value: x.code, label: x.name }))} />
            <Select label={c.t('appeals.department')} name="department" value={department} blank={c.t('common.all')} options={depts.filter((d) => d.active).map((d) => ({ value: d.code, label: d.name }))} />
            <Field label={c.t('appeals.month')} name="month" value={month} type="month" />
            <button type="submit">{c.t('common.filter')}</button>
          </form>
          {r.capped && <p class="muted">{c.t('appeals.total_capped', { n: 10000 })}</p>}
          <BoardList c={c} items={r.items} />
          <Pager c={c} page={page} pageSize={20} total={Math.min(r.total, 10000)} href={href} />
        </div>
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/appeals/published/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const a = await p.db.selectFrom('appeals').selectAll().where('pub_item_id', '=', id).where((eb) => isPublicAppeal(eb)).executeTakeFirst();
    if (!a) throw notFound();
    const item = await p.db.selectFrom('pub_items').select(['index_no', 'public']).where('id', '=', id).executeTakeFirstOrThrow();
    const text = (await publishedTexts(p.db, [id])).get(id)!;
    const c = req.ctx(reply);
    const cat = await p.db.selectFrom('appeal_categories').select('name').where('code', '=', a.category).executeTakeFirst();
    const dept = a.department_id ? await p.db.selectFrom('departments').select('name').where('id', '=', a.department_id).executeTakeFirst() : null;
    const media = (JSON.parse(a.media || '[]') as string[]).filter((h) => /^[0-9a-f]{64}$/.test(h));
    return reply.html(
      <PublicLayout c={c} title={text.title}>
        <div class="appeals">
          <p class="muted">{c.t('appeals.published_item')}</p>
          <h1>{text.title}</h1>
          <Dl
            rows={[
              ['索引号', item.index_no ?? ''],
              [c.t('appeals.type'), c.t(`appeals.type.${a.type}`)],
              [c.t('appeals.category'), cat?.name ?? a.category],
              [c.t('appeals.department'), dept?.name ?? '—'],
              [c.t('appeals.received_at'), fmtTime(a.created_at)],
              [c.t('appeals.replied_at'), fmtTime(a.replied_at)],
              [c.t('appeals.status'), statusLabel(c, a.status)],
              ...(a.rating ? ([[c.t('appeals.rating'), c.t(ratingLabel(a.rating))]] as [string, string][]) : []),
            ]}
          />
          <h2>{c.t('appeals.content')}</h2>
          <p class="appeal-text">{text.content}</p>
          <h2>{c.t('appeals.reply')}</h2>
          <p class="appeal-text appeal-reply">{text.reply}</p>
          {media.length > 0 && (
            <section>
              <h2>{c.t('appeals.media')}</h2>
              {media.map((h, i) => (
                <a href={`/appeals/media/${h}`}>
                  {c.t('appeals.media')} {i + 1}
                </a>
              ))}
            </section>
          )}
        </div>
      </PublicLayout>,
    );
  });

  app.get<{ Params: { hash: string } }>('/appeals/media/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const hash = req.params.hash;
    if (!/^[0-9a-f]{64}$/.test(hash)) throw notFound();
    const a = await p.db.selectFrom('appeals').select('id').where((eb) => isPublicAppeal(eb)).where('media', 'like', `%${hash}%`).executeTakeFirst();
    const info = a ? await fileInfo(p.db, hash) : null;
    if (!info) throw notFound();
    reply.header('content-type', info.mime).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff');
    return reply.send(readStored(p.config.dataDir, hash));
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/appeals/stats', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const d = (s?: string) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);
    const to = d(req.query.to) ?? new Date().toISOString().slice(0, 10);
    const from = d(req.query.from) ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    const s = await stats(p.db, from, to);
    const cats = new Map((await listCategories(p.db, true)).map((x) => [x.code, x.name]));
    const pct = (x: number | null) => (x === null ? '—' : `${x}%`);
    reply.header('cache-control', 'public, max-age=60');
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.stats')}>
        <div class="appeals">
          <h1>{c.t('appeals.stats')}</h1>
          <form method="get" class="filters">
            <Field label="from" name="from" type="date" value={from} />
            <Field label="to" name="to" type="date" value={to} />
            <button type="submit">{c.t('common.filter')}</button>
          </form>
          <p>{c.t('appeals.stats_period', { from, to })}</p>
          <ul class="appeal-kpis">
            <li><span>{c.t('appeals.stats.total')}</span> <strong>{s.total}</strong></li>
            <li><span>{c.t('appeals.stats.response_rate')}</span> <strong>{pct(s.responseRate)}</strong></li>
            <li><span>{c.t('appeals.stats.resolution_rate')}</span> <strong>{pct(s.resolutionRate)}</strong></li>
            <li><span>{c.t('appeals.stats.satisfaction_rate')}</span> <strong>{pct(s.satisfactionRate)}</strong></li>
            <li><span>{c.t('appeals.stats.avg_days')}</span> <strong>{s.averageHandlingDays ?? '—'}</strong></li>
          </ul>
          <p class="hint">{c.t('appeals.stats.definitions')}</p>
          <h2>{c.t('appeals.stats.hot')}</h2>
          <StatTable c={c} head={[c.t('appeals.category'), c.t('appeals.stats.count'), c.t('appeals.stats.previous')]} rows={s.hotTopics.map((h) => [cats.get(h.category) ?? h.category, h.n, h.previous])} />
          <h2>{c.t('appeals.stats.by_type')}</h2>
          <StatTable c={c} head={[c.t('appeals.type'), c.t('appeals.stats.count')]} rows={s.byType.map((r) => [c.t(`appeals.type.${r.key}`), r.n])} />
          <h2>{c.t('appeals.stats.by_category')}</h2>
          <StatTable c={c} head={[c.t('appeals.category'), c.t('appeals.stats.count')]} rows={s.byCategory.map((r) => [cats.get(r.key) ?? r.key, r.n])} />
          <h2>{c.t('appeals.stats.by_department')}</h2>
          <StatTable c={c} head={[c.t('appeals.department'), c.t('appeals.stats.count'), c.t('appeals.stats.replied'), c.t('appeals.stats.overdue')]} rows={s.byDepartment.map((r) => [r.name, r.n, r.replied, r.overdue])} />
          <h2>{c.t('appeals.stats.ratings')}</h2>
          <StatTable c={c} head={[c.t('appeals.rating'), c.t('appeals.stats.count')]} rows={s.ratings.map((r) => [c.t(ratingLabel(r.key)), r.n])} />
        </div>
      </PublicLayout>,
    );
  });
}

function StatTable({ head, rows }: { c: PageCtx; head: string[]; rows: (string | number)[][] }) {
  if (!rows.length) return <p class="empty">—</p>;
  return (
    <table class="appeal-stats">
      <thead>
        <tr>{head.map((h) => <th scope="col">{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>{r.map((x, i) => (i === 0 ? <th scope="row">{x}</th> : <td>{x}</td>))}</tr>
        ))}
      </tbody>
    </table>
  );
}

export function BoardList({ c, items }: { c: PageCtx; items: Awaited<ReturnType<typeof board>>['items'] }) {
  if (!items.length) return <Empty>{c.t('appeals.board_none')}</Empty>;
  return (
    <ul class="appeal-board">
      {items.map((i) => (
        <li>
          <h3>
            <a href={`/appeals/published/${i.pub_item_id}`}>{i.title_masked}</a>
          </h3>
          <p class="muted">
            {c.t(`appeals.type.${i.type}`)} · {i.department_name} · {fmtTime(i.created_at).slice(0, 10)}
            {i.rating && ` · ${c.t(ratingLabel(i.rating))}`}
          </p>
          <p>{(i.content_masked ?? '').slice(0, 120)}</p>
          {i.reply_masked && (
            <p class="appeal-reply">
              {c.t('appeals.reply')}：{i.reply_masked.slice(0, 120)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

export { validationError };
