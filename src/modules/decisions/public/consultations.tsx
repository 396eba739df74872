// Public pages of consultations: /decisions/consultations (open now first, then recent ones),
// /decisions/consultations/{cid} (the draft article by article with each article's published-comment
// count, the explanation, the period in Asia/Shanghai, any public reason for a short period, the
// counts received / published / hidden by reason, the closed state), the iCalendar feed
// /decisions/consultations.ics (comment periods and hearings) and the home page's block.
import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import ical from 'ical-generator';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import type { Db } from '../../../platform/db/index.js';
import { Dl, Empty, Notice, Pager, PublicLayout, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { notFound } from '../../../platform/errors.js';
import { listArticles } from '../service/articles.js';
import { consultationCounts, publicConsultation, publicConsultations, publicState, type ConsultationCounts } from '../service/consultations.js';
import { periodWords } from '../items/consultation.js';

/** The reasons a comment may be hidden (dec_comments.hide_reason), each with a label. */
export const HIDE_REASONS = ['abuse', 'personal_data', 'off_topic', 'duplicate'] as const;
const PAGE_SIZE = 20;
/** Hearings in the feed: announced and later (not drafts, not cancelled). */
const FEED_HEARING_STATES = ['announced', 'drawn', 'held'];

const stateOf = (c: { state: string; opens_at: string; closes_at: string }) => publicState(c);

function StateBadge({ c, state }: { c: PageCtx; state: string }) {
  return <span class={`state state-${state}`}>{c.t(`decisions.consultations.state.${state}`)}</span>;
}

function CountsBlock({ c, k }: { c: PageCtx; k: ConsultationCounts }) {
  const reasons = [...HIDE_REASONS, ...Object.keys(k.hiddenBy).filter((r) => !(HIDE_REASONS as readonly string[]).includes(r))];
  return (
    <section class="consultation-counts" aria-labelledby="counts-h">
      <h2 id="counts-h">{c.t('decisions.consultations.counts')}</h2>
      <Dl
        rows={[
          [c.t('decisions.consultations.received'), String(k.received)],
          [c.t('decisions.consultations.published'), String(k.published)],
          [c.t('decisions.consultations.pending'), String(k.pending)],
          [c.t('decisions.consultations.hidden'), String(k.hidden)],
        ]}
      />
      {k.hidden > 0 && (
        <>
          <h3>{c.t('decisions.consultations.hidden_by')}</h3>
          <ul class="hidden-reasons">
            {reasons
              .filter((r) => k.hiddenBy[r])
              .map((r) => (
                <li>{c.t('decisions.consultations.hidden_reason_n', { reason: (HIDE_REASONS as readonly string[]).includes(r) ? c.t(`decisions.consultations.hide_reason.${r}`) : c.t('decisions.consultations.hide_reason.other'), n: k.hiddenBy[r] })}</li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

type ListRow = Awaited<ReturnType<typeof publicConsultations>>['items'][number];

function ConsultationList({ c, items }: { c: PageCtx; items: ListRow[] }) {
  const lang = zhLang(c);
  return (
    <ul class="consultation-list">
      {items.map((x) => (
        <li>
          <a href={`/decisions/consultations/${x.id}`} lang={lang}>
            {x.title}
          </a>{' '}
          <StateBadge c={c} state={stateOf(x)} />
          <p class="hint">
            <span lang={lang}>{x.department}</span> · {periodWords(c, x.opens_at, x.closes_at)}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The home page's block: open consultations (closing soonest first), or nothing. */
export async function consultationsHome(p: Platform, c: PageCtx): Promise<VNode | null> {
  const now = new Date().toISOString();
  const open = await p.db
    .selectFrom('dec_consultations')
    .innerJoin('departments', 'departments.id', 'dec_consultations.department_id')
    .selectAll('dec_consultations')
    .select('departments.name as department')
    .where('dec_consultations.state', '=', 'open')
    .where('dec_consultations.closes_at', '>', now)
    .orderBy('dec_consultations.closes_at')
    .limit(6)
    .execute();
  if (!open.length) return null;
  return (
    <section class="home-consultations" aria-labelledby="home-consultations">
      <h2 id="home-consultations">{c.t('decisions.consultations.home_title')}</h2>
      <ConsultationList c={c} items={open} />
      <p>
        <a href="/decisions/consultations">{c.t('decisions.consultations.all')}</a> · <a href="/decisions/consultations.ics">{c.t('decisions.consultations.ics')}</a>
      </p>
    </section>
  );
}

/** The feed: one event per comment period (open and closed) and one per hearing (announced, drawn, held). */
export async function consultationsIcs(db: Db, base: string, now = new Date()): Promise<string> {
  const cal = ical({ prodId: { company: 'gongkai', product: 'decisions', language: 'ZH' }, name: '公开征求意见和听证' });
  cal.x([['X-WR-TIMEZONE', 'Asia/Shanghai']]);
  const host = (() => {
    try {
      return new URL(base).hostname || 'gongkai';
    } catch {
      return 'gongkai';
    }
  })();
  const cs = await db.selectFrom('dec_consultations').select(['id', 'title', 'opens_at', 'closes_at', 'short_reason']).where('state', 'in', ['open', 'closed']).orderBy('opens_at', 'desc').limit(1000).execute();
  for (const x of cs) {
    const url = `${base}/decisions/consultations/${x.id}`;
    cal.createEvent({
      id: `consultation-${x.id}@${host}`,
      start: new Date(x.opens_at),
      end: new Date(x.closes_at),
      stamp: now,
      summary: `征求意见：${x.title}`,
      description: [`${shanghaiDateTime(x.opens_at)}至${shanghaiDateTime(x.closes_at)}（北京时间）`, x.short_reason ? `征求意见期少于30日的理由：${x.short_reason}` : '', url].filter(Boolean).join('\n'),
      url,
    });
  }
  const hs = await db.selectFrom('dec_hearings').select(['id', 'title', 'starts_at', 'place']).where('state', 'in', FEED_HEARING_STATES).orderBy('starts_at', 'desc').limit(1000).execute();
  for (const h of hs) {
    const start = new Date(h.starts_at);
    if (Number.isNaN(start.getTime())) continue;
    const url = `${base}/decisions/hearings/${h.id}`;
    cal.createEvent({ id: `hearing-${h.id}@${host}`, start, end: new Date(start.getTime() + 2 * 3600_000), stamp: now, summary: `听证会：${h.title}`, location: h.place, description: url, url });
  }
  return cal.toString();
}

export async function consultationPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get('/decisions/consultations.ics', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'public, max-age=300').send(await consultationsIcs(p.db, c.base));
  });

  app.get<{ Querystring: { page?: number } }>(
    '/decisions/consultations',
    { config: { permission: 'public' }, schema: { querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }) } },
    async (req, reply) => {
      const c = req.ctx(reply);
      const page = req.query.page ?? 1;
      const r = await publicConsultations(p.db, { page, pageSize: PAGE_SIZE });
      const open = r.items.filter((x) => stateOf(x) !== 'closed');
      const closed = r.items.filter((x) => stateOf(x) === 'closed');
      return reply.html(
        <PublicLayout c={c} title={c.t('decisions.consultations.list_title')} description={c.t('decisions.consultations.list_lead')}>
          <p>
            <a href="/decisions">{c.t('nav.decisions')}</a>
          </p>
          <h1>{c.t('decisions.consultations.list_title')}</h1>
          <p class="lead">{c.t('decisions.consultations.list_lead')}</p>
          {!r.total && <Empty>{c.t('decisions.consultations.none')}</Empty>}
          {open.length > 0 && (
            <section aria-labelledby="open-h">
              <h2 id="open-h">{c.t('decisions.consultations.open_now')}</h2>
              <ConsultationList c={c} items={open} />
            </section>
          )}
          {closed.length > 0 && (
            <section aria-labelledby="recent-h">
              <h2 id="recent-h">{c.t('decisions.consultations.recent')}</h2>
              <ConsultationList c={c} items={closed} />
            </section>
          )}
          <Pager c={c} page={page} pageSize={PAGE_SIZE} total={r.total} href={(n) => `/decisions/consultations?page=${n}`} />
          <p>
            <a href="/decisions/consultations.ics">{c.t('decisions.consultations.ics')}</a>
          </p>
        </PublicLayout>,
      );
    },
  );

  app.get<{ Params: { cid: number } }>(
    '/decisions/consultations/:cid',
    { config: { permission: 'public' }, schema: { params: Type.Object({ cid: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) } },
    async (req, reply) => {
      const c = req.ctx(reply);
      const x = await publicConsultation(p.db, req.params.cid);
      if (!x) throw notFound();
      const [articles, k] = await Promise.all([listArticles(p.db, x.id), consultationCounts(p.db, x.id)]);
      const state = stateOf(x);
      const lang = zhLang(c);
      const base = `/decisions/consultations/${x.id}`;
      return reply.html(
        <PublicLayout c={c} title={x.title} description={c.t('decisions.consultations.page_description', { title: x.title })}>
          <p>
            <a href="/decisions/consultations">{c.t('decisions.consultations.list_title')}</a>
          </p>
          <h1 lang={lang}>{x.title}</h1>
          {state === 'open' ? (
            <Notice kind="info">{c.t('decisions.consultations.open_until', { to: shanghaiDateTime(x.closes_at) })}</Notice>
          ) : state === 'upcoming' ? (
            <Notice kind="info">{c.t('decisions.consultations.opens_on', { from: shanghaiDateTime(x.opens_at) })}</Notice>
          ) : (
            <Notice kind="warning">{c.t('decisions.consultations.closed_on', { to: shanghaiDateTime(x.closes_at) })}</Notice>
          )}
          <Dl
            rows={[
              [c.t('decisions.consultations.state_label'), <StateBadge c={c} state={state} />],
              [c.t('decisions.consultations.decision'), <a href={`/decisions/${x.decision_id}`} lang={lang}>{x.decisionTitle}</a>],
              [c.t('decisions.consultations.department'), <span lang={lang}>{x.department}</span>],
              [c.t('decisions.consultations.period'), periodWords(c, x.opens_at, x.closes_at)],
              ...(x.short_reason ? ([[c.t('decisions.consultations.short_reason'), <span class="pre short-reason" lang={lang}>{x.short_reason}</span>]] as [string, VNode][]) : []),
              ...(x.report_state === 'published' ? ([[c.t('decisions.consultations.report'), <a href={`${base}/report`}>{c.t('decisions.consultations.report_link')}</a>]] as [string, VNode][]) : []),
            ]}
          />
          <section aria-labelledby="expl-h">
            <h2 id="expl-h">{c.t('decisions.consultations.explanation')}</h2>
            <p class="pre" lang={lang}>
              {x.explanation}
            </p>
          </section>
          <CountsBlock c={c} k={k} />
          <section aria-labelledby="draft-h">
            <h2 id="draft-h">{c.t('decisions.consultations.draft')}</h2>
            <p>
              <a href={`${base}/general`}>{c.t('decisions.consultations.general_comments', { n: k.perArticle.general ?? 0 })}</a>
              {state === 'open' && (
                <>
                  {' · '}
                  <a href={`${base}/comment`}>{c.t('decisions.consultations.comment_general')}</a>
                </>
              )}
            </p>
            {articles.length ? (
              <ol class="articles">
                {articles.map((a) => (
                  <li id={`a${a.id}`} class="article">
                    <p lang={lang}>
                      {a.label && <strong class="article-label">{a.label}</strong>} <span class="pre">{a.text}</span>
                    </p>
                    <p class="article-actions">
                      <a href={`${base}/articles/${a.id}`}>{c.t('decisions.consultations.article_comments', { n: k.perArticle[String(a.id)] ?? 0 })}</a>
                      {state === 'open' && (
                        <>
                          {' · '}
                          <a href={`${base}/comment?article=${a.id}`}>{c.t('decisions.consultations.comment')}</a>
                        </>
                      )}
                    </p>
                  </li>
                ))}
              </ol>
            ) : (
              <Empty>{c.t('decisions.consultations.no_articles')}</Empty>
            )}
          </section>
        </PublicLayout>,
      );
    },
  );
}
