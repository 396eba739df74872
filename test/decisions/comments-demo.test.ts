// Demo comments: varied (many different texts of different lengths, named and anonymous, with and
// without contacts, some verified), on several articles always including the 3rd and on the whole
// draft, a mix of published / hidden with reasons / pending as returned; the same seed gives the
// same comments, another seed others; a closed consultation gets comments inside its period;
// demoModerateAll leaves nothing pending and the 3rd article's public page shows its comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { demoComments, demoModerateAll } from '../../src/modules/decisions/demo/comments.js';
import { demoConsultation } from '../../src/modules/decisions/demo/consultations.js';
import { consultation, STAFF } from './comments-util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: STAFF });
}, 120_000);
afterAll(async () => env?.close());

const rowsOf = (cid: number) => env.p.db.selectFrom('dec_comments').selectAll().where('consultation_id', '=', cid).orderBy('id').execute();
const articleIds = async (cid: number) => (await env.p.db.selectFrom('dec_articles').select('id').where('consultation_id', '=', cid).orderBy('seq').execute()).map((a) => a.id);

/** The comments as position-independent tuples: article position (-1 = whole draft), name, contact, text, state. */
async function shape(cid: number) {
  const ids = await articleIds(cid);
  return (await rowsOf(cid)).map((r) => [r.article_id === null ? -1 : ids.indexOf(r.article_id), r.name, r.email, r.phone, r.verified, r.body, r.status, r.hide_reason].join('|'));
}

describe('demo comments', () => {
  let open: { id: number; articles: number[] };
  let n: { published: number; hidden: number; pending: number };
  beforeAll(async () => {
    open = await consultation(env, { articles: 6, opensAt: new Date(Date.now() - 5 * 86400_000).toISOString() });
    n = await demoComments(env.p, open.id, { seed: 7 });
  });

  it('a varied mix as returned: articles incl. the 3rd and the whole draft, names, contacts, verification, states', async () => {
    const rows = await rowsOf(open.id);
    expect(rows.length).toBe(24);
    expect(n.published + n.hidden + n.pending).toBe(24);
    expect(rows.filter((r) => r.status === 'published').length).toBe(n.published);
    expect(rows.filter((r) => r.status === 'hidden').length).toBe(n.hidden);
    expect(rows.filter((r) => r.status === 'pending').length).toBe(n.pending);
    expect(n.published).toBeGreaterThan(0);
    expect(n.pending).toBeGreaterThan(0);
    expect(n.hidden).toBeGreaterThanOrEqual(3);
    // Every hidden one has a reason from the list, at least three different reasons.
    const reasons = new Set(rows.filter((r) => r.status === 'hidden').map((r) => r.hide_reason));
    expect([...reasons].every((x) => ['abuse', 'personal_data', 'off_topic', 'duplicate'].includes(x))).toBe(true);
    expect(reasons.size).toBeGreaterThanOrEqual(3);
    // Articles: the 3rd always, at least three articles, and the whole draft.
    expect(rows.some((r) => r.article_id === open.articles[2])).toBe(true);
    expect(new Set(rows.map((r) => r.article_id).filter((a) => a !== null)).size).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => r.article_id === null)).toBe(true);
    // People: named and anonymous, phones and e-mails, some verified (only with a contact).
    expect(rows.some((r) => r.name)).toBe(true);
    expect(rows.some((r) => !r.name)).toBe(true);
    expect(rows.some((r) => /^1[3-9]\d{9}$/.test(r.phone))).toBe(true);
    expect(rows.some((r) => r.email.includes('@'))).toBe(true);
    expect(rows.some((r) => r.verified === 1)).toBe(true);
    expect(rows.filter((r) => r.verified === 1).every((r) => r.phone || r.email)).toBe(true);
    // Texts: not one template: many different ones, short and long.
    expect(new Set(rows.map((r) => r.body)).size).toBeGreaterThanOrEqual(18);
    const lengths = rows.map((r) => [...r.body].length);
    expect(Math.min(...lengths)).toBeLessThan(20);
    expect(Math.max(...lengths)).toBeGreaterThan(60);
    // Times inside the period so far, increasing with the id.
    const times = rows.map((r) => Date.parse(r.created_at));
    expect(times.every((t) => t >= Date.now() - 5 * 86400_000 - 1000 && t <= Date.now())).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Moderated by the demo, audited.
    const audited = await env.p.db.selectFrom('audit_events').select('action').where('entity', '=', 'dec_comment').where('actor', '=', 'demo').execute();
    expect(audited.length).toBe(n.published + n.hidden);
  });

  it('the same seed gives the same comments; another seed others', async () => {
    const again = await consultation(env, { articles: 6, opensAt: new Date(Date.now() - 5 * 86400_000).toISOString() });
    await demoComments(env.p, again.id, { seed: 7 });
    expect(await shape(again.id)).toEqual(await shape(open.id));
    const other = await consultation(env, { articles: 6, opensAt: new Date(Date.now() - 5 * 86400_000).toISOString() });
    await demoComments(env.p, other.id, { seed: 8, count: 40 });
    expect((await rowsOf(other.id)).length).toBe(40);
    expect((await shape(other.id)).slice(0, 24)).not.toEqual(await shape(open.id));
  });

  it('a closed consultation gets its comments inside its period; demoModerateAll leaves none pending', async () => {
    const base = await consultation(env, { articles: 1 });
    const { id } = await demoConsultation(env.p, base.decisionId, { state: 'closed', seed: 3 });
    const c = await env.p.db.selectFrom('dec_consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(c.state).toBe('closed');
    const k = await demoComments(env.p, id, { seed: 5, count: 30 });
    const rows = await rowsOf(id);
    expect(rows.length).toBe(30);
    expect(rows.every((r) => r.created_at >= c.opens_at && r.created_at < c.closes_at)).toBe(true);
    expect(k.pending).toBeGreaterThan(0);
    const m = await demoModerateAll(env.p, id);
    expect(m.published + m.hidden).toBe(k.pending);
    const after = await rowsOf(id);
    expect(after.filter((r) => r.status === 'pending')).toEqual([]);
    const third = (await articleIds(id))[2];
    const pub = after.find((r) => r.article_id === third && r.status === 'published')!;
    expect(pub).toBeTruthy();
    const page = await env.app.inject({ url: `/decisions/consultations/${id}/articles/${third}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`id="comment-${pub.id}"`);
  });

  it('a draft consultation gets none', async () => {
    const d = await consultation(env, { state: 'draft' });
    await expect(demoComments(env.p, d.id)).rejects.toThrow(/not opened/);
    expect(await rowsOf(d.id)).toEqual([]);
  });
});
