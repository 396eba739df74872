// Policy matching (惠企政策) for a business profile, and subscribing to new matches by e-mail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Empty, ErrorSummary, Field, Notice, PublicLayout, Select } from '../../../platform/render/index.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { matchPolicies, resolveIndustry, subscribe, QUALIFICATIONS, SIZES, type BusinessProfile, type PolicyMatch } from '../service/policies.js';
import type { IndustryView } from '../service/industries.js';
import { Lead, localizeFields, str } from '../views.js';
import { pathText } from './industries.js';

type Resolved = { industry: IndustryView; alternatives: IndustryView[] };

/** writeLimit: the per-address budget of the public writes (module.ts). */
export async function policyPages(app: FastifyInstance, p: Platform, writeLimit: Limiter): Promise<void> {
  // ---- public: policy matching and subscription ---------------------------------------------------
  async function matchPage(req: FastifyRequest, reply: FastifyReply, profile: BusinessProfile | null, results: PolicyMatch[] | null, fields: Record<string, string> | undefined, note?: string, status = 200, resolved?: Resolved) {
    const c = req.ctx(reply);
    const subs = await p.db.selectFrom('departments').select(['code', 'name']).where('kind', '=', 'subdistrict').orderBy('sort').execute();
    const pr = profile ?? { industry: '', size: '', location: '', qualifications: [] };
    return reply.html(
      <PublicLayout c={c} title={c.t('lists.match_title')} description={c.t('lists.match_intro')}>
        <nav class="breadcrumb" aria-label={c.t('lists.breadcrumb')}>
          <a href="/lists">{c.t('lists.title')}</a>
        </nav>
        <h1>{c.t('lists.match_title')}</h1>
        <Lead>{c.t('lists.match_intro')}</Lead>
        {note && <Notice kind="success">{note}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="get" action="/policies/match" class="stack profile-form">
          <Field label={c.t('lists.profile.industry')} name="industry" value={pr.industry} maxLength={40} required hint={c.t('lists.profile.industry_hint')} error={fields?.industry} />
          <p class="meta">
            <a href={`/lists/industries${pr.industry ? `?q=${encodeURIComponent(pr.industry)}` : ''}`}>{c.t('lists.lookup_picker')}</a>
          </p>
          <Select label={c.t('lists.profile.size')} name="size" value={pr.size} required options={SIZES.map((s) => ({ value: s, label: c.t(`lists.size.${s}`) }))} error={fields?.size} />
          <Select label={c.t('lists.profile.location')} name="location" value={pr.location} blank={c.t('lists.profile.elsewhere')} options={subs.map((s) => ({ value: s.code, label: s.name }))} error={fields?.location} />
          <fieldset>
            <legend>{c.t('lists.profile.qualifications')}</legend>
            {QUALIFICATIONS.filter((q) => q !== 'none').map((q) => (
              <label class="checkbox">
                <input type="checkbox" name="qualifications" value={q} checked={pr.qualifications.includes(q)} /> {c.t(`lists.qual.${q}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary">{c.t('lists.match_button')}</button>
        </form>
        {results && (
          <section aria-labelledby="match-results">
            <h2 id="match-results">{c.t('lists.match_results', { n: results.length })}</h2>
            {resolved && (
              <p class="understood">
                {c.t('lists.match_industry')} <a href={`/lists/industries?code=${resolved.industry.code}`}>{`${resolved.industry.code} ${resolved.industry.name}`}</a>
                {resolved.industry.path.length > 0 && <span class="meta">（{pathText(resolved.industry)}）</span>}
              </p>
            )}
            {resolved && resolved.alternatives.length > 0 && (
              <p class="meta">
                {c.t('lists.lookup_alternatives')}{' '}
                {resolved.alternatives.map((a, i) => (
                  <>
                    {i > 0 && '、'}
                    <a href={`/policies/match?${new URLSearchParams([['industry', a.code], ['size', pr.size], ['location', pr.location], ...pr.qualifications.map((q) => ['qualifications', q])])}`}>{`${a.code} ${a.name}`}</a>
                  </>
                ))}
              </p>
            )}
            {results.length === 0 ? (
              <Empty>{c.t('lists.match_none')}</Empty>
            ) : (
              <ol class="match-results">
                {results.map((r) => (
                  <li>
                    <h3>
                      <a href={r.url}>{r.title}</a>
                    </h3>
                    <p class="meta">
                      {r.department} {r.docNo && <>· {r.docNo}</>} · {c.t(`lists.subsidy.${r.subsidyType}`)}
                    </p>
                    <p>{c.t('lists.why_matched')}</p>
                    <ul class="reasons">
                      {r.reasons.map((x) => (
                        <li>{c.t(x.key, { ...x.params, size: x.params.size ? c.t(`lists.size.${x.params.size}`) : '', qualification: x.params.qualification ? c.t(`lists.qual.${x.params.qualification}`) : '', location: x.params.location ? (subs.find((s) => s.code === x.params.location)?.name ?? x.params.location) : '' })}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
            <form method="post" action="/policies/subscribe" class="stack subscribe">
              <Csrf c={c} />
              <input type="hidden" name="industry" value={resolved?.industry.code ?? pr.industry} />
              <input type="hidden" name="size" value={pr.size} />
              <input type="hidden" name="location" value={pr.location} />
              {pr.qualifications.map((q) => (
                <input type="hidden" name="qualifications" value={q} />
              ))}
              <Field label={c.t('lists.subscribe_email')} name="email" type="email" maxLength={254} required autocomplete="email" error={fields?.email} hint={c.t('lists.subscribe_hint')} />
              <button type="submit">{c.t('lists.subscribe')}</button>
            </form>
          </section>
        )}
      </PublicLayout>,
      status,
    );
  }

  const profileFrom = (q: Record<string, unknown>): BusinessProfile => ({
    industry: str(q.industry).trim().slice(0, 40),
    size: str(q.size).slice(0, 20),
    location: str(q.location).slice(0, 32),
    qualifications: ([] as unknown[]).concat(q.qualifications ?? []).map(String).slice(0, 10),
  });

  app.get<{ Querystring: Record<string, unknown> }>('/policies/match', { config: { permission: 'public' } }, async (req, reply) => {
    if (!req.query.industry && !req.query.size) return matchPage(req, reply, null, null, undefined);
    const pr = profileFrom(req.query);
    // From the industry picker (only the industry chosen): the form, filled in, asks for the rest.
    if (!req.query.size) return matchPage(req, reply, pr, null, undefined);
    try {
      const resolved = await resolveIndustry(p.db, pr.industry);
      return matchPage(req, reply, pr, await matchPolicies(p.db, { ...pr, industry: resolved.industry.code }), undefined, undefined, 200, resolved);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return matchPage(req, reply, pr, null, fields, undefined, 400);
    }
  });

  app.post<{ Body: Record<string, unknown> }>('/policies/subscribe', { config: { permission: 'public' }, preHandler: writeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const pr = profileFrom(b);
    try {
      const resolved = await resolveIndustry(p.db, pr.industry);
      const profile = { ...pr, industry: resolved.industry.code };
      await subscribe(p, str(b.email).slice(0, 254), profile);
      return matchPage(req, reply, pr, await matchPolicies(p.db, profile), undefined, req.t('lists.subscribed'), 200, resolved);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return matchPage(req, reply, pr, [], fields, undefined, 400);
    }
  });
}
