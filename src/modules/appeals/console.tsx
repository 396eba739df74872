// Console pages: the scoped work list, keyboard-first phone intake, one appeal with its actions,
// the dispatch catalogue and rules, reopening settings, Open311 API keys.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { TableWrap, AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice, Pager, Select } from '../../platform/render/index.js';
import { can } from '../../platform/auth/policy.js';
import { HttpError, notFound, forbidden, validationError } from '../../platform/errors.js';
import { fileInfo, readStored } from '../../platform/files/index.js';
import { listDepartments } from '../org/service.js';
import { getSettings, isCentre, saveSettings } from './service.js';
import { submitAppeal, type IntakeInput } from './service/intake.js';
import { fmtTime, staffView, statusLabel } from './views.js';
import { AppealDetail } from './console/detail.js';
import { roleLines, RoleSummary } from './console/roles.js';
import { addRule, listCategories, listRules, setRuleActive } from './service/dispatch.js';
import { staffList } from './service/queries.js';
import { runAction, STAFF_ACTIONS } from './service/actions.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api/open311.js';
import { APPEAL_STATUSES, APPEAL_TYPES } from './schema.js';

function tr(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (!(err instanceof HttpError) || err.status >= 500) return null;
  // A state named in a message is shown by its label (办理中), not its code.
  const params = err.params && typeof err.params.status === 'string' ? { ...err.params, status: req.t(`appeals.status.${err.params.status}`) } : err.params;
  if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)]));
  if (err.status === 404) return null;
  return { _: req.t(err.message, params) };
}

async function deptOptions(p: Platform) {
  return (await listDepartments(p.db)).filter((d) => d.active).map((d) => ({ value: d.code, label: d.name }));
}

