// Public pages of annual reports: the index of published reports by year, and a report's tables
// as XLSX. The report itself is a catalog item: its page and print view are the catalog's
// (/catalog/items/:id, /catalog/items/:id/print), its body this module's rendering.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { Empty, PublicLayout, zhLang } from '../../platform/render/index.js';
import { notFound } from '../../platform/errors.js';
import { BinaryBody, media } from '../../platform/http/schemas.js';
import { getItemRow, getVersion } from '../../platform/publication/index.js';
import { shanghaiDate } from '../../platform/dates.js';
import { ANNUAL_REPORT } from './items.js';
import { publishedReports } from './service.js';
import { reportXlsx } from './public/xlsx.js';
import type { AnnualReportData } from './views.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function publicPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get('/annual-reports', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rows = await publishedReports(p.db);
    const years = [...new Set(rows.map((r) => r.year))];
    return reply.html(
      <PublicLayout c={c} title={c.t('annual-reports.public_title')} description={c.t('annual-reports.public_description', { name: c.gov.name })}>
        <h1>{c.t('annual-reports.public_title')}</h1>
        {years.length === 0 ? (
          <Empty>{c.t('annual-reports.public_none')}</Empty>
        ) : (
          years.map((y) => (
            <section aria-labelledby={`y-${y}`}>
              <h2 id={`y-${y}`}>{c.t('annual-reports.year_heading', { year: y })}</h2>
              <ul class="doc-list">
                {rows
                  .filter((r) => r.year === y)
                  .map((r) => (
                    <li>
                      <a href={`/catalog/items/${r.id}`} class="doc-title" lang={zhLang(c)}>{r.title}</a>
                      <span class="doc-meta">
                        <span>{r.index_no}</span>
                        <time datetime={shanghaiDate(r.published_at)}>{shanghaiDate(r.published_at)}</time>
                        <a href={`/annual-reports/${r.id}.xlsx`}>XLSX</a>
                      </span>
                    </li>
                  ))}
              </ul>
            </section>
          ))
        )}
      </PublicLayout>,
    );
  });

  app.get<{ Params: { file: string } }>(
    '/annual-reports/:file',
    {
      config: { permission: 'public' },
      schema: { summary: "A published annual report's Tables 二, 三 and 四 as XLSX in the official layout", params: Type.Object({ file: Type.String({ pattern: '^[0-9]{1,9}\\.xlsx$', description: 'The catalog item id and .xlsx, e.g. 1234.xlsx' }) }), response: { 200: media('The workbook (sheets 表二, 表三, 表四), as an attachment', { [XLSX_TYPE]: BinaryBody }) } },
    },
    async (req, reply) => {
      const id = Number(req.params.file.slice(0, -5));
      const item = await getItemRow(p.db, id);
      if (!item || item.type !== ANNUAL_REPORT || !item.public || !item.published_version) throw notFound();
      const v = (await getVersion(p.db, id, item.published_version))!;
      const d = v.data as AnnualReportData;
      const body = await reportXlsx(d, item.title);
      const name = encodeURIComponent(`${item.title}.xlsx`);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="annual-report-${d.year}-${id}.xlsx"; filename*=UTF-8''${name}`).header('cache-control', 'public, max-age=300').send(body);
    },
  );
}
