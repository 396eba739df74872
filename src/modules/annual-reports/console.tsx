// The console of annual reports: the year's bodies with due dates and clocks (draft one), and a
// report: its text and staff-entered Table 二 figures (marked 人工填报), the live figures, the
// frozen version as it will be published, the review steps and their history.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Dl, Empty, ErrorSummary, Field, Notice, TableWrap, type PageCtx } from '../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../platform/errors.js';
import { hasMessage } from '../../platform/i18n/index.js';
import { can } from '../../platform/auth/policy.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { shanghaiDateTime } from '../../platform/dates.js';
import { OPINION_MAX, STAGES } from '../../platform/publication/index.js';
import type { Table2Row } from '../../platform/annual-report.js';
import { createReport, EDIT, FIRST_YEAR, listReports, reportDetail, saveReport, step, STEPS } from './service.js';
import { isCountRow, NARRATIVE_KEYS, SECTION_HEADINGS, TABLE2_LABEL, wanYuan, type ManualTable2 } from './service/figures.js';
import { ReportBody, Table2, Table3, Table4, type AnnualReportData } from './views.js';

type Fields = Record<string, string>;

/** An error as field messages for the page (null: not ours to show). */
function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = err.params && typeof err.params.status === 'string' ? { ...err.params, status: req.t(`pub.status.${err.params.status}`) } : err.params;
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)]));
  return { _: req.t(err.message, params) };
}

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};

const clockLabel = (c: PageCtx, clock: { status: string } | null) => (clock ? c.t(`annual-reports.clock.${clock.status}`) : c.t('annual-reports.no_clock'));

/** The form's flat names (narrative.overview, manual.rules.issued…) as the service's input. */
function fromForm(b: Record<string, unknown>) {
  const narrative: Record<string, string> = {};
  const manual: Record<string, any> = {};
  for (const [k, v] of Object.entries(b)) {
    if (typeof v !== 'string') continue;
    const [head, row, part] = k.split('.');
    if (head === 'narrative' && row) narrative[row] = v;
    if (head === 'manual' && row) {
      if (part) (manual[row] ??= {})[part] = v;
      else manual[row] = v;
    }
  }
  // A count row left wholly blank clears its entry.
  for (const [k, v] of Object.entries(manual)) if (v && typeof v === 'object' && Object.values(v).every((x) => x === '')) manual[k] = '';
  return { narrative, manual, changeNote: typeof b.changeNote === 'string' ? b.changeNote : undefined };
}

function ManualInputs({ c, rows, values, errors }: { c: PageCtx; rows: Table2Row[]; values: Record<string, any>; errors: Fields }) {
  if (!rows.length) return <p class="hint">{c.t('annual-reports.manual_none')}</p>;
  return (
    <fieldset class="annual-manual">
      <legend>{c.t('annual-reports.manual')}</legend>
      <p class="hint">{c.t('annual-reports.manual_hint')}</p>
      {rows.map((r) =>
        isCountRow(r) ? (
          <fieldset>
            <legend lang="zh-CN">{TABLE2_LABEL[r]}</legend>
            {(['issued', 'repealed', 'inForce'] as const).map((k) => (
              <Field label={c.t(`annual-reports.${k === 'inForce' ? 'in_force' : k}`)} name={`manual.${r}.${k}`} value={values[r]?.[k] ?? ''} inputMode="numeric" maxLength={10} error={errors[`manual.${r}.${k}`] ?? errors[`manual.${r}`]} />
            ))}
          </fieldset>
        ) : (
          <Field label={`${TABLE2_LABEL[r]}${r === 'fees' ? '（万元）' : ''}`} name={`manual.${r}`} value={values[r] ?? ''} inputMode={r === 'fees' ? 'decimal' : 'numeric'} maxLength={12} error={errors[`manual.${r}`]} />
        ),
      )}
    </fieldset>
  );
}

