// A hearing on the portal: /decisions/hearings/{hid} — the notice, how to take part, the draw
// record and the selected participants (names masked), materials, the record (听证笔录) with the
// signatures, public attendance (列席). /apply and /attend are the forms (no JavaScript); the
// cancel code of an attendance is shown once and is only ever sent in a POST body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Dl, Empty, ErrorSummary, Field, Notice, PublicLayout, Select, TableWrap, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { fileInfo, humanSize, sendStoredFile } from '../../../platform/files/index.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { clientIp } from '../../../platform/http/auth.js';
import { applyToHearing, hearingView, LIMITS, publicFile, publicHearing, type FileRef, type HearingView } from '../service/hearings.js';
import { cancelAttendance, registerAttendance } from '../service/attendance.js';
import { VIEWPOINTS } from '../service/hearing-draw.js';

const base = (hid: number) => `/decisions/hearings/${hid}`;
const hidOf = (raw: string): number => (/^\d{1,9}$/.test(raw) ? Number(raw) : 0);
type Body = Record<string, unknown>;
const pick = (b: unknown, keys: string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, typeof (b as Body)?.[k] === 'string' ? ((b as Body)[k] as string).slice(0, 3000) : '']));

/** A service error as a form shows it: field messages, or one message for the whole form. */
function shown(req: FastifyRequest, err: unknown): { fields: Record<string, string>; error?: string; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)])), status: err.status };
  return { fields: {}, error: req.t(err.message, params), status: err.status };
}

