// /admin/enforcement: the console's entry — the pages of 阳光执法 this user may open.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout } from '../../../platform/render/index.js';
import { can } from '../../../platform/auth/policy.js';

const PAGES: { href: string; label: string; action: string }[] = [
  { href: '/admin/enforcement/entities', label: 'enforcement.hub.entities', action: 'enforcement.read' },
  { href: '/admin/enforcement/inspectors', label: 'enforcement.hub.inspectors', action: 'enforcement.read' },
  { href: '/admin/enforcement/imports', label: 'enforcement.hub.imports', action: 'enforcement.register' },
  { href: '/admin/enforcement/plans', label: 'enforcement.hub.plans', action: 'enforcement.read' },
  { href: '/admin/enforcement/checks', label: 'enforcement.hub.checks', action: 'inspection.result' },
  { href: '/admin/enforcement/decisions', label: 'enforcement.hub.decisions_admin', action: 'enforcement.read' },
  { href: '/admin/enforcement/repairs', label: 'enforcement.hub.repairs', action: 'credit.repair' },
];

export async function hubConsole(app: FastifyInstance, _p: Platform): Promise<void> {
  app.get('/admin/enforcement', { config: { permission: 'enforcement.read' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const pages = PAGES.filter((x) => can(c.user, x.action));
    return reply.html(
      <AdminLayout c={c} title={c.t('enforcement.hub.console')}>
        <h1>{c.t('enforcement.hub.console')}</h1>
        <ul class="tiles">
          {pages.map((x) => (
            <li>
              <a href={x.href}>{c.t(x.label)}</a>
            </li>
          ))}
        </ul>
      </AdminLayout>,
    );
  });
}
