// /enforcement: the public entry of 阳光执法 — what is published here and where, with live counts.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout } from '../../../platform/render/index.js';

async function counts(p: Platform) {
  const n = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
  const { count } = p.db.fn;
  return {
    entities: await n(p.db.selectFrom('enf_entities').select(count<number>('id').as('n')).where('active', '=', 1).executeTakeFirst()),
    inspectors: await n(p.db.selectFrom('enf_inspectors').select(count<number>('id').as('n')).where('active', '=', 1).executeTakeFirst()),
    tasks: await n(p.db.selectFrom('enf_tasks').innerJoin('enf_plans', 'enf_plans.id', 'enf_tasks.plan_id').select(count<number>('enf_tasks.id').as('n')).where('enf_plans.status', '=', 'published').executeTakeFirst()),
    penalties: await n(p.db.selectFrom('enf_decisions').select(count<number>('id').as('n')).where('status', '=', 'published').where('kind', '=', 'penalty').executeTakeFirst()),
    licensing: await n(p.db.selectFrom('enf_decisions').select(count<number>('id').as('n')).where('status', '=', 'published').where('kind', '=', 'licensing').executeTakeFirst()),
  };
}

export async function hubPage(app: FastifyInstance, p: Platform): Promise<void> {
  app.get('/enforcement', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const k = await counts(p);
    const tile = (href: string, label: string, hint: string) => (
      <li>
        <a href={href}>{label}</a>
        <p class="hint">{hint}</p>
      </li>
    );
    return reply.html(
      <PublicLayout c={c} title={c.t('enforcement.hub.title')} description={c.t('enforcement.hub.description')}>
        <h1>{c.t('enforcement.hub.title')}</h1>
        <p class="lead">{c.t('enforcement.hub.lead')}</p>
        <h2>{c.t('enforcement.hub.random')}</h2>
        <ul class="tiles">
          {tile('/enforcement/inspections', c.t('enforcement.hub.inspections'), c.t('enforcement.hub.inspections_hint', { n: k.tasks }))}
          {tile('/enforcement/entities', c.t('enforcement.hub.entities'), c.t('enforcement.hub.entities_hint', { n: k.entities }))}
          {tile('/enforcement/inspectors', c.t('enforcement.hub.inspectors'), c.t('enforcement.hub.inspectors_hint', { n: k.inspectors }))}
          {tile('/enforcement/draws/commit', c.t('enforcement.hub.commit'), c.t('enforcement.hub.commit_hint'))}
        </ul>
        <h2>{c.t('enforcement.hub.decisions')}</h2>
        <ul class="tiles">
          {tile('/enforcement/decisions?kind=penalty', c.t('enforcement.kind.penalty'), c.t('enforcement.hub.on_display', { n: k.penalties }))}
          {tile('/enforcement/decisions?kind=licensing', c.t('enforcement.kind.licensing'), c.t('enforcement.hub.on_display', { n: k.licensing }))}
          {tile('/enforcement/credit-repair', c.t('enforcement.hub.repair'), c.t('enforcement.hub.repair_hint'))}
        </ul>
      </PublicLayout>,
    );
  });
}