function Files({ c, hid, files }: { c: PageCtx; hid: number; files: FileRef[] }) {
  return (
    <ul class="files">
      {files.map((f) => (
        <li>
          <a href={`${base(hid)}/files/${f.fileId}`} download={f.name}>
            {f.name}
          </a>{' '}
          <span class="muted">({humanSize(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function HearingBody({ c, v, department, decision }: { c: PageCtx; v: HearingView; department: string; decision: string }) {
  const draw = v.draw;
  return (
    <div class="hearing">
      <p class="status">
        <span class={`badge state-${v.state}`}>{c.t(`decisions.hearings.state.${v.state}`)}</span>
      </p>
      {v.cancelledAt && (
        <div class="notice" role="status">
          <p>
            <strong>{c.t('decisions.hearings.cancelled_notice', { at: shanghaiDateTime(v.cancelledAt) })}</strong>
          </p>
          <p lang={zhLang(c)} class="pre-line">
            {v.cancelReason}
          </p>
        </div>
      )}
      <Dl
        rows={[
          [c.t('decisions.hearings.decision'), <a href={`/decisions/${v.decisionId}`} lang={zhLang(c)}>{decision}</a>],
          [c.t('decisions.hearings.department'), <span lang={zhLang(c)}>{department}</span>],
          [c.t('decisions.hearings.starts_at'), shanghaiDateTime(v.startsAt)],
          [c.t('decisions.hearings.place'), <span lang={zhLang(c)}>{v.place}</span>],
          [c.t('decisions.hearings.participants'), String(v.participants)],
          [c.t('decisions.hearings.selection'), c.t(v.stratified ? 'decisions.hearings.stratified' : 'decisions.hearings.not_stratified')],
          [c.t('decisions.hearings.registration_closes'), shanghaiDateTime(v.registrationClosesAt)],
          [c.t('decisions.hearings.attendance_capacity'), v.attendanceCapacity ? c.t('decisions.hearings.seats', { n: v.attendanceCapacity, confirmed: v.attendance.confirmed, waiting: v.attendance.waiting }) : c.t('decisions.hearings.no_attendance')],
        ]}
      />
      {v.itemId && (
        <p>
          <a href={`/catalog/items/${v.itemId}`}>{c.t('decisions.hearings.notice_link')}</a>
        </p>
      )}
      <h2>{c.t('decisions.hearings.selection_method')}</h2>
      <p lang={zhLang(c)} class="pre-line">
        {v.selectionMethod}
      </p>

      <section aria-labelledby="apply-h">
        <h2 id="apply-h">{c.t('decisions.hearings.apply_h')}</h2>
        <p>{c.t('decisions.hearings.applicants_count', { n: v.applicants.total, for: v.applicants.for, against: v.applicants.against, other: v.applicants.other })}</p>
        {v.registrationOpen ? (
          <p>
            <a class="button" href={`${base(v.id)}/apply`}>
              {c.t('decisions.hearings.apply_link')}
            </a>
          </p>
        ) : (
          <p class="muted">{c.t('decisions.hearings.registration_closed_note')}</p>
        )}
      </section>

      {v.attendanceCapacity > 0 && (v.state === 'announced' || v.state === 'drawn') && (
        <section aria-labelledby="attend-h">
          <h2 id="attend-h">{c.t('decisions.hearings.attend_h')}</h2>
          <p>
            <a href={`${base(v.id)}/attend`}>{c.t('decisions.hearings.attend_link')}</a>
          </p>
        </section>
      )}

      <section aria-labelledby="draw-h">
        <h2 id="draw-h">{c.t('decisions.hearings.draw_h')}</h2>
        {!draw ? (
          <Empty>{c.t('decisions.hearings.no_draw_yet')}</Empty>
        ) : (
          <>
            <p>{c.t(draw.status === 'done' ? 'decisions.hearings.draw_done' : 'decisions.hearings.draw_prepared', { n: draw.applicants.length, at: shanghaiDateTime(draw.drawnAt ?? draw.preparedAt) })}</p>
            {draw.quotas && <p>{c.t('decisions.hearings.quotas', { for: draw.quotas.for, against: draw.quotas.against, other: draw.quotas.other })}</p>}
            <TableWrap label={c.t('decisions.hearings.witnesses')}>
              <table class="data">
                <caption>{c.t('decisions.hearings.witnesses')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{c.t('decisions.hearings.witness')}</th>
                    <th scope="col">{c.t('decisions.hearings.commitment')}</th>
                    {draw.status === 'done' && <th scope="col">{c.t('decisions.hearings.secret')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {draw.witnesses.map((w, i) => (
                    <tr>
                      <td lang={zhLang(c)}>{w.name}</td>
                      <td>
                        <code class="hash">{w.commitment}</code>
                      </td>
                      {draw.status === 'done' && (
                        <td>
                          <code>{draw.secrets[i]}</code>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            {draw.seed && (
              <p>
                {c.t('decisions.hearings.seed')} <code class="hash">{draw.seed}</code>
              </p>
            )}
            <p>
              <a href={`/api/v1/hearings/${v.id}/draw`}>{c.t('decisions.hearings.draw_record_link')}</a>
            </p>
          </>
        )}
        {v.selected.length > 0 && (
          <TableWrap label={c.t('decisions.hearings.selected_h')}>
            <table class="data">
              <caption>{c.t('decisions.hearings.selected_h')}</caption>
              <thead>
                <tr>
                  <th scope="col">{c.t('decisions.hearings.order')}</th>
                  <th scope="col">{c.t('decisions.hearings.ref')}</th>
                  <th scope="col">{c.t('decisions.hearings.name')}</th>
                  <th scope="col">{c.t('decisions.hearings.viewpoint')}</th>
                  {v.record && <th scope="col">{c.t('decisions.hearings.signed')}</th>}
                </tr>
              </thead>
              <tbody>
                {v.selected.map((s, i) => (
                  <tr>
                    <td>{i + 1}</td>
                    <td>{s.ref}</td>
                    <td lang={zhLang(c)}>{s.name}</td>
                    <td>{c.t(`decisions.hearings.viewpoint.${s.viewpoint}`)}</td>
                    {v.record && <td>{c.t(s.signed ? 'decisions.hearings.signed_yes' : 'decisions.hearings.signed_no')}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section aria-labelledby="materials-h">
        <h2 id="materials-h">{c.t('decisions.hearings.materials_h')}</h2>
        {v.materials.length ? (
          <>
            {v.materialsPublishedAt && <p class="muted">{c.t('decisions.hearings.materials_at', { at: shanghaiDateTime(v.materialsPublishedAt) })}</p>}
            <Files c={c} hid={v.id} files={v.materials} />
          </>
        ) : (
          <Empty>{c.t('decisions.hearings.no_materials')}</Empty>
        )}
      </section>

      <section aria-labelledby="record-h">
        <h2 id="record-h">{c.t('decisions.hearings.record_h')}</h2>
        {v.record ? <Files c={c} hid={v.id} files={[v.record]} /> : <Empty>{c.t('decisions.hearings.no_record')}</Empty>}
      </section>
    </div>
  );
}

async function facts(p: Platform, v: HearingView) {
  const d = await p.db.selectFrom('dec_decisions').select(['title', 'department_id']).where('id', '=', v.decisionId).executeTakeFirst();
  const dept = d ? await p.db.selectFrom('departments').select('name').where('id', '=', d.department_id).executeTakeFirst() : undefined;
  return { decision: d?.title ?? '', department: dept?.name ?? '' };
}

async function hearingPage(p: Platform, req: FastifyRequest, reply: FastifyReply, hid: number) {
  const c = req.ctx(reply);
  const v = await hearingView(p.db, await publicHearing(p.db, hid));
  reply.header('cache-control', 'no-cache');
  return reply.html(
    <PublicLayout c={c} title={v.title} canonical={base(hid)}>
      <nav class="breadcrumbs" aria-label={c.t('nav.breadcrumbs')}>
        <a href="/decisions">{c.t('nav.decisions')}</a> › <a href={`/decisions/${v.decisionId}`}>{c.t('decisions.hearings.decision')}</a>
      </nav>
      <h1 lang={zhLang(c)}>{v.title}</h1>
      <HearingBody c={c} v={v} {...await facts(p, v)} />
    </PublicLayout>,
  );
}

const APPLY_FIELDS = ['name', 'phone', 'email', 'viewpoint', 'reason'];
const ATTEND_FIELDS = ['name', 'phone', 'email'];

async function applyPage(p: Platform, req: FastifyRequest, reply: FastifyReply, hid: number, values: Record<string, string>, opts: { fields?: Record<string, string>; error?: string; status?: number } = {}) {
  const c = req.ctx(reply);
  const v = await hearingView(p.db, await publicHearing(p.db, hid));
  const f = opts.fields ?? {};
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('decisions.hearings.apply_h')} canonical={null} noindex>
      <h1>{c.t('decisions.hearings.apply_h')}</h1>
      <p>
        <a href={base(hid)} lang={zhLang(c)}>
          {v.title}
        </a>
      </p>
      {opts.error && <Notice kind="error">{opts.error}</Notice>}
      {!v.registrationOpen ? (
        <Notice kind="info">{c.t('decisions.hearings.registration_closed_note')}</Notice>
      ) : (
        <>
          <p>{c.t('decisions.hearings.apply_intro', { at: shanghaiDateTime(v.registrationClosesAt) })}</p>
          <ErrorSummary c={c} fields={f} />
          <form method="post" action={`${base(hid)}/apply`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('decisions.hearings.name')} name="name" value={values.name} required maxLength={LIMITS.name} error={f.name} autocomplete="name" hint={c.t('decisions.hearings.name_hint')} />
            <Field label={c.t('decisions.hearings.phone')} name="phone" value={values.phone} type="tel" inputMode="tel" maxLength={20} error={f.phone} autocomplete="tel" hint={c.t('decisions.hearings.contact_hint')} />
            <Field label={c.t('decisions.hearings.email')} name="email" value={values.email} type="email" maxLength={LIMITS.email} error={f.email} autocomplete="email" />
            <Select label={c.t('decisions.hearings.viewpoint')} name="viewpoint" value={values.viewpoint} required error={f.viewpoint} options={VIEWPOINTS.map((x) => ({ value: x, label: c.t(`decisions.hearings.viewpoint.${x}`) }))} />
            <Field label={c.t('decisions.hearings.reason')} name="reason" value={values.reason} required multiline rows={6} maxLength={LIMITS.reason} error={f.reason} />
            <div class="actions">
              <button type="submit" class="primary">
                {c.t('decisions.hearings.apply_submit')}
              </button>
            </div>
          </form>
        </>
      )}
    </PublicLayout>,
    opts.status,
  );
}

async function attendPage(p: Platform, req: FastifyRequest, reply: FastifyReply, hid: number, values: Record<string, string>, opts: { fields?: Record<string, string>; error?: string; status?: number; cancelError?: string } = {}) {
  const c = req.ctx(reply);
  const v = await hearingView(p.db, await publicHearing(p.db, hid));
  const f = opts.fields ?? {};
  const left = Math.max(0, v.attendanceCapacity - v.attendance.confirmed);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('decisions.hearings.attend_h')} canonical={null} noindex>
      <h1>{c.t('decisions.hearings.attend_h')}</h1>
      <p>
        <a href={base(hid)} lang={zhLang(c)}>
          {v.title}
        </a>
      </p>
      {opts.error && <Notice kind="error">{opts.error}</Notice>}
      {v.attendanceCapacity < 1 ? (
        <Notice kind="info">{c.t('decisions.hearings.no_attendance')}</Notice>
      ) : (
        <>
          <p>{left > 0 ? c.t('decisions.hearings.seats_left', { n: left }) : c.t('decisions.hearings.seats_full', { n: v.attendance.waiting })}</p>
          <ErrorSummary c={c} fields={f} />
          <form method="post" action={`${base(hid)}/attend`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('decisions.hearings.name')} name="name" value={values.name} required maxLength={LIMITS.name} error={f.name} autocomplete="name" />
            <Field label={c.t('decisions.hearings.phone')} name="phone" value={values.phone} type="tel" inputMode="tel" maxLength={20} error={f.phone} autocomplete="tel" hint={c.t('decisions.hearings.contact_hint')} />
            <Field label={c.t('decisions.hearings.email')} name="email" value={values.email} type="email" maxLength={LIMITS.email} error={f.email} autocomplete="email" />
            <div class="actions">
              <button type="submit" class="primary">
                {c.t('decisions.hearings.attend_submit')}
              </button>
            </div>
          </form>
          <h2>{c.t('decisions.hearings.cancel_h')}</h2>
          {opts.cancelError && <Notice kind="error">{opts.cancelError}</Notice>}
          <form method="post" action={`${base(hid)}/attend/cancel`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('decisions.hearings.cancel_code')} name="code" maxLength={100} required autocomplete="off" />
            <div class="actions">
              <button type="submit">{c.t('decisions.hearings.cancel_submit')}</button>
            </div>
          </form>
        </>
      )}
    </PublicLayout>,
    opts.status,
  );
}

function donePage(req: FastifyRequest, reply: FastifyReply, hid: number, title: string, children: preact.ComponentChildren) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={title} canonical={null} noindex>
      <h1>{title}</h1>
      {children}
      <p>
        <a href={base(hid)}>{c.t('decisions.hearings.back')}</a>
      </p>
    </PublicLayout>,
  );
}

export async function hearingPages(app: FastifyInstance, p: Platform, limit: Limiter): Promise<void> {
  app.get<{ Params: { hid: string } }>('/decisions/hearings/:hid', { config: { permission: 'public' } }, async (req, reply) => hearingPage(p, req, reply, hidOf(req.params.hid)));

  app.get<{ Params: { hid: string; hash: string } }>('/decisions/hearings/:hid/files/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const h = await publicHearing(p.db, hidOf(req.params.hid));
    const f = /^[0-9a-f]{64}$/.test(req.params.hash) ? publicFile(h, req.params.hash) : null;
    const info = f ? await fileInfo(p.db, f.fileId) : null;
    if (!f || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, f.name, info, 'public, max-age=86400, immutable');
  });

  app.get<{ Params: { hid: string } }>('/decisions/hearings/:hid/apply', { config: { permission: 'public' } }, async (req, reply) => applyPage(p, req, reply, hidOf(req.params.hid), {}));
  app.post<{ Params: { hid: string } }>('/decisions/hearings/:hid/apply', { config: { permission: 'public' }, preHandler: limit }, async (req, reply) => {
    const hid = hidOf(req.params.hid);
    const values = pick(req.body, APPLY_FIELDS);
    try {
      const r = await applyToHearing(p, hid, values, clientIp(req));
      const c = req.ctx(reply);
      return donePage(req, reply, hid, c.t('decisions.hearings.applied_h'), <p>{c.t('decisions.hearings.applied', { ref: r.ref })}</p>);
    } catch (err) {
      const s = shown(req, err);
      if (!s || s.status === 404 || s.status === 429) throw err;
      return applyPage(p, req, reply, hid, values, s);
    }
  });

  app.get<{ Params: { hid: string } }>('/decisions/hearings/:hid/attend', { config: { permission: 'public' } }, async (req, reply) => attendPage(p, req, reply, hidOf(req.params.hid), {}));
  app.post<{ Params: { hid: string } }>('/decisions/hearings/:hid/attend', { config: { permission: 'public' }, preHandler: limit }, async (req, reply) => {
    const hid = hidOf(req.params.hid);
    const values = pick(req.body, ATTEND_FIELDS);
    try {
      const r = await registerAttendance(p, hid, values, clientIp(req));
      const c = req.ctx(reply);
      return donePage(
        req,
        reply,
        hid,
        c.t(r.status === 'confirmed' ? 'decisions.hearings.attend_confirmed' : 'decisions.hearings.attend_waiting', { n: r.position ?? 0 }),
        <>
          <p>{c.t('decisions.hearings.cancel_code_is')}</p>
          <p>
            <code class="code-once">{r.cancelCode}</code>
          </p>
          <p class="hint">{c.t('decisions.hearings.cancel_code_hint')}</p>
        </>,
      );
    } catch (err) {
      const s = shown(req, err);
      if (!s || s.status === 404 || s.status === 429) throw err;
      return attendPage(p, req, reply, hid, values, s);
    }
  });
  app.post<{ Params: { hid: string } }>('/decisions/hearings/:hid/attend/cancel', { config: { permission: 'public' }, preHandler: limit }, async (req, reply) => {
    const hid = hidOf(req.params.hid);
    await publicHearing(p.db, hid);
    try {
      const r = await cancelAttendance(p, hid, pick(req.body, ['code']));
      const c = req.ctx(reply);
      return donePage(req, reply, hid, c.t('decisions.hearings.cancelled_h'), <p>{c.t(r.promoted ? 'decisions.hearings.cancelled_promoted' : 'decisions.hearings.cancelled')}</p>);
    } catch (err) {
      const s = shown(req, err);
      if (!s || s.status === 429) throw err;
      return attendPage(p, req, reply, hid, {}, { cancelError: s.error ?? Object.values(s.fields)[0], status: s.status });
    }
  });
}