/** What staff entered, as the form shows it (fees back in 万元). */
const manualValues = (m: ManualTable2): Record<string, any> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === 'fees' && typeof v === 'number' ? wanYuan(v) : v]));

export async function consolePages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { year?: string; error?: string } }>('/admin/annual-reports', { config: { permission: 'annual-report.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const last = Number(todayShanghai().slice(0, 4));
    const year = /^\d{4}$/.test(req.query.year ?? '') && Number(req.query.year) >= FIRST_YEAR && Number(req.query.year) <= last ? Number(req.query.year) : last - 1;
    const rows = await listReports(p, req.user!, year);
    return reply.html(
      <AdminLayout c={c} title={c.t('annual-reports.console')}>
        <h1>{c.t('annual-reports.console')}</h1>
        <p class="hint">{c.t('annual-reports.console_intro')}</p>
        {req.query.error && /^[\w.-]+$/.test(req.query.error) && hasMessage(req.query.error) && <Notice kind="error">{c.t(req.query.error, { first: FIRST_YEAR, last })}</Notice>}
        <nav class="tabs" aria-label={c.t('annual-reports.year')}>
          {[last, last - 1, last - 2, last - 3].filter((y) => y >= FIRST_YEAR).map((y) => (
            <a href={`/admin/annual-reports?year=${y}`} aria-current={y === year ? 'page' : undefined}>{c.t('annual-reports.year_heading', { year: y })}</a>
          ))}
        </nav>
        {rows.length === 0 ? (
          <Empty>{c.t('annual-reports.public_none')}</Empty>
        ) : (
          <TableWrap label={c.t('annual-reports.console')}>
            <table class="annual-list">
              <thead>
                <tr>
                  <th scope="col">{c.t('annual-reports.scope')}</th>
                  <th scope="col">{c.t('annual-reports.due')}</th>
                  <th scope="col">{c.t('annual-reports.clock')}</th>
                  <th scope="col">{c.t('annual-reports.status')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{c.t('annual-reports.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr data-scope={e.scope.key}>
                    <th scope="row">{e.scope.name}</th>
                    <td>{e.due}</td>
                    <td class={`clock-${e.clock?.status ?? 'none'}`}>{clockLabel(c, e.clock)}</td>
                    <td>{e.report ? `${c.t(`pub.status.${e.report.status}`)} · ${c.t('annual-reports.version', { version: e.report.version })}` : c.t('annual-reports.no_report')}</td>
                    <td>
                      {e.report ? (
                        <a href={`/admin/annual-reports/${e.report.id}`}>{c.t('annual-reports.open')}</a>
                      ) : (
                        e.mayEdit && (
                          <form method="post" action="/admin/annual-reports" class="inline">
                            <Csrf c={c} />
                            <input type="hidden" name="year" value={year} />
                            <input type="hidden" name="scope" value={e.scope.key} />
                            <button type="submit">{c.t('annual-reports.create')}</button>
                          </form>
                        )
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
    );
  });

  app.post<{ Body: Record<string, string> }>('/admin/annual-reports', { config: { permission: 'annual-report.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    try {
      const r = await createReport(p, req.user!, { year: b.year, scope: b.scope });
      return reply.redirect(`/admin/annual-reports/${r.id}?created=1`, 303);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) throw err;
      if (err.status === 409 && err.params?.id) return reply.redirect(`/admin/annual-reports/${err.params.id}`, 303);
      const key = err.fields ? Object.values(err.fields)[0] : err.message;
      return reply.redirect(`/admin/annual-reports?year=${encodeURIComponent(String(b.year ?? ''))}&error=${encodeURIComponent(key)}`, 303);
    }
  });

  const page = async (req: FastifyRequest, c: PageCtx, id: number, form?: { values: ReturnType<typeof fromForm>; errors: Fields }) => {
    const d = await reportDetail(p, req.user!, id);
    const u = req.user!;
    const q = (req.query ?? {}) as Record<string, string>;
    const data = d.latest.data as AnnualReportData;
    const state = d.latest.state;
    const mayEdit = can(u, EDIT, { departmentId: d.row.department_id }) && can(u, 'content.edit', { departmentId: d.row.department_id });
    const editable = mayEdit && (state === 'draft' || state === 'published' || state === 'superseded');
    const revising = state !== 'draft';
    const stage = STAGES.find((s) => s.state === state);
    const errors = form?.errors ?? {};
    const narrative = { ...data.narrative, ...(form?.values.narrative ?? {}) };
    const manual = form ? form.values.manual : manualValues(d.manual);
    return (
      <AdminLayout c={c} title={d.item.title}>
        <h1>{d.item.title}</h1>
        {q.created && <Notice kind="success">{c.t('annual-reports.created')}</Notice>}
        {q.saved && <Notice kind="success">{c.t('annual-reports.saved')}</Notice>}
        {q.done && hasMessage(`pub.status.${q.done}`) && <Notice kind="success">{c.t('annual-reports.done', { status: c.t(`pub.status.${q.done}`) })}</Notice>}
        {q.error && /^[\w.-]+$/.test(q.error) && hasMessage(q.error) && <Notice kind="error">{c.t(q.error, { status: c.t(`pub.status.${state}`) })}</Notice>}
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Dl
          rows={[
            [c.t('annual-reports.scope'), d.scope.name],
            [c.t('annual-reports.year'), String(d.row.year)],
            [c.t('annual-reports.status'), `${c.t(`pub.status.${d.item.status}`)} · ${c.t('annual-reports.version', { version: d.latest.version })}${d.item.published_version && d.item.published_version !== d.latest.version ? c.t('annual-reports.published_version', { version: d.item.published_version }) : ''}`],
            [c.t('annual-reports.due'), d.due],
            [c.t('annual-reports.clock'), clockLabel(c, d.clock)],
          ]}
        />
        {d.item.public === 1 && (
          <p>
            <a href={`/catalog/items/${d.item.id}`}>{c.t('annual-reports.public_page')}</a> · <a href={`/annual-reports/${d.item.id}.xlsx`}>{c.t('annual-reports.xlsx')}</a>
          </p>
        )}
        {editable && (
          <form method="post" action={`/admin/annual-reports/${d.row.id}`} class="annual-form">
            <Csrf c={c} />
            <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_'))} />
            <h2>{c.t('annual-reports.narrative')}</h2>
            {NARRATIVE_KEYS.map((k) => (
              <Field label={SECTION_HEADINGS[k]} name={`narrative.${k}`} value={narrative[k]} multiline rows={k === 'overview' ? 8 : 5} maxLength={20000} required error={errors[`narrative.${k}`]} />
            ))}
            <ManualInputs c={c} rows={d.live.manual} values={manual} errors={errors} />
            {revising && <Field label={c.t('annual-reports.change_note')} name="changeNote" value={form?.values.changeNote ?? ''} hint={c.t('annual-reports.change_note_hint')} maxLength={500} required error={errors.changeNote} />}
            <button type="submit">{c.t('annual-reports.save')}</button>
          </form>
        )}
        <section aria-labelledby="live-h" class="annual-live">
          <h2 id="live-h">{c.t('annual-reports.live')}</h2>
          <p class="hint">{c.t('annual-reports.live_hint')}</p>
          <Table2 c={c} f={d.live} manualMark={c.t('annual-reports.manual_mark')} />
          <Table3 c={c} f={d.live} />
          <Table4 c={c} f={d.live} />
        </section>
        <section aria-labelledby="ver-h" class="annual-version">
          <h2 id="ver-h">{c.t('annual-reports.preview', { version: d.latest.version, status: c.t(`pub.status.${state === 'superseded' ? 'published' : state}`) })}</h2>
          <ReportBody c={c} d={data} manualMark={c.t('annual-reports.manual_mark')} />
        </section>
        <section aria-labelledby="wf-h" class="workflow">
          <h2 id="wf-h">{c.t('annual-reports.workflow')}</h2>
          {state === 'draft' && can(u, 'content.submit', { departmentId: d.row.department_id }) && todayShanghai() < `${d.row.year + 1}-01-01` && <p class="hint">{c.t('annual-reports.err.year_open', { year: d.row.year, next: d.row.year + 1 })}</p>}
          {state === 'draft' && can(u, 'content.submit', { departmentId: d.row.department_id }) && todayShanghai() >= `${d.row.year + 1}-01-01` && (
            <form method="post" action={`/admin/annual-reports/${d.row.id}/steps`}>
              <Csrf c={c} />
              <input type="hidden" name="action" value="submit" />
              <button type="submit">{c.t('annual-reports.submit')}</button>
            </form>
          )}
          {stage && can(u, stage.action, { departmentId: d.row.department_id }) && (
            <div class="review-forms">
              {(['approve', 'reject'] as const).map((a) => (
                <form method="post" action={`/admin/annual-reports/${d.row.id}/steps`} class="reason-form">
                  <Csrf c={c} />
                  <input type="hidden" name="action" value={a} />
                  <div class="field">
                    <label for={`f-reason-${a}`}>{c.t('annual-reports.opinion')}</label>
                    <textarea id={`f-reason-${a}`} name="reason" rows={3} maxLength={OPINION_MAX} required={a === 'reject'} />
                  </div>
                  <button type="submit" class={a === 'reject' ? 'secondary' : undefined}>{a === 'approve' ? c.t(`annual-reports.approve.${stage.state}`) : c.t('annual-reports.reject')}</button>
                </form>
              ))}
            </div>
          )}
          <h3>{c.t('annual-reports.history')}</h3>
          {d.history.length === 0 ? (
            <p>{c.t('annual-reports.history_none')}</p>
          ) : (
            <ol class="review-history">
              {d.history.map((h) => (
                <li>
                  {shanghaiDateTime(h.at)} · {c.t('annual-reports.version', { version: h.version })} · {h.name} · {c.t(`annual-reports.step.${h.action}`)}
                  {h.opinion && `：${h.opinion}`}
                </li>
              ))}
            </ol>
          )}
        </section>
      </AdminLayout>
    );
  };

  app.get<{ Params: { id: string } }>('/admin/annual-reports/:id', { config: { permission: 'annual-report.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    return reply.html(await page(req, c, idOf(req.params.id)));
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/annual-reports/:id', { config: { permission: 'annual-report.edit' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = fromForm(body);
    try {
      // One value per field: a field sent twice is refused, naming it (never saved without it).
      const twice = Object.keys(body).find((k) => typeof body[k] !== 'string');
      if (twice) throw validationError({ [twice]: 'err.field.invalid' });
      await saveReport(p, req.user!, id, values);
      return reply.redirect(`/admin/annual-reports/${id}?saved=1`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      const status = err instanceof HttpError ? err.status : 400;
      return reply.html(await page(req, req.ctx(reply), id, { values, errors }), status);
    }
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/annual-reports/:id/steps', { config: { permission: 'annual-report.read' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const b = req.body ?? {};
    const action = String(b.action ?? '');
    if (!(STEPS as readonly string[]).includes(action)) throw notFound();
    try {
      const r = await step(p, req.user!, id, action, typeof b.reason === 'string' ? b.reason : undefined);
      return reply.redirect(`/admin/annual-reports/${id}?done=${r.status}`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.status !== 404 && err.status < 500) {
        const key = err.fields ? Object.values(err.fields)[0] : err.message;
        return reply.redirect(`/admin/annual-reports/${id}?error=${encodeURIComponent(key)}`, 303);
      }
      throw err;
    }
  });
}
