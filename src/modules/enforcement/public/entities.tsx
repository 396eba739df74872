// The public registers: 市场主体名录库 (search by name or credit code; an entity with its
// inspections whose results are published) and 执法检查人员名录库 (by department and field, no
// contact data), with their sitemap source.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Dl, Empty, Field, Pager, PublicLayout, Select, TableWrap, Zh, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import type { SitemapSource } from '../../../platform/sitemap.js';
import { listSource } from '../../../platform/sitemap.js';
import { INSPECTION_FIELDS } from '../service/codes.js';
import { activeDepartments, entityInspections, getEntity, listInspectors, searchEntities, type InspectorPublic } from '../service/registers.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const pageOf = (v: unknown) => Math.max(1, Math.min(10000, Math.floor(Number(v)) || 1));

/** Inspectors as the public sees them (no phone, no account) with the filters by department and
 *  field; `href` links each cert number (the console). */
export function InspectorsView({ c, action, depts, department, field, items, href }: { c: PageCtx; action: string; depts: { code: string; name: string }[]; department: string; field: string; items: InspectorPublic[]; href?: (certNo: string) => string }) {
  return (
    <>
      <form method="get" action={action} class="filters" aria-label={c.t('common.filter')}>
        <Select label={c.t('enforcement.col.department')} name="department" value={department} blank={c.t('common.all')} options={depts.map((d) => ({ value: d.code, label: d.name }))} />
        <Select label={c.t('enforcement.col.fields')} name="field" value={field} blank={c.t('common.all')} options={INSPECTION_FIELDS.map((f) => ({ value: f, label: c.t(`enforcement.field.${f}`) }))} />
        <button type="submit">{c.t('common.filter')}</button>
      </form>
      {items.length === 0 ? <Empty>{c.t('enforcement.inspectors.empty')}</Empty> : <InspectorTable c={c} items={items} href={href} />}
    </>
  );
}

