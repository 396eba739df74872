// The online request form's pages: the form (Art. 29's fields), 请核对您填写的信息 (修改 brings the
// form back with every value and the identity proofs kept; 确认提交 registers the request) and the
// page after submitting with the tracking number and query code. The routes are public/intake.tsx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Csrf, Dl, ErrorSummary, Field, Notice, FileInput, Select, type PageCtx } from '../../../platform/render/index.js';
import type { KeptFiles } from '../../../platform/http/tickets.js';
import { CHANNELS_WANTED, FORMS_WANTED, ID_KINDS, REQUESTER_TYPES } from '../schema.js';
import { agencies, LIMITS, MAX_PROOFS, PROOF_LIMIT, type Registered } from '../service/intake.js';
import { typeLabel } from '../views.js';

/** The form's text fields. */
export const FORM_FIELDS = ['agency', 'requesterType', 'requesterName', 'idKind', 'idNumber', 'orgContact', 'contactPhone', 'contactEmail', 'contactAddress', 'contactFax', 'infoName', 'infoDocNo', 'infoDescription', 'formWanted', 'channelWanted'] as const;
export type FormValues = Partial<Record<(typeof FORM_FIELDS)[number], string>>;

function Req({ c }: { c: PageCtx }) {
  return (
    <>
      <span class="req" aria-hidden="true"> *</span>
      <span class="visually-hidden">{c.t('requests.required')}</span>
    </>
  );
}

/** A required choice among radio buttons, its error named next to it. */
export function Radios({ c, name, legend, options, value, error, hint }: { c: PageCtx; name: string; legend: string; options: { value: string; label: string; group?: string }[]; value?: string; error?: string; hint?: string }) {
  const groups = [...new Set(options.map((o) => o.group ?? ''))];
  return (
    <fieldset id={`f-${name}`} class={`radios${error ? ' has-error' : ''}`} aria-invalid={error ? 'true' : undefined} aria-describedby={[hint && `f-${name}-hint`, error && `f-${name}-err`].filter(Boolean).join(' ') || undefined}>
      <legend>
        {legend}
        <Req c={c} />
      </legend>
      {hint && (
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`f-${name}-err`}>
          {error}
        </p>
      )}
      {groups.map((g) => (
        <div class="radio-group">
          {g && <p class="radio-group-label">{g}</p>}
          {options
            .filter((o) => (o.group ?? '') === g)
            .map((o) => (
              <label class="check">
                <input type="radio" name={name} value={o.value} checked={value === o.value} required aria-invalid={error ? 'true' : undefined} /> {o.label}
              </label>
            ))}
        </div>
      ))}
    </fieldset>
  );
}

export const typeOptions = (c: PageCtx) => REQUESTER_TYPES.map((t) => ({ value: t, label: typeLabel(c, t), group: t === 'natural-person' ? '' : c.t('requests.type_group.org') }));

