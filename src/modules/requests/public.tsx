// Public pages of disclosure requests: the landing page (how to ask, the time limits from the
// rule catalogue), the online form (public/intake.tsx, pages in public/form.tsx) and the status
// page with the tracking number and query code (public/track.tsx).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { PublicLayout, TableWrap } from '../../platform/render/index.js';
import { getRule } from '../../platform/deadlines/index.js';
import type { Limiter } from '../../platform/http/limit.js';
import { AGENCY_RULE, CONSULTATION_RULES, CORRECTION_RULE, REPLY_RULE } from './schema.js';
import { intakePages } from './public/intake.js';
import { trackPages } from './public/track.js';

export async function publicPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.get('/disclosure-requests', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rules = await Promise.all([REPLY_RULE, CORRECTION_RULE, CONSULTATION_RULES['third-party'], AGENCY_RULE.code].map((code) => getRule(p.db, code)));
    return reply.html(
      <PublicLayout c={c} title={c.t('requests.title')}>
        <div class="requests">
          <h1>{c.t('requests.title')}</h1>
          <p>{c.t('requests.intro')}</p>
          <ul class="request-doors">
            <li>
              <a class="button primary" href="/disclosure-requests/new">{c.t('requests.new_link')}</a>
            </li>
            <li>
              <a class="button" href="/disclosure-requests/track">{c.t('requests.track_link')}</a>
            </li>
          </ul>
          <h2>{c.t('requests.other_channels')}</h2>
          <p>{c.t('requests.other_channels_text')}</p>
          <h2>{c.t('requests.limits')}</h2>
          <TableWrap label={c.t('requests.limits')}>
            <table class="request-limits">
              <thead>
                <tr>
                  <th scope="col">{c.t('requests.limit_what')}</th>
                  <th scope="col">{c.t('requests.limit_days')}</th>
                  <th scope="col">{c.t('requests.limit_basis')}</th>
                </tr>
              </thead>
              <tbody>
                {rules.map(
                  (r) =>
                    r && (
                      <tr>
                        <th scope="row">{c.locale === 'en' ? r.nameEn : r.nameZh}</th>
                        <td>{c.t('requests.limit_workdays', { n: r.amount })}</td>
                        <td>{r.legalBasis}</td>
                      </tr>
                    ),
                )}
              </tbody>
            </table>
          </TableWrap>
        </div>
      </PublicLayout>,
    );
  });

  intakePages(app, p, submitLimit);
  trackPages(app, p, codeLimit);
}
