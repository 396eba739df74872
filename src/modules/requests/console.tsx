// Console pages of disclosure requests: the work list of the caller's departments, staff entry of
// requests received in person, by post, fax or e-mail, one request with its steps (console/
// detail.tsx), and the identity proofs (the handling department only; each view audited).
import { localParams } from '../../platform/i18n/index.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, FileInput, Notice, Pager, Select, TableWrap, type PageCtx } from '../../platform/render/index.js';
import { can, type Principal } from '../../platform/auth/policy.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { contentDisposition, fileInfo, sendStoredFile } from '../../platform/files/index.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { CHANNELS_WANTED, FORMS_WANTED, ID_KINDS, INTAKE_CHANNELS, REQUEST_STATES, STAFF_CHANNELS } from './schema.js';
import { agencies, LIMITS, MAX_PROOFS, PROOF_LIMIT, submitRequest, type Registered } from './service/intake.js';
import { staffList } from './service/queries.js';
import { runAction, STAFF_ACTIONS } from './service/actions.js';
import { actorName, isOverdue, loadFor, mayActAsHead, mayViewIdentity } from './service.js';
import { channelLabel, stateLabel, staffView, tr, typeLabel } from './views.js';
import { RequestDetail } from './console/detail.js';
import type { Posted } from './console/reviews.js';
import { ReplyPanel, type ReplyPanelData } from './console/reply.js';
import { draftReply, letterData, loadReply, replyItems, wroteReply } from './service/replies.js';
import { letterHtml } from './service/letter.js';
import { holders } from '../../platform/auth/identity.js';
import { readStored } from '../../platform/files/index.js';
import { agencyName } from './views.js';
import { Radios, typeOptions, type FormValues } from './public/form.js';
import { pick, readForm, toInput } from './public/intake.js';

/** The stored letter's page: its inline styles, no scripts, no requests. */
const LETTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** An error as field messages for the page (null: not ours to show — 404s, server errors). */
function errorFields(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return tr(req, err.fields, params);
  return { _: req.t(err.message, params) };
}

async function intakeAgencies(p: Platform, user: Principal) {
  return (await agencies(p.db)).filter((a) => can(user, 'request.intake', { departmentId: a.departmentId }));
}