export async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: FormValues, opts: { fields?: Record<string, string>; error?: string; status?: number; kept?: KeptFiles | null } = {}) {
  const c = req.ctx(reply);
  const f = opts.fields ?? {};
  const list = await agencies(p.db);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('requests.new')}>
      <div class="requests">
        <h1>{c.t('requests.new')}</h1>
        <p>{c.t('requests.form_intro')}</p>
        <ErrorSummary c={c} fields={f} />
        {opts.error && <Notice kind="error">{opts.error}</Notice>}
        <form method="post" action="/disclosure-requests/new" enctype="multipart/form-data" class="stack request-form">
          <Csrf c={c} />
          <p class="hint">{c.t('requests.required_note')}</p>
          <Select label={c.t('requests.agency')} name="agency" value={values.agency} required error={f.agency} blank="—" options={list.map((a) => ({ value: a.value, label: a.value === 'government' ? c.t('requests.agency_government', { name: a.name }) : a.name }))} />
          <fieldset>
            <legend>{c.t('requests.requester')}</legend>
            <Radios c={c} name="requesterType" legend={c.t('requests.requester_type')} options={typeOptions(c)} value={values.requesterType} error={f.requesterType} />
            <Field label={c.t('requests.requester_name')} name="requesterName" value={values.requesterName} required maxLength={LIMITS.name} hint={c.t('requests.requester_name_hint')} error={f.requesterName} autocomplete="name" />
            <Select label={c.t('requests.id_kind')} name="idKind" value={values.idKind} required error={f.idKind} blank="—" options={ID_KINDS.map((k) => ({ value: k, label: c.t(`requests.id_kind.${k}`) }))} />
            <Field label={c.t('requests.id_number')} name="idNumber" value={values.idNumber} required maxLength={LIMITS.idNumber} error={f.idNumber} autocomplete="off" />
            <Field label={c.t('requests.org_contact')} name="orgContact" value={values.orgContact} maxLength={LIMITS.orgContact} hint={c.t('requests.org_contact_hint')} error={f.orgContact} />
            <div class={`field${f.idProof ? ' has-error' : ''}`}>
              <label for="f-idProof">
                {c.t('requests.id_proof', { mb: PROOF_LIMIT / 1024 / 1024, n: MAX_PROOFS })}
                <Req c={c} />
              </label>
              <p class="hint" id="f-idProof-hint">{c.t('requests.id_proof_hint')}</p>
              {f.idProof && (
                <p class="field-error" id="f-idProof-err">
                  {f.idProof}
                </p>
              )}
              {opts.kept && opts.kept.n > 0 && (
                <>
                  <p class="hint">{c.t('requests.proofs_kept', { n: opts.kept.n })}</p>
                  <input type="hidden" name="proofsKept" value={opts.kept.token} />
                </>
              )}
              <FileInput c={c} id="f-idProof" name="idProof" multiple accept="application/pdf,image/jpeg,image/png,image/gif,image/webp" invalid={!!f.idProof} describedBy={f.idProof ? 'f-idProof-hint f-idProof-err' : 'f-idProof-hint'} />
            </div>
          </fieldset>
          <fieldset>
            <legend>{c.t('requests.contact')}</legend>
            <p class="hint">{c.t('requests.contact_hint')}</p>
            <Field label={c.t('requests.contact_phone')} name="contactPhone" value={values.contactPhone} type="tel" inputMode="tel" maxLength={30} autocomplete="tel" error={f.contactPhone} />
            <Field label={c.t('requests.contact_email')} name="contactEmail" value={values.contactEmail} type="email" maxLength={200} autocomplete="email" error={f.contactEmail} />
            <Field label={c.t('requests.contact_address')} name="contactAddress" value={values.contactAddress} maxLength={LIMITS.address} autocomplete="street-address" error={f.contactAddress} />
            <Field label={c.t('requests.contact_fax')} name="contactFax" value={values.contactFax} type="tel" maxLength={30} error={f.contactFax} />
          </fieldset>
          <fieldset>
            <legend>{c.t('requests.info')}</legend>
            <Field label={c.t('requests.info_name')} name="infoName" value={values.infoName} required maxLength={LIMITS.infoName} error={f.infoName} />
            <Field label={c.t('requests.info_doc_no')} name="infoDocNo" value={values.infoDocNo} maxLength={LIMITS.docNo} hint={c.t('requests.info_doc_no_hint')} error={f.infoDocNo} />
            <Field label={c.t('requests.info_description')} name="infoDescription" value={values.infoDescription} required multiline rows={6} maxLength={LIMITS.description} hint={c.t('requests.info_description_hint')} error={f.infoDescription} />
          </fieldset>
          <Radios c={c} name="formWanted" legend={c.t('requests.form_wanted')} options={FORMS_WANTED.map((x) => ({ value: x, label: c.t(`requests.form.${x}`) }))} value={values.formWanted} error={f.formWanted} />
          <Radios c={c} name="channelWanted" legend={c.t('requests.channel_wanted')} options={CHANNELS_WANTED.map((x) => ({ value: x, label: c.t(`requests.wanted.${x}`) }))} value={values.channelWanted} error={f.channelWanted} />
          <div class="actions">
            <button type="submit" class="primary">{c.t('requests.next')}</button>
          </div>
        </form>
      </div>
    </PublicLayout>,
    opts.status,
  );
}

