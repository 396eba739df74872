// Console pages: a clock's page with its actions, the calendar editor and importer, the rule
// catalogue (view; admins save a new version) and the warning thresholds.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice, Select, ConfirmForm, FileInput, TableWrap } from '../../platform/render/index.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { ensureCalendar, weekday, yearSchedule, type CalendarDay } from '../../platform/calendar/index.js';
import type { ComponentChildren } from 'preact';
import type { PageCtx } from '../../platform/render/index.js';
import { reportDigest, toIcs, type ImportFormat } from '../../platform/calendar/import.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { getRule, getThresholds, listRules, ruleVersions, saveRule, setThresholds, type RuleView } from '../../platform/deadlines/index.js';
import { actorName } from '../org/service.js';
import { clockAction, deleteDay, IMPORT_MAX, importCalendar, listYears, setDay, setPublished, yearDays, type ClockAction, type ImportResult } from './service.js';
import { clockPage, RulesTable, YearGrid } from './views.js';
import { shanghaiDate } from '../../platform/dates.js';

function fieldsOf(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof HttpError && err.status < 500) {
    if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, err.params)]));
    return { _: req.t(err.message, err.params) };
  }
  return null;
}

/** A day of a year's list (and of the import preview, with its weekday): date, kind, name, then the caller's cells. */
function DayRow({ c, d, weekday: showWeekday, children }: { c: PageCtx; d: CalendarDay; weekday?: boolean; children?: ComponentChildren }) {
  return (
    <tr class={`kind-${d.kind}`}>
      <td>{d.date}</td>
      {showWeekday && <td>{c.t('calendar.weekdays').split(',')[weekday(d.date)]}</td>}
      <td>{d.kind === 'holiday' ? c.t('calendar.holiday') : c.t('calendar.workday')}</td>
      <td>{d.name}</td>
      {children}
    </tr>
  );
}

