// A department's 政府信息公开指南 (disclosure guide) text and its small-department (multi-stage)
// setting.
import { getSetting, putSetting } from '../../../platform/settings/index.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { movedTo } from '../views.js';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Field } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { can } from '../../../platform/auth/policy.js';
import { multiStageDepartments, setMultiStage } from '../../../platform/publication/index.js';
import { departments } from '../service/queries.js';
import { disclosureGuideKey } from '../schema.js';

/** `to` with the query string of the request. */

export async function disclosureGuideConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { code: string } }>('/admin/catalog/disclosure-guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = (await getSetting(p.db, disclosureGuideKey(d.id))) ?? '';
    const multi = (await multiStageDepartments(p.db)).includes(d.id);
    return reply.html(
      <AdminLayout c={c} title={`${d.name} ${c.t('catalog.disclosure_guide')}`}>
        <h1>
          {d.name} {c.t('catalog.disclosure_guide')}
        </h1>
        <form method="post" action={`/admin/catalog/disclosure-guide/${d.code}`}>
          <Csrf c={c} />
          <Field label={c.t('catalog.disclosure_guide.more')} name="text" value={text} multiline rows={10} maxLength={20000} />
          <label class="confirm">
            <input type="checkbox" name="multiStage" value="1" checked={multi} /> {c.t('catalog.multi_stage')}
          </label>
          <button type="submit">{c.t('common.save')}</button>
        </form>
        <p>
          <a href={`/catalog/disclosure-guide/${d.code}`}>{c.t('catalog.public_page')}</a>
        </p>
      </AdminLayout>,
    );
  });
  app.post<{ Params: { code: string }; Body: Record<string, string> }>('/admin/catalog/disclosure-guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = String(req.body?.text ?? '').slice(0, 20000);
    await p.tx(async (t) => {
      await putSetting(t, disclosureGuideKey(d.id), text);
      await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
      await p.audit(t, { actor: `user:${req.user!.username}`, action: 'catalog.disclosure_guide', entity: 'department', entityId: d.id, details: { length: text.length } });
    });
    await setMultiStage(p, req.user!, d.id, req.body?.multiStage === '1');
    const { bumpGeneration } = await import('../../../platform/publication/cache.js');
    bumpGeneration();
    return reply.redirect(`/admin/catalog/disclosure-guide/${d.code}`, 303);
  });
  // The addresses before the glossary names (…/guide/…): moved permanently. A form opened before
  // the move posts to the old address; 308 keeps the method and body.
  app.get<{ Params: { code: string } }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => reply.redirect(movedTo(req, `/admin/catalog/disclosure-guide/${encodeURIComponent(req.params.code)}`), 301));
  app.post<{ Params: { code: string } }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => reply.redirect(movedTo(req, `/admin/catalog/disclosure-guide/${encodeURIComponent(req.params.code)}`), 308));
}
