// Console pages of the lists: every list with its drafts, new lists, import (CSV/XLSX, dry run),
// approval and rejection, one-item adjustments, and a draft edition's change record.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { can, scopeOf } from '../../../platform/auth/policy.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { AdminLayout, Csrf, ErrorSummary, Field, Notice, Select, FileInput, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { listType, listTypes, type ListItem } from '../service/engine.js';
import { approveEdition, draftEdition, ensureList, getEdition, getList, getLists, importEdition, listEditions, rejectEdition, requireType, type EditionView, type ImportReport, type ListView } from '../service.js';
import { ChangeTables, localizeFields, str } from '../views.js';
import { tableSource } from '../../../platform/files/table.js';

function ReportView({ c, report }: { c: PageCtx; report: ImportReport }) {
  return (
    <section aria-labelledby="import-report" class="import-report">
      <h2 id="import-report">{c.t('lists.import_report')}</h2>
      {report.format && <p class="import-source">{tableSource(c.t, { format: report.format, encoding: report.encoding })}</p>}
      {report.problems.length ? (
        <>
          <Notice kind="error">{c.t('lists.import_failed', { n: report.problems.length })}</Notice>
          <TableWrap label={c.t('lists.import_report')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{c.t('lists.row')}</th>
                  <th scope="col">{c.t('lists.field')}</th>
                  <th scope="col">{c.t('lists.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.slice(0, 500).map((pr) => (
                  <tr>
                    <td>{pr.row}</td>
                    <td>{pr.field}</td>
                    <td>{c.t(pr.problem)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : (
        <Notice kind="success">
          {report.dryRun ? c.t('lists.import_dry_ok', { rows: report.rows }) : c.t('lists.import_ok', { rows: report.rows })} {report.changes && c.t('lists.change_summary', report.changes)}
        </Notice>
      )}
    </section>
  );
}

export async function listConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // ---- console ------------------------------------------------------------------------------------
  async function consolePage(req: FastifyRequest, reply: FastifyReply, extra?: { listId?: number; report?: ImportReport; fields?: Record<string, string>; done?: string }, status = 200) {
    const c = req.ctx(reply);
    const user = req.user!;
    const editScope = scopeOf(user, 'list.edit');
    const readScope = scopeOf(user, 'list.read');
    const lists = (await getLists(p.db)).filter((l) => readScope === 'all' || readScope.has(l.departmentId));
    const drafts = new Map<number, EditionView[]>();
    for (const l of lists) drafts.set(l.id, (await listEditions(p.db, l.id, { drafts: true })).filter((e) => e.status === 'draft'));
    const depts = await p.db.selectFrom('departments').select(['id', 'code', 'name']).orderBy('sort').execute();
    const creatable = depts.filter((d) => editScope === 'all' || editScope.has(d.id));
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.console')}>
        <h1>{c.t('lists.console')}</h1>
        {extra?.done && <Notice kind="success">{c.t(extra.done)}</Notice>}
        <ErrorSummary c={c} fields={extra?.fields} />
        <p>
          <a href="/admin/lists/followups">{c.t('lists.followups')}</a> · <a href="/admin/lists/policies">{c.t('lists.policy_tags')}</a>
          {c.can('industry.edit') && (
            <>
              {' · '}
              <a href="/admin/lists/industries">{c.t('lists.industry.console')}</a>
            </>
          )}
        </p>
        {lists.map((l) => {
          const lt = requireType(l.type);
          const mayEdit = can(user, 'list.edit', { departmentId: l.departmentId });
          const mayApprove = can(user, 'list.approve', { departmentId: l.departmentId });
          return (
            <section class="card admin-list" aria-labelledby={`l-${l.id}`}>
              <h2 id={`l-${l.id}`}>
                <a href={`/lists/${l.type}/lists/${l.id}`}>{l.title}</a> <span class="meta">{c.t(lt.label)} · {l.currentEdition ? c.t('lists.edition_of', { n: l.currentEdition }) : c.t('lists.not_published')}</span>
              </h2>
              {l.currentEdition && (
                <p>
                  {c.t('lists.export')}：<a href={`/api/v1/lists/${l.type}/lists/${l.id}/export?format=csv`}>CSV</a> · <a href={`/api/v1/lists/${l.type}/lists/${l.id}/export?format=xlsx`}>XLSX</a>
                </p>
              )}
              {(drafts.get(l.id) ?? []).map((e) => (
                <div class="draft">
                  <p>
                    <strong>
                      <a href={`/admin/lists/editions/${e.id}`}>{c.t('lists.draft_pending', { n: e.number })}</a>
                    </strong>{' '}
                    {c.t('lists.change_summary', e.counts)} · {c.t('lists.docNo')}：{e.docNo} · {c.t('lists.reason')}：{e.reason}
                  </p>
                  {mayApprove && (
                    <div class="actions">
                      <form method="post" action={`/admin/lists/editions/${e.id}/approve`} class="inline">
                        <Csrf c={c} />
                        <button type="submit" class="primary">{c.t('lists.approve')}</button>
                      </form>
                      <form method="post" action={`/admin/lists/editions/${e.id}/reject`} class="inline">
                        <Csrf c={c} />
                        <label for={`rr-${e.id}`}>{c.t('lists.reject_reason')}</label>
                        <input id={`rr-${e.id}`} name="reason" required maxLength={1000} />
                        <button type="submit">{c.t('lists.reject')}</button>
                      </form>
                    </div>
                  )}
                </div>
              ))}
              {mayEdit && (
                <p>
                  <a href={`/admin/lists/${l.id}/item`}>{c.t('lists.item_adjust')}</a>
                </p>
              )}
              {mayEdit && (
                <form method="post" action={`/admin/lists/${l.id}/import`} enctype="multipart/form-data" class="stack import-form">
                  <Csrf c={c} />
                  <h3>{c.t('lists.import_title')}</h3>
                  <p class="hint">{c.t('lists.import_hint')}</p>
                  <div class="field">
                    <label for={`file-${l.id}`}>{c.t('lists.import_file')}</label>
                    <FileInput c={c} id={`file-${l.id}`} name="file" required accept=".csv,.xlsx" />
                  </div>
                  <div class="field">
                    <label for={`reason-${l.id}`}>{c.t('lists.reason')}</label>
                    <input id={`reason-${l.id}`} name="reason" required maxLength={2000} />
                  </div>
                  <div class="field">
                    <label for={`docno-${l.id}`}>{c.t('lists.docNo')}</label>
                    <input id={`docno-${l.id}`} name="docNo" required maxLength={100} />
                  </div>
                  <label class="checkbox">
                    <input type="checkbox" name="dryRun" value="1" /> {c.t('lists.dry_run')}
                  </label>
                  <button type="submit">{c.t('lists.import_button')}</button>
                </form>
              )}
              {extra?.listId === l.id && extra.report && <ReportView c={c} report={extra.report} />}
            </section>
          );
        })}
        {creatable.length > 0 && (
          <section class="card" aria-labelledby="new-list">
            <h2 id="new-list">{c.t('lists.new_list')}</h2>
            <form method="post" action="/admin/lists/new" class="stack">
              <Csrf c={c} />
              <Select label={c.t('lists.list_type')} name="type" required options={listTypes().map((t) => ({ value: t.type, label: c.t(t.label) }))} />
              <Select label={c.t('lists.department')} name="department" required options={creatable.map((d) => ({ value: d.code, label: d.name }))} />
              <Field label={c.t('lists.list_title')} name="title" required maxLength={200} />
              <button type="submit">{c.t('lists.create')}</button>
            </form>
          </section>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Querystring: { done?: string } }>('/admin/lists', { config: { permission: 'list.read' } }, async (req, reply) => consolePage(req, reply, { done: req.query.done === 'approved' ? 'lists.approved' : req.query.done === 'rejected' ? 'lists.rejected' : req.query.done === 'created' ? 'lists.created' : undefined }));

  app.post<{ Body: Record<string, string> }>('/admin/lists/new', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    const lt = listType(str(b.type));
    const dept = await p.db.selectFrom('departments').select(['id', 'name']).where('code', '=', str(b.department).slice(0, 32)).executeTakeFirst();
    const title = str(b.title).trim().slice(0, 200);
    if (!lt || !dept || !title) return consolePage(req, reply, { fields: { title: req.t('err.lists.list_form') } }, 400);
    try {
      await p.tx((t) => ensureList(p, t, req.user!, lt.type, dept.id, title));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return consolePage(req, reply, { fields }, err instanceof HttpError ? err.status : 400);
    }
    return reply.redirect('/admin/lists?done=created', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/lists/:id/import', { config: { permission: 'list.edit', csrf: 'multipart' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id));
    if (!list) throw notFound();
    const v: { reason: string; docNo: string; dryRun: boolean; file: { buf: Buffer; name: string } | null } = { reason: '', docNo: '', dryRun: false, file: null };
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const buf = await part.toBuffer();
          if (buf.length) v.file = { buf, name: part.filename };
        } else if (part.fieldname === 'reason') v.reason = String(part.value ?? '').slice(0, 2100);
        else if (part.fieldname === 'docNo') v.docNo = String(part.value ?? '').slice(0, 110);
        else if (part.fieldname === 'dryRun') v.dryRun = part.value === '1';
      }
    }
    if (!v.file) return consolePage(req, reply, { listId: list.id, report: { rows: 0, format: null, encoding: null, problems: [{ row: 0, field: 'file', problem: 'err.lists.empty_file' }], dryRun: v.dryRun, changes: null, editionId: null } }, 400);
    try {
      const report = await importEdition(p, req.user!, list.id, v.file, { reason: v.reason, docNo: v.docNo, dryRun: v.dryRun });
      return consolePage(req, reply, { listId: list.id, report }, report.problems.length ? 400 : 200);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500 && err.status !== 404) {
        const problems = err.fields ? Object.entries(err.fields).map(([field, problem]) => ({ row: 0, field, problem: req.t(problem, err.params) })) : [{ row: 0, field: '-', problem: req.t(err.message, err.params) }];
        return consolePage(req, reply, { listId: list.id, report: { rows: 0, format: null, encoding: null, problems, dryRun: v.dryRun, changes: null, editionId: null } }, err.status);
      }
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/lists/editions/:id/approve', { config: { permission: 'list.approve' } }, async (req, reply) => {
    try {
      await approveEdition(p, req.user!, Number(req.params.id) || 0);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return consolePage(req, reply, { fields }, (err as HttpError).status);
    }
    return reply.redirect('/admin/lists?done=approved', 303);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } }>('/admin/lists/editions/:id/reject', { config: { permission: 'list.approve' } }, async (req, reply) => {
    try {
      await rejectEdition(p, req.user!, Number(req.params.id) || 0, str(req.body?.reason));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return consolePage(req, reply, { fields }, (err as HttpError).status);
    }
    return reply.redirect('/admin/lists?done=rejected', 303);
  });

  // One-item adjustment: add, replace or remove one item of the current edition (a new draft).
  async function itemForm(req: FastifyRequest, reply: FastifyReply, list: ListView, v: { op: string; key: string; json: string; reason: string; docNo: string }, fields?: Record<string, string>, status = 200) {
    const c = req.ctx(reply);
    const lt = requireType(list.type);
    return reply.html(
      <AdminLayout c={c} title={`${list.title} · ${c.t('lists.item_adjust')}`}>
        <p>
          <a href="/admin/lists">{c.t('lists.console')}</a>
        </p>
        <h1>
          {list.title} · {c.t('lists.item_adjust')}
        </h1>
        <p class="hint">{c.t('lists.item_adjust_hint', { key: lt.key, columns: Object.keys(lt.schema.properties).join(', ') })}</p>
        <form method="get" class="filters">
          <Field label={c.t('lists.item_key')} name="key" value={v.key} maxLength={60} />
          <button type="submit">{c.t('lists.load_item')}</button>
        </form>
        <ErrorSummary c={c} fields={fields} />
        <form method="post" action={`/admin/lists/${list.id}/item`} class="stack">
          <Csrf c={c} />
          <Select label={c.t('lists.item_op')} name="op" value={v.op} options={['replace', 'add', 'remove'].map((o) => ({ value: o, label: c.t(`lists.op.${o}`) }))} />
          <Field label={c.t('lists.item_key')} name="key" value={v.key} maxLength={60} hint={c.t('lists.item_key_hint')} error={fields?.key} />
          <Field label={c.t('lists.item_json')} name="json" value={v.json} multiline rows={18} maxLength={200000} error={fields?.json} />
          <Field label={c.t('lists.reason')} name="reason" value={v.reason} maxLength={2000} required error={fields?.reason} />
          <Field label={c.t('lists.docNo')} name="docNo" value={v.docNo} maxLength={100} required error={fields?.docNo} />
          <button type="submit" class="primary">{c.t('lists.draft_submit')}</button>
        </form>
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Params: { id: string }; Querystring: { key?: string } }>('/admin/lists/:id/item', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id) || 0);
    if (!list || !can(req.user, 'list.edit', { departmentId: list.departmentId })) throw notFound();
    const lt = requireType(list.type);
    const key = (req.query.key ?? '').slice(0, 60);
    const cur = (await getEdition(p.db, (await listEditions(p.db, list.id)).find((e) => e.number === list.currentEdition)?.id ?? 0))?.items ?? [];
    const item = key ? cur.find((i) => String(i[lt.key]) === key) : null;
    return itemForm(req, reply, list, { op: item ? 'replace' : 'add', key, json: JSON.stringify(item ?? Object.fromEntries(Object.keys(lt.schema.properties).map((k) => [k, k === lt.key ? key : ''])), null, 2), reason: '', docNo: '' });
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/admin/lists/:id/item', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const list = await getList(p.db, Number(req.params.id) || 0);
    if (!list || !can(req.user, 'list.edit', { departmentId: list.departmentId })) throw notFound();
    const lt = requireType(list.type);
    const b = req.body ?? {};
    const v = { op: ['add', 'replace', 'remove'].includes(str(b.op)) ? str(b.op) : 'replace', key: str(b.key).trim().slice(0, 60), json: str(b.json).slice(0, 200_000), reason: str(b.reason).slice(0, 2000), docNo: str(b.docNo).slice(0, 100) };
    const cur = (await getEdition(p.db, (await listEditions(p.db, list.id)).find((e) => e.number === list.currentEdition)?.id ?? 0))?.items ?? [];
    let items = cur;
    if (v.op === 'remove') {
      if (!cur.some((i) => String(i[lt.key]) === v.key)) return itemForm(req, reply, list, v, { key: req.t('err.lists.unknown_item') }, 400);
      items = cur.filter((i) => String(i[lt.key]) !== v.key);
    } else {
      let item: ListItem;
      try {
        item = JSON.parse(v.json);
        if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error('not an object');
      } catch {
        return itemForm(req, reply, list, v, { json: req.t('err.lists.json') }, 400);
      }
      const k = String(item[lt.key] ?? '');
      const exists = cur.some((i) => String(i[lt.key]) === (v.op === 'replace' ? v.key || k : k));
      if (v.op === 'add' && exists) return itemForm(req, reply, list, v, { json: req.t('err.lists.duplicate_key') }, 400);
      if (v.op === 'replace' && !exists) return itemForm(req, reply, list, v, { key: req.t('err.lists.unknown_item') }, 400);
      items = v.op === 'add' ? [...cur, item] : cur.map((i) => (String(i[lt.key]) === (v.key || k) ? item : i));
    }
    try {
      const e = await draftEdition(p, req.user!, list.id, { items, reason: v.reason, docNo: v.docNo });
      return reply.redirect(`/admin/lists/editions/${e.id}`, 303);
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields) throw err;
      return itemForm(req, reply, list, v, Object.fromEntries(Object.entries(fields).map(([k, m]) => [k.replace(/^row \d+: /, ''), m])), 400);
    }
  });

  // A draft edition: the change record the approver is asked to approve.
  app.get<{ Params: { id: string } }>('/admin/lists/editions/:id', { config: { permission: 'list.read' } }, async (req, reply) => {
    const e = await getEdition(p.db, Number(req.params.id) || 0);
    const list = e && (await getList(p.db, e.listId));
    const user = req.user!;
    if (!e || !list || !(can(user, 'list.edit', { departmentId: list.departmentId }) || can(user, 'list.approve', { departmentId: list.departmentId }))) throw notFound();
    const lt = requireType(list.type);
    const c = req.ctx(reply);
    const mayApprove = e.status === 'draft' && can(user, 'list.approve', { departmentId: list.departmentId });
    return reply.html(
      <AdminLayout c={c} title={`${list.title} · ${c.t('lists.edition_of', { n: e.number })}`}>
        <p>
          <a href="/admin/lists">{c.t('lists.console')}</a>
        </p>
        <h1>
          {list.title} · {c.t('lists.edition_of', { n: e.number })}
        </h1>
        <dl class="meta">
          <dt>{c.t('lists.status')}</dt>
          <dd>{c.t(`lists.status.${e.status}`)}</dd>
          <dt>{c.t('lists.docNo')}</dt>
          <dd>{e.docNo}</dd>
          <dt>{c.t('lists.reason')}</dt>
          <dd>{e.reason}</dd>
          {e.rejectReason && (
            <>
              <dt>{c.t('lists.reject_reason')}</dt>
              <dd>{e.rejectReason}</dd>
            </>
          )}
        </dl>
        <ChangeTables c={c} lt={lt} changes={e.changes} list={list.id} />
        {mayApprove && (
          <div class="actions">
            <form method="post" action={`/admin/lists/editions/${e.id}/approve`} class="inline">
              <Csrf c={c} />
              <button type="submit" class="primary">{c.t('lists.approve')}</button>
            </form>{' '}
            <form method="post" action={`/admin/lists/editions/${e.id}/reject`} class="inline">
              <Csrf c={c} />
              <label for="rr">{c.t('lists.reject_reason')}</label> <input id="rr" name="reason" required maxLength={1000} /> <button type="submit">{c.t('lists.reject')}</button>
            </form>
          </div>
        )}
      </AdminLayout>,
    );
  });
}