export async function calendarConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>('/admin/clocks/:id', { config: { permission: 'supervision.read' } }, async (req, reply) => clockPage(p, req, reply, true));
  app.post<{ Params: { id: string; action: string }; Body: Record<string, string> }>('/admin/clocks/:id/:action', { config: { permission: 'clock.manage' } }, async (req, reply) => {
    const action = req.params.action as ClockAction;
    if (!/^\d{1,9}$/.test(req.params.id) || !['pause', 'resume', 'extend'].includes(action)) throw notFound();
    const b = req.body ?? {};
    try {
      await clockAction(p, req.user!, Number(req.params.id), action, { reason: String(b.reason ?? '').slice(0, 2000), days: b.days, kind: b.kind });
    } catch (err) {
      const f = fieldsOf(req, err);
      if (f && err instanceof HttpError && err.status !== 404 && err.status !== 403) return clockPage(p, req, reply, true, f, err.status);
      throw err;
    }
    return reply.redirect(`/admin/clocks/${Number(req.params.id)}?done=1`, 303);
  });

  // ---- console: calendar ----
  app.get<{ Querystring: { done?: string; imported?: string } }>('/admin/calendar', { config: { permission: 'calendar.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const years = await listYears(p.db);
    const imported = /^\d{4}(,\d{4}){0,50}$/.test(req.query.imported ?? '') ? req.query.imported!.split(',').join('、') : '';
    return reply.html(
      <AdminLayout c={c} title={c.t('calendar.admin_title')}>
        <h1>{c.t('calendar.admin_title')}</h1>
        {req.query.done && <Notice kind="success">{c.t('calendar.saved')}</Notice>}
        {imported && <Notice kind="success">{c.t('calendar.report_saved', { years: imported })}</Notice>}
        {c.can('calendar.edit') && (
          <p>
            <a class="button primary" href="/admin/calendar/import">{c.t('calendar.import')}</a>
          </p>
        )}
        <TableWrap label={c.t('calendar.admin_title')}>
        <table>
          <caption class="visually-hidden">{c.t('calendar.years')}</caption>
          <thead>
            <tr>
              <th scope="col">{c.t('calendar.year')}</th>
              <th scope="col">{c.t('calendar.status')}</th>
              <th scope="col">{c.t('calendar.count')}</th>
              <th scope="col">{c.t('deadlines.created_by')}</th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr>
                <td>
                  <a href={`/admin/calendar/${y.year}`}>{y.year}</a>
                </td>
                <td>{y.published ? c.t('calendar.published') : c.t('calendar.unpublished')}</td>
                <td>{y.days}</td>
                <td>
                  {y.updatedBy} · {shanghaiDate(y.updatedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
        <p>
          <a href="/admin/deadline-rules">{c.t('deadlines.rules_title')}</a>
        </p>
      </AdminLayout>,
    );
  });

  const yearPage = async (req: FastifyRequest, reply: FastifyReply, year: number, values: Record<string, string> = {}, fields?: Record<string, string>, status = 200) => {
    await ensureCalendar(p.db);
    const c = req.ctx(reply);
    const days = await yearDays(p.db, year);
    const s = yearSchedule(year);
    const edit = c.can('calendar.edit');
    return reply.html(
      <AdminLayout c={c} title={c.t('calendar.edit_year', { year })}>
        <h1>{c.t('calendar.edit_year', { year })}</h1>
        {(req.query as any).done && <Notice kind="success">{c.t('calendar.saved')}</Notice>}
        <Notice kind={s.published ? 'info' : 'warning'}>{s.published ? c.t('calendar.published') : c.t('calendar.unpublished')}</Notice>
        <p>
          <a href={`/admin/calendar/${year}/ics`}>{c.t('calendar.export_ics')}</a>
        </p>
        {edit && (
          <form method="post" action={`/admin/calendar/${year}/publish`}>
            <Csrf c={c} />
            <input type="hidden" name="published" value={s.published ? '0' : '1'} />
            <button type="submit">{s.published ? c.t('calendar.unpublish') : c.t('calendar.publish')}</button>
          </form>
        )}
        {days.length === 0 ? (
          <Empty>{c.t('calendar.none')}</Empty>
        ) : (
          <TableWrap label={c.t('calendar.days_list')}>
          <table class="cal-days">
            <caption>{c.t('calendar.days_list')}</caption>
            <thead>
              <tr>
                <th scope="col">{c.t('calendar.date')}</th>
                <th scope="col">{c.t('calendar.kind')}</th>
                <th scope="col">{c.t('calendar.name')}</th>
                {edit && <th scope="col">{c.t('calendar.delete')}</th>}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <DayRow c={c} d={d}>
                  {edit && (
                    <td>
                      <ConfirmForm c={c} action={`/admin/calendar/${year}/days/${d.date}/delete`} label={c.t('calendar.delete')} confirm={c.t('calendar.delete_confirm')} />
                    </td>
                  )}
                </DayRow>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
        {edit && (
          <form method="post" action={`/admin/calendar/${year}/days`} class="stack narrow">
            <h2>{c.t('calendar.add_day')}</h2>
            <ErrorSummary c={c} fields={fields} />
            <Csrf c={c} />
            <Field label={c.t('calendar.date')} name="date" type="date" value={values.date ?? ''} required error={fields?.date} />
            <Select label={c.t('calendar.kind')} name="kind" value={values.kind ?? 'holiday'} options={[{ value: 'holiday', label: c.t('calendar.holiday') }, { value: 'workday', label: c.t('calendar.workday') }]} error={fields?.kind} />
            <Field label={c.t('calendar.name')} name="name" value={values.name ?? ''} required maxLength={50} error={fields?.name} />
            <button type="submit" class="primary">{c.t('common.save')}</button>
          </form>
        )}
        <YearGrid c={c} year={year} />
      </AdminLayout>,
      status,
    );
  };

  app.get<{ Params: { year: string } }>('/admin/calendar/:year', { config: { permission: 'calendar.read' } }, async (req, reply) => {
    if (!/^\d{4}$/.test(req.params.year) || +req.params.year < 1900 || +req.params.year > 2299) throw notFound();
    return yearPage(req, reply, Number(req.params.year));
  });

  app.get<{ Params: { year: string } }>('/admin/calendar/:year/ics', { config: { permission: 'calendar.read' } }, async (req, reply) => {
    if (!/^\d{4}$/.test(req.params.year)) throw notFound();
    const y = Number(req.params.year);
    const c = req.ctx(reply);
    const ics = toIcs(y, await yearDays(p.db, y), { baseUrl: p.config.publicUrl, siteCode: c.gov.siteCode || c.site.code, name: c.t('calendar.title', { year: y }) });
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="calendar-${y}.ics"`).send(ics);
  });

  app.post<{ Params: { year: string }; Body: Record<string, string> }>('/admin/calendar/:year/days', { config: { permission: 'calendar.edit' } }, async (req, reply) => {
    if (!/^\d{4}$/.test(req.params.year)) throw notFound();
    const year = Number(req.params.year);
    const b = req.body ?? {};
    const values = { date: String(b.date ?? '').slice(0, 10), kind: String(b.kind ?? ''), name: String(b.name ?? '').slice(0, 50) };
    try {
      if (!values.date.startsWith(`${year}-`) && values.date) return yearPage(req, reply, year, values, { date: req.t('calendar.err.outside_year', { date: values.date }) }, 400);
      await setDay(p, actorName(req.user!), values as any);
    } catch (err) {
      const f = fieldsOf(req, err);
      if (f) return yearPage(req, reply, year, values, f, 400);
      throw err;
    }
    return reply.redirect(`/admin/calendar/${year}?done=1`);
  });

  app.post<{ Params: { year: string; date: string } }>('/admin/calendar/:year/days/:date/delete', { config: { permission: 'calendar.edit' } }, async (req, reply) => {
    await deleteDay(p, actorName(req.user!), req.params.date);
    return reply.redirect(`/admin/calendar/${req.params.year.replace(/\D/g, '').slice(0, 4)}?done=1`);
  });

  app.post<{ Params: { year: string }; Body: Record<string, string> }>('/admin/calendar/:year/publish', { config: { permission: 'calendar.edit' } }, async (req, reply) => {
    if (!/^\d{4}$/.test(req.params.year)) throw notFound();
    await setPublished(p, actorName(req.user!), Number(req.params.year), req.body?.published === '1');
    return reply.redirect(`/admin/calendar/${req.params.year}?done=1`);
  });

  // Import: the file is read and every day understood is shown (preview); nothing is saved until
  // the staff member confirms. The confirmation carries the file (gzip, base64) and a digest of the
  // preview: it saves only when the file still gives exactly what was shown.
  type Pending = { payload: string; format: string; filename: string; pasted: boolean };
  const importPage = async (req: FastifyRequest, reply: FastifyReply, result: ImportResult | null, values: { text?: string; format?: string }, pending?: Pending, status = 200) => {
    const c = req.ctx(reply);
    const r = result?.report;
    const current = new Map((await listYears(p.db)).map((y) => [y.year, y.days]));
    const item = (x: { line?: number; date?: string; key: string; params?: Record<string, string | number> }) => (
      <li>
        {x.line !== undefined && `${c.t('calendar.line', { line: x.line })}${c.t('common.colon')}`}
        {c.t(x.key, x.params)}
      </li>
    );
    const days = r ? r.years.flatMap((y) => y.days) : [];
    const canSave = !!r && r.errors.length === 0 && r.years.length > 0 && !!pending;
    return reply.html(
      <AdminLayout c={c} title={c.t('calendar.import')}>
        <h1>{c.t('calendar.import')}</h1>
        <p>{c.t('calendar.import_intro')}</p>
        {r && (
          <section class="report" aria-labelledby="report-h">
            <h2 id="report-h">{r.errors.length ? c.t('calendar.report') : c.t('calendar.preview')}</h2>
            {r.errors.length > 0 ? (
              <Notice kind="error">{c.t('calendar.err.has_errors')}</Notice>
            ) : result!.changed ? (
              <Notice kind="warning">{c.t('calendar.changed')}</Notice>
            ) : (
              <Notice kind="info">{c.t('calendar.preview_intro')}</Notice>
            )}
            <p class="read-as">{r.encoding ? c.t('calendar.read_as', { format: r.format.toUpperCase(), encoding: r.encoding }) : c.t('calendar.read_as_text', { format: r.format.toUpperCase() })}</p>
            {r.years.length > 0 && (
              <ul class="years">
                {r.years.map((y) => (
                  <li>{c.t('calendar.replaces', { year: y.year, holidays: y.days.filter((d) => d.kind === 'holiday').length, workdays: y.days.filter((d) => d.kind === 'workday').length, current: current.get(y.year) ?? 0 })}</li>
                ))}
              </ul>
            )}
            {r.errors.length > 0 && (
              <>
                <h3>{c.t('calendar.errors')}</h3>
                <ul class="errors">{r.errors.slice(0, 200).map(item)}</ul>
              </>
            )}
            {r.warnings.length > 0 && (
              <>
                <h3>{c.t('calendar.warnings')}</h3>
                <ul class="warnings">{r.warnings.slice(0, 200).map(item)}</ul>
              </>
            )}
            {days.length > 0 && (
              <TableWrap label={c.t('calendar.preview')}>
                <table class="cal-days preview">
                  <caption>{c.t('calendar.report_ok', { years: r.years.map((y) => y.year).join('、'), days: days.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{c.t('calendar.date')}</th>
                      <th scope="col">{c.t('calendar.weekday')}</th>
                      <th scope="col">{c.t('calendar.kind')}</th>
                      <th scope="col">{c.t('calendar.name')}</th>
                      <th scope="col">{c.t('calendar.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {days.map((d) => (
                      <DayRow c={c} d={d} weekday>
                        <td>{[d.line !== undefined ? c.t('calendar.line', { line: d.line }) : '', d.source ? `“${d.source}”` : '', d.recurring ? c.t('calendar.recurring') : ''].filter(Boolean).join(' · ')}</td>
                      </DayRow>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {canSave && (
              <form method="post" action="/admin/calendar/import/confirm" class="stack">
                <Csrf c={c} />
                <input type="hidden" name="payload" value={pending!.payload} />
                <input type="hidden" name="format" value={pending!.format} />
                <input type="hidden" name="filename" value={pending!.filename} />
                <input type="hidden" name="pasted" value={pending!.pasted ? '1' : ''} />
                <input type="hidden" name="digest" value={reportDigest(r!)} />
                <button type="submit" class="primary">{c.t('calendar.confirm_save')}</button>
              </form>
            )}
          </section>
        )}
        <form method="post" action="/admin/calendar/import" enctype="multipart/form-data" class="stack">
          <Csrf c={c} />
          <Select label={c.t('calendar.import_format')} name="format" value={values.format ?? ''} blank={c.t('calendar.format_auto')} options={[{ value: 'json', label: 'JSON' }, { value: 'csv', label: 'CSV' }, { value: 'ics', label: 'iCalendar (.ics)' }]} />
          <Field label={c.t('calendar.import_text')} name="text" multiline rows={12} value={values.text ?? ''} />
          <div class="field">
            <label for="f-file">{c.t('calendar.import_file')}</label>
            <FileInput c={c} id="f-file" name="file" accept=".json,.csv,.ics,.txt,text/calendar,text/csv,application/json" />
          </div>
          <button type="submit" class={r ? '' : 'primary'}>{c.t('calendar.preview_submit')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };

  const formatOf = (v: string | undefined) => (['json', 'csv', 'ics'].includes(v ?? '') ? (v as ImportFormat) : undefined);
  const pack = (bytes: Uint8Array) => gzipSync(bytes).toString('base64');

  app.get('/admin/calendar/import', { config: { permission: 'calendar.edit' } }, async (req, reply) => importPage(req, reply, null, {}));

  // Step 1: read the file and show what was understood. Nothing is saved.
  app.post('/admin/calendar/import', { config: { permission: 'calendar.edit', csrf: 'multipart' } }, async (req, reply) => {
    const values: { text?: string; format?: string; file?: Buffer; filename?: string } = {};
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length) {
            values.file = buf;
            values.filename = part.filename;
          }
        } else if (part.fieldname === 'text') values.text = String(part.value ?? '');
        else if (part.fieldname === 'format') values.format = String(part.value ?? '');
      }
    } else {
      const b = (req.body ?? {}) as Record<string, string>;
      Object.assign(values, { text: b.text, format: b.format });
    }
    const format = formatOf(values.format);
    const input: string | Buffer = values.file ?? values.text ?? '';
    const result = await importCalendar(p, actorName(req.user!), input, { format, filename: values.filename, dryRun: true });
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const pending = { payload: pack(bytes), format: format ?? '', filename: (values.filename ?? '').slice(0, 200), pasted: typeof input === 'string' };
    return importPage(req, reply, result, { text: values.file ? undefined : values.text?.slice(0, 100_000), format: values.format }, pending, result.report.errors.length ? 400 : 200);
  });

  // Step 2: save what was previewed (the same file, giving the same days).
  app.post<{ Body: Record<string, string> }>('/admin/calendar/import/confirm', { config: { permission: 'calendar.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    let bytes: Buffer;
    try {
      bytes = gunzipSync(Buffer.from(String(b.payload ?? ''), 'base64'), { maxOutputLength: IMPORT_MAX + 1 });
    } catch {
      return importPage(req, reply, null, {}, undefined, 400);
    }
    const format = formatOf(b.format);
    const filename = String(b.filename ?? '').slice(0, 200) || undefined;
    const input = b.pasted === '1' ? bytes.toString('utf8') : bytes;
    const result = await importCalendar(p, actorName(req.user!), input, { format, filename, expect: String(b.digest ?? '') });
    if (result.saved) return reply.redirect(`/admin/calendar?imported=${result.report.years.map((y) => y.year).join(',')}`, 303);
    const pending = { payload: pack(bytes), format: format ?? '', filename: filename ?? '', pasted: b.pasted === '1' };
    return importPage(req, reply, result, { format: b.format }, pending, result.report.errors.length ? 400 : 409);
  });

  // ---- console: rules ----
  app.get<{ Querystring: { done?: string } }>('/admin/deadline-rules', { config: { permission: 'deadlines.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rules = await listRules(p.db);
    const th = await getThresholds(p.db);
    const edit = c.can('deadlines.edit');
    return reply.html(
      <AdminLayout c={c} title={c.t('deadlines.rules_title')}>
        <h1>{c.t('deadlines.rules_title')}</h1>
        {req.query.done && <Notice kind="success">{c.t('calendar.saved')}</Notice>}
        <p>{c.t('deadlines.rules_intro')}</p>
        {edit && (
          <p>
            <a class="button" href="/admin/deadline-rules/new">{c.t('deadlines.new_rule')}</a>
          </p>
        )}
        <RulesTable c={c} rules={rules} admin />
        <h2>{c.t('deadlines.thresholds')}</h2>
        {edit ? (
          <form method="post" action="/admin/deadline-rules/thresholds" class="filters">
            <Csrf c={c} />
            <Field label={c.t('deadlines.warning_lead')} name="warningLead" type="number" value={th.warningLead} required />
            <Field label={c.t('deadlines.serious_after')} name="seriousAfter" type="number" value={th.seriousAfter} required />
            <button type="submit">{c.t('common.save')}</button>
          </form>
        ) : (
          <p>
            {c.t('deadlines.warning_lead')}{c.t('common.colon')}{th.warningLead} · {c.t('deadlines.serious_after')}{c.t('common.colon')}{th.seriousAfter}
          </p>
        )}
      </AdminLayout>,
    );
  });

  app.post<{ Body: Record<string, string> }>('/admin/deadline-rules/thresholds', { config: { permission: 'deadlines.edit' } }, async (req, reply) => {
    const th = { warningLead: Number(req.body?.warningLead), seriousAfter: Number(req.body?.seriousAfter) };
    try {
      await p.tx((t) => setThresholds(p, t, th, actorName(req.user!)));
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) return reply.redirect('/admin/deadline-rules');
      throw err;
    }
    return reply.redirect('/admin/deadline-rules?done=1');
  });

  const rulePage = async (req: FastifyRequest, reply: FastifyReply, code: string | null, values: Record<string, any>, fields?: Record<string, string>, status = 200) => {
    const c = req.ctx(reply);
    const versions = code ? await ruleVersions(p.db, code) : [];
    const edit = c.can('deadlines.edit');
    const current = versions[0];
    const title = code ? (current ? (c.locale === 'en' ? current.nameEn : current.nameZh) : String(values.nameZh ?? '')) : c.t('deadlines.new_rule');
    return reply.html(
      <AdminLayout c={c} title={title}>
        <h1>{title}</h1>
        {(req.query as any).done && <Notice kind="success">{c.t('calendar.saved')}</Notice>}
        {versions.length > 0 && (
          <>
            <h2>{c.t('deadlines.versions')}</h2>
            <RulesTable c={c} rules={versions} admin={false} showVersion />
          </>
        )}
        {edit && (
          <form method="post" action={code ? `/admin/deadline-rules/${code}` : '/admin/deadline-rules'} class="stack narrow">
            <h2>{code ? c.t('deadlines.edit') : c.t('deadlines.new_rule')}</h2>
            <ErrorSummary c={c} fields={fields} />
            <Csrf c={c} />
            {!code && <Field label={c.t('deadlines.code')} name="code" value={values.code} required maxLength={60} error={fields?.code} />}
            <Field label={c.t('deadlines.name')} name="nameZh" value={values.nameZh} required maxLength={100} error={fields?.nameZh} />
            <Field label={c.t('deadlines.name_en')} name="nameEn" value={values.nameEn} maxLength={100} error={fields?.nameEn} />
            <Select label={c.t('deadlines.unit')} name="unit" value={values.unit ?? 'workdays'} options={['workdays', 'days', 'months', 'hours'].map((u) => ({ value: u, label: c.t(`calendar.unit.${u}`) }))} error={fields?.unit} />
            <Select label={c.t('deadlines.kind')} name="kind" value={values.kind ?? 'limit'} options={['limit', 'minimum'].map((k) => ({ value: k, label: c.t(`deadlines.kind.${k}`) }))} error={fields?.kind} />
            <Field label={c.t('deadlines.amount')} name="amount" type="number" value={values.amount} required error={fields?.amount} />
            <Field label={c.t('deadlines.max_extensions')} name="maxExtensions" type="number" value={values.maxExtensions ?? 0} required error={fields?.maxExtensions} />
            <Field label={c.t('deadlines.extension_limit')} name="extensionLimit" type="number" value={values.extensionLimit ?? 0} required error={fields?.extensionLimit} />
            <label class="check">
              <input type="checkbox" name="pausable" value="1" checked={!!values.pausable} /> {c.t('deadlines.pausable')}
            </label>
            <Field label={c.t('deadlines.legal_basis')} name="legalBasis" value={values.legalBasis} required multiline rows={3} error={fields?.legalBasis} />
            <Field label={c.t('deadlines.note')} name="note" value={values.note} multiline rows={3} error={fields?.note} />
            <button type="submit" class="primary">{c.t('deadlines.save')}</button>
          </form>
        )}
      </AdminLayout>,
      status,
    );
  };

  const formToRule = (b: Record<string, string>, code: string) => ({
    code,
    nameZh: String(b.nameZh ?? '').slice(0, 100),
    nameEn: String(b.nameEn ?? '').slice(0, 100),
    unit: String(b.unit ?? '') as RuleView['unit'],
    kind: (b.kind === 'minimum' ? 'minimum' : 'limit') as RuleView['kind'],
    amount: Number(b.amount),
    maxExtensions: Number(b.maxExtensions ?? 0),
    extensionLimit: Number(b.extensionLimit ?? 0),
    pausable: b.pausable === '1',
    legalBasis: String(b.legalBasis ?? '').slice(0, 1000),
    note: String(b.note ?? '').slice(0, 1000),
  });

  app.get('/admin/deadline-rules/new', { config: { permission: 'deadlines.edit' } }, async (req, reply) => rulePage(req, reply, null, {}));

  app.get<{ Params: { code: string } }>('/admin/deadline-rules/:code', { config: { permission: 'deadlines.read' } }, async (req, reply) => {
    const r = await getRule(p.db, req.params.code.slice(0, 60));
    if (!r) throw notFound();
    return rulePage(req, reply, r.code, r);
  });

  const saveRoute = async (req: FastifyRequest<{ Body: Record<string, string> }>, reply: FastifyReply, code: string | null) => {
    const b = req.body ?? {};
    const input = formToRule(b, code ?? String(b.code ?? '').slice(0, 60));
    if (code && !(await getRule(p.db, code))) throw notFound();
    if (!code && (await getRule(p.db, input.code))) return rulePage(req, reply, null, input, { code: req.t('deadlines.err.code') }, 409);
    try {
      await p.tx((t) => saveRule(p, t, input, actorName(req.user!)));
    } catch (err) {
      const f = fieldsOf(req, err);
      if (f) return rulePage(req, reply, code, input, f, 400);
      throw err;
    }
    return reply.redirect(`/admin/deadline-rules/${input.code}?done=1`);
  };
  app.post<{ Body: Record<string, string> }>('/admin/deadline-rules', { config: { permission: 'deadlines.edit' } }, async (req, reply) => saveRoute(req, reply, null));
  app.post<{ Params: { code: string }; Body: Record<string, string> }>('/admin/deadline-rules/:code', { config: { permission: 'deadlines.edit' } }, async (req, reply) => saveRoute(req, reply, req.params.code.slice(0, 60)));
}
