// The negative-list lookup: is a business activity prohibited, restricted or not listed?
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Field, Notice, PublicLayout } from '../../../platform/render/index.js';
import { lookup } from '../service/lookup.js';
import { itemHref, Lead } from '../views.js';
import { pathText } from './industries.js';

export async function lookupPages(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- public: negative-list lookup -------------------------------------------------------------
  app.get<{ Querystring: { q?: string } }>('/negative-lists/lookup', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = (req.query.q ?? '').slice(0, 100);
    const res = q.trim() ? await lookup(p.db, q) : null;
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.lookup_title')} description={c.t('lists.lookup_intro')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t('lists.lookup_title')}</h1>
        <Lead>{c.t('lists.lookup_intro')}</Lead>
        <form method="get" class="filters" role="search">
          <Field label={c.t('lists.lookup_q')} name="q" value={q} maxLength={100} required hint={c.t('lists.lookup_hint')} />
          <button type="submit" class="primary">{c.t('lists.lookup_button')}</button>
        </form>
        <p class="meta">
          <a href="/lists/industries">{c.t('lists.lookup_picker')}</a>
        </p>
        {res && (
          <section aria-labelledby="lookup-results" aria-live="polite">
            <h2 id="lookup-results">{c.t('lists.lookup_results', { q: res.query })}</h2>
            {res.industry ? (
              <p class="understood">
                {c.t('lists.lookup_understood')} <a href={`/lists/industries?code=${res.industry.code}`}>{`${res.industry.code} ${res.industry.name}`}</a>
                {res.industry.path.length > 0 && <span class="meta">（{pathText(res.industry)}）</span>}
              </p>
            ) : (
              <Notice kind="warning">
                {c.t('lists.lookup_not_understood')} <a href={`/lists/industries?q=${encodeURIComponent(res.query)}`}>{c.t('lists.lookup_picker')}</a>
              </Notice>
            )}
            {res.alternatives.length > 0 && (
              <p class="meta">
                {c.t('lists.lookup_alternatives')}{' '}
                {res.alternatives.map((a, i) => (
                  <>
                    {i > 0 && '、'}
                    <a href={`/negative-lists/lookup?q=${a.code}`}>{`${a.code} ${a.name}`}</a>
                  </>
                ))}
              </p>
            )}
            <ul class="lookup-results">
              {res.results.map((r) => (
                <li class={`lookup ${r.category}`}>
                  <p>
                    <span class={`badge ${r.category}`}>{c.t(`lists.answer.${r.category}${r.restricted ? '_restricted' : ''}`)}</span> <strong>{c.t(`lists.type.${r.list}`)}</strong>
                    {r.code && (
                      <>
                        {' '}
                        · {c.t('lists.f.code')} <a href={itemHref(r.list, r.code, 0).replace('?list=0', '')}>{r.code}</a>
                      </>
                    )}
                  </p>
                  {r.category === 'not-listed' ? (
                    <p>{c.t(`lists.not_listed.${r.list}`)}</p>
                  ) : (
                    <dl class="meta">
                      {r.name && (
                        <>
                          <dt>{r.list === 'market-access' ? c.t('lists.f.maName') : c.t('lists.f.heading')}</dt>
                          <dd>{r.name}</dd>
                        </>
                      )}
                      <dt>{c.t('lists.f.measures')}</dt>
                      <dd class="pre">{r.measure}</dd>
                      {r.authority && (
                        <>
                          <dt>{c.t('lists.f.authority')}</dt>
                          <dd>{r.authority}</dd>
                        </>
                      )}
                      {r.localMeasures && (
                        <>
                          <dt>{c.t('lists.f.localMeasures')}</dt>
                          <dd>{r.localMeasures}</dd>
                        </>
                      )}
                      {r.serviceGuides && r.serviceGuides.length > 0 && (
                        <>
                          <dt>{c.t('lists.linked_guides')}</dt>
                          <dd>
                            {r.serviceGuides.map((g) => (
                              <a href={g.url}>{g.name} </a>
                            ))}
                          </dd>
                        </>
                      )}
                    </dl>
                  )}
                </li>
              ))}
            </ul>
            {res.nearest.length > 0 && (
              <section aria-labelledby="lookup-nearest">
                <h3 id="lookup-nearest">{c.t('lists.lookup_nearest')}</h3>
                <ul>
                  {res.nearest.map((n) => (
                    <li>
                      <span class={`badge ${n.category}`}>{c.t(`lists.answer.${n.category}${n.restricted ? '_restricted' : ''}`)}</span> {c.t(`lists.type.${n.list}`)} · <a href={itemHref(n.list, n.code, 0).replace('?list=0', '')}>{n.code}</a> {n.name}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {res.guides.length > 0 && (
              <section aria-labelledby="lookup-guides">
                <h3 id="lookup-guides">{c.t('lists.lookup_guides')}</h3>
                <ul>
                  {res.guides.map((g) => (
                    <li>
                      <a href={g.url}>{g.name}</a>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {res.industry && (
              <section aria-labelledby="lookup-policies">
                <h3 id="lookup-policies">{c.t('lists.lookup_policies')}</h3>
                {res.policies.length > 0 && (
                  <ul>
                    {res.policies.map((x) => (
                      <li>
                        <a href={x.url}>{x.title}</a>
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  <a href={`/policies/match?industry=${res.industry.code}`}>{c.t('lists.lookup_match_link', { name: res.industry.name })}</a>
                </p>
              </section>
            )}
            {res.sources.length > 0 && (
              <section aria-labelledby="lookup-sources" class="sources">
                <h3 id="lookup-sources">{c.t('lists.lookup_sources')}</h3>
                <ul>
                  {res.sources.map((x) => (
                    <li>
                      <a href={x.url}>{x.title}</a> {c.t('lists.edition_of', { n: x.edition })}
                    </li>
                  ))}
                </ul>
                {res.sources.some((x) => /节选|excerpt/i.test(x.title)) && <Notice kind="info">{c.t('lists.lookup_excerpt')}</Notice>}
              </section>
            )}
          </section>
        )}
      </PublicLayout>,
    );
  });
}