function InspectorTable({ c, items, href }: { c: PageCtx; items: InspectorPublic[]; href?: (certNo: string) => string }) {
  return (
    <TableWrap label={c.t('enforcement.inspectors.title')}>
      <table class="data inspectors">
        <thead>
          <tr>
            <th scope="col">{c.t('enforcement.col.certNo')}</th>
            <th scope="col">{c.t('enforcement.col.inspectorName')}</th>
            <th scope="col">{c.t('enforcement.col.department')}</th>
            <th scope="col">{c.t('enforcement.col.fields')}</th>
            <th scope="col">{c.t('enforcement.col.active')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <td>{href ? <a href={href(i.certNo)}><code>{i.certNo}</code></a> : <code>{i.certNo}</code>}</td>
              <td lang={zhLang(c)}>{i.name}</td>
              <td lang={zhLang(c)}>{i.departmentName}</td>
              <td>{i.fields.map((f) => c.t(`enforcement.field.${f}`)).join(c.t('enforcement.list_sep'))}</td>
              <td>{i.active ? c.t('enforcement.inspector.active') : c.t('enforcement.inspector.inactive')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function registersSitemap(p: Platform): SitemapSource[] {
  return [
    listSource('enforcement-registers', async () => {
      const last = await p.db.selectFrom('enf_entities').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
      const lastInspector = await p.db.selectFrom('enf_inspectors').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
      return [
        { path: '/enforcement/entities', lastmod: (last?.at as string | null) ?? null },
        { path: '/enforcement/inspectors', lastmod: (lastInspector?.at as string | null) ?? null },
      ];
    }),
    {
      name: 'enforcement-entities',
      count: async () => Number((await p.db.selectFrom('enf_entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      urls: async (offset, limit) =>
        (await p.db.selectFrom('enf_entities').select(['credit_code', 'updated_at']).orderBy('id').limit(limit).offset(offset).execute()).map((e) => ({ path: `/enforcement/entities/${e.credit_code}`, lastmod: e.updated_at })),
    },
  ];
}

export async function registerPages(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: Record<string, unknown> }>('/enforcement/entities', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = str(req.query.q).trim().slice(0, 100);
    const page = pageOf(req.query.page);
    const r = await searchEntities(p.db, { q, page, pageSize: 20 });
    const href = (n: number) => `/enforcement/entities?${new URLSearchParams({ ...(q ? { q } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
    return reply.html(
      <PublicLayout c={c} title={c.t('enforcement.entities.title')} description={c.t('enforcement.entities.description')} canonical={q || page > 1 ? href(page) : '/enforcement/entities'}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.breadcrumb')}>
          <a href="/enforcement">{c.t('nav.enforcement')}</a>
        </nav>
        <h1>{c.t('enforcement.entities.title')}</h1>
        <p>{c.t('enforcement.entities.intro')}</p>
        <form method="get" action="/enforcement/entities" class="filters" role="search" aria-label={c.t('enforcement.entities.search')}>
          <Field label={c.t('enforcement.entities.q')} name="q" value={q} maxLength={100} hint={c.t('enforcement.entities.q_hint')} />
          <button type="submit">{c.t('enforcement.entities.search')}</button>
        </form>
        {q && <p class="meta">{c.t('enforcement.entities.found', { n: r.total, q })}</p>}
        {r.items.length === 0 ? (
          <Empty>{q ? c.t('enforcement.entities.none_found') : c.t('enforcement.entities.empty')}</Empty>
        ) : (
          <TableWrap label={c.t('enforcement.entities.title')}>
            <table class="data entities">
              <thead>
                <tr>
                  <th scope="col">{c.t('enforcement.col.name')}</th>
                  <th scope="col">{c.t('enforcement.col.creditCode')}</th>
                  <th scope="col">{c.t('enforcement.col.address')}</th>
                  <th scope="col">{c.t('enforcement.col.industry')}</th>
                  <th scope="col">{c.t('enforcement.col.area')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((e) => (
                  <tr>
                    <td lang={zhLang(c)}>
                      <a href={`/enforcement/entities/${e.creditCode}`}>{e.name}</a>
                      {!e.active && <span class="meta"> · {c.t('enforcement.entity.inactive')}</span>}
                    </td>
                    <td>
                      <code>{e.creditCode}</code>
                    </td>
                    <td lang={zhLang(c)}>{e.address}</td>
                    <td lang={zhLang(c)}>{e.industryName}</td>
                    <td lang={zhLang(c)}>{e.area}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Pager c={c} page={page} pageSize={r.pageSize} total={Math.min(r.total, 10000 * r.pageSize)} href={href} />
      </PublicLayout>,
    );
  });

  app.get<{ Params: { creditCode: string } }>('/enforcement/entities/:creditCode', { config: { permission: 'public' } }, async (req, reply) => {
    const e = await getEntity(p.db, req.params.creditCode);
    if (!e) throw notFound();
    if (e.creditCode !== req.params.creditCode) return reply.redirect(`/enforcement/entities/${e.creditCode}`, 301);
    const c = req.ctx(reply);
    const inspections = await entityInspections(p.db, e.id);
    return reply.html(
      <PublicLayout c={c} title={e.name} description={c.t('enforcement.entity.description', { name: e.name, code: e.creditCode })} canonical={`/enforcement/entities/${e.creditCode}`}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.breadcrumb')}>
          <a href="/enforcement">{c.t('nav.enforcement')}</a> › <a href="/enforcement/entities">{c.t('enforcement.entities.title')}</a>
        </nav>
        <h1 lang={zhLang(c)}>{e.name}</h1>
        <Dl
          rows={[
            [c.t('enforcement.col.creditCode'), <code>{e.creditCode}</code>],
            [c.t('enforcement.col.address'), <Zh c={c}>{e.address}</Zh>],
            [c.t('enforcement.col.industry'), <Zh c={c}>{e.industryName}</Zh>],
            [c.t('enforcement.col.area'), <Zh c={c}>{e.area}</Zh>],
            [c.t('enforcement.col.active'), e.active ? c.t('enforcement.entity.active') : c.t('enforcement.entity.inactive')],
          ]}
        />
        <section aria-labelledby="inspections-h">
          <h2 id="inspections-h">{c.t('enforcement.entity.inspections')}</h2>
          {inspections.length === 0 ? (
            <Empty>{c.t('enforcement.entity.no_inspections')}</Empty>
          ) : (
            <TableWrap label={c.t('enforcement.entity.inspections')}>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{c.t('enforcement.inspection.task')}</th>
                    <th scope="col">{c.t('enforcement.inspection.matter')}</th>
                    <th scope="col">{c.t('enforcement.inspection.window')}</th>
                    <th scope="col">{c.t('enforcement.inspection.result')}</th>
                  </tr>
                </thead>
                <tbody>
                  {inspections.map((x) => (
                    <tr>
                      <td lang={zhLang(c)}>
                        <a href={`/enforcement/tasks/${x.taskId}`}>{x.taskTitle}</a>
                        {x.department && <span class="meta"> · {x.department}</span>}
                      </td>
                      <td lang={zhLang(c)}>{x.matterName}</td>
                      <td>
                        {x.windowStart} – {x.windowEnd}
                      </td>
                      <td>{x.result ? c.t(`enforcement.result.${x.result}`) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      </PublicLayout>,
    );
  });

  app.get<{ Querystring: Record<string, unknown> }>('/enforcement/inspectors', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const depts = await activeDepartments(p.db);
    const department = depts.some((d) => d.code === str(req.query.department)) ? str(req.query.department) : '';
    const field = (INSPECTION_FIELDS as readonly string[]).includes(str(req.query.field)) ? str(req.query.field) : '';
    const page = pageOf(req.query.page);
    const r = await listInspectors(p.db, { department, field, page, pageSize: 50 });
    const href = (n: number) => `/enforcement/inspectors?${new URLSearchParams({ ...(department ? { department } : {}), ...(field ? { field } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
    const canonical = department || field || page > 1 ? href(page) : '/enforcement/inspectors';
    return reply.html(
      <PublicLayout c={c} title={c.t('enforcement.inspectors.title')} description={c.t('enforcement.inspectors.description')} canonical={canonical}>
        <nav class="breadcrumb" aria-label={c.t('enforcement.breadcrumb')}>
          <a href="/enforcement">{c.t('nav.enforcement')}</a>
        </nav>
        <h1>{c.t('enforcement.inspectors.title')}</h1>
        <p>{c.t('enforcement.inspectors.intro')}</p>
        <InspectorsView c={c} action="/enforcement/inspectors" depts={depts} department={department} field={field} items={r.items} />
        <Pager c={c} page={page} pageSize={r.pageSize} total={Math.min(r.total, 10000 * r.pageSize)} href={href} />
      </PublicLayout>,
    );
  });
}
