// Public pages around the draw record (docs/draws.md): re-running a draw in the browser
// (/enforcement/draws/:id/verify, web/static/draw-verify.js), a witness's commitment computed in the
// browser (/enforcement/draws/commit) and the method itself as text (/enforcement/draws/method).
// The draw notice, /enforcement/draws/:id, is the draw workflow's page.
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { FileInput, Notice, PublicLayout, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { media, TextBody } from '../../../platform/http/schemas.js';
import { listSource, type SitemapSource } from '../../../platform/sitemap.js';
import { enforcementMessages } from '../messages.js';
import { drawIdOf } from '../service/draw-record.js';
import '../schema.js';

/** The texts draw-verify.js shows, in the page's language (JSON in data-messages). */
function scriptTexts(c: PageCtx, pattern: RegExp): string {
  return JSON.stringify(Object.fromEntries(Object.keys(enforcementMessages.en).filter((k) => pattern.test(k)).map((k) => [k, c.t(k)])));
}
const VERIFY_TEXTS = /^enforcement\.draw\.(verdict|diff|err|list)\.|^enforcement\.draw\.(working|fetch_failed)$/;

/** docs/draws.md: src/… and dist/… both sit one level below the project root. */
function methodText(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, '..', '..', '..', '..', 'docs', 'draws.md');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** The pages of this part for the XML sitemap: the commitment page and the verify page of every draw made. */
export function drawPagesSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('enforcement-draws', async () => {
      const done = await p.db.selectFrom('enf_draws').select(['id', 'drawn_at']).where('status', '=', 'done').orderBy('id').execute();
      return [{ path: '/enforcement/draws/commit', lastmod: null }, ...done.map((d) => ({ path: `/enforcement/draws/${d.id}/verify`, lastmod: d.drawn_at }))];
    }),
  ];
}

export async function drawsPublic(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { id: string } }>('/enforcement/draws/:id/verify', { config: { permission: 'public' } }, async (req, reply) => {
    const id = drawIdOf(req.params.id);
    const draw = await p.db.selectFrom('enf_draws as d').innerJoin('enf_tasks as t', 't.id', 'd.task_id').select(['d.status', 't.title']).where('d.id', '=', id).executeTakeFirst();
    if (!draw) throw notFound('enforcement.draw.not_found');
    const c = req.ctx(reply);
    return reply.header('cache-control', 'public, max-age=60').html(
      <PublicLayout c={c} title={`${c.t('enforcement.draw.verify_title')}：${draw.title}`} description={c.t('enforcement.draw.verify_intro')}>
        <h1>{c.t('enforcement.draw.verify_title')}</h1>
        <p class="lead">
          <span lang={zhLang(c)}>{c.t('enforcement.draw.verify_of', { task: draw.title, id })}</span>
        </p>
        <p>{c.t('enforcement.draw.verify_intro')}</p>
        {draw.status !== 'done' && <Notice kind="info">{c.t('enforcement.draw.diff.prepared')}</Notice>}
        <section id="draw-verify" class="draw-tools" hidden data-record={`/api/v1/inspections/draws/${id}`} data-messages={scriptTexts(c, VERIFY_TEXTS)} aria-labelledby="draw-verify-h">
          <h2 id="draw-verify-h">{c.t('enforcement.draw.verdict_title')}</h2>
          <p>
            <button type="button" id="draw-rerun" class="primary">
              {c.t('enforcement.draw.rerun')}
            </button>
          </p>
          <div class="field">
            <label for="draw-file">{c.t('enforcement.draw.check_file')}</label>
            <p class="hint" id="draw-file-hint">
              {c.t('enforcement.draw.check_file_hint', { id })}
            </p>
            <FileInput c={c} id="draw-file" name="file" accept=".json,application/json" describedBy="draw-file-hint" />
          </div>
          <div id="draw-verdict" class="draw-verdict" role="status" aria-live="polite"></div>
        </section>
        <p id="draw-noscript" class="notice info">
          {c.t('enforcement.draw.noscript')}
        </p>
        <section aria-labelledby="draw-how-h">
          <h2 id="draw-how-h">{c.t('enforcement.draw.how_title')}</h2>
          {[1, 2, 3, 4].map((n) => (
            <p>{c.t(`enforcement.draw.how_${n}`)}</p>
          ))}
        </section>
        <nav aria-labelledby="draw-links-h">
          <h2 id="draw-links-h">{c.t('enforcement.draw.links')}</h2>
          <ul>
            <li>
              <a href={`/enforcement/draws/${id}`}>{c.t('enforcement.draw.link_notice')}</a>
            </li>
            <li>
              <a href={`/api/v1/inspections/draws/${id}`} type="application/json">
                {c.t('enforcement.draw.link_record')}
              </a>
            </li>
            <li>
              <a href={`/enforcement/draws/${id}.json`} download={`draw-${id}.json`}>
                {c.t('enforcement.draw.link_download')}
              </a>
            </li>
            <li>
              <a href="/enforcement/draws/method" type="text/plain">
                {c.t('enforcement.draw.link_method')}
              </a>
            </li>
            <li>
              <a href="/enforcement/draws/commit">{c.t('enforcement.draw.link_commit')}</a>
            </li>
          </ul>
        </nav>
        <script src="/static/draw-verify.js" defer></script>
      </PublicLayout>,
    );
  });

  app.get('/enforcement/draws/commit', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    // No form: the secret must never leave the browser, not even by pressing Enter without JavaScript.
    return reply.header('cache-control', 'public, max-age=300').html(
      <PublicLayout c={c} title={c.t('enforcement.draw.commit_title')} description={c.t('enforcement.draw.commit_intro')}>
        <h1>{c.t('enforcement.draw.commit_title')}</h1>
        <p class="lead">{c.t('enforcement.draw.commit_intro')}</p>
        <Notice kind="info">{c.t('enforcement.draw.commit_local')}</Notice>
        <section id="draw-commit" hidden data-messages={scriptTexts(c, /^enforcement\.draw\.commit_empty$/)} aria-label={c.t('enforcement.draw.commit_title')}>
          <div class="field">
            <label for="commit-secret">{c.t('enforcement.draw.commit_secret')}</label>
            <p class="hint" id="commit-secret-hint">
              {c.t('enforcement.draw.commit_secret_hint')}
            </p>
            <input id="commit-secret" type="text" autoComplete="off" spellcheck={false} aria-describedby="commit-secret-hint" />
          </div>
          <p>
            <button type="button" id="commit-compute" class="primary">
              {c.t('enforcement.draw.commit_compute')}
            </button>{' '}
            <button type="button" id="commit-random">
              {c.t('enforcement.draw.commit_random')}
            </button>
          </p>
          <p>
            {c.t('enforcement.draw.commit_value')}：
            <code id="commit-value" class="hash" aria-live="polite"></code>
          </p>
        </section>
        <p id="draw-noscript" class="notice info">
          {c.t('enforcement.draw.commit_noscript')}
        </p>
        <p>
          <a href="/enforcement/draws/method" type="text/plain">
            {c.t('enforcement.draw.link_method')}
          </a>
        </p>
        <script src="/static/draw-verify.js" defer></script>
      </PublicLayout>,
    );
  });

  app.get(
    '/enforcement/draws/method',
    { config: { permission: 'public' }, schema: { tags: ['inspections'], summary: 'The draw algorithm gongkai-draw/1 in full (docs/draws.md, Markdown as plain text)', response: { 200: media('The method', { 'text/plain': TextBody }) } } },
    async (_req, reply) => {
      const text = methodText();
      if (text === null) throw notFound();
      return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(text);
    },
  );
}
