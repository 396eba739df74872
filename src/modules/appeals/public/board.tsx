// The public board of published (masked) appeals, a published appeal, its photos, and statistics.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Dl, Empty, Field, Pager, Select, TableWrap, Zh, langOfText, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { readStored, fileInfo } from '../../../platform/files/index.js';
import { listDepartments } from '../../org/service.js';
import { fmtTime, statusLabel } from '../views.js';
import { listCategories } from '../service/dispatch.js';
import { board, stats, isPublicAppeal, publishedTexts } from '../service/queries.js';
import { APPEAL_TYPES } from '../schema.js';
import { ratingLabel } from '../../../platform/ratings.js';
import { todayShanghai } from '../../../platform/calendar/index.js';

export function boardPages(app: FastifyInstance, p: Platform): void {
  app.get<{ Querystring: Record<string, string> }>('/appeals/board', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query ?? {};
    const type = (APPEAL_TYPES as readonly string[]).includes(q.type) ? q.type : '';
    const category = /^[a-z0-9-]{1,40}$/.test(q.category ?? '') ? q.category : '';
    const department = /^[a-z0-9-]{1,32}$/.test(q.department ?? '') ? q.department : '';
    const month = /^\d{4}-\d{2}$/.test(q.month ?? '') ? q.month : '';
    const page = Math.max(1, Math.min(10000, Number(q.page) || 1));
    const [r, cats, depts] = await Promise.all([board(p.db, { type, category, department, month, page, pageSize: 20 }), listCategories(p.db), listDepartments(p.db)]);
    const href = (n: number) => `/appeals/board?${new URLSearchParams({ type, category, department, month, page: String(n) })}`;
    reply.header('cache-control', 'public, max-age=30');
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.board')} description={c.t('appeals.meta.board', { name: c.gov.name })}>
        <div class="appeals">
          <h1>{c.t('appeals.board')}</h1>
          <p>{c.t('appeals.board_intro')}</p>
          <form method="get" class="filters" aria-label={c.t('common.filter')}>
            <Select label={c.t('appeals.type')} name="type" value={type} blank={c.t('common.all')} options={APPEAL_TYPES.map((t) => ({ value: t, label: c.t(`appeals.type.${t}`) }))} />
            <Select label={c.t('appeals.category')} name="category" value={category} blank={c.t('common.all')} options={cats.map((x) => ({ value: x.code, label: x.name }))} />
            <Select label={c.t('appeals.department')} name="department" value={department} blank={c.t('common.all')} options={depts.filter((d) => d.active).map((d) => ({ value: d.code, label: d.name }))} />
            <Field label={c.t('appeals.month')} name="month" value={month} type="month" />
            <button type="submit">{c.t('common.filter')}</button>
          </form>
          {r.capped && <p class="muted">{c.t('appeals.total_capped', { n: 10000 })}</p>}
          <BoardList c={c} items={r.items} />
          <Pager c={c} page={page} pageSize={20} total={Math.min(r.total, 10000)} href={href} />
        </div>
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/appeals/published/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const a = await p.db.selectFrom('appeals').selectAll().where('pub_item_id', '=', id).where((eb) => isPublicAppeal(eb)).executeTakeFirst();
    if (!a) throw notFound();
    const text = (await publishedTexts(p.db, [id])).get(id)!;
    const c = req.ctx(reply);
    const cat = await p.db.selectFrom('appeal_categories').select('name').where('code', '=', a.category).executeTakeFirst();
    const dept = a.department_id ? await p.db.selectFrom('departments').select('name').where('id', '=', a.department_id).executeTakeFirst() : null;
    const media = (JSON.parse(a.media || '[]') as string[]).filter((h) => /^[0-9a-f]{64}$/.test(h));
    return reply.html(
      <PublicLayout c={c} title={text.title} description={text.content || text.title} canonical={`/appeals/published/${id}`}>
        <div class="appeals">
          <p class="muted">{c.t('appeals.published_item')}</p>
          <h1 lang={langOfText(c, text.title)}>{text.title}</h1>
          <Dl
            rows={[
              [c.t('appeals.type'), c.t(`appeals.type.${a.type}`)],
              [c.t('appeals.category'), <Zh c={c}>{cat?.name ?? a.category}</Zh>],
              [c.t('appeals.department'), dept ? <Zh c={c}>{dept.name}</Zh> : '—'],
              [c.t('appeals.received_at'), fmtTime(a.created_at)],
              [c.t('appeals.replied_at'), fmtTime(a.replied_at)],
              [c.t('appeals.status'), statusLabel(c, a.status)],
              ...(a.rating ? ([[c.t('appeals.rating'), c.t(ratingLabel(a.rating))]] as [string, string][]) : []),
            ]}
          />
          <h2>{c.t('appeals.content')}</h2>
          <p class="appeal-text" lang={langOfText(c, text.content)}>{text.content}</p>
          <h2>{c.t('appeals.reply')}</h2>
          <p class="appeal-text appeal-reply" lang={zhLang(c)}>{text.reply}</p>
          {media.length > 0 && (
            <section>
              <h2>{c.t('appeals.media')}</h2>
              {media.map((h, i) => (
                <a href={`/appeals/media/${h}`}>
                  {c.t('appeals.media')} {i + 1}
                </a>
              ))}
            </section>
          )}
        </div>
      </PublicLayout>,
    );
  });

  app.get<{ Params: { hash: string } }>('/appeals/media/:hash', { config: { permission: 'public' } }, async (req, reply) => {
    const hash = req.params.hash;
    if (!/^[0-9a-f]{64}$/.test(hash)) throw notFound();
    const a = await p.db.selectFrom('appeals').select('id').where((eb) => isPublicAppeal(eb)).where('media', 'like', `%${hash}%`).executeTakeFirst();
    const info = a ? await fileInfo(p.db, hash) : null;
    if (!info) throw notFound();
    reply.header('content-type', info.mime).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff');
    return reply.send(readStored(p.config.dataDir, hash));
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/appeals/stats', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const d = (s?: string) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);
    const to = d(req.query.to) ?? todayShanghai();
    const from = d(req.query.from) ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    const s = await stats(p.db, from, to);
    const cats = new Map((await listCategories(p.db, true)).map((x) => [x.code, x.name]));
    const pct = (x: number | null) => (x === null ? '—' : `${x}%`);
    reply.header('cache-control', 'public, max-age=60');
    return reply.html(
      <PublicLayout c={c} title={c.t('appeals.stats')} description={c.t('appeals.meta.stats', { name: c.gov.name })}>
        <div class="appeals">
          <h1>{c.t('appeals.stats')}</h1>
          <form method="get" class="filters">
            <Field label={c.t('common.from')} name="from" type="date" value={from} />
            <Field label={c.t('common.to')} name="to" type="date" value={to} />
            <button type="submit">{c.t('common.filter')}</button>
          </form>
          <p>{c.t('appeals.stats_period', { from, to })}</p>
          <ul class="appeal-kpis">
            <li><span>{c.t('appeals.stats.total')}</span> <strong>{s.total}</strong></li>
            <li><span>{c.t('appeals.stats.response_rate')}</span> <strong>{pct(s.responseRate)}</strong></li>
            <li><span>{c.t('appeals.stats.resolution_rate')}</span> <strong>{pct(s.resolutionRate)}</strong></li>
            <li><span>{c.t('appeals.stats.satisfaction_rate')}</span> <strong>{pct(s.satisfactionRate)}</strong></li>
            <li><span>{c.t('appeals.stats.avg_days')}</span> <strong>{s.averageHandlingDays ?? '—'}</strong></li>
          </ul>
          <p class="hint">{c.t('appeals.stats.definitions')}</p>
          <h2>{c.t('appeals.stats.hot')}</h2>
          <StatTable c={c} label={c.t('appeals.stats.hot')} head={[c.t('appeals.category'), c.t('appeals.stats.count'), c.t('appeals.stats.previous')]} rows={s.hotTopics.map((h) => [cats.get(h.category) ?? h.category, h.n, h.previous])} chinese />
          <h2>{c.t('appeals.stats.by_type')}</h2>
          <StatTable c={c} label={c.t('appeals.stats.by_type')} head={[c.t('appeals.type'), c.t('appeals.stats.count')]} rows={s.byType.map((r) => [c.t(`appeals.type.${r.key}`), r.n])} />
          <h2>{c.t('appeals.stats.by_category')}</h2>
          <StatTable c={c} label={c.t('appeals.stats.by_category')} head={[c.t('appeals.category'), c.t('appeals.stats.count')]} rows={s.byCategory.map((r) => [cats.get(r.key) ?? r.key, r.n])} chinese />
          <h2>{c.t('appeals.stats.by_department')}</h2>
          <StatTable c={c} label={c.t('appeals.stats.by_department')} head={[c.t('appeals.department'), c.t('appeals.stats.count'), c.t('appeals.stats.replied'), c.t('appeals.stats.overdue')]} rows={s.byDepartment.map((r) => [r.name, r.n, r.replied, r.overdue])} chinese />
          <h2>{c.t('appeals.stats.ratings')}</h2>
          <StatTable c={c} label={c.t('appeals.stats.ratings')} head={[c.t('appeals.rating'), c.t('appeals.stats.count')]} rows={s.ratings.map((r) => [c.t(ratingLabel(r.key)), r.n])} />
        </div>
      </PublicLayout>,
    );
  });
}

