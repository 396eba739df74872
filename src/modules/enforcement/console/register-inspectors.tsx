// Console pages of the inspectors' register: by department (the caller's), add, edit, on/off
// duty, the account that enters results, declared conflicts of interest (回避).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { scopeOf } from '../../../platform/auth/policy.js';
import { HttpError } from '../../../platform/errors.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, Field, Pager, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { INSPECTION_FIELDS } from '../service/codes.js';
import { activeDepartments, addRelation, createInspector, linkableUsers, linkUser, listInspectors, removeRelation, RegisterInvalid, setInspectorActive, staffInspector, updateInspector, type DeptRef, type InspectorStaff } from '../service/registers.js';
import { InspectorsView } from '../public/entities.js';
import { doneKey, list, pageOf, PageHead, problemsOf, str, writable, type Body } from './register-views.js';


// ---- inspector form --------------------------------------------------------------------------

interface InspectorForm {
  certNo: string;
  name: string;
  department: string;
  fields: string[];
  phone: string;
}

const inspectorFormFrom = (b: Body): InspectorForm => ({ certNo: str(b.certNo).slice(0, 40), name: str(b.name).slice(0, 300), department: str(b.department).slice(0, 32), fields: list(b.fields).slice(0, 20), phone: str(b.phone).slice(0, 30) });

function InspectorFields({ c, v, fields, isNew, depts }: { c: PageCtx; v: InspectorForm; fields?: Record<string, string>; isNew: boolean; depts: DeptRef[] }) {
  return (
    <>
      {isNew && <Field label={c.t('enforcement.col.certNo')} name="certNo" value={v.certNo} required maxLength={32} error={fields?.certNo} />}
      <Field label={c.t('enforcement.col.inspectorName')} name="name" value={v.name} required maxLength={200} error={fields?.name} />
      <Select label={c.t('enforcement.col.department')} name="department" value={v.department} required options={depts.map((d) => ({ value: d.code, label: d.name }))} error={fields?.department} />
      <fieldset id="f-fields" class={fields?.fields ? 'has-error' : undefined}>
        <legend>{c.t('enforcement.col.fields')}</legend>
        {fields?.fields && <p class="field-error">{fields.fields}</p>}
        {INSPECTION_FIELDS.map((f) => (
          <label class="checkbox">
            <input type="checkbox" name="fields" value={f} checked={v.fields.includes(f)} /> {c.t(`enforcement.field.${f}`)}
          </label>
        ))}
      </fieldset>
      <Field label={c.t('enforcement.col.phone')} name="phone" value={v.phone} type="tel" maxLength={20} hint={c.t('enforcement.hint.phone')} error={fields?.phone} />
    </>
  );
}

