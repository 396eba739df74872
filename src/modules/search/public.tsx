// The public search page: works without JavaScript; facets are links; pagination; an empty
// state with suggestions.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { PublicLayout, Empty, Pager, zhLang, type PageCtx } from '../../platform/render/index.js';
import { HttpError } from '../../platform/errors.js';
import { FACETS, type FacetName, type SearchResult } from '../../platform/search/index.js';
import { kindLabel, shownIndexNo, typeLabel } from './views.js';
import { toQuery, type SearchParamsT } from './api.js';
import { searchIndex } from './service.js';
import { shanghaiDate } from '../../platform/dates.js';

const KEYS = ['q', 'type', 'department', 'topic', 'genre', 'year', 'validity', 'sort'] as const;

/** Reads the page's query string leniently (a bad value is ignored, never an error page). */
export function readParams(raw: Record<string, unknown>): SearchParamsT {
  const s = (k: string, max = 64) => {
    const v = raw[k];
    const str = Array.isArray(v) ? v[0] : v;
    return typeof str === 'string' && str.trim() && str.length <= max ? str.trim() : undefined;
  };
  const out: SearchParamsT = {};
  const q = s('q', 2000);
  if (q) out.q = q;
  for (const k of ['type', 'department', 'topic', 'genre'] as const) {
    const v = s(k);
    if (v) out[k] = v;
  }
  const year = Number(s('year'));
  if (Number.isInteger(year) && year >= 1900 && year <= 2999) out.year = year;
  const validity = s('validity');
  if (validity === 'valid' || validity === 'expired' || validity === 'repealed') out.validity = validity;
  if (s('sort') === 'date') out.sort = 'date';
  const page = Number(s('page'));
  if (Number.isInteger(page) && page >= 1 && page <= 1000) out.page = page;
  return out;
}

