// Console pages of the register imports: upload (kind, department, file, overwrite without
// asking), a progress page that refreshes itself without JavaScript while the job runs (a meta
// refresh and the Refresh header), the row report (and as CSV), confirming an overwrite.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError } from '../../../platform/errors.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, FileInput, Notice, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { tableSource } from '../../../platform/files/table.js';
import { activeDepartments } from '../service/registers.js';
import { columnLabel, confirmImport, IMPORT_KINDS, recentImports, reportCsv, staffImport, startImport, type ImportView } from '../service/imports.js';
import { readImportUpload } from '../api/registers.js';
import { doneKey, PageHead, problemsOf, str, writable, type Body } from './register-views.js';


// ---- import views ----------------------------------------------------------------------------

const RUNNING = new Set(['queued', 'running']);

function ImportReportView({ c, imp }: { c: PageCtx; imp: ImportView }) {
  const r = imp.report;
  const label = (f: string) => c.t(columnLabel(imp.kind, f));
  return (
    <>
      {r.format && <p class="import-source">{tableSource(c.t, { format: r.format, encoding: r.encoding })}</p>}
      {r.ignored.length > 0 && <p class="meta">{c.t('enforcement.import.ignored', { columns: r.ignored.join('、') })}</p>}
      {imp.status === 'failed' && (
        <>
          <Notice kind="error">{c.t('enforcement.import.failed', { rows: r.rows, n: r.problemCount })}</Notice>
          <p>
            <a href={`/admin/enforcement/imports/${imp.id}/report.csv`}>{c.t('enforcement.import.report_csv')}</a>
            {r.problemCount > r.problems.length && <span class="meta"> · {c.t('enforcement.import.problems_cut', { n: r.problems.length })}</span>}
          </p>
          <TableWrap label={c.t('enforcement.import.report')}>
            <table class="data import-errors">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.import.row')}</th>
                  <th scope="col">{c.t('enforcement.import.field')}</th>
                  <th scope="col">{c.t('enforcement.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {r.problems.slice(0, 1000).map((x) => (
                  <tr>
                    <td>{x.row || '—'}</td>
                    <td>{label(x.field)}</td>
                    <td>{c.t(x.key, x.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {r.problems.length > 1000 && <p class="meta">{c.t('enforcement.import.more_in_csv', { n: r.problems.length - 1000 })}</p>}
        </>
      )}
      {imp.status === 'checked' && (
        <>
          <Notice kind="warning">{c.t('enforcement.import.would_overwrite', { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged })}</Notice>
          {c.can('enforcement.register', { departmentId: imp.departmentId }) && (
            <ConfirmForm c={c} action={`/admin/enforcement/imports/${imp.id}/confirm`} label={c.t('enforcement.import.confirm_button')} confirm={c.t('enforcement.import.confirm_box', { updated: r.updated })} />
          )}
        </>
      )}
      {imp.status === 'done' && <Notice kind="success">{c.t('enforcement.import.done', { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged })}</Notice>}
    </>
  );
}

export async function importConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- imports -------------------------------------------------------------------------------
  async function importsPage(req: FastifyRequest, reply: FastifyReply, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const depts = writable(c, await activeDepartments(p.db));
    const recent = await recentImports(p, req.user!);
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.console.imports')}>
        <PageHead c={c} here="imports" title={c.t('enforcement.console.imports')} fields={fields} />
        <p>{c.t('enforcement.import.intro')}</p>
        <ul>
          {IMPORT_KINDS.map((k) => (
            <li>
              <a href={`/api/v1/registers/templates/${k}.csv`}>{c.t(`enforcement.import.template.${k}`)}</a>
            </li>
          ))}
        </ul>
        {depts.length > 0 && (
          <form method="post" action="/admin/enforcement/imports" enctype="multipart/form-data" class="stack import-form">
            <Csrf c={c} />
            <Select label={c.t('enforcement.import.kind')} name="kind" required options={IMPORT_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.import.kind.${k}`) }))} error={fields?.kind} />
            <Select label={c.t('enforcement.import.department')} name="department" value={req.user!.departmentCode} options={depts.map((d) => ({ value: d.code, label: d.name }))} error={fields?.department} />
            <p class="hint">{c.t('enforcement.import.department_hint')}</p>
            <div class={`field${fields?.file ? ' has-error' : ''}`}>
              <label for="f-file">{c.t('enforcement.import.file')}</label>
              {fields?.file && <p class="field-error">{fields.file}</p>}
              <FileInput c={c} id="f-file" name="file" required accept=".csv,.xlsx,.txt" invalid={!!fields?.file} />
            </div>
            <label class="checkbox">
              <input type="checkbox" name="confirm" value="1" /> {c.t('enforcement.import.overwrite')}
            </label>
            <button type="submit" class="primary">
              {c.t('enforcement.import.go')}
            </button>
          </form>
        )}
        <h2>{c.t('enforcement.import.recent')}</h2>
        {recent.length === 0 ? (
          <Empty>{c.t('enforcement.import.none')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.import.recent')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.import.file')}</th>
                  <th scope="col">{c.t('enforcement.import.kind')}</th>
                  <th scope="col">{c.t('enforcement.import.status')}</th>
                  <th scope="col">{c.t('enforcement.import.at')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((x) => (
                  <tr>
                    <td>
                      <a href={`/admin/enforcement/imports/${x.id}`}>{x.fileName}</a>
                    </td>
                    <td>{c.t(`enforcement.import.kind.${x.kind}`)}</td>
                    <td>{c.t(`enforcement.import_status.${x.status}`)}</td>
                    <td>
                      {shanghaiDateTime(x.createdAt)} · {x.createdBy}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get('/admin/enforcement/imports', { config: { permission: 'enforcement.read' } }, async (req, reply) => importsPage(req, reply));

  app.post('/admin/enforcement/imports', { config: { permission: 'enforcement.register', csrf: 'multipart' } }, async (req, reply) => {
    try {
      const u = await readImportUpload(req);
      const imp = await startImport(p, req.user!, u.file, { kind: u.kind, department: u.department, confirm: u.confirm });
      return reply.redirect(`/admin/enforcement/imports/${imp.id}`, 303);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields || (err instanceof HttpError && err.status === 403 && err.code === 'csrf')) throw err;
      return importsPage(req, reply, fields.file || fields.kind || fields.department ? fields : { file: Object.values(fields)[0] }, (err as HttpError).status);
    }
  });

  app.get<{ Params: { id: string } }>('/admin/enforcement/imports/:id', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const imp = await staffImport(p, req.user!, Number(req.params.id) || 0);
    const c = req.ctx(reply);
    const running = RUNNING.has(imp.status);
    if (running) reply.header('refresh', '2').header('cache-control', 'no-store');
    const done = doneKey((req.query as Record<string, unknown>)?.done);
    return reply.html(
      <AdminLayout c={c} title={`${c.t('enforcement.import.title')} · ${imp.fileName}`}>
        {/* Refreshes itself while the job runs, without JavaScript (the Refresh header says the same). */}
        {running && <meta http-equiv="refresh" content="2" />}
        <PageHead c={c} here="imports" title={`${c.t('enforcement.import.title')} · ${imp.fileName}`} done={done} />
        <Dl
          rows={[
            [c.t('enforcement.import.kind'), c.t(`enforcement.import.kind.${imp.kind}`)],
            [c.t('enforcement.import.department'), imp.departmentName],
            [c.t('enforcement.import.status'), <strong class={`import-status ${imp.status}`}>{c.t(`enforcement.import_status.${imp.status}`)}</strong>],
            [c.t('enforcement.import.at'), `${shanghaiDateTime(imp.createdAt)} · ${imp.createdBy}`],
            ...(imp.finishedAt ? ([[c.t('enforcement.import.finished'), shanghaiDateTime(imp.finishedAt)]] as [string, string][]) : []),
          ]}
        />
        {running && (
          <p role="status" aria-live="polite">
            <label for="import-progress">{imp.total ? c.t('enforcement.import.progress', { done: imp.done, total: imp.total }) : c.t('enforcement.import.reading')}</label>{' '}
            <progress id="import-progress" max={Math.max(imp.total, 1)} value={imp.done}>
              {imp.total ? Math.floor((imp.done / imp.total) * 100) : 0}%
            </progress>
          </p>
        )}
        <ImportReportView c={c} imp={imp} />
        <p>
          <a href="/admin/enforcement/imports">{c.t('enforcement.import.back')}</a>
        </p>
      </AdminLayout>,
    );
  });

  app.post<{ Params: { id: string }; Body: Body }>('/admin/enforcement/imports/:id/confirm', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const id = Number(req.params.id) || 0;
    const imp = await staffImport(p, req.user!, id);
    if (str(req.body?.confirm) !== 'yes') return reply.redirect(`/admin/enforcement/imports/${imp.id}`, 303);
    await confirmImport(p, req.user!, imp.id);
    return reply.redirect(`/admin/enforcement/imports/${imp.id}?done=confirmed`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/enforcement/imports/:id/report.csv', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const imp = await staffImport(p, req.user!, Number(req.params.id) || 0);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-${imp.id}-report.csv"`)
      .send(reportCsv(imp, req.t));
  });
}
