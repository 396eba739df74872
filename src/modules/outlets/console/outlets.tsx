// The console of screens and notice boards (/admin/channels/outlets): the list with last seen
// and online state, create and edit (selection, rotation), pins, delete. A board's page shows
// what to post, replace or take down (console/boards.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, ConfirmForm, Csrf, Dl, Empty, ErrorSummary, Field, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, validationError } from '../../../platform/errors.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';
import { scopeOf } from '../../../platform/auth/policy.js';
import { findItemType, typesOf } from '../../../platform/publication/registry.js';
import { ACTION, addPin, createOutlet, deleteOutlet, listOutlets, movePin, ONLINE_MS, outletFor, pinsOf, removePin, updateOutlet, type Outlet, type OutletInput } from '../service/outlets.js';
import { playlistItems } from '../service/playlist.js';
import { BoardPanel } from './boards.js';

const BASE = '/admin/channels/outlets';
type Body = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

function inputOf(b: Body): OutletInput {
  return { kind: one(b.kind), name: one(b.name), location: one(b.location), departmentId: one(b.departmentId), departments: many(b.departments), types: many(b.types), newest: one(b.newest), rotateSeconds: one(b.rotateSeconds) };
}

const online = (o: Outlet, now = Date.now()) => !!o.lastSeenAt && now - Date.parse(o.lastSeenAt) <= ONLINE_MS;

function SeenState({ c, o }: { c: PageCtx; o: Outlet }) {
  if (o.kind === 'board') return <>{o.lastSeenAt ? shanghaiDateTime(o.lastSeenAt) : '—'}</>;
  if (!o.lastSeenAt) return <>{c.t('outlets.never_seen')}</>;
  return (
    <>
      <span class={online(o) ? 'badge ok' : 'badge'}>{c.t(online(o) ? 'outlets.online' : 'outlets.offline')}</span> {shanghaiDateTime(o.lastSeenAt)}
    </>
  );
}

interface Choices {
  owners: { value: number; label: string }[];
  departments: { value: number; label: string }[];
  types: { value: string; label: string }[];
}

async function choices(p: Platform, c: PageCtx): Promise<Choices> {
  const all = await p.db.selectFrom('departments').select(['id', 'name']).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
  const scope = scopeOf(c.user, ACTION);
  return {
    owners: all.filter((d) => scope === 'all' || scope.has(Number(d.id))).map((d) => ({ value: Number(d.id), label: d.name })),
    departments: all.map((d) => ({ value: Number(d.id), label: d.name })),
    types: typesOf('catalog').map((t) => ({ value: t, label: c.t(findItemType(t)!.label) })),
  };
}

function OutletForm({ c, ch, o, v, fields, action }: { c: PageCtx; ch: Choices; o: Outlet | null; v?: OutletInput; fields?: Record<string, string>; action: string }) {
  const val = v ?? (o ? { kind: o.kind, name: o.name, location: o.location, departmentId: String(o.departmentId), departments: o.selection.departments.map(String), types: o.selection.types, newest: String(o.selection.newest), rotateSeconds: String(o.rotateSeconds) } : { kind: 'screen', name: '', location: '', departmentId: String(ch.owners[0]?.value ?? ''), departments: [], types: [], newest: '12', rotateSeconds: '15' });
  const err = (k: string) => (fields?.[k] ? fields[k] : undefined);
  return (
    <form method="post" action={action} class="stack">
      <Csrf c={c} />
      {!o && <Select label={c.t('outlets.kind')} name="kind" value={val.kind} required options={[{ value: 'screen', label: c.t('outlets.kind.screen') }, { value: 'board', label: c.t('outlets.kind.board') }]} error={err('kind')} />}
      <Field label={c.t('outlets.name')} name="name" value={val.name} required maxLength={100} error={err('name')} />
      <Field label={c.t('outlets.location')} name="location" value={val.location} maxLength={200} error={err('location')} />
      <Select label={c.t('outlets.department')} name="departmentId" value={val.departmentId} required options={ch.owners} error={err('departmentId')} />
      <fieldset>
        <legend>{c.t('outlets.selection')}</legend>
        <Select label={c.t('outlets.sel_departments')} name="departments" multiple selected={val.departments} options={ch.departments} error={err('departments')} />
        <Select label={c.t('outlets.sel_types')} name="types" multiple selected={val.types} options={ch.types} error={err('types')} />
        <Field label={c.t('outlets.sel_newest')} name="newest" type="number" value={val.newest} inputMode="numeric" error={err('newest')} />
        <Field label={c.t('outlets.rotate')} name="rotateSeconds" type="number" value={val.rotateSeconds} inputMode="numeric" error={err('rotateSeconds')} />
      </fieldset>
      <button type="submit">{c.t(o ? 'outlets.save' : 'outlets.create')}</button>
    </form>
  );
}