/** 请核对您填写的信息: every answer, then 修改 (the form again, values kept) or 确认提交. */
export async function checkPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: FormValues, ticket: string, proofs: number, opts: { notice?: string } = {}) {
  const c = req.ctx(reply);
  const agency = (await agencies(p.db)).find((a) => a.value === values.agency);
  const given = (v?: string) => (v && v.trim() ? v.trim() : <span class="muted">{c.t('requests.not_given')}</span>);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('requests.check_title')}>
      <div class="requests request-check">
        <h1>{c.t('requests.check_title')}</h1>
        {opts.notice && <Notice kind="warning">{opts.notice}</Notice>}
        <p>{c.t('requests.check_intro')}</p>
        <Dl
          rows={[
            [c.t('requests.agency'), agency ? (agency.value === 'government' ? c.t('requests.agency_government', { name: agency.name }) : agency.name) : ''],
            [c.t('requests.requester_type'), typeLabel(c, values.requesterType ?? '')],
            [c.t('requests.requester_name'), values.requesterName ?? ''],
            [c.t('requests.id_kind'), c.t(`requests.id_kind.${values.idKind}`)],
            [c.t('requests.id_number'), values.idNumber ?? ''],
            ...(values.orgContact ? [[c.t('requests.org_contact'), values.orgContact] as [string, string]] : []),
            [c.t('requests.id_proof_short'), c.t('requests.files_n', { n: proofs })],
            [c.t('requests.contact_phone'), given(values.contactPhone)],
            [c.t('requests.contact_email'), given(values.contactEmail)],
            [c.t('requests.contact_address'), given(values.contactAddress)],
            [c.t('requests.contact_fax'), given(values.contactFax)],
            [c.t('requests.info_name'), values.infoName ?? ''],
            [c.t('requests.info_doc_no'), given(values.infoDocNo)],
            [c.t('requests.info_description'), <div class="request-text">{values.infoDescription ?? ''}</div>],
            [c.t('requests.form_wanted'), c.t(`requests.form.${values.formWanted}`)],
            [c.t('requests.channel_wanted'), c.t(`requests.wanted.${values.channelWanted}`)],
          ]}
        />
        <form method="post" action="/disclosure-requests/new/confirm" class="request-confirm">
          <Csrf c={c} />
          {FORM_FIELDS.map((k) => values[k] !== undefined && values[k] !== '' && <input type="hidden" name={k} value={values[k]} />)}
          <input type="hidden" name="ticket" value={ticket} />
          <div class="actions">
            <button type="submit" formaction="/disclosure-requests/new/edit" class="secondary">{c.t('requests.edit')}</button>
            <button type="submit" class="primary">{c.t('requests.confirm')}</button>
          </div>
        </form>
      </div>
    </PublicLayout>,
  );
}

/** After 确认提交: the tracking number and the query code, shown this once, and what happens next. */
export function submittedPage(req: FastifyRequest, reply: FastifyReply, s: Registered) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('requests.submitted')}>
      <div class="requests">
        <h1>{c.t('requests.submitted')}</h1>
        <Notice kind="success">{c.t('requests.submitted_intro')}</Notice>
        <Dl
          rows={[
            [c.t('requests.tracking_no'), <strong class="tracking-no">{s.trackingNo}</strong>],
            [c.t('requests.query_code'), <strong class="query-code">{s.queryCode}</strong>],
          ]}
        />
        <p>{c.t('requests.submitted_next')}</p>
        <p>
          <a class="button primary" href={`/disclosure-requests/track?no=${s.trackingNo}`}>{c.t('requests.track_link')}</a>
        </p>
      </div>
    </PublicLayout>,
    201,
  );
}

/** A second 确认提交 of the same answers: nothing is registered twice. */
export function duplicatePage(req: FastifyRequest, reply: FastifyReply) {
  const c = req.ctx(reply);
  return reply.html(
    <PublicLayout c={c} title={c.t('requests.duplicate_title')}>
      <div class="requests">
        <h1>{c.t('requests.duplicate_title')}</h1>
        <Notice kind="warning">{c.t('requests.duplicate')}</Notice>
        <p>
          <a class="button primary" href="/disclosure-requests/track">{c.t('requests.track_link')}</a>
        </p>
      </div>
    </PublicLayout>,
    409,
  );
}
