// Public pages: the calendar with a time-limit calculator, the rule catalogue, a clock's page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { Empty, Field, Notice, PublicLayout, Select, TableWrap, zhLang, type PageCtx } from '../../platform/render/index.js';
import { HttpError } from '../../platform/errors.js';
import { ensureCalendar, plusDays, todayShanghai, yearSchedule, type DueResult } from '../../platform/calendar/index.js';
import { listRules } from '../../platform/deadlines/index.js';
import { computeDueQuery, dueQuery } from './api.js';
import { clockPage, DueDate, Explanation, RulesTable, YearGrid } from './views.js';
import { listSource, type SitemapSource } from '../../platform/sitemap.js';
import '../../platform/calendar/store.js';
import '../../platform/deadlines/schema.js';

function yearOf(raw: string | undefined): number {
  const y = Number(raw);
  return Number.isInteger(y) && y >= 1900 && y <= 2299 ? y : Number(todayShanghai().slice(0, 4));
}

/** Holidays and make-up days of a year, consecutive days of one holiday grouped into one row. */
function DaysTable({ c, year }: { c: PageCtx; year: number }) {
  const days = yearSchedule(year).days;
  if (days.length === 0) return <Empty>{c.t('calendar.none')}</Empty>;
  const groups: { from: string; to: string; kind: string; name: string; n: number }[] = [];
  for (const d of days) {
    const g = groups[groups.length - 1];
    if (g && g.kind === d.kind && g.name === d.name && plusDays(g.to, 1) === d.date) {
      g.to = d.date;
      g.n++;
    } else groups.push({ from: d.date, to: d.date, kind: d.kind, name: d.name, n: 1 });
  }
  return (
    <TableWrap label={c.t('calendar.days_list')}>
    <table class="cal-days">
      <caption>{c.t('calendar.days_list')}</caption>
      <thead>
        <tr>
          <th scope="col">{c.t('calendar.name')}</th>
          <th scope="col">{c.t('calendar.kind')}</th>
          <th scope="col">{c.t('calendar.date')}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr class={`kind-${g.kind}`}>
            <td lang={zhLang(c)}>{g.name}</td>
            <td>{g.kind === 'holiday' ? c.t('calendar.holiday') : c.t('calendar.workday')}</td>
            <td>
              <time dateTime={g.from}>{g.from}</time>
              {g.n > 1 && (
                <>
                  {' — '}
                  <time dateTime={g.to}>{g.to}</time> {c.t('calendar.n_days', { n: g.n })}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </TableWrap>
  );
}

function Calculator({ c, action, q, result, error }: { c: PageCtx; action: string; q: Record<string, string>; result: DueResult | null; error: string | null }) {
  return (
    <section class="calc" aria-labelledby="calc-h">
      <h2 id="calc-h">{c.t('calendar.calc')}</h2>
      <form method="get" action={action} class="filters">
        {q.year && <input type="hidden" name="year" value={q.year} />}
        <Field label={c.t('calendar.calc_start')} name="start" type="date" value={q.start ?? todayShanghai()} required />
        <Field label={c.t('calendar.calc_amount')} name="n" type="number" value={q.n ?? '20'} required inputMode="numeric" />
        <Select label={c.t('calendar.calc_unit')} name="unit" value={q.unit ?? 'workdays'} options={['workdays', 'days', 'months'].map((u) => ({ value: u, label: c.t(`calendar.unit.${u}`) }))} />
        <button type="submit">{c.t('calendar.calc_submit')}</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {result && (
        <div class="calc-result" role="status">
          <p>
            {c.t('calendar.due')}：<strong><DueDate c={c} due={result.due} provisional={result.provisional} /></strong>
          </p>
          <Explanation c={c} counted={result.counted} skipped={result.skipped} />
        </div>
      )}
    </section>
  );
}

function runCalc(req: FastifyRequest, q: Record<string, string>): { result: DueResult | null; error: string | null } {
  if (!q.start) return { result: null, error: null };
  try {
    const unit = ['workdays', 'days', 'months'].includes(q.unit) ? q.unit : 'workdays';
    return { result: computeDueQuery(dueQuery({ start: q.start, [unit]: q.n })), error: null };
  } catch (err) {
    if (err instanceof HttpError) return { result: null, error: req.t('calendar.err.bad_input') };
    throw err;
  }
}

/** A year's calendar page: /calendar for this year, /calendar?year=Y for the others (the canonical
 *  address, without the calculator's parameters). */
const calendarPath = (year: number) => (year === Number(todayShanghai().slice(0, 4)) ? '/calendar' : `/calendar?year=${year}`);

/** The calendar's pages for the XML sitemap: each published year (when it was last changed) and the rules. */
export function calendarSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('calendar', async () => {
      const years = await p.db.selectFrom('calendar_years').select(['year', 'updated_at']).where('published', '=', 1).orderBy('year').execute();
      const thisYear = Number(todayShanghai().slice(0, 4));
      // A rule's change is a new version (a row of its own): the newest row is the last change.
      const rules = await p.db.selectFrom('deadline_rules').select((eb) => eb.fn.max('created_at').as('m')).executeTakeFirst();
      return [
        { path: '/calendar', lastmod: years.find((y) => y.year === thisYear)?.updated_at ?? null },
        ...years.filter((y) => y.year !== thisYear).map((y) => ({ path: calendarPath(y.year), lastmod: y.updated_at })),
        { path: '/deadline-rules', lastmod: (rules?.m as string | null) ?? null },
      ];
    }),
  ];
}

export async function calendarPublic(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- public ----
  app.get<{ Querystring: Record<string, string> }>('/calendar', { config: { permission: 'public' } }, async (req, reply) => {
    await ensureCalendar(p.db);
    const c = req.ctx(reply);
    const year = yearOf(req.query.year);
    const s = yearSchedule(year);
    const q = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v).slice(0, 20)]));
    const { result, error } = runCalc(req, q);
    return reply.header('cache-control', 'public, max-age=60').html(
      <PublicLayout c={c} title={c.t('calendar.title', { year })} description={`${c.t('calendar.title', { year })}：${c.t('calendar.intro')}`} canonical={calendarPath(year)}>
        <h1>{c.t('calendar.title', { year })}</h1>
        <p class="lead">{c.t('calendar.intro')}</p>
        <Notice kind={s.published ? 'info' : 'warning'}>{s.published ? c.t('calendar.published') : c.t('calendar.unpublished')}</Notice>
        <nav class="year-nav" aria-label={c.t('calendar.years')}>
          {year > 1900 && <a href={`/calendar?year=${year - 1}`}>{c.t('calendar.prev_year')}</a>} {year < 2299 && <a href={`/calendar?year=${year + 1}`}>{c.t('calendar.next_year')}</a>}
        </nav>
        <Calculator c={c} action="/calendar" q={{ ...q, year: String(year) }} result={result} error={error} />
        <DaysTable c={c} year={year} />
        <YearGrid c={c} year={year} />
      </PublicLayout>,
      error ? 400 : 200,
    );
  });

  app.get('/deadline-rules', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rules = await listRules(p.db);
    return reply.html(
      <PublicLayout c={c} title={c.t('deadlines.rules_title')} description={c.t('deadlines.rules_intro')}>
        <h1>{c.t('deadlines.rules_title')}</h1>
        <p>{c.t('deadlines.rules_intro')}</p>
        <RulesTable c={c} rules={rules} admin={false} />
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/clocks/:id', { config: { permission: 'public' } }, async (req, reply) => clockPage(p, req, reply, false));
}
