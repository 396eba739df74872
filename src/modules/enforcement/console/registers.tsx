// Console pages of the registers: entities (search, add, correct, deactivate); the inspectors'
// pages (register-inspectors.tsx) and the imports' (register-imports.tsx) are mounted from here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, Field, Pager, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { RISK_LEVELS } from '../service/codes.js';
import { activeDepartments, createEntity, getEntity, searchEntities, setEntityActive, updateEntity, type DeptRef, type EntityView } from '../service/registers.js';
import { doneKey, pageOf, PageHead, problemsOf, str, writable, type Body } from './register-views.js';
import { inspectorConsole } from './register-inspectors.js';
import { importConsole } from './register-imports.js';


// ---- entity form -----------------------------------------------------------------------------

interface EntityForm {
  creditCode: string;
  name: string;
  address: string;
  legalRep: string;
  industry: string;
  risk: string;
  area: string;
  department: string;
}

const entityFormOf = (e: EntityView | null, dept: string): EntityForm => ({ creditCode: e?.creditCode ?? '', name: e?.name ?? '', address: e?.address ?? '', legalRep: e?.legalRep ?? '', industry: e?.industry ?? '', risk: e?.risk ?? '', area: e?.area ?? '', department: dept });
const entityFormFrom = (b: Body): EntityForm => ({ creditCode: str(b.creditCode).slice(0, 40), name: str(b.name).slice(0, 300), address: str(b.address).slice(0, 300), legalRep: str(b.legalRep).slice(0, 100), industry: str(b.industry).slice(0, 60), risk: str(b.risk).slice(0, 20), area: str(b.area).slice(0, 100), department: str(b.department).slice(0, 32) });

function EntityFields({ c, v, fields, isNew, depts, areas }: { c: PageCtx; v: EntityForm; fields?: Record<string, string>; isNew: boolean; depts: DeptRef[]; areas: string[] }) {
  return (
    <>
      {isNew && <Field label={c.t('enforcement.col.creditCode')} name="creditCode" value={v.creditCode} required maxLength={40} hint={c.t('enforcement.hint.creditCode')} error={fields?.creditCode} />}
      <Field label={c.t('enforcement.col.name')} name="name" value={v.name} required maxLength={200} error={fields?.name} />
      <Field label={c.t('enforcement.col.address')} name="address" value={v.address} required maxLength={200} error={fields?.address} />
      <Field label={c.t('enforcement.col.legalRep')} name="legalRep" value={v.legalRep} maxLength={50} error={fields?.legalRep} />
      <Field label={c.t('enforcement.col.industry')} name="industry" value={v.industry} required maxLength={60} hint={c.t('enforcement.hint.industry')} error={fields?.industry} />
      <p class="meta">
        <a href="/lists/industries">{c.t('enforcement.hint.industry_picker')}</a>
      </p>
      <Select label={c.t('enforcement.col.risk')} name="risk" value={v.risk} required blank="" options={RISK_LEVELS.map((r) => ({ value: r, label: c.t(`enforcement.risk.${r}`) }))} error={fields?.risk} />
      <div class={`field${fields?.area ? ' has-error' : ''}`}>
        <label for="f-area">
          {c.t('enforcement.col.area')}
          <span class="req" aria-hidden="true"> *</span>
        </label>
        {fields?.area && (
          <p class="field-error" id="f-area-err">
            {fields.area}
          </p>
        )}
        <input id="f-area" name="area" value={v.area} required maxLength={50} list="areas" aria-invalid={fields?.area ? 'true' : undefined} aria-describedby={fields?.area ? 'f-area-err' : undefined} />
        <datalist id="areas">
          {areas.map((a) => (
            <option value={a} />
          ))}
        </datalist>
      </div>
      {depts.length > 1 && <Select label={c.t('enforcement.col.writer')} name="department" value={v.department} options={depts.map((d) => ({ value: d.code, label: d.name }))} error={fields?.department} />}
    </>
  );
}

