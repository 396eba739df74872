// Console pages: users (list, create, roles, password, activation), departments, the government.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice, Pager, Select, ConfirmForm, grantLabel, TableWrap, type PageCtx } from '../../platform/render/index.js';
import { ROLES, can, declaredActions, isGlobalRole, mayManageUser, roleAllows, scopeOf, type ActionDecl } from '../../platform/auth/policy.js';
import { departmentTree } from '../../platform/auth/identity.js';
import { HttpError, notFound } from '../../platform/errors.js';
import { validateForm } from '../../platform/http/validation.js';
import { INDEX_PREFIX_MODES, getIndexPrefixMode, setIndexPrefixMode, type IndexPrefixMode } from '../../platform/publication/index.js';
import {
  createDepartment,
  createUser,
  DEPARTMENT_KINDS,
  getDepartment,
  getUser,
  listDepartments,
  listUsers,
  saveGovernment,
  setActive,
  setPassword,
  setRoles,
  treeOrder,
  updateDepartment,
  updateUser,
  type DepartmentView,
} from './service.js';

function localizeFields(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof HttpError && err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)]));
  if (err instanceof HttpError && err.status === 409) return { _: req.t(err.message) };
  return null;
}

function deptOptions(depts: DepartmentView[], allowed?: 'all' | Set<number>) {
  return treeOrder(depts)
    .filter(({ dept }) => !allowed || allowed === 'all' || allowed.has(dept.id))
    .map(({ dept, depth }) => ({ value: dept.code, label: `${'　'.repeat(depth)}${dept.name}` }));
}

const UserForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 32 }),
  displayName: Type.String({ maxLength: 100 }),
  email: Type.Optional(Type.String({ maxLength: 200 })),
  department: Type.String({ minLength: 1, maxLength: 32 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  roles: Type.Union([Type.String(), Type.Array(Type.String())]),
});

