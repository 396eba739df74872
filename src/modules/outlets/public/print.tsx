// Printed notices for notice boards (公开栏): /print/items/:id (one item, A4 or ?size=A3) and
// /print/bulletins/:week (the weekly bulletin, e.g. 2026-W49). No navigation; the QR code is an
// inline SVG to the exact version's address; print.css sets the page size with CSS @page.
import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Platform } from '../../../platform/platform.js';
import type { PageCtx } from '../../../platform/render/index.js';
import { findItemType } from '../../../platform/publication/registry.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { notFound, validationError } from '../../../platform/errors.js';
import { idOf } from '../service/outlets.js';
import { bulletin, parseIsoWeek, printItem, qrSvg, type PrintItem } from '../service/print.js';

const SIZES = ['A4', 'A3'] as const;
type Size = (typeof SIZES)[number];

function sizeOf(q: unknown): Size {
  const s = (q as { size?: unknown } | undefined)?.size;
  if (s === undefined || s === '') return 'A4';
  if (typeof s === 'string' && (SIZES as readonly string[]).includes(s.toUpperCase())) return s.toUpperCase() as Size;
  throw validationError({ size: 'print.bad_size' });
}

function Sheet({ c, title, size, children }: { c: PageCtx; title: string; size: Size; children: ComponentChildren }) {
  return (
    <html lang={c.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} - ${c.gov.name}`}</title>
        <link rel="stylesheet" href="/static/print.css" />
      </head>
      <body class={`sheet sheet-${size.toLowerCase()}`}>{children}</body>
    </html>
  );
}

/** The type's public rendering of the body when it has one, else the summary. */
function BodyOf({ c, x }: { c: PageCtx; x: PrintItem }) {
  const type = findItemType(x.type);
  if (type && x.data) {
    try {
      return <section class="notice-body">{type.render(x.data, c, { id: x.id })}</section>;
    } catch {
      /* the summary below */
    }
  }
  return x.summary ? <section class="notice-body"><p>{x.summary}</p></section> : null;
}

function Qr({ svg, cls }: { svg: string; cls: string }) {
  return <div class={cls} dangerouslySetInnerHTML={{ __html: svg }} />;
}

export async function printPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>('/print/items/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const size = sizeOf(req.query);
    const id = idOf(req.params.id);
    const x = id ? await printItem(p, id) : null;
    if (!x) throw notFound();
    const c = req.ctx(reply);
    const svg = await qrSvg(x.versionUrl);
    const row = (term: string, value: string | null | undefined) =>
      value ? (
        <div>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ) : null;
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.html(
      <Sheet c={c} title={x.title} size={size}>
        <main class="notice">
          <header class="notice-head">
            <p class="notice-gov">{c.gov.name}</p>
            <h1 class="notice-title">{x.title}</h1>
            {x.docNo && <p class="notice-docno">{x.docNo}</p>}
          </header>
          <dl class="notice-meta">
            {row(c.t('print.index_no'), x.indexNo)}
            {row(c.t('print.department'), x.department)}
            {row(c.t('print.doc_no'), x.docNo)}
            {row(c.t('print.written_at'), shanghaiDate(x.writtenAt))}
            {row(c.t('print.published_at'), shanghaiDate(x.publishedAt))}
            {row(c.t('print.effective_at'), shanghaiDate(x.effectiveAt))}
            {row(c.t('print.version'), String(x.version))}
          </dl>
          <BodyOf c={c} x={x} />
          <footer class="notice-foot">
            <figure class="notice-qr">
              <Qr svg={svg} cls="qr" />
              <figcaption>
                {c.t('print.qr_note')}
                <br />
                <span class="notice-url">{x.versionUrl}</span>
              </figcaption>
            </figure>
            <p class="notice-printed">{c.t('print.posted_note', { date: todayShanghai() })}</p>
          </footer>
        </main>
      </Sheet>,
    );
  });

  app.get<{ Params: { week: string } }>('/print/bulletins/:week', { config: { permission: 'public' } }, async (req, reply) => {
    const size = sizeOf(req.query);
    const w = parseIsoWeek(req.params.week);
    if (!w) throw validationError({ week: 'print.bad_week' });
    const c = req.ctx(reply);
    const groups = await bulletin(p, w);
    const qrs = new Map<number, string>();
    for (const g of groups) for (const x of g.items) qrs.set(x.id, await qrSvg(x.versionUrl));
    const title = c.t('print.bulletin_title', { year: w.year, week: w.week });
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.html(
      <Sheet c={c} title={title} size={size}>
        <main class="notice bulletin">
          <header class="notice-head">
            <p class="notice-gov">{c.gov.name}</p>
            <h1 class="notice-title">{title}</h1>
            <p class="notice-docno">{c.t('print.bulletin_range', { from: w.monday, to: w.sunday })}</p>
          </header>
          {groups.length === 0 ? (
            <p class="bulletin-empty">{c.t('print.bulletin_empty')}</p>
          ) : (
            groups.map((g) => (
              <section class="bulletin-dept">
                <h2>
                  {g.department} <small>{c.t('print.count', { n: g.items.length })}</small>
                </h2>
                <ol class="bulletin-items">
                  {g.items.map((x) => (
                    <li class="bulletin-item" data-id={x.id}>
                      <div class="bulletin-text">
                        <p class="bulletin-title">{x.title}</p>
                        <p class="bulletin-meta">
                          {x.indexNo && (
                            <span>
                              {c.t('print.index_no')}：{x.indexNo}
                            </span>
                          )}
                          {x.docNo && <span>{x.docNo}</span>}
                          <span>
                            {c.t('print.published_at')}：{shanghaiDate(x.firstPublishedAt)}
                          </span>
                        </p>
                      </div>
                      <Qr svg={qrs.get(x.id)!} cls="qr qr-small" />
                    </li>
                  ))}
                </ol>
              </section>
            ))
          )}
        </main>
      </Sheet>,
    );
  });
}
