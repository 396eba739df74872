// The disclosure catalog (主动公开): hosts the publication spine (its tables, jobs and the
// search source) and registers the first item type, 'document'.
import type { GongkaiModule } from '../../platform/module.js';
import { publicationMigrations, publicationJobs, registerIndexableSource, validityTimer } from '../../platform/publication/index.js';
import { registerDocumentType } from './items.js';
import { catalogMessages } from './messages.js';
import { catalogApi } from './api.js';
import { catalogPublic, catalogHome } from './public.js';
import { catalogFeeds } from './public/feeds.js';
import { documentConsole } from './console/documents.js';
import { importConsole } from './console/import.js';
import { guideConsole } from './console/guide.js';
import { catalogDashboard } from './console/dashboard.js';
import { catalogCli } from './cli.js';

registerDocumentType();
registerIndexableSource();

export const catalogModule: GongkaiModule = {
  name: 'catalog',
  permissions: [
    { action: 'content.read', zh: '查看本部门的公开信息（含草稿）', en: "See one's departments' items, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'content.create', zh: '起草公开信息', en: 'Draft items', roles: ['dept-admin', 'editor'] },
    { action: 'content.edit', zh: '修改草稿', en: 'Edit drafts', roles: ['dept-admin', 'editor'] },
    { action: 'content.submit', zh: '提交审核', en: 'Submit for review', roles: ['dept-admin', 'editor'] },
    { action: 'content.secrecy', zh: '保密审查', en: 'Secrecy review', roles: ['reviewer'] },
    { action: 'content.review', zh: '审核', en: 'Review', roles: ['reviewer'] },
    { action: 'content.sign', zh: '签发', en: 'Sign off for publication', roles: ['approver'] },
    { action: 'content.withdraw', zh: '撤回已发布的信息', en: 'Withdraw published items', roles: ['approver'] },
    { action: 'content.import', zh: '批量导入', en: 'Import in bulk', roles: ['dept-admin'] },
  ],
  migrations: publicationMigrations,
  messages: catalogMessages,
  nav: {
    public: [{ label: 'nav.catalog', href: '/catalog', order: 10 }],
    admin: [{ label: 'nav.catalog_admin', href: '/admin/catalog', permission: 'content.read', order: 10 }],
  },
  jobs: (p) => publicationJobs(p),
  async routes(app, p) {
    await catalogApi(app, p);
    await catalogPublic(app, p);
    await catalogFeeds(app, p);
    await documentConsole(app, p);
    await importConsole(app, p);
    await guideConsole(app, p);
    if (p.config.bench) {
      app.get('/bench/constant', { config: { permission: 'public' } }, async (_req, reply) => reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('ok\n'));
    }
  },
  demo: async (p) => (await import('./demo.js')).loadDemoCatalog(p),
  home: catalogHome,
  dashboard: catalogDashboard,
  background: (p) => validityTimer(p),
  cli: catalogCli,
};