const DeptForm = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 32 })),
  parentCode: Type.Optional(Type.String({ maxLength: 32 })),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  shortName: Type.Optional(Type.String({ maxLength: 50 })),
  kind: Type.String({ enum: [...DEPARTMENT_KINDS] }),
  orgCode: Type.Optional(Type.String({ maxLength: 18 })),
  phone: Type.Optional(Type.String({ maxLength: 50 })),
  fax: Type.Optional(Type.String({ maxLength: 50 })),
  email: Type.Optional(Type.String({ maxLength: 200 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  officeHours: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});

export async function orgPages(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- users ----
  app.get<{ Querystring: { q?: string; department?: string; page?: string } }>('/admin/users', { config: { permission: 'user.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const page = Math.max(1, Math.min(10000, Number(req.query.page) || 1));
    const q = (req.query.q ?? '').slice(0, 50);
    const department = (req.query.department ?? '').slice(0, 32);
    const res = await listUsers(p, req.user!, { q, department: department || undefined, page, pageSize: 30 });
    const depts = await listDepartments(p.db);
    const qs = (n: number) => `/admin/users?${new URLSearchParams({ q, department, page: String(n) })}`;
    return reply.html(
      <AdminLayout c={c} title={c.t('users.title')}>
        <h1>{c.t('users.title')}</h1>
        <p>
          {c.can('user.manage') && (
            <a class="button primary" href="/admin/users/new">{c.t('users.new')}</a>
          )}{' '}
          <a href="/admin/roles">{c.t('roles.title')}</a>
        </p>
        <form method="get" class="filters">
          <Field label={c.t('users.search')} name="q" value={q} maxLength={50} />
          <Select label={c.t('users.department')} name="department" value={department} blank={c.t('common.all')} options={deptOptions(depts, scopeOf(req.user, 'user.read'))} />
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {res.items.length === 0 ? (
          <Empty>{c.t('users.none')}</Empty>
        ) : (
          <TableWrap label={c.t('users.title')}>
          <table>
            <caption class="visually-hidden">{c.t('users.title')}</caption>
            <thead>
              <tr>
                <th>{c.t('auth.username')}</th>
                <th>{c.t('users.display_name')}</th>
                <th>{c.t('users.department')}</th>
                <th>{c.t('users.roles')}</th>
                <th>{c.t('users.status')}</th>
              </tr>
            </thead>
            <tbody>
              {res.items.map((u) => (
                <tr>
                  <td>
                    <a href={`/admin/users/${u.username}`}>{u.username}</a>
                  </td>
                  <td>{u.displayName}</td>
                  <td>{u.departmentName}</td>
                  <td>{u.roles.map((r) => grantLabel(c, r)).join('、')}</td>
                  <td>
                    {u.active ? c.t('users.active') : c.t('users.inactive')}
                    {u.isDemo && <span class="tag">{c.t('users.demo')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={30} total={res.total} href={qs} />
      </AdminLayout>,
    );
  });

  const newUserPage = async (req: FastifyRequest, reply: FastifyReply, values: Record<string, any>, fields?: Record<string, string>, status = 200) => {
    const c = req.ctx(reply);
    const depts = await listDepartments(p.db);
    const roles = Array.isArray(values.roles) ? values.roles : values.roles ? [values.roles] : [];
    return reply.html(
      <AdminLayout c={c} title={c.t('users.new')}>
        <h1>{c.t('users.new')}</h1>
        <ErrorSummary c={c} fields={fields} />
        <form method="post" action="/admin/users" class="stack narrow">
          <Csrf c={c} />
          <Field label={c.t('auth.username')} name="username" value={values.username} required maxLength={32} hint={c.t('users.username_rule')} error={fields?.username} />
          <Field label={c.t('users.display_name')} name="displayName" value={values.displayName} maxLength={100} error={fields?.displayName} />
          <Field label={c.t('users.email')} name="email" type="email" value={values.email} maxLength={200} error={fields?.email} />
          <Select label={c.t('users.department')} name="department" value={values.department} required options={deptOptions(depts, scopeOf(req.user, 'user.manage'))} error={fields?.department} />
          <fieldset>
            <legend>{c.t('users.roles')}</legend>
            {fields?.roles && <p class="field-error">{fields.roles}</p>}
            {ROLES.filter((r) => can(req.user, 'government.edit') || !isGlobalRole(r)).map((r) => (
              <label class="check">
                <input type="checkbox" name="roles" value={r} checked={roles.includes(r)} /> {c.t(`role.${r}`)}
              </label>
            ))}
          </fieldset>
          <Field label={c.t('auth.password')} name="password" type="password" required autocomplete="new-password" hint={c.t('auth.password_rule')} error={fields?.password} />
          <button type="submit" class="primary">{c.t('common.create')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };

  app.get('/admin/users/new', { config: { permission: 'user.manage' } }, async (req, reply) => newUserPage(req, reply, { department: req.user!.departmentCode }));

  app.post('/admin/users', { config: { permission: 'user.manage' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const form = validateForm(UserForm, { roles: [], ...body }, req.locale);
    if (!form.ok) return newUserPage(req, reply, body, form.fields, 400);
    const v = form.value;
    try {
      const u = await createUser(p, req.user!, { ...v, roles: Array.isArray(v.roles) ? v.roles : [v.roles] });
      return reply.redirect(`/admin/users/${u.username}?done=created`);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return newUserPage(req, reply, body, fields, 400);
      throw err;
    }
  });

  const userPage = async (req: FastifyRequest<{ Params: { username: string } }>, reply: FastifyReply, fields?: Record<string, string>, status = 200, values?: Record<string, string>) => {
    const c = req.ctx(reply);
    const u = await getUser(p.db, req.params.username);
    if (!u) throw notFound();
    const dept = await getDepartment(p.db, u.department);
    if (!can(req.user, 'user.read', { departmentId: dept!.id })) throw notFound();
    const held = await p.db.selectFrom('user_roles').select(['role', 'department_id', 'include_children']).where('user_id', '=', u.id).execute();
    const target = { departmentId: dept!.id, grants: held.map((g) => ({ role: g.role, departmentId: g.department_id, includeChildren: !!g.include_children })) };
    const manage = mayManageUser(req.user, target, (await departmentTree(p.db)).map);
    const beyondReach = !manage && can(req.user, 'user.manage', { departmentId: dept!.id });
    const depts = await listDepartments(p.db);
    const done = (req.query as Record<string, string>).done;
    return reply.html(
      <AdminLayout c={c} title={u.displayName}>
        <h1>
          {u.displayName} <small>({u.username})</small>
        </h1>
        {done && <Notice kind="success">{c.t('common.saved')}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <p>
          {c.t('users.department')}：{u.departmentName} · {u.active ? c.t('users.active') : c.t('users.inactive')} · {c.t('users.2fa')}：{u.totpEnabled ? c.t('common.yes') : c.t('common.no')}
          {u.isDemo && <span class="tag">{c.t('users.demo')}</span>}
        </p>
        {beyondReach && <Notice kind="info">{c.t('err.user_beyond_reach')}</Notice>}
        {manage && (
          <>
            <h2>{c.t('users.profile')}</h2>
            <form method="post" action={`/admin/users/${u.username}/profile`} class="stack narrow">
              <Csrf c={c} />
              <Field label={c.t('users.display_name')} name="displayName" value={values?.displayName ?? u.displayName} required maxLength={100} error={fields?.displayName} />
              <Field label={c.t('users.email')} name="email" type="email" value={values?.email ?? u.email} maxLength={200} error={fields?.email} />
              <button type="submit">{c.t('common.save')}</button>
            </form>
          </>
        )}
        <h2>{c.t('users.roles')}</h2>
        {manage ? (
          <form method="post" action={`/admin/users/${u.username}/roles`} class="stack">
            <Csrf c={c} />
            <TableWrap label={c.t('users.roles')}>
            <table>
              <thead>
                <tr>
                  <th>{c.t('users.role')}</th>
                  <th>{c.t('users.scope')}</th>
                  <th>{c.t('users.include_children')}</th>
                </tr>
              </thead>
              <tbody>
                {[...u.roles, { role: '', department: u.department, includeChildren: false }].map((r, i) => (
                  <tr>
                    <td>
                      <label class="visually-hidden" for={`f-role${i}`}>{c.t('users.role')}</label>
                      <select id={`f-role${i}`} name={`role${i}`}>
                        <option value="">{c.t('users.no_role')}</option>
                        {ROLES.map((x) => (
                          <option value={x} selected={x === r.role}>{c.t(`role.${x}`)}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <label class="visually-hidden" for={`f-dept${i}`}>{c.t('users.scope')}</label>
                      <select id={`f-dept${i}`} name={`dept${i}`}>
                        {deptOptions(depts).map((o) => (
                          <option value={o.value} selected={o.value === r.department}>{o.label}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input type="checkbox" name={`children${i}`} value="1" checked={r.includeChildren} aria-label={c.t('users.include_children')} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableWrap>
            <input type="hidden" name="count" value={String(u.roles.length + 1)} />
            <button type="submit" class="primary">{c.t('common.save')}</button>
          </form>
        ) : (
          <ul>
            {u.roles.map((r) => (
              <li>
                {c.t(`role.${r.role}`)} — {depts.find((d) => d.code === r.department)?.name ?? r.department}
                {r.includeChildren && ` (${c.t('users.include_children')})`}
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <>
            <h2>{c.t('users.reset_password')}</h2>
            <form method="post" action={`/admin/users/${u.username}/password`} class="stack narrow">
              <Csrf c={c} />
              <Field label={c.t('auth.new_password')} name="password" type="password" required autocomplete="new-password" hint={c.t('auth.password_rule')} error={fields?.password} />
              <button type="submit">{c.t('users.reset_password')}</button>
            </form>
            <h2>{u.active ? c.t('users.deactivate') : c.t('users.activate')}</h2>
            <ConfirmForm c={c} action={`/admin/users/${u.username}/${u.active ? 'deactivate' : 'activate'}`} label={u.active ? c.t('users.deactivate') : c.t('users.activate')} confirm={c.t(u.active ? 'users.confirm_deactivate' : 'users.confirm_activate')} />
          </>
        )}
        <p>
          <a href={`/admin/audit?entity=user&entityId=${u.id}`}>{c.t('audit.for_entity')}</a>
        </p>
      </AdminLayout>,
      status,
    );
  };

  app.get<{ Params: { username: string } }>('/admin/users/:username', { config: { permission: 'user.read' } }, async (req, reply) => userPage(req, reply));

  app.post<{ Params: { username: string } }>('/admin/users/:username/roles', { config: { permission: 'user.manage' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const count = Math.min(50, Number(body.count) || 0);
    const roles = [];
    for (let i = 0; i < count; i++) if (body[`role${i}`]) roles.push({ role: body[`role${i}`], department: body[`dept${i}`], includeChildren: body[`children${i}`] === '1' });
    try {
      await setRoles(p, req.user!, req.params.username, roles);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return userPage(req, reply, fields, 400);
      throw err;
    }
    return reply.redirect(`/admin/users/${req.params.username}?done=roles`);
  });

  app.post<{ Params: { username: string } }>('/admin/users/:username/profile', { config: { permission: 'user.manage' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      await updateUser(p, req.user!, req.params.username, { displayName: String(body.displayName ?? ''), email: String(body.email ?? '') });
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return userPage(req, reply, fields, 400, { displayName: String(body.displayName ?? ''), email: String(body.email ?? '') });
      throw err;
    }
    return reply.redirect(`/admin/users/${req.params.username}?done=profile`);
  });

  app.post<{ Params: { username: string } }>('/admin/users/:username/password', { config: { permission: 'user.manage' } }, async (req, reply) => {
    try {
      await setPassword(p, req.user!, req.params.username, String((req.body as any)?.password ?? ''));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return userPage(req, reply, fields, 400);
      throw err;
    }
    return reply.redirect(`/admin/users/${req.params.username}?done=password`);
  });

  for (const act of ['activate', 'deactivate'] as const) {
    app.post<{ Params: { username: string } }>(`/admin/users/:username/${act}`, { config: { permission: 'user.manage' } }, async (req, reply) => {
      if ((req.body as any)?.confirm !== 'yes') return userPage(req, reply, { confirm: req.t('common.confirm_required') }, 400);
      try {
        await setActive(p, req.user!, req.params.username, act === 'activate');
      } catch (err) {
        const fields = localizeFields(req, err);
        if (fields) return userPage(req, reply, fields, 400);
        throw err;
      }
      return reply.redirect(`/admin/users/${req.params.username}?done=${act}`);
    });
  }

  // ---- departments ----
  // ---- roles: what each role may do, as the modules declare it ----
  app.get('/admin/roles', { config: { permission: 'user.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const label = (d: ActionDecl) => (c.locale === 'en' ? d.en : d.zh);
    return reply.html(
      <AdminLayout c={c} title={c.t('roles.title')}>
        <h1>{c.t('roles.title')}</h1>
        <p>{c.t('roles.intro')}</p>
        <TableWrap label={c.t('roles.title')}>
          <table>
            <caption class="visually-hidden">{c.t('roles.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{c.t('roles.action')}</th>
                {ROLES.map((r) => (
                  <th scope="col">{c.t(`role.${r}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {declaredActions().map((d) => (
                <tr>
                  <th scope="row">
                    {label(d)}
                  </th>
                  {ROLES.map((r) => (
                    <td>{roleAllows(r, d.action) ? <span aria-label={c.t('common.yes')}>✓</span> : <span class="visually-hidden">{c.t('common.no')}</span>}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </AdminLayout>,
    );
  });

  app.get('/admin/departments', { config: { permission: 'department.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const depts = await listDepartments(p.db);
    return reply.html(
      <AdminLayout c={c} title={c.t('depts.title')}>
        <h1>{c.t('depts.title')}</h1>
        {c.can('government.edit') && (
          <p>
            <a class="button primary" href="/admin/departments/new">{c.t('depts.new')}</a> <a class="button" href="/admin/government">{c.t('gov.title')}</a>
          </p>
        )}
        {depts.length === 0 ? (
          <Empty>{c.t('depts.none')}</Empty>
        ) : (
          <TableWrap label={c.t('depts.title')}>
          <table>
            <thead>
              <tr>
                <th>{c.t('depts.name')}</th>
                <th>{c.t('depts.code')}</th>
                <th>{c.t('depts.kind')}</th>
                <th>{c.t('depts.phone')}</th>
                <th>{c.t('depts.address')}</th>
              </tr>
            </thead>
            <tbody>
              {treeOrder(depts).map(({ dept, depth }) => (
                <tr>
                  <td style={undefined} class={`depth-${Math.min(depth, 4)}`}>
                    {c.can('department.edit', { departmentId: dept.id }) ? <a href={`/admin/departments/${dept.code}`}>{dept.name}</a> : dept.name}
                  </td>
                  <td>
                    <code>{dept.code}</code>
                  </td>
                  <td>{c.t(`dept.kind.${dept.kind}`)}</td>
                  <td>{dept.phone}</td>
                  <td>{dept.address}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
        )}
      </AdminLayout>,
    );
  });

  const deptPage = async (req: FastifyRequest, reply: FastifyReply, dept: Partial<DepartmentView> & { parentCode?: string }, isNew: boolean, fields?: Record<string, string>, status = 200) => {
    const c = req.ctx(reply);
    const depts = await listDepartments(p.db);
    const action = isNew ? '/admin/departments' : `/admin/departments/${dept.code}`;
    return reply.html(
      <AdminLayout c={c} title={isNew ? c.t('depts.new') : dept.name ?? ''}>
        <h1>{isNew ? c.t('depts.new') : dept.name}</h1>
        {(req.query as any)?.done && <Notice kind="success">{c.t('common.saved')}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="post" action={action} class="stack narrow">
          <Csrf c={c} />
          {isNew && <Field label={c.t('depts.code')} name="code" value={dept.code} required maxLength={32} hint={c.t('depts.code_rule')} error={fields?.code} />}
          {isNew && <Select label={c.t('depts.parent')} name="parentCode" value={dept.parentCode ?? ''} blank={c.t('depts.top')} options={deptOptions(depts)} error={fields?.parentCode} />}
          <Field label={c.t('depts.name')} name="name" value={dept.name} required maxLength={100} error={fields?.name} />
          <Field label={c.t('depts.short_name')} name="shortName" value={dept.shortName} maxLength={50} error={fields?.shortName} />
          <Select label={c.t('depts.kind')} name="kind" value={dept.kind ?? 'bureau'} options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: c.t(`dept.kind.${k}`) }))} error={fields?.kind} />
          <Field label={c.t('depts.org_code')} name="orgCode" value={dept.orgCode} maxLength={18} error={fields?.orgCode} />
          <Field label={c.t('depts.phone')} name="phone" value={dept.phone} maxLength={50} error={fields?.phone} />
          <Field label={c.t('depts.fax')} name="fax" value={dept.fax} maxLength={50} error={fields?.fax} />
          <Field label={c.t('depts.email')} name="email" value={dept.email} maxLength={200} error={fields?.email} />
          <Field label={c.t('depts.address')} name="address" value={dept.address} maxLength={200} error={fields?.address} />
          <Field label={c.t('depts.hours')} name="officeHours" value={dept.officeHours} maxLength={200} error={fields?.officeHours} />
          <Field label={c.t('depts.sort')} name="sort" type="number" value={dept.sort ?? 0} error={fields?.sort} />
          <button type="submit" class="primary">{c.t('common.save')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };

  app.get('/admin/departments/new', { config: { permission: 'government.edit' } }, async (req, reply) => deptPage(req, reply, {}, true));
  app.post('/admin/departments', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const form = validateForm(DeptForm, body, req.locale);
    if (!form.ok) return deptPage(req, reply, body, true, form.fields, 400);
    try {
      const d = await createDepartment(p, req.user!, { ...form.value, code: String(form.value.code ?? '') });
      return reply.redirect(`/admin/departments/${d.code}?done=1`);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return deptPage(req, reply, body, true, fields, 400);
      throw err;
    }
  });
  app.get<{ Params: { code: string } }>('/admin/departments/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const d = await getDepartment(p.db, req.params.code);
    if (!d || !can(req.user, 'department.edit', { departmentId: d.id })) throw notFound();
    return deptPage(req, reply, d, false);
  });
  app.post<{ Params: { code: string } }>('/admin/departments/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const form = validateForm(DeptForm, body, req.locale);
    if (!form.ok) return deptPage(req, reply, { ...body, code: req.params.code }, false, form.fields, 400);
    try {
      await updateDepartment(p, req.user!, req.params.code, form.value);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return deptPage(req, reply, { ...body, code: req.params.code }, false, fields, 400);
      throw err;
    }
    return reply.redirect(`/admin/departments/${req.params.code}?done=1`);
  });

  // ---- government ----
  const govPage = (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, fields?: Record<string, string>, status = 200) => {
    const c = req.ctx(reply);
    return reply.html(
      <AdminLayout c={c} title={c.t('gov.title')}>
        <h1>{c.t('gov.title')}</h1>
        {(req.query as any)?.done && <Notice kind="success">{c.t('common.saved')}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="post" action="/admin/government" class="stack narrow">
          <Csrf c={c} />
          <Field label={c.t('gov.name')} name="name" value={values.name} required maxLength={100} error={fields?.name} />
          <Field label={c.t('gov.short_name')} name="shortName" value={values.shortName} maxLength={50} />
          <Field label={c.t('gov.org_code')} name="orgCode" value={values.orgCode} required maxLength={18} hint={c.t('gov.org_code_hint')} error={fields?.orgCode} />
          <Field label={c.t('depts.address')} name="address" value={values.address} maxLength={200} />
          <Field label={c.t('depts.phone')} name="phone" value={values.phone} maxLength={50} />
          <fieldset>
            <legend>{c.t('gov.site')}</legend>
            <Field label={c.t('gov.site_code')} name="siteCode" value={values.siteCode} maxLength={10} hint={c.t('gov.site_code_hint')} error={fields?.siteCode} />
            <Field label={c.t('gov.icp')} name="icp" value={values.icp} maxLength={100} hint={c.t('gov.icp_hint')} error={fields?.icp} />
            <Field label={c.t('gov.psb')} name="psb" value={values.psb} maxLength={100} hint={c.t('gov.psb_hint')} error={fields?.psb} />
          </fieldset>
          <button type="submit" class="primary">{c.t('common.save')}</button>
        </form>
        <h2>{c.t('gov.index_prefix')}</h2>
        <form method="post" action="/admin/government/index-prefix" class="stack narrow">
          <Csrf c={c} />
          <Select label={c.t('gov.index_prefix_mode')} name="indexPrefix" value={values.indexPrefix} options={INDEX_PREFIX_MODES.map((m) => ({ value: m, label: c.t(`gov.index_prefix.${m}`) }))} error={fields?.indexPrefix} />
          <p class="hint">{c.t('gov.index_prefix_hint')}</p>
          <button type="submit">{c.t('common.save')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  };
  app.get('/admin/government', { config: { permission: 'government.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    return govPage(req, reply, { ...c.gov, indexPrefix: await getIndexPrefixMode(p.db) });
  });
  app.post('/admin/government/index-prefix', { config: { permission: 'government.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const mode = String(((req.body ?? {}) as Record<string, string>).indexPrefix ?? '');
    try {
      await setIndexPrefixMode(p, req.user!, mode as IndexPrefixMode);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return govPage(req, reply, { ...c.gov, indexPrefix: mode }, fields, 400);
      throw err;
    }
    return reply.redirect('/admin/government?done=1');
  });
  app.post('/admin/government', { config: { permission: 'government.edit' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const values = { name: String(b.name ?? ''), shortName: String(b.shortName ?? ''), orgCode: String(b.orgCode ?? '').trim().toUpperCase(), address: String(b.address ?? ''), phone: String(b.phone ?? ''), siteCode: String(b.siteCode ?? '').trim(), icp: String(b.icp ?? ''), psb: String(b.psb ?? '') };
    try {
      await saveGovernment(p, req.user!, values);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (fields) return govPage(req, reply, { ...values, indexPrefix: await getIndexPrefixMode(p.db) }, fields, 400);
      throw err;
    }
    return reply.redirect('/admin/government?done=1');
  });
}

