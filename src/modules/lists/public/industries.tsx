// The industry picker: find the GB/T 4754-2017 industry for everyday words ("咖啡店") or browse
// the classification, then ask the negative lists or match policies with it.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Empty, Field, PublicLayout, type PageCtx } from '../../../platform/render/index.js';
import { industryTable, pick, type IndustryView } from '../service/industries.js';
import { Lead, str } from '../views.js';

/** "住宿和餐饮业 › 餐饮业 › 饮料及冷饮服务" */
export const pathText = (x: { path: { name: string }[] }) => x.path.map((p) => p.name).join(' › ');

/** One industry: code and name, where it sits, its everyday names, and what to do with it. */
export function IndustryCard({ c, x, actions = true }: { c: PageCtx; x: IndustryView; actions?: boolean }) {
  return (
    <>
      <p class="industry-name">
        <a href={`/lists/industries?code=${x.code}`}>
          <span class="code">{x.code}</span> {x.name}
        </a>{' '}
        <span class="meta">{c.t(`lists.industry.level.${x.level}`)}</span>
      </p>
      {x.path.length > 0 && <p class="meta">{c.t('lists.industry.within', { path: pathText(x) })}</p>}
      {x.aliases.length > 0 && <p class="meta">{c.t('lists.industry.aliases_are', { words: x.aliases.join('、') })}</p>}
      {actions && (
        <p class="actions">
          <a href={`/negative-lists/lookup?q=${x.code}`}>{c.t('lists.industry.ask_lists')}</a> · <a href={`/policies/match?industry=${x.code}`}>{c.t('lists.industry.match_policies')}</a>
        </p>
      )}
    </>
  );
}

export async function industryPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { q?: string; code?: string } }>('/lists/industries', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = str(req.query.q).slice(0, 100);
    const code = str(req.query.code).toUpperCase().slice(0, 5);
    const table = await industryTable(p.db);
    const current = code ? table.get(code) : null;
    const items = q.trim() ? pick(table, q, null, 60) : pick(table, '', current?.code ?? null, 200);
    const here = current ? table.view(current) : null;
    return reply.html(
      <PublicLayout c={c} title={here ? `${here.code} ${here.name}` : c.t('lists.industry.title')} description={c.t('lists.industry.intro')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a> › <a href="/lists/industries">{c.t('lists.industry.title')}</a>
          {here?.path.map((x) => (
            <>
              {' › '}
              <a href={`/lists/industries?code=${x.code}`}>{x.name}</a>
            </>
          ))}
        </nav>
        <h1>{here ? `${here.code} ${here.name}` : c.t('lists.industry.title')}</h1>
        {!here && <Lead>{c.t('lists.industry.intro')}</Lead>}
        <form method="get" action="/lists/industries" class="filters" role="search">
          <Field label={c.t('lists.industry.q')} name="q" value={q} maxLength={100} hint={c.t('lists.industry.q_hint')} />
          <button type="submit" class="primary">
            {c.t('lists.industry.find')}
          </button>
        </form>
        {here && !q.trim() && (
          <section class="card industry" aria-label={c.t('lists.industry.this')}>
            <IndustryCard c={c} x={here} />
          </section>
        )}
        {q.trim() && <h2 id="industry-results">{c.t('lists.industry.results', { q, n: items.length })}</h2>}
        {!q.trim() && items.length > 0 && <h2>{here ? c.t('lists.industry.children') : c.t('lists.industry.sections')}</h2>}
        {items.length === 0 ? (
          q.trim() ? <Empty>{c.t('lists.industry.none')}</Empty> : null
        ) : (
          <ul class="industry-list">
            {items.map((x) => (
              <li>
                <IndustryCard c={c} x={x} actions={x.level !== 'section'} />
              </li>
            ))}
          </ul>
        )}
        <p class="meta">{c.t('lists.industry.source')}</p>
      </PublicLayout>,
    );
  });
}
