// Console of hearings: /admin/decisions/{id}/hearings/new (create and announce) and
// /admin/hearings/{hid} (the hearing's work: announce a draft, the applicants with their contacts,
// prepare and run the draw, materials, the record and the signatures, the attendance list). Every
// action checks the hearing's department (service/access.ts); the outcome comes back as a notice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError, badRequest, notFound, validationError } from '../../../platform/errors.js';
import { AdminLayout, Csrf, Dl, Empty, ErrorSummary, Field, FileInput, Notice, TableWrap, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { hasMessage } from '../../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { mayDo, decisionFor } from '../service/access.js';
import { addMaterials, announceHearing, cancelHearing, applicantsFor, createHearing, hearingView, LIMITS, markSigned, MAX_WITNESSES, noticeDays, prepareHearingDraw, runHearingDraw, uploadRecord } from '../service/hearings.js';
import { attendanceList } from '../service/attendance.js';

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');
type Body = Record<string, unknown>;

/** An expected error as messages for the page (null: not ours to show). */
function errorText(req: FastifyRequest, err: unknown): { fields: Record<string, string>; error: string } | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404 || err.status === 403) return null;
  const params = err.params ? Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, typeof v === 'string' && hasMessage(v) ? req.t(v) : v])) : undefined;
  const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [k, req.t(v, params)]));
  return { fields, error: err.message === 'err.validation' ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ') : req.t(err.message, params) };
}

/** A datetime-local value (Beijing wall time) as an ISO instant with +08:00. */
const fromLocal = (v: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v) ? `${v}:00+08:00` : v);

/** The uploaded files of a multipart form (name and base64 content), with the text fields. */
async function readFiles(req: FastifyRequest): Promise<{ files: { filename: string; content: string }[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw badRequest('err.file.multipart');
  const files: { filename: string; content: string }[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (part.filename && buf.length) files.push({ filename: part.filename, content: buf.toString('base64') });
      } else fields[part.fieldname] = String(part.value ?? '');
    }
  } catch (err: any) {
    if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'payload_too_large', 'err.file.too_large', undefined, { limit: Math.floor(req.server.gk.config.uploadLimit / 1024 / 1024) });
    throw err;
  }
  if (!files.length) throw validationError({ file: 'err.field.required' });
  return { files, fields };
}

async function newPage(p: Platform, req: FastifyRequest, reply: FastifyReply, decisionId: number, values: Record<string, string>, err?: { fields: Record<string, string>; error: string }, status?: number) {
  const c = req.ctx(reply);
  const d = await decisionFor(p.db, req.user!, decisionId, 'major-decision.edit');
  const f = err?.fields ?? {};
  return reply.html(
    <AdminLayout c={c} title={c.t('decisions.hearings.new_h')}>
      <h1>{c.t('decisions.hearings.new_h')}</h1>
      <p>
        <a href={`/admin/decisions/${d.id}`} lang={zhLang(c)}>
          {d.title}
        </a>
      </p>
      <p class="hint">{c.t('decisions.hearings.notice_rule', { days: await noticeDays(p.db) })}</p>
      {err && !Object.keys(f).length && <Notice kind="error">{err.error}</Notice>}
      <ErrorSummary c={c} fields={f} />
      <form method="post" action={`/admin/decisions/${d.id}/hearings/new`} class="stack">
        <Csrf c={c} />
        <Field label={c.t('decisions.hearings.title')} name="title" value={values.title} required maxLength={LIMITS.title} error={f.title} />
        <Field label={c.t('decisions.hearings.starts_at')} name="startsAt" type="datetime-local" value={values.startsAt} required error={f.startsAt} hint={c.t('decisions.hearings.beijing_time')} />
        <Field label={c.t('decisions.hearings.place')} name="place" value={values.place} required maxLength={LIMITS.place} error={f.place} />
        <Field label={c.t('decisions.hearings.selection_method')} name="selectionMethod" value={values.selectionMethod} required multiline rows={4} maxLength={LIMITS.method} error={f.selectionMethod} />
        <Field label={c.t('decisions.hearings.participants')} name="participants" type="number" value={values.participants} required error={f.participants} />
        <div class="field">
          <label>
            <input type="checkbox" name="stratified" value="1" checked={values.stratified === '1'} /> {c.t('decisions.hearings.stratified')}
          </label>
        </div>
        <Field label={c.t('decisions.hearings.registration_closes')} name="registrationClosesAt" type="datetime-local" value={values.registrationClosesAt} required error={f.registrationClosesAt} hint={c.t('decisions.hearings.beijing_time')} />
        <Field label={c.t('decisions.hearings.attendance_capacity')} name="attendanceCapacity" type="number" value={values.attendanceCapacity ?? '0'} error={f.attendanceCapacity} />
        <div class="actions">
          <button type="submit" class="primary">
            {c.t('decisions.hearings.create_announce')}
          </button>
        </div>
      </form>
    </AdminLayout>,
    status,
  );
}