export async function consolePages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, string> }>('/admin/appeals', { config: { permission: 'appeal.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = req.query ?? {};
    const status = [...APPEAL_STATUSES, 'open'].includes(q.status) ? q.status : '';
    const type = (APPEAL_TYPES as readonly string[]).includes(q.type) ? q.type : '';
    const department = /^[a-z0-9-]{1,32}$/.test(q.department ?? '') ? q.department : '';
    const text = (q.q ?? '').slice(0, 50);
    const overdue = q.overdue === '1';
    const callback = q.callback === '1';
    const page = Math.max(1, Math.min(100000, Number(q.page) || 1));
    const r = await staffList(p.db, req.user!, { status: status || undefined, type: type || undefined, department: department || undefined, q: text || undefined, overdue, callback, page, pageSize: 30 });
    const href = (n: number) => `/admin/appeals?${new URLSearchParams({ status, type, department, q: text, overdue: overdue ? '1' : '', callback: callback ? '1' : '', page: String(n) })}`;
    return reply.html(
      <AdminLayout c={c} title={c.t('appeals.console')}>
        <h1>{c.t('appeals.console')}</h1>
        <RoleSummary c={c} lines={await roleLines(p, c)} />
        <p class="appeal-links">
          {c.can('appeal.intake') && <a class="button primary" href="/admin/appeals/intake">{c.t('appeals.intake')}</a>}
          {(await isCentre(p.db, req.user, 'appeal.approve')) && <a class="button" href="/admin/appeals/catalogue">{c.t('appeals.catalogue')}</a>}
          {c.can('open311.manage') && <a class="button" href="/admin/appeals/open311-keys">{c.t('appeals.keys')}</a>}
        </p>
        <form method="get" class="filters">
          <Select label={c.t('appeals.filter_status')} name="status" value={status} blank={c.t('common.all')} options={[{ value: 'open', label: c.t('appeals.open_only') }, ...APPEAL_STATUSES.map((s) => ({ value: s, label: statusLabel(c, s) }))]} />
          <Select label={c.t('appeals.type')} name="type" value={type} blank={c.t('common.all')} options={APPEAL_TYPES.map((t) => ({ value: t, label: c.t(`appeals.type.${t}`) }))} />
          <Select label={c.t('appeals.department')} name="department" value={department} blank={c.t('common.all')} options={await deptOptions(p)} />
          <Field label={c.t('users.search')} name="q" value={text} maxLength={50} />
          <label class="check">
            <input type="checkbox" name="overdue" value="1" checked={overdue} /> {c.t('appeals.overdue_only')}
          </label>
          <label class="check">
            <input type="checkbox" name="callback" value="1" checked={callback} /> {c.t('appeals.callback_due')}
          </label>
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{c.t('appeals.none')}</Empty>
        ) : (
          <TableWrap label={c.t('nav.appeals_admin')}>
          <table class="appeal-list">
            <caption class="visually-hidden">{c.t('appeals.console')}</caption>
            <thead>
              <tr>
                <th scope="col">{c.t('appeals.tracking_no')}</th>
                <th scope="col">{c.t('appeals.field.title')}</th>
                <th scope="col">{c.t('appeals.type')}</th>
                <th scope="col">{c.t('appeals.status')}</th>
                <th scope="col">{c.t('appeals.department')}</th>
                <th scope="col">{c.t('appeals.due')}</th>
                <th scope="col">{c.t('appeals.received_at')}</th>
              </tr>
            </thead>
            <tbody>
              {r.items.map((a) => (
                <tr>
                  <td>
                    <a href={`/admin/appeals/${a.id}`}>{a.tracking_no}</a>
                  </td>
                  <td>
                    {a.title}
                    {a.urge_count > 0 && <span class="tag">{c.t('appeals.urges', { n: a.urge_count })}</span>}
                  </td>
                  <td>{c.t(`appeals.type.${a.type}`)}</td>
                  <td>{statusLabel(c, a.status)}</td>
                  <td>{a.department_name ?? '—'}</td>
                  <td>{a.due_date ?? '—'}</td>
                  <td>{fmtTime(a.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={30} total={r.total} href={href} />
      </AdminLayout>,
    );
  });

  // ---- phone intake: keyboard-first ----
  const intakePage = async (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, opts: { fields?: Record<string, string>; done?: { no: string; code: string }; status?: number } = {}) => {
    const c = req.ctx(reply);
    const cats = await listCategories(p.db);
    const f = opts.fields ?? {};
    return reply.html(
      <AdminLayout c={c} title={c.t('appeals.intake')}>
        <h1>{c.t('appeals.intake')}</h1>
        <p class="hint">{c.t('appeals.intake_intro')}</p>
        {opts.done && (
          <Notice kind="success">
            <span class="intake-done">{c.t('appeals.intake_done', { no: opts.done.no, code: opts.done.code })}</span>
          </Notice>
        )}
        <ErrorSummary c={c} fields={opts.fields} />
        <form method="post" action="/admin/appeals/intake" class="stack intake-form" id="intake-form">
          <Csrf c={c} />
          <Field label={c.t('appeals.contact_phone')} name="contactPhone" value={values.contactPhone} required inputMode="tel" maxLength={20} error={f.contactPhone} />
          <Field label={c.t('appeals.contact_name')} name="contactName" value={values.contactName} maxLength={50} error={f.contactName} />
          <fieldset>
            <legend>{c.t('appeals.type')}</legend>
            {f.type && <p class="field-error">{f.type}</p>}
            <div class="appeal-types">
              {APPEAL_TYPES.map((t, i) => (
                <label class="check">
                  <input type="radio" name="type" value={t} checked={(values.type ?? 'consult') === t} accessKey={String(i + 1)} /> {i + 1}. {c.t(`appeals.type.${t}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <Select label={c.t('appeals.category')} name="category" value={values.category} required error={f.category} blank="—" options={cats.map((x) => ({ value: x.code, label: `${x.group_name} / ${x.name}` }))} />
          <Field label={c.t('appeals.field.title')} name="title" value={values.title} required maxLength={100} error={f.title} />
          <Field label={c.t('appeals.content')} name="content" value={values.content} required multiline rows={6} maxLength={5000} error={f.content} />
          <Field label={c.t('appeals.address')} name="address" value={values.address} maxLength={200} error={f.address} />
          <label class="check">
            <input type="checkbox" name="consent" value="1" checked={values.consent === '1'} /> {c.t('appeals.consent')}
          </label>
          <button type="submit" class="primary" accessKey="s">{c.t('appeals.intake_button')}</button>
        </form>
        <script src="/static/appeals-intake.js" defer></script>
      </AdminLayout>,
      opts.status,
    );
  };

  app.get('/admin/appeals/intake', { config: { permission: 'appeal.intake' } }, async (req, reply) => intakePage(req, reply, {}));
  app.post('/admin/appeals/intake', { config: { permission: 'appeal.intake' } }, async (req, reply) => {
    const b = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '').slice(0, 6000)]));
    const input: IntakeInput = { type: b.type ?? '', category: b.category ?? '', title: b.title ?? '', content: b.content ?? '', address: b.address, contactName: b.contactName, contactPhone: b.contactPhone, consent: b.consent === '1', channel: 'phone' };
    try {
      const s = await submitAppeal(p, req.user!, input);
      return intakePage(req, reply, {}, { done: { no: s.trackingNo, code: s.queryCode }, status: 201 });
    } catch (err) {
      const fields = tr(req, err);
      if (fields) return intakePage(req, reply, b, { fields, status: 400 });
      throw err;
    }
  });

  // ---- catalogue, rules, settings ----
  const cataloguePage = async (req: FastifyRequest, reply: FastifyReply, fields?: Record<string, string>, status?: number) => {
    if (!(await isCentre(p.db, req.user, 'appeal.approve'))) throw notFound();
    const c = req.ctx(reply);
    const [cats, rules, settings, depts] = await Promise.all([listCategories(p.db, true), listRules(p.db), getSettings(p.db), deptOptions(p)]);
    return reply.html(
      <AdminLayout c={c} title={c.t('appeals.catalogue')}>
        <h1>{c.t('appeals.catalogue')}</h1>
        <p>
          {c.t('appeals.catalogue_intro')} <a href="/admin/deadline-rules">{c.t('nav.deadline_rules')}</a>
        </p>
        <ErrorSummary c={c} fields={fields} />
        <TableWrap label={c.t('appeals.catalogue')}>
        <table>
          <caption>{c.t('appeals.category')}</caption>
          <thead>
            <tr>
              <th scope="col">code</th>
              <th scope="col">{c.t('appeals.category')}</th>
              <th scope="col">{c.t('appeals.department')}</th>
              <th scope="col">keywords</th>
            </tr>
          </thead>
          <tbody>
            {cats.map((x) => (
              <tr>
                <td>{x.code}</td>
                <td>
                  {x.group_name} / {x.name}
                </td>
                <td>{x.department_name ?? '—'}</td>
                <td>{x.keywords}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
        <h2>{c.t('appeals.rules')}</h2>
        <TableWrap label={c.t('appeals.rules')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{c.t('appeals.rule.kind')}</th>
              <th scope="col">{c.t('appeals.rule.pattern')}</th>
              <th scope="col">{c.t('appeals.department')}</th>
              <th scope="col">{c.t('appeals.rule.weight')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr class={r.active ? undefined : 'muted'}>
                <td>{c.t(`appeals.rule.kind.${r.kind}`)}</td>
                <td>{r.pattern}</td>
                <td>{r.department_name}</td>
                <td>{r.weight}</td>
                <td>
                  <form method="post" action={`/admin/appeals/rules/${r.id}/${r.active ? 'disable' : 'enable'}`} class="inline">
                    <Csrf c={c} />
                    <button type="submit" class="link">{c.t(r.active ? 'appeals.rule.disable' : 'appeals.rule.enable')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
        <form method="post" action="/admin/appeals/rules" class="filters">
          <Csrf c={c} />
          <Select label={c.t('appeals.rule.kind')} name="kind" options={['keyword', 'area', 'category'].map((k) => ({ value: k, label: c.t(`appeals.rule.kind.${k}`) }))} />
          <Field label={c.t('appeals.rule.pattern')} name="pattern" required maxLength={50} error={fields?.pattern} />
          <Select label={c.t('appeals.department')} name="department" options={depts} error={fields?.department} />
          <Field label={c.t('appeals.rule.weight')} name="weight" type="number" value="3" error={fields?.weight} />
          <button type="submit">{c.t('appeals.rule.add')}</button>
        </form>
        <h2>{c.t('appeals.settings')}</h2>
        <form method="post" action="/admin/appeals/settings" class="filters">
          <Csrf c={c} />
          <Field label={c.t('appeals.settings.reopen_limit')} name="reopenLimit" type="number" value={settings.reopenLimit} error={fields?.reopenLimit} />
          <Field label={c.t('appeals.settings.reopen_days')} name="reopenDays" type="number" value={settings.reopenDays} error={fields?.reopenDays} />
          <label class="check">
            <input type="checkbox" name="replyReview" value="1" checked={settings.replyReview} /> {c.t('appeals.settings.reply_review')}
          </label>
          <button type="submit">{c.t('common.save')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };
  app.get('/admin/appeals/catalogue', { config: { permission: 'appeal.approve' } }, async (req, reply) => cataloguePage(req, reply));
  app.post('/admin/appeals/rules', { config: { permission: 'appeal.approve' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    try {
      await addRule(p, req.user!, { kind: String(b.kind ?? ''), pattern: String(b.pattern ?? ''), department: String(b.department ?? ''), weight: Number(b.weight) });
      return reply.redirect('/admin/appeals/catalogue', 303);
    } catch (err) {
      const f = tr(req, err);
      if (f) return cataloguePage(req, reply, f, 400);
      throw err;
    }
  });
  app.post<{ Params: { id: string; op: string } }>('/admin/appeals/rules/:id/:op', { config: { permission: 'appeal.approve' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || !['enable', 'disable'].includes(req.params.op)) throw notFound();
    await setRuleActive(p, req.user!, id, req.params.op === 'enable');
    return reply.redirect('/admin/appeals/catalogue', 303);
  });
  app.post('/admin/appeals/settings', { config: { permission: 'appeal.approve' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    try {
      await saveSettings(p, req.user!, { reopenLimit: Number(b.reopenLimit), reopenDays: Number(b.reopenDays), replyReview: b.replyReview === '1' });
      return reply.redirect('/admin/appeals/catalogue', 303);
    } catch (err) {
      const f = tr(req, err);
      if (f) return cataloguePage(req, reply, f, 400);
      throw err;
    }
  });

  // ---- Open311 keys (admins) ----
  const keysPage = async (req: FastifyRequest, reply: FastifyReply, created?: string) => {
    const c = req.ctx(reply);
    const keys = await listApiKeys(p.db);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <AdminLayout c={c} title={c.t('appeals.keys')}>
        <h1>{c.t('appeals.keys')}</h1>
        <p>{c.t('appeals.keys_intro')}</p>
        {created && (
          <Notice kind="success">
            <code class="new-key">{c.t('appeals.key_created', { key: created })}</code>
          </Notice>
        )}
        <form method="post" action="/admin/appeals/open311-keys" class="filters">
          <Csrf c={c} />
          <Field label={c.t('appeals.key_name')} name="name" required maxLength={100} />
          <button type="submit" class="primary">{c.t('appeals.key_create')}</button>
        </form>
        <TableWrap label={c.t('appeals.keys')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{c.t('appeals.key_name')}</th>
              <th scope="col">{c.t('appeals.key_prefix')}</th>
              <th scope="col">{c.t('appeals.received_at')}</th>
              <th scope="col">{c.t('appeals.key_last_used')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{fmtTime(k.created_at)}</td>
                <td>{fmtTime(k.last_used_at)}</td>
                <td>
                  {k.revoked_at ? (
                    c.t('appeals.key_revoked')
                  ) : (
                    <form method="post" action={`/admin/appeals/open311-keys/${k.id}/revoke`} class="inline">
                      <Csrf c={c} />
                      <button type="submit" class="link danger">{c.t('appeals.key_revoke')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
      </AdminLayout>,
    );
  };
  app.get('/admin/appeals/open311-keys', { config: { permission: 'open311.manage' } }, async (req, reply) => keysPage(req, reply));
  app.post('/admin/appeals/open311-keys', { config: { permission: 'open311.manage' } }, async (req, reply) => {
    const name = String(((req.body ?? {}) as Record<string, unknown>).name ?? '');
    const k = await createApiKey(p, `user:${req.user!.username}`, name);
    return keysPage(req, reply, k.key);
  });
  app.post<{ Params: { id: string } }>('/admin/appeals/open311-keys/:id/revoke', { config: { permission: 'open311.manage' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw notFound();
    await revokeApiKey(p, `user:${req.user!.username}`, id);
    return reply.redirect('/admin/appeals/open311-keys', 303);
  });

  // ---- one appeal ----
  const appealPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, fields?: Record<string, string>, status?: number) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw notFound();
    const v = await staffView(p, req.user!, id);
    const c = req.ctx(reply);
    const depts = await deptOptions(p);
    const done = (req.query as Record<string, string>)?.done;
    return reply.html(
      <AdminLayout c={c} title={v.appeal.tracking_no}>
        <AppealDetail c={c} v={v} depts={depts} fields={fields} done={!!done} />
      </AdminLayout>,
      status,
    );
  };
  app.get<{ Params: { id: string } }>('/admin/appeals/:id', { config: { permission: 'appeal.read' } }, async (req, reply) => appealPage(req, reply));
  app.get<{ Params: { id: string; n: string } }>('/admin/appeals/:id/media/:n', { config: { permission: 'appeal.read' } }, async (req, reply) => {
    const v = await staffView(p, req.user!, Number(req.params.id) || 0);
    const hash = v.media[Number(req.params.n)];
    const info = hash && /^[0-9a-f]{64}$/.test(hash) ? await fileInfo(p.db, hash) : null;
    if (!info) throw notFound();
    reply.header('content-type', info.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store');
    return reply.send(readStored(p.config.dataDir, hash));
  });
  app.post<{ Params: { id: string; action: string } }>('/admin/appeals/:id/:action', { config: { permission: 'appeal.read' } }, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647 || !(STAFF_ACTIONS as readonly string[]).includes(req.params.action)) throw notFound();
    const b = { ...((req.body ?? {}) as Record<string, any>) };
    delete b._csrf;
    try {
      // One value per field (a field sent twice is refused, naming it), except the list of assisting departments.
      const twice = Object.keys(b).find((k) => k !== 'assisting' && typeof b[k] !== 'string');
      if (twice) throw validationError({ [twice]: 'err.field.invalid' });
      await runAction(p, req.user!, id, req.params.action, b);
      return reply.redirect(`/admin/appeals/${id}?done=1`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.status === 403) throw err;
      const f = tr(req, err);
      if (f) return appealPage(req, reply, f, (err as HttpError).status);
      throw err;
    }
  });
  void forbidden;
  void can;
}