export async function consolePages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, string> }>('/admin/disclosure-requests', { config: { permission: 'request.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query ?? {};
    const state = [...REQUEST_STATES, 'open'].includes(q.state) ? q.state : '';
    const channel = (INTAKE_CHANNELS as readonly string[]).includes(q.channel) ? q.channel : '';
    const text = typeof q.q === 'string' ? q.q.slice(0, 50) : '';
    const overdue = q.overdue === '1';
    const pendingReview = q.pendingReview === '1';
    const page = Math.max(1, Math.min(100000, Number(q.page) || 1));
    const r = await staffList(p.db, req.user!, { state: state || undefined, channel: channel || undefined, q: text || undefined, overdue, pendingReview, page, pageSize: 30 });
    const href = (n: number) => `/admin/disclosure-requests?${new URLSearchParams({ state, channel, q: text, overdue: overdue ? '1' : '', pendingReview: pendingReview ? '1' : '', page: String(n) })}`;
    const today = todayShanghai();
    return reply.html(
      <AdminLayout c={c} title={c.t('requests.console')}>
        <h1>{c.t('requests.console')}</h1>
        <p class="hint">{c.t('requests.console_intro')}</p>
        {c.can('request.intake') && (
          <p>
            <a class="button primary" href="/admin/disclosure-requests/new">{c.t('requests.register')}</a>
          </p>
        )}
        <form method="get" class="filters">
          <Select label={c.t('requests.state')} name="state" value={state} blank={c.t('common.all')} options={[{ value: 'open', label: c.t('requests.open_only') }, ...REQUEST_STATES.map((s) => ({ value: s, label: stateLabel(c, s) }))]} />
          <Select label={c.t('requests.channel')} name="channel" value={channel} blank={c.t('common.all')} options={INTAKE_CHANNELS.map((s) => ({ value: s, label: channelLabel(c, s) }))} />
          <Field label={c.t('requests.search')} name="q" value={text} maxLength={50} />
          <label class="check">
            <input type="checkbox" name="overdue" value="1" checked={overdue} /> {c.t('requests.overdue_only')}
          </label>
          <label class="check">
            <input type="checkbox" name="pendingReview" value="1" checked={pendingReview} /> {c.t('requests.review_pending_only')}
          </label>
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{c.t('requests.none_found')}</Empty>
        ) : (
          <TableWrap label={c.t('requests.console')}>
            <table class="request-list">
              <thead>
                <tr>
                  <th scope="col">{c.t('requests.tracking_no')}</th>
                  <th scope="col">{c.t('requests.info_name')}</th>
                  <th scope="col">{c.t('requests.requester_type')}</th>
                  <th scope="col">{c.t('requests.handling_dept')}</th>
                  <th scope="col">{c.t('requests.state')}</th>
                  <th scope="col">{c.t('requests.received_on')}</th>
                  <th scope="col">{c.t('requests.due')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((x) => (
                  <tr>
                    <td>
                      <a href={`/admin/disclosure-requests/${x.id}`}>{x.tracking_no}</a>
                    </td>
                    <td>{x.info_name}</td>
                    <td>{typeLabel(c, x.requester_type)}</td>
                    <td>{x.department_name}</td>
                    <td>{stateLabel(c, x.state)}</td>
                    <td>{x.received_on ?? '—'}</td>
                    <td>
                      {x.due_date ?? '—'}
                      {isOverdue(x, today) && <span class="tag overdue"> {c.t('requests.overdue')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={30} total={r.total} href={href} />
      </AdminLayout>,
    );
  });

  // ---- staff entry: requests received in person, by post, fax or e-mail ----
  const entryPage = async (req: FastifyRequest, reply: FastifyReply, values: FormValues & { channel?: string; arrivedOn?: string }, opts: { fields?: Record<string, string>; done?: Registered; status?: number } = {}) => {
    const c = req.ctx(reply);
    const f = opts.fields ?? {};
    const list = await intakeAgencies(p, req.user!);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <AdminLayout c={c} title={c.t('requests.register')}>
        <h1>{c.t('requests.register')}</h1>
        <p class="hint">{c.t('requests.register_intro')}</p>
        {opts.done && (
          <Notice kind="success">
            <span class="register-done">{c.t('requests.registered', { no: opts.done.trackingNo, code: opts.done.queryCode })}</span> <a href={`/admin/disclosure-requests/${opts.done.id}`}>{c.t('requests.open_request')}</a>
          </Notice>
        )}
        <ErrorSummary c={c} fields={f} />
        <form method="post" action="/admin/disclosure-requests/new" enctype="multipart/form-data" class="stack request-form">
          <Csrf c={c} />
          <Radios c={c} name="channel" legend={c.t('requests.channel')} options={STAFF_CHANNELS.map((x) => ({ value: x, label: channelLabel(c, x) }))} value={values.channel} error={f.channel} hint={c.t('requests.channel_hint')} />
          <Field label={c.t('requests.arrived_on_staff')} name="arrivedOn" type="date" value={values.arrivedOn ?? todayShanghai()} required hint={c.t('requests.arrived_on_hint')} error={f.arrivedOn} />
          <Select label={c.t('requests.agency')} name="agency" value={values.agency} required error={f.agency} blank="—" options={list.map((a) => ({ value: a.value, label: a.value === 'government' ? c.t('requests.agency_government', { name: a.name }) : a.name }))} />
          <Radios c={c} name="requesterType" legend={c.t('requests.requester_type')} options={typeOptions(c)} value={values.requesterType} error={f.requesterType} />
          <Field label={c.t('requests.requester_name')} name="requesterName" value={values.requesterName} required maxLength={LIMITS.name} error={f.requesterName} />
          <Select label={c.t('requests.id_kind')} name="idKind" value={values.idKind} required error={f.idKind} blank="—" options={ID_KINDS.map((k) => ({ value: k, label: c.t(`requests.id_kind.${k}`) }))} />
          <Field label={c.t('requests.id_number')} name="idNumber" value={values.idNumber} required maxLength={LIMITS.idNumber} error={f.idNumber} />
          <Field label={c.t('requests.org_contact')} name="orgContact" value={values.orgContact} maxLength={LIMITS.orgContact} hint={c.t('requests.org_contact_hint')} error={f.orgContact} />
          <div class={`field${f.idProof ? ' has-error' : ''}`}>
            <label for="f-idProof">{c.t('requests.id_proof', { mb: PROOF_LIMIT / 1024 / 1024, n: MAX_PROOFS })}</label>
            {f.idProof && (
              <p class="field-error" id="f-idProof-err">
                {f.idProof}
              </p>
            )}
            <FileInput c={c} id="f-idProof" name="idProof" multiple accept="application/pdf,image/jpeg,image/png,image/gif,image/webp" invalid={!!f.idProof} describedBy={f.idProof ? 'f-idProof-err' : undefined} />
          </div>
          <Field label={c.t('requests.contact_phone')} name="contactPhone" value={values.contactPhone} maxLength={30} error={f.contactPhone} />
          <Field label={c.t('requests.contact_email')} name="contactEmail" value={values.contactEmail} maxLength={200} error={f.contactEmail} />
          <Field label={c.t('requests.contact_address')} name="contactAddress" value={values.contactAddress} maxLength={LIMITS.address} error={f.contactAddress} />
          <Field label={c.t('requests.contact_fax')} name="contactFax" value={values.contactFax} maxLength={30} error={f.contactFax} />
          <Field label={c.t('requests.info_name')} name="infoName" value={values.infoName} required maxLength={LIMITS.infoName} error={f.infoName} />
          <Field label={c.t('requests.info_doc_no')} name="infoDocNo" value={values.infoDocNo} maxLength={LIMITS.docNo} error={f.infoDocNo} />
          <Field label={c.t('requests.info_description')} name="infoDescription" value={values.infoDescription} required multiline rows={5} maxLength={LIMITS.description} error={f.infoDescription} />
          <Radios c={c} name="formWanted" legend={c.t('requests.form_wanted')} options={FORMS_WANTED.map((x) => ({ value: x, label: c.t(`requests.form.${x}`) }))} value={values.formWanted} error={f.formWanted} />
          <Radios c={c} name="channelWanted" legend={c.t('requests.channel_wanted')} options={CHANNELS_WANTED.map((x) => ({ value: x, label: c.t(`requests.wanted.${x}`) }))} value={values.channelWanted} error={f.channelWanted} />
          <button type="submit" class="primary">{c.t('requests.register_button')}</button>
        </form>
      </AdminLayout>,
      opts.status,
    );
  };

  app.get('/admin/disclosure-requests/new', { config: { permission: 'request.intake' } }, async (req, reply) => entryPage(req, reply, {}));
  app.post('/admin/disclosure-requests/new', { config: { permission: 'request.intake', csrf: 'multipart' } }, async (req, reply) => {
    const { raw, proofs, fields } = await readForm(p, req);
    const values = { ...pick(raw), channel: raw.channel, arrivedOn: raw.arrivedOn };
    if (Object.keys(fields).length) return entryPage(req, reply, values, { fields, status: 400 });
    try {
      const done = await submitRequest(p, req.user!, toInput(values, proofs, (raw.channel ?? '') as never, raw.arrivedOn));
      return entryPage(req, reply, {}, { done, status: 201 });
    } catch (err) {
      const f = errorFields(req, err);
      if (f) return entryPage(req, reply, values, { fields: f, status: (err as HttpError).status });
      throw err;
    }
  });

  // ---- one request ----
  const requestPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, fields?: Record<string, string>, status?: number, posted?: Posted) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const v = await staffView(p.db, req.user!, id);
    const c = req.ctx(reply);
    const done = (req.query as Record<string, string>)?.done === '1';
    const x = await loadReply(p.db, id);
    const panel: ReplyPanelData = {
      x,
      letter: x ? letterData(v.r, x, { agency: v.agency, signer: '' }) : null,
      items: x ? await replyItems(p.db, x.itemIds) : [],
      heads: x && (x.status === 'awaiting-approval' || x.status === 'approved') ? (await holders(p.db, 'request.approve-reply', v.r.department_id)).filter((h) => h.scope !== 'all').map((h) => h.displayName || h.username) : [],
      canApprove: mayActAsHead(req.user, 'request.approve-reply', v.r) && !(x && (await wroteReply(p.db, id, x, actorName(req.user!)))),
    };
    return reply.html(
      <AdminLayout c={c} title={v.r.tracking_no}>
        <p>
          <a href="/admin/disclosure-requests">{c.t('requests.back_to_list')}</a>
        </p>
        <RequestDetail c={c as PageCtx} v={v} fields={fields} done={done} posted={posted}>
          <ReplyPanel c={c as PageCtx} v={v} d={panel} f={fields ?? {}} />
        </RequestDetail>
      </AdminLayout>,
      status,
    );
  };
  app.get<{ Params: { id: string } }>('/admin/disclosure-requests/:id', { config: { permission: 'request.read' } }, async (req, reply) => requestPage(req, reply));

  app.get<{ Params: { id: string; n: string } }>('/admin/disclosure-requests/:id/identity/:n', { config: { permission: 'request.identity' } }, async (req, reply) => {
    const id = Number(req.params.id);
    const n = Number(req.params.n);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647 || !Number.isInteger(n) || n < 0 || n > 10) throw notFound();
    const r = await loadFor(p.db, req.user!, id);
    if (!mayViewIdentity(req.user, r)) throw notFound();
    const proof = (JSON.parse(r.id_proofs || '[]') as { hash: string; name: string }[])[n];
    const info = proof ? await fileInfo(p.db, proof.hash) : null;
    if (!info) throw notFound();
    await p.tx((t) => p.audit(t, { actor: actorName(req.user!), action: 'request.identity_view', entity: 'disclosure_request', entityId: id, details: { file: n, hash: proof.hash } }));
    return sendStoredFile(reply, p.config.dataDir, proof.name, info, 'private, no-store');
  });

  app.post<{ Params: { id: string; action: string } }>('/admin/disclosure-requests/:id/:action', { config: { permission: 'request.read' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647 || !(STAFF_ACTIONS as readonly string[]).includes(req.params.action)) throw notFound();
    const b = { ...((req.body ?? {}) as Record<string, unknown>) };
    delete b._csrf;
    try {
      // One value per field: a field sent twice is refused, naming it.
      const twice = Object.keys(b).find((k) => typeof b[k] !== 'string');
      if (twice) throw new HttpError(400, 'validation', 'err.validation', { [twice]: 'err.field.invalid' });
      if (req.params.action === 'refer' && b.confirm !== 'yes') throw new HttpError(400, 'validation', 'err.validation', { confirm: 'requests.err.confirm_refer' });
      if (req.params.action === 'reply-sign' && b.confirm !== 'yes') throw new HttpError(400, 'validation', 'err.validation', { confirm: 'requests.err.confirm_sign' });
      if (req.params.action === 'refer' || req.params.action === 'reply-sign') delete b.confirm;
      await loadFor(p.db, req.user!, id);
      await runAction(p, req.user!, id, req.params.action, b);
      return reply.redirect(`/admin/disclosure-requests/${id}?done=1`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.status === 403) throw err;
      const f = errorFields(req, err);
      if (f) return requestPage(req, reply, f, (err as HttpError).status, { action: req.params.action, values: Object.fromEntries(Object.entries(b).map(([k, x]) => [k, String(x)])) });
      throw err;
    }
  });

  // ---- the reply: files, the print view, the signed letter ----
  const withReply = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const r = await loadFor(p.db, req.user!, id);
    const x = await loadReply(p.db, id);
    if (!x) throw notFound();
    return { r, x };
  };

  app.post<{ Params: { id: string } }>('/admin/disclosure-requests/:id/reply-attachments', { config: { permission: 'request.read', csrf: 'multipart' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const files: { buf: Buffer; name: string }[] = [];
    const raw: Record<string, string> = {};
    try {
      if (req.isMultipart())
        for await (const part of req.parts({ limits: { fileSize: p.config.uploadLimit, files: 10 } })) {
          if (part.type === 'file') {
            const buf = await part.toBuffer();
            if (buf.length || part.filename) files.push({ buf, name: part.filename ?? '' });
          } else if (typeof part.value === 'string') raw[part.fieldname] = part.value.slice(0, 200);
        }
      else Object.assign(raw, req.body ?? {});
      await draftReply(p, req.user!, id, { files, remove: raw.remove ? [raw.remove] : undefined, keepBody: true });
      return reply.redirect(`/admin/disclosure-requests/${id}?done=1#reply-h`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.status === 403) throw err;
      const f = errorFields(req, err) ?? (err && typeof err === 'object' && 'code' in err && String((err as { code: unknown }).code).startsWith('FST_') ? { attachments: req.t('requests.err.reply_attachments_many', { max: 10 }) } : null);
      if (f) return requestPage(req, reply, Object.fromEntries(Object.entries(f).map(([k, v]) => [k.startsWith('attachments') ? 'attachments' : k, v])), (err as HttpError).status ?? 400);
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/admin/disclosure-requests/:id/reply/print', { config: { permission: 'request.read' } }, async (req, reply) => {
    const { r, x } = await withReply(req);
    // The letter is a document of its own with its styles inline: allowed here, and nothing else.
    reply.header('content-security-policy', LETTER_CSP);
    if (x.letter_hash) return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'private, no-store').send(readStored(p.config.dataDir, x.letter_hash));
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'private, no-store').send(letterHtml(letterData(r, x, { agency: await agencyName(p.db, r) })));
  });

  app.get<{ Params: { id: string } }>('/admin/disclosure-requests/:id/reply/letter', { config: { permission: 'request.read' } }, async (req, reply) => {
    const { r, x } = await withReply(req);
    if (!x.letter_hash) throw notFound();
    return reply.header('content-type', 'text/html; charset=utf-8').header('content-disposition', contentDisposition(`告知书-${r.tracking_no}.html`)).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').header('content-security-policy', LETTER_CSP).send(readStored(p.config.dataDir, x.letter_hash));
  });

  app.get<{ Params: { id: string; n: string } }>('/admin/disclosure-requests/:id/reply/files/:n', { config: { permission: 'request.read' } }, async (req, reply) => {
    const { x } = await withReply(req);
    const a = x.attachments[Number(req.params.n)];
    const info = a ? await fileInfo(p.db, a.hash) : null;
    if (!a || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, a.name, info, 'private, no-store');
  });
}
