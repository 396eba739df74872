// The console of webhooks: /admin/channels/webhooks lists the endpoints a user may manage with the
// registration form (the secret shown once, on the page that answers the form); each endpoint's
// page /admin/channels/webhooks/{id} shows its last 50 tries (Asia/Shanghai time) and its ledger
// rows with a replay button each, and pause/resume, secret rotation and deletion (both confirmed).
// Another department's endpoint is 404. Every form works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, Notice, TableWrap, Zh, type PageCtx } from '../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../platform/errors.js';
import { localParams } from '../../platform/i18n/index.js';
import { shanghaiDateTime } from '../../platform/dates.js';
import { scopeOf } from '../../platform/auth/policy.js';
import { itemTypes } from '../../platform/publication/registry.js';
import { WEBHOOK_EVENTS } from './schema.js';
import { ACTION, createEndpoint, deleteEndpoint, endpointFor, LIMITS, listEndpoints, rotateSecret, setState, type Endpoint } from './service/endpoints.js';
import { attemptsOf, deliveriesOf, HISTORY, replayDelivery } from './service/deliveries.js';

type Fields = Record<string, string>;
const BASE = '/admin/channels/webhooks';
const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

function errorFields(req: FastifyRequest, err: unknown): Fields | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404 || err.status === 403) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)]));
  return { _: req.t(err.message, params) };
}

