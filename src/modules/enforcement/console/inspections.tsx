// The console of random-inspection plans: the plans of one's departments (and a new one), a plan
// (its tasks, the add-task form with the filter pickers, publication with confirmation) and a task
// (its state, facts, current pool, edit form while 待抽取). Other parts add sections to the task page
// (the draw, the results) with addTaskSection.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { can } from '../../../platform/auth/policy.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, Notice, Select, TableWrap, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { intFrom } from '../../../platform/text.js';
import { industrySeed } from '../../lists/service/industry/table.js';
import type { PlanRow, TaskRow } from '../schema.js';
import { INSPECTION_FIELDS, RISK_LEVELS } from '../service/codes.js';
import { TaskFactsList, percent, stateLabel } from '../items.js';
import { distinctAreas, sampleSize, targetPool } from '../service/pool.js';
import { addTask, createPlan, deleteTask, departmentMatters, listsMounted, PLAN, planTasks, publishPlan, READ, rowFacts, staffPlan, staffPlans, staffTask, updatePlan, updateTask, type TaskInput } from '../service/plans.js';
import { TasksTable } from '../public/inspections.js';

type Fields = Record<string, string>;

/** A section of the console's task page, added by another part (the draw, the results). */
export type TaskSection = (p: Platform, c: PageCtx, ctx: { task: TaskRow; plan: PlanRow; user: Principal }) => Promise<VNode | null>;
const sections: TaskSection[] = [];
/** Adds a section to the console's task page (shown in the order added, after the task's own). */
export function addTaskSection(s: TaskSection): void {
  sections.push(s);
}

/** An error as field messages for the form (null: not ours to show — 404s, server errors). */
function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)]));
  return { _: req.t(err.message, params) };
}

const idOf = (s: string) => {
  const n = intFrom(s);
  if (!n || n < 1) throw notFound();
  return n;
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => ([] as unknown[]).concat(v ?? []).filter((x): x is string => typeof x === 'string').slice(0, 60);

/** Departments where the user may plan (the new-plan form). */
async function planningDepartments(p: Platform, user: Principal) {
  const rows = await p.db.selectFrom('departments').select(['id', 'name', 'sort']).where('active', '=', 1).orderBy('sort').execute();
  return rows.filter((d) => can(user, PLAN, { departmentId: d.id }));
}

// ---- the task form ------------------------------------------------------------------------------

/** The form's values as the service's input (sample as a count or a percentage of the pool). */
function taskInput(b: Record<string, unknown>): TaskInput {
  const kind = str(b.sampleKind);
  const pct = str(b.sampleRatio).trim();
  // A percentage with at most one decimal is a whole number of per mille; anything else is refused by the service.
  const perMille = /^\d{1,4}(\.\d)?$/.test(pct) ? Math.round(Number(pct) * 10) : pct === '' ? NaN : 0.5;
  const industries = [...list(b.industries), ...str(b.industriesMore).split(/[\s,，、;；]+/)].map((s) => s.trim()).filter(Boolean);
  return {
    title: str(b.title),
    matterCode: str(b.matterCode),
    matterName: str(b.matterName),
    field: str(b.field),
    filter: { industries, areas: list(b.areas), risks: list(b.risks) },
    sampleKind: kind,
    sampleValue: kind === 'ratio' ? perMille : Number(str(b.sampleCount) || NaN),
    perTarget: str(b.perTarget) === '' ? undefined : Number(str(b.perTarget)),
    windowStart: str(b.windowStart),
    windowEnd: str(b.windowEnd),
  };
}

/** A task as the form shows it. */
function formOf(t: TaskRow): Record<string, unknown> {
  const f = rowFacts(t);
  return { title: t.title, matterCode: t.matter_code, matterName: t.matter_name, field: t.field, industries: f.filter.industries, areas: f.filter.areas, risks: f.filter.risks, sampleKind: t.sample_kind, sampleCount: t.sample_kind === 'count' ? String(t.sample_value) : '', sampleRatio: t.sample_kind === 'ratio' ? percent(t.sample_value) : '', perTarget: String(t.per_target), windowStart: t.window_start, windowEnd: t.window_end };
}

interface FormData {
  matters: Awaited<ReturnType<typeof departmentMatters>>;
  lists: boolean;
  areas: string[];
}

async function formData(p: Platform, departmentId: number): Promise<FormData> {
  return { matters: await departmentMatters(p, p.db, departmentId), lists: listsMounted(p), areas: await distinctAreas(p.db) };
}

/** 门类 and 大类 of GB/T 4754, for the industry picker (finer codes go in the text field). */
let picker: { section: string; options: { value: string; label: string }[] }[] | null = null;
function industryPicker() {
  if (!picker) {
    const rows = industrySeed();
    picker = rows
      .filter((r) => r.level === 'section')
      .map((s) => ({ section: `${s.code} ${s.name}`, options: [{ value: s.code, label: `${s.code} ${s.name}` }, ...rows.filter((r) => r.level === 'division' && r.parent === s.code).map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }))] }));
  }
  return picker;
}

