// Public pages of 双随机一公开: the published plans by year and department with their tasks' states
// (/enforcement/inspections), one plan (/enforcement/plans/:id) and one task (/enforcement/tasks/:id:
// the matter with its basis, the filter in words, the sample, the window, the state; its draw —
// inputs published, witnesses' commitments, links to the draw notice and its re-run — and, once the
// results are published, every target with its inspectors and result).
import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Platform } from '../../../platform/platform.js';
import { notFound } from '../../../platform/errors.js';
import { Dl, Empty, Pager, PublicLayout, Select, TableWrap, Zh, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { intFrom } from '../../../platform/text.js';
import type { TaskRow } from '../schema.js';
import { TaskFactsList, TaskTable, stateLabel } from '../items.js';
import { publicPlan, publicPlanFacets, publicPlans, publicTask, rowFacts } from '../service/plans.js';

const PAGE = 10;

/** A plan's tasks with their states (`href`: where a task's title leads). */
export function TasksTable({ c, tasks, href }: { c: PageCtx; tasks: TaskRow[]; href: (t: TaskRow) => string }) {
  if (!tasks.length) return <Empty>{c.t('enforcement.plan.no_tasks')}</Empty>;
  return <TaskTable c={c} rows={tasks.map((t) => ({ href: href(t), title: t.title, facts: rowFacts(t), state: t.state }))} />;
}

const Breadcrumb = ({ c, children }: { c: PageCtx; children?: ComponentChildren }) => (
  <nav class="breadcrumb" aria-label={c.t('enforcement.inspections.breadcrumb')}>
    <a href="/enforcement">{c.t('nav.enforcement')}</a> › <a href="/enforcement/inspections">{c.t('enforcement.inspections.title')}</a>
    {children}
  </nav>
);

export async function inspectionPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/enforcement/inspections', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const facets = await publicPlanFacets(p.db);
    const y = intFrom(req.query.year);
    const year = y && facets.years.includes(y) ? y : undefined;
    const department = facets.departments.some((d) => d.code === req.query.department) ? req.query.department : undefined;
    const page = Math.max(1, Math.min(10000, intFrom(req.query.page) ?? 1));
    const r = await publicPlans(p.db, { year, department, page, pageSize: PAGE });
    const href = (n: number) => `/enforcement/inspections?${new URLSearchParams({ ...(year ? { year: String(year) } : {}), ...(department ? { department } : {}), page: String(n) })}`;
    return reply.html(
      <PublicLayout c={c} title={c.t('enforcement.inspections.title')} description={c.t('enforcement.inspections.description', { name: c.gov.name })}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.inspections.breadcrumb')}>
          <a href="/enforcement">{c.t('nav.enforcement')}</a>
        </nav>
        <h1>{c.t('enforcement.inspections.title')}</h1>
        <p class="lead">{c.t('enforcement.inspections.lead')}</p>
        <form method="get" class="filters" aria-label={c.t('enforcement.inspections.filter')}>
          <Select label={c.t('enforcement.plan.year')} name="year" value={year ?? ''} blank={c.t('enforcement.inspections.all')} options={facets.years.map((x) => ({ value: x, label: c.t('enforcement.plan.year_n', { year: x }) }))} />
          <Select label={c.t('enforcement.plan.department')} name="department" value={department ?? ''} blank={c.t('enforcement.inspections.all')} options={facets.departments.map((d) => ({ value: d.code, label: d.name }))} />
          <button type="submit">{c.t('enforcement.inspections.filter')}</button>
        </form>
        <p class="meta" role="status">{c.t('enforcement.inspections.total', { n: r.total })}</p>
        {r.items.length === 0 ? (
          <Empty>{c.t('enforcement.inspections.empty')}</Empty>
        ) : (
          r.items.map((plan) => (
            <section class="inspection-plan" aria-labelledby={`plan-${plan.id}`}>
              <h2 id={`plan-${plan.id}`} lang={zhLang(c)}>
                <a href={`/enforcement/plans/${plan.id}`}>{plan.title}</a>
              </h2>
              <p class="meta">
                <Zh c={c}>{plan.department_name}</Zh> · {c.t('enforcement.plan.year_n', { year: plan.year })}
                {plan.index_no && <> · {c.t('enforcement.inspections.index_no')}：{plan.index_no}</>}
                {plan.published_at && <> · {c.t('enforcement.inspections.published_on', { date: shanghaiDate(plan.published_at) })}</>}
              </p>
              <TasksTable c={c} tasks={plan.tasks} href={(t) => `/enforcement/tasks/${t.id}`} />
            </section>
          ))
        )}
        <Pager c={c} page={page} pageSize={PAGE} total={r.total} href={href} />
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/enforcement/plans/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const plan = await publicPlan(p.db, intFrom(req.params.id) ?? 0);
    if (!plan) throw notFound();
    const c = req.ctx(reply);
    return reply.html(
      <PublicLayout c={c} title={plan.title} description={c.t('enforcement.plan.description', { dept: plan.department_name, year: plan.year, n: plan.tasks.length })}>
        <Breadcrumb c={c} />
        <h1 lang={zhLang(c)}>{plan.title}</h1>
        <Dl
          rows={[
            [c.t('enforcement.plan.department'), <Zh c={c}>{plan.department_name}</Zh>],
            [c.t('enforcement.plan.year'), String(plan.year)],
            [c.t('enforcement.inspections.index_no'), plan.index_no ?? '—'],
            [c.t('enforcement.plan.published_at'), shanghaiDate(plan.published_at)],
            [c.t('enforcement.plan.notice'), <a href={`/catalog/items/${plan.pub_item_id}`}>{c.t('enforcement.inspections.notice_text')}</a>],
          ]}
        />
        <h2>{c.t('enforcement.plan.tasks')}</h2>
        <TasksTable c={c} tasks={plan.tasks} href={(t) => `/enforcement/tasks/${t.id}`} />
      </PublicLayout>,
    );
  });

  app.get<{ Params: { id: string } }>('/enforcement/tasks/:id', { config: { permission: 'public' } }, async (req, reply) => {
    const v = await publicTask(p.db, intFrom(req.params.id) ?? 0);
    if (!v) throw notFound();
    const c = req.ctx(reply);
    const { task, plan, notice, draw, checks } = v;
    const facts = rowFacts(task, notice.data.matter);
    return reply.html(
      <PublicLayout c={c} title={task.title} description={c.t('enforcement.task.description', { dept: plan.department_name, matter: task.matter_name, start: task.window_start, end: task.window_end })}>
        <Breadcrumb c={c}>
          {' › '}
          <a href={`/enforcement/plans/${plan.id}`} lang={zhLang(c)}>{plan.title}</a>
        </Breadcrumb>
        <h1 lang={zhLang(c)}>{task.title}</h1>
        <Dl
          rows={[
            [c.t('enforcement.task.state'), stateLabel(c, task.state)],
            [c.t('enforcement.plan.department'), <Zh c={c}>{plan.department_name}</Zh>],
            [c.t('enforcement.inspections.index_no'), notice.indexNo ?? '—'],
            [c.t('enforcement.task.notice'), <a href={`/catalog/items/${notice.id}`}>{c.t('enforcement.inspections.notice_text')}</a>],
          ]}
        />
        <h2>{c.t('enforcement.task.facts')}</h2>
        <TaskFactsList c={c} t={facts} />
        <section aria-labelledby="draw-h">
          <h2 id="draw-h">{c.t('enforcement.task.draw')}</h2>
          {!draw ? (
            <p>{c.t('enforcement.task.no_draw')}</p>
          ) : (
            <>
              <Dl
                rows={[
                  [c.t('enforcement.task.draw_status'), c.t(`enforcement.task.draw_status.${draw.status}`)],
                  ...(draw.sampleSize !== null ? ([[c.t('enforcement.task.draw_sample_size'), c.t('enforcement.task.draw_sample_of', { n: draw.sampleSize, pool: draw.targets ?? '—' })]] as [string, string][]) : []),
                  ...(draw.inspectors !== null ? ([[c.t('enforcement.task.draw_inspector_pool'), String(draw.inspectors)]] as [string, string][]) : []),
                ]}
              />
              <h3>{c.t('enforcement.task.draw_witnesses')}</h3>
              <p class="hint">{c.t('enforcement.task.draw_witnesses_hint')}</p>
              <ol class="witnesses">
                {draw.witnesses.map((w) => (
                  <li>
                    <Zh c={c}>{w.name}</Zh>：<code class="hash">{w.commitment}</code>
                  </li>
                ))}
              </ol>
              <p>
                <a href={`/enforcement/draws/${draw.id}`}>{c.t('enforcement.task.draw_notice')}</a>
                {draw.status === 'done' && (
                  <>
                    {' · '}
                    <a href={`/enforcement/draws/${draw.id}/verify`}>{c.t('enforcement.task.draw_verify')}</a>
                  </>
                )}
              </p>
            </>
          )}
        </section>
        {checks.length > 0 && (
          <section aria-labelledby="results-h">
            <h2 id="results-h">{c.t('enforcement.task.results')}</h2>
            <TableWrap label={c.t('enforcement.task.results')}>
              <table class="data inspection-results">
                <thead>
                  <tr>
                    <th scope="col">{c.t('enforcement.task.check_ordinal')}</th>
                    <th scope="col">{c.t('enforcement.task.check_entity')}</th>
                    <th scope="col">{c.t('enforcement.task.check_credit_code')}</th>
                    <th scope="col">{c.t('enforcement.task.check_inspectors')}</th>
                    <th scope="col">{c.t('enforcement.task.check_result')}</th>
                  </tr>
                </thead>
                <tbody>
                  {checks.map((k) => (
                    <tr>
                      <td>{k.ordinal}</td>
                      <td lang={zhLang(c)}>
                        <a href={`/enforcement/entities/${k.creditCode}`}>{k.name || k.creditCode}</a>
                      </td>
                      <td>{k.creditCode}</td>
                      <td>{k.inspectors.join(c.t('enforcement.filter.list_sep'))}</td>
                      <td>{k.result ? c.t(`enforcement.result.${k.result}`) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        )}
      </PublicLayout>,
    );
  });
}