function Checks({ legend, name, hint, options, checked, error }: { legend: string; name: string; hint?: string; options: { value: string; label: string }[]; checked: string[]; error?: string }) {
  const on = new Set(checked);
  return (
    <fieldset class={`field checks${error ? ' has-error' : ''}`} id={`f-${name}`}>
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {error && <p class="field-error">{error}</p>}
      {options.map((o) => (
        <label class="checkbox">
          <input type="checkbox" name={name} value={o.value} checked={on.has(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

const SecretBox = ({ c, secret }: { c: PageCtx; secret: string }) => (
  <Notice kind="warning">
    <p>{c.t('webhooks.secret_once')}</p>
    <p>
      <code class="secret">{secret}</code>
    </p>
  </Notice>
);

export async function webhooksConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const departments = async (req: FastifyRequest) => {
    const scope = scopeOf(req.user!, ACTION);
    const rows = await p.db.selectFrom('departments').select(['id', 'name']).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
    return rows.filter((d) => scope === 'all' || scope.has(Number(d.id)));
  };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, opts: { fields?: Fields; values?: Record<string, unknown>; secret?: string; status?: number } = {}) => {
    const c = req.ctx(reply);
    const [endpoints, depts] = await Promise.all([listEndpoints(p.db, req.user!), departments(req)]);
    const deptName = new Map(depts.map((d) => [Number(d.id), d.name]));
    const q = (req.query ?? {}) as Record<string, string>;
    const done = typeof q.done === 'string' && /^[a-z]{1,20}$/.test(q.done) ? q.done : '';
    const f = opts.fields ?? {};
    const v = opts.values ?? {};
    const title = c.t('webhooks.title');
    return reply.html(
      <AdminLayout c={c} title={title}>
        <h1>{title}</h1>
        <p>{c.t('webhooks.intro')}</p>
        {done && <Notice kind="success">{c.t(`webhooks.done.${done}`)}</Notice>}
        {opts.secret && <Notice kind="success">{c.t('webhooks.done.created')}</Notice>}
        {opts.secret && <SecretBox c={c} secret={opts.secret} />}
        <h2>{c.t('webhooks.list')}</h2>
        {!endpoints.length ? (
          <Empty>{c.t('webhooks.none')}</Empty>
        ) : (
          <TableWrap label={c.t('webhooks.list')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('webhooks.name')}</th>
                  <th scope="col">{c.t('webhooks.events')}</th>
                  <th scope="col">{c.t('webhooks.departments')}</th>
                  <th scope="col">{c.t('webhooks.state')}</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/${e.id}`}>
                        <Zh c={c}>{e.name}</Zh>
                      </a>
                      <br />
                      <span class="muted url">{e.url}</span>
                    </td>
                    <td>{e.events.map((x) => c.t(`webhooks.event.${x}`)).join(c.t('webhooks.sep'))}</td>
                    <td>{e.departmentIds.length ? e.departmentIds.map((d) => deptName.get(d) ?? String(d)).join(c.t('webhooks.sep')) : c.t('webhooks.all')}</td>
                    <td>{c.t(`webhooks.state.${e.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <h2 id="register">{c.t('webhooks.register')}</h2>
        <ErrorSummary c={c} fields={f} />
        <form method="post" action={BASE} class="stack">
          <Csrf c={c} />
          <Field label={c.t('webhooks.name')} name="name" value={str(v.name)} required maxLength={LIMITS.name} error={f.name} />
          <Field label={c.t('webhooks.url')} name="url" type="url" value={str(v.url)} required maxLength={LIMITS.url} hint={c.t('webhooks.url_hint')} error={f.url} />
          <Checks legend={c.t('webhooks.events')} name="events" options={WEBHOOK_EVENTS.map((x) => ({ value: x, label: c.t(`webhooks.event.${x}`) }))} checked={opts.values ? list(v.events) : ['published', 'changed', 'withdrawn']} error={f.events} />
          <Checks legend={c.t('webhooks.item_types')} name="itemTypes" hint={c.t('webhooks.item_types_hint')} options={itemTypes().map((t) => ({ value: t.type, label: c.t(t.label) }))} checked={list(v.itemTypes)} error={f.itemTypes} />
          <Checks legend={c.t('webhooks.departments')} name="departmentIds" hint={c.t('webhooks.departments_hint')} options={depts.map((d) => ({ value: String(d.id), label: d.name }))} checked={list(v.departmentIds)} error={f.departmentIds} />
          <button type="submit">{c.t('webhooks.submit')}</button>
        </form>
      </AdminLayout>,
      opts.status,
    );
  };

  const detailPage = async (req: FastifyRequest, reply: FastifyReply, e: Endpoint, opts: { secret?: string; fields?: Fields; status?: number } = {}) => {
    const c = req.ctx(reply);
    const [attempts, deliveries] = await Promise.all([attemptsOf(p.db, e.id), deliveriesOf(p.db, e.id)]);
    const q = (req.query ?? {}) as Record<string, string>;
    const done = typeof q.done === 'string' && /^[a-z]{1,20}$/.test(q.done) ? q.done : '';
    const at = `${BASE}/${e.id}`;
    const depts = e.departmentIds.length ? await p.db.selectFrom('departments').select(['id', 'name']).where('id', 'in', e.departmentIds).execute() : [];
    const types = new Map(itemTypes().map((t) => [t.type, c.t(t.label)]));
    return reply.html(
      <AdminLayout c={c} title={`${c.t('webhooks.detail')} ${e.name}`}>
        <nav class="breadcrumb" aria-label={c.t('webhooks.back')}>
          <a href={BASE}>{c.t('webhooks.title')}</a>
        </nav>
        <h1>
          <Zh c={c}>{e.name}</Zh>
        </h1>
        {done && <Notice kind="success">{c.t(`webhooks.done.${done}`)}</Notice>}
        {opts.secret && <SecretBox c={c} secret={opts.secret} />}
        {opts.fields?._ && <Notice kind="error">{opts.fields._}</Notice>}
        {opts.fields?.confirm && <Notice kind="error">{opts.fields.confirm}</Notice>}
        <Dl
          rows={[
            [c.t('webhooks.url'), <span class="url">{e.url}</span>],
            [c.t('webhooks.events'), e.events.map((x) => c.t(`webhooks.event.${x}`)).join(c.t('webhooks.sep'))],
            [c.t('webhooks.item_types'), e.itemTypes.length ? e.itemTypes.map((t) => types.get(t) ?? t).join(c.t('webhooks.sep')) : c.t('webhooks.all')],
            [c.t('webhooks.departments'), e.departmentIds.length ? depts.map((d) => d.name).join(c.t('webhooks.sep')) : c.t('webhooks.all')],
            [c.t('webhooks.state'), c.t(`webhooks.state.${e.state}`)],
            [c.t('webhooks.created'), `${shanghaiDateTime(e.createdAt)} · ${e.createdBy}`],
          ]}
        />
        <div class="webhook-actions">
          <form method="post" action={`${at}/${e.state === 'active' ? 'pause' : 'resume'}`}>
            <Csrf c={c} />
            <button type="submit">{c.t(e.state === 'active' ? 'webhooks.pause' : 'webhooks.resume')}</button>
          </form>
          <ConfirmForm c={c} action={`${at}/rotate`} label={c.t('webhooks.rotate')} confirm={c.t('webhooks.rotate_confirm')} />
          <ConfirmForm c={c} action={`${at}/delete`} label={c.t('webhooks.delete')} confirm={c.t('webhooks.delete_confirm')} />
        </div>
        <h2>{c.t('webhooks.attempts', { n: HISTORY })}</h2>
        {!attempts.length ? (
          <Empty>{c.t('webhooks.no_attempts')}</Empty>
        ) : (
          <TableWrap label={c.t('webhooks.attempts', { n: HISTORY })}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('webhooks.attempt.time')}</th>
                  <th scope="col">{c.t('webhooks.attempt.delivery')}</th>
                  <th scope="col">{c.t('webhooks.attempt.no')}</th>
                  <th scope="col">{c.t('webhooks.attempt.status')}</th>
                  <th scope="col">{c.t('webhooks.attempt.ms')}</th>
                  <th scope="col">{c.t('webhooks.attempt.error')}</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr>
                    <td>{shanghaiDateTime(a.startedAt, true)}</td>
                    <td>{a.deliveryId}</td>
                    <td>{a.attempt}</td>
                    <td>{a.status ?? '—'}</td>
                    <td>{a.ms}</td>
                    <td>{a.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <h2>{c.t('webhooks.deliveries')}</h2>
        {!deliveries.length ? (
          <Empty>{c.t('webhooks.no_deliveries')}</Empty>
        ) : (
          <TableWrap label={c.t('webhooks.deliveries')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('webhooks.attempt.delivery')}</th>
                  <th scope="col">{c.t('webhooks.delivery.item')}</th>
                  <th scope="col">{c.t('webhooks.delivery.event')}</th>
                  <th scope="col">{c.t('webhooks.delivery.state')}</th>
                  <th scope="col">{c.t('webhooks.delivery.tries')}</th>
                  <th scope="col">{c.t('webhooks.delivery.reason')}</th>
                  <th scope="col">{c.t('webhooks.replay')}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr>
                    <td>{d.id}</td>
                    <td>
                      <Zh c={c}>{d.title}</Zh> <span class="muted">v{d.version}</span>
                    </td>
                    <td>{c.t(`webhooks.event.${d.event}`)}</td>
                    <td>{c.t(`webhooks.ledger.${d.state}`)}</td>
                    <td>{d.attempts}</td>
                    <td>{d.reason ?? d.ref ?? ''}</td>
                    <td>
                      {d.state !== 'queued' && (
                        <form method="post" action={`${at}/deliveries/${d.id}/replay`}>
                          <Csrf c={c} />
                          <button type="submit">{c.t('webhooks.replay')}</button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
      opts.status,
    );
  };

  const cfg = { config: { permission: ACTION } };
  app.get(BASE, cfg, async (req, reply) => listPage(req, reply));
  app.post<{ Body: Record<string, unknown> }>(BASE, cfg, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    try {
      const { secret } = await createEndpoint(p, req.user!, { name: str(b.name), url: str(b.url), events: list(b.events), itemTypes: list(b.itemTypes), departmentIds: list(b.departmentIds).map((x) => (/^\d{1,9}$/.test(x) ? Number(x) : -1)) });
      return listPage(req, reply, { secret });
    } catch (err) {
      const fields = errorFields(req, err);
      if (!fields) throw err;
      return listPage(req, reply, { fields, values: b, status: 400 });
    }
  });
  app.get<{ Params: { id: string } }>(`${BASE}/:id`, cfg, async (req, reply) => detailPage(req, reply, await endpointFor(p.db, req.user!, idOf(req.params.id))));

  const act = (path: string, run: (req: FastifyRequest, id: number, b: Record<string, unknown>) => Promise<string | { secret: string }>) =>
    app.post<{ Params: { id: string; did?: string }; Body: Record<string, unknown> }>(`${BASE}/:id/${path}`, cfg, async (req, reply) => {
      const id = idOf(req.params.id);
      try {
        const r = await run(req, id, (req.body ?? {}) as Record<string, unknown>);
        if (typeof r === 'string') return reply.redirect(r === 'deleted' ? `${BASE}?done=deleted` : `${BASE}/${id}?done=${r}`, 303);
        return detailPage(req, reply, await endpointFor(p.db, req.user!, id), { secret: r.secret });
      } catch (err) {
        const fields = errorFields(req, err);
        if (!fields) throw err;
        return detailPage(req, reply, await endpointFor(p.db, req.user!, id), { fields, status: 400 });
      }
    });
  const confirmed = (b: Record<string, unknown>) => {
    if (b.confirm !== 'yes') throw validationError({ confirm: 'webhooks.err.confirm' });
  };
  act('pause', async (req, id) => (await setState(p, req.user!, id, 'paused'), 'paused'));
  act('resume', async (req, id) => (await setState(p, req.user!, id, 'active'), 'resumed'));
  act('rotate', async (req, id, b) => (confirmed(b), { secret: await rotateSecret(p, req.user!, id) }));
  act('delete', async (req, id, b) => (confirmed(b), await deleteEndpoint(p, req.user!, id), 'deleted'));
  act('deliveries/:did/replay', async (req, id) => (await replayDelivery(p, req.user!, id, idOf(str((req.params as { did?: string }).did))), 'replayed'));
}
