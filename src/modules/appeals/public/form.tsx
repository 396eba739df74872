// The appeal form's pages: the form itself (address first; the map point is optional and set by
// "use my location" or the map, web/static/appeals-form.js), the "check your answers" page
// (请核对您填写的信息: 修改 back to the form with every value kept, 确认提交 creates the appeal) and
// the page after submitting. The routes are in intake.tsx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Csrf, Dl, ErrorSummary, Field, Notice, FileInput, zhLang } from '../../../platform/render/index.js';
import { fmtTime } from '../views.js';
import { listCategories, similarAppeals } from '../service/dispatch.js';
import { APPEAL_TYPES } from '../schema.js';
import type { Submitted } from '../service/intake.js';

export const PHOTO_LIMIT = 5 * 1024 * 1024;
export const MAX_PHOTOS = 6;

/** The form's fields, as text. */
export const FORM_FIELDS = ['type', 'category', 'title', 'content', 'address', 'lat', 'lng', 'contactName', 'contactPhone', 'contactEmail', 'verifyCode', 'consent'] as const;
export type FormValues = Partial<Record<(typeof FORM_FIELDS)[number], string>>;

/** Photos already uploaded (and cleaned) in an earlier step: their number and the signed list that carries them. */
export interface KeptPhotos {
  n: number;
  token: string;
}


