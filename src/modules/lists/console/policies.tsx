// Policy tags: which businesses (industry, size, location, qualifications) a published policy is for.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { scopeOf } from '../../../platform/auth/policy.js';
import { HttpError } from '../../../platform/errors.js';
import { AdminLayout, Csrf, ErrorSummary, Field, Notice, Select } from '../../../platform/render/index.js';
import { intFrom } from '../../../platform/text.js';
import { setTags, getTags, QUALIFICATIONS, SIZES, SUBSIDY_TYPES } from '../service/policies.js';
import { localizeFields, str } from '../views.js';

export async function policyTagConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // policy tags
  async function tagsPage(req: FastifyRequest, reply: FastifyReply, itemId: number | null, fields?: Record<string, string>, done = false, status = 200) {
    const c = req.ctx(reply);
    const scope = scopeOf(req.user!, 'content.edit');
    let q = p.db.selectFrom('pub_items').select(['id', 'title', 'doc_no', 'department_id']).where('public', '=', 1).where('type', '!=', 'list-edition');
    if (scope !== 'all') q = q.where('department_id', 'in', scope.size ? [...scope] : [-1]);
    const items = await q.orderBy('published_at', 'desc').limit(300).execute();
    const tagged = new Set((await p.db.selectFrom('policy_tags').select('item_id').execute()).map((r) => r.item_id));
    const cur = itemId ? await getTags(p.db, itemId) : null;
    const subs = await p.db.selectFrom('departments').select(['code', 'name']).where('kind', '=', 'subdistrict').execute();
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.policy_tags')}>
        <h1>{c.t('lists.policy_tags')}</h1>
        {done && <Notice kind="success">{c.t('lists.tags_saved')}</Notice>}
        <ErrorSummary c={c} fields={fields} />
        <form method="get" class="filters">
          <Select label={c.t('lists.policy')} name="item" value={itemId ?? ''} options={items.map((i) => ({ value: i.id, label: `${tagged.has(i.id) ? '✓ ' : ''}${i.title.slice(0, 60)}` }))} />
          <button type="submit">{c.t('lists.choose')}</button>
        </form>
        {itemId && (
          <form method="post" action={`/admin/lists/policies/${itemId}`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('lists.tags.industries')} name="industries" value={(cur?.industries ?? []).join(' ')} maxLength={300} hint={c.t('lists.tags.industries_hint')} error={fields?.industries} />
            <fieldset>
              <legend>{c.t('lists.tags.sizes')}</legend>
              {SIZES.map((s) => (
                <label class="checkbox">
                  <input type="checkbox" name="sizes" value={s} checked={cur?.sizes.includes(s)} /> {c.t(`lists.size.${s}`)}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{c.t('lists.tags.locations')}</legend>
              {subs.map((s) => (
                <label class="checkbox">
                  <input type="checkbox" name="locations" value={s.code} checked={cur?.locations.includes(s.code)} /> {s.name}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{c.t('lists.tags.qualifications')}</legend>
              {QUALIFICATIONS.filter((q) => q !== 'none').map((q) => (
                <label class="checkbox">
                  <input type="checkbox" name="qualifications" value={q} checked={cur?.qualifications.includes(q)} /> {c.t(`lists.qual.${q}`)}
                </label>
              ))}
            </fieldset>
            <Select label={c.t('lists.tags.subsidyType')} name="subsidyType" value={cur?.subsidyType ?? 'grant'} options={SUBSIDY_TYPES.map((s) => ({ value: s, label: c.t(`lists.subsidy.${s}`) }))} />
            <Field label={c.t('lists.tags.windowStart')} name="windowStart" type="date" value={cur?.windowStart ?? ''} error={fields?.windowStart} />
            <Field label={c.t('lists.tags.windowEnd')} name="windowEnd" type="date" value={cur?.windowEnd ?? ''} error={fields?.windowEnd} />
            <button type="submit" class="primary">{c.t('lists.save')}</button>
          </form>
        )}
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Querystring: { item?: string; done?: string } }>('/admin/lists/policies', { config: { permission: 'content.edit' } }, async (req, reply) => tagsPage(req, reply, (intFrom(req.query.item) ?? 0) > 0 ? intFrom(req.query.item) : null, undefined, !!req.query.done));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/lists/policies/:id', { config: { permission: 'content.edit' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const arr = (v: unknown) => ([] as unknown[]).concat(v ?? []).map(String).slice(0, 50);
    const id = Number(req.params.id) || 0;
    try {
      await setTags(p, req.user!, id, { industries: str(b.industries).split(/[\s,，、]+/).filter(Boolean).slice(0, 50), sizes: arr(b.sizes), locations: arr(b.locations), qualifications: arr(b.qualifications), subsidyType: str(b.subsidyType), windowStart: str(b.windowStart) || null, windowEnd: str(b.windowEnd) || null });
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status === 404)) throw err;
      return tagsPage(req, reply, id, fields, false, 400);
    }
    return reply.redirect(`/admin/lists/policies?item=${id}&done=1`, 303);
  });
}