/** `chinese`: the first column names categories or departments (staff's Chinese text). */
function StatTable({ c, label, head, rows, chinese }: { c: PageCtx; label: string; head: string[]; rows: (string | number)[][]; chinese?: boolean }) {
  if (!rows.length) return <p class="empty">—</p>;
  return (
    <TableWrap label={label}>
    <table class="appeal-stats">
      <thead>
        <tr>{head.map((h) => <th scope="col">{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>{r.map((x, i) => (i === 0 ? <th scope="row" lang={chinese ? zhLang(c) : undefined}>{x}</th> : <td>{x}</td>))}</tr>
        ))}
      </tbody>
    </table>
    </TableWrap>
  );
}

export function BoardList({ c, items }: { c: PageCtx; items: Awaited<ReturnType<typeof board>>['items'] }) {
  if (!items.length) return <Empty>{c.t('appeals.board_none')}</Empty>;
  return (
    <ul class="appeal-board">
      {items.map((i) => (
        <li>
          <h3>
            <a href={`/appeals/published/${i.pub_item_id}`} lang={langOfText(c, i.title_masked)}>{i.title_masked}</a>
          </h3>
          <p class="muted">
            {c.t(`appeals.type.${i.type}`)} · <Zh c={c}>{i.department_name}</Zh> · {fmtTime(i.created_at).slice(0, 10)}
            {i.rating && ` · ${c.t(ratingLabel(i.rating))}`}
          </p>
          <p lang={langOfText(c, i.content_masked)}>{(i.content_masked ?? '').slice(0, 120)}</p>
          {i.reply_masked && (
            <p class="appeal-reply">
              {c.t('appeals.reply')}：<Zh c={c}>{i.reply_masked.slice(0, 120)}</Zh>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
