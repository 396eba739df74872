// Console of the draws and results: a task's draw page (/admin/enforcement/tasks/{id}/draw:
// prepare with the witnesses' commitments, draw with their secrets and an optional beacon, the
// checks with their results, publication of the 结果公告) and "my inspections"
// (/admin/enforcement/checks: the logged-in inspector's checks with a result form, and for
// approvers the completed tasks awaiting publication).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf } from '../../../platform/auth/policy.js';
import { HttpError, forbidden, notFound } from '../../../platform/errors.js';
import { AdminLayout, Csrf, Dl, Empty, ErrorSummary, Field, Notice, Select, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { hasMessage } from '../../../platform/i18n/index.js';
import { RESULT_CODES } from '../service/codes.js';
import { MAX_WITNESSES, drawTask, loadTask, prepareDraw, type Witness } from '../service/draws.js';
import { enterResult, myChecks, publishResults, taskChecks, type CheckView } from '../service/results.js';
import type { TaskRow } from '../schema.js';
import { TargetsTable } from '../items.js';

type Fields = Record<string, string>;
interface FormState {
  values: Record<string, string>;
  errors: Fields;
}

/** An expected error as field messages for the page (null: not ours to show). */
function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404) return null;
  const params = err.params ? Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, typeof v === 'string' && hasMessage(v) ? req.t(v) : v])) : undefined;
  const out: Fields = { _: req.t(err.message, params) };
  for (const [k, v] of Object.entries(err.fields ?? {})) out[k] = req.t(v, params);
  if (err.fields && err.message === 'err.validation') delete out._;
  return out;
}

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Witness rows of the form: up to the last row with anything in it (a blank row in between is an error). */
function witnessesFrom(b: Record<string, unknown>): Witness[] {
  const rows = Array.from({ length: MAX_WITNESSES }, (_, i) => ({ name: str(b[`witnesses.${i}.name`]), commitment: str(b[`witnesses.${i}.commitment`]) }));
  let last = -1;
  rows.forEach((r, i) => {
    if (r.name.trim() || r.commitment.trim()) last = i;
  });
  return rows.slice(0, last + 1);
}

const FORM_WITNESSES = 3;

function sampleText(c: PageCtx, t: TaskRow): string {
  return t.sample_kind === 'ratio' ? c.t('enforcement.draws.sample_ratio', { ratio: (t.sample_value / 10).toString() }) : c.t('enforcement.draws.sample_count', { n: t.sample_value });
}

function ChecksTable({ c, checks }: { c: PageCtx; checks: CheckView[] }) {
  return (
    <TargetsTable
      c={c}
      caption={c.t('enforcement.draws.checks')}
      columns={[c.t('enforcement.draws.inspectors'), c.t('enforcement.results.result')]}
      rows={checks.map((x) => ({ ordinal: x.ordinal, name: x.name, code: x.creditCode, cells: [x.inspectors.join('、'), x.result ? c.t(`enforcement.result.${x.result}`) : <span class="muted">{c.t('enforcement.results.pending')}</span>] }))}
    />
  );
}

