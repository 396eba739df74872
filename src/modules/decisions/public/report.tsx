// The public adoption report (意见采纳情况) of a consultation: /decisions/consultations/{cid}/report,
// once published — the general text, the counts (received, published, hidden by reason, by
// disposition) and, article by article, the groups of similar comments and the comments with their
// disposition and reason (names masked, never a contact). Long sections show their first entries
// and page through the rest (?section=<article id|general>&page=N). Read from the spine item's
// published version, cached by publication generation; no JavaScript.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Notice, Pager, Zh, renderHtml } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { publishedReport, reportPath, reportTitle } from '../service/report.js';
import { ReportCountsView, SectionEntries, sectionKey, sectionSize, sectionTitle } from '../items/report.js';

const HTML = 'text/html; charset=utf-8';
const pageKey = (req: FastifyRequest) => `${req.url}|${req.locale}|${req.prefs.large ? 1 : 0}${req.prefs.contrast ? 1 : 0}${req.prefs.spacing ? 1 : 0}`;
/** Entries of each section on the report's first view. */
const PREVIEW = 10;
/** Entries per page of one section. */
const PAGE_SIZE = 50;

export async function reportPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { cid: string }; Querystring: Record<string, string> }>('/decisions/consultations/:cid/report', { config: { permission: 'public' } }, async (req, reply) =>
    cachedPublic(p.db, req, reply, pageKey(req), async () => {
      if (!/^\d{1,9}$/.test(req.params.cid)) throw notFound();
      const cid = Number(req.params.cid);
      const r = await publishedReport(p.db, cid);
      const d = r.data;
      const c = req.ctx(reply);
      const q = req.query ?? {};
      const only = typeof q.section === 'string' ? d.sections.find((s) => sectionKey(s) === q.section) : undefined;
      const badSection = typeof q.section === 'string' && q.section !== '' && !only;
      const pageRaw = typeof q.page === 'string' ? q.page : '';
      const page = /^\d{1,5}$/.test(pageRaw) && Number(pageRaw) >= 1 ? Number(pageRaw) : 1;
      const title = c.locale === 'zh-CN' ? reportTitle(d.title) : c.t('decisions.report.page_title', { title: d.title });
      const path = reportPath(cid);
      const canonical = only ? `${path}?${new URLSearchParams({ section: sectionKey(only), ...(page > 1 ? { page: String(page) } : {}) })}` : path;
      const sections = only ? [only] : d.sections;
      return {
        type: HTML,
        body: renderHtml(
          <PublicLayout c={c} title={title} description={c.t('decisions.report.item_summary', { received: d.counts.received, adopted: d.counts.adopted, partly: d.counts.partly, rejected: d.counts.rejected })} canonical={canonical}>
            <nav class="breadcrumb" aria-label={c.t('decisions.report.breadcrumb')}>
              <a href="/decisions">{c.t('nav.decisions')}</a> › <a href={`/decisions/${d.decisionId}`}>{c.t('decisions.report.decision_link')}</a> › <a href={`/decisions/consultations/${cid}`}>{c.t('decisions.report.consultation_link')}</a>
            </nav>
            <h1>
              <Zh c={c}>{title}</Zh>
            </h1>
            <p class="muted">
              <Zh c={c}>{d.department}</Zh> · {c.t('decisions.report.published_on', { date: shanghaiDate(r.publishedAt) })}
              {r.indexNo && <> · {c.t('decisions.report.index_no', { no: r.indexNo })}</>}
            </p>
            {badSection && <Notice kind="error">{c.t('decisions.report.bad_section')}</Notice>}
            {!only && (
              <>
                <p class="muted">{c.t('decisions.report.period', { from: shanghaiDateTime(d.opensAt), to: shanghaiDateTime(d.closesAt) })}</p>
                <section aria-labelledby="report-summary">
                  <h2 id="report-summary">{c.t('decisions.report.summary')}</h2>
                  {d.summary.split(/\n+/).map((para) => (
                    <p>
                      <Zh c={c}>{para}</Zh>
                    </p>
                  ))}
                </section>
                <section aria-labelledby="report-counts">
                  <h2 id="report-counts">{c.t('decisions.report.counts')}</h2>
                  <ReportCountsView c={c} n={d.counts} />
                  <p class="muted">{c.t('decisions.report.hidden_note')}</p>
                </section>
              </>
            )}
            <section aria-labelledby="report-dispositions">
              <h2 id="report-dispositions">{c.t('decisions.report.dispositions')}</h2>
              {!sections.length && <p>{c.t('decisions.report.no_comments')}</p>}
              {sections.map((s) => {
                const n = sectionSize(s);
                const key = sectionKey(s);
                const href = (k: number) => `${path}?${new URLSearchParams({ section: key, page: String(k) })}`;
                return (
                  <section class="report-section" aria-labelledby={`section-${key}`}>
                    <h3 id={`section-${key}`}>
                      <Zh c={c}>{sectionTitle(c, s)}</Zh> <span class="muted">{c.t('decisions.report.section_count', { n })}</span>
                    </h3>
                    {only ? (
                      <>
                        <SectionEntries c={c} s={s} from={(page - 1) * PAGE_SIZE} to={page * PAGE_SIZE} />
                        <Pager c={c} page={page} pageSize={PAGE_SIZE} total={n} href={href} />
                      </>
                    ) : (
                      <>
                        <SectionEntries c={c} s={s} to={PREVIEW} />
                        {n > PREVIEW && (
                          <p>
                            <a href={href(1)}>{c.t('decisions.report.section_all', { n })}</a>
                          </p>
                        )}
                      </>
                    )}
                  </section>
                );
              })}
            </section>
            {only && (
              <p>
                <a href={path}>{c.t('decisions.report.back')}</a>
              </p>
            )}
            <p class="muted">{c.t('decisions.report.api', { url: `/api/v1/consultations/${cid}/report` })}</p>
          </PublicLayout>,
        ),
      };
    }),
  );
}
