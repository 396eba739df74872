// Console pages: a clock's page with its actions, the calendar editor and importer, the rule
// catalogue (view; admins save a new version) and the warning thresholds.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice, Select, ConfirmForm, FileInput, TableWrap } from '../../platform/render/index.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { ensureCalendar, yearSchedule } from '../../platform/calendar/index.js';
import { toIcs, type ImportFormat } from '../../platform/calendar/import.js';
import { decodeText, type TextEncodingName } from '../../platform/files/encoding.js';
import { getRule, getThresholds, listRules, ruleVersions, saveRule, setThresholds, type RuleView } from '../../platform/deadlines/index.js';
import { actorName } from '../org/service.js';
import { clockAction, deleteDay, importCalendar, listYears, setDay, setPublished, yearDays, type ClockAction, type ImportResult } from './service.js';
import { clockPage, RulesTable, YearGrid } from './views.js';
import { shanghaiDate } from '../../platform/dates.js';

function fieldsOf(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof HttpError && err.status < 500) {
    if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, err.params)]));
    return { _: req.t(err.message, err.params) };
  }
  return null;
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
  app.get<{ Querystring: { done?: string } }>('/admin/calendar', { config: { permission: 'calendar.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const years = await listYears(p.db);
    return reply.html(
      <AdminLayout c={c} title={c.t('calendar.admin_title')}>
        <h1>{c.t('calendar.admin_title')}</h1>
        {req.query.done && <Notice kind="success">{c.t('calendar.saved')}</Notice>}
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
                <tr class={`kind-${d.kind}`}>
                  <td>{d.date}</td>
                  <td>{d.kind === 'holiday' ? c.t('calendar.holiday') : c.t('calendar.workday')}</td>
                  <td>{d.name}</td>
                  {edit && (
                    <td>
                      <ConfirmForm c={c} action={`/admin/calendar/${year}/days/${d.date}/delete`} label={c.t('calendar.delete')} confirm={c.t('calendar.delete_confirm')} />
                    </td>
                  )}
                </tr>
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
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="calendar-${y}.ics"`).send(toIcs(y, await yearDays(p.db, y)));
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

  const importPage = (req: FastifyRequest, reply: FastifyReply, result: ImportResult | null, values: { text?: string; format?: string; dryRun?: boolean }, status = 200) => {
    const c = req.ctx(reply);
    const r = result?.report;
    const item = (x: { line?: number; date?: string; key: string; params?: Record<string, string | number> }) => (
      <li>
        {x.line !== undefined && `${c.t('calendar.line', { line: x.line })}: `}
        {c.t(x.key, x.params)}
      </li>
    );
    return reply.html(
      <AdminLayout c={c} title={c.t('calendar.import')}>
        <h1>{c.t('calendar.import')}</h1>
        <p>{c.t('calendar.import_intro')}</p>
        {r && (
          <section class="report" aria-labelledby="report-h">
            <h2 id="report-h">{c.t('calendar.report')}</h2>
            {r.encoding && <p class="import-source">{c.t('file.read_encoding', { encoding: r.encoding })}</p>}
            {r.errors.length > 0 ? (
              <Notice kind="error">{c.t('calendar.err.has_errors')}</Notice>
            ) : result!.saved ? (
              <Notice kind="success">{c.t('calendar.report_saved', { years: r.years.map((y) => y.year).join('、') })}</Notice>
            ) : (
              <Notice kind="info">{c.t('calendar.report_ok', { years: r.years.map((y) => y.year).join('、'), days: r.years.reduce((n, y) => n + y.days.length, 0) })}</Notice>
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
          <label class="check">
            <input type="checkbox" name="dryRun" value="1" checked={values.dryRun} /> {c.t('calendar.dry_run')}
          </label>
          <button type="submit" class="primary">{c.t('calendar.import_submit')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };

  app.get('/admin/calendar/import', { config: { permission: 'calendar.edit' } }, async (req, reply) => importPage(req, reply, null, {}));

  app.post('/admin/calendar/import', { config: { permission: 'calendar.edit', csrf: 'multipart' } }, async (req, reply) => {
    const values: { text?: string; format?: string; dryRun?: boolean; filename?: string; encoding?: TextEncodingName } = {};
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length) {
            // UTF-8 with or without a BOM, or GB18030 as Chinese Excel and WPS save CSV.
            ({ text: values.text, encoding: values.encoding } = decodeText(buf));
            values.filename = part.filename;
          }
        } else if (part.fieldname === 'text' && !values.text) values.text = String(part.value ?? '');
        else if (part.fieldname === 'format') values.format = String(part.value ?? '');
        else if (part.fieldname === 'dryRun') values.dryRun = part.value === '1';
      }
    } else {
      const b = (req.body ?? {}) as Record<string, string>;
      Object.assign(values, { text: b.text, format: b.format, dryRun: b.dryRun === '1' });
    }
    const format = ['json', 'csv', 'ics'].includes(values.format ?? '') ? (values.format as ImportFormat) : undefined;
    const result = await importCalendar(p, actorName(req.user!), values.text ?? '', { format, filename: values.filename, dryRun: values.dryRun, encoding: values.encoding });
    return importPage(req, reply, result, { ...values, text: values.text?.slice(0, 100_000) }, result.report.errors.length ? 400 : 200);
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