export async function registerConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- entities ------------------------------------------------------------------------------
  app.get<{ Querystring: Record<string, unknown> }>('/admin/enforcement/entities', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = str(req.query.q).trim().slice(0, 100);
    const page = pageOf(req.query.page);
    const r = await searchEntities(p.db, { q, page, pageSize: 30 });
    const href = (n: number) => `/admin/enforcement/entities?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;
    const done = doneKey(req.query.done);
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.console.entities')}>
        <PageHead c={c} here="entities" title={c.t('enforcement.console.entities')} done={done} />
        <p>{c.t('enforcement.console.entities_intro')}</p>
        {c.can('enforcement.register') && (
          <p class="actions">
            <a class="button" href="/admin/enforcement/entities/new">
              {c.t('enforcement.entity.new')}
            </a>{' '}
            <a href="/admin/enforcement/imports">{c.t('enforcement.console.imports')}</a>
          </p>
        )}
        <form method="get" action="/admin/enforcement/entities" class="filters" role="search" aria-label={c.t('enforcement.entities.search')}>
          <Field label={c.t('enforcement.entities.q')} name="q" value={q} maxLength={100} />
          <button type="submit">{c.t('enforcement.entities.search')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{q ? c.t('enforcement.entities.none_found') : c.t('enforcement.entities.empty')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.console.entities')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.col.name')}</th>
                  <th scope="col">{c.t('enforcement.col.creditCode')}</th>
                  <th scope="col">{c.t('enforcement.col.industry')}</th>
                  <th scope="col">{c.t('enforcement.col.risk')}</th>
                  <th scope="col">{c.t('enforcement.col.area')}</th>
                  <th scope="col">{c.t('enforcement.col.active')}</th>
                  <th scope="col">{c.t('enforcement.col.writer')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((e) => (
                  <tr>
                    <td>
                      <a href={`/admin/enforcement/entities/${e.creditCode}`}>{e.name}</a>
                    </td>
                    <td>
                      <code>{e.creditCode}</code>
                    </td>
                    <td>{e.industryName}</td>
                    <td>{c.t(`enforcement.risk.${e.risk}`)}</td>
                    <td>{e.area}</td>
                    <td>{e.active ? c.t('enforcement.entity.active') : c.t('enforcement.entity.inactive')}</td>
                    <td>{e.departmentName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={r.pageSize} total={Math.min(r.total, 10000 * r.pageSize)} href={href} />
      </AdminLayout>,
    );
  });

  const areasOf = async () => (await p.db.selectFrom('enf_entities').select('area').distinct().orderBy('area').limit(500).execute()).map((r) => r.area);

  async function entityPage(req: FastifyRequest, reply: FastifyReply, e: EntityView | null, v: EntityForm, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const depts = writable(c, await activeDepartments(p.db));
    const mayWrite = c.can('enforcement.register') && depts.length > 0;
    const title = e ? e.name : c.t('enforcement.entity.new');
    const done = doneKey((req.query as Record<string, unknown>)?.done);
    return reply.html(
      <AdminLayout c={c} title={title}>
        <PageHead c={c} here="entities" title={title} done={done} fields={fields} />
        {e && (
          <Dl
            rows={[
              [c.t('enforcement.col.creditCode'), <code>{e.creditCode}</code>],
              [c.t('enforcement.col.active'), e.active ? c.t('enforcement.entity.active') : c.t('enforcement.entity.inactive')],
              [c.t('enforcement.col.writer'), e.departmentName],
              [c.t('enforcement.col.updatedAt'), shanghaiDateTime(e.updatedAt)],
              [c.t('enforcement.entity.public_page'), <a href={`/enforcement/entities/${e.creditCode}`}>{`/enforcement/entities/${e.creditCode}`}</a>],
            ]}
          />
        )}
        {mayWrite ? (
          <form method="post" action={e ? `/admin/enforcement/entities/${e.creditCode}` : '/admin/enforcement/entities/new'} class="stack">
            <Csrf c={c} />
            <EntityFields c={c} v={v} fields={fields} isNew={!e} depts={depts} areas={await areasOf()} />
            <button type="submit" class="primary">
              {e ? c.t('common.save') : c.t('common.create')}
            </button>
          </form>
        ) : (
          e && (
            <Dl
              rows={[
                [c.t('enforcement.col.address'), e.address],
                [c.t('enforcement.col.legalRep'), e.legalRep || '—'],
                [c.t('enforcement.col.industry'), e.industryName],
                [c.t('enforcement.col.risk'), c.t(`enforcement.risk.${e.risk}`)],
                [c.t('enforcement.col.area'), e.area],
              ]}
            />
          )
        )}
        {e && mayWrite && (
          <section class="card" aria-labelledby="status-h">
            <h2 id="status-h">{c.t('enforcement.entity.status')}</h2>
            <p class="hint">{c.t('enforcement.entity.status_hint')}</p>
            <ConfirmForm c={c} action={`/admin/enforcement/entities/${e.creditCode}/active`} label={e.active ? c.t('enforcement.entity.deactivate') : c.t('enforcement.entity.activate')} confirm={e.active ? c.t('enforcement.entity.deactivate_confirm') : c.t('enforcement.entity.activate_confirm')}>
              <input type="hidden" name="active" value={e.active ? '0' : '1'} />
            </ConfirmForm>
          </section>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get('/admin/enforcement/entities/new', { config: { permission: 'enforcement.register' } }, async (req, reply) => entityPage(req, reply, null, entityFormOf(null, req.user!.departmentCode)));

  app.post<{ Body: Body }>('/admin/enforcement/entities/new', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const v = entityFormFrom(req.body ?? {});
    try {
      const e = await createEntity(p, req.user!, v);
      return reply.redirect(`/admin/enforcement/entities/${e.creditCode}?done=created`, 303);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields) throw err;
      return entityPage(req, reply, null, v, fields, (err as HttpError).status);
    }
  });

  app.get<{ Params: { code: string } }>('/admin/enforcement/entities/:code', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const e = await getEntity(p.db, req.params.code);
    if (!e) throw notFound();
    return entityPage(req, reply, e, entityFormOf(e, req.user!.departmentCode));
  });

  app.post<{ Params: { code: string }; Body: Body }>('/admin/enforcement/entities/:code', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const e = await getEntity(p.db, req.params.code);
    if (!e) throw notFound();
    const v = entityFormFrom(req.body ?? {});
    try {
      await updateEntity(p, req.user!, e.creditCode, v);
      return reply.redirect(`/admin/enforcement/entities/${e.creditCode}?done=saved`, 303);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields) throw err;
      return entityPage(req, reply, e, v, fields, (err as HttpError).status);
    }
  });

  app.post<{ Params: { code: string }; Body: Body }>('/admin/enforcement/entities/:code/active', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const e = await getEntity(p.db, req.params.code);
    if (!e) throw notFound();
    const b = req.body ?? {};
    if (str(b.confirm) !== 'yes') return entityPage(req, reply, e, entityFormOf(e, req.user!.departmentCode), { confirm: req.t('common.confirm_required') }, 400);
    const active = str(b.active) === '1';
    try {
      await setEntityActive(p, req.user!, e.creditCode, active);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields) throw err;
      return entityPage(req, reply, e, entityFormOf(e, req.user!.departmentCode), fields, (err as HttpError).status);
    }
    return reply.redirect(`/admin/enforcement/entities/${e.creditCode}?done=${active ? 'activated' : 'deactivated'}`, 303);
  });

  await inspectorConsole(app, p);
  await importConsole(app, p);
}
