// The appeal form: photos (cleaned of their metadata before they are stored), similar published
// appeals before submitting, and the verification code for the citizen's phone or e-mail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Dl, ErrorSummary, Field, Notice } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import { storeFile, cleanImage } from '../../../platform/files/index.js';
import { requestVerification, submitAppeal, checkIntake, type IntakeInput } from '../service/intake.js';
import { fmtTime, tr } from '../views.js';
import { listCategories, similarAppeals } from '../service/dispatch.js';
import { APPEAL_TYPES } from '../schema.js';
import type { Limiter } from '../../../platform/http/limit.js';

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
export function intakePages(app: FastifyInstance, p: Platform, submitLimit: Limiter): void {
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
}
