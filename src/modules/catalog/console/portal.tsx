// The portal texts the government edits: its own (本级) 政府信息公开指南 text and the
// 政府信息公开制度. Saved as settings with an audit event; the public cache is refreshed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, ErrorSummary, Field, Notice } from '../../../platform/render/index.js';
import { getSettings, putSetting } from '../../../platform/settings/index.js';
import { bumpGeneration } from '../../../platform/publication/cache.js';
import { disclosureRulesKey, GOVERNMENT_GUIDE_KEY } from '../schema.js';
import '../../../platform/publication/schema.js';

const MAX = 20000;

export async function portalConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const page = (req: FastifyRequest, reply: FastifyReply, values: { guide: string; rules: string }, opts: { fields?: Record<string, string>; status?: number } = {}) => {
    const c = req.ctx(reply);
    return reply.html(
      <AdminLayout c={c} title={c.t('catalog.portal_texts')}>
        <h1>{c.t('catalog.portal_texts')}</h1>
        {(req.query as Record<string, string> | undefined)?.saved && <Notice kind="success">{c.t('common.saved')}</Notice>}
        <ErrorSummary c={c} fields={opts.fields} />
        <form method="post" action="/admin/catalog/portal" class="stack">
          <Csrf c={c} />
          <Field label={c.t('catalog.portal_guide_text')} name="guide" value={values.guide} multiline rows={10} maxLength={MAX} hint={c.t('catalog.portal_guide_hint')} error={opts.fields?.guide} />
          <Field label={c.t('catalog.portal_rules_text')} name="rules" value={values.rules} multiline rows={16} maxLength={MAX} hint={c.t('catalog.portal_rules_hint')} error={opts.fields?.rules} />
          <button type="submit" class="primary">{c.t('common.save')}</button>
        </form>
        <p>
          <a href="/catalog/disclosure-guide">{c.t('catalog.disclosure_guide')}</a> · <a href="/catalog/disclosure-rules">{c.t('catalog.disclosure_rules')}</a>
        </p>
      </AdminLayout>,
      opts.status,
    );
  };

  app.get('/admin/catalog/portal', { config: { permission: 'government.edit' } }, async (req, reply) => {
    const s = await getSettings(p.db, [GOVERNMENT_GUIDE_KEY, disclosureRulesKey]);
    return page(req, reply, { guide: s.get(GOVERNMENT_GUIDE_KEY) ?? '', rules: s.get(disclosureRulesKey) ?? '' });
  });

  app.post('/admin/catalog/portal', { config: { permission: 'government.edit' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { guide: typeof b.guide === 'string' ? b.guide.trim() : '', rules: typeof b.rules === 'string' ? b.rules.trim() : '' };
    const fields: Record<string, string> = {};
    for (const k of ['guide', 'rules'] as const) if (values[k].length > MAX) fields[k] = req.t('err.field.too_long');
    if (Object.keys(fields).length) return page(req, reply, values, { fields, status: 400 });
    await p.tx(async (t) => {
      await putSetting(t, GOVERNMENT_GUIDE_KEY, values.guide);
      await putSetting(t, disclosureRulesKey, values.rules);
      await t.updateTable('pub_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
      await p.audit(t, { actor: `user:${req.user!.username}`, action: 'catalog.portal_texts', entity: 'government', entityId: 1, details: { guide: values.guide.length, rules: values.rules.length } });
    });
    bumpGeneration();
    return reply.redirect('/admin/catalog/portal?saved=1', 303);
  });
}