function href(params: SearchParamsT, change: Partial<Record<string, string | number | undefined>>): string {
  const u = new URLSearchParams();
  const merged: Record<string, unknown> = { ...params, ...change };
  for (const k of [...KEYS, 'page']) {
    const v = merged[k];
    if (v !== undefined && v !== null && v !== '' && !(k === 'page' && v === 1) && !(k === 'sort' && v === 'relevance')) u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `/search?${s}` : '/search';
}

function facetLabel(c: PageCtx, f: FacetName, value: string, label: string): string {
  if (f === 'type') return typeLabel(c.t, value);
  if (f === 'validity') {
    const key = `search.${f}.${value}`;
    const t = c.t(key);
    return t === key ? label : t;
  }
  return label;
}

function Facets({ c, params, result }: { c: PageCtx; params: SearchParamsT; result: SearchResult }) {
  return (
    <aside class="search-facets" aria-label={c.t('search.facets')}>
      {!result.facetsExact && <p class="hint">{c.t('search.facetsEstimated')}</p>}
      {FACETS.map((f) => {
        const values = result.facets[f];
        const selected = params[f] !== undefined ? String(params[f]) : undefined;
        if (values.length === 0 && !selected) return null;
        return (
          <section class="facet">
            <h2 id={`facet-${f}`}>{c.t(`search.facet.${f}`)}</h2>
            <ul>
              {selected && (
                <li>
                  <a href={href(params, { [f]: undefined, page: undefined })} class="facet-clear">
                    {c.t('search.facetAll')}
                  </a>
                </li>
              )}
              {values.slice(0, 12).map((v) => (
                <li>
                  <a href={href(params, { [f]: v.value, page: undefined })} aria-current={selected === v.value ? 'true' : undefined} lang={f === 'department' || f === 'topic' || f === 'genre' ? zhLang(c) : undefined}>
                    {facetLabel(c, f, v.value, v.label)} <span class="count">({v.count})</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}

export function SearchPage({ c, params, result, error, subscribable }: { c: PageCtx; params: SearchParamsT; result: SearchResult | null; error?: string; subscribable?: boolean }) {
  const title = params.q ? c.t('search.titleFor', { q: params.q }) : c.t('search.title');
  return (
    <PublicLayout c={c} title={title} description={params.q ? c.t('search.meta_for', { q: params.q.slice(0, 40), name: c.gov.name }) : c.t('search.meta', { name: c.gov.name })} canonical={href(params, {})}>
      <h1>{c.t('search.title')}</h1>
      <form class="search-form" role="search" method="get" action="/search">
        <label for="search-q">{c.t('search.label')}</label>
        <div class="search-row">
          <input id="search-q" name="q" type="search" value={params.q ?? ''} maxLength={100} placeholder={c.t('search.placeholder')} aria-describedby={error ? 'search-q-err' : undefined} aria-invalid={error ? 'true' : undefined} />
          {KEYS.filter((k) => k !== 'q' && k !== 'sort' && params[k] !== undefined).map((k) => (
            <input type="hidden" name={k} value={String(params[k])} />
          ))}
          <label for="search-sort" class="visually-hidden">{c.t('search.sort')}</label>
          <select id="search-sort" name="sort">
            <option value="relevance" selected={params.sort !== 'date'}>{c.t('search.sort.relevance')}</option>
            <option value="date" selected={params.sort === 'date'}>{c.t('search.sort.date')}</option>
          </select>
          <button type="submit">{c.t('search.button')}</button>
        </div>
        {error && (
          <p class="field-error" id="search-q-err" role="alert">
            {error}
          </p>
        )}
      </form>
      {result && (
        <div class="search-layout">
          <Facets c={c} params={params} result={result} />
          <section class="search-results" aria-labelledby="search-results-h">
            <h2 id="search-results-h" aria-live="polite">
              {params.q ? c.t(result.totalExact ? 'search.resultsFor' : 'search.resultsForApprox', { q: params.q, total: result.total }) : c.t('search.all', { total: result.total })}
            </h2>
            {result.total > result.reachable && <p class="hint">{c.t('search.reachable', { n: result.reachable })}</p>}
            {params.q && subscribable && (
              <p class="follow">
                <a href={`/subscriptions?q=${encodeURIComponent(params.q.slice(0, 100))}`}>{c.t('search.subscribe')}</a>
              </p>
            )}
            {result.items.length === 0 ? (
              <div class="search-empty">
                <Empty>{c.t('search.empty')}</Empty>
                {result.suggestions.length > 0 && (
                  <>
                    <p>{c.t('search.tryInstead')}</p>
                    <ul class="search-suggestions">
                      {result.suggestions.map((s) => (
                        <li>
                          <a href={href({}, { q: s })}>{s}</a>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                <ul class="hint">
                  <li>{c.t('search.tip.fewer')}</li>
                  <li>{c.t('search.tip.filters')}</li>
                </ul>
              </div>
            ) : (
              <ol class="search-hits" start={(result.page - 1) * result.pageSize + 1}>
                {result.items.map((h) => (
                  <li class="search-hit">
                    <h3>
                      <a href={h.url} lang={zhLang(c)} dangerouslySetInnerHTML={{ __html: h.titleHtml }} />
                    </h3>
                    <p class="meta">
                      <span class="kind">{kindLabel(c.t, h.type)}</span> · <span lang={zhLang(c)}>{h.departmentName}</span> · <time dateTime={h.publishedAt}>{shanghaiDate(h.publishedAt)}</time>
                      {h.validity !== 'valid' && <> · <span class="validity">{facetLabel(c, 'validity', h.validity, h.validity)}</span></>}
                      {shownIndexNo(h.type, h.indexNo) && <> · <span class="index-no">{h.indexNo}</span></>}
                    </p>
                    {h.snippet && <p class="snippet" lang={zhLang(c)} dangerouslySetInnerHTML={{ __html: h.snippet }} />}
                  </li>
                ))}
              </ol>
            )}
            <Pager c={c} page={result.page} pageSize={result.pageSize} total={result.reachable} href={(n) => href(params, { page: n })} />
          </section>
        </div>
      )}
    </PublicLayout>
  );
}

export async function searchPages(app: FastifyInstance, p: Platform): Promise<void> {
  // "Subscribe to this search", when the platform has subscriptions.
  const subscribable = p.modules.some((m) => m.name === 'subscriptions');
  app.get('/search', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const params = readParams(req.query as Record<string, unknown>);
    try {
      const result = await searchIndex(p).search(toQuery(params));
      return reply.html(<SearchPage c={c} params={params} result={result} subscribable={subscribable} />);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return reply.html(<SearchPage c={c} params={params} result={null} error={c.t('search.err.tooLong')} />, 400);
      }
      throw err;
    }
  });
}

