// Webhook endpoints: registration (the URL vetted by the outbound guard), pause and resume, secret
// rotation, deletion, and who may see one. An endpoint belongs to the departments it listens to:
// a user may act on it only when `channels.webhooks` covers every one of them (an endpoint for all
// departments needs a global grant); anyone else gets 404, as if it did not exist.
import { randomBytes } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { Db } from '../../../platform/db/index.js';
import type { Platform } from '../../../platform/platform.js';
import { actorName, type Actor } from '../../../platform/auth/actor.js';
import { scopeOf } from '../../../platform/auth/policy.js';
import { notFound, validationError } from '../../../platform/errors.js';
import { allowList, OutboundRefused, vetOutboundUrl, type VetOptions } from '../../../platform/channels/net-guard.js';
import { itemTypes } from '../../../platform/publication/registry.js';
import { WEBHOOK_EVENTS, type EndpointRow, type WebhookEvent } from '../schema.js';

export const ACTION = 'channels.webhooks';
export const LIMITS = { name: 100, url: 2000, endpoints: 200 } as const;

export interface Endpoint {
  id: number;
  name: string;
  url: string;
  events: WebhookEvent[];
  itemTypes: string[];
  departmentIds: number[];
  state: 'active' | 'paused';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const parseList = <T>(s: string): T[] => {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
};

export function toEndpoint(r: EndpointRow): Endpoint {
  return {
    id: Number(r.id),
    name: r.name,
    url: r.url,
    events: parseList<WebhookEvent>(r.events),
    itemTypes: parseList<string>(r.item_types),
    departmentIds: parseList<number>(r.department_ids).map(Number),
    state: r.state === 'paused' ? 'paused' : 'active',
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const allowCache = new WeakMap<Platform, BlockList>();

/** The addresses endpoints may reach although not public: GONGKAI_WEBHOOK_ALLOW, plus loopback
 *  in the demo when the public URL itself is loopback (the in-app demo receiver). */
export function allowOf(p: Platform): BlockList {
  let a = allowCache.get(p);
  if (!a) {
    const extra = p.config.demo && LOOPBACK.has(new URL(p.config.publicUrl).hostname) ? ['127.0.0.1/32', '::1/128'] : [];
    a = allowList([...(p.config.webhookAllow ?? []), ...extra]);
    allowCache.set(p, a);
  }
  return a;
}

/** The guard's options for this platform (tests may pass their own resolver). */
export const vetOptions = (p: Platform, lookup?: VetOptions['lookup']): VetOptions => ({ allow: allowOf(p), ...(lookup ? { lookup } : {}) });

/** May `actor` act on an endpoint listening to these departments ([] = all)? */
export function mayManage(actor: Actor, departmentIds: number[]): boolean {
  if (typeof actor === 'string') return true;
  const scope = scopeOf(actor, ACTION);
  if (scope === 'all') return true;
  return departmentIds.length > 0 && departmentIds.every((d) => scope.has(d));
}

/** The endpoint, if `actor` may manage it; 404 otherwise. */
export async function endpointFor(db: Db, actor: Actor, id: number): Promise<Endpoint> {
  const r = await db.selectFrom('wh_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  const e = toEndpoint(r);
  if (!mayManage(actor, e.departmentIds)) throw notFound();
  return e;
}

/** The endpoints `actor` may manage, newest first. */
export async function listEndpoints(db: Db, actor: Actor): Promise<Endpoint[]> {
  const rows = await db.selectFrom('wh_endpoints').selectAll().orderBy('id', 'desc').limit(1000).execute();
  return rows.map(toEndpoint).filter((e) => mayManage(actor, e.departmentIds));
}

export interface EndpointInput {
  name: string;
  url: string;
  events: string[];
  itemTypes?: string[];
  departmentIds?: number[];
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
const now = () => new Date().toISOString();
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks an endpoint's fields (400 naming each bad field), the URL through the outbound guard. */
export async function checkInput(p: Platform, actor: Actor, input: EndpointInput, lookup?: VetOptions['lookup'], unvetted = false): Promise<Required<EndpointInput>> {
  const fields: Record<string, string> = {};
  const name = (input.name ?? '').trim();
  if (!name) fields.name = 'err.field.required';
  else if (name.length > LIMITS.name || CONTROL.test(name)) fields.name = 'err.field.invalid';
  const url = (input.url ?? '').trim();
  const events = [...new Set(input.events ?? [])];
  if (!events.length) fields.events = 'webhooks.err.events';
  else if (events.some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e))) fields.events = 'err.field.invalid';
  const types = [...new Set(input.itemTypes ?? [])];
  const known = new Set(itemTypes().map((t) => t.type));
  if (types.some((t) => !known.has(t))) fields.itemTypes = 'err.field.invalid';
  const depts = [...new Set((input.departmentIds ?? []).map(Number))];
  if (depts.some((d) => !Number.isSafeInteger(d) || d < 1)) fields.departmentIds = 'err.field.invalid';
  else if (depts.length) {
    const found = await p.db.selectFrom('departments').select('id').where('id', 'in', depts).execute();
    if (found.length !== depts.length) fields.departmentIds = 'err.field.invalid';
  }
  if (!fields.departmentIds && !mayManage(actor, depts)) fields.departmentIds = depts.length ? 'webhooks.err.department' : 'webhooks.err.department_required';
  if (!url) fields.url = 'err.field.required';
  else if (url.length > LIMITS.url) fields.url = 'err.field.too_long';
  else if (!unvetted) {
    try {
      await vetOutboundUrl(url, vetOptions(p, lookup));
    } catch (e) {
      if (!(e instanceof OutboundRefused)) throw e;
      fields.url = `webhooks.err.url.${e.reason}`;
    }
  }
  if (Object.keys(fields).length) throw validationError(fields);
  return { name, url, events, itemTypes: types, departmentIds: depts };
}

/** Registers an endpoint; returns it with its secret (shown this once). */
export async function createEndpoint(p: Platform, actor: Actor, input: EndpointInput, opts: { lookup?: VetOptions['lookup']; secret?: string; state?: 'active' | 'paused'; unvetted?: boolean } = {}): Promise<{ endpoint: Endpoint; secret: string }> {
  // unvetted: the demo's paused endpoint, never sent to (a send vets the URL again anyway).
  const v = await checkInput(p, actor, input, opts.lookup, opts.unvetted);
  const secret = opts.secret ?? newSecret();
  const at = now();
  return p.tx(async (t) => {
    const n = await t.selectFrom('wh_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(n.n) >= LIMITS.endpoints) throw validationError({ name: 'webhooks.err.too_many' });
    const row = await t
      .insertInto('wh_endpoints')
      .values({ name: v.name, url: v.url, events: JSON.stringify(v.events), item_types: JSON.stringify(v.itemTypes), department_ids: JSON.stringify(v.departmentIds), secret, state: opts.state ?? 'active', created_by: actorName(actor), created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    await p.audit(t, { actor: actorName(actor), action: 'webhook.create', entity: 'wh_endpoint', entityId: row.id, details: { name: v.name, url: v.url, events: v.events, itemTypes: v.itemTypes, departmentIds: v.departmentIds } });
    return { endpoint: toEndpoint(row), secret };
  });
}

export async function setState(p: Platform, actor: Actor, id: number, state: 'active' | 'paused'): Promise<Endpoint> {
  const e = await endpointFor(p.db, actor, id);
  if (e.state === state) return e;
  await p.tx(async (t) => {
    await t.updateTable('wh_endpoints').set({ state, updated_at: now() }).where('id', '=', id).execute();
    await p.audit(t, { actor: actorName(actor), action: state === 'paused' ? 'webhook.pause' : 'webhook.resume', entity: 'wh_endpoint', entityId: id });
  });
  return { ...e, state };
}

/** A new secret for the endpoint (the old one stops signing at once); returns it, shown this once. */
export async function rotateSecret(p: Platform, actor: Actor, id: number): Promise<string> {
  await endpointFor(p.db, actor, id);
  const secret = newSecret();
  await p.tx(async (t) => {
    await t.updateTable('wh_endpoints').set({ secret, updated_at: now() }).where('id', '=', id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'webhook.rotate', entity: 'wh_endpoint', entityId: id });
  });
  return secret;
}

/** Deletes the endpoint and its attempts; the ledger keeps its rows (what went where). */
export async function deleteEndpoint(p: Platform, actor: Actor, id: number): Promise<void> {
  const e = await endpointFor(p.db, actor, id);
  await p.tx(async (t) => {
    await t.deleteFrom('wh_attempts').where('endpoint_id', '=', id).execute();
    await t.deleteFrom('wh_endpoints').where('id', '=', id).execute();
    await p.audit(t, { actor: actorName(actor), action: 'webhook.delete', entity: 'wh_endpoint', entityId: id, details: { name: e.name, url: e.url } });
  });
}
