// Console pages of the registers: entities (search, add, correct, deactivate), inspectors (by
// department; add, edit, link the staff account, declared conflicts of interest) and imports
// (upload, a progress page that refreshes itself without JavaScript, the row report, confirming
// an import that would overwrite existing entries).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { scopeOf } from '../../../platform/auth/policy.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, FileInput, Notice, Pager, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import { tableSource } from '../../../platform/files/table.js';
import { INSPECTION_FIELDS, RISK_LEVELS } from '../service/codes.js';
import {
  activeDepartments,
  addRelation,
  createEntity,
  createInspector,
  getEntity,
  linkableUsers,
  linkUser,
  listInspectors,
  removeRelation,
  RegisterInvalid,
  searchEntities,
  setEntityActive,
  setInspectorActive,
  staffInspector,
  updateEntity,
  updateInspector,
  type DeptRef,
  type EntityView,
  type InspectorStaff,
} from '../service/registers.js';
import { columnLabel, confirmImport, IMPORT_KINDS, recentImports, reportCsv, staffImport, startImport, type ImportView } from '../service/imports.js';
import { readImportUpload } from '../api/registers.js';
import { InspectorTable } from '../public/entities.js';

type Body = Record<string, string | string[] | undefined>;
const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
const pageOf = (v: unknown) => Math.max(1, Math.min(10000, Math.floor(Number(v)) || 1));
const DONE = ['created', 'saved', 'deactivated', 'activated', 'linked', 'unlinked', 'relation_added', 'relation_removed', 'confirmed'];
const doneKey = (v: unknown) => (DONE.includes(str(v)) ? `enforcement.done.${str(v)}` : undefined);

/** Each field's problem in the reader's language; null for an error that is not the caller's. */
function problemsOf(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof RegisterInvalid) return Object.fromEntries(err.problems.map((x) => [x.field, req.t(x.key, x.params)]));
  if (err instanceof HttpError && err.status < 500 && err.status !== 404) {
    if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, err.params)]));
    return { _: req.t(err.message, err.params) };
  }
  return null;
}

/** The departments where the user may write to the registers. */
function writable(c: PageCtx, depts: DeptRef[]): DeptRef[] {
  const scope = scopeOf(c.user, 'enforcement.register');
  return scope === 'all' ? depts : depts.filter((d) => scope.has(d.id));
}

function Nav({ c, here }: { c: PageCtx; here: 'entities' | 'inspectors' | 'imports' }) {
  const items = [
    ['entities', '/admin/enforcement/entities', 'enforcement.console.entities'],
    ['inspectors', '/admin/enforcement/inspectors', 'enforcement.console.inspectors'],
    ['imports', '/admin/enforcement/imports', 'enforcement.console.imports'],
  ] as const;
  return (
    <nav class="breadcrumb" aria-label={c.t('enforcement.breadcrumb')}>
      <a href="/admin/enforcement">{c.t('nav.enforcement_admin')}</a>
      {items.map(([k, href, label]) => (
        <>
          {' · '}
          <a href={href} aria-current={k === here ? 'page' : undefined}>
            {c.t(label)}
          </a>
        </>
      ))}
    </nav>
  );
}

/** The top of a console page: where it is, its title, what was just done, what is wrong. */
function PageHead({ c, here, title, done, fields }: { c: PageCtx; here: 'entities' | 'inspectors' | 'imports'; title: string; done?: string; fields?: Record<string, string> }) {
  return (
    <>
      <Nav c={c} here={here} />
      <h1>{title}</h1>
      {done && <Notice kind="success">{c.t(done)}</Notice>}
      <ErrorSummary c={c} fields={fields} />
    </>
  );
}

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

// ---- import views ----------------------------------------------------------------------------

const RUNNING = new Set(['queued', 'running']);

