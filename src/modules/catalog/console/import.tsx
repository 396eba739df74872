// Bulk import of documents (CSV/XLSX, dry run first).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Notice, FileInput, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import { readUpload } from '../api.js';
import { importCatalog, IMPORT_COLUMNS, type ImportReport } from '../service/importer.js';
import { tableSource } from '../../../platform/files/table.js';

export async function importConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const importPage = (c: PageCtx, report?: ImportReport) => (
    <AdminLayout c={c} title={c.t('catalog.import')}>
      <h1>{c.t('catalog.import')}</h1>
      <p>{c.t('catalog.import_intro')}</p>
      <p>
        <code>{IMPORT_COLUMNS.join(',')}</code>
      </p>
      {report && (
        <section aria-labelledby="rep-h">
          <h2 id="rep-h">{c.t('catalog.import_report')}</h2>
          {report.source && <p class="import-source">{tableSource(c.t, report.source)}</p>}
          {report.errors.length ? (
            <>
              <Notice kind="error">{c.t('catalog.import_failed', { rows: report.rows, errors: report.errors.length })}</Notice>
              <TableWrap label={c.t('catalog.import_report')}>
              <table class="import-errors">
                <thead>
                  <tr>
                    <th scope="col">{c.t('catalog.import_row')}</th>
                    <th scope="col">{c.t('catalog.import_field')}</th>
                    <th scope="col">{c.t('catalog.import_problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((e) => (
                    <tr>
                      <td>{e.row}</td>
                      <td>{e.field}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </TableWrap>
            </>
          ) : report.dryRun ? (
            <Notice kind="success">{c.t('catalog.import_dry_ok', { rows: report.rows })}</Notice>
          ) : (
            <Notice kind="success">{c.t('catalog.import_done', { n: report.imported })}</Notice>
          )}
        </section>
      )}
      <form method="post" action="/admin/catalog/import" enctype="multipart/form-data">
        <Csrf c={c} />
        <div class="field">
          <label for="f-file">{c.t('catalog.import_file')}</label>
          <FileInput c={c} id="f-file" name="file" required accept=".csv,.xlsx" />
        </div>
        <label class="confirm">
          <input type="checkbox" name="dryRun" value="1" checked /> {c.t('catalog.import_dry')}
        </label>
        <button type="submit">{c.t('catalog.import_go')}</button>
      </form>
    </AdminLayout>
  );
  app.get('/admin/catalog/import', { config: { permission: 'content.import' } }, async (req, reply) => reply.html(importPage(req.ctx(reply))));
  app.post('/admin/catalog/import', { config: { permission: 'content.import', csrf: 'multipart' } }, async (req: FastifyRequest, reply: FastifyReply) => {
    const c = req.ctx(reply);
    const f = await readUpload(req);
    if (!/\.(csv|xlsx)$/i.test(f.name)) throw new HttpError(415, 'unsupported_media_type', 'err.file.type');
    const report = await importCatalog(p, req.user!, f, f.fields.dryRun === '1', req.locale);
    return reply.html(importPage(c, report), report.errors.length ? 400 : 200);
  });
}