async function hearingPage(p: Platform, req: FastifyRequest, reply: FastifyReply, hid: number, msg?: { error?: string; done?: string }, status?: number) {
  const c = req.ctx(reply);
  const { hearing: h, applicants } = await applicantsFor(p, req.user!, hid);
  const v = await hearingView(p.db, h);
  const edit = mayDo(req.user!, 'major-decision.edit', h.department_id);
  const attendance = await attendanceList(p.db, h.id);
  const action = (a: string) => `/admin/hearings/${h.id}/${a}`;
  reply.header('cache-control', 'no-store');
  return reply.html(
    <AdminLayout c={c} title={h.title}>
      <h1 lang={zhLang(c)}>{h.title}</h1>
      {msg?.error && <Notice kind="error">{msg.error}</Notice>}
      {msg?.done && <Notice kind="success">{msg.done}</Notice>}
      <Dl
        rows={[
          [c.t('decisions.hearings.state'), c.t(`decisions.hearings.state.${h.state}`)],
          [c.t('decisions.hearings.starts_at'), shanghaiDateTime(h.starts_at)],
          [c.t('decisions.hearings.place'), <span lang={zhLang(c)}>{h.place}</span>],
          [c.t('decisions.hearings.participants'), String(h.participants)],
          [c.t('decisions.hearings.selection'), c.t(h.stratified ? 'decisions.hearings.stratified' : 'decisions.hearings.not_stratified')],
          [c.t('decisions.hearings.registration_closes'), shanghaiDateTime(h.registration_closes_at)],
          [c.t('decisions.hearings.attendance_capacity'), String(h.attendance_capacity)],
        ]}
      />
      <p>
        <a href={`/admin/decisions/${h.decision_id}`}>{c.t('decisions.hearings.decision')}</a>
        {h.state !== 'draft' && (
          <>
            {' · '}
            <a href={`/decisions/hearings/${h.id}`}>{c.t('decisions.hearings.public_page')}</a>
          </>
        )}
      </p>
      {edit && h.state === 'draft' && (
        <form method="post" action={action('announce')}>
          <Csrf c={c} />
          <button type="submit" class="primary">
            {c.t('decisions.hearings.announce')}
          </button>
        </form>
      )}

      <h2>{c.t('decisions.hearings.applicants_h', { n: applicants.length })}</h2>
      {applicants.length === 0 ? (
        <Empty>{c.t('decisions.hearings.no_applicants')}</Empty>
      ) : (
        <form method="post" action={action('signatures')}>
          <Csrf c={c} />
          <TableWrap label={c.t('decisions.hearings.applicants_h', { n: applicants.length })}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('decisions.hearings.ref')}</th>
                  <th scope="col">{c.t('decisions.hearings.name')}</th>
                  <th scope="col">{c.t('decisions.hearings.contact')}</th>
                  <th scope="col">{c.t('decisions.hearings.viewpoint')}</th>
                  <th scope="col">{c.t('decisions.hearings.reason')}</th>
                  <th scope="col">{c.t('decisions.hearings.selected')}</th>
                  <th scope="col">{c.t('decisions.hearings.signed')}</th>
                </tr>
              </thead>
              <tbody>
                {applicants.map((a) => (
                  <tr>
                    <td>{a.ref}</td>
                    <td lang={zhLang(c)}>{a.name}</td>
                    <td>{[a.phone, a.email].filter(Boolean).join(' / ')}</td>
                    <td>{c.t(`decisions.hearings.viewpoint.${a.viewpoint}`)}</td>
                    <td lang={zhLang(c)} class="pre-line">
                      {a.reason}
                    </td>
                    <td>{a.selected ? c.t('decisions.hearings.signed_yes') : ''}</td>
                    <td>
                      {a.signed_at ? (
                        shanghaiDateTime(a.signed_at)
                      ) : a.selected && h.state === 'held' && edit ? (
                        <label>
                          <input type="checkbox" name="refs" value={a.ref} /> {c.t('decisions.hearings.mark_signed')}
                        </label>
                      ) : (
                        ''
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {h.state === 'held' && edit && (
            <div class="actions">
              <button type="submit">{c.t('decisions.hearings.save_signatures')}</button>
            </div>
          )}
        </form>
      )}

      <h2>{c.t('decisions.hearings.draw_h')}</h2>
      {!v.draw && edit && h.state === 'announced' && (
        <form method="post" action={action('prepare')} class="stack">
          <Csrf c={c} />
          <p class="hint">{c.t('decisions.hearings.prepare_hint')}</p>
          {[0, 1, 2].map((i) => (
            <fieldset>
              <legend>{c.t('decisions.hearings.witness_n', { n: i + 1 })}</legend>
              <Field label={c.t('decisions.hearings.witness')} name={`witness${i}`} id={`f-witness${i}`} maxLength={LIMITS.witnessName} required={i < 2} />
              <Field label={c.t('decisions.hearings.commitment')} name={`commitment${i}`} id={`f-commitment${i}`} maxLength={64} required={i < 2} autocomplete="off" />
            </fieldset>
          ))}
          <div class="actions">
            <button type="submit">{c.t('decisions.hearings.prepare')}</button>
          </div>
        </form>
      )}
      {v.draw?.status === 'prepared' && edit && (
        <form method="post" action={action('draw')} class="stack">
          <Csrf c={c} />
          {v.draw.witnesses.map((w, i) => (
            <Field label={c.t('decisions.hearings.secret_of', { name: w.name })} name={`secret${i}`} id={`f-secret${i}`} maxLength={LIMITS.secret} required autocomplete="off" />
          ))}
          <Field label={c.t('decisions.hearings.beacon')} name="beacon" maxLength={LIMITS.beacon} />
          <div class="actions">
            <button type="submit" class="primary">
              {c.t('decisions.hearings.draw')}
            </button>
          </div>
        </form>
      )}
      {v.draw?.status === 'done' && (
        <p>
          {c.t('decisions.hearings.draw_done', { n: v.draw.applicants.length, at: shanghaiDateTime(v.draw.drawnAt) })} <a href={`/api/v1/hearings/${h.id}/draw`}>{c.t('decisions.hearings.draw_record_link')}</a>
        </p>
      )}

      <h2>{c.t('decisions.hearings.materials_h')}</h2>
      {v.materials.length ? (
        <ul>
          {v.materials.map((m) => (
            <li>{m.name}</li>
          ))}
        </ul>
      ) : (
        <Empty>{c.t('decisions.hearings.no_materials')}</Empty>
      )}
      {edit && (h.state === 'announced' || h.state === 'drawn') && (
        <form method="post" action={action('materials')} enctype="multipart/form-data" class="stack">
          <Csrf c={c} />
          <p class="hint">{c.t('decisions.hearings.materials_rule')}</p>
          <FileInput c={c} id="f-materials" name="files" multiple />
          <div class="actions">
            <button type="submit">{c.t('decisions.hearings.upload')}</button>
          </div>
        </form>
      )}

      <h2>{c.t('decisions.hearings.record_h')}</h2>
      {v.record ? <p>{v.record.name}</p> : <Empty>{c.t('decisions.hearings.no_record')}</Empty>}
      {edit && (h.state === 'drawn' || h.state === 'held') && (
        <form method="post" action={action('record')} enctype="multipart/form-data" class="stack">
          <Csrf c={c} />
          <FileInput c={c} id="f-record" name="file" />
          <div class="actions">
            <button type="submit">{c.t('decisions.hearings.upload')}</button>
          </div>
        </form>
      )}

      <h2>{c.t('decisions.hearings.attend_h')}</h2>
      {attendance.length === 0 ? (
        <Empty>{c.t('decisions.hearings.no_attendance_yet')}</Empty>
      ) : (
        <TableWrap label={c.t('decisions.hearings.attend_h')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{c.t('decisions.hearings.name')}</th>
                <th scope="col">{c.t('decisions.hearings.contact')}</th>
                <th scope="col">{c.t('decisions.hearings.state')}</th>
                <th scope="col">{c.t('decisions.hearings.registered_at')}</th>
              </tr>
            </thead>
            <tbody>
              {attendance.map((a) => (
                <tr>
                  <td lang={zhLang(c)}>{a.name}</td>
                  <td>{[a.phone, a.email].filter(Boolean).join(' / ')}</td>
                  <td>{c.t(`decisions.hearings.attendance.${a.status}`)}</td>
                  <td>{shanghaiDateTime(a.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      {edit && (h.state === 'announced' || h.state === 'drawn') && (
        <section class="danger-zone">
          <h2>{c.t('decisions.hearings.cancel_hearing_h')}</h2>
          <form method="post" action={action('cancel')} class="stack">
            <Csrf c={c} />
            <Field label={c.t('decisions.hearings.cancel_reason')} name="reason" id="f-cancel-reason" multiline rows={3} required maxLength={LIMITS.cancelReason} hint={c.t('decisions.hearings.cancel_reason_hint')} />
            <label class="check">
              <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.hearings.cancel_confirm')}
            </label>
            <div class="actions">
              <button type="submit">{c.t('decisions.hearings.cancel_hearing')}</button>
            </div>
          </form>
        </section>
      )}
      {h.state === 'cancelled' && (
        <Notice kind="info">
          {c.t('decisions.hearings.cancelled_notice', { at: shanghaiDateTime(h.cancelled_at ?? h.updated_at) })} <span lang={zhLang(c)}>{h.cancel_reason}</span>
        </Notice>
      )}
    </AdminLayout>,
    status,
  );
}

/** The outcomes an action redirects with (decisions.hearings.done.<name>). */
const DONE = ['announced', 'prepared', 'drawn', 'materials', 'record', 'signatures', 'cancelled'];

const NEW_FIELDS = ['title', 'startsAt', 'place', 'selectionMethod', 'participants', 'stratified', 'registrationClosesAt', 'attendanceCapacity'];

export async function hearingConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>('/admin/decisions/:id/hearings/new', { config: { permission: 'major-decision.edit' } }, async (req, reply) => newPage(p, req, reply, idOf(req.params.id), {}));
  app.post<{ Params: { id: string } }>('/admin/decisions/:id/hearings/new', { config: { permission: 'major-decision.edit' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const values = Object.fromEntries(NEW_FIELDS.map((k) => [k, str(b[k]).slice(0, 3000)]));
    const int = (s: string) => (/^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : s === '' ? undefined : -1);
    try {
      const h = await createHearing(p, req.user!, id, {
        title: values.title,
        startsAt: fromLocal(values.startsAt),
        place: values.place,
        selectionMethod: values.selectionMethod,
        participants: int(values.participants),
        stratified: values.stratified === '1',
        registrationClosesAt: fromLocal(values.registrationClosesAt),
        attendanceCapacity: int(values.attendanceCapacity) ?? 0,
      });
      return reply.redirect(`/admin/hearings/${h.id}`, 303);
    } catch (err) {
      const e = errorText(req, err);
      if (!e) throw err;
      return newPage(p, req, reply, id, values, e, (err as HttpError).status);
    }
  });

  app.get<{ Params: { hid: string }; Querystring: Record<string, unknown> }>('/admin/hearings/:hid', { config: { permission: 'major-decision.read' } }, async (req, reply) => {
    const done = typeof req.query.done === 'string' && DONE.includes(req.query.done) ? req.query.done : '';
    return hearingPage(p, req, reply, idOf(req.params.hid), done ? { done: req.t(`decisions.hearings.done.${done}`) } : undefined);
  });

  /** One action of the hearing page: run it, then show the page with its outcome. */
  const act = (path: string, multipart: boolean, run: (hid: number, req: FastifyRequest) => Promise<unknown>, done: string) =>
    app.post<{ Params: { hid: string } }>(`/admin/hearings/:hid/${path}`, { config: { permission: 'major-decision.edit', ...(multipart ? { csrf: 'multipart' as const } : {}) } }, async (req, reply) => {
      const hid = idOf(req.params.hid);
      try {
        await run(hid, req);
      } catch (err) {
        const e = errorText(req, err);
        if (!e) throw err;
        return hearingPage(p, req, reply, hid, { error: e.error }, (err as HttpError).status);
      }
      // Post/redirect/get: reloading the page does not repeat the action.
      return reply.redirect(`/admin/hearings/${hid}?done=${done.split('.').pop()}`, 303);
    });
  const body = (req: FastifyRequest) => (req.body ?? {}) as Body;
  act('announce', false, (hid, req) => announceHearing(p, req.user!, hid), 'decisions.hearings.done.announced');
  act(
    'prepare',
    false,
    (hid, req) => {
      const b = body(req);
      const witnesses = Array.from({ length: MAX_WITNESSES }, (_, i) => ({ name: str(b[`witness${i}`]), commitment: str(b[`commitment${i}`]) })).filter((w) => w.name || w.commitment);
      return prepareHearingDraw(p, req.user!, hid, { witnesses });
    },
    'decisions.hearings.done.prepared',
  );
  act(
    'draw',
    false,
    (hid, req) => {
      const b = body(req);
      const secrets = Array.from({ length: MAX_WITNESSES }, (_, i) => b[`secret${i}`]).filter((s): s is string => typeof s === 'string');
      return runHearingDraw(p, req.user!, hid, { secrets, beacon: str(b.beacon) });
    },
    'decisions.hearings.done.drawn',
  );
  act('materials', true, async (hid, req) => addMaterials(p, req.user!, hid, { files: (await readFiles(req)).files }), 'decisions.hearings.done.materials');
  act('record', true, async (hid, req) => uploadRecord(p, req.user!, hid, { file: (await readFiles(req)).files[0] }), 'decisions.hearings.done.record');
  act(
    'cancel',
    false,
    (hid, req) => {
      const b = body(req);
      // Confirmed on the form (a checkbox) before anything is sent to the registrants.
      if (b.confirm !== 'yes') throw validationError({ confirm: 'decisions.hearings.err.cancel_confirm' });
      return cancelHearing(p, req.user!, hid, { reason: str(b.reason) });
    },
    'decisions.hearings.done.cancelled',
  );
  act(
    'signatures',
    false,
    (hid, req) => {
      const r = body(req).refs;
      return markSigned(p, req.user!, hid, { refs: Array.isArray(r) ? r : typeof r === 'string' ? [r] : [] });
    },
    'decisions.hearings.done.signatures',
  );
}
