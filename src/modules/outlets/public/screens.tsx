// The kiosk (电子显示屏): /screens/:token shows one item at a time, full screen, with a clock
// and a progress bar (web/static/kiosk.js); without scripts it is the list. The playlist
// /screens/:token/playlist.json is cached per screen and publication generation (ETag, 304);
// a fetch that renders a new one writes what the screen shows to the delivery ledger.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import type { PageCtx } from '../../../platform/render/index.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { notFound } from '../../../platform/errors.js';
import { outletByToken } from '../service/outlets.js';
import { playlist, playlistItems, recordShown, touchSeen, POLL_SECONDS, type PlaylistItem } from '../service/playlist.js';

/** The texts kiosk.js shows, in the page's language. */
const KIOSK_TEXTS = ['kiosk.index_no', 'kiosk.department', 'kiosk.published', 'kiosk.progress', 'kiosk.empty'];

export function KioskItem({ c, x }: { c: PageCtx; x: PlaylistItem }) {
  return (
    <li class="kiosk-item" data-id={x.id} data-version={x.version}>
      <p class="kiosk-dept">{x.department}</p>
      <h2 class="kiosk-title">{x.title}</h2>
      {x.summary && <p class="kiosk-summary">{x.summary}</p>}
      <p class="kiosk-meta">
        {x.indexNo && (
          <span>
            {c.t('kiosk.index_no')}：{x.indexNo}
          </span>
        )}
        <span>
          {c.t('kiosk.published')}：{shanghaiDate(x.publishedAt)}
        </span>
      </p>
    </li>
  );
}

function KioskPage({ c, name, token, rotate, items }: { c: PageCtx; name: string; token: string; rotate: number; items: PlaylistItem[] }) {
  const texts = JSON.stringify(Object.fromEntries(KIOSK_TEXTS.map((k) => [k.slice(6), c.t(k)])));
  return (
    <html lang={c.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${name} - ${c.gov.name}`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/kiosk.css" />
        <script src="/static/kiosk.js" defer />
      </head>
      <body class="kiosk" data-playlist={`/screens/${token}/playlist.json`} data-rotate={rotate} data-poll={POLL_SECONDS} data-texts={texts} data-locale={c.locale}>
        <header class="kiosk-header">
          <span class="kiosk-brand">
            <span class="brand-emblem" aria-hidden="true">公</span>
            <span>{c.gov.name}</span>
          </span>
          <span class="kiosk-name">{name}</span>
          <time class="kiosk-clock" id="kiosk-clock">{shanghaiDateTime(new Date().toISOString())}</time>
        </header>
        <main class="kiosk-main" id="kiosk-main">
          {items.length ? (
            <ol class="kiosk-list" id="kiosk-list">
              {items.map((x) => (
                <KioskItem c={c} x={x} />
              ))}
            </ol>
          ) : (
            <p class="kiosk-empty" id="kiosk-list">{c.t('kiosk.empty')}</p>
          )}
          <section class="kiosk-paused" id="kiosk-paused" hidden>
            <p class="kiosk-paused-title">{c.t('kiosk.paused')}</p>
            <p>{c.t('kiosk.paused_note')}</p>
          </section>
        </main>
        <footer class="kiosk-footer">
          <div class="kiosk-progress" aria-hidden="true">
            <div class="kiosk-bar" id="kiosk-bar" />
          </div>
          <span class="kiosk-count" id="kiosk-count" />
          <span class="kiosk-site">{c.t('kiosk.more')}：{c.base}</span>
        </footer>
      </body>
    </html>
  );
}

export async function screenPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { token: string } }>('/screens/:token', { config: { permission: 'public' } }, async (req, reply) => {
    const o = await outletByToken(p.db, req.params.token);
    if (!o) throw notFound();
    await touchSeen(p.db, o.id);
    const c = req.ctx(reply);
    const items = await playlistItems(p, o);
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.html(<KioskPage c={c} name={o.name} token={o.token} rotate={o.rotateSeconds} items={items} />);
  });

  app.get<{ Params: { token: string } }>('/screens/:token/playlist.json', { config: { permission: 'public' } }, async (req, reply) => {
    const o = await outletByToken(p.db, req.params.token);
    if (!o) throw notFound();
    await touchSeen(p.db, o.id);
    reply.header('x-robots-tag', 'noindex, nofollow');
    // Rendered once per screen, publication generation and change of its settings or pins; the
    // render is what a kiosk fetches next, so it is what the screen shows: the ledger records it.
    return cachedPublic(p.db, req, reply, `screen:${o.id}:${o.updatedAt}`, async () => {
      const list = await playlist(p, o);
      await recordShown(p, o.id, list.items);
      return { type: 'application/json; charset=utf-8', body: JSON.stringify(list) };
    });
  });
}