function TaskForm({ c, action, values, errors, data, submit }: { c: PageCtx; action: string; values: Record<string, unknown>; errors: Fields; data: FormData; submit: string }) {
  const v = (k: string) => str(values[k]);
  const chosen = new Set(list(values.industries));
  const pickable = new Set(industryPicker().flatMap((g) => g.options.map((o) => o.value)));
  const more = [...chosen].filter((x) => !pickable.has(x)).join(' ') || v('industriesMore');
  const areas = [...new Set([...data.areas, ...list(values.areas)])];
  const risks = new Set(list(values.risks));
  const kind = v('sampleKind') || 'count';
  const sampleError = errors.sampleValue ?? errors.sampleKind;
  return (
    <form method="post" action={action} class="stack task-form">
      <Csrf c={c} />
      <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_'))} />
      {data.lists && data.matters.length > 0 ? (
        <Select label={c.t('enforcement.task.matter')} name="matterCode" required value={v('matterCode')} blank={c.t('enforcement.plan.choose_matter')} error={errors.matterCode} options={data.matters.map((m) => ({ value: m.code, label: `${m.code} ${m.name}（${c.t(`enforcement.field.${m.field}`)}）` }))} />
      ) : (
        <>
          {data.lists && (
            <Notice kind="warning">
              {c.t('enforcement.plan.no_matters')} <a href="/lists/inspection-matter">{c.t('lists.type.inspection-matter')}</a>
            </Notice>
          )}
          <Field label={c.t('enforcement.task.matter_code')} name="matterCode" required value={v('matterCode')} maxLength={40} error={errors.matterCode} />
          {!data.lists && (
            <>
              <Field label={c.t('enforcement.task.matter_name')} name="matterName" required value={v('matterName')} maxLength={200} error={errors.matterName} />
              <Select label={c.t('enforcement.task.field')} name="field" required value={v('field')} blank="" error={errors.field} options={INSPECTION_FIELDS.map((f) => ({ value: f, label: c.t(`enforcement.field.${f}`) }))} />
            </>
          )}
        </>
      )}
      <Field label={c.t('enforcement.task.title')} name="title" value={v('title')} maxLength={200} hint={c.t('enforcement.plan.title_hint')} error={errors.title} />
      <fieldset>
        <legend>{c.t('enforcement.task.filter')}</legend>
        <p class="hint">{c.t('enforcement.plan.filter_hint')}</p>
        <div class={`field${errors['filter.industries'] ? ' has-error' : ''}`}>
          <label for="f-filter.industries">{c.t('enforcement.plan.industries')}</label>
          <p class="hint" id="f-filter.industries-hint">{c.t('enforcement.plan.industries_hint')}</p>
          {errors['filter.industries'] && (
            <p class="field-error" id="f-filter.industries-err">
              {errors['filter.industries']}
            </p>
          )}
          <select id="f-filter.industries" name="industries" multiple size={8} aria-describedby={`f-filter.industries-hint${errors['filter.industries'] ? ' f-filter.industries-err' : ''}`} aria-invalid={errors['filter.industries'] ? 'true' : undefined} lang={zhLang(c)}>
            {industryPicker().map((g) => (
              <optgroup label={g.section}>
                {g.options.map((o) => (
                  <option value={o.value} selected={chosen.has(o.value)}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <Field label={c.t('enforcement.plan.industries_more')} name="industriesMore" id="f-industriesMore" value={more} maxLength={300} hint={c.t('enforcement.plan.industries_more_hint')} />
        <fieldset id="f-filter.areas">
          <legend>{c.t('enforcement.plan.areas')}</legend>
          {errors['filter.areas'] && <p class="field-error">{errors['filter.areas']}</p>}
          {areas.length === 0 ? (
            <p class="hint">{c.t('enforcement.plan.no_areas')}</p>
          ) : (
            areas.map((a) => (
              <label class="checkbox" lang={zhLang(c)}>
                <input type="checkbox" name="areas" value={a} checked={list(values.areas).includes(a)} /> {a}
              </label>
            ))
          )}
        </fieldset>
        <fieldset id="f-filter.risks">
          <legend>{c.t('enforcement.plan.risks')}</legend>
          {errors['filter.risks'] && <p class="field-error">{errors['filter.risks']}</p>}
          {RISK_LEVELS.map((r) => (
            <label class="checkbox">
              <input type="checkbox" name="risks" value={r} checked={risks.has(r)} /> {c.t(`enforcement.risk.${r}`)}
            </label>
          ))}
        </fieldset>
      </fieldset>
      <fieldset id="f-sampleValue">
        <legend>{c.t('enforcement.task.sample')}</legend>
        {sampleError && <p class="field-error">{sampleError}</p>}
        <label class="checkbox">
          <input type="radio" name="sampleKind" value="count" checked={kind === 'count'} /> {c.t('enforcement.plan.sample_count')}
        </label>
        <Field label={c.t('enforcement.plan.sample_count_n')} name="sampleCount" id="f-sampleCount" value={v('sampleCount')} inputMode="numeric" maxLength={6} />
        <label class="checkbox">
          <input type="radio" name="sampleKind" value="ratio" checked={kind === 'ratio'} /> {c.t('enforcement.plan.sample_ratio')}
        </label>
        <Field label={c.t('enforcement.plan.sample_ratio_pct')} name="sampleRatio" id="f-sampleRatio" value={v('sampleRatio')} inputMode="decimal" maxLength={6} hint={c.t('enforcement.plan.sample_ratio_hint')} />
      </fieldset>
      <Field label={c.t('enforcement.task.per_target')} name="perTarget" type="number" value={v('perTarget') || '2'} required hint={c.t('enforcement.plan.per_target_hint')} error={errors.perTarget} />
      <Field label={c.t('enforcement.task.window_start')} name="windowStart" type="date" required value={v('windowStart')} error={errors.windowStart} />
      <Field label={c.t('enforcement.task.window_end')} name="windowEnd" type="date" required value={v('windowEnd')} error={errors.windowEnd} />
      <button type="submit" class="primary">
        {submit}
      </button>
    </form>
  );
}

// ---- pages --------------------------------------------------------------------------------------

export async function inspectionConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const plansPage = async (req: FastifyRequest, reply: FastifyReply, form?: { values: Record<string, string>; errors: Fields }, status = 200) => {
    const c = req.ctx(reply);
    const user = req.user!;
    const plans = await staffPlans(p, user);
    const depts = await planningDepartments(p, user);
    const errors = form?.errors ?? {};
    const values = form?.values ?? { year: String(Number(todayShanghai().slice(0, 4))), departmentId: depts.length === 1 ? String(depts[0].id) : '' };
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.plan.console')}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.inspections.breadcrumb')}>
          <a href="/admin/enforcement">{c.t('nav.enforcement_admin')}</a>
        </nav>
        <h1>{c.t('enforcement.plan.console')}</h1>
        <p class="hint">{c.t('enforcement.plan.console_intro')}</p>
        {plans.length === 0 ? (
          <Empty>{c.t('enforcement.plan.none')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.plan.console')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.plan.title')}</th>
                  <th scope="col">{c.t('enforcement.plan.department')}</th>
                  <th scope="col">{c.t('enforcement.plan.year')}</th>
                  <th scope="col">{c.t('enforcement.plan.task_count')}</th>
                  <th scope="col">{c.t('enforcement.plan.status')}</th>
                </tr>
              </thead>
              <tbody>
                {plans.map((x) => (
                  <tr>
                    <td>
                      <a href={`/admin/enforcement/plans/${x.id}`}>{x.title}</a>
                    </td>
                    <td>{x.department_name}</td>
                    <td>{x.year}</td>
                    <td>{x.tasks}</td>
                    <td>{c.t(`enforcement.plan.status.${x.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {depts.length > 0 && (
          <section aria-labelledby="new-plan-h">
            <h2 id="new-plan-h">{c.t('enforcement.plan.create')}</h2>
            {errors._ && <Notice kind="error">{errors._}</Notice>}
            <form method="post" action="/admin/enforcement/plans" class="stack">
              <Csrf c={c} />
              <ErrorSummary c={c} fields={Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_'))} />
              <Select label={c.t('enforcement.plan.department')} name="departmentId" required value={values.departmentId} blank="" error={errors.departmentId} options={depts.map((d) => ({ value: d.id, label: d.name }))} />
              <Field label={c.t('enforcement.plan.year')} name="year" type="number" required value={values.year} error={errors.year} />
              <Field label={c.t('enforcement.plan.title')} name="title" required value={values.title} maxLength={200} hint={c.t('enforcement.plan.plan_title_hint')} error={errors.title} />
              <button type="submit" class="primary">
                {c.t('enforcement.plan.create')}
              </button>
            </form>
          </section>
        )}
      </AdminLayout>,
      status,
    );
  };

  app.get('/admin/enforcement/plans', { config: { permission: READ } }, async (req, reply) => plansPage(req, reply));

  app.post<{ Body: Record<string, unknown> }>('/admin/enforcement/plans', { config: { permission: PLAN } }, async (req, reply) => {
    const b = req.body ?? {};
    const values = { departmentId: str(b.departmentId), year: str(b.year), title: str(b.title) };
    try {
      const plan = await createPlan(p, req.user!, { departmentId: Number(values.departmentId) || 0, year: Number(values.year) || 0, title: values.title });
      return reply.redirect(`/admin/enforcement/plans/${plan.id}?done=created`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return plansPage(req, reply, { values, errors }, (err as HttpError).status);
    }
  });

  const DONE = new Set(['created', 'saved', 'task_added', 'task_saved', 'task_deleted', 'published']);

  const planPage = async (req: FastifyRequest, reply: FastifyReply, id: number, form?: { kind: 'plan' | 'task' | 'publish'; values: Record<string, unknown>; errors: Fields }, status = 200) => {
    const c = req.ctx(reply);
    const user = req.user!;
    const plan = await staffPlan(p, user, id);
    const tasks = await planTasks(p.db, plan.id);
    const mayPlan = can(user, PLAN, { departmentId: plan.department_id });
    const dept = await p.db.selectFrom('departments').select('name').where('id', '=', plan.department_id).executeTakeFirstOrThrow();
    const indexNo = plan.pub_item_id ? (await p.db.selectFrom('pub_items').select('index_no').where('id', '=', plan.pub_item_id).executeTakeFirst())?.index_no : null;
    const done = str((req.query as Record<string, unknown>)?.done);
    const err = (k: 'plan' | 'task' | 'publish') => (form?.kind === k ? form.errors : {});
    return reply.html(
      <AdminLayout c={c} title={plan.title}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.inspections.breadcrumb')}>
          <a href="/admin/enforcement">{c.t('nav.enforcement_admin')}</a> › <a href="/admin/enforcement/plans">{c.t('enforcement.plan.console')}</a>
        </nav>
        <h1>{plan.title}</h1>
        {DONE.has(done) && <Notice kind="success">{c.t(`enforcement.plan.done.${done}`)}</Notice>}
        {err('publish')._ && <Notice kind="error">{err('publish')._}</Notice>}
        <Dl
          rows={[
            [c.t('enforcement.plan.department'), dept.name],
            [c.t('enforcement.plan.year'), String(plan.year)],
            [c.t('enforcement.plan.status'), c.t(`enforcement.plan.status.${plan.status}`)],
            ...(plan.pub_item_id
              ? ([
                  [c.t('enforcement.inspections.index_no'), indexNo ?? '—'],
                  [c.t('enforcement.plan.notice'), <><a href={`/catalog/items/${plan.pub_item_id}`}>{c.t('enforcement.inspections.notice_text')}</a> · <a href={`/enforcement/plans/${plan.id}`}>{c.t('enforcement.plan.public_page')}</a></>],
                ] as [string, VNode | string][])
              : []),
          ]}
        />
        {mayPlan && plan.status === 'draft' && (
          <details open={form?.kind === 'plan'}>
            <summary>{c.t('enforcement.plan.edit')}</summary>
            {err('plan')._ && <Notice kind="error">{err('plan')._}</Notice>}
            <form method="post" action={`/admin/enforcement/plans/${plan.id}`} class="stack">
              <Csrf c={c} />
              <Field label={c.t('enforcement.plan.year')} name="year" type="number" id="f-plan-year" required value={form?.kind === 'plan' ? str(form.values.year) : String(plan.year)} error={err('plan').year} />
              <Field label={c.t('enforcement.plan.title')} name="title" id="f-plan-title" required maxLength={200} value={form?.kind === 'plan' ? str(form.values.title) : plan.title} error={err('plan').title} />
              <button type="submit">{c.t('enforcement.plan.save')}</button>
            </form>
          </details>
        )}
        <h2>{c.t('enforcement.plan.tasks')}</h2>
        <TasksTable c={c} tasks={tasks} href={(t) => `/admin/enforcement/tasks/${t.id}`} />
        {mayPlan && (
          <section aria-labelledby="add-task-h">
            <h2 id="add-task-h">{c.t('enforcement.plan.add_task')}</h2>
            {plan.status === 'published' && <p class="hint">{c.t('enforcement.plan.add_published_hint')}</p>}
            {err('task')._ && <Notice kind="error">{err('task')._}</Notice>}
            <TaskForm c={c} action={`/admin/enforcement/plans/${plan.id}/tasks`} values={form?.kind === 'task' ? form.values : {}} errors={err('task')} data={await formData(p, plan.department_id)} submit={c.t('enforcement.plan.add_task')} />
          </section>
        )}
        {mayPlan && plan.status === 'draft' && tasks.length > 0 && (
          <section aria-labelledby="publish-h">
            <h2 id="publish-h">{c.t('enforcement.plan.publish')}</h2>
            <p>{c.t('enforcement.plan.publish_hint', { n: tasks.length })}</p>
            <ConfirmForm c={c} action={`/admin/enforcement/plans/${plan.id}/publish`} label={c.t('enforcement.plan.publish')} confirm={c.t('enforcement.plan.publish_confirm', { n: tasks.length })} />
          </section>
        )}
      </AdminLayout>,
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/enforcement/plans/:id', { config: { permission: READ } }, async (req, reply) => planPage(req, reply, idOf(req.params.id)));

  type Again = (req: FastifyRequest, reply: FastifyReply, id: number, b: Record<string, unknown>, errors: Fields, status: number) => Promise<unknown>;
  /** A form's POST on /…/:id: its action gives where to go next; on a field error the page again with the form's values and errors. */
  const formPost = (path: string, run: (req: FastifyRequest, id: number, b: Record<string, unknown>) => Promise<string>, again: Again) =>
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(path, { config: { permission: PLAN } }, async (req, reply) => {
      const id = idOf(req.params.id);
      const b = req.body ?? {};
      try {
        return reply.redirect(await run(req, id, b), 303);
      } catch (err) {
        const errors = errorFields(req, err);
        if (!errors) throw err;
        return again(req, reply, id, b, errors, (err as HttpError).status);
      }
    });
  const confirmed = (b: Record<string, unknown>) => {
    if (str(b.confirm) !== 'yes') throw new HttpError(400, 'bad_request', 'enforcement.plan.err.confirm');
  };

  formPost(
    '/admin/enforcement/plans/:id',
    async (req, id, b) => (await updatePlan(p, req.user!, id, { year: Number(str(b.year)) || 0, title: str(b.title) }), `/admin/enforcement/plans/${id}?done=saved`),
    (req, reply, id, b, errors, status) => planPage(req, reply, id, { kind: 'plan', values: b, errors }, status),
  );
  formPost(
    '/admin/enforcement/plans/:id/tasks',
    async (req, id, b) => (await addTask(p, req.user!, id, taskInput(b)), `/admin/enforcement/plans/${id}?done=task_added`),
    (req, reply, id, b, errors, status) => planPage(req, reply, id, { kind: 'task', values: b, errors }, status),
  );
  formPost(
    '/admin/enforcement/plans/:id/publish',
    async (req, id, b) => (confirmed(b), await publishPlan(p, req.user!, id), `/admin/enforcement/plans/${id}?done=published`),
    (req, reply, id, _b, errors, status) => planPage(req, reply, id, { kind: 'publish', values: {}, errors }, status),
  );

  const taskPage = async (req: FastifyRequest, reply: FastifyReply, id: number, form?: { values?: Record<string, unknown>; errors: Fields }, status = 200) => {
    const c = req.ctx(reply);
    const user = req.user!;
    const { task, plan } = await staffTask(p, user, id);
    const mayPlan = can(user, PLAN, { departmentId: plan.department_id });
    const facts = rowFacts(task);
    const pool = await targetPool(p.db, facts.filter);
    const done = str((req.query as Record<string, unknown>)?.done);
    const extra: VNode[] = [];
    for (const s of sections) {
      const v = await s(p, c, { task, plan, user });
      if (v) extra.push(v);
    }
    const errors = form?.errors ?? {};
    return reply.html(
      <AdminLayout c={c} title={task.title}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.inspections.breadcrumb')}>
          <a href="/admin/enforcement">{c.t('nav.enforcement_admin')}</a> › <a href="/admin/enforcement/plans">{c.t('enforcement.plan.console')}</a> › <a href={`/admin/enforcement/plans/${plan.id}`}>{plan.title}</a>
        </nav>
        <h1>{task.title}</h1>
        {DONE.has(done) && <Notice kind="success">{c.t(`enforcement.plan.done.${done}`)}</Notice>}
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <section class="task-state" aria-labelledby="task-state-h">
          <h2 id="task-state-h">{c.t('enforcement.task.state')}</h2>
          <p>{stateLabel(c, task.state)}</p>
          <ul class="links task-links">
            {task.task_item_id && (
              <li>
                <a href={`/enforcement/tasks/${task.id}`}>{c.t('enforcement.plan.public_page')}</a> · <a href={`/catalog/items/${task.task_item_id}`}>{c.t('enforcement.inspections.notice_text')}</a>
              </li>
            )}
          </ul>
        </section>
        <TaskFactsList c={c} t={facts} extra={[[c.t('enforcement.plan.pool_now'), c.t('enforcement.plan.pool_now_n', { pool: pool.length, n: sampleSize(facts.sampleKind, facts.sampleValue, pool.length) })]]} />
        {mayPlan && task.state === 'pending' && (
          <details open={!!form?.values}>
            <summary>{c.t('enforcement.plan.edit_task')}</summary>
            {task.task_item_id && <p class="hint">{c.t('enforcement.plan.edit_published_hint')}</p>}
            <TaskForm c={c} action={`/admin/enforcement/tasks/${task.id}`} values={form?.values ?? formOf(task)} errors={errors} data={await formData(p, plan.department_id)} submit={c.t('enforcement.plan.save_task')} />
          </details>
        )}
        {mayPlan && plan.status === 'draft' && (
          <ConfirmForm c={c} action={`/admin/enforcement/tasks/${task.id}/delete`} label={c.t('enforcement.plan.delete_task')} confirm={c.t('enforcement.plan.delete_confirm')} />
        )}
        {extra}
      </AdminLayout>,
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/enforcement/tasks/:id', { config: { permission: READ } }, async (req, reply) => taskPage(req, reply, idOf(req.params.id)));

  formPost(
    '/admin/enforcement/tasks/:id',
    async (req, id, b) => (await updateTask(p, req.user!, id, taskInput(b)), `/admin/enforcement/tasks/${id}?done=task_saved`),
    (req, reply, id, b, errors, status) => taskPage(req, reply, id, { values: b, errors }, status),
  );
  formPost(
    '/admin/enforcement/tasks/:id/delete',
    async (req, id, b) => {
      confirmed(b);
      const { plan } = await staffTask(p, req.user!, id, true);
      await deleteTask(p, req.user!, id);
      return `/admin/enforcement/plans/${plan.id}?done=task_deleted`;
    },
    (req, reply, id, _b, errors, status) => taskPage(req, reply, id, { errors: { _: Object.values(errors)[0] } }, status),
  );
}
