// A module's own facets: penalty decisions of one enforcement domain. The type declares the facet
// (ItemType.facets); a target names it x.domain with the type; the match finds the list for a
// decision of that domain and not for another; the public page links to it; a facet without its
// type, or of a type that has no such facet, is a 400 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { checkTarget, ensureList, matchLists, probeOf } from '../../src/modules/subscriptions/service/targets.js';
import { PENALTY_DECISION } from '../../src/modules/enforcement/items.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

async function penaltiesByDomain() {
  const rows = await env.p.db.selectFrom('pub_items as i').innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version')).select(['i.id', 'i.published_version', 'v.data']).where('i.type', '=', PENALTY_DECISION).where('i.public', '=', 1).execute();
  const by = new Map<string, { id: number; version: number }>();
  for (const r of rows) {
    const d = JSON.parse(r.data).domain as string;
    if (!by.has(d)) by.set(d, { id: Number(r.id), version: Number(r.published_version) });
  }
  return by;
}

describe('module facets', () => {
  it('penalties of one domain: matched for that domain, not another', async () => {
    const by = await penaltiesByDomain();
    const [[domain, one], [, other]] = [...by.entries()];
    expect(one && other).toBeTruthy();
    const { target, departmentId } = await checkTarget(env.p.db, { type: PENALTY_DECISION, 'x.domain': domain });
    const listId = await env.p.tx((t) => ensureList(t, target, departmentId));
    const hit = await matchLists(env.p.db, (await probeOf(env.p.db, one!.id, one!.version))!);
    const miss = await matchLists(env.p.db, (await probeOf(env.p.db, other!.id, other!.version))!);
    expect(hit).toContain(listId);
    expect(miss).not.toContain(listId);
  });

  it('list editions of one kind of list (the negative lists): matched for that kind, linked from its page', async () => {
    const eds = await env.p.db.selectFrom('pub_items as i').innerJoin('pub_versions as v', (j) => j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.published_version')).select(['i.id', 'i.published_version', 'v.data']).where('i.type', '=', 'list-edition').where('i.public', '=', 1).execute();
    const fi = eds.find((e) => JSON.parse(e.data).listType === 'foreign-investment')!;
    const other = eds.find((e) => JSON.parse(e.data).listType !== 'foreign-investment')!;
    const { target } = await checkTarget(env.p.db, { type: 'list-edition', 'x.list': 'foreign-investment' });
    const listId = await env.p.tx((t) => ensureList(t, target, null));
    expect(await matchLists(env.p.db, (await probeOf(env.p.db, Number(fi.id), Number(fi.published_version)))!)).toContain(listId);
    expect(await matchLists(env.p.db, (await probeOf(env.p.db, Number(other.id), Number(other.published_version)))!)).not.toContain(listId);
    const page = await env.app.inject({ url: '/lists/foreign-investment' });
    expect(page.body).toContain('/subscriptions?type=list-edition&amp;x.list=foreign-investment');
    const form = await env.app.inject({ url: '/subscriptions?type=list-edition&x.list=foreign-investment' });
    expect(form.body).toContain('外商投资准入负面清单');
  });

  it('a facet without its type, or one the type lacks, is refused by name', async () => {
    await expect(checkTarget(env.p.db, { 'x.domain': 'market' })).rejects.toMatchObject({ status: 400, fields: { 'x.domain': 'subscriptions.err.facet' } });
    await expect(checkTarget(env.p.db, { type: 'document', 'x.domain': 'market' })).rejects.toMatchObject({ status: 400, fields: { 'x.domain': 'subscriptions.err.facet' } });
    await expect(checkTarget(env.p.db, { type: PENALTY_DECISION, 'x.domain': '<script>' })).rejects.toMatchObject({ status: 400 });
    const api = await env.app.inject({ method: 'POST', url: '/api/v1/subscriptions', remoteAddress: '10.40.0.1', payload: { channel: 'email', address: 'f@example.com', type: PENALTY_DECISION, facets: { nope: 'x' } } });
    expect(api.statusCode).toBe(400);
    expect(Object.keys(api.json().error.fields)).toEqual(['x.nope']);
  });

  it('the decisions page links to the subscription of its domain, and the form names it', async () => {
    const [domain] = [...(await penaltiesByDomain()).keys()];
    const page = await env.app.inject({ url: `/enforcement/decisions?kind=penalty&domain=${domain}` });
    expect(page.statusCode).toBe(200);
    const href = /href="(\/subscriptions\?type=penalty-decision&amp;x\.domain=[^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toBeTruthy();
    const form = await env.app.inject({ url: href! });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('行政处罚');
    expect(form.body).toContain(`name="x.domain" value="${domain}"`);
  });
});