export async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: FormValues, opts: { fields?: Record<string, string>; notice?: string; error?: string; similar?: boolean; status?: number; kept?: KeptPhotos | null } = {}) {
  const c = req.ctx(reply);
  const cats = await listCategories(p.db);
  const similar = opts.similar && (values.title || values.content) ? await similarAppeals(p.db, { title: values.title ?? '', content: values.content ?? '', lat: values.lat ? Number(values.lat) : null, lng: values.lng ? Number(values.lng) : null, category: values.category, published: true }) : null;
  // The map point has no text fields of its own: its errors are shown on the location part.
  const f = { ...(opts.fields ?? {}) };
  const badLat = !!f.lat;
  const badLng = !!f.lng;
  if (f.lat || f.lng) {
    f.point = c.t('appeals.err.point_invalid');
    delete f.lat;
    delete f.lng;
  }
  const groups = [...new Set(cats.map((x) => x.group_name))];
  const map = p.config.map;
  const hasPoint = !!(values.lat && values.lng);
  const req1 = (
    <>
      <span class="req" aria-hidden="true"> *</span>
      <span class="visually-hidden">{c.t('appeals.required')}</span>
    </>
  );
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('appeals.new')} description={c.t('appeals.meta.form', { name: c.gov.name })} canonical="/appeals/new">
      <div class="appeals">
        <h1>{c.t('appeals.new')}</h1>
        <p>{c.t('appeals.intro')}</p>
        <ErrorSummary c={c} fields={f} />
        {opts.error && <Notice kind="error">{opts.error}</Notice>}
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
        <form method="post" action="/appeals/new" enctype="multipart/form-data" class="stack appeal-form">
          <Csrf c={c} />
          <p class="hint">{c.t('appeals.required_note')}</p>
          <fieldset id="f-type" role="radiogroup" aria-required="true" aria-invalid={f.type ? 'true' : undefined} aria-describedby={f.type ? 'f-type-err' : undefined} class={f.type ? 'has-error' : undefined}>
            <legend>
              {c.t('appeals.type')}
              <span class="req" aria-hidden="true"> *</span>
              <span class="req-note">{c.t('appeals.required')}</span>
            </legend>
            {f.type && <p class="field-error" id="f-type-err">{f.type}</p>}
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
              {req1}
            </label>
            {f.category && <p class="field-error" id="f-category-err">{f.category}</p>}
            <select id="f-category" name="category" required aria-invalid={f.category ? 'true' : undefined} aria-describedby={f.category ? 'f-category-err' : undefined}>
              <option value="">—</option>
              {groups.map((g) => (
                <optgroup label={g || '—'} lang={zhLang(c)}>
                  {cats.filter((x) => x.group_name === g).map((x) => (
                    <option value={x.code} selected={values.category === x.code}>{x.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <Field label={c.t('appeals.field.title')} name="title" value={values.title} required maxLength={100} error={f.title} />
          <Field label={c.t('appeals.content')} name="content" value={values.content} required multiline rows={8} maxLength={5000} hint={c.t('appeals.content_hint')} error={f.content} />
          <fieldset class="appeal-where">
            <legend>{c.t('appeals.where')}</legend>
            {/* 事发地址: where the problem is, mostly not the citizen's own address, so no token of
                theirs (WCAG 1.3.5 concerns information about the user; a browser filling in their
                home address would report the problem there). A one-line field may never take
                street-address, the token of a multi-line address (HTML autofill, control group). */}
            <Field label={c.t('appeals.address')} name="address" value={values.address} maxLength={200} hint={c.t('appeals.address_hint')} error={f.address} autocomplete="off" />
            {/* The map point: hidden values, set by "use my location" or the map (appeals-form.js). */}
            <div
              class={`appeal-point${f.point ? ' has-error' : ''}`}
              id="f-point"
              tabIndex={-1}
              data-locate={c.t('appeals.locate')}
              data-locating={c.t('appeals.locating')}
              data-failed={c.t('appeals.locate_failed')}
              data-set={c.t('appeals.point_set')}
              data-tiles={map?.tileUrl}
              data-center={map ? `${map.center.lat},${map.center.lng},${map.center.zoom}` : undefined}
              data-attribution={map?.attribution || undefined}
              data-map={map ? c.t('appeals.map') : undefined}
              data-zoom-in={map ? c.t('appeals.map_in') : undefined}
              data-zoom-out={map ? c.t('appeals.map_out') : undefined}
            >
              {f.point && <p class="field-error">{f.point}</p>}
              <input type="hidden" name="lat" id="f-lat" value={values.lat ?? ''} aria-invalid={badLat ? 'true' : undefined} />
              <input type="hidden" name="lng" id="f-lng" value={values.lng ?? ''} aria-invalid={badLng ? 'true' : undefined} />
              <p class="point-status" role="status">
                {hasPoint ? c.t('appeals.point_set', { lat: values.lat!, lng: values.lng! }) : ''}
              </p>
              {hasPoint && (
                <label class="check point-clear">
                  <input type="checkbox" name="clearPoint" value="1" /> {c.t('appeals.point_clear')}
                </label>
              )}
            </div>
          </fieldset>
          <div class={`field${f.photos ? ' has-error' : ''}`}>
            <label for="f-photos">{c.t('appeals.photos', { mb: PHOTO_LIMIT / 1024 / 1024 })}</label>
            {f.photos && <p class="field-error" id="f-photos-err">{f.photos}</p>}
            {opts.kept && opts.kept.n > 0 && (
              <>
                <p class="hint" id="f-photos-hint">{c.t('appeals.photos_kept', { n: opts.kept.n })}</p>
                <input type="hidden" name="photosKept" value={opts.kept.token} />
                <label class="check">
                  <input type="checkbox" name="dropPhotos" value="1" /> {c.t('appeals.photos_drop')}
                </label>
              </>
            )}
            <FileInput c={c} id="f-photos" name="photos" multiple accept="image/jpeg,image/png,image/gif,image/webp" invalid={!!f.photos} describedBy={f.photos ? 'f-photos-err' : undefined} />
          </div>
          <fieldset>
            <legend>{c.t('appeals.contact')}</legend>
            <p class="hint">{c.t('appeals.contact_hint')}</p>
            <Field label={c.t('appeals.contact_name')} name="contactName" value={values.contactName} maxLength={50} autocomplete="name" error={f.contactName} />
            <Field label={c.t('appeals.contact_phone')} name="contactPhone" value={values.contactPhone} required type="tel" inputMode="numeric" maxLength={20} autocomplete="tel" error={f.contactPhone} />
            <Field label={c.t('appeals.contact_email')} name="contactEmail" value={values.contactEmail} type="email" maxLength={200} autocomplete="email" error={f.contactEmail} />
            <Field label={c.t('appeals.verify_code')} name="verifyCode" value={values.verifyCode} inputMode="numeric" maxLength={6} hint={c.t('appeals.verify_hint')} error={f.verifyCode} autocomplete="one-time-code" />
            <button type="submit" formaction="/appeals/verify" formenctype="application/x-www-form-urlencoded" formnovalidate class="secondary">
              {c.t('appeals.verify_send')}
            </button>
          </fieldset>
          <label class="check">
            <input type="checkbox" name="consent" value="1" checked={values.consent === '1'} aria-describedby="consent-hint" /> {c.t('appeals.consent')}
          </label>
          <p class="hint" id="consent-hint">{c.t('appeals.consent_hint')}</p>
          <div class="actions">
            <button type="submit" formaction="/appeals/new/similar" formenctype="application/x-www-form-urlencoded" formnovalidate class="secondary">
              {c.t('appeals.check_similar')}
            </button>
            <button type="submit" class="primary">{c.t('appeals.next')}</button>
          </div>
        </form>
        <script src="/static/appeals-form.js" defer></script>
      </div>
    </PublicLayout>,
    opts.status,
  );
}

/** 请核对您填写的信息: every answer, then 修改 (the form again, values kept) or 确认提交. */
export async function checkPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: FormValues, ticket: string, photos: number, opts: { notice?: string } = {}) {
  const c = req.ctx(reply);
  const cat = values.category ? await p.db.selectFrom('appeal_categories').select('name').where('code', '=', values.category).executeTakeFirst() : null;
  const given = (v?: string) => (v && v.trim() ? v.trim() : <span class="muted">{c.t('appeals.not_given')}</span>);
  const hasPoint = !!(values.lat && values.lng);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('appeals.check_title')}>
      <div class="appeals appeal-check">
        <h1>{c.t('appeals.check_title')}</h1>
        {opts.notice && <Notice kind="warning">{opts.notice}</Notice>}
        <p>{c.t('appeals.check_intro')}</p>
        <Dl
          rows={[
            [c.t('appeals.type'), c.t(`appeals.type.${values.type}`)],
            [c.t('appeals.category'), cat?.name ?? values.category ?? ''],
            [c.t('appeals.field.title'), values.title ?? ''],
            [c.t('appeals.content'), <div class="appeal-text">{values.content ?? ''}</div>],
            [c.t('appeals.address'), given(values.address)],
            ...(hasPoint ? [[c.t('appeals.location'), c.t('appeals.point_value', { lat: values.lat!, lng: values.lng! })] as [string, string]] : []),
            [c.t('appeals.media'), photos ? c.t('appeals.photos_n', { n: photos }) : <span class="muted">{c.t('appeals.none_given')}</span>],
            [c.t('appeals.contact_name'), given(values.contactName)],
            [c.t('appeals.contact_phone'), values.contactPhone ?? ''],
            [c.t('appeals.email'), given(values.contactEmail)],
            ...(values.verifyCode ? [[c.t('appeals.verify_code'), c.t('appeals.verify_given')] as [string, string]] : []),
            [c.t('appeals.consent_label'), values.consent === '1' ? c.t('appeals.consent_yes') : c.t('appeals.consent_no')],
          ]}
        />
        <form method="post" action="/appeals/new/confirm" class="appeal-confirm">
          <Csrf c={c} />
          {FORM_FIELDS.map((k) => values[k] !== undefined && values[k] !== '' && <input type="hidden" name={k} value={values[k]} />)}
          <input type="hidden" name="ticket" value={ticket} />
          <div class="actions">
            <button type="submit" formaction="/appeals/new/edit" class="secondary">{c.t('appeals.edit')}</button>
            <button type="submit" class="primary" data-submitting={c.t('appeals.submitting')}>{c.t('appeals.confirm')}</button>
          </div>
        </form>
        <script src="/static/appeals-form.js" defer></script>
      </div>
    </PublicLayout>,
  );
}

/** After 确认提交: the tracking number and the query code, shown this once. */
export function submittedPage(req: FastifyRequest, reply: FastifyReply, s: Submitted) {
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
}

/** A second 确认提交 of the same answers: nothing is created twice. */
export function duplicatePage(req: FastifyRequest, reply: FastifyReply) {
  const c = req.ctx(reply);
  return reply.html(
    <PublicLayout c={c} title={c.t('appeals.duplicate_title')}>
      <div class="appeals">
        <h1>{c.t('appeals.duplicate_title')}</h1>
        <Notice kind="warning">{c.t('appeals.duplicate')}</Notice>
        <p>
          <a class="button primary" href="/appeals/track">{c.t('appeals.track_link')}</a>
        </p>
      </div>
    </PublicLayout>,
    409,
  );
}