const translated = (c: PageCtx, f: Record<string, string> | undefined) => (f ? Object.fromEntries(Object.entries(f).map(([k, v]) => [k, c.t(v)])) : undefined);

/** A form's 400 with field errors: rendered again with the errors (status 400); else rethrown. */
function formError(err: unknown): Record<string, string> | null {
  return err instanceof HttpError && err.status === 400 && err.fields ? err.fields : null;
}

export async function outletsConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const listPage = async (req: FastifyRequest, reply: FastifyReply, v?: OutletInput, fields?: Record<string, string>) => {
    const c = req.ctx(reply);
    const rows = await listOutlets(p.db, req.user!);
    const ch = await choices(p, c);
    const f = translated(c, fields);
    return reply.html(
      <AdminLayout c={c} title={c.t('outlets.title')}>
        <h1>{c.t('outlets.title')}</h1>
        <p>{c.t('outlets.intro')}</p>
        {rows.length === 0 ? (
          <Empty>{c.t('outlets.none')}</Empty>
        ) : (
          <TableWrap label={c.t('outlets.title')}>
            <table class="outlets">
              <thead>
                <tr>
                  <th scope="col">{c.t('outlets.name')}</th>
                  <th scope="col">{c.t('outlets.kind')}</th>
                  <th scope="col">{c.t('outlets.location')}</th>
                  <th scope="col">{c.t('outlets.department')}</th>
                  <th scope="col">{c.t('outlets.last_seen')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr data-id={o.id}>
                    <td>
                      <a href={`${BASE}/${o.id}`}>{o.name}</a>
                    </td>
                    <td>{c.t(`outlets.kind.${o.kind}`)}</td>
                    <td>{o.location}</td>
                    <td>{o.departmentName}</td>
                    <td>
                      <SeenState c={c} o={o} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <details class="card" open={!!fields}>
          <summary>{c.t('outlets.new')}</summary>
          <ErrorSummary c={c} fields={f} />
          <OutletForm c={c} ch={ch} o={null} v={v} fields={f} action={BASE} />
        </details>
      </AdminLayout>,
      fields ? 400 : undefined,
    );
  };

  const detailPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, v?: OutletInput, fields?: Record<string, string>) => {
    const c = req.ctx(reply);
    const o = await outletFor(p.db, req.user!, req.params.id);
    const ch = await choices(p, c);
    const pins = await pinsOf(p.db, o.id);
    const showing = o.kind === 'screen' ? await playlistItems(p, o) : [];
    const f = translated(c, fields);
    const self = `${BASE}/${o.id}`;
    const board = o.kind === 'board' ? await BoardPanel({ c, p, o }) : null;
    return reply.html(
      <AdminLayout c={c} title={o.name}>
        <p>
          <a href={BASE}>{c.t('outlets.back')}</a>
        </p>
        <h1>{o.name}</h1>
        <Dl
          rows={[
            [c.t('outlets.kind'), c.t(`outlets.kind.${o.kind}`)],
            [c.t('outlets.location'), o.location || '—'],
            [c.t('outlets.department'), o.departmentName],
            ...(o.kind === 'screen' ? ([[c.t('outlets.last_seen'), <SeenState c={c} o={o} />]] as [string, any][]) : []),
          ]}
        />
        {o.kind === 'screen' && (
          <p class="actions">
            <a href={`/screens/${o.token}`} target="_blank" rel="noopener">{c.t('outlets.kiosk_link')}</a> · <a href={`/screens/${o.token}/playlist.json`}>{c.t('outlets.playlist_link')}</a>
          </p>
        )}
        {board}
        {o.kind === 'screen' && (
          <section aria-labelledby="pins-h">
            <h2 id="pins-h">{c.t('outlets.pins')}</h2>
            {pins.length === 0 ? (
              <Empty>{c.t('outlets.pins_none')}</Empty>
            ) : (
              <ol class="pins">
                {pins.map((x) => (
                  <li data-item={x.itemId}>
                    {x.title} {x.indexNo && <small>（{x.indexNo}）</small>} {!x.public && c.t('outlets.pin_gone')}
                    <span class="inline-forms">
                      <form method="post" action={`${self}/pins/${x.itemId}/move`} class="inline">
                        <Csrf c={c} />
                        <input type="hidden" name="dir" value="up" />
                        <button type="submit" class="link">{c.t('outlets.pin_up')}</button>
                      </form>
                      <form method="post" action={`${self}/pins/${x.itemId}/move`} class="inline">
                        <Csrf c={c} />
                        <input type="hidden" name="dir" value="down" />
                        <button type="submit" class="link">{c.t('outlets.pin_down')}</button>
                      </form>
                      <form method="post" action={`${self}/pins/${x.itemId}/delete`} class="inline">
                        <Csrf c={c} />
                        <button type="submit" class="link">{c.t('outlets.pin_remove')}</button>
                      </form>
                    </span>
                  </li>
                ))}
              </ol>
            )}
            <form method="post" action={`${self}/pins`} class="stack">
              <Csrf c={c} />
              <Field label={c.t('outlets.pin_ref')} name="item" required maxLength={60} error={f?.item} />
              <button type="submit">{c.t('outlets.pin_add')}</button>
            </form>
            <h2>{c.t('outlets.now_showing')}</h2>
            {showing.length === 0 ? (
              <Empty>{c.t('outlets.empty_playlist')}</Empty>
            ) : (
              <ol class="now-showing">
                {showing.map((x) => (
                  <li>
                    {x.title} <small>{x.indexNo} · {x.department} · {shanghaiDate(x.publishedAt)} · {c.t('outlets.version', { v: x.version })}</small>
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
        <section class="card" aria-labelledby="edit-h">
          <h2 id="edit-h">{c.t('outlets.edit')}</h2>
          <ErrorSummary c={c} fields={f && !f.item ? f : undefined} />
          <OutletForm c={c} ch={ch} o={o} v={v} fields={f} action={self} />
        </section>
        <ConfirmForm c={c} action={`${self}/delete`} label={c.t('outlets.delete')} confirm={c.t('outlets.delete_confirm', { name: o.name })} />
      </AdminLayout>,
      fields ? 400 : undefined,
    );
  };

  app.get(BASE, { config: { permission: ACTION } }, async (req, reply) => listPage(req, reply));

  app.post<{ Body: Body }>(BASE, { config: { permission: ACTION } }, async (req, reply) => {
    const v = inputOf(req.body ?? {});
    try {
      const id = await createOutlet(p, req.user!, v);
      return reply.redirect(`${BASE}/${id}`, 303);
    } catch (err) {
      const fields = formError(err);
      if (!fields) throw err;
      return listPage(req, reply, v, fields);
    }
  });

  app.get<{ Params: { id: string } }>(`${BASE}/:id`, { config: { permission: ACTION } }, async (req, reply) => detailPage(req, reply));

  app.post<{ Params: { id: string }; Body: Body }>(`${BASE}/:id`, { config: { permission: ACTION } }, async (req, reply) => {
    const v = inputOf(req.body ?? {});
    try {
      await updateOutlet(p, req.user!, req.params.id, v);
      return reply.redirect(`${BASE}/${req.params.id}`, 303);
    } catch (err) {
      const fields = formError(err);
      if (!fields) throw err;
      return detailPage(req, reply, v, fields);
    }
  });

  app.post<{ Params: { id: string }; Body: Body }>(`${BASE}/:id/pins`, { config: { permission: ACTION } }, async (req, reply) => {
    try {
      await addPin(p, req.user!, req.params.id, one(req.body?.item));
      return reply.redirect(`${BASE}/${req.params.id}`, 303);
    } catch (err) {
      const fields = formError(err);
      if (!fields) throw err;
      return detailPage(req, reply, undefined, fields);
    }
  });

  app.post<{ Params: { id: string; item: string } }>(`${BASE}/:id/pins/:item/delete`, { config: { permission: ACTION } }, async (req, reply) => {
    await removePin(p, req.user!, req.params.id, req.params.item);
    return reply.redirect(`${BASE}/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string; item: string }; Body: Body }>(`${BASE}/:id/pins/:item/move`, { config: { permission: ACTION } }, async (req, reply) => {
    await movePin(p, req.user!, req.params.id, req.params.item, one(req.body?.dir));
    return reply.redirect(`${BASE}/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string }; Body: Body }>(`${BASE}/:id/delete`, { config: { permission: ACTION } }, async (req, reply) => {
    if (one(req.body?.confirm) !== 'yes') throw validationError({ confirm: 'outlets.err.confirm' });
    await deleteOutlet(p, req.user!, req.params.id);
    return reply.redirect(BASE, 303);
  });
}
