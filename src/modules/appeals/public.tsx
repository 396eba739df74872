// Public pages: landing, the form (photos, similar appeals before submitting, verification code),
// tracking with the query code (rate, reopen), the public board, a published appeal, statistics.
// The query code only ever travels in POST bodies, never in a URL (nor in the access log).
// The landing page is here; the form is public/intake.tsx, tracking public/track.tsx, the board,
// published appeals, their photos and statistics public/board.tsx.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { PublicLayout, TableWrap } from '../../platform/render/index.js';
import { validationError } from '../../platform/errors.js';
import type { Limiter } from '../../platform/http/limit.js';
import { board } from './service/queries.js';
import { APPEAL_TYPES, TYPE_RULES } from './schema.js';
import { getRule } from '../../platform/deadlines/index.js';
import { intakePages } from './public/intake.js';
import { trackPages } from './public/track.js';
import { boardPages, BoardList } from './public/board.js';
import { lastListChange } from '../../platform/publication/index.js';
import { listSource, type SitemapSource } from '../../platform/sitemap.js';

export async function publicPages(app: FastifyInstance, p: Platform, submitLimit: Limiter, codeLimit: Limiter): Promise<void> {
  app.get('/appeals', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const recent = await board(p.db, { page: 1, pageSize: 5 });
    // The time limits come from the deadline engine's rule catalogue (editable, versioned).
    const limits = await Promise.all(APPEAL_TYPES.map(async (t) => ({ type: t, rule: TYPE_RULES[t] ? await getRule(p.db, TYPE_RULES[t]!) : null })));
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.title')} description={c.t('appeals.meta.landing', { name: c.gov.name })}>
        <div class="appeals">
          <h1>{c.t('appeals.title')}</h1>
          <p>{c.t('appeals.intro')}</p>
          <ul class="appeal-doors">
            <li><a class="button primary" href="/appeals/new">{c.t('appeals.submit_link')}</a></li>
            <li><a class="button" href="/appeals/track">{c.t('appeals.track_link')}</a></li>
            <li><a class="button" href="/appeals/board">{c.t('appeals.board_link')}</a></li>
            <li><a class="button" href="/appeals/stats">{c.t('appeals.stats_link')}</a></li>
          </ul>
          <h2>{c.t('appeals.limits')}</h2>
          <TableWrap label={c.t('appeals.limits')}>
          <table class="appeal-limits">
            <thead>
              <tr>
                <th scope="col">{c.t('appeals.type')}</th>
                <th scope="col">{c.t('appeals.due')}</th>
              </tr>
            </thead>
            <tbody>
              {limits.map((l) => (
                <tr>
                  <th scope="row">{c.t(`appeals.type.${l.type}`)}</th>
                  <td>{l.rule ? c.t('appeals.limit_workdays', { n: l.rule.amount }) : c.t('appeals.limit_none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
          <h2>{c.t('appeals.home')}</h2>
          <BoardList c={c} items={recent.items} />
        </div>
      </PublicLayout>,
    );
  });

  intakePages(app, p, submitLimit);
  trackPages(app, p, submitLimit, codeLimit);
  boardPages(app, p);
}

/** The centre's pages for the XML sitemap; its published appeals are the spine's (interaction-items). */
export function appealsSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('appeals', async () => {
      const changed = await lastListChange(p.db, ['appeal']);
      return [{ path: '/appeals', lastmod: changed }, { path: '/appeals/new' }, { path: '/appeals/board', lastmod: changed }, { path: '/appeals/stats' }];
    }),
  ];
}

export { validationError };