export async function drawConsole(app: FastifyInstance, p: Platform): Promise<void> {
  async function drawPage(req: FastifyRequest, reply: FastifyReply, taskId: number, form?: { kind: 'prepare' | 'run' | 'publish'; state: FormState }, status = 200) {
    const user = req.user!;
    const task = await loadTask(p.db, taskId);
    if (!can(user, 'enforcement.read', { departmentId: task.department_id })) throw forbidden('enforcement.err.not_your_department');
    const c = req.ctx(reply);
    const q = (req.query ?? {}) as Record<string, string>;
    const draw = await p.db.selectFrom('enf_draws').select(['id', 'status', 'witnesses']).where('task_id', '=', task.id).executeTakeFirst();
    const witnesses: Witness[] = draw ? JSON.parse(draw.witnesses) : [];
    const checks = draw?.status === 'done' ? await taskChecks(p.db, task.id) : [];
    const mayPlan = can(user, 'inspection.plan', { departmentId: task.department_id });
    const mayPublish = can(user, 'inspection.publish', { departmentId: task.department_id });
    const errors = form?.state.errors ?? {};
    const values = form?.state.values ?? {};
    const formErrors = (kind: string) => (form?.kind === kind ? Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_')) : undefined);
    const done = q.done && /^[a-z_]+$/.test(q.done) && hasMessage(`enforcement.draws.done_${q.done}`) ? `enforcement.draws.done_${q.done}` : null;
    return reply.code(status).html(
      <AdminLayout c={c} title={c.t('enforcement.draws.console_title', { task: task.title })}>
        <p class="breadcrumb">
          <a href={`/admin/enforcement/tasks/${task.id}`}>{c.t('enforcement.draws.back_to_task')}</a>
        </p>
        <h1>{c.t('enforcement.draws.console_title', { task: task.title })}</h1>
        {done && <Notice kind="success">{c.t(done)}</Notice>}
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Dl
          rows={[
            [c.t('enforcement.draws.state'), c.t(`enforcement.state.${task.state}`)],
            [c.t('enforcement.draws.matter'), `${task.matter_code} ${task.matter_name}`],
            [c.t('enforcement.draws.field'), c.t(`enforcement.field.${task.field}`)],
            [c.t('enforcement.draws.window'), `${task.window_start} — ${task.window_end}`],
            [c.t('enforcement.draws.sample_size'), sampleText(c, task)],
            [c.t('enforcement.draws.per_target'), String(task.per_target)],
          ]}
        />
        {draw && (
          <p>
            <a href={`/enforcement/draws/${draw.id}`}>{c.t('enforcement.draws.notice_link')}</a> · <a href={`/enforcement/draws/${draw.id}/verify`}>{c.t('enforcement.draws.verify_link')}</a>
          </p>
        )}

        {!draw && task.state === 'pending' && (
          <section aria-labelledby="prepare-h">
            <h2 id="prepare-h">{c.t('enforcement.draws.prepare')}</h2>
            <p>{c.t('enforcement.draws.prepare_intro')}</p>
            <p class="hint">
              {c.t('enforcement.draws.commit_how')} <a href="/enforcement/draws/commit">{c.t('enforcement.draws.commit_page')}</a>
            </p>
            {mayPlan ? (
              <form method="post" action={`/admin/enforcement/tasks/${task.id}/draw/prepare`} class="stack">
                <Csrf c={c} />
                <ErrorSummary c={c} fields={formErrors('prepare')} />
                {errors.witnesses && form?.kind === 'prepare' && <p class="field-error">{errors.witnesses}</p>}
                {Array.from({ length: Math.max(FORM_WITNESSES, witnessesFrom(values).length) }, (_, i) => (
                  <fieldset>
                    <legend>{c.t('enforcement.draws.witness_n', { n: i + 1 })}</legend>
                    <Field label={c.t('enforcement.draws.witness_name')} name={`witnesses.${i}.name`} value={values[`witnesses.${i}.name`]} maxLength={50} required={i < 2} error={errors[`witnesses.${i}.name`]} />
                    <Field label={c.t('enforcement.draws.commitment')} name={`witnesses.${i}.commitment`} value={values[`witnesses.${i}.commitment`]} maxLength={64} pattern="[0-9a-fA-F]{64}" required={i < 2} hint={c.t('enforcement.draws.commitment_hint')} error={errors[`witnesses.${i}.commitment`]} />
                  </fieldset>
                ))}
                <button type="submit" class="primary">{c.t('enforcement.draws.prepare_submit')}</button>
              </form>
            ) : (
              <p class="muted">{c.t('enforcement.draws.no_permission_plan')}</p>
            )}
          </section>
        )}

        {draw?.status === 'prepared' && (
          <section aria-labelledby="run-h">
            <h2 id="run-h">{c.t('enforcement.draws.run')}</h2>
            <p>{c.t('enforcement.draws.run_intro')}</p>
            {mayPlan ? (
              <form method="post" action={`/admin/enforcement/tasks/${task.id}/draw/run`} class="stack">
                <Csrf c={c} />
                <ErrorSummary c={c} fields={formErrors('run')} />
                {witnesses.map((w, i) => (
                  <Field
                    label={c.t('enforcement.draws.secret_of', { name: w.name })}
                    name={`secrets.${i}`}
                    value={errors[`secrets.${i}`] ? '' : values[`secrets.${i}`]}
                    maxLength={200}
                    required
                    autocomplete="off"
                    hint={c.t('enforcement.draws.commitment_is', { commitment: `${w.commitment.slice(0, 8)}…${w.commitment.slice(-8)}` })}
                    error={errors[`secrets.${i}`]}
                  />
                ))}
                <Field label={c.t('enforcement.draws.beacon')} name="beacon" value={values.beacon} maxLength={200} hint={c.t('enforcement.draws.beacon_hint')} error={errors.beacon} />
                <label class="confirm">
                  <input type="checkbox" name="confirm" value="yes" required /> {c.t('enforcement.draws.run_confirm')}
                </label>
                {errors.confirm && form?.kind === 'run' && <p class="field-error">{errors.confirm}</p>}
                <button type="submit" class="primary">{c.t('enforcement.draws.run_submit')}</button>
              </form>
            ) : (
              <p class="muted">{c.t('enforcement.draws.no_permission_plan')}</p>
            )}
          </section>
        )}

        {draw?.status === 'done' && (
          <section aria-labelledby="checks-h">
            <h2 id="checks-h">{c.t('enforcement.draws.checks')}</h2>
            <p>{c.t('enforcement.results.entered', { n: checks.filter((x) => x.result).length, total: checks.length })}</p>
            <ChecksTable c={c} checks={checks} />
            {task.state === 'completed' &&
              (mayPublish ? (
                <form method="post" action={`/admin/enforcement/tasks/${task.id}/results/publish`} class="confirm-form">
                  <Csrf c={c} />
                  <p>{c.t('enforcement.results.publish_intro')}</p>
                  <label class="confirm">
                    <input type="checkbox" name="confirm" value="yes" required /> {c.t('enforcement.results.publish_confirm')}
                  </label>
                  {errors.confirm && form?.kind === 'publish' && <p class="field-error">{errors.confirm}</p>}
                  <button type="submit" class="primary">{c.t('enforcement.results.publish')}</button>
                </form>
              ) : (
                <p class="muted">{c.t('enforcement.results.awaiting_approver')}</p>
              ))}
            {task.state === 'published' && (
              <p>
                <a href={`/enforcement/tasks/${task.id}/results`}>{c.t('enforcement.results.notice_link')}</a>
              </p>
            )}
          </section>
        )}
      </AdminLayout>,
    );
  }

  app.get<{ Params: { id: string } }>('/admin/enforcement/tasks/:id/draw', { config: { permission: 'enforcement.read' } }, (req, reply) => drawPage(req, reply, idOf(req.params.id)));

  /** Runs a form's action; on an expected error shows the page again with the errors (400/403/409). */
  async function formAction(req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply: FastifyReply, kind: 'prepare' | 'run' | 'publish', run: (taskId: number, b: Record<string, unknown>) => Promise<unknown>, done: string) {
    const taskId = idOf(req.params.id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(Object.entries(b).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
    try {
      if (kind !== 'prepare' && b.confirm !== 'yes') throw new HttpError(400, 'validation', 'err.validation', { confirm: 'common.confirm_required' });
      await run(taskId, b);
      return reply.redirect(`/admin/enforcement/tasks/${taskId}/draw?done=${done}`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      return drawPage(req, reply, taskId, { kind, state: { values, errors } }, (err as HttpError).status);
    }
  }

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/tasks/:id/draw/prepare', { config: { permission: 'inspection.plan' } }, (req, reply) =>
    formAction(req, reply, 'prepare', (id, b) => prepareDraw(p, req.user!, id, { witnesses: witnessesFrom(b) }), 'prepared'),
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/tasks/:id/draw/run', { config: { permission: 'inspection.plan' } }, (req, reply) =>
    formAction(
      req,
      reply,
      'run',
      (id, b) => {
        const secrets = Array.from({ length: MAX_WITNESSES }, (_, i) => b[`secrets.${i}`]).filter((s) => s !== undefined);
        return drawTask(p, req.user!, id, { secrets, beacon: str(b.beacon) });
      },
      'drawn',
    ),
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/tasks/:id/results/publish', { config: { permission: 'inspection.publish' } }, (req, reply) =>
    formAction(req, reply, 'publish', (id) => publishResults(p, req.user!, id), 'published'),
  );

  // ---- my inspections -------------------------------------------------------------------------------
  async function checksPage(req: FastifyRequest, reply: FastifyReply, form?: { checkId: number; state: FormState }, status = 200) {
    const user = req.user!;
    const c = req.ctx(reply);
    const q = (req.query ?? {}) as Record<string, string>;
    const mine = await myChecks(p.db, user);
    const scope = scopeOf(user, 'inspection.publish');
    let awaiting: { id: number; title: string; window_end: string }[] = [];
    if (scope === 'all' || scope.size) {
      let aq = p.db.selectFrom('enf_tasks').select(['id', 'title', 'window_end']).where('state', '=', 'completed');
      if (scope !== 'all') aq = aq.where('department_id', 'in', [...scope]);
      awaiting = await aq.orderBy('window_end').limit(200).execute();
    }
    const tasks = new Map<number, CheckView[]>();
    for (const x of mine) tasks.set(x.taskId, [...(tasks.get(x.taskId) ?? []), x]);
    const resultOptions = RESULT_CODES.map((r) => ({ value: r, label: c.t(`enforcement.result.${r}`) }));
    return reply.code(status).html(
      <AdminLayout c={c} title={c.t('enforcement.results.mine')}>
        <h1>{c.t('enforcement.results.mine')}</h1>
        <p class="hint">{c.t('enforcement.results.mine_intro')}</p>
        {q.saved && <Notice kind="success">{c.t('enforcement.results.saved')}</Notice>}
        {awaiting.length > 0 && (
          <section aria-labelledby="awaiting-h">
            <h2 id="awaiting-h">{c.t('enforcement.results.awaiting')}</h2>
            <ul>
              {awaiting.map((t) => (
                <li>
                  <a href={`/admin/enforcement/tasks/${t.id}/draw`} lang={zhLang(c)}>{t.title}</a> <span class="muted">{c.t('enforcement.results.window_end', { date: t.window_end })}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {mine.length === 0 ? (
          <Empty>{c.t('enforcement.results.none')}</Empty>
        ) : (
          [...tasks.values()].map((list) => (
            <section class="card" aria-labelledby={`task-${list[0].taskId}`}>
              <h2 id={`task-${list[0].taskId}`}>
                <span lang={zhLang(c)}>{list[0].task}</span> <span class="meta">{c.t(`enforcement.state.${list[0].taskState}`)} · {`${list[0].windowStart} — ${list[0].windowEnd}`}</span>
              </h2>
              {list.map((x) => {
                const own = form?.checkId === x.id ? form.state : null;
                const errs = own?.errors ?? {};
                return (
                  <form method="post" action={`/admin/enforcement/checks/${x.id}/result`} class="check-result stack" id={`check-${x.id}`}>
                    <Csrf c={c} />
                    <h3>
                      {x.ordinal}. <span lang={zhLang(c)}>{x.name}</span> <code>{x.creditCode}</code>
                    </h3>
                    <p class="muted" lang={zhLang(c)}>
                      {x.address} · {c.t('enforcement.draws.inspectors')}：{x.inspectors.join('、')}
                    </p>
                    {errs._ && <Notice kind="error">{errs._}</Notice>}
                    <Select label={c.t('enforcement.results.result')} name="result" id={`result-${x.id}`} value={own?.values.result ?? x.result ?? ''} blank={c.t('enforcement.results.choose')} options={resultOptions} required error={errs.result} />
                    <Field label={c.t('enforcement.results.note')} name="note" id={`note-${x.id}`} value={own?.values.note ?? x.note} multiline rows={2} maxLength={1000} hint={c.t('enforcement.results.note_hint')} error={errs.note} />
                    <button type="submit">{c.t(x.result ? 'enforcement.results.correct' : 'enforcement.results.save')}</button>
                  </form>
                );
              })}
            </section>
          ))
        )}
      </AdminLayout>,
    );
  }

  app.get('/admin/enforcement/checks', { config: { permission: 'enforcement.read' } }, (req, reply) => checksPage(req, reply));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/enforcement/checks/:id/result', { config: { permission: 'inspection.result' } }, async (req, reply) => {
    const checkId = idOf(req.params.id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    try {
      await enterResult(p, req.user!, checkId, { result: str(b.result), note: str(b.note) });
      return reply.redirect(`/admin/enforcement/checks?saved=1#check-${checkId}`, 303);
    } catch (err) {
      const errors = errorFields(req, err);
      if (!errors) throw err;
      // Not assigned: the page has no form for this check to show the error in.
      if ((err as HttpError).status === 403) throw err;
      return checksPage(req, reply, { checkId, state: { values: { result: str(b.result), note: str(b.note) }, errors } }, (err as HttpError).status);
    }
  });
}
