// A department's 公开指南 text and its small-department (multi-stage) setting.
import { getSetting, putSetting } from '../../../platform/settings/index.js';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Field } from '../../../platform/render/index.js';
import { notFound } from '../../../platform/errors.js';
import { can } from '../../../platform/auth/policy.js';
import { multiStageDepartments, setMultiStage } from '../../../platform/publication/index.js';
import { departments } from '../service/queries.js';

export async function guideConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: { code: string } }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = (await getSetting(p.db, `catalog.guide.${d.id}`)) ?? '';
    const multi = (await multiStageDepartments(p.db)).includes(d.id);
    return reply.html(
      <AdminLayout c={c} title={`${d.name} ${c.t('catalog.guide')}`}>
        <h1>
          {d.name} {c.t('catalog.guide')}
        </h1>
        <form method="post" action={`/admin/catalog/guide/${d.code}`}>
          <Csrf c={c} />
          <Field label={c.t('catalog.guide.more')} name="text" value={text} multiline rows={10} maxLength={20000} />
          <label class="confirm">
            <input type="checkbox" name="multiStage" value="1" checked={multi} /> {c.t('catalog.multi_stage')}
          </label>
          <button type="submit">{c.t('common.save')}</button>
        </form>
        <p>
          <a href={`/catalog/guide/${d.code}`}>{c.t('catalog.public_page')}</a>
        </p>
      </AdminLayout>,
    );
  });
  app.post<{ Params: { code: string }; Body: Record<string, string> }>('/admin/catalog/guide/:code', { config: { permission: 'department.edit' } }, async (req, reply) => {
    const d = (await departments(p.db)).find((x) => x.code === req.params.code);
    if (!d || !can(req.user!, 'department.edit', { departmentId: d.id })) throw notFound();
    const text = String(req.body?.text ?? '').slice(0, 20000);
    await p.tx(async (t) => {
      await putSetting(t, `catalog.guide.${d.id}`, text);
      await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
      await p.audit(t, { actor: `user:${req.user!.username}`, action: 'catalog.guide', entity: 'department', entityId: d.id, details: { length: text.length } });
    });
    await setMultiStage(p, req.user!, d.id, req.body?.multiStage === '1');
    const { bumpGeneration } = await import('../../../platform/publication/cache.js');
    bumpGeneration();
    return reply.redirect(`/admin/catalog/guide/${d.code}`, 303);
  });
}