export async function inspectorConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- inspectors ----------------------------------------------------------------------------
  app.get<{ Querystring: Record<string, unknown> }>('/admin/enforcement/inspectors', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const scope = scopeOf(req.user!, 'enforcement.read');
    const all = await activeDepartments(p.db);
    const depts = scope === 'all' ? all : all.filter((d) => scope.has(d.id));
    const department = depts.some((d) => d.code === str(req.query.department)) ? str(req.query.department) : '';
    const field = (INSPECTION_FIELDS as readonly string[]).includes(str(req.query.field)) ? str(req.query.field) : '';
    const page = pageOf(req.query.page);
    const r = await listInspectors(p.db, { department, field, page, pageSize: 50, departmentIds: scope });
    const href = (n: number) => `/admin/enforcement/inspectors?${new URLSearchParams({ department, field, page: String(n) })}`;
    const done = doneKey(req.query.done);
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.console.inspectors')}>
        <PageHead c={c} here="inspectors" title={c.t('enforcement.console.inspectors')} done={done} />
        <p>{c.t('enforcement.console.inspectors_intro')}</p>
        {writable(c, all).length > 0 && (
          <p class="actions">
            <a class="button" href="/admin/enforcement/inspectors/new">
              {c.t('enforcement.inspector.new')}
            </a>{' '}
            <a href="/admin/enforcement/imports">{c.t('enforcement.console.imports')}</a>
          </p>
        )}
        <InspectorsView c={c} action="/admin/enforcement/inspectors" depts={depts} department={department} field={field} items={r.items} href={(cert) => `/admin/enforcement/inspectors/${encodeURIComponent(cert)}`} />
        <Pager c={c} page={page} pageSize={r.pageSize} total={Math.min(r.total, 10000 * r.pageSize)} href={href} />
      </AdminLayout>,
    );
  });

  async function inspectorPage(req: FastifyRequest, reply: FastifyReply, i: InspectorStaff | null, v: InspectorForm, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const depts = writable(c, await activeDepartments(p.db));
    const mayWrite = i ? c.can('enforcement.register', { departmentId: i.departmentId }) : depts.length > 0;
    const title = i ? `${i.name}（${i.certNo}）` : c.t('enforcement.inspector.new');
    const done = doneKey((req.query as Record<string, unknown>)?.done);
    const base = i ? `/admin/enforcement/inspectors/${encodeURIComponent(i.certNo)}` : '';
    const users = i && mayWrite ? await linkableUsers(p.db, i.departmentId) : [];
    // The inspector's own department stays choosable even where the editor holds the right only through it.
    const choices = i && !depts.some((d) => d.id === i.departmentId) ? [{ id: i.departmentId, code: i.department, name: i.departmentName }, ...depts] : depts;
    return reply.html(
      <AdminLayout c={c} title={title}>
        <PageHead c={c} here="inspectors" title={title} done={done} fields={fields} />
        {i && (
          <Dl
            rows={[
              [c.t('enforcement.col.department'), i.departmentName],
              [c.t('enforcement.col.fields'), i.fields.map((f) => c.t(`enforcement.field.${f}`)).join(c.t('enforcement.list_sep'))],
              [c.t('enforcement.col.active'), i.active ? c.t('enforcement.inspector.active') : c.t('enforcement.inspector.inactive')],
              [c.t('enforcement.col.user'), i.user ? `${i.user.displayName}（${i.user.username}）` : c.t('enforcement.inspector.no_user')],
              [c.t('enforcement.col.updatedAt'), shanghaiDateTime(i.updatedAt)],
            ]}
          />
        )}
        {mayWrite && (
          <form method="post" action={i ? base : '/admin/enforcement/inspectors/new'} class="stack">
            <Csrf c={c} />
            <InspectorFields c={c} v={v} fields={fields} isNew={!i} depts={choices} />
            <button type="submit" class="primary">
              {i ? c.t('common.save') : c.t('common.create')}
            </button>
          </form>
        )}
        {i && mayWrite && (
          <>
            <section class="card" aria-labelledby="user-h">
              <h2 id="user-h">{c.t('enforcement.inspector.user_title')}</h2>
              <p class="hint">{c.t('enforcement.inspector.user_hint')}</p>
              <form method="post" action={`${base}/user`} class="stack">
                <Csrf c={c} />
                <Select label={c.t('enforcement.col.user')} name="username" value={i.user?.username ?? ''} blank={c.t('enforcement.inspector.no_user')} options={users.map((u) => ({ value: u.username, label: `${u.displayName}（${u.username}）` }))} error={fields?.username} />
                {users.length === 0 && <p class="meta">{c.t('enforcement.inspector.no_linkable')}</p>}
                <button type="submit">{c.t('enforcement.inspector.link')}</button>
              </form>
            </section>
            <section class="card" aria-labelledby="status-h">
              <h2 id="status-h">{c.t('enforcement.inspector.status')}</h2>
              <ConfirmForm c={c} action={`${base}/active`} label={i.active ? c.t('enforcement.inspector.deactivate') : c.t('enforcement.inspector.activate')} confirm={i.active ? c.t('enforcement.inspector.deactivate_confirm') : c.t('enforcement.inspector.activate_confirm')}>
                <input type="hidden" name="active" value={i.active ? '0' : '1'} />
              </ConfirmForm>
            </section>
          </>
        )}
        {i && (
          <section class="card" aria-labelledby="rel-h">
            <h2 id="rel-h">{c.t('enforcement.relations.title')}</h2>
            <p class="hint">{c.t('enforcement.relations.hint')}</p>
            {i.relations.length === 0 ? (
              <Empty>{c.t('enforcement.relations.none')}</Empty>
            ) : (
              <TableWrap label={c.t('enforcement.relations.title')}>
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">{c.t('enforcement.col.name')}</th>
                      <th scope="col">{c.t('enforcement.col.creditCode')}</th>
                      <th scope="col">{c.t('enforcement.col.reason')}</th>
                      <th scope="col">{c.t('enforcement.col.declaredAt')}</th>
                      {mayWrite && <th scope="col">{c.t('enforcement.relations.remove')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {i.relations.map((r) => (
                      <tr>
                        <td>{r.entityName}</td>
                        <td>
                          <code>{r.creditCode}</code>
                        </td>
                        <td>{r.reason}</td>
                        <td>
                          {shanghaiDateTime(r.createdAt)} · {r.createdBy}
                        </td>
                        {mayWrite && (
                          <td>
                            <form method="post" action={`${base}/relations/remove`} class="inline">
                              <Csrf c={c} />
                              <input type="hidden" name="creditCode" value={r.creditCode} />
                              <button type="submit" class="link">
                                {c.t('enforcement.relations.remove')}
                              </button>
                            </form>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {mayWrite && (
              <form method="post" action={`${base}/relations`} class="stack">
                <Csrf c={c} />
                <h3>{c.t('enforcement.relations.add')}</h3>
                <Field label={c.t('enforcement.col.creditCode')} name="creditCode" id="f-rel-code" required maxLength={40} error={fields?.creditCode} />
                <Field label={c.t('enforcement.col.reason')} name="reason" id="f-rel-reason" required maxLength={200} hint={c.t('enforcement.relations.reason_hint')} error={fields?.reason} />
                <button type="submit">{c.t('enforcement.relations.add')}</button>
              </form>
            )}
          </section>
        )}
      </AdminLayout>,
      status,
    );
  }

  const formOfInspector = (i: InspectorStaff): InspectorForm => ({ certNo: i.certNo, name: i.name, department: i.department, fields: i.fields, phone: i.phone });

  app.get('/admin/enforcement/inspectors/new', { config: { permission: 'enforcement.register' } }, async (req, reply) =>
    inspectorPage(req, reply, null, { certNo: '', name: '', department: req.user!.departmentCode, fields: [], phone: '' }),
  );

  app.post<{ Body: Body }>('/admin/enforcement/inspectors/new', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const v = inspectorFormFrom(req.body ?? {});
    try {
      const i = await createInspector(p, req.user!, v);
      return reply.redirect(`/admin/enforcement/inspectors/${encodeURIComponent(i.certNo)}?done=created`, 303);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields) throw err;
      return inspectorPage(req, reply, null, v, fields, (err as HttpError).status);
    }
  });

  app.get<{ Params: { cert: string } }>('/admin/enforcement/inspectors/:cert', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const i = await staffInspector(p, req.user!, req.params.cert);
    return inspectorPage(req, reply, i, formOfInspector(i));
  });

  /** A POST on an inspector: the action, then back to its page, or the page with the problems. */
  const inspectorAction = (suffix: string, act: (req: FastifyRequest<{ Params: { cert: string }; Body: Body }>, i: InspectorStaff) => Promise<string>) =>
    app.post<{ Params: { cert: string }; Body: Body }>(`/admin/enforcement/inspectors/:cert${suffix}`, { config: { permission: 'enforcement.register' } }, async (req, reply) => {
      const i = await staffInspector(p, req.user!, req.params.cert);
      try {
        const done = await act(req, i);
        return reply.redirect(`/admin/enforcement/inspectors/${encodeURIComponent(i.certNo)}?done=${done}`, 303);
      } catch (err) {
        const fields = problemsOf(req, err);
        if (!fields) throw err;
        return inspectorPage(req, reply, i, suffix ? formOfInspector(i) : inspectorFormFrom(req.body ?? {}), fields, (err as HttpError).status);
      }
    });

  inspectorAction('', async (req, i) => {
    await updateInspector(p, req.user!, i.certNo, inspectorFormFrom(req.body ?? {}));
    return 'saved';
  });
  inspectorAction('/active', async (req, i) => {
    const b = req.body ?? {};
    if (str(b.confirm) !== 'yes') throw new RegisterInvalid([{ field: 'confirm', key: 'common.confirm_required' }]);
    await setInspectorActive(p, req.user!, i.certNo, str(b.active) === '1');
    return str(b.active) === '1' ? 'activated' : 'deactivated';
  });
  inspectorAction('/user', async (req, i) => {
    const username = str(req.body?.username).slice(0, 64) || null;
    await linkUser(p, req.user!, i.certNo, username);
    return username ? 'linked' : 'unlinked';
  });
  inspectorAction('/relations', async (req, i) => {
    await addRelation(p, req.user!, i.certNo, { creditCode: str(req.body?.creditCode).slice(0, 40), reason: str(req.body?.reason).slice(0, 300) });
    return 'relation_added';
  });
  inspectorAction('/relations/remove', async (req, i) => {
    await removeRelation(p, req.user!, i.certNo, str(req.body?.creditCode).slice(0, 40));
    return 'relation_removed';
  });

}
