// The negative-list lookup: is a business activity prohibited, restricted or not listed?
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Field, PublicLayout } from '../../../platform/render/index.js';
import { lookup } from '../service/lookup.js';
import { itemHref, Lead } from '../views.js';

export async function lookupPages(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- public: negative-list lookup -------------------------------------------------------------
  app.get<{ Querystring: { q?: string } }>('/negative-lists/lookup', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = (req.query.q ?? '').slice(0, 100);
    const res = q.trim() ? await lookup(p.db, q) : null;
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.lookup_title')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t('lists.lookup_title')}</h1>
        <Lead>{c.t('lists.lookup_intro')}</Lead>
        <form method="get" class="filters" role="search">
          <Field label={c.t('lists.lookup_q')} name="q" value={q} maxLength={100} required hint={c.t('lists.lookup_hint')} />
          <button type="submit" class="primary">{c.t('lists.lookup_button')}</button>
        </form>
        {res && (
          <section aria-labelledby="lookup-results" aria-live="polite">
            <h2 id="lookup-results">{c.t('lists.lookup_results', { q: res.query })}</h2>
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
          </section>
        )}
      </PublicLayout>,
    );
  });
}