function ImportReportView({ c, imp }: { c: PageCtx; imp: ImportView }) {
  const r = imp.report;
  const label = (f: string) => c.t(columnLabel(imp.kind, f));
  return (
    <>
      {r.format && <p class="import-source">{tableSource(c.t, { format: r.format, encoding: r.encoding })}</p>}
      {r.ignored.length > 0 && <p class="meta">{c.t('enforcement.import.ignored', { columns: r.ignored.join('、') })}</p>}
      {imp.status === 'failed' && (
        <>
          <Notice kind="error">{c.t('enforcement.import.failed', { rows: r.rows, n: r.problemCount })}</Notice>
          <p>
            <a href={`/admin/enforcement/imports/${imp.id}/report.csv`}>{c.t('enforcement.import.report_csv')}</a>
            {r.problemCount > r.problems.length && <span class="meta"> · {c.t('enforcement.import.problems_cut', { n: r.problems.length })}</span>}
          </p>
          <TableWrap label={c.t('enforcement.import.report')}>
            <table class="data import-errors">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.import.row')}</th>
                  <th scope="col">{c.t('enforcement.import.field')}</th>
                  <th scope="col">{c.t('enforcement.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {r.problems.slice(0, 1000).map((x) => (
                  <tr>
                    <td>{x.row || '—'}</td>
                    <td>{label(x.field)}</td>
                    <td>{c.t(x.key, x.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {r.problems.length > 1000 && <p class="meta">{c.t('enforcement.import.more_in_csv', { n: r.problems.length - 1000 })}</p>}
        </>
      )}
      {imp.status === 'checked' && (
        <>
          <Notice kind="warning">{c.t('enforcement.import.would_overwrite', { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged })}</Notice>
          {c.can('enforcement.register', { departmentId: imp.departmentId }) && (
            <ConfirmForm c={c} action={`/admin/enforcement/imports/${imp.id}/confirm`} label={c.t('enforcement.import.confirm_button')} confirm={c.t('enforcement.import.confirm_box', { updated: r.updated })} />
          )}
        </>
      )}
      {imp.status === 'done' && <Notice kind="success">{c.t('enforcement.import.done', { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged })}</Notice>}
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
        <form method="get" action="/admin/enforcement/inspectors" class="filters" aria-label={c.t('common.filter')}>
          <Select label={c.t('enforcement.col.department')} name="department" value={department} blank={c.t('common.all')} options={depts.map((d) => ({ value: d.code, label: d.name }))} />
          <Select label={c.t('enforcement.col.fields')} name="field" value={field} blank={c.t('common.all')} options={INSPECTION_FIELDS.map((f) => ({ value: f, label: c.t(`enforcement.field.${f}`) }))} />
          <button type="submit">{c.t('common.filter')}</button>
        </form>
        {r.items.length === 0 ? (
          <Empty>{c.t('enforcement.inspectors.empty')}</Empty>
        ) : (
          <InspectorTable c={c} items={r.items} href={(cert) => `/admin/enforcement/inspectors/${encodeURIComponent(cert)}`} />
        )}
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

  // ---- imports -------------------------------------------------------------------------------
  async function importsPage(req: FastifyRequest, reply: FastifyReply, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const depts = writable(c, await activeDepartments(p.db));
    const recent = await recentImports(p, req.user!);
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.console.imports')}>
        <Nav c={c} here="imports" />
        <h1>{c.t('enforcement.console.imports')}</h1>
        <p>{c.t('enforcement.import.intro')}</p>
        <ul>
          {IMPORT_KINDS.map((k) => (
            <li>
              <a href={`/api/v1/registers/templates/${k}.csv`}>{c.t(`enforcement.import.template.${k}`)}</a>
            </li>
          ))}
        </ul>
        <ErrorSummary c={c} fields={fields} />
        {depts.length > 0 && (
          <form method="post" action="/admin/enforcement/imports" enctype="multipart/form-data" class="stack import-form">
            <Csrf c={c} />
            <Select label={c.t('enforcement.import.kind')} name="kind" required options={IMPORT_KINDS.map((k) => ({ value: k, label: c.t(`enforcement.import.kind.${k}`) }))} error={fields?.kind} />
            <Select label={c.t('enforcement.import.department')} name="department" value={req.user!.departmentCode} options={depts.map((d) => ({ value: d.code, label: d.name }))} error={fields?.department} />
            <p class="hint">{c.t('enforcement.import.department_hint')}</p>
            <div class={`field${fields?.file ? ' has-error' : ''}`}>
              <label for="f-file">{c.t('enforcement.import.file')}</label>
              {fields?.file && <p class="field-error">{fields.file}</p>}
              <FileInput c={c} id="f-file" name="file" required accept=".csv,.xlsx,.txt" invalid={!!fields?.file} />
            </div>
            <label class="checkbox">
              <input type="checkbox" name="confirm" value="1" /> {c.t('enforcement.import.overwrite')}
            </label>
            <button type="submit" class="primary">
              {c.t('enforcement.import.go')}
            </button>
          </form>
        )}
        <h2>{c.t('enforcement.import.recent')}</h2>
        {recent.length === 0 ? (
          <Empty>{c.t('enforcement.import.none')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.import.recent')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.import.file')}</th>
                  <th scope="col">{c.t('enforcement.import.kind')}</th>
                  <th scope="col">{c.t('enforcement.import.status')}</th>
                  <th scope="col">{c.t('enforcement.import.at')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((x) => (
                  <tr>
                    <td>
                      <a href={`/admin/enforcement/imports/${x.id}`}>{x.fileName}</a>
                    </td>
                    <td>{c.t(`enforcement.import.kind.${x.kind}`)}</td>
                    <td>{c.t(`enforcement.import_status.${x.status}`)}</td>
                    <td>
                      {shanghaiDateTime(x.createdAt)} · {x.createdBy}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get('/admin/enforcement/imports', { config: { permission: 'enforcement.read' } }, async (req, reply) => importsPage(req, reply));

  app.post('/admin/enforcement/imports', { config: { permission: 'enforcement.register', csrf: 'multipart' } }, async (req, reply) => {
    try {
      const u = await readImportUpload(req);
      const imp = await startImport(p, req.user!, u.file, { kind: u.kind, department: u.department, confirm: u.confirm });
      return reply.redirect(`/admin/enforcement/imports/${imp.id}`, 303);
    } catch (err) {
      const fields = problemsOf(req, err);
      if (!fields || (err instanceof HttpError && err.status === 403 && err.code === 'csrf')) throw err;
      return importsPage(req, reply, fields.file || fields.kind || fields.department ? fields : { file: Object.values(fields)[0] }, (err as HttpError).status);
    }
  });

  app.get<{ Params: { id: string } }>('/admin/enforcement/imports/:id', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const imp = await staffImport(p, req.user!, Number(req.params.id) || 0);
    const c = req.ctx(reply);
    const running = RUNNING.has(imp.status);
    if (running) reply.header('refresh', '2').header('cache-control', 'no-store');
    const done = doneKey((req.query as Record<string, unknown>)?.done);
    return reply.html(
      <AdminLayout c={c} title={`${c.t('enforcement.import.title')} · ${imp.fileName}`}>
        {/* Refreshes itself while the job runs, without JavaScript (the Refresh header says the same). */}
        {running && <meta http-equiv="refresh" content="2" />}
        <Nav c={c} here="imports" />
        <h1>
          {c.t('enforcement.import.title')} · {imp.fileName}
        </h1>
        {done && <Notice kind="success">{c.t(done)}</Notice>}
        <Dl
          rows={[
            [c.t('enforcement.import.kind'), c.t(`enforcement.import.kind.${imp.kind}`)],
            [c.t('enforcement.import.department'), imp.departmentName],
            [c.t('enforcement.import.status'), <strong class={`import-status ${imp.status}`}>{c.t(`enforcement.import_status.${imp.status}`)}</strong>],
            [c.t('enforcement.import.at'), `${shanghaiDateTime(imp.createdAt)} · ${imp.createdBy}`],
            ...(imp.finishedAt ? ([[c.t('enforcement.import.finished'), shanghaiDateTime(imp.finishedAt)]] as [string, string][]) : []),
          ]}
        />
        {running && (
          <p role="status" aria-live="polite">
            <label for="import-progress">{imp.total ? c.t('enforcement.import.progress', { done: imp.done, total: imp.total }) : c.t('enforcement.import.reading')}</label>{' '}
            <progress id="import-progress" max={Math.max(imp.total, 1)} value={imp.done}>
              {imp.total ? Math.floor((imp.done / imp.total) * 100) : 0}%
            </progress>
          </p>
        )}
        <ImportReportView c={c} imp={imp} />
        <p>
          <a href="/admin/enforcement/imports">{c.t('enforcement.import.back')}</a>
        </p>
      </AdminLayout>,
    );
  });

  app.post<{ Params: { id: string }; Body: Body }>('/admin/enforcement/imports/:id/confirm', { config: { permission: 'enforcement.register' } }, async (req, reply) => {
    const id = Number(req.params.id) || 0;
    const imp = await staffImport(p, req.user!, id);
    if (str(req.body?.confirm) !== 'yes') return reply.redirect(`/admin/enforcement/imports/${imp.id}`, 303);
    await confirmImport(p, req.user!, imp.id);
    return reply.redirect(`/admin/enforcement/imports/${imp.id}?done=confirmed`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/enforcement/imports/:id/report.csv', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const imp = await staffImport(p, req.user!, Number(req.params.id) || 0);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-${imp.id}-report.csv"`)
      .send(reportCsv(imp, req.t));
  });
}
